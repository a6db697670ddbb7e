"""The site pipeline: model → Site context → Jinja2 pages, static files, TEI downloads, search index."""

from __future__ import annotations

import gc
import shutil
import zipfile
from pathlib import Path

from jinja2 import TemplateError

from ..config import Config
from ..errors import EditionError
from ..model import Edition
from .context import Download, Site, build_site, tei_downloads
from .search import SearchIndexJob
from .templates import make_environment, template_folders


def render_site(edition: Edition, config: Config, folder: Path, search: bool = True) -> Site:
    """Write the whole web edition into `folder` (an empty staging folder); returns the site context."""
    folder = Path(folder)
    gc.collect()
    gc.freeze()  # the model lives until the end: keep the collector from rescanning it (linear build time)
    try:
        return _render(edition, config, folder, search)
    finally:
        gc.unfreeze()


def _render(edition: Edition, config: Config, folder: Path, search: bool) -> Site:
    site = build_site(edition, config)
    job = SearchIndexJob(site, folder) if search else None  # pagefind runs while the pages are rendered
    try:
        site.downloads = copy_downloads(config, folder / "downloads")
        env = make_environment(config)
        for name, target, extra in pages(site):
            try:
                html = env.get_template(name).render(site=site, page=target, **extra)
            except TemplateError as exc:
                raise EditionError(f"template {name}: {exc}", hint="check the templates folder of the edition") from None
            (folder / target).write_text(html, encoding="utf-8")
        copy_static(config, folder / "static")
    except BaseException:
        if job is not None:
            job.cancel()
        raise
    if job is not None:
        job.wait()
    return site


def pages(site: Site) -> list[tuple[str, str, dict]]:
    """(template, output file, extra context) for every page of the site."""
    result = [("index.html", "index.html", {"kind": "index"}),
              ("about.html", "about.html", {"kind": "about"}),
              ("factchecks.html", "factchecks.html", {"kind": "factchecks"}),
              ("corrections.html", "corrections.html", {"kind": "corrections"}),
              ("chronology.html", "chronology.html", {"kind": "chronology"}),
              ("search.html", "search.html", {"kind": "search"}),
              ("notfound.html", "404.html", {"kind": "notfound"})]
    for i, chapter in enumerate(site.chapters):
        prev = site.chapters[i - 1] if i > 0 else None
        following = site.chapters[i + 1] if i + 1 < len(site.chapters) else None
        result.append(("chapter.html", chapter.page, {"kind": "chapter", "chapter": chapter, "prev": prev,
                                                      "next": following}))
    for register in site.registers:
        result.append(("register.html", register.file, {"kind": "register", "register": register}))
    return result


def copy_static(config: Config, target: Path) -> None:
    """Copy the styles and scripts; a file in the edition's own `static/` replaces the default of that name."""
    target.mkdir(parents=True, exist_ok=True)
    for folder in reversed(template_folders(config)):
        static = folder / "static"
        if static.is_dir():
            shutil.copytree(static, target, dirs_exist_ok=True)


def copy_downloads(config: Config, target: Path) -> list[Download]:
    """Copy every TEI file of the edition, and a zip of all of them keeping their folders."""
    target.mkdir(parents=True, exist_ok=True)
    result = []
    for path, name, description in tei_downloads(config):
        shutil.copyfile(path, target / name)
        result.append(Download(name, f"downloads/{name}", path.stat().st_size, description))
    archive = target / "edition-tei.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in config.files():
            zf.write(path, _archive_name(path, config.root))
        toml = config.root / "edition.toml"
        if toml.is_file():
            zf.write(toml, "edition.toml")
    result.append(Download("edition-tei.zip", "downloads/edition-tei.zip", archive.stat().st_size,
                           "All TEI files with edition.toml, in their folders (zip)"))
    return result


def _archive_name(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
