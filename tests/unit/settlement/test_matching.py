"""The matching engine on small hand-made books: one scenario per rule."""

from datetime import date
from decimal import Decimal

from app.domain.receivables.kinds import Component
from app.domain.receivables.late_charges import EarlyPaymentDiscount, LateChargePolicy
from app.domain.settlement.matching import match_line
from app.domain.settlement.matching_ports import PaymentLine, ShortPaymentHandling
from app.domain.settlement.matching_scoring import (
    AutoApply,
    ResidualHandling,
    ResidualKind,
    Review,
    SignalKind,
)
from app.domain.settlement.statements import Direction, StatementLine
from tests.unit.settlement.matching_helpers import (
    ACME_BRANCH_TAX,
    ACME_TAX,
    BETA_TAX,
    Book,
    brl,
    settings,
)

DUE = date(2025, 3, 10)


def kinds(p) -> set[SignalKind]:  # type: ignore[no-untyped-def]
    return {s.kind for s in p.signals}


def acme_book() -> tuple[Book, object]:
    book = Book()
    acme = book.customer(ACME_TAX, "Acme Comércio Ltda", "341/1234/56789-0")
    return book, acme


def test_nosso_numero_and_exact_amount_apply_automatically() -> None:
    book, acme = acme_book()
    inst = book.installment(acme, "123456", 1, 1, DUE, "1500.00", bank_reference="00012345678")  # type: ignore[arg-type]
    line = PaymentLine(brl("1500.00"), date(2025, 3, 8), bank_reference="00012345678", payer_tax_id=ACME_TAX)
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, AutoApply)
    best = result.decision.proposal
    assert best.installment_ids == (inst.installment_id,)
    assert {SignalKind.BANK_REFERENCE, SignalKind.AMOUNT_EXACT, SignalKind.PAYER_TAX_ID} <= kinds(best)
    assert best.residual.kind is ResidualKind.EXACT
    assert best.plan.allocated == brl("1500.00") and best.plan.unapplied.is_zero()
    assert 0.0 <= best.confidence <= 1.0
    assert "bank_reference" in best.explain()


def test_reference_to_a_settled_installment_goes_to_review_with_a_note() -> None:
    book, acme = acme_book()
    book.installment(acme, "123456", 1, 1, DUE, "1500.00", open_amount="0", bank_reference="00012345678")  # type: ignore[arg-type]
    line = PaymentLine(brl("1500.00"), DUE, bank_reference="00012345678")
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, Review)
    assert any("already settled" in n for n in result.notes)


def test_late_payment_with_fine_and_interest() -> None:
    book, acme = acme_book()
    inst = book.installment(acme, "123456", 1, 1, date(2025, 1, 10), "1000.00")  # type: ignore[arg-type]
    # 35 days late: fine 2 % = 20.00; interest 1000 × 1 % / 30 × 35 = 11.67.
    line = PaymentLine(brl("1031.67"), date(2025, 2, 14), payer_tax_id=ACME_TAX)
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, AutoApply)
    best = result.decision.proposal
    assert SignalKind.AMOUNT_WITH_LATE_CHARGES in kinds(best)
    assert [(c.installment_id, c.amount) for c in best.charges_to_assess] == [
        (inst.installment_id, brl("31.67"))
    ]
    # charges first (the default), then principal
    assert [(ln.component, ln.amount) for ln in best.plan.lines] == [
        (Component.LATE_CHARGES, brl("31.67")),
        (Component.PRINCIPAL, brl("1000.00")),
    ]


def test_early_payment_discount() -> None:
    book, acme = acme_book()
    inst = book.installment(acme, "123456", 1, 1, DUE, "200.00")  # type: ignore[arg-type]
    policy = LateChargePolicy(discount=EarlyPaymentDiscount(days_before_due=5, percent=Decimal("5")))
    line = PaymentLine(brl("190.00"), date(2025, 3, 1), payer_tax_id=ACME_TAX)
    result = match_line(line, book.provider(), settings(late_charges=policy))
    assert isinstance(result.decision, AutoApply)
    assert [(d.installment_id, d.amount) for d in result.decision.proposal.discounts_to_grant] == [
        (inst.installment_id, brl("10.00"))
    ]


def test_combined_payment_found_by_subset_sum() -> None:
    book, acme = acme_book()
    a = book.installment(acme, "200001", 1, 1, date(2025, 3, 1), "120.00")  # type: ignore[arg-type]
    book.installment(acme, "200002", 1, 1, date(2025, 3, 5), "75.50")  # type: ignore[arg-type]
    c = book.installment(acme, "200003", 1, 1, date(2025, 3, 9), "310.25")  # type: ignore[arg-type]
    line = PaymentLine(brl("430.25"), date(2025, 3, 9), reference_text="TED RECEBIDA", payer_tax_id=ACME_TAX)
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, AutoApply)
    best = result.decision.proposal
    assert set(best.installment_ids) == {a.installment_id, c.installment_id}
    assert SignalKind.SUBSET_SUM in kinds(best)


