"""User-facing errors. The CLI prints them as ``Error: ...`` and exits with status 1.

Every error says what went wrong, where (file and line when there is one) and how to fix it.

>>> str(DataError("missing 'text' field", path="a.jsonl", line=3, hint="add a 'text' key"))
"a.jsonl, line 3: missing 'text' field. Fix: add a 'text' key"

A JSON array's records that share a line are told apart by their number in the array:

>>> str(DataError("no text field", path="a.json", line=1, record=3))
'a.json, line 1, record 3: no text field'
"""

from __future__ import annotations

import os
from numbers import Real
from pathlib import Path
from typing import Any


class TaggerError(Exception):
    """Base class for errors caused by the user's input, not by a bug in tagger."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
        record: int | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint
        self.record = record  # its number in a JSON array, when records share the line
        super().__init__(str(self))

    def in_record(self, line: int, record: int | None) -> TaggerError:
        """This error, naming ``record`` (a JSON array's item number) too when it is about
        ``line`` and another record shares that line (``record`` is not None)."""
        if record is not None and self.line == line and self.record is None:
            self.record = record
            self.args = (str(self),)
        return self

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}, line {self.line}"
            if self.line is not None and self.record is not None:
                where += f", record {self.record}"
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


def check_number(
    name: str, value: Any, low: float, high: float | None, kinds: tuple[type, ...] = (Real,)
) -> None:
    """``TypeError`` unless ``value`` is one of ``kinds`` (a bool is none: True is no 1),
    ``ValueError`` unless it lies in [``low``, ``high``]: how ``segment``, ``tag``, ``evaluate``
    and ``compare`` check their numeric arguments. ``Real`` and ``Integral`` take numpy's
    numbers too, without importing numpy here.

    >>> check_number("threshold", 1.5, 0, 1)
    Traceback (most recent call last):
    ValueError: threshold must be from 0 to 1, not 1.5
    >>> check_number("min_chars", 2.0, 0, None, (int,))
    Traceback (most recent call last):
    TypeError: min_chars must be an integer, not float
    """
    if isinstance(value, bool) or not isinstance(value, kinds):
        kind = "a number" if any(issubclass(float, k) for k in kinds) else "an integer"
        raise TypeError(f"{name} must be {kind}, not {type(value).__name__}")
    if not (low <= value and (high is None or value <= high)):  # NaN too
        bounds = f"at least {low}" if high is None else f"from {low} to {high}"
        raise ValueError(f"{name} must be {bounds}, not {value!r}")


def check_path(name: str, value: Any) -> None:
    """``TypeError`` unless ``value`` is a file path (a ``str`` or an ``os.PathLike`` such as
    ``Path``): how the functions that read a file check it, where pathlib's own error names
    neither the argument nor, for bytes, the path (it said "int", a byte of the name).

    >>> check_path("path", None)
    Traceback (most recent call last):
    TypeError: path must be a file path (a str or a Path), not NoneType
    """
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a file path (a str or a Path), not {type(value).__name__}")
