"""What the amount of a credit says about a set of installments.

For each installment three amounts could be due on the value date: the open amount,
the open amount plus late charges computed by the tenant's policy (``late_charges``),
and the open amount less the early-payment discount. A set fits when the credit equals
one of the sums exactly or within the tenant's tolerance; what is left over or missing
is the residual, and how it is handled follows the tenant's settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from app.domain.receivables.late_charges import charges_as_of
from app.domain.receivables.rules.allocation import OpenItem
from app.domain.settlement import match_evidence as said
from app.domain.settlement.matching_ports import (
    CandidateInstallment,
    MatchSettings,
    PaymentLine,
    ShortPaymentHandling,
)
from app.domain.settlement.matching_scoring import (
    ChargeToAssess,
    DiscountToGrant,
    Residual,
    ResidualHandling,
    ResidualKind,
    Signal,
    SignalKind,
)
from app.domain.settlement.matching_subset import subsets_summing_to
from app.domain.shared.money import Money


@dataclass(slots=True)
class AmountFit:
    signals: list[Signal]
    plan_items: list[OpenItem]  # what the allocation works on (charges and discounts applied)
    residual: Residual
    charges: list[ChargeToAssess]
    discounts: list[DiscountToGrant]


@dataclass(slots=True)
class AmountCheck:
    """Amount evidence for one credit. Money arithmetic is exact but not free, so each
    installment's expected amounts are computed once, in minor units."""

    line: PaymentLine
    settings: MatchSettings
    notes: list[str] = field(default_factory=list)
    _expected: dict[UUID, tuple[int, int, int]] = field(default_factory=dict)
    _tolerances: dict[int, int] = field(default_factory=dict)

    def expected_minor(self, c: CandidateInstallment) -> tuple[int, int, int]:
        """(open, open + late charges due by the value date, open - discount) in minor units."""
        cached = self._expected.get(c.installment_id)
        if cached is None:
            cached = self._expected[c.installment_id] = self._compute(c)
        return cached

    def expected(self, c: CandidateInstallment) -> tuple[Money, Money, Money]:
        cur = c.face_value.currency
        o, w, d = self.expected_minor(c)
        return Money.from_minor(o, cur), Money.from_minor(w, cur), Money.from_minor(d, cur)

    def tolerance_minor(self, expected: int) -> int:
        if not self.settings.tolerance_percent:
            return self.settings.tolerance_amount.minor
        tol = self._tolerances.get(expected)
        if tol is None:
            money = Money.from_minor(expected, self.settings.currency)
            tol = self._tolerances[expected] = self.settings.tolerance_for(money).minor
        return tol

    def _compute(self, c: CandidateInstallment) -> tuple[int, int, int]:
        open_minor = c.open_principal.minor + c.open_late_charges.minor
        policy = self.settings.late_charges
        late = (self.line.value_date - c.due_date).days > policy.grace_days
        early = policy.discount is not None and self.line.value_date <= c.due_date
        if not late and not early:
            return open_minor, open_minor, open_minor  # the common case, without Decimal work
        lc = charges_as_of(c, policy, self.line.value_date, consumer=c.consumer, principal=c.open_principal)
        new_charges = max(lc.charges.minor - c.open_late_charges.minor, 0)
        return open_minor, open_minor + new_charges, open_minor - lc.discount.minor

    def fits(self, c: CandidateInstallment) -> bool:
        """Does the credit pay this one installment (any of its three amounts)?"""
        amount = self.line.amount.minor
        return any(abs(amount - e) <= self.tolerance_minor(e) for e in self.expected_minor(c))

    def combinations(self, items: Sequence[CandidateInstallment]) -> list[list[UUID]]:
        """Sets of 2..max_subset_items installments whose amounts add up to the credit."""
        if len(items) < 2:
            return []
        out: list[list[UUID]] = []
        target = self.line.amount.minor
        vectors = [self.expected_minor(c) for c in items]
        for col in range(3):
            amounts = [v[col] for v in vectors]
            if col and amounts == [v[0] for v in vectors]:
                continue  # no late charges or discount in play: same search as the first
            # Exact sums only: a tolerance would multiply chance matches (and a cent of
            # difference between near-equal installments would multiply the answers).
            search = subsets_summing_to(target, amounts, max_items=self.settings.max_subset_items)
            if not search.complete:
                self.notes.append("many combinations of open installments add up to this amount")
            out.extend([items[i].installment_id for i in sol] for sol in search.solutions)
        return out

    def evaluate(self, items: list[CandidateInstallment], searched: bool) -> AmountFit:
        """Amount signals, allocation items and residual for ``items`` (oldest first).
        ``searched``: the set came from the subset search, not from references."""
        amount = self.line.amount
        zero = Money.zero(amount.currency)
        expected = [self.expected(c) for c in items]
        open_sum = sum((e[0] for e in expected), zero)
        with_charges = sum((e[1] for e in expected), zero)
        with_discount = sum((e[2] for e in expected), zero)
        n = len(items)
        exact_kind = SignalKind.SUBSET_SUM if searched and n > 1 else SignalKind.AMOUNT_EXACT

        def within(target: Money) -> bool:
            return abs(amount.minor - target.minor) <= self.tolerance_minor(target.minor)

        signals: list[Signal] = []
        mode = "open"
        if amount == open_sum:
            signals.append(Signal(exact_kind, said.equals_open(amount, n)))
        elif with_charges != open_sum and within(with_charges):
            mode = "charges"
            detail = said.with_charges(amount, with_charges, n)
            signals.append(Signal(SignalKind.AMOUNT_WITH_LATE_CHARGES, detail))
        elif with_discount != open_sum and within(with_discount):
            mode = "discount"
            detail = said.with_discount(amount, with_discount, n)
            signals.append(Signal(SignalKind.AMOUNT_WITH_DISCOUNT, detail))
        elif within(open_sum):
            kind = exact_kind if exact_kind is SignalKind.SUBSET_SUM else SignalKind.AMOUNT_WITHIN_TOLERANCE
            signals.append(Signal(kind, said.within_tolerance(amount, open_sum)))

        charges: list[ChargeToAssess] = []
        discounts: list[DiscountToGrant] = []
        plan_items: list[OpenItem] = []
        for c, (open_, due_with_charges, due_with_discount) in zip(items, expected, strict=True):
            principal, late = c.open_principal, c.open_late_charges
            if mode == "charges" and due_with_charges > open_:
                charges.append(ChargeToAssess(c.installment_id, due_with_charges - open_))
                late = late + (due_with_charges - open_)
            if mode == "discount" and due_with_discount < open_:
                discounts.append(DiscountToGrant(c.installment_id, open_ - due_with_discount))
                principal = principal - (open_ - due_with_discount)
            plan_items.append(OpenItem(c.installment_id, c.due_date, principal, late, c.number.index))
        target = {"open": open_sum, "charges": with_charges, "discount": with_discount}[mode]
        residual = self.residual(amount, target)
        if residual.handling in (
            ResidualHandling.LEAVE_OPEN,
            ResidualHandling.DEDUCTION_REVIEW,
        ):
            signals.append(Signal(SignalKind.SHORT_PAYMENT, said.short(amount, residual.amount, target)))
        if residual.handling is ResidualHandling.UNAPPLIED_CREDIT:
            signals.append(Signal(SignalKind.OVERPAYMENT, said.over(amount, residual.amount, target)))
        return AmountFit(signals, plan_items, residual, charges, discounts)

    def residual(self, amount: Money, target: Money) -> Residual:
        diff = amount - target
        if diff.is_zero():
            return Residual(ResidualKind.EXACT, diff, ResidualHandling.NONE)
        size = diff if diff.is_positive() else -diff
        small = size <= self.settings.tolerance_for(target)
        if diff.is_positive():
            handling = ResidualHandling.TOLERANCE_ADJUSTMENT if small else ResidualHandling.UNAPPLIED_CREDIT
            return Residual(ResidualKind.OVERPAYMENT, size, handling, "paid more than is open")
        if small:
            return Residual(
                ResidualKind.SHORT_PAYMENT, size, ResidualHandling.TOLERANCE_ADJUSTMENT, "within tolerance"
            )
        if self.settings.short_payments is ShortPaymentHandling.DEDUCTION_REVIEW:
            return Residual(
                ResidualKind.SHORT_PAYMENT, size, ResidualHandling.DEDUCTION_REVIEW, "possible deduction"
            )
        return Residual(
            ResidualKind.SHORT_PAYMENT, size, ResidualHandling.LEAVE_OPEN, "short payment: rest stays open"
        )
