"""Signals, proposals and the decision: the explainable half of the matching engine.

Scoring is a noisy-OR: each signal is an independent piece of evidence with a weight in
[0, 1), read as "how sure this signal alone would make us", and

    confidence = 1 - Π (1 - weight)

so a reviewer can recompute any score from the signals shown next to it. Ranking ties
are broken by the installments' due dates (oldest first), never by chance.

The decision is precision first, because a wrong automatic application is a defect
while a review costs a minute of someone's time. A proposal is applied automatically
only when all of these hold:

1. its confidence reaches the tenant's threshold, and its identity evidence alone (the
   references and the payer, without amount, order or dates) reaches ``min_identity``;
2. the amount is consistent with it (equal, equal with computed late charges or the
   early-payment discount, within tolerance, or an exact combination) — or it is a
   short payment of an installment named by its bank reference, txid or end-to-end id,
   or by its document number from the customer's own tax id or account, and no other
   proposal fits the amount;
3. it is unambiguous: the best proposal for any *other* set of installments carries at
   least ``min_doubt_ratio`` times its doubt (1 - confidence), and, for a combination,
   no other combination of equal installments fits as well;
4. nothing suggests the credit was already received (duplicate check).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from app.domain.receivables.rules.allocation import AllocationPlan
from app.domain.settlement import review_reasons as why
from app.domain.shared.money import Money


class SignalKind(StrEnum):
    # identity: who and what the payment is for
    BANK_REFERENCE = "bank_reference"  # nosso número
    TXID = "txid"
    END_TO_END = "end_to_end_id"
    DOCUMENT_NUMBER = "document_number"  # the text names this installment (number + index)
    INVOICE_NUMBER = "invoice_number"  # the text names its invoice (any installment)
    DOCUMENT_NUMBER_TYPO = "document_number_typo"  # either, within one typo
    PAYER_TAX_ID = "payer_tax_id"
    PAYER_GROUP = "payer_group"  # same CNPJ root: another branch of the company
    PAYER_ACCOUNT = "payer_account"
    PAYER_NAME = "payer_name"
    PAYER_HISTORY = "payer_history"  # this payer has paid for this customer before
    # amount
    AMOUNT_EXACT = "amount_exact"
    AMOUNT_WITH_LATE_CHARGES = "amount_with_late_charges"
    AMOUNT_WITH_DISCOUNT = "amount_with_discount"
    AMOUNT_WITHIN_TOLERANCE = "amount_within_tolerance"
    SUBSET_SUM = "subset_sum"  # a combination of the customer's open installments
    # order and time
    OLDEST_FIRST = "oldest_first"  # the customer's oldest open installments
    INVOICE_ORDER = "invoice_order"  # no earlier installment of the same invoice is left open
    DATE_PROXIMITY = "date_proximity"
    # against (weight 0: shown to the reviewer, they raise no confidence)
    SHORT_PAYMENT = "short_payment"
    OVERPAYMENT = "overpayment"
    DUPLICATE_SUSPECT = "duplicate_suspect"


WEIGHTS: dict[SignalKind, float] = {
    SignalKind.BANK_REFERENCE: 0.97,
    SignalKind.TXID: 0.97,
    SignalKind.END_TO_END: 0.97,
    SignalKind.DOCUMENT_NUMBER: 0.9,
    SignalKind.INVOICE_NUMBER: 0.8,
    SignalKind.DOCUMENT_NUMBER_TYPO: 0.45,  # alone, below min_identity: ~60 numbers lie within one typo
    SignalKind.PAYER_TAX_ID: 0.7,
    SignalKind.PAYER_GROUP: 0.5,
    SignalKind.PAYER_ACCOUNT: 0.6,
    SignalKind.PAYER_NAME: 0.25,
    SignalKind.PAYER_HISTORY: 0.5,
    SignalKind.AMOUNT_EXACT: 0.8,
    SignalKind.AMOUNT_WITH_LATE_CHARGES: 0.75,
    SignalKind.AMOUNT_WITH_DISCOUNT: 0.75,
    SignalKind.AMOUNT_WITHIN_TOLERANCE: 0.4,
    SignalKind.SUBSET_SUM: 0.7,
    SignalKind.OLDEST_FIRST: 0.3,
    SignalKind.INVOICE_ORDER: 0.5,
    SignalKind.DATE_PROXIMITY: 0.5,
    SignalKind.SHORT_PAYMENT: 0.0,
    SignalKind.OVERPAYMENT: 0.0,
    SignalKind.DUPLICATE_SUSPECT: 0.0,
}

DETERMINISTIC = frozenset({SignalKind.BANK_REFERENCE, SignalKind.TXID, SignalKind.END_TO_END})
IDENTITY = frozenset(
    {
        *DETERMINISTIC,
        SignalKind.DOCUMENT_NUMBER,
        SignalKind.INVOICE_NUMBER,
        SignalKind.DOCUMENT_NUMBER_TYPO,
        SignalKind.PAYER_TAX_ID,
        SignalKind.PAYER_GROUP,
        SignalKind.PAYER_ACCOUNT,
        SignalKind.PAYER_NAME,
        SignalKind.PAYER_HISTORY,
    }
)
# What makes a short payment safe to apply: the installment itself is named, and (for a
# number typed in free text) the payer is known to be its customer.
_PAYER_KNOWN = frozenset({SignalKind.PAYER_TAX_ID, SignalKind.PAYER_ACCOUNT})
AMOUNT_CONSISTENT = frozenset(
    {
        SignalKind.AMOUNT_EXACT,
        SignalKind.AMOUNT_WITH_LATE_CHARGES,
        SignalKind.AMOUNT_WITH_DISCOUNT,
        SignalKind.AMOUNT_WITHIN_TOLERANCE,
        SignalKind.SUBSET_SUM,
    }
)


@dataclass(frozen=True, slots=True)
class Signal:
    kind: SignalKind
    detail: str

    @property
    def weight(self) -> float:
        return WEIGHTS[self.kind]


def confidence(signals: Sequence[Signal]) -> float:
    """Noisy-OR of the signals' weights, one per kind (a kind seen twice counts once)."""
    doubt = 1.0
    for kind in {s.kind for s in signals}:
        doubt *= 1.0 - WEIGHTS[kind]
    return round(1.0 - doubt, 6)


