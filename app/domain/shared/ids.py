"""Record ids: time-ordered UUIDs (v7), unguessable and index friendly.

A bank return of 100k titles makes several ids a title, so an id must cost little: the
random bits come from ``os.urandom`` a block at a time (one system call for hundreds of
ids, not one each), and the ``UUID`` is built without its validating ``__init__`` (the
value is in range and has its version and variant by construction).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from itertools import islice
from uuid import UUID, SafeUUID

_MS_MASK = (1 << 48) - 1
_VERSION_AND_VARIANT = (0x7 << 76) | (0b10 << 62)
# 80 random bits fill the low 80 bits; the version (bits 76-79) and variant (62-63)
# take 6 of them, leaving the 74 random bits of RFC 9562 (rand_a and rand_b).
_RANDOM_MASK = ((1 << 80) - 1) & ~(0xF << 76) & ~(0b11 << 62)
# Ids whose random bits one ``os.urandom`` call draws (5 KB).
BLOCK = 512

# The random part of ids not handed out yet (version and variant already set). A list
# iterator hands each item out once even to racing threads: ``next`` on it runs no
# Python code, so the GIL is held throughout. ``_lock`` only serialises refills.
_pool: Iterator[int] = iter(())
_lock = threading.Lock()


def _random_parts(count: int) -> list[int]:
    """``count`` random parts from one ``os.urandom`` call: 64 bits of each from a
    word of the block's first 8 bytes × ``count``, 16 more from the rest (read as
    native-order words at C speed; the bits are random in any order)."""
    block = memoryview(os.urandom(10 * count))
    low = block[: 8 * count].cast("Q").tolist()
    high = block[8 * count :].cast("H").tolist()
    mask, fixed = _RANDOM_MASK, _VERSION_AND_VARIANT
    return [((h << 64 | lo) & mask) | fixed for h, lo in zip(high, low, strict=True)]


def _refill() -> int:
    """A random part when the pool ran dry: a new block, unless a racing thread drew
    one first."""
    global _pool
    with _lock:
        part = next(_pool, None)
        if part is None:
            _pool = iter(_random_parts(BLOCK))
            part = next(_pool)
    return part


def _forget_pool() -> None:
    """In a forked child: never hand out bits the parent holds too (both processes
    would make the same ids), and never wait on a lock a parent thread held."""
    global _pool, _lock
    _pool = iter(())
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _checked_uuid(value: int) -> UUID:
    return UUID(int=value)


def _uuid_maker() -> Callable[[int], UUID]:
    """A ``UUID`` as its ``__init__`` leaves it (``int`` and ``is_safe`` set, the weakref
    slot empty) without the argument checks, ~4× cheaper: our values are in range and
    carry their version and variant by construction. The slot setters bypass the
    class's ``__setattr__``, which refuses assignment (as ``__init__`` itself does). A
    Python whose ``UUID`` keeps other slots gets the ordinary constructor."""
    if UUID.__slots__ != ("int", "is_safe", "__weakref__"):  # pragma: no cover
        return _checked_uuid
    new = object.__new__
    set_int = UUID.__dict__["int"].__set__
    set_is_safe = UUID.__dict__["is_safe"].__set__
    unknown = SafeUUID.unknown

    def fast_uuid(value: int) -> UUID:
        u: UUID = new(UUID)
        set_int(u, value)
        set_is_safe(u, unknown)
        return u

    return fast_uuid


_uuid = _uuid_maker()


def new_id() -> UUID:
    """UUIDv7 per RFC 9562: 48-bit ms timestamp, version 7, variant 10, then 74 random
    bits from the OS CSPRNG."""
    part = next(_pool, None)
    if part is None:
        part = _refill()
    return _uuid(((time.time_ns() // 1_000_000) & _MS_MASK) << 80 | part)


def new_ids(count: int) -> list[UUID]:
    """``count`` UUIDv7s of this millisecond, for bulk writes (same layout as ``new_id``).

    Up to a block, their random parts come from the pool ``new_id`` draws from; more
    than that, from one ``os.urandom`` call of their own."""
    prefix = ((time.time_ns() // 1_000_000) & _MS_MASK) << 80
    make = _uuid
    if count > BLOCK:
        return [make(prefix | part) for part in _random_parts(count)]
    parts = list(islice(_pool, count))
    while len(parts) < count:
        parts.append(_refill())
        parts.extend(islice(_pool, count - len(parts)))
    return [make(prefix | part) for part in parts]
