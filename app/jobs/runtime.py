"""How the server process runs jobs: embedded (in-process broker + worker threads)
or, with ``COBALTO_BROKER_URL``, only publishing to Redis/RabbitMQ for ``cobalto worker``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import dramatiq

from app.jobs.actors import DramatiqPublisher, declare_actors, loop_runner
from app.jobs.broker import BrokerInfo, make_broker, make_probe
from app.jobs.context import JobContext
from app.jobs.relay import relay_all, tenants_with_work
from app.jobs.schedule import start_scheduler, stop_scheduler
from app.jobs.watch_folder import start_inbox_watcher
from app.jobs.webhook_delivery import enqueue_due
from app.server.bank_file_intake import send_large_files_to
from app.server.services import Services

Hook = Callable[[], Awaitable[None] | None]
log = logging.getLogger("cobalto.jobs")

# The relay is woken right after each commit (``Services.on_events``); this poll only
# catches what the fast path cannot see: events committed by other processes, retries
# coming due, and whatever a crash left behind.
POLL_SECONDS = 1.0


class Pump:
    """One background task: relay the outbox and (when asked) enqueue due retries."""

    def __init__(self, ctx: JobContext, *, schedule: bool, poll_seconds: float = POLL_SECONDS) -> None:
        self.ctx = ctx
        self.schedule = schedule
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def wake(self, _ids: list[uuid.UUID] | None = None) -> None:
        """Thread-safe: may be called from any thread (after a commit)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def tick(self) -> int:
        now = self.ctx.clock.now()
        tenants = await tenants_with_work(self.ctx.services, now)
        done = await relay_all(self.ctx.services, self.ctx.publisher.events, tenants)
        if self.schedule:
            for tenant_id in tenants:
                try:
                    done += await enqueue_due(self.ctx, tenant_id)
                except Exception:
                    log.exception("enqueueing due webhooks of tenant %s failed", tenant_id)
        return done

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        while True:
            self._wake.clear()
            try:
                await self.tick()
            except Exception:
                # A database outage must not kill the pump: log and try again next poll.
                log.exception("outbox relay tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)


class JobsRuntime:
    """Starts and stops the relay, the retry scheduler and (if consuming) the workers."""

    def __init__(
        self,
        services: Services,
        info: BrokerInfo,
        *,
        consume: bool,
        schedule: bool,
        threads: int | None = None,
        **context_overrides: Any,
    ) -> None:
        self.services = services
        self.info = info
        self.consume = consume
        self.schedule = schedule
        self.threads = threads or services.settings.worker_threads
        self._overrides = context_overrides
        self.ctx: JobContext | None = None
        self.pump: Pump | None = None
        self.worker: dramatiq.Worker | None = None
        self._task: asyncio.Task[None] | None = None
        self._scheduler: asyncio.Task[None] | None = None
        self._inbox: asyncio.Task[None] | None = None
        info.embedded_running = lambda: self.worker is not None

    def _context(self) -> JobContext:
        assert self.ctx is not None, "jobs runtime not started"
        return self.ctx

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        actors = declare_actors(self.info, loop_runner(loop, self._context))
        publisher = DramatiqPublisher(self.info, actors)
        self.ctx = JobContext.build(self.services, publisher, **self._overrides)
        self.pump = Pump(self.ctx, schedule=self.schedule)
        if self.consume:
            self.worker = dramatiq.Worker(self.info.broker, worker_threads=self.threads)
            self.worker.start()
        self._task = loop.create_task(self.pump.run(), name="cobalto-outbox-pump")
        if self.schedule:
            # Daily jobs per tenant at its local time (report e-mails, outbox purge)
            # and the watched bank-file folder.
            self._scheduler = start_scheduler(self.services, self.ctx.clock)
            self._inbox = start_inbox_watcher(self.services)
        self.services.on_events = self.pump.wake
        if self._publishes_only():
            # The workers process large bank files, not this (API) process.
            send_large_files_to(self.services, publisher.bank_file)
        log.info("jobs started (broker=%s, consume=%s)", self.info.kind, self.consume)

    def _publishes_only(self) -> bool:
        return not self.consume and self.info.kind != "embedded"

    async def stop(self) -> None:
        self.services.on_events = lambda ids: None
        send_large_files_to(self.services, None)
        await stop_scheduler(self._scheduler)
        await stop_scheduler(self._inbox)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.worker is not None:
            worker, self.worker = self.worker, None
            # In a thread: running jobs wait on this event loop, which must keep turning.
            await asyncio.to_thread(worker.stop)
        await asyncio.to_thread(self.info.broker.close)
        if self.ctx is not None:
            await self.ctx.aclose()


def attach_jobs(services: Services, startup: list[Hook], shutdown: list[Hook]) -> None:
    """Wire the outbox relay and the job workers into the app's lifecycle.

    Embedded (no broker URL): this process relays, schedules retries and consumes;
    large bank files are processed by a background task of this process.
    With Redis/RabbitMQ: this process only relays (publishes) its own commits quickly
    and hands large bank files to the workers; ``cobalto worker`` processes consume,
    schedule retries and relay too. The daily jobs and the watched folder run where
    retries are scheduled.
    """
    info = make_broker(services.settings)
    embedded = info.kind == "embedded"
    runtime = JobsRuntime(services, info, consume=embedded, schedule=embedded)
    services.extras["broker_probe"] = make_probe(info)
    services.extras["jobs"] = runtime
    startup.append(runtime.start)
    shutdown.append(runtime.stop)
