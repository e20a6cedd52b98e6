"""A tiny book for the matching tests, built on the in-memory provider."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

from app.domain.receivables.late_charges import LateChargePolicy
from app.domain.receivables.model import InstallmentNumber
from app.domain.settlement.matching_memory import CustomerRecord, InMemoryCandidateProvider
from app.domain.settlement.matching_ports import CandidateInstallment, MatchSettings
from app.domain.shared.money import Money

ACME_TAX = "11222333000181"
ACME_BRANCH_TAX = "11222333000262"
BETA_TAX = "44555666000149"
PERSON_TAX = "52998224725"


def brl(value: str) -> Money:
    return Money.of(value, "BRL")


def settings(**kw: object) -> MatchSettings:
    base: dict[str, object] = {
        "currency": "BRL",
        "tolerance_amount": brl("0.10"),
        "late_charges": LateChargePolicy(fine_percent=Decimal("2"), interest_percent_per_month=Decimal("1")),
    }
    base.update(kw)
    return MatchSettings(**base)  # type: ignore[arg-type]


@dataclass
class Book:
    customers: list[CustomerRecord] = field(default_factory=list)
    items: list[CandidateInstallment] = field(default_factory=list)
    history: list[tuple[str, UUID, int]] = field(default_factory=list)

    def customer(self, tax_id: str, name: str, account: str = "") -> UUID:
        cid = uuid4()
        self.customers.append(CustomerRecord(cid, tax_id, name, (account,) if account else ()))
        return cid

    def installment(
        self,
        customer_id: UUID,
        invoice: str,
        index: int,
        count: int,
        due: date,
        amount: str,
        *,
        open_amount: str | None = None,
        bank_reference: str | None = None,
        txid: str | None = None,
        consumer: bool = False,
    ) -> CandidateInstallment:
        face = brl(amount)
        inst = CandidateInstallment(
            installment_id=uuid4(),
            customer_id=customer_id,
            invoice_number=invoice,
            number=InstallmentNumber(index, count),
            due_date=due,
            face_value=face,
            open_principal=brl(open_amount) if open_amount is not None else face,
            open_late_charges=brl("0"),
            bank_reference=bank_reference,
            document_number=f"{invoice}-{index}",
            txid=txid,
            consumer=consumer,
        )
        self.items.append(inst)
        return inst

    def provider(self) -> InMemoryCandidateProvider:
        return InMemoryCandidateProvider(self.items, self.customers, self.history)
