"""Turning bank-file bytes into numbered lines, tolerantly.

Real files mix CRLF, LF and CR, end with or without a newline, carry a DOS
Ctrl-Z (0x1A) end-of-file marker, lose their trailing spaces in transit and are
Latin-1 (or CP-1252) text. Latin-1 decodes any byte, so reading never fails on
content; the layout checks decide what is acceptable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

EOF_MARK = "\x1a"


def decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    return data.decode("latin-1")


def _split(text: str) -> list[str]:
    """``text`` cut at every CRLF, LF or lone CR.

    Almost every bank file ends its lines with CRLF only. Two ``count`` calls
    prove that (every CR and every LF belongs to a CRLF pair) and the text is
    split on CRLF at once, without the two full-text copies that normalising
    the line ends first costs.
    """
    parts = text.split("\r\n")
    ends = len(parts) - 1
    if text.count("\r") == ends and text.count("\n") == ends:
        return parts
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def split_lines(data: bytes | str) -> list[str]:
    """Every physical line, without line ends; line *n* of the file is item *n - 1*.

    Blank lines are kept (the engine skips them) so that positions stay line
    numbers without pairing every line with its number here.

    ``str.splitlines`` is not used on purpose: it also splits on ``\\x85``,
    ``\\x1c``… which are ordinary Latin-1 bytes in a bank file.
    """
    text = decode(data)
    cut = text.find(EOF_MARK)
    if cut >= 0:
        text = text[:cut]
    lines = _split(text)
    if lines and not lines[-1]:
        lines.pop()  # the final newline ends the last record; it does not open another
    return lines


def iter_lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """The streaming form of :func:`split_lines` over byte chunks of any size."""
    pending = ""
    for chunk in chunks:
        text = pending + decode(chunk) if pending else decode(chunk)
        cut = text.find(EOF_MARK)
        done = cut >= 0
        if done:
            text = text[:cut]
        # A trailing CR may be the first half of a CRLF split across chunks.
        if not done and text.endswith("\r"):
            pending, text = "\r", text[:-1]
        else:
            pending = ""
        parts = _split(text)
        if not done:
            pending = parts.pop() + pending
        yield from parts
        if done:
            return
    if pending.strip("\r"):
        yield pending.rstrip("\r")
