"""The correction queue page: search instead of ids, errors in the user's language.

A real CNAB 240 return (brcobranca's Banco do Brasil file) leaves its titles queued as
"unknown nosso número"; one of them pays an invoice the bank knows under another
number, which the finance user finds by number, customer or amount and assigns.
Runs on SQLite and on PostgreSQL (with row-level security), like the other pages.
"""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from app.adapters.banks.cnab import parse_return
from app.adapters.db.repositories.settlement import SqlInstallmentRefs
from app.server.auth import system_principal
from app.server.services import Services
from tests.api.test_bank_files_helpers import RETURNS, create_account, headers, installment_open, upload
from tests.support.factories import TenantInfo, add_customer, add_invoice, new_tenant
from tests.support.web import csrf_token, login_as

pytestmark = pytest.mark.asyncio(loop_scope="session")
BB240 = (RETURNS / "CNAB240.RET").read_bytes()
RECORD = parse_return(BB240).records[2]
NUMBER = "NF-730001"
CNPJ = "11.222.333/0001-81"


@dataclass(frozen=True)
class Queue:
    tenant: TenantInfo
    hdrs: dict[str, str]
    record_id: str  # the queued record of RECORD's line
    other_id: str  # another queued record of the same file
    installment_id: uuid.UUID
    customer_id: uuid.UUID
    file_id: str


async def _queue(http: Any, services: Services, name: str = "Padaria Estrela do Norte") -> Queue:
    """A tenant whose return left RECORD queued, with an open invoice of its amount."""
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    await create_account(http, hdrs)
    customer = await add_customer(services, tenant, name=name, tax_id=CNPJ, country="BR")
    invoice = await add_invoice(
        services, tenant, customer.id, number=NUMBER, amount=str(Decimal(RECORD.face_value_minor) / 100)
    )
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        (inst,) = await SqlInstallmentRefs(uow.session, uow.tenant).of_invoice(invoice.id)
    body = (await upload(http, hdrs, BB240)).json()
    queue = (await http.get(f"/api/v1/correction-queue?limit=100&file_id={body['id']}", headers=hdrs)).json()
    items = queue["items"]
    target = next(q for q in items if q["line_no"] == RECORD.line_no)
    other = next(q for q in items if q["id"] != target["id"] and q["amount"] != "0.00")
    return Queue(tenant, hdrs, target["id"], other["id"], inst.installment_id, customer.id, body["id"])


def _picked_installments(text: str) -> list[str]:
    return re.findall(r'name="installment_id" value="([0-9a-f-]{36})"', text)


def _picked_customers(text: str) -> list[str]:
    return re.findall(r'name="customer_id" value="([0-9a-f-]{36})"', text)


