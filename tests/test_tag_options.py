"""tag()'s options and arguments: what --top-k chooses, a BOM, and the checks of the library."""

from __future__ import annotations

import re

import pytest

from tagger import tagging
from tagger.tagging import tag

ARTICLE = (
    "云计算市场迎来变局\n\n本报记者 张三\n\n"
    "阿里云和华为云下调云服务器价格，云计算价格战再度升级，企业上云成本下降。\n\n"
    "另一方面，美国升级芯片出口管制，限制先进制程设备和高端芯片出口。\n"
)


def test_top_k_gives_a_single_label_model_its_best_label_only(single_model):
    plain = tag(ARTICLE, single_model)
    [article] = tag(ARTICLE, single_model, top_k=3)
    assert [s.labels for s in article.segments] == [["cloud"], ["semiconductors"]]
    assert [s.labels for s in article.segments] == [s.labels for s in plain[0].segments]
    assert {t.label for t in article.topics} <= {"cloud", "semiconductors"}
    assert article.topics == plain[0].topics


def test_top_k_caps_the_labels_a_threshold_chooses(single_model):
    [article] = tag(ARTICLE, single_model, threshold=0.0)
    assert all(len(s.labels) == 3 for s in article.segments)  # every label scores >= 0
    [article] = tag(ARTICLE, single_model, threshold=0.0, top_k=2)
    assert [s.labels[0] for s in article.segments] == ["cloud", "semiconductors"]
    assert all(len(s.labels) == 2 for s in article.segments)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"text": b"bytes"}, TypeError, "text must be a str, not bytes"),
        ({"text": None}, TypeError, "text must be a str"),
        ({"model": 3}, TypeError, "model must be a model, a str or a Path, not int"),
        ({"model": ["m.joblib"]}, TypeError, "model must be"),
        ({"top_k": 0}, ValueError, "top_k must be at least 1, not 0"),
        ({"top_k": -2}, ValueError, "top_k must be at least 1"),
        ({"top_k": 1.5}, TypeError, "top_k must be an integer, not float"),
        ({"threshold": 1.5}, ValueError, "threshold must be from 0 to 1, not 1.5"),
        ({"threshold": -0.1}, ValueError, "threshold must be from 0 to 1"),
        ({"threshold": float("nan")}, ValueError, "threshold must be from 0 to 1"),
        ({"threshold": "0.5"}, TypeError, "threshold must be a number, not str"),
        ({"min_share": 2}, ValueError, "min_share must be from 0 to 1, not 2"),
        ({"min_share": -0.5}, ValueError, "min_share must be from 0 to 1"),
        ({"explain": -1}, ValueError, "explain must be at least 0, not -1"),
        ({"top_k": True}, TypeError, "top_k must be an integer, not bool"),
        ({"threshold": False}, TypeError, "threshold must be a number, not bool"),
        ({"explain": True}, TypeError, "explain must be an integer, not bool"),
        ({"min_share": True}, TypeError, "min_share must be a number, not bool"),
    ],
)
def test_tag_rejects_arguments_it_cannot_use(single_model, arguments, error, message):
    called = {"text": ARTICLE, "model": single_model, **arguments}
    with pytest.raises(error, match=re.escape(message)):
        tag(called.pop("text"), called.pop("model"), **called)


def test_tag_takes_the_arguments_at_their_limits(single_model, saved_model):
    for model in (single_model, saved_model, str(saved_model)):
        [article] = tag(ARTICLE, model, top_k=1, threshold=0, min_share=1, explain=0)
        assert article.segments
    [article] = tag(ARTICLE, single_model, threshold=1, min_share=0, explain=2)
    assert [s.labels for s in article.segments] == [[], []]


def test_a_text_read_with_its_byte_order_mark_is_tagged_without_it(single_model, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    text = path.read_text(encoding="utf-8")  # keeps the BOM, turns CRLF into LF
    assert text[0] == "\ufeff"
    [article] = tag(text, single_model)
    assert article.title == "云计算市场迎来变局"
    assert article.start == article.segments[0].start == 1
    assert all(text[s.start : s.end] == s.text for s in article.segments)
    with open(path, encoding="utf-8-sig", newline="") as file:
        read = file.read()
    for encoding in (None, "utf-8", "UTF8"):  # detected or named: the BOM dropped either way
        [found] = tagging.tag_paths([path], single_model, encoding=encoding)
        assert found.title == "云计算市场迎来变局" and found.start == 0
        assert all(read[s.start : s.end] == s.text for s in found.segments)
