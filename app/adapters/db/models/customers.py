"""Customer register and contacts."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKeyConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.adapters.db.base import Base, TenantOwned, Timestamps


class CustomerRow(Base, TenantOwned, Timestamps):
    __tablename__ = "customers"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        UniqueConstraint("tenant_id", "external_ref"),
        Index("ix_customers_tenant_name", "tenant_id", "search_name", "id"),
        Index("ix_customers_tenant_tax_id", "tenant_id", "tax_id"),
        Index("ix_customers_tenant_status", "tenant_id", "status"),
    )
    name: Mapped[str] = mapped_column(String(200))
    legal_name: Mapped[str | None] = mapped_column(String(200))
    # Lower-cased, accent-free name: one index serves search on SQLite and PostgreSQL.
    search_name: Mapped[str] = mapped_column(String(200))
    tax_id: Mapped[str | None] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2), default="BR")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    segment: Mapped[str | None] = mapped_column(String(80))
    region: Mapped[str | None] = mapped_column(String(80))
    sales_rep: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="active")
    external_ref: Mapped[str | None] = mapped_column(String(80))
    notes: Mapped[str | None] = mapped_column(Text)


class ContactRow(Base, TenantOwned, Timestamps):
    __tablename__ = "customer_contacts"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "customer_id"], ["customers.tenant_id", "customers.id"]),
        Index("ix_customer_contacts_customer", "tenant_id", "customer_id"),
    )
    customer_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    is_primary: Mapped[bool] = mapped_column(default=False)
