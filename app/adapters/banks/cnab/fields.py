"""Declarative fixed-width fields and the one engine that reads and writes them.

A layout is data: each field has a name (the spec's own name), its 1-based
inclusive positions as printed in the bank manuals, and a kind. Reading a record
happens through an extractor compiled once per (record layout, wanted fields):
plain slicing code generated from the layout, so a 100k-title file costs one
function call per line instead of one per field. When the fast path meets
anything odd (a non-digit in an amount, an impossible date) the slow path
re-reads the line field by field to say which field is wrong.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


class Kind(enum.Enum):
    ALPHA = "alpha"  # text, stripped; written left-aligned, space padded
    DIGITS = "digits"  # numeric code kept as text (agency, account); written zero-filled
    INT = "int"  # counts and sequence numbers
    AMOUNT = "amount"  # integer centavos, implied decimals
    DATE6 = "date6"  # DDMMYY
    DATE8 = "date8"  # DDMMYYYY


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    start: int
    end: int
    kind: Kind
    const: str | None = None  # fixed content (record type, literals); checked on read

    @property
    def size(self) -> int:
        return self.end - self.start + 1


def alpha(name: str, start: int, end: int, const: str | None = None) -> Field:
    return Field(name, start, end, Kind.ALPHA, const)


def digits(name: str, start: int, end: int, const: str | None = None) -> Field:
    return Field(name, start, end, Kind.DIGITS, const)


def integer(name: str, start: int, end: int) -> Field:
    return Field(name, start, end, Kind.INT)


def amount(name: str, start: int, end: int) -> Field:
    return Field(name, start, end, Kind.AMOUNT)


def date6(name: str, start: int, end: int) -> Field:
    return Field(name, start, end, Kind.DATE6)


def date8(name: str, start: int, end: int) -> Field:
    return Field(name, start, end, Kind.DATE8)


class FieldFormatError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class RecordLayout:
    name: str
    width: int
    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for f in self.fields:
            if not 1 <= f.start <= f.end <= self.width:
                raise ValueError(f"{self.name}.{f.name}: positions {f.start}-{f.end} outside 1-{self.width}")
            if f.name in seen:
                raise ValueError(f"{self.name}: field {f.name} declared twice")
            seen.add(f.name)

    def get(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def with_fields(
        self, *overrides: Field, name: str | None = None, drop: Iterable[str] = ()
    ) -> RecordLayout:
        """A bank variant: same record with some fields moved, added or removed."""
        by_name = {f.name: f for f in self.fields if f.name not in set(drop)}
        for f in overrides:
            by_name[f.name] = f
        return RecordLayout(name or self.name, self.width, tuple(by_name.values()))


# --- reading ---------------------------------------------------------------

_MISS = object()
_DATE8: dict[str, date | None] = {"00000000": None, "        ": None}
_DATE6: dict[str, date | None] = {"000000": None, "      ": None}


def parse_date8(s: str) -> date | None:
    try:
        return _DATE8[s]
    except KeyError:
        pass
    if not (s.isdigit() and s.isascii()):
        raise ValueError(f"not a DDMMYYYY date: {s!r}")
    d = date(int(s[4:8]), int(s[2:4]), int(s[0:2]))
    if len(_DATE8) < 20_000:  # returns carry few distinct dates; keep the cache bounded anyway
        _DATE8[s] = d
    return d


def parse_date6(s: str) -> date | None:
    try:
        return _DATE6[s]
    except KeyError:
        pass
    if not (s.isdigit() and s.isascii()):
        raise ValueError(f"not a DDMMYY date: {s!r}")
    yy = int(s[4:6])
    # FEBRABAN's pivot: two-digit years below 70 are 20xx (files predate 1970 never).
    d = date(2000 + yy if yy < 70 else 1900 + yy, int(s[2:4]), int(s[0:2]))
    if len(_DATE6) < 20_000:
        _DATE6[s] = d
    return d


def read_value(f: Field, raw: str) -> Any:
    """Convert one field's text; raises FieldFormatError with a readable message."""
    k = f.kind
    try:
        if k is Kind.ALPHA or k is Kind.DIGITS:
            return raw if k is Kind.DIGITS and f.size <= 2 else raw.strip()
        if k is Kind.AMOUNT or k is Kind.INT:
            if not raw.strip():
                return 0  # some banks leave unused amounts blank instead of zero-filled
            if not (raw.isdigit() and raw.isascii()):
                raise FieldFormatError(f.name, f"expected digits at {f.start}-{f.end}, found {raw!r}")
            return int(raw)
        if k is Kind.DATE8:
            return parse_date8(raw)
        return parse_date6(raw)
    except FieldFormatError:
        raise
    except ValueError as exc:
        raise FieldFormatError(f.name, f"invalid date at {f.start}-{f.end}: {raw!r}") from exc


