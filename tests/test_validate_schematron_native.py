"""Schematron on lxml (XPath 1.0 over the tree parsed for RelaxNG) gives exactly what Saxon (XPath 3.1
over its own parse) gives: same failures, same lines, same messages, on every pattern of tei_all
that runs on lxml — on a document that breaks them, on the edition's files, and on random
rearrangements of the breaking snippets (hypothesis)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import FIXTURES, REPO, TEI_ALL, run_edition
from edition.rng import schematron, xpath1
from edition.xmlsafe import parse_bytes, read_bytes

pytestmark = pytest.mark.skipif(not TEI_ALL.is_file(), reason="needs ../shared/tei/tei_all.rng")
VIOLATIONS = FIXTURES / "schematron" / "violations.xml"
TEI = "{http://www.tei-c.org/ns/1.0}"
NS = {"tei": "http://www.tei-c.org/ns/1.0"}


@pytest.fixture(scope="module")
def routes():
    rules = schematron.extract(etree.parse(str(TEI_ALL)).getroot(), "tei_all")
    return schematron.Validator(rules), schematron.Validator(rules, use_lxml=False, prune=False)


def outcome(validator: schematron.Validator, path: Path) -> list[tuple]:
    """(line, kind, severity, pattern, message) of every failure, sorted."""
    tree = parse_bytes(read_bytes(path), str(path))
    found = []
    for f in validator.run(path, tree):
        element = f.element if f.element is not None else schematron.locate(tree, f.path)
        found.append((element.sourceline if element is not None else 0, f.kind, f.severity, f.pattern, f.message))
    return sorted(found)


def test_most_tei_all_patterns_run_on_lxml(routes):
    fast, slow = routes
    assert slow.native_count == 0
    assert fast.native_count >= 60, fast.native_count
    native = {fast.idents[i] for i in fast._native}
    # eq/gt value comparisons and XSLT's current() have 1.0 forms …
    assert "tei_all-desc-deprecationInfo-only-in-deprecated-constraint-rule-13" in native
    assert "tei_all-l-abstractModel-structure-l-in-l-constraint-rule-21" in native
    assert "tei_all-dimensions-duplicateDim-constraint-rule-37" in native
    # … tokenize(), sequences, casts, attribute contexts and `>>` do not
    for ident in ("tei_all-att.global.source-source-only_1_ODD_source-constraint-rule-5",
                  "tei_all-att.spanning-spanTo-spanTo-points-to-following-constraint-rule-7",
                  "tei_all-rt-from-rt-from-constraint-rule-15",
                  "tei_all-constraintDecl-one-constraintDecl-per-scheme-constraint-rule-81"):
        assert ident not in native


def test_both_routes_report_the_same_failures_on_a_document_breaking_the_rules(routes):
    fast, slow = routes
    expected = outcome(slow, VIOLATIONS)
    assert outcome(fast, VIOLATIONS) == expected
    fired = {pattern for _, _, _, pattern, _ in expected}
    native_fired = fired & {fast.idents[i] for i in fast._native}
    assert len(native_fired) >= 60, sorted(native_fired)  # the comparison covers almost every lxml pattern
    assert len(expected) >= 90


def test_both_routes_agree_on_the_edition_and_the_fixtures(routes):
    fast, slow = routes
    files = sorted((REPO / "tei").glob("*.xml")) + sorted((REPO / "translations").glob("*.xml"))
    files += sorted(p for p in FIXTURES.rglob("*.xml") if p.stat().st_size < 200_000)
    assert len(files) >= 10
    for path in files:
        try:
            expected = outcome(slow, path)
        except Exception:  # fixtures that are meant not to parse
            continue
        assert outcome(fast, path) == expected, path


def _snippets() -> list[etree._Element]:
    body = etree.parse(str(VIOLATIONS)).find(f".//{TEI}body")
    return [child for child in body if isinstance(child.tag, str)]


SNIPPETS = _snippets() if VIOLATIONS.is_file() else []


@st.composite
def rearrangements(draw):
    """A TEI document whose body holds some of the fixture's snippets, some nested inside others."""
    chosen = draw(st.lists(st.integers(0, len(SNIPPETS) - 1), min_size=1, max_size=8))
    nest = draw(st.lists(st.booleans(), min_size=len(chosen), max_size=len(chosen)))
    root = etree.fromstring(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
                            b'<title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt>'
                            b'<sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body/></text></TEI>')
    body = root.find(f".//{TEI}body")
    previous = None
    for index, inside in zip(chosen, nest):
        snippet = copy.deepcopy(SNIPPETS[index])
        if inside and previous is not None:
            targets = [e for e in previous.iter() if isinstance(e.tag, str)]
            draw(st.randoms()).choice(targets).append(snippet)
        else:
            body.append(snippet)
        previous = snippet
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=rearrangements())
def test_both_routes_agree_on_rearranged_snippets(routes, tmp_path, document):
    fast, slow = routes
    path = tmp_path / "doc.xml"
    path.write_bytes(document)
    assert outcome(fast, path) == outcome(slow, path)


