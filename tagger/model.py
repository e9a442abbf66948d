"""The model: one scikit-learn Pipeline (TF-IDF words + characters, linear classifier), its
labels, decision thresholds and model card; training, saving and loading.

>>> from tagger.data import Example
>>> examples = [Example("云计算市场份额增长", ("cloud",)), Example("芯片出口管制升级", ("chips",))] * 5
>>> model = train(examples, test_size=0)
>>> model.predict(["云计算收入"])[0][0][0]
'cloud'
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import io
import json
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from numbers import Real
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier, _ConstantPredictor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import LabelBinarizer, MultiLabelBinarizer
from sklearn.svm import LinearSVC

from .calibration import IDENTITY, MIN_PAIRS, margins, platt, sigmoid
from .data import DataWarning, Example, _where, same_text, summarize, text_hashes
from .errors import DataError, ModelError, check_path
from .features import Analyzer, FeatureSpace
from .files import atomic_write
from .inference import CompactModel, LabelDecider, check_number, check_texts, constant_margin
from .modelfile import (
    FORMAT,
    FORMAT_VERSION,
    ModelVersionWarning,
    check_replaceable,
    read_model_parts,
    versions,
    write_model,
)
from .parallel import imap, in_worker, resolve_jobs
from .taxonomy import Taxonomy
from .tokenizing import JiebaTokenizer

__all__ = [
    "DataWarning",
    "ModelVersionWarning",
    "TaggerModel",
    "TfidfFeatures",
    "build_pipeline",
    "load_model",
    "train",
]

CLASSIFIERS = ("logreg", "svm")
C_SINGLE_LABEL = 0.5
C_MULTI_LABEL = 4.0
"""The default C (``C=None``) by kind of model. A multi-label model keeps each label whose
own score passes a threshold, so a label's few positive examples must push its margin past
it, and weaker regularisation lets them: on DuEE (65 labels) micro-F1 rose from 0.92 at
C=0.5 to 0.932 at C=4 (threshold tuned on held-out data or not; ``--c auto`` chose 4 on
held-out training data too), on the seed articles from 0.819 to 0.822. Single-label models
take the best label, which shrinking every margin alike does not change: C=0.5 did best on
THUCNews and TNEWS."""
SVM_TOL = 0.01
"""liblinear's stopping tolerance (scikit-learn's default: 1e-4). The SVMs of THUCNews (180,000
titles) took 19-20% less CPU time to fit (16.1-17.4 s against 20.0-21.8 s; 8.7 s against
10.8 s by the clock on 2 cores), TNEWS's whole trainings a third less time, for the same
accuracy on THUCNews dev (92.78%), TNEWS (57.87%) and CSLDCP (56.29%) to 0.0001 points. It
was left at 1e-4 while threads made trainings differ anyway; processes (``fit_one_vs_rest``)
make each one deterministic, whatever the tolerance."""
TEST_SIZE = 0.2  # held out by default, unless train is given dev data or cv
C_GRID = (0.25, 0.5, 1.0, 2.0, 4.0)  # tried by C="auto", each on 1 - C_HELD_OUT of the data
C_HELD_OUT = 0.1
FEW_EXAMPLES = 5  # a label with fewer training examples is learned and measured by chance
SHOWN_FEW = 8  # such labels named in the warning, the rarest first
LARGE = 100_000
"""From this many examples on, terms found in one text only are left out (``min_df=2``): on
THUCNews (180,000 titles) that was as accurate, with a model 4x smaller and 35% less memory
to train. Below it rare terms count: on TNEWS (48,000) they were worth 1.4 points, and in
small data they include a taxonomy's keywords."""


def default_c(multi_label: bool) -> float:
    """The C a model gets when none is given (see ``C_MULTI_LABEL``)."""
    return C_MULTI_LABEL if multi_label else C_SINGLE_LABEL


Progress = Callable[[str], None]
Features = tuple["TfidfFeatures", Any]  # a fitted feature step and the matrix it made


@dataclass
class TaggerModel(LabelDecider):
    """A trained tagger: the pipeline, its labels in score order, thresholds and model card."""

    pipeline: Pipeline
    labels: list[str]
    multi_label: bool
    thresholds: dict[str, float] = field(default_factory=dict)
    card: dict[str, Any] = field(default_factory=dict)
    min_labels: int = 0
    calibration: tuple[float, float] = IDENTITY  # of the SVM's margins (``tagger.calibration``)
    training_texts: np.ndarray | None = None
    """``data.text_hashes`` of the texts it was fitted on (taxonomy keywords aside), for
    ``evaluate`` to tell which evaluated texts it has seen; None for models saved before."""

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """A (texts x labels) array of scores in [0, 1], columns in ``self.labels`` order:
        probabilities for logistic regression, the sigmoid of the margin for the linear SVM
        (0.5 on the decision boundary), calibrated on held-out data when ``train`` had some.
        ``texts`` is a list (any iterable of str), not one str (see ``check_texts``).

        >>> from tagger.data import Example
        >>> model = train([Example("云计算市场", ("cloud",)), Example("芯片出口", ("chips",))] * 3, test_size=0)
        >>> scores = model.scores(["云计算", "芯片", "天气"])
        >>> scores.shape, model.labels
        ((3, 2), ['chips', 'cloud'])
        >>> [model.labels[i] for i in scores[:2].argmax(axis=1)]
        ['cloud', 'chips']
        """
        texts = check_texts(texts)
        if not len(texts):
            return np.zeros((0, len(self.labels)))
        if probabilistic(self.pipeline):
            probs = self.pipeline.predict_proba(list(texts))
        else:
            probs = sigmoid(self._margins(list(texts)), self.calibration)
        probs = np.asarray(probs, dtype=float)
        if probs.ndim == 1:
            probs = probs[:, None]
        if probs.shape[1] == 1 and len(self.labels) == 2:  # binary decision: the second class
            probs = np.column_stack([1 - probs[:, 0], probs[:, 0]])
        elif probs.shape[1] == 2 and len(self.labels) == 1:  # one label (or none): its column
            probs = probs[:, 1:]
        return probs

    def _margins(self, texts: list[str]) -> np.ndarray:
        """The SVM's margins; a label constant in training gets ``CONSTANT_MARGIN`` (scikit-learn
        gives such a label's constant, 0 or 1, which would make a label no example had score
        0.5 and be chosen), as the compact model does."""
        margins = np.asarray(self.pipeline.decision_function(texts), dtype=float)
        if margins.ndim == 2:  # one column a label (a binary model has one column in all)
            for i, estimator in enumerate(getattr(self.pipeline[-1], "estimators_", [])):
                if not hasattr(estimator, "coef_"):
                    margins[:, i] = constant_margin(estimator)
        return margins

    def save(self, path: str | Path) -> Path:
        """Write the model atomically to ``path``, signed for this user (see ``tagger.trust``),
        with its scoring arrays (see ``tagger.inference``), and its card as JSON beside it;
        returns ``path``. A file at ``path`` that is not a model (an article, a data file: the
        path mistyped) is not replaced: OutputError, before anything is written, as
        ``tagger train -o`` refuses it.

        >>> import os, pathlib, tempfile
        >>> _ = os.environ.setdefault("TAGGER_HOME", tempfile.mkdtemp())  # a key not yours
        >>> from tagger.data import Example
        >>> model = train([Example("云计算", ("cloud",)), Example("芯片", ("chips",))] * 3, test_size=0)
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> model.save(folder / "my.joblib").name
        'my.joblib'
        >>> _ = (folder / "data.jsonl").write_text('{"text": "云计算", "labels": ["cloud"]}\\n', encoding="utf-8")
        >>> model.save(folder / "data.jsonl")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        tagger.errors.OutputError: ...data.jsonl: is a file that is not a tagger model; saving the model would replace it. Fix: save it to another path, or delete this one first
        """
        path = Path(path)
        check_replaceable(path, hint="save it to another path, or delete this one first")
        buffer = io.BytesIO()
        joblib.dump(_without_arrays(self), buffer)  # what the arrays hold is kept once: there
        compact, arrays = CompactModel.from_model(self).to_arrays()
        write_model(path, self.card, compact, arrays, buffer.getvalue())
        with atomic_write(card_path(path)) as handle:
            json.dump(self.card, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        return path


def _without_arrays(model: TaggerModel) -> TaggerModel:
    """A shallow copy of ``model`` to pickle, without what its file also stores as arrays:
    the feature space, the coefficients (None in their place) and the training texts' hashes.
    ``load_model`` puts them back (``CompactModel.restore``); ``model`` is not changed. The
    float64 coefficients took two thirds of a model file (CSLDCP's: 405 MiB, now 139 MiB)."""
    features = copy.copy(model.pipeline[0])
    features.space_ = None
    classifier = model.pipeline[-1]
    if hasattr(classifier, "estimators_"):  # one-vs-rest: a copy, its estimators' copies
        classifier = copy.copy(classifier)
        classifier.estimators_ = [_without_coef(e) for e in classifier.estimators_]
    else:  # multinomial logistic regression
        classifier = _without_coef(classifier)
    pipeline = copy.copy(model.pipeline)
    pipeline.steps = [
        (model.pipeline.steps[0][0], features),
        (model.pipeline.steps[-1][0], classifier),
    ]
    return replace(model, pipeline=pipeline, training_texts=None)


def _without_coef(estimator: Any) -> Any:
    """A copy of a fitted linear classifier with ``coef_`` None (others as they are)."""
    if getattr(estimator, "coef_", None) is None:
        return estimator
    estimator = copy.copy(estimator)
    estimator.coef_ = None
    return estimator


def probabilistic(pipeline: Pipeline) -> bool:
    """Whether ``pipeline``'s classifier, as configured, gives probabilities (logistic
    regression) rather than margins (the SVM). Asked of the configuration, not of the fitted
    one-vs-rest classifier, which answers from its first label's classifier: a constant one
    when that label was on every training example, which has ``predict_proba`` even for the SVM.
    """
    classifier = pipeline[-1]
    return isinstance(getattr(classifier, "estimator", classifier), LogisticRegression)


def card_path(model_path: str | Path) -> Path:
    """Where the JSON model card of ``model_path`` is written."""
    model_path = Path(model_path)
    return model_path.with_name(model_path.name + ".card.json")


class TfidfFeatures(TransformerMixin, BaseEstimator):
    """The Pipeline's feature step: ``tagger.features.FeatureSpace`` as a scikit-learn
    transformer (TF-IDF of jieba words and their n-grams, and of character n-grams).

    Its matrices are float64, as liblinear needs them: made once here, not copied again by
    each one-vs-rest SVM (THUCNews: 0.75 s of 12 s less to fit the SVMs)."""

    def __init__(
        self,
        tokenizer: JiebaTokenizer | None = None,
        word_ngrams: int = 2,
        char_ngrams: tuple[int, int] | None = (1, 3),
        min_df: int = 1,
        n_jobs: int | None = None,
    ) -> None:
        self.tokenizer = tokenizer
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.n_jobs = n_jobs

    def fit(self, X: Sequence[str], y: Any = None) -> TfidfFeatures:
        self.fit_transform(X)
        return self

    def fit_transform(self, X: Sequence[str], y: Any = None) -> Any:
        analyzer = Analyzer(self.tokenizer or JiebaTokenizer(), self.word_ngrams, self.char_ngrams)
        self.space_ = FeatureSpace(analyzer)
        matrix = self.space_.fit(list(X), self.min_df, resolve_jobs(self.n_jobs))
        return matrix.astype(np.float64)

    def transform(self, X: Sequence[str]) -> Any:
        matrix = self.space_.transform(list(X), resolve_jobs(self.n_jobs))
        return matrix.astype(np.float64)


def build_pipeline(
    tokenizer: JiebaTokenizer | None = None,
    *,
    multi_label: bool = False,
    classifier: str = "svm",
    C: float | None = None,
    word_ngrams: int = 2,
    char_ngrams: tuple[int, int] | None = (1, 3),
    min_df: int = 1,
    class_weight: str | None = None,
    n_jobs: int | None = -1,
) -> Pipeline:
    """TF-IDF over jieba words (and their n-grams) and characters, then a linear classifier:
    one-vs-rest, a binary classifier a label. ``n_jobs`` processes (-1: every core) analyse
    the texts and, when ``train`` fits it (``fit_one_vs_rest``), fit the binary classifiers;
    ``Pipeline.fit`` fits these one by one. ``C=None``: ``default_c(multi_label)``;
    ``word_ngrams=0``: no word block, character n-grams only (see README, "The model")."""
    if classifier not in CLASSIFIERS:
        raise ValueError(f"classifier must be one of {CLASSIFIERS}, not {classifier!r}")
    if C is None:
        C = default_c(multi_label)
    features = TfidfFeatures(tokenizer, word_ngrams, char_ngrams, min_df, n_jobs)
    if classifier == "logreg":
        clf: Any = LogisticRegression(C=C, max_iter=1000, class_weight=class_weight)
    else:
        clf = LinearSVC(C=C, class_weight=class_weight, tol=SVM_TOL, random_state=0)
    if multi_label or classifier == "svm":  # LinearSVC is one-vs-rest too, on one thread
        clf = OneVsRestClassifier(clf)  # not n_jobs threads: see fit_one_vs_rest
    return Pipeline([("features", features), ("classifier", clf)])


def train(
    examples: Sequence[Example],
    *,
    multi_label: bool | None = None,
    tokenizer: JiebaTokenizer | None = None,
    taxonomy: Taxonomy | None = None,
    dev: Sequence[Example] | None = None,
    refit: bool = True,
    test_size: float | None = None,
    cv: int | None = None,
    tune_threshold: bool = True,
    thresholds: str = "global",
    target_precision: float | None = None,
    min_labels: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    **params: Any,
) -> TaggerModel:
    """Train a model on labeled examples and measure it on held-out data first.

    With ``dev`` (held-out examples of your own) the figures, the calibration of the scores,
    the thresholds and ``C="auto"`` come from a model fitted on ``examples`` and measured on
    ``dev``; with ``cv`` (2 folds or more) from a k-fold cross-validation (mean and spread; by
    group when examples have groups); otherwise from a ``test_size`` held-out split (default
    0.2; 0 skips measuring). A ``taxonomy`` fixes the label set and adds its keywords as
    training examples. For multi-label models measured this way, ``tune_threshold`` sets the
    decision threshold to the one that maximises micro-F1 on the held-out scores. A
    multi-label model gives each text at least ``min_labels`` labels (its best ones); by
    default 1 when every example has a label, else 0. The returned model is then fitted on
    all examples, ``dev`` included, unless ``refit=False`` (only with ``dev``): then it is the
    model fitted on ``examples`` and measured on ``dev`` (which stays data it has not seen).
    The card's ``data`` says what it was fitted on. ``params`` go to ``build_pipeline``;
    ``min_df`` defaults to 1 below ``LARGE`` examples, else 2, C to
    ``default_c(multi_label)``, and ``C="auto"`` picks C from ``C_GRID`` by its figures on
    held-out data. Warns (DataWarning) about dev texts also in ``examples`` and dev labels
    ``examples`` lack. Raises DataError for unusable data, ValueError for ``dev`` with ``cv``
    or ``test_size``, and, before any work, TypeError for a keyword ``build_pipeline`` does
    not take (``c`` for ``C``) and TypeError or ValueError for an option it cannot use (``C``
    not positive, ``seed`` not an integer, ``target_precision`` outside (0, 1]).

    >>> from tagger.data import Example
    >>> data = [Example("云计算", ("cloud",)), Example("芯片", ("chips",))] * 3
    >>> train(data, test_size=0).labels
    ['chips', 'cloud']
    >>> dev = [Example("云计算市场", ("cloud",)), Example("芯片出口", ("chips",))]
    >>> train(data, dev=dev, refit=False).card["data"]["fitted_on"]
    'training data'
    """
    from .evaluation import (
        choose_thresholds,
        cross_validate,
        evaluate,
        holdout_split,
        in_label_order,
        labeled_examples,
    )

    _check_params(params)
    if thresholds not in ("global", "per-label"):
        raise ValueError(f"thresholds must be 'global' or 'per-label', not {thresholds!r}")
    if test_size is not None:
        check_number("test_size", test_size, 0, None)
        if not test_size < 1:
            raise ValueError(f"test_size must be at least 0 and below 1, not {test_size}")
    check_number("seed", seed, 0, 2**32 - 1, (int, np.integer))
    if target_precision is not None:
        check_number("target_precision", target_precision, 0, 1)
        if not target_precision > 0:
            raise ValueError(f"target_precision must be above 0, at most 1, not {target_precision}")
    if min_labels is not None:
        check_number("min_labels", min_labels, 0, None, (int, np.integer))
    if cv is not None:  # 1 fold said the data had too few texts; 0 was a held-out split
        check_number("cv", cv, 2, None, (int, np.integer))
    if dev is not None and (cv is not None or test_size is not None):
        raise ValueError(
            "dev is the held-out data: pass dev, cv or test_size, not "
            + ("cv" if cv is not None else "test_size")
            + " too"
        )
    if not refit and dev is None:
        raise ValueError("refit=False keeps the model measured on dev: it needs dev")
    if test_size is None:
        test_size = 0.0 if dev is not None else TEST_SIZE
    examples = labeled_examples(examples, "train")

    report = progress or (lambda message: None)
    examples = [e for e in examples if e.text.strip()]
    if dev is not None:
        dev = [e for e in labeled_examples(dev, "train") if e.text.strip()]
        if not dev:
            raise DataError("no dev examples with text", hint="pass dev examples that have text")
        _warn_dev(examples, dev)
    held = dev or []
    fitted = [*examples, *held] if refit else examples  # what the returned model is fitted on
    summary = summarize([*examples, *held])
    if summary.conflicting_duplicates:
        warnings.warn(
            f"{summary.conflicting_duplicates} text(s) appear with different labels, e.g. at "
            f"{'; '.join(summary.conflicts)}; give each text one set of labels",
            DataWarning,
            stacklevel=2,
        )
    _warn_few(summary.labels)
    if multi_label is None:
        multi_label = summary.is_multi_label
    _check_threshold_options(multi_label, thresholds, target_precision)
    extra: list[Example] = []
    if taxonomy is not None:
        _check_taxonomy([*examples, *held], taxonomy)
        extra = taxonomy.keyword_examples()
    known = Counter(label for e in examples + extra for label in e.labels)
    _check_trainable(examples + extra, known, multi_label)  # the model measured on dev too
    counts = Counter(label for e in fitted + extra for label in e.labels)
    if held:
        everything = Counter(label for e in [*examples, *held, *extra] for label in e.labels)
        _check_trainable([*examples, *held, *extra], everything, multi_label)
        _warn_unknown_dev_labels(held, known, refit)
    tokenizer = tokenizer or JiebaTokenizer()
    labels = list(taxonomy.names) if taxonomy else sorted(counts)
    if multi_label:
        _warn_constant_labels(labels, counts, len(fitted) + len(extra))
    if params.get("min_df") is None:
        params["min_df"] = 2 if len(fitted) >= LARGE else 1
    if params.get("C") is None:
        params["C"] = default_c(multi_label)
    if min_labels is None:
        min_labels = default_min_labels([*examples, *held], multi_label)

    def fit(
        part: Sequence[Example], features: Features | None = None, **override: Any
    ) -> TaggerModel:
        model = _fit(
            [*part, *extra],
            multi_label,
            tokenizer,
            {**params, **override},
            labels if multi_label else None,
            features,
        )
        model.min_labels = min_labels if multi_label else 0
        return model

    def featurize(part: Sequence[Example]) -> Features:  # for fit(part, features)
        step = build_pipeline(tokenizer, **{**params, "C": 1.0})[0]  # C: not the features'
        return step, step.fit_transform([e.text for e in [*part, *extra]])

    search = None
    features: Features | None = None  # of all the training examples, when the search made them
    if params.get("C") == "auto":
        report(f"choosing C among {', '.join(map(str, C_GRID))}")
        if dev is not None:  # searched on all the training examples: their features, once
            made = features = featurize(examples)
            params["C"], search = _choose_c(examples, fit, lambda part: made, seed, dev)
        else:
            params["C"], search = _choose_c(examples, fit, featurize, seed)
    metrics: dict[str, Any] = {"method": "none"}
    held_out: tuple[list[Example], Any] | None = None
    model: TaggerModel | None = None
    unseen: list[str] = []  # labels the model measured on held-out data had no example of
    if dev is not None:
        report(f"training on {len(examples)} examples, measuring on {len(dev)} dev examples")
        model = fit(examples, features)
        metrics = {
            "method": "dev",
            "files": _files(dev),
            **evaluate(model, dev, check_data=False).headline(),
            "note": "measured on the dev data by a model fitted on the training data alone; "
            + (
                "the final model was then fitted on the training and dev data"
                if refit
                else "the final model is that one: it was not fitted on the dev data"
            ),
        }
        held_out = (dev, in_label_order(model.scores([e.text for e in dev]), model.labels, labels))
        unseen = [label for label in labels if not known.get(label)]
    elif cv:
        report(f"cross-validating ({cv} folds)")
        metrics, scores = cross_validate(examples, fit, folds=cv, seed=seed, labels=labels)
        held_out = (examples, scores)
    elif test_size > 0:
        train_part, test_part = holdout_split(examples, test_size, seed)
        if train_part and test_part:
            report(f"training on {len(train_part)} examples, measuring on {len(test_part)}")
            model = fit(train_part)
            metrics = {
                "method": "holdout",
                "test_size": test_size,
                **evaluate(model, test_part, check_data=False).headline(),
            }
            held_out = (
                test_part,
                in_label_order(model.scores([e.text for e in test_part]), model.labels, labels),
            )
            trained = Counter(label for e in [*train_part, *extra] for label in e.labels)
            unseen = [label for label in labels if not trained.get(label)]
        else:
            metrics = {"method": "none", "note": "too few examples for a held-out split"}
    if refit or model is None:  # without refit, dev was given: the model measured on it
        report(f"training on all {len(fitted)} examples")
        model = fit(fitted)
    if multi_label and tune_threshold and held_out is not None:
        model.thresholds, metrics["tuned_threshold"] = choose_thresholds(
            held_out[1],
            held_out[0],
            labels,
            per_label=thresholds == "per-label",
            target_precision=target_precision,
            min_labels=model.min_labels,
            unseen=unseen,
        )
    if held_out is not None and not probabilistic(model.pipeline):
        metrics["calibration"] = _calibrate(model, labels, *held_out, metrics)
    if search is not None:
        metrics["C_search"] = search
    model.card = _card(model, fitted, tokenizer, taxonomy, params, metrics, seed)
    model.training_texts = text_hashes(e.text for e in fitted)
    if dev is not None:
        model.card["data"].update(
            {
                "fitted_on": "training and dev data" if refit else "training data",
                "training": _described(examples),
                "dev": _described(dev),
            }
        )
    return model


def _files(examples: Sequence[Example]) -> list[str]:
    """The files ``examples`` were read from, sorted."""
    return sorted({e.source for e in examples if e.source})


def _described(examples: Sequence[Example]) -> dict[str, Any]:
    """How many examples, from which files, and their ``data_hash``: as a card records data."""
    return {"examples": len(examples), "files": _files(examples), "sha256": data_hash(examples)}


def _warn_few(labels: dict[str, int]) -> None:
    """Warn (DataWarning) of labels with fewer than ``FEW_EXAMPLES`` examples: a held-out split
    or fold has one or none of them, and the model learns little from them."""
    few = sorted((count, label) for label, count in labels.items() if count < FEW_EXAMPLES)
    if few:
        named = ", ".join(f"{label} ({count})" for count, label in few[:SHOWN_FEW])
        more = f" and {len(few) - SHOWN_FEW} more" if len(few) > SHOWN_FEW else ""
        warnings.warn(
            f"{len(few)} label(s) have fewer than {FEW_EXAMPLES} examples: {named}{more}; "
            "the model learns little from so few, and held-out figures on them are down to "
            "chance; add examples of them (tens a label)",
            DataWarning,
            stacklevel=3,
        )


def _warn_dev(examples: Sequence[Example], dev: Sequence[Example]) -> None:
    """Warn (DataWarning) when dev texts are also training texts (compared as the splits
    compare them, surrounding whitespace stripped): the model has seen them, so the figures
    measured on them lean optimistic, as a random split's would without its copy check."""
    trained: dict[str, Example] = {}
    for e in examples:
        trained.setdefault(same_text(e.text), e)
    seen = [(e, trained[same_text(e.text)]) for e in dev if same_text(e.text) in trained]
    if seen:
        where = "; ".join(f"{_where(d)} and {_where(t)}" for d, t in seen[:3])
        warnings.warn(
            f"{len(seen)} of {len(dev)} dev examples have a text the training data also has, "
            f"e.g. {where}: the model has seen them, so the figures measured on the dev data "
            "lean optimistic; remove them from the dev (or the training) data",
            DataWarning,
            stacklevel=3,
        )


def _warn_unknown_dev_labels(dev: Sequence[Example], known: Counter[str], refit: bool) -> None:
    """Warn (DataWarning) about dev labels no training example (nor taxonomy keyword) has: the
    model measured on the dev data cannot give them, so they count as misses."""
    unknown = Counter(label for e in dev for label in e.labels if label not in known)
    if not unknown:
        return
    carry = sum(any(label in unknown for label in e.labels) for e in dev)
    named = ", ".join(f"{label} ({n})" for label, n in unknown.most_common())
    then = (
        "; the final model, fitted on the dev data too, learns them from those examples alone"
        if refit
        else ""
    )
    warnings.warn(
        f"{carry} of {len(dev)} dev examples have labels the training data lacks: {named}. The "
        f"model measured on the dev data cannot give them, so they count as misses{then}; add "
        "training examples of them, or leave them out",
        DataWarning,
        stacklevel=3,
    )


def _calibrate(
    model: TaggerModel,
    labels: list[str],
    examples: list[Example],
    scores: np.ndarray,
    metrics: dict[str, Any],
) -> dict[str, Any]:
    """Calibrate ``model``'s scores (``tagger.calibration``) on held-out ``examples`` and their
    uncalibrated ``scores`` (columns in ``labels`` order), and its thresholds (and the tuned
    one in ``metrics``) with them, so that no decision changes; what the card records."""
    from .evaluation import truth_matrix

    columns = [labels.index(label) for label in model.labels]
    found = platt(margins(scores[:, columns]), truth_matrix(examples, model.labels))
    if found is None:
        return {
            "method": "none",
            "note": f"too few held-out labels to calibrate (fewer than {MIN_PAIRS} pairs of "
            "a text and a label it has, or has not)",
        }

    def calibrated(threshold: float) -> float:
        return float(sigmoid(margins(threshold), found))

    model.calibration = found
    model.thresholds = {label: calibrated(t) for label, t in model.thresholds.items()}
    tuned = metrics.get("tuned_threshold")
    if tuned:  # chosen on the held-out models' (uncalibrated) scores, where 0.5 is margin 0
        tuned["threshold"] = calibrated(tuned["threshold"])
        tuned["note"] += "; the threshold is calibrated as the scores are"
    return {
        "method": "Platt scaling of the held-out margins, all labels together",
        "a": found[0],
        "b": found[1],
    }


_MISTAKEN = {
    "c": "C (the --c of tagger train)",
    "jobs": "n_jobs",
    "balanced": 'class_weight="balanced"',
    "user_dict": "tokenizer=JiebaTokenizer.from_files(user_dict, stop_words, hmm)",
    "stop_words": "tokenizer=JiebaTokenizer.from_files(user_dict, stop_words, hmm)",
    "hmm": "tokenizer=JiebaTokenizer(hmm=True)",
}
"""Keywords ``train`` is given for an option of ``build_pipeline`` or of the tokenizer, as
``tagger train``'s options name them."""


def _check_params(params: dict[str, Any]) -> None:
    """TypeError for a keyword ``build_pipeline`` does not take (``c`` for ``C``: it was raised
    by the first fit, after the data summary, naming ``build_pipeline``), TypeError or
    ValueError for a ``C`` (a positive number or ``"auto"``) or a ``class_weight`` (None,
    ``"balanced"`` or a dict) that scikit-learn refused from inside a fit.

    >>> _check_params({"c": 0.5})
    Traceback (most recent call last):
    TypeError: train() got an unexpected keyword argument 'c': did you mean C (the --c of tagger train)?
    """
    known = set(inspect.signature(build_pipeline).parameters) - {"tokenizer", "multi_label"}
    for name in params:
        if name not in known:
            instead = _MISTAKEN.get(name) or ", ".join(sorted(known, key=str.lower))
            said = "did you mean" if name in _MISTAKEN else "train takes these of build_pipeline:"
            raise TypeError(
                f"train() got an unexpected keyword argument {name!r}: {said} {instead}?"
            )
    c = params.get("C")
    if c is not None and not (isinstance(c, str) and c == "auto"):
        if not isinstance(c, (str, Real)) or isinstance(c, bool):
            raise TypeError(f"C must be a number or 'auto', not {type(c).__name__}")
        if isinstance(c, str) or not 0 < c < float("inf"):  # NaN too
            raise ValueError(f"C must be a positive number or 'auto', not {c!r}")
    weight = params.get("class_weight")
    if weight is not None and weight != "balanced" and not isinstance(weight, dict):
        raise ValueError(f"class_weight must be None, 'balanced' or a dict, not {weight!r}")


def _check_threshold_options(
    multi_label: bool, thresholds: str, target_precision: float | None
) -> None:
    """Refuse threshold options that would be ignored (ValueError)."""
    if target_precision is not None and thresholds != "per-label":
        raise ValueError("target_precision needs thresholds='per-label'")
    if not multi_label and (thresholds != "global" or target_precision is not None):
        raise ValueError(
            "thresholds='per-label' and target_precision apply to multi-label models (each "
            "label's own threshold); a single-label model takes the best label"
        )


def default_min_labels(examples: Sequence[Example], multi_label: bool) -> int:
    """The fewest labels a model gives a text unless told: 1 for a multi-label model whose
    examples all have a label (then no text is without a topic), else 0. Cross-validation
    decides it on all the data, as ``train`` does, not on each fold's part.

    >>> default_min_labels([Example("云计算", ("cloud",)), Example("天气", ())], True)
    0
    """
    return int(multi_label and all(e.labels for e in examples))


def _choose_c(
    examples: Sequence[Example],
    fit: Callable[..., TaggerModel],
    featurize: Callable[[Sequence[Example]], Features],
    seed: int,
    dev: Sequence[Example] | None = None,
) -> tuple[float, dict[str, Any]]:
    """The ``C_GRID`` value whose model does best on ``C_HELD_OUT`` of the examples, or on
    ``dev`` when given (accuracy, or micro-F1 for multi-label models), and the figures. On a
    tie, ``default_c`` if it is among the tied, else the middle of them (the smallest would
    shrink a model most for nothing)."""
    from .evaluation import evaluate, holdout_split

    if dev is not None:
        train_part, test_part = list(examples), list(dev)
    else:
        train_part, test_part = holdout_split(examples, C_HELD_OUT, seed)
    if not train_part or not test_part:
        raise DataError(
            "too few examples to choose C on held-out data", hint="pass a number to --c"
        )
    features = featurize(train_part)  # the same for every C: computed once
    scores = {}
    multi_label = False
    for c in C_GRID:
        model = fit(train_part, features, C=c)
        multi_label = model.multi_label
        headline = evaluate(model, test_part, check_data=False).headline()
        scores[c] = headline["micro_f1" if multi_label else "accuracy"]
    tied = [c for c in C_GRID if scores[c] == max(scores.values())]
    best = default_c(multi_label) if default_c(multi_label) in tied else tied[len(tied) // 2]
    return best, {
        "held_out": "dev" if dev is not None else C_HELD_OUT,
        "examples": len(test_part),
        "scores": {str(c): v for c, v in scores.items()},
        "note": "chosen on the same examples the figures are measured on: they lean optimistic",
    }


def _check_taxonomy(examples: Sequence[Example], taxonomy: Taxonomy) -> None:
    known = set(taxonomy.names)
    for e in examples:
        unknown = [label for label in e.labels if label not in known]
        if unknown:
            raise DataError(
                f"label {unknown[0]!r} is not in the taxonomy ({', '.join(taxonomy.names)})",
                path=e.source or None,
                line=e.line or None,
                hint=f"add it to {taxonomy.source or 'the taxonomy'} or fix the label",
            )


def _check_trainable(
    examples: Sequence[Example], labels: dict[str, int], multi_label: bool
) -> None:
    if not examples:
        raise DataError("no examples with text to train on", hint="check the data files")
    files = ", ".join(sorted({e.source for e in examples if e.source})) or None
    if not labels:
        raise DataError(
            "no example has a label; a classifier needs examples of at least two labels",
            path=files,
            hint="give the examples their labels, or name the field or column that holds "
            "them with --label-field",
        )
    if not multi_label and any(len(e.labels) != 1 for e in examples):
        bad = next(e for e in examples if len(e.labels) != 1)
        raise DataError(
            f"single-label training needs exactly one label per example, found {len(bad.labels)}",
            path=bad.source or None,
            line=bad.line or None,
            hint="train with --multi-label, or give every example one label",
        )
    classes = len(labels) + (1 if multi_label and any(not e.labels for e in examples) else 0)
    if classes < 2:
        raise DataError(
            f"the data has only one label ({next(iter(labels))}); a classifier needs at least two",
            path=files,
            hint="add examples of other labels (or, for multi-label, examples with no label)",
        )


def _warn_constant_labels(labels: Sequence[str], counts: Counter[str], total: int) -> None:
    """Warn (DataWarning, naming them) about labels on every training example or on none: a
    multi-label model cannot learn them and gives them a constant score (scikit-learn's own
    warning named them by column number, once for every model fitted)."""
    every = [label for label in labels if counts.get(label, 0) == total]
    none = [label for label in labels if not counts.get(label, 0)]
    found = []
    if every:
        found.append(f"on every training example, so given to every text: {', '.join(every)}")
    if none:
        found.append(f"on no training example, so never given: {', '.join(none)}")
    if found:
        warnings.warn(
            f"label(s) {'; label(s) '.join(found)}; the model cannot learn them: add examples "
            "without (or with) them, or leave them out",
            DataWarning,
            stacklevel=3,
        )


def _fit(
    examples: Sequence[Example],
    multi_label: bool,
    tokenizer: JiebaTokenizer,
    params: dict[str, Any],
    classes: Sequence[str] | None = None,
    features: Features | None = None,
) -> TaggerModel:
    """A model of ``examples``; with ``features`` (a fitted feature step and its matrix of
    these examples) only the classifier is fitted."""
    texts = [e.text for e in examples]
    pipeline = build_pipeline(tokenizer, multi_label=multi_label, **params)
    if multi_label:
        binarizer = MultiLabelBinarizer(classes=classes)
        y = binarizer.fit_transform([e.labels for e in examples])
        labels = [str(c) for c in binarizer.classes_]
    else:
        y = [e.labels[0] for e in examples]
    if features is None:
        matrix = pipeline[0].fit_transform(texts)
    else:
        pipeline.steps[0] = ("features", features[0])
        matrix = features[1]
    if isinstance(pipeline[-1], OneVsRestClassifier):
        fit_one_vs_rest(pipeline[-1], matrix, y, resolve_jobs(params.get("n_jobs", -1)))
    else:
        pipeline[-1].fit(matrix, y)
    for estimator in getattr(pipeline[-1], "estimators_", [pipeline[-1]]):
        if getattr(estimator, "coef_", None) is not None:  # the values its file keeps (float32),
            estimator.coef_[...] = estimator.coef_.astype(np.float32)  # in place: new arrays
            # raised the peak memory of training CSLDCP's 67 labels by 100-250 MiB
    if not multi_label:
        labels = [str(c) for c in pipeline[-1].classes_]
    thresholds = dict.fromkeys(labels, 0.5) if multi_label else {}
    return TaggerModel(pipeline, labels, multi_label, thresholds)


def fit_one_vs_rest(classifier: OneVsRestClassifier, X: Any, y: Any, jobs: int) -> None:
    """Fit ``classifier`` as ``OneVsRestClassifier.fit`` does (the same fitted attributes), its
    binary classifiers in ``jobs`` forked worker processes, which share ``X``.

    Not in threads, as scikit-learn would: liblinear's random generator is global, and threads
    drawing from it at once made two trainings of the same data differ (by ~1e-5); a process
    fits its labels one after another, each from the generator seeded by ``random_state``.
    Warnings a worker raises (liblinear's ConvergenceWarning) are raised here, once each; fitted
    here (one job), the fits warn as they go, under the caller's warning filters."""
    binarizer = LabelBinarizer(sparse_output=True)
    Y = binarizer.fit_transform(y).tocsc()
    fitted = list(imap(_fit_label, (classifier.estimator, X, Y), range(Y.shape[1]), jobs))
    raised: dict[tuple[type[Warning], str], None] = {}
    for _, caught in fitted:
        raised.update(dict.fromkeys(caught))
    for category, message in raised:
        warnings.warn(message, category, stacklevel=2)
    classifier.label_binarizer_ = binarizer
    classifier.classes_ = binarizer.classes_
    classifier.estimators_ = [estimator for estimator, _ in fitted]
    classifier.n_features_in_ = X.shape[1]


def _fit_label(state: tuple[Any, Any, Any], column: int) -> tuple[Any, list[tuple[Any, str]]]:
    """The binary classifier of one column of the label matrix (a constant predictor for a
    label on every example or none, as scikit-learn keeps), and the warnings its fit raised in
    a worker process, to be raised in the parent. Not caught in the caller's process:
    ``catch_warnings`` swaps the process-wide filters, which other threads use meanwhile (and
    records their warnings); scikit-learn warns with ``warnings.warn``, so the fit's own
    warnings go to the caller as they are raised."""
    estimator, X, Y = state
    y = Y[:, [column]].toarray().ravel()
    if not in_worker():
        return _fit_binary(estimator, X, y), []
    with warnings.catch_warnings(record=True) as caught:  # a worker's own filters
        warnings.simplefilter("always")
        fitted = _fit_binary(estimator, X, y)
    return fitted, [(w.category, str(w.message)) for w in caught]


def _fit_binary(estimator: Any, X: Any, y: Any) -> Any:
    if len(np.unique(y)) == 1:
        return _ConstantPredictor().fit(X, np.unique(y))
    return clone(estimator).fit(X, y)


def data_hash(examples: Sequence[Example]) -> str:
    """A SHA-256 of the examples' texts and labels, independent of their order."""
    digest = hashlib.sha256()
    # json.dumps(..., ensure_ascii=False) without making an encoder for each example
    encode = json.JSONEncoder(ensure_ascii=False).encode
    for line in sorted(encode([e.text, sorted(e.labels)]) for e in examples):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _card(
    model: TaggerModel,
    examples: Sequence[Example],
    tokenizer: JiebaTokenizer,
    taxonomy: Taxonomy | None,
    params: dict[str, Any],
    metrics: dict[str, Any],
    seed: int,
) -> dict[str, Any]:
    counts = Counter(label for e in examples for label in e.labels)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": versions(),
        "multi_label": model.multi_label,
        "labels": {label: counts.get(label, 0) for label in model.labels},
        "thresholds": model.thresholds,
        "min_labels": model.min_labels,
        "tokenizer": tokenizer.config(),
        "taxonomy": None
        if taxonomy is None
        else {
            "source": taxonomy.source,
            "sha256": taxonomy.sha256(),
            "keywords": len(taxonomy.keyword_examples()),
            "labels": {label.name: label.description for label in taxonomy.labels},
        },
        "params": {"seed": seed, **pipeline_options(params)},
        "data": {
            "examples": len(examples),
            "files": sorted({e.source for e in examples if e.source}),
            "sha256": data_hash(examples),
        },
        "metrics": metrics,
    }


def pipeline_options(params: dict[str, Any]) -> dict[str, Any]:
    """``build_pipeline``'s keyword options with ``params`` applied, as the card records them."""
    options = {
        name: p.default
        for name, p in inspect.signature(build_pipeline).parameters.items()
        if p.kind is p.KEYWORD_ONLY and name not in ("multi_label", "n_jobs")
    }
    options.update(params)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()}


def load_model(path: str | Path, *, trust: bool = False) -> TaggerModel:
    """Load the full model (with its scikit-learn Pipeline) saved by ``TaggerModel.save``.

    The file is unpickled only when it is verified (see ``tagger.trust``) or ``trust`` is set;
    otherwise ModelError says how to trust it. Tagging needs only ``modelfile.load_compact``.

    >>> from tagger.tagging import default_model_path
    >>> model = load_model(default_model_path())  # the bundled model: trusted by its SHA-256
    >>> [label for label, _ in model.predict(["美国升级芯片出口管制。"])[0]]
    ['semiconductors']
    """
    check_path("path", path)
    payload, compact = read_model_parts(path, trust=trust)
    try:
        model = joblib.load(io.BytesIO(payload))
    except Exception as exc:
        raise ModelError(
            f"the model file cannot be read ({type(exc).__name__}: {exc})",
            path=path,
            hint="it may need other library versions; train the model again",
        ) from None
    if not isinstance(model, TaggerModel):
        raise ModelError("the model file is damaged", path=path, hint="train the model again")
    if compact is not None:  # not pickled: see TaggerModel.save
        compact.restore(model)
    return model
