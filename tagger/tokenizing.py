"""jieba word tokenization that pickles with a model and never touches jieba's globals.

>>> tok = JiebaTokenizer(user_words=("星际之门",))
>>> "星际之门" in tok("手握星际之门项目")
True
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import math
import re
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jieba
import numpy as np
import opencc
from jieba import finalseg

from .errors import DataError, OutputError
from .files import atomic_write, read_text

__all__ = ["JiebaTokenizer", "normalize"]

_SKIP = re.compile(r"^[\W_]+$")  # whitespace and punctuation-only tokens
_SURROGATES = re.compile("[\ud800-\udfff]")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))  # invisible: dropped
# jieba's own patterns: blocks of words, whitespace, single letters and digits
_HAN, _JIEBA_SKIP, _ENG = jieba.re_han_default, jieba.re_skip_default, jieba.re_eng


def normalize(text: str) -> str:
    """Text as the features see it: zero width characters (U+200B-U+200D, U+2060, U+FEFF)
    dropped, NFKC (full-width to half-width), Traditional Chinese converted to Simplified
    (OpenCC ``t2s``), lower case. Offsets are never taken from it.

    >>> normalize("ＡＩ\u3000雲計算")
    'ai 云计算'
    """
    text = _SURROGATES.sub("\ufffd", text)  # lone ones (from JSON escapes) cannot be encoded
    text = text.translate(_ZERO_WIDTH)  # web copy: 市场\u200b份额 is 市场份额
    return _to_simplified().convert(unicodedata.normalize("NFKC", text)).lower()


@functools.lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


class JiebaTokenizer:
    """Cut text into words with a private ``jieba.Tokenizer``.

    The jieba instance is created on first use, also after unpickling; only the configuration
    (user words, stop words, HMM flag) is pickled, so a saved model carries its dictionary.

    Args:
        user_words: lines of a jieba user dictionary (``word [freq] [tag]``).
        stop_words: words dropped from the output.
        hmm: let jieba's HMM guess words missing from its dictionary. Off by default: the
            character n-grams already see such words, on the benchmark data the models were as
            accurate or better without it, and jieba cuts about 1.4x faster (BENCHMARKS.md).
    """

    def __init__(
        self,
        user_words: Iterable[str] = (),
        stop_words: Iterable[str] = (),
        hmm: bool = False,
    ) -> None:
        self.user_words = tuple(w.strip() for w in user_words if w.strip())
        self.stop_words = frozenset(normalize(w.strip()) for w in stop_words if w.strip())
        self.hmm = hmm
        self._jieba: jieba.Tokenizer | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_files(
        cls,
        user_dict: str | Path | None = None,
        stop_words: str | Path | None = None,
        hmm: bool = False,
    ) -> JiebaTokenizer:
        """Build from a jieba user dictionary file and a stop-word file (one word a line)."""
        words = _dictionary_lines(user_dict) if user_dict else []
        stops = read_text(stop_words).splitlines() if stop_words else []
        return cls(words, stops, hmm)

    def __call__(self, text: str) -> list[str]:
        """Words of ``text``, normalised, without punctuation and stop words."""
        return self.words(normalize(text))

    def words(self, doc: str) -> list[str]:
        """Words of ``doc``, already normalised (see ``normalize``), without punctuation and
        stop words. The words are jieba's (``lcut``), found about 1.7x faster."""
        stops = self.stop_words
        return [
            w
            for w in self.cut(doc)
            if (w.isalnum() or not _SKIP.match(w)) and (not stops or w not in stops)
        ]

    @property
    def jieba(self) -> jieba.Tokenizer:
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    tokenizer = jieba.Tokenizer()
                    freq, total = _main_dictionary()
                    # a private copy when user words will be added to it; read-only otherwise
                    tokenizer.FREQ = dict(freq) if self.user_words else freq
                    tokenizer.total = total
                    tokenizer.initialized = True
                    if self.user_words:
                        entries = "\n".join(_normalize_entry(w) for w in self.user_words)
                        tokenizer.load_userdict(io.StringIO(entries))
                    self._cut = _Cutter(tokenizer.FREQ, tokenizer.total, self.hmm)
                    self._jieba = tokenizer
        return self._jieba

    @property
    def cut(self) -> _Cutter:
        """jieba's ``lcut`` for this tokenizer's dictionary and HMM setting (see ``_Cutter``)."""
        if self._jieba is None:
            self.jieba  # noqa: B018 - builds the cutter with it
        return self._cut

    def config(self) -> dict[str, Any]:
        """What the model card records about this tokenizer."""
        digest = hashlib.sha256("\n".join(self.user_words).encode("utf-8")).hexdigest()
        stops = hashlib.sha256("\n".join(sorted(self.stop_words)).encode("utf-8")).hexdigest()
        return {
            "kind": "jieba",
            "jieba_version": getattr(jieba, "__version__", "unknown"),
            "normalize": "NFKC, Traditional to Simplified (OpenCC t2s), lower case",
            "hmm": self.hmm,
            "user_words": len(self.user_words),
            "user_dict_sha256": digest,
            "stop_words": len(self.stop_words),
            "stop_words_sha256": stops,
        }

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_jieba"] = None
        state.pop("_cut", None)
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"JiebaTokenizer(user_words={len(self.user_words)}, "
            f"stop_words={len(self.stop_words)}, hmm={self.hmm})"
        )


