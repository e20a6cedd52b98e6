"""/api/v1/webhook-endpoints and /api/v1/webhook-deliveries (Standard Webhooks)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from msgspec import UNSET, Meta, UnsetType

from app.adapters.db.models import WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow
from app.adapters.webhooks import endpoints as uc
from app.adapters.webhooks.store import WebhookStore
from app.api.deps import parse_id, uow_for
from app.domain.shared.errors import NotFound
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.server.pagination import decode_cursor, encode_cursor
from app.server.services import Services
from app.server.webhook_config import secret_box, url_policy

Url = Annotated[str, Meta(min_length=8, max_length=2000, examples=["https://erp.example.com/hooks/cobalto"])]
EventType = Annotated[str, Meta(min_length=1, max_length=80, examples=["invoice.*"])]
Description = Annotated[str, Meta(max_length=200)]
Limit = Annotated[int, QueryParameter(ge=1, le=100, description="Page size (at most 100).")]
DeliveryStatus = Annotated[str | None, QueryParameter(pattern="^(pending|succeeded|failed)$")]


class EndpointIn(msgspec.Struct, forbid_unknown_fields=True):
    url: Url
    description: Description | None = None
    event_types: Annotated[list[EventType], Meta(max_length=50)] = msgspec.field(
        default_factory=lambda: ["*"]
    )


class EndpointPatch(msgspec.Struct, forbid_unknown_fields=True):
    url: Url | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET
    event_types: Annotated[list[EventType], Meta(max_length=50)] | UnsetType = UNSET
    is_enabled: bool | UnsetType = UNSET


class EndpointOut(msgspec.Struct):
    id: str
    url: str
    description: str | None
    event_types: list[str]
    is_enabled: bool
    disabled_reason: str | None
    failing_since: str | None
    created_at: str
    updated_at: str


class EndpointWithSecret(EndpointOut):
    # Shown once, at creation or rotation; only an encrypted copy is kept.
    secret: str


class EndpointList(msgspec.Struct):
    items: list[EndpointOut]


class DeliveryOut(msgspec.Struct):
    id: str
    endpoint_id: str
    event_id: str
    event_type: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: str | None
    created_at: str
    delivered_at: str | None


class DeliveryPage(msgspec.Struct):
    items: list[DeliveryOut]
    next_cursor: str | None


class AttemptOut(msgspec.Struct):
    attempt: int
    attempted_at: str
    status_code: int | None
    response_excerpt: str | None
    error: str | None
    duration_ms: int


class DeliveryDetail(DeliveryOut):
    payload: dict[str, Any]
    log: list[AttemptOut]


def _endpoint(row: WebhookEndpointRow) -> EndpointOut:
    return EndpointOut(**uc.snapshot(row))


def _delivery(row: WebhookDeliveryRow) -> DeliveryOut:
    return DeliveryOut(**uc.delivery_snapshot(row))


def _attempt(row: WebhookAttemptRow) -> AttemptOut:
    return AttemptOut(
        attempt=row.attempt,
        attempted_at=row.attempted_at.isoformat(),
        status_code=row.status_code,
        response_excerpt=row.response_excerpt,
        error=row.error,
        duration_ms=row.duration_ms,
    )


def _services(request: Request[Any, Any, Any]) -> Services:
    services: Services = request.app.state.services
    return services


def _wake_jobs(services: Services) -> None:
    """Replays become due at once; nudge this process's scheduler if it runs one."""
    runtime = services.extras.get("jobs")
    pump = getattr(runtime, "pump", None)
    if pump is not None:
        pump.wake()


READ = [{"oauth2": ["webhooks:read"]}]
WRITE = [{"oauth2": ["webhooks:write"]}]


