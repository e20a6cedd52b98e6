"""Statements (camt, OFX, MT940, BAI2, mapped CSV): each credit through the matching
engine; auto-applied above the tenant's threshold, otherwise left for review with
the ranked proposals and their signals.

Cash-application actions (confirm a proposal or explicit allocations, skip, apply on
account) lock the line, refuse a line that is no longer open, and apply through the
same idempotent seam: a double confirm never applies twice.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from app.adapters.banks.statement_identity import statement_identity
from app.adapters.banks.statements import CsvMapping, parse_statement
from app.adapters.db.base import utcnow
from app.adapters.db.models import BankAccountRow, BankFileRecordRow, BankFileRow
from app.adapters.db.repositories.settlement import SqlBankAccountRepository, SqlBankFileRepository
from app.adapters.db.repositories.settlement_lease import FileLease
from app.adapters.db.repositories.settlement_matching import SqlCandidateProvider
from app.adapters.db.repositories.settlement_store import BankFileStore
from app.adapters.db.uow import SqlUnitOfWork
from app.domain.settlement.matching import MatchResult, match_line
from app.domain.settlement.matching_ports import MatchSettings, PaymentLine
from app.domain.settlement.matching_scoring import AutoApply, MatchProposal
from app.domain.settlement.review_reasons import REASON_SEPARATOR
from app.domain.settlement.service import (
    OPEN_STATUSES,
    AllocationLine,
    FileCounters,
    QueueReason,
    RecordDecision,
    RecordStatus,
    SettlementPort,
    SettlementSource,
    SettlementToApply,
    apply_settlement,
)
from app.domain.settlement.statement_accounts import (
    AccountIdentity,
    RegisteredAccount,
    match_statement_account,
)
from app.domain.settlement.statements import StatementFormat, StatementLine
from app.domain.shared.errors import Conflict, FieldError, NotFound, ValidationFailed
from app.domain.shared.events import DomainEvent
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money

BATCH = 200
IDENTITY_HEAD = 64 * 1024  # where an OFX header or a CSV preamble names the account


def line_key(account: str | None, line: StatementLine) -> str:
    """A statement line's identity across files: the bank's own id when it gives one,
    else a digest of what the line says (a re-sent statement repeats it exactly)."""
    if line.bank_reference:
        return f"stmt:{account or '-'}:{line.bank_reference}"[:160]
    what = "|".join(
        str(x)
        for x in (
            line.booking_date,
            line.value_date,
            line.amount.amount,
            line.remittance_info,
            line.payer_tax_id,
            line.end_to_end_id,
            line.line_no,
        )
    )
    return f"stmt:{account or '-'}:{hashlib.sha256(what.encode()).hexdigest()[:32]}"


def line_fields(line: StatementLine) -> dict[str, Any]:
    return {
        "booking_date": line.booking_date.isoformat() if line.booking_date else None,
        "value_date": line.value_date.isoformat() if line.value_date else None,
        "amount": str(line.amount.amount),
        "currency": line.amount.currency,
        "direction": line.direction.value,
        "bank_reference": line.bank_reference,
        "end_to_end_id": line.end_to_end_id,
        "remittance_info": line.remittance_info,
        "payer_name": line.payer_name,
        "payer_tax_id": line.payer_tax_id,
        "payer_account": line.payer_account,
        "transaction_code": line.transaction_code,
        "customer_reference": line.customer_reference,
    }


def payment_line(fields: dict[str, Any], key: str) -> PaymentLine:
    from datetime import date

    when = fields.get("value_date") or fields.get("booking_date")
    return PaymentLine(
        amount=Money.of(Decimal(fields["amount"]), fields["currency"]),
        value_date=date.fromisoformat(when) if when else date.min,
        reference_text=fields.get("remittance_info") or "",
        payer_tax_id=fields.get("payer_tax_id"),
        payer_name=fields.get("payer_name"),
        payer_account=fields.get("payer_account"),
        end_to_end_id=fields.get("end_to_end_id"),
        line_id=key,
    )


def proposal_json(p: MatchProposal) -> dict[str, Any]:
    return {
        "customer_id": str(p.customer_id),
        "installment_ids": [str(i) for i in p.installment_ids],
        "confidence": round(p.confidence, 4),
        "signals": [{"kind": s.kind.value, "weight": s.weight, "detail": s.detail} for s in p.signals],
        "allocations": [
            {"installment_id": str(i), "amount": str(p.plan.to(i).amount)} for i in p.plan.installment_ids
        ],
        "unapplied": str(p.plan.unapplied.amount),
        "residual": {
            "kind": p.residual.kind.value,
            "amount": str(p.residual.amount.amount),
            "reason": p.residual.reason,
        },
        "explain": p.explain(),
    }


async def match_settings(uow: SqlUnitOfWork) -> MatchSettings:
    policy = await uow.receivables_policy()
    tolerance = policy.tolerance or Money.of("0.05", policy.currency)
    return MatchSettings(
        currency=policy.currency,
        tolerance_amount=tolerance,
        auto_apply_threshold=float(policy.auto_apply_threshold),
        late_charges=policy.late_charges,
        component_order=policy.component_order,
    )


async def run_matching(uow: SqlUnitOfWork, line: PaymentLine, settings: MatchSettings) -> MatchResult:
    tenant = uow.tenant

    def run(session: Any) -> MatchResult:
        return match_line(line, SqlCandidateProvider(session, tenant), settings)

    return await uow.session.run_sync(run)


def settlement_of(
    key: str, line: PaymentLine, customer_id: uuid.UUID | None, allocations: Sequence[AllocationLine]
) -> SettlementToApply:
    return SettlementToApply(
        external_id=key,
        source=SettlementSource.STATEMENT,
        reference=(line.reference_text or key)[:200],
        amount=line.amount,
        value_date=line.value_date,
        customer_id=customer_id,
        allocations=tuple(allocations),
        payer_name=line.payer_name,
        payer_tax_id=line.payer_tax_id,
        payer_account=line.payer_account,
    )


def _from_proposal(key: str, line: PaymentLine, p: MatchProposal) -> SettlementToApply:
    allocs = [AllocationLine(i, p.plan.to(i)) for i in p.plan.installment_ids if p.plan.to(i).is_positive()]
    return settlement_of(key, line, p.customer_id, allocs)


async def decide_line(
    uow: SqlUnitOfWork, line: PaymentLine, key: str, settings: MatchSettings
) -> tuple[RecordDecision, list[dict[str, Any]]]:
    result = await run_matching(uow, line, settings)
    proposals = [proposal_json(p) for p in result.proposals[:5]]
    if isinstance(result.decision, AutoApply):
        return RecordDecision(
            RecordStatus.APPLIED, settlement=_from_proposal(key, line, result.decision.proposal)
        ), proposals
    reasons = REASON_SEPARATOR.join(result.decision.reasons) or "no candidate"
    return RecordDecision(RecordStatus.REVIEW, message=reasons), proposals


UNKNOWN_ACCOUNT_MESSAGE = "the statement's bank account is not registered"
ACCOUNT_PAGE = 500


async def registered_accounts(accounts: SqlBankAccountRepository) -> list[RegisteredAccount]:
    out: list[RegisteredAccount] = []
    after = None
    while True:
        page = await accounts.list_after(ACCOUNT_PAGE, after)
        out += [
            RegisteredAccount(r.id, r.bank_code, r.agency, r.agency_digit, r.account, r.digit) for r in page
        ]
        if len(page) < ACCOUNT_PAGE:
            return out
        after = page[-1].id


def _account_warning(chosen: BankAccountRow, identity: AccountIdentity) -> dict[str, Any] | None:
    """The chosen account wins, but a file naming another account is worth a warning."""
    ref = RegisteredAccount(
        chosen.id, chosen.bank_code, chosen.agency, chosen.agency_digit, chosen.account, chosen.digit
    )
    if identity.empty or match_statement_account([ref], identity) is not None:
        return None
    named = identity.iban or "/".join(p for p in (identity.bank_code, identity.agency, identity.account) if p)
    return {
        "line": 0,
        "field": "account",
        "message": f"the file names account {named}, not the chosen {chosen.agency}/{chosen.account}",
        "severity": "warning",
    }


async def process_statement(factory: Any, store: BankFileStore, lease: FileLease, ports: Any) -> None:
    """Parse, find the bank account the statement is for (the chosen one, else the one
    the file names), then take the lines in batches. Without an account every credit
    waits in the correction queue as ``unknown_account`` until one is assigned. Every
    commit renews the file's lease (``LeaseLost`` once another processor took it)."""
    file_id = lease.file_id
    async with factory() as uow:
        files = SqlBankFileRepository(uow.session, uow.tenant)
        accounts = SqlBankAccountRepository(uow.session, uow.tenant)
        row = await files.get(file_id)
        assert row is not None
        chosen = await accounts.get(row.bank_account_id) if row.bank_account_id else None
        mapping = CsvMapping.from_dict(chosen.csv_mapping) if chosen and chosen.csv_mapping else None
        data = store.read(row.sha256)
        parsed = parse_statement(data, csv_mapping=mapping)
        identity = statement_identity(parsed, data[:IDENTITY_HEAD])
        account_id = chosen.id if chosen is not None else None
        if account_id is None:
            account_id = match_statement_account(await registered_accounts(accounts), identity)
            matched = await accounts.get(account_id) if account_id else None
            if matched is not None and matched.csv_mapping and parsed.format is StatementFormat.CSV:
                parsed = parse_statement(data, csv_mapping=CsvMapping.from_dict(matched.csv_mapping))
        errors = [
            {
                "line": e.line_no or 0,
                "field": "line" if e.line_no else "file",
                "message": e.message,
                "severity": "error" if e.line_no is None else "warning",
            }
            for e in parsed.errors
        ]
        warning = _account_warning(chosen, identity) if chosen is not None else None
        invalid = any(e.line_no is None for e in parsed.errors) or not parsed.lines
        await lease.extend(
            files,
            errors=[warning, *errors] if warning else errors,
            header_account={
                "account": parsed.account,
                "currency": parsed.currency,
                "statement_id": parsed.statement_id,
                "identity": identity.as_json(),
            },
            bank_account_id=account_id,
            bank_code=row.bank_code or identity.bank_code or None,
            totals={
                "opening_balance": str(parsed.opening_balance.amount) if parsed.opening_balance else None,
                "closing_balance": str(parsed.closing_balance.amount) if parsed.closing_balance else None,
                "credits": str(parsed.total_credits.amount),
                "debits": str(parsed.total_debits.amount),
                "detail_records": len(parsed.lines),
            },
        )
        resume = row.processed_through
        await uow.commit()
    if invalid:
        await _finish(factory, lease, "invalid")
        return
    counters = FileCounters()
    lines = [ln for ln in parsed.lines if ln.line_no > resume]
    for start in range(0, len(lines), BATCH):
        chunk = lines[start : start + BATCH]
        async with factory() as uow:
            files = SqlBankFileRepository(uow.session, uow.tenant)
            # The lease first (its row lock on PostgreSQL): a processor that lost it
            # writes nothing.
            await lease.extend(files)
            current = await files.get(file_id)
            assert current is not None
            counters = FileCounters(
                records=current.records,
                settled_count=current.settled_count,
                settled_minor=current.settled_minor,
                applied_count=current.applied_count,
                queued_count=current.queued_count,
                review_count=current.review_count,
                duplicate_count=current.duplicate_count,
            )
            settings = await match_settings(uow)
            port = ports(uow)
            rows = []
            for ln in chunk:
                key = line_key(parsed.account, ln)
                fields = line_fields(ln)
                payment_id = customer_id = None
                proposals: list[dict[str, Any]] | None = None
                created = None
                if ln.is_credit and ln.amount.is_positive() and account_id is None:
                    decision = RecordDecision(
                        RecordStatus.QUEUED, QueueReason.UNKNOWN_ACCOUNT, UNKNOWN_ACCOUNT_MESSAGE
                    )
                elif ln.is_credit and ln.amount.is_positive():
                    pl = payment_line(fields, key)
                    decision, proposals = await decide_line(uow, pl, key, settings)
                    if decision.settlement is not None:
                        applied = await apply_settlement(port, decision.settlement)
                        payment_id, created = applied.payment_id, applied.created
                        customer_id = decision.settlement.customer_id
                else:
                    decision = RecordDecision(RecordStatus.IGNORED, message="debit")
                counters.add_line(decision.status, ln.amount.minor if ln.is_credit else 0, created)
                rows.append(
                    {
                        "id": new_id(),
                        "file_id": file_id,
                        "line_no": ln.line_no,
                        "raw": ln.raw or "",
                        "parsed": fields,
                        "outcome": "credit" if ln.is_credit else "debit",
                        "status": decision.status.value,
                        "error_code": decision.reason.value if decision.reason else None,
                        "error": decision.message,
                        "record_key": key,
                        "amount_minor": ln.amount.minor,
                        "value_date": ln.value_date or ln.booking_date,
                        "reference": (ln.bank_reference or "")[:60] or None,
                        "installment_id": None,
                        "customer_id": customer_id,
                        "payment_id": payment_id,
                        "proposals": proposals,
                        "resolution": {"duplicate_of_payment": True} if created is False else None,
                        "updated_at": utcnow(),
                    }
                )
            await files.add_records(rows)
            await files.set(file_id, processed_through=chunk[-1].line_no, **counters.as_dict())
            await uow.commit()
    await _finish(factory, lease, "processed")


