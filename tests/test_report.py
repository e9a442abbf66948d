"""The readable reports: HTML (checked as text, as XML and in a real browser), Markdown, JSON,
and the evaluate/compare commands that write them."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from functools import partial
from html.parser import HTMLParser

import numpy as np
import pytest
from typer.testing import CliRunner

from tagger.cli import app
from tagger.data import Example
from tagger.evaluation import compare, cross_validation, evaluate, learning_curve
from tagger.model import train
from tagger.report import (
    comparison_rows,
    render_comparison_html,
    render_comparison_json,
    render_comparison_markdown,
    render_html,
    render_json,
    render_markdown,
)

from .conftest import CORPUS, corpus_examples, random_multi_label_examples

# TEST has a label the model does not know (to check escaping): evaluate warns about it
pytestmark = pytest.mark.filterwarnings("ignore::tagger.data.DataWarning")
runner = CliRunner()
HOSTILE = '<img src=x onerror="alert(1)">&'
TEST = [
    Example("腾讯云推出新的云存储服务", ("cloud",), "test.jsonl", 1),
    Example("晶圆厂采购更多半导体设备", ("semiconductors",), "test.jsonl", 2),
    Example("人工智能模型预测明天的降雨", ("weather-ai",), "test.jsonl", 3),
    Example("云计算巨头下调云服务器价格 | 芯片 <b>", ("weather-ai",), "test.jsonl", 4),
    Example("周末去公园散步", (HOSTILE,), "test.jsonl", 5),
]


def svgs(page: str) -> list[ET.Element]:
    """Every inline SVG image of the page, parsed as XML (raises if one is not valid)."""
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", page, re.S)]


def label_row(page: str, label: str) -> str:
    match = re.search(rf'<tr data-label="{re.escape(label)}">(.*?)</tr>', page, re.S)
    assert match, label
    return match.group(1)


class Tags(HTMLParser):
    """The tags of a page and their attributes."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_self_contained(page: str) -> None:
    tags = Tags(page).tags
    assert not [attrs for _, attrs in tags if {"src", "href", "xlink:href"} & set(attrs)]
    assert not {"script", "link", "img", "iframe", "object"} & {tag for tag, _ in tags}
    assert "http://" not in page and "https://" not in page
    assert "@import" not in page and "url(" not in page


def test_html_report_of_a_single_label_model(single_model):
    report = evaluate(single_model, TEST)
    page = render_html(report, about={"model": "m.joblib", "data": "test.jsonl"})
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert_self_contained(page)
    for label, row in report.per_label.items():
        cells = label_row(page, html.escape(label))
        for key in ("precision", "recall", "f1"):
            assert f"{row[key]:.3f}" in cells
        assert f">{row['support']}<" in cells
    assert f"{report.accuracy:.4f}" in page and f"{report.macro_f1:.4f}" in page
    images = svgs(page)
    assert {img.get("aria-label") for img in images} >= {
        "Confusion matrix",
        "Score distribution of cloud",
        "Precision-recall curve of weather-ai",
    }
    assert HOSTILE not in page and html.escape(HOSTILE) in page  # an unknown label, escaped
    assert "芯片 &lt;b&gt;" in page and "<b>" not in page  # a mistake's text
    mistakes = page[page.index("Mistakes, worst first") :]
    assert "云计算巨头" in mistakes and "test.jsonl:4" in mistakes


def test_html_report_of_a_multi_label_model_shows_thresholds_and_errors(multi_model):
    thresholds = {"cloud": 0.4, "semiconductors": 0.55, "weather-ai": 0.5}
    model = dataclasses.replace(multi_model, thresholds=thresholds)
    report = evaluate(model, [*TEST[:4], Example("他周末去公园散步", ())])
    page = render_html(report)
    assert "Errors per label" in page and "Confusion matrix" not in page
    assert "0.55" in label_row(page, "semiconductors") and "0.40" in label_row(page, "cloud")
    assert f"{report.no_label} of 5 examples got no label" in page
    assert "exact match" in page
    [bars] = [img for img in svgs(page) if img.get("aria-label") == "Errors per label"]
    assert "cloud" in "".join(bars.itertext())


