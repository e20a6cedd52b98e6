"""The correction queue page (UX §5): each record's error in the reader's language,
the raw line, a suggested fix, and what a finance user does about it.

Assigning never asks for an id: the user searches by invoice number, nosso número,
customer name or tax id, or amount, and picks an open installment (the money applies
to it) or a customer (the money stays as credit on the customer's account, as the
customer assignment of ``resolve`` does). The search answers HTMX as a fragment per
keystroke; without JavaScript the same search is a GET that renders the page with
that record's results. Each box starts with the record's best hint, so the likeliest
candidates show at once.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from babel.numbers import format_decimal
from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.adapters.db.models import BankFileRecordRow
from app.adapters.db.repositories.settlement import SqlBankAccountRepository, SqlBankFileRepository
from app.adapters.db.repositories.settlement_apply import ports_for
from app.adapters.db.repositories.settlement_queue import Resolution, resolve
from app.adapters.db.repositories.settlement_queue_search import AssignCandidates, SqlQueueSearch
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.settlement.service import QueueReason
from app.domain.shared.errors import Conflict, ValidationFailed
from app.domain.shared.money import Money
from app.domain.tenancy.model import Permission
from app.server.bank_files_schemas import RecordOut, record_out
from app.server.guards import requires
from app.web.format import normalize_locale
from app.web.i18n import translate
from app.web.pages import form_data, parse_amount_input, parse_uuid, render, shell, uow_of
from app.web.queue_errors import queue_error

QUEUE_LIMIT = 200
# Why people dismiss a bank record, stored as written here (the record's resolution
# and the audit keep the reason; the API takes any text). "other" needs the note.
DISMISS_REASONS = (
    "Not our title",
    "Duplicate of a record already applied",
    "Settled outside Cobalto",
    "Bank test or informational record",
    "Refunded to the payer",
)
OTHER_REASON = "other"
# What can be read as an amount: digits and separators, maybe a currency in front.
_AMOUNT_TERM = re.compile(r"(?:R\$|MX\$|US\$|\$|BRL|MXN|USD)?\s*\d[\d.,\s]*", re.IGNORECASE)
# More digits than any receivable: a nosso número or a tax id, not an amount.
_MAX_AMOUNT_DIGITS = 13


@dataclass(frozen=True, slots=True)
class QueueCard:
    record: RecordOut
    error: str  # in the reader's language
    currency: str
    hint: str  # what the search box starts with
    found: AssignCandidates | None  # results rendered in the page (the no-JS search)


def _currency(row: BankFileRecordRow) -> str:
    # Statement lines carry their currency; CNAB returns are in reais.
    return str((row.parsed or {}).get("currency") or "BRL")


def _amount_text(minor: int, currency: str, locale: str) -> str:
    """An amount as people type it in the locale ("1.234,56" in pt-BR), no symbol."""
    value = Money.from_minor(minor, currency).amount
    return format_decimal(value, format="#,##0.00", locale=normalize_locale(locale).replace("-", "_"))


def _document(row: BankFileRecordRow) -> str:
    return str((row.parsed or {}).get("seu_numero") or "").strip()


def _hint(row: BankFileRecordRow, known: set[str], locale: str) -> str:
    """The search most likely to show the record's installment first: the document
    number when it names one of ours, the nosso número when the processing found the
    installment (an amount or currency that differs), else the amount received."""
    document = _document(row)
    if document and document in known:
        return document
    if row.installment_id is not None and row.reference:
        return row.reference
    if row.amount_minor > 0:
        return _amount_text(row.amount_minor, _currency(row), locale)
    return row.reference or ""


def amount_of(term: str, locale: str, currency: str) -> Money | None:
    """The term read as an amount in the locale ("1.234,56", "R$ 150", "150.5"), if it
    is one."""
    text = term.strip()
    if not _AMOUNT_TERM.fullmatch(text):
        return None
    digits = re.sub(r"[^\d.,]", "", text)
    if sum(ch.isdigit() for ch in digits) > _MAX_AMOUNT_DIGITS:
        return None
    try:
        money = Money.of(Decimal(parse_amount_input(digits, locale)), currency)
    except (InvalidOperation, ValueError):
        return None
    return money if money.is_positive() else None


async def _search(uow: SqlUnitOfWork, row: BankFileRecordRow, term: str, locale: str) -> AssignCandidates:
    currency = _currency(row)
    return await SqlQueueSearch(uow.session, uow.tenant).candidates(
        term, amount_of(term, locale, currency), currency
    )


def _dismiss_reason(form: dict[str, str]) -> str | None:
    chosen = (form.get("reason") or "").strip()
    note = (form.get("reason_note") or "").strip()
    if chosen == OTHER_REASON:
        chosen = ""
    joined = f"{chosen}: {note}" if chosen and note else chosen or note
    return joined[:500] or None


def _message(exc: ValidationFailed | Conflict, locale: str) -> str:
    """What went wrong, for a person: the messages translated, without the API's field
    names (the form has no field called installment_id)."""
    if isinstance(exc, ValidationFailed):
        return "; ".join(translate(locale, e.message) for e in exc.errors) or translate(locale, exc.detail)
    already = re.fullmatch(r"the record is already (\w+)", exc.detail)
    if already:
        return translate(
            locale, "This record was already handled: {status}.", status=translate(locale, already.group(1))
        )
    return translate(locale, exc.detail)


class CorrectionQueuePages(Controller):
    path = "/correction-queue"
    include_in_schema = False

    @get("/", guards=[requires(Permission.BANK_FILES_READ)])
    async def index(self, request: Request[Any, Any, Any]) -> Template:
        sh = await shell(request)
        focus = request.query_params.get("record")
        term = request.query_params.get("q")
        can_write = sh.can(Permission.BANK_FILES_WRITE.value)
        cards: list[QueueCard] = []
        accounts: list[Any] = []
        async with uow_of(request, sh) as uow:
            rows = await SqlBankFileRepository(uow.session, uow.tenant).records_with_status(
                ["queued"], QUEUE_LIMIT, None
            )
            known = await SqlQueueSearch(uow.session, uow.tenant).known_references(
                {_document(r) for r in rows} if can_write else set()
            )
            for row in rows:
                hint = _hint(row, known, sh.locale)
                found = None
                if can_write and term is not None and focus == str(row.id):
                    found = await _search(uow, row, term, sh.locale)
                    hint = term
                cards.append(
                    QueueCard(
                        record_out(row),
                        queue_error(row.error_code, row.error, sh.locale, _currency(row)),
                        _currency(row),
                        hint,
                        found,
                    )
                )
            if can_write and any(r.error_code == QueueReason.UNKNOWN_ACCOUNT.value for r in rows):
                accounts = await SqlBankAccountRepository(uow.session, uow.tenant).list_after(100, None)
        return render(
            sh,
            "bank_files/queue.html",
            cards=cards,
            accounts=accounts,
            dismiss_reasons=DISMISS_REASONS,
            other_reason=OTHER_REASON,
            error=request.query_params.get("error"),
        )

    @get("/{record_id:str}/candidates", guards=[requires(Permission.BANK_FILES_WRITE)])
    async def candidates(self, request: Request[Any, Any, Any], record_id: FromPath[str]) -> Template:
        """The search's fragment (HTMX): the results for what is typed in one record's box."""
        sh = await shell(request)
        term = request.query_params.get("q") or ""
        async with uow_of(request, sh) as uow:
            row = await SqlBankFileRepository(uow.session, uow.tenant).record(parse_uuid(record_id))
            if row is None:
                raise NotFoundException("This record does not exist.")
            found = await _search(uow, row, term, sh.locale)
        return render(
            sh,
            "bank_files/_queue_candidates.html",
            record_id=str(row.id),
            found=found,
            currency=_currency(row),
        )

    @post("/{record_id:str}", guards=[requires(Permission.BANK_FILES_WRITE)])
    async def act(self, request: Request[Any, Any, Any], record_id: FromPath[str]) -> Response[Any]:
        sh = await shell(request)
        form = await form_data(request)
        rid = parse_uuid(record_id)

        def maybe(name: str) -> uuid.UUID | None:
            raw = (form.get(name) or "").strip()
            try:
                return uuid.UUID(raw) if raw else None
            except ValueError:
                return None

        action = form.get("action", "")
        how = Resolution(
            action, maybe("installment_id"), maybe("customer_id"), maybe("bank_account_id"),
            _dismiss_reason(form) if action == "dismiss" else (form.get("reason") or "").strip() or None,
        )  # fmt: skip
        try:
            async with uow_of(request, sh) as uow:
                await resolve(uow, ports_for(uow), rid, how)
                await uow.commit()
        except (ValidationFailed, Conflict) as exc:
            return Redirect(
                f"/correction-queue?error={quote(_message(exc, sh.locale)[:200])}#record-{rid}",
                status_code=303,
            )
        return Redirect("/correction-queue", status_code=303)


ROUTES = [CorrectionQueuePages]
