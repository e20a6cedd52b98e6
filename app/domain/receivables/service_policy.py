"""The tenant's receivables policy: late charges, approval threshold, cash-application
tolerance, auto-apply threshold and aging buckets.

Stored as plain JSON under ``tenants.settings["receivables"]``; every key is optional
and falls back to the defaults below, so a tenant created before a key existed keeps
working.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain.receivables.aging import AgingBuckets
from app.domain.receivables.late_charges import LateChargePolicy
from app.domain.receivables.model import ReceivablesError
from app.domain.receivables.rules.allocation import ComponentOrder
from app.domain.shared.money import Money

SETTINGS_KEY = "receivables"
DEFAULT_BOUNDS = (0, 30, 60, 90, 180)


@dataclass(frozen=True, slots=True)
class ReceivablesPolicy:
    currency: str
    # Brazilian practice on boletos: 2 % fine, 1 % a month interest pro rata die.
    late_charges: LateChargePolicy = field(
        default_factory=lambda: LateChargePolicy(Decimal("2"), Decimal("1"), 0)
    )
    approval_threshold: Money | None = None  # None: the default (1,000 in the currency)
    tolerance: Money | None = None  # cash application: None means 0.05
    auto_apply_threshold: Decimal = Decimal("0.9")
    aging_bounds: tuple[int, ...] = DEFAULT_BOUNDS
    component_order: ComponentOrder = ComponentOrder.CHARGES_FIRST

    @property
    def threshold(self) -> Money:
        return self.approval_threshold or Money.of("1000", self.currency)

    @property
    def cash_tolerance(self) -> Money:
        return self.tolerance or Money.of("0.05", self.currency)

    @property
    def buckets(self) -> AgingBuckets:
        return AgingBuckets.from_upper_bounds(list(self.aging_bounds))

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None, currency: str) -> ReceivablesPolicy:
        """Read the JSON stored in ``tenants.settings``; bad values raise (they are
        checked when saved, so this only fails on hand-edited data)."""
        raw = (settings or {}).get(SETTINGS_KEY) or {}
        if not isinstance(raw, Mapping):
            raise ReceivablesError("receivables settings must be an object")
        default = cls(currency)
        lc = default.late_charges
        try:
            late = LateChargePolicy(
                fine_percent=Decimal(str(raw.get("late_fine_percent", lc.fine_percent))),
                interest_percent_per_month=Decimal(
                    str(raw.get("late_interest_percent_per_month", lc.interest_percent_per_month))
                ),
                grace_days=int(raw.get("grace_days", lc.grace_days)),
            )
            threshold = raw.get("approval_threshold")
            tolerance = raw.get("tolerance")
            return cls(
                currency=currency,
                late_charges=late,
                approval_threshold=Money.of(str(threshold), currency) if threshold is not None else None,
                tolerance=Money.of(str(tolerance), currency) if tolerance is not None else None,
                auto_apply_threshold=Decimal(
                    str(raw.get("auto_apply_threshold", default.auto_apply_threshold))
                ),
                aging_bounds=tuple(int(b) for b in raw.get("aging_bounds", DEFAULT_BOUNDS)),
                component_order=ComponentOrder(raw.get("component_order", default.component_order.value)),
            )
        except (InvalidOperation, TypeError, ValueError) as exc:
            raise ReceivablesError(f"invalid receivables settings: {exc}") from exc

    def to_settings(self) -> dict[str, Any]:
        """The JSON form; round-trips through ``from_settings``."""
        out: dict[str, Any] = {
            "late_fine_percent": str(self.late_charges.fine_percent),
            "late_interest_percent_per_month": str(self.late_charges.interest_percent_per_month),
            "grace_days": self.late_charges.grace_days,
            "auto_apply_threshold": str(self.auto_apply_threshold),
            "aging_bounds": list(self.aging_bounds),
            "component_order": self.component_order.value,
        }
        if self.approval_threshold is not None:
            out["approval_threshold"] = str(self.approval_threshold.amount)
        if self.tolerance is not None:
            out["tolerance"] = str(self.tolerance.amount)
        self.buckets  # noqa: B018  (validates the bounds before they are stored)
        return out
