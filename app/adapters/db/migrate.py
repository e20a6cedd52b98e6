"""Schema upgrades with Alembic, then the app role's grants on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from app.adapters.db.rls import grant_app_role
from app.settings import Settings


def _project_root() -> Path:
    """The checkout (editable install) or the image's working directory (/srv)."""
    source = Path(__file__).resolve().parents[3]
    for candidate in (source, Path.cwd()):
        if (candidate / "alembic.ini").exists() and (candidate / "migrations").is_dir():
            return candidate
    raise FileNotFoundError(
        "alembic.ini and migrations/ not found next to the app or in the working directory"
    )


# Indexes that exist only on PostgreSQL, created in a migration because a model cannot
# declare an index for one dialect only (the pg_trgm GIN index of 0003). Autogenerate
# would otherwise offer to drop them; env.py and the drift test pass this filter.
DATABASE_ONLY_INDEXES = frozenset({"ix_customers_search_name_trgm"})


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (type_ == "index" and reflected and compare_to is None and name in DATABASE_ONLY_INDEXES)


def alembic_config(url: str) -> Config:
    root = _project_root()
    cfg = Config(str(root / "alembic.ini"))
    cfg.set_main_option("script_location", str(root / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


def _sync_url(url: str) -> str:
    return url.replace("+asyncpg", "+psycopg").replace("+aiosqlite", "")


def upgrade(settings: Settings, revision: str = "head") -> None:
    if settings.database_url.startswith("sqlite"):
        path = make_url(settings.database_url).database
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(settings.migration_database_url), revision)
    if settings.is_postgres:
        app_url = make_url(settings.database_url)
        owner_url = make_url(settings.migration_database_url)
        if app_url.username and app_url.username != owner_url.username:
            engine = create_engine(_sync_url(settings.migration_database_url))
            with engine.begin() as conn:
                grant_app_role(conn, app_url.username, app_url.password)
            engine.dispose()
