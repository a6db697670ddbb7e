"""Schematron patterns that cannot fire on any document valid against a grammar.

TEI's "abstract model" rules guard nestings the content models allow only through elements a
given document may not use at all: `<div>` inside `<l>` (context `tei:l//tei:div`), `<div>` inside
`<p>` (a report on `ancestor::tei:p`), an `<lg>` without `<l>`, `<lg>` or `<gap>` (an assert that
some such descendant exists). Given the nesting `structure` of the specialised grammar a document
was found valid against, such a pattern is silent when every rule of it
- has a context that cannot match: a chain of names `a//b` or `a/b` the grammar does not nest, or
- has only checks that cannot fail: reports whose test is a conjunction with an `ancestor::x`
  (or `(ancestor::x or ancestor::y)`) the context cannot have, and asserts whose test is a
  disjunction of `descendant::x` / `child::x` that the grammar requires of the context.
A whole pattern is skipped, never a single rule (a rule's context shields the nodes it matches
from the pattern's later rules). Anything not of these forms counts as possibly firing.
"""

from __future__ import annotations

import re

from lxml import etree

from . import xpath1
from .schematron import Rules, _iter, _rule_items, _sch
from .structure import Structure

_NAME = re.compile(r"(?:([\w.-]+):)?([\w.-]+)")


def silent_patterns(rules: Rules, structure: Structure) -> frozenset[int]:
    """Indexes of the patterns that cannot fire on a document valid against the grammar whose
    nesting `structure` describes."""
    return frozenset(i for i, pattern in enumerate(rules.patterns) if _silent(pattern, rules, structure))


def _silent(pattern: etree._Element, rules: Rules, structure: Structure) -> bool:
    if any(_sch(let, "let") for let in pattern) or rules.lets:
        return False  # a let is evaluated (and may raise) wherever its rule matches
    active = [rule for rule in _iter(pattern, "rule") if rule.get("abstract") != "true"]
    if not active:
        return False
    for rule in active:
        chains = _context_chains(rule.get("context") or "", rules.namespaces)
        if chains is None:
            return False
        live = [chain for chain in chains if _may_match(chain, structure)]
        if not live:
            continue
        items = _rule_items(rule, rules.abstract_rules)
        if any(_sch(item, "let") for item in items):
            return False
        names = {chain[-1][1] for chain in live}
        for item in items:
            if _sch(item, "report") and not _never_true(item.get("test", ""), names, rules.namespaces, structure):
                return False
            if _sch(item, "assert") and not _always_true(item.get("test", ""), names, rules.namespaces, structure):
                return False
    return True


def _context_chains(context: str, namespaces: dict[str, str]) -> list[list[tuple[str, str]]] | None:
    """Each alternative of a match pattern as [(relation, name), …] from its first step to its
    last (relation "child" or "descendant"; the first has ""), or None when some alternative is
    not a chain of element names (predicates are allowed: they only narrow what matches)."""
    try:
        alternatives = xpath1.split_union(xpath1.rewrite(context))
    except xpath1.NotPortable:
        return None
    chains = []
    for alternative in alternatives:
        steps = xpath1.split_steps(alternative.strip())
        if not steps or not steps[0].strip():
            return None  # absolute: `/…` or `//…`
        chain: list[tuple[str, str]] = []
        relation = ""
        for step in steps:
            if not step.strip():
                if relation == "descendant" or not chain:
                    return None
                relation = "descendant"
                continue
            name = _element_name(step, namespaces)
            if name is None:
                return None
            chain.append((relation, name))
            relation = "child"
        if relation == "descendant":
            return None  # ends with `//`
        chains.append(chain)
    return chains


def _element_name(step: str, namespaces: dict[str, str]) -> str | None:
    """The Clark name a step `p:name[…]` (child axis, a plain name test) selects, else None."""
    try:
        head, _ = xpath1.split_predicates(step.strip())
    except xpath1.NotPortable:
        return None
    head = head.strip()
    if head.startswith("child::"):
        head = head[len("child::"):].strip()
    m = _NAME.fullmatch(head)
    if not m:
        return None
    prefix, local = m.groups()
    if prefix is None:
        return local
    if prefix not in namespaces:
        return None
    return f"{{{namespaces[prefix]}}}{local}"


def _may_match(chain: list[tuple[str, str]], structure: Structure) -> bool:
    for (_, outer), (relation, inner) in zip(chain, chain[1:]):
        allowed = structure.may_have_child(outer, inner) if relation == "child" else structure.may_contain(outer, inner)
        if not allowed:
            return False
    return True


def _never_true(test: str, contexts: set[str], namespaces: dict[str, str], structure: Structure) -> bool:
    """Whether a report's test is false on every context element: one of its top-level
    conjuncts asks for an ancestor that no context element can have."""
    try:
        conjuncts = xpath1.split_operator(_unwrap(xpath1.rewrite(test)), "and")
    except xpath1.NotPortable:
        return False
    for conjunct in conjuncts:
        ancestors = _names_on_axis(conjunct, "ancestor", namespaces, predicates=True)
        if ancestors is not None and not any(structure.may_contain(a, c) for a in ancestors for c in contexts):
            return True
    return False


def _always_true(test: str, contexts: set[str], namespaces: dict[str, str], structure: Structure) -> bool:
    """Whether an assert's test holds on every context element: it asks for a child or
    descendant named in a set of which the grammar requires a child of every context element."""
    try:
        text, _ = xpath1.translate(test, namespaces, {})  # `count(a | b) > 0` becomes `(a or b)`
    except xpath1.NotPortable:
        return False
    names: set[str] = set()
    for axis in ("descendant", "child"):
        found = _names_on_axis(text, axis, namespaces, predicates=False)
        if found is not None:
            names = found
            break
    else:
        return False
    return all(structure.must_have_child_in(c, names) for c in contexts)


def _names_on_axis(expression: str, axis: str, namespaces: dict[str, str], predicates: bool) -> set[str] | None:
    """For `axis::a or axis::b …` (each maybe in parentheses or `boolean()`; with predicates only
    when `predicates`): the Clark names a, b, …; else None. Child steps may omit `child::`."""
    try:
        operands = xpath1.split_operator(_unwrap(expression), "or")
    except xpath1.NotPortable:
        return None
    names = set()
    for operand in operands:
        step = _unwrap(operand)
        if axis == "child" and "::" not in step.split("[", 1)[0]:
            step = "child::" + step
        if not step.startswith(f"{axis}::") or len(xpath1.split_steps(step)) != 1:
            return None
        try:
            head, found_predicates = xpath1.split_predicates(step[len(axis) + 2:])
        except xpath1.NotPortable:
            return None
        if found_predicates and not predicates:
            return None
        name = _element_name(head, namespaces)
        if name is None:
            return None
        names.add(name)
    return names


def _unwrap(expression: str) -> str:
    """Without enclosing parentheses or a `boolean(…)` around the whole expression."""
    text = expression.strip()
    while True:
        inner = None
        for opening in ("boolean(", "("):
            if text.startswith(opening) and text.endswith(")"):
                try:
                    body, rest = xpath1._parenthesised(text[len(opening) - 1:])
                except xpath1.NotPortable:
                    return text
                if not rest:
                    inner = body.strip()
                break
        if inner is None:
            return text
        text = inner
