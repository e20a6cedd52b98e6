"""Home: "what must I do today?" — live figures, each a link to the list behind it.
Panels follow the person's permissions: receivables for everyone who reads invoices,
cash waiting for a person for finance, collection health and approvals for managers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Request, get
from litestar.response import Template

from app.adapters.db.queries_home import AT_RISK_DAYS, DSO_DAYS, HomeQueries
from app.web.pages import queries, render, shell, uow_of

SOON_DAYS = 7


@get("/", name="home", include_in_schema=False)
async def home(request: Request[Any, Any, Any]) -> Template:
    sh = await shell(request)
    soon = sh.today + timedelta(days=SOON_DAYS)
    figures = cash = health = None
    async with uow_of(request, sh) as uow:
        home_queries = HomeQueries(uow.session, uow.tenant)
        if sh.can("invoices:read") and sh.can("customers:read"):
            figures = await queries(uow).figures(sh.today, soon)
        if sh.can("payments:read") and sh.can("bank_files:read"):
            cash = await home_queries.cash_work(sh.today)
        if sh.can("reports:read"):
            health = await home_queries.health(sh.today, sh.tenant.currency)
    return render(
        sh,
        "home.html",
        figures=figures,
        cash=cash,
        health=health,
        soon=soon,
        currency=sh.tenant.currency,
        dso_days=DSO_DAYS,
        at_risk_days=AT_RISK_DAYS,
        can_approve=sh.can("approvals:decide"),
    )


ROUTES = [home]
