"""The processing lease of a bank file: two processors of one file give one processing,
a processor whose lease was taken over stops at its next commit without writing, and
the watched-folder scan resumes only files nobody holds."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import timedelta
from typing import Any

import pytest

from app.adapters.banks.cnab import return_240_bytes
from app.adapters.banks.cnab.generate import SAMPLE_ACCOUNT
from app.adapters.db.base import utcnow
from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.adapters.db.repositories.settlement_apply import ReceivablesSettlementPort, ports_for
from app.adapters.db.repositories.settlement_runner import process_file, register_file
from app.adapters.db.repositories.settlement_store import BankFileStore
from app.jobs.bank_file_resume import UNCLAIMED_GRACE, resume_tenant, resume_unfinished
from app.server.auth import system_principal
from app.server.services import Services
from tests.integration.bank_files_compare import assert_same, snapshot
from tests.integration.test_bank_files_bulk import FACES, _seed, _title
from tests.support.factories import TenantInfo, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Eight titles in batches of two: four batches, the last two records a replay and a
# partial payment.
TITLES = [_title(nn, FACES[nn]) for nn in (1, 2, 3, 4, 5, 6)] + [_title(1, 10_000), _title(9, 10_000)]
BATCH = 2


def _factory(services: Services, tenant: TenantInfo) -> Any:
    def factory() -> Any:
        return services.uow(system_principal(tenant.id, "test"))

    return factory


async def _register(services: Services, tenant: TenantInfo, data: bytes, name: str) -> uuid.UUID:
    store = BankFileStore.under(services.settings.var_dir)
    sha, size = store.put_bytes(data)
    return await register_file(
        _factory(services, tenant), store, sha256=sha, size=size, filename=name, bank_account_id=None
    )


async def _set(services: Services, tenant: TenantInfo, file_id: uuid.UUID, **values: Any) -> None:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        await SqlBankFileRepository(uow.session, uow.tenant).set(file_id, **values)
        await uow.commit()


async def _row(services: Services, tenant: TenantInfo, file_id: uuid.UUID) -> Any:
    async with services.uow(system_principal(tenant.id, "test")) as uow:
        return await SqlBankFileRepository(uow.session, uow.tenant).get(file_id)


async def _process(
    services: Services, tenant: TenantInfo, file_id: uuid.UUID, ports: Any = ports_for
) -> bool:
    store = BankFileStore.under(services.settings.var_dir)
    return await process_file(_factory(services, tenant), store, file_id, ports, batch=BATCH)


async def _single_run(services: Services, data: bytes) -> dict[str, Any]:
    """The reference: the file processed once, uninterrupted, in a tenant of its own."""
    tenant = await new_tenant(services)
    await _seed(services, tenant)
    file_id = await _register(services, tenant, data, "lease.ret")
    assert await _process(services, tenant, file_id) is True
    return await snapshot(services, tenant)


async def test_two_concurrent_processors_of_one_file_process_it_once(services: Services) -> None:
    data = return_240_bytes(SAMPLE_ACCOUNT, TITLES, file_sequence=11)
    reference = await _single_run(services, data)

    tenant = await new_tenant(services)
    await _seed(services, tenant)
    file_id = await _register(services, tenant, data, "lease.ret")
    outcomes = await asyncio.gather(_process(services, tenant, file_id), _process(services, tenant, file_id))
    assert sorted(outcomes) == [False, True]  # one processed it, the other found it held
    both = await snapshot(services, tenant)
    assert_same(reference, both)
    (file,) = both["files"]
    assert file["status"] == "processed" and file["applied_count"] == 8 and file["duplicate_count"] == 1
    assert len(both["payments"]) == 7 and len(both["records"]) == 8
    row = await _row(services, tenant, file_id)
    assert row.lease_owner is None and row.lease_until is None  # released when done

    # Finished: a late processor (a second broker delivery) does nothing.
    assert await _process(services, tenant, file_id) is False
    assert_same(reference, await snapshot(services, tenant))


async def test_a_processor_whose_lease_was_taken_over_stops_at_its_next_commit(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    """While the third batch is decided, another processor takes the file over (as if
    this one had stalled past its lease): the third batch's commit finds the lease gone
    and this processor stops, having written only the first two batches. Once the
    other one's lease expires too, a resume finishes the file like a single run."""
    data = return_240_bytes(SAMPLE_ACCOUNT, TITLES, file_sequence=12)
    reference = await _single_run(services, data)
    tenant = await new_tenant(services)
    await _seed(services, tenant)
    file_id = await _register(services, tenant, data, "lease.ret")
    decided = 0

    class TakenOverAtTheThirdBatch(ReceivablesSettlementPort):
        async def decide_many(self, settlements: Any, carried: Any, settle_in_flight: Any) -> Any:
            nonlocal decided
            decided += 1
            if decided == 3:
                until = utcnow() + timedelta(minutes=5)
                await _set(services, tenant, file_id, lease_owner="usurper", lease_until=until)
            return await super().decide_many(settlements, carried, settle_in_flight)

    with caplog.at_level(logging.WARNING, logger="cobalto.bank_files"):
        assert await _process(services, tenant, file_id, TakenOverAtTheThirdBatch) is False
    assert any("taken over" in r.getMessage() for r in caplog.records)
    stopped = await snapshot(services, tenant)
    (file,) = stopped["files"]
    assert file["status"] == "processing" and file["applied_count"] == 4  # two batches of two
    assert len(stopped["records"]) == 4 and len(stopped["payments"]) == 4
    row = await _row(services, tenant, file_id)
    assert row.lease_owner == "usurper"  # neither released nor marked failed by the loser
    assert "bank_file.processed" not in {e["event_type"] for e in stopped["events"]}

    # The usurper's lease holds: nobody else may process the file.
    assert await _process(services, tenant, file_id) is False
    await _set(services, tenant, file_id, lease_until=utcnow() - timedelta(seconds=1))
    assert await _process(services, tenant, file_id) is True
    assert_same(reference, await snapshot(services, tenant))


