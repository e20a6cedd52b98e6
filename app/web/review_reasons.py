"""Why a credit waits for review, in the reader's language with the locale's figures.

The record keeps the matcher's English text (``app.domain.settlement.review_reasons``),
which the API returns as stored. Here each reason is parsed back: scores become
percentages, amounts money. A text this version does not recognise (an older wording,
another source) is translated when the catalogue knows it, else shown as stored.
"""

from __future__ import annotations

from decimal import Decimal

from app.domain.settlement.matching_scoring import ResidualKind
from app.domain.settlement.review_reasons import (
    AMOUNT_MISFIT,
    REASON_SEPARATOR,
    ParsedReason,
    parse_reason,
)
from app.web.format import money_text, percent
from app.web.i18n import translate

# A sentence per kind: "short_payment" is a code, and "short by" reads differently from
# "over by" in every language.
_MISFIT = {
    ResidualKind.SHORT_PAYMENT.value: "amount does not fit: {amount} short",
    ResidualKind.OVERPAYMENT.value: "amount does not fit: {amount} over",
}
_MISFIT_OTHER = "amount does not fit: a difference of {amount}"


def review_reasons(stored: str | None, locale: str) -> str:
    """All the reasons a record holds (joined as the statement runner stores them)."""
    if not stored:
        return ""
    return REASON_SEPARATOR.join(review_reason(part, locale) for part in stored.split(REASON_SEPARATOR))


def review_reason(text: str, locale: str) -> str:
    parsed = parse_reason(text)
    if parsed is None:
        return translate(locale, text)
    return _with_figures(parsed, locale)


def _with_figures(reason: ParsedReason, locale: str) -> str:
    figures = reason.figures
    if reason.template == AMOUNT_MISFIT:
        value, _, currency = figures["amount"].partition(" ")
        sentence = _MISFIT.get(figures["kind"], _MISFIT_OTHER)
        return translate(locale, sentence, amount=money_text(value, currency, locale))
    # Any other template carries 0–1 scores only, or no figure (the parser lets
    # nothing else through).
    shares = {name: percent(Decimal(value), locale) for name, value in figures.items()}
    return translate(locale, reason.template, **shares)
