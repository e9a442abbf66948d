from __future__ import annotations

import functools
import io
import sys

import pytest

from tagger import tagging
from tagger.errors import DataError, ModelError
from tagger.segmenting import regroup
from tagger.tagging import default_model_path, iter_sources, tag, tag_paths

ARTICLE = (
    "云计算市场迎来变局\n\n本报记者 张三\n\n"
    "阿里云和华为云下调云服务器价格，云计算价格战再度升级，企业上云成本下降。\n\n"
    "另一方面，美国升级芯片出口管制，限制先进制程设备和高端芯片出口。\n"
)
# one titled article of about 87,000 characters: more than a chunk (CHUNK_CHARS)
LONG = (
    "云计算市场迎来变局\n\n" + "阿里云和华为云下调云服务器价格，云计算价格战再度升级。\n\n" * 3000
)


def test_tag_gives_segments_with_offsets_labels_and_topics(single_model):
    [article] = tag(ARTICLE, single_model, source="a.txt")
    assert article.title == "云计算市场迎来变局"
    assert article.source == "a.txt"
    assert len(article.segments) == 2
    for s in article.segments:
        assert ARTICLE[s.start : s.end] == s.text
        assert len(s.labels) == 1
        assert set(s.labels) <= set(s.scores)
    assert [s.labels[0] for s in article.segments] == ["cloud", "semiconductors"]
    assert next(t.label for t in article.topics) in ("cloud", "semiconductors")
    assert sum(t.share for t in article.topics) == pytest.approx(1.0, abs=1e-3)
    assert set(article.to_dict()) == {
        "source",
        "index",
        "title",
        "start",
        "end",
        "topics",
        "segments",
    }


def test_threshold_can_leave_segments_without_labels(single_model):
    [article] = tag(ARTICLE, single_model, threshold=0.9999)
    assert all(s.labels == [] for s in article.segments)
    assert article.topics == []


def test_tag_paths_expands_directories_and_reports_bad_files(single_model, tmp_path):
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.txt").write_bytes(ARTICLE.encode("gb18030"))
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02\x03binary\x00")
    errors = []
    articles = list(tag_paths([tmp_path], single_model, on_error=errors.append))
    assert [a.source for a in articles] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert articles[0].segments[0].text == articles[1].segments[0].text
    assert len(errors) == 1 and "bad.txt" in str(errors[0])
    with pytest.raises(DataError, match="binary"):
        list(tag_paths([tmp_path / "bad.txt"], single_model))


