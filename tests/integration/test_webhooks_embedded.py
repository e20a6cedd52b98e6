"""The embedded runtime end to end: a commit wakes the relay, the in-process Dramatiq
broker and worker threads fan out and deliver to a real receiver."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import pytest_asyncio

from app.jobs.runtime import JobsRuntime, attach_jobs
from app.server.services import Services
from tests.support.factories import add_customer, new_tenant
from tests.support.jobs import drain_backlog, register_endpoint
from tests.support.webhook_receiver import Receiver, webhook_receiver

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(loop_scope="session")
async def embedded(services: Services) -> AsyncIterator[Services]:
    # Its own Services (same pool): on_events and extras are per app.
    await drain_backlog(services)
    own = Services(settings=services.settings, engine=services.engine, sessions=services.sessions)
    startup: list[Callable[[], Awaitable[None] | None]] = []
    shutdown: list[Callable[[], Awaitable[None] | None]] = []
    attach_jobs(own, startup, shutdown)
    for hook in startup:
        await hook()  # type: ignore[misc]
    yield own
    for hook in shutdown:
        await hook()  # type: ignore[misc]


async def _wait(receiver: Receiver, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while len(receiver.verified_ids) < count:
        assert time.monotonic() < deadline, f"got {receiver.received!r}"
        await asyncio.sleep(0.02)


async def test_commit_is_delivered_by_the_embedded_workers(embedded: Services) -> None:
    probe = embedded.extras["broker_probe"]
    assert callable(probe) and probe() == {"status": "up", "kind": "embedded"}
    runtime = embedded.extras["jobs"]
    assert isinstance(runtime, JobsRuntime) and runtime.pump is not None
    runtime.pump.poll_seconds = 300.0  # so only the commit hook can explain a quick delivery

    tenant = await new_tenant(embedded)
    with webhook_receiver() as receiver:
        _id, receiver.secret = await register_endpoint(embedded, tenant, receiver.url)
        await asyncio.sleep(0.1)  # let the pump settle into its (now long) wait
        started = time.monotonic()
        customers = [await add_customer(embedded, tenant) for _ in range(3)]
        await _wait(receiver, 3)
        # Well under the 300 s poll: only the commit hook can have woken the relay.
        assert time.monotonic() - started < 60
        ids = {r.json["data"]["id"] for r in receiver.received}
        assert ids == {str(c.id) for c in customers}
        assert len(receiver.verified_ids) == len(set(receiver.verified_ids)) == 3


async def test_leftovers_from_a_crash_are_relayed_at_start(services: Services) -> None:
    tenant = await new_tenant(services)
    with webhook_receiver() as receiver:
        _id, receiver.secret = await register_endpoint(services, tenant, receiver.url)
        # Committed while no jobs run (as if the process had died right after the commit).
        await drain_backlog(services)
        customer = await add_customer(services, tenant)
        own = Services(
            settings=dataclasses.replace(services.settings, worker_threads=2),
            engine=services.engine,
            sessions=services.sessions,
        )
        startup: list[Callable[[], Awaitable[None] | None]] = []
        shutdown: list[Callable[[], Awaitable[None] | None]] = []
        attach_jobs(own, startup, shutdown)
        for hook in startup:
            await hook()  # type: ignore[misc]
        try:
            await _wait(receiver, 1)
        finally:
            for hook in shutdown:
                await hook()  # type: ignore[misc]
        assert [r.json["data"]["id"] for r in receiver.received] == [str(customer.id)]
        assert own.extras["broker_probe"]() == {"status": "down", "kind": "embedded"}  # type: ignore[operator]
