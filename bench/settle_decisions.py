"""In-memory settlement decisions: ``ReceiptBook`` over a synthetic bank return, no database.

Mirrors what ``app/adapters/db/repositories/settlement_bulk.py`` does per batch of a
thousand records, minus the SQL: installment states built as ``lock_batch`` builds
them (``Money.from_minor`` amounts, ledgers of stored entries, the consumer flag),
receipts built from ``SettlementToApply`` with the adapter's own ``new_payment_of``
and ``allocation_attempts``, then one ``ReceiptBook`` per batch: ``receive`` every
receipt in file order and ``take`` the effects. Only the book is timed.

The records are a deterministic mix of what a CNAB return carries:

- on time, the face value (most titles);
- late, face plus the late charges our policy computes (charges assessed, then paid);
- late, with charges the bank computed differently (face plus charges refused, then
  the face alone);
- partial payments of the face;
- a few replays of a record key already recorded in the batch.

Prints one JSON line per run (wall and CPU time: the machines are shared, compare
runs made side by side) and a summary line (best run):

    .venv/bin/python bench/settle_decisions.py [--payments 100000] [--batch 1000] [--repeat 3]
        [--gc on|frozen|paused]

``--gc``: the garbage collector as the server runs it (``on``, the default), with what
was alive before the run frozen (``gc.freeze()``, as a worker could after start-up), or
paused while a batch is decided (collected between batches): a book's objects die with
its batch, and the collector's passes over them are a good part of the time.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.adapters.db.repositories.settlement_apply import allocation_attempts, new_payment_of
from app.domain.receivables.kinds import Component, EntryKind
from app.domain.receivables.late_charges import charges_as_of
from app.domain.receivables.ledger import InstallmentLedger, LedgerEntry
from app.domain.receivables.model import Installment, InstallmentNumber
from app.domain.receivables.receipts_batch import Receipt, ReceiptBook, ReceiptLine
from app.domain.receivables.service_policy import ReceivablesPolicy
from app.domain.receivables.service_ports import InstallmentState
from app.domain.settlement.service import AllocationLine, SettlementSource, SettlementToApply
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money

CURRENCY = "BRL"
ISSUED = date(2025, 1, 2)


@dataclass(frozen=True, slots=True)
class Batch:
    states: dict[UUID, InstallmentState]
    receipts: list[Receipt]


def _state(rng: random.Random, index: int) -> InstallmentState:
    """An installment and its stored ledger, built as ``lock_batch`` builds them."""
    inst_id, invoice_id, customer_id = new_id(), new_id(), new_id()
    face_minor = rng.randint(5_000, 500_000)
    inst = Installment(
        id=inst_id,
        invoice_id=invoice_id,
        customer_id=customer_id,
        number=InstallmentNumber(1 + index % 3, 3),
        due_date=ISSUED + timedelta(days=30 + index % 60),
        amount=Money.from_minor(face_minor, CURRENCY),
        bank_reference=f"{index:011d}",
    )
    entries = [
        LedgerEntry(
            id=new_id(),
            installment_id=inst_id,
            kind=EntryKind.CHARGE,
            amount=Money.from_minor(face_minor, CURRENCY),
            effective_date=ISSUED,
            component=Component.PRINCIPAL,
        )
    ]
    return InstallmentState(inst, InstallmentLedger(inst_id, tuple(entries)), consumer=index % 2 == 0)


def _settlement(
    rng: random.Random, key: str, state: InstallmentState, policy: ReceivablesPolicy
) -> SettlementToApply:
    inst = state.installment
    face = inst.amount
    roll = rng.random()
    late_charges: Money | None = None
    principal = face
    if roll < 0.70:  # on time
        paid_on = inst.due_date - timedelta(days=rng.randint(0, 5))
    elif roll < 0.85:  # late, charges as our policy computes them
        paid_on = inst.due_date + timedelta(days=rng.randint(1, 40))
        late_charges = charges_as_of(inst, policy.late_charges, paid_on, consumer=state.consumer).charges
    elif roll < 0.95:  # late, the bank's charges differ from ours by a cent
        paid_on = inst.due_date + timedelta(days=rng.randint(1, 40))
        ours = charges_as_of(inst, policy.late_charges, paid_on, consumer=state.consumer).charges
        late_charges = ours + Money.from_minor(1, CURRENCY)
    else:  # partial payment of the face
        paid_on = inst.due_date
        principal = Money.from_minor(max(1, face.minor // 2), CURRENCY)
    amount = principal + late_charges if late_charges is not None else principal
    return SettlementToApply(
        external_id=key,
        source=SettlementSource.BANK_RETURN,
        reference=inst.bank_reference or "",
        amount=amount,
        value_date=paid_on,
        customer_id=inst.customer_id,
        allocations=(AllocationLine(inst.id, principal, late_charges),),
        payer_name="PAGADOR SINTETICO",
        payer_tax_id="12345678909",
    )


def _receipt(s: SettlementToApply) -> Receipt:
    # As ``apply_settlements`` builds it.
    return Receipt(
        new_payment_of(s),
        tuple(ReceiptLine(line.installment_id, tuple(allocation_attempts(line))) for line in s.allocations),
    )


def batches(payments: int, batch: int, policy: ReceivablesPolicy, seed: int = 7) -> Iterator[Batch]:
    """The return's batches, made one at a time: like the adapter, only one batch of
    states and receipts is alive at once (a whole 100k return in memory would make
    the garbage collector's full passes, and so the figures, far costlier)."""
    rng = random.Random(seed)
    for start in range(0, payments, batch):
        n = min(batch, payments - start)
        states = [_state(rng, start + i) for i in range(n)]
        settlements = [_settlement(rng, f"R{start + i:09d}", s, policy) for i, s in enumerate(states)]
        # A few records repeated within the batch (a bank resending a title): replays.
        for i in range(0, n, 50):
            settlements.append(settlements[i])
        yield Batch({s.id: s for s in states}, [_receipt(s) for s in settlements])


def run(
    payments: int, batch: int, policy: ReceivablesPolicy, collector: str = "on"
) -> tuple[float, float, int, int, int]:
    """Wall and CPU seconds spent deciding (the books only, not making the batches),
    receipts taken, entries and audit rows decided."""
    receipts = entries = audits = 0
    wall = cpu = 0.0
    gc.collect()
    if collector == "frozen":
        gc.freeze()
    for b in batches(payments, batch, policy):
        if collector == "paused":
            gc.disable()
        started, cpu_started = time.perf_counter(), time.process_time()
        book = ReceiptBook(policy, b.states, {})
        for r in b.receipts:
            book.receive(r)
        effects = book.take()
        wall += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
        gc.enable()
        receipts += len(b.receipts)
        entries += len(effects.entries)
        audits += len(effects.audits)
    return wall, cpu, receipts, entries, audits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--gc", choices=["on", "frozen", "paused"], default="on")
    args = parser.parse_args()
    policy = ReceivablesPolicy(CURRENCY)
    best: dict[str, object] | None = None
    for attempt in range(args.repeat):
        seconds, cpu, receipts, entries, audits = run(args.payments, args.batch, policy, args.gc)
        gc.unfreeze()
        line: dict[str, object] = {
            "bench": "settle_decisions",
            "run": attempt + 1,
            "gc": args.gc,
            "receipts": receipts,
            "entries": entries,
            "audits": audits,
            "seconds": round(seconds, 3),
            "payments_per_s": round(receipts / seconds),
            "us_per_payment": round(seconds / receipts * 1e6, 1),
            # CPU time of this process: steadier than wall time on a shared machine.
            "cpu_us_per_payment": round(cpu / receipts * 1e6, 1),
        }
        print(json.dumps(line), flush=True)
        if best is None or float(str(line["seconds"])) < float(str(best["seconds"])):
            best = line
    assert best is not None
    print(json.dumps({**best, "run": "best"}), flush=True)


if __name__ == "__main__":
    main()
