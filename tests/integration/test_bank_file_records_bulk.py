"""Bulk writing of bank file records (``SqlBankFileRepository.add_records``): the rows and
their JSON arrive intact, scoped to the tenant, on SQLite and on PostgreSQL (where they
travel as one ``INSERT … SELECT FROM unnest`` under row-level security); and why that is
not ``COPY``: PostgreSQL refuses ``COPY FROM`` into a table with RLS, even for the app role
with its tenant set."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy.exc import DBAPIError

from app.adapters.db.base import utcnow
from app.adapters.db.models import BankFileRow
from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.domain.shared.ids import new_id
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.databases import DatabaseUnderTest, postgres_only
from tests.support.factories import new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")


def _file_row() -> BankFileRow:
    return BankFileRow(
        id=new_id(),
        filename="RET.RET",
        sha256=uuid.uuid4().hex * 2,
        size=1,
        kind="cnab240_return",
        header_account={},
        uploaded_by="test",
        uploaded_at=utcnow(),
        source="upload",
        status="processing",
        errors=[],
        totals={},
    )


def _record(file_id: uuid.UUID, line_no: int) -> dict[str, object]:
    return {
        "id": new_id(),
        "file_id": file_id,
        "line_no": line_no,
        "raw": f"{line_no:05d}" + "x" * 235,
        "parsed": {"nosso_numero": f"{line_no:017d}", "valor": "12.34", "nome": 'José Ñ "q"'},
        "outcome": "settled",
        "status": "applied" if line_no % 2 else "queued",
        "error_code": None if line_no % 2 else "no_match",
        "error": None,
        "record_key": f"104-k-{line_no}",
        "amount_minor": 1234 + line_no,
        "value_date": date(2026, 11, 20),
        "reference": f"{line_no}",
        "installment_id": None,
        "customer_id": None,
        "payment_id": None,
        "proposals": None if line_no % 2 else [{"score": 0.5}],
        "resolution": None,
        "updated_at": utcnow(),
    }


async def _new_file(services: Services, tenant_id: uuid.UUID) -> uuid.UUID:
    async with services.uow(system_principal(tenant_id, "test")) as uow:
        row = _file_row()
        SqlBankFileRepository(uow.session, uow.tenant).add(row)
        await uow.commit()
        return row.id


async def test_add_records_writes_every_row_with_its_json_for_the_tenant_only(services: Services) -> None:
    mine, other = await new_tenant(services), await new_tenant(services)
    file_id = await _new_file(services, mine.id)
    rows = [_record(file_id, n) for n in range(2, 1_202)]
    async with services.uow(system_principal(mine.id, "test")) as uow:
        await SqlBankFileRepository(uow.session, uow.tenant).add_records(rows)
        await uow.commit()
    async with services.uow(system_principal(mine.id, "test")) as uow:
        stored = await SqlBankFileRepository(uow.session, uow.tenant).records_after(file_id, 5_000, None)
    assert [r.line_no for r in stored] == [r["line_no"] for r in rows]
    by_line = {r.line_no: r for r in stored}
    for expected in (rows[0], rows[1], rows[-1]):
        got = by_line[expected["line_no"]]  # type: ignore[index]
        assert got.tenant_id == mine.id
        assert got.parsed == expected["parsed"]
        assert got.proposals == expected["proposals"]
        assert got.raw == expected["raw"]
        assert got.amount_minor == expected["amount_minor"]
        assert got.status == expected["status"]
        assert got.value_date == expected["value_date"]
    async with services.uow(system_principal(other.id, "test")) as uow:
        assert await SqlBankFileRepository(uow.session, uow.tenant).records_after(file_id, 10, None) == []


async def test_a_line_recorded_twice_in_a_file_is_refused(services: Services) -> None:
    # (tenant, file, line) is unique: a batch replayed after a crash cannot double its rows.
    tenant = await new_tenant(services)
    file_id = await _new_file(services, tenant.id)
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        await SqlBankFileRepository(uow.session, uow.tenant).add_records([_record(file_id, 2)])
        await uow.commit()
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        with pytest.raises(DBAPIError):
            await SqlBankFileRepository(uow.session, uow.tenant).add_records([_record(file_id, 2)])


@postgres_only
async def test_copy_into_a_tenant_table_is_refused_for_the_app_role(
    services: Services, database: DatabaseUnderTest
) -> None:
    import asyncpg

    tenant = await new_tenant(services)
    file_id = await _new_file(services, tenant.id)
    record = _record(file_id, 2)
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        repo = SqlBankFileRepository(uow.session, uow.tenant)
        await repo.set(file_id, records=0)  # begins the transaction with app.tenant_id set
        raw = await (await uow.session.connection()).get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        with pytest.raises(asyncpg.FeatureNotSupportedError, match="row-level security"):
            await driver.copy_records_to_table(
                "bank_file_records",
                records=[(tenant.id, record["id"], file_id, 2, "raw", '{"a": 1}', "settled", "applied", 0)],
                columns=[
                    "tenant_id", "id", "file_id", "line_no", "raw", "parsed", "outcome", "status",
                    "amount_minor",
                ],
            )  # fmt: skip
