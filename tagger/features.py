"""Features of texts: jieba words with their n-grams, and character n-grams, each block
weighted by TF-IDF (sublinear term frequency, smoothed idf, unit length per block).

A text is normalised once and cut once. Word terms are looked up in a dictionary by loops that
run in C (``map``); character n-grams never become strings: an n-gram is the number its code
points spell in base ``BASE``, so a batch of texts is cut into n-grams, counted and looked up
with numpy alone. No scikit-learn here, so scoring (``tagger.inference``) starts fast;
training wraps ``FeatureSpace.fit`` in a scikit-learn transformer (``tagger.model``).

>>> space = FeatureSpace(Analyzer(JiebaTokenizer(), word_ngrams=2, char_ngrams=(1, 2)))
>>> space.fit(["AI芯片", "芯片出口"]).shape
(2, 16)
>>> space.words
{'ai': 0, '芯片': 1, 'ai 芯片': 2, '出口': 3, '芯片 出口': 4}
>>> [space.term(c) for c in space.transform(["芯片"]).indices]
['芯片', '片', '芯', '芯片']
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, compress, count, repeat
from typing import Any, NamedTuple

import numpy as np
from scipy import sparse

from . import parallel
from .errors import DataError
from .tokenizing import JiebaTokenizer, normalize

__all__ = ["BASE", "Analyzer", "FeatureSpace", "char_codes", "word_grams"]

BATCH = 2048  # texts counted together: bounds the memory held by their terms
PARALLEL_MIN = 4 * BATCH  # fewer texts than this are analysed in this process
BASE = 0x110001  # one more than the code points: a character n-gram is a number in this base
MAX_CHAR_N = 3  # BASE**3 still fits in 63 bits
_WHITE_SPACES = re.compile(r"\s+")

Triplets = tuple[np.ndarray, np.ndarray, np.ndarray]  # rows, columns (or codes), counts
Lookup = Callable[[Iterable[str]], Iterator[int]]  # terms -> their columns (-1: unknown)
_NO_CODES = np.zeros(0, dtype=np.int64)
_NO_TRIPLETS: Triplets = (np.zeros(0, np.int32), _NO_CODES, np.zeros(0, np.int32))


class _Batch(NamedTuple):
    """A batch of texts analysed and counted (in a worker, or here). With a known vocabulary
    (``transform``) its terms are columns already; otherwise (``fit``) they are numbered within
    the batch, and the batch names them."""

    words: Triplets  # (row, column or number of the term in ``terms``, count)
    chars: Triplets  # (row, column or number of the code in ``codes``, count)
    terms: str = ""  # fit: the distinct word terms, joined by newlines (one string: cheap to send)
    codes: np.ndarray = _NO_CODES  # fit: the distinct character n-gram codes, sorted


def word_grams(words: Sequence[str], n: int) -> list[str]:
    """The words and their n-grams up to ``n``, joined by a space.

    >>> word_grams(["人工智能", "芯片", "出口"], 2)
    ['人工智能', '芯片', '出口', '人工智能 芯片', '芯片 出口']
    """
    terms = list(words)
    for size in range(2, n + 1):
        terms.extend(map(" ".join, zip(*(words[i:] for i in range(size)))))
    return terms


def char_codes(docs: Sequence[str], low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, code) of every character n-gram of ``docs`` from ``low`` to ``high`` (at most
    ``MAX_CHAR_N``) characters; ``docs`` must hold no newline (``Analyzer`` gives such docs).

    >>> rows, codes = char_codes(["云计算", "芯片"], 2, 2)
    >>> rows.tolist(), [decode(c) for c in codes]
    ([0, 0, 1], ['云计', '计算', '芯片'])
    """
    joined = "\n".join(docs).encode("utf-32-le", "surrogatepass")
    points = np.frombuffer(joined, dtype=np.uint32).astype(np.int64) + 1
    breaks = points == ord("\n") + 1  # between two docs
    row = np.cumsum(breaks)  # of each position that is not a break
    rows, codes = [], []
    code, valid = points, ~breaks
    for n in range(1, high + 1):
        if n > 1:  # each (n-1)-gram and the character after it
            code = code[:-1] * BASE + points[n - 1 :]
            valid = valid[:-1] & ~breaks[n - 1 :]
        if n >= low:
            rows.append(row[: len(code)][valid])
            codes.append(code[valid])
    return np.concatenate(rows), np.concatenate(codes)


