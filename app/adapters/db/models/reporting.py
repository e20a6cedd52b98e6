"""Scheduled report runs: one row per (tenant, job, as_of), the claim that makes a
daily job run once per day even with several workers, retries and catch-up."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.adapters.db.base import Base, JSONType, TenantOwned, UTCDateTime, utcnow


class ScheduledRunRow(Base, TenantOwned):
    __tablename__ = "scheduled_runs"
    # The unique key is the claim: two schedulers racing for the same day collide here.
    __table_args__ = (UniqueConstraint("tenant_id", "job", "as_of"),)
    job: Mapped[str] = mapped_column(String(60))
    as_of: Mapped[date] = mapped_column(Date)
    # running → done | failed (retried until ``attempts`` reaches the scheduler's limit)
    status: Mapped[str] = mapped_column(String(12), default="running")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[dict[str, object]] = mapped_column(JSONType, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
