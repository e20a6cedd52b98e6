"""CNAB 400 returns: one detail per title, one trailer whose totals differ per bank."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from app.adapters.banks.cnab.fields import compile_extractor
from app.adapters.banks.cnab.layouts400 import Layout400
from app.adapters.banks.cnab.occurrences import table_for
from app.adapters.banks.cnab.records import D400_WANTED, Occurrences, count_add, freeze, new_record
from app.domain.settlement.bank_files import CollectionTotals, FileTotals, ReturnRecord

if TYPE_CHECKING:
    from app.adapters.banks.cnab.returns import ReturnStream


def iter400(stream: ReturnStream, lay: Layout400) -> Iterator[ReturnRecord]:
    assert stream.first is not None
    first_no, first = stream.first
    fitted = stream.fit(first_no, first, 400)
    if fitted is None:
        return
    stream.header = stream.read(lay.header, first_no, fitted, ("data_gravacao", "nsa"))
    extractors = {k: (v, compile_extractor(v, D400_WANTED)) for k, v in lay.details.items()}
    occ = Occurrences(table_for(lay.bank_code, "cnab400"), {})
    resolve = occ.resolve
    bank = lay.bank_code
    total_lines = 1
    details = 0
    details_value = 0
    by_occ: dict[str, list[int]] = {}
    trailer: dict[str, Any] | None = None
    for line_no, line in stream.lines:
        if len(line) != 400:
            if not line.strip():
                continue
            line = stream.fit(line_no, line, 400)  # type: ignore[assignment]
            if line is None:
                continue
        total_lines += 1
        rt = line[0]
        pair = extractors.get(rt)
        if pair is not None:
            if trailer is not None:
                stream.error(line_no, "tipo_registro", "detail record after the trailer")
            layout, ext = pair
            try:
                d = ext(line)
            except ValueError:
                slow = stream.slow_detail(layout, D400_WANTED, line_no, line)
                if slow is None:
                    continue
                d = slow
            code = d[0]
            outcome, desc, reasons, kind, known = resolve(code, d[1])
            if not known:
                stream.error(
                    line_no,
                    "occurrence_code",
                    f"unknown occurrence code {code!r} (bank {bank}, CNAB 400)",
                )
            details += 1
            details_value += d[5]
            count_add(by_occ, code, d[5])
            if d[15] < 0:  # no net credit reported: the amount paid is what was credited
                d = (*d[:15], d[14], *d[16:])
            yield new_record((line_no, outcome, code, desc, reasons, kind, *d[3:], line))
        elif rt == "9":
            if trailer is not None:
                stream.error(line_no, "tipo_registro", "second trailer")
            trailer = stream.read(lay.trailer, line_no, line)
            trailer_no = line_no
        elif rt in lay.ignored_types:
            continue
        elif rt == "0":
            stream.error(line_no, "tipo_registro", "second file header")
        else:
            stream.error(line_no, "tipo_registro", f"unknown record type {rt!r} at position 1")
    stream.computed_totals = FileTotals(
        records=total_lines,
        details=details,
        details_value_minor=details_value,
        by_occurrence=freeze(by_occ),
    )
    if trailer is None:
        stream.error(0, "trailer", "missing trailer record (truncated file?)")
        return
    check_400_trailer(stream, lay, trailer_no, trailer, details, details_value, by_occ)


def check_400_trailer(
    stream: ReturnStream,
    lay: Layout400,
    line_no: int,
    tr: dict[str, Any],
    details: int,
    details_value: int,
    by_occ: dict[str, list[int]],
) -> None:
    declared = FileTotals(records=tr.get("sequencial"))
    if "details" in lay.checks:
        q, v = tr.get("quantidade_detalhes"), tr.get("valor_detalhes")
        declared = FileTotals(records=declared.records, details=q, details_value_minor=v)
        if q != details or v != details_value:
            stream.error(
                line_no,
                "quantidade_detalhes",
                f"trailer declares {q} titles / {v} centavos; the file has {details} / {details_value}",
            )
    if "collections" in lay.checks:
        coll: dict[str, CollectionTotals] = {}
        for key, name in (
            ("simple", "simples"),
            ("linked", "vinculada"),
            ("pledged", "caucionada"),
            ("discounted", "descontada"),
            ("vendor", "vendor"),
        ):
            q, v = tr.get(f"quantidade_{name}") or 0, tr.get(f"valor_{name}") or 0
            if q or v:
                coll[key] = CollectionTotals(q, v)
        declared = FileTotals(records=declared.records, collections=coll)
        if coll:
            q = sum(c.count for c in coll.values())
            v = sum(c.value_minor for c in coll.values())
            if q != details or v != details_value:
                stream.error(
                    line_no,
                    "totals",
                    f"trailer declares {q} titles / {v} centavos; the file has {details} / {details_value}",
                )
    if "occurrences" in lay.checks:
        occ_totals: dict[str, CollectionTotals] = {}
        for field in lay.trailer.fields:
            if not field.name.startswith("quantidade_ocorrencia_"):
                continue
            key = field.name.removeprefix("quantidade_ocorrencia_")
            q, v = tr.get(field.name) or 0, tr.get(f"valor_ocorrencia_{key}") or 0
            occ_totals[key] = CollectionTotals(q, v)
            cq = sum(by_occ.get(c, [0, 0])[0] for c in key.split("_"))
            cv = sum(by_occ.get(c, [0, 0])[1] for c in key.split("_"))
            if q != cq or v != cv:
                stream.error(
                    line_no,
                    f"ocorrencia_{key}",
                    f"trailer declares {q} titles / {v} centavos with occurrence {key.replace('_', '/')}; "
                    f"the file has {cq} / {cv}",
                )
        declared = FileTotals(records=declared.records, by_occurrence=occ_totals)
    stream.trailer_totals = declared


# --- result ---------------------------------------------------------------
