"""The specialised tei_all gives the full tei_all's verdict; mutated TEI never crashes the validator
and is never called valid when jing calls it invalid (hypothesis)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import FIXTURES, REPO, TEI_ALL
from test_validate_files import BASE, BROKEN, broken

from edition.rng.check import Checker, Settings
from edition.rng.schemas import RootNotAllowed, Schema
from edition.rng.specialise import document_names, scan_names, scan_uses
from edition.errors import EditionError
from edition.xmlsafe import parse_bytes

pytestmark = pytest.mark.skipif(not TEI_ALL.is_file(), reason="needs ../shared/tei/tei_all.rng")
TEI_FILES = sorted((REPO / "tei").glob("*.xml")) + sorted((FIXTURES / "mini").rglob("*.xml"))


@pytest.fixture(scope="session")
def schema() -> Schema:
    return Schema(TEI_ALL)


def specialised_verdict(schema: Schema, tree) -> bool:
    try:
        return schema.validator_for(*scan_uses(tree.getroot())).validate(tree)
    except RootNotAllowed:
        return False


# TEI lists shaped `head*, …, ((bibl)+, (pb|relation|listRelation)*)+`, which specialise() rewrites
# to `bibl, (bibl | pb | …)*`: valid and invalid orders of children (name → (children, valid)).
_B = "<bibl>b</bibl>"
LISTS = {
    "list-bibls": (_B * 30, True),
    "list-bibls-pb": (_B * 3 + '<pb n="2"/>' + _B * 2 + '<pb n="3"/>', True),
    "list-pb-first": ('<pb n="2"/>' + _B * 2, True),
    "list-head-bibls": ("<head>h</head>" + _B * 2, True),
    "list-pb-only": ('<pb n="2"/>', False),
    "list-empty": ("", False),
    "list-head-after-bibl": (_B + "<head>h</head>", False),
    "list-p-inside": (_B + "<p>x</p>" + _B, False),
}


def list_document(children: str) -> str:
    return BASE.replace("<p xml:id=\"p1\">", f"<p xml:id=\"p1\"><listBibl>{children}</listBibl>", 1)


def documents() -> list[tuple[str, bytes]]:
    docs = [(p.name, p.read_bytes()) for p in TEI_FILES]
    docs += [(name, broken(name).encode()) for name in BROKEN]
    docs += [(name, list_document(children).encode()) for name, (children, _) in LISTS.items()]
    # an attribute the document uses on one element, valid (rend) or not (when) on another
    docs += [("rend-on-item", BASE.replace("<item>one</item>", '<item rend="x">one</item>', 1).encode()),
             ("when-on-item", BASE.replace("<item>one</item>", '<item when="1921-03-04">one</item>', 1).encode())]
    docs += [("no-title", BASE.replace("<title>A small test letter</title>", "").encode()),
             ("no-body", BASE.replace("<body>", "<front>").replace("</body>", "</front>").encode())]
    return docs


def test_specialised_schema_gives_the_full_verdict(full_tei_all):
    fresh = Schema(TEI_ALL)  # a new schema per document: exactly its own names
    growing = Schema(TEI_ALL)  # one schema growing to the union of all names, as a worker does
    verdicts = []
    for name, data in documents():
        tree = parse_bytes(data, name)
        full = full_tei_all.validate(tree)
        assert specialised_verdict(fresh, tree) == full, name
        assert specialised_verdict(growing, tree) == full, name
        fresh = Schema(TEI_ALL)
        verdicts.append(full)
    assert any(verdicts) and not all(verdicts), "the set holds valid and invalid documents"


def test_with_xml_ids_checked_by_the_parser_the_untyped_specialisation_gives_the_full_verdict(full_tei_all):
    growing = Schema(TEI_ALL)
    assert growing.parser_checks_ids
    checked = 0
    for name, data in documents() + [("id-with-spaces", BASE.replace('xml:id="p1"', 'xml:id=" p1 "', 1).encode())]:
        full = full_tei_all.validate(parse_bytes(data, name))
        try:
            tree = parse_bytes(data, name, collect_ids=True)
        except EditionError:  # a duplicate or malformed xml:id: parsed plainly and typed as before
            assert not full, name
            continue
        checked += 1
        fresh = Schema(TEI_ALL)
        for schema in (fresh, growing):
            try:
                verdict = schema.validator_for(*scan_uses(tree.getroot()), ids_checked=True).validate(tree)
            except RootNotAllowed:
                verdict = False
            assert verdict == full, name
            if verdict:
                assert schema.accepts(tree, ids_checked=True) is not None, name
    assert checked >= len(documents()) - 2


ID_VALUES = ["p1", "p2", "p1", "a.b-c_d", "1a", "-a", "a b", " p3", "&#97;", "é", "", "a:b", 'a"', "a'b"]


def with_ids(ids: list[tuple[str, str, str]]) -> bytes:
    """The valid fixture with an element per (place, quote, value): an attribute of a new <ab>, or
    that text in a comment, another attribute's value or the text of an <ab>."""
    parts = []
    for place, quote, value in ids:
        text = value.replace("&", "&amp;").replace("<", "&lt;")
        if place == "attribute":
            if quote in value:
                continue  # not well-formed
            parts.append(f"<ab xml:id={quote}{value}{quote}>x</ab>")
        elif place == "spaced":
            parts.append(f'<ab xml:id = "{value}">x</ab>' if '"' not in value else "")
        elif place == "comment":
            parts.append(f"<!-- xml:id={quote}{value.replace('-', '_')}{quote} -->")
        elif place == "tag in comment":
            parts.append(f"<!-- <ab xml:id={quote}{value.replace('-', '_')}{quote}/> -->")
        elif place == "other attribute":
            other = "'" if quote == '"' else '"'
            parts.append(f"<ab n={other}xml:id={quote}{text.replace(other, '')}{quote}{other}>x</ab>")
        else:
            parts.append(f"<ab>xml:id={quote}{text}{quote}</ab>")
    return BASE.replace("<head>A letter</head>", "<head>A letter</head>" + "".join(parts), 1).encode()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["attribute", "spaced", "comment", "tag in comment", "other attribute", "text"]),
                          st.sampled_from(['"', "'"]), st.sampled_from(ID_VALUES)), max_size=6))
