"""installments.txid and ledger_entries.reverses_entry_id: unique only where set

Both were unique constraints over columns that are NULL on nearly every row (an
installment without a PIX charge, an entry that reverses nothing). A B-tree keeps an
entry for every NULL, so each allocation wrote one index entry for nothing, and each
settlement's balance update (a new row version in every index of ``installments``)
another. Partial unique indexes keep the same guarantee for the rows that have a value;
lookups by txid (``txid = :x``) still use the index (the predicate is implied).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEYS = (
    ("installments", "uq_installments_tenant_id_txid", "txid"),
    ("ledger_entries", "uq_ledger_entries_tenant_id_reverses_entry_id", "reverses_entry_id"),
)


def upgrade() -> None:
    for table, name, column in _KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_="unique")
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(
            name, table, ["tenant_id", column], unique=True, postgresql_where=where, sqlite_where=where
        )


def downgrade() -> None:
    for table, name, column in _KEYS:
        op.drop_index(name, table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_unique_constraint(name, ["tenant_id", column])
