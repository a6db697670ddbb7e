"""The edition's model as plain, JSON-ready data for the PDF template (`templates/pdf/edition.typ`).

The template never sees TEI and never receives markup: every text is a string in a list of *runs*
(dicts with a text and a few style flags), so nothing in the edition can become Typst code.

Layout unit: a *group* is one alignment link — the source sentence(s) on the left, the translation
sentence(s) on the right — so that each group starts level on both sides. Groups sit in *blocks*
(paragraph, quotation, letter part, heading) in the source's order. Every source and translation
sentence is placed exactly once; translation sentences that no link reaches are kept next to their
predecessor, so nothing is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Day

from .dates import parse_iso
from .model import (Block, Choice, Date, Edition, Inline, Link, Name, Note, Section, Seg, Sentence, Span, Supplied,
                    Text, fold, iter_nodes, text_of)

# Fixed words of the PDF, per language; an edition in other languages falls back to English.
LABELS: dict[str, dict[str, str]] = {
    "nb": {
        "contents": "Innhold", "persons": "Personregister", "chronology": "Kronologi",
        "corrections": "Rettelser", "notes": "Faktasjekk", "untranslated": "ikke oversatt",
        "chapter": "Kapittel", "page": "side", "other_notes": "Øvrige merknader", "text": "Teksten",
        "edited_by": "Redigert av", "missing": "mangler", "sources": "Kilder",
    },
    "en": {
        "contents": "Contents", "persons": "Index of persons", "chronology": "Chronology",
        "corrections": "List of corrections", "notes": "Fact-checks", "untranslated": "not translated",
        "chapter": "Chapter", "page": "page", "other_notes": "Other notes", "text": "The text",
        "edited_by": "Edited by", "missing": "missing", "sources": "Sources",
    },
}
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
CORRECTION_KINDS = {"sic": "corrected", "orig": "normalised", "supplied": "supplied"}
EXCERPT_WORDS = 28


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _typeset(text: str) -> str:
    """Running text for the page: white space collapsed, thousands groups ('12 500 000') kept on one line."""
    return re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "\u00a0", _clean(text))


def _labels(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["en"])


# ---- runs: phrase-level content in the corrected reading -------------------------------------


@dataclass
class _Markers:
    """Where the note markers go: notes by target id, their numbers, which ones are already defined."""

    by_target: dict[str, list[Note]]
    numbers: dict[str, int] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)

    def marker(self, note: Note) -> dict:
        key = _note_key(note)
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        first = key not in self.defined
        self.defined.add(key)
        return {"note": key, "num": self.numbers[key], "def": first}

    def markers(self, target: str) -> list[dict]:
        return [self.marker(note) for note in self.by_target.get(target, [])]


def _note_key(note: Note) -> str:
    return note.id or f"note@{note.loc.line}:{note.loc.column}"


def runs(nodes: list[Inline], markers: _Markers | None, style: dict | None = None) -> list[dict]:
    """Flatten phrase-level content (corrected reading) into runs: {"t": text, style flags…}.

    Flags: "i" italic, "lang" a language other than the column's, "mark" corr | reg | sup (an editorial
    intervention), "orig" the original text of a correction, "pic" a reference to a lost picture,
    "person" a register key (an anchor for the index, on a run of its own with no text),
    "note" a footnote marker (with "num" and "def": whether this marker defines the footnote).
    """
    style = dict(style or {})
    out: list[dict] = []
    for node in nodes:
        if isinstance(node, Text):
            if node.text:
                out.append({"t": _typeset(node.text), **style})
        elif isinstance(node, Choice):
            mark = "corr" if node.kind == "sic" else "reg"
            out += runs(node.corrected, markers, {**style, "mark": mark,
                                                  "orig": _clean(text_of(node.original, "diplomatic"))})
        elif isinstance(node, Supplied):
            out += runs(node.content, markers, {**style, "mark": "sup"})
        elif isinstance(node, Name):
            if node.kind == "person" and node.key:
                out.append({"t": "", "person": node.key})
            out += runs(node.content, markers, {**style, **({"lang": node.lang} if node.lang else {})})
        elif isinstance(node, Seg):
            flags = {"pic": True} if node.type == "picture-ref" else {}
            out += runs(node.content, markers, {**style, **flags})
            if node.id and markers is not None:
                out += markers.markers(node.id)
        elif isinstance(node, Span):
            flags: dict = {}
            if node.kind in ("foreign", "hi", "title"):
                flags["i"] = True
            if node.lang:
                flags["lang"] = node.lang
            out += runs(node.content, markers, {**style, **flags})
        elif isinstance(node, Date):
            out += runs(node.content, markers, style)
    return out


def _sentence_runs(sentence: Sentence, markers: _Markers | None) -> list[dict]:
    result = runs(sentence.content, markers)
    if result and "t" in result[0] and result[0]["t"]:
        result[0]["t"] = result[0]["t"].lstrip()
    for run in reversed(result):
        if run.get("t"):
            run["t"] = run["t"].rstrip()
            break
    if markers is not None:
        result += markers.markers(sentence.id)
    return result


# ---- groups and blocks ------------------------------------------------------------------------


def _leaf_blocks(block: Block, container: str | None = None) -> list[tuple[Block, str | None]]:
    """A block and its parts as leaves (letters are flattened into salute, paragraphs, dateline…)."""
    if block.kind == "letter":
        return [leaf for child in block.children for leaf in _leaf_blocks(child, "letter")]
    leaves = [(block, container)] if block.sentences or not block.children else []
    for child in block.children:
        leaves += _leaf_blocks(child, container)
    return leaves


class _Aligner:
    """Places every source and translation sentence into groups following the alignment links."""

    def __init__(self, edition: Edition):
        self.links_by_source: dict[str, Link] = {}
        for link in edition.links:
            for sid in link.sources:
                self.links_by_source.setdefault(sid, link)
        self.translation = edition.translation.sentences() if edition.translation else []
        self.tr_by_id = {s.id: s for s in self.translation}
        self.placed: dict[str, dict] = {}  # translation sentence id -> its group

    def groups(self, sentences: list[Sentence]) -> list[dict]:
        result: list[dict] = []
        current: Link | None = None
        for sentence in sentences:
            link = self.links_by_source.get(sentence.id)
            if result and link is not None and link is current:
                result[-1]["src"].append(sentence)
                continue
            group = {"src": [sentence], "tr": [], "untranslated": link is None or link.untranslated}
            for tid in (link.targets if link else []):
                if tid in self.tr_by_id and tid not in self.placed:
                    group["tr"].append(self.tr_by_id[tid])
                    self.placed[tid] = group
            current = link
            result.append(group)
        return result

    def place_orphans(self, all_groups: list[dict]) -> None:
        """Translation sentences no link placed go after the translation sentence before them."""
        previous: dict | None = None
        for index, sentence in enumerate(self.translation):
            if sentence.id in self.placed:
                previous = self.placed[sentence.id]
                continue
            group = previous
            if group is None:
                later = next((self.placed[s.id] for s in self.translation[index:] if s.id in self.placed), None)
                group = later or (all_groups[0] if all_groups else None)
            if group is None:
                continue
            position = len(group["tr"])
            if previous is None:
                position = 0
            group["tr"].insert(position, sentence)
            group["untranslated"] = False
            self.placed[sentence.id] = group
            previous = group


@dataclass
class _Numbering:
    """Group indices: the template drops one anchor per group, the back matter asks for its page."""

    count: int = 0
    of_sentence: dict[str, int] = field(default_factory=dict)

    def add(self, group: dict) -> int:
        index = self.count
        self.count += 1
        for sentence in group["src"] + group["tr"]:
            self.of_sentence[sentence.id] = index
        return index


def _group_data(group: dict, markers: _Markers, numbering: _Numbering) -> dict:
    index = numbering.add(group)
    src = [_sentence_runs(s, markers) for s in group["src"]]
    # The translation's markers: the same notes, placed at the end of the aligned sentences.
    notes: list[Note] = []
    for sentence in group["src"]:
        for node_id in [sentence.id, *_seg_ids(sentence)]:
            notes += markers.by_target.get(node_id, [])
    tr = [_sentence_runs(s, None) for s in group["tr"]]
    if tr:
        seen: set[str] = set()
        for note in notes:
            if _note_key(note) not in seen:
                seen.add(_note_key(note))
                tr[-1].append(markers.marker(note))
    for sentence_runs in src + tr:
        for before, run in zip(sentence_runs, sentence_runs[1:]):
            if "note" in run and "note" in before:
                run["sep"] = True  # printed as ¹²,¹³
    return {
        "i": index,
        "src": src, "tr": tr,
        "src_ids": [s.id for s in group["src"]], "tr_ids": [s.id for s in group["tr"]],
        "untranslated": group["untranslated"] and not group["tr"],
    }


def _seg_ids(sentence: Sentence) -> list[str]:
    return [n.id for n in iter_nodes(sentence.content) if isinstance(n, Seg) and n.id]


def _chapters(edition: Edition, aligner: _Aligner, markers: _Markers,
              numbering: _Numbering) -> tuple[list[dict], list[dict]]:
    """The essay's own title (groups) and the chapters (blocks of groups), in reading order."""
    chapters = []
    raw: list[tuple[Section, list[tuple[str, str | None, int, list[dict]]]]] = []
    for section in edition.source.sections:
        blocks = [("head", None, 0, aligner.groups(section.head.sentences))]
        number = 0
        for block in section.blocks:
            number += 1
            for leaf, container in _leaf_blocks(block):
                blocks.append((leaf.kind, container or (block.kind if block.kind == "quote" else None), number,
                               aligner.groups(leaf.sentences)))
        raw.append((section, blocks))
    front = aligner.groups(edition.source.front)
    aligner.place_orphans([g for _, blocks in raw for *_, groups in blocks for g in groups] or front)
    front_data = [_group_data(g, markers, numbering) for g in front]
    for section, blocks in raw:
        out_blocks = []
        first_of_number: set[int] = set()
        for kind, container, number, groups in blocks:
            if not groups:
                continue
            data = [_group_data(g, markers, numbering) for g in groups]
            out_blocks.append({"kind": kind, "in": container, "n": number,
                               "label": f"{section.n}.{number}" if number and number not in first_of_number else "",
                               "groups": data})
            first_of_number.add(number)
        head = next((b for b in out_blocks if b["kind"] == "head"), None)
        tr_head = ""
        if head:
            tr_head = " ".join(_plain(r) for r in head["groups"][0]["tr"]) if head["groups"][0]["tr"] else ""
        src_head = section.head.sentences[0].text() if section.head.sentences else section.id
        chapters.append({"id": section.id, "n": section.n, "src_head": src_head, "tr_head": tr_head or src_head,
                         "blocks": out_blocks})
    return front_data, chapters


