"""What a correction-queue record can be assigned to, found from what a person types.

An invoice number, a nosso número or document number, a customer's name or tax id,
or an amount: each is one bounded query on an index the tables already have, run per
keystroke, so none may scan a tenant's installments:

- references: ``ix_installments_bank_reference`` / ``ix_installments_document_number``
  (equality), and the invoices' unique ``(tenant_id, number)`` as a prefix range;
- amounts: the partial ``ix_installments_open_amount`` (currency, open amount, due);
- customers: the customer list's matching (``search_name`` on the trigram index of
  PostgreSQL, the tax id as a range of ``ix_customers_tenant_tax_id``), then each
  one's open installments through the partial ``ix_installments_aging_customer``.

Every statement starts from ``scoped``: another tenant's rows are never read (and
PostgreSQL's row-level security checks the same again).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, literal_column, or_

from app.adapters.db.models import CustomerRow, InstallmentRow, InvoiceRow
from app.adapters.db.repositories.base import TenantRepository
from app.adapters.db.repositories.customers import _escape_like, fold
from app.adapters.db.repositories.installment_labels import labelled_installments
from app.domain.settlement.service import nosso_numero_key
from app.domain.shared.money import Money

# A name search needs three characters: the trigram index cannot serve fewer, and
# PostgreSQL would read every customer of the tenant instead.
MIN_NAME_TERM = 3
# Invoices whose number starts with what was typed, looked at before keeping the open
# ones: "NF-0" names thousands, mostly paid; the person types on to narrow it.
PREFIX_WINDOW = 50
CUSTOMERS = 5

# Open installments, written two ways for the two planners. ``open_minor > 0`` as a
# literal (a bound 0 proves nothing) makes the partial indexes usable: right for the
# amount, which has its own (``ix_installments_open_amount``). Elsewhere SQLite, which
# has no statistics here, takes that partial index over the selective one and reads
# every open installment; ``>= 1`` (the same, in minor units) does not match the
# partial indexes' predicate for SQLite, while PostgreSQL still proves it implies it
# and uses ``ix_installments_aging_customer`` for a customer's open installments.
OPEN_FOR_PARTIAL_INDEX = InstallmentRow.open_minor > literal_column("0")
OPEN = InstallmentRow.open_minor >= literal_column("1")


@dataclass(frozen=True, slots=True)
class InstallmentHit:
    installment_id: uuid.UUID
    customer_id: uuid.UUID
    invoice_number: str
    number_index: int
    number_count: int
    customer_name: str
    due_date: date
    open_amount: Money


@dataclass(frozen=True, slots=True)
class CustomerHit:
    customer_id: uuid.UUID
    name: str
    tax_id: str | None
    country: str | None


@dataclass(frozen=True, slots=True)
class AssignCandidates:
    term: str
    installments: list[InstallmentHit]
    customers: list[CustomerHit]


def _hit(r: Any) -> InstallmentHit:
    return InstallmentHit(
        installment_id=r.id,
        customer_id=r.customer_id,
        invoice_number=r.invoice_number,
        number_index=r.number_index,
        number_count=r.number_count,
        customer_name=r.customer_name,
        due_date=r.due_date,
        open_amount=Money.from_minor(r.open_minor, r.currency),
    )


def _prefix_upper(prefix: str) -> str:
    """The smallest text after every text that starts with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class SqlQueueSearch(TenantRepository):
    async def candidates(
        self, term: str, amount: Money | None, currency: str, limit: int = 10
    ) -> AssignCandidates:
        """Open installments (references first, then the amount, then the customers'
        own) and customers matching ``term``; ``amount`` is the term read as money."""
        text = term.strip()[:80]
        if not text:
            return AssignCandidates(text, [], [])
        found: dict[uuid.UUID, InstallmentHit] = {}

        def keep(hits: list[InstallmentHit]) -> None:
            for h in hits:
                if len(found) < limit:
                    found.setdefault(h.installment_id, h)

        keep(await self._by_reference(text, limit))
        keep(await self._by_invoice_number(text, limit))
        if amount is not None and amount.is_positive() and len(found) < limit:
            keep(await self._by_amount(amount, limit))
        customers = await self._customers(text) if len(text) >= MIN_NAME_TERM else []
        # A few of each customer's: "estrela" names several, and the first one's
        # twenty open invoices would hide the others'.
        share = max(2, limit // max(len(customers), 1))
        for c in customers:
            if len(found) >= limit:
                break
            keep(await self._open_of_customer(c.customer_id, currency, min(share, limit - len(found))))
        return AssignCandidates(text, list(found.values()), customers)

    async def known_references(self, values: Collection[str]) -> set[str]:
        """Which of ``values`` name an invoice, or an open installment's document number
        (the record's "seu número" is usually one): the hint worth searching first."""
        wanted = {v for v in values if v}
        if not wanted:
            return set()
        invoices = self.scoped(InvoiceRow, InvoiceRow.number).where(InvoiceRow.number.in_(wanted))
        documents = self.scoped(InstallmentRow, InstallmentRow.document_number).where(
            InstallmentRow.document_number.in_(wanted), OPEN
        )
        known = set((await self.session.execute(invoices)).scalars())
        known |= {d for d in (await self.session.execute(documents)).scalars() if d}
        return known

    # --- the branches --------------------------------------------------------------

    def _select(self, *where: Any) -> Any:
        return labelled_installments(self, *where)

    async def _rows(self, stmt: Any) -> list[InstallmentHit]:
        return [_hit(r) for r in (await self.session.execute(stmt)).all()]

    async def _by_reference(self, text: str, limit: int) -> list[InstallmentHit]:
        if not any(ch.isalnum() for ch in text):
            return []
        # Banks pad nosso número; installments may keep it either way (as the file
        # processing looks it up). One query per column: SQLite plans an OR of the two
        # as a scan of the tenant. No ORDER BY, so no planner walks the due-date index
        # instead; the hits are few and sorted here.
        hits: list[InstallmentHit] = []
        for condition in (
            InstallmentRow.bank_reference.in_({text, nosso_numero_key(text)}),
            InstallmentRow.document_number.in_({text, text.upper()}),
        ):
            hits += await self._rows(self._select(condition, OPEN).limit(limit))
        return sorted(hits, key=lambda h: (h.due_date, h.invoice_number))

    async def _by_invoice_number(self, text: str, limit: int) -> list[InstallmentHit]:
        """Invoices whose number starts with ``text`` (as typed or in capitals), read as a
        range of the unique ``(tenant_id, number)`` index, then their open installments."""
        hits: list[InstallmentHit] = []
        for prefix in sorted({text, text.upper()}):
            window = (
                self.scoped(InvoiceRow, InvoiceRow.id)
                .where(InvoiceRow.number >= prefix, InvoiceRow.number < _prefix_upper(prefix))
                .order_by(InvoiceRow.number)
                .limit(PREFIX_WINDOW)
                .subquery()
            )
            stmt = (
                self._select(InstallmentRow.invoice_id.in_(window.select()), OPEN)
                .order_by(InvoiceRow.number, InstallmentRow.number_index)
                .limit(limit)
            )
            hits += await self._rows(stmt)
        # A linguistic collation may order a prefix's texts apart; keep true prefixes only.
        wanted = text.upper()
        return sorted(
            (h for h in hits if h.invoice_number.upper().startswith(wanted)),
            key=lambda h: (h.invoice_number, h.number_index),
        )

    async def _by_amount(self, amount: Money, limit: int) -> list[InstallmentHit]:
        stmt = (
            self._select(
                InstallmentRow.currency == amount.currency,
                InstallmentRow.open_minor == amount.minor,
                OPEN_FOR_PARTIAL_INDEX,
            )
            .order_by(InstallmentRow.due_date, InstallmentRow.id)
            .limit(limit)
        )
        return await self._rows(stmt)

    async def _customers(self, text: str) -> list[CustomerHit]:
        """The customer list's matching (folded name anywhere, tax id from its start,
        external reference), with the tax id read as an index range: ``LIKE 'digits%'``
        is only indexable under the C collation, and an OR with it made PostgreSQL read
        every customer of the tenant on each keystroke."""
        conditions: list[ColumnElement[bool]] = [
            CustomerRow.search_name.like(f"%{_escape_like(fold(text))}%", escape="\\"),
            CustomerRow.external_ref == text,
        ]
        tax_key = "".join(ch for ch in text if ch.isalnum()).upper()
        if len(tax_key) >= 4 and any(ch.isdigit() for ch in tax_key):
            conditions.append(
                and_(CustomerRow.tax_id >= tax_key, CustomerRow.tax_id < _prefix_upper(tax_key))
            )
        stmt = (
            self.scoped(
                CustomerRow, CustomerRow.id, CustomerRow.name, CustomerRow.tax_id, CustomerRow.country
            )
            .where(or_(*conditions))
            .order_by(CustomerRow.search_name, CustomerRow.id)
            .limit(CUSTOMERS)
        )
        return [
            CustomerHit(r.id, r.name, r.tax_id, r.country) for r in (await self.session.execute(stmt)).all()
        ]

    async def _open_of_customer(
        self, customer_id: uuid.UUID, currency: str, limit: int
    ) -> list[InstallmentHit]:
        stmt = (
            self._select(InstallmentRow.currency == currency, InstallmentRow.customer_id == customer_id, OPEN)
            .order_by(InstallmentRow.due_date, InstallmentRow.id)
            .limit(limit)
        )
        return await self._rows(stmt)
