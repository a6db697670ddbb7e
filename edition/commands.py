"""What each CLI command does, as plain functions returning text and an exit code."""

from __future__ import annotations

from pathlib import Path

from .config import load_config
from .diagnostics import format_github, format_json, format_junit, format_text
from .errors import EditionError
from .rules import RULES
from .validate import validate_edition


def run_validate(root: Path | None, fmt: str, strict: bool, rules: list[str], colour: bool) -> tuple[str, int]:
    """Validate an edition; (output, exit code) with 0 clean, 1 problems."""
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise EditionError(f"unknown rule(s) {', '.join(unknown)}", hint="`edition validate --explain all` lists them")
    report = validate_edition(load_config(root), rules or None)
    files = len(report.files)
    if fmt == "json":
        output = format_json(report.diagnostics, files)
    elif fmt == "junit":
        output = format_junit(report.diagnostics, report.files)
    elif fmt == "github":
        output = format_github(report.diagnostics, files)
    else:
        output = format_text(report.diagnostics, files, colour)
    return output, 1 if report.failed(strict) else 0


def run_explain(rule_id: str) -> str:
    """The documentation of one rule, or of all."""
    if rule_id == "all":
        return "\n".join(f"{r.id:22} {r.severity:8} {r.summary}" for r in RULES.values())
    if rule_id not in RULES:
        raise EditionError(f"unknown rule {rule_id!r}", hint="`edition validate --explain all` lists the rules")
    r = RULES[rule_id]
    return f"{r.id} ({r.severity})\n{r.summary}\n\n{r.explanation}"
