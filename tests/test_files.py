from __future__ import annotations

import os
import stat

import pytest

from tagger.errors import OutputError
from tagger.files import atomic_write


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
