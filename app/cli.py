"""The ``cobalto`` command: serve, worker, migrate, tenant, client, demo, run."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from app.settings import load_settings


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, default=str))


@click.group()
def main() -> None:
    """Cobalto: credit and collections."""


@main.command()
def migrate() -> None:
    """Upgrade the database schema to the latest version (runs as the table owner)."""
    from app.adapters.db.migrate import upgrade

    settings = load_settings()
    upgrade(settings)
    click.echo("database is at the latest revision")


@main.command()
@click.option("--host", default=None)
@click.option("--port", type=int, default=None)
@click.option("--workers", type=int, default=1, show_default=True, help="API processes")
@click.option("--reload", is_flag=True, default=False)
def serve(host: str | None, port: int | None, workers: int, reload: bool) -> None:
    """Serve web + API (with embedded jobs when no broker is configured)."""
    import uvicorn

    settings = load_settings()
    uvicorn.run(
        "app.main:build_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        log_level="warning",
        access_log=False,
    )


@main.command()
@click.option("--threads", type=int, default=None, help="worker threads per process")
def worker(threads: int | None) -> None:
    """Run job workers against COBALTO_BROKER_URL (Redis or RabbitMQ)."""
    from app.jobs.worker import run_worker

    run_worker(load_settings(), threads=threads)


@main.group()
def tenant() -> None:
    """Tenants."""


@tenant.command("create")
@click.option("--name", required=True)
@click.option("--slug", required=True)
@click.option("--admin-email", required=True)
@click.option("--currency", default="BRL", show_default=True)
@click.option("--locale", default="pt-BR", show_default=True)
@click.option("--timezone", default="America/Sao_Paulo", show_default=True)
def tenant_create(name: str, slug: str, admin_email: str, currency: str, locale: str, timezone: str) -> None:
    """Create a tenant and its first admin; prints JSON with the admin's password."""
    from app.adapters.db.engine import make_engine, make_sessionmaker
    from app.adapters.db.provisioning import create_tenant
    from app.domain.shared.errors import DomainError
    from app.server.auth import mint_tenant

    async def run() -> dict[str, str]:
        engine = make_engine(load_settings().database_url)
        try:
            created = await create_tenant(
                make_sessionmaker(engine),
                mint_tenant,
                name=name,
                slug=slug,
                admin_email=admin_email,
                currency=currency,
                locale=locale,
                timezone=timezone,
            )
        finally:
            await engine.dispose()
        return {
            "tenant_id": str(created.tenant_id),
            "slug": created.slug,
            "admin_email": created.admin_email,
            "admin_password": created.admin_password,
        }

    try:
        _echo_json(asyncio.run(run()))
    except DomainError as exc:
        click.echo(f"error: {exc.detail}", err=True)
        for e in getattr(exc, "errors", []):
            click.echo(f"  {e.field}: {e.message}", err=True)
        sys.exit(2)


@main.group()
def client() -> None:
    """OAuth clients for partner systems."""


@client.command("create")
@click.option("--tenant", "tenant_slug", required=True)
@click.option("--name", required=True)
@click.option("--scopes", required=True, help='space-separated, e.g. "customers:read invoices:write"')
def client_create(tenant_slug: str, name: str, scopes: str) -> None:
    """Create an OAuth client; prints JSON with the secret (shown once)."""
    from app.adapters.db.engine import make_engine, make_sessionmaker
    from app.adapters.db.provisioning import create_client, tenant_id_by_slug
    from app.domain.shared.errors import DomainError

    async def run() -> dict[str, str]:
        engine = make_engine(load_settings().database_url)
        try:
            sessions = make_sessionmaker(engine)
            tenant_id = await tenant_id_by_slug(sessions, tenant_slug)
            created = await create_client(sessions, tenant_id, name=name, scopes=scopes, created_by="cli")
        finally:
            await engine.dispose()
        return {
            "client_id": created.client_id,
            "client_secret": created.client_secret,
            "scopes": created.scopes,
        }

    try:
        _echo_json(asyncio.run(run()))
    except DomainError as exc:
        click.echo(f"error: {exc.detail}", err=True)
        for e in getattr(exc, "errors", []):
            click.echo(f"  {e.field}: {e.message}", err=True)
        sys.exit(2)


@main.command()
@click.option("--host", default=None)
@click.option("--port", type=int, default=None)
def run(host: str | None, port: int | None) -> None:
    """The embedded default: migrate, seed the demo tenant once, serve, print the login."""
    from app.adapters.db.migrate import upgrade
    from app.demo.seed import ensure_demo

    settings = load_settings()
    Path(settings.var_dir).mkdir(parents=True, exist_ok=True)
    upgrade(settings)
    login = asyncio.run(ensure_demo(settings))
    url = f"http://{host or settings.host}:{port or settings.port}"
    banner = "\n".join(
        (
            "",
            f"  Cobalto is running at {url}",
            f"  Sign in as {login.email} with password {login.password}",
            f"  (data lives in {settings.var_dir}; stop with Ctrl+C)",
            "",
        )
    )
    os.environ.setdefault("COBALTO_VAR_DIR", str(settings.var_dir))
    import uvicorn

    class AnnouncingServer(uvicorn.Server):
        """Prints the address and login once the socket listens, not before: a user who
        opens the URL at once finds the server there (and a busy port prints no URL)."""

        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                click.echo(banner)

    config = uvicorn.Config(
        "app.main:build_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        log_level="warning",
    )
    AnnouncingServer(config).run()


if __name__ == "__main__":
    main()
