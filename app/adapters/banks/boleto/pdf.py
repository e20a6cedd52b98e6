"""Printable boleto (recibo do pagador + ficha de compensação) with reportlab.

One A4 page per boleto.  The barcode is Interleaved 2 of 5 over the 44 digits,
as FEBRABAN specifies: narrow element 0.254 mm (1/100 inch), wide = 3 × narrow,
13 mm high, no check digit of its own (the general DV is inside the 44 digits)
and no bearer bars.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

from reportlab.graphics.barcode.common import I2of5
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.adapters.banks.boleto.data import BoletoData
from app.adapters.banks.boleto.errors import BoletoError
from app.domain.shared.money import Money

NARROW_BAR: float = 0.254 * mm
WIDE_TO_NARROW: float = 3.0
BAR_HEIGHT: float = 13 * mm

_MARGIN: float = 12 * mm
_WIDTH: float = A4[0] - 2 * _MARGIN
_RIGHT_COL: float = 45 * mm
_ROW: float = 7.5 * mm
_LABEL_SIZE: float = 5.5
_VALUE_SIZE: float = 8.5


def febraban_barcode(digits: str) -> I2of5:
    """An I2of5 symbol for the 44 digits, dimensioned per FEBRABAN."""
    if len(digits) != 44 or not digits.isdigit():
        raise BoletoError("the boleto barcode has exactly 44 digits")
    return I2of5(
        digits,
        barWidth=NARROW_BAR,
        ratio=WIDE_TO_NARROW,
        barHeight=BAR_HEIGHT,
        checksum=0,
        bearers=0,
        quiet=0,
        stop=1,
    )


def brl(amount: Money) -> str:
    """``1.234,56`` (the slip says R$ in its own box)."""
    whole, cents = f"{amount.amount:.2f}".split(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return f"{sign}{'.'.join(groups) or '0'},{cents}"


def _d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "Contra apresentação"


class _Slip:
    def __init__(self, canvas: Canvas, data: BoletoData) -> None:
        self.c = canvas
        self.data = data
        self.code = data.code

    def box(
        self, x: float, top: float, w: float, h: float, label: str, value: str = "", *, right: bool = False
    ) -> None:
        c = self.c
        c.setLineWidth(0.5)
        c.rect(x, top - h, w, h, stroke=1, fill=0)
        c.setFont("Helvetica", _LABEL_SIZE)
        c.drawString(x + 1.5, top - 6.5, label)
        if value:
            c.setFont("Helvetica-Bold" if right else "Helvetica", _VALUE_SIZE)
            if right:
                c.drawRightString(x + w - 3, top - h + 3, value)
            else:
                c.drawString(x + 2, top - h + 3, value[:110])

    def header(self, top: float, right_text: str) -> float:
        c = self.c
        bank = self.data.bank
        c.setFont("Helvetica-Bold", 12)
        c.drawString(_MARGIN, top - 14, bank.name)
        c.setLineWidth(1.5)
        x_code = _MARGIN + 45 * mm
        c.line(x_code, top - 18, x_code, top)
        c.line(x_code + 20 * mm, top - 18, x_code + 20 * mm, top)
        c.setFont("Helvetica-Bold", 14)
        c.drawCentredString(x_code + 10 * mm, top - 14, bank.code_with_dv)
        c.setFont("Helvetica-Bold", 10.5)
        c.drawRightString(_MARGIN + _WIDTH, top - 14, right_text)
        c.line(_MARGIN, top - 18, _MARGIN + _WIDTH, top - 18)
        return top - 18

    def party_lines(self, x: float, top: float, w: float, h: float, label: str, lines: list[str]) -> None:
        self.box(x, top, w, h, label)
        self.c.setFont("Helvetica", _VALUE_SIZE - 0.5)
        for i, line in enumerate(lines):
            self.c.drawString(x + 2, top - 15 - i * 9, line[:120])

    def receipt(self, top: float) -> float:
        d, code = self.data, self.code
        y = self.header(top, "Recibo do Pagador")
        left_w = _WIDTH - _RIGHT_COL
        x_r = _MARGIN + left_w
        self.box(_MARGIN, y, left_w, _ROW, "Beneficiário", f"{d.beneficiary.name}  {d.beneficiary.document}")
        self.box(
            x_r,
            y,
            _RIGHT_COL,
            _ROW,
            "Agência / Código do Beneficiário",
            d.agreement.beneficiary_code(),
            right=True,
        )
        y -= _ROW
        w = left_w / 3
        self.box(_MARGIN, y, w, _ROW, "Número do documento", d.document_number)
        self.box(_MARGIN + w, y, w, _ROW, "Data do documento", _d(d.document_date))
        self.box(_MARGIN + 2 * w, y, w, _ROW, "Vencimento", _d(d.due_date))
        self.box(x_r, y, _RIGHT_COL, _ROW, "Nosso Número", d.nosso_numero.display, right=True)
        y -= _ROW
        self.box(_MARGIN, y, left_w, _ROW, "Pagador", f"{d.payer.name}  {d.payer.document}")
        self.box(x_r, y, _RIGHT_COL, _ROW, "(=) Valor do Documento", brl(d.amount), right=True)
        y -= _ROW
        desc_h = max(3, len(d.description) + 1) * 9 + 4
        self.party_lines(_MARGIN, y, _WIDTH, desc_h, "Demonstrativo", list(d.description))
        y -= desc_h
        self.c.setFont("Helvetica", _LABEL_SIZE)
        self.c.drawRightString(_MARGIN + _WIDTH, y - 8, "Autenticação mecânica")
        self.c.setFont("Courier", 8)
        self.c.drawString(_MARGIN, y - 8, code.formatted_line)
        return y - 20

    def cut_line(self, y: float) -> float:
        c = self.c
        c.setDash(3, 2)
        c.setLineWidth(0.5)
        c.line(_MARGIN, y, _MARGIN + _WIDTH, y)
        c.setDash()
        c.setFont("Helvetica", _LABEL_SIZE)
        c.drawRightString(_MARGIN + _WIDTH, y + 2, "Corte na linha pontilhada")
        return y - 10

    def compensation(self, top: float) -> float:
        d, code = self.data, self.code
        y = self.header(top, code.formatted_line)
        left_w = _WIDTH - _RIGHT_COL
        x_r = _MARGIN + left_w
        self.box(_MARGIN, y, left_w, _ROW, "Local de pagamento", d.payment_place)
        self.box(x_r, y, _RIGHT_COL, _ROW, "Vencimento", _d(d.due_date), right=True)
        y -= _ROW
        beneficiary = f"{d.beneficiary.name}  {d.beneficiary.document}"
        self.box(_MARGIN, y, left_w, _ROW, "Beneficiário", beneficiary)
        self.box(
            x_r,
            y,
            _RIGHT_COL,
            _ROW,
            "Agência / Código do Beneficiário",
            d.agreement.beneficiary_code(),
            right=True,
        )
        y -= _ROW
        cols = [0.2, 0.22, 0.14, 0.1, 0.34]
        row = [
            ("Data do documento", _d(d.document_date)),
            ("Nº do documento", d.document_number),
            ("Espécie doc.", d.especie_documento),
            ("Aceite", d.aceite),
            ("Data processamento", _d(d.processing_date or d.document_date)),
        ]
        self._row(y, left_w, cols, row)
        self.box(x_r, y, _RIGHT_COL, _ROW, "Nosso Número", d.nosso_numero.display, right=True)
        y -= _ROW
        row = [
            ("Uso do banco", ""),
            ("Carteira", d.agreement.carteira),
            ("Espécie", "R$"),
            ("Quantidade", ""),
            ("(x) Valor", ""),
        ]
        self._row(y, left_w, cols, row)
        self.box(x_r, y, _RIGHT_COL, _ROW, "(=) Valor do Documento", brl(d.amount), right=True)
        y -= _ROW
        side = [
            "(-) Desconto / Abatimento",
            "(-) Outras deduções",
            "(+) Mora / Multa",
            "(+) Outros acréscimos",
            "(=) Valor cobrado",
        ]
        self.party_lines(
            _MARGIN,
            y,
            left_w,
            _ROW * len(side),
            "Instruções (texto de responsabilidade do beneficiário)",
            list(d.instructions),
        )
        for i, label in enumerate(side):
            self.box(x_r, y - i * _ROW, _RIGHT_COL, _ROW, label)
        y -= _ROW * len(side)
        payer = [f"{d.payer.name}  {d.payer.document}", *d.payer.address][:4]
        self.party_lines(_MARGIN, y, _WIDTH, 40, "Pagador", payer)
        y -= 40
        guarantor = f"{d.guarantor.name}  {d.guarantor.document}" if d.guarantor else ""
        self.box(_MARGIN, y, _WIDTH, _ROW, "Sacador / Avalista", guarantor)
        y -= _ROW
        self.c.setFont("Helvetica", _LABEL_SIZE)
        self.c.drawRightString(_MARGIN + _WIDTH, y - 7, "Autenticação mecânica - Ficha de Compensação")
        febraban_barcode(code.barcode).drawOn(self.c, _MARGIN, y - 4 - BAR_HEIGHT)
        return y - BAR_HEIGHT - 10

    def _row(self, top: float, width: float, fractions: list[float], cells: list[tuple[str, str]]) -> None:
        x = _MARGIN
        for fraction, (label, value) in zip(fractions, cells, strict=True):
            w = width * fraction
            self.box(x, top, w, _ROW, label, value)
            x += w


def _draw(canvas: Canvas, data: BoletoData) -> None:
    slip = _Slip(canvas, data)
    top = A4[1] - _MARGIN
    y = slip.receipt(top)
    y = slip.cut_line(y - 4 * mm)
    slip.compensation(y - 4 * mm)


def render_boletos_pdf(items: Iterable[BoletoData], *, compress: bool = True) -> bytes:
    """One page per boleto (e.g. every installment of an invoice, a carnê)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1 if compress else 0)
    canvas.setTitle("Boleto")
    pages = 0
    for data in items:
        _draw(canvas, data)
        canvas.showPage()
        pages += 1
    if pages == 0:
        raise BoletoError("no boleto to render")
    canvas.save()
    return buffer.getvalue()


def render_boleto_pdf(data: BoletoData, *, compress: bool = True) -> bytes:
    return render_boletos_pdf([data], compress=compress)
