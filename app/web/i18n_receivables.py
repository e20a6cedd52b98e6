"""UI texts of the receivables pages in pt-BR and es-MX: bank files, correction queue,
cash application, aging, the sales and finance reports, the mailbox, imports and the
report e-mail settings. Keyed by the English text, like ``i18n.CATALOGUE``; ``{name}``
places are filled after translating."""

from __future__ import annotations

# English → (pt-BR, es-MX)
RECEIVABLES: dict[str, tuple[str, str]] = {
    # navigation and the shortcut help
    "Main": ("Principal", "Principal"),
    "Reports": ("Relatórios", "Reportes"),
    "Import": ("Importar", "Importar"),
    "Mailbox": ("Caixa de e-mails", "Buzón"),
    "Show this help": ("Mostrar esta ajuda", "Mostrar esta ayuda"),
    "Move down / up the list": ("Descer / subir na lista", "Bajar / subir en la lista"),
    "Open the selected row": ("Abrir a linha selecionada", "Abrir la fila seleccionada"),
    "Create (customer, invoice…)": ("Criar (cliente, fatura…)", "Crear (cliente, factura…)"),
    "Edit the record on screen": ("Editar o registro na tela", "Editar el registro en pantalla"),
    "Go to Home / Customers / Invoices": (
        "Ir para Início / Clientes / Faturas",
        "Ir a Inicio / Clientes / Facturas",
    ),
    "Submit the form": ("Enviar o formulário", "Enviar el formulario"),
    "Close / leave the field": ("Fechar / sair do campo", "Cerrar / salir del campo"),
    # shared words of the lists and uploads
    "File": ("Arquivo", "Archivo"),
    "Kind": ("Tipo", "Tipo"),
    "Upload": ("Envio", "Carga"),
    "Progress": ("Andamento", "Avance"),
    "Line": ("Linha", "Línea"),
    "line": ("linha", "línea"),
    "lines": ("linhas", "líneas"),
    "Field": ("Campo", "Campo"),
    "Reason": ("Motivo", "Motivo"),
    "Errors": ("Erros", "Errores"),
    "Date": ("Data", "Fecha"),
    "Open": ("Em aberto", "Pendiente"),
    "Due": ("Vencimento", "Vencimiento"),
    "Installment": ("Parcela", "Parcialidad"),
    "Installments": ("Parcelas", "Parcialidades"),
    "Rejected": ("Rejeitados", "Rechazados"),
    "None": ("Nenhum", "Ninguno"),
    "Totals": ("Totais", "Totales"),
    "First page": ("Primeira página", "Primera página"),
    "Export XLSX": ("Exportar XLSX", "Exportar XLSX"),
    "Send now": ("Enviar agora", "Enviar ahora"),
    "no date": ("sem data", "sin fecha"),
    # bank files (UX §5)
    "Bank files": ("Arquivos bancários", "Archivos bancarios"),
    "Bank returns (CNAB 240/400) and statements (camt.053/054, OFX, MT940, BAI2, CSV). The same file twice is refused; large files are processed in the background.": (
        "Retornos bancários (CNAB 240/400) e extratos (camt.053/054, OFX, MT940, BAI2, CSV). "
        "O mesmo arquivo não é aceito duas vezes; arquivos grandes são processados em segundo plano.",
        "Archivos de respuesta bancaria (CNAB 240/400) y estados de cuenta (camt.053/054, OFX, MT940, "
        "BAI2, CSV). El mismo archivo no se acepta dos veces; los archivos grandes se procesan en "
        "segundo plano.",
    ),
    "Correction queue": ("Fila de correção", "Cola de corrección"),
    "Cash application": ("Conciliação de recebimentos", "Aplicación de cobros"),
    "Upload and process": ("Enviar e processar", "Cargar y procesar"),
    "Open the earlier upload": ("Abrir o envio anterior", "Abrir la carga anterior"),
    "Uploads": ("Envios", "Cargas"),
    "No bank files yet.": ("Ainda não há arquivos bancários.", "Aún no hay archivos bancarios."),
    "Upload a bank return or a statement: its result and the items that need you are listed here.": (
        "Envie um retorno ou um extrato: o resultado e os itens que precisam de você aparecem aqui.",
        "Cargue una respuesta bancaria o un estado de cuenta: su resultado y lo que requiere su "
        "atención aparecen aquí.",
    ),
    "Records": ("Registros", "Registros"),
    "records": ("registros", "registros"),
    "Applied": ("Baixados", "Aplicados"),
    "Needs attention": ("Precisa de atenção", "Requiere atención"),
    "bank": ("banco", "banco"),
    "uploaded by": ("enviado por", "cargado por"),
    "Choose a bank return or statement file.": (
        "Escolha um arquivo de retorno ou de extrato.",
        "Elija un archivo de respuesta bancaria o de estado de cuenta.",
    ),
    "This file was already uploaded as {filename} on {when}.": (
        "Este arquivo já foi enviado como {filename} em {when}.",
        "Este archivo ya se cargó como {filename} el {when}.",
    ),
    "Titles parsed": ("Títulos lidos", "Títulos leídos"),
    "Settled": ("Liquidados", "Liquidados"),
    "Auto-matched": ("Conciliados automaticamente", "Conciliados automáticamente"),
    "To review": ("Para revisar", "Por revisar"),
    "In the correction queue": ("Na fila de correção", "En la cola de corrección"),
    "Rejected by the bank": ("Rejeitados pelo banco", "Rechazados por el banco"),
    "Duplicates skipped": ("Duplicados ignorados", "Duplicados omitidos"),
    "Trailer vs details": ("Trailer x detalhes", "Totales del archivo vs. detalle"),
    "mismatch": ("divergente", "no coincide"),
    "Opening / closing balance": ("Saldo inicial / final", "Saldo inicial / final"),
    "The file is not valid: nothing was applied. It is kept as uploaded.": (
        "O arquivo não é válido: nada foi baixado. Ele fica guardado como foi enviado.",
        "El archivo no es válido: no se aplicó nada. Se conserva tal como se cargó.",
    ),
    "Open the correction queue": ("Abrir a fila de correção", "Abrir la cola de corrección"),
    "Open cash application": ("Abrir a conciliação", "Abrir la aplicación de cobros"),
    "You can leave this page: processing goes on, and this address shows its result.": (
        "Você pode sair desta página: o processamento continua, e este endereço mostra o resultado.",
        "Puede salir de esta página: el procesamiento continúa y esta dirección muestra el resultado.",
    ),
    # bank-file and record statuses
    "received": ("recebido", "recibido"),
    "processing": ("processando", "procesando"),
    "processed": ("processado", "procesado"),
    "invalid": ("inválido", "inválido"),
    "failed": ("falhou", "falló"),
    "queued": ("na fila", "en cola"),
    "review": ("em revisão", "en revisión"),
    "skipped": ("adiado", "omitido"),
    "applied": ("baixado", "aplicado"),
    "dismissed": ("descartado", "descartado"),
    "rejected": ("rejeitado", "rechazado"),
    "duplicate": ("duplicado", "duplicado"),
    "settled": ("liquidado", "liquidado"),
    # correction queue
    "Records that could not be applied. Fix the cause, then the record is reprocessed.": (
        "Registros que não puderam ser baixados. Corrija a causa e o registro é reprocessado.",
        "Registros que no se pudieron aplicar. Corrija la causa y el registro se vuelve a procesar.",
    ),
    "Nothing waits for a correction.": ("Nada aguarda correção.", "Nada espera corrección."),
    "Suggested fix": ("Correção sugerida", "Corrección sugerida"),
    "Installment id": ("Id da parcela", "Id de la parcialidad"),
    "or customer id": ("ou id do cliente", "o id del cliente"),
    "or bank account id": ("ou id da conta bancária", "o id de la cuenta bancaria"),
    "Assign": ("Atribuir", "Asignar"),
    "Dismiss": ("Descartar", "Descartar"),
    "Retry": ("Tentar de novo", "Reintentar"),
    "unknown_account": ("conta desconhecida", "cuenta desconocida"),
    "unknown_nosso_numero": ("nosso número desconhecido", "referencia bancaria desconocida"),
    "amount_mismatch": ("valor divergente", "importe no coincide"),
    "unknown_occurrence": ("ocorrência desconhecida", "movimiento desconocido"),
    "currency_mismatch": ("moeda divergente", "moneda no coincide"),
    "unknown_txid": ("txid desconhecido", "txid desconocido"),
    "key_conflict": ("chave em conflito", "clave en conflicto"),
    "A payment with this record's key has another amount or date: check it, then dismiss.": (
        "Um pagamento com a chave deste registro tem outro valor ou data: confira e depois descarte.",
        "Un pago con la clave de este registro tiene otro importe o fecha: revíselo y luego descártelo.",
    ),
    "Register the bank account named in the file header (or assign one), then retry.": (
        "Cadastre a conta bancária indicada no header do arquivo (ou atribua uma) e tente de novo.",
        "Registre la cuenta bancaria indicada en el encabezado del archivo (o asigne una) y reintente.",
    ),
    "Assign the record to the installment it pays, or dismiss it if it is not ours.": (
        "Atribua o registro à parcela que ele paga, ou descarte-o se não for nosso.",
        "Asigne el registro a la parcialidad que paga, o descártelo si no es nuestro.",
    ),
    "Check the title's face value; assign it to the installment to apply it anyway.": (
        "Confira o valor de face do título; atribua-o à parcela para baixá-lo mesmo assim.",
        "Revise el valor nominal del título; asígnelo a la parcialidad para aplicarlo de todos modos.",
    ),
    "The bank used an occurrence code we do not know: dismiss it or retry once mapped.": (
        "O banco usou um código de ocorrência que não conhecemos: descarte ou tente de novo "
        "depois de mapeá-lo.",
        "El banco usó un código de movimiento que no conocemos: descártelo o reintente una vez mapeado.",
    ),
    "The amount is not in the installment's currency: dismiss it.": (
        "O valor não está na moeda da parcela: descarte-o.",
        "El importe no está en la moneda de la parcialidad: descártelo.",
    ),
    "Assign the receipt to the installment it pays, or to the customer's account.": (
        "Atribua o recebimento à parcela que ele paga, ou à conta do cliente.",
        "Asigne el cobro a la parcialidad que paga, o a la cuenta del cliente.",
    ),
    # cash application (UX §6)
    "Credits the engine would not apply alone.": (
        "Créditos que o motor não baixaria sozinho.",
        "Abonos que el motor no aplicaría por sí solo.",
    ),
    "approves the best candidate": ("aprova o melhor candidato", "aprueba el mejor candidato"),
    "skips the line": ("adia a linha", "omite la línea"),
    "No credit waits for review.": ("Nenhum crédito aguarda revisão.", "Ningún abono espera revisión."),
    "Unapplied lines": ("Linhas não baixadas", "Líneas sin aplicar"),
    "Payer / reference": ("Pagador / referência", "Pagador / referencia"),
    "Suggestions": ("Sugestões", "Sugerencias"),
    "Candidates": ("Candidatos", "Candidatos"),
    "Candidate": ("Candidato", "Candidato"),
    "confidence": ("confiança", "confianza"),
    "left as credit": ("fica como crédito", "queda como saldo a favor"),
    "Approve": ("Aprovar", "Aprobar"),
    "Skip": ("Adiar", "Omitir"),
    "No candidate: apply it from the API with explicit allocations, or to a customer account.": (
        "Nenhum candidato: baixe pela API com alocações explícitas, ou na conta de um cliente.",
        "Sin candidatos: aplíquelo desde la API con asignaciones explícitas, o a la cuenta de un cliente.",
    ),
    "bank_reference": ("nosso número", "referencia bancaria"),
    "txid": ("txid do PIX", "txid"),
    "end_to_end_id": ("id fim a fim", "id de extremo a extremo"),
    "document_number": ("número do documento", "número de documento"),
    "invoice_number": ("número da fatura", "número de factura"),
    "document_number_typo": ("número com um dígito trocado", "número con un error de dígito"),
    "payer_tax_id": ("CNPJ/CPF do pagador", "RFC del pagador"),
    "payer_group": ("mesmo grupo (raiz do CNPJ)", "mismo grupo empresarial"),
    "payer_account": ("conta do pagador", "cuenta del pagador"),
    "payer_name": ("nome do pagador", "nombre del pagador"),
    "payer_history": ("histórico do pagador", "historial del pagador"),
    "amount_exact": ("valor exato", "importe exacto"),
    "amount_with_late_charges": ("valor com encargos", "importe con recargos"),
    "amount_with_discount": ("valor com desconto", "importe con descuento"),
    "amount_within_tolerance": ("valor dentro da tolerância", "importe dentro de la tolerancia"),
    "subset_sum": ("soma de parcelas", "suma de parcialidades"),
    "oldest_first": ("mais antigas primeiro", "más antiguas primero"),
    "invoice_order": ("ordem das parcelas", "orden de las parcialidades"),
    "date_proximity": ("datas próximas", "fechas cercanas"),
    "short_payment": ("pagamento a menor", "pago de menos"),
    "overpayment": ("pagamento a maior", "pago de más"),
    "duplicate_suspect": ("possível duplicidade", "posible duplicado"),
    # imports
    "Imports": ("Importações", "Importaciones"),
    "New import": ("Nova importação", "Nueva importación"),
    "Import customers or invoices": ("Importar clientes ou faturas", "Importar clientes o facturas"),
    "A CSV (comma or semicolon, any common encoding) or an XLSX whose first row names the columns. Large files run in the background; you can leave the page and come back.": (
        "Um CSV (vírgula ou ponto e vírgula, qualquer codificação comum) ou um XLSX cuja primeira "
        "linha nomeia as colunas. Arquivos grandes rodam em segundo plano; você pode sair da página "
        "e voltar.",
        "Un CSV (coma o punto y coma, cualquier codificación común) o un XLSX cuya primera fila "
        "nombra las columnas. Los archivos grandes se procesan en segundo plano; puede salir de la "
        "página y volver.",
    ),
    "What the file holds": ("O que o arquivo contém", "Qué contiene el archivo"),
    "customers": ("clientes", "clientes"),
    "Rows with errors": ("Linhas com erro", "Filas con errores"),
    "All or nothing": ("Tudo ou nada", "Todo o nada"),
    "one bad row and nothing is written": (
        "uma linha errada e nada é gravado",
        "una fila con error y no se guarda nada",
    ),
    "Import the valid rows": ("Importar as linhas válidas", "Importar las filas válidas"),
    "bad rows are listed and skipped": (
        "as linhas erradas são listadas e ignoradas",
        "las filas con error se listan y se omiten",
    ),
    "Upload and import": ("Enviar e importar", "Cargar e importar"),
    "Recent imports": ("Importações recentes", "Importaciones recientes"),
    "No imports yet. Your first upload will be listed here with its result.": (
        "Ainda não há importações. O primeiro envio aparecerá aqui com o resultado.",
        "Aún no hay importaciones. La primera carga aparecerá aquí con su resultado.",
    ),
    "rows": ("linhas", "filas"),
    "Rejected rows": ("Linhas rejeitadas", "Filas rechazadas"),
    "Every row was imported.": ("Todas as linhas foram importadas.", "Se importaron todas las filas."),
    "Nothing was written: fix the rows below and upload the file again, or import the valid rows only.": (
        "Nada foi gravado: corrija as linhas abaixo e envie o arquivo de novo, ou importe só as "
        "linhas válidas.",
        "No se guardó nada: corrija las filas de abajo y cargue el archivo de nuevo, o importe solo "
        "las filas válidas.",
    ),
    "You can leave this page: the import goes on, and this address shows its result.": (
        "Você pode sair desta página: a importação continua, e este endereço mostra o resultado.",
        "Puede salir de esta página: la importación continúa y esta dirección muestra el resultado.",
    ),
    "pending": ("aguardando", "pendiente"),
    "running": ("em andamento", "en curso"),
    "completed": ("concluída", "terminada"),
    "Choose customers or invoices.": ("Escolha clientes ou faturas.", "Elija clientes o facturas."),
    "Choose how to treat rows with errors.": (
        "Escolha como tratar as linhas com erro.",
        "Elija cómo tratar las filas con errores.",
    ),
    "Choose a CSV or XLSX file.": ("Escolha um arquivo CSV ou XLSX.", "Elija un archivo CSV o XLSX."),
    "The file is larger than {mib} MiB.": (
        "O arquivo passa de {mib} MiB.",
        "El archivo supera los {mib} MiB.",
    ),
    "the upload is too large": ("o envio é grande demais", "la carga es demasiado grande"),
    "the file is empty": ("o arquivo está vazio", "el archivo está vacío"),
    "the file is not CSV or XLSX": ("o arquivo não é CSV nem XLSX", "el archivo no es CSV ni XLSX"),
    "old Excel (.xls) files are not supported: save as .xlsx or .csv": (
        "arquivos do Excel antigo (.xls) não são aceitos: salve como .xlsx ou .csv",
        "los archivos de Excel antiguo (.xls) no se aceptan: guarde como .xlsx o .csv",
    ),
    "send the file as multipart/form-data in a field named 'file'": (
        "envie o arquivo como multipart/form-data num campo chamado 'file'",
        "envíe el archivo como multipart/form-data en un campo llamado 'file'",
    ),
    "multipart boundary missing in Content-Type": (
        "falta o boundary do multipart no Content-Type",
        "falta el boundary del multipart en el Content-Type",
    ),
    "CPF check digits do not match": (
        "os dígitos verificadores do CPF não conferem",
        "los dígitos verificadores del CPF no coinciden",
    ),
    "CNPJ check digits do not match": (
        "os dígitos verificadores do CNPJ não conferem",
        "los dígitos verificadores del CNPJ no coinciden",
    ),
    "a Brazilian tax id is a CPF (11 digits) or a CNPJ (14 characters)": (
        "um documento brasileiro é um CPF (11 dígitos) ou um CNPJ (14 caracteres)",
        "un identificador fiscal brasileño es un CPF (11 dígitos) o un CNPJ (14 caracteres)",
    ),
    "not a valid RFC (e.g. ABC800101AB1)": (
        "RFC inválido (ex.: ABC800101AB1)",
        "RFC no válido (p. ej. ABC800101AB1)",
    ),
    "not a valid EIN (NN-NNNNNNN)": ("EIN inválido (NN-NNNNNNN)", "EIN no válido (NN-NNNNNNN)"),
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
