"""Register pages: every person, place and organisation with its names and every occurrence."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Edition, Entity, Name, Sentence, fold, iter_nodes, text_of

KINDS = [  # (entity kind, page, title)
    ("person", "persons", "Persons"),
    ("place", "places", "Places"),
    ("org", "organisations", "Organisations"),
]
LANGUAGE_NAMES = {"nb": "Norwegian", "nn": "Norwegian Nynorsk", "no": "Norwegian", "en": "English",
                  "ru": "Russian", "de": "German", "fr": "French", "uk": "Ukrainian", "sv": "Swedish",
                  "da": "Danish", "pl": "Polish", "la": "Latin"}


@dataclass
class Occurrence:
    sentence: Sentence
    form: str  # the name as written (corrected reading)
    href: str
    chapter: str  # short label of the chapter, e.g. "3"


@dataclass
class Entry:
    entity: Entity
    page: str
    occurrences: dict[str, list[Occurrence]] = field(default_factory=dict)  # lang -> occurrences

    @property
    def href(self) -> str:
        return f"{self.page}#{self.entity.id}"

    initial: str = ""

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.occurrences.values())


@dataclass
class Register:
    kind: str
    page: str
    title: str
    entries: list[Entry]

    @property
    def file(self) -> str:
        return f"{self.page}.html"

    def initials(self) -> list[tuple[str, str]]:
        """(letter, anchor) for the A–Z navigation, in entry order."""
        seen: list[str] = []
        for entry in self.entries:
            if entry.initial not in seen:
                seen.append(entry.initial)
        return [(letter, self.anchor(letter)) for letter in seen]

    def anchor(self, letter: str) -> str:
        return f"initial-{ord(letter[:1] or '-'):x}"


def language_name(code: str | None) -> str:
    if not code:
        return "Other"
    return LANGUAGE_NAMES.get(code, code)


def collect_registers(edition: Edition, sentence_page: dict[str, str], chapter_label: dict[str, str]) -> list[Register]:
    """The three registers, entries sorted by canonical name, with occurrences in text order."""
    page_of_kind = {kind: page for kind, page, _ in KINDS}
    entries = {eid: Entry(e, f"{page_of_kind.get(e.kind, 'persons')}.html") for eid, e in edition.entities.items()}
    for doc in (edition.source, edition.translation):
        if doc is None:
            continue
        for sentence in doc.sentences():
            page = sentence_page.get(sentence.id)
            if page is None:
                continue
            for node in iter_nodes(sentence.content):
                if isinstance(node, Name) and node.key in entries:
                    form = " ".join(text_of(node.content, "corrected").split())
                    lang = sentence.lang or doc.lang or ""
                    entries[node.key].occurrences.setdefault(lang, []).append(
                        Occurrence(sentence, form, f"{page}#{sentence.id}", chapter_label.get(sentence.id, "")))
    registers = []
    for kind, page, title in KINDS:
        chosen = [e for e in entries.values() if e.entity.kind == kind]
        chosen.sort(key=lambda e: fold(e.entity.index_name(edition.source_lang)))
        for entry in chosen:
            entry.initial = (entry.entity.index_name(edition.source_lang)[:1] or "?").upper()
        registers.append(Register(kind, page, title, chosen))
    return registers


def name_href(node: Name, entities: dict[str, Entity]) -> str | None:
    """Where a name in the text links to: its register entry, or None when it resolves to none."""
    entity = entities.get(node.key or "")
    if entity is None:
        return None
    page = {kind: page for kind, page, _ in KINDS}.get(entity.kind, "persons")
    return f"{page}.html#{entity.id}"


