"""Domain events and the unit-of-work port every use case runs in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from app.domain.shared.ids import new_id


@dataclass(frozen=True, slots=True)
class DomainEvent:
    type: str
    data: dict[str, Any]
    id: uuid.UUID = field(default_factory=new_id)


class AuditTrail(Protocol):
    def audit(
        self,
        action: str,
        entity: str,
        entity_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        reason: str | None = None,
    ) -> None: ...


class EventRecorder(Protocol):
    def record(self, event: DomainEvent) -> None: ...


class UnitOfWorkBase(AuditTrail, EventRecorder, Protocol):
    """What a use case may rely on besides its repositories."""

    def now(self) -> datetime: ...

    @property
    def actor(self) -> str: ...
