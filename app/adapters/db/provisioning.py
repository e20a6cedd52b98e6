"""Platform operations: create tenants, their first admin, and OAuth clients."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.adapters.db.models import OAuthClientRow, TenantRow
from app.adapters.db.platform_queries import get_tenant_by_slug
from app.adapters.db.repositories.users import SqlUserRepository
from app.adapters.db.tenancy import bind_tenant
from app.adapters.passwords import hash_password, secret_digest
from app.domain.shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from app.domain.shared.ids import new_id
from app.domain.tenancy.model import OAUTH_SCOPES, Role, invalid_scopes, parse_scopes
from app.domain.tenancy.principal import TenantId

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


@dataclass(frozen=True)
class NewTenant:
    tenant_id: uuid.UUID
    slug: str
    admin_email: str
    admin_password: str


@dataclass(frozen=True)
class NewClient:
    client_id: str
    client_secret: str
    scopes: str


def generate_password() -> str:
    # Readable, strong, and satisfies the password rule (upper, lower, digit).
    return f"Cb{secrets.token_urlsafe(12)}7x"


async def create_tenant(
    sessions: async_sessionmaker[AsyncSession],
    mint: Callable[[uuid.UUID], TenantId],
    *,
    name: str,
    slug: str,
    admin_email: str,
    admin_name: str = "Administrator",
    currency: str = "BRL",
    locale: str = "pt-BR",
    timezone: str = "America/Sao_Paulo",
    password: str | None = None,
) -> NewTenant:
    """Create a tenant and its first ``tenant_admin``. ``mint`` turns a uuid into a TenantId."""
    errors = []
    if not _SLUG.match(slug):
        errors.append(FieldError("slug", "use lower-case letters, digits and dashes"))
    if "@" not in admin_email:
        errors.append(FieldError("admin_email", "is not a valid e-mail address"))
    if errors:
        raise ValidationFailed(errors)
    password = password or generate_password()
    tenant_id = new_id()
    async with sessions() as session:
        if await get_tenant_by_slug(session, slug):
            raise Conflict(f"a tenant with slug {slug!r} already exists")
        session.add(
            TenantRow(id=tenant_id, slug=slug, name=name, currency=currency, locale=locale, timezone=timezone)
        )
        await session.commit()
    tenant = mint(tenant_id)
    async with sessions() as session:
        bind_tenant(session, tenant)
        await SqlUserRepository(session, tenant).add(
            email=admin_email,
            name=admin_name,
            roles=[Role.TENANT_ADMIN.value],
            password_hash=hash_password(password),
            user_id=new_id(),
        )
        await session.commit()
    return NewTenant(tenant_id, slug, admin_email.strip().lower(), password)


async def create_client(
    sessions: async_sessionmaker[AsyncSession],
    tenant_id: uuid.UUID,
    *,
    name: str,
    scopes: str,
    created_by: str,
) -> NewClient:
    requested = parse_scopes(scopes)
    bad = invalid_scopes(requested)
    if bad or not requested:
        allowed = " ".join(OAUTH_SCOPES)
        raise ValidationFailed(
            [FieldError("scopes", f"unknown scopes {sorted(bad)}; choose from: {allowed}")]
        )
    client_id = f"cob_{secrets.token_hex(12)}"
    secret = secrets.token_urlsafe(32)
    scope_text = " ".join(sorted(requested))
    async with sessions() as session:
        session.add(
            OAuthClientRow(
                client_id=client_id,
                tenant_id=tenant_id,
                name=name,
                secret_hash=secret_digest(secret),
                scopes=scope_text,
                created_by=created_by,
            )
        )
        await session.commit()
    return NewClient(client_id, secret, scope_text)


async def tenant_id_by_slug(sessions: async_sessionmaker[AsyncSession], slug: str) -> uuid.UUID:
    async with sessions() as session:
        row = await get_tenant_by_slug(session, slug)
    if row is None:
        raise NotFound(f"no tenant with slug {slug!r}")
    return row.id
