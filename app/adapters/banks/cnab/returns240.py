"""CNAB 240 returns: segments T and U per title, lots with their trailers."""

from __future__ import annotations

from collections.abc import Iterator
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from app.adapters.banks.cnab.fields import compile_builder, compile_extractor
from app.adapters.banks.cnab.layouts240 import Layout240
from app.adapters.banks.cnab.occurrences import FEBRABAN_240_SETTLEMENT_REASONS, table_for
from app.adapters.banks.cnab.records import (
    HEAD_SIZE,
    INFO_240,
    T_WANTED,
    U_WANTED,
    Occurrences,
    freeze,
    merge,
    new_record,
    regroup,
    slice_of,
    tally_add,
)
from app.domain.settlement.bank_files import CollectionTotals, FileError, FileTotals, ReturnRecord

if TYPE_CHECKING:
    from app.adapters.banks.cnab.returns import ReturnStream


def iter240(stream: ReturnStream, lay: Layout240) -> Iterator[ReturnRecord]:
    assert stream.first is not None
    first_no, first = stream.first
    fitted = stream.fit(first_no, first, 240)
    if fitted is None:
        return
    stream.header = stream.read(lay.file_header, first_no, fitted, INFO_240)
    ext_t = compile_extractor(lay.t, T_WANTED)
    ext_u = compile_extractor(lay.u, U_WANTED)
    occ = Occurrences(
        table_for(lay.bank_code, "cnab240"),
        FEBRABAN_240_SETTLEMENT_REASONS if lay.liquidation_motivos else {},
    )
    resolve = occ.resolve
    collections_of = lay.collections
    errors = stream.errors
    bank = lay.bank_code
    total_lines = 1
    lots = 0
    lot_lines = 0
    lot_titles = 0
    in_lot = False
    t_no = 0
    t_line: str | None = None  # the segment T waiting for its U
    details = 0
    trailer_seen = False
    tally: dict[tuple[str, str], list[int]] = {}  # (carteira, occurrence) → [count, value], this lot
    file_tally: dict[tuple[str, str], list[int]] = {}
    empty_u = (0, 0, 0, 0, 0, 0, 0, 0, None, None)

    heads = occ.heads
    code_at, motivo_at, wallet_at, face_at = (
        slice_of(lay.t, n) for n in ("codigo_movimento", "motivo_ocorrencia", "carteira", "valor_titulo")
    )
    # (code, motivo, carteira) of a segment T → (record head, this lot's tally
    # slot) for the combinations already met in this lot: one dict hit per title
    # resolves the occurrence and finds where to count it.
    hot: dict[tuple[str, ...], tuple[tuple[Any, ...], list[int]]] = {}
    hot_get = hot.get
    hot_key = itemgetter(code_at, motivo_at, wallet_at)
    fast = compile_builder(((lay.t, T_WANTED[3:]), (lay.u, U_WANTED)), new_record, HEAD_SIZE)

    def slow(t_no: int, t_line: str, u_no: int, u_line: str | None) -> ReturnRecord | None:
        """Field by field: first sight of an occurrence, unknown codes, bad fields, T without U."""
        try:
            t: tuple[Any, ...] | None = ext_t(t_line)
        except ValueError:
            t = stream.slow_detail(lay.t, T_WANTED, t_no, t_line)
        u: tuple[Any, ...] | None = empty_u
        if u_line is not None:
            try:
                u = ext_u(u_line)
            except ValueError:
                u = stream.slow_detail(lay.u, U_WANTED, u_no, u_line)
        if t is None or u is None:
            # The fields at fault are reported and no record is made up, but the
            # title still counts against the trailer when its face value is readable.
            face = t_line[face_at]
            if face.isdigit() and face.isascii():  # isdigit() alone passes "²", which int() refuses
                tally_add(tally, (t_line[wallet_at], t_line[code_at]), int(face))
            return None
        code = t_line[code_at]
        outcome, desc, reasons, kind, known = resolve(code, t_line[motivo_at])
        if not known:
            errors.append(
                FileError(
                    t_no, "occurrence_code", f"unknown occurrence code {code!r} (bank {bank}, CNAB 240)"
                )
            )
        raw = t_line if u_line is None else t_line + "\n" + u_line
        return new_record((t_no, outcome, code, desc, reasons, kind, *t[3:], *u, raw))

    def lone_t(t_no: int, t_line: str) -> ReturnRecord | None:
        stream.error(t_no, "segmento", "segment T without its segment U")
        rec = slow(t_no, t_line, 0, None)
        if rec is not None:
            tally_add(tally, (t_line[wallet_at], rec[2]), rec[8])
        return rec

    for line_no, line in stream.lines:
        if len(line) != 240:
            if not line.strip():
                continue  # blank line: tolerated, still counted as a line number
            line = stream.fit(line_no, line, 240)  # type: ignore[assignment]
            if line is None:
                continue
        total_lines += 1
        rt = line[7]
        if rt == "3":
            lot_lines += 1
            seg = line[13]
            if seg == "T":
                if t_line is not None and (rec := lone_t(t_no, t_line)) is not None:
                    yield rec
                t_no, t_line = line_no, line
                details += 1
                lot_titles += 1
            elif seg == "U":
                if t_line is None:
                    stream.error(line_no, "segmento", "segment U without a preceding segment T")
                    continue
                key = hot_key(t_line)
                hit = hot_get(key)
                if hit is not None:
                    try:
                        rec = fast(t_no, hit[0], t_line, line)
                    except ValueError:
                        pass  # a field the fast path cannot vouch for: read it field by field
                    else:
                        t_line = None
                        slot = hit[1]
                        slot[0] += 1
                        slot[1] += rec[8]
                        yield rec
                        continue
                t_prev, t_line = t_line, None
                slow_rec = slow(t_no, t_prev, line_no, line)
                if slow_rec is None:
                    continue
                # One tally per (carteira, occurrence); trailers and totals are derived from it.
                tally_key = (t_prev[wallet_at], slow_rec[2])
                counted = tally.get(tally_key)
                if counted is None:
                    counted = tally[tally_key] = [0, 0]
                counted[0] += 1
                counted[1] += slow_rec[8]
                head = heads.get((key[0], key[1]))
                if head is not None and len(hot) < 10_000:
                    hot[key] = (head, counted)
                yield slow_rec
            # Other segments (W: e-mail/SMS data at Caixa, Y: extra data) carry no occurrence.
        elif rt == "1":
            if in_lot:
                stream.error(line_no, "tipo_registro", "lot header inside an open lot")
            in_lot = True
            lots += 1
            lot_lines = 1
            lot_titles = 0
            merge(file_tally, tally)
            tally = {}
            hot.clear()  # its slots belong to the tally just merged
            lh = stream.read(lay.lot_header, line_no, line, INFO_240)
            if not stream.header.get("lot"):
                stream.header["lot"] = lh
        elif rt == "5":
            if t_line is not None and (rec := lone_t(t_no, t_line)) is not None:
                yield rec
            t_line = None
            lot_lines += 1
            lot_coll = regroup(tally, lambda key: collections_of.get(key[0], "simple"))
            check_lot_trailer(stream, lay, line_no, line, lot_lines, lot_titles, lot_coll)
            merge(file_tally, tally)
            tally = {}
            hot.clear()  # its slots belong to the tally just merged
            in_lot = False
        elif rt == "9":
            trailer_seen = True
            ft = stream.read(lay.file_trailer, line_no, line)
            declared = ft.get("quantidade_registros")
            stream.trailer_totals = FileTotals(
                records=declared,
                collections=stream.trailer_totals.collections,
            )
            if declared is not None and declared != total_lines:
                stream.error(
                    line_no,
                    "quantidade_registros",
                    f"file trailer declares {declared} records; the file has {total_lines}",
                )
            if ft.get("quantidade_lotes") not in (None, lots):
                stream.error(
                    line_no,
                    "quantidade_lotes",
                    f"file trailer declares {ft.get('quantidade_lotes')} lots; the file has {lots}",
                )
        elif rt == "0":
            stream.error(line_no, "tipo_registro", "second file header")
        else:
            stream.error(line_no, "tipo_registro", f"unknown record type {rt!r} at position 8")
    if t_line is not None and (rec := lone_t(t_no, t_line)) is not None:
        yield rec
    if in_lot:
        stream.error(0, "lot_trailer", "lot not closed: missing lot trailer (truncated file?)")
    if not trailer_seen:
        stream.error(0, "file_trailer", "missing file trailer (truncated file?)")
    merge(file_tally, tally)
    stream.computed_totals = FileTotals(
        records=total_lines,
        details=details,
        details_value_minor=sum(v for _, v in file_tally.values()),
        collections=freeze(regroup(file_tally, lambda key: collections_of.get(key[0], "simple"))),
        by_occurrence=freeze(regroup(file_tally, lambda key: key[1])),
    )


