"""The floor for the HTTP benchmark: a bare Litestar app, no auth, no ORM, running the
same SQL as Cobalto through an asyncpg pool, inside a transaction that sets
``app.tenant_id`` (so RLS applies as for the app role), returning the same JSON shape.

    BENCH_DB_URL=postgresql://cobalto_bench_app@127.0.0.1/cobalto_bench BENCH_TENANT_ID=<uuid> \
        .venv/bin/uvicorn bench.floor_app:app --workers 2 --port 8602
"""

from __future__ import annotations

import os
import unicodedata
from decimal import Decimal
from typing import Any

import asyncpg
from litestar import Litestar, get

INVOICES_SQL = """
SELECT id, customer_id, number, issue_date, due_date, amount_minor, currency, open_minor, status,
       external_ref, description, created_at, updated_at
FROM invoices WHERE tenant_id = $1 AND customer_id = $2
ORDER BY due_date, id LIMIT $3
"""
CUSTOMERS_SQL = """
SELECT id, name, legal_name, tax_id, country, email, phone, segment, region, sales_rep, status,
       external_ref, created_at, updated_at
FROM customers WHERE tenant_id = $1 AND (search_name LIKE $2 ESCAPE '\\' OR external_ref = $3)
ORDER BY id LIMIT $4
"""
_pool: asyncpg.Pool | None = None
TENANT = os.environ.get("BENCH_TENANT_ID", "")


async def _start() -> None:
    global _pool
    _pool = await asyncpg.create_pool(
        os.environ["BENCH_DB_URL"], min_size=10, max_size=20, server_settings={"jit": "off"}
    )


async def _stop() -> None:
    if _pool is not None:
        await _pool.close()


async def _fetch(sql: str, *args: Any) -> list[asyncpg.Record]:
    assert _pool is not None
    async with _pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT set_config('app.tenant_id', $1, true)", TENANT)
        return list(await conn.fetch(sql, *args))


def _money(minor: int) -> str:
    return str(Decimal(minor).scaleb(-2))


@get("/api/v1/invoices")
async def invoices(customer_id: str, limit: int = 25) -> dict[str, Any]:
    rows = await _fetch(INVOICES_SQL, TENANT, customer_id, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        {
            "id": str(r["id"]),
            "customer_id": str(r["customer_id"]),
            "number": r["number"],
            "issue_date": r["issue_date"].isoformat(),
            "due_date": r["due_date"].isoformat(),
            "amount": _money(r["amount_minor"]),
            "currency": r["currency"],
            "open_amount": _money(r["open_minor"]),
            "status": r["status"],
            "external_ref": r["external_ref"],
            "description": r["description"],
            "created_at": r["created_at"].isoformat(),
            "updated_at": r["updated_at"].isoformat(),
        }
        for r in rows
    ]
    cursor = f"{rows[-1]['due_date'].isoformat()}|{rows[-1]['id']}" if more and rows else None
    return {"items": items, "next_cursor": cursor}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@get("/api/v1/customers")
async def customers(q: str, limit: int = 25) -> dict[str, Any]:
    term = _fold(q.strip()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = await _fetch(CUSTOMERS_SQL, TENANT, f"%{term}%", q.strip(), limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        {
            **{k: r[k] for k in ("name", "legal_name", "tax_id", "country", "email", "phone", "segment")},
            **{k: r[k] for k in ("region", "sales_rep", "status", "external_ref")},
            "id": str(r["id"]),
            "created_at": r["created_at"].isoformat(),
            "updated_at": r["updated_at"].isoformat(),
        }
        for r in rows
    ]
    return {"items": items, "next_cursor": str(rows[-1]["id"]) if more and rows else None}


app = Litestar([invoices, customers], on_startup=[_start], on_shutdown=[_stop])
