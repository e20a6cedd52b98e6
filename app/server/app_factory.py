"""``create_app``: the Litestar application both HTTP drivers plug their routes into."""

from __future__ import annotations

import gc
import itertools
import re
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.enums import ScopeType
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, OAuthFlow, OAuthFlows, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.domain.tenancy.model import OAUTH_SCOPES
from app.server.auth import AuthMiddleware, TokenCache
from app.server.problems import EXCEPTION_HANDLERS
from app.server.services import Services

# Paths that authenticate themselves or need no principal.
PUBLIC_PATHS = [
    "^/oauth/",
    "^/\\.well-known/",
    "^/health",
    "^/schema",
    "^/static/",
    "^/login",
    "^/logout",
    "^/invite/",
    "^/favicon.ico",
    "^/webhooks/in/",
    "^/portal/",
]


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Give every request an id (or keep the caller's), echo it, and expose it to audit."""
    # A random per-process prefix and a counter: as unique as uuid4().hex (32 hex digits)
    # without a getrandom() call on every request of the hot path.
    prefix, counter = uuid.uuid4().hex[:16], itertools.count()

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"")
        rid = given.decode("latin-1")[:64]
        if not given:
            rid = f"{prefix}{next(counter) & 0xFFFFFFFFFFFFFFFF:016x}"
            scope["headers"] = [*scope["headers"], (b"x-request-id", rid.encode())]
        echo = (b"x-request-id", rid.encode("latin-1"))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), echo]
            await send(message)

        await app(scope, receive, send_with_id)

    return middleware


def options_middleware(app: ASGIApp) -> ASGIApp:
    """Answer OPTIONS with every method the path supports.

    Litestar's generated OPTIONS handler lists only the methods of one of the handlers
    sharing a path (GET and POST on a collection, say); clients and schemathesis read
    ``Allow`` to learn what a resource supports, so it is computed from the route map.
    """
    patterns: list[tuple[re.Pattern[str], str]] = []

    def allow_for(litestar: Litestar, path: str) -> str | None:
        if not patterns:
            # Literal paths first: /imports/customers must not match /imports/{import_id}.
            templates = sorted(litestar.route_handler_method_map.items(), key=lambda kv: kv[0].count("{"))
            for template, methods in templates:
                regex = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template))
                patterns.append((re.compile(f"^{regex}/?$"), ", ".join(sorted(methods))))
        return next((allow for rx, allow in patterns if rx.match(path)), None)

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope["method"] == "OPTIONS":
            allow = allow_for(scope["app"], scope["path"])
            if allow is not None:
                await send(
                    {"type": "http.response.start", "status": 204, "headers": [(b"allow", allow.encode())]}
                )
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
        await app(scope, receive, send)

    return middleware


def freeze_startup_heap() -> None:
    """Move what startup built (routes, schemas, SQLAlchemy metadata, ~170k objects) out
    of the garbage collector's reach.

    Those objects live as long as the process, yet every full collection walked them
    all: a pause of 100-400 ms that stalled every request in flight, the p99 at 64
    connections. Garbage from startup is collected first so nothing leaks into the
    frozen generation.
    """
    gc.collect()
    gc.freeze()


def openapi_config() -> OpenAPIConfig:
    scopes = {s: s.replace(":", " ") for s in OAUTH_SCOPES}
    return OpenAPIConfig(
        title="Cobalto API",
        version="1.0.0",
        description="Credit and collections API. Authenticate with OAuth2 client credentials.",
        path="/schema",
        render_plugins=[SwaggerRenderPlugin()],
        components=Components(
            security_schemes={
                "oauth2": SecurityScheme(
                    type="oauth2",
                    flows=OAuthFlows(client_credentials=OAuthFlow(token_url="/oauth/token", scopes=scopes)),
                ),
                "basicAuth": SecurityScheme(type="http", scheme="basic"),
            }
        ),
    )


