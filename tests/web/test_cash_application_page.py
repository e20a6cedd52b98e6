"""The cash-application page names each candidate's installments as a finance user
knows them (invoice number and n/m, customer, due date, open amount, late charges) and
says why it was suggested in the user's language; the API keeps the stored shape."""

from __future__ import annotations

import html
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from app.server.auth import system_principal
from app.server.services import Services
from tests.api.test_bank_files_helpers import CAMT_ACCOUNT, create_account, headers, upload
from tests.support.factories import add_customer, add_invoice, new_tenant
from tests.support.web import login_as

pytestmark = pytest.mark.asyncio(loop_scope="session")

CAMT = (
    Path(__file__).resolve().parents[1] / "fixtures" / "statements" / "camt053_v08_pix_batch.xml"
).read_bytes()
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
CUSTOMER = "Mercado Bom Preço Ltda"


async def _book(http: Any, services: Services) -> dict[str, Any]:
    """A tenant whose statement leaves the 1,000.00 credit of Mercado Bom Preço between
    two equal installments (invoices 9001 and 9002), and the line as the API shows it."""
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    customer = await add_customer(services, tenant, name=CUSTOMER, tax_id="11222333000181")
    invoices = {}
    for number, due in (("9001", "2024-03-20"), ("9002", "2024-03-21")):
        invoices[number] = await add_invoice(
            services,
            tenant,
            customer.id,
            number=number,
            amount="1000.00",
            issue_date="2024-02-01",
            due_date=due,
        )
    await create_account(http, hdrs, **CAMT_ACCOUNT)
    assert (await upload(http, hdrs, CAMT, "camt.xml")).status_code == 201
    review = (await http.get("/api/v1/cash-application/review?limit=200", headers=hdrs)).json()["items"]
    line = next(r for r in review if r["parsed"]["payer_tax_id"] == "11222333000181")
    other = next(r for r in review if r["parsed"]["amount"] == "1250.25")
    return {
        "tenant": tenant,
        "hdrs": hdrs,
        "customer": customer,
        "invoices": invoices,
        "line": line,
        "other": other,
    }


def _candidates_section(page: str) -> str:
    found = re.search(r'<section aria-label="[^"]*" id="candidates">(.*?)</section>', page, re.S)
    assert found, "no candidates section"
    return found.group(1)


