"""bank_files: a processing lease (owner, until)

A large file was processed by the API process that received it, and a crash left it
``processing`` with nothing to tell a live processor from a dead one: the watched-folder
scan resumed such files only 30 minutes after the upload, and a file still being
processed after that could be processed twice at once. A processor now claims the file
with one conditional UPDATE and extends ``lease_until`` with every batch it commits; a
file whose lease expired is free to be resumed.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.adapters.db.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bank_files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_owner", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("lease_until", app.adapters.db.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("bank_files", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
        batch_op.drop_column("lease_owner")
