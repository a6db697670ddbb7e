"""The reading view: chapters as rows of aligned sentence groups, Norwegian beside English.

Each alignment link becomes one row, so a sentence group and its translation start level with each
other. Rows keep the source's blocks (paragraphs, quotations, letters). Every source and translation
sentence is placed in exactly one row: a translation sentence no link places gets a row of its own
where it stands in the translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Block, Edition, Link, Section, Sentence


@dataclass(eq=False)
class Row:
    """One alignment group: source sentences beside their translation."""

    source: list[Sentence]
    translation: list[Sentence]
    untranslated: bool = False
    notes: list = field(default_factory=list)  # fact-checks shown after this row
    end_marks: list = field(default_factory=list)  # fact-check markers at the end of the translation side

    def sentences(self) -> list[Sentence]:
        return self.source + self.translation

    @property
    def anchor(self) -> str:
        return (self.source or self.translation)[0].id


@dataclass
class BlockView:
    """A paragraph, quotation, heading or letter part, holding rows (or parts, for a letter)."""

    kind: str
    rows: list[Row] = field(default_factory=list)
    parts: list[BlockView] = field(default_factory=list)

    def all_rows(self) -> list[Row]:
        result = list(self.rows)
        for part in self.parts:
            result += part.all_rows()
        return result


@dataclass
class Chapter:
    """One chapter page."""

    n: int
    slug: str
    source: Section
    translation: Section | None
    head: BlockView
    blocks: list[BlockView]
    title: dict[str, str] = field(default_factory=dict)  # plain heading per language (corrected reading)

    @property
    def page(self) -> str:
        return f"{self.slug}.html"

    @property
    def factcheck_count(self) -> int:
        return sum(len(row.notes) for row in self.rows())

    def rows(self) -> list[Row]:
        result = list(self.head.rows)
        for block in self.blocks:
            result += block.all_rows()
        return result


class _Aligner:
    """Hands out rows in source order, placing each sentence once."""

    def __init__(self, edition: Edition):
        self.by_source: dict[str, Link] = {}
        self.by_target: dict[str, Link] = {}
        self.translation = {s.id: s for s in edition.translation.sentences()} if edition.translation else {}
        source_ids = {s.id for s in edition.source.sentences()}
        for link in edition.links:
            if not any(s in source_ids for s in link.sources):
                continue  # a link without a known source sentence places nothing: its targets stay loose
            for sid in link.sources:
                self.by_source.setdefault(sid, link)
            for tid in link.targets:
                self.by_target.setdefault(tid, link)
        self.placed: set[str] = set()
        self.order: list[str] = []  # translation ids of the current section, in order
        self.cursor = 0

    def start(self, translation: list[Sentence]) -> None:
        self.order = [s.id for s in translation]
        self.cursor = 0

    def rows_for(self, sentences: list[Sentence], source_index: dict[str, Sentence]) -> list[Row]:
        rows: list[Row] = []
        for sentence in sentences:
            if sentence.id in self.placed:
                continue
            link = self.by_source.get(sentence.id)
            if link is None:
                self.placed.add(sentence.id)
                rows.append(Row([sentence], [], untranslated=True))
                continue
            source = [source_index[s] for s in link.sources if s in source_index and s not in self.placed]
            if not any(s is sentence for s in source):
                source.insert(0, sentence)
            targets = [t for t in link.targets
                       if t in self.translation and t not in self.placed and self.by_target.get(t) is link]
            if targets and targets[0] in self.order:
                rows += self.loose_before(targets[0])
            self.placed.update(s.id for s in source)
            self.placed.update(targets)
            rows.append(Row(source, [self.translation[t] for t in targets],
                            untranslated=link.untranslated or not targets))
        return rows

    def loose_before(self, target: str | None) -> list[Row]:
        """Rows for unplaced translation sentences of this section that come before `target` (all if None)."""
        rows = []
        while self.cursor < len(self.order) and self.order[self.cursor] != target:
            tid = self.order[self.cursor]
            self.cursor += 1
            if tid not in self.placed and tid not in self.by_target:
                self.placed.add(tid)
                rows.append(Row([], [self.translation[tid]]))
        return rows

    def rest(self) -> list[Row]:
        rows = []
        for tid in self.order:
            if tid not in self.placed:
                self.placed.add(tid)
                rows.append(Row([], [self.translation[tid]]))
        return rows


def chapter_slug(section: Section, lang: str, taken: set[str]) -> str:
    """A file name for a chapter page: the section id without its language prefix (`nb.ch01` → `ch01`)."""
    base = section.id[len(lang) + 1:] if section.id.startswith(f"{lang}.") else section.id
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", base).strip("-") or f"chapter-{section.n}"
    if base in ("index", "about", "search", "persons", "places", "organisations", "factchecks",
                "corrections", "chronology"):
        base = f"chapter-{base}"
    slug, k = base, 2
    while slug in taken:
        slug, k = f"{base}-{k}", k + 1
    taken.add(slug)
    return slug


def build_front(edition: Edition, aligner: _Aligner) -> list[Row]:
    """Rows for the title page (front matter)."""
    index = {s.id: s for s in edition.source.front}
    aligner.start(edition.translation.front if edition.translation else [])
    return aligner.rows_for(edition.source.front, index) + aligner.rest()


def build_chapters(edition: Edition) -> tuple[list[Row], list[Chapter]]:
    """The title rows and the chapters of the reading view."""
    aligner = _Aligner(edition)
    source_index = {s.id: s for s in edition.source.sentences()}
    front = build_front(edition, aligner)
    translated = edition.translation.sections if edition.translation else []
    chapters: list[Chapter] = []
    taken: set[str] = set()
    for i, section in enumerate(edition.source.sections):
        counterpart = translated[i] if i < len(translated) else None
        aligner.start(counterpart.sentences() if counterpart else [])
        head = BlockView("head", aligner.rows_for(section.head.sentences, source_index))
        blocks = [_block(block, aligner, source_index) for block in section.blocks]
        tail = aligner.rest()
        if tail:
            blocks.append(BlockView("p", tail))
        chapter = Chapter(i + 1, chapter_slug(section, edition.source_lang, taken), section, counterpart, head,
                          [b for b in blocks if b.rows or b.parts])
        chapter.title = {edition.source_lang: " ".join(s.text() for s in section.head.sentences)}
        if counterpart is not None:
            chapter.title[edition.translation_lang] = " ".join(s.text() for s in counterpart.head.sentences)
        chapters.append(chapter)
    for extra in translated[len(edition.source.sections):]:  # translation chapters without a source chapter
        aligner.start(extra.sentences())
        if chapters:
            chapters[-1].blocks.append(BlockView("p", aligner.rest()))
    return front, chapters


def _block(block: Block, aligner: _Aligner, index: dict[str, Sentence]) -> BlockView:
    view = BlockView(block.kind, aligner.rows_for(block.sentences, index))
    view.parts = [_block(child, aligner, index) for child in block.children]
    return view
