"""Immutable, content-addressed storage of uploaded bank files.

Why files on disk and not a BYTEA column: a 100k-title CNAB 240 return is ~24 MB.
On disk it is streamed twice (validation, then application) in 1 MiB chunks and never
sits in memory; in a column every read would bring the whole value into the process
(asyncpg has no streaming reads of one value), and the database would carry the bulk
in every backup and WAL stream. The database keeps what it is good at: the row with
the hash, size, who and when, and the unique (tenant, sha256) that refuses a second
upload of the same file.

Layout: ``<var_dir>/files/<sha256[:2]>/<sha256>``, written once (temp file + rename,
so a reader never sees a partial file) and made read-only. The same bytes uploaded by
two tenants share one blob; the content is identical by definition, and nothing ever
deletes a blob while a row points at it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

CHUNK = 1 << 20


class BankFileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def under(cls, var_dir: Path) -> BankFileStore:
        return cls(var_dir / "files")

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256

    @staticmethod
    def digest(src: Path) -> tuple[str, int]:
        h = hashlib.sha256()
        size = 0
        with src.open("rb") as f:
            while chunk := f.read(CHUNK):
                h.update(chunk)
                size += len(chunk)
        return h.hexdigest(), size

    def put(self, src: Path) -> tuple[str, int]:
        """Store ``src`` (left in place) under its hash; returns (sha256, size)."""
        sha, size = self.digest(src)
        dest = self.path(sha)
        if dest.exists():
            return sha, size
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{sha}.{os.getpid()}.tmp")
        shutil.copyfile(src, tmp)
        tmp.chmod(0o444)
        os.replace(tmp, dest)
        return sha, size

    def put_bytes(self, data: bytes) -> tuple[str, int]:
        sha = hashlib.sha256(data).hexdigest()
        dest = self.path(sha)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(f".{sha}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmp.chmod(0o444)
            os.replace(tmp, dest)
        return sha, len(data)

    def chunks(self, sha256: str) -> Iterator[bytes]:
        with self.path(sha256).open("rb") as f:
            while chunk := f.read(CHUNK):
                yield chunk

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def head(self, sha256: str, n: int = 64 * 1024) -> bytes:
        with self.path(sha256).open("rb") as f:
            return f.read(n)
