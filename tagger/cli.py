"""The ``tagger`` command line: each command parses options, calls one library function and
renders what it returns. User errors print ``Error: ...`` and exit with status 1."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
import warnings
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .errors import TaggerError

app = typer.Typer(
    name="tagger",
    help="Tag Chinese news segments with topics: train, tag, evaluate.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])


def handles_errors(command: F) -> F:
    """Turn user errors into ``Error: ...`` and exit status 1, without a traceback."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        previous = warnings.showwarning
        warnings.showwarning = _show_warning
        try:
            return command(*args, **kwargs)
        except TaggerError as error:
            err.print(f"[bold red]Error:[/] {error}", markup=True, highlight=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("Interrupted.")
            raise typer.Exit(130) from None
        finally:
            warnings.showwarning = previous

    return run  # type: ignore[return-value]


def _show_warning(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
    err.print(f"[yellow]Warning:[/] {message}", markup=True, highlight=False)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tagger {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Tag Chinese news segments with topics: train, tag, evaluate."""


class TagFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class SegmentFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


class DataFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    fasttext = "fasttext"


Encoding = Annotated[
    str | None, typer.Option(help="Text encoding of the inputs (default: detected).")
]
MinChars = Annotated[
    int, typer.Option(min=0, help="Merge fragments shorter than this into a neighbour.")
]
Sentences = Annotated[
    int | None, typer.Option(min=1, help="Cut paragraphs into windows of N sentences.")
]
Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout."),
]
DataFormatOption = Annotated[
    DataFormat | None, typer.Option("--format", help="Data format (default: from the extension).")
]
Trust = Annotated[
    bool,
    typer.Option("--trust", help="Load the model even if it cannot be verified (it can run code)."),
]
TextField = Annotated[str | None, typer.Option(help="Name of the text field or column.")]
LabelField = Annotated[str | None, typer.Option(help="Name of the label field or column.")]


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .files import atomic_write

    with atomic_write(output) as handle:
        handle.write(text)
    err.print(f"Wrote {output}", highlight=False)


def _excerpt(text: str, width: int = 48) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@app.command("segment")
@handles_errors
def segment_command(
    file: Annotated[Path, typer.Argument(help="An article text file ('-' for stdin).")],
    format: Annotated[SegmentFormat, typer.Option("--format", "-f")] = SegmentFormat.table,
    min_chars: MinChars = 10,
    max_chars: Annotated[
        int, typer.Option(help="Join a paragraph cut mid-sentence to the next up to this size.")
    ] = 500,
    sentences: Sentences = None,
    paragraphs: Annotated[
        str, typer.Option(help="Blocks: 'blank' lines, every 'line', or 'auto'.")
    ] = "auto",
    encoding: Encoding = None,
) -> None:
    """Cut an article file into articles and segments with character offsets."""
    from .files import decode, read_text
    from .segmenting import segment

    if str(file) == "-":
        text = decode(sys.stdin.buffer.read(), "<stdin>", encoding)
    else:
        text = read_text(file, encoding)
    if paragraphs not in ("auto", "blank", "line"):
        raise typer.BadParameter("use auto, blank or line", param_hint="--paragraphs")
    articles = segment(
        text, min_chars=min_chars, max_chars=max_chars, sentences=sentences, paragraphs=paragraphs
    )
    if format is SegmentFormat.table:
        for index, article in enumerate(articles):
            table = Table(title=f"{index}: {article.title or '(untitled)'}", title_justify="left")
            for column in ("start", "end", "chars", "text"):
                table.add_column(column, justify="right" if column != "text" else "left")
            for s in article.segments:
                table.add_row(str(s.start), str(s.end), str(len(s.text)), _excerpt(s.text, 60))
            out.print(table)
        return
    rows = [
        {
            "source": str(file),
            "index": i,
            "title": a.title,
            "start": a.start,
            "end": a.end,
            "segments": [{"start": s.start, "end": s.end, "text": s.text} for s in a.segments],
        }
        for i, a in enumerate(articles)
    ]
    if format is SegmentFormat.json:
        _emit(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", None)
    else:
        lines = [
            json.dumps(
                {"source": r["source"], "article": r["index"], "title": r["title"], **s},
                ensure_ascii=False,
            )
            for r in rows
            for s in r["segments"]
        ]
        _emit("".join(line + "\n" for line in lines), None)


@app.command("train")
@handles_errors
def train_command(
    data: Annotated[list[Path], typer.Argument(help="Labeled data files.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to save the model.")],
    format: DataFormatOption = None,
    text_field: TextField = None,
    label_field: LabelField = None,
    test_size: Annotated[
        float, typer.Option(min=0.0, max=0.9, help="Share held out to measure the model (0: none).")
    ] = 0.2,
    cv: Annotated[
        int | None, typer.Option(min=2, help="Cross-validate with K folds instead of a split.")
    ] = None,
    user_dict: Annotated[
        Path | None, typer.Option(help="jieba user dictionary ('word [freq] [tag]' a line).")
    ] = None,
    stop_words: Annotated[Path | None, typer.Option(help="Stop words, one a line.")] = None,
    taxonomy: Annotated[
        Path | None,
        typer.Option(help="TOML taxonomy: fixes the labels, adds their keywords as examples."),
    ] = None,
    group_field: Annotated[
        str | None,
        typer.Option(help="Field(s), comma-separated, grouping examples that split together."),
    ] = None,
    multi_label: Annotated[
        bool | None,
        typer.Option(
            "--multi-label/--single-label", help="Force the kind of model (default: from the data)."
        ),
    ] = None,
    classifier: Annotated[str, typer.Option(help="logreg or svm.")] = "logreg",
    c: Annotated[
        float, typer.Option("--c", min=0.0, help="Inverse regularisation strength.")
    ] = 10.0,
    balanced: Annotated[
        bool, typer.Option("--balanced", help="Weight labels inversely to their frequency.")
    ] = False,
    seed: Annotated[int, typer.Option(help="Random seed for the split.")] = 0,
    encoding: Encoding = None,
) -> None:
    """Train a model on labeled segments and save it with its model card."""
    from .data import read_examples, summarize
    from .model import CLASSIFIERS, train
    from .taxonomy import load_taxonomy
    from .tokenizing import JiebaTokenizer

    if classifier not in CLASSIFIERS:
        raise typer.BadParameter(f"use one of {', '.join(CLASSIFIERS)}", param_hint="--classifier")
    examples = read_examples(
        data,
        format.value if format else None,
        text_field=text_field,
        label_field=label_field,
        group_field=group_field,
        encoding=encoding,
    )
    summary = summarize(examples)
    _print_summary(summary)
    tokenizer = JiebaTokenizer.from_files(user_dict, stop_words)
    with err.status("training...") as status:
        model = train(
            examples,
            multi_label=multi_label,
            tokenizer=tokenizer,
            taxonomy=load_taxonomy(taxonomy) if taxonomy else None,
            test_size=test_size,
            cv=cv,
            seed=seed,
            progress=lambda message: status.update(message + "..."),
            classifier=classifier,
            C=c,
            class_weight="balanced" if balanced else None,
        )
    _print_metrics(model.card["metrics"])
    model.save(output)
    err.print(
        f"Saved {output} ({'multi-label' if model.multi_label else 'single-label'}, "
        f"{len(model.labels)} labels)",
        highlight=False,
    )


def _print_summary(summary: Any) -> None:
    table = Table(title=f"{summary.examples} examples", title_justify="left")
    table.add_column("label")
    table.add_column("examples", justify="right")
    for label, count in summary.labels.items():
        table.add_row(label, str(count))
    err.print(table)
    notes = [
        f"{summary.multi_label} with several labels",
        f"{summary.no_label} with no label",
        f"{summary.duplicates} duplicates",
        f"{summary.conflicting_duplicates} duplicate texts with conflicting labels",
        f"{summary.empty_texts} empty texts (skipped)",
    ]
    err.print("; ".join(notes), highlight=False)


def _print_metrics(metrics: dict[str, Any]) -> None:
    if metrics.get("method", "none") == "none":
        err.print(f"Not measured: {metrics.get('note', 'no held-out data')}.", highlight=False)
        return
    parts = []
    for key in ("accuracy", "micro_f1", "macro_f1"):
        value = f"{metrics[key]:.4f}"
        if f"{key}_std" in metrics:
            value += f" ± {metrics[f'{key}_std']:.4f}"
        parts.append(f"{key} {value}")
    err.print(
        f"{metrics['method']} on {metrics['examples']} examples: " + ", ".join(parts),
        highlight=False,
    )
    if "tuned_threshold" in metrics:
        tuned = metrics["tuned_threshold"]
        err.print(
            f"decision threshold {tuned['threshold']:.2f} (micro_f1 {tuned['micro_f1']:.4f} "
            "on the same held-out scores)",
            highlight=False,
        )


@app.command("tag")
@handles_errors
def tag_command(
    inputs: Annotated[
        list[str] | None, typer.Argument(help="Article files, directories, or '-' for stdin.")
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", "-m", help="Model file (default: the bundled model).")
    ] = None,
    format: Annotated[TagFormat, typer.Option("--format", "-f")] = TagFormat.table,
    top_k: Annotated[int | None, typer.Option(min=1, help="At most K labels a segment.")] = None,
    threshold: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Keep labels scoring at least this.")
    ] = None,
    min_share: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Article topics cover at least this share.")
    ] = 0.2,
    min_chars: MinChars = 10,
    sentences: Sentences = None,
    output: Output = None,
    encoding: Encoding = None,
    trust: Trust = False,
) -> None:
    """Tag every segment of the articles and roll the labels up into article topics."""
    from .tagging import resolve_model, tag_paths

    if not inputs:
        if sys.stdin.isatty():
            raise TaggerError(
                "no input", hint="pass article files or directories, or '-' for stdin"
            )
        inputs = ["-"]
    failures: list[TaggerError] = []
    articles = list(
        tag_paths(
            inputs,
            resolve_model(model, trust=trust),
            encoding=encoding,
            on_error=failures.append,
            top_k=top_k,
            threshold=threshold,
            min_share=min_share,
            min_chars=min_chars,
            sentences=sentences,
        )
    )
    if format is TagFormat.table:
        if output is not None:
            raise typer.BadParameter("use --format json, jsonl or csv with --output")
        _print_tagged(articles)
    else:
        _emit(_render_tagged(articles, format), output)
    for failure in failures:
        err.print(f"[bold red]Error:[/] {failure}", markup=True, highlight=False)
    if failures:
        err.print(f"{len(failures)} input(s) failed, {len(articles)} article(s) tagged.")
        raise typer.Exit(1)


def _print_tagged(articles: list[Any]) -> None:
    for article in articles:
        topics = ", ".join(f"{t.label} ({t.share:.0%})" for t in article.topics) or "(none)"
        table = Table(
            title=f"{article.source} #{article.index}: {article.title or '(untitled)'}\n"
            f"topics: {topics}",
            title_justify="left",
        )
        table.add_column("offsets", justify="right", no_wrap=True)
        table.add_column("labels", max_width=34)
        table.add_column("text", min_width=30)
        for s in article.segments:
            labels = ", ".join(f"{label} {s.scores[label]:.2f}" for label in s.labels) or "-"
            table.add_row(f"{s.start}-{s.end}", labels, _excerpt(s.text))
        out.print(table)


def _render_tagged(articles: list[Any], format: TagFormat) -> str:
    if format is TagFormat.json:
        return json.dumps([a.to_dict() for a in articles], ensure_ascii=False, indent=2) + "\n"
    if format is TagFormat.jsonl:
        lines = [
            json.dumps(
                {"source": a.source, "article": a.index, "title": a.title, **s.__dict__},
                ensure_ascii=False,
            )
            for a in articles
            for s in a.segments
        ]
        return "".join(line + "\n" for line in lines)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "article", "title", "start", "end", "labels", "scores", "text"])
    for a in articles:
        for s in a.segments:
            scores = "|".join(f"{label}:{s.scores[label]:.4f}" for label in s.labels)
            writer.writerow(
                [
                    a.source,
                    a.index,
                    a.title or "",
                    s.start,
                    s.end,
                    "|".join(s.labels),
                    scores,
                    s.text,
                ]
            )
    return buffer.getvalue()


@app.command("evaluate")
@handles_errors
def evaluate_command(
    data: Annotated[list[Path], typer.Argument(help="Labeled data files.")],
    model: Annotated[Path, typer.Option("--model", "-m", help="The model to measure.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the report as JSON here.")
    ] = None,
    format: DataFormatOption = None,
    text_field: TextField = None,
    label_field: LabelField = None,
    threshold: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Override the model's thresholds.")
    ] = None,
    mistakes: Annotated[int, typer.Option(min=0, help="How many worst mistakes to show.")] = 10,
    encoding: Encoding = None,
) -> None:
    """Measure a model on labeled data: accuracy, precision/recall/F1, confusions, mistakes."""
    from .data import read_examples
    from .evaluation import evaluate
    from .model import load_model

    examples = read_examples(
        data,
        format.value if format else None,
        text_field=text_field,
        label_field=label_field,
        encoding=encoding,
    )
    report = evaluate(
        load_model(model), examples, threshold=threshold, max_mistakes=max(mistakes, 20)
    )
    _print_report(report, mistakes)
    if output is not None:
        _emit(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n", output)


def _print_report(report: Any, mistakes: int) -> None:
    kind = "multi-label" if report.multi_label else "single-label"
    out.print(f"{report.examples} examples, {kind} model", highlight=False)
    accuracy = "exact match" if report.multi_label else "accuracy"
    out.print(
        f"{accuracy} {report.accuracy:.4f}   "
        f"micro P/R/F1 {report.micro_precision:.4f} / {report.micro_recall:.4f} / {report.micro_f1:.4f}   "
        f"macro P/R/F1 {report.macro_precision:.4f} / {report.macro_recall:.4f} / {report.macro_f1:.4f}",
        highlight=False,
    )
    table = Table(title="Per label", title_justify="left")
    for column in ("label", "support", "precision", "recall", "f1", "tp", "fp", "fn"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, row in sorted(report.per_label.items(), key=lambda kv: -kv[1]["support"]):
        table.add_row(
            label,
            str(row["support"]),
            *(f"{row[k]:.3f}" for k in ("precision", "recall", "f1")),
            *(str(row[k]) for k in ("tp", "fp", "fn")),
        )
    out.print(table)
    if report.confusion is not None and len(report.confusion["labels"]) <= 20:
        labels = report.confusion["labels"]
        matrix = Table(
            title="Confusion matrix (rows: true, columns: predicted)", title_justify="left"
        )
        matrix.add_column("")
        for i, _ in enumerate(labels):
            matrix.add_column(str(i), justify="right")
        matrix.add_column("none", justify="right")
        for i, (label, row) in enumerate(zip(labels, report.confusion["matrix"])):
            matrix.add_row(f"{i} {label}", *(str(v) if v else "." for v in row))
        out.print(matrix)
    if report.mistakes and mistakes:
        worst = Table(
            title=f"Worst {min(mistakes, len(report.mistakes))} mistakes", title_justify="left"
        )
        for column in ("true", "predicted", "top scores", "text"):
            worst.add_column(column)
        for m in report.mistakes[:mistakes]:
            scores = ", ".join(f"{k} {v:.2f}" for k, v in list(m.scores.items())[:3])
            worst.add_row(
                ", ".join(m.true) or "-",
                ", ".join(m.predicted) or "-",
                scores,
                _excerpt(m.text, 40),
            )
        out.print(worst)


@app.command("info")
@handles_errors
def info_command(
    model: Annotated[Path, typer.Argument(help="A model file.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the card as JSON.")] = False,
) -> None:
    """Show a model's card: labels, data, tokenizer, parameters, versions and metrics.

    The card is read from the file's header: nothing in the model is unpickled."""
    from .model import read_header

    card = read_header(model)[0].get("card", {})
    if json_output:
        _emit(json.dumps(card, ensure_ascii=False, indent=2) + "\n", None)
        return
    table = Table(title=str(model), title_justify="left", show_header=False)
    table.add_column("key", style="bold")
    table.add_column("value")
    for key, value in card.items():
        if isinstance(value, dict):
            value = "\n".join(f"{k}: {v}" for k, v in value.items())
        table.add_row(key, str(value))
    out.print(table)


@app.command("trust")
@handles_errors
def trust_command(
    model: Annotated[Path, typer.Argument(help="A model file you trust, e.g. from a colleague.")],
) -> None:
    """Trust a model file saved elsewhere: record its SHA-256 so that tagger will load it.

    Only trust files from people you trust: loading a model can run code in it. A file that
    changes afterwards is no longer trusted."""
    from .model import read_header
    from .trust import home, trust_file

    card = read_header(model)[0].get("card", {})
    sha = trust_file(model)
    labels = ", ".join(card.get("labels", {}))
    err.print(f"Trusted {model} (sha256 {sha[:16]}..., labels: {labels or '?'}).", highlight=False)
    err.print(f"Recorded in {home() / 'trusted.txt'}.", highlight=False)