async def _finish(factory: Any, lease: FileLease, status: str) -> None:
    async with factory() as uow:
        files = SqlBankFileRepository(uow.session, uow.tenant)
        await lease.release(files, status=status, finished_at=utcnow())
        uow.record(DomainEvent("bank_file.processed", {"bank_file_id": str(lease.file_id), "status": status}))
        await uow.commit()


# --- correction queue and cash-application review ---------------------------------


async def reprocess_line(
    uow: SqlUnitOfWork, port: SettlementPort, file: BankFileRow, row: BankFileRecordRow, how: Any
) -> None:
    from app.adapters.db.repositories.settlement_queue import apply_decision

    pl = payment_line(row.parsed, row.record_key or "")
    if how.installment_id is not None:
        inst = await SqlBankFileRepository(uow.session, uow.tenant).installment(how.installment_id)
        if inst is None:
            raise ValidationFailed([FieldError("installment_id", "no such installment")])
        amount = pl.amount.min(inst.open_amount)
        decision = RecordDecision(
            RecordStatus.APPLIED,
            settlement=settlement_of(
                row.record_key or "",
                pl,
                inst.customer_id,
                [AllocationLine(inst.installment_id, amount)] if amount.is_positive() else [],
            ),
            installment=inst,
        )
    elif how.customer_id is not None:
        decision = RecordDecision(
            RecordStatus.ON_ACCOUNT, settlement=settlement_of(row.record_key or "", pl, how.customer_id, [])
        )
    elif file.bank_account_id is None:
        # Like a CNAB return: nothing is matched before the account is known.
        decision = RecordDecision(RecordStatus.QUEUED, QueueReason.UNKNOWN_ACCOUNT, UNKNOWN_ACCOUNT_MESSAGE)
    else:
        decision, proposals = await decide_line(uow, pl, row.record_key or "", await match_settings(uow))
        row.proposals = proposals
    await apply_decision(port, row, decision)


