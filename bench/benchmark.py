"""Benchmark tagger against fastText on public Chinese data; writes results.json and BENCHMARKS.md.

Run it as ``bash bench/run.sh``. Every model is trained in a child process of its own, so its
peak memory (``ru_maxrss``) and timings are its own; the data are read from ``--data`` (the
shared data folder, never copied into the project) and only train/dev splits are used.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tagger itself, when $PYTHON has it not installed

from report import render  # noqa: E402  (bench/, the script's folder)

from tagger.data import Example, read_examples  # noqa: E402

DATASETS: dict[str, dict[str, Any]] = {
    "thucnews": {"eval": "dev.txt", "multi_label": False, "headline": "accuracy"},
    "tnews": {"eval": "10% of train.json, seed 0", "multi_label": False, "headline": "accuracy"},
    "duee": {"eval": "10% of train.csv, seed 0", "multi_label": True, "headline": "micro_f1"},
    "csldcp": {"eval": "dev_few_all.json", "multi_label": False, "headline": "accuracy"},
}
TAGGER_CONFIGS: dict[str, dict[str, Any]] = {
    "tagger": {},  # train's defaults
    "tagger-hmm": {"hmm": True},  # jieba's HMM guessing unknown words (off by default)
    "tagger-auto": {"C": "auto"},  # C chosen on 10% of the training split held out
}
SLOW = "tagger"  # run last, in what is left of --budget
CLI_SPEED = "## Command-line speed"  # the heading of what bench/cli_speed.py appends
LONG_ARTICLES = "csldcp"  # its abstracts, 25 to an article, also measure long articles
FASTTEXT = {"epoch": 25, "lr": 1.0, "dim": 100, "thread": 2}
# more epochs for less data: on THUCNews 10 epochs score as 25 do, on CSLDCP 25 underfit
FASTTEXT_OVERRIDES = {"thucnews": {"epoch": 10}, "csldcp": {"epoch": 50}}


def load(name: str, data: Path) -> tuple[list[Example], list[Example]]:
    """Training and evaluation examples of one dataset, texts never empty."""
    if name == "thucnews":
        folder = data / "thucnews-titles"
        classes = (folder / "class.txt").read_text(encoding="utf-8").split()

        def read(file: str) -> list[Example]:
            lines = (folder / file).read_text(encoding="utf-8").splitlines()
            rows = (line.rsplit("\t", 1) for line in lines if line.strip())
            return [Example(text, (classes[int(y)],)) for text, y in rows]

        return _nonempty(read("train.txt")), _nonempty(read("dev.txt"))
    if name == "csldcp":
        files = ("train_few_all.json", "dev_few_all.json")
        train, dev = (read_examples([data / "csldcp" / f], "jsonl") for f in files)
        return _nonempty(train), _nonempty(dev)
    if name == "tnews":
        examples = read_examples(
            [data / "tnews/train.json"], "jsonl", text_field="sentence", label_field="label_desc"
        )
    else:
        examples = read_examples([data / "duee-events/train.csv"])
    from sklearn.model_selection import train_test_split

    train, test = train_test_split(_nonempty(examples), test_size=0.1, random_state=0)
    return train, test


def _nonempty(examples: list[Example]) -> list[Example]:
    return [e for e in examples if e.text.strip()]


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its finished worker processes (training fits the
    SVMs and analyses texts in workers, which have all ended when ``train`` returns)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def tagger_child(name: str, config: str, data: Path) -> dict[str, Any]:
    """Train and measure one tagger configuration (run in a child process)."""
    from tagger.evaluation import evaluate
    from tagger.inference import CompactModel
    from tagger.model import train
    from tagger.tokenizing import JiebaTokenizer

    train_set, eval_set = load(name, data)
    params = dict(TAGGER_CONFIGS[config])
    tokenizer = JiebaTokenizer(hmm=params.pop("hmm", False))
    multi_label = DATASETS[name]["multi_label"]
    start, cpu = time.perf_counter(), _cpu_seconds()
    model = train(train_set, test_size=0, multi_label=multi_label, tokenizer=tokenizer, **params)
    train_seconds, train_cpu_seconds = time.perf_counter() - start, _cpu_seconds() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = evaluate(model, eval_set)
    texts = [e.text for e in eval_set]
    scorer = CompactModel.from_model(model)  # what `tagger tag` scores with, in one process
    before = jieba_throughput(texts)  # raw jieba just before and after: the ratio's baseline
    start, cpu = time.perf_counter(), time.process_time()
    scorer.scores(texts)  # one call, from cold caches
    tag_seconds, tag_cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    after = jieba_throughput(texts)
    jieba_cpu_seconds = (before["tag_cpu_seconds"] + after["tag_cpu_seconds"]) / 2
    long = long_articles(scorer, texts) if name == LONG_ARTICLES else {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TAGGER_HOME"] = tmp  # the signing key made by save stays out of ~/.config
        model_bytes = model.save(Path(tmp) / "model.joblib").stat().st_size
    return {
        "train_seconds": train_seconds,
        "train_cpu_seconds": train_cpu_seconds,
        "tag_seconds": tag_seconds,
        "tag_cpu_seconds": tag_cpu_seconds,
        "jieba_ratio": jieba_cpu_seconds / tag_cpu_seconds,
        **long,
        "metrics": report.headline(),
        "model_bytes": model_bytes,
        "peak_rss_mib": peak,
        "worker_peak_rss_mib": worker_peak,
        "min_df": model.card["params"]["min_df"],
        "C": model.card["params"]["C"],
        "C_search": model.card["metrics"].get("C_search"),
        "min_labels": model.min_labels,
    }


def long_articles(scorer: Any, texts: list[str], size: int = 25) -> dict[str, Any]:
    """Throughput on long articles: ``size`` texts a paragraph each, tagged by ``tag`` (cut
    into segments, scored, rolled up), against raw jieba on the same articles."""
    from tagger.tagging import tag

    articles = ["\n\n".join(texts[i : i + size]) for i in range(0, len(texts), size)]
    before = jieba_throughput(articles)
    cpu = time.process_time()
    for article in articles:
        tag(article, scorer)
    seconds = time.process_time() - cpu
    after = jieba_throughput(articles)
    jieba = (before["tag_cpu_seconds"] + after["tag_cpu_seconds"]) / 2
    return {
        "long_articles": len(articles),
        "long_chars": sum(map(len, articles)),
        "long_cpu_seconds": seconds,
        "long_ratio": jieba / seconds,
    }


def run_tagger(name: str, config: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--data", str(args.data), "--child", name, config]
    result = _run_child(command, args)
    result["params"] = TAGGER_CONFIGS[config] or "build_pipeline defaults"
    return result


def run_fasttext(
    name: str,
    mode: str,
    files: tuple[Path, Path],
    train_set: list[Example],
    eval_set: list[Example],
    args: argparse.Namespace,
) -> dict[str, Any]:
    import numpy as np

    from tagger.evaluation import evaluate
    from tagger.model import TaggerModel

    multi = DATASETS[name]["multi_label"]
    params = {**FASTTEXT, **FASTTEXT_OVERRIDES.get(name, {})}
    command = [args.fasttext_python, str(ROOT / "bench/fasttext_run.py"), *map(str, files)]
    command += ["--mode", mode, *[f"--{key}={value}" for key, value in params.items()]]
    result = _run_child(command + ["--multi-label"] * multi, args)
    result["params"] = {"wordNgrams": 2, "loss": "ova" if multi else "softmax", **params}
    if "error" in result:
        return result
    labels, scores = result.pop("labels"), np.array(result.pop("scores"), dtype=float)
    # tagger's own metrics: the best label (single-label) or every label scoring >= 0.5, and
    # the best one when none does if every training example had a label (tagger's rule too)
    thresholds = dict.fromkeys(labels, 0.5) if multi else {}
    min_labels = int(multi and all(e.labels for e in train_set))
    model = TaggerModel(None, labels, multi, thresholds, min_labels=min_labels)
    result["min_labels"] = min_labels
    model.scores = lambda texts: scores  # type: ignore[method-assign]
    result["metrics"] = evaluate(model, eval_set).headline()
    return result


def _run_child(command: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """Run a measuring child process within ``--timeout`` and what is left of ``--budget``."""
    start = time.perf_counter()
    timeout = min(args.timeout or math.inf, args.deadline - start)
    if timeout < 10:
        return {"error": "not run: the run's --budget was used up"}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {timeout:.0f} s without finishing"}
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    result = json.loads(done.stdout)
    result["wall_seconds"] = time.perf_counter() - start
    return result


def jieba_throughput(texts: list[str], hmm: bool = True) -> dict[str, float]:
    """Raw ``jieba.Tokenizer().lcut`` over ``texts`` (dictionary loaded beforehand)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        tokenizer.lcut(text, HMM=hmm)
    return {
        "tag_seconds": time.perf_counter() - start,
        "tag_cpu_seconds": time.process_time() - cpu,
    }


