"""ISO Schematron with XPath 3.1 semantics: portable patterns on lxml, the rest as XSLT 3.0 on SaxonC-HE.

The rules come from a standalone .sch file or from the <sch:pattern>s embedded in a RelaxNG
schema generated from a TEI ODD (tei_all 4.12.0 carries 93). Patterns whose XPath has a 1.0 form
with the same meaning run on lxml over the tree already parsed (xpath1, native); the rest become
one XSLT 3.0 stylesheet on Saxon, where each failed assert and each successful report is one line
`path(), kind, role, pattern id, message` of output; `locate` turns the XPath 3 path() back into
the element, whose line the caller knows.

Measured before choosing (docs/validator.md): evaluating the 98 rule contexts of tei_all on a
412 KB TEI file takes 4.5 s with elementpath (pure Python), 0.05 s with saxonche.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import EditionError
from . import xpath1

ISO_NS = "http://purl.oclc.org/dsdl/schematron"
OLD_NS = "http://www.ascc.net/xml/schematron"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
_X = f"{{{XSL_NS}}}"
_WARNING_ROLES = {"warning", "warn", "nonfatal", "information", "info", "informational"}
_SEP = "\u241f"  # a character that cannot occur in XML names, separating the output fields


@dataclass(frozen=True)
class Failure:
    """One failed assertion (or successful report): where (an XPath 3 path() from Saxon, or the
    element itself from the lxml route), what kind, how severe, which pattern, the message."""

    path: str
    kind: str  # "assert" or "report"
    severity: str  # "error" or "warning"
    pattern: str
    message: str
    element: object = field(default=None, compare=False)


@dataclass
class Rules:
    """The Schematron found in a schema: namespaces, schema-level lets and patterns."""

    namespaces: dict[str, str]
    lets: list[etree._Element]
    patterns: list[etree._Element]
    abstract_rules: dict[str, etree._Element]
    source: str

    def __len__(self) -> int:
        return len(self.patterns)


def _sch(el: etree._Element, local: str) -> bool:
    return isinstance(el.tag, str) and el.tag in (f"{{{ISO_NS}}}{local}", f"{{{OLD_NS}}}{local}")


def _iter(root: etree._Element, local: str):
    return root.iter(f"{{{ISO_NS}}}{local}", f"{{{OLD_NS}}}{local}")


def extract(root: etree._Element, source: str, phase: str | None = None) -> Rules:
    """The Schematron of a .sch document or embedded in a RelaxNG grammar. For a .sch document,
    only the patterns of `phase` (default: its defaultPhase, else all, `#ALL`)."""
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in _iter(root, "ns") if ns.get("prefix")}
    schema_lets = [let for let in root if _sch(let, "let")] if _sch(root, "schema") else []
    active, phase_lets = _phase(root, phase, source)
    schema_lets += phase_lets
    abstract_patterns = {p.get("id"): p for p in _iter(root, "pattern") if p.get("abstract") == "true" and p.get("id")}
    patterns = []
    for p in _iter(root, "pattern"):
        if p.get("abstract") == "true":
            continue
        if active is not None and p.get("id") not in active:
            continue
        patterns.append(_instantiate(p, abstract_patterns, source) if p.get("is-a") else p)
    abstract = {r.get("id"): r for r in _iter(root, "rule") if r.get("abstract") == "true" and r.get("id")}
    return Rules(namespaces, schema_lets, patterns, abstract, source)


def _phase(root: etree._Element, phase: str | None, source: str) -> tuple[set[str] | None, list[etree._Element]]:
    """The ids of the patterns a phase activates (None: all) and the phase's own lets."""
    if not _sch(root, "schema"):
        return None, []
    name = phase or root.get("defaultPhase") or "#ALL"
    if name == "#ALL":
        return None, []
    phases = {p.get("id"): p for p in root if _sch(p, "phase") and p.get("id")}
    if name not in phases:
        known = ", ".join(sorted(phases)) or "none"
        raise EditionError(f"no phase {name!r} in this Schematron (phases: {known})", source,
                           hint="pass --phase with one of them, or --phase '#ALL'")
    chosen = phases[name]
    return ({a.get("pattern") for a in chosen if _sch(a, "active")},
            [let for let in chosen if _sch(let, "let")])


