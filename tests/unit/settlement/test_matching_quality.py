"""The benchmark's generator and the engine together, small: a regression net for the
quality figures (the full run is bench/matching_quality.py)."""

from collections import Counter

from app.domain.settlement.matching_memory import InMemoryCandidateProvider
from bench.gen.statements_truth import generate
from bench.matching_quality import run


def test_generator_is_deterministic() -> None:
    a, b = generate(seed=5, lines=300), generate(seed=5, lines=300)
    assert [(t.kind, t.line, t.truth) for t in a.lines] == [(t.kind, t.line, t.truth) for t in b.lines]
    assert generate(seed=6, lines=300).lines != a.lines
    kinds = Counter(t.kind for t in a.lines)
    assert set(kinds) == {
        "exact_reference",
        "typo",
        "combined",
        "partial",
        "late_with_charges",
        "third_party",
        "duplicate",
        "unrelated",
    }
    assert all(not t.truth for t in a.lines if t.kind in ("duplicate", "unrelated"))
    dates = [t.line.value_date for t in a.lines]
    assert dates == sorted(dates)


def test_engine_quality_on_a_small_book() -> None:
    book = generate(seed=11, lines=1200)
    per_kind = run(book)["per_kind"]
    total: Counter[str] = Counter()
    for c in per_kind.values():  # type: ignore[attr-defined]
        total.update(c)
    assert total["lines"] == 1200
    assert total["auto_wrong"] <= 1  # precision first
    assert total["auto_correct"] / total["matchable"] >= 0.85
    assert per_kind["unrelated"]["auto"] == 0  # type: ignore[index]
    assert per_kind["duplicate"]["auto"] == 0  # type: ignore[index]


def test_in_memory_provider_books_an_application() -> None:
    book = generate(seed=3, lines=50)
    provider = InMemoryCandidateProvider(book.installments, book.customers, book.history)
    inst = next(i for i in book.installments if i.open.is_positive())
    assert provider.open_installments(inst.customer_id, 100)
    assert inst in provider.installments_by_reference({inst.invoice_number}, 100)
