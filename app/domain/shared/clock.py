"""The Clock port: "today" always comes from here, in the tenant's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self, tz: str) -> date: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self, tz: str) -> date:
        return datetime.now(ZoneInfo(tz)).date()


class FixedClock:
    """A clock frozen at one instant, for tests and replays of a batch ``as_of`` a date."""

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at

    def today(self, tz: str) -> date:
        return self._at.astimezone(ZoneInfo(tz)).date()
