"""`edition align`: the proposed alignment against the hand alignment of the edition, and on harder cases
made from the real texts (merged, split and dropped sentences, no usable divisions)."""

from __future__ import annotations

from collections import Counter

import pytest
from lxml import etree

from alignment_cases import perturb
from conftest import REPO, run_edition
from edition.align import AlignOptions, align_documents, match_divisions
from edition.alignscore import as_links, score_links, score_pairs
from edition.anchors import figures_of, sentence_anchors
from edition.loader import load_document, load_links
from edition.model import Text
from edition.schema import check_schema
from edition.xmlsafe import TEI_NS, parse_file, parse_tei_file

SOURCE = REPO / "tei" / "sovjetunionens-historie.xml"
TRANSLATION = REPO / "translations" / "sovjetunionens-historie.en.xml"
HAND = REPO / "translations" / "alignment.xml"


@pytest.fixture(scope="module")
def source():
    return load_document(SOURCE)


@pytest.fixture(scope="module")
def hand():
    return load_links(HAND, SOURCE, TRANSLATION)


def _check_coverage(beads, source_doc, translation_doc) -> None:
    """Every sentence of both texts is in exactly one link, in document order."""
    src = Counter(i for b in beads for i in b.sources)
    tr = Counter(i for b in beads for i in b.targets)
    assert src == Counter(s.id for s in source_doc.sentences())
    assert tr == Counter(s.id for s in translation_doc.sentences())
    order = [i for b in beads for i in b.targets]
    assert order == [s.id for s in translation_doc.sentences()]


def test_reproduces_the_hand_alignment_of_the_edition(source, hand):
    translation = load_document(TRANSLATION, "translation")
    alignment = align_documents(source, translation)
    links = score_links(alignment.beads, hand)
    assert links.precision >= 0.95 and links.recall >= 0.95, str(links)
    _check_coverage(alignment.beads, source, translation)
    assert all(0.0 <= b.cert <= 1.0 for b in alignment.beads)


@pytest.mark.parametrize("name, changes, floor", [
    ("merged, split and dropped", dict(merge=0.08, split=0.08, drop=0.04), 0.95),
    ("the same without usable divisions", dict(merge=0.08, split=0.08, drop=0.04, divisions=False), 0.95),
    ("heavily changed", dict(merge=0.15, split=0.15, drop=0.08), 0.93),
])
def test_harder_cases_made_from_the_real_translation(tmp_path, source, name, changes, floor):
    case = perturb(TRANSLATION, tmp_path / "changed.en.xml", seed=7, **changes)
    assert case.merged and case.split and case.dropped, "the case must really change the translation"
    translation = load_document(case.path, "translation")
    alignment = align_documents(source, translation)
    score = score_links(alignment.beads, as_links(case.reference))
    assert score.precision >= floor and score.recall >= floor, f"{name}: {score}"
    _check_coverage(alignment.beads, source, translation)
    if not changes.get("divisions", True):
        assert alignment.divisions_matched == 0 and alignment.regions == 1


def test_anchors_help_where_lengths_are_ambiguous(tmp_path, source):
    case = perturb(TRANSLATION, tmp_path / "changed.en.xml", seed=7, merge=0.15, split=0.15, drop=0.08)
    translation = load_document(case.path, "translation")
    reference = as_links(case.reference)
    with_anchors = score_links(align_documents(source, translation).beads, reference)
    lengths_only = score_links(align_documents(source, translation, AlignOptions(anchors=False)).beads, reference)
    assert with_anchors.f1 > lengths_only.f1, f"anchors {with_anchors} vs lengths only {lengths_only}"


def test_a_missing_chapter_leaves_its_sentences_untranslated_and_the_rest_aligned(tmp_path, source, hand):
    tree = parse_file(TRANSLATION)
    div = tree.getroot().find(f".//{{{TEI_NS}}}div[@{{http://www.w3.org/XML/1998/namespace}}id='en.ch07']")
    div.getparent().remove(div)
    path = tmp_path / "no-ch07.en.xml"
    path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    translation = load_document(path, "translation")
    assert match_divisions(source.sections, translation.sections) == \
        [(i, i if i < 6 else i - 1) for i in range(len(source.sections)) if i != 6]
    alignment = align_documents(source, translation)
    ch07 = [s.id for s in source.sections[6].sentences()]
    untranslated = [b.sources[0] for b in alignment.beads if not b.targets]
    assert untranslated == ch07
    expected = [link for link in hand if not link.sources[0].startswith("nb.ch07.")]
    score = score_links(alignment.beads, expected + as_links([([i], []) for i in ch07]))
    assert score.precision >= 0.99 and score.recall >= 0.99, str(score)


