"""The printable boleto: content, pages and the I2of5 bars."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from reportlab.lib.units import mm

from app.adapters.banks.boleto import BoletoData, BoletoError, Itau, Party
from app.adapters.banks.boleto.pdf import brl, febraban_barcode, render_boleto_pdf, render_boletos_pdf
from app.domain.shared.money import Money

AGREEMENT = Itau("1248", "02124", "109")


def _data(**changes: object) -> BoletoData:
    data = BoletoData(
        agreement=AGREEMENT,
        nosso_numero=AGREEMENT.nosso_numero(10152),
        beneficiary=Party("Cobalto Indústria Ltda", "12.345.678/0001-95"),
        payer=Party("José da Silva", "123.456.789-09", ("Rua das Flores, 123", "01001-000 São Paulo/SP")),
        amount=Money.of("6757.87", "BRL"),
        due_date=date(2029, 5, 20),
        document_number="NF1234/2",
        document_date=date(2029, 4, 20),
        instructions=("Não receber após 30 dias do vencimento",),
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def test_pdf_carries_the_slip_fields() -> None:
    pdf = render_boleto_pdf(_data(), compress=False)
    assert pdf.startswith(b"%PDF")
    text = pdf.decode("latin-1")
    assert "(34191.09008 01015.271248 80212.460002 4 25480000675787)" in text
    assert "(109/00010152-7)" in text
    assert "(6.757,87)" in text
    assert "(20/05/2029)" in text
    assert "(1248 / 02124-6)" in text
    assert "Ficha de Compensa" in text and "Recibo do Pagador" in text


def test_compressed_pdf_is_smaller_and_valid() -> None:
    compressed = render_boleto_pdf(_data())
    assert compressed.startswith(b"%PDF") and compressed.rstrip().endswith(b"%%EOF")
    assert len(compressed) < len(render_boleto_pdf(_data(), compress=False))


def test_one_page_per_installment() -> None:
    items = [_data(nosso_numero=AGREEMENT.nosso_numero(n), document_number=f"NF1234/{n}") for n in (1, 2, 3)]
    pdf = render_boletos_pdf(items, compress=False)
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 3


def test_no_boleto_no_pdf() -> None:
    with pytest.raises(BoletoError):
        render_boletos_pdf([])


def test_other_currency_is_refused() -> None:
    with pytest.raises(BoletoError, match="BRL"):
        _data(amount=Money.of("10.00", "USD"))


def test_brl_formatting() -> None:
    assert brl(Money.of("0.5", "BRL")) == "0,50"
    assert brl(Money.of("1234567.89", "BRL")) == "1.234.567,89"
    assert brl(Money.of("999", "BRL")) == "999,00"


class _Recorder:
    def __init__(self) -> None:
        self.rects: list[tuple[float, float]] = []

    def rect(self, x: float, y: float, w: float, h: float, stroke: int = 0, fill: int = 1) -> None:
        self.rects.append((x, w))


_WIDTHS = {
    "nnwwn": "0",
    "wnnnw": "1",
    "nwnnw": "2",
    "wwnnn": "3",
    "nnwnw": "4",
    "wnwnn": "5",
    "nwwnn": "6",
    "nnnww": "7",
    "wnnwn": "8",
    "nwnwn": "9",
}


def _decode_i2of5(elements: list[tuple[str, float]], narrow: float) -> str:
    """Read bars and spaces (kind, width) back into digits, checking start and stop."""
    kinds = [
        "w" if abs(w - 3 * narrow) < 1e-6 else "n" if abs(w - narrow) < 1e-6 else "?" for _, w in elements
    ]
    assert "?" not in kinds, "every element is narrow or exactly 3x narrow"
    assert kinds[:4] == ["n", "n", "n", "n"]  # start: narrow bar, space, bar, space
    assert kinds[-3:] == ["w", "n", "n"]  # stop: wide bar, narrow space, narrow bar
    body = kinds[4:-3]
    out = []
    for i in range(0, len(body), 10):
        chunk = body[i : i + 10]
        out.append(_WIDTHS["".join(chunk[0::2])] + _WIDTHS["".join(chunk[1::2])])
    return "".join(out)


def test_barcode_bars_encode_the_44_digits_with_febraban_dimensions() -> None:
    barcode = _data().code.barcode
    symbol = febraban_barcode(barcode)
    recorder = _Recorder()
    symbol.canv = recorder
    symbol.draw()
    # Rebuild the bar/space sequence from the drawn rectangles.
    elements: list[tuple[str, float]] = []
    cursor = recorder.rects[0][0]
    for x, w in recorder.rects:
        if x - cursor > 1e-6:
            elements.append(("s", x - cursor))
        elements.append(("b", w))
        cursor = x + w
    narrow = 0.254 * mm
    assert _decode_i2of5(elements, narrow) == barcode
    total = cursor - recorder.rects[0][0]
    assert 102 * mm < total < 104 * mm  # FEBRABAN: about 103 mm long
    assert symbol.barHeight == pytest.approx(13 * mm)


def test_barcode_refuses_anything_but_44_digits() -> None:
    with pytest.raises(BoletoError):
        febraban_barcode("123")
