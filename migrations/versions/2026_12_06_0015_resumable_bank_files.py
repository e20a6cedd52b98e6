"""which tenants have bank files nobody is processing

A file whose processor died (lease expired) or that was never claimed must be resumed
whatever tenant it belongs to, not only in tenants that use the watched folder. The
job that resumes them runs as the app role, which sees no tenant's rows until it acts
for one; this function (SECURITY DEFINER, as the tables' owner) answers only which
tenants have such files. The files themselves are then read and processed under each
tenant's own scope and row-level security.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANTS_WITH_RESUMABLE = """
CREATE OR REPLACE FUNCTION cobalto_tenants_with_resumable_bank_files(
    at timestamptz, uploaded_before timestamptz)
RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT DISTINCT tenant_id FROM bank_files
    WHERE status IN ('received', 'processing')
      AND (lease_until < at OR (lease_until IS NULL AND uploaded_at < uploaded_before))
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(TENANTS_WITH_RESUMABLE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION IF EXISTS cobalto_tenants_with_resumable_bank_files(timestamptz, timestamptz)"
        )
