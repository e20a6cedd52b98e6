"""/api/v1/bank-files and /api/v1/correction-queue.

Upload contract (``POST /api/v1/bank-files``, multipart field ``file``, optional field
``bank_account_id``):

* the bytes are stored immutably first (content-addressed, see ``settlement_store``);
  nothing an upload carries is ever lost, whatever its content;
* the same file twice → **409** naming the earlier upload (``errors[0].message`` holds
  its id; unique (tenant, sha256) in the database, so racing uploads cannot both win);
* a structurally invalid file (truncated, trailer mismatch, a remittance, another
  bank's file for the chosen account, unreadable amounts) → **201** with
  ``status: "invalid"`` and its per-line ``errors``; nothing is applied. The upload is a
  resource that exists, so it is answered like any other upload and can be fetched
  again; a 422 would suggest nothing was kept;
* a file of an unregistered bank account → 201, its records wait in the correction
  queue as ``unknown_account`` and are processed once the account is registered or
  assigned;
* files up to ``INLINE_BYTES`` are processed within the request (``status:
  processed``); larger ones in the background, by a job worker when a broker is
  configured (``status: received`` or ``processing``; poll ``GET /api/v1/bank-files/{id}``).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.adapters.db.repositories.settlement_apply import ports_for
from app.adapters.db.repositories.settlement_queue import (
    Resolution,
    assign_waiting_files,
    resolve,
)
from app.adapters.db.repositories.settlement_runner import DuplicateFile
from app.adapters.db.uow import SqlUnitOfWork
from app.adapters.files.upload import BadUpload, UploadTooLarge, receive_upload
from app.api import docs
from app.api.deps import parse_id, uow_for
from app.domain.shared.errors import FieldError, NotFound, ValidationFailed
from app.domain.tenancy.model import Permission
from app.server.bank_file_intake import ingest_path
from app.server.bank_files_schemas import (
    BankFileOut,
    BankFilePage,
    RecordOut,
    RecordPage,
    ResolveIn,
    file_out,
    record_out,
)
from app.server.guards import principal_of, requires
from app.server.pagination import decode_cursor, encode_cursor
from app.server.problems import problem
from app.server.services import Services

Limit = Annotated[int, QueryParameter(ge=1, le=500, description="Page size (at most 500).")]


def _services(request: Request[Any, Any, Any]) -> Services:
    services: Services = request.app.state.services
    return services


async def _file(request: Request[Any, Any, Any], file_id: uuid.UUID) -> BankFileOut:
    async with uow_for(request) as uow:
        row = await SqlBankFileRepository(uow.session, uow.tenant).get(file_id)
        if row is None:
            raise NotFound("bank file not found")
        return file_out(row)


async def retry_unknown_account_files(request: Request[Any, Any, Any], account_id: uuid.UUID) -> None:
    """After an account is registered: files that named it wait no longer."""
    async with uow_for(request) as uow:
        await assign_waiting_files(uow, ports_for(uow), account_id)
        await uow.commit()


class BankFileController(Controller):
    path = "/api/v1/bank-files"
    tags = ["bank files"]
    security = [{"oauth2": ["bank_files:read"]}]

    @post(
        "/",
        guards=[requires(Permission.BANK_FILES_WRITE)],
        summary="Upload a bank return or statement (multipart field 'file', optional 'bank_account_id')",
        status_code=201,
        responses=docs.CREATE,
        security=[{"oauth2": ["bank_files:write"]}],
        request_max_body_size=None,  # the upload limit is enforced while streaming
    )
    async def upload(self, request: Request[Any, Any, Any]) -> Response[Any]:
        services = _services(request)
        limit = services.settings.max_upload_bytes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            return problem(413, f"the upload is larger than {limit // (1024 * 1024)} MiB")
        try:
            upload = await receive_upload(
                request.headers.get("content-type", ""),
                request.stream(),
                file_field="file",
                max_bytes=limit,
                tmp_dir=services.settings.var_dir / "uploads",
            )
        except UploadTooLarge as exc:
            return problem(413, str(exc))
        except BadUpload as exc:
            return problem(415 if exc.unsupported else 422, str(exc))
        try:
            if upload.path is None or upload.size == 0:
                raise ValidationFailed(
                    [FieldError("file", "is required (a non-empty multipart field 'file')")]
                )
            account_id = None
            raw_account = (upload.fields.get("bank_account_id") or "").strip()
            if raw_account:
                try:
                    account_id = uuid.UUID(raw_account)
                except ValueError:
                    raise ValidationFailed([FieldError("bank_account_id", "is not a valid id")]) from None
            principal, request_id = principal_of(request), request.headers.get("x-request-id")

            def factory() -> SqlUnitOfWork:
                return services.uow(principal, request_id=request_id)

            try:
                file_id, _ = await ingest_path(
                    services, factory, upload.path, upload.filename or "upload", account_id
                )
            except LookupError:
                raise ValidationFailed([FieldError("bank_account_id", "no such bank account")]) from None
            except DuplicateFile as exc:
                return problem(
                    409,
                    f"this file was already uploaded as {exc.filename!r} on {exc.uploaded_at:%Y-%m-%d %H:%M} UTC",
                    errors=[FieldError("file", f"duplicate of bank file {exc.file_id}")],
                    headers={"Content-Location": f"/api/v1/bank-files/{exc.file_id}"},
                    kind="duplicate-file",
                )
            out = await _file(request, file_id)
            return Response(out, status_code=201, headers={"Location": f"/api/v1/bank-files/{file_id}"})
        finally:
            upload.discard()

    @get(
        "/",
        guards=[requires(Permission.BANK_FILES_READ)],
        summary="List uploaded bank files",
        responses=docs.READ,
    )
    async def list_files(
        self, request: Request[Any, Any, Any], limit: Limit = 25, cursor: FromQuery[str | None] = None
    ) -> BankFilePage:
        after = parse_id(decode_cursor(cursor, 1)[0], "cursor") if cursor else None
        async with uow_for(request) as uow:
            rows = await SqlBankFileRepository(uow.session, uow.tenant).list_after(limit + 1, after)
            items = [file_out(r) for r in rows[:limit]]
        return BankFilePage(
            items=items, next_cursor=encode_cursor([items[-1].id]) if len(rows) > limit else None
        )

    @get(
        "/{file_id:str}",
        guards=[requires(Permission.BANK_FILES_READ)],
        summary="A bank file's status, counts, totals and errors",
        responses=docs.READ_ONE,
    )
    async def get_file(self, request: Request[Any, Any, Any], file_id: FromPath[str]) -> BankFileOut:
        return await _file(request, parse_id(file_id, "bank file"))

    @get(
        "/{file_id:str}/records",
        guards=[requires(Permission.BANK_FILES_READ)],
        summary="A bank file's records: parsed fields, outcome and allocation",
        responses=docs.READ_ONE,
    )
    async def list_records(
        self,
        request: Request[Any, Any, Any],
        file_id: FromPath[str],
        limit: Limit = 100,
        cursor: FromQuery[str | None] = None,
    ) -> RecordPage:
        fid = parse_id(file_id, "bank file")
        after = int(decode_cursor(cursor, 1)[0]) if cursor else None
        async with uow_for(request) as uow:
            files = SqlBankFileRepository(uow.session, uow.tenant)
            if await files.get(fid) is None:
                raise NotFound("bank file not found")
            rows = await files.records_after(fid, limit + 1, after)
            items = [record_out(r) for r in rows[:limit]]
        more = len(rows) > limit
        return RecordPage(items=items, next_cursor=encode_cursor([items[-1].line_no]) if more else None)


class CorrectionQueueController(Controller):
    path = "/api/v1/correction-queue"
    tags = ["bank files"]
    security = [{"oauth2": ["bank_files:read"]}]

    @get(
        "/",
        guards=[requires(Permission.BANK_FILES_READ)],
        summary="Records waiting for a correction",
        responses=docs.READ,
    )
    async def list_queue(
        self,
        request: Request[Any, Any, Any],
        limit: Limit = 50,
        cursor: FromQuery[str | None] = None,
        file_id: FromQuery[str | None] = None,
    ) -> RecordPage:
        after = parse_id(decode_cursor(cursor, 1)[0], "cursor") if cursor else None
        fid = parse_id(file_id, "bank file") if file_id else None
        async with uow_for(request) as uow:
            rows = await SqlBankFileRepository(uow.session, uow.tenant).records_with_status(
                ["queued"], limit + 1, after, fid
            )
            items = [record_out(r) for r in rows[:limit]]
        return RecordPage(
            items=items, next_cursor=encode_cursor([items[-1].id]) if len(rows) > limit else None
        )

    @post(
        "/{record_id:str}/resolve",
        guards=[requires(Permission.BANK_FILES_WRITE)],
        summary="Resolve a queued record: assign, dismiss (with a reason) or retry",
        status_code=200,
        responses=docs.UPDATE,
        security=[{"oauth2": ["bank_files:write"]}],
    )
    async def resolve_record(
        self, request: Request[Any, Any, Any], record_id: FromPath[str], data: JSONBody[ResolveIn]
    ) -> RecordOut:
        rid = parse_id(record_id, "record")
        async with uow_for(request) as uow:
            row = await resolve(
                uow,
                ports_for(uow),
                rid,
                Resolution(
                    data.action, data.installment_id, data.customer_id, data.bank_account_id, data.reason
                ),
            )
            out = record_out(row)
            await uow.commit()
        return out
