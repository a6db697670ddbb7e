"""libxml2's RelaxNG error log → diagnostics a person can act on.

libxml2 reports cascades ("Did not expect element foo there", then "Element div has extra content:
foo", then "Element body failed to validate content") and bare names; this module keeps the most
specific error for each element, names the element, the missing or wrong attribute, what is
allowed instead (shortened), and the element path.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from lxml import etree

from ..diagnostics import Diagnostic
from .contentmodel import ContentModels, display, preferred_first, shorten

_CASCADE = {"RELAXNG_ERR_CONTENTVALID", "RELAXNG_ERR_EXTRACONTENT", "RELAXNG_ERR_INTEREXTRA",
            "RELAXNG_ERR_ELEMEXTRANS"}
_QUOTED = re.compile(r"\{[^}]*\}")


class Source:
    """The raw bytes of a file, for columns: the line of each diagnostic and the start tag on it."""

    def __init__(self, data: bytes):
        self.data = data
        self._starts: list[int] | None = None

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            starts, pos = [0], self.data.find(b"\n")
            while pos >= 0:
                starts.append(pos + 1)
                pos = self.data.find(b"\n", pos + 1)
            self._starts = starts
        return self._starts

    def line_text(self, line: int) -> bytes:
        starts = self._line_starts()
        if not 1 <= line <= len(starts):
            return b""
        end = starts[line] - 1 if line < len(starts) else len(self.data)
        return self.data[starts[line - 1]:end]

    def line_of_offset(self, offset: int) -> int:
        return bisect_right(self._line_starts(), offset)

    def column(self, el) -> int:
        """1-based column of the element's start tag (0 when it cannot be found)."""
        line = el.sourceline or 0
        text = self.line_text(line)
        if not text:
            return 0
        qname = (f"{el.prefix}:" if el.prefix else "") + etree.QName(el).localname
        nth = 0
        node = _preceding(el)
        while node is not None and (node.sourceline or 0) == line:
            if node.tag == el.tag:
                nth += 1
            node = _preceding(node)
        pattern = re.compile(rb"<" + re.escape(qname.encode()) + rb"[\s/>]")
        matches = list(pattern.finditer(text))
        if not matches:
            return 0
        m = matches[min(nth, len(matches) - 1)]
        return len(text[:m.start()].decode("utf-8", "replace")) + 1


def _preceding(node):
    """The element before `node` in document order (its previous sibling's last descendant, or parent)."""
    prev = node.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is None:
        return node.getparent()
    while True:
        last = next((c for c in reversed(prev) if isinstance(c.tag, str)), None)
        if last is None:
            return prev
        prev = last


def element_path(el) -> str:
    """/TEI/text/body/div[2]/p — local names, an index only where siblings share the name."""
    steps = []
    while el is not None and isinstance(el.tag, str):
        name = etree.QName(el).localname
        parent = el.getparent()
        if parent is not None:
            same = [c for c in parent if c.tag == el.tag]
            if len(same) > 1:
                name += f"[{same.index(el) + 1}]"
        steps.append(name)
        el = parent
    return "/" + "/".join(reversed(steps))


def translate(error_log, tree: etree._ElementTree, source: Source, models: ContentModels,
              id_attributes: set[str], path: str,
              required: dict[str, list[frozenset[str]]] | None = None) -> list[Diagnostic]:
    """Readable, deduplicated diagnostics for one file's RelaxNG errors; `required` gives, for an
    element name, sets of names of which it must have a child (structure.Structure.required)."""
    entries = []
    for entry in error_log:
        el = _element(tree, entry.path)
        entries.append((entry, el))
    specific = [(e, el) for e, el in entries if e.type_name not in _CASCADE]
    kept = list(specific)
    for e, el in entries:
        if e.type_name in _CASCADE and not any(_within(other_el, el) for _, other_el in specific):
            kept.append((e, el))
    prefer = frozenset(x.tag for x in tree.getroot().iter() if isinstance(x.tag, str))
    namespaces = {p: u for p, u in (tree.getroot().nsmap or {}).items() if p}
    diagnostics, seen = [], set()
    for entry, el in kept:
        message, hint = _explain(entry, el, models, id_attributes, prefer, namespaces, required or {})
        line = (el.sourceline if el is not None else None) or entry.line or 0
        key = (line, message)
        if key in seen:
            continue
        seen.add(key)
        where = f"element path {element_path(el)}" if el is not None else ""
        hint = "; ".join(x for x in (hint, where) if x)
        column = source.column(el) if el is not None and len(diagnostics) < 200 else 0
        diagnostics.append(Diagnostic(path, line, column, "error", "schema", message, hint))
    return diagnostics


