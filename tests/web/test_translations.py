"""Every text the portal shows has its pt-BR and es-MX translation.

The catalogue is keyed by the English text (``app/web/i18n.py``). These tests read the
templates themselves: a literal ``_('…')`` missing from the catalogue, or visible
English left outside ``_()`` on the receivables pages, fails here instead of showing
up in English to a Brazilian or Mexican user.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.domain.reporting.settings import SCHEDULED_REPORTS
from app.domain.settlement.matching_scoring import SignalKind
from app.domain.settlement.service import SUGGESTED_FIX, QueueReason
from app.domain.shared.imports import ImportKind, ImportStatus
from app.web.i18n import CATALOGUE, GENERAL, translate
from app.web.i18n_receivables import RECEIVABLES
from app.web.imports_pages import KINDS
from app.web.match_evidence import AGAINST as EVIDENCE_AGAINST
from app.web.match_evidence import ALONE as EVIDENCE_ALONE
from app.web.match_evidence import LABELS as EVIDENCE_LABELS
from app.web.match_evidence import SENTENCES as EVIDENCE_SENTENCES
from app.web.reports_pages import METHODS

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "web" / "templates"
_LITERAL = re.compile(r"""\b_\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")""")

# The pages added late (bank files, correction queue, cash application, aging, sales
# and finance reports, mailbox, imports, report settings): no visible English outside _().
LATE_PAGES = (
    "bank_files",
    "imports",
    "reports",
    "mailbox",
    "admin/report_settings.html",
    "base.html",
    "home.html",
)
# Words that are the same in every language: formats, codes, product and bank names.
SAME_EVERYWHERE = {
    "Cobalto",
    "CSV",
    "XLSX",
    "sha256",
    "CNAB",
    "PIX",
    "HH:MM",
    "sha",
    "Enter",
    "Ctrl",
    "Esc",
}


def _literals() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in [*_late_templates(), *sorted((TEMPLATES / "admin").glob("*.html"))]:
        for match in _LITERAL.finditer(path.read_text()):
            text = match.group(1) if match.group(1) is not None else match.group(2)
            found.setdefault(text.replace("\\'", "'"), str(path.relative_to(TEMPLATES)))
    return found


def test_every_literal_in_the_templates_is_in_the_catalogue() -> None:
    missing = {text: where for text, where in _literals().items() if text not in CATALOGUE}
    assert missing == {}


@pytest.mark.parametrize(
    "values",
    [
        [s.value for s in ImportStatus],
        KINDS,
        [k.value for k in ImportKind],
        list(METHODS),
        [r.value for r in QueueReason],
        list(SUGGESTED_FIX.values()),
        [k.value for k in SignalKind],
        [*EVIDENCE_SENTENCES, *EVIDENCE_LABELS.values(), EVIDENCE_ALONE, EVIDENCE_AGAINST],
        list(SCHEDULED_REPORTS),
        # bank files and their records, e-mails in the mailbox
        ["received", "processing", "processed", "invalid", "failed"],
        ["queued", "review", "skipped", "applied", "dismissed", "rejected", "duplicate", "settled"],
        ["sent", "delivered", "bounced", "report.overdue_by_rep", "report.cash_receipts"],
        ["maintained", "ledger", "current"],
    ],
    ids=[
        "import-status",
        "import-kinds",
        "import-kind-enum",
        "payment-methods",
        "queue-reasons",
        "suggested-fixes",
        "match-signals",
        "match-evidence",
        "scheduled-reports",
        "bank-file-status",
        "record-status",
        "mail",
        "aging-basis",
    ],
)
def test_values_shown_through_a_variable_are_translated(values: list[str]) -> None:
    missing = [v for v in values if v not in CATALOGUE]
    assert missing == []


