"""Pure reporting rules: the schedule's due days, rep recipients, totals, e-mail text."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain.reporting.mail import overdue_message
from app.domain.reporting.model import CustomerBlock, InstallmentLine, RepBlock, Totals
from app.domain.reporting.rules import Person, Window, finance_recipients, rep_recipients
from app.domain.reporting.schedule import due_dates
from app.domain.reporting.service import dedupe_key
from app.domain.reporting.settings import ReportSettings
from app.domain.shared.money import Money
from app.domain.shared.notify import Attachment

SEVEN = time(7, 0)


def test_first_run_is_today_only_after_the_send_time() -> None:
    assert due_dates(datetime(2026, 11, 23, 6, 59), SEVEN, done=set(), first_run=None, catch_up_days=7) == []
    assert due_dates(datetime(2026, 11, 23, 7, 0), SEVEN, done=set(), first_run=None, catch_up_days=7) == [
        date(2026, 11, 23)
    ]


def test_missed_days_are_caught_up_within_the_limit() -> None:
    now = datetime(2026, 11, 30, 8, 0)
    first = date(2026, 11, 1)
    done = {date(2026, 11, 25)}
    assert due_dates(now, SEVEN, done=done, first_run=first, catch_up_days=3) == [
        date(2026, 11, 28),
        date(2026, 11, 29),
        date(2026, 11, 30),
    ]
    assert due_dates(now, SEVEN, done=done, first_run=first, catch_up_days=3, latest_only=True) == [
        date(2026, 11, 30)
    ]
    assert (
        due_dates(now, SEVEN, done={date(2026, 11, 30)}, first_run=first, catch_up_days=3, latest_only=True)
        == []
    )


@given(
    start=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 1, 1)),
    ticks=st.lists(st.integers(min_value=0, max_value=60 * 24 * 5), min_size=1, max_size=30),
    catch_up=st.integers(min_value=1, max_value=10),
)
def test_repeated_ticks_run_each_day_once_and_never_before_the_first(
    start: date, ticks: list[int], catch_up: int
) -> None:
    """Ticks at any moments (sorted, as a clock moves): every day is run at most once,
    none precedes the first run, none is in the future."""
    done: set[date] = set()
    first: date | None = None
    moments = sorted(datetime.combine(start, time(0)) + timedelta(minutes=m) for m in ticks)
    for now in moments:
        for d in due_dates(now, SEVEN, done=done, first_run=first, catch_up_days=catch_up):
            assert d not in done and d <= now.date()
            assert first is None or d >= first
            done.add(d)
            first = min(first, d) if first else d


def test_rep_recipients_precedence_and_ambiguity() -> None:
    people = [
        Person("ana@x.com", "Ana Souza", frozenset({"sales"})),
        Person("jose1@x.com", "José", frozenset({"sales"})),
        Person("jose2@x.com", "Jose", frozenset({"sales"})),
        Person("fin@x.com", "Fin", frozenset({"finance"})),
    ]
    got = rep_recipients(
        ["ANA SOUZA", "ana@x.com", "José", "Bruno", "Carla", " "], {"bruno": "bruno@x.com"}, people
    )
    assert got == {
        "ANA SOUZA": "ana@x.com",
        "ana@x.com": "ana@x.com",
        "José": None,  # two users fold to the same name: nobody rather than the wrong one
        "Bruno": "bruno@x.com",
        "Carla": None,
    }
    assert finance_recipients([], people) == ["fin@x.com"]
    assert finance_recipients(["B@x.com", "b@x.com", "a@x.com"], people) == ["a@x.com", "B@x.com"]


def test_totals_per_currency_and_window() -> None:
    t = Totals.of([Money.of("1.10", "BRL"), Money.of("2", "USD"), Money.of("0.90", "BRL")])
    assert t.to_json() == [{"currency": "BRL", "amount": "2.00"}, {"currency": "USD", "amount": "2.00"}]
    w = Window(date(2026, 11, 23), 30)
    assert w.upcoming_until == date(2026, 12, 23) and w.includes(date(2026, 12, 23))
    assert not w.includes(date(2026, 12, 24))


def test_settings_defaults_and_bad_values() -> None:
    s = ReportSettings.from_settings(
        {"reports": {"send_at": {"cash_receipts": "25:00"}, "catch_up_days": 99}}
    )
    assert s.time_for("cash_receipts") == SEVEN and s.catch_up_days == 31 and s.enabled
    assert ReportSettings.from_settings({"reports": {"send_at": {"overdue_by_rep": "06:30"}}}).time_for(
        "overdue_by_rep"
    ) == time(6, 30)


class _Fmt:
    def money(self, amount: Money) -> str:
        return f"{amount.currency} {amount.amount}"

    def day(self, value: date) -> str:
        return value.isoformat()


def test_overdue_message_escapes_and_caps_the_body() -> None:
    lines = tuple(
        InstallmentLine(
            uuid.uuid4(), uuid.uuid4(), f"N-{i}", 1, 1, date(2026, 11, 1), Money.of("1", "BRL"), 22
        )
        for i in range(250)
    )
    block = CustomerBlock(uuid.uuid4(), "<i>Evil</i>", "active", "Ana", lines)
    msg = overdue_message(
        "ana@x.com",
        ["Ana"],
        [RepBlock("Ana", (block,))],
        date(2026, 11, 23),
        _Fmt(),
        "pt-BR",
        Attachment("a.csv", "text/csv", b""),
    )
    assert "&lt;i&gt;Evil&lt;/i&gt;" in (msg.html or "") and "<i>Evil" not in (msg.html or "")
    assert msg.subject.startswith("Títulos vencidos") and "50 linhas a mais no anexo" in msg.text
    assert "BRL 250" in msg.text
    assert (
        dedupe_key("overdue_by_rep", date(2026, 11, 23), "Ana@X.com") == "overdue_by_rep:2026-11-23:ana@x.com"
    )
    assert len(dedupe_key("x", date(2026, 1, 1), "a" * 300 + "@x.com")) < 100
