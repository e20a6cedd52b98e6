"""Errors as RFC 9457 problem+json for the API; web paths get readable pages instead."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from app.domain.shared.errors import (
    Conflict,
    DomainError,
    FieldError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)

log = logging.getLogger("cobalto.errors")
PROBLEM = "application/problem+json"
TYPE_BASE = "https://docs.cobalto.app/problems/"

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Validation failed",
    429: "Too many requests",
    500: "Internal server error",
}


def problem(
    status: int,
    detail: str,
    *,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    kind: str | None = None,
) -> Response[dict[str, Any]]:
    title = _TITLES.get(status, "Error")
    body: dict[str, Any] = {
        "type": TYPE_BASE + (kind or title.lower().replace(" ", "-")),
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    return Response(body, status_code=status, media_type=PROBLEM, headers=headers)


def _is_api(request: Request[Any, Any, Any]) -> bool:
    path = request.scope["path"]
    return path.startswith(("/api/", "/oauth/", "/webhooks/", "/health", "/.well-known/"))


def _validation_errors(exc: ValidationException) -> list[FieldError]:
    errors: list[FieldError] = []
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if isinstance(item, dict):
            key = str(item.get("key") or item.get("source") or "body")
            message = str(item.get("message") or "is invalid")
            errors.append(FieldError(key, message))
    if not errors:
        errors.append(FieldError("body", exc.detail or "is invalid"))
    return errors


def _field_from_msgspec(message: str) -> FieldError:
    # msgspec says e.g. "Object contains unknown field `tenant_id` - at `$`" or
    # "Expected `str`, got `int` - at `$.name`".
    field = "body"
    if "unknown field `" in message:
        field = message.split("unknown field `", 1)[1].split("`", 1)[0]
    elif "at `$." in message:
        field = message.split("at `$.", 1)[1].rstrip("`").split("`", 1)[0]
    elif "required field `" in message:
        field = message.split("required field `", 1)[1].split("`", 1)[0]
    return FieldError(field, message.split(" - at ", 1)[0])


def validation_handler(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = _validation_errors(exc)
    refined: list[FieldError] = []
    for e in errors:
        refined.append(_field_from_msgspec(e.message) if e.field in {"body", "data"} else e)
    if any("Malformed" in e.message or "JSON is malformed" in e.message for e in refined):
        return problem(400, "The request body is not valid JSON.", errors=refined, kind="malformed-json")
    return problem(422, "One or more fields are invalid.", errors=refined)


def domain_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if not _is_api(request):
        status = {NotFound: 404, Conflict: 409, PermissionDenied: 403, ValidationFailed: 422}.get(
            type(exc), 400
        )
        return _web_error(request, status, exc.detail)
    if isinstance(exc, ValidationFailed):
        return problem(422, exc.detail, errors=exc.errors)
    if isinstance(exc, NotFound):
        return problem(404, exc.detail)
    if isinstance(exc, Conflict):
        return problem(409, exc.detail)
    if isinstance(exc, PermissionDenied):
        return problem(403, exc.detail)
    return problem(400, exc.detail)


def http_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if not _is_api(request):
        if isinstance(exc, NotAuthorizedException):
            target = request.url.path
            login = "/login" + (f"?next={target}" if target not in {"/", "/login"} else "")
            if request.headers.get("hx-request"):
                return Response(b"", status_code=204, headers={"HX-Redirect": login})
            return Redirect(login)
        return _web_error(request, status, exc.detail)
    headers = dict(exc.headers or {})
    if isinstance(exc, NotAuthorizedException):
        headers.setdefault("WWW-Authenticate", 'Bearer realm="cobalto"')
    detail = exc.detail if exc.detail and exc.detail != _TITLES.get(status) else _TITLES.get(status, "Error")
    if isinstance(exc, PermissionDeniedException) and not exc.detail:
        detail = "You do not have permission for this."
    return problem(status, detail, headers=headers or None)


def internal_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if not _is_api(request):
        return _web_error(request, 500, "Something went wrong on our side. The team has been notified.")
    return problem(HTTP_500_INTERNAL_SERVER_ERROR, "An unexpected error occurred.")


def _web_error(request: Request[Any, Any, Any], status: int, detail: str) -> Response[Any]:
    from litestar.response import Template

    title = _TITLES.get(status, "Error")
    try:
        return Template(
            "error.html", context={"status": status, "title": title, "detail": detail}, status_code=status
        )
    except Exception:  # pragma: no cover - template engine missing in API-only apps
        return Response(f"{status} {title}: {detail}", status_code=status, media_type="text/plain")


def overflow_handler(request: Request[Any, Any, Any], exc: OverflowError) -> Response[Any]:
    # Date arithmetic on an extreme date a client sent (e.g. as_of=0001-01-01).
    if not _is_api(request):
        return _web_error(request, 422, "A date or number is out of the supported range.")
    return problem(422, "A date or number is out of the supported range.", errors=[])


EXCEPTION_HANDLERS: dict[Any, Any] = {
    OverflowError: overflow_handler,
    ValidationException: validation_handler,
    DomainError: domain_handler,
    HTTPException: http_handler,
    Exception: internal_handler,
}