def pipeline_defaults() -> dict[str, Any]:
    """build_pipeline's keyword defaults, as the "tagger (defaults)" row used them."""
    import inspect

    from tagger.model import build_pipeline

    params = inspect.signature(build_pipeline).parameters.values()
    return {
        p.name: p.default for p in params if p.kind is p.KEYWORD_ONLY and p.name != "multi_label"
    }


def source_digest() -> str:
    """A short SHA-256 of tagger's source, to tell whether it changed during a run."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "tagger").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def fasttext_python() -> str:
    """The Python of bench/.venv-fasttext, made or updated from requirements-fasttext.txt."""
    venv, requirements = ROOT / "bench/.venv-fasttext", ROOT / "bench/requirements-fasttext.txt"
    stamp = venv / ".installed"
    if not stamp.is_file() or stamp.stat().st_mtime < requirements.stat().st_mtime:
        print(f"installing fastText into {venv}", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin/python"), "-m", "pip", "install", "--quiet", "-r"]
        subprocess.run([*pip, str(requirements)], check=True)
        stamp.touch()
    return str(venv / "bin/python")


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    import jieba
    import numpy
    import sklearn

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kib / 2**20, 1),
        "python": platform.python_version(),
        "versions": {
            "scikit-learn": sklearn.__version__,
            "numpy": numpy.__version__,
            "jieba": jieba.__version__,
            "fasttext": "fasttext-wheel 0.9.2 (bench/requirements-fasttext.txt)",
        },
    }


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Raw jieba, fastText and the extra tagger configurations on every dataset first, then
    tagger's defaults (the slowest), smallest dataset first, within what is left of --budget."""
    started = time.perf_counter()
    args.deadline = started + (args.budget or math.inf)
    results: dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": os.environ.get("BENCH_COMMAND", " ".join(sys.argv)),
        "budget_seconds": args.budget,
        "fasttext": {"params": FASTTEXT, "overrides": FASTTEXT_OVERRIDES},
        "machine": machine(),
        "load_average_at_start": os.getloadavg(),
        "tagger_source": [source_digest()],
        "tagger_defaults": pipeline_defaults(),
        "datasets": {},
    }
    for name in args.datasets:
        train_set, eval_set = load(name, args.data)
        texts = [e.text for e in eval_set]
        entry = results["datasets"][name] = {
            "train_examples": len(train_set),
            "eval_examples": len(eval_set),
            "eval": DATASETS[name]["eval"],
            "eval_chars": sum(map(len, texts)),
            "multi_label": DATASETS[name]["multi_label"],
            "headline": DATASETS[name]["headline"],
            "jieba": jieba_throughput(texts),
            "jieba_no_hmm": jieba_throughput(texts, hmm=False),
            "runs": {},
        }
        with tempfile.TemporaryDirectory() as tmp:  # the fastText child's input, deleted after
            files = (Path(tmp) / "train.tsv", Path(tmp) / "eval.tsv")
            for path, part in zip(files, (train_set, eval_set)):
                path.write_text(
                    "".join(f"{'|'.join(e.labels)}\t{' '.join(e.text.split())}\n" for e in part),
                    encoding="utf-8",
                )
            for mode in ("char", "word"):
                _progress(name, f"fasttext-{mode}")
                entry["runs"][f"fasttext-{mode}"] = run_fasttext(
                    name, mode, files, train_set, eval_set, args
                )
        for config in args.configs:
            if config != SLOW:
                _progress(name, config)
                entry["runs"][config] = run_tagger(name, config, args)
    for name in sorted(args.datasets, key=lambda n: results["datasets"][n]["train_examples"]):
        if SLOW in args.configs:
            _progress(name, SLOW)
            results["datasets"][name]["runs"][SLOW] = run_tagger(name, SLOW, args)
    for entry in results["datasets"].values():  # per CPU second: steadier on a busy machine
        for run in [entry["jieba"], entry["jieba_no_hmm"], *entry["runs"].values()]:
            if "tag_cpu_seconds" in run:
                run["chars_per_second"] = entry["eval_chars"] / run["tag_cpu_seconds"]
                run["segments_per_second"] = entry["eval_examples"] / run["tag_cpu_seconds"]
    results["load_average_at_end"] = os.getloadavg()
    results["tagger_source"].append(source_digest())
    results["total_seconds"] = time.perf_counter() - started
    return results


