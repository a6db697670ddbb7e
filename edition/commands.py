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


def run_build(root: Path | None, output: Path | None, site: bool, pdf: bool, paper: str, facing: bool) -> str:
    """Build the site and/or the PDF; returns a one-line report."""
    from .build import BuildOptions, build

    if not site and not pdf:
        raise EditionError("--pdf-only and --no-pdf leave nothing to build")
    config = load_config(root)
    target = build(config, BuildOptions(output or config.output, site=site, pdf=pdf, paper=paper, facing=facing))
    parts = [p for p, on in (("site", site), ("PDF", pdf)) if on]
    return f"built {' and '.join(parts)} in {target}"


def run_spellcheck(root: Path | None, fmt: str) -> tuple[str, int]:
    """Spell-check the corrected source reading; exit code 1 when unknown words remain."""
    import json

    from .loader import load_edition
    from .spelling import read_allowlist, spellcheck

    config = load_config(root)
    unknown = spellcheck(load_edition(config), read_allowlist(config.spelling_allowlist))
    if fmt == "json":
        output = json.dumps([{"word": u.word, "sentence": u.sentence, "path": u.loc.path, "line": u.loc.line,
                              "column": u.loc.column, "suggestions": list(u.suggestions)} for u in unknown],
                            ensure_ascii=False, indent=2)
    else:
        lines = [f"{u.loc}: warning: [spelling] unknown word {u.word!r} in {u.sentence}"
                 + (f" (suggestions: {', '.join(u.suggestions)})" if u.suggestions else "") for u in unknown]
        lines.append(f"{len(unknown)} unknown word(s)" if unknown else "no unknown words")
        output = "\n".join(lines)
    return output, 1 if unknown else 0


def run_stats(root: Path | None, fmt: str, spelling: bool) -> str:
    """The edition's statistics as text or JSON."""
    import json

    from .loader import load_edition
    from .stats import edition_stats, format_stats

    config = load_config(root)
    edition = load_edition(config)
    leftovers = None
    if spelling:
        from .spelling import read_allowlist, spellcheck

        leftovers = len(spellcheck(edition, read_allowlist(config.spelling_allowlist)))
    data = edition_stats(edition, leftovers)
    return json.dumps(data, ensure_ascii=False, indent=2) if fmt == "json" else format_stats(data)
