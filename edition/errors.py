"""The one exception type for user errors: the CLI turns it into a one-line message and exit code 2."""

from __future__ import annotations


class EditionError(Exception):
    """A problem with the user's input or options, reported as `path:line:column: error: message`."""

    def __init__(self, message: str, path: str | None = None, line: int = 0, column: int = 0,
                 hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}:{self.column}: " if self.line else f"{self.path}: "
        text = f"{where}error: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text
