from __future__ import annotations

import copy
import io
import json
import os
import re
import warnings
from collections import Counter
from functools import partial
from pathlib import Path

import joblib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import GroupKFold, StratifiedKFold, train_test_split

from tagger.data import DataWarning, Example
from tagger.errors import DataError
from tagger.evaluation import (
    BINS,
    _splits,
    best_threshold,
    choose_thresholds,
    compare,
    cross_validate,
    cross_validation,
    evaluate,
    holdout_split,
    iterative_stratification,
    learning_curve,
    mcnemar,
    significance,
    tune_thresholds,
)
from tagger.inference import LabelDecider
from tagger.model import load_model, train
from tagger.modelfile import load_compact, read_model_parts
from tagger.tagging import tag

from .conftest import corpus_examples, random_multi_label_examples

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


def test_unknown_labels_in_the_data_count_as_misses_with_a_warning(single_model):
    data = [Example("云计算", ("finance",)), Example("芯片", ("finance", "x")), *TEST[:2]]
    with pytest.warns(
        DataWarning,
        match=r"2 of 4 examples have labels the model does not know, counted as misses: "
        r"finance \(2\), x \(1\)",
    ):
        report = evaluate(single_model, data)
    assert report.per_label["finance"]["fn"] == 2
    assert report.accuracy == 0.5


def test_labels_the_data_lacks_have_no_recall_and_stay_out_of_macro_averages(single_model):
    data = [
        Example("阿里云发布新一代云服务器，云计算业务收入增长", ("cloud",)),
        Example("美国升级芯片出口管制，限制先进制程设备出口", ("weather-ai",)),  # semiconductors
    ]
    per = evaluate(single_model, data[:1]).per_label  # only cloud, chosen right
    assert per["cloud"]["precision"] == per["cloud"]["recall"] == 1.0
    assert [per["semiconductors"][k] for k in ("precision", "recall", "f1")] == [None] * 3
    report = evaluate(single_model, data)
    chosen_wrongly, missed = report.per_label["semiconductors"], report.per_label["weather-ai"]
    assert (chosen_wrongly["precision"], chosen_wrongly["recall"], chosen_wrongly["f1"]) == (
        0.0,
        None,
        0.0,
    )
    assert (missed["precision"], missed["recall"], missed["f1"]) == (0.0, 0.0, 0.0)
    assert report.macro_precision == pytest.approx(1 / 3)
    assert report.macro_recall == pytest.approx(1 / 2)  # cloud and weather-ai
    assert report.macro_f1 == pytest.approx(1 / 3)


def test_measuring_a_model_on_its_own_training_data_warns(single_model):
    with pytest.warns(DataWarning, match=r"the data is the model's own training data"):
        evaluate(single_model, corpus_examples()[::-1])  # in any order
    some = corpus_examples()[1:] + TEST  # some of its training data: how many is said
    said = f"{len(some) - len(TEST)} of {len(some)} examples have a text the model was trained on"
    with pytest.warns(DataWarning, match=said + r": the figures on them are optimistic"):
        assert evaluate(single_model, some).warnings[0].startswith(said)
    assert evaluate(single_model, TEST).warnings == []  # none of it: nothing to say


def test_a_model_keeps_hashes_of_its_training_texts_and_old_files_still_load(
    single_model, tmp_path
):
    texts = {e.text.strip() for e in corpus_examples()}
    assert single_model.training_texts.dtype == np.uint64
    assert len(single_model.training_texts) == len(texts)  # 8 bytes a distinct text
    assert np.all(np.diff(single_model.training_texts.astype(np.float64)) >= 0)  # sorted
    path = tmp_path / "m.model"
    single_model.save(path)
    assert np.array_equal(load_compact(path).training_texts, single_model.training_texts)
    full = load_model(path)  # from the arrays: the pickle leaves them out, to keep them once
    assert np.array_equal(full.training_texts, single_model.training_texts)
    assert joblib.load(io.BytesIO(read_model_parts(path)[0])).training_texts is None
    assert single_model.training_texts is not None  # saving left the model as it was
    old = copy.copy(single_model)
    old.training_texts = None  # as models saved before kept none
    old.save(path)
    compact = load_compact(path)
    assert compact.training_texts is None
    with warnings.catch_warnings():  # then only the whole training data is told, as before
        warnings.simplefilter("error")
        evaluate(compact, corpus_examples()[1:])
    with pytest.warns(DataWarning, match="the model's own training data"):
        evaluate(compact, corpus_examples())


