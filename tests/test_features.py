"""The feature space: terms, counting, pruning, and the same matrix from any number of jobs."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tagger import features
from tagger.features import Analyzer, FeatureSpace, char_codes, decode
from tagger.tokenizing import JiebaTokenizer

from .conftest import CORPUS

TEXTS = [text for texts in CORPUS.values() for text in texts]


def plain_char_grams(doc: str, low: int, high: int) -> list[str]:
    """The definition: every substring of ``low`` to ``high`` characters."""
    return [doc[i : i + n] for n in range(low, high + 1) for i in range(len(doc) - n + 1)]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(st.characters(blacklist_characters="\n"), max_size=12), max_size=5),
    st.integers(1, 3),
    st.integers(0, 2),
)
def test_character_codes_are_the_n_grams_of_each_doc(docs, low, extra):
    high = min(low + extra, 3)
    rows, codes = char_codes(docs, low, high)
    found = Counter(zip(rows.tolist(), map(decode, codes)))
    expected = Counter(
        (r, g) for r, doc in enumerate(docs) for g in plain_char_grams(doc, low, high)
    )
    assert found == expected


def test_analyzer_gives_word_terms_and_one_spaced_text():
    terms, doc = Analyzer(JiebaTokenizer())("ＡＩ芯片\n\n  出口")
    assert terms == ["ai", "芯片", "出口", "ai 芯片", "芯片 出口"]
    assert doc == "ai芯片 出口"
    with pytest.raises(ValueError, match="char_ngrams"):
        Analyzer(JiebaTokenizer(), char_ngrams=(1, 4))


class _NoCutting(JiebaTokenizer):
    def words(self, doc: str) -> list[str]:
        raise AssertionError("a model without a word block cut a text into words")


def test_word_ngrams_0_gives_character_features_only_without_cutting_texts():
    space = FeatureSpace(Analyzer(_NoCutting(), word_ngrams=0, char_ngrams=(1, 2)))
    matrix = space.fit(["AI芯片", "芯片出口"])
    assert space.words == {}
    assert {space.term(c) for c in range(space.n_features)} == {
        *"ai芯片出口",
        "ai",
        "i芯",
        "芯片",
        "片出",
        "出口",
    }
    assert np.allclose(np.linalg.norm(matrix.toarray(), axis=1), 1.0)
    assert space.transform(["芯片"]).nnz == 3
    with pytest.raises(ValueError, match="word_ngrams"):
        Analyzer(JiebaTokenizer(), word_ngrams=0, char_ngrams=None)
    with pytest.raises(ValueError, match="word_ngrams"):
        Analyzer(JiebaTokenizer(), word_ngrams=-1)


def test_weights_are_sublinear_tf_idf_with_unit_length_blocks():
    space = FeatureSpace(Analyzer(JiebaTokenizer(), word_ngrams=1, char_ngrams=(1, 1)))
    matrix = space.fit(["芯片芯片芯片", "云计算"]).toarray()
    words, chars = matrix[:, : len(space.words)], matrix[:, len(space.words) :]
    assert np.allclose(np.linalg.norm(words, axis=1), 1.0)
    assert np.allclose(np.linalg.norm(chars, axis=1), 1.0)
    # "芯" and "片" three times each in the first text: equal weights, each 1/sqrt(2)
    assert np.allclose(chars[0][chars[0] > 0], [2**-0.5, 2**-0.5])
    assert {space.term(c) for c in range(len(space.words), space.n_features)} == set("芯片云计算")


def test_unknown_terms_are_left_out_and_a_text_without_known_terms_is_a_zero_row():
    space = FeatureSpace(Analyzer(JiebaTokenizer()))
    space.fit(TEXTS)
    matrix = space.transform(["云计算", "𪚥", ""])
    assert matrix.shape == (3, space.n_features)
    assert matrix[0].nnz > 0 and matrix[1].nnz == 0 and matrix[2].nnz == 0


def test_min_df_drops_terms_found_in_fewer_texts():
    once, twice = (FeatureSpace(Analyzer(JiebaTokenizer())) for _ in range(2))
    df = np.bincount(once.fit(TEXTS, min_df=1).indices, minlength=once.n_features)
    matrix = twice.fit(TEXTS, min_df=2)
    block = len(once.words)
    kept = {(c >= block, once.term(c)) for c in np.flatnonzero(df >= 2)}
    assert 0 < len(kept) == twice.n_features < once.n_features
    assert {(False, t) for t in twice.words} | {(True, decode(c)) for c in twice.chars} == kept
    assert matrix.shape == (len(TEXTS), twice.n_features)


@pytest.mark.parametrize("min_df", [1, 2])
def test_transform_gives_the_matrix_fit_gave(monkeypatch, min_df):
    monkeypatch.setattr(features, "BATCH", 4)  # terms met in several batches
    space = FeatureSpace(Analyzer(JiebaTokenizer()))
    fitted = space.fit(TEXTS, min_df=min_df)
    assert fitted.has_sorted_indices and fitted.nnz > 0
    assert (fitted != space.transform(TEXTS)).nnz == 0


def test_worker_processes_give_the_same_vocabulary_and_matrix(monkeypatch):
    monkeypatch.setattr(features, "BATCH", 5)
    monkeypatch.setattr(features, "PARALLEL_MIN", 10)
    alone, together = (FeatureSpace(Analyzer(JiebaTokenizer())) for _ in range(2))
    a = alone.fit(TEXTS, min_df=2, jobs=1)
    b = together.fit(TEXTS, min_df=2, jobs=2)
    assert alone.words == together.words and (alone.chars == together.chars).all()
    assert (a != b).nnz == 0
    assert (alone.transform(TEXTS, jobs=1) != together.transform(TEXTS, jobs=2)).nnz == 0


@pytest.mark.parametrize("chars", [(1, 3), (2, 2), None])
def test_the_space_survives_its_arrays(chars):
    space = FeatureSpace(Analyzer(JiebaTokenizer(user_words=["阿里云"]), 2, chars))
    space.fit([*TEXTS, "\ud800 lone surrogate"])
    config, arrays = space.to_arrays()
    copy = FeatureSpace.from_arrays(config, arrays)
    assert copy.words == space.words and (copy.chars == space.chars).all()
    assert (copy.transform(TEXTS) != space.transform(TEXTS)).nnz == 0


def _shape_of_scores(model, texts):
    return model.scores(texts).shape


def test_scoring_in_a_pool_worker_stays_in_that_process(monkeypatch):
    import multiprocessing

    from tagger.model import train

    from .conftest import corpus_examples

    monkeypatch.setattr(features, "PARALLEL_MIN", 2)  # inherited by the forked worker
    model = train(corpus_examples(), test_size=0, n_jobs=2)
    with multiprocessing.get_context("fork").Pool(1) as pool:  # daemonic: may not have children
        assert pool.apply(_shape_of_scores, (model, TEXTS)) == (len(TEXTS), 3)
