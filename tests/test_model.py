from __future__ import annotations

import io
import pickle
import warnings

import joblib
import numpy as np
import pytest
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.multiclass import OneVsRestClassifier

from tagger import model as model_module
from tagger.data import DataWarning, Example
from tagger.errors import DataError, ModelError, OutputError
from tagger.inference import CompactModel
from tagger.model import (
    ModelVersionWarning,
    card_path,
    default_c,
    fit_one_vs_rest,
    load_model,
    train,
)
from tagger.modelfile import MAGIC, load_compact, read_model_parts

from .conftest import corpus_examples, random_multi_label_examples

PROBES = ["阿里云数据库服务降价", "芯片出口管制再升级", "机器学习预测暴雨", "周末去公园散步"]


def test_single_label_model_predicts_the_right_topics(single_model):
    assert not single_model.multi_label
    assert single_model.labels == ["cloud", "semiconductors", "weather-ai"]
    best = [row[0][0] for row in single_model.predict(PROBES[:3])]
    assert best == ["cloud", "semiconductors", "weather-ai"]


def test_scores_are_in_label_order_and_logreg_gives_probabilities(single_model):
    scores = single_model.scores(PROBES)
    assert scores.shape == (4, 3)
    assert ((scores > 0) & (scores < 1)).all()
    assert single_model.scores([]).shape == (0, 3)
    logreg = train(corpus_examples(), test_size=0, classifier="logreg", C=10.0)
    assert np.allclose(logreg.scores(PROBES).sum(axis=1), 1.0)


def test_top_k_and_threshold(single_model):
    assert len(single_model.predict(PROBES[:1], top_k=2)[0]) == 1  # top_k adds no label
    assert len(single_model.predict(PROBES[:1], top_k=2, threshold=0)[0]) == 2
    assert all(len(row) == 1 for row in single_model.predict(PROBES))
    assert single_model.predict(PROBES, threshold=0.999) == [[], [], [], []]
    ranked = single_model.predict(PROBES[:1], top_k=3, threshold=0)[0]
    assert len(ranked) == 3
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


def test_predict_refuses_a_top_k_or_threshold_it_cannot_use(single_model):
    """predict (and decide) took any top_k and threshold: top_k=0 and threshold=50 (meant as
    50%) chose no label, threshold=-1 every one, without a word; tag refused them."""
    compact = CompactModel.from_model(single_model)
    for model in (single_model, compact):
        for options, error in (
            ({"top_k": 0}, r"top_k must be at least 1, not 0"),
            ({"threshold": 50}, r"threshold must be from 0 to 1, not 50"),
            ({"threshold": -1}, r"threshold must be from 0 to 1, not -1"),
            ({"threshold": float("nan")}, r"threshold must be from 0 to 1, not nan"),
        ):
            with pytest.raises(ValueError, match=error):
                model.predict(PROBES, **options)
            with pytest.raises(ValueError, match=error):
                model.decide(model.scores(PROBES), **options)
        with pytest.raises(TypeError, match="top_k must be an integer, not float"):
            model.predict(PROBES, top_k=1.5)
        assert model.predict(PROBES, top_k=1, threshold=0) == model.predict(PROBES, top_k=1)


