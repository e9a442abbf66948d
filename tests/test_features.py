"""The feature space: terms, counting, pruning, and the same matrix from any number of jobs."""

from __future__ import annotations

import numpy as np
import pytest

from tagger import features
from tagger.features import Analyzer, FeatureSpace, char_grams
from tagger.tokenizing import JiebaTokenizer

from .conftest import CORPUS

TEXTS = [text for texts in CORPUS.values() for text in texts]


def test_char_grams_match_a_plain_slicing_definition():
    doc = "云计算  AI\n芯片"
    flat = "云计算 AI 芯片"
    expected = [flat[i : i + n] for n in (2, 3) for i in range(len(flat) - n + 1)]
    assert char_grams(doc, 2, 3) == expected


def test_weights_are_sublinear_tf_idf_with_unit_length_blocks():
    space = FeatureSpace(Analyzer(JiebaTokenizer(), word_ngrams=1, char_ngrams=(1, 1)))
    matrix = space.fit(["芯片芯片芯片", "云计算"]).toarray()
    words = matrix[:, : len(space.vocabularies[0])]
    chars = matrix[:, len(space.vocabularies[0]) :]
    assert np.allclose(np.linalg.norm(words, axis=1), 1.0)
    assert np.allclose(np.linalg.norm(chars, axis=1), 1.0)
    # "芯" and "片" three times each in the first text: equal weights, each 1/sqrt(2)
    first = chars[0][chars[0] > 0]
    assert np.allclose(first, [2**-0.5, 2**-0.5])


def test_unknown_terms_are_left_out_and_a_text_without_known_terms_is_a_zero_row():
    space = FeatureSpace(Analyzer(JiebaTokenizer()))
    space.fit(TEXTS)
    matrix = space.transform(["云计算", "𪚥", ""])
    assert matrix.shape == (3, space.n_features)
    assert matrix[0].nnz > 0 and matrix[1].nnz == 0 and matrix[2].nnz == 0


def test_min_df_drops_terms_found_in_fewer_texts():
    once = FeatureSpace(Analyzer(JiebaTokenizer()))
    twice = FeatureSpace(Analyzer(JiebaTokenizer()))
    df = np.bincount(once.fit(TEXTS, min_df=1).indices, minlength=once.n_features)
    matrix = twice.fit(TEXTS, min_df=2)
    words = len(once.vocabularies[0])
    kept = [(c >= words, once.term(c)) for c in np.flatnonzero(df >= 2)]
    assert 0 < len(kept) == twice.n_features < once.n_features
    assert {(b, t) for b in (0, 1) for t in twice.vocabularies[b]} == set(kept)
    assert matrix.shape == (len(TEXTS), twice.n_features)


def test_worker_processes_give_the_same_vocabulary_and_matrix(monkeypatch):
    monkeypatch.setattr(features, "BATCH", 5)
    monkeypatch.setattr(features, "PARALLEL_MIN", 10)
    alone, together = (FeatureSpace(Analyzer(JiebaTokenizer())) for _ in range(2))
    a = alone.fit(TEXTS, min_df=2, jobs=1)
    b = together.fit(TEXTS, min_df=2, jobs=2)
    assert alone.vocabularies == together.vocabularies
    assert (a != b).nnz == 0
    assert (alone.transform(TEXTS, jobs=1) != together.transform(TEXTS, jobs=2)).nnz == 0


@pytest.mark.parametrize("chars", [(1, 3), None])
def test_the_space_survives_its_arrays(chars):
    space = FeatureSpace(Analyzer(JiebaTokenizer(user_words=["阿里云"]), 2, chars))
    space.fit(TEXTS)
    config, arrays = space.to_arrays()
    copy = FeatureSpace.from_arrays(config, arrays)
    assert copy.vocabularies == space.vocabularies
    assert (copy.transform(TEXTS) != space.transform(TEXTS)).nnz == 0
