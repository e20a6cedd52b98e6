"""The batch settlement path against the per-record one: the same return files (and
the same settlements) applied in two tenants, one record at a time through the
receivables use cases and a batch at a time through ``settlement_bulk``, must leave
the same payments, ledger entries, balances, record outcomes, counters, audit trail
and events. Small batches make the tricky records straddle batch boundaries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from app.adapters.banks.cnab import ReturnTitle, return_240_bytes
from app.adapters.banks.cnab.generate import SAMPLE_ACCOUNT
from app.adapters.db.models import BankAccountRow
from app.adapters.db.repositories.settlement import SqlBankAccountRepository, SqlInstallmentRefs
from app.adapters.db.repositories.settlement_apply import ReceivablesSettlementPort, ports_for
from app.adapters.db.repositories.settlement_runner import process_file, register_file
from app.adapters.db.repositories.settlement_store import BankFileStore
from app.domain.receivables.late_charges import charges_as_of
from app.domain.receivables.service_policy import ReceivablesPolicy
from app.domain.settlement.service import (
    AllocationLine,
    AppliedPayment,
    SettlementSource,
    SettlementToApply,
    apply_settlement,
)
from app.domain.shared.errors import Conflict
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money
from app.server.auth import system_principal
from app.server.services import Services
from tests.integration.bank_files_compare import assert_same, snapshot
from tests.integration.receivables_helpers import check_maintained, tenant_principal
from tests.support.factories import TenantInfo, add_customer, add_invoice, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")

DUE = date(2025, 3, 10)


@dataclass(frozen=True)
class _Due:
    due_date: date
    amount: Money


def _policy_charges(face: int, paid_on: date) -> int:
    """Late charges as the tenant's default policy computes them (a company payer)."""
    charges = charges_as_of(
        _Due(DUE, Money.from_minor(face, "BRL")), ReceivablesPolicy("BRL").late_charges, paid_on
    )
    return charges.charges.minor


# nosso número → face value of the seeded installment (one invoice each).
FACES = {1: 10_000, 2: 20_000, 3: 30_000, 4: 40_000, 5: 50_000, 6: 60_000, 8: 80_000, 9: 10_000, 10: 5_000}


def _title(
    nn: int, paid: int, *, late: int = 0, interest: int = 0, face: int | None = None, **kw: Any
) -> ReturnTitle:
    on = DUE + timedelta(days=late)
    return ReturnTitle(
        nosso_numero=f"{nn:017d}",
        seu_numero=f"NF{nn:08d}",
        due_date=DUE,
        face_value_minor=FACES.get(nn, 1) if face is None else face,
        paid_minor=paid,
        interest_minor=interest,
        occurrence_date=on,
        credit_date=on + timedelta(days=1),
        payer_tax_id="12345678000195",
        payer_name=f"PAGADOR {nn}",
        **kw,
    )


def _titles() -> list[ReturnTitle]:
    late2 = _policy_charges(FACES[2], DUE + timedelta(days=10))
    return [
        _title(1, 10_000),  # paid on the due date
        _title(2, 20_000 + late2, late=10, interest=late2),  # late charges as our policy computes them
        _title(3, 30_100, late=5, interest=100),  # the bank's charges are not ours: face only
        _title(4, 15_000),  # part of the title…
        _title(4, 25_000, late=-1),  # …then the rest, in the same batch (another key)
        _title(5, 50_000),
        _title(5, 50_000, late=-2),  # the same title paid twice: the second stays unapplied
        _title(6, 61_000),  # overpaid: the extra stays on the payment
        _title(1, 10_000),  # the very same record again: a replay, not a second payment
        _title(99, 1_000),  # unknown nosso número → queued
        _title(8, 80_000, face=79_999),  # face value mismatch → queued
        _title(9, 9_500, discount_minor=500),  # a discount granted by the bank
        _title(10, 0, occurrence_code="02"),  # registered: informational
        _title(10, 5_000, late=3),  # late, no charges reported: face
    ]


