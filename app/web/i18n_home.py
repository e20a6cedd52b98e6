"""Home page texts in pt-BR and es-MX, keyed by the English text (see ``i18n``)."""

from __future__ import annotations

HOME: dict[str, tuple[str, str]] = {
    "Figures": ("Números", "Cifras"),
    "Sum of the open balance of every invoice that is open or partially paid.": (
        "Soma do saldo em aberto de toda fatura em aberto ou paga em parte.",
        "Suma del saldo abierto de cada factura abierta o pagada en parte.",
    ),
    "Open balance of unpaid invoices whose due date is before today.": (
        "Saldo em aberto das faturas não pagas com vencimento antes de hoje.",
        "Saldo abierto de las facturas impagas con vencimiento anterior a hoy.",
    ),
    "Customers whose status is blocked.": (
        "Clientes com situação bloqueada.",
        "Clientes con estado bloqueado.",
    ),
    "Unpaid invoices due from today to {until}.": (
        "Faturas não pagas que vencem de hoje até {until}.",
        "Facturas impagas que vencen de hoy al {until}.",
    ),
    "DSO": ("PMR (DSO)", "DSO"),
    "Cash waiting for you": ("Dinheiro esperando por você", "Dinero que espera por usted"),
    "To review in cash application": ("A revisar na conciliação", "Por revisar en la conciliación"),
    "Correction queue": ("Fila de correção", "Cola de corrección"),
    "Unapplied cash": ("Recebimentos não baixados", "Cobros sin aplicar"),
    "Received today": ("Recebido hoje", "Cobrado hoy"),
    "payments": ("pagamentos", "pagos"),
    "Queue clear: every bank record is applied or decided.": (
        "Fila limpa: todo registro bancário foi baixado ou decidido.",
        "Cola vacía: cada registro bancario está aplicado o decidido.",
    ),
    "Statement credits the matcher was not sure enough to apply: confirm a suggestion or split by hand.": (
        "Créditos do extrato que o motor não baixou sozinho: confirme uma sugestão ou divida à mão.",
        "Abonos del estado de cuenta que el motor no aplicó solo: confirme una sugerencia o divida a mano.",
    ),
    "Bank records that could not be applied (unknown nosso número, amount mismatch, unknown account): fix or dismiss.": (
        "Registros bancários que não puderam ser baixados (nosso número desconhecido, valor divergente, "
        "conta desconhecida): corrija ou descarte.",
        "Registros bancarios que no se pudieron aplicar (referencia desconocida, importe distinto, "
        "cuenta desconocida): corrija o descarte.",
    ),
    "Money received and not yet allocated to installments: the customers' credit.": (
        "Dinheiro recebido e ainda não baixado em parcelas: crédito dos clientes.",
        "Dinero cobrado aún no aplicado a parcialidades: saldo a favor de los clientes.",
    ),
    "Payments whose value date is today, from every source.": (
        "Pagamentos com data de crédito hoje, de todas as origens.",
        "Pagos con fecha valor de hoy, de todos los orígenes.",
    ),
    "Collection health": ("Saúde da cobrança", "Salud de la cobranza"),
    "days": ("dias", "días"),
    "last {days} days of sales": ("últimos {days} dias de vendas", "últimos {days} días de ventas"),
    "Days sales outstanding: open receivables divided by the last {days} days of invoicing, times {days}.": (
        "Prazo médio de recebimento (DSO): contas a receber em aberto divididas pelo faturamento dos "
        "últimos {days} dias, vezes {days}.",
        "Días de cartera (DSO): cuentas por cobrar abiertas entre la facturación de los últimos {days} "
        "días, por {days}.",
    ),
    "At risk ({days}+ days)": ("Em risco ({days}+ dias)", "En riesgo ({days}+ días)"),
    "Open balance of installments {days} or more days late.": (
        "Saldo em aberto das parcelas com {days} ou mais dias de atraso.",
        "Saldo abierto de las parcialidades con {days} o más días de atraso.",
    ),
    "Credit notes, adjustments and write-offs above the approval threshold, waiting for a second person.": (
        "Notas de crédito, ajustes e baixas por perda acima do limite de aprovação, aguardando uma segunda "
        "pessoa.",
        "Notas de crédito, ajustes y castigos sobre el umbral de aprobación, en espera de una segunda persona.",
    ),
    "Nothing is owed to you yet.": ("Ainda não há nada a receber.", "Todavía no hay nada por cobrar."),
    "Register customers and their invoices — by hand, through the API, or by import — and this page will "
    "tell you what to chase first.": (
        "Cadastre clientes e faturas — à mão, pela API ou por importação — e esta página dirá o que cobrar "
        "primeiro.",
        "Registre clientes y facturas — a mano, por la API o por importación — y esta página le dirá qué "
        "cobrar primero.",
    ),
    "Your role has no receivables figures. Use the menu above.": (
        "Seu papel não tem números de contas a receber. Use o menu acima.",
        "Su rol no tiene cifras de cuentas por cobrar. Use el menú de arriba.",
    ),
}
