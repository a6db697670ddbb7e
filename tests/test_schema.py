"""The edition's schema is a strict subset of TEI: every file valid against it is valid against tei_all."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, REPO, TEI_ALL
from edition.schema import edition_schema
from edition.xmlsafe import parse_file


def _edition_files() -> list[Path]:
    files = sorted((REPO / "tei").glob("*.xml")) + sorted((REPO / "translations").glob("*.xml"))
    files += sorted((FIXTURES / "mini").rglob("*.xml"))
    return files


@pytest.fixture(scope="module")
def tei_all() -> etree.RelaxNG:
    assert TEI_ALL.is_file(), f"the official TEI schema is expected at {TEI_ALL}"
    return etree.RelaxNG(etree.parse(str(TEI_ALL)))


@pytest.mark.parametrize("path", _edition_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_file_is_valid_against_both_schemas(path: Path, tei_all: etree.RelaxNG):
    tree = parse_file(path)
    ours = edition_schema()
    assert ours.validate(tree), f"edition.rng: {ours.error_log}"
    assert tei_all.validate(tree), f"tei_all.rng: {tei_all.error_log}"


def test_schema_rejects_what_tei_all_rejects(tei_all: etree.RelaxNG):
    """A document tei_all refuses (an unknown element) is refused by ours too."""
    bad = parse_file(FIXTURES / "mini" / "tei" / "source.xml")
    bad.getroot().find(".//{http://www.tei-c.org/ns/1.0}quote").tag = "{http://www.tei-c.org/ns/1.0}quotation"
    assert not tei_all.validate(bad)
    assert not edition_schema().validate(bad)