async def _seed(services: Services, tenant: TenantInfo) -> uuid.UUID:
    customer = await add_customer(services, tenant, name="Pagador Bulk Ltda")
    for nn, face in FACES.items():
        invoice = await add_invoice(
            services,
            tenant,
            customer.id,
            number=f"NB{nn:06d}",
            amount=str(Money.from_minor(face, "BRL").amount),
            issue_date=(DUE - timedelta(days=30)).isoformat(),
            due_date=DUE.isoformat(),
        )
        async with services.uow(system_principal(tenant.id, "test")) as uow:
            refs = SqlInstallmentRefs(uow.session, uow.tenant)
            (inst,) = await refs.of_invoice(invoice.id)
            await refs.set_refs(inst.installment_id, bank_reference=str(nn))
            await uow.commit()
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        acc = SAMPLE_ACCOUNT
        row = BankAccountRow(
            id=new_id(),
            name="bulk",
            bank_code=acc.bank_code,
            agency=acc.agency,
            agency_digit=acc.agency_digit,
            account=acc.account,
            digit=acc.account_digit,
            agreement=acc.agreement,
            wallet=acc.wallet,
            company_tax_id=acc.company_tax_id,
            company_name=acc.company_name,
            pix_city="",
            layout="cnab240",
        )
        SqlBankAccountRepository(uow.session, uow.tenant).add(row)
        await uow.commit()
    return customer.id


async def _process(
    services: Services, tenant: TenantInfo, data: bytes, name: str, *, bulk: bool, batch: int = 4
) -> None:
    store = BankFileStore.under(services.settings.var_dir)
    sha, size = store.put_bytes(data)

    def factory() -> Any:
        return services.uow(system_principal(tenant.id, "test"))

    file_id = await register_file(factory, store, sha256=sha, size=size, filename=name, bank_account_id=None)
    await process_file(factory, store, file_id, ports_for, batch=batch, bulk=bulk)


async def test_a_return_gives_the_same_outcome_per_record_and_in_batches(services: Services) -> None:
    titles = _titles()
    first = return_240_bytes(SAMPLE_ACCOUNT, titles, file_sequence=1)
    # The bank sends the same liquidations again in another file: all replays.
    again = return_240_bytes(SAMPLE_ACCOUNT, titles[:6], file_sequence=2)
    results = []
    for bulk in (False, True):
        tenant = await new_tenant(services)
        customer_id = await _seed(services, tenant)
        await _process(services, tenant, first, "first.ret", bulk=bulk)
        await _process(services, tenant, again, "again.ret", bulk=bulk)
        await check_maintained(services, tenant_principal(tenant), customer_id)
        results.append(await snapshot(services, tenant))
    per_record, batch = results
    assert_same(per_record, batch)

    # And the outcome is the intended one, not merely the same twice.
    files = {f["id"]: f for f in batch["files"]}
    assert files["Ffirst.ret"]["status"] == "processed"
    assert files["Ffirst.ret"]["applied_count"] == 11 and files["Ffirst.ret"]["duplicate_count"] == 1
    assert files["Ffirst.ret"]["queued_count"] == 2
    assert files["Fagain.ret"]["applied_count"] == 6 and files["Fagain.ret"]["duplicate_count"] == 6
    open_ = {i["id"]: (i["open_minor"], i["status"]) for i in batch["installments"]}
    assert open_["I1"] == open_["I2"] == open_["I3"] == open_["I4"] == open_["I5"] == (0, "paid")
    assert open_["I9"] == (500, "partially_paid") and open_["I8"] == (80_000, "open")
    assert open_["I10"] == (0, "paid")
    unapplied = {p["id"]: p["unapplied_minor"] for p in batch["payments"]}
    assert len(unapplied) == 10  # 11 applied records, one of them a replay
    assert sorted(unapplied.values()) == [0] * 7 + [100, 1_000, 50_000]
    kinds = [(e["installment_id"], e["kind"]) for e in batch["entries"]]
    assert ("I2", "late_charge") in kinds and ("I3", "late_charge") not in kinds
    assert {e["event_type"] for e in batch["events"]} >= {
        "payment.received",
        "payment.allocated",
        "installment.paid",
        "late_charge.assessed",
    }


