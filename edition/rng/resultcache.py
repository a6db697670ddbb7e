"""`--cache DIR`: an unchanged file is not validated again.

A result is keyed by the file's path and content hash, the schema's and Schematron's hashes and
the tool version; it is stored as JSON and written atomically, so parallel workers may share DIR.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from .. import __version__
from ..diagnostics import Diagnostic


class ResultCache:
    """Cached diagnostics of files, in one folder."""

    def __init__(self, folder: Path):
        self.folder = folder / "results"

    def key(self, display: str, data: bytes, *parts: str) -> str:
        h = hashlib.sha256()
        for part in (__version__, display, hashlib.sha256(data).hexdigest(), *parts):
            h.update(part.encode("utf-8", "surrogateescape") + b"\0")
        return h.hexdigest()

    def get(self, key: str) -> list[Diagnostic] | None:
        target = self.folder / key[:2] / f"{key}.json"
        try:
            items = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return [Diagnostic(**item) for item in items]

    def put(self, key: str, diagnostics: list[Diagnostic]) -> None:
        target = self.folder / key[:2] / f"{key}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{key}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps([asdict(d) for d in diagnostics], ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)


def default_folder() -> Path:
    """Where specialised schemas are kept between runs: $EDITION_CACHE_DIR, else the user cache."""
    if os.environ.get("EDITION_CACHE_DIR"):
        return Path(os.environ["EDITION_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "edition"
