"""Harder alignment cases built from the real texts, with their reference alignment.

`perturb` copies a translation in which sentence ids mirror the source ids (en.ch03.p1.s2 ↔ nb.ch03.p1.s2),
then merges neighbouring sentences (n:1), splits sentences at a semicolon or comma (1:2), drops sentences
(untranslated), shortens sentences by their last clauses (a freer translation, whose lengths tell less), and
can rename the divisions so that the aligner cannot use them. It returns the reference
links of the changed translation. Used by tests/test_align.py and bench/bench_align.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from edition.xmlsafe import TEI_NS, XML_ID, parse_file

S = f"{{{TEI_NS}}}s"
DIV = f"{{{TEI_NS}}}div"
SPLITS = ("; ", ", and ", ", but ", ", while ", ", which ", ", ")


@dataclass
class Case:
    """A changed translation and what a perfect aligner would propose for it."""

    path: Path
    reference: list[tuple[list[str], list[str]]]
    merged: int = 0
    split: int = 0
    dropped: int = 0
    trimmed: int = 0


def _source_id(en_id: str, source_lang: str) -> str:
    return source_lang + en_id[en_id.index("."):]


def _next_sentence(s):
    nxt = s.getnext()
    return nxt if nxt is not None and nxt.tag == S else None


def _merge(s1, s2) -> None:
    """s2's content joins s1 after a space; s2 goes."""
    children = list(s1)
    if children:
        children[-1].tail = (children[-1].tail or "") + " " + (s2.text or "")
    else:
        s1.text = (s1.text or "") + " " + (s2.text or "")
    for child in list(s2):
        s1.append(child)
    s1.tail = s2.tail
    s2.getparent().remove(s2)


def _split_point(s) -> tuple[int, int, str] | None:
    """(child index or -1 for s.text, offset in that text, separator) near the middle of the sentence."""
    total = len("".join(s.itertext()))
    seen = len(s.text or "")
    texts = [(-1, s.text or "", 0)]
    for k, child in enumerate(s):
        seen += len("".join(child.itertext()))
        texts.append((k, child.tail or "", seen))
        seen += len(child.tail or "")
    best = None
    for k, text, start in texts:
        for sep in SPLITS:
            at = text.find(sep)
            while at >= 0:
                pos = start + at
                if 30 <= pos <= total - 30:
                    score = abs(pos - total / 2)
                    if best is None or score < best[0]:
                        best = (score, k, at, sep)
                at = text.find(sep, at + 1)
    return None if best is None else best[1:]


def _split(s, point: tuple[int, int, str]) -> None:
    k, at, sep = point
    sid = s.get(XML_ID)
    second = etree.Element(S)
    second.set(XML_ID, sid + "b")
    s.set(XML_ID, sid + "a")
    source_text = s.text if k == -1 else s[k].tail
    head, rest = source_text[:at], source_text[at + len(sep):]
    rest = rest[:1].upper() + rest[1:]
    if k == -1:
        s.text = head + "."
        movers = list(s)
    else:
        s[k].tail = head + "."
        movers = list(s)[k + 1:]
    second.text = rest
    for child in movers:
        second.append(child)
    second.tail = s.tail
    s.tail = " "
    s.addnext(second)


def _trim(s, point: tuple[int, int, str]) -> None:
    """Leave out everything after the split point: a freer translation, with a less telling length."""
    k, at, _ = point
    if k == -1:
        s.text = s.text[:at] + "."
        movers = list(s)
    else:
        s[k].tail = s[k].tail[:at] + "."
        movers = list(s)[k + 1:]
    for child in movers:
        s.remove(child)


def perturb(translation: Path, out: Path, *, merge: float = 0.0, split: float = 0.0, drop: float = 0.0,
            trim: float = 0.0, seed: int = 1, divisions: bool = True, source_lang: str = "nb") -> Case:
    """Write a changed copy of `translation` to `out` and return it with its reference alignment."""
    tree = parse_file(translation)
    root = tree.getroot()
    rng = random.Random(seed)
    case = Case(out, [])
    sentences = [s for s in root.iter(S) if s.get(XML_ID)]
    skip = set()
    for s in sentences:
        if id(s) in skip:
            continue
        sid = s.get(XML_ID)
        src = _source_id(sid, source_lang)
        roll = rng.random()
        nxt = _next_sentence(s)
        if roll < drop and (nxt is not None or s.getprevious() is not None):
            case.reference.append(([src], []))
            s.getparent().remove(s)
            case.dropped += 1
        elif roll < drop + merge and nxt is not None and nxt.get(XML_ID):
            case.reference.append(([src, _source_id(nxt.get(XML_ID), source_lang)], [sid]))
            skip.add(id(nxt))
            _merge(s, nxt)
            case.merged += 1
        elif roll < drop + merge + split and (point := _split_point(s)) is not None:
            _split(s, point)
            case.reference.append(([src], [sid + "a", sid + "b"]))
            case.split += 1
        else:
            if trim and rng.random() < trim and (point := _split_point(s)) is not None:
                _trim(s, point)
                case.trimmed += 1
            case.reference.append(([src], [sid]))
    if not divisions:
        for n, div in enumerate((d for d in root.iter(DIV) if d.get(XML_ID)), start=1):
            div.set(XML_ID, f"en.part{n:02d}x")
    out.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    return case
