"""customer name search: trigram GIN index (PostgreSQL only)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:00:00+00:00

``GET /customers?q=`` matches anywhere in the folded name (``LIKE '%term%'``), which a
btree cannot serve: on 100k customers a rare term scanned the whole tenant. pg_trgm's
GIN index serves infix LIKE. SQLite has no such index type and keeps the btree.

The index is not declared on the model (SQLAlchemy would create it on SQLite too):
``migrations/env.py`` leaves it out of autogenerate's comparison by name
(``DATABASE_ONLY_INDEXES``), so ``alembic check`` stays clean on both databases.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_customers_search_name_trgm"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON customers USING gin (search_name gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
