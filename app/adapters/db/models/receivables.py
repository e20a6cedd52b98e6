"""Invoices, installments, the installment ledger, payments, refunds and change requests.

Installments carry a *maintained* ``open_minor`` and ``status``, rewritten in the same
transaction as every ledger entry, so aging and lists are plain ``GROUP BY``/indexed
reads. The ledger stays the source of truth: tests compare maintained and derived.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.adapters.db.base import Base, Minor, TenantOwned, Timestamps, UTCDateTime, utcnow


class InvoiceRow(Base, TenantOwned, Timestamps):
    __tablename__ = "invoices"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        UniqueConstraint("tenant_id", "number"),
        UniqueConstraint("tenant_id", "external_ref"),
        Index("ix_invoices_customer_due", "tenant_id", "customer_id", "due_date", "id"),
        Index("ix_invoices_tenant_due", "tenant_id", "due_date", "id"),
        Index("ix_invoices_tenant_status_due", "tenant_id", "status", "due_date"),
    )
    customer_id: Mapped[uuid.UUID]
    number: Mapped[str] = mapped_column(String(60))
    issue_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(Minor)
    open_minor: Mapped[int] = mapped_column(Minor)
    status: Mapped[str] = mapped_column(String(16), default="open")
    external_ref: Mapped[str | None] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(String(500))


class InstallmentRow(Base, TenantOwned, Timestamps):
    __tablename__ = "installments"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        UniqueConstraint("tenant_id", "invoice_id", "number_index"),
        # Most installments have no txid (no PIX charge issued): NULLs stay out of the
        # index, so a settlement's balance update does not write an entry here.
        Index(
            "uq_installments_tenant_id_txid",
            "tenant_id",
            "txid",
            unique=True,
            postgresql_where=text("txid IS NOT NULL"),
            sqlite_where=text("txid IS NOT NULL"),
        ),
        Index("ix_installments_customer_due", "tenant_id", "customer_id", "due_date", "id"),
        Index("ix_installments_tenant_due", "tenant_id", "due_date", "id"),
        Index("ix_installments_status_due", "tenant_id", "status", "due_date"),
        Index("ix_installments_bank_reference", "tenant_id", "bank_reference"),
        Index("ix_installments_document_number", "tenant_id", "document_number"),
        # Aging reads only open rows: a partial, covering index lets both databases
        # answer the bucketed GROUP BY from the index alone (see bench/aging.py).
        Index(
            "ix_installments_aging",
            "tenant_id",
            "due_date",
            "currency",
            "open_minor",
            "customer_id",
            postgresql_where=text("open_minor > 0"),
            sqlite_where=text("open_minor > 0"),
        ),
        # Aging grouped by anything: rows arrive ordered by (currency, customer), so
        # both databases aggregate per customer as they scan the index (no sort, no
        # hash of 1M rows); dimensions are joined to the per-customer groups afterwards.
        Index(
            "ix_installments_aging_customer",
            "tenant_id",
            "currency",
            "customer_id",
            "due_date",
            "open_minor",
            postgresql_where=text("open_minor > 0"),
            sqlite_where=text("open_minor > 0"),
        ),
        # Matching offers a credit that names nothing the installments of its exact amount.
        Index(
            "ix_installments_open_amount",
            "tenant_id",
            "currency",
            "open_minor",
            "due_date",
            postgresql_where=text("open_minor > 0"),
            sqlite_where=text("open_minor > 0"),
        ),
    )
    invoice_id: Mapped[uuid.UUID]
    customer_id: Mapped[uuid.UUID]
    number_index: Mapped[int] = mapped_column(Integer)
    number_count: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    amount_minor: Mapped[int] = mapped_column(Minor)
    open_minor: Mapped[int] = mapped_column(Minor)
    status: Mapped[str] = mapped_column(String(16), default="open")
    bank_reference: Mapped[str | None] = mapped_column(String(40))  # nosso número
    document_number: Mapped[str | None] = mapped_column(String(80))  # seu número
    txid: Mapped[str | None] = mapped_column(String(40))
    bank_account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())


class PaymentRow(Base, TenantOwned, Timestamps):
    __tablename__ = "payments"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        # The idempotency key of the money movement: a bank record, a PIX endToEndId,
        # a statement line or a manual Idempotency-Key can only become one payment.
        UniqueConstraint("tenant_id", "external_id"),
        Index("ix_payments_customer", "tenant_id", "customer_id", "value_date"),
        Index("ix_payments_tenant_value_date", "tenant_id", "value_date", "id"),
        Index("ix_payments_tenant_status", "tenant_id", "status"),
    )
    source: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(160))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    payer_name: Mapped[str | None] = mapped_column(String(200))
    payer_tax_id: Mapped[str | None] = mapped_column(String(32))
    payer_account: Mapped[str | None] = mapped_column(String(80))
    amount_minor: Mapped[int] = mapped_column(Minor)
    currency: Mapped[str] = mapped_column(String(3))
    value_date: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(200))
    unapplied_minor: Mapped[int] = mapped_column(Minor)
    status: Mapped[str] = mapped_column(String(20), default="unapplied")
    actor: Mapped[str] = mapped_column(String(160))


class LedgerEntryRow(Base, TenantOwned):
    """Append-only: the app role may insert and read, never update or delete (rls.py)."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "installment_id"], ["installments.tenant_id", "installments.id"]),
        ForeignKeyConstraint(["tenant_id", "payment_id"], ["payments.tenant_id", "payments.id"]),
        # ``line`` numbers an installment's entries 1..n: two writers racing to append
        # to the same ledger collide here even where row locks do not exist (SQLite).
        UniqueConstraint("tenant_id", "installment_id", "line"),
        # An entry is reversed at most once, whatever the application does. Partial:
        # almost no entry is a reversal, and the NULLs of the others were an index
        # entry written with every allocation for nothing.
        Index(
            "uq_ledger_entries_tenant_id_reverses_entry_id",
            "tenant_id",
            "reverses_entry_id",
            unique=True,
            postgresql_where=text("reverses_entry_id IS NOT NULL"),
            sqlite_where=text("reverses_entry_id IS NOT NULL"),
        ),
        Index("ix_ledger_entries_payment", "tenant_id", "payment_id"),
        Index("ix_ledger_entries_effective", "tenant_id", "effective_date", "installment_id"),
    )
    installment_id: Mapped[uuid.UUID]
    line: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(24))
    component: Mapped[str] = mapped_column(String(16))
    amount_minor: Mapped[int] = mapped_column(Minor)  # signed effect on the open amount
    currency: Mapped[str] = mapped_column(String(3))
    payment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    reverses_entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    reason_code: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    actor: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    effective_date: Mapped[date] = mapped_column(Date)


