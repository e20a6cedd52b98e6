"""Statements find the tenant's bank account from the account the file names, per
format; an unknown account keeps the credits in the correction queue until assigned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.adapters.banks.statements import parse_statements, write_bai2
from app.adapters.db.repositories.settlement import SqlBankFileRepository
from app.server.auth import system_principal
from app.server.services import Services
from tests.api.test_bank_files_helpers import CAMT_ACCOUNT, create_account, headers, upload
from tests.support.factories import TenantInfo, new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")

STATEMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "statements"
ITAU = {"bank_code": "341", "agency": "1234", "account": "56789", "digit": "0", "agreement": ""}


def _bai2_one_account() -> bytes:
    # The fixture holds two accounts (a file for one statement must hold one).
    first = parse_statements((STATEMENTS / "bai2_multi_funds.bai").read_bytes())[0]
    return write_bai2([first])


# (fixture or bytes, the account registered for it, the file kind)
CASES: dict[str, tuple[bytes, dict[str, str], str]] = {
    "camt053-iban": ((STATEMENTS / "camt053_v08_pix_batch.xml").read_bytes(), CAMT_ACCOUNT, "camt053"),
    "camt054-bank/agency/account": (
        (STATEMENTS / "camt054_v02_notification.xml").read_bytes(),
        ITAU,
        "camt054",
    ),
    "ofx-bankid-branch-acctid": (
        (STATEMENTS / "ofx_sgml_bb_wellformed.ofx").read_bytes(),
        {
            "bank_code": "001",
            "agency": "3344",
            "agency_digit": "5",
            "account": "998877",
            "digit": "6",
            "agreement": "",
        },
        "ofx",
    ),
    "ofx-latin1": ((STATEMENTS / "ofx_sgml_latin1_quirky.ofx").read_bytes(), ITAU, "ofx"),
    "ofx2-acctid-only": (
        (STATEMENTS / "ofx2_xml.ofx").read_bytes(),
        {"bank_code": "999", "agency": "1", "account": "4455667788", "agreement": ""},
        "ofx",
    ),
    "mt940-25": (
        (STATEMENTS / "mt940_structured.sta").read_bytes(),
        {"bank_code": "999", "agency": "10020030", "account": "1234567890", "agreement": ""},
        "mt940",
    ),
    "bai2-03": (
        _bai2_one_account(),
        {"bank_code": "999", "agency": "1", "account": "4455667788", "agreement": ""},
        "bai2",
    ),
    "csv-preamble": ((STATEMENTS / "csv_ptbr_itau_latin1.csv").read_bytes(), ITAU, "csv"),
}


async def _file_and_lines(services: Services, tenant: TenantInfo, file_id: str) -> tuple[Any, list[Any]]:
    import uuid

    async with services.uow(system_principal(tenant.id, "test")) as uow:
        files = SqlBankFileRepository(uow.session, uow.tenant)
        row = await files.get(uuid.UUID(file_id))
        lines = await files.records_after(uuid.UUID(file_id), 500, None)
    return row, [line for line in lines if line.outcome == "credit"]


@pytest.mark.parametrize("case", sorted(CASES))
async def test_statement_names_its_account(http: Any, services: Services, case: str) -> None:
    data, account, kind = CASES[case]
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    # Another account of the tenant, at another bank, is not taken for it.
    await create_account(http, hdrs, bank_code="237", agency="9", account="1", agreement="")
    registered = await create_account(http, hdrs, **account)

    response = await upload(http, hdrs, data, f"statement.{kind}")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind"] == kind and body["status"] == "processed", body
    row, credits = await _file_and_lines(services, tenant, body["id"])
    assert str(row.bank_account_id) == registered["id"]
    assert credits and all(c.error_code != "unknown_account" for c in credits)
    assert {c.status for c in credits} <= {"applied", "review", "on_account"}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_unknown_account_waits_until_assigned(http: Any, services: Services, case: str) -> None:
    data, account, kind = CASES[case]
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)

    body = (await upload(http, hdrs, data, f"statement.{kind}")).json()
    assert body["status"] == "processed", body
    row, credits = await _file_and_lines(services, tenant, body["id"])
    assert row.bank_account_id is None
    assert credits and all(c.status == "queued" and c.error_code == "unknown_account" for c in credits)
    assert body["queued_count"] == len(credits) and body["applied_count"] == 0

    # A retry without an account changes nothing: no matching before the account is known.
    retried = await http.post(
        f"/api/v1/correction-queue/{credits[0].id}/resolve", json={"action": "retry"}, headers=hdrs
    )
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "queued"

    registered = await create_account(http, hdrs, **{**account, "agency": "4321"})
    assigned = await http.post(
        f"/api/v1/correction-queue/{credits[0].id}/resolve",
        json={"action": "assign", "bank_account_id": registered["id"]},
        headers=hdrs,
    )
    assert assigned.status_code == 200, assigned.text
    row, credits = await _file_and_lines(services, tenant, body["id"])
    assert str(row.bank_account_id) == registered["id"]
    # Every credit of the file went through the matching engine once assigned.
    assert all(c.error_code != "unknown_account" for c in credits)
    assert {c.status for c in credits} <= {"applied", "review", "on_account"}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_registering_the_named_account_processes_the_waiting_credits(
    http: Any, services: Services, case: str
) -> None:
    data, account, kind = CASES[case]
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    body = (await upload(http, hdrs, data, f"statement.{kind}")).json()
    _row, credits = await _file_and_lines(services, tenant, body["id"])
    assert credits and all(c.error_code == "unknown_account" for c in credits)

    registered = await create_account(http, hdrs, **account)
    row, credits = await _file_and_lines(services, tenant, body["id"])
    assert str(row.bank_account_id) == registered["id"]
    assert all(c.error_code != "unknown_account" for c in credits)


async def test_ambiguous_account_is_unknown(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    # The OFX 2 file names only ACCTID 4455667788 (its BANKID is a US routing number).
    for bank in ("998", "999"):
        await create_account(http, hdrs, bank_code=bank, agency="1", account="4455667788", agreement="")
    body = (await upload(http, hdrs, (STATEMENTS / "ofx2_xml.ofx").read_bytes(), "s.ofx")).json()
    row, credits = await _file_and_lines(services, tenant, body["id"])
    assert row.bank_account_id is None
    assert all(c.error_code == "unknown_account" for c in credits)


async def test_chosen_account_wins_with_a_warning(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    chosen = await create_account(http, hdrs, bank_code="237", agency="9", account="1", agreement="")
    data = (STATEMENTS / "camt053_v08_pix_batch.xml").read_bytes()
    body = (await upload(http, hdrs, data, "s.xml", account_id=chosen["id"])).json()
    assert body["status"] == "processed"
    row, credits = await _file_and_lines(services, tenant, body["id"])
    assert str(row.bank_account_id) == chosen["id"]
    assert any(e["field"] == "account" and e["severity"] == "warning" for e in row.errors)
    assert all(c.error_code != "unknown_account" for c in credits)
