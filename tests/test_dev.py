"""Held-out data given by the user: ``train(examples, dev=...)`` and ``tagger train --dev``."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from tagger.calibration import margins, platt, sigmoid
from tagger.cli import app
from tagger.data import DataWarning, Example
from tagger.errors import DataError
from tagger.evaluation import choose_thresholds, compare, evaluate, truth_matrix
from tagger.model import C_GRID, train

from .conftest import corpus_examples, random_multi_label_examples

runner = CliRunner()

DEV = [  # new texts, one topic each, clearly
    ("云厂商下调云服务器租用价格", "cloud"),
    ("公有云市场竞争加剧，云计算收入增长", "cloud"),
    ("云数据库服务用户数量翻倍", "cloud"),
    ("芯片出口管制扩大到更多制程设备", "semiconductors"),
    ("晶圆厂新建芯片生产线", "semiconductors"),
    ("存储芯片厂商扩大晶圆产能", "semiconductors"),
    ("机器学习模型提前预测台风和降雨", "weather-ai"),
    ("人工智能天气预报模型预测气温", "weather-ai"),
    ("气象大模型改进天气预报速度", "weather-ai"),
]
WRONG = {"cloud": "semiconductors", "semiconductors": "weather-ai", "weather-ai": "cloud"}


def dev_examples(wrong: bool = False) -> list[Example]:
    return [
        Example(text, (WRONG[label] if wrong else label,), "dev.jsonl", i + 1)
        for i, (text, label) in enumerate(DEV)
    ]


def test_the_figures_are_measured_on_the_dev_data():
    right = train(corpus_examples(), dev=dev_examples()).card["metrics"]
    wrong = train(corpus_examples(), dev=dev_examples(wrong=True)).card["metrics"]
    for metrics in (right, wrong):
        assert metrics["method"] == "dev" and metrics["examples"] == len(DEV)
        assert metrics["files"] == ["dev.jsonl"]
    assert right["accuracy"] == 1.0
    assert wrong["accuracy"] == 0.0  # every dev label is one the model does not give there


def test_the_final_model_is_fitted_on_training_and_dev_data_unless_refit_is_off():
    examples, dev = corpus_examples(), dev_examples()
    texts = [e.text for e in dev]
    refitted = train(examples, dev=dev)
    kept = train(examples, dev=dev, refit=False)
    on_all = train([*examples, *dev], test_size=0)
    on_training = train(examples, test_size=0)
    assert np.allclose(refitted._margins(texts), on_all._margins(texts))
    assert np.allclose(kept._margins(texts), on_training._margins(texts))
    assert not np.allclose(refitted._margins(texts), kept._margins(texts))
    data = refitted.card["data"]
    assert data["fitted_on"] == "training and dev data" and data["examples"] == 24 + len(DEV)
    assert data["files"] == ["corpus", "dev.jsonl"]
    assert data["training"]["examples"] == 24 and data["training"]["files"] == ["corpus"]
    assert data["dev"] == {
        "examples": len(DEV),
        "files": ["dev.jsonl"],
        "sha256": data["dev"]["sha256"],
    }
    assert "then fitted on the training and dev data" in refitted.card["metrics"]["note"]
    data = kept.card["data"]
    assert data["fitted_on"] == "training data" and data["examples"] == 24
    assert data["sha256"] == data["training"]["sha256"] == on_training.card["data"]["sha256"]
    assert refitted.card["labels"]["cloud"] == 8 + 3 and kept.card["labels"]["cloud"] == 8


def test_calibration_and_thresholds_are_fitted_on_the_dev_scores():
    examples = random_multi_label_examples(120, seed=0)
    dev = random_multi_label_examples(60, seed=1)
    model = train(examples, dev=dev, thresholds="per-label")
    alone = train(examples, test_size=0)  # the model measured on dev, uncalibrated
    scores = alone.scores([e.text for e in dev])
    found = platt(margins(scores), truth_matrix(dev, alone.labels))
    assert found is not None and model.calibration == pytest.approx(found)
    assert model.card["metrics"]["calibration"]["a"] == pytest.approx(found[0])
    cuts, _ = choose_thresholds(scores, dev, alone.labels, per_label=True, min_labels=1)
    expected = {label: float(sigmoid(margins(t), found)) for label, t in cuts.items()}
    assert model.thresholds == pytest.approx(expected)
    other = train(examples, dev=random_multi_label_examples(60, seed=2), thresholds="per-label")
    assert other.calibration != pytest.approx(model.calibration)  # another dev set, another fit


def test_c_auto_is_chosen_on_the_dev_data():
    examples, dev = corpus_examples(), dev_examples(wrong=True)
    search = train(examples, dev=dev, C="auto").card["metrics"]["C_search"]
    assert search["held_out"] == "dev" and set(search["scores"]) == {str(c) for c in C_GRID}
    for c in (C_GRID[0], C_GRID[-1]):
        measured = evaluate(train(examples, test_size=0, C=c), dev, check_data=False)
        assert search["scores"][str(c)] == measured.accuracy


def test_dev_texts_also_in_the_training_data_warn():
    examples = corpus_examples()
    leaked = [*dev_examples(), Example(f"  {examples[2].text}\n", ("cloud",), "dev.jsonl", 10)]
    with pytest.warns(
        DataWarning,
        match=r"1 of 10 dev examples have a text the training data "
        r"also has, e\.g\. dev\.jsonl:10 and corpus:3: .*lean optimistic",
    ):
        train(examples, dev=leaked)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        train(examples, dev=dev_examples())  # no leak, no warning


@pytest.mark.parametrize("refit", [True, False])
def test_dev_labels_unknown_to_the_training_data_warn_and_count_as_misses(refit):
    dev = [*dev_examples(), Example("足球联赛决赛今晚开打", ("sports",), "dev.jsonl", 10)]
    with pytest.warns(
        DataWarning,
        match=r"1 of 10 dev examples have labels the training data "
        r"lacks: sports \(1\)\. .*count as misses",
    ):
        model = train(corpus_examples(), dev=dev, refit=refit)
    assert model.card["metrics"]["accuracy"] == pytest.approx(9 / 10)
    assert ("sports" in model.labels) == refit  # the refitted model learns it from dev


def test_train_refuses_dev_with_another_way_of_measuring():
    examples, dev = corpus_examples(), dev_examples()
    with pytest.raises(ValueError, match="pass dev, cv or test_size, not cv too"):
        train(examples, dev=dev, cv=3)
    for size in (0.2, 0):
        with pytest.raises(ValueError, match="not test_size too"):
            train(examples, dev=dev, test_size=size)
    with pytest.raises(ValueError, match=r"refit=False .* needs dev"):
        train(examples, refit=False)
    with pytest.raises(TypeError, match="train needs labeled examples"):
        train(examples, dev=["云计算"])
    with pytest.raises(DataError, match="no dev examples with text"):
        train(examples, dev=[Example("  ", ("cloud",))])
    with pytest.raises(DataError, match=r"dev\.jsonl, line 2: single-label training needs"):
        train(
            examples, dev=[dev_examples()[0], Example("云", (), "dev.jsonl", 2)], multi_label=False
        )


def test_evaluating_the_dev_data_of_a_refitted_model_warns():
    examples, dev = corpus_examples(), dev_examples()
    with pytest.warns(
        DataWarning, match="the dev data the model was measured on in training, then fitted on"
    ):
        evaluate(train(examples, dev=dev), dev)
    with pytest.warns(DataWarning, match="the dev data model B was measured on in training"):
        compare(train(examples, test_size=0), train(examples, dev=dev), dev)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        evaluate(train(examples, dev=dev, refit=False), dev)  # still unseen: no warning


# The command line


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    train_file = _jsonl(
        tmp_path / "train.jsonl",
        [{"body": e.text, "label": e.labels[0]} for e in corpus_examples()],
    )
    first = _jsonl(tmp_path / "dev.jsonl", [{"body": t, "label": label} for t, label in DEV[:5]])
    second = tmp_path / "dev2.csv"  # any training data format
    second.write_text(
        "body,label\n" + "".join(f"{t},{label}\n" for t, label in DEV[5:]), encoding="utf-8"
    )
    return train_file, first, second


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def shown(result) -> str:
    """The output on one line: Rich's box edges and line breaks dropped."""
    return " ".join(result.output.replace("│", " ").split())


