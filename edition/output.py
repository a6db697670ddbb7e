"""Writing output files safely: into a temporary file beside the target, then moved into place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import EditionError


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a reader never sees a half-written file."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise EditionError("the output folder does not exist", str(folder), hint="create it first")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise EditionError(f"cannot write the file: {exc.strerror}", str(path)) from None


def xml_bytes(tree) -> bytes:
    """A parsed document as UTF-8 bytes, the way the edition's files are written: the XML declaration with
    double quotes, each processing instruction or comment before the root on its own line."""
    from lxml import etree

    root = tree.getroot()
    before = []
    node = root.getprevious()
    while node is not None:
        before.insert(0, etree.tostring(node, encoding="UTF-8", with_tail=False))
        node = node.getprevious()
    parts = [b'<?xml version="1.0" encoding="UTF-8"?>', *before, etree.tostring(root, encoding="UTF-8")]
    return b"\n".join(parts) + b"\n"
