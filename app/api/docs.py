"""OpenAPI descriptions of the error responses every API operation may return."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.openapi.datastructures import ResponseSpec


class FieldProblem(msgspec.Struct):
    field: str
    message: str


class Problem(msgspec.Struct):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = None


def _spec(description: str) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem, description=description, media_type="application/problem+json"
    )


_ALL: dict[int, ResponseSpec] = {
    400: _spec("Malformed request (e.g. the body is not valid JSON)"),
    401: _spec("Missing, invalid, expired or revoked access token"),
    403: _spec("The token lacks the scope this operation needs"),
    404: _spec("No such resource in your tenant"),
    409: _spec("Conflicts with an existing resource (duplicate number or external_ref)"),
    413: _spec("Request body too large"),
    422: _spec("Invalid, unknown or read-only fields"),
    429: _spec("Too many requests; retry after the Retry-After header"),
}


def problems(*codes: int) -> dict[int, ResponseSpec]:
    return {code: _ALL[code] for code in codes}


READ: dict[int, Any] = problems(401, 403, 422)
READ_ONE: dict[int, Any] = problems(401, 403, 404)
CREATE: dict[int, Any] = problems(400, 401, 403, 409, 413, 422)
UPDATE: dict[int, Any] = problems(400, 401, 403, 404, 409, 413, 422)
