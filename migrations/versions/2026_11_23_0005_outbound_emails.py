"""outbound e-mails (mailbox and contact audit)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.adapters.db.base
from app.adapters.db.rls import disable_rls, enable_rls

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "outbound_emails",
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("to_addresses", JSON, nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("attachment_names", JSON, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("transport_id", sa.String(length=255), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_outbound_emails")),
    )
    op.create_index(
        "ix_outbound_emails_tenant_created", "outbound_emails", ["tenant_id", "created_at"], unique=False
    )
    enable_rls(op, "outbound_emails")


def downgrade() -> None:
    disable_rls(op, "outbound_emails")
    op.drop_index("ix_outbound_emails_tenant_created", table_name="outbound_emails")
    op.drop_table("outbound_emails")
