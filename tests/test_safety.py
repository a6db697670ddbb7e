"""Bad and hostile input: one clear line with file:line:column, exit code 2, nothing leaked, no traceback."""

from __future__ import annotations

import re
import time

import pytest

from conftest import run_edition

SRC = "tei/source.xml"
LOCATED = re.compile(r"^\S+:\d+:\d+: error: .+")


def _run_bad(mini, content: bytes | str, file: str = SRC):
    path = mini / file
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    start = time.monotonic()
    proc = run_edition("validate", "--root", str(mini))
    elapsed = time.monotonic() - start
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert elapsed < 30
    return lines[0]


def test_malformed_xml_reports_line_and_column(mini):
    text = (mini / SRC).read_text(encoding="utf-8")
    broken = text.replace("<head><s xml:id=\"nb.ch01.head\">", "<head><s xml:id=\"nb.ch01.head\"", 1)
    line = _run_bad(mini, broken)
    assert LOCATED.match(line), line
    assert line.startswith("tei/source.xml:")
    assert "malformed XML" in line and "hint:" in line


def test_external_entity_probe_leaks_nothing(mini, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    probe = (f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
             '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><p>&xxe;</p></body></text></TEI>')
    line = _run_bad(mini, probe)
    assert "TOP-SECRET" not in line
    assert "not allowed" in line and LOCATED.match(line)


def test_entity_expansion_bomb_is_refused_quickly(mini):
    lol = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY l0 "lol">{lol}]>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">&l9;</TEI>'
    line = _run_bad(mini, bomb)
    assert "not allowed" in line


def test_external_dtd_and_network_loads_are_refused(mini):
    line = _run_bad(mini, '<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "http://127.0.0.1:9/tei.dtd">\n'
                          '<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    assert "not allowed" in line


def test_a_doctype_anywhere_in_the_prolog_is_refused_and_entity_text_elsewhere_is_not():
    """Entities can only be declared in a document type declaration, which can only stand before
    the root element: that is where it is looked for, however long the comments before it."""
    from edition.errors import EditionError
    from edition.xmlsafe import parse_bytes

    root = '<TEI xmlns="http://www.tei-c.org/ns/1.0"/>'
    for prolog in ('<?xml version="1.0"?>\n<!-- ' + "x" * 10000 + ' -->\n<?pi x?>\n',
                   '\ufeff<!-- a -->  ', ''):
        for doctype in ('<!DOCTYPE TEI [<!ENTITY a "b">]>', '<!DOCTYPE TEI SYSTEM "tei.dtd">'):
            data = (prolog + doctype + "\n" + root).encode("utf-8")
            with pytest.raises(EditionError, match="not allowed") as caught:
                parse_bytes(data, "d.xml")
            assert caught.value.line == prolog.count("\n") + 1
        assert parse_bytes((prolog + "<!DOCTYPE TEI>\n" + root).encode("utf-8"), "d.xml").getroot().tag.endswith("TEI")
    commented = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><!-- write <!ENTITY x "y"> in the DTD --></TEI>'
    assert parse_bytes(commented.encode("utf-8"), "d.xml").getroot().tag.endswith("TEI")


def test_wrong_encoding_is_named(mini):
    line = _run_bad(mini, '<?xml version="1.0" encoding="ISO-8859-1"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"/>'.encode("latin-1"))
    assert "ISO-8859-1" in line and "UTF-8" in line


def test_invalid_utf8_bytes_are_located(mini):
    line = _run_bad(mini, b'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <p>bl\xe5b\xe6r</p></TEI>')
    assert line.startswith("tei/source.xml:3:") and "UTF-8" in line


def test_empty_file(mini):
    line = _run_bad(mini, "")
    assert "empty" in line and line.startswith("tei/source.xml")


def test_non_tei_root(mini):
    line = _run_bad(mini, '<?xml version="1.0"?>\n<html><body/></html>')
    assert "not a TEI document" in line and LOCATED.match(line)


def test_missing_file(mini):
    (mini / SRC).unlink()
    proc = run_edition("validate", "--root", str(mini))
    assert proc.returncode == 2 and "no such file" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("tei/source.xml")


def test_missing_folder(tmp_path):
    proc = run_edition("validate", "--root", str(tmp_path / "nowhere"))
    assert proc.returncode == 2 and "edition.toml" in proc.stderr and "Traceback" not in proc.stderr


def test_no_edition_found_from_the_current_folder(tmp_path):
    proc = run_edition("validate", cwd=tmp_path)
    assert proc.returncode == 2 and "no edition.toml" in proc.stderr


def test_broken_config(mini):
    (mini / "edition.toml").write_text("[files\nsource = 1", encoding="utf-8")
    proc = run_edition("validate", "--root", str(mini))
    assert proc.returncode == 2 and "invalid TOML" in proc.stderr


@pytest.mark.parametrize("args", [["validate", "--format", "yaml"], ["validate", "--rule", "no-such-rule"],
                                  ["validate", "--explain", "no-such-rule"]])
def test_usage_errors_exit_2(mini, args):
    proc = run_edition(*args, "--root", str(mini))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_a_bare_doctype_is_harmless_and_accepted(mini):
    path = mini / SRC
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("<TEI ", "<!DOCTYPE TEI>\n<TEI ", 1), encoding="utf-8")
    proc = run_edition("validate", "--root", str(mini))
    assert proc.returncode == 0, proc.stdout + proc.stderr
