"""Shared fixtures: the real edition, a copy of the mini edition, and a CLI runner."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = REPO.parent / "shared"
TEI_ALL = SHARED / "tei" / "tei_all.rng"
SEED = SHARED / "seed" / "000_9e1869a326b87c89.txt"

# Specialised schemas and Schematron translations go to a folder of this test session, never to
# the user's ~/.cache: every session starts cold, as CI does, and leaves nothing behind.
_CACHE = tempfile.mkdtemp(prefix="edition-test-cache-")
os.environ["EDITION_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh, writable copy of the mini edition (two real chapters)."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a fixture file, failing loudly when the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def run_edition(*args: str, cwd: Path | None = None, input: bytes | None = None) -> subprocess.CompletedProcess:
    """Run the real `edition` command in a new process."""
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "edition.cli", *args], cwd=cwd, capture_output=True,
                          text=True, env=env, input=input, timeout=120)


@pytest.fixture(scope="session")
def full_tei_all():
    """The unspecialised tei_all, compiled once per test session (about 6–8 s)."""
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(TEI_ALL)))
