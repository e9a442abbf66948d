"""Command-line speed: cold start of `tagger tag` on a seed article, and --jobs 2 against one
process on the same input, measured in one run. Appends its results to BENCHMARKS.md.

    .venv/bin/python bench/cli_speed.py [--data ../shared/data] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAGGER = [str(ROOT / ".venv" / "bin" / "tagger")]
MARK = "## Command-line speed"


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    seed = ROOT / "seeds" / "000_6d5a12d9fd8298c3.txt"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.json"
        wall([*TAGGER, "tag", str(seed), "-f", "json", "-o", str(out)])  # warm the caches
        cold = [
            wall([*TAGGER, "tag", str(seed), "-f", "json", "-o", str(out)])
            for _ in range(args.repeat)
        ]
        lines = [
            MARK,
            "",
            f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `.venv/bin/python bench/cli_speed.py`; "
            f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
            "",
            f"- `tagger tag {seed.relative_to(ROOT)}` (a new process each time, the bundled model): "
            f"median {statistics.median(cold):.2f} s wall over {args.repeat} runs "
            f"(min {min(cold):.2f} s); target under 1.5 s: "
            + ("PASS" if statistics.median(cold) < 1.5 else "**FAIL**")
            + ".",
        ]
        titles = args.data / "thucnews-titles" / "train.txt"
        if titles.exists():
            text = "\n\n".join(
                line.split("\t")[0] for line in titles.read_text("utf-8").splitlines()
            )
            big = Path(folder) / "titles.txt"
            big.write_text(text, encoding="utf-8")
            times = {}
            for jobs in (1, 2, 1, 2):
                taken = wall(
                    [*TAGGER, "tag", str(big), "-j", str(jobs), "-f", "jsonl", "-o", str(out)]
                )
                times.setdefault(jobs, []).append(taken)
            one, two = min(times[1]), min(times[2])
            lines.append(
                f"- `tagger tag titles.txt -f jsonl -o out.jsonl`, titles.txt the 180,000 THUCNews"
                f" training titles a paragraph each ({len(text):,} characters), best of two: one"
                f" process {one:.1f} s, `--jobs 2` {two:.1f} s: {one / two:.2f}x (target 1.7x): "
                + ("PASS" if one / two >= 1.7 else "**FAIL**")
                + ". Both include the start of the command (the line above)."
            )
        else:
            lines.append(f"- --jobs comparison skipped: {titles} not found.")
    report = "\n".join(lines) + "\n"
    print(report)
    path = ROOT / "BENCHMARKS.md"
    existing = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    existing = existing.split(MARK)[0].rstrip() + "\n\n"
    path.write_text(existing + report, encoding="utf-8")
    sys.exit(0)


if __name__ == "__main__":
    main()
