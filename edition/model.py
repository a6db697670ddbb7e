"""The one plain model of an edition: what the loader produces and every validator and renderer reads.

Nothing here knows about lxml. Locations are kept so that diagnostics can point at the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Union

Reading = Literal["diplomatic", "corrected"]


@dataclass(frozen=True)
class Location:
    """A place in a file: path (as given), 1-based line and column (0 where unknown)."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


def fold(text: str) -> str:
    """Lower-case ASCII for sorting and matching: 'Khrusjtsjov' → 'khrusjtsjov', 'Ørsted' → 'orsted'."""
    import unicodedata

    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})
    return unicodedata.normalize("NFKD", text.translate(table)).encode("ascii", "ignore").decode().lower()


# ---- phrase-level content -------------------------------------------------------------------


@dataclass
class Text:
    text: str


@dataclass
class Choice:
    """A typo (`kind="sic"`: sic/corr) or a normalised variant (`kind="orig"`: orig/reg)."""

    kind: Literal["sic", "orig"]
    original: list[Inline]
    corrected: list[Inline]
    loc: Location
    complete: bool = True  # False when a part was missing in the source


@dataclass
class Supplied:
    content: list[Inline]
    reason: str
    loc: Location


@dataclass
class Name:
    """A persName/placeName/orgName mention; `key` is the register id it resolves to, if any."""

    kind: Literal["person", "place", "org"]
    ref: str
    key: str | None
    content: list[Inline]
    lang: str | None
    loc: Location


@dataclass
class Date:
    when: str | None
    when_custom: str | None
    from_: str | None
    to: str | None
    calendar: str | None
    content: list[Inline]
    loc: Location


@dataclass
class Seg:
    id: str | None
    type: str | None
    content: list[Inline]
    loc: Location


@dataclass
class Span:
    """Other phrase-level markup kept for rendering: foreign, hi, q, num, title."""

    kind: str
    lang: str | None
    content: list[Inline]


Inline = Union[Text, Choice, Supplied, Name, Date, Seg, Span]


def children_of(node: Inline, reading: Reading | None = None) -> list[Inline]:
    """The content nodes of `node` in a reading (for a choice) or all of them (reading=None)."""
    if isinstance(node, Choice):
        if reading == "diplomatic":
            return node.original
        if reading == "corrected":
            return node.corrected
        return node.original + node.corrected
    if isinstance(node, Supplied) and reading == "diplomatic":
        return []
    if isinstance(node, Text):
        return []
    return node.content


def text_of(nodes: list[Inline], reading: Reading) -> str:
    """Plain text of phrase-level content in the diplomatic or the corrected reading."""
    out: list[str] = []

    def walk(items: list[Inline]) -> None:
        for node in items:
            if isinstance(node, Text):
                out.append(node.text)
            else:
                walk(children_of(node, reading))

    walk(nodes)
    return "".join(out)


def iter_nodes(nodes: list[Inline]):
    """Every node, depth first, both sides of every choice."""
    for node in nodes:
        yield node
        yield from iter_nodes(children_of(node))


# ---- text structure -------------------------------------------------------------------------


@dataclass
class Sentence:
    id: str
    lang: str
    content: list[Inline]
    loc: Location
    section: str = ""
    tail: str = " "  # the white space after the sentence in the source ("" where sentences touch)

    def text(self, reading: Reading = "corrected") -> str:
        """The sentence's text with white space normalised."""
        return " ".join(text_of(self.content, reading).split())

    def raw(self, reading: Reading = "corrected") -> str:
        """The sentence's text exactly as encoded."""
        return text_of(self.content, reading)


@dataclass
class Block:
    """A paragraph, block quotation, heading or letter; a letter's parts are its `children`."""

    kind: Literal["head", "p", "quote", "letter", "opener", "closer", "salute", "dateline", "signed", "title"]
    sentences: list[Sentence] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)
    id: str | None = None
    loc: Location | None = None

    def all_sentences(self) -> list[Sentence]:
        result = list(self.sentences)
        for child in self.children:
            result += child.all_sentences()
        return result


@dataclass
class Section:
    """A chapter: its heading and its blocks in order."""

    id: str
    n: int
    head: Block
    blocks: list[Block]
    loc: Location

    def sentences(self) -> list[Sentence]:
        result = list(self.head.sentences)
        for block in self.blocks:
            result += block.all_sentences()
        return result


