from __future__ import annotations

import json
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tagger.data import DataWarning, Example, read_examples, summarize
from tagger.errors import DataError


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_jsonl_with_labels_label_and_empty_list(tmp_path):
    path = write(
        tmp_path / "a.jsonl",
        '{"text": "云计算", "labels": ["cloud"]}\n\n'
        '{"text": "芯片", "label": "chips"}\n'
        '{"content": "闲聊", "labels": []}\n'
        '{"text": "两者", "cats": {"cloud": 1.0, "chips": 0.9, "x": 0.1}}\n',
    )
    examples = read_examples([path])
    assert [e.labels for e in examples] == [("cloud",), ("chips",), (), ("cloud", "chips")]
    assert [e.line for e in examples] == [1, 3, 4, 5]
    assert examples[0].source == str(path)


def test_csv_and_tsv_with_pipe_joined_labels(tmp_path):
    csv_path = write(tmp_path / "a.csv", 'label,content\ncloud|chips,"云,芯片"\nchips,芯片\n')
    tsv_path = write(tmp_path / "b.tsv", "text\tlabel\n天气\tweather\n")
    examples = read_examples([csv_path, tsv_path])
    assert [(e.text, e.labels) for e in examples] == [
        ("云,芯片", ("cloud", "chips")),
        ("芯片", ("chips",)),
        ("天气", ("weather",)),
    ]
    assert examples[1].line == 3


def test_fasttext_format(tmp_path):
    path = write(
        tmp_path / "a.txt", "__label__cloud __label__ai 云计算 和 AI\n__label__chips 芯片\n"
    )
    examples = read_examples([path])
    assert examples[0] == Example("云计算 和 AI", ("cloud", "ai"), str(path), 1)


def test_fasttext_labels_separated_by_tabs_or_at_the_end_of_the_line(tmp_path):
    # fastText splits on any whitespace: a tab after the label (a common layout) used to be
    # read as part of the label, leaving the text empty, so the example was dropped
    path = write(
        tmp_path / "a.txt",
        "__label__cloud\t阿里云下调价格\n"
        "__label__cloud  __label__ai 云计算 和 AI\n"
        "国产 芯片 量产\t__label__chips\n",
    )
    examples = read_examples([path])
    assert [(e.text, e.labels) for e in examples] == [
        ("阿里云下调价格", ("cloud",)),
        ("云计算 和 AI", ("cloud", "ai")),
        ("国产 芯片 量产", ("chips",)),
    ]


def test_json_array_and_label_studio_export(tmp_path):
    tasks = [
        {
            "data": {"text": "云计算"},
            "annotations": [{"result": [{"value": {"choices": ["cloud"]}}]}],
        },
        {"text": "芯片", "labels": ["chips"]},
    ]
    path = write(tmp_path / "export.json", json.dumps(tasks, ensure_ascii=False, indent=1))
    assert [e.labels for e in read_examples([path])] == [("cloud",), ("chips",)]


def test_label_studio_tasks_nobody_annotated_are_skipped_with_a_warning(tmp_path):
    def task(text, *annotations):
        return {"data": {"text": text}, "annotations": list(annotations)}

    def choice(*labels, cancelled=False):
        return {"was_cancelled": cancelled, "result": [{"value": {"choices": list(labels)}}]}

    tasks = [
        task("云计算", choice("cloud")),
        task("没人标注"),
        task("放弃了", choice(cancelled=True)),
        task("闲聊", choice()),  # annotated, nothing chosen: no topic
        task("芯片", choice("cloud", cancelled=True), choice("chips")),
        {"data": {"text": "只有预测"}, "annotations": [], "predictions": [choice("cloud")]},
    ]
    path = write(tmp_path / "export.json", json.dumps(tasks, ensure_ascii=False))
    with pytest.warns(DataWarning, match=r"export.json: skipped 3 Label Studio task\(s\)"):
        examples = read_examples([path])
    assert [(e.text, e.labels) for e in examples] == [
        ("云计算", ("cloud",)),
        ("闲聊", ()),
        ("芯片", ("chips",)),
    ]