def test_value_comparisons_become_general_comparisons_only_where_they_are_operators():
    assert xpath1.rewrite("@type eq 'x'") == "@type = 'x'"
    assert xpath1.rewrite("count(tei:w) gt 1").split() == ["count(tei:w)", ">", "1"]
    assert xpath1.rewrite("@eq eq 'x'").split() == ["@eq", "=", "'x'"]
    assert xpath1.rewrite("child::eq[eq ne 'eq']").split() == ["child::eq[eq", "!=", "'eq']"]
    assert xpath1.rewrite("tei:l[. = current()]") == f"tei:l[. = ${xpath1.CURRENT}]"


def test_the_shipped_translations_are_what_translate_gives_now_and_cover_tei_all():
    import json

    stored = json.loads(xpath1.PACKAGED.read_text(encoding="utf-8"))
    assert stored["revision"] == xpath1.REVISION, "regenerate: python tools/make_xpath1_memo.py"
    for key, answer in stored["answers"].items():
        expression, namespaces, variables = xpath1.key_parts(key)
        if isinstance(answer, str):
            with pytest.raises(xpath1.NotPortable):
                xpath1._translate(expression, namespaces, variables)
        else:
            assert list(xpath1._translate(expression, namespaces, variables)) == answer, expression
    saved, seeded = xpath1.memo(), xpath1._seeded
    try:
        xpath1._memo.clear()
        xpath1._seeded = True  # nothing shipped: collect what tei_all's rules ask for
        schematron.Validator(schematron.extract(etree.parse(str(TEI_ALL)).getroot(), "tei_all"))
        assert set(xpath1.memo()) <= set(stored["answers"]), "regenerate: python tools/make_xpath1_memo.py"
    finally:
        xpath1._memo.clear()
        xpath1.remember(saved)
        xpath1._seeded = seeded


def test_count_above_zero_becomes_an_existence_test_with_the_same_value():
    doc = etree.fromstring('<r xmlns="http://www.tei-c.org/ns/1.0"><a n="x)">1</a><b/></r>')
    cases = {
        "count(descendant::tei:lg|descendant::tei:l|descendant::tei:gap) > 0":
            "(descendant::tei:lg or descendant::tei:l or descendant::tei:gap)",
        "not(count(tei:a) > 0) and count(tei:b) > 0.5": "not(boolean(tei:a)) and count(tei:b) > 0.5",
        "concat(count(tei:a|tei:b) gt 0, 'x')": "concat((tei:a or tei:b), 'x')",  # stays a boolean
        "count(tei:a[@n = 'x)']) > 0": "boolean(tei:a[@n = 'x)'])",
        "count($v) > 0": "boolean($v)",
        # where something binds tighter than `>` next to it, or it is not `> 0`, nothing changes
        "count(tei:a) > 0 + 1": "count(tei:a) > 0 + 1",
        "1 + count(tei:a) > 0": "1 + count(tei:a) > 0",
        "count(tei:a) > 00": "count(tei:a) > 00",
        "count(tei:a) >= 0": "count(tei:a) >= 0",
        "'count(tei:a) > 0' = @n": "'count(tei:a) > 0' = @n",
    }
    for expression, expected in cases.items():
        text, _ = xpath1.translate(expression, NS, {"v": xpath1.NODES})
        assert text == expected, expression
        before = etree.XPath(xpath1.rewrite(expression), namespaces=NS)(doc, v=[doc])
        assert etree.XPath(text, namespaces=NS)(doc, v=[doc]) == before, expression
    assert xpath1.translate("count(tei:a | 'x') > 0", NS, {})[0] == "count(tei:a | 'x') > 0"  # not all node-sets


