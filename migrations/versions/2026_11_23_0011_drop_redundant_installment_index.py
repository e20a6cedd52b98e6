"""installments: drop the index the unique (invoice, number) constraint already gives

``ix_installments_invoice (tenant_id, invoice_id)`` is a prefix of
``uq_installments_tenant_id_invoice_id_number_index (tenant_id, invoice_id,
number_index)``, which serves the same lookups. Every change to an installment's
balance is a new row version in each of its indexes: a bank return settling 100k
titles paid for this one 100k times for nothing.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("installments", schema=None) as batch_op:
        batch_op.drop_index("ix_installments_invoice")


def downgrade() -> None:
    with op.batch_alter_table("installments", schema=None) as batch_op:
        batch_op.create_index("ix_installments_invoice", ["tenant_id", "invoice_id"], unique=False)