def _instantiate(instance: etree._Element, abstract_patterns: dict[str, etree._Element], source: str) -> etree._Element:
    """An ISO abstract pattern made concrete (`<pattern is-a="…"><param name="…" value="…"/>`): a copy
    of the abstract pattern with each `$name` of a parameter replaced by its value in every
    expression (context, test, select, value, path), under the instance's id."""
    import copy

    base = abstract_patterns.get(instance.get("is-a"))
    if base is None:
        raise EditionError(f"pattern {instance.get('id') or ''} is-a {instance.get('is-a')!r}, but no abstract "
                           "pattern has that id", source, hint="add <pattern abstract=\"true\" id=\"…\"> or fix is-a")
    params = {p.get("name"): p.get("value") or "" for p in instance if _sch(p, "param") and p.get("name")}
    concrete = copy.deepcopy(base)
    concrete.attrib.pop("abstract", None)
    if instance.get("id"):
        concrete.set("id", instance.get("id"))
    names = sorted(params, key=len, reverse=True)
    for el in concrete.iter():
        for attribute in ("context", "test", "select", "value", "path"):
            value = el.get(attribute)
            if value and "$" in value:
                for name in names:
                    value = re.sub(rf"\${re.escape(name)}(?![\w.-])", lambda _m, v=params[name]: v, value)
                el.set(attribute, value)
    return concrete


def merge(*parts: Rules) -> Rules:
    """All rules of several sources in one stylesheet."""
    namespaces: dict[str, str] = {}
    for p in parts:
        for prefix, uri in p.namespaces.items():
            if namespaces.get(prefix, uri) != uri:
                raise EditionError(f"Schematron prefix {prefix!r} is bound to two namespaces",
                                   p.source, hint="use one prefix per namespace across --schematron files")
            namespaces[prefix] = uri
    return Rules(namespaces, [x for p in parts for x in p.lets], [x for p in parts for x in p.patterns],
                 {k: v for p in parts for k, v in p.abstract_rules.items()},
                 " + ".join(p.source for p in parts))


def to_xslt(rules: Rules, idents: list[str] | None = None) -> bytes:
    """One XSLT 3.0 stylesheet that checks every pattern in a single traversal.

    Each rule is a template in one mode; priorities keep the patterns in bands and the rules of a
    pattern in document order. A template checks its rule unless an earlier rule of the same pattern
    already fired on this node (ISO: the first matching rule of a pattern wins), then hands the node
    to the next matching template with `xsl:next-match`; the lowest template descends."""
    nsmap = {"xsl": XSL_NS, "xs": "http://www.w3.org/2001/XMLSchema",
             **{p: u for p, u in rules.namespaces.items() if p not in ("xsl",)}}
    sheet = etree.Element(_X + "stylesheet", nsmap=nsmap, version="3.0")
    sheet.set("exclude-result-prefixes", "#all")
    etree.SubElement(sheet, _X + "output", method="text", encoding="UTF-8")
    for let in rules.lets:
        _variable(sheet, let, "param")
    main = etree.SubElement(sheet, _X + "template", match="/")
    etree.SubElement(main, _X + "apply-templates", select=".", mode="check")
    descend = etree.SubElement(sheet, _X + "template", match="document-node()|*|@*", mode="check",
                               priority="-100")
    etree.SubElement(descend, _X + "apply-templates", select="@*|node()", mode="check")
    etree.SubElement(sheet, _X + "template", match="text()|comment()|processing-instruction()", mode="check",
                     priority="-100")
    rule_lists = [[r for r in pattern if _sch(r, "rule") and r.get("abstract") != "true" and r.get("context")]
                  for pattern in rules.patterns]
    priority = sum(len(x) for x in rule_lists)
    for i, (pattern, rule_list) in enumerate(zip(rules.patterns, rule_lists)):
        for rule in rule_list:
            template = etree.SubElement(sheet, _X + "template", match=rule.get("context"), mode="check",
                                        priority=str(priority))
            priority -= 1
            etree.SubElement(template, _X + "param", name="edition-fired", select="()", tunnel="no")
            choose = etree.SubElement(template, _X + "if", test=f"not($edition-fired = {i})")
            for let in [x for x in pattern if _sch(x, "let")]:
                _variable(choose, let, "variable")
            for item in _rule_items(rule, rules.abstract_rules):
                if _sch(item, "let"):
                    _variable(choose, item, "variable")
                elif _sch(item, "assert") or _sch(item, "report"):
                    _check(choose, item, idents[i] if idents else pattern.get("id") or f"pattern-{i + 1}")
            nxt = etree.SubElement(template, _X + "next-match")
            etree.SubElement(nxt, _X + "with-param", name="edition-fired", select=f"($edition-fired, {i})")
    return etree.tostring(sheet, encoding="UTF-8", xml_declaration=True)


