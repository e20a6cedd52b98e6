"""Tax ids: CNPJ (numeric and alphanumeric), CPF, RFC, EIN."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.customers.model import validate_customer
from app.domain.customers.tax_ids import (
    is_consumer,
    is_valid_cnpj,
    is_valid_cpf,
    is_valid_ein,
    is_valid_rfc,
    normalize_tax_id,
    tax_id_error,
)

W1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
W2 = (6, *W1)


def _dv(base: str, weights: tuple[int, ...]) -> int:
    rest = sum((ord(c) - 48) * w for c, w in zip(base, weights, strict=True)) % 11
    return 0 if rest < 2 else 11 - rest


def make_cnpj(base12: str) -> str:
    d1 = _dv(base12, W1)
    return f"{base12}{d1}{_dv(base12 + str(d1), W2)}"


@pytest.mark.parametrize(
    "value",
    ["11.222.333/0001-81", "11222333000181", "12.ABC.345/01DE-35", "12ABC34501DE35"],
)
def test_known_valid_cnpjs(value: str) -> None:
    assert is_valid_cnpj(value)


@pytest.mark.parametrize("value", ["11.222.333/0001-80", "00000000000000", "1122233300018", "12ABC34501DE3X"])
def test_invalid_cnpjs(value: str) -> None:
    assert not is_valid_cnpj(value)


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=12, max_size=12))
def test_generated_alphanumeric_cnpjs_validate_and_any_digit_change_fails(base: str) -> None:
    cnpj = make_cnpj(base)
    if len(set(cnpj)) == 1:
        return
    assert is_valid_cnpj(cnpj)
    last = int(cnpj[-1])
    assert not is_valid_cnpj(cnpj[:-1] + str((last + 1) % 10))


def test_cpf_and_consumer_rule() -> None:
    assert is_valid_cpf("529.982.247-25")
    assert not is_valid_cpf("529.982.247-24")
    assert not is_valid_cpf("111.111.111-11")
    assert is_consumer("BR", "529.982.247-25")
    assert not is_consumer("BR", "11.222.333/0001-81")
    assert not is_consumer("MX", "52998224725")


def test_rfc_and_ein() -> None:
    assert is_valid_rfc("GODE561231GR8")  # persona física, 13 characters
    assert is_valid_rfc("ABC800101AB1")  # persona moral, 12 characters
    assert not is_valid_rfc("ABC801301AB1")  # month 13
    assert is_valid_ein("12-3456789")
    assert not is_valid_ein("07-3456789")  # prefix never issued
    assert normalize_tax_id("US", "123456789") == "12-3456789"


def test_errors_are_readable_and_other_countries_are_free() -> None:
    assert tax_id_error("BR", "123") == "a Brazilian tax id is a CPF (11 digits) or a CNPJ (14 characters)"
    assert tax_id_error("BR", "11.222.333/0001-80") == "CNPJ check digits do not match"
    assert tax_id_error("DE", "DE123456789") is None


def test_validate_customer_normalises_and_reports_fields() -> None:
    clean, errors = validate_customer(
        {"name": "  Loja  ", "tax_id": "11.222.333/0001-81", "email": "a@b.co", "country": "br"},
        partial=False,
    )
    assert errors == []
    assert clean["name"] == "Loja"
    assert clean["tax_id"] == "11222333000181"
    assert clean["country"] == "BR"
    _, errors = validate_customer({"name": "", "email": "x", "status": "gone"}, partial=False)
    assert {e.field for e in errors} == {"name", "email", "status"}
