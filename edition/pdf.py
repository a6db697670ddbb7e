"""The parallel PDF edition: the model as JSON data, typeset by the Typst compiler (PyPI `typst`).

The template is `templates/pdf/edition.typ` (an edition may put its own `pdf/edition.typ` in the
folder named by `[build] templates`). Only the fonts inside the typst wheel are used (Libertinus
Serif: Latin with Norwegian letters, Cyrillic, Greek), so the output is the same on every machine.
The PDF is tagged and conforms to PDF/A-2a and PDF/UA-1. See docs/pdf.md.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

from .config import Config
from .errors import EditionError
from .model import Edition
from .pdf_data import pdf_data

PAPERS = {"a4": "a4", "us-letter": "us-letter"}
PDF_STANDARDS = ["a-2a", "ua-1"]
TEMPLATE_NAME = "edition.typ"
TOOLKIT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def template_path(config: Config | None) -> Path:
    """The PDF template: the edition's own `pdf/edition.typ` if it has one, else the toolkit's."""
    if config is not None and config.templates is not None:
        own = config.templates / "pdf" / TEMPLATE_NAME
        if own.is_file():
            return own
    path = TOOLKIT_TEMPLATES / "pdf" / TEMPLATE_NAME
    if not path.is_file():
        raise EditionError("the PDF template is missing", str(path), hint="reinstall the edition toolkit")
    return path


def timestamp(edition: Edition) -> datetime:
    """The PDF's creation date: SOURCE_DATE_EPOCH if set, else the edition's publication date, else the
    time its newest file was changed. Never the clock: two builds of the same files are byte-identical.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    try:
        day = datetime.strptime(edition.source.publication_date[:10], "%Y-%m-%d")
        return day.replace(tzinfo=timezone.utc)
    except ValueError:
        newest = max((doc.path.stat().st_mtime for doc in edition.documents() if doc.path.exists()), default=0)
        return datetime.fromtimestamp(int(newest), tz=timezone.utc)


def pdf_bytes(edition: Edition, config: Config | None = None, *, paper: str = "a4", facing: bool = False) -> bytes:
    """Typeset the edition and return the PDF."""
    import typst

    if paper not in PAPERS:
        raise EditionError(f"unknown paper size {paper!r}", hint="use a4 or us-letter")
    data = pdf_data(edition, paper=PAPERS[paper], facing=facing)
    data["meta"]["editors"] = list(config.editors) if config is not None else []
    template = template_path(config)
    compiler = typst.Compiler(str(template), root=str(template.parent), ignore_system_fonts=True,
                              sys_inputs={"data": json.dumps(data, ensure_ascii=False)})
    try:
        pdf = compiler.compile(format="pdf", pdf_standards=PDF_STANDARDS, timestamp=timestamp(edition))
    except typst.TypstError as exc:
        line, column = _position(exc.diagnostic)
        raise EditionError(f"the PDF could not be typeset: {exc.message}", str(template), line, column,
                           hint="; ".join(exc.hints) or "see docs/pdf.md") from None
    assert isinstance(pdf, bytes)
    return pdf


def _position(diagnostic: str) -> tuple[int, int]:
    """Line and column of the first error in a Typst diagnostic (`┌─ file:line:column`)."""
    match = re.search(r"┌─ [^\n]*?:(\d+):(\d+)", diagnostic or "")
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def render_pdf(edition: Edition, config: Config | None, path: Path, *, paper: str = "a4", facing: bool = False) -> Path:
    """Write the parallel PDF edition to `path`."""
    pdf = pdf_bytes(edition, config, paper=paper, facing=facing)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return path
