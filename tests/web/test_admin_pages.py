"""Admin pages: users, roles, activation, OAuth clients, audit log and its CSV export."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from app.server.services import Services
from tests.support.factories import add_customer, bearer_headers, new_client, new_tenant
from tests.support.web import add_user, login, login_as, post_form

pytestmark = pytest.mark.asyncio(loop_scope="session")

ADMIN_PAGES = ["/admin", "/admin/users", "/admin/clients", "/admin/audit", "/admin/audit/export.csv"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
async def test_sales_gets_a_403_page_on_admin_pages(http: Any, services: Services, path: str) -> None:
    tenant = await new_tenant(services)
    await login_as(http, services, tenant, ["sales"])
    response = await http.get(path)
    assert response.status_code == 403
    assert "<html" in response.text and "Forbidden" in response.text


async def test_sales_cannot_post_admin_forms(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await login_as(http, services, tenant, ["sales"])
    invite = await post_form(
        http, "/admin/users/invite", {"email": "x@example.com", "name": "X", "roles": "sales"}
    )
    assert invite.status_code == 403
    client = await post_form(http, "/admin/clients", {"name": "ERP", "scopes": "customers:read"})
    assert client.status_code == 403


async def test_navigation_shows_admin_only_to_those_who_may(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await login(http, tenant.admin_email, tenant.admin_password)
    home = await http.get("/")
    assert 'href="/admin"' in home.text
    users = await http.get("/admin/users")
    assert 'href="/admin/webhooks"' in users.text
    await login_as(http, services, tenant, ["sales"])
    assert 'href="/admin"' not in (await http.get("/")).text


async def test_admin_sets_roles_and_cannot_lock_themselves_out(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US")
    user_id, email = await add_user(services, tenant, ["sales"])
    await login(http, tenant.admin_email, tenant.admin_password)
    response = await post_form(
        http, f"/admin/users/{user_id}/roles", [("roles", "collector"), ("roles", "finance")]
    )
    assert response.status_code == 303
    page = await http.get("/admin/users")
    row = page.text.split(email, 1)[1].split("</tr>", 1)[0]
    assert 'value="collector" checked' in row and 'value="finance" checked' in row
    assert 'value="sales" checked' not in row
    none = await post_form(http, f"/admin/users/{user_id}/roles", {"roles": "not-a-role"})
    assert none.status_code == 422 and "Keep at least one role." in none.text
    me = re.search(r'action="/admin/users/([0-9a-f-]{36})/roles"', page.text.split(tenant.admin_email, 1)[1])
    assert me
    own = await post_form(http, f"/admin/users/{me.group(1)}/roles", {"roles": "sales"})
    assert own.status_code == 422 and "your own administrator role" in own.text
    self_off = await post_form(http, f"/admin/users/{me.group(1)}/active", {"active": "no"})
    assert self_off.status_code == 422 and "cannot deactivate yourself" in self_off.text
    audit = await http.get("/admin/audit?action=set_roles")
    assert "finance" in audit.text


async def test_deactivate_and_reactivate(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US")
    user_id, email = await add_user(services, tenant, ["collector"])
    await login(http, tenant.admin_email, tenant.admin_password)
    assert (await post_form(http, f"/admin/users/{user_id}/active", {"active": "no"})).status_code == 303
    row = (await http.get("/admin/users")).text.split(email, 1)[1].split("</tr>", 1)[0]
    assert "Reactivate" in row
    assert (await post_form(http, f"/admin/users/{user_id}/active", {"active": "yes"})).status_code == 303
    row = (await http.get("/admin/users")).text.split(email, 1)[1].split("</tr>", 1)[0]
    assert "Deactivate" in row


async def test_invite_validates_inline(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US")
    await login(http, tenant.admin_email, tenant.admin_password)
    bad = await post_form(http, "/admin/users/invite", {"email": "nope", "name": ""})
    assert bad.status_code == 422
    assert 'id="e-email">Enter a valid e-mail address.' in bad.text
    assert "Choose at least one role." in bad.text
    again = await post_form(
        http, "/admin/users/invite", {"email": tenant.admin_email, "name": "Dup", "roles": "sales"}
    )
    assert again.status_code == 422 and "already a user" in again.text


async def test_users_of_another_tenant_are_not_found(http: Any, services: Services) -> None:
    mine = await new_tenant(services)
    theirs = await new_tenant(services)
    foreign_id, foreign_email = await add_user(services, theirs, ["sales"])
    await login(http, mine.admin_email, mine.admin_password)
    assert foreign_email not in (await http.get("/admin/users")).text
    assert (
        await post_form(http, f"/admin/users/{foreign_id}/roles", {"roles": "tenant_admin"})
    ).status_code == 404
    assert (await post_form(http, f"/admin/users/{foreign_id}/active", {"active": "no"})).status_code == 404


async def test_oauth_client_secret_is_shown_once_and_works(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="en-US")
    await login(http, tenant.admin_email, tenant.admin_password)
    missing = await post_form(http, "/admin/clients", {"name": ""})
    assert missing.status_code == 422 and "Choose at least one scope." in missing.text
    created = await post_form(
        http,
        "/admin/clients",
        [("name", "ERP <prod>"), ("scopes", "customers:read"), ("scopes", "invoices:read")],
    )
    assert created.status_code == 200
    assert created.headers["cache-control"] == "no-store"
    client_id = re.search(r'value="(cob_[0-9a-f]+)"', created.text).group(1)  # type: ignore[union-attr]
    secret = re.search(r'value="([^"]+)" aria-label="Client secret"', created.text).group(1)  # type: ignore[union-attr]
    assert "ERP &lt;prod&gt;" in created.text
    listing = await http.get("/admin/clients")
    assert client_id in listing.text and secret not in listing.text
    headers = await bearer_headers(http, client_id, secret)
    assert (await http.get("/api/v1/customers", headers=headers)).status_code == 200
    revoked = await post_form(http, f"/admin/clients/{client_id}/revoke", {})
    assert revoked.status_code == 303
    assert "Revoked" in (await http.get("/admin/clients")).text
    again = await post_form(http, f"/admin/clients/{client_id}/revoke", {})
    assert again.status_code == 404
    audit = await http.get("/admin/audit?entity=oauth_client")
    assert "revoke" in audit.text and "create" in audit.text


async def test_clients_of_another_tenant_are_invisible_and_untouchable(http: Any, services: Services) -> None:
    mine = await new_tenant(services)
    theirs = await new_tenant(services)
    foreign_client, _ = await new_client(services, theirs)
    await login(http, mine.admin_email, mine.admin_password)
    assert foreign_client not in (await http.get("/admin/clients")).text
    assert (await post_form(http, f"/admin/clients/{foreign_client}/revoke", {})).status_code == 404


async def test_audit_log_filters_and_never_shows_other_tenants(http: Any, services: Services) -> None:
    mine = await new_tenant(services, locale="en-US")
    theirs = await new_tenant(services)
    await add_customer(services, mine, name="Visible Co")
    await add_customer(services, theirs, name="Hidden Co")
    await login(http, mine.admin_email, mine.admin_password)
    page = await http.get("/admin/audit")
    assert "Visible Co" in page.text and "Hidden Co" not in page.text
    assert "Visible Co" in (await http.get("/admin/audit?entity=customer&actor=system")).text
    assert "Visible Co" not in (await http.get("/admin/audit?entity=invoice")).text
    assert "Visible Co" not in (await http.get("/admin/audit?from=2001-01-01&to=2001-01-02")).text
    partial = await http.get("/admin/audit?entity=customer", headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "Visible Co" in partial.text


async def test_csv_export_is_safe_from_formula_injection(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await add_customer(services, tenant, name='=HYPERLINK("http://evil","x")')
    await add_customer(services, tenant, name="Plain Name")
    await login_as(http, services, tenant, ["auditor"])
    response = await http.get("/admin/audit/export.csv?entity=customer")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:5] == ["at", "actor", "action", "entity", "entity_id"]
    assert len(rows) == 3
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    # The JSON cell still carries the name; the formula cannot run at the start of any cell.
    assert any("HYPERLINK" in cell for row in rows for cell in row)


async def test_audit_read_without_export(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await login_as(http, services, tenant, ["credit_manager"])
    assert (await http.get("/admin/audit")).status_code == 200
    assert "export.csv" not in (await http.get("/admin/audit")).text
    assert (await http.get("/admin/audit/export.csv")).status_code == 403
