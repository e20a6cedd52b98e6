"""Tax ids as people write them: one helper, used by every page that shows one."""

from __future__ import annotations

import pytest

from app.domain.customers.tax_ids import display_tax_id, is_valid_cnpj, normalize_tax_id


@pytest.mark.parametrize(
    ("stored", "country", "shown"),
    [
        ("11222333000181", "BR", "11.222.333/0001-81"),
        ("11.222.333/0001-81", "BR", "11.222.333/0001-81"),  # already formatted: same
        ("12ABC34501DE35", "BR", "12.ABC.345/01DE-35"),  # alphanumeric CNPJ (2026)
        ("12345678909", "BR", "123.456.789-09"),
        ("12345678909", None, "123.456.789-09"),  # shape decides without a country
        ("11222333000181", None, "11.222.333/0001-81"),
        ("ABC800101AB1", "MX", "ABC800101AB1"),
        ("abc-800101-ab1", "MX", "ABC800101AB1"),
        ("12-3456789", "US", "12-3456789"),
        ("123456789", "US", "12-3456789"),
        ("12345678901", "IT", "12345678901"),  # another country's 11 digits: untouched
        ("1234", "BR", "1234"),  # not a CPF or CNPJ shape: as stored, never half-formatted
        ("", "BR", ""),
        (None, "BR", ""),
    ],
)
def test_display(stored: str | None, country: str | None, shown: str) -> None:
    assert display_tax_id(stored, country) == shown


def test_the_alphanumeric_example_is_a_valid_cnpj() -> None:
    assert is_valid_cnpj("12ABC34501DE35")
    assert display_tax_id(normalize_tax_id("BR", "12.abc.345/01de-35"), "BR") == "12.ABC.345/01DE-35"