async def test_resume_takes_files_nobody_holds_and_leaves_the_others(services: Services) -> None:
    tenant = await new_tenant(services)
    now = utcnow()
    files = {}
    for seq, name in enumerate(("expired", "live", "fresh", "unclaimed"), 21):
        data = return_240_bytes(SAMPLE_ACCOUNT, TITLES[:2], file_sequence=seq)
        files[name] = await _register(services, tenant, data, f"{name}.ret")
    # A processor died mid-file: its lease ran out.
    await _set(
        services,
        tenant,
        files["expired"],
        status="processing",
        lease_owner="dead",
        lease_until=now - timedelta(seconds=1),
    )
    # A processor at work: its lease holds.
    await _set(
        services,
        tenant,
        files["live"],
        status="processing",
        lease_owner="alive",
        lease_until=now + timedelta(minutes=2),
    )
    # "fresh" was just uploaded: its own processing may not have claimed it yet.
    # "unclaimed" was uploaded long ago and never claimed (its process died first).
    await _set(services, tenant, files["unclaimed"], uploaded_at=now - UNCLAIMED_GRACE * 2)

    assert await resume_tenant(services, tenant.id) == 2

    rows = {name: await _row(services, tenant, file_id) for name, file_id in files.items()}
    assert rows["expired"].status == "processed" and rows["expired"].records == 2
    assert rows["unclaimed"].status == "processed"
    assert (rows["live"].status, rows["live"].lease_owner) == ("processing", "alive")
    assert rows["live"].processed_through == 0 and rows["live"].records == 0
    assert (rows["fresh"].status, rows["fresh"].lease_owner) == ("received", None)


async def test_orphaned_files_are_resumed_in_every_tenant_and_only_theirs(services: Services) -> None:
    """Neither tenant has an inbox folder: the pass still finds their orphaned files,
    and each tenant's file is processed under its own scope."""
    first, second = await new_tenant(services), await new_tenant(services)
    now = utcnow()
    orphaned = {}
    for seq, tenant in enumerate((first, second), 41):
        data = return_240_bytes(SAMPLE_ACCOUNT, TITLES[:2], file_sequence=seq)
        orphaned[tenant.id] = await _register(services, tenant, data, "orphan.ret")
        await _set(
            services, tenant, orphaned[tenant.id], status="processing", lease_owner="dead",
            lease_until=now - timedelta(seconds=1),
        )  # fmt: skip
    live = await _register(
        services, second, return_240_bytes(SAMPLE_ACCOUNT, TITLES[:2], file_sequence=43), "l.ret"
    )
    await _set(
        services,
        second,
        live,
        status="processing",
        lease_owner="alive",
        lease_until=now + timedelta(minutes=2),
    )

    # Other tests' tenants may have orphans of their own: count only these two.
    await resume_unfinished(services)

    for tenant in (first, second):
        row = await _row(services, tenant, orphaned[tenant.id])
        assert (row.status, row.records, row.lease_owner) == ("processed", 2, None)
    row = await _row(services, second, live)
    assert (row.status, row.lease_owner, row.records) == ("processing", "alive", 0)
    for tenant in (first, second):
        assert await resume_tenant(services, tenant.id) == 0
