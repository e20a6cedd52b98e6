"""Occurrence codes per (bank, layout) → domain outcome.

The same two digits mean different things at different banks (Itaú 400 "25" is a
payer's allegation, Santander 400 "25" a protest order, FEBRABAN 240 "25"
protested-and-written-off), so there is no global table: each (bank, layout) has
its own, built from the manual it follows. A code missing from the table is
reported as UNKNOWN and queued for a person, never guessed.
"""

from __future__ import annotations

from typing import NamedTuple

from app.domain.settlement.bank_files import Outcome, SettlementKind

OC = Outcome
SK = SettlementKind


class Occurrence(NamedTuple):
    outcome: Outcome
    description: str
    settlement: SettlementKind | None = None


Table = dict[str, Occurrence]


def _t(**codes: tuple[Outcome, str] | tuple[Outcome, str, SettlementKind]) -> Table:
    return {k.removeprefix("c"): Occurrence(*v) for k, v in codes.items()}


# FEBRABAN CNAB 240 v08+, nota C044 (código de movimento retorno).
FEBRABAN_240 = _t(
    c02=(OC.REGISTERED, "Entrada confirmada"),
    c03=(OC.REJECTED, "Entrada rejeitada"),
    c04=(OC.OTHER, "Transferência de carteira/entrada"),
    c05=(OC.OTHER, "Transferência de carteira/baixa"),
    c06=(OC.SETTLED, "Liquidação", SK.NORMAL),
    c07=(OC.OTHER, "Confirmação do recebimento da instrução de desconto"),
    c08=(OC.OTHER, "Confirmação do recebimento do cancelamento do desconto"),
    c09=(OC.WRITTEN_OFF, "Baixa"),
    c11=(OC.OTHER, "Títulos em carteira (em ser)"),
    c12=(OC.REBATE_GRANTED, "Confirmação recebimento instrução de abatimento"),
    c13=(OC.OTHER, "Confirmação recebimento instrução de cancelamento de abatimento"),
    c14=(OC.DUE_DATE_CHANGED, "Confirmação recebimento instrução de alteração de vencimento"),
    c15=(OC.OTHER, "Franco de pagamento"),
    c17=(OC.SETTLED, "Liquidação após baixa ou de título não registrado", SK.AFTER_WRITE_OFF),
    c19=(OC.PROTEST_REQUESTED, "Confirmação recebimento instrução de protesto"),
    c20=(OC.PROTEST_WITHDRAWN, "Confirmação recebimento instrução de sustação de protesto"),
    c23=(OC.PROTEST_REQUESTED, "Remessa a cartório (aponte em cartório)"),
    c24=(OC.PROTEST_WITHDRAWN, "Retirada de cartório e manutenção em carteira"),
    c25=(OC.PROTESTED, "Protestado e baixado (baixa por ter sido protestado)"),
    c26=(OC.REJECTED, "Instrução rejeitada"),
    c27=(OC.OTHER, "Confirmação do pedido de alteração de outros dados"),
    c28=(OC.FEE_CHARGED, "Débito de tarifas/custas"),
    c29=(OC.OTHER, "Ocorrências do pagador"),
    c30=(OC.REJECTED, "Alteração de dados rejeitada"),
    c33=(OC.OTHER, "Confirmação da alteração dos dados do rateio de crédito"),
    c34=(OC.OTHER, "Confirmação do cancelamento dos dados do rateio de crédito"),
    c35=(OC.OTHER, "Confirmação do desagendamento do débito automático"),
    c36=(OC.OTHER, "Confirmação de envio de e-mail/SMS"),
    c37=(OC.OTHER, "Envio de e-mail/SMS rejeitado"),
    c38=(OC.OTHER, "Confirmação de alteração do prazo limite de recebimento"),
    c39=(OC.OTHER, "Confirmação de dispensa de prazo limite de recebimento"),
    c40=(OC.OTHER, "Confirmação da alteração do número do título dado pelo beneficiário"),
    c41=(OC.OTHER, "Confirmação da alteração do número controle do participante"),
    c42=(OC.OTHER, "Confirmação da alteração dos dados do pagador"),
    c43=(OC.OTHER, "Confirmação da alteração dos dados do sacador/avalista"),
    c44=(OC.OTHER, "Título pago com cheque devolvido"),
    c45=(OC.OTHER, "Título pago com cheque compensado"),
    c46=(OC.PROTEST_WITHDRAWN, "Instrução para cancelar protesto confirmada"),
    c47=(OC.PROTEST_REQUESTED, "Instrução para protesto para fins falimentares confirmada"),
    c48=(OC.OTHER, "Confirmação de instrução de transferência de carteira/modalidade"),
    c49=(OC.OTHER, "Alteração de contrato de cobrança"),
    c50=(OC.OTHER, "Título pendente de pagamento"),
    c51=(OC.OTHER, "Título DDA reconhecido pelo pagador"),
    c52=(OC.OTHER, "Título DDA não reconhecido pelo pagador"),
    c53=(OC.OTHER, "Título DDA recusado pela CIP"),
    c54=(OC.OTHER, "Confirmação da instrução de baixa de título negativado sem protesto"),
)

