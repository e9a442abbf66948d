"""The ``tagger`` command line: each command parses options, calls one library function and
renders what it returns. User errors print ``Error: ...`` and exit with status 1."""

from __future__ import annotations

import contextlib
import csv
import datetime
import functools
import io
import json
import os
import signal
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, TextIO, TypeVar

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import DataError, OutputError, TaggerError
from .records import TEXT_FIELDS
from .terminal import (
    TagProgressDisplay,
    err,
    evidence_text,
    print_card,
    print_comparison,
    print_cross_validation,
    print_error,
    print_learning_curve,
    print_metrics,
    print_report,
    print_segments,
    print_summary,
    print_tagged,
    print_tagged_article,
    print_terms,
    print_warning,
    progress_shown,
    scoring_progress,
    status_line,
)

if TYPE_CHECKING:
    from .taxonomy import Taxonomy


class _Commands(TyperGroup):
    """The command group: a stdout closed while the help is printed (``tagger tag --help |
    head -1``) ends the run as it ends a command (exit status 141, nothing printed), where
    the help's rich console exits with status 1 (``Console.on_broken_pipe``)."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:  # tagger --help
        with _quiet_on_closed_stdout():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:  # tagger COMMAND --help, then the command
        with _quiet_on_closed_stdout():
            return super().invoke(ctx)


@contextlib.contextmanager
def _quiet_on_closed_stdout() -> Iterator[None]:
    """A BrokenPipeError, or rich's exit on one, ends the run with ``_pipe_closed``."""
    try:
        yield
    except BrokenPipeError:
        raise _pipe_closed() from None
    except SystemExit as stop:  # rich's, raised while it handles the BrokenPipeError
        if not isinstance(stop.__context__, BrokenPipeError):
            raise
        raise _pipe_closed() from None


app = typer.Typer(
    cls=_Commands,
    name="tagger",
    help="Tag Chinese news segments with topics: train, tag, evaluate.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])
EVIDENCE_TERMS = 5  # terms shown for each label with tag --explain
_json_line = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps without a new encoder


def handles_errors(command: F) -> F:
    """Turn user errors into ``Error: ...`` and exit status 1, without a traceback; SIGINT,
    SIGTERM and SIGHUP (unless ignored, as under nohup) end the run as exceptions do (exit
    status 130, 143, 129), so temporary files go; a closed stdout ends it quietly (141, as if
    killed by SIGPIPE, like cat)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        previous = warnings.showwarning
        shown: set[str] = set()  # a warning once a run, though each fold or model raises it

        def show(message: Any, *args: Any, **kwargs: Any) -> None:
            if str(message) not in shown:
                shown.add(str(message))
                print_warning(message)

        warnings.showwarning = show
        try:
            on_term = signal.signal(signal.SIGTERM, _terminate)
            on_hup = signal.getsignal(signal.SIGHUP)
            if on_hup is signal.SIG_DFL:  # the terminal went away (nohup: ignored, left so)
                signal.signal(signal.SIGHUP, _terminate)
        except ValueError:  # not in the main thread, where signals are handled
            on_term = on_hup = None
        try:
            return command(*args, **kwargs)
        except TaggerError as error:
            print_error(error)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("Interrupted.")
            raise typer.Exit(130) from None
        except _Terminated as stop:
            with contextlib.suppress(OSError):  # a terminal hung up: stderr may be gone too
                err.print("Hangup." if stop.signum == signal.SIGHUP else "Terminated.")
            raise typer.Exit(128 + stop.signum) from None
        except BrokenPipeError:  # stdout closed early (| head): stop quietly, as cat does
            raise _pipe_closed() from None
        except OSError as error:  # stdout on a full disk (files: atomic_write says which)
            from .files import no_room

            if not no_room(error):
                raise
            _discard_stdout()  # its unwritten rest would fail again at exit
            print_error(
                OutputError(
                    f"cannot write the output ({error.strerror or error})",
                    hint="make room where it goes, or write it elsewhere with -o FILE",
                )
            )
            raise typer.Exit(1) from None
        finally:
            warnings.showwarning = previous
            if on_term is not None:
                signal.signal(signal.SIGTERM, on_term)
            if on_hup is not None:
                signal.signal(signal.SIGHUP, on_hup)

    return run  # type: ignore[return-value]


class _Terminated(BaseException):
    """SIGTERM or SIGHUP (``signum``), raised wherever the run is, as SIGINT raises
    KeyboardInterrupt."""

    def __init__(self, signum: int = signal.SIGTERM) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, frame: Any) -> None:
    raise _Terminated(signum)


def _pipe_closed() -> typer.Exit:
    """The end of a run whose stdout was closed early (``| head``): quietly, with exit status
    141, as if killed by SIGPIPE (as ``cat`` is)."""
    _discard_stdout()
    return typer.Exit(128 + signal.SIGPIPE)


def _discard_stdout() -> None:
    """Point stdout at the null device, so that flushing it at exit cannot fail again (the
    Python docs' note on SIGPIPE)."""
    with contextlib.suppress(OSError, ValueError):  # no file descriptor (a test's runner)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


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


FILE_FORMATS = ("json", "jsonl", "csv")
"""The formats ``tag`` writes to a file (``--output``), named as their extensions."""


class Per(str, Enum):
    segment = "segment"
    article = "article"


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    html = "html"
    docx = "docx"
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    tsv = "tsv"


class ArticleFormat(str, Enum):
    auto = "auto"
    text = "text"
    html = "html"
    docx = "docx"


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


def _check_encoding(name: str | None) -> str | None:
    """``--encoding``: a text encoding Python knows (checked before any file is read)."""
    from .files import check_encoding

    try:
        return None if name is None else check_encoding(name)
    except TaggerError as error:
        raise typer.BadParameter(str(error)) from None


Encoding = Annotated[
    str | None,
    typer.Option(help="Text encoding of the inputs (default: detected).", callback=_check_encoding),
]
PageEncoding = Annotated[
    str | None,
    typer.Option(
        help="Text encoding of the inputs (default: detected; for an HTML page its BOM, else "
        "the charset its <meta> declares, else detected).",
        callback=_check_encoding,
    ),
]
MinChars = Annotated[
    int, typer.Option(min=0, help="Merge fragments shorter than this into a neighbour.")
]
Sentences = Annotated[
    int | None, typer.Option(min=1, help="Cut paragraphs into windows of N sentences.")
]
MaxChars = Annotated[
    int, typer.Option(min=1, help="Join a paragraph cut mid-sentence to the next up to this size.")
]


class Paragraphs(str, Enum):
    auto = "auto"
    blank = "blank"
    line = "line"


ParagraphsOption = Annotated[
    Paragraphs, typer.Option(help="Blocks: 'blank' lines, every 'line', or 'auto' (either).")
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file (atomically) instead of stdout ('-': stdout)."
    ),
]
DataFormatOption = Annotated[
    DataFormat | None,
    typer.Option("--data-format", help="Data format (default: from the extension)."),
]
Trust = Annotated[
    bool,
    typer.Option("--trust", help="Load the model even if it cannot be verified (it can run code)."),
]
TextField = Annotated[
    str | None,
    typer.Option(help="Name of the text field or column (data.text: a field of a JSON object)."),
]
Quiet = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help="Show no progress on stderr (shown only when it is a terminal; "
        "TAGGER_NO_PROGRESS=1 turns it off too).",
    ),
]
LabelField = Annotated[
    str | None,
    typer.Option(help="Name of the label field or column (meta.topics: a field of a JSON object)."),
]