def test_evaluate_keeps_the_data_warnings_it_raises_in_the_report(single_model):
    data = [*TEST, Example("股市小幅上涨，消费板块领涨", ("stocks",))]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = evaluate(single_model, data)
    said = [w for w in caught if issubclass(w.category, DataWarning)]
    assert len(said) == 1 and "labels the model does not know" in str(said[0].message)
    assert said[0].filename == __file__  # warned at the caller's line, as before
    assert report.warnings == [str(said[0].message)]  # and kept for the reports
    assert "warnings" not in report.to_dict()  # the JSON report's shape: they go under about
    with pytest.warns(DataWarning, match="stocks"):
        compared = compare(single_model, single_model, data).to_dict()
    assert "warnings" not in compared["a"] and "warnings" not in compared["b"]
    assert evaluate(single_model, TEST).warnings == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert evaluate(single_model, data, check_data=False).warnings == []


def test_compare_warns_naming_the_model_a_warning_is_about(single_model):
    other = train(corpus_examples()[::2] + [Example("股市小幅上涨", ("stocks",))] * 2, test_size=0)
    data = [*TEST, Example("股市小幅上涨，消费板块领涨", ("stocks",))]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = compare(single_model, other, data)
    said = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
    assert len(said) == 1 and "labels model A does not know" in said[0]  # stocks
    assert result.warnings == said  # kept for the reports too
    from tagger.report import render_comparison_json, render_comparison_markdown

    assert json.loads(render_comparison_json(result))["warnings"] == said
    assert f"- warning: {said[0]}" in render_comparison_markdown(result)
    with pytest.warns(DataWarning, match=r"the data is model B's own training data"):
        compare(other, single_model, corpus_examples())
    with pytest.warns(DataWarning, match=r"^1 of 2 examples have a text model B was trained on"):
        compare(single_model, other, [corpus_examples()[0], TEST[0]])


class _Watched(LabelDecider):
    """A model whose labels, read while ``compare`` runs, note the process's warning filters
    and warn as another thread of the program might at that moment."""

    def __init__(self, model):
        self.model, self.filters = model, []
        self.multi_label, self.thresholds = model.multi_label, model.thresholds
        self.min_labels, self.card = model.min_labels, {}

    @property
    def labels(self):
        self.filters.append(list(warnings.filters))
        warnings.warn("elsewhere in the program", UserWarning, stacklevel=2)
        return self.model.labels

    def scores(self, texts):
        return self.model.scores(texts)


def test_compare_leaves_the_warning_filters_of_the_process_alone(single_model):
    """compare caught its warnings with catch_warnings, which replaces the process's filters
    (every warning 'always') and records every thread's warnings meanwhile: not thread-safe.
    One model's unknown label to warn about, and another warning raised in the meantime."""
    watched = _Watched(single_model)
    data = [*TEST, Example("股市小幅上涨，消费板块领涨", ("stocks",))]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        outside = list(warnings.filters)
        result = compare(watched, single_model, data)
    assert watched.filters and all(f == outside for f in watched.filters)
    assert len(result.warnings) == 2 and all("stocks" in w for w in result.warnings)
    said = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
    assert said == result.warnings
    assert "elsewhere in the program" in [str(w.message) for w in caught]


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


def test_splits_of_data_without_duplicates_are_the_splitters_own():
    single, multi = corpus_examples(), corpus_examples(multi_label=True)
    labels = [e.labels[0] for e in single]
    expected = StratifiedKFold(4, shuffle=True, random_state=0).split(single, labels)
    assert _fold_tests(_splits(single, 4, 0)[0]) == _fold_tests(expected)
    fold_of = iterative_stratification([e.labels for e in multi], 4, 0)
    expected = [[i for i, f in enumerate(fold_of) if f == j] for j in range(4)]
    assert _fold_tests(_splits(multi, 4, 0)[0]) == expected
    grouped = [Example(e.text, e.labels, group=f"a{i % 6}") for i, e in enumerate(single)]
    expected = GroupKFold(3).split(grouped, groups=[e.group for e in grouped])
    assert _fold_tests(_splits(grouped, 3, 0)[0]) == _fold_tests(expected)
    assert holdout_split(single, 0.25, 0) == tuple(
        train_test_split(single, test_size=6, random_state=0, stratify=labels)
    )