# Motivos (C047) that qualify a FEBRABAN 240 liquidation.
FEBRABAN_240_SETTLEMENT_REASONS: dict[str, SettlementKind] = {
    "01": SK.BY_BALANCE,
    "02": SK.ON_ACCOUNT,
    "08": SK.AT_NOTARY,
}

_CAIXA_240 = FEBRABAN_240 | _t(
    c01=(OC.OTHER, "Solicitação de impressão de títulos confirmada"),
    c35=(OC.OTHER, "Confirmação de inclusão banco de pagador"),
    c36=(OC.OTHER, "Confirmação de alteração banco de pagador"),
    c37=(OC.OTHER, "Confirmação de exclusão banco de pagador"),
    c38=(OC.OTHER, "Emissão de bloquetos de banco de pagador"),
    c39=(OC.REJECTED, "Manutenção de pagador rejeitada"),
    c40=(OC.REJECTED, "Entrada de título via banco de pagador rejeitada"),
    c41=(OC.REJECTED, "Manutenção de banco de pagador rejeitada"),
    c44=(OC.OTHER, "Estorno de baixa/liquidação"),
    c45=(OC.OTHER, "Alteração de dados"),
)

_SICREDI_240 = FEBRABAN_240 | _t(
    c36=(OC.REJECTED, "Baixa rejeitada"),
)

# --- CNAB 400 ------------------------------------------------------------------

ITAU_400 = _t(
    c02=(OC.REGISTERED, "Entrada confirmada"),
    c03=(OC.REJECTED, "Entrada rejeitada"),
    c04=(OC.OTHER, "Alteração de dados - nova entrada ou alteração/exclusão de dados acatada"),
    c05=(OC.WRITTEN_OFF, "Alteração de dados - baixa"),
    c06=(OC.SETTLED, "Liquidação normal", SK.NORMAL),
    c07=(OC.SETTLED, "Liquidação parcial - cobrança inteligente (B2B)", SK.PARTIAL),
    c08=(OC.SETTLED, "Liquidação em cartório", SK.AT_NOTARY),
    c09=(OC.WRITTEN_OFF, "Baixa simples"),
    c10=(OC.WRITTEN_OFF, "Baixa por ter sido liquidado"),
    c11=(OC.OTHER, "Em ser (só no retorno mensal)"),
    c12=(OC.REBATE_GRANTED, "Abatimento concedido"),
    c13=(OC.OTHER, "Abatimento cancelado"),
    c14=(OC.DUE_DATE_CHANGED, "Vencimento alterado"),
    c15=(OC.REJECTED, "Baixas rejeitadas"),
    c16=(OC.REJECTED, "Instruções rejeitadas"),
    c17=(OC.REJECTED, "Alteração/exclusão de dados rejeitados"),
    c18=(OC.REJECTED, "Cobrança contratual - instruções/alterações rejeitadas/pendentes"),
    c19=(OC.PROTEST_REQUESTED, "Confirma recebimento de instrução de protesto"),
    c20=(OC.PROTEST_WITHDRAWN, "Confirma recebimento de instrução de sustação de protesto/tarifa"),
    c21=(OC.OTHER, "Confirma recebimento de instrução de não protestar"),
    c23=(OC.PROTEST_REQUESTED, "Título enviado a cartório/tarifa"),
    c24=(OC.REJECTED, "Instrução de protesto rejeitada/sustada/pendente"),
    c25=(OC.OTHER, "Alegações do pagador"),
    c26=(OC.FEE_CHARGED, "Tarifa de aviso de cobrança"),
    c27=(OC.FEE_CHARGED, "Tarifa de extrato posição"),
    c28=(OC.FEE_CHARGED, "Tarifa de relação das liquidações"),
    c29=(OC.FEE_CHARGED, "Tarifa de manutenção de títulos vencidos"),
    c30=(OC.FEE_CHARGED, "Débito mensal de tarifas (para entradas e baixas)"),
    c32=(OC.PROTESTED, "Baixa por ter sido protestado"),
    c33=(OC.FEE_CHARGED, "Custas de protesto"),
    c34=(OC.FEE_CHARGED, "Custas de sustação"),
    c35=(OC.FEE_CHARGED, "Custas de cartório distribuidor"),
    c36=(OC.FEE_CHARGED, "Custas de edital"),
    c37=(OC.FEE_CHARGED, "Tarifa de emissão de boleto/tarifa de envio de duplicata"),
    c38=(OC.FEE_CHARGED, "Tarifa de instrução"),
    c39=(OC.FEE_CHARGED, "Tarifa de ocorrências"),
    c40=(OC.FEE_CHARGED, "Tarifa mensal de emissão de boleto/envio de duplicata"),
    c47=(OC.WRITTEN_OFF, "Baixa com transferência para desconto"),
    c48=(OC.FEE_CHARGED, "Custas de sustação judicial"),
    c57=(OC.OTHER, "Instrução cancelada"),
    c59=(OC.WRITTEN_OFF, "Baixa por crédito em c/c através do SISPAG"),
    c60=(OC.REJECTED, "Entrada rejeitada carnê"),
    c63=(OC.OTHER, "Título sustado judicialmente"),
    c64=(OC.REGISTERED, "Entrada confirmada com rateio de crédito"),
    c65=(OC.OTHER, "Pagamento com cheque - aguardando compensação"),
    c69=(OC.OTHER, "Cheque devolvido"),
    c71=(OC.OTHER, "Entrada registrada, aguardando avaliação"),
    c73=(OC.REGISTERED, "Confirmação de entrada na cobrança simples - não aceita na contratual"),
    c76=(OC.OTHER, "Cheque compensado"),
)

