"""Settings from the environment (``COBALTO_*``), read once by the composition root.

The embedded default needs nothing: SQLite under ``./var``, an in-process broker,
a secret key generated on first start and kept in ``./var/secret.key``.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"COBALTO_{name}", default)


def _bool(name: str, default: bool = False) -> bool:
    raw = _env(name, "1" if default else "0").strip().lower()
    return raw in {"1", "true", "yes", "on"}


def _secret_key(var_dir: Path) -> str:
    explicit = _env("SECRET_KEY")
    if explicit:
        return explicit
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass(frozen=True)
class Settings:
    var_dir: Path
    database_url: str
    # Migrations run as the table owner; the app connects as a role without it (RLS FORCE).
    migration_database_url: str
    broker_url: str
    secret_key: str
    host: str = "127.0.0.1"
    port: int = 8000
    allow_private_webhook_urls: bool = False
    webhook_allow_loopback: bool = False
    token_ttl_seconds: int = 3600
    max_body_bytes: int = 10 * 1024 * 1024
    max_upload_bytes: int = 200 * 1024 * 1024
    login_rate_per_minute: int = 10
    token_rate_per_minute: int = 60
    worker_threads: int = 4
    smtp_url: str = ""
    mail_from: str = "Cobalto <no-reply@cobalto.local>"
    secure_cookies: bool = False
    debug: bool = False
    # The watched folder (``<var_dir>/inbox/<tenant-slug>/``) is scanned this often; 0 = off.
    inbox_poll_seconds: float = 30.0
    # Relayed outbox rows and processed_events older than this are purged daily; 0 = keep.
    outbox_retention_days: int = 7
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    @property
    def embedded_broker(self) -> bool:
        return not self.broker_url


def load_settings() -> Settings:
    var_dir = Path(_env("VAR_DIR", "var")).resolve()
    default_db = f"sqlite+aiosqlite:///{var_dir / 'cobalto.db'}"
    database_url = _env("DATABASE_URL", default_db)
    return Settings(
        var_dir=var_dir,
        database_url=database_url,
        migration_database_url=_env("MIGRATION_DATABASE_URL", database_url),
        broker_url=_env("BROKER_URL"),
        secret_key=_secret_key(var_dir),
        host=_env("HOST", "127.0.0.1"),
        port=int(_env("PORT", "8000")),
        allow_private_webhook_urls=_bool("ALLOW_PRIVATE_WEBHOOK_URLS"),
        webhook_allow_loopback=_bool("WEBHOOK_ALLOW_LOOPBACK"),
        token_ttl_seconds=min(int(_env("TOKEN_TTL_SECONDS", "3600")), 3600),
        max_body_bytes=int(_env("MAX_BODY_BYTES", str(10 * 1024 * 1024))),
        login_rate_per_minute=int(_env("LOGIN_RATE_PER_MINUTE", "10")),
        token_rate_per_minute=int(_env("TOKEN_RATE_PER_MINUTE", "60")),
        worker_threads=int(_env("WORKER_THREADS", "4")),
        smtp_url=_env("SMTP_URL"),
        mail_from=_env("MAIL_FROM", "Cobalto <no-reply@cobalto.local>"),
        secure_cookies=_bool("SECURE_COOKIES"),
        debug=_bool("DEBUG"),
        inbox_poll_seconds=max(float(_env("INBOX_POLL_SECONDS", "30")), 0.0),
        outbox_retention_days=max(int(_env("OUTBOX_RETENTION_DAYS", "7")), 0),
    )