def test_combination_without_a_known_payer_is_not_searched() -> None:
    book, acme = acme_book()
    book.installment(acme, "200001", 1, 1, date(2025, 3, 1), "120.00")  # type: ignore[arg-type]
    book.installment(acme, "200003", 1, 1, date(2025, 3, 9), "310.25")  # type: ignore[arg-type]
    line = PaymentLine(brl("430.25"), date(2025, 3, 9), reference_text="DOC 200001")
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, Review)
    assert not any(p.has(SignalKind.SUBSET_SUM) for p in result.proposals)


def test_equal_installments_of_different_invoices_are_ambiguous() -> None:
    book, acme = acme_book()
    book.installment(acme, "300001", 1, 1, date(2025, 2, 1), "500.00")  # type: ignore[arg-type]
    book.installment(acme, "300002", 1, 1, date(2025, 2, 2), "500.00")  # type: ignore[arg-type]
    line = PaymentLine(brl("500.00"), date(2025, 3, 20), payer_tax_id=ACME_TAX)
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, Review)
    assert any("ambiguous" in r for r in result.decision.reasons)


def test_due_date_proximity_separates_equal_installments() -> None:
    book, acme = acme_book()
    book.installment(acme, "300001", 1, 2, date(2025, 1, 10), "500.00", open_amount="0")  # type: ignore[arg-type]
    second = book.installment(acme, "300001", 2, 2, date(2025, 2, 10), "500.00")  # type: ignore[arg-type]
    book.installment(acme, "300009", 1, 1, date(2025, 4, 20), "500.00")  # type: ignore[arg-type]
    line = PaymentLine(brl("500.00"), date(2025, 2, 8), payer_tax_id=ACME_TAX)
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, AutoApply)
    assert result.decision.proposal.installment_ids == (second.installment_id,)
    assert SignalKind.DATE_PROXIMITY in kinds(result.decision.proposal)


def test_typo_in_invoice_number_with_known_payer() -> None:
    book, acme = acme_book()
    inst = book.installment(acme, "123456", 1, 1, DUE, "880.00")  # type: ignore[arg-type]
    line = PaymentLine(brl("880.00"), DUE, reference_text="PGTO NF 124356", payer_tax_id=ACME_TAX)
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, AutoApply)
    assert result.decision.proposal.installment_ids == (inst.installment_id,)
    assert SignalKind.DOCUMENT_NUMBER_TYPO in kinds(result.decision.proposal)


def test_short_payment_named_by_nosso_numero_leaves_the_rest_open() -> None:
    book, acme = acme_book()
    inst = book.installment(acme, "123456", 1, 1, DUE, "1000.00", bank_reference="777")  # type: ignore[arg-type]
    line = PaymentLine(brl("600.00"), DUE, bank_reference="777")
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, AutoApply)
    best = result.decision.proposal
    assert best.installment_ids == (inst.installment_id,)
    assert (best.residual.kind, best.residual.amount, best.residual.handling) == (
        ResidualKind.SHORT_PAYMENT,
        brl("400.00"),
        ResidualHandling.LEAVE_OPEN,
    )
    deduction = match_line(
        line, book.provider(), settings(short_payments=ShortPaymentHandling.DEDUCTION_REVIEW)
    )
    assert deduction.proposals[0].residual.handling is ResidualHandling.DEDUCTION_REVIEW


def test_short_payment_named_only_in_free_text_by_a_stranger_needs_review() -> None:
    book, acme = acme_book()
    book.installment(acme, "123456", 1, 1, DUE, "1000.00")  # type: ignore[arg-type]
    line = PaymentLine(brl("600.00"), DUE, reference_text="NF 123456-1", payer_tax_id=BETA_TAX)
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, Review)


def test_overpayment_is_unapplied_credit_and_reviewed() -> None:
    book, acme = acme_book()
    book.installment(acme, "123456", 1, 1, DUE, "1000.00", bank_reference="777")  # type: ignore[arg-type]
    line = PaymentLine(brl("1250.00"), DUE, bank_reference="777")
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, Review)
    best = result.proposals[0]
    assert (best.residual.kind, best.residual.handling) == (
        ResidualKind.OVERPAYMENT,
        ResidualHandling.UNAPPLIED_CREDIT,
    )
    assert best.plan.unapplied == brl("250.00")


def test_small_difference_within_tolerance_is_applied_with_an_adjustment() -> None:
    book, acme = acme_book()
    book.installment(acme, "123456", 1, 1, DUE, "1000.00", bank_reference="777")  # type: ignore[arg-type]
    result = match_line(PaymentLine(brl("999.95"), DUE, bank_reference="777"), book.provider(), settings())
    assert isinstance(result.decision, AutoApply)
    assert result.decision.proposal.residual.handling is ResidualHandling.TOLERANCE_ADJUSTMENT