def _rule_items(rule: etree._Element, abstract: dict[str, etree._Element]) -> list[etree._Element]:
    items: list[etree._Element] = []
    for child in rule:
        if _sch(child, "extends") and child.get("rule") in abstract:
            items += _rule_items(abstract[child.get("rule")], abstract)
        elif isinstance(child.tag, str):
            items.append(child)
    return items


def _variable(parent: etree._Element, let: etree._Element, kind: str) -> None:
    var = etree.SubElement(parent, _X + kind, name=let.get("name"))
    if let.get("value") is not None:
        var.set("select", let.get("value"))
    else:
        for child in let:
            var.append(_copy(child))
        var.text = let.text


def _copy(el):
    import copy

    return copy.deepcopy(el)


def _check(template: etree._Element, item: etree._Element, pattern_id: str) -> None:
    kind = "assert" if _sch(item, "assert") else "report"
    test = item.get("test", "true()")
    condition = f"not({test})" if kind == "assert" else f"({test})"
    role = (item.get("role") or "").lower()
    severity = "warning" if role in _WARNING_ROLES else "error"
    when = etree.SubElement(template, _X + "if", test=condition)
    message = etree.SubElement(when, _X + "variable", name="edition-message")
    _message_content(message, item)
    etree.SubElement(when, _X + "value-of",
                            select=f"string-join((path(.), '{kind}', '{severity}', '{_quote(item.get('id') or pattern_id)}', "
                                   f"normalize-space($edition-message)), '{_SEP}')")
    etree.SubElement(when, _X + "text").text = "\n"


def _quote(value: str) -> str:
    return value.replace("'", "''")


def _message_content(target: etree._Element, item: etree._Element) -> None:
    """Copy the assertion's text, turning <name/> and <value-of/> into XSLT."""
    if item.text:
        etree.SubElement(target, _X + "text").text = item.text
    for child in item:
        if _sch(child, "name"):
            etree.SubElement(target, _X + "value-of", select=f"name({child.get('path') or '.'})")
        elif _sch(child, "value-of"):
            etree.SubElement(target, _X + "value-of", select=child.get("select", "."))
        elif isinstance(child.tag, str):
            _message_content(target, child)
        if child.tail:
            etree.SubElement(target, _X + "text").text = child.tail


_ANY_ELEMENT = re.compile(r"^\s*[\w.-]+:\*\s*((?:\[[^\[\]]*\]\s*)+)$")
_PREDICATE = re.compile(r"\[([^\[\]]*)\]")


def required_attribute(context: str) -> str | None:
    """For a context `p:*[@a]`, `p:*[@a and …]` or `p:*[starts-with(@a, …)]` (any predicates):
    the attribute a node must carry to match, else None. Conservative by construction."""
    m = _ANY_ELEMENT.match(context)
    if not m:
        return None
    for predicate in _PREDICATE.findall(m.group(1)):
        p = predicate.strip()
        found = (re.fullmatch(r"@([\w.-]+)", p) or re.match(r"@([\w.-]+)\s+and\s", p)
                 or re.match(r"starts-with\(\s*@([\w.-]+)\s*,", p))
        if found:
            return found.group(1)
    return None


_SOME_DESCENDANT = re.compile(r"\s*count\(\s*//(?:[\w.-]+:)?([\w.-]+)\s*\)\s*(?:gt|>)\s*\d+\s*")