TRAINING = "Training options (train; evaluate --cv)"
RECORDS = "Records (JSONL, JSON, CSV, TSV inputs)"
HMM_DEFAULT = False
GroupField = Annotated[
    str | None,
    typer.Option(
        help="Field(s), comma-separated, grouping examples that split together.",
        rich_help_panel=TRAINING,
    ),
]
TaxonomyFile = Annotated[
    Path | None,
    typer.Option(
        help="TOML taxonomy: fixes the labels, adds their keywords as examples.",
        rich_help_panel=TRAINING,
    ),
]
UserDict = Annotated[
    Path | None,
    typer.Option(
        help="jieba user dictionary ('word \\[freq] \\[tag]' a line).", rich_help_panel=TRAINING
    ),
]
StopWords = Annotated[
    Path | None, typer.Option(help="Stop words, one a line.", rich_help_panel=TRAINING)
]
MultiLabel = Annotated[
    bool | None,
    typer.Option(
        "--multi-label/--single-label",
        help="Force the kind of model (default: from the data).",
        rich_help_panel=TRAINING,
    ),
]
Classifier = Annotated[
    str, typer.Option(help="svm (linear SVM) or logreg.", rich_help_panel=TRAINING)
]
CValue = Annotated[
    str | None,
    typer.Option(
        "--c",
        help="Inverse regularisation strength (default: 0.5, or 4 for multi-label models), or"
        " 'auto': the best of 0.25-4 on 10% held out.",
        rich_help_panel=TRAINING,
    ),
]
TrainCValue = Annotated[
    str | None,
    typer.Option(
        "--c",
        help="Inverse regularisation strength (default: 0.5, or 4 for multi-label models), or"
        " 'auto': the best of 0.25-4 on 10% held out, or on the --dev data.",
        rich_help_panel=TRAINING,
    ),
]
Balanced = Annotated[
    bool,
    typer.Option(
        "--balanced", help="Weight labels inversely to their frequency.", rich_help_panel=TRAINING
    ),
]
MinDf = Annotated[
    int | None,
    typer.Option(
        min=1,
        help="Keep terms found in at least N texts (default: 1 below 100,000 examples, else 2).",
        rich_help_panel=TRAINING,
    ),
]
WordNgrams = Annotated[
    int | None,
    typer.Option(
        min=0,
        max=3,
        help="Word n-grams up to N (default 2); 0: character n-grams only, no jieba (may suit "
        "few, long examples: see README).",
        rich_help_panel=TRAINING,
    ),
]
Hmm = Annotated[
    bool,
    typer.Option(
        "--hmm/--no-hmm",
        help="Let jieba's HMM guess words missing from its dictionary (slower).",
        rich_help_panel=TRAINING,
    ),
]
TrainJobs = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Processes to train with (default: every core).",
        rich_help_panel=TRAINING,
    ),
]


class _NothingWritten(Exception):
    """Raised inside ``_sink`` to discard the output instead of writing it."""


@contextlib.contextmanager
def _sink(output: Path | None, announce: bool = True) -> Iterator[Callable[[str], Any]]:
    """Write to stdout, or to ``output`` atomically (replaced only when all went well), then
    say so if ``announce``."""
    if output is None:
        stdout = _stdout()
        yield stdout.write
        stdout.flush()
        return
    from .files import atomic_write

    with atomic_write(output) as handle:
        yield handle.write
    if announce:
        err.print(f"Wrote {output}", highlight=False)


def _stdout() -> TextIO:
    """``sys.stdout``, or an OutputError when there is none: the shell closed it (``>&-``)."""
    if sys.stdout is None:
        raise OutputError(
            "standard output is closed, so the output has nowhere to go",
            hint="write it to a file with -o FILE, or redirect stdout (> FILE)",
        )
    return sys.stdout


def _read_labeled(
    data: list[Path],
    data_format: DataFormat | None,
    text_field: str | None,
    label_field: str | None,
    encoding: str | None,
    group_field: str | None = None,
) -> list[Any]:
    """Labeled examples from the files and the options every data-reading command has."""
    from .data import read_examples

    examples = read_examples(
        data,
        data_format.value if data_format else None,
        text_field=text_field,
        label_field=label_field,
        group_field=group_field,
        encoding=encoding,
    )
    if not any(e.text.strip() for e in examples):
        raise DataError(
            "no examples with text",
            path=", ".join(map(str, data)),
            hint='add labeled examples, e.g. the line {"text": "云计算", "labels": ["cloud"]} '
            "in a .jsonl file",
        )
    return examples


def _output_path(
    path: Path | None, reads: Iterable[Path | str | None] = (), *, file_only: str | None = None
) -> Path | None:
    """``path`` checked before any work (not one of ``reads``, the files the run reads; None
    for an option not given), or None for ``-``: stdout. ``file_only`` is an example file
    name for an output that cannot go to stdout (``-`` is then an error)."""
    from .files import check_output

    if path is None or str(path) != "-":
        if path is not None:
            check_output(path, [read for read in reads if read is not None])
        return path
    if file_only is None:
        return None
    raise OutputError(
        "this output is written to a file, not to stdout",
        path=path,
        hint=f"name a file, e.g. {file_only}",
    )


def _emit(text: str, output: Path | None) -> None:
    """Write ``text`` whole to stdout, or to ``output`` atomically (see ``_sink``)."""
    with _sink(output) as write:
        write(text)


