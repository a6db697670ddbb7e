"""The search index: pagefind over every sentence group, fact-check and register entry.

Each sentence group (both languages together), note and entry is a section of its page's document,
so a result leads straight to the sentence's permalink. The index is written into `pagefind/` inside the site and is read by
`static/search.js`; it needs the site to be served over http (`edition serve` or any static host).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

from ..errors import EditionError
from .context import Site


def search_documents(site: Site) -> list[dict]:
    """One document per site page to index: its page, title, kind, and sections (anchor, heading, text).

    Pagefind turns each section (a heading with an id) into a sub-result, so a result leads to the
    sentence group, note or register entry itself.
    """
    docs = []
    pages = [("index.html", "Title page", site.front)] + [
        (c.page, f"Chapter {c.n}: {c.title.get(site.tr.lang) or c.title.get(site.src.lang, '')}", c.rows())
        for c in site.chapters]
    for page, title, rows in pages:
        sections = []
        for row in rows:
            source = " ".join(s.text("corrected") for s in row.source)
            translation = " ".join(s.text() for s in row.translation)
            sections.append((row.anchor, row.anchor, f"{source}\n{translation}".strip()))
        docs.append({"page": page, "title": title, "kind": "Text", "sections": sections})
    notes = []
    for fc in site.factchecks.notes:
        texts = " ".join(fc.note.texts.values())
        sources = " ".join(b.text for b in fc.note.sources)
        notes.append((fc.id, f"Fact-check {fc.number}: {fc.verdict.label('en')}",
                      f"{fc.claim_text}\n{texts}\n{sources}"))
    docs.append({"page": "factchecks.html", "title": "Fact-checks", "kind": "Fact-checks", "sections": notes})
    for register in site.registers:
        entries = [(e.entity.id, e.entity.name(site.tr.lang),
                    " · ".join(text for _, _, text in e.entity.names) + "\n" + e.entity.description)
                   for e in register.entries]
        docs.append({"page": register.file, "title": register.title, "kind": register.title, "sections": entries})
    return docs


class SearchIndexJob:
    """The pagefind run over the records, started in the background while the pages are rendered."""

    def __init__(self, site: Site, folder: Path):
        documents = search_documents(site)
        self.count = sum(len(d["sections"]) for d in documents)
        self.scratch = Path(tempfile.mkdtemp(prefix="edition-search-"))
        for i, document in enumerate(documents):
            (self.scratch / f"d{i:05d}.html").write_text(_document_html(document), encoding="utf-8")
        command = [sys.executable, "-m", "pagefind", "--site", str(self.scratch), "--output-path",
                   str((folder / "pagefind").resolve()), "--force-language", "en", "--silent"]
        try:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except OSError as exc:
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise EditionError(f"the search index could not be built: {exc}", hint=PAGEFIND_HINT) from None

    def wait(self) -> int:
        """Wait for pagefind; returns the number of records, EditionError when it failed."""
        try:
            out, err = self.process.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise EditionError("the search index took more than 10 minutes", hint=PAGEFIND_HINT) from None
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
        if self.process.returncode != 0:
            detail = (err or out).strip().splitlines()
            raise EditionError(f"the search index could not be built: {detail[-1] if detail else self.process.returncode}",
                               hint=PAGEFIND_HINT)
        return self.count

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.scratch, ignore_errors=True)


def write_search_index(site: Site, folder: Path) -> int:
    """Index the site with pagefind into `folder/pagefind`; returns the number of sections indexed.

    Each page's searchable text is written as a small HTML document into a scratch folder outside the
    site, and the pagefind command indexes that folder; the page's address is its `target` meta value.
    """
    return SearchIndexJob(site, folder).wait()


PAGEFIND_HINT = "install pagefind with `pip install 'pagefind[bin]'`, or build with search turned off"


def _document_html(doc: dict) -> str:
    """The scratch HTML pagefind indexes for one site page (never part of the site)."""
    sections = "".join(f'<h2 id="{escape(anchor)}">{escape(heading)}</h2><p>{escape(text)}</p>'
                       for anchor, heading, text in doc["sections"])
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(doc["title"])}</title>'
            f'</head><body><h1 data-pagefind-meta="title">{escape(doc["title"])}</h1>'
            f'<div data-pagefind-ignore><span data-pagefind-meta="target">{escape(doc["page"])}</span>'
            f'<span data-pagefind-filter="kind">{escape(doc["kind"])}</span></div>'
            f'<main data-pagefind-body>{sections}</main></body></html>')
