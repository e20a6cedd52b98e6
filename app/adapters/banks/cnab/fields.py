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
from operator import itemgetter
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
_EXTRACTORS: dict[tuple[int, tuple[tuple[str, Any], ...]], tuple[RecordLayout, Extractor]] = {}


def _generate(
    layout: RecordLayout, wanted: tuple[tuple[str, Any], ...], var: str, tag: str, consts: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """Statements and expressions reading ``wanted`` from the string ``var``.

    Every field's text is cut in one C call (an ``operator.itemgetter`` of the
    precomputed slices) instead of one slice per field in bytecode; numbers
    compare against the all-zero literal first, because most amounts of a
    return (discount, rebate, IOF, other expenses…) are zero and ``int()`` costs
    several times a string comparison.
    """
    slices: list[slice] = []
    names: list[str] = []
    body: list[str] = []
    out: list[str] = []
    dates: list[str] = []
    for i, (name, default) in enumerate(wanted):
        f = layout.get(name)
        if f is None:
            consts[f"_c{tag}{i}"] = default
            out.append(f"_c{tag}{i}")
            continue
        v = f"v{tag}{i}"
        slices.append(slice(f.start - 1, f.end))
        names.append(v)
        if f.kind is Kind.ALPHA or f.kind is Kind.DIGITS:
            # Numeric codes of one or two digits are read as they are: strip()
            # costs more than it is worth on a 100k-line file (see read_value).
            out.append(v if f.kind is Kind.DIGITS and f.size <= 2 else f"{v}.strip()")
        elif f.kind in (Kind.AMOUNT, Kind.INT):
            # Only ASCII digits before int(), which also takes " 12", "+12" and
            # "1_2". bytes.isdigit() is exactly that and, with the encode, costs
            # half of str.isdigit() (which also passes '²').
            body.append(
                f"    if {v} == {'0' * f.size!r}:\n        {v} = 0\n"
                f"    elif {v}.encode().isdigit():\n        {v} = int({v})\n"
                f"    else:\n        raise ValueError('non-digit in {name}')"
            )
            out.append(v)
        else:
            # Dates come from a cache (a return has few distinct dates); a date not
            # seen yet sends the record to the slow path, which parses and caches it.
            dates.append(f"        {v} = {'_d8' if f.kind is Kind.DATE8 else '_d6'}[{v}]")
            out.append(v)
    if dates:
        # Subscripts in one try block: cheaper than a dict.get call per date.
        body.append(
            "    try:\n"
            + "\n".join(dates)
            + "\n    except KeyError:\n        raise ValueError('date not cached') from None"
        )
    if len(slices) == 1:
        body.insert(0, f"    {names[0]} = {var}[{slices[0].start}:{slices[0].stop}]")
    elif slices:
        consts[f"_cut{tag}"] = itemgetter(*slices)
        body.insert(0, f"    {', '.join(names)} = _cut{tag}({var})")
    return body, out


def _exec(src: str, name: str, consts: dict[str, Any]) -> Any:
    namespace: dict[str, Any] = {"_d8": _DATE8, "_d6": _DATE6, **consts}
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
    if cached is not None and cached[0] is layout:  # ids are reused once a layout is collected
        return cached[1]
    consts: dict[str, Any] = {}
    body, out = _generate(layout, wanted, "line", "", consts)
    src = "def extract(line):\n" + "\n".join(body) + "\n    return (" + ", ".join(out) + ",)\n"
    fn: Extractor = _exec(src, "extract", consts)
    _EXTRACTORS[key] = (layout, fn)
    return fn


Builder = Callable[..., Any]
_BUILDERS: dict[tuple[Any, ...], tuple[tuple[RecordLayout, ...], Builder]] = {}


def compile_builder(
    parts: tuple[tuple[RecordLayout, tuple[tuple[str, Any], ...]], ...],
    make: Callable[[tuple[Any, ...]], Any],
    head_size: int,
) -> Builder:
    """One function that reads a whole record from its line(s) and builds the result.

    ``build(no, head, line_0, line_1, ...)`` returns ``make((no, *head, <fields
    of line_0>, <fields of line_1>, ..., raw))`` where ``head`` is a tuple of
    ``head_size`` items and ``raw`` the lines joined by newlines. It is the hot
    path of the parser: one call per title, no intermediate tuples or lists
    (the head is unpacked into locals rather than starred). Raises
    ``ValueError`` like an extractor.
    """
    key = (tuple((id(lay), w) for lay, w in parts), id(make), head_size)
    cached = _BUILDERS.get(key)
    if cached is not None and all(a is b for a, (b, _) in zip(cached[0], parts, strict=True)):
        return cached[1]
    consts: dict[str, Any] = {"_make": make}
    body: list[str] = []
    out: list[str] = []
    args = [f"l{i}" for i in range(len(parts))]
    for i, (lay, wanted) in enumerate(parts):
        b, o = _generate(lay, wanted, args[i], f"p{i}_", consts)
        body += b
        out += o
    heads = [f"h{i}" for i in range(head_size)]
    if heads:
        body.append(f"    {', '.join(heads)}{',' if head_size == 1 else ''} = head")
    raw = ' + "\\n" + '.join(args)
    src = (
        f"def build(no, head, {', '.join(args)}):\n"
        + "\n".join(body)
        + f"\n    return _make((no, {''.join(h + ', ' for h in heads)}{', '.join(out)}, {raw}))\n"
    )
    fn: Builder = _exec(src, "build", consts)
    _BUILDERS[key] = (tuple(lay for lay, _ in parts), fn)
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