def test_no_text_is_translated_twice() -> None:
    from app.web.i18n_reports import REPORTS

    assert set(GENERAL) & set(RECEIVABLES) == set()
    assert set(GENERAL) & set(REPORTS) == set() and set(RECEIVABLES) & set(REPORTS) == set()


def test_every_entry_has_both_translations_and_keeps_its_placeholders() -> None:
    for english, (pt, es) in CATALOGUE.items():
        assert pt.strip() and es.strip(), english
        places = sorted(re.findall(r"\{(\w+)\}", english))
        assert sorted(re.findall(r"\{(\w+)\}", pt)) == places, english
        assert sorted(re.findall(r"\{(\w+)\}", es)) == places, english


def _visible_english(source: str) -> list[str]:
    text = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    text = re.sub(r"<script\b.*?</script>", " ", text, flags=re.S)
    text = re.sub(r"<style\b.*?</style>", " ", text, flags=re.S)
    leftovers: list[str] = []
    # Attributes people read: title, aria-label, placeholder, alt.
    for value in re.findall(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"', text):
        bare = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", value)
        leftovers += [w for w in re.findall(r"[A-Za-z]{2,}", bare) if w not in SAME_EVERYWHERE]
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    text = re.sub(r"&\w+;", " ", text)
    leftovers += [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in SAME_EVERYWHERE]
    return leftovers


def _late_templates() -> list[Path]:
    out: list[Path] = []
    for name in LATE_PAGES:
        path = TEMPLATES / name
        out += sorted(path.rglob("*.html")) if path.is_dir() else [path]
    return out


@pytest.mark.parametrize("path", _late_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_english_left_outside_the_catalogue_on_the_late_pages(path: Path) -> None:
    assert _visible_english(path.read_text()) == []


def test_the_scanner_finds_untranslated_text() -> None:
    # The test above must be able to fail: the old bank-file page text is caught.
    assert _visible_english('<p class="muted">No bank files yet.</p>') == ["No", "bank", "files", "yet"]
    assert _visible_english('<a title="Open amount">{{ x }}</a>') == ["Open", "amount"]
    assert _visible_english("<p>{{ _('No bank files yet.') }} CSV</p>") == []


def test_placeholders_are_filled_after_translating() -> None:
    english = "Each rep’s customers with installments past due on {day}. Every morning each rep gets their own list by e-mail."
    assert translate("pt-BR", english, day="3 de mar.").count("3 de mar.") == 1
    assert translate("es-MX", english, day="3 mar").count("3 mar") == 1
    assert translate("en-US", english, day="Mar 3") == english.replace("{day}", "Mar 3")
    assert translate("pt-BR", "Bank files") == "Arquivos bancários"


def test_no_two_catalogues_translate_one_text_differently() -> None:
    from app.web.i18n import GENERAL
    from app.web.i18n_cash import CASH
    from app.web.i18n_home import HOME
    from app.web.i18n_payments import PAYMENTS
    from app.web.i18n_receivables import RECEIVABLES
    from app.web.i18n_reports import REPORTS

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for catalogue in (GENERAL, RECEIVABLES, REPORTS, HOME, PAYMENTS, CASH):
        for english, translated in catalogue.items():
            if english in seen and seen[english] != translated:
                clashes.append((english, seen[english], translated))
            seen.setdefault(english, translated)
    assert clashes == []


def test_why_a_credit_waits_for_review_reads_in_the_users_language() -> None:
    """The fixed review reasons of the matcher are shown on the bank-file and
    cash-application pages: each has a pt-BR and an es-MX text."""
    from app.domain.settlement.matching_scoring import Review, decide
    from app.web.i18n import translate

    none_found = decide([], threshold=0.9)
    assert isinstance(none_found, Review)
    for reason in (
        *none_found.reasons,
        "nothing identifies the payer or the installment well enough",
        "this credit looks like one already received",
        "another combination of equal installments adds up to the same amount",
    ):
        assert translate("pt-BR", reason) != reason
        assert translate("es-MX", reason) != reason