def _visible(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", " ", fragment)
    return re.sub(r"\s+", " ", html.unescape(text))


@pytest.mark.parametrize(
    ("locale", "evidence", "header"),
    [
        (
            "pt-BR",
            ["o pagador 11.222.333/0001-81 é este cliente", "R$ 1.000,00 é exatamente o saldo em aberto"],
            ["Fatura", "Parcela", "Vencimento", "Saldo", "A baixar"],
        ),
        (
            "es-MX",
            [
                "el pagador 11.222.333/0001-81 es este cliente",
                "BRL1,000.00 es exactamente el saldo pendiente",
            ],
            ["Factura", "Parcialidad", "Vencimiento", "Saldo", "A aplicar"],
        ),
    ],
)
async def test_candidates_name_invoice_customer_and_evidence_in_the_locale(
    http: Any, services: Services, locale: str, evidence: list[str], header: list[str]
) -> None:
    book = await _book(http, services)
    line = book["line"]
    assert len(line["proposals"]) >= 2
    await login_as(http, services, book["tenant"], ["finance"], locale=locale)

    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    engine = services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = await http.get(f"/cash-application/?line={line['id']}")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert page.status_code == 200
    section = _candidates_section(page.text)
    shown = _visible(section)

    for number, invoice in book["invoices"].items():
        assert re.search(
            rf'<a class="mono" href="/invoices/{invoice.id}#inst-[0-9a-f-]{{36}}">{number}</a>', section
        )
    assert f'<a href="/customers/{book["customer"].id}">{html.escape(CUSTOMER)}</a>' in section
    for word in header:
        assert word in shown
    for sentence in evidence:
        assert sentence in shown
    # Nothing the user cannot act on: no installment ids, no weights, no matcher English.
    assert not UUID.search(shown), shown
    assert "(+0." not in shown and "equals the open amount" not in shown and "is the customer" not in shown
    # Every candidate's installments came from one statement.
    assert len([s for s in statements if re.search(r"\bFROM installments\b", s)]) == 1


async def test_late_charges_and_evidence_stored_by_older_versions(http: Any, services: Services) -> None:
    book = await _book(http, services)
    tenant, line = book["tenant"], book["other"]
    late = await add_invoice(
        services,
        tenant,
        book["customer"].id,
        number="7001",
        amount="1000.00",
        issue_date="2024-01-01",
        due_date="2024-01-10",
    )
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        (installment,) = await uow.installments.for_invoice(late.id)
    stored = [
        {
            "customer_id": str(book["customer"].id),
            "installment_ids": [str(installment.id)],
            "confidence": 0.9,
            "signals": [
                {
                    "kind": "amount_with_late_charges",
                    "weight": 0.75,
                    "detail": "1031.60 BRL ≈ 1031.67 BRL = the open amount + late charges",
                },
                {"kind": "payer_name", "weight": 0.25, "detail": "a wording this version never wrote"},
            ],
            "allocations": [{"installment_id": str(installment.id), "amount": "1031.67"}],
            "unapplied": "0.00",
            "residual": {"kind": "exact", "amount": "0.00", "reason": ""},
            "explain": "…",
        }
    ]
    await _store_proposals(services, tenant, line["id"], stored)
    await login_as(http, services, tenant, ["finance"], locale="pt-BR")
    page = await http.get(f"/cash-application/?line={line['id']}")
    section = _candidates_section(page.text)
    shown = _visible(section)
    assert "7001" in shown and "1/1" in shown and "10 de jan. de 2024" in shown
    assert "Encargos" in shown and re.search(r"<td class=\"num\" data-charges>R\$ 31,67</td>", section)
    assert "R$ 1.031,60 confere com R$ 1.031,67: o saldo mais multa e juros" in shown
    assert "nome do pagador : a wording this version never wrote" in shown
    assert not UUID.search(shown)
    # The API returns what is stored, untouched.
    items = (await http.get("/api/v1/cash-application/review?limit=200", headers=book["hdrs"])).json()[
        "items"
    ]
    assert next(i for i in items if i["id"] == line["id"])["proposals"] == stored


async def test_the_api_keeps_the_stored_shape_and_english_evidence(http: Any, services: Services) -> None:
    book = await _book(http, services)
    best = book["line"]["proposals"][0]
    assert set(best) == {
        "customer_id",
        "installment_ids",
        "confidence",
        "signals",
        "allocations",
        "unapplied",
        "residual",
        "explain",
    }
    assert all(set(s) == {"kind", "weight", "detail"} for s in best["signals"])
    details = {s["kind"]: s["detail"] for s in best["signals"]}
    assert details["payer_tax_id"] == "payer 11222333000181 is the customer"
    assert details["amount_exact"] == "1000.00 BRL equals the open amount"
    assert best["explain"].startswith("confidence ")


async def _store_proposals(
    services: Services, tenant: Any, line: str, proposals: list[dict[str, Any]]
) -> None:
    from app.adapters.db.models.settlement import BankFileRecordRow

    async with services.uow(system_principal(tenant.id, "test")) as uow:
        row = await uow.session.get(BankFileRecordRow, (tenant.id, uuid.UUID(line)))
        assert row is not None
        row.proposals = proposals
        await uow.commit()


async def test_the_shortcuts_help_lists_the_keys_of_the_page(http: Any, services: Services) -> None:
    """``?`` opens the shortcuts dialog: the cash-application page adds its own keys to
    it; a page without keys of its own shows no empty section."""
    book = await _book(http, services)
    await login_as(http, services, book["tenant"], ["finance"], locale="pt-BR")
    page = (await http.get("/cash-application/")).text
    dialog = page[page.index('<dialog id="shortcuts"') :]
    assert "Nesta página" in dialog
    assert "<dt><kbd>a</kbd></dt><dd>aprova o melhor candidato</dd>" in dialog
    assert "<dt><kbd>s</kbd></dt><dd>adia a linha</dd>" in dialog
    home = (await http.get("/")).text
    assert "Nesta página" not in home[home.index('<dialog id="shortcuts"') :]
