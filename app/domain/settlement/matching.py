"""Cash application: which installments an incoming credit pays.

``match_line`` gathers evidence in a fixed order, deterministic keys first:

1. keys that name an installment: nosso número, PIX txid / end-to-end id, and invoice
   or document numbers in the free text (exactly, then within one typo for numbers of
   five characters or more);
2. keys that name a customer: payer tax id, the CNPJ root (another branch of the same
   company), payer account, payer name, and payers seen paying for a customer before;
3. for every installment or customer found, what the amount says: equal to the open
   amount, to the open amount plus late charges computed by the tenant's policy as of
   the value date, to the amount less the early-payment discount, within tolerance, or
   to a combination of a customer's open installments (bounded subset-sum);
4. order and time: the customer's oldest open installments, a due date near the value
   date;
5. a duplicate check against credits already received.

Each candidate set of installments becomes a ``MatchProposal`` with its signals,
confidence, allocation plan and residual handling; ``decide`` (in
``matching_scoring``) says whether the best one may be applied without a person.
The engine never sees ground truth or any data but what the provider returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID

from app.domain.receivables.rules.allocation import AllocationPolicy, plan_allocation
from app.domain.settlement import match_evidence as said
from app.domain.settlement.matching_amounts import AmountCheck
from app.domain.settlement.matching_duplicates import duplicate_of
from app.domain.settlement.matching_ports import (
    CandidateInstallment,
    CandidateProvider,
    MatchSettings,
    PaymentLine,
    PriorCredit,
)
from app.domain.settlement.matching_scoring import (
    Decision,
    MatchProposal,
    Signal,
    SignalKind,
    confidence,
    decide,
)
from app.domain.settlement.matching_text import (
    MIN_FUZZY_LENGTH,
    ReferenceToken,
    account_key,
    deletion_keys,
    extract_references,
    name_key,
    reference_key,
    tax_id_key,
    tax_root,
    typo_distance,
)

__all__ = ["MatchResult", "decide", "match_line"]

_REFERENCE_LOOKUP_LIMIT = 50
# Sequential invoice numbers make typo neighbourhoods crowded: one six-digit number has
# ~60 numbers within one typo, each with its installments.
_NEAR_LOOKUP_LIMIT = 300
_PAYER_SIGNALS = frozenset(
    {SignalKind.PAYER_TAX_ID, SignalKind.PAYER_GROUP, SignalKind.PAYER_ACCOUNT, SignalKind.PAYER_HISTORY}
)
_GROUP_LIMIT = 5
# A credit that names nothing and nobody is offered the open installments of exactly
# its amount — only when there are this few: more, and the amount says nothing.
AMOUNT_ONLY_LIMIT = 3


@dataclass(frozen=True, slots=True)
class MatchResult:
    line: PaymentLine
    proposals: tuple[MatchProposal, ...]  # best first
    decision: Decision
    notes: tuple[str, ...] = ()  # facts for the reviewer that belong to no proposal


def match_line(line: PaymentLine, provider: CandidateProvider, settings: MatchSettings) -> MatchResult:
    run = _Run(line, provider, settings)
    proposals = run.proposals()
    decision = decide(
        proposals,
        settings.auto_apply_threshold,
        min_doubt_ratio=settings.min_doubt_ratio,
        auto_apply_short_payments=settings.auto_apply_short_payments,
        min_identity=settings.min_identity,
    )
    return MatchResult(line, proposals, decision, tuple(run.notes))


@dataclass(slots=True)
class _Run:
    line: PaymentLine
    provider: CandidateProvider
    settings: MatchSettings
    notes: list[str] = field(default_factory=list)
    known: dict[UUID, CandidateInstallment] = field(default_factory=dict)
    item_signals: dict[UUID, list[Signal]] = field(default_factory=dict)
    customer_signals: dict[UUID, list[Signal]] = field(default_factory=dict)
    open_by_customer: dict[UUID, list[CandidateInstallment]] = field(default_factory=dict)
    by_amount_only: list[UUID] = field(default_factory=list)
    amounts: AmountCheck = field(init=False)

    def __post_init__(self) -> None:
        self.amounts = AmountCheck(self.line, self.settings, self.notes)

    # ---- 1. keys that name installments ------------------------------------------
    def _hit(self, c: CandidateInstallment, signal: Signal) -> None:
        if not c.open.is_positive():
            self.notes.append(
                f"{signal.kind.value} {signal.detail} matches installment {c.invoice_number} "
                f"{c.number}, already settled: a second payment or a duplicate?"
            )
            return
        self.known[c.installment_id] = c
        self.item_signals.setdefault(c.installment_id, []).append(signal)

    def _keys(self) -> None:
        line = self.line
        if line.bank_reference:
            key = reference_key(line.bank_reference)
            for c in self.provider.installments_by_bank_reference(key):
                self._hit(c, Signal(SignalKind.BANK_REFERENCE, said.bank_reference(line.bank_reference)))
        for kind, value in ((SignalKind.TXID, line.txid), (SignalKind.END_TO_END, line.end_to_end_id)):
            if value:
                for c in self.provider.installments_by_txid(value):
                    self._hit(c, Signal(kind, said.pix_id(value)))
        tokens = extract_references(line.reference_text)
        if tokens:
            self._documents(tokens)

    def _documents(self, tokens: list[ReferenceToken]) -> None:
        exact = self.provider.installments_by_reference({t.key for t in tokens}, _REFERENCE_LOOKUP_LIMIT)
        matched_keys: set[str] = set()
        for c in exact:
            for t in tokens:
                if t.key in _keys_of(c) and (t.index is None or t.index == c.number.index):
                    matched_keys.add(t.key)
                    self._hit(c, Signal(_named(c, t), said.named_in_text(t.key, self.line.reference_text)))
        fuzzy = [t for t in tokens if t.key not in matched_keys and len(t.key) >= MIN_FUZZY_LENGTH]
        if not fuzzy:
            return
        dkeys: set[str] = set()
        for t in fuzzy:
            dkeys |= deletion_keys(t.key)
        for c in self.provider.installments_by_reference_near(dkeys, _NEAR_LOOKUP_LIMIT):
            for t in fuzzy:
                if t.index is not None and t.index != c.number.index:
                    continue
                near = [k for k in _keys_of(c) if len(k) >= MIN_FUZZY_LENGTH and typo_distance(t.key, k) == 1]
                if near:
                    detail = said.one_typo(t.key, near[0])
                    self._hit(c, Signal(SignalKind.DOCUMENT_NUMBER_TYPO, detail))

    # ---- 2. keys that name customers ---------------------------------------------
    def _customer(self, customer_id: UUID, signal: Signal) -> None:
        self.customer_signals.setdefault(customer_id, []).append(signal)

    def _payer(self) -> None:
        line, p = self.line, self.provider
        tax = tax_id_key(line.payer_tax_id)
        found_by_tax = False
        if tax:
            for cid in p.customers_by_tax_id(tax):
                found_by_tax = True
                self._customer(cid, Signal(SignalKind.PAYER_TAX_ID, said.payer_is_customer(tax)))
            root = tax_root(tax)
            if root and not found_by_tax:
                for cid in p.customers_by_tax_root(root, _GROUP_LIMIT):
                    self._customer(cid, Signal(SignalKind.PAYER_GROUP, said.payer_group(tax, root)))
        acct = account_key(line.payer_account)
        if acct:
            for cid in p.customers_by_account(acct):
                detail = said.account_on_file(line.payer_account or acct)
                self._customer(cid, Signal(SignalKind.PAYER_ACCOUNT, detail))
        nkey = name_key(line.payer_name)
        if nkey:
            for cid in p.customers_by_name(nkey, _GROUP_LIMIT):
                self._customer(cid, Signal(SignalKind.PAYER_NAME, said.payer_name(line.payer_name or nkey)))
        for payer_key in dict.fromkeys(k for k in (tax, acct) if k):
            for link in p.customers_paid_for_by(payer_key):
                detail = said.paid_before(link.times)
                self._customer(link.customer_id, Signal(SignalKind.PAYER_HISTORY, detail))

    # ---- 2b. nothing named: the amount alone --------------------------------------
    def _amount_only(self) -> None:
        """Suggestions for the reviewer, never an automatic application: an amount is
        no identity (``min_identity`` keeps these below the auto-apply line). A payer
        identified by tax id or account who is no customer is a stranger: not searched."""
        if self.item_signals or self.customer_signals:
            return
        if tax_id_key(self.line.payer_tax_id) or account_key(self.line.payer_account):
            return
        found = self.provider.installments_by_open_amount(self.line.amount, AMOUNT_ONLY_LIMIT + 1)
        if len(found) > AMOUNT_ONLY_LIMIT:
            self.notes.append(
                f"more than {AMOUNT_ONLY_LIMIT} open installments of {self.line.amount}: "
                "the amount alone points at none"
            )
            return
        for c in found:
            self.known[c.installment_id] = c
            self.by_amount_only.append(c.installment_id)
        if found:
            self.notes.append(
                f"the credit names no document or payer; {len(found)} open installment(s) "
                f"of exactly {self.line.amount}"
            )

    # ---- 3/4. proposals ------------------------------------------------------------
    def proposals(self) -> tuple[MatchProposal, ...]:
        self._keys()
        self._payer()
        self._amount_only()
        customers = self._customers_to_search()
        for cid in customers:
            items = list(self.provider.open_installments(cid, self.settings.max_candidates))
            self.open_by_customer[cid] = sorted(items, key=_due_order)
            for c in items:
                self.known.setdefault(c.installment_id, c)

        sets: dict[frozenset[UUID], bool] = {}  # candidate set → came from subset search

        def offer(ids: Iterable[UUID], searched: bool = False) -> None:
            key = frozenset(ids)
            if key and (key not in sets or not searched):
                sets[key] = searched

        # Installments named by a key, alone and together per customer.
        named_by_customer: dict[UUID, list[UUID]] = {}
        for iid in self.item_signals:
            offer([iid])
            named_by_customer.setdefault(self.known[iid].customer_id, []).append(iid)
        for ids in named_by_customer.values():
            if len(ids) > 1:
                offer(ids)
        for iid in self.by_amount_only:
            offer([iid])
        # The customers' open installments: singles that fit the amount, combinations.
        for cid in customers:
            items = self.open_by_customer.get(cid, [])
            for c in items:
                if self.amounts.fits(c):
                    offer([c.installment_id])
            # A combination found by searching is only evidence when the payer is known to
            # be this customer: among 25 open installments there are ~15,000 subsets of
            # up to four, and some random amount will match one of them.
            if self._payer_is(cid):
                for combo in self.amounts.combinations(items):
                    offer(combo, searched=True)
            if items and not any(self.known[i].customer_id == cid for s in sets for i in s):
                # Nothing fits: still offer the oldest-first allocation for the reviewer.
                offer([items[0].installment_id])

        window = timedelta(days=self.settings.duplicate_window_days)
        line = self.line
        duplicate = duplicate_of(
            line, self.provider.prior_credits(line.amount, line.value_date - window, line.value_date)
        )
        built = [self._proposal(ids, searched, duplicate) for ids, searched in sets.items()]
        best: dict[frozenset[UUID], MatchProposal] = {}
        for prop in built:
            k = frozenset(prop.installment_ids)
            if k not in best or prop.confidence > best[k].confidence:
                best[k] = prop
        ranked = sorted(
            best.values(),
            key=lambda p: (
                -p.confidence,
                min(self.known[i].due_date for i in p.installment_ids),
                len(p.installment_ids),
            ),
        )
        return tuple(ranked)

    def _customers_to_search(self) -> list[UUID]:
        strength: dict[UUID, float] = {}
        for cid, sigs in self.customer_signals.items():
            strength[cid] = max(s.weight for s in sigs)
        for iid, sigs in self.item_signals.items():
            cid = self.known[iid].customer_id
            strength[cid] = max(strength.get(cid, 0.0), *(s.weight for s in sigs))
        ranked = sorted(strength, key=lambda cid: (-strength[cid], str(cid)))
        if len(ranked) > self.settings.max_customers:
            self.notes.append(
                f"{len(ranked)} customers could be the payer; only the {self.settings.max_customers} "
                "strongest were searched"
            )
        return ranked[: self.settings.max_customers]

    def _payer_is(self, customer_id: UUID) -> bool:
        return any(s.kind in _PAYER_SIGNALS for s in self.customer_signals.get(customer_id, ()))

    def _proposal(self, ids: frozenset[UUID], searched: bool, duplicate: PriorCredit | None) -> MatchProposal:
        items = sorted((self.known[i] for i in ids), key=_due_order)
        customer_id = items[0].customer_id
        signals: list[Signal] = []
        for c in items:
            signals.extend(self.item_signals.get(c.installment_id, []))
        signals.extend(self.customer_signals.get(customer_id, []))
        ev = self.amounts.evaluate(items, searched)
        signals.extend(ev.signals)
        signals.extend(self._order_signals(items, customer_id))
        signals = list(dict.fromkeys(signals))  # one line per distinct fact
        if duplicate is not None:
            signals.append(
                Signal(SignalKind.DUPLICATE_SUSPECT, said.duplicate(duplicate.amount, duplicate.value_date))
            )
        policy = AllocationPolicy.given([c.installment_id for c in items], self.settings.component_order)
        plan = plan_allocation(self.line.amount, ev.plan_items, policy)
        return MatchProposal(
            customer_id=customer_id,
            installment_ids=tuple(c.installment_id for c in items),
            confidence=confidence(signals),
            signals=tuple(signals),
            plan=plan,
            residual=ev.residual,
            charges_to_assess=tuple(ev.charges),
            discounts_to_grant=tuple(ev.discounts),
        )

    def _order_signals(self, items: list[CandidateInstallment], customer_id: UUID) -> list[Signal]:
        out: list[Signal] = []
        open_items = self.open_by_customer.get(customer_id)
        if open_items:
            prefix = {c.installment_id for c in open_items[: len(items)]}
            if prefix == {c.installment_id for c in items}:
                out.append(Signal(SignalKind.OLDEST_FIRST, said.OLDEST_FIRST))
        if self._in_invoice_order(items):
            out.append(Signal(SignalKind.INVOICE_ORDER, said.INVOICE_ORDER))
        if len(items) == 1:
            gap = abs((self.line.value_date - items[0].due_date).days)
            if gap <= self.settings.date_proximity_days:
                out.append(Signal(SignalKind.DATE_PROXIMITY, said.date_gap(gap)))
        return out

    def _in_invoice_order(self, items: list[CandidateInstallment]) -> bool:
        """True unless the set skips an open, earlier installment of one of its invoices:
        customers settle an invoice's installments in order."""
        chosen = {c.installment_id for c in items}
        invoices = {(c.customer_id, c.invoice_number): c for c in items}
        pool = [*self.known.values()]
        for c in pool:
            if c.installment_id in chosen or not (c.open_principal.minor or c.open_late_charges.minor):
                continue
            head = invoices.get((c.customer_id, c.invoice_number))
            if head is None:
                continue
            latest = max(i.number.index for i in items if i.invoice_number == c.invoice_number)
            if c.number.index < latest:
                return False
        return True


def _named(c: CandidateInstallment, t: ReferenceToken) -> SignalKind:
    """Did the token name the installment (its index, or its own document number) or
    only its invoice?"""
    if t.index is not None or c.number.count == 1:
        return SignalKind.DOCUMENT_NUMBER
    doc = c.document_number
    if doc is not None and t.key == reference_key(doc):
        if t.joined or doc.isalnum():
            return SignalKind.DOCUMENT_NUMBER
        # "1052444" against the document "105244-4": as likely the invoice number with
        # a stray digit as the document without its dash.
        return SignalKind.DOCUMENT_NUMBER_TYPO
    return SignalKind.INVOICE_NUMBER


def _keys_of(c: CandidateInstallment) -> tuple[str, ...]:
    keys = [reference_key(c.invoice_number)]
    if c.document_number:
        keys.append(reference_key(c.document_number))
    return tuple(keys)


def _due_order(c: CandidateInstallment) -> tuple[object, ...]:
    return (c.due_date, c.number.index, str(c.installment_id))
