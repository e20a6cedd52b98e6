"""The floor of bench/bank_file_e2e.py: the database work of processing a CNAB 240
return, with as little Python as possible around it.

Same file, same batches (5,000 records, one transaction each, on the app role under
row-level security with ``app.tenant_id`` set per transaction), and per batch the same
statements as ``settlement_runner`` + ``settlement_bulk`` on PostgreSQL:

  reads   installments by nosso número (one ``= ANY(array)`` per 5,000 names), payments
          by record key, installments locked ``FOR UPDATE`` in id order, their payers'
          tax ids, their ledger entries, the tenant's settings;
  writes  ``INSERT … SELECT FROM unnest(arrays)`` into payments, ledger_entries,
          audit_log (chunks of 5,000 rows, as ``insert_columns``), outbox (one per event
          type) and bank_file_records; ``UPDATE … FROM unnest`` of installments and, after
          reading their installments back, of invoices; the bank_files row's progress.

The same rows too (tables, columns, counts, JSON documents of about the same size),
for the case the benchmark generates: a settlement whose nosso número names one
installment of the same face value records one payment of the amount paid, allocates
the face value (the bank's interest is not assessed under the default policy: it stays
unapplied), and pays the installment and its invoice. What it leaves out is Python:
the file is parsed once (the app's streaming parser), no domain objects, no Money, no
SQLAlchemy; JSON is written with f-strings, ids are time-ordered UUIDs from a counter,
and the values every row shares (tenant, actor, timestamps, constant texts) are bound
once as scalars instead of arrays. Batches run one after the other on one connection,
or with ``--overlap`` as the app runs them: a batch decided on a second connection while
the previous one is stored and committed.
Not done: the upload itself, the app's validation pass over the file, the embedded
outbox relay and consumers. Records the simple case does not cover (amount mismatch,
unknown nosso número, an installment paid twice) are queued without a payment.

    BENCH_OWNER_URL=postgresql://postgres@127.0.0.1:5432/cobalto_bench_pipeline \\
        .venv/bin/python -m bench.bank_file_floor --titles 100000 [--overlap] [--compare-tenant UUID]

``run_floor`` is the part to call beside the app's run (same database, its own tenant).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
import msgspec

from app.adapters.banks.cnab import ReturnStream, iter_lines, iter_records
from app.domain.settlement.bank_files import Outcome, ReturnRecord

BATCH = 5_000  # settlement_runner.BATCH
CHUNK = 5_000  # rows per INSERT (bulk.CHUNK_ROWS) and names per lookup (settlement.CHUNK)
ACTOR = "client:cob_floor00000000000000000"
REQUEST_ID = "f100r000000000000000000000000000"

SET_TENANT_SQL = "SELECT set_config('app.tenant_id', $1, true)"  # per transaction, as tenancy.py
LOOKUP_SQL = """SELECT id, customer_id, amount_minor, open_minor, currency, due_date, bank_reference, txid
FROM installments WHERE tenant_id = $1 AND bank_reference = ANY($2::varchar[])"""
KNOWN_SQL = """SELECT source, external_id, customer_id, payer_name, payer_tax_id, payer_account, amount_minor,
  currency, value_date, reference, unapplied_minor, status, actor, tenant_id, id, created_at, updated_at
FROM payments WHERE tenant_id = $1 AND external_id = ANY($2::varchar[])"""
LOCK_SQL = """SELECT invoice_id, customer_id, number_index, number_count, due_date, currency, amount_minor,
  open_minor, status, bank_reference, document_number, txid, bank_account_id, tenant_id, id, created_at,
  updated_at
FROM installments WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE"""
PAYERS_SQL = "SELECT id, tax_id FROM customers WHERE tenant_id = $1 AND id = ANY($2::uuid[])"
LEDGERS_SQL = """SELECT installment_id, line, kind, component, amount_minor, currency, payment_id,
  reverses_entry_id, reason_code, note, created_by, actor, created_at, effective_date, tenant_id, id
FROM ledger_entries WHERE tenant_id = $1 AND installment_id = ANY($2::uuid[])
ORDER BY installment_id, line"""
POLICY_SQL = "SELECT settings, currency FROM tenants WHERE id = $1"
PAYMENTS_SQL = """INSERT INTO payments (tenant_id, id, source, external_id, customer_id, payer_name, payer_tax_id,
  payer_account, amount_minor, currency, value_date, reference, unapplied_minor, status, actor, created_at,
  updated_at)
SELECT $1::uuid, id, 'bank_return', external_id, customer_id, payer_name, payer_tax_id, NULL, amount_minor,
  'BRL', value_date, reference, unapplied_minor, status, $2, $3::timestamptz, $3::timestamptz
FROM unnest($4::uuid[], $5::varchar[], $6::uuid[], $7::varchar[], $8::varchar[], $9::bigint[], $10::date[],
  $11::varchar[], $12::bigint[], $13::varchar[])
  AS v(id, external_id, customer_id, payer_name, payer_tax_id, amount_minor, value_date, reference,
       unapplied_minor, status)"""
ENTRIES_SQL = """INSERT INTO ledger_entries (tenant_id, id, installment_id, line, kind, component, amount_minor,
  currency, payment_id, reverses_entry_id, reason_code, note, created_by, actor, created_at, effective_date)
