"""XPath 2/3 expressions of Schematron rules rewritten as XPath 1.0 with the same result, when they can be.

Most rules in TEI schemas are XPath 1.0 apart from value comparisons (`@type eq 'x'`,
`count(*) gt 1`) and XSLT's `current()`. Those rules can run on libxml2's XPath engine over the tree
already parsed for RelaxNG, instead of Saxon parsing the file a second time.

The rewrite is conservative. An expression qualifies only when
- after replacing `eq ne lt le gt ge` by `= != < <= > >=` (where those words stand as operators, not
  names) and `current()` by a variable bound to the rule's context node, it parses as XPath 1.0
  (elementpath's XPath 1.0 parser: 2.0 syntax and functions are refused), and
- its comparisons and arithmetic have the same meaning in both languages: a relational comparison
  needs a number on one side (XPath 1.0 compares strings as numbers), `=` and `!=` never mix a
  boolean with something else, arithmetic works on numbers only (an empty operand is NaN in 1.0 but
  the empty sequence in 2.0), and a variable's type is known from its `let`.

Where XPath 2.0 raises a dynamic error (e.g. `contains()` on two nodes, `@n > 1` on `n="x"`) the
results may differ: Saxon reports that the rules could not be evaluated, libxml2 answers.
"""

from __future__ import annotations

import ast
import json
import re
from functools import lru_cache
from pathlib import Path

CURRENT = "edition-current"  # the variable that stands for current()
REVISION = 3  # of translate()'s answers, stored by schematron.Validator beside a compiled schema