def _plain(runs_: list[dict]) -> str:
    return " ".join("".join(r.get("t", "") for r in runs_).split())


# ---- apparatus --------------------------------------------------------------------------------


def _notes(edition: Edition, markers: _Markers, src: str, tr: str) -> tuple[list[dict], list[dict]]:
    """All notes with their texts; second list: notes the text never points at (kept at the end)."""
    categories = edition.source.categories
    placed, unplaced = [], []
    for note in edition.source.notes:
        key = _note_key(note)
        category = categories.get(note.verdict or "")
        labels = category.labels if category else {}
        data = {
            "id": key, "num": markers.numbers.get(key, 0), "verdict": (note.verdict or "").removeprefix("verdict."),
            "verdict_src": labels.get(src) or labels.get("") or (note.verdict or ""),
            "verdict_tr": labels.get(tr) or labels.get("") or (note.verdict or ""),
            "src": _clean(note.texts.get(src, "")).strip(), "tr": _clean(note.texts.get(tr, "")).strip(),
            "other": [{"lang": lang, "t": _clean(text).strip()} for lang, text in note.texts.items()
                      if lang not in (src, tr)],
            "sources": [{"t": _clean(b.text).strip(), "url": _web_address(b.url)} for b in note.sources],
        }
        (placed if key in markers.numbers else unplaced).append(data)
    return placed, unplaced


