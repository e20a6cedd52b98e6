"""CSV/XLSX readers (encodings, delimiters, line numbers) and the injection-safe writer."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from app.adapters.files import UnreadableFile, UnsupportedFile, open_table, safe_cell, write_csv

TEXT = 'código;nome;valor\r\n1;"São Paulo; Centro";1.234,56\r\n\r\n2;"linha\nquebrada";9,90\r\n'


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp1252"), "cp1252"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_csv_encodings_delimiter_and_lines(tmp_path: Path, encoded: bytes, encoding: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(encoded)
    with open_table(path) as table:
        assert (table.encoding, table.delimiter) == (encoding, ";")
        assert table.header == ["código", "nome", "valor"]
        assert list(table.rows) == [
            (2, ["1", "São Paulo; Centro", "1.234,56"]),
            (4, ["2", "linha\nquebrada", "9,90"]),
        ]


def test_comma_csv_and_latin1_fallback(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes("name,city\nJo\xe3o,\x81x\n".encode("latin-1"))
    with open_table(path) as table:
        assert table.delimiter == ","
        assert table.encoding == "latin-1"
        assert list(table.rows) == [(2, ["João", "\x81x"])]


def test_xlsx_formula_is_text_and_blank_rows_skipped(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([None])
    ws.append(["name", "amount"])
    ws.append(["=1+1", 0.1])
    ws.append([None, None])
    ws.append(["x", 3.0])
    path = tmp_path / "book.bin"  # the name does not matter, the bytes do
    wb.save(path)
    with open_table(path) as table:
        assert table.kind == "xlsx"
        assert (table.header_line, table.header) == (2, ["name", "amount"])
        assert list(table.rows) == [(3, ["=1+1", "0.1"]), (5, ["x", "3"])]


def test_unsupported_and_unreadable(tmp_path: Path) -> None:
    cases = {
        "png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, UnsupportedFile),
        "xls": (b"\xd0\xcf\x11\xe0" + b"\x00" * 20, UnsupportedFile),
        "empty": (b"", UnreadableFile),
        "badzip": (b"PK\x03\x04garbage", UnreadableFile),
    }
    for name, (content, error) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(error):
            open_table(path)
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("readme.txt", "hi")
    with pytest.raises(UnsupportedFile):
        open_table(other_zip)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+55 65 99999", "'+55 65 99999"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("-12.50", "-12.50"),
        ("-", "'-"),
        ("Padaria", "Padaria"),
        (None, ""),
        (1234, "1234"),
    ],
)
def test_safe_cell(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def test_write_csv_round_trips_as_data() -> None:
    out = io.StringIO()
    count = write_csv(
        out, ["name", "amount"], [["=cmd|' /C calc'!A0", "-1.00"], ["Açaí; Ltda", "2"]], bom=True
    )
    assert count == 2
    text = out.getvalue()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["name", "amount"], ["'=cmd|' /C calc'!A0", "-1.00"], ["Açaí; Ltda", "2"]]
