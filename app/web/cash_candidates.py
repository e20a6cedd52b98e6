"""The candidates of a cash-application line, as a finance user reads them.

A stored proposal names installments by id; the page shows what people recognise —
the invoice number and n/m, the customer, the due date, the open amount, the late
charges the candidate would book — and why it was suggested, signal by signal
(``app.web.match_evidence``). The installments of every candidate shown are read in
one statement; the proposals themselves are shown as stored (the API's shape).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from app.adapters.db.queries_payments_web import PaymentWebQueries
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.settlement.matching_scoring import SignalKind
from app.domain.shared.money import Money, MoneyError
from app.server.bank_files_schemas import RecordOut
from app.web.format import percent
from app.web.match_evidence import EvidenceLine, evidence_lines


@dataclass(frozen=True, slots=True)
class Target:
    """One installment a candidate pays (``found`` False: it no longer exists)."""

    installment_id: str
    applies: Money | None  # what the candidate applies to it
    found: bool = False
    invoice_id: str = ""
    invoice_number: str = ""
    number: str = ""  # "2/3"
    due_date: date | None = None
    open_amount: Money | None = None
    charges: Money | None = None  # late charges the candidate would book before applying
    settled: bool = False  # nothing is open on it any more (paid since the match)
    status: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    index: int  # the proposal's position, as the confirm action takes it
    confidence: str
    customer_id: str
    customer_name: str
    targets: tuple[Target, ...]
    evidence: tuple[EvidenceLine, ...]
    unapplied: Money | None  # what would be left as the customer's credit

    @property
    def has_charges(self) -> bool:
        return any(t.charges is not None for t in self.targets)


async def load_candidates(uow: SqlUnitOfWork, record: RecordOut | None, locale: str) -> list[Candidate]:
    """The candidates of the selected line with their installments."""
    if record is None or not record.proposals:
        return []
    proposals: Sequence[Mapping[str, Any]] = record.proposals
    ids = [i for p in proposals for i in map(_uuid, _installment_ids(p)) if i is not None]
    rows = await PaymentWebQueries(uow.session, uow.tenant).installment_targets(ids)
    currency = str((record.parsed or {}).get("currency") or "BRL")
    return candidates(proposals, {str(r.id): r for r in rows}, currency, locale)


def candidates(
    proposals: Sequence[Mapping[str, Any]], rows: Mapping[str, Any], currency: str, locale: str
) -> list[Candidate]:
    """Pure: stored proposals and the installment rows read for them → the view."""
    out = []
    for index, p in enumerate(proposals):
        signals = list(p.get("signals") or [])
        with_charges = any(s.get("kind") == SignalKind.AMOUNT_WITH_LATE_CHARGES.value for s in signals)
        targets = tuple(
            _target(a, rows.get(str(a.get("installment_id"))), currency, with_charges)
            for a in _allocations(p)
        )
        found = next((rows[t.installment_id] for t in targets if t.found), None)
        out.append(
            Candidate(
                index=index,
                confidence=percent(_decimal(p.get("confidence")) or Decimal(0), locale),
                customer_id=str(p.get("customer_id") or ""),
                customer_name=str(found.customer_name) if found is not None else "",
                targets=targets,
                evidence=tuple(evidence_lines(signals, locale, max(len(targets), 1))),
                unapplied=_positive(p.get("unapplied"), currency),
            )
        )
    return out


def _allocations(p: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    allocations = list(p.get("allocations") or [])
    listed = {str(a.get("installment_id")) for a in allocations}
    # An installment the plan gives nothing (the credit ran out) is still part of it.
    rest = [
        {"installment_id": i, "amount": None} for i in p.get("installment_ids") or [] if str(i) not in listed
    ]
    return [*allocations, *rest]


def _installment_ids(p: Mapping[str, Any]) -> list[str]:
    return [str(a.get("installment_id")) for a in _allocations(p)]


def _target(allocation: Mapping[str, Any], row: Any | None, currency: str, with_charges: bool) -> Target:
    iid = str(allocation.get("installment_id"))
    applies = _money(allocation.get("amount"), currency)
    if row is None:
        return Target(installment_id=iid, applies=applies)
    open_amount = Money.from_minor(row.open_minor, row.currency)
    charges = None
    if (
        with_charges
        and applies is not None
        and applies.currency == open_amount.currency
        and applies > open_amount
        and open_amount.is_positive()
    ):
        # The candidate books late charges first, so it applies more than is open.
        charges = applies - open_amount
    return Target(
        installment_id=iid,
        applies=applies,
        found=True,
        invoice_id=str(row.invoice_id),
        invoice_number=str(row.invoice_number),
        number=f"{row.number_index}/{row.number_count}",
        due_date=row.due_date,
        open_amount=open_amount,
        charges=charges,
        settled=not open_amount.is_positive(),
        status=str(row.status),
    )


def _decimal(raw: object) -> Decimal | None:
    try:
        return Decimal(str(raw)) if raw is not None and raw != "" else None
    except InvalidOperation:
        return None


def _money(raw: object, currency: str) -> Money | None:
    value = _decimal(raw)
    try:
        return Money.of(value, currency) if value is not None else None
    except MoneyError:
        return None


def _positive(raw: object, currency: str) -> Money | None:
    value = _money(raw, currency)
    return value if value is not None and value.is_positive() else None


def _uuid(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None