@app.command("segment")
@handles_errors
def segment_command(
    file: Annotated[
        Path, typer.Argument(help="An article text, HTML or Word (.docx) file ('-' for stdin).")
    ],
    format: Annotated[SegmentFormat, typer.Option("--format", "-f")] = SegmentFormat.table,
    min_chars: MinChars = 10,
    max_chars: MaxChars = 500,
    sentences: Sentences = None,
    paragraphs: ParagraphsOption = Paragraphs.auto,
    encoding: PageEncoding = None,
    input_format: Annotated[
        ArticleFormat,
        typer.Option(
            help="'auto': a .html/.htm/.shtml/.shtm/.xhtml file is HTML, a .docx file a Word "
            "document, .txt/.text/.md text; stdin and other files are HTML if they start as a "
            "page does (<!DOCTYPE html, <html, ...), a Word document if they start as a zip "
            "file does, else text; or read the input as 'text', 'html' or 'docx'."
        ),
    ] = ArticleFormat.auto,
) -> None:
    """Cut an article file into articles and segments with character offsets.

    An HTML file is cut as the text visible on the page (its title first, scripts, styles and
    nav/header/footer/aside/form left out, a paragraph a block element): offsets index that
    text, not the markup. A Word document (.docx) is cut as the text of its paragraphs, a
    blank line apart (deleted text, headers, footers, comments and footnotes left out)."""
    from .segmenting import segment
    from .tagging import read_article

    name = "<stdin>" if str(file) == "-" else file
    text = read_article(file, encoding, input_format.value)
    articles = segment(
        text,
        min_chars=min_chars,
        max_chars=max_chars,
        sentences=sentences,
        paragraphs=paragraphs.value,
    )
    if format is SegmentFormat.table:
        print_segments(articles)
    else:
        _emit(_segments_text(articles, str(name), format), None)


def _segments_text(articles: list[Any], source: str, format: SegmentFormat) -> str:
    """``segment``'s articles as a JSON list of them with their segments, or as JSON lines,
    a segment each."""
    rows = [
        {
            "source": source,
            "index": i,
            "title": a.title,
            "start": a.start,
            "end": a.end,
            "segments": [{"start": s.start, "end": s.end, "text": s.text} for s in a.segments],
        }
        for i, a in enumerate(articles)
    ]
    if format is SegmentFormat.json:
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    lines = [
        _json_line({"source": r["source"], "article": r["index"], "title": r["title"], **s})
        for r in rows
        for s in r["segments"]
    ]
    return "".join(line + "\n" for line in lines)


HELD_OUT = "Held-out data (figures, calibration, thresholds)"


@app.command("train")
@handles_errors
def train_command(
    ctx: typer.Context,
    data: Annotated[list[Path], typer.Argument(help="Labeled data files.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to save the model.")],
    data_format: DataFormatOption = None,
    text_field: TextField = None,
    label_field: LabelField = None,
    dev: Annotated[
        list[Path] | None,
        typer.Option(
            "--dev",
            help="Held-out data files of your own (repeat for several; read as the data files "
            "are), instead of a random --test-size share or --cv.",
            rich_help_panel=HELD_OUT,
        ),
    ] = None,
    refit: Annotated[
        bool,
        typer.Option(
            "--refit/--no-refit",
            help="With --dev: fit the saved model on the data and dev files (default), or "
            "keep the model fitted on the data files alone, the one measured on --dev.",
            rich_help_panel=HELD_OUT,
        ),
    ] = True,
    test_size: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=0.9,
            help="Share held out to measure the model and calibrate its scores (0: none; "
            "default 0.2; not with --cv or --dev).",
            rich_help_panel=HELD_OUT,
        ),
    ] = None,
    cv: Annotated[
        int | None,
        typer.Option(
            min=2, help="Cross-validate with K folds instead of a split.", rich_help_panel=HELD_OUT
        ),
    ] = None,
    group_field: GroupField = None,
    taxonomy: TaxonomyFile = None,
    user_dict: UserDict = None,
    stop_words: StopWords = None,
    multi_label: MultiLabel = None,
    classifier: Classifier = "svm",
    c: TrainCValue = None,
    balanced: Balanced = False,
    min_df: MinDf = None,
    word_ngrams: WordNgrams = None,
    hmm: Hmm = HMM_DEFAULT,
    jobs: TrainJobs = None,
    seed: Annotated[
        int, typer.Option(help="Random seed for the split or folds.", rich_help_panel=HELD_OUT)
    ] = 0,
    thresholds: Annotated[
        str,
        typer.Option(
            help="Multi-label decision thresholds tuned on the held-out scores: one 'global' "
            "threshold, or one 'per-label' (best F1, or see --target-precision).",
            rich_help_panel=HELD_OUT,
        ),
    ] = "global",
    target_precision: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="With --thresholds per-label: per label, of the thresholds whose held-out "
            "precision reaches P, those with the most recall (the middle one of ties).",
            rich_help_panel=HELD_OUT,
        ),
    ] = None,
    encoding: Encoding = None,
    quiet: Quiet = False,
) -> None:
    """Train a model on labeled segments and save it with its model card.

    It is measured on held-out data first: a random --test-size share of the
    data (0.2 by default), --cv folds, or --dev files of your own. The saved
    model is then fitted on all of it, the --dev files too (--no-refit keeps
    the dev data unseen)."""
    from .data import summarize
    from .model import card_path, train
    from .modelfile import check_replaceable
    from .taxonomy import load_taxonomy

    reads = [*data, *(dev or []), taxonomy, user_dict, stop_words]
    for written in (output, card_path(output)):
        _output_path(written, reads, file_only="-o model.joblib")
    check_replaceable(output)
    options = _training_options(
        user_dict, stop_words, hmm, classifier, c, balanced, min_df, jobs, word_ngrams
    )
    if thresholds not in ("global", "per-label"):
        raise typer.BadParameter("use global or per-label", param_hint="--thresholds")
    if target_precision is not None and thresholds != "per-label":
        raise typer.BadParameter("needs --thresholds per-label", param_hint="--target-precision")
    if cv is not None and test_size is not None:
        raise typer.BadParameter(
            "--cv measures the model on its folds instead of a held-out share: pass one of "
            "--cv and --test-size",
            param_hint="--test-size",
        )
    _check_dev_options(ctx, bool(dev), refit, cv, test_size, group_field)
    loaded = load_taxonomy(taxonomy) if taxonomy else None  # its errors before the data's
    examples = _read_labeled(data, data_format, text_field, label_field, encoding, group_field)
    held = _read_labeled(dev, data_format, text_field, label_field, encoding) if dev else None
    summary = summarize(examples if held is None else [*examples, *held])
    if not (summary.is_multi_label if multi_label is None else multi_label) and (
        thresholds != "global" or target_precision is not None
    ):
        raise typer.BadParameter(
            "--thresholds per-label and --target-precision apply to multi-label models, and "
            "this one is single-label (one label per example, or --single-label): leave them "
            "out, or pass --multi-label",
            param_hint="--thresholds" if thresholds != "global" else "--target-precision",
        )
    print_summary(summarize(examples) if held is not None else summary)
    if held is not None:
        print_summary(summarize(held), "dev examples")
    with status_line("training...", shown=not quiet) as status:
        model = train(
            examples,
            multi_label=multi_label,
            taxonomy=loaded,
            dev=held,
            refit=refit,
            test_size=test_size,
            cv=cv,
            seed=seed,
            thresholds=thresholds,
            target_precision=target_precision,
            progress=lambda message: status(message + "..."),
            **options,
        )
    print_metrics(model.card)
    model.save(output)
    err.print(
        f"Saved {output} ({'multi-label' if model.multi_label else 'single-label'}, "
        f"{len(model.labels)} labels)",
        highlight=False,
    )


