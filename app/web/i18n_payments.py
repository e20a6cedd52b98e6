"""UI texts of the payments, installments and approvals pages in pt-BR and es-MX,
keyed by the English text like ``i18n.CATALOGUE``; ``{name}`` places are filled after
translating.

``i18n.CATALOGUE`` merges them with the other pages' texts; a test checks that no two
catalogues translate one text differently.
"""

from __future__ import annotations

# English → (pt-BR, es-MX)
PAYMENTS: dict[str, tuple[str, str]] = {
    # navigation and shared words
    "Payments": ("Pagamentos", "Pagos"),
    # Why a credit waits for review (app/domain/settlement/matching_scoring.py).
    "no candidate installment found": (
        "nenhuma parcela candidata encontrada",
        "no se encontró ninguna parcialidad candidata",
    ),
    "nothing identifies the payer or the installment well enough": (
        "nada identifica o pagador ou a parcela com segurança",
        "nada identifica al pagador o la parcialidad con seguridad",
    ),
    "this credit looks like one already received": (
        "este crédito parece um já recebido",
        "este abono parece uno ya recibido",
    ),
    "another combination of equal installments adds up to the same amount": (
        "outra combinação de parcelas iguais soma o mesmo valor",
        "otra combinación de parcialidades iguales suma el mismo importe",
    ),
    # The reasons with figures, as app/web/review_reasons.py words them: the scores
    # arrive as percentages and the amounts as money, already in the locale's format.
    "confidence {confidence} is below the threshold {threshold}": (
        "confiança de {confidence}, abaixo do limite de {threshold}",
        "confianza de {confidence}, por debajo del umbral de {threshold}",
    ),
    "ambiguous: another proposal scores {runner} against {best}": (
        "ambíguo: outra proposta tem confiança de {runner} contra {best}",
        "ambiguo: otra propuesta tiene una confianza de {runner} frente a {best}",
    ),
    "amount does not fit: {amount} short": (
        "o valor não confere: faltam {amount}",
        "el importe no cuadra: faltan {amount}",
    ),
    "amount does not fit: {amount} over": (
        "o valor não confere: {amount} a mais",
        "el importe no cuadra: {amount} de más",
    ),
    "amount does not fit: a difference of {amount}": (
        "o valor não confere: diferença de {amount}",
        "el importe no cuadra: diferencia de {amount}",
    ),
    "Payment": ("Pagamento", "Pago"),
    "Approvals": ("Aprovações", "Aprobaciones"),
    "Source": ("Origem", "Origen"),
    "Payer": ("Pagador", "Pagador"),
    "Allocations": ("Baixas", "Aplicaciones"),
    "Allocate": ("Aplicar", "Aplicar"),
    "External id": ("Identificador externo", "Identificador externo"),
    "Recorded": ("Registrado", "Registrado"),
    "Note": ("Observação", "Nota"),
    "Comment": ("Comentário", "Comentario"),
    "Approve": ("Aprovar", "Aprobar"),
    "Reject": ("Rejeitar", "Rechazar"),
    "Request": ("Solicitar", "Solicitar"),
    "Audit trail": ("Trilha de auditoria", "Rastro de auditoría"),
    "you": ("você", "usted"),
    "unidentified": ("não identificado", "sin identificar"),
    "reversed": ("estornado", "revertido"),
    "awaiting approval": ("aguardando aprovação", "en espera de aprobación"),
    # invoice page: installments and their charges
    "Due in {count} days": ("Vence em {count} dias", "Vence en {count} días"),
    "Fine": ("Multa", "Multa"),
    "Interest": ("Juros", "Intereses"),
    "Discount": ("Desconto", "Descuento"),
    "Total due today": ("Total devido hoje", "Total a pagar hoy"),
    "Nosso número": ("Nosso número", "Número bancario"),
    "Pay with": ("Pagar com", "Pagar con"),
    "Boleto": ("Boleto", "Boleto"),
    "PIX QR code": ("QR Code PIX", "Código QR de PIX"),
    "PIX copy-and-paste code": ("PIX copia e cola", "Código PIX para copiar y pegar"),
    "Fine, interest and discount are computed as of {date} from the tenant policy; they are booked only when a payment covers them.": (
        "Multa, juros e desconto calculados em {date} pela política da empresa; são lançados só "
        "quando um pagamento os cobre.",
        "Multa, intereses y descuento calculados al {date} según la política de la empresa; se "
        "registran solo cuando un pago los cubre.",
    ),
    "Register a bank account to issue boletos and PIX codes.": (
        "Cadastre uma conta bancária para emitir boletos e códigos PIX.",
        "Registre una cuenta bancaria para emitir boletos y códigos PIX.",
    ),
    "This invoice has no installments yet.": (
        "Esta fatura ainda não tem parcelas.",
        "Esta factura aún no tiene parcialidades.",
    ),
    "No payment, credit or write-off has touched this installment yet.": (
        "Nenhum pagamento, crédito ou baixa por perda movimentou esta parcela ainda.",
        "Ningún pago, crédito o castigo ha tocado esta parcialidad todavía.",
    ),
    "Waiting for approval": ("Aguardando aprovação", "En espera de aprobación"),
    "Request a credit note, adjustment or write-off": (
        "Solicitar nota de crédito, ajuste ou baixa por perda",
        "Solicitar nota de crédito, ajuste o castigo",
    ),
    "Write-off: leave empty for everything open. Adjustment: a minus sign lowers the balance.": (
        "Baixa por perda: deixe vazio para todo o saldo. Ajuste: o sinal de menos reduz o saldo.",
        "Castigo: deje vacío para todo el saldo. Ajuste: el signo menos reduce el saldo.",
    ),
    "The change was applied to the installment.": (
        "A alteração foi aplicada à parcela.",
        "El cambio se aplicó a la parcialidad.",
    ),
    "The change is above the approval threshold: it waits for another user in Approvals.": (
        "A alteração está acima do limite de aprovação: aguarda outro usuário em Aprovações.",
        "El cambio supera el límite de aprobación: espera a otro usuario en Aprobaciones.",
    ),
    # payments list and form
    "Record a payment": ("Registrar pagamento", "Registrar pago"),
    "Search reference, payer or customer": (
        "Buscar referência, pagador ou cliente",
        "Buscar referencia, pagador o cliente",
    ),
    "Remove the customer filter": ("Remover o filtro de cliente", "Quitar el filtro de cliente"),
    "No payments match these filters.": (
        "Nenhum pagamento corresponde a estes filtros.",
        "Ningún pago coincide con estos filtros.",
    ),
    "Queue clear — no cash waits to be applied.": (
        "Fila vazia — nenhum valor aguarda aplicação.",
        "Cola vacía — ningún cobro espera aplicación.",
    ),
    "Widen the dates or pick another status or source.": (
        "Amplie as datas ou escolha outra situação ou origem.",
        "Amplíe las fechas o elija otro estado u origen.",
    ),
    "No payments yet.": ("Ainda não há pagamentos.", "Aún no hay pagos."),
    "Payments arrive from bank returns, statements and PIX, or are recorded by hand with a reference.": (
        "Pagamentos chegam de retornos bancários, extratos e PIX, ou são registrados à mão com uma referência.",
        "Los pagos llegan de archivos bancarios, estados de cuenta y PIX, o se registran a mano con una "
        "referencia.",
    ),
    "Not identified yet": ("Ainda não identificado", "Aún sin identificar"),
    "Transfer id, deposit slip or receipt number.": (
        "Identificador da transferência, comprovante de depósito ou número do recibo.",
        "Folio de la transferencia, ficha de depósito o número de recibo.",
    ),
    "This form has expired: reload it and submit again.": (
        "Este formulário expirou: recarregue e envie novamente.",
        "Este formulario expiró: recárguelo y envíelo de nuevo.",
    ),
    # payment page
    "Payment recorded.": ("Pagamento registrado.", "Pago registrado."),
    "This payment was already recorded: nothing was added.": (
        "Este pagamento já estava registrado: nada foi acrescentado.",
        "Este pago ya estaba registrado: no se agregó nada.",
    ),
    "Payment allocated.": ("Pagamento aplicado.", "Pago aplicado."),
    "Allocation reversed: the amount is open on the installment again.": (
        "Baixa estornada: o valor voltou a ficar em aberto na parcela.",
        "Aplicación revertida: el importe vuelve a estar pendiente en la parcialidad.",
    ),
    "Refund recorded.": ("Devolução registrada.", "Devolución registrada."),
    "Reverse": ("Estornar", "Revertir"),
    "Reverse the allocation": ("Estornar a baixa", "Revertir la aplicación"),
    "Nothing allocated yet: the whole amount is unapplied cash on the account.": (
        "Nada aplicado ainda: todo o valor é crédito não aplicado na conta.",
        "Nada aplicado aún: todo el importe es saldo a favor sin aplicar.",
    ),
    "Show open installments": ("Mostrar parcelas em aberto", "Mostrar parcialidades pendientes"),
    "{name} has nothing open: the cash stays unapplied on the account, or refund it below.": (
        "{name} não tem nada em aberto: o valor fica como crédito na conta, ou devolva-o abaixo.",
        "{name} no tiene nada pendiente: el importe queda como saldo a favor, o devuélvalo abajo.",
    ),
    "Allocate the amounts entered": ("Aplicar os valores informados", "Aplicar los importes indicados"),
    "Allocate oldest first": ("Aplicar nas mais antigas", "Aplicar a las más antiguas"),
    "Enter an amount on at least one installment.": (
        "Informe um valor em pelo menos uma parcela.",
        "Indique un importe en al menos una parcialidad.",
    ),
    "Refunds": ("Devoluções", "Devoluciones"),
    "No refunds.": ("Nenhuma devolução.", "Sin devoluciones."),
    "Refund unapplied cash": ("Devolver crédito não aplicado", "Devolver saldo sin aplicar"),
    "Refund": ("Devolver", "Devolver"),
    "No audit entries.": ("Nenhum registro de auditoria.", "Sin registros de auditoría."),
    # approvals inbox
    "Credit notes, adjustments and write-offs above the approval threshold wait here for a second user.": (
        "Notas de crédito, ajustes e baixas por perda acima do limite de aprovação aguardam aqui um "
        "segundo usuário.",
        "Notas de crédito, ajustes y castigos por encima del límite de aprobación esperan aquí a un "
        "segundo usuario.",
    ),
    "Approved: the change is now on the installment.": (
        "Aprovado: a alteração já está na parcela.",
        "Aprobado: el cambio ya está en la parcialidad.",
    ),
    "Rejected: nothing changed on the installment.": (
        "Rejeitado: nada mudou na parcela.",
        "Rechazado: nada cambió en la parcialidad.",
    ),
    "Queue clear — nothing waits for approval.": (
        "Fila vazia — nada aguarda aprovação.",
        "Cola vacía — nada espera aprobación.",
    ),
    "Changes up to the threshold are applied at once; larger ones appear here.": (
        "Alterações até o limite são aplicadas na hora; as maiores aparecem aqui.",
        "Los cambios hasta el límite se aplican al momento; los mayores aparecen aquí.",
    ),
    "No requests here.": ("Nenhuma solicitação aqui.", "No hay solicitudes aquí."),
    "Requested by": ("Solicitado por", "Solicitado por"),
    "Age (days)": ("Idade (dias)", "Antigüedad (días)"),
    "Decision": ("Decisão", "Decisión"),
    "Decided by": ("Decidido por", "Decidido por"),
    "Waiting for a user who may approve.": (
        "Aguardando um usuário que possa aprovar.",
        "En espera de un usuario que pueda aprobar.",
    ),
    # values shown through a variable: ledger kinds, sources, statuses
    "charge": ("cobrança", "cargo"),
    "payment_allocation": ("baixa de pagamento", "aplicación de pago"),
    "allocation_reversal": ("estorno de baixa", "reversión de aplicación"),
    "credit_note": ("nota de crédito", "nota de crédito"),
    "adjustment": ("ajuste", "ajuste"),
    "write_off": ("baixa por perda", "castigo"),
    "write_off_reversal": ("estorno de perda", "reversión de castigo"),
    "late_charge": ("encargos de atraso", "cargos moratorios"),
    "discount": ("desconto", "descuento"),
    "rebate": ("abatimento", "bonificación"),
    "statement": ("extrato", "estado de cuenta"),
    "pix": ("PIX", "PIX"),
    "manual": ("manual", "manual"),
    "unapplied": ("não aplicado", "sin aplicar"),
    "partially_applied": ("parcialmente aplicado", "aplicado parcialmente"),
    "refunded": ("devolvido", "devuelto"),
    "with_cash": ("com crédito a aplicar", "con saldo por aplicar"),
    "requested": ("solicitado", "solicitado"),
    "approved": ("aprovado", "aprobado"),
    # the reason codes' labels (``reasons.REASONS``)
    "Goods returned": ("Mercadoria devolvida", "Mercancía devuelta"),
    "Pricing error": ("Erro de preço", "Error de precio"),
    "Billed twice": ("Cobrado em duplicidade", "Facturado dos veces"),
    "Service not delivered as agreed": (
        "Serviço não prestado como combinado",
        "Servicio no prestado según lo acordado",
    ),
    "Commercial agreement": ("Acordo comercial", "Acuerdo comercial"),
    "Bank fee absorbed": ("Tarifa bancária absorvida", "Comisión bancaria absorbida"),
    "Rounding difference": ("Diferença de arredondamento", "Diferencia por redondeo"),
    "Customer deduction accepted": ("Dedução do cliente aceita", "Deducción del cliente aceptada"),
    "Late charges waived": ("Encargos de atraso dispensados", "Cargos moratorios condonados"),
    "Correction of a wrong entry": ("Correção de lançamento errado", "Corrección de un registro erróneo"),
    "Uncollectible after collection efforts": (
        "Incobrável após esforços de cobrança",
        "Incobrable tras gestiones de cobranza",
    ),
    "Customer insolvent or in recovery proceedings": (
        "Cliente insolvente ou em recuperação judicial",
        "Cliente insolvente o en concurso mercantil",
    ),
    "Claim time-barred": ("Dívida prescrita", "Deuda prescrita"),
    "Small balance not worth collecting": (
        "Saldo pequeno que não compensa cobrar",
        "Saldo pequeño que no conviene cobrar",
    ),
    "Remainder forgiven in a settlement": ("Saldo perdoado em acordo", "Saldo condonado en un convenio"),
    "Applied to the wrong installment": (
        "Aplicado na parcela errada",
        "Aplicado a la parcialidad equivocada",
    ),
    "Payment returned or charged back": ("Pagamento devolvido ou estornado", "Pago devuelto o contracargo"),
    "Entered twice": ("Lançado em duplicidade", "Registrado dos veces"),
    "Written-off amount recovered": ("Valor baixado como perda recuperado", "Importe castigado recuperado"),
    "Entered in error": ("Lançado por engano", "Registrado por error"),
    "Other (see note)": ("Outro (ver observação)", "Otro (ver nota)"),
    # messages of the domain rules shown on these pages
    "a reason is required": ("informe um motivo", "indique un motivo"),
    "a refund needs a reason": ("a devolução precisa de um motivo", "la devolución necesita un motivo"),
    "the requester cannot decide on their own request": (
        "quem solicitou não pode decidir sobre a própria solicitação",
        "quien solicitó no puede decidir sobre su propia solicitud",
    ),
    "say why the request is rejected": (
        "diga por que a solicitação é rejeitada",
        "indique por qué se rechaza",
    ),
    "is too large": ("é grande demais", "es demasiado grande"),
}
