"""Pure webhook rules: retry schedule, disabling, event filters; signing; URL checks."""

from __future__ import annotations

import asyncio
import ipaddress
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.adapters.webhooks.secret_box import SecretBox
from app.adapters.webhooks.signing import InvalidSignature, new_secret, sign_headers, signature, verify
from app.adapters.webhooks.ssrf import UnsafeUrl, UrlPolicy, refusal, resolve
from app.domain.shared.errors import ValidationFailed
from app.domain.shared.webhooks import (
    DISABLE_AFTER,
    JITTER,
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    clean_event_types,
    retry_delay,
    should_disable,
    wants,
)

# --- retry schedule -----------------------------------------------------


@given(st.integers(1, len(RETRY_DELAYS)), st.floats(0, 1, exclude_max=True))
def test_retry_delay_stays_within_the_jitter_band(failed: int, unit: float) -> None:
    delay = retry_delay(failed, unit)
    assert delay is not None
    base = RETRY_DELAYS[failed - 1].total_seconds()
    assert base * (1 - JITTER) - 0.001 <= delay.total_seconds() <= base * (1 + JITTER) + 0.001


@given(st.integers(len(RETRY_DELAYS) + 1, 1000), st.floats(0, 1, exclude_max=True))
def test_no_retry_after_the_last_slot(failed: int, unit: float) -> None:
    assert retry_delay(failed, unit) is None


def test_schedule_spans_about_three_days() -> None:
    total = sum(RETRY_DELAYS, timedelta())
    assert timedelta(hours=70) <= total <= timedelta(hours=72)
    assert RETRY_DELAYS[0] == timedelta(seconds=5)
    assert len(RETRY_DELAYS) + 1 == MAX_ATTEMPTS
    with pytest.raises(ValueError):
        retry_delay(0, 0.5)
    with pytest.raises(ValueError):
        retry_delay(1, 1.0)


def test_disable_after_five_days_of_failure() -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    assert not should_disable(None, start)
    assert not should_disable(start, start + DISABLE_AFTER - timedelta(seconds=1))
    assert should_disable(start, start + DISABLE_AFTER)


# --- event filters --------------------------------------------------------


@pytest.mark.parametrize(
    ("patterns", "event", "expected"),
    [
        (["*"], "invoice.created", True),
        (["invoice.*"], "invoice.created", True),
        (["invoice.*"], "invoice.payment.received", True),
        (["invoice.*"], "invoices.created", False),
        (["invoice.*"], "customer.created", False),
        (["customer.created"], "customer.created", True),
        (["customer.created"], "customer.updated", False),
        ([], "customer.created", False),
    ],
)
def test_wants(patterns: list[str], event: str, expected: bool) -> None:
    assert wants(patterns, event) is expected


def test_clean_event_types() -> None:
    assert clean_event_types([]) == ["*"]
    assert clean_event_types(["invoice.*", "*"]) == ["*"]
    assert clean_event_types([" b.x", "a.y", "a.y"]) == ["a.y", "b.x"]
    for bad in (["Invoice.Created"], ["a..b"], ["*.x"], ["x" * 10 + " y"]):
        with pytest.raises(ValidationFailed):
            clean_event_types(bad)


# --- Standard Webhooks signatures -----------------------------------------


def test_signature_matches_the_specs_reference_vector() -> None:
    # The test vector published with the Standard Webhooks reference libraries.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == expected
    headers = sign_headers(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
    verify(secret, headers, body, now=1614265330 + 10)


@given(st.binary(max_size=300), st.text(min_size=1, max_size=40).filter(lambda s: " " not in s))
def test_verify_accepts_own_signatures_and_rejects_tampering(body: bytes, msg_id: str) -> None:
    secret = new_secret()
    now = 1_800_000_000
    headers = sign_headers(secret, msg_id, now, body)
    verify(secret, headers, body, now=now)
    with pytest.raises(InvalidSignature):
        verify(secret, headers, body + b"x", now=now)
    with pytest.raises(InvalidSignature):
        verify(new_secret(), headers, body, now=now)
    with pytest.raises(InvalidSignature):
        verify(secret, headers, body, now=now + 301)  # replayed too late


def test_verify_accepts_any_of_several_signatures() -> None:
    old, new = new_secret(), new_secret()
    headers = sign_headers(new, "msg_1", 100, b"{}")
    headers["webhook-signature"] = f"{signature(old, 'msg_1', 100, b'{}')} {headers['webhook-signature']}"
    verify(new, headers, b"{}", now=100)
    with pytest.raises(InvalidSignature):
        verify(new, {"webhook-id": "m", "webhook-timestamp": "x", "webhook-signature": "v1,a"}, b"", now=1)


def test_secret_box_round_trip_and_key_separation() -> None:
    box = SecretBox("app-key-1")
    sealed = box.seal("whsec_abc")
    assert "whsec_abc" not in sealed
    assert box.open(sealed) == "whsec_abc"
    with pytest.raises(ValueError):
        SecretBox("app-key-2").open(sealed)


# --- SSRF guard -------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "0.0.0.0",  # noqa: S104 (an address under test, not a bind)
        "240.0.0.1",
        "fe80::1",
        "fd00::1",
        "::ffff:10.0.0.1",
        "::",
        "127.0.0.1",
        "::1",
    ],
)
def test_private_and_special_addresses_are_refused(address: str) -> None:
    assert refusal(ipaddress.ip_address(address), UrlPolicy()) is not None


def test_policies() -> None:
    loopback = ipaddress.ip_address("127.0.0.1")
    private = ipaddress.ip_address("10.0.0.1")
    assert refusal(loopback, UrlPolicy(allow_loopback=True)) is None
    assert refusal(private, UrlPolicy(allow_loopback=True)) is not None
    assert refusal(private, UrlPolicy(allow_private=True)) is None
    assert refusal(ipaddress.ip_address("8.8.8.8"), UrlPolicy()) is None
    assert refusal(ipaddress.ip_address("2606:4700::1111"), UrlPolicy()) is None


def test_resolve_checks_every_address_of_a_name() -> None:
    # "localhost" resolves to loopback addresses only: refused unless allowed.
    with pytest.raises(UnsafeUrl, match="loopback"):
        asyncio.run(resolve("http://localhost:8080/x", UrlPolicy()))
    resolved = asyncio.run(resolve("http://localhost:8080/x", UrlPolicy(allow_loopback=True)))
    assert resolved.address.is_loopback and resolved.port == 8080
    with pytest.raises(UnsafeUrl, match="http or https"):
        asyncio.run(resolve("file:///etc/passwd", UrlPolicy(allow_private=True)))
