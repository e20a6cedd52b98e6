"""Sign in, sign out, CSRF, rate limits, tenant choice and invitations, through the real app."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import httpx
import pytest

from app.main import build_app
from app.server.services import Services
from tests.support.factories import new_tenant
from tests.support.web import (
    PASSWORD,
    SESSION_COOKIE,
    add_user,
    csrf_token,
    login,
    login_as,
    post_form,
    sign_out_locally,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

PAGES = [
    "/",
    "/customers",
    "/customers/new",
    "/invoices",
    "/invoices/new",
    "/admin",
    "/admin/users",
    "/admin/clients",
    "/admin/audit",
    "/admin/audit/export.csv",
]


async def test_login_opens_a_session_with_a_safe_cookie(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, name="Acme Receivables")
    sign_out_locally(http)
    response = await post_form(
        http, "/login", {"email": tenant.admin_email, "password": tenant.admin_password}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie or "SameSite=lax" in cookie
    assert "Max-Age=43200" in cookie
    home = await http.get("/")
    assert home.status_code == 200
    assert "Acme Receivables" in home.text


async def test_login_goes_back_to_the_page_asked_for_but_never_off_site(
    http: Any, services: Services
) -> None:
    tenant = await new_tenant(services)
    sign_out_locally(http)
    data = {
        "email": tenant.admin_email,
        "password": tenant.admin_password,
        "next": "/invoices?status=overdue",
    }
    response = await post_form(http, "/login", data)
    assert response.headers["location"] == "/invoices?status=overdue"
    sign_out_locally(http)
    response = await post_form(http, "/login", {**data, "next": "//evil.example.com/"})
    assert response.headers["location"] == "/"


async def test_wrong_password_is_refused_without_a_session(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    sign_out_locally(http)
    response = await post_form(http, "/login", {"email": tenant.admin_email, "password": "Wrong-password-1"})
    assert response.status_code == 400
    assert "e-mail or password is not right" in response.text
    assert not http.cookies.get(SESSION_COOKIE)
    unknown = await post_form(http, "/login", {"email": "nobody@nowhere.example", "password": "Whatever-123"})
    assert unknown.status_code == 400
    assert "e-mail or password is not right" in unknown.text


async def test_login_is_rate_limited_per_ip_and_email(services: Services) -> None:
    tenant = await new_tenant(services)
    strict = Services(
        settings=replace(services.settings, login_rate_per_minute=2),
        engine=services.engine,
        sessions=services.sessions,
    )
    app = build_app(services=strict, start_jobs=False)
    transport = httpx.ASGITransport(app=app, client=("10.9.8.7", 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        statuses = []
        for _ in range(6):  # a window may roll over once; six tries still cross the limit
            response = await post_form(
                client, "/login", {"email": tenant.admin_email, "password": "Bad-guess-123"}
            )
            statuses.append(response.status_code)
            if response.status_code == 429:
                break
        assert statuses[-1] == 429, statuses
        assert "Too many attempts" in response.text
        assert "<form" in response.text  # the sign-in page, not a bare error
        assert int(response.headers["retry-after"]) >= 1


async def test_a_form_post_without_the_csrf_token_is_rejected(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    sign_out_locally(http)
    await http.get("/login")  # the CSRF cookie alone is not enough
    response = await http.post(
        "/login", data={"email": tenant.admin_email, "password": tenant.admin_password}
    )
    assert response.status_code == 403
    assert not http.cookies.get(SESSION_COOKIE)
    await login(http, tenant.admin_email, tenant.admin_password)
    token = await csrf_token(http)
    forged = await http.post("/customers", data={"name": "Forged", "_csrf_token": token[:-4] + "abcd"})
    assert forged.status_code == 403


async def test_logout_closes_the_server_side_session(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await login(http, tenant.admin_email, tenant.admin_password)
    stolen = http.cookies.get(SESSION_COOKIE)
    response = await post_form(http, "/logout", {})
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    # Even a copy of the old cookie no longer opens anything.
    http.cookies.set(SESSION_COOKIE, stolen, domain="testserver.local")
    again = await http.get("/customers")
    assert again.status_code == 302
    assert again.headers["location"].startswith("/login")


@pytest.mark.parametrize("path", PAGES)
async def test_pages_send_strangers_to_the_login(http: Any, services: Services, path: str) -> None:
    sign_out_locally(http)
    response = await http.get(path)
    assert response.status_code == 302
    assert response.headers["location"].startswith("/login")


async def test_htmx_requests_without_a_session_redirect_the_whole_page(http: Any) -> None:
    sign_out_locally(http)
    response = await http.get("/customers", headers={"HX-Request": "true"})
    assert response.headers["hx-redirect"].startswith("/login")


@pytest.mark.parametrize("path", PAGES)
async def test_pages_open_for_an_admin(http: Any, services: Services, path: str) -> None:
    tenant = await new_tenant(services)
    await login(http, tenant.admin_email, tenant.admin_password)
    response = await http.get(path, follow_redirects=True)
    assert response.status_code == 200, response.text[:500]


async def test_one_email_in_two_tenants_chooses_where_to_work(http: Any, services: Services) -> None:
    first = await new_tenant(services, name="Alpha Distribuidora")
    second = await new_tenant(services, name="Beta Atacado")
    email = f"shared-{first.slug}@example.com"
    await add_user(services, first, ["collector"], email=email)
    await add_user(services, second, ["finance"], email=email)
    sign_out_locally(http)
    response = await post_form(http, "/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Alpha Distribuidora" in response.text and "Beta Atacado" in response.text
    assert not http.cookies.get(SESSION_COOKIE)
    ticket = re.search(r'name="ticket" value="([^"]+)"', response.text)
    assert ticket
    # A ticket cannot be stretched to a tenant it was not issued for.
    other = await new_tenant(services)
    bad = await post_form(http, "/login/tenant", {"ticket": ticket.group(1), "tenant_id": str(other.id)})
    assert bad.status_code == 400
    chosen = await post_form(http, "/login/tenant", {"ticket": ticket.group(1), "tenant_id": str(second.id)})
    assert chosen.status_code == 303
    home = await http.get("/")
    assert "Beta Atacado" in home.text


async def test_tampered_tenant_ticket_is_refused(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    sign_out_locally(http)
    response = await post_form(http, "/login/tenant", {"ticket": "e30.deadbeef", "tenant_id": str(tenant.id)})
    assert response.status_code == 400
    assert not http.cookies.get(SESSION_COOKIE)


async def test_invited_user_sets_a_password_once(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await login(http, tenant.admin_email, tenant.admin_password)
    email = f"new-{tenant.slug}@example.com"
    response = await post_form(
        http, "/admin/users/invite", [("email", email), ("name", "Nova Pessoa"), ("roles", "collector")]
    )
    assert response.status_code == 200, response.text
    link = re.search(r"http://testserver\.local(/invite/[^\"]+)", response.text)
    assert link
    path = link.group(1)
    sign_out_locally(http)
    # Before accepting, the invited person cannot sign in.
    refused = await post_form(http, "/login", {"email": email, "password": "Anything-123456"})
    assert refused.status_code == 400
    form = await http.get(path)
    assert form.status_code == 200 and "Nova Pessoa" in form.text
    weak = await post_form(http, path, {"password": "short", "password_repeat": "short"})
    assert weak.status_code == 422
    assert re.search(r'class="error" id="e-password">[^<]*at least 12 characters', weak.text)
    differ = await post_form(
        http, path, {"password": "Good-Pass-2026x", "password_repeat": "Good-Pass-2026y"}
    )
    assert differ.status_code == 422 and "differ" in differ.text
    accepted = await post_form(
        http, path, {"password": "Good-Pass-2026x", "password_repeat": "Good-Pass-2026x"}
    )
    assert accepted.status_code == 303
    assert (await http.get("/customers")).status_code == 200
    sign_out_locally(http)
    assert (await http.get(path)).status_code == 404  # used up
    await login(http, email, "Good-Pass-2026x")


async def test_invitation_token_of_another_shape_is_not_found(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    sign_out_locally(http)
    for token in ("nonsense", f"{tenant.id.hex}.guess", f"{tenant.id.hex}."):
        assert (await http.get(f"/invite/{token}")).status_code == 404


async def test_a_deactivated_user_is_signed_out_and_cannot_sign_in(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    user_id, email = await add_user(services, tenant, ["collector"])
    await login(http, email, PASSWORD)
    their_cookie = http.cookies.get(SESSION_COOKIE)
    await login(http, tenant.admin_email, tenant.admin_password)
    response = await post_form(http, f"/admin/users/{user_id}/active", {"active": "no"})
    assert response.status_code == 303
    sign_out_locally(http)
    http.cookies.set(SESSION_COOKIE, their_cookie, domain="testserver.local")
    assert (await http.get("/")).status_code == 302
    sign_out_locally(http)
    refused = await post_form(http, "/login", {"email": email, "password": PASSWORD})
    assert refused.status_code == 400


async def test_user_locale_changes_the_interface_language(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US", currency="USD")
    await login_as(http, services, tenant, ["collector"], locale="es-MX")
    page = await http.get("/customers")
    assert "Clientes" in page.text and "Facturas" in page.text
