"""Is this credit one already received? (the same boleto twice, a file imported twice,
a customer who paid the same thing again)."""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.settlement.matching_ports import PaymentLine, PriorCredit
from app.domain.settlement.matching_text import extract_references, tax_id_key


def duplicate_of(line: PaymentLine, priors: Iterable[PriorCredit]) -> PriorCredit | None:
    """The earlier credit this one repeats, if any. ``priors`` are credits of the same
    amount received within the tenant's window (``CandidateProvider.prior_credits``).

    Same nosso número, txid or end-to-end id: the same payment. Otherwise the same payer
    sending the same amount with the same words, or quoting the same numbers, within
    days is the same credit again far more often than a second identical debt — so the
    line goes to a person, who confirms either way.
    """
    my_refs = {t.key for t in extract_references(line.reference_text)}
    my_text = line.reference_text.strip().upper()
    my_payer = tax_id_key(line.payer_tax_id)
    for prior in priors:
        if line.line_id and prior.line_id == line.line_id:
            continue  # the line itself, already stored
        same_key = any(
            a and a == b
            for a, b in (
                (line.bank_reference, prior.bank_reference),
                (line.txid, prior.txid),
                (line.end_to_end_id, prior.end_to_end_id),
            )
        )
        if same_key:
            return prior
        if my_payer != tax_id_key(prior.payer_tax_id):
            continue
        if my_text == prior.reference_text.strip().upper():
            return prior
        if my_refs & {t.key for t in extract_references(prior.reference_text)}:
            return prior
    return None
