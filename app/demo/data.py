"""Word lists for the demo tenant: names, places and people of a distributor in Mato Grosso."""

from __future__ import annotations

KINDS: tuple[tuple[str, str], ...] = (
    ("Comercial", "Atacado"),
    ("Distribuidora", "Atacado"),
    ("Atacadão", "Atacado"),
    ("Supermercado", "Varejo"),
    ("Mercearia", "Varejo"),
    ("Farmácia", "Varejo"),
    ("Padaria", "Varejo"),
    ("Auto Peças", "Varejo"),
    ("Materiais de Construção", "Varejo"),
    ("Indústria de Alimentos", "Indústria"),
    ("Laticínios", "Indústria"),
    ("Frigorífico", "Indústria"),
    ("Metalúrgica", "Indústria"),
    ("Transportadora", "Serviços"),
    ("Construtora", "Serviços"),
    ("Clínica", "Serviços"),
    ("Agropecuária", "Agro"),
    ("Cerealista", "Agro"),
    ("Fazenda", "Agro"),
    ("Cooperativa Agrícola", "Agro"),
)

PLACES: tuple[str, ...] = (
    "Pantanal",
    "Cuiabá",
    "Araguaia",
    "Chapada",
    "Rondon",
    "São Benedito",
    "Santa Rita",
    "Bom Jesus",
    "Primavera",
    "Sinop",
    "Várzea Grande",
    "Tangará",
    "Serra Azul",
    "Rio Claro",
    "Nova Esperança",
    "Três Irmãos",
    "Ipê Amarelo",
    "Boa Vista",
    "Cerrado",
    "Sol Nascente",
    "Guaporé",
    "Xingu",
    "Paraíso",
    "Aurora",
    "Estrela do Oeste",
)

SUFFIXES: tuple[str, ...] = ("Ltda", "Ltda", "Ltda", "S.A.", "Eireli", "ME", "Ltda EPP")

# Region weights: a Cuiabá distributor sells mostly in its own region.
REGIONS: tuple[tuple[str, int], ...] = (
    ("Centro-Oeste", 45),
    ("Sudeste", 20),
    ("Sul", 15),
    ("Norte", 10),
    ("Nordeste", 10),
)

SALES_REPS: tuple[str, ...] = (
    "Marcos Oliveira",
    "Juliana Costa",
    "Rafael Almeida",
    "Beatriz Santos",
    "Thiago Ribeiro",
    "Camila Ferreira",
)

# (status, weight) for customers.
CUSTOMER_STATUSES: tuple[tuple[str, int], ...] = (
    ("active", 88),
    ("inactive", 6),
    ("blocked", 4),
    ("suspended", 2),
)

# Other people of the demo tenant: (e-mail local part, name, role).
USERS: tuple[tuple[str, str, str], ...] = (
    ("gerente", "Carlos Mendes", "credit_manager"),
    ("analista", "Larissa Souza", "credit_analyst"),
    ("cobranca", "Paula Nogueira", "collector"),
    ("financeiro", "Fernanda Lima", "finance"),
    ("vendas", "Sérgio Rocha", "sales"),
    ("auditoria", "Ricardo Pires", "auditor"),
)

# Where open invoices fall relative to today: (first day late, last day late, weight).
# Negative days late are invoices not yet due.
AGING_SPREAD: tuple[tuple[int, int, int], ...] = (
    (-60, 0, 38),  # current
    (1, 30, 20),
    (31, 60, 11),
    (61, 90, 8),
    (91, 180, 10),
    (181, 720, 13),
)

PAYMENT_TERMS: tuple[int, ...] = (14, 21, 28, 30, 30, 45, 60, 90)
