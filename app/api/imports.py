"""/api/v1/imports: upload customers or invoices as CSV or XLSX.

Small files are imported within the request (201 with the result); larger ones run in
a background task of this process (202, then poll ``GET /api/v1/imports/{id}``).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter

from app.adapters.db.repositories.import_jobs import SqlImportJobRepository
from app.adapters.db.uow import SqlUnitOfWork
from app.adapters.files.runner import ImportSpec, create_job, estimate_rows, run_import
from app.adapters.files.sniff import UnreadableFile, UnsupportedFile, file_kind
from app.adapters.files.upload import BadUpload, Upload, UploadTooLarge, receive_upload
from app.api.deps import parse_id, uow_for
from app.domain.shared.errors import FieldError, NotFound, ValidationFailed
from app.domain.shared.imports import ImportKind, ImportMode
from app.domain.tenancy.model import Permission
from app.server.guards import principal_of, requires
from app.server.problems import problem
from app.server.services import Services

log = logging.getLogger("cobalto.imports")
# Files up to this size are imported within the request; larger ones in the background.
INLINE_BYTES = 1 << 20
ModeQ = Annotated[
    str | None, QueryParameter(pattern="^(all_or_nothing|valid_rows)$", description="Import mode.")
]


class ImportErrorOut(msgspec.Struct):
    line: int
    field: str
    message: str


class ImportOut(msgspec.Struct):
    id: str
    kind: str
    filename: str
    status: str
    mode: str
    total_rows: int
    processed_rows: int
    created: int
    rejected: int
    errors: list[ImportErrorOut]
    created_at: str
    finished_at: str | None


def _services(request: Request[Any, Any, Any]) -> Services:
    services: Services = request.app.state.services
    return services


def _tasks(services: Services) -> set[asyncio.Task[Any]]:
    tasks = services.extras.setdefault("import_tasks", set())
    assert isinstance(tasks, set)
    return tasks


async def _receive(request: Request[Any, Any, Any], services: Services) -> Upload:
    limit = int(str(services.extras.get("import_max_bytes", services.settings.max_upload_bytes)))
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise UploadTooLarge(f"the upload is larger than {limit // (1024 * 1024)} MiB")
    return await receive_upload(
        request.headers.get("content-type", ""),
        request.stream(),
        file_field="file",
        max_bytes=limit,
        tmp_dir=services.settings.var_dir / "uploads",
    )


async def start_import(
    request: Request[Any, Any, Any], kind: ImportKind, mode_q: str | None
) -> Response[Any]:
    services = _services(request)
    try:
        upload = await _receive(request, services)
    except UploadTooLarge as exc:
        return problem(413, str(exc))
    except BadUpload as exc:
        return problem(415 if exc.unsupported else 422, str(exc))
    try:
        if upload.path is None:
            raise ValidationFailed([FieldError("file", "is required (multipart field 'file')")])
        raw_mode = mode_q or upload.fields.get("mode") or ImportMode.ALL_OR_NOTHING.value
        try:
            mode = ImportMode(raw_mode)
        except ValueError:
            raise ValidationFailed([FieldError("mode", "must be all_or_nothing or valid_rows")]) from None
        try:
            file_kind(upload.path)
        except UnsupportedFile as exc:
            return problem(415, str(exc))
        except UnreadableFile as exc:
            raise ValidationFailed([FieldError("file", str(exc))]) from exc
        spec = ImportSpec(kind, mode, str(services.extras.get("default_currency", "BRL")))

        # Captured now: a background import outlives the request.
        principal, request_id = principal_of(request), request.headers.get("x-request-id")

        def factory() -> SqlUnitOfWork:
            return services.uow(principal, request_id=request_id)

        job_id = await create_job(factory, spec, upload.filename or "upload", estimate_rows(upload.path))
        inline_limit = int(str(services.extras.get("import_inline_bytes", INLINE_BYTES)))
        location = {"Location": f"/api/v1/imports/{job_id}"}
        if upload.size <= inline_limit:
            await run_import(factory, job_id, spec, upload.path)
            return Response(await _job(request, job_id), status_code=201, headers=location)
        path, upload.path = upload.path, None  # the task owns the file now
        task = asyncio.create_task(_background(factory, job_id, spec, path))
        _tasks(services).add(task)
        task.add_done_callback(_tasks(services).discard)
        return Response(await _job(request, job_id), status_code=202, headers=location)
    finally:
        upload.discard()


async def _background(
    factory: Callable[[], SqlUnitOfWork], job_id: uuid.UUID, spec: ImportSpec, path: Path
) -> None:
    try:
        await run_import(factory, job_id, spec, path)
    except Exception:
        log.warning("background import %s ended with an error (recorded on the job)", job_id)
    finally:
        _remove(path)


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


async def _job(request: Request[Any, Any, Any], job_id: uuid.UUID) -> ImportOut:
    async with uow_for(request) as uow:
        job = await SqlImportJobRepository(uow.session, uow.tenant).get(job_id)
    if job is None:
        raise NotFound("import not found")
    return msgspec.convert(job, ImportOut)


class ImportController(Controller):
    path = "/api/v1/imports"
    tags = ["imports"]
    security = [{"oauth2": ["imports:write"]}]

    @post(
        "/customers",
        guards=[requires(Permission.IMPORTS_WRITE)],
        summary="Import customers from a CSV or XLSX file (multipart field 'file')",
        status_code=201,
        request_max_body_size=None,  # the upload limit is enforced while streaming
    )
    async def import_customers(
        self, request: Request[Any, Any, Any], mode: ModeQ = None
    ) -> Response[ImportOut]:
        return await start_import(request, ImportKind.CUSTOMERS, mode)

    @post(
        "/invoices",
        guards=[requires(Permission.IMPORTS_WRITE)],
        summary="Import invoices from a CSV or XLSX file (multipart field 'file')",
        status_code=201,
        request_max_body_size=None,
    )
    async def import_invoices(
        self, request: Request[Any, Any, Any], mode: ModeQ = None
    ) -> Response[ImportOut]:
        return await start_import(request, ImportKind.INVOICES, mode)

    @get(
        "/{import_id:str}",
        guards=[requires(Permission.IMPORTS_WRITE)],
        summary="An import's progress and errors",
    )
    async def get_import(self, request: Request[Any, Any, Any], import_id: FromPath[str]) -> ImportOut:
        return await _job(request, parse_id(import_id, "import"))
