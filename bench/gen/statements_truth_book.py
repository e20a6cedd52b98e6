"""The synthetic receivables book behind ``statements_truth``: customers (companies with
CNPJ, some with branches sharing a root, and consumers with CPF) and their invoices split
into installments, some collected by boleto (nosso número), some by PIX charge (txid).
Seeded and deterministic. Also the rule that drops credits nobody could attribute."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from app.domain.receivables.late_charges import LateChargePolicy, charges_as_of
from app.domain.receivables.schedule import TermSchedule, split_into_installments
from app.domain.settlement.matching_memory import CustomerRecord
from app.domain.settlement.matching_ports import CandidateInstallment, PaymentLine
from app.domain.shared.money import Money

CURRENCY = "BRL"
POLICY = LateChargePolicy(fine_percent=Decimal("2"), interest_percent_per_month=Decimal("1"))
START = date(2025, 3, 1)  # first value date of the statement period

_TRADES = [
    "Comercial",
    "Distribuidora",
    "Padaria",
    "Mercado",
    "Auto Peças",
    "Farmácia",
    "Construtora",
    "Transportes",
    "Materiais",
    "Atacadão",
    "Confecções",
    "Metalúrgica",
    "Papelaria",
    "Agropecuária",
]
_NAMES = [
    "Silva",
    "Souza",
    "Oliveira",
    "Santos",
    "Pereira",
    "Lima",
    "Carvalho",
    "Ferreira",
    "Rodrigues",
    "Almeida",
    "Costa",
    "Gomes",
    "Martins",
    "Araújo",
    "Barbosa",
    "Ribeiro",
    "Cardoso",
    "Rocha",
    "Dias",
    "Teixeira",
    "Moreira",
    "Cavalcanti",
    "Nogueira",
    "Campos",
    "Freitas",
    "Pinto",
]
_PLACES = [
    "São João",
    "Nova Esperança",
    "Boa Vista",
    "Central",
    "do Vale",
    "Paulista",
    "Mineira",
    "do Sul",
    "Norte",
    "Real",
    "Progresso",
    "Aliança",
    "Horizonte",
    "Estrela",
    "União",
]
_SUFFIXES = ["Ltda", "Ltda.", "ME", "EIRELI", "S/A", "EPP"]
_FIRST = ["Maria", "José", "Ana", "João", "Francisco", "Antônia", "Carlos", "Paulo", "Lucas", "Juliana"]
_TERMS = ["30", "28", "30/60", "30/60/90", "28/56/84", "30/60/90/120", "45"]


@dataclass(frozen=True, slots=True)
class TruthLine:
    line: PaymentLine
    kind: str
    truth: tuple[UUID, ...]  # installments it pays; empty: it should not be applied
    duplicate_of: str | None = None  # line_id of the credit a duplicate repeats


@dataclass(slots=True)
class Book:
    customers: list[CustomerRecord]
    installments: list[CandidateInstallment]
    history: list[tuple[str, UUID, int]]
    lines: list[TruthLine] = field(default_factory=list)
    policy: LateChargePolicy = POLICY
    dropped_undecidable: int = 0  # generated, then dropped by drop_undecidable


def _dv(digits: str, weights: list[int]) -> str:
    rest = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return "0" if rest < 2 else str(11 - rest)


def cnpj(root: str, branch: int) -> str:
    base = f"{root}{branch:04d}"
    w1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    d1 = _dv(base, w1)
    d2 = _dv(base + d1, [6, *w1])
    return base + d1 + d2


def cpf(base: str) -> str:
    d1 = _dv(base, list(range(10, 1, -1)))
    d2 = _dv(base + d1, list(range(11, 1, -1)))
    return base + d1 + d2


def fmt_cnpj(t: str) -> str:
    return f"{t[:2]}.{t[2:5]}.{t[5:8]}/{t[8:12]}-{t[12:]}"


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.invoice_seq = 104_000 + self.rng.randrange(1000)
        self.nosso_seq = 1_000_000
        self.used_roots: set[str] = set()

    def uuid(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def money(self, low: int, high: int) -> Money:
        # Log-uniform between low and high reais: many small invoices, a few large ones.
        value = low * (high / low) ** self.rng.random()
        return Money.from_minor(int(value * 100), CURRENCY)

    def new_root(self) -> str:
        while True:
            root = f"{self.rng.randrange(10**8):08d}"
            if root not in self.used_roots:
                self.used_roots.add(root)
                return root

    def company_name(self) -> str:
        r = self.rng
        return f"{r.choice(_TRADES)} {r.choice(_NAMES)} {r.choice(_PLACES)} {r.choice(_SUFFIXES)}"

    def person_name(self) -> str:
        return f"{self.rng.choice(_FIRST)} {self.rng.choice(_NAMES)} {self.rng.choice(_NAMES)}"

    def account(self) -> str:
        r = self.rng
        return f"{r.choice(['001', '033', '104', '237', '341', '260'])}/{r.randrange(10000):04d}/{r.randrange(10**7):07d}-{r.randrange(10)}"

    def e2e(self, on: date) -> str:
        return f"E{self.rng.randrange(10**8):08d}{on:%Y%m%d}{self.rng.getrandbits(44):011x}"


def build_book(gen: Generator, n_customers: int) -> Book:
    r = gen.rng
    customers: list[CustomerRecord] = []
    consumer_ids: set[UUID] = set()
    while len(customers) < n_customers:
        if r.random() < 0.2:
            cust = CustomerRecord(
                gen.uuid(), cpf(f"{r.randrange(10**9):09d}"), gen.person_name(), (gen.account(),)
            )
            consumer_ids.add(cust.customer_id)
            customers.append(cust)
            continue
        root, name = gen.new_root(), gen.company_name()
        branches = 1 if r.random() < 0.85 else r.randint(2, 3)
        for b in range(1, branches + 1):
            label = name if b == 1 else f"{name} Filial {b}"
            customers.append(CustomerRecord(gen.uuid(), cnpj(root, b), label, (gen.account(),)))
    installments: list[CandidateInstallment] = []
    for cust in customers:
        consumer = cust.customer_id in consumer_ids
        for _ in range(r.randint(2, 6)):
            gen.invoice_seq += r.randint(1, 3)
            number = str(gen.invoice_seq)
            issue = START - timedelta(days=r.randint(0, 150))
            amount = gen.money(80, 4000) if consumer else gen.money(150, 60000)
            schedule = TermSchedule.parse(r.choice(_TERMS))
            collection = r.random()
            for planned in split_into_installments(amount, issue, schedule):
                gen.nosso_seq += 1
                # Most installments that fell due before the period were paid then; the
                # rest are the delinquent stock.
                settled = planned.due_date < START - timedelta(days=20) and r.random() < 0.85
                open_principal = Money.zero(CURRENCY) if settled else planned.amount
                installments.append(
                    CandidateInstallment(
                        installment_id=gen.uuid(),
                        customer_id=cust.customer_id,
                        invoice_number=number,
                        number=planned.number,
                        due_date=planned.due_date,
                        face_value=planned.amount,
                        open_principal=open_principal,
                        open_late_charges=Money.zero(CURRENCY),
                        bank_reference=f"{gen.nosso_seq:011d}" if collection < 0.55 else None,
                        document_number=f"{number}-{planned.number.index}",
                        txid=f"CB{gen.rng.getrandbits(100):025x}" if 0.55 <= collection < 0.75 else None,
                        consumer=consumer,
                    )
                )
    return Book(customers, installments, [])


# ---- which credits anyone could attribute ------------------------------------------
def _quotes_installment(line: PaymentLine, index: int) -> bool:
    """Does the credit name one installment (not just its invoice)? Checked against
    this generator's own templates."""
    if line.bank_reference or line.txid:
        return True
    return bool(re.search(rf"\d{{5,}}[-/]{index}\b|PARC {index}/", line.reference_text))


