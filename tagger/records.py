"""Records read from JSON lines, JSON arrays and CSV/TSV text given in chunks, each with the
line it starts on.

The parsers take the text as an iterable of pieces (a file read in chunks, or ``[text]`` for
a whole file) and stream (line, value) pairs (``JsonItem``s for JSON arrays) or (first line,
last line, row), so memory stays bounded by a record, not the file. Anything malformed is a
``DataError`` naming the source, the line and a fix. ``record_text`` and ``text_column`` find a record's text the same way for
training data (``data``) and for articles to tag (``tagging``).

>>> [(i.line, i.value) for i in json_items(['[{"text": "云计算"},\\n {"te', 'xt": "芯片"}]'], "a.json")]
[(1, {'text': '云计算'}), (2, {'text': '芯片'})]
>>> list(csv_rows(["id,text\\n1,云\\n"], "a.csv"))
[(1, 1, ['id', 'text']), (2, 2, ['1', '云'])]
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from .errors import DataError

__all__ = [
    "MISSING",
    "TEXT_FIELDS",
    "JsonItem",
    "as_object",
    "check_records",
    "check_string",
    "column",
    "csv_rows",
    "field_value",
    "find_text",
    "first_field",
    "json_items",
    "json_lines",
    "json_records",
    "json_type",
    "lines",
    "lookup",
    "malformed",
    "pick",
    "record_text",
    "run_on",
    "shorten",
    "text_column",
]

SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv"}
"""The record format a file's extension names (training data and ``tagger tag`` alike)."""
TEXT_FIELDS = ("text", "content", "sentence", "正文", "内容", "文本", "title", "标题")
"""Field or column names tried in this order for a record's text when none is named: body
fields, English then Chinese, before titles (a record with a title and a body is its body)."""

MISSING: Any = object()
"""What ``lookup`` gives for a field a record does not have."""

_BREAK = re.compile(r"\r\n|\r|\n")
_JSON = json.JSONDecoder()
_SPACE = " \t\r\n"
_SURROGATE = re.compile("[\ud800-\udfff]")
CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)
"""The largest CSV field read: the csv module's default (131,072 characters) refuses a long
article in one cell as if it were malformed."""


def lines(chunks: Iterable[str]) -> Iterator[str]:
    """The lines of a text given in chunks, each with its line break (``\\n``, ``\\r\\n`` or
    ``\\r``, as ``open(..., newline="")`` splits them).

    >>> list(lines(["a\\r", "\\nb\\rc"]))
    ['a\\r\\n', 'b\\r', 'c']
    """
    pending = ""
    for chunk in chunks:
        text, start = pending + chunk, 0
        for found in _BREAK.finditer(text):
            if found.end() == len(text) and found.group() == "\r":
                break  # a '\n' may start the next chunk
            yield text[start : found.end()]
            start = found.end()
        pending = text[start:]
    if pending:
        yield pending