def test_train_refuses_options_it_cannot_use_before_any_work(monkeypatch):
    """c=0.5 (tagger train's --c) was a TypeError naming build_pipeline, raised by the first
    fit after the data summary; C=0, class_weight="bal", seed="x" tracebacks from inside
    scikit-learn; min_labels=-1 was taken. Now refused before anything is fitted."""
    data = corpus_examples()
    fitted = []
    monkeypatch.setattr(model_module, "_fit", lambda *a, **k: fitted.append(1))
    for options, kind, error in (
        ({"c": 0.5}, TypeError, r"unexpected keyword argument 'c': did you mean C \("),
        ({"jobs": 2}, TypeError, r"unexpected keyword argument 'jobs': did you mean n_jobs"),
        ({"colour": 1}, TypeError, r"'colour': train takes these of build_pipeline: C, "),
        ({"C": 0}, ValueError, r"C must be a positive number or 'auto', not 0"),
        ({"C": -1.5}, ValueError, r"C must be a positive number or 'auto', not -1.5"),
        ({"C": "0.5"}, ValueError, r"C must be a positive number or 'auto', not '0.5'"),
        ({"C": [1]}, TypeError, r"C must be a number or 'auto', not list"),
        ({"class_weight": "bal"}, ValueError, r"class_weight must be None, 'balanced' or a dict"),
        ({"seed": "x"}, TypeError, r"seed must be an integer, not str"),
        ({"test_size": "0.2"}, TypeError, r"test_size must be a number, not str"),
        ({"min_labels": -1}, ValueError, r"min_labels must be at least 0, not -1"),
        (
            {"multi_label": True, "thresholds": "per-label", "target_precision": 2},
            ValueError,
            r"target_precision must be from 0 to 1, not 2",
        ),
    ):
        with pytest.raises(kind, match=error):
            train(data, **options)
    assert fitted == []


def test_multi_label_model_gives_several_or_no_labels(multi_model):
    assert multi_model.multi_label
    assert multi_model.thresholds == {"cloud": 0.5, "semiconductors": 0.5, "weather-ai": 0.5}
    predicted = multi_model.predict(PROBES)
    assert predicted[0][0][0] == "cloud"
    assert predicted[2][0][0] == "weather-ai"
    for row in predicted:
        assert all(score >= 0.5 for _, score in row)
    scores = multi_model.scores(PROBES)
    assert not np.allclose(scores.sum(axis=1), 1.0)  # independent per-label scores


def test_multi_label_is_detected_or_forced():
    assert train(corpus_examples(), test_size=0, multi_label=True).multi_label
    with pytest.raises(DataError, match="--multi-label"):
        train(corpus_examples(multi_label=True), test_size=0, multi_label=False)


def test_default_c_depends_on_the_kind_of_model():
    single = train(corpus_examples(), test_size=0, multi_label=False)
    multi = train(corpus_examples(), test_size=0, multi_label=True)
    assert single.card["params"]["C"] == 0.5 and multi.card["params"]["C"] == 4.0
    assert multi.pipeline[-1].estimator.C == 4.0
    assert train(corpus_examples(), test_size=0, multi_label=True, C=1.0).card["params"]["C"] == 1


def test_training_with_one_label_is_refused():
    examples = [Example(f"云计算新闻{i}", ("cloud",)) for i in range(5)]
    with pytest.raises(DataError, match="only one label \\(cloud\\)"):
        train(examples, test_size=0)
    with pytest.raises(DataError, match="no examples"):
        train([Example("  ", ("cloud",))], test_size=0)


def test_training_with_no_label_at_all_says_so():
    examples = [Example(f"云计算新闻{i}", (), "a.jsonl", i + 1) for i in range(5)]
    for multi_label in (None, True, False):
        with pytest.raises(DataError, match=r"a.jsonl: no example has a label.*--label-field"):
            train(examples, test_size=0, multi_label=multi_label)


def test_held_out_metrics_are_recorded_in_the_card():
    model = train(corpus_examples(), test_size=0.25)
    metrics = model.card["metrics"]
    assert metrics["method"] == "holdout"
    assert metrics["examples"] == 6
    assert 0.0 <= metrics["accuracy"] <= 1.0
    card = model.card
    assert card["labels"] == {"cloud": 8, "semiconductors": 8, "weather-ai": 8}
    assert card["data"]["examples"] == 24 and len(card["data"]["sha256"]) == 64
    assert set(card["versions"]) >= {"tagger", "scikit-learn", "jieba"}
    assert card["tokenizer"]["kind"] == "jieba"
    assert card["params"]["C"] == 0.5 and card["params"]["classifier"] == "svm"


def test_cross_validation_reports_mean_and_spread():
    metrics = train(corpus_examples(), cv=3).card["metrics"]
    assert metrics["method"] == "3-fold cross-validation by examples"
    assert "accuracy_std" in metrics and metrics["examples"] == 24


