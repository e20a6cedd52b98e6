"""PIX receipts (BACEN webhook shape) as settlements.

``{"pix": [{"endToEndId", "txid", "valor", "horario", "infoPagador", "devolucoes": [...]}]}``:
the endToEndId identifies the money movement and is the payment's idempotency key
(``pix:<endToEndId>``); the txid names the charge, hence the installment. A
devolução (refund) is keyed by its own id under the same endToEndId.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.domain.settlement.service import AllocationLine, InstallmentRef, SettlementSource, SettlementToApply
from app.domain.shared.errors import FieldError, ValidationFailed
from app.domain.shared.money import Money


@dataclass(frozen=True, slots=True)
class PixRefund:
    id: str
    amount: Money
    at: datetime | None
    status: str


@dataclass(frozen=True, slots=True)
class PixReceipt:
    end_to_end_id: str
    txid: str | None
    amount: Money
    at: datetime
    payer_info: str | None
    payer_tax_id: str | None
    payer_name: str | None
    refunds: tuple[PixRefund, ...]
    raw: Mapping[str, Any]

    @property
    def external_id(self) -> str:
        return f"pix:{self.end_to_end_id}"


def _amount(value: Any, where: str) -> Money:
    try:
        amount = Money.of(Decimal(str(value)), "BRL")
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationFailed([FieldError(where, "is not an amount")]) from None
    if not amount.is_positive() or amount.minor >= 10**15:
        raise ValidationFailed([FieldError(where, "must be a positive amount")])
    return amount


def _when(value: Any, where: str) -> datetime:
    try:
        at = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed([FieldError(where, "is not an ISO 8601 timestamp")]) from None
    if at.tzinfo is None:
        raise ValidationFailed([FieldError(where, "needs a UTC offset")])
    return at


def parse_notification(body: Any) -> list[PixReceipt]:
    """The receipts of one notification; the whole body is refused when one is malformed."""
    if not isinstance(body, dict) or not isinstance(body.get("pix"), list):
        raise ValidationFailed([FieldError("pix", "expected {'pix': [...]}")])
    out: list[PixReceipt] = []
    for i, item in enumerate(body["pix"]):
        where = f"pix[{i}]"
        if not isinstance(item, dict):
            raise ValidationFailed([FieldError(where, "is not an object")])
        e2e = str(item.get("endToEndId") or "").strip()
        if not e2e or len(e2e) > 40:
            raise ValidationFailed([FieldError(f"{where}.endToEndId", "is required (at most 40 characters)")])
        refunds = []
        for j, dev in enumerate(item.get("devolucoes") or []):
            dw = f"{where}.devolucoes[{j}]"
            if not isinstance(dev, dict) or not str(dev.get("id") or "").strip():
                raise ValidationFailed([FieldError(dw, "needs an id")])
            h = dev.get("horario")
            at = (h.get("liquidacao") or h.get("solicitacao")) if isinstance(h, dict) else None
            refunds.append(
                PixRefund(
                    str(dev["id"]).strip()[:35],
                    _amount(dev.get("valor"), f"{dw}.valor"),
                    _when(at, f"{dw}.horario") if at else None,
                    str(dev.get("status") or "DEVOLVIDO"),
                )
            )
        raw_payer = item.get("pagador")
        payer: dict[str, Any] = raw_payer if isinstance(raw_payer, dict) else {}
        out.append(
            PixReceipt(
                end_to_end_id=e2e,
                txid=(str(item["txid"]).strip() or None) if item.get("txid") else None,
                amount=_amount(item.get("valor"), f"{where}.valor"),
                at=_when(item.get("horario"), f"{where}.horario"),
                payer_info=str(item.get("infoPagador"))[:140] if item.get("infoPagador") else None,
                payer_tax_id=str(payer.get("cpf") or payer.get("cnpj") or "") or None,
                payer_name=str(payer.get("nome") or "") or None,
                refunds=tuple(refunds),
                raw=item,
            )
        )
    return out


def pix_settlement(receipt: PixReceipt, installment: InstallmentRef | None) -> SettlementToApply:
    """What a receipt pays: its installment (found by txid) up to what is open; the
    rest, or all of it when no charge matches, stays on the payment as credit."""
    allocations: tuple[AllocationLine, ...] = ()
    if installment is not None and installment.open_amount.is_positive():
        allocations = (
            AllocationLine(installment.installment_id, receipt.amount.min(installment.open_amount)),
        )
    return SettlementToApply(
        external_id=receipt.external_id,
        source=SettlementSource.PIX,
        reference=receipt.txid or receipt.end_to_end_id,
        amount=receipt.amount,
        value_date=receipt.at.date(),
        customer_id=installment.customer_id if installment else None,
        allocations=allocations,
        payer_name=receipt.payer_name,
        payer_tax_id=receipt.payer_tax_id,
    )
