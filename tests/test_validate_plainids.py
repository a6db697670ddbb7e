"""Plain xml:ids taken out of the bytes before validation (plainids.py): the same diagnostics as
validating the document as written, on real TEI, broken TEI, Schematron failures and xml:ids
the shortcut must leave alone."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import TEI_ALL
from test_validate_files import BASE
from test_validate_specialise import ID_VALUES, documents, with_ids

from edition.rng import plainids
from edition.rng.check import Checker, Settings
from edition.rng.plainids import OptionalIds, WrittenIds, without_xml_ids

pytestmark = pytest.mark.skipif(not TEI_ALL.is_file(), reason="needs ../shared/tei/tei_all.rng")
TEI = "{http://www.tei-c.org/ns/1.0}"


def test_xml_ids_are_taken_out_only_when_all_are_plain_attributes():
    doc = b'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="t"><p n=\'a>b\' xml:id="p1" rend="x">x</p><p xml:id="p2"/></TEI>'
    assert without_xml_ids(doc) == b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><p n=\'a>b\' rend="x">x</p><p/></TEI>'
    for bad in (b'<p xml:id="p1"><q xml:id="p1"/></p>',  # the same twice
                b"<p xml:id='p1'/>", b'<p xml:id = "p1"/>',  # other spellings
                b'<p xml:id="1p"/>', b'<p xml:id="&#112;"/>', b'<p xml:id="p\xc3\xa9"/>', b'<p xml:id=" p"/>',
                b'<p xml:id="p1">xml:id="p2"</p>',  # in text
                b'<p xml:id="p1"><![CDATA[<q xml:id="p2"/>]]></p>',
                b'<p xml:id="p1"><!-- <q xml:id="p1"/> --></p>',  # looks like a duplicate
                ):
        assert without_xml_ids(bad) is None, bad
    assert without_xml_ids(b'<p xml:id="p1"><!-- <q xml:id="p2"/> --></p>') == b'<p><!-- <q/> --></p>'
    none = b'<p>no ids</p>'
    assert without_xml_ids(none) is none


def test_the_grammar_must_let_every_element_drop_its_xml_id():
    optional = OptionalIds(etree.parse(str(TEI_ALL)).getroot())
    assert optional.allow([TEI + n for n in ("TEI", "teiHeader", "p", "l", "lg", "hi", "note", "div", "pb")])
    assert not optional.allow([TEI + "p", TEI + "annotation"])  # annotation requires an xml:id
    assert not optional.allow([TEI + "nonexistent"])
    grammar = etree.fromstring(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><ref name="r"/></start>'
        '<define name="r"><element name="r"><ref name="ids"/><zeroOrMore><choice><ref name="a"/><ref name="b"/>'
        '<ref name="c"/></choice></zeroOrMore></element></define>'
        '<define name="ids"><optional><attribute name="xml:id"><text/></attribute></optional></define>'
        '<define name="a"><element name="a"><choice><group><optional><attribute name="xml:id"/></optional>'
        '<empty/></group><attribute name="n"/></choice></element></define>'  # dropping it may switch branches
        '<define name="b"><element name="b"><optional><attribute name="xml:id"><value>x</value></attribute>'
        '</optional></element></define>'
        '<define name="c"><element name="c"><ref name="ids"/><zeroOrMore><attribute><anyName/></attribute>'
        '</zeroOrMore></element></define></grammar>')
    plain = OptionalIds(grammar)
    assert plain.allow(["r"]) and not plain.allow(["a"]) and not plain.allow(["b"]) and not plain.allow(["c"])


def test_only_documents_with_xml_ids_on_most_tags_are_worth_it():
    assert WrittenIds(b'<l xml:id="l1">line</l>' * 100).worth_removing
    assert WrittenIds(b'<l xml:id="l1">' + b"a long line of verse " * 100 + b"</l>").worth_removing
    assert not WrittenIds(b'<p xml:id="p1">a <hi>b</hi> <name>c</name> d</p>').worth_removing
    assert not WrittenIds(b"<l>line</l>").worth_removing


@pytest.fixture(scope="module")
def checkers():
    """One checker that tries the shortcut on every document however few its xml:ids (and notes
    whether it gave the diagnostics), one that never does."""
    dense, plainids._TAGS_PER_ID = plainids._TAGS_PER_ID, 10 ** 9
    fast, slow = Checker(Settings(schema=TEI_ALL)), Checker(Settings(schema=TEI_ALL))
    shortcut = fast._check_without_ids

    def noting(*args):
        found, parses = shortcut(*args)
        fast.taken = found is not None
        return found, parses

    fast._check_without_ids = noting
    yield fast, slow
    plainids._TAGS_PER_ID = dense


def both(checkers, data: bytes, tmp_path) -> tuple[list, list, bool]:
    """Diagnostics with the shortcut and without, and whether the shortcut was taken."""
    fast, slow = checkers
    path = tmp_path / "d.xml"
    path.write_bytes(data)
    fast._without_ids = [0, 0]
    slow._without_ids = [0, 10 ** 9]
    fast.taken = False
    found = fast.check(path, "d.xml")
    return found, slow.check(path, "d.xml"), fast.taken


SCHEMATRON_FAILURES = [
    ("l-in-hi-in-l", '<lg><l xml:id="v1">a <hi xml:id="h1"><l xml:id="v2">b</l></hi></l></lg>'),
    ("link-one-target", '<p xml:id="x1"><link target="#x1"/></p>'),
    ("two-on-a-line", '<p xml:id="x2"><link xml:id="k1" target="#x2"/> <link n="2" xml:id="k2" target="#x1"/></p>'),
    ("p-in-figure-in-p", '<p xml:id="x3">a <figure xml:id="f1"><p xml:id="x4">b</p></figure></p>'),
]


def test_the_same_diagnostics_with_and_without_the_shortcut(checkers, tmp_path):
    docs = documents() + [(name, BASE.replace("<head>A letter</head>", "<head>A letter</head>" + body, 1).encode())
                          for name, body in SCHEMATRON_FAILURES]
    # an xml:id after a line break stays (elements keep their lines): the file is checked as written
    docs.append(("id-after-newline", docs[-2][1].replace(b'n="2" xml:id="k2"', b'n="2"\n xml:id="k2"')))
    taken = []
    for name, data in docs:
        fast, slow, used = both(checkers, data, tmp_path)
        assert fast == slow, name
        if used:
            taken.append(name)
    assert len(taken) >= len(docs) // 2, taken  # the shortcut was really taken on most of them
    assert {name for name, _ in SCHEMATRON_FAILURES} <= set(taken)  # their Schematron ran on the document as written


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["attribute", "spaced", "comment", "tag in comment", "other attribute", "text"]),
                          st.sampled_from(['"', "'"]), st.sampled_from(ID_VALUES)), max_size=6))
def test_random_xml_ids_give_the_same_diagnostics_either_way(checkers, tmp_path, ids):
    fast, slow, _ = both(checkers, with_ids(ids), tmp_path)
    assert fast == slow


def test_patterns_that_read_xml_ids_run_on_the_document_as_written(tmp_path):
    """A pattern that names xml:id sees the file as written; the others may run on the tree
    without its xml:ids, whose elements keep their lines and columns."""
    patterns = {"no-x-ids": """<pattern id="no-x-ids"><rule context="tei:*[starts-with(@xml:id, 'x')]">
                 <report test="true()">no xml:id may start with x</report></rule></pattern>""",
                "no-links-in-p": """<pattern id="no-links-in-p"><rule context="tei:p/tei:link">
                 <report test="true()">no link in a paragraph</report></rule></pattern>"""}
    body = '<p xml:id="x1">a <link target="#x1 #x1"/></p><p xml:id="y1">b <link target="#y1 #y1"/></p>'
    path = tmp_path / "d.xml"
    path.write_bytes(BASE.replace("<head>A letter</head>", "<head>A letter</head>" + body, 1).encode())
    for names, messages, parsed in ((["no-x-ids", "no-links-in-p"], ["no link in a paragraph"] * 2
                                     + ["no xml:id may start with x"], 2),
                                    (["no-links-in-p"], ["no link in a paragraph"] * 2, 1)):
        sch = tmp_path / "rules.sch"
        sch.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
                       '<ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>'
                       + "".join(patterns[n] for n in names) + "</schema>", encoding="utf-8")
        fast, slow = (Checker(Settings(schema=TEI_ALL, schematron_files=[sch])) for _ in range(2))
        validator = fast._schematron(fast.schema(TEI_ALL))
        assert validator.blind_to_xml_ids([validator.idents.index(n) for n in names]) is (parsed == 1)
        parses = []
        shortcut = fast._check_without_ids
        fast._check_without_ids = lambda *args: (lambda r: (parses.append(r[1]), r)[1])(shortcut(*args))
        slow._without_ids = [0, 10 ** 9]
        found = fast.check(path, "d.xml")
        assert found == slow.check(path, "d.xml")
        assert parses == [parsed]
        assert sorted(d.message for d in found if d.rule == "schematron") == messages
        assert {(d.line, d.column) for d in found if d.message.startswith("no link")} == {(20, 47), (20, 92)}
