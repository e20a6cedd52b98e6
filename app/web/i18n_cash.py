"""UI texts of the cash-application candidates in pt-BR and es-MX: what each signal
says (``app/web/match_evidence.py``) and the candidate's installments
(``bank_files/_candidates.html``). Keyed by the English text like ``i18n.CATALOGUE``;
``{name}`` places are filled after translating, with money, dates and counts already
in the locale's format.
"""

from __future__ import annotations

# English → (pt-BR, es-MX)
CASH: dict[str, tuple[str, str]] = {
    # the candidate and its installments
    "To apply": ("A baixar", "A aplicar"),
    "Late charges": ("Encargos", "Recargos"),
    "Why it was suggested": ("Por que foi sugerido", "Por qué se sugirió"),
    "no longer open": ("não está mais em aberto", "ya no está pendiente"),
    "an installment that no longer exists": (
        "uma parcela que não existe mais",
        "una parcialidad que ya no existe",
    ),
    "unknown customer": ("cliente desconhecido", "cliente desconocido"),
    # each signal's name
    "nosso número": ("nosso número", "número bancario"),
    "PIX txid": ("txid do PIX", "txid"),
    "PIX end-to-end id": ("id fim a fim", "id de extremo a extremo"),
    "document number": ("número do documento", "número de documento"),
    "invoice number": ("número da fatura", "número de factura"),
    "number with one typo": ("número com um dígito trocado", "número con un error de dígito"),
    "payer's tax id": ("CNPJ/CPF do pagador", "RFC del pagador"),
    "same group (CNPJ root)": ("mesmo grupo (raiz do CNPJ)", "mismo grupo empresarial"),
    "payer's account": ("conta do pagador", "cuenta del pagador"),
    "payer's name": ("nome do pagador", "nombre del pagador"),
    "payer's history": ("histórico do pagador", "historial del pagador"),
    "exact amount": ("valor exato", "importe exacto"),
    "amount with late charges": ("valor com encargos", "importe con recargos"),
    "amount with discount": ("valor com desconto", "importe con descuento"),
    "amount within tolerance": ("valor dentro da tolerância", "importe dentro de la tolerancia"),
    "sum of installments": ("soma de parcelas", "suma de parcialidades"),
    "oldest first": ("mais antigas primeiro", "más antiguas primero"),
    "installment order": ("ordem das parcelas", "orden de las parcialidades"),
    "close dates": ("datas próximas", "fechas cercanas"),
    "paid short": ("pagamento a menor", "pago de menos"),
    "paid over": ("pagamento a maior", "pago de más"),
    "possible duplicate": ("possível duplicidade", "posible duplicado"),
    # a signal's weight, in the line's tooltip
    "{share} confidence on its own": (
        "sozinho, daria {share} de confiança",
        "por sí solo daría {share} de confianza",
    ),
    "a point against: it adds no confidence": (
        "um ponto contra: não soma confiança",
        "un punto en contra: no suma confianza",
    ),
    # identity
    "the credit carries nosso número {reference}": (
        "o crédito traz o nosso número {reference}",
        "el abono trae la referencia bancaria {reference}",
    ),
    "the credit carries the PIX id {id}": (
        "o crédito traz o identificador PIX {id}",
        "el abono trae el identificador PIX {id}",
    ),
    "{key} appears in “{remittance}”": ("{key} aparece em “{remittance}”", "{key} aparece en “{remittance}”"),
    "{key} is one character away from {near}": (
        "{key} difere de {near} em um caractere",
        "{key} difiere de {near} en un carácter",
    ),
    "the payer {tax_id} is this customer": (
        "o pagador {tax_id} é este cliente",
        "el pagador {tax_id} es este cliente",
    ),
    "the payer {tax_id} shares the CNPJ root {root} with this customer": (
        "o pagador {tax_id} tem a mesma raiz de CNPJ deste cliente ({root})",
        "el pagador {tax_id} comparte con este cliente la raíz de CNPJ {root}",
    ),
    "the payer's account {account} is on file for this customer": (
        "a conta {account} do pagador está no cadastro deste cliente",
        "la cuenta {account} del pagador está registrada para este cliente",
    ),
    "the payer's name “{name}” matches this customer": (
        "o nome do pagador, “{name}”, corresponde a este cliente",
        "el nombre del pagador, “{name}”, corresponde a este cliente",
    ),
    "this payer paid for this customer once before": (
        "este pagador já pagou por este cliente uma vez",
        "este pagador ya pagó por este cliente una vez",
    ),
    "this payer paid for this customer {times} times before": (
        "este pagador já pagou por este cliente {times} vezes",
        "este pagador ya pagó por este cliente {times} veces",
    ),
    # amount
    "{amount} equals the open amount": (
        "{amount} é exatamente o saldo em aberto",
        "{amount} es exactamente el saldo pendiente",
    ),
    "{amount} equals the open amounts of the {count} installments": (
        "{amount} é exatamente a soma dos saldos das {count} parcelas",
        "{amount} es exactamente la suma de los saldos de las {count} parcialidades",
    ),
    "{amount} matches {expected}: the open amount plus late charges": (
        "{amount} confere com {expected}: o saldo mais multa e juros",
        "{amount} coincide con {expected}: el saldo más recargos",
    ),
    "{amount} matches {expected}: the open amounts of the {count} installments plus late charges": (
        "{amount} confere com {expected}: os saldos das {count} parcelas mais multa e juros",
        "{amount} coincide con {expected}: los saldos de las {count} parcialidades más recargos",
    ),
    "{amount} matches {expected}: the open amount less the early-payment discount": (
        "{amount} confere com {expected}: o saldo menos o desconto por antecipação",
        "{amount} coincide con {expected}: el saldo menos el descuento por pronto pago",
    ),
    "{amount} matches {expected}: the open amounts of the {count} installments less the early-payment discount": (
        "{amount} confere com {expected}: os saldos das {count} parcelas menos o desconto por antecipação",
        "{amount} coincide con {expected}: los saldos de las {count} parcialidades menos el descuento "
        "por pronto pago",
    ),
    "{amount} equals the open amount plus late charges": (
        "{amount} é exatamente o saldo mais multa e juros",
        "{amount} es exactamente el saldo más recargos",
    ),
    "{amount} equals the open amounts of the {count} installments plus late charges": (
        "{amount} é exatamente a soma dos saldos das {count} parcelas mais multa e juros",
        "{amount} es exactamente la suma de los saldos de las {count} parcialidades más recargos",
    ),
    "{amount} equals the open amount less the early-payment discount": (
        "{amount} é exatamente o saldo menos o desconto por antecipação",
        "{amount} es exactamente el saldo menos el descuento por pronto pago",
    ),
    "{amount} equals the open amounts of the {count} installments less the early-payment discount": (
        "{amount} é exatamente a soma dos saldos das {count} parcelas menos o desconto por antecipação",
        "{amount} es exactamente la suma de los saldos de las {count} parcialidades menos el descuento "
        "por pronto pago",
    ),
    "{amount} is within the tolerance of {expected}": (
        "{amount} está dentro da tolerância de {expected}",
        "{amount} está dentro de la tolerancia de {expected}",
    ),
    "{amount} is {difference} short of {target}": (
        "{amount} fica {difference} abaixo de {target}",
        "a {amount} le faltan {difference} para {target}",
    ),
    "{amount} is {difference} more than {target}": (
        "{amount} passa {difference} de {target}",
        "{amount} excede en {difference} a {target}",
    ),
    # order and time
    "the customer's oldest open installment": (
        "a parcela em aberto mais antiga do cliente",
        "la parcialidad pendiente más antigua del cliente",
    ),
    "the customer's oldest open installments": (
        "as parcelas em aberto mais antigas do cliente",
        "las parcialidades pendientes más antiguas del cliente",
    ),
    "no earlier installment of the same invoice is left open": (
        "nenhuma parcela anterior da mesma fatura fica em aberto",
        "ninguna parcialidad anterior de la misma factura queda pendiente",
    ),
    "paid on the due date": ("pago no dia do vencimento", "pagado el día del vencimiento"),
    "paid 1 day from the due date": ("pago a 1 dia do vencimento", "pagado a 1 día del vencimiento"),
    "paid {days} days from the due date": (
        "pago a {days} dias do vencimento",
        "pagado a {days} días del vencimiento",
    ),
    # against
    "a credit of {amount} with the same references arrived on {date}": (
        "um crédito de {amount} com as mesmas referências chegou em {date}",
        "un abono de {amount} con las mismas referencias llegó el {date}",
    ),
}