def test_xml_ids_found_plain_in_the_bytes_are_ncnames_and_unique(ids):
    """What `WrittenIds.plain` reads off the bytes never contradicts the parser: when it says every
    xml:id is an NCName and unique, libxml2 collecting them agrees (the other way round it may
    be wrong, which costs only the slower check)."""
    from edition.rng.check import _parse
    from edition.rng.plainids import WrittenIds

    data = with_ids(ids)
    try:
        parse_bytes(data, "d")
    except EditionError:
        return  # not well-formed: never validated
    if WrittenIds(data).plain:
        parse_bytes(data, "d", collect_ids=True)  # raises on a malformed or duplicate xml:id
    tree, checked = _parse(data, "d", collect_ids=True)
    real = [" ".join(v.split()) for v in tree.getroot().xpath("//@xml:id")]  # ID values are whitespace-collapsed
    assert checked is (len(set(real)) == len(real) and all(re.fullmatch(r"[^\W\d][\w.-]*", v) for v in real))


def test_plain_xml_ids_are_read_off_the_bytes():
    from edition.rng.plainids import WrittenIds

    assert WrittenIds(BASE.encode()).plain
    for place, quote, value in [("attribute", '"', "1a"), ("attribute", "'", "p9"), ("spaced", '"', "p9"),
                                ("attribute", '"', "&#97;"), ("attribute", '"', "é"), ("comment", '"', "p1"),
                                ("text", '"', "p1")]:
        assert not WrittenIds(with_ids([(place, quote, value)])).plain, (place, quote, value)
    assert WrittenIds(with_ids([("attribute", '"', "p9"), ("comment", '"', "p8")])).plain  # more names: harmless


