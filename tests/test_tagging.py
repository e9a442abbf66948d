from __future__ import annotations

import functools
import io
import json
import os
import sys
import warnings

import numpy as np
import pytest

from tagger import tagging
from tagger.data import DataWarning
from tagger.errors import DataError, ModelError
from tagger.segmenting import regroup
from tagger.tagging import default_model_path, iter_sources, render_paths, tag, tag_paths

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


def test_tag_paths_takes_one_path_as_one_input(single_model, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    listed = [a.to_dict() for a in tag_paths(["a.txt"], single_model)]
    assert listed  # a str was read as its characters ("a", ".", "t", ...), a Path not at all
    assert [a.to_dict() for a in tag_paths("a.txt", single_model)] == listed
    by_path = [a.to_dict() for a in tag_paths(tmp_path / "a.txt", single_model)]
    assert [a["segments"] for a in by_path] == [a["segments"] for a in listed]
    titles = [title for _, _, title in render_paths("a.txt", lambda a: a.title, single_model)]
    assert titles == [a["title"] for a in listed]


def test_render_paths_checks_render_and_model_before_tagging(single_model, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(TypeError, match=r"render must be a function .* pass the model as model="):
        next(render_paths([tmp_path], single_model))  # was "object is not callable" from tagging
    with pytest.raises(TypeError, match="model must be a model, a str or a Path, not int"):
        next(render_paths([tmp_path], lambda a: a.title, 3))


def test_tag_paths_checks_jobs(single_model, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    for jobs, error, message in [
        (0, ValueError, "jobs must be at least 1, not 0"),
        (-1, ValueError, "jobs must be at least 1, not -1"),  # was one process, silently
        ("2", TypeError, "jobs must be an integer, not str"),  # was '>' not supported
    ]:
        with pytest.raises(error, match=message):
            list(tag_paths(tmp_path / "a.txt", single_model, jobs=jobs))
        with pytest.raises(error, match=message):
            list(render_paths(tmp_path / "a.txt", str, single_model, jobs=jobs))


def test_stdin_is_read_for_dash(single_model, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8"))))
    [article] = list(tag_paths(["-"], single_model))
    assert article.source == "<stdin>"


def test_stdin_from_a_file_is_read_from_where_it_stands(single_model, monkeypatch):
    # '(read -r first; tagger tag -) < a.txt': the file was checked ahead, then read again
    # from its start, so the line 'read' took was tagged too
    data = ("第一行不要。\n\n" + ARTICLE).encode("utf-8")
    for page in (False, True):
        if page:
            data = "第一行不要。\n\n<html><title>云计算</title><p>芯片出口管制升级。</p>".encode()
        stdin = io.TextIOWrapper(io.BytesIO(data))
        stdin.buffer.seek(data.index(b"\n\n") + 2)
        monkeypatch.setattr(sys, "stdin", stdin)
        texts = [s.text for a in tag_paths(["-"], single_model) for s in a.segments]
        assert texts and not any("第一行" in text for text in texts)


def test_a_closed_stdin_is_a_data_error_naming_it(single_model, tmp_path, monkeypatch):
    # sys.stdin is None when the shell closed it (<&-): an AttributeError went through
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(DataError, match="<stdin>: standard input is closed"):
        list(tag_paths(["-"], single_model))
    errors = []
    articles = list(tag_paths(["-", tmp_path / "a.txt"], single_model, on_error=errors.append))
    assert [a.source for a in articles] == [str(tmp_path / "a.txt")]
    assert [e.path for e in errors] == ["<stdin>"]
    with pytest.raises(DataError, match="standard input is closed"):
        tagging.read_article("-")


def test_empty_directory_is_an_error(tmp_path):
    with pytest.raises(DataError, match=r"no text, HTML or Word files \(\.txt, .*\.html.*\.docx\)"):
        iter_sources(tmp_path)


def test_a_directory_of_other_files_names_them(tmp_path):
    # "Fix: pass the files" alone, for a folder holding only a PDF someone sent, did not say
    # which files were there, nor that passing one by name gets it read (or refused with the
    # way to convert it)
    (tmp_path / "来稿.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (tmp_path / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    with pytest.raises(DataError) as raised:
        iter_sources(tmp_path)
    message = str(raised.value)
    assert (
        f"only 1 other file(s), not listed by their extensions: {tmp_path / '来稿.pdf'}" in message
    )
    assert "hidden" not in message
    assert f"Fix: pass them by name (e.g. {tmp_path / '来稿.pdf'})" in message
    (tmp_path / os.fsdecode("新闻.doc".encode("gbk"))).write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DataError, match=r"2 other file\(s\).*\\xd0\\xc2\\xce\\xc5\.doc"):
        iter_sources(tmp_path)  # a name's bytes that are not UTF-8 as in sources: \xNN


def _unreadable(monkeypatch, *folders):
    """``os.scandir`` of ``folders`` fails as for a folder without read permission (the
    tests may run as root, whom chmod 000 does not stop)."""
    scandir = os.scandir

    def failing(path="."):
        if os.fspath(path) in map(str, folders):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", failing)


def test_an_unreadable_subfolder_is_reported_not_skipped(single_model, tmp_path, monkeypatch):
    # its files were left out silently: a nightly run over news/ lost them, exit status 0
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    _unreadable(monkeypatch, tmp_path / "locked")
    errors = []
    articles = list(tag_paths([tmp_path], single_model, on_error=errors.append))
    assert [a.source for a in articles] == [str(tmp_path / "a.txt")]  # the others are tagged
    [error] = errors
    assert isinstance(error, DataError) and error.path == str(tmp_path / "locked")
    assert "cannot read this directory (Permission denied)" in str(error)
    with pytest.raises(DataError, match="cannot read this directory"):
        iter_sources(tmp_path)  # without on_error, raised
    found = []
    assert iter_sources(tmp_path, found.append) == [tmp_path / "a.txt"]
    assert found[0].path == str(tmp_path / "locked")


def test_an_unreadable_folder_reached_twice_is_reported_once(single_model, tmp_path, monkeypatch):
    # `tagger tag news news` or `news news/locked` said the same error twice: 2 inputs failed
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    _unreadable(monkeypatch, tmp_path / "locked")
    errors = []
    again = [tmp_path, tmp_path, tmp_path / "locked"]
    articles = list(tag_paths(again, single_model, on_error=errors.append))
    assert [a.source for a in articles] == [str(tmp_path / "a.txt")]
    assert sorted(error.path for error in errors) == [
        str(tmp_path / "gone.txt"),
        str(tmp_path / "locked"),
    ]


def test_a_link_to_a_folder_elsewhere_is_named_not_skipped_silently(single_model, tmp_path):
    # news/archive -> /mnt/archive: its files were left out without a word (os.walk does not
    # follow links to folders; grep -r and find do not either, but they are given none)
    news, elsewhere = tmp_path / "news", tmp_path / "elsewhere"
    (news / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    (news / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (elsewhere / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (news / "archive").symlink_to(elsewhere)
    (news / "sub" / "loop").symlink_to(news)  # a loop: its files are tagged anyway
    (news / "sub" / "up").symlink_to(tmp_path)  # a link to a folder holding news: a loop too
    (news / "inside").symlink_to(news / "sub")  # inside news: listed through sub
    with pytest.warns(DataWarning) as caught:
        articles = list(tag_paths([news], single_model))
    assert [a.source for a in articles] == [str(news / "a.txt")]
    [warning] = caught
    assert str(warning.message) == (
        f"1 symbolic link(s) to folders not followed, so their files are not tagged: "
        f"{news / 'archive'}. Fix: to tag them, pass the linked folders too "
        f"(e.g. {news / 'archive'})"
    )
    found = []
    assert iter_sources(news, on_unfollowed=found.append) == [news / "a.txt"]
    assert found == [str(news / "archive")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # passing the linked folder too: nothing to say
        both = [a.source for a in tag_paths([news, news / "archive"], single_model)]
    assert both == [str(news / "a.txt"), str(news / "archive" / "b.txt")]


def test_documents_tagger_does_not_read_in_a_folder_are_named(single_model, tmp_path):
    """A PDF or a .doc in a folder was left out without a word (exit 0): an editor took it for
    tagged. Now a warning names them with the fix; other files (images) are left out quietly."""
    news = tmp_path / "news"
    (news / "old").mkdir(parents=True)
    (news / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (news / "来稿.pdf").write_bytes(b"%PDF-1.7\n")
    (news / "old" / "旧稿.DOC").write_bytes(b"\xd0\xcf\x11\xe0")
    (news / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    with pytest.warns(DataWarning) as caught:
        articles = list(tag_paths([news, news], single_model))  # the folder twice: named once
    assert [a.source for a in articles] == [str(news / "a.txt")]
    [warning] = caught
    assert str(warning.message) == (
        f"2 file(s) in the folders are in a format tagger does not read (PDF, .doc, .xlsx, "
        f"...), so they are not tagged: {news / 'old' / '旧稿.DOC'}, {news / '来稿.pdf'}. Fix: "
        "to tag them, save them as .docx or .txt from the program that made them (a PDF: "
        "pdftotext -enc UTF-8 FILE.pdf FILE.txt, or copy its text into a .txt file) and pass "
        "those"
    )
    found = []
    assert iter_sources(news, on_unread=found.append) == [news / "a.txt"]
    assert found == [str(news / "old" / "旧稿.DOC"), str(news / "来稿.pdf")]
    with pytest.warns(DataWarning) as caught:  # the PDF named too: its error says it all
        list(tag_paths([news, news / "来稿.pdf"], single_model, on_error=lambda e: None))
    assert [str(w.message).count("来稿.pdf") for w in caught] == [0]


def test_a_link_to_a_file_that_is_gone_is_reported_not_skipped(single_model, tmp_path):
    # a folder's link whose target was gone (an unmounted share) was left out silently
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (news / "b.txt").symlink_to(tmp_path / "gone" / "b.txt")
    (tmp_path / "c.txt").write_text(ARTICLE, encoding="utf-8")
    (news / "c.txt").symlink_to(tmp_path / "c.txt")  # a link that works: followed
    errors = []
    articles = list(tag_paths([news], single_model, on_error=errors.append))
    assert [a.source for a in articles] == [str(news / "a.txt"), str(news / "c.txt")]
    [error] = errors
    assert error.path == str(news / "b.txt")
    assert f"a symbolic link to {tmp_path / 'gone' / 'b.txt'}, which does not exist" in str(error)
    with pytest.raises(DataError, match="which does not exist"):
        iter_sources(news)


def test_an_unreadable_folder_says_so_not_that_it_has_no_files(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    _unreadable(monkeypatch, tmp_path)
    with pytest.raises(DataError, match=r"cannot read this directory") as raised:
        iter_sources(tmp_path)
    assert raised.value.path == str(tmp_path)


def test_folders_list_the_same_files_as_before(tmp_path):
    for name in ["b.txt", "a.MD", "sub/c.html", "sub/.hidden.txt", ".dir/d.txt", "e.csv"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("云计算。", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "b.txt")  # a link to a file is followed
    (tmp_path / "linked").symlink_to(tmp_path / "sub")  # to a folder, not
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")  # reported, not listed
    found = []
    assert iter_sources(tmp_path, found.append) == sorted(
        tmp_path / name for name in ["a.MD", "b.txt", "link.txt", "sub/c.html"]
    )
    assert [error.path for error in found] == [str(tmp_path / "gone.txt")]


def test_a_file_name_that_is_not_utf8_is_named_in_valid_text(single_model, tmp_path):
    # a GBK name (a Windows zip unpacked on Linux) was a str with lone surrogates: writing the
    # results to a UTF-8 file failed with a traceback, and stdout got bytes that are not UTF-8
    raw = tmp_path / os.fsdecode("新闻.txt".encode("gbk"))
    raw.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "新闻2.txt").write_text(ARTICLE, encoding="utf-8")
    sources = [a.source for a in tag_paths([tmp_path], single_model)]
    escaped = str(tmp_path / "\\xd0\\xc2\\xce\\xc5.txt")
    assert sorted(sources) == sorted([escaped, str(tmp_path / "新闻2.txt")])
    for source in sources:
        source.encode("utf-8")  # no UnicodeEncodeError
    assert tagging.source_name(raw) == escaped
    assert [a.source for a in tag_paths(raw, single_model)] == [escaped]


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


def test_a_file_undecodable_late_puts_none_of_its_articles_out(single_model, tmp_path):
    # articles before the bad byte were tagged and output (28,354 lines of one in the
    # pipeaudit helper's run), the error alone telling that the file was not whole
    article = "云计算市场份额持续增长。\n\n\n"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(article.encode() * 10_000 + b"\xff" + article.encode())
    good = tmp_path / "good.txt"
    good.write_text(article, encoding="utf-8")
    errors = []
    tagged = list(tag_paths([bad, good], single_model, on_error=errors.append))
    assert [t.source for t in tagged] == [str(good)]
    [error] = errors
    assert (error.path, error.line) == (str(bad), 30_001)  # where the bad byte is
    assert "cannot decode as utf-8 at byte" in str(error)


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


RECORDS = [
    {"id": "a-1", "content": "阿里云和华为云下调云服务器价格，云计算价格战再度升级。"},
    {"id": 2, "content": ARTICLE},
    {"id": "a-3", "content": ""},  # still an article: the record is not lost from a join
]


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_each_record_of_a_jsonl_file_is_an_article_with_its_id(single_model, tmp_path):
    path = write_jsonl(tmp_path / "arts.jsonl", RECORDS)
    articles = list(tag_paths([path], single_model))
    assert [(a.source, a.index, a.id) for a in articles] == [
        (str(path), 0, "a-1"),
        (str(path), 1, 2),
        (str(path), 2, "a-3"),
    ]
    for article, record in zip(articles, RECORDS):  # as tag tags the text; offsets index it
        [expected] = tag(record["content"], single_model) or [None]
        if expected is None:
            assert (article.segments, article.topics, article.title) == ([], [], None)
            continue
        assert article.to_dict() == expected.to_dict() | {
            "source": str(path),
            "index": article.index,
            "id": record["id"],
        }
        assert all(record["content"][s.start : s.end] == s.text for s in article.segments)
    assert list(articles[1].to_dict())[:4] == ["source", "index", "id", "title"]
    by_content = next(tag_paths([path], single_model, id_field="content"))
    assert by_content.id == RECORDS[0]["content"]


def test_an_article_without_its_segments_is_the_json_shape_less_segments(single_model, tmp_path):
    path = write_jsonl(tmp_path / "arts.jsonl", RECORDS)
    for article in [*tag(ARTICLE, single_model), *tag_paths([path], single_model)]:
        whole = article.to_dict()
        alone = article.to_dict(segments=False)
        assert list(alone) == [key for key in whole if key != "segments"]
        assert alone == {key: value for key, value in whole.items() if key != "segments"}
    assert list(alone)[:3] == ["source", "index", "id"]  # a record's id as in the whole shape


def test_a_record_is_one_article_even_when_its_text_holds_several(single_model, tmp_path):
    text = ARTICLE + "\n\n\n" + ARTICLE  # two articles as a file
    path = write_jsonl(tmp_path / "a.jsonl", [{"text": text}])
    [article] = list(tag_paths([path], single_model))
    whole = tag(text, single_model)
    assert len(whole) == 2
    assert [s.to_dict() for s in article.segments] == [
        s.to_dict() for a in whole for s in a.segments
    ]
    assert (article.title, article.start, article.end) == (whole[0].title, 0, whole[1].end)


def test_records_without_an_id_are_numbered_by_their_line(single_model, tmp_path):
    path = tmp_path / "a.ndjson"
    path.write_text('{"text": "云计算"}\n\n{"sentence": "芯片出口"}\n', encoding="utf-8")
    articles = list(tag_paths([path], single_model))
    assert [(a.id, a.segments[0].text) for a in articles] == [(1, "云计算"), (3, "芯片出口")]
    path.write_text('{"id": 5, "body": "云计算"}\n{"id": 6, "body": "芯片"}\n', "utf-8")
    assert [a.id for a in tag_paths([path], single_model, text_field="body")] == [5, 6]


def test_csv_and_tsv_rows_are_records(single_model, tmp_path):
    path = tmp_path / "arts.csv"
    path.write_text(
        'ID,title,Content\nx7,标题,"阿里云下调价格\n\n云计算价格战升级。"\nx8,,芯片出口管制\n',
        "utf-8",
    )
    articles = list(tag_paths([path], single_model))
    assert [(a.id, [s.text for s in a.segments]) for a in articles] == [
        ("x7", ["阿里云下调价格\n\n云计算价格战升级。"]),
        ("x8", ["芯片出口管制"]),
    ]
    assert [a.id for a in tag_paths([path], single_model, text_field="title")] == ["x7", "x8"]
    tsv = tmp_path / "arts.tsv"
    tsv.write_text("text\n云计算\n芯片\n", encoding="utf-8")  # no id column: the line
    assert [a.id for a in tag_paths([tsv], single_model)] == [2, 3]


def test_a_json_array_is_read_item_by_item(single_model, tmp_path, monkeypatch):
    records = [
        {"id": i, "text": f"第{i}条：阿里云下调云服务器价格，芯片出口管制。"} for i in range(50)
    ]
    array = tmp_path / "arts.json"
    array.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    lines = write_jsonl(tmp_path / "arts.jsonl", records)
    expected = [a.to_dict() for a in tag_paths([lines], single_model)]
    assert len(expected) == 50
    monkeypatch.setattr(tagging, "CHUNK_CHARS", 7)  # items and lines cut across pieces
    for path in (array, lines):
        found = [a.to_dict() | {"source": str(lines)} for a in tag_paths([path], single_model)]
        assert found == expected


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.jsonl", '{"id": 1, "text": "云"}\n\n{"id": 2, "body": "x"}\n', "line 3: no text field"),
        ("a.jsonl", '{"id": 1, "text": "云"}\n{"id": 2, "text": \n', "line 2: malformed JSON"),
        ("a.jsonl", '{"id": 1, "text": ["云"]}\n', "line 1: the 'text' field must be a string"),
        ("a.jsonl", '["云"]\n', "line 1: expected a JSON object"),
        ("a.json", '[{"id": 1, "text": "云"},\n {"id": 2, "text": 5}]', "line 2: the 'text' field"),
        ("a.json", '[{"id": 1, "text": "云"},\n {"text": "x"', "line 2: malformed JSON"),
        ("a.json", '[{"text": "云"}\n', "line 2: the JSON array is not closed"),
        ("a.json", '[{"text": "云"}, {"text": 5}]', "line 1, record 2: the 'text' field"),
        ("a.json", '[{"text": "云"},\n{"id": 2}]', "line 2: no text field"),  # its own line
        ("a.csv", "id,body\n1,云\n", "line 1: no text column"),
        ("a.csv", 'id,text\n1,云\n2,"芯片\n3,x\n', "line 3: malformed CSV"),
        ("a.csv", "id,text\n1,云,x\n", "line 2: expected 2 columns, found 3"),
    ],
)
def test_a_bad_record_is_an_error_naming_its_line(single_model, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    errors = []
    with pytest.raises(DataError, match=f"{name}, {expected}") as raised:
        list(tag_paths([path], single_model, on_error=errors.append))  # stops the run
    assert errors == [] and "Fix: " in str(raised.value)


def test_a_json_file_of_one_object_to_tag_that_is_no_record_says_so(single_model, tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"data": [{"text": "云"}]}', encoding="utf-8")
    with pytest.raises(DataError, match=r"a\.json: holds one JSON object .* not an array of"):
        list(tag_paths([path], single_model))


def test_a_missing_or_bad_id_field_is_an_error(single_model, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": 1, "text": "云"}, {"text": "芯片"}])
    with pytest.raises(DataError, match=r"a.jsonl, line 2: no id field 'id'.*--id-field"):
        list(tag_paths([path], single_model, id_field="id"))
    write_jsonl(path, [{"id": None, "text": "云"}])
    with pytest.raises(DataError, match="line 1: the 'id' field must be a string or a number"):
        list(tag_paths([path], single_model))
    table = tmp_path / "a.csv"
    table.write_text("text\n云\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"a\.csv, line 1: no id column 'key'"):
        list(tag_paths([table], single_model, id_field="key"))


@pytest.mark.parametrize(
    ("written", "read"), [("NaN", "NaN"), ("-Infinity", "-Infinity"), ("1e400", "Infinity")]
)
def test_an_id_that_is_no_finite_number_is_an_error(single_model, tmp_path, written, read):
    path = tmp_path / "a.jsonl"
    path.write_text(f'{{"id": 1, "text": "云"}}\n{{"id": {written}, "text": "云"}}\n', "utf-8")
    message = rf"a.jsonl, line 2: the 'id' field must be a string or a finite number, not {read}"
    with pytest.raises(DataError, match=message):
        list(tag_paths([path], single_model))


def test_records_with_two_jobs_are_the_same_as_with_one(single_model, tmp_path, monkeypatch):
    monkeypatch.setattr(tagging, "CHUNK_CHARS", 300)  # many batches of records
    records = [{"id": f"n{i}", "text": ARTICLE * (i % 3)} for i in range(200)]
    paths = [write_jsonl(tmp_path / "a.jsonl", records), tmp_path / "b.txt"]
    paths[1].write_text(ARTICLE * 3, encoding="utf-8")
    one = [a.to_dict() for a in tag_paths(paths, single_model)]
    two = [a.to_dict() for a in tag_paths(paths, single_model, jobs=2)]
    assert one == two and len(one) > 200
    assert [a["id"] for a in one[:200]] == [r["id"] for r in records]


def test_text_files_folders_and_stdin_are_read_as_text(single_model, tmp_path, monkeypatch):
    line = json.dumps({"id": 1, "text": ARTICLE}, ensure_ascii=False) + "\n"
    (tmp_path / "a.txt").write_text(line, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(line, encoding="utf-8")
    [article] = list(tag_paths([tmp_path], single_model))  # a folder: its text files only
    assert article.source == str(tmp_path / "a.txt") and article.id is None
    assert article.to_dict() == tag(line, single_model, source=article.source)[0].to_dict()
    assert "id" not in article.to_dict() and article.segments[0].text.startswith('{"id": 1')
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line.encode("utf-8"))))
    with pytest.warns(
        DataWarning, match=r"<stdin>: starts like JSON lines .* --input-format jsonl"
    ):
        [article] = list(tag_paths(["-"], single_model))
    assert article.id is None and article.segments[0].text.startswith('{"id": 1')
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line.encode("utf-8"))))
    [article] = list(tag_paths(["-"], single_model, input_format="jsonl"))
    assert article.id == 1 and article.source == "<stdin>"
    [article] = list(tag_paths([tmp_path / "b.jsonl"], single_model, input_format="text"))
    assert article.id is None


def test_records_given_as_text_warn_that_they_are_read_as_text(single_model, tmp_path, monkeypatch):
    # cat arts.jsonl | tagger tag - tagged the JSON syntax as one text, with no word said
    line = json.dumps({"id": 1, "text": ARTICLE}, ensure_ascii=False) + "\n"
    array = "\ufeff [\n  " + line.strip() + "\n]\n"
    for data, fmt in [(line * 3, "jsonl"), (array, "json")]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode("utf-8"))))
        with pytest.warns(DataWarning, match=f"<stdin>: .* pass --input-format {fmt}$"):
            list(tag_paths(["-"], single_model))
    (tmp_path / "arts").write_text(line, encoding="utf-8")  # no extension: sniffed as stdin is
    with pytest.warns(DataWarning, match="arts: starts like JSON lines"):
        list(tag_paths([tmp_path / "arts"], single_model))
    for text in [ARTICLE, "{新闻} " + ARTICLE, '"云计算": ' + ARTICLE]:  # texts: no warning
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            list(tag_paths(["-"], single_model))


def test_tag_texts_tags_each_text_as_a_record_of_a_file(single_model, tmp_path, monkeypatch):
    texts = [r["content"] for r in RECORDS] + [ARTICLE + "\n\n\n" + ARTICLE, "云计算"]
    ids = ["a", 7, 2.5, "d", "e"]
    path = write_jsonl(tmp_path / "arts.jsonl", [{"id": i, "text": t} for i, t in zip(ids, texts)])
    from_file = [a.to_dict() for a in tag_paths([path], single_model, top_k=1, explain=2)]
    tagged = tagging.tag_texts(texts, single_model, ids=ids, source=str(path), top_k=1, explain=2)
    assert [a.to_dict() for a in tagged] == from_file
    monkeypatch.setattr(tagging, "CHUNK_CHARS", 10)  # a batch a text or two: the same results
    again = tagging.tag_texts(
        iter(texts), single_model, ids=ids, source=str(path), top_k=1, explain=2
    )
    assert [a.to_dict() for a in again] == from_file
    numbered = tagging.tag_texts(texts, single_model)
    assert [(a.source, a.index, a.id) for a in numbered] == [("<texts>", i, i) for i in range(5)]
    assert tagging.tag_texts([], single_model) == []


def test_tag_texts_checks_its_arguments(single_model):
    import numpy as np

    with pytest.raises(TypeError, match=r"not one str .*pass \[text\]"):
        tagging.tag_texts("云计算", single_model)
    with pytest.raises(TypeError, match=r"texts\[1\] must be a str, not NoneType \(a missing"):
        tagging.tag_texts(["云计算", None], single_model)
    with pytest.raises(ValueError, match="1 ids for 2 texts"):
        tagging.tag_texts(["云计算", "芯片"], single_model, ids=["a"])
    with pytest.raises(TypeError, match=r"ids\[0\] must be a str or a number, not bool"):
        tagging.tag_texts(["云计算"], single_model, ids=[True])
    with pytest.raises(ValueError, match="threshold must be from 0 to 1"):
        tagging.tag_texts(["云计算"], single_model, threshold=2)
    [article] = tagging.tag_texts(["云计算"], single_model, ids=np.array([7]))
    assert type(article.id) is int and json.dumps(article.to_dict())


@pytest.mark.parametrize(
    "bad, error, message",
    [
        (float("nan"), ValueError, r"a finite number, not nan \(a missing value\? drop or fill"),
        (np.float64("nan"), ValueError, r"a finite number, not nan \(a missing value\?"),
        (None, TypeError, r"a number, not NoneType \(a missing value\? drop or fill them\)"),
        (float("inf"), ValueError, r"a finite number, not inf \(JSON cannot hold it\)"),
    ],
)
def test_tag_texts_refuses_missing_and_infinite_ids(single_model, bad, error, message):
    # a pandas id column with a missing value holds NaN: it was taken as an id, so the result
    # joined back to no row and to_dict() gave JSON with NaN (which tagger tag refuses to write)
    with pytest.raises(error, match=r"ids\[1\] must be a str or " + message):
        tagging.tag_texts(["云计算", "芯片"], single_model, ids=[1.0, bad])


def test_read_article_gives_the_text_the_offsets_index(single_model, tmp_path, monkeypatch):
    text_file = tmp_path / "a.txt"
    text_file.write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    page = tmp_path / "b.htm"
    page.write_bytes(f'<meta charset="gbk"><title>云计算</title><p>{ARTICLE}</p>'.encode("gb18030"))
    for path in (text_file, page):
        text = tagging.read_article(path)
        [article] = list(tag_paths(path, single_model))
        assert all(text[s.start : s.end] == s.text for s in article.segments)
        assert article.segments[-1].end == len(text.rstrip())
    assert "<meta" in tagging.read_article(page, input_format="text")
    assert tagging.read_article(text_file, input_format="html").startswith("云计算市场迎来变局")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page.read_bytes())))
    assert tagging.read_article("-", "gb18030", "html") == tagging.read_article(page)
    with pytest.raises(ValueError, match="input_format must be auto, text, html or docx"):
        tagging.read_article(page, input_format="jsonl")
    with pytest.raises(DataError, match="no such file"):
        tagging.read_article(tmp_path / "missing.txt")


def test_label_studio_tasks_and_dotted_fields_are_records(single_model, tmp_path):
    tasks = [
        {"id": 11, "data": {"text": "阿里云下调价格"}, "meta": {"doc": {"id": "a"}}},
        {"id": 12, "data": {"text": "芯片出口管制"}, "meta": {"doc": {"id": "b"}}},
    ]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    texts = [t["data"]["text"] for t in tasks]
    for options in ({}, {"text_field": "data.text"}):  # Label Studio's layout by default
        articles = list(tag_paths([path], single_model, **options))
        assert [(a.id, a.segments[0].text) for a in articles] == [(11, texts[0]), (12, texts[1])]
    nested = tag_paths([path], single_model, text_field="data.text", id_field="meta.doc.id")
    assert [a.id for a in nested] == ["a", "b"]
    jsonl = write_jsonl(
        tmp_path / "dots.jsonl", [{"data.text": "云计算", "data": {"text": "芯片"}}]
    )
    [article] = tag_paths([jsonl], single_model, text_field="data.text")
    assert article.segments[0].text == "云计算"  # a key with a dot in its name comes first
    with pytest.raises(DataError, match=r"record 1: no id field 'meta.doc.key'"):
        list(tag_paths([path], single_model, id_field="meta.doc.key"))


def test_a_model_file_is_loaded_once_while_it_stays_the_same(saved_model, tmp_path, monkeypatch):
    # tag(text, path) in a loop loaded and verified the file on every call (~20 ms each)
    loads = []
    real = tagging.load_compact
    monkeypatch.setattr(tagging, "load_compact", lambda p, **kw: loads.append(p) or real(p, **kw))
    monkeypatch.setattr(tagging, "_last", {})
    model = tmp_path / "m.joblib"
    model.write_bytes(saved_model.read_bytes())
    first = tagging.tag("阿里云下调云服务器价格。", model)
    for _ in range(3):
        assert tagging.tag("阿里云下调云服务器价格。", model) == first
    assert len(loads) == 1
    os.utime(model, ns=(0, 0))  # the file changed (here only its time): read again
    tagging.tag("阿里云下调云服务器价格。", model)
    assert len(loads) == 2
    other = tmp_path / "other.joblib"
    other.write_bytes(saved_model.read_bytes())
    tagging.tag("阿里云下调云服务器价格。", other)  # another model: only the last one is kept
    assert len(loads) == 3 and len(tagging._last) == 1
    model.unlink()
    with pytest.raises(tagging.ModelError):  # gone: an error, not the copy in memory
        tagging.tag("阿里云下调云服务器价格。", model)
