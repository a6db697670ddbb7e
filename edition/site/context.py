"""Everything the templates see: the edition arranged for the web, with links and citations worked out.

Templates get one `Site` object; they never touch lxml and never compute links themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..model import Edition, Name, Sentence
from .apparatus import Correction, Event, collect_corrections, collect_events
from .factchecks import FactCheck, FactChecks, collect_factchecks
from .reading import Chapter, Row, build_chapters
from .registers import Register, collect_registers, language_name, name_href

SIDE_WORDS = {  # words the reading view writes inside a column, in that column's language
    "nb": {"factcheck": "Faktasjekk", "untranslated": "ikke oversatt", "sources": "Kilder", "claim": "til påstanden",
           "name": "Norsk"},
    "en": {"factcheck": "Fact-check", "untranslated": "not translated", "sources": "Sources", "claim": "to the claim",
           "name": "English"},
}


@dataclass
class Side:
    """One column of the reading view."""

    lang: str
    role: str  # "source" or "translation"

    @property
    def name(self) -> str:
        return language_name(self.lang)

    @property
    def own_name(self) -> str:
        return SIDE_WORDS.get(self.lang, {}).get("name", self.name)

    def word(self, key: str) -> str:
        return SIDE_WORDS.get(self.lang, SIDE_WORDS["en"]).get(key, SIDE_WORDS["en"][key])


@dataclass
class Download:
    label: str
    href: str
    size: int
    description: str


@dataclass
class Site:
    edition: Edition
    config: Config
    front: list[Row]
    chapters: list[Chapter]
    factchecks: FactChecks
    registers: list[Register] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    downloads: list[Download] = field(default_factory=list)
    sentence_page: dict[str, str] = field(default_factory=dict)
    chapter_label: dict[str, str] = field(default_factory=dict)
    counterparts: dict[str, list[Sentence]] = field(default_factory=dict)

    # -- languages -------------------------------------------------------------------------
    @property
    def src(self) -> Side:
        return Side(self.edition.source_lang, "source")

    @property
    def tr(self) -> Side:
        return Side(self.edition.translation_lang, "translation")

    def side(self, sentence: Sentence) -> Side:
        return self.tr if sentence.id in self._translation_ids else self.src

    # -- titles and statements ---------------------------------------------------------------
    @property
    def title(self) -> str:
        return self.config.title or self.edition.title

    @property
    def short_title(self) -> str:
        return self.edition.translation.title if self.edition.translation and self.edition.translation.title \
            else self.edition.source.title or self.title

    @property
    def editors(self) -> str:
        names = list(self.config.editors)
        return ", ".join(names) if names else (self.edition.source.publisher or "")

    @property
    def authors(self) -> str:
        return "; ".join(self.edition.source.authors) or "Anonymous"

    # -- links ---------------------------------------------------------------------------------
    def href(self, sentence: Sentence | str) -> str:
        sid = sentence if isinstance(sentence, str) else sentence.id
        return f"{self.sentence_page.get(sid, 'index.html')}#{sid}"

    def absolute(self, href: str) -> str:
        base = self.config.base_url
        return f"{base.rstrip('/')}/{href}" if base else href

    def name_href(self, node: Name) -> str | None:
        return name_href(node, self.edition.entities)

    @property
    def seg_marks(self) -> dict[str, list[FactCheck]]:
        return self.factchecks.seg_marks

    @property
    def sentence_marks(self) -> dict[str, list[FactCheck]]:
        return self.factchecks.sentence_marks

    def pair(self, row: Row, sentence: Sentence) -> str:
        """Ids of the sentences aligned with `sentence` (the other side of its row)."""
        other = row.translation if any(s is sentence for s in row.source) else row.source
        return " ".join(s.id for s in other)

    def cite(self, sentence: Sentence) -> str:
        """A citation for one sentence, ending with its permalink."""
        side = self.side(sentence)
        doc = self.edition.translation if side.role == "translation" else self.edition.source
        where = self.chapter_label.get(sentence.id)
        place = f"chapter {where}, " if where and where != "title" else ""
        what = f"{self.authors}, {self.edition.source.title}"
        if side.role == "translation":
            what += f", {side.name} translation ({doc.title})" if doc and doc.title else f", {side.name} translation"
        edition_line = self.edition.source.edition_statement
        editors = f", edited by {self.editors}" if self.editors else ""
        parts = [f"{what}, {place}sentence {sentence.id}.", f"In: {self.title}{editors}."]
        if edition_line:
            parts.append(f"{edition_line.rstrip('.')}.")
        parts.append(self.absolute(self.href(sentence)))
        return " ".join(parts)

    @property
    def _translation_ids(self) -> set[str]:
        if not hasattr(self, "_tr_ids"):
            doc = self.edition.translation
            self._tr_ids = {s.id for s in doc.sentences()} if doc else set()
        return self._tr_ids

    def chapter_window(self, chapter: Chapter, size: int = 60) -> list[Chapter]:
        """The chapters listed in a chapter page's jump menu: all of them, or `size` around `chapter`."""
        if len(self.chapters) <= size:
            return self.chapters
        start = max(0, min(chapter.n - 1 - size // 2, len(self.chapters) - size))
        return self.chapters[start:start + size]

    # -- figures -------------------------------------------------------------------------------
    @property
    def stats(self) -> dict[str, int]:
        tr = self.edition.translation
        return {
            "chapters": len(self.chapters),
            "source_sentences": len(self.edition.source.sentences()),
            "translation_sentences": len(tr.sentences()) if tr else 0,
            "factchecks": len(self.factchecks.notes),
            "corrections": len(self.corrections),
            "entities": len(self.edition.entities),
            "events": len(self.events),
        }


def build_site(edition: Edition, config: Config) -> Site:
    """Arrange the edition for the web: reading rows, fact-check placement, registers, lists."""
    front, chapters = build_chapters(edition)
    site = Site(edition, config, front, chapters, collect_factchecks(edition))
    for row in front:
        for sentence in row.sentences():
            site.sentence_page[sentence.id] = "index.html"
            site.chapter_label[sentence.id] = "title"
    for chapter in chapters:
        for row in chapter.rows():
            for sentence in row.sentences():
                site.sentence_page[sentence.id] = chapter.page
                site.chapter_label[sentence.id] = str(chapter.n)
    for row in front + [r for c in chapters for r in c.rows()]:
        for sentence in row.source:
            site.counterparts[sentence.id] = row.translation
    _place_notes(site)
    site.registers = collect_registers(edition, site.sentence_page, site.chapter_label)
    site.corrections = collect_corrections(edition, site.sentence_page, site.chapter_label)
    site.events = collect_events(edition, site.sentence_page, site.chapter_label, site.counterparts)
    return site


def _place_notes(site: Site) -> None:
    """Put each note after the row of its first marker; notes without a located claim go to the last chapter."""
    placed: set[str] = set()
    pages = [("index.html", site.front)] + [(c.page, c.rows()) for c in site.chapters]
    for page, rows in pages:
        for row in rows:
            here: list[FactCheck] = []
            for sentence in row.source + row.translation:
                for fc in site.factchecks.sentence_marks.get(sentence.id, []):
                    _append(here, fc)
            for fc in _seg_notes(site, row):
                _append(here, fc)
            for fc in here:
                if row.translation:
                    _append(row.end_marks, fc)
                if fc.id not in placed:
                    placed.add(fc.id)
                    fc.page = page
                    row.notes.append(fc)
    loose = [fc for fc in site.factchecks.notes if fc.id not in placed]
    if loose and site.chapters:
        last = site.chapters[-1].rows()[-1] if site.chapters[-1].rows() else None
        for fc in loose:
            fc.page = site.chapters[-1].page
            if last is not None:
                last.notes.append(fc)


def _seg_notes(site: Site, row: Row) -> list[FactCheck]:
    from ..model import Seg, iter_nodes

    found: list[FactCheck] = []
    for sentence in row.source + row.translation:
        for node in iter_nodes(sentence.content):
            if isinstance(node, Seg) and node.id in site.factchecks.seg_marks:
                for fc in site.factchecks.seg_marks[node.id]:
                    _append(found, fc)
    return found


def _append(items: list, item) -> None:
    if item not in items:
        items.append(item)


def tei_downloads(config: Config) -> list[tuple[Path, str, str]]:
    """(file, name in the site, description) for every TEI file of the edition."""
    roles = [(config.source, "The source text with its fact-check notes (TEI P5)")]
    if config.translation:
        roles.append((config.translation, "The translation (TEI P5)"))
    if config.alignment:
        roles.append((config.alignment, "The sentence alignment (TEI P5 standoff)"))
    for kind, path in config.registers.items():
        roles.append((path, f"The register of {kind} (TEI P5)"))
    result, taken = [], set()
    for path, description in roles:
        name = path.name
        k = 2
        while name in taken:
            name = f"{path.stem}-{k}{path.suffix}"
            k += 1
        taken.add(name)
        result.append((path, name, description))
    return result
