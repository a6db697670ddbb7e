"""The `edition` command. It parses options and calls the library; nothing else lives here."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import EditionError


class _Group(click.Group):
    """Turns EditionError into one line on stderr and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except EditionError as exc:
            click.echo(str(exc), err=True)
            sys.exit(2)


root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="The edition's folder (default: the nearest folder with edition.toml).")


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="edition")
def main() -> None:
    """Bilingual scholarly editions in TEI P5: validate, align, build, export."""


@main.command()
@root_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]), default="text",
              show_default=True, help="Output format.")
@click.option("--strict", is_flag=True, help="Treat warnings as failures.")
@click.option("--rule", "rules", multiple=True, help="Run only this rule (repeatable).")
@click.option("--explain", metavar="RULE", help="Explain a rule and exit; 'all' lists every rule.")
@click.option("--schema", metavar="SCHEMA", help="Validate PATHs against this RelaxNG schema (.rng, .rnc, or "
              "'tei_all'); default: each file's <?xml-model?>.")
@click.option("--schematron", "schematron", multiple=True, type=click.Path(path_type=Path),
              help="Also check this ISO Schematron (.sch) file (repeatable).")
@click.option("--phase", metavar="PHASE", default=None,
              help="Check only this phase's patterns of the --schematron files ('#ALL': all; default: "
                   "each file's defaultPhase).")
@click.option("--no-embedded-schematron", is_flag=True, help="Skip the Schematron embedded in the RelaxNG schema.")
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep results here; unchanged files (same content, schema, version) are not revalidated.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(root: Path | None, fmt: str, strict: bool, rules: tuple[str, ...], explain: str | None,
             schema: str | None, schematron: tuple[Path, ...], phase: str | None, no_embedded_schematron: bool,
             jobs: int | None,
             cache: Path | None, paths: tuple[Path, ...]) -> None:
    """Validate the edition (schema and editorial-policy rules), or any XML files and folders
    (PATHS) against a RelaxNG schema and its Schematron."""
    from .commands import run_explain, run_validate
    from .rng.progress import wanted

    if explain:
        click.echo(run_explain(explain))
        return
    output, code = run_validate(root, fmt, strict, list(rules), colour=sys.stdout.isatty(), paths=list(paths),
                                schema=schema, schematron=list(schematron), jobs=jobs, cache=cache,
                                progress=wanted(), embedded_schematron=not no_embedded_schematron, phase=phase)
    click.echo(output)
    sys.exit(code)


@main.command()
@root_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def spellcheck(root: Path | None, fmt: str) -> None:
    """List unknown words of the corrected source reading (hunspell nb_NO), with suggestions."""
    from .commands import run_spellcheck

    output, code = run_spellcheck(root, fmt)
    click.echo(output)
    sys.exit(code)


@main.command()
@root_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--no-spelling", is_flag=True, help="Skip counting spell-check leftovers.")
def stats(root: Path | None, fmt: str, no_spelling: bool) -> None:
    """Count chapters, sentences, corrections, names, dates and fact-checks."""
    from .commands import run_stats

    click.echo(run_stats(root, fmt, spelling=not no_spelling))


@main.command()
@root_option
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: [build] output in edition.toml, else _site).")
@click.option("--pdf-only", is_flag=True, help="Build only the PDF (the site in the output folder is kept).")
@click.option("--no-pdf", is_flag=True, help="Build only the site.")
@click.option("--paper", type=click.Choice(["a4", "us-letter"]), default="a4", show_default=True, help="PDF paper size.")
@click.option("--facing", is_flag=True, help="PDF with facing pages: Norwegian verso, English recto.")
def build(root: Path | None, output: Path | None, pdf_only: bool, no_pdf: bool, paper: str, facing: bool) -> None:
    """Build the static parallel web edition and the PDF."""
    from .commands import run_build

    click.echo(run_build(root, output, site=not pdf_only, pdf=not no_pdf, paper=paper, facing=facing))


