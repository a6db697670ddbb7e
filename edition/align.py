"""Sentence alignment of a source and its translation: Gale–Church lengths strengthened by shared anchors.

The method (`align_documents`):

1. **Divisions.** Where both texts have matching divisions (ids equal but for the language prefix, `nb.ch03` /
   `en.ch03`, matched in order by a longest common subsequence; or, without ids, the same number of
   divisions), a link never crosses a division boundary: each matched division is aligned on its own.
2. **Lengths.** Within a division, dynamic programming over beads 1:1, 1:0, 0:1, 2:1, 1:2, 3:1 and 1:3 scores
   each bead by the Gale–Church (1993) length model: the translation length in characters is normal around
   c × the source length with variance s² × the source length; c and s² are estimated from the two texts
   (a first pass, then again from its confident 1:1 beads).
3. **Anchors.** A bead gains for every anchor both sides share and loses for every anchor one side has
   alone: figures and years (a figure written in words on one side counts: "ten" / "10"), date values
   (`@when`, `@from`, `@to`), names that point into a register (`@ref`), quotation marks that open or close a
   sentence, a final question mark, exclamation mark or colon, and picture references. A bead that ends a
   paragraph on one side only, or joins sentences of two paragraphs, pays a penalty.
4. **Confidence.** The forward–backward algorithm over the same lattice gives the posterior probability of
   each bead of the best (Viterbi) path: that is the link's `@cert`.

The result keeps every sentence: 1:0 beads become `<ptr type="untranslated">`, and a 0:1 bead (a
translation sentence with no source) joins the neighbouring link, which becomes 1:n.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from .anchors import sentence_anchors
from .model import Block, Document, Link, Location, Section, Sentence

BEADS: dict[tuple[int, int], float] = {
    (1, 1): 0.89, (1, 0): 0.005, (0, 1): 0.005, (2, 1): 0.045, (1, 2): 0.045, (3, 1): 0.005, (1, 3): 0.005,
}
ANCHOR_WEIGHTS = {  # kind: (gain when shared, loss when on one side only), in nats; chosen on seeds 11–13
    "date": (4.5, 2.25), "number": (4.5, 2.25), "name": (1.8, 0.9), "mark": (1.2, 0.6),  # of bench_align.py
}
FIGURES = ("date", "number")
PARAGRAPH_PENALTY = 2.0
DEFAULT_S2 = 6.8  # Gale & Church's variance per character


@dataclass
class Unit:
    """A sentence as the aligner sees it."""

    id: str
    length: int
    anchors: Counter
    soft: Counter
    block_end: bool
    loss: float = 0.0


@dataclass
class Bead:
    """One proposed link: source ids, translation ids and the posterior probability of the bead."""

    sources: list[str]
    targets: list[str]
    cert: float

    @property
    def shape(self) -> str:
        return "untranslated" if not self.targets else f"{len(self.sources)}:{len(self.targets)}"

    def as_link(self) -> Link:
        return Link(list(self.sources), list(self.targets), Location(""), f"{self.cert:.3f}",
                    untranslated=not self.targets)


@dataclass
class AlignOptions:
    """Which evidence the aligner uses (all by default; switching one off is for comparison)."""

    anchors: bool = True
    divisions: bool = True
    paragraphs: bool = True
    reading: str = "corrected"


@dataclass
class Alignment:
    """The proposed alignment and how it was reached."""

    beads: list[Bead]
    regions: int
    divisions_matched: int
    divisions: tuple[int, int]
    ratio: float
    variance: float
    sentences: tuple[int, int]
    joined_extra: list[str] = field(default_factory=list)


# ---- reading the texts ----------------------------------------------------------------------


def _block_sentences(block: Block) -> list[list[Sentence]]:
    """The sentences of a block grouped by paragraph-like part (a letter's parts are separate)."""
    groups = [block.sentences] if block.sentences else []
    for child in block.children:
        groups += _block_sentences(child)
    return groups


def _units(groups: Sequence[Sequence[Sentence]], reading: str) -> list[Unit]:
    units = []
    for group in groups:
        for k, sentence in enumerate(group):
            anchors, soft = sentence_anchors(sentence)
            text = sentence.text(reading)  # type: ignore[arg-type]
            units.append(Unit(sentence.id, len(text), anchors, soft, k == len(group) - 1, _loss(anchors)))
    return units


def _section_units(section: Section, reading: str) -> list[Unit]:
    groups = [section.head.sentences] if section.head.sentences else []
    for block in section.blocks:
        groups += _block_sentences(block)
    return _units(groups, reading)


def _division_key(section: Section) -> str:
    return section.id.split(".", 1)[1] if "." in section.id else section.id


def _lcs(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence of a and b."""
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if a[i] == b[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def match_divisions(source: list[Section], translation: list[Section]) -> list[tuple[int, int]]:
    """Pairs of division indices that correspond, in order (empty when the structures do not match)."""
    generated = [s.id.startswith("section-") for s in (*source, *translation)]
    if any(generated):
        return [(i, i) for i in range(len(source))] if len(source) == len(translation) else []
    return _lcs([_division_key(s) for s in source], [_division_key(s) for s in translation])


Region = tuple[list[Unit], list[Unit]]


def _flat(sections: list[list[Unit]]) -> list[Unit]:
    return [u for s in sections for u in s]


def _regions(source: Document, translation: Document, options: AlignOptions) -> tuple[list[Region], int]:
    """The stretches aligned independently, and how many divisions matched. Matched divisions are regions
    of their own; what lies between two matches (divisions on one side only, or renamed on both) forms a
    region too; the front matter goes with whatever precedes the first match."""
    reading = options.reading
    front = (_units([source.front], reading), _units([translation.front], "corrected"))
    src = [_section_units(s, reading) for s in source.sections]
    tr = [_section_units(s, "corrected") for s in translation.sections]
    pairs = match_divisions(source.sections, translation.sections) if options.divisions else []
    if not pairs:
        return [(front[0] + _flat(src), front[1] + _flat(tr))], 0
    regions = [(front[0] + _flat(src[:pairs[0][0]]), front[1] + _flat(tr[:pairs[0][1]]))]
    for k, (i, j) in enumerate(pairs):
        regions.append((src[i], tr[j]))
        ni, nj = pairs[k + 1] if k + 1 < len(pairs) else (len(src), len(tr))
        if ni > i + 1 or nj > j + 1:
            regions.append((_flat(src[i + 1:ni]), _flat(tr[j + 1:nj])))
    return regions, len(pairs)


# ---- scoring --------------------------------------------------------------------------------


def _length_cost(l1: int, l2: int, ratio: float, variance: float) -> float:
    if l1 == 0 and l2 == 0:
        return 0.0
    mean = (l1 + l2 / ratio) / 2
    z = (ratio * l1 - l2) / math.sqrt(variance * mean)
    return -math.log(max(math.erfc(abs(z) / math.sqrt(2)), 1e-300))


def _joined(units: list[Unit], attribute: str) -> Counter:
    if len(units) == 1:
        return getattr(units[0], attribute)
    total: Counter = Counter()
    for unit in units:
        total.update(getattr(unit, attribute))
    return total


def _loss(anchors: Counter) -> float:
    """What the anchors cost if none of them is shared."""
    return sum(ANCHOR_WEIGHTS[kind][1] * n for (kind, _), n in anchors.items())


def _anchor_cost(a: list[Unit], b: list[Unit], left: Counter, right: Counter, soft_left: Counter,
                 soft_right: Counter) -> float:
    """Gain for each anchor both sides share, loss for each one side has alone (a figure written in words on
    the other side earns half the gain instead)."""
    if not left and not right:
        return 0.0
    cost = sum(u.loss for u in a) + sum(u.loss for u in b)
    for key, n in left.items():
        gain, loss = ANCHOR_WEIGHTS[key[0]]
        shared = min(n, right.get(key, 0))
        cost -= (gain + 2 * loss) * shared
        if n > shared and key[0] in FIGURES:
            cost -= (gain / 2 + loss) * min(n - shared, soft_right.get(key[1], 0))
    for key, n in right.items():
        if key[0] in FIGURES:
            rest = n - min(n, left.get(key, 0))
            if rest:
                gain, loss = ANCHOR_WEIGHTS[key[0]]
                cost -= (gain / 2 + loss) * min(rest, soft_left.get(key[1], 0))
    return cost


class _Lattice:
    """The bead lattice of one region, with its costs computed once."""

    def __init__(self, a: list[Unit], b: list[Unit], ratio: float, variance: float, options: AlignOptions):
        self.a, self.b = a, b
        self.ratio, self.variance, self.options = ratio, variance, options
        self.n, self.m = len(a), len(b)
        self.width = max(30, abs(self.n - self.m) + 20, min(max(self.n, self.m) // 10, 200))
        self.costs: dict[tuple[int, int, int, int], float] = {}
        self.cache: dict[tuple[int, int, int, str], Counter] = {}

    def inside(self, i: int, j: int) -> bool:
        if self.n == 0 or self.m == 0:
            return True
        return abs(j - i * self.m / self.n) <= self.width

    def band(self, i: int) -> range:
        """The columns of row i inside the band."""
        if self.n == 0 or self.m == 0:
            return range(self.m + 1)
        centre = i * self.m / self.n
        return range(max(0, math.ceil(centre - self.width)), min(self.m, math.floor(centre + self.width)) + 1)

    def cost(self, i: int, j: int, di: int, dj: int) -> float:
        key = (i, j, di, dj)
        if key not in self.costs:
            a, b = self.a[i:i + di], self.b[j:j + dj]
            cost = -math.log(BEADS[(di, dj)])
            if a and b:  # a sentence left out has no length to compare: its prior alone prices it
                cost += _length_cost(sum(u.length for u in a), sum(u.length for u in b), self.ratio, self.variance)
            if self.options.anchors:
                cost += _anchor_cost(a, b, self.joined(0, i, di, "anchors"), self.joined(1, j, dj, "anchors"),
                                     self.joined(0, i, di, "soft"), self.joined(1, j, dj, "soft"))
            if self.options.paragraphs:
                if a and b and a[-1].block_end != b[-1].block_end:
                    cost += PARAGRAPH_PENALTY  # the link ends a paragraph on one side only
                cost += PARAGRAPH_PENALTY * sum(u.block_end for u in a[:-1] + b[:-1])  # it joins paragraphs
            self.costs[key] = cost
        return self.costs[key]

    def joined(self, side: int, start: int, size: int, attribute: str) -> Counter:
        key = (side, start, size, attribute)
        if key not in self.cache:
            self.cache[key] = _joined((self.a, self.b)[side][start:start + size], attribute)
        return self.cache[key]

    def steps(self, i: int, j: int):
        """Beads that start at (i, j) and stay inside the lattice."""
        for di, dj in BEADS:
            if i + di <= self.n and j + dj <= self.m and self.inside(i + di, j + dj):
                yield di, dj

    def solve(self) -> list[tuple[int, int, int, int, float]]:
        """The best path as (i, j, di, dj, posterior) beads."""
        n, m = self.n, self.m
        neg = -math.inf
        forward = {(0, 0): 0.0}
        best = {(0, 0): (0.0, None)}
        cells = [(i, j) for i in range(n + 1) for j in self.band(i)]
        for i, j in cells:
            if (i, j) not in forward:
                continue
            f, (v, _) = forward[(i, j)], best[(i, j)]
            for di, dj in self.steps(i, j):
                c = self.cost(i, j, di, dj)
                key = (i + di, j + dj)
                forward[key] = _logaddexp(forward.get(key, neg), f - c)
                if key not in best or v - c > best[key][0]:
                    best[key] = (v - c, (i, j, di, dj))
        if (n, m) not in best:  # cannot happen with 1:0 and 0:1 beads, but never lose a sentence
            raise RuntimeError("alignment lattice has no path")
        backward = {(n, m): 0.0}
        for i, j in reversed(cells):
            if (i, j) == (n, m):
                continue
            total = neg
            for di, dj in self.steps(i, j):
                after = backward.get((i + di, j + dj), neg)
                if after > neg:
                    total = _logaddexp(total, after - self.cost(i, j, di, dj))
            if total > neg:
                backward[(i, j)] = total
        z = forward[(n, m)]
        path = []
        key = (n, m)
        while key != (0, 0):
            i, j, di, dj = best[key][1]  # type: ignore[misc]
            posterior = math.exp(min(0.0, forward[(i, j)] - self.cost(i, j, di, dj) + backward[key] - z))
            path.append((i, j, di, dj, posterior))
            key = (i, j)
        path.reverse()
        return path


def _logaddexp(x: float, y: float) -> float:
    if x == -math.inf:
        return y
    if y == -math.inf:
        return x
    hi, lo = (x, y) if x > y else (y, x)
    return hi + math.log1p(math.exp(lo - hi))


# ---- the whole alignment --------------------------------------------------------------------


def _estimate(regions: list[tuple[list[Unit], list[Unit]]]) -> float:
    l1 = sum(u.length for a, _ in regions for u in a)
    l2 = sum(u.length for _, b in regions for u in b)
    return (l2 / l1) if l1 and l2 else 1.0


def _reestimate(paths, regions) -> tuple[float, float] | None:
    pairs = []
    for path, (a, b) in zip(paths, regions):
        for i, j, di, dj, posterior in path:
            if (di, dj) == (1, 1) and posterior > 0.9 and a[i].length >= 10:
                pairs.append((a[i].length, b[j].length))
    if len(pairs) < 20:
        return None
    ratio = sum(y for _, y in pairs) / sum(x for x, _ in pairs)
    variance = sum((y - ratio * x) ** 2 / x for x, y in pairs) / len(pairs)
    return ratio, min(max(variance, 2.0), 60.0)


def _beads(paths, regions) -> tuple[list[Bead], list[str]]:
    """Links from the best paths; a translation sentence without source joins the neighbouring link."""
    beads: list[Bead] = []
    extra: list[str] = []
    for path, (a, b) in zip(paths, regions):
        region: list[Bead] = []
        pending: list[str] = []
        pending_cert = 1.0
        for i, j, di, dj, posterior in path:
            sources, targets = [u.id for u in a[i:i + di]], [u.id for u in b[j:j + dj]]
            if not sources:
                extra += targets
                host = next((x for x in reversed(region) if x.targets), None)
                if host is not None and len(host.sources) == 1:
                    host.targets += targets
                    host.cert = min(host.cert, posterior)
                else:
                    pending += targets
                    pending_cert = min(pending_cert, posterior)
                continue
            bead = Bead(sources, targets, posterior)
            if pending and targets:
                bead.targets = pending + targets
                bead.cert = min(bead.cert, pending_cert)
                pending, pending_cert = [], 1.0
            region.append(bead)
        if pending:
            host = next((x for x in reversed(region) if x.targets), None)
            if host is None and region:  # only untranslated sources here: the last one takes the translation
                host = region[-1]
            if host is None:
                region.append(Bead([], pending, pending_cert))
            else:
                host.targets += pending
                host.cert = min(host.cert, pending_cert)
        beads += region
    return beads, extra


def align_documents(source: Document, translation: Document, options: AlignOptions | None = None) -> Alignment:
    """Propose an alignment of every sentence of `source` with the sentences of `translation`."""
    options = options or AlignOptions()
    regions, matched = _regions(source, translation, options)
    ratio = _estimate(regions)
    variance = DEFAULT_S2 * ratio
    paths = [_Lattice(a, b, ratio, variance, options).solve() for a, b in regions]
    refined = _reestimate(paths, regions)
    if refined:
        ratio, variance = refined
        paths = [_Lattice(a, b, ratio, variance, options).solve() for a, b in regions]
    beads, extra = _beads(paths, regions)
    sizes = (sum(len(a) for a, _ in regions), sum(len(b) for _, b in regions))
    return Alignment(beads, len(regions), matched, (len(source.sections), len(translation.sections)), ratio,
                     variance, sizes, extra)


def describe_alignment(alignment: Alignment, threshold: float = 0.8) -> str:
    """The summary `edition align` prints: sizes, divisions, shapes, parameters and doubtful links."""
    n_src, n_tr = alignment.sentences
    shapes = Counter(b.shape for b in alignment.beads)
    order = sorted(shapes, key=lambda s: (s == "untranslated", s != "1:1", s))
    lines = [f"aligned {n_src} source and {n_tr} translation sentences in {alignment.regions} region(s); "
             f"{alignment.divisions_matched} of {alignment.divisions[0]}/{alignment.divisions[1]} divisions matched",
             f"  {len(alignment.beads)} links: " + ", ".join(f"{s} {shapes[s]}" for s in order)]
    certs = [b.cert for b in alignment.beads]
    doubtful = [b for b in alignment.beads if b.cert < threshold]
    mean = sum(certs) / len(certs) if certs else 1.0
    lines.append(f"  length ratio {alignment.ratio:.2f}, variance {alignment.variance:.1f} per character; "
                 f"mean confidence {mean:.3f}; {len(doubtful)} link(s) below {threshold:g}"
                 + (":" if doubtful else ""))
    for bead in doubtful:
        lines.append(f"    {' '.join(bead.sources) or '—'} → {' '.join(bead.targets) or '(untranslated)'}"
                     f"  cert {bead.cert:.2f}")
    if alignment.joined_extra:
        lines.append(f"  {len(alignment.joined_extra)} translation sentence(s) without a source sentence joined a "
                     f"neighbouring link: {' '.join(alignment.joined_extra)}")
    bad = [b for b in alignment.beads if (len(b.sources) > 1 and len(b.targets) > 1) or not b.sources]
    if bad:
        lines.append(f"  {len(bad)} link(s) cannot be encoded as 1:1, 1:n or n:1; check them by hand")
    return "\n".join(lines)
