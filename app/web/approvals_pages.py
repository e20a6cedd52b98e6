"""The approvals inbox: credit notes, adjustments and write-offs above the tenant's
threshold wait here for a second user. Approve or reject with a comment; the domain
enforces that the maker is not the checker, and its message is shown as it is."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.adapters.db.queries_payments_web import APPROVAL_STATES, PaymentWebQueries
from app.domain.receivables.approval import APPROVABLE_KINDS, Approver
from app.domain.receivables.service_changes import approve_change, reject_change
from app.domain.shared.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.web.invoice_installments import REASON_LABELS
from app.web.pages import (
    PER_PAGE,
    Shell,
    field_errors,
    form_data,
    is_partial,
    parse_page,
    parse_uuid,
    render,
    shell,
    uow_of,
)

KINDS = sorted(k.value for k in APPROVABLE_KINDS)
NOTICES = ("approved", "rejected")


def _params(request: Request[Any, Any, Any]) -> dict[str, str]:
    qp = request.query_params
    state = qp.get("state") or "requested"
    kind = qp.get("kind") or ""
    return {
        "state": state if state in APPROVAL_STATES else "requested",
        "kind": kind if kind in KINDS else "",
    }


class ApprovalPages(Controller):
    path = "/approvals"
    include_in_schema = False

    @get("/", guards=[requires(Permission.INVOICES_READ)])
    async def inbox(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        return await _inbox(request, sh, notice=request.query_params.get("notice"))

    @post("/{request_id:str}/approve", guards=[requires(Permission.APPROVALS_DECIDE)])
    async def approve(self, request: Request[Any, Any, Any], request_id: FromPath[str]) -> Response[Any]:
        return await _decide(request, request_id, approve=True)

    @post("/{request_id:str}/reject", guards=[requires(Permission.APPROVALS_DECIDE)])
    async def reject(self, request: Request[Any, Any, Any], request_id: FromPath[str]) -> Response[Any]:
        return await _decide(request, request_id, approve=False)


async def _decide(request: Request[Any, Any, Any], raw_id: str, *, approve: bool) -> Response[Any]:
    sh = await shell(request)
    rid = parse_uuid(raw_id)
    values = await form_data(request)
    note = values.get("note", "").strip()
    approver = Approver(sh.user.user_id)
    async with uow_of(request, sh) as uow:
        try:
            if approve:
                await approve_change(uow, rid, approver, note or None)
            else:
                await reject_change(uow, rid, approver, note)
            await uow.commit()
        except NotFound as exc:
            raise NotFoundException("This approval request does not exist.") from exc
        except PermissionDenied as exc:
            failed: tuple[int, list[FieldError]] = (403, [FieldError("__all__", exc.detail)])
        except ValidationFailed as exc:
            failed = (422, exc.errors)
        except Conflict as exc:
            failed = (409, [FieldError("__all__", exc.detail)])
        else:
            notice = "approved" if approve else "rejected"
            return Redirect(f"/approvals?notice={notice}", status_code=303)
    status, errors = failed
    return await _inbox(
        request, sh, status=status, failed_id=str(rid), values=values, errors=field_errors(errors)
    )


async def _inbox(
    request: Request[Any, Any, Any],
    sh: Shell,
    *,
    status: int = 200,
    notice: str | None = None,
    failed_id: str | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Template:
    params = _params(request) if failed_id is None else {"state": "requested", "kind": ""}
    page_no = parse_page(request.query_params.get("page"))
    async with uow_of(request, sh) as uow:
        page = await PaymentWebQueries(uow.session, uow.tenant).approvals(
            params["state"], params["kind"] or None, page_no, PER_PAGE
        )
    context: dict[str, Any] = {
        "page": page,
        "params": params,
        "states": APPROVAL_STATES,
        "kinds": KINDS,
        "notice": notice if notice in NOTICES else None,
        "failed_id": failed_id,
        "values": values or {},
        "errors": errors or {},
        "now": sh.today,
        "reason_labels": REASON_LABELS,
    }
    if is_partial(request) and failed_id is None:
        return render(sh, "approvals/_table.html", status=status, **context)
    return render(sh, "approvals/list.html", status=status, **context)


ROUTES = [ApprovalPages]
