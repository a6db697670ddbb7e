"""`edition segment`: split the paragraphs of a TEI text into `s` elements with readable ids.

Only containers that have no `s` yet are touched (p, head, quote, salute, dateline, signed, titlePart,
item, l, trailer; never inside the header or a note). The split keeps every character and all inline markup:
removing the new `s` elements gives back the input exactly. A sentence boundary lies in the white space
after `.`, `!`, `?` or `…` (and any closing quotation marks or brackets) when the next word begins a
sentence (a capital letter, a digit, an opening quotation mark or bracket), except

- after an abbreviation that never ends a sentence (bl.a., dvs., f.eks., ca., jf., e.g., i.e., Mr. …);
  abbreviations that may end one (osv., etc., m.m.) end it when a capital follows;
- after an initial ("N. Krupskaja", "J. V. Stalin");
- after an ellipsis that stands apart ("kulakkene ... Død"): an omission inside the sentence;
- inside a quotation that began in the middle of a sentence (it stays in its sentence);
- inside inline markup (a boundary there would break an element), which is counted in the report.

Dates like "08.03.1917" and ordinals like "17. partikongressen" never split: no white space, or no capital.
Boundaries are found in the corrected reading (`corr`, `reg`, `supplied`), so a period that only the
correction adds still ends its sentence.

Identifiers follow docs/encoding.md: `{lang}.ch01.head`, `{lang}.ch01.p2.s3`, `{lang}.ch10.q1.s1`,
`{lang}.ch12.l2.s4` (a letter's sentences are numbered through the letter), `{lang}.title`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .errors import EditionError
from .xmlsafe import TEI_NS, XML_ID, XML_LANG

T = f"{{{TEI_NS}}}"
S = f"{T}s"
CONTAINERS = {"p", "head", "quote", "salute", "dateline", "signed", "titlePart", "item", "l", "trailer", "opener",
              "closer"}
BLOCKS = CONTAINERS | {"list", "lg", "floatingText", "table", "div", "listBibl", "note"}
SKIP_READING = {"sic", "orig", "note"}  # not part of the corrected reading used to find boundaries

NEVER_FINAL = {
    # Norwegian
    "bl.a", "dvs", "f.eks", "feks", "ca", "jf", "jfr", "mht", "m.h.t", "pga", "p.g.a", "ifm", "iht", "evt",
    "nr", "s", "kl", "f.kr", "e.kr", "hr", "fr", "fru", "frk", "dr", "st", "prof", "ang", "inkl", "ekskl",
    "eks", "tlf", "resp", "t.o.m", "f.o.m", "bl.annet", "vha", "v.h.a", "sml", "ifb", "div", "gen", "kap",
    "avd", "pkt", "vedr", "adm", "jan", "feb", "febr", "aug", "sep", "sept", "okt", "nov", "des",
    # English
    "mr", "mrs", "ms", "messrs", "e.g", "i.e", "cf", "vs", "no", "nos", "p", "pp", "vol", "vols", "ed", "eds",
    "fig", "ch", "approx", "c", "col", "lt", "capt", "sgt", "rev", "hon", "mt", "oct", "dec", "viz", "gov",
}
MAYBE_FINAL = {"osv", "m.m", "mm", "m.fl", "mfl", "o.l", "ol", "etc", "m.v", "mv", "o.a", "al", "inc", "ltd",
               "co", "jr", "sr", "usw"}
OPENERS = "\"“„«‘‚‹([{'"
CLOSERS = "\"”»’›)]}'"
QUOTE_OPEN = "“„«‹‚"
QUOTE_CLOSE = "”»›"
END = re.compile(r"(?:\.{3}|…|[.!?])+[" + re.escape(CLOSERS) + r"]*(?=\s)")
FRAME_END = re.compile(r"(?:\.{3}|…|[.!?:])+[" + re.escape(CLOSERS) + r"]*(?=\s)")
FRAMES = {"opener", "closer", "salute", "dateline", "signed"}
INITIAL = re.compile(r"^(?:[A-ZÆØÅÄÖÜÉ]\.)+$")


@dataclass
class Report:
    """What a segmentation did."""

    containers: int = 0
    sentences: int = 0
    already: int = 0
    inside_markup: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (f"segmented {self.containers} container(s) into {self.sentences} sentence(s); "
                f"{self.already} container(s) already had sentences")
        if self.inside_markup:
            text += (f"; {len(self.inside_markup)} possible boundary(ies) inside inline markup left unsplit "
                     f"(in {', '.join(sorted(set(self.inside_markup))[:8])})")
        return text


def _local(el) -> str:
    return el.tag[len(T):] if isinstance(el.tag, str) and el.tag.startswith(T) else ""


def _reading_text(el) -> str:
    """The corrected reading of an inline element (sic, orig and notes left out)."""
    if _local(el) in SKIP_READING:
        return ""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            parts.append(_reading_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


# ---- finding boundaries -------------------------------------------------------------------------


def _units(container) -> list:
    """The container's content as units: one per character of top-level text, one per child node."""
    units: list = list(container.text or "")
    for child in container:
        units.append(child)
        units += list(child.tail or "")
    return units


