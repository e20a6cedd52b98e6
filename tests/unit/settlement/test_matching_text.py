import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.settlement.matching_text import (
    account_key,
    deletion_keys,
    extract_references,
    name_key,
    reference_key,
    tax_root,
    typo_distance,
)


def keys(text: str) -> set[tuple[str, int | None]]:
    return {(t.key, t.index) for t in extract_references(text)}


def test_reference_key_drops_punctuation_and_padding() -> None:
    assert reference_key("NF-001234") == "NF1234"
    assert reference_key("0001234") == "1234"
    assert reference_key(" 123.456 ") == "123456"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PGTO NF 123456", {("123456", None)}),
        ("NF 123456-2", {("123456", 2), ("1234562", None)}),
        ("FATURA 108912 PARC 2/4", {("108912", 2)}),
        ("REF NF-000105701", {("105701", None), ("NF105701", None)}),
        ("15/03/2025 R$ 1.234,56", set()),
        ("", set()),
    ],
)
def test_extract_references(text: str, expected: set[tuple[str, int | None]]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "d"),
    [
        ("123456", "123456", 0),
        ("123456", "123356", 1),  # substitution
        ("123456", "124356", 1),  # adjacent swap (Damerau)
        ("123456", "12346", 1),  # deletion
        ("123456", "1234567", 1),  # insertion
        ("123456", "654321", 2),
        ("123456", "12", 2),
    ],
)
def test_typo_distance_within_one(a: str, b: str, d: int) -> None:
    assert typo_distance(a, b) == d
    assert typo_distance(b, a) == d


def test_typo_distance_general_limit() -> None:
    assert typo_distance("kitten", "sitting", limit=5) == 3
    assert typo_distance("ca", "abc", limit=3) == 3  # optimal string alignment, not full Damerau


@given(st.text("0123456789", min_size=5, max_size=9), st.data())
def test_one_typo_always_shares_a_deletion_key(number: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(number) - 1))
    op = data.draw(st.sampled_from(["sub", "del", "ins", "swap"]))
    digit = data.draw(st.sampled_from("0123456789"))
    if op == "sub":
        other = number[:i] + digit + number[i + 1 :]
    elif op == "del":
        other = number[:i] + number[i + 1 :]
    elif op == "ins":
        other = number[:i] + digit + number[i:]
    else:
        other = number[:i] + number[i + 1 : i + 2] + number[i : i + 1] + number[i + 2 :]
    if len(other) >= 5:
        assert deletion_keys(number) & deletion_keys(other)
    assert typo_distance(number, other) <= 1


def test_short_keys_get_no_fuzzy_variants() -> None:
    assert deletion_keys("1234") == frozenset({"1234"})


def test_name_account_and_tax_root() -> None:
    assert name_key("Padaria São João Ltda.") == name_key("PADARIA SAO JOAO LTDA ME") == "PADARIA SAO JOAO"
    assert account_key("341/1234/56789-0") == "3411234567890"
    assert tax_root("11.222.333/0001-81") == "11222333"
    assert tax_root("529.982.247-25") is None
