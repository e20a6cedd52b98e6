"""The decision rules on hand-made proposals."""

from uuid import UUID, uuid4

import pytest

from app.domain.receivables.kinds import Component
from app.domain.receivables.rules.allocation import AllocationPlan, PlannedAllocation
from app.domain.settlement.matching_scoring import (
    AutoApply,
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
from tests.unit.settlement.matching_helpers import brl

CUSTOMER = uuid4()


def proposal(
    *kinds: SignalKind,
    ids: tuple[UUID, ...] | None = None,
    residual: ResidualKind = ResidualKind.EXACT,
    customer: UUID = CUSTOMER,
    amounts: tuple[str, ...] = ("100.00",),
) -> MatchProposal:
    ids = ids or tuple(uuid4() for _ in amounts)
    signals = tuple(Signal(k, "test") for k in kinds)
    lines = tuple(
        PlannedAllocation(i, Component.PRINCIPAL, brl(a)) for i, a in zip(ids, amounts, strict=True)
    )
    plan = AllocationPlan(lines, brl("0"), brl("100"))
    handling = ResidualHandling.NONE if residual is ResidualKind.EXACT else ResidualHandling.LEAVE_OPEN
    return MatchProposal(
        customer, ids, confidence(signals), signals, plan, Residual(residual, brl("1"), handling)
    )


def test_confidence_is_a_noisy_or_of_distinct_kinds() -> None:
    # 1 - (1 - 0.7)(1 - 0.8) = 0.94
    s = [Signal(SignalKind.PAYER_TAX_ID, "a"), Signal(SignalKind.AMOUNT_EXACT, "b")]
    assert confidence(s) == pytest.approx(0.94)
    assert confidence([*s, Signal(SignalKind.PAYER_TAX_ID, "again")]) == pytest.approx(0.94)
    assert confidence([]) == 0.0
    assert confidence([Signal(SignalKind.SHORT_PAYMENT, "x")]) == 0.0


def test_no_proposal_is_a_review() -> None:
    assert isinstance(decide([], 0.9), Review)


def test_threshold() -> None:
    p = proposal(SignalKind.PAYER_TAX_ID, SignalKind.AMOUNT_EXACT)  # 0.94
    assert isinstance(decide([p], 0.9), AutoApply)
    assert isinstance(decide([p], 0.95), Review)


def test_margin_is_a_ratio_of_doubts() -> None:
    best = proposal(SignalKind.PAYER_TAX_ID, SignalKind.AMOUNT_EXACT, SignalKind.DATE_PROXIMITY)  # doubt 0.03
    close = proposal(SignalKind.PAYER_TAX_ID, SignalKind.AMOUNT_EXACT, SignalKind.OLDEST_FIRST)  # doubt 0.042
    far = proposal(SignalKind.PAYER_TAX_ID, SignalKind.AMOUNT_EXACT)  # doubt 0.06: exactly twice
    assert isinstance(decide([best, close], 0.9), Review)
    assert isinstance(decide([best, far], 0.9), AutoApply)
    # the same installments proposed twice are not a rival
    twin = proposal(SignalKind.PAYER_TAX_ID, SignalKind.AMOUNT_EXACT, ids=best.installment_ids)
    assert isinstance(decide([best, twin], 0.9), AutoApply)


def test_amount_must_fit_unless_a_named_installment_is_paid_short() -> None:
    short_by_name = proposal(SignalKind.BANK_REFERENCE, residual=ResidualKind.SHORT_PAYMENT)
    assert isinstance(decide([short_by_name], 0.9), AutoApply)
    assert isinstance(decide([short_by_name], 0.9, auto_apply_short_payments=False), Review)
    short_by_text = proposal(
        SignalKind.DOCUMENT_NUMBER, SignalKind.PAYER_TAX_ID, residual=ResidualKind.SHORT_PAYMENT
    )
    assert isinstance(decide([short_by_text], 0.9), AutoApply)
    stranger = proposal(SignalKind.DOCUMENT_NUMBER, residual=ResidualKind.SHORT_PAYMENT)
    assert isinstance(decide([stranger], 0.85), Review)
    over = proposal(SignalKind.BANK_REFERENCE, residual=ResidualKind.OVERPAYMENT)
    assert isinstance(decide([over], 0.9), Review)
    # another installment fitting the amount exactly beats a (maybe mistyped) number
    rival = proposal(SignalKind.PAYER_TAX_ID, SignalKind.AMOUNT_EXACT)
    assert isinstance(decide([short_by_name, rival], 0.9), Review)


def test_identity_cannot_come_from_amount_and_order_alone() -> None:
    p = proposal(
        SignalKind.PAYER_NAME, SignalKind.AMOUNT_EXACT, SignalKind.OLDEST_FIRST, SignalKind.DATE_PROXIMITY
    )
    assert p.confidence > 0.9 and p.identity < 0.5
    decision = decide([p], 0.9)
    assert isinstance(decision, Review) and any("identifies" in r for r in decision.reasons)


def test_duplicate_suspect_blocks() -> None:
    p = proposal(SignalKind.BANK_REFERENCE, SignalKind.AMOUNT_EXACT, SignalKind.DUPLICATE_SUSPECT)
    assert isinstance(decide([p], 0.9), Review)


def test_combination_with_an_interchangeable_twin_is_reviewed() -> None:
    best = proposal(
        SignalKind.PAYER_TAX_ID,
        SignalKind.SUBSET_SUM,
        SignalKind.OLDEST_FIRST,
        SignalKind.INVOICE_ORDER,
        amounts=("60.00", "40.00"),
    )
    twin = proposal(SignalKind.PAYER_TAX_ID, SignalKind.SUBSET_SUM, amounts=("40.00", "60.00"))
    other_customer = proposal(
        SignalKind.PAYER_TAX_ID, SignalKind.SUBSET_SUM, amounts=("40.00", "60.00"), customer=uuid4()
    )
    assert isinstance(decide([best, twin], 0.9), Review)
    assert isinstance(decide([best], 0.9), AutoApply)
    decision = decide([best, other_customer], 0.9, min_doubt_ratio=1.0)
    assert isinstance(decision, AutoApply)
