"""What one printed boleto holds, and the bank facts the slip shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.adapters.banks.boleto.code import BoletoCode, boleto_code
from app.adapters.banks.boleto.errors import BoletoError
from app.adapters.banks.boleto.money import require_brl
from app.adapters.banks.boleto.nosso_numero import BankAgreement, NossoNumero
from app.domain.shared.money import Money


@dataclass(frozen=True, slots=True)
class BankInfo:
    code: str
    dv: str
    name: str

    @property
    def code_with_dv(self) -> str:
        return f"{self.code}-{self.dv}"


# Bank code check digits as printed on slips ("001-9"): módulo 11 of the code,
# where each bank chose how to write 10 (Sicredi prints X, Caixa 0).
BANKS: dict[str, BankInfo] = {
    info.code: info
    for info in (
        BankInfo("001", "9", "Banco do Brasil"),
        BankInfo("033", "7", "Santander"),
        BankInfo("104", "0", "Caixa"),
        BankInfo("237", "2", "Bradesco"),
        BankInfo("341", "7", "Itaú"),
        BankInfo("748", "X", "Sicredi"),
        BankInfo("756", "0", "Sicoob"),
    )
}


def bank_info(code: str) -> BankInfo:
    try:
        return BANKS[code]
    except KeyError:
        raise BoletoError(f"bank {code} is not supported for boletos") from None


@dataclass(frozen=True, slots=True)
class Party:
    """Beneficiário, pagador or sacador/avalista as printed."""

    name: str
    document: str  # CPF or CNPJ, printed as given
    address: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BoletoData:
    agreement: BankAgreement
    nosso_numero: NossoNumero
    beneficiary: Party
    payer: Party
    amount: Money
    due_date: date | None
    document_number: str
    document_date: date
    processing_date: date | None = None
    instructions: tuple[str, ...] = ()
    description: tuple[str, ...] = ()  # "demonstrativo" on the payer's receipt
    payment_place: str = "Pagável em qualquer banco até o vencimento"
    especie_documento: str = "DM"
    aceite: str = "N"
    guarantor: Party | None = None

    def __post_init__(self) -> None:
        require_brl(self.amount)
        bank_info(self.agreement.bank_code)

    @property
    def bank(self) -> BankInfo:
        return bank_info(self.agreement.bank_code)

    @property
    def code(self) -> BoletoCode:
        campo_livre = self.agreement.campo_livre(self.nosso_numero, has_amount=self.amount.is_positive())
        return boleto_code(self.agreement.bank_code, self.due_date, self.amount, campo_livre)
