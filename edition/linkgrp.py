"""Writes an alignment as a TEI document: `standOff/linkGrp type="alignment"` with prefixed pointers.

The pointers name the sentence ids through two prefixes declared in the header, as in
translations/alignment.xml: `nb:ch01.p1.s1` stands for `../tei/source.xml#nb.ch01.p1.s1`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Sequence

from lxml import etree

from . import __version__
from .model import Document
from .xmlsafe import TEI_NS

E = f"{{{TEI_NS}}}"


def _prefix(doc: Document, ids: Sequence[str], taken: str, fallback: str) -> tuple[str, str]:
    """(ident, id prefix the ident stands for): the language when every id starts with `{lang}.`."""
    lang = (doc.lang or "").strip()
    if lang and re.fullmatch(r"[a-z][a-z0-9-]*", lang) and lang != taken and all(i.startswith(lang + ".") for i in ids):
        return lang, lang + "."
    ident = lang if lang and re.fullmatch(r"[a-z][a-z0-9-]*", lang) and lang != taken else fallback
    return ident, ""


def _pointer(ident: str, strip: str, sid: str) -> str:
    return f"{ident}:{sid[len(strip):]}"


def alignment_document(links: Sequence, source: Document, translation: Document, out_dir: Path,
                       note: str) -> bytes:
    """The TEI alignment document for `links` (objects with sources, targets, cert), pointers relative to
    `out_dir`."""
    src_ids = [s.id for s in source.sentences()]
    tr_ids = [s.id for s in translation.sentences()]
    src_ident, src_strip = _prefix(source, src_ids, "", "src")
    tr_ident, tr_strip = _prefix(translation, tr_ids, src_ident, "tgt")
    tei = etree.Element(f"{E}TEI", nsmap={None: TEI_NS})
    header = etree.SubElement(tei, f"{E}teiHeader")
    file_desc = etree.SubElement(header, f"{E}fileDesc")
    title_stmt = etree.SubElement(file_desc, f"{E}titleStmt")
    etree.SubElement(title_stmt, f"{E}title").text = (
        f"Sentence alignment (proposed): {source.title or source.display_path} ({source.lang or '?'}) and "
        f"{translation.title or translation.display_path} ({translation.lang or '?'})")
    publication = etree.SubElement(file_desc, f"{E}publicationStmt")
    etree.SubElement(publication, f"{E}p").text = f"Proposed by edition align {__version__}; not yet checked by hand."
    source_desc = etree.SubElement(file_desc, f"{E}sourceDesc")
    etree.SubElement(source_desc, f"{E}p").text = note
    encoding = etree.SubElement(header, f"{E}encodingDesc")
    prefixes = etree.SubElement(encoding, f"{E}listPrefixDef")
    for ident, strip, doc in ((src_ident, src_strip, source), (tr_ident, tr_strip, translation)):
        rel = Path(os.path.relpath(Path(doc.path).resolve(), out_dir.resolve())).as_posix()
        etree.SubElement(prefixes, f"{E}prefixDef", ident=ident,
                         matchPattern="([A-Za-z0-9._-]+)" if strip else r"(\S+)",
                         replacementPattern=f"{rel}#{strip}$1")
    standoff = etree.SubElement(tei, f"{E}standOff")
    group = etree.SubElement(standoff, f"{E}linkGrp", type="alignment")
    for link in links:
        pointers = [_pointer(src_ident, src_strip, i) for i in link.sources]
        pointers += [_pointer(tr_ident, tr_strip, i) for i in link.targets]
        if link.targets and link.sources:
            el = etree.SubElement(group, f"{E}link", target=" ".join(pointers))
        elif link.sources and len(link.sources) == 1:
            el = etree.SubElement(group, f"{E}ptr", type="untranslated", target=pointers[0])
        else:  # cannot be expressed as one untranslated pointer: keep it visible for the validator
            el = etree.SubElement(group, f"{E}link", target=" ".join(pointers))
        if link.cert is not None:
            el.set("cert", f"{float(link.cert):.3f}")
    etree.indent(tei, space="  ")
    return etree.tostring(tei, xml_declaration=True, encoding="UTF-8", pretty_print=True)

