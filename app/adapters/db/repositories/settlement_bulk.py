"""Settlements applied a batch at a time: the bulk form of ``ReceivablesSettlementPort.apply``.

For a batch (a thousand records of a bank return, in one transaction) this reads the
payments already recorded under the batch's record keys (one query), locks the
batch's installments in id order with their ledgers (two queries), lets
``ReceiptBook`` (pure, ``app/domain/receivables/receipts_batch.py``) decide every
payment and allocation in memory, in file order, and stores the result with a few
bulk statements: payments, ledger entries, installments' and invoices' maintained
balances, audit entries and outbox events. The money outcome, audit and events are
those of ``record_payment`` + ``allocate_payment`` record by record.

A settlement carrying a rebate the bank granted still goes through
``ReceivablesSettlementPort.apply`` (the maker-checker ``request_change`` path): what
the book decided so far is stored first, and the installments that record touched are
reloaded afterwards. Rebates are rare in returns; each costs a handful of queries.

Deciding and storing are two steps (``decide_settlements``, ``store_effects``) so the
file runner can decide one batch on its own connection while the previous batch's
statements run and commit (see ``settlement_runner``).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, TypeDecorator, bindparam, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.adapters.db.base import utcnow
from app.adapters.db.bulk import insert_columns, one_of
from app.adapters.db.models import (
    AuditRow,
    CustomerRow,
    InstallmentRow,
    InvoiceRow,
    LedgerEntryRow,
    PaymentRow,
)
from app.adapters.db.repositories.receivables_payments import payment_of
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.receivables.ledger import InstallmentStatus
from app.domain.receivables.receipts_batch import Receipt, ReceiptBook, ReceiptEffects, ReceiptLine
from app.domain.receivables.service_ledger import invoice_position
from app.domain.receivables.service_ports import InvoicePart, RecordedPayment
from app.domain.settlement.service import AppliedPayment, SettlementToApply, check_settlement
from app.domain.shared.errors import Conflict, FieldError, ValidationFailed
from app.domain.shared.ids import new_ids
from app.domain.shared.money import Money

if TYPE_CHECKING:
    from app.adapters.db.repositories.settlement_apply import ReceivablesSettlementPort

_PAYMENTS = cast(Table, PaymentRow.__table__)
_ENTRIES = cast(Table, LedgerEntryRow.__table__)
_INSTALLMENTS = cast(Table, InstallmentRow.__table__)
_INVOICES = cast(Table, InvoiceRow.__table__)
_AUDIT = cast(Table, AuditRow.__table__)


@dataclass(slots=True)
class DecidedSettlements:
    """A batch decided but not stored yet (``decide_settlements``)."""

    outcomes: list[AppliedPayment | Conflict]
    effects: ReceiptEffects  # to store, in the same transaction
    # The payments this batch recorded, by key: the next batch, decided while this one
    # is still being stored, must see them as recorded (its lookup cannot yet).
    recorded: dict[str, RecordedPayment]


async def _nothing_in_flight() -> None:
    return None


# The receipts taken between two yields to the event loop: a batch decided while the
# previous one is being stored must let that one's statements go out as results come.
YIELD_EVERY = 250


async def apply_settlements(
    uow: SqlUnitOfWork, port: ReceivablesSettlementPort, settlements: Sequence[SettlementToApply]
) -> list[AppliedPayment | Conflict]:
    """Apply ``settlements`` in order; per settlement its payment (``created`` False for
    a replay of its key) or the Conflict of a key recorded with another amount or date."""
    decided = await decide_settlements(uow, port, settlements)
    await store_effects(uow, decided.effects)
    return decided.outcomes


async def decide_settlements(
    uow: SqlUnitOfWork,
    port: ReceivablesSettlementPort,
    settlements: Sequence[SettlementToApply],
    *,
    carried: Mapping[str, RecordedPayment] | None = None,
    settle_in_flight: Callable[[], Awaitable[None]] = _nothing_in_flight,
) -> DecidedSettlements:
    """Everything ``apply_settlements`` does but the final ``store_effects``: read and
    lock, then decide in memory. ``carried``: payments recorded by a batch not
    committed yet (they count as recorded). ``settle_in_flight`` is awaited before the
    rare settlement that must write now (a rebate or discount the bank granted goes
    through the use cases): that batch must have committed first, so both never wait
    on each other's locks."""
    from app.adapters.db.repositories.settlement_apply import (
        allocation_attempts,
        grants_entries,
        new_payment_of,
    )

    for s in settlements:
        check_settlement(s)
    if not settlements:
        return DecidedSettlements([], ReceiptEffects(), {})
    known = await payments_by_external_id(uow, {s.external_id.strip() for s in settlements})
    if carried:
        known.update(carried)
    states = await uow.installments.lock_batch(
        {line.installment_id for s in settlements for line in s.allocations}
    )
    await _check_customers(
        uow,
        {s.customer_id for s in settlements if s.customer_id is not None}
        - {st.installment.customer_id for st in states.values()},
    )
    book = ReceiptBook(await uow.receivables_policy(), states, known)
    out: list[AppliedPayment | Conflict] = []
    recorded: dict[str, RecordedPayment] = {}
    for n, s in enumerate(settlements, 1):
        if n % YIELD_EVERY == 0:
            await asyncio.sleep(0)
        if any(grants_entries(line) for line in s.allocations):
            await settle_in_flight()
            await store_effects(uow, book.take())
            try:
                applied = await port.apply(s)
            except Conflict as exc:
                out.append(exc)
                continue
            rec = await uow.payments.by_external_id(s.external_id.strip())
            assert rec is not None
            book.remember(rec)
            recorded[rec.external_id] = rec
            touched = {line.installment_id for line in s.allocations}
            book.load((await uow.installments.lock_batch(touched)).values())
            out.append(applied)
            continue
        receipt = Receipt(
            new_payment_of(s),
            tuple(
                ReceiptLine(line.installment_id, tuple(allocation_attempts(line))) for line in s.allocations
            ),
        )
        result = book.receive(receipt)
        if result.conflict is not None:
            out.append(Conflict(result.conflict))
        else:
            assert result.payment_id is not None and result.created is not None
            out.append(AppliedPayment(result.payment_id, result.created))
    effects = book.take()
    recorded.update((r.external_id, r) for r in effects.payments)
    return DecidedSettlements(out, effects, recorded)


