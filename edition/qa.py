"""Translation QA rules (warnings): aligned pairs whose numbers, persons or lengths disagree.

A warning that has been checked and is right as it stands is explained in the alignment: the link carries
`ana="#qa.checked"`.
"""

from __future__ import annotations

import statistics
from typing import Iterator

from .anchors import Figures, figures_of, names_of
from .diagnostics import Diagnostic
from .model import Edition, Inline, Link, Sentence
from .rules import diag, rule


def _figures(nodes: list[Inline]) -> Figures:
    """Figures in digits (thousands separators removed), Roman numerals in running text, date values; and
    the figures written in words, which may stand for a figure in digits on the other side."""
    return figures_of(nodes)


def _persons(nodes: list[Inline]) -> set[str]:
    return set(names_of(nodes, ("person",)))


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
      "versa (12 500 000 and 12,500,000 count as one number). A figure may be written in words on the other "
      "side (\"10 års\" / \"ten years'\", \"4 av 5\" / \"four out of five\"), and a Roman numeral in running "
      "text counts as its value (\"XX partikongress\" / \"20th Party Congress\"). Where a difference is right, "
      "explain it by marking the link ana=\"#qa.checked\".")
def check_numbers(edition: Edition) -> Iterator[Diagnostic]:
    for link, src, tr in _pairs(edition):
        a, b = _figures(_content(src)), _figures(_content(tr))
        only_src = sorted(a.unmatched(b).elements())
        only_tr = sorted(b.unmatched(a).elements())
        if only_src or only_tr:
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

