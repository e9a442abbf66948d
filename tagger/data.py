"""Read labeled segments from JSONL, JSON exports, CSV/TSV and fastText files.

Supported shapes, chosen by file extension or by ``format``:

- ``jsonl``: one object a line with ``text`` (or ``content``/``sentence``) and ``labels`` (a
  list), ``label`` (a string or a list, as doccano exports it), ``cats`` (spaCy/Prodigy, labels
  scored >= 0.5, true/false as 1/0; a score that is not a number is an error) or ``accept``
  (Prodigy choice view). A label field holding ``{"choices": [...]}`` (Label Studio JSON-MIN)
  gives those labels. An empty list means "no topic". Prodigy records whose ``answer`` is
  ``reject`` or ``ignore`` are skipped with a ``DataWarning``.
- ``json``: a JSON array of such objects, or a Label Studio export (``data.text`` and the
  ``choices`` of the first annotation that was not cancelled; tasks nobody annotated, or whose
  annotations were all cancelled, are skipped with a ``DataWarning``).
- ``csv`` / ``tsv``: a header row, a text column and a label column; several labels are joined
  by ``|``.
- ``fasttext``: ``__label__a __label__b text`` a line (separated by spaces or tabs; labels may
  also end the line, as fastText reads them).

Text and labels are found under the first of ``TEXT_FIELDS`` and ``LABEL_FIELDS`` (English
names, then Chinese ones: 正文/内容/文本/标题, 标签/类别/分类/主题) a record has.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "d.jsonl"
>>> _ = path.write_text('{"text": "芯片出口管制", "labels": ["semiconductors", "policy"]}\\n')
>>> read_examples([path])[0].labels
('semiconductors', 'policy')
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from .errors import DataError, check_path
from .files import read_text
from .records import (
    MISSING,
    SUFFIXES,
    TEXT_FIELDS,
    as_object,
    check_records,
    check_string,
    column,
    csv_rows,
    field_value,
    find_text,
    first_field,
    json_records,
    json_type,
    lookup,
    pick,
    record_text,
    run_on,
    shorten,
)

__all__ = ["FORMATS", "DataSummary", "DataWarning", "Example", "read_examples", "summarize"]

FORMATS = ("jsonl", "json", "csv", "tsv", "fasttext")
_EXTENSIONS = {**SUFFIXES, ".ft": "fasttext", ".fasttext": "fasttext"}
LABEL_FIELDS = ("labels", "label", "category", "categories", "标签", "类别", "分类", "主题")
"""Field or column names tried in this order when --label-field is not given (for the text:
``records.TEXT_FIELDS``, also ``data.TEXT_FIELDS``)."""
RECORD = '{"text": "...", "labels": ["..."]}'  # a record, as a fix shows one
NO_TOPIC = "[] (an empty list)"
"""How a JSON record says it has no topic, as the error messages put it."""
FASTTEXT_PREFIX = "__label__"
JOINERS = frozenset(",，、;；|")
"""Characters that, inside one label, suggest several labels joined in the wrong way."""


class DataWarning(UserWarning):
    """Labeled data that can be used but probably holds a mistake, or an input to tag that
    holds nothing to tag though it is not empty (a web page that shows no text)."""


class _Skip(Enum):
    """A record read but left out of the examples, and what the warning counting them says."""

    UNANNOTATED = (
        "Label Studio task(s) that nobody annotated (no annotation, or only cancelled ones)"
    )
    REJECTED = "record(s) whose Prodigy answer is reject or ignore"


PRODIGY_SKIPPED = ("reject", "ignore")


@dataclass(frozen=True)
class Example:
    """One labeled segment and where it was read from."""

    text: str
    labels: tuple[str, ...]
    source: str = ""
    line: int = 0
    group: str = ""
    """Examples of one group (e.g. one article) stay together when data is split."""

    def __post_init__(self) -> None:
        """A single label as a str is ``(label,)``; other label iterables become tuples (a
        set's sorted, for an order that does not depend on hashing), each label stripped of
        surrounding whitespace and given once, as ``read_examples`` reads labels. A label
        that is empty or only whitespace is a ``ValueError``.

        >>> Example("云计算", [" cloud ", "cloud", "policy"]).labels
        ('cloud', 'policy')
        """
        if not isinstance(self.text, str):
            raise TypeError(f"Example text must be a str, not {type(self.text).__name__}")
        labels: Any = self.labels
        if isinstance(labels, str):
            labels = (labels,)
        elif isinstance(labels, AbstractSet):
            labels = tuple(sorted(labels, key=str))  # non-str labels: the TypeError below
        elif not isinstance(labels, tuple):
            try:
                labels = tuple(labels)
            except TypeError:
                raise TypeError(
                    f"Example labels must be a str or a tuple of str, not {type(labels).__name__}"
                ) from None
        wrong = next((label for label in labels if not isinstance(label, str)), None)
        if wrong is not None:
            raise TypeError(f"Example labels must be str, not {type(wrong).__name__}")
        if any(not label.strip() for label in labels):
            raise ValueError(f"Example labels must not be empty or only whitespace: {labels!r}")
        labels = tuple(dict.fromkeys(label.strip() for label in labels))  # as files are read
        object.__setattr__(self, "labels", labels)


@dataclass
class DataSummary:
    """What was read: counts a person checks before training."""

    examples: int
    labels: dict[str, int]
    multi_label: int = 0
    no_label: int = 0
    duplicates: int = 0
    conflicting_duplicates: int = 0
    empty_texts: int = 0
    files: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    """Where the first conflicting duplicates are (file:line and file:line)."""

    @property
    def is_multi_label(self) -> bool:
        return self.multi_label > 0 or self.no_label > 0


def read_examples(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    format: str | None = None,
    *,
    text_field: str | None = None,
    label_field: str | None = None,
    group_field: str | None = None,
    encoding: str | None = None,
) -> list[Example]:
    """Read labeled examples from every file in ``paths`` (or the one file), empty texts included.

    ``group_field`` names the field(s), comma-separated, whose values group examples (for
    instance ``source,article``), so that splits keep a group together.
    Raises DataError naming the file and line for anything malformed; warns (DataWarning)
    about records skipped: Label Studio tasks nobody annotated, Prodigy answers reject/ignore.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "news.csv"
    >>> _ = path.write_text("text,label\\n芯片出口管制,semiconductors|policy\\n阿里云降价,cloud\\n", encoding="utf-8")
    >>> [(e.text, e.labels, e.line) for e in read_examples(path)]
    [('芯片出口管制', ('semiconductors', 'policy'), 2), ('阿里云降价', ('cloud',), 3)]
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # one file, not the characters of its name
    elif isinstance(paths, bytes) or not isinstance(paths, Iterable):  # bytes: its ints
        raise TypeError(f"paths must be a file path or a list of them, not {type(paths).__name__}")
    examples: list[Example] = []
    first = 0  # where the examples of the file being read start
    for i, path in enumerate(paths):
        check_path(f"paths[{i}]", path)
        path = Path(path)
        fmt = format or _format_of(path)
        if fmt not in FORMATS:
            raise DataError(
                f"unknown data format {fmt!r}",
                path=path,
                hint=f"use one of {', '.join(FORMATS)} with --data-format",
            )
        text = read_text(path, encoding)
        reader = {
            "jsonl": partial(_read_objects, "jsonl"),
            "json": partial(_read_objects, "json"),
            "csv": _read_csv,
            "tsv": _read_csv,
            "fasttext": _read_fasttext,
        }[fmt]
        options: dict[str, Any] = {
            "text_field": text_field,
            "label_field": label_field,
            "group_fields": group_field.split(",") if group_field else [],
        }
        if fmt in ("csv", "tsv"):
            options["delimiter"] = "\t" if fmt == "tsv" else ","
        if fmt == "fasttext":
            if group_field:
                raise DataError("fastText files have no fields to group by", path=path)
            options = {}
        skipped: Counter[_Skip] = Counter()
        for read in reader(text, str(path), **options):
            if isinstance(read, _Skip):
                skipped[read] += 1
            else:
                examples.append(read)
        for skip, count in skipped.items():
            warnings.warn(f"{path}: skipped {count} {skip.value}", DataWarning, stacklevel=2)
        _warn_joined_labels(examples[first:], path, fmt)
        first = len(examples)
    _warn_label_variants(examples)
    return examples


def _warn_joined_labels(examples: Sequence[Example], path: Path, fmt: str) -> None:
    """Warn about labels holding a separator: probably several labels written as one."""
    joined = sorted({label for e in examples for label in e.labels if JOINERS & set(label)})
    if not joined:
        return
    how = {
        "csv": "join labels with '|'",
        "tsv": "join labels with '|'",
        "fasttext": "give each label its own __label__ prefix",
    }.get(fmt, 'write several labels as a list, e.g. ["finance", "tech"]')
    shown = _some([repr(label) for label in joined], ", ")
    found = " or ".join(repr(c) for c in sorted(JOINERS.intersection("".join(joined))))
    warnings.warn(
        f"{path}: label(s) {shown} contain {found}, as if several labels were joined "
        f"into one; each is trained as one topic. If they are several labels, {how}",
        DataWarning,
        stacklevel=3,
    )


def _warn_label_variants(examples: Sequence[Example]) -> None:
    """Warn about labels that differ only by letter case or full/half width (reading has
    already stripped the whitespace around each label)."""
    files: dict[str, dict[str, None]] = {}  # label -> the files it is in, in reading order
    for e in examples:
        for label in e.labels:
            files.setdefault(label, {})[e.source or "?"] = None
    spellings: dict[str, list[str]] = {}
    for label in files:
        key = unicodedata.normalize("NFKC", label).strip().casefold()
        spellings.setdefault(key, []).append(label)
    groups = [labels for labels in spellings.values() if len(labels) > 1]
    if not groups:
        return
    described = [
        " vs ".join(f"{label!r} (in {', '.join(files[label])})" for label in labels)
        for labels in groups
    ]
    warnings.warn(
        f"labels that differ only by letter case or full/half width: {_some(described, '; ')}"
        ". Each spelling is trained as a different topic: write each label one way",
        DataWarning,
        stacklevel=3,
    )


def _some(items: Sequence[str], separator: str, shown: int = 5) -> str:
    """The first ``shown`` items joined, and how many more there are.

    >>> _some(list("abcdefg"), ", ")
    'a, b, c, d, e and 2 more'
    """
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return separator.join(items[:shown]) + more


def labeled_examples(examples: Any, caller: str) -> list[Example]:
    """``examples`` as a list, or TypeError if they are not ``Example`` objects (plain texts,
    say), naming ``caller``.

    >>> labeled_examples(["云计算"], "train")
    Traceback (most recent call last):
    TypeError: train needs labeled examples (tagger.data.Example objects, as read_examples returns), not str
    """
    if isinstance(examples, (str, bytes)) or not isinstance(examples, Iterable):
        wrong = type(examples).__name__
    else:
        examples = list(examples)
        wrong = next((type(e).__name__ for e in examples if not isinstance(e, Example)), "")
    if wrong:
        raise TypeError(
            f"{caller} needs labeled examples (tagger.data.Example objects, as read_examples "
            f"returns), not {wrong}"
        )
    return examples


def summarize(examples: Iterable[Example]) -> DataSummary:
    """Examples per label, multi-label and unlabeled counts, duplicates and conflicts, of a
    list or any iterable of examples (as ``train`` and ``evaluate`` take them).

    >>> summarize([Example("a", ("x",)), Example("a", ("y",))]).conflicting_duplicates
    1
    >>> summarize("abc")
    Traceback (most recent call last):
    TypeError: summarize needs labeled examples (tagger.data.Example objects, as read_examples returns), not str
    """
    examples = labeled_examples(examples, "summarize")  # a generator: listed, counted once
    labels = Counter(label for e in examples for label in e.labels)
    first: dict[str, Example] = {}
    variants: dict[str, set[frozenset[str]]] = {}  # label sets of the texts met again
    conflicts: list[str] = []
    for e in examples:
        earlier = first.setdefault(e.text, e)
        if earlier is e:
            continue
        original, mine = frozenset(earlier.labels), frozenset(e.labels)
        variants.setdefault(e.text, {original}).add(mine)
        if mine != original and len(conflicts) < 5:
            conflicts.append(f"{_where(earlier)} and {_where(e)}")
    return DataSummary(
        conflicts=conflicts,
        examples=len(examples),
        labels=dict(sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))),
        multi_label=sum(len(e.labels) > 1 for e in examples),
        no_label=sum(not e.labels for e in examples),
        duplicates=len(examples) - len(first),
        conflicting_duplicates=sum(len(v) > 1 for v in variants.values()),
        empty_texts=sum(not e.text.strip() for e in examples),
        files=sorted({e.source for e in examples}),
    )