SELECT $1::uuid, id, installment_id, line, 'payment_allocation', 'principal', amount_minor, 'BRL', payment_id,
  NULL, NULL, NULL, NULL, $2, $3::timestamptz, effective_date
FROM unnest($4::uuid[], $5::uuid[], $6::int[], $7::bigint[], $8::uuid[], $9::date[])
  AS v(id, installment_id, line, amount_minor, payment_id, effective_date)"""
INSTALLMENTS_SQL = """UPDATE installments AS t SET open_minor = v.open_minor, status = v.status, updated_at = $2
FROM unnest($3::uuid[], $4::bigint[], $5::varchar[]) AS v(id, open_minor, status)
WHERE t.tenant_id = $1::uuid AND t.id = v.id"""
INVOICE_PARTS_SQL = """SELECT invoice_id, status, open_minor FROM installments
WHERE tenant_id = $1 AND invoice_id = ANY($2::uuid[])"""
INVOICES_SQL = """UPDATE invoices AS t SET open_minor = v.open_minor, status = v.status, updated_at = $2
FROM unnest($3::uuid[], $4::bigint[], $5::varchar[]) AS v(id, open_minor, status)
WHERE t.tenant_id = $1::uuid AND t.id = v.id"""
AUDIT_SQL = """INSERT INTO audit_log (tenant_id, id, at, actor, action, entity, entity_id, before, after, reason,
  request_id)
SELECT $1::uuid, id, $2::timestamptz, $3, action, 'payment', entity_id, CAST(before AS JSONB),
  CAST(after AS JSONB), NULL, $4
FROM unnest($5::uuid[], $6::varchar[], $7::varchar[], $8::text[], $9::text[])
  AS v(id, action, entity_id, before, after)"""
OUTBOX_SQL = """INSERT INTO outbox (tenant_id, id, event_type, payload, created_at)
SELECT $1::uuid, id, $2, CAST(payload AS JSONB), $3::timestamptz FROM unnest($4::uuid[], $5::text[]) AS v(id, payload)"""
RECORDS_SQL = """INSERT INTO bank_file_records (tenant_id, id, file_id, line_no, raw, parsed, outcome, status,
  error_code, error, record_key, amount_minor, value_date, reference, installment_id, customer_id, payment_id,
  proposals, resolution, updated_at)
SELECT $1::uuid, id, $2::uuid, line_no, raw, CAST(parsed AS JSONB), outcome, status, error_code, error,
  record_key, amount_minor, value_date, reference, installment_id, customer_id, payment_id, NULL,
  CAST(resolution AS JSONB), $3::timestamptz
FROM unnest($4::uuid[], $5::int[], $6::text[], $7::text[], $8::varchar[], $9::varchar[], $10::varchar[],
  $11::text[], $12::varchar[], $13::bigint[], $14::date[], $15::varchar[], $16::uuid[], $17::uuid[],
  $18::uuid[], $19::text[])
  AS v(id, line_no, raw, parsed, outcome, status, error_code, error, record_key, amount_minor, value_date,
       reference, installment_id, customer_id, payment_id, resolution)"""
PROGRESS_SQL = """UPDATE bank_files SET processed_through = $3, records = $4, settled_count = $5,
  settled_minor = $6, rejected_count = $7, applied_count = $8, queued_count = $9, review_count = $10,
  duplicate_count = $11
WHERE tenant_id = $1 AND id = $2"""
FILE_SQL = """INSERT INTO bank_files (tenant_id, id, filename, sha256, size, kind, bank_code, layout,
  bank_account_id, header_account, uploaded_by, uploaded_at, source, status, records, processed_through,
  settled_count, settled_minor, rejected_count, applied_count, queued_count, review_count, duplicate_count,
  errors, totals)