def test_prodigy_records_answered_reject_or_ignore_are_skipped_with_one_warning(tmp_path):
    records = [
        {"text": "云计算", "label": "cloud", "answer": "accept"},
        {"text": "天气", "label": "cloud", "answer": "reject"},
        {"text": "芯片", "accept": ["chips"], "answer": "accept"},
        {"text": "闲聊", "accept": ["chips"], "answer": "ignore"},
        {"text": "政策", "label": "policy", "answer": "reject"},
        {"text": "问答", "label": "qa", "answer": "北京"},  # an "answer" that is not Prodigy's
    ]
    path = write(tmp_path / "prodigy.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    with pytest.warns(DataWarning) as caught:
        examples = read_examples([path])
    assert [str(w.message) for w in caught] == [
        f"{path}: skipped 3 record(s) whose Prodigy answer is reject or ignore"
    ]
    assert [(e.text, e.labels, e.line) for e in examples] == [
        ("云计算", ("cloud",), 1),
        ("芯片", ("chips",), 3),
        ("问答", ("qa",), 6),
    ]
    assert read_examples([path], label_field="answer")[1].labels == ("reject",)


def test_label_studio_json_min_choices_and_boolean_cats_are_labels(tmp_path):
    tasks = [
        {"id": 1, "text": "云计算芯片", "topic": {"choices": ["cloud", "chips"]}},
        {"id": 2, "text": "云计算", "topic": "cloud"},
        {"id": 3, "text": "芯片", "topic": {"choices": "chips"}},
        {"id": 4, "text": "闲聊", "topic": {"choices": []}},
    ]
    path = write(tmp_path / "min.json", json.dumps(tasks, ensure_ascii=False, indent=1))
    examples = read_examples([path], label_field="topic")
    assert [e.labels for e in examples] == [("cloud", "chips"), ("cloud",), ("chips",), ()]
    path = write(
        tmp_path / "a.jsonl",
        '{"text": "足球", "cats": {"sports": true, "finance": false}}\n'
        '{"text": "医院", "labels": {"choices": ["health"]}}\n',
    )
    assert [e.labels for e in read_examples([path])] == [("sports",), ("health",)]


@pytest.mark.parametrize(
    ("cats", "message"),
    [
        ('{"sports": "no", "finance": "yes"}', "but 'sports' has \"no\""),
        ('{"sports": 0.9, "travel": [1]}', r"but 'travel' has \[1\]"),
        ('{"choices": {"a": 1}}', "'choices' must be a list of labels, not object"),
    ],
)
def test_label_dict_with_scores_that_are_not_numbers_is_an_error(tmp_path, cats, message):
    path = write(
        tmp_path / "a.jsonl",
        '{"text": "云", "labels": []}\n{"text": "股市", "cats": ' + cats + "}\n",
    )
    with pytest.raises(DataError, match=rf"a.jsonl, line 2: .*{message}\. Fix: "):
        read_examples([path])


def test_read_examples_takes_one_file_as_a_str_or_path(tmp_path):
    path = write(tmp_path / "a.jsonl", '{"text": "云", "labels": ["cloud"]}\n')
    for one in (path, str(path)):
        assert [(e.text, e.labels) for e in read_examples(one)] == [("云", ("cloud",))]


def test_example_takes_one_label_as_a_str_and_refuses_text_that_is_not_a_str():
    assert Example("云计算", "cloud").labels == ("cloud",)
    assert Example("云计算", ["cloud", "chips"]) == Example("云计算", ("cloud", "chips"))
    assert Example("闲聊", ()).labels == ()
    with pytest.raises(TypeError, match="Example text must be a str, not int"):
        Example(5, ("cloud",))
    with pytest.raises(TypeError, match="Example labels must be str, not int"):
        Example("云", (1,))
    with pytest.raises(TypeError, match="Example labels must be a str or a tuple of str"):
        Example("云", None)


def test_example_sorts_a_set_of_labels_and_refuses_an_empty_label():
    for labels in ({"policy", "cloud", "chips"}, frozenset({"policy", "cloud", "chips"})):
        assert Example("云计算", labels).labels == ("chips", "cloud", "policy")
    assert Example("云计算", set()).labels == ()
    for labels in ("", " ", ("cloud", "\t"), [""]):
        with pytest.raises(ValueError, match="Example labels must not be empty or only whitespace"):
            Example("云计算", labels)


def test_labels_that_look_joined_are_warned_about_per_file(tmp_path):
    csv_path = write(tmp_path / "a.csv", 'text,label\n云,"finance,tech"\n芯,a、b|chips\n雨,x\n')
    jsonl = write(tmp_path / "b.jsonl", '{"text": "云", "labels": ["财经；科技", "x"]}\n')
    fasttext = write(tmp_path / "c.txt", "__label__x 云\n")
    with pytest.warns(DataWarning) as caught:
        examples = read_examples([csv_path, jsonl, fasttext])
    assert [e.labels for e in examples][:2] == [("finance,tech",), ("a、b", "chips")]
    assert [str(w.message) for w in caught] == [
        f"{csv_path}: label(s) 'a、b', 'finance,tech' contain ',' or '、', as if several "
        "labels were joined into one; each is trained as one topic. If they are several "
        "labels, join labels with '|'",
        f"{jsonl}: label(s) '财经；科技' contain '；', as if several labels were joined into "
        "one; each is trained as one topic. If they are several labels, write several labels "
        'as a list, e.g. ["finance", "tech"]',
    ]


def test_labels_differing_only_by_case_or_width_are_warned_about(tmp_path):
    one = write(tmp_path / "a.jsonl", '{"text": "云", "labels": ["Health", "ＡＩ"]}\n')
    two = write(tmp_path / "b.csv", "text,label\n芯,health|AI\n雨,Health\n")
    with pytest.warns(DataWarning) as caught:
        read_examples([one, two])
    assert [str(w.message) for w in caught] == [
        f"labels that differ only by letter case or full/half width: 'Health' (in {one}, "
        f"{two}) vs 'health' (in {two}); 'ＡＩ' (in {one}) vs 'AI' (in {two}). Each spelling "
        "is trained as a different topic: write each label one way"
    ]
    same = write(tmp_path / "c.csv", "text,label\n芯,Health|AI\n雨,Health\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one spelling each: no warning
        assert len(read_examples(same)) == 2


def test_format_option_overrides_the_extension(tmp_path):
    path = write(tmp_path / "data.dat", '{"text": "云", "labels": ["cloud"]}\n')
    assert read_examples([path], "jsonl")[0].labels == ("cloud",)
    with pytest.raises(DataError, match=r"cannot tell the data format .*--data-format"):
        read_examples([path])
    with pytest.raises(DataError, match="unknown data format 'yaml'"):
        read_examples([path], "yaml")


def test_malformed_jsonl_names_file_and_line(tmp_path):
    path = write(tmp_path / "a.jsonl", '{"text": "云", "labels": ["cloud"]}\n{"text": "芯片", \n')
    with pytest.raises(DataError, match=r"a.jsonl, line 2: malformed JSON"):
        read_examples([path])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"labels": ["cloud"]}', "no text field"),
        ('{"text": "云"}', "no label field"),
        ('{"text": "云", "labels": [1]}', "every label must be a string, got number"),
        ('{"text": "云", "labels": 3}', "labels must be a string or a list"),
        ('{"text": 5, "labels": ["x"]}', "the 'text' field must be a string"),
        ('["云", "cloud"]', "expected a JSON object"),
    ],
)
def test_bad_fields_are_clear_errors(tmp_path, line, message):
    path = write(tmp_path / "a.jsonl", line + "\n")
    with pytest.raises(DataError, match=rf"line 1: {message}"):
        read_examples([path])