def _where(example: Example) -> str:
    return f"{example.source or '?'}:{example.line}" if example.line else example.source or "?"


def same_text(text: str) -> str:
    """What two examples' texts are compared as when telling whether they are the same text
    (training and dev data, a split's copies, evaluated and training data): the text with
    surrounding whitespace stripped.

    >>> same_text(" 云计算市场\\n") == same_text("云计算市场")
    True
    """
    return text.strip()


def text_hash(text: str) -> int:
    """A 64-bit hash of ``text`` compared as ``same_text`` compares texts: BLAKE2b (8 bytes),
    the same in every process and version of Python, unlike ``hash``."""
    data = same_text(text).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def text_hashes(texts: Iterable[str]) -> np.ndarray:
    """The sorted, distinct ``text_hash`` of ``texts`` (uint64): what a model keeps of its
    training texts to tell later which texts it was trained on (8 bytes a text).

    >>> hashes = text_hashes(["云计算", " 云计算", "芯片"])
    >>> hashes.dtype.name, len(hashes)
    ('uint64', 2)
    >>> bool(np.isin(text_hashes(["芯片\\n"]), hashes).all())
    True
    """
    return np.unique(np.fromiter(map(text_hash, texts), dtype=np.uint64))


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return "fasttext"
    if suffix not in _EXTENSIONS:
        raise DataError(
            f"cannot tell the data format from the extension {suffix or '(none)'!r}",
            path=path,
            hint=f"name the file .jsonl/.json/.csv/.tsv/.txt or pass --data-format ({', '.join(FORMATS)})",
        )
    return _EXTENSIONS[suffix]


