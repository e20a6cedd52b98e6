"""Customer and invoice imports through the real app over HTTP."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from app.adapters.db.models import AuditRow, CustomerRow, InvoiceRow, OutboxRow
from app.adapters.db.tenancy import bind_tenant
from app.server.services import Services
from tests.support.databases import DatabaseUnderTest, postgres_only
from tests.support.factories import TenantInfo, add_customer, api_headers, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")

CNPJ_A = "11.222.333/0001-81"
CNPJ_B = "11444777000161"


def _files(content: bytes, name: str = "data.csv") -> dict[str, Any]:
    return {"file": (name, content, "text/csv")}


async def _count(services: Services, tenant: TenantInfo, model: Any, *where: Any) -> int:
    async with services.sessions() as session:
        bind_tenant(session, tenant.tenant)
        stmt = select(func.count()).select_from(model).where(model.tenant_id == tenant.id, *where)
        return int((await session.execute(stmt)).scalar_one())


async def test_customers_semicolon_latin1_with_errors_all_or_nothing(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    text = (
        "Código;Nome;CNPJ;Situação;Região\n"
        f"C1;Padaria São João;{CNPJ_A};ativo;Centro-Oeste\n"
        "C2;Mercado Açaí;11.222.333/0001-82;inativo;Norte\n"
        "C1;Outra;;;Sul\n"
        ";;;;\n"
        'C3;=HYPERLINK("http://x");;bloqueado;Sul\n'
    )
    response = await http.post(
        "/api/v1/imports/customers", files=_files(text.encode("cp1252")), headers=headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "rejected"
    assert body["mode"] == "all_or_nothing"
    assert (body["total_rows"], body["created"], body["rejected"]) == (4, 0, 2)
    errors = {(e["line"], e["field"]): e["message"] for e in body["errors"]}
    assert "check digits" in errors[(3, "tax_id")]
    assert errors[(4, "external_ref")] == "duplicate of line 2 in this file"
    assert await _count(services, tenant, CustomerRow) == 0


async def test_customers_valid_rows_keeps_good_rows_with_audit_and_events(
    http: Any, services: Services
) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    await add_customer(services, tenant, name="Existing", external_ref="C9")
    text = (
        "\ufeffexternal_ref,name,tax_id,status\n"
        f"C1,Padaria São João,{CNPJ_A},active\n"
        "C9,Clash With Database,,active\n"
        'C3,"=HYPERLINK(""http://evil"")",,blocked\n'
        ",,,\n"
    )
    response = await http.post(
        "/api/v1/imports/customers?mode=valid_rows", files=_files(text.encode("utf-8")), headers=headers
    )
    body = response.json()
    assert response.status_code == 201, body
    assert (body["status"], body["total_rows"], body["created"], body["rejected"]) == ("completed", 3, 2, 1)
    assert body["errors"] == [
        {"line": 3, "field": "external_ref", "message": "a customer with external_ref 'C9' already exists"}
    ]
    async with services.sessions() as session:
        bind_tenant(session, tenant.tenant)
        names = set(
            (
                await session.execute(select(CustomerRow.name).where(CustomerRow.tenant_id == tenant.id))
            ).scalars()
        )
    assert names == {"Existing", "Padaria São João", '=HYPERLINK("http://evil")'}
    assert await _count(services, tenant, AuditRow, AuditRow.entity == "customer") == 3
    assert await _count(services, tenant, OutboxRow, OutboxRow.event_type == "customer.created") == 3

    got = await http.get(f"/api/v1/imports/{body['id']}", headers=headers)
    assert got.status_code == 200
    assert got.json()["created"] == 2


async def _two_customers(services: Services, tenant: TenantInfo) -> None:
    await add_customer(services, tenant, name="Alpha", external_ref="CLI-1", tax_id=CNPJ_A)
    await add_customer(services, tenant, name="Beta", external_ref="CLI-2", tax_id=CNPJ_B)


async def test_invoices_brazilian_formats_resolve_customer_by_ref_or_tax_id(
    http: Any, services: Services
) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    await _two_customers(services, tenant)
    text = (
        "número;cliente;emissão;vencimento;valor\n"
        "NF-1;CLI-1;01/10/2026;31/10/2026;1.234,56\n"
        f"NF-2;{CNPJ_B};2026-10-01;2026-11-30;R$ 99,90\n"
    )
    response = await http.post("/api/v1/imports/invoices", files=_files(text.encode()), headers=headers)
    body = response.json()
    assert response.status_code == 201, body
    assert (body["status"], body["created"], body["rejected"]) == ("completed", 2, 0)
    listed = (await http.get("/api/v1/invoices", headers=headers)).json()["items"]
    assert {(i["number"], i["amount"], i["due_date"]) for i in listed} == {
        ("NF-1", "1234.56", "2026-10-31"),
        ("NF-2", "99.90", "2026-11-30"),
    }
    assert await _count(services, tenant, OutboxRow, OutboxRow.event_type == "invoice.created") == 2


async def test_invoice_rows_checked_by_api_rules(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    await _two_customers(services, tenant)
    text = (
        "number,customer,issue_date,due_date,amount\n"
        "A1,CLI-1,2026-10-01,2026-09-01,10.00\n"  # due before issue
        "A2,NOPE,2026-10-01,2026-10-31,10.00\n"  # unknown customer
        "A3,CLI-2,2026-10-01,2026-10-31,10.001\n"  # too many decimals for BRL
        "A4,CLI-2,2026-10-01,2026-10-31,=1+1\n"  # a formula is data, not a number
        "A5,CLI-2,2026-10-01,2026-10-31,5.00\n"
        "A5,CLI-2,2026-10-01,2026-10-31,5.00\n"  # duplicate in the file
    )
    response = await http.post(
        "/api/v1/imports/invoices", data={"mode": "valid_rows"}, files=_files(text.encode()), headers=headers
    )
    body = response.json()
    assert response.status_code == 201, body
    assert (body["created"], body["rejected"]) == (1, 5)
    fields = [(e["line"], e["field"]) for e in body["errors"]]
    assert fields == [(2, "due_date"), (3, "customer"), (4, "amount"), (5, "amount"), (7, "number")]
    assert body["errors"][-1]["message"] == "duplicate of line 6 in this file"

    again = await http.post(
        "/api/v1/imports/invoices",
        files=_files(b"number,customer,issue_date,due_date,amount\nA5,CLI-1,2026-10-01,2026-10-31,1\n"),
        headers=headers,
    )
    assert again.json()["errors"] == [
        {"line": 2, "field": "number", "message": "invoice number 'A5' already exists"}
    ]


async def test_xlsx_import_streams_typed_cells(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    await _two_customers(services, tenant)
    from datetime import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Número", "Cliente", "Emissão", "Vencimento", "Valor", "Descrição"])
    ws.append([1001, "CLI-1", datetime(2026, 10, 1), datetime(2026, 10, 31), 1234.56, "=SUM(1,2)"])
    ws.append(["1002", "CLI-2", "01/10/2026", "15/11/2026", 10, None])
    buf = io.BytesIO()
    wb.save(buf)
    response = await http.post(
        "/api/v1/imports/invoices",
        files={"file": ("nf.xlsx", buf.getvalue(), "application/octet-stream")},
        headers=headers,
    )
    body = response.json()
    assert response.status_code == 201, body
    assert (body["status"], body["created"]) == ("completed", 2), body["errors"]
    items = (await http.get("/api/v1/invoices", headers=headers)).json()["items"]
    by_number = {i["number"]: i for i in items}
    assert by_number["1001"]["amount"] == "1234.56"
    assert by_number["1001"]["description"] == "=SUM(1,2)"
    assert by_number["1002"]["due_date"] == "2026-11-15"


async def test_missing_columns_reject_the_file(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    response = await http.post(
        "/api/v1/imports/invoices", files=_files(b"numero;valor\n1;2\n"), headers=headers
    )
    body = response.json()
    assert body["status"] == "rejected"
    assert {e["field"] for e in body["errors"]} == {"customer", "issue_date", "due_date"}


async def test_large_file_runs_in_background_and_is_polled(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    await _two_customers(services, tenant)
    lines = ["number,customer,issue_date,due_date,amount"]
    lines += [f"B{i},CLI-{i % 2 + 1},2026-10-01,2026-10-31,{i}.50" for i in range(1, 2501)]
    services.extras["import_inline_bytes"] = 1000
    try:
        response = await http.post(
            "/api/v1/imports/invoices", files=_files("\n".join(lines).encode()), headers=headers
        )
    finally:
        services.extras.pop("import_inline_bytes")
    assert response.status_code == 202, response.text
    location = response.headers["location"]
    for _ in range(200):
        job = (await http.get(location, headers=headers)).json()
        if job["status"] != "running":
            break
        await asyncio.sleep(0.05)
    assert (job["status"], job["total_rows"], job["created"]) == ("completed", 2500, 2500)
    assert await _count(services, tenant, InvoiceRow) == 2500


async def test_upload_problems(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    png = await http.post(
        "/api/v1/imports/customers",
        files={"file": ("x.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png")},
        headers=headers,
    )
    assert png.status_code == 415
    assert png.headers["content-type"].startswith("application/problem+json")
    not_multipart = await http.post("/api/v1/imports/customers", content=b"name\nx\n", headers=headers)
    assert not_multipart.status_code == 415
    no_file = await http.post(
        "/api/v1/imports/customers",
        data={"mode": "valid_rows"},
        files={"other": ("a", b"b")},
        headers=headers,
    )
    assert no_file.status_code == 422
    bad_mode = await http.post(
        "/api/v1/imports/customers?mode=maybe", files=_files(b"name\nx\n"), headers=headers
    )
    assert bad_mode.status_code in (400, 422)
    services.extras["import_max_bytes"] = 2048
    try:
        big = await http.post(
            "/api/v1/imports/customers", files=_files(b"name\n" + b"x\n" * 5000), headers=headers
        )
    finally:
        services.extras.pop("import_max_bytes")
    assert big.status_code == 413
    assert big.json()["status"] == 413


async def test_auth_scope_and_tenancy(http: Any, services: Services) -> None:
    tenant, other = await new_tenant(services), await new_tenant(services)
    no_auth = await http.post("/api/v1/imports/customers", files=_files(b"name\nx\n"))
    assert no_auth.status_code == 401
    read_only = await api_headers(http, services, tenant, scopes="customers:read invoices:read")
    forbidden = await http.post("/api/v1/imports/customers", files=_files(b"name\nx\n"), headers=read_only)
    assert forbidden.status_code == 403
    headers = await api_headers(http, services, tenant)
    created = (
        await http.post("/api/v1/imports/customers", files=_files(b"name\nMine\n"), headers=headers)
    ).json()
    other_headers = await api_headers(http, services, other)
    assert (await http.get(f"/api/v1/imports/{created['id']}", headers=other_headers)).status_code == 404
    assert (await http.get("/api/v1/imports/not-an-id", headers=other_headers)).status_code == 404
    assert (await http.get(f"/api/v1/imports/{created['id']}", headers=read_only)).status_code == 403
    assert await _count(services, other, CustomerRow) == 0


@postgres_only
async def test_a_large_import_leaves_fresh_statistics_for_what_it_filled(
    http: Any, services: Services, database: DatabaseUnderTest
) -> None:
    """After a large import the filled tables are analyzed (migration 0012), so the next
    import's foreign-key checks and lookups are planned for their real size."""
    tenant = await new_tenant(services)
    headers = await api_headers(http, services, tenant)
    owner = create_async_engine(database.owner_url)

    async def analyzed() -> dict[str, int]:
        async with owner.connect() as conn:
            # Counters are cached per transaction: read them fresh.
            await conn.execute(text("SELECT pg_stat_clear_snapshot()"))
            rows = await conn.execute(
                text("SELECT relname, analyze_count FROM pg_stat_user_tables WHERE relname IN "
                     "('customers', 'invoices', 'installments', 'ledger_entries')")
            )  # fmt: skip
            return {name: int(count) for name, count in rows}

    try:
        before = await analyzed()
        small = "codigo;nome\n" + "\n".join(f"S{i};Cliente {i}" for i in range(10))
        response = await http.post("/api/v1/imports/customers", files=_files(small.encode()), headers=headers)
        assert response.json()["status"] == "completed"
        assert await analyzed() == before  # small imports leave it to autovacuum
        big = "codigo;nome\n" + "\n".join(f"B{i};Cliente {i}" for i in range(1_000))
        response = await http.post("/api/v1/imports/customers", files=_files(big.encode()), headers=headers)
        assert response.json()["status"] == "completed"
        after = await analyzed()
    finally:
        await owner.dispose()
    assert after["customers"] == before["customers"] + 1
    assert after["invoices"] == before["invoices"]  # only what the import filled