def test_markdown_and_json_carry_the_same_figures(single_model):
    report = evaluate(single_model, TEST)
    text = render_markdown(report, mistakes=2)
    for label, row in report.per_label.items():
        if label != HOSTILE:
            expected = f"| {label} | {row['support']} | {row['precision']:.3f} | "
            assert expected in text
    assert "芯片 \\<b>" in text and "价格 \\| 芯片" in text  # no tags, no broken table
    assert text.count("\n| ") >= len(report.per_label) + 2
    document = {
        **report.to_dict(),
        "reliability": report.reliability(),
        "confusions": report.confusions(),
    }
    assert json.loads(render_json(report)) == json.loads(json.dumps(document))
    assert "## Scores against outcomes" in text
    for r in report.reliability():
        assert f"| {r['low']:.1f}–{r['high']:.1f} | {r['pairs']} | {r['with_label']:.1%} |" in text


def test_figures_of_labels_the_data_lacks_are_dashes_or_null(single_model, tmp_path):
    data = [Example(CORPUS["cloud"][0], ("cloud",))]  # no support for the other labels
    report = evaluate(single_model, data)
    row = label_row(render_html(report), "semiconductors")
    assert row.count(">–<") == 3 and ">0.000<" not in row
    assert "| semiconductors | 0 | – | – | – | 0 | 0 | 0 |" in render_markdown(report)
    per_label = json.loads(render_json(report))["per_label"]["semiconductors"]
    assert [per_label[k] for k in ("precision", "recall", "f1")] == [None, None, None]
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": data[0].text, "label": "cloud"}) + "\n", encoding="utf-8")
    model = tmp_path / "m.joblib"
    single_model.save(model)
    printed = invoke("evaluate", path, "-m", model).output
    assert re.search(r"semiconductors +│ +0 │ +- │ +- │ +- │ +0 │", printed)
    assert comparison_rows(compare(single_model, single_model, data))[1][1][2:] == ["–"] * 3


def test_reliability_counts_every_example_and_label_by_score(single_model):
    report = evaluate(single_model, TEST)
    rows = report.reliability()
    assert sum(r["pairs"] for r in rows) == len(TEST) * len(single_model.labels)
    scores = single_model.scores([e.text for e in TEST])
    has = np.array([[label in e.labels for label in single_model.labels] for e in TEST])
    for r in rows:
        inside = (scores >= r["low"]) & (scores < r["high"] if r["high"] < 1 else scores <= 1)
        assert r["pairs"] == inside.sum() and r["with_label"] == has[inside].mean()
    assert "Scores against outcomes" in render_html(report)


def test_cross_validation_and_learning_curve_in_the_report(multi_model):
    examples = corpus_examples(multi_label=True)

    def fit(part):  # the rendering is tested here, fitting in test_evaluation
        return multi_model

    cv = cross_validation(examples, fit, folds=2)
    curve = learning_curve(examples, fit, fractions=(0.5, 1.0), folds=2)
    page = render_html(cv.report, cross_validation=cv, learning_curve=curve)
    assert_self_contained(page)
    assert "Cross-validation" in page and f"± {cv.summary['micro_f1_std']:.4f}" in page
    assert "Learning curve" in page and any(
        img.get("aria-label") == "Learning curve" for img in svgs(page)
    )
    document = json.loads(render_json(cv.report, cross_validation=cv, learning_curve=curve))
    assert document["cross_validation"]["micro_f1"] == cv.summary["micro_f1"]
    assert len(document["learning_curve"]["points"]) == 2
    assert "## Learning curve" in render_markdown(cv.report, learning_curve=curve)


