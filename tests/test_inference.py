"""The scoring arrays give the Pipeline's scores, without scikit-learn or unpickling."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from tagger.data import Example
from tagger.inference import CompactModel
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
