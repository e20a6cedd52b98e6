"""The cyclic collector is paused while a bank-file batch is decided, and put back as
it was: on after the last of overlapping holds ends, left off if it was off."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from app.adapters.db.repositories.settlement_batches import collector_paused as _collector_paused


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_holds_overlap_and_the_last_one_turns_it_back_on(collector_on: None) -> None:
    first, second = _collector_paused(), _collector_paused()
    first.__enter__()
    assert not gc.isenabled()
    second.__enter__()
    first.__exit__(None, None, None)  # two files: the first finishes first
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_an_error_in_the_batch_still_turns_it_back_on(collector_on: None) -> None:
    with pytest.raises(ZeroDivisionError), _collector_paused():
        raise ZeroDivisionError
    assert gc.isenabled()


def test_a_collector_someone_else_turned_off_stays_off(collector_on: None) -> None:
    gc.disable()
    with _collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
    gc.enable()