def test_comparison_reports(single_model):
    weak = train(corpus_examples()[::4], test_size=0)
    result = compare(single_model, weak, TEST)
    page = render_comparison_html(result, ("strong.joblib", "weak.joblib"))
    assert_self_contained(page)
    svgs(page)
    assert "strong.joblib" in page and f"Disagreements ({result.disagree})" in page
    assert "<th>A</th><th>B</th><th>B - A</th>" in page  # the legend names the files
    text = render_comparison_markdown(result, ("strong.joblib", "weak.joblib"))
    assert f"| macro F1 | {result.a.macro_f1:.4f} | {result.b.macro_f1:.4f} |" in text
    assert "| figure | A | B | B - A |" in text and "- A: strong.joblib\n- B: weak.joblib" in text


def test_comparison_reports_say_whether_the_difference_could_be_chance():
    model_a = train(random_multi_label_examples(30, seed=1), test_size=0)
    model_b = train(random_multi_label_examples(40, seed=2), test_size=0)
    result = compare(model_a, model_b, random_multi_label_examples(60, seed=3))
    chance = result.significance
    micro = chance.intervals["micro_f1"]
    line = (
        f"B - A micro-F1 {micro['difference']:+.3f} (95% interval {micro['low']:+.3f} to "
        f"{micro['high']:+.3f}): could be chance"
    )
    mcnemar = f"Only A exactly right on {chance.a_only} examples, only B on {chance.b_only}"
    document = json.loads(render_comparison_json(result, ("a", "b")))["significance"]
    assert document["intervals"] == chance.intervals and document["p_value"] == chance.p_value
    assert (document["resamples"], document["seed"], document["confidence"]) == (2000, 0, 0.95)
    assert "bootstrap" in document["method"] and "McNemar" in document["test"]
    assert line in document["reading"] and document["reading"][0].startswith("B - A exact match")
    assert mcnemar in document["reading"][3] and "could be chance" in document["reading"][3]
    text = render_comparison_markdown(result, ("a", "b"))
    assert "## Could the difference be chance?\n\n- B - A exact match" in text
    assert f"- {line}\n" in text and "2000 resamples of the 60 examples" in text
    page = render_comparison_html(result, ("a", "b"))
    assert_self_contained(page)
    assert f"<li>{html.escape(line)}</li>" in page and html.escape(mcnemar) in page


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "data.jsonl"
    rows = [{"text": t, "label": label} for label, texts in CORPUS.items() for t in texts]
    rows.append({"text": "气象卫星拍到台风眼", "label": "weather-ai"})
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_evaluate_command_writes_html_json_and_markdown(tmp_path, data_file, saved_model):
    html_path, json_path = tmp_path / "r.html", tmp_path / "r.json"
    result = invoke(
        "evaluate", data_file, "-m", saved_model, "--report", html_path, "-o", json_path
    )
    assert result.exit_code == 0, result.output
    assert "Per label" in result.output
    report = json.loads(json_path.read_text(encoding="utf-8"))
    page = html_path.read_text(encoding="utf-8")
    for label, row in report["per_label"].items():
        cells = label_row(page, label)
        assert all(f"{row[k]:.3f}" in cells for k in ("precision", "recall", "f1"))
    assert f"{report['micro_f1']:.4f}" in page and str(saved_model) in page
    assert_self_contained(page)
    svgs(page)

    printed = invoke("evaluate", data_file, "-m", saved_model, "-f", "json")
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output)["per_label"] == report["per_label"]
    markdown = invoke("evaluate", data_file, "-m", saved_model, "--format", "markdown")
    assert markdown.exit_code == 0 and markdown.output.startswith("# tagger evaluation")