BRADESCO_400 = _t(
    c02=(OC.REGISTERED, "Entrada confirmada"),
    c03=(OC.REJECTED, "Entrada rejeitada"),
    c06=(OC.SETTLED, "Liquidação normal", SK.NORMAL),
    c09=(OC.WRITTEN_OFF, "Baixado automaticamente via arquivo"),
    c10=(OC.WRITTEN_OFF, "Baixado conforme instruções da agência"),
    c11=(OC.OTHER, "Em ser - arquivo de títulos pendentes"),
    c12=(OC.REBATE_GRANTED, "Abatimento concedido"),
    c13=(OC.OTHER, "Abatimento cancelado"),
    c14=(OC.DUE_DATE_CHANGED, "Vencimento alterado"),
    c15=(OC.SETTLED, "Liquidação em cartório", SK.AT_NOTARY),
    c16=(OC.SETTLED, "Título pago em cheque - vinculado", SK.NORMAL),
    c17=(OC.SETTLED, "Liquidação após baixa ou título não registrado", SK.AFTER_WRITE_OFF),
    c18=(OC.OTHER, "Acerto de depositária"),
    c19=(OC.PROTEST_REQUESTED, "Confirmação recebimento instrução de protesto"),
    c20=(OC.PROTEST_WITHDRAWN, "Confirmação recebimento instrução sustação de protesto"),
    c21=(OC.OTHER, "Acerto do controle do participante"),
    c22=(OC.OTHER, "Título com pagamento cancelado"),
    c23=(OC.PROTEST_REQUESTED, "Entrada do título em cartório"),
    c24=(OC.REJECTED, "Entrada rejeitada por CEP irregular"),
    c25=(OC.PROTEST_REQUESTED, "Confirmação recebimento instrução de protesto falimentar"),
    c27=(OC.REJECTED, "Baixa rejeitada"),
    c28=(OC.FEE_CHARGED, "Débito de tarifas/custas"),
    c29=(OC.OTHER, "Ocorrências do pagador"),
    c30=(OC.REJECTED, "Alteração de outros dados rejeitados"),
    c32=(OC.REJECTED, "Instrução rejeitada"),
    c33=(OC.OTHER, "Confirmação pedido alteração outros dados"),
    c34=(OC.PROTEST_WITHDRAWN, "Retirado de cartório e manutenção carteira"),
    c35=(OC.OTHER, "Desagendamento do débito automático"),
    c40=(OC.OTHER, "Estorno de pagamento"),
    c55=(OC.OTHER, "Sustado judicial"),
    c68=(OC.OTHER, "Acerto dos dados do rateio de crédito"),
    c69=(OC.OTHER, "Cancelamento dos dados do rateio"),
)