def test_chinese_field_and_column_names_are_found_without_options(tmp_path):
    csv_path = write(
        tmp_path / "a.csv", "\ufeff编号,标题,正文,标签\n1,云,阿里云发布服务器,cloud|chips\n"
    )
    tsv_path = write(tmp_path / "b.tsv", "内容\t类别\n芯片出口\tchips\n")
    jsonl = write(
        tmp_path / "c.jsonl", '{"文本": "天气", "分类": "weather"}\n{"标题": "云", "主题": []}\n'
    )
    titled = write(tmp_path / "d.csv", "id,title,正文,label\n1,云计算价格战,芯片出口管制,chips\n")
    examples = read_examples([csv_path, tsv_path, jsonl, titled])
    assert [(e.text, e.labels) for e in examples] == [
        ("阿里云发布服务器", ("cloud", "chips")),
        ("芯片出口", ("chips",)),
        ("天气", ("weather",)),
        ("云", ()),
        ("芯片出口管制", ("chips",)),  # the body, not the English title before it
    ]
    both = write(tmp_path / "d.csv", "标签,label,内容,text\nx,cloud,y,云\n")  # English first
    assert [(e.text, e.labels) for e in read_examples(both)] == [("云", ("cloud",))]


def test_csv_without_a_text_column(tmp_path):
    path = write(tmp_path / "a.csv", "body,label\n云,cloud\n")
    with pytest.raises(DataError, match=r"a.csv, line 1: no text column .*--text-field"):
        read_examples([path])
    assert read_examples([path], text_field="body")[0].text == "云"


