"""What `tagger tag`'s progress display costs: the same ~20 MB file tagged with stderr on a
pseudo-terminal, with the progress shown and with --quiet, runs alternating, in one run; and,
less noisy on a busy machine, the time the display's callback takes (updating and redrawing)
in a run of its own. Also checks that both outputs are the same bytes. Prints the figures
(nothing is written).

    .venv/bin/python bench/progress_overhead.py [--megabytes 20] [--repeat 3] [--jobs 1]
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def run(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system, the child's) and the bytes it wrote to its
    stderr, a pseudo-terminal."""
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm", "COLUMNS": "120"}
    env.pop("TAGGER_NO_PROGRESS", None)
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave, env=env
    )
    os.close(slave)
    drawn = 0
    while True:  # read the terminal, or the child blocks once its buffer is full
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # the child closed it
                break
            if not chunk:
                break
            drawn += len(chunk)
        elif child.poll() is not None:
            break
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    os.close(master)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed")
    return wall, usage.ru_utime + usage.ru_stime, drawn


CALLBACK_TIME = """
import os, sys, time
os.environ.update(TTY_COMPATIBLE="1", TERM="xterm")  # drawn as on a terminal, into a file
sys.stderr = open(os.devnull, "w")
import tagger.terminal as terminal
from tagger.cli import app
spent, calls, update = 0.0, 0, terminal.TagProgressDisplay._update
def timed(self, progress):
    global spent, calls
    start = time.perf_counter()
    update(self, progress)
    spent, calls = spent + time.perf_counter() - start, calls + 1
terminal.TagProgressDisplay._update = timed
start = time.perf_counter()
try:
    app(["tag", sys.argv[1], "-o", sys.argv[2], "-j", sys.argv[3]], prog_name="tagger")
except SystemExit:
    pass
total = time.perf_counter() - start
print(f"{calls} callbacks took {spent * 1000:.0f} ms of the run's {total:.1f} s ({spent / total:.2%})")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.txt"
        text = b"".join(path.read_bytes() for path in SEEDS)
        big.write_bytes(text * max(1, round(args.megabytes * 1e6 / len(text))))
        size = big.stat().st_size
        tag = [sys.executable, "-m", "tagger", "tag", str(big), "-j", str(args.jobs), "-o"]
        found: dict[str, list[tuple[float, float, int]]] = {"progress": [], "quiet": []}
        outputs = {key: Path(folder) / f"{key}.jsonl" for key in found}
        for _ in range(args.repeat):
            for key, extra in (("progress", []), ("quiet", ["-q"])):
                found[key].append(run([*tag, str(outputs[key]), *extra]))
        same = outputs["progress"].read_bytes() == outputs["quiet"].read_bytes()
        timed = Path(folder) / "timed.jsonl"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        code = [sys.executable, "-c", CALLBACK_TIME, str(big), str(timed), str(args.jobs)]
        callbacks = subprocess.run(code, env=env, capture_output=True, text=True, check=True)
    print(f"{size / 1e6:.1f} MB, --jobs {args.jobs}, {args.repeat} runs each, alternating")
    for key, runs in found.items():
        walls, cpus, drawn = zip(*runs)
        print(
            f"{key:>8}: wall {statistics.median(walls):.2f} s (runs {', '.join(f'{w:.2f}' for w in walls)}), "
            f"CPU {statistics.median(cpus):.2f} s, {statistics.median(drawn):,.0f} bytes drawn on stderr"
        )
    ratio = [
        statistics.median([r[i] for r in found["progress"]])
        / statistics.median([r[i] for r in found["quiet"]])
        for i in (0, 1)
    ]
    print(f"progress / quiet: wall {ratio[0]:.3f}, CPU {ratio[1]:.3f}; outputs identical: {same}")
    print(f"in a run of its own: {callbacks.stdout.strip()}")


if __name__ == "__main__":
    main()
