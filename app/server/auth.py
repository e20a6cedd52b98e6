"""Authentication: a bearer token or a session cookie becomes a ``Principal``.

This is the only module (besides trusted CLI/job entry points) that mints a
``TenantId``: the tenant always comes from the credential, never from the request.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from app.adapters.db import platform_queries as pq
from app.adapters.db.repositories.users import SqlUserRepository
from app.adapters.db.tenancy import bind_tenant
from app.adapters.passwords import token_hash
from app.domain.tenancy.model import Permission, Role, permissions_for
from app.domain.tenancy.principal import MINT_KEY, ActorKind, Principal, TenantId
from app.server.services import Services

SESSION_COOKIE = "cobalto_session"
TOKEN_CACHE_SECONDS = 10.0


def mint_tenant(tenant_id: uuid.UUID) -> TenantId:
    return TenantId(tenant_id, key=MINT_KEY)


def system_principal(tenant_id: uuid.UUID, label: str) -> Principal:
    """For jobs and the CLI, which act for a tenant they read from trusted storage."""
    return Principal(mint_tenant(tenant_id), ActorKind.SYSTEM, None, label, frozenset(Permission))


def client_principal(tenant_id: uuid.UUID, client_id: str, scopes: str) -> Principal:
    granted = frozenset(Permission(s) for s in scopes.split() if s in Permission._value2member_map_)
    return Principal(mint_tenant(tenant_id), ActorKind.CLIENT, None, client_id, granted)


@dataclass(frozen=True)
class WebUser:
    """What the web pages need about the signed-in person."""

    user_id: uuid.UUID
    email: str
    name: str
    roles: tuple[str, ...]
    csrf_token: str
    locale: str | None
    session_hash: str


def user_principal(tenant_id: uuid.UUID, user_id: uuid.UUID, email: str, roles: tuple[str, ...]) -> Principal:
    granted = permissions_for(frozenset(Role(r) for r in roles if r in Role._value2member_map_))
    return Principal(mint_tenant(tenant_id), ActorKind.USER, user_id, email, granted)


class TokenCache:
    """A short-lived per-process cache of token → principal, bounded in size.

    It saves a database round trip on every API call; revocation takes effect in this
    process at once and in the others within ``TOKEN_CACHE_SECONDS``.
    """

    def __init__(self, max_items: int = 10_000) -> None:
        self._items: dict[str, tuple[float, Principal]] = {}
        self._max = max_items

    def get(self, key: str) -> Principal | None:
        hit = self._items.get(key)
        if hit is None:
            return None
        if hit[0] < time.monotonic():
            self._items.pop(key, None)
            return None
        return hit[1]

    def put(self, key: str, principal: Principal, ttl: float) -> None:
        if len(self._items) >= self._max:
            self._items.clear()
        self._items[key] = (time.monotonic() + ttl, principal)

    def drop(self, key: str) -> None:
        self._items.pop(key, None)


async def principal_from_bearer(services: Services, cache: TokenCache, token: str) -> Principal | None:
    key = token_hash(token)
    cached = cache.get(key)
    if cached is not None:
        return cached
    async with services.sessions() as session:
        record = await pq.find_token(session, key)
    if record is None:
        return None
    principal = client_principal(record.tenant_id, record.client_id, record.scope)
    remaining = record.expires_at.timestamp() - time.time()
    cache.put(key, principal, min(TOKEN_CACHE_SECONDS, remaining))
    return principal


async def principal_from_session(services: Services, cookie: str) -> tuple[Principal, WebUser] | None:
    key = token_hash(cookie)
    async with services.sessions() as session:
        ws = await pq.find_web_session(session, key)
        if ws is None:
            return None
        tenant = mint_tenant(ws.tenant_id)
        user_id, csrf = ws.user_id, ws.csrf_token
    async with services.sessions() as session:
        bind_tenant(session, tenant)
        user = await SqlUserRepository(session, tenant).get(user_id)
        if user is None or not user.is_active:
            return None
        roles = tuple(user.roles)
        web_user = WebUser(user.id, user.email, user.name, roles, csrf, user.locale, key)
    return user_principal(ws.tenant_id, user_id, web_user.email, roles), web_user


class AuthMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the principal for every request that needs one.

    API paths accept only bearer tokens; web paths only the session cookie, so a
    browser session can never be used cross-site against the API (no CSRF there).
    """

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        services: Services = connection.app.state.services
        cache: TokenCache = connection.app.state.token_cache
        path = connection.scope["path"]
        if path.startswith("/api/"):
            header = connection.headers.get("authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise NotAuthorizedException("A bearer token is required.")
            principal = await principal_from_bearer(services, cache, token.strip())
            if principal is None:
                raise NotAuthorizedException("The access token is invalid, expired or revoked.")
            return AuthenticationResult(user=principal, auth=None)
        cookie = connection.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise NotAuthorizedException("Please sign in.")
        resolved = await principal_from_session(services, cookie)
        if resolved is None:
            raise NotAuthorizedException("Your session has ended. Please sign in again.")
        return AuthenticationResult(user=resolved[0], auth=resolved[1])
