"""Nesting bans compiled into a grammar: "no <l> or <lg> inside an <l>, except inside a <note>".

TEI states such rules in Schematron (`ancestor::tei:l[not(.//tei:note//tei:l[. = current()])]`
reported on every <l>), because its content models allow the nesting through phrase-level
elements: an <l> may hold a <hi>, and a <hi> may hold an <l>. Checking the rule walks every <l>'s
ancestors. RelaxNG can say the same by context: inside an <l>, the <hi> (and every other element
reached before a <note>) gets a copy of its content model without <l> and <lg>. A document valid
against the strengthened grammar cannot break the rule, and the grammar's pattern-level
`structure.Structure` shows it, so `silent.py` skips the pattern; validation costs the same.

A document the strengthened grammar rejects is validated against the plain one for its verdict
(schemas.py), so the ban only ever decides which Schematron patterns can be skipped.
"""

from __future__ import annotations

import copy
from typing import NamedTuple

from lxml import etree

from .specialise import RNG_NS, _defines, _propagate, pattern_qname

_R = f"{{{RNG_NS}}}"


class Exclusion(NamedTuple):
    """No element named in `banned` below an element named `outer`, unless an element named in
    `avoiding` lies between them (Clark names)."""

    outer: str
    banned: frozenset[str]
    avoiding: frozenset[str]


def merged(exclusions) -> tuple[Exclusion, ...]:
    """One exclusion per (outer, avoiding), its banned names united; in a stable order."""
    by_key: dict[tuple[str, frozenset[str]], set[str]] = {}
    for exclusion in exclusions:
        by_key.setdefault((exclusion.outer, exclusion.avoiding), set()).update(exclusion.banned)
    return tuple(sorted((Exclusion(outer, frozenset(banned), avoiding) for (outer, avoiding), banned in by_key.items()),
                        key=lambda e: (e.outer, sorted(e.avoiding), sorted(e.banned))))


def exclude(grammar: etree._Element, exclusions: tuple[Exclusion, ...]) -> etree._Element:
    """A copy of `grammar` that accepts exactly the documents `grammar` accepts that break none of
    the `exclusions`, as far as the grammar's own element patterns decide: a wildcard element
    pattern still matches any name (then `structure.Structure` shows the ban as not holding).

    Every define used inside a banning context gets a copy for that context (the set of bans in
    force), in which banned element patterns are notAllowed; entering an element named `outer`
    adds its bans, entering one named in `avoiding` lifts them."""
    root = copy.deepcopy(grammar)
    rewriter = _Rewriter(root, exclusions)
    for top in list(root):
        if isinstance(top.tag, str) and top.tag in (_R + "define", _R + "start"):
            rewriter.rewrite(top, frozenset())
    rewriter.finish()
    _propagate(root)  # a banned element may leave a group or a define that matches nothing
    return root


class _Rewriter:
    def __init__(self, root: etree._Element, exclusions: tuple[Exclusion, ...]):
        self.root = root
        self.exclusions = exclusions
        self.defines = _defines(root)
        self.copies: dict[tuple[str, frozenset[Exclusion]], str] = {}
        self.pending: list[tuple[etree._Element, frozenset[Exclusion]]] = []
        self.taken = set(self.defines)

    def rewrite(self, pattern: etree._Element, bans: frozenset[Exclusion]) -> None:
        """Rewrite the inside of `pattern` (in place) for a context where `bans` are in force."""
        for child in list(pattern):
            if not isinstance(child.tag, str):
                continue
            if child.tag == _R + "ref":
                child.set("name", self._copy_of(child.get("name"), bans))
            elif child.tag == _R + "element":
                name = pattern_qname(child)
                if name is not None and any(name in ban.banned for ban in bans):
                    pattern.replace(child, etree.Element(_R + "notAllowed"))
                    continue
                inner = frozenset(ban for ban in bans if name is None or name not in ban.avoiding)
                inner |= frozenset(e for e in self.exclusions if e.outer == name)
                self.rewrite(child, inner)
            elif child.tag != _R + "attribute":  # attribute values hold no elements
                self.rewrite(child, bans)

    def finish(self) -> None:
        """Rewrite the define copies made so far, and those they need in turn."""
        while self.pending:
            define, bans = self.pending.pop()
            self.rewrite(define, bans)

    def _copy_of(self, name: str, bans: frozenset[Exclusion]) -> str:
        """The name of the define `name` as used where `bans` are in force (made when first needed)."""
        if not bans:
            return name
        key = (name, bans)
        if key not in self.copies:
            number = len(self.copies)
            new = f"{name}.excluding.{number}"
            while new in self.taken:
                number += 1
                new = f"{name}.excluding.{number}"
            self.taken.add(new)
            self.copies[key] = new
            for define in self.defines.get(name, []):
                twin = copy.deepcopy(define)
                twin.set("name", new)
                self.root.append(twin)
                self.pending.append((twin, bans))
        return self.copies[key]
