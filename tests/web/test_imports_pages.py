"""The import page: upload with CSRF, background job with a progress URL that survives
a reload, the result with every rejected row, recent imports, permissions, tenants."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from app.server.services import Services
from tests.support.factories import new_tenant
from tests.support.web import csrf_token, login, login_as, sign_out_locally

pytestmark = pytest.mark.asyncio(loop_scope="session")

CSV = (
    "Código;Nome;CNPJ;Situação\n"
    "C1;Padaria <b>São João</b>;;ativo\n"
    "C2;Mercado;11.222.333/0001-82;inativo\n"
    "C3;Feira Livre;;ativo\n"
).encode("cp1252")


async def _upload(http: Any, content: bytes, mode: str, *, htmx: bool = True, **fields: str) -> Any:
    token = await csrf_token(http)
    data = {"kind": "customers", "mode": mode, **fields}
    headers = {"x-csrftoken": token, "HX-Request": "true"} if htmx else {}
    if not htmx:
        data["_csrf_token"] = token
    return await http.post(
        "/imports", data=data, files={"file": ("clientes.csv", content, "text/csv")}, headers=headers
    )


async def _finished(http: Any, services: Services, url: str) -> str:
    tasks = services.extras.get("import_tasks") or set()
    await asyncio.gather(*list(tasks))
    for _ in range(50):
        html = (await http.get(f"{url}/progress")).text
        if "hx-trigger" not in html:
            return html
        await asyncio.sleep(0.05)
    raise AssertionError("the import did not finish")


async def test_upload_runs_in_the_background_and_lists_rejected_rows(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await login(http, tenant.admin_email, tenant.admin_password)
    form = await http.get("/imports")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    assert "Ainda não há importações." in form.text  # pt-BR tenant
    response = await _upload(http, CSV, "valid_rows")
    assert response.status_code == 204
    job_url = response.headers["hx-redirect"]
    assert re.fullmatch(r"/imports/[0-9a-f-]{36}", job_url)
    page = await http.get(job_url)  # what a reload shows: the same job, by its URL
    assert page.status_code == 200 and "clientes.csv" in page.text and "<progress" in page.text
    result = await _finished(http, services, job_url)
    assert "completed" in result
    rows = re.findall(
        r'<tr><td class="num">(\d+)</td><td class="mono">([^<]+)</td><td>([^<]+)</td></tr>', result
    )
    assert [(line, field) for line, field, _ in rows] == [("3", "tax_id")]
    assert "dígitos verificadores" in rows[0][2]
    recent = await http.get("/imports")
    assert "clientes.csv" in recent.text and job_url in recent.text
    customers = await http.get("/customers")
    assert "Padaria &lt;b&gt;São João&lt;/b&gt;" in customers.text  # imported, and escaped when shown


async def test_all_or_nothing_without_htmx_redirects_and_writes_nothing(
    http: Any, services: Services
) -> None:
    tenant = await new_tenant(services)
    await login(http, tenant.admin_email, tenant.admin_password)
    response = await _upload(http, CSV, "all_or_nothing", htmx=False)
    assert response.status_code == 303
    result = await _finished(http, services, response.headers["location"])
    assert "rejeitado" in result and "Nada foi gravado" in result
    assert "Padaria" not in (await http.get("/customers")).text


async def test_bad_uploads_come_back_with_the_reason(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await login(http, tenant.admin_email, tenant.admin_password)
    wrong_kind = await _upload(http, CSV, "valid_rows", kind="payments")
    assert wrong_kind.status_code == 200 and "Escolha clientes ou faturas." in wrong_kind.text
    binary = await _upload(http, b"\x00\x01\x02PDF", "valid_rows", htmx=False)
    assert binary.status_code == 422
    no_token = await http.post(
        "/imports",
        data={"kind": "customers", "mode": "valid_rows"},
        files={"file": ("a.csv", CSV, "text/csv")},
    )
    assert no_token.status_code == 403  # CSRF


async def test_needs_a_session_permission_and_own_tenant(http: Any, services: Services) -> None:
    other = await new_tenant(services)
    await login(http, other.admin_email, other.admin_password)
    theirs = (await _upload(http, CSV, "valid_rows")).headers["hx-redirect"]
    await _finished(http, services, theirs)
    sign_out_locally(http)
    response = await http.get("/imports")
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")
    mine = await new_tenant(services)
    await login_as(http, services, mine, ["sales"])
    assert (await http.get("/imports")).status_code == 403
    await login(http, mine.admin_email, mine.admin_password)
    assert (await http.get(theirs)).status_code == 404
    assert (await http.get(f"{theirs}/progress")).status_code == 404
    assert (await http.get("/imports/not-an-id")).status_code == 404
    assert "clientes.csv" not in (await http.get("/imports")).text
