"""An invoice's installments: planned when the invoice is created (one by default, an
explicit list, or a term schedule such as 30/60/90) and kept in step when the invoice
is edited before anything has moved on it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

from app.domain.receivables.invoice_input import InvoiceStatus, parse_amount, parse_date
from app.domain.receivables.kinds import EntryKind
from app.domain.receivables.ledger import InstallmentLedger, new_entry
from app.domain.receivables.model import (
    Installment,
    InstallmentNumber,
    InvoiceInstallments,
    ReceivablesError,
)
from app.domain.receivables.reasons import ReasonCode
from app.domain.receivables.schedule import TermSchedule
from app.domain.receivables.service_ledger import book
from app.domain.receivables.service_ports import LedgerUnitOfWork
from app.domain.shared.errors import FieldError, ValidationFailed
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money

if TYPE_CHECKING:
    from app.domain.receivables.invoices import Invoice

MAX_INSTALLMENTS = 120


def planned_due_dates(
    data: dict[str, object], issue: date | None, currency: str | None, errors: list[FieldError]
) -> list[tuple[date, Money | None]] | None:
    """The (due date, amount) pairs a create request asks for: ``installments`` (each
    with its amount), ``terms`` (amounts split evenly later), or None for the default
    single installment."""
    raw_list, terms = data.get("installments"), data.get("terms")
    if raw_list is not None and terms is not None:
        errors.append(FieldError("installments", "give either installments or terms, not both"))
        return None
    if terms is not None:
        try:
            schedule = TermSchedule.parse(str(terms))
        except ReceivablesError as exc:
            errors.append(FieldError("terms", str(exc)))
            return None
        if len(schedule.days) > MAX_INSTALLMENTS:
            errors.append(FieldError("terms", f"at most {MAX_INSTALLMENTS} installments"))
            return None
        if issue is None:
            return None
        return [(issue + timedelta(days=d), None) for d in schedule.days]
    if raw_list is None:
        return None
    if not isinstance(raw_list, list) or not raw_list or len(raw_list) > MAX_INSTALLMENTS:
        errors.append(FieldError("installments", f"a list of 1 to {MAX_INSTALLMENTS} installments"))
        return None
    out: list[tuple[date, Money | None]] = []
    for n, item in enumerate(raw_list):
        if not isinstance(item, dict):
            errors.append(FieldError(f"installments[{n}]", "must be an object with due_date and amount"))
            continue
        due = parse_date(item.get("due_date"), f"installments[{n}].due_date", errors)
        amount = (
            parse_amount(item.get("amount"), currency, f"installments[{n}].amount", errors)
            if currency
            else None
        )
        if due is not None and amount is not None:
            out.append((due, amount))
    if len(out) != len(raw_list):
        return None
    if any(b[0] < a[0] for a, b in pairwise(out)):
        errors.append(FieldError("installments", "due dates must be in order"))
        return None
    return out


def plan_for(invoice: Invoice, planned: Sequence[tuple[date, Money | None]] | None) -> InvoiceInstallments:
    """The installments of a new invoice; ``document_number`` is ``<number>-<index>``."""
    if not planned:
        planned = [(invoice.due_date, invoice.amount)]
    count = len(planned)
    if any(a is None for _, a in planned):
        # Even split, remainder cents on the first installments (schedule.py's rule).
        if invoice.amount.minor < count:
            raise ValidationFailed(
                [FieldError("terms", f"{invoice.amount} is too small for {count} installments")]
            )
        amounts = invoice.amount.split(count)
    else:
        amounts = [a for _, a in planned if a is not None]
    try:
        return InvoiceInstallments(
            invoice.id,
            invoice.customer_id,
            invoice.number,
            invoice.issue_date,
            invoice.amount,
            tuple(
                Installment(
                    id=new_id(),
                    invoice_id=invoice.id,
                    customer_id=invoice.customer_id,
                    number=InstallmentNumber(i, count),
                    due_date=due,
                    amount=amount,
                    document_number=f"{invoice.number}-{i}",
                )
                for i, ((due, _), amount) in enumerate(zip(planned, amounts, strict=True), start=1)
            ),
        )
    except ReceivablesError as exc:
        raise ValidationFailed([FieldError("installments", str(exc))]) from exc


async def open_installments(uow: LedgerUnitOfWork, plan: InvoiceInstallments) -> None:
    """Store the installments, each ledger opened by its face-value charge on the issue date."""
    await uow.installments.add(
        [(i, InstallmentLedger.opened(i.id, i.amount, plan.issue_date)) for i in plan.installments]
    )


async def follow_invoice_edit(uow: LedgerUnitOfWork, before: Invoice, after: Invoice) -> None:
    """Carry an edit of an untouched invoice onto its installments.

    Only possible while nothing but the opening charge is on the ledgers (the invoice
    use case checks ``open == amount``). A new amount or due date moves a single
    installment (the face-value change is booked as a data-correction adjustment: the
    ledger is append-only); cancelling books an adjustment that closes every
    installment, so the derived status is ``cancelled``.
    """
    ids = await uow.installments.ids_of_invoice(before.id)
    if not ids:
        return
    states = await uow.installments.lock(ids)
    cancelling = after.status is InvoiceStatus.CANCELLED and before.status is not InvoiceStatus.CANCELLED
    moving = after.amount != before.amount or after.due_date != before.due_date
    if moving and len(states) != 1:
        raise ValidationFailed(
            [
                FieldError(
                    "amount",
                    "an invoice with several installments is changed with credit notes or adjustments",
                )
            ]
        )
    changed = []
    for state in states.values():
        ledger = state.ledger
        if cancelling and ledger.open_amount.is_positive():
            ledger = ledger.append(
                new_entry(
                    EntryKind.ADJUSTMENT,
                    state.id,
                    -ledger.open_amount,
                    after.issue_date,
                    reason=ReasonCode.DATA_CORRECTION,
                    note="invoice cancelled",
                )
            )
        elif moving:
            delta = after.amount - before.amount
            if not delta.is_zero():
                ledger = ledger.append(
                    new_entry(
                        EntryKind.ADJUSTMENT,
                        state.id,
                        delta,
                        after.issue_date,
                        reason=ReasonCode.DATA_CORRECTION,
                        note=f"invoice amount changed from {before.amount.amount} to {after.amount.amount}",
                    )
                )
            await uow.installments.reschedule(state.id, after.due_date, after.amount)
        changed.append((state, ledger))
    await book(uow, changed)
