"""Outbox relay + event consumption to empty, with the embedded runtime (in-process
Dramatiq broker, worker threads in this process), on PostgreSQL under RLS.

Shape of a large bank return: two tenants commit ``--events`` outbox events in bulk
(``uow.record_many``, as the use cases write them). Tenant ``hooked`` has one webhook
endpoint subscribed to a rare event type (``payment.refunded``, one event in
``--rare-every``); tenant ``quiet`` has no endpoint. The clock starts when the jobs
runtime starts and stops when every event is relayed, the event and webhook queues are
empty and every expected delivery reached the local receiver.

    .venv/bin/python -m bench.event_relay --events 50000

Prints JSON lines: the setup, then the figures (seconds, events/s, this process's CPU
seconds, rows written to ``processed_events`` and ``webhook_deliveries``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.common import app_url, emit, sa_async
from bench.gen.dataset import ensure_database, migrate

DEFAULT_OWNER_URL = "postgresql://postgres@127.0.0.1:5432/cobalto_bench_events"
RARE = "payment.refunded"
COMMON = ("payment.received", "installment.paid")
CHUNK = 5_000


class _Receiver(BaseHTTPRequestHandler):
    hits = 0
    lock = threading.Lock()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        with _Receiver.lock:
            _Receiver.hits += 1
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        return None


@contextmanager
def receiver() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks"
    finally:
        server.shutdown()


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _owner_count(owner_url: str, sql: str, *args: object) -> int:
    import asyncpg

    conn = await asyncpg.connect(owner_url)
    try:
        return int(await conn.fetchval(sql, *args))
    finally:
        await conn.close()


async def _commit_events(services: object, tenant_id: uuid.UUID, n: int, rare_every: int) -> int:
    """``n`` events in transactions of ``CHUNK``; returns how many are of the rare type."""
    from app.server.auth import system_principal
    from app.server.services import Services

    assert isinstance(services, Services)
    rare = 0
    for start in range(0, n, CHUNK):
        by_type: dict[str, list[dict[str, object]]] = {}
        for i in range(start, min(n, start + CHUNK)):
            kind = RARE if i % rare_every == rare_every - 1 else COMMON[i % 2]
            rare += kind == RARE
            by_type.setdefault(kind, []).append({"id": str(uuid.uuid4()), "amount_minor": 1000 + i, "seq": i})
        async with services.uow(system_principal(tenant_id, "bench")) as uow:
            for kind, payloads in by_type.items():
                await uow.record_many(kind, payloads)
            await uow.commit()
    return rare


async def run(args: argparse.Namespace) -> None:
    from app.adapters.db.provisioning import create_tenant
    from app.jobs.broker import make_broker
    from app.jobs.context import secret_box, url_policy
    from app.jobs.runtime import JobsRuntime
    from app.server.auth import mint_tenant, system_principal
    from app.server.services import build_services
    from app.settings import Settings

    owner = args.url
    settings = Settings(
        var_dir=Path(tempfile.gettempdir()) / "cobalto-bench-events",
        database_url=sa_async(app_url(owner)),
        migration_database_url=sa_async(owner),
        broker_url="",
        secret_key="bench-events",
        webhook_allow_loopback=True,
        worker_threads=args.threads,
    )
    services = build_services(settings)
    # Leftovers of an interrupted run would be relayed inside the measurement.
    await _owner_count(
        owner,
        "WITH u AS (UPDATE outbox SET relayed_at = now() WHERE relayed_at IS NULL RETURNING 1) SELECT count(*) FROM u",
    )
    run_id = uuid.uuid4().hex[:8]
    tenants = {}
    for role in ("hooked", "quiet"):
        slug = f"bench-events-{role}-{run_id}"
        created = await create_tenant(
            services.sessions, mint_tenant, name=slug, slug=slug, admin_email=f"a@{slug}.local"
        )
        tenants[role] = created.tenant_id

    with receiver() as url:
        from app.adapters.webhooks.endpoints import create_endpoint

        async with services.uow(system_principal(tenants["hooked"], "bench")) as uow:
            await create_endpoint(
                uow,
                secret_box(services),
                url_policy(services),
                url=url,
                description="bench",
                event_types=[RARE],
            )
            await uow.commit()

        t0 = time.perf_counter()
        rare = await _commit_events(services, tenants["hooked"], args.events // 2, args.rare_every)
        await _commit_events(services, tenants["quiet"], args.events - args.events // 2, args.rare_every)
        emit(
            step="setup",
            events=args.events,
            rare_deliveries=rare,
            commit_s=round(time.perf_counter() - t0, 2),
        )

        info = make_broker(settings)
        runtime = JobsRuntime(services, info, consume=True, schedule=False)
        import asyncpg

        watcher = await asyncpg.connect(owner)
        pending = "SELECT count(*) FROM outbox WHERE tenant_id = ANY($1) AND relayed_at IS NULL"
        ids = [tenants["hooked"], tenants["quiet"]]
        cpu0, started = _cpu_seconds(), time.perf_counter()
        await runtime.start()
        try:
            # Polling: the state lives in the database and in the receiver's thread.
            while await watcher.fetchval(pending, ids):  # noqa: ASYNC110
                await asyncio.sleep(0.1)
            relayed_s = time.perf_counter() - started
            for queue in list(info.broker.queues):  # type: ignore[attr-defined]
                await asyncio.to_thread(info.broker.join, queue)  # type: ignore[attr-defined]
            while _Receiver.hits < rare:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
            for queue in list(info.broker.queues):  # type: ignore[attr-defined]
                await asyncio.to_thread(info.broker.join, queue)  # type: ignore[attr-defined]
            elapsed = time.perf_counter() - started
            cpu = _cpu_seconds() - cpu0
        finally:
            await watcher.close()
            await runtime.stop()
            await services.engine.dispose()

    processed = await _owner_count(
        owner, "SELECT count(*) FROM processed_events WHERE tenant_id = ANY($1)", ids
    )
    deliveries = await _owner_count(
        owner, "SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ANY($1)", ids
    )
    emit(
        bench="event_relay",
        events=args.events,
        threads=args.threads,
        relayed_s=round(relayed_s, 2),
        relay_and_consume_s=round(elapsed, 2),
        events_per_s=round(args.events / elapsed),
        process_cpu_s=round(cpu, 2),
        processed_events_rows=processed,
        deliveries=deliveries,
        expected_deliveries=rare,
        received=_Receiver.hits,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--url",
        default=os.environ.get("BENCH_OWNER_URL", DEFAULT_OWNER_URL),
        help="owner URL of the bench database",
    )
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--rare-every", type=int, default=1_000)
    parser.add_argument("--threads", type=int, default=4, help="embedded worker threads")
    parser.add_argument("--reset", action="store_true", help="drop and recreate the bench database")
    args = parser.parse_args()
    asyncio.run(ensure_database(args.url, args.reset))
    migrate(args.url)  # Alembic runs its own event loop: outside ours
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