def test_group_fields_are_read_and_a_missing_one_is_an_error(tmp_path):
    lines = [
        '{"text": "云", "labels": ["cloud"], "source": "a.txt", "article": 0}',
        '{"text": "芯", "labels": ["chips"], "source": "a.txt", "article": 1}',
        '{"text": "雨", "labels": [], "source": "b.txt"}',
    ]
    path = write(tmp_path / "a.jsonl", "\n".join(lines) + "\n")
    two = write(tmp_path / "two.jsonl", "\n".join(lines[:2]) + "\n")
    examples = read_examples([two], group_field="source,article")
    assert [e.group for e in examples] == ["a.txt|0", "a.txt|1"]
    with pytest.raises(
        DataError,
        match=r"two.jsonl, line 1: no group field 'nosuch' \(the record has text, labels, "
        r"source, article\)\. Fix: name an existing field with --group-field",
    ):
        read_examples([two], group_field="nosuch")
    with pytest.raises(DataError, match=r"a.jsonl, line 3: no group field 'article'"):
        read_examples([path], group_field="source,article")
    export = [{"data": {"text": "云", "article": 7}, "annotations": [{"result": []}]}]
    path = write(tmp_path / "export.json", json.dumps(export))
    assert read_examples([path], group_field="article")[0].group == "7"
    with pytest.raises(DataError, match=r"export.json, line 1: no group field 'nosuch'"):
        read_examples([path], group_field="nosuch")


def test_csv_row_with_wrong_column_count(tmp_path):
    path = write(tmp_path / "a.csv", "text,label\n云,cloud\n云,计算,cloud\n")
    with pytest.raises(DataError, match="line 3: expected 2 columns, found 3"):
        read_examples([path])


def test_csv_quote_not_closed_is_reported_where_it_opens(tmp_path):
    rows = [f"芯片{i},chips" for i in range(30)]
    path = write(tmp_path / "a.csv", "\n".join(["text,label", '"云计算,cloud', *rows]) + "\n")
    with pytest.raises(
        DataError,
        match=r"a.csv, line 2: a quote on this line is probably not closed: the row runs on to "
        r"line 32 \(expected 2 columns, found 1\)\. Fix: close the quote",
    ):
        read_examples([path])
    path = write(tmp_path / "b.csv", "\n".join(["text,label", '云计算,"cloud', *rows]) + "\n")
    with pytest.raises(DataError, match=r"line 2: .* runs on to line 32 in its label column"):
        read_examples([path])
    path = write(tmp_path / "c.csv", 'text,label\n"云\n计算",cloud\n芯片,chips\n')
    assert [(e.text, e.line) for e in read_examples([path])] == [("云\n计算", 2), ("芯片", 4)]


def test_csv_without_a_header_row_is_quoted_short(tmp_path):
    article = "阿里云发布新一代云服务器，云计算业务收入增长。" * 20
    path = write(tmp_path / "a.csv", f"{article},cloud\n芯片,chips\n")
    with pytest.raises(DataError, match=r"if the first line is data, add a header") as error:
        read_examples([path])
    assert f"header has {article[:39]}…;" in str(error.value)
    short = write(tmp_path / "b.csv", "云计算文本,cloud\n芯片,chips\n")  # a short first line too
    with pytest.raises(DataError, match=r"if the first line is data, add a header"):
        read_examples([short])


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.csv", "text\tlabel\n云\tcloud\n", r"separated by tabs\. Fix: pass --data-format tsv"),
        ("a.tsv", "text,label\n云,cloud\n", r"separated by commas\. Fix: pass --data-format csv"),
    ],
)
def test_csv_and_tsv_with_the_other_delimiter(tmp_path, name, text, message):
    path = write(tmp_path / name, text)
    with pytest.raises(DataError, match=rf"{name}, line 1: the header is {message}"):
        read_examples([path])
    fmt = "tsv" if name.endswith(".csv") else "csv"
    assert read_examples([path], fmt)[0].labels == ("cloud",)


