"""analyze the tables an import just filled

PostgreSQL plans foreign-key checks and lookups from table statistics. After an import
of thousands of customers or invoices those statistics still describe the table as it
was (autovacuum analyzes later, or never when it is off), and the next import's
checks can scan a tenant's rows instead of probing its key: 100k invoices right after
a 2,000-customer import took 44 s instead of ~20 s. PostgreSQL's own advice after a bulk
load is to run ANALYZE. The app role owns no table, so it cannot; this function runs
as the tables' owner (SECURITY DEFINER) and analyzes only the tables imports fill.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANALYZE_AFTER_BULK = """
CREATE OR REPLACE FUNCTION cobalto_analyze_after_bulk(tables text[])
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY tables LOOP
        IF t NOT IN ('customers', 'invoices', 'installments', 'ledger_entries') THEN
            RAISE EXCEPTION 'cobalto_analyze_after_bulk: % is not a table imports fill', t;
        END IF;
        EXECUTE format('ANALYZE %I', t);
    END LOOP;
END
$$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ANALYZE_AFTER_BULK)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS cobalto_analyze_after_bulk(text[])")
