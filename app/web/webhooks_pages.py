"""Administration of outbound webhooks: endpoints, the secret shown once, the delivery
log and replay."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.adapters.webhooks import endpoints as uc
from app.adapters.webhooks.store import WebhookStore
from app.domain.shared.errors import Conflict, NotFound, ValidationFailed
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.server.webhook_config import secret_box, url_policy
from app.web.pages import Shell, field_errors, form_data, parse_uuid, render, services_of, shell, uow_of

NO_STORE = {"Cache-Control": "no-store"}
LOG_ROWS = 50
READ = [requires(Permission.WEBHOOKS_READ)]
WRITE = [requires(Permission.WEBHOOKS_WRITE)]


def _event_types(raw: str) -> list[str]:
    return [part for part in raw.replace(",", " ").split() if part]


class WebhookAdminPages(Controller):
    path = "/admin/webhooks"
    include_in_schema = False

    @get("/", guards=READ)
    async def list_endpoints(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        return await _list_page(request, sh, {"event_types": "*"}, {})

    @post("/", guards=WRITE)
    async def create(self, request: Request[Any, Any, Any]) -> Response[Any]:
        sh = await shell(request)
        values = await form_data(request)
        services = services_of(request)
        description = values.get("description", "").strip()[:200] or None
        try:
            async with uow_of(request, sh) as uow:
                row, secret = await uc.create_endpoint(
                    uow,
                    secret_box(services),
                    url_policy(services),
                    url=values.get("url", ""),
                    description=description,
                    event_types=_event_types(values.get("event_types", "")),
                )
                await uow.commit()
        except ValidationFailed as exc:
            return await _list_page(request, sh, values, field_errors(exc.errors), status=422)
        except Conflict as exc:
            return await _list_page(request, sh, values, {"url": exc.detail}, status=409)
        # The secret is on this page only; the database keeps it encrypted.
        return render(sh, "admin/webhook_created.html", headers=NO_STORE, endpoint=row, secret=secret)

    @get("/{endpoint_id:str}", guards=READ)
    async def detail(self, request: Request[Any, Any, Any], endpoint_id: FromPath[str]) -> Template:
        sh = await shell(request)
        async with uow_of(request, sh) as uow:
            store = WebhookStore(uow.session, uow.tenant)
            endpoint = await store.endpoint(parse_uuid(endpoint_id))
            if endpoint is None:
                raise NotFoundException("This webhook endpoint does not exist.")
            deliveries = await store.deliveries(endpoint.id, LOG_ROWS)
            attempts = {d.id: await store.attempts(d.id) for d in deliveries if d.status != "succeeded"}
        return render(
            sh, "admin/webhook_detail.html", endpoint=endpoint, deliveries=deliveries, attempts=attempts
        )

    @post("/{endpoint_id:str}/enabled", guards=WRITE)
    async def set_enabled(self, request: Request[Any, Any, Any], endpoint_id: FromPath[str]) -> Response[Any]:
        sh = await shell(request)
        enabled = (await form_data(request)).get("enabled") == "yes"
        try:
            async with uow_of(request, sh) as uow:
                row = await uc.update_endpoint(
                    uow,
                    url_policy(services_of(request)),
                    parse_uuid(endpoint_id),
                    uc.EndpointChanges(is_enabled=enabled),
                )
                await uow.commit()
        except NotFound as exc:
            raise NotFoundException(exc.detail) from exc
        return Redirect(f"/admin/webhooks/{row.id}", status_code=303)

    @post("/{endpoint_id:str}/delete", guards=WRITE)
    async def delete(self, request: Request[Any, Any, Any], endpoint_id: FromPath[str]) -> Response[Any]:
        sh = await shell(request)
        try:
            async with uow_of(request, sh) as uow:
                await uc.delete_endpoint(uow, parse_uuid(endpoint_id))
                await uow.commit()
        except NotFound as exc:
            raise NotFoundException(exc.detail) from exc
        return Redirect("/admin/webhooks", status_code=303)

    @post("/deliveries/{delivery_id:str}/replay", guards=WRITE)
    async def replay(self, request: Request[Any, Any, Any], delivery_id: FromPath[str]) -> Response[Any]:
        sh = await shell(request)
        try:
            async with uow_of(request, sh) as uow:
                row = await uc.replay_delivery(uow, parse_uuid(delivery_id))
                await uow.commit()
        except NotFound as exc:
            raise NotFoundException(exc.detail) from exc
        runtime = services_of(request).extras.get("jobs")
        pump = getattr(runtime, "pump", None)
        if pump is not None:
            pump.wake()
        return Redirect(f"/admin/webhooks/{row.endpoint_id}", status_code=303)


async def _list_page(
    request: Request[Any, Any, Any],
    sh: Shell,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Template:
    async with uow_of(request, sh) as uow:
        endpoints = await WebhookStore(uow.session, uow.tenant).endpoints()
    return render(sh, "admin/webhooks.html", status=status, endpoints=endpoints, values=values, errors=errors)


ROUTES = [WebhookAdminPages]