def _detection_text(units: list) -> tuple[str, list[int]]:
    """The reading of the units as one string and, per character, the unit it comes from."""
    chars, owner = [], []
    for k, unit in enumerate(units):
        text = unit if isinstance(unit, str) else (_reading_text(unit) if isinstance(unit.tag, str) else "")
        chars.append(text)
        owner += [k] * len(text)
    return "".join(chars), owner


def _token_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _is_boundary(text: str, match: re.Match, quote_started_mid: bool) -> bool:
    end = match.end()
    rest = text[end:].lstrip()
    if not rest:
        return False
    first = rest[0]
    if not (first.isupper() or first.isdigit() or first in OPENERS or first in "-–—"):
        return False
    if quote_started_mid:
        return False
    punct = match.group(0).rstrip(CLOSERS)
    token = _token_before(text, match.start() + len(punct))
    bare = token.lstrip(OPENERS).rstrip(".")
    if punct.endswith("...") or punct.endswith("…"):
        return bool(bare.rstrip(".…"))  # an ellipsis that stands apart is an omission, not an end
    if punct == ".":
        word = bare.lower()
        if word in NEVER_FINAL:
            return False
        if INITIAL.match(bare + "."):
            return False
        if word in MAYBE_FINAL:
            return first.isupper() or first in OPENERS
    return True


def _quote_state(text: str) -> list[bool]:
    """Per character: is it inside a quotation that opened in the middle of a sentence?"""
    state, inside, mid = [], False, False
    last_end = 0
    for k, ch in enumerate(text):
        state.append(inside and mid)
        opening = ch in QUOTE_OPEN or (ch == '"' and (k == 0 or text[k - 1].isspace() or text[k - 1] in "([{–—-"))
        closing = ch in QUOTE_CLOSE or (ch == '"' and not opening)
        if opening and not inside:
            inside = True
            mid = bool(text[last_end:k].strip())  # text of this sentence before the quotation
        elif closing and inside:
            inside = False
        if ch in ".!?…" and not inside:
            last_end = k + 1
    return state


def _is_block(unit) -> bool:
    return not isinstance(unit, str) and _local(unit) in BLOCKS


def _paren_sentence_ends(text: str, start: int, at: int) -> bool:
    """Does the sentence that starts at `start` open with a bracket that closes at `at`?"""
    body = text[start:at + 1].lstrip()
    if not body.startswith("("):
        return False
    depth = 0
    for k, ch in enumerate(body):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return k == len(body) - 1
    return False


def _cut(units: list, owner: list[int], text: str, ws: int) -> tuple[int, int] | None:
    """Where to cut for a boundary whose white space begins at detection offset `ws`: (end unit, start unit),
    or None when the cut would break inline markup."""
    nxt = ws
    while nxt < len(text) and text[nxt].isspace():
        nxt += 1
    if nxt >= len(text):
        return None
    end_unit, start_unit = owner[ws], owner[nxt]
    if not isinstance(units[end_unit], str):
        # white space at the end of an element (a correction that adds the missing space): cut after it
        if start_unit > end_unit and all(owner[k] != end_unit or text[k].isspace() for k in range(ws, nxt)):
            end_unit += 1
        else:
            return None
    if any(not isinstance(units[u], str) for u in range(end_unit, start_unit)):
        return None
    return end_unit, start_unit


