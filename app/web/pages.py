"""What every page handler shares: the signed-in shell, rendering, forms and parsing."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal
from litestar import Request
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.response import Template

from app.adapters.db import platform_queries as pq
from app.adapters.db.queries_web import WebQueries
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.shared.clock import Clock, SystemClock
from app.domain.shared.errors import Conflict, FieldError
from app.domain.tenancy.model import Permission, TenantProfile
from app.domain.tenancy.principal import Principal
from app.server.auth import WebUser
from app.server.guards import principal_of
from app.server.services import Services
from app.web.format import normalize_locale

PER_PAGE = 25


@dataclass(frozen=True)
class Shell:
    """The signed-in person, their tenant and locale: what the layout needs."""

    principal: Principal
    user: WebUser
    tenant: TenantProfile
    locale: str
    today: date

    def can(self, permission: str) -> bool:
        return self.principal.can(Permission(permission))

    @property
    def is_admin_area(self) -> bool:
        return any(
            self.principal.can(p)
            for p in (Permission.USERS_MANAGE, Permission.CLIENTS_MANAGE, Permission.AUDIT_READ)
        )


def services_of(request: Request[Any, Any, Any]) -> Services:
    return request.app.state.services


def clock_of(services: Services) -> Clock:
    clock = services.extras.get("clock")
    return clock if clock is not None else SystemClock()  # type: ignore[return-value]


async def shell(request: Request[Any, Any, Any]) -> Shell:
    principal = principal_of(request)
    user = request.auth
    if not isinstance(user, WebUser):
        raise NotAuthorizedException("Please sign in.")
    services = services_of(request)
    async with services.sessions() as session:
        tenant = await pq.get_tenant(session, principal.tenant.value)
    if tenant is None:
        raise NotAuthorizedException("Please sign in.")
    locale = normalize_locale(user.locale or tenant.locale)
    return Shell(principal, user, tenant, locale, clock_of(services).today(tenant.timezone))


def uow_of(request: Request[Any, Any, Any], sh: Shell) -> SqlUnitOfWork:
    return services_of(request).uow(sh.principal, request_id=request.headers.get("x-request-id"))


def queries(uow: SqlUnitOfWork) -> WebQueries:
    return WebQueries(uow.session, uow.tenant)


def render(
    sh: Shell | None, template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any
) -> Template:
    base: dict[str, Any] = {"locale": sh.locale if sh else context.pop("locale", "en-US")}
    if sh is not None:
        base.update(shell=sh, today=sh.today)
    base.update(context)
    return Template(template, context=base, status_code=status, headers=headers)


def is_partial(request: Request[Any, Any, Any]) -> bool:
    """An HTMX request for a fragment; a history restore needs the whole page."""
    return bool(request.headers.get("hx-request")) and not request.headers.get("hx-history-restore-request")


def parse_uuid(raw: str) -> uuid.UUID:
    """A malformed id is simply not found."""
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise NotFoundException("Not found.") from exc


def parse_date_param(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def parse_page(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 100_000))
    except ValueError:
        return 1


def field_errors(errors: list[FieldError]) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in errors:
        out.setdefault(e.field, e.message)
    return out


def conflict_errors(exc: Conflict) -> list[FieldError]:
    """A clash shown next to the field the domain named, or above the form."""
    return [FieldError(exc.field or "__all__", exc.detail)]


async def form_data(request: Request[Any, Any, Any]) -> dict[str, str]:
    form = await request.form()
    return {k: str(v) for k, v in form.items() if k != "_csrf_token" and isinstance(v, str)}


async def form_list(request: Request[Any, Any, Any], key: str) -> list[str]:
    form = await request.form()
    return [str(v) for v in form.getall(key, [])]


_PLAIN_DECIMAL = re.compile(r"^\d+(\.\d+)?$")


def parse_amount_input(raw: str, locale: str) -> str:
    """Read an amount typed the local way ("1.234,56" in pt-BR) into "1234.56".

    Anything that is not a clear number is passed through untouched so the domain
    rule reports it next to the field.
    """
    text = raw.strip().replace(" ", "")
    if not text:
        return text
    try:
        return str(parse_decimal(text, locale=normalize_locale(locale).replace("-", "_"), strict=True))
    except NumberFormatError:
        if _PLAIN_DECIMAL.match(text):
            try:
                return str(Decimal(text))
            except InvalidOperation:
                return text
        return text


def safe_next(raw: str | None) -> str:
    """Only same-site paths: never an open redirect to another host."""
    if raw and raw.startswith("/") and not raw.startswith("//") and "\\" not in raw:
        return raw
    return "/"


def accept_locale(request: Request[Any, Any, Any]) -> str:
    """Before sign-in there is no user or tenant: follow the browser's first language."""
    header = request.headers.get("accept-language", "")
    first = header.split(",", 1)[0].split(";", 1)[0].strip()
    return normalize_locale(first or None)
