"""RelaxNG validation of parsed files against the edition's own schema (a strict TEI subset)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from lxml import etree

from .diagnostics import Diagnostic
from .xmlsafe import ParsedFile, parse_bytes

_NS = re.compile(r"\{http://www\.tei-c\.org/ns/1\.0\}")


@lru_cache(maxsize=1)
def edition_schema() -> etree.RelaxNG:
    """The compiled edition.rng shipped inside the package."""
    data = resources.files("edition").joinpath("schema/edition.rng").read_bytes()
    return etree.RelaxNG(parse_bytes(data, "edition.rng"))


def _column(parsed: ParsedFile, line: int) -> int:
    for el in parsed.elements:
        pos = parsed.position(el)
        if pos[0] == line:
            return pos[1]
    return 0


def _readable(message: str) -> str:
    message = _NS.sub("", message)
    message = message.replace("Expecting element ", "expected <").replace(", got ", ">, found <")
    return message


def check_schema(parsed: ParsedFile, schema: etree.RelaxNG | None = None) -> list[Diagnostic]:
    """Schema diagnostics for one parsed file."""
    schema = schema or edition_schema()
    if schema.validate(parsed.tree):
        return []
    result = []
    seen = set()
    for entry in schema.error_log:
        key = (entry.line, entry.message)
        if key in seen:
            continue
        seen.add(key)
        path = _NS.sub("", entry.path or "")
        hint = f"element path {path}" if path else "see docs/encoding.md"
        result.append(Diagnostic(parsed.path, entry.line, _column(parsed, entry.line), "error", "schema",
                                 _readable(entry.message), hint))
    return result