def _check_dev_options(
    ctx: typer.Context,
    dev: bool,
    refit: bool,
    cv: int | None,
    test_size: float | None,
    group_field: str | None,
) -> None:
    """Usage errors (exit status 2) for train's options that do not go with --dev, or need it."""
    if not dev:
        if not refit:
            raise typer.BadParameter(
                "--no-refit keeps the model measured on the --dev files: it needs --dev",
                param_hint="--no-refit",
            )
        return
    seeded = getattr(ctx.get_parameter_source("seed"), "name", "DEFAULT") != "DEFAULT"
    refused = [
        (cv is not None, "--cv", "--cv measures on its folds instead: pass one of --dev and --cv"),
        (
            test_size is not None,
            "--test-size",
            "--test-size holds out a random share instead: pass one of --dev and --test-size",
        ),
        (
            group_field is not None,
            "--group-field",
            "--group-field keeps groups on one side of a random split, and nothing is split: "
            "leave it out",
        ),
        (seeded, "--seed", "--seed draws a random split or folds, and none is drawn: leave it out"),
    ]
    for given, option, why in refused:
        if given:
            raise typer.BadParameter(
                f"the --dev files are the held-out data; {why}", param_hint=option
            )


def _training_options(
    user_dict: Path | None,
    stop_words: Path | None,
    hmm: bool,
    classifier: str,
    c: str | None,
    balanced: bool,
    min_df: int | None,
    jobs: int | None,
    word_ngrams: int | None,
) -> dict[str, Any]:
    """``train``'s keyword arguments from the training options (train, evaluate --cv)."""
    from .model import CLASSIFIERS
    from .tokenizing import JiebaTokenizer

    if classifier not in CLASSIFIERS:
        raise typer.BadParameter(f"use one of {', '.join(CLASSIFIERS)}", param_hint="--classifier")
    try:
        strength: float | str | None = c if c in (None, "auto") else float(c)
    except ValueError:
        strength = -1.0
    if isinstance(strength, float) and not 0 < strength < float("inf"):
        raise typer.BadParameter("use a positive number or 'auto'", param_hint="--c")
    options: dict[str, Any] = {
        "tokenizer": JiebaTokenizer.from_files(user_dict, stop_words, hmm),
        "classifier": classifier,
        "C": strength,
        "class_weight": "balanced" if balanced else None,
        "min_df": min_df,
        "n_jobs": jobs or -1,
    }
    if word_ngrams is not None:  # else build_pipeline's default
        options["word_ngrams"] = word_ngrams
    return options


