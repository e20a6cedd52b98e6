"""matching: find open installments by their exact open amount

A statement credit that names no document and no payer is offered the open
installments of exactly its amount (``SqlCandidateProvider.installments_by_open_amount``);
without this index that lookup scans every open installment of the tenant.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["tenant_id", "currency", "open_minor", "due_date"]
OPEN = sa.text("open_minor > 0")


def upgrade() -> None:
    with op.batch_alter_table("installments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_installments_open_amount",
            COLUMNS,
            unique=False,
            postgresql_where=OPEN,
            sqlite_where=OPEN,
        )


def downgrade() -> None:
    with op.batch_alter_table("installments", schema=None) as batch_op:
        batch_op.drop_index("ix_installments_open_amount", postgresql_where=OPEN, sqlite_where=OPEN)
