"""Every e-mail Cobalto sends, kept per tenant: the mailbox page and the audit of contacts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.adapters.db.base import Base, JSONType, TenantOwned, UTCDateTime, utcnow


class OutboundEmailRow(Base, TenantOwned):
    __tablename__ = "outbound_emails"
    __table_args__ = (Index("ix_outbound_emails_tenant_created", "tenant_id", "created_at"),)
    kind: Mapped[str] = mapped_column(String(60))
    to_addresses: Mapped[list[str]] = mapped_column(JSONType)
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    attachment_names: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # sent: handed to SMTP; delivered_locally: embedded default, shown in the mailbox page.
    status: Mapped[str] = mapped_column(String(20), default="queued")
    transport_id: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
