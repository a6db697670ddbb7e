"""`edition validate` as a person and a CI see it: exit codes, text, JSON, JUnit and GitHub output."""

from __future__ import annotations

import json
import re

from lxml import etree

from conftest import edit, run_edition

BREAK = ("tei/source.xml", 'target="#claim.ch02.1"', 'target="#claim.ch02.9"')
GITHUB_LINE = re.compile(r"^::(error|warning) file=[^,:]+,line=\d+,col=\d+,title=[a-z-]+::\S.*$")
TEXT_LINE = re.compile(r"^(\S+):(\d+):(\d+): (error|warning): \[([a-z-]+)\] (.+)$")


def test_clean_edition_exits_0_with_a_summary(mini):
    proc = run_edition("validate", "--root", str(mini))
    assert proc.returncode == 0
    assert proc.stdout.strip() == "6 file(s) checked: no problems"


def test_found_problems_exit_1_with_located_lines_and_hints(mini):
    edit(mini / BREAK[0], *BREAK[1:])
    proc = run_edition("validate", "--root", str(mini))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    m = TEXT_LINE.match(lines[0])
    assert m, lines[0]
    path, line, col, sev, rule, message = m.groups()
    assert (path, sev, rule) == ("tei/source.xml", "error", "pointer-resolves")
    source_line = (mini / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert source_line[int(col) - 1:].startswith("<note"), "column must point at the element"
    assert "claim.ch02.9" in message
    assert lines[1].startswith("  hint: ")
    assert lines[-1] == "6 file(s) checked: 1 error(s), 0 warning(s)"
    assert "\x1b[" not in proc.stdout, "no colour when not on a terminal"


def test_json_format(mini):
    edit(mini / BREAK[0], *BREAK[1:])
    proc = run_edition("validate", "--format", "json", "--root", str(mini))
    data = json.loads(proc.stdout)
    assert proc.returncode == 1 and data["errors"] == 1 and data["files"] == 6
    assert data["diagnostics"][0]["rule"] == "pointer-resolves"


def test_junit_format_parses_as_junit(mini):
    edit(mini / BREAK[0], *BREAK[1:])
    proc = run_edition("validate", "--format", "junit", "--root", str(mini))
    assert proc.returncode == 1
    root = etree.fromstring(proc.stdout.encode())
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == 6 == int(suite.get("tests"))
    failures = root.findall(".//failure")
    assert len(failures) == 1 == int(suite.get("failures"))
    assert failures[0].get("type") == "pointer-resolves"
    assert failures[0].getparent().get("name") == "tei/source.xml"


def test_github_format_matches_annotation_syntax(mini):
    edit(mini / BREAK[0], *BREAK[1:])
    edit(mini / "translations/source.en.xml", '<persName ref="pers:stalin">Joseph Stalin</persName>', "Joseph Stalin")
    proc = run_edition("validate", "--format", "github", "--root", str(mini))
    lines = proc.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) >= 2
    for line in annotations:
        assert GITHUB_LINE.match(line), line
    assert any(line.startswith("::warning ") for line in annotations)


def test_strict_turns_warnings_into_failure(mini):
    edit(mini / "translations/source.en.xml", '<persName ref="pers:stalin">Joseph Stalin</persName>', "Joseph Stalin")
    assert run_edition("validate", "--root", str(mini)).returncode == 0
    assert run_edition("validate", "--strict", "--root", str(mini)).returncode == 1


def test_edition_is_found_from_a_subfolder(mini):
    proc = run_edition("validate", cwd=mini / "translations")
    assert proc.returncode == 0, proc.stderr


def test_rule_selection(mini):
    edit(mini / BREAK[0], *BREAK[1:])
    proc = run_edition("validate", "--rule", "date-valid", "--root", str(mini))
    assert proc.returncode == 0


def test_explain_all_lists_every_rule():
    from edition.rules import RULES

    proc = run_edition("validate", "--explain", "all")
    assert proc.returncode == 0
    assert [line.split()[0] for line in proc.stdout.splitlines()] == list(RULES)
