"""A grammar's nesting structure (structure.py), and the Schematron patterns it shows cannot fire
(silent.py): skipping them never hides a failure on a document valid against the grammar."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import FIXTURES, TEI_ALL
from test_validate_files import BASE

from edition.rng import schematron
from edition.rng.exclusions import Exclusion, exclude
from edition.rng.schemas import Schema
from edition.rng.silent import exclusions_of, silent_patterns
from edition.rng.specialise import scan_uses
from edition.rng.structure import ANY, structure_of
from edition.xmlsafe import parse_bytes

RNG = "http://relaxng.org/ns/structure/1.0"
TEI = "{http://www.tei-c.org/ns/1.0}"


def grammar(defines: str) -> etree._Element:
    return etree.fromstring(f'<grammar xmlns="{RNG}"><start><ref name="r"/></start>{defines}</grammar>')


def test_children_descendants_and_required_children_of_a_grammar():
    g = grammar("""
      <define name="r"><element name="r"><oneOrMore><ref name="block"/></oneOrMore></element></define>
      <define name="block"><choice><ref name="lg"/><element name="p"><ref name="inline"/></element></choice></define>
      <define name="lg"><element name="lg"><optional><element name="head"><text/></element></optional>
        <choice><ref name="l"/><ref name="lg"/></choice><zeroOrMore><ref name="l"/></zeroOrMore></element></define>
      <define name="l"><element name="l"><ref name="inline"/></element></define>
      <define name="inline"><zeroOrMore><choice><text/><element name="hi"><ref name="inline"/></element>
        <element name="note"><ref name="block"/></element></choice></zeroOrMore></define>""")
    s = structure_of(g)
    assert s.children["lg"] == {"head", "l", "lg"}
    assert s.children["p"] == s.children["hi"] == {"hi", "note"}
    assert s.may_have_child("lg", "l") and not s.may_have_child("l", "lg")
    assert s.may_contain("l", "lg") and s.may_contain("l", "l")  # through note
    assert not s.may_contain("head", "hi") and not s.may_contain("r", "div")
    assert not s.may_contain("div", "p")  # no pattern for div: no valid document has one
    assert s.must_have_child_in("lg", {"l", "lg"}) and not s.must_have_child_in("lg", {"l"})
    assert s.must_have_child_in("r", {"lg", "p"}) and not s.must_have_child_in("p", {"hi", "note"})
    assert not s.open
    wild = structure_of(grammar('<define name="r"><element name="r"><element><anyName/><empty/></element>'
                                '</element></define>'))
    assert wild.open and ANY in wild.children["r"] and wild.may_contain("r", "anything")
    assert wild.may_contain("div", "p")  # a wildcard may be a div


def lines(inline: str) -> etree._Element:
    """A TEI-like grammar of line groups whose lines may hold the `inline` patterns."""
    return etree.fromstring(
        f'<grammar xmlns="{RNG}" ns="http://www.tei-c.org/ns/1.0"><start><ref name="lg"/></start>'
        f'<define name="lg"><element name="lg"><oneOrMore><ref name="l"/></oneOrMore></element></define>'
        f'<define name="l"><element name="l"><zeroOrMore><choice><text/>{inline}</choice></zeroOrMore>'
        f'</element></define></grammar>')


def only_pattern(ident: str) -> schematron.Rules:
    rules = schematron.extract(etree.parse(str(TEI_ALL)).getroot(), "tei_all")
    (pattern,) = [p for p in rules.patterns if ident in (p.get("id") or "")]
    return schematron.Rules(rules.namespaces, rules.lets, [pattern], rules.abstract_rules, rules.source)


NOTE = '<element name="note"><ref name="lg"/></element>'
HI = '<element name="hi"><zeroOrMore><choice><text/><ref name="l"/><ref name="lg"/></choice></zeroOrMore></element>'


def test_an_ancestor_counts_only_on_paths_its_predicate_leaves_open():
    """TEI's "no <l> inside <l>, except inside a <note>" is silent where a note is the only way
    from one <l> to another, and not where <hi> is another."""
    only = only_pattern("structure-l-in-l")
    assert silent_patterns(only, structure_of(lines(NOTE))) == {0}
    assert silent_patterns(only, structure_of(lines(NOTE + HI))) == set()


def test_tei_alls_nesting_bans_compiled_into_a_grammar():
    """"No <l> or <lg> inside an <l> except inside a <note>" as RelaxNG: the strengthened grammar
    rejects exactly the nestings the rule forbids, and its structure shows both patterns silent."""
    rules = schematron.extract(etree.parse(str(TEI_ALL)).getroot(), "tei_all")
    bans = exclusions_of(rules)
    assert bans == (Exclusion(TEI + "l", frozenset({TEI + "l", TEI + "lg"}), frozenset({TEI + "note"})),)
    plain = lines(NOTE + HI)
    strict = exclude(plain, bans)
    assert etree.tostring(plain) == etree.tostring(lines(NOTE + HI))  # a copy is strengthened
    loose, tight = etree.RelaxNG(plain), etree.RelaxNG(strict)
    cases = {
        "<l>a</l><l>b <hi>c</hi></l>": True,
        "<l>a <hi>b <l>c</l></hi></l>": False,  # l in hi in l
        "<l>a <hi><lg><l>c</l></lg></hi></l>": False,  # an lg
        "<l>a <note><lg><l>b</l></lg></note></l>": True,  # inside a note: allowed
        "<l>a <note><lg><l>b <hi>c</hi></l></lg></note></l>": True,
        "<l>a <note><lg><l>b <hi><l>c</l></hi></l></lg></note></l>": False,  # the inner l bans again
    }
    for body, allowed in cases.items():
        doc = etree.fromstring(f'<lg xmlns="http://www.tei-c.org/ns/1.0">{body}</lg>')
        assert loose.validate(doc), body
        assert tight.validate(doc) is allowed, body
    for ident in ("structure-l-in-l", "structure-lg-in-l"):
        assert silent_patterns(only_pattern(ident), structure_of(plain)) == set()
        assert silent_patterns(only_pattern(ident), structure_of(strict)) == {0}


def test_nothing_in_tei_all_is_silent_for_the_full_grammar():
    rules = schematron.extract(etree.parse(str(TEI_ALL)).getroot(), "tei_all")
    assert silent_patterns(rules, structure_of(etree.parse(str(TEI_ALL)).getroot())) == frozenset()


# Snippets for the body's <div>: each keeps RelaxNG content models, some break TEI's structural rules.
SNIPPETS = [
    '<lg><l>a</l><l>b</l></lg>',
    '<lg><stage>Enter.</stage></lg>',  # no l, lg or gap: "lg-atleast1" fires
    '<lg><l>a <q><lg><l>b</l></lg></q></l></lg>',  # lg inside l (through q): fires
    '<lg><l>a <q><l>b</l></q></l></lg>',  # l inside l: fires
    '<lg><l>a <note><l>b</l></note></l></lg>',  # l inside l, but inside a note: allowed
    '<lg><l>a <note><lg><l>b</l></lg></note></l></lg>',
    '<p>p <floatingText><body><div><p>x</p></div></body></floatingText></p>',  # div in p, in floatingText
    '<p>p <note><p>x</p></note></p>',
    '<lg><head>h</head><l>a</l></lg>',
    '<sp><speaker>A</speaker><l>line</l></sp>',
    '<p>a <hi>b <note>c</note></hi></p>',
]
STRUCTURAL = ("lg-atleast1", "-in-l-", "-in-ab-or-p-")


def document(snippets: list[str]) -> bytes:
    return BASE.replace("<head>A letter</head>", "<head>A letter</head>" + "".join(snippets), 1).encode()


def outcomes(fast: schematron.Validator, slow: schematron.Validator, data: bytes, path,
             strengthen: bool = True) -> tuple[set, set, bool]:
    """Failures with structure pruning (as `edition validate` runs a valid file, with the grammar
    strengthened by the Schematron's nesting bans when it accepts the document) and without."""
    path.write_bytes(data)
    tree = parse_bytes(data, str(path), collect_ids=True)
    schema = Schema(TEI_ALL)
    schema.exclusions = exclusions_of(fast.rules) if strengthen else ()
    schema.validator_for(*scan_uses(tree.getroot()), ids_checked=True).validate(tree)
    accepted = schema.accepts(tree, ids_checked=True)
    assert accepted is not None and accepted.structure is not None
    pruned = {(f.pattern, f.message) for f in fast.run(path, tree, accepted[:2], accepted.structure)}
    full = {(f.pattern, f.message) for f in slow.run(path, tree)}
    return pruned, full, bool(silent_patterns(fast.rules, accepted.structure))


@pytest.fixture(scope="module")
def routes():
    rules = schematron.extract(etree.parse(str(TEI_ALL)).getroot(), "tei_all")
    return schematron.Validator(rules), schematron.Validator(rules, use_lxml=False, prune=False)


def test_silent_patterns_hide_no_failure_on_valid_documents(full_tei_all, routes, tmp_path):
    fast, slow = routes
    fired, valid = set(), 0
    for snippet in SNIPPETS:
        data = document([snippet])
        if not full_tei_all.validate(parse_bytes(data, "d")):
            continue
        valid += 1
        for strengthen in (True, False):
            pruned, full, _ = outcomes(fast, slow, data, tmp_path / "d.xml", strengthen)
            assert pruned == full, snippet
        fired |= {pattern for pattern, _ in full if any(s in pattern for s in STRUCTURAL)}
    assert valid == len(SNIPPETS)
    for rule in ("lg-atleast1oflggapl", "structure-lg-in-l", "structure-l-in-l"):
        assert any(rule in pattern for pattern in fired), (rule, fired)


def test_an_adl_style_document_skips_the_structural_patterns_it_cannot_break(routes, tmp_path):
    fast, slow = routes
    import sys
    sys.path.insert(0, str(FIXTURES.parent.parent / "bench"))
    from make_corpus import write_corpus

    (path,) = write_corpus(tmp_path / "adl", 1, 0.2, style="adl")
    pruned, full, any_silent = outcomes(fast, slow, path.read_bytes(), tmp_path / "adl.xml")
    assert pruned == full == set()
    tree = parse_bytes(path.read_bytes(), "adl", collect_ids=True)
    for strengthen in (False, True):
        schema = Schema(TEI_ALL)
        schema.exclusions = exclusions_of(fast.rules) if strengthen else ()
        schema.validator_for(*scan_uses(tree.getroot()), ids_checked=True)
        silent = {fast.idents[i] for i in silent_patterns(fast.rules, schema.accepts(tree, True).structure)}
        assert any("lg-atleast1" in i for i in silent) and any("div-in-l" in i for i in silent), silent
        # an l may hold a hi that holds an l: only the strengthened grammar rules that out
        assert any("l-in-l" in i for i in silent) is strengthen and any("lg-in-l" in i for i in silent) is strengthen


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, len(SNIPPETS) - 1), min_size=1, max_size=5), st.randoms(use_true_random=False))
def test_random_nestings_of_the_snippets_agree(full_tei_all, routes, tmp_path, picks, rnd: random.Random):
    """Snippets nested inside each other at random; the RelaxNG-valid ones give the same failures."""
    fast, slow = routes
    root = etree.fromstring(f'<div xmlns="http://www.tei-c.org/ns/1.0">{SNIPPETS[picks[0]]}</div>')
    for index in picks[1:]:
        snippet = etree.fromstring(f'<x xmlns="http://www.tei-c.org/ns/1.0">{SNIPPETS[index]}</x>')[0]
        rnd.choice([e for e in root.iter() if isinstance(e.tag, str)]).append(snippet)
    inner = "".join(etree.tostring(child, encoding="unicode").replace(' xmlns="http://www.tei-c.org/ns/1.0"', "")
                    for child in root)
    data = document([inner])
    if not full_tei_all.validate(parse_bytes(data, "d")):
        return  # only documents valid against the grammar may be pruned by its structure
    pruned, full, _ = outcomes(fast, slow, data, tmp_path / "r.xml")
    assert pruned == full