def _run_boundaries(units: list, first: int, last: int, frame: bool = False) -> tuple[list[tuple[int, int]], int]:
    """Sentence spans within units[first:last] (no block units inside). In a letter's frame (opener, closer)
    a colon ends a line such as "To Comrade Stalin:" too."""
    run = units[first:last]
    text, owner = _detection_text(run)
    quoted = _quote_state(text)
    ends = FRAME_END if frame else END
    candidates = [(m.end(), "end", m) for m in ends.finditer(text)]
    candidates += [(m.end(), "paren", m) for m in re.finditer(r"\)(?=\s)", text)]
    candidates.sort(key=lambda c: c[0])
    cuts: list[tuple[int, int]] = []
    inside = 0
    sentence_start = 0
    for ws, kind, match in candidates:
        if kind == "end":
            if not _is_boundary(text, match, quoted[ws]):
                continue
        else:
            rest = text[ws:].lstrip()
            if not rest or not (rest[0].isupper() or rest[0] in OPENERS) or \
                    not _paren_sentence_ends(text, sentence_start, match.start()):
                continue
        cut = _cut(run, owner, text, ws)
        if cut is None:
            inside += 1
            continue
        if cuts and cut[0] <= cuts[-1][1]:
            continue
        cuts.append(cut)
        sentence_start = owner.index(cut[1]) if cut[1] in owner else ws
    solid = [k for k, u in enumerate(run) if not (isinstance(u, str) and u.isspace())]
    if not solid:
        return [], inside
    spans, start = [], solid[0]
    for end_unit, start_unit in cuts:
        if start < end_unit:
            spans.append((first + start, first + end_unit))
            start = start_unit
    spans.append((first + start, first + solid[-1] + 1))
    return spans, inside


def find_boundaries(units: list, frame: bool = False) -> tuple[list[tuple[int, int]], int]:
    """Sentence spans as (first unit, end unit) over the units, and the number of boundaries not taken
    because they fell inside inline markup. Block units (a salute inside an opener) separate runs and stay
    outside every sentence."""
    spans: list[tuple[int, int]] = []
    inside = 0
    first = 0
    for k in [k for k, u in enumerate(units) if _is_block(u)] + [len(units)]:
        if k > first:
            found, missed = _run_boundaries(units, first, k, frame)
            spans += found
            inside += missed
        first = k + 1
    return spans, inside


# ---- rebuilding the container ---------------------------------------------------------------------


class _Builder:
    """Appends characters and nodes to an element in order (text, then children with their tails)."""

    def __init__(self, parent):
        self.parent = parent
        self.last = None
        parent.text = None

    def add(self, unit) -> None:
        if isinstance(unit, str):
            if self.last is None:
                self.parent.text = (self.parent.text or "") + unit
            else:
                self.last.tail = (self.last.tail or "") + unit
        else:
            unit.tail = None
            self.parent.append(unit)
            self.last = unit


def _wrap(container, spans: list[tuple[int, int]], ids: list[str], units: list) -> None:
    for child in list(container):
        container.remove(child)  # the node only: its tail is already among the units
    outer = _Builder(container)
    k = 0
    for (start, end), sid in zip(spans, ids):
        for unit in units[k:start]:
            outer.add(unit)
        s = etree.Element(S)
        s.set(XML_ID, sid)
        inner = _Builder(s)
        for unit in units[start:end]:
            inner.add(unit)
        outer.add(s)
        k = end
    for unit in units[k:]:
        outer.add(unit)


# ---- identifiers ----------------------------------------------------------------------------------


