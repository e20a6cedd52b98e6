"""Inbound webhooks: ``POST /webhooks/in/pix/{endpoint_token}`` (BACEN shape).

Authentication, both required:

* the path token (created with ``POST /api/v1/pix/webhook-endpoints``): its first 32
  hex characters are the tenant id, the whole token's SHA-256 must be a live endpoint
  of that tenant;
* ``X-Cobalto-Signature: t=<unix seconds>,v1=<hex>`` where ``v1`` is
  HMAC-SHA256(endpoint secret, ``"<t>.<raw body>"``). A timestamp more than
  ``TOLERANCE`` seconds in the past or in the future is refused (replays of captured
  requests), as is a bad signature: 401 either way, with no detail on which.

Processing (inbox pattern): each receipt is inserted into ``pix_events`` keyed by
``pix:<endToEndId>`` (unique per tenant) and applied only when the insert succeeds,
so a replayed endToEndId never pays twice; refunds (``devolucoes``) are keyed by
their own id and reverse the payment's allocations before refunding it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any

from litestar import Request, Response, post
from litestar.params import FromPath
from sqlalchemy.exc import IntegrityError

from app.adapters.db.models import PixEndpointRow, PixEventRow
from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.adapters.db.repositories.settlement_apply import ports_for
from app.adapters.db.uow import SqlUnitOfWork
from app.api.pix import endpoint_secret, token_hash
from app.domain.settlement.service import apply_settlement
from app.domain.settlement.service_pix import PixReceipt, parse_notification, pix_settlement
from app.domain.shared.ids import new_id
from app.server.auth import system_principal
from app.server.problems import problem
from app.server.services import Services

TOLERANCE = 300
SIGNATURE_HEADER = "x-cobalto-signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def _signature_ok(header: str, secret: str, body: bytes, now: float) -> bool:
    parts = dict(p.strip().split("=", 1) for p in header.split(",") if "=" in p)
    try:
        ts = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - ts) > TOLERANCE:
        return False
    expected = sign(secret, ts, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


async def _endpoint(uow: SqlUnitOfWork, hashed: str) -> PixEndpointRow | None:
    repo = SqlBankFileRepository(uow.session, uow.tenant)
    stmt = repo.scoped(PixEndpointRow).where(
        PixEndpointRow.token_hash == hashed, PixEndpointRow.revoked_at.is_(None)
    )
    return (await uow.session.execute(stmt)).scalar()


async def _inbox(uow: SqlUnitOfWork, row: PixEventRow) -> bool:
    """Insert the event; False when its key is already there (a replay)."""
    try:
        async with uow.session.begin_nested():
            uow.session.add(row)
            await uow.session.flush()
    except IntegrityError:
        return False
    return True


async def _receipt(uow: SqlUnitOfWork, r: PixReceipt) -> tuple[int, int]:
    new = dup = 0
    files = SqlBankFileRepository(uow.session, uow.tenant)
    port = ports_for(uow)
    event = PixEventRow(
        tenant_id=uow.tenant.value,
        id=new_id(),
        event_key=r.external_id[:80],
        kind="receipt",
        end_to_end_id=r.end_to_end_id,
        txid=r.txid,
        amount_minor=r.amount.minor,
        occurred_at=r.at,
        payload=json.loads(json.dumps(r.raw, default=str)),
        status="received",
    )
    if await _inbox(uow, event):
        new += 1
        installment = await files.installment_by_txid(r.txid) if r.txid else None
        applied = await apply_settlement(port, pix_settlement(r, installment))
        event.payment_id = applied.payment_id
        event.installment_id = installment.installment_id if installment else None
        event.status = "applied" if installment else "queued"
        event.error = None if installment else f"no installment has txid {r.txid or '(none)'}: kept as credit"
    else:
        dup += 1
    for refund in r.refunds:
        rev = PixEventRow(
            tenant_id=uow.tenant.value,
            id=new_id(),
            event_key=f"refund:{r.end_to_end_id}:{refund.id}"[:80],
            kind="refund",
            end_to_end_id=r.end_to_end_id,
            txid=r.txid,
            amount_minor=refund.amount.minor,
            occurred_at=refund.at,
            payload={"id": refund.id, "valor": str(refund.amount.amount), "status": refund.status},
            status="received",
        )
        if not await _inbox(uow, rev):
            dup += 1
            continue
        new += 1
        on = (refund.at or r.at).date()
        payment_id = await port.reverse(r.external_id, refund.amount, on, f"PIX devolução {refund.id}")
        rev.payment_id = payment_id
        rev.status = "applied" if payment_id else "queued"
        rev.error = None if payment_id else "refund of a receipt never recorded"
    return new, dup


@post(
    "/webhooks/in/pix/{endpoint_token:str}",
    summary="Inbound PIX notifications (BACEN webhook shape), HMAC-signed",
    include_in_schema=False,
    status_code=200,
    request_max_body_size=1024 * 1024,
)
async def pix_webhook(request: Request[Any, Any, Any], endpoint_token: FromPath[str]) -> Response[Any]:
    services: Services = request.app.state.services
    body = await request.body()
    try:
        tenant_id = uuid.UUID(hex=endpoint_token[:32])
    except ValueError:
        return problem(401, "unknown endpoint or bad signature")
    hashed = token_hash(endpoint_token)
    principal = system_principal(tenant_id, "pix-webhook")
    async with services.uow(principal, request_id=request.headers.get("x-request-id")) as uow:
        endpoint = await _endpoint(uow, hashed)
        header = request.headers.get(SIGNATURE_HEADER, "")
        if endpoint is None or not _signature_ok(
            header, endpoint_secret(services, hashed), body, time.time()
        ):
            return problem(401, "unknown endpoint or bad signature")
        try:
            receipts = parse_notification(json.loads(body or b"null"))
        except json.JSONDecodeError:
            return problem(400, "the body is not JSON")
        new = dup = 0
        for r in receipts:
            n, d = await _receipt(uow, r)
            new, dup = new + n, dup + d
        await uow.commit()
    return Response({"received": len(receipts), "processed": new, "duplicates": dup}, status_code=200)
