"""A synthetic receivables book and incoming credits with ground truth (seeded).

Builds customers (companies with CNPJ, some with several branches sharing a CNPJ root,
and consumers with CPF), their invoices split into installments (some collected by
boleto with a nosso número, some by PIX charge with a txid), and a stream of credits
of these kinds, each with the installments it truly pays:

- ``exact_reference``: a boleto liquidation (nosso número), a PIX payment (txid), or a
  transfer quoting the invoice or document number, for the exact amount;
- ``typo``: a transfer quoting the invoice number with one typo (a digit replaced,
  dropped, added, or two swapped);
- ``combined``: one transfer paying 2–4 installments of a customer;
- ``partial``: less than the installment's value;
- ``late_with_charges``: paid late with fine and interest computed by the tenant's policy
  (sometimes off by a few cents, as when the customer computes it);
- ``third_party``: paid by another branch of the company or by a third party;
- ``duplicate``: the same credit again (truth: nothing — it must not be applied twice);
- ``unrelated``: credits that pay no installment (truth: nothing), some of them with a
  number that happens to be an invoice number or an amount equal to someone's
  installment.

Credits that pay a later installment of an invoice without naming it, while an earlier
one that the amount would fit just as well is still open, are dropped after generation
(``drop_undecidable`` in ``statements_truth_book``; the count is reported): neither a person nor the engine could
tell which of the two was meant, and customers settle an invoice's installments in
order. Most installments that fell due before the period are marked paid (85 %); the
rest are the delinquent stock, paid late if at all.

Nothing here is read by the engine: the benchmark hands the engine only the book (via
the in-memory provider) and the lines, and keeps the truth to score the decisions.

    .venv/bin/python bench/gen/statements_truth.py --lines 20 --seed 7   # prints a sample
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.domain.receivables.late_charges import charges_as_of
from app.domain.settlement.matching_memory import CustomerRecord
from app.domain.settlement.matching_ports import CandidateInstallment, PaymentLine
from app.domain.settlement.matching_text import tax_id_key
from app.domain.shared.money import Money
from bench.gen.statements_truth_book import (
    CURRENCY,
    POLICY,
    START,
    Book,
    Generator,
    TruthLine,
    build_book,
    cnpj,
    cpf,
    drop_undecidable,
    fmt_cnpj,
)

KIND_WEIGHTS: dict[str, float] = {
    "exact_reference": 0.40,
    "typo": 0.07,
    "combined": 0.09,
    "partial": 0.05,
    "late_with_charges": 0.14,
    "third_party": 0.08,
    "duplicate": 0.05,
    "unrelated": 0.12,
}

_UNRELATED_TEXT = [
    "RESGATE APLICACAO",
    "TRANSF ENTRE CONTAS",
    "ESTORNO TARIFA",
    "CREDITO JUROS POUPANCA",
    "DEP DINHEIRO AG",
    "TED RECEBIDA",
    "DEVOLUCAO TED",
    "CREDITO CONVENIO",
    "PIX RECEBIDO",
]


def _typo(rng: random.Random, number: str) -> str:
    digits = list(number)
    op = rng.choice(["sub", "swap", "drop", "add"])
    i = rng.randrange(len(digits))
    if op == "sub":
        digits[i] = rng.choice([d for d in "0123456789" if d != digits[i]])
    elif op == "swap" and i < len(digits) - 1 and digits[i] != digits[i + 1]:
        digits[i], digits[i + 1] = digits[i + 1], digits[i]
    elif op == "drop":
        del digits[i]
    else:
        digits.insert(i, rng.choice("0123456789"))
    out = "".join(digits)
    return out if out != number else _typo(rng, number)


class _Lines:
    def __init__(self, gen: Generator, book: Book) -> None:
        self.gen, self.book, self.rng = gen, book, gen.rng
        self.customers = {c.customer_id: c for c in book.customers}
        self.by_root: dict[str, list[CustomerRecord]] = {}
        for c in book.customers:
            if len(c.tax_id) == 14:
                self.by_root.setdefault(c.tax_id[:8], []).append(c)
        self.unpaid = {i.installment_id: i for i in book.installments if i.open.is_positive()}
        self.by_customer: dict[UUID, list[CandidateInstallment]] = {}
        for i in book.installments:
            self.by_customer.setdefault(i.customer_id, []).append(i)
        self.out: list[TruthLine] = []
        self.seq = 0

    def pick(
        self, pred: Callable[[CandidateInstallment], bool] = lambda i: True
    ) -> CandidateInstallment | None:
        ids = list(self.unpaid)
        for _ in range(60):
            inst = self.unpaid[self.rng.choice(ids)]
            if pred(inst):
                return inst
        return None

    def take(self, *items: CandidateInstallment) -> tuple[UUID, ...]:
        for i in items:
            self.unpaid.pop(i.installment_id, None)
        return tuple(i.installment_id for i in items)

    def emit(self, kind: str, truth: tuple[UUID, ...], **kw: Any) -> None:
        """Add a credit; ``duplicate_of`` (a line id) marks a repeated one."""
        self.seq += 1
        duplicate_of = kw.pop("duplicate_of", None)
        kw.setdefault("line_id", f"L{self.seq:07d}")
        self.out.append(TruthLine(PaymentLine(**kw), kind, truth, duplicate_of))

    def payer_fields(self, cust: CustomerRecord, tax_p: float = 1.0) -> dict[str, object]:
        r = self.rng
        tax = cust.tax_id if r.random() < tax_p else None
        if tax and r.random() < 0.5:
            tax = fmt_cnpj(tax) if len(tax) == 14 else tax
        return {
            "payer_tax_id": tax,
            "payer_name": cust.name.upper(),
            "payer_account": cust.accounts[0] if r.random() < 0.5 else None,
        }

    def ref_text(self, inst: CandidateInstallment) -> str:
        r = self.rng
        n, k, of = inst.invoice_number, inst.number.index, inst.number.count
        return r.choice(
            [
                f"PGTO NF {n}",
                f"NF {n}-{k}",
                f"FATURA {n} PARC {k}/{of}",
                f"{inst.document_number}",
                f"PAGAMENTO DUPLICATA {n}/{k}",
                f"REF NF-{int(n):09d}",
            ]
        )

    def on_time(self, inst: CandidateInstallment) -> date:
        return inst.due_date - timedelta(days=self.rng.randint(0, 8))

    def pick_current(self) -> CandidateInstallment | None:
        """An installment falling due in the statement period: the ones paid on time.
        Older unpaid ones are the delinquent stock, paid late (with charges) if at all."""
        return self.pick(lambda i: START - timedelta(days=20) <= i.due_date <= START + timedelta(days=60))

    # ---- kinds -------------------------------------------------------------------
    def exact_reference(self) -> None:
        inst = self.pick_current()
        if inst is None:
            return
        cust = self.customers[inst.customer_id]
        on = self.on_time(inst)
        base = {"amount": inst.face_value, "value_date": on, **self.payer_fields(cust, 0.9)}
        if inst.bank_reference and self.rng.random() < 0.9:
            self.emit("exact_reference", self.take(inst), bank_reference=inst.bank_reference, **base)
        elif inst.txid and self.rng.random() < 0.9:
            self.emit(
                "exact_reference", self.take(inst), txid=inst.txid, end_to_end_id=self.gen.e2e(on), **base
            )
        else:
            self.emit("exact_reference", self.take(inst), reference_text=self.ref_text(inst), **base)

    def typo(self) -> None:
        inst = self.pick_current()
        if inst is None:
            return
        cust = self.customers[inst.customer_id]
        wrong = _typo(self.rng, inst.invoice_number)
        text = self.rng.choice([f"PGTO NF {wrong}", f"NF {wrong}-{inst.number.index}", f"FAT {wrong}"])
        self.emit(
            "typo",
            self.take(inst),
            amount=inst.face_value,
            value_date=self.on_time(inst),
            reference_text=text,
            **self.payer_fields(cust, 0.6),
        )

    def combined(self) -> None:
        r = self.rng
        horizon = START + timedelta(days=60)
        customer_ids = list(self.by_customer)
        for _ in range(30):
            cid = r.choice(customer_ids)
            live = sorted(
                (
                    i
                    for i in self.by_customer[cid]
                    if i.installment_id in self.unpaid and i.due_date <= horizon
                ),
                key=lambda i: (i.due_date, i.number.index),
            )
            if len(live) >= 2:
                break
        else:
            return
        k = r.randint(2, min(4, len(live)))
        if r.random() < 0.7:
            chosen = live[:k]  # the oldest ones
        else:
            # Any installments, but each invoice's in order: nobody pays 2/3 before 1/3.
            chosen = []
            pool = list(live)
            while pool and len(chosen) < k:
                heads: dict[str, CandidateInstallment] = {}
                for i in pool:
                    heads.setdefault(i.invoice_number, i)
                nxt = r.choice(list(heads.values()))
                chosen.append(nxt)
                pool.remove(nxt)
            chosen.sort(key=lambda i: (i.due_date, i.number.index))
        total = chosen[0].face_value
        for i in chosen[1:]:
            total = total + i.face_value
        cust = self.customers[cid]
        roll = r.random()
        if roll < 0.4:
            text = r.choice(["PAGAMENTO FORNECEDOR", "TED RECEBIDA", "PIX RECEBIDO", ""])
        elif roll < 0.7:
            text = "NFS " + " ".join(i.document_number or "" for i in chosen)
        else:
            text = f"PGTO NF {chosen[0].invoice_number}"
        payer = self.payer_fields(cust, 0.85)
        if payer["payer_tax_id"] is None:
            payer["payer_account"] = cust.accounts[0]
        self.emit(
            "combined",
            self.take(*chosen),
            amount=total,
            value_date=max(i.due_date for i in chosen) - timedelta(days=r.randint(0, 5)),
            reference_text=text,
            **payer,
        )

    def partial(self) -> None:
        inst = self.pick(
            lambda i: (
                i.face_value.minor >= 2000
                and START - timedelta(days=20) <= i.due_date <= START + timedelta(days=60)
            )
        )
        if inst is None:
            return
        r = self.rng
        cust = self.customers[inst.customer_id]
        amount = Money.from_minor(int(inst.face_value.minor * r.uniform(0.3, 0.9)), CURRENCY)
        base = {"amount": amount, "value_date": self.on_time(inst), **self.payer_fields(cust, 0.9)}
        if inst.bank_reference and r.random() < 0.5:
            self.emit("partial", self.take(inst), bank_reference=inst.bank_reference, **base)
        else:
            self.emit(
                "partial", self.take(inst), reference_text=f"PGTO PARCIAL NF {inst.document_number}", **base
            )

    def late_with_charges(self) -> None:
        r = self.rng
        inst = self.pick(lambda i: START - timedelta(days=90) <= i.due_date < START + timedelta(days=40))
        if inst is None:
            return
        cust = self.customers[inst.customer_id]
        on = inst.due_date + timedelta(days=r.randint(3, 60))
        due = charges_as_of(inst, POLICY, on, consumer=inst.consumer).total_due
        roll = r.random()
        if inst.bank_reference and roll < 0.5:
            self.emit(
                "late_with_charges",
                self.take(inst),
                amount=due,
                value_date=on,
                bank_reference=inst.bank_reference,
                **self.payer_fields(cust, 0.9),
            )
            return
        if r.random() < 0.25:  # the customer's own arithmetic, a few cents off
            due = Money.from_minor(due.minor + r.choice([-5, -2, -1, 1, 2, 5]), CURRENCY)
        text = "" if roll < 0.8 else f"NF {inst.document_number} C/ JUROS"
        self.emit(
            "late_with_charges",
            self.take(inst),
            amount=due,
            value_date=on,
            reference_text=text,
            **self.payer_fields(cust, 0.95),
        )

    def third_party(self) -> None:
        r = self.rng
        inst = self.pick()
        if inst is None:
            return
        cust = self.customers[inst.customer_id]
        siblings = [c for c in self.by_root.get(cust.tax_id[:8], []) if c.customer_id != cust.customer_id]
        on = self.on_time(inst)
        if siblings and r.random() < 0.7:
            payer = r.choice(siblings)
            text = self.ref_text(inst) if r.random() < 0.4 else "PAGAMENTO FORNECEDOR"
            self.emit(
                "third_party",
                self.take(inst),
                amount=inst.face_value,
                value_date=on,
                reference_text=text,
                payer_tax_id=payer.tax_id,
                payer_name=payer.name.upper(),
            )
            return
        root = self.gen.new_root()
        payer_tax = cnpj(root, 1)
        if r.random() < 0.5:  # a regular payer for this customer (a factoring firm, the parent)
            self.book.history.append((tax_id_key(payer_tax), cust.customer_id, r.randint(1, 6)))
            text = self.ref_text(inst) if r.random() < 0.5 else "PAGAMENTO"
        else:
            text = self.ref_text(inst) if r.random() < 0.75 else "PAGAMENTO"
        self.emit(
            "third_party",
            self.take(inst),
            amount=inst.face_value,
            value_date=on,
            reference_text=text,
            payer_tax_id=payer_tax,
            payer_name=self.gen.company_name().upper(),
        )

    def duplicate(self) -> None:
        originals = [t for t in self.out if t.kind != "duplicate" and t.truth]
        if not originals:
            return
        orig = self.rng.choice(originals[-200:])
        shift = 0 if self.rng.random() < 0.5 else self.rng.randint(1, 3)
        ln = orig.line
        self.emit(
            "duplicate",
            (),
            duplicate_of=ln.line_id,
            amount=ln.amount,
            value_date=ln.value_date + timedelta(days=shift),
            reference_text=ln.reference_text,
            payer_tax_id=ln.payer_tax_id,
            payer_name=ln.payer_name,
            payer_account=ln.payer_account,
            bank_reference=ln.bank_reference,
            txid=ln.txid,
            end_to_end_id=ln.end_to_end_id,
        )

    def unrelated(self) -> None:
        r = self.rng
        on = START + timedelta(days=r.randint(0, 60))
        text = r.choice(_UNRELATED_TEXT)
        if r.random() < 0.3:
            text += f" DOC {r.randrange(100_000, 140_000)}"  # may look like an invoice number
        amount = self.gen.money(10, 20000)
        if r.random() < 0.3:  # the same amount as somebody's installment
            inst = self.pick()
            if inst is not None:
                amount = inst.face_value
        if r.random() < 0.6:
            payer_tax, name = cnpj(self.gen.new_root(), 1), self.gen.company_name().upper()
        else:
            payer_tax, name = cpf(f"{r.randrange(10**9):09d}"), self.gen.person_name().upper()
        self.emit(
            "unrelated",
            (),
            amount=amount,
            value_date=on,
            reference_text=text,
            payer_tax_id=payer_tax,
            payer_name=name,
        )


def generate(
    seed: int = 42, lines: int = 10_000, customers: int | None = None, keep_undecidable: bool = False
) -> Book:
    """A book and ``lines`` credits sorted by value date, reproducible from ``seed``.

    ``keep_undecidable`` keeps the credits nobody could attribute (see the module doc),
    with the generator's arbitrary truth, to measure how the engine treats them."""
    gen = Generator(seed)
    book = build_book(gen, customers or max(50, lines // 4))
    maker = _Lines(gen, book)
    kinds, weights = zip(*KIND_WEIGHTS.items(), strict=True)
    makers: dict[str, Callable[[], None]] = {k: getattr(maker, k) for k in kinds}
    guard = 0
    by_id = {c.installment_id: c for c in book.installments}
    target = lines
    while True:
        while len(maker.out) < target and guard < lines * 20:
            guard += 1
            makers[gen.rng.choices(kinds, weights)[0]]()
        kept = list(maker.out) if keep_undecidable else drop_undecidable(maker.out, by_id)
        if len(kept) >= lines or guard >= lines * 20:
            break
        target += lines - len(kept) + 10
    # Stable sort: a duplicate on the same day stays after its original. Cutting the
    # latest lines keeps every line's history (earlier payments, originals) intact.
    book.lines = sorted(kept, key=lambda t: t.line.value_date)[:lines]
    book.dropped_undecidable = len(maker.out) - len(kept)
    return book


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--lines", type=int, default=20)
    args = ap.parse_args()
    book = generate(args.seed, args.lines)
    for t in book.lines:
        ln = t.line
        print(
            json.dumps(
                {
                    "kind": t.kind,
                    "truth": [str(u) for u in t.truth],
                    "amount": str(ln.amount.amount),
                    "value_date": ln.value_date.isoformat(),
                    "text": ln.reference_text,
                    "payer": ln.payer_tax_id,
                    "nosso_numero": ln.bank_reference,
                    "txid": ln.txid,
                },
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
