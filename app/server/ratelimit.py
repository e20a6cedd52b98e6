"""Fixed-window rate limits stored in the database, so every API process shares them."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import TooManyRequestsException

from app.adapters.db import platform_queries as pq
from app.server.services import Services

WINDOW_SECONDS = 60


def client_ip(request: Request[Any, Any, Any]) -> str:
    client = request.client
    return client.host if client else "unknown"


async def enforce(services: Services, bucket: str, key: str, per_minute: int) -> None:
    async with services.sessions() as session:
        count, reset = await pq.hit_rate_limit(session, f"{bucket}:{key}", WINDOW_SECONDS)
        await session.commit()
    if count > per_minute:
        raise TooManyRequestsException(
            f"Too many attempts. Try again in {reset} seconds.", headers={"Retry-After": str(max(reset, 1))}
        )
