"""Tenants, roles, permissions and the authenticated principal."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    TENANT_ADMIN = "tenant_admin"
    CREDIT_MANAGER = "credit_manager"
    CREDIT_ANALYST = "credit_analyst"
    COLLECTOR = "collector"
    FINANCE = "finance"
    SALES = "sales"
    AUDITOR = "auditor"


class Permission(StrEnum):
    CUSTOMERS_READ = "customers:read"
    CUSTOMERS_WRITE = "customers:write"
    INVOICES_READ = "invoices:read"
    INVOICES_WRITE = "invoices:write"
    WEBHOOKS_READ = "webhooks:read"
    WEBHOOKS_WRITE = "webhooks:write"
    IMPORTS_WRITE = "imports:write"
    USERS_MANAGE = "users:manage"
    CLIENTS_MANAGE = "clients:manage"
    AUDIT_READ = "audit:read"
    AUDIT_EXPORT = "audit:export"
    PAYMENTS_READ = "payments:read"
    PAYMENTS_WRITE = "payments:write"
    BANK_FILES_READ = "bank_files:read"
    BANK_FILES_WRITE = "bank_files:write"
    REPORTS_READ = "reports:read"
    APPROVALS_DECIDE = "approvals:decide"
    SETTINGS_MANAGE = "settings:manage"


_P = Permission
_READ_ALL = frozenset(
    {_P.CUSTOMERS_READ, _P.INVOICES_READ, _P.PAYMENTS_READ, _P.BANK_FILES_READ, _P.REPORTS_READ}
)

# The one policy table: which role may do what. Handlers never check roles themselves.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.TENANT_ADMIN: frozenset(Permission),
    Role.CREDIT_MANAGER: _READ_ALL
    | {_P.CUSTOMERS_WRITE, _P.INVOICES_WRITE, _P.IMPORTS_WRITE, _P.APPROVALS_DECIDE, _P.AUDIT_READ},
    Role.CREDIT_ANALYST: _READ_ALL | {_P.CUSTOMERS_WRITE, _P.IMPORTS_WRITE},
    Role.COLLECTOR: _READ_ALL | {_P.CUSTOMERS_WRITE},
    Role.FINANCE: _READ_ALL
    | {_P.INVOICES_WRITE, _P.IMPORTS_WRITE, _P.PAYMENTS_WRITE, _P.BANK_FILES_WRITE, _P.APPROVALS_DECIDE},
    Role.SALES: frozenset({_P.CUSTOMERS_READ, _P.INVOICES_READ, _P.REPORTS_READ}),
    Role.AUDITOR: _READ_ALL | {_P.AUDIT_READ, _P.AUDIT_EXPORT, _P.WEBHOOKS_READ},
}

# OAuth scopes a partner client may be granted (a subset of permissions).
OAUTH_SCOPES: tuple[str, ...] = (
    "customers:read",
    "customers:write",
    "invoices:read",
    "invoices:write",
    "imports:write",
    "webhooks:read",
    "webhooks:write",
    "payments:read",
    "payments:write",
    "bank_files:read",
    "bank_files:write",
    "reports:read",
    "approvals:decide",
)


def permissions_for(roles: frozenset[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


def parse_scopes(raw: str) -> frozenset[str]:
    return frozenset(s for s in raw.split() if s)


def invalid_scopes(scopes: frozenset[str]) -> frozenset[str]:
    return frozenset(s for s in scopes if s not in OAUTH_SCOPES)


@dataclass(frozen=True, slots=True)
class TenantProfile:
    """What the whole app needs to know about a tenant to render and compute."""

    id: uuid.UUID
    slug: str
    name: str
    currency: str
    locale: str
    timezone: str