def _web_address(url: str | None) -> str:
    """Only http(s) addresses become links in the PDF."""
    return url if url and re.match(r"^https?://", url.strip(), re.I) else ""


def _year(value: str | None) -> str:
    return value[:4].lstrip("0") if value and re.match(r"^\d{4}", value) else (value or "")


def _persons(edition: Edition, src: str, tr: str) -> list[dict]:
    persons = []
    for entity in edition.entities.values():
        if entity.kind != "person":
            continue
        main = entity.name(src)
        variants = []
        for lang, _type, text in entity.names:
            if text != main and text not in [v["t"] for v in variants]:
                variants.append({"t": text, "lang": lang or src})
        life = "–".join(_year(v) for v in (entity.birth, entity.death)) if (entity.birth or entity.death) else ""
        index_name = entity.index_name(src)
        persons.append({"id": entity.id, "sort": fold(index_name), "name": index_name,
                        "variants": variants, "life": life})
    persons.sort(key=lambda p: (p["sort"], p["id"]))
    return persons


def format_date(date: Date) -> str:
    """A date node as an English reading: '8 March 1917 (23 February O.S.)', '1914–1920'."""
    def one(value: str | None) -> str:
        if not value:
            return ""
        parsed = parse_iso(value)
        if isinstance(parsed, Day):
            return f"{parsed.day} {MONTHS_EN[parsed.month - 1]} {parsed.year}"
        if isinstance(parsed, tuple) and len(parsed) == 2:
            return f"{MONTHS_EN[parsed[1] - 1]} {parsed[0]}"
        return value

    if date.when:
        text = one(date.when)
    else:
        text = "–".join(p for p in (one(date.from_), one(date.to)) if p)
    if date.when_custom and date.calendar:
        parsed = parse_iso(date.when_custom)
        old = f"{parsed.day} {MONTHS_EN[parsed.month - 1]}" if isinstance(parsed, Day) else date.when_custom
        text += f" ({old} O.S.)"
    return text