def test_fasttext_line_without_label(tmp_path):
    path = write(tmp_path / "a.txt", "__label__a 云\n没有标签的一行\n")
    with pytest.raises(DataError, match=r"line 2: line has no __label__ prefix"):
        read_examples([path])


def test_fasttext_prefix_without_a_label(tmp_path):
    path = write(tmp_path / "a.txt", "__label__a 云\n__label__ 芯片\n")
    with pytest.raises(
        DataError,
        match=r"line 2: a __label__ prefix with no label name\. Fix: .*'__label__cloud text'",
    ):
        read_examples([path])


def test_empty_file_gives_no_examples(tmp_path):
    assert read_examples([write(tmp_path / "a.jsonl", "")]) == []
    assert read_examples([write(tmp_path / "a.csv", "")]) == []


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_examples([tmp_path / "nope.jsonl"])


def test_gb18030_and_utf16_files_are_decoded(tmp_path):
    line = '{"text": "云计算市场", "labels": ["cloud"]}\n'
    for encoding in ("gb18030", "utf-16", "utf-8-sig"):
        path = tmp_path / f"{encoding}.jsonl"
        path.write_bytes(line.encode(encoding))
        assert read_examples([path])[0].text == "云计算市场"


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\xff\xfe\x00")
    with pytest.raises(DataError, match="binary file"):
        read_examples([path])


def test_summary_counts():
    examples = [
        Example("云", ("cloud",)),
        Example("云", ("cloud",)),
        Example("芯", ("chips", "policy")),
        Example("芯", ("chips",)),
        Example("闲聊", ()),
        Example("  ", ("cloud",)),
    ]
    summary = summarize(examples)
    assert summary.labels == {"cloud": 3, "chips": 2, "policy": 1}
    assert summary.multi_label == 1
    assert summary.no_label == 1
    assert summary.duplicates == 2
    assert summary.conflicting_duplicates == 1
    assert summary.empty_texts == 1
    assert summary.is_multi_label


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["云", "芯", "闲聊"]),
            st.lists(st.sampled_from(["a", "b", "c"]), max_size=2, unique=True),
        ),
        max_size=12,
    )
)
def test_duplicates_and_conflicts_follow_their_definitions(rows):
    summary = summarize([Example(text, tuple(labels)) for text, labels in rows])
    texts = [text for text, _ in rows]
    assert summary.duplicates == len(texts) - len(set(texts))
    variants = {t: {frozenset(labels) for u, labels in rows if u == t} for t in texts}
    assert summary.conflicting_duplicates == sum(len(v) > 1 for v in variants.values())
    first: dict[str, frozenset[str]] = {}
    for text, labels in rows:
        first.setdefault(text, frozenset(labels))
    unlike_first = sum(frozenset(labels) != first[text] for text, labels in rows)
    assert len(summary.conflicts) == min(5, unlike_first)


@pytest.mark.parametrize(
    "task",
    [
        {"data": {"text": "云"}, "annotations": ["oops"]},
        {"data": {"text": "云"}, "annotations": [{"result": "x"}]},
        {"data": {"text": "云"}, "annotations": [{"result": [{"value": ["x"]}]}]},
        {"data": {"text": "云"}, "annotations": [{"result": [{"value": {"choices": [3]}}]}]},
    ],
)
def test_odd_label_studio_tasks_give_no_labels_or_a_clear_error(tmp_path, task):
    path = write(tmp_path / "export.json", json.dumps([task]))
    try:
        examples = read_examples([path])
    except DataError as error:
        assert "every label must be a string, got number" in str(error)
    else:
        assert examples[0].labels == ()


def test_an_unclosed_quote_on_the_last_csv_line_is_named_in_the_hint(tmp_path):
    path = write(tmp_path / "a.csv", 'text,label\n云计算,cloud\n"芯片出口,chips\n')
    with pytest.raises(DataError, match=r"line 3: .*close every quote"):
        read_examples([path])


def test_summarize_takes_any_iterable_of_examples():
    examples = [Example("云计算", ("cloud",)), Example("芯片", ("chips",)), Example("云计算", ())]
    assert summarize(e for e in examples) == summarize(examples)  # was TypeError: no len()
    assert summarize(iter(examples)).conflicting_duplicates == 1