@app.command("tag")
@handles_errors
def tag_command(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Article files (text, HTML or Word .docx), directories, or '-' for stdin."
        ),
    ] = None,
    model: Annotated[
        Path | None, typer.Option("--model", "-m", help="Model file (default: the bundled model).")
    ] = None,
    format: Annotated[
        TagFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format (default: from the -o file's extension, else table).",
        ),
    ] = None,
    top_k: Annotated[
        int | None,
        typer.Option(min=1, help="Keep at most K of the labels chosen (adds none)."),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Choose every label scoring at least this, in place of the model's own "
            "decision (its thresholds, its best label); a segment may get none.",
        ),
    ] = None,
    min_share: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Article topics cover at least this share.")
    ] = 0.2,
    min_chars: MinChars = 10,
    max_chars: MaxChars = 500,
    sentences: Sentences = None,
    paragraphs: ParagraphsOption = Paragraphs.auto,
    output: Output = None,
    encoding: PageEncoding = None,
    trust: Trust = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Tag in N processes.")] = 1,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", help=f"Show the {EVIDENCE_TERMS} terms that raised each label most."
        ),
    ] = False,
    per: Annotated[
        Per,
        typer.Option(
            help="A line (table), JSON line or CSV row per 'segment', or per 'article': its "
            "offsets and topics, no segments (-f json always nests segments in articles).",
        ),
    ] = Per.segment,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom",
            help="Start the CSV with a UTF-8 byte order mark, so that Excel reads it as UTF-8.",
        ),
    ] = False,
    input_format: Annotated[
        InputFormat,
        typer.Option(
            help="'auto': a .jsonl/.ndjson/.json/.csv/.tsv file holds records, one article each, "
            "a .html/.htm/.shtml/.shtm/.xhtml file is a web page, a .docx file a Word document, "
            ".txt/.text/.md text; stdin and other files are web pages if they start as one does "
            "(<!DOCTYPE html, <html, ...), Word documents if they start as a zip file does, "
            "else text; or read every input as 'text', 'html', 'docx' or as records.",
            rich_help_panel=RECORDS,
        ),
    ] = InputFormat.auto,
    text_field: Annotated[
        str | None,
        typer.Option(
            help="The records' text field or column (default: the first of "
            f"{', '.join(TEXT_FIELDS)}, else that of 'data', as in Label Studio tasks); "
            "data.text names a field of a JSON object.",
            rich_help_panel=RECORDS,
        ),
    ] = None,
    id_field: Annotated[
        str | None,
        typer.Option(
            help="The records' id field or column, output as 'id' (default: 'id' if there, "
            "else the line the record starts on); meta.doc_id names a field of a JSON object.",
            rich_help_panel=RECORDS,
        ),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Tag every segment of the articles and roll the labels up into article topics.

    A JSONL, JSON or CSV/TSV file holds records: each is one article, output with its id.
    An HTML file is tagged as the text visible on the page (its title first, scripts, styles
    and nav/header/footer/aside/form left out): offsets index that text, not the markup.
    A Word document (.docx) is tagged as the text of its paragraphs."""
    from .tagging import default_model_path, render_paths, resolve_model, tag_paths

    inputs = inputs or _stdin_input()
    output = _output_path(output, [model or default_model_path(), *_listed(inputs)])
    format = _tag_format(format, output, per, explain, bom)
    ids = _reads_records(inputs, input_format, text_field, id_field)
    failures: list[TaggerError] = []
    scorer = resolve_model(model, trust=trust)
    display = TagProgressDisplay(progress_shown(quiet, stdout=output is None))
    options: dict[str, Any] = {
        "encoding": encoding,
        "on_error": failures.append,
        "jobs": jobs,
        "input_format": input_format.value,
        "text_field": text_field,
        "id_field": id_field,
        "top_k": top_k,
        "threshold": threshold,
        "min_share": min_share,
        "min_chars": min_chars,
        "max_chars": max_chars,
        "sentences": sentences,
        "paragraphs": paragraphs.value,
        "explain": EVIDENCE_TERMS if explain else 0,
        "progress": display.callback,
    }
    if format is TagFormat.table:
        tagged = ((a.source, a.index, a) for a in tag_paths(inputs, scorer, **options))
    else:  # rendered where tagged (see _tails), numbered and finished here
        tails = functools.partial(_tails, format=format, explain=explain, ids=ids, per=per)
        tagged = render_paths(inputs, tails, scorer, **options)
    header = _csv_start(explain, ids, per, bom, output)
    run = _write_tagged(tagged, format, per, header, output, failures, display)
    _end_tag_run(run, format, output, failures)


def _stdin_input() -> list[str]:
    """``tag``'s inputs when none is given: stdin, unless it is a terminal (no input)."""
    if sys.stdin is None or sys.stdin.isatty():  # None: closed (<&-)
        raise TaggerError("no input", hint="pass article files or directories, or '-' for stdin")
    return ["-"]


def _tag_format(
    format: TagFormat | None, output: Path | None, per: Per, explain: bool, bom: bool
) -> TagFormat:
    """``tag``'s output format: ``--format``, else the ``-o`` file's extension, else table;
    usage errors (exit status 2) for a table in a file and for options it would ignore."""
    formats = "json (.json), jsonl (.jsonl) or csv (.csv)"
    if format is None and output is not None:
        suffix = output.suffix.lower()[1:]
        if suffix in ("xlsx", "xlsm", "xls", "ods"):  # --format csv would make one Excel refuses
            raise typer.BadParameter(
                f"{output}: tag writes no spreadsheet workbook ({output.suffix}), and a CSV "
                "named so would not open in Excel: write a CSV, which Excel opens, with "
                f"-o {output.with_suffix('.csv')} --bom"
            )
        if suffix not in FILE_FORMATS:
            what = (
                f"from the extension {output.suffix!r}" if output.suffix else "without an extension"
            )
            raise typer.BadParameter(
                f"{output}: cannot tell the output format {what}; tag writes {formats}: "
                "name the file so, or pass --format json, jsonl or csv"
            )
        format = TagFormat(suffix)
    format = format or TagFormat.table
    if format is TagFormat.table and output is not None:
        raise typer.BadParameter(
            f"--format table is for the terminal, not a file: use --format with --output: {formats}"
        )
    _check_tag_output(format, per, explain, bom)
    return format


def _reads_records(
    inputs: list[str], input_format: InputFormat, text_field: str | None, id_field: str | None
) -> bool:
    """Whether any of ``tag``'s inputs is read as records (so the CSV gets an id column);
    a usage error (exit status 2) for a records' field when none is."""
    from .tagging import ARTICLE_FORMATS, input_format_of

    ids = any(
        input_format_of(source, input_format.value) not in ARTICLE_FORMATS
        for source in [*_listed(inputs), *(["-"] if "-" in inputs else [])]
    )
    if not ids and (text_field is not None or id_field is not None):
        raise typer.BadParameter(
            "a field of records (.jsonl, .ndjson, .json, .csv, .tsv inputs), but every input "
            "here is read as text or HTML (or a .docx): leave it out, or read the inputs as records with "
            "--input-format jsonl|json|csv|tsv",
            param_hint="--text-field" if text_field is not None else "--id-field",
        )
    return ids


def _csv_start(explain: bool, ids: bool, per: Per, bom: bool, output: Path | None) -> str:
    """The CSV header ``tag`` writes (used with -f csv only), after a UTF-8 byte order mark
    with ``--bom``, which also makes stdout UTF-8 whatever the locale says."""
    if bom and output is None:
        _utf8_stdout()
    return ("\ufeff" if bom else "") + _csv_header(explain, ids, per)


class _TagRun(NamedTuple):
    """What ``_write_tagged`` did: ``count`` articles tagged, ``unseen`` of them without a
    segment (so without a line or row a segment), and whether an ``-o`` file was ``kept`` as
    it was because nothing was tagged."""

    count: int
    unseen: int
    kept: bool


def _write_tagged(
    tagged: Any,
    format: TagFormat,
    per: Per,
    header: str,
    output: Path | None,
    failures: list[TaggerError],
    display: TagProgressDisplay,
) -> _TagRun:
    """Print the tagged articles as a table, or write their renderings (``_tails``) to stdout
    or atomically to ``output``, streamed: a huge input is never in memory whole. Nothing is
    written when no article was tagged and an input failed or ``output`` exists (the file is
    kept as it was). A bad record stops the run: the ``failures`` before it are printed before
    its error is raised. ``tagged`` is closed at the end, so worker processes stop now."""
    count, kept, unseen = 0, False, 0
    try:
        with display, _sink(output, announce=False) as write:  # said at the end of the run
            for count, (source, index, item) in enumerate(tagged, 1):
                if format is TagFormat.table and per is Per.article:
                    print_tagged_article(item)
                elif format is TagFormat.table:
                    print_tagged(item)
                else:
                    unseen += not item  # a line or row a segment, and it has none
                    write(_joined(format, source, index, item, count == 1, header))
            if count == 0 and (failures or (output is not None and output.is_file())):
                raise _NothingWritten  # keep any previous output file as it was
            if format is TagFormat.json:
                write("[]\n" if count == 0 else "\n]\n")
            if format is TagFormat.csv and count == 0:
                write(header)  # an empty table
    except _NothingWritten:
        kept = output is not None
    except TaggerError:  # a bad record stops the run: the inputs that failed before it too
        for failure in failures:
            print_error(failure)
        raise
    finally:
        tagged.close()  # now, not at exit: worker processes stop before the command returns
    return _TagRun(count, unseen, kept)


def _end_tag_run(
    run: _TagRun, format: TagFormat, output: Path | None, failures: list[TaggerError]
) -> None:
    """After ``tag``'s output: warn of articles missing from it, print the inputs that failed
    and exit with status 1 if any did, or warn that nothing was tagged (and the ``-o`` file
    kept as it was); the last line says how many articles were tagged and where to, after the
    errors, so that a run with some failed does not look all right at first."""
    if run.unseen:
        rows = "line" if format is TagFormat.jsonl else "row"
        print_warning(
            f"{run.unseen} article(s) had no text to tag (records with an empty or blank text): "
            f"no segment, so no {rows} in the output, and their article numbers are missing "
            f"from it; --per article gives a {rows} for every article, topics or not"
        )
    for failure in failures:
        print_error(failure)
    written = output is not None and not run.kept
    if failures:
        note = f", written to {output}" if written else ""
        if run.kept:
            note = f"; {output} was {'left as it was' if output.exists() else 'not written'}"
        err.print(
            f"{len(failures)} input(s) failed, {run.count} article(s) tagged{note}.",
            highlight=False,
        )
        raise typer.Exit(1)
    if written:
        err.print(f"Wrote {output}: {run.count} article(s) tagged.", highlight=False)
    if run.kept:
        print_warning(f"no article was tagged; {output} was left as it was")
    elif not run.count:  # an empty stdin or file: most likely an earlier step of a pipeline
        print_warning("no article was tagged: the inputs hold no text")


def _listed(inputs: list[str]) -> Iterator[Path | str]:
    """The files ``tag`` reads for ``inputs``; inputs that cannot be listed are left for the
    run to report."""
    from .tagging import iter_sources

    for path in inputs:
        with contextlib.suppress(TaggerError):  # a subfolder that cannot be read: the others
            yield from (source for source in iter_sources(path, _ignore) if source != "-")


def _ignore(error: TaggerError) -> None:
    """An error reported later (by the run), not now."""


def _check_tag_output(format: TagFormat, per: Per, explain: bool, bom: bool) -> None:
    """Refuse tag's output options that would do nothing with the others (exit status 2)."""
    if per is Per.article and format is TagFormat.json:
        raise typer.BadParameter(
            "-f json gives every article with its topics and its segments: leave out --per, "
            "or use it with -f jsonl, csv or table",
            param_hint="--per",
        )
    if per is Per.article and explain:
        raise typer.BadParameter(
            "--explain gives each segment's terms, and --per article leaves out the segments: "
            "leave out one of them",
            param_hint="--explain",
        )
    if bom and format is not TagFormat.csv:
        raise typer.BadParameter(
            "a byte order mark starts a CSV file: use it with -f csv (or an -o file.csv)",
            param_hint="--bom",
        )


def _utf8_stdout() -> None:
    """Write stdout as UTF-8 whatever the locale says: its CSV starts with a UTF-8 BOM."""
    with contextlib.suppress(AttributeError, ValueError):  # not a text file (a test's runner)
        sys.stdout.flush()
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]


