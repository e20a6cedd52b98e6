"""Why a credit waits for review, as the pages show it: the matcher's English text read
back into the reader's language, with percentages and money in the locale's format."""

from __future__ import annotations

from uuid import uuid4

import pytest

from app.domain.receivables.kinds import Component
from app.domain.receivables.rules.allocation import AllocationPlan, PlannedAllocation
from app.domain.settlement.matching_scoring import (
    MatchProposal,
    Residual,
    ResidualHandling,
    ResidualKind,
    Review,
    Signal,
    SignalKind,
    confidence,
    decide,
)
from app.domain.settlement.review_reasons import (
    FIXED,
    REASON_SEPARATOR,
    amount_misfit,
    parse_reason,
)
from app.domain.shared.money import Money
from app.web.review_reasons import review_reasons

CUSTOMER = uuid4()


def _proposal(*kinds: SignalKind, residual: ResidualKind, difference: str) -> MatchProposal:
    ids = (uuid4(),)
    signals = tuple(Signal(k, "test") for k in kinds)
    plan = AllocationPlan(
        (PlannedAllocation(ids[0], Component.PRINCIPAL, Money.of("1000.00", "BRL")),),
        Money.of("0", "BRL"),
        Money.of("1000.00", "BRL"),
    )
    residual_of = Residual(residual, Money.of(difference, "BRL"), ResidualHandling.LEAVE_OPEN)
    return MatchProposal(CUSTOMER, ids, confidence(signals), signals, plan, residual_of)


def _stored_reasons() -> str:
    """What the statement runner stores for a weak, short, contested best proposal."""
    best = _proposal(
        SignalKind.DOCUMENT_NUMBER,
        SignalKind.PAYER_NAME,
        residual=ResidualKind.SHORT_PAYMENT,
        difference="1234.50",
    )
    runner = _proposal(
        SignalKind.INVOICE_NUMBER,
        SignalKind.PAYER_NAME,
        SignalKind.OLDEST_FIRST,
        residual=ResidualKind.EXACT,
        difference="0",
    )
    decision = decide([best, runner], 0.95)
    assert isinstance(decision, Review)
    return REASON_SEPARATOR.join(decision.reasons)


def test_the_matchers_reasons_keep_their_english_figures_for_the_api() -> None:
    # The record (and the API) keeps the wording of earlier versions, figures included.
    stored = _stored_reasons()
    assert stored == (
        "confidence 0.925 is below the threshold 0.950; "
        "amount does not fit (short_payment of 1234.50 BRL); "
        "ambiguous: another proposal scores 0.895 against 0.925"
    )


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "pt-BR",
            "confiança de 92,5%, abaixo do limite de 95,0%; "
            "o valor não confere: faltam R$ 1.234,50; "
            "ambíguo: outra proposta tem confiança de 89,5% contra 92,5%",
        ),
        (
            "es-MX",
            "confianza de 92.5%, por debajo del umbral de 95.0%; "
            "el importe no cuadra: faltan BRL1,234.50; "
            "ambiguo: otra propuesta tiene una confianza de 89.5% frente a 92.5%",
        ),
        (
            "en-US",
            "confidence 92.5% is below the threshold 95.0%; "
            "amount does not fit: R$1,234.50 short; "
            "ambiguous: another proposal scores 89.5% against 92.5%",
        ),
    ],
)
def test_reasons_with_figures_read_in_the_locale(locale: str, expected: str) -> None:
    assert review_reasons(_stored_reasons(), locale) == expected


def test_over_and_other_differences_have_their_own_sentence() -> None:
    over = amount_misfit(ResidualKind.OVERPAYMENT.value, Money.of("10.00", "BRL"))
    assert review_reasons(over, "pt-BR") == "o valor não confere: R$ 10,00 a mais"
    other = amount_misfit(ResidualKind.EXACT.value, Money.of("0.05", "BRL"))
    assert review_reasons(other, "es-MX") == "el importe no cuadra: diferencia de BRL0.05"


def test_texts_of_earlier_versions_and_unknown_texts_still_show() -> None:
    # Until 2026-11 the identity score followed the fixed text.
    old = "nothing identifies the payer or the installment well enough (0.00)"
    assert review_reasons(old, "pt-BR") == "nada identifica o pagador ou a parcela com segurança"
    # A text this version cannot read is shown as it was stored, never dropped or broken.
    odd = "confidence high is below the threshold 0.900"
    assert parse_reason(odd) is None
    assert review_reasons(f"{odd}; no candidate installment found", "pt-BR") == (
        f"{odd}; nenhuma parcela candidata encontrada"
    )
    assert review_reasons(None, "pt-BR") == "" and review_reasons("", "es-MX") == ""


def test_every_fixed_reason_reads_translated() -> None:
    # The reasons with figures are checked sentence by sentence above.
    for text in FIXED:
        assert review_reasons(text, "pt-BR") not in ("", text), text
        assert review_reasons(text, "es-MX") not in ("", text), text
