from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import subprocess
import sys
import warnings

import pytest
import typer
from typer.testing import CliRunner

from tagger.cli import app
from tagger.data import Example

from .conftest import CORPUS, corpus_examples, random_multi_label_examples

runner = CliRunner()
ARTICLE = "云计算市场迎来变局\n\n阿里云和华为云下调云服务器价格，云计算价格战再度升级。\n\n美国升级芯片出口管制，限制先进制程设备出口。\n"


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "train.jsonl"
    lines = [
        json.dumps({"text": t, "label": label}, ensure_ascii=False)
        for label, ts in CORPUS.items()
        for t in ts
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def invoke(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


@pytest.mark.parametrize(
    "command", [[], ["segment"], ["train"], ["tag"], ["evaluate"], ["info"], ["trust"], ["compare"]]
)
def test_every_command_has_help(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output) > 200


def test_an_output_under_a_file_is_an_error_not_a_traceback(
    tmp_path, data_file, article_file, saved_model
):
    (tmp_path / "notes").write_text("a file", encoding="utf-8")
    blocked = tmp_path / "notes" / "out"
    for args in (
        ["train", data_file, "-o", blocked / "m.joblib", "--test-size", "0"],
        ["tag", article_file, "--model", saved_model, "-o", blocked / "tags.json"],
        ["evaluate", data_file, "--model", saved_model, "-o", blocked / "report.json"],
    ):
        result = invoke(*args)
        assert result.exit_code == 1, (args, result.output)
        assert "Error:" in result.output and "notes is a file" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_version():
    assert invoke("--version").output.startswith("tagger ")


def test_evaluate_reports_its_data_warnings_and_no_others(tmp_path, saved_model, monkeypatch):
    """evaluate's reports carry the data warnings evaluate() raised, not whatever else warned
    while it ran (the CLI recorded every warning with catch_warnings, another thread's too)."""
    from tagger.inference import CompactModel

    scores = CompactModel.scores

    def warning_meanwhile(self, texts, *args, **kwargs):
        warnings.warn("elsewhere in the program", UserWarning, stacklevel=2)
        return scores(self, texts, *args, **kwargs)

    monkeypatch.setattr(CompactModel, "scores", warning_meanwhile)
    data = tmp_path / "d.jsonl"
    lines = [{"text": "腾讯云推出新的云存储服务", "label": "cloud"}]
    lines.append({"text": "股市小幅上涨，消费板块领涨", "label": "stocks"})
    data.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    result = invoke("evaluate", data, "-m", saved_model, "-o", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    assert "Warning: 1 of 2 examples have labels the model does not know" in result.output
    assert "Warning: elsewhere in the program" in result.output  # printed, as any warning
    about = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["about"]
    assert about["warnings"].startswith("1 of 2 examples have labels the model does not know")
    assert "elsewhere" not in about["warnings"]


@pytest.mark.filterwarnings("default::tagger.data.DataWarning")  # ignored in the others
def test_evaluate_warns_when_some_examples_were_training_examples(tmp_path, data_file):
    """Evaluated on part of its training data (not all of it), a model scored 1.0 and nothing
    said so: only the whole training data was recognised (by its SHA-256)."""
    model = tmp_path / "m.model"
    assert invoke("train", data_file, "-o", model, "--test-size", "0").exit_code == 0
    lines = data_file.read_text(encoding="utf-8").splitlines()
    new = json.dumps({"text": "腾讯云推出新的云存储服务", "label": "cloud"}, ensure_ascii=False)
    part = tmp_path / "part.jsonl"
    part.write_text("\n".join([*lines[:18], new]) + "\n", encoding="utf-8")
    result = invoke("evaluate", part, "-m", model, "-o", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    said = "18 of 19 examples have a text the model was trained on: the figures on them are "
    assert f"Warning: {said}optimistic" in " ".join(result.output.split())
    assert "measure it on held-out data" in " ".join(result.output.split())
    about = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["about"]
    assert said in about["warnings"]
    result = invoke("evaluate", data_file, "-m", model)  # all of it: said once, as before
    assert "own training data" in result.output and "18 of" not in result.output


def test_train_tag_evaluate_info(tmp_path, data_file, article_file, saved_model):
    model = tmp_path / "m.joblib"
    result = invoke("train", data_file, "-o", model, "--test-size", "0.25")
    assert result.exit_code == 0, result.output
    assert "24 examples" in result.output and "holdout on 6 examples" in result.output
    assert model.is_file()

    result = invoke("tag", article_file, "--model", model)
    assert result.exit_code == 0, result.output
    assert "topics:" in result.output and "云计算市场迎来变局" in result.output

    result = invoke("evaluate", data_file, "--model", model, "--output", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    assert "Warning: the data is the model's own training data" in result.output
    assert "Per label" in result.output and "Confusion matrix" in result.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert set(report) >= {
        "accuracy",
        "micro_f1",
        "macro_f1",
        "micro_precision",
        "micro_recall",
        "per_label",
    }
    assert set(report["per_label"]) == set(CORPUS)
    assert "the model's own training data" in report["about"]["warnings"]  # in the report too

    result = invoke("info", model, "--json")
    assert result.exit_code == 0
    card = json.loads(result.output)
    assert card["labels"] == {label: 8 for label in CORPUS}

    shown = invoke("info", model).output  # for a person: figures, labels, digests cut short
    assert f"single-label model, {len(CORPUS)} labels" in shown
    assert "holdout on 6 examples: accuracy" in shown
    assert all(re.search(rf"{label}\s+│\s+8 │", shown) for label in CORPUS)
    assert card["data"]["sha256"][:12] + "…" in shown and card["data"]["sha256"] not in shown


def test_tag_output_formats(article_file, saved_model, tmp_path):
    result = invoke("tag", article_file, "-m", saved_model, "--format", "json")
    assert result.exit_code == 0, result.output
    [article] = json.loads(result.output)
    assert set(article) >= {"source", "title", "topics", "segments"}
    segment = article["segments"][0]
    assert set(segment) == {"start", "end", "text", "labels", "scores"}
    assert ARTICLE[segment["start"] : segment["end"]] == segment["text"]

    lines = invoke("tag", article_file, "-m", saved_model, "-f", "jsonl").output.splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == len(article["segments"])
    assert all(r["source"] == str(article_file) and r["article"] == 0 for r in rows)

    out = tmp_path / "tags.csv"
    result = invoke(
        "tag",
        article_file,
        "-m",
        saved_model,
        "-f",
        "csv",
        "--top-k",
        "2",
        "--threshold",
        "0",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(table) == len(article["segments"])
    assert all(len(r["labels"].split("|")) == 2 for r in table)
    pairs = [(pair.split(":") for pair in r["scores"].split("|")) for r in table]
    assert [{k: float(v) for k, v in p} for p in pairs] == [
        s["scores"] for s in article["segments"]
    ]


def test_tag_output_format_comes_from_the_extension_unless_given(
    article_file, saved_model, tmp_path
):
    tag = ("tag", article_file, "-m", saved_model, "-o")
    assert invoke(*tag, tmp_path / "t.jsonl").exit_code == 0
    lines = (tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["source"] == str(article_file)
    assert invoke(*tag, tmp_path / "t.CSV").exit_code == 0
    assert (tmp_path / "t.CSV").read_text(encoding="utf-8").startswith("source,article,")
    assert invoke(*tag, tmp_path / "t.csv", "-f", "json").exit_code == 0
    assert json.loads((tmp_path / "t.csv").read_text(encoding="utf-8"))[0]["index"] == 0
    for name in ("t.txt", "t.tsv", "t"):  # said "use --format json, jsonl or csv with --output"
        result = invoke(*tag, tmp_path / name)
        said = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())
        assert result.exit_code == 2 and not (tmp_path / name).exists()
        suffix = name.partition(".")[2]
        what = f"from the extension '.{suffix}'" if suffix else "without an extension"
        assert f"cannot tell the output format {what}" in said, said
        assert "tag writes json (.json), jsonl (.jsonl) or csv (.csv)" in said
    result = invoke(*tag, tmp_path / "t.csv", "-f", "table")
    said = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())
    assert result.exit_code == 2 and "--format table is for the terminal, not a file" in said
    # an editor wanting Excel's file: the advice was --format csv, which wrote a CSV named
    # .xlsx that Excel refuses to open; now the CSV file and --bom
    for name in ("t.xlsx", "t.XLS"):
        result = invoke(*tag, tmp_path / name)
        said = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())
        assert result.exit_code == 2 and not (tmp_path / name).exists()
        assert "tag writes no spreadsheet workbook" in said and "--format" not in said, said
        assert said.replace(" ", "").endswith("t.csv--bom")


def test_tag_output_is_what_the_library_tags_with_any_jobs(saved_model, tmp_path):
    from tagger.tagging import tag_paths

    big = tmp_path / 'big, "odd" name.txt'  # several chunks; a name CSV and JSON must quote
    big.write_text((ARTICLE + "\n\n") * 1500, encoding="utf-8")
    articles = [a.to_dict() for a in tag_paths([big], saved_model)]
    assert len(articles) == 1500 and articles[-1]["index"] == 1499
    outputs = {}
    for fmt in ("json", "jsonl", "csv"):
        for jobs in ("1", "2"):
            out = tmp_path / f"out{jobs}.{fmt}"
            result = invoke("tag", big, "-m", saved_model, "-f", fmt, "-j", jobs, "-o", out)
            assert result.exit_code == 0, result.output
            outputs[fmt, jobs] = out.read_text(encoding="utf-8")
        assert outputs[fmt, "1"] == outputs[fmt, "2"]
    assert json.loads(outputs["json", "1"]) == articles
    lines = [json.loads(line) for line in outputs["jsonl", "1"].splitlines()]
    expected = [
        {"source": a["source"], "article": a["index"], "title": a["title"], **s}
        for a in articles
        for s in a["segments"]
    ]
    assert lines == expected
    rows = list(csv.DictReader(io.StringIO(outputs["csv", "1"])))
    assert [(r["source"], int(r["article"]), int(r["start"]), r["text"]) for r in rows] == [
        (e["source"], e["article"], e["start"], e["text"]) for e in expected
    ]


def test_tag_explain_in_every_format(article_file, saved_model):
    tag = ("tag", article_file, "-m", saved_model, "--explain")
    rows = [json.loads(line) for line in invoke(*tag, "-f", "jsonl").output.splitlines()]
    [article] = json.loads(invoke(*tag, "-f", "json").output)
    assert [r["evidence"] for r in rows] == [s["evidence"] for s in article["segments"]]
    for row in rows:
        assert set(row["evidence"]) == set(row["labels"])
        assert all(1 <= len(terms) <= 5 for terms in row["evidence"].values())
    table = list(csv.DictReader(io.StringIO(invoke(*tag, "-f", "csv").output)))
    first = rows[0]["evidence"]
    assert table[0]["evidence"] == "|".join(
        f"{label}:{'; '.join(t for t, _ in terms)}" for label, terms in first.items()
    )
    best_term = first[rows[0]["labels"][0]][0][0]
    assert f"({best_term.split()[0]}" in invoke(*tag).output  # the table: after the label


def test_tag_explain_table_keeps_every_term_whole():
    """A term ending exactly at the labels column's edge was cut to an ellipsis in the table
    (``(芯片; 光刻机…`` then ``半导体; 芯; 制程)`` on the next line): as if 光刻机 were the start
    of a longer term, and its separator lost. The cell now wraps, every term shown whole."""
    from tagger import terminal
    from tagger.tagging import TaggedArticle, TaggedSegment, Topic

    terms = ["芯片", "光刻机", "半导体", "芯", "制程"]
    segment = TaggedSegment(
        0,
        12,
        "美国再次收紧芯片出口管制。",
        ["semiconductors"],
        {"semiconductors": 0.998},
        {"semiconductors": [(term, 0.1) for term in terms]},
    )
    article = TaggedArticle(
        "a.docx", 0, None, 0, 12, [Topic("semiconductors", 1.0, 1.0)], [segment]
    )
    with terminal.out.capture() as captured:
        terminal.print_tagged(article)
    shown = captured.get()
    assert "…" not in shown
    cells = "".join(line.split("│")[2].strip() for line in shown.splitlines() if "│" in line)
    assert cells.replace(" ", "") == "semiconductors1.00(" + ";".join(terms) + ")"


def test_info_lists_each_labels_strongest_terms(saved_model):
    result = invoke("info", saved_model, "--terms", "3", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert set(document["top_terms"]) == set(document["labels"])
    for found in document["top_terms"].values():
        weights = [w for _, w in found]
        assert len(found) == 3 and weights == sorted(weights, reverse=True) and weights[-1] > 0
    shown = invoke("info", saved_model, "--terms", "3").output
    assert "Strongest terms" in shown and document["top_terms"]["cloud"][0][0] in shown
    assert "top_terms" not in json.loads(invoke("info", saved_model, "--json").output)


def test_tag_reads_stdin(saved_model):
    result = invoke("tag", "-", "-m", saved_model, "-f", "jsonl", input=ARTICLE)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0])["source"] == "<stdin>"


def test_tag_warns_when_records_on_stdin_are_read_as_text(saved_model):
    records = "".join(
        json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in ["云计算", "芯片"]
    )
    result = invoke("tag", "-", "-m", saved_model, "-f", "jsonl", input=records)
    assert result.exit_code == 0, result.output
    assert "Warning: <stdin>: starts like JSON lines" in result.output
    assert "pass --input-format jsonl" in result.output
    result = invoke(
        "tag", "-", "-m", saved_model, "-f", "jsonl", "--input-format", "jsonl", input=records
    )
    assert "Warning" not in result.output and len(result.output.splitlines()) == 2


def test_segment_names_stdin_as_tag_does():
    """tagger segment - gave "source": "-" where tagger tag - gives "<stdin>"."""
    for fmt in ("json", "jsonl"):
        result = invoke("segment", "-", "-f", fmt, input=ARTICLE)
        assert result.exit_code == 0, result.output
        if fmt == "json":
            rows = json.loads(result.output)
        else:
            rows = [json.loads(line) for line in result.output.splitlines()]
        assert {row["source"] for row in rows} == {"<stdin>"}


def test_output_dash_is_stdout_except_for_files_only(
    tmp_path, monkeypatch, article_file, data_file, saved_model
):
    monkeypatch.chdir(tmp_path)
    result = invoke("tag", article_file, "-m", saved_model, "-f", "jsonl", "-o", "-")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0])["source"] == str(article_file)
    result = invoke("evaluate", data_file, "-m", saved_model, "-o", "-")
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)["per_label"]) == set(CORPUS)  # the JSON, no table
    assert_clean_error(invoke("train", data_file, "-o", "-"), "-: ", "to a file", "Fix:")
    result = invoke("evaluate", data_file, "-m", saved_model, "--report", "-")
    assert_clean_error(result, "--report report.html")
    assert not (tmp_path / "-").exists()


