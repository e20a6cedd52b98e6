"""The installments part of the invoice page: each installment with what is due on it
today (late charges computed from the tenant policy, never typed), the ledger entries
that touched it, the changes waiting for approval; and the change-request form."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from app.adapters.db.models import ChangeRequestRow, InstallmentRow, LedgerEntryRow
from app.adapters.db.queries_payments_web import PaymentWebQueries
from app.adapters.db.repositories.receivables import installment_of, is_consumer
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.receivables.invoice_input import parse_amount
from app.domain.receivables.kinds import EntryKind
from app.domain.receivables.late_charges import LateCharges, charges_as_of
from app.domain.receivables.ledger import InstallmentLedger
from app.domain.receivables.reasons import REASONS, ReasonCode, ReasonInfo, reasons_for
from app.domain.receivables.service import assessed_charges
from app.domain.receivables.service_policy import ReceivablesPolicy
from app.domain.shared.errors import FieldError
from app.domain.shared.money import Money
from app.web.pages import parse_amount_input

# The manual changes a user may ask for from the invoice page (rebates go through the API).
CHANGE_KINDS = (EntryKind.CREDIT_NOTE, EntryKind.ADJUSTMENT, EntryKind.WRITE_OFF)
UNPAID_STATUSES = ("open", "partially_paid")
# A reason code as people read it (the templates translate the label).
REASON_LABELS = {code.value: info.label for code, info in REASONS.items()}


def reason_choices(kinds: tuple[EntryKind, ...]) -> list[tuple[str, list[ReasonInfo]]]:
    """Reason codes grouped by the kind they may justify (an <optgroup> each)."""
    return [(k.value, reasons_for(k)) for k in kinds]


@dataclass(frozen=True)
class Movement:
    """One ledger entry on an installment, as the page lists it."""

    row: LedgerEntryRow
    reversed: bool

    @property
    def kind(self) -> str:
        return self.row.kind


@dataclass(frozen=True)
class InstallmentView:
    row: InstallmentRow
    days_late: int
    charges: LateCharges | None
    total_due: Money | None  # what settles it if paid today, charges included
    movements: list[Movement] = field(default_factory=list)
    pending: list[ChangeRequestRow] = field(default_factory=list)

    @property
    def number(self) -> str:
        return f"{self.row.number_index}/{self.row.number_count}"

    @property
    def is_open(self) -> bool:
        return self.row.open_minor > 0 and self.row.status in UNPAID_STATUSES

    @property
    def badge(self) -> str:
        return "overdue" if self.is_open and self.days_late > 0 else self.row.status


def due_today(
    row: InstallmentRow, ledger: InstallmentLedger, policy: ReceivablesPolicy, today: date, consumer: bool
) -> tuple[LateCharges | None, Money | None]:
    """Late charges as of ``today`` on the open principal, and the total that settles the
    installment today: what is open, plus charges not yet assessed, less any discount.
    The same rule the allocation use case applies when a payment covers the charges."""
    if not ledger.open_amount.is_positive():
        return None, None
    principal = ledger.balance.principal
    if not principal.is_positive():
        return None, ledger.open_amount
    charges = charges_as_of(
        installment_of(row), policy.late_charges, today, consumer=consumer, principal=principal
    )
    extra = charges.charges - assessed_charges(ledger)
    total = ledger.open_amount - charges.discount
    if extra.is_positive():
        total = total + extra
    return charges, total


async def installment_views(
    uow: SqlUnitOfWork, invoice_id: uuid.UUID, customer_id: uuid.UUID, today: date
) -> list[InstallmentView]:
    q = PaymentWebQueries(uow.session, uow.tenant)
    rows = await q.installment_rows(invoice_id)
    if not rows:
        return []
    ids = [r.id for r in rows]
    entry_rows = await q.entry_rows(ids)
    ledgers = q.ledgers_of(ids, entry_rows)
    pending = await q.pending_requests(ids)
    policy = await uow.receivables_policy()
    consumer = is_consumer(await q.customer_tax_id(customer_id))
    reversed_ids = {e.reverses_entry_id for e in entry_rows if e.reverses_entry_id}
    views: list[InstallmentView] = []
    for row in rows:
        charges, total = due_today(row, ledgers[row.id], policy, today, consumer)
        unpaid = row.open_minor > 0 and row.status in UNPAID_STATUSES
        views.append(
            InstallmentView(
                row=row,
                days_late=max((today - row.due_date).days, 0) if unpaid else 0,
                charges=charges,
                total_due=total,
                movements=[
                    Movement(e, e.id in reversed_ids)
                    for e in entry_rows
                    if e.installment_id == row.id and e.kind != EntryKind.CHARGE.value
                ],
                pending=[p for p in pending if p.installment_id == row.id],
            )
        )
    return views


@dataclass(frozen=True)
class ChangeForm:
    kind: EntryKind | None
    reason: ReasonCode | None
    amount: Money | None
    note: str | None
    errors: list[FieldError]


def parse_change_form(values: dict[str, str], currency: str, locale: str) -> ChangeForm:
    """Read the change-request form; what the domain checks itself (reason fits the
    kind, a note where the code needs one, the amount fits what is open) is left to it."""
    errors: list[FieldError] = []
    kind = next((k for k in CHANGE_KINDS if k.value == values.get("kind")), None)
    if kind is None:
        errors.append(FieldError("kind", "is required"))
    raw_reason = values.get("reason", "")
    reason = ReasonCode(raw_reason) if raw_reason in ReasonCode._value2member_map_ else None
    if reason is None:
        errors.append(FieldError("reason", "a reason is required"))
    raw = parse_amount_input(values.get("amount", ""), locale)
    amount: Money | None = None
    if kind is EntryKind.ADJUSTMENT and raw.startswith("-"):
        magnitude = parse_amount(raw[1:], currency, "amount", errors)
        amount = -magnitude if magnitude is not None else None
    elif raw or kind is not EntryKind.WRITE_OFF:
        # A write-off without an amount takes everything open on the installment.
        amount = parse_amount(raw, currency, "amount", errors) if raw else None
        if not raw:
            errors.append(FieldError("amount", "is required"))
    note = (values.get("note") or "").strip() or None
    return ChangeForm(kind, reason, amount, note, errors)