def _same_for_payer(t: TruthLine, inst: CandidateInstallment, sib: CandidateInstallment) -> bool:
    """Would the credit's amount fit the sibling just as well?"""
    if len(t.truth) > 1:
        return sib.face_value == inst.face_value  # swapping them keeps the sum
    due = charges_as_of(sib, POLICY, t.line.value_date, consumer=sib.consumer).total_due
    return any(abs(t.line.amount.minor - m.minor) <= 10 for m in (sib.face_value, due))


def _undecidable(lines: list[TruthLine], by_id: dict[UUID, CandidateInstallment]) -> set[int]:
    """Lines that pay a later installment of an invoice, without naming it, while an
    earlier one of the same amount is still open: nobody could tell which of the two
    was meant, and customers settle an invoice's installments in order. Such credits
    are not generated (positions in ``lines``)."""
    paid_on: dict[UUID, date] = {}
    for t in lines:
        for i in t.truth:
            paid_on[i] = t.line.value_date
    siblings: dict[tuple[UUID, str], list[CandidateInstallment]] = {}
    for c in by_id.values():
        siblings.setdefault((c.customer_id, c.invoice_number), []).append(c)
    out: set[int] = set()
    for pos, t in enumerate(lines):
        for iid in t.truth:
            inst = by_id[iid]
            if _quotes_installment(t.line, inst.number.index):
                continue
            for sib in siblings[(inst.customer_id, inst.invoice_number)]:
                earlier_open = sib.number.index < inst.number.index and sib.installment_id not in t.truth
                settled = sib.installment_id in paid_on and paid_on[sib.installment_id] <= t.line.value_date
                if earlier_open and not settled and _same_for_payer(t, inst, sib):
                    out.add(pos)
    return out


def drop_undecidable(lines: list[TruthLine], by_id: dict[UUID, CandidateInstallment]) -> list[TruthLine]:
    """Drop undecidable lines until none is left: dropping one un-pays its installments,
    which can make another line undecidable; duplicates of dropped lines go too."""
    kept = list(lines)
    while True:
        drop = _undecidable(kept, by_id)
        gone = {kept[pos].line.line_id for pos in drop}
        nxt = [
            t
            for pos, t in enumerate(kept)
            if pos not in drop and (t.duplicate_of is None or t.duplicate_of not in gone)
        ]
        if len(nxt) == len(kept):
            return kept
        kept = nxt
