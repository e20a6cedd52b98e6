"""Bank return end to end: a 100k-title CNAB 240 return uploaded to ``/api/v1/bank-files``
on PostgreSQL, whose nosso números match 100k seeded installments. Timed from the
upload to the file's ``processed`` status (upload, parse twice — validate then apply —,
match by nosso número, record and allocate every settlement with the batch path of the
receivables rules — ``settlement_bulk``: one transaction and a few bulk statements per
5,000-record batch, audit and outbox events included), with the server's peak RSS
and its CPU time over the same window.
The server runs its jobs embedded (no broker): the file, the outbox relay and the event
consumers share its process, as in ``make run``. ``--broker redis://…`` (or amqp://…)
runs the production shape instead: ``cobalto serve`` stores the file and enqueues it,
a ``cobalto worker`` beside it processes it and consumes the events; the worker's CPU
and peak RSS are reported too (the memory target is then the worker's).

Seeding (not timed): a fresh tenant and its customer (through the API), its invoices
(one INSERT, or through the invoice import with ``--import-invoices``; face values
equal to the titles'), one installment each, then the installments' nosso números set
with one UPDATE.

    .venv/bin/python -m bench.bank_file_e2e [--titles 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.common import OWNER_URL, VENV_BIN, cobalto_env, discard_stale_bench_events, emit, wait_http
from bench.http_api import start, stop

PORT = 8617


def rss_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backends_cpu_seconds(database: str) -> float:
    """CPU time so far of the PostgreSQL backends serving ``database`` (those alive now:
    the server's pool keeps its connections for the whole run)."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f" {database} " not in (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode() + " ":
                continue
            total += cpu_seconds(int(proc.name))
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def invoices_csv(titles: Sequence[object]) -> bytes:
    lines = ["número;cliente;emissão;vencimento;valor"]
    for i, t in enumerate(titles, 1):
        face = t.face_value_minor  # type: ignore[attr-defined]
        due = t.due_date  # type: ignore[attr-defined]
        issue = due - timedelta(days=30)
        amount = f"{face // 100},{face % 100:02d}"
        lines.append(f"NB{i:08d};BANKBENCH;{issue:%d/%m/%Y};{due:%d/%m/%Y};{amount}")
    return "\n".join(lines).encode()


async def _tenant_and_client(url: str) -> tuple[str, str]:
    from app.adapters.db.engine import make_engine, make_sessionmaker
    from app.adapters.db.provisioning import create_client, create_tenant
    from app.server.auth import mint_tenant

    engine = make_engine(url)
    try:
        slug = f"bench-bank-{uuid.uuid4().hex[:8]}"
        sessions = make_sessionmaker(engine)
        created = await create_tenant(
            sessions, mint_tenant, name=slug, slug=slug, admin_email=f"a@{slug}.local"
        )
        c = await create_client(
            sessions, created.tenant_id, name="bench", created_by="bench",
            scopes="imports:write invoices:read bank_files:read bank_files:write payments:read",
        )  # fmt: skip
    finally:
        await engine.dispose()
    return str(created.tenant_id), base64.b64encode(f"{c.client_id}:{c.client_secret}".encode()).decode()


async def _seed_invoices(owner_url: str, tenant_id: str, titles: Sequence[object]) -> None:
    """The invoices of ``invoices_csv`` (same numbers, dates and amounts), written with
    one INSERT … SELECT: the import through the API is measured by its own benchmark
    (bench/import_invoices.py) and would only slow every run of this one down."""
    import asyncpg

    numbers, issues, dues, amounts = [], [], [], []
    for i, t in enumerate(titles, 1):
        numbers.append(f"NB{i:08d}")
        dues.append(t.due_date)  # type: ignore[attr-defined]
        issues.append(t.due_date - timedelta(days=30))  # type: ignore[attr-defined]
        amounts.append(t.face_value_minor)  # type: ignore[attr-defined]
    conn = await asyncpg.connect(owner_url)
    try:
        await conn.execute(
            """INSERT INTO invoices (tenant_id, id, customer_id, number, issue_date, due_date, currency,
                   amount_minor, open_minor, status, created_at, updated_at)
               SELECT $1::uuid, gen_random_uuid(), c.id, v.number, v.issue, v.due, 'BRL', v.amount, v.amount,
                   'open', now(), now()
               FROM unnest($2::text[], $3::date[], $4::date[], $5::bigint[]) AS v(number, issue, due, amount)
               CROSS JOIN (SELECT id FROM customers WHERE tenant_id = $1::uuid) AS c""",
            tenant_id, numbers, issues, dues, amounts,
        )  # fmt: skip
        await conn.execute("ANALYZE invoices")  # the seeding joins below are planned on these
    finally:
        await conn.close()


async def _seed_installments(owner_url: str, tenant_id: str) -> int:
    """One installment per invoice with its opening charge entry, nosso número set.

    Written as the receivables repository writes them (``installments`` row plus the
    CHARGE ledger entry, line 1), in two INSERT … SELECT statements: the invoice import
    registers invoices in bulk, and seeding 100k installments one use case at a time
    would take longer than the benchmark itself."""
    import asyncpg

    conn = await asyncpg.connect(owner_url)
    try:
        await conn.execute("SELECT set_config('app.tenant_id', $1, false)", tenant_id)
        existing = await conn.fetchval(
            "SELECT count(*) FROM installments WHERE tenant_id = $1::uuid", tenant_id
        )
        if existing == 0:
            await conn.execute(
                """INSERT INTO installments (tenant_id, id, invoice_id, customer_id, number_index, number_count,
                       due_date, currency, amount_minor, open_minor, status, created_at, updated_at)
                   SELECT tenant_id, gen_random_uuid(), id, customer_id, 1, 1, due_date, currency, amount_minor,
                       amount_minor, 'open', now(), now()
                   FROM invoices WHERE tenant_id = $1::uuid""",
                tenant_id,
            )
            await conn.execute(
                """INSERT INTO ledger_entries (tenant_id, id, installment_id, line, kind, component, amount_minor,
                       currency, actor, created_at, effective_date)
                   SELECT i.tenant_id, gen_random_uuid(), i.id, 1, 'charge', 'principal', i.amount_minor,
                       i.currency, 'bench', now(), v.issue_date
                   FROM installments i JOIN invoices v ON v.tenant_id = i.tenant_id AND v.id = i.invoice_id
                   WHERE i.tenant_id = $1::uuid""",
                tenant_id,
            )
        # Fresh statistics first: planned on the empty table's, the join below can run
        # as a nested loop over 100k × 100k rows (it once took over nine minutes).
        await conn.execute("ANALYZE installments")
        await conn.execute("ANALYZE invoices")
        # Invoice NB00000042 ↔ title 42, whose nosso número is 00000000000000042.
        status = await conn.execute(
            """UPDATE installments i SET bank_reference = ltrim(substr(v.number, 3), '0')
               FROM invoices v WHERE v.tenant_id = i.tenant_id AND v.id = i.invoice_id
               AND i.tenant_id = $1::uuid""",
            tenant_id,
        )
        await conn.execute("ANALYZE installments")
        await conn.execute("ANALYZE ledger_entries")
    finally:
        await conn.close()
    return int(status.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=OWNER_URL)
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument(
        "--no-installments",
        action="store_true",
        help="seed nothing: every settlement goes to the correction queue (the file pipeline alone)",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="then run bench/bank_file_floor.py on a fresh tenant (same database work, almost no"
        " Python) and print the ratio",
    )
    parser.add_argument(
        "--import-invoices",
        action="store_true",
        help="seed the invoices through POST /api/v1/imports/invoices instead of one INSERT",
    )
    parser.add_argument(
        "--broker",
        metavar="URL",
        help="Redis or RabbitMQ URL: serve + a cobalto worker (production) instead of embedded jobs",
    )
    parser.add_argument(
        "--py-spy",
        metavar="SVG",
        help="record the server with py-spy (installed separately) from the upload to the end;"
        " collapsed stacks unless SVG ends in .svg",
    )
    args = parser.parse_args()
    from app.adapters.banks.cnab import return_240_bytes, synthetic_titles
    from app.adapters.banks.cnab.generate import SAMPLE_ACCOUNT
    from bench.gen.dataset import ensure_database

    asyncio.run(ensure_database(args.url, reset=False))  # the dataset need not have been generated
    var_dir = Path(tempfile.mkdtemp(prefix="cobalto-bench-bank-"))
    env = cobalto_env(var_dir, args.url)
    if args.broker:
        # A namespace of its own: no message an earlier run left queued is consumed.
        sep = "&" if "?" in args.broker else "?"
        env["COBALTO_BROKER_URL"] = f"{args.broker}{sep}cobalto_namespace=bench{uuid.uuid4().hex[:8]}"
    subprocess.run([str(VENV_BIN / "cobalto"), "migrate"], env=env, check=True, capture_output=True)
    emit(step="discarded_stale_events", count=asyncio.run(discard_stale_bench_events(args.url)))
    tenant_id, basic = asyncio.run(_tenant_and_client(env["COBALTO_DATABASE_URL"]))
    titles = list(synthetic_titles(args.titles))
    content = return_240_bytes(SAMPLE_ACCOUNT, titles)
    settled = [t for t in titles if t.occurrence_code == "06"]
    server = start([str(VENV_BIN / "cobalto"), "serve", "--workers", "1", "--port", str(PORT)], env)
    worker = start([str(VENV_BIN / "cobalto"), "worker"], env) if args.broker else None
    try:
        base = f"http://127.0.0.1:{PORT}"
        wait_http(f"{base}/health")
        token = httpx.post(
            f"{base}/oauth/token", data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}"},
        ).json()["access_token"]  # fmt: skip
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=600) as http:
            seed_started = time.perf_counter()
            updated = 0
            if not args.no_installments:
                r = http.post(
                    "/api/v1/imports/customers", files={"file": ("c.csv", b"codigo;nome\nBANKBENCH;Cliente")}
                )
                assert r.status_code == 201, r.text
                if args.import_invoices:
                    r = http.post(
                        "/api/v1/imports/invoices",
                        files={"file": ("nf.csv", invoices_csv(titles), "text/csv")},
                    )
                    job = r.json()
                    while job["status"] == "running":
                        time.sleep(0.5)
                        job = http.get(f"/api/v1/imports/{job['id']}").json()
                    assert job["status"] == "completed", job
                else:
                    asyncio.run(_seed_invoices(args.url, tenant_id, titles))
                updated = asyncio.run(_seed_installments(args.url, tenant_id))
            acc = SAMPLE_ACCOUNT
            r = http.post(
                "/api/v1/bank-accounts",
                json={"bank_code": acc.bank_code, "agency": acc.agency, "agency_digit": acc.agency_digit,
                      "account": acc.account, "digit": acc.account_digit, "agreement": acc.agreement},
            )  # fmt: skip
            assert r.status_code == 201, r.text
            seed_s = time.perf_counter() - seed_started

            baseline = rss_kb(server.pid, "VmRSS")
            samples: list[int] = []
            done = threading.Event()

            def watch() -> None:
                while not done.is_set():
                    samples.append(rss_kb(server.pid, "VmRSS"))
                    time.sleep(0.2)

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            spy = (
                subprocess.Popen(
                    [str(VENV_BIN / "py-spy"), "record", "-o", args.py_spy, "--pid", str(server.pid),
                     "--format", "flamegraph" if args.py_spy.endswith(".svg") else "raw"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
                if args.py_spy
                else None
            )  # fmt: skip
            started = time.perf_counter()
            cpu_before = cpu_seconds(server.pid)
            worker_cpu_before = cpu_seconds(worker.pid) if worker else 0.0
            database = args.url.rsplit("/", 1)[-1]
            db_cpu_before = backends_cpu_seconds(database)
            r = http.post(
                "/api/v1/bank-files", files={"file": ("RET.RET", content, "application/octet-stream")}
            )
            assert r.status_code == 201, r.text
            body = r.json()
            while body["status"] in ("received", "processing"):
                time.sleep(0.2)
                body = http.get(f"/api/v1/bank-files/{body['id']}").json()
            wall = time.perf_counter() - started
            server_cpu = cpu_seconds(server.pid) - cpu_before
            worker_cpu = cpu_seconds(worker.pid) - worker_cpu_before if worker else None
            db_cpu = backends_cpu_seconds(database) - db_cpu_before
            done.set()
            watcher.join()
            if spy is not None:
                spy.send_signal(signal.SIGINT)  # py-spy writes its flame graph on SIGINT
                spy.wait(timeout=60)
            # The file is done when its payments are committed with their events in the
            # outbox; relaying the events to the consumers and webhooks goes on after.
            pending_at_processed = asyncio.run(_unrelayed(args.url, tenant_id))
            while asyncio.run(_unrelayed(args.url, tenant_id)) and time.perf_counter() - started < 900:
                time.sleep(0.5)
            relayed_s = time.perf_counter() - started
        peak = rss_kb(server.pid, "VmHWM")
        worker_peak = rss_kb(worker.pid, "VmHWM") if worker else None
        # The memory target is the file processor's: the worker's when there is one.
        processor_peak = worker_peak if worker_peak is not None else peak
        emit(
            bench="bank_file_e2e", titles=args.titles, file_mb=round(len(content) / 2**20, 1),
            installments_seeded=updated, seed_s=round(seed_s, 1), status=body["status"],
            records=body["records"], settled=body["settled_count"], expected_settled=len(settled),
            applied=body["applied_count"], queued=body["queued_count"], errors=body["errors"][:3],
            wall_s=round(wall, 2), records_per_s=round(args.titles / wall), server_cpu_s=round(server_cpu, 1), db_cpu_s=round(db_cpu, 1),
            rss_before_mb=round(baseline / 1024), rss_peak_mb=round(peak / 1024),
            events_pending_at_processed=pending_at_processed, all_events_relayed_s=round(relayed_s, 1),
            broker=bool(args.broker), worker_cpu_s=None if worker_cpu is None else round(worker_cpu, 1),
            worker_rss_peak_mb=None if worker_peak is None else round(worker_peak / 1024),
            rss_samples_mb=[round(s / 1024) for s in samples[:: max(1, len(samples) // 10)]],
            target_s=20, target_rss_mb=300,
            ok=body["status"] == "processed"
            and body["applied_count"] == (0 if args.no_installments else len(settled))
            and wall <= 20
            and processor_peak / 1024 <= 300,
        )  # fmt: skip
    finally:
        stop(server)
        if worker is not None:
            stop(worker)
    if args.floor and not args.no_installments:
        _run_floor_beside(args.url, env["COBALTO_DATABASE_URL"], titles, content, wall)


async def _unrelayed(owner_url: str, tenant_id: str) -> int:
    import asyncpg

    conn = await asyncpg.connect(owner_url)
    try:
        n = await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE tenant_id = $1::uuid AND relayed_at IS NULL", tenant_id
        )
    finally:
        await conn.close()
    return int(n)


def _run_floor_beside(
    owner_url: str, app_sa_url: str, titles: list[Any], content: bytes, wall: float
) -> None:
    """The floor (bench/bank_file_floor.py: the same database work, almost no Python) on a
    fresh tenant of the same database, right after the app's run, with the app's server
    stopped; prints its line and the ratio."""
    from bench.bank_file_floor import _seed as seed_floor
    from bench.bank_file_floor import run_floor
    from bench.common import app_url

    tenant_id = asyncio.run(seed_floor(owner_url, app_sa_url, titles))
    floor = asyncio.run(run_floor(app_url(owner_url), tenant_id, content, overlap=True))
    emit(
        bench="bank_file_floor", titles=len(titles), tenant=tenant_id, overlap=True,
        wall_s=floor["wall_s"], db_cpu_s=floor["db_cpu_s"], client_cpu_s=floor["client_cpu_s"],
        ok=floor["written_equals_counted"],
    )  # fmt: skip
    emit(bench="bank_file_e2e_vs_floor", app_wall_s=round(wall, 2), floor_wall_s=floor["wall_s"],
         ratio=round(wall / floor["wall_s"], 2))  # fmt: skip


if __name__ == "__main__":
    main()
