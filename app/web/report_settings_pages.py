"""Report e-mail settings (tenant admins): who receives the scheduled reports (sales
reps' overdue lists, Finance's daily cash receipts), at what local time, and which
are on. Stored in ``tenants.settings["reports"]``, read by the scheduler and the
senders; every change is audited with the before and after."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template

from app.adapters.db.repositories.report_settings import load_report_settings, save_report_settings
from app.domain.reporting.settings import SCHEDULED_REPORTS, ReportSettings, parse_time
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.web.i18n import translate
from app.web.pages import Shell, form_data, render, shell, uow_of

PATH = "/admin/report-emails"
MAX_FINANCE = 50
MAX_REPS = 500
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _lines(raw: str) -> list[str]:
    return [line.strip() for line in raw.replace("\r", "").split("\n") if line.strip()]


def _finance(raw: str, locale: str, errors: dict[str, str]) -> tuple[str, ...]:
    # One per line; commas and semicolons are accepted too, as people paste lists.
    addresses = [a.strip() for a in re.split(r"[\n,;]+", raw.replace("\r", "")) if a.strip()]
    for a in addresses:
        if not _EMAIL.match(a) or len(a) > 254:
            errors["finance_emails"] = translate(locale, "Not an e-mail address: {value}", value=a[:80])
            break
    if len(addresses) > MAX_FINANCE:
        errors["finance_emails"] = translate(locale, "At most {count} addresses.", count=MAX_FINANCE)
    return tuple(dict.fromkeys(addresses))


def _reps(raw: str, locale: str, errors: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in _lines(raw):
        name, sep, address = line.rpartition("=")
        name, address = name.strip(), address.strip()
        if not sep or not name or not _EMAIL.match(address) or len(name) > 120 or len(address) > 254:
            errors["rep_emails"] = translate(
                locale, "Write each rep as “Name = address”: {value}", value=line[:80]
            )
            break
        out[name] = address
    if len(out) > MAX_REPS:
        errors["rep_emails"] = translate(locale, "At most {count} addresses.", count=MAX_REPS)
    return out


def parse_form(form: Mapping[str, str], locale: str) -> tuple[ReportSettings, dict[str, str]]:
    """The settings a submitted form asks for, and the errors by field."""
    errors: dict[str, str] = {}
    send_at = {}
    for report in SCHEDULED_REPORTS:
        raw = (form.get(f"send_at_{report}") or "").strip()[:5]
        if not _HHMM.match(raw):
            errors[f"send_at_{report}"] = translate(locale, "Enter a time as HH:MM.")
        send_at[report] = parse_time(raw)
    try:
        catch_up = int((form.get("catch_up_days") or "").strip())
        if not 1 <= catch_up <= 31:
            raise ValueError
    except ValueError:
        errors["catch_up_days"] = translate(locale, "Enter a whole number from 1 to 31.")
        catch_up = 7
    settings = ReportSettings(
        enabled=form.get("enabled") == "on",
        send_at=send_at,
        finance_emails=_finance(form.get("finance_emails", ""), locale, errors),
        rep_emails=_reps(form.get("rep_emails", ""), locale, errors),
        catch_up_days=catch_up,
        off=frozenset(r for r in SCHEDULED_REPORTS if form.get(f"on_{r}") != "on"),
    )
    return settings, errors


def _values(settings: ReportSettings) -> dict[str, str]:
    """The form's fields for stored settings."""
    values = {
        "enabled": "on" if settings.enabled else "",
        "finance_emails": "\n".join(settings.finance_emails),
        "rep_emails": "\n".join(f"{name} = {address}" for name, address in settings.rep_emails.items()),
        "catch_up_days": str(settings.catch_up_days),
    }
    for report in SCHEDULED_REPORTS:
        values[f"send_at_{report}"] = settings.time_for(report).strftime("%H:%M")
        values[f"on_{report}"] = "" if report in settings.off else "on"
    return values


def _page(sh: Shell, values: Mapping[str, str], errors: dict[str, str], **extra: Any) -> Template:
    return render(
        sh,
        "admin/report_settings.html",
        status=422 if errors else 200,
        values=values,
        errors=errors,
        reports=SCHEDULED_REPORTS,
        **extra,
    )


class ReportSettingsPages(Controller):
    path = PATH
    include_in_schema = False
    guards = [requires(Permission.SETTINGS_MANAGE)]

    @get("/")
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        async with uow_of(request, sh) as uow:
            current = await load_report_settings(uow.session, uow.tenant)
        return _page(sh, _values(current), {}, saved=request.query_params.get("saved"))

    @post("/")
    async def save(self, request: Request[Any, Any, Any]) -> Response[Any]:
        sh = await shell(request)
        form = await form_data(request)
        wanted, errors = parse_form(form, sh.locale)
        if errors:
            return _page(sh, form, errors)
        async with uow_of(request, sh) as uow:
            before = await load_report_settings(uow.session, uow.tenant)
            if before.to_settings() == wanted.to_settings():
                return Redirect(f"{PATH}?saved=same", status_code=303)
            await save_report_settings(uow.session, uow.tenant, wanted)
            uow.audit(
                "update",
                "report_settings",
                str(sh.principal.tenant.value),
                before.to_settings(),
                wanted.to_settings(),
            )
            await uow.commit()
        return Redirect(f"{PATH}?saved=1", status_code=303)


ROUTES = [ReportSettingsPages]