class ResidualKind(StrEnum):
    EXACT = "exact"
    SHORT_PAYMENT = "short_payment"
    OVERPAYMENT = "overpayment"


class ResidualHandling(StrEnum):
    NONE = "none"
    TOLERANCE_ADJUSTMENT = "tolerance_adjustment"  # small difference: adjust with reason "rounding"
    LEAVE_OPEN = "leave_open"  # the rest stays open on the installment
    DEDUCTION_REVIEW = "deduction_review"  # a person decides whether to accept a deduction
    UNAPPLIED_CREDIT = "unapplied_credit"  # the excess is kept as customer credit


@dataclass(frozen=True, slots=True)
class Residual:
    kind: ResidualKind
    amount: Money  # absolute difference
    handling: ResidualHandling
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ChargeToAssess:
    """Late charges to book (``LATE_CHARGE`` entry) before the allocation."""

    installment_id: UUID
    amount: Money


@dataclass(frozen=True, slots=True)
class DiscountToGrant:
    """Early-payment discount to book (``DISCOUNT`` entry) before the allocation."""

    installment_id: UUID
    amount: Money


@dataclass(frozen=True, slots=True)
class MatchProposal:
    customer_id: UUID
    installment_ids: tuple[UUID, ...]  # in allocation order (oldest due first)
    confidence: float
    signals: tuple[Signal, ...]
    plan: AllocationPlan
    residual: Residual
    charges_to_assess: tuple[ChargeToAssess, ...] = ()
    discounts_to_grant: tuple[DiscountToGrant, ...] = ()

    def has(self, kind: SignalKind) -> bool:
        return any(s.kind is kind for s in self.signals)

    @property
    def deterministic(self) -> bool:
        return any(s.kind in DETERMINISTIC for s in self.signals)

    @property
    def names_installment(self) -> bool:
        """The credit itself names this installment beyond doubt."""
        if self.deterministic:
            return True
        return self.has(SignalKind.DOCUMENT_NUMBER) and any(s.kind in _PAYER_KNOWN for s in self.signals)

    @property
    def identity(self) -> float:
        """How sure the references and the payer alone make us of the customer and items
        (noisy-OR of the identity signals): amount, order and dates only choose among a
        customer's installments, they cannot say who paid."""
        return confidence([s for s in self.signals if s.kind in IDENTITY])

    @property
    def amount_consistent(self) -> bool:
        return any(s.kind in AMOUNT_CONSISTENT for s in self.signals)

    def explain(self) -> str:
        parts = [f"{s.kind.value} (+{s.weight:.2f}): {s.detail}" for s in self.signals]
        return f"confidence {self.confidence:.3f} = 1 - Π(1 - weight) over: " + "; ".join(parts)


