"""Exports of an edition: the aligned pairs as TMX 1.4b, JSON or CSV, and either text as plain text.

Everything is read from the model (`load_edition`). The pairs follow the alignment links in order; the
source side is given in the corrected reading (the one the translation was made from) unless asked
otherwise, and JSON carries both readings.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass

from lxml import etree

from . import __version__
from .errors import EditionError
from .model import Block, Document, Edition, Reading

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CSV_COLUMNS = ["n", "section", "source_ids", "target_ids", "source", "target", "untranslated", "cert", "checked"]


@dataclass
class Pair:
    """One alignment link with its texts."""

    n: int
    section: str
    source_ids: list[str]
    target_ids: list[str]
    source: str
    source_diplomatic: str
    target: str
    untranslated: bool
    cert: str | None
    checked: bool


def aligned_pairs(edition: Edition, reading: Reading = "corrected") -> list[Pair]:
    """The links of the edition's alignment in order, with the texts of their sentences."""
    if edition.translation is None or edition.alignment is None:
        raise EditionError("the edition has no translation or no alignment", str(edition.root / "edition.toml"),
                           hint="name them under [files] in edition.toml")
    index = edition.sentence_index()
    pairs = []
    for n, link in enumerate(edition.links, start=1):
        missing = [i for i in link.sources + link.targets if i not in index]
        if missing:
            raise EditionError(f"the alignment names unknown sentence(s) {', '.join(missing[:5])}",
                               link.loc.path, link.loc.line, link.loc.column,
                               hint="run `edition validate` and fix the alignment first")
        sources = [index[i] for i in link.sources]
        targets = [index[i] for i in link.targets]
        pairs.append(Pair(
            n=n,
            section=sources[0].section if sources else (targets[0].section if targets else ""),
            source_ids=list(link.sources),
            target_ids=list(link.targets),
            source=" ".join(s.text(reading) for s in sources),
            source_diplomatic=" ".join(s.text("diplomatic") for s in sources),
            target=" ".join(s.text("corrected") for s in targets),
            untranslated=link.untranslated or not link.targets,
            cert=link.cert,
            checked="qa.checked" in link.ana,
        ))
    return pairs


# ---- TMX ------------------------------------------------------------------------------------


def to_tmx(edition: Edition, reading: Reading = "corrected") -> bytes:
    """A TMX 1.4b translation memory: one translation unit per link with a translation (source → target)."""
    src_lang, tr_lang = edition.source_lang, edition.translation_lang
    tmx = etree.Element("tmx", version="1.4")
    etree.SubElement(tmx, "header", {
        "creationtool": "edition", "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "TEI P5", "adminlang": "en", "srclang": src_lang, "datatype": "plaintext",
    })
    body = etree.SubElement(tmx, "body")
    for pair in aligned_pairs(edition, reading):
        if pair.untranslated:
            continue
        tu = etree.SubElement(body, "tu", tuid=" ".join(pair.source_ids), srclang=src_lang)
        for prop_type, value in (("x-source-ids", " ".join(pair.source_ids)),
                                 ("x-target-ids", " ".join(pair.target_ids)),
                                 ("x-section", pair.section)):
            etree.SubElement(tu, "prop", type=prop_type).text = value
        if pair.cert is not None:
            etree.SubElement(tu, "prop", type="x-cert").text = str(pair.cert)
        for lang, text in ((src_lang, pair.source), (tr_lang, pair.target)):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = text
    etree.indent(tmx, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(tmx, encoding="UTF-8", pretty_print=True)


# ---- JSON and CSV ---------------------------------------------------------------------------


def to_json(edition: Edition, reading: Reading = "corrected") -> str:
    """The pairs with their ids, both readings of the source, and the edition's languages."""
    data = {
        "title": edition.title,
        "source_lang": edition.source_lang,
        "translation_lang": edition.translation_lang,
        "reading": reading,
        "pairs": [asdict(p) for p in aligned_pairs(edition, reading)],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_csv(edition: Edition, reading: Reading = "corrected") -> str:
    """One row per link: ids (space-separated), texts, whether untranslated, confidence, QA-checked."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in aligned_pairs(edition, reading):
        writer.writerow([p.n, p.section, " ".join(p.source_ids), " ".join(p.target_ids), p.source, p.target,
                         "yes" if p.untranslated else "no", p.cert or "", "yes" if p.checked else "no"])
    return out.getvalue()


# ---- plain text -----------------------------------------------------------------------------


def text_blocks(block: Block, reading: Reading) -> list[str]:
    """The lines of a block: a paragraph, quotation or heading is one line; a letter one line per part."""
    lines = []
    if block.sentences:
        lines.append(" ".join(s.text(reading) for s in block.sentences))
    for child in block.children:
        lines += text_blocks(child, reading)
    return lines


def document_lines(doc: Document, reading: Reading) -> list[list[str]]:
    """Per part of the text (the title page, then each chapter), its lines."""
    parts = [[" ".join(s.text(reading) for s in doc.front)]] if doc.front else []
    for section in doc.sections:
        lines = text_blocks(section.head, reading)
        for block in section.blocks:
            lines += text_blocks(block, reading)
        parts.append(lines)
    return parts


def to_text(edition: Edition, reading: Reading = "corrected", lang: str | None = None) -> str:
    """The source or the translation as plain text: one line per paragraph, a blank line between paragraphs,
    two before each chapter."""
    lang = lang or edition.source_lang
    if lang == edition.source_lang:
        doc = edition.source
    elif lang == edition.translation_lang and edition.translation is not None:
        doc = edition.translation
    else:
        langs = [edition.source_lang] + ([edition.translation_lang] if edition.translation else [])
        raise EditionError(f"the edition has no text in {lang!r}", hint=f"use --lang {' or --lang '.join(langs)}")
    return "\n\n\n".join("\n\n".join(lines) for lines in document_lines(doc, reading)) + "\n"