def test_only_a_grammar_whose_ids_are_plain_xml_ids_leaves_them_to_the_parser():
    from edition.rng.specialise import ids_checked_by_parser, untype_ids

    def grammar(attributes: str) -> etree._Element:
        return etree.fromstring(f'<grammar xmlns="http://relaxng.org/ns/structure/1.0" xmlns:a="urn:a" '
                                f'datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes"><start>'
                                f'<element name="r">{attributes}<text/></element></start></grammar>')

    plain = grammar('<attribute name="xml:id"><a:doc>x</a:doc><data type="ID"/></attribute>')
    assert ids_checked_by_parser(plain)
    untype_ids(plain)
    assert not list(plain.iter("{http://relaxng.org/ns/structure/1.0}data"))
    for attributes in ('<attribute name="id"><data type="ID"/></attribute>',
                       '<attribute name="xml:id"><data type="ID"/></attribute><attribute name="r"><data type="IDREF"/></attribute>',
                       '<attribute name="xml:id"><data type="ID"><param name="pattern">a.*</param></data></attribute>',
                       '<attribute name="xml:id"><choice><data type="ID"/><value>x</value></choice></attribute>'):
        assert not ids_checked_by_parser(grammar(attributes)), attributes


def test_nested_repeats_are_unnested_with_the_same_verdicts(full_tei_all, schema):
    from edition.rng.specialise import specialise

    for name, (children, valid) in LISTS.items():
        tree = parse_bytes(list_document(children).encode(), name)
        assert full_tei_all.validate(tree) == valid, name
        assert specialised_verdict(Schema(TEI_ALL), tree) == valid, name
    tree = parse_bytes(list_document(LISTS["list-bibls-pb"][0]).encode(), "l")
    grammar = specialise(schema.grammar, document_names(tree.getroot()))
    list_bibl = next(d for d in grammar.iter("{http://relaxng.org/ns/structure/1.0}define") if d.get("name") == "listBibl")
    shapes = ["/".join(etree.QName(a).localname for a in el.iterancestors() if a is not list_bibl)
              for el in list_bibl.iter("{http://relaxng.org/ns/structure/1.0}oneOrMore")]
    assert not any("oneOrMore" in shape for shape in shapes), shapes  # no (x+ …)+ left


def test_specialised_schema_is_much_smaller(schema):
    tree = parse_bytes(FIXTURES.joinpath("validate/valid.xml").read_bytes(), "valid.xml")
    from edition.rng.specialise import specialise

    small = specialise(schema.grammar, document_names(tree.getroot()))
    full_defines = len(schema.grammar.findall("{http://relaxng.org/ns/structure/1.0}define"))
    assert len(small.findall("{http://relaxng.org/ns/structure/1.0}define")) < full_defines / 5



def test_attribute_pruning_leaves_attribute_parts_libxml2_can_set_apart(schema):
    """libxml2 compiles an element's content to an automaton only when no attribute pattern is
    left in it; an `empty` left beside attribute refs keeps them there (several times slower).
    Each element keeps only the attributes used on elements of its name."""
    from edition.rng.specialise import specialise

    tree = parse_bytes((REPO / "tei" / "sovjetunionens-historie.xml").read_bytes(), "edition")
    grammar = specialise(schema.grammar, *scan_uses(tree.getroot()))
    rng = "{http://relaxng.org/ns/structure/1.0}"
    defines = {}
    for d in grammar.iter(rng + "define"):
        defines.setdefault(d.get("name"), []).append(d)
        assert len(d) == 1 or not any(k.tag == rng + "empty" for k in d), d.get("name")
    empty_only = {n for n, ds in defines.items() if all(len(d) == 1 and d[0].tag == rng + "empty" for d in ds)}
    assert not [r.get("name") for r in grammar.iter(rng + "ref") if r.get("name") in empty_only]
    kept = {a.get("name") for a in grammar.iter(rng + "attribute")}
    assert "when" in kept and "ref" in kept and "anchored" not in kept and "facs" not in kept
    # per element: the edition dates with @when on <date> only, so <p> no longer allows it
    uses = scan_uses(tree.getroot())[1]
    tei = "{http://www.tei-c.org/ns/1.0}"
    assert (tei + "date", "when") in uses and (tei + "p", "when") not in uses
    (p,) = [e for e in grammar.iter(rng + "element") if e.get("name") == "p"]
    (date,) = [e for e in grammar.iter(rng + "element") if e.get("name") == "date"]
    assert "when" not in {a.get("name") for a in p.iter(rng + "attribute")}
    assert "when" in {a.get("name") for a in date.iter(rng + "attribute")}


