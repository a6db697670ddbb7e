"""`edition build`: the static site and the PDF, written into a temporary folder and moved into place.

A failed build leaves the previous output untouched.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import EditionError
from .loader import load_edition


@dataclass(frozen=True)
class BuildOptions:
    output: Path
    site: bool = True
    pdf: bool = True
    paper: str = "a4"
    facing: bool = False


def build(config: Config, options: BuildOptions) -> Path:
    """Build the outputs named by `options` into `options.output`; returns the output folder."""
    edition = load_edition(config)
    output = options.output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    try:
        if not options.site and output.is_dir():
            shutil.copytree(output, staging, dirs_exist_ok=True)  # --pdf-only keeps the site as it was
        if options.site:
            from .site import render_site

            render_site(edition, config, staging)
        if options.pdf:
            from .pdf import render_pdf

            render_pdf(edition, config, staging / "edition.pdf", paper=options.paper, facing=options.facing)
        _replace(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return output


def _replace(staging: Path, output: Path) -> None:
    """Swap the finished staging folder into place, keeping the old output until the new one is there."""
    if output.exists() and not output.is_dir():
        raise EditionError("the output path exists and is not a folder", str(output))
    old = None
    if output.exists():
        old = output.with_name(f".{output.name}-old-{staging.name[-8:]}")
        output.rename(old)
    staging.rename(output)
    output.chmod(0o755)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
