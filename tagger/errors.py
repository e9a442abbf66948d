"""User-facing errors. The CLI prints them as ``Error: ...`` and exits with status 1.

Every error says what went wrong, where (file and line when there is one) and how to fix it.

>>> str(DataError("missing 'text' field", path="a.jsonl", line=3, hint="add a 'text' key"))
"a.jsonl, line 3: missing 'text' field. Fix: add a 'text' key"
"""

from __future__ import annotations

from pathlib import Path


class TaggerError(Exception):
    """Base class for errors caused by the user's input, not by a bug in tagger."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}, line {self.line}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f". Fix: {self.hint}"
        return text


class DataError(TaggerError):
    """Labeled data or an article file cannot be read or used."""


class ModelError(TaggerError):
    """A model file is missing, damaged, not a tagger model, or unusable."""


class OutputError(TaggerError):
    """An output cannot go where it was asked to: a directory, an input of the run, stdout."""