def _fold_tests(splits) -> list[list[int]]:
    return [sorted(map(int, test)) for _, test in splits]


def test_copies_of_a_text_are_on_one_side_of_every_split():
    once = corpus_examples(multi_label=True)
    twice = once + [Example(f" {e.text}\n", e.labels) for e in once]  # whitespace aside
    grouped = [Example(e.text, e.labels, group=f"a{i % 7}") for i, e in enumerate(twice)]
    for data in (corpus_examples() * 2, twice, grouped):
        train_part, test_part = holdout_split(data, 0.25, 0)
        assert test_part and not {e.text.strip() for e in train_part} & {
            e.text.strip() for e in test_part
        }
        for train_idx, test_idx in _splits(data, 4, 0)[0]:
            assert not {data[i].text.strip() for i in train_idx} & {
                data[i].text.strip() for i in test_idx
            }
    assert _fold_tests(_splits(twice, 4, 0)[0]) == [
        test + [i + len(once) for i in test] for test in _fold_tests(_splits(once, 4, 0)[0])
    ]


def test_repeated_texts_do_not_inflate_cross_validated_figures():
    fit = partial(train, test_size=0)
    data = corpus_examples()
    headline = ("accuracy", "micro_f1", "macro_f1")
    once = cross_validation(data, fit, folds=4).summary
    for repeated in (data * 2, data + data[::2]):  # the latter scored 1.0 when copies leaked
        summary = cross_validation(repeated, fit, folds=4).summary
        assert summary["examples"] == len(repeated)
        for key in headline:
            assert summary[key] == pytest.approx(once[key], abs=0.01)


def test_best_threshold_maximises_micro_f1():
    examples = [Example("a", ("x",)), Example("b", ("y",)), Example("c", ())]
    scores = np.array([[0.4, 0.1], [0.2, 0.35], [0.3, 0.1]])
    threshold, f1 = best_threshold(scores, examples, ["x", "y"])
    assert 0.3 < threshold <= 0.35 and f1 == 1.0


def test_report_has_thresholds_curves_and_no_label_count(multi_model):
    data = [*TEST, Example("他周末去公园散步", ())]
    report = evaluate(multi_model, data)
    assert report.thresholds == multi_model.thresholds
    assert report.no_label == sum(not row for row in multi_model.predict([e.text for e in data]))
    cloud = report.curves["cloud"]
    assert len(cloud["positive"]) == len(cloud["negative"]) == BINS
    assert sum(cloud["positive"]) == 2 and sum(cloud["negative"]) == 3
    assert len(cloud["precision"]) == len(cloud["recall"]) == len(cloud["thresholds"])
    assert cloud["recall"] == sorted(cloud["recall"], reverse=True)  # higher threshold, fewer
    assert evaluate(multi_model, data, threshold=0.3).thresholds == dict.fromkeys(
        multi_model.labels, 0.3
    )


def test_iterative_stratification_spreads_every_label_evenly():
    label_sets = [e.labels for e in corpus_examples(multi_label=True)] * 2
    folds = iterative_stratification(label_sets, 4, seed=1)
    assert folds == iterative_stratification(label_sets, 4, seed=1)
    assert all(abs(size - 14) <= 1 for size in Counter(folds).values())
    for label in ("cloud", "semiconductors", "weather-ai", None):
        per_fold = Counter(
            f for f, labels in zip(folds, label_sets) if (label in labels if label else not labels)
        )
        total = sum(per_fold.values())
        assert all(abs(per_fold[f] - total / 4) <= 1 for f in range(4)), (label, per_fold)


def test_cross_validation_pools_out_of_fold_predictions():
    examples = corpus_examples(multi_label=True)
    fit = partial(train, test_size=0, multi_label=True)
    result = cross_validation(
        examples, fit, folds=3, labels=["cloud", "semiconductors", "weather-ai"]
    )
    assert "iterative stratification" in result.summary["method"]
    assert len(result.per_fold) == 3 and sum(f["examples"] for f in result.per_fold) == len(
        examples
    )
    assert result.report.examples == len(examples) and result.report.multi_label
    assert result.report.thresholds == dict.fromkeys(result.labels, 0.5)
    assert result.scores.shape == (len(examples), 3)