def test_report_outputs_follow_their_extension(tmp_path, data_file, saved_model):
    evaluate = ("evaluate", data_file, "-m", saved_model)
    result = invoke(*evaluate, "-o", tmp_path / "r.md")
    assert result.exit_code == 0 and "Per label" in result.output  # the table, and the file:
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("#")  # Markdown, not JSON
    assert invoke(*evaluate, "-o", tmp_path / "r.json").exit_code == 0
    assert "per_label" in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert_clean_error(invoke(*evaluate, "--report", tmp_path / "r.json"), "HTML", "r.html")
    assert "per_label" in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))  # kept


def test_an_output_that_is_an_input_is_refused_up_front(
    tmp_path, article_file, data_file, saved_model
):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "b.txt").write_text(ARTICLE, encoding="utf-8")
    model = tmp_path / "m.joblib"
    model.write_bytes(saved_model.read_bytes())
    link = tmp_path / "link.joblib"
    link.symlink_to(model)
    before = {p: p.read_bytes() for p in (article_file, data_file, folder / "b.txt", model)}
    runs = [
        ("train", data_file, "-o", data_file),
        ("tag", article_file, "-m", model, "-f", "jsonl", "-o", article_file),
        ("tag", folder, "-m", model, "-f", "jsonl", "-o", folder / "b.txt"),
        ("tag", article_file, "-m", model, "-f", "jsonl", "-o", model),
        ("evaluate", data_file, "-m", model, "-o", model),
        ("evaluate", data_file, "-m", model, "--report", link),
        ("compare", model, saved_model, "-d", data_file, "-o", data_file),
    ]
    for args in runs:
        assert_clean_error(invoke(*args), f"{args[-1]}: the run reads this file", "Fix:")
    assert {p: p.read_bytes() for p in before} == before
    result = invoke("tag", folder, "-m", model, "-f", "jsonl", "-o", folder / "tags.jsonl")
    assert result.exit_code == 0, result.output  # beside the inputs, not one of them