def _tails(
    article: Any, format: TagFormat, explain: bool, ids: bool = False, per: Per = Per.segment
) -> list[str]:
    """An article in a streamed output without its source and index, which ``_joined`` puts
    in front: one JSON list item, or a JSON line or CSV row a segment (with an ``id`` column
    when ``ids``), or with ``per`` article one for the article. Runs in the process that
    tagged the article (``render_paths``), where its index is not known."""
    if format is TagFormat.json:
        item = article.to_dict()
        del item["source"], item["index"]
        return [json.dumps(item, ensure_ascii=False, indent=2)[2:]]  # without its "{\n"
    if format is TagFormat.jsonl and per is Per.article:
        item = article.to_dict(segments=False)
        del item["source"], item["index"]
        return [_json_line(item)[1:]]
    if format is TagFormat.jsonl:
        head = ({} if article.id is None else {"id": article.id}) | {"title": article.title}
        return [_json_line(head | s.to_dict())[1:] for s in article.segments]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=_CSV_LINE_END)
    rows = []
    for row in _csv_rows(article, explain, per):
        if ids:
            row.insert(0, "" if article.id is None else article.id)
        writer.writerow(row)
        rows.append(buffer.getvalue()[: -len(_CSV_LINE_END)] + "\n")
        buffer.seek(0)
        buffer.truncate()
    return rows


def _csv_rows(article: Any, explain: bool, per: Per) -> Iterator[list[Any]]:
    """An article's CSV rows after source, article and id: the article's topics as labels,
    ``label:score`` and ``label:share`` pairs joined by ``|``, or a row a segment."""
    if per is Per.article:
        topics = article.topics
        yield [
            article.title or "",
            article.start,
            article.end,
            "|".join(t.label for t in topics),
            "|".join(f"{t.label}:{t.score:.4f}" for t in topics),
            "|".join(f"{t.label}:{t.share:.4f}" for t in topics),
        ]
        return
    for s in article.segments:
        scores = "|".join(f"{label}:{score:.4f}" for label, score in s.scores.items())
        row = [article.title or "", s.start, s.end, "|".join(s.labels), scores, s.text]
        if explain:
            row.append("|".join(f"{label}:{evidence_text(s, label)}" for label in s.labels))
        yield row


def _joined(
    format: TagFormat, source: str, index: int, tails: list[str], first: bool, header: str
) -> str:
    """An article's ``_tails`` with its source and index in front: JSON list items, JSON
    lines, or CSV rows (after ``header``, the CSV header, before the first)."""
    if format is TagFormat.json:
        head = f'{{\n  "source": {_json_line(source)},\n  "index": {index},\n'
        return ("[\n" if first else ",\n") + head + tails[0]
    if format is TagFormat.jsonl:
        head = f'{{"source": {_json_line(source)}, "article": {index}, '
        return "".join(head + tail + "\n" for tail in tails)
    head = f"{_csv_field(source)},{index},"
    return (header if first else "") + "".join(head + tail for tail in tails)


def _csv_header(explain: bool, ids: bool = False, per: Per = Per.segment) -> str:
    columns = ["source", "article", "title", "start", "end", "labels", "scores", "text"]
    if per is Per.article:
        columns[-1] = "shares"
    if ids:
        columns.insert(2, "id")
    return ",".join([*columns, "evidence"] if explain else columns) + "\n"


