"""Features of texts: jieba words with their n-grams, and character n-grams, each block
weighted by TF-IDF (sublinear term frequency, smoothed idf, unit length per block).

A text is normalised once and cut once; its terms are made, looked up and counted by loops
that run in C (``map`` over ``dict`` and ``str`` methods, numpy), a batch of texts at a time.
No scikit-learn here, so scoring (``tagger.inference``) starts fast; training wraps
``FeatureSpace.fit`` in a scikit-learn transformer (``tagger.model.TfidfFeatures``).

>>> space = FeatureSpace(Analyzer(JiebaTokenizer(), word_ngrams=2, char_ngrams=(1, 2)))
>>> space.fit(["AI芯片", "芯片出口"]).shape
(2, 16)
>>> space.vocabularies[0]
{'ai': 0, '芯片': 1, 'ai 芯片': 2, '出口': 3, '芯片 出口': 4}
>>> [space.term(c) for c in space.transform(["芯片"]).indices]
['芯片', '芯', '片', '芯片']
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, repeat
from operator import add
from typing import Any

import numpy as np
from scipy import sparse

from .tokenizing import JiebaTokenizer, normalize

__all__ = ["Analyzer", "FeatureSpace", "available_cores", "char_grams", "word_grams"]

BATCH = 2048  # texts counted together: bounds the memory held by their terms
PARALLEL_MIN = 4 * BATCH  # fewer texts than this are cut in this process
Triplets = tuple[np.ndarray, np.ndarray, np.ndarray]  # rows, columns, counts
Lookup = Callable[[Iterable[str]], Iterator[int]]  # terms -> their columns (-1: unknown)
_WHITE_SPACES = re.compile(r"\s+")


def word_grams(words: Sequence[str], n: int) -> list[str]:
    """The words and their n-grams up to ``n``, joined by a space.

    >>> word_grams(["人工智能", "芯片", "出口"], 2)
    ['人工智能', '芯片', '出口', '人工智能 芯片', '芯片 出口']
    """
    terms = list(words)
    for size in range(2, n + 1):
        terms.extend(map(" ".join, zip(*(words[i:] for i in range(size)))))
    return terms


def char_grams(doc: str, low: int, high: int) -> list[str]:
    """Character n-grams of ``doc`` from ``low`` to ``high`` characters, runs of whitespace
    read as one space.

    >>> char_grams("云 计算", 1, 2)
    ['云', ' ', '计', '算', '云 ', ' 计', '计算']
    """
    doc = _WHITE_SPACES.sub(" ", doc)
    terms: list[str] = []
    grams: list[str] = list(doc)
    for n in range(1, high + 1):
        if n > 1:  # each (n-1)-gram and the character after it
            grams = list(map(add, grams, doc[n - 1 :]))
        if n >= low:
            terms.extend(grams)
    return terms


class Analyzer:
    """The terms of a text, one list a block: [words and word n-grams, character n-grams].

    Args:
        tokenizer: cuts the normalised text into words.
        word_ngrams: word n-grams up to this length (1: single words only).
        char_ngrams: character n-grams of these lengths (low, high); None: no character block.
    """

    def __init__(
        self,
        tokenizer: JiebaTokenizer,
        word_ngrams: int = 2,
        char_ngrams: tuple[int, int] | None = (1, 3),
    ) -> None:
        self.tokenizer = tokenizer
        self.word_ngrams = word_ngrams
        self.char_ngrams = tuple(char_ngrams) if char_ngrams else None

    @property
    def blocks(self) -> int:
        return 2 if self.char_ngrams else 1

    def __call__(self, text: str) -> list[list[str]]:
        doc = normalize(text)
        return self.terms(doc, self.tokenizer.words(doc))

    def terms(self, doc: str, words: Sequence[str]) -> list[list[str]]:
        """The blocks' terms of a normalised ``doc`` already cut into ``words``."""
        blocks = [word_grams(words, self.word_ngrams)]
        if self.char_ngrams:
            blocks.append(char_grams(doc, *self.char_ngrams))
        return blocks

    def config(self) -> dict[str, Any]:
        """A JSON-able description (``from_config`` rebuilds the analyzer)."""
        tok = self.tokenizer
        return {
            "word_ngrams": self.word_ngrams,
            "char_ngrams": list(self.char_ngrams) if self.char_ngrams else None,
            "user_words": list(tok.user_words),
            "stop_words": sorted(tok.stop_words),
            "hmm": tok.hmm,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Analyzer:
        tokenizer = JiebaTokenizer(config["user_words"], config["stop_words"], config["hmm"])
        chars = config["char_ngrams"]
        return cls(tokenizer, int(config["word_ngrams"]), tuple(chars) if chars else None)


class FeatureSpace:
    """The vocabulary and idf weights of every block of an ``Analyzer``: texts in, TF-IDF
    matrix out (float32), the columns of block ``b`` from ``offsets[b]``."""

    def __init__(
        self,
        analyzer: Analyzer,
        vocabularies: list[dict[str, int]] | None = None,
        idf: list[np.ndarray] | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.vocabularies = vocabularies or []
        self.idf = idf or []

    @property
    def offsets(self) -> list[int]:
        return [0, *np.cumsum([len(v) for v in self.vocabularies]).tolist()][:-1]

    @property
    def n_features(self) -> int:
        return sum(len(v) for v in self.vocabularies)

    def term(self, column: int) -> str:
        """The term of a column (slow: for reports and tests)."""
        for vocabulary, offset in zip(self.vocabularies, self.offsets):
            if column < offset + len(vocabulary):
                return next(t for t, c in vocabulary.items() if c == column - offset)
        raise IndexError(column)

    def fit(self, texts: Sequence[str], min_df: int = 1, jobs: int = 1) -> sparse.csr_matrix:
        """Learn the vocabularies (terms in at least ``min_df`` texts) and idf weights from
        ``texts`` and return their TF-IDF matrix; ``jobs`` processes analyse the texts."""
        growing: list[defaultdict[str, int]] = []
        for _ in range(self.analyzer.blocks):
            vocabulary: defaultdict[str, int] = defaultdict()
            vocabulary.default_factory = vocabulary.__len__  # a new term gets the next column
            growing.append(vocabulary)
        counted = self._count(texts, [_numbering(v) for v in growing], jobs)
        self.vocabularies, self.idf = [], []
        for b, (rows, cols, counts) in enumerate(counted):
            df = np.bincount(cols, minlength=len(growing[b]))
            vocabulary = dict(growing[b])
            growing[b].clear()
            if min_df > 1:
                keep = df >= min_df
                new = np.cumsum(keep) - 1
                kept = keep[cols]
                counted[b] = rows[kept], new[cols[kept]].astype(np.int32), counts[kept]
                vocabulary = {t: int(new[c]) for t, c in vocabulary.items() if keep[c]}
                df = df[keep]
            self.vocabularies.append(vocabulary)
            self.idf.append(np.log((1 + len(texts)) / (1 + df)) + 1.0)
        return self._matrix(counted, len(texts))

    def transform(self, texts: Sequence[str], jobs: int = 1) -> sparse.csr_matrix:
        """The TF-IDF matrix of ``texts``; terms not in the vocabularies are left out."""
        lookups = [_looking_up(v) for v in self.vocabularies]
        return self._matrix(self._count(texts, lookups, jobs), len(texts))

    def _count(self, texts: Sequence[str], lookups: list[Any], jobs: int) -> list[Triplets]:
        """(row, column, count) of every block's terms in ``texts``, columns from ``lookups``
        (-1: unknown). Batches are analysed and counted in ``jobs`` processes when there are
        many texts; then only each batch's distinct terms are looked up here."""
        batches = [(s, texts[s : s + BATCH]) for s in range(0, len(texts), BATCH)]
        with _collector_paused():
            if jobs <= 1 or len(texts) < PARALLEL_MIN:
                parts: list[list[Triplets]] = [[] for _ in lookups]
                for start, batch in batches:
                    analyzed = [self.analyzer(t) for t in batch]
                    for b, lookup in enumerate(lookups):
                        parts[b].append(_triplets([terms[b] for terms in analyzed], start, lookup))
                return [tuple(map(np.concatenate, zip(*part))) for part in parts]
            self.analyzer.tokenizer.cut  # noqa: B018 - load the dictionary once, before forking
            with process_pool(jobs, _start_worker, (self.analyzer,)) as pool:
                return _merge(pool.imap(_worker_count_batch, batches), lookups)

    def _matrix(self, counted: list[Triplets], n_rows: int) -> sparse.csr_matrix:
        """Sublinear TF times idf, each block of each row scaled to unit length, as a matrix."""
        rows_all, cols_all, values_all = [], [], []
        for (rows, cols, counts), idf, offset in zip(counted, self.idf, self.offsets):
            values = (np.log(counts) + 1.0) * idf[cols]
            norms = np.sqrt(np.bincount(rows, weights=values**2))
            rows_all.append(rows)
            cols_all.append(cols + offset)
            values_all.append((values / norms[rows]).astype(np.float32))
        coo = sparse.coo_matrix(
            (np.concatenate(values_all), (np.concatenate(rows_all), np.concatenate(cols_all))),
            shape=(n_rows, self.n_features),
        )
        return coo.tocsr()

    def to_arrays(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """A JSON-able description and named arrays, stored without pickling."""
        arrays = {}
        for b, vocabulary in enumerate(self.vocabularies):
            terms = sorted(vocabulary, key=vocabulary.__getitem__)
            arrays[f"terms{b}"] = np.frombuffer("".join(terms).encode("utf-32-le"), dtype=np.uint32)
            arrays[f"lengths{b}"] = np.fromiter(map(len, terms), dtype=np.int32, count=len(terms))
            arrays[f"idf{b}"] = self.idf[b]
        return {"analyzer": self.analyzer.config(), "blocks": len(self.vocabularies)}, arrays

    @classmethod
    def from_arrays(cls, config: dict[str, Any], arrays: dict[str, np.ndarray]) -> FeatureSpace:
        vocabularies, idf = [], []
        for b in range(int(config["blocks"])):
            text = arrays[f"terms{b}"].astype("<u4").tobytes().decode("utf-32-le")
            ends = np.cumsum(arrays[f"lengths{b}"]).tolist()
            terms = map(text.__getitem__, map(slice, [0, *ends[:-1]], ends))
            vocabularies.append(dict(zip(terms, range(len(ends)))))
            idf.append(np.asarray(arrays[f"idf{b}"], dtype=np.float64))
        return cls(Analyzer.from_config(config["analyzer"]), vocabularies, idf)


_Local = tuple[str, np.ndarray, np.ndarray, np.ndarray]  # distinct terms, rows, ids, counts


def _triplets(docs: list[list[str]], start: int, lookup: Lookup) -> Triplets:
    """(row, column, count) of the terms of ``docs`` (rows from ``start``, columns from
    ``lookup``, unknown terms left out), sorted by row then column."""
    size = sum(map(len, docs))
    ids = np.fromiter(lookup(chain.from_iterable(docs)), dtype=np.int64, count=size)
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    rows = np.repeat(np.arange(start, start + len(docs), dtype=np.int64), lengths)
    known = ids >= 0
    width = int(ids.max(initial=0)) + 1
    keys, counts = np.unique(rows[known] * width + ids[known], return_counts=True)
    return (keys // width).astype(np.int32), (keys % width).astype(np.int32), counts


def _count_batch(analyzer: Analyzer, batch: tuple[int, Sequence[str]]) -> list[_Local]:
    """In a worker: analyse a batch of texts (rows from ``start``) and count each block's
    terms numbered within the batch; return its distinct terms joined by newlines (one string,
    cheap to send; terms never hold one) and the (row, term number, count) triplets."""
    start, texts = batch
    analyzed = [analyzer(t) for t in texts]
    counted = []
    for b in range(analyzer.blocks):
        local: defaultdict[str, int] = defaultdict()
        local.default_factory = local.__len__
        rows, ids, counts = _triplets([terms[b] for terms in analyzed], start, _numbering(local))
        counted.append(("\n".join(local), rows, ids, counts))
    return counted


def _merge(batches: Iterable[list[_Local]], lookups: list[Any]) -> list[Triplets]:
    """The batches' counts with each term's column in the whole (``lookups``; -1: unknown)."""
    parts: list[list[Triplets]] = [[] for _ in lookups]
    for counted in batches:
        for part, lookup, (joined, rows, ids, counts) in zip(parts, lookups, counted):
            terms = joined.split("\n") if joined else []
            columns = np.fromiter(lookup(terms), dtype=np.int64, count=len(terms))[ids]
            known = columns >= 0
            part.append(
                (rows[known].astype(np.int32), columns[known].astype(np.int32), counts[known])
            )
    empty = (np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int32))
    return [tuple(map(np.concatenate, zip(*part))) if part else empty for part in parts]


def _numbering(vocabulary: defaultdict[str, int]) -> Lookup:
    """The columns of terms, new terms numbered on (``vocabulary`` numbers missing keys)."""
    return lambda terms: map(vocabulary.__getitem__, terms)


def _looking_up(vocabulary: dict[str, int]) -> Lookup:
    """The columns of terms, -1 for unknown ones."""
    return lambda terms: map(vocabulary.get, terms, repeat(-1))


_analyzer: Analyzer | None = None


def _start_worker(analyzer: Analyzer) -> None:
    global _analyzer
    _analyzer = analyzer


def _worker_count_batch(batch: tuple[int, Sequence[str]]) -> list[_Local]:
    assert _analyzer is not None
    return _count_batch(_analyzer, batch)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off for a while: counting makes many short-lived lists (no
    cycles among them) and collections would walk every object alive (up to 1.3x slower)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def available_cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def process_pool(jobs: int, initializer: Any, initargs: tuple[Any, ...]) -> Any:
    """A pool of ``jobs`` worker processes, forked where the platform can (so they share the
    loaded model and dictionary), each started with ``initializer(*initargs)``."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return multiprocessing.get_context(method).Pool(jobs, initializer, initargs)
