"""The compiled fast path reads exactly what the field-by-field path reads.

The return engine reads each title through code generated from the layouts
(``compile_builder`` / ``compile_extractor``) and falls back to ``read_fields``
when that code refuses a line. These tests parse the same bytes both ways (the
second time with the generated readers refusing every line) and demand the
same records, errors and totals, so a shortcut in the generator cannot change
what a file means.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.banks.cnab import iter_lines, parse_return, returns240, returns400, split_lines
from app.adapters.banks.cnab.generate import (
    SAMPLE_ACCOUNT,
    ReturnTitle,
    generate_return_240,
    return_240_bytes,
    synthetic_titles,
)
from app.domain.settlement.bank_files import ParsedReturnFile, ReturnRecord

FIXTURES = Path("/work/shared/fixtures/banks")
RETURN_FIXTURES = sorted(
    p
    for folder in ("brcobranca/retorno", "opencnabphp")
    for p in (FIXTURES / folder).iterdir()
    if p.suffix.lower() in (".ret", ".crt")
)


def _refuse(*_: Any, **__: Any) -> Callable[..., Any]:
    def refuse(*_: Any) -> Any:
        raise ValueError("fast path disabled by the test")

    return refuse


def _field_by_field(data: bytes | str, monkeypatch: pytest.MonkeyPatch) -> ParsedReturnFile:
    with monkeypatch.context() as m:
        m.setattr(returns240, "compile_builder", _refuse)
        m.setattr(returns240, "compile_extractor", _refuse)
        m.setattr(returns400, "compile_extractor", _refuse)
        return parse_return(data)


def _assert_same(data: bytes | str, monkeypatch: pytest.MonkeyPatch) -> ParsedReturnFile:
    fast = parse_return(data)
    slow = _field_by_field(data, monkeypatch)
    assert fast.records == slow.records
    assert fast.errors == slow.errors
    assert fast.trailer_totals == slow.trailer_totals
    assert fast.computed_totals == slow.computed_totals
    for rec in fast.records:
        assert type(rec) is ReturnRecord
        assert len(rec) == len(ReturnRecord._fields)
    return fast


@pytest.mark.parametrize("path", RETURN_FIXTURES, ids=lambda p: p.name)
def test_fixtures_read_the_same_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _assert_same(path.read_bytes(), monkeypatch)


@pytest.mark.parametrize("bank", ["001", "104", "756", "748"])
def test_generated_returns_read_the_same_both_ways(bank: str, monkeypatch: pytest.MonkeyPatch) -> None:
    account = replace(SAMPLE_ACCOUNT, bank_code=bank)
    parsed = _assert_same(return_240_bytes(account, synthetic_titles(400, seed=11)), monkeypatch)
    assert len(parsed.records) == 400
    assert [e for e in parsed.errors if e.severity == "error"] == []


def _lines() -> list[str]:
    titles = [
        ReturnTitle(
            nosso_numero=f"{i:017d}",
            seu_numero=f"NF{i}",
            due_date=date(2025, 3, 10),
            face_value_minor=10_000 + i,
            paid_minor=10_000 + i,
            interest_minor=150 * i,
            occurrence_date=date(2025, 3, 10),
            credit_date=date(2025, 3, 11),
        )
        for i in range(1, 4)
    ]
    return list(generate_return_240(SAMPLE_ACCOUNT, titles))


# Texts int() accepts that are not an amount: the fast path must refuse them too.
@pytest.mark.parametrize(
    "text",
    ["+00000000000150", "-00000000000150", "0000000000001_5", " 0000000000150 ", "00000000000015²", "   "],
)
def test_amounts_int_would_accept_are_errors_in_both_paths(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _lines()
    u = lines[3]
    lines[3] = u[:17] + text.ljust(15) + u[32:]  # juros/multa, 18-32
    parsed = _assert_same("\r\n".join(lines), monkeypatch)
    if text.strip():
        assert [(e.line_no, e.field) for e in parsed.errors] == [(4, "juros_multa")]
        assert len(parsed.records) == 2
    else:  # blank amounts are zero (some banks leave them blank)
        assert parsed.errors == []
        assert parsed.records[0].interest_minor == 0


def test_superscript_in_the_face_value_is_an_error_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines()
    t = lines[2]
    lines[2] = t[:90] + "²" + t[91:]  # inside valor_titulo, 82-96: str.isdigit() passes it, int() does not
    parsed = _assert_same("\r\n".join(lines), monkeypatch)
    # The unreadable face value cannot count towards the lot trailer's total either.
    assert [(e.line_no, e.field) for e in parsed.errors] == [(3, "valor_titulo"), (9, "totals_simple")]
    assert len(parsed.records) == 2


def test_zero_and_nonzero_amounts_and_new_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines()
    u = lines[5]
    # A date no title used before (the fast path's cache misses) and other credits set.
    lines[5] = u[:122] + "000000000012345" + "2802202401032024" + u[153:]
    parsed = _assert_same("\r\n".join(lines), monkeypatch)
    rec = parsed.records[1]
    assert (rec.interest_minor, rec.discount_minor, rec.other_credits_minor) == (300, 0, 12345)
    assert (rec.occurrence_date, rec.credit_date) == (date(2024, 2, 28), date(2024, 3, 1))


def _reference_split(data: bytes) -> list[str]:
    """The plain definition: normalise every line end to LF, then split."""
    text = data.decode("latin-1").split("\x1a", 1)[0]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="ab\r\n\x1a ", max_size=40),
    size=st.integers(min_value=1, max_value=12),
)
def test_line_splitting_matches_its_definition_for_any_line_ends(text: str, size: int) -> None:
    data = text.encode("latin-1")
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    assert split_lines(data) == _reference_split(data)
    # The streaming form may differ in blank lines at the very end (the engine skips
    # them); every other line is the same, at the same position.
    assert _trim(list(iter_lines(chunks))) == _trim(_reference_split(data))


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1]:
        lines.pop()
    return lines
