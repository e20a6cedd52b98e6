"""Cross-cutting tables: audit log, outbox, idempotency keys, inbox, imports."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.adapters.db.base import Base, JSONType, TenantOwned, UTCDateTime, utcnow


class AuditRow(Base, TenantOwned):
    """Append-only: the app role has no UPDATE/DELETE grant on it (PostgreSQL)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_tenant_at", "tenant_id", "at"),
        Index("ix_audit_log_entity", "tenant_id", "entity", "entity_id"),
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(160))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, object] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, object] | None] = mapped_column(JSONType)
    reason: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64))


class OutboxRow(Base, TenantOwned):
    """Domain events written in the same transaction as the change they describe."""

    __tablename__ = "outbox"
    # The relay walks a tenant's unrelayed events in id order (migration 0010).
    __table_args__ = (
        Index(
            "ix_outbox_unrelayed",
            "tenant_id",
            "id",
            postgresql_where=text("relayed_at IS NULL"),
            sqlite_where=text("relayed_at IS NULL"),
        ),
    )
    event_type: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, object]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    relayed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ProcessedEventRow(Base, TenantOwned):
    """Consumers record the events they handled: a redelivery is a no-op."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("tenant_id", "consumer", "event_id"),)
    consumer: Mapped[str] = mapped_column(String(80))
    event_id: Mapped[uuid.UUID]
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IdempotencyRow(Base, TenantOwned):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("tenant_id", "actor", "key"),)
    actor: Mapped[str] = mapped_column(String(160))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    method_path: Mapped[str] = mapped_column(String(300))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    response_headers: Mapped[dict[str, str] | None] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ImportJobRow(Base, TenantOwned):
    __tablename__ = "import_jobs"
    __table_args__ = (Index("ix_import_jobs_tenant_created", "tenant_id", "created_at"),)
    kind: Mapped[str] = mapped_column(String(20))  # customers | invoices
    filename: Mapped[str] = mapped_column(String(255))
    mode: Mapped[str] = mapped_column(String(20))  # all_or_nothing | valid_rows
    status: Mapped[str] = mapped_column(String(20), default="pending")
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    created_rows: Mapped[int] = mapped_column(Integer, default=0)
    rejected_rows: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, object]]] = mapped_column(JSONType, default=list)
    actor: Mapped[str] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    committed: Mapped[bool] = mapped_column(Boolean, default=False)
