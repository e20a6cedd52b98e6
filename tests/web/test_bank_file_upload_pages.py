"""The bank-file upload form works with and without JavaScript: HTMX sends the CSRF
token as a header and gets ``HX-Redirect`` to the result page; a plain form carries
the token as a field and gets a 303 to the same page. Errors come back on the form,
in the tenant's language, and the size limit holds on both paths."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.server.services import Services
from tests.api.test_bank_files_helpers import RETURNS
from tests.support.factories import new_tenant
from tests.support.web import csrf_token, login_as

pytestmark = pytest.mark.asyncio(loop_scope="session")
BB240 = (RETURNS / "CNAB240.RET").read_bytes()


async def _post(http: Any, content: bytes, name: str, *, htmx: bool) -> Any:
    token = await csrf_token(http)
    headers = {"x-csrftoken": token, "HX-Request": "true"} if htmx else {}
    data = {} if htmx else {"_csrf_token": token}
    return await http.post("/bank-files", data=data, files={"file": (name, content)}, headers=headers)


async def test_plain_and_htmx_uploads_both_reach_the_result_page(http: Any, services: Services) -> None:
    tenant = await new_tenant(services)
    await login_as(http, services, tenant, ["finance"])
    form = (await http.get("/bank-files/")).text
    assert 'hx-post="/bank-files"' in form and 'enctype="multipart/form-data"' in form
    assert 'name="_csrf_token"' in form  # the field the plain post needs

    plain = await _post(http, BB240, "CNAB240.RET", htmx=False)
    assert plain.status_code == 303
    assert re.fullmatch(r"/bank-files/[0-9a-f-]{36}", plain.headers["location"])
    result = await http.get(plain.headers["location"])
    assert result.status_code == 200 and "Títulos lidos" in result.text

    # The same bytes again through HTMX: refused as a duplicate, on the form (200 so htmx swaps it).
    again = await _post(http, BB240, "copia.RET", htmx=True)
    assert again.status_code == 200 and 'id="upload-form"' in again.text
    assert "Este arquivo já foi enviado como CNAB240.RET" in again.text
    assert plain.headers["location"] in again.text  # the link to the earlier upload

    changed = BB240.replace(b"0019999570014", b"0019999570015", 1)
    htmx = await _post(http, changed, "outro.RET", htmx=True)
    assert htmx.status_code == 204
    target = htmx.headers["hx-redirect"]
    assert re.fullmatch(r"/bank-files/[0-9a-f-]{36}", target) and target != plain.headers["location"]
    partial = await http.get(target, headers={"HX-Request": "true"})
    assert (
        partial.status_code == 200 and "<html" not in partial.text and 'id="bank-file-status"' in partial.text
    )


async def test_empty_missing_token_and_too_large(http: Any, services: Services) -> None:
    tenant = await new_tenant(services, locale="es-MX")
    await login_as(http, services, tenant, ["finance"])
    empty = await _post(http, b"", "vazio.RET", htmx=False)
    assert empty.status_code == 422
    assert "Elija un archivo de respuesta bancaria o de estado de cuenta." in empty.text
    no_token = await http.post("/bank-files", files={"file": ("x.RET", BB240)})
    assert no_token.status_code == 403
    limit = services.settings.max_upload_bytes
    object.__setattr__(services.settings, "max_upload_bytes", 1024)
    try:
        for htmx in (False, True):
            big = await _post(http, b"0" * 4096, "big.RET", htmx=htmx)
            assert big.status_code == (200 if htmx else 413)
            assert "El archivo supera los 1 MiB." in big.text
    finally:
        object.__setattr__(services.settings, "max_upload_bytes", limit)
    listing = (await http.get("/bank-files/")).text
    assert "big.RET" not in listing and "vazio.RET" not in listing