def test_train_with_dev_files(tmp_path, files):
    train_file, first, second = files
    model = tmp_path / "m.joblib"
    args = ["train", train_file, "--dev", first, "--dev", second, "--text-field", "body"]
    result = invoke(*args, "-o", model)
    assert result.exit_code == 0, result.output
    output = shown(result)
    assert "24 examples" in output and f"{len(DEV)} dev examples" in output
    assert f"dev data ({first}, {second}) on {len(DEV)} examples: accuracy 1.0000" in output
    assert "then fitted on the training and dev data" in output
    card = json.loads((tmp_path / "m.joblib.card.json").read_text(encoding="utf-8"))
    assert card["data"]["fitted_on"] == "training and dev data"
    assert card["data"]["dev"]["files"] == [str(first), str(second)]
    assert card["data"]["examples"] == 24 + len(DEV)
    result = invoke(*args, "-o", model, "--no-refit")
    assert result.exit_code == 0, result.output
    assert "it was not fitted on the dev data" in shown(result)
    card = json.loads((tmp_path / "m.joblib.card.json").read_text(encoding="utf-8"))
    assert card["data"]["fitted_on"] == "training data" and card["data"]["examples"] == 24


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--cv", "3"], "pass one of --dev and --cv"),
        (["--test-size", "0.3"], "pass one of --dev and --test-size"),
        (["--test-size", "0"], "pass one of --dev and --test-size"),
        (["--group-field", "body"], "leave it out"),
        (["--seed", "1"], "leave it out"),
    ],
)
def test_dev_with_options_that_do_not_go_with_it_is_a_usage_error(tmp_path, files, options, named):
    train_file, first, _ = files
    result = invoke("train", train_file, "--dev", first, "-o", tmp_path / "m.joblib", *options)
    assert result.exit_code == 2, result.output
    output = shown(result)
    assert options[0] in output and named in output and "held-out data" in output
    assert not (tmp_path / "m.joblib").exists()


