from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.settlement.matching_subset import subsets_summing_to


def test_finds_all_exact_combinations() -> None:
    search = subsets_summing_to(100, [10, 90, 50, 40, 60, 7])
    # 10+90, 40+60, 10+50+40
    assert set(search.solutions) == {(0, 1), (3, 4), (0, 2, 3)}
    assert search.complete


def test_respects_item_bounds_and_tolerance() -> None:
    assert subsets_summing_to(10, [10]).solutions == ()  # a single item is not a combination
    assert subsets_summing_to(15, [5, 5, 5, 5, 5], max_items=2).solutions == ()
    assert subsets_summing_to(101, [50, 50], tolerance=1).solutions == ((0, 1),)


def test_stops_early_when_ambiguous() -> None:
    search = subsets_summing_to(20, [10] * 12, max_solutions=5)
    assert len(search.solutions) == 5
    assert not search.complete


def test_budget_bounds_the_work() -> None:
    search = subsets_summing_to(50, list(range(1, 26)), budget=100, max_solutions=10**6)
    assert not search.complete


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 500), min_size=0, max_size=12), st.integers(1, 1500))
def test_every_solution_adds_up_and_none_is_missed(amounts: list[int], target: int) -> None:
    search = subsets_summing_to(target, amounts, max_solutions=10_000, budget=10**7)
    for sol in search.solutions:
        assert 2 <= len(sol) <= 4 and sum(amounts[i] for i in sol) == target
    from itertools import combinations

    brute = {
        c
        for k in range(2, 5)
        for c in combinations(range(len(amounts)), k)
        if sum(amounts[i] for i in c) == target
    }
    assert set(search.solutions) == brute
