"""A topic taxonomy: each label with its definition, what it excludes, and keywords.

The keywords are extra training signal: each becomes a short labeled example, and a word of
the tokenizer's dictionary, so a model knows a label's vocabulary beyond its few examples.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "labels.toml"
>>> _ = path.write_text('[labels.cloud]\\ndescription = "Cloud computing"\\nkeywords = ["云计算"]\\n')
>>> load_taxonomy(path).names
('cloud',)
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

from .data import Example
from .errors import DataError
from .files import read_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Label", "Taxonomy", "load_taxonomy"]


@dataclass(frozen=True)
class Label:
    name: str
    description: str
    excludes: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    labels: tuple[Label, ...]
    source: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    def keyword_examples(self) -> list[Example]:
        """One single-label example per keyword."""
        return [
            Example(word, (label.name,), self.source, 0)
            for label in self.labels
            for word in label.keywords
        ]

    def words(self) -> list[str]:
        """Keywords that can be jieba dictionary entries (no spaces)."""
        return [w for label in self.labels for w in label.keywords if " " not in w.strip()]

    def sha256(self) -> str:
        text = repr(self.labels).encode("utf-8")
        return hashlib.sha256(text).hexdigest()


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read a TOML taxonomy: ``[labels.NAME]`` tables with description, excludes, keywords."""
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"malformed TOML: {exc}", path=path, hint="fix the TOML syntax") from None
    tables = data.get("labels")
    if not isinstance(tables, dict) or not tables:
        hint = "add one [labels.NAME] table per label"
        named = [name for name, value in data.items() if isinstance(value, dict)]
        if named and "labels" not in data:  # [cloud] for [labels.cloud]
            hint = f"name each label's table [labels.NAME]: [labels.{named[0]}], not [{named[0]}]"
        raise DataError("no [labels.NAME] tables", path=path, hint=hint)
    labels = []
    for name, table in tables.items():
        keywords = table.get("keywords", []) if isinstance(table, dict) else None
        if not isinstance(table, dict) or not isinstance(table.get("description"), str):
            raise DataError(
                f"label {name!r} needs a description string",
                path=path,
                line=_line_of(text, name),
                hint='add description = "..."',
            )
        if not isinstance(keywords, list) or not all(
            isinstance(k, str) and k.strip() for k in keywords
        ):
            raise DataError(
                f"the keywords of {name!r} must be a list of non-empty strings",
                path=path,
                line=_line_of(text, name),
            )
        labels.append(
            Label(name, table["description"], str(table.get("excludes", "")), tuple(keywords))
        )
    return Taxonomy(tuple(labels), str(path))


def _line_of(text: str, name: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() in (f"[labels.{name}]", f'[labels."{name}"]'):
            return number
    return None