def test_learning_curve_grows_the_training_part():
    fit = partial(train, test_size=0)
    curve = learning_curve(corpus_examples(), fit, fractions=(0.1, 0.5, 1.0), folds=2)
    sizes = [p["train_examples"] for p in curve.points]
    assert sizes == [3.0, 6.0, 12.0]  # 10% of 12 is raised to one example of each label
    assert [p["fraction"] for p in curve.points] == [0.1, 0.5, 1.0]
    assert all(0 <= p[k] <= 1 for p in curve.points for k in ("accuracy", "macro_f1_std"))


def test_tune_thresholds_per_label():
    examples = [Example("a", ("x",))] * 4 + [Example("b", ("y",))] * 4 + [Example("c", ("z",))]
    scores = np.array(
        [
            *([0.9, 0.1, 0.1], [0.8, 0.2, 0.1], [0.7, 0.1, 0.1], [0.35, 0.1, 0.1]),
            *([0.1, 0.3, 0.1], [0.1, 0.25, 0.1], [0.6, 0.2, 0.1], [0.1, 0.15, 0.1]),
            [0.1, 0.1, 0.9],
        ]
    )
    labels = ["x", "y", "z"]
    tuned = tune_thresholds(scores, examples, labels, min_support=2)
    assert 0.35 >= tuned["x"] > 0.1 and tuned["y"] <= 0.15  # every x and every y
    assert tuned["z"] == best_threshold(scores, examples, labels)[0]  # 1 example: global
    precise = tune_thresholds(scores, examples, labels, "precision", 1.0, min_support=2)
    assert precise["x"] > 0.6  # 0.6 belongs to a y example: precision 1 needs more
    with pytest.raises(ValueError, match="target"):
        tune_thresholds(scores, examples, labels, "precision")
    chosen, note = choose_thresholds(scores, examples, labels, per_label=True, min_support=2)
    assert chosen == tuned and note["mode"] == "f1" and 0 < note["micro_f1"] <= 1
    assert note["few_examples"] == ["z"]  # given the global threshold
    _, note = choose_thresholds(scores, examples, labels, per_label=True, min_support=1)
    assert note["few_examples"] == []
    chosen, note = choose_thresholds(scores, examples, labels)
    assert set(chosen.values()) == {note["threshold"]} and note["mode"] == "global"


def test_labels_below_the_target_precision_are_named_with_the_precision_reached():
    examples = [Example("a", ("w",))] * 3 + [Example("b", ())] * 2
    scores = np.array([[0.8], [0.7], [0.6], [0.9], [0.1]])  # a text without w scores highest
    chosen, note = choose_thresholds(
        scores, examples, ["w"], per_label=True, target_precision=0.9, min_support=2
    )
    assert note["below_target"] == {"w": 0.75} and chosen == {"w": 0.15}  # 3 of the top 4
    _, note = choose_thresholds(
        scores, examples, ["w"], per_label=True, target_precision=0.7, min_support=2
    )
    assert note["below_target"] == {}


def test_target_precision_takes_the_middle_of_the_most_recall_not_the_lowest():
    # well-separated scores reach precision 1 with all recall from 0.05 to 0.95: the lowest
    # would give a new text every label scoring 0.05
    scores = np.array([[0.99, 0.01], [0.01, 0.97], [0.02, 0.03], [0.98, 0.02], [0.01, 0.99]])
    data = [Example(t, labels) for t, labels in zip("abcde", [("x",), ("y",), (), ("x",), ("y",)])]
    tuned = tune_thresholds(scores, data, ["x", "y"], "precision", 0.9, min_support=2)
    assert tuned == {"x": 0.5, "y": 0.5}
    # fewer thresholds keep all recall: precision 1 from 0.35, recall 1 up to 0.6
    scores = np.array([[0.6], [0.8], [0.3], [0.1]])
    data = [Example("a", ("x",))] * 2 + [Example("b", ())] * 2
    tuned = tune_thresholds(scores, data, ["x"], "precision", 1.0, min_support=2)
    assert tuned == {"x": 0.5}  # the middle of 0.35 to 0.6