@pytest.mark.parametrize("expression", [
    "@a < @b",                  # 1.0 compares strings as numbers, 2.0 as strings
    "@n + 1 = 2",               # an empty @n is NaN in 1.0, () in 2.0
    "@a = true()",              # 1.0 turns @a into a boolean, 2.0 compares atomised values
    "tokenize(@a, ' ')[2]",     # 2.0 function
    "(1, 2) = 1",               # sequence constructor
    "if (@a) then 1 else 2",
    "$unknown = 'x'",           # a variable whose type is unknown
    "@a castable as xs:integer",
])
def test_expressions_whose_meaning_differs_stay_with_saxon(expression):
    with pytest.raises(xpath1.NotPortable):
        xpath1.translate(expression, NS, {})


def test_match_patterns_select_the_same_nodes_in_a_whole_document():
    assert xpath1.context_select("tei:l//tei:p", NS) == "/descendant::tei:p[ancestor::tei:l]"
    assert xpath1.context_select("tei:a/tei:b//tei:c[@x]", NS) == \
        "/descendant::tei:c[@x][ancestor::tei:b[parent::tei:a]]"
    assert xpath1.context_select("tei:a[1]/tei:b", NS) == "//tei:a[1]/tei:b"  # [1] means another thing on parent::
    # `//x[1]` is the first x of each parent, `/descendant::x[1]` the first in the document: kept apart
    assert xpath1.context_select("tei:p[1]", NS) == "//tei:p[1]"
    assert xpath1.context_select("tei:p[count(tei:s)]", NS) == "//tei:p[count(tei:s)]"
    assert xpath1.context_select("tei:rt/@target", NS) == "//@target[parent::tei:rt]"
    assert xpath1.context_select("tei:a | tei:b[@x]", NS) == "/descendant::tei:a | /descendant::tei:b[@x]"
    assert xpath1.context_select("/*[ count( //tei:x ) gt 1 ]", NS).split() == ["/*[", "count(", "//tei:x", ")",
                                                                                 ">", "1", "]"]
    for pattern in ("( tei:a | tei:b )/tei:c", "/", "id('x')"):
        with pytest.raises(xpath1.NotPortable):
            xpath1.context_select(pattern, NS)
    # a probe may select more than the pattern matches, never less
    assert xpath1.probe_select("( tei:a | tei:b )/tei:c/tei:d | tei:e", NS) == "/descendant::tei:d[parent::tei:c] | /descendant::tei:e"
    assert xpath1.probe_select("( tei:a[@m] | tei:b )[ ancestor::tei:TEI ]", NS) == "/descendant::tei:a[@m] | /descendant::tei:b"
    assert not xpath1.selects_elements("//tei:rt/@target")
    assert xpath1.selects_elements("//tei:l//tei:p | //tei:x")


def test_a_pattern_libxml2_refuses_at_run_time_is_checked_by_saxon(routes, monkeypatch):
    from edition.rng import native

    fast, slow = routes
    expected = outcome(slow, VIOLATIONS)

    def refuse(pattern, tree):
        raise etree.XPathEvalError("refused")

    monkeypatch.setattr(native, "run", refuse)
    assert outcome(fast, VIOLATIONS) == expected


def test_abstract_patterns_are_instantiated_with_their_parameters(tmp_path):
    """ISO Schematron's `is-a`: both routes check the instance with the parameters substituted."""
    sch = tmp_path / "rules.sch"
    sch.write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <pattern abstract="true" id="needs-child">
    <rule context="$parent">
      <assert test="$child">&lt;<name/>&gt; needs a child matching $child</assert>
    </rule>
  </pattern>
  <pattern is-a="needs-child" id="list-needs-items">
    <param name="parent" value="tei:list"/>
    <param name="child" value="tei:item"/>
  </pattern>
  <pattern is-a="needs-child" id="div-needs-head">
    <param name="parent" value="tei:div"/>
    <param name="child" value="tei:head"/>
  </pattern>