def required_element(step: str) -> str | None:
    """For a step `*[count(//p:x) gt N]` or `p:*[…]` with such a predicate (as tei_all's
    constraintDecl rule has): the local name x of an element the document must contain for the
    step to match anything, else None. Conservative by construction."""
    head, predicates = xpath1.split_predicates(step.strip())
    if not re.fullmatch(r"(?:[\w.-]+:)?\*", head.strip()):
        return None
    for predicate in predicates:
        found = _SOME_DESCENDANT.fullmatch(predicate[1:-1])
        if found:
            return found.group(1)
    return None


def _strip_predicates(step: str) -> str:
    """`tei:div[@type][1]` → `tei:div`; `( a | b )[x]` → `( a | b )`."""
    try:
        return xpath1.split_predicates(step.strip())[0].strip()
    except xpath1.NotPortable:
        return step.strip()


def context_needs(context: str) -> set[str] | None:
    """Names one of which a document must contain for the rule context to match anything:
    element local names (`p`) and attributes (`@when`); None when it may match in any document.

    Only the last step of each alternative counts (an ancestor step only narrows the match), and
    predicates are ignored except the attribute a `tei:*[@a]` context requires and the element a
    `*[count(//tei:x) gt 1]` context requires. Conservative by
    construction: whatever cannot be read this way may match anywhere."""
    needs: set[str] = set()
    for alternative in xpath1.split_union(context):
        bare = _strip_predicates(alternative)
        if bare.startswith("(") and bare.endswith(")"):
            inner = context_needs(bare[1:-1])
            if inner is None:
                return None
            needs |= inner
            continue
        last = xpath1.split_steps(alternative.strip())[-1].strip()
        if not last:
            return None
        if last.startswith("@"):
            name = last[1:].split(":")[-1]
            if not re.fullmatch(r"[\w.-]+", name):
                return None
            needs.add("@" + name)
            continue
        element = _strip_predicates(last)
        if re.fullmatch(r"[\w.-]+:[\w.-]+", element) and not element.endswith(":*"):
            needs.add(element.split(":", 1)[1])
        elif element.endswith(":*") and (attribute := required_attribute(last)):
            needs.add("@" + attribute)
        elif element.endswith("*") and (descendant := required_element(last)):
            needs.add(descendant)
        else:
            return None
    return needs or None


def pattern_needs(pattern: etree._Element) -> set[str] | None:
    """Element names and @attribute names one of which a document must contain for the pattern to
    fire at all; None when the pattern may fire on any document."""
    needs: set[str] = set()
    for rule in _iter(pattern, "rule"):
        found = context_needs(rule.get("context") or "")
        if found is None:
            return None
        needs |= found
    return needs or None


def present_names(tree, scanned: tuple[frozenset[str], frozenset[str]] | None = None) -> set[str]:
    """The element local names and `@`attribute local names a document contains (from
    `specialise.scan_names`, which the caller may have run already)."""
    from .specialise import scan_names

    root = tree.getroot() if hasattr(tree, "getroot") else tree
    tags, attributes = scanned or scan_names(root)
    return {t.rpartition("}")[2] for t in tags} | {"@" + a.rpartition("}")[2] for a in attributes}


def _can_fire(needs: set[str] | None, present: set[str]) -> bool:
    """Whether a pattern needing one of `needs` (see pattern_needs) can fire on a document with these names."""
    return needs is None or bool(needs & present)


def relevant(rules: Rules, present: set[str]) -> Rules:
    """The rules without the patterns that cannot fire on a document with these names
    (element local names and `@`attribute names, see `present_names`)."""
    kept = [p for p in rules.patterns if _can_fire(pattern_needs(p), present)]
    if len(kept) == len(rules.patterns):
        return rules
    return Rules(rules.namespaces, rules.lets, kept, rules.abstract_rules, rules.source)


