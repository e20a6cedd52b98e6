"""Pure rules of outbound webhooks: which events an endpoint wants, when to retry,
when to give up on an endpoint.

The retry schedule follows the Standard Webhooks recommendation (the one Svix
publishes): quick first retries for blips, then hours apart, for about three days.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from app.domain.shared.errors import FieldError, ValidationFailed

# Delay before attempt n+2 once attempt n+1 failed (index = failed attempts - 1).
# Cumulative: ~71.6 h after the first attempt the last one runs; then the delivery fails.
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# Spread retries of many deliveries that failed together (thundering herd): ±10 %.
JITTER = 0.10
# An endpoint that has failed every attempt for this long is switched off.
DISABLE_AFTER = timedelta(days=5)

ALL_EVENTS = "*"
_EVENT_TYPE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$")
MAX_EVENT_TYPES = 50


def retry_delay(failed_attempts: int, unit_random: float) -> timedelta | None:
    """How long to wait after the ``failed_attempts``-th failure; None = give up.

    ``unit_random`` is a number in [0, 1) from the caller's random source (the domain
    owns no randomness), mapped to a jitter of ±``JITTER``.
    """
    if failed_attempts < 1:
        raise ValueError("failed_attempts starts at 1")
    if failed_attempts > len(RETRY_DELAYS):
        return None
    if not 0.0 <= unit_random < 1.0:
        raise ValueError("unit_random must be in [0, 1)")
    base = RETRY_DELAYS[failed_attempts - 1]
    factor = 1.0 + JITTER * (2.0 * unit_random - 1.0)
    return timedelta(seconds=round(base.total_seconds() * factor, 3))


def should_disable(failing_since: datetime | None, now: datetime) -> bool:
    """An endpoint is disabled when it has failed without a single success for DISABLE_AFTER."""
    return failing_since is not None and now - failing_since >= DISABLE_AFTER


def disable_reason(failing_since: datetime) -> str:
    return f"disabled after failing continuously since {failing_since.isoformat(timespec='seconds')}"


def wants(event_types: Iterable[str], event_type: str) -> bool:
    """Does an endpoint subscribed to ``event_types`` receive ``event_type``?

    ``*`` matches everything; ``invoice.*`` matches ``invoice.created`` and
    ``invoice.payment.received``; anything else must match exactly.
    """
    for pattern in event_types:
        if pattern in (ALL_EVENTS, event_type):
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def clean_event_types(raw: Iterable[str], field: str = "event_types") -> list[str]:
    """Validate and normalise an endpoint's filter (sorted, unique; empty means ``*``)."""
    values = sorted({item.strip() for item in raw})
    if not values:
        return [ALL_EVENTS]
    if len(values) > MAX_EVENT_TYPES:
        raise ValidationFailed([FieldError(field, f"at most {MAX_EVENT_TYPES} event types")])
    bad = [v for v in values if v != ALL_EVENTS and not _EVENT_TYPE.match(v)]
    if bad:
        raise ValidationFailed([FieldError(field, f"invalid event type: {bad[0]!r}")])
    return [ALL_EVENTS] if ALL_EVENTS in values else values
