"""Diagnostics and their output formats: text (for people), json, junit and github (for CI)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One finding: where, how bad, which rule, what is wrong and how to fix it."""

    path: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str
    hint: str = ""

    def sort_key(self):
        return (self.path, self.line, self.column, self.rule, self.message)


def summary(diagnostics: list[Diagnostic], files: int) -> str:
    counts = Counter(d.severity for d in diagnostics)
    errors, warnings = counts.get("error", 0), counts.get("warning", 0)
    if not errors and not warnings:
        return f"{files} file(s) checked: no problems"
    return f"{files} file(s) checked: {errors} error(s), {warnings} warning(s)"


def format_text(diagnostics: list[Diagnostic], files: int, colour: bool = False) -> str:
    """`path:line:column: error|warning: [rule] message`, a hint line under each, then a summary."""
    paint = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "hint": "\x1b[2m", "end": "\x1b[0m"}
    lines = []
    for d in diagnostics:
        sev = f"{paint[d.severity]}{d.severity}{paint['end']}" if colour else d.severity
        lines.append(f"{d.path}:{d.line}:{d.column}: {sev}: [{d.rule}] {d.message}")
        if d.hint:
            hint = f"  hint: {d.hint}"
            lines.append(f"{paint['hint']}{hint}{paint['end']}" if colour else hint)
    lines.append(summary(diagnostics, files))
    return "\n".join(lines)


def format_json(diagnostics: list[Diagnostic], files: int) -> str:
    counts = Counter(d.severity for d in diagnostics)
    return json.dumps({
        "files": files,
        "errors": counts.get("error", 0),
        "warnings": counts.get("warning", 0),
        "diagnostics": [asdict(d) for d in diagnostics],
    }, ensure_ascii=False, indent=2)


def escape(text: str) -> str:
    """Text as XML character data (xml.sax.saxutils' escape, which imports urllib.request: 15 ms)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(value: str) -> str:
    """A double-quoted XML attribute value; tabs and line ends kept as character references."""
    escaped = escape(value).replace('"', "&quot;")
    return '"' + escaped.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def format_junit(diagnostics: list[Diagnostic], files: list[str]) -> str:
    """JUnit XML: one test case per file; each problem of a file is a failure in its case."""
    by_file: dict[str, list[Diagnostic]] = {f: [] for f in files}
    for d in diagnostics:
        by_file.setdefault(d.path, []).append(d)
    failures = sum(1 for ds in by_file.values() if any(d.severity == "error" for d in ds))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="edition validate" tests="{len(by_file)}" failures="{failures}">',
           f'  <testsuite name="edition validate" tests="{len(by_file)}" failures="{failures}" errors="0">']
    for path, ds in by_file.items():
        out.append(f'    <testcase classname="edition.validate" name={quoteattr(path)}>')
        for d in ds:
            tag = "failure" if d.severity == "error" else "system-out"
            text = escape(f"{d.path}:{d.line}:{d.column}: {d.severity}: [{d.rule}] {d.message}"
                          + (f"\nhint: {d.hint}" if d.hint else ""))
            if tag == "failure":
                out.append(f'      <failure type={quoteattr(d.rule)} message={quoteattr(d.message)}>{text}</failure>')
            else:
                out.append(f"      <system-out>{text}</system-out>")
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out)


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(diagnostics: list[Diagnostic], files: int) -> str:
    """GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`."""
    lines = []
    for d in diagnostics:
        props = f"file={_gh_escape(d.path, True)},line={d.line},col={d.column},title={_gh_escape(d.rule, True)}"
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        lines.append(f"::{d.severity} {props}::{_gh_escape(message)}")
    lines.append(summary(diagnostics, files))
    return "\n".join(lines)
