"""Specialise a RelaxNG grammar to the element names a document contains.

An element pattern `element N { … }` can only ever match an element named N. For a document
without any N, the pattern is `notAllowed`, so replacing it keeps every verdict unchanged; the
RelaxNG simplification rules (spec section 4.19) then propagate `notAllowed` and `empty` away,
and defines that are no longer reachable from <start> are dropped. What is left of tei_all for
a typical document compiles in milliseconds instead of seconds.

Attribute patterns are pruned the same way when the caller passes the (element, attribute) name
pairs a document uses: each element pattern gets its own copy of its attribute part, keeping only
the attributes used on elements of its name. libxml2 walks every optional attribute an element
allows, one state copy each, so a TEI element with forty optional attributes costs forty copies
per occurrence. The copies are spliced in without <group> wrappers, which libxml2 mis-validates
among an element's attributes (a valid document was rejected in a test). Pruning must leave no `<empty/>`
inside an element's attribute part (a define reduced to `empty`, or an `empty` beside attribute
refs): libxml2 moves only attribute-only patterns out of an element's content, and content that
keeps an attribute is never compiled to an automaton, which costs more than the pruning saves.

The same holds for any superset of a document's names, which is what lets one worker reuse one
specialised schema for a whole corpus whose vocabulary it has already seen. Replacing patterns by
`notAllowed` can only shrink the language (RelaxNG has no negation over patterns), so a document
that a specialisation accepts is valid against the full grammar whatever names it contains.
"""

from __future__ import annotations

import copy
from collections import defaultdict

from lxml import etree

RNG_NS = "http://relaxng.org/ns/structure/1.0"
_R = f"{{{RNG_NS}}}"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_NOT_ALLOWED = _R + "notAllowed"
_EMPTY = _R + "empty"
_OUTSIDE = ("include", "externalRef", "parentRef", "grammar")


def can_specialise(grammar: etree._Element) -> bool:
    """True for a self-contained grammar: no include, externalRef, parentRef or nested grammar."""
    if grammar.tag != _R + "grammar":
        return False
    return not any(grammar.iter(*(_R + t for t in _OUTSIDE if t != "grammar"))) and \
        sum(1 for _ in grammar.iter(_R + "grammar")) == 1


def pattern_qname(pattern: etree._Element) -> str | None:
    """The Clark name `{ns}local` an <element> or <attribute> pattern matches, None for name classes."""
    holder = pattern
    name = pattern.get("name")
    if name is None:
        first = next((k for k in pattern if isinstance(k.tag, str)), None)
        if first is None or first.tag != _R + "name" or not first.text:
            return None  # anyName, nsName or a choice of names: never pruned
        holder, name = first, first.text
    name = name.strip()
    if ":" in name:
        prefix, local = name.split(":", 1)
        uri = _XML_NS if prefix == "xml" else holder.nsmap.get(prefix)
        return f"{{{uri}}}{local}" if uri else local
    ns = holder.get("ns")
    if ns is None:
        if pattern.tag == _R + "attribute":
            ns = ""
        else:
            ns = next((a.get("ns") for a in pattern.iterancestors() if a.get("ns") is not None), "")
    return f"{{{ns}}}{name}" if ns else name


def document_names(root: etree._Element) -> frozenset[str]:
    """The Clark names of all elements in a document."""
    return scan_names(root)[0]


def scan_names(root: etree._Element) -> tuple[frozenset[str], frozenset[str]]:
    """The Clark names of all elements and of all attributes in a document, in one pass."""
    tags, uses = scan_uses(root)
    return tags, attribute_names(uses)


def attribute_names(uses: frozenset[tuple[str, str]]) -> frozenset[str]:
    """The attribute names in (element, attribute) name pairs."""
    return frozenset(attribute for _, attribute in uses)