def _blank(which: str, label: str, source: str, line: int, fix: str) -> NoReturn:
    """DataError: ``which`` (a label) is empty or blank, and how to say "no topic"."""
    what = "an empty string" if not label else f"blank ({json.dumps(label)})"
    raise DataError(
        f"{which} is {what}: it names no topic",
        path=source,
        line=line,
        hint=f"{fix}; for an example with no topic write {NO_TOPIC}",
    )


def _labels(value: Any, source: str, line: int) -> tuple[str, ...]:
    if isinstance(value, str):
        if not value.strip():
            _blank("the label", value, source, line, 'name the topic, e.g. "cloud"')
        parts = [value]
    elif value is None:
        raise DataError(
            "the labels are null",
            path=source,
            line=line,
            hint=f'write the labels, e.g. ["cloud"]; for an example with no topic write {NO_TOPIC}',
        )
    elif isinstance(value, list):
        parts = value
    elif isinstance(value, dict) and list(value) == ["choices"]:  # Label Studio JSON-MIN
        parts = _choices(value["choices"], source, line)
    elif isinstance(value, dict):  # spaCy / Prodigy "cats": {"label": score}
        parts = [k for k, v in value.items() if _score(k, v, source, line) >= 0.5]
    else:
        raise DataError(
            f"labels must be a string or a list of strings, not {json_type(value)}",
            path=source,
            line=line,
            hint='write "label": "cloud" or "labels": ["cloud", "policy"]',
        )
    labels: list[str] = []
    for part in parts:
        if isinstance(part, str) and not part.strip():
            _blank("a label in the list", part, source, line, "name the topic, or remove it")
        if not isinstance(part, str):
            raise DataError(
                f"every label must be a string, got {json_type(part)}",
                path=source,
                line=line,
                hint=f'write labels as strings, e.g. ["cloud"]; for no topic write {NO_TOPIC}',
            )
        check_string(part, f"the label {shorten(part)!r}", source, line)
        if part.strip() not in labels:
            labels.append(part.strip())
    return tuple(labels)


