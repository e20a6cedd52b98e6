"""Permission guards: the one place where a route's permission is enforced.

Each controller declares ``guards=[requires(Permission.X)]``; the policy table in
``app.domain.tenancy.model`` says which roles and scopes grant it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from app.domain.tenancy.model import Permission
from app.domain.tenancy.principal import Principal

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def requires(*permissions: Permission) -> Guard:
    # A coroutine function on purpose: Litestar runs a plain function guard in its thread
    # pool, a hop (and a queue of a few threads) on every request for a set lookup.
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        principal = connection.scope.get("user")
        if not isinstance(principal, Principal):
            raise NotAuthorizedException("Authentication required.")
        missing = [p.value for p in permissions if not principal.can(p)]
        if missing:
            what = "scope" if principal.actor_kind.value == "client" else "permission"
            raise PermissionDeniedException(f"Missing {what}: {', '.join(missing)}.")

    guard.__name__ = f"requires_{'_'.join(p.name.lower() for p in permissions)}"
    return guard


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = connection.scope.get("user")
    if not isinstance(principal, Principal):
        raise NotAuthorizedException("Authentication required.")
    return principal
