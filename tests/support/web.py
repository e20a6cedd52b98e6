"""Drive the web portal like a browser: CSRF cookie + token, session cookie, forms."""

from __future__ import annotations

import re
import uuid
from typing import Any

from app.adapters.passwords import hash_password
from app.domain.shared.ids import new_id
from app.server.auth import system_principal
from app.server.services import Services
from tests.support.factories import TenantInfo

CSRF_COOKIE = "cobalto_csrf"
SESSION_COOKIE = "cobalto_session"
PASSWORD = "Correct-Horse-42-battery"
_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def csrf_token(http: Any) -> str:
    """The token a page would embed in its forms (the CSRF cookie is set by any GET)."""
    token = http.cookies.get(CSRF_COOKIE)
    if token:
        return str(token)
    page = await http.get("/login")
    match = _TOKEN.search(page.text)
    assert match, "the login page carries no CSRF token"
    return match.group(1)


async def post_form(http: Any, url: str, data: dict[str, Any] | list[tuple[str, str]], **kw: Any) -> Any:
    token = await csrf_token(http)
    items = list(data.items()) if isinstance(data, dict) else list(data)
    form: dict[str, Any] = {}
    for key, value in [*items, ("_csrf_token", token)]:
        # Repeated keys (checkboxes) become lists, which httpx sends as repeated fields.
        if key in form:
            previous = form[key]
            form[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            form[key] = value
    return await http.post(url, data=form, **kw)


def sign_out_locally(http: Any) -> None:
    """Forget every cookie: the next request is a stranger's."""
    http.cookies.clear()


async def login(http: Any, email: str, password: str) -> None:
    sign_out_locally(http)
    response = await post_form(http, "/login", {"email": email, "password": password})
    assert response.status_code == 303, response.text
    assert http.cookies.get(SESSION_COOKIE), "no session cookie after signing in"


async def add_user(
    services: Services,
    tenant: TenantInfo,
    roles: list[str],
    *,
    email: str | None = None,
    password: str = PASSWORD,
    locale: str | None = None,
) -> tuple[uuid.UUID, str]:
    """A user with a password, made through the repository (as an invitation would end)."""
    email = email or f"{roles[0]}-{uuid.uuid4().hex[:6]}@{tenant.slug}.example.com"
    user_id = new_id()
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        row = await uow.users.add(
            email=email,
            name=f"User {roles[0]}",
            roles=roles,
            password_hash=hash_password(password),
            user_id=user_id,
        )
        row.locale = locale
        await uow.commit()
    return user_id, email


async def login_as(
    http: Any, services: Services, tenant: TenantInfo, roles: list[str], **kw: Any
) -> uuid.UUID:
    user_id, email = await add_user(services, tenant, roles, **kw)
    await login(http, email, kw.get("password", PASSWORD))
    return user_id
