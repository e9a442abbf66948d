"""Killing tagger while it writes a model leaves the previous model intact; terminating it
while it writes an output leaves nothing behind; a closed stdout ends it quietly."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tagger.model import load_model

from .conftest import CORPUS
from .test_cli import ARTICLE

CHILD = """
import contextlib, sys, time
import tagger.modelfile
from tagger.cli import app

real = tagger.modelfile.atomic_write

@contextlib.contextmanager
def slow_atomic_write(path, *args, **kwargs):
    with real(path, *args, **kwargs) as handle:
        write = handle.write
        def write_then_stall(data):
            write(data[: len(data) // 2])
            handle.flush()
            open(sys.argv[1], "w").close()  # tell the parent we are mid-write
            time.sleep(60)
        handle.write = write_then_stall
        yield handle

tagger.modelfile.atomic_write = slow_atomic_write
app(sys.argv[2:], prog_name="tagger")
"""


def _write_corpus(path):
    """The test corpus as JSON lines, a training data file."""
    lines = (
        json.dumps({"text": t, "label": k}, ensure_ascii=False) + "\n"
        for k, ts in CORPUS.items()
        for t in ts
    )
    path.write_text("".join(lines), encoding="utf-8")


def test_killing_a_training_run_during_save_keeps_the_previous_model(tmp_path, saved_model):
    target = tmp_path / "m.joblib"
    target.write_bytes(saved_model.read_bytes())
    before = target.read_bytes()
    data = tmp_path / "d.jsonl"
    _write_corpus(data)
    signal_file = tmp_path / "writing"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(signal_file),
            "train",
            str(data),
            "-o",
            str(target),
            "--test-size",
            "0",
        ],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not signal_file.exists():
            assert child.poll() is None, "the training run ended before it started saving"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    assert target.read_bytes() == before
    model = load_model(target)
    assert np.array_equal(model.scores(["云计算"]), load_model(saved_model).scores(["云计算"]))
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers and all(
        name.startswith(".m.joblib.") for name in leftovers
    )  # half-written, beside


def _tag_until_writing(tmp_path, saved_model, articles, nohup=False):
    """``tagger tag big.txt -j 2 -o out.jsonl`` in a session of its own (as a terminal's job
    is), once its workers' first results are being written (None: done before), and the
    process ids of its workers."""
    big = tmp_path / "big.txt"
    big.write_text((ARTICLE + "\n\n") * articles, encoding="utf-8")  # takes seconds to tag
    tag = ["tag", big, "-m", saved_model, "-f", "jsonl", "-o", tmp_path / "out.jsonl", "-j", "2"]
    child = subprocess.Popen(
        [sys.executable, "-m", "tagger", *map(str, tag)],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=(lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN)) if nohup else None,
    )
    deadline = time.monotonic() + 120
    while not any(p.stat().st_size for p in tmp_path.glob(".out.jsonl.*.tmp")):
        if nohup and child.poll() == 0:
            return child, []  # done before it could be hung up: nothing to test
        assert child.poll() is None, child.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    tasks = Path(f"/proc/{child.pid}/task")
    workers = [int(pid) for t in tasks.iterdir() for pid in (t / "children").read_text().split()]
    return child, workers


def _assert_ended(workers: list[int]) -> None:
    """No worker outlived the run (each is given 30 s to end)."""
    deadline = time.monotonic() + 30
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, workers))


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie no one reaped yet does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.parametrize(
    ("sig", "group", "message"),
    [
        (signal.SIGTERM, False, "Terminated."),  # kill PID
        # timeout and a terminal's hangup signal the whole process group: the workers died
        # with the results under way (the parent waited 10 s for them) and now and then with
        # the pool's task lock held, so that the run never ended
        (signal.SIGTERM, True, "Terminated."),
        (signal.SIGHUP, True, "Hangup."),  # SIGHUP's default action left the temporary file
    ],
)
def test_a_signal_while_tagging_with_two_jobs_leaves_nothing_behind(
    tmp_path, saved_model, sig, group, message
):
    child, workers = _tag_until_writing(tmp_path, saved_model, 50_000)
    try:
        assert len(workers) == 2
        # the workers run in a process group of their own: the parent stops them
        assert all(os.getpgid(w) != os.getpgid(child.pid) for w in workers)
        if group:
            os.killpg(child.pid, sig)
        else:
            child.send_signal(sig)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 128 + sig
    assert stderr == message + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt"]
    _assert_ended(workers)


def test_sigterm_to_every_process_at_once_ends_the_run_cleanly(tmp_path, saved_model):
    """systemd stops a service (KillMode=control-group) with SIGTERM to all its processes at
    once: workers died with the results under way (the parent waited DRAIN_SECONDS for them)
    and now and then holding the pool's task lock, so that the pool's shutdown never ended."""
    child, workers = _tag_until_writing(tmp_path, saved_model, 50_000)
    try:
        assert len(workers) == 2
        for pid in [child.pid, *workers]:
            os.kill(pid, signal.SIGTERM)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 128 + signal.SIGTERM
    assert stderr == "Terminated.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt"]
    _assert_ended(workers)


def test_a_worker_killed_mid_run_is_an_error_line(tmp_path, saved_model):
    # multiprocessing.Pool replaced a killed worker and waited for its lost result forever
    child, workers = _tag_until_writing(tmp_path, saved_model, 50_000)
    try:
        os.kill(workers[0], signal.SIGKILL)  # as the out-of-memory killer does
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 1 and "Traceback" not in stderr
    assert f"Error: worker process {workers[0]} ended before its work was done (Killed)" in stderr
    assert "Fix: run it again" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt"]
    _assert_ended(workers)


def test_a_hangup_under_nohup_lets_the_run_go_on(tmp_path, saved_model):
    child, _ = _tag_until_writing(tmp_path, saved_model, 5_000, nohup=True)
    try:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGHUP)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "out.jsonl"]
    out = tmp_path / "out.jsonl"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2 * 5_000


@pytest.mark.parametrize("format", ["jsonl", "table"])
def test_a_closed_stdout_ends_the_run_quietly(tmp_path, saved_model, format):
    article = tmp_path / "a.txt"
    article.write_text((ARTICLE + "\n\n") * 100, encoding="utf-8")
    tag = ["tag", article, "-m", saved_model, "-f", format]
    assert _with_stdout_closed(tag) == (128 + signal.SIGPIPE, b"")


def _with_stdout_closed(args: list) -> tuple[int, bytes]:
    """The exit status and stderr of ``tagger ARGS`` whose stdout is closed before it writes
    (as ``head`` closes it after its lines)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tagger", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    child.stdout.close()
    stderr = child.stderr.read()
    child.wait(timeout=60)
    return child.returncode, stderr


@pytest.mark.parametrize(
    "args",
    [["--help"], ["tag", "--help"], ["train", "--help"], [], ["segment", "A"], ["info", "M"]],
)
def test_a_closed_stdout_ends_help_and_other_commands_quietly_too(tmp_path, saved_model, args):
    """``tagger tag --help | head -1`` exited with 1 (rich's console exits so on a broken pipe),
    where a command's output exits with 141."""
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    given = {"A": article, "M": saved_model}
    assert _with_stdout_closed([given.get(a, a) for a in args]) == (128 + signal.SIGPIPE, b"")


@pytest.mark.parametrize("command", ["evaluate", "compare"])
def test_a_closed_stdout_still_gets_the_files_asked_for(tmp_path, saved_model, command):
    data = tmp_path / "d.jsonl"
    data.write_text(
        "".join(
            json.dumps({"text": t, "label": k}, ensure_ascii=False) + "\n"
            for k, ts in CORPUS.items()
            for t in ts[:2]
        ),
        encoding="utf-8",
    )
    models = ["-m", saved_model] if command == "evaluate" else [saved_model, saved_model]
    inputs = [data] if command == "evaluate" else ["-d", data]
    files = ["--report", tmp_path / "r.html", "-o", tmp_path / "r.json"]
    child = subprocess.Popen(
        [sys.executable, "-m", "tagger", command, *map(str, [*inputs, *models, *files])],
        env={**os.environ},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    child.stdout.close()  # `| head -0`: the table has nowhere to go
    stderr = child.stderr.read()
    child.wait(timeout=60)
    assert child.returncode == 128 + signal.SIGPIPE, stderr
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))  # written whole
    assert (tmp_path / "r.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_a_closed_stderr_does_not_stop_training_before_the_model_is_saved(tmp_path):
    data = tmp_path / "d.jsonl"
    _write_corpus(data)
    target = tmp_path / "m.joblib"
    child = subprocess.Popen(
        [sys.executable, "-m", "tagger", "train", str(data), "-o", str(target)],
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    child.stderr.close()  # `2>&1 | head -1` after the first line of the data summary
    child.wait(timeout=120)
    assert child.returncode == 0  # was 1 (rich's exit at the summary), with no model saved
    assert load_model(target).labels == sorted(CORPUS)
