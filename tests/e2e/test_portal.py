"""The portal in a real browser: sign in, filter and page customers, open one, create an invoice."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

SHOTS = "/tmp"  # noqa: S108 - screenshots for a human to look at


def sign_in(page: Any, server: LiveServer, target: str = "/") -> None:
    page.goto(server.url + target)
    assert "/login" in page.url
    page.get_by_label("E-mail").fill(server.email)
    page.get_by_label("Senha").fill(server.password)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(re.compile(re.escape(server.url + target) + "$"))


def wait_for_query(page: Any, pattern: str) -> None:
    """hx-push-url changes the address without a navigation: poll the location instead."""
    page.wait_for_function("p => new RegExp(p).test(location.search)", arg=pattern)


def result_rows(page: Any) -> Any:
    return page.locator("#results table[data-list] tbody tr")


def test_sign_in_lands_on_home_with_live_figures(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server)
    assert page.locator(".topbar .tenant").inner_text() == "Acme Cobranças"
    page.screenshot(path=f"{SHOTS}/e2e-home.png")
    overdue = page.locator("a.kpi[href='/invoices?status=overdue']")
    assert "R$" in overdue.inner_text()
    overdue.click()
    page.wait_for_url(re.compile(r"/invoices\?status=overdue$"))
    assert result_rows(page).count() == 3  # NF-1001, NF-1003, NF-1005 are past due


def test_wrong_password_stays_on_login(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/login")
    page.get_by_label("E-mail").fill(live_server.email)
    page.get_by_label("Senha").fill("Not-the-password-1")
    page.get_by_role("button", name="Entrar").click()
    assert page.locator(".alert").inner_text() == "O e-mail ou a senha não conferem."
    assert "/login" in page.url


def test_filter_sort_and_page_customers(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server, "/customers")
    rows = result_rows(page)
    assert rows.count() == 25
    assert "1–25 de 32" in page.locator(".pager .count").inner_text()
    page.screenshot(path=f"{SHOTS}/e2e-customers.png", full_page=False)

    # Next page through HTMX: the table changes, the URL follows.
    page.locator(".pager a[rel=next]").click()
    wait_for_query(page, "page=2")
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length === 7")
    assert "26–32 de 32" in page.locator(".pager .count").inner_text()

    # Status chip: only the blocked ones (0, 8, 16, 24).
    page.locator("label.chip", has_text="bloqueado").click()
    wait_for_query(page, "status=blocked")
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length === 4")
    assert "page=2" not in page.url  # a new filter starts at the first page

    # Search from the keyboard: "/" focuses the box; typing narrows the list.
    page.locator("body").press("/")
    page.keyboard.type("filial 16")
    wait_for_query(page, "q=filial(\\+|%20)16")
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length === 1")

    # The view is bookmarkable: reloading the URL gives the same rows.
    page.reload()
    assert result_rows(page).count() == 1
    assert page.locator("#f-q").input_value() == "filial 16"

    # Sorting by a column header, descending on the second click.
    page.goto(live_server.url + "/customers")
    header = page.locator("th a.sort", has_text="Nome")
    header.click()
    wait_for_query(page, "sort=name&dir=desc")
    page.wait_for_function(
        "document.querySelector('#results tbody tr a.rowlink').textContent.includes('Filial 31')"
    )


def test_keyboard_opens_a_customer_and_shows_its_page(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server, "/customers")
    page.locator("body").press("j")
    page.keyboard.press("j")
    selected = page.locator("#results tbody tr.selected")
    assert selected.count() == 1
    name = selected.locator("a.rowlink").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/customers/[0-9a-f-]{36}$"))
    assert page.locator("h1").inner_text().startswith(name)
    assert page.get_by_role("heading", name="Contatos").is_visible()


def test_customer_page_lists_open_invoices(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/customers/{live_server.customer_ids[1]}")
    table = page.locator("table[data-list]")
    assert "NF-1001" in table.inner_text()
    assert "R$ 1.334,56" in table.inner_text()
    assert page.locator("td.late-bad, td.late").count() == 1
    page.screenshot(path=f"{SHOTS}/e2e-customer.png", full_page=True)


def test_create_invoice_with_a_validation_error_then_correct_it(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server, "/invoices")
    page.locator("body").press("c")
    page.wait_for_url(re.compile(r"/invoices/new$"))
    page.locator("#f-customer_id").select_option(live_server.customer_ids[3])
    page.locator("#f-number").fill("E2E-0001")
    page.locator("#f-issue_date").fill("2026-05-10")
    page.locator("#f-due_date").fill("2026-05-01")
    page.locator("#f-amount").fill("2.500,00")
    page.locator("#f-amount").press("Control+Enter")
    error = page.locator("#e-due_date")
    error.wait_for()
    assert error.inner_text() == "deve ser igual ou posterior à emissão"
    assert page.locator("#f-number").input_value() == "E2E-0001"  # nothing typed is lost
    assert page.evaluate("document.activeElement.id") == "f-due_date"  # the field to fix
    page.screenshot(path=f"{SHOTS}/e2e-invoice-form.png", full_page=True)

    page.locator("#f-due_date").fill("2026-06-10")
    page.get_by_role("button", name=re.compile("Salvar")).click()
    page.wait_for_url(re.compile(r"/invoices/[0-9a-f-]{36}$"))
    assert "E2E-0001" in page.locator("h1").inner_text()
    assert "R$ 2.500,00" in page.locator(".kpis").inner_text()


def test_question_mark_shows_the_shortcuts(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server)
    page.locator("body").press("?")
    dialog = page.locator("dialog#shortcuts")
    dialog.wait_for(state="visible")
    assert "Ctrl" in dialog.inner_text()


# Where each main-nav link ends, and where the nav's visible box ends: an item past
# either is cut off (the nav scrolls sideways with no scrollbar when it overflows).
_NAV_OVERFLOW = """() => {
  const nav = document.querySelector('.mainnav');
  const edge = Math.min(window.innerWidth, nav.getBoundingClientRect().right) + 0.5;
  return [...nav.querySelectorAll('a')]
    .filter(a => a.getBoundingClientRect().right > edge || nav.scrollWidth > nav.clientWidth)
    .map(a => a.textContent.trim());
}"""


# Names as long as people have: the bar must hold them beside the nav.
_LONG_NAMES = """() => {
  document.querySelector('.topbar .tenant').textContent = 'Distribuidora de Alimentos do Nordeste Ltda';
  document.querySelector('.topbar .uname').textContent = 'Maria Aparecida dos Santos Albuquerque';
}"""


@pytest.mark.parametrize("width", [1280, 1400, 1600])
def test_the_main_nav_shows_every_item_from_1280_px(page: Any, live_server: LiveServer, width: int) -> None:
    # pt-BR has the longest labels of the three locales ("Administração" last).
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server)
    assert page.locator(".mainnav a").last.inner_text() == "Administração"
    page.evaluate(_LONG_NAMES)
    assert page.evaluate(_NAV_OVERFLOW) == []
    page.screenshot(path=f"{SHOTS}/e2e-nav-{width}.png", clip={"x": 0, "y": 0, "width": width, "height": 60})
    # Every item is still reached from the keyboard, in order, after the tenant's name.
    page.locator(".topbar .brand").focus()
    labels = []
    for _ in range(page.locator(".mainnav a").count()):
        page.keyboard.press("Tab")
        labels.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert labels == page.locator(".mainnav a").all_inner_texts()