def test_compare_lists_disagreements_right_answers_first(single_model):
    weak = train(corpus_examples()[::4], test_size=0)
    data = [*TEST, Example("他周末去公园散步", ("weather-ai",))]
    same = compare(single_model, single_model, data)
    assert same.disagree == 0 and same.disagreements == []
    result = compare(single_model, weak, data)
    assert result.a.to_dict() == evaluate(single_model, data).to_dict()
    assert result.disagree == len(result.disagreements) > 0
    for d in result.disagreements:
        assert set(d.a) != set(d.b) and d.scores_a and d.scores_b
    right = [(set(d.a) == set(d.true)) != (set(d.b) == set(d.true)) for d in result.disagreements]
    assert right == sorted(right, reverse=True)
    assert result.a_only + result.b_only == sum(right)


def test_compare_intervals_hold_the_observed_difference_of_the_reports():
    model_a = train(random_multi_label_examples(30, seed=1), test_size=0)
    model_b = train(random_multi_label_examples(40, seed=2), test_size=0)
    data = random_multi_label_examples(60, seed=3)
    result = compare(model_a, model_b, data)
    chance = result.significance
    assert chance.examples == len(data) and (chance.resamples, chance.seed) == (2000, 0)
    for key in ("accuracy", "micro_f1", "macro_f1"):
        v = chance.intervals[key]
        assert v["a"] == pytest.approx(getattr(result.a, key), abs=1e-12)
        assert v["b"] == pytest.approx(getattr(result.b, key), abs=1e-12)
        assert v["difference"] == pytest.approx(v["b"] - v["a"])
        assert v["low"] < v["difference"] < v["high"]
        assert v["low"] < 0 < v["high"]  # B looks better, but on 60 examples it could be chance
    assert (chance.a_only, chance.b_only) == (result.a_only, result.b_only)
    assert 0 < chance.a_only < chance.b_only and chance.p_value > 0.05
    assert compare(model_a, model_b, data).significance == chance  # the same every run
    assert compare(model_a, model_b, data, seed=1).significance != chance


@pytest.mark.filterwarnings("ignore:the data is model [AB]")  # its own training data
def test_identical_models_differ_by_nothing_beyond_doubt(single_model, multi_model):
    for model, data in ((single_model, TEST), (multi_model, corpus_examples(multi_label=True))):
        chance = compare(model, model, data).significance
        for v in chance.intervals.values():
            assert v["difference"] == v["low"] == v["high"] == 0
        assert (chance.a_only, chance.b_only, chance.p_value) == (0, 0, 1.0)


def test_a_clearly_better_model_is_better_beyond_chance():
    weak = train(random_multi_label_examples(40, seed=1), test_size=0)
    strong = train(random_multi_label_examples(300, seed=2), test_size=0)
    data = random_multi_label_examples(200, seed=3)
    chance = compare(weak, strong, data).significance
    for v in chance.intervals.values():
        assert 0 < v["low"] <= v["difference"] <= v["high"]
    assert chance.b_only > chance.a_only and chance.p_value < 0.001
    flipped = compare(strong, weak, data).significance  # the other way round: mirrored
    assert flipped.intervals["micro_f1"]["high"] < 0
    assert (flipped.a_only, flipped.b_only, flipped.p_value) == (
        chance.b_only,
        chance.a_only,
        chance.p_value,
    )


def test_mcnemar_counts_and_p_value_by_hand():
    truth = np.eye(3, dtype=bool)[[0, 1, 2, 0, 1, 2, 0]]  # 7 single-label examples
    a, b = truth.copy(), truth.copy()
    a[[1, 4]] = np.eye(3, dtype=bool)[[0, 0]]  # A wrong on examples 1 and 4
    b[[4, 5, 6]] = np.eye(3, dtype=bool)[[2, 0, 1]]  # B wrong on 4 (too), 5 and 6
    b[0] = False  # and gives example 0 no label
    chance = significance(truth, a, b, resamples=50)
    # only A right: 0, 5, 6; only B right: 1; both wrong: 4; both right: 2, 3
    assert (chance.a_only, chance.b_only) == (3, 1)
    assert chance.p_value == pytest.approx(2 * (1 + 4) / 2**4)  # 2 P(X <= 1), X ~ B(4, 1/2)
    assert mcnemar(0, 6) == pytest.approx(2 / 2**6) and mcnemar(7, 7) == 1.0
    assert chance.intervals["accuracy"]["difference"] == pytest.approx(-2 / 7)
    with pytest.raises(ValueError, match="examples x labels"):
        significance(truth, a[:3], b)
    with pytest.raises(ValueError, match="resamples"):
        significance(truth, a, b, resamples=0)


