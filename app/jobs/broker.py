"""The Dramatiq broker for ``COBALTO_BROKER_URL`` and a health probe for it.

Empty URL: an in-process ``StubBroker`` whose worker threads live in the server.
``redis://…`` / ``rediss://…``: ``RedisBroker``; ``amqp://…`` / ``amqps://…``:
``RabbitmqBroker``. An optional ``cobalto_namespace`` query parameter (stripped before
connecting) prefixes the queue names and the Redis keys, so several installations or
test runs can share one Redis or RabbitMQ.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import dramatiq
from dramatiq.brokers.stub import StubBroker

from app.settings import Settings

DEFAULT_NAMESPACE = "cobalto"
_NAMESPACE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,40}$")
PROBE_CACHE_SECONDS = 3.0

Probe = Callable[[], dict[str, Any]]


@dataclass
class BrokerInfo:
    broker: dramatiq.Broker
    kind: str  # embedded | redis | rabbitmq
    namespace: str
    url: str = ""  # without the namespace parameter
    # Set by the runtime in embedded mode: are the in-process worker threads running?
    embedded_running: Callable[[], bool] = field(default=lambda: False)

    def queue(self, name: str) -> str:
        return f"{self.namespace}-{name}"


def split_namespace(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    namespace = DEFAULT_NAMESPACE
    kept = []
    for key, value in query:
        if key == "cobalto_namespace":
            namespace = value
        else:
            kept.append((key, value))
    if not _NAMESPACE.match(namespace):
        raise ValueError("cobalto_namespace must be letters, digits, '-' or '_' (at most 41)")
    return parts._replace(query=urlencode(kept)).geturl(), namespace


def make_broker(settings: Settings) -> BrokerInfo:
    if settings.embedded_broker:
        return BrokerInfo(StubBroker(), "embedded", DEFAULT_NAMESPACE)
    url, namespace = split_namespace(settings.broker_url)
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss"}:
        from dramatiq.brokers.redis import RedisBroker

        return BrokerInfo(
            RedisBroker(url=url, namespace=namespace),
            "redis",
            namespace,
            url,
        )
    if scheme in {"amqp", "amqps"}:
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return BrokerInfo(RabbitmqBroker(url=url), "rabbitmq", namespace, url)
    raise ValueError(f"unsupported COBALTO_BROKER_URL scheme {scheme!r} (use redis:// or amqp://)")


def _ping(info: BrokerInfo) -> None:
    if info.kind == "redis":
        import redis

        client = redis.Redis.from_url(info.url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    elif info.kind == "rabbitmq":
        import pika

        params = pika.URLParameters(info.url)
        params.socket_timeout = 1
        params.blocked_connection_timeout = 1
        params.connection_attempts = 1
        pika.BlockingConnection(params).close()


def make_probe(info: BrokerInfo) -> Probe:
    """A callable for ``GET /health``; results are cached briefly so a load balancer
    polling health cannot turn into a connection storm on the broker."""
    lock = threading.Lock()
    cache: dict[str, Any] = {"at": 0.0, "value": None}

    def probe() -> dict[str, Any]:
        if info.kind == "embedded":
            return {"status": "up" if info.embedded_running() else "down", "kind": "embedded"}
        with lock:
            if cache["value"] is not None and time.monotonic() - cache["at"] < PROBE_CACHE_SECONDS:
                return dict(cache["value"])
            try:
                _ping(info)
                value: dict[str, Any] = {"status": "up", "kind": info.kind}
            except Exception as exc:
                value = {"status": "down", "kind": info.kind, "error": type(exc).__name__}
            cache.update(at=time.monotonic(), value=value)
            return dict(value)

    return probe
