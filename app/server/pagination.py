"""Opaque keyset cursors: the last row's sort key, base64url-encoded JSON."""

from __future__ import annotations

import base64
import json
from typing import Any

from app.domain.shared.errors import FieldError, ValidationFailed


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, default=str, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, json.JSONDecodeError) as exc:
        raise ValidationFailed([FieldError("cursor", "is not a valid cursor")]) from exc
    if not isinstance(values, list) or len(values) != arity:
        raise ValidationFailed([FieldError("cursor", "is not a valid cursor")])
    return values
