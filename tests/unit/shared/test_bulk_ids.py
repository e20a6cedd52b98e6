"""``new_ids``: the bulk form of ``new_id`` keeps the UUIDv7 layout."""

from __future__ import annotations

import time

from app.domain.shared.ids import new_id, new_ids


def test_bulk_ids_are_v7_unique_and_time_ordered_against_single_ids() -> None:
    before = new_id()
    ids = new_ids(2_000)
    after = new_id()
    assert len(ids) == len(set(ids)) == 2_000
    assert all(u.version == 7 and u.variant == "specified in RFC 4122" for u in ids)
    # The 48-bit millisecond prefix sits between the ids made before and after.
    stamps = {u.int >> 80 for u in ids}
    assert len(stamps) == 1
    assert before.int >> 80 <= stamps.pop() <= after.int >> 80 <= time.time_ns() // 1_000_000


def test_no_ids_asked_none_given() -> None:
    assert new_ids(0) == []