class RefundRow(Base, TenantOwned):
    __tablename__ = "refunds"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "payment_id"], ["payments.tenant_id", "payments.id"]),
        Index("ix_refunds_payment", "tenant_id", "payment_id"),
    )
    payment_id: Mapped[uuid.UUID]
    amount_minor: Mapped[int] = mapped_column(Minor)
    currency: Mapped[str] = mapped_column(String(3))
    refund_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChangeRequestRow(Base, TenantOwned):
    """Credit notes, rebates, adjustments and write-offs with their maker-checker state."""

    __tablename__ = "change_requests"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "installment_id"], ["installments.tenant_id", "installments.id"]),
        Index("ix_change_requests_state", "tenant_id", "state", "requested_at"),
        Index("ix_change_requests_installment", "tenant_id", "installment_id"),
    )
    installment_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(24))
    component: Mapped[str] = mapped_column(String(16))
    amount_minor: Mapped[int] = mapped_column(Minor)  # adjustments are signed
    currency: Mapped[str] = mapped_column(String(3))
    reason_code: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    needs_approval: Mapped[bool] = mapped_column(Boolean)
    requested_by: Mapped[uuid.UUID] = mapped_column(Uuid())
    requester: Mapped[str] = mapped_column(String(160))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    effective_date: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(Uuid())
    approver: Mapped[str | None] = mapped_column(String(160))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Text)
