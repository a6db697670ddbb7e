"""`edition validate PATH… --schema …`: verdicts agree with jing, messages, formats, Schematron,
schema choice, hostile inputs, cache and parallel runs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, REPO, TEI_ALL, run_edition

VALID = FIXTURES / "validate" / "valid.xml"
BASE = VALID.read_text(encoding="utf-8")

# name → (edit, words the message must contain)
BROKEN = {
    "unknown-element": (("<head>A letter</head>", "<head>A letter</head><foo/>"), ["unknown element <foo>"]),
    "wrong-nesting": (("<item>one</item>", "<item>one</item><p>para</p>"), ["<p> is not allowed here inside <list>"]),
    "missing-attribute": (("</fileDesc>", "</fileDesc><profileDesc><langUsage><language>English</language>"
                                          "</langUsage></profileDesc>"), ["<language>", "@ident"]),
    "bad-value": (('when="1921-03-04"', 'when="4 March"'), ['"4 March"', "@when", "<date>"]),
    "duplicate-id": (('xml:id="p2"', 'xml:id="p1"'), ['duplicate ID "p1"']),
    "wrong-namespace": (('<TEI xmlns="http://www.tei-c.org/ns/1.0"', '<TEI xmlns="http://example.org/tei"'),
                        ["namespace http://example.org/tei"]),
    "unknown-attribute": (("<item>one</item>", '<item foo="x">one</item>'), ["@foo", "<item>"]),
    "stray-text": (('<list type="bulleted">', '<list type="bulleted">stray'), ["text is not allowed", "<list>"]),
    "missing-child": (("<title>A small test letter</title>", ""), ["<titleStmt> lacks a required <title>"]),
    "incomplete-element": (("<head>A letter</head>", '<head>A letter</head><list type="ordered"></list>'),
                           ["<list> is incomplete: it needs <item> or <label>"]),
}

pytestmark = pytest.mark.skipif(not TEI_ALL.is_file(), reason="needs ../shared/tei/tei_all.rng")


def broken(name: str) -> str:
    (old, new), _ = BROKEN[name]
    assert old in BASE
    return BASE.replace(old, new, 1)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(VALID, folder / "valid.xml")
    for name in BROKEN:
        (folder / f"{name}.xml").write_text(broken(name), encoding="utf-8")
    return folder


def jing_valid(path: Path) -> bool:
    proc = subprocess.run(["jing", str(TEI_ALL), str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode == 0


@pytest.fixture(scope="session")
def corpus_json(corpus) -> dict:
    proc = run_edition("validate", "--schema", str(TEI_ALL), "--no-embedded-schematron", "--format", "json",
                       str(corpus), cwd=corpus)
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.skipif(shutil.which("jing") is None, reason="jing is not installed")
def test_verdicts_agree_with_jing(corpus, corpus_json):
    ours = {p.name: True for p in corpus.glob("*.xml")}
    for d in corpus_json["diagnostics"]:
        if d["severity"] == "error":
            ours[Path(d["path"]).name] = False
    for path in sorted(corpus.glob("*.xml")):
        assert ours[path.name] == jing_valid(path), path.name
    assert ours["valid.xml"] and sum(not v for v in ours.values()) == len(BROKEN)


def test_messages_name_the_element_attribute_and_path(corpus, corpus_json):
    by_file: dict[str, list[dict]] = {}
    for d in corpus_json["diagnostics"]:
        by_file.setdefault(d["path"], []).append(d)
    for name, (_, words) in BROKEN.items():
        found = by_file[f"{name}.xml"]
        assert len(found) == 1, found  # one diagnostic, not libxml2's cascade
        d = found[0]
        for word in words:
            assert word in d["message"], (name, d["message"])
        assert d["line"] > 0 and d["column"] > 0
        text_line = (corpus / d["path"]).read_text(encoding="utf-8").splitlines()[d["line"] - 1]
        assert text_line[d["column"] - 1] in "<", (name, text_line, d["column"])
        if name != "wrong-namespace":
            assert "element path /TEI/" in d["hint"]
    hint = by_file["unknown-element.xml"][0]["hint"]
    assert "more" in hint and len(hint) < 300, "the expected elements are shortened"


def test_embedded_schematron_runs_with_file_and_line(tmp_path):
    doc = tmp_path / "links.xml"
    doc.write_text(BASE.replace('<link target="#p1 #p2"/>', '<link target="#p1"/>'), encoding="utf-8")
    proc = run_edition("validate", "--schema", "tei_all", str(doc), cwd=REPO)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line = next(x for x in proc.stdout.splitlines() if "[schematron]" in x)
    lineno = BASE.splitlines().index('          <link target="#p1 #p2"/>') + 1
    assert f":{lineno}:11: error: [schematron]" in line
    assert "at least two values for @target on <link>" in line
    assert run_edition("validate", "--schema", "tei_all", "--no-embedded-schematron", str(doc), cwd=REPO).returncode == 0


def test_tei_all_has_93_schematron_patterns():
    from edition.rng.schematron import extract

    rules = extract(etree.parse(str(TEI_ALL)).getroot(), "tei_all")
    assert len(rules) == 93


def test_standalone_schematron_with_xpath3(tmp_path):
    sch = tmp_path / "rules.sch"
    sch.write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <pattern id="dates">
    <rule context="tei:date[@when]">
      <let name="year" value="xs:integer(substring(@when, 1, 4))"/>
      <assert test="$year ge 1917" role="warning">date <value-of select="@when"/> is before 1917</assert>
      <report test="string-join(tokenize(@when, '-'), '') => string-length() ne 8">odd date <name/></report>
    </rule>
  </pattern>
</schema>""", encoding="utf-8")
    doc = tmp_path / "d.xml"
    doc.write_text(BASE.replace('when="1921-03-04"', 'when="1900-03-04"'), encoding="utf-8")
    proc = run_edition("validate", "--schematron", str(sch), "--format", "json", str(doc))
    data = json.loads(proc.stdout)
    assert [d["message"] for d in data["diagnostics"]] == ["date 1900-03-04 is before 1917"]
    assert data["diagnostics"][0]["severity"] == "warning" and proc.returncode == 0
    assert run_edition("validate", "--strict", "--schematron", str(sch), str(doc)).returncode == 1


