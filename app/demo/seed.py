"""``ensure_demo``: the demo tenant "Demo Distribuidora Ltda", created once.

Idempotent: when the tenant ``demo`` exists, the stored login is returned and nothing
changes. Data goes through the same domain rules and bulk write paths as an import
(customers and invoices validated by the domain, audit entries and outbox events in
the same transaction), deterministic for a given day (``random.Random(42)``).
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.adapters.db.engine import make_engine, make_sessionmaker
from app.adapters.db.platform_queries import get_tenant_by_slug
from app.adapters.db.provisioning import create_tenant, generate_password
from app.adapters.db.repositories.users import SqlUserRepository
from app.adapters.db.uow import SqlUnitOfWork
from app.adapters.passwords import hash_password
from app.demo import data
from app.demo.bank_demo import seed_bank_activity
from app.domain.customers.imports import register_customers
from app.domain.customers.model import validate_customer
from app.domain.customers.service import Customer, new_customer
from app.domain.customers.tax_ids import is_valid_cnpj
from app.domain.receivables.imports import register_invoices
from app.domain.receivables.invoices import Invoice, new_invoice, validate_new_invoice
from app.domain.receivables.payments import Payer, PaymentSource
from app.domain.receivables.service import AllocationLine, NewPayment, allocate_payment, record_payment
from app.domain.shared.errors import ValidationFailed
from app.domain.shared.ids import new_id
from app.domain.shared.money import Money
from app.server.auth import mint_tenant, system_principal
from app.settings import Settings

SLUG = "demo"
TENANT_NAME = "Demo Distribuidora Ltda"
ADMIN_EMAIL = "admin@demo.cobalto.local"
TIMEZONE = "America/Cuiaba"
CUSTOMERS = 200
INVOICES = 3_000
SEED = 42


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str


def _login_file(settings: Settings) -> Path:
    return Path(settings.var_dir) / "demo-login.json"


def _read_login(path: Path) -> DemoLogin | None:
    try:
        raw = json.loads(path.read_text())
        return DemoLogin(str(raw["email"]), str(raw["password"]))
    except (OSError, ValueError, KeyError):
        return None


def _write_login(path: Path, login: DemoLogin) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"email": login.email, "password": login.password}, fh)
    path.chmod(0o600)


async def ensure_demo(settings: Settings, *, today: date | None = None) -> DemoLogin:
    """Create the demo tenant once; return its admin login (the same on every run)."""
    path = _login_file(settings)
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    try:
        async with sessions() as session:
            existing = await get_tenant_by_slug(session, SLUG)
        if existing is not None:
            return _read_login(path) or DemoLogin(ADMIN_EMAIL, f"(unknown: {path} is missing)")
        login = DemoLogin(ADMIN_EMAIL, generate_password())
        created = await create_tenant(
            sessions,
            mint_tenant,
            name=TENANT_NAME,
            slug=SLUG,
            admin_email=ADMIN_EMAIL,
            admin_name="Ana Administradora",
            currency="BRL",
            locale="pt-BR",
            timezone=TIMEZONE,
            password=login.password,
        )
        _write_login(path, login)
        day = today or datetime.now(ZoneInfo(TIMEZONE)).date()
        async with SqlUnitOfWork(sessions, system_principal(created.tenant_id, "demo-seed")) as uow:
            await _add_users(uow, login.password)
            customers = build_customers(random.Random(SEED), uow.now())
            await register_customers(uow, customers)
            invoices, settlements = build_invoices(random.Random(SEED + 1), customers, day, uow.now())
            await register_invoices(uow, invoices)
            await uow.commit()
        async with SqlUnitOfWork(sessions, system_principal(created.tenant_id, "demo-seed")) as uow:
            await _pay(uow, settlements)
            await uow.commit()
        await seed_bank_activity(
            lambda: SqlUnitOfWork(sessions, system_principal(created.tenant_id, "demo-seed")),
            Path(settings.var_dir),
            day,
            random.Random(SEED + 2),
        )
        return login
    finally:
        await engine.dispose()


async def _add_users(uow: SqlUnitOfWork, password: str) -> None:
    # One hash for all: argon2 is slow on purpose, and these are demo accounts.
    shared_hash = hash_password(password)
    users = SqlUserRepository(uow.session, uow.tenant)
    for local, name, role in data.USERS:
        await users.add(
            email=f"{local}@demo.cobalto.local",
            name=name,
            roles=[role],
            password_hash=shared_hash,
            user_id=new_id(),
        )


def _cnpj(rng: random.Random) -> str:
    base = f"{rng.randrange(10**7, 10**8)}0001"
    for dv in range(100):
        candidate = f"{base}{dv:02d}"
        if is_valid_cnpj(candidate):
            return candidate
    raise AssertionError("every CNPJ base has check digits")  # pragma: no cover


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def build_customers(rng: random.Random, now: datetime) -> list[Customer]:
    """Validated by the same rule as the API, then built by the domain factory."""
    names: set[str] = set()
    customers: list[Customer] = []
    while len(customers) < CUSTOMERS:
        kind, segment = rng.choice(data.KINDS)
        place = rng.choice(data.PLACES)
        name = f"{kind} {place}"
        if name in names:
            continue
        names.add(name)
        n = len(customers) + 1
        clean, errors = validate_customer(
            {
                "name": name,
                "legal_name": f"{name} {rng.choice(data.SUFFIXES)}",
                "tax_id": _cnpj(rng),
                "email": f"financeiro{n}@cliente{n}.com.br",
                "phone": f"+55 65 9{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}",
                "segment": segment,
                "region": _weighted(rng, data.REGIONS),
                "sales_rep": rng.choice(data.SALES_REPS),
                "status": _weighted(rng, data.CUSTOMER_STATUSES),
                "external_ref": f"CLI-{n:05d}",
            },
            partial=False,
        )
        if errors:
            raise ValidationFailed(errors)
        customers.append(new_customer(clean, now))
    return customers


def _days_late(rng: random.Random) -> int:
    low, high, _ = rng.choices(data.AGING_SPREAD, weights=[w for _, _, w in data.AGING_SPREAD])[0]
    return rng.randint(low, high)


@dataclass(frozen=True)
class Settlement:
    """A demo payment: what was paid against one invoice, when, and how."""

    invoice: Invoice
    amount: Money
    paid_on: date
    source: PaymentSource
    payer: Payer = field(default_factory=Payer)


def _settle(rng: random.Random, invoice: Invoice, days_late: int, today: date) -> Settlement | None:
    """Some invoices were paid in full, some in part; most overdue ones are still open."""
    # Kept modest: each payment goes through the full ledger path, and `make run` waits.
    roll = rng.random()
    paid_share = 0.05 if days_late <= 0 else 0.12
    if roll >= paid_share + 0.05:
        return None
    if roll < paid_share:
        amount = invoice.amount
    else:
        amount = Money.from_minor(invoice.amount.minor * rng.randint(20, 80) // 100, invoice.amount.currency)
    paid_on = invoice.due_date + timedelta(days=rng.randint(-5, 20))
    if paid_on > today:  # paid early, in the last fortnight
        paid_on = today - timedelta(days=rng.randint(0, 14))
    source = rng.choice((PaymentSource.BANK_RETURN, PaymentSource.BANK_RETURN, PaymentSource.PIX))
    return Settlement(invoice, amount, max(paid_on, invoice.issue_date), source)


async def _pay(uow: SqlUnitOfWork, settlements: list[Settlement]) -> None:
    """Book the demo payments through the receivables use cases (ledger, audit, events)."""
    for s in settlements:
        recorded, _ = await record_payment(
            uow,
            NewPayment(
                source=s.source,
                external_id=f"demo-{s.invoice.number}",
                amount=s.amount,
                value_date=s.paid_on,
                reference=s.invoice.number,
                payer=s.payer,
                customer_id=s.invoice.customer_id,
            ),
        )
        installment_ids = await uow.installments.ids_of_invoice(s.invoice.id)
        await allocate_payment(uow, recorded.payment.id, lines=[AllocationLine(installment_ids[0], s.amount)])


def build_invoices(
    rng: random.Random, customers: list[Customer], today: date, now: datetime
) -> tuple[list[Invoice], list[Settlement]]:
    # A few large accounts carry most of the book, as in real ledgers.
    weights = [rng.paretovariate(1.2) for _ in customers]
    cumulative = [sum(weights[: i + 1]) for i in range(len(weights))]
    invoices: list[Invoice] = []
    settlements: list[Settlement] = []
    for n in range(1, INVOICES + 1):
        customer = rng.choices(customers, cum_weights=cumulative)[0]
        late = _days_late(rng)
        due = today - timedelta(days=late)
        # Nothing is issued in the future: long-dated invoices get longer terms.
        issue = min(due - timedelta(days=rng.choice(data.PAYMENT_TERMS)), today)
        cents = max(5_000, min(int(rng.lognormvariate(12.5, 1.1)), 50_000_000))
        fields, errors = validate_new_invoice(
            {
                "customer_id": str(customer.id),
                "number": f"NF-{n:06d}",
                "issue_date": issue.isoformat(),
                "due_date": due.isoformat(),
                "amount": f"{cents // 100}.{cents % 100:02d}",
                "description": f"Pedido {rng.randrange(10_000, 99_999)}",
            },
            "BRL",
        )
        if fields is None:
            raise ValidationFailed(errors)
        invoice = new_invoice(fields, now)
        invoices.append(invoice)
        settlement = _settle(rng, invoice, late, today)
        if settlement is not None:
            # The bank reports who paid: the customer's legal name and CNPJ.
            payer = Payer(tax_id=customer.tax_id, name=(customer.legal_name or customer.name).upper()[:60])
            settlements.append(replace(settlement, payer=payer))
    return invoices, settlements
