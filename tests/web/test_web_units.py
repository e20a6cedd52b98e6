"""Pure pieces of the web layer: formatting, texts, CSV safety, amount input, tickets."""

from __future__ import annotations

import csv
import io
import time
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import Environment

from app.domain.shared.money import Money
from app.web import template_callables
from app.web.audit_pages import csv_lines, safe_cell
from app.web.auth_pages import make_ticket, read_ticket
from app.web.format import day, money, money_minor, normalize_locale, number, plain_amount
from app.web.i18n import CATALOGUE, translate
from app.web.pages import parse_amount_input, safe_next


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("pt-BR", "R$ 1.234,56"), ("en-US", "R$1,234.56"), ("es-MX", "BRL1,234.56")],
)
def test_money_in_each_locale(locale: str, expected: str) -> None:
    assert money(Money.of("1234.56", "BRL"), locale) == expected


def test_other_currencies_and_numbers() -> None:
    assert money_minor(123456, "USD", "en-US") == "$1,234.56"
    assert money_minor(98765, "MXN", "es-MX") == "$987.65"
    assert money_minor(100, "JPY", "en-US") == "¥100"
    assert number(Decimal("1234567.5"), "pt-BR") == "1.234.567,5"
    assert money(None, "pt-BR") == "" and number(None, "pt-BR") == ""


def test_dates_in_each_locale() -> None:
    d = date(2026, 3, 5)
    assert day(d, "pt-BR") == "5 de mar. de 2026"
    assert day(d, "en-US") == "Mar 5, 2026"
    assert day(d, "es-MX") == "5 mar 2026"


def test_locale_tags_are_normalised() -> None:
    assert normalize_locale("pt_BR") == "pt-BR"
    assert normalize_locale("pt-PT") == "pt-BR"
    assert normalize_locale("es") == "es-MX"
    assert normalize_locale("fr-FR") == "en-US"
    assert normalize_locale(None) == "en-US"


def test_translations_cover_both_languages() -> None:
    assert translate("pt-BR", "Customers") == "Clientes"
    assert translate("es-MX", "Invoices") == "Facturas"
    assert translate("en-US", "Invoices") == "Invoices"
    assert translate("pt-BR", "A label nobody translated") == "A label nobody translated"
    for english, (pt, es) in CATALOGUE.items():
        assert pt and es, english


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_could_be_formulas_are_quoted(start: str) -> None:
    assert safe_cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


def test_csv_lines_round_trip_with_prefix() -> None:
    text = csv_lines([["=cmd|' /C calc'!A0", "plain", None, "a,b"]])
    assert next(csv.reader(io.StringIO(text))) == ["'=cmd|' /C calc'!A0", "plain", "", "a,b"]


@given(st.text(max_size=40))
def test_no_csv_cell_ever_starts_a_formula(value: str) -> None:
    assert not safe_cell(value).startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("raw", "locale", "expected"),
    [
        ("1.234,56", "pt-BR", "1234.56"),
        ("1234,56", "pt-BR", "1234.56"),
        ("1234.56", "pt-BR", "1234.56"),  # the dot-decimal form people paste from systems
        ("1,234.56", "en-US", "1234.56"),
        ("1234.5", "es-MX", "1234.5"),
        ("abc", "pt-BR", "abc"),  # left for the domain rule to report
        ("", "en-US", ""),
    ],
)
def test_amounts_typed_the_local_way(raw: str, locale: str, expected: str) -> None:
    assert parse_amount_input(raw, locale) == expected


def test_plain_amount_reads_back_exactly() -> None:
    for locale in ("pt-BR", "es-MX", "en-US"):
        amount = Money.of("12345.60", "BRL")
        assert parse_amount_input(plain_amount(amount, locale), locale) == "12345.60"


def test_next_paths_stay_on_site() -> None:
    assert safe_next("/invoices?status=overdue") == "/invoices?status=overdue"
    for bad in ("//evil.example", "https://evil.example", "/\\evil", "", None):
        assert safe_next(bad) == "/"


def test_tenant_tickets_are_signed_and_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    ticket = make_ticket("secret", "a@b.c", {"t1": "u1"})
    assert read_ticket("secret", ticket) == ("a@b.c", {"t1": "u1"})
    assert read_ticket("other-secret", ticket) is None
    body, _, sig = ticket.partition(".")
    assert read_ticket("secret", body[:-2] + "AA." + sig) is None
    assert read_ticket("secret", "garbage") is None
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert read_ticket("secret", ticket) is None


def test_templates_escape_html_by_default() -> None:
    # The app's engine is Litestar's Jinja engine with autoescape on; the pages test it
    # end to end. Here: the callables never return markup that bypasses escaping.
    env = Environment(autoescape=True)
    env.globals.update(template_callables())
    html = env.from_string("{{ name }} {{ query({'q': name}) }}").render(name="<b>x</b>", locale="en-US")
    assert "<b>" not in html and "&lt;b&gt;" in html