</schema>""", encoding="utf-8")
    rules = schematron.extract(etree.parse(str(sch)).getroot(), str(sch))
    assert [p.get("id") for p in rules.patterns] == ["list-needs-items", "div-needs-head"]
    fast = schematron.Validator(rules)
    slow = schematron.Validator(rules, use_lxml=False, prune=False)
    assert fast.native_count == 2
    doc = tmp_path / "d.xml"
    doc.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div><head>h</head><list/></div>'
                   '<div><p>no head</p></div></body></text></TEI>', encoding="utf-8")
    found = outcome(fast, doc)
    assert found == outcome(slow, doc)
    assert [(line, pattern, message) for line, _, _, pattern, message in found] == [
        (1, "div-needs-head", "<div> needs a child matching $child"),
        (1, "list-needs-items", "<list> needs a child matching $child"),
    ]


def test_positional_contexts_match_the_same_nodes_on_both_routes(tmp_path):
    """`tei:item[1]` is the first item of each list, not the first in the document."""
    sch = tmp_path / "rules.sch"
    sch.write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <pattern id="first-item"><rule context="tei:item[1]"><report test="true()">first <value-of select="."/></report></rule></pattern>
  <pattern id="last-p"><rule context="tei:div/tei:p[last()]"><report test="true()">last <value-of select="."/></report></rule></pattern>
  <pattern id="counted"><rule context="tei:list[count(tei:item)]"><report test="true()">list</report></rule></pattern>
  <pattern id="plain"><rule context="tei:item[@n]"><report test="@n = '2'">n two</report></rule></pattern>
</schema>""", encoding="utf-8")
    rules = schematron.extract(etree.parse(str(sch)).getroot(), str(sch))
    fast, slow = schematron.Validator(rules), schematron.Validator(rules, use_lxml=False, prune=False)
    assert fast.native_count == 4
    doc = tmp_path / "d.xml"
    doc.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n'
                   '<div><p>a</p><p>b</p><list><item>x</item><item n="2">y</item></list></div>\n'
                   '<div><p>c</p><list><item>z</item></list><list/></div>\n</body></text></TEI>', encoding="utf-8")
    found = outcome(fast, doc)
    assert found == outcome(slow, doc)
    # [count(tei:item)] is positional too: only the list whose place among its siblings equals its item count
    assert sorted(message for *_, message in found) == ["first x", "first z", "last b", "last c", "list", "n two"]


def test_id_lookups_find_the_elements_of_the_document(tmp_path):
    """`id()` needs the document's ID table, which the trees edition parses do not keep: such
    patterns run on Saxon, and find the element an xml:id names, with or without a schema."""
    sch = tmp_path / "rules.sch"
    sch.write_text("""<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <pattern id="corresp-resolves">
    <rule context="tei:*[@corresp]">
      <assert test="id(substring(@corresp, 2))">@corresp must point to an element of this file</assert>
    </rule>
  </pattern>
</schema>""", encoding="utf-8")
    doc = tmp_path / "d.xml"
    doc.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
                   '<title xml:id="t">T</title></titleStmt><publicationStmt><p corresp="#t">x</p>'
                   '</publicationStmt><sourceDesc><p corresp="#nowhere">x</p></sourceDesc></fileDesc>'
                   '</teiHeader><text><body><p>x</p></body></text></TEI>', encoding="utf-8")
    with pytest.raises(xpath1.NotPortable):
        xpath1.translate("id(substring(@corresp, 2))", NS, {})
    for schema in (["--schema", str(TEI_ALL)], []):
        proc = run_edition("validate", *schema, "--schematron", str(sch), "--format", "json", str(doc), cwd=tmp_path)
        found = [(d["line"], d["column"], d["message"]) for d in json.loads(proc.stdout)["diagnostics"]]
        assert found == [(1, 181, "@corresp must point to an element of this file")], schema
