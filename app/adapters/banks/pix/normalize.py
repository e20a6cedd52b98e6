"""Text for BR Code fields: ASCII, uppercase, within the field's length.

BACEN's fields follow EMV's "ans" character set; many payer apps and banks
reject accents or lower case, so names are transliterated (São → SAO),
uppercased, stripped of characters outside the common set and cut to length.
"""

from __future__ import annotations

import re
import unicodedata

_ALLOWED = re.compile(r"[^A-Za-z0-9 .,\-/&'()*+@:$%]")
_SPACES = re.compile(r"\s+")


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return (
        "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        .encode("ascii", "ignore")
        .decode("ascii")
    )


def normalize_text(text: str, max_length: int, *, uppercase: bool = True) -> str:
    """ASCII (uppercase by default), single spaces, at most ``max_length`` characters."""
    folded = ascii_fold(text)
    folded = _ALLOWED.sub("", folded.upper() if uppercase else folded)
    return _SPACES.sub(" ", folded).strip()[:max_length].rstrip()


def normalize_free_text(text: str, max_length: int) -> str:
    """Additional information keeps its case, only folded to ASCII."""
    return _SPACES.sub(" ", ascii_fold(text)).strip()[:max_length].rstrip()