def scan_uses(root: etree._Element) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The Clark names of all elements, and each (element, attribute) name pair that occurs."""
    tags: set[str] = set()
    uses: set[tuple[str, str]] = set()
    for el in root.iter(etree.Element):
        tag = el.tag
        tags.add(tag)
        keys = el.keys()
        if keys:
            uses.update((tag, key) for key in keys)
    return frozenset(tags), frozenset(uses)


REVISION = 4  # part of the cache key of specialised schemas: bump when specialise() changes its output


def specialise(grammar: etree._Element, names: frozenset[str],
               uses: frozenset[tuple[str, str]] | None = None) -> etree._Element:
    """A copy of `grammar` that gives the same verdict as `grammar` on any document whose
    element names are all in `names` and, when `uses` is given, whose (element, attribute) name
    pairs are all in `uses`."""
    root = _reachable_copy(grammar, names)
    _strip_foreign(root)
    _forbid(root, _R + "element", names)
    if uses is not None:
        _forbid_attributes(root, uses)
    _propagate(root)
    _drop_empty(root)
    _unnest_repeats(root)
    _drop_unreachable(root)
    return root


def _reachable_copy(grammar: etree._Element, names: frozenset[str]) -> etree._Element:
    """A copy of the grammar with <start> and only the defines reachable from it without entering
    an element pattern whose name is not in `names` (those become notAllowed, and the rest of the
    grammar is dropped as unreachable at the end anyway): for a small document a tenth of tei_all,
    so every later pass is that much faster. Defines keep their order; the result is the same."""
    children = [k for k in grammar if isinstance(k.tag, str) and k.tag.startswith(_R)]
    if any(k.tag not in (_R + "start", _R + "define") for k in children):
        return copy.deepcopy(grammar)  # e.g. <div>s of defines: copy everything, as before
    seen = _reachable([k for k in children if k.tag == _R + "start"], _defines(grammar), names)
    root = etree.Element(grammar.tag, dict(grammar.attrib), nsmap=grammar.nsmap)
    root.text = grammar.text
    for k in children:  # annotations and comments would be stripped next, with their tails
        if k.tag == _R + "start" or k.get("name") in seen:
            root.append(copy.deepcopy(k))
    return root


_XML_ID = f"{{{_XML_NS}}}id"


def ids_checked_by_parser(grammar: etree._Element) -> bool:
    """Whether all the grammar's ID typing asks of a document is what libxml2's parser checks when
    it collects xml:ids (every xml:id, whitespace collapsed, an NCName; no two the same): every
    <data type="ID"/> is the whole content of an xml:id attribute pattern, without parameters, and
    no pattern refers to IDs (IDREF, IDREFS). True of tei_all."""
    for data in grammar.iter(_R + "data"):
        kind = (data.get("type") or "").strip()
        if kind in ("IDREF", "IDREFS"):
            return False
        if kind != "ID":
            continue
        attribute = data.getparent()
        content = [k for k in attribute if isinstance(k.tag, str) and k.tag.startswith(_R) and k.tag != _R + "name"]
        if (attribute.tag != _R + "attribute" or pattern_qname(attribute) != _XML_ID or content != [data]
                or any(isinstance(k.tag, str) and k.tag.startswith(_R) for k in data)):
            return False
    return True


def untype_ids(grammar: etree._Element) -> None:
    """Replace each <data type="ID"/> by <text/>, in place: for documents whose xml:ids the parser
    has already checked (see `ids_checked_by_parser`), the same verdict, without libxml2 checking
    and copying every xml:id value again (about a tenth of validation time on TEI with an xml:id
    on every element)."""
    for data in list(grammar.iter(_R + "data")):
        if (data.get("type") or "").strip() == "ID":
            text = etree.Element(_R + "text")
            text.tail = data.tail
            data.getparent().replace(data, text)


def _forbid(root: etree._Element, tag: str, names: frozenset[str]) -> None:
    """Replace the element or attribute patterns whose name is not in `names` by `notAllowed`."""
    for pattern in list(root.iter(tag)):
        qname = pattern_qname(pattern)
        if qname is not None and qname not in names and pattern.getparent() is not None:
            pattern.getparent().replace(pattern, etree.Element(_NOT_ALLOWED))


def _forbid_attributes(root: etree._Element, uses: frozenset[tuple[str, str]]) -> None:
    """Attribute patterns no document can match become `notAllowed`. An element pattern's own
    attribute part (its children that generate attributes only, through refs) is copied into
    it and keeps only the attributes used on elements of that name; attribute patterns anywhere
    else keep every attribute name used on any element."""
    by_element: dict[str, set[str]] = defaultdict(set)
    for element, attribute in uses:
        by_element[element].add(attribute)
    defines = _defines(root)
    known: dict[str, bool] = {}
    for pattern in list(root.iter(_R + "element")):
        qname = pattern_qname(pattern)
        if qname is None:
            continue
        for child in list(pattern)[0 if pattern.get("name") else 1:]:
            if _attributes_only(child, defines, known):
                allowed = frozenset(by_element.get(qname, ()))
                position = pattern.index(child)
                pattern.remove(child)
                for offset, own in enumerate(_inline(copy.deepcopy(child), defines, known)):
                    pattern.insert(position + offset, own)
                    _forbid(own, _R + "attribute", allowed)
    _forbid(root, _R + "attribute", attribute_names(uses))


def _attributes_only(pattern: etree._Element, defines: dict[str, list[etree._Element]],
                     known: dict[str, bool]) -> bool:
    """Whether a pattern generates attributes and nothing else, through refs to single defines."""
    return _made_of(pattern, _ATTRIBUTE_LEAVES, _ATTRIBUTE_CONTAINERS, defines, known, single_define=True)


_ATTRIBUTE_LEAVES = frozenset({_R + "attribute", _EMPTY})
_ATTRIBUTE_CONTAINERS = frozenset(_R + t for t in ("group", "choice", "optional", "zeroOrMore", "oneOrMore",
                                                     "interleave"))


def _made_of(pattern: etree._Element, leaves: frozenset[str], containers: frozenset[str],
             defines: dict[str, list[etree._Element]], known: dict[str, bool], single_define: bool) -> bool:
    """Whether a pattern is built of `leaves` only, through `containers` and refs (to exactly one
    define when `single_define`); a cycle of refs counts as no. `known` memoises refs."""
    if pattern.tag in leaves:
        return True
    if pattern.tag == _R + "ref":
        name = pattern.get("name")
        if name not in known:
            known[name] = False  # a cycle: say no
            found = defines.get(name, [])
            known[name] = (len(found) == 1 if single_define else bool(found)) and all(
                _made_of(child, leaves, containers, defines, known, single_define) for d in found for child in d)
        return known[name]
    if pattern.tag in containers:
        return all(_made_of(child, leaves, containers, defines, known, single_define) for child in pattern)
    return False


def _inline(pattern: etree._Element, defines: dict[str, list[etree._Element]],
            known: dict[str, bool]) -> list[etree._Element]:
    """`pattern` as a list of patterns in which every ref to an attribute-only define is
    replaced by that define's content, recursively. The content is spliced in, not wrapped in a
    <group>: libxml2 mis-validates a group among an element's attribute patterns."""
    if pattern.tag == _R + "ref" and _attributes_only(pattern, defines, known):
        spliced = []
        for child in defines[pattern.get("name")][0]:
            spliced += _inline(copy.deepcopy(child), defines, known)
        return spliced
    for child in list(pattern):
        if child.tag == _R + "ref" and _attributes_only(child, defines, known):
            parts = _inline(child, defines, known)
            if pattern.tag in (_R + "choice", _R + "interleave") and len(parts) != 1:
                group = etree.Element(_R + "group")
                group.extend(parts)
                parts = [group]
            position = pattern.index(child)
            pattern.remove(child)
            for offset, part in enumerate(parts):
                pattern.insert(position + offset, part)
        else:
            _inline(child, defines, known)
    return [pattern]