def _progress(name: str, run: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {name}: {run}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data", type=Path, default=ROOT.parent / "shared/data", help="the shared data folder"
    )
    parser.add_argument("--datasets", nargs="+", choices=DATASETS, default=list(DATASETS))
    parser.add_argument(
        "--configs", nargs="+", choices=TAGGER_CONFIGS, default=list(TAGGER_CONFIGS)
    )
    parser.add_argument("--fasttext-python", help="default: bench/.venv-fasttext, made if missing")
    parser.add_argument("--timeout", type=float, default=0, help="seconds per model (0: none)")
    parser.add_argument(
        "--budget", type=float, default=840, help="seconds for the whole run (0: no limit)"
    )
    parser.add_argument("--json", type=Path, default=ROOT / "bench/results.json")
    parser.add_argument("--markdown", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--render-only", action="store_true", help="rewrite the markdown only")
    parser.add_argument("--child", nargs=2, metavar=("DATASET", "CONFIG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        json.dump(tagger_child(*args.child, args.data), sys.stdout)
        return
    if not args.render_only:
        if not args.data.is_dir():
            print(f"benchmark skipped: no data folder at {args.data}")
            return
        args.fasttext_python = args.fasttext_python or fasttext_python()
        results = benchmark(args)
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    results = json.loads(args.json.read_text())
    # keep the section bench/cli_speed.py appends (it replaces it when it runs)
    old = args.markdown.read_text("utf-8") if args.markdown.exists() else ""
    kept = old[old.index(CLI_SPEED) :] if CLI_SPEED in old else ""
    args.markdown.write_text(render(results) + ("\n" + kept if kept else ""), encoding="utf-8")
    print(f"wrote {args.json} and {args.markdown}")


if __name__ == "__main__":
    main()
