"""Measure a model on labeled data: accuracy, precision/recall/F1, confusions and mistakes.

>>> from tagger.data import Example
>>> from tagger.model import train
>>> data = [Example("云计算市场份额增长", ("cloud",)), Example("芯片出口管制升级", ("chips",))] * 5
>>> evaluate(train(data, test_size=0), data).accuracy
1.0
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.model_selection import (
    GroupKFold,
    GroupShuffleSplit,
    KFold,
    StratifiedKFold,
    train_test_split,
)

from .data import Example
from .errors import DataError

if TYPE_CHECKING:
    from .model import TaggerModel

__all__ = [
    "EvaluationReport",
    "Mistake",
    "best_threshold",
    "cross_validate",
    "evaluate",
    "holdout_split",
]

HEADLINE = (
    "accuracy",
    "micro_precision",
    "micro_recall",
    "micro_f1",
    "macro_precision",
    "macro_recall",
    "macro_f1",
)


@dataclass
class Mistake:
    """An example the model got wrong, with what it predicted and how confidently."""

    text: str
    true: list[str]
    predicted: list[str]
    scores: dict[str, float]
    severity: float
    source: str = ""
    line: int = 0


@dataclass
class EvaluationReport:
    """Everything ``tagger evaluate`` shows. ``accuracy`` is exact match for multi-label."""

    examples: int
    multi_label: bool
    accuracy: float
    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_precision: float
    macro_recall: float
    macro_f1: float
    per_label: dict[str, dict[str, float]]
    confusion: dict[str, Any] | None = None
    mistakes: list[Mistake] = field(default_factory=list)

    def headline(self) -> dict[str, Any]:
        """The summary figures, as stored in a model card."""
        return {"examples": self.examples, **{k: getattr(self, k) for k in HEADLINE}}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def evaluate(
    model: TaggerModel,
    examples: Sequence[Example],
    *,
    threshold: float | None = None,
    max_mistakes: int = 20,
) -> EvaluationReport:
    """Predict every example with ``model`` and compare with its labels."""
    examples = [e for e in examples if e.text.strip()]
    scores = model.scores([e.text for e in examples])
    predicted = [[label for label, _ in row] for row in model.decide(scores, threshold=threshold)]
    truth = [list(e.labels) for e in examples]
    labels = list(model.labels) + sorted({x for t in truth for x in t} - set(model.labels))
    index = {label: i for i, label in enumerate(labels)}
    counts = np.zeros((len(labels), 3), dtype=int)  # tp, fp, fn
    for true, pred in zip(truth, predicted):
        for label in set(pred) & set(true):
            counts[index[label], 0] += 1
        for label in set(pred) - set(true):
            counts[index[label], 1] += 1
        for label in set(true) - set(pred):
            counts[index[label], 2] += 1
    per_label = {}
    for label, (tp, fp, fn) in zip(labels, counts):
        p, r, f = _prf(tp, fp, fn)
        per_label[label] = {
            "precision": p,
            "recall": r,
            "f1": f,
            "support": int(tp + fn),
            "tp": int(tp),
            "fp": int(fp),
            "fn": int(fn),
        }
    micro = _prf(*counts.sum(axis=0))
    present = [v for v in per_label.values() if v["support"] or v["fp"]]
    macro = [
        float(np.mean([v[k] for v in present])) if present else 0.0
        for k in ("precision", "recall", "f1")
    ]
    n = len(examples)
    exact = sum(set(t) == set(p) for t, p in zip(truth, predicted))
    confusion = None
    if not model.multi_label:
        matrix = np.zeros((len(labels), len(labels) + 1), dtype=int)  # last column: no label
        for true, pred in zip(truth, predicted):
            if true:
                matrix[index[true[0]], index[pred[0]] if pred else len(labels)] += 1
        confusion = {"labels": labels, "matrix": matrix.tolist()}
    mistakes = _mistakes(examples, truth, predicted, scores, model.labels)[:max_mistakes]
    return EvaluationReport(
        examples=n,
        multi_label=model.multi_label,
        accuracy=exact / n if n else 0.0,
        micro_precision=micro[0],
        micro_recall=micro[1],
        micro_f1=micro[2],
        macro_precision=macro[0],
        macro_recall=macro[1],
        macro_f1=macro[2],
        per_label=per_label,
        confusion=confusion,
        mistakes=mistakes,
    )


def _prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return float(p), float(r), float(f)


def _mistakes(
    examples: Sequence[Example],
    truth: list[list[str]],
    predicted: list[list[str]],
    scores: np.ndarray,
    labels: Sequence[str],
) -> list[Mistake]:
    """Wrong predictions, worst first: the most confident wrong label or the lowest true one."""
    found = []
    for example, true, pred, row in zip(examples, truth, predicted, scores):
        if set(true) == set(pred):
            continue
        by_label = {label: float(s) for label, s in zip(labels, row)}
        wrong = [by_label[label] for label in set(pred) - set(true)]
        missed = [1 - by_label.get(label, 0.0) for label in set(true) - set(pred)]
        top = dict(sorted(by_label.items(), key=lambda kv: -kv[1])[:5])
        found.append(
            Mistake(
                example.text,
                true,
                pred,
                top,
                max(wrong + missed),
                example.source,
                example.line,
            )
        )
    return sorted(found, key=lambda m: -m.severity)


def _strata(examples: Sequence[Example], folds: int) -> list[str] | None:
    """A stratification key per example (its rarest label), or None when too few per key."""
    counts = Counter(label for e in examples for label in e.labels)
    keys = [min(e.labels, key=lambda x: (counts[x], x)) if e.labels else "" for e in examples]
    per_key = Counter(keys)
    keys = [k if per_key[k] >= folds else "(rare)" for k in keys]
    per_key = Counter(keys)
    if min(per_key.values()) < folds or len(per_key) < 2:
        return None
    return keys


def _groups(examples: Sequence[Example]) -> list[str] | None:
    groups = [e.group for e in examples]
    return groups if any(groups) else None


def holdout_split(
    examples: Sequence[Example], test_size: float, seed: int
) -> tuple[list[Example], list[Example]]:
    """Split off ``test_size`` of the examples: whole groups when examples have groups, else
    stratified by rarest label when every stratum is big enough, else shuffled."""
    examples = list(examples)
    n_test = round(len(examples) * test_size)
    if n_test < 1 or n_test >= len(examples):
        return examples, []
    groups = _groups(examples)
    if groups is not None:
        splitter = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
        train_idx, test_idx = next(splitter.split(examples, groups=groups))
        return [examples[i] for i in train_idx], [examples[i] for i in test_idx]
    strata = _strata(examples, 2)
    if strata is not None and n_test < len(set(strata)):
        strata = None
    train_part, test_part = train_test_split(
        examples, test_size=n_test, random_state=seed, stratify=strata
    )
    return train_part, test_part


def cross_validate(
    examples: Sequence[Example],
    fit: Callable[[Sequence[Example]], TaggerModel],
    *,
    folds: int = 5,
    seed: int = 0,
    labels: Sequence[str] = (),
) -> tuple[dict[str, Any], np.ndarray]:
    """Mean and standard deviation of the headline figures over ``folds`` folds, and every
    example's out-of-fold scores for ``labels`` (columns in that order).

    Examples with groups are split by group (``GroupKFold``), others stratified by label.
    """
    examples = list(examples)
    groups = _groups(examples)
    if groups is not None:
        folds = min(folds, len(set(groups)))
    if len(examples) < folds or folds < 2:
        raise DataError(
            f"{folds}-fold cross-validation needs at least {max(folds, 2)} examples or groups"
        )
    if groups is not None:
        splits = GroupKFold(n_splits=folds).split(examples, groups=groups)
    else:
        strata = _strata(examples, folds)
        splitter = (KFold if strata is None else StratifiedKFold)(
            n_splits=folds, shuffle=True, random_state=seed
        )
        splits = splitter.split(np.zeros(len(examples)), strata)
    column = {label: i for i, label in enumerate(labels)}
    scores = np.zeros((len(examples), len(labels)))
    runs = []
    for train_idx, test_idx in splits:
        model = fit([examples[i] for i in train_idx])
        test = [examples[i] for i in test_idx]
        runs.append(evaluate(model, test).headline())
        fold_scores = model.scores([e.text for e in test])
        for j, label in enumerate(model.labels):
            if label in column:
                scores[test_idx, column[label]] = fold_scores[:, j]
    by = "article groups" if groups is not None else "examples"
    result: dict[str, Any] = {"method": f"{folds}-fold cross-validation by {by}", "folds": folds}
    for key in HEADLINE:
        values = [run[key] for run in runs]
        result[key] = statistics.fmean(values)
        result[f"{key}_std"] = statistics.pstdev(values)
    result["examples"] = len(examples)
    return result, scores


def best_threshold(
    scores: np.ndarray, examples: Sequence[Example], labels: Sequence[str]
) -> tuple[float, float]:
    """The one threshold for all labels that maximises micro-F1 on these scores, and that F1.

    >>> best_threshold(np.array([[0.9], [0.3], [0.2]]), [Example("a", ("x",))] * 2 + [Example("b", ())], ["x"])
    (0.25, 1.0)
    """
    truth = np.array([[label in e.labels for label in labels] for e in examples], dtype=bool)
    best = (0.5, -1.0)
    for t in np.round(np.arange(0.05, 0.96, 0.05), 2):
        chosen = scores >= t
        tp = (chosen & truth).sum()
        f1 = 2 * tp / (chosen.sum() + truth.sum()) if chosen.sum() + truth.sum() else 0.0
        if f1 > best[1]:
            best = (float(t), float(f1))
    return best
