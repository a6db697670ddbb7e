"""`edition segment`: sentences found in unsegmented paragraphs, every character and all markup kept."""

from __future__ import annotations

import copy

import pytest

from conftest import FIXTURES, REPO, run_edition
from edition.output import xml_bytes
from edition.segment import S, segment_tree, unwrap_sentences
from edition.segscore import agreement
from edition.xmlsafe import TEI_NS, XML_ID, parse_bytes, parse_file

REAL = [REPO / "tei" / "sovjetunionens-historie.xml", REPO / "translations" / "sovjetunionens-historie.en.xml"]
HEAD = f'<TEI xmlns="{TEI_NS}" xml:lang="{{lang}}"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>' \
       '<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>'


def doc(body: str, lang: str = "nb"):
    xml = HEAD.format(lang=lang) + f'<text><body><div type="chapter" xml:id="{lang}.ch01">{body}</div></body></text></TEI>'
    return parse_bytes(xml.encode("utf-8"), "test.xml")


def sentences(tree) -> list[tuple[str, str]]:
    return [(s.get(XML_ID), "".join(s.itertext())) for s in tree.getroot().iter(S)]


def texts(body: str, lang: str = "nb") -> list[str]:
    tree = doc(body, lang)
    segment_tree(tree)
    return [t for _, t in sentences(tree)]


@pytest.mark.parametrize("path", REAL, ids=["source", "translation"])
def test_agrees_with_the_hand_segmentation_of_the_real_text(path):
    result = agreement(parse_file(path))
    assert result.hand > 400
    assert result.precision >= 0.98 and result.recall >= 0.98, f"{result}; missed {result.disagreements[:5]}"
    assert result.same_ids >= 0.95 * result.both, "ids follow docs/encoding.md"


@pytest.mark.parametrize("path", REAL, ids=["source", "translation"])
def test_keeps_every_character_and_all_markup_of_the_real_text(path):
    stripped = parse_file(path)
    count = unwrap_sentences(stripped)
    assert count > 400 and next(stripped.getroot().iter(S), None) is None
    before = xml_bytes(stripped)
    segmented = copy.deepcopy(stripped)
    report = segment_tree(segmented)
    assert report.sentences == len(list(segmented.getroot().iter(S)))
    ids = [s.get(XML_ID) for s in segmented.getroot().iter(S)]
    assert len(ids) == len(set(ids)), "ids are unique"
    unwrap_sentences(segmented)
    assert xml_bytes(segmented) == before, "removing the new <s> gives back the input byte for byte"


def test_norwegian_and_english_abbreviations_do_not_end_sentences():
    assert texts("<p>Han kom bl.a. til Oslo. Der bodde han, dvs. Lenin bodde der. Det kostet ca. 8 000 kroner, "
                 "jf. Trotskij. Mange, f.eks. Stalin, var der.</p>") == [
        "Han kom bl.a. til Oslo.", "Der bodde han, dvs. Lenin bodde der.", "Det kostet ca. 8 000 kroner, jf. Trotskij.",
        "Mange, f.eks. Stalin, var der."]
    assert texts("<p>Some leaders, e.g. Lenin, agreed. Others, i.e. Mr. Smith, did not. They met at 5 p.m. "
                 "on Friday.</p>", "en") == [
        "Some leaders, e.g. Lenin, agreed.", "Others, i.e. Mr. Smith, did not.", "They met at 5 p.m. on Friday."]


def test_dates_ordinals_initials_and_abbreviations_that_may_end_a_sentence():
    assert texts("<p>Den brøt ut 08.03.1917 i Petrograd. På 17. partikongressen talte N. Krupskaja. "
                 "Brevet var signert J. V. Stalin. De kom fra Moskva, Kiev osv. Så dro de.</p>") == [
        "Den brøt ut 08.03.1917 i Petrograd.", "På 17. partikongressen talte N. Krupskaja.",
        "Brevet var signert J. V. Stalin.", "De kom fra Moskva, Kiev osv.", "Så dro de."]
    assert texts("<p>Det skjedde i 1917. Året efter kom freden.</p>") == ["Det skjedde i 1917.", "Året efter kom freden."]


