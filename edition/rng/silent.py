"""Schematron patterns that cannot fire on any document valid against a grammar.

TEI's "abstract model" rules guard nestings the content models allow only through elements a
given document may not use at all: `<div>` inside `<l>` (context `tei:l//tei:div`), `<div>` inside
`<p>` (a report on `ancestor::tei:p`), an `<lg>` without `<l>`, `<lg>` or `<gap>` (an assert that
some such descendant exists). Given the nesting `structure` of the specialised grammar a document
was found valid against, such a pattern is silent when every rule of it
- has a context that cannot match: a chain of names `a//b` or `a/b` the grammar does not nest, or
- has only checks that cannot fail: reports whose test is a conjunction with an `ancestor::x`
  (or `(ancestor::x or ancestor::y)`) the context cannot have (TEI's "except inside a note",
  `ancestor::tei:l[not(.//tei:note//tei:l[. = current()])]`, counts only paths that avoid
  <note>), and asserts whose test is a disjunction of `descendant::x` / `child::x` that the
  grammar requires of the context.
A whole pattern is skipped, never a single rule (a rule's context shields the nodes it matches
from the pattern's later rules). Anything not of these forms counts as possibly firing.
"""

from __future__ import annotations

import re

from lxml import etree

from . import xpath1
from .exclusions import Exclusion, merged
from .schematron import Rules, _iter, _rule_items, _sch
from .structure import Structure

_NAME = re.compile(r"(?:([\w.-]+):)?([\w.-]+)")


def silent_patterns(rules: Rules, structure: Structure) -> frozenset[int]:
    """Indexes of the patterns that cannot fire on a document valid against the grammar whose
    nesting `structure` describes."""
    return frozenset(i for i, pattern in enumerate(rules.patterns) if _silent(pattern, rules, structure))


def exclusions_of(rules: Rules) -> tuple[Exclusion, ...]:
    """The nesting bans that say exactly what a pattern says: its one rule reports, on elements
    of some names, `ancestor::x` (or `ancestor::x or ancestor::y`), maybe with TEI's "except inside
    a note" predicate and nothing else. A grammar strengthened with them (exclusions.py) rejects
    a document only where the pattern fires, and makes the pattern silent where it accepts."""
    found = []
    for pattern in rules.patterns:
        active = _active_rules(pattern, rules)
        if len(active) != 1:
            continue
        chains = _context_chains(active[0].get("context") or "", rules.namespaces)
        items = _rule_items(active[0], rules.abstract_rules)
        if not chains or any(len(chain) != 1 for chain in chains) or len(items) != 1 or not _sch(items[0], "report"):
            continue
        contexts = {chain[0][1] for chain in chains}
        try:
            test = _unwrap(xpath1.rewrite(items[0].get("test", "")))
            if len(xpath1.split_operator(test, "and")) != 1:
                continue
        except xpath1.NotPortable:
            continue
        steps = _steps_on_axis(test, "ancestor", rules.namespaces) or []
        for ancestor, predicates in steps:
            avoided = _avoided(predicates, contexts, rules.namespaces)
            if len(avoided) == len(predicates):  # every predicate is the "except inside" idiom
                found.append(Exclusion(ancestor, frozenset(contexts), avoided))
    return merged(found)


def _active_rules(pattern: etree._Element, rules: Rules) -> list[etree._Element]:
    """The pattern's non-abstract rules; none when a let is in play (a let is evaluated, and may
    raise, wherever its rule matches, so such a pattern is never reasoned about)."""
    if any(_sch(let, "let") for let in pattern) or rules.lets:
        return []
    return [rule for rule in _iter(pattern, "rule") if rule.get("abstract") != "true"]


def _silent(pattern: etree._Element, rules: Rules, structure: Structure) -> bool:
    active = _active_rules(pattern, rules)
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
        steps = _steps_on_axis(conjunct, "ancestor", namespaces)
        if steps is None:
            continue
        if not any(structure.may_contain(ancestor, context, _avoided(predicates, contexts, namespaces))
                   for ancestor, predicates in steps for context in contexts):
            return True
    return False


_OUTSIDE = re.compile(r"not\(\s*\.//((?:[\w.-]+:)?[\w.-]+)//((?:[\w.-]+:)?[\w.-]+)"
                      r"\[\s*\.\s*=\s*\$" + re.escape(xpath1.CURRENT) + r"\s*\]\s*\)")


def _avoided(predicates: list[str], contexts: set[str], namespaces: dict[str, str]) -> frozenset[str]:
    """Names an ancestor's predicates exclude between it and the context element: in TEI's
    `ancestor::tei:l[not(.//tei:note//tei:l[. = current()])]` on an <l>, an ancestor <l> counts
    only when the context <l> is not inside a <note> inside it. (The context element is itself
    among `.//tei:note//tei:l[. = current()]` when it is inside such a note, so the predicate is
    false for that ancestor; other elements equal to it only make the predicate false more often.)"""
    avoided = set()
    for predicate in predicates:
        m = _OUTSIDE.fullmatch(predicate[1:-1].strip())
        if not m:
            continue
        between, inner = (_element_name(name, namespaces) for name in m.groups())
        if between is not None and contexts == {inner}:
            avoided.add(between)
    return frozenset(avoided)


def _always_true(test: str, contexts: set[str], namespaces: dict[str, str], structure: Structure) -> bool:
    """Whether an assert's test holds on every context element: it asks for a child or
    descendant named in a set of which the grammar requires a child of every context element."""
    try:
        text, _ = xpath1.translate(test, namespaces, {})  # `count(a | b) > 0` becomes `(a or b)`
    except xpath1.NotPortable:
        return False
    for axis in ("descendant", "child"):
        steps = _steps_on_axis(text, axis, namespaces)
        if steps is not None and not any(predicates for _, predicates in steps):
            names = {name for name, _ in steps}
            return all(structure.must_have_child_in(c, names) for c in contexts)
    return False


def _steps_on_axis(expression: str, axis: str, namespaces: dict[str, str]) -> list[tuple[str, list[str]]] | None:
    """For `axis::a[…] or axis::b[…] …` (each maybe in parentheses or `boolean()`): the Clark
    name and predicates of each step; else None. Child steps may omit `child::`."""
    try:
        operands = xpath1.split_operator(_unwrap(expression), "or")
    except xpath1.NotPortable:
        return None
    steps = []
    for operand in operands:
        step = _unwrap(operand)
        if axis == "child" and "::" not in step.split("[", 1)[0]:
            step = "child::" + step
        if not step.startswith(f"{axis}::") or len(xpath1.split_steps(step)) != 1:
            return None
        try:
            head, predicates = xpath1.split_predicates(step[len(axis) + 2:])
        except xpath1.NotPortable:
            return None
        name = _element_name(head, namespaces)
        if name is None:
            return None
        steps.append((name, predicates))
    return steps


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
