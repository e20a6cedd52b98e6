"""Seeded bench dataset in PostgreSQL: one big tenant (100k customers, 1M invoices) and
9 small tenants (1k customers, 10k invoices each), loaded with COPY as the owner role,
then ANALYZE. The schema comes from the app's migrations, and the app role (which owns
nothing, so RLS applies) is granted as in production.

    .venv/bin/python -m bench.gen.dataset [--customers 100000] [--invoices 1000000] [--reset]

Prints one JSON line per step and a total.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import asyncpg
from sqlalchemy.engine import make_url

from bench.common import APP_ROLE, BIG_TENANT_SLUG, OWNER_URL, app_url, emit, sa_async

KINDS = (
    "Comercial", "Distribuidora", "Atacadão", "Supermercado", "Mercearia", "Farmácia", "Padaria",
    "Auto Peças", "Indústria", "Laticínios", "Frigorífico", "Metalúrgica", "Transportadora",
    "Construtora", "Clínica", "Agropecuária", "Cerealista", "Cooperativa", "Papelaria", "Ótica",
)  # fmt: skip
PLACES = (
    "Pantanal", "Cuiabá", "Araguaia", "Chapada", "Rondon", "São Benedito", "Santa Rita", "Bom Jesus",
    "Primavera", "Sinop", "Várzea Grande", "Tangará", "Serra Azul", "Rio Claro", "Nova Esperança",
    "Três Irmãos", "Ipê Amarelo", "Boa Vista", "Cerrado", "Sol Nascente", "Guaporé", "Xingu",
    "Paraíso", "Aurora", "Campo Verde", "Sorriso", "Lucas", "Juína", "Barra", "Poconé",
)  # fmt: skip
SURNAMES = (
    "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima",
    "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares", "Fernandes",
    "Vieira", "Barbosa", "Rocha", "Dias", "Nascimento", "Andrade", "Moreira", "Nunes", "Marques",
    "Machado", "Mendes", "Freitas", "Cardoso", "Ramos", "Gonçalves", "Santana", "Teixeira",
)  # fmt: skip
SEGMENTS = ("Varejo", "Atacado", "Indústria", "Serviços", "Agro")
REGIONS = ("Centro-Oeste", "Sudeste", "Sul", "Norte", "Nordeste")
STATUSES = ("active",) * 17 + ("inactive", "blocked", "suspended")
CUSTOMER_COLUMNS = (
    "tenant_id", "id", "name", "legal_name", "search_name", "tax_id", "country", "email", "phone",
    "segment", "region", "sales_rep", "status", "external_ref", "notes", "created_at", "updated_at",
)  # fmt: skip
INVOICE_COLUMNS = (
    "tenant_id", "id", "customer_id", "number", "issue_date", "due_date", "currency", "amount_minor",
    "open_minor", "status", "external_ref", "description", "created_at", "updated_at",
)  # fmt: skip
EPOCH_MS = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp() * 1000)
TODAY = date(2026, 11, 23)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class Ids:
    """Deterministic UUIDv7s: increasing milliseconds, seeded random bits."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ms = EPOCH_MS

    def next(self) -> uuid.UUID:
        self.ms += 1
        rand = self.rng.getrandbits(74)
        value = (self.ms << 80) | (0x7 << 76) | ((rand >> 62) << 64) | (0b10 << 62) | (rand & ((1 << 62) - 1))
        return uuid.UUID(int=value)


def cnpj(rng: random.Random) -> str:
    base = [int(c) for c in f"{rng.randrange(10**7, 10**8)}0001"]
    for weights in ((5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2), (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)):
        rest = sum(d * w for d, w in zip(base, weights, strict=True)) % 11
        base.append(0 if rest < 2 else 11 - rest)
    return "".join(map(str, base))


def customer_rows(
    tenant: uuid.UUID, n: int, rng: random.Random, ids: Ids, out: list[uuid.UUID]
) -> Iterator[tuple]:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(1, n + 1):
        cid = ids.next()
        out.append(cid)
        name = f"{rng.choice(KINDS)} {rng.choice(PLACES)} {rng.choice(SURNAMES)}"
        legal = f"{name} Ltda"
        yield (
            tenant, cid, name, legal, fold(f"{name} {legal}")[:200], cnpj(rng), "BR",
            f"financeiro{i}@cliente{i}.com.br", None, rng.choice(SEGMENTS), rng.choice(REGIONS),
            None, rng.choice(STATUSES), f"CLI-{i:07d}", None, now, now,
        )  # fmt: skip


