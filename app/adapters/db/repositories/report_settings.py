"""The tenant's report e-mail settings, stored in ``tenants.settings["reports"]``."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.db.models import TenantRow
from app.domain.reporting.settings import SETTINGS_KEY, ReportSettings
from app.domain.tenancy.principal import TenantId


async def load_report_settings(session: AsyncSession, tenant: TenantId) -> ReportSettings:
    raw = (await session.execute(select(TenantRow.settings).where(TenantRow.id == tenant.value))).scalar()
    return ReportSettings.from_settings(raw or {})


async def save_report_settings(session: AsyncSession, tenant: TenantId, settings: ReportSettings) -> None:
    """Replace the reports part of the tenant's settings, keeping the other parts (the
    caller audits and commits)."""
    stmt = select(TenantRow.settings).where(TenantRow.id == tenant.value).with_for_update()
    current = (await session.execute(stmt)).scalar()
    merged = dict(current or {})
    merged[SETTINGS_KEY] = settings.to_settings()
    await session.execute(update(TenantRow).where(TenantRow.id == tenant.value).values(settings=merged))
