"""Property-based tests: the segmenter never loses text, the readers never crash."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tagger.data import Example, read_examples
from tagger.errors import TaggerError
from tagger.segmenting import segment

PIECES = st.sampled_from(
    [
        "云",
        "计算",
        "芯片",
        "。",
        "！",
        "？",
        "，",
        "”",
        "“",
        "\n",
        "\n\n",
        "\r\n",
        "\u3000",
        " ",
        "AI",
        "(",
        ")",
        "本报讯",
        "本报记者 张三",
        "记者从",
        "新华社北京11月20日电",
        "据路透社报道",
        "记者实测",
        "记者 向雪妮",
        " 摄",
        "新华社电 ",
        "央视网消息",
        "■",
        "\ufeff",
        "\u200b",
        "（下转第3版）",
        "（上接第1版）",
        "——访",
        "…",
        "\t",
        "\x0b",
        "😀",
        "Ｆ",
    ]
)
TEXTS = st.one_of(st.lists(PIECES, max_size=80).map("".join), st.text(max_size=200))


@settings(max_examples=300, deadline=None)
@given(
    text=TEXTS,
    min_chars=st.integers(0, 20),
    max_chars=st.integers(0, 600),
    sentences=st.sampled_from([None, 1, 2, 3]),
    paragraphs=st.sampled_from(["auto", "blank", "line"]),
)
def test_segments_slice_back_and_cover_all_text(text, min_chars, max_chars, sentences, paragraphs):
    articles = segment(
        text, min_chars=min_chars, max_chars=max_chars, sentences=sentences, paragraphs=paragraphs
    )
    position = 0
    for article in articles:
        assert article.segments
        for s in article.segments:
            assert text[s.start : s.end] == s.text
            assert s.text and s.text == s.text.strip()
            assert s.start >= position
            position = s.end
    covered = "".join(c for a in articles for s in a.segments for c in s.text if _shown(c))
    assert covered == "".join(c for c in text if _shown(c))


def _shown(char: str) -> bool:
    """Not whitespace to the segmenter (which takes zero width characters for whitespace)."""
    return not char.isspace() and char not in "\u200b\u200c\u200d\u2060\ufeff"


FILE_BYTES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    st.lists(
        st.sampled_from(
            [
                b'{"text": "\xe4\xba\x91", "labels": ["a"]}',
                b'{"text": 1}',
                b"[",
                b"]",
                b"{",
                b"}",
                b",",
                b'"label"',
                b"\n",
                b"__label__a ",
                b"text,label",
                b"\t",
                b'"',
                b"|",
                b"\xff",
                b"\x00",
            ]
        ),
        max_size=30,
    ).map(b"".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=FILE_BYTES, suffix=st.sampled_from([".jsonl", ".json", ".csv", ".tsv", ".txt"]))
def test_readers_return_examples_or_a_clear_error(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"data{suffix}"
        path.write_bytes(data)
        try:
            examples = read_examples([path])
        except TaggerError as error:
            assert str(path) in str(error)
        else:
            assert all(isinstance(e, Example) and isinstance(e.text, str) for e in examples)
            assert all(all(isinstance(x, str) and x for x in e.labels) for e in examples)
