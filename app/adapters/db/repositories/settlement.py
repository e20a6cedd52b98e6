"""Persistence of bank accounts, bank files and their records (tenant-scoped)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, func, or_, select, update

from app.adapters.db.bulk import insert_columns, one_of
from app.adapters.db.models import BankAccountRow, BankFileRecordRow, BankFileRow, InstallmentRow
from app.adapters.db.repositories.base import TenantRepository
from app.domain.settlement.service import InstallmentRef, nosso_numero_key
from app.domain.shared.money import Money

_RECORDS = cast(Table, BankFileRecordRow.__table__)
CHUNK = 5_000  # nosso números per lookup (bound as one array on PostgreSQL)


def installment_ref(row: Any) -> InstallmentRef:
    return InstallmentRef(
        installment_id=row.id,
        customer_id=row.customer_id,
        face_value=Money.from_minor(row.amount_minor, row.currency),
        open_amount=Money.from_minor(row.open_minor, row.currency),
        due_date=row.due_date,
        bank_reference=row.bank_reference,
        txid=row.txid,
    )


_INSTALLMENT_COLS = (
    InstallmentRow.id,
    InstallmentRow.customer_id,
    InstallmentRow.amount_minor,
    InstallmentRow.open_minor,
    InstallmentRow.currency,
    InstallmentRow.due_date,
    InstallmentRow.bank_reference,
    InstallmentRow.txid,
)


class SqlBankAccountRepository(TenantRepository):
    async def get(self, account_id: uuid.UUID, *, for_update: bool = False) -> BankAccountRow | None:
        stmt = self.scoped(BankAccountRow).where(BankAccountRow.id == account_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar()

    async def list_after(self, limit: int, after: uuid.UUID | None) -> list[BankAccountRow]:
        stmt = self.scoped(BankAccountRow).order_by(BankAccountRow.id).limit(limit)
        if after is not None:
            stmt = stmt.where(BankAccountRow.id > after)
        return list((await self.session.execute(stmt)).scalars())

    async def identities(self, bank_code: str) -> list[tuple[uuid.UUID, str, str, str, str]]:
        stmt = self.scoped(
            BankAccountRow,
            BankAccountRow.id,
            BankAccountRow.bank_code,
            BankAccountRow.agency,
            BankAccountRow.account,
            BankAccountRow.agreement,
        ).where(BankAccountRow.bank_code == bank_code)
        return [tuple(r) for r in (await self.session.execute(stmt)).all()]

    def add(self, row: BankAccountRow) -> None:
        row.tenant_id = self.tenant_uuid
        self.session.add(row)

    async def take_nosso_numero(self, account_id: uuid.UUID) -> int:
        """The account's next nosso número, reserved in this transaction (row-locked)."""
        return await self._take(account_id, BankAccountRow.next_nosso_numero, "next_nosso_numero")

    async def take_remittance_sequence(self, account_id: uuid.UUID) -> int:
        return await self._take(
            account_id, BankAccountRow.next_remittance_sequence, "next_remittance_sequence"
        )

    async def _take(self, account_id: uuid.UUID, column: Any, name: str) -> int:
        # An UPDATE … RETURNING increments atomically on both databases: two requests
        # never get the same number, with or without row locks.
        stmt = (
            update(BankAccountRow)
            .where(BankAccountRow.tenant_id == self.tenant_uuid, BankAccountRow.id == account_id)
            .values({name: column + 1})
            .returning(column)
        )
        value = (await self.session.execute(stmt)).scalar()
        if value is None:
            raise LookupError("bank account not found")
        return int(value) - 1


