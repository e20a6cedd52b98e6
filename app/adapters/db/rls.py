"""PostgreSQL row-level security for tenant tables, and the application role's grants.

Migrations call ``enable_rls`` for each tenant table they create; ``grant_app_role``
runs after every upgrade so the app role (which owns nothing) can use new tables.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Connection

POLICY = "tenant_isolation"
_TENANT_EXPR = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"
# Append-only tables: the app may insert and read, never change or delete.
APPEND_ONLY = ("audit_log", "ledger_entries")


def enable_rls_sql(table: str) -> list[str]:
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'CREATE POLICY {POLICY} ON "{table}" USING (tenant_id = {_TENANT_EXPR}) '
        f"WITH CHECK (tenant_id = {_TENANT_EXPR})",
    ]


def disable_rls_sql(table: str) -> list[str]:
    return [
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"',
        f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY',
    ]


def enable_rls(op: object, table: str) -> None:
    """For migrations: a no-op on SQLite, where repositories are the guard."""
    bind = op.get_bind()  # type: ignore[attr-defined]
    if bind.dialect.name == "postgresql":
        for stmt in enable_rls_sql(table):
            op.execute(stmt)  # type: ignore[attr-defined]


def disable_rls(op: object, table: str) -> None:
    bind = op.get_bind()  # type: ignore[attr-defined]
    if bind.dialect.name == "postgresql":
        for stmt in disable_rls_sql(table):
            op.execute(stmt)  # type: ignore[attr-defined]


_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_app_role(conn: Connection, role: str, password: str | None = None) -> None:
    """Create the app role if missing (LOGIN, no BYPASSRLS, owns nothing) and grant it DML."""
    if not _ROLE.match(role):
        raise ValueError(f"invalid role name {role!r}")
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    if not exists:
        conn.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"))
    if password:
        conn.execute(text(f"ALTER ROLE {role} PASSWORD :p").bindparams(p=password))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
    conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    conn.execute(text(f"REVOKE ALL ON alembic_version FROM {role}"))
    conn.execute(text(f"GRANT SELECT ON alembic_version TO {role}"))
    for table in APPEND_ONLY:
        conn.execute(text(f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM {role}'))