def _element(tree, xpath: str | None):
    if not xpath:
        return None
    try:
        found = tree.xpath(xpath)
    except etree.XPathError:
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


def _within(inner, outer) -> bool:
    if inner is None or outer is None:
        return False
    node = inner
    while node is not None:
        if node is outer:
            return True
        node = node.getparent()
    return False


def _name(el, namespaces) -> str:
    return f"<{display(el.tag, namespaces)}>"


def _allowed(models: ContentModels, parent, prefer, namespaces) -> str:
    if parent is None:
        return ""
    model = models.element(parent.tag)
    if model is None:
        return ""
    names = [display(n, namespaces) for n in model.children if n != "*"]
    preferred = {display(n, namespaces) for n in prefer}
    if not names:
        return f"{_name(parent, namespaces)} allows {'text only' if model.text else 'no child elements'}"
    via = f" (from {', '.join(model.groups[:4])})" if model.groups and len(names) > 8 else ""
    text = "text and " if model.text else ""
    return f"{_name(parent, namespaces)} allows {text}{shorten(names, preferred)}{via}"


def _missing(el, required: dict[str, list[frozenset[str]]], prefer, namespaces) -> str:
    """The required children `el` lacks, as `<body> or <group>` (and `; and …` for several), or ""."""
    if el is None:
        return ""
    present = {child.tag for child in el if isinstance(child.tag, str)}
    lacking = [names for names in required.get(el.tag, []) if not names & present]
    preferred = {display(n, namespaces) for n in prefer}
    return "; and ".join(_one_of([display(n, namespaces) for n in names], preferred) for names in lacking)


def _one_of(names: list[str], preferred: set[str], limit: int = 6) -> str:
    """`<a>`, `<a> or <b>`, or `<a>, <b>, … or one of N more` (names the document uses first)."""
    ordered = [f"<{n}>" for n in preferred_first(names, preferred)]
    if len(ordered) <= limit:
        return " or ".join(ordered) if len(ordered) < 3 else f"{', '.join(ordered[:-1])} or {ordered[-1]}"
    return f"{', '.join(ordered[:limit])} or one of {len(ordered) - limit} more"


def _explain(entry, el, models: ContentModels, id_attributes, prefer, namespaces,
             required: dict[str, list[frozenset[str]]]) -> tuple[str, str]:
    kind = entry.type_name
    raw = _QUOTED.sub("", entry.message)
    if el is None:
        return raw, ""
    name = _name(el, namespaces)
    parent = el.getparent()
    if kind in ("RELAXNG_ERR_ELEMWRONG", "RELAXNG_ERR_EXTRACONTENT", "RELAXNG_ERR_ELEMEXTRANS"):
        if kind == "RELAXNG_ERR_EXTRACONTENT" and "extra content: text" in raw:
            return f"text is not allowed directly inside {name}", _allowed(models, el, prefer, namespaces)
        if parent is None:
            return _root_message(el, models, namespaces)
        if not models.declares(el.tag):
            return _unknown(el, models, namespaces), _allowed(models, parent, prefer, namespaces)
        model = models.element(parent.tag)
        if model is not None and el.tag in model.children:  # allowed there: something is missing
            if lacking := _missing(parent, required, prefer, namespaces):
                return (f"element {name} is not allowed here: {_name(parent, namespaces)} lacks a required "
                        f"{lacking}", _allowed(models, parent, prefer, namespaces))
            if lacking := _missing(el, required, prefer, namespaces):
                return f"element {name} is incomplete: it needs {lacking}", _allowed(models, el, prefer, namespaces)
        return (f"element {name} is not allowed here inside {_name(parent, namespaces)}",
                _allowed(models, parent, prefer, namespaces))
    if kind == "RELAXNG_ERR_ELEMNAME":
        m = re.match(r"Expecting element (\S+), got (\S+)", raw)
        if m:
            return f"expected <{m.group(1)}> here, found <{m.group(2)}>", _allowed(models, parent, prefer, namespaces)
    if kind == "RELAXNG_ERR_NOELEM":
        m = re.match(r"Expecting an element (\S+), got nothing", raw)
        if m:
            return f"element {name} is incomplete: <{m.group(1)}> is missing", _allowed(models, el, prefer, namespaces)
        lacking = _missing(el, required, prefer, namespaces)
        return (f"element {name} is incomplete: it needs {lacking}" if lacking else
                f"element {name} is incomplete: a required child element is missing"), \
            _allowed(models, el, prefer, namespaces)
    if kind == "RELAXNG_ERR_INVALIDATTR":
        return _attribute(raw, el, models, id_attributes, namespaces)
    if kind == "RELAXNG_ERR_ATTRVALID":
        model = models.element(el.tag)
        missing = [a.name for a in model.attributes.values() if a.required and a.name not in el.attrib] if model else []
        if missing:
            attrs = ", ".join(f"@{display(a, namespaces)}" for a in missing)
            return f"element {name} is missing required attribute {attrs}", ""
        return f"element {name} has an invalid attribute", _attribute_list(model, namespaces)
    if kind == "RELAXNG_ERR_TEXTWRONG":
        return f"text is not allowed directly inside {name}", _allowed(models, el, prefer, namespaces)
    if kind == "RELAXNG_ERR_ELEMNOTEMPTY":
        return f"element {name} must be empty", ""
    if kind == "RELAXNG_ERR_CONTENTVALID":
        return f"element {name} has content its schema does not allow", _allowed(models, el, prefer, namespaces)
    return raw, ""


