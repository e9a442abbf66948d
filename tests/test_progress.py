"""Progress: the library's callbacks (tag_paths, evaluate, compare) and the command line's
display of them on stderr, only on a terminal, never changing the output."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import tagger.tagging
import tagger.terminal
from tagger import evaluation
from tagger.cli import app
from tagger.tagging import TagProgress, tag_paths

from .conftest import corpus_examples
from .test_cli import ARTICLE

runner = CliRunner()
BAR = "━"


def invoke(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


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


def as_terminal(monkeypatch):
    """stderr (and stdout) taken for a terminal, as rich's TTY_COMPATIBLE=1 says; rich's
    console of stderr drawing as on one (it decided when it was made, at import)."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("TAGGER_NO_PROGRESS", raising=False)
    monkeypatch.setattr(tagger.terminal.err, "is_interactive", True)


@pytest.fixture
def terminal(monkeypatch):
    as_terminal(monkeypatch)


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


@pytest.mark.parametrize("format", ["jsonl", "json", "csv"])
def test_tag_shows_progress_only_on_a_terminal_and_the_output_is_the_same(
    tmp_path, folder, small_chunks, saved_model, monkeypatch, format
):
    quiet, shown = tmp_path / f"quiet.{format}", tmp_path / f"shown.{format}"
    result = invoke("tag", folder, "-m", saved_model, "-o", quiet)
    assert result.exit_code == 0, result.output
    # not a terminal (CliRunner): no progress, only what was written
    assert re.fullmatch(
        rf"Wrote {re.escape(str(quiet))}: [1-9]\d* article\(s\) tagged\.\n", result.stderr
    )

    as_terminal(monkeypatch)
    jobs = ["-j", "2"] if format == "csv" else []  # progress from the parent as results arrive
    result = invoke("tag", folder, "-m", saved_model, "-o", shown, *jobs)
    assert result.exit_code == 0, result.output
    assert BAR in result.stderr and "3/3 files" in result.stderr
    assert re.search(r"\d+ articles", result.stderr)
    assert "\x1b[?25h" in result.stderr  # the cursor shown again
    assert shown.read_bytes() == quiet.read_bytes()


def test_tag_progress_with_two_jobs_and_on_stdout(folder, small_chunks, saved_model, terminal):
    plain = invoke("tag", folder, "-m", saved_model, "-f", "jsonl", "-q")
    assert plain.exit_code == 0 and plain.stderr == ""
    # the output on stdout, a terminal: progress would interleave with it, so none
    result = invoke("tag", folder, "-m", saved_model, "-f", "jsonl", "-j", "2")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == plain.stdout


@pytest.mark.parametrize(
    "setting",
    [["-q"], ["--quiet"], {"TAGGER_NO_PROGRESS": "1"}, {"TERM": "dumb"}, {"TTY_COMPATIBLE": "0"}],
)
def test_tag_progress_can_be_turned_off(
    tmp_path, folder, saved_model, terminal, monkeypatch, setting
):
    options = setting if isinstance(setting, list) else []
    for name, value in (setting if isinstance(setting, dict) else {}).items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "out.jsonl"
    result = invoke("tag", folder, "-m", saved_model, "-o", out, *options)
    assert result.exit_code == 0, result.output
    assert BAR not in result.stderr and "articles" not in result.stderr