def test_no_refit_without_dev_is_a_usage_error(tmp_path, files):
    result = invoke(
        "train", files[0], "--text-field", "body", "-o", tmp_path / "m.joblib", "--no-refit"
    )
    assert result.exit_code == 2 and "it needs --dev" in shown(result)


def test_a_bad_dev_file_is_an_error_and_the_model_is_left_as_it_was(tmp_path, files):
    train_file, first, _ = files
    model = tmp_path / "m.joblib"
    args = ["train", train_file, "--text-field", "body", "-o", model]
    assert invoke(*args, "--test-size", "0").exit_code == 0
    before = model.read_bytes(), (tmp_path / "m.joblib.card.json").read_bytes()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"body": "云计算", "label": "cloud"}\n{"body": 3, "label": "cloud"}\n', "utf-8")
    result = invoke(*args, "--dev", first, "--dev", bad)
    assert result.exit_code == 1, result.output
    assert f"Error: {bad}, line 2:" in shown(result)
    assert "Traceback" not in result.output
    assert (model.read_bytes(), (tmp_path / "m.joblib.card.json").read_bytes()) == before


def test_train_warns_about_a_dev_file_that_is_training_data(tmp_path, files):
    train_file = files[0]
    result = invoke(
        "train",
        train_file,
        "--dev",
        train_file,
        "--text-field",
        "body",
        "-o",
        tmp_path / "m.joblib",
    )
    assert result.exit_code == 0, result.output
    assert "24 of 24 dev examples have a text the training data also has" in " ".join(
        result.output.split()
    )


def test_dev_belongs_to_train_alone(tmp_path, files):
    train_file, first, _ = files
    result = invoke("evaluate", train_file, "--cv", "2", "--dev", first, "--text-field", "body")
    assert result.exit_code == 2 and "No such option" in result.output
    result = invoke("train", "--help")
    help_text = shown(result)
    assert "Held-out data" in help_text and "--dev" in help_text and "--no-refit" in help_text
    assert "--dev" not in invoke("evaluate", "--help").output


def test_a_dev_label_the_training_data_lacks_gets_the_global_threshold():
    dev = [
        *random_multi_label_examples(60, seed=1),
        *(Example(f"足球联赛决赛球员进球{i}", ("sports2",)) for i in range(5)),
    ]
    options = {"thresholds": "per-label", "target_precision": 0.9}
    with pytest.warns(DataWarning, match="sports2"):
        model = train(random_multi_label_examples(120, seed=0), dev=dev, **options)
    tuned = model.card["metrics"]["tuned_threshold"]
    global_cut = tuned["threshold"]  # calibrated, as the thresholds are
    assert model.thresholds["sports2"] == pytest.approx(global_cut)  # was 0.0: every text
    assert tuned["unseen"] == ["sports2"] and "sports2" not in tuned["below_target"]
    new = [e.text for e in random_multi_label_examples(50, seed=5)]
    assert not any("sports2" in [label for label, _ in row] for row in model.predict(new))