def read_fields(layout: RecordLayout, line: str) -> tuple[dict[str, Any], list[FieldFormatError]]:
    """The slow, thorough path: every field, every error."""
    values: dict[str, Any] = {}
    errors: list[FieldFormatError] = []
    for f in layout.fields:
        raw = line[f.start - 1 : f.end]
        try:
            values[f.name] = read_value(f, raw)
        except FieldFormatError as exc:
            errors.append(exc)
            values[f.name] = None
    return values, errors


Extractor = Callable[[str], tuple[Any, ...]]
_EXTRACTORS: dict[tuple[int, tuple[tuple[str, Any], ...]], Extractor] = {}


def _numeric_spans(fields: list[Field]) -> list[tuple[int, int]]:
    """Merge adjacent numeric fields so one ``isdigit`` covers a run of amounts."""
    spans: list[tuple[int, int]] = []
    for f in sorted(fields, key=lambda f: f.start):
        if spans and spans[-1][1] + 1 == f.start:
            spans[-1] = (spans[-1][0], f.end)
        elif not spans or f.start > spans[-1][1]:
            spans.append((f.start, f.end))
    return spans


def _generate(
    layout: RecordLayout, wanted: tuple[tuple[str, Any], ...], var: str, tag: str, consts: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """Statements (checks, dates) and expressions reading ``wanted`` from the string ``var``."""
    body: list[str] = []
    out: list[str] = []
    dates: list[str] = []
    numeric = [f for n, _ in wanted if (f := layout.get(n)) and f.kind in (Kind.AMOUNT, Kind.INT)]
    checks = " and ".join(f"{var}[{a - 1}:{b}].isdigit()" for a, b in _numeric_spans(numeric))
    if checks:
        # isdigit() also accepts superscripts like '²'; int() then raises, which is fine.
        body.append(f"    if not ({checks}):\n        raise ValueError('non-digit in a numeric field')")
    for i, (name, default) in enumerate(wanted):
        f = layout.get(name)
        if f is None:
            consts[f"_c{tag}{i}"] = default
            out.append(f"_c{tag}{i}")
            continue
        sl = f"{var}[{f.start - 1}:{f.end}]"
        if f.kind is Kind.ALPHA or f.kind is Kind.DIGITS:
            # Numeric codes of one or two digits are read as they are: strip()
            # costs more than it is worth on a 100k-line file (see read_value).
            out.append(sl if f.kind is Kind.DIGITS and f.size <= 2 else f"{sl}.strip()")
        elif f.kind in (Kind.AMOUNT, Kind.INT):
            out.append(f"int({sl})")
        else:
            # Dates come from a cache (a return has few distinct dates); a date not
            # seen yet sends the record to the slow path, which parses and caches it.
            v = f"v{tag}{i}"
            body.append(f"    {v} = {'_g8' if f.kind is Kind.DATE8 else '_g6'}({sl}, _MISS)")
            dates.append(v)
            out.append(v)
    if dates:
        body.append(
            f"    if {' or '.join(f'{v} is _MISS' for v in dates)}:\n        raise ValueError('date not cached')"
        )
    return body, out


def _exec(src: str, name: str, consts: dict[str, Any]) -> Any:
    namespace: dict[str, Any] = {"_g8": _DATE8.get, "_g6": _DATE6.get, "_MISS": _MISS, **consts}
    # The source is generated from our own layout declarations only, never from file content.
    exec(compile(src, f"<cnab {name}>", "exec"), namespace)  # noqa: S102
    return namespace[name]


def compile_extractor(layout: RecordLayout, wanted: tuple[tuple[str, Any], ...]) -> Extractor:
    """Build ``extract(line) -> tuple`` for the ``wanted`` (name, default) pairs, in that order.

    A name the layout lacks yields its default (banks omit fields). The function
    raises ``ValueError`` on any malformed numeric or date field; the caller then
    uses :func:`read_fields` to find and report it.
    """
    key = (id(layout), wanted)
    cached = _EXTRACTORS.get(key)
    if cached is not None:
        return cached
    consts: dict[str, Any] = {}
    body, out = _generate(layout, wanted, "line", "", consts)
    src = "def extract(line):\n" + "\n".join(body) + "\n    return (" + ", ".join(out) + ",)\n"
    fn: Extractor = _exec(src, "extract", consts)
    _EXTRACTORS[key] = fn
    return fn


Builder = Callable[..., Any]
_BUILDERS: dict[tuple[Any, ...], Builder] = {}


def compile_builder(
    parts: tuple[tuple[RecordLayout, tuple[tuple[str, Any], ...]], ...],
    make: Callable[[tuple[Any, ...]], Any],
) -> Builder:
    """One function that reads a whole record from its line(s) and builds the result.

    ``build(no, head, line_0, line_1, ...)`` returns ``make((no, *head, <fields
    of line_0>, <fields of line_1>, ..., raw))`` where ``raw`` is the lines
    joined by newlines. It is the hot path of the parser: one call per title,
    no intermediate tuples. Raises ``ValueError`` like an extractor.
    """
    key = (tuple((id(lay), w) for lay, w in parts), id(make))
    cached = _BUILDERS.get(key)
    if cached is not None:
        return cached
    consts: dict[str, Any] = {"_make": make}
    body: list[str] = []
    out: list[str] = []
    args = [f"l{i}" for i in range(len(parts))]
    for i, (lay, wanted) in enumerate(parts):
        b, o = _generate(lay, wanted, args[i], f"p{i}_", consts)
        body += b
        out += o
    raw = ' + "\\n" + '.join(args)
    src = (
        f"def build(no, head, {', '.join(args)}):\n"
        + "\n".join(body)
        + f"\n    return _make((no, *head, {', '.join(out)}, {raw}))\n"
    )
    fn: Builder = _exec(src, "build", consts)
    _BUILDERS[key] = fn
    return fn


# --- writing ---------------------------------------------------------------


def format_value(f: Field, value: Any) -> str:
    """Render one field at its exact width; raise FieldFormatError when it cannot fit."""
    size = f.size
    if value is None and f.const is not None:
        value = f.const
    k = f.kind
    if k is Kind.ALPHA:
        text = "" if value is None else str(value)
        if len(text) > size:
            text = text[:size]  # names and addresses are truncated, as every bank expects
        return text.ljust(size)
    if k is Kind.DIGITS:
        text = "" if value is None else str(value)
        if not text:
            return "0" * size
        if not text.isdigit() or len(text) > size:
            raise FieldFormatError(f.name, f"{text!r} does not fit {size} digits")
        return text.rjust(size, "0")
    if k is Kind.AMOUNT or k is Kind.INT:
        n = 0 if value is None else int(value)
        if n < 0:
            raise FieldFormatError(f.name, "negative values cannot be written")
        text = str(n)
        if len(text) > size:
            raise FieldFormatError(f.name, f"{n} does not fit {size} digits")
        return text.rjust(size, "0")
    if value is None:
        return "0" * size
    if not isinstance(value, date):
        raise FieldFormatError(f.name, f"expected a date, got {value!r}")
    if k is Kind.DATE8:
        return value.strftime("%d%m%Y")
    if not 1970 <= value.year <= 2069:
        raise FieldFormatError(f.name, f"{value} cannot be written as DDMMYY")
    return value.strftime("%d%m%y")


_PLANS: dict[int, tuple[RecordLayout, list[tuple[int, Field]]]] = {}


def _plan(layout: RecordLayout) -> list[tuple[int, Field]]:
    """Fields in position order, each with the blank gap before it (computed once per layout)."""
    hit = _PLANS.get(id(layout))
    if hit is not None and hit[0] is layout:
        return hit[1]
    plan: list[tuple[int, Field]] = []
    pos = 1
    for f in sorted(layout.fields, key=lambda f: f.start):
        if f.start < pos:
            raise ValueError(f"{layout.name}.{f.name} overlaps the previous field; cannot be written")
        plan.append((f.start - pos, f))
        pos = f.end + 1
    _PLANS[id(layout)] = (layout, plan)
    return plan


def write_record(layout: RecordLayout, values: Mapping[str, Any]) -> str:
    """One record at exactly ``layout.width`` characters; unnamed gaps are blanks."""
    parts: list[str] = []
    pos = 1
    for gap, f in _plan(layout):
        if gap:
            parts.append(" " * gap)
        parts.append(format_value(f, values.get(f.name)))
        pos = f.end + 1
    parts.append(" " * (layout.width - pos + 1))
    line = "".join(parts)
    if len(line) != layout.width:  # pragma: no cover - guarded by RecordLayout positions
        raise AssertionError(f"{layout.name}: wrote {len(line)} characters")
    return line