def check_lot_trailer(
    stream: ReturnStream,
    lay: Layout240,
    line_no: int,
    line: str,
    lot_lines: int,
    lot_titles: int,
    lot_coll: dict[str, list[int]],
) -> None:
    tr = stream.read(lay.lot_trailer, line_no, line)
    declared = tr.get("quantidade_registros")
    accepted = {"all": lot_lines, "details": lot_lines - 2}
    if declared is not None and all(declared != accepted[m] for m in lay.lot_count_modes):
        stream.error(
            line_no,
            "quantidade_registros",
            f"lot trailer declares {declared} records; the lot has {lot_lines}",
        )
    declared_coll: dict[str, CollectionTotals] = {}
    for key, name in (
        ("simple", "simples"),
        ("linked", "vinculada"),
        ("pledged", "caucionada"),
        ("discounted", "descontada"),
    ):
        q, v = tr.get(f"quantidade_{name}") or 0, tr.get(f"valor_{name}") or 0
        if q or v:
            declared_coll[key] = CollectionTotals(q, v)
    merged = dict(stream.trailer_totals.collections)
    for k, ct in declared_coll.items():
        prev = merged.get(k)
        merged[k] = (
            ct if prev is None else CollectionTotals(prev.count + ct.count, prev.value_minor + ct.value_minor)
        )
    stream.trailer_totals = FileTotals(records=stream.trailer_totals.records, collections=merged)
    if lay.lot_totals != "file" or not declared_coll:
        return  # zero-filled totals: the bank does not carry them
    for key, ct in declared_coll.items():
        count, value = lot_coll.get(key, [0, 0])
        if ct.count != count or ct.value_minor != value:
            stream.error(
                line_no,
                f"totals_{key}",
                f"lot trailer declares {ct.count} titles / {ct.value} in {key} collection; "
                f"the lot has {count} / {CollectionTotals(count, value).value}",
            )