def is_closed(grammar: etree._Element) -> bool:
    """True when every element and attribute pattern names one name (no anyName/nsName/choice
    name classes): a document such a grammar accepts has only names the grammar mentions."""
    return all(pattern_qname(p) is not None for p in grammar.iter(_R + "element", _R + "attribute"))


def _unnest_repeats(root: etree._Element) -> None:
    """`(A+, B*)+` → `A, (A | B)*` (and `(A+, B*)*` → `(A, (A | B)*)?`): the same language, but
    deterministic. TEI's lists have this shape (`listBibl`: `((model.biblLike)+,
    (model.milestoneLike|relation|listRelation)*)+`); libxml2 validates the ambiguous form by
    backtracking, in time quadratic in the number of children (750 bibls: 70 ms; jing: linear).
    Only for element content, where the identity is one of regular languages."""
    defines = _defines(root)
    element_only: dict[str, bool] = {}
    for outer in list(root.iter(_R + "oneOrMore", _R + "zeroOrMore")):
        parts = list(outer)
        if len(parts) == 1 and parts[0].tag == _R + "group":
            parts = list(parts[0])
        if (len(parts) != 2 or parts[0].tag != _R + "oneOrMore" or parts[1].tag != _R + "zeroOrMore"
                or not all(_is_element_content(p, defines, element_only) for p in parts)):
            continue
        a, b = list(parts[0]), list(parts[1])
        replacement = etree.Element(_R + "group")
        replacement.extend(copy.deepcopy(a))
        alternatives = etree.SubElement(etree.SubElement(replacement, _R + "zeroOrMore"), _R + "choice")
        alternatives.append(_as_one(copy.deepcopy(a)))
        alternatives.append(_as_one(copy.deepcopy(b)))
        if outer.tag == _R + "zeroOrMore":
            optional = etree.Element(_R + "optional")
            optional.append(replacement)
            replacement = optional
        outer.getparent().replace(outer, replacement)


