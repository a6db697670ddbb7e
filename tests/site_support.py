"""Helpers for the site tests: build once, read the built pages, serve them on localhost."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import lxml.html

from edition.build import BuildOptions, build
from edition.config import load_config
from edition.loader import load_edition


def build_site(root: Path, output: Path):
    """Build the site of the edition at `root` (no PDF); returns (edition model, output folder)."""
    config = load_config(root)
    build(config, BuildOptions(output, site=True, pdf=False))
    return load_edition(config), output


REPO = Path(__file__).resolve().parent.parent
_BUILT: dict[str, tuple] = {}


def built(name: str):
    """The real edition ("edition") or the mini fixture ("mini"), built once per test session."""
    if name not in _BUILT:
        scratch = Path(tempfile.mkdtemp(prefix=f"site-{name}-"))
        atexit.register(shutil.rmtree, scratch, True)
        root = REPO if name == "edition" else scratch / "mini"
        if name == "mini":
            shutil.copytree(REPO / "tests" / "fixtures" / "mini", root)
        _BUILT[name] = build_site(root, scratch / "_site")
    return _BUILT[name]


def page(folder: Path, name: str):
    """A built page parsed as HTML (our own output, not TEI)."""
    return lxml.html.fromstring((folder / name).read_bytes())


def reading_pages(folder: Path) -> list[str]:
    """The pages of the reading view: the title page and every chapter page."""
    return ["index.html"] + sorted(p.name for p in folder.glob("*.html") if p.name.startswith("ch"))


def by_class(tree, cls: str):
    return tree.xpath(f'.//*[contains(concat(" ", normalize-space(@class), " "), " {cls} ")]')


def visible_text(element, reading: str) -> str:
    """The text of a sentence element in a reading, as the reading view's CSS shows it."""
    copy = lxml.html.fromstring(lxml.html.tostring(element))
    hidden = ["fc-mark"] + (["r-dipl"] if reading == "corrected" else ["r-corr", "sup"])
    for cls in hidden:
        for el in by_class(copy, cls):
            el.drop_tree()
    return " ".join(copy.text_content().split())


class StaticServer:
    """A static file server for a built site on 127.0.0.1 (a free port), in a thread."""

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self) -> "StaticServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".wasm": "application/wasm"}

    def log_message(self, format, *args):  # noqa: A002
        pass
