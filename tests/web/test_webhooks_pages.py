"""Webhook admin pages: create (secret shown once), delivery log, replay, access rules."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from app import api, web
from app.jobs.consumers import handle_event
from app.jobs.webhook_delivery import deliver
from app.server.app_factory import create_app
from app.server.services import Services
from app.web import webhooks_pages
from tests.support.factories import add_customer, new_tenant
from tests.support.jobs import job_context, relay
from tests.support.web import login, login_as, post_form
from tests.support.webhook_receiver import webhook_receiver

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(loop_scope="session")
async def portal(services: Services) -> AsyncIterator[Any]:
    """The app with the webhook pages (added here until app/web registers them)."""
    handlers = web.route_handlers()
    if webhooks_pages.WebhookAdminPages not in handlers:
        handlers = [*handlers, *webhooks_pages.ROUTES]
    app = create_app(
        services,
        [*api.route_handlers(), *handlers],
        template_dir=web.TEMPLATE_DIR,
        static_dir=web.STATIC_DIR,
        on_startup=[],
        on_shutdown=[],
        template_callables=web.template_callables(),
    )
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        yield client


async def test_admin_registers_sees_log_and_replays(portal: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await login(portal, tenant.admin_email, tenant.admin_password)
    with webhook_receiver() as receiver:
        refused = await post_form(portal, "/admin/webhooks", {"url": "http://10.0.0.1/x", "event_types": "*"})
        assert refused.status_code == 422 and "private address" in refused.text

        created = await post_form(
            portal, "/admin/webhooks", {"url": receiver.url, "event_types": "customer.*"}
        )
        assert created.status_code == 200, created.text
        assert created.headers["cache-control"] == "no-store"
        secret = re.search(r'value="(whsec_[^"]+)"', created.text)
        assert secret
        receiver.secret = secret.group(1)
        endpoint_id = re.search(r'href="/admin/webhooks/([0-9a-f-]{36})"', created.text).group(1)  # type: ignore[union-attr]

        listing = await portal.get("/admin/webhooks")
        assert receiver.url in listing.text and "whsec_" not in listing.text

        ctx, kept, _clock = job_context(services)
        await add_customer(services, tenant)
        for envelope in await relay(services, tenant, kept):
            await handle_event(ctx, envelope)
        [task] = kept.take_tasks()
        assert await deliver(ctx, task) == "succeeded"

        page = await portal.get(f"/admin/webhooks/{endpoint_id}")
        assert page.status_code == 200
        assert "customer.created" in page.text and task.delivery_id in page.text
        replayed = await post_form(portal, f"/admin/webhooks/deliveries/{task.delivery_id}/replay", {})
        assert replayed.status_code == 303
        page = await portal.get(f"/admin/webhooks/{endpoint_id}")
        assert "Pending" in page.text
        await ctx.aclose()

        disabled = await post_form(portal, f"/admin/webhooks/{endpoint_id}/enabled", {"enabled": "no"})
        assert disabled.status_code == 303
        assert "disabled by a user" in (await portal.get(f"/admin/webhooks/{endpoint_id}")).text


async def test_access_rules(portal: Any, services: Services) -> None:
    owner = await new_tenant(services)
    await login(portal, owner.admin_email, owner.admin_password)
    created = await post_form(portal, "/admin/webhooks", {"url": "http://127.0.0.1:9/x", "event_types": "*"})
    endpoint_id = re.search(r'href="/admin/webhooks/([0-9a-f-]{36})"', created.text).group(1)  # type: ignore[union-attr]

    portal.cookies.clear()
    anonymous = await portal.get("/admin/webhooks")
    assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["location"]

    await login_as(portal, services, owner, ["sales"])
    assert (await portal.get("/admin/webhooks")).status_code == 403

    await login_as(portal, services, owner, ["auditor"])  # may read, not write
    assert (await portal.get(f"/admin/webhooks/{endpoint_id}")).status_code == 200
    assert (
        await post_form(portal, f"/admin/webhooks/{endpoint_id}/enabled", {"enabled": "no"})
    ).status_code == 403
    assert (await post_form(portal, "/admin/webhooks", {"url": "http://127.0.0.1:9/y"})).status_code == 403

    other = await new_tenant(services)
    await login(portal, other.admin_email, other.admin_password)
    assert (await portal.get(f"/admin/webhooks/{endpoint_id}")).status_code == 404
    assert (await post_form(portal, f"/admin/webhooks/{endpoint_id}/delete", {})).status_code == 404
    assert "127.0.0.1:9/x" not in (await portal.get("/admin/webhooks")).text
