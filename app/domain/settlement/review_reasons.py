"""Why the matcher leaves a credit for a person, as stable English texts.

``decide`` returns these texts; the statement runner stores them joined by
``REASON_SEPARATOR`` on the record and the API returns them as stored. The pages read
the figures back with ``parse_reason`` to show a reason in the reader's language with
local numbers, so each template's shape is a stored format: rows written by earlier
versions must keep parsing, or they fall back to the text as stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.shared.money import Money

REASON_SEPARATOR = "; "

# Fixed texts: translated as they are.
NO_CANDIDATE = "no candidate installment found"
DUPLICATE_SUSPECT = "this credit looks like one already received"
WEAK_IDENTITY = "nothing identifies the payer or the installment well enough"
EQUAL_COMBINATION = "another combination of equal installments adds up to the same amount"
FIXED = (NO_CANDIDATE, DUPLICATE_SUSPECT, WEAK_IDENTITY, EQUAL_COMBINATION)

# Texts with figures. Scores are 0–1 with three places ("0.873"), amounts as ``Money``
# prints them ("12.50 BRL"), kinds are ``ResidualKind`` values.
BELOW_THRESHOLD = "confidence {confidence} is below the threshold {threshold}"
AMOUNT_MISFIT = "amount does not fit ({kind} of {amount})"
AMBIGUOUS = "ambiguous: another proposal scores {runner} against {best}"
WITH_FIGURES = (BELOW_THRESHOLD, AMOUNT_MISFIT, AMBIGUOUS)

_SCORE = r"-?\d+(?:\.\d+)?"
_FIGURE = {
    "confidence": _SCORE,
    "threshold": _SCORE,
    "runner": _SCORE,
    "best": _SCORE,
    "kind": r"[a-z_]+",
    "amount": r"-?\d+(?:\.\d+)? [A-Z]{3}",
}


@dataclass(frozen=True, slots=True)
class ParsedReason:
    template: str  # one of ``WITH_FIGURES``, or a fixed text an older wording stands for
    figures: Mapping[str, str]  # placeholder → the figure as the text holds it


def below_threshold(confidence: float, threshold: float) -> str:
    return BELOW_THRESHOLD.format(confidence=_score(confidence), threshold=_score(threshold))


def amount_misfit(kind: str, amount: Money) -> str:
    return AMOUNT_MISFIT.format(kind=kind, amount=amount)


def ambiguous(runner: float, best: float) -> str:
    return AMBIGUOUS.format(runner=_score(runner), best=_score(best))


def parse_reason(text: str) -> ParsedReason | None:
    """The template and figures of a text made above (or of an earlier wording that
    means the same); None for any other text."""
    for template, pattern in _PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            return ParsedReason(template, found.groupdict())
    if _OLD_WEAK_IDENTITY.fullmatch(text):
        return ParsedReason(WEAK_IDENTITY, {})
    return None


def _score(value: float) -> str:
    return f"{value:.3f}"


def _pattern(template: str) -> re.Pattern[str]:
    # Literal parts escaped, each {name} a named group that accepts only its figure.
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>{_FIGURE[part]})" for i, part in enumerate(parts)
    )
    return re.compile(regex)


_PATTERNS = tuple((t, _pattern(t)) for t in WITH_FIGURES)
# Until 2026-11 the identity score followed the text, e.g. "... well enough (0.00)".
_OLD_WEAK_IDENTITY = re.compile(re.escape(WEAK_IDENTITY) + r" \(\d+\.\d+\)")