# Banco do Brasil CNAB 400 (convênios de 6 e 7 dígitos), "comando" 109-110.
BB_400 = _t(
    c02=(OC.REGISTERED, "Confirmação de entrada de título"),
    c03=(OC.REJECTED, "Comando recusado"),
    c05=(OC.SETTLED, "Liquidado sem registro", SK.NORMAL),
    c06=(OC.SETTLED, "Liquidação normal", SK.NORMAL),
    c07=(OC.SETTLED, "Liquidação por conta/parcial", SK.ON_ACCOUNT),
    c08=(OC.SETTLED, "Liquidação por saldo", SK.BY_BALANCE),
    c09=(OC.WRITTEN_OFF, "Baixa de título"),
    c10=(OC.WRITTEN_OFF, "Baixa solicitada"),
    c11=(OC.OTHER, "Títulos em ser"),
    c12=(OC.REBATE_GRANTED, "Abatimento concedido"),
    c13=(OC.OTHER, "Abatimento cancelado"),
    c14=(OC.DUE_DATE_CHANGED, "Alteração de vencimento do título"),
    c15=(OC.SETTLED, "Liquidação em cartório", SK.AT_NOTARY),
    c16=(OC.OTHER, "Confirmação de alteração de juros de mora"),
    c19=(OC.PROTEST_REQUESTED, "Confirmação de recebimento de instruções para protesto"),
    c20=(OC.OTHER, "Débito em conta"),
    c21=(OC.OTHER, "Alteração do nome do pagador"),
    c22=(OC.OTHER, "Alteração do endereço do pagador"),
    c23=(OC.PROTEST_REQUESTED, "Indicação de encaminhamento a cartório"),
    c24=(OC.PROTEST_WITHDRAWN, "Sustar protesto"),
    c25=(OC.OTHER, "Dispensar juros de mora"),
    c26=(OC.OTHER, "Alteração do número do título dado pelo beneficiário"),
    c28=(OC.OTHER, "Manutenção de título vencido"),
    c31=(OC.OTHER, "Conceder desconto"),
    c32=(OC.OTHER, "Não conceder desconto"),
    c33=(OC.OTHER, "Retificar desconto"),
    c34=(OC.OTHER, "Alterar data para desconto"),
    c35=(OC.OTHER, "Cobrar multa"),
    c36=(OC.OTHER, "Dispensar multa"),
    c37=(OC.OTHER, "Dispensar indexador"),
    c38=(OC.OTHER, "Dispensar prazo limite para recebimento"),
    c39=(OC.OTHER, "Alterar prazo limite para recebimento"),
    c41=(OC.OTHER, "Alteração do número do controle do participante"),
    c42=(OC.OTHER, "Alteração do número do documento do pagador"),
    c44=(OC.OTHER, "Título pago com cheque devolvido"),
    c46=(OC.OTHER, "Título pago com cheque, aguardando compensação"),
    c72=(OC.OTHER, "Alteração de tipo de cobrança"),
    c96=(OC.FEE_CHARGED, "Despesas de protesto"),
    c97=(OC.FEE_CHARGED, "Despesas de sustação de protesto"),
    c98=(OC.FEE_CHARGED, "Débito de custas antecipadas"),
)

SANTANDER_400 = _t(
    c01=(OC.REJECTED, "Título não existe"),
    c02=(OC.REGISTERED, "Entrada de título confirmada"),
    c03=(OC.REJECTED, "Entrada de título rejeitada"),
    c06=(OC.SETTLED, "Liquidação", SK.NORMAL),
    c07=(OC.SETTLED, "Liquidação por conta", SK.ON_ACCOUNT),
    c08=(OC.SETTLED, "Liquidação por saldo", SK.BY_BALANCE),
    c09=(OC.WRITTEN_OFF, "Baixa automática"),
    c10=(OC.WRITTEN_OFF, "Título baixado conforme instrução"),
    c11=(OC.OTHER, "Em ser"),
    c12=(OC.REBATE_GRANTED, "Abatimento concedido"),
    c13=(OC.OTHER, "Abatimento cancelado"),
    c14=(OC.DUE_DATE_CHANGED, "Prorrogação de vencimento"),
    c15=(OC.PROTESTED, "Confirmação de protesto"),
    c16=(OC.REJECTED, "Título já baixado/liquidado"),
    c17=(OC.SETTLED, "Liquidado em cartório", SK.AT_NOTARY),
    c21=(OC.PROTEST_REQUESTED, "Título enviado a cartório"),
    c22=(OC.PROTEST_WITHDRAWN, "Título retirado de cartório"),
    c24=(OC.FEE_CHARGED, "Custas de cartório"),
    c25=(OC.PROTEST_REQUESTED, "Protestar título"),
    c26=(OC.PROTEST_WITHDRAWN, "Sustar protesto"),
    c35=(OC.OTHER, "Título DDA reconhecido pelo pagador"),
    c36=(OC.OTHER, "Título DDA não reconhecido pelo pagador"),
    c37=(OC.OTHER, "Título DDA recusado pela CIP"),
    c38=(OC.OTHER, "Recebimento da instrução não protestar"),
    c39=(OC.REJECTED, "Espécie de título não permite a instrução"),
)

