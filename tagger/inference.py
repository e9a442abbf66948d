"""Score texts with a trained model held as plain arrays: no scikit-learn, no unpickling.

A saved model carries, besides its scikit-learn Pipeline, the few arrays that scoring needs:
the vocabulary and idf weights of its features (``tagger.features``) and the classifier's
coefficients. Tagging and evaluating use them (``CompactModel``), so they start fast and never
run a pickle; the Pipeline is loaded only to train further. Scores match the Pipeline's (a test
checks).

>>> from tagger.data import Example
>>> from tagger.model import train
>>> model = train([Example("云计算市场", ("cloud",)), Example("芯片出口", ("chips",))] * 3, test_size=0)
>>> compact = CompactModel.from_model(model)
>>> bool(np.allclose(compact.scores(["云计算"]), model.scores(["云计算"])))
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .calibration import IDENTITY, sigmoid
from .errors import check_number  # here too: where tag and evaluate have long taken it
from .features import FeatureSpace

__all__ = [
    "CONSTANT_MARGIN",
    "CompactModel",
    "LabelDecider",
    "check_decision",
    "check_number",
    "check_texts",
    "chosen_mask",
    "constant_margin",
]

CONSTANT_MARGIN = 50.0
"""The margin of a label that was constant in training (one-vs-rest keeps a constant instead of
a classifier): -50 for a label no example had, so it is never chosen (score 0 to 21 places)."""


def constant_margin(estimator: Any) -> float:
    """The margin of a label one-vs-rest kept a constant for (``CONSTANT_MARGIN``, signed by
    whether every training example had the label or none did)."""
    return CONSTANT_MARGIN if np.ravel(estimator.y_)[0] else -CONSTANT_MARGIN


def chosen_mask(scores: np.ndarray, cut: np.ndarray, min_labels: int = 0) -> np.ndarray:
    """Which labels a multi-label model chooses (a boolean array shaped like ``scores``): those
    whose score reaches their threshold in ``cut``, or, in a row where fewer than
    ``min_labels`` do, that row's ``min_labels`` best labels instead (ties in label order).

    >>> chosen_mask(np.array([[0.9, 0.2, 0.4], [0.1, 0.3, 0.2]]), np.array([0.5, 0.5, 0.3]), 2)
    array([[ True, False,  True],
           [False,  True,  True]])
    """
    chosen = scores >= cut
    if min_labels:
        short = np.flatnonzero(chosen.sum(axis=1) < min_labels)
        if len(short):
            best = np.argsort(-scores[short], axis=1, kind="stable")[:, :min_labels]
            chosen[short] = False
            chosen[short[:, None], best] = True
    return chosen


def check_texts(texts: Any) -> Sequence[str]:
    """``texts`` as a sequence of str (an iterable, a generator or a pandas column, listed),
    or TypeError: for one ``str``, which would be scored a character at a time, and for an
    item that is no str (None, or NaN from a missing value).

    >>> check_texts("云计算")
    Traceback (most recent call last):
    TypeError: texts must be a list of texts, not one str (it would be scored character by character): pass [text]
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError(
            f"texts must be a list of texts, not one {type(texts).__name__} (it would be scored "
            "character by character): pass [text]"
        )
    if not isinstance(texts, (list, tuple)):
        try:
            texts = list(texts)
        except TypeError:
            raise TypeError(f"texts must be a list of texts, not {type(texts).__name__}") from None
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(
                f"texts[{i}] must be a str, not {type(text).__name__}"
                + (" (a missing value? drop or fill them)" if _missing(text) else "")
            )
    return texts


def _missing(value: Any) -> bool:
    """None or NaN: what a missing text becomes (pandas, JSON null)."""
    return value is None or (isinstance(value, float) and value != value)


class LabelDecider:
    """Turning scores into chosen labels; shared by the full and the compact model."""

    labels: list[str]
    multi_label: bool
    thresholds: dict[str, float]
    min_labels: int

    def scores(self, texts: Sequence[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def predict(
        self,
        texts: Sequence[str],
        top_k: int | None = None,
        threshold: float | None = None,
    ) -> list[list[tuple[str, float]]]:
        """Labels chosen for each text of ``texts`` (a list: not one str) as (label, score)
        pairs, best first.

        Single-label models choose the best label; multi-label models every label whose score
        reaches its threshold, and at least their ``min_labels`` best ones. ``threshold``
        replaces that decision for any model: every label scoring at least ``threshold`` is
        chosen, whatever the model's own thresholds, and none when no label reaches it (no
        ``min_labels``). ``top_k`` only caps the labels so chosen: it adds none.

        >>> from tagger.data import Example
        >>> from tagger.model import train
        >>> data = [Example("云计算市场", ("cloud",)), Example("芯片出口", ("chips",))] * 3
        >>> model = CompactModel.from_model(train(data, test_size=0))
        >>> [label for label, _ in model.predict(["云计算"], top_k=2)[0]]
        ['cloud']

        ``top_k`` below 1, or a ``threshold`` outside [0, 1] (50 meant as 50%), is a
        ``ValueError``, as for ``tag``: they chose no label (or every one) without a word.

        >>> model.predict(["云计算"], threshold=50)
        Traceback (most recent call last):
        ValueError: threshold must be from 0 to 1, not 50
        """
        check_decision(top_k, threshold)
        return self.decide(self.scores(texts), top_k, threshold)

    def decide(
        self, scores: np.ndarray, top_k: int | None = None, threshold: float | None = None
    ) -> list[list[tuple[str, float]]]:
        """Turn a score array from ``scores`` into chosen labels (see ``predict``)."""
        check_decision(top_k, threshold)
        if threshold is not None:
            cut = np.full(len(self.labels), threshold)
        elif self.multi_label:
            cut = np.array([self.thresholds.get(label, 0.5) for label in self.labels])
        else:
            cut = None
        orders = np.argsort(-scores, axis=1, kind="stable")  # best first, ties in label order
        passing = None
        if cut is not None:  # an explicit threshold replaces the model's: no min_labels
            passing = chosen_mask(scores, cut, self.min_labels if threshold is None else 0)
        chosen = []
        for r, order in enumerate(orders):
            # a single-label model without a threshold: its best label, whatever top_k
            keep = order[:1] if passing is None else order[passing[r, order]]
            if top_k is not None:
                keep = keep[:top_k]
            kept = keep.tolist()
            chosen.append(list(zip([self.labels[i] for i in kept], scores[r, kept].tolist())))
        return chosen


def check_decision(top_k: Any, threshold: Any) -> None:
    """TypeError or ValueError for a ``top_k`` (None, or an integer from 1) or a ``threshold``
    (None, or from 0 to 1) that ``predict`` cannot use."""
    if top_k is not None:
        check_number("top_k", top_k, 1, None, (int, np.integer))
    if threshold is not None:
        check_number("threshold", threshold, 0, 1)


@dataclass
class CompactModel(LabelDecider):
    """A model as arrays: its feature space, coefficients (labels x features), intercepts."""

    labels: list[str]
    multi_label: bool
    thresholds: dict[str, float]
    space: FeatureSpace
    coef: np.ndarray
    intercept: np.ndarray
    softmax: bool  # multinomial logistic regression: scores are a softmax over labels
    card: dict[str, Any] = field(default_factory=dict)
    min_labels: int = 0
    calibration: tuple[float, float] = IDENTITY  # of the margins (see ``tagger.calibration``)
    training_texts: np.ndarray | None = None  # see ``TaggerModel.training_texts``

    def scores(self, texts: Sequence[str], batch: int = 1024) -> np.ndarray:
        """A (texts x labels) array of scores in [0, 1], as ``TaggerModel.scores`` gives."""
        texts = check_texts(texts)
        decision = np.zeros((len(texts), self.coef.shape[0]))
        for start in range(0, len(texts), batch):
            features = self.space.transform(texts[start : start + batch])
            decision[start : start + batch] = features @ self._coef_t
        decision += self.intercept
        if self.softmax:
            decision -= decision.max(axis=1, keepdims=True)
            exp = np.exp(decision)
            return exp / exp.sum(axis=1, keepdims=True)
        probs = sigmoid(decision, self.calibration)
        if probs.shape[1] == 1 and len(self.labels) == 2:  # binary: the second class
            probs = np.column_stack([1 - probs[:, 0], probs[:, 0]])
        return probs

    def __post_init__(self) -> None:
        # no copy when ``coef`` is the view ``from_arrays`` gives of a file's coef_by_feature
        self._coef_t = np.ascontiguousarray(self.coef.T, dtype=np.float32)

    def evidence(
        self, texts: Sequence[str], labels: Sequence[Sequence[str]], top: int = 5
    ) -> list[dict[str, list[tuple[str, float]]]]:
        """For each text, the ``top`` terms that raise each of its ``labels`` most, as (term,
        weight) pairs, largest first. A weight is the term's feature value times the label's
        coefficient: its part of the label's margin (the margin is the sum of all the text's
        weights plus the label's intercept). A term that is both a word and a character n-gram
        counts once, with both parts.

        >>> from tagger.data import Example
        >>> from tagger.model import train
        >>> data = [Example("云计算市场增长", ("cloud",)), Example("芯片出口管制", ("chips",))] * 3
        >>> compact = CompactModel.from_model(train(data, test_size=0))
        >>> [term for term, _ in compact.evidence(["云计算芯片"], [["cloud"]], top=3)[0]["cloud"]]
        ['云', '计算', '云 计算']

        ``labels`` gives a list of the model's labels for each text:

        >>> compact.evidence(["云计算芯片"], [["clouds"]])
        Traceback (most recent call last):
        ValueError: labels[0]: no label 'clouds' in the model; its labels: chips, cloud
        """
        texts = check_texts(texts)
        check_number("top", top, 0, None, (int, np.integer))
        labels = [] if isinstance(labels, (str, bytes)) else list(labels)
        if len(labels) != len(texts):
            raise ValueError(f"labels must be one list of labels a text ({len(texts)} texts)")
        known = set(self.labels)
        for i, wanted in enumerate(labels):
            if isinstance(wanted, (str, bytes)):
                raise TypeError(f"labels[{i}] must be a list of labels, not one str: pass [label]")
            for label in wanted:
                if label not in known:
                    raise ValueError(
                        f"labels[{i}]: no label {label!r} in the model; "
                        f"its labels: {', '.join(self.labels)}"
                    )
        features = self.space.transform(texts)
        found = []
        for r, wanted in enumerate(labels):
            row = slice(features.indptr[r], features.indptr[r + 1])
            columns, values = features.indices[row], features.data[row].astype(np.float64)
            names = self.space.terms(columns.tolist())
            explained = {}
            for label in wanted:
                totals: dict[str, float] = {}
                index, sign = self._row(label)
                weights = values * (sign * self.coef[index, columns])
                for name, weight in zip(names, weights):
                    totals[name] = totals.get(name, 0.0) + float(weight)
                best = sorted((kv for kv in totals.items() if kv[1] > 0), key=lambda kv: -kv[1])
                explained[label] = [(name, round(weight, 4)) for name, weight in best[:top]]
            found.append(explained)
        return found

    def top_terms(self, top: int = 10) -> dict[str, list[tuple[str, float]]]:
        """Each label's ``top`` terms with the largest coefficients (what raises its margin
        most per unit of TF-IDF value), as (term, coefficient) pairs; a term that is both a
        word and a character n-gram is listed once, with its larger coefficient.

        >>> from tagger.data import Example
        >>> from tagger.model import train
        >>> data = [Example("云计算市场增长", ("cloud",)), Example("芯片出口管制", ("chips",))] * 3
        >>> compact = CompactModel.from_model(train(data, test_size=0))
        >>> [t for t, _ in compact.top_terms(2)["chips"]]
        ['芯片', '出口']

        A ``top`` below 0, or one that is no integer, is an error:

        >>> compact.top_terms(-1)
        Traceback (most recent call last):
        ValueError: top must be at least 0, not -1
        """
        check_number("top", top, 0, None, (int, np.integer))
        found = {}
        for label in self.labels:
            index, sign = self._row(label)
            coef = sign * self.coef[index]
            k = min(2 * top, len(coef))  # enough to fill ``top`` after merging
            if not k:
                found[label] = []
                continue
            kth = np.partition(coef, len(coef) - k)[len(coef) - k]
            candidates = np.flatnonzero((coef >= kth) & (coef > 0))  # ties: by column
            order = candidates[np.argsort(-coef[candidates], kind="stable")][:k]
            best: dict[str, float] = {}
            for term, weight in zip(self.space.terms(order.tolist()), coef[order].tolist()):
                best.setdefault(term, round(weight, 4))
            found[label] = list(best.items())[:top]
        return found

    def _row(self, label: str) -> tuple[int, float]:
        """The row of ``coef`` that raises ``label``'s score, and its sign (a binary model has
        one row, for its second label)."""
        i = self.labels.index(label)
        if self.coef.shape[0] == 1 and len(self.labels) == 2:
            return 0, 1.0 if i == 1 else -1.0
        return i, 1.0

    @classmethod
    def from_model(cls, model: Any) -> CompactModel:
        """The arrays of a fitted ``TaggerModel`` (whose pipeline tagger built)."""
        space, classifier = model.pipeline[0].space_, model.pipeline[-1]
        estimators = getattr(classifier, "estimators_", None)
        if estimators is None:  # multinomial logistic regression
            coef = np.asarray(classifier.coef_, dtype=np.float64)
            intercept = np.asarray(classifier.intercept_, dtype=np.float64)
            softmax = coef.shape[0] > 1
        else:  # one-vs-rest: one binary classifier a label (constant ones for constant labels)
            coef = np.zeros((len(estimators), space.n_features))
            intercept = np.zeros(len(estimators))
            for i, estimator in enumerate(estimators):
                if hasattr(estimator, "coef_"):
                    coef[i] = np.ravel(estimator.coef_)
                    intercept[i] = np.ravel(estimator.intercept_)[0]
                else:
                    intercept[i] = constant_margin(estimator)
            softmax = False
        return cls(
            list(model.labels),
            model.multi_label,
            dict(model.thresholds),
            space,
            coef,
            intercept,
            softmax,
            dict(model.card),
            model.min_labels,
            model.calibration,
            getattr(model, "training_texts", None),  # None in models pickled before
        )

    def restore(self, model: Any) -> None:
        """Put back into ``model`` (a ``TaggerModel`` unpickled from its file) what its pickle
        leaves out and these arrays hold: the feature space, the coefficients (as float64, the
        values the file's float32 keeps) and the training texts' hashes. What the pickle has
        (files saved before it left them out) is kept.

        >>> from tagger.model import _without_arrays, train
        >>> from tagger.data import Example
        >>> model = train([Example("云计算", ("cloud",)), Example("芯片", ("chips",))] * 3, test_size=0)
        >>> bare = _without_arrays(model)
        >>> bare.pipeline[-1].estimators_[0].coef_ is None
        True
        >>> CompactModel.from_model(model).restore(bare)
        >>> bare.predict(["芯片"]) == model.predict(["芯片"])
        True
        """
        features, classifier = model.pipeline[0], model.pipeline[-1]
        if getattr(features, "space_", None) is None:
            features.space_ = self.space
        for i, estimator in enumerate(getattr(classifier, "estimators_", [classifier])):
            if hasattr(estimator, "coef_") and estimator.coef_ is None:
                rows = self.coef if estimator is classifier else self.coef[i : i + 1]
                estimator.coef_ = rows.astype(np.float64)
        if getattr(model, "training_texts", None) is None:
            model.training_texts = self.training_texts

    def to_arrays(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """A JSON-able description and named arrays, to store without pickling."""
        features, arrays = self.space.to_arrays()
        config: dict[str, Any] = {
            "labels": self.labels,
            "multi_label": self.multi_label,
            "thresholds": self.thresholds,
            "softmax": self.softmax,
            "min_labels": self.min_labels,
            "calibration": list(self.calibration),
            "features": features,
        }
        # by feature (features x labels): the layout ``scores`` multiplies by, read as it is
        arrays.update(coef_by_feature=self._coef_t, intercept=self.intercept)
        if self.training_texts is not None:
            arrays["training_texts"] = np.asarray(self.training_texts, dtype=np.uint64)
        return config, arrays

    @classmethod
    def from_arrays(
        cls, config: dict[str, Any], arrays: dict[str, np.ndarray], card: dict[str, Any]
    ) -> CompactModel:
        return cls(
            list(config["labels"]),
            bool(config["multi_label"]),
            dict(config["thresholds"]),
            FeatureSpace.from_arrays(config["features"], arrays),
            arrays["coef_by_feature"].T if "coef_by_feature" in arrays else arrays["coef"],
            arrays["intercept"],
            bool(config["softmax"]),
            card,
            int(config["min_labels"]),
            tuple(config.get("calibration", IDENTITY)),  # format 5 files: none
            arrays.get("training_texts"),  # files saved before: none
        )
