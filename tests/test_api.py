"""The library as a user calls it: the public names of ``tagger`` and their arguments."""

from __future__ import annotations

import warnings

import pytest

import tagger
from tagger.data import Example

from .conftest import corpus_examples


def test_every_public_name_resolves():
    for name in tagger.__all__:
        assert getattr(tagger, name) is not None, name


def test_the_warning_categories_and_topics_the_library_gives_are_public(single_model):
    conflicting = [*corpus_examples(), Example(corpus_examples()[0].text, ("weather-ai",))]
    with pytest.warns(tagger.DataWarning, match="different labels"):  # was tagger.data's only
        tagger.train(conflicting, test_size=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", tagger.DataWarning)
        with pytest.raises(tagger.DataWarning):
            tagger.train(conflicting, test_size=0)
    assert issubclass(tagger.ModelVersionWarning, UserWarning)
    assert issubclass(tagger.DamagedModelWarning, UserWarning)
    [article] = tagger.tag("阿里云发布新一代云服务器，云计算业务收入增长。", single_model)
    assert all(isinstance(topic, tagger.Topic) for topic in article.topics)
