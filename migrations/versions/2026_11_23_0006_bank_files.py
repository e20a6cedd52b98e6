"""bank accounts, bank files and their records (correction queue, cash-application
review), remittances, PIX webhook endpoints and the PIX inbox

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 14:08:19.947909+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import app.adapters.db.base
from app.adapters.db.rls import disable_rls, enable_rls

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = [
    "bank_accounts",
    "bank_files",
    "pix_endpoints",
    "pix_events",
    "bank_file_records",
    "boletos",
    "remittances",
]


def upgrade() -> None:
    op.create_table(
        "bank_accounts",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("bank_code", sa.String(length=3), nullable=False),
        sa.Column("agency", sa.String(length=10), nullable=False),
        sa.Column("agency_digit", sa.String(length=2), nullable=False),
        sa.Column("account", sa.String(length=20), nullable=False),
        sa.Column("digit", sa.String(length=2), nullable=False),
        sa.Column("agreement", sa.String(length=20), nullable=False),
        sa.Column("wallet", sa.String(length=5), nullable=False),
        sa.Column("layout", sa.String(length=8), nullable=False),
        sa.Column("company_tax_id", sa.String(length=14), nullable=False),
        sa.Column("company_name", sa.String(length=60), nullable=False),
        sa.Column("pix_key", sa.String(length=77), nullable=True),
        sa.Column("pix_city", sa.String(length=15), nullable=False),
        sa.Column("next_nosso_numero", sa.BigInteger(), nullable=False),
        sa.Column("next_remittance_sequence", sa.Integer(), nullable=False),
        sa.Column(
            "csv_mapping",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_bank_accounts")),
        sa.UniqueConstraint(
            "tenant_id",
            "bank_code",
            "agency",
            "account",
            "agreement",
            name=op.f("uq_bank_accounts_tenant_id_bank_code_agency_account_agreement"),
        ),
    )
    op.create_table(
        "bank_files",
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("bank_code", sa.String(length=3), nullable=True),
        sa.Column("layout", sa.String(length=10), nullable=True),
        sa.Column("bank_account_id", sa.Uuid(), nullable=True),
        sa.Column(
            "header_account",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("processed_through", sa.Integer(), nullable=False),
        sa.Column("settled_count", sa.Integer(), nullable=False),
        sa.Column("settled_minor", sa.BigInteger(), nullable=False),
        sa.Column("rejected_count", sa.Integer(), nullable=False),
        sa.Column("applied_count", sa.Integer(), nullable=False),
        sa.Column("queued_count", sa.Integer(), nullable=False),
        sa.Column("review_count", sa.Integer(), nullable=False),
        sa.Column("duplicate_count", sa.Integer(), nullable=False),
        sa.Column(
            "errors",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "totals",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("finished_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_bank_files")),
        sa.UniqueConstraint("tenant_id", "sha256", name=op.f("uq_bank_files_tenant_id_sha256")),
    )
    op.create_index(
        "ix_bank_files_tenant_uploaded", "bank_files", ["tenant_id", "uploaded_at", "id"], unique=False
    )

    op.create_table(
        "pix_endpoints",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("created_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_pix_endpoints")),
    )
    op.create_table(
        "pix_events",
        sa.Column("event_key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("end_to_end_id", sa.String(length=40), nullable=False),
        sa.Column("txid", sa.String(length=40), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("installment_id", sa.Uuid(), nullable=True),
        sa.Column("payment_id", sa.Uuid(), nullable=True),
        sa.Column("received_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_pix_events")),
        sa.UniqueConstraint("tenant_id", "event_key", name=op.f("uq_pix_events_tenant_id_event_key")),
    )
    op.create_table(
        "bank_file_records",
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column(
            "parsed",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("error_code", sa.String(length=32), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("record_key", sa.String(length=160), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("reference", sa.String(length=60), nullable=True),
        sa.Column("installment_id", sa.Uuid(), nullable=True),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("payment_id", sa.Uuid(), nullable=True),
        sa.Column(
            "proposals",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "resolution",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("updated_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "file_id"],
            ["bank_files.tenant_id", "bank_files.id"],
            name=op.f("fk_bank_file_records_tenant_id_file_id_bank_files"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_bank_file_records")),
        sa.UniqueConstraint(
            "tenant_id", "file_id", "line_no", name=op.f("uq_bank_file_records_tenant_id_file_id_line_no")
        ),
    )
    op.create_index(
        "ix_bank_file_records_tenant_status", "bank_file_records", ["tenant_id", "status", "id"], unique=False
    )

    op.create_table(
        "boletos",
        sa.Column("installment_id", sa.Uuid(), nullable=False),
        sa.Column("bank_account_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("nosso_numero", sa.String(length=40), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("created_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "bank_account_id"],
            ["bank_accounts.tenant_id", "bank_accounts.id"],
            name=op.f("fk_boletos_tenant_id_bank_account_id_bank_accounts"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_boletos")),
        sa.UniqueConstraint(
            "tenant_id",
            "bank_account_id",
            "sequence",
            name=op.f("uq_boletos_tenant_id_bank_account_id_sequence"),
        ),
        sa.UniqueConstraint("tenant_id", "installment_id", name=op.f("uq_boletos_tenant_id_installment_id")),
    )
    op.create_table(
        "remittances",
        sa.Column("bank_account_id", sa.Uuid(), nullable=False),
        sa.Column("file_sequence", sa.Integer(), nullable=False),
        sa.Column("layout", sa.String(length=8), nullable=False),
        sa.Column("filename", sa.String(length=80), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column(
            "instructions",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", app.adapters.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "bank_account_id"],
            ["bank_accounts.tenant_id", "bank_accounts.id"],
            name=op.f("fk_remittances_tenant_id_bank_account_id_bank_accounts"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_remittances")),
        sa.UniqueConstraint(
            "tenant_id",
            "bank_account_id",
            "file_sequence",
            name=op.f("uq_remittances_tenant_id_bank_account_id_file_sequence"),
        ),
    )
    for table in TABLES:
        enable_rls(op, table)


def downgrade() -> None:
    for table in TABLES:
        disable_rls(op, table)
    op.drop_table("remittances")
    op.drop_table("boletos")
    op.drop_index("ix_bank_file_records_tenant_status", table_name="bank_file_records")

    op.drop_table("bank_file_records")
    op.drop_table("pix_events")
    op.drop_table("pix_endpoints")
    op.drop_index("ix_bank_files_tenant_uploaded", table_name="bank_files")

    op.drop_table("bank_files")
    op.drop_table("bank_accounts")
