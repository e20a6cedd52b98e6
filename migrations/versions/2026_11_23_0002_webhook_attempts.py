"""webhook attempts log, per-tenant due index, one delivery per (endpoint, event),
and the PostgreSQL function the outbox relay uses to find tenants with work.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.adapters.db.base
from app.adapters.db.rls import disable_rls, enable_rls

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SECURITY INVOKER (the default): it runs as the app role, so RLS still applies. It only
# saves round trips: for each tenant it binds app.tenant_id and probes the pending
# indexes (outbox rows not yet relayed, webhook deliveries due), one statement each.
TENANTS_WITH_WORK = """
CREATE OR REPLACE FUNCTION cobalto_tenants_with_work(due_before timestamptz)
RETURNS SETOF uuid LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants ORDER BY id LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        IF EXISTS (SELECT 1 FROM outbox WHERE tenant_id = t AND relayed_at IS NULL)
           OR EXISTS (SELECT 1 FROM webhook_deliveries WHERE tenant_id = t AND status = 'pending'
                      AND next_attempt_at <= due_before) THEN
            RETURN NEXT t;
        END IF;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;
"""


def upgrade() -> None:
    op.create_table(
        "webhook_attempts",
        sa.Column("delivery_id", sa.Uuid(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("attempted_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_excerpt", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "delivery_id"],
            ["webhook_deliveries.tenant_id", "webhook_deliveries.id"],
            name=op.f("fk_webhook_attempts_tenant_id_delivery_id_webhook_deliveries"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_webhook_attempts")),
    )
    with op.batch_alter_table("webhook_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_webhook_attempts_delivery", ["tenant_id", "delivery_id", "attempted_at"], unique=False
        )
    enable_rls(op, "webhook_attempts")

    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_deliveries_due")
        batch_op.create_index(
            "ix_webhook_deliveries_tenant_due", ["tenant_id", "status", "next_attempt_at"], unique=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_webhook_deliveries_tenant_id_endpoint_id_event_id"),
            ["tenant_id", "endpoint_id", "event_id"],
        )

    if op.get_bind().dialect.name == "postgresql":
        op.execute(TENANTS_WITH_WORK)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS cobalto_tenants_with_work(timestamptz)")
    with op.batch_alter_table("webhook_deliveries", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_webhook_deliveries_tenant_id_endpoint_id_event_id"), type_="unique"
        )
        batch_op.drop_index("ix_webhook_deliveries_tenant_due")
        batch_op.create_index("ix_webhook_deliveries_due", ["status", "next_attempt_at"], unique=False)
    disable_rls(op, "webhook_attempts")
    with op.batch_alter_table("webhook_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_attempts_delivery")
    op.drop_table("webhook_attempts")
