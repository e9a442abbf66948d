from __future__ import annotations

import numpy as np
import pytest

from tagger.data import Example
from tagger.evaluation import best_threshold, cross_validate, evaluate, holdout_split
from tagger.model import train

from .conftest import corpus_examples

TEST = [
    Example("腾讯云推出新的云存储服务", ("cloud",)),
    Example("晶圆厂采购更多半导体设备", ("semiconductors",)),
    Example("人工智能模型预测明天的降雨", ("weather-ai",)),
    Example("云计算巨头下调云服务器价格", ("cloud",)),
]


def test_single_label_report_is_consistent(single_model):
    report = evaluate(single_model, TEST)
    assert report.examples == 4
    per = report.per_label
    tp = sum(v["tp"] for v in per.values())
    fp = sum(v["fp"] for v in per.values())
    assert report.accuracy == tp / 4
    assert report.micro_precision == pytest.approx(tp / (tp + fp))
    assert sum(v["support"] for v in per.values()) == 4
    matrix = report.confusion["matrix"]
    assert sum(map(sum, matrix)) == 4
    labels = report.confusion["labels"]
    assert sum(matrix[i][i] for i in range(len(labels))) == tp


def test_mistakes_are_listed_worst_first(single_model):
    wrong = [
        Example(e.text, ("weather-ai",) if e.labels != ("weather-ai",) else ("cloud",))
        for e in TEST
    ]
    report = evaluate(single_model, wrong)
    assert report.accuracy < 0.5
    severities = [m.severity for m in report.mistakes]
    assert severities == sorted(severities, reverse=True)
    assert report.mistakes[0].true != report.mistakes[0].predicted


def test_multi_label_report_uses_exact_match(multi_model):
    data = [
        Example("阿里云采购大量AI芯片建设云平台", ("cloud", "semiconductors")),
        Example("周末天气晴朗适合出游", ()),
    ]
    report = evaluate(multi_model, data)
    assert report.multi_label and report.confusion is None
    assert report.accuracy in (0.0, 0.5, 1.0)
    assert set(report.to_dict()) >= {"accuracy", "micro_f1", "macro_f1", "per_label", "mistakes"}


def test_unknown_labels_in_the_data_count_as_misses(single_model):
    report = evaluate(single_model, [Example("云计算", ("finance",))])
    assert report.per_label["finance"]["fn"] == 1
    assert report.accuracy == 0.0


def test_holdout_split_is_stratified_and_reproducible():
    examples = corpus_examples()
    train_a, test_a = holdout_split(examples, 0.25, 0)
    _train_b, test_b = holdout_split(examples, 0.25, 0)
    assert test_a == test_b and len(test_a) == 6
    assert {e.labels[0] for e in test_a} == {"cloud", "semiconductors", "weather-ai"}
    assert not set(test_a) & set(train_a)


def test_cross_validate_uses_every_example_once():
    seen = []

    def fit(part):
        seen.append(len(part))
        return train(part, test_size=0)

    labels = ["cloud", "semiconductors", "weather-ai"]
    metrics, scores = cross_validate(corpus_examples(), fit, folds=4, labels=labels)
    assert seen == [18, 18, 18, 18]
    assert metrics["folds"] == 4 and 0 <= metrics["macro_f1"] <= 1
    assert scores.shape == (24, 3) and (scores > 0).all()


def test_groups_are_never_split():
    examples = [
        Example(e.text, e.labels, group=f"article{i % 6}") for i, e in enumerate(corpus_examples())
    ]
    test_groups = []

    def fit(part):
        held_out = {e.group for e in examples} - {e.group for e in part}
        test_groups.append(held_out)
        return train(part, test_size=0)

    metrics, _ = cross_validate(examples, fit, folds=3)
    assert "by article groups" in metrics["method"]
    assert [len(g) for g in test_groups] == [2, 2, 2]
    train_part, test_part = holdout_split(examples, 0.34, 0)
    assert not {e.group for e in train_part} & {e.group for e in test_part}


def test_best_threshold_maximises_micro_f1():
    examples = [Example("a", ("x",)), Example("b", ("y",)), Example("c", ())]
    scores = np.array([[0.4, 0.1], [0.2, 0.35], [0.3, 0.1]])
    threshold, f1 = best_threshold(scores, examples, ["x", "y"])
    assert 0.3 < threshold <= 0.35 and f1 == 1.0
