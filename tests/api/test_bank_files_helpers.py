"""Shared setup for the bank-file tests (no tests here)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.adapters.db.repositories.settlement import SqlInstallmentRefs
from app.domain.settlement.service import nosso_numero_key
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import TenantInfo, add_customer, add_invoice, api_headers

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT.parent / "shared" / "fixtures" / "banks"
RETURNS = FIXTURES / "brcobranca" / "retorno"
SCOPES = "bank_files:read bank_files:write"

# The Banco do Brasil CNAB 240 return's header (brcobranca CNAB240.RET).
BB_ACCOUNT = {"bank_code": "001", "agency": "01234", "account": "5432", "agreement": "0019999570014"}
# The account of tests/fixtures/statements/camt053_v08_pix_batch.xml
# (IBAN BR18 00360305 00001 0009795493 C 1: Caixa, agency 1, account 979549-3).
CAMT_ACCOUNT = {"bank_code": "104", "agency": "0001", "account": "979549", "digit": "3", "agreement": ""}


async def headers(http: Any, services: Services, tenant: TenantInfo, scopes: str = SCOPES) -> dict[str, str]:
    return await api_headers(http, services, tenant, scopes)


async def create_account(http: Any, hdrs: dict[str, str], **data: Any) -> dict[str, Any]:
    response = await http.post("/api/v1/bank-accounts", json={**BB_ACCOUNT, **data}, headers=hdrs)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def upload(
    http: Any, hdrs: dict[str, str], data: bytes, name: str = "RET.RET", account_id: str | None = None
) -> Any:
    fields = {"bank_account_id": account_id} if account_id else None
    return await http.post(
        "/api/v1/bank-files",
        files={"file": (name, data, "application/octet-stream")},
        data=fields,
        headers=hdrs,
    )


async def seed_installments(
    services: Services, tenant: TenantInfo, titles: list[tuple[str, int]]
) -> list[uuid.UUID]:
    """One invoice (one installment) per (nosso número, face value in centavos)."""
    customer = await add_customer(services, tenant)
    ids: list[uuid.UUID] = []
    for nosso, face in titles:
        invoice = await add_invoice(
            services,
            tenant,
            customer.id,
            amount=str(Decimal(face) / 100),
            due_date="2011-12-20",
            issue_date="2011-11-20",
        )
        async with services.uow(system_principal(tenant.id, "test")) as uow:
            refs = SqlInstallmentRefs(uow.session, uow.tenant)
            (inst,) = await refs.of_invoice(invoice.id)
            await refs.set_refs(inst.installment_id, bank_reference=nosso_numero_key(nosso))
            await uow.commit()
        ids.append(inst.installment_id)
    return ids


async def installment_open(services: Services, tenant: TenantInfo, installment_id: uuid.UUID) -> int:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        row = await SqlInstallmentRefs(uow.session, uow.tenant).get_row(installment_id)
        assert row is not None
        return row.open_minor


# --- makers of another tenant's resources (tests/api/test_cross_tenant.py) ----------


async def make_bank_account(services: Services, tenant: TenantInfo, **fields: str) -> str:
    from app.adapters.db.models import BankAccountRow
    from app.adapters.db.repositories.settlement import SqlBankAccountRepository
    from app.domain.shared.ids import new_id

    async with services.uow(system_principal(tenant.id, "test")) as uow:
        row = BankAccountRow(id=new_id(), name="x", bank_code="001", agency="1", account=uuid.uuid4().hex[:8])
        row.agency_digit = row.digit = row.agreement = row.wallet = row.company_tax_id = row.company_name = ""
        row.pix_city = ""
        for name, value in fields.items():
            setattr(row, name, value)
        row.layout = "cnab240"
        SqlBankAccountRepository(uow.session, uow.tenant).add(row)
        await uow.commit()
    return str(row.id)


async def _ingest(services: Services, tenant: TenantInfo, data: bytes) -> uuid.UUID:
    from app.adapters.db.repositories.settlement_apply import ports_for
    from app.adapters.db.repositories.settlement_runner import process_file, register_file
    from app.adapters.db.repositories.settlement_store import BankFileStore

    store = BankFileStore.under(services.settings.var_dir)
    sha, size = store.put_bytes(data)

    def factory() -> Any:
        return services.uow(system_principal(tenant.id, "test"))

    file_id = await register_file(factory, store, sha256=sha, size=size, filename="f", bank_account_id=None)
    await process_file(factory, store, file_id, ports_for)
    return file_id


async def make_bank_file(services: Services, tenant: TenantInfo) -> str:
    return str(await _ingest(services, tenant, (RETURNS / "CNAB240.RET").read_bytes()))


async def _first_record(services: Services, tenant: TenantInfo, file_id: uuid.UUID, status: str) -> str:
    from app.adapters.db.repositories.settlement import SqlBankFileRepository

    async with services.uow(system_principal(tenant.id, "test")) as uow:
        rows = await SqlBankFileRepository(uow.session, uow.tenant).records_with_status(
            [status], 1, None, file_id
        )
    return str(rows[0].id)


async def make_queued_record(services: Services, tenant: TenantInfo) -> str:
    file_id = await _ingest(services, tenant, (RETURNS / "CNAB240.RET").read_bytes())
    return await _first_record(services, tenant, file_id, "queued")


async def make_review_line(services: Services, tenant: TenantInfo) -> str:
    camt = ROOT / "tests" / "fixtures" / "statements" / "camt053_v08_pix_batch.xml"
    await make_bank_account(services, tenant, **CAMT_ACCOUNT)  # else its lines wait for one
    file_id = await _ingest(services, tenant, camt.read_bytes())
    return await _first_record(services, tenant, file_id, "review")


async def make_remittance(services: Services, tenant: TenantInfo) -> str:
    from datetime import UTC, datetime

    from app.adapters.db.models import RemittanceRow
    from app.domain.shared.ids import new_id

    account_id = uuid.UUID(await make_bank_account(services, tenant))
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        row = RemittanceRow(
            tenant_id=tenant.id,
            id=new_id(),
            bank_account_id=account_id,
            file_sequence=1,
            layout="cnab240",
            filename="r.rem",
            sha256="0" * 64,
            content=b"x",
            instructions=[],
            created_by="test",
            created_at=datetime.now(UTC),
        )
        uow.session.add(row)
        await uow.commit()
    return str(row.id)