@functools.lru_cache(maxsize=64)
def _csv_field(value: str) -> str:
    """A value as the csv module writes it in a row of several fields (quoted if it holds a
    line break)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=_CSV_LINE_END).writerow([value, ""])
    return buffer.getvalue()[: -len(_CSV_LINE_END) - 1]


_CSV_LINE_END = "\r\n"
"""The csv module quotes a field only for the characters of its line terminator: with "\n" a
field holding a lone "\r" (a text of old Mac line endings), with "" one holding "\n" (a file
name), went unquoted and broke the row in two for every CSV reader. Rows end in "\n" still."""


class ReportFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"


FRESH = "Cross-validating fresh models (--cv, --learning-curve)"
ReportOption = Annotated[
    Path | None,
    typer.Option("--report", help="Also write a self-contained HTML report (opens offline)."),
]
ReportFormatOption = Annotated[
    ReportFormat,
    typer.Option(
        "--format",
        "-f",
        help="table (default), markdown or json. With -o, markdown and json go to the file; "
        "a table is still printed and -o gets JSON, or Markdown for a .md file (-o -: JSON on "
        "stdout, instead of the table).",
    ),
]


def _report_outputs(
    format: ReportFormat, output: Path | None, report: Path | None, reads: list[Path | None]
) -> tuple[ReportFormat, Path | None, Path | None]:
    """evaluate's and compare's format, -o and --report, checked against the files the run
    ``reads``. ``-o -`` puts the text report (JSON unless -f markdown) on stdout, in place of
    the table."""
    if format is ReportFormat.table and output is not None and str(output) == "-":
        format = ReportFormat.json
    if report is not None and report.suffix.lower() in (".json", ".md", ".markdown"):
        raise OutputError(
            "--report writes an HTML page",
            path=report,
            hint=f"name it {report.with_suffix('.html').name}, or write {report.name} with -o",
        )
    report = _output_path(report, reads, file_only="--report report.html")
    return format, _output_path(output, reads), report


@app.command("evaluate")
@handles_errors
def evaluate_command(
    ctx: typer.Context,
    data: Annotated[list[Path], typer.Argument(help="Labeled data files.")],
    model: Annotated[
        Path | None,
        typer.Option("--model", "-m", help="The model to measure (or --cv for fresh models)."),
    ] = None,
    format: ReportFormatOption = ReportFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=(
                "Write the report here: the -f format; with the table, JSON or, for a .md"
                " file, Markdown ('-': stdout)."
            ),
        ),
    ] = None,
    report: ReportOption = None,
    data_format: DataFormatOption = None,
    text_field: TextField = None,
    label_field: LabelField = None,
    threshold: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Override the model's thresholds.")
    ] = None,
    mistakes: Annotated[
        int,
        typer.Option(
            min=0,
            help="How many of the worst mistakes to keep: the table, -f markdown|json, -o and "
            "--report all show the same N (0: none).",
        ),
    ] = 10,
    encoding: Encoding = None,
    trust: Trust = False,
    cv: Annotated[
        int | None,
        typer.Option(
            min=2,
            help="Cross-validate a fresh model with K folds (stratified) instead of --model.",
            rich_help_panel=FRESH,
        ),
    ] = None,
    learning_curve: Annotated[
        bool,
        typer.Option(
            "--learning-curve",
            help="Also train on 10%-100% of each training fold: does more data help?",
            rich_help_panel=FRESH,
        ),
    ] = False,
    group_field: GroupField = None,
    taxonomy: TaxonomyFile = None,
    user_dict: UserDict = None,
    stop_words: StopWords = None,
    multi_label: MultiLabel = None,
    classifier: Classifier = "svm",
    c: CValue = None,
    balanced: Balanced = False,
    min_df: MinDf = None,
    word_ngrams: WordNgrams = None,
    hmm: Hmm = HMM_DEFAULT,
    jobs: TrainJobs = None,
    seed: Annotated[
        int, typer.Option(help="Random seed for the folds.", rich_help_panel=FRESH)
    ] = 0,
    quiet: Quiet = False,
) -> None:
    """Measure a model on labeled data: accuracy, precision/recall/F1, confusions, mistakes.

    With --cv K (or --learning-curve) measure fresh models instead, trained with the options
    'tagger train' has, by K-fold cross-validation: mean and spread over the folds."""
    from .evaluation import cross_validation, evaluate
    from .evaluation import learning_curve as measure_learning_curve
    from .modelfile import load_compact
    from .report import model_facts

    fresh = cv is not None or learning_curve
    if model is None and not fresh:
        raise typer.BadParameter(
            "pass --model M to measure a saved model, or --cv K to cross-validate fresh models",
            param_hint="--model",
        )
    if model is not None and (fresh or _given(ctx, TRAINING)):
        raise typer.BadParameter(
            "--cv, --learning-curve and the training options measure fresh models: "
            "leave out --model, or leave them out",
            param_hint="--model",
        )
    reads = [*data, model, taxonomy, user_dict, stop_words]
    format, output, report = _report_outputs(format, output, report, reads)
    shown = progress_shown(quiet)
    about = {"data": ", ".join(map(str, data))}
    cross = curve = None
    if model is not None:
        with scoring_progress(shown) as progress:
            examples = _read_labeled(
                data, data_format, text_field, label_field, encoding, group_field
            )
            scorer = load_compact(model, trust=trust)
            result = evaluate(  # its data warnings printed (handles_errors) and kept in it
                scorer, examples, threshold=threshold, max_mistakes=mistakes, progress=progress
            )
        about["model"] = str(model)
        about["model trained"] = model_facts(scorer.card)
        if result.warnings:
            about["warnings"] = " ".join(result.warnings)
    else:
        from .taxonomy import load_taxonomy

        loaded = load_taxonomy(taxonomy) if taxonomy else None  # its errors before the data's
        examples = _read_labeled(data, data_format, text_field, label_field, encoding, group_field)
        options = _training_options(
            user_dict, stop_words, hmm, classifier, c, balanced, min_df, jobs, word_ngrams
        )
        fit, labels = _fresh_trainer(examples, loaded, multi_label, options)
        folds = cv or 5
        with status_line(f"cross-validating ({folds} folds)...", shown) as status:
            cross = cross_validation(
                examples,
                fit,
                folds=folds,
                seed=seed,
                labels=labels,
                threshold=threshold,
                max_mistakes=mistakes,
                progress=lambda done, n: status(
                    f"cross-validating: fold {min(done + 1, n)} of {n}..."
                ),
            )
            if learning_curve:
                status("training on growing shares of the folds...")
                curve = measure_learning_curve(
                    examples, fit, folds=folds, seed=seed, threshold=threshold
                )
        result = cross.report
        about["model"] = "fresh models (cross-validated)"
    about["evaluated"] = _now()
    _render_evaluation(result, format, output, report, mistakes, about, cross, curve)


def _now() -> str:
    """The date and time a report is made, local with its UTC offset, to the second."""
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


def _fresh_trainer(
    examples: list[Any],
    taxonomy: Taxonomy | None,
    multi_label: bool | None,
    options: dict[str, Any],
) -> tuple[Callable[..., Any], list[str]]:
    """``train`` with the given options and no held-out measuring, and the labels it knows."""
    from .data import summarize
    from .model import default_min_labels, train

    texts = [e for e in examples if e.text.strip()]
    summary = summarize(texts)
    multi = summary.is_multi_label if multi_label is None else multi_label
    fit = functools.partial(
        train,
        multi_label=multi,
        taxonomy=taxonomy,
        test_size=0,
        min_labels=default_min_labels(texts, multi),  # of all the data, as train decides it
        **options,
    )
    return fit, list(taxonomy.names) if taxonomy else sorted(summary.labels)


def _given(ctx: typer.Context, panel: str) -> list[str]:
    """The options of ``panel`` given on the command line (not left at their defaults)."""
    return [
        p.name
        for p in ctx.command.params
        if getattr(p, "rich_help_panel", None) == panel
        and p.name
        and getattr(ctx.get_parameter_source(p.name), "name", "DEFAULT") != "DEFAULT"
    ]


def _render_evaluation(
    result: Any,
    format: ReportFormat,
    output: Path | None,
    report: Path | None,
    mistakes: int,
    about: dict[str, str],
    cross: Any,
    curve: Any,
) -> None:
    """``evaluate``'s outputs: the --report page; with -f markdown or json the text report,
    to -o or stdout; else an -o file (Markdown for a .md file, else JSON) and the table. The
    files come first: a stdout closed early (``| head``) ends the run without them otherwise."""
    from .report import render_html, render_json, render_markdown

    extras = {"about": about, "cross_validation": cross, "learning_curve": curve}
    if report is not None:
        _emit(render_html(result, **extras), report)
    if format is ReportFormat.markdown:
        _emit(render_markdown(result, **extras), output)
        return
    if format is ReportFormat.json:
        _emit(render_json(result, **extras), output)
        return
    if output is not None and _markdown_file(output):  # beside the table
        _emit(render_markdown(result, **extras), output)
    elif output is not None:
        _emit(render_json(result, **extras), output)
    if cross is not None:
        print_cross_validation(cross.summary, result.multi_label)
    print_report(result, mistakes)
    if curve is not None:
        print_learning_curve(curve)


def _markdown_file(path: Path) -> bool:
    """Whether a report written beside the table should be Markdown (else JSON)."""
    return path.suffix.lower() in (".md", ".markdown")


@app.command("compare")
@handles_errors
def compare_command(
    model_a: Annotated[Path, typer.Argument(help="The first model (A).")],
    model_b: Annotated[Path, typer.Argument(help="The second model (B).")],
    data: Annotated[
        list[Path], typer.Option("--data", "-d", help="Labeled data to measure both on.")
    ],
    format: ReportFormatOption = ReportFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help=(
                "Write the comparison here: the -f format; with the table, JSON or, for a .md"
                " file, Markdown ('-': stdout)."
            ),
        ),
    ] = None,
    report: ReportOption = None,
    data_format: DataFormatOption = None,
    text_field: TextField = None,
    label_field: LabelField = None,
    threshold: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Override both models' thresholds.")
    ] = None,
    disagreements: Annotated[
        int, typer.Option(min=0, help="How many disagreements to show (reports keep 50).")
    ] = 10,
    encoding: Encoding = None,
    trust: Trust = False,
    quiet: Quiet = False,
) -> None:
    """Measure two models on the same data side by side, and show where they disagree."""
    from .evaluation import compare
    from .modelfile import load_compact
    from .report import model_facts

    format, output, report = _report_outputs(format, output, report, [*data, model_a, model_b])
    with scoring_progress(progress_shown(quiet), "testing the differences") as progress:
        examples = _read_labeled(data, data_format, text_field, label_field, encoding)
        models = [load_compact(path, trust=trust) for path in (model_a, model_b)]
        result = compare(
            *models, examples, threshold=threshold, max_disagreements=50, progress=progress
        )
    names = (str(model_a), str(model_b))
    about = {
        "A trained": model_facts(models[0].card),
        "B trained": model_facts(models[1].card),
        "data": ", ".join(map(str, data)),
        "compared": _now(),
    }
    _render_comparison(result, names, format, output, report, disagreements, about)


def _render_comparison(
    result: Any,
    names: tuple[str, str],
    format: ReportFormat,
    output: Path | None,
    report: Path | None,
    disagreements: int,
    about: dict[str, str],
) -> None:
    """``compare``'s outputs, as ``evaluate``'s: the --report page; with -f markdown or json
    the text report, to -o or stdout; else an -o file (Markdown for a .md file, else JSON) and
    the table, printed last so that a stdout closed early cannot keep the files unwritten."""
    from .report import render_comparison_html, render_comparison_json, render_comparison_markdown

    if report is not None:
        _emit(render_comparison_html(result, names, about=about), report)
    if format is ReportFormat.markdown or (
        format is ReportFormat.table and output is not None and _markdown_file(output)
    ):
        _emit(render_comparison_markdown(result, names, disagreements, about), output)
    elif format is ReportFormat.json or output is not None:
        _emit(render_comparison_json(result, names, about), output)
    if format is ReportFormat.table:
        print_comparison(result, names, disagreements)


@app.command("info")
@handles_errors
def info_command(
    model: Annotated[Path, typer.Argument(help="A model file.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the card as JSON.")] = False,
    terms: Annotated[
        int,
        typer.Option(
            "--terms",
            min=0,
            metavar="N",
            help="Also list each label's N strongest terms (reads the model's arrays).",
        ),
    ] = 0,
    trust: Trust = False,
) -> None:
    """Show a model's card: labels, data, tokenizer, parameters, versions and metrics.

    The card is read from the file's header: nothing in the model is unpickled."""
    from .modelfile import load_compact, read_card

    card = read_card(model)
    top = load_compact(model, trust=trust).top_terms(terms) if terms else None
    if json_output:
        document = card if top is None else {**card, "top_terms": top}
        _emit(json.dumps(document, ensure_ascii=False, indent=2) + "\n", None)
        return
    print_card(str(model), card)
    if top is not None:
        print_terms(top)


@app.command("trust")
@handles_errors
def trust_command(
    model: Annotated[Path, typer.Argument(help="A model file you trust, e.g. from a colleague.")],
) -> None:
    """Trust a model file saved elsewhere: record its SHA-256 so that tagger will load it.

    Only trust files from people you trust: loading a model can run code in it. A damaged file
    is refused; a file that changes afterwards is no longer trusted."""
    from .modelfile import read_header
    from .trust import home, trust_file

    card = read_header(model)[0].get("card", {})
    sha, already = trust_file(model)
    labels = ", ".join(card.get("labels", {}))
    if already is not None:
        why = {
            "signed": "it was saved by tagger for this user (its signature verifies)",
            "bundled": "it is the model that ships with tagger",
            "listed": f"its sha256 {sha[:16]}... is recorded in {home() / 'trusted.txt'}",
        }[already]
        err.print(f"{model} is already trusted: {why}. Nothing to do.", highlight=False)
        return
    err.print(f"Trusted {model} (sha256 {sha[:16]}..., labels: {labels or '?'}).", highlight=False)
    err.print(f"Recorded in {home() / 'trusted.txt'}.", highlight=False)
