"""Which files `edition validate PATH...` checks: files as named, folders searched recursively."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import EditionError

XML_SUFFIXES = (".xml", ".tei")
_SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"}


def discover(paths: list[Path]) -> list[Path]:
    """Named files as given; in folders every *.xml and *.tei file, sorted, hidden folders skipped.
    A path that does not exist is a usage error (exit 2)."""
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            files = []
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
                files += [Path(folder) / n for n in names if n.lower().endswith(XML_SUFFIXES)]
            candidates = sorted(files)
        elif path.exists():
            candidates = [path]
        else:
            raise EditionError(f"no such file or folder: {path}", hint="check the PATH arguments")
        for c in candidates:
            key = c.resolve()
            if key not in seen:
                seen.add(key)
                found.append(c)
    return found
