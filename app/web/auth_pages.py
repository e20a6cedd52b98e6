"""Sign in, choose a tenant, sign out, accept an invitation.

These paths are public (no session needed); Litestar's CSRF middleware still guards
every POST. Sessions are server-side rows keyed by the SHA-256 of the cookie value.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
import uuid
from datetime import timedelta
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.exceptions import TooManyRequestsException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.adapters.db import platform_queries as pq
from app.adapters.db.base import utcnow
from app.adapters.db.queries_web import WebQueries
from app.adapters.passwords import hash_password, new_token, password_problem, token_hash, verify_password
from app.server.auth import SESSION_COOKIE, system_principal, user_principal
from app.server.ratelimit import client_ip, enforce
from app.server.services import Services
from app.web.format import normalize_locale
from app.web.pages import accept_locale, render, safe_next, services_of

SESSION_HOURS = 12
TICKET_SECONDS = 300
BAD_LOGIN = "The e-mail or password is not right."


def _session_cookie(services: Services, value: str, max_age: int) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=value,
        path="/",
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=services.settings.secure_cookies,
    )


async def start_session(
    request: Request[Any, Any, Any],
    services: Services,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    email: str,
    target: str,
) -> Response[Any]:
    """Open a server-side session for a verified login and send the person on."""
    cookie = new_token()
    principal = user_principal(tenant_id, user_id, email, ())
    async with services.uow(principal) as uow:
        user = await uow.users.get(user_id)
        if user is None or not user.is_active:
            return _login_page(request, email=email, error=BAD_LOGIN, status=400)
        expires = utcnow() + timedelta(hours=SESSION_HOURS)
        await uow.users.open_session(user_id, token_hash(cookie), new_token(24), expires)
        await uow.commit()
    return Redirect(
        safe_next(target),
        status_code=303,
        cookies=[_session_cookie(services, cookie, SESSION_HOURS * 3600)],
    )


def _login_page(
    request: Request[Any, Any, Any],
    *,
    email: str = "",
    error: str | None = None,
    status: int = 200,
    next_path: str = "",
    headers: dict[str, str] | None = None,
) -> Template:
    return render(
        None,
        "auth/login.html",
        status=status,
        headers=headers,
        locale=accept_locale(request),
        email=email,
        error=error,
        next=next_path,
    )


# --- the tenant-choice ticket ------------------------------------------------
# When one e-mail has a verified password in several tenants, the person picks one.
# The choice travels in a short-lived HMAC-signed ticket, so the password is neither
# stored nor sent again.


def _sign(secret: str, payload: bytes) -> str:
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def make_ticket(secret: str, email: str, choices: dict[str, str]) -> str:
    body = json.dumps({"e": email, "c": choices, "x": int(time.time()) + TICKET_SECONDS}).encode()
    encoded = base64.urlsafe_b64encode(body).decode()
    return f"{encoded}.{_sign(secret, body)}"


def read_ticket(secret: str, ticket: str) -> tuple[str, dict[str, str]] | None:
    encoded, _, signature = ticket.partition(".")
    try:
        body = base64.urlsafe_b64decode(encoded.encode())
        data = json.loads(body)
    except (ValueError, json.JSONDecodeError):
        return None
    if not hmac.compare_digest(_sign(secret, body), signature):
        return None
    if not isinstance(data, dict) or int(data.get("x", 0)) < time.time():
        return None
    return str(data["e"]), dict(data["c"])


@get("/login", name="login", include_in_schema=False)
async def login_form(request: Request[Any, Any, Any]) -> Template:
    return _login_page(request, next_path=request.query_params.get("next") or "")


@post("/login", include_in_schema=False)
async def login(request: Request[Any, Any, Any]) -> Response[Any]:
    services = services_of(request)
    form = await request.form()
    email = str(form.get("email") or "").strip().lower()[:254]
    password = str(form.get("password") or "")
    next_path = str(form.get("next") or "")
    try:
        await enforce(
            services, "login", f"{client_ip(request)}:{email}", services.settings.login_rate_per_minute
        )
    except TooManyRequestsException as exc:
        headers = dict(exc.headers or {})
        return _login_page(
            request, email=email, error=exc.detail, status=429, next_path=next_path, headers=headers
        )
    if not email or not password:
        return _login_page(
            request, email=email, error="Enter your e-mail and password.", status=400, next_path=next_path
        )
    async with services.sessions() as session:
        logins = await pq.find_logins(session, email)
    if not logins:
        await verify_password(None, password)  # same time spent whether or not the e-mail exists
        return _login_page(request, email=email, error=BAD_LOGIN, status=400, next_path=next_path)
    results = await asyncio.gather(*(verify_password(row.password_hash, password) for row in logins))
    matches = [row for row, ok in zip(logins, results, strict=True) if ok]
    if not matches:
        return _login_page(request, email=email, error=BAD_LOGIN, status=400, next_path=next_path)
    if len(matches) == 1:
        only = matches[0]
        return await start_session(request, services, only.tenant_id, only.user_id, email, next_path)
    choices = {str(m.tenant_id): str(m.user_id) for m in matches}
    names: list[tuple[str, str]] = []
    async with services.sessions() as session:
        for m in matches:
            profile = await pq.get_tenant(session, m.tenant_id)
            names.append((str(m.tenant_id), profile.name if profile else str(m.tenant_id)))
    names.sort(key=lambda pair: pair[1].lower())
    return render(
        None,
        "auth/choose_tenant.html",
        locale=accept_locale(request),
        ticket=make_ticket(services.settings.secret_key, email, choices),
        tenants=names,
        next=next_path,
    )


@post("/login/tenant", include_in_schema=False)
async def choose_tenant(request: Request[Any, Any, Any]) -> Response[Any]:
    services = services_of(request)
    form = await request.form()
    ticket = read_ticket(services.settings.secret_key, str(form.get("ticket") or ""))
    chosen = str(form.get("tenant_id") or "")
    if ticket is None or chosen not in ticket[1]:
        return _login_page(request, error="That sign-in took too long. Please sign in again.", status=400)
    email, choices = ticket
    return await start_session(
        request, services, uuid.UUID(chosen), uuid.UUID(choices[chosen]), email, str(form.get("next") or "")
    )


@post("/logout", include_in_schema=False)
async def logout(request: Request[Any, Any, Any]) -> Response[Any]:
    services = services_of(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        key = token_hash(cookie)
        async with services.sessions() as session:
            ws = await pq.find_web_session(session, key)
        if ws is not None:
            principal = user_principal(ws.tenant_id, ws.user_id, "logout", ())
            async with services.uow(principal) as uow:
                await uow.users.close_session(key)
                await uow.commit()
    return Redirect("/login", status_code=303, cookies=[_session_cookie(services, "", 0)])


# --- invitations -------------------------------------------------------------
# The token is "<tenant hex>.<random>": the prefix only says where to look; the
# random part, matched by hash inside that tenant, is the credential.


def invite_token(tenant_id: uuid.UUID) -> str:
    return f"{tenant_id.hex}.{new_token()}"


async def _find_invite(services: Services, token: str) -> tuple[uuid.UUID, Any] | None:
    prefix, _, secret = token.partition(".")
    try:
        tenant_id = uuid.UUID(hex=prefix)
    except ValueError:
        return None
    if not secret:
        return None
    async with services.uow(system_principal(tenant_id, "invite")) as uow:
        user = await WebQueries(uow.session, uow.tenant).user_by_invite(token_hash(token))
    return (tenant_id, user) if user is not None else None


def _invite_gone() -> Template:
    return render(
        None,
        "error.html",
        status=404,
        title="Invitation not found",
        detail="This invitation link is not valid any more. Ask your administrator for a new one.",
    )


@get("/invite/{token:str}", include_in_schema=False)
async def invite_form(request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
    found = await _find_invite(services_of(request), token)
    if found is None:
        return _invite_gone()
    user = found[1]
    return render(
        None, "auth/invite.html", locale=normalize_locale(user.locale), user=user, token=token, errors={}
    )


@post("/invite/{token:str}", include_in_schema=False)
async def accept_invite(request: Request[Any, Any, Any], token: FromPath[str]) -> Response[Any]:
    services = services_of(request)
    found = await _find_invite(services, token)
    if found is None:
        return _invite_gone()
    tenant_id, user = found
    form = await request.form()
    password = str(form.get("password") or "")
    repeat = str(form.get("password_repeat") or "")
    errors: dict[str, str] = {}
    problem = password_problem(password)
    if problem:
        errors["password"] = f"Password {problem}."
    elif password != repeat:
        errors["password_repeat"] = "The two passwords differ."
    if errors:
        return render(None, "auth/invite.html", status=422, user=user, token=token, errors=errors)
    hashed = await asyncio.to_thread(hash_password, password)
    principal = user_principal(tenant_id, user.id, user.email, ())
    async with services.uow(principal) as uow:
        queries = WebQueries(uow.session, uow.tenant)
        # Re-check inside this transaction: a token works once.
        again = await queries.user_by_invite(token_hash(token))
        if again is None or again.id != user.id:
            return _invite_gone()
        await uow.users.set_password(user.id, hashed)
        await queries.clear_invite(user.id)
        uow.audit("accept_invite", "user", str(user.id), None, {"email": user.email})
        await uow.commit()
    return await start_session(request, services, tenant_id, user.id, user.email, "/")


ROUTES = [login_form, login, choose_tenant, logout, invite_form, accept_invite]