async def test_a_batch_decided_while_the_one_before_is_stored_sees_what_it_booked(
    services: Services,
) -> None:
    """Batches of two: each is decided (on PostgreSQL) while the batch before it is
    still being stored, uncommitted. A record replayed in the very next batch must be
    a replay (its payment handed over, not recorded twice) and an installment paid
    across two batches must see the first part (the row lock waits for the commit)."""
    titles = [
        _title(1, 10_000),
        _title(4, 15_000),  # part of title 4…
        _title(1, 10_000),  # the same record as line 1, one batch later: a replay
        _title(4, 25_000, late=-1),  # …the rest of title 4, one batch later
        _title(4, 5_000, late=-2),  # nothing left open on 4: stays unapplied
        _title(2, 20_000),
        _title(2, 20_000),  # the same record again, within the batch
    ]
    data = return_240_bytes(SAMPLE_ACCOUNT, titles, file_sequence=3)
    results = []
    for bulk in (False, True):
        tenant = await new_tenant(services)
        customer_id = await _seed(services, tenant)
        await _process(services, tenant, data, "pairs.ret", bulk=bulk, batch=2)
        await check_maintained(services, tenant_principal(tenant), customer_id)
        results.append(await snapshot(services, tenant))
    per_record, batch = results
    assert_same(per_record, batch)
    (file,) = batch["files"]
    assert file["status"] == "processed"
    assert file["applied_count"] == 7 and file["duplicate_count"] == 2
    unapplied = sorted(p["unapplied_minor"] for p in batch["payments"])
    assert unapplied == [0, 0, 0, 0, 5_000]  # five payments, not seven
    open_ = {i["id"]: (i["open_minor"], i["status"]) for i in batch["installments"]}
    assert open_["I1"] == open_["I2"] == open_["I4"] == (0, "paid")


async def test_a_batch_that_fails_to_store_stops_the_file_and_a_resume_finishes_it(
    services: Services,
) -> None:
    """Batches of two; storing the third fails while the fourth is being decided. The
    first two stay committed, the third and fourth leave nothing, the file says
    ``failed`` with its progress at the second; processing it again finishes it with
    the outcome of an uninterrupted run (per-record reference)."""
    titles = [_title(nn, FACES[nn]) for nn in (1, 2, 3, 4, 5, 6)] + [_title(1, 10_000), _title(9, 10_000)]
    data = return_240_bytes(SAMPLE_ACCOUNT, titles, file_sequence=4)
    stores = 0

    class FailingThirdStore(ReceivablesSettlementPort):
        async def store_decided(self, decided: Any) -> None:
            nonlocal stores
            stores += 1
            if stores == 3:
                raise RuntimeError("database went away")
            await super().store_decided(decided)

    results = []
    for bulk in (False, True):
        tenant = await new_tenant(services)
        customer_id = await _seed(services, tenant)
        store = BankFileStore.under(services.settings.var_dir)
        sha, size = store.put_bytes(data)

        def factory(tenant: TenantInfo = tenant) -> Any:
            return services.uow(system_principal(tenant.id, "test"))

        file_id = await register_file(
            factory, store, sha256=sha, size=size, filename="crash.ret", bank_account_id=None
        )
        if bulk:
            with pytest.raises(RuntimeError, match="went away"):
                await process_file(factory, store, file_id, FailingThirdStore, batch=2)
            snap = await snapshot(services, tenant)
            (file,) = snap["files"]
            assert file["status"] == "failed"
            assert file["applied_count"] == 4  # two batches of two
            assert len(snap["payments"]) == 4 and len(snap["records"]) == 4
        await process_file(factory, store, file_id, ports_for, batch=2, bulk=bulk)
        await check_maintained(services, tenant_principal(tenant), customer_id)
        results.append(await snapshot(services, tenant))
    per_record, batch = results
    assert_same(per_record, batch)
    (file,) = batch["files"]
    assert file["status"] == "processed" and file["applied_count"] == 8 and file["duplicate_count"] == 1


async def test_a_settlement_that_writes_while_decided_waits_for_the_batch_in_flight(
    services: Services,
) -> None:
    """A bank-granted rebate goes through the use cases, which write at once: the batch
    still being stored must commit first (else the two could wait on each other's
    locks). ``settle_in_flight`` is awaited before that write, and only then."""
    from app.adapters.db.repositories.settlement_bulk import decide_settlements

    tenant = await new_tenant(services)
    customer_id = await _seed(services, tenant)
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        refs = SqlInstallmentRefs(uow.session, uow.tenant)
        ids = {}
        for nn in (1, 2):
            (ref,) = [r for r in await refs.of_invoice(await _invoice_id(uow, nn)) if r]
            ids[nn] = ref.installment_id
    calls: list[str] = []

    async def settle_in_flight() -> None:
        calls.append("settled")

    for with_rebate in (False, True):
        async with services.uow(system_principal(tenant.id, "test")) as uow:
            extra = {"rebate": 1_000} if with_rebate else {}
            s = _settlement(f"w{with_rebate}", ids[2 if with_rebate else 1], customer_id, 9_000, **extra)
            decided = await decide_settlements(
                uow, ReceivablesSettlementPort(uow), [s], settle_in_flight=settle_in_flight
            )
            assert [type(o) for o in decided.outcomes] == [AppliedPayment]
            assert decided.recorded.keys() == {f"w{with_rebate}"}
            assert calls == (["settled"] if with_rebate else [])
            await uow.rollback()


