"""Fact-check notes for the web edition: verdicts, where each claim is marked, and the overview.

A claim is a `seg` with an id or one or more whole sentences. A marker goes after each seg claim and
after the last sentence of each run of consecutive claim sentences; the note itself is shown once,
after the reading row of its first marker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Edition, Note, Seg, Sentence, iter_nodes

# Short badge texts for the verdicts of the encoding contract; other verdicts use their catDesc label.
SHORT_LABELS = {
    "correct": {"en": "correct", "nb": "korrekt"},
    "inaccurate": {"en": "inaccurate", "nb": "unøyaktig"},
    "incorrect": {"en": "incorrect", "nb": "feil"},
    "contradictory": {"en": "contradicted", "nb": "selvmotsigende"},
    "disputed": {"en": "disputed", "nb": "omstridt"},
    "unverifiable": {"en": "unverifiable", "nb": "uavklart"},
}
MEANINGS = {
    "correct": "The claim is right.",
    "inaccurate": "Broadly right, wrong in a detail (a date, a figure, a name).",
    "incorrect": "The claim is wrong.",
    "contradictory": "The essay says otherwise in another place.",
    "disputed": "Historians disagree.",
    "unverifiable": "No reliable source settles it.",
}
ICONS = {"correct": "✓", "inaccurate": "≈", "incorrect": "✗", "contradictory": "⇄", "disputed": "?",
         "unverifiable": "∅"}


@dataclass
class Verdict:
    """One category of the verdict taxonomy, with its labels per language."""

    id: str
    slug: str
    labels: dict[str, str]
    order: int

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("en") or next(iter(self.labels.values()), self.slug)

    def short(self, lang: str) -> str:
        return SHORT_LABELS.get(self.slug, {}).get(lang) or self.label(lang)

    @property
    def meaning(self) -> str:
        return MEANINGS.get(self.slug, "")

    @property
    def icon(self) -> str:
        return ICONS.get(self.slug, "•")


UNKNOWN_VERDICT = Verdict("", "none", {"en": "No verdict", "nb": "Uten vurdering"}, 999)


@dataclass(eq=False)
class FactCheck:
    """A note as the site shows it."""

    note: Note
    id: str
    verdict: Verdict
    number: int
    claim_sentences: list[Sentence] = field(default_factory=list)  # sentences the claim lies in
    claim_text: str = ""
    anchor: str | None = None  # id of the first marked place (seg or sentence)
    page: str = ""  # page the note is shown on (set when it is placed)

    def text(self, lang: str) -> tuple[str, str]:
        """(language, explanation) in `lang`, else in any language the note has."""
        if lang in self.note.texts:
            return lang, self.note.texts[lang]
        for other, text in self.note.texts.items():
            return other, text
        return lang, ""

    @property
    def href(self) -> str:
        return f"{self.page}#{self.id}"


@dataclass
class FactChecks:
    """Every fact-check of the edition and where its markers go."""

    verdicts: list[Verdict]
    notes: list[FactCheck]
    seg_marks: dict[str, list[FactCheck]]
    sentence_marks: dict[str, list[FactCheck]]

    def by_verdict(self) -> list[tuple[Verdict, list[FactCheck]]]:
        groups: dict[str, list[FactCheck]] = {}
        for fc in self.notes:
            groups.setdefault(fc.verdict.id, []).append(fc)
        order = sorted({fc.verdict.id: fc.verdict for fc in self.notes}.values(), key=lambda v: (v.order, v.id))
        return [(v, groups[v.id]) for v in order]


def collect_factchecks(edition: Edition) -> FactChecks:
    """Resolve every note's targets to segs and sentences; decide where the markers go."""
    categories = edition.source.categories
    verdicts = {cid: Verdict(cid, cid.split(".", 1)[-1], categories[cid].labels, i)
                for i, cid in enumerate(c for c in categories if c.startswith("verdict"))}
    sentences = edition.source.sentences() + (edition.translation.sentences() if edition.translation else [])
    position = {s.id: i for i, s in enumerate(sentences)}
    by_id = {s.id: s for s in sentences}
    seg_home: dict[str, Sentence] = {}
    seg_text: dict[str, str] = {}
    for sentence in sentences:
        for node in iter_nodes(sentence.content):
            if isinstance(node, Seg) and node.id:
                seg_home.setdefault(node.id, sentence)
                seg_text.setdefault(node.id, _seg_text(node))
    result = FactChecks(sorted(verdicts.values(), key=lambda v: v.order), [], {}, {})
    notes = [n for n in edition.source.notes if n.type in (None, "fact-check")]
    for number, note in enumerate(notes, start=1):
        fc = FactCheck(note, note.id or f"fc-{number}", verdicts.get(note.verdict or "", UNKNOWN_VERDICT), number)
        targets = set(note.targets)
        marks: list[tuple[int, str]] = []
        texts: list[str] = []
        for target in note.targets:
            if target in seg_home:
                result.seg_marks.setdefault(target, []).append(fc)
                marks.append((position[seg_home[target].id], target))
                _add(fc.claim_sentences, seg_home[target])
                texts.append(seg_text[target])
            elif target in by_id:
                sentence = by_id[target]
                _add(fc.claim_sentences, sentence)
                texts.append(sentence.text())
                following = sentences[position[target] + 1].id if position[target] + 1 < len(sentences) else None
                if following not in targets:
                    result.sentence_marks.setdefault(target, []).append(fc)
                    marks.append((position[target], target))
        fc.claim_text = " … ".join(texts)
        fc.anchor = min(marks)[1] if marks else None
        result.notes.append(fc)
    return result


def _add(items: list[Sentence], sentence: Sentence) -> None:
    if not any(s is sentence for s in items):
        items.append(sentence)


def _seg_text(seg: Seg) -> str:
    from ..model import text_of

    return " ".join(text_of(seg.content, "corrected").split())
