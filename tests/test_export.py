"""`edition export`: TMX, JSON, CSV and plain text of the real edition, each parsed back and compared with
the model."""

from __future__ import annotations

import csv
import io
import json

import pytest
from lxml import etree

from conftest import FIXTURES, REPO, run_edition
from edition.config import load_config
from edition.export import document_lines
from edition.loader import load_edition
from edition.xmlsafe import parse_bytes

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def edition():
    return load_edition(load_config(REPO))


@pytest.fixture(scope="module")
def expected(edition):
    """The pairs as the model holds them: (source ids, target ids, corrected source, target)."""
    index = edition.sentence_index()
    return [(link.sources, link.targets, " ".join(index[i].text("corrected") for i in link.sources),
             " ".join(index[i].text("corrected") for i in link.targets)) for link in edition.links]


def export(*args: str) -> str:
    proc = run_edition("export", *args, "--root", str(REPO))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_tmx_is_valid_tmx_14b_and_round_trips(edition, expected):
    data = export("tmx").encode("utf-8")
    tree = parse_bytes(data, "export.tmx")
    dtd = etree.DTD(str(FIXTURES / "tmx14b.dtd"))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    root = tree.getroot()
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == edition.source_lang
    units = root.findall("body/tu")
    translated = [e for e in expected if e[1]]
    assert len(units) == len(translated) and len(units) == len([l for l in edition.links if l.targets])
    for tu, (sources, targets, source, target) in zip(units, translated):
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props["x-source-ids"].split() == sources and props["x-target-ids"].split() == targets
        segs = {tuv.get(XML_LANG): tuv.findtext("seg") for tuv in tu.findall("tuv")}
        assert segs == {edition.source_lang: source, edition.translation_lang: target}


def test_tmx_is_read_by_a_cat_tool_library(expected):
    """translate-toolkit (the library behind Pootle and Weblate's TMX support) reads the memory."""
    from translate.storage import tmx

    store = tmx.tmxfile.parsestring(export("tmx").encode("utf-8"))
    units = [u for u in store.units if not u.isheader()]
    translated = [e for e in expected if e[1]]
    assert len(units) == len(translated)
    for unit, (_, _, source, target) in zip(units, translated):
        assert (unit.source, unit.target) == (source, target)


def test_json_round_trips(edition, expected):
    data = json.loads(export("json"))
    assert data["source_lang"] == edition.source_lang and data["translation_lang"] == edition.translation_lang
    pairs = data["pairs"]
    assert len(pairs) == len(edition.links)
    index = edition.sentence_index()
    for pair, (sources, targets, source, target) in zip(pairs, expected):
        assert (pair["source_ids"], pair["target_ids"], pair["source"], pair["target"]) == (sources, targets, source, target)
        assert pair["source_diplomatic"] == " ".join(index[i].text("diplomatic") for i in sources)
    assert any(p["source"] != p["source_diplomatic"] for p in pairs), "both readings are exported"


def test_csv_round_trips(edition, expected, tmp_path):
    out = tmp_path / "pairs.csv"
    proc = run_edition("export", "csv", "--root", str(REPO), "-o", str(out))
    assert proc.returncode == 0 and proc.stdout == "" and "wrote csv" in proc.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == len(edition.links)
    for row, (sources, targets, source, target) in zip(rows, expected):
        assert row["source_ids"].split() == sources and row["target_ids"].split() == targets
        assert (row["source"], row["target"]) == (source, target)
        assert row["untranslated"] == ("no" if targets else "yes")


@pytest.mark.parametrize("lang, reading", [("nb", "corrected"), ("nb", "diplomatic"), ("en", "corrected")])
def test_text_round_trips(edition, lang, reading):
    text = export("text", "--lang", lang, "--reading", reading)
    doc = edition.source if lang == "nb" else edition.translation
    parts = [part.split("\n\n") for part in text.rstrip("\n").split("\n\n\n")]
    assert parts == document_lines(doc, reading)
    sentences = doc.sentences()
    assert len(parts) == len(doc.sections) + 1
    joined = " ".join(line for part in parts for line in part)
    assert joined == " ".join(s.text(reading) for s in sentences), "every sentence, in order"
    if lang == "nb":
        first = parts[1][1]
        assert first.startswith("Denne preioden" if reading == "diplomatic" else "Denne perioden")


def test_text_of_an_unknown_language_is_a_user_error():
    proc = run_edition("export", "text", "--lang", "de", "--root", str(REPO))
    assert proc.returncode == 2 and "--lang nb" in proc.stderr and "Traceback" not in proc.stderr
