"""Remittance-only layouts and instruction codes (código de movimento remessa)."""

from __future__ import annotations

from app.adapters.banks.cnab.fields import (
    RecordLayout,
    alpha,
    amount,
    date6,
    digits,
    integer,
)
from app.adapters.banks.cnab.layouts240 import SEGMENT_P
from app.domain.settlement.bank_files import InstructionKind

IK = InstructionKind

# FEBRABAN CNAB 240, nota C004.
INSTRUCTIONS_240: dict[InstructionKind, str] = {
    IK.REGISTER: "01",
    IK.WRITE_OFF: "02",
    IK.GRANT_REBATE: "04",
    IK.CANCEL_REBATE: "05",
    IK.CHANGE_DUE_DATE: "06",
    IK.GRANT_DISCOUNT: "07",
    IK.PROTEST: "09",
    IK.STOP_PROTEST: "11",  # sustar protesto e manter em carteira
}

# Itaú CNAB 400 "código de ocorrência" of the remittance (nota 6). Itaú has no
# instruction that grants an early-payment discount after registration.
INSTRUCTIONS_400_ITAU: dict[InstructionKind, str] = {
    IK.REGISTER: "01",
    IK.WRITE_OFF: "02",
    IK.GRANT_REBATE: "04",
    IK.CANCEL_REBATE: "05",
    IK.CHANGE_DUE_DATE: "06",
    IK.PROTEST: "09",
    IK.STOP_PROTEST: "18",
}

# Santander's segment P keeps FEBRABAN's tail but lays out the account and the
# nosso número differently; read (not written) so its remittances can be checked.
SANTANDER_P = SEGMENT_P.with_fields(
    digits("agencia", 18, 21),
    alpha("agencia_dv", 22, 22),
    digits("conta", 23, 31),
    alpha("conta_dv", 32, 32),
    alpha("nosso_numero", 45, 57),
    drop=("agencia_conta_dv",),
)

W = 400

ITAU_400_HEADER = RecordLayout(
    "header",
    W,
    (
        alpha("tipo_registro", 1, 1, const="0"),
        alpha("codigo_remessa_retorno", 2, 2, const="1"),
        alpha("literal_remessa", 3, 9, const="REMESSA"),
        digits("codigo_servico", 10, 11, const="01"),
        alpha("literal_servico", 12, 26, const="COBRANCA"),
        digits("agencia", 27, 30),
        digits("zeros", 31, 32),
        digits("conta", 33, 37),
        alpha("conta_dv", 38, 38),
        alpha("nome_empresa", 47, 76),
        digits("codigo_banco", 77, 79, const="341"),
        alpha("nome_banco", 80, 94, const="BANCO ITAU SA"),
        date6("data_gravacao", 95, 100),
        integer("sequencial", 395, 400),
    ),
)

ITAU_400_DETAIL = RecordLayout(
    "detail",
    W,
    (
        alpha("tipo_registro", 1, 1, const="1"),
        digits("tipo_inscricao", 2, 3),
        digits("numero_inscricao", 4, 17),
        digits("agencia", 18, 21),
        digits("zeros", 22, 23),
        digits("conta", 24, 28),
        alpha("conta_dv", 29, 29),
        digits("instrucao_alegacao", 34, 37),
        alpha("uso_empresa", 38, 62),
        alpha("nosso_numero", 63, 70),
        digits("quantidade_moeda", 71, 83),
        alpha("carteira", 84, 86),
        alpha("codigo_carteira", 108, 108, const="I"),
        digits("codigo_ocorrencia", 109, 110),
        alpha("numero_documento", 111, 120),
        date6("vencimento", 121, 126),
        amount("valor_titulo", 127, 139),
        digits("codigo_banco", 140, 142, const="341"),
        digits("agencia_cobradora", 143, 147),
        digits("especie", 148, 149),
        alpha("aceite", 150, 150),
        date6("data_emissao", 151, 156),
        digits("instrucao_1", 157, 158),
        digits("instrucao_2", 159, 160),
        amount("juros_mora_dia", 161, 173),
        date6("data_desconto", 174, 179),
        amount("valor_desconto", 180, 192),
        amount("valor_iof", 193, 205),
        amount("valor_abatimento", 206, 218),
        digits("sacado_tipo_inscricao", 219, 220),
        digits("sacado_inscricao", 221, 234),
        alpha("sacado_nome", 235, 264),
        alpha("sacado_endereco", 275, 314),
        alpha("sacado_bairro", 315, 326),
        digits("sacado_cep", 327, 334),
        alpha("sacado_cidade", 335, 349),
        alpha("sacado_uf", 350, 351),
        alpha("sacador_avalista", 352, 381),
        date6("data_mora", 386, 391),
        integer("prazo_protesto", 392, 393),
        integer("sequencial", 395, 400),
    ),
)

ITAU_400_TRAILER = RecordLayout(
    "trailer", W, (alpha("tipo_registro", 1, 1, const="9"), integer("sequencial", 395, 400))
)
