"""An in-memory ``CandidateProvider`` over dicts.

It is the test double of the database provider and what the matching benchmark runs
on. It builds the same keys the database stores (``matching_text``), so a behaviour
seen here is the behaviour the SQL lookups give.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from app.domain.receivables.kinds import Component
from app.domain.settlement.matching_ports import CandidateInstallment, HistoryLink, PaymentLine, PriorCredit
from app.domain.settlement.matching_scoring import MatchProposal, ResidualHandling, ResidualKind
from app.domain.settlement.matching_text import (
    account_key,
    deletion_keys,
    name_key,
    reference_key,
    tax_id_key,
    tax_root,
)
from app.domain.shared.money import Money


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    customer_id: UUID
    tax_id: str
    name: str
    accounts: tuple[str, ...] = ()


class InMemoryCandidateProvider:
    def __init__(
        self,
        installments: Iterable[CandidateInstallment],
        customers: Iterable[CustomerRecord],
        history: Iterable[tuple[str, UUID, int]] = (),
    ) -> None:
        self._items: dict[UUID, CandidateInstallment] = {}
        self._by_bank_ref: dict[str, list[UUID]] = defaultdict(list)
        self._by_txid: dict[str, list[UUID]] = defaultdict(list)
        self._by_ref: dict[str, list[UUID]] = defaultdict(list)
        self._by_deletion: dict[str, list[UUID]] = defaultdict(list)
        self._by_customer: dict[UUID, list[UUID]] = defaultdict(list)
        for c in installments:
            self._add(c)
        self._tax: dict[str, list[UUID]] = defaultdict(list)
        self._root: dict[str, list[UUID]] = defaultdict(list)
        self._account: dict[str, list[UUID]] = defaultdict(list)
        self._name: dict[str, list[UUID]] = defaultdict(list)
        for cust in customers:
            key = tax_id_key(cust.tax_id)
            self._tax[key].append(cust.customer_id)
            root = tax_root(key)
            if root:
                self._root[root].append(cust.customer_id)
            for acct in cust.accounts:
                self._account[account_key(acct)].append(cust.customer_id)
            self._name[name_key(cust.name)].append(cust.customer_id)
        self._history: dict[str, dict[UUID, int]] = defaultdict(dict)
        for payer, cid, times in history:
            self._history[payer][cid] = self._history[payer].get(cid, 0) + times
        self._credits: dict[int, list[PriorCredit]] = defaultdict(list)

    def _add(self, c: CandidateInstallment) -> None:
        self._items[c.installment_id] = c
        if c.bank_reference:
            self._by_bank_ref[reference_key(c.bank_reference)].append(c.installment_id)
        if c.txid:
            self._by_txid[c.txid].append(c.installment_id)
        keys = {reference_key(c.invoice_number)}
        if c.document_number:
            keys.add(reference_key(c.document_number))
        for k in keys:
            self._by_ref[k].append(c.installment_id)
            for d in deletion_keys(k):
                self._by_deletion[d].append(c.installment_id)
        self._by_customer[c.customer_id].append(c.installment_id)

    def _get(self, ids: Iterable[UUID], limit: int | None = None) -> list[CandidateInstallment]:
        out = [self._items[i] for i in dict.fromkeys(ids)]
        return out if limit is None else out[:limit]

    # ---- CandidateProvider -------------------------------------------------------
    def installments_by_bank_reference(self, bank_reference: str) -> Sequence[CandidateInstallment]:
        return self._get(self._by_bank_ref.get(reference_key(bank_reference), ()))

    def installments_by_txid(self, txid: str) -> Sequence[CandidateInstallment]:
        return self._get(self._by_txid.get(txid, ()))

    def installments_by_reference(self, keys: Collection[str], limit: int) -> Sequence[CandidateInstallment]:
        return self._get((i for k in keys for i in self._by_ref.get(k, ())), limit)

    def installments_by_reference_near(
        self, deletion_keys: Collection[str], limit: int
    ) -> Sequence[CandidateInstallment]:
        return self._get((i for k in deletion_keys for i in self._by_deletion.get(k, ())), limit)

    def open_installments(self, customer_id: UUID, limit: int) -> Sequence[CandidateInstallment]:
        items = [self._items[i] for i in self._by_customer.get(customer_id, ())]
        live = sorted(
            (c for c in items if c.open_principal.minor + c.open_late_charges.minor > 0),
            key=lambda c: (c.due_date, c.number.index),
        )
        return live[:limit]

    def installments_by_open_amount(self, amount: Money, limit: int) -> Sequence[CandidateInstallment]:
        hits = sorted(
            (
                c
                for c in self._items.values()
                if c.open.currency == amount.currency and c.open.minor == amount.minor
            ),
            key=lambda c: (c.due_date, c.number.index, str(c.installment_id)),
        )
        return hits[:limit]

    def customers_by_tax_id(self, tax_id_key: str) -> Sequence[UUID]:
        return list(self._tax.get(tax_id_key, ()))

    def customers_by_tax_root(self, root: str, limit: int) -> Sequence[UUID]:
        return list(self._root.get(root, ()))[:limit]

    def customers_by_account(self, account_key: str) -> Sequence[UUID]:
        return list(self._account.get(account_key, ()))

    def customers_by_name(self, name_key: str, limit: int) -> Sequence[UUID]:
        return list(self._name.get(name_key, ()))[:limit]

    def customers_paid_for_by(self, payer_key: str) -> Sequence[HistoryLink]:
        return [HistoryLink(cid, n) for cid, n in self._history.get(payer_key, {}).items()]

    def prior_credits(self, amount: Money, since: date, until: date) -> Sequence[PriorCredit]:
        return [p for p in self._credits.get(amount.minor, ()) if since <= p.value_date <= until]

    # ---- state changes the database would make ---------------------------------
    def record_credit(self, line: PaymentLine) -> None:
        """Remember a received credit for later duplicate checks."""
        self._credits[line.amount.minor].append(
            PriorCredit(
                value_date=line.value_date,
                amount=line.amount,
                reference_text=line.reference_text,
                payer_tax_id=line.payer_tax_id,
                bank_reference=line.bank_reference,
                txid=line.txid,
                end_to_end_id=line.end_to_end_id,
                line_id=line.line_id,
            )
        )

    def apply(self, proposal: MatchProposal) -> None:
        """Book a proposal: assess its late charges, grant its discounts, allocate."""
        for ch in proposal.charges_to_assess:
            c = self._items[ch.installment_id]
            self._items[c.installment_id] = replace(c, open_late_charges=c.open_late_charges + ch.amount)
        for d in proposal.discounts_to_grant:
            c = self._items[d.installment_id]
            self._items[c.installment_id] = replace(c, open_principal=c.open_principal - d.amount)
        for line in proposal.plan.lines:
            self.settle_line(line.installment_id, line.component, line.amount)
        r = proposal.residual
        if r.kind is ResidualKind.SHORT_PAYMENT and r.handling is ResidualHandling.TOLERANCE_ADJUSTMENT:
            # The small difference is adjusted away (reason: rounding), closing the items.
            for iid in proposal.installment_ids:
                c = self._items[iid]
                self._items[iid] = replace(
                    c,
                    open_principal=Money.zero(c.open.currency),
                    open_late_charges=Money.zero(c.open.currency),
                )

    def settle_line(self, installment_id: UUID, component: Component, amount: Money) -> None:
        """Lower one component of an installment's open amount (an allocation)."""
        c = self._items[installment_id]
        if component is Component.PRINCIPAL:
            c = replace(c, open_principal=c.open_principal - amount)
        else:
            c = replace(c, open_late_charges=c.open_late_charges - amount)
        if c.open_principal.is_negative() or c.open_late_charges.is_negative():
            raise ValueError(f"over-allocation of {c.installment_id}")
        self._items[installment_id] = c

    def learn_payer(self, payer_key: str, customer_id: UUID) -> None:
        """A confirmed match teaches that this payer pays for this customer."""
        links = self._history[payer_key]
        links[customer_id] = links.get(customer_id, 0) + 1

    def installment(self, installment_id: UUID) -> CandidateInstallment:
        return self._items[installment_id]