def test_threshold_tuning_counts_the_label_every_text_gets():
    from tagger.evaluation import best_threshold

    scores = np.array([[0.6, 0.3], [0.1, 0.3]])
    data = [Example("a", ("x",)), Example("b", ("y",))]
    # finding the second text's label takes a threshold that gives the first a wrong one
    # (0.15 to 0.3 tie: the middle one)
    assert best_threshold(scores, data, ["x", "y"]) == (0.25, 0.8)
    # unless every text gets its best label anyway (0.35 to 0.95 tie)
    assert best_threshold(scores, data, ["x", "y"], min_labels=1) == (0.65, 1.0)


def test_a_threshold_many_tie_for_is_the_middle_one_not_the_lowest():
    from tagger.evaluation import best_threshold

    # scores that separate the labels from 0.05 to 0.95: the lowest (0.05) would give a new
    # text every label scoring 0.05
    scores = np.array([[0.99, 0.01], [0.02, 0.97], [0.01, 0.02]])
    data = [Example("a", ("x",)), Example("b", ("y",)), Example("c", ())]
    assert best_threshold(scores, data, ["x", "y"]) == (0.5, 1.0)


def test_labels_with_few_examples_get_the_global_threshold_counting_min_labels():
    scores = np.array([[0.6, 0.3, 0.1], [0.1, 0.3, 0.1]])
    data = [Example("a", ("x",)), Example("b", ("y",))]
    labels = ["x", "y", "z"]  # z: no held-out example
    chosen, note = choose_thresholds(
        scores, data, labels, per_label=True, min_support=1, min_labels=1
    )
    assert note["few_examples"] == ["z"]
    assert chosen["z"] == note["threshold"] == best_threshold(scores, data, labels, 1)[0] == 0.65
    tuned = tune_thresholds(scores, data, labels, min_support=1, min_labels=1)
    assert tuned["z"] == 0.65


class _Decider(LabelDecider):
    def __init__(self, thresholds: dict[str, float], min_labels: int) -> None:
        self.labels, self.multi_label = ["x", "y", "z"], True
        self.thresholds, self.min_labels = thresholds, min_labels


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from([0.1, 0.3, 0.5, 0.7, 0.9]), min_size=3, max_size=3),
            st.sets(st.sampled_from("xyz")),
        ),
        min_size=1,
        max_size=12,
    ),
    st.integers(0, 2),
)
def test_tuned_thresholds_report_the_f1_of_what_the_model_chooses(rows, min_labels):
    scores = np.array([r for r, _ in rows], dtype=float)
    data = [Example("t", tuple(sorted(labels))) for _, labels in rows]
    chosen, note = choose_thresholds(
        scores, data, ["x", "y", "z"], per_label=True, min_support=1, min_labels=min_labels
    )
    picked = _Decider(chosen, min_labels).decide(scores)
    tp = sum(len({label for label, _ in p} & set(e.labels)) for p, e in zip(picked, data))
    total = sum(len(p) for p in picked) + sum(len(e.labels) for e in data)
    assert note["micro_f1"] == pytest.approx(2 * tp / total if total else 0.0)


def test_evaluate_checks_its_arguments_and_takes_a_model_path(single_model, tmp_path):
    with pytest.raises(TypeError, match=r"evaluate needs labeled examples .* not str"):
        evaluate(single_model, ["云计算"])
    with pytest.raises(TypeError, match="evaluate needs a model"):
        evaluate(["not a model"], TEST)
    with pytest.raises(DataError, match="no examples to evaluate"):
        evaluate(single_model, [])
    with pytest.raises(DataError, match="no examples to evaluate"):
        evaluate(single_model, [Example("  ", ("cloud",))])
    path = single_model.save(tmp_path / "m.joblib")
    for named in (path, str(path), _PathLike(path)):
        assert evaluate(named, TEST).headline() == evaluate(single_model, TEST).headline()


