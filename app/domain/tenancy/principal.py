"""The authenticated principal and its tenant.

``TenantId`` can only be minted with the capability object held by the
authentication layer (``app.server.auth``) and the trusted CLI/job entry points.
Repositories demand a ``TenantId``, so a tenant taken from a path, a query or a
body cannot reach the data layer by accident. A test checks who uses the key.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.tenancy.model import Permission


class _MintKey:
    __slots__ = ()


MINT_KEY = _MintKey()


class TenantId:
    __slots__ = ("_value",)

    def __init__(self, value: uuid.UUID, *, key: _MintKey) -> None:
        if key is not MINT_KEY:
            raise PermissionError("TenantId can only be minted by the authentication layer")
        self._value = value

    @property
    def value(self) -> uuid.UUID:
        return self._value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TenantId) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return f"TenantId({self._value})"

    def __str__(self) -> str:
        return str(self._value)


class ActorKind(StrEnum):
    USER = "user"
    CLIENT = "client"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Principal:
    tenant: TenantId
    actor_kind: ActorKind
    actor_id: uuid.UUID | None
    actor_label: str
    permissions: frozenset[Permission] = field(default_factory=frozenset)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def actor(self) -> str:
        return f"{self.actor_kind.value}:{self.actor_id or self.actor_label}"
