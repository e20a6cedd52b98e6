"""UI texts in pt-BR and es-MX, keyed by the English text (which is also en-US).

A small dict catalogue is enough for the labels of the portal; a missing entry shows
the English text, so a new label never breaks a page.
"""

from __future__ import annotations

from app.web.format import normalize_locale
from app.web.i18n_cash import CASH
from app.web.i18n_home import HOME
from app.web.i18n_payments import PAYMENTS
from app.web.i18n_receivables import RECEIVABLES
from app.web.i18n_reports import REPORTS

# English → (pt-BR, es-MX)
GENERAL: dict[str, tuple[str, str]] = {
    # shell and navigation
    "Home": ("Início", "Inicio"),
    "Customers": ("Clientes", "Clientes"),
    "Customer": ("Cliente", "Cliente"),
    "Invoices": ("Faturas", "Facturas"),
    "Invoice": ("Fatura", "Factura"),
    "Admin": ("Administração", "Administración"),
    "Users": ("Usuários", "Usuarios"),
    "API clients": ("Clientes de API", "Clientes de API"),
    "Audit log": ("Auditoria", "Bitácora de auditoría"),
    "Webhooks": ("Webhooks", "Webhooks"),
    "Sign out": ("Sair", "Cerrar sesión"),
    "Sign in": ("Entrar", "Iniciar sesión"),
    "Keyboard shortcuts": ("Atalhos de teclado", "Atajos de teclado"),
    "Close": ("Fechar", "Cerrar"),
    "Skip to content": ("Ir para o conteúdo", "Saltar al contenido"),
    # login
    "E-mail": ("E-mail", "Correo electrónico"),
    "Password": ("Senha", "Contraseña"),
    "Repeat password": ("Repita a senha", "Repita la contraseña"),
    "Choose an organisation": ("Escolha uma organização", "Elija una organización"),
    "Set your password": ("Defina sua senha", "Defina su contraseña"),
    "Continue": ("Continuar", "Continuar"),
    "The e-mail or password is not right.": (
        "O e-mail ou a senha não conferem.",
        "El correo o la contraseña no son correctos.",
    ),
    "Enter your e-mail and password.": ("Informe seu e-mail e senha.", "Escriba su correo y contraseña."),
    "That sign-in took too long. Please sign in again.": (
        "O acesso demorou demais. Entre novamente.",
        "El acceso tardó demasiado. Inicie sesión de nuevo.",
    ),
    # home
    "What needs you today": ("O que precisa de você hoje", "Lo que requiere su atención hoy"),
    "Open receivables": ("Contas a receber em aberto", "Cuentas por cobrar abiertas"),
    "Overdue": ("Vencido", "Vencido"),
    "Customers blocked": ("Clientes bloqueados", "Clientes bloqueados"),
    "Due in the next 7 days": ("Vencem nos próximos 7 dias", "Vencen en los próximos 7 días"),
    "invoices": ("faturas", "facturas"),
    # lists
    "Search": ("Buscar", "Buscar"),
    "Search name, tax id or reference": (
        "Buscar nome, CNPJ/CPF ou referência",
        "Buscar nombre, RFC o referencia",
    ),
    "Search invoice number or customer": ("Buscar número ou cliente", "Buscar número o cliente"),
    "Status": ("Situação", "Estado"),
    "Segment": ("Segmento", "Segmento"),
    "Region": ("Região", "Región"),
    "All": ("Todos", "Todos"),
    "Any": ("Qualquer", "Cualquiera"),
    "Clear filters": ("Limpar filtros", "Limpiar filtros"),
    "Name": ("Nome", "Nombre"),
    "Tax id": ("CNPJ/CPF", "ID fiscal"),
    "Reference": ("Referência", "Referencia"),
    "Created": ("Criado", "Creado"),
    "Previous": ("Anterior", "Anterior"),
    "Next": ("Próxima", "Siguiente"),
    "Page": ("Página", "Página"),
    "of": ("de", "de"),
    "results": ("resultados", "resultados"),
    "New customer": ("Novo cliente", "Nuevo cliente"),
    "New invoice": ("Nova fatura", "Nueva factura"),
    "Edit": ("Editar", "Editar"),
    "Save": ("Salvar", "Guardar"),
    "Cancel": ("Cancelar", "Cancelar"),
    "No customers match these filters.": (
        "Nenhum cliente corresponde a estes filtros.",
        "Ningún cliente coincide con estos filtros.",
    ),
    "No invoices match these filters.": (
        "Nenhuma fatura corresponde a estes filtros.",
        "Ninguna factura coincide con estos filtros.",
    ),
    "No customers yet.": ("Ainda não há clientes.", "Aún no hay clientes."),
    "No invoices yet.": ("Ainda não há faturas.", "Aún no hay facturas."),
    # statuses
    "active": ("ativo", "activo"),
    "inactive": ("inativo", "inactivo"),
    "suspended": ("suspenso", "suspendido"),
    "blocked": ("bloqueado", "bloqueado"),
    "open": ("em aberto", "abierta"),
    "partially_paid": ("parcialmente paga", "pagada parcialmente"),
    "paid": ("paga", "pagada"),
    "cancelled": ("cancelada", "cancelada"),
    "written_off": ("baixada", "castigada"),
    "overdue": ("vencida", "vencida"),
    "unpaid": ("a receber", "por cobrar"),
    # customer and invoice fields
    "Legal name": ("Razão social", "Razón social"),
    "Country": ("País", "País"),
    "Phone": ("Telefone", "Teléfono"),
    "Sales rep": ("Vendedor", "Vendedor"),
    "External reference": ("Referência externa", "Referencia externa"),
    "Contacts": ("Contatos", "Contactos"),
    "Open invoices": ("Faturas em aberto", "Facturas abiertas"),
    "Outstanding": ("Em aberto", "Pendiente"),
    "Number": ("Número", "Número"),
    "Issue date": ("Emissão", "Emisión"),
    "Due date": ("Vencimento", "Vencimiento"),
    "Due from": ("Vencimento de", "Vence desde"),
    "Due to": ("Vencimento até", "Vence hasta"),
    "Amount": ("Valor", "Importe"),
    "Open amount": ("Saldo", "Saldo"),
    "Currency": ("Moeda", "Moneda"),
    "Description": ("Descrição", "Descripción"),
    "Days late": ("Dias de atraso", "Días de atraso"),
    "Total": ("Total", "Total"),
    "Role": ("Cargo", "Puesto"),
    "Primary": ("Principal", "Principal"),
    "Cancel this invoice": ("Cancelar esta fatura", "Cancelar esta factura"),
    "Please correct the fields marked below.": (
        "Corrija os campos indicados abaixo.",
        "Corrija los campos indicados abajo.",
    ),
    "e.g.": ("ex.:", "p. ej."),
    # messages of the domain rules, shown next to the fields
    "is required": ("é obrigatório", "es obligatorio"),
    "must not be empty": ("não pode ficar vazio", "no puede quedar vacío"),
    "is not a valid e-mail address": ("não é um e-mail válido", "no es un correo válido"),
    "must be on or after the issue date": (
        "deve ser igual ou posterior à emissão",
        "debe ser igual o posterior a la emisión",
    ),
    "must be a date as YYYY-MM-DD": ("deve ser uma data AAAA-MM-DD", "debe ser una fecha AAAA-MM-DD"),
    'must be a decimal number such as "1234.56"': (
        "deve ser um valor como 1.234,56",
        "debe ser un importe como 1,234.56",
    ),
    "must be greater than zero": ("deve ser maior que zero", "debe ser mayor que cero"),
    "no such customer": ("cliente não encontrado", "cliente no encontrado"),
    "must be an ISO 3166 two-letter code": (
        "deve ser um código de país de duas letras",
        "debe ser un código de país de dos letras",
    ),
    "must be an ISO 4217 code such as BRL": (
        "deve ser um código de moeda como BRL",
        "debe ser un código de moneda como MXN",
    ),
    # admin
    "Invite a user": ("Convidar usuário", "Invitar usuario"),
    "Invite": ("Convidar", "Invitar"),
    "Roles": ("Papéis", "Roles"),
    "Save roles": ("Salvar papéis", "Guardar roles"),
    "Deactivate": ("Desativar", "Desactivar"),
    "Reactivate": ("Reativar", "Reactivar"),
    "Last sign-in": ("Último acesso", "Último acceso"),
    "Invited": ("Convidado", "Invitado"),
    "New API client": ("Novo cliente de API", "Nuevo cliente de API"),
    "Create": ("Criar", "Crear"),
    "Scopes": ("Escopos", "Alcances"),
    "Revoke": ("Revogar", "Revocar"),
    "Revoked": ("Revogado", "Revocado"),
    "Entity": ("Entidade", "Entidad"),
    "Action": ("Ação", "Acción"),
    "Actor": ("Autor", "Actor"),
    "When": ("Quando", "Cuándo"),
    "From": ("De", "Desde"),
    "To": ("Até", "Hasta"),
    "Filter": ("Filtrar", "Filtrar"),
    "Export CSV": ("Exportar CSV", "Exportar CSV"),
    "Changes": ("Alterações", "Cambios"),
}

# The receivables pages keep their texts in a module of their own; a key in both would
# be one text translated twice, which the tests refuse.
CATALOGUE: dict[str, tuple[str, str]] = {**GENERAL, **RECEIVABLES, **REPORTS, **HOME, **PAYMENTS, **CASH}

_INDEX = {"pt-BR": 0, "es-MX": 1}


def translate(locale: str, text: str, **values: object) -> str:
    """The text in the locale; ``values`` fill its ``{named}`` places after translating,
    so a sentence keeps its word order in every language."""
    position = _INDEX.get(normalize_locale(locale))
    entry = CATALOGUE.get(text) if position is not None else None
    out = entry[position] if entry and position is not None else text
    return out.format(**values) if values else out