def test_stdin_is_read_for_dash(single_model, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8"))))
    [article] = list(tag_paths(["-"], single_model))
    assert article.source == "<stdin>"


def test_empty_directory_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no text files"):
        iter_sources(tmp_path)


def test_default_model_path_can_be_overridden(monkeypatch, tmp_path):
    monkeypatch.delenv("TAGGER_MODEL", raising=False)
    assert default_model_path().name == "default.joblib"
    monkeypatch.setenv("TAGGER_MODEL", str(tmp_path / "missing.joblib"))
    assert default_model_path() == tmp_path / "missing.joblib"
    with pytest.raises(
        ModelError, match=r"missing.joblib: the model named by TAGGER_MODEL does not"
    ):
        tag("文本", None)


def test_large_files_are_tagged_in_chunks_like_the_whole_text(single_model, tmp_path):
    article = "标题{0}：云计算市场再起波澜\n\n阿里云下调云服务器价格{0}，云计算价格战升级。\n\n美国升级芯片出口管制{0}。\n\n\n"
    text = "".join(article.format(i) for i in range(40000))  # about 2.4 million characters
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    streamed = list(tag_paths([path], single_model))
    whole = tag(text, single_model, source=str(path))
    assert len(streamed) == len(whole) == 40000
    assert [a.index for a in streamed] == list(range(40000))
    for a, b in zip(streamed[::997], whole[::997]):
        assert (a.title, a.start, a.end) == (b.title, b.start, b.end)
        assert [(s.start, s.end, s.labels) for s in a.segments] == [
            (s.start, s.end, s.labels) for s in b.segments
        ]
        assert all(text[s.start : s.end] == s.text for s in a.segments)


def test_an_article_longer_than_a_chunk_is_tagged_whole(single_model, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(LONG + "\n" + ARTICLE, encoding="utf-8")
    streamed = [a.to_dict() for a in tag_paths([path], single_model)]
    assert [a["title"] for a in streamed] == ["云计算市场迎来变局"] * 2
    assert len(streamed[0]["segments"]) == 3000
    whole = tag(path.read_text(encoding="utf-8"), single_model, source=str(path))
    assert streamed == [a.to_dict() for a in whole]


def test_an_article_longer_than_the_limit_is_cut_at_a_sentence_end(
    single_model, tmp_path, monkeypatch
):
    monkeypatch.setattr(tagging, "regroup", functools.partial(regroup, limit=20_000))
    text = "云计算市场迎来变局\n\n" + "阿里云下调云服务器价格，云计算价格战再度升级。" * 2000
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    articles = list(tag_paths([path], single_model))
    assert [a.title for a in articles] == ["云计算市场迎来变局", None, None]
    assert [a.index for a in articles] == [0, 1, 2]
    assert all(a.end - a.start <= 20_000 and a.segments[-1].text.endswith("。") for a in articles)
    assert all(text[s.start : s.end] == s.text for a in articles for s in a.segments)
    assert articles[-1].end == len(text)


def test_traditional_chinese_is_tagged_like_simplified(single_model, tmp_path):
    simplified = "阿里云和华为云下调云服务器价格，云计算价格战再度升级。\n\n美国升级芯片出口管制，限制先进制程设备出口。"
    traditional = "阿里雲和華為雲下調雲服務器價格，雲計算價格戰再度升級。\n\n美國升級芯片出口管制，限制先進製程設備出口。"
    [a] = tag(simplified, single_model)
    [b] = tag(traditional, single_model)
    assert [s.labels for s in a.segments] == [s.labels for s in b.segments]
    assert all(traditional[s.start : s.end] == s.text for s in b.segments)


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le"]
)
def test_encodings_are_detected(single_model, tmp_path, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    [article] = list(tag_paths([path], single_model))
    assert article.title == "云计算市场迎来变局"
    assert [s.text for s in article.segments] == [
        s.text for s in tag(ARTICLE, single_model)[0].segments
    ]


def test_mixed_emoji_control_characters_and_long_lines(single_model):
    text = (
        "OpenAI 与 微软😀合作\x07，ＡＩ芯片需求大增。" * 3000 + "\n\n\x00\x1b[31m云计算\u200b市场。"
    )
    articles = tag(text, single_model)
    assert sum(len(a.segments) for a in articles) >= 2
    assert all(text[s.start : s.end] == s.text for a in articles for s in a.segments)


def test_empty_file_gives_no_articles(single_model, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert list(tag_paths([path], single_model)) == []


def test_undecodable_file_is_a_clear_error(single_model, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes("云计算".encode() + b"\xff\xfe\xfd" * 3 + "芯片".encode("utf-16-le"))
    with pytest.raises(DataError, match=r"bad.txt: cannot decode"):
        list(tag_paths([path], single_model))
    with pytest.raises(DataError, match="unknown encoding 'klingon'"):
        list(tag_paths([path], single_model, encoding="klingon"))


@pytest.mark.parametrize("encoding", ["utf-16", "hex", "base64", "rot13"])
def test_encodings_that_do_not_decode_the_text_are_clear_errors(single_model, tmp_path, encoding):
    from tagger.files import read_text

    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")  # no BOM: utf-16 cannot start
    expected = rf"a.txt: (cannot decode as utf-16 |'{encoding}' is not a text encoding)"
    with pytest.raises(DataError, match=expected):
        list(tag_paths([path], single_model, encoding=encoding))
    with pytest.raises(DataError, match=expected):
        read_text(path, encoding)


def test_two_jobs_give_the_same_results_in_the_same_order(single_model, tmp_path):
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(ARTICLE * (i + 1), encoding="utf-8")
    (tmp_path / "big.txt").write_text((ARTICLE + "\n\n") * 3000, encoding="utf-8")  # several chunks
    (tmp_path / "long.txt").write_text(LONG * 2, encoding="utf-8")  # articles across chunks
    one = [a.to_dict() for a in tag_paths([tmp_path], single_model)]
    two = [a.to_dict() for a in tag_paths([tmp_path], single_model, jobs=2)]
    assert one == two
    assert len(one) > 3000


def test_explain_gives_the_terms_that_raise_each_chosen_label(single_model):
    from tagger.inference import CompactModel

    [article] = tag(ARTICLE, single_model, explain=3)
    compact = CompactModel.from_model(single_model)
    space = compact.space
    for s in article.segments:
        assert set(s.evidence) == set(s.labels)
        features = space.transform([s.text])
        names = space.terms(features.indices.tolist())
        for label, found in s.evidence.items():
            weights = [w for _, w in found]
            assert 0 < len(found) <= 3 and all(w > 0 for w in weights)
            assert weights == sorted(weights, reverse=True)
            coef = compact.coef[single_model.labels.index(label)]
            for term, weight in found:  # its feature values times the label's coefficients
                parts = [c for c, n in zip(features.indices, names) if n == term]
                expected = sum(features[0, c] * coef[c] for c in parts)
                assert weight == pytest.approx(expected, abs=1e-4)
    cloud, chips = (s.evidence for s in article.segments)
    assert any("云" in term for term, _ in cloud["cloud"])
    assert any("芯片" in term for term, _ in chips["semiconductors"])
    assert "evidence" not in tag(ARTICLE, single_model)[0].to_dict()["segments"][0]


def test_a_file_reached_twice_is_tagged_once(single_model, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8"))))
    paths = ["a.txt", "-", tmp_path / "a.txt", "link.txt", ".", "./b.txt", "-"]
    articles = list(tag_paths(paths, single_model))
    assert [(a.source, a.index) for a in articles] == [("a.txt", 0), ("<stdin>", 0), ("b.txt", 0)]
