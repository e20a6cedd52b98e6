"""Per-process webhook configuration shared by the API, the web pages and the jobs:
which URLs may be called, and the box that encrypts endpoint secrets."""

from __future__ import annotations

from app.adapters.webhooks.secret_box import SecretBox
from app.adapters.webhooks.ssrf import UrlPolicy
from app.server.services import Services


def url_policy(services: Services) -> UrlPolicy:
    s = services.settings
    return UrlPolicy(allow_private=s.allow_private_webhook_urls, allow_loopback=s.webhook_allow_loopback)


def secret_box(services: Services) -> SecretBox:
    box = services.extras.get("webhook_secret_box")
    if not isinstance(box, SecretBox):
        box = SecretBox(services.settings.secret_key)
        services.extras["webhook_secret_box"] = box
    return box
