"""Composition root: read settings, pick adapters, build the app."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from litestar import Litestar

from app import api, web
from app.server.app_factory import create_app
from app.server.services import Services, build_services
from app.settings import Settings, load_settings

log = logging.getLogger("cobalto")


def build_app(
    settings: Settings | None = None, *, services: Services | None = None, start_jobs: bool = True
) -> Litestar:
    owns_engine = services is None
    if services is None:
        services = build_services(settings or load_settings())
    startup: list[Callable[[], Awaitable[None] | None]] = []
    shutdown: list[Callable[[], Awaitable[None] | None]] = []
    if start_jobs:
        from app.jobs.runtime import attach_jobs

        attach_jobs(services, startup, shutdown)
    if owns_engine:
        shutdown.append(services.engine.dispose)
    return create_app(
        services,
        [*api.route_handlers(), *web.route_handlers()],
        template_dir=web.TEMPLATE_DIR,
        static_dir=web.STATIC_DIR,
        on_startup=startup,
        on_shutdown=shutdown,
        template_callables=web.template_callables(),
    )