def _as_one(patterns: list[etree._Element]) -> etree._Element:
    if len(patterns) == 1:
        return patterns[0]
    group = etree.Element(_R + "group")
    group.extend(patterns)
    return group


def _is_element_content(pattern: etree._Element, defines: dict[str, list[etree._Element]],
                        known: dict[str, bool]) -> bool:
    """Whether a pattern matches elements only (no attributes, text, data or interleave), following refs."""
    return _made_of(pattern, _ELEMENT_LEAVES, _ELEMENT_CONTAINERS, defines, known, single_define=False)


_ELEMENT_LEAVES = frozenset({_R + "element", _EMPTY, _NOT_ALLOWED})
_ELEMENT_CONTAINERS = frozenset(_R + t for t in ("group", "choice", "oneOrMore", "zeroOrMore", "optional"))


def _strip_foreign(root: etree._Element) -> None:
    """Annotations (documentation, embedded Schematron) play no part in RelaxNG validation."""
    for el in list(root.iter()):
        parent = el.getparent()
        if parent is None:
            continue
        if not isinstance(el.tag, str) or not el.tag.startswith(_R):
            parent.remove(el)


def _defines(root: etree._Element) -> dict[str, list[etree._Element]]:
    by_name: dict[str, list[etree._Element]] = defaultdict(list)
    for d in root.iter(_R + "define"):
        by_name[d.get("name")].append(d)
    return by_name


def _is_only(defines: list[etree._Element], tag: str) -> bool:
    """Whether the defines of one name all consist of a single `tag` pattern (notAllowed, empty)."""
    return bool(defines) and all(len(d) == 1 and d[0].tag == tag for d in defines)


