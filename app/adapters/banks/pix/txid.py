"""Transaction ids (txid) of PIX charges.

Static BR Code (field 62-05): up to 25 characters [a-zA-Z0-9], or ``***`` when
the receiver does not identify the payment.  Dynamic charges (cob / cobv in the
PIX API): 26 to 35 characters [a-zA-Z0-9]; the BR Code of a dynamic charge
carries ``***`` in 62-05 and the txid lives at the payload location.
"""

from __future__ import annotations

import re
import secrets
import string
from typing import Literal

from app.adapters.banks.pix.errors import PixError

NO_TXID = "***"
_ALPHABET = string.ascii_letters + string.digits
_STATIC = re.compile(r"[A-Za-z0-9]{1,25}")
_DYNAMIC = re.compile(r"[A-Za-z0-9]{26,35}")

TxidKind = Literal["static", "dynamic"]


def is_valid_txid(txid: str, kind: TxidKind) -> bool:
    if kind == "static":
        return txid == NO_TXID or _STATIC.fullmatch(txid) is not None
    return _DYNAMIC.fullmatch(txid) is not None


def check_txid(txid: str, kind: TxidKind) -> str:
    if not is_valid_txid(txid, kind):
        rule = "1–25 letters or digits, or ***" if kind == "static" else "26–35 letters or digits"
        raise PixError(f"txid {txid!r} is not valid for a {kind} charge: {rule}")
    return txid


def new_txid(kind: TxidKind = "dynamic", length: int | None = None) -> str:
    """A random txid (cryptographically random, ~5.95 bits per character)."""
    size = length if length is not None else (25 if kind == "static" else 32)
    txid = "".join(secrets.choice(_ALPHABET) for _ in range(size))
    return check_txid(txid, kind)