class Validator:
    """Compiled Schematron, ready to run on documents (one per process).

    Each pattern whose XPath has a 1.0 form with the same meaning runs on lxml over the tree already
    parsed (native.py); the others run in one XSLT 3.0 stylesheet on Saxon, which parses the file
    again. Per document, patterns that cannot fire are skipped first: by the names the document
    contains (`relevant`), and for Saxon patterns with portable contexts, by evaluating those
    contexts on the tree."""

    def __init__(self, rules: Rules, use_lxml: bool = True, prune: bool = True, cache_dir: Path | None = None):
        from . import native  # native imports this module

        self.rules = rules
        self.prune = prune
        self.idents = [p.get("id") or f"pattern-{i + 1}" for i, p in enumerate(rules.patterns)]
        self.digest = hashlib.sha256(to_xslt(rules, self.idents)).hexdigest()
        memo_file = Path(cache_dir) / f"xpath1-{self.digest[:24]}-r{xpath1.REVISION}.json" if cache_dir and use_lxml else None
        if use_lxml:
            xpath1.seed()
        known = 0
        if memo_file is not None and memo_file.is_file():
            try:
                answers = json.loads(memo_file.read_text(encoding="utf-8"))
                xpath1.remember(answers)
                known = len(answers)
            except (OSError, ValueError):
                memo_file.unlink(missing_ok=True)
        self._needs = [pattern_needs(p) for p in rules.patterns]
        self._blind = _blind_to_xml_ids(rules)
        self._native: dict[int, native.NativePattern] = {}
        self._probes: dict[int, etree.XPath] = {}
        for i, pattern in enumerate(rules.patterns):
            compiled = native.compile_pattern(pattern, self.idents[i], rules.namespaces, rules.abstract_rules) \
                if use_lxml and not rules.lets else None
            if compiled is not None:
                self._native[i] = compiled
            elif (probe := _probe(pattern, rules.namespaces)) is not None:
                self._probes[i] = probe
        self._stylesheets: dict[tuple[int, ...], _Stylesheet] = {}
        self._silent_by_structure: dict = {}  # structure.Structure (compared by identity) → pattern indexes
        if memo_file is not None and len(xpath1.memo()) > known:
            _write_atomically(memo_file, json.dumps(xpath1.memo()))

    @property
    def native_count(self) -> int:
        """How many patterns run on lxml."""
        return len(self._native)

    def run(self, path: Path, tree, scanned: tuple[frozenset[str], frozenset[str]] | None = None,
            structure=None) -> list[Failure]:
        """Failures of one document, already safely parsed into `tree` (Saxon reads `path`);
        `scanned` is its `specialise.scan_names`, if the caller has it; `structure` the nesting
        (structure.Structure) of a grammar the document is valid against, if known: patterns
        that cannot fire on such documents are skipped (silent.py)."""
        from . import native

        candidates = self.candidates(tree, scanned, structure)
        failures, fallback = [], set()
        for i in candidates:
            if i in self._native:
                try:
                    failures += [Failure("", kind, severity, ident, message, element)
                                 for kind, severity, ident, message, element in native.run(self._native[i], tree)]
                except etree.XPathError:  # libxml2 refused something at run time: Saxon decides instead
                    fallback.add(i)
        rest = tuple(i for i in candidates if i in fallback or (
            i not in self._native and (not self.prune or i not in self._probes or self._probes[i](tree))))
        if rest:
            failures += self._stylesheet(rest).run(path)
        return failures

    def candidates(self, tree, scanned: tuple[frozenset[str], frozenset[str]] | None = None,
                   structure=None) -> list[int]:
        """The indexes of the patterns `run` checks on this document (see there)."""
        if not self.prune:
            return list(range(len(self._needs)))
        present = present_names(tree, scanned)
        silent = self._silent(structure) if structure is not None else frozenset()
        return [i for i, needs in enumerate(self._needs) if _can_fire(needs, present) and i not in silent]

    def blind_to_xml_ids(self, indexes) -> bool:
        """Whether these patterns find the same on a document without its xml:id attributes
        (plainids.py): nothing in them names xml:id, attributes at large, comments or processing
        instructions (comments may lose text that looked like a tag), and Saxon reads the file."""
        return all(self._blind[i] for i in indexes)

    def _silent(self, structure) -> frozenset[int]:
        """The patterns that cannot fire on documents valid against a grammar of this structure."""
        from .silent import silent_patterns  # silent imports this module

        if structure not in self._silent_by_structure:
            self._silent_by_structure[structure] = silent_patterns(self.rules, structure)
        return self._silent_by_structure[structure]

    def _stylesheet(self, indexes: tuple[int, ...]) -> "_Stylesheet":
        if indexes not in self._stylesheets:
            subset = Rules(self.rules.namespaces, self.rules.lets, [self.rules.patterns[i] for i in indexes],
                           self.rules.abstract_rules, self.rules.source)
            self._stylesheets[indexes] = _Stylesheet(to_xslt(subset, [self.idents[i] for i in indexes]),
                                                     self.rules.source)
        return self._stylesheets[indexes]


