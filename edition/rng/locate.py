"""Which schema a file is validated against: `--schema`, the `tei_all` shorthand, or the file's
`<?xml-model?>` processing instruction. Never the network."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import EditionError

RELAXNG_TYPENS = "http://relaxng.org/ns/structure/1.0"
SCHEMATRON_TYPENS = "http://purl.oclc.org/dsdl/schematron"
TEI_ALL_URL = "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
_PSEUDO = re.compile(r'([\w:-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def tei_all_candidates(cwd: Path | None = None) -> list[Path]:
    """Where `--schema tei_all` looks, in order."""
    cwd = cwd or Path.cwd()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    found = [Path(os.environ["EDITION_TEI_ALL"])] if os.environ.get("EDITION_TEI_ALL") else []
    found += [cwd / "tei_all.rng", data_home / "edition" / "tei_all.rng",
              Path("/usr/share/xml/tei/schema/relaxng/tei_all.rng")]
    for folder in (cwd, *cwd.parents):  # a checkout beside the shared TEI material
        found.append(folder.parent / "shared" / "tei" / "tei_all.rng")
        if (folder / ".git").exists() or (folder / "edition.toml").exists():
            break
    repo = Path(__file__).resolve().parents[2]
    found.append(repo.parent / "shared" / "tei" / "tei_all.rng")
    return found


def resolve_schema_option(value: str, cwd: Path | None = None) -> Path:
    """The file `--schema VALUE` names; `tei_all` is the official TEI schema found locally."""
    if value.lower() in ("tei_all", "tei-all", "tei"):
        for candidate in tei_all_candidates(cwd):
            if candidate.is_file():
                return candidate
        raise EditionError("the official TEI schema tei_all.rng is not available locally",
                           hint=f"download {TEI_ALL_URL} to ~/.local/share/edition/tei_all.rng "
                                "or set EDITION_TEI_ALL=/path/to/tei_all.rng")
    if "://" in value:
        raise EditionError(f"--schema {value} is a URL; edition validate never downloads",
                           hint="download the schema once and pass the local file")
    path = Path(value)
    if not path.is_file():
        raise EditionError(f"no such schema file {value}", hint="pass a .rng or .rnc file, or `tei_all`")
    return path


def xml_model(data: bytes) -> list[dict[str, str]]:
    """The pseudo-attributes of each <?xml-model …?> in the prolog (before the root element)."""
    head = data[:65536]
    models = []
    pos = 0
    while True:
        start = head.find(b"<?xml-model", pos)
        if start < 0:
            break
        root = _root_start(head)
        if root is not None and start > root:
            break
        end = head.find(b"?>", start)
        if end < 0:
            break
        text = head[start + len("<?xml-model"):end].decode("utf-8", "replace")
        models.append({m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
                       for m in _PSEUDO.finditer(text)})
        pos = end
    return models


def _root_start(head: bytes) -> int | None:
    for m in re.finditer(rb"<([^?!/])", head):
        return m.start()
    return None


def schema_from_model(data: bytes, file: Path) -> tuple[Path | None, str | None]:
    """(schema path, None) from the file's RelaxNG xml-model, or (None, why not)."""
    for model in xml_model(data):
        href = model.get("href", "")
        typens = model.get("schematypens", "")
        if typens and typens != RELAXNG_TYPENS:
            continue
        if not typens and not href.endswith((".rng", ".rnc")):
            continue
        if "://" in href and not href.startswith("file://"):
            name = href.rsplit("/", 1)[-1]
            if name == "tei_all.rng":
                for candidate in tei_all_candidates():
                    if candidate.is_file():
                        return candidate, None
            return None, (f"the xml-model schema {href} is remote and edition validate never downloads; "
                          "pass --schema FILE (or --schema tei_all) or cache the schema locally and point "
                          "the xml-model href at it")
        target = (file.parent / href.removeprefix("file://")).resolve()
        if not target.is_file():
            return None, f"the xml-model schema {href} does not exist (looked for {target})"
        return target, None
    return None, "no schema: pass --schema FILE (or tei_all), or add an <?xml-model?> pointing to a RelaxNG schema"
