"""records: one parser for JSON lines, JSON arrays and CSV/TSV, read whole or in chunks, by
the training-data readers and by ``tag``'s record inputs alike."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tagger import tagging
from tagger.data import read_examples
from tagger.errors import DataError
from tagger.records import csv_rows, json_items, json_lines, lines

RECORDS = [
    {"id": 1, "text": "阿里云下调云服务器价格", "labels": ["cloud"]},
    {"id": 2, "text": '芯片出口管制，"新规"\n下月生效', "labels": ["chips", "policy"]},
    {"id": 3, "text": "", "labels": []},
    {"id": 4, "text": "天气,晴\t转多云", "labels": ["weather"]},
]


def table(delimiter: str, newline: str = "\n") -> str:
    found = io.StringIO()
    writer = csv.writer(found, delimiter=delimiter, lineterminator=newline)
    writer.writerow(["id", "text", "labels"])
    writer.writerows([r["id"], r["text"], "|".join(r["labels"])] for r in RECORDS)
    return found.getvalue()


FILES = {
    "a.jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS),
    "a.json": json.dumps(RECORDS, ensure_ascii=False, indent=1),
    "a.csv": table(","),
    "a.tsv": table("\t"),
    "crlf.csv": table(",", "\r\n"),
    "cr.csv": table(",", "\r"),
}


@pytest.mark.parametrize("name", FILES)
def test_training_data_and_records_to_tag_are_read_alike(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(FILES[name].encode("utf-8"))
    examples = read_examples([path])
    assert [(e.text, list(e.labels)) for e in examples] == [
        (r["text"], r["labels"]) for r in RECORDS
    ]
    fmt = tagging.input_format_of(path)
    with path.open("rb") as stream:
        batches = tagging._record_batches(stream, str(path), fmt, tagging.Reading(), 5)
        records = [record for batch in batches for record in batch]
    assert [(r.line, r.text) for r in records] == [(e.line, e.text) for e in examples]
    assert [str(r.id) for r in records] == [str(r["id"]) for r in RECORDS]


def pieces(text: str, cuts: list[int]) -> list[str]:
    bounds = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


@given(cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=12))
def test_chunks_cut_anywhere_give_what_the_whole_text_gives(cuts):
    for name, text in FILES.items():
        parse = {"jsonl": json_lines, "json": json_items}.get(name.split(".")[1])
        if parse is None:
            delimiter = "\t" if name.endswith(".tsv") else ","
            parse = lambda chunks, source, d=delimiter: csv_rows(chunks, source, d)  # noqa: E731
        assert list(parse(pieces(text, cuts), name)) == list(parse([text], name))
        assert "".join(lines(pieces(text, cuts))) == text


def test_lines_split_as_universal_newlines_do():
    text = "a\r\nb\rc\n\nd\u2028e"  # U+2028 is no line break of a file (JSON strings hold it)
    assert list(lines([text])) == [*io.StringIO(text, newline="").readlines()[:4], "d\u2028e"]
    assert list(lines(["a\r", "\nb"])) == ["a\r\n", "b"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[{}, ]", r"line 1: a ',' before the '\]'"),
        ('[{"a": 1}\n', r"line 2: the JSON array is not closed"),
        ("[{}] x", r"line 1: more data after the JSON array"),
        ("[{} {}]", r"line 1: expected ',' or '\]' after an array item"),
        ('"text"', r"line 1: expected a JSON array of objects"),
    ],
)
def test_malformed_json_arrays(text, message):
    with pytest.raises(DataError, match=rf"a.json, {message}.*Fix: fix the JSON"):
        list(json_items([text], "a.json"))


def test_an_empty_json_file_holds_no_records():
    assert list(json_items(["  \n"], "a.json")) == []


def test_csv_strict_or_not():
    text = 'text,label\n"云"计算,cloud\n'
    assert list(csv_rows([text], "a.csv", strict=False))[1] == (2, 2, ["云计算", "cloud"])
    with pytest.raises(DataError, match=r"a.csv, line 2: malformed CSV"):
        list(csv_rows([text], "a.csv"))


def test_json_error_columns_count_from_the_line_start_whatever_the_pieces():
    text = '[{"id": 0, "text": "x"}, {"id": 1 "text": "y"},' + '\n {"id": 2, "text": "z"}' * 50
    for size in (1, 3, 7, 40, len(text)):  # the buffer refilled within the line, or never
        chunks = [text[i : i + size] for i in range(0, len(text), size)]
        with pytest.raises(DataError, match=r"line 1: malformed JSON \(.*, column 35\)"):
            list(json_items(chunks, "a.json"))
    text = '[{"id": 0,\n  "text": "x" "y"}]'
    for size in (1, 4, len(text)):  # after a line break in the item, counted from it
        chunks = [text[i : i + size] for i in range(0, len(text), size)]
        with pytest.raises(DataError, match=r"line 2: malformed JSON \(.*, column 15\)"):
            list(json_items(chunks, "a.json"))


def test_a_csv_field_longer_than_the_csv_modules_default_limit_is_read(tmp_path):
    long = "云" * 200_000  # the csv module refuses more than 131,072 characters by default
    text = f"id,text,labels\n1,{long},cloud\n2,芯片,chips\n"
    assert [row for _, _, row in csv_rows([text], "a.csv")][1:] == [
        ["1", long, "cloud"],
        ["2", "芯片", "chips"],
    ]
    path = tmp_path / "a.csv"
    path.write_text(text, encoding="utf-8")
    assert [e.text for e in read_examples([path])] == [long, "芯片"]
    with path.open("rb") as stream:
        batches = tagging._record_batches(stream, str(path), "csv", tagging.Reading(), 1 << 16)
        assert [r.text for batch in batches for r in batch] == [long, "芯片"]


UNPAIRED = [
    ('{"id": "a", "text": "阿里云\\ud800。", "labels": ["x"]}', r"the text holds .* \\ud800"),
    (
        '{"id": "a\\udc80", "text": "云", "labels": ["x"]}',
        r"the id \('id' field\) holds .* \\udc80",
    ),
    ('{"id": 1, "text": "云", "labels": ["x\\udfff"]}', r"the label .* holds .* \\udfff"),
]


@pytest.mark.parametrize(("line", "message"), UNPAIRED)
@pytest.mark.parametrize("name", ["a.jsonl", "a.json"])
def test_an_unpaired_surrogate_is_an_error_naming_its_line(tmp_path, name, line, message):
    path = tmp_path / name
    text = '{"id": 0, "text": "云😀\\ud83d\\ude00", "labels": ["x"]}\n' + line + "\n"
    text = text if name.endswith(".jsonl") else "[" + text.replace("\n", ",\n", 1) + "]"
    path.write_text(text, encoding="utf-8")
    pattern = rf"{name}, line 2: {message}.*Fix: write the character itself"
    reading = tagging.Reading()
    if "label" not in message:  # tag reads no labels
        with path.open("rb") as stream, pytest.raises(DataError, match=pattern):
            list(tagging._record_batches(stream, str(path), name[2:], reading, 1 << 16))
    if "id" not in message:  # train reads no ids
        with pytest.raises(DataError, match=pattern):
            read_examples([path])


def test_a_pair_of_surrogate_escapes_is_one_character(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "云\\ud83d\\ude00", "labels": ["😀"]}\n', encoding="utf-8")
    [example] = read_examples([path])
    assert example.text == "云😀" and example.labels == ("😀",)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": null, "labels": []}', "the 'text' field must be a string, not null"),
        ('{"text": {"a": 1}, "labels": []}', "the 'text' field must be a string, not object"),
        ('{"text": true, "labels": []}', "the 'text' field must be a string, not true"),
        ("[1]", "expected a JSON object, got array"),
        ("3", "expected a JSON object, got number"),
        ('{"text": "云", "labels": null}', "the labels are null"),
        ('{"text": "云", "labels": [null]}', "every label must be a string, got null"),
        ('{"text": "云", "labels": [" "]}', 'a label in the list is blank (" ")'),
        (
            '{"text": "云", "labels": {"choices": 2}}',
            "'choices' must be a list of labels, not number",
        ),
    ],
)
def test_record_errors_name_json_types(tmp_path, line, message):
    path = tmp_path / "a.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=f"line 1: {re.escape(message)}"):
        read_examples([path])
