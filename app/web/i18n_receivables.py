"""UI texts of the cash pages in pt-BR and es-MX: navigation, bank files, correction
queue, cash application and imports. Keyed by the English text, like
``i18n.CATALOGUE``; ``{name}`` places are filled after translating. The report pages'
texts are in ``i18n_reports``."""

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
    "On this page": ("Nesta página", "En esta página"),
    "Pick the first result": ("Escolher o primeiro resultado", "Elegir el primer resultado"),
    "Search for the installment to assign": ("Buscar a parcela a atribuir", "Buscar la parcela a asignar"),
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
    # assigning by search (app/web/correction_queue_pages.py)
    "Assign to an installment or a customer": (
        "Atribuir a uma parcela ou a um cliente",
        "Asignar a una parcialidad o a un cliente",
    ),
    "Invoice, nosso número, customer, tax id or amount": (
        "Fatura, nosso número, cliente, CNPJ/CPF ou valor",
        "Factura, referencia bancaria, cliente, RFC o importe",
    ),
    "Enter picks the first result.": (
        "Enter escolhe o primeiro resultado.",
        "Enter elige el primer resultado.",
    ),
    "Type an invoice number, a nosso número, a customer name or tax id, or an amount.": (
        "Digite um número de fatura, um nosso número, o nome ou CNPJ/CPF de um cliente, ou um valor.",
        "Escriba un número de factura, una referencia bancaria, el nombre o RFC de un cliente, o un importe.",
    ),
    "No open installment or customer matches “{term}”.": (
        "Nenhuma parcela em aberto ou cliente corresponde a “{term}”.",
        "Ninguna parcialidad abierta ni cliente coincide con “{term}”.",
    ),
    "Matches for “{term}”": ("Resultados para “{term}”", "Resultados para “{term}”"),
    "Apply here": ("Baixar nesta", "Aplicar aquí"),
    "Customer account": ("Conta do cliente", "Cuenta del cliente"),
    "kept as credit, not applied to an installment": (
        "fica como crédito, sem baixar parcela",
        "queda como saldo a favor, sin aplicar a una parcialidad",
    ),
    "Credit the account": ("Creditar na conta", "Abonar a la cuenta"),
    "Bank account of the file": ("Conta bancária do arquivo", "Cuenta bancaria del archivo"),
    "Other (write it)": ("Outro (descreva)", "Otro (descríbalo)"),
    "Lines of the file": ("Linhas do arquivo", "Líneas del archivo"),
    # dismiss reasons: stored in English on the record, shown translated
    "Not our title": ("Título não é nosso", "El título no es nuestro"),
    "Duplicate of a record already applied": (
        "Duplicado de um registro já baixado",
        "Duplicado de un registro ya aplicado",
    ),
    "Settled outside Cobalto": ("Baixado fora do Cobalto", "Liquidado fuera de Cobalto"),
    "Bank test or informational record": (
        "Registro de teste ou informativo do banco",
        "Registro de prueba o informativo del banco",
    ),
    "Refunded to the payer": ("Devolvido ao pagador", "Devuelto al pagador"),
    # what a resolution refused, as the page says it
    "This record was already handled: {status}.": (
        "Este registro já foi tratado: {status}.",
        "Este registro ya se atendió: {status}.",
    ),
    "is required to dismiss a record": (
        "Informe o motivo para descartar o registro.",
        "Indique el motivo para descartar el registro.",
    ),
    "give installment_id, customer_id or bank_account_id": (
        "Escolha uma parcela, um cliente ou uma conta bancária.",
        "Elija una parcialidad, un cliente o una cuenta bancaria.",
    ),
    "no such installment": ("Parcela não encontrada.", "Parcialidad no encontrada."),
    "only a settlement can be assigned": (
        "Só uma liquidação pode ser atribuída a uma parcela.",
        "Solo una liquidación se puede asignar a una parcialidad.",
    ),
    "nothing was paid on this record": (
        "Nada foi pago neste registro.",
        "No se pagó nada en este registro.",
    ),
    "no such bank account": ("Conta bancária não encontrada.", "Cuenta bancaria no encontrada."),
    # why a record waits, with its figures (app/web/queue_errors.py)
    "The record has no nosso número.": (
        "O registro não tem nosso número.",
        "El registro no tiene referencia bancaria.",
    ),
    "No installment has nosso número {nosso_numero}.": (
        "Nenhuma parcela tem o nosso número {nosso_numero}.",
        "Ninguna parcialidad tiene la referencia bancaria {nosso_numero}.",
    ),
    "{count} installments share nosso número {nosso_numero}.": (
        "{count} parcelas têm o mesmo nosso número {nosso_numero}.",
        "{count} parcialidades comparten la referencia bancaria {nosso_numero}.",
    ),
    "The bank's title is {title}; the installment is {installment}.": (
        "O título no banco é de {title}; a parcela, de {installment}.",
        "El título en el banco es de {title}; la parcialidad, de {installment}.",
    ),
    "The bank settled the title without an amount paid.": (
        "O banco liquidou o título sem valor pago.",
        "El banco liquidó el título sin importe pagado.",
    ),
    "The installment is in {installment}; the bank paid in {paid}.": (
        "A parcela está em {installment}; o banco pagou em {paid}.",
        "La parcialidad está en {installment}; el banco pagó en {paid}.",
    ),
    "The bank sent occurrence code {code}, which is not mapped.": (
        "O banco enviou o código de ocorrência {code}, que não está mapeado.",
        "El banco envió el código de movimiento {code}, que no está mapeado.",
    ),
    "The bank account named in the file is not registered.": (
        "A conta bancária indicada no arquivo não está cadastrada.",
        "La cuenta bancaria indicada en el archivo no está registrada.",
    ),
    "No installment has PIX txid {txid}.": (
        "Nenhuma parcela tem o txid PIX {txid}.",
        "Ninguna parcialidad tiene el txid PIX {txid}.",
    ),
    "A payment with this record's key was already recorded with another amount or date.": (
        "Um pagamento com a chave deste registro já foi lançado com outro valor ou data.",
        "Un pago con la clave de este registro ya se registró con otro importe o fecha.",
    ),
    "No installment has this record's nosso número.": (
        "Nenhuma parcela tem o nosso número deste registro.",
        "Ninguna parcialidad tiene la referencia bancaria de este registro.",
    ),
    "The bank's amount does not match the installment's.": (
        "O valor do banco não confere com o da parcela.",
        "El importe del banco no coincide con el de la parcialidad.",
    ),
    "The bank paid in another currency than the installment's.": (
        "O banco pagou em moeda diferente da parcela.",
        "El banco pagó en una moneda distinta de la parcialidad.",
    ),
    "The bank sent an occurrence code that is not mapped.": (
        "O banco enviou um código de ocorrência não mapeado.",
        "El banco envió un código de movimiento no mapeado.",
    ),
    "No installment has this receipt's PIX txid.": (
        "Nenhuma parcela tem o txid PIX deste recebimento.",
        "Ninguna parcialidad tiene el txid PIX de este cobro.",
    ),
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
}
