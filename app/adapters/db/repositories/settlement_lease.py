"""The processing lease of a bank file: who works on it, and until when.

``process_file`` claims the file first (one conditional UPDATE: of two processors
exactly one gets it); every later write of the file's progress goes through the lease,
in the same transaction, and renews it. A processor that stalls past ``LEASE`` may be
taken over (``_resume`` of the watched-folder scan, a broker retry): its next write
matches no row and it stops with ``LeaseLost``, its batch rolled back, instead of
racing the new owner. Finishing or failing clears the lease.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.adapters.db.base import utcnow
from app.adapters.db.repositories.settlement import SqlBankFileRepository

# Renewed by every committed batch: long enough for one batch of 5,000 records (about a
# second, several under load) and the validation pass of a 100k-title file, short
# enough that a crashed processor's file is resumed within minutes.
LEASE = timedelta(minutes=2)


class LeaseLost(Exception):
    """Another processor took the file over: this one's lease had expired."""


def _owner() -> str:
    # Unique per call: two processings in one process are two owners.
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True, slots=True)
class FileLease:
    file_id: uuid.UUID
    owner: str

    @classmethod
    def new(cls, file_id: uuid.UUID) -> FileLease:
        return cls(file_id, _owner())

    async def claim(self, files: SqlBankFileRepository) -> bool:
        now = utcnow()
        return await files.claim(self.file_id, self.owner, now, now + LEASE)

    async def extend(self, files: SqlBankFileRepository, **values: Any) -> None:
        """Write ``values`` and renew the lease (the caller commits both together)."""
        await self._write(files, lease_until=utcnow() + LEASE, **values)

    async def release(self, files: SqlBankFileRepository, **values: Any) -> None:
        await self._write(files, lease_owner=None, lease_until=None, **values)

    async def _write(self, files: SqlBankFileRepository, **values: Any) -> None:
        if not await files.set_leased(self.file_id, self.owner, **values):
            raise LeaseLost(f"bank file {self.file_id}: lease {self.owner} was taken over")
