"""Aging benchmark: 1M installments for one tenant (plus noise tenants), aged as of today
through the real repository code (``AgingQueries.summary``, maintained path) on
PostgreSQL (as the app role, RLS on) and SQLite, against the floor: the same
aggregation in polars over the same rows already in memory.

    .venv/bin/python -m bench.aging [--rows 1000000] [--customers 20000] [--runs 5] [--keep]

Prints JSON lines: load steps, then one line per database and group_by (every one the
API accepts) with p50 of the runs, the polars p50 and their ratio. Targets: ≤ 1 s on
PostgreSQL, ≤ 3 s on SQLite. Every run's per-bucket counts and sums must equal polars'
(and the noise tenants must never leak in), so a fast wrong answer fails the bench.

PostgreSQL is loaded with COPY and then ``VACUUM ANALYZE``: a production server's
autovacuum does the same after bulk inserts (it is off on the shared bench server), and
without it no visibility map exists, so index-only scans would visit the heap.

Reuse a loaded dataset (the load takes minutes): ``--keep --sqlite-path DIR`` once, then
``--reuse-tenant ID --sqlite-path DIR/aging.db`` (apply new migrations to both first).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import polars as pl
from sqlalchemy.engine import make_url

from app.adapters.db.queries_aging import GROUP_BY
from bench.common import OWNER_URL, app_url, emit, sa_async
from bench.gen.dataset import ensure_database, migrate

DB_NAME = "cobalto_bench_aging"
AS_OF = date(2026, 12, 31)
BOUNDS = [0, 30, 60, 90, 180]
INSTALLMENT_COLS = (
    "tenant_id", "id", "invoice_id", "customer_id", "number_index", "number_count", "due_date", "currency",
    "amount_minor", "open_minor", "status", "document_number", "created_at", "updated_at",
)  # fmt: skip
INVOICE_COLS = (
    "tenant_id", "id", "customer_id", "number", "issue_date", "due_date", "currency", "amount_minor",
    "open_minor", "status", "created_at", "updated_at",
)  # fmt: skip
CUSTOMER_COLS = (
    "tenant_id", "id", "name", "search_name", "country", "segment", "region", "sales_rep", "status",
    "created_at", "updated_at",
)  # fmt: skip


def generate(n_rows: int, n_customers: int, seed: int) -> dict[str, Any]:
    """Column lists (not row objects) so the same data feeds COPY, SQLite and polars."""
    rng = random.Random(seed)
    customers = [uuid.UUID(int=rng.getrandbits(128) | (0x7 << 76)) for _ in range(n_customers)]
    inv_ids = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(n_rows)]
    inst_ids = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(n_rows)]
    cust = [customers[rng.randrange(n_customers)] for _ in range(n_rows)]
    due = [AS_OF - timedelta(days=rng.randint(-60, 400)) for _ in range(n_rows)]
    amount = [rng.randint(1_000, 5_000_000) for _ in range(n_rows)]
    # 80 % open in full, 10 % partly paid, 10 % settled (open 0: not aged).
    opened = []
    for a in amount:
        r = rng.random()
        opened.append(a if r < 0.8 else (a // 3 if r < 0.9 else 0))
    return {
        "customers": customers,
        "inv": inv_ids,
        "inst": inst_ids,
        "cust": cust,
        "due": due,
        "amount": amount,
        "open": opened,
    }


def status_of(amount: int, open_minor: int) -> str:
    return "open" if open_minor == amount else ("paid" if open_minor == 0 else "partially_paid")


def records(tenant: uuid.UUID, data: dict[str, Any], now: datetime) -> tuple[list[tuple[Any, ...]], ...]:
    segs, regs = (
        ("Varejo", "Atacado", "Indústria", "Serviços", "Agro"),
        ("Sul", "Sudeste", "Norte", "Nordeste", "Centro-Oeste"),
    )
    customers = [
        (
            tenant,
            c,
            f"Cliente {k}",
            f"cliente {k}",
            "BR",
            segs[k % 5],
            regs[k % 5],
            f"rep{k % 40}",
            "active",
            now,
            now,
        )
        for k, c in enumerate(data["customers"])
    ]
    invoices, installments = [], []
    for k in range(len(data["inv"])):
        a, o, d = data["amount"][k], data["open"][k], data["due"][k]
        s = status_of(a, o)
        invoices.append(
            (
                tenant,
                data["inv"][k],
                data["cust"][k],
                f"NF{k}",
                d - timedelta(days=30),
                d,
                "BRL",
                a,
                o,
                s,
                now,
                now,
            )
        )
        installments.append(
            (
                tenant,
                data["inst"][k],
                data["inv"][k],
                data["cust"][k],
                1,
                1,
                d,
                "BRL",
                a,
                o,
                s,
                f"NF{k}-1",
                now,
                now,
            )
        )
    return customers, invoices, installments


async def load_postgres(owner_url: str, tenants: list[tuple[uuid.UUID, dict[str, Any]]]) -> None:
    conn = await asyncpg.connect(owner_url)
    now = datetime.now(UTC)
    try:
        for tenant_id, data in tenants:
            t0 = time.perf_counter()
            await conn.execute(
                "INSERT INTO tenants (id, slug, name, currency, locale, timezone, settings, created_at, updated_at)"
                " VALUES ($1, $2, $2, 'BRL', 'pt-BR', 'America/Sao_Paulo', '{}', $3, $3)",
                tenant_id, f"aging-{tenant_id.hex[:8]}", now,
            )  # fmt: skip
            customers, invoices, installments = records(tenant_id, data, now)
            await conn.copy_records_to_table("customers", records=customers, columns=CUSTOMER_COLS)
            await conn.copy_records_to_table("invoices", records=invoices, columns=INVOICE_COLS)
            await conn.copy_records_to_table("installments", records=installments, columns=INSTALLMENT_COLS)
            emit(
                step="load",
                db="postgres",
                tenant=str(tenant_id),
                rows=len(installments),
                seconds=round(time.perf_counter() - t0, 2),
            )
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


def _sqlite_value(v: Any) -> Any:
    if isinstance(v, uuid.UUID):
        return v.hex  # SQLAlchemy's non-native Uuid: 32 hex characters
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, date):
        return v.isoformat()
    return v


def load_sqlite(path: Path, tenants: list[tuple[uuid.UUID, dict[str, Any]]]) -> None:
    conn = sqlite3.connect(path)
    now = datetime.now(UTC)
    try:
        for tenant_id, data in tenants:
            t0 = time.perf_counter()
            conn.execute(
                "INSERT INTO tenants (id, slug, name, currency, locale, timezone, settings, created_at, updated_at)"
                " VALUES (?, ?, ?, 'BRL', 'pt-BR', 'America/Sao_Paulo', '{}', ?, ?)",
                [_sqlite_value(x) for x in (tenant_id, f"aging-{tenant_id.hex[:8]}", "t", now, now)],
            )
            for table, cols, rows in zip(
                ("customers", "invoices", "installments"),
                (CUSTOMER_COLS, INVOICE_COLS, INSTALLMENT_COLS),
                records(tenant_id, data, now),
                strict=True,
            ):
                sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                conn.executemany(sql, ([_sqlite_value(v) for v in r] for r in rows))
            conn.commit()
            emit(
                step="load",
                db="sqlite",
                tenant=str(tenant_id),
                rows=len(data["inst"]),
                seconds=round(time.perf_counter() - t0, 2),
            )
        conn.execute("ANALYZE")
        conn.commit()
    finally:
        conn.close()


async def time_repository(
    url: str, tenant_id: uuid.UUID, group_by: str, runs: int
) -> tuple[float, dict[str, tuple[int, int]]]:
    """p50 seconds of ``AgingQueries.summary`` in a tenant-bound unit of work."""
    from app.adapters.db.engine import make_engine, make_sessionmaker
    from app.adapters.db.queries_aging import AgingQueries
    from app.adapters.db.uow import SqlUnitOfWork
    from app.domain.receivables.aging import AgingBuckets
    from app.server.auth import system_principal

    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    buckets = AgingBuckets.from_upper_bounds(BOUNDS)
    times: list[float] = []
    by_bucket: dict[str, tuple[int, int]] = {}
    try:
        for _ in range(runs + 1):  # the first run warms caches and is dropped
            async with SqlUnitOfWork(sessions, system_principal(tenant_id, "bench")) as uow:
                t0 = time.perf_counter()
                cells = await AgingQueries(uow.session, uow.tenant).summary(
                    AS_OF, buckets, group_by, maintained=True
                )
                times.append(time.perf_counter() - t0)
            by_bucket = bucket_totals((c.bucket, c.count, c.open_minor) for c in cells)
    finally:
        await engine.dispose()
    return statistics.median(times[1:]), by_bucket


def bucket_totals(cells: Any) -> dict[str, tuple[int, int]]:
    """(count, open minor) per bucket label, summed over every group."""
    out: dict[str, tuple[int, int]] = {}
    for bucket, n, s in cells:
        n0, s0 = out.get(bucket, (0, 0))
        out[bucket] = (n0 + int(n), s0 + int(s))
    return out


def time_polars(data: dict[str, Any], runs: int) -> tuple[float, float, dict[str, tuple[int, int]]]:
    """The floor: the same bucketing and sum over the same rows already in a DataFrame."""
    df = pl.DataFrame(
        {"customer_id": [c.bytes for c in data["cust"]], "due_date": data["due"], "open_minor": data["open"]}
    )
    labels = ["current", "1–30", "31–60", "61–90", "91–180", "180+"]
    times: list[float] = []
    by_bucket: dict[str, tuple[int, int]] = {}
    for _ in range(runs + 1):
        t0 = time.perf_counter()
        days = (pl.lit(AS_OF) - pl.col("due_date")).dt.total_days()
        bucket = pl.when(days <= 0).then(pl.lit(labels[0]))
        for label, hi in zip(labels[1:-1], BOUNDS[1:], strict=True):
            bucket = bucket.when(days <= hi).then(pl.lit(label))
        out = (
            df.lazy()
            .filter(pl.col("open_minor") > 0)
            .with_columns(bucket.otherwise(pl.lit(labels[-1])).alias("bucket"))
            .group_by("customer_id", "bucket")
            .agg(pl.len().alias("n"), pl.col("open_minor").sum().alias("open"))
            .collect()
        )
        times.append(time.perf_counter() - t0)
        by_bucket = bucket_totals(out.select("bucket", "n", "open").iter_rows())
    return statistics.median(times[1:]), times[0], by_bucket


async def run(args: argparse.Namespace) -> None:
    owner = make_url(args.owner_url).set(database=DB_NAME).render_as_string(False)
    big = uuid.uuid4()
    t0 = time.perf_counter()
    data = generate(args.rows, args.customers, args.seed)
    noise = [(uuid.uuid4(), generate(args.rows // 20, args.customers // 20, args.seed + k)) for k in (1, 2)]
    emit(step="generate", rows=args.rows, seconds=round(time.perf_counter() - t0, 2))
    tenants = [(big, data), *noise]
    expected = sum(data["open"])
    pg_url = sa_async(app_url(owner))
    if args.reuse_tenant:
        # Time again over a database loaded by an earlier --keep run (same seed, same rows).
        big = uuid.UUID(args.reuse_tenant)
        sqlite_path = Path(args.sqlite_path)
    else:
        await ensure_database(owner, reset=True)
        await asyncio.to_thread(migrate, owner)  # alembic runs its own event loop
        await load_postgres(owner, tenants)
        sqlite_path = Path(args.sqlite_path or tempfile.mkdtemp()) / "aging.db"
        from app.adapters.db.migrate import upgrade
        from app.settings import Settings

        url = f"sqlite+aiosqlite:///{sqlite_path}"
        settings = Settings(
            var_dir=sqlite_path.parent,
            database_url=url,
            migration_database_url=url,
            broker_url="",
            secret_key="bench",
        )
        await asyncio.to_thread(upgrade, settings)
        load_sqlite(sqlite_path, tenants)
        emit(step="loaded", big_tenant=str(big), sqlite=str(sqlite_path))
    sqlite_url = f"sqlite+aiosqlite:///{sqlite_path}"

    polars_p50, _first, polars_buckets = time_polars(data, args.runs)
    assert sum(s for _, s in polars_buckets.values()) == expected
    for db, url in (("postgres", pg_url), ("sqlite", sqlite_url)):
        for group_by in GROUP_BY:
            p50, by_bucket = await time_repository(url, big, group_by, args.runs)
            # Same counts and sums per bucket as polars: noise tenants never leak in and
            # regrouping never moves money between buckets.
            assert by_bucket == polars_buckets, (db, group_by, by_bucket, polars_buckets)
            emit(
                bench="aging",
                db=db,
                group_by=group_by,
                rows=args.rows,
                open_rows=sum(1 for o in data["open"] if o > 0),
                p50_s=round(p50, 4),
                polars_p50_s=round(polars_p50, 4),
                ratio=round(p50 / polars_p50, 1),
                target_s=1.0 if db == "postgres" else 3.0,
                ok=p50 <= (1.0 if db == "postgres" else 3.0),
            )
    emit(
        step="total",
        seconds=round(time.perf_counter() - t0, 2),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )
    if not args.keep:
        await ensure_database(owner, reset=True)
        sqlite_path.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--owner-url", default=OWNER_URL)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--keep", action="store_true", help="keep both databases afterwards")
    parser.add_argument("--reuse-tenant", help="skip loading: time the kept databases (big tenant id)")
    parser.add_argument("--sqlite-path", help="directory for the SQLite file (with --reuse-tenant: the file)")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
