"""PIX BR Code per installment, the signed inbound webhook (replay, refunds), boleto PDF."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from app.adapters.banks.pix import parse_brcode
from app.api.webhooks_in import sign
from app.server.services import Services
from tests.api.test_bank_files_helpers import create_account, headers, installment_open
from tests.support.factories import add_customer, add_invoice, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")
SCOPES = "bank_files:read bank_files:write payments:read payments:write"


async def _setup(http: Any, services: Services) -> tuple[Any, dict[str, str], Any]:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant, SCOPES)
    await create_account(
        http,
        hdrs,
        pix_key="financeiro@example.com",
        pix_city="SAO PAULO",
        company_name="COBALTO LTDA",
        company_tax_id="12345678000195",
        agreement="1234567",
        wallet="17",
    )
    customer = await add_customer(services, tenant, name="Padaria Azul", tax_id="11222333000181")
    invoice = await add_invoice(services, tenant, customer.id, amount="250.00")
    from app.adapters.db.repositories.settlement import SqlInstallmentRefs
    from app.server.auth import system_principal

    async with services.uow(system_principal(tenant.id, "test")) as uow:
        (inst,) = await SqlInstallmentRefs(uow.session, uow.tenant).of_invoice(invoice.id)
    return tenant, hdrs, inst.installment_id


async def _endpoint(http: Any, hdrs: dict[str, str]) -> dict[str, Any]:
    created = await http.post("/api/v1/pix/webhook-endpoints", json={"description": "PSP"}, headers=hdrs)
    assert created.status_code == 201, created.text
    return dict(created.json())


async def _post(
    http: Any, ep: dict[str, Any], body: dict[str, Any], *, at: float | None = None, secret: str | None = None
) -> Any:
    raw = json.dumps(body).encode()
    sig = sign(secret or ep["signing_secret"], int(at if at is not None else time.time()), raw)
    return await http.post(
        ep["url"], content=raw, headers={"X-Cobalto-Signature": sig, "Content-Type": "application/json"}
    )


async def test_pix_code_then_webhook_pays_once_and_refund_reverses(http: Any, services: Services) -> None:
    tenant, hdrs, inst = await _setup(http, services)
    pix = await http.get(f"/api/v1/installments/{inst}/pix", headers=hdrs)
    assert pix.status_code == 200, pix.text
    code = pix.json()
    parsed = parse_brcode(code["brcode"])
    assert parsed.txid == code["txid"] and str(parsed.amount.amount) == "250.00"
    again = (await http.get(f"/api/v1/installments/{inst}/pix", headers=hdrs)).json()
    assert again["txid"] == code["txid"]  # assigned once
    png = await http.get(code["qr_png_url"], headers=hdrs)
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")

    ep = await _endpoint(http, hdrs)
    receipt = {
        "endToEndId": "E12345678202611231400abcdefghijk",
        "txid": code["txid"],
        "valor": "250.00",
        "horario": "2026-11-23T14:00:00.000Z",
        "infoPagador": "pagamento",
    }
    first = await _post(http, ep, {"pix": [receipt]})
    assert first.status_code == 200, first.text
    assert first.json() == {"received": 1, "processed": 1, "duplicates": 0}
    assert await installment_open(services, tenant, inst) == 0
    replay = await _post(http, ep, {"pix": [receipt]})
    assert replay.json() == {"received": 1, "processed": 0, "duplicates": 1}
    assert await installment_open(services, tenant, inst) == 0

    refund = {
        **receipt,
        "devolucoes": [
            {
                "id": "D1",
                "rtrId": "D12345",
                "valor": "100.00",
                "horario": {"solicitacao": "2026-11-23T15:00:00Z"},
                "status": "DEVOLVIDO",
            }
        ],
    }
    refunded = await _post(http, ep, {"pix": [refund]})
    assert refunded.json() == {"received": 1, "processed": 1, "duplicates": 1}
    assert await installment_open(services, tenant, inst) == 10000
    assert (await _post(http, ep, {"pix": [refund]})).json()["processed"] == 0


async def test_webhook_rejects_bad_signatures_stale_or_future_timestamps(
    http: Any, services: Services
) -> None:
    _, hdrs, _ = await _setup(http, services)
    ep = await _endpoint(http, hdrs)
    body = {"pix": [{"endToEndId": "E1", "txid": "x", "valor": "1.00", "horario": "2026-11-23T14:00:00Z"}]}
    assert (await _post(http, ep, body, secret="wrong")).status_code == 401
    assert (await _post(http, ep, body, at=time.time() - 3600)).status_code == 401
    assert (await _post(http, ep, body, at=time.time() + 3600)).status_code == 401
    raw = json.dumps(body).encode()
    assert (await http.post(ep["url"], content=raw)).status_code == 401
    assert (await http.post(ep["url"][:-3] + "abc", content=raw)).status_code == 401
    assert (await http.post("/webhooks/in/pix/not-a-token", content=raw)).status_code == 401
    bad = await _post(
        http, ep, {"pix": [{"endToEndId": "E2", "valor": "-1", "horario": "2026-11-23T14:00:00Z"}]}
    )
    assert bad.status_code == 422
    # Unknown txid: the money is kept as credit, never lost; a replay is still a duplicate.
    ok = await _post(http, ep, body)
    assert ok.json()["processed"] == 1
    assert (await _post(http, ep, body)).json()["duplicates"] == 1


async def test_boleto_pdf_assigns_nosso_numero_once(http: Any, services: Services) -> None:
    _tenant, hdrs, inst = await _setup(http, services)
    first = await http.get(f"/api/v1/installments/{inst}/boleto.pdf", headers=hdrs)
    assert first.status_code == 200, first.text
    assert first.content.startswith(b"%PDF")
    second = await http.get(f"/api/v1/installments/{inst}/boleto.pdf", headers=hdrs)
    assert second.headers["content-disposition"] == first.headers["content-disposition"]
    accounts = (await http.get("/api/v1/bank-accounts", headers=hdrs)).json()["items"]
    assert accounts[0]["next_nosso_numero"] == 2


async def test_documents_auth_and_tenancy(http: Any, services: Services) -> None:
    tenant, _hdrs, inst = await _setup(http, services)
    assert (await http.get(f"/api/v1/installments/{inst}/pix")).status_code == 401
    no_scope = await headers(http, services, tenant, "bank_files:read")
    assert (await http.get(f"/api/v1/installments/{inst}/pix", headers=no_scope)).status_code == 403
    assert (await http.post("/api/v1/pix/webhook-endpoints", json={}, headers=no_scope)).status_code == 403
    other = await new_tenant(services)
    theirs = await headers(http, services, other, SCOPES)
    for suffix in ("pix", "pix.png", "boleto.pdf"):
        assert (await http.get(f"/api/v1/installments/{inst}/{suffix}", headers=theirs)).status_code == 404


async def test_remittance_file_with_account_sequence(http: Any, services: Services) -> None:
    from app.adapters.banks.cnab import read_remittance

    _tenant, hdrs, inst = await _setup(http, services)
    account = (await http.get("/api/v1/bank-accounts", headers=hdrs)).json()["items"][0]
    url = f"/api/v1/bank-accounts/{account['id']}/remittances"
    made = await http.post(
        url, json={"instructions": [{"installment_id": str(inst), "kind": "register"}]}, headers=hdrs
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["file_sequence"] == 1
    file = await http.get(body["download_url"], headers=hdrs)
    assert file.status_code == 200
    lines = file.content.split(b"\r\n")[:-1]
    assert all(len(ln) == 240 for ln in lines)
    back = read_remittance(file.content)
    assert back.file_sequence == 1 and len(back.instructions) == 1
    assert back.instructions[0].title.face_value_minor == 25000
    second = await http.post(
        url,
        json={
            "instructions": [
                {"installment_id": str(inst), "kind": "change_due_date", "due_date": "2026-12-31"}
            ]
        },
        headers=hdrs,
    )
    assert second.json()["file_sequence"] == 2
    missing = await http.post(
        url, json={"instructions": [{"installment_id": str(inst), "kind": "change_due_date"}]}, headers=hdrs
    )
    assert missing.status_code == 422
    other = await headers(http, services, await new_tenant(services), SCOPES)
    assert (await http.get(body["download_url"], headers=other)).status_code == 404
    assert (
        await http.post(
            url, json={"instructions": [{"installment_id": str(inst), "kind": "register"}]}, headers=other
        )
    ).status_code == 404
