"""Why a record waits in the correction queue, in the reader's language.

A record keeps its ``error_code`` and the English ``error`` text the file processing
wrote (``decide_return_record``, the batch writer, the statement runner); the API
returns both as stored. Here the text is read back by its code: each known wording
gives up its figures (nosso número, occurrence code, amounts, currencies), which fill
the sentence of the reader's locale, amounts in the locale's money format. A wording
this version does not know still gets its code's sentence, without figures; a code
without a sentence shows the stored text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.web.format import money_text, number
from app.web.i18n import translate

Figures = Mapping[str, str]


@dataclass(frozen=True, slots=True)
class _Wording:
    stored: re.Pattern[str]  # the English text as the processing writes it
    sentence: str  # catalogue key; its {places} are the pattern's groups, formatted


_AMOUNT = r"-?\d+(?:\.\d+)?"

# error_code → the wordings it is stored with, most specific first.
_WORDINGS: dict[str, tuple[_Wording, ...]] = {
    "unknown_nosso_numero": (
        _Wording(
            re.compile(r"no installment has nosso número \(blank\)"),
            "The record has no nosso número.",
        ),
        _Wording(
            re.compile(r"no installment has nosso número (?P<nosso_numero>.+)"),
            "No installment has nosso número {nosso_numero}.",
        ),
        # Written by the batch when several installments carry the record's number.
        _Wording(
            re.compile(r"(?P<count>\d+) installments share nosso número (?P<nosso_numero>.+)"),
            "{count} installments share nosso número {nosso_numero}.",
        ),
    ),
    "amount_mismatch": (
        _Wording(
            re.compile(
                rf"the bank's title is (?P<title>{_AMOUNT}), the installment (?P<installment>{_AMOUNT})"
            ),
            "The bank's title is {title}; the installment is {installment}.",
        ),
        _Wording(
            re.compile(r"a settlement without an amount paid"),
            "The bank settled the title without an amount paid.",
        ),
    ),
    "currency_mismatch": (
        _Wording(
            re.compile(r"the installment is in (?P<installment>[A-Z]{3}), the bank paid (?P<paid>[A-Z]{3})"),
            "The installment is in {installment}; the bank paid in {paid}.",
        ),
    ),
    "unknown_occurrence": (
        _Wording(
            re.compile(r"unknown occurrence code '(?P<code>[^']*)'.*"),
            "The bank sent occurrence code {code}, which is not mapped.",
        ),
    ),
    "unknown_account": (
        _Wording(
            re.compile(r"the (?:file|statement)'s bank account is not registered"),
            "The bank account named in the file is not registered.",
        ),
    ),
    "unknown_txid": (
        _Wording(
            re.compile(r"no installment has txid (?P<txid>[^:]+)(?::.*)?"),
            "No installment has PIX txid {txid}.",
        ),
    ),
    "key_conflict": (
        # The key is the record's internal identity: the sentence does not repeat it.
        _Wording(
            re.compile(r"external_id .+ was already recorded with another amount or date"),
            "A payment with this record's key was already recorded with another amount or date.",
        ),
    ),
}

# A known code whose stored text is in none of its wordings (an older or newer one).
_BY_CODE = {
    "unknown_nosso_numero": "No installment has this record's nosso número.",
    "amount_mismatch": "The bank's amount does not match the installment's.",
    "currency_mismatch": "The bank paid in another currency than the installment's.",
    "unknown_occurrence": "The bank sent an occurrence code that is not mapped.",
    "unknown_account": "The bank account named in the file is not registered.",
    "unknown_txid": "No installment has this receipt's PIX txid.",
    "key_conflict": "A payment with this record's key was already recorded with another amount or date.",
}

_MONEY_FIGURES = frozenset({"title", "installment"})


def queue_error(code: str | None, stored: str | None, locale: str, currency: str = "BRL") -> str:
    """The record's error as the reader reads it; ``currency`` is the record's, for
    the amounts its text names."""
    text = (stored or "").strip()
    for wording in _WORDINGS.get(code or "", ()):
        found = wording.stored.fullmatch(text)
        if found:
            return translate(locale, wording.sentence, **_figures(found.groupdict(), locale, currency))
    if code in _BY_CODE:
        return translate(locale, _BY_CODE[code])
    return translate(locale, text) if text else ""


def _figures(raw: Figures, locale: str, currency: str) -> dict[str, str]:
    return {name: _figure(name, value, locale, currency) for name, value in raw.items()}


def _figure(name: str, value: str, locale: str, currency: str) -> str:
    if name in _MONEY_FIGURES:
        return money_text(value, currency, locale)
    if name == "count":
        return number(int(value), locale)
    return value.strip()


def sentences() -> list[str]:
    """Every sentence this module may show (the catalogue test checks each)."""
    return sorted({w.sentence for ws in _WORDINGS.values() for w in ws} | set(_BY_CODE.values()))
