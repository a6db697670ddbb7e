"""The lists behind the reading view: all corrections, and the chronology of every dated event."""

from __future__ import annotations

from dataclasses import dataclass

from ..dates import parse_iso
from ..model import Choice, Date, Edition, Sentence, Supplied, children_of, text_of

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


@dataclass
class Correction:
    kind: str  # "typo", "normalisation", "supplied"
    original: str  # as published ("" for a supplied word)
    corrected: str
    sentence: Sentence
    href: str
    chapter: str


@dataclass
class Event:
    date: Date
    key: str  # ISO start value used for sorting
    label: str  # normalised date, written out
    julian: str  # the Julian (old style) date written out, or ""
    written: str  # the phrase as the text writes it (corrected reading)
    sentence: Sentence
    counterpart: list[Sentence]
    href: str
    chapter: str

    @property
    def year(self) -> str:
        return self.key[:5] if self.key.startswith("-") else self.key[:4]


def collect_corrections(edition: Edition, sentence_page: dict[str, str], chapter_label: dict[str, str]) -> list[Correction]:
    """Every choice and every supplied word of the source, in text order."""
    result = []
    for sentence in edition.source.sentences():
        href = f"{sentence_page.get(sentence.id, 'index.html')}#{sentence.id}"

        def walk(nodes) -> None:
            for node in nodes:
                if isinstance(node, Choice):
                    result.append(Correction("typo" if node.kind == "sic" else "normalisation",
                                             text_of(node.original, "diplomatic"), text_of(node.corrected, "corrected"),
                                             sentence, href, chapter_label.get(sentence.id, "")))
                elif isinstance(node, Supplied):
                    result.append(Correction("supplied", "", text_of(node.content, "corrected"), sentence, href,
                                             chapter_label.get(sentence.id, "")))
                walk(children_of(node))

        walk(sentence.content)
    return result


def format_iso(value: str | None) -> str:
    """`1917-03-08` → `8 March 1917`, `1917-04` → `April 1917`, `1917` → `1917`; other text unchanged."""
    if not value:
        return ""
    parsed = parse_iso(value)
    if parsed is None:
        return value
    if isinstance(parsed, tuple):
        return f"{MONTH_NAMES[parsed[1] - 1]} {parsed[0]}" if len(parsed) == 2 else str(parsed[0])
    return f"{parsed.day} {MONTH_NAMES[parsed.month - 1]} {parsed.year}"


def date_label(date: Date) -> str:
    """The normalised value of a date, written out: a point, a span, or an open span."""
    if date.when:
        return format_iso(date.when)
    if date.from_ and date.to:
        return f"{format_iso(date.from_)} – {format_iso(date.to)}"
    if date.from_:
        return f"from {format_iso(date.from_)}"
    if date.to:
        return f"until {format_iso(date.to)}"
    return ""


def date_title(date: Date) -> str:
    """A tooltip for a date in the text: its normalised value and, where used, the Julian reading."""
    label = date_label(date)
    if not label:
        return ""
    if date.when_custom:
        return f"{label} (Gregorian); {format_iso(date.when_custom)} in the Julian calendar (old style)"
    return label


def collect_events(edition: Edition, sentence_page: dict[str, str], chapter_label: dict[str, str],
                   counterparts: dict[str, list[Sentence]]) -> list[Event]:
    """Every date of the source with a normalised value, in chronological order (text order breaks ties)."""
    events = []
    for sentence in edition.source.sentences():
        def walk(nodes) -> None:
            for node in nodes:
                if isinstance(node, Date):
                    key = node.when or node.from_ or node.to
                    if key:
                        events.append(Event(node, key, date_label(node),
                                            format_iso(node.when_custom) if node.when_custom else "",
                                            " ".join(text_of(node.content, "corrected").split()), sentence,
                                            counterparts.get(sentence.id, []),
                                            f"{sentence_page.get(sentence.id, 'index.html')}#{sentence.id}",
                                            chapter_label.get(sentence.id, "")))
                walk(children_of(node, "corrected"))

        walk(sentence.content)
    events.sort(key=lambda e: (_sortable(e.key), _sortable(e.date.to or e.key)))
    return events


def _sortable(value: str) -> tuple:
    """Sort key for ISO values of different precision; negative years first."""
    parsed = parse_iso(value)
    if parsed is None:
        return (10**6, value)
    if isinstance(parsed, tuple):
        return (parsed[0], parsed[1] if len(parsed) > 1 else 0, 0)
    return (parsed.year, parsed.month, parsed.day)
