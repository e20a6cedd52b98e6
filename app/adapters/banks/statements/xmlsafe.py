"""A hardened lxml parser for bank XML (camt, OFX 2).

Statements arrive from outside: an external entity could read local files or reach the
network (XXE) and nested internal entities could blow up memory (billion laughs). Bank
XML never needs a DTD, so the parser resolves no entities, loads no DTD, touches no
network, keeps libxml2's size limits (huge_tree off), and any document that declares a
DOCTYPE is refused outright.
"""

from __future__ import annotations

from typing import Any

from lxml import etree


class UnsafeXml(ValueError):
    """The document is malformed or uses XML features bank files never need."""

    def __init__(self, message: str, line_no: int | None = None) -> None:
        super().__init__(message)
        self.line_no = line_no


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes) -> etree._Element:
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        raise UnsafeXml(f"malformed XML: {exc.msg}", line) from exc
    info: Any = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise UnsafeXml("XML with a DOCTYPE is refused (entities are never expanded)", 1)
    return root


def local(tag: object) -> str:
    """Tag name without its namespace, so every camt version reads the same."""
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]
