"""What a RelaxNG grammar says about element nesting: which elements may be children (and so
descendants) of which, and which children an element must have.

Computed from a specialised grammar (only the names of the documents seen so far), it tells what
any document valid against that grammar can contain: a document without floatingText cannot have
a <div> inside a <p>, and a document whose vocabulary has no <stage>, <label> or <gap> has an <l>
or <lg> in every <lg>. `silent.py` uses it to skip Schematron patterns that cannot fire on such
documents. Everything here over-approximates what may occur (and under-approximates what must),
so a conclusion drawn from it holds for every valid document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .specialise import RNG_NS, _defines, pattern_qname

_R = f"{{{RNG_NS}}}"
ANY = "*"  # a wildcard element pattern (anyName, nsName): any name may occur
_NOTHING_REQUIRED = frozenset({_R + t for t in ("zeroOrMore", "optional", "empty", "text", "data", "value", "list",
                                                 "attribute", "notAllowed")})


@dataclass(eq=False)  # compared and hashed by identity: one per compiled grammar
class Structure:
    """Children each element name may have, and sets of names of which it must have a child.

    Descendants are followed pattern by pattern: a grammar may have two patterns for one name
    (`exclusions.py` gives the <hi> inside an <l> a content model without <l>), and what may occur
    below an element is what its own pattern allows, not what any pattern of that name would."""

    children: dict[str, frozenset[str]]
    required: dict[str, list[frozenset[str]]]
    names: list[str] = field(default_factory=list, repr=False)  # of each element pattern (ANY: a wildcard)
    below: list[frozenset[int]] = field(default_factory=list, repr=False)  # each pattern's child patterns
    _of_name: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _descendants: dict[tuple[str, frozenset[str]], frozenset[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for index, name in enumerate(self.names):
            self._of_name.setdefault(name, []).append(index)

    def descendants(self, name: str, avoiding: frozenset[str] = frozenset()) -> frozenset[str]:
        """The names that may occur below an element of this name (ANY among them: anything may),
        on paths that pass through no element named in `avoiding` (those are reached, not entered)."""
        key = (name, avoiding)
        if key not in self._descendants:
            found: set[str] = set()
            seen: set[int] = set()
            stack = [child for index in self._of_name.get(name, ()) for child in self.below[index]]
            while stack:
                index = stack.pop()
                if index in seen:
                    continue
                seen.add(index)
                child = self.names[index]
                found.add(child)
                if child == ANY:
                    break  # a wildcard element may hold anything
                if child not in avoiding:
                    stack.extend(self.below[index])
            self._descendants[key] = frozenset(found)
        return self._descendants[key]

    @property
    def open(self) -> bool:
        """Whether the grammar has wildcard element patterns (then any name may occur)."""
        return ANY in self.children

    def may_contain(self, ancestor: str, descendant: str, avoiding: frozenset[str] = frozenset()) -> bool:
        """Whether an element named `descendant` may occur below one named `ancestor` (with no
        element named in `avoiding` between them). No element of a name the grammar has no
        pattern for occurs, unless wildcards may."""
        if ancestor not in self.children:
            return self.open
        below = self.descendants(ancestor, avoiding)
        return descendant in below or ANY in below

    def may_have_child(self, parent: str, child: str) -> bool:
        """Whether an element named `child` may occur as a child of one named `parent`."""
        if parent not in self.children:
            return self.open
        below = self.children[parent]
        return child in below or ANY in below

    def must_have_child_in(self, parent: str, names: set[str]) -> bool:
        """Whether every valid element named `parent` has a child whose name is in `names`."""
        return any(required <= names for required in self.required.get(parent, ()))


def structure_of(grammar: etree._Element) -> Structure:
    """The nesting structure of a grammar (simplified or not; refs are followed)."""
    patterns = list(grammar.iter(_R + "element"))
    walker = _Walker(_defines(grammar), {element: index for index, element in enumerate(patterns)})
    names = [pattern_qname(element) or ANY for element in patterns]
    below: list[frozenset[int]] = []
    children: dict[str, set[str]] = {}
    required: dict[str, list[frozenset[str]]] = {}
    for element, name in zip(patterns, names):
        content = _content(element)
        found: set[int] = set()
        for part in content:
            found |= walker.elements(part)
        below.append(frozenset(found))
        if name == ANY:  # a wildcard element may be anything, with any children
            children.setdefault(ANY, set()).add(ANY)
            continue
        children.setdefault(name, set()).update(names[index] for index in found)
        sets = [s for part in content for s in walker.required(part)]
        # several patterns of one name: a child is required only if every pattern requires it
        required[name] = sets if name not in required else [s for s in required[name] if s in sets]
    return Structure({k: frozenset(v) for k, v in children.items()}, required, names, below)


def _content(element: etree._Element) -> list[etree._Element]:
    parts = [k for k in element if isinstance(k.tag, str) and k.tag.startswith(_R)]
    return parts if element.get("name") is not None else parts[1:]  # the first is the name class


class _Walker:
    """Follows refs through defines, memoised; a ref cycle contributes nothing more."""

    def __init__(self, defines: dict[str, list[etree._Element]], patterns: dict[etree._Element, int]):
        self.defines = defines
        self.patterns = patterns  # element pattern → its index
        self._elements: dict[str, set[int]] = {}
        self._required: dict[str, list[frozenset[str]]] = {}

    def elements(self, pattern: etree._Element) -> set[int]:
        """The element patterns a pattern may produce as children (not looking inside them)."""
        tag = pattern.tag
        if tag == _R + "element":
            return {self.patterns[pattern]}
        if tag == _R + "ref":
            name = pattern.get("name")
            if name not in self._elements:
                self._elements[name] = set()  # a cycle: what the outer visit finds is enough
                found: set[int] = set()
                for define in self.defines.get(name, []):
                    for child in define:
                        if isinstance(child.tag, str):
                            found |= self.elements(child)
                self._elements[name] = found
            return self._elements[name]
        if tag in (_R + "attribute", _R + "data", _R + "value", _R + "list"):
            return set()
        found = set()
        for child in pattern:
            if isinstance(child.tag, str) and child.tag.startswith(_R):
                found |= self.elements(child)
        return found

    def required(self, pattern: etree._Element) -> list[frozenset[str]]:
        """Sets of names such that whatever the pattern matches has a child named in each set."""
        tag = pattern.tag
        if tag == _R + "element":
            name = pattern_qname(pattern)
            return [] if name is None else [frozenset({name})]
        if tag == _R + "ref":
            name = pattern.get("name")
            if name not in self._required:
                self._required[name] = []  # a cycle: claim nothing
                found = self.defines.get(name, [])
                if len(found) == 1:  # combined defines (choice or interleave): claim nothing
                    self._required[name] = [s for child in found[0] if isinstance(child.tag, str)
                                            and child.tag.startswith(_R) for s in self.required(child)]
            return self._required[name]
        if tag in _NOTHING_REQUIRED or not tag.startswith(_R):
            return []
        parts = [k for k in pattern if isinstance(k.tag, str) and k.tag.startswith(_R)]
        if tag == _R + "choice":
            # one alternative matches: the union of one set from each alternative is guaranteed
            firsts = [self.required(part) for part in parts]
            if not firsts or any(not sets for sets in firsts):
                return []
            return [frozenset().union(*(sets[0] for sets in firsts))]
        return [s for part in parts for s in self.required(part)]  # group, interleave, oneOrMore, mixed