@dataclass
class Bibl:
    text: str
    url: str | None = None


@dataclass
class Note:
    """A fact-check (or other) note: its targets, verdict and explanation per language."""

    id: str | None
    type: str | None
    targets: list[str]
    verdict: str | None
    texts: dict[str, str]
    sources: list[Bibl]
    loc: Location


@dataclass
class Category:
    id: str
    labels: dict[str, str]


@dataclass
class PointerUse:
    """One pointer in a pointer attribute, with where it points after prefix resolution."""

    attribute: str
    element: str
    raw: str
    file: str | None  # resolved file path (absolute, as str) or None when external/unresolvable
    id: str | None
    loc: Location


@dataclass
class Document:
    """One TEI file of the edition."""

    path: Path
    display_path: str
    role: Literal["source", "translation", "register", "alignment"]
    lang: str | None
    title: str
    front: list[Sentence] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    categories: dict[str, Category] = field(default_factory=dict)
    source_description: str = ""
    navigation: str = ""  # the source web page's navigation line, kept in the header
    # the header's edition statement, for the about page and citations (empty when the header lacks it)
    authors: list[str] = field(default_factory=list)
    edition_statement: str = ""
    publisher: str = ""
    publication_date: str = ""
    licence: str = ""
    licence_url: str | None = None
    project_description: list[str] = field(default_factory=list)
    editorial_declaration: list[str] = field(default_factory=list)
    ids: dict[str, Location] = field(default_factory=dict)
    id_elements: dict[str, str] = field(default_factory=dict)
    pointers: list[PointerUse] = field(default_factory=list)
    empties: list[tuple[str, Location]] = field(default_factory=list)
    duplicate_ids: list[tuple[str, Location]] = field(default_factory=list)

    def sentences(self) -> list[Sentence]:
        result = list(self.front)
        for section in self.sections:
            result += section.sentences()
        return result


@dataclass
class Entity:
    """A register entry: person, place or organisation."""

    id: str
    kind: Literal["person", "place", "org"]
    names: list[tuple[str | None, str | None, str]]  # (lang, type, text)
    loc: Location
    birth: str | None = None
    death: str | None = None
    geo: str | None = None
    idnos: dict[str, str] = field(default_factory=dict)
    description: str = ""
    notes: list[str] = field(default_factory=list)

    def name(self, lang: str) -> str:
        """The entry's name in `lang`, else its canonical name, else its first name."""
        for name_lang, _, text in self.names:
            if name_lang == lang:
                return text
        for _, name_type, text in self.names:
            if name_type == "canonical":
                return text
        return self.names[0][2] if self.names else self.id

    def index_name(self, lang: str) -> str:
        """The name as a register sorts it: a person surname first ('Lenin, Vladimir Iljitsj'), else as it is.

        The surname is the last word when it matches the entry's key (pers.lenin), so regnal names such as
        'Nikolaj II' stay as they are.
        """
        name = self.name(lang)
        words = name.split()
        if self.kind != "person" or len(words) < 2:
            return name
        last, stem = fold(words[-1]), self.id.split(".", 1)[-1].split("-")[0]
        if last and (stem.startswith(last[:4]) or last.startswith(stem[:4])):
            return f"{words[-1]}, {' '.join(words[:-1])}"
        return name

    @property
    def wikidata(self) -> str | None:
        return self.idnos.get("Wikidata") or self.idnos.get("wikidata")


@dataclass
class Link:
    """An alignment group: source sentence ids, translation sentence ids (empty when untranslated)."""

    sources: list[str]
    targets: list[str]
    loc: Location
    cert: str | None = None
    untranslated: bool = False
    order_ok: bool = True  # False when source pointers do not all come before translation pointers
    ana: str = ""


@dataclass
class Edition:
    """A whole edition: source, translation, registers and alignment."""

    title: str
    root: Path
    source: Document
    translation: Document | None
    registers: list[Document]
    alignment: Document | None
    entities: dict[str, Entity]
    links: list[Link]
    source_lang: str = "nb"
    translation_lang: str = "en"

    def documents(self) -> list[Document]:
        docs = [self.source, *self.registers]
        docs += [d for d in (self.translation, self.alignment) if d is not None]
        return docs

    def sentence_index(self) -> dict[str, Sentence]:
        index = {s.id: s for s in self.source.sentences()}
        if self.translation:
            index.update({s.id: s for s in self.translation.sentences()})
        return index
