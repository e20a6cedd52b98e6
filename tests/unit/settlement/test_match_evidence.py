"""Every detail the matcher writes reads back into its template and figures: the pages
depend on it to show the evidence in the reader's language (``app/web/match_evidence``)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from app.domain.settlement import match_evidence as said
from app.domain.settlement.matching import MatchResult
from app.domain.settlement.matching_scoring import Signal, SignalKind
from app.domain.shared.money import Money
from tests.unit.settlement import test_matching


def _signals_of_every_scenario(monkeypatch: pytest.MonkeyPatch) -> Iterator[Signal]:
    """The signals of every proposal in the one-scenario-per-rule matching tests."""
    seen: list[MatchResult] = []
    real = test_matching.match_line

    def recording(*args: Any, **kw: Any) -> MatchResult:
        result = real(*args, **kw)
        seen.append(result)
        return result

    monkeypatch.setattr(test_matching, "match_line", recording)
    for name, test in inspect.getmembers(test_matching, inspect.isfunction):
        if name.startswith("test_"):
            test()
    for result in seen:
        for proposal in result.proposals:
            yield from proposal.signals


def test_every_detail_the_matcher_writes_parses_for_its_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    signals = list(_signals_of_every_scenario(monkeypatch))
    unreadable = [(s.kind.value, s.detail) for s in signals if said.parse_evidence(s.kind, s.detail) is None]
    assert unreadable == []
    # The scenarios cover most kinds, so a new wording cannot slip past untested.
    covered = {s.kind for s in signals}
    assert covered >= {
        SignalKind.BANK_REFERENCE,
        SignalKind.TXID,
        SignalKind.DOCUMENT_NUMBER,
        SignalKind.DOCUMENT_NUMBER_TYPO,
        SignalKind.PAYER_TAX_ID,
        SignalKind.PAYER_GROUP,
        SignalKind.PAYER_NAME,
        SignalKind.PAYER_HISTORY,
        SignalKind.AMOUNT_EXACT,
        SignalKind.AMOUNT_WITH_LATE_CHARGES,
        SignalKind.AMOUNT_WITH_DISCOUNT,
        SignalKind.SUBSET_SUM,
        SignalKind.OLDEST_FIRST,
        SignalKind.DATE_PROXIMITY,
        SignalKind.SHORT_PAYMENT,
        SignalKind.OVERPAYMENT,
        SignalKind.DUPLICATE_SUSPECT,
    }


def test_every_kind_has_a_template() -> None:
    assert set(said.TEMPLATES) == set(SignalKind)


def test_the_stored_wording_is_kept_for_the_api() -> None:
    # What earlier versions stored: the API returns these texts unchanged.
    brl = Money.of("120.55", "BRL")
    assert said.equals_open(brl, 1) == "120.55 BRL equals the open amount"
    assert said.equals_open(brl, 2) == "120.55 BRL equals the open amounts of 2 installments"
    assert said.date_gap(0) == "paid 0 day(s) from the due date"
    assert said.duplicate(brl, date(2025, 3, 10)) == (
        "a credit of 120.55 BRL with the same references arrived on 2025-03-10"
    )
    assert said.with_charges(brl, Money.of("131.00", "BRL"), 1) == (
        "120.55 BRL ≈ 131.00 BRL = the open amount + late charges"
    )


@pytest.mark.parametrize(
    ("kind", "detail", "template", "figures"),
    [
        (
            "amount_exact",
            "120.55 BRL equals the open amount",
            said.EQUALS_OPEN,
            {"amount": "120.55 BRL"},
        ),
        (
            "short_payment",
            "600.00 BRL is 400.00 BRL short of 1000.00 BRL",
            said.SHORT,
            {"amount": "600.00 BRL", "difference": "400.00 BRL", "target": "1000.00 BRL"},
        ),
        (
            "document_number",
            "123456 in “PGTO “NF” 123456-1”",
            said.NAMED_IN_TEXT,
            {"key": "123456", "remittance": "PGTO “NF” 123456-1"},
        ),
        ("txid", "CB0123456789abcdef", said.PIX_ID, {"id": "CB0123456789abcdef"}),
    ],
)
def test_figures_are_read_back(kind: str, detail: str, template: str, figures: dict[str, str]) -> None:
    parsed = said.parse_evidence(kind, detail)
    assert parsed is not None
    assert (parsed.template, dict(parsed.figures)) == (template, figures)


def test_texts_it_cannot_read_are_none() -> None:
    # Another kind's wording, a broken figure, an unknown kind.
    assert said.parse_evidence("amount_exact", "paid 3 day(s) from the due date") is None
    assert said.parse_evidence("amount_exact", "a lot equals the open amount") is None
    assert said.parse_evidence("a_future_signal", "120.55 BRL equals the open amount") is None