_VALUE_COMPARISONS = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\(:.*?:\))
  | (?P<string>"(?:[^"]|"")*"|'(?:[^']|'')*')
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<variable>\$[\w.-]+(?::[\w.-]+)?)
  | (?P<name>(?:[^\W\d][\w.-]*|\*)(?::(?:[^\W\d][\w.-]*|\*))?)
  | (?P<symbol>//|::|\.\.|!=|<=|>=|<<|>>|\|\||[/()\[\]@,|=<>+\-*.!:])
""", re.VERBOSE | re.DOTALL)

NUMBER, STRING, BOOLEAN, NODES, UNKNOWN = "number", "string", "boolean", "nodes", "unknown"
_FUNCTION_TYPES = {
    NUMBER: {"count", "string-length", "number", "sum", "floor", "ceiling", "round", "position", "last"},
    STRING: {"string", "concat", "substring", "substring-before", "substring-after", "normalize-space",
             "translate", "name", "local-name", "namespace-uri"},
    BOOLEAN: {"not", "true", "false", "boolean", "contains", "starts-with", "lang"},
    NODES: set(),  # not id(): lxml's trees have no ID table (xml:ids are not collected while parsing)
}
_FUNCTION_TYPE = {f: kind for kind, names in _FUNCTION_TYPES.items() for f in names}
_NODE_TESTS = {"node", "text", "comment", "processing-instruction"}


class NotPortable(Exception):
    """The expression has no XPath 1.0 form with the same meaning."""


def _tokens(text: str):
    """(kind, token, start, end) of each token of an expression. A name that stands for an
    operator (where an operand has just ended, XPath 1.0 section 3.7: the second `eq` in
    `@eq eq 'x'`) has the kind "operator". Raises NotPortable on text the tokenizer does not know."""
    expect_operand = True
    position = 0
    while position < len(text):
        m = _TOKEN.match(text, position)
        if not m:
            raise NotPortable(f"cannot read {text[position:position + 20]!r}")
        position = m.end()
        kind, token = m.lastgroup, m.group()
        if kind == "name" and not expect_operand:  # and, or, div, mod, eq, *, …
            kind, expect_operand = "operator", True
        elif kind == "symbol":
            expect_operand = token not in (")", "]", ".", "..")
        elif kind == "name":
            expect_operand = bool(re.match(r"\s*(\(|::)", text[position:])) or token.endswith(":")
        elif kind not in ("space", "comment"):
            expect_operand = False
        yield kind, token, m.start(), position


def rewrite(expression: str) -> str:
    """The expression with value comparisons as general comparisons and current() as a variable.
    Raises NotPortable on text the tokenizer does not know."""
    out: list[str] = []
    skip_to = 0
    for kind, token, start, end in _tokens(expression):
        if start < skip_to:
            continue
        if kind in ("space", "comment"):
            out.append(" ")
        elif kind == "operator":
            out.append(_VALUE_COMPARISONS.get(token, token))
        elif kind == "name" and token == "current" and (call := re.match(r"\s*\(\s*\)", expression[end:])):
            skip_to = end + call.end()
            out.append(f"${CURRENT}")
        else:
            out.append(token)
    return "".join(out).strip()


@lru_cache(maxsize=4096)
def _parse(expression: str, namespaces: tuple[tuple[str, str], ...]):
    from elementpath import XPath1Parser
    from elementpath.exceptions import ElementPathError

    try:
        return XPath1Parser(namespaces=dict(namespaces)).parse(expression)
    except (ElementPathError, SyntaxError, TypeError, ValueError) as exc:
        raise NotPortable(str(exc)) from None


_memo: dict[str, list[str] | str] = {}  # translate()'s answers: [text, type] or the NotPortable reason


def memo() -> dict[str, list[str] | str]:
    """translate()'s answers so far, to store beside a compiled schema (JSON-serialisable)."""
    return dict(_memo)


def remember(answers: dict[str, list[str] | str]) -> None:
    """Answers stored by an earlier process: translate() will not parse those expressions again."""
    _memo.update(answers)


PACKAGED = Path(__file__).with_name("xpath1-memo.json")  # answers for tei_all's rules, shipped (see below)
_seeded = False


def seed() -> None:
    """Remember the answers shipped with edition, once per process: those for the Schematron of
    the official tei_all, which other TEI schemas share, so that a first run (a CI job without a
    cache) does not parse some 250 expressions with elementpath (0.1 s). Written by
    `python tools/make_xpath1_memo.py`; tests/test_validate_schematron_native.py recomputes every
    answer. A file of another REVISION is ignored."""
    global _seeded
    if _seeded:
        return
    _seeded = True
    try:
        stored = json.loads(PACKAGED.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if stored.get("revision") == REVISION:
        remember(stored.get("answers", {}))


def key_parts(key: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """The (expression, namespaces, variables) a memo key stands for."""
    expression, namespaces, variables = key.split("\x1f")
    return expression, dict(ast.literal_eval(namespaces)), dict(ast.literal_eval(variables))


def translate(expression: str, namespaces: dict[str, str], variables: dict[str, str]) -> tuple[str, str]:
    """The XPath 1.0 form of an XPath 2/3 expression and its result type (number, string, boolean,
    nodes); `variables` gives the types of the variables in scope. Raises NotPortable."""
    key = "\x1f".join([expression, repr(sorted(namespaces.items())), repr(sorted(variables.items()))])
    answer = _memo.get(key)
    if answer is None:
        try:
            answer = list(_translate(expression, namespaces, variables))
        except NotPortable as exc:
            answer = str(exc) or "not portable"
        _memo[key] = answer
    if isinstance(answer, str):
        raise NotPortable(answer)
    return answer[0], answer[1]


def _translate(expression: str, namespaces: dict[str, str], variables: dict[str, str]) -> tuple[str, str]:
    from lxml import etree

    text = rewrite(expression)
    tree = _parse(text, tuple(sorted(namespaces.items())))
    kind = _type(tree, {**variables, CURRENT: NODES})
    text = _exists_form(text, namespaces, {**variables, CURRENT: NODES})
    try:
        etree.XPath(text, namespaces=namespaces)
    except etree.XPathSyntaxError as exc:
        raise NotPortable(str(exc)) from None
    return text, kind


_ABOVE_ZERO = re.compile(r"\s*>\s*0(?![\w.])")
_OPERAND_END = re.compile(r"\s*(?:$|[)\],]|(?:and|or)(?![\w.:-]))")  # nothing binding tighter follows


def _exists_form(text: str, namespaces: dict[str, str], variables: dict[str, str]) -> str:
    """`count(a | b) > 0` as `(a or b)` (`count(a) > 0` as `boolean(a)`), where nothing binding
    tighter than `>` stands beside it: the same truth value (a union is non-empty when one of its
    parts is), but libxml2 stops each path at its first node instead of collecting and sorting
    every node of the union (tei_all's "lg must contain l, lg or gap": 2.2 → 1.7 ms per MB of verse)."""
    out, position, previous = [], 0, None
    for kind, token, start, end in _tokens(text):
        if kind in ("space", "comment"):
            continue
        before, previous = previous, (kind, token)
        if start < position or (kind, token) != ("name", "count") or not _starts_operand(before):
            continue
        call = text[end:].lstrip()
        if not call.startswith("("):
            continue
        try:
            inner, rest = _parenthesised(call)
        except NotPortable:
            continue
        above = _ABOVE_ZERO.match(rest)
        if above is None or not _OPERAND_END.match(rest, above.end()):
            continue
        parts = [part.strip() for part in split_union(inner)]
        if not all(part and _is_nodes(part, namespaces, variables) for part in parts):
            continue
        exists = f"boolean({parts[0]})" if len(parts) == 1 else "(" + " or ".join(parts) + ")"
        out.append(text[position:start] + exists)
        position = len(text) - len(rest) + above.end()
    return "".join(out) + text[position:]


def _starts_operand(before: tuple[str, str] | None) -> bool:
    """Whether a token (kind, text) before an operand leaves it unbound: the start, `(`, `[`, `,`, `and`, `or`."""
    return before is None or before in (("symbol", "("), ("symbol", "["), ("symbol", ","),
                                         ("operator", "and"), ("operator", "or"))


def _is_nodes(part: str, namespaces: dict[str, str], variables: dict[str, str]) -> bool:
    try:
        return _type(_parse(part, tuple(sorted(namespaces.items()))), variables) == NODES
    except NotPortable:
        return False


def _type(token, variables: dict[str, str]) -> str:
    """The result type of a parsed XPath 1.0 expression; raises NotPortable where 1.0 and 2.0 differ."""
    symbol, label = token.symbol, token.label
    children = list(token)
    if symbol == "$":
        name = children[0].value if children else None
        if name not in variables or variables[name] == UNKNOWN:
            raise NotPortable(f"variable ${name} of unknown type")
        return variables[name]
    if label == "function":
        if symbol not in _FUNCTION_TYPE and symbol not in _NODE_TESTS:
            raise NotPortable(f"function {symbol}()")
        for child in children:
            _type(child, variables)
        return _FUNCTION_TYPE.get(symbol, NODES)
    kinds = [_type(child, variables) for child in children]
    if symbol in ("(integer)", "(decimal)", "(float)", "(double)"):
        return NUMBER
    if symbol == "(string)":
        return STRING
    if symbol in ("and", "or"):
        return BOOLEAN
    if symbol in ("=", "!="):
        if BOOLEAN in kinds and kinds != [BOOLEAN, BOOLEAN]:
            raise NotPortable("comparison of a boolean with another type")
        return BOOLEAN
    if symbol in ("<", ">", "<=", ">="):
        if NUMBER not in kinds or BOOLEAN in kinds:
            raise NotPortable("relational comparison without a number on one side")
        return BOOLEAN
    if symbol in ("+", "-", "*", "div", "mod"):
        if any(k != NUMBER for k in kinds):
            raise NotPortable("arithmetic on something other than numbers")
        return NUMBER
    if symbol == "(" and len(kinds) == 1:
        return kinds[0]
    if symbol == "[" and kinds:
        return NODES
    return NODES  # paths, steps, names, unions, axes, `.`, `..`, `@`


def context_select(context: str, namespaces: dict[str, str]) -> str:
    """The XPath 1.0 expression selecting, in a whole document, the nodes an XSLT match pattern
    matches: each alternative not starting with `/` is prefixed with `//`. Raises NotPortable."""
    alternatives = split_union(rewrite(context))
    selects = []
    for alternative in alternatives:
        alternative = alternative.strip()
        if alternative.startswith("(") or re.match(r"(id|key|doc|document)\s*\(", alternative):
            raise NotPortable("pattern starting with a parenthesis or a function")
        if alternative == "/":
            raise NotPortable("the document node as context")
        selects.append(alternative if alternative.startswith("/") else _last_step_first(alternative, namespaces))
    select = " | ".join(selects)
    if f"${CURRENT}" in select:
        raise NotPortable("current() in a match pattern")
    translate(select, namespaces, {})
    return select


_ELEMENT_STEP = re.compile(r"""(?:(?:child|descendant|descendant-or-self|ancestor|ancestor-or-self|following|
    following-sibling|preceding|preceding-sibling|parent|self)\s*::\s*)?(?:[^\W\d][\w.-]*:)?(?:[^\W\d][\w.-]*|\*)
    \s*(?:\[.*\])?|\.|\.\.|\$[\w.-]+(?:\[.*\])?|id\s*\(.*\)""", re.VERBOSE | re.DOTALL)


_PLAIN_STEP = re.compile(r"(?:[^\W\d][\w.-]*:)?(?:[^\W\d][\w.-]*|\*)")


def _last_step_first(pattern: str, namespaces: dict[str, str]) -> str:
    """A relative match pattern as a select over the whole document, starting from its last step:
    `tei:l//tei:div` → `//tei:div[ancestor::tei:l]`, `tei:a/tei:b/@c` → `//@c[parent::tei:b[parent::tei:a]]`.
    libxml2 evaluates `//tei:l//tei:div` by merging every l's descendants into one node-set with
    duplicate checks, quadratic in the number of l (0.14 s on a 1 MB verse file; this form: 2 ms).
    Only when the steps before the last are plain names without predicates (a predicate such as
    `[1]` would mean something else on the parent or ancestor axis); otherwise `//` + pattern."""
    steps = split_steps(pattern)
    if len(steps) == 1:
        return _from_root(pattern, namespaces)
    heads, axes = [], []
    for step in steps[:-1]:
        if step.strip() == "":
            if not axes or axes[-1] != "parent":
                return "//" + pattern
            axes[-1] = "ancestor"
            continue
        if not _PLAIN_STEP.fullmatch(step.strip()):
            return "//" + pattern
        heads.append(step.strip())
        axes.append("parent")
    condition = ""
    for head, axis in zip(heads, axes):
        condition = f"{axis}::{head}" + (f"[{condition}]" if condition else "")
    return _from_root(f"{steps[-1].strip()}[{condition}]", namespaces)


def uses_position(text: str) -> bool:
    """Whether an expression may depend on the context position (position(), last()): conservative,
    any occurrence of the words counts."""
    return "position" in text or "last" in text


def _from_root(step: str, namespaces: dict[str, str]) -> str:
    """`/descendant::step` where that selects what `//step` does (an element step whose predicates
    are not positional; libxml2 walks it 1.5–2× faster), else `//step`."""
    head, predicates = split_predicates(step.strip())
    if head.startswith("@") or not _PLAIN_STEP.fullmatch(head):
        return "//" + step.strip()
    for predicate in predicates:
        inner = predicate[1:-1]
        if uses_position(inner):
            return "//" + step.strip()
        try:
            kind = translate(inner, namespaces, {})[1]  # memoised, unlike a parse
        except NotPortable:
            return "//" + step.strip()
        if kind not in (BOOLEAN, NODES, STRING):  # a number is a position test
            return "//" + step.strip()
    return "/descendant::" + step.strip()


def probe_select(context: str, namespaces: dict[str, str]) -> str:
    """An XPath 1.0 expression selecting at least every node the match pattern matches (maybe more):
    as context_select, but a leading parenthesised step `(a | b)[p]/rest` becomes `//rest`, or
    `//a | //b` when nothing follows. For deciding that a pattern cannot fire. Raises NotPortable."""
    selects = []
    for alternative in split_union(rewrite(context)):
        alternative = alternative.strip()
        if alternative.startswith("("):
            inner, rest = _parenthesised(alternative)
            while rest.startswith("["):
                _, rest = _parenthesised(rest, "[", "]")
            if rest.startswith("/"):
                selects.append(context_select(rest.lstrip("/"), namespaces))
            elif not rest:
                selects.append(probe_select(inner, namespaces))
            else:
                raise NotPortable("a parenthesised step followed by something other than a path")
        else:
            selects.append(context_select(alternative, namespaces))
    select = " | ".join(selects)
    translate(select, namespaces, {})
    return select


def _parenthesised(text: str, opening: str = "(", closing: str = ")") -> tuple[str, str]:
    """(inside, after) for a text starting with a bracket."""
    depth, quote = 0, ""
    for i, c in enumerate(text):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == opening:
            depth += 1
        elif c == closing:
            depth -= 1
            if depth == 0:
                return text[1:i], text[i + 1:].strip()
    raise NotPortable("unbalanced brackets")


def selects_elements(select: str) -> bool:
    """Whether every alternative of a path expression ends in a step that selects elements only (a
    name test, `.`, `..`, an element variable, id()), so that its nodes can be lxml contexts and
    variables. Conservative: anything else counts as possibly selecting attributes or text."""
    for alternative in split_union(select):
        last = split_steps(alternative.strip())[-1].strip()
        if not _ELEMENT_STEP.fullmatch(last):
            return False
    return True


def split_operator(text: str, word: str) -> list[str]:
    """The operands of a top-level chain of the operator `word` (`and`, `or`): for "and",
    `a and (b or c) and d` → [`a`, `(b or c)`, `d`]. A name that is not an operator (`child::and`)
    is not split at. Raises NotPortable on text the tokenizer does not know."""
    parts, depth, first = [], 0, 0
    for kind, token, start, end in _tokens(text):
        if kind == "symbol" and token in ("(", "["):
            depth += 1
        elif kind == "symbol" and token in (")", "]"):
            depth -= 1
        elif kind == "operator" and token == word and depth == 0:
            parts.append(text[first:start].strip())
            first = end
    parts.append(text[first:].strip())
    return parts


def split_union(text: str) -> list[str]:
    """The alternatives of a top-level union `a | b`."""
    return _split_top(text, lambda text, i: text[i] == "|" and text[i + 1:i + 2] != "|" and text[i - 1:i] != "|")


def split_steps(text: str) -> list[str]:
    """The steps of a path `a/b[c/d]/e` (a `//` leaves an empty step between its slashes)."""
    return _split_top(text, lambda text, i: text[i] == "/")


def split_predicates(step: str) -> tuple[str, list[str]]:
    """A step's node test and its predicates: `tei:l[@n][2]` → (`tei:l`, [`[@n]`, `[2]`])."""
    predicates = []
    step = step.rstrip()
    while step.endswith("]"):
        depth = 0
        for i in range(len(step) - 1, -1, -1):
            c = step[i]
            if c == "]":
                depth += 1
            elif c == "[":
                depth -= 1
                if depth == 0:
                    predicates.insert(0, step[i:])
                    step = step[:i].rstrip()
                    break
        else:
            raise NotPortable("unbalanced brackets")
    return step, predicates


def _split_top(text: str, at) -> list[str]:
    """Split where `at(text, i)` holds outside brackets, parentheses and string literals."""
    parts, depth, quote, start = [], 0, "", 0
    for i, c in enumerate(text):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif depth == 0 and at(text, i):
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts
