"""Train and apply one fastText supervised model; runs in bench/.venv-fasttext (numpy < 2).

Reads TSV files of ``labels<TAB>text`` (labels joined by ``|``) written by benchmark.py and
prints one JSON object: timings, peak memory, model size, labels and a score per label for
every evaluation text. Training time covers turning the training texts into fastText input
(characters or jieba words separated by spaces, jieba's dictionary load included) and
``train_supervised``; tagging time covers the same preparation of the evaluation texts and
``predict``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import tempfile
import time
import unicodedata

import fasttext

PREFIX = "__label__"


def normalize(text: str) -> str:
    """NFKC and lower case, as tagger's features see text."""
    return unicodedata.normalize("NFKC", text).lower()


def splitter(mode: str):
    if mode == "char":
        return lambda text: " ".join(ch for ch in normalize(text) if not ch.isspace())
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return lambda text: " ".join(w for w in tokenizer.lcut(normalize(text)) if w.strip())


def read(path: str) -> tuple[list[list[str]], list[str]]:
    labels, texts = [], []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            label, _, text = line.rstrip("\n").partition("\t")
            labels.append([x for x in label.split("|") if x])
            texts.append(text)
    return labels, texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("train")
    parser.add_argument("eval")
    parser.add_argument("--mode", choices=("char", "word"), required=True)
    parser.add_argument("--multi-label", action="store_true")
    parser.add_argument("--epoch", type=int, default=20)
    parser.add_argument("--lr", type=float, default=0.5)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--thread", type=int, default=2)
    args = parser.parse_args()
    train_labels, train_texts = read(args.train)
    _, eval_texts = read(args.eval)

    with tempfile.TemporaryDirectory() as tmp:
        input_path = os.path.join(tmp, "train.ft")
        start, cpu = time.perf_counter(), time.process_time()
        split = splitter(args.mode)
        with open(input_path, "w", encoding="utf-8") as handle:
            for labels, text in zip(train_labels, train_texts):
                handle.write(" ".join(PREFIX + x for x in labels) + " " + split(text) + "\n")
        prepared = time.perf_counter()
        model = fasttext.train_supervised(
            input=input_path,
            epoch=args.epoch,
            lr=args.lr,
            dim=args.dim,
            wordNgrams=2,
            minCount=1,
            loss="ova" if args.multi_label else "softmax",
            thread=args.thread,
            verbose=0,
        )
        trained, train_cpu_seconds = time.perf_counter(), time.process_time() - cpu
        model_path = os.path.join(tmp, "model.bin")
        model.save_model(model_path)
        model_bytes = os.path.getsize(model_path)

    start_tag, cpu = time.perf_counter(), time.process_time()
    lines = [split(text) for text in eval_texts]
    predicted, probs = model.predict(lines, k=-1, threshold=0.0)
    tag_seconds, tag_cpu_seconds = time.perf_counter() - start_tag, time.process_time() - cpu

    labels = [x[len(PREFIX) :] for x in model.labels]
    column = {label: i for i, label in enumerate(labels)}
    scores = []
    for names, values in zip(predicted, probs):
        row = [0.0] * len(labels)
        for name, value in zip(names, values):
            row[column[name[len(PREFIX) :]]] = round(float(min(value, 1.0)), 6)
        scores.append(row)
    json.dump(
        {
            "prepare_seconds": prepared - start,
            "train_seconds": trained - start,
            "train_cpu_seconds": train_cpu_seconds,
            "tag_seconds": tag_seconds,
            "tag_cpu_seconds": tag_cpu_seconds,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "model_bytes": model_bytes,
            "labels": labels,
            "scores": scores,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
