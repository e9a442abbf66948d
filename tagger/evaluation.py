"""Measure a model on labeled data: accuracy, precision/recall/F1, confusions and mistakes.

>>> from tagger.data import Example
>>> from tagger.model import train
>>> data = [Example("云计算市场份额增长", ("cloud",)), Example("芯片出口管制升级", ("chips",))] * 5
>>> new = [Example("云计算市场份额下降", ("cloud",)), Example("芯片出口管制收紧", ("chips",))]
>>> evaluate(train(data, test_size=0), new).accuracy  # texts it was not trained on
1.0
"""

from __future__ import annotations

import copy
import os
import statistics
import warnings
from collections import Counter
from collections.abc import Callable, Collection, Sequence
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

from .data import DataWarning, Example, labeled_examples, same_text
from .errors import DataError
from .inference import LabelDecider, check_decision, check_number, chosen_mask

if TYPE_CHECKING:
    from .model import TaggerModel

__all__ = [
    "Comparison",
    "CrossValidation",
    "Disagreement",
    "EvaluationReport",
    "LearningCurve",
    "Mistake",
    "Significance",
    "best_threshold",
    "choose_thresholds",
    "compare",
    "cross_validate",
    "cross_validation",
    "evaluate",
    "holdout_split",
    "iterative_stratification",
    "learning_curve",
    "mcnemar",
    "significance",
    "tune_thresholds",
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
GRID = tuple(float(t) for t in np.round(np.arange(0.05, 0.96, 0.05), 2))
"""The thresholds tried when tuning and the points of the precision-recall curves."""
BINS = 10
"""Score histograms have this many equal bins over [0, 1]."""
PAIRED = ("accuracy", "micro_f1", "macro_f1")
"""The figures ``compare`` gives a bootstrap interval for the difference of."""


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
    per_label: dict[str, dict[str, float | None]]
    """Per label: ``precision``, ``recall``, ``f1``, ``support``, ``tp``, ``fp``, ``fn``. A label
    the data lacks has no recall (None), nor precision and F1 when never chosen either, and the
    macro averages leave these out; a label never chosen but in the data has precision 0."""
    confusion: dict[str, Any] | None = None
    """Single-label models: ``labels`` and ``matrix``, a row per true label (an example with
    several counts under the one predicted when it is among them, else under its first) and a
    last row for examples without a label when there are any, a column per predicted label
    and a last one for no label. The diagonal sums to the ``tp`` of ``per_label``."""
    mistakes: list[Mistake] = field(default_factory=list)
    thresholds: dict[str, float] = field(default_factory=dict)
    """The decision threshold of each label (multi-label models, or an override)."""
    no_label: int = 0
    """Examples that got no label (under every threshold)."""
    curves: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    """Per label: ``positive``/``negative`` score histograms (``BINS`` bins over [0, 1]) of the
    examples that have / lack the label, and ``precision``/``recall`` at each of ``thresholds``."""
    warnings: list[str] = field(default_factory=list)
    """What ``evaluate`` warned (DataWarning) about the data, kept for the reports (as
    ``Comparison.warnings``); not in ``to_dict``."""

    def headline(self) -> dict[str, Any]:
        """The summary figures, as stored in a model card.

        >>> EvaluationReport(4, False, 0.75, 0.75, 0.75, 0.75, 0.5, 0.5, 0.5, {}).headline()
        {'examples': 4, 'accuracy': 0.75, 'micro_precision': 0.75, 'micro_recall': 0.75, 'micro_f1': 0.75, 'macro_precision': 0.5, 'macro_recall': 0.5, 'macro_f1': 0.5}
        """
        return {"examples": self.examples, **{k: getattr(self, k) for k in HEADLINE}}

    def reliability(self) -> list[dict[str, float]]:
        """How often a score came true: for each score bin (``BINS`` over [0, 1]) that holds
        any, the (example, label) pairs scored in it (``pairs``, all labels together) and the
        share of them whose example has the label (``with_label``). The better the scores are
        calibrated, the nearer each share is to its bin.

        >>> curves = {"x": {"positive": [0] * 9 + [3], "negative": [5] + [0] * 8 + [1]}}
        >>> EvaluationReport(8, True, *[0.0] * 7, {}, curves=curves).reliability()
        [{'low': 0.0, 'high': 0.1, 'pairs': 5, 'with_label': 0.0}, {'low': 0.9, 'high': 1.0, 'pairs': 4, 'with_label': 0.75}]
        """
        positive = np.sum([c["positive"] for c in self.curves.values()], axis=0)
        negative = np.sum([c["negative"] for c in self.curves.values()], axis=0)
        rows = []
        for b, (yes, no) in enumerate(zip(np.atleast_1d(positive), np.atleast_1d(negative))):
            if yes + no:
                low, high = round(b / BINS, 2), round((b + 1) / BINS, 2)
                pairs = int(yes + no)
                rows.append(
                    {"low": low, "high": high, "pairs": pairs, "with_label": float(yes / pairs)}
                )
        return rows

    def weakest(self, top: int = 3) -> list[str]:
        """The ``top`` labels of the data with the lowest F1 below 1, lowest first (the more
        examples first on ties): where the model needs work.

        >>> per_label = {"a": {"f1": 0.9, "support": 5}, "b": {"f1": 0.5, "support": 2},
        ...              "c": {"f1": 1.0, "support": 4}, "d": {"f1": None, "support": 0}}
        >>> EvaluationReport(11, False, *[0.0] * 7, per_label).weakest()
        ['b', 'a']
        """
        weak = [
            label
            for label, v in self.per_label.items()
            if v["support"] and v["f1"] is not None and v["f1"] < 1
        ]
        weak.sort(key=lambda x: (self.per_label[x]["f1"], -self.per_label[x]["support"]))
        return weak[:top]

    def confusions(self, top: int = 10) -> list[dict[str, Any]]:
        """The ``top`` most common mistakes of a single-label model, read off its confusion
        matrix, most examples first (then the larger share): the ``true`` label, the label
        ``predicted`` instead, how many ``examples`` and what ``share`` of the true label's
        examples that is (None for a label: no label). Empty for a multi-label model (it has
        no matrix).

        >>> matrix = [[8, 2, 0], [3, 1, 1]]  # rows: true a, b; columns: a, b, no label
        >>> report = EvaluationReport(15, False, *[0.0] * 7, {}, {"labels": ["a", "b"], "matrix": matrix})
        >>> [(c["true"], c["predicted"], c["examples"], c["share"]) for c in report.confusions()]
        [('b', 'a', 3, 0.6), ('a', 'b', 2, 0.2), ('b', None, 1, 0.2)]
        """
        if not self.confusion:
            return []
        labels = [*self.confusion["labels"], None]
        found = []
        for i, (label, row) in enumerate(zip(labels, self.confusion["matrix"])):
            for j, count in enumerate(row):
                if count and i != j:
                    predicted = labels[j]
                    share = count / sum(row)
                    found.append(
                        {"true": label, "predicted": predicted, "examples": count, "share": share}
                    )
        found.sort(key=lambda c: (-c["examples"], -c["share"]))
        return found[:top]

    def to_dict(self) -> dict[str, Any]:
        """The report's fields but ``warnings`` (the reports give those with what was measured,
        under ``about``), as plain data that ``json.dumps`` takes.

        >>> report = EvaluationReport(4, False, *[1.0] * 7, {}, warnings=["seen in training"])
        >>> document = report.to_dict()
        >>> document["accuracy"], document["mistakes"], "warnings" in document
        (1.0, [], False)
        """
        document = asdict(self)
        del document["warnings"]
        return document


def evaluate(
    model: LabelDecider | str | os.PathLike[str],
    examples: Sequence[Example],
    *,
    threshold: float | None = None,
    max_mistakes: int = 10,
    check_data: bool = True,
    progress: Callable[[int, int], None] | None = None,
    trust: bool = False,
) -> EvaluationReport:
    """Predict every example with ``model`` (or the model file at that path, its scoring arrays:
    see ``modelfile.load_compact``) and compare with its labels. ``trust=True`` loads a model
    file that is not verified (another user's) for this call, as ``--trust`` does.

    ``threshold`` overrides the model's decision thresholds. With ``check_data``, warns
    (DataWarning) about labels the model does not know, which count as misses, when
    ``examples`` are the data the model was trained on (the SHA-256 in its card), and when
    some of them have a text it was trained on (``TaggerModel.training_texts``), and keeps
    these warnings in the report's ``warnings``; measuring within training (held-out and fold
    models, which may lack a rare label) leaves it out.
    ``progress``, if given, is called with (examples scored, examples to score) as the
    examples are scored, in batches of ``SCORING_BATCH``: first (0, n), last (n, n).
    Raises DataError when no example has text, TypeError for arguments of the wrong kind and
    ValueError for a ``threshold`` outside [0, 1] or ``max_mistakes`` below 0 (as ``tag``).

    >>> from tagger.model import train
    >>> data = [Example("云计算市场份额增长", ("cloud",)), Example("芯片出口管制升级", ("chips",))] * 5
    >>> seen = []
    >>> new = [Example("云计算市场份额下降", ("cloud",))] * 3
    >>> _ = evaluate(train(data, test_size=0), new, progress=lambda done, n: seen.append(done))
    >>> seen
    [0, 3]
    """
    _check_limits(threshold, "max_mistakes", max_mistakes)
    _check_progress(progress)
    model = scoring_model(model, "evaluate", trust=trust)
    examples = [e for e in labeled_examples(examples, "evaluate") if e.text.strip()]
    if not examples:
        raise DataError("no examples to evaluate", hint="pass examples that have text")
    said = _warned(_data_warnings(model, examples)) if check_data else []
    scores = _scores(model, [e.text for e in examples], progress)
    report = _measured(model, examples, scores, threshold, max_mistakes)
    report.warnings = said
    return report


SCORING_BATCH = 2048
"""``evaluate`` and ``compare`` with a ``progress`` callback score this many examples at a
time (the scores are the same as at once: each row is scored on its own)."""


def _scores(
    model: LabelDecider,
    texts: list[str],
    progress: Callable[[int, int], None] | None,
    done: int = 0,
    total: int | None = None,
) -> np.ndarray:
    """``model.scores(texts)``, in batches telling ``progress`` (done + texts scored, total)
    when it is given."""
    if progress is None:
        return model.scores(texts)
    total = len(texts) if total is None else total
    progress(done, total)
    found = []
    for start in range(0, len(texts), SCORING_BATCH):
        found.append(model.scores(texts[start : start + SCORING_BATCH]))
        progress(done + start + len(found[-1]), total)
    return np.concatenate(found)


def _check_progress(progress: Any) -> None:
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a function, not {type(progress).__name__}")


def _measured(
    model: LabelDecider,
    examples: Sequence[Example],
    scores: np.ndarray,
    threshold: float | None,
    max_mistakes: int,
) -> EvaluationReport:
    """``evaluate``'s report of ``examples`` from ``model``'s ``scores`` of them."""
    predicted = [[label for label, _ in row] for row in model.decide(scores, threshold=threshold)]
    if threshold is not None:
        thresholds = dict.fromkeys(model.labels, threshold)
    else:
        thresholds = dict(model.thresholds) if model.multi_label else {}
    return _report(
        examples, scores, predicted, model.labels, model.multi_label, thresholds, max_mistakes
    )


def _check_limits(threshold: Any, name: str, most: Any) -> None:
    """TypeError or ValueError for a ``threshold`` (None, or from 0 to 1) or a count of items
    to keep (an integer from 0) that ``evaluate`` or ``compare`` cannot use: a threshold of 2
    chose no label and read as accuracy 0, ``max_mistakes=-1`` kept all mistakes but one."""
    check_decision(None, threshold)
    check_number(name, most, 0, None, (int, np.integer))


def scoring_model(model: Any, caller: str, *, trust: bool = False) -> LabelDecider:
    """``model`` itself, or the scoring arrays of the model file at that path (see
    ``modelfile.load_compact``, given ``trust``: ModelError for a missing, untrusted or damaged
    file); TypeError for anything else, naming ``caller``."""
    if isinstance(model, (str, os.PathLike)):
        from .modelfile import load_compact

        return load_compact(model, trust=trust)
    if not isinstance(model, LabelDecider):
        raise TypeError(
            f"{caller} needs a model (from train or load_model) or a model file's path, not "
            f"{type(model).__name__}"
        )
    return model


def _data_warnings(
    model: LabelDecider, examples: Sequence[Example], which: str = "the model"
) -> list[str]:
    """What to warn about labels ``model`` (``which``, in the messages) does not know and
    about its own training data: all of it (its card's SHA-256), or some of its texts (the
    ``training_texts`` hashes a model keeps; models saved before keep none)."""
    found = []
    known = set(model.labels)
    unknown = Counter(label for e in examples for label in e.labels if label not in known)
    if unknown:
        carry = sum(not known.issuperset(e.labels) for e in examples)
        named = ", ".join(f"{label} ({n})" for label, n in unknown.most_common())
        found.append(
            f"{carry} of {len(examples)} examples have labels {which} does not know, counted "
            f"as misses: {named}; measure a model trained with them, or leave them out"
        )
    trained = (getattr(model, "card", None) or {}).get("data") or {}
    dev = trained.get("dev") or {}
    whole = len(found)  # a message about the whole data follows, if it is training data
    if trained.get("examples") == len(examples) and trained.get("sha256"):
        from .model import data_hash

        if data_hash(examples) == trained["sha256"]:
            found.append(
                f"the data is {which}'s own training data (the SHA-256 its card records): the "
                "figures show what it memorised, not how it does on new text; measure it on "
                "data it was not trained on"
            )
    elif (
        trained.get("fitted_on") == "training and dev data"
        and dev.get("examples") == len(examples)
        and dev.get("sha256")
    ):
        from .model import data_hash

        if data_hash(examples) == dev["sha256"]:
            found.append(
                f"the data is the dev data {which} was measured on in training, then fitted on "
                "(train --dev fits the final model on the training and dev data): the figures "
                "show what it memorised, not how it does on new text; its card holds the "
                "figures measured on the dev data, or train with --no-refit to keep it unseen"
            )
    hashes = getattr(model, "training_texts", None)
    if hashes is not None and len(found) == whole:
        from .data import text_hash

        keys = np.fromiter((text_hash(e.text) for e in examples), np.uint64, len(examples))
        seen = int(np.isin(keys, hashes).sum())
        if seen:
            found.append(
                f"{seen} of {len(examples)} examples have a text {which} was trained on: the "
                "figures on them are optimistic (it has seen them and may have memorised "
                "their labels); measure it on held-out data, texts it was not trained on"
            )
    return found


def _warned(messages: list[str]) -> list[str]:
    """``messages``, each warned (DataWarning) at the line that called ``evaluate`` or
    ``compare``, to be kept in its result too. Not caught there with ``catch_warnings``, which
    swaps the filters of the whole process (other threads' too) and records what any thread
    warns meanwhile."""
    for message in messages:
        warnings.warn(message, DataWarning, stacklevel=3)
    return messages


def _report(
    examples: Sequence[Example],
    scores: np.ndarray,
    predicted: list[list[str]],
    score_labels: Sequence[str],
    multi_label: bool,
    thresholds: dict[str, float],
    max_mistakes: int,
) -> EvaluationReport:
    """Compare predictions with the examples' labels; ``scores`` has ``score_labels`` columns."""
    truth = [list(e.labels) for e in examples]
    seen = {x for rows in (truth, predicted) for row in rows for x in row}
    labels = list(score_labels) + sorted(seen - set(score_labels))
    index = {label: i for i, label in enumerate(labels)}
    counts = np.zeros((len(labels), 3), dtype=int)  # tp, fp, fn
    for true, pred in zip(truth, predicted):
        for label in set(pred) & set(true):
            counts[index[label], 0] += 1
        for label in set(pred) - set(true):
            counts[index[label], 1] += 1
        for label in set(true) - set(pred):
            counts[index[label], 2] += 1
    per_label: dict[str, dict[str, float | None]] = {}
    for label, (tp, fp, fn) in zip(labels, counts):
        p, r, f = _prf(tp, fp, fn)
        absent, unused = not tp + fn, not tp + fn + fp  # recall 0/0; precision and F1 0/0 too
        per_label[label] = {
            "precision": None if unused else p,
            "recall": None if absent else r,
            "f1": None if unused else f,
            "support": int(tp + fn),
            "tp": int(tp),
            "fp": int(fp),
            "fn": int(fn),
        }
    micro = _prf(*counts.sum(axis=0))
    macro = []
    for k in ("precision", "recall", "f1"):
        defined = [v[k] for v in per_label.values() if v[k] is not None]
        macro.append(float(np.mean(defined)) if defined else 0.0)
    n = len(examples)
    exact = sum(set(t) == set(p) for t, p in zip(truth, predicted))
    confusion = None
    if not multi_label:  # the last row and column: no label
        matrix = np.zeros((len(labels) + 1, len(labels) + 1), dtype=int)
        for true, pred in zip(truth, predicted):
            none = len(labels)
            first = pred[0] if pred and pred[0] in true else true[0] if true else None
            matrix[none if first is None else index[first], index[pred[0]] if pred else none] += 1
        if not matrix[-1].any():  # every example has a label
            matrix = matrix[:-1]
        confusion = {"labels": labels, "matrix": matrix.tolist()}
    mistakes = _mistakes(examples, truth, predicted, scores, score_labels)[:max_mistakes]
    return EvaluationReport(
        examples=n,
        multi_label=multi_label,
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
        thresholds=thresholds,
        no_label=sum(not p for p in predicted),
        curves=_curves(scores, truth, score_labels),
    )


def _curves(
    scores: np.ndarray, truth: list[list[str]], labels: Sequence[str]
) -> dict[str, dict[str, list[float]]]:
    """Score histograms of positives and negatives and precision/recall at ``GRID``, per label."""
    curves = {}
    edges = np.linspace(0.0, 1.0, BINS + 1)
    for j, label in enumerate(labels):
        column = scores[:, j] if len(scores) else np.zeros(0)
        has = np.array([label in t for t in truth], dtype=bool)
        precision, recall = [], []
        for t in GRID:
            tp = int((column[has] >= t).sum())
            chosen = int((column >= t).sum())
            precision.append(tp / chosen if chosen else 1.0)  # nothing chosen: nothing wrong
            recall.append(tp / int(has.sum()) if has.any() else 0.0)
        curves[label] = {
            "positive": np.histogram(column[has], edges)[0].tolist(),
            "negative": np.histogram(column[~has], edges)[0].tolist(),
            "thresholds": list(GRID),
            "precision": precision,
            "recall": recall,
        }
    return curves


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
    """Each example's group, or None when no example has one. Groups that share a text (see
    ``_texts``) are merged under the name of the first, so no text is on both sides."""
    groups = [e.group for e in examples]
    if not any(groups):
        return None
    merged = {g: g for g in groups}

    def root(group: str) -> str:
        while merged[group] != group:
            group = merged[group]
        return group

    first: dict[str, str] = {}
    for e in examples:
        merged[root(e.group)] = root(first.setdefault(same_text(e.text), e.group))
    return [root(g) for g in groups]


def _texts(examples: Sequence[Example]) -> list[list[int]]:
    """The indices of the examples of each distinct text, texts in order of first appearance.

    Texts are compared with surrounding whitespace stripped; splits without groups split
    these texts (their first examples stand for them), so copies of a text, which would leak
    what the model memorised into the figures, are all on one side.

    >>> _texts([Example("a", ("x",)), Example("b", ("y",)), Example(" a", ("x",))])
    [[0, 2], [1]]
    """
    copies: dict[str, list[int]] = {}
    for i, e in enumerate(examples):
        copies.setdefault(same_text(e.text), []).append(i)
    return list(copies.values())


def holdout_split(
    examples: Sequence[Example], test_size: float, seed: int
) -> tuple[list[Example], list[Example]]:
    """Split off ``test_size`` of the examples: whole groups when examples have groups, else
    ``test_size`` of the distinct texts (``_texts``) with all their copies, stratified by
    rarest label when every stratum is big enough, else shuffled."""
    examples = list(examples)
    groups = _groups(examples)
    if groups is not None:
        n_test = round(len(examples) * test_size)
        if n_test < 1 or n_test >= len(examples) or len(set(groups)) < 2:
            return examples, []
        splitter = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
        train_idx, test_idx = next(splitter.split(examples, groups=groups))
        return [examples[i] for i in train_idx], [examples[i] for i in test_idx]
    texts = _texts(examples)
    n_test = round(len(texts) * test_size)
    if n_test < 1 or n_test >= len(texts):
        return examples, []
    strata = _strata([examples[copies[0]] for copies in texts], 2)
    if strata is not None and n_test < len(set(strata)):
        strata = None
    parts = train_test_split(
        np.arange(len(texts)), test_size=n_test, random_state=seed, stratify=strata
    )
    train_part, test_part = ([examples[i] for t in part for i in texts[t]] for part in parts)
    return train_part, test_part


def iterative_stratification(
    label_sets: Sequence[Collection[str]], folds: int, seed: int = 0
) -> list[int]:
    """A fold number for each example so that every label is spread evenly over the folds.

    Iterative stratification (Sechidis, Tsoumakas and Vlahavas, 2011): take the label with the
    fewest examples left, give each of its examples to the fold that still wants that label
    most (ties: the fold that wants most examples, then at random), repeat. Unlike the paper,
    having no label counts as one more label, so such examples are spread evenly too.

    >>> sorted(iterative_stratification([("a",), ("a", "b"), ("b",), ("a",), (), ("b",)], 2))
    [0, 0, 0, 1, 1, 1]
    """
    rng = np.random.default_rng(seed)
    label_sets = [tuple(labels) or ("",) for labels in label_sets]
    wanted = np.full(folds, len(label_sets) / folds)
    per_label = Counter(label for labels in label_sets for label in set(labels))
    wanted_label = {label: np.full(folds, count / folds) for label, count in per_label.items()}
    fold_of = [-1] * len(label_sets)

    def assign(i: int, desire: np.ndarray) -> None:
        best = np.flatnonzero(desire == desire.max())
        best = best[wanted[best] == wanted[best].max()]
        fold = int(rng.choice(best))
        fold_of[i] = fold
        wanted[fold] -= 1
        for label in set(label_sets[i]):
            wanted_label[label][fold] -= 1

    while True:
        left: dict[str, list[int]] = {}
        for i, labels in enumerate(label_sets):
            if fold_of[i] < 0:
                for label in labels:
                    left.setdefault(label, []).append(i)
        if not left:
            break
        label = min(left, key=lambda x: (len(left[x]), x))
        for i in rng.permutation(left[label]):
            assign(int(i), wanted_label[label])
    return fold_of


def _splits(
    examples: Sequence[Example], folds: int, seed: int
) -> tuple[list[tuple[np.ndarray, np.ndarray]], str]:
    """Train and test indices of each fold, and how they were split. Examples with groups are
    split by group (``_groups``), other data by distinct text (``_texts``, every copy on its
    text's side): multi-label data by iterative stratification, other data stratified by
    label when every label has enough examples."""
    groups = _groups(examples)
    texts = _texts(examples)  # no fewer than merged groups: these share no text
    if groups is not None:
        folds = min(folds, len(set(groups)))
    if len(texts) < folds or folds < 2:
        raise DataError(
            f"{folds}-fold cross-validation needs at least {max(folds, 2)} distinct texts or groups"
        )
    if groups is not None:
        splits = GroupKFold(n_splits=folds).split(examples, groups=groups)
        return list(splits), f"{folds}-fold cross-validation by article groups"
    distinct = [examples[copies[0]] for copies in texts]
    if any(len(e.labels) != 1 for e in distinct):
        fold_of = np.array(iterative_stratification([e.labels for e in distinct], folds, seed))
        method = "by examples (iterative stratification)"
    else:
        strata = _strata(distinct, folds)
        splitter = (KFold if strata is None else StratifiedKFold)(
            n_splits=folds, shuffle=True, random_state=seed
        )
        fold_of = np.zeros(len(distinct), dtype=int)
        for j, (_, test) in enumerate(splitter.split(np.zeros(len(distinct)), strata)):
            fold_of[test] = j
        method = "by examples"
    text_of = np.zeros(len(examples), dtype=int)
    for t, copies in enumerate(texts):
        text_of[copies] = t
    fold_of = fold_of[text_of]
    everything = np.arange(len(examples))
    splits = [(everything[fold_of != j], everything[fold_of == j]) for j in range(folds)]
    splits = [(train, test) for train, test in splits if len(test) and len(train)]
    return splits, f"{len(splits)}-fold cross-validation {method}"


@dataclass
class CrossValidation:
    """What k-fold cross-validation measured.

    ``summary``: the method, the number of folds and examples, and the mean of every headline
    figure over the folds with its spread (``<figure>_std``). ``per_fold``: each fold's headline
    figures. ``report``: all out-of-fold predictions pooled into one report (per-label table,
    mistakes, ...). ``scores``: every example's out-of-fold scores, columns in ``labels`` order.
    """

    summary: dict[str, Any]
    per_fold: list[dict[str, Any]]
    report: EvaluationReport
    scores: np.ndarray
    labels: list[str]

    def to_dict(self) -> dict[str, Any]:
        """The summary, the folds' figures and the pooled report, as copies (no ``scores``)."""
        return {
            "summary": copy.deepcopy(self.summary),
            "per_fold": copy.deepcopy(self.per_fold),
            "report": self.report.to_dict(),
        }


Fit = Callable[[Sequence[Example]], "TaggerModel"]


def cross_validation(
    examples: Sequence[Example],
    fit: Fit,
    *,
    folds: int = 5,
    seed: int = 0,
    labels: Sequence[str] = (),
    threshold: float | None = None,
    max_mistakes: int = 10,
    progress: Callable[[int, int], None] | None = None,
) -> CrossValidation:
    """Fit a fresh model on each fold's training part with ``fit`` and measure it on the rest.

    Groups go first (``GroupKFold``), multi-label data uses ``iterative_stratification``,
    single-label data ``StratifiedKFold``. ``labels`` (default: the data's) fixes the columns
    of the out-of-fold scores. ``progress``, if given, is called with (folds done, folds)
    before each fold and once all are done.

    >>> from functools import partial
    >>> from tagger.model import train
    >>> pairs = [("云计算市场份额增长", "cloud"), ("芯片出口管制升级", "chips")]
    >>> data = [Example(f"{text}第{i}次", (label,)) for i in range(4) for text, label in pairs]
    >>> cross_validation(data, partial(train, test_size=0), folds=2).summary["accuracy"]
    1.0
    """
    _check_limits(threshold, "max_mistakes", max_mistakes)  # before any fitting
    check_number("folds", folds, 2, None, (int, np.integer))
    _check_progress(progress)
    examples = [e for e in examples if e.text.strip()]
    labels = list(labels) or sorted({x for e in examples for x in e.labels})
    splits, method = _splits(examples, folds, seed)
    scores = np.zeros((len(examples), len(labels)))
    predicted: list[list[str]] = [[] for _ in examples]
    runs = []
    multi_label = False
    cuts: dict[str, list[float]] = {}
    for done, (train_idx, test_idx) in enumerate(splits):
        if progress is not None:
            progress(done, len(splits))
        model = fit([examples[i] for i in train_idx])
        multi_label = model.multi_label
        for label, cut in model.thresholds.items():
            cuts.setdefault(label, []).append(cut if threshold is None else threshold)
        test = [examples[i] for i in test_idx]
        runs.append(evaluate(model, test, threshold=threshold, check_data=False).headline())
        fold_scores = model.scores([e.text for e in test])
        scores[test_idx] = in_label_order(fold_scores, model.labels, labels)
        for i, row in zip(test_idx, model.decide(fold_scores, threshold=threshold)):
            predicted[i] = [label for label, _ in row]
    if progress is not None:
        progress(len(splits), len(splits))
    summary: dict[str, Any] = {"method": method, "folds": len(splits)}
    for key in HEADLINE:
        values = [run[key] for run in runs]
        summary[key] = statistics.fmean(values)
        summary[f"{key}_std"] = statistics.pstdev(values)
    summary["examples"] = len(examples)
    if threshold is not None:
        thresholds = dict.fromkeys(labels, threshold)
    else:  # the folds' thresholds, averaged when they differ
        thresholds = {k: statistics.fmean(v) for k, v in cuts.items()} if multi_label else {}
    report = _report(examples, scores, predicted, labels, multi_label, thresholds, max_mistakes)
    return CrossValidation(summary, runs, report, scores, labels)


def in_label_order(scores: np.ndarray, have: Sequence[str], labels: Sequence[str]) -> np.ndarray:
    """``scores`` (a column for each label of ``have``) with a column for each of ``labels``
    in that order instead: 0 for a label ``have`` lacks (one a fold's or a held-out model
    never saw).

    >>> in_label_order(np.array([[0.9, 0.2]]), ["b", "a"], ["a", "b", "c"]).tolist()
    [[0.2, 0.9, 0.0]]
    """
    found = np.zeros((len(scores), len(labels)))
    column = {label: i for i, label in enumerate(have)}
    for j, label in enumerate(labels):
        if label in column:
            found[:, j] = scores[:, column[label]]
    return found


def cross_validate(
    examples: Sequence[Example],
    fit: Fit,
    *,
    folds: int = 5,
    seed: int = 0,
    labels: Sequence[str] = (),
) -> tuple[dict[str, Any], np.ndarray]:
    """Mean and standard deviation of the headline figures over ``folds`` folds, and every
    example's out-of-fold scores for ``labels`` (columns in that order).

    The figures and scores of ``cross_validation``, in the shape a model card stores.
    """
    result = cross_validation(examples, fit, folds=folds, seed=seed, labels=labels)
    return result.summary, result.scores


FRACTIONS = (0.1, 0.2, 0.4, 0.6, 0.8, 1.0)


@dataclass
class LearningCurve:
    """Headline figures of models trained on growing fractions of each training fold.

    ``points``: one dict per fraction with ``fraction``, ``train_examples`` (mean over folds)
    and the mean and spread (``_std``) of ``accuracy``, ``micro_f1`` and ``macro_f1``.
    """

    method: str
    points: list[dict[str, float]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def learning_curve(
    examples: Sequence[Example],
    fit: Fit,
    *,
    fractions: Sequence[float] = FRACTIONS,
    folds: int = 5,
    seed: int = 0,
    threshold: float | None = None,
) -> LearningCurve:
    """Cross-validate models fitted on ``fractions`` of each training fold: does more data help?

    Each fraction's training part is the start of one ordering of the training fold in which
    every label (an example's rarest label; none is a label too) comes once before any comes
    twice and then in proportion, so larger parts contain smaller ones and even the smallest
    holds every label once.

    >>> from functools import partial
    >>> from tagger.model import train
    >>> pairs = [("云计算市场份额增长", "cloud"), ("芯片出口管制升级", "chips")]
    >>> data = [Example(f"{text}第{i}次", (label,)) for i in range(4) for text, label in pairs]
    >>> curve = learning_curve(data, partial(train, test_size=0), fractions=(0.5, 1.0), folds=2)
    >>> [(p["fraction"], p["train_examples"]) for p in curve.points]
    [(0.5, 2.0), (1.0, 4.0)]
    """
    examples = [e for e in examples if e.text.strip()]
    splits, method = _splits(examples, folds, seed)
    runs: dict[float, list[dict[str, Any]]] = {f: [] for f in fractions}
    for fold, (train_idx, test_idx) in enumerate(splits):
        ordered, keys = _spread([examples[i] for i in train_idx], seed + fold)
        test = [examples[i] for i in test_idx]
        for fraction in fractions:
            size = min(len(ordered), max(2, keys, round(fraction * len(ordered))))
            model = fit(ordered[:size])
            runs[fraction].append(
                {
                    "size": size,
                    **evaluate(model, test, threshold=threshold, check_data=False).headline(),
                }
            )
    points = []
    for fraction, results in runs.items():
        point = {
            "fraction": fraction,
            "train_examples": statistics.fmean(r["size"] for r in results),
        }
        for key in ("accuracy", "micro_f1", "macro_f1"):
            values = [r[key] for r in results]
            point[key] = statistics.fmean(values)
            point[f"{key}_std"] = statistics.pstdev(values)
        points.append(point)
    return LearningCurve(method, points)


def _spread(examples: Sequence[Example], seed: int) -> tuple[list[Example], int]:
    """Shuffle, then order so every key (rarest label) comes once first, then proportionally;
    and the number of keys."""
    rng = np.random.default_rng(seed)
    counts = Counter(label for e in examples for label in e.labels)
    buckets: dict[str, list[Example]] = {}
    for i in rng.permutation(len(examples)):
        e = examples[int(i)]
        key = min(e.labels, key=lambda x: (counts[x], x)) if e.labels else ""
        buckets.setdefault(key, []).append(e)
    ranked = [
        (position / len(bucket), float(rng.random()), e)
        for bucket in buckets.values()
        for position, e in enumerate(bucket)
    ]
    return [e for *_, e in sorted(ranked, key=lambda r: r[:2])], len(buckets)


def best_threshold(
    scores: np.ndarray, examples: Sequence[Example], labels: Sequence[str], min_labels: int = 0
) -> tuple[float, float]:
    """The one threshold of ``GRID`` for all labels that maximises micro-F1 on these scores
    (the middle one when several tie, as ``tune_thresholds`` takes), and that F1 (each text
    given at least its ``min_labels`` best labels, as ``LabelDecider`` does).

    >>> best_threshold(np.array([[0.9], [0.3], [0.2]]), [Example("a", ("x",))] * 2 + [Example("b", ())], ["x"])
    (0.3, 1.0)
    """
    truth = truth_matrix(examples, labels)
    f1 = np.array(
        [_micro_f1(chosen_mask(scores, np.full(len(labels), t), min_labels), truth) for t in GRID]
    )
    best = np.flatnonzero(f1 == f1.max())
    middle = best[len(best) // 2]
    return GRID[middle], float(f1[middle])


def truth_matrix(examples: Sequence[Example], labels: Sequence[str]) -> np.ndarray:
    """Which of ``labels`` each example has (examples x labels, booleans).

    >>> truth_matrix([Example("a", ("x",)), Example("b", ())], ["x", "y"]).tolist()
    [[True, False], [False, False]]
    """
    return np.array([[label in e.labels for label in labels] for e in examples], dtype=bool)


def _micro_f1(picked: np.ndarray, truth: np.ndarray) -> float:
    """Micro-F1 of the labels ``picked`` against the ``truth`` (boolean arrays alike)."""
    total = picked.sum() + truth.sum()
    return float(2 * (picked & truth).sum() / total) if total else 0.0


def tune_thresholds(
    scores: np.ndarray,
    examples: Sequence[Example],
    labels: Sequence[str],
    mode: str = "f1",
    target: float | None = None,
    min_support: int = 3,
    min_labels: int = 0,
) -> dict[str, float]:
    """A decision threshold per label, chosen on held-out ``scores`` (columns in ``labels``
    order) of ``examples``.

    ``mode="f1"`` takes the threshold that maximises the label's F1 (the middle one when
    several tie); ``mode="precision"``, among the thresholds whose precision reaches
    ``target``, the lowest, those with the highest recall, taking the middle one when several
    tie (a label whose scores are well separated would otherwise get 0.05), or the most
    precise one when none reaches it. Labels with fewer than ``min_support`` held-out
    examples get the global ``best_threshold`` (with ``min_labels``, as ``choose_thresholds``
    takes it). Thresholds come from ``GRID`` (0.05 to 0.95).

    >>> scores = np.array([[0.9, 0.1], [0.6, 0.2], [0.3, 0.8], [0.2, 0.7], [0.1, 0.3]])
    >>> data = [Example("a", ("x",))] * 2 + [Example("b", ("y",))] * 2 + [Example("c", ())]
    >>> tune_thresholds(scores, data, ["x", "y"], min_support=2)
    {'x': 0.5, 'y': 0.55}
    """
    return _tune_thresholds(scores, examples, labels, mode, target, min_support, min_labels)[0]


def _tune_thresholds(
    scores: np.ndarray,
    examples: Sequence[Example],
    labels: Sequence[str],
    mode: str,
    target: float | None,
    min_support: int,
    min_labels: int = 0,
    unseen: Collection[str] = (),
) -> tuple[dict[str, float], list[str], dict[str, float]]:
    """``tune_thresholds``, the labels given the global threshold for want of held-out
    examples, and the labels whose precision did not reach ``target`` with the precision
    their (most precise) threshold reached. ``unseen`` labels (which the model that gave the
    scores had no training example of) get the global threshold too, listed with neither:
    their scores say nothing, and 'the most precise threshold' of scores all near 0 was 0."""
    if mode not in ("f1", "precision"):
        raise ValueError(f"mode must be 'f1' or 'precision', not {mode!r}")
    if mode == "precision" and not (target is not None and 0 < target <= 1):
        raise ValueError("mode='precision' needs a target in (0, 1]")
    fallback = best_threshold(scores, examples, labels, min_labels)[0]
    grid = np.array(GRID)
    thresholds: dict[str, float] = {}
    few: list[str] = []
    missed: dict[str, float] = {}
    for j, label in enumerate(labels):
        if label in unseen:
            thresholds[label] = fallback
            continue
        has = np.array([label in e.labels for e in examples], dtype=bool)
        if has.sum() < min_support:
            thresholds[label] = fallback
            few.append(label)
            continue
        chosen = scores[:, j][:, None] >= grid  # examples x thresholds
        tp = (chosen & has[:, None]).sum(axis=0)
        picked = chosen.sum(axis=0)
        precision = np.divide(tp, picked, out=np.zeros(len(grid)), where=picked > 0)
        if mode == "f1":
            f1 = 2 * tp / (picked + has.sum())
            best = np.flatnonzero(f1 == f1.max())
            thresholds[label] = float(grid[best[len(best) // 2]])
        else:
            reach = np.flatnonzero(precision >= target)
            if len(reach):  # the most recall among them (the lowest ones), the middle of ties
                top = reach[tp[reach] == tp[reach].max()]
                best = int(top[len(top) // 2])
            else:
                best = int(np.argmax(precision))
            thresholds[label] = float(grid[best])
            if not len(reach):
                missed[label] = round(float(precision[best]), 4)
    return thresholds, few, missed


def choose_thresholds(
    scores: np.ndarray,
    examples: Sequence[Example],
    labels: Sequence[str],
    *,
    per_label: bool = False,
    target_precision: float | None = None,
    min_support: int = 3,
    min_labels: int = 0,
    unseen: Collection[str] = (),
) -> tuple[dict[str, float], dict[str, Any]]:
    """Decision thresholds for a multi-label model from held-out scores, and what a model card
    records about them (``threshold``, ``micro_f1`` with the chosen thresholds, ``mode``; per
    label, ``few_examples``: the labels given the global ``threshold`` for want of
    ``min_support`` held-out examples, with a target, ``below_target``: the labels that
    did not reach it, with the precision they reached, and ``unseen``: the labels given the
    global threshold because the model that gave the scores had no training example of them,
    when there are any).

    One global threshold maximising micro-F1, or with ``per_label`` one per label
    (``tune_thresholds``: maximising F1, or reaching ``target_precision`` when given; label
    by label, so without the ``min_labels`` a text is given, which micro-F1 counts).

    >>> scores = np.array([[0.9, 0.1], [0.6, 0.2], [0.3, 0.8], [0.2, 0.7], [0.1, 0.3]])
    >>> data = [Example("a", ("x",))] * 2 + [Example("b", ("y",))] * 2 + [Example("c", ())]
    >>> choose_thresholds(scores, data, ["x", "y"])[0]
    {'x': 0.5, 'y': 0.5}
    """
    threshold, f1 = best_threshold(scores, examples, labels, min_labels)
    if not per_label:
        chosen = dict.fromkeys(labels, threshold)
        mode = "global"
    else:
        mode = "precision" if target_precision is not None else "f1"
        chosen, few, missed = _tune_thresholds(
            scores, examples, labels, mode, target_precision, min_support, min_labels, unseen
        )
        cut = np.array([chosen[label] for label in labels])
        f1 = _micro_f1(chosen_mask(scores, cut, min_labels), truth_matrix(examples, labels))
    note = {
        "mode": mode,
        "threshold": threshold,
        "micro_f1": f1,
        "note": "chosen on the same held-out scores (optimistic); figures above use 0.5",
    }
    if mode == "precision":
        note["target_precision"] = target_precision
        note["below_target"] = missed
    if per_label:
        note["min_support"] = min_support
        note["few_examples"] = few
        given = [label for label in labels if label in unseen]
        if given:
            note["unseen"] = given
    return chosen, note


@dataclass
class Disagreement:
    """An example two models label differently."""

    text: str
    true: list[str]
    a: list[str]
    b: list[str]
    scores_a: dict[str, float]
    scores_b: dict[str, float]
    source: str = ""
    line: int = 0


@dataclass
class Significance:
    """Whether the difference between two models on the same examples could be chance.

    ``intervals``: per figure of ``PAIRED`` (accuracy, which is exact match for multi-label
    data, micro-F1, macro-F1), the figures of A and B, their ``difference`` B - A, and the
    ``low``-``high`` interval holding the middle ``confidence`` of the differences over
    ``resamples`` paired bootstrap resamples of the examples (drawn with ``seed``). An interval
    that holds 0 means the examples cannot tell the models apart on that figure.

    ``a_only``/``b_only``: examples only A / only B gets exactly right; ``p_value``: McNemar's
    exact test on them (how likely a split at least this uneven is if either model were as
    likely to be the one that is right).
    """

    examples: int
    intervals: dict[str, dict[str, float]]
    a_only: int
    b_only: int
    p_value: float
    resamples: int
    seed: int
    confidence: float = 0.95
    method: str = "paired bootstrap over examples, percentile interval"
    test: str = "McNemar's exact test on exact-match decisions (two-sided binomial, p = 0.5)"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def mcnemar(a_only: int, b_only: int) -> float:
    """McNemar's exact two-sided p-value: how likely a split of the examples only one model
    gets right at least as uneven as ``a_only`` against ``b_only`` is when each of those
    examples is as likely to go to either model. 1.0 when there are none.

    >>> mcnemar(1, 9), mcnemar(5, 5), mcnemar(0, 0)
    (0.021484375, 1.0, 1.0)
    """
    if a_only + b_only == 0:
        return 1.0
    from scipy.stats import binomtest

    return float(binomtest(a_only, a_only + b_only, 0.5).pvalue)


def significance(
    truth: np.ndarray,
    predicted_a: np.ndarray,
    predicted_b: np.ndarray,
    *,
    resamples: int = 2000,
    seed: int = 0,
    confidence: float = 0.95,
) -> Significance:
    """Paired bootstrap intervals of B - A in accuracy (exact match), micro-F1 and macro-F1,
    and McNemar's exact test on the examples one model gets exactly right and the other not.

    ``truth`` and the predictions are boolean arrays of examples x labels (the same labels),
    the predictions of model A and model B on the same examples. Each resample draws the
    examples with replacement (the same draw for both models), so the differences vary only
    with which examples are drawn; the same ``seed`` gives the same numbers. Macro-F1 averages
    the labels any example of the resample has or is given, as ``evaluate`` does.

    >>> truth = np.array([[1, 0], [0, 1], [1, 0], [0, 1]], dtype=bool)
    >>> same = significance(truth, truth, truth, resamples=100)
    >>> same.intervals["micro_f1"], same.p_value
    ({'a': 1.0, 'b': 1.0, 'difference': 0.0, 'low': 0.0, 'high': 0.0}, 1.0)
    >>> significance(truth, ~truth, truth, resamples=100).b_only
    4
    """
    truth, a, b = (np.asarray(m, dtype=bool) for m in (truth, predicted_a, predicted_b))
    if not truth.shape == a.shape == b.shape or truth.ndim != 2:
        raise ValueError(
            f"truth and predictions must be examples x labels alike, not {truth.shape}, "
            f"{a.shape} and {b.shape}"
        )
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, not {resamples}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    n, labels = truth.shape
    right_a, right_b = (np.all(m == truth, axis=1) for m in (a, b))
    # per example: A's exact match, then its true positives and its errors (false positives
    # and negatives) per label, then B's; a resample sums them weighted by how often it drew
    # each example. Counts up to 2**24 are exact in float32, which halves the products' time.
    exact = np.float32 if n < 2**24 else np.float64
    columns = np.hstack(
        [
            np.hstack([right[:, None], m & truth, m != truth])
            for right, m in ((right_a, a), (right_b, b))
        ]
    ).astype(exact)
    observed = _paired_figures(columns.sum(axis=0, dtype=np.float64)[None, :], n, labels)
    rng = np.random.default_rng(seed)
    found: list[np.ndarray] = []
    for start in range(0, resamples, 250):
        size = min(250, resamples - start)
        draws = rng.integers(0, n, size=(size, n)) + n * np.arange(size)[:, None]
        weights = np.bincount(draws.ravel(), minlength=size * n).reshape(size, n).astype(exact)
        found.append(_paired_figures((weights @ columns).astype(np.float64), n, labels))
    figures = np.concatenate(found, axis=1)  # figures x resamples x models
    tail = (1 - confidence) / 2
    low, high = np.quantile(figures[:, :, 1] - figures[:, :, 0], [tail, 1 - tail], axis=1)
    intervals = {
        key: {
            "a": float(observed[i, 0, 0]),
            "b": float(observed[i, 0, 1]),
            "difference": float(observed[i, 0, 1] - observed[i, 0, 0]),
            "low": float(low[i]),
            "high": float(high[i]),
        }
        for i, key in enumerate(PAIRED)
    }
    a_only, b_only = int((right_a & ~right_b).sum()), int((right_b & ~right_a).sum())
    return Significance(
        examples=n,
        intervals=intervals,
        a_only=a_only,
        b_only=b_only,
        p_value=mcnemar(a_only, b_only),
        resamples=resamples,
        seed=seed,
        confidence=confidence,
    )


def _paired_figures(counts: np.ndarray, n: int, labels: int) -> np.ndarray:
    """Accuracy, micro-F1 and macro-F1 of A and B from summed ``significance`` columns (one
    row per resample): figures x resamples x models."""
    out = np.zeros((len(PAIRED), len(counts), 2))
    for k in range(2):
        part = counts[:, k * (1 + 2 * labels) : (k + 1) * (1 + 2 * labels)]
        tp, errors = part[:, 1 : 1 + labels], part[:, 1 + labels :]
        out[0, :, k] = part[:, 0] / n
        seen = 2 * tp + errors  # F1 = 2 tp / (2 tp + fp + fn); undefined when 0
        total = seen.sum(axis=1)
        out[1, :, k] = np.divide(
            2 * tp.sum(axis=1), total, out=np.zeros(len(counts)), where=total > 0
        )
        f1 = np.divide(2 * tp, seen, out=np.zeros_like(seen), where=seen > 0)
        used = (seen > 0).sum(axis=1)
        out[2, :, k] = np.divide(f1.sum(axis=1), used, out=np.zeros(len(counts)), where=used > 0)
    return out


@dataclass
class Comparison:
    """Two models measured on the same examples, and where they disagree.

    ``a_only``/``b_only``: examples only model A / only model B gets exactly right.
    ``disagreements``: examples whose chosen labels differ, those one model gets right first,
    then by how far apart the scores of the disputed labels are. ``significance``: whether
    the differences could be chance (paired bootstrap intervals, McNemar's test).
    ``warnings``: what ``evaluate`` would warn about the data, naming model A or B.
    """

    a: EvaluationReport
    b: EvaluationReport
    disagree: int
    a_only: int
    b_only: int
    disagreements: list[Disagreement]
    significance: Significance
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The comparison's fields as plain data that ``json.dumps`` takes; the two reports as
        their ``to_dict`` gives them (so without their warnings: the comparison's own
        ``warnings``, naming model A or B, are kept).

        >>> from tagger import Example, train
        >>> data = [Example("云计算市场份额增长", ("cloud",)), Example("芯片出口管制升级", ("chips",))] * 5
        >>> model = train(data, test_size=0)
        >>> new = [Example("云计算市场份额下降", ("cloud",)), Example("芯片出口管制收紧", ("chips",))]
        >>> comparison = compare(model, model, new, resamples=100)
        >>> document = comparison.to_dict()
        >>> sorted(document)
        ['a', 'a_only', 'b', 'b_only', 'disagree', 'disagreements', 'significance', 'warnings']
        >>> document["a"] == comparison.a.to_dict(), document["significance"]["resamples"]
        (True, 100)
        """
        document = asdict(self)
        document["a"], document["b"] = self.a.to_dict(), self.b.to_dict()
        return document


def compare(
    model_a: LabelDecider | str | os.PathLike[str],
    model_b: LabelDecider | str | os.PathLike[str],
    examples: Sequence[Example],
    *,
    threshold: float | None = None,
    max_disagreements: int = 50,
    resamples: int = 2000,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    trust: bool = False,
) -> Comparison:
    """Evaluate two models (or model files, as ``evaluate`` takes) on the same ``examples``,
    list where their labels differ, and say whether the differences could be chance
    (``significance``, with ``resamples`` and ``seed``). Warns (DataWarning) as ``evaluate``
    does, naming model A or B. Raises TypeError for arguments of the wrong kind, ModelError for
    a model file that cannot be used (``trust=True`` loads unverified files, as ``evaluate``),
    DataError when no example has text, ValueError for a ``threshold`` outside [0, 1] or
    ``max_disagreements`` below 0.

    >>> from tagger import Example, train
    >>> data = [Example("云计算市场份额增长", ("cloud",)), Example("芯片出口管制升级", ("chips",))] * 5
    >>> model = train(data, test_size=0)
    >>> new = [Example("云计算市场份额下降", ("cloud",)), Example("芯片出口管制收紧", ("chips",))]
    >>> compare(model, model, new).disagree  # texts it was not trained on: no warning
    0
    """
    _check_limits(threshold, "max_disagreements", max_disagreements)
    _check_progress(progress)
    model_a = scoring_model(model_a, "compare", trust=trust)
    model_b = scoring_model(model_b, "compare", trust=trust)
    examples = [e for e in labeled_examples(examples, "compare") if e.text.strip()]
    if not examples:
        raise DataError("no examples to compare on", hint="pass examples that have text")
    said = _warned(
        [
            message
            for model, which in ((model_a, "model A"), (model_b, "model B"))
            for message in _data_warnings(model, examples, which)
        ]
    )
    texts = [e.text for e in examples]
    rows, reports = [], []
    for done, model in ((0, model_a), (len(texts), model_b)):
        # once a model: the reports are made of them too
        scores = _scores(model, texts, progress, done, 2 * len(texts))
        reports.append(_measured(model, examples, scores, threshold, max_mistakes=10))
        rows.append(
            [
                (dict(sorted(zip(model.labels, map(float, s)), key=lambda kv: -kv[1])[:5]), d)
                for s, d in zip(scores, model.decide(scores, threshold=threshold))
            ]
        )
    found = []
    a_only = b_only = 0
    for e, (top_a, chosen_a), (top_b, chosen_b) in zip(examples, *rows):
        a = [label for label, _ in chosen_a]
        b = [label for label, _ in chosen_b]
        if set(a) == set(b):
            continue
        right_a, right_b = set(a) == set(e.labels), set(b) == set(e.labels)
        a_only += right_a
        b_only += right_b
        all_a, all_b = dict(chosen_a) | top_a, dict(chosen_b) | top_b
        gap = max(abs(all_a.get(x, 0.0) - all_b.get(x, 0.0)) for x in set(a) ^ set(b))
        item = Disagreement(e.text, list(e.labels), a, b, top_a, top_b, e.source, e.line)
        found.append((right_a == right_b, -gap, item))
    found.sort(key=lambda f: f[:2])
    chosen = [[[label for label, _ in d] for _, d in row] for row in rows]
    seen = {x for e in examples for x in e.labels} | {x for c in chosen for p in c for x in p}
    labels = sorted(seen)
    return Comparison(
        *reports,
        len(found),
        a_only,
        b_only,
        [item for *_, item in found[:max_disagreements]],
        significance(
            truth_matrix(examples, labels),
            *(np.array([[x in p for x in labels] for p in c], dtype=bool) for c in chosen),
            resamples=resamples,
            seed=seed,
        ),
        said,
    )
