"""Platform-level lookups that happen before a tenant is known: tokens, sessions, logins.

These tables are outside RLS (see ``PLATFORM_TABLES``); every other read goes through a
tenant-bound unit of work.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.db.base import utcnow
from app.adapters.db.models import (
    BankFileRow,
    OAuthClientRow,
    OAuthTokenRow,
    RateLimitRow,
    TenantRow,
    UserLoginRow,
    WebSessionRow,
)
from app.domain.tenancy.model import TenantProfile


def tenant_profile(row: TenantRow) -> TenantProfile:
    return TenantProfile(
        id=row.id,
        slug=row.slug,
        name=row.name,
        currency=row.currency,
        locale=row.locale,
        timezone=row.timezone,
    )


async def get_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> TenantProfile | None:
    row = await session.get(TenantRow, tenant_id)
    return tenant_profile(row) if row else None


async def get_tenant_by_slug(session: AsyncSession, slug: str) -> TenantRow | None:
    return (await session.execute(select(TenantRow).where(TenantRow.slug == slug))).scalar()


@dataclass(frozen=True)
class TokenRecord:
    client_id: str
    tenant_id: uuid.UUID
    scope: str
    expires_at: datetime


async def find_token(session: AsyncSession, token_hash: str) -> TokenRecord | None:
    stmt = (
        select(
            OAuthTokenRow.client_id, OAuthTokenRow.tenant_id, OAuthTokenRow.scope, OAuthTokenRow.expires_at
        )
        .join(OAuthClientRow, OAuthClientRow.client_id == OAuthTokenRow.client_id)
        .where(
            OAuthTokenRow.token_hash == token_hash,
            OAuthTokenRow.revoked_at.is_(None),
            OAuthClientRow.revoked_at.is_(None),
        )
    )
    row = (await session.execute(stmt)).first()
    if row is None:
        return None
    record = TokenRecord(row[0], row[1], row[2], row[3])
    return record if record.expires_at > utcnow() else None


async def get_client(session: AsyncSession, client_id: str) -> OAuthClientRow | None:
    return await session.get(OAuthClientRow, client_id)


async def store_token(
    session: AsyncSession, token_hash: str, client: OAuthClientRow, scope: str, expires_at: datetime
) -> None:
    session.add(
        OAuthTokenRow(
            token_hash=token_hash,
            client_id=client.client_id,
            tenant_id=client.tenant_id,
            scope=scope,
            issued_at=utcnow(),
            expires_at=expires_at,
        )
    )


async def revoke_token(session: AsyncSession, token_hash: str, client_id: str) -> bool:
    result = await session.execute(
        update(OAuthTokenRow)
        .where(OAuthTokenRow.token_hash == token_hash, OAuthTokenRow.client_id == client_id)
        .values(revoked_at=utcnow())
    )
    return bool(getattr(result, "rowcount", 0))


async def find_web_session(session: AsyncSession, token_hash: str) -> WebSessionRow | None:
    ws = await session.get(WebSessionRow, token_hash)
    return ws if ws is not None and ws.expires_at > utcnow() else None


async def find_logins(session: AsyncSession, email: str) -> list[UserLoginRow]:
    rows = await session.execute(
        select(UserLoginRow).where(
            UserLoginRow.email == email.strip().lower(), UserLoginRow.is_active.is_(True)
        )
    )
    return list(rows.scalars())


async def hit_rate_limit(session: AsyncSession, key: str, window_seconds: int) -> tuple[int, int]:
    """Count one hit in the current fixed window; returns (count, seconds until reset)."""
    now = int(utcnow().timestamp())
    window = now - now % window_seconds
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    upsert = (
        insert(RateLimitRow)
        .values(key=key, window_start=window, count=1)
        .on_conflict_do_update(index_elements=["key", "window_start"], set_={"count": RateLimitRow.count + 1})
        .returning(RateLimitRow.count)
    )
    count = (await session.execute(upsert)).scalar_one()
    return int(count), window + window_seconds - now


async def tenants_with_resumable_bank_files(
    session: AsyncSession, at: datetime, uploaded_before: datetime
) -> list[uuid.UUID]:
    """Tenants with a bank file nobody processes: received or processing, with an
    expired lease, or never claimed and uploaded before ``uploaded_before``. Only the
    tenants: their files are read under each tenant's own scope. On PostgreSQL the app
    role sees no tenant rows here, so a SECURITY DEFINER function answers (migration
    0015); SQLite has no row-level security."""
    if session.get_bind().dialect.name == "postgresql":
        result = await session.execute(
            text("SELECT cobalto_tenants_with_resumable_bank_files(:at, :before)"),
            {"at": at, "before": uploaded_before},
        )
        return list(result.scalars())
    stmt = (
        select(BankFileRow.tenant_id)
        .where(
            BankFileRow.status.in_(("received", "processing")),
            or_(
                BankFileRow.lease_until < at,
                and_(BankFileRow.lease_until.is_(None), BankFileRow.uploaded_at < uploaded_before),
            ),
        )
        .distinct()
    )
    return list((await session.execute(stmt)).scalars())