class SqlBankFileRepository(TenantRepository):
    async def get(self, file_id: uuid.UUID) -> BankFileRow | None:
        stmt = self.scoped(BankFileRow).where(BankFileRow.id == file_id)
        return (await self.session.execute(stmt)).scalar()

    async def by_sha256(self, sha256: str) -> BankFileRow | None:
        stmt = self.scoped(BankFileRow).where(BankFileRow.sha256 == sha256)
        return (await self.session.execute(stmt)).scalar()

    def add(self, row: BankFileRow) -> None:
        row.tenant_id = self.tenant_uuid
        self.session.add(row)

    async def list_after(self, limit: int, after: uuid.UUID | None) -> list[BankFileRow]:
        # ids are UUIDv7: descending id is newest first.
        stmt = self.scoped(BankFileRow).order_by(BankFileRow.id.desc()).limit(limit)
        if after is not None:
            stmt = stmt.where(BankFileRow.id < after)
        return list((await self.session.execute(stmt)).scalars())

    async def set(self, file_id: uuid.UUID, **values: Any) -> None:
        await self.session.execute(
            self.scoped_update(BankFileRow, BankFileRow.id == file_id).values(**values)
        )

    async def waiting_for_account(self, bank_code: str) -> list[BankFileRow]:
        stmt = self.scoped(BankFileRow).where(
            BankFileRow.bank_account_id.is_(None),
            BankFileRow.bank_code == bank_code,
            BankFileRow.status == "processed",
            BankFileRow.queued_count > 0,
        )
        return list((await self.session.execute(stmt)).scalars())

    async def statements_waiting_for_account(self) -> list[BankFileRow]:
        """Processed statements (any format but CNAB) whose credits wait for an account."""
        stmt = self.scoped(BankFileRow).where(
            BankFileRow.bank_account_id.is_(None),
            BankFileRow.kind.not_like("%\\_return", escape="\\"),
            BankFileRow.status == "processed",
            BankFileRow.queued_count > 0,
        )
        return list((await self.session.execute(stmt)).scalars())

    async def resumable(self, now: datetime, uploaded_before: datetime) -> list[uuid.UUID]:
        """Unfinished files nobody works on: the lease expired, or none was ever taken
        and the upload is older than ``uploaded_before`` (its own processing had time
        to claim it)."""
        stmt = self.scoped(BankFileRow, BankFileRow.id).where(
            BankFileRow.status.in_(("received", "processing")),
            or_(
                BankFileRow.lease_until < now,
                and_(BankFileRow.lease_until.is_(None), BankFileRow.uploaded_at < uploaded_before),
            ),
        )
        return list((await self.session.execute(stmt)).scalars())

    # --- the processing lease -------------------------------------------------
    async def claim(self, file_id: uuid.UUID, owner: str, now: datetime, until: datetime) -> bool:
        """Take the file for processing unless it is finished or another processor's
        lease still holds; one statement, so of two claimants exactly one wins."""
        result = await self.session.execute(
            self.scoped_update(
                BankFileRow,
                BankFileRow.id == file_id,
                BankFileRow.status.not_in(("processed", "invalid")),
                or_(BankFileRow.lease_until.is_(None), BankFileRow.lease_until < now),
            )
            .values(status="processing", lease_owner=owner, lease_until=until)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    async def set_leased(self, file_id: uuid.UUID, owner: str, **values: Any) -> bool:
        """``set`` only while ``owner`` holds the lease: False when it was taken over."""
        result = await self.session.execute(
            self.scoped_update(BankFileRow, BankFileRow.id == file_id, BankFileRow.lease_owner == owner)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    # --- records --------------------------------------------------------------
    async def add_records(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert record rows (dicts with the same keys) in bulk: on PostgreSQL one
        ``INSERT … SELECT FROM unnest(arrays)`` per chunk, ``parsed`` encoded by msgspec
        (``insert_columns``); executemany elsewhere. COPY is not an option here:
        PostgreSQL refuses ``COPY FROM`` into a table with row-level security."""
        if not rows:
            return
        names = list(rows[0])
        columns: dict[str, list[Any]] = {"tenant_id": [self.tenant_uuid] * len(rows)}
        for name in names:
            columns[name] = [r[name] for r in rows]
        await insert_columns(self.session, _RECORDS, columns)

    async def records_after(
        self, file_id: uuid.UUID, limit: int, after_line: int | None
    ) -> list[BankFileRecordRow]:
        stmt = (
            self.scoped(BankFileRecordRow)
            .where(BankFileRecordRow.file_id == file_id)
            .order_by(BankFileRecordRow.line_no)
            .limit(limit)
        )
        if after_line is not None:
            stmt = stmt.where(BankFileRecordRow.line_no > after_line)
        return list((await self.session.execute(stmt)).scalars())

    async def record(self, record_id: uuid.UUID, *, for_update: bool = False) -> BankFileRecordRow | None:
        stmt = self.scoped(BankFileRecordRow).where(BankFileRecordRow.id == record_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar()

    async def records_with_status(
        self, statuses: Collection[str], limit: int, after: uuid.UUID | None, file_id: uuid.UUID | None = None
    ) -> list[BankFileRecordRow]:
        stmt = (
            self.scoped(BankFileRecordRow)
            .where(BankFileRecordRow.status.in_(list(statuses)))
            .order_by(BankFileRecordRow.id)
            .limit(limit)
        )
        if after is not None:
            stmt = stmt.where(BankFileRecordRow.id > after)
        if file_id is not None:
            stmt = stmt.where(BankFileRecordRow.file_id == file_id)
        return list((await self.session.execute(stmt)).scalars())

    async def queued_ids_of_file(self, file_id: uuid.UUID, reason: str) -> list[uuid.UUID]:
        stmt = self.scoped(BankFileRecordRow, BankFileRecordRow.id).where(
            BankFileRecordRow.file_id == file_id,
            BankFileRecordRow.status == "queued",
            BankFileRecordRow.error_code == reason,
        )
        return list((await self.session.execute(stmt)).scalars())

    async def status_counts(self, file_id: uuid.UUID) -> dict[str, int]:
        stmt = (
            self.scoped(BankFileRecordRow, BankFileRecordRow.status, func.count())
            .where(BankFileRecordRow.file_id == file_id)
            .group_by(BankFileRecordRow.status)
        )
        return {s: int(n) for s, n in (await self.session.execute(stmt)).all()}

    async def files_by_ids(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, BankFileRow]:
        if not ids:
            return {}
        stmt = self.scoped(BankFileRow).where(BankFileRow.id.in_(list(ids)))
        return {r.id: r for r in (await self.session.execute(stmt)).scalars()}

    # --- installments, read for settlement --------------------------------------
    async def installments_by_nosso_numero(self, values: Collection[str]) -> dict[str, list[InstallmentRef]]:
        """Installments per nosso número key. Stored references may be padded or not:
        the lookup tries the value as reported and its canonical key (index hits)."""
        wanted: dict[str, str] = {}
        for v in values:
            key = nosso_numero_key(v)
            wanted[v.strip()] = key
            wanted[key] = key
        found: dict[str, list[InstallmentRef]] = {}
        names = list(wanted)
        for start in range(0, len(names), CHUNK):
            # ``one_of``: one array parameter on PostgreSQL, not a freshly planned IN list.
            stmt = self.scoped(InstallmentRow, *_INSTALLMENT_COLS).where(
                one_of(self.session, InstallmentRow.bank_reference, names[start : start + CHUNK])
            )
            for row in (await self.session.execute(stmt)).all():
                key = wanted[row.bank_reference]
                refs = found.setdefault(key, [])
                if all(r.installment_id != row.id for r in refs):
                    refs.append(installment_ref(row))
        return found

    async def installment(self, installment_id: uuid.UUID) -> InstallmentRef | None:
        stmt = self.scoped(InstallmentRow, *_INSTALLMENT_COLS).where(InstallmentRow.id == installment_id)
        row = (await self.session.execute(stmt)).first()
        return installment_ref(row) if row else None

    async def installment_by_txid(self, txid: str) -> InstallmentRef | None:
        stmt = self.scoped(InstallmentRow, *_INSTALLMENT_COLS).where(InstallmentRow.txid == txid)
        row = (await self.session.execute(stmt)).first()
        return installment_ref(row) if row else None


class SqlInstallmentRefs(TenantRepository):
    """Settlement's identifiers on installments (nosso número, txid, collection account).

    These are not money: the amounts and balances stay with the receivables use cases.
    """

    async def of_invoice(self, invoice_id: uuid.UUID) -> list[InstallmentRef]:
        stmt = (
            self.scoped(InstallmentRow, *_INSTALLMENT_COLS)
            .where(InstallmentRow.invoice_id == invoice_id)
            .order_by(InstallmentRow.number_index)
        )
        return [installment_ref(r) for r in (await self.session.execute(stmt)).all()]

    async def get_row(self, installment_id: uuid.UUID, *, for_update: bool = False) -> InstallmentRow | None:
        stmt = self.scoped(InstallmentRow).where(InstallmentRow.id == installment_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar()

    async def set_refs(self, installment_id: uuid.UUID, **values: Any) -> None:
        allowed = {"bank_reference", "txid", "bank_account_id"}
        if set(values) - allowed:
            raise ValueError(f"settlement may only set {sorted(allowed)}")
        await self.session.execute(
            update(InstallmentRow)
            .where(InstallmentRow.tenant_id == self.tenant_uuid, InstallmentRow.id == installment_id)
            .values(**values)
        )


def select_installment_row(repo: TenantRepository, installment_id: uuid.UUID) -> Any:
    return repo.scoped(InstallmentRow).where(InstallmentRow.id == installment_id)


__all__ = [
    "SqlBankAccountRepository",
    "SqlBankFileRepository",
    "SqlInstallmentRefs",
    "installment_ref",
    "select",
]