def invoice_rows(
    tenant: uuid.UUID, n: int, customers: list[uuid.UUID], rng: random.Random, ids: Ids
) -> Iterator[tuple]:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(1, n + 1):
        due = TODAY - timedelta(days=rng.randint(-60, 720))
        issue = due - timedelta(days=rng.choice((14, 28, 30, 45, 60)))
        amount = rng.randint(5_000, 5_000_000)
        roll = rng.random()
        if roll < 0.3:
            open_minor, status = 0, "paid"
        elif roll < 0.38:
            open_minor, status = amount // 2, "partially_paid"
        else:
            open_minor, status = amount, "open"
        yield (
            tenant, ids.next(), rng.choice(customers), f"NF-{i:08d}", issue, due, "BRL", amount,
            open_minor, status, None, None, now, now,
        )  # fmt: skip


async def ensure_database(owner_url: str, reset: bool) -> None:
    url = make_url(owner_url)
    admin = await asyncpg.connect(url.set(database="postgres").render_as_string(False))
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", url.database)
        if exists and reset:
            await admin.execute(f'DROP DATABASE "{url.database}" WITH (FORCE)')
            exists = False
        if not exists:
            await admin.execute(f'CREATE DATABASE "{url.database}"')
    finally:
        await admin.close()


def migrate(owner_url: str) -> None:
    from pathlib import Path

    from app.adapters.db.migrate import upgrade
    from app.settings import Settings

    settings = Settings(
        var_dir=Path(tempfile.gettempdir()) / "cobalto-bench",
        database_url=sa_async(app_url(owner_url)),
        migration_database_url=sa_async(owner_url),
        broker_url="",
        secret_key="bench",
    )
    upgrade(settings)


async def load(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    conn = await asyncpg.connect(args.url)
    rng = random.Random(args.seed)
    ids = Ids(rng)
    try:
        if await conn.fetchval("SELECT 1 FROM tenants WHERE slug = $1", BIG_TENANT_SLUG):
            emit(step="skip", reason="dataset already loaded; use --reset to rebuild")
            return
        tenants = [(BIG_TENANT_SLUG, args.customers, args.invoices)]
        tenants += [(f"bench-small-{k}", args.customers // 100, args.invoices // 100) for k in range(1, 10)]
        now = datetime.now(UTC)
        for slug, n_customers, n_invoices in tenants:
            t0 = time.perf_counter()
            tenant_id = ids.next()
            await conn.execute(
                "INSERT INTO tenants (id, slug, name, currency, locale, timezone, settings, created_at, updated_at)"
                " VALUES ($1, $2, $3, 'BRL', 'pt-BR', 'America/Cuiaba', '{}', $4, $4)",
                tenant_id, slug, f"Tenant {slug}", now,
            )  # fmt: skip
            customers: list[uuid.UUID] = []
            await conn.copy_records_to_table(
                "customers",
                records=customer_rows(tenant_id, n_customers, rng, ids, customers),
                columns=CUSTOMER_COLUMNS,
            )
            t1 = time.perf_counter()
            await conn.copy_records_to_table(
                "invoices",
                records=invoice_rows(tenant_id, n_invoices, customers, rng, ids),
                columns=INVOICE_COLUMNS,
            )
            t2 = time.perf_counter()
            emit(
                step="tenant", slug=slug, customers=n_customers, invoices=n_invoices,
                customers_s=round(t1 - t0, 2), invoices_s=round(t2 - t1, 2),
                invoices_per_s=round(n_invoices / (t2 - t1)),
            )  # fmt: skip
        t3 = time.perf_counter()
        await conn.execute("ANALYZE")
        emit(step="analyze", seconds=round(time.perf_counter() - t3, 2))
    finally:
        await conn.close()
    emit(step="total", seconds=round(time.perf_counter() - started, 2), app_role=APP_ROLE)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=OWNER_URL, help="owner URL of the bench database")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reset", action="store_true", help="drop and recreate the bench database")
    args = parser.parse_args()
    started = time.perf_counter()
    asyncio.run(ensure_database(args.url, args.reset))
    migrate(args.url)  # Alembic runs its own event loop: outside ours
    emit(step="schema", seconds=round(time.perf_counter() - started, 2))
    asyncio.run(load(args))


if __name__ == "__main__":
    main()
