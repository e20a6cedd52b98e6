"""Small builders shared by the receivables tests."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from app.domain.receivables.ledger import InstallmentLedger
from app.domain.shared.money import Money


def brl(value: str) -> Money:
    return Money.of(value, "BRL")


def opened(face: str, on: date = date(2025, 1, 10), installment_id: UUID | None = None) -> InstallmentLedger:
    return InstallmentLedger.opened(installment_id or uuid4(), brl(face), on)
