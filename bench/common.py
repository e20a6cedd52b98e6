"""Shared by the benchmark scripts: the bench database's URLs and JSON-line output."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
# The owner (migrations, COPY) and the application role that owns nothing (RLS applies).
OWNER_URL = os.environ.get("BENCH_OWNER_URL", "postgresql://postgres@127.0.0.1:5432/cobalto_bench")
APP_ROLE = os.environ.get("BENCH_APP_ROLE", "cobalto_bench_app")
BIG_TENANT_SLUG = "bench-big"


def app_url(owner_url: str = OWNER_URL) -> str:
    from sqlalchemy.engine import make_url

    return make_url(owner_url).set(username=APP_ROLE, password=None).render_as_string(False)


def sa_async(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


def emit(**fields: Any) -> None:
    print(json.dumps(fields, default=str), flush=True)


def cobalto_env(var_dir: Path, owner_url: str = OWNER_URL) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "COBALTO_DATABASE_URL": sa_async(app_url(owner_url)),
            "COBALTO_MIGRATION_DATABASE_URL": sa_async(owner_url),
            "COBALTO_VAR_DIR": str(var_dir),
            "COBALTO_TOKEN_RATE_PER_MINUTE": "100000",
        }
    )
    return env


def wait_http(url: str, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    sys.exit(f"server at {url} did not start")


async def discard_stale_bench_events(owner_url: str = OWNER_URL) -> int:
    """Mark relayed the events earlier runs left pending: import runs (their server
    stopped before relaying ~100k ``invoice.created`` events), bank-return runs (a
    100k-title return commits ~240k events, and the run ends at the file's ``processed``
    while the relay is still behind) and the bank-return floor (it writes the events and
    relays none). Any Cobalto server started on the bench database would otherwise
    spend the next minutes relaying them, in the middle of whatever is being measured."""
    import asyncpg

    conn = await asyncpg.connect(owner_url)
    try:
        status = await conn.execute(
            "UPDATE outbox SET relayed_at = now() WHERE relayed_at IS NULL"
            " AND tenant_id IN (SELECT id FROM tenants WHERE slug LIKE 'bench-import-%'"
            " OR slug LIKE 'bench-bank-%')"
        )
    finally:
        await conn.close()
    return int(status.split()[-1])