def test_schematron_phases_choose_the_patterns(tmp_path):
    sch = tmp_path / "rules.sch"
    sch.write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2" defaultPhase="quick">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <phase id="quick"><active pattern="titles"/></phase>
  <phase id="thorough"><active pattern="titles"/><active pattern="dates"/></phase>
  <pattern id="titles"><rule context="tei:title"><report test="true()">title seen</report></rule></pattern>
  <pattern id="dates"><rule context="tei:date"><report test="true()">date seen</report></rule></pattern>
</schema>""", encoding="utf-8")
    doc = tmp_path / "d.xml"
    doc.write_text(BASE, encoding="utf-8")

    def messages(*options):
        proc = run_edition("validate", "--schematron", str(sch), *options, "--format", "json", str(doc))
        return sorted(d["message"] for d in json.loads(proc.stdout)["diagnostics"])

    assert messages() == ["title seen"]  # the default phase
    assert messages("--phase", "thorough") == ["date seen", "title seen"]
    assert messages("--phase", "#ALL") == ["date seen", "title seen"]
    proc = run_edition("validate", "--schematron", str(sch), "--phase", "nightly", str(doc))
    assert proc.returncode == 2 and "no phase 'nightly'" in proc.stderr and "quick, thorough" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = run_edition("validate", "--phase", "quick", str(doc))
    assert proc.returncode == 2 and "--phase" in proc.stderr


def test_xml_model_chooses_the_schema_and_remote_urls_are_refused(tmp_path):
    schema = tmp_path / "letter.rnc"
    schema.write_text('default namespace = "urn:letter"\nstart = element letter { attribute id { xsd:ID }?, '
                      'element para { text }+ }\n', encoding="utf-8")
    good = tmp_path / "good.xml"
    good.write_text('<?xml-model href="letter.rnc" type="application/relax-ng-compact-syntax"?>\n'
                    '<letter xmlns="urn:letter"><para>hi</para></letter>', encoding="utf-8")
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml-model href="letter.rnc"?>\n<letter xmlns="urn:letter"><para>a</para><p/></letter>',
                   encoding="utf-8")
    remote = tmp_path / "remote.xml"
    remote.write_text('<?xml-model href="https://example.org/x.rng" '
                      'schematypens="http://relaxng.org/ns/structure/1.0"?>\n<x/>', encoding="utf-8")
    proc = run_edition("validate", "--format", "json", str(tmp_path), cwd=tmp_path)
    data = json.loads(proc.stdout)
    by_file = {d["path"]: d for d in data["diagnostics"]}
    assert data["files"] == 3 and set(by_file) == {"bad.xml", "remote.xml"}
    assert "<p>" in by_file["bad.xml"]["message"] and by_file["bad.xml"]["line"] == 2
    assert "remote" in by_file["remote.xml"]["message"] and "--schema" in by_file["remote.xml"]["message"]


def test_formats_junit_and_github(corpus):
    junit = run_edition("validate", "--schema", str(TEI_ALL), "--format", "junit", str(corpus), cwd=corpus)
    root = etree.fromstring(junit.stdout.encode())
    assert int(root.get("tests")) == len(BROKEN) + 1 and int(root.get("failures")) == len(BROKEN)
    github = run_edition("validate", "--schema", str(TEI_ALL), "--format", "github", str(corpus), cwd=corpus)
    annotations = [x for x in github.stdout.splitlines() if x.startswith("::error file=")]
    assert len(annotations) == len(BROKEN) and all(",line=" in a and ",col=" in a for a in annotations)


def test_unknown_schema_and_missing_paths_are_usage_errors(tmp_path):
    assert run_edition("validate", "--schema", str(tmp_path / "nope.rng"), str(VALID)).returncode == 2
    assert run_edition("validate", "--schema", str(TEI_ALL), str(tmp_path / "nope")).returncode == 2
    proc = run_edition("validate", "--schema", "https://tei-c.org/tei_all.rng", str(VALID))
    assert proc.returncode == 2 and "never downloads" in proc.stderr


HOSTILE = {
    "bomb.xml": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
                b"<TEI>&lol2;</TEI>",
    "xxe.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><TEI>&e;</TEI>',
    "deep.xml": b"<TEI>" + b"<div>" * 100_000 + b"</div>" * 100_000 + b"</TEI>",
    "huge-attribute.xml": b'<TEI xmlns="http://www.tei-c.org/ns/1.0" n="' + b"x" * 20_000_000 + b'"/>',
    "latin1.xml": "<TEI>Bjørn</TEI>".encode("latin-1"),
    "binary.xml": bytes(range(256)) * 64,
    "empty.xml": b"",
    "truncated.xml": BASE.encode()[:500],
}


def test_hostile_inputs_give_one_diagnostic_each_and_never_abort(tmp_path):
    for name, data in HOSTILE.items():
        (tmp_path / name).write_bytes(data)
    shutil.copy(VALID, tmp_path / "valid.xml")
    proc = run_edition("validate", "--schema", str(TEI_ALL), "--format", "json", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["files"] == len(HOSTILE) + 1
    by_file: dict[str, list] = {}
    for d in data["diagnostics"]:
        by_file.setdefault(d["path"], []).append(d)
    assert set(by_file) == set(HOSTILE), "every hostile file reported, the valid one clean"
    for name, found in by_file.items():
        assert len(found) == 1 and found[0]["severity"] == "error", (name, found)
        assert found[0]["rule"] in ("xml", "schema"), found[0]
    assert "root" not in json.dumps(by_file["xxe.xml"]) or "passwd" not in proc.stdout
    assert "internal" not in proc.stdout


def test_cache_skips_unchanged_files(tmp_path):
    doc = tmp_path / "doc.xml"
    shutil.copy(VALID, doc)
    cache = tmp_path / "cache"
    first = run_edition("validate", "--schema", str(TEI_ALL), "--cache", str(cache), str(doc), cwd=tmp_path)
    assert first.returncode == 0
    results = list((cache / "results").rglob("*.json"))
    assert len(results) == 1
    # a poisoned cache entry proves the second run read it instead of validating again
    results[0].write_text(json.dumps([{"path": "doc.xml", "line": 1, "column": 1, "severity": "error",
                                       "rule": "schema", "message": "from the cache", "hint": ""}]))
    again = run_edition("validate", "--schema", str(TEI_ALL), "--cache", str(cache), str(doc), cwd=tmp_path)
    assert "from the cache" in again.stdout
    doc.write_text(broken("unknown-element"), encoding="utf-8")  # changed content: validated again
    changed = run_edition("validate", "--schema", str(TEI_ALL), "--cache", str(cache), str(doc), cwd=tmp_path)
    assert changed.returncode == 1 and "unknown element <foo>" in changed.stdout


def test_parallel_run_gives_the_same_report(corpus, tmp_path):
    big = tmp_path / "big"
    big.mkdir()
    for i in range(12):  # more than 4 MB in all: large enough to use worker processes
        for src in corpus.glob("*.xml"):
            text = src.read_text(encoding="utf-8").replace("</body>", "<div><p>x</p></div>" * 2500 + "</body>")
            (big / f"{i:02}-{src.name}").write_text(text, encoding="utf-8")
    one = run_edition("validate", "--schema", str(TEI_ALL), "--jobs", "1", str(big), cwd=tmp_path)
    two = run_edition("validate", "--schema", str(TEI_ALL), "--jobs", "2", str(big), cwd=tmp_path)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    assert "\r[" not in two.stderr, "no progress bar when stderr is not a terminal"


def test_schematron_patterns_are_skipped_only_when_they_cannot_fire(tmp_path):
    from edition.rng import schematron

    assert schematron.required_attribute("tei:*[@when]") == "when"
    assert schematron.required_attribute("tei:*[not(self::tei:x)][@targetLang]") == "targetLang"
    assert schematron.required_attribute("tei:*[ @minOccurs and not( @maxOccurs ) ]") == "minOccurs"
    for context in ("tei:*[not(@when)]", "tei:*[@when or @from]", "tei:date[@when]", "tei:*", "tei:*[@a]/tei:b"):
        assert schematron.required_attribute(context) is None, context
    # what a context needs: the last step's element, an attribute node, or a tei:*[@a]'s attribute
    assert schematron.context_needs("tei:l//tei:p") == {"p"}
    assert schematron.context_needs("tei:rt/@target") == {"@target"}
    assert schematron.context_needs("tei:msContents|tei:physDesc") == {"msContents", "physDesc"}
    assert schematron.context_needs("( tei:elementSpec[@module] | tei:classSpec[@module] )[ ancestor::tei:TEI ]") \
        == {"elementSpec", "classSpec"}
    assert schematron.context_needs("tei:*[@when]") == {"@when"}
    assert schematron.context_needs("/*[ count( //tei:constraintDecl ) gt 1 ]") == {"constraintDecl"}
    assert schematron.required_element("*[count(//tei:x) > 0]") == "x"
    for step in ("*[count(//tei:x) lt 1]", "*[count(//tei:x) gt 1 or @a]", "*[count(tei:x) gt 1]", "*[count(//*) gt 1]",
                 "tei:a[count(//tei:x) gt 1]"):
        assert schematron.required_element(step) is None, step
    for context in ("tei:*", "tei:*[not(@when)]", "tei:*[@when or @from]", "/*[ count( //tei:x ) lt 1 ]", "node()", ""):
        assert schematron.context_needs(context) is None, context
    rules = schematron.extract(etree.parse(str(TEI_ALL)).getroot(), "tei_all")
    doc = tmp_path / "d.xml"
    doc.write_text(BASE.replace('<date when', '<date from="1920" notBefore="1919" when')
                   .replace('<link target="#p1 #p2"/>', '<link target="#p1"/>'), encoding="utf-8")
    fewer = schematron.relevant(rules, schematron.present_names(etree.parse(str(doc))))
    assert len(fewer) < len(rules) // 2
    tree = etree.parse(str(doc))
    everything = schematron.Validator(rules, use_lxml=False, prune=False).run(doc, tree)
    assert len(everything) == 3 and schematron.Validator(fewer, use_lxml=False).run(doc, tree) == everything
    # the same result with and without pruning on the real edition's files
    full = schematron.Validator(rules, use_lxml=False, prune=False)
    pruned = schematron.Validator(rules, use_lxml=False)
    for path in sorted((REPO / "tei").glob("*.xml")) + sorted((REPO / "translations").glob("*.xml")):
        tree = etree.parse(str(path))
        assert pruned.run(path, tree) == full.run(path, tree), path