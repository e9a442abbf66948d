"""What the command line prints on a terminal: tables of summaries, figures, tagged articles,
reports and model cards (rich). The library itself never prints; ``tagger.cli`` calls these."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import IO, Any

from rich.console import Console, ConsoleDimensions
from rich.table import Table
from rich.text import Text

__all__ = [
    "NO_PROGRESS_ENV",
    "TagProgressDisplay",
    "err",
    "excerpt",
    "out",
    "print_card",
    "print_comparison",
    "print_cross_validation",
    "print_error",
    "print_learning_curve",
    "print_metrics",
    "print_report",
    "print_segments",
    "print_summary",
    "print_tagged",
    "print_tagged_article",
    "print_warning",
    "progress_shown",
    "scoring_progress",
    "status_line",
]


PIPED_WIDTH = 200  # columns of tables written to a file or pipe with no terminal to fit


class _Console(Console):
    """rich's Console, except that output with no terminal to fit (cron, CI: rich then
    assumes 80 columns) is up to ``PIPED_WIDTH`` wide, so that tables keep their cells whole
    (``ai-invest…`` was cut from a report written so)."""

    @property
    def size(self) -> ConsoleDimensions:
        size = super().size
        fixed = self._width is not None or "COLUMNS" in self._environ
        if not fixed and not any(map(os.isatty, (0, 1, 2))):  # where rich looks for a terminal
            return ConsoleDimensions(PIPED_WIDTH, size.height)
        return size

    def on_broken_pipe(self) -> None:
        """stderr closed early (``2>&1 | head``): the rest of the messages is dropped (the
        file descriptor points at the null device, so flushing cannot fail again) and the run
        goes on, so that the model or files it was asked for are still written (rich exits
        with status 1, which stopped ``train`` at its data summary)."""
        self.quiet = True
        with contextlib.suppress(OSError, ValueError):  # no file descriptor (a test's runner)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self.file.fileno())
            os.close(null)


class _Stdout(_Console):
    """A closed stdout raises BrokenPipeError (rich exits with status 1), which
    ``tagger.cli`` handles as for any other output."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise  # the BrokenPipeError rich is handling


# No markup or emoji codes: texts, labels, file names and messages are printed as they are
# ("[/b]" or ":cloud:" in them is text), and styles are given as arguments (``print_error``).
out = _Stdout(soft_wrap=True, markup=False, emoji=False)
err = _Console(stderr=True, soft_wrap=True, markup=False, emoji=False)


def print_error(error: object) -> None:
    """``Error: ...`` on stderr, the label in bold red."""
    err.print(Text.assemble(("Error:", "bold red"), f" {error}"))


def print_warning(message: object) -> None:
    """``Warning: ...`` on stderr, the label in yellow."""
    err.print(Text.assemble(("Warning:", "yellow"), f" {message}"))


@contextlib.contextmanager
def status_line(message: str, shown: bool = True) -> Iterator[Callable[[str], None]]:
    """A spinner with ``message`` on stderr, if ``shown`` and ``progress_shown()``; yields a
    function that changes the message. (A spinner reads a plain string as markup whatever the
    console says, so it gets ``Text``.)"""
    if not (shown and progress_shown()):
        yield lambda text: None
        return
    with err.status(Text(message)) as status:
        yield lambda text: status.update(Text(text))


NO_PROGRESS_ENV = "TAGGER_NO_PROGRESS"
"""Set (to anything but an empty string, as NO_COLOR is), it turns progress displays off."""
REFRESH_SECONDS = 0.25
"""A progress display is redrawn at most this often."""


def progress_shown(quiet: bool = False, stdout: bool = False) -> bool:
    """Whether to show progress on stderr: not when ``quiet`` (``--quiet``) or
    ``$TAGGER_NO_PROGRESS`` is set, nor unless stderr is a terminal that can redraw a line
    (not ``TERM=dumb``), nor when ``stdout`` (the output streams to stdout) and stdout is a
    terminal too, where the two would interleave. ``TTY_COMPATIBLE=1`` (or ``0``) says the
    streams are (are not) terminals, as rich reads it; ``FORCE_COLOR``, which rich also reads
    so, asks for colours only and draws no progress into a CI log.

    >>> progress_shown(quiet=True)
    False
    """
    if quiet or os.environ.get(NO_PROGRESS_ENV):
        return False
    if os.environ.get("TERM", "").lower() in ("dumb", "unknown"):  # cannot redraw (rich's list)
        return False
    return _terminal(err.file) and not (stdout and _terminal(sys.stdout))


def _terminal(stream: IO[str]) -> bool:
    said = os.environ.get("TTY_COMPATIBLE", "")
    if said in ("0", "1"):
        return said == "1"
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method; a closed file
        return False


class TagProgressDisplay:
    """``tagger tag``'s progress on stderr while the ``with`` block runs, cleared at its end
    whatever ends it: a bar of the bytes read (for inputs of known size), the files done, the
    articles tagged, the time and the rate. ``callback`` is ``tag_paths``'s ``progress`` (None
    when not ``shown``); it redraws at most every ``REFRESH_SECONDS``, in this thread (no
    thread of its own runs while ``--jobs`` forks workers)."""

    def __init__(self, shown: bool) -> None:
        self._display: Any = None
        self._last = 0.0
        self.callback: Callable[[Any], None] | None = self._update if shown else None

    def __enter__(self) -> TagProgressDisplay:
        if self.callback is not None:
            from rich.progress import BarColumn, Progress, ProgressColumn
            from rich.table import Column

            class Figures(ProgressColumn):
                def render(self, task: Any) -> Text:
                    return Text(_tag_figures(task))

            self._display = Progress(
                BarColumn(bar_width=20),
                Figures(Column(no_wrap=True, overflow="ellipsis")),  # one line, cut if need be
                console=err,
                auto_refresh=False,
                transient=True,
                redirect_stdout=False,  # stdout carries the output
                redirect_stderr=False,
            )
            self._task = self._display.add_task("tagging", total=None, files=None, articles=0)
            self._display.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._display is not None:
            self._display.stop()
            self._display = None

    def _update(self, progress: Any) -> None:
        if self._display is None:
            return
        self._display.update(
            self._task,
            completed=progress.bytes_done,
            total=progress.bytes_total,
            files=(progress.files_done, progress.files),
            articles=progress.articles,
        )
        now = time.monotonic()
        if now - self._last >= REFRESH_SECONDS:
            self._last = now
            self._display.refresh()


def _tag_figures(task: Any) -> str:
    """The figures of ``tagger tag``'s progress line after its bar.

    >>> from types import SimpleNamespace as Task
    >>> task = Task(completed=796_600, total=20_000_000, speed=2_500_000, elapsed=2.0,
    ...             fields={"files": (1, 3), "articles": 1234})
    >>> _tag_figures(task)
    '  4%  0.8/20.0 MB  1/3 files  1,234 articles  0:02  2.5 MB/s'
    """
    done, total = int(task.completed), task.total
    parts = [f"{done / total:4.0%}  {_size(done, total)}" if total else f"{_size(done)} read"]
    files = task.fields.get("files")
    if files and files[1] > 1:
        parts.append(f"{files[0]}/{files[1]} files")
    parts.append(f"{task.fields.get('articles', 0):,} articles")
    parts.append(_clock(task.elapsed or 0.0))
    if task.speed:
        parts.append(f"{_size(int(task.speed))}/s")
    return "  ".join(parts)


def _size(done: int, total: int | None = None) -> str:
    """A number of bytes (out of ``total``, in the same unit), in kB, MB or GB.

    >>> _size(999), _size(65_536, 15_131_000), _size(2_300_000_000)
    ('999 B', '0.1/15.1 MB', '2.3 GB')
    """
    scale = max(done, total or 0)
    unit, factor = next(
        ((u, f) for u, f in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)) if scale >= f), ("B", 1)
    )
    if factor == 1:
        return f"{done}/{total} B" if total else f"{done} B"
    if total:
        return f"{done / factor:.1f}/{total / factor:.1f} {unit}"
    return f"{done / factor:.1f} {unit}"


def _clock(seconds: float) -> str:
    """``seconds`` as m:ss, or h:mm:ss from an hour.

    >>> _clock(75.4), _clock(3725)
    ('1:15', '1:02:05')
    """
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


@contextlib.contextmanager
def scoring_progress(
    shown: bool, then: str = "measuring"
) -> Iterator[Callable[[int, int], None] | None]:
    """``evaluate``'s and ``compare``'s progress on stderr while the block runs, cleared at its
    end: "reading the data" until the first call, then a bar of the examples scored, then
    ``then`` once all are. Yields the ``progress`` callback for them (None when not
    ``shown``)."""
    if not shown:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(bar_width=24),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        refresh_per_second=1 / REFRESH_SECONDS,
        redirect_stdout=False,
        redirect_stderr=False,
    ) as display:
        task = display.add_task("reading the data", total=None)

        def update(done: int, total: int) -> None:
            description = then if done >= total else "scoring"
            display.update(task, completed=done, total=total, description=description)

        yield update


def excerpt(text: str, width: int = 48) -> str:
    """``text`` on one line, cut to ``width`` characters.

    >>> excerpt("云计算  市场份额", 5)
    '云计算 …'
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def print_segments(articles: list[Any]) -> None:
    """A table of each article's segments and offsets (``tagger segment``)."""
    for index, article in enumerate(articles):
        table = Table(title=f"{index}: {article.title or '(untitled)'}", title_justify="left")
        for column in ("start", "end", "chars", "text"):
            table.add_column(column, justify="right" if column != "text" else "left")
        for s in article.segments:
            table.add_row(str(s.start), str(s.end), str(len(s.text)), excerpt(s.text, 60))
        out.print(table)


def print_summary(summary: Any, what: str = "examples") -> None:
    """Label counts and data notes of training data (to stderr); ``what`` names the examples
    in the title ("dev examples")."""
    table = Table(title=f"{summary.examples} {what}", title_justify="left")
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


def print_metrics(card: dict[str, Any], console: Console = err) -> None:
    """A model card's held-out or cross-validated figures, and the thresholds and C chosen
    on held-out data (to stderr by default: ``tagger train`` prints them beside its progress)."""
    metrics = card.get("metrics", {})
    if metrics.get("method", "none") == "none":
        console.print(f"Not measured: {metrics.get('note', 'no held-out data')}.", highlight=False)
    else:
        _print_figures(metrics, console, card.get("thresholds") or {}, card.get("multi_label"))
    if "C_search" in metrics:
        search = metrics["C_search"]
        held = search.get("examples")  # none in cards saved before it was recorded
        on = "held-out data" if held is None else f"{held} held-out examples"
        rough = ""
        if held is not None and held < ROUGH_C:  # one text moves a figure by 2% or more
            rough = "; so few that the choice is rough (pass a number to --c)"
        console.print(
            f"C {card['params']['C']} chosen on {on} ("
            + ", ".join(f"C {c}: {v:.4f}" for c, v in search["scores"].items())
            + f"){rough}",
            highlight=False,
        )


ROUGH_C = 50
"""C chosen on fewer held-out examples than this is printed as a rough choice."""

SHOWN_THRESHOLDS = 8
"""The train summary lists this many per-label thresholds, then how many more there are."""


def _print_figures(
    metrics: dict[str, Any],
    console: Console,
    thresholds: dict[str, float],
    multi_label: bool | None,
) -> None:
    parts = []
    for key in ("accuracy", "micro_f1", "macro_f1"):  # named as the reports name them
        value = f"{metrics[key]:.4f}"
        if f"{key}_std" in metrics:
            value += f" ± {metrics[f'{key}_std']:.4f}"
        parts.append(f"{_figure_name(key, multi_label)} {value}")
    at = " at threshold 0.5" if "tuned_threshold" in metrics else ""  # before the tuning
    method = metrics["method"]
    if method == "dev":  # train --dev: the held-out data is the user's files
        method = f"dev data ({', '.join(metrics.get('files') or []) or 'given'})"
    console.print(
        f"{method} on {metrics['examples']} examples{at}: " + ", ".join(parts),
        highlight=False,
    )
    if metrics["method"] == "dev" and metrics.get("note"):
        console.print(f"({metrics['note']})", highlight=False)
    calibration = metrics.get("calibration", {})
    if "a" in calibration:
        console.print(
            "scores calibrated on the held-out margins (Platt scaling: "
            f"sigmoid({calibration['a']:.2f} x margin {calibration['b']:+.2f}))",
            highlight=False,
        )
    elif calibration.get("note"):  # a score then reads near 0.27 or 0.73 whatever the evidence
        console.print(
            f"scores not calibrated: {calibration['note']}; a score of 0.5 is the decision "
            "boundary, not a probability (more held-out data: --test-size, --cv or --dev)",
            highlight=False,
        )
    if "tuned_threshold" in metrics:
        tuned = metrics["tuned_threshold"]
        if tuned.get("mode", "global") == "global":
            chosen = f"decision threshold {tuned['threshold']:.2f}"
        else:
            chosen = f"per-label decision thresholds ({_aim(tuned)})"
            if thresholds:
                chosen += ": " + _threshold_list(thresholds)
        console.print(
            f"{chosen} (micro F1 {tuned['micro_f1']:.4f} on the same held-out scores it was "
            "chosen on: optimistic)",
            highlight=False,
        )
        for line in _threshold_notes(tuned):
            console.print(line, highlight=False)


def _figure_name(key: str, multi_label: bool | None) -> str:
    """A figure's name in the reports: ``accuracy`` is exact match for a multi-label model.

    >>> _figure_name("accuracy", True), _figure_name("macro_f1", False)
    ('exact match', 'macro F1')
    """
    from .report import FIGURES

    if key == "accuracy" and multi_label:
        return "exact match"
    return dict(FIGURES)[key]


def _aim(tuned: dict[str, Any]) -> str:
    """What per-label thresholds were chosen for (``tuned``: a card's ``tuned_threshold``)."""
    if tuned["mode"] == "precision":
        return f"lowest reaching precision {tuned['target_precision']:.2f}, the middle of ties"
    return "best F1 per label, the middle of ties"


def _threshold_list(thresholds: dict[str, float]) -> str:
    """``label threshold`` pairs, the first ``SHOWN_THRESHOLDS`` and how many more.

    >>> _threshold_list({f"l{i}": i / 10 for i in range(10)})
    'l0 0.00, l1 0.10, l2 0.20, l3 0.30, l4 0.40, l5 0.50, l6 0.60, l7 0.70, and 2 more'
    """
    shown = [f"{label} {t:.2f}" for label, t in list(thresholds.items())[:SHOWN_THRESHOLDS]]
    more = len(thresholds) - len(shown)
    return ", ".join(shown + ([f"and {more} more"] if more else []))


def _threshold_notes(tuned: dict[str, Any]) -> list[str]:
    """What per-label thresholds fell short of: labels given the global threshold for want of
    held-out examples, labels whose precision stayed below the target (cards since these
    were recorded)."""
    notes = []
    few = tuned.get("few_examples")
    if few:
        notes.append(
            f"  fewer than {tuned['min_support']} held-out examples, so the global threshold "
            f"{tuned['threshold']:.2f}: {', '.join(few)}"
        )
    unseen = tuned.get("unseen")
    if unseen:
        notes.append(
            "  no training example in the model measured on the held-out data, so the global "
            f"threshold {tuned['threshold']:.2f}: {', '.join(unseen)}"
        )
    below = tuned.get("below_target")
    if below:
        reached = ", ".join(f"{label} ({p:.2f})" for label, p in below.items())
        notes.append(
            f"  below the target precision {tuned['target_precision']:.2f} at every threshold "
            f"(given the most precise one; precision reached): {reached}"
        )
    return notes


def print_tagged(article: Any) -> None:
    """A tagged article: its topics, then each segment's labels and text."""
    topics = ", ".join(f"{t.label} ({t.share:.0%})" for t in article.topics) or "(none)"
    record = "" if getattr(article, "id", None) is None else f" (id {article.id})"
    table = Table(
        title=f"{article.source} #{article.index}{record}: {article.title or '(untitled)'}\n"
        f"topics: {topics}",
        title_justify="left",
    )
    table.add_column("offsets", justify="right", no_wrap=True)
    # wrapped, never cut: rich put "…" for a ";" ending at the edge ("光刻机…", with --explain)
    table.add_column("labels", max_width=34, overflow="fold")
    table.add_column("text", min_width=30)
    for s in article.segments:
        if s.evidence is None:
            labels = ", ".join(f"{label} {s.scores[label]:.2f}" for label in s.labels)
        else:  # each label on a line of its own, with its terms
            labels = "\n".join(
                f"{label} {s.scores[label]:.2f} ({evidence_text(s, label)})" for label in s.labels
            )
        table.add_row(f"{s.start}-{s.end}", labels or "-", excerpt(s.text))
    out.print(table)


def print_tagged_article(article: Any) -> None:
    """A tagged article on a line (``tag --per article``): its name, offsets and topics with
    their shares and scores."""
    record = "" if getattr(article, "id", None) is None else f" (id {article.id})"
    topics = ", ".join(f"{t.label} {t.share:.0%} ({t.score:.2f})" for t in article.topics)
    out.print(
        f"{article.source} #{article.index}{record}: {article.title or '(untitled)'} "
        f"[{article.start}-{article.end}] topics: {topics or '(none)'}",
        highlight=False,
    )


def evidence_text(segment: Any, label: str) -> str:
    """The terms that raised a segment's label most (``tag --explain``), as one string.

    >>> from tagger.tagging import TaggedSegment
    >>> evidence_text(TaggedSegment(0, 3, "云计算", ["cloud"], {"cloud": 0.9}, {"cloud": [("云计算", 0.4), ("云", 0.1)]}), "cloud")
    '云计算; 云'
    """
    return "; ".join(term for term, _ in (segment.evidence or {}).get(label, []))


def print_cross_validation(summary: dict[str, Any], multi_label: bool = False) -> None:
    """Mean and spread of the figures over cross-validation folds: the seven figures of the
    reports, under their names (accuracy is exact match for ``multi_label`` models)."""
    from .report import FIGURES

    table = Table(
        title=f"{summary['method']} on {summary['examples']} examples (mean ± spread)",
        title_justify="left",
    )
    for column in ("figure", "mean", "spread"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    for key, name in FIGURES:
        if key == "accuracy" and multi_label:
            name = "exact match"
        table.add_row(name, f"{summary[key]:.4f}", f"± {summary[key + '_std']:.4f}")
    out.print(table)
    out.print("Out-of-fold predictions, pooled:", highlight=False)


def print_learning_curve(curve: Any) -> None:
    """The figures at each share of the training data."""
    table = Table(title=f"Learning curve ({curve.method})", title_justify="left")
    for column in ("share", "train examples", "accuracy", "micro_f1", "macro_f1"):
        table.add_column(column, justify="right")
    for p in curve.points:
        table.add_row(
            f"{p['fraction']:.0%}",
            f"{p['train_examples']:.1f}",
            *(f"{p[k]:.4f} ± {p[k + '_std']:.4f}" for k in ("accuracy", "micro_f1", "macro_f1")),
        )
    out.print(table)


LEGEND = (
    "support: examples that have the label; precision: share of those given it that have it; "
    "recall: share of those that have it given it; F1: the two in one figure; tp/fp/fn: given "
    "rightly/wrongly, missed; micro: over every decision; macro: the mean over labels; -: no "
    "example has the label"
)
"""The terms of the per-label table and the figures, in short (the reports say it at length:
``tagger.report.glossary``)."""


def print_report(report: Any, mistakes: int) -> None:
    """An evaluation report: figures, per-label table, confusions, worst mistakes."""
    from .report import CONFUSIONS_HEAD, confusion_rows, weakest_line, where

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
    columns = ["label", "support", "precision", "recall", "f1", "tp", "fp", "fn"]
    for column in columns + (["threshold"] if report.thresholds else []):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, row in sorted(report.per_label.items(), key=lambda kv: -kv[1]["support"]):
        cut = report.thresholds.get(label)
        table.add_row(
            label,
            str(row["support"]),
            *("-" if row[k] is None else f"{row[k]:.3f}" for k in ("precision", "recall", "f1")),
            *(str(row[k]) for k in ("tp", "fp", "fn")),
            *([] if not report.thresholds else ["-" if cut is None else f"{cut:.2f}"]),
        )
    out.print(table)
    out.print(LEGEND, style="dim", highlight=False)
    if report.weakest():
        out.print(weakest_line(report), highlight=False)
    if report.multi_label:
        out.print(f"{report.no_label} of {report.examples} examples got no label.", highlight=False)
    outcomes = Table(
        title="Scores against outcomes (every example and label)", title_justify="left"
    )
    for column in ("score", "pairs", "with the label"):
        outcomes.add_column(column, justify="right")
    for r in report.reliability():
        outcomes.add_row(
            f"{r['low']:.1f}-{r['high']:.1f}", str(r["pairs"]), f"{r['with_label']:.1%}"
        )
    if outcomes.rows:
        out.print(outcomes)
    if report.confusion is not None and len(report.confusion["labels"]) <= 20:
        labels = report.confusion["labels"]
        matrix = Table(
            title="Confusion matrix (rows: true, columns: predicted)", title_justify="left"
        )
        matrix.add_column("")
        for i, _ in enumerate(labels):
            matrix.add_column(str(i), justify="right")
        matrix.add_column("none", justify="right")
        names = [f"{i} {label}" for i, label in enumerate(labels)] + ["none"]
        for name, row in zip(names, report.confusion["matrix"]):  # a last row: no true label
            matrix.add_row(name, *(str(v) if v else "." for v in row))
        out.print(matrix)
    elif report.confusion is not None:
        out.print(
            f"The confusion matrix of {len(report.confusion['labels'])} labels is too wide for "
            "a terminal: --report writes it as a heat map, -f json holds it.",
            highlight=False,
        )
    rows = confusion_rows(report)
    if rows:
        confusions = Table(title="Most common confusions", title_justify="left")
        for column in CONFUSIONS_HEAD:
            confusions.add_column(column, justify="right" if column[0] in "es" else "left")
        for row in rows:
            confusions.add_row(*row)
        out.print(confusions)
    if report.mistakes and mistakes:
        worst = Table(
            title=f"Worst {min(mistakes, len(report.mistakes))} mistakes", title_justify="left"
        )
        for column in ("true", "predicted", "top scores", "text (source)"):
            worst.add_column(column)
        for m in report.mistakes[:mistakes]:
            scores = ", ".join(f"{k} {v:.2f}" for k, v in list(m.scores.items())[:3])
            worst.add_row(
                ", ".join(m.true) or "-",
                ", ".join(m.predicted) or "-",
                scores,
                _text_and_source(excerpt(m.text, 40), where(m)),
            )
        out.print(worst)


def _text_and_source(text: str, source: str) -> Text:
    """A table cell: a text, and beneath it, dim, where it is (``file:line``), so that a narrow
    terminal squeezes neither into a column of its own."""
    cell = Text(text)
    if source:
        cell.append("\n" + source, style="dim")
    return cell


def print_comparison(result: Any, names: tuple[str, str], disagreements: int) -> None:
    """Two models' figures side by side, whether their differences could be chance, and the
    examples they label differently."""
    from .report import CHANCE, comparison_rows, significance_lines, significance_note, where

    figures, per_label = comparison_rows(result)
    out.print(f"A: {names[0]}\nB: {names[1]}\n{result.a.examples} examples", highlight=False)
    for title, head, rows in (
        ("Figures", ["figure", "A", "B", "B - A"], figures),
        ("Per-label F1", ["label", "support", "A", "B", "B - A"], per_label),
    ):
        table = Table(title=title, title_justify="left")
        for i, column in enumerate(head):
            table.add_column(column, justify="left" if i == 0 else "right")
        for row in rows:
            table.add_row(*row)
        out.print(table)
        if title == "Figures":
            out.print(CHANCE, style="italic", highlight=False)
            for line in significance_lines(result.significance, result.a.multi_label):
                out.print(f"  {line}", highlight=False)
            out.print(significance_note(result.significance), style="dim", highlight=False)
    out.print(
        f"{result.disagree} examples labeled differently; only A exactly right on "
        f"{result.a_only}, only B on {result.b_only}.",
        highlight=False,
    )
    if result.disagreements and disagreements:
        table = Table(title="Disagreements", title_justify="left")
        for column in ("true", "A", "B", "text (source)"):
            table.add_column(column)
        for d in result.disagreements[:disagreements]:
            table.add_row(
                ", ".join(d.true) or "-",
                ", ".join(d.a) or "-",
                ", ".join(d.b) or "-",
                _text_and_source(excerpt(d.text), where(d)),
            )
        out.print(table)


def print_terms(terms: dict[str, list[tuple[str, float]]]) -> None:
    """Each label's strongest terms (``tagger info --terms``)."""
    table = Table(title="Strongest terms (coefficient)", title_justify="left")
    table.add_column("label", style="bold", no_wrap=True)
    table.add_column("terms")
    for label, found in terms.items():
        table.add_row(label, "; ".join(f"{term} {weight:.2f}" for term, weight in found) or "-")
    out.print(table)


def print_card(title: str, card: dict[str, Any]) -> None:
    """A model card for a person (``tagger info``): what the model is, its labels (training
    examples, threshold, description), how it measured, then the rest of the card in short."""
    labels = card.get("labels") or {}
    kind = "multi-label" if card.get("multi_label") else "single-label"
    data = card.get("data") or {}
    files = ", ".join(data.get("files") or []) or "?"
    out.print(title, style="bold", highlight=False)
    out.print(
        f"{kind} model, {len(labels)} labels; trained {card.get('created', '?')} on "
        f"{data.get('examples', '?')} examples ({files})",
        highlight=False,
    )
    thresholds = card.get("thresholds") or {}
    descriptions = (card.get("taxonomy") or {}).get("labels") or {}
    table = Table(title="Labels", title_justify="left")
    table.add_column("label", style="bold", no_wrap=True)
    table.add_column("examples", justify="right")
    if thresholds:
        table.add_column("threshold", justify="right")
    if descriptions:
        table.add_column("description")
    for label, count in labels.items():
        row = [label, str(count)]
        if thresholds:
            cut = thresholds.get(label)
            row.append("-" if cut is None else f"{cut:.2f}")
        if descriptions:
            row.append(descriptions.get(label, ""))
        table.add_row(*row)
    out.print(table)
    print_metrics(card, out)
    shown = {"labels", "multi_label", "created", "thresholds", "metrics"}
    details = Table(title="Card", title_justify="left", show_header=False)
    details.add_column("key", style="bold", no_wrap=True)
    details.add_column("value")
    for key, value in card.items():
        if key in shown:
            continue
        if key == "taxonomy" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k != "labels"}  # in the labels table
        details.add_row(key, _short(value))
    out.print(details)


def _short(value: Any) -> str:
    """A card value on a line or a few: floats to 4 significant digits, SHA-256 digests cut to
    12 hex digits, lists joined by commas, dicts as ``key value`` pairs separated by "; ".

    >>> _short({"C": 4.0, "sha256": "0df00f4c9bd1" + "0" * 52, "char_ngrams": [1, 3]})
    'C 4; sha256 0df00f4c9bd1…; char_ngrams 1, 3'
    """
    if isinstance(value, dict):
        return "; ".join(f"{k} {_short(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(map(_short, value))
    if isinstance(value, float):
        return f"{value:.4g}"
    if value is None:
        return "-"
    if isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return value[:12] + "…"
    return str(value)
