"""Every validation rule: the clean mini edition passes it, a broken copy fails it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import edit, run_edition
from edition.rules import RULES

SRC = "tei/source.xml"
EN = "translations/source.en.xml"
AL = "translations/alignment.xml"
PERS = "tei/persons.xml"

# (rule, file, old text, new text) — each mutation must make exactly that rule report.
BREAKS = [
    ("schema", SRC, '<quote><s xml:id="nb.ch01.q1.s1">"Vær forvisset om at vår hånd ikke vil skjelve".</s></quote>',
     '<quotation><s xml:id="nb.ch01.q1.s1">"Vær forvisset om at vår hånd ikke vil skjelve".</s></quotation>'),
    ("schema", SRC, '<head><s xml:id="nb.ch01.head">FEBRUARREVOLUSJONEN (MARSREVOLUSJONEN)</s></head>',
     "<head>FEBRUARREVOLUSJONEN (MARSREVOLUSJONEN)</head>"),
    ("id-unique", EN, 'xml:id="en.ch01.q1.s1"', 'xml:id="nb.ch01.q1.s1"'),
    ("id-unique", PERS, 'xml:id="pers.stalin"', 'xml:id="nb.ch02.p1.s1"'),
    ("pointer-resolves", SRC, 'ref="pers:stalin"', 'ref="pers:stalinn"'),
    ("pointer-resolves", SRC, 'target="#claim.ch02.1"', 'target="#claim.ch02.9"'),
    ("pointer-resolves", AL, '"nb:ch02.p1.s2 en:ch02.p1.s2"', '"nb:ch02.p1.s2 en:ch02.p1.s3"'),
    ("choice-complete", SRC, "<corr>dvs.</corr>", "<corr></corr>"),
    ("choice-complete", SRC, "<choice><orig>Nikolai</orig><reg>Nikolaj</reg></choice>", "<choice><orig>Nikolai</orig><corr>Nikolaj</corr></choice>"),
    ("name-registered", SRC, '<orgName ref="org:nrk">NRK</orgName>', '<persName ref="org:nrk">NRK</persName>'),
    ("name-registered", SRC, '<persName ref="pers:stalin">', "<persName>"),
    ("register-used", PERS, "</listPerson>",
     '<person xml:id="pers.lenin"><persName xml:lang="nb">Vladimir Iljitsj Lenin</persName></person></listPerson>'),
    ("factcheck-complete", SRC, ' ana="#verdict.incorrect"', ""),
    ("factcheck-complete", SRC, '<p xml:lang="nb">Stalin ble generalsekretær 3. april 1922, ikke 28. desember 1922.</p>', ""),
    ("factcheck-complete", SRC, 'ana="#verdict.incorrect"', 'ana="#julian"'),
    ("date-valid", SRC, '<date when="1922-12-30">', '<date when="1922-02-30">'),
    ("date-valid", SRC, 'when="1917-03-08" when-custom="1917-02-23"', 'when="1917-03-09" when-custom="1917-02-23"'),
    ("date-valid", SRC, '<date when="1922-12-28">', '<date>'),
    ("date-agrees", SRC, '<date when="1922-12-30">30.12.1922', '<date when="1922-12-31">30.12.1922'),
    ("not-empty", SRC, '<s xml:id="nb.ch01.q1.s1">"Vær forvisset om at vår hånd ikke vil skjelve".</s>',
     '<s xml:id="nb.ch01.q1.s1"></s>'),
    ("structure-parallel", EN, 'xml:id="en.ch02"', 'xml:id="en.ch03"'),
    ("align-coverage", AL, '<link target="nb:ch02.p1.s2 en:ch02.p1.s2"/>', ""),
    ("align-coverage", AL, '<link target="nb:ch02.p1.s2 en:ch02.p1.s2"/>',
     '<link target="nb:ch02.p1.s2 en:ch02.p1.s2"/><link target="nb:ch02.p1.s2 en:ch02.p1.s2"/>'),
    ("align-shape", AL, '<link target="nb:ch02.p1.s1 en:ch02.p1.s1"/>\n      <link target="nb:ch02.p1.s2 en:ch02.p1.s2"/>',
     '<link target="nb:ch02.p1.s1 nb:ch02.p1.s2 en:ch02.p1.s1 en:ch02.p1.s2"/>'),
    ("align-shape", AL, '<link target="nb:ch01.p1.s1 en:ch01.p1.s1"/>', '<link target="en:ch01.p1.s1 nb:ch01.p1.s1"/>'),
    ("align-shape", AL, '<link target="nb:ch01.p1.s2 en:ch01.p1.s2a en:ch01.p1.s2b"/>\n      <link target="nb:ch01.q1.s1 en:ch01.q1.s1"/>',
     '<link target="nb:ch01.p1.s2 en:ch01.p1.s2a en:ch01.q1.s1"/>\n      <link target="nb:ch01.q1.s1 en:ch01.p1.s2b"/>'),
    ("align-order", AL, '<link target="nb:ch02.p1.s1 en:ch02.p1.s1"/>\n      <link target="nb:ch02.p1.s2 en:ch02.p1.s2"/>',
     '<link target="nb:ch02.p1.s2 en:ch02.p1.s2"/>\n      <link target="nb:ch02.p1.s1 en:ch02.p1.s1"/>'),
    ("align-order", AL, '<link target="nb:ch02.p1.s1 en:ch02.p1.s1"/>\n      <link target="nb:ch02.p1.s2 en:ch02.p1.s2"/>',
     '<link target="nb:ch02.p1.s1 en:ch02.p1.s2"/>\n      <link target="nb:ch02.p1.s2 en:ch02.p1.s1"/>'),
    ("qa-numbers", EN, '<date when="1922-12-30">30 December 1922</date>', "30 December 1923"),
    ("qa-persons", EN, '<persName ref="pers:stalin">Joseph Stalin</persName>', "Joseph Stalin"),
    ("qa-length", EN, "This treaty was unanimously approved and signed on",
     "This treaty, after long and bitter negotiations between the delegations of the four republics, "
     "which lasted for many weeks in the cold Moscow winter and were reported in every newspaper, was unanimously approved and signed on"),
]


def validate_json(root: Path) -> tuple[int, dict]:
    proc = run_edition("validate", "--format", "json", "--root", str(root))
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_mini_edition_is_clean(mini):
    code, report = validate_json(mini)
    assert code == 0, report["diagnostics"]
    assert report["errors"] == 0 and report["warnings"] == 0


@pytest.mark.parametrize("rule,file,old,new", BREAKS, ids=[f"{b[0]}-{i}" for i, b in enumerate(BREAKS)])
def test_rule_catches_its_break(mini, rule, file, old, new):
    edit(mini / file, old, new)
    code, report = validate_json(mini)
    found = [d for d in report["diagnostics"] if d["rule"] == rule]
    assert found, f"{rule} did not report; got {[(d['rule'], d['message']) for d in report['diagnostics']]}"
    d = found[0]
    assert d["path"] and d["line"] > 0 and d["message"]
    assert d["severity"] == RULES[rule].severity
    assert code == (1 if any(x["severity"] == "error" for x in report["diagnostics"]) else 0)


def test_every_rule_has_a_failing_fixture_and_an_explanation():
    checked = {b[0] for b in BREAKS}
    runnable = {r.id for r in RULES.values()} - {"xml"}  # xml: see test_safety.py
    assert runnable <= checked, f"rules without a failing fixture: {runnable - checked}"
    for rule_id in RULES:
        proc = run_edition("validate", "--explain", rule_id)
        assert proc.returncode == 0
        assert rule_id in proc.stdout and len(proc.stdout.splitlines()) >= 3


def test_qa_warning_can_be_explained_on_the_link(mini):
    edit(mini / EN, '<date when="1922-12-30">30 December 1922</date>', "30 December 1923")
    edit(mini / AL, "<listPrefixDef>",
         '<classDecl><taxonomy xml:id="qa"><category xml:id="qa.checked"><catDesc>Checked by an editor</catDesc>'
         "</category></taxonomy></classDecl><listPrefixDef>")
    edit(mini / AL, '<link target="nb:ch02.p1.s2 en:ch02.p1.s2"/>',
         '<link target="nb:ch02.p1.s2 en:ch02.p1.s2" ana="#qa.checked"/>')
    code, report = validate_json(mini)
    assert code == 0 and report["warnings"] == 0, report["diagnostics"]