BANRISUL_400 = _t(
    c02=(OC.REGISTERED, "Confirmação de entrada"),
    c03=(OC.REJECTED, "Entrada rejeitada"),
    c04=(OC.WRITTEN_OFF, "Baixa de título liquidado por edital"),
    c06=(OC.SETTLED, "Liquidação normal", SK.NORMAL),
    c07=(OC.SETTLED, "Liquidação parcial", SK.PARTIAL),
    c08=(OC.SETTLED, "Baixa por pagamento, liquidação pelo saldo", SK.BY_BALANCE),
    c09=(OC.WRITTEN_OFF, "Devolução automática"),
    c10=(OC.WRITTEN_OFF, "Baixado conforme instruções"),
    c11=(OC.OTHER, "Arquivo levantamento"),
    c12=(OC.REBATE_GRANTED, "Concessão de abatimento"),
    c13=(OC.OTHER, "Cancelamento de abatimento"),
    c14=(OC.DUE_DATE_CHANGED, "Vencimento alterado"),
    c15=(OC.SETTLED, "Pagamento em cartório", SK.AT_NOTARY),
    c16=(OC.OTHER, "Alteração de dados"),
    c18=(OC.OTHER, "Alteração de instruções"),
    c19=(OC.PROTEST_REQUESTED, "Confirmação de instrução de protesto"),
    c20=(OC.PROTEST_WITHDRAWN, "Confirmação de instrução para sustar protesto"),
    c23=(OC.PROTEST_REQUESTED, "Confirmação da entrada em cartório"),
    c40=(OC.PROTESTED, "Baixa de títulos protestados"),
    c41=(OC.FEE_CHARGED, "Despesa de aponte"),
)

# Banco do Nordeste: only the codes its sample and manual excerpt confirm; the
# rest stay unknown (queued) until checked against BNB's manual.
BNB_400 = _t(
    c02=(OC.REGISTERED, "Entrada confirmada"),
    c06=(OC.SETTLED, "Liquidação normal", SK.NORMAL),
    c09=(OC.WRITTEN_OFF, "Baixa simples"),
    c12=(OC.REBATE_GRANTED, "Abatimento concedido"),
    c14=(OC.DUE_DATE_CHANGED, "Vencimento alterado"),
)

TABLES: dict[tuple[str, str], Table] = {
    ("001", "cnab240"): FEBRABAN_240,
    ("033", "cnab240"): FEBRABAN_240,
    ("085", "cnab240"): FEBRABAN_240,
    ("104", "cnab240"): _CAIXA_240,
    ("136", "cnab240"): FEBRABAN_240,
    ("237", "cnab240"): FEBRABAN_240,
    ("341", "cnab240"): FEBRABAN_240,
    ("748", "cnab240"): _SICREDI_240,
    ("756", "cnab240"): FEBRABAN_240,
    ("001", "cnab400"): BB_400,
    ("756", "cnab400"): BB_400,  # Sicoob's CNAB 400 follows Banco do Brasil's
    ("004", "cnab400"): BNB_400,
    ("033", "cnab400"): SANTANDER_400,
    ("041", "cnab400"): BANRISUL_400,
    ("237", "cnab400"): BRADESCO_400,
    ("341", "cnab400"): ITAU_400,
    # BRB (070) and CrediSIS (097): no table yet; every code is queued as unknown.
}


def table_for(bank_code: str, layout: str) -> Table:
    return TABLES.get((bank_code, layout), {})
