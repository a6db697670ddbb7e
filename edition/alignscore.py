"""How close a proposed alignment is to a reference (hand) alignment: precision and recall."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from .model import Link


@dataclass(frozen=True)
class Score:
    """Correct items among the proposed and the reference ones."""

    correct: int
    proposed: int
    reference: int

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.reference if self.reference else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __str__(self) -> str:
        return (f"precision {100 * self.precision:.1f}% ({self.correct}/{self.proposed}), "
                f"recall {100 * self.recall:.1f}% ({self.correct}/{self.reference})")


def link_key(sources: Sequence[str], targets: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(sources), tuple(targets)


def _keys(links: Iterable) -> set:
    return {link_key(link.sources, link.targets) for link in links}


def score_links(proposed: Iterable, reference: Iterable) -> Score:
    """Exact links: a proposed link counts only if the reference has a link with the same sentences on both
    sides (an untranslated source sentence is a link with no translation sentences)."""
    p, r = _keys(proposed), _keys(reference)
    return Score(len(p & r), len(p), len(r))


def _pairs(links: Iterable) -> set:
    pairs = set()
    for link in links:
        for s in link.sources:
            if not link.targets:
                pairs.add((s, None))
            for t in link.targets:
                pairs.add((s, t))
    return pairs


def score_pairs(proposed: Iterable, reference: Iterable) -> Score:
    """Sentence pairs (every source sentence × every translation sentence of a link): partial credit for
    a link that is almost right."""
    p, r = _pairs(proposed), _pairs(reference)
    return Score(len(p & r), len(p), len(r))


def as_links(pairs: Iterable[tuple[Sequence[str], Sequence[str]]]) -> list[Link]:
    """Reference links from (sources, targets) pairs, for alignments built in code."""
    from .model import Location

    return [Link(list(s), list(t), Location(""), untranslated=not t) for s, t in pairs]
