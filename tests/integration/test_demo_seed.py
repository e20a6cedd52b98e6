"""The demo tenant: created once with realistic, valid data; a second run changes nothing."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import case, func, select

from app.adapters.db.models import (
    AuditRow,
    BankFileRecordRow,
    BankFileRow,
    CustomerRow,
    InstallmentRow,
    InvoiceRow,
    OutboxRow,
    PaymentRow,
    UserLoginRow,
    UserRow,
)
from app.adapters.db.platform_queries import get_tenant_by_slug
from app.adapters.db.tenancy import bind_tenant
from app.adapters.passwords import verify_password
from app.demo.seed import ADMIN_EMAIL, CUSTOMERS, INVOICES, ensure_demo
from app.domain.customers.tax_ids import is_valid_cnpj
from app.server.auth import mint_tenant
from app.server.services import Services
from tests.support.databases import DatabaseUnderTest, settings_for

pytestmark = pytest.mark.asyncio(loop_scope="session")
TODAY = date(2026, 11, 23)


async def test_demo_seed_once_with_aging_spread(
    database: DatabaseUnderTest, services: Services, tmp_path: Path
) -> None:
    settings = settings_for(database, tmp_path)
    login = await ensure_demo(settings, today=TODAY)
    assert login.email == ADMIN_EMAIL
    stored = tmp_path / "demo-login.json"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600

    async with services.sessions() as session:
        tenant_row = await get_tenant_by_slug(session, "demo")
        assert tenant_row is not None
        assert (tenant_row.name, tenant_row.currency, tenant_row.timezone) == (
            "Demo Distribuidora Ltda",
            "BRL",
            "America/Cuiaba",
        )
        login_row = (
            await session.execute(select(UserLoginRow).where(UserLoginRow.email == ADMIN_EMAIL))
        ).scalar_one()
    assert await verify_password(login_row.password_hash, login.password)
    tenant = mint_tenant(tenant_row.id)

    async def counts() -> dict[str, int]:
        async with services.sessions() as session:
            bind_tenant(session, tenant)
            result = {}
            for name, model in {
                "customers": CustomerRow,
                "invoices": InvoiceRow,
                "users": UserRow,
                "audit": AuditRow,
                "outbox": OutboxRow,
                "installments": InstallmentRow,
                "payments": PaymentRow,
            }.items():
                stmt = select(func.count()).select_from(model).where(model.tenant_id == tenant.value)
                result[name] = int((await session.execute(stmt)).scalar_one())
            return result

    first = await counts()
    assert first["customers"] == CUSTOMERS
    assert first["invoices"] == INVOICES
    assert first["users"] >= 5
    assert first["installments"] == INVOICES
    # Paid and part-paid invoices were settled by real payments through the ledger.
    assert first["payments"] > 250
    assert first["audit"] > CUSTOMERS + INVOICES + first["payments"]
    assert first["outbox"] > CUSTOMERS + INVOICES + first["payments"]

    async with services.sessions() as session:
        bind_tenant(session, tenant)
        customers = (
            await session.execute(
                select(CustomerRow.tax_id, CustomerRow.status, CustomerRow.segment, CustomerRow.region).where(
                    CustomerRow.tenant_id == tenant.value
                )
            )
        ).all()
        late = (
            (func.julianday(TODAY.isoformat()) - func.julianday(InvoiceRow.due_date))
            if database.kind == "sqlite"
            else (TODAY - InvoiceRow.due_date)
        )
        bucket = case(
            (late <= 0, "current"),
            (late <= 30, "1-30"),
            (late <= 60, "31-60"),
            (late <= 90, "61-90"),
            (late <= 180, "91-180"),
            else_="180+",
        )
        aging = dict(
            (
                await session.execute(
                    select(bucket, func.count())
                    .where(InvoiceRow.tenant_id == tenant.value, InvoiceRow.open_minor > 0)
                    .group_by(bucket)
                )
            ).all()
        )
        statuses = dict(
            (
                await session.execute(
                    select(InvoiceRow.status, func.count())
                    .where(InvoiceRow.tenant_id == tenant.value)
                    .group_by(InvoiceRow.status)
                )
            ).all()
        )
    assert all(is_valid_cnpj(c.tax_id) for c in customers)
    assert {c.segment for c in customers} == {"Varejo", "Atacado", "Indústria", "Serviços", "Agro"}
    assert {c.region for c in customers} == {"Centro-Oeste", "Sudeste", "Sul", "Norte", "Nordeste"}
    assert {"active", "inactive", "blocked"} <= {c.status for c in customers}
    assert set(aging) == {"current", "1-30", "31-60", "61-90", "91-180", "180+"}
    assert all(n >= 50 for n in aging.values()), aging
    assert statuses["paid"] > 150 and statuses["partially_paid"] > 80 and statuses["open"] > 2000
    async with services.sessions() as session:
        bind_tenant(session, tenant)
        invoice_open = (
            await session.execute(
                select(func.sum(InvoiceRow.open_minor)).where(InvoiceRow.tenant_id == tenant.value)
            )
        ).scalar_one()
        installment_open = (
            await session.execute(
                select(func.sum(InstallmentRow.open_minor)).where(InstallmentRow.tenant_id == tenant.value)
            )
        ).scalar_one()
    assert invoice_open == installment_open

    # Bank activity: a CNAB return and an OFX statement taken in through the real intake.
    async with services.sessions() as session:
        bind_tenant(session, tenant)
        files = dict(
            (
                await session.execute(
                    select(BankFileRow.kind, BankFileRow.status).where(BankFileRow.tenant_id == tenant.value)
                )
            ).all()
        )
        records = dict(
            (
                await session.execute(
                    select(BankFileRecordRow.status, func.count())
                    .where(BankFileRecordRow.tenant_id == tenant.value)
                    .group_by(BankFileRecordRow.status)
                )
            ).all()
        )
        future_issue = (
            await session.execute(
                select(func.count()).where(
                    InvoiceRow.tenant_id == tenant.value, InvoiceRow.issue_date > TODAY
                )
            )
        ).scalar_one()
        future_payment = (
            await session.execute(
                select(func.count()).where(
                    PaymentRow.tenant_id == tenant.value, PaymentRow.value_date > TODAY
                )
            )
        ).scalar_one()
    assert (future_issue, future_payment) == (0, 0)  # nothing is issued or paid in the future
    assert files == {"cnab240_return": "processed", "ofx": "processed"}, files
    assert records.get("applied", 0) >= 40, records  # 40 titles + statement credits named
    assert records.get("queued", 0) >= 3, records  # unknown nosso números
    assert records.get("review", 0) >= 1, records  # unnamed credits wait for a person

    again = await ensure_demo(settings, today=date(2027, 1, 1))
    assert again == login
    assert await counts() == first