def _settlement(key: str, installment_id: uuid.UUID, customer_id: uuid.UUID, amount: int, **line: int) -> Any:
    money = {k: Money.from_minor(v, "BRL") for k, v in line.items()}
    principal = money.pop("principal", Money.from_minor(amount, "BRL"))
    return SettlementToApply(
        external_id=key,
        source=SettlementSource.BANK_RETURN,
        reference=key,
        amount=Money.from_minor(amount, "BRL"),
        value_date=DUE,
        customer_id=customer_id,
        allocations=(AllocationLine(installment_id, principal, **money),),
        payer_name="PAGADOR",
    )


async def test_rebates_replays_and_key_conflicts_match_the_per_record_port(services: Services) -> None:
    results = []
    for bulk in (False, True):
        tenant = await new_tenant(services)
        customer_id = await _seed(services, tenant)
        async with services.uow(system_principal(tenant.id, "test")) as uow:
            refs = SqlInstallmentRefs(uow.session, uow.tenant)
            ids = {}
            for nn in FACES:
                (ref,) = [r for r in await refs.of_invoice(await _invoice_id(uow, nn)) if r]
                ids[nn] = ref.installment_id
        settlements = [
            _settlement("k1", ids[1], customer_id, 9_000, rebate=1_000),  # rebate closes it
            _settlement("k1", ids[1], customer_id, 9_001),  # same key, other amount: Conflict
            _settlement("k2", ids[2], customer_id, 10_000),
            _settlement("k2", ids[2], customer_id, 10_000),  # replay
            _settlement(
                "k3", ids[2], customer_id, 10_000, rebate=500
            ),  # the rest; no room left for the rebate
            _settlement("k4", ids[3], customer_id, 5_000, rebate=25_000),  # booked on the installment…
            _settlement("k5", ids[3], customer_id, 1_000),  # …so nothing is left: unapplied
            _settlement("k6", ids[4], customer_id, 41_000, principal=40_000, late_charges=1_000),
        ]
        async with services.uow(system_principal(tenant.id, "test")) as uow:
            port = ReceivablesSettlementPort(uow)
            outcomes: list[AppliedPayment | Conflict] = []
            if bulk:
                outcomes = await port.apply_many(settlements)
            else:
                for s in settlements:
                    try:
                        outcomes.append(await apply_settlement(port, s))
                    except Conflict as exc:
                        outcomes.append(exc)
            await uow.commit()
        shape = [o.created if isinstance(o, AppliedPayment) else "conflict" for o in outcomes]
        assert shape == [True, "conflict", True, False, True, True, True, True]
        await check_maintained(services, tenant_principal(tenant), customer_id)
        results.append(await snapshot(services, tenant))
    per_record, batch = results
    assert_same(per_record, batch)
    assert [(c["id"], c["state"]) for c in batch["change_requests"]] == [
        ("R1:rebate:1000", "approved"),
        ("R3:rebate:25000", "approved"),
    ]
    status = {i["id"]: i["status"] for i in batch["installments"]}
    assert status["I1"] == status["I2"] == status["I3"] == "paid"
    unapplied = {p["id"]: p["unapplied_minor"] for p in batch["payments"]}
    assert unapplied == {"Pk1": 0, "Pk2": 0, "Pk3": 0, "Pk4": 0, "Pk5": 1_000, "Pk6": 1_000}


async def _invoice_id(uow: Any, nn: int) -> uuid.UUID:
    from sqlalchemy import select

    from app.adapters.db.models import InvoiceRow

    stmt = select(InvoiceRow.id).where(
        InvoiceRow.tenant_id == uow.tenant.value, InvoiceRow.number == f"NB{nn:06d}"
    )
    return uuid.UUID(str((await uow.session.execute(stmt)).scalar_one()))
