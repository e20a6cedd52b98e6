"""Customer register: statuses and the rules for a valid customer record."""

from __future__ import annotations

import re
from enum import StrEnum

from app.domain.customers.tax_ids import normalize_tax_id, tax_id_error
from app.domain.shared.errors import FieldError


class CustomerStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    SUSPENDED = "suspended"
    BLOCKED = "blocked"


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")

TEXT_LIMITS: dict[str, int] = {
    "name": 200,
    "legal_name": 200,
    "tax_id": 32,
    "email": 254,
    "phone": 40,
    "segment": 80,
    "region": 80,
    "sales_rep": 120,
    "external_ref": 80,
}


def validate_customer(
    data: dict[str, object], *, partial: bool
) -> tuple[dict[str, object], list[FieldError]]:
    """Check and normalise customer fields. Returns the cleaned values and the errors.

    ``partial`` is for PATCH: only the given fields are checked, but the tax id is
    checked against the country given or, failing that, the one passed in ``data``.
    """
    errors: list[FieldError] = []
    clean: dict[str, object] = {}
    for key, limit in TEXT_LIMITS.items():
        if key in data:
            value = data[key]
            if value is None:
                if key == "name":
                    errors.append(FieldError(key, "is required"))
                else:
                    clean[key] = None
                continue
            if not isinstance(value, str):
                errors.append(FieldError(key, "must be a string"))
                continue
            value = value.strip()
            if len(value) > limit:
                errors.append(FieldError(key, f"must be at most {limit} characters"))
            clean[key] = value or None
    if not partial and not clean.get("name"):
        errors.append(FieldError("name", "is required"))
    elif "name" in data and not clean.get("name") and not any(e.field == "name" for e in errors):
        errors.append(FieldError("name", "must not be empty"))
    country = data.get("country", "BR" if not partial else None)
    if country is not None:
        if not isinstance(country, str) or not _COUNTRY.match(country.upper()):
            errors.append(FieldError("country", "must be an ISO 3166 two-letter code"))
        else:
            clean["country"] = country.upper()
    email = clean.get("email")
    if isinstance(email, str) and not _EMAIL.match(email):
        errors.append(FieldError("email", "is not a valid e-mail address"))
    if "status" in data:
        try:
            clean["status"] = CustomerStatus(str(data["status"]))
        except ValueError:
            allowed = ", ".join(s.value for s in CustomerStatus)
            errors.append(FieldError("status", f"must be one of {allowed}"))
    tax_id = clean.get("tax_id")
    check_country = clean.get("country") or data.get("_current_country") or "BR"
    if isinstance(tax_id, str) and isinstance(check_country, str):
        problem = tax_id_error(check_country, tax_id)
        if problem:
            errors.append(FieldError("tax_id", problem))
        else:
            clean["tax_id"] = normalize_tax_id(check_country, tax_id)
    return clean, errors
