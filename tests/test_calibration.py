"""Scores calibrated on held-out data (Platt scaling) keep their order and read as probabilities."""

from __future__ import annotations

import io
from dataclasses import replace

import joblib
import numpy as np
import pytest

from tagger import modelfile
from tagger.calibration import IDENTITY, margins, platt, sigmoid
from tagger.inference import CompactModel
from tagger.model import train
from tagger.modelfile import load_compact

from .conftest import CORPUS, corpus_examples

PROBES = [t for texts in CORPUS.values() for t in texts] + ["完全无关的句子", "云计算芯片"]


def test_platt_recovers_the_parameters_of_a_logistic_model():
    rng = np.random.default_rng(0)
    x = rng.normal(0, 1.5, size=(20_000, 2))
    truth = rng.random(x.shape) < sigmoid(x, (3.0, -1.0))
    a, b = platt(x, truth)
    assert a == pytest.approx(3.0, abs=0.15) and b == pytest.approx(-1.0, abs=0.1)


def test_platt_needs_enough_pairs_of_both_kinds_and_stays_finite_on_separable_data():
    x = np.array([[-2.0, -1.0], [1.0, 2.0]] * 3)
    assert platt(x, np.zeros_like(x, dtype=bool)) is None
    assert platt(x, np.ones_like(x, dtype=bool)) is None
    assert platt(x[:4], x[:4] > 0) is None  # 4 pairs of each kind: too few
    a, b = platt(x, x > 0)  # perfectly separated: the smoothed targets keep a finite
    assert 0 < a < 50 and sigmoid(np.array(2.0), (a, b)) < 1


def test_margins_that_tell_nothing_give_scores_near_the_share_of_labels_in_their_order():
    # a model trained on a few dozen texts: its held-out labels fell with the margins (1 pair
    # in 8 has its label), where the plain sigmoid said 0.3 to 0.4 and platt fitted nothing
    x = np.linspace(-0.9, -0.4, 80).reshape(40, 2)
    truth = np.zeros(x.shape, dtype=bool)
    truth[:10, 0] = True  # the lowest margins
    a, b = platt(x, truth)
    scores = sigmoid(x, (a, b))
    assert a > 0 and np.all(np.diff(scores.ravel()) > 0)  # the margins' order is kept
    assert scores.mean() == pytest.approx(truth.mean(), abs=0.02)
    assert sigmoid(x).mean() > 0.3


def test_platt_leaves_out_labels_a_held_out_model_never_saw():
    rng = np.random.default_rng(1)
    x = rng.normal(0, 1.5, size=(500, 3))
    truth = rng.random(x.shape) < sigmoid(x, (3.0, -1.0))
    x[:40, 2] = margins(np.zeros(40))  # a column the model lacked (score 0), its label present
    truth[:40, 2] = True
    kept = np.ones(x.shape, dtype=bool)
    kept[:40, 2] = False
    assert platt(x, truth) == pytest.approx(platt(x[kept], truth[kept]))


def test_margins_invert_the_uncalibrated_sigmoid():
    x = np.linspace(-8, 8, 33)
    assert np.allclose(margins(sigmoid(x)), x)


@pytest.mark.parametrize("multi_label", [False, True])
def test_held_out_data_calibrates_the_scores_and_keeps_their_order(multi_label, tmp_path):
    model = train(corpus_examples(multi_label), test_size=0.25, multi_label=multi_label)
    a, b = model.calibration
    recorded = model.card["metrics"]["calibration"]
    assert (recorded["a"], recorded["b"]) == (a, b)
    assert a > 1  # training pushes held-out margins to about 1: the raw sigmoid is too timid
    raw = replace(model, calibration=IDENTITY).scores(PROBES)
    calibrated = model.scores(PROBES)
    assert np.allclose(calibrated, sigmoid(margins(raw), (a, b)))
    in_raw_order = np.take_along_axis(calibrated, np.argsort(-raw, axis=1), axis=1)
    assert (np.diff(in_raw_order, axis=1) <= 0).all()  # the same order: the same choices
    compact = load_compact(model.save(tmp_path / "m.joblib"))
    assert compact.calibration == pytest.approx((a, b))
    assert np.allclose(compact.scores(PROBES), calibrated, atol=1e-5)


@pytest.mark.parametrize("thresholds", ["global", "per-label"])
def test_calibration_changes_no_decision(thresholds, monkeypatch):
    data = corpus_examples(multi_label=True)
    model = train(data, test_size=0.3, thresholds=thresholds, min_labels=0)
    monkeypatch.setattr("tagger.model.platt", lambda margin, truth: None)
    plain = train(data, test_size=0.3, thresholds=thresholds, min_labels=0)
    assert plain.calibration == IDENTITY and model.calibration != IDENTITY
    assert model.thresholds != plain.thresholds
    labels = [[label for label, _ in row] for row in model.predict(PROBES)]
    assert labels == [[label for label, _ in row] for row in plain.predict(PROBES)]


def test_without_held_out_data_scores_stay_uncalibrated(single_model):
    assert single_model.calibration == IDENTITY
    assert "calibration" not in single_model.card["metrics"]


def test_logistic_regression_keeps_its_probabilities():
    model = train(corpus_examples(), test_size=0.25, classifier="logreg")
    assert model.calibration == IDENTITY and "calibration" not in model.card["metrics"]


def test_format_5_files_are_read_as_uncalibrated(single_model, tmp_path, monkeypatch):
    compact, arrays = CompactModel.from_model(single_model).to_arrays()
    del compact["calibration"]  # format 5 had none
    payload = io.BytesIO()
    joblib.dump(single_model, payload)
    monkeypatch.setattr(modelfile, "FORMAT_VERSION", 5)
    path = tmp_path / "old.joblib"
    modelfile.write_model(path, single_model.card, compact, arrays, payload.getvalue())
    old = load_compact(path)
    assert old.calibration == IDENTITY
    assert np.allclose(old.scores(PROBES), single_model.scores(PROBES), atol=1e-5)
