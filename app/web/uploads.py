"""Receiving a file from a portal form, with or without JavaScript.

HTMX sends the CSRF token in a header, so the CSRF middleware leaves the body alone
and the upload is streamed straight to a temporary file. A plain form post (no
JavaScript) carries the token as the ``_csrf_token`` field: the middleware has then
already parsed the multipart body to read it, the stream is spent, and the file has to
be taken from that parsed form instead. Both paths end in the same ``Upload``, with the
same size limit.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState

from app.adapters.files.upload import Upload, UploadTooLarge, receive_upload

CHUNK = 1 << 20
CSRF_FIELD = "_csrf_token"


def body_already_parsed(request: Request[Any, Any, Any]) -> bool:
    """True when something before the handler (the CSRF check) read the form."""
    return ScopeState.from_scope(request.scope).form is not Empty


async def receive_form_upload(
    request: Request[Any, Any, Any], *, limit: int, tmp_dir: Path, file_field: str = "file"
) -> Upload:
    """The uploaded file in a temporary file under ``tmp_dir`` and the form's other
    text fields; raises ``UploadTooLarge`` past ``limit`` bytes, ``BadUpload`` when
    the body is not multipart."""
    if not body_already_parsed(request):
        return await receive_upload(
            request.headers.get("content-type", ""),
            request.stream(),
            file_field=file_field,
            max_bytes=limit,
            tmp_dir=tmp_dir,
        )
    form = await request.form()
    upload = Upload(fields={k: v for k, v in form.items() if isinstance(v, str) and k != CSRF_FIELD})
    sent = form.get(file_field)
    if not isinstance(sent, UploadFile):
        return upload
    fd, upload.path = _temp_file(tmp_dir)
    upload.filename = sent.filename
    with os.fdopen(fd, "wb") as out:
        while chunk := await sent.read(CHUNK):
            upload.size += len(chunk)
            if upload.size > limit:
                out.close()
                upload.discard()
                raise UploadTooLarge("the upload is too large")
            out.write(chunk)
    return upload


def _temp_file(tmp_dir: Path) -> tuple[int, Path]:
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=tmp_dir, suffix=".upload")
    return fd, Path(name)
