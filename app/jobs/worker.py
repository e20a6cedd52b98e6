"""``cobalto worker``: consume jobs from Redis/RabbitMQ until SIGTERM or SIGINT.

Besides the Dramatiq worker threads it runs the outbox relay, the webhook retry
scheduler, the daily jobs (report e-mails, outbox purge) and the watched bank-file
folder; any number of workers may run side by side (row claims, and file claims by
atomic rename, keep them from doing the same work twice).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import threading

from app.jobs.broker import make_broker
from app.jobs.runtime import JobsRuntime
from app.settings import Settings

log = logging.getLogger("cobalto.worker")
STOP_TIMEOUT_SECONDS = 120


def run_worker(settings: Settings, threads: int | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if settings.embedded_broker:
        print(
            "COBALTO_BROKER_URL is not set: `cobalto serve` runs jobs itself in that case.",
            file=sys.stderr,
        )
        raise SystemExit(2)
    from app.server.services import build_services

    services = build_services(settings)
    info = make_broker(settings)
    runtime = JobsRuntime(services, info, consume=True, schedule=True, threads=threads)

    # The job event loop: owns the database pool; actors submit their coroutines to it.
    loop = asyncio.new_event_loop()
    loop_thread = threading.Thread(target=loop.run_forever, name="cobalto-jobs-loop", daemon=True)
    loop_thread.start()

    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        log.info("received %s, stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    asyncio.run_coroutine_threadsafe(runtime.start(), loop).result()
    log.info("cobalto worker ready (broker=%s, namespace=%s)", info.kind, info.namespace)
    while not stop.wait(1.0):
        pass
    try:
        asyncio.run_coroutine_threadsafe(runtime.stop(), loop).result(STOP_TIMEOUT_SECONDS)
        asyncio.run_coroutine_threadsafe(services.engine.dispose(), loop).result(30)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        loop_thread.join(10)
    log.info("cobalto worker stopped")