def decode(code: int) -> str:
    """The character n-gram a code stands for.

    >>> decode(ord("云") + 1)
    '云'
    """
    chars = []
    code = int(code)
    while code:
        code, point = divmod(code, BASE)
        chars.append(chr(point - 1))
    return "".join(reversed(chars))


class Analyzer:
    """Cuts a text into word terms (words and word n-grams) and the document its character
    n-grams are taken from.

    Args:
        tokenizer: cuts the normalised text into words.
        word_ngrams: word n-grams up to this length (1: single words only; 0: no word block,
            texts are not cut into words).
        char_ngrams: character n-grams of these lengths (low, high), high at most 3; None: no
            character block.

    >>> Analyzer(JiebaTokenizer(), word_ngrams=0)("AI芯片")
    ([], 'ai芯片')
    """

    def __init__(
        self,
        tokenizer: JiebaTokenizer,
        word_ngrams: int = 2,
        char_ngrams: tuple[int, int] | None = (1, 3),
    ) -> None:
        if char_ngrams and not 1 <= char_ngrams[0] <= char_ngrams[1] <= MAX_CHAR_N:
            raise ValueError("char_ngrams must be (low, high) with 1 <= low <= high <= 3")
        if word_ngrams < 0 or not (word_ngrams or char_ngrams):
            raise ValueError("word_ngrams must be 0 or more, and above 0 without char_ngrams")
        self.tokenizer = tokenizer
        self.word_ngrams = word_ngrams
        self.char_ngrams = tuple(char_ngrams) if char_ngrams else None

    def __call__(self, text: str) -> tuple[list[str], str]:
        """Word terms, and the normalised text with runs of whitespace made one space."""
        doc = normalize(text)
        if not self.word_ngrams:
            return [], _WHITE_SPACES.sub(" ", doc)
        return word_grams(self.tokenizer.words(doc), self.word_ngrams), _WHITE_SPACES.sub(" ", doc)

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
    """The word vocabulary, the known character n-grams (sorted codes) and the idf weights
    of an ``Analyzer``'s features: texts in, TF-IDF matrix out (float32). Word columns come
    first, then character columns in the order of their codes."""

    _names: list[str] | None = None  # the words by column, listed when first needed

    def __init__(
        self,
        analyzer: Analyzer,
        words: dict[str, int] | None = None,
        chars: np.ndarray | None = None,
        idf: np.ndarray | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.words = words if words is not None else {}
        self.chars = chars if chars is not None else np.zeros(0, dtype=np.int64)
        self.idf = idf if idf is not None else np.zeros(0)

    @property
    def n_features(self) -> int:
        return len(self.words) + len(self.chars)

    def term(self, column: int) -> str:
        """The term of a column (see ``terms``)."""
        return self.terms([column])[0]

    def terms(self, columns: Iterable[int]) -> list[str]:
        """The terms of ``columns``: words and word n-grams (words joined by a space), then
        character n-grams. The first call lists the words by column (0.03 s for TNEWS' 372,000)."""
        if self._names is None:
            self._names = sorted(self.words, key=self.words.__getitem__)
        names, n = self._names, len(self._names)
        return [names[c] if c < n else decode(self.chars[c - n]) for c in columns]

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_names": None}  # made again when needed: not pickled

    def fit(self, texts: Sequence[str], min_df: int = 1, jobs: int = 1) -> sparse.csr_matrix:
        """Learn the vocabularies (terms in at least ``min_df`` texts) and idf weights from
        ``texts`` and return their TF-IDF matrix; ``jobs`` processes analyse the texts. DataError
        when no term is left."""
        growing: defaultdict[str, int] = defaultdict()
        growing.default_factory = growing.__len__  # a new term gets the next column
        word_parts, batches = [], []
        for batch in self._batches(texts, jobs, known=False):
            word_parts.append(_columns(batch, _numbering(growing)))
            batches.append((batch.chars, batch.codes))
        words, vocabulary = _concatenated(word_parts), dict(growing)
        del growing, word_parts
        chars = _union([codes for _, codes in batches])
        char_parts = []
        for (rows, ids, counts), codes in batches:
            char_parts.append((rows, np.searchsorted(chars, codes)[ids], counts))
        del batches
        words, word_df, keep = _pruned(words, len(vocabulary), min_df)
        if keep is not None:  # the terms are in the order of their columns
            vocabulary = dict(zip(compress(vocabulary, keep.tolist()), count()))
        char_triplets, char_df, keep = _pruned(_concatenated(char_parts), len(chars), min_df)
        if keep is not None:
            chars = chars[keep]
        if not vocabulary and not len(chars):
            raise DataError(
                f"no term is found in {min_df} or more of the {len(texts)} texts",
                hint="lower --min-df (below the number of training texts)",
            )
        self.words, self.chars, self._names = vocabulary, chars, None
        df = np.concatenate([word_df, char_df])
        self.idf = np.log((1 + len(texts)) / (1 + df)) + 1.0
        return self._matrix(words, char_triplets, len(texts))

    def transform(self, texts: Sequence[str], jobs: int = 1) -> sparse.csr_matrix:
        """The TF-IDF matrix of ``texts``; terms not in the vocabularies are left out."""
        batches = list(self._batches(texts, jobs, known=True))
        words = _concatenated([batch.words for batch in batches])
        chars = _concatenated([batch.chars for batch in batches])
        return self._matrix(words, chars, len(texts))

    def _batches(self, texts: Sequence[str], jobs: int, known: bool) -> Iterator[_Batch]:
        """``texts`` analysed and counted a batch at a time, by ``jobs`` worker processes
        when there are many (see ``parallel.imap``); ``known``: look the terms up in this
        space's vocabularies (see ``_count_batch``)."""
        batches = [(s, texts[s : s + BATCH]) for s in range(0, len(texts), BATCH)]
        jobs = jobs if len(texts) >= PARALLEL_MIN else 1
        if jobs > 1:
            self.analyzer.tokenizer.cut  # noqa: B018 - load the dictionary once, before forking
        state = (self.analyzer, self if known else None)
        with _collector_paused():
            yield from parallel.imap(_count_batch, state, batches, jobs)

    def _matrix(self, words: Triplets, chars: Triplets, n_rows: int) -> sparse.csr_matrix:
        """Sublinear TF times idf, each block of each row scaled to unit length, as a matrix."""
        rows_all, cols_all, values_all = [], [], []
        for (rows, cols, counts), offset in ((words, 0), (chars, len(self.words))):
            cols = cols.astype(np.int64) + offset
            values = (np.log(counts) + 1.0) * self.idf[cols]
            norms = np.sqrt(np.bincount(rows, weights=values**2))
            rows_all.append(rows)
            cols_all.append(cols)
            values_all.append((values / norms[rows]).astype(np.float32))
        coo = sparse.coo_matrix(
            (np.concatenate(values_all), (np.concatenate(rows_all), np.concatenate(cols_all))),
            shape=(n_rows, self.n_features),
        )
        return coo.tocsr()

    def to_arrays(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """A JSON-able description and named arrays, stored without pickling."""
        terms = self.terms(range(len(self.words)))
        arrays = {
            "word_terms": np.frombuffer(
                "".join(terms).encode("utf-32-le", "surrogatepass"), dtype=np.uint32
            ),
            "word_lengths": np.fromiter(map(len, terms), dtype=np.int32, count=len(terms)),
            "char_codes": self.chars,
            "idf": self.idf,
        }
        return {"analyzer": self.analyzer.config()}, arrays

    @classmethod
    def from_arrays(cls, config: dict[str, Any], arrays: dict[str, np.ndarray]) -> FeatureSpace:
        text = arrays["word_terms"].astype("<u4").tobytes().decode("utf-32-le", "surrogatepass")
        ends = np.cumsum(arrays["word_lengths"]).tolist()
        terms = map(text.__getitem__, map(slice, [0, *ends[:-1]], ends))
        return cls(
            Analyzer.from_config(config["analyzer"]),
            dict(zip(terms, range(len(ends)))),
            np.asarray(arrays["char_codes"], dtype=np.int64),
            np.asarray(arrays["idf"], dtype=np.float64),
        )


def _count_batch(
    state: tuple[Analyzer, FeatureSpace | None], batch: tuple[int, Sequence[str]]
) -> _Batch:
    """Analyse a batch of texts (rows from ``start``) and count its terms, in the columns of
    ``space`` if given (its unknown terms left out), else numbered within the batch."""
    analyzer, space = state
    start, texts = batch
    analyzed = [analyzer(t) for t in texts]
    docs = [terms for terms, _ in analyzed]
    if space is None:
        local: defaultdict[str, int] = defaultdict()
        local.default_factory = local.__len__
        words = _triplets(docs, start, _numbering(local))
        names = "\n".join(local)
    else:
        words, names = _triplets(docs, start, _looking_up(space.words)), ""
    if not analyzer.char_ngrams:
        return _Batch(words, _NO_TRIPLETS, names)
    rows, codes = char_codes([doc for _, doc in analyzed], *analyzer.char_ngrams)
    codes, ids = np.unique(codes, return_inverse=True)
    if space is None:
        return _Batch(words, _counted(rows, ids, start), names, codes)
    return _Batch(words, _counted(rows, _positions(space.chars, codes)[ids], start))


def _triplets(docs: list[list[str]], start: int, lookup: Lookup) -> Triplets:
    """(row, column, count) of the terms of ``docs`` (rows from ``start``, columns from
    ``lookup``, unknown terms left out), sorted by row then column."""
    size = sum(map(len, docs))
    ids = np.fromiter(lookup(chain.from_iterable(docs)), dtype=np.int64, count=size)
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    return _counted(np.repeat(np.arange(len(docs), dtype=np.int64), lengths), ids, start)


def _counted(rows: np.ndarray, ids: np.ndarray, start: int) -> Triplets:
    """(row + start, id, count) of each distinct (row, id) pair with an id of at least 0,
    sorted by row then id."""
    known = ids >= 0
    rows, ids = rows[known], ids[known]
    width = int(ids.max(initial=0)) + 1
    keys, counts = np.unique(rows * width + ids, return_counts=True)
    return (keys // width + start).astype(np.int32), keys % width, counts.astype(np.int32)


def _positions(known: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Where each of the sorted ``codes`` is in the sorted array ``known``; -1 if absent."""
    at = np.searchsorted(known, codes)
    found = at < len(known)
    found[found] = known[at[found]] == codes[found]
    return np.where(found, at, -1)


def _union(parts: list[np.ndarray]) -> np.ndarray:
    """The distinct values of sorted arrays, sorted (a stable sort merges sorted runs)."""
    if not parts:
        return _NO_CODES
    values = np.concatenate(parts)  # a new array, sorted in place
    values.sort(kind="stable")
    keep = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _columns(batch: _Batch, lookup: Lookup) -> Triplets:
    """A batch's word triplets (from ``fit``) with each term's column in the whole."""
    terms = batch.terms.split("\n") if batch.terms else []
    rows, ids, counts = batch.words
    return rows, np.fromiter(lookup(terms), dtype=np.int64, count=len(terms))[ids], counts


def _concatenated(parts: list[Triplets]) -> Triplets:
    if not parts:
        return _NO_TRIPLETS
    rows, cols, counts = zip(*parts)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(counts)


def _pruned(
    triplets: Triplets, size: int, min_df: int
) -> tuple[Triplets, np.ndarray, np.ndarray | None]:
    """Triplets of the columns found in at least ``min_df`` rows, renumbered; their document
    frequencies; which of the ``size`` columns are kept (None: all)."""
    rows, cols, counts = triplets
    df = np.bincount(cols, minlength=size)
    if min_df <= 1:
        return triplets, df, None
    keep = df >= min_df
    new = np.cumsum(keep) - 1
    kept = keep[cols]
    return (rows[kept], new[cols[kept]], counts[kept]), df[keep], keep


def _numbering(vocabulary: defaultdict[str, int]) -> Lookup:
    """The columns of terms, new terms numbered on (``vocabulary`` numbers missing keys)."""
    return lambda terms: map(vocabulary.__getitem__, terms)


def _looking_up(vocabulary: dict[str, int]) -> Lookup:
    """The columns of terms, -1 for unknown ones."""
    return lambda terms: map(vocabulary.get, terms, repeat(-1))


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