@dataclass(frozen=True, slots=True)
class AutoApply:
    proposal: MatchProposal
    why: str


@dataclass(frozen=True, slots=True)
class Review:
    reasons: tuple[str, ...]
    proposals: tuple[MatchProposal, ...]


Decision = AutoApply | Review


def _interchangeable(a: MatchProposal, b: MatchProposal) -> bool:
    """Same customer, other installments, the same amounts: a swap of equals."""
    if a.customer_id != b.customer_id or set(a.installment_ids) == set(b.installment_ids):
        return False
    if not b.amount_consistent:
        return False
    amounts_a = sorted(a.plan.to(i).minor for i in a.installment_ids)
    amounts_b = sorted(b.plan.to(i).minor for i in b.installment_ids)
    return amounts_a == amounts_b


def decide(
    proposals: Sequence[MatchProposal],
    threshold: float,
    *,
    min_doubt_ratio: float = 2.0,
    auto_apply_short_payments: bool = True,
    min_identity: float = 0.5,
) -> Decision:
    """Apply automatically only an unambiguous, amount-consistent best proposal.

    ``proposals`` must be ranked best first (as ``match_line`` returns them).
    """
    ranked = tuple(proposals)
    if not ranked:
        return Review((why.NO_CANDIDATE,), ranked)
    best = ranked[0]
    reasons: list[str] = []
    if best.has(SignalKind.DUPLICATE_SUSPECT):
        reasons.append(why.DUPLICATE_SUSPECT)
    if best.confidence < threshold:
        reasons.append(why.below_threshold(best.confidence, threshold))
    if best.identity < min_identity:
        # A fixed text (the score is in the proposal): the pages translate it.
        reasons.append(why.WEAK_IDENTITY)
    if not best.amount_consistent:
        short_ok = (
            auto_apply_short_payments
            and best.residual.kind is ResidualKind.SHORT_PAYMENT
            and best.names_installment
            and len(best.installment_ids) == 1
        )
        if short_ok and any(p.amount_consistent for p in ranked[1:]):
            # A number in the text may be mistyped; an amount that fits other
            # installments exactly is the stronger story, so a person decides.
            short_ok = False
        if not short_ok:
            reasons.append(why.amount_misfit(best.residual.kind.value, best.residual.amount))
    if len(best.installment_ids) > 1 and any(_interchangeable(best, p) for p in ranked[1:]):
        # Order and dates tell a single installment apart, not a combination: one of
        # several equal installments could be the one paid.
        reasons.append(why.EQUAL_COMBINATION)
    runner = next((p for p in ranked[1:] if set(p.installment_ids) != set(best.installment_ids)), None)
    if runner is not None:
        best_doubt = 1.0 - best.confidence
        runner_doubt = 1.0 - runner.confidence
        if runner_doubt + 1e-9 < min_doubt_ratio * best_doubt:
            reasons.append(why.ambiguous(runner.confidence, best.confidence))
    if reasons:
        return Review(tuple(reasons), ranked)
    return AutoApply(best, best.explain())