def _choices(value: Any, source: str, line: int) -> list[Any]:
    """The labels of a Label Studio JSON-MIN ``{"choices": [...]}``."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return value
    raise DataError(
        f"'choices' must be a list of labels, not {json_type(value)}",
        path=source,
        line=line,
        hint='write {"choices": ["cloud", "policy"]}',
    )


def _score(label: str, value: Any, source: str, line: int) -> float:
    """A spaCy ``cats`` score: a number, or true/false for 1/0."""
    if isinstance(value, (int, float)):  # bool is an int: true scores 1, false 0
        return value
    raise DataError(
        f"label scores must be numbers (as in spaCy's cats), but {label!r} has "
        f"{shorten(json.dumps(value, ensure_ascii=False))}",
        path=source,
        line=line,
        hint='score each label from 0 to 1 (e.g. "cats": {"sports": 1.0, "finance": 0.0}); a '
        "score of 0.5 or more means the label applies",
    )


def _from_object(
    obj: Any,
    source: str,
    line: int,
    text_field: str | None,
    label_field: str | None,
    group_fields: Sequence[str] = (),
) -> Example | _Skip:
    obj = as_object(obj, source, line, RECORD)
    label_keys = (label_field,) if label_field else (*LABEL_FIELDS, "cats", "accept")
    if isinstance(obj.get("data"), dict) and (
        "annotations" in obj or _to_annotate(obj, text_field, label_keys)
    ):
        return _from_label_studio(obj, source, line, text_field, group_fields)
    if obj.get("answer") in PRODIGY_SKIPPED and label_field != "answer":
        return _Skip.REJECTED  # Prodigy: the annotator said the label (or choice) is wrong
    text = record_text(obj, source, line, text_field)
    hint = 'add "labels": [...] (an empty list for no topic) or name yours with --label-field'
    label_key = first_field(obj, label_keys, "label", source, line, hint)
    group = _group(obj, group_fields, source, line)
    return Example(text, _labels(lookup(obj, label_key), source, line), source, line, group)


def _to_annotate(obj: dict, text_field: str | None, label_keys: Sequence[str]) -> bool:
    """Whether ``obj`` is a Label Studio task to annotate (``{"id": 1, "data": {"text": ...}}``,
    no annotations yet): its text is in ``data`` and it has no label field."""
    found = find_text(obj, text_field)
    return found is not None and found[0].startswith("data.") and pick(obj, label_keys) is None


def _group(obj: dict, group_fields: Sequence[str], source: str, line: int) -> str:
    """The values of ``group_fields`` in ``obj``, joined; every record must have them all."""
    hint = "name an existing field with --group-field, or give every record the field"
    return "|".join(str(field_value(obj, f, "group", source, line, hint)) for f in group_fields)


def _from_label_studio(
    obj: dict, source: str, line: int, text_field: str | None, group_fields: Sequence[str]
) -> Example | _Skip:
    """The task's text with the choices of its first annotation that was not cancelled (none
    chosen: no topic), or _Skip.UNANNOTATED when there is no such annotation. Groups come from ``data``."""
    data = obj["data"]
    key = pick(data, (text_field,) if text_field else TEXT_FIELDS)  # a field of ``data``
    text = lookup(data, key) if key else (lookup(obj, text_field) if text_field else MISSING)
    if not isinstance(text, str):  # (--text-field data.text is a path from the task)
        raise DataError("Label Studio task without a text in 'data'", path=source, line=line)
    check_string(text, "the text", source, line)
    group = _group(data, group_fields, source, line)
    annotations = obj.get("annotations")
    annotations = annotations if isinstance(annotations, list) else []
    done = [a for a in annotations if not (isinstance(a, dict) and a.get("was_cancelled"))]
    if not done:
        return _Skip.UNANNOTATED
    choices: list[Any] = []
    results = done[0].get("result") if isinstance(done[0], dict) else None
    for result in results if isinstance(results, list) else []:
        value = result.get("value") if isinstance(result, dict) else None
        found = value.get("choices") if isinstance(value, dict) else None
        choices.extend(found if isinstance(found, list) else [])
    return Example(text, _labels(choices, source, line), source, line, group)


def _read_objects(
    fmt: str,
    text: str,
    source: str,
    text_field: str | None,
    label_field: str | None,
    group_fields: Sequence[str],
) -> Iterator[Example | _Skip]:
    """The examples of JSON lines or a JSON array of objects (``fmt``: see ``json_records``);
    an error about a record that shares its line with others names its number in the array
    too."""
    for item in json_records([text], source, fmt):
        obj = item.value
        if not (isinstance(obj, dict) and isinstance(obj.get("data"), dict)):  # Label Studio
            check_records(item, source, text_field, RECORD)
        try:
            found = _from_object(obj, source, item.line, text_field, label_field, group_fields)
        except DataError as error:
            raise error.in_record(item.line, item.record) from None
        yield found


def _read_csv(
    text: str,
    source: str,
    text_field: str | None,
    label_field: str | None,
    group_fields: Sequence[str],
    delimiter: str,
) -> Iterator[Example]:
    rows = csv_rows([text], source, delimiter, strict=False)  # "a"b is the field ab
    header = next(rows, None)
    if header is None:
        return
    columns = header[2]
    other, name, fmt = ("\t", "tabs", "tsv") if delimiter == "," else (",", "commas", "csv")
    if len(columns) == 1 and other in columns[0]:
        raise DataError(
            f"the header is separated by {name}",
            path=source,
            line=1,
            hint=f"pass --data-format {fmt} (or name the file .{fmt})",
        )
    text_col = column(columns, text_field, TEXT_FIELDS, "text", source)
    label_col = column(columns, label_field, LABEL_FIELDS, "label", source)
    group_cols = [column(columns, f, (f,), "group", source) for f in group_fields]
    for start, end, row in rows:
        if end > start and len(row[label_col].splitlines()) > 1:  # a quote left open
            raise run_on(source, start, end, "in its label column")
        labels = [p for p in row[label_col].split("|") if p.strip()]
        group = "|".join(row[i] for i in group_cols)
        yield Example(row[text_col], _labels(labels, source, start), source, start, group)


_FASTTEXT_FIRST = re.compile(rf"{FASTTEXT_PREFIX}(\S*)(?:\s+|$)")
_FASTTEXT_LAST = re.compile(rf"(?:^|\s){FASTTEXT_PREFIX}(\S*)\s*$")


def _fasttext_line(line: str) -> tuple[list[str], str]:
    """The labels and the text of a fastText line. As fastText reads it, labels are separated
    by any whitespace (tabs too) and may also end the line; the text between them is kept as
    written.

    >>> _fasttext_line("__label__cloud\\t__label__ai  云计算 和 AI")
    (['cloud', 'ai'], '云计算 和 AI')
    >>> _fasttext_line("云 计算 市场\\t__label__cloud")
    (['cloud'], '云 计算 市场')
    """
    rest = line.strip()
    labels = []
    while found := _FASTTEXT_FIRST.match(rest):
        labels.append(found[1])
        rest = rest[found.end() :]
    last = []
    while found := _FASTTEXT_LAST.search(rest):
        last.append(found[1])
        rest = rest[: found.start()].rstrip()
    return labels + last[::-1], rest


def _read_fasttext(text: str, source: str) -> Iterator[Example]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        labels, rest = _fasttext_line(line)
        if not labels:
            raise DataError(
                "line has no __label__ prefix",
                path=source,
                line=number,
                hint="write '__label__name text', or pick another format with --data-format",
            )
        if not all(labels):
            raise DataError(
                "a __label__ prefix with no label name",
                path=source,
                line=number,
                hint="write the label right after the prefix, e.g. '__label__cloud text'",
            )
        yield Example(rest, _labels(labels, source, number), source, number)
