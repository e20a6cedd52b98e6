"""Shared pieces of the return engine: wanted fields, occurrence resolution, tallies."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, cast

from app.adapters.banks.cnab.fields import RecordLayout
from app.adapters.banks.cnab.occurrences import Table
from app.domain.settlement.bank_files import CollectionTotals, Outcome, ReturnRecord, SettlementKind

# The fields the engine asks every detail layout for, in this order; a layout
# that lacks one gets the default.
T_WANTED: tuple[tuple[str, Any], ...] = (
    # engine keys, not stored as such
    ("codigo_movimento", ""),
    ("motivo_ocorrencia", ""),
    ("carteira", ""),
    # then, in ReturnRecord order: nosso_numero … payer_name
    ("nosso_numero", ""),
    ("numero_documento", ""),
    ("valor_titulo", 0),
    ("valor_tarifa", 0),
    ("vencimento", None),
    ("sacado_inscricao", ""),
    ("sacado_nome", ""),
)
# In ReturnRecord order: interest_minor … credit_date.
U_WANTED: tuple[tuple[str, Any], ...] = (
    ("juros_multa", 0),
    ("desconto", 0),
    ("abatimento", 0),
    ("iof", 0),
    ("valor_pago", 0),
    ("valor_liquido", 0),
    ("outras_despesas", 0),
    ("outros_creditos", 0),
    ("data_ocorrencia", None),
    ("data_credito", None),
)
# A CNAB 400 detail carries both halves: the T part, then the U part.
D400_WANTED: tuple[tuple[str, Any], ...] = (
    ("codigo_ocorrencia", ""),
    ("motivos", ""),
    ("carteira", ""),
    ("nosso_numero", ""),
    ("numero_documento", ""),
    ("valor_titulo", 0),
    ("valor_tarifa", 0),
    ("vencimento", None),
    ("numero_inscricao_sacado", ""),
    ("sacado_nome", ""),
    ("juros_mora", 0),
    ("desconto", 0),
    ("abatimento", 0),
    ("iof", 0),
    ("valor_pago", 0),
    ("valor_liquido", -1),  # -1: the bank does not report a net credit; use the amount paid
    ("outras_despesas", 0),
    ("outros_creditos", 0),
    ("data_ocorrencia", None),
    ("data_credito", None),
)

# Header fields that only inform; a damaged one is a warning, not a broken file.
INFO_240 = ("data_geracao", "hora_geracao", "nsa", "data_gravacao", "data_credito", "numero_remessa_retorno")

Resolved = tuple[Outcome, str, tuple[str, ...], SettlementKind | None, bool]

# The fields of a ReturnRecord between line_no and nosso_numero (outcome, code,
# description, reasons, settlement kind): what ``Occurrences.heads`` holds.
HEAD_SIZE = 5

# tuple.__new__ without NamedTuple's Python-level __new__ (or _make's length
# check): one C call per record. The builders always pass the 24 fields; the
# tests hold every parsed record to ReturnRecord's length.
new_record = cast(Callable[[tuple[Any, ...]], ReturnRecord], partial(tuple.__new__, ReturnRecord))


def reason_codes(motivo: str) -> tuple[str, ...]:
    return tuple(c for i in range(0, len(motivo) - 1, 2) if (c := motivo[i : i + 2].strip()) and c != "00")


class Occurrences:
    """Resolves (code, motivo) once per distinct pair; a return has few of them.

    ``heads`` holds, for the pairs whose code is known, the record fields that
    follow the line number (outcome, code, description, reasons, settlement
    kind) as one tuple, ready to be concatenated into a ReturnRecord.
    """

    def __init__(self, table: Table, motivo_kinds: dict[str, SettlementKind]) -> None:
        self.table = table
        self.motivo_kinds = motivo_kinds
        self.cache: dict[tuple[str, str], Resolved] = {}
        self.heads: dict[tuple[str, str], tuple[Any, ...]] = {}

    def resolve(self, code: str, motivo: str) -> Resolved:
        key = (code, motivo)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        reasons = reason_codes(motivo)
        occ = self.table.get(code)
        if occ is None:
            res: Resolved = (Outcome.UNKNOWN, "", reasons, None, False)
        else:
            kind = occ.settlement
            if kind is SettlementKind.NORMAL:
                for r in reasons:
                    if r in self.motivo_kinds:
                        kind = self.motivo_kinds[r]
                        break
            res = (occ.outcome, occ.description, reasons, kind, True)
        if len(self.cache) < 10_000:
            self.cache[key] = res
            if res[4]:
                self.heads[key] = (res[0], code, res[1], res[2], res[3])
        return res


def slice_of(layout: RecordLayout, name: str) -> slice:
    f = layout.get(name)
    return slice(0, 0) if f is None else slice(f.start - 1, f.end)


def tally_add(acc: dict[tuple[str, str], list[int]], key: tuple[str, str], value: int) -> None:
    slot = acc.setdefault(key, [0, 0])
    slot[0] += 1
    slot[1] += value


def count_add(acc: dict[str, list[int]], key: str, value: int) -> None:
    slot = acc.get(key)
    if slot is None:
        acc[key] = [1, value]
    else:
        slot[0] += 1
        slot[1] += value


def regroup(
    tally: dict[tuple[str, str], list[int]], key: Callable[[tuple[str, str]], str]
) -> dict[str, list[int]]:
    """Sum a (carteira, occurrence) tally by collection type or by occurrence code."""
    out: dict[str, list[int]] = {}
    for k, (c, v) in tally.items():
        slot = out.setdefault(key(k), [0, 0])
        slot[0] += c
        slot[1] += v
    return out


def merge(into: dict[tuple[str, str], list[int]], tally: dict[tuple[str, str], list[int]]) -> None:
    for k, (c, v) in tally.items():
        slot = into.setdefault(k, [0, 0])
        slot[0] += c
        slot[1] += v


def freeze(acc: dict[str, list[int]]) -> dict[str, CollectionTotals]:
    return {k: CollectionTotals(c, v) for k, (c, v) in acc.items()}
