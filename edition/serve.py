"""`edition serve`: build the site, serve it on localhost, and rebuild when a source file changes.

The server only reads the output folder; every rebuild goes through `edition.build.build`, which
swaps the finished site into place, so a failed rebuild leaves the served site as it was.
"""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from .build import BuildOptions, build
from .config import CONFIG_NAME, Config, load_config
from .errors import EditionError
from .site.templates import template_folders


class _Handler(SimpleHTTPRequestHandler):
    """Serves the output folder; quiet, no caching, UTF-8 and the module MIME type for pagefind."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".mjs": "text/javascript",
                      ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                      ".wasm": "application/wasm", ".xml": "application/xml"}

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


def watched_files(config: Config) -> list[Path]:
    """Every file whose change should rebuild the site: edition.toml, the TEI files, the templates."""
    files = [config.root / CONFIG_NAME, *config.files()]
    if config.spelling_allowlist:
        files.append(config.spelling_allowlist)
    for folder in template_folders(config):
        if folder.is_dir():
            files += [p for p in folder.rglob("*") if p.is_file()]
    return files


def snapshot(files: list[Path]) -> dict[Path, float]:
    result = {}
    for path in files:
        try:
            result[path] = path.stat().st_mtime_ns
        except OSError:
            result[path] = -1
    return result


class Preview:
    """A local preview: the HTTP server and the watcher thread. `start()` returns at once; `stop()` ends both."""

    def __init__(self, root: Path | None, host: str = "127.0.0.1", port: int = 8000, output: Path | None = None,
                 watch: bool = True, interval: float = 0.5, report: Callable[[str], None] = print):
        self.root = root
        self.config = load_config(root)
        self.output = (output or self.config.output).resolve()
        self.watch = watch
        self.interval = interval
        self.report = report
        self.builds = 0
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._seen = snapshot(watched_files(self.config))  # before the first build: a change during it counts
        self.rebuild(initial=True)
        handler = functools.partial(_Handler, directory=str(self.output))
        try:
            self.server = ThreadingHTTPServer((host, port), handler)
        except OSError as exc:
            raise EditionError(f"cannot serve on {host}:{port}: {exc.strerror}", hint="choose another --port") from None
        self.server.daemon_threads = True
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def rebuild(self, initial: bool = False) -> bool:
        """Build the site (no PDF); True when it worked. After the first build, errors are reported, not raised."""
        started = time.perf_counter()
        try:
            self.config = load_config(self.root)
            build(self.config, BuildOptions(self.output, site=True, pdf=False))
        except EditionError as exc:
            if initial:
                raise
            self.last_error = str(exc)
            self.report(f"rebuild failed, still serving the previous site: {exc}")
            return False
        self.builds += 1
        self.last_error = None
        if not initial:
            self.report(f"rebuilt in {time.perf_counter() - started:.2f} s")
        return True

    def start(self) -> None:
        serve = threading.Thread(target=self.server.serve_forever, name="edition-serve", daemon=True)
        serve.start()
        self._threads.append(serve)
        if self.watch:
            watcher = threading.Thread(target=self._watch, name="edition-watch", daemon=True)
            watcher.start()
            self._threads.append(watcher)

    def _watch(self) -> None:
        seen = self._seen  # taken before the first build, so an edit made before this thread runs is seen
        while not self._stop.wait(self.interval):
            now = snapshot(watched_files(self.config))
            if now != seen:
                time.sleep(0.1)  # let an editor finish writing
                seen = snapshot(watched_files(self.config))  # taken before building: a change during it counts
                self.rebuild()

    def stop(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)


def serve(root: Path | None, host: str, port: int, output: Path | None, watch: bool,
          report: Callable[[str], None] = print) -> None:
    """Run the preview until interrupted (Ctrl-C)."""
    preview = Preview(root, host, port, output, watch, report=report)
    preview.start()
    report(f"serving {preview.output} at {preview.url}" + (" (rebuilding on change; Ctrl-C stops)" if watch else ""))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        report("stopped")
    finally:
        preview.stop()
