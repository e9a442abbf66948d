"""Progress: the library's callbacks (tag_paths, evaluate, compare)."""

from __future__ import annotations

import io
import itertools
import sys

import pytest

import tagger.tagging
from tagger import evaluation
from tagger.tagging import TagProgress, tag_paths

from .conftest import corpus_examples
from .test_cli import ARTICLE


@pytest.fixture
def folder(tmp_path):
    """Three articles files of several chunks each (with CHUNK_CHARS small)."""
    path = tmp_path / "news"
    path.mkdir()
    for i in range(3):
        (path / f"{i}.txt").write_text((ARTICLE + "\n\n") * (i + 2), encoding="utf-8")
    return path


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(tagger.tagging, "CHUNK_CHARS", 120)


def assert_grows(calls, total_files, total_bytes, articles):
    fields = ("files_done", "bytes_done", "articles")
    for before, after in itertools.pairwise(calls):
        assert all(getattr(after, f) >= getattr(before, f) for f in fields), (before, after)
    assert calls[0] == TagProgress(0, total_files, 0, total_bytes, 0)
    assert calls[-1] == TagProgress(total_files, total_files, total_bytes, total_bytes, articles)
    assert all(c.bytes_total == total_bytes and c.files == total_files for c in calls)
    if total_bytes is not None:
        assert all(c.bytes_done <= total_bytes for c in calls)


def test_tag_paths_tells_progress_files_bytes_and_articles(folder, small_chunks, single_model):
    calls = []
    articles = list(tag_paths([folder], single_model, progress=calls.append))
    size = sum(path.stat().st_size for path in folder.iterdir())
    assert len(calls) > 5  # a call a chunk, and before and after
    assert_grows(calls, 3, size, len(articles))
    assert [a.to_dict() for a in articles] == [
        a.to_dict() for a in tag_paths([folder], single_model)
    ]


def test_tag_paths_progress_is_the_same_with_two_jobs(folder, small_chunks, single_model):
    one, two = [], []
    list(tag_paths([folder], single_model, progress=one.append))
    list(tag_paths([folder], single_model, progress=two.append, jobs=2))
    assert one == two  # where the reading was as each chunk was read, reported as it returns


def test_tag_paths_progress_of_stdin_and_failed_inputs(tmp_path, monkeypatch, single_model):
    data = (ARTICLE * 3).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    calls, failed = [], []
    missing = tmp_path / "missing.txt"
    found = list(
        tag_paths(["-", missing], single_model, progress=calls.append, on_error=failed.append)
    )
    assert len(failed) == 1 and found
    assert calls[-1] == TagProgress(2, 2, len(data), None, len(found))  # stdin: no size known
    assert calls[0].bytes_total is None


def test_tag_paths_refuses_a_progress_that_is_no_function(single_model, tmp_path):
    with pytest.raises(TypeError, match="progress must be a function, not int"):
        list(tag_paths([tmp_path], single_model, progress=3))


def test_evaluate_and_compare_tell_progress(monkeypatch, single_model, multi_model):
    monkeypatch.setattr(evaluation, "SCORING_BATCH", 5)
    examples = corpus_examples()[1:]  # not the models' training data: no warning
    n = len(examples)
    calls = []
    report = evaluation.evaluate(single_model, examples, progress=lambda *a: calls.append(a))
    assert calls[0] == (0, n) and calls[-1] == (n, n) and len(calls) > 3
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert {t for _, t in calls} == {n}
    assert report.to_dict() == evaluation.evaluate(single_model, examples).to_dict()

    calls.clear()
    compared = evaluation.compare(
        single_model, multi_model, examples, progress=lambda *a: calls.append(a)
    )
    assert calls[0] == (0, 2 * n) and calls[-1] == (2 * n, 2 * n)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert compared.to_dict() == evaluation.compare(single_model, multi_model, examples).to_dict()
    with pytest.raises(TypeError, match="progress must be a function"):
        evaluation.evaluate(single_model, examples, progress="yes")