def json_lines(chunks: Iterable[str], source: str) -> Iterator[tuple[int, Any]]:
    """(line number, value) for every non-blank line of JSON lines.

    >>> list(json_lines(['{"a": 1}\\n\\n[2]\\n'], "a.jsonl"))
    [(1, {'a': 1}), (3, [2])]
    """
    for number, line in enumerate(lines(chunks), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            detail, hint = (
                f"{exc.msg}, column {exc.colno}",
                "each line must be one complete JSON object",
            )
            raise malformed("JSON", detail, source, number, hint) from None


class JsonItem(NamedTuple):
    """A value ``json_items`` read: the line it starts on, the value, its number in the JSON
    array (from 1) when another item of the array shares a line with it (else None: the line
    says which it is), and whether it is the whole text (one value, not in an array)."""

    line: int
    value: Any
    record: int | None
    alone: bool


def json_records(chunks: Iterable[str], source: str, fmt: str) -> Iterator[JsonItem]:
    """The values of JSON lines (``fmt`` ``jsonl``: ``json_lines``) or of a JSON array
    (``json``: ``json_items``), as ``JsonItem``s.

    >>> [(i.line, i.value) for i in json_records(['{"a": 1}\\n{"a": 2}\\n'], "a.jsonl", "jsonl")]
    [(1, {'a': 1}), (2, {'a': 2})]
    """
    if fmt == "jsonl":
        return (JsonItem(line, obj, None, False) for line, obj in json_lines(chunks, source))
    return json_items(chunks, source)


def json_items(chunks: Iterable[str], source: str) -> Iterator[JsonItem]:
    """Every item of a JSON array, read one item at a time, as a ``JsonItem``: the line it
    starts on, which item of a line it is and whether the text holds nothing else; a text of
    objects one after the other (JSON lines, or one object) gives each of them, and an empty
    text none.

    >>> [(i.line, i.value) for i in json_items(['{"a": 1}\\n{"a": 2}\\n'], "a.json")]
    [(1, {'a': 1}), (2, {'a': 2})]
    >>> [(i.line, i.record) for i in json_items(['[{"a": 1}, {"a": 2},\\n {"a": 3}]'], "a.json")]
    [(1, 1), (1, 2), (2, None)]
    >>> list(json_items(['{"data": []}'], "a.json"))
    [JsonItem(line=1, value={'data': []}, record=None, alone=True)]
    """
    pieces = iter(chunks)
    buffer, pos, line = "", 0, 1  # ``line``: the line number at buffer[0]
    offset = 0  # the characters of that line before buffer[0] (dropped with the text read)
    counted, counted_line = 0, 1  # the line number at buffer[counted], counted so far

    def line_at(at: int) -> int:
        nonlocal counted, counted_line
        if at < counted:
            counted, counted_line = 0, line
        counted_line += buffer.count("\n", counted, at)
        counted = at
        return counted_line

    def column_at(at: int) -> int:
        """The column (from 1) of buffer[at] in its line."""
        start = buffer.rfind("\n", 0, at) + 1
        return at - start + 1 + (offset if start == 0 else 0)

    def more() -> bool:
        nonlocal buffer, pos, line, offset, counted, counted_line
        piece = next(pieces, None)
        if piece is None:
            return False
        line, offset = line_at(pos), column_at(pos) - 1
        buffer, pos, counted, counted_line = buffer[pos:] + piece, 0, 0, line
        return True

    def skip_space() -> str:
        """The next character that is not whitespace ("" at the end), ``pos`` on it."""
        nonlocal pos
        while True:
            while pos < len(buffer) and buffer[pos] in _SPACE:
                pos += 1
            if pos < len(buffer) or not more():
                return buffer[pos : pos + 1]

    def error(message: str, at: int) -> DataError:
        return DataError(
            message,
            path=source,
            line=line_at(at),
            hint='fix the JSON: an array of objects, [{"text": "..."}, ...]',
        )

    first = skip_space()
    array, after_comma = first == "[", False
    index, previous_end = 0, 0  # items read, the line the last one ended on
    if array:
        pos += 1
    elif first and first != "{":
        raise error("expected a JSON array of objects", pos)
    while True:
        found = skip_space()
        if not found:
            if array:
                raise error("the JSON array is not closed (a ']' is missing)", pos)
            return
        if array and found == "]":
            if after_comma:
                raise error("a ',' before the ']' (JSON allows no comma after the last item)", pos)
            pos += 1
            if skip_space():
                raise error("more data after the JSON array", pos)
            return
        while True:
            try:
                value, end = _JSON.raw_decode(buffer, pos)
            except json.JSONDecodeError as exc:
                if more():
                    continue
                column = column_at(exc.pos)
                raise error(f"malformed JSON ({exc.msg}, column {column})", exc.pos) from None
            if end < len(buffer) or not more():
                break
        start, ends = line_at(pos), line_at(end)
        pos = end
        if not array:
            yield JsonItem(start, value, None, index == 0 and not skip_space())
            index += 1
            continue
        following, next_line = skip_space(), 0
        after_comma = following == ","
        if after_comma:
            pos += 1
            if skip_space() not in ("", "]"):
                next_line = line_at(pos)
        elif not following:
            raise error("the JSON array is not closed (a ']' is missing)", pos)
        elif following != "]":
            raise error("expected ',' or ']' after an array item", pos)
        index += 1
        shared = start == previous_end or next_line == ends
        previous_end = ends
        yield JsonItem(start, value, index if shared else None, False)


def csv_rows(
    chunks: Iterable[str], source: str, delimiter: str = ",", *, strict: bool = True
) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, row) for the header (its names stripped of spaces and a BOM)
    and every row that is not blank; a quoted field can hold line breaks, so a row can end on
    a later line than it starts.

    A row without as many columns as the header is a DataError, which names the line a quote
    is probably left open on when the row runs on. ``strict`` makes text after a closing
    quote, and a quote still open at the end, malformed CSV; without, the field is taken as it
    is (and a quote left open shows as a row running on).

    >>> list(csv_rows(['\\ufeffid\\ttext \\n\\n1\\t"云\\n计算"\\n2\\t芯片'], "a.tsv", "\\t"))
    [(1, 1, ['id', 'text']), (3, 4, ['1', '云\\n计算']), (5, 5, ['2', '芯片'])]
    """
    if csv.field_size_limit() < CSV_FIELD_LIMIT:  # process-wide: raised once, never lowered
        csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(lines(chunks), delimiter=delimiter, strict=strict)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise malformed("CSV header", str(exc), source, 1, None) from None
    columns = [c.strip().lstrip("\ufeff") for c in header]
    yield 1, reader.line_num, columns
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            hint = 'close every quote, and write a quote inside a quoted field as two ("")'
            raise malformed("CSV", str(exc), source, start, hint) from None
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            count = f"expected {len(columns)} columns, found {len(row)}"
            if reader.line_num > start:
                raise run_on(source, start, reader.line_num, f"({count})")
            raise DataError(
                count,
                path=source,
                line=start,
                hint="quote fields that contain the delimiter, and close every quote you open",
            )
        yield start, reader.line_num, row


def run_on(source: str, start: int, end: int, detail: str) -> DataError:
    """The error for a CSV row that starts on line ``start`` and runs on to ``end``: a quote
    probably left open; ``detail`` says how the row shows it."""
    return DataError(
        f"a quote on this line is probably not closed: the row runs on to line {end} {detail}",
        path=source,
        line=start,
        hint='close the quote, and write a quote inside a quoted field as two ("")',
    )


def malformed(what: str, detail: str, source: str, line: int, hint: str | None) -> DataError:
    """The error for malformed ``what`` (JSON, CSV, a CSV header) on ``line``."""
    return DataError(f"malformed {what} ({detail})", path=source, line=line, hint=hint)


def as_object(obj: Any, source: str, line: int, example: str = '{"text": "..."}') -> dict:
    """``obj`` if it is a JSON object; DataError otherwise, its fix showing ``example``.

    >>> as_object({"text": "云"}, "a.jsonl", 1)
    {'text': '云'}
    """
    if not isinstance(obj, dict):
        raise DataError(
            f"expected a JSON object, got {json_type(obj)}",
            path=source,
            line=line,
            hint=f"write one object a record: {example}",
        )
    return obj


def first_field(
    obj: dict, keys: Sequence[str], what: str, source: str, line: int, hint: str
) -> str:
    """The first of ``keys`` that ``obj`` has; DataError naming them all when it has none.

    >>> first_field({"body": "x", "内容": "y"}, ("text", "内容", "body"), "text", "a.jsonl", 1, "")
    '内容'
    """
    key = pick(obj, keys)
    if key is None:
        raise _no_field(what, keys, source, line, hint)
    return key


def _no_field(what: str, keys: Sequence[str], source: str, line: int, hint: str) -> DataError:
    return DataError(
        f"no {what} field (looked for {', '.join(keys)})", path=source, line=line, hint=hint
    )


def lookup(obj: dict, name: str) -> Any:
    """``obj``'s field ``name``: the key ``name`` when ``obj`` has it, else a dotted path
    through nested objects (``data.text`` is ``obj["data"]["text"]``, and a key holding a dot
    is still found whole at any depth); ``MISSING`` when there is neither.

    >>> lookup({"data": {"text": "云"}}, "data.text"), lookup({"a.b": 1, "a": {"b": 2}}, "a.b")
    ('云', 1)
    >>> lookup({"meta": {"doc.id": 7}}, "meta.doc.id"), lookup({"data": "x"}, "data.text") is MISSING
    (7, True)
    """
    if name in obj:
        return obj[name]
    head, dot, rest = name.partition(".")
    while dot:
        inner = obj.get(head)
        if isinstance(inner, dict):
            found = lookup(inner, rest)
            if found is not MISSING:
                return found
        more, dot, rest = rest.partition(".")
        head += "." + more
    return MISSING


def find_text(obj: dict, text_field: str | None = None) -> tuple[str, Any] | None:
    """The name (a dotted path when nested) and the value of a record's text field:
    ``text_field``, else the first of ``TEXT_FIELDS`` it has; a record without it whose
    ``data`` is an object (a Label Studio task) has its text there, as ``data.text``. None
    when the record has no text field.

    >>> find_text({"id": 1, "data": {"text": "云"}})
    ('data.text', '云')
    >>> find_text({"data": {"body": "云"}}, "body"), find_text({"data": {"body": "云"}}, "data.body")
    (('data.body', '云'), ('data.body', '云'))
    """
    keys = (text_field,) if text_field else TEXT_FIELDS
    key = pick(obj, keys)
    if key is not None:
        return key, lookup(obj, key)
    data = obj.get("data")
    key = pick(data, keys) if isinstance(data, dict) else None
    return None if key is None else (f"data.{key}", lookup(data, key))


def field_value(obj: dict, key: str, what: str, source: str, line: int, hint: str) -> Any:
    """``lookup(obj, key)``; DataError naming the fields ``obj`` has when it has no ``key``.

    >>> field_value({"id": 7}, "id", "id", "a.jsonl", 1, ""), field_value({"m": {"id": 8}}, "m.id", "id", "", 1, "")
    (7, 8)
    """
    value = lookup(obj, key)
    if value is MISSING:
        raise DataError(
            f"no {what} field {key!r} (the record has {', '.join(map(str, obj)) or 'no fields'})",
            path=source,
            line=line,
            hint=hint,
        )
    return value


def pick(obj: dict, keys: Iterable[str]) -> str | None:
    """The first of ``keys`` that ``obj`` has (as ``lookup`` finds them: a key, else a dotted
    path), else None.

    >>> pick({"body": "x", "内容": "y"}, ("text", "内容", "body")), pick({"m": {"t": 1}}, ["m.t"])
    ('内容', 'm.t')
    """
    return next((k for k in keys if lookup(obj, k) is not MISSING), None)


def check_records(item: JsonItem, source: str, text_field: str | None, example: str) -> None:
    """DataError when a JSON text is one object with no text field (``{"data": [...]}``): a
    wrapper around the records, not an array of them (which said "no text field"); the fix
    names the field holding a list, if one does, and shows ``example``, a record.

    >>> check_records(JsonItem(1, {"data": []}, None, True), "a.json", None, '{"text": "..."}')
    Traceback (most recent call last):
    tagger.errors.DataError: a.json: holds one JSON object (with the field data), not an array of records. Fix: the records seem to be its "data" list: make that list the whole file, [{"text": "..."}, ...], or write one record a line in a .jsonl file
    """
    obj = item.value
    if not item.alone or not isinstance(obj, dict):
        return
    if find_text(obj, text_field) is not None:
        return  # one record
    names = [shorten(str(k), 20) for k in list(obj)[:5]] + (["..."] if len(obj) > 5 else [])
    what = f"the field{'s' if len(obj) > 1 else ''} {', '.join(names)}" if obj else "no field"
    listed = next((k for k, v in obj.items() if isinstance(v, list)), None)
    if listed is None:
        fix = "write the records as a JSON array, "
    else:
        fix = f'the records seem to be its "{shorten(listed, 20)}" list: make that list the '
        fix += "whole file, "
    raise DataError(
        f"holds one JSON object (with {what}), not an array of records",
        path=source,
        hint=f"{fix}[{example}, ...], or write one record a line in a .jsonl file",
    )


def record_text(obj: Any, source: str, line: int, text_field: str | None = None) -> str:
    """The text of one record (``find_text``): its ``text_field``, else the first of
    ``TEXT_FIELDS`` it has, else that of its ``data`` (a Label Studio task).

    Raises DataError naming ``source`` and ``line`` when the record is not an object, has no
    such field, or its value is not a string.

    >>> record_text({"id": 7, "content": "云计算"}, "a.jsonl", 1)
    '云计算'
    >>> record_text({"id": 7, "meta": {"body": "芯片"}}, "a.jsonl", 1, "meta.body")
    '芯片'
    """
    obj = as_object(obj, source, line)
    found = find_text(obj, text_field)
    if found is None:
        keys = (text_field,) if text_field else TEXT_FIELDS
        hint = 'add a "text" field or name yours with --text-field'
        raise _no_field("text", keys, source, line, hint)
    text_key, text = found
    if not isinstance(text, str):
        raise DataError(
            f"the {text_key!r} field must be a string, not {json_type(text)}",
            path=source,
            line=line,
            hint="write the text as a string, or name another field with --text-field",
        )
    return check_string(text, "the text", source, line)


def check_string(value: str, what: str, source: str, line: int) -> str:
    """``value`` if it holds no surrogate, else DataError naming ``what`` (e.g. "the text").

    JSON reads an escape of half a UTF-16 pair not followed by the other half (``"\\ud800"``)
    as a surrogate, which is no character: no UTF-8 output or hash can hold it.

    >>> check_string("云" + chr(0xD800), "the text", "a.jsonl", 3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    tagger.errors.DataError: a.jsonl, line 3: the text holds an unpaired surrogate \\ud800 ...
    """
    found = None if value.isascii() else _SURROGATE.search(value)
    if found is None:
        return value
    raise DataError(
        f"{what} holds an unpaired surrogate \\u{ord(found.group()):04x} (character "
        f"{found.start() + 1}), half of a UTF-16 pair written as a JSON escape: no character",
        path=source,
        line=line,
        hint="write the character itself, or both halves of its pair (\\ud83d\\ude00 is 😀); "
        "a lone half is usually what is left of a string cut in the middle: delete it",
    )


def json_type(value: Any) -> str:
    """The JSON name of ``value``'s type, as a record's error messages name it.

    >>> [json_type(v) for v in (None, True, 1.5, "a", {}, [])]
    ['null', 'true', 'number', 'string', 'object', 'array']
    """
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return "number" if math.isfinite(value) else json.dumps(value)
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, (list, tuple)) else type(value).__name__


def text_column(columns: list[str], text_field: str | None, source: str) -> int:
    """The index of the text column in a CSV header: ``text_field``, else the first of
    ``TEXT_FIELDS`` (case does not matter); DataError naming the header otherwise.

    >>> text_column(["id", "Content"], None, "a.csv")
    1
    """
    return column(columns, text_field, TEXT_FIELDS, "text", source)


def column(
    columns: list[str], wanted: str | None, defaults: Sequence[str], what: str, source: str
) -> int:
    """The index of the ``what`` column in a CSV header: ``wanted``, else the first of
    ``defaults`` (case does not matter); DataError naming the header otherwise.

    >>> column(["text", "Label"], None, ("labels", "label"), "label", "a.csv")
    1
    """
    names = [c.lower() for c in columns]
    for name in (wanted,) if wanted else defaults:
        if name.lower() in names:
            return names.index(name.lower())
    header = shorten(", ".join(columns))
    raise DataError(
        f"no {what} column (header has {header}; looked for {', '.join((wanted,) if wanted else defaults)})",
        path=source,
        line=1,
        hint=f"name the column '{defaults[0]}' or pass --{what}-field; if the first line is "
        "data, add a header line above it (e.g. text,label)",
    )


def shorten(text: str, width: int = 40) -> str:
    """``text`` as an error message quotes it: at most ``width`` characters.

    >>> shorten("阿里云发布新一代云服务器" * 5, 10)
    '阿里云发布新一代云…'
    """
    return text if len(text) <= width else text[: width - 1] + "…"
