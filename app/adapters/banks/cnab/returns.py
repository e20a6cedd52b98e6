"""The return-file engine: one reader for every (bank, layout), driven by the layouts.

``open_return(lines)`` gives a :class:`ReturnStream`; iterating it yields
``ReturnRecord`` one at a time (a 100k-title file never sits in memory as
records), and ``stream.result()`` afterwards holds the header data, the errors
and the trailer checks. ``parse_return(data)`` does both for a whole file.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from app.adapters.banks.cnab.detect import Detection, NotACnabFile, detect_header
from app.adapters.banks.cnab.fields import RecordLayout, read_fields
from app.adapters.banks.cnab.layouts240 import LAYOUTS_240
from app.adapters.banks.cnab.layouts400 import LAYOUTS_400
from app.adapters.banks.cnab.returns240 import iter240
from app.adapters.banks.cnab.returns400 import iter400
from app.adapters.banks.cnab.text import split_lines
from app.domain.settlement.bank_files import FileError, FileTotals, ParsedReturnFile, ReturnRecord


class ReturnStream:
    """Streaming reader of one return (or remittance-shaped) file."""

    def __init__(self, lines: Iterable[str]) -> None:
        """``lines``: the file's physical lines without line ends (see ``split_lines``)."""
        self.lines: Iterator[tuple[int, str]] = enumerate(lines, 1)
        self.errors: list[FileError] = []
        self.header: dict[str, Any] = {}
        self.detection: Detection | None = None
        self.trailer_totals = FileTotals()
        self.computed_totals = FileTotals()
        self._done = False
        self.first = self._next_record()
        if self.first is None:
            self.error(0, "file", "empty file: no header record")
            return
        second = self._next_record()
        if second is not None:
            self.lines = itertools.chain((second,), self.lines)
        try:
            self.detection = detect_header(self.first[1], second[1] if second else None)
        except NotACnabFile as exc:
            self.error(self.first[0], "header", str(exc))
            return
        if self.detection.problem:
            self.errors.append(
                FileError(self.first[0], "codigo_remessa_retorno", self.detection.problem, "warning")
            )

    def _next_record(self) -> tuple[int, str] | None:
        for no, line in self.lines:
            if line.strip():
                return no, line
        return None

    # --- helpers ------------------------------------------------------------
    def error(self, line_no: int, field: str, message: str) -> None:
        self.errors.append(FileError(line_no, field, message))

    def fit(self, line_no: int, line: str, width: int) -> str | None:
        n = len(line)
        if n == width:
            return line
        if n < width:
            return line.ljust(width)
        self.error(line_no, "line", f"record of {n} characters; this CNAB {width} file allows {width}")
        return None

    def read(
        self, layout: RecordLayout, line_no: int, line: str, informational: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        values, errs = read_fields(layout, line)
        for e in errs:
            sev: Any = "warning" if e.field in informational else "error"
            self.errors.append(FileError(line_no, e.field, e.message, sev))
        return values

    def slow_detail(
        self, layout: RecordLayout, wanted: tuple[tuple[str, Any], ...], line_no: int, line: str
    ) -> tuple[Any, ...] | None:
        """The fast extractor refused the line: re-read it field by field.

        Blank amounts are zero here (some banks leave unused amounts blank);
        anything else that is not digits is an error for this record, which is
        then left out rather than read with a made-up value.
        """
        values, errs = read_fields(layout, line)
        wanted_names = {n for n, _ in wanted}
        bad = [e for e in errs if e.field in wanted_names]
        for e in errs:
            self.error(line_no, e.field, e.message)
        if bad:
            return None
        return tuple(values[n] if layout.get(n) is not None else d for n, d in wanted)

    # --- iteration ----------------------------------------------------------
    def __iter__(self) -> Iterator[ReturnRecord]:
        if self._done:
            raise RuntimeError("a ReturnStream can be iterated once")
        self._done = True
        det = self.detection
        if det is None or self.first is None:
            return iter(())
        if det.layout == "cnab240":
            layout240 = LAYOUTS_240.get(det.bank_code)
            if layout240 is None:
                self.error(self.first[0], "codigo_banco", f"no CNAB 240 layout for bank {det.bank_code}")
                return iter(())
            return iter240(self, layout240)
        layout400 = LAYOUTS_400.get(det.bank_code)
        if layout400 is None:
            self.error(self.first[0], "codigo_banco", f"no CNAB 400 layout for bank {det.bank_code}")
            return iter(())
        return iter400(self, layout400)

    def result(self, records: list[ReturnRecord] | None = None) -> ParsedReturnFile:
        det = self.detection
        h = self.header
        lot = h.get("lot") or {}

        def pick(name: str) -> str:
            value = h.get(name) or lot.get(name) or ""
            return str(value)

        generated: date | None = h.get("data_geracao") or h.get("data_gravacao")
        seq = h.get("nsa") or lot.get("numero_remessa_retorno")
        return ParsedReturnFile(
            bank_code=det.bank_code if det else "",
            layout=det.layout if det else "cnab240",
            kind=det.kind if det else "return",
            agency=pick("agencia"),
            agency_digit=pick("agencia_dv"),
            account=pick("conta"),
            account_digit=pick("conta_dv"),
            agreement=pick("convenio") or pick("codigo_empresa"),
            company_tax_id=pick("numero_inscricao"),
            company_name=pick("nome_empresa"),
            file_sequence=seq if isinstance(seq, int) and seq else None,
            generated_on=generated,
            records=records if records is not None else [],
            errors=list(self.errors),
            trailer_totals=self.trailer_totals,
            computed_totals=self.computed_totals,
        )


def open_return(lines: Iterable[str]) -> ReturnStream:
    return ReturnStream(lines)


def iter_records(lines: Iterable[str]) -> ReturnStream:
    """Stream ``ReturnRecord``s; the returned stream also holds errors and totals once exhausted."""
    return ReturnStream(lines)


def parse_return(data: bytes | str) -> ParsedReturnFile:
    stream = ReturnStream(split_lines(data))
    records = list(stream)
    parsed = stream.result(records)
    if parsed.kind != "return" and stream.detection is not None:
        parsed.errors.insert(
            0, FileError(1, "codigo_remessa_retorno", "this is a remittance file, not a return")
        )
    return parsed


__all__ = ["ReturnStream", "iter_records", "open_return", "parse_return"]
