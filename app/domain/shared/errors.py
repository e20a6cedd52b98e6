"""Domain errors. Drivers map them to problem+json (API) or readable messages (web)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    """Base for errors a user can act on."""

    title = "Request could not be processed"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    title = "Not found"


class Conflict(DomainError):
    """A clash with an existing record; ``field`` names the clashing field when one does,
    so forms can show the message next to it."""

    title = "Conflict"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.field = field


class PermissionDenied(DomainError):
    title = "Forbidden"


@dataclass
class ValidationFailed(DomainError):
    errors: list[FieldError] = field(default_factory=list)
    detail: str = "One or more fields are invalid."

    def __post_init__(self) -> None:
        DomainError.__init__(self, self.detail)

    title = "Validation failed"
