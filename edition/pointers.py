"""TEI pointers: `#id`, `file.xml#id`, and prefixed pointers declared by `prefixDef`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote


@dataclass(frozen=True)
class PrefixDef:
    ident: str
    match: str
    replacement: str

    def expand(self, rest: str) -> str | None:
        """Apply matchPattern/replacementPattern to the part after `ident:`; None if it does not match."""
        try:
            found = re.fullmatch(self.match, rest)
        except re.error:
            return None
        if not found:
            return None
        return re.sub(r"\$(\d)", lambda m: found.group(int(m.group(1))) or "", self.replacement)


EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://|^(mailto|urn|doi|tel):")


def resolve(raw: str, base: Path, prefixes: dict[str, PrefixDef]) -> tuple[Path | None, str | None, bool]:
    """Resolve a pointer written in the file at `base`.

    Returns (file, id, external): the absolute file and the fragment id it points to; external is True
    for web addresses, which are not checked here.
    """
    if ":" in raw and not raw.startswith("#"):
        ident, rest = raw.split(":", 1)
        if ident in prefixes:
            expanded = prefixes[ident].expand(rest)
            if expanded is None:
                return None, None, False
            raw = expanded
        elif EXTERNAL.match(raw):
            return None, None, True
    if raw.startswith("#"):
        return _absolute(str(base), ""), unquote(raw[1:]), False
    path_part, _, fragment = raw.partition("#")
    if EXTERNAL.match(path_part):
        return None, None, True
    return _absolute(str(base), unquote(path_part)), (unquote(fragment) or None), False


@lru_cache(maxsize=1024)
def _absolute(base: str, relative: str) -> Path:
    """The absolute, normalised path of `relative` seen from the file `base` (the file itself when empty)."""
    if not relative:
        return Path(os.path.realpath(base))
    return Path(os.path.realpath(os.path.join(os.path.dirname(base), relative)))
