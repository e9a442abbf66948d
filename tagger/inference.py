"""Score texts with a trained model held as plain arrays: no scikit-learn, no unpickling.

A saved model carries, besides its scikit-learn Pipeline, the few arrays that scoring needs:
each TF-IDF block's vocabulary and idf weights, and the classifier's coefficients. Tagging
and evaluating use them (``CompactModel``), so they start fast and never run a pickle; the
Pipeline is loaded only to train further. Scores match the Pipeline's (a test checks).

>>> from tagger.data import Example
>>> from tagger.model import train
>>> model = train([Example("云计算市场", ("cloud",)), Example("芯片出口", ("chips",))] * 3, test_size=0)
>>> compact = CompactModel.from_model(model)
>>> bool(np.allclose(compact.scores(["云计算"]), model.scores(["云计算"])))
True
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .tokenizing import JiebaTokenizer, WordNgrams, normalize

__all__ = ["CompactModel", "LabelDecider"]

_WHITE_SPACES = re.compile(r"\s\s+")  # as scikit-learn's character analyzer


class LabelDecider:
    """Turning scores into chosen labels; shared by the full and the compact model."""

    labels: list[str]
    multi_label: bool
    thresholds: dict[str, float]

    def scores(self, texts: Sequence[str]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def predict(
        self,
        texts: Sequence[str],
        top_k: int | None = None,
        threshold: float | None = None,
    ) -> list[list[tuple[str, float]]]:
        """Labels chosen for each text as (label, score) pairs, best first.

        Single-label models choose the best label; multi-label models every label whose score
        reaches its threshold (none when no label does). ``threshold`` overrides the model's
        thresholds (for single-label models it may leave a text with no label); ``top_k`` keeps
        at most that many labels.
        """
        return self.decide(self.scores(texts), top_k, threshold)

    def decide(
        self, scores: np.ndarray, top_k: int | None = None, threshold: float | None = None
    ) -> list[list[tuple[str, float]]]:
        """Turn a score array from ``scores`` into chosen labels (see ``predict``)."""
        if threshold is not None:
            cut = np.full(len(self.labels), threshold)
        elif self.multi_label:
            cut = np.array([self.thresholds.get(label, 0.5) for label in self.labels])
        else:
            cut = None
        chosen = []
        for row in scores:
            order = np.argsort(-row, kind="stable")
            if cut is None:
                keep = order[:1] if top_k is None else order
            else:
                keep = [i for i in order if row[i] >= cut[i]]
            if top_k is not None:
                keep = keep[:top_k]
            chosen.append([(self.labels[i], float(row[i])) for i in keep])
        return chosen


@dataclass
class _Block:
    """One TF-IDF feature block: how to cut a text, and each term's column and idf."""

    analyzer: Any  # WordNgrams, or (min_n, max_n) for character n-grams
    vocabulary: dict[str, int]
    idf: np.ndarray
    offset: int
    sublinear: bool = True

    def terms(self, text: str) -> list[str]:
        if isinstance(self.analyzer, WordNgrams):
            return self.analyzer(text)
        low, high = self.analyzer
        doc = _WHITE_SPACES.sub(" ", normalize(text))
        return [doc[i : i + n] for n in range(low, high + 1) for i in range(len(doc) - n + 1)]


@dataclass
class CompactModel(LabelDecider):
    """A model as arrays: TF-IDF blocks, coefficients (labels x features), intercepts."""

    labels: list[str]
    multi_label: bool
    thresholds: dict[str, float]
    blocks: list[_Block]
    coef: np.ndarray
    intercept: np.ndarray
    softmax: bool  # multinomial logistic regression: scores are a softmax over labels
    card: dict[str, Any] = field(default_factory=dict)

    def scores(self, texts: Sequence[str], batch: int = 128) -> np.ndarray:
        """A (texts x labels) array of scores in [0, 1], as ``TaggerModel.scores`` gives."""
        decision = np.zeros((len(texts), self.coef.shape[0]))
        for start in range(0, len(texts), batch):
            decision[start : start + batch] = self._decision(texts[start : start + batch])
        decision += self.intercept
        if self.softmax:
            decision -= decision.max(axis=1, keepdims=True)
            exp = np.exp(decision)
            return exp / exp.sum(axis=1, keepdims=True)
        probs = 1.0 / (1.0 + np.exp(-decision))
        if probs.shape[1] == 1 and len(self.labels) == 2:  # binary: the second class
            probs = np.column_stack([1 - probs[:, 0], probs[:, 0]])
        return probs

    def _decision(self, texts: Sequence[str]) -> np.ndarray:
        """Linear decision values: TF-IDF of every (text, block) then coefficients, batched."""
        columns: list[int] = []
        counts: list[int] = []
        sizes: list[int] = []  # entries of each (text, block) group: the unit of l2 normalisation
        group_text: list[int] = []
        group_offset: list[int] = []
        for row, text in enumerate(texts):
            for block in self.blocks:
                found = Counter(map(block.vocabulary.get, block.terms(text)))  # counted in C
                found.pop(None, None)
                if found:
                    columns.extend(found)
                    counts.extend(found.values())
                    sizes.append(len(found))
                    group_text.append(row)
                    group_offset.append(block.offset)
        decision = np.zeros((len(texts), self.coef.shape[0]))
        if not columns:
            return decision
        group = np.repeat(np.arange(len(sizes)), sizes)
        cols = np.asarray(columns, dtype=np.int64) + np.asarray(group_offset, dtype=np.int64)[group]
        tf = np.asarray(counts, dtype=np.float32)
        tf = np.where(self._sublinear[cols], np.log(tf) + np.float32(1.0), tf)
        weights = tf * self._idf[cols]
        norms = np.sqrt(np.bincount(group, weights=weights.astype(np.float64) ** 2))
        weights = weights / norms[group].astype(np.float32)
        text_of = np.asarray(group_text, dtype=np.int64)[group]  # non-decreasing
        # rows of the transposed coefficients are contiguous: one gather per feature
        contributions = self._coef_t[cols] * weights[:, None]
        starts = np.flatnonzero(np.r_[True, text_of[1:] != text_of[:-1]])
        decision[text_of[starts]] = np.add.reduceat(contributions, starts, axis=0, dtype=np.float64)
        return decision

    def __post_init__(self) -> None:
        self._coef_t = np.ascontiguousarray(self.coef.T, dtype=np.float32)
        size = self.coef.shape[1]
        self._idf = np.zeros(size, dtype=np.float32)
        self._sublinear = np.zeros(size, dtype=bool)
        for block in self.blocks:
            span = slice(block.offset, block.offset + len(block.idf))
            self._idf[span] = block.idf
            self._sublinear[span] = block.sublinear

    @classmethod
    def from_model(cls, model: Any) -> CompactModel:
        """The arrays of a fitted ``TaggerModel`` (whose pipeline tagger built)."""
        features, classifier = model.pipeline[0], model.pipeline[-1]
        blocks, offset = [], 0
        for _, vectorizer in features.transformer_list:
            analyzer = vectorizer.analyzer
            if not isinstance(analyzer, WordNgrams):
                analyzer = tuple(vectorizer.ngram_range)
            blocks.append(
                _Block(
                    analyzer,
                    {str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
                    np.asarray(vectorizer.idf_, dtype=np.float64),
                    offset,
                    bool(vectorizer.sublinear_tf),
                )
            )
            offset += len(vectorizer.vocabulary_)
        estimators = getattr(classifier, "estimators_", None)
        if estimators is None:  # single-label
            coef = np.asarray(classifier.coef_, dtype=np.float64)
            intercept = np.asarray(classifier.intercept_, dtype=np.float64)
            softmax = hasattr(classifier, "predict_proba") and coef.shape[0] > 1
        else:  # one-vs-rest: one binary classifier a label (constant ones for constant labels)
            coef = np.zeros((len(estimators), offset))
            intercept = np.zeros(len(estimators))
            for i, estimator in enumerate(estimators):
                if hasattr(estimator, "coef_"):
                    coef[i] = np.ravel(estimator.coef_)
                    intercept[i] = np.ravel(estimator.intercept_)[0]
                else:
                    intercept[i] = 50.0 if np.ravel(estimator.y_)[0] else -50.0
            softmax = False
        return cls(
            list(model.labels),
            model.multi_label,
            dict(model.thresholds),
            blocks,
            coef,
            intercept,
            softmax,
            dict(model.card),
        )

    def to_arrays(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """A JSON-able description and named arrays, to store without pickling."""
        config: dict[str, Any] = {
            "labels": self.labels,
            "multi_label": self.multi_label,
            "thresholds": self.thresholds,
            "softmax": self.softmax,
            "blocks": [],
        }
        arrays = {"coef": self.coef.astype(np.float32), "intercept": self.intercept}
        for i, block in enumerate(self.blocks):
            if isinstance(block.analyzer, WordNgrams):
                tok = block.analyzer.tokenizer
                analyzer = {
                    "words": block.analyzer.n,
                    "user_words": list(tok.user_words),
                    "stop_words": sorted(tok.stop_words),
                    "hmm": tok.hmm,
                }
            else:
                analyzer = {"chars": list(block.analyzer)}
            config["blocks"].append(
                {"analyzer": analyzer, "offset": block.offset, "sublinear": block.sublinear}
            )
            terms = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
            arrays[f"terms{i}"] = np.frombuffer("".join(terms).encode("utf-32-le"), dtype=np.uint32)
            arrays[f"lengths{i}"] = np.fromiter(map(len, terms), dtype=np.int32, count=len(terms))
            arrays[f"idf{i}"] = block.idf
        return config, arrays

    @classmethod
    def from_arrays(
        cls, config: dict[str, Any], arrays: dict[str, np.ndarray], card: dict[str, Any]
    ) -> CompactModel:
        blocks = []
        for i, spec in enumerate(config["blocks"]):
            analyzer = spec["analyzer"]
            if "words" in analyzer:
                tokenizer = JiebaTokenizer(
                    analyzer["user_words"], analyzer["stop_words"], analyzer["hmm"]
                )
                cut: Any = WordNgrams(tokenizer, analyzer["words"])
            else:
                cut = tuple(analyzer["chars"])
            text = arrays[f"terms{i}"].astype("<u4").tobytes().decode("utf-32-le")
            ends = np.cumsum(arrays[f"lengths{i}"]).tolist()
            starts = [0, *ends[:-1]]
            vocabulary = {text[a:b]: column for column, (a, b) in enumerate(zip(starts, ends))}
            blocks.append(
                _Block(cut, vocabulary, arrays[f"idf{i}"], spec["offset"], spec["sublinear"])
            )
        return cls(
            list(config["labels"]),
            bool(config["multi_label"]),
            dict(config["thresholds"]),
            blocks,
            arrays["coef"],
            arrays["intercept"],
            bool(config["softmax"]),
            card,
        )
