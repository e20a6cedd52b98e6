"""``Idempotency-Key`` for POSTs: the same key and body give the same response once.

The key row is written in the same transaction as the change it protects, so a
create and its key land together. A concurrent duplicate loses on the unique key
and then answers with the stored response.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from litestar import Request, Response
from sqlalchemy import select

from app.adapters.db.models import IdempotencyRow
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.shared.errors import Conflict, FieldError, ValidationFailed
from app.domain.shared.ids import new_id

Create = Callable[[], Awaitable[tuple[int, Any, dict[str, str]]]]
MAX_KEY = 255


def _fingerprint(request: Request[Any, Any, Any], body: bytes) -> str:
    h = hashlib.sha256()
    h.update(request.method.encode())
    h.update(request.url.path.encode())
    h.update(b"\0")
    h.update(body)
    return h.hexdigest()


async def _stored(uow: SqlUnitOfWork, key: str) -> IdempotencyRow | None:
    stmt = select(IdempotencyRow).where(
        IdempotencyRow.tenant_id == uow.tenant.value,
        IdempotencyRow.actor == uow.actor,
        IdempotencyRow.key == key,
    )
    return (await uow.session.execute(stmt)).scalar()


def _replay(row: IdempotencyRow, fingerprint: str) -> Response[bytes]:
    if row.request_hash != fingerprint:
        raise ValidationFailed(
            [FieldError("Idempotency-Key", "was already used with a different request body")],
            detail="This Idempotency-Key was used for a different request.",
        )
    headers = dict(row.response_headers or {})
    headers["Idempotent-Replayed"] = "true"
    return Response(
        row.response_body or b"",
        status_code=row.status_code or 200,
        media_type="application/json",
        headers=headers,
    )


async def run_idempotent(
    request: Request[Any, Any, Any], uow: SqlUnitOfWork, create: Create
) -> Response[Any]:
    key = request.headers.get("idempotency-key")
    if key is None:
        status, payload, headers = await create()
        await uow.commit()
        return Response(payload, status_code=status, headers=headers)
    key = key.strip()
    if not key or len(key) > MAX_KEY:
        raise ValidationFailed([FieldError("Idempotency-Key", f"must be 1 to {MAX_KEY} characters")])
    fingerprint = _fingerprint(request, await request.body())
    existing = await _stored(uow, key)
    if existing is not None:
        return _replay(existing, fingerprint)
    status, payload, headers = await create()
    body = msgspec.json.encode(payload)
    uow.session.add(
        IdempotencyRow(
            tenant_id=uow.tenant.value,
            id=new_id(),
            actor=uow.actor,
            key=key,
            request_hash=fingerprint,
            method_path=f"{request.method} {request.url.path}"[:300],
            status_code=status,
            response_body=body,
            response_headers=headers,
        )
    )
    try:
        await uow.commit()
    except Conflict:
        # Lost a race with the same key: answer with the winner's stored response.
        existing = await _stored(uow, key)
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    return Response(body, status_code=status, media_type="application/json", headers=headers)
