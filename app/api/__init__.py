"""The partner API (OAuth2 bearer tokens) and the operator endpoints."""

from __future__ import annotations

from typing import Any


def route_handlers() -> list[Any]:
    from app.api.bank_accounts import BankAccountController
    from app.api.bank_files import BankFileController, CorrectionQueueController
    from app.api.bank_files_remittances import RemittanceController
    from app.api.bank_files_review import CashApplicationController
    from app.api.customers import CustomerController
    from app.api.health import health
    from app.api.imports import ImportController
    from app.api.invoices import InvoiceController
    from app.api.oauth import revoke, server_metadata, token
    from app.api.payments import PaymentController
    from app.api.pix import InstallmentDocumentsController, PixEndpointController
    from app.api.receivables import ApprovalController, ChangeController, InstallmentController
    from app.api.reports import ReportController
    from app.api.reports_sales import SalesReportsController
    from app.api.webhooks import WebhookDeliveryController, WebhookEndpointController
    from app.api.webhooks_in import pix_webhook

    return [
        CustomerController,
        BankAccountController,
        BankFileController,
        CorrectionQueueController,
        CashApplicationController,
        RemittanceController,
        InstallmentDocumentsController,
        PixEndpointController,
        pix_webhook,
        InvoiceController,
        InstallmentController,
        PaymentController,
        ChangeController,
        ApprovalController,
        ReportController,
        ImportController,
        SalesReportsController,
        WebhookEndpointController,
        WebhookDeliveryController,
        token,
        revoke,
        server_metadata,
        health,
    ]
