"""OAuth 2.0 client credentials (RFC 6749 §4.4), revocation (RFC 7009) and metadata
(RFC 8414) with Authlib.

Authlib's server classes are synchronous. The async side loads what the request
names (the client, the token to revoke) before calling Authlib in a worker thread,
and persists what Authlib produced afterwards; Authlib itself never touches I/O.
"""

from __future__ import annotations

import asyncio
import base64
import json
import urllib.parse
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from authlib.oauth2.rfc6749 import AuthorizationServer, ClientMixin, OAuth2Request
from authlib.oauth2.rfc6749.errors import InvalidScopeError
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7009 import RevocationEndpoint

from app.adapters.db import platform_queries as pq
from app.adapters.db.base import utcnow
from app.adapters.db.models import OAuthClientRow
from app.adapters.passwords import new_token, secret_matches, token_hash
from app.domain.tenancy.model import OAUTH_SCOPES
from app.server.services import Services


@dataclass
class ClientView(ClientMixin):
    row: OAuthClientRow

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = set(self.row.scopes.split())
        if not scope:
            return " ".join(sorted(allowed))
        return " ".join(s for s in scope.split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return secret_matches(self.row.secret_hash, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in {"client_secret_basic", "client_secret_post"}

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class _Grant(ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


@dataclass
class _Call:
    """Everything one token/revocation call needs, prepared by the async side."""

    client: ClientView | None
    token_to_revoke: str | None = None
    token_known: bool = False
    issued: list[dict[str, Any]] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)


class _Server(AuthorizationServer):
    def __init__(self, call: _Call, ttl: int) -> None:
        super().__init__(scopes_supported=list(OAUTH_SCOPES))
        self.call = call
        self.register_grant(_Grant)
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                access_token_generator=lambda **_: new_token(), expires_generator=lambda *_: ttl
            ),
        )
        self.register_endpoint(_Revocation)

    def query_client(self, client_id: str) -> ClientView | None:
        client = self.call.client
        return client if client is not None and client.get_client_id() == client_id else None

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.call.issued.append(token)

    def validate_requested_scope(self, scope: str | None) -> None:
        # A scope the client was not granted is refused (invalid_scope), never dropped silently.
        super().validate_requested_scope(scope)
        client = self.call.client
        if scope and client is not None:
            granted = set(client.row.scopes.split())
            if not set(scope.split()) <= granted:
                raise InvalidScopeError()

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def handle_response(
        self, status: int, body: Any, headers: list[tuple[str, str]]
    ) -> tuple[int, Any, dict[str, str]]:
        return status, body, dict(headers)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass(frozen=True)
class _KnownToken:
    value: str
    client_id: str

    def check_client(self, client: ClientView) -> bool:
        return client.get_client_id() == self.client_id


class _Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> _KnownToken | None:
        call: _Call = self.server.call
        if call.token_known and call.client is not None and token_string == call.token_to_revoke:
            return _KnownToken(token_string, call.client.get_client_id())
        return None

    def revoke_token(self, token: _KnownToken, request: OAuth2Request) -> None:
        self.server.call.revoked.append(token.value)


def _client_id_from(headers: dict[str, str], form: dict[str, str]) -> str | None:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(auth[6:].strip()).decode()
            return urllib.parse.unquote(decoded.split(":", 1)[0])
        except (ValueError, UnicodeDecodeError):
            return None
    return form.get("client_id")


class _Headers(dict[str, str]):
    """Case-insensitive header lookup (Authlib asks for "Authorization")."""

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())


class _FormRequest(OAuth2Request):
    def __init__(self, uri: str, headers: dict[str, str], form: dict[str, str]) -> None:
        super().__init__("POST", uri, headers=_Headers({k.lower(): v for k, v in headers.items()}))
        self.payload = BasicOAuth2Payload(form)
        self._form = form

    @property
    def form(self) -> dict[str, str]:
        return self._form


def _request(headers: dict[str, str], form: dict[str, str], uri: str) -> OAuth2Request:
    # TLS is terminated at the edge (load balancer / reverse proxy); Authlib's own
    # https check would only see the internal hop, so it is given the public scheme.
    public = "https://" + uri.split("://", 1)[-1]
    return _FormRequest(public, headers, form)


async def _load_client(services: Services, client_id: str | None) -> ClientView | None:
    if not client_id:
        return None
    async with services.sessions() as session:
        row = await pq.get_client(session, client_id)
    return ClientView(row) if row is not None and row.revoked_at is None else None


async def issue_token(
    services: Services, headers: dict[str, str], form: dict[str, str], uri: str
) -> tuple[int, Any, dict[str, str]]:
    call = _Call(client=await _load_client(services, _client_id_from(headers, form)))
    server = _Server(call, services.settings.token_ttl_seconds)
    status, body, out_headers = await asyncio.to_thread(
        server.create_token_response, _request(headers, form, uri)
    )
    if call.issued and call.client is not None:
        token = call.issued[0]
        async with services.sessions() as session:
            await pq.store_token(
                session,
                token_hash(token["access_token"]),
                call.client.row,
                token.get("scope", ""),
                utcnow() + timedelta(seconds=int(token["expires_in"])),
            )
            await session.commit()
    return status, _json(body), out_headers


async def revoke(
    services: Services, headers: dict[str, str], form: dict[str, str], uri: str
) -> tuple[int, Any, dict[str, str]]:
    call = _Call(client=await _load_client(services, _client_id_from(headers, form)))
    raw = form.get("token")
    if raw and call.client is not None:
        async with services.sessions() as session:
            record = await pq.find_token(session, token_hash(raw))
        call.token_to_revoke = raw
        call.token_known = record is not None and record.client_id == call.client.get_client_id()
    server = _Server(call, services.settings.token_ttl_seconds)
    status, body, out_headers = await asyncio.to_thread(
        server.create_endpoint_response, _Revocation.ENDPOINT_NAME, _request(headers, form, uri)
    )
    if call.revoked and call.client is not None:
        async with services.sessions() as session:
            await pq.revoke_token(session, token_hash(call.revoked[0]), call.client.get_client_id())
            await session.commit()
    return status, _json(body), out_headers


def _json(body: Any) -> Any:
    if isinstance(body, str):
        try:
            return json.loads(body)
        except json.JSONDecodeError:
            return {"detail": body}
    return body


def metadata(base_url: str) -> dict[str, Any]:
    return {
        "issuer": base_url,
        "token_endpoint": f"{base_url}/oauth/token",
        "revocation_endpoint": f"{base_url}/oauth/revoke",
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": list(OAUTH_SCOPES),
        "response_types_supported": [],
        "service_documentation": f"{base_url}/schema",
    }