def test_the_same_credit_twice_is_held_for_review() -> None:
    book, acme = acme_book()
    book.installment(acme, "123456", 1, 2, DUE, "400.00")  # type: ignore[arg-type]
    book.installment(acme, "123456", 2, 2, date(2025, 4, 10), "400.00")  # type: ignore[arg-type]
    provider = book.provider()
    line = PaymentLine(
        brl("400.00"), DUE, reference_text="PGTO NF 123456", payer_tax_id=ACME_TAX, line_id="a"
    )
    first = match_line(line, provider, settings())
    assert isinstance(first.decision, AutoApply)
    provider.apply(first.decision.proposal)
    provider.record_credit(line)
    again = PaymentLine(
        brl("400.00"), date(2025, 3, 11), reference_text="PGTO NF 123456", payer_tax_id=ACME_TAX, line_id="b"
    )
    second = match_line(again, provider, settings())
    assert isinstance(second.decision, Review)
    assert second.proposals[0].has(SignalKind.DUPLICATE_SUSPECT)


def test_unrelated_credit_finds_nothing() -> None:
    book, acme = acme_book()
    book.installment(acme, "123456", 1, 1, DUE, "1000.00")  # type: ignore[arg-type]
    line = PaymentLine(brl("1000.00"), DUE, reference_text="RESGATE APLICACAO", payer_tax_id="98765432000198")
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, Review)
    assert result.proposals == ()


def test_branch_of_the_same_company_pays() -> None:
    book, acme = acme_book()
    inst = book.installment(acme, "123456", 1, 1, DUE, "1000.00")  # type: ignore[arg-type]
    line = PaymentLine(brl("1000.00"), DUE, payer_tax_id=ACME_BRANCH_TAX)
    result = match_line(line, book.provider(), settings())
    best = result.proposals[0]
    assert best.installment_ids == (inst.installment_id,)
    assert SignalKind.PAYER_GROUP in kinds(best)


def test_third_party_known_from_history() -> None:
    book, acme = acme_book()
    inst = book.installment(acme, "123456", 1, 1, DUE, "1000.00")  # type: ignore[arg-type]
    book.history.append((BETA_TAX, acme, 3))  # type: ignore[arg-type]
    line = PaymentLine(brl("1000.00"), date(2025, 3, 9), payer_tax_id=BETA_TAX)
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, AutoApply)
    assert result.decision.proposal.installment_ids == (inst.installment_id,)
    assert SignalKind.PAYER_HISTORY in kinds(result.decision.proposal)


def test_a_name_alone_is_not_enough() -> None:
    book, acme = acme_book()
    book.installment(acme, "123456", 1, 1, DUE, "1000.00")  # type: ignore[arg-type]
    line = PaymentLine(brl("1000.00"), DUE, payer_name="ACME COMERCIO LTDA ME")
    result = match_line(line, book.provider(), settings())
    assert result.proposals and SignalKind.PAYER_NAME in kinds(result.proposals[0])
    assert isinstance(result.decision, Review)


def test_pix_txid() -> None:
    book, acme = acme_book()
    inst = book.installment(acme, "123456", 1, 1, DUE, "99.90", txid="CB0123456789abcdef0123456")  # type: ignore[arg-type]
    line = PaymentLine(brl("99.90"), DUE, txid="CB0123456789abcdef0123456", end_to_end_id="E1234")
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, AutoApply)
    assert result.decision.proposal.installment_ids == (inst.installment_id,)


def test_statement_line_converts() -> None:
    sl = StatementLine(
        line_no=3,
        booking_date=date(2025, 3, 1),
        value_date=date(2025, 3, 2),
        amount=brl("10.00"),
        direction=Direction.CREDIT,
        bank_reference="BANKTX1",
        end_to_end_id="E999",
        remittance_info="NF 123456",
        payer_tax_id=ACME_TAX,
    )
    line = PaymentLine.from_statement_line(sl)
    assert (line.value_date, line.reference_text, line.end_to_end_id, line.line_id, line.bank_reference) == (
        date(2025, 3, 2),
        "NF 123456",
        "E999",
        "BANKTX1",
        None,
    )


def test_a_credit_naming_nothing_is_offered_the_installment_of_its_exact_amount() -> None:
    book, acme = acme_book()
    other = book.customer(BETA_TAX, "Beta Indústria SA")
    target = book.installment(acme, "777001", 1, 1, DUE, "2836.37")  # type: ignore[arg-type]
    book.installment(other, "777002", 1, 1, DUE, "2836.38")  # a cent away: not offered
    line = PaymentLine(brl("2836.37"), DUE, reference_text="TED RECEBIDA CLIENTE")
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, Review)  # an amount is no identity: never automatic
    assert [p.installment_ids for p in result.proposals] == [(target.installment_id,)]
    assert SignalKind.AMOUNT_EXACT in kinds(result.proposals[0])
    assert any("names no document or payer" in n for n in result.notes)


def test_an_amount_shared_by_many_open_installments_points_at_none() -> None:
    book, acme = acme_book()
    for n in range(4):
        book.installment(acme, f"88800{n}", 1, 1, DUE, "100.00")  # type: ignore[arg-type]
    line = PaymentLine(brl("100.00"), DUE, reference_text="DEPOSITO")
    result = match_line(line, book.provider(), settings())
    assert isinstance(result.decision, Review)
    assert result.proposals == ()
    assert any("points at none" in n for n in result.notes)