async def _search(http: Any, record_id: str, q: str) -> str:
    response = await http.get(
        f"/correction-queue/{record_id}/candidates", params={"q": q}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200, response.text
    return html.unescape(response.text)


async def test_search_finds_the_installment_by_number_name_tax_id_and_amount(
    http: Any, services: Services
) -> None:
    queue = await _queue(http, services)
    await login_as(http, services, queue.tenant, ["finance"], locale="pt-BR")
    wanted = str(queue.installment_id)
    amount_pt = f"{Decimal(RECORD.face_value_minor) / 100:,.2f}".replace(",", "_").replace(".", ",")
    amount_pt = amount_pt.replace("_", ".")
    for q in (NUMBER, "nf-7300", "Estrela", "estrela do norte", amount_pt, f"R$ {amount_pt}"):
        found = await _search(http, queue.record_id, q)
        assert _picked_installments(found) == [wanted], q
        # The row says what it is: number, installment n/m, customer, open amount.
        assert NUMBER in found and "1/1" in found and "Padaria Estrela do Norte" in found, q
        assert f"R$ {amount_pt}" in found.replace("\xa0", " "), q
    # A tax id, with or without its punctuation, finds the customer (to credit its
    # account) and the customer's open installments.
    for q in (CNPJ, re.sub(r"\D", "", CNPJ)):
        found = await _search(http, queue.record_id, q)
        assert _picked_customers(found) == [str(queue.customer_id)], q
        assert _picked_installments(found) == [wanted], q
    nothing = await _search(http, queue.record_id, "zzzz-nobody")
    assert _picked_installments(nothing) == [] and "Nenhuma parcela em aberto" in nothing
    # A paid installment is not offered: the search lists open ones only.
    await _assign(http, queue.record_id, installment_id=wanted)
    assert _picked_installments(await _search(http, queue.other_id, NUMBER)) == []


async def test_search_never_shows_another_tenants_installments(http: Any, services: Services) -> None:
    mine = await _queue(http, services)
    # Another tenant with the same invoice number, customer name, tax id and amount.
    theirs = await _queue(http, services)
    await login_as(http, services, mine.tenant, ["finance"])
    for q in (NUMBER, "Estrela", CNPJ):
        found = await _search(http, mine.record_id, q)
        assert _picked_installments(found) == [str(mine.installment_id)], q
        assert str(theirs.installment_id) not in found and str(theirs.customer_id) not in found, q
    # Their record cannot be searched from here either.
    foreign = await http.get(f"/correction-queue/{theirs.record_id}/candidates", params={"q": NUMBER})
    assert foreign.status_code == 404


async def _assign(http: Any, record_id: str, **picked: str) -> Any:
    token = await csrf_token(http)
    response = await http.post(
        f"/correction-queue/{record_id}", data={"_csrf_token": token, "action": "assign", **picked}
    )
    assert response.status_code == 303, response.text
    return response


async def _record(http: Any, queue: Queue, record_id: str) -> dict[str, Any]:
    records = (
        await http.get(f"/api/v1/bank-files/{queue.file_id}/records?limit=200", headers=queue.hdrs)
    ).json()["items"]
    return dict(next(r for r in records if r["id"] == record_id))


async def test_assigning_a_picked_installment_applies_the_record(http: Any, services: Services) -> None:
    queue = await _queue(http, services)
    await login_as(http, services, queue.tenant, ["finance"])
    page = html.unescape((await http.get("/correction-queue/")).text)
    # No id to type: the form offers a search, not an installment id field.
    assert 'name="installment_id"' not in page and 'name="customer_id"' not in page
    assert f'id="cq-q-{queue.record_id}"' in page
    # The pick posts the installment the search showed (the button's value).
    found = await _search(http, queue.record_id, NUMBER)
    (picked,) = _picked_installments(found)
    done = await _assign(http, queue.record_id, installment_id=picked)
    assert done.headers["location"] == "/correction-queue"
    record = await _record(http, queue, queue.record_id)
    assert record["status"] == "applied" and record["payment_id"]
    assert record["installment_id"] == str(queue.installment_id)
    assert await installment_open(services, queue.tenant, queue.installment_id) == 0
    page = (await http.get("/correction-queue/")).text
    assert f"record-{queue.record_id}" not in page
    # A second click finds the record handled: nothing is applied twice.
    again = await _assign(http, queue.record_id, installment_id=picked)
    assert "error=" in again.headers["location"]


async def test_picking_a_customer_keeps_the_money_as_credit(http: Any, services: Services) -> None:
    queue = await _queue(http, services)
    await login_as(http, services, queue.tenant, ["finance"])
    (customer,) = _picked_customers(await _search(http, queue.other_id, "Estrela"))
    await _assign(http, queue.other_id, customer_id=customer)
    record = await _record(http, queue, queue.other_id)
    assert record["status"] == "on_account" and record["payment_id"]
    assert record["customer_id"] == str(queue.customer_id) and record["installment_id"] is None
    # Nothing of the customer's invoice was paid by it.
    assert await installment_open(services, queue.tenant, queue.installment_id) == RECORD.face_value_minor


async def test_search_without_javascript_renders_the_page_with_results(http: Any, services: Services) -> None:
    queue = await _queue(http, services)
    await login_as(http, services, queue.tenant, ["finance"])
    page = await http.get("/correction-queue/", params={"record": queue.record_id, "q": NUMBER})
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert _picked_installments(text) == [str(queue.installment_id)]
    assert f'value="{NUMBER}"' in text  # the box keeps what was searched
    # The results sit inside the record's assign form: a plain POST picks them.
    card = text[text.index(f'id="record-{queue.record_id}"') :]
    form = card[card.index('<form method="post"') :]
    assert form.index('name="action" value="assign"') < form.index(f'value="{queue.installment_id}"')


async def test_each_search_starts_with_the_records_amount(http: Any, services: Services) -> None:
    queue = await _queue(http, services)
    await login_as(http, services, queue.tenant, ["finance"], locale="pt-BR")
    page = html.unescape((await http.get("/correction-queue/")).text)
    box = re.search(rf'id="cq-q-{queue.record_id}"[^>]*value="([^"]*)"', page)
    assert box is not None
    found = await _search(http, queue.record_id, box.group(1))
    assert _picked_installments(found) == [str(queue.installment_id)]


@pytest.mark.parametrize(
    ("locale", "sentence"),
    [
        ("pt-BR", "Nenhuma parcela tem o nosso número {n}."),
        ("es-MX", "Ninguna parcialidad tiene la referencia bancaria {n}."),
    ],
)
async def test_the_error_reads_in_the_users_language(
    http: Any, services: Services, locale: str, sentence: str
) -> None:
    queue = await _queue(http, services)
    await login_as(http, services, queue.tenant, ["finance"], locale=locale)
    page = html.unescape((await http.get("/correction-queue/")).text)
    nosso = RECORD.nosso_numero.strip()
    assert sentence.format(n=nosso) in page
    assert f"no installment has nosso número {nosso}</p>" not in page
    # The API returns what it stored.
    record = await _record(http, queue, queue.record_id)
    assert record["error"] == f"no installment has nosso número {nosso}"
    assert record["error_code"] == "unknown_nosso_numero"


async def test_dismissing_needs_a_reason_from_the_list_or_written(http: Any, services: Services) -> None:
    queue = await _queue(http, services)
    await login_as(http, services, queue.tenant, ["finance"], locale="pt-BR")
    page = (await http.get("/correction-queue/")).text
    assert re.search(r'<select name="reason" required>', page)
    token = await csrf_token(http)
    url = f"/correction-queue/{queue.record_id}"
    for refused in ({"reason": ""}, {"reason": "other", "reason_note": "  "}):
        response = await http.post(url, data={"_csrf_token": token, "action": "dismiss", **refused})
        assert response.status_code == 303 and "error=" in response.headers["location"], refused
        assert (await _record(http, queue, queue.record_id))["status"] == "queued"
    shown = html.unescape((await http.get(response.headers["location"])).text)
    assert "Informe o motivo para descartar o registro." in shown
    response = await http.post(
        url,
        data={"_csrf_token": token, "action": "dismiss", "reason": "other", "reason_note": "boleto de teste"},
    )
    assert response.headers["location"] == "/correction-queue"
    record = await _record(http, queue, queue.record_id)
    assert record["status"] == "dismissed" and record["resolution"]["reason"] == "boleto de teste"
    await http.post(
        f"/correction-queue/{queue.other_id}",
        data={
            "_csrf_token": token,
            "action": "dismiss",
            "reason": "Not our title",
            "reason_note": "outra empresa",
        },
    )
    other = await _record(http, queue, queue.other_id)
    assert other["status"] == "dismissed" and other["resolution"]["reason"] == "Not our title: outra empresa"
