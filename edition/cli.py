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
def validate(root: Path | None, fmt: str, strict: bool, rules: tuple[str, ...], explain: str | None) -> None:
    """Validate the edition: schema and editorial-policy rules."""
    from .commands import run_explain, run_validate

    if explain:
        click.echo(run_explain(explain))
        return
    output, code = run_validate(root, fmt, strict, list(rules), colour=sys.stdout.isatty())
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


if __name__ == "__main__":
    main()
