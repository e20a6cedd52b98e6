"""Home: "what must I do today?" — a few live figures, each a link to its list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Request, get
from litestar.response import Template

from app.web.pages import queries, render, shell, uow_of

SOON_DAYS = 7


@get("/", name="home", include_in_schema=False)
async def home(request: Request[Any, Any, Any]) -> Template:
    sh = await shell(request)
    soon = sh.today + timedelta(days=SOON_DAYS)
    figures = None
    if sh.can("invoices:read") and sh.can("customers:read"):
        async with uow_of(request, sh) as uow:
            figures = await queries(uow).figures(sh.today, soon)
    return render(sh, "home.html", figures=figures, soon=soon, currency=sh.tenant.currency)


ROUTES = [home]
