"""OAuth endpoints for partner systems: token, revocation and server metadata."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import URLEncodedBody

from app.server import oauth_server
from app.server.ratelimit import client_ip, enforce
from app.server.services import Services

# The token and revocation endpoints take form fields (RFC 6749 §4.4, RFC 7009).
Form = URLEncodedBody[dict[str, str]]


def _headers(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {k.lower(): v for k, v in request.headers.items()}


@post(
    "/oauth/token",
    tags=["oauth"],
    summary="Get an access token (client credentials)",
    description=(
        "RFC 6749 §4.4. Authenticate with HTTP Basic (client_id:client_secret) or with "
        "`client_id` and `client_secret` form fields. Tokens live at most one hour."
    ),
    status_code=200,
    exclude_from_auth=True,
    security=[{"basicAuth": []}],
)
async def token(request: Request[Any, Any, Any], data: Form) -> Response[Any]:
    services: Services = request.app.state.services
    await enforce(services, "token", client_ip(request), services.settings.token_rate_per_minute)
    form = {k: v for k, v in data.items() if isinstance(v, str)}
    status, body, headers = await oauth_server.issue_token(
        services, _headers(request), form, str(request.url)
    )
    headers.update({"Cache-Control": "no-store", "Pragma": "no-cache"})
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Basic realm="cobalto"')
    return Response(body, status_code=status, headers=headers)


@post(
    "/oauth/revoke",
    tags=["oauth"],
    summary="Revoke an access token (RFC 7009)",
    status_code=200,
    exclude_from_auth=True,
    security=[{"basicAuth": []}],
)
async def revoke(request: Request[Any, Any, Any], data: Form) -> Response[Any]:
    services: Services = request.app.state.services
    await enforce(services, "token", client_ip(request), services.settings.token_rate_per_minute)
    form = {k: v for k, v in data.items() if isinstance(v, str)}
    status, body, headers = await oauth_server.revoke(services, _headers(request), form, str(request.url))
    cache = request.app.state.token_cache
    if status == 200 and form.get("token"):
        from app.adapters.passwords import token_hash

        cache.drop(token_hash(form["token"]))
    return Response(body or {}, status_code=status, headers=headers)


@get(
    "/.well-known/oauth-authorization-server",
    tags=["oauth"],
    summary="Authorization server metadata (RFC 8414)",
    exclude_from_auth=True,
    security=[],
)
async def server_metadata(request: Request[Any, Any, Any]) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    return oauth_server.metadata(base)