def _root_message(el, models: ContentModels, namespaces) -> tuple[str, str]:
    expected = ", ".join(f"<{display(n)}>" for n in models.start_names) or "another root element"
    ns = etree.QName(el).namespace
    wanted = {etree.QName(n).namespace for n in models.start_names if n.startswith("{")}
    if ns not in wanted and wanted:
        return (f"root element <{etree.QName(el).localname}> is in namespace {ns or '(none)'}, "
                f"but the schema expects {expected} in {', '.join(sorted(wanted))}",
                f'declare the namespace: xmlns="{sorted(wanted)[0]}"')
    return f"root element <{display(el.tag, namespaces)}> is not allowed; the schema expects {expected}", ""


def _unknown(el, models: ContentModels, namespaces) -> str:
    qname = etree.QName(el)
    elsewhere = [ns for ns in models.namespaces() if models.declares(f"{{{ns}}}{qname.localname}" if ns else qname.localname)]
    if elsewhere:
        return (f"element <{qname.localname}> is in namespace {qname.namespace or '(none)'}, "
                f"but the schema declares it in {', '.join(sorted(x or '(none)' for x in elsewhere))}")
    return f"unknown element <{display(el.tag, namespaces)}>: the schema does not declare it"


def _attribute(raw: str, el, models: ContentModels, id_attributes, namespaces) -> tuple[str, str]:
    m = re.match(r"Invalid attribute (\S+) for element (\S+)", raw)
    local = m.group(1) if m else ""
    qname = next((k for k in el.attrib if etree.QName(k).localname == local), local)
    shown = display(qname, namespaces)
    value = el.get(qname, "")
    name = f"<{display(el.tag, namespaces)}>"
    if qname in id_attributes:
        first = next((x for x in el.getroottree().iter() if isinstance(x.tag, str) and x.get(qname) == value
                      and x is not el), None)
        if first is not None:
            return (f'duplicate ID "{value}" in @{shown} on {name}',
                    f"first used on line {first.sourceline}; IDs must be unique in a document")
    model = models.element(el.tag)
    if model is not None and qname not in model.attributes and not model.any_attribute:
        return f"attribute @{shown} is not allowed on {name}", _attribute_list(model, namespaces)
    rule = model.attributes.get(qname) if model else None
    hint = ""
    if rule and rule.values:
        hint = f"allowed values: {shorten(rule.values, limit=12)}"
    elif rule and rule.datatype:
        hint = f"expected a value of type {rule.datatype}"
    return f'invalid value "{_clip(value)}" for attribute @{shown} on {name}', hint


def _attribute_list(model, namespaces) -> str:
    if model is None or not model.attributes:
        return ""
    return f"allowed attributes: {shorten([display(a, namespaces) for a in model.attributes], limit=12)}"


def _clip(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit] + "…"
