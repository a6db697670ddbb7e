"""The edition's configuration: `edition.toml` at the root of an edition project."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import EditionError

CONFIG_NAME = "edition.toml"


@dataclass(frozen=True)
class Config:
    """Where an edition's files are and how it is published."""

    root: Path
    title: str
    source: Path
    translation: Path | None
    alignment: Path | None
    registers: dict[str, Path] = field(default_factory=dict)
    output: Path = Path("_site")
    templates: Path | None = None
    spelling_allowlist: Path | None = None
    source_lang: str = "nb"
    translation_lang: str = "en"
    editors: tuple[str, ...] = ()
    base_url: str = ""

    def files(self) -> list[Path]:
        """All TEI files of the edition, source first."""
        files = [self.source, *self.registers.values()]
        files += [p for p in (self.translation, self.alignment) if p is not None]
        return files


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds edition.toml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise EditionError(f"no {CONFIG_NAME} here or in any parent folder", str(start),
                       hint="run inside an edition, pass --root DIR, or create one with `edition new DIR`")


def load_config(root: Path | None = None) -> Config:
    """Read edition.toml from `root` (or the nearest one above the current folder)."""
    root = find_root(Path.cwd()) if root is None else Path(root).resolve()
    path = root / CONFIG_NAME
    if not path.is_file():
        raise EditionError(f"no {CONFIG_NAME} in this folder", str(root),
                           hint="pass the folder of an edition to --root, or create one with `edition new DIR`")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise EditionError(f"invalid TOML: {exc}", str(path)) from None
    except UnicodeDecodeError:
        raise EditionError("the file is not UTF-8", str(path)) from None
    files = data.get("files", {})

    def need(key: str) -> Path:
        if key not in files:
            raise EditionError(f"[files] has no {key!r}", str(path), hint=f'add {key} = "path/to/file.xml"')
        return root / files[key]

    def maybe(key: str) -> Path | None:
        return root / files[key] if files.get(key) else None

    registers = {kind: root / rel for kind, rel in data.get("registers", {}).items()}
    unknown = set(registers) - {"persons", "places", "organisations"}
    if unknown:
        raise EditionError(f"unknown register kind(s) {sorted(unknown)}", str(path),
                           hint="use persons, places and organisations")
    edition = data.get("edition", {})
    return Config(
        root=root,
        title=edition.get("title", "Untitled edition"),
        source=need("source"),
        translation=maybe("translation"),
        alignment=maybe("alignment"),
        registers=registers,
        output=root / data.get("build", {}).get("output", "_site"),
        templates=(root / data["build"]["templates"]) if data.get("build", {}).get("templates") else None,
        spelling_allowlist=maybe("spelling_allowlist"),
        source_lang=edition.get("source_lang", "nb"),
        translation_lang=edition.get("translation_lang", "en"),
        editors=tuple(edition.get("editors", ())),
        base_url=edition.get("base_url", ""),
    )
