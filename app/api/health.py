"""GET /health: the state of the database and the broker, for load balancers and operators."""

from __future__ import annotations

import time
from typing import Any

from litestar import Request, Response, get
from sqlalchemy import text

from app.server.services import Services


async def _database(services: Services) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        async with services.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        return {"status": "down", "error": type(exc).__name__}
    return {
        "status": "up",
        "dialect": services.engine.dialect.name,
        "latency_ms": round((time.perf_counter() - started) * 1000, 2),
    }


def _broker(services: Services) -> dict[str, Any]:
    probe = services.extras.get("broker_probe")
    if callable(probe):
        return dict(probe())
    return {"status": "up", "kind": "embedded"}


@get("/health", tags=["health"], summary="Service health", exclude_from_auth=True, security=[])
async def health(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    services: Services = request.app.state.services
    db = await _database(services)
    broker = _broker(services)
    ok = db["status"] == "up" and broker["status"] == "up"
    body = {"status": "ok" if ok else "degraded", "database": db, "broker": broker}
    return Response(body, status_code=200 if ok else 503)
