"""Boleto de cobrança (FEBRABAN): barcode, typeable line, nosso número, PDF.

Pure format code: no web or database imports.  Amounts are ``Money`` in BRL.
"""

from app.adapters.banks.boleto.banks import (
    BancoDoBrasil,
    Bradesco,
    Caixa,
    Itau,
    Santander,
    Sicoob,
    Sicredi,
)
from app.adapters.banks.boleto.code import (
    BoletoCode,
    barcode_to_line,
    boleto_code,
    build_barcode,
    format_line,
    line_to_barcode,
    parse_boleto,
)
from app.adapters.banks.boleto.data import BANKS, BankInfo, BoletoData, Party, bank_info
from app.adapters.banks.boleto.errors import BoletoError
from app.adapters.banks.boleto.factor import due_date_factor, due_date_from_factor
from app.adapters.banks.boleto.nosso_numero import (
    BankAgreement,
    NossoNumero,
    next_nosso_numero,
    validate_nosso_numero,
)

__all__ = [
    "BANKS",
    "BancoDoBrasil",
    "BankAgreement",
    "BankInfo",
    "BoletoCode",
    "BoletoData",
    "BoletoError",
    "Bradesco",
    "Caixa",
    "Itau",
    "NossoNumero",
    "Party",
    "Santander",
    "Sicoob",
    "Sicredi",
    "bank_info",
    "barcode_to_line",
    "boleto_code",
    "build_barcode",
    "due_date_factor",
    "due_date_from_factor",
    "format_line",
    "line_to_barcode",
    "next_nosso_numero",
    "parse_boleto",
    "validate_nosso_numero",
]