# What a pattern would need to see an xml:id attribute, or text taken out of a comment or a
# processing instruction, in some expression (contexts, tests, lets and messages).
_SEES_XML_IDS = ("xml:id", "xml:*", "XML/1998/namespace", "@*", "attribute::", "attribute(", "@node(", "node()",
                 "comment(", "processing-instruction(", "id(", "idref(", "element-with-id(", "deep-equal(")


def _blind_to_xml_ids(rules: Rules) -> list[bool]:
    """For each pattern, whether no expression in it (or in the lets and abstract rules it may
    use) can tell a document from the same without its xml:ids."""
    shared = " ".join(etree.tostring(e, encoding="unicode") for e in [*rules.lets, *rules.abstract_rules.values()])
    if any(token in shared for token in _SEES_XML_IDS):
        return [False] * len(rules.patterns)
    return [not any(token in etree.tostring(p, encoding="unicode") for token in _SEES_XML_IDS) for p in rules.patterns]


def _write_atomically(path: Path, text: str) -> None:
    """Write a cache file so that a reader never sees half of it; a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass


def _probe(pattern: etree._Element, namespaces: dict[str, str]) -> etree.XPath | None:
    """An lxml XPath selecting every node the pattern's rule contexts match, if all are portable."""
    try:
        selects = [xpath1.probe_select(rule.get("context") or "", namespaces)
                   for rule in _iter(pattern, "rule") if rule.get("abstract") != "true"]
    except xpath1.NotPortable:
        return None
    return etree.XPath(" | ".join(selects), namespaces=namespaces) if selects else None


class _Stylesheet:
    """Some patterns as one XSLT 3.0 stylesheet, compiled by SaxonC-HE on first use."""

    def __init__(self, xslt: bytes, source: str):
        self.xslt = xslt
        self.source = source
        self._executable = None
        self._processor = None

    def _compile(self):
        from saxonche import PySaxonApiError, PySaxonProcessor

        self._processor = PySaxonProcessor(license=False)
        compiler = self._processor.new_xslt30_processor()
        try:
            self._executable = compiler.compile_stylesheet(stylesheet_text=self.xslt.decode("utf-8"))
        except PySaxonApiError as exc:
            raise EditionError(f"the Schematron rules do not compile: {_first_line(exc)}", self.source,
                               hint="check the XPath in the rule contexts and tests") from None

    def run(self, path: Path) -> list[Failure]:
        if self._executable is None:
            self._compile()
        from saxonche import PySaxonApiError

        try:
            node = self._processor.parse_xml(xml_file_name=str(Path(path).resolve()))
            output = self._executable.transform_to_string(xdm_node=node) or ""
        except PySaxonApiError as exc:
            return [Failure("/", "error", "warning", "schematron",
                            f"the Schematron rules could not be evaluated on this file: {_first_line(exc)}")]
        failures = []
        for line in output.splitlines():
            fields = line.split(_SEP)
            if len(fields) == 5:
                failures.append(Failure(*fields))
        return failures


def _first_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:300]


_STEP = re.compile(r"/(?:Q\{([^}]*)\}([^\[/]+)\[(\d+)\]|[^/]*)")


def locate(tree: etree._ElementTree, path: str):
    """The element an XPath 3 path() names (for an attribute or text node: its element), else None."""
    current = None
    for m in _STEP.finditer(path):
        if m.group(2) is None:
            break  # an attribute, text or other node: its element is the answer
        tag = f"{{{m.group(1)}}}{m.group(2)}" if m.group(1) else m.group(2)
        index = int(m.group(3))
        if current is None:
            root = tree.getroot()
            if root.tag != tag or index != 1:
                return None
            current = root
        else:
            same = [c for c in current if c.tag == tag]
            if index > len(same):
                break
            current = same[index - 1]
    return current