async def _open_line(uow: SqlUnitOfWork, line_id: uuid.UUID) -> tuple[BankFileRecordRow, BankFileRow]:
    files = SqlBankFileRepository(uow.session, uow.tenant)
    row = await files.record(line_id, for_update=True)
    if row is None or row.outcome != "credit":
        raise NotFound("statement line not found")
    if RecordStatus(row.status) not in OPEN_STATUSES:
        raise Conflict(f"the line is already {row.status}")
    file = await files.get(row.file_id)
    assert file is not None
    return row, file


async def confirm_line(
    uow: SqlUnitOfWork,
    port: SettlementPort,
    line_id: uuid.UUID,
    *,
    proposal: int | None = None,
    allocations: Sequence[tuple[uuid.UUID, Money]] = (),
) -> BankFileRecordRow:
    row, file = await _open_line(uow, line_id)
    key = row.record_key or ""
    pl = payment_line(row.parsed, key)
    if proposal is not None:
        props = row.proposals or []
        if not 0 <= proposal < len(props):
            raise ValidationFailed([FieldError("proposal", f"must be between 0 and {len(props) - 1}")])
        chosen: dict[str, Any] = props[proposal]
        allocs = [
            AllocationLine(uuid.UUID(a["installment_id"]), Money.of(Decimal(a["amount"]), pl.amount.currency))
            for a in chosen["allocations"]
        ]
        customer_id = uuid.UUID(chosen["customer_id"])
    else:
        if not allocations:
            raise ValidationFailed([FieldError("allocations", "give a proposal index or allocations")])
        files = SqlBankFileRepository(uow.session, uow.tenant)
        allocs = []
        customer_id = None
        for inst_id, amount in allocations:
            inst = await files.installment(inst_id)
            if inst is None:
                raise ValidationFailed([FieldError("allocations", f"no such installment {inst_id}")])
            customer_id = customer_id or inst.customer_id
            allocs.append(AllocationLine(inst_id, Money.of(amount.amount, pl.amount.currency)))
    decision = RecordDecision(RecordStatus.APPLIED, settlement=settlement_of(key, pl, customer_id, allocs))
    return await _finish_action(uow, port, row, file, decision, "confirm")


