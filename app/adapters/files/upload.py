"""Receive a multipart upload as a stream into a temporary file (never whole in memory),
enforcing a size limit as the bytes arrive."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart import MultipartParser
from python_multipart.multipart import parse_options_header

MAX_FIELD_BYTES = 4096


class UploadTooLarge(Exception):
    pass


class BadUpload(Exception):
    """Not multipart/form-data, or malformed (→ 415 or 422 by ``unsupported``)."""

    def __init__(self, message: str, *, unsupported: bool = False) -> None:
        super().__init__(message)
        self.unsupported = unsupported


@dataclass
class Upload:
    path: Path | None = None
    filename: str | None = None
    size: int = 0
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None


async def receive_upload(
    content_type: str, chunks: AsyncIterator[bytes], *, file_field: str, max_bytes: int, tmp_dir: Path
) -> Upload:
    """Stream the body: the part named ``file_field`` goes to a file under ``tmp_dir``,
    small text fields are kept in ``fields``. Raises ``UploadTooLarge`` past ``max_bytes``."""
    ctype, options = parse_options_header(content_type or "")
    if ctype != b"multipart/form-data":
        raise BadUpload("send the file as multipart/form-data in a field named 'file'", unsupported=True)
    boundary = options.get(b"boundary")
    if not boundary:
        raise BadUpload("multipart boundary missing in Content-Type")
    _ensure_dir(tmp_dir)
    upload = Upload()
    state: dict[str, object] = {"headers": {}, "name": None, "out": None, "buf": bytearray()}
    header_field = bytearray()
    header_value = bytearray()
    total = 0

    def on_part_begin() -> None:
        state["headers"], state["name"], state["out"] = {}, None, None
        state["buf"] = bytearray()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_field.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        headers = state["headers"]
        assert isinstance(headers, dict)
        headers[bytes(header_field).lower()] = bytes(header_value)
        header_field.clear()
        header_value.clear()

    def on_headers_finished() -> None:
        headers = state["headers"]
        assert isinstance(headers, dict)
        _, disp = parse_options_header(headers.get(b"content-disposition", b""))
        name = disp.get(b"name", b"").decode("utf-8", "replace")
        state["name"] = name
        if name == file_field and upload.path is None:
            fd, raw_path = tempfile.mkstemp(prefix="import-", suffix=".upload", dir=tmp_dir)
            upload.path = Path(raw_path)
            upload.filename = disp.get(b"filename", b"upload").decode("utf-8", "replace")[:255] or "upload"
            state["out"] = os.fdopen(fd, "wb")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        out = state["out"]
        if out is not None:
            out.write(data[start:end])  # type: ignore[attr-defined]
            upload.size += end - start
            return
        buf = state["buf"]
        assert isinstance(buf, bytearray)
        if len(buf) + (end - start) > MAX_FIELD_BYTES:
            raise BadUpload(f"form field {state['name']!r} is too long")
        buf.extend(data[start:end])

    def on_part_end() -> None:
        out = state["out"]
        if out is not None:
            out.close()  # type: ignore[attr-defined]
            state["out"] = None
        elif state["name"]:
            buf = state["buf"]
            assert isinstance(buf, bytearray)
            upload.fields[str(state["name"])] = buf.decode("utf-8", "replace")

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
        },
    )
    try:
        async for chunk in chunks:
            total += len(chunk)
            if total > max_bytes:
                raise UploadTooLarge(f"the upload is larger than {max_bytes // (1024 * 1024)} MiB")
            if chunk:
                parser.write(chunk)
        parser.finalize()
    except (UploadTooLarge, BadUpload):
        _close(state)
        upload.discard()
        raise
    except Exception as exc:  # the parser's own errors for a malformed body
        _close(state)
        upload.discard()
        raise BadUpload("the multipart body is malformed") from exc
    _close(state)
    return upload


def _ensure_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)


def _close(state: dict[str, object]) -> None:
    out = state.get("out")
    if out is not None:
        out.close()  # type: ignore[attr-defined]
        state["out"] = None
