"""Bank accounts, bank files and their records, remittances, and the PIX inbox.

Uploaded bank files are stored content-addressed on disk (see ``settlement_store``);
the ``bank_files`` row holds the hash, size and who/when, and is unique per
(tenant, sha256) so the same file twice is refused by the database itself, even
when two uploads race.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.adapters.db.base import Base, JSONType, Minor, TenantOwned, Timestamps, UTCDateTime, utcnow


class BankAccountRow(Base, TenantOwned, Timestamps):
    __tablename__ = "bank_accounts"
    __table_args__ = (UniqueConstraint("tenant_id", "bank_code", "agency", "account", "agreement"),)
    name: Mapped[str] = mapped_column(String(120))
    bank_code: Mapped[str] = mapped_column(String(3))
    agency: Mapped[str] = mapped_column(String(10))
    agency_digit: Mapped[str] = mapped_column(String(2), default="")
    account: Mapped[str] = mapped_column(String(20))
    digit: Mapped[str] = mapped_column(String(2), default="")
    agreement: Mapped[str] = mapped_column(String(20), default="")
    wallet: Mapped[str] = mapped_column(String(5), default="")
    layout: Mapped[str] = mapped_column(String(8), default="cnab240")
    company_tax_id: Mapped[str] = mapped_column(String(14), default="")
    company_name: Mapped[str] = mapped_column(String(60), default="")
    pix_key: Mapped[str | None] = mapped_column(String(77))
    pix_city: Mapped[str] = mapped_column(String(15), default="")
    next_nosso_numero: Mapped[int] = mapped_column(BigInteger, default=1)
    next_remittance_sequence: Mapped[int] = mapped_column(Integer, default=1)
    csv_mapping: Mapped[dict[str, object] | None] = mapped_column(JSONType)


class BankFileRow(Base, TenantOwned):
    __tablename__ = "bank_files"
    __table_args__ = (
        UniqueConstraint("tenant_id", "sha256"),
        Index("ix_bank_files_tenant_uploaded", "tenant_id", "uploaded_at", "id"),
    )
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(20))
    bank_code: Mapped[str | None] = mapped_column(String(3))
    layout: Mapped[str | None] = mapped_column(String(10))
    bank_account_id: Mapped[uuid.UUID | None]
    # The account as the file's header names it, kept to match a later-registered account.
    header_account: Mapped[dict[str, object]] = mapped_column(JSONType, default=dict)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    source: Mapped[str] = mapped_column(String(12), default="upload")  # upload|folder
    # received → processing → processed | invalid | failed
    status: Mapped[str] = mapped_column(String(12), default="received")
    records: Mapped[int] = mapped_column(Integer, default=0)
    # Progress: the last detail line whose batch committed; a restart resumes after it.
    processed_through: Mapped[int] = mapped_column(Integer, default=0)
    settled_count: Mapped[int] = mapped_column(Integer, default=0)
    settled_minor: Mapped[int] = mapped_column(Minor, default=0)
    rejected_count: Mapped[int] = mapped_column(Integer, default=0)
    applied_count: Mapped[int] = mapped_column(Integer, default=0)
    queued_count: Mapped[int] = mapped_column(Integer, default=0)
    review_count: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, object]]] = mapped_column(JSONType, default=list)
    totals: Mapped[dict[str, object]] = mapped_column(JSONType, default=dict)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The processor working on the file and until when its claim holds: each committed
    # batch extends it; an expired lease may be taken over (``settlement_runner``).
    lease_owner: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BankFileRecordRow(Base, TenantOwned):
    """One detail record (CNAB title occurrence) or statement line, with its outcome."""

    __tablename__ = "bank_file_records"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "file_id"], ["bank_files.tenant_id", "bank_files.id"]),
        UniqueConstraint("tenant_id", "file_id", "line_no"),
        Index("ix_bank_file_records_tenant_status", "tenant_id", "status", "id"),
    )
    file_id: Mapped[uuid.UUID]
    line_no: Mapped[int] = mapped_column(Integer)
    raw: Mapped[str] = mapped_column(Text)
    parsed: Mapped[dict[str, object]] = mapped_column(JSONType)
    outcome: Mapped[str] = mapped_column(String(24))
    # applied | queued | review | ignored | dismissed | on_account | skipped
    status: Mapped[str] = mapped_column(String(12))
    error_code: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    record_key: Mapped[str | None] = mapped_column(String(160))
    amount_minor: Mapped[int] = mapped_column(Minor, default=0)
    value_date: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(60))
    installment_id: Mapped[uuid.UUID | None]
    customer_id: Mapped[uuid.UUID | None]
    payment_id: Mapped[uuid.UUID | None]
    # Cash-application proposals (statement lines sent to review), best first.
    proposals: Mapped[list[dict[str, object]] | None] = mapped_column(JSONType)
    resolution: Mapped[dict[str, object] | None] = mapped_column(JSONType)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class BoletoRow(Base, TenantOwned):
    """A boleto issued for an installment: the account and the sequence its nosso
    número came from (so the same slip can be drawn again)."""

    __tablename__ = "boletos"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "bank_account_id"], ["bank_accounts.tenant_id", "bank_accounts.id"]
        ),
        UniqueConstraint("tenant_id", "installment_id"),
        UniqueConstraint("tenant_id", "bank_account_id", "sequence"),
    )
    installment_id: Mapped[uuid.UUID]
    bank_account_id: Mapped[uuid.UUID]
    sequence: Mapped[int] = mapped_column(BigInteger)
    nosso_numero: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RemittanceRow(Base, TenantOwned):
    __tablename__ = "remittances"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "bank_account_id"], ["bank_accounts.tenant_id", "bank_accounts.id"]
        ),
        UniqueConstraint("tenant_id", "bank_account_id", "file_sequence"),
    )
    bank_account_id: Mapped[uuid.UUID]
    file_sequence: Mapped[int] = mapped_column(Integer)
    layout: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str] = mapped_column(String(80))
    sha256: Mapped[str] = mapped_column(String(64))
    # Remittances are small (a few hundred bytes per title) and generated here: kept in the row.
    content: Mapped[bytes] = mapped_column(LargeBinary)
    instructions: Mapped[list[dict[str, object]]] = mapped_column(JSONType)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PixEndpointRow(Base, TenantOwned):
    """An inbound PIX webhook endpoint; only the token's hash is kept."""

    __tablename__ = "pix_endpoints"
    token_hash: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PixEventRow(Base, TenantOwned):
    """Inbox of PIX notifications: one row per endToEndId (receipt) or refund id.

    The unique key is the idempotency guard: a replayed endToEndId inserts nothing
    and is therefore never processed twice.
    """

    __tablename__ = "pix_events"
    __table_args__ = (UniqueConstraint("tenant_id", "event_key"),)
    event_key: Mapped[str] = mapped_column(String(80))  # "pix:<e2e>" or "refund:<e2e>:<id>"
    kind: Mapped[str] = mapped_column(String(10))  # receipt|refund
    end_to_end_id: Mapped[str] = mapped_column(String(40))
    txid: Mapped[str | None] = mapped_column(String(40))
    amount_minor: Mapped[int] = mapped_column(Minor)
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, object]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(12), default="received")  # received|applied|queued
    error: Mapped[str | None] = mapped_column(Text)
    installment_id: Mapped[uuid.UUID | None]
    payment_id: Mapped[uuid.UUID | None]
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
