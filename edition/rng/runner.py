"""Run the per-file checker over many files: in process for small runs, else one file at a time
per worker process (bounded memory), with a progress bar on a terminal."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import sys
import traceback
from pathlib import Path

from ..diagnostics import Diagnostic
from ..errors import EditionError
from .check import Checker, Settings
from .progress import Progress

_IN_PROCESS_BYTES = 4 * 1024 * 1024  # below this, starting workers costs more than it saves
_M_MXFAST = 1  # glibc's mallopt parameter for the largest chunk kept in a fastbin
_checker: Checker | None = None


def display_path(path: Path, cwd: Path) -> str:
    """The path as a user reads it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def validate_files(files: list[Path], settings: Settings, jobs: int | None = None,
                   progress: bool = False, cwd: Path | None = None) -> tuple[list[Diagnostic], list[str]]:
    """Diagnostics of all files (sorted) and the displayed names of the files checked."""
    global _checker
    cwd = cwd or Path.cwd()
    shown = [display_path(f, cwd) for f in files]
    sizes = [_size(f) for f in files]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(files)))
    _checker = Checker(settings)  # loads the schema once; forked workers inherit it
    bar = Progress(len(files), sum(sizes), enabled=progress)
    diagnostics: list[Diagnostic] = []
    order = sorted(range(len(files)), key=lambda i: -sizes[i])  # largest first balances the workers
    tasks = [(files[i], shown[i], sizes[i]) for i in order]
    if jobs == 1 or sum(sizes) < _IN_PROCESS_BYTES:
        for task in tasks:
            diagnostics += _run(task)
            bar.advance(task[2])
    else:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_start_worker) as pool:
            for found, size in pool.imap_unordered(_run_sized, tasks, chunksize=1):
                diagnostics += found
                bar.advance(size)
    bar.close()
    diagnostics.sort(key=Diagnostic.sort_key)
    return diagnostics, shown


def _start_worker() -> None:
    """Turn glibc's fastbins off in a worker. libxml2 mallocs and frees every node of every tree,
    and each large free (a tree's ID table, the parser's buffers) then makes glibc consolidate all
    the small chunks freed since: about a tenth of a worker's time on TEI with an xml:id on every
    element (bench/bench_validate.py, ADL style). Only the workers' own allocator is changed."""
    if "CS_GNU_LIBC_VERSION" not in getattr(os, "confstr_names", {}):
        return  # not glibc
    try:
        ctypes.CDLL(None).mallopt(_M_MXFAST, 0)
    except (OSError, AttributeError):
        pass


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _run_sized(task) -> tuple[list[Diagnostic], int]:
    return _run(task), task[2]


def _run(task) -> list[Diagnostic]:
    path, shown, _size = task
    try:
        return _checker.check(path, shown)
    except EditionError as exc:  # e.g. Schematron that does not compile: reported on each file
        return [Diagnostic(shown, exc.line, exc.column, "error", "schematron" if "Schematron" in exc.message
                           else "schema", exc.message, exc.hint or "")]
    except MemoryError:
        return [Diagnostic(shown, 0, 0, "error", "xml", "not enough memory to validate this file")]
    except Exception as exc:  # a bug must cost one file, never the run
        where = traceback.extract_tb(exc.__traceback__)[-1]
        print(f"edition validate: internal error on {shown}: {exc!r} at {where.filename}:{where.lineno}",
              file=sys.stderr)
        return [Diagnostic(shown, 0, 0, "error", "internal", f"internal error: {exc!r}",
                           "please report this file to the edition maintainers")]
