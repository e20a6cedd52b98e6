"""Send one signed webhook over HTTP: pinned address, short timeout, no redirects."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from app.adapters.webhooks.signing import sign_headers
from app.adapters.webhooks.ssrf import UnsafeUrl, UrlPolicy, resolve

TIMEOUT_SECONDS = 10.0
# The delivery log keeps only the start of what the receiver answered.
MAX_LOGGED_BODY = 2048
USER_AGENT = "Cobalto-Webhooks/1"


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    response_excerpt: str | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class WebhookSender:
    def __init__(
        self,
        policy: UrlPolicy,
        *,
        timeout: float = TIMEOUT_SECONDS,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.policy = policy
        # The signed timestamp is checked against the receiver's real clock, so it is
        # always wall time, even when the scheduling clock is a test's.
        self._wall_clock = wall_clock
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(self, url: str, secret: str, msg_id: str, body: bytes) -> SendResult:
        timestamp = int(self._wall_clock())
        started = time.perf_counter()

        def elapsed() -> int:
            return int((time.perf_counter() - started) * 1000)

        try:
            target = await resolve(url, self.policy)
        except UnsafeUrl as exc:
            return SendResult(None, None, f"refused: {exc}", elapsed())
        address = target.address
        host_for_url = f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else str(address)
        netloc = f"{host_for_url}:{target.port}"
        pinned = target.parts._replace(netloc=netloc).geturl()
        default_port = 443 if target.parts.scheme == "https" else 80
        host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
        headers = {
            **sign_headers(secret, msg_id, timestamp, body),
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "host": host_header,
        }
        try:
            # The connection goes to the checked address; TLS still verifies the real name.
            request = self._client.build_request(
                "POST", pinned, content=body, headers=headers, extensions={"sni_hostname": target.host}
            )
            response = await self._client.send(request, stream=True)
            try:
                excerpt = await _read_excerpt(response)
            finally:
                await response.aclose()
        except httpx.TimeoutException:
            return SendResult(None, None, "timeout", elapsed())
        except httpx.HTTPError as exc:
            return SendResult(None, None, f"{type(exc).__name__}: {exc}"[:500], elapsed())
        return SendResult(response.status_code, excerpt, None, elapsed())


async def _read_excerpt(response: httpx.Response) -> str:
    """Read at most MAX_LOGGED_BODY bytes: a receiver cannot make us buffer a huge answer."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= MAX_LOGGED_BODY:
            break
    return b"".join(chunks)[:MAX_LOGGED_BODY].decode("utf-8", errors="replace")
