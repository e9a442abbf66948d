from __future__ import annotations

import pytest

from tagger.data import Example
from tagger.errors import DataError
from tagger.model import train
from tagger.taxonomy import load_taxonomy

TOML = """
[labels.cloud]
description = "Cloud computing"
excludes = "Data centres"
keywords = ["云计算", "公有云", "云服务"]

[labels.weather-ai]
description = "AI weather forecasting"
keywords = ["天气预报", "气象模型"]

[labels.telecom]
description = "Telecom networks"
keywords = ["6G", "基站"]
"""


def test_load_taxonomy(tmp_path):
    path = tmp_path / "labels.toml"
    path.write_text(TOML, encoding="utf-8")
    taxonomy = load_taxonomy(path)
    assert taxonomy.names == ("cloud", "weather-ai", "telecom")
    assert taxonomy.labels[0].excludes == "Data centres"
    assert [e.labels for e in taxonomy.keyword_examples()][:3] == [("cloud",)] * 3


def test_keywords_teach_labels_that_have_no_examples(tmp_path):
    path = tmp_path / "labels.toml"
    path.write_text(TOML, encoding="utf-8")
    examples = [
        Example("阿里云下调云服务价格", ("cloud",)),
        Example("气象局试用天气预报模型", ("weather-ai",)),
    ] * 3
    model = train(examples, taxonomy=load_taxonomy(path), multi_label=True, test_size=0)
    assert model.labels == ["cloud", "weather-ai", "telecom"]
    assert model.predict(["运营商建设6G基站"], top_k=1)[0][0][0] == "telecom"


def test_labels_outside_the_taxonomy_are_refused(tmp_path):
    path = tmp_path / "labels.toml"
    path.write_text(TOML, encoding="utf-8")
    examples = [Example("芯片", ("chips",), "d.jsonl", 4), Example("云", ("cloud",))]
    with pytest.raises(DataError, match=r"d.jsonl, line 4: label 'chips' is not in the taxonomy"):
        train(examples, taxonomy=load_taxonomy(path), test_size=0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[labels.cloud\n", "malformed TOML"),
        ("title = 'x'\n", r"no \[labels.NAME\] tables"),
        ("[labels.cloud]\nkeywords = ['云']\n", r"line 1: label 'cloud' needs a description"),
        (
            "[labels.cloud]\ndescription = 'c'\nkeywords = [1]\n",
            "must be a list of non-empty strings",
        ),
    ],
)
def test_bad_taxonomy_files(tmp_path, text, message):
    path = tmp_path / "labels.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_taxonomy(path)
