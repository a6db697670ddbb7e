"""Agreement of an automatic segmentation with a hand segmentation of the same text."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from .segment import S, segment_tree, unwrap_sentences
from .xmlsafe import XML_ID


@dataclass
class Agreement:
    """Sentences found by both (same first and last character), by hand only, automatically only."""

    both: int
    hand: int
    auto: int
    same_ids: int
    disagreements: list[tuple[str, str]]

    @property
    def precision(self) -> float:
        return self.both / self.auto if self.auto else 1.0

    @property
    def recall(self) -> float:
        return self.both / self.hand if self.hand else 1.0

    def __str__(self) -> str:
        return (f"{self.both} of {self.hand} hand sentences found exactly (recall {100 * self.recall:.1f}%), "
                f"{self.both} of {self.auto} proposed sentences right (precision {100 * self.precision:.1f}%); "
                f"{self.same_ids} of {self.both} with the same id")


def sentence_spans(tree) -> dict[tuple[int, int], tuple[str, str]]:
    """Every `s` as (start, end) character offsets in the document's text → (id, text)."""
    spans: dict[tuple[int, int], tuple[str, str]] = {}
    starts = {}
    pos = 0
    for event, el in etree.iterwalk(tree.getroot(), events=("start", "end")):
        if not isinstance(el.tag, str):
            if event == "end":
                pos += len(el.tail or "")
            continue
        if event == "start":
            if el.tag == S:
                starts[el] = pos
            pos += len(el.text or "")
        else:
            if el.tag == S:
                spans[(starts[el], pos)] = (el.get(XML_ID) or "", " ".join("".join(el.itertext()).split()))
            pos += len(el.tail or "")
    return spans


def agreement(hand_tree, lang: str | None = None) -> Agreement:
    """Strip the sentences of a hand-segmented tree, segment it again and compare."""
    auto_tree = copy.deepcopy(hand_tree)
    unwrap_sentences(auto_tree)
    segment_tree(auto_tree, lang)
    hand, auto = sentence_spans(hand_tree), sentence_spans(auto_tree)
    both = hand.keys() & auto.keys()
    same_ids = sum(1 for k in both if hand[k][0] == auto[k][0])
    disagreements = [(hand[k][0], hand[k][1]) for k in sorted(hand.keys() - auto.keys())]
    return Agreement(len(both), len(hand), len(auto), same_ids, disagreements)
