"""The tenant's receivables policy, stored in ``tenants.settings["receivables"]``."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.db.models import TenantRow
from app.domain.receivables.service_policy import SETTINGS_KEY, ReceivablesPolicy
from app.domain.tenancy.principal import TenantId


async def load_policy(session: AsyncSession, tenant: TenantId) -> ReceivablesPolicy:
    row = (
        await session.execute(
            select(TenantRow.settings, TenantRow.currency).where(TenantRow.id == tenant.value)
        )
    ).one_or_none()
    if row is None:
        return ReceivablesPolicy("BRL")
    return ReceivablesPolicy.from_settings(row.settings or {}, row.currency)


async def save_policy(session: AsyncSession, tenant: TenantId, policy: ReceivablesPolicy) -> None:
    """Replace the receivables part of the tenant's settings (the caller commits)."""
    current = (await session.execute(select(TenantRow.settings).where(TenantRow.id == tenant.value))).scalar()
    settings = dict(current or {})
    settings[SETTINGS_KEY] = policy.to_settings()
    await session.execute(update(TenantRow).where(TenantRow.id == tenant.value).values(settings=settings))
