"""Installments as a finance user recognises them: with their invoice's number and their
customer's name. One select for every page that names installments to pick from (the
correction queue's search, the cash-application candidates)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_

from app.adapters.db.models import CustomerRow, InstallmentRow, InvoiceRow
from app.adapters.db.repositories.base import TenantRepository

LABELLED_COLUMNS = (
    InstallmentRow.id,
    InstallmentRow.invoice_id,
    InstallmentRow.customer_id,
    InstallmentRow.number_index,
    InstallmentRow.number_count,
    InstallmentRow.due_date,
    InstallmentRow.currency,
    InstallmentRow.open_minor,
    InstallmentRow.status,
    InvoiceRow.number.label("invoice_number"),
    CustomerRow.name.label("customer_name"),
)


def labelled_installments(repo: TenantRepository, *where: Any) -> Select[Any]:
    """The tenant's installments matching ``where``, with ``invoice_number`` and
    ``customer_name`` (joined on the tenant too, so each join uses the composite keys)."""
    i, v, c = InstallmentRow, InvoiceRow, CustomerRow
    return (
        repo.scoped(i, *LABELLED_COLUMNS)
        .join(v, and_(v.tenant_id == i.tenant_id, v.id == i.invoice_id))
        .join(c, and_(c.tenant_id == i.tenant_id, c.id == i.customer_id))
        .where(*where)
    )
