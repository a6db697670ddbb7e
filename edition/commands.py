"""What each CLI command does, as plain functions returning text and an exit code."""

from __future__ import annotations

from pathlib import Path

from .config import load_config
from .diagnostics import format_github, format_json, format_junit, format_text
from .errors import EditionError
from .rules import RULES
from .validate import validate_edition


def run_validate(root: Path | None, fmt: str, strict: bool, rules: list[str], colour: bool,
                 paths: list[Path] | None = None, schema: str | None = None, schematron: list[Path] | None = None,
                 jobs: int | None = None, cache: Path | None = None, progress: bool = False,
                 embedded_schematron: bool = True, phase: str | None = None) -> tuple[str, int]:
    """Validate an edition — or, given PATHs, --schema or --schematron, any XML files against a
    RelaxNG schema and Schematron; (output, exit code) with 0 clean, 1 problems."""
    if paths or schema or schematron:
        return _validate_files(root, fmt, strict, colour, list(paths or []), schema, list(schematron or []),
                               jobs, cache, progress, embedded_schematron, phase)
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


def _validate_files(root: Path | None, fmt: str, strict: bool, colour: bool, paths: list[Path], schema: str | None,
                    schematron: list[Path], jobs: int | None, cache: Path | None, progress: bool,
                    embedded_schematron: bool, phase: str | None = None) -> tuple[str, int]:
    """`edition validate [--schema S] [--schematron F] PATH…` (see docs/validator.md)."""
    from .rng.check import Settings
    from .rng.discover import discover
    from .rng.locate import resolve_schema_option
    from .rng.resultcache import default_folder
    from .rng.runner import validate_files

    if not paths:  # --schema without PATH: the edition's files, else the current folder
        try:
            paths = load_config(root).files()
        except EditionError:
            paths = [root or Path(".")]
    for sch in schematron:
        if not sch.is_file():
            raise EditionError(f"no such Schematron file {sch}")
    if jobs is not None and jobs < 1:
        raise EditionError("--jobs must be 1 or more")
    if phase and not schematron:
        raise EditionError("--phase selects patterns of --schematron files, and none was given",
                           hint="add --schematron FILE.sch, or drop --phase")
    settings = Settings(schema=resolve_schema_option(schema) if schema else None, schematron_files=schematron,
                        embedded_schematron=embedded_schematron, phase=phase, cache_dir=cache or default_folder(),
                        result_cache=cache is not None)
    files = discover(paths)
    if not files:
        raise EditionError("no XML files found", hint="name files or folders holding *.xml")
    diagnostics, shown = validate_files(files, settings, jobs=jobs, progress=progress)
    if fmt == "json":
        output = format_json(diagnostics, len(shown))
    elif fmt == "junit":
        output = format_junit(diagnostics, shown)
    elif fmt == "github":
        output = format_github(diagnostics, len(shown))
    else:
        output = format_text(diagnostics, len(shown), colour)
    failed = any(d.severity == "error" or (strict and d.severity == "warning") for d in diagnostics)
    return output, 1 if failed else 0


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


def run_align(source: Path, translation: Path, output: Path | None, reference: Path | None,
              anchors: bool = True, divisions: bool = True, paragraphs: bool = True, reading: str = "corrected",
              threshold: float = 0.8) -> tuple[bytes | None, str]:
    """Propose an alignment of two TEI texts; (the TEI document when there is no output file, the summary)."""
    from .align import AlignOptions, align_documents, describe_alignment
    from .alignscore import score_links, score_pairs
    from .linkgrp import alignment_document
    from .loader import load_document, load_links
    from .output import write_atomically

    src, tr = load_document(source, "source"), load_document(translation, "translation")
    for doc in (src, tr):
        if not doc.sentences():
            raise EditionError("no sentences with xml:id in the text", doc.display_path,
                               hint="mark sentences as <s xml:id=\"…\"> first, e.g. with `edition segment`")
    alignment = align_documents(src, tr, AlignOptions(anchors, divisions, paragraphs, reading))
    evidence = ", ".join(name for name, on in (("anchors", anchors), ("divisions", divisions),
                                               ("paragraph ends", paragraphs)) if on) or "lengths only"
    note = (f"Proposed by `edition align`: Gale–Church length model with {evidence}; @cert is the posterior "
            f"probability of each link.")
    links = [bead.as_link() for bead in alignment.beads]
    document = alignment_document(links, src, tr, (output.parent if output else Path.cwd()), note)
    lines = [describe_alignment(alignment, threshold)]
    if reference is not None:
        gold = load_links(reference, source, translation)
        lines.append(f"  compared with {reference}: links {score_links(links, gold)}; "
                     f"sentence pairs {score_pairs(links, gold)}")
    if output is None:
        return document, "\n".join(lines)
    write_atomically(output, document)
    lines.append(f"wrote {output}")
    return None, "\n".join(lines)


def run_segment(file: Path, output: Path | None, lang: str | None, evaluate: bool) -> tuple[bytes | None, str]:
    """Split the unsegmented paragraphs of a TEI text into sentences; (the document for stdout or None,
    the report). With `evaluate`, re-segment a copy of an already segmented text and report the agreement."""
    from .output import write_atomically, xml_bytes
    from .segment import segment_tree
    from .segscore import agreement
    from .xmlsafe import parse_tei_file

    parsed = parse_tei_file(file, str(file))
    if evaluate:
        result = agreement(parsed.tree, lang)
        lines = [f"{file}: {result}"]
        lines += [f"  missed {sid}: {text[:100]}" for sid, text in result.disagreements[:20]]
        return None, "\n".join(lines)
    report = segment_tree(parsed.tree, lang)
    data = xml_bytes(parsed.tree)
    if output is None:
        return data, f"{file}: {report}"
    write_atomically(output, data)
    return None, f"{file}: {report}; wrote {output}"


def run_export(root: Path | None, fmt: str, output: Path | None, reading: str = "corrected",
               lang: str | None = None) -> tuple[bytes | None, str]:
    """Export the edition as tmx, json, csv or text; (the bytes for stdout or None, a one-line report)."""
    from . import export
    from .loader import load_edition
    from .output import write_atomically

    edition = load_edition(load_config(root))
    if fmt == "tmx":
        data = export.to_tmx(edition, reading)  # type: ignore[arg-type]
    elif fmt == "json":
        data = export.to_json(edition, reading).encode("utf-8")  # type: ignore[arg-type]
    elif fmt == "csv":
        data = export.to_csv(edition, reading).encode("utf-8")  # type: ignore[arg-type]
    elif fmt == "text":
        data = export.to_text(edition, reading, lang).encode("utf-8")  # type: ignore[arg-type]
    else:
        raise EditionError(f"unknown export format {fmt!r}", hint="use tmx, json, csv or text")
    if output is None:
        return data, ""
    write_atomically(output, data)
    return None, f"wrote {fmt} to {output}"


def run_serve(root: Path | None, host: str, port: int, output: Path | None, watch: bool, report) -> None:
    """Build the site and serve it locally until interrupted, rebuilding on change."""
    from .serve import serve

    serve(root, host, port, output, watch, report=report)


def run_new(folder: Path, title: str, source_lang: str, translation_lang: str) -> str:
    """Scaffold a new edition project; returns what was made and what to do next."""
    from .scaffold import new_project

    files = new_project(folder, title, source_lang, translation_lang)
    return (f"created {len(files)} files in {folder}\n"
            f"next: cd {folder} && edition validate && edition build --no-pdf && edition serve")