def test_evaluate_command_cross_validates_fresh_models(tmp_path, data_file, monkeypatch):
    import tagger.evaluation

    quick = partial(tagger.evaluation.learning_curve, fractions=(0.5, 1.0))
    monkeypatch.setattr(tagger.evaluation, "learning_curve", quick)
    out, page = tmp_path / "cv.json", tmp_path / "cv.html"
    args = ["--cv", "2", "--balanced", "--learning-curve", "-o", out, "--report", page]
    result = invoke("evaluate", data_file, *args)
    assert result.exit_code == 0, result.output
    assert "2-fold cross-validation by examples" in result.output and "±" in result.output
    assert "Learning curve" in result.output and "100%" in result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["cross_validation"]["folds"] == 2 and document["examples"] == 25
    assert len(document["cross_validation"]["per_fold"]) == 2
    assert len(document["learning_curve"]["points"]) == 2
    labels = {img.get("aria-label") for img in svgs(page.read_text(encoding="utf-8"))}
    assert {"Learning curve", "Confusion matrix"} <= labels


def test_evaluate_command_refuses_mixed_or_missing_options(data_file, saved_model):
    mixed = [["--cv", "3"], ["--taxonomy", "t"], ["--hmm"], ["--min-df", "2"], ["--c", "0.5"]]
    for args in [[], *(["-m", saved_model, *m] for m in mixed)]:
        result = invoke("evaluate", data_file, *args)
        assert result.exit_code == 2 and "--model" in result.output


def test_compare_command(tmp_path, data_file, saved_model):
    result = invoke("compare", saved_model, saved_model, "--data", data_file)
    assert result.exit_code == 0, result.output
    assert "Per-label F1" in result.output and "0 examples labeled differently" in result.output
    assert "B - A accuracy +0.000 (95% interval +0.000 to +0.000): no difference" in result.output
    assert "McNemar's exact test p = 1.000, no difference" in result.output
    out = tmp_path / "cmp.json"
    result = invoke("compare", saved_model, saved_model, "-d", data_file, "-f", "json", "-o", out)
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["disagree"] == 0 and set(document["a"]["per_label"]) == set(CORPUS)
    chance = document["significance"]
    assert chance["p_value"] == 1 and chance["intervals"]["micro_f1"]["low"] == 0
    assert invoke("compare", "--help").exit_code == 0


def test_an_explicit_report_format_wins_over_the_output_files_extension(
    tmp_path, data_file, saved_model
):
    # compare -f json -o x.md wrote Markdown, where evaluate wrote the JSON asked for
    for command in (
        ["evaluate", data_file, "-m", saved_model],
        ["compare", saved_model, saved_model, "-d", data_file],
    ):
        out = tmp_path / f"{command[0]}.md"
        assert invoke(*command, "-f", "json", "-o", out).exit_code == 0
        document = json.loads(out.read_text(encoding="utf-8"))  # compare's: a report a model
        assert "per_label" in document.get("a", document)
        assert invoke(*command, "-o", out).exit_code == 0  # the table, and Markdown beside it
        assert out.read_text(encoding="utf-8").startswith("#")


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


@pytest.mark.skipif(
    not any(shutil.which(b) for b in BROWSERS),
    reason="no headless browser installed (Debian: apt-get install chromium)",
)
def test_report_renders_in_a_headless_browser(tmp_path, single_model):
    browser = next(shutil.which(b) for b in BROWSERS if shutil.which(b))
    page = tmp_path / "report.html"
    page.write_text(render_html(evaluate(single_model, TEST)), encoding="utf-8")
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--dump-dom",
        page.as_uri(),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    assert "<svg" in dom and "semiconductors" in dom
    assert "晶圆厂采购更多半导体设备" in dom or "云计算巨头下调云服务器价格" in dom
    assert "Confusion matrix" in dom and "<img" not in dom  # the hostile label stayed text


