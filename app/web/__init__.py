"""The web portal for finance teams: server-rendered pages with HTMX."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import pass_context
from jinja2.runtime import Context

from app.domain.customers.tax_ids import display_tax_id
from app.web import format as fmt
from app.web.i18n import translate
from app.web.review_reasons import review_reasons

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def route_handlers() -> list[Any]:
    from app.web import (
        admin_pages,
        aging_pages,
        approvals_pages,
        audit_pages,
        auth_pages,
        bank_files_pages,
        customers_pages,
        home_pages,
        imports_pages,
        installment_docs_pages,
        invoices_pages,
        mailbox_pages,
        payments_pages,
        report_settings_pages,
        reports_pages,
        webhooks_pages,
    )

    return [
        *auth_pages.ROUTES,
        *home_pages.ROUTES,
        *customers_pages.ROUTES,
        *invoices_pages.ROUTES,
        *admin_pages.ROUTES,
        *audit_pages.ROUTES,
        *webhooks_pages.ROUTES,
        *reports_pages.ROUTES,
        *report_settings_pages.ROUTES,
        *aging_pages.ROUTES,
        *mailbox_pages.ROUTES,
        *imports_pages.ROUTES,
        *bank_files_pages.ROUTES,
        *payments_pages.ROUTES,
        *approvals_pages.ROUTES,
        *installment_docs_pages.ROUTES,
    ]


def _locale(ctx: Context) -> str:
    value = ctx.get("locale")
    return value if isinstance(value, str) else "en-US"


@pass_context
def _translate(ctx: Context, text: str, **values: Any) -> str:
    return translate(_locale(ctx), text, **values)


@pass_context
def _money(ctx: Context, amount: Any) -> str:
    return fmt.money(amount, _locale(ctx))


@pass_context
def _money_minor(ctx: Context, minor: int | None, currency: str) -> str:
    return fmt.money_minor(minor, currency, _locale(ctx))


@pass_context
def _number(ctx: Context, value: Any) -> str:
    return fmt.number(value, _locale(ctx))


@pass_context
def _money_text(ctx: Context, amount: str | None, currency: str = "BRL") -> str:
    """An amount that arrives as a decimal string (bank-file records, API shapes)."""
    return fmt.money_text(amount, currency, _locale(ctx))


@pass_context
def _day(ctx: Context, value: date | datetime | str | None, style: str = "medium") -> str:
    return fmt.day(fmt.as_date(value), _locale(ctx), style)


@pass_context
def _moment(ctx: Context, value: datetime | str | None) -> str:
    shell = ctx.get("shell")
    tz = shell.tenant.timezone if shell is not None else "UTC"
    return fmt.moment(fmt.as_datetime(value), _locale(ctx), tz)


@pass_context
def _review_reasons(ctx: Context, stored: str | None) -> str:
    return review_reasons(stored, _locale(ctx))


def _query(params: dict[str, str], **changes: Any) -> str:
    """The list's URL with some parameters changed; empty values are left out."""
    merged = {**params, **{k: "" if v is None else str(v) for k, v in changes.items()}}
    return urlencode({k: v for k, v in merged.items() if v})


def template_callables() -> dict[str, Any]:
    return {
        "_": _translate,
        "money": _money,
        "money_minor": _money_minor,
        "money_text": _money_text,
        "num": _number,
        "day": _day,
        "moment": _moment,
        "query": _query,
        "review_reasons": _review_reasons,
        "tax_id": display_tax_id,
    }
