"""Bank-file pages: upload → result page, correction queue actions, cash-application review."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.server.services import Services
from tests.api.test_bank_files_helpers import RETURNS, make_queued_record, make_review_line
from tests.support.factories import new_tenant
from tests.support.web import csrf_token, login_as, sign_out_locally

pytestmark = pytest.mark.asyncio(loop_scope="session")
BB240 = (RETURNS / "CNAB240.RET").read_bytes()


async def _upload(http: Any, data: bytes, name: str = "CNAB240.RET") -> Any:
    token = await csrf_token(http)
    return await http.post("/bank-files", files={"file": (name, data)}, data={"_csrf_token": token})


async def test_upload_result_and_duplicate(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await login_as(http, services, tenant, ["finance"])
    page = await http.get("/bank-files/")
    assert page.status_code == 200 and "Enviar e processar" in page.text  # pt-BR tenant
    done = await _upload(http, BB240)
    assert done.status_code == 303, done.text
    result = await http.get(done.headers["location"])
    assert result.status_code == 200
    assert "Títulos lidos" in result.text and "fila de correção" in result.text.lower()
    again = await _upload(http, BB240, "renamed.RET")
    assert again.status_code == 409 and "já foi enviado" in again.text
    queue = await http.get("/correction-queue/")
    assert queue.status_code == 200 and "unknown_account" in queue.text


async def test_queue_dismiss_and_review_skip_from_pages(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    record = await make_queued_record(services, tenant)
    line = await make_review_line(services, tenant)
    await login_as(http, services, tenant, ["finance"])
    token = await csrf_token(http)
    dismissed = await http.post(
        f"/correction-queue/{record}", data={"_csrf_token": token, "action": "dismiss", "reason": "not ours"}
    )
    assert dismissed.status_code == 303
    queue = await http.get("/correction-queue/")
    assert f"record-{record}" not in queue.text
    review = await http.get("/cash-application/")
    assert review.status_code == 200 and "data-skip" in review.text
    skipped = await http.post(f"/cash-application/{line}/skip", data={"_csrf_token": token})
    assert skipped.status_code == 303
    review = await http.get("/cash-application/")
    assert "adiado" in review.text
    # No candidate for this line: approving one is refused with the reason shown.
    refused = await http.post(
        f"/cash-application/{line}/confirm", data={"_csrf_token": token, "proposal": "0"}
    )
    assert refused.status_code == 303 and "error=" in refused.headers["location"]


async def test_pages_need_login_permission_and_own_tenant(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    sign_out_locally(http)
    for url in ("/bank-files/", "/correction-queue/", "/cash-application/"):
        response = await http.get(url)
        assert response.status_code in (302, 303) and "/login" in response.headers["location"]
    await login_as(http, services, tenant, ["sales"])
    for url in ("/bank-files/", "/correction-queue/", "/cash-application/"):
        assert (await http.get(url)).status_code == 403
    other = await new_tenant(services)
    foreign_record = await make_queued_record(services, other)
    await login_as(http, services, tenant, ["finance"])
    token = await csrf_token(http)
    listed = await http.get("/correction-queue/")
    assert foreign_record not in listed.text
    hijack = await http.post(
        f"/correction-queue/{foreign_record}", data={"_csrf_token": token, "action": "retry"}
    )
    assert hijack.status_code == 404
    files = await http.get("/bank-files/")
    ids = re.findall(r"/bank-files/([0-9a-f-]{36})", files.text)
    assert ids == []