def test_ellipses_and_quotations():
    assert texts('<quote>"Masseterror mot kulakkene ... Død over dem!"</quote>') == [
        '"Masseterror mot kulakkene ... Død over dem!"']
    assert texts("<p>Han ventet... Så kom de.</p>") == ["Han ventet...", "Så kom de."]
    assert texts('<p>Han sa: "Kom hit. Nå er det tid." Så gikk han.</p>') == [
        'Han sa: "Kom hit. Nå er det tid."', "Så gikk han."]
    assert texts('<quote>"Anarki i hovedstaden. Regjeringen lammet. Oppløp i gatene."</quote>') == [
        '"Anarki i hovedstaden.', "Regjeringen lammet.", 'Oppløp i gatene."']
    assert texts('<p>Han svarte: "Nei!" Dermed var saken avgjort.</p>') == ['Han svarte: "Nei!"', "Dermed var saken avgjort."]
    assert texts("<p>(Bildet til venstre viser tsaren) Men han gikk av.</p>") == [
        "(Bildet til venstre viser tsaren)", "Men han gikk av."]


def test_inline_markup_stays_whole_and_corrections_count():
    tree = doc('<p>Støttet landets <choice><sic>styre</sic><corr>styre.</corr></choice> Her angrep '
               '<persName ref="pers:stalin">Josef Stalin</persName> dem. Det var de strenge <choice><sic>reglene.</sic>'
               '<corr>reglene. </corr></choice>Dette gav makt.</p>')
    segment_tree(tree)
    found = sentences(tree)
    assert [i for i, _ in found] == ["nb.ch01.p1.s1", "nb.ch01.p1.s2", "nb.ch01.p1.s3", "nb.ch01.p1.s4"]
    s1, s2 = list(tree.getroot().iter(S))[:2]
    assert s1.find(f"{{{TEI_NS}}}choice") is not None and s2.find(f"{{{TEI_NS}}}persName") is not None
    hi = doc("<p>Han sa <hi>to ting. Begge</hi> var sanne.</p>")
    report = segment_tree(hi)
    assert len(sentences(hi)) == 1 and len(report.inside_markup) == 1


def test_ids_follow_the_contract_and_existing_sentences_are_left_alone():
    tree = doc('<head>INNLEDNING</head><p>Første. Andre.</p><quote>"Sitat."</quote>'
               '<p><s xml:id="nb.ch01.p2.s1">Allerede delt.</s></p><p>Tredje avsnitt.</p>'
               '<floatingText type="letter"><body><div><opener>"Til kamerat Stalin: (Gjenpart til Kamenev) '
               '<salute>Kjære kamerat!</salute></opener><p>Brevet. Slutt.</p><closer><signed>N. Krupskaja."</signed>'
               '</closer></div></body></floatingText>')
    report = segment_tree(tree)
    assert report.already == 1
    assert [i for i, _ in sentences(tree)] == [
        "nb.ch01.head", "nb.ch01.p1.s1", "nb.ch01.p1.s2", "nb.ch01.q1.s1", "nb.ch01.p2.s1", "nb.ch01.p3.s1",
        "nb.ch01.l1.s1", "nb.ch01.l1.s2", "nb.ch01.l1.s3", "nb.ch01.l1.s4", "nb.ch01.l1.s5", "nb.ch01.l1.s6"]
    salute = tree.getroot().find(f".//{{{TEI_NS}}}salute")
    assert salute.getparent().tag == f"{{{TEI_NS}}}opener" and salute[0].tag == S


def test_cli_segments_the_mini_source_back_to_its_hand_form(tmp_path):
    original = (FIXTURES / "mini" / "tei" / "source.xml").read_bytes()
    tree = parse_bytes(original, "source.xml")
    unwrap_sentences(tree)
    bare = tmp_path / "bare.xml"
    bare.write_bytes(xml_bytes(tree))
    out = tmp_path / "segmented.xml"
    proc = run_edition("segment", str(bare), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "into 8 sentence(s)" in proc.stdout
    assert out.read_bytes() == original
    to_stdout = run_edition("segment", str(bare))
    assert to_stdout.stdout.encode("utf-8") == original and "segmented" in to_stdout.stderr
    evaluated = run_edition("segment", str(FIXTURES / "mini" / "tei" / "source.xml"), "--evaluate")
    assert evaluated.returncode == 0 and "recall 100.0%" in evaluated.stdout


def test_cli_user_errors_exit_2(tmp_path):
    proc = run_edition("segment", str(tmp_path / "missing.xml"))
    assert proc.returncode == 2 and "no such file" in proc.stderr
    standoff = REPO / "translations" / "alignment.xml"
    proc = run_edition("segment", str(standoff))
    assert proc.returncode == 2 and "no <text>" in proc.stderr and "Traceback" not in proc.stderr
