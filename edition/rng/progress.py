"""A one-line progress bar on stderr — only on a terminal, never in CI logs."""

from __future__ import annotations

import os
import sys
import time


def wanted() -> bool:
    """A bar is shown when stderr is a terminal and no CI variable is set."""
    return sys.stderr.isatty() and not os.environ.get("CI")


class Progress:
    """Files and megabytes done, redrawn at most ten times a second."""

    def __init__(self, files: int, total_bytes: int, enabled: bool):
        self.files, self.total = files, max(total_bytes, 1)
        self.done_files = self.done_bytes = 0
        self.enabled = enabled and files > 1
        self._last = 0.0

    def advance(self, size: int) -> None:
        self.done_files += 1
        self.done_bytes += size
        now = time.monotonic()
        if self.enabled and (now - self._last > 0.1 or self.done_files == self.files):
            self._last = now
            width = 30
            filled = int(width * self.done_bytes / self.total)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done_files}/{self.files} files, "
                             f"{self.done_bytes / 1e6:.1f}/{self.total / 1e6:.1f} MB")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 79 + "\r")
            sys.stderr.flush()
