"""Bounded subset-sum: which few open installments add up to a payment.

A customer who pays several installments with one transfer rarely says which. The
search is exponential in principle, so it is bounded three ways: at most
``max_items`` installments per combination, the caller's cap on candidates (25 by
default), and a step budget; it also stops early once it has found enough solutions
to know the answer is ambiguous.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SubsetSearch:
    solutions: tuple[tuple[int, ...], ...]  # indices into the amounts, ascending
    complete: bool  # False when the budget ran out or the solution cap was hit


def subsets_summing_to(
    target: int,
    amounts: Sequence[int],
    *,
    tolerance: int = 0,
    min_items: int = 2,
    max_items: int = 4,
    max_solutions: int = 8,
    budget: int = 50_000,
) -> SubsetSearch:
    """Index combinations of ``min_items..max_items`` positive ``amounts`` (minor units)
    whose sum is within ``tolerance`` of ``target``."""
    order = sorted(
        (i for i, a in enumerate(amounts) if 0 < a <= target + tolerance), key=lambda i: -amounts[i]
    )
    values = [amounts[i] for i in order]
    n = len(values)
    found: list[tuple[int, ...]] = []
    steps = 0
    complete = True
    low, high = target - tolerance, target + tolerance

    def walk(start: int, picked: list[int], total: int) -> bool:
        nonlocal steps, complete
        depth = len(picked)
        if depth >= min_items and low <= total <= high:
            found.append(tuple(sorted(order[p] for p in picked)))
            if len(found) >= max_solutions:
                complete = False
                return False
        if depth == max_items:
            return True
        room = max_items - depth
        for k in range(start, n):
            steps += 1
            if steps > budget:
                complete = False
                return False
            v = values[k]
            if total + v > high:
                continue  # too big; smaller values follow
            if total + sum(values[k : k + room]) < low:
                # Values are descending: the next ``room`` items are the largest still
                # available, so if even they fall short, every later branch does too.
                break
            picked.append(k)
            keep_going = walk(k + 1, picked, total + v)
            picked.pop()
            if not keep_going:
                return False
        return True

    walk(0, [], 0)
    return SubsetSearch(tuple(found), complete)
