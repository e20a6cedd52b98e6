"""UI texts of the report pages in pt-BR and es-MX: aging, the sales and finance
reports, the mailbox, the report e-mail settings and the webhooks admin. Keyed by the
English text, like ``i18n.CATALOGUE``; ``{name}`` places are filled after translating."""

from __future__ import annotations

# English → (pt-BR, es-MX)
REPORTS: dict[str, tuple[str, str]] = {
    # aging
    "Aging": ("Aging (vencimentos por faixa)", "Antigüedad de saldos"),
    "As of": ("Posição em", "Al"),
    "Group by": ("Agrupar por", "Agrupar por"),
    "No grouping": ("Sem agrupamento", "Sin agrupar"),
    "Bucket": ("Faixa", "Rango"),
    "current": ("a vencer", "por vencer"),
    "maintained": ("saldo mantido", "saldo mantenido"),
    "ledger": ("pelo razão", "por el mayor"),
    "maintained: open amounts kept with every ledger entry; ledger: entries effective on or before the date": (
        "saldo mantido: saldos atualizados a cada lançamento; pelo razão: lançamentos com data "
        "efetiva até a data",
        "saldo mantenido: saldos actualizados con cada movimiento; por el mayor: movimientos con "
        "fecha efectiva hasta la fecha",
    ),
    "Nothing open as of this date.": ("Nada em aberto nesta data.", "Nada pendiente a esta fecha."),
    "Nothing open in this cell.": ("Nada em aberto nesta célula.", "Nada pendiente en esta celda."),
    "Showing the first rows; export for all.": (
        "Mostrando as primeiras linhas; exporte para ver todas.",
        "Se muestran las primeras filas; exporte para verlas todas.",
    ),
    # reports
    "Overdue by sales rep": ("Vencidos por vendedor", "Vencido por vendedor"),
    "Overdue invoices by sales rep": ("Faturas vencidas por vendedor", "Facturas vencidas por vendedor"),
    "Inactive customers": ("Clientes inativos", "Clientes inactivos"),
    "Cash receipts": ("Recebimentos", "Cobros"),
    "Daily cash receipts": ("Recebimentos do dia", "Cobros del día"),
    "Each rep’s customers with installments past due on {day}. Every morning each rep gets their own list by e-mail.": (
        "Os clientes de cada vendedor com parcelas vencidas em {day}. Toda manhã cada vendedor "
        "recebe a sua lista por e-mail.",
        "Los clientes de cada vendedor con parcialidades vencidas al {day}. Cada mañana cada "
        "vendedor recibe su lista por correo.",
    ),
    "Queue clear — nothing is overdue.": ("Fila limpa — nada vencido.", "Cola despejada — nada vencido."),
    "No customer has an installment past due on {day}.": (
        "Nenhum cliente tem parcela vencida em {day}.",
        "Ningún cliente tiene parcialidades vencidas al {day}.",
    ),
    "Sales reps": ("Vendedores", "Vendedores"),
    "Oldest (days)": ("Mais antiga (dias)", "Más antigua (días)"),
    "No sales rep": ("Sem vendedor", "Sin vendedor"),
    "All reps": ("Todos os vendedores", "Todos los vendedores"),
    "No overdue customers for this rep.": (
        "Nenhum cliente vencido para este vendedor.",
        "Ningún cliente vencido para este vendedor.",
    ),
    "Payments with value date {day}, by bank account and method, with what each paid and what stayed unapplied. Finance receives it every morning.": (
        "Pagamentos com data de crédito em {day}, por conta bancária e forma, com o que cada um "
        "quitou e o que ficou sem baixa. O Financeiro recebe todas as manhãs.",
        "Pagos con fecha valor {day}, por cuenta bancaria y medio, con lo que cada uno pagó y lo "
        "que quedó sin aplicar. Finanzas lo recibe cada mañana.",
    ),
    "Previous day": ("Dia anterior", "Día anterior"),
    "Next day": ("Dia seguinte", "Día siguiente"),
    "Value date": ("Data de crédito", "Fecha valor"),
    "Method": ("Forma", "Medio"),
    "bank_return": ("retorno bancário", "respuesta bancaria"),
    "statement": ("extrato", "estado de cuenta"),
    "pix": ("PIX", "PIX"),
    "manual": ("manual", "manual"),
    "stripe": ("cartão (Stripe)", "tarjeta (Stripe)"),
    "No payments were received on this day.": (
        "Nenhum recebimento neste dia.",
        "No se recibieron pagos este día.",
    ),
    "Bank return files, statements and PIX receipts land here once processed.": (
        "Retornos bancários, extratos e recebimentos PIX aparecem aqui depois de processados.",
        "Las respuestas bancarias, los estados de cuenta y los cobros PIX aparecen aquí una vez procesados.",
    ),
    "See the day before": ("Ver o dia anterior", "Ver el día anterior"),
    "By bank account and method": ("Por conta bancária e forma", "Por cuenta bancaria y medio"),
    "Bank account": ("Conta bancária", "Cuenta bancaria"),
    "Payments": ("Pagamentos", "Pagos"),
    "Payment": ("Pagamento", "Pago"),
    "Received": ("Recebido", "Recibido"),
    "Allocated": ("Baixado", "Aplicado"),
    "Unapplied": ("Não baixado", "No aplicado"),
    "Account unknown": ("Conta não identificada", "Cuenta no identificada"),
    "Payer": ("Pagador", "Pagador"),
    "Allocations": ("Baixas", "Aplicaciones"),
    "Refunded": ("Devolvido", "Reembolsado"),
    "Inactive customers: upcoming and overdue": (
        "Clientes inativos: a vencer e vencidos",
        "Clientes inactivos: por vencer y vencidos",
    ),
    "Open installments of customers that are inactive, suspended or blocked, overdue or due within the window — so the sales team can act.": (
        "Parcelas em aberto de clientes inativos, suspensos ou bloqueados, vencidas ou a vencer "
        "no período — para a equipe de vendas agir.",
        "Parcialidades pendientes de clientes inactivos, suspendidos o bloqueados, vencidas o por "
        "vencer en el periodo — para que el equipo de ventas actúe.",
    ),
    "Upcoming days": ("Dias à frente", "Días por delante"),
    "Upcoming": ("A vencer", "Por vencer"),
    "until": ("até", "hasta"),
    "Open amount of installments due before {day}.": (
        "Saldo das parcelas vencidas antes de {day}.",
        "Saldo de las parcialidades vencidas antes del {day}.",
    ),
    "Open amount due from {start} to {end}.": (
        "Saldo a vencer de {start} a {end}.",
        "Saldo por vencer del {start} al {end}.",
    ),
    "No inactive customer owes anything in this window.": (
        "Nenhum cliente inativo deve algo neste período.",
        "Ningún cliente inactivo debe nada en este periodo.",
    ),
    "Nothing for the sales team here. Widen the window or look at the overdue list.": (
        "Nada para a equipe de vendas aqui. Amplie o período ou veja a lista de vencidos.",
        "Nada para el equipo de ventas aquí. Amplíe el periodo o vea la lista de vencidos.",
    ),
    "Sent": ("Enviados", "Enviados"),
    "not sent (no address)": ("não enviados (sem endereço)", "no enviados (sin dirección)"),
    "See the mailbox": ("Ver a caixa de e-mails", "Ver el buzón"),
    "due in": ("vence em", "vence en"),
    # mailbox
    "No messages yet.": ("Ainda não há mensagens.", "Aún no hay mensajes."),
    "Report e-mails (overdue lists to sales reps, daily cash receipts to Finance) appear here after their morning run, or when someone presses “Send now” on a report.": (
        "Os e-mails de relatório (vencidos para os vendedores, recebimentos do dia para o "
        "Financeiro) aparecem aqui depois do envio da manhã, ou quando alguém clica em “Enviar "
        "agora” num relatório.",
        "Los correos de reportes (vencidos a los vendedores, cobros del día a Finanzas) aparecen "
        "aquí después del envío de la mañana, o cuando alguien pulsa “Enviar ahora” en un reporte.",
    ),
    "Subject": ("Assunto", "Asunto"),
    "Newest": ("Mais recentes", "Más recientes"),
    "Older": ("Mais antigas", "Anteriores"),
    "No SMTP server is configured (COBALTO_SMTP_URL): messages are kept here instead of being sent.": (
        "Nenhum servidor SMTP configurado (COBALTO_SMTP_URL): as mensagens ficam guardadas aqui "
        "em vez de serem enviadas.",
        "No hay servidor SMTP configurado (COBALTO_SMTP_URL): los mensajes se guardan aquí en "
        "lugar de enviarse.",
    ),
    "Every message sent for this organisation, with its delivery status.": (
        "Todas as mensagens enviadas por esta organização, com a situação da entrega.",
        "Todos los mensajes enviados por esta organización, con su estado de entrega.",
    ),
    "sent": ("enviado", "enviado"),
    "delivered": ("entregue", "entregado"),
    "bounced": ("devolvido", "rebotado"),
    "Attachments": ("Anexos", "Adjuntos"),
    "Message": ("Mensagem", "Mensaje"),
    "As the recipient sees it": ("Como o destinatário vê", "Como lo ve el destinatario"),
    "Text": ("Texto", "Texto"),
    "report.overdue_by_rep": ("relatório de vencidos por vendedor", "reporte de vencidos por vendedor"),
    "report.cash_receipts": ("relatório de recebimentos do dia", "reporte de cobros del día"),
    # report e-mail settings
    "Report e-mails": ("E-mails de relatórios", "Correos de reportes"),
    "overdue_by_rep": ("Vencidos por vendedor", "Vencido por vendedor"),
    "cash_receipts": ("Recebimentos do dia", "Cobros del día"),
    "Who receives the scheduled reports, and when. Times are in the organisation's time zone ({tz}).": (
        "Quem recebe os relatórios agendados, e quando. Os horários seguem o fuso da organização ({tz}).",
        "Quién recibe los reportes programados, y cuándo. Las horas siguen la zona horaria de la "
        "organización ({tz}).",
    ),
    "Send scheduled report e-mails": (
        "Enviar os e-mails de relatórios agendados",
        "Enviar los correos de reportes programados",
    ),
    "When off, no report is e-mailed on schedule; “Send now” still works.": (
        "Desligado, nenhum relatório é enviado no horário; “Enviar agora” continua funcionando.",
        "Apagado, no se envía ningún reporte a su hora; “Enviar ahora” sigue funcionando.",
    ),
    "On": ("Ligado", "Activado"),
    "Send at": ("Enviar às", "Enviar a las"),
    "Each sales rep receives the overdue installments of their own customers.": (
        "Cada vendedor recebe as parcelas vencidas dos seus próprios clientes.",
        "Cada vendedor recibe las parcialidades vencidas de sus propios clientes.",
    ),
    "Finance receives the payments of the day before.": (
        "O Financeiro recebe os pagamentos do dia anterior.",
        "Finanzas recibe los pagos del día anterior.",
    ),
    "Finance recipients": ("Destinatários do Financeiro", "Destinatarios de Finanzas"),
    "One address per line. Empty: every active user with the finance role.": (
        "Um endereço por linha. Em branco: todos os usuários ativos com o papel financeiro.",
        "Una dirección por línea. Vacío: todos los usuarios activos con el rol de finanzas.",
    ),
    "Sales reps' addresses": ("E-mails dos vendedores", "Correos de los vendedores"),
    "One line per rep: the name as it appears on customers, then the address. Reps not listed are found among the users by name.": (
        "Uma linha por vendedor: o nome como aparece nos clientes e depois o endereço. Vendedores "
        "fora da lista são procurados entre os usuários pelo nome.",
        "Una línea por vendedor: el nombre como aparece en los clientes y luego la dirección. Los "
        "vendedores que no estén en la lista se buscan entre los usuarios por nombre.",
    ),
    "Catch-up days": ("Dias de recuperação", "Días de recuperación"),
    "After downtime, missed days are sent up to this many days back (1 to 31).": (
        "Depois de uma parada, os dias perdidos são enviados até este número de dias para trás (1 a 31).",
        "Tras una interrupción, los días perdidos se envían hasta este número de días atrás (1 a 31).",
    ),
    "Save settings": ("Salvar configurações", "Guardar configuración"),
    "Settings saved.": ("Configurações salvas.", "Configuración guardada."),
    "Nothing changed.": ("Nada mudou.", "No cambió nada."),
    "Enter a time as HH:MM.": ("Informe um horário como HH:MM.", "Escriba una hora como HH:MM."),
    "Not an e-mail address: {value}": ("Não é um e-mail: {value}", "No es un correo: {value}"),
    "Write each rep as “Name = address”: {value}": (
        "Escreva cada vendedor como “Nome = endereço”: {value}",
        "Escriba cada vendedor como “Nombre = dirección”: {value}",
    ),
    "Enter a whole number from 1 to 31.": (
        "Informe um número inteiro de 1 a 31.",
        "Escriba un número entero de 1 a 31.",
    ),
    "At most {count} addresses.": ("No máximo {count} endereços.", "Como máximo {count} direcciones."),
    # webhooks (admin)
    "New endpoint": ("Novo endpoint", "Nuevo endpoint"),
    "Failing": ("Com falha", "Con fallas"),
    "Endpoint created": ("Endpoint criado", "Endpoint creado"),
    "Signing secret": ("Segredo de assinatura", "Secreto de firma"),
    "Events": ("Eventos", "Eventos"),
    "Event": ("Evento", "Evento"),
    "Delivery log": ("Registro de entregas", "Registro de entregas"),
    "Attempts": ("Tentativas", "Intentos"),
    "Last answer": ("Última resposta", "Última respuesta"),
    "Replay": ("Reenviar", "Reenviar"),
    "Enable": ("Ativar", "Activar"),
    "Disable": ("Desativar", "Desactivar"),
    "Enabled": ("Ativo", "Activo"),
    "Disabled": ("Desativado", "Desactivado"),
    "Delete": ("Excluir", "Eliminar"),
    # aging: chart and the top groups
    "Open amount by bucket": ("Saldo em aberto por faixa", "Saldo abierto por tramo"),
    "{n} more groups, smaller than these; the totals below include them.": (
        "Mais {n} grupos, menores que estes; os totais abaixo os incluem.",
        "{n} grupos más, menores que estos; los totales de abajo los incluyen.",
    ),
    "Show all": ("Mostrar todos", "Mostrar todos"),
    "Result": ("Resultado", "Resultado"),
    "agree": ("conferem", "coinciden"),
}
