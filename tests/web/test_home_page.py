"""Home: the panels a person sees follow their permissions, and every figure is the
aggregate of the rows behind its link."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from app.adapters.db.queries_home import dso
from app.server.services import Services
from tests.support.factories import add_customer, add_invoice, new_tenant
from tests.support.reports_data import installments_of, pay
from tests.support.web import login, login_as

pytestmark = pytest.mark.asyncio(loop_scope="session")


def test_dso_is_open_over_sales_times_days_rounded_half_up() -> None:
    assert dso(0, 100, 90) == 0
    assert dso(50, 100, 90) == 45
    assert dso(1, 3, 90) == 30
    assert dso(1, 600, 90) == 0  # 0.15 days
    assert dso(1, 200, 90) == 0  # 0.45
    assert dso(1, 180, 90) == 1  # exactly 0.5: half up
    assert dso(100, 0, 90) is None


async def test_finance_sees_cash_waiting_and_health(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    today = date.today()
    customer = await add_customer(services, tenant, name="Casa Verde Ltda")
    old = await add_invoice(
        services,
        tenant,
        customer.id,
        number="OLD-1",
        issue_date=(today - timedelta(days=130)).isoformat(),
        due_date=(today - timedelta(days=100)).isoformat(),
        amount="700.00",
    )
    recent = await add_invoice(
        services,
        tenant,
        customer.id,
        number="NEW-1",
        issue_date=(today - timedelta(days=10)).isoformat(),
        due_date=(today + timedelta(days=20)).isoformat(),
        amount="900.00",
    )
    [inst] = await installments_of(services, tenant, recent.id)
    # 1,000 received today: 400 applied to NEW-1, 600 left unapplied.
    await pay(services, tenant, "1000.00", today, allocations=[(inst, "400.00")], customer_id=customer.id)
    assert old.id

    await login_as(http, services, tenant, ["finance"])
    html = (await http.get("/")).text
    assert 'href="/correction-queue"' in html and 'href="/cash-application"' in html
    assert 'href="/payments?status=with_cash"' in html
    assert "R$ 600,00" in html  # unapplied cash
    assert "R$ 1.000,00" in html  # received today
    assert "R$ 700,00" in html  # at risk: OLD-1 is 100 days late
    # DSO: open 700 + 500 = 1,200 over 900 invoiced in the last 90 days → 120 days.
    assert re.search(r'kpi-value num">120 ', html), html
    assert 'href="/approvals"' in html  # finance decides approvals


async def test_sales_sees_receivables_but_not_cash(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await login_as(http, services, tenant, ["sales"])
    html = (await http.get("/")).text
    assert "/correction-queue" not in html and "/payments?status=with_cash" not in html
    assert 'href="/approvals"' not in html


async def test_figures_never_include_another_tenant(http: Any, services: Services) -> None:
    mine = await new_tenant(services)
    other = await new_tenant(services)
    customer = await add_customer(services, other, name="Outro")
    await pay(services, other, "4321.00", date.today(), customer_id=customer.id)
    await login(http, mine.admin_email, mine.admin_password)
    html = (await http.get("/")).text
    assert "4.321,00" not in html