def _propagate(root: etree._Element) -> None:
    """notAllowed propagation (RelaxNG 4.19), up to a fixpoint."""
    containers = tuple(_R + t for t in ("choice", "group", "interleave", "oneOrMore", "zeroOrMore",
                                          "optional", "list", "mixed", "element", "attribute"))
    changed = True
    while changed:
        changed = False
        dead = {n for n, ds in _defines(root).items() if _is_only(ds, _NOT_ALLOWED)}
        for ref in list(root.iter(_R + "ref")):
            if ref.get("name") in dead:
                ref.getparent().replace(ref, etree.Element(_NOT_ALLOWED))
                changed = True
        for el in list(root.iter(*containers)):
            parent = el.getparent()
            if parent is None:
                continue
            kids = [k for k in el if k.tag == _NOT_ALLOWED]
            if not kids:
                continue
            tag = etree.QName(el).localname
            if tag == "choice":
                if len(kids) < len(el):
                    for k in kids:
                        el.remove(k)
                else:
                    parent.replace(el, etree.Element(_NOT_ALLOWED))
            elif tag in ("zeroOrMore", "optional"):
                parent.replace(el, etree.Element(_EMPTY))
            else:
                parent.replace(el, etree.Element(_NOT_ALLOWED))
            changed = True


def _drop_empty(root: etree._Element) -> None:
    """Remove redundant <empty/> (libxml2 mis-validates some nestings of it, e.g. oneOrMore(x, empty)),
    including the `empty` left in a define's implicit group and refs to defines that are only `empty`."""
    containers = tuple(_R + t for t in ("group", "interleave", "oneOrMore", "zeroOrMore", "optional",
                                          "element", "choice", "define"))
    changed = True
    while changed:
        changed = _inline_empty_refs(root)
        for el in list(root.iter(*containers)):
            parent = el.getparent()
            if parent is None:
                continue
            empties = [k for k in el if k.tag == _EMPTY]
            if not empties:
                continue
            tag = etree.QName(el).localname
            if tag in ("choice", "define"):
                if tag == "define" and len(empties) < len(el):
                    keep = 0  # a define is an implicit group: empty beside other patterns adds nothing
                elif len(empties) > 1:
                    keep = 1
                else:
                    continue
                for k in empties[keep:]:
                    el.remove(k)
                changed = True
                continue
            if tag == "element":
                content = [k for k in el if k.tag != _EMPTY]
                if el.get("name") is None:
                    content = content[1:]  # the first child is the name class
                if content:
                    for k in empties:
                        el.remove(k)
                    changed = True
                elif len(empties) > 1:
                    for k in empties[1:]:
                        el.remove(k)
                    changed = True
                continue
            if len(empties) < len(el):
                for k in empties:
                    el.remove(k)
            else:
                parent.replace(el, etree.Element(_EMPTY))
            changed = True


def _inline_empty_refs(root: etree._Element) -> bool:
    """Replace refs to defines that are only `<empty/>` (however combined) by `<empty/>`."""
    empty = {name for name, ds in _defines(root).items()
             if _is_only(ds, _EMPTY)}
    refs = [ref for ref in root.iter(_R + "ref") if ref.get("name") in empty]
    for ref in refs:
        ref.getparent().replace(ref, etree.Element(_EMPTY))
    return bool(refs)


def _reachable(starts: list[etree._Element], defines: dict[str, list[etree._Element]],
               names: frozenset[str] | None = None) -> set[str]:
    """The names of the defines reachable from `starts` through refs; with `names`, without
    entering an element pattern whose name is not among them."""
    seen: set[str] = set()
    stack = list(starts)
    while stack:
        node = stack.pop()
        if node.tag == _R + "ref":
            name = node.get("name")
            if name not in seen:
                seen.add(name)
                stack.extend(defines.get(name, []))
            continue
        if (names is not None and node.tag == _R + "element" and (qname := pattern_qname(node)) is not None
                and qname not in names):
            continue
        stack.extend(k for k in node if isinstance(k.tag, str))
    return seen


def _drop_unreachable(root: etree._Element) -> None:
    by_name = _defines(root)
    for name, ds in list(by_name.items()):
        if _is_only(ds, _NOT_ALLOWED):
            for d in ds:
                d.getparent().remove(d)
            del by_name[name]
    seen = _reachable(list(root.iter(_R + "start")), by_name)
    for name, ds in by_name.items():
        if name not in seen:
            for d in ds:
                d.getparent().remove(d)