def test_an_error_during_progress_is_printed_on_a_clean_line(
    tmp_path, small_chunks, saved_model, terminal
):
    records = tmp_path / "arts.jsonl"
    good = json.dumps({"text": ARTICLE}, ensure_ascii=False)
    records.write_text(good + "\n" + good + "\n" + "{oops\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = invoke("tag", records, "-m", saved_model, "-o", out)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert BAR in result.stderr  # drawn, then cleared before the error
    last = re.split(r"\r|\n|\x1b\[2K", result.stderr.rstrip("\n"))[-1]
    assert re.sub(r"\x1b\[[0-9;]*m", "", last).startswith(f"Error: {records}, line 3:")
    assert "Traceback" not in result.output and not out.exists()

    data = tmp_path / "data.jsonl"
    data.write_text('{"text": "云计算", "label": "cloud"}\n{oops\n', encoding="utf-8")
    for command in (
        ["evaluate", data, "-m", saved_model],
        ["compare", saved_model, saved_model, "-d", data],
    ):
        result = invoke(*command)
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
        last = re.split(r"\r|\n|\x1b\[2K", result.stderr.rstrip("\n"))[-1]
        assert re.sub(r"\x1b\[[0-9;]*m", "", last).startswith(f"Error: {data}, line 2:")


def test_ctrl_c_during_progress_ends_on_a_clean_line(
    tmp_path, folder, small_chunks, saved_model, terminal, monkeypatch
):
    real = tagger.tagging._tag_chunk
    calls = []

    def interrupted(*args):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(tagger.tagging, "_tag_chunk", interrupted)
    out = tmp_path / "out.jsonl"
    result = invoke("tag", folder, "-m", saved_model, "-o", out)
    assert result.exit_code == 130 and BAR in result.stderr
    assert result.stderr.endswith("\x1b[2KInterrupted.\n")  # the bar's line erased first
    assert not out.exists()


def test_evaluate_and_compare_show_progress_on_a_terminal(
    tmp_path, saved_model, terminal, monkeypatch
):
    data = tmp_path / "data.jsonl"
    data.write_text(
        "".join(
            json.dumps({"text": e.text, "label": e.labels[0]}, ensure_ascii=False) + "\n"
            for e in corpus_examples()
        ),
        encoding="utf-8",
    )
    n = len(corpus_examples())
    reports = {}
    for quiet in ([], ["-q"]):
        report = tmp_path / f"report{len(quiet)}.json"
        result = invoke("evaluate", data, "-m", saved_model, "-o", report, *quiet)
        assert result.exit_code == 0, result.output
        assert (f"{n}/{n}" in result.stderr) is not bool(quiet)
        reports[bool(quiet)] = json.loads(report.read_text(encoding="utf-8"))
        del reports[bool(quiet)]["about"]["evaluated"]
        result = invoke("compare", saved_model, saved_model, "-d", data, *quiet)
        assert result.exit_code == 0, result.output
        assert (f"{2 * n}/{2 * n}" in result.stderr) is not bool(quiet)
    assert reports[True] == reports[False]
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    result = invoke("evaluate", data, "-m", saved_model, "-o", tmp_path / "r.json")
    assert result.exit_code == 0 and f"{n}/{n}" not in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a pseudo-terminal")
def test_progress_on_a_real_terminal(tmp_path, saved_model):
    """stderr on a pseudo-terminal: progress shown; on a pipe: not; the output the same."""
    import pty
    import select

    article = tmp_path / "a.txt"
    article.write_text((ARTICLE + "\n\n") * 200, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("TTY_COMPATIBLE", "FORCE_COLOR")}
    env.update(TERM="xterm", COLUMNS="120")
    env.pop("TAGGER_NO_PROGRESS", None)
    outputs = []
    for on_terminal in (True, False):
        out = tmp_path / f"{on_terminal}.jsonl"
        command = [sys.executable, "-m", "tagger", "tag", article, "-m", saved_model, "-o", out]
        master, slave = pty.openpty() if on_terminal else os.pipe()
        child = subprocess.Popen(
            list(map(str, command)), stdin=subprocess.DEVNULL, stderr=slave, env=env
        )
        os.close(slave)
        drawn = b""
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            try:
                chunk = os.read(master, 1 << 16) if ready else b""
            except OSError:  # the terminal closed with the child
                chunk = b""
            if not chunk:
                break
            drawn += chunk
        os.close(master)
        assert child.wait(timeout=60) == 0, drawn
        text = drawn.decode()
        if on_terminal:
            assert BAR in text and "articles" in text and "Wrote" in text
        else:
            assert re.fullmatch(
                rf"Wrote {re.escape(str(out))}: [1-9]\d* article\(s\) tagged\.\n", text
            )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_train_shows_its_status_unless_quiet(tmp_path, terminal, monkeypatch):
    data = tmp_path / "data.jsonl"
    rows = [
        {"text": "云计算市场份额增长", "label": "cloud"},
        {"text": "芯片出口管制", "label": "chips"},
    ]
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows * 5), "utf-8")
    asked = []
    status_line = tagger.cli.status_line

    def spy(message, shown=True):
        asked.append((message, shown))
        return status_line(message, shown)

    monkeypatch.setattr(tagger.cli, "status_line", spy)
    shown = invoke("train", data, "-o", tmp_path / "a.joblib", "--test-size", "0")
    quiet = invoke("train", data, "-o", tmp_path / "b.joblib", "--test-size", "0", "-q")
    assert shown.exit_code == quiet.exit_code == 0, shown.output + quiet.output
    assert asked == [("training...", True), ("training...", False)]
    assert (tmp_path / "a.joblib").exists() and (tmp_path / "b.joblib").exists()


def test_evaluate_cv_says_which_fold_it_is_on(tmp_path, terminal, monkeypatch):
    data = tmp_path / "data.jsonl"
    rows = [
        {"text": f"{text}第{i}次", "label": label}
        for i in range(4)
        for text, label in [("云计算市场份额增长", "cloud"), ("芯片出口管制升级", "chips")]
    ]
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    messages = []
    status_line = tagger.cli.status_line

    @contextlib.contextmanager
    def spy(message, shown=True):
        messages.append(message)
        with status_line(message, shown) as status:
            yield lambda text: (messages.append(text), status(text))

    monkeypatch.setattr(tagger.cli, "status_line", spy)
    result = invoke("evaluate", data, "--cv", "2", "-j", "1")
    assert result.exit_code == 0, result.output
    assert messages == [
        "cross-validating (2 folds)...",
        "cross-validating: fold 1 of 2...",
        "cross-validating: fold 2 of 2...",
        "cross-validating: fold 2 of 2...",
    ]
