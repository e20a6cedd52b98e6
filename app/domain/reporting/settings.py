"""The tenant's report settings, kept in ``tenants.settings["reports"]``.

``{"enabled": true, "send_at": {"overdue_by_rep": "07:00", "cash_receipts": "07:00"},
"finance_emails": ["fin@acme.com"], "rep_emails": {"Ana Souza": "ana@acme.com"},
"catch_up_days": 7, "off": ["cash_receipts"]}`` — every key optional. ``enabled`` is the
switch for all scheduled report e-mails, ``off`` lists the ones turned off one by one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import Any

SETTINGS_KEY = "reports"
OVERDUE_BY_REP = "overdue_by_rep"
CASH_RECEIPTS = "cash_receipts"
SCHEDULED_REPORTS = (OVERDUE_BY_REP, CASH_RECEIPTS)
DEFAULT_SEND_AT = time(7, 0)
DEFAULT_CATCH_UP_DAYS = 7
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_time(raw: object, default: time = DEFAULT_SEND_AT) -> time:
    if isinstance(raw, str) and (m := _HHMM.match(raw.strip())):
        return time(int(m.group(1)), int(m.group(2)))
    return default


@dataclass(frozen=True, slots=True)
class ReportSettings:
    enabled: bool = True
    send_at: Mapping[str, time] = field(default_factory=dict)
    finance_emails: tuple[str, ...] = ()
    rep_emails: Mapping[str, str] = field(default_factory=dict)
    catch_up_days: int = DEFAULT_CATCH_UP_DAYS
    off: frozenset[str] = frozenset()

    def time_for(self, report: str) -> time:
        return self.send_at.get(report, DEFAULT_SEND_AT)

    def is_on(self, report: str) -> bool:
        """Whether ``report`` goes out on schedule ("send now" ignores the switches)."""
        return self.enabled and report not in self.off

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> ReportSettings:
        raw = (settings or {}).get(SETTINGS_KEY) or {}
        if not isinstance(raw, Mapping):
            return cls()
        send_at_raw = raw.get("send_at") or {}
        send_at = {
            name: parse_time(send_at_raw.get(name))
            for name in SCHEDULED_REPORTS
            if isinstance(send_at_raw, Mapping)
        }
        finance = raw.get("finance_emails") or []
        reps = raw.get("rep_emails") or {}
        catch_up = raw.get("catch_up_days", DEFAULT_CATCH_UP_DAYS)
        off = raw.get("off") or []
        return cls(
            enabled=bool(raw.get("enabled", True)),
            send_at=send_at,
            finance_emails=tuple(str(a) for a in finance if isinstance(a, str)),
            rep_emails={str(k): str(v) for k, v in reps.items()} if isinstance(reps, Mapping) else {},
            catch_up_days=max(1, min(int(catch_up), 31))
            if isinstance(catch_up, int)
            else DEFAULT_CATCH_UP_DAYS,
            off=frozenset(r for r in off if r in SCHEDULED_REPORTS) if isinstance(off, list) else frozenset(),
        )

    def to_settings(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "send_at": {k: v.strftime("%H:%M") for k, v in self.send_at.items()},
            "finance_emails": list(self.finance_emails),
            "rep_emails": dict(self.rep_emails),
            "catch_up_days": self.catch_up_days,
            "off": sorted(self.off),
        }