class WebhookEndpointController(Controller):
    path = "/api/v1/webhook-endpoints"
    tags = ["webhooks"]
    security = READ

    @get("/", guards=[requires(Permission.WEBHOOKS_READ)], summary="List webhook endpoints")
    async def list_endpoints(self, request: Request[Any, Any, Any]) -> EndpointList:
        async with uow_for(request) as uow:
            rows = await WebhookStore(uow.session, uow.tenant).endpoints()
        return EndpointList(items=[_endpoint(r) for r in rows])

    # Not idempotency-keyed on purpose: a replayed response would have to store the
    # plaintext signing secret.
    @post(
        "/",
        guards=[requires(Permission.WEBHOOKS_WRITE)],
        summary="Register a webhook endpoint (the response shows its secret once)",
        status_code=201,
        security=WRITE,
    )
    async def create_endpoint(
        self, request: Request[Any, Any, Any], data: JSONBody[EndpointIn]
    ) -> Response[EndpointWithSecret]:
        services = _services(request)
        async with uow_for(request) as uow:
            row, secret = await uc.create_endpoint(
                uow,
                secret_box(services),
                url_policy(services),
                url=data.url,
                description=data.description,
                event_types=data.event_types,
            )
            await uow.commit()
        body = EndpointWithSecret(**uc.snapshot(row), secret=secret)
        return Response(
            body,
            status_code=201,
            headers={"Location": f"/api/v1/webhook-endpoints/{row.id}", "Cache-Control": "no-store"},
        )

    @get("/{endpoint_id:str}", guards=[requires(Permission.WEBHOOKS_READ)], summary="Get a webhook endpoint")
    async def get_endpoint(self, request: Request[Any, Any, Any], endpoint_id: FromPath[str]) -> EndpointOut:
        async with uow_for(request) as uow:
            row = await WebhookStore(uow.session, uow.tenant).endpoint(
                parse_id(endpoint_id, "webhook endpoint")
            )
        if row is None:
            raise NotFound("webhook endpoint not found")
        return _endpoint(row)

    @patch(
        "/{endpoint_id:str}",
        guards=[requires(Permission.WEBHOOKS_WRITE)],
        summary="Change a webhook endpoint (is_enabled=true re-enables a disabled one)",
        security=WRITE,
    )
    async def patch_endpoint(
        self, request: Request[Any, Any, Any], endpoint_id: FromPath[str], data: JSONBody[EndpointPatch]
    ) -> EndpointOut:
        changes = uc.EndpointChanges(
            url=None if data.url is UNSET else data.url,
            description=data.description if isinstance(data.description, str) else None,
            clear_description=data.description is None,
            event_types=None if data.event_types is UNSET else data.event_types,
            is_enabled=None if data.is_enabled is UNSET else data.is_enabled,
        )
        async with uow_for(request) as uow:
            row = await uc.update_endpoint(
                uow, url_policy(_services(request)), parse_id(endpoint_id, "webhook endpoint"), changes
            )
            await uow.commit()
        return _endpoint(row)

    @delete(
        "/{endpoint_id:str}",
        guards=[requires(Permission.WEBHOOKS_WRITE)],
        summary="Delete a webhook endpoint and its delivery log",
        security=WRITE,
    )
    async def delete_endpoint(self, request: Request[Any, Any, Any], endpoint_id: FromPath[str]) -> None:
        async with uow_for(request) as uow:
            await uc.delete_endpoint(uow, parse_id(endpoint_id, "webhook endpoint"))
            await uow.commit()

    @post(
        "/{endpoint_id:str}/rotate-secret",
        guards=[requires(Permission.WEBHOOKS_WRITE)],
        summary="Replace the signing secret (the response shows the new one once)",
        status_code=200,
        security=WRITE,
    )
    async def rotate_secret(
        self, request: Request[Any, Any, Any], endpoint_id: FromPath[str]
    ) -> Response[EndpointWithSecret]:
        async with uow_for(request) as uow:
            row, secret = await uc.rotate_secret(
                uow, secret_box(_services(request)), parse_id(endpoint_id, "webhook endpoint")
            )
            await uow.commit()
        body = EndpointWithSecret(**uc.snapshot(row), secret=secret)
        return Response(body, headers={"Cache-Control": "no-store"})

    @get(
        "/{endpoint_id:str}/deliveries",
        guards=[requires(Permission.WEBHOOKS_READ)],
        summary="An endpoint's delivery log, newest first",
    )
    async def list_deliveries(
        self,
        request: Request[Any, Any, Any],
        endpoint_id: FromPath[str],
        limit: Limit = 25,
        cursor: FromQuery[str | None] = None,
        status: DeliveryStatus = None,
    ) -> DeliveryPage:
        endpoint_uuid = parse_id(endpoint_id, "webhook endpoint")
        before = parse_id(decode_cursor(cursor, 1)[0], "cursor") if cursor else None
        async with uow_for(request) as uow:
            store = WebhookStore(uow.session, uow.tenant)
            if await store.endpoint(endpoint_uuid) is None:
                raise NotFound("webhook endpoint not found")
            rows = await store.deliveries(endpoint_uuid, limit + 1, before, status)
        page, more = rows[:limit], len(rows) > limit
        return DeliveryPage(
            items=[_delivery(r) for r in page],
            next_cursor=encode_cursor([str(page[-1].id)]) if more and page else None,
        )


class WebhookDeliveryController(Controller):
    path = "/api/v1/webhook-deliveries"
    tags = ["webhooks"]
    security = READ

    @get(
        "/{delivery_id:str}",
        guards=[requires(Permission.WEBHOOKS_READ)],
        summary="A delivery and its attempts",
    )
    async def get_delivery(
        self, request: Request[Any, Any, Any], delivery_id: FromPath[str]
    ) -> DeliveryDetail:
        async with uow_for(request) as uow:
            store = WebhookStore(uow.session, uow.tenant)
            row = await store.delivery(parse_id(delivery_id, "webhook delivery"))
            if row is None:
                raise NotFound("webhook delivery not found")
            attempts = await store.attempts(row.id)
        return DeliveryDetail(
            **uc.delivery_snapshot(row), payload=dict(row.payload), log=[_attempt(a) for a in attempts]
        )

    @post(
        "/{delivery_id:str}/replay",
        guards=[requires(Permission.WEBHOOKS_WRITE)],
        summary="Send a finished delivery again, with a fresh retry schedule",
        status_code=202,
        security=WRITE,
    )
    async def replay(self, request: Request[Any, Any, Any], delivery_id: FromPath[str]) -> DeliveryOut:
        async with uow_for(request) as uow:
            row = await uc.replay_delivery(uow, parse_id(delivery_id, "webhook delivery"))
            await uow.commit()
        _wake_jobs(_services(request))
        return _delivery(row)
