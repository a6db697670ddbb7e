"""Schematron patterns run by libxml2's XPath 1.0 on the tree already parsed for RelaxNG.

A pattern runs here when every expression in it (rule contexts, lets, tests, value-ofs) has an
XPath 1.0 form with the same meaning (see xpath1); the others stay with Saxon. The results are the
same as the XSLT route's (tests/test_validate_schematron_native.py compares both on every pattern
of tei_all that runs here): per pattern, each node is checked by the first rule whose context it
matches; a failed assert or successful report gives one Failure with the node's element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from . import xpath1
from .schematron import _WARNING_ROLES, _rule_items, _sch  # shared with the XSLT route


@dataclass
class _Check:
    kind: str  # "assert" or "report"
    test: etree.XPath
    severity: str
    ident: str
    message: list  # str pieces and compiled XPath (value-of / name)
    failing: etree.XPath | None = None  # the whole-document query for the failing nodes, if it can be one
    candidates: etree.XPath | None = None  # else, for a report: a query for a superset of them


@dataclass
class _Rule:
    context: etree.XPath
    lets: list[tuple[str, etree.XPath]]  # evaluated in order, each may use the earlier ones
    checks: list[_Check]


@dataclass
class NativePattern:
    """One Schematron pattern compiled to lxml XPath objects."""

    ident: str
    rules: list[_Rule]


def compile_pattern(pattern: etree._Element, ident: str, namespaces: dict[str, str],
                    abstract: dict[str, etree._Element]) -> NativePattern | None:
    """The pattern compiled for lxml, or None when some expression has no XPath 1.0 equivalent.
    `abstract`: the schema's abstract rules, by id, for `<extends rule="…"/>`."""
    try:
        pattern_lets = [x for x in pattern if _sch(x, "let")]
        rules = []
        for rule in pattern:
            if not (_sch(rule, "rule") and rule.get("abstract") != "true" and rule.get("context")):
                continue
            types: dict[str, str] = {}
            lets = [_let(let, namespaces, types) for let in pattern_lets]
            checked: list[tuple[etree._Element, _Check]] = []
            for item in _rule_items(rule, abstract):
                if _sch(item, "let"):
                    lets.append(_let(item, namespaces, types))
                elif _sch(item, "assert") or _sch(item, "report"):
                    checked.append((item, _check(item, ident, namespaces, types)))
            select = xpath1.context_select(rule.get("context"), namespaces)
            if not xpath1.selects_elements(select):
                raise xpath1.NotPortable("an attribute or text node as context")
            rules.append(_Rule(etree.XPath(select, namespaces=namespaces), lets, [c for _, c in checked]))
            if not lets:
                for item, check in checked:
                    check.failing = _failing_query(select, item, check.kind, namespaces)
                    if check.failing is None and check.kind == "report":
                        check.candidates = _candidates_query(select, item, namespaces)
    except xpath1.NotPortable:
        return None
    if len(rules) > 1:  # a node matched by an earlier rule is not checked by a later one: node by node
        for rule in rules:
            for check in rule.checks:
                check.failing = check.candidates = None
    return NativePattern(ident, rules)


def _failing_query(select: str, item: etree._Element, kind: str, namespaces: dict[str, str]) -> etree.XPath | None:
    """One query for the nodes failing a check: `//ctx[not(test)]` (assert) or `//ctx[boolean(test)]`
    (report), so that libxml2 does the whole loop. Only for tests that mean the same inside a
    predicate: no current() (its node would change), no position() or last()."""
    text, _ = xpath1.translate(item.get("test", "true()"), namespaces, {})
    if f"${xpath1.CURRENT}" in text or xpath1.uses_position(text):
        return None
    return _filtered(select, f"not({text})" if kind == "assert" else f"boolean({text})", namespaces)


def _filtered(select: str, condition: str, namespaces: dict[str, str]) -> etree.XPath:
    """The context nodes of `select` for which `condition` holds, as one query."""
    query = " | ".join(f"{alternative.strip()}[{condition}]" for alternative in xpath1.split_union(select))
    return etree.XPath(query, namespaces=namespaces)


def _compile(expression: str, namespaces: dict[str, str], types: dict[str, str]) -> tuple[etree.XPath, str]:
    text, kind = xpath1.translate(expression, namespaces, types)
    return etree.XPath(text, namespaces=namespaces), kind


def _let(let: etree._Element, namespaces: dict[str, str], types: dict[str, str]) -> tuple[str, etree.XPath]:
    if let.get("value") is None or not let.get("name"):
        raise xpath1.NotPortable("a let without @value")
    compiled, kind = _compile(let.get("value"), namespaces, types)
    if kind == xpath1.NODES and not xpath1.selects_elements(xpath1.rewrite(let.get("value"))):
        raise xpath1.NotPortable("a let that may hold attributes or text (lxml takes element variables only)")
    types[let.get("name")] = kind
    return let.get("name"), compiled


