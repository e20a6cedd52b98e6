"""scheduled report runs (one per tenant, job and as_of date)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.adapters.db.base
from app.adapters.db.rls import disable_rls, enable_rls

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "scheduled_runs",
        sa.Column("job", sa.String(length=60), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", app.adapters.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("started_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome", JSON, nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_scheduled_runs")),
        sa.UniqueConstraint("tenant_id", "job", "as_of", name=op.f("uq_scheduled_runs_tenant_id_job_as_of")),
    )
    enable_rls(op, "scheduled_runs")


def downgrade() -> None:
    disable_rls(op, "scheduled_runs")
    op.drop_table("scheduled_runs")