def test_round_trip_gives_identical_predictions(single_model, tmp_path):
    path = single_model.save(tmp_path / "m.joblib")
    loaded = load_model(path)
    assert np.array_equal(loaded.scores(PROBES), single_model.scores(PROBES))
    assert loaded.card == single_model.card
    assert card_path(path).is_file()


@pytest.mark.parametrize(
    ("classifier", "multi_label"), [("svm", False), ("svm", True), ("logreg", False)]
)
def test_a_model_file_keeps_the_coefficients_once(classifier, multi_label, tmp_path):
    """The pickle held the feature space and float64 coefficients the file's arrays hold too
    (CSLDCP's model: 405 MiB, two thirds of it coefficients twice). Now the pickle leaves
    them out, load_model puts them back from the arrays, and the scores are the same."""
    examples = random_multi_label_examples() if multi_label else corpus_examples()
    model = train(examples, test_size=0, classifier=classifier)
    path = model.save(tmp_path / "m.joblib")
    pickled = joblib.load(io.BytesIO(read_model_parts(path)[0]))
    assert pickled.pipeline[0].space_ is None
    classifier_ = pickled.pipeline[-1]
    fitted = getattr(classifier_, "estimators_", [classifier_])
    assert fitted and all(getattr(e, "coef_", None) is None for e in fitted)
    assert model.pipeline[0].space_ is not None  # saving left the model as it was
    loaded = load_model(path)
    texts = [e.text for e in examples[:6]] + PROBES
    assert np.array_equal(loaded.scores(texts), model.scores(texts))
    assert np.array_equal(
        loaded.pipeline[-1].predict(loaded.pipeline[0].transform(texts)),
        model.pipeline.predict(texts),
    )


def test_files_whose_pickle_has_the_coefficients_still_load(single_model, tmp_path, monkeypatch):
    """Files saved before the pickle left the arrays out load as they did."""
    monkeypatch.setattr(model_module, "_without_arrays", lambda m: m)
    path = single_model.save(tmp_path / "old.joblib")
    assert joblib.load(io.BytesIO(read_model_parts(path)[0])).pipeline[0].space_ is not None
    assert np.array_equal(load_model(path).scores(PROBES), single_model.scores(PROBES))


def test_the_file_keeps_coefficients_as_scoring_reads_them(single_model, tmp_path):
    """Files kept the coefficients labels x features, and load_compact transposed them into a
    copy (CSLDCP's model: load_compact 0.60-0.85 s against 0.52-0.64 s now, 482 MiB against
    362 MiB). Now they are kept features x labels and scoring uses the array read; files in
    the old layout still load."""
    compact = load_compact(single_model.save(tmp_path / "m.joblib"))
    assert np.shares_memory(compact.coef, compact._coef_t)
    config, arrays = CompactModel.from_model(single_model).to_arrays()
    arrays["coef"] = np.ascontiguousarray(arrays.pop("coef_by_feature").T)  # the old layout
    old = CompactModel.from_arrays(config, arrays, {})
    assert np.array_equal(old.scores(PROBES), compact.scores(PROBES))


