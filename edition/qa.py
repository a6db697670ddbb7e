"""Translation QA rules (warnings): aligned pairs whose numbers, persons or lengths disagree.

A warning that has been checked and is right as it stands is explained in the alignment: the link carries
`ana="#qa.checked"`.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from typing import Iterator

from .diagnostics import Diagnostic
from .model import Date, Edition, Inline, Link, Name, Sentence, Text, children_of
from .rules import diag, rule

_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:[ \u00a0,.]\d{3})+(?![\d])|\d+(?:[.,]\d+)?")


def _numbers(nodes: list[Inline]) -> Counter:
    """Numbers written outside dates (thousands separators removed) plus the normalised date values."""
    found: Counter = Counter()

    def walk(items: list[Inline]) -> None:
        for node in items:
            if isinstance(node, Date):
                found.update(v for v in (node.when, node.from_, node.to) if v)
            elif isinstance(node, Text):
                for m in _NUMBER.finditer(node.text):
                    raw = m.group(0)
                    value = re.sub(r"[ \u00a0,.](?=\d{3}\b)", "", raw).replace(",", ".")
                    found[value.lstrip("0") or "0"] += 1
            else:
                walk(children_of(node, "corrected"))

    walk(nodes)
    return found


def _persons(nodes: list[Inline]) -> set[str]:
    result: set[str] = set()

    def walk(items: list[Inline]) -> None:
        for node in items:
            if isinstance(node, Name) and node.kind == "person" and node.key:
                result.add(node.key)
            if not isinstance(node, Text):
                walk(children_of(node, "corrected"))

    walk(nodes)
    return result


def _pairs(edition: Edition) -> Iterator[tuple[Link, list[Sentence], list[Sentence]]]:
    if edition.translation is None:
        return
    index = edition.sentence_index()
    for link in edition.links:
        if link.untranslated or "qa.checked" in link.ana:
            continue
        src = [index[i] for i in link.sources if i in index]
        tr = [index[i] for i in link.targets if i in index]
        if src and tr and len(src) == len(link.sources) and len(tr) == len(link.targets):
            yield link, src, tr


def _content(sentences: list[Sentence]) -> list[Inline]:
    return [node for s in sentences for node in s.content]


@rule("qa-numbers", "warning", "Aligned sentences carry the same numbers and dates.",
      "Every figure and every normalised date of the source sentence(s) appears in the translation and vice "
      "versa (12 500 000 and 12,500,000 count as one number). Where a difference is right, explain it by "
      "marking the link ana=\"#qa.checked\".")
def check_numbers(edition: Edition) -> Iterator[Diagnostic]:
    for link, src, tr in _pairs(edition):
        a, b = _numbers(_content(src)), _numbers(_content(tr))
        if a != b:
            only_src = sorted((a - b).elements())
            only_tr = sorted((b - a).elements())
            yield diag("qa-numbers", link.loc,
                       f"numbers differ between {link.sources[0]} and {link.targets[0]}: "
                       f"source only {only_src}, translation only {only_tr}",
                       "check the translation, or mark the link ana=\"#qa.checked\"")


@rule("qa-persons", "warning", "Aligned sentences name the same persons.",
      "The person references (@ref) of the source sentence(s) and of the translation are the same set. A "
      "translation that replaces a name by a pronoun should keep the persName around the pronoun.")
def check_persons(edition: Edition) -> Iterator[Diagnostic]:
    for link, src, tr in _pairs(edition):
        a, b = _persons(_content(src)), _persons(_content(tr))
        if a != b:
            yield diag("qa-persons", link.loc,
                       f"persons differ between {link.sources[0]} and {link.targets[0]}: "
                       f"source only {sorted(a - b)}, translation only {sorted(b - a)}",
                       "tag the same persons in both, or mark the link ana=\"#qa.checked\"")


@rule("qa-length", "warning", "The length ratio of an aligned pair is not an outlier.",
      "The ratio of translation length to source length (in characters) of each pair is compared with the "
      "median ratio of the edition; a pair outside 0.5–2 times the median (for pairs of 40 characters or "
      "more) is flagged: a sentence may be missing or mistranslated.")
def check_length(edition: Edition) -> Iterator[Diagnostic]:
    pairs = []
    for link, src, tr in _pairs(edition):
        a = sum(len(s.text("corrected")) for s in src)
        b = sum(len(s.text("corrected")) for s in tr)
        if a and b:
            pairs.append((link, a, b))
    if len(pairs) < 3:
        return
    median = statistics.median(b / a for _, a, b in pairs)
    for link, a, b in pairs:
        ratio = b / a
        if max(a, b) >= 40 and not (0.5 * median <= ratio <= 2 * median):
            yield diag("qa-length", link.loc,
                       f"length ratio {ratio:.2f} of {link.sources[0]} → {link.targets[0]} is far from the median {median:.2f}",
                       "check that nothing is missing, or mark the link ana=\"#qa.checked\"")

