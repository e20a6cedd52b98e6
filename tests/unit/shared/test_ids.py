"""``new_id`` / ``new_ids``: UUIDv7 per RFC 9562, random bits drawn from the OS in
blocks, ``UUID`` objects built without ``__init__`` yet equal in every way to ones
built by it, unique across threads and never shared with a forked child."""

from __future__ import annotations

import copy
import os
import pickle
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.shared import ids
from app.domain.shared.ids import BLOCK, new_id, new_ids

RANDOM_BITS = [*range(0, 62), *range(64, 76)]  # rand_b (62 bits), rand_a (12 bits)


def _ms(u: uuid.UUID) -> int:
    return u.int >> 80


def _random_part(u: uuid.UUID) -> int:
    return u.int & ((1 << 80) - 1)


def _check_layout(u: uuid.UUID) -> None:
    assert u.version == 7
    assert u.variant == uuid.RFC_4122
    assert (u.int >> 76) & 0xF == 0x7
    assert (u.int >> 62) & 0b11 == 0b10


def _same_as_constructed(u: uuid.UUID) -> None:
    """Everything observable about ``u`` is what ``UUID(int=u.int)`` gives."""
    ref = uuid.UUID(int=u.int)
    assert type(u) is uuid.UUID
    assert u == ref and (u != ref) is False and hash(u) == hash(ref)
    assert str(u) == str(ref) and repr(u) == repr(ref) and u.hex == ref.hex
    assert u.bytes == ref.bytes and u.fields == ref.fields and u.urn == ref.urn
    assert (u.version, u.variant, u.is_safe) == (ref.version, ref.variant, ref.is_safe)
    assert uuid.UUID(str(u)) == u and {u: 1}[ref] == 1
    assert pickle.loads(pickle.dumps(u)) == u  # noqa: S301  (a round trip of our own value)
    assert copy.deepcopy(u) == u
    with pytest.raises(TypeError):
        u.int = 0  # type: ignore[misc]  # immutable like any UUID


def test_a_single_id_has_the_v7_layout_and_the_current_millisecond() -> None:
    before = time.time_ns() // 1_000_000
    u = new_id()
    after = time.time_ns() // 1_000_000
    _check_layout(u)
    assert before <= _ms(u) <= after
    _same_as_constructed(u)


uuid_ints = st.integers(min_value=0, max_value=(1 << 128) - 1)


@given(uuid_ints, uuid_ints)
def test_the_fast_constructor_makes_what_the_validating_one_makes(a: int, b: int) -> None:
    _same_as_constructed(ids._uuid(a))
    assert (ids._uuid(a) < ids._uuid(b)) == (uuid.UUID(int=a) < uuid.UUID(int=b)) == (a < b)
    assert (ids._uuid(a) == uuid.UUID(int=b)) == (a == b)


@pytest.mark.parametrize("count", [0, 1, 7, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK])
def test_bulk_ids_of_any_size_share_one_millisecond_and_the_layout(count: int) -> None:
    new_id()  # part of the pool used: the batch straddles a refill
    before = time.time_ns() // 1_000_000
    batch = new_ids(count)
    after = time.time_ns() // 1_000_000
    assert len(batch) == len(set(batch)) == count
    assert len({_ms(u) for u in batch}) <= 1
    for u in batch:
        _check_layout(u)
        assert before <= _ms(u) <= after
    if batch:
        _same_as_constructed(batch[0])


def test_ids_stay_in_millisecond_order_and_never_repeat_over_many_blocks() -> None:
    made = [new_id() for _ in range(20 * BLOCK)] + new_ids(5 * BLOCK) + [new_id()]
    assert len(set(made)) == len(made)
    assert len({_random_part(u) for u in made}) == len(made)
    stamps = [_ms(u) for u in made]
    assert stamps == sorted(stamps)


def test_every_random_bit_varies_and_none_leaks_into_version_or_variant() -> None:
    # A bit stuck at 0 or 1 over 4,096 ids would be a masking mistake (chance 2**-4095).
    made = [new_id() for _ in range(4096)] + new_ids(2 * BLOCK)
    ones = [sum((u.int >> bit) & 1 for u in made) for bit in range(80)]
    for bit in RANDOM_BITS:
        assert 0.4 * len(made) < ones[bit] < 0.6 * len(made), bit
    # Variant 0b10 in bits 63-62, version 0b0111 in bits 79-76, in every id.
    fixed = {62: 0, 63: 1, 76: 1, 77: 1, 78: 1, 79: 0}
    assert {bit: ones[bit] // len(made) for bit in fixed} == fixed
    assert all(ones[bit] in (0, len(made)) for bit in fixed)


@contextmanager
def _switching_often() -> Iterator[None]:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # make racing threads interleave inside new_id
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def test_threads_racing_for_the_pool_never_get_the_same_bits() -> None:
    per_thread = 6 * BLOCK
    results: list[list[uuid.UUID]] = []
    start = threading.Barrier(8)

    def work(bulk: bool) -> None:
        start.wait()
        mine: list[uuid.UUID] = []
        while len(mine) < per_thread:
            mine.extend(new_ids(3) if bulk else [new_id()])
        results.append(mine)

    with _switching_often():
        threads = [threading.Thread(target=work, args=(i % 2 == 0,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    made = [u for mine in results for u in mine]
    assert len(results) == 8
    assert len({_random_part(u) for u in made}) == len(made)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_never_hands_out_the_parents_buffered_bits() -> None:
    new_id()  # the pool now holds the rest of a block, in both processes after the fork
    count = 2 * BLOCK
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            parts = [_random_part(new_id()) for _ in range(count)]
            os.write(write, b"".join(p.to_bytes(10, "big") for p in parts))
        finally:
            os._exit(0)
    os.close(write)
    data = b""
    with os.fdopen(read, "rb") as pipe:
        while chunk := pipe.read():
            data += chunk
    os.waitpid(pid, 0)
    child = {int.from_bytes(data[k : k + 10], "big") for k in range(0, len(data), 10)}
    parent = {_random_part(new_id()) for _ in range(count)}
    assert len(child) == count
    assert not child & parent


def test_the_childs_pool_is_dropped_and_its_lock_new() -> None:
    new_id()
    lock = ids._lock
    ids._forget_pool()  # what the child runs after fork
    assert ids._lock is not lock
    assert next(ids._pool, None) is None
    _check_layout(new_id())