class _Namer:
    """Readable ids after docs/encoding.md, never one that the document already uses."""

    def __init__(self, root, lang: str):
        self.lang = lang
        self.used = {el.get(XML_ID) for el in root.iter() if isinstance(el.tag, str) and el.get(XML_ID)}
        self.counters: dict[str, int] = {}
        self.div_names: dict = {}

    def fresh(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate

    def next_in(self, unit: str) -> str:
        while True:
            self.counters[unit] = self.counters.get(unit, 0) + 1
            sid = f"{unit}.s{self.counters[unit]}"
            if sid not in self.used:
                self.used.add(sid)
                return sid

    def division(self, div) -> str:
        if div is None:
            return self.lang
        if div.get(XML_ID):
            return div.get(XML_ID)
        if div not in self.div_names:
            self.div_names[div] = f"{self.lang}.div{len(self.div_names) + 1}"
        return self.div_names[div]

    def ids(self, container, count: int) -> list[str]:
        """Ids for `count` new sentences of a container."""
        name = _local(container)
        if container.get(XML_ID):
            return [self.next_in(container.get(XML_ID)) for _ in range(count)]
        if name == "titlePart":
            base = f"{self.lang}.title"
            return [self.fresh(base)] if count == 1 else [self.next_in(base) for _ in range(count)]
        letter = next((a for a in container.iterancestors() if _local(a) == "floatingText"), None)
        if letter is not None:
            div = letter.getparent()
            k = [c for c in div if _local(c) == "floatingText"].index(letter) + 1
            return [self.next_in(f"{self.division(_div_of(div))}.l{k}") for _ in range(count)]
        parent = container.getparent()
        owner = parent if _local(parent) == "quote" and name == "p" else container
        holder = owner.getparent()
        base = self.division(_div_of(owner))
        if _local(owner) == "head" and _local(holder) == "div":
            head = f"{base}.head"
            return [self.fresh(head)] if count == 1 else [self.next_in(head) for _ in range(count)]
        letter_of = {"p": "p", "quote": "q"}.get(_local(owner), _local(owner))
        k = [c for c in holder if _local(c) == _local(owner)].index(owner) + 1
        return [self.next_in(f"{base}.{letter_of}{k}") for _ in range(count)]


def _div_of(el):
    return next((a for a in ([el] + list(el.iterancestors())) if _local(a) == "div"), None)


# ---- the whole document ---------------------------------------------------------------------------


def _own_text(el) -> str:
    """The reading of an element's content outside the blocks it holds (a salute inside an opener)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and not _is_block(child):
            parts.append(_reading_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def containers_to_segment(root) -> tuple[list, int]:
    """Containers without sentences, in document order, and how many containers already have some."""
    text = root.find(f"{T}text")
    if text is None:
        raise EditionError("the document has no <text>", hint="segment a TEI text, not a register or alignment")
    result, already = [], 0
    for el in text.iter():
        if _local(el) not in CONTAINERS:
            continue
        if any(_local(a) in ("note", "s") for a in el.iterancestors()):
            continue
        own = _own_text(el)
        if any(isinstance(c.tag, str) and c.tag == S for c in el) or (
                next(el.iter(S), None) is not None and not any(_is_block(c) for c in el)):
            already += 1
            continue
        if not own.strip():
            continue  # nothing of its own: white space around blocks (a quotation holding paragraphs)
        result.append(el)
    return result, already


def segment_tree(tree, lang: str | None = None) -> Report:
    """Wrap the sentences of every unsegmented container of the tree in `s` elements (in place)."""
    root = tree.getroot()
    lang = lang or root.get(XML_LANG) or "x"
    namer = _Namer(root, lang)
    containers, already = containers_to_segment(root)
    report = Report(already=already)
    for container in containers:
        units = _units(container)
        spans, inside = find_boundaries(units, frame=_local(container) in FRAMES)
        if inside:
            report.inside_markup += [namer.division(_div_of(container))] * inside
        if not spans:
            continue
        ids = namer.ids(container, len(spans))
        _wrap(container, spans, ids, units)
        report.containers += 1
        report.sentences += len(spans)
    return report


def unwrap_sentences(tree) -> int:
    """Remove every `s` element, keeping its content in place (the inverse of segmenting); returns the count."""
    count = 0
    for s in list(tree.getroot().iter(S)):
        parent = s.getparent()
        index = parent.index(s)
        children = list(s)
        text, tail = s.text or "", s.tail or ""
        if index == 0:
            parent.text = (parent.text or "") + text
        else:
            prev = parent[index - 1]
            prev.tail = (prev.tail or "") + text
        for k, child in enumerate(children):
            parent.insert(index + k, child)
        parent.remove(s)  # its tail went with it; put it back
        if children:
            last = children[-1]
            last.tail = (last.tail or "") + tail
        elif index == 0:
            parent.text = (parent.text or "") + tail
        else:
            prev = parent[index - 1]
            prev.tail = (prev.tail or "") + tail
        count += 1
    return count
