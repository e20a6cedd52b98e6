"""All mapped tables; importing this package registers them on ``Base.metadata``."""

from app.adapters.db.models.customers import ContactRow, CustomerRow
from app.adapters.db.models.notify import OutboundEmailRow
from app.adapters.db.models.platform import (
    AuditRow,
    IdempotencyRow,
    ImportJobRow,
    OutboxRow,
    ProcessedEventRow,
)
from app.adapters.db.models.receivables import (
    ChangeRequestRow,
    InstallmentRow,
    InvoiceRow,
    LedgerEntryRow,
    PaymentRow,
    RefundRow,
)
from app.adapters.db.models.reporting import ScheduledRunRow
from app.adapters.db.models.settlement import (
    BankAccountRow,
    BankFileRecordRow,
    BankFileRow,
    BoletoRow,
    PixEndpointRow,
    PixEventRow,
    RemittanceRow,
)
from app.adapters.db.models.tenancy import (
    OAuthClientRow,
    OAuthTokenRow,
    RateLimitRow,
    TenantRow,
    UserLoginRow,
    UserRow,
    WebSessionRow,
)
from app.adapters.db.models.webhooks import WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow

# Tables read before a tenant is known (login, token checks) or that belong to the
# platform itself. They carry no customer data and stay outside RLS on purpose.
PLATFORM_TABLES = frozenset(
    {"tenants", "user_logins", "web_sessions", "oauth_clients", "oauth_tokens", "rate_limits"}
)

__all__ = [
    "PLATFORM_TABLES",
    "AuditRow",
    "BankAccountRow",
    "BankFileRecordRow",
    "BankFileRow",
    "BoletoRow",
    "ChangeRequestRow",
    "ContactRow",
    "CustomerRow",
    "IdempotencyRow",
    "ImportJobRow",
    "InstallmentRow",
    "InvoiceRow",
    "LedgerEntryRow",
    "OAuthClientRow",
    "OAuthTokenRow",
    "OutboundEmailRow",
    "OutboxRow",
    "PaymentRow",
    "PixEndpointRow",
    "PixEventRow",
    "ProcessedEventRow",
    "RateLimitRow",
    "RefundRow",
    "RemittanceRow",
    "ScheduledRunRow",
    "TenantRow",
    "UserLoginRow",
    "UserRow",
    "WebSessionRow",
    "WebhookAttemptRow",
    "WebhookDeliveryRow",
    "WebhookEndpointRow",
]