class _Cutter:
    """``jieba.Tokenizer.lcut(text, HMM=hmm)``, the same words found about 1.7x faster.

    jieba builds a dictionary of every word's end positions (``get_DAG``), then finds the most
    probable route through it from right to left (``calc``, a generator and a ``log`` per
    candidate). Here both happen in one right-to-left pass with the log-probabilities of the
    words met cached, candidates taken in jieba's order and ties broken as its ``max`` breaks
    them, so the sums and the route are the same to the bit; runs of single characters go to
    jieba's own HMM (``finalseg.cut``), cached. A test compares the words with jieba's.
    """

    def __init__(self, freq: dict[str, int], total: int, hmm: bool) -> None:
        self.freq = freq
        self.logtotal = math.log(total)
        self.hmm = hmm
        self.logp: dict[str, float] = {}  # word -> log(freq) - log(total); 1.0 for prefixes
        self.unknown: dict[str, list[str]] = {}  # runs of single characters -> HMM words

    def __call__(self, sentence: str) -> list[str]:
        words: list[str] = []
        for block in _HAN.split(sentence):
            if not block:
                continue
            if _HAN.match(block):
                self._block(block, words)
            elif "\r\n" in block:  # jieba keeps these two together
                for part in _JIEBA_SKIP.split(block):
                    words.extend([part] if _JIEBA_SKIP.match(part) else part)
            else:
                words.extend(block)
        return words

    def _block(self, s: str, words: list[str]) -> None:
        freq, logp, logtotal, n = self.freq, self.logp, self.logtotal, len(s)
        score = [0.0] * (n + 1)  # best log-probability of s[k:]
        ends = [0] * (n + 1)  # where the first word of that best route ends
        for k in range(n - 1, -1, -1):
            best = None
            end = k
            i = k
            frag = s[k]
            while i < n:
                w = logp.get(frag)
                if w is None:
                    f = freq.get(frag)
                    if f is None:
                        break
                    w = logp[frag] = math.log(f) - logtotal if f else 1.0
                if w <= 0.0:  # a word, not only a prefix of one
                    total = w + score[i + 1]
                    if best is None or total >= best:
                        best, end = total, i
                i += 1
                frag = s[k : i + 1]
            if best is None:
                best = math.log(freq.get(s[k]) or 1) - logtotal + score[k + 1]
            score[k] = best
            ends[k] = end + 1
        if not self.hmm:
            buf = ""  # single letters and digits, glued together as jieba does
            x = 0
            while x < n:
                y = ends[x]
                word = s[x:y]
                if y - x == 1 and _ENG.match(word):
                    buf += word
                else:
                    if buf:
                        words.append(buf)
                        buf = ""
                    words.append(word)
                x = y
            if buf:
                words.append(buf)
            return
        run = -1  # start of the current run of single characters
        x = 0
        while x < n:
            y = ends[x]
            if y - x == 1:
                if run < 0:
                    run = x
            else:
                if run >= 0:
                    self._single_run(s[run:x], words)
                    run = -1
                words.append(s[x:y])
            x = y
        if run >= 0:
            self._single_run(s[run:], words)

    def _single_run(self, run: str, words: list[str]) -> None:
        if len(run) == 1:
            words.append(run)
        elif self.freq.get(run):
            words.extend(run)
        else:
            found = self.unknown.get(run)
            if found is None:
                if len(self.unknown) > 100_000:
                    self.unknown.clear()
                found = self.unknown[run] = list(finalseg.cut(run))
            words.extend(found)


