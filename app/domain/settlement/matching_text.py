"""Text helpers for cash application: reference keys, typo distance, name keys.

Everything the matching engine compares is first reduced to a *key* by one function
here, and the database layer stores the same keys in indexed columns, so an exact
lookup is an equality and a fuzzy lookup is a join on deletion keys (below).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MIN_FUZZY_LENGTH = 5  # shorter numbers are too dense for a typo to point anywhere

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)*")
_DIGITS = re.compile(r"\d+")
# "123456 PARC 2/3", "123456 PARCELA 2", "123456 P2": the installment named in words.
_INDEX_WORD = re.compile(
    r"(?P<base>\d{5,})\s*(?:PARCELA|PARC|PARC\.|P)\s*(?P<index>\d{1,2})(?:\s*/\s*\d{1,2})?\b"
)
_INDEX_SUFFIX = re.compile(r"^(?P<base>[A-Za-z0-9]*\d[A-Za-z0-9]*)[-/](?P<index>\d{1,2})$")
_COMPANY_WORDS = frozenset(
    {
        "LTDA",
        "ME",
        "EPP",
        "EIRELI",
        "SA",
        "S/A",
        "CIA",
        "COMPANHIA",
        "INC",
        "LLC",
        "CV",
        "DE",
        "DA",
        "DO",
        "E",
    }
)


def reference_key(text: str) -> str:
    """Canonical form of an invoice, document or bank number: upper-case letters and
    digits only, leading zeros dropped ("NF-001234" → "NF1234", "0001234" → "1234")."""
    alnum = "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())
    if alnum.isdigit():
        return alnum.lstrip("0") or "0"
    # Keep a letter prefix but drop the zeros that pad the number after it.
    m = re.fullmatch(r"([A-Z]+)0*(\d+)", alnum)
    return f"{m.group(1)}{m.group(2)}" if m else alnum


@dataclass(frozen=True, slots=True)
class ReferenceToken:
    """A number found in free text, maybe with an installment index ("123456-2")."""

    key: str
    index: int | None = None
    joined: bool = False  # made by dropping separators ("123456-2" → "1234562")


def extract_references(text: str, min_digits: int = 5) -> list[ReferenceToken]:
    """Candidate invoice/document numbers in a statement's free text.

    Takes tokens with a run of at least ``min_digits`` digits: the whole token's key, and
    the digit run alone ("NF123456" → NF123456 and 123456). ``<number>-<k>`` and
    ``<number>/<k>`` also yield the number with installment index ``k``. Dates and
    amounts ("15/03/2025", "1.234,56") have no such run and are skipped.
    """
    found: dict[tuple[str, int | None], bool] = {}

    def add(piece: str, index: int | None) -> None:
        if not _has_run(piece, min_digits):
            return
        found.setdefault((reference_key(piece), index), False)
        for run in _DIGITS.findall(piece):
            if len(run) >= min_digits:
                found.setdefault((reference_key(run), index), False)

    for m in _INDEX_WORD.finditer((text or "").upper()):
        add(m.group("base"), int(m.group("index")))
    for raw in _TOKEN.findall(text or ""):
        suffix = _INDEX_SUFFIX.match(raw)
        if suffix:
            add(suffix.group("base"), int(suffix.group("index")))
        else:
            for piece in re.split(r"[-/.]", raw):
                add(piece, None)
        if raw != re.sub(r"[-/.]", "", raw) and _has_run(raw, min_digits):
            # The token as one key too: a document number stored as "123456-2" has the
            # key "1234562".
            found.setdefault((reference_key(raw), None), True)
    # A number quoted with its installment index means that installment only.
    indexed = {k for k, i in found if i is not None}
    return [ReferenceToken(k, i, j) for (k, i), j in found.items() if i is not None or k not in indexed]


def _has_run(text: str, min_digits: int) -> bool:
    return any(len(run) >= min_digits for run in _DIGITS.findall(text))


def typo_distance(a: str, b: str, limit: int = 1) -> int:
    """Damerau–Levenshtein distance (optimal string alignment: substitutions, insertions,
    deletions and swaps of adjacent characters), cut off at ``limit + 1``.

    The cut-off keeps it cheap: only "is it within one typo" matters to the engine.
    """
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    if limit == 1:
        return 1 if _one_edit(a, b) else 2
    prev2: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        row_min = cur[0]
        for j in range(1, lb + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            row_min = min(row_min, v)
        if row_min > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[lb], limit + 1)


def _one_edit(a: str, b: str) -> bool:
    """Linear-time check for exactly one substitution, insertion, deletion or adjacent
    swap (``a != b``), the only distance the engine asks about."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def deletion_keys(key: str) -> frozenset[str]:
    """The key and every string made by deleting one character from it.

    Two keys within one typo (substitution, insertion, deletion or adjacent swap) always
    share a deletion key, so the database finds fuzzy candidates with an indexed join on
    a table of these keys (the "symmetric delete" method); the engine then confirms each
    with ``typo_distance``. Only keys of ``MIN_FUZZY_LENGTH`` or more get variants.
    """
    if len(key) < MIN_FUZZY_LENGTH:
        return frozenset({key})
    return frozenset({key, *(key[:i] + key[i + 1 :] for i in range(len(key)))})


def digits_only(text: str | None) -> str:
    return "".join(ch for ch in (text or "") if ch.isdigit())


def tax_id_key(text: str | None) -> str:
    """CPF/CNPJ (also the 2026 alphanumeric CNPJ) without punctuation, upper-case."""
    return "".join(ch for ch in (text or "").upper() if ch.isascii() and ch.isalnum())


def tax_root(tax_id: str) -> str | None:
    """The CNPJ root (first 8 characters) shared by a company's branches; None for a
    CPF or anything that is not a CNPJ."""
    key = tax_id_key(tax_id)
    return key[:8] if len(key) == 14 else None


def account_key(text: str | None) -> str:
    """Bank, branch and account as one string of letters and digits ("341/1234/56789-0")."""
    return "".join(ch for ch in (text or "").upper() if ch.isascii() and ch.isalnum())


def name_key(name: str | None) -> str:
    """A company or person name without accents, punctuation and legal-form words, so
    "Padaria São João Ltda." and "PADARIA SAO JOAO LTDA ME" give the same key."""
    if not name:
        return ""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    words = re.findall(r"[A-Z0-9]+", plain.replace("S/A", "SA"))
    return " ".join(w for w in words if w not in _COMPANY_WORDS)
