"""Statements through the API: auto-apply, review, confirm/skip/on-account, idempotency."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.server.services import Services
from tests.api.test_bank_files_helpers import CAMT_ACCOUNT, create_account, headers, installment_open, upload
from tests.support.factories import add_customer, add_invoice, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")

STATEMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "statements"
CAMT = (STATEMENTS / "camt053_v08_pix_batch.xml").read_bytes()


async def _installment_of(services: Services, tenant: Any, invoice_id: Any) -> Any:
    from app.adapters.db.repositories.settlement import SqlInstallmentRefs
    from app.server.auth import system_principal

    async with services.uow(system_principal(tenant.id, "test")) as uow:
        (inst,) = await SqlInstallmentRefs(uow.session, uow.tenant).of_invoice(invoice_id)
    return inst.installment_id


async def test_statement_credits_auto_apply_or_wait_for_review(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    payer = await add_customer(services, tenant, tax_id="12345678909")
    invoice = await add_invoice(
        services,
        tenant,
        payer.id,
        number="4521",
        amount="1500.00",
        issue_date="2024-02-01",
        due_date="2024-03-01",
    )
    inst = await _installment_of(services, tenant, invoice.id)
    await create_account(http, hdrs, **CAMT_ACCOUNT)  # the IBAN in the file names it
    # Two open installments of the same amount for the 1000.00 payer: ambiguous → review.
    other = await add_customer(services, tenant, tax_id="11222333000181")
    twins = []
    for number, due in (("9001", "2024-03-20"), ("9002", "2024-03-21")):
        inv = await add_invoice(
            services, tenant, other.id, number=number, amount="1000.00", issue_date="2024-02-01", due_date=due
        )
        twins.append(await _installment_of(services, tenant, inv.id))

    response = await upload(http, hdrs, CAMT, "camt.xml")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind"] == "camt053" and body["status"] == "processed"
    assert body["records"] == 7 and body["settled_count"] == 5 and body["settled_amount"] == "5640.60"
    assert body["applied_count"] == 1 and body["review_count"] == 4
    assert body["totals"]["opening_balance"] == "10000.00"
    assert await installment_open(services, tenant, inst) == 0

    review = (await http.get("/api/v1/cash-application/review?limit=200", headers=hdrs)).json()["items"]
    assert len(review) == 4 and all(r["status"] == "review" for r in review)
    line = next(r for r in review if r["parsed"]["payer_tax_id"] == "11222333000181")
    assert len(line["proposals"]) >= 2, line
    best = line["proposals"][0]
    assert best["customer_id"] == str(other.id)
    assert {"payer_tax_id", "amount_exact"} <= {s["kind"] for s in best["signals"]}

    url = f"/api/v1/cash-application/{line['id']}/confirm"
    confirmed = await http.post(url, json={"proposal": 0}, headers=hdrs)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "applied"
    chosen = best["allocations"][0]["installment_id"]
    assert chosen in {str(t) for t in twins}
    opens = sorted([await installment_open(services, tenant, t) for t in twins])
    assert opens == [0, 100000]
    # Double confirm: refused, nothing applied twice.
    assert (await http.post(url, json={"proposal": 0}, headers=hdrs)).status_code == 409

    # Explicit allocations on another line (1250.25 from an unknown payer), partly.
    explicit = next(r for r in review if r["parsed"]["amount"] == "1250.25")
    leftover = next(t for t in twins if str(t) != chosen)
    done = await http.post(
        f"/api/v1/cash-application/{explicit['id']}/confirm",
        json={"allocations": [{"installment_id": str(leftover), "amount": "1000.00"}]},
        headers=hdrs,
    )
    assert done.status_code == 200, done.text
    assert await installment_open(services, tenant, leftover) == 0

    rest = [r for r in review if r["id"] not in (line["id"], explicit["id"])]
    skipped = await http.post(f"/api/v1/cash-application/{rest[0]['id']}/skip", headers=hdrs)
    assert skipped.json()["status"] == "skipped"
    on_account = await http.post(
        f"/api/v1/cash-application/{rest[0]['id']}/apply-on-account",
        json={"customer_id": str(payer.id)},
        headers=hdrs,
    )
    assert on_account.json()["status"] == "on_account" and on_account.json()["payment_id"]

    # The same statement again is a duplicate upload.
    assert (await upload(http, hdrs, CAMT, "again.xml")).status_code == 409


async def test_review_endpoints_auth_and_tenancy(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    assert (await http.get("/api/v1/cash-application/review")).status_code == 401
    read_only = await headers(http, services, tenant, "bank_files:read")
    hdrs = await headers(http, services, tenant)
    await create_account(http, hdrs, **CAMT_ACCOUNT)
    await upload(http, hdrs, CAMT)
    line = (await http.get("/api/v1/cash-application/review", headers=hdrs)).json()["items"][0]
    assert (
        await http.post(f"/api/v1/cash-application/{line['id']}/skip", headers=read_only)
    ).status_code == 403
    other = await new_tenant(services)
    other_hdrs = await headers(http, services, other)
    assert (await http.get("/api/v1/cash-application/review", headers=other_hdrs)).json()["items"] == []
    assert (
        await http.post(f"/api/v1/cash-application/{line['id']}/skip", headers=other_hdrs)
    ).status_code == 404


async def test_statement_with_broken_balances_is_invalid_and_applies_nothing(
    http: Any, services: Services
) -> None:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    broken = CAMT.replace(b'<Amt Ccy="BRL">1500.00</Amt>', b'<Amt Ccy="BRL">1501.00</Amt>', 1)
    assert broken != CAMT
    body = (await upload(http, hdrs, broken)).json()
    assert body["status"] == "invalid" and any("reconcile" in e["message"] for e in body["errors"])
    assert body["applied_count"] == 0
