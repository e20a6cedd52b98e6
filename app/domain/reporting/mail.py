"""The report e-mails: subject, plain text and HTML bodies (the CSV goes attached).

Every value that came from data is HTML-escaped; the body lists at most
``MAX_BODY_LINES`` lines and says where the rest is (the attachment has everything).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Protocol

from app.domain.reporting.model import CashReceipts, RepBlock, Totals
from app.domain.shared.money import Money
from app.domain.shared.notify import Attachment, EmailMessage

MAX_BODY_LINES = 200
OVERDUE_KIND = "report.overdue_by_rep"
CASH_KIND = "report.cash_receipts"

# English → (pt-BR, es-MX); the English text is also en-US.
_PHRASES: dict[str, tuple[str, str]] = {
    "Overdue invoices of your customers": (
        "Títulos vencidos dos seus clientes",
        "Facturas vencidas de sus clientes",
    ),
    "Daily cash receipts": ("Recebimentos do dia", "Cobros del día"),
    "as of": ("posição em", "al"),
    "Customer": ("Cliente", "Cliente"),
    "Invoice": ("Título", "Factura"),
    "Due date": ("Vencimento", "Vencimiento"),
    "Days late": ("Dias de atraso", "Días de atraso"),
    "Open": ("Em aberto", "Pendiente"),
    "Total overdue": ("Total vencido", "Total vencido"),
    "Sales rep": ("Vendedor", "Vendedor"),
    "No overdue invoices.": ("Nenhum título vencido.", "Ninguna factura vencida."),
    "No payments were received on this day.": (
        "Nenhum recebimento neste dia.",
        "No se recibieron pagos este día.",
    ),
    "The full list is in the attached file.": (
        "A lista completa está no arquivo anexo.",
        "La lista completa está en el archivo adjunto.",
    ),
    "more lines in the attachment": ("linhas a mais no anexo", "líneas más en el adjunto"),
    "Bank account": ("Conta bancária", "Cuenta bancaria"),
    "Method": ("Forma", "Medio"),
    "Payments": ("Pagamentos", "Pagos"),
    "Received": ("Recebido", "Recibido"),
    "Allocated": ("Baixado", "Aplicado"),
    "Unapplied": ("Não alocado", "No aplicado"),
    "Total": ("Total", "Total"),
    "Payer": ("Pagador", "Pagador"),
    "Reference": ("Referência", "Referencia"),
    "Allocations": ("Baixas", "Aplicaciones"),
    "unknown account": ("conta não identificada", "cuenta no identificada"),
    "no sales rep": ("sem vendedor", "sin vendedor"),
}


def phrase(text: str, locale: str) -> str:
    pair = _PHRASES.get(text)
    if pair is None or locale.startswith("en"):
        return text
    return pair[0] if locale.startswith("pt") else pair[1] if locale.startswith("es") else text


class Formatter(Protocol):
    """Locale-aware display of amounts and dates (Babel, in the adapters)."""

    def money(self, amount: Money) -> str: ...

    def day(self, value: date) -> str: ...


def _totals(t: Totals, fmt: Formatter) -> str:
    return " + ".join(fmt.money(a) for a in t.by_currency) or "0"


def _html_page(title: str, inner: str) -> str:
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>'
        + escape(title)
        + '</title></head><body style="font-family:sans-serif">'
        + inner
        + "</body></html>"
    )


def overdue_message(
    to: str,
    reps: Sequence[str],
    blocks: Sequence[RepBlock],
    as_of: date,
    fmt: Formatter,
    locale: str,
    attachment: Attachment,
) -> EmailMessage:
    def t(text: str) -> str:
        return phrase(text, locale)

    title = f"{t('Overdue invoices of your customers')} — {t('as of')} {fmt.day(as_of)}"
    text = [title, f"{t('Sales rep')}: {', '.join(reps)}", ""]
    html = [f"<h1>{escape(title)}</h1>", f"<p>{escape(t('Sales rep'))}: {escape(', '.join(reps))}</p>"]
    shown = 0
    hidden = 0
    total = Totals()
    for group in blocks:
        total = total + group.overdue
        for c in group.customers:
            text.append(f"{c.name} — {t('Total overdue')}: {_totals(c.overdue, fmt)}")
            html.append(f"<h2>{escape(c.name)}</h2>")
            html.append(
                '<table border="1" cellpadding="4" cellspacing="0"><thead><tr>'
                f"<th>{escape(t('Invoice'))}</th><th>{escape(t('Due date'))}</th>"
                f"<th>{escape(t('Days late'))}</th><th>{escape(t('Open'))}</th></tr></thead><tbody>"
            )
            for line in c.lines:
                if shown >= MAX_BODY_LINES:
                    hidden += 1
                    continue
                shown += 1
                text.append(
                    f"  {line.label}  {fmt.day(line.due_date)}  {line.days_late}  {fmt.money(line.open)}"
                )
                html.append(
                    f"<tr><td>{escape(line.label)}</td><td>{escape(fmt.day(line.due_date))}</td>"
                    f'<td align="right">{line.days_late}</td>'
                    f'<td align="right">{escape(fmt.money(line.open))}</td></tr>'
                )
            html.append(
                f'</tbody><tfoot><tr><th colspan="3" align="right">{escape(t("Total overdue"))}</th>'
                f'<th align="right">{escape(_totals(c.overdue, fmt))}</th></tr></tfoot></table>'
            )
    if shown == 0:
        text.append(t("No overdue invoices."))
        html.append(f"<p>{escape(t('No overdue invoices.'))}</p>")
    text += ["", f"{t('Total overdue')}: {_totals(total, fmt)}"]
    html.append(f"<p><strong>{escape(t('Total overdue'))}: {escape(_totals(total, fmt))}</strong></p>")
    if hidden:
        text.append(f"{hidden} {t('more lines in the attachment')}")
        html.append(f"<p>{hidden} {escape(t('more lines in the attachment'))}</p>")
    text.append(t("The full list is in the attached file."))
    html.append(f"<p>{escape(t('The full list is in the attached file.'))}</p>")
    return EmailMessage(
        to=(to,),
        subject=title,
        text="\n".join(text),
        html=_html_page(title, "".join(html)),
        kind=OVERDUE_KIND,
        attachments=(attachment,),
    )


def account_label(name: str | None, locale: str) -> str:
    return name or phrase("unknown account", locale)


def cash_receipts_message(
    to: str, report: CashReceipts, fmt: Formatter, locale: str, attachment: Attachment
) -> EmailMessage:
    def t(text: str) -> str:
        return phrase(text, locale)

    title = f"{t('Daily cash receipts')} — {fmt.day(report.day)}"
    text = [title, ""]
    html = [f"<h1>{escape(title)}</h1>"]
    if not report.groups:
        text.append(t("No payments were received on this day."))
        html.append(f"<p>{escape(t('No payments were received on this day.'))}</p>")
    else:
        html.append(
            '<table border="1" cellpadding="4" cellspacing="0"><thead><tr>'
            + "".join(
                f"<th>{escape(t(h))}</th>"
                for h in ("Bank account", "Method", "Payments", "Received", "Allocated", "Unapplied")
            )
            + "</tr></thead><tbody>"
        )
        for g in report.groups:
            label = account_label(g.bank_account, locale)
            text.append(
                f"{label} / {g.source}: {g.count} — {t('Received')} {_totals(g.amount, fmt)}, "
                f"{t('Allocated')} {_totals(g.allocated, fmt)}, {t('Unapplied')} {_totals(g.unapplied, fmt)}"
            )
            html.append(
                f'<tr><td>{escape(label)}</td><td>{escape(g.source)}</td><td align="right">{g.count}</td>'
                f'<td align="right">{escape(_totals(g.amount, fmt))}</td>'
                f'<td align="right">{escape(_totals(g.allocated, fmt))}</td>'
                f'<td align="right">{escape(_totals(g.unapplied, fmt))}</td></tr>'
            )
        html.append(
            f'</tbody><tfoot><tr><th colspan="2">{escape(t("Total"))}</th><th align="right">{report.count}</th>'
            f'<th align="right">{escape(_totals(report.amount, fmt))}</th>'
            f'<th align="right">{escape(_totals(report.allocated, fmt))}</th>'
            f'<th align="right">{escape(_totals(report.unapplied, fmt))}</th></tr></tfoot></table>'
        )
        text += [
            "",
            f"{t('Total')}: {report.count} — {t('Received')} {_totals(report.amount, fmt)}, "
            f"{t('Allocated')} {_totals(report.allocated, fmt)}, {t('Unapplied')} {_totals(report.unapplied, fmt)}",
            "",
        ]
        shown = 0
        html.append(f"<h2>{escape(t('Payments'))}</h2><ul>")
        for r in report.receipts:
            if shown >= MAX_BODY_LINES:
                break
            shown += 1
            who = r.customer_name or r.payer_name or ""
            allocs = ", ".join(f"{a.label} {fmt.money(a.amount)}" for a in r.allocations)
            unapplied = f"; {t('Unapplied')} {fmt.money(r.unapplied)}" if r.unapplied.is_positive() else ""
            text.append(f"  {fmt.money(r.amount)}  {who}  {r.reference}  [{allocs}{unapplied}]")
            html.append(
                f"<li>{escape(fmt.money(r.amount))} — {escape(who)} — {escape(r.reference)}"
                f" ({escape(allocs + unapplied)})</li>"
            )
        html.append("</ul>")
        if len(report.receipts) > shown:
            more = len(report.receipts) - shown
            text.append(f"{more} {t('more lines in the attachment')}")
            html.append(f"<p>{more} {escape(t('more lines in the attachment'))}</p>")
    text.append(t("The full list is in the attached file."))
    html.append(f"<p>{escape(t('The full list is in the attached file.'))}</p>")
    return EmailMessage(
        to=(to,),
        subject=title,
        text="\n".join(text),
        html=_html_page(title, "".join(html)),
        kind=CASH_KIND,
        attachments=(attachment,),
    )