@pytest.mark.parametrize("wrong", ["abc", ["云计算"], None], ids=["str", "texts", "None"])
def test_summarize_refuses_what_is_no_list_of_examples_as_train_does(wrong):
    with pytest.raises(TypeError, match=r"summarize needs labeled examples .* not (str|NoneType)"):
        summarize(wrong)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "云", "label": ""}', "the label is an empty string: it names no topic"),
        ('{"text": "云", "label": "  "}', 'the label is blank ("  "): it names no topic'),
        ('{"text": "云", "labels": null}', "the labels are null"),
        ('{"text": "云", "labels": ["cloud", ""]}', "a label in the list is an empty string"),
    ],
)
def test_an_empty_label_says_what_is_wrong_and_that_an_empty_list_means_no_topic(
    tmp_path, line, message
):
    """``"label": ""`` said "every label must be a non-empty string ... Fix: write labels as
    strings" (it was a string), and no message said how to write "no topic"."""
    path = write(tmp_path / "a.jsonl", line + "\n")
    with pytest.raises(DataError) as raised:
        read_examples([path])
    said = str(raised.value)
    assert said.startswith(f"{path}, line 1: {message}")
    assert "for an example with no topic write [] (an empty list)" in said
    assert "write labels as strings" not in said
    fixed = write(tmp_path / "b.jsonl", '{"text": "云", "labels": []}\n')  # as the hint says
    assert read_examples([fixed])[0].labels == ()


def test_a_json_file_of_one_object_that_is_no_record_says_so(tmp_path):
    """``{"data": [...]}`` said "line 1: no text field": the records are inside it."""
    path = write(tmp_path / "a.json", '{"data": [{"text": "云", "labels": ["cloud"]}]}')
    with pytest.raises(DataError) as raised:
        read_examples([path])
    said = str(raised.value)
    assert said.startswith(f"{path}: holds one JSON object (with the field data), not an array")
    assert 'Fix: the records seem to be its "data" list' in said and "no text field" not in said
    path.write_text('[{"text": "云", "labels": ["cloud"]}]', encoding="utf-8")  # as it says
    assert read_examples([path])[0].labels == ("cloud",)
    path.write_text('{"text": "云", "labels": ["cloud"]}', encoding="utf-8")  # one record: fine
    assert read_examples([path])[0].labels == ("cloud",)


def test_errors_in_a_one_line_json_array_name_the_record(tmp_path):
    """Every record of a one-line array is on line 1: the errors said only "line 1"."""
    good = '{"text": "云", "labels": ["cloud"]}'
    path = write(tmp_path / "a.json", f'[{good}, {good}, {{"text": "芯片", "labels": [""]}}]')
    with pytest.raises(DataError, match=r"a\.json, line 1, record 3: a label in the list is"):
        read_examples([path])
    path.write_text(f'[{good},\n{{"labels": ["x"]}}]', encoding="utf-8")  # a line of its own
    with pytest.raises(DataError, match=r"a\.json, line 2: no text field"):
        read_examples([path])


def test_dotted_fields_reach_nested_ones_and_tasks_to_annotate_are_skipped(tmp_path):
    records = [
        {"id": 1, "data": {"body": "云计算"}, "meta": {"topics": ["cloud"]}},
        {"id": 2, "data": {"body": "芯片"}, "meta": {"topics": []}},
    ]
    path = write(tmp_path / "a.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    examples = read_examples([path], text_field="data.body", label_field="meta.topics")
    assert [(e.text, e.labels) for e in examples] == [("云计算", ("cloud",)), ("芯片", ())]
    dotted = write(tmp_path / "b.jsonl", '{"a.b": "云", "a": {"b": "芯"}, "labels": []}\n')
    assert read_examples([dotted], text_field="a.b")[0].text == "云"  # the key itself first
    annotated = {"data": {"text": "云计算"}, "annotations": [{"result": []}]}
    tasks = [{"id": 1, "data": {"text": "芯片"}}, annotated]  # Label Studio: one to annotate
    export = write(tmp_path / "export.json", json.dumps(tasks, ensure_ascii=False))
    for text_field in (None, "text", "data.text"):
        with pytest.warns(DataWarning, match=r"skipped 1 Label Studio task\(s\) that nobody"):
            examples = read_examples([export], text_field=text_field)
        assert [(e.text, e.labels) for e in examples] == [("云计算", ())]