def create_app(
    services: Services,
    route_handlers: Sequence[Any],
    *,
    template_dir: Path | None = None,
    static_dir: Path | None = None,
    on_startup: Sequence[Callable[[], Awaitable[None] | None]] = (),
    on_shutdown: Sequence[Callable[[], Awaitable[None] | None]] = (),
    template_callables: dict[str, Callable[..., Any]] | None = None,
) -> Litestar:
    handlers = list(route_handlers)
    if static_dir is not None:
        handlers.append(create_static_files_router(path="/static", directories=[static_dir], name="static"))
    template_config = None
    if template_dir is not None:

        def engine_callback(engine: JinjaTemplateEngine) -> None:
            for name, fn in (template_callables or {}).items():
                engine.engine.globals[name] = fn

        template_config = TemplateConfig(
            directory=template_dir, engine=JinjaTemplateEngine, engine_callback=engine_callback
        )
    auth = DefineMiddleware(AuthMiddleware, exclude=PUBLIC_PATHS)
    app = Litestar(
        route_handlers=handlers,
        middleware=[request_id_middleware, options_middleware, auth],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi_config(),
        template_config=template_config,
        csrf_config=CSRFConfig(
            secret=services.settings.secret_key,
            cookie_name="cobalto_csrf",
            cookie_secure=services.settings.secure_cookies,
            cookie_samesite="lax",
            header_name="x-csrftoken",
            exclude=["/api/", "/oauth/", "/webhooks/in/", "/schema"],
        ),
        state=State({"services": services, "token_cache": TokenCache()}),
        on_startup=[*on_startup, freeze_startup_heap],
        on_shutdown=list(on_shutdown),
        request_max_body_size=services.settings.max_body_bytes,
        debug=services.settings.debug,
    )
    close_request_bodies(app)
    document_problems(app)
    return app


# What any API operation may answer besides its success: the authentication layer,
# the guards, validation and the body limit apply to every route, so every route says so.
_COMMON_PROBLEMS = {
    "400": "Malformed request",
    "401": "Missing, invalid, expired or revoked access token",
    "403": "The token lacks the scope this operation needs",
    "413": "Request body too large",
    "415": "Unsupported media type",
    "422": "Invalid, unknown or read-only fields",
    "429": "Too many requests; retry after the Retry-After header",
}


def document_problems(app: Litestar) -> None:
    """Add the problem+json responses every API operation can give to the schema."""
    from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, Reference, Schema

    schema = app.openapi_schema
    problem_ref: Reference | Schema = (
        Reference(ref="#/components/schemas/Problem")
        if schema.components is not None
        and schema.components.schemas
        and "Problem" in schema.components.schemas
        else Schema(type="object")  # type: ignore[arg-type]
    )
    for path, item in (schema.paths or {}).items():
        if not path.startswith("/api/"):
            continue
        for method in ("get", "post", "put", "patch", "delete"):
            operation = getattr(item, method, None)
            if operation is None:
                continue
            responses = operation.responses if operation.responses is not None else {}
            codes = dict(_COMMON_PROBLEMS)
            # An id in the path, or one given as a filter, that the tenant does not have.
            codes["404"] = "No such resource in your tenant"
            if method in {"post", "put", "patch"}:
                codes["409"] = "Conflicts with an existing resource"
            for code, description in codes.items():
                existing = responses.get(code)
                if existing is None:
                    responses[code] = OpenAPIResponse(
                        description=description,
                        content={"application/problem+json": OpenAPIMediaType(schema=problem_ref)},
                    )
                elif isinstance(existing, OpenAPIResponse):
                    # Errors are always problem+json, whatever the handler declared.
                    content = dict(existing.content or {})
                    content.setdefault("application/problem+json", OpenAPIMediaType(schema=problem_ref))
                    existing.content = content
            operation.responses = responses


def close_request_bodies(app: Litestar) -> None:
    """Mark request bodies that refuse unknown fields with ``additionalProperties: false``.

    msgspec structs declared with ``forbid_unknown_fields`` reject extra keys with a 422;
    Litestar's generator does not say so, and a schema must be true to its server.
    """
    schema = app.openapi_schema
    if schema.components is None or not schema.components.schemas:
        return
    strict = {_schema_name(t) for t in _forbidding_structs(app)}
    for name, component in schema.components.schemas.items():
        if name in strict:
            component.additional_properties = False


def _schema_name(struct: type) -> str:
    return struct.__name__


def _forbidding_structs(app: Litestar) -> set[type]:
    import msgspec

    found: set[type] = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for field in handler.parsed_fn_signature.parameters.values():
                annotation = field.annotation
                if (
                    isinstance(annotation, type)
                    and issubclass(annotation, msgspec.Struct)
                    and annotation.__struct_config__.forbid_unknown_fields
                ):
                    found.add(annotation)
    return found
