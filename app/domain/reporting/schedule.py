"""When a daily report is due: per tenant, at a local time, catching up missed days.

A run is identified by ``(tenant, report, as_of)``; ``as_of`` is the tenant-local date
the run is for. The scheduler records each run, so after downtime it knows which days
were missed and runs each of them once.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta


def latest_due(now_local: datetime, at: time) -> date:
    """The most recent date whose send time has passed."""
    today = now_local.date()
    return today if now_local.time().replace(tzinfo=None) >= at else today - timedelta(days=1)


def due_dates(
    now_local: datetime,
    at: time,
    *,
    done: Collection[date],
    first_run: date | None,
    catch_up_days: int,
    latest_only: bool = False,
) -> list[date]:
    """The ``as_of`` dates to run now, oldest first.

    - Never before the tenant's first recorded run (``first_run``): a new tenant, or a
      report newly enabled, starts today instead of back-filling history.
    - At most ``catch_up_days`` back: a server down for a month does not flood inboxes.
    - ``latest_only``: for reports whose newest edition supersedes older ones (an
      overdue list), only the most recent missed day is sent.
    """
    latest = latest_due(now_local, at)
    if first_run is None:
        return [latest] if latest == now_local.date() else []
    start = max(first_run, latest - timedelta(days=max(catch_up_days, 1) - 1))
    wanted = [start + timedelta(days=i) for i in range((latest - start).days + 1)]
    if latest_only:
        # Older missed editions are superseded by the newest, sent or not.
        return [] if latest in done or latest < start else [latest]
    return [d for d in wanted if d not in done]
