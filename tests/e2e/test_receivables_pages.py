"""The receivables pages in a real browser: aging (as-of date, group-by, totals,
drill-down), bank-file upload with and without JavaScript (result page with counts,
then the correction queue), and keyboard-only flows (j/k/o on the uploads, Ctrl+Enter
on the report e-mail settings)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.test_portal import SHOTS, sign_in, wait_for_query

pytestmark = pytest.mark.e2e

RETURNS = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "banks" / "brcobranca" / "retorno"


def test_aging_as_of_group_by_totals_and_drill_down(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server, "/reports/aging")
    assert page.locator("h1").inner_text().startswith("Aging")
    # Seeded: NF-1001, NF-1003, NF-1005 due 2026-02-05; the others in 2099.
    page.locator("input[name=as_of]").fill("2026-03-01")
    wait_for_query(page, "as_of=2026-03-01")
    page.wait_for_selector("#aging tbody tr")
    assert page.locator("#aging tbody tr").count() == 6  # six customers with invoices
    total = page.locator("#aging tfoot tr").first
    assert total.locator("th").inner_text().startswith("Total BRL")
    # 1234.56 + 1334.56 + … + 1734.56 = 8907.36 in all
    assert total.locator("td").last.inner_text() == "R$ 8.907,36"

    page.locator("select[name=group_by]").select_option("segment")
    wait_for_query(page, "group_by=segment")
    page.wait_for_function("document.querySelector('#aging thead th').textContent.trim() === 'Segmento'")
    labels = sorted(t.strip() for t in page.locator("#aging tbody tr td:first-child").all_inner_texts())
    assert labels == ["Retail", "Wholesale"]
    assert page.locator("#aging tfoot td").last.inner_text() == "R$ 8.907,36"  # same total, regrouped
    page.screenshot(path=f"{SHOTS}/e2e-aging.png")

    # Drill down from a bucket total to the installments behind it.
    page.locator("select[name=group_by]").select_option("customer")
    wait_for_query(page, "group_by=customer")
    page.wait_for_function("document.querySelector('#aging thead th').textContent.trim() === 'Cliente'")
    overdue_cells = page.locator("#aging tfoot td a").filter(has_text=re.compile(r"R\$ [1-9]"))
    overdue_cells.first.click()
    page.wait_for_selector("#aging-items tbody tr")
    assert "bucket=" in page.url and "as_of=2026-03-01" in page.url
    rows = page.locator("#aging-items tbody tr")
    assert rows.count() >= 1
    first = rows.first.inner_text()
    assert "NF-" in first and "R$" in first
    rows.first.locator("a").click()  # the invoice behind the installment
    page.wait_for_url(re.compile(r"/invoices/[0-9a-f-]{36}$"))


def _upload_with_htmx(page: Any, fixture: Path) -> str:
    page.locator("#f-file").set_input_files(str(fixture))
    page.get_by_role("button", name="Enviar e processar").click()
    page.wait_for_url(re.compile(r"/bank-files/[0-9a-f-]{36}$"))
    return str(page.url)


def test_bank_file_upload_result_and_correction_queue(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server, "/bank-files")
    url = _upload_with_htmx(page, RETURNS / "CNAB240.RET")
    # The result page polls until processing ends, then shows the counts.
    page.wait_for_selector("#bank-file-status .kpi-label:has-text('Títulos lidos')", timeout=30_000)
    counts = dict(
        zip(
            [t.strip() for t in page.locator("#bank-file-status .kpi .kpi-label").all_text_contents()],
            [t.strip() for t in page.locator("#bank-file-status .kpi .kpi-value").all_text_contents()],
            strict=True,
        )
    )
    assert int(counts["Títulos lidos"]) > 0
    assert int(counts["Na fila de correção"]) > 0  # no bank account registered: unknown account
    assert counts["Duplicados ignorados"] == "0"
    page.screenshot(path=f"{SHOTS}/e2e-bank-file.png")

    # The same file again is refused on the form, with a link to the first upload.
    page.goto(live_server.url + "/bank-files")
    page.locator("#f-file").set_input_files(str(RETURNS / "CNAB240.RET"))
    page.get_by_role("button", name="Enviar e processar").click()
    error = page.locator("#upload-form .error")
    error.wait_for()
    assert "Este arquivo já foi enviado como CNAB240.RET" in error.inner_text()
    assert error.locator("a").get_attribute("href") == url.removeprefix(live_server.url)

    page.goto(url)
    page.get_by_role("link", name="Abrir a fila de correção").click()
    page.wait_for_url(re.compile(r"/correction-queue$"))
    cards = page.locator("article.card")
    assert cards.count() == int(counts["Na fila de correção"])
    assert "conta desconhecida" in cards.first.inner_text()
    assert "Correção sugerida" in cards.first.inner_text()


def test_bank_file_upload_works_without_javascript(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False, locale="pt-BR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, "/bank-files")
        page.locator("#f-file").set_input_files(str(RETURNS / "CNAB400ITAU.RET"))
        page.get_by_role("button", name="Enviar e processar").click()  # a plain form post
        page.wait_for_url(re.compile(r"/bank-files/[0-9a-f-]{36}$"))
        for _ in range(60):  # no htmx polling without JavaScript: reload as a person would
            if page.locator("#bank-file-status .kpi-label", has_text="Títulos lidos").count():
                break
            page.wait_for_timeout(500)
            page.reload()
        assert page.locator("#bank-file-status .kpi-label", has_text="Títulos lidos").count() == 1
        assert "CNAB400ITAU.RET" in page.locator("h1").inner_text()
    finally:
        context.close()


def test_keyboard_moves_through_uploads_and_saves_settings(page: Any, live_server: LiveServer) -> None:
    sign_in(page, live_server, "/bank-files")
    rows = page.locator("table[data-list] tbody tr[data-href]")
    if rows.count() < 2:  # this test may run alone: make two uploads first
        for name in ("CNAB400BRADESCO.RET", "CNAB400SANTANDER.RET"):
            _upload_with_htmx(page, RETURNS / name)
            page.goto(live_server.url + "/bank-files")
    second = rows.nth(1).get_attribute("data-href")
    page.locator("body").press("j")  # first row
    page.keyboard.press("j")  # second
    page.keyboard.press("k")  # back to the first
    assert page.locator("tr.selected").get_attribute("data-href") == rows.nth(0).get_attribute("data-href")
    page.keyboard.press("j")
    assert page.locator("tr.selected").get_attribute("data-href") == second
    page.keyboard.press("o")
    page.wait_for_url(re.compile(re.escape(live_server.url + str(second)) + "$"))

    # "?" lists the shortcuts in the user's language.
    page.locator("body").press("?")
    assert page.locator("#shortcuts").is_visible()
    assert "Abrir a linha selecionada" in page.locator("#shortcuts").inner_text()
    page.keyboard.press("Escape")

    # The report e-mail settings: change a time and save with Ctrl+Enter, no mouse.
    page.goto(live_server.url + "/admin/report-emails")
    page.locator("#f-finance").fill("tesouraria@acme-e2e.example.com")
    page.locator("#f-send-at-cash_receipts").fill("08:15")
    page.locator("#f-catch-up").press("Control+Enter")
    page.wait_for_url(re.compile(r"/admin/report-emails\?saved=1$"))
    assert page.locator(".notice").inner_text() == "Configurações salvas."
    assert page.locator("#f-send-at-cash_receipts").input_value() == "08:15"
    assert page.locator("#f-finance").input_value() == "tesouraria@acme-e2e.example.com"