def test_a_specialisation_that_accepts_a_document_skips_its_scan(full_tei_all):
    schema = Schema(TEI_ALL)
    tree = parse_bytes(BASE.encode(), "base")
    assert schema.accepts(tree) is None  # nothing compiled yet
    names, attributes = scan_names(tree.getroot())
    assert schema.validator_for(*scan_uses(tree.getroot())).validate(tree)
    seen = schema.accepts(tree)
    assert seen is not None and seen[0] >= names and seen[1] >= attributes
    # a valid attribute the specialisation has not seen: not accepted here, valid after a scan
    more = parse_bytes(BASE.replace("<item>one</item>", '<item corresp="#p1">one</item>', 1).encode(), "more")
    assert full_tei_all.validate(more)
    assert schema.accepts(more) is None
    assert specialised_verdict(schema, more)
    assert schema.accepts(more) is not None  # grown to include @corresp
    bad = parse_bytes(BASE.replace("<item>one</item>", '<item corresp="#p1" foo="y">one</item>', 1).encode(), "bad")
    assert schema.accepts(bad) is None and not specialised_verdict(schema, bad)


def test_only_a_grammar_without_wildcard_names_is_closed():
    from edition.rng.specialise import is_closed

    rng = "http://relaxng.org/ns/structure/1.0"
    named = etree.fromstring(f'<grammar xmlns="{rng}"><start><element name="a"><attribute name="b"/>'
                             f'</element></start></grammar>')
    wild = etree.fromstring(f'<grammar xmlns="{rng}"><start><element name="a"><element><anyName/><text/>'
                            f'</element></element></start></grammar>')
    wild_attribute = etree.fromstring(f'<grammar xmlns="{rng}"><start><element name="a"><attribute>'
                                      f'<nsName ns=""/></attribute></element></start></grammar>')
    assert is_closed(named) and not is_closed(wild) and not is_closed(wild_attribute)

# --- property test -------------------------------------------------------------------------------

_ELEMENTS = sorted({el.tag for el in etree.fromstring(BASE.encode()).iter() if isinstance(el.tag, str)})


@st.composite
def mutations(draw) -> bytes:
    root = etree.fromstring(BASE.encode())
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    for _ in range(draw(st.integers(1, 3))):
        el = draw(st.sampled_from(elements))
        kind = draw(st.sampled_from(["rename", "drop", "attribute", "value", "move", "text", "id"]))
        parent = el.getparent()
        if kind == "rename":
            el.tag = draw(st.sampled_from(_ELEMENTS + ["{http://www.tei-c.org/ns/1.0}bogus", "plain"]))
        elif kind == "drop" and parent is not None:
            parent.remove(el)
            elements = [e for e in root.iter() if isinstance(e.tag, str)]
        elif kind == "attribute":
            el.set(draw(st.sampled_from(["type", "when", "target", "foo", "rend", "place"])),
                   draw(st.sampled_from(["x", "#p1", "1921-13-45", "", "foot"])))
        elif kind == "value" and el.attrib:
            key = draw(st.sampled_from(sorted(el.attrib)))
            el.set(key, draw(st.sampled_from(["", "#nowhere", "1921", "a b", "p1"])))
        elif kind == "move" and parent is not None:
            target = draw(st.sampled_from(elements))
            if el not in list(target.iterancestors()) and target is not el:
                target.append(el)
        elif kind == "text":
            el.text = (el.text or "") + "stray"
        elif kind == "id":
            el.set("{http://www.w3.org/XML/1998/namespace}id", draw(st.sampled_from(["p1", "d1", "new"])))
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(Settings(schema=TEI_ALL, embedded_schematron=True))


@pytest.mark.skipif(shutil.which("jing") is None, reason="jing is not installed")
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=mutations())
def test_mutated_tei_never_crashes_and_never_passes_what_jing_rejects(checker, data, tmp_path_factory):
    path = tmp_path_factory.mktemp("mut") / "m.xml"
    path.write_bytes(data)
    diagnostics = checker.check(path, "m.xml")
    assert all(d.rule != "internal" for d in diagnostics), diagnostics
    ours_valid = not any(d.severity == "error" and d.rule in ("schema", "xml") for d in diagnostics)
    jing = subprocess.run(["jing", str(TEI_ALL), str(path)], capture_output=True, timeout=120)
    if jing.returncode != 0:
        assert not ours_valid, (data.decode(), diagnostics)
    else:
        assert ours_valid, (data.decode(), diagnostics)