@main.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("translation", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the TEI alignment (default: stdout, with the summary on stderr).")
@click.option("--reference", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A hand alignment of the same texts: report precision and recall against it.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.8, show_default=True,
              help="List the links whose confidence is below this.")
@click.option("--reading", type=click.Choice(["corrected", "diplomatic"]), default="corrected", show_default=True,
              help="The reading of the source whose lengths are compared.")
@click.option("--no-anchors", is_flag=True, help="Use lengths only (no shared figures, dates, names, marks).")
@click.option("--no-divisions", is_flag=True, help="Do not use matching divisions as boundaries.")
@click.option("--no-paragraphs", is_flag=True, help="Do not prefer links that end paragraphs on both sides.")
def align(source: Path, translation: Path, output: Path | None, reference: Path | None, threshold: float,
          reading: str, no_anchors: bool, no_divisions: bool, no_paragraphs: bool) -> None:
    """Propose a sentence alignment of SOURCE and TRANSLATION (TEI texts with s/@xml:id)."""
    from .commands import run_align

    document, summary = run_align(source, translation, output, reference, anchors=not no_anchors,
                                  divisions=not no_divisions, paragraphs=not no_paragraphs, reading=reading,
                                  threshold=threshold)
    if document is not None:
        sys.stdout.buffer.write(document)
        sys.stdout.flush()
        click.echo(summary, err=True)
    else:
        click.echo(summary)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the segmented text (default: stdout, with the report on stderr).")
@click.option("--lang", default=None, help="Language prefix of the new ids (default: the text's xml:lang).")
@click.option("--evaluate", is_flag=True,
              help="Do not write: segment a copy of an already segmented FILE and report the agreement.")
def segment(file: Path, output: Path | None, lang: str | None, evaluate: bool) -> None:
    """Split the paragraphs of FILE that have no <s> yet into <s xml:id> sentences."""
    from .commands import run_segment

    document, report = run_segment(file, output, lang, evaluate)
    if document is not None:
        sys.stdout.buffer.write(document)
        sys.stdout.flush()
        click.echo(report, err=True)
    else:
        click.echo(report)


@main.group()
def export() -> None:
    """Export the aligned pairs (tmx, json, csv) or a text (text)."""


output_option = click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
                             help="Output file (default: stdout).")
reading_option = click.option("--reading", type=click.Choice(["corrected", "diplomatic"]), default="corrected",
                              show_default=True, help="The reading of the source text.")


def _emit(fmt: str, root: Path | None, output: Path | None, reading: str, lang: str | None = None) -> None:
    from .commands import run_export

    data, report = run_export(root, fmt, output, reading, lang)
    if data is not None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        click.echo(report, err=True)


@export.command("tmx")
@root_option
@output_option
@reading_option
def export_tmx(root: Path | None, output: Path | None, reading: str) -> None:
    """TMX 1.4b translation memory of the aligned pairs (source → translation)."""
    _emit("tmx", root, output, reading)


@export.command("json")
@root_option
@output_option
@reading_option
def export_json(root: Path | None, output: Path | None, reading: str) -> None:
    """The aligned pairs with their ids as JSON."""
    _emit("json", root, output, reading)


@export.command("csv")
@root_option
@output_option
@reading_option
def export_csv(root: Path | None, output: Path | None, reading: str) -> None:
    """The aligned pairs with their ids as CSV (UTF-8, a header row)."""
    _emit("csv", root, output, reading)


@export.command("text")
@root_option
@output_option
@reading_option
@click.option("--lang", default=None, help="Which text: the source language (default) or the translation's.")
def export_text(root: Path | None, output: Path | None, reading: str, lang: str | None) -> None:
    """A text as plain text: a line per paragraph, a blank line between paragraphs."""
    _emit("text", root, output, reading, lang)


@main.command()
@root_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", "-p", type=int, default=8000, show_default=True, help="Port (0 picks a free one).")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: [build] output in edition.toml, else _site).")
@click.option("--no-watch", is_flag=True, help="Do not rebuild when a file changes.")
def serve(root: Path | None, host: str, port: int, output: Path | None, no_watch: bool) -> None:
    """Preview the web edition locally, rebuilding it when a source file or template changes."""
    from .commands import run_serve

    run_serve(root, host, port, output, watch=not no_watch, report=click.echo)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="My edition", show_default=True, help="The edition's title.")
@click.option("--source-lang", default="nb", show_default=True, help="Language code of the source text.")
@click.option("--translation-lang", default="en", show_default=True, help="Language code of the translation.")
def new(folder: Path, title: str, source_lang: str, translation_lang: str) -> None:
    """Create a new edition project in FOLDER that validates and builds as it is."""
    from .commands import run_new

    click.echo(run_new(folder, title, source_lang, translation_lang))


if __name__ == "__main__":
    main()
