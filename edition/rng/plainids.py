"""Plain xml:ids, checked on a document's bytes and taken out of them before parsing.

In TEI files that put an `xml:id` on every element (the ADL corpus does), the xml:ids cost about
half of libxml2's time: the parser builds an attribute and its text for each, RelaxNG copies and
matches each value, and freeing the tree frees them again. When every xml:id of a document is an
ASCII NCName, no two the same (`without_xml_ids` checks that on the bytes), and the grammar lets
every element of the document have an xml:id of any such value or none (`OptionalIds`), the
document is valid exactly when the same document without its xml:ids is: `check.py` then parses
and validates the bytes without them, which takes half the time. Schematron patterns that cannot
see xml:ids run on that tree too (its elements keep their lines and columns); the messages of an
invalid document, and patterns that can see them, come from the document as written.
"""

from __future__ import annotations

import re

from lxml import etree

from .specialise import RNG_NS, _defines, pattern_qname

_R = f"{{{RNG_NS}}}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

# Every `xml:id` in the bytes, with what follows it when that is `="…"`, else nothing.
_WRITTEN_ID = re.compile(rb'xml:id(="[^"]*"|)')
_PLAIN_IDS = re.compile(rb'(?:="[A-Za-z_][-.\w]*"\n)*')  # each an ASCII NCName, one per line
_TAGS_PER_ID = 3  # at most this many `<` per xml:id: taking them out pays for the search that does it
_SAMPLE = 1 << 18  # bytes in which that is counted


class WrittenIds:
    """What a document's bytes show of its xml:ids."""

    def __init__(self, data: bytes):
        self.data = data
        self.count = data.count(b"xml:id")

    @property
    def plain(self) -> bool:
        """Whether every xml:id attribute of the document (if it parses) is an NCName, no two the
        same: true when every `xml:id` in its bytes is followed by `="…"` with an ASCII NCName in
        the quotes, and no two of those are the same. (Twice as fast as libxml2 collecting IDs
        while parsing, and about as fast as parsing without.) Each attribute is found: its name
        is `xml:id` in any document that parses (no other prefix may stand for the XML namespace),
        and a match that started earlier (in a comment, say) and ran over it ends at a quote after
        `xml:id=`, so it holds `=` and fails. Other matches only add names: a false "no" at worst,
        which costs the slower check."""
        values = _WRITTEN_ID.findall(self.data)
        return len(set(values)) == len(values) and _PLAIN_IDS.fullmatch(b"\n".join(values) + b"\n") is not None

    @property
    def worth_removing(self) -> bool:
        """Whether the document has so many xml:ids among its tags that validating it without
        them (about 0.5 µs less per xml:id) pays for finding them in its start tags (about 140 ns
        per tag): at most three `<` per `xml:id` in its first 256 KB. (ADL style: 2; the
        prose-style bench corpus: 4.7, where taking them out neither gains nor loses.)"""
        if not self.count:
            return False
        ids = self.data.count(b"xml:id", 0, _SAMPLE)
        return ids > 0 and self.data.count(b"<", 0, _SAMPLE) <= _TAGS_PER_ID * ids


# A start tag up to its xml:id, and the xml:id's value (attribute values and text hold no `<`;
# only comments, processing instructions and CDATA sections could hold such text, see below).
# Only spaces and tabs go with it, so every element keeps its line.
_NAME = rb'[A-Za-z_][-.\w:]*'  # an ASCII name, prefixed or not (a tag with another name is left as it is)
_TAG_ID = re.compile(rb'(<' + _NAME + rb'(?:\s+' + _NAME + rb'\s*=\s*(?:"[^"<]*"|\'[^\'<]*\'))*?)[ \t]+xml:id="([A-Za-z_][-.\w]*)"')


