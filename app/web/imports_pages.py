"""Importing customers or invoices from CSV/XLSX in the browser: the upload form, a
progress bar that polls the job (its id is in the URL, so a reload finds it again),
then the result with every rejected row (line, field, reason)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.adapters.db.queries_reports import ImportListQueries
from app.adapters.db.repositories.import_jobs import SqlImportJobRepository
from app.adapters.db.uow import SqlUnitOfWork
from app.adapters.files.runner import ImportSpec, create_job, estimate_rows, run_import
from app.adapters.files.sniff import UnreadableFile, UnsupportedFile, file_kind
from app.adapters.files.upload import BadUpload, UploadTooLarge
from app.domain.shared.imports import ImportKind, ImportMode, ImportStatus
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.web.i18n import translate
from app.web.pages import Shell, is_partial, parse_uuid, render, services_of, shell, uow_of
from app.web.uploads import receive_form_upload

log = logging.getLogger("cobalto.web.imports")
KINDS = [k.value for k in ImportKind]
MODES = [m.value for m in ImportMode]
FINISHED = {ImportStatus.COMPLETED.value, ImportStatus.REJECTED.value, ImportStatus.FAILED.value}


async def _recent(request: Request[Any, Any, Any], sh: Shell) -> list[Any]:
    async with uow_of(request, sh) as uow:
        return await ImportListQueries(uow.session, uow.tenant).recent()


async def _job(request: Request[Any, Any, Any], sh: Shell, raw_id: str) -> dict[str, Any]:
    async with uow_of(request, sh) as uow:
        job = await SqlImportJobRepository(uow.session, uow.tenant).get(parse_uuid(raw_id))
    if job is None:
        raise NotFoundException("This import does not exist.")
    total = max(int(job["total_rows"]), int(job["processed_rows"]), 1)
    job["percent"] = 100 if job["status"] in FINISHED else min(99, int(job["processed_rows"]) * 100 // total)
    job["finished"] = job["status"] in FINISHED
    return job


async def _run(factory: Any, job_id: uuid.UUID, spec: ImportSpec, path: Path) -> None:
    try:
        await run_import(factory, job_id, spec, path)
    except Exception:
        log.warning("web import %s ended with an error (recorded on the job)", job_id)
    finally:
        _remove(path)


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


class ImportPages(Controller):
    path = "/imports"
    include_in_schema = False
    guards = [requires(Permission.IMPORTS_WRITE)]

    @get("/")
    async def form(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        return _form(sh, await _recent(request, sh), {}, {"kind": "customers", "mode": "all_or_nothing"})

    @post("/", request_max_body_size=None)  # the upload limit is enforced while streaming
    async def upload(self, request: Request[Any, Any, Any]) -> Response[Any]:
        sh = await shell(request)
        services = services_of(request)
        limit = int(str(services.extras.get("import_max_bytes", services.settings.max_upload_bytes)))
        errors: dict[str, str] = {}
        values: dict[str, str] = {"kind": "customers", "mode": "all_or_nothing"}
        try:
            upload = await receive_form_upload(
                request, limit=limit, tmp_dir=services.settings.var_dir / "uploads"
            )
        except UploadTooLarge:
            errors["file"] = translate(
                sh.locale, "The file is larger than {mib} MiB.", mib=limit // (1024 * 1024)
            )
            return _form(sh, await _recent(request, sh), errors, values, status=_error_status(request, 413))
        except BadUpload as exc:
            errors["file"] = str(exc)
            return _form(sh, await _recent(request, sh), errors, values, status=_error_status(request, 422))
        try:
            values = {"kind": upload.fields.get("kind", ""), "mode": upload.fields.get("mode", "")}
            if values["kind"] not in KINDS:
                errors["kind"] = "Choose customers or invoices."
            if values["mode"] not in MODES:
                errors["mode"] = "Choose how to treat rows with errors."
            if upload.path is None or upload.size == 0:
                errors["file"] = "Choose a CSV or XLSX file."
            else:
                try:
                    file_kind(upload.path)
                except (UnsupportedFile, UnreadableFile) as exc:
                    errors["file"] = str(exc)
            if errors or upload.path is None:
                return _form(
                    sh, await _recent(request, sh), errors, values, status=_error_status(request, 422)
                )
            spec = ImportSpec(
                ImportKind(values["kind"]),
                ImportMode(values["mode"]),
                str(services.extras.get("default_currency", sh.tenant.currency)),
            )
            principal, request_id = sh.principal, request.headers.get("x-request-id")

            def factory() -> SqlUnitOfWork:
                return services.uow(principal, request_id=request_id)

            job_id = await create_job(factory, spec, upload.filename or "upload", estimate_rows(upload.path))
            path, upload.path = upload.path, None  # the task owns the file now
            tasks = services.extras.setdefault("import_tasks", set())
            assert isinstance(tasks, set)
            task = asyncio.create_task(_run(factory, job_id, spec, path))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        finally:
            upload.discard()
        if is_partial(request):
            # HTMX: a full navigation to the job's page, whose URL survives a reload.
            return Response(None, status_code=204, headers={"HX-Redirect": f"/imports/{job_id}"})
        return Redirect(f"/imports/{job_id}", status_code=303)

    @get("/{import_id:str}")
    async def show(self, request: Request[Any, Any, Any], import_id: FromPath[str]) -> Template:
        sh = await shell(request)
        job = await _job(request, sh, import_id)
        template = "imports/_status.html" if is_partial(request) else "imports/detail.html"
        return render(sh, template, job=job)

    @get("/{import_id:str}/progress")
    async def progress(self, request: Request[Any, Any, Any], import_id: FromPath[str]) -> Template:
        sh = await shell(request)
        return render(sh, "imports/_status.html", job=await _job(request, sh, import_id))


def _error_status(request: Request[Any, Any, Any], status: int) -> int:
    # htmx swaps only 2xx answers: the form with its errors must come back as 200 there.
    return 200 if is_partial(request) else status


def _form(
    sh: Shell, recent: list[Any], errors: dict[str, str], values: dict[str, str], status: int = 200
) -> Template:
    return render(
        sh,
        "imports/form.html",
        status=status,
        recent=recent,
        errors=errors,
        values=values,
        kinds=KINDS,
        modes=MODES,
    )


ROUTES = [ImportPages]