async def payments_by_external_id(uow: SqlUnitOfWork, keys: Collection[str]) -> dict[str, RecordedPayment]:
    """The payments already recorded under any of ``keys``, in one query."""
    if not keys:
        return {}
    stmt = uow.payments.scoped(PaymentRow, *_PAYMENTS.c).where(
        one_of(uow.session, PaymentRow.external_id, list(keys))
    )
    return {row.external_id: payment_of(row) for row in (await uow.session.execute(stmt)).all()}


async def _check_customers(uow: SqlUnitOfWork, ids: Collection[uuid.UUID]) -> None:
    """``record_payment`` refuses a payment for a customer that does not exist."""
    if not ids:
        return
    stmt = uow.payments.scoped(CustomerRow, CustomerRow.id).where(
        one_of(uow.session, CustomerRow.id, list(ids))
    )
    found = set((await uow.session.execute(stmt)).scalars())
    if set(ids) - found:
        raise ValidationFailed([FieldError("customer_id", "no such customer")])


async def store_effects(uow: SqlUnitOfWork, effects: ReceiptEffects) -> None:
    """Write what a ``ReceiptBook`` decided: a few statements whatever the batch size."""
    session = uow.session
    tenant = uow.tenant.value
    actor = uow.actor
    now = utcnow()
    payments = effects.payments
    if payments:
        await insert_columns(
            session,
            _PAYMENTS,
            {
                "tenant_id": [tenant] * len(payments),
                "id": [r.payment.id for r in payments],
                "source": [r.payment.source.value for r in payments],
                "external_id": [r.external_id for r in payments],
                "customer_id": [r.payment.customer_id for r in payments],
                "payer_name": [r.payment.payer.name for r in payments],
                "payer_tax_id": [r.payment.payer.tax_id for r in payments],
                "payer_account": [r.payment.payer.account for r in payments],
                "amount_minor": [r.payment.amount.minor for r in payments],
                "currency": [r.payment.currency for r in payments],
                "value_date": [r.payment.value_date for r in payments],
                "reference": [r.payment.reference for r in payments],
                "unapplied_minor": [r.unapplied.minor for r in payments],
                "status": [r.status.value for r in payments],
                "actor": [actor] * len(payments),
                "created_at": [now] * len(payments),
                "updated_at": [now] * len(payments),
            },
        )
    entries = effects.entries
    if entries:
        await insert_columns(
            session,
            _ENTRIES,
            {
                "tenant_id": [tenant] * len(entries),
                "id": [e.id for e, _ in entries],
                "installment_id": [e.installment_id for e, _ in entries],
                "line": [line for _, line in entries],
                "kind": [e.kind.value for e, _ in entries],
                "component": [e.component.value for e, _ in entries],
                "amount_minor": [e.amount.minor for e, _ in entries],
                "currency": [e.amount.currency for e, _ in entries],
                "payment_id": [e.payment_id for e, _ in entries],
                "reverses_entry_id": [e.reverses for e, _ in entries],
                "reason_code": [e.reason.value if e.reason else None for e, _ in entries],
                "note": [e.note for e, _ in entries],
                "created_by": [e.created_by for e, _ in entries],
                "actor": [actor] * len(entries),
                "created_at": [now] * len(entries),
                "effective_date": [e.effective_date for e, _ in entries],
            },
        )
    if effects.installments:
        await update_by_id(
            session,
            _INSTALLMENTS,
            tenant,
            [ledger.installment_id for ledger, _ in effects.installments],
            {
                "open_minor": [ledger.open_amount.minor for ledger, _ in effects.installments],
                "status": [status.value for _, status in effects.installments],
                "updated_at": [now] * len(effects.installments),
            },
        )
    if effects.invoices:
        await _refresh_invoices(uow, effects.invoices)
    audits = effects.audits
    if audits:
        await insert_columns(
            session,
            _AUDIT,
            {
                "tenant_id": [tenant] * len(audits),
                "id": new_ids(len(audits)),
                "at": [now] * len(audits),
                "actor": [actor] * len(audits),
                "action": [a.action for a in audits],
                "entity": [a.entity for a in audits],
                "entity_id": [a.entity_id for a in audits],
                "before": [a.before for a in audits],
                "after": [a.after for a in audits],
                "reason": [None] * len(audits),
                "request_id": [uow.request_id] * len(audits),
            },
        )
    by_type: dict[str, list[dict[str, Any]]] = {}
    for event in effects.events:
        by_type.setdefault(event.type, []).append(event.data)
    # One insert per event type, in order of first appearance: a payment's
    # ``payment.received`` is still relayed before its ``payment.allocated``.
    for event_type, payloads in by_type.items():
        await uow.record_many(event_type, payloads)