async def apply_on_account(
    uow: SqlUnitOfWork, port: SettlementPort, line_id: uuid.UUID, customer_id: uuid.UUID
) -> BankFileRecordRow:
    row, file = await _open_line(uow, line_id)
    pl = payment_line(row.parsed, row.record_key or "")
    decision = RecordDecision(
        RecordStatus.ON_ACCOUNT, settlement=settlement_of(row.record_key or "", pl, customer_id, [])
    )
    return await _finish_action(uow, port, row, file, decision, "apply_on_account")


async def skip_line(uow: SqlUnitOfWork, line_id: uuid.UUID) -> BankFileRecordRow:
    row, file = await _open_line(uow, line_id)
    before = {"status": row.status}
    row.status = RecordStatus.SKIPPED.value
    row.updated_at = utcnow()
    uow.audit("cash_application.skip", "bank_file_record", str(row.id), before, {"status": row.status})
    await uow.session.flush()
    from app.adapters.db.repositories.settlement_queue import refresh_counts

    await refresh_counts(SqlBankFileRepository(uow.session, uow.tenant), file.id)
    return row


async def _finish_action(
    uow: SqlUnitOfWork,
    port: SettlementPort,
    row: BankFileRecordRow,
    file: BankFileRow,
    decision: RecordDecision,
    action: str,
) -> BankFileRecordRow:
    from app.adapters.db.repositories.settlement_queue import apply_decision, refresh_counts

    before = {"status": row.status}
    await apply_decision(port, row, decision)
    row.resolution = {"action": action, "by": uow.actor, "at": utcnow().isoformat()}
    row.updated_at = utcnow()
    await uow.session.flush()
    await refresh_counts(SqlBankFileRepository(uow.session, uow.tenant), file.id)
    uow.audit(
        f"cash_application.{action}",
        "bank_file_record",
        str(row.id),
        before,
        {"status": row.status, "payment_id": str(row.payment_id)},
    )
    return row