def _check(item: etree._Element, pattern_ident: str, namespaces: dict[str, str], types: dict[str, str]) -> _Check:
    kind = "assert" if _sch(item, "assert") else "report"
    test, _ = _compile(item.get("test", "true()"), namespaces, types)
    role = (item.get("role") or "").lower()
    message: list = []

    def walk(node):
        if node.text:
            message.append(node.text)
        for child in node:
            if _sch(child, "name"):
                message.append(_compile(f"name({child.get('path') or '.'})", namespaces, types)[0])
            elif _sch(child, "value-of"):
                message.append(_compile(child.get("select", "."), namespaces, types)[0])
            elif isinstance(child.tag, str):
                walk(child)
            if child.tail:
                message.append(child.tail)

    walk(item)
    return _Check(kind, test, "warning" if role in _WARNING_ROLES else "error", item.get("id") or pattern_ident,
                  message)


def _candidates_query(select: str, item: etree._Element, namespaces: dict[str, str]) -> etree.XPath | None:
    """For a report whose test is a union of paths, some with current() in a predicate (e.g. tei_all's
    `ancestor::tei:l[not(.//tei:note//tei:l[. = current()])]`): the context nodes where the paths
    without those predicates select something. Dropping a predicate from a path only widens what it
    selects, so every node that fails is among them; each is then checked on its own."""
    text, _ = xpath1.translate(item.get("test", "true()"), namespaces, {})
    if xpath1.uses_position(text):
        return None
    paths = []
    for alternative in xpath1.split_union(text):
        steps = []
        for step in xpath1.split_steps(alternative.strip()):
            head, predicates = xpath1.split_predicates(step)
            if not re.fullmatch(r"\s*(?:[\w.-]+\s*::\s*)?@?(?:[\w.-]+:)?(?:[\w.-]+|\*)\s*|\s*\.{1,2}\s*|", head):
                return None  # not a plain step: the test is not just a path
            steps.append(head + "".join(p for p in predicates if f"${xpath1.CURRENT}" not in p))
        paths.append("/".join(steps))
    widened = " | ".join(paths)
    if f"${xpath1.CURRENT}" in widened:
        return None
    return _filtered(select, widened, namespaces)


def run(pattern: NativePattern, tree) -> list[tuple[str, str, str, str, etree._Element]]:
    """(kind, severity, id, message, element) for each failure of the pattern on the document."""
    failures = []
    checks = [check for rule in pattern.rules for check in rule.checks]
    if all(check.failing is not None or check.candidates is not None for check in checks):
        for check in checks:
            if check.failing is not None:
                failures += [_failure(check, node, {xpath1.CURRENT: node}) for node in check.failing(tree)]
                continue
            for node in check.candidates(tree):
                if _boolean(check.test(node, **{xpath1.CURRENT: node})):
                    failures.append(_failure(check, node, {xpath1.CURRENT: node}))
        return failures
    fired: set = set()  # per pattern, the first rule whose context a node matches checks it
    for rule in pattern.rules:
        for node in rule.context(tree):
            if node in fired:  # lxml keeps one proxy per element while it is referenced
                continue
            fired.add(node)
            failures += _run_rule(rule, node)
    return failures


def _run_rule(rule: _Rule, context: etree._Element) -> list:
    variables = {xpath1.CURRENT: context}
    for name, expression in rule.lets:
        variables[name] = expression(context, **variables)
    result = []
    for check in rule.checks:
        value = _boolean(check.test(context, **variables))
        if (check.kind == "assert") != value:
            result.append(_failure(check, context, variables))
    return result


def _failure(check: _Check, context: etree._Element, variables: dict) -> tuple:
    message = " ".join(_message(check.message, context, variables).split())
    return check.kind, check.severity, check.ident, message, context


def _boolean(value) -> bool:
    """XPath's boolean(): a number is true unless 0 or NaN (Python's bool(nan) is True)."""
    if isinstance(value, float):
        return value == value and value != 0
    return bool(value)


def _message(pieces: list, context, variables: dict) -> str:
    parts = []
    for piece in pieces:
        parts.append(piece if isinstance(piece, str) else _string(piece(context, **variables)))
    return "".join(parts)


def _string(value) -> str:
    """XSLT 3 value-of: the string values of a sequence joined by spaces; numbers as XPath 2 writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, list):
        return " ".join(_node_string(v) for v in value)
    return str(value)


def _node_string(node) -> str:
    if isinstance(node, etree._Element):
        return node.xpath("string()")
    return str(node)