def test_cli_writes_a_valid_tei_alignment_and_reports_the_figures(tmp_path):
    out = tmp_path / "proposed.xml"
    proc = run_edition("align", str(SOURCE), str(TRANSLATION), "-o", str(out), "--reference", str(HAND))
    assert proc.returncode == 0, proc.stderr
    assert "divisions matched" in proc.stdout and "links:" in proc.stdout
    precision = float(proc.stdout.split("links precision ")[1].split("%")[0])
    recall = float(proc.stdout.split("recall ")[1].split("%")[0])
    assert precision >= 95 and recall >= 95
    parsed = parse_tei_file(out)
    assert check_schema(parsed) == [], "the output must be valid against the edition's schema"
    root = parsed.root
    assert root.find(f".//{{{TEI_NS}}}linkGrp").get("type") == "alignment"
    idents = [p.get("ident") for p in root.iter(f"{{{TEI_NS}}}prefixDef")]
    assert idents == ["nb", "en"]
    links = load_links(out, SOURCE, TRANSLATION)
    assert len(links) == len(root.findall(f".//{{{TEI_NS}}}link")) + len(root.findall(f".//{{{TEI_NS}}}ptr"))
    assert all(link.cert is not None and 0 <= float(link.cert) <= 1 for link in links)
    assert sum(len(link.sources) for link in links) == len(load_document(SOURCE).sentences())


def test_proposed_alignment_of_the_mini_edition_passes_validate(mini):
    target = mini / "translations" / "alignment.xml"
    hand = load_links(target, mini / "tei" / "source.xml", mini / "translations" / "source.en.xml")
    proc = run_edition("align", str(mini / "tei" / "source.xml"), str(mini / "translations" / "source.en.xml"),
                       "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    proposed = load_links(target, mini / "tei" / "source.xml", mini / "translations" / "source.en.xml")
    assert score_links(proposed, hand).f1 == 1.0, "the mini edition has a 1:2 link the aligner must find"
    check = run_edition("validate", "--root", str(mini))
    assert check.returncode == 0, check.stdout


def test_untranslated_sentences_become_ptr_elements(tmp_path):
    case = perturb(TRANSLATION, tmp_path / "dropped.en.xml", seed=3, drop=0.05)
    out = tmp_path / "out.xml"
    proc = run_edition("align", str(SOURCE), str(case.path), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    ptrs = parse_file(out).getroot().findall(f".//{{{TEI_NS}}}ptr")
    assert ptrs and all(p.get("type") == "untranslated" for p in ptrs)
    dropped = {s[0] for s, t in case.reference if not t}
    found = {l.sources[0] for l in load_links(out, SOURCE, case.path) if l.untranslated}
    assert len(found & dropped) >= 0.9 * len(dropped)
    assert "untranslated" in proc.stdout


def test_stdout_when_no_output_file_and_user_errors_exit_2(tmp_path):
    mini_src = REPO / "tests" / "fixtures" / "mini" / "tei" / "source.xml"
    mini_tr = REPO / "tests" / "fixtures" / "mini" / "translations" / "source.en.xml"
    proc = run_edition("align", str(mini_src), str(mini_tr))
    assert proc.returncode == 0
    assert "<linkGrp" in proc.stdout and "aligned" in proc.stderr
    missing = run_edition("align", str(tmp_path / "nope.xml"), str(mini_tr))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "no such file" in missing.stderr
    bare = tmp_path / "bare.xml"
    text = mini_src.read_text(encoding="utf-8")
    bare.write_text(text.replace("<s xml:id=", "<seg n=").replace("</s>", "</seg>"), encoding="utf-8")
    proc = run_edition("align", str(bare), str(mini_tr))
    assert proc.returncode == 2 and "edition segment" in proc.stderr and "Traceback" not in proc.stderr


def test_figures_anchors_agree_across_languages(source):
    def figures(text):
        return figures_of([Text(text)])

    nb, en = figures("kostet 12 500 000 menneskeliv"), figures("cost 12,500,000 lives")
    assert nb.hard == en.hard == Counter({"12500000": 1})
    assert not figures("dømt til 10 års fengsel").unmatched(figures("sentenced to ten years' imprisonment"))
    assert figures("dømt til 10 års fengsel").unmatched(figures("sentenced to eleven years")) == Counter({"10": 1})
    assert figures('den "XX partikongress"').hard == figures('the "20th Party Congress"').hard
    assert not figures("VI BLE DANNET").hard, "an all-capitals heading has words, not Roman numerals"
    by_id = {s.id: s for s in source.sentences()}
    anchors, _ = sentence_anchors(by_id["nb.ch02.p1.s2"])
    assert ("date", "1917-03-08") in anchors and ("name", "pers.nikolaj-ii") in anchors


def test_score_counts_exact_links_and_pairs():
    gold = as_links([(["a1"], ["b1"]), (["a2", "a3"], ["b2"]), (["a4"], [])])
    proposed = as_links([(["a1"], ["b1"]), (["a2"], ["b2"]), (["a3"], []), (["a4"], [])])
    links = score_links(proposed, gold)
    assert (links.correct, links.proposed, links.reference) == (2, 4, 3)
    pairs = score_pairs(proposed, gold)
    assert (pairs.correct, pairs.proposed, pairs.reference) == (3, 4, 4)
