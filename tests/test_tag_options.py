"""tag()'s options and arguments: what --top-k chooses, a BOM, and the checks of the library."""

from __future__ import annotations

from tagger.tagging import tag

ARTICLE = (
    "云计算市场迎来变局\n\n本报记者 张三\n\n"
    "阿里云和华为云下调云服务器价格，云计算价格战再度升级，企业上云成本下降。\n\n"
    "另一方面，美国升级芯片出口管制，限制先进制程设备和高端芯片出口。\n"
)


def test_top_k_gives_a_single_label_model_its_best_label_only(single_model):
    plain = tag(ARTICLE, single_model)
    [article] = tag(ARTICLE, single_model, top_k=3)
    assert [s.labels for s in article.segments] == [["cloud"], ["semiconductors"]]
    assert [s.labels for s in article.segments] == [s.labels for s in plain[0].segments]
    assert {t.label for t in article.topics} <= {"cloud", "semiconductors"}
    assert article.topics == plain[0].topics


def test_top_k_caps_the_labels_a_threshold_chooses(single_model):
    [article] = tag(ARTICLE, single_model, threshold=0.0)
    assert all(len(s.labels) == 3 for s in article.segments)  # every label scores >= 0
    [article] = tag(ARTICLE, single_model, threshold=0.0, top_k=2)
    assert [s.labels[0] for s in article.segments] == ["cloud", "semiconductors"]
    assert all(len(s.labels) == 2 for s in article.segments)