def test_an_output_that_is_a_directory_is_refused_up_front(
    tmp_path, article_file, data_file, saved_model
):
    runs = [
        ("train", data_file, "-o", tmp_path),
        ("tag", article_file, "-m", saved_model, "-f", "jsonl", "-o", tmp_path),
        ("evaluate", data_file, "-m", saved_model, "--report", tmp_path),
        ("compare", saved_model, saved_model, "-d", data_file, "-o", tmp_path),
    ]
    for args in runs:
        result = invoke(*args)
        assert_clean_error(result, f"Error: {tmp_path}: is a directory. Fix: name a file")
        assert "examples" not in result.output  # before reading the data


def test_an_empty_input_keeps_an_existing_output_and_csv_keeps_its_header(tmp_path, saved_model):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    kept = tmp_path / "k.csv"
    kept.write_text("KEEP\n", encoding="utf-8")
    result = invoke("tag", empty, "-m", saved_model, "-f", "csv", "-o", kept)
    assert result.exit_code == 0, result.output
    assert f"Warning: no article was tagged; {kept} was left as it was" in result.output
    assert kept.read_text(encoding="utf-8") == "KEEP\n"
    header = "source,article,title,start,end,labels,scores,text\n"
    result = invoke("tag", empty, "-m", saved_model, "-f", "csv")
    assert result.stdout == header
    # an empty input (an earlier step of a pipeline failed) was a silent success
    assert result.stderr == "Warning: no article was tagged: the inputs hold no text\n"
    result = invoke("tag", empty, "-m", saved_model, "-o", tmp_path / "new.csv", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert "Warning: no article was tagged: the inputs hold no text" in result.stderr
    assert (tmp_path / "new.csv").read_text(encoding="utf-8") == header
    result = invoke("tag", "-m", saved_model, "-f", "jsonl", input="")  # an empty stdin
    assert result.exit_code == 0 and result.stdout == ""
    assert "no article was tagged" in result.stderr


def test_segment_command(article_file):
    result = invoke("segment", article_file, "-f", "json")
    assert result.exit_code == 0
    [article] = json.loads(result.output)
    assert article["title"] == "云计算市场迎来变局"
    assert [ARTICLE[s["start"] : s["end"]] for s in article["segments"]] == [
        s["text"] for s in article["segments"]
    ]
    assert "云计算市场迎来变局" in invoke("segment", article_file).output


def assert_clean_error(result, *fragments):
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Error:" in result.output
    for fragment in fragments:
        assert fragment in result.output


def test_bad_training_data(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    for command in (["train", empty, "-o", tmp_path / "m.joblib"], ["evaluate", empty, "--cv", 2]):
        assert_clean_error(invoke(*command), f"{empty}: no examples with text. Fix: add")

    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "云", "label": "a"}\n{"text": \n', encoding="utf-8")
    assert_clean_error(
        invoke("train", broken, "-o", tmp_path / "m.joblib"),
        "broken.jsonl, line 2",
        "malformed JSON",
    )

    single = tmp_path / "single.jsonl"
    single.write_text(
        '{"text": "云计算", "label": "cloud"}\n{"text": "云服务", "label": "cloud"}\n',
        encoding="utf-8",
    )
    assert_clean_error(invoke("train", single, "-o", tmp_path / "m.joblib"), "only one label")

    unknown = tmp_path / "data.xml"
    unknown.write_text("<x/>", encoding="utf-8")
    assert_clean_error(
        invoke("train", unknown, "-o", tmp_path / "m.joblib"), "data.xml", "--data-format"
    )
    assert not (tmp_path / "m.joblib").exists()


def test_exit_statuses_are_the_documented_ones(tmp_path, article_file, monkeypatch):
    assert invoke("segment", article_file).exit_code == 0
    assert invoke("train", tmp_path / "data.xml", "-o", tmp_path / "m.joblib").exit_code == 1
    for usage in (
        [],
        ["nosuch"],
        ["segment", article_file, "--bogus"],
        ["segment", article_file, "-f", "xml"],
        ["segment", article_file, "--encoding", "hex"],
        ["train", article_file, "-o", tmp_path / "m.joblib", "--c", "abc"],
        ["evaluate", article_file, "--model", tmp_path / "m.joblib", "--cv", "2"],
    ):
        assert invoke(*usage).exit_code == 2, usage

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("tagger.segmenting.segment", interrupted)
    result = invoke("segment", article_file)
    assert result.exit_code == 130 and "Interrupted." in result.output


def test_failed_training_keeps_the_previous_model(tmp_path, saved_model):
    target = tmp_path / "m.joblib"
    target.write_bytes(saved_model.read_bytes())
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{oops\n", encoding="utf-8")
    assert_clean_error(invoke("train", broken, "-o", target))
    assert target.read_bytes() == saved_model.read_bytes()


def test_bad_model_and_inputs(tmp_path, article_file, saved_model):
    fake = tmp_path / "fake.joblib"
    fake.write_text("hello", encoding="utf-8")
    assert_clean_error(invoke("tag", article_file, "-m", fake), "not a tagger model")
    assert_clean_error(invoke("info", tmp_path / "missing.joblib"), "no such model file")
    result = invoke("tag", article_file, tmp_path / "missing.txt", "-m", saved_model, "-f", "jsonl")
    assert_clean_error(result, "missing.txt", "no such file", "1 input(s) failed")
    assert json.loads(result.output.splitlines()[0])["source"] == str(article_file)
    out = tmp_path / "out.jsonl"  # some tagged: the last line says so, and where, after the
    result = invoke("tag", article_file, tmp_path / "missing.txt", "-m", saved_model, "-o", out)
    lines = result.stderr.splitlines()  # error (it said 'Wrote out.jsonl' before the error)
    assert result.exit_code == 1 and "Wrote" not in result.stderr and "no such file" in lines[0]
    assert lines[-1] == f"1 input(s) failed, 1 article(s) tagged, written to {out}."
    out.unlink()  # nothing tagged: a new output is not written, not 'left'
    result = invoke("tag", tmp_path / "missing.txt", "-m", saved_model, "-o", out)
    assert_clean_error(result, "0 article(s) tagged; " + f"{out} was not written.")
    assert not out.exists()
    out.write_text("KEEP\n", encoding="utf-8")
    result = invoke("tag", tmp_path / "missing.txt", "-m", saved_model, "-o", out)
    assert_clean_error(result, f"{out} was left as it was.")
    assert out.read_text(encoding="utf-8") == "KEEP\n"
    new = tmp_path / "reports" / "2026" / "out.jsonl"  # its folders were made, and left
    result = invoke("tag", tmp_path / "missing.txt", "-m", saved_model, "-o", new)
    assert_clean_error(result, f"{new} was not written.")
    assert not (tmp_path / "reports").exists()


def test_a_folder_with_a_link_to_a_folder_elsewhere_says_what_is_not_tagged(tmp_path, saved_model):
    news, elsewhere = tmp_path / "news", tmp_path / "elsewhere"
    news.mkdir()
    elsewhere.mkdir()
    (news / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (elsewhere / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (news / "archive").symlink_to(elsewhere)
    result = invoke("tag", news, "-m", saved_model, "-f", "jsonl")
    assert result.exit_code == 0
    assert result.output.count("Warning: 1 symbolic link(s) to folders not followed") == 1
    assert f"Fix: to tag them, pass the linked folders too (e.g. {news / 'archive'})" in (
        result.output
    )
    result = invoke("tag", news, news / "archive", "-m", saved_model, "-f", "jsonl")
    assert result.exit_code == 0 and "Warning" not in result.output
    assert str(news / "archive" / "b.txt") in result.output


def test_a_folder_with_an_unreadable_subfolder_fails_the_run(tmp_path, saved_model, monkeypatch):
    # the subfolder's files were skipped silently, exit status 0: a nightly job lost them
    news = tmp_path / "news"
    (news / "locked").mkdir(parents=True)
    (news / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (news / "locked" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    scandir = os.scandir

    def failing(path="."):
        if os.fspath(path) == str(news / "locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", failing)
    result = invoke("tag", news, "-m", saved_model, "-f", "jsonl")
    assert_clean_error(
        result, f"{news / 'locked'}: cannot read this directory", "1 input(s) failed"
    )
    assert json.loads(result.output.splitlines()[0])["source"] == str(news / "a.txt")


def test_a_file_name_that_is_not_utf8_is_written_as_valid_utf8(tmp_path, saved_model):
    (tmp_path / os.fsdecode("新闻.txt".encode("gbk"))).write_text(ARTICLE, encoding="utf-8")
    named = str(tmp_path / "\\xd0\\xc2\\xce\\xc5.txt")  # its bytes as \\xNN escapes
    for format in ("jsonl", "csv", "json"):
        out = tmp_path / f"out.{format}"
        result = invoke("tag", tmp_path, "-m", saved_model, "-o", out)
        assert result.exit_code == 0, result.output  # was a UnicodeEncodeError traceback
        text = out.read_text(encoding="utf-8")
        if format == "jsonl":
            sources = {json.loads(line)["source"] for line in text.splitlines()}
        elif format == "csv":
            sources = {row["source"] for row in csv.DictReader(io.StringIO(text))}
        else:
            sources = {article["source"] for article in json.loads(text)}
        assert sources == {named}


def test_a_full_disk_is_an_error_line_and_keeps_the_old_output(
    tmp_path, article_file, saved_model, monkeypatch
):
    # an OSError traceback (ENOSPC) from tag_command's write, for -o and for stdout
    out = tmp_path / "tags.jsonl"
    out.write_text("old\n", encoding="utf-8")
    fdopen = os.fdopen

    def full_disk(fd, *args, **kwargs):
        handle = fdopen(fd, *args, **kwargs)

        def write(data):
            raise OSError(errno.ENOSPC, "No space left on device")

        handle.write = write
        return handle

    monkeypatch.setattr(os, "fdopen", full_disk)
    result = invoke("tag", article_file, "-m", saved_model, "-o", out)
    assert_clean_error(result, f"{out}: cannot write this file (No space left on device)")
    assert out.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt", "tags.jsonl"]


def test_stdout_on_a_full_disk_is_an_error_line(capsys):
    from tagger.cli import handles_errors

    @handles_errors
    def command():
        raise OSError(errno.ENOSPC, "No space left on device")  # as sys.stdout.write raises it

    with pytest.raises(typer.Exit) as stopped:
        command()
    assert stopped.value.exit_code == 1
    assert "Error: cannot write the output (No space left on device)" in capsys.readouterr().err


def test_a_closed_stdout_is_an_error_line(article_file, saved_model):
    # 'tagger tag a.txt -f jsonl >&-': sys.stdout is None, an AttributeError traceback
    command = ["tag", article_file, "-m", saved_model, "-f", "jsonl"]
    result = subprocess.run(
        [sys.executable, "-m", "tagger", *map(str, command)],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.decode().startswith("Error: standard output is closed")


def test_csv_quotes_line_breaks_in_names_and_texts(tmp_path, saved_model):
    # a "\r" in a text (old Mac line endings) and a "\n" in a file name went unquoted: the
    # csv module and pandas read one row as several
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "mac.txt").write_bytes(ARTICLE.replace("\n", "\r").encode("utf-8"))
    (folder / "two\nlines.txt").write_text(ARTICLE, encoding="utf-8")
    options = ["-m", saved_model, "--paragraphs", "blank", "--min-chars", "200"]
    for per in ("segment", "article"):
        lines = invoke("tag", folder, *options, "-f", "jsonl", "--per", per).output
        expected = [json.loads(line) for line in lines.splitlines()]
        result = invoke("tag", folder, *options, "-f", "csv", "--per", per)
        assert result.exit_code == 0
        assert "\r\n" not in result.output  # rows end in "\n", as before (no text has "\r\n")
        rows = list(csv.DictReader(io.StringIO(result.output, newline="")))
        assert [(r["source"], r["start"]) for r in rows] == [
            (e["source"], str(e["start"])) for e in expected
        ]
        if per == "segment":
            assert [r["text"] for r in rows] == [e["text"] for e in expected]
            assert any("\r" in r["text"] for r in rows)


def test_a_closed_stdin_is_an_error_line(article_file, saved_model):
    # 'tagger tag <&-' and 'tagger tag - <&-': sys.stdin is None, an AttributeError traceback
    for inputs in ([], ["-"]):
        result = subprocess.run(
            [sys.executable, "-m", "tagger", "tag", *inputs, "-m", str(saved_model)],
            capture_output=True,
            preexec_fn=lambda: os.close(0),
            timeout=120,
        )
        assert result.returncode == 1
        expected = "Error: <stdin>: standard input is closed" if inputs else "Error: no input"
        assert result.stderr.decode().startswith(expected)


def test_encodings_that_do_not_decode_the_text(article_file, saved_model):
    for command in (["tag", article_file, "-m", saved_model], ["segment", article_file]):
        result = invoke(*command, "--encoding", "utf-16")  # a UTF-8 file, no BOM
        assert_clean_error(result, f"{article_file}: cannot decode as utf-16")
        for name, problem in (("hex", "'hex' is not a text encoding"), ("x", "unknown encoding")):
            result = invoke(*command, "--encoding", name)  # a usage error: before any reading
            shown = " ".join(result.output.replace("│", " ").split())
            assert result.exit_code == 2 and "Traceback" not in shown
            assert f"'--encoding': {problem}" in shown and "such as utf-8, gb18030" in shown


def test_tag_without_model_uses_the_bundled_one(monkeypatch):
    from .conftest import ROOT

    monkeypatch.delenv("TAGGER_MODEL", raising=False)
    seed = ROOT / "seeds" / "002_b7a2f105e4d17e60.txt"
    result = invoke("tag", seed, "-f", "json")
    assert result.exit_code == 0, result.output
    articles = json.loads(result.output)
    assert len(articles) >= 3 and all(a["title"] for a in articles)


def test_training_options_reach_the_model_card(tmp_path, data_file):
    model = tmp_path / "m.joblib"
    args = ["--hmm", "--min-df", "2", "--jobs", "1", "--c", "0.8", "--test-size", "0"]
    result = invoke("train", data_file, "-o", model, *args)
    assert result.exit_code == 0, result.output
    card = json.loads((tmp_path / "m.joblib.card.json").read_text(encoding="utf-8"))
    assert card["tokenizer"]["hmm"] is True
    assert card["params"]["min_df"] == 2 and card["params"]["C"] == 0.8
    result = invoke("evaluate", data_file, "--cv", "2", "--no-hmm", "--min-df", "2", "-j", "1")
    assert result.exit_code == 0, result.output
    assert card["params"]["word_ngrams"] == 2  # the default
    result = invoke("train", data_file, "-o", model, "--word-ngrams", "0", "--test-size", "0")
    assert result.exit_code == 0, result.output
    card = json.loads((tmp_path / "m.joblib.card.json").read_text(encoding="utf-8"))
    assert card["params"]["word_ngrams"] == 0
    result = invoke("evaluate", data_file, "--cv", "2", "--word-ngrams", "0", "-j", "1")
    assert result.exit_code == 0, result.output
    assert invoke("train", data_file, "-o", model, "--word-ngrams", "-1").exit_code == 2


def test_c_must_be_a_positive_number_or_auto(data_file, tmp_path):
    for bad in ("0", "-1", "big"):
        result = invoke("train", data_file, "-o", tmp_path / "m.joblib", "--c", bad)
        assert result.exit_code == 2 and "--c" in result.output
    result = invoke("train", data_file, "-o", tmp_path / "m.joblib", "--c", "auto")
    assert result.exit_code == 0, result.output
    assert re.search(
        r"chosen on \d held-out examples \(.*\); so few that the choice is rough", result.output
    )
    assert "fewer than 5 examples" not in result.output  # 8 a label


@pytest.mark.filterwarnings("default::tagger.data.DataWarning")  # ignored in the others
def test_train_warns_of_labels_with_few_examples(tmp_path):
    data = tmp_path / "few.jsonl"
    rows = [{"text": t, "label": label} for label, texts in CORPUS.items() for t in texts]
    rows += [{"text": "6G标准制定进入关键阶段", "label": "telecom"}]
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = invoke("train", data, "-o", tmp_path / "m.joblib", "-q")
    assert result.exit_code == 0, result.output
    assert "1 label(s) have fewer than 5 examples: telecom (1)" in result.output


def test_evaluate_cv_measures_what_train_cv_measures(tmp_path):
    # the texts without a label form one group, so one fold trains on labeled texts only:
    # each fold model must still give texts as few labels as the whole data's model would
    rows = [
        {"text": e.text, "labels": list(e.labels), "group": "none" if not e.labels else i % 3}
        for i, e in enumerate(corpus_examples(multi_label=True))
    ]
    data = tmp_path / "data.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    options = ["--multi-label", "--group-field", "group", "--cv", "2", "--jobs", "1"]
    trained = invoke("train", data, "-o", tmp_path / "m.joblib", *options)
    assert trained.exit_code == 0, trained.output
    card = json.loads((tmp_path / "m.joblib.card.json").read_text(encoding="utf-8"))
    measured = invoke("evaluate", data, *options, "-f", "json", "-o", tmp_path / "r.json")
    assert measured.exit_code == 0, measured.output
    cross = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["cross_validation"]
    for key in ("micro_precision", "micro_f1", "macro_f1"):
        assert cross[key] == pytest.approx(card["metrics"][key]), key


def test_brackets_in_texts_labels_and_file_names_are_printed_as_they_are(tmp_path, monkeypatch):
    """Nothing a user wrote is read as rich markup or emoji codes: no crash, no text lost."""
    monkeypatch.chdir(tmp_path)  # short file names: table titles on one line
    labels = {"cloud": "[/b]", "semiconductors": "[bold]chips", "weather-ai": ":cloud:"}
    rows = [{"text": t, "label": labels[k]} for k, ts in CORPUS.items() for t in ts]
    rows.append({"text": rows[0]["text"], "label": "[/b]"})  # a conflict: a warning
    rows.append({"text": rows[0]["text"], "label": ":cloud:"})
    data = tmp_path / "[draft] data.jsonl"
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    result = invoke("train", data.name, "-o", "[/m].joblib", "--test-size", "0")
    assert result.exit_code == 0, result.output
    assert "Warning: 1 text(s) appear with different labels, e.g. at [draft] data.jsonl" in (
        result.output
    )
    assert all(f"│ {label} " in result.output for label in labels.values())
    assert "Saved [/m].joblib" in result.output

    shown = invoke("info", "[/m].joblib").output
    assert shown.startswith("[/m].joblib\n") and all(label in shown for label in labels.values())

    text = "[link=x]云业务[/link]增速不及预期[/foo] :cloud:"
    (tmp_path / "[draft] a.txt").write_text(text + "\n", encoding="utf-8")
    for command in (["segment", "[draft] a.txt"], ["tag", "[draft] a.txt", "-m", "[/m].joblib"]):
        result = invoke(*command)
        assert result.exit_code == 0, result.output
        assert text in result.output
    assert "[draft] a.txt #0: " in result.output and "topics: [/b] (100%)" in result.output

    wrong = tmp_path / "wrong.jsonl"  # every label wrong: mistakes with brackets in them
    wrong.write_text(json.dumps({"text": "[/b]云计算", "label": ":cloud:"}) + "\n", "utf-8")
    result = invoke("evaluate", wrong, "-m", "[/m].joblib")
    assert result.exit_code == 0, result.output
    assert "│ :cloud: │ [/b]" in result.output and "[/b]云计算" in result.output

    assert_clean_error(invoke("tag", "[/x].txt"), "Error: [/x].txt: no such file")
    (tmp_path / "t.toml").write_text("[labels]\n", encoding="utf-8")
    result = invoke("train", data.name, "-o", "m.joblib", "--taxonomy", "t.toml")
    assert_clean_error(result, "no [labels.NAME] tables. Fix: add one [labels.NAME] table")


def test_tag_cuts_articles_as_segment_does_with_the_same_options(tmp_path, saved_model):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE.replace("。\n\n美国", "。\n美国"), encoding="utf-8")

    def cuts(*command: str) -> list[tuple[int, int]]:
        result = invoke(*command, article, "-f", "jsonl", "--max-chars", "40")
        assert result.exit_code == 0, result.output
        return [(r["start"], r["end"]) for r in map(json.loads, result.output.splitlines())]

    by_line = cuts("tag", "-m", saved_model, "--paragraphs", "line")
    assert by_line == cuts("segment", "--paragraphs", "line")
    assert len(by_line) == len(cuts("tag", "-m", saved_model)) + 1  # two lines, one paragraph


RECORDS = [
    {"id": "n-1", "content": "阿里云和华为云下调云服务器价格，云计算价格战再度升级。"},
    {"id": 2, "content": ARTICLE},
]


@pytest.fixture
def records_file(tmp_path):
    path = tmp_path / "arts.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), "utf-8")
    return path


def test_tag_carries_record_ids_to_every_format(records_file, saved_model, tmp_path):
    tag = ("tag", records_file, "-m", saved_model)
    articles = json.loads(invoke(*tag, "-f", "json").output)
    assert [(a["source"], a["index"], a["id"]) for a in articles] == [
        (str(records_file), 0, "n-1"),
        (str(records_file), 1, 2),
    ]
    for article, record in zip(articles, RECORDS):  # offsets index the record's text
        assert all(
            record["content"][s["start"] : s["end"]] == s["text"] for s in article["segments"]
        )
    assert articles[1]["title"] == "云计算市场迎来变局" and articles[1]["topics"]

    result = invoke(*tag, "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert list(rows[0])[:4] == ["source", "article", "id", "title"]
    assert [(r["article"], r["id"]) for r in rows] == [
        (a["index"], a["id"]) for a in articles for _ in a["segments"]
    ]

    table = tmp_path / "arts.csv"  # a CSV input, to CSV
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["doc_id", "text"])
        writer.writerows([[r["id"], r["content"]] for r in RECORDS])
    result = invoke("tag", table, "-m", saved_model, "--id-field", "doc_id", "-f", "csv")
    assert result.exit_code == 0, result.output
    found = list(csv.DictReader(io.StringIO(result.output)))
    assert list(found[0])[:4] == ["source", "article", "id", "title"]
    assert [(r["id"], r["text"]) for r in found] == [
        (str(a["id"]), s["text"]) for a in articles for s in a["segments"]
    ]
    assert "arts.jsonl #1 (id 2): 云计算市场迎来变局" in invoke(*tag).output


def test_a_bad_record_is_an_error_and_writes_no_output(records_file, saved_model, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(records_file.read_text(encoding="utf-8") + '{"id": 3, "body": "云"}\n', "utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("KEEP\n", encoding="utf-8")
    for jobs in ("1", "2"):
        result = invoke("tag", records_file, bad, "-m", saved_model, "-j", jobs, "-o", out)
        assert_clean_error(result, f"{bad}, line 3: no text field", "--text-field")
        assert out.read_text(encoding="utf-8") == "KEEP\n"
    result = invoke("tag", bad, "-m", saved_model, "--text-field", "content", "-f", "jsonl")
    assert_clean_error(result, f"{bad}, line 3: no text field (looked for content)")


def test_an_unpaired_surrogate_is_an_error_naming_its_line_in_tag_and_train(saved_model, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "a", "text": "阿里云下调云服务器价格。", "labels": ["cloud"]}\n'
        '{"id": "b", "text": "阿里云\\ud800。", "labels": ["cloud"]}\n',
        encoding="utf-8",
    )
    message = f"{bad}, line 2: the text holds an unpaired surrogate \\ud800"
    out = tmp_path / "out.jsonl"
    out.write_text("KEEP\n", encoding="utf-8")
    for format in ("table", "json", "jsonl", "csv"):
        result = invoke("tag", bad, "-m", saved_model, "-f", format)
        assert_clean_error(result, message, "Fix: write the character itself")
    result = invoke("tag", bad, "-m", saved_model, "-o", out)
    assert_clean_error(result, message)
    assert out.read_text(encoding="utf-8") == "KEEP\n"
    result = invoke("train", bad, "-o", tmp_path / "m.joblib")
    assert_clean_error(result, message)


def test_records_with_an_empty_text_are_counted_in_a_warning_when_they_give_no_row(
    saved_model, tmp_path
):
    records = tmp_path / "arts.jsonl"
    texts = ["阿里云下调云服务器价格。", "", "  \n", "美国升级芯片出口管制。"]
    records.write_text(
        "".join(
            json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)
        ),
        encoding="utf-8",
    )
    warning = "Warning: 2 article(s) had no text to tag (records with an empty or blank text)"
    for format in ("jsonl", "csv"):
        out = tmp_path / f"out.{format}"
        result = invoke("tag", records, "-m", saved_model, "-o", out)
        assert result.exit_code == 0, result.output
        assert result.output.count(warning) == 1 and "--per article gives a" in result.output
        text = out.read_text(encoding="utf-8")
        if format == "jsonl":
            ids = [json.loads(line)["id"] for line in text.splitlines()]
        else:
            ids = [int(row["id"]) for row in csv.DictReader(io.StringIO(text))]
        assert sorted(set(ids)) == [0, 3]  # a row a segment: the empty records have none
        result = invoke("tag", records, "-m", saved_model, "-o", out, "--per", "article")
        assert result.exit_code == 0 and "Warning" not in result.output
        assert len(out.read_text(encoding="utf-8").splitlines()) == 4 + (format == "csv")
    for options in (["-f", "json"], ["-f", "table"]):  # every article shown: no warning
        result = invoke("tag", records, "-m", saved_model, *options)
        assert result.exit_code == 0 and "Warning" not in result.output


def test_a_bad_record_also_reports_the_inputs_that_failed_before_it(
    records_file, saved_model, tmp_path
):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "body": "云"}\n', "utf-8")
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out.csv"
    out.write_text("KEEP\n", encoding="utf-8")
    for jobs in ("1", "2"):
        result = invoke("tag", missing, records_file, bad, "-m", saved_model, "-j", jobs, "-o", out)
        assert_clean_error(result, f"{missing}: ", f"{bad}, line 1: no text field")
        assert result.output.index(str(missing)) < result.output.index(f"{bad}, line 1")
        assert result.output.count("Error:") == 2
        assert out.read_text(encoding="utf-8") == "KEEP\n"


def test_record_options_for_inputs_that_are_all_text_are_a_usage_error(
    article_file, records_file, saved_model, tmp_path
):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "c.jsonl").write_text('{"text": "云"}\n', encoding="utf-8")  # folders: text only
    runs = [
        (article_file, "--id-field", "doc_id"),
        (article_file, folder, "--text-field", "body"),
        ("-", "--text-field", "body"),
        (records_file, "--input-format", "text", "--id-field", "id"),
    ]
    for args in runs:
        result = invoke("tag", *args, "-m", saved_model, "-f", "jsonl", input=ARTICLE)
        assert result.exit_code == 2, result.output
        assert args[-2] in result.output and "every input" in result.output
        assert "Usage" in result.output
    result = invoke("tag", article_file, records_file, "-m", saved_model, "--id-field", "id")
    assert result.exit_code == 0, result.output  # one record input among them
    stdin = ("tag", "-", "-m", saved_model, "-f", "jsonl", "--input-format", "jsonl")
    result = invoke(*stdin, "--text-field", "body", input='{"body": "云计算"}\n')
    assert result.exit_code == 0, result.output


def test_tag_records_with_two_jobs_is_the_same_as_with_one(saved_model, tmp_path):
    path = tmp_path / "many.jsonl"
    rows = [{"id": i, "text": ARTICLE * (1 + i % 4)} for i in range(400)]  # several batches
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    for fmt in ("json", "jsonl", "csv"):
        one, two = (
            invoke("tag", path, "-m", saved_model, "-f", fmt, "-j", jobs).output
            for jobs in ("1", "2")
        )
        assert one == two and one.count('"id"' if fmt != "csv" else "\n") >= 400


def test_tag_per_article_gives_a_line_or_row_an_article_with_its_topics(
    records_file, article_file, saved_model, tmp_path
):
    empty = tmp_path / "empty.jsonl"  # a record with no text is still an article
    empty.write_text('{"id": "e", "text": ""}\n', encoding="utf-8")
    inputs = ("tag", records_file, article_file, empty, "-m", saved_model)
    articles = json.loads(invoke(*inputs, "-f", "json").output)
    assert len(articles) == 4 and articles[-1]["topics"] == [] and articles[1]["topics"]
    expected = [
        {"source": a["source"], "article": a["index"]}
        | {key: value for key, value in a.items() if key not in ("source", "index", "segments")}
        for a in articles
    ]
    result = invoke(*inputs, "-f", "jsonl", "--per", "article")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines == expected
    assert list(lines[0]) == ["source", "article", "id", "title", "start", "end", "topics"]
    assert "id" not in lines[2]  # the text file

    result = invoke(*inputs, "-o", tmp_path / "arts.csv", "--per", "article")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "arts.csv").read_text(encoding="utf-8")
    assert text.startswith("source,article,id,title,start,end,labels,scores,shares\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["source"], int(r["article"]), r["id"]) for r in rows] == [
        (a["source"], a["index"], str(a.get("id", ""))) for a in articles
    ]
    for row, article in zip(rows, articles):  # labels and pairs as the segment rows have them
        topics = article["topics"]
        assert (row["title"], int(row["start"]), int(row["end"])) == (
            article["title"] or "",
            article["start"],
            article["end"],
        )
        assert row["labels"] == "|".join(t["label"] for t in topics)
        for column, key in (("scores", "score"), ("shares", "share")):
            pairs = [pair.split(":") for pair in row[column].split("|") if pair]
            assert [(label, float(v)) for label, v in pairs] == [
                (t["label"], t[key]) for t in topics
            ]

    table = invoke(*inputs, "--per", "article").stdout  # the table: a line an article
    assert len(table.splitlines()) == 4 and "topics: (none)" in table.splitlines()[-1]
    assert f"{records_file} #1 (id 2): 云计算市场迎来变局" in table
    assert "阿里云和华为云" not in table  # no segments
    segments = invoke(*inputs, "-f", "jsonl", "--per", "segment").output
    assert segments == invoke(*inputs, "-f", "jsonl").output  # the default


def test_tag_per_article_with_two_jobs_is_the_same_as_with_one(saved_model, tmp_path):
    records = tmp_path / "many.jsonl"
    rows = [{"id": i, "text": ARTICLE * (1 + i % 4)} for i in range(400)]  # several batches
    records.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    big = tmp_path / "big.txt"  # several chunks
    big.write_text((ARTICLE + "\n\n") * 1500, encoding="utf-8")
    for fmt in ("jsonl", "csv"):
        one, two = (
            invoke("tag", records, big, "-m", saved_model, "-f", fmt, "--per", "article", "-j", j)
            for j in ("1", "2")
        )
        assert one.exit_code == 0, one.output
        assert one.stdout == two.stdout and len(one.stdout.splitlines()) >= 1900


def test_tag_per_article_does_not_go_with_json_or_explain(article_file, saved_model, tmp_path):
    tag = ("tag", article_file, "-m", saved_model, "--per", "article")
    for args in (("-f", "json"), ("-o", tmp_path / "t.json"), ("-f", "csv", "--explain")):
        result = invoke(*tag, *args)
        assert result.exit_code == 2 and "Usage" in result.output, result.output
    assert not (tmp_path / "t.json").exists()
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = invoke("tag", empty, "-m", saved_model, "-f", "csv", "--per", "article")
    assert result.stdout == "source,article,title,start,end,labels,scores,shares\n"


def test_tag_csv_with_a_byte_order_mark_for_excel(
    records_file, article_file, saved_model, tmp_path
):
    tag = ("tag", records_file, article_file, "-m", saved_model)
    plain = list(csv.DictReader(io.StringIO(invoke(*tag, "-f", "csv").stdout)))
    for per in ("segment", "article"):
        out = tmp_path / f"{per}.csv"
        result = invoke(*tag, "-o", out, "--bom", "--per", per)
        assert result.exit_code == 0, result.output
        data = out.read_bytes()
        assert data.startswith(b"\xef\xbb\xbfsource,article,id,")
        assert data.count("\ufeff".encode()) == 1
        with out.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert list(rows[0])[:3] == ["source", "article", "id"]
        if per == "segment":
            assert rows == plain
    for jobs in ("1", "2"):  # on stdout once too, however many articles and processes
        result = invoke(*tag, article_file, records_file, "-f", "csv", "--bom", "-j", jobs)
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes.startswith(b"\xef\xbb\xbfsource,")
        assert result.stdout.count("\ufeff") == 1
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = invoke("tag", empty, "-m", saved_model, "-o", tmp_path / "e.csv", "--bom")
    assert (tmp_path / "e.csv").read_bytes() == b"\xef\xbb\xbf" + (
        b"source,article,title,start,end,labels,scores,text\n"
    )
    for args in (("-f", "jsonl"), ("-f", "json"), (), ("-o", tmp_path / "t.jsonl")):
        result = invoke(*tag, "--bom", *args)
        assert result.exit_code == 2 and "--bom" in result.output, result.output


def test_tag_output_of_a_text_file_has_no_id(article_file, saved_model):
    tag = ("tag", article_file, "-m", saved_model)
    assert "id" not in json.loads(invoke(*tag, "-f", "json").output)[0]
    assert "id" not in json.loads(invoke(*tag, "-f", "jsonl").output.splitlines()[0])
    header = "source,article,title,start,end,labels,scores,text"
    assert invoke(*tag, "-f", "csv").output.startswith(header + "\n")
    result = invoke(
        "tag",
        "-",
        "-m",
        saved_model,
        "-f",
        "csv",
        "--input-format",
        "jsonl",
        input=json.dumps({"text": "云计算"}) + "\n",
    )  # stdin as records
    assert result.output.startswith("source,article,id,title,") and "<stdin>,0,1," in result.output


@pytest.mark.parametrize(
    "options",
    [["--thresholds", "per-label"], ["--thresholds", "per-label", "--target-precision", "0.9"]],
)
def test_per_label_thresholds_on_single_label_data_are_a_usage_error(tmp_path, data_file, options):
    result = invoke("train", data_file, "-o", tmp_path / "m.joblib", *options)
    assert result.exit_code == 2, result.output
    assert "multi-label models" in " ".join(result.output.split())
    assert not (tmp_path / "m.joblib").exists()


def test_train_refuses_test_size_with_cv(tmp_path, data_file):
    options = ["--cv", "5", "--test-size", "0.3"]
    result = invoke("train", data_file, "-o", tmp_path / "m.joblib", *options)
    assert result.exit_code == 2, result.output
    shown = " ".join(result.output.split())
    assert "--test-size" in shown and "pass one of --cv and --test-size" in shown
    assert not (tmp_path / "m.joblib").exists()


def _jsonl(path, examples):
    lines = [
        json.dumps({"text": e.text, "labels": list(e.labels)}, ensure_ascii=False) for e in examples
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_train_names_the_labels_per_label_thresholds_fell_short_for(tmp_path):
    data = _jsonl(tmp_path / "multi.jsonl", random_multi_label_examples())
    result = invoke("train", data, "-o", tmp_path / "m.joblib", "--thresholds", "per-label")
    assert result.exit_code == 0, result.output
    card = json.loads((tmp_path / "m.joblib.card.json").read_text(encoding="utf-8"))
    listed = ", ".join(f"{label} {t:.2f}" for label, t in card["thresholds"].items())
    aim = "per-label decision thresholds (best F1 per label, the middle of ties)"
    assert f"{aim}: {listed} (micro F1" in " ".join(result.output.split())
    assert "examples at threshold 0.5: exact match" in result.output  # the figures before tuning
    assert "it was chosen on: optimistic" in " ".join(result.output.split())
    assert "fewer than" not in result.output  # every label has held-out examples
    small = _jsonl(tmp_path / "small.jsonl", corpus_examples(multi_label=True))
    options = ["--thresholds", "per-label", "--target-precision", "0.9"]
    result = invoke("train", small, "-o", tmp_path / "m.joblib", *options)
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())
    card = json.loads((tmp_path / "m.joblib.card.json").read_text(encoding="utf-8"))
    few = card["metrics"]["tuned_threshold"]["few_examples"]
    assert few and "held-out examples, so the global threshold" in shown
    assert ", ".join(few) in shown
    listed = ", ".join(f"{label} {t:.2f}" for label, t in card["thresholds"].items())
    aim = "per-label decision thresholds (lowest reaching precision 0.90, the middle of ties)"
    assert f"{aim}: {listed} (micro F1" in shown


def test_train_does_not_replace_a_file_that_is_not_a_model(tmp_path, data_file, article_file):
    # -o mistyped (an article, a data file): the model silently replaced it
    before = article_file.read_bytes()
    result = invoke("train", data_file, "-o", article_file)
    assert result.exit_code == 1, result.output
    assert f"Error: {article_file}: is a file that is not a tagger model" in result.output
    assert "Traceback" not in result.output and "examples" not in result.output  # before reading
    assert article_file.read_bytes() == before
    assert not (tmp_path / "article.txt.card.json").exists()
    old = tmp_path / "old.joblib"  # a model of the format before the header: a joblib pickle
    old.write_bytes(b"\x80\x04\x95")
    for model in (old, tmp_path / "new.joblib", tmp_path / "new.joblib"):  # then over a model
        result = invoke("train", data_file, "-o", model)
        assert result.exit_code == 0, result.output
        assert model.read_bytes().startswith(b"TAGGER-MODEL\n")


def test_train_and_info_say_when_the_scores_are_not_calibrated(tmp_path):
    # too few held-out labels to fit the calibration: the card said so, train and info did not
    lines = [
        json.dumps({"text": t, "label": label}, ensure_ascii=False)
        for label, ts in CORPUS.items()
        for t in ts[:2]
    ]
    data = tmp_path / "few.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = tmp_path / "m.joblib"
    result = invoke("train", data, "-o", model)
    assert result.exit_code == 0, result.output
    card = json.loads((tmp_path / "m.joblib.card.json").read_text(encoding="utf-8"))
    note = card["metrics"]["calibration"]["note"]
    assert card["metrics"]["calibration"]["method"] == "none" and note
    for shown in (result.output, invoke("info", model).output):
        assert f"scores not calibrated: {note}" in " ".join(shown.split())
    calibrated = invoke("train", data, "-o", model, "--cv", "2").output
    assert "scores calibrated on" in calibrated and "not calibrated" not in calibrated


def test_a_long_list_of_per_label_thresholds_is_cut():
    from rich.console import Console

    from tagger.terminal import print_metrics

    thresholds = {f"label{i}": 0.3 for i in range(12)}
    tuned = {"mode": "f1", "threshold": 0.4, "micro_f1": 0.8, "min_support": 3}
    metrics = {"method": "holdout", "examples": 50, "tuned_threshold": tuned}
    metrics |= dict.fromkeys(("accuracy", "micro_f1", "macro_f1"), 0.5)
    shown = io.StringIO()
    print_metrics({"metrics": metrics, "thresholds": thresholds}, Console(file=shown, width=300))
    assert "label6 0.30, label7 0.30, and 4 more (micro F1 0.8000" in shown.getvalue()
    assert "label8" not in shown.getvalue()


def test_labels_below_the_target_precision_are_listed():
    from tagger.terminal import _threshold_notes

    tuned = {"min_support": 3, "threshold": 0.4, "target_precision": 0.9}
    assert _threshold_notes({**tuned, "few_examples": [], "below_target": {}}) == []
    notes = _threshold_notes({**tuned, "few_examples": ["a"], "below_target": {"b": 0.75}})
    assert "fewer than 3 held-out examples, so the global threshold 0.40: a" in notes[0]
    assert "below the target precision 0.90" in notes[1] and notes[1].endswith("b (0.75)")


@pytest.mark.parametrize("mistakes", [3, 25, 0])
def test_evaluate_mistakes_are_the_same_in_every_report(tmp_path, saved_model, mistakes):
    wrong = _jsonl(  # every label wrong: 24 mistakes
        tmp_path / "wrong.jsonl",
        [
            Example(e.text, ("weather-ai" if "cloud" in e.labels else "cloud",))
            for e in corpus_examples()
        ],
    )
    options = ["evaluate", wrong, "-m", saved_model, "--mistakes", mistakes]
    kept = min(mistakes, 24)
    result = invoke(*options, "-o", tmp_path / "r.json", "--report", tmp_path / "r.html")
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert len(document["mistakes"]) == kept
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    if kept:
        assert f"Mistakes, worst first ({kept})" in page
    else:
        assert "Mistakes" not in page  # not 'None: every example got exactly its labels'
    result = invoke(*options, "-f", "markdown", "-o", tmp_path / "r.md")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert (f"## Worst {kept} mistakes" in text) == bool(kept)
    texts = [m["text"] for m in document["mistakes"]]
    assert all(t in text for t in texts)


def test_a_warning_every_fold_raises_is_printed_once(tmp_path):
    examples = [Example(e.text, (*e.labels, "news")) for e in random_multi_label_examples(60)]
    data = _jsonl(tmp_path / "const.jsonl", examples)
    result = invoke("evaluate", data, "--cv", "3", "-j", "1")
    assert result.exit_code == 0, result.output
    assert result.output.count("on every training example") == 1


def test_reports_with_no_terminal_to_fit_keep_long_label_names_whole(tmp_path, monkeypatch):
    # cron or CI writing a report to a file: rich assumed 80 columns and cut the label column
    monkeypatch.setattr("tagger.terminal.os.isatty", lambda fd: False)
    monkeypatch.delenv("COLUMNS", raising=False)
    long = {"semiconductor-export-controls": "semiconductors", "public-cloud-computing": "cloud"}
    data = tmp_path / "long.jsonl"
    rows = [{"text": t, "label": name} for name, short in long.items() for t in CORPUS[short]]
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    model = tmp_path / "m.joblib"
    assert invoke("train", data, "-o", model, "-q").exit_code == 0
    result = invoke("evaluate", data, "-m", model)
    assert result.exit_code == 0, result.output
    per_label = result.stdout.split("Per label")[1].split("support:")[0]
    assert "semiconductor-export-controls" in per_label
    assert "public-cloud-computing" in per_label
    longer = "public-cloud-computing-and-infrastructure-services-market-share-and-pricing-in-china"
    data.write_text(
        data.read_text(encoding="utf-8").replace("public-cloud-computing", longer), encoding="utf-8"
    )
    summary = invoke("train", data, "-o", model).stderr  # the data summary's table (stderr)
    assert longer in summary.split("with several labels")[0]


def test_a_taxonomy_error_comes_before_the_data_summary(tmp_path, data_file):
    """A taxonomy of [cloud] tables (not [labels.cloud]) was an error only after the data's
    summary had been printed (train) or the data read (evaluate --cv)."""
    taxonomy = tmp_path / "labels.toml"
    taxonomy.write_text('[cloud]\ndescription = "云"\nkeywords = ["云计算"]\n', encoding="utf-8")
    said = "no [labels.NAME] tables. Fix: name each label's table [labels.NAME]: [labels.cloud], not [cloud]"
    for command in (
        ("train", data_file, "-o", tmp_path / "m.model", "--taxonomy", taxonomy),
        ("evaluate", data_file, "--cv", "2", "--taxonomy", taxonomy),
    ):
        result = invoke(*command)
        assert_clean_error(result, f"{taxonomy}: {said}")
        assert "with several labels" not in result.output  # no summary printed first
    broken = tmp_path / "bad.jsonl"  # the data is not read first: its error does not show
    broken.write_text("{oops\n", encoding="utf-8")
    result = invoke("train", broken, "-o", tmp_path / "m.model", "--taxonomy", taxonomy)
    assert_clean_error(result, f"{taxonomy}: {said}")


def test_the_readme_names_the_csv_columns_tag_writes():
    # the per-article columns were listed, the per-segment ones only "the same as columns"
    from tagger.cli import Per, _csv_header

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme = " ".join(readme.split())
    for per in Per:
        columns = _csv_header(False, False, per).strip().replace("article,", "article[,id],")
        assert f"`{columns}`" in readme
        assert _csv_header(False, True, per).strip() == columns.replace("[,id]", ",id")
        assert _csv_header(True, False, per).strip() == columns.replace("[,id]", "") + ",evidence"
