"""What a RelaxNG grammar allows inside and on an element: for messages a person can act on.

libxml2 says "Did not expect element foo there" or "Element language failed to validate
attributes"; this module answers the follow-up questions from the full (unspecialised) grammar:
which elements may appear in <p>, which attributes <language> requires, which values @place takes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from .specialise import RNG_NS, pattern_qname

_R = f"{{{RNG_NS}}}"
_OPTIONAL = {_R + "optional", _R + "zeroOrMore", _R + "choice"}


@dataclass
class AttributeRule:
    """One attribute an element may carry."""

    name: str
    required: bool
    values: list[str] = field(default_factory=list)
    datatype: str = ""


@dataclass
class ElementModel:
    """What one element name allows, merged over all its element patterns."""

    name: str
    children: set[str] = field(default_factory=set)
    groups: list[str] = field(default_factory=list)  # the class and macro names its content refers to
    text: bool = False
    attributes: dict[str, AttributeRule] = field(default_factory=dict)
    any_attribute: bool = False


class ContentModels:
    """Lazily computed element models of one grammar."""

    def __init__(self, grammar: etree._Element):
        self.grammar = grammar
        self._cache: dict[str, ElementModel | None] = {}

    @cached_property
    def _defines(self) -> dict[str, list[etree._Element]]:
        result: dict[str, list[etree._Element]] = {}
        for d in self.grammar.iter(_R + "define"):
            result.setdefault(d.get("name"), []).append(d)
        return result

    @cached_property
    def _patterns(self) -> dict[str, list[etree._Element]]:
        result: dict[str, list[etree._Element]] = {}
        for p in self.grammar.iter(_R + "element"):
            q = pattern_qname(p)
            if q is not None:
                result.setdefault(q, []).append(p)
        return result

    @cached_property
    def start_names(self) -> list[str]:
        """The names a document's root element may have."""
        names: set[str] = set()
        for start in self.grammar.iter(_R + "start"):
            self._walk(start, ElementModel("/"), set(), True, into_attributes=False, children=names)
        return sorted(names)

    def declares(self, name: str) -> bool:
        """Is there an element pattern with this name?"""
        return name in self._patterns

    def namespaces(self) -> set[str]:
        return {etree.QName(q).namespace or "" for q in self._patterns}

    def element(self, name: str) -> ElementModel | None:
        """The merged model of all element patterns named `name`, or None when there is none."""
        if name not in self._cache:
            patterns = self._patterns.get(name)
            model = None
            if patterns:
                model = ElementModel(name)
                for p in patterns:
                    body = list(p)[1:] if p.get("name") is None else list(p)
                    for child in body:
                        self._walk(child, model, set(), True, into_attributes=True, children=model.children)
            self._cache[name] = model
        return self._cache[name]

    def _walk(self, node, model: ElementModel, seen: set[str], required: bool, into_attributes: bool,
              children: set[str], depth: int = 0) -> None:
        if not isinstance(node.tag, str) or not node.tag.startswith(_R):
            return
        tag = node.tag[len(_R):]
        if tag == "element":
            q = pattern_qname(node)
            children.add(q if q is not None else "*")
        elif tag == "attribute":
            if into_attributes:
                self._attribute(node, model, required)
        elif tag == "text" or tag == "mixed":
            model.text = True
            if tag == "mixed":
                for child in node:
                    self._walk(child, model, seen, False, into_attributes, children, depth)
        elif tag == "ref":
            name = node.get("name")
            if depth == 0 and name.startswith(("model.", "macro.")) and name not in model.groups:
                model.groups.append(name)
            if name not in seen:
                seen.add(name)
                for d in self._defines.get(name, []):
                    for child in d:
                        self._walk(child, model, seen, required, into_attributes, children, depth + 1)
        elif tag in ("data", "value", "list", "empty", "notAllowed"):
            return
        else:
            req = required and node.tag not in _OPTIONAL
            for child in node:
                self._walk(child, model, seen, req, into_attributes, children, depth)

    def _attribute(self, node, model: ElementModel, required: bool) -> None:
        q = pattern_qname(node)
        if q is None:
            model.any_attribute = True
            return
        rule = model.attributes.setdefault(q, AttributeRule(q, required))
        rule.required = rule.required or required
        for value in node.iter(_R + "value"):
            if value.text is not None and value.text not in rule.values:
                rule.values.append(value.text)
        data = next(node.iter(_R + "data"), None)
        if data is not None and not rule.datatype:
            rule.datatype = data.get("type", "")


def display(name: str, namespaces: dict[str, str] | None = None) -> str:
    """`{http://www.tei-c.org/ns/1.0}p` → `p`; other namespaces keep a short prefix."""
    if not name.startswith("{"):
        return name
    uri, local = name[1:].split("}", 1)
    if uri == "http://www.w3.org/XML/1998/namespace":
        return f"xml:{local}"
    for prefix, ns in (namespaces or {}).items():
        if ns == uri and prefix:
            return f"{prefix}:{local}"
    return local


def preferred_first(names: list[str], prefer: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The names, those in `prefer` (the document's own) first, each part alphabetical."""
    return sorted(names, key=lambda n: (n not in prefer, n.lower()))


def shorten(names: list[str], prefer: set[str] | frozenset[str] = frozenset(), limit: int = 8) -> str:
    """`a, b, c` — or the first `limit` (names the document uses first) and `… and N more`."""
    ordered = preferred_first(names, prefer)
    if len(ordered) <= limit:
        return ", ".join(ordered)
    return f"{', '.join(ordered[:limit])} … and {len(ordered) - limit} more"
