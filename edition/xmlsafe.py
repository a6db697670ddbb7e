"""Safe XML parsing: no external entities, no DTD or network loads, no entity expansion bombs.

Every file the toolkit reads goes through `parse_file` (or `parse_bytes`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from lxml import etree

from .errors import EditionError

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"

_MAX_BYTES = 512 * 1024 * 1024
# A bare <!DOCTYPE TEI> is harmless; one with an external identifier or an internal subset is refused.
_DOCTYPE = re.compile(r"<!DOCTYPE\s+[\w:.-]+([^>]*)>")


def _parser(collect_ids: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,  # never expand entities, internal or external
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,  # libxml2's limits on depth and text size stay on
        remove_comments=False,
        collect_ids=collect_ids,  # xml:id into libxml2's ID table; a duplicate is then a parse error
    )


def _declared_encoding(data: bytes) -> str | None:
    head = data[:200]
    if head.startswith(b"<?xml"):
        end = head.find(b"?>")
        decl = head[:end].decode("ascii", "replace")
        for quote in ('"', "'"):
            key = f"encoding={quote}"
            if key in decl:
                return decl.split(key, 1)[1].split(quote, 1)[0]
    return None


@dataclass
class ParsedFile:
    """A parsed XML file with the (line, column) of every element's start tag."""

    path: str
    tree: etree._ElementTree
    elements: list = field(repr=False)
    positions: dict = field(repr=False)

    @property
    def root(self):
        return self.tree.getroot()

    def position(self, element) -> tuple[int, int]:
        return self.positions.get(element, (element.sourceline or 0, 0))


def _start_positions(data: bytes) -> list[tuple[int, int]]:
    """(line, column) of each start tag in document order, from expat (which reports columns)."""
    parser = expat.ParserCreate()
    positions: list[tuple[int, int]] = []

    def start(_name, _attrs):
        positions.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return []
    return positions


def parse_located(data: bytes, path: str) -> ParsedFile:
    """Parse safely and record where every element starts."""
    tree = parse_bytes(data, path)
    elements = [el for el in tree.getroot().iter() if isinstance(el.tag, str)]
    positions = _start_positions(data)
    if len(positions) != len(elements):
        positions = [(el.sourceline or 0, 0) for el in elements]
    return ParsedFile(path, tree, elements, dict(zip(elements, positions)))


def parse_bytes(data: bytes, path: str, collect_ids: bool = False) -> etree._ElementTree:
    """Parse XML bytes safely, raising EditionError with line and column on any problem.
    `collect_ids`: register xml:id values while parsing (faster than RelaxNG's ID type doing it
    later), at the price of a parse error for a duplicate or malformed xml:id."""
    if not data or data.isspace():
        raise EditionError("the file is empty", path, hint="an edition file must hold one TEI document")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        raise EditionError("the file is encoded in UTF-16", path, 1, 1, hint="save it as UTF-8")
    declared = _declared_encoding(data)
    if declared and declared.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise EditionError(f"the file declares encoding {declared!r}", path, 1, 1,
                           hint='save it as UTF-8 and declare encoding="UTF-8"')
    _refuse_doctype(data, path)
    try:
        return etree.ElementTree(etree.fromstring(data, _parser(collect_ids), base_url=None))
    except etree.XMLSyntaxError as exc:
        _refuse_invalid_utf8(data, path)  # libxml2 rejects every invalid UTF-8 sequence; name the byte
        line, column = exc.position if exc.position else (0, 0)
        message = str(exc.msg or exc).split(", line ")[0]
        raise EditionError(f"malformed XML: {message}", path, line, column + 1 if line else 0,
                           hint="fix the markup at that position") from None


def _refuse_doctype(data: bytes, path: str) -> None:
    """Refuse a document type declaration with an external identifier or an internal subset (the
    only place entities can be declared). It can only stand in the prolog, before the root
    element, among the XML declaration, comments, processing instructions and white space."""
    at = _doctype_offset(data)
    if at is None:
        return
    head = data[at:at + 16384].decode("utf-8", "replace")
    doctype = _DOCTYPE.match(head)
    if doctype is None or doctype.group(1).strip():
        before = data[:at].decode("utf-8", "replace")
        line, column = _position(before, len(before))
        raise EditionError("document type declarations and entities are not allowed", path, line, column,
                           hint="remove the <!DOCTYPE …> and write characters directly (UTF-8)")


def _doctype_offset(data: bytes) -> int | None:
    """Where `<!DOCTYPE` starts in the prolog, or None (the parser judges a malformed prolog)."""
    at = 3 if data.startswith(codecs.BOM_UTF8) else 0
    while True:
        while at < len(data) and data[at] in b" \t\r\n":
            at += 1
        if data.startswith(b"<?", at):
            end = data.find(b"?>", at + 2)
            at = end + 2
        elif data.startswith(b"<!--", at):
            end = data.find(b"-->", at + 4)
            at = end + 3
        else:
            return at if data.startswith(b"<!DOCTYPE", at) else None
        if end < 0:
            return None


def _refuse_invalid_utf8(data: bytes, path: str) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise EditionError(f"invalid UTF-8 byte 0x{data[exc.start]:02x}", path, line, column,
                           hint="save the file as UTF-8") from None


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def read_bytes(path: Path | str, display: str | None = None) -> bytes:
    """Read a file for parsing, turning OS errors into EditionError."""
    p = Path(path)
    shown = display or str(p)
    try:
        if p.is_dir():
            raise EditionError("is a folder, not a file", shown, hint="name an XML file")
        if p.stat().st_size > _MAX_BYTES:
            raise EditionError("the file is larger than 512 MiB", shown)
        data = p.read_bytes()
    except FileNotFoundError:
        raise EditionError("no such file", shown, hint="check the path (and edition.toml)") from None
    except PermissionError:
        raise EditionError("permission denied", shown) from None
    except IsADirectoryError:
        raise EditionError("is a folder, not a file", shown) from None
    return data


def parse_file(path: Path | str) -> etree._ElementTree:
    """Read and parse one XML file safely."""
    return parse_bytes(read_bytes(path), str(path))


def parse_tei_file(path: Path | str, display: str | None = None) -> ParsedFile:
    """Parse a file that must be a TEI document (root <TEI> in the TEI namespace)."""
    shown = display or str(path)
    parsed = parse_located(read_bytes(path, shown), shown)
    root = parsed.root
    if root.tag != f"{{{TEI_NS}}}TEI":
        raise EditionError(f"the root element is <{root.tag}>, not a TEI document", shown,
                           root.sourceline or 1, 1,
                           hint=f'the root must be <TEI xmlns="{TEI_NS}">')
    return parsed
