"""Shared bits of the API handlers: the unit of work for the caller's tenant."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request

from app.adapters.db.uow import SqlUnitOfWork
from app.domain.shared.errors import NotFound
from app.server.guards import principal_of
from app.server.services import Services


def uow_for(request: Request[Any, Any, Any]) -> SqlUnitOfWork:
    services: Services = request.app.state.services
    return services.uow(principal_of(request), request_id=request.headers.get("x-request-id"))


def parse_id(raw: str, what: str) -> uuid.UUID:
    """A malformed id is simply not found: ids are opaque to clients."""
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise NotFound(f"{what} not found") from exc
