"""The seed corpus, its taxonomy and the bundled default model stay consistent."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from tagger.data import read_examples
from tagger.model import load_model, train
from tagger.segmenting import segment
from tagger.tagging import default_model_path, tag
from tagger.taxonomy import load_taxonomy
from tagger.tokenizing import JiebaTokenizer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TAXONOMY = load_taxonomy(SEEDS / "labels.toml")


@pytest.fixture(scope="module")
def bundled():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # made with the versions pinned here: no version warning
        return load_model(ROOT / "models" / "default.joblib")


def test_default_model_path_is_the_bundled_model(monkeypatch):
    monkeypatch.delenv("TAGGER_MODEL", raising=False)
    assert default_model_path() == ROOT / "models" / "default.joblib"


def test_taxonomy_has_the_agreed_labels():
    assert TAXONOMY.names == (
        "cloud",
        "ai-investment",
        "semiconductors",
        "policy",
        "weather-ai",
        "telecom",
        "devices",
        "datacenter",
    )
    for label in TAXONOMY.labels:
        assert label.description and label.excludes and len(label.keywords) >= 8


def test_seed_segments_are_cut_as_the_segmenter_cuts_them():
    rows = [json.loads(line) for line in (SEEDS / "segments.jsonl").read_text("utf-8").splitlines()]
    expected = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for index, article in enumerate(segment(text)):
            expected += [
                (path.name, index, article.title, s.start, s.end, s.text) for s in article.segments
            ]
    got = [(r["source"], r["article"], r["title"], r["start"], r["end"], r["text"]) for r in rows]
    assert got == expected
    labels = {label for r in rows for label in r["labels"]}
    assert labels <= set(TAXONOMY.names)
    assert any(len(r["labels"]) > 1 for r in rows) and any(not r["labels"] for r in rows)


def test_bundled_model_uses_the_taxonomy_and_reports_grouped_cross_validation(bundled):
    assert bundled.multi_label
    assert bundled.labels == list(TAXONOMY.names)
    metrics = bundled.card["metrics"]
    assert "by article groups" in metrics["method"]
    assert 0 < metrics["micro_f1"] <= 1
    assert bundled.card["tokenizer"]["user_words"] > 50


def test_tagging_a_seed_article_gives_labels_and_scores(bundled):
    path = SEEDS / "000_6d5a12d9fd8298c3.txt"
    text = path.read_text(encoding="utf-8")
    articles = tag(text, bundled, source=path.name)
    assert len(articles) >= 3
    for article in articles:
        for s in article.segments:
            assert text[s.start : s.end] == s.text
            assert set(s.labels) <= set(TAXONOMY.names)
            assert all(0.0 <= v <= 1.0 for v in s.scores.values())
    assert sum(bool(s.labels) for a in articles for s in a.segments) >= len(articles)
    assert any(a.topics for a in articles)


def test_rebuilding_from_the_seeds_gives_the_same_scores(bundled):
    # as `make model` builds it: the cross-validation's scores calibrate the model's
    examples = read_examples([SEEDS / "segments.jsonl"], group_field="source,article")
    params = bundled.card["params"]
    rebuilt = train(
        examples,
        multi_label=True,
        tokenizer=JiebaTokenizer.from_files(SEEDS / "userdict.dic"),
        taxonomy=TAXONOMY,
        cv=bundled.card["metrics"]["folds"],
        classifier=params["classifier"],
        C=params["C"],
        class_weight=params["class_weight"],
    )
    assert rebuilt.calibration == pytest.approx(bundled.calibration, abs=1e-4)
    assert rebuilt.thresholds == pytest.approx(bundled.thresholds, abs=1e-4)
    probes = [e.text for e in examples[:20]] + ["6G网络标准", "英伟达芯片出口受限"]
    assert np.allclose(rebuilt.scores(probes), bundled.scores(probes), atol=1e-4)


def test_bundled_model_knows_its_training_texts(bundled):
    """Rebuilt with ``make model`` to keep them: evaluating it on some seed segments says so."""
    from tagger.data import text_hashes
    from tagger.evaluation import evaluate

    examples = read_examples([SEEDS / "segments.jsonl"])
    assert np.array_equal(bundled.training_texts, text_hashes(e.text for e in examples))
    with pytest.warns(UserWarning, match=r"^30 of 30 examples have a text the model was"):
        evaluate(ROOT / "models" / "default.joblib", examples[:30])
