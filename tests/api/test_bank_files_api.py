"""Bank-file upload through the API with real CNAB returns."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.adapters.banks.cnab import parse_return
from app.server.services import Services
from tests.api.test_bank_files_helpers import (
    BB_ACCOUNT,
    FIXTURES,
    RETURNS,
    create_account,
    headers,
    installment_open,
    seed_installments,
    upload,
)
from tests.support.factories import new_tenant

pytestmark = pytest.mark.asyncio(loop_scope="session")

BB240 = (RETURNS / "CNAB240.RET").read_bytes()


async def test_bb_return_is_applied_by_nosso_numero(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    account = await create_account(http, hdrs)
    parsed = parse_return(BB240)
    titles = [(r.nosso_numero, r.face_value_minor) for r in parsed.records[:5]]
    ids = await seed_installments(services, tenant, titles)

    response = await upload(http, hdrs, BB240, "CNAB240.RET")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind"] == "cnab240_return"
    assert body["bank_code"] == "001"
    assert body["bank_account_id"] == account["id"]
    assert body["status"] == "processed"
    assert body["records"] == 35
    assert body["settled_count"] == 35
    assert body["settled_amount"] == "21880.94"
    assert body["applied_count"] == 5
    assert body["queued_count"] == 30
    assert body["totals"]["computed"]["records"] == body["totals"]["trailer"]["records"] == 74

    # Paid in full: the five installments are settled (the first one with interest).
    for inst_id in ids:
        assert await installment_open(services, tenant, inst_id) == 0

    queue = (await http.get("/api/v1/correction-queue?limit=100", headers=hdrs)).json()["items"]
    assert len(queue) == 30
    assert {q["error_code"] for q in queue} == {"unknown_nosso_numero"}
    assert queue[0]["raw"] and queue[0]["suggested_fix"]

    records = (await http.get(f"/api/v1/bank-files/{body['id']}/records?limit=10", headers=hdrs)).json()
    assert len(records["items"]) == 10 and records["next_cursor"]
    first = records["items"][0]
    assert first["status"] == "applied" and first["payment_id"] and first["installment_id"] == str(ids[0])
    assert first["parsed"]["nosso_numero"] == titles[0][0]
    rest = await http.get(
        f"/api/v1/bank-files/{body['id']}/records?limit=100&cursor={records['next_cursor']}", headers=hdrs
    )
    assert len(rest.json()["items"]) == 25


async def test_same_file_twice_is_409_naming_the_first(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    first = await upload(http, hdrs, BB240, "a.ret")
    assert first.status_code == 201
    again = await upload(http, hdrs, BB240, "renamed.ret")
    assert again.status_code == 409
    assert first.json()["id"] in again.json()["errors"][0]["message"]
    assert again.headers["content-location"].endswith(first.json()["id"])
    # Another tenant may upload the same bytes.
    other = await new_tenant(services)
    assert (await upload(http, await headers(http, services, other), BB240)).status_code == 201


async def test_racing_identical_uploads_make_one_file(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    data = (FIXTURES / "opencnabphp" / "retorno_cnab240_caixa.ret").read_bytes()
    results = await asyncio.gather(*(upload(http, hdrs, data) for _ in range(3)))
    codes = sorted(r.status_code for r in results)
    assert codes == [201, 409, 409]
    listed = (await http.get("/api/v1/bank-files", headers=hdrs)).json()["items"]
    assert len(listed) == 1


async def test_unknown_account_waits_then_is_processed_when_registered(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    parsed = parse_return(BB240)
    ids = await seed_installments(
        services, tenant, [(parsed.records[1].nosso_numero, parsed.records[1].face_value_minor)]
    )
    response = await upload(http, hdrs, BB240)
    assert response.status_code == 201
    body = response.json()
    assert body["bank_account_id"] is None and body["queued_count"] == 35 and body["applied_count"] == 0
    queue = (await http.get("/api/v1/correction-queue?limit=100", headers=hdrs)).json()["items"]
    assert {q["error_code"] for q in queue} == {"unknown_account"}

    account = await create_account(http, hdrs)
    after = (await http.get(f"/api/v1/bank-files/{body['id']}", headers=hdrs)).json()
    assert after["bank_account_id"] == account["id"]
    assert after["applied_count"] == 1 and after["queued_count"] == 34
    assert await installment_open(services, tenant, ids[0]) == 0


async def test_structurally_invalid_files_apply_nothing_and_are_kept(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    await create_account(http, hdrs)
    parsed = parse_return(BB240)
    await seed_installments(
        services, tenant, [(parsed.records[0].nosso_numero, parsed.records[0].face_value_minor)]
    )
    lines = BB240.splitlines()
    truncated = b"\r\n".join(lines[: len(lines) // 2]) + b"\r\n"
    response = await upload(http, hdrs, truncated, "truncated.ret")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "invalid" and body["errors"] and body["applied_count"] == 0
    records = (await http.get(f"/api/v1/bank-files/{body['id']}/records", headers=hdrs)).json()["items"]
    assert records == []
    # A remittance is not a return; an overflowing amount is a per-line error.
    rem = (FIXTURES / "brcobranca" / "remessa" / "remessa-banco_brasil-cnab240.rem").read_bytes()
    r2 = (await upload(http, hdrs, rem, "x.rem")).json()
    assert r2["status"] == "invalid" and "remittance" in r2["kind"]
    bad = [bytearray(ln) for ln in lines]
    bad[2][81:84] = b"9X9"  # line 3 is segment T; valor do título at 82-96
    r3 = (await upload(http, hdrs, b"\n".join(bytes(b) for b in bad), "bad.ret")).json()
    assert r3["status"] == "invalid" and any(e["line"] == 3 for e in r3["errors"])


async def test_another_banks_file_for_the_chosen_account_is_invalid(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    account = await create_account(http, hdrs)
    caixa = (FIXTURES / "opencnabphp" / "R2100095.RET").read_bytes()
    body = (await upload(http, hdrs, caixa, account_id=account["id"])).json()
    assert body["status"] == "invalid"
    assert "bank 104 file for a bank 001 account" in body["errors"][0]["message"]


async def test_correction_queue_assign_dismiss_retry(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    await create_account(http, hdrs)
    parsed = parse_return(BB240)
    rec = parsed.records[2]
    # An installment the bank knows under another nosso número: assign it by hand.
    (inst,) = await seed_installments(services, tenant, [("999999", rec.face_value_minor)])
    body = (await upload(http, hdrs, BB240)).json()
    queue = (await http.get(f"/api/v1/correction-queue?limit=100&file_id={body['id']}", headers=hdrs)).json()[
        "items"
    ]
    target = next(q for q in queue if q["line_no"] == rec.line_no)
    url = f"/api/v1/correction-queue/{target['id']}/resolve"
    assigned = await http.post(url, json={"action": "assign", "installment_id": str(inst)}, headers=hdrs)
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["status"] == "applied" and assigned.json()["payment_id"]
    assert await installment_open(services, tenant, inst) == 0
    # A second click is refused: nothing is applied twice.
    again = await http.post(url, json={"action": "assign", "installment_id": str(inst)}, headers=hdrs)
    assert again.status_code == 409

    other = queue[0] if queue[0]["id"] != target["id"] else queue[1]
    no_reason = await http.post(
        f"/api/v1/correction-queue/{other['id']}/resolve", json={"action": "dismiss"}, headers=hdrs
    )
    assert no_reason.status_code == 422
    dismissed = await http.post(
        f"/api/v1/correction-queue/{other['id']}/resolve",
        json={"action": "dismiss", "reason": "not our title"},
        headers=hdrs,
    )
    assert dismissed.json()["status"] == "dismissed"
    retried = await http.post(
        f"/api/v1/correction-queue/{queue[-1]['id']}/resolve", json={"action": "retry"}, headers=hdrs
    )
    assert retried.json()["status"] == "queued" and retried.json()["error_code"] == "unknown_nosso_numero"
    after = (await http.get(f"/api/v1/bank-files/{body['id']}", headers=hdrs)).json()
    assert after["applied_count"] == 1 and after["queued_count"] == 33


async def test_real_returns_parse_and_store_every_record(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    for name in ("CNAB400ITAU.RET", "CNAB240SICOOB.RET", "CBR64310.RET", "CNAB400BANCOBRASILIA.RET"):
        data = (RETURNS / name).read_bytes()
        parsed = parse_return(data)
        body = (await upload(http, hdrs, data, name)).json()
        assert body["status"] == "processed", (name, body["errors"])
        assert body["records"] == len(parsed.records)
        assert body["settled_count"] == parsed.settled_count
        assert body["settled_amount"] == str(parsed.settled_amount.amount)
    # Unknown occurrence code (Banco de Brasília '05') waits in the queue.
    queue = (await http.get("/api/v1/correction-queue?limit=200", headers=hdrs)).json()["items"]
    assert any(q["error_code"] == "unknown_account" for q in queue)


async def test_bank_accounts_crud_and_validation(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    hdrs = await headers(http, services, tenant)
    account = await create_account(http, hdrs, wallet="17", pix_key="pix@example.com")
    assert account["next_nosso_numero"] == 1
    dup = await http.post("/api/v1/bank-accounts", json=BB_ACCOUNT, headers=hdrs)
    assert dup.status_code == 409
    bad = await http.post("/api/v1/bank-accounts", json={**BB_ACCOUNT, "bank_code": "1"}, headers=hdrs)
    assert bad.status_code == 422
    patched = await http.patch(f"/api/v1/bank-accounts/{account['id']}", json={"wallet": "18"}, headers=hdrs)
    assert patched.status_code == 200 and patched.json()["wallet"] == "18"
    listed = (await http.get("/api/v1/bank-accounts", headers=hdrs)).json()["items"]
    assert [a["id"] for a in listed] == [account["id"]]


async def test_auth_401_and_403(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    read_only = await headers(http, services, tenant, "bank_files:read")
    assert (await http.get("/api/v1/bank-files")).status_code == 401
    assert (await http.get("/api/v1/bank-accounts")).status_code == 401
    assert (await http.get("/api/v1/correction-queue")).status_code == 401
    assert (await upload(http, {}, BB240)).status_code == 401
    assert (await upload(http, read_only, BB240)).status_code == 403
    assert (await http.post("/api/v1/bank-accounts", json=BB_ACCOUNT, headers=read_only)).status_code == 403
    none = await headers(http, services, tenant, "customers:read")
    assert (await http.get("/api/v1/bank-files", headers=none)).status_code == 403
    assert (await http.get("/api/v1/correction-queue", headers=none)).status_code == 403


async def test_lists_never_show_other_tenants(http: Any, services: Services) -> None:
    mine, theirs = await new_tenant(services), await new_tenant(services)
    their_hdrs = await headers(http, services, theirs)
    await create_account(http, their_hdrs)
    await upload(http, their_hdrs, BB240)
    my_hdrs = await headers(http, services, mine)
    assert (await http.get("/api/v1/bank-files", headers=my_hdrs)).json()["items"] == []
    assert (await http.get("/api/v1/bank-accounts", headers=my_hdrs)).json()["items"] == []
    assert (await http.get("/api/v1/correction-queue", headers=my_hdrs)).json()["items"] == []