def without_xml_ids(data: bytes, count: int | None = None) -> bytes | None:
    """The bytes without their xml:id attributes, when each `xml:id` in them (`count`, if the
    caller has counted them) is an attribute of a start tag, double-quoted, an ASCII NCName, and
    no two values are the same (the same bytes object when there is none); else None. A document
    with a CDATA section is left alone (its text could look like a tag); one whose comments or
    processing instructions look like tags only loses that text, which RelaxNG ignores, or gets
    None for a duplicate."""
    count = data.count(b"xml:id") if count is None else count
    if not count:
        return data
    if b"<![CDATA[" in data:
        return None
    parts = _TAG_ID.split(data)  # text, name, value, text, name, value, …, text
    values = parts[2::3]
    # Each match holds one `xml:id`, its own: any other (single-quoted, spaced, not an NCName, in
    # text, inside another attribute's value) leaves the counts apart.
    if len(values) != count or len(set(values)) != count:
        return None
    del parts[2::3]
    return b"".join(parts)


class OptionalIds:
    """Which element names of a grammar may have an xml:id of any NCName value, or none."""

    def __init__(self, grammar: etree._Element):
        self.defines = _defines(grammar)
        self.patterns: dict[str | None, list[etree._Element]] = {}
        for element in grammar.iter(_R + "element"):
            self.patterns.setdefault(pattern_qname(element), []).append(element)
        self._known: dict[str, bool] = {}

    def allow(self, names) -> bool:
        """Whether every element of these names may drop its xml:id without changing the verdict:
        every pattern of the name has exactly one xml:id attribute pattern, in an `optional`
        reached from the element through groups, interleaves and refs only, holding text or an ID
        (unique values are checked apart), and no attribute pattern with a wildcard name. (Wildcard
        element patterns are not asked about: a closed specialisation of the grammar has none.)"""
        for name in names:
            if name not in self._known:
                found = self.patterns.get(name, [])
                self._known[name] = bool(found) and all(_optional_id_count(e, self.defines) == 1 for e in found)
            if not self._known[name]:
                return False
        return True


def _optional_id_count(element: etree._Element, defines: dict) -> int:
    """How many xml:id patterns of the right form the element has; -1 for anything else."""
    content = [k for k in element if isinstance(k.tag, str) and k.tag.startswith(_R)]
    if element.get("name") is None:
        content = content[1:]  # the name class
    found = 0
    for part in content:
        count = _count(part, defines, top=True)
        if count < 0:
            return -1
        found += count
    return found


def _count(pattern: etree._Element, defines: dict, top: bool, seen: frozenset[str] = frozenset()) -> int:
    tag = pattern.tag
    if tag == _R + "element" or tag in (_R + "text", _R + "empty", _R + "notAllowed", _R + "data", _R + "value"):
        return 0
    if tag == _R + "attribute":
        name = pattern_qname(pattern)
        return -1 if name is None or name == XML_ID else 0  # a wildcard, or a required or nested xml:id
    if tag == _R + "optional" and top:
        kids = [k for k in pattern if isinstance(k.tag, str) and k.tag.startswith(_R)]
        if len(kids) == 1 and kids[0].tag == _R + "attribute" and pattern_qname(kids[0]) == XML_ID:
            return 1 if _any_id_value(kids[0]) else -1
    if tag == _R + "ref":
        ref = pattern.get("name")
        found = defines.get(ref, [])
        if ref in seen or not found:
            return -1
        if len(found) > 1 and any(d.get("combine") != "interleave" for d in found):
            top = False  # combined by choice
        return _sum([k for d in found for k in d], defines, top, seen | {ref})
    inner_top = top and tag in (_R + "group", _R + "interleave", _R + "mixed")
    return _sum(list(pattern), defines, inner_top, seen)


def _sum(children: list, defines: dict, top: bool, seen: frozenset[str]) -> int:
    total = 0
    for child in children:
        if not isinstance(child.tag, str) or not child.tag.startswith(_R):
            continue
        count = _count(child, defines, top, seen)
        if count < 0:
            return -1
        total += count
    return total


def _any_id_value(attribute: etree._Element) -> bool:
    """Whether the attribute pattern accepts any NCName: `text`, or an `xsd:ID` without facets."""
    kids = [k for k in attribute if isinstance(k.tag, str) and k.tag.startswith(_R)]
    if attribute.get("name") is None:
        kids = kids[1:]
    if not kids:
        return True  # an attribute pattern without content means text
    if len(kids) != 1:
        return False
    kid = kids[0]
    return kid.tag == _R + "text" or (kid.tag == _R + "data" and kid.get("type") == "ID" and len(kid) == 0)
