"""Do calibrated scores mean what they say? Trains tagger as `tagger train` does by default
(20% of the training split held out to measure and calibrate), then compares, on the
benchmark's evaluation split, how often labels scored in each range were right, with the
calibrated scores and with the plain sigmoid of the margins. Writes bench/calibration.md.

    .venv/bin/python bench/calibration.py [--data ../shared/data] [tnews duee ...]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmark import DATASETS, load  # noqa: E402  (bench/, the script's folder)

from tagger.calibration import IDENTITY  # noqa: E402
from tagger.evaluation import evaluate  # noqa: E402
from tagger.inference import CompactModel  # noqa: E402
from tagger.model import train  # noqa: E402

OUTPUT = ROOT / "bench" / "calibration.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", default=["tnews", "duee"], help=", ".join(DATASETS))
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    for name in args.names:
        if name not in DATASETS:
            parser.error(f"unknown dataset {name!r}; use some of {', '.join(DATASETS)}")
    if not args.data.is_dir():
        print(f"{args.data} not found: nothing to measure")
        return
    lines = [
        "# Calibrated scores against outcomes",
        "",
        f"Made by `.venv/bin/python bench/calibration.py {' '.join(args.names)}`: `train` with",
        "its defaults (20% of the training split held out, which calibrates the scores), then",
        "every (text, label) pair of the evaluation split by the score the label got: how many",
        "pairs a range holds and the share of them whose text has the label. *Plain* is the",
        "same model without calibration (the sigmoid of the SVM's margin).",
        "",
    ]
    for name in args.names:
        train_set, eval_set = load(name, args.data)
        model = CompactModel.from_model(train(train_set))
        a, b = model.calibration
        metric = "micro_f1" if model.multi_label else "accuracy"
        reports = {
            "calibrated": evaluate(model, eval_set),
            "plain": evaluate(replace(model, calibration=IDENTITY), eval_set),
        }
        lines += [
            f"## {name}",
            "",
            f"a = {a:.2f}, b = {b:+.2f}; {metric} {getattr(reports['calibrated'], metric):.4f}.",
            "",
            "| score | calibrated: pairs | with the label | plain: pairs | with the label |",
            "|---|---|---|---|---|",
        ]
        rows = {k: {r["low"]: r for r in v.reliability()} for k, v in reports.items()}
        for low in sorted(set(rows["calibrated"]) | set(rows["plain"])):
            cells = [f"{low:.1f}–{low + 0.1:.1f}"]
            for kind in ("calibrated", "plain"):
                r = rows[kind].get(low)
                cells += [str(r["pairs"]), f"{r['with_label']:.1%}"] if r else ["", ""]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    OUTPUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