async def _refresh_invoices(uow: SqlUnitOfWork, invoices: Mapping[uuid.UUID, str]) -> None:
    """Each invoice's maintained position from its installments (as ``refresh_invoice``)."""
    stmt = uow.installments.scoped(
        InstallmentRow, InstallmentRow.invoice_id, InstallmentRow.status, InstallmentRow.open_minor
    ).where(one_of(uow.session, InstallmentRow.invoice_id, list(invoices)))
    parts: dict[uuid.UUID, list[InvoicePart]] = {}
    for row in (await uow.session.execute(stmt)).all():
        currency = invoices[row.invoice_id]
        parts.setdefault(row.invoice_id, []).append(
            InvoicePart(InstallmentStatus(row.status), Money.from_minor(row.open_minor, currency))
        )
    ids = [i for i in invoices if parts.get(i)]
    positions = [invoice_position(parts[i], invoices[i]) for i in ids]
    if ids:
        now = utcnow()
        await update_by_id(
            uow.session,
            _INVOICES,
            uow.tenant.value,
            ids,
            {
                "open_minor": [open_amount.minor for open_amount, _ in positions],
                "status": [status.value for _, status in positions],
                "updated_at": [now] * len(ids),
            },
        )


async def update_by_id(
    session: AsyncSession,
    table: Table,
    tenant: uuid.UUID,
    ids: Sequence[uuid.UUID],
    columns: Mapping[str, Sequence[Any]],
) -> None:
    """Set ``columns`` (one value per id) on a tenant's rows of ``table``, by id.

    PostgreSQL: one ``UPDATE … FROM unnest(arrays)`` statement; elsewhere executemany."""
    if not ids:
        return
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        sets = ", ".join(f'"{name}" = v."{name}"' for name in columns)
        arrays = ["CAST(:ids AS UUID[])"]
        params: dict[str, Any] = {"tenant": tenant, "ids": list(ids)}
        for i, (name, values) in enumerate(columns.items()):
            column_type = table.c[name].type
            if isinstance(column_type, TypeDecorator):
                # The decorator's checks still apply (UTCDateTime refuses naive datetimes).
                params[f"c{i}"] = [column_type.process_bind_param(v, dialect) for v in values]
                column_type = column_type.impl_instance
            else:
                params[f"c{i}"] = list(values)
            sql_type = column_type.dialect_impl(dialect).compile(dialect=dialect)
            arrays.append(f"CAST(:c{i} AS {sql_type}[])")
        names = ", ".join(f'"{n}"' for n in columns)
        sql = (
            f'UPDATE "{table.name}" AS t SET {sets} FROM unnest({", ".join(arrays)}) AS v(id, {names}) '
            "WHERE t.tenant_id = CAST(:tenant AS UUID) AND t.id = v.id"
        )
        await session.execute(text(sql), params)
        return
    stmt = (
        update(table)
        .where(table.c.tenant_id == bindparam("b_tenant"), table.c.id == bindparam("b_id"))
        .values({name: bindparam(f"b_{name}") for name in columns})
    )
    rows = [
        {"b_tenant": tenant, "b_id": i, **{f"b_{name}": values[k] for name, values in columns.items()}}
        for k, i in enumerate(ids)
    ]
    await session.execute(stmt, rows)
