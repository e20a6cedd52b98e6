"""Invoice import benchmark: a seeded 100k-row CSV posted to ``/api/v1/imports/invoices``
on PostgreSQL, timed end to end (upload → job completed), with the server's peak RSS.

Starts ``cobalto serve`` (1 process, app role under RLS) against the bench database,
creates a fresh tenant with 2,000 customers (through the customer import), then
imports the invoices in all-or-nothing mode and polls the job.

    .venv/bin/python -m bench.import_invoices [--rows 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx

from bench.common import OWNER_URL, VENV_BIN, cobalto_env, discard_stale_bench_events, emit, wait_http
from bench.http_api import start, stop

PORT = 8603


def rss_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def settle(owner_url: str, tenant_id: str, pid: int, timeout: float = 120.0) -> None:
    """Wait until the tenant's outbox is relayed and the server is idle (< 5% of a core)."""
    import asyncpg

    async def pending() -> int:
        conn = await asyncpg.connect(owner_url)
        try:
            count: int = await conn.fetchval(
                "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND relayed_at IS NULL",
                uuid.UUID(tenant_id),
            )
        finally:
            await conn.close()
        return count

    def cpu() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    deadline = time.monotonic() + timeout
    while asyncio.run(pending()) and time.monotonic() < deadline:
        time.sleep(0.5)
    while time.monotonic() < deadline:
        before = cpu()
        time.sleep(1.0)
        if cpu() - before < 0.05:
            return


def customers_csv(n: int) -> bytes:
    lines = ["codigo;nome"] + [f"BC-{i:05d};Cliente Bench {i}" for i in range(1, n + 1)]
    return "\n".join(lines).encode()


def invoices_csv(rows: int, customers: int, seed: int) -> bytes:
    rng = random.Random(seed)
    base = date(2026, 1, 1)
    lines = ["número;cliente;emissão;vencimento;valor"]
    for i in range(1, rows + 1):
        issue = base + timedelta(days=rng.randint(0, 300))
        due = issue + timedelta(days=rng.choice((14, 28, 30, 60)))
        cents = rng.randint(1_000, 10_000_000)
        amount = f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"
        lines.append(f"NF{i:07d};BC-{rng.randint(1, customers):05d};{issue:%d/%m/%Y};{due:%d/%m/%Y};{amount}")
    return "\n".join(lines).encode()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=OWNER_URL)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="cobalto-bench-import-"))
    env = cobalto_env(var_dir, args.url)
    from app.adapters.db.engine import make_engine, make_sessionmaker
    from app.adapters.db.provisioning import create_tenant
    from app.server.auth import mint_tenant

    async def tenant() -> str:
        engine = make_engine(env["COBALTO_DATABASE_URL"])
        try:
            slug = f"bench-import-{uuid.uuid4().hex[:8]}"
            created = await create_tenant(
                make_sessionmaker(engine), mint_tenant, name=slug, slug=slug, admin_email=f"a@{slug}.local"
            )
        finally:
            await engine.dispose()
        return str(created.tenant_id)

    tenant_id = asyncio.run(tenant())
    emit(step="discarded_stale_events", count=asyncio.run(discard_stale_bench_events(args.url)))
    content = invoices_csv(args.rows, args.customers, args.seed)
    server = start([str(VENV_BIN / "cobalto"), "serve", "--workers", "1", "--port", str(PORT)], env)
    try:
        base = f"http://127.0.0.1:{PORT}"
        wait_http(f"{base}/health")

        async def import_client() -> str:
            import base64

            from app.adapters.db.provisioning import create_client

            engine = make_engine(env["COBALTO_DATABASE_URL"])
            try:
                c = await create_client(
                    make_sessionmaker(engine), uuid.UUID(tenant_id), name="bench-import",
                    scopes="imports:write invoices:read", created_by="bench",
                )  # fmt: skip
            finally:
                await engine.dispose()
            return base64.b64encode(f"{c.client_id}:{c.client_secret}".encode()).decode()

        basic = asyncio.run(import_client())
        token = httpx.post(
            f"{base}/oauth/token",
            data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}"},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=120) as http:
            r = http.post(
                "/api/v1/imports/customers", files={"file": ("c.csv", customers_csv(args.customers))}
            )
            assert r.status_code == 201 and r.json()["created"] == args.customers, r.text
            # The customer import's events are relayed and fanned out by this server right
            # after its commit: let that settle, or the invoice import is timed against it.
            settle(args.url, tenant_id, server.pid)
            baseline = rss_kb(server.pid, "VmRSS")
            samples: list[int] = []
            done = threading.Event()

            def watch() -> None:
                while not done.is_set():
                    samples.append(rss_kb(server.pid, "VmRSS"))
                    time.sleep(0.2)

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            started = time.perf_counter()
            r = http.post("/api/v1/imports/invoices", files={"file": ("nf.csv", content, "text/csv")})
            assert r.status_code in (201, 202), r.text
            job = r.json()
            while job["status"] == "running":
                time.sleep(0.2)
                job = http.get(f"/api/v1/imports/{job['id']}").json()
            wall = time.perf_counter() - started
            done.set()
            watcher.join()
        emit(
            bench="import_invoices", rows=args.rows, file_mb=round(len(content) / 2**20, 1), status=job["status"],
            created=job["created"], rejected=job["rejected"], wall_s=round(wall, 2), rows_per_s=round(args.rows / wall),
            rss_before_mb=round(baseline / 1024), rss_peak_mb=round(rss_kb(server.pid, "VmHWM") / 1024),
            rss_samples_mb=[round(s / 1024) for s in samples[:: max(1, len(samples) // 10)]],
            target_s=30, ok=job["status"] == "completed" and wall <= 30,
        )  # fmt: skip
    finally:
        stop(server)


if __name__ == "__main__":
    main()
