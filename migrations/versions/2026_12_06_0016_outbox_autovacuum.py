"""outbox: vacuumed and analyzed by row count, as a queue table

Every relayed event is an update of its outbox row: the old version stays in
``ix_outbox_unrelayed`` until a vacuum, and the relay's next scan of the tenant walks
past it (21 ms for one tenant's 240k relayed events, measured with autovacuum off). The
default thresholds wait for 20 % of the table to change: on a table that keeps a week
of events that is hundreds of thousands of dead entries. A fixed threshold vacuums after
every ~20k changes, and analyzes as often, so the relay's plans see a tenant's burst.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SETTINGS = {
    "autovacuum_vacuum_scale_factor": "0",
    "autovacuum_vacuum_threshold": "20000",
    "autovacuum_analyze_scale_factor": "0",
    "autovacuum_analyze_threshold": "20000",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        values = ", ".join(f"{name} = {value}" for name, value in SETTINGS.items())
        op.execute(f"ALTER TABLE outbox SET ({values})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE outbox RESET ({', '.join(SETTINGS)})")