@functools.lru_cache(maxsize=1)
def _main_dictionary() -> tuple[dict[str, int], int]:
    """jieba's main dictionary (its prefix dictionary and total), loaded once per process and
    shared read-only.

    jieba's ``initialize`` builds it from ``dict.txt`` and caches it with marshal in the
    temporary directory, logging "Building prefix dict..." on stderr; tagger builds it from
    ``dict.txt`` itself (``gen_pfdict``, about 0.45 s, without jieba's cache or messages) and
    keeps its own cache as arrays (about 0.15 s), in the tagger home directory, keyed by the
    jieba version and the dictionary file's size and time; writing one removes all but the
    most recent ``DICTIONARY_CACHES`` (``_prune_caches``). No pickle is involved, and nothing is
    written to the temporary directory nor to jieba's logger.
    """
    from .trust import home

    source = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    stat = source.stat()
    key = f"{getattr(jieba, '__version__', '0')}-{stat.st_size}-{int(stat.st_mtime)}"
    cache = home() / "cache" / f"jieba-dict-{key}.npz"
    with (
        contextlib.suppress(OSError, ValueError, KeyError),
        np.load(cache, allow_pickle=False) as data,
    ):
        words = data["words"].tobytes().decode("utf-32-le").split("\n")
        return dict(zip(words, data["freqs"].tolist())), int(data["total"])
    with open(source, "rb") as handle:
        freq, total = jieba.Tokenizer.gen_pfdict(handle)
    with contextlib.suppress(OSError, OutputError):  # no cache then: built again next time
        words = "\n".join(freq).encode("utf-32-le")
        with atomic_write(cache, "wb") as handle:
            np.savez(
                handle,
                words=np.frombuffer(words, dtype=np.uint32),
                freqs=np.fromiter(freq.values(), dtype=np.int64),
                total=np.int64(total),
            )
        _prune_caches(cache)
    return freq, total


DICTIONARY_CACHES = 3
"""Dictionary caches (about 11 MB each) kept in the tagger home: the one just written and the
most recently written others, so that a few installs sharing the home (each jieba install has
a key of its own: another version, or the same one installed at another time) do not remove
each other's cache on every start."""
_CACHE_NAME = re.compile(r"jieba-dict-[^/]+-\d+-\d+\.npz")  # _main_dictionary's, never another's


def _prune_caches(cache: Path) -> None:
    """Remove tagger's dictionary caches beside ``cache`` (which was just written) but the
    ``DICTIONARY_CACHES`` most recent: files named as ``_main_dictionary`` names them, nothing
    else. Never raises: a cache that cannot be removed stays."""

    def written(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    try:
        others = [
            path
            for path in cache.parent.iterdir()
            if path.name != cache.name and _CACHE_NAME.fullmatch(path.name) and path.is_file()
        ]
    except OSError:
        return
    for path in sorted(others, key=written, reverse=True)[DICTIONARY_CACHES - 1 :]:
        with contextlib.suppress(OSError):
            path.unlink()


def _normalize_entry(line: str) -> str:
    """A user-dictionary line with its word normalised like the text it will meet."""
    word, _, rest = line.partition(" ")
    return f"{normalize(word)} {rest}".strip()


def _dictionary_lines(path: str | Path) -> list[str]:
    lines = []
    for number, line in enumerate(read_text(path).splitlines(), 1):
        parts = line.split()
        if not parts or line.lstrip().startswith("#"):
            continue
        if len(parts) > 3 or (len(parts) >= 2 and not parts[1].isdigit()):
            raise DataError(
                f"not a jieba dictionary line: {line.strip()!r}",
                path=path,
                line=number,
                hint="write 'word', 'word frequency' or 'word frequency tag', one per line",
            )
        lines.append(" ".join(parts))
    return lines
