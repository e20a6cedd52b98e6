"""Cash-application quality: the matching engine over a generated book with ground truth.

Runs ``match_line`` on every generated credit in value-date order against the in-memory
candidate provider, and keeps the book moving as it would in production: an automatic
application is booked at once (right or wrong); a line sent to review is resolved as a
careful person would (the true installments, or nothing) before the next line. Only
that simulated reviewer reads the ground truth; the engine never does.

Prints JSON lines: the overall figures, then one line per kind. Definitions:

- ``auto_rate_all``: automatic applications / all lines;
- ``auto_match_rate``: correct automatic applications / lines that truly pay something
  (the ≥ 90 % target);
- ``precision``: correct automatic applications / automatic applications (≥ 99.9 %);
  correct means exactly the true set of installments; applying a credit that pays
  nothing (duplicate, unrelated) is wrong;
- ``review_rate``: lines sent to a person / all lines;
- ``generator_dropped_undecidable``: credits the generator made and then dropped because
  nobody could tell which of two equal installments they pay (see the generator);
- ``lines_per_s``: engine throughput (match_line only), next to the floor: the same
  loop doing only the exact key lookups (nosso número, txid, document numbers).

    .venv/bin/python bench/matching_quality.py [--lines 10000] [--seed 42]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.receivables.rules.allocation import AllocationPolicy, OpenItem, plan_allocation
from app.domain.settlement.matching import match_line
from app.domain.settlement.matching_memory import InMemoryCandidateProvider
from app.domain.settlement.matching_ports import MatchSettings, PaymentLine
from app.domain.settlement.matching_scoring import AutoApply
from app.domain.settlement.matching_text import extract_references
from app.domain.shared.money import Money
from bench.gen.statements_truth import generate
from bench.gen.statements_truth_book import CURRENCY, POLICY, Book, TruthLine


def settings() -> MatchSettings:
    return MatchSettings(
        currency=CURRENCY,
        tolerance_amount=Money.of("0.10", CURRENCY),
        tolerance_percent=Decimal("0"),
        auto_apply_threshold=0.9,
        late_charges=POLICY,
    )


def provider_for(book: Book) -> InMemoryCandidateProvider:
    return InMemoryCandidateProvider(book.installments, book.customers, book.history)


def resolve_by_hand(provider: InMemoryCandidateProvider, line: PaymentLine, truth: tuple[UUID, ...]) -> None:
    """What the reviewer books: the credit on its true installments, oldest first."""
    if not truth:
        return
    items = [provider.installment(i) for i in truth]
    open_items = [
        OpenItem(c.installment_id, c.due_date, c.open_principal, c.open_late_charges) for c in items
    ]
    plan = plan_allocation(line.amount, open_items, AllocationPolicy.oldest_first())
    for pl in plan.lines:
        c = provider.installment(pl.installment_id)
        provider.settle_line(c.installment_id, pl.component, pl.amount)


def run(book: Book, show_wrong: bool = False) -> dict[str, object]:
    provider = provider_for(book)
    cfg = settings()
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    engine_s = 0.0
    for t in book.lines:
        started = time.perf_counter()
        result = match_line(t.line, provider, cfg)
        engine_s += time.perf_counter() - started
        k = per_kind[t.kind]
        k["lines"] += 1
        if t.truth:
            k["matchable"] += 1
        decision = result.decision
        if isinstance(decision, AutoApply):
            k["auto"] += 1
            if set(decision.proposal.installment_ids) == set(t.truth):
                k["auto_correct"] += 1
            else:
                k["auto_wrong"] += 1
                if show_wrong:
                    _show(t, decision, provider)
            provider.apply(decision.proposal)
        else:
            k["review"] += 1
            resolve_by_hand(provider, t.line, t.truth)
        provider.record_credit(t.line)
    return {"per_kind": per_kind, "engine_s": engine_s}


def _show(t: TruthLine, decision: AutoApply, provider: InMemoryCandidateProvider) -> None:
    def desc(ids: tuple[UUID, ...]) -> list[str]:
        return [
            f"{c.invoice_number} {c.number} due {c.due_date} face {c.face_value.amount} cust {str(c.customer_id)[:8]}"
            for c in (provider.installment(i) for i in ids)
        ]

    ln = t.line
    print(
        json.dumps(
            {
                "wrong": t.kind,
                "line": f"{ln.amount.amount} {ln.value_date} text={ln.reference_text!r} payer={ln.payer_tax_id} "
                f"nn={ln.bank_reference} txid={ln.txid}",
                "applied": desc(decision.proposal.installment_ids),
                "truth": desc(t.truth),
                "why": decision.why,
            },
            ensure_ascii=False,
        ),
        file=sys.stderr,
    )


def floor_lookups(book: Book) -> float:
    """Lines/s of the cheapest possible matcher: exact key lookups only, no scoring."""
    provider = provider_for(book)
    started = time.perf_counter()
    for t in book.lines:
        ln = t.line
        if ln.bank_reference:
            provider.installments_by_bank_reference(ln.bank_reference)
        if ln.txid:
            provider.installments_by_txid(ln.txid)
        keys = {r.key for r in extract_references(ln.reference_text)}
        if keys:
            provider.installments_by_reference(keys, 50)
    return len(book.lines) / (time.perf_counter() - started)


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 5) if b else None


def main() -> None:
    ap = argparse.ArgumentParser(description="cash-application quality over generated statements")
    ap.add_argument("--lines", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--show-wrong", action="store_true", help="print the wrong automatic applications")
    ap.add_argument(
        "--keep-undecidable",
        action="store_true",
        help="keep the credits the generator would drop as undecidable (their truth is arbitrary)",
    )
    args = ap.parse_args()

    book = generate(args.seed, args.lines, keep_undecidable=args.keep_undecidable)
    out = run(book, args.show_wrong)
    per_kind: dict[str, Counter[str]] = out["per_kind"]  # type: ignore[assignment]
    total: Counter[str] = Counter()
    for c in per_kind.values():
        total.update(c)
    engine_s = float(out["engine_s"])  # type: ignore[arg-type]
    summary = {
        "bench": "matching_quality",
        "seed": args.seed,
        "keep_undecidable": args.keep_undecidable,
        "lines": total["lines"],
        "matchable_lines": total["matchable"],
        "generator_dropped_undecidable": book.dropped_undecidable,
        "auto_applied": total["auto"],
        "auto_correct": total["auto_correct"],
        "auto_wrong": total["auto_wrong"],
        "precision": ratio(total["auto_correct"], total["auto"]),
        "auto_match_rate": ratio(total["auto_correct"], total["matchable"]),
        "auto_rate_all": ratio(total["auto"], total["lines"]),
        "review_rate": ratio(total["review"], total["lines"]),
        "lines_per_s": round(total["lines"] / engine_s, 1),
        "floor_lines_per_s": round(floor_lookups(book), 1),
        "targets": {"precision": 0.999, "auto_match_rate": 0.90},
    }
    summary["meets_targets"] = bool(
        (summary["precision"] or 0) >= 0.999 and (summary["auto_match_rate"] or 0) >= 0.90
    )
    print(json.dumps(summary))
    for kind in sorted(per_kind):
        c = per_kind[kind]
        print(
            json.dumps(
                {
                    "kind": kind,
                    "lines": c["lines"],
                    "auto": c["auto"],
                    "auto_correct": c["auto_correct"],
                    "auto_wrong": c["auto_wrong"],
                    "review": c["review"],
                    "auto_match_rate": ratio(c["auto_correct"], c["matchable"]),
                    "precision": ratio(c["auto_correct"], c["auto"]),
                }
            )
        )


if __name__ == "__main__":
    main()