def test_saving_is_atomic(single_model, tmp_path, monkeypatch):
    path = tmp_path / "m.joblib"
    path.write_bytes(MAGIC + b"previous model")

    def broken_dump(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(joblib, "dump", broken_dump)
    with pytest.raises(OSError, match="disk full"):
        single_model.save(path)
    assert path.read_bytes() == MAGIC + b"previous model"
    assert [p.name for p in tmp_path.iterdir()] == ["m.joblib"]


def test_saving_does_not_replace_a_file_that_is_not_a_model(single_model, tmp_path):
    """TaggerModel.save replaced any file (tagger train -o refused it): a mistyped path, such
    as the data file, was lost. Now refused before anything is written; a model is replaced."""
    data = tmp_path / "train.jsonl"
    data.write_text('{"text": "云计算", "labels": ["cloud"]}\n', encoding="utf-8")
    with pytest.raises(OutputError, match=r"train.jsonl: is a file that is not a tagger model"):
        single_model.save(data)
    assert data.read_text(encoding="utf-8") == '{"text": "云计算", "labels": ["cloud"]}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["train.jsonl"]  # no card either
    model = single_model.save(tmp_path / "m.joblib")
    assert single_model.save(model) == model  # a model is replaced
    assert load_model(model).labels == single_model.labels


def test_loading_something_else_is_a_clear_error(tmp_path):
    text = tmp_path / "notes.joblib"
    text.write_text("not a model", encoding="utf-8")
    with pytest.raises(ModelError, match="not a tagger model file"):
        load_model(text)
    other = tmp_path / "other.joblib"
    joblib.dump({"weights": [1, 2, 3]}, other)
    with pytest.raises(ModelError, match="not a tagger model file"):
        load_model(other)
    with pytest.raises(ModelError, match="no such model file"):
        load_model(tmp_path / "missing.joblib")


def test_model_from_other_versions_warns(single_model, tmp_path):
    clone = pickle.loads(pickle.dumps(single_model))
    clone.card["versions"]["scikit-learn"] = "0.24.0"
    path = clone.save(tmp_path / "old.joblib")
    for load in (load_model, load_compact):
        with pytest.warns(ModelVersionWarning, match=r"scikit-learn 0.24.0 \(now") as warned:
            load(path)
        assert warned[0].filename == __file__  # it points at the caller, not at tagger


def test_multi_label_model_with_one_label_and_unlabeled_examples():
    examples = [Example("云计算市场份额增长", ("cloud",)), Example("周末去公园散步", ())] * 3
    for classifier in ("logreg", "svm"):
        model = train(examples, test_size=0, multi_label=True, classifier=classifier)
        assert model.labels == ["cloud"]
        assert model.scores(["云计算", "公园"]).shape == (2, 1)
        assert model.predict(["云计算市场", "周末散步"])[1] == []


def test_binary_svm_scores_have_two_columns():
    examples = [Example("云计算市场份额增长", ("cloud",)), Example("芯片出口管制", ("chips",))] * 3
    model = train(examples, test_size=0, classifier="svm")
    scores = model.scores(["云计算", "芯片"])
    assert scores.shape == (2, 2)
    assert model.predict(["云计算市场份额"])[0][0][0] == "cloud"


def test_conflicting_duplicates_warn_with_file_and_line():
    from tagger.model import DataWarning

    examples = [
        *corpus_examples(),
        Example("阿里云发布新一代云服务器，云计算业务收入增长", ("weather-ai",), "d.jsonl", 9),
    ]
    with pytest.warns(
        DataWarning,
        match=r"1 text\(s\) appear with different labels, e.g. at corpus:1 and d.jsonl:9",
    ):
        train(examples, test_size=0)


def test_multi_label_model_gives_a_label_to_every_text_when_every_example_had_one():
    every = [e for e in corpus_examples(multi_label=True) if e.labels]
    model = train(every, test_size=0)
    assert model.min_labels == 1
    assert all(len(row) >= 1 for row in model.predict(PROBES))
    # an explicit threshold is a filter: it may leave a text without labels
    assert model.predict(["周末去公园散步"], threshold=0.99) == [[]]
    # a model that saw unlabeled examples may give none
    some = train(corpus_examples(multi_label=True), test_size=0)
    assert some.min_labels == 0
    assert train(every, test_size=0, min_labels=0).min_labels == 0


def test_min_df_defaults_to_one_for_small_data_and_is_recorded():
    model = train(corpus_examples(), test_size=0)
    assert model.card["params"]["min_df"] == 1
    pruned = train(corpus_examples(), test_size=0, min_df=2)
    assert pruned.card["params"]["min_df"] == 2
    assert pruned.pipeline[0].space_.n_features < model.pipeline[0].space_.n_features


def test_c_auto_picks_the_best_c_on_held_out_data_and_records_the_search():
    model = train(corpus_examples(), test_size=0, C="auto")
    search = model.card["metrics"]["C_search"]
    assert set(search["scores"]) == {"0.25", "0.5", "1.0", "2.0", "4.0"}
    best = max(search["scores"].values())
    chosen = model.card["params"]["C"]
    assert search["scores"][str(chosen)] == best
    tied = [float(c) for c, v in search["scores"].items() if v == best]
    assert chosen == (default_c(False) if default_c(False) in tied else tied[len(tied) // 2])
    few = corpus_examples()[:2] + corpus_examples()[8:10]  # two labels, two examples each
    with pytest.raises(DataError, match="choose C"):
        train(few, test_size=0, C="auto")


def test_c_search_computes_features_once_and_scores_as_models_trained_afresh(monkeypatch):
    from tagger import model as model_module
    from tagger.evaluation import holdout_split

    fitted, searched = [], {}
    fit_transform, fit = model_module.TfidfFeatures.fit_transform, model_module._fit

    def counting(self, X, y=None):
        fitted.append(len(X))
        return fit_transform(self, X, y)

    def recording(examples, multi_label, tokenizer, params, classes=None, features=None):
        model = fit(examples, multi_label, tokenizer, params, classes, features)
        if features is not None:
            searched[params["C"]] = model
        return model

    monkeypatch.setattr(model_module.TfidfFeatures, "fit_transform", counting)
    monkeypatch.setattr(model_module, "_fit", recording)
    examples = corpus_examples()
    train(examples, test_size=0, C="auto")
    part, held_out = holdout_split(examples, model_module.C_HELD_OUT, 0)
    assert fitted == [len(part), len(examples)]  # the search's features, the final model's
    assert sorted(searched) == sorted(model_module.C_GRID)
    texts = [e.text for e in held_out]
    for c, model in searched.items():
        afresh = train(part, test_size=0, C=c)
        assert afresh.labels == model.labels
        assert np.allclose(afresh.scores(texts), model.scores(texts))


@pytest.mark.filterwarnings("ignore:Label not 1 is present in all training examples")
def test_a_label_no_training_example_had_is_never_chosen():
    from sklearn.preprocessing import MultiLabelBinarizer

    from tagger.inference import CompactModel
    from tagger.model import TaggerModel, build_pipeline

    examples = corpus_examples(multi_label=True)
    labels = ["cloud", "never", "semiconductors", "weather-ai"]
    y = MultiLabelBinarizer(classes=labels).fit_transform([e.labels for e in examples])
    pipeline = build_pipeline(multi_label=True).fit([e.text for e in examples], y)
    model = TaggerModel(pipeline, labels, True, dict.fromkeys(labels, 0.5))
    texts = [e.text for e in examples]
    scores = model.scores(texts)
    assert scores[:, 1].max() < 1e-6  # scikit-learn's constant would give 0.5
    assert np.allclose(CompactModel.from_model(model).scores(texts), scores, atol=1e-5)
    assert not any("never" in [label for label, _ in row] for row in model.predict(texts))


def test_a_min_df_that_leaves_no_term_is_a_data_error():
    with pytest.raises(DataError, match="no term is found in 100 or more of the 24 texts"):
        train(corpus_examples(), test_size=0, min_df=100)


def test_a_label_on_every_example_warns_by_name_and_the_svm_still_scores():
    examples = [Example(e.text, ("always", *e.labels)) for e in corpus_examples(multi_label=True)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = train(examples)  # the held-out model and calibration score with the SVM
    messages = [(w.category, str(w.message)) for w in caught]
    assert [m for c, m in messages if c is DataWarning and "always" in m]
    assert not [m for _, m in messages if "present in all training" in m]  # scikit-learn's
    scores = model.scores(PROBES)
    assert scores.shape == (4, 4) and (scores[:, 0] > 0.99).all()
    assert ((scores[:, 1:] > 0) & (scores[:, 1:] < 1)).all()  # margins, not probabilities


_FIT_FILTERS: list[list] = []  # the warning filters of each _Watching fit in this process


class _Watching(ClassifierMixin, BaseEstimator):
    """A binary classifier that records the warning filters its fit runs under and warns as
    liblinear does when it does not converge."""

    def fit(self, X, y):
        _FIT_FILTERS.append(list(warnings.filters))
        warnings.warn("Liblinear failed to converge (a test's)", ConvergenceWarning, stacklevel=2)
        self.classes_ = np.unique(y)
        return self


@pytest.mark.parametrize("jobs", [1, 2])
def test_fitting_one_vs_rest_leaves_the_warning_filters_of_the_process_alone(jobs):
    """Each label's fit ran under warnings.catch_warnings, which swaps the process-wide filters
    (every warning 'always') and records every thread's warnings meanwhile: training in one
    thread changed the filters of the others. In worker processes (jobs 2) it is their own."""
    X = sparse.csr_matrix(np.eye(6))
    y = ["cloud", "chips", "weather", "cloud", "chips", "weather"]
    _FIT_FILTERS.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        outside = list(warnings.filters)
        fit_one_vs_rest(OneVsRestClassifier(_Watching()), X, y, jobs)
    assert all(seen == outside for seen in _FIT_FILTERS)
    assert len(_FIT_FILTERS) == (3 if jobs == 1 else 0)  # 0: fitted in the workers
    said = [str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert said == ["Liblinear failed to converge (a test's)"]  # still the caller's, once


def test_training_twice_on_several_cores_gives_identical_models():
    # the one-vs-rest SVMs fitted by threads shared liblinear's random generator: the
    # scores differed by ~1e-5 from one training to the next (10 times out of 10 here)
    examples = random_multi_label_examples()
    texts = [e.text for e in examples]
    first, second = (train(examples, n_jobs=2) for _ in range(2))
    assert first.scores(texts).tobytes() == second.scores(texts).tobytes()
    assert first.thresholds == second.thresholds
    assert first.calibration == second.calibration


@pytest.mark.parametrize(
    "options",
    [{"thresholds": "per-label"}, {"thresholds": "per-label", "target_precision": 0.9}],
)
def test_per_label_thresholds_of_a_single_label_model_are_refused(options):
    with pytest.raises(ValueError, match="apply to multi-label models"):
        train(corpus_examples(), **options)
    with pytest.raises(ValueError, match="apply to multi-label models"):
        train(corpus_examples(multi_label=True), multi_label=False, **options)


def test_train_checks_its_arguments():
    with pytest.raises(TypeError, match=r"train needs labeled examples .* not str"):
        train(["云计算", "芯片"])
    with pytest.raises(TypeError, match="not str"):
        train("云计算")
    for size in (1.5, 1, -0.1):
        with pytest.raises(ValueError, match="test_size"):
            train(corpus_examples(), test_size=size)
    # 1 fold said "needs at least 2 distinct texts" of 24; 0 silently measured a held-out split
    for folds in (1, 0, -3):
        with pytest.raises(ValueError, match=f"cv must be at least 2, not {folds}"):
            train(corpus_examples(), cv=folds)
    with pytest.raises(TypeError, match="cv must be an integer, not float"):
        train(corpus_examples(), cv=2.5)
    from tagger.evaluation import cross_validation

    with pytest.raises(ValueError, match="folds must be at least 2, not 1"):
        cross_validation(corpus_examples(), train, folds=1)


def test_labels_given_the_global_threshold_get_the_one_card_and_summary_name():
    import io

    from rich.console import Console

    from tagger.terminal import print_metrics

    data = [e for e in corpus_examples(multi_label=True) if e.labels]  # so min_labels 1
    model = train(data, thresholds="per-label")
    tuned = model.card["metrics"]["tuned_threshold"]
    assert model.min_labels == 1 and tuned["few_examples"]
    for label in tuned["few_examples"]:
        assert model.thresholds[label] == pytest.approx(tuned["threshold"])
        assert model.card["thresholds"][label] == pytest.approx(tuned["threshold"])
    shown = io.StringIO()
    print_metrics(model.card, Console(file=shown, width=200))
    applied = model.thresholds[tuned["few_examples"][0]]
    assert f"so the global threshold {applied:.2f}:" in shown.getvalue()


@pytest.mark.parametrize(
    ("figures", "multi_label", "chosen"),
    [
        ({}, False, 0.5),  # every C ties: the default C
        ({}, True, 4.0),
        ({0.25: 0.9, 0.5: 0.9, 1.0: 0.9}, True, 0.5),  # default (4) not among them: the middle
        ({0.25: 0.8, 0.5: 0.8}, False, 0.5),  # the default among the tied
        ({1.0: 0.9, 2.0: 0.9, 4.0: 0.9}, False, 2.0),  # no default among them: the middle
        ({0.25: 0.9, 0.5: 0.7}, False, 0.25),  # no tie
    ],
)
def test_c_auto_breaks_ties_with_the_default_c_or_the_middle(
    monkeypatch, figures, multi_label, chosen
):
    from tagger import evaluation
    from tagger import model as model_module

    class Report:
        def __init__(self, c):
            self.c = c

        def headline(self):
            value = figures.get(self.c, 0.6 if figures else 0.8)
            return {"accuracy": value, "micro_f1": value}

    monkeypatch.setattr(evaluation, "evaluate", lambda m, *a, **k: Report(m.c))

    def fit(part, features=None, C=1.0):
        model = model_module.TaggerModel(None, ["x"], multi_label)
        model.c = C
        return model

    found, search = model_module._choose_c(corpus_examples(), fit, lambda part: None, 0)
    assert found == chosen and set(search["scores"]) == {"0.25", "0.5", "1.0", "2.0", "4.0"}


def test_a_label_found_only_in_the_held_out_part_is_measured_not_a_crash():
    from tagger.evaluation import holdout_split

    examples = [*corpus_examples(), Example("篮球联赛总决赛今晚开打", ("sports",), "d", 99)]
    seed = next(s for s in range(50) if examples[-1] in holdout_split(examples, 0.2, s)[1])
    model = train(examples, seed=seed)  # the held-out model lacks 'sports': ValueError before
    assert model.card["metrics"]["method"] == "holdout"
    assert model.card["metrics"]["accuracy"] < 1  # 'sports' counts as a miss
    assert "sports" in model.labels  # the final model, fitted on everything, has it


def test_a_label_only_in_the_held_out_part_gets_the_global_per_label_threshold():
    from dataclasses import replace

    from tagger.evaluation import holdout_split

    examples = [  # articles of 5 segments; one article alone has 'sports2', which it is about
        replace(e, group=f"article {i // 5}")
        for i, e in enumerate(random_multi_label_examples(100, seed=0))
    ]
    rare = [Example(f"足球联赛决赛球员进球第{i}场", ("sports2",), group="match") for i in range(4)]
    examples += rare
    seed = next(s for s in range(200) if rare[0] in holdout_split(examples, 0.2, s)[1])
    model = train(examples, seed=seed, thresholds="per-label", target_precision=0.9)
    tuned = model.card["metrics"]["tuned_threshold"]
    assert model.thresholds["sports2"] == pytest.approx(tuned["threshold"])  # was 0.0
    assert tuned["unseen"] == ["sports2"]


def test_a_model_of_character_features_only_trains_saves_and_tags(tmp_path):
    model = train(corpus_examples(), test_size=0, word_ngrams=0, C=4.0)
    space = model.pipeline[0].space_
    assert space.words == {} and len(space.chars) > 0
    assert model.card["params"]["word_ngrams"] == 0
    compact = load_compact(model.save(tmp_path / "chars.joblib"))
    assert np.allclose(compact.scores(PROBES), model.scores(PROBES))
    best = [row[0][0] for row in model.predict(PROBES[:3])]
    assert best == ["cloud", "semiconductors", "weather-ai"]
