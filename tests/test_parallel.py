from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from tagger.parallel import imap


def _logged(folder: Path, item: tuple[int, str]) -> int:
    (folder / f"{item[0]}.started").touch()
    time.sleep(0.2)
    (folder / f"{item[0]}.done").touch()
    return item[0]


def test_a_pool_stopped_early_finishes_the_work_under_way_and_reads_no_more(tmp_path):
    pulled = []

    def items():
        for i in range(100):
            pulled.append(i)
            yield i, "文" * 100_000  # a task bigger than a pipe's buffer, as a chunk of text is

    others = set(multiprocessing.active_children())  # e.g. joblib's, from other tests
    results = imap(_logged, tmp_path, items(), jobs=2)
    assert next(results) == 0
    results.close()  # as on a broken pipe: no worker killed mid-task (or mid-send), no hang
    started = {p.stem for p in tmp_path.glob("*.started")}
    assert started == {p.stem for p in tmp_path.glob("*.done")}
    assert len(pulled) < 100
    assert set(multiprocessing.active_children()) <= others


def test_objects_the_caller_froze_stay_frozen():
    """A server that preloads its app and calls gc.freeze() before forking workers: imap (every
    train() and tag_paths(jobs=2)) called gc.unfreeze() after its own pool, thawing them all."""
    import gc

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert list(imap(divmod, 10, [3, 4], jobs=2)) == [(3, 1), (2, 2)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    assert list(imap(divmod, 10, [3, 4], jobs=2)) == [(3, 1), (2, 2)]
    assert gc.get_freeze_count() == 0  # its own freezing undone
