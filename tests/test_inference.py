"""The scoring arrays give the Pipeline's scores, without scikit-learn or unpickling."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tagger.data import Example
from tagger.inference import CompactModel, LabelDecider
from tagger.model import train
from tagger.modelfile import load_compact

from .conftest import CORPUS, corpus_examples

PROBES = [t for texts in CORPUS.values() for t in texts] + [
    "完全无关的句子",
    "",
    "  ",
    "OpenAI与微软😀合作，ＡＩ芯片需求大增\n\n云计算。",
    "雲計算價格戰升級",
    "x" * 3000,
]


@pytest.mark.parametrize("classifier", ["logreg", "svm"])
@pytest.mark.parametrize("multi_label", [False, True])
def test_compact_scores_match_the_pipeline(classifier, multi_label, tmp_path):
    model = train(
        corpus_examples(multi_label), test_size=0, classifier=classifier, multi_label=multi_label
    )
    compact = load_compact(model.save(tmp_path / "m.joblib"))
    assert compact.labels == model.labels and compact.multi_label == model.multi_label
    assert np.allclose(compact.scores(PROBES), model.scores(PROBES), atol=1e-5)
    assert compact.predict(PROBES) == model.predict(PROBES) or np.allclose(
        [s for row in compact.predict(PROBES) for _, s in row],
        [s for row in model.predict(PROBES) for _, s in row],
        atol=1e-5,
    )


@pytest.mark.parametrize(
    "examples",
    [
        [Example("云计算市场份额增长", ("cloud",)), Example("芯片出口管制", ("chips",))] * 3,
        [Example("云计算市场份额增长", ("cloud",)), Example("周末去公园散步", ())] * 3,
    ],
    ids=["binary", "one label and none"],
)
def test_two_class_shapes(examples):
    model = train(examples, test_size=0)
    compact = CompactModel.from_model(model)
    assert np.allclose(compact.scores(PROBES), model.scores(PROBES), atol=1e-5)


def test_tagging_does_not_import_scikit_learn(saved_model, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("阿里云下调云服务器价格。\n\n美国升级芯片出口管制。", encoding="utf-8")
    code = (
        "import sys; from tagger.cli import app\n"
        "try:\n    app(sys.argv[1:], prog_name='tagger')\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "    print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'joblib'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "tag", str(article), "-m", str(saved_model), "-f", "jsonl"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert '"labels": ["cloud"]' in result.stdout


class _Decider(LabelDecider):
    def __init__(self, multi_label: bool, thresholds: dict[str, float], min_labels: int) -> None:
        self.labels, self.multi_label = ["a", "b", "c", "d"], multi_label
        self.thresholds, self.min_labels = thresholds, min_labels


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from([0.0, 0.3, 0.5, 0.7, 1.0]), min_size=4, max_size=4)),
    st.booleans(),
    st.dictionaries(st.sampled_from("abcd"), st.sampled_from([0.3, 0.5, 0.7])),
    st.integers(0, 2),
    st.none() | st.integers(1, 3),
    st.none() | st.sampled_from([0.3, 0.5]),
)
def test_decisions_follow_their_definition(rows, multi, thresholds, min_labels, top_k, threshold):
    model = _Decider(multi, thresholds, min_labels)
    scores = np.array(rows, dtype=float).reshape(-1, 4)
    chosen = model.decide(scores, top_k, threshold)
    for row, pick in zip(scores, chosen):
        ranked = sorted(range(4), key=lambda i: -row[i])  # a stable sort: ties in label order
        if threshold is not None:
            keep = [i for i in ranked if row[i] >= threshold]
        elif multi:
            keep = [i for i in ranked if row[i] >= thresholds.get(model.labels[i], 0.5)]
            keep = keep if len(keep) >= min_labels else ranked[:min_labels]
        else:
            keep = ranked[:1]
        expected = [(model.labels[i], row[i]) for i in keep][:top_k]
        assert pick == expected


def test_top_k_caps_the_chosen_labels_and_adds_none():
    scores = np.array([[0.6, 0.2, 0.15, 0.05], [0.4, 0.35, 0.2, 0.05]])
    single = _Decider(False, {}, 0)
    assert single.decide(scores, top_k=3) == [[("a", 0.6)], [("a", 0.4)]]
    assert single.decide(scores, top_k=3, threshold=0.2) == [
        [("a", 0.6), ("b", 0.2)],
        [("a", 0.4), ("b", 0.35), ("c", 0.2)],
    ]
    assert single.decide(scores, top_k=2, threshold=0.2)[1] == [("a", 0.4), ("b", 0.35)]
    multi = _Decider(True, {"b": 0.3}, 1)
    assert multi.decide(scores, top_k=3) == [[("a", 0.6)], [("b", 0.35)]]


def test_top_terms_are_each_labels_largest_coefficients(single_model):
    compact = CompactModel.from_model(single_model)
    top = compact.top_terms(5)
    names = compact.space.terms(range(compact.space.n_features))
    for i, label in enumerate(compact.labels):
        best: dict[str, float] = {}
        for name, weight in sorted(zip(names, compact.coef[i]), key=lambda nw: -nw[1]):
            if weight > 0:
                best.setdefault(name, round(float(weight), 4))
        assert top[label] == list(best.items())[:5]


def test_evidence_and_top_terms_of_a_binary_model_read_its_one_row_both_ways():
    data = [Example("云计算市场份额增长", ("cloud",)), Example("芯片出口管制升级", ("chips",))] * 3
    compact = CompactModel.from_model(train(data, test_size=0))
    assert compact.coef.shape[0] == 1 and compact.labels == ["chips", "cloud"]
    [found] = compact.evidence(["云计算芯片出口"], [["chips", "cloud"]], top=10)
    assert {t for t, _ in found["chips"]} & {"芯片", "出口"}
    assert {t for t, _ in found["cloud"]} & {"云", "计算"}
    assert not {t for t, _ in found["chips"]} & {t for t, _ in found["cloud"]}
    top = compact.top_terms(3)
    assert "芯片" in dict(top["chips"]) and "芯片" not in dict(top["cloud"])


@pytest.mark.parametrize(
    ("top", "error", "message"),
    [
        (-1, ValueError, "top must be at least 0, not -1"),
        (2.5, TypeError, "top must be an integer"),
    ],
)
def test_top_terms_refuses_a_count_below_0_or_no_integer(single_model, top, error, message):
    with pytest.raises(error, match=message):
        CompactModel.from_model(single_model).top_terms(top)


def test_evidence_names_an_unknown_label_and_refuses_one_str(single_model):
    compact = CompactModel.from_model(single_model)
    with pytest.raises(ValueError, match=r"no label 'nolabel' in the model; its labels: .*cloud"):
        compact.evidence(["云计算"], [["cloud", "nolabel"]])
    with pytest.raises(TypeError, match="texts must be a list of texts, not one str"):
        compact.evidence("云计算", [["cloud"]])
    with pytest.raises(TypeError, match=r"labels\[0\] must be a list of labels, not one str"):
        compact.evidence(["云计算"], ["cloud"])
    with pytest.raises(ValueError, match=r"one list of labels a text \(2 texts\)"):
        compact.evidence(["云计算", "芯片"], [["cloud"]])
    with pytest.raises(ValueError, match="top must be at least 0, not -1"):
        compact.evidence(["云计算"], [["cloud"]], top=-1)
    assert compact.evidence(["云计算"], [["cloud"]])[0]["cloud"]