VALUES ($1, $2, 'FLOOR.RET', $3, $4, 'cnab240_return', NULL, NULL, NULL, '{}', $5, $6, 'upload', 'processing',
  0, 0, 0, 0, 0, 0, 0, 0, 0, '[]', '{}')"""
UPLOADED_SQL = """INSERT INTO audit_log (tenant_id, id, at, actor, action, entity, entity_id, before, after,
  request_id) VALUES ($1, $2, $3, $4, 'bank_file.uploaded', 'bank_file', $5, 'null', $6, $7)"""
FINISH_SQL = """UPDATE bank_files SET status = 'processed', finished_at = $3, bank_code = $4, layout = 'cnab240',
  header_account = $5::jsonb, totals = $6::jsonb WHERE tenant_id = $1 AND id = $2"""
PROCESSED_SQL = """INSERT INTO outbox (tenant_id, id, event_type, payload, created_at)
VALUES ($1, $2, 'bank_file.processed', $3::jsonb, $4)"""

_encode = msgspec.json.Encoder().encode


def _js(text: str) -> str:
    """A JSON string literal (the bank's free texts may hold quotes)."""
    return _encode(text).decode()


def _dec(minor: int) -> str:
    q, r = divmod(abs(minor), 100)
    return f"{'-' if minor < 0 else ''}{q}.{r:02d}"


class Ids:
    """Time-ordered UUIDs (version 7 layout: milliseconds, then a counter), as text: the
    app's ids are v7 too, so the indexes see the same insertion order."""

    def __init__(self) -> None:
        self._next = 0
        self._tag = int.from_bytes(os.urandom(2)) & 0xFFF

    def take(self, n: int) -> list[str]:
        ms = time.time_ns() // 1_000_000
        prefix = f"{ms >> 16:08x}-{ms & 0xFFFF:04x}-7{self._tag:03x}-8"
        start, self._next = self._next, self._next + n
        return [f"{prefix}{i >> 48 & 0xFFF:03x}-{i & 0xFFFFFFFFFFFF:012x}" for i in range(start, start + n)]


def _parsed(r: ReturnRecord) -> str:
    """``record_fields(r)`` as JSON: zero amounts, blank texts and absent dates left out."""
    parts = [f'"outcome":"{r.outcome.value}"', f'"occurrence_code":{_js(r.occurrence_code)}']
    if r.occurrence_description:
        parts.append(f'"occurrence_description":{_js(r.occurrence_description)}')
    if r.reason_codes:
        parts.append(f'"reason_codes":{_encode(list(r.reason_codes)).decode()}')
    if r.settlement_kind is not None:
        parts.append(f'"settlement_kind":"{r.settlement_kind.value}"')
    for name, text in (
        ("nosso_numero", r.nosso_numero),
        ("seu_numero", r.seu_numero),
        ("payer_tax_id", r.payer_tax_id),
        ("payer_name", r.payer_name),
    ):
        if text:
            parts.append(f'"{name}":{_js(text)}')
    for name, minor in (
        ("face_value", r.face_value_minor),
        ("fee", r.fee_minor),
        ("interest", r.interest_minor),
        ("discount", r.discount_minor),
        ("rebate", r.rebate_minor),
        ("iof", r.iof_minor),
        ("paid", r.paid_minor),
        ("net_credit", r.net_credit_minor),
        ("other_expenses", r.other_expenses_minor),
        ("other_credits", r.other_credits_minor),
    ):
        if minor:
            parts.append(f'"{name}":"{_dec(minor)}"')
    for name, day in (
        ("due_date", r.due_date),
        ("occurrence_date", r.occurrence_date),
        ("credit_date", r.credit_date),
    ):
        if day is not None:
            parts.append(f'"{name}":"{day.isoformat()}"')
    return "{" + ",".join(parts) + "}"


Columns = dict[str, list[Any]]  # one batch's rows, column by column (bound as arrays)


def _columns(*names: str) -> Columns:
    return {n: [] for n in names}


async def _insert(
    conn: asyncpg.Connection, sql: str, scalars: Sequence[Any], arrays: Sequence[list[Any]]
) -> int:
    """Run an unnest INSERT in chunks of ``CHUNK`` rows; the rows written."""
    written = 0
    for start in range(0, len(arrays[0]), CHUNK):
        status = await conn.execute(sql, *scalars, *(a[start : start + CHUNK] for a in arrays))
        written += int(status.split()[-1])
    return written


def _key(nosso_numero: str) -> str:
    """``nosso_numero_key`` for the all-digit numbers of the benchmark's file."""
    return nosso_numero.lstrip("0") or "0"


# A record as decided: the record, its key, the installment it names (when exactly one
# does), and why it is queued (None: applied, or not a settlement).
Planned = tuple[ReturnRecord, str, asyncpg.Record | None, str | None]


class _Rows:
    """The rows one batch writes (payments, entries, installments, invoices to refresh,
    JSON documents, record rows), filled record by record."""

    def __init__(self) -> None:
        self.pay = _columns(
            "id", "key", "customer", "payer", "tax_id", "amount", "value_date", "ref", "unapplied", "status"
        )
        self.ent = _columns("id", "installment", "line", "amount", "payment", "effective")
        self.inst = _columns("id", "open", "status")
        self.rec = _columns(
            "line_no", "raw", "parsed", "outcome", "status", "error_code", "error", "key", "amount",
            "value_date", "ref", "installment", "customer", "payment", "resolution",
        )  # fmt: skip
        self.invoices: set[Any] = set()
        self.received: list[str] = []  # payment JSON as received (audit "create", payment.received)
        self.allocated: list[str] = []  # and after its allocation (audit "allocate", payment.allocated)
        self.paid_events: list[str] = []  # installment.paid


@dataclass(slots=True)
class Decided:
    """A batch decided, its rows waiting to be written in its transaction."""

    rows: _Rows
    through: int  # the batch's last line: the file's progress once it commits
    counters: dict[str, int]  # the file's counters once it commits


class Floor:
    """State across batches: the file, its counters, the rows written per table."""

    def __init__(self, tenant: str, file_id: str, received_on: date, ids: Ids) -> None:
        self.tenant = tenant
        self.file_id = file_id
        self.received_on = received_on
        self.ids = ids
        self.bank_code = ""
        self.agreement_key = "-"
        self.paid_installments: set[Any] = set()
        self.counters = dict.fromkeys(
            ("records", "settled_count", "settled_minor", "rejected_count", "applied_count", "queued_count",
             "review_count", "duplicate_count"),
            0,
        )  # fmt: skip
        self.written = dict.fromkeys(
            ("payments", "ledger_entries", "installments", "invoices", "audit_log", "outbox", "bank_file_records"),
            0,
        )  # fmt: skip

    async def decide(self, conn: asyncpg.Connection, records: list[ReturnRecord]) -> Decided:
        """Inside the batch's transaction: look up, lock and read, decide, build the rows."""
        tenant = self.tenant
        plan, keys = self._decide(records, await self._lookup(conn, records))
        known: dict[str, Any] = {}
        locked: dict[Any, asyncpg.Record] = {}
        lines: dict[Any, int] = {}
        if keys:
            known = {row["external_id"]: row["id"] for row in await conn.fetch(KNOWN_SQL, tenant, keys)}
            ids = sorted({inst["id"] for _, _, inst, queue in plan if inst is not None and queue is None})
            locked = {row["id"]: row for row in await conn.fetch(LOCK_SQL, tenant, ids)}
            await conn.fetch(PAYERS_SQL, tenant, list({row["customer_id"] for row in locked.values()}))
            ledgers = await conn.fetch(LEDGERS_SQL, tenant, list(locked))
            lines = {row["installment_id"]: row["line"] for row in ledgers}  # ordered: the last line
            await conn.fetch(POLICY_SQL, tenant)
        rows = self._rows(plan, len(keys), known, locked, lines)
        return Decided(rows, records[-1].line_no, dict(self.counters))

    async def _lookup(
        self, conn: asyncpg.Connection, records: list[ReturnRecord]
    ) -> dict[str, list[asyncpg.Record]]:
        """Installments by nosso número key: the value as reported and its key are both
        looked up (``installments_by_nosso_numero``)."""
        wanted: dict[str, str] = {}
        for r in records:
            if r.outcome is Outcome.SETTLED:
                nn = r.nosso_numero.strip()
                if nn:
                    key = _key(nn)
                    wanted[nn] = key
                    wanted[key] = key
        names = list(wanted)
        found: dict[str, list[asyncpg.Record]] = {}
        for start in range(0, len(names), CHUNK):
            for row in await conn.fetch(LOOKUP_SQL, self.tenant, names[start : start + CHUNK]):
                refs = found.setdefault(wanted[row["bank_reference"]], [])
                if all(x["id"] != row["id"] for x in refs):
                    refs.append(row)
        return found

    def _decide(
        self, records: list[ReturnRecord], found: dict[str, list[asyncpg.Record]]
    ) -> tuple[list[Planned], list[str]]:
        """Each record's key and installment; the keys of the records that pay."""
        prefix = f"{self.bank_code}:{self.agreement_key}:"
        keys: list[str] = []
        plan: list[Planned] = []
        for r in records:
            when = r.occurrence_date or r.credit_date
            nn = _key(r.nosso_numero.strip())
            key = f"{prefix}{nn}:{r.occurrence_code.strip() or '-'}:{when.isoformat() if when else '-'}:{r.paid_minor}"
            inst = None
            queue = None
            if r.outcome is Outcome.SETTLED:
                candidates = found.get(nn, [])
                if len(candidates) != 1:
                    queue = "unknown_nosso_numero"
                else:
                    inst = candidates[0]
                    if inst["amount_minor"] != r.face_value_minor or r.paid_minor <= 0:
                        queue = "amount_mismatch"
                    elif inst["id"] in self.paid_installments:
                        queue = "key_conflict"
                    else:
                        self.paid_installments.add(inst["id"])
                        keys.append(key)
            elif r.outcome is Outcome.UNKNOWN:
                queue = "unknown_occurrence"
            plan.append((r, key, inst, queue))
        return plan, keys

    def _rows(
        self,
        plan: list[Planned],
        paying: int,
        known: dict[str, Any],
        locked: dict[Any, asyncpg.Record],
        lines: dict[Any, int],
    ) -> _Rows:
        out = _Rows()
        rec = out.rec
        payment_ids = iter(self.ids.take(paying))
        entry_ids = iter(self.ids.take(paying))
        c = self.counters
        for r, key, inst, queue in plan:
            status, payment, resolution = "ignored", None, None
            error = r.occurrence_description or None
            if r.outcome is Outcome.SETTLED:
                c["settled_count"] += 1
                c["settled_minor"] += r.paid_minor
                error = None
                if queue is not None:
                    status = "queued"
                    error = f"the floor's simple case does not cover this record ({queue})"
                elif key in known:
                    status, payment, resolution = "applied", known[key], '{"duplicate_of_payment":true}'
                    c["duplicate_count"] += 1
                else:
                    assert inst is not None
                    status = "applied"
                    payment = next(payment_ids)
                    self._pay(out, r, key, locked[inst["id"]], payment, next(entry_ids), lines)
                c["applied_count" if status == "applied" else "queued_count"] += 1
            elif queue is not None:
                status = "queued"
                error = f"unknown occurrence code {r.occurrence_code!r}"
                c["queued_count"] += 1
            elif r.outcome is Outcome.REJECTED:
                c["rejected_count"] += 1
            c["records"] += 1
            nn = r.nosso_numero.strip()
            rec["line_no"].append(r.line_no)
            rec["raw"].append(r.raw)
            rec["parsed"].append(_parsed(r))
            rec["outcome"].append(r.outcome.value)
            rec["status"].append(status)
            rec["error_code"].append(queue)
            rec["error"].append(error)
            rec["key"].append(key[:160])
            rec["amount"].append(r.paid_minor)
            rec["value_date"].append(r.occurrence_date or r.credit_date)
            rec["ref"].append(nn[:60] or None)
            rec["installment"].append(inst["id"] if inst is not None else None)
            rec["customer"].append(inst["customer_id"] if inst is not None else None)
            rec["payment"].append(payment)
            rec["resolution"].append(resolution)
        return out

    def _pay(
        self,
        out: _Rows,
        r: ReturnRecord,
        key: str,
        row: asyncpg.Record,
        payment: str,
        entry: str,
        lines: dict[Any, int],
    ) -> None:
        """One payment of the amount paid, the face value allocated to the installment
        (what exceeds it stays unapplied), with its JSON documents."""
        paid = r.paid_minor
        principal = min(paid - min(r.interest_minor, paid), max(row["open_minor"], 0))
        unapplied = paid - principal
        pstatus = "applied" if unapplied == 0 else "partially_applied"
        value_date = r.occurrence_date or r.credit_date or self.received_on
        day = value_date.isoformat()
        nn = r.nosso_numero.strip()[:200]
        customer, iid = str(row["customer_id"]), str(row["id"])
        head = (
            f'{{"id":"{payment}","source":"bank_return","external_id":{_js(key)},"customer_id":"{customer}",'
            f'"payer_name":{_js(r.payer_name.strip())},"payer_tax_id":{_js(r.payer_tax_id.strip())},'
            f'"payer_account":null,"amount":"{_dec(paid)}","currency":"BRL","value_date":"{day}",'
            f'"reference":{_js(nn)}'
        )
        out.received.append(f'{head},"unapplied_amount":"{_dec(paid)}","status":"unapplied"}}')
        out.allocated.append(
            f'{head},"unapplied_amount":"{_dec(unapplied)}","status":"{pstatus}","allocations":'
            f'[{{"id":"{entry}","installment_id":"{iid}","kind":"payment_allocation","component":"principal",'
            f'"amount":"{_dec(-principal)}","currency":"BRL","effective_date":"{day}","payment_id":"{payment}",'
            f'"reverses":null,"reason":null,"note":null}}],"late_charges":[]}}'
        )
        pay, ent, inst = out.pay, out.ent, out.inst
        pay["id"].append(payment)
        pay["key"].append(key)
        pay["customer"].append(customer)
        pay["payer"].append(r.payer_name.strip() or None)
        pay["tax_id"].append(r.payer_tax_id.strip() or None)
        pay["amount"].append(paid)
        pay["value_date"].append(value_date)
        pay["ref"].append(nn)
        pay["unapplied"].append(unapplied)
        pay["status"].append(pstatus)
        ent["id"].append(entry)
        ent["installment"].append(iid)
        ent["line"].append(lines.get(row["id"], 0) + 1)
        ent["amount"].append(-principal)
        ent["payment"].append(payment)
        ent["effective"].append(value_date)
        left = row["open_minor"] - principal
        inst["id"].append(iid)
        inst["open"].append(left)
        inst["status"].append("paid" if left <= 0 else "partially_paid")
        out.invoices.add(row["invoice_id"])
        if left <= 0:
            out.paid_events.append(
                f'{{"installment_id":"{iid}","invoice_id":"{row["invoice_id"]}","customer_id":"{customer}",'
                f'"amount":"{_dec(row["amount_minor"])}","currency":"BRL"}}'
            )

    async def store(self, conn: asyncpg.Connection, decided: Decided) -> None:
        """Inside the batch's transaction: write the rows, advance the file's progress."""
        rows, tenant, w = decided.rows, self.tenant, self.written
        now = datetime.now(UTC)
        if rows.received:
            w["payments"] += await _insert(conn, PAYMENTS_SQL, (tenant, ACTOR, now), list(rows.pay.values()))
            w["ledger_entries"] += await _insert(
                conn, ENTRIES_SQL, (tenant, ACTOR, now), list(rows.ent.values())
            )
            status = await conn.execute(INSTALLMENTS_SQL, tenant, now, *rows.inst.values())
            w["installments"] += int(status.split()[-1])
            await self._refresh_invoices(conn, rows.invoices, now)
            await self._events(conn, rows, now)
        w["bank_file_records"] += await _insert(
            conn,
            RECORDS_SQL,
            (tenant, self.file_id, now),
            [self.ids.take(len(rows.rec["line_no"])), *rows.rec.values()],
        )
        c = decided.counters
        await conn.execute(
            PROGRESS_SQL, tenant, self.file_id, decided.through, c["records"], c["settled_count"], c["settled_minor"],
            c["rejected_count"], c["applied_count"], c["queued_count"], c["review_count"], c["duplicate_count"],
        )  # fmt: skip

    async def _refresh_invoices(self, conn: asyncpg.Connection, invoices: set[Any], now: datetime) -> None:
        """Each invoice's position from all its installments (``invoice_position``)."""
        opens: dict[Any, int] = {}
        statuses: dict[Any, set[str]] = {}
        for row in await conn.fetch(INVOICE_PARTS_SQL, self.tenant, list(invoices)):
            i = row["invoice_id"]
            opens[i] = opens.get(i, 0) + row["open_minor"]
            statuses.setdefault(i, set()).add(row["status"])
        ids = list(opens)
        status = await conn.execute(
            INVOICES_SQL,
            self.tenant,
            now,
            ids,
            [opens[i] for i in ids],
            [_invoice_status(opens[i], statuses[i]) for i in ids],
        )
        self.written["invoices"] += int(status.split()[-1])

    async def _events(self, conn: asyncpg.Connection, rows: _Rows, now: datetime) -> None:
        """Two audit entries a payment (create, allocate: the app's order), then one
        outbox insert per event type in order of first appearance (``store_effects``)."""
        tenant, n = self.tenant, len(rows.received)
        received, allocated = rows.received, rows.allocated
        self.written["audit_log"] += await _insert(
            conn,
            AUDIT_SQL,
            (tenant, now, ACTOR, REQUEST_ID),
            [
                self.ids.take(2 * n),
                ["create", "allocate"] * n,
                [p for p in rows.pay["id"] for _ in (0, 1)],
                [x for doc in received for x in (None, doc)],
                [x for pair in zip(received, allocated, strict=True) for x in pair],
            ],
        )
        for event_type, payloads in (
            ("payment.received", received),
            ("installment.paid", rows.paid_events),
            ("payment.allocated", allocated),
        ):
            if payloads:
                self.written["outbox"] += await _insert(
                    conn, OUTBOX_SQL, (tenant, event_type, now), [self.ids.take(len(payloads)), payloads]
                )


def _invoice_status(open_minor: int, statuses: set[str]) -> str:
    if open_minor > 0:
        return "partially_paid" if statuses & {"partially_paid", "paid", "written_off"} else "open"
    if "written_off" in statuses:
        return "written_off"
    return "paid" if "paid" in statuses else "cancelled"


def _chunks(content: bytes, size: int = 1 << 20) -> Iterable[bytes]:
    """The stored file as ``BankFileStore.chunks`` hands it over: 1 MiB at a time."""
    for start in range(0, len(content), size):
        yield content[start : start + size]


async def run_floor(
    app_dsn: str,
    tenant_id: str,
    content: bytes,
    *,
    file_id: str | None = None,
    batch: int = BATCH,
    overlap: bool = False,
) -> dict[str, Any]:
    """Process ``content`` (a CNAB 240 return) for ``tenant_id`` the floor's way.

    ``app_dsn``: a libpq URL of the app role (RLS applies; ``bench.common.app_url``).
    ``file_id``: the ``bank_files`` row the records reference, or None to insert one
    (with its ``bank_file.uploaded`` audit entry, as ``register_file``); the tenant must
    not hold this file already (unique sha256). The tenant's installments must carry
    the titles' nosso números (``bench.bank_file_e2e._seed_installments``).
    ``overlap``: two connections, a batch decided on one while the previous one is
    written and committed on the other (the app's ``_BatchPipeline``); else one
    connection, one batch after the other.

    Returns ``wall_s`` (file row to last commit, parse included), ``parse_s`` (one
    parse alone, measured before), ``db_cpu_s`` (CPU of the connections' backends over
    the run), ``client_cpu_s`` (this process), the file counters, ``written`` (rows per
    table as the statements reported them), ``counted`` (the tenant's rows counted
    afterwards, see ``count_rows``) and whether the two agree (on a fresh tenant).
    """
    from bench.bank_file_e2e import cpu_seconds

    parse_started = time.perf_counter()
    for _ in iter_records(iter_lines(_chunks(content))):
        pass
    parse_s = time.perf_counter() - parse_started

    settings = {"application_name": "cobalto-floor", "jit": "off"}
    conns = [await asyncpg.connect(app_dsn, server_settings=settings) for _ in range(2 if overlap else 1)]
    try:
        backends = [await c.fetchval("SELECT pg_backend_pid()") for c in conns]
        db_cpu_before = sum(cpu_seconds(pid) for pid in backends)
        client_cpu_before = time.process_time()
        started = time.perf_counter()
        now = datetime.now(UTC)
        ids = Ids()
        uploaded = file_id is None
        if file_id is None:
            file_id = await _register(conns[0], tenant_id, content, ids, now)
        floor = Floor(tenant_id, file_id, now.date(), ids)
        if uploaded:
            floor.written["audit_log"] += 1
        stream = iter_records(iter_lines(_chunks(content)))
        await _run_batches(floor, conns, _batches(floor, stream, batch))
        await _finish(floor, conns[0], stream)
        wall = time.perf_counter() - started
        db_cpu = sum(cpu_seconds(pid) for pid in backends) - db_cpu_before
        client_cpu = time.process_time() - client_cpu_before
        counted = await count_rows(conns[0], tenant_id, app_role=True)
    finally:
        for c in conns:
            await c.close()
    return {
        "file_id": file_id,
        "records": floor.counters["records"],
        "batch": batch,
        "overlap": overlap,
        "wall_s": round(wall, 2),
        "records_per_s": round(floor.counters["records"] / wall) if wall else None,
        "parse_s": round(parse_s, 2),
        "db_cpu_s": round(db_cpu, 2),
        "client_cpu_s": round(client_cpu, 2),
        "counters": floor.counters,
        "written": floor.written,
        "counted": counted,
        "written_equals_counted": _agrees(floor.written, counted),
    }


async def _register(conn: asyncpg.Connection, tenant_id: str, content: bytes, ids: Ids, now: datetime) -> str:
    """The ``bank_files`` row and its audit entry (``register_file``), status processing."""
    file_id = ids.take(1)[0]
    sha = hashlib.sha256(content).hexdigest()
    async with conn.transaction():
        await conn.execute(SET_TENANT_SQL, tenant_id)
        await conn.execute(FILE_SQL, tenant_id, file_id, sha, len(content), ACTOR, now)
        after = f'{{"sha256":"{sha}","filename":"FLOOR.RET"}}'
        await conn.execute(UPLOADED_SQL, tenant_id, ids.take(1)[0], now, ACTOR, file_id, after, REQUEST_ID)
    return file_id


def _batches(floor: Floor, stream: ReturnStream, size: int) -> Iterator[list[ReturnRecord]]:
    """The records in batches of ``size``, parsed as the runner reads the stored file;
    the header's bank and agreement (the records' keys) noted from the first."""
    pending: list[ReturnRecord] = []
    for record in stream:
        if not floor.bank_code and stream.detection is not None:
            floor.bank_code = stream.detection.bank_code
            agreement = str(stream.header.get("convenio") or "").strip()
            floor.agreement_key = (agreement.lstrip("0") or "0") if agreement else "-"
        pending.append(record)
        if len(pending) >= size:
            yield pending
            pending = []
    if pending:
        yield pending


async def _store_and_commit(
    floor: Floor, conn: asyncpg.Connection, tx: asyncpg.transaction.Transaction, decided: Decided
) -> None:
    try:
        await floor.store(conn, decided)
    except BaseException:
        await tx.rollback()
        raise
    await tx.commit()


async def _run_batches(
    floor: Floor, conns: Sequence[asyncpg.Connection], batches: Iterable[list[ReturnRecord]]
) -> None:
    """One transaction a batch, in file order. With two connections a batch is decided
    while the one before is written and committed, and stored only once that one has
    committed (disjoint installments here: their locks never meet)."""
    in_flight: asyncio.Task[None] | None = None
    try:
        for n, records in enumerate(batches):
            conn = conns[n % len(conns)]
            tx = conn.transaction()
            await tx.start()
            try:
                await conn.execute(SET_TENANT_SQL, floor.tenant)
                decided = await floor.decide(conn, records)
                if in_flight is not None:
                    task, in_flight = in_flight, None
                    await task
            except BaseException:
                await tx.rollback()
                raise
            in_flight = asyncio.create_task(_store_and_commit(floor, conn, tx, decided))
            if len(conns) == 1:
                task, in_flight = in_flight, None
                await task
    finally:
        if in_flight is not None:
            await in_flight


async def _finish(floor: Floor, conn: asyncpg.Connection, stream: ReturnStream) -> None:
    """The file processed, with its header and totals, and its ``bank_file.processed`` event."""
    parsed = stream.result()
    header = {
        "bank_code": parsed.bank_code, "agency": parsed.agency, "account": parsed.account,
        "account_digit": parsed.account_digit, "agreement": parsed.agreement,
        "company_tax_id": parsed.company_tax_id, "company_name": parsed.company_name,
        "file_sequence": parsed.file_sequence,
    }  # fmt: skip
    totals = {"detail_records": floor.counters["records"], "errors": len(parsed.errors)}
    finished = datetime.now(UTC)
    async with conn.transaction():
        await conn.execute(SET_TENANT_SQL, floor.tenant)
        await conn.execute(
            FINISH_SQL, floor.tenant, floor.file_id, finished, parsed.bank_code,
            _encode(header).decode(), _encode(totals).decode(),
        )  # fmt: skip
        payload = f'{{"bank_file_id":"{floor.file_id}","status":"processed"}}'
        await conn.execute(PROCESSED_SQL, floor.tenant, floor.ids.take(1)[0], payload, finished)
    floor.written["outbox"] += 1


def _agrees(written: dict[str, int], counted: dict[str, Any]) -> bool:
    """Whether the rows the statements reported are the tenant's rows in the database
    (a fresh tenant: seeded charges and untouched installments and invoices aside)."""
    found = {
        "payments": sum(counted["payments"].values()),
        "ledger_entries": sum(n for k, n in counted["ledger_entries"].items() if not k.startswith("charge/")),
        "installments": sum(n for k, n in counted["installments"].items() if k != "open"),
        "invoices": sum(n for k, n in counted["invoices"].items() if k != "open"),
        "audit_log": sum(counted["audit_log"].values()),
        "outbox": sum(counted["outbox"].values()),
        "bank_file_records": sum(counted["bank_file_records"].values()),
    }
    return found == written


COUNTS = (
    ("payments", "status"),
    ("ledger_entries", "kind || '/' || component"),
    ("installments", "status"),
    ("invoices", "status"),
    ("audit_log", "action || '/' || entity"),
    ("outbox", "event_type"),
    ("bank_file_records", "status || '/' || outcome"),
)
SIZES_SQL = """SELECT
  (SELECT avg(octet_length(after::text))::int FROM audit_log WHERE tenant_id = $1 AND entity = 'payment'),
  (SELECT avg(octet_length(payload::text))::int FROM outbox WHERE tenant_id = $1),
  (SELECT avg(octet_length(parsed::text))::int FROM bank_file_records WHERE tenant_id = $1)"""


async def count_rows(conn: asyncpg.Connection, tenant_id: str, *, app_role: bool = False) -> dict[str, Any]:
    """A tenant's rows per table, by status / kind / action / event type, and the mean
    size of its JSON documents (to compare a floor run with an app run)."""
    out: dict[str, Any] = {}
    async with conn.transaction():
        if app_role:
            await conn.execute(SET_TENANT_SQL, tenant_id)
        for table, group in COUNTS:
            rows = await conn.fetch(
                f"SELECT {group} AS g, count(*) AS n FROM {table} WHERE tenant_id = $1 GROUP BY 1 ORDER BY 1",
                tenant_id,
            )
            out[table] = {row["g"]: row["n"] for row in rows}
        audit, outbox, parsed = await conn.fetchrow(SIZES_SQL, tenant_id)
    out["mean_json_bytes"] = {"audit_after": audit, "outbox_payload": outbox, "record_parsed": parsed}
    return out


async def _seed(owner_url: str, app_sa_url: str, titles: list[Any]) -> str:
    """A fresh tenant with one customer, one invoice and installment per title (nosso
    número set), seeded as bench/bank_file_e2e seeds its own."""
    from bench.bank_file_e2e import _seed_installments, _seed_invoices, _tenant_and_client

    tenant_id, _ = await _tenant_and_client(app_sa_url)
    conn = await asyncpg.connect(owner_url)
    try:
        await conn.execute(
            """INSERT INTO customers (tenant_id, id, name, search_name, country, status, external_ref,
                   created_at, updated_at)
               VALUES ($1, gen_random_uuid(), 'Cliente', 'cliente', 'BR', 'active', 'BANKBENCH', now(), now())""",
            tenant_id,
        )
    finally:
        await conn.close()
    await _seed_invoices(owner_url, tenant_id, titles)
    await _seed_installments(owner_url, tenant_id)
    return tenant_id


async def _owner_counts(owner_url: str, tenant_id: str) -> dict[str, Any]:
    conn = await asyncpg.connect(owner_url)
    try:
        return await count_rows(conn, tenant_id)
    finally:
        await conn.close()


def main() -> None:
    from bench.common import OWNER_URL, VENV_BIN, app_url, cobalto_env, emit

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=OWNER_URL)
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=BATCH)
    parser.add_argument(
        "--overlap",
        action="store_true",
        help="two connections: decide a batch while the previous one is stored (as the app's pipeline)",
    )
    parser.add_argument(
        "--compare-tenant",
        metavar="UUID",
        help="also count the rows of this tenant (an app run's, e.g. bank_file_e2e's) and compare",
    )
    args = parser.parse_args()
    from app.adapters.banks.cnab import return_240_bytes, synthetic_titles
    from app.adapters.banks.cnab.generate import SAMPLE_ACCOUNT
    from bench.gen.dataset import ensure_database

    asyncio.run(ensure_database(args.url, reset=False))
    env = cobalto_env(Path(tempfile.mkdtemp(prefix="cobalto-bench-floor-")), args.url)
    subprocess.run([str(VENV_BIN / "cobalto"), "migrate"], env=env, check=True, capture_output=True)
    titles = list(synthetic_titles(args.titles))
    content = return_240_bytes(SAMPLE_ACCOUNT, titles)
    seed_started = time.perf_counter()
    tenant_id = asyncio.run(_seed(args.url, env["COBALTO_DATABASE_URL"], titles))
    seed_s = time.perf_counter() - seed_started
    result = asyncio.run(
        run_floor(app_url(args.url), tenant_id, content, batch=args.batch, overlap=args.overlap)
    )
    settled = sum(1 for t in titles if t.occurrence_code == "06")
    counted = result["counted"]
    agree = result["written_equals_counted"]
    extra: dict[str, Any] = {}
    if args.compare_tenant:
        app_counts = asyncio.run(_owner_counts(args.url, args.compare_tenant))
        extra = {
            "app_tenant": args.compare_tenant,
            "app_counted": app_counts,
            "differences": {
                f"{table}:{key}": (app_counts[table].get(key, 0), counted[table].get(key, 0))
                for table, _ in COUNTS
                for key in sorted(set(app_counts[table]) | set(counted[table]))
                if app_counts[table].get(key, 0) != counted[table].get(key, 0)
            },
        }
    emit(
        bench="bank_file_floor", titles=args.titles, file_mb=round(len(content) / 2**20, 1), tenant=tenant_id,
        seed_s=round(seed_s, 1), expected_settled=settled, **result,
        ok=agree and result["counters"]["applied_count"] == settled, **extra,
    )  # fmt: skip


if __name__ == "__main__":
    main()
