from __future__ import annotations

import errno
import io
import os
import stat

import pytest

from tagger.errors import DataError, OutputError
from tagger.files import atomic_write, iter_text_chunks, read_text


def test_atomic_write_through_a_symlink_writes_its_target(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    with atomic_write(link) as handle:
        handle.write("new")
    assert link.is_symlink() and os.readlink(link) == "target.txt"
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "target.txt"]


def test_atomic_write_to_a_fifo_writes_into_it(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so that opening to write does not wait
    try:
        with atomic_write(fifo) as handle:
            handle.write("云计算\n")
        assert os.read(reader, 1024).decode("utf-8") == "云计算\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_atomic_write_to_a_directory_is_a_clear_error(tmp_path):
    with pytest.raises(OutputError, match="is a directory"), atomic_write(tmp_path):
        pass
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_that_fails_removes_the_folders_it_made(tmp_path):
    (tmp_path / "kept").mkdir()
    target = tmp_path / "kept" / "new" / "deeper" / "out.jsonl"
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half")
        raise RuntimeError("the run failed")
    assert [p.name for p in tmp_path.iterdir()] == ["kept"]  # kept/new was left behind, empty
    assert list((tmp_path / "kept").iterdir()) == []
    with atomic_write(target) as handle:  # a write that succeeds keeps them
        handle.write("whole")
    assert target.read_text(encoding="utf-8") == "whole"


def test_atomic_write_where_no_directory_can_be_made_is_a_clear_error(tmp_path):
    (tmp_path / "notes").write_text("a file", encoding="utf-8")
    target = tmp_path / "notes" / "sub" / "out.json"  # was FileExistsError from mkdir
    with (
        pytest.raises(
            OutputError, match=r"out.json: cannot create its directory: .*notes is a file"
        ),
        atomic_write(target),
    ):
        pass
    assert (tmp_path / "notes").read_text(encoding="utf-8") == "a file"


def test_a_failed_replace_is_a_clear_error_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    def refuse(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with (
        pytest.raises(OutputError, match=r"out.json: cannot write this file \(Permission denied\)"),
        atomic_write(tmp_path / "out.json") as handle,
    ):
        handle.write("{}")
    assert list(tmp_path.iterdir()) == []


def test_a_write_that_finds_the_disk_full_is_a_clear_error_and_keeps_the_old_file(tmp_path):
    # the OSError went through as it was: a traceback in tagger tag -o, not an Error: line
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    with (
        pytest.raises(OutputError, match=r"out.jsonl: cannot write this file \(No space left"),
        atomic_write(out) as handle,
    ):
        handle.write("new\n")
        raise OSError(errno.ENOSPC, "No space left on device")  # as handle.write raises it
    assert out.read_text(encoding="utf-8") == "old\n"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left


def test_other_errors_in_an_atomic_write_go_through_as_they_are(tmp_path):
    with pytest.raises(BrokenPipeError), atomic_write(tmp_path / "out.jsonl"):
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_chunks_detect_an_encoding_that_shows_only_after_the_first_read(tmp_path, encoding):
    text = "a b\n" * 50 + "\n\n云计算市场迎来变局。\n" + "c\n" * 50 + "芯片出口管制。\n"
    path = tmp_path / "late.txt"
    path.write_bytes(text.encode(encoding))
    chunks = iter_text_chunks(io.BytesIO(path.read_bytes()), path, size=64)
    assert "".join(chunks) == read_text(path) == text


TRADITIONAL = (
    "港府公布新一輪資助計劃\n\n【本報訊】特區政府昨日公布新一輪創科資助計劃，涵蓋人工智能及"
    "半導體等範疇。財政司司長表示：「政府會繼續投放資源，推動產業發展。」\n"
)


@pytest.mark.parametrize("encoding", ["big5", "cp950", "big5hkscs", "gbk", "gb18030"])
@pytest.mark.parametrize("ascii_first", [False, True])
def test_big5_is_detected_and_gbk_stays_gbk(tmp_path, encoding, ascii_first):
    # a Taiwan or Hong Kong article in Big5 decoded as GB18030 without an error, into nonsense
    text = ("Taipei, Reuters\n" * 10 if ascii_first else "") + TRADITIONAL
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode(encoding))
    chunks = iter_text_chunks(io.BytesIO(path.read_bytes()), path, size=64)
    assert "".join(chunks) == read_text(path) == text


def test_a_late_undecodable_byte_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"a\n" * 100 + "云".encode() + b"\xff")
    with pytest.raises(DataError, match=r"x\.txt: cannot decode the file as UTF-8, GB18030"):
        list(iter_text_chunks(io.BytesIO(path.read_bytes()), path, size=64))
    with pytest.raises(DataError, match=r"x\.txt: cannot decode the file as UTF-8, GB18030"):
        read_text(path)  # the same as for the whole file at once
    path.write_bytes(b"a\n" * 100 + "云".encode() * 40 + b"\xff")  # detected first: its place
    with pytest.raises(DataError, match=r"x\.txt, line 101: cannot decode as utf-8 at byte 320"):
        list(iter_text_chunks(io.BytesIO(path.read_bytes()), path, size=64))
    path.write_bytes("云\n".encode() * 100 + b"\xff")  # the line, also in a later read
    with pytest.raises(DataError, match=r"x\.txt, line 101: cannot decode as utf-8 at byte 400"):
        list(iter_text_chunks(io.BytesIO(path.read_bytes()), path, size=64))