class Cells(HTMLParser):
    """The text of each table cell of a page, and the names of the tags inside cells."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.inner: set[str] = set()
        self.depth = 0
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self.depth += 1
            self.cells.append("")
        elif self.depth:
            self.inner.add(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.cells[-1] += data


def test_markdown_cells_render_as_the_text_they_hold(single_model):
    """Markdown punctuation and HTML entities in texts and labels are text when rendered:
    no links, images, emphasis or code, and '&lt;' stays '&lt;', not '<'."""
    from markdown_it import MarkdownIt

    text = "云 &lt;b&gt; &amp; *价* _战_ `x` [链](http://e.x) ![图](http://e.x/i) ~~降~~ \\|"
    label = "*a*_b_`c`[d](e)&amp;"
    data = [Example(text, ("weather-ai",)), Example("晶圆厂扩产 **芯片**", (label,))]  # mistakes
    report = evaluate(single_model, data)
    markdown = render_markdown(report, about={"data": "t_1_.jsonl [x](y)"})
    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    cells = Cells(page)
    assert not cells.inner, cells.inner  # no <a>, <img>, <em>, <code> or <s> in a cell
    assert text in cells.cells and label in cells.cells
    assert "t_1_.jsonl [x](y)" in html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "<a " not in page and "<img" not in page


def test_long_texts_are_folded_in_html_tables_and_whole_in_json(single_model):
    long = "晶圆厂采购更多半导体设备，" * 300  # 3,900 characters, labeled wrongly
    report = evaluate(single_model, [Example(long, ("cloud",)), *TEST[:3]])
    page = render_html(report)
    mistakes = page[page.index("Mistakes, worst first") :]
    [(start, whole)] = re.findall(
        r"<details[^>]*><summary>(.*?)</summary>(.*?)</details>", mistakes
    )
    assert len(re.sub(r"<[^>]+>", "", start)) < 160 and "3,900 characters" in start
    assert whole == long  # nothing to escape in it
    document = json.loads(render_json(report))
    assert long in [m["text"] for m in document["mistakes"]]
    weak = train(corpus_examples()[::4], test_size=0)
    result = compare(single_model, weak, TEST)
    first = dataclasses.replace(result.disagreements[0], text=long)
    page = render_comparison_html(dataclasses.replace(result, disagreements=[first]))
    assert re.search(r"<details[^>]*><summary>[^<]*… <span[^>]*>\(3,900 characters", page)


def test_every_format_lists_the_most_common_confusions(single_model, capsys):
    from tagger.evaluation import EvaluationReport
    from tagger.terminal import print_report

    report = evaluate(single_model, TEST)
    expected = [  # off the diagonal of the confusion matrix, most first
        (report.confusion["labels"][i], ([*report.confusion["labels"], None])[j], n)
        for i, row in enumerate(report.confusion["matrix"])
        for j, n in enumerate(row)
        if n and i != j
    ]
    found = [(c["true"], c["predicted"], c["examples"]) for c in report.confusions()]
    assert sorted(found) == sorted(expected) and found[0][2] == max(n for *_, n in expected)
    assert json.loads(render_json(report))["confusions"] == report.confusions()
    first = next(c for c in report.confusions() if c["true"] != HOSTILE)  # nothing to escape
    row = f"{first['true']} | {first['predicted']} | {first['examples']} | {first['share']:.1%}"
    assert "## Most common confusions" in render_markdown(report) and row in render_markdown(report)
    page = render_html(report)
    assert "Most common confusions" in page and f"<td>{html.escape(first['true'])}</td>" in page
    print_report(report, 0)
    assert re.search(
        rf"{re.escape(first['true'])} +│ {first['predicted']} +│ +{first['examples']} │",
        capsys.readouterr().out,
    )
    # a matrix too wide for a terminal is left out, its confusions are not
    labels = [f"label{i:02d}" for i in range(25)]
    matrix = [[5 if j == i else 0 for j in range(26)] for i in range(25)]
    matrix[3][7] = 4
    wide = EvaluationReport(129, False, *[0.9] * 7, {}, {"labels": labels, "matrix": matrix})
    print_report(wide, 0)
    printed = capsys.readouterr().out
    assert "too wide for a terminal" in printed and re.search(
        r"label03 +│ label07 +│ +4 │ +44\.4% │", printed
    )


def test_reports_say_what_their_terms_mean(single_model, multi_model, capsys):
    from tagger.terminal import print_report

    single, multi = evaluate(single_model, TEST), evaluate(multi_model, TEST[:4])
    for report, first in ((single, "accuracy"), (multi, "exact match")):
        markdown, page = render_markdown(report), render_html(report)
        assert "## What the figures mean" in markdown and "What the figures mean" in page
        for term in (first, "support", "precision", "recall", "F1", "micro", "macro"):
            assert f"- **{term}**: " in markdown and f"<dt>{html.escape(term)}</dt><dd>" in page
        assert ("**threshold**" in markdown) == report.multi_label
        print_report(report, 0)
        assert "support: examples that have the label" in capsys.readouterr().out
    result = compare(single_model, single_model, TEST)
    assert "- **support**: " in render_comparison_markdown(result)
    assert "<dt>support</dt>" in render_comparison_html(result)


def test_reports_say_when_and_from_what_model_they_were_made(tmp_path, data_file, saved_model):
    card = json.loads(saved_model.with_name(saved_model.name + ".card.json").read_text("utf-8"))
    trained = f"{card['created']} on {card['data']['examples']} examples"
    out = tmp_path / "r.json"
    assert invoke("evaluate", data_file, "-m", saved_model, "-o", out).exit_code == 0
    about = json.loads(out.read_text(encoding="utf-8"))["about"]
    assert about["model trained"].startswith(trained)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", about["evaluated"])
    markdown = invoke("evaluate", data_file, "-m", saved_model, "-f", "markdown").output
    assert f"- model trained: {trained}" in markdown and "- evaluated: " in markdown
    page = tmp_path / "c.html"
    args = ["compare", saved_model, saved_model, "-d", data_file, "-f", "json", "--report", page]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    about = json.loads(result.stdout)["about"]
    assert about["A trained"].startswith(trained) and about["data"] == str(data_file)
    assert "compared" in about and f"<dt>B trained</dt><dd>{trained}" in page.read_text("utf-8")


def test_every_format_says_where_a_mistake_or_disagreement_is(single_model, capsys):
    from tagger.terminal import print_comparison, print_report

    report = evaluate(single_model, TEST)
    places = [f"{m.source}:{m.line}" for m in report.mistakes]
    assert places and all(p.startswith("test.jsonl:") for p in places)
    markdown, page = render_markdown(report), render_html(report)
    assert "| source | text |" in markdown
    print_report(report, 10)
    printed = capsys.readouterr().out
    for place in places:
        assert f"| {place} |" in markdown and f"<td>{place}</td>" in page and place in printed
    weak = train(corpus_examples()[::4], test_size=0)
    result = compare(single_model, weak, TEST)
    places = [f"{d.source}:{d.line}" for d in result.disagreements]
    assert places
    markdown, page = render_comparison_markdown(result), render_comparison_html(result)
    print_comparison(result, ("a", "b"), 10)
    printed = capsys.readouterr().out
    for place in places:
        assert f"| {place} |" in markdown and f"<td>{place}</td>" in page and place in printed


def test_the_cross_validation_table_has_the_figures_of_the_reports(capsys):
    from tagger.evaluation import HEADLINE
    from tagger.terminal import print_cross_validation

    summary = {"method": "2-fold cross-validation", "examples": 9}
    for i, key in enumerate(HEADLINE):
        summary |= {key: i / 10, f"{key}_std": i / 100}
    print_cross_validation(summary, multi_label=True)
    printed = capsys.readouterr().out
    names = ["exact match", "micro precision", "micro recall", "micro F1"]
    names += ["macro precision", "macro recall", "macro F1"]
    for i, name in enumerate(names):
        assert re.search(rf"{name} +│ +{i / 10:.4f} │ +± {i / 100:.4f}", printed), name
    assert "accuracy" not in printed


def test_comparisons_list_labels_most_supported_first_as_evaluate_does(single_model):
    data = [*TEST, Example("阿里云发布新的云数据库", ("cloud",)), Example("云厂商降价", ("cloud",))]
    weak = train(corpus_examples()[::4], test_size=0)
    result = compare(single_model, weak, data)
    rows = comparison_rows(result)[1]
    supports = [int(r[1]) for r in rows]
    assert supports == sorted(supports, reverse=True) and rows[0][0] == "cloud"
    order = sorted(result.a.per_label, key=lambda x: -result.a.per_label[x]["support"])
    assert [r[0] for r in rows] == order
    page = render_comparison_html(result)
    [chart] = [img for img in svgs(page) if img.get("aria-label") == "Per-label F1"]
    drawn = [t.text for t in chart.iter("text") if t.text in order]
    assert drawn == order


def test_the_readme_names_every_key_of_the_json_report(single_model, multi_model):
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("The JSON report of `tagger evaluate`") :]
    section = section[: section.index("\n\n", section.index("- with `--cv`"))]
    examples = corpus_examples(multi_label=True)
    cv = cross_validation(examples, lambda part: multi_model, folds=2)
    curve = learning_curve(examples, lambda part: multi_model, fractions=(1.0,), folds=2)
    about = {"data": "d", "model": "m", "model trained": "t", "evaluated": "e", "warnings": "w"}
    documents = [
        json.loads(render_json(cv.report, about=about, cross_validation=cv, learning_curve=curve)),
        json.loads(render_json(evaluate(single_model, TEST))),
    ]
    keys = set()
    for document in documents:
        keys |= set(document) | set(document.get("about", ()))
        keys |= {k for row in document["per_label"].values() for k in row}
        keys |= {k for m in document["mistakes"] for k in m}
        keys |= {k for c in document["confusions"] for k in c}
        keys |= {k for r in document["reliability"] for k in r}
        keys |= {k for c in document["curves"].values() for k in c}
        keys |= {k for k in document.get("cross_validation", {}) if not k.endswith("_std")}
        keys |= set(document.get("learning_curve", {}))
        for point in document.get("learning_curve", {}).get("points", []):
            keys |= {k for k in point if not k.endswith("_std")}
    keys |= set(documents[1]["confusion"])
    missing = sorted(k for k in keys if f"`{k}`" not in section)
    assert not missing, missing


def test_every_format_shows_the_row_of_examples_without_a_label(single_model, capsys):
    from tagger.terminal import print_report

    report = evaluate(single_model, [*TEST[:3], Example("他周末去公园散步", ())])
    given = report.mistakes[0].predicted[0]
    assert f"| (none) | {given} | 1 | 100.0% |" in render_markdown(report)
    assert re.search(r"\n\| \(none\) \|( \d \|)+\n", render_markdown(report))  # matrix row
    [chart] = [
        img for img in svgs(render_html(report)) if img.get("aria-label") == "Confusion matrix"
    ]
    assert [t.text for t in chart.iter("text")].count("(none)") == 2  # a column and a row
    print_report(report, 0)
    assert re.search(r"│ none +│( +[.1] │)+", capsys.readouterr().out)


def test_every_format_names_the_weakest_labels(single_model, multi_model, capsys):
    from tagger.terminal import print_report

    for model in (single_model, multi_model):
        report = evaluate(model, TEST)
        in_data = {k: v for k, v in report.per_label.items() if v["support"] and v["f1"] < 1}
        lowest = min(in_data, key=lambda x: (in_data[x]["f1"], -in_data[x]["support"]))
        assert report.weakest()[0] == lowest and len(report.weakest()) == min(3, len(in_data))
        line = f"Weakest labels (lowest F1): {html.escape(lowest)} {in_data[lowest]['f1']:.3f}"
        assert line in render_html(report)
        n = in_data[lowest]["support"]
        plain = f"{lowest} {in_data[lowest]['f1']:.3f} ({n} example{'s' * (n != 1)})"
        print_report(report, 0)
        assert plain in capsys.readouterr().out
        if lowest != HOSTILE:
            assert plain in render_markdown(report)
    perfect = evaluate(single_model, [Example(CORPUS["cloud"][0], ("cloud",))])
    assert not perfect.weakest() and "Weakest" not in render_markdown(perfect)
