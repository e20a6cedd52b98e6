"""The mailbox: every e-mail Cobalto sent (or, in the embedded default, kept locally)
for this tenant — the list and one message with its HTML shown in a sandbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from app.adapters.db.queries_reports import MailboxQueries
from app.domain.tenancy.model import Permission
from app.server.guards import requires
from app.server.pagination import decode_cursor, encode_cursor
from app.web.pages import is_partial, parse_uuid, render, shell, uow_of

PAGE = 50


def _before(raw: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not raw:
        return None
    try:
        at, email_id = decode_cursor(raw, 2)
        return datetime.fromisoformat(str(at)), uuid.UUID(str(email_id))
    except Exception:  # a hand-edited URL starts from the newest
        return None


class MailboxPages(Controller):
    path = "/mailbox"
    include_in_schema = False
    # What was said to customers and staff is part of the record: the audit readers.
    guards = [requires(Permission.AUDIT_READ)]

    @get("/")
    async def list_messages(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        kind = (request.query_params.get("kind") or "")[:60]
        before = _before(request.query_params.get("before"))
        async with uow_of(request, sh) as uow:
            q = MailboxQueries(uow.session, uow.tenant)
            rows, nxt = await q.page(PAGE, before, kind or None)
            kinds = await q.kinds() if not is_partial(request) else []
        context: dict[str, Any] = {
            "messages": rows,
            "kind": kind,
            "kinds": kinds,
            "paged": before is not None,
            "next_cursor": encode_cursor([nxt[0].isoformat(), str(nxt[1])]) if nxt else None,
            "embedded": not request.app.state.services.settings.smtp_url,
        }
        template = "mailbox/_list.html" if is_partial(request) else "mailbox/list.html"
        return render(sh, template, **context)

    @get("/{email_id:str}")
    async def show_message(self, request: Request[Any, Any, Any], email_id: FromPath[str]) -> Template:
        sh = await shell(request)
        async with uow_of(request, sh) as uow:
            message = await MailboxQueries(uow.session, uow.tenant).get(parse_uuid(email_id))
        if message is None:
            raise NotFoundException("This message does not exist.")
        return render(sh, "mailbox/detail.html", message=message)


ROUTES = [MailboxPages]
