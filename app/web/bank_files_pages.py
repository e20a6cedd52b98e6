"""Bank files in the portal (UX §5, §6): upload with progress and the result page,
the correction queue (its page is ``correction_queue_pages``) and the
cash-application review (lines left, candidates right with their signals; ``a``
approves the best candidate, ``s`` skips)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.adapters.db.repositories.settlement_apply import ports_for
from app.adapters.db.repositories.settlement_runner import DuplicateFile
from app.adapters.db.repositories.settlement_statements import confirm_line, skip_line
from app.adapters.db.uow import SqlUnitOfWork
from app.adapters.files.upload import BadUpload, UploadTooLarge
from app.domain.shared.errors import Conflict, ValidationFailed
from app.domain.tenancy.model import Permission
from app.server.bank_file_intake import ingest_path
from app.server.bank_files_schemas import file_out, record_out
from app.server.guards import requires
from app.web.cash_candidates import load_candidates
from app.web.correction_queue_pages import CorrectionQueuePages
from app.web.format import moment
from app.web.i18n import translate
from app.web.pages import Shell, form_data, is_partial, parse_uuid, render, services_of, shell, uow_of
from app.web.uploads import receive_form_upload

FINISHED = {"processed", "invalid", "failed"}


async def _recent(request: Request[Any, Any, Any], sh: Shell) -> list[Any]:
    async with uow_of(request, sh) as uow:
        return [
            file_out(r) for r in await SqlBankFileRepository(uow.session, uow.tenant).list_after(50, None)
        ]


async def _file(request: Request[Any, Any, Any], sh: Shell, raw_id: str) -> dict[str, Any]:
    async with uow_of(request, sh) as uow:
        files = SqlBankFileRepository(uow.session, uow.tenant)
        row = await files.get(parse_uuid(raw_id))
        if row is None:
            raise NotFoundException("This bank file does not exist.")
        out = file_out(row)
        attention = await files.records_with_status(["queued", "review", "skipped"], 200, None, row.id)
    total = int((out.totals or {}).get("detail_records") or 0) or max(out.records, 1)
    return {
        "file": out,
        "finished": out.status in FINISHED,
        "percent": 100 if out.status in FINISHED else min(99, out.records * 100 // max(total, 1)),
        "total": total,
        "attention": [record_out(r) for r in attention],
    }


def _error_status(request: Request[Any, Any, Any], status: int) -> int:
    return 200 if is_partial(request) else status


class BankFilePages(Controller):
    path = "/bank-files"
    include_in_schema = False

    @get("/", guards=[requires(Permission.BANK_FILES_READ)])
    async def index(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        return render(sh, "bank_files/list.html", recent=await _recent(request, sh), error=None)

    @post("/", guards=[requires(Permission.BANK_FILES_WRITE)], request_max_body_size=None)
    async def upload(self, request: Request[Any, Any, Any]) -> Response[Any]:
        sh = await shell(request)
        services = services_of(request)
        limit = services.settings.max_upload_bytes
        error = None
        try:
            upload = await receive_form_upload(
                request,
                limit=limit,
                tmp_dir=services.settings.var_dir / "uploads",
            )
        except (UploadTooLarge, BadUpload) as exc:
            message = (
                translate(sh.locale, "The file is larger than {mib} MiB.", mib=max(1, limit >> 20))
                if isinstance(exc, UploadTooLarge)
                else translate(sh.locale, str(exc))
            )
            return render(
                sh,
                "bank_files/list.html",
                status=_error_status(request, 413 if isinstance(exc, UploadTooLarge) else 422),
                recent=await _recent(request, sh),
                error=message,
            )
        try:
            if upload.path is None or upload.size == 0:
                error = translate(sh.locale, "Choose a bank return or statement file.")
            else:
                principal, request_id = sh.principal, request.headers.get("x-request-id")

                def factory() -> SqlUnitOfWork:
                    return services.uow(principal, request_id=request_id)

                try:
                    file_id, _ = await ingest_path(
                        services, factory, upload.path, upload.filename or "upload", None
                    )
                except DuplicateFile as exc:
                    error = translate(
                        sh.locale,
                        "This file was already uploaded as {filename} on {when}.",
                        filename=exc.filename,
                        when=moment(exc.uploaded_at, sh.locale, sh.tenant.timezone),
                    )
                    target = f"/bank-files/{exc.file_id}"
                    return render(
                        sh, "bank_files/list.html", status=_error_status(request, 409),
                        recent=await _recent(request, sh), error=error, duplicate=target,
                    )  # fmt: skip
        finally:
            upload.discard()
        if error:
            return render(
                sh,
                "bank_files/list.html",
                status=_error_status(request, 422),
                recent=await _recent(request, sh),
                error=error,
            )
        if is_partial(request):
            return Response(None, status_code=204, headers={"HX-Redirect": f"/bank-files/{file_id}"})
        return Redirect(f"/bank-files/{file_id}", status_code=303)

    @get("/{file_id:str}", guards=[requires(Permission.BANK_FILES_READ)])
    async def show(self, request: Request[Any, Any, Any], file_id: FromPath[str]) -> Template:
        sh = await shell(request)
        data = await _file(request, sh, file_id)
        template = "bank_files/_status.html" if is_partial(request) else "bank_files/detail.html"
        return render(sh, template, **data)


class CashApplicationPages(Controller):
    path = "/cash-application"
    include_in_schema = False

    @get("/", guards=[requires(Permission.BANK_FILES_READ)])
    async def index(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        async with uow_of(request, sh) as uow:
            rows = await SqlBankFileRepository(uow.session, uow.tenant).records_with_status(
                ["review", "skipped"], 100, None
            )
            items = [record_out(r) for r in rows]
            current = request.query_params.get("line")
            selected = next((i for i in items if i.id == current), items[0] if items else None)
            candidates = await load_candidates(uow, selected, sh.locale)
        return render(
            sh,
            "bank_files/review.html",
            items=items,
            selected=selected,
            candidates=candidates,
            error=request.query_params.get("error"),
        )

    @post("/{line_id:str}/{action:str}", guards=[requires(Permission.BANK_FILES_WRITE)])
    async def act(
        self, request: Request[Any, Any, Any], line_id: FromPath[str], action: FromPath[str]
    ) -> Response[Any]:
        sh = await shell(request)
        form = await form_data(request)
        lid = parse_uuid(line_id)
        try:
            async with uow_of(request, sh) as uow:
                if action == "confirm":
                    await confirm_line(uow, ports_for(uow), lid, proposal=int(form.get("proposal") or 0))
                elif action == "skip":
                    await skip_line(uow, lid)
                else:
                    raise NotFoundException("No such action.")
                await uow.commit()
        except (ValidationFailed, Conflict) as exc:
            return Redirect(f"/cash-application?error={str(exc)[:200]}", status_code=303)
        return Redirect("/cash-application", status_code=303)


ROUTES = [BankFilePages, CorrectionQueuePages, CashApplicationPages]
