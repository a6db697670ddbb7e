"""What a sentence and its translation share whatever the language: figures, dates, names, quotation marks.

Used by the aligner (`edition.align`) to tell which sentences correspond and by the translation QA rules
(`edition.qa`) to tell whether an aligned pair agrees. Everything is read from the model.

Figures are *hard* when written in digits (or Roman numerals such as "XX" in running text) and *soft* when
written in words ("seventy", "ti", "fourth"): a figure written in digits on one side may be written in words
on the other, but a word such as "one" or "en" is too often no figure at all to count on its own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .model import Date, Inline, Name, Seg, Sentence, Text, children_of, text_of

NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f,.]\d{3})+(?![\d])|\d+(?:[.,]\d+)?")
ROMAN = re.compile(r"\b(?=[IVXLC]{2,}\b)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b")
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
QUOTES = "\"“”„«»‘’‚‹›"
CLOSERS = ")]»”’\"'"

_UNITS_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
             "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS_EN = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
_ORD_EN = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
           "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20, "thirtieth": 30,
           "hundredth": 100, "half": 2, "quarter": 4, "dozen": 12, "dozens": 12, "twice": 2,
           "once": 1, "couple": 2, "pair": 2, "single": 1, "double": 2, "triple": 3, "fifths": 5, "thirds": 3,
           "quarters": 4, "tenths": 10, "hundred": 100, "hundreds": 100, "thousand": 1000, "thousands": 1000,
           "million": 1000000, "millions": 1000000}
_NB = {"null": 0, "en": 1, "ett": 1, "én": 1, "ei": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6,
       "sju": 7, "syv": 7, "åtte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14,
       "femten": 15, "seksten": 16, "sytten": 17, "atten": 18, "nitten": 19, "tjue": 20, "tyve": 20,
       "tretti": 30, "tredve": 30, "førti": 40, "femti": 50, "seksti": 60, "sytti": 70, "åtti": 80, "nitti": 90,
       "hundre": 100, "hundrevis": 100, "tusen": 1000, "tusenvis": 1000, "million": 1000000,
       "millioner": 1000000, "første": 1, "annen": 2, "andre": 2, "tredje": 3, "fjerde": 4, "femte": 5,
       "sjette": 6, "sjuende": 7, "syvende": 7, "åttende": 8, "niende": 9, "tiende": 10, "halv": 2,
       "halvparten": 2, "halvdel": 2, "kvart": 4, "fjerdedel": 4, "fjerdeparten": 4, "femtedel": 5,
       "femteparten": 5, "tredjedel": 3, "tredjeparten": 3, "tidel": 10, "tideparten": 10, "dusin": 12,
       "par": 2, "dobbelt": 2, "to-tre": 2, "enkelt": 1, "tjuende": 20, "tyvende": 20, "hundrede": 100}


def _word_values() -> dict[str, set[str]]:
    values: dict[str, set[str]] = {}

    def add(word: str, value: int) -> None:
        values.setdefault(word, set()).add(str(value))

    for n, w in enumerate(_UNITS_EN):
        add(w, n)
        add(w + "th", n)
    for w, n in _TENS_EN.items():
        add(w, n)
        add(w[:-1] + "ieth", n)
        for u in range(1, 10):
            add(f"{w}-{_UNITS_EN[u]}", n + u)
    for w, n in {**_ORD_EN, **_NB}.items():
        add(w, n)
    for w in ("tusen", "thousand"):
        add(w, 1000)
    return values


WORD_VALUES = _word_values()


def normalise_number(raw: str) -> str:
    """12 500 000, 12,500,000 and 12.500.000 → 12500000; 3,9 → 3.9; leading zeros dropped."""
    value = re.sub(r"[ \u00a0\u202f,.](?=\d{3}(?!\d))", "", raw) if re.fullmatch(
        r"\d{1,3}(?:[ \u00a0\u202f,.]\d{3})+", raw) else raw
    value = value.replace(",", ".")
    whole, _, frac = value.partition(".")
    whole = whole.lstrip("0") or "0"
    return f"{whole}.{frac}" if frac else whole


def roman_value(token: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(token, token[1:] + " "):
        v = values[a]
        total += -v if b != " " and values.get(b, 0) > v else v
    return total


@dataclass
class Figures:
    """The figures of some text: hard ones (digits, Roman numerals, date values) and soft ones (words)."""

    hard: Counter = field(default_factory=Counter)
    soft: Counter = field(default_factory=Counter)

    def unmatched(self, other: "Figures") -> Counter:
        """Hard figures of self that the other side has neither as a figure nor in words."""
        missing = self.hard - other.hard
        for value in list(missing):
            if value in other.soft:
                missing[value] = max(0, missing[value] - other.soft[value])
        return +missing


def _text_figures(text: str, figures: Figures, running_text: bool) -> None:
    for m in NUMBER.finditer(text):
        figures.hard[normalise_number(m.group(0))] += 1
    if running_text:
        for m in ROMAN.finditer(text):
            figures.hard[str(roman_value(m.group(0)))] += 1
    for m in WORD.finditer(text):
        word = m.group(0).lower()
        for value in WORD_VALUES.get(word, ()):
            figures.soft[value] += 1
        if "-" in word:  # "to-tre", "two-thirds"
            for part in word.split("-"):
                for value in WORD_VALUES.get(part, ()):
                    figures.soft[value] += 1


def figures_of(nodes: list[Inline]) -> Figures:
    """Numbers written in the text (outside dates) plus the normalised values of the dates."""
    figures = Figures()
    plain = text_of(nodes, "corrected")
    running_text = any(c.islower() for c in plain)  # an all-capitals heading has words like "VI", not numerals

    def walk(items: list[Inline]) -> None:
        for node in items:
            if isinstance(node, Date):
                figures.hard.update(v for v in (node.when, node.from_, node.to) if v)
            elif isinstance(node, Text):
                _text_figures(node.text, figures, running_text)
            else:
                walk(children_of(node, "corrected"))

    walk(nodes)
    return figures


def names_of(nodes: list[Inline], kinds: tuple[str, ...] = ("person", "place", "org")) -> Counter:
    """The register keys of the names in the text (persons, places, organisations), with their counts."""
    found: Counter = Counter()

    def walk(items: list[Inline]) -> None:
        for node in items:
            if isinstance(node, Name) and node.kind in kinds and node.key:
                found[node.key] += 1
            if not isinstance(node, Text):
                walk(children_of(node, "corrected"))

    walk(nodes)
    return found


def quotation_marks(text: str) -> Counter:
    """Direct speech and quotations: a sentence that opens or closes with a quotation mark, and its last mark."""
    marks: Counter = Counter()
    stripped = text.strip()
    if not stripped:
        return marks
    if stripped[0] in QUOTES:
        marks["quote-open"] += 1
    tail = stripped.rstrip(".,;:!?)] ")
    if tail and tail[-1] in QUOTES or stripped[-1] in QUOTES:
        marks["quote-close"] += 1
    end = stripped.rstrip(CLOSERS + QUOTES + " ")
    if end and end[-1] in "?!:":
        marks[f"ends{end[-1]}"] += 1
    return marks


def picture_refs(nodes: list[Inline]) -> int:
    return sum(1 for node in nodes if isinstance(node, Seg) and node.type == "picture-ref") + sum(
        picture_refs(children_of(node, "corrected")) for node in nodes if not isinstance(node, Text))


def sentence_anchors(sentence: Sentence) -> tuple[Counter, Counter]:
    """(anchors, soft figures) of a sentence: anchors are typed tokens such as ('date', '1917-03-08')."""
    figures = figures_of(sentence.content)
    anchors: Counter = Counter()
    for value, n in figures.hard.items():
        anchors[("date" if "-" in value or len(value) == 4 else "number", value)] += n
    for key, n in names_of(sentence.content).items():
        anchors[("name", key)] += n
    for mark, n in quotation_marks(sentence.text("corrected")).items():
        anchors[("mark", mark)] += n
    if picture_refs(sentence.content):
        anchors[("mark", "picture-ref")] += 1
    return anchors, figures.soft
