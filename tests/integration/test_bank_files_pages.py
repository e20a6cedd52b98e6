"""Bank-file pages: upload → result page, correction queue actions, cash-application review."""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import pytest

from app.server.services import Services
from tests.api.test_bank_files_helpers import RETURNS, headers, make_queued_record, make_review_line
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


# A weak, short and contested match as the statement runner stores it (see
# tests/web/test_review_reasons.py for how ``decide`` writes it).
STORED_REASONS = (
    "confidence 0.925 is below the threshold 0.950; "
    "amount does not fit (short_payment of 1234.50 BRL); "
    "nothing identifies the payer or the installment well enough (0.00)"
)


async def _store_reasons(services: Services, tenant: Any, line: str, text: str) -> str:
    """The record's reasons set to ``text``; returns its file's id."""
    from app.adapters.db.models.settlement import BankFileRecordRow
    from app.server.auth import system_principal

    async with services.uow(system_principal(tenant.id, "test")) as uow:
        row = await uow.session.get(BankFileRecordRow, (tenant.id, uuid.UUID(line)))
        assert row is not None
        row.error = text
        await uow.commit()
        return str(row.file_id)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "pt-BR",
            "confiança de 92,5%, abaixo do limite de 95,0%; o valor não confere: faltam R$ 1.234,50; "
            "nada identifica o pagador ou a parcela com segurança",
        ),
        (
            "es-MX",
            "confianza de 92.5%, por debajo del umbral de 95.0%; el importe no cuadra: faltan BRL1,234.50; "
            "nada identifica al pagador o la parcialidad con seguridad",
        ),
    ],
)
async def test_review_reasons_read_in_the_users_language(
    http: Any, services: Services, locale: str, expected: str
) -> None:
    tenant = await new_tenant(services)
    line = await make_review_line(services, tenant)
    file_id = await _store_reasons(services, tenant, line, STORED_REASONS)
    await login_as(http, services, tenant, ["finance"], locale=locale)
    review = await http.get(f"/cash-application/?line={line}")
    assert review.status_code == 200
    assert expected in html.unescape(review.text)
    result = await http.get(f"/bank-files/{file_id}")
    assert result.status_code == 200
    assert expected in html.unescape(result.text)
    # The API is for machines and partners: it returns the reasons as stored.
    hdrs = await headers(http, services, tenant)
    items = (await http.get("/api/v1/cash-application/review?limit=200", headers=hdrs)).json()["items"]
    assert next(i for i in items if i["id"] == line)["error"] == STORED_REASONS
