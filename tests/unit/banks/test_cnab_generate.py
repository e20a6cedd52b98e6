"""The return generator (benchmarks, end-to-end tests) writes files the parser accepts."""

from __future__ import annotations

import pytest

from app.adapters.banks.cnab import generate, parse_return
from app.adapters.banks.cnab.generate import SAMPLE_ACCOUNT, return_240_bytes, synthetic_titles
from app.domain.settlement.bank_files import Outcome


def test_synthetic_titles_are_deterministic() -> None:
    assert list(synthetic_titles(50, seed=3)) == list(synthetic_titles(50, seed=3))
    assert list(synthetic_titles(50, seed=3)) != list(synthetic_titles(50, seed=4))


def test_large_returns_are_split_into_lots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generate, "MAX_TITLES_PER_LOT", 7)
    titles = list(synthetic_titles(30, seed=1))
    data = return_240_bytes(SAMPLE_ACCOUNT, titles)
    p = parse_return(data)
    assert p.errors == []
    assert len(p.records) == 30
    assert data.count(b"\r\n") == 2 + 5 * 2 + 60  # headers/trailers, 5 lots, T+U per title
    assert p.computed_totals.details_value_minor == sum(t.face_value_minor for t in titles)
    settled = [t for t in titles if t.occurrence_code == "06"]
    assert p.settled_count == len(settled)
    assert p.settled_amount.minor == sum(t.paid_minor for t in settled)
    assert {r.outcome for r in p.records} <= {Outcome.SETTLED, Outcome.REGISTERED, Outcome.WRITTEN_OFF}
    assert [r.nosso_numero for r in p.records] == [t.nosso_numero for t in titles]
