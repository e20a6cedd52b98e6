"""Real ``cobalto worker`` processes on Redis (and a RabbitMQ smoke test), on the
PostgreSQL test database: a worker killed between the commit and the delivery, plus a
relay that died after publishing but before marking, still give one delivery."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import func, select

from app.adapters.db.models import OutboxRow, ProcessedEventRow, WebhookDeliveryRow
from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.jobs.actors import DramatiqPublisher, declare_actors
from app.jobs.broker import make_broker, make_probe
from app.jobs.context import EventEnvelope
from app.jobs.relay import relay_tenant
from app.jobs.runtime import JobsRuntime, attach_jobs
from app.main import build_app
from app.server.auth import system_principal
from app.server.services import Services
from tests.api.test_bank_files_helpers import RETURNS, headers, upload
from tests.support.databases import DatabaseUnderTest, postgres_only, service_missing
from tests.support.factories import TenantInfo, add_customer, new_tenant
from tests.support.jobs import drain_backlog, register_endpoint
from tests.support.webhook_receiver import Receiver, webhook_receiver

pytestmark = [pytest.mark.asyncio(loop_scope="session"), postgres_only]
REDIS_URL = "redis://127.0.0.1:6379/0"
AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
COBALTO = Path(sys.executable).with_name("cobalto")
RETURN = (RETURNS / "CNAB400ITAU.RET").read_bytes()


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def namespace() -> Iterator[str]:
    """Unique to this test run, so parallel runs sharing one Redis never collide."""
    ns = f"cobalto-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    yield ns
    if _port_open(6379):
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{ns}:*"))
        if keys:
            client.delete(*keys)
        client.close()


class Worker:
    def __init__(self, services: Services, db: DatabaseUnderTest, broker_url: str, log: Path) -> None:
        env = {
            **os.environ,
            "COBALTO_DATABASE_URL": db.app_url,
            "COBALTO_MIGRATION_DATABASE_URL": db.owner_url,
            "COBALTO_BROKER_URL": broker_url,
            # Same key as the test's services: the worker must decrypt the signing secrets.
            "COBALTO_SECRET_KEY": services.settings.secret_key,
            "COBALTO_VAR_DIR": str(services.settings.var_dir),
            "COBALTO_WEBHOOK_ALLOW_LOOPBACK": "1",
            "COBALTO_WORKER_THREADS": "2",
        }
        self.log = log
        self._out = log.open("wb")
        self.proc = subprocess.Popen(
            [str(COBALTO), "worker"], env=env, stdout=self._out, stderr=subprocess.STDOUT
        )

    async def ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while b"cobalto worker ready" not in self.log.read_bytes():
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, self.log.read_text()
            await asyncio.sleep(0.05)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self._out.close()

    def terminate(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(60)
        self._out.close()
        return code


async def _count(services: Services, tenant: TenantInfo, model: type, *where: object) -> int:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        stmt = select(func.count()).select_from(model).where(model.tenant_id == tenant.id, *where)
        return int((await uow.session.execute(stmt)).scalar_one())


async def _until(check: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not await check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def _wait_verified(receiver: Receiver, count: int, timeout: float = 20.0) -> None:
    async def done() -> bool:
        return len(receiver.verified_ids) >= count

    await _until(done, timeout)


async def test_killed_worker_and_crashed_relay_still_deliver_once(
    services: Services, database: DatabaseUnderTest, namespace: str, tmp_path: Path
) -> None:
    if not _port_open(6379):
        service_missing("no Redis on 127.0.0.1:6379")
    broker_url = f"{REDIS_URL}?cobalto_namespace={namespace}"
    tenant = await new_tenant(services)
    with webhook_receiver() as receiver:
        _id, receiver.secret = await register_endpoint(services, tenant, receiver.url)

        await drain_backlog(services)
        # 1. A worker is up; it is frozen, the change commits, then it is SIGKILLed:
        #    the event is committed but was neither relayed nor handled.
        first = Worker(services, database, broker_url, tmp_path / "w1.log")
        try:
            await first.ready()
            first.proc.send_signal(signal.SIGSTOP)
            customer = await add_customer(services, tenant, name="Kill Test")
        finally:
            first.kill()
        assert await _count(services, tenant, OutboxRow, OutboxRow.relayed_at.is_(None)) == 1

        # 2. A relay publishes the event to Redis and dies before marking it relayed.
        settings = dataclasses.replace(services.settings, broker_url=broker_url)
        info = make_broker(settings)
        publisher = DramatiqPublisher(info, declare_actors(info, run=lambda call: None))

        async def publish_then_die(envelopes: list[EventEnvelope]) -> None:
            await publisher.events(envelopes)
            raise ConnectionError("relay died after publishing")

        with pytest.raises(ConnectionError):
            await relay_tenant(services, tenant.id, publish_then_die)
        info.broker.close()
        events_queue = f"{namespace}:{info.queue('events')}.msgs"
        client = redis.Redis.from_url(REDIS_URL)
        assert client.hlen(events_queue) == 1

        # 3. A fresh worker relays the leftover (a second message for the same event)
        #    and consumes both messages: one delivery, one request.
        second = Worker(services, database, broker_url, tmp_path / "w2.log")
        try:
            await second.ready()
            await _wait_verified(receiver, 1)

            async def settled() -> bool:
                relayed = await _count(services, tenant, OutboxRow, OutboxRow.relayed_at.is_(None)) == 0
                return relayed and client.hlen(events_queue) == 0

            await _until(settled)
            await asyncio.sleep(0.5)  # room for a wrong second delivery to show up
            assert second.terminate() == 0  # SIGTERM: a clean stop
        finally:
            second.kill()
            client.close()

        assert receiver.verified_ids == [receiver.verified_ids[0]]
        assert receiver.received[0].json["data"]["id"] == str(customer.id)
    assert await _count(services, tenant, WebhookDeliveryRow) == 1
    assert await _count(services, tenant, ProcessedEventRow) == 1
    log = (tmp_path / "w2.log").read_text()
    assert "Traceback" not in log, log


async def test_broker_probe_reports_redis_up_and_down(services: Services, namespace: str) -> None:
    if not _port_open(6379):
        service_missing("no Redis on 127.0.0.1:6379")
    up = make_broker(
        dataclasses.replace(services.settings, broker_url=f"{REDIS_URL}?cobalto_namespace={namespace}")
    )
    assert make_probe(up)() == {"status": "up", "kind": "redis"}
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    down = make_broker(dataclasses.replace(services.settings, broker_url=f"redis://127.0.0.1:{free}/0"))
    assert make_probe(down)() == {"status": "down", "kind": "redis", "error": "ConnectionError"}
    up.broker.close()
    down.broker.close()


async def test_rabbitmq_worker_smoke(
    services: Services, database: DatabaseUnderTest, namespace: str, tmp_path: Path
) -> None:
    if not _port_open(5672):
        service_missing("no RabbitMQ on 127.0.0.1:5672")
    broker_url = f"{AMQP_URL}?cobalto_namespace={namespace}"
    info = make_broker(dataclasses.replace(services.settings, broker_url=broker_url))
    assert make_probe(info)() == {"status": "up", "kind": "rabbitmq"}
    tenant = await new_tenant(services)
    with webhook_receiver() as receiver:
        _id, receiver.secret = await register_endpoint(services, tenant, receiver.url)
        await drain_backlog(services)
        worker = Worker(services, database, broker_url, tmp_path / "rabbit.log")
        try:
            await worker.ready()
            customer = await add_customer(services, tenant)
            await _wait_verified(receiver, 1)
            assert worker.terminate() == 0
        finally:
            worker.kill()
            _delete_rabbit_queues(info.queue("events"), info.queue("webhooks"))
        assert receiver.received[0].json["data"]["id"] == str(customer.id)


async def test_a_large_upload_is_processed_by_a_worker_not_by_the_api(
    services: Services, database: DatabaseUnderTest, namespace: str, tmp_path: Path
) -> None:
    """With a broker the API only publishes: a file above the inline limit is enqueued
    for the workers (the API leaves it ``received``), and a ``cobalto worker`` takes it
    to ``processed``."""
    if not _port_open(6379):
        service_missing("no Redis on 127.0.0.1:6379")
    broker_url = f"{REDIS_URL}?cobalto_namespace={namespace}"
    tenant = await new_tenant(services)
    await drain_backlog(services)
    api = Services(
        settings=dataclasses.replace(services.settings, broker_url=broker_url),
        engine=services.engine,
        sessions=services.sessions,
    )
    api.extras["bank_file_inline_bytes"] = 1024
    startup: list[Callable[[], Awaitable[None] | None]] = []
    shutdown: list[Callable[[], Awaitable[None] | None]] = []
    attach_jobs(api, startup, shutdown)
    for hook in startup:
        await hook()  # type: ignore[misc]
    try:
        transport = httpx.ASGITransport(
            app=build_app(services=api, start_jobs=False), client=("127.0.0.1", 50001)
        )
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as http:
            response = await upload(http, await headers(http, api, tenant), RETURN, "large.ret")
        assert response.status_code == 201, response.text
        assert response.json()["status"] == "received"
        file_id = uuid.UUID(response.json()["id"])
        client = redis.Redis.from_url(REDIS_URL)
        runtime = api.extras["jobs"]
        assert isinstance(runtime, JobsRuntime)
        queue = f"{namespace}:{runtime.info.queue('bank-files')}.msgs"
        assert client.hlen(queue) == 1
        await asyncio.sleep(0.5)  # room for a wrong processing by the API to show up
        assert await _file_status(services, tenant, file_id) == "received"
        assert not api.extras.get("bank_file_tasks")
    finally:
        for hook in shutdown:
            await hook()  # type: ignore[misc]
    worker = Worker(services, database, broker_url, tmp_path / "files.log")
    try:
        await worker.ready()

        async def processed() -> bool:
            return await _file_status(services, tenant, file_id) == "processed"

        await _until(processed, timeout=60)
        assert client.hlen(queue) == 0
        assert worker.terminate() == 0
    finally:
        worker.kill()
        client.close()
    log = (tmp_path / "files.log").read_text()
    assert "Traceback" not in log, log


async def _file_status(services: Services, tenant: TenantInfo, file_id: uuid.UUID) -> str:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        row = await SqlBankFileRepository(uow.session, uow.tenant).get(file_id)
    assert row is not None
    return row.status


def _delete_rabbit_queues(*names: str) -> None:
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    channel = connection.channel()
    for name in names:
        for suffix in ("", ".DQ", ".XQ"):
            channel.queue_delete(name + suffix)
    connection.close()