class _PathLike(os.PathLike):
    """A path that is no ``pathlib.Path`` (``tag`` took one; evaluate and compare did not)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return str(self.path)


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"threshold": 2}, ValueError, "threshold must be from 0 to 1, not 2"),
        ({"threshold": -0.1}, ValueError, "threshold must be from 0 to 1"),
        ({"threshold": float("nan")}, ValueError, "threshold must be from 0 to 1, not nan"),
        ({"threshold": True}, TypeError, "threshold must be a number, not bool"),
        ({"threshold": "0.5"}, TypeError, "threshold must be a number, not str"),
    ],
)
def test_evaluate_and_compare_refuse_the_thresholds_tag_refuses(
    single_model, options, error, message
):
    """A threshold of 2 chose no label and read as accuracy 0; NaN the same."""
    for call in (
        lambda: evaluate(single_model, TEST, **options),
        lambda: compare(single_model, single_model, TEST, **options),
        lambda: cross_validation(TEST, lambda part: single_model, folds=2, **options),
    ):
        with pytest.raises(error, match=re.escape(message)):
            call()
    with pytest.raises(error, match=re.escape(message)):
        tag("云计算", single_model, **options)


def test_evaluate_and_compare_refuse_negative_counts(single_model):
    """max_mistakes=-1 kept every mistake but the last (a slice), max_disagreements likewise."""
    with pytest.raises(ValueError, match="max_mistakes must be at least 0, not -1"):
        evaluate(single_model, TEST, max_mistakes=-1)
    with pytest.raises(ValueError, match="max_mistakes must be at least 0, not -1"):
        cross_validation(TEST, lambda part: single_model, folds=2, max_mistakes=-1)
    with pytest.raises(TypeError, match="max_mistakes must be an integer, not float"):
        evaluate(single_model, TEST, max_mistakes=2.5)
    with pytest.raises(ValueError, match="max_disagreements must be at least 0, not -1"):
        compare(single_model, single_model, TEST, max_disagreements=-1)
    assert evaluate(single_model, TEST, max_mistakes=0).mistakes == []


def test_compare_takes_model_paths_and_checks_its_arguments(single_model, tmp_path):
    path = single_model.save(tmp_path / "m.joblib")
    by_path = compare(path, str(path), TEST)
    assert compare(_PathLike(path), path, TEST).a.headline() == by_path.a.headline()
    assert by_path.disagree == 0
    assert by_path.a.headline() == compare(single_model, single_model, TEST).a.headline()
    with pytest.raises(TypeError, match="compare needs a model"):
        compare(single_model, ["not a model"], TEST)
    with pytest.raises(TypeError, match=r"compare needs labeled examples .* not str"):
        compare(single_model, single_model, ["云计算"])
    with pytest.raises(DataError, match="no examples to compare on"):
        compare(single_model, single_model, [])


def test_the_confusion_matrix_counts_examples_without_a_label(single_model):
    data = [*TEST, Example("他周末去公园散步", ()), Example("今天大家都带了伞", ())]
    report = evaluate(single_model, data)
    labels, matrix = report.confusion["labels"], report.confusion["matrix"]
    assert sum(map(sum, matrix)) == len(data) and len(matrix) == len(labels) + 1
    assert sum(matrix[-1]) == 2 and matrix[-1][-1] == 0  # a single-label model always answers
    given = Counter(m.predicted[0] for m in report.mistakes if not m.true)
    assert {labels[j]: n for j, n in enumerate(matrix[-1]) if n} == given
    wrong = [c for c in report.confusions() if c["true"] is None]
    assert sum(c["examples"] for c in wrong) == 2 and sum(c["share"] for c in wrong) == 1
    assert len(evaluate(single_model, TEST).confusion["matrix"]) == len(labels)  # no such row


def test_an_example_with_several_labels_is_right_in_the_matrix_when_one_is_given(single_model):
    both = [Example(TEST[1].text, (x, TEST[1].labels[0])) for x in ("cloud", "weather-ai")]
    report = evaluate(single_model, [*TEST, *both])  # semiconductors given, among the labels
    assert report.per_label["semiconductors"]["tp"] == 3
    matrix, labels = report.confusion["matrix"], report.confusion["labels"]
    diagonal = sum(matrix[i][i] for i in range(len(labels)))
    assert diagonal == sum(v["tp"] for v in report.per_label.values())
    assert not [c for c in report.confusions() if c["predicted"] == "semiconductors"]


def test_cross_validation_reports_its_folds_as_it_goes():
    seen = []
    cross_validation(
        corpus_examples(),
        partial(train, test_size=0),
        folds=3,
        progress=lambda done, n: seen.append((done, n)),
    )
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    with pytest.raises(TypeError, match="progress must be a function"):
        cross_validation(corpus_examples(), partial(train, test_size=0), progress=3)
