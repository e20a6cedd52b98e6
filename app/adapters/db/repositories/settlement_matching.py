"""The matching engine's ``CandidateProvider`` port over SQL.

The engine is synchronous; it runs inside ``AsyncSession.run_sync`` with the sync
``Session`` of the same transaction (same tenant binding, RLS included). Every method
is one bounded query on an indexed key; the reference lookups that have no key column
(invoice numbers are stored as typed, "NF-001234") search by the number's digits and
confirm each hit with ``reference_key`` in Python, still bounded by ``limit``.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.adapters.db.models import CustomerRow, InstallmentRow, InvoiceRow, PaymentRow
from app.domain.receivables.model import InstallmentNumber
from app.domain.settlement.matching_ports import CandidateInstallment, HistoryLink, PriorCredit
from app.domain.settlement.matching_text import deletion_keys, reference_key
from app.domain.shared.money import Money
from app.domain.tenancy.principal import TenantId

_COLS = (
    InstallmentRow.id,
    InstallmentRow.customer_id,
    InstallmentRow.number_index,
    InstallmentRow.number_count,
    InstallmentRow.due_date,
    InstallmentRow.amount_minor,
    InstallmentRow.open_minor,
    InstallmentRow.currency,
    InstallmentRow.bank_reference,
    InstallmentRow.document_number,
    InstallmentRow.txid,
    InvoiceRow.number,
)


def _candidate(r: Any) -> CandidateInstallment:
    return CandidateInstallment(
        installment_id=r.id,
        customer_id=r.customer_id,
        invoice_number=r.number,
        number=InstallmentNumber(r.number_index, r.number_count),
        due_date=r.due_date,
        face_value=Money.from_minor(r.amount_minor, r.currency),
        open_principal=Money.from_minor(r.open_minor, r.currency),
        open_late_charges=Money.zero(r.currency),
        bank_reference=r.bank_reference,
        document_number=r.document_number,
        txid=r.txid,
    )


class SqlCandidateProvider:
    def __init__(self, session: Session, tenant: TenantId) -> None:
        self.session = session
        self.t = tenant.value

    def _installments(self, *where: Any, limit: int = 50, order: Any = None) -> list[CandidateInstallment]:
        stmt = (
            select(*_COLS)
            .join(
                InvoiceRow,
                (InvoiceRow.tenant_id == InstallmentRow.tenant_id)
                & (InvoiceRow.id == InstallmentRow.invoice_id),
            )
            .where(InstallmentRow.tenant_id == self.t, *where)
            .order_by(order if order is not None else InstallmentRow.due_date, InstallmentRow.id)
            .limit(limit)
        )
        return [_candidate(r) for r in self.session.execute(stmt).all()]

    def installments_by_bank_reference(self, bank_reference: str) -> Sequence[CandidateInstallment]:
        key = reference_key(bank_reference)
        return self._installments(InstallmentRow.bank_reference.in_({key, bank_reference.strip()}))

    def installments_by_txid(self, txid: str) -> Sequence[CandidateInstallment]:
        return self._installments(InstallmentRow.txid == txid.strip())

    def _by_digits(self, keys: Collection[str], limit: int) -> list[CandidateInstallment]:
        likes = []
        for key in keys:
            digits = "".join(ch for ch in key if ch.isdigit())
            if len(digits) >= 3:
                likes.append(InvoiceRow.number.like(f"%{digits}"))
                likes.append(InstallmentRow.document_number.like(f"%{digits}%"))
        exact = list(keys)
        cond = or_(InvoiceRow.number.in_(exact), InstallmentRow.document_number.in_(exact), *likes)
        return self._installments(cond, limit=limit * 4)

    def installments_by_reference(self, keys: Collection[str], limit: int) -> Sequence[CandidateInstallment]:
        if not keys:
            return []
        wanted = set(keys)
        hits = [
            c
            for c in self._by_digits(wanted, limit)
            if reference_key(c.invoice_number) in wanted
            or (c.document_number and reference_key(c.document_number) in wanted)
        ]
        return hits[:limit]

    def installments_by_reference_near(
        self, deletion_keys_: Collection[str], limit: int
    ) -> Sequence[CandidateInstallment]:
        if not deletion_keys_:
            return []
        wanted = set(deletion_keys_)
        longest = max(len(k) for k in wanted)
        likes = []
        # One typo leaves either half of the number intact: search by both halves.
        for k in (k for k in wanted if len(k) == longest):
            half = len(k) // 2
            for part in (k[:half], k[half:]):
                if len(part) >= 3:
                    likes.append(InvoiceRow.number.like(f"%{part}%"))
        if not likes:
            return []
        found = self._installments(or_(*likes), limit=limit)
        return [
            c
            for c in found
            if deletion_keys(reference_key(c.invoice_number)) & wanted
            or (c.document_number and deletion_keys(reference_key(c.document_number)) & wanted)
        ][:limit]

    def open_installments(self, customer_id: uuid.UUID, limit: int) -> Sequence[CandidateInstallment]:
        return self._installments(
            InstallmentRow.customer_id == customer_id, InstallmentRow.open_minor > 0, limit=limit
        )

    def installments_by_open_amount(self, amount: Money, limit: int) -> Sequence[CandidateInstallment]:
        return self._installments(
            InstallmentRow.open_minor == amount.minor,
            InstallmentRow.currency == amount.currency,
            limit=limit,
        )

    def _customers(self, *where: Any, limit: int = 10) -> list[uuid.UUID]:
        stmt = select(CustomerRow.id).where(CustomerRow.tenant_id == self.t, *where).limit(limit)
        return list(self.session.execute(stmt).scalars())

    def customers_by_tax_id(self, tax_id_key: str) -> Sequence[uuid.UUID]:
        return self._customers(CustomerRow.tax_id == tax_id_key) if tax_id_key else []

    def customers_by_tax_root(self, root: str, limit: int) -> Sequence[uuid.UUID]:
        return self._customers(CustomerRow.tax_id.like(f"{root}%"), limit=limit) if root else []

    def customers_by_account(self, account_key: str) -> Sequence[uuid.UUID]:
        # Payers' accounts are learned from payments (payer_account), not kept on customers.
        if not account_key:
            return []
        stmt = (
            select(PaymentRow.customer_id)
            .where(
                PaymentRow.tenant_id == self.t,
                PaymentRow.payer_account == account_key,
                PaymentRow.customer_id.is_not(None),
            )
            .distinct()
            .limit(5)
        )
        return [c for c in self.session.execute(stmt).scalars() if c is not None]

    def customers_by_name(self, name_key: str, limit: int) -> Sequence[uuid.UUID]:
        if not name_key:
            return []
        return self._customers(CustomerRow.search_name.like(f"{name_key.lower()}%"), limit=limit)

    def customers_paid_for_by(self, payer_key: str) -> Sequence[HistoryLink]:
        if not payer_key:
            return []
        stmt = (
            select(PaymentRow.customer_id, func.count())
            .where(
                PaymentRow.tenant_id == self.t,
                or_(PaymentRow.payer_tax_id == payer_key, PaymentRow.payer_account == payer_key),
                PaymentRow.customer_id.is_not(None),
            )
            .group_by(PaymentRow.customer_id)
            .limit(10)
        )
        return [HistoryLink(c, int(n)) for c, n in self.session.execute(stmt).all() if c is not None]

    def prior_credits(self, amount: Money, since: date, until: date) -> Sequence[PriorCredit]:
        stmt = (
            select(PaymentRow)
            .where(
                PaymentRow.tenant_id == self.t,
                PaymentRow.amount_minor == amount.minor,
                PaymentRow.currency == amount.currency,
                PaymentRow.value_date >= since,
                PaymentRow.value_date <= until,
            )
            .limit(20)
        )
        return [
            PriorCredit(
                value_date=p.value_date,
                amount=Money.from_minor(p.amount_minor, p.currency),
                reference_text=p.reference,
                payer_tax_id=p.payer_tax_id,
                line_id=p.external_id,
            )
            for p in self.session.execute(stmt).scalars()
        ]
