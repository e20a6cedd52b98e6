"""HTTP API benchmark: Cobalto (2 uvicorn processes, app role under RLS, OAuth bearer)
against its floor (``bench/floor_app.py``, 2 processes, same SQL), side by side.

For each endpoint and each concurrency (8 and 64 connections): wrk, 2 threads, a 5 s
warm-up then 15 s measured, with a Lua script picking a random customer id or search
term per request. Prints a JSON line per run and one with the ratios and targets.

Needs the dataset: ``.venv/bin/python -m bench.gen.dataset`` first.

    .venv/bin/python -m bench.http_api [--duration 15] [--warmup 5]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import random
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.common import (
    BIG_TENANT_SLUG,
    OWNER_URL,
    VENV_BIN,
    app_url,
    cobalto_env,
    discard_stale_bench_events,
    emit,
    wait_http,
)

APP_PORT, FLOOR_PORT = 8601, 8602
LUA = """
local ids = {%(ids)s}
local terms = {%(terms)s}
local auth = "%(auth)s"
local kind = "%(kind)s"
math.randomseed(%(seed)d)
request = function()
  local path
  if kind == "invoices" then
    path = "/api/v1/invoices?customer_id=" .. ids[math.random(#ids)]
  else
    path = "/api/v1/customers?q=" .. terms[math.random(#terms)]
  end
  local headers = {}
  if auth ~= "" then headers["Authorization"] = auth end
  return wrk.format("GET", path, headers)
end
"""


async def sample(owner_url: str, seed: int) -> tuple[str, list[str], list[str]]:
    conn = await asyncpg.connect(owner_url)
    try:
        tenant = await conn.fetchval("SELECT id FROM tenants WHERE slug = $1", BIG_TENANT_SLUG)
        if tenant is None:
            raise SystemExit("no bench dataset: run .venv/bin/python -m bench.gen.dataset first")
        ids = [str(r[0]) for r in await conn.fetch(
            "SELECT id FROM customers WHERE tenant_id = $1 ORDER BY md5(id::text || $2) LIMIT 2000", tenant, str(seed)
        )]  # fmt: skip
        names = [r[0] for r in await conn.fetch(
            "SELECT search_name FROM customers WHERE tenant_id = $1 ORDER BY md5(id::text || $2) LIMIT 500",
            tenant, str(seed + 1),
        )]  # fmt: skip
    finally:
        await conn.close()
    rng = random.Random(seed)
    # What a person types to find one customer: two words of its name ("xingu nunes"),
    # URL-encoded for the request line. (A term with digits would also search tax ids.)
    terms = []
    for name in names:
        words = name.split()
        start = rng.randrange(0, max(1, len(words) - 2))
        terms.append("%20".join(words[start : start + 2]))
    return str(tenant), ids, terms


async def new_client(var_dir: Path, tenant_id: str) -> str:
    import uuid

    from app.adapters.db.engine import make_engine, make_sessionmaker
    from app.adapters.db.provisioning import create_client

    engine = make_engine(cobalto_env(var_dir)["COBALTO_DATABASE_URL"])
    try:
        created = await create_client(
            make_sessionmaker(engine), uuid.UUID(tenant_id), name="bench", scopes="customers:read invoices:read",
            created_by="bench",
        )  # fmt: skip
    finally:
        await engine.dispose()
    return base64.b64encode(f"{created.client_id}:{created.client_secret}".encode()).decode()


def bearer(basic: str) -> str:
    response = httpx.post(
        f"http://127.0.0.1:{APP_PORT}/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    response.raise_for_status()
    return f"Bearer {response.json()['access_token']}"


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    assert m, text
    return float(m.group(1)) * _UNITS[m.group(2)]


def wrk(port: int, script: Path, connections: int, seconds: int) -> dict[str, Any]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": round(rps),
        "p50_ms": round(p50, 2),
        "p99_ms": round(p99, 2),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every process in a process group (the server and its workers).

    On a shared machine wall-clock figures move with the neighbours' load; the CPU a
    server spends per request moves far less, so it is reported beside them.
    """
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5: process group
            total += int(fields[11]) + int(fields[12])  # fields 14, 15: utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=OWNER_URL)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--endpoints", default="invoices,customers", help="comma-separated subset")
    args = parser.parse_args()
    endpoints = [e for e in args.endpoints.split(",") if e in ("invoices", "customers")]
    tenant, ids, terms = asyncio.run(sample(args.url, args.seed))
    emit(step="discarded_stale_events", count=asyncio.run(discard_stale_bench_events(args.url)))
    var_dir = Path(tempfile.mkdtemp(prefix="cobalto-bench-http-"))
    env = cobalto_env(var_dir, args.url)
    app = start([str(VENV_BIN / "cobalto"), "serve", "--workers", "2", "--port", str(APP_PORT)], env)
    floor_env = {**os.environ, "BENCH_DB_URL": app_url(args.url), "BENCH_TENANT_ID": tenant}
    floor = start(
        [str(VENV_BIN / "uvicorn"), "bench.floor_app:app", "--workers", "2", "--port", str(FLOOR_PORT),
         "--log-level", "warning", "--no-access-log"],
        floor_env,
    )  # fmt: skip
    try:
        wait_http(f"http://127.0.0.1:{APP_PORT}/health")
        wait_http(f"http://127.0.0.1:{FLOOR_PORT}/api/v1/customers?q=x")
        auth = bearer(asyncio.run(new_client(var_dir, tenant)))
        results: dict[tuple[str, str, int], dict[str, Any]] = {}
        for kind in endpoints:
            scripts = {}
            for target, header in (("cobalto", auth), ("floor", "")):
                script = var_dir / f"{kind}-{target}.lua"
                script.write_text(LUA % {
                    "ids": ",".join(f'"{i}"' for i in ids), "terms": ",".join(f'"{t}"' for t in terms),
                    "auth": header, "kind": kind, "seed": args.seed,
                })  # fmt: skip
                scripts[target] = script
            for connections in (8, 64):
                for target, port, proc in (("cobalto", APP_PORT, app), ("floor", FLOOR_PORT, floor)):
                    wrk(port, scripts[target], connections, args.warmup)
                    cpu_before = group_cpu_seconds(proc.pid)
                    result = wrk(port, scripts[target], connections, args.duration)
                    cpu = group_cpu_seconds(proc.pid) - cpu_before
                    result["cpu_ms_per_req"] = round(cpu * 1000 / max(result["rps"] * args.duration, 1), 3)
                    results[(kind, target, connections)] = result
                    emit(bench="http", endpoint=kind, target=target, connections=connections, **result)
        for kind in endpoints:
            for connections in (8, 64):
                app_r, floor_r = (
                    results[(kind, "cobalto", connections)],
                    results[(kind, "floor", connections)],
                )
                throughput = app_r["rps"] / max(floor_r["rps"], 1)
                p99_ratio = app_r["p99_ms"] / max(floor_r["p99_ms"], 0.001)
                cpu_ratio = app_r["cpu_ms_per_req"] / max(floor_r["cpu_ms_per_req"], 0.001)
                emit(
                    bench="http_ratio", endpoint=kind, connections=connections,
                    throughput_vs_floor=round(throughput, 2), p99_vs_floor=round(p99_ratio, 2),
                    cpu_per_req_vs_floor=round(cpu_ratio, 2),
                    throughput_ok=throughput >= 0.5,
                    p99_ok=(app_r["p99_ms"] <= 25) if connections == 8 else (p99_ratio <= 2.0),
                )  # fmt: skip
    finally:
        stop(app)
        stop(floor)
        time.sleep(0.5)


if __name__ == "__main__":
    main()
