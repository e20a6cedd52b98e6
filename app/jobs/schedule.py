"""Per-tenant daily jobs at the tenant's local time, once per (tenant, job, as_of): the
report e-mails and housekeeping (the outbox purge).

Every ``tick`` looks at each tenant: which days are due for each job (the pure rule in
``app.domain.reporting.schedule``: local send time, catch-up after downtime, never
before the first recorded run), claims each day in ``scheduled_runs`` and runs it.

The claim is the unique key (tenant, job, as_of): two schedulers (several
``cobalto worker`` processes) racing for one day collide there, and only the winner
runs. A run that crashed keeps its row ``running`` until its lease passes; a failed
run is retried on later ticks up to ``MAX_ATTEMPTS``. The jobs themselves are
idempotent per recipient, so a retried run never sends twice what it already sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.adapters.db.models import ScheduledRunRow, TenantRow
from app.domain.reporting.schedule import due_dates
from app.domain.reporting.settings import ReportSettings
from app.domain.shared.clock import Clock, SystemClock
from app.domain.shared.ids import new_id
from app.server.auth import system_principal
from app.server.services import Services

log = logging.getLogger("cobalto.jobs.schedule")

POLL_SECONDS = 60.0
# The first sweep waits a little: a starting server serves requests before it mails.
START_DELAY_SECONDS = 30.0
LEASE = timedelta(minutes=15)
MAX_ATTEMPTS = 5
TENANT_PAGE = 500

JobRun = Callable[[Services, uuid.UUID, date], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    run: JobRun
    latest_only: bool = False
    # Housekeeping (e.g. the outbox purge) runs at ``at`` local time, even for tenants
    # that turned their report e-mails off; report jobs follow the report settings.
    housekeeping: bool = False
    at: time | None = None


@dataclass(frozen=True)
class RunResult:
    tenant_id: uuid.UUID
    job: str
    as_of: date
    status: str  # done | failed | taken (another scheduler has it)


def _tz(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


class Scheduler:
    def __init__(
        self,
        services: Services,
        jobs: Sequence[ScheduledJob],
        clock: Clock | None = None,
        *,
        lease: timedelta = LEASE,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.services = services
        self.jobs = list(jobs)
        self.clock = clock or SystemClock()
        self.lease = lease
        self.max_attempts = max_attempts

    async def _tenants(self) -> list[tuple[uuid.UUID, str, dict[str, Any]]]:
        out: list[tuple[uuid.UUID, str, dict[str, Any]]] = []
        after: uuid.UUID | None = None
        while True:
            stmt = select(TenantRow.id, TenantRow.timezone, TenantRow.settings).order_by(TenantRow.id)
            if after is not None:
                stmt = stmt.where(TenantRow.id > after)
            async with self.services.sessions() as session:
                rows = (await session.execute(stmt.limit(TENANT_PAGE))).all()
            out += [(r.id, r.timezone, dict(r.settings or {})) for r in rows]
            if len(rows) < TENANT_PAGE:
                return out
            after = rows[-1].id

    async def tick(self, tenant_ids: Sequence[uuid.UUID] | None = None) -> list[RunResult]:
        """Run whatever is due now; ``tenant_ids`` limits the sweep (tests, CLI)."""
        results: list[RunResult] = []
        now = self.clock.now()
        for tenant_id, tz, raw_settings in await self._tenants():
            if tenant_ids is not None and tenant_id not in tenant_ids:
                continue
            settings = ReportSettings.from_settings(raw_settings)
            local = now.astimezone(_tz(tz))
            for job in self.jobs:
                if not (job.housekeeping or settings.enabled):
                    continue
                try:
                    for as_of in await self._due(tenant_id, job, local, settings):
                        results.append(await self.run_once(tenant_id, job, as_of))
                except Exception:
                    # One tenant's trouble must not stop the others' reports.
                    log.exception("scheduled job %s of tenant %s failed", job.name, tenant_id)
        return results

    async def _due(
        self, tenant_id: uuid.UUID, job: ScheduledJob, local: datetime, settings: ReportSettings
    ) -> list[date]:
        horizon = local.date() - timedelta(days=settings.catch_up_days + 1)
        async with self.services.uow(system_principal(tenant_id, "scheduler")) as uow:
            mine = select(ScheduledRunRow).where(
                ScheduledRunRow.tenant_id == tenant_id, ScheduledRunRow.job == job.name
            )
            first = (
                await uow.session.execute(mine.with_only_columns(func.min(ScheduledRunRow.as_of)))
            ).scalar()
            settled = (
                await uow.session.execute(
                    mine.with_only_columns(ScheduledRunRow.as_of).where(
                        ScheduledRunRow.as_of >= horizon,
                        or_(ScheduledRunRow.status == "done", ScheduledRunRow.attempts >= self.max_attempts),
                    )
                )
            ).scalars()
            done = set(settled)
        return due_dates(
            local,
            job.at or settings.time_for(job.name),
            done=done,
            first_run=first,
            catch_up_days=settings.catch_up_days,
            latest_only=job.latest_only,
        )

    async def _claim(self, tenant_id: uuid.UUID, job: ScheduledJob, as_of: date) -> bool:
        now = self.clock.now()
        principal = system_principal(tenant_id, "scheduler")
        async with self.services.uow(principal) as uow:
            uow.session.add(
                ScheduledRunRow(
                    tenant_id=tenant_id,
                    id=new_id(),
                    job=job.name,
                    as_of=as_of,
                    status="running",
                    attempts=1,
                    lease_until=now + self.lease,
                    started_at=now,
                    outcome={},
                )
            )
            try:
                await uow.session.flush()
                await uow.session.commit()
                return True
            except IntegrityError:
                await uow.session.rollback()
        # The day has a row: take it over only if it failed or its runner died.
        async with self.services.uow(principal) as uow:
            result = await uow.session.execute(
                update(ScheduledRunRow)
                .where(
                    ScheduledRunRow.tenant_id == tenant_id,
                    ScheduledRunRow.job == job.name,
                    ScheduledRunRow.as_of == as_of,
                    ScheduledRunRow.status != "done",
                    ScheduledRunRow.attempts < self.max_attempts,
                    or_(ScheduledRunRow.status == "failed", ScheduledRunRow.lease_until < now),
                )
                .values(
                    status="running",
                    attempts=ScheduledRunRow.attempts + 1,
                    lease_until=now + self.lease,
                    started_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            await uow.session.commit()
            return bool(getattr(result, "rowcount", 0) == 1)

    async def _finish(
        self,
        tenant_id: uuid.UUID,
        job: ScheduledJob,
        as_of: date,
        status: str,
        outcome: dict[str, Any],
        error: str | None,
    ) -> None:
        async with self.services.uow(system_principal(tenant_id, "scheduler")) as uow:
            await uow.session.execute(
                update(ScheduledRunRow)
                .where(
                    ScheduledRunRow.tenant_id == tenant_id,
                    ScheduledRunRow.job == job.name,
                    ScheduledRunRow.as_of == as_of,
                )
                .values(
                    status=status,
                    outcome=outcome,
                    error=error,
                    finished_at=self.clock.now(),
                    lease_until=None,
                )
                .execution_options(synchronize_session=False)
            )
            await uow.session.commit()

    async def run_once(self, tenant_id: uuid.UUID, job: ScheduledJob, as_of: date) -> RunResult:
        if not await self._claim(tenant_id, job, as_of):
            return RunResult(tenant_id, job.name, as_of, "taken")
        try:
            outcome = await job.run(self.services, tenant_id, as_of)
        except Exception as exc:
            log.warning("scheduled %s for %s (tenant %s) failed: %s", job.name, as_of, tenant_id, exc)
            await self._finish(tenant_id, job, as_of, "failed", {}, f"{type(exc).__name__}: {exc}"[:2000])
            return RunResult(tenant_id, job.name, as_of, "failed")
        await self._finish(tenant_id, job, as_of, "done", outcome, None)
        return RunResult(tenant_id, job.name, as_of, "done")

    async def run_forever(
        self, poll_seconds: float = POLL_SECONDS, start_delay: float = START_DELAY_SECONDS
    ) -> None:
        await asyncio.sleep(start_delay)
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("scheduler tick failed")
            await asyncio.sleep(poll_seconds)


def start_scheduler(services: Services, clock: Clock | None = None) -> asyncio.Task[None]:
    """Start the daily jobs (report e-mails, outbox purge) in the running loop (called by
    the jobs runtime of processes that schedule: the embedded server, or ``cobalto worker``)."""
    from app.jobs.outbox_purge import HOUSEKEEPING_JOBS
    from app.jobs.reports import REPORT_JOBS

    scheduler = Scheduler(services, (*REPORT_JOBS, *HOUSEKEEPING_JOBS), clock)
    services.extras["scheduler"] = scheduler
    return asyncio.get_running_loop().create_task(scheduler.run_forever(), name="cobalto-scheduler")


async def stop_scheduler(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
