"""Calibration of models trained on little data: `train` with its defaults (20% held out) on
random samples of a few dozen to a thousand training texts, then the log-loss of every (text,
label) pair of the benchmark's evaluation split with the calibrated scores and with the plain
sigmoid of the margins. A slope at ``MIN_SLOPE`` means the held-out labels did not rise with
the margins. Prints a Markdown table.

    .venv/bin/python bench/calibration_small.py [--data ../shared/data] [tnews duee ...]
"""

from __future__ import annotations

import argparse
import random
import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmark import DATASETS, load  # noqa: E402  (bench/, the script's folder)

from tagger.calibration import MIN_SLOPE, margins, sigmoid  # noqa: E402
from tagger.evaluation import truth_matrix  # noqa: E402
from tagger.model import train  # noqa: E402

SIZES = (40, 100, 300, 1000)
SAMPLES = 5
EVALUATED = 2000  # the first texts of the evaluation split


def log_loss(scores: np.ndarray, truth: np.ndarray) -> float:
    p = np.clip(scores, 1e-6, 1 - 1e-6)
    return float(-np.mean(np.where(truth, np.log(p), np.log(1 - p))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", default=["tnews", "duee"], help=", ".join(DATASETS))
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"{args.data} not found: nothing to measure")
        return
    warnings.simplefilter("ignore")  # small samples lack labels: train warns of each
    print("| data | training texts | sample | a | b | log-loss calibrated | plain |")
    print("|---|---|---|---|---|---|---|")
    for name in args.names:
        train_set, eval_set = load(name, args.data)
        eval_set = eval_set[:EVALUATED]
        for size in SIZES:
            for seed in range(SAMPLES):
                model = train(random.Random(seed).sample(list(train_set), size), seed=seed)
                scores = model.scores([e.text for e in eval_set])
                truth = truth_matrix(eval_set, model.labels)
                a, b = model.calibration
                plain = sigmoid((margins(scores) - b) / a)  # the margins' own sigmoid
                floor = " (floor)" if a <= MIN_SLOPE * 1.001 else ""
                print(
                    f"| {name} | {size} | {seed} | {a:.2f}{floor} | {b:+.2f} | "
                    f"{log_loss(scores, truth):.4f} | {log_loss(plain, truth):.4f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