def _excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"


def _chronology(edition: Edition, numbering: _Numbering, aligned: dict[str, list[Sentence]]) -> list[dict]:
    entries = []
    for position, sentence in enumerate(edition.source.sentences()):
        for node in iter_nodes(sentence.content):
            if not isinstance(node, Date) or not (node.when or node.from_ or node.to):
                continue
            translated = aligned.get(sentence.id) or []
            event = " ".join(s.text() for s in translated) if translated else sentence.text()
            entries.append({
                "sort": (node.when or node.from_ or node.to or ""), "pos": position,
                "date": format_date(node), "written": _clean(text_of(node.content, "corrected")).strip(),
                "event": _excerpt(event), "event_lang": "tr" if translated else "src",
                "g": numbering.of_sentence.get(sentence.id, -1), "ref": sentence.id,
            })
    entries.sort(key=lambda e: (e["sort"], e["pos"]))
    return entries


def _corrections(edition: Edition, numbering: _Numbering, refs: dict[str, str]) -> list[dict]:
    entries = []
    for sentence in edition.source.sentences():
        for node in iter_nodes(sentence.content):
            if isinstance(node, Choice):
                original = _clean(text_of(node.original, "diplomatic"))
                corrected = _clean(text_of(node.corrected, "corrected"))
                raw = re.sub(r"[\t\n\r]", " ", text_of(node.original, "diplomatic"))
                if "".join(raw.split()) == "".join(corrected.split()):
                    original = raw.replace(" ", "␣")  # a spacing error: show the spaces
                entries.append({"kind": CORRECTION_KINDS[node.kind], "orig": original.strip(), "corr": corrected.strip()})
            elif isinstance(node, Supplied):
                entries.append({"kind": "supplied", "orig": "", "corr": _clean(text_of(node.content, "corrected")).strip()})
            else:
                continue
            entries[-1].update({"g": numbering.of_sentence.get(sentence.id, -1), "ref": refs.get(sentence.id, ""),
                                "id": sentence.id})
    return entries


def _refs(chapters: list[dict]) -> dict[str, str]:
    """Citation references 'chapter.block' for every source sentence, as printed in the margin."""
    refs: dict[str, str] = {}
    for chapter in chapters:
        for block in chapter["blocks"]:
            ref = f"{chapter['n']}.{block['n']}" if block["n"] else f"{chapter['n']}"
            for group in block["groups"]:
                for sid in group["src_ids"]:
                    refs[sid] = ref
    return refs


# ---- the whole document -----------------------------------------------------------------------


def pdf_data(edition: Edition, *, paper: str = "a4", facing: bool = False) -> dict:
    """Everything the PDF template prints, as JSON-ready data."""
    src, tr = edition.source_lang, edition.translation_lang
    by_target: dict[str, list[Note]] = {}
    for note in edition.source.notes:
        for target in note.targets:
            by_target.setdefault(target, []).append(note)
    markers = _Markers(by_target)
    aligner = _Aligner(edition)
    numbering = _Numbering()
    front, chapters = _chapters(edition, aligner, markers, numbering)
    notes, unplaced = _notes(edition, markers, src, tr)
    aligned: dict[str, list[Sentence]] = {}
    for link in edition.links:
        translated = [aligner.tr_by_id[t] for t in link.targets if t in aligner.tr_by_id]
        for sid in link.sources:
            aligned.setdefault(sid, translated)
    refs = _refs(chapters)
    source, translation = edition.source, edition.translation
    meta = {
        "title": edition.title,
        "title_src": source.title, "title_tr": translation.title if translation else "",
        "authors": source.authors, "edition_statement": source.edition_statement,
        "publisher": source.publisher, "date": source.publication_date,
        "licence": source.licence, "licence_url": source.licence_url or "",
        "project": source.project_description, "editorial": source.editorial_declaration,
        "source_description": source.source_description,
        "src_lang": src, "tr_lang": tr, "paper": paper, "facing": facing,
        "labels_src": _labels(src), "labels_tr": _labels(tr),
    }
    return {
        "meta": meta,
        "front": front,
        "chapters": chapters,
        "groups": numbering.count,
        "notes": {n["id"]: n for n in notes},
        "unplaced_notes": unplaced,
        "persons": _persons(edition, src, tr),
        "chronology": _chronology(edition, numbering, aligned),
        "corrections": _corrections(edition, numbering, refs),
    }


