"""Render evaluation results for people: one self-contained HTML page, Markdown or JSON.

The charts are inline SVG drawn here, so the browser renders their text with its own fonts
(Chinese included). The page has no scripts and loads nothing; all user text (labels,
segments, file names) is escaped.

>>> from tagger.data import Example
>>> from tagger.evaluation import evaluate
>>> from tagger.model import train
>>> data = [Example("云计算市场份额增长", ("cloud",)), Example("芯片出口管制升级", ("chips",))] * 5
>>> new = [Example("云计算市场份额下降", ("cloud",)), Example("芯片出口管制收紧", ("chips",))] * 4
>>> report = evaluate(train(data, test_size=0), new)  # texts it was not trained on
>>> "<svg" in render_html(report), "| cloud | 4 |" in render_markdown(report)
(True, True)
"""

from __future__ import annotations

import html
import json
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from . import __version__
from .evaluation import (
    BINS,
    Comparison,
    CrossValidation,
    Disagreement,
    EvaluationReport,
    LearningCurve,
    Mistake,
    Significance,
)

__all__ = [
    "comparison_rows",
    "confusion_rows",
    "glossary",
    "model_facts",
    "render_comparison_html",
    "render_comparison_json",
    "render_comparison_markdown",
    "render_html",
    "render_json",
    "render_markdown",
    "significance_lines",
    "significance_note",
    "weakest_line",
    "where",
]

FIGURES = (
    ("accuracy", "accuracy"),
    ("micro_precision", "micro precision"),
    ("micro_recall", "micro recall"),
    ("micro_f1", "micro F1"),
    ("macro_precision", "macro precision"),
    ("macro_recall", "macro recall"),
    ("macro_f1", "macro F1"),
)
COLORS = {"tp": "#2f9e44", "fp": "#f08c00", "fn": "#e03131", "pos": "#1c7ed6", "neg": "#adb5bd"}
PAIRED_NAMES = {"accuracy": "accuracy", "micro_f1": "micro-F1", "macro_f1": "macro-F1"}
CHANCE = "Could the difference be chance?"
SERIES = {"accuracy": "#1c7ed6", "micro_f1": "#2f9e44", "macro_f1": "#e8590c"}
STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC",
  "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 2rem auto; max-width: 1100px;
  padding: 0 1rem; color: #212529; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
dl.about { display: grid; grid-template-columns: max-content auto; gap: .1rem 1rem; }
dl.about dt { color: #868e96; } dl.about dd { margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: .6rem; }
.card { border: 1px solid #dee2e6; border-radius: 6px; padding: .5rem .8rem; min-width: 8rem; }
.card .name { color: #868e96; font-size: .85rem; } .card .value { font-size: 1.3rem; }
.card .spread { color: #868e96; font-size: .85rem; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; }
th, td { border-bottom: 1px solid #e9ecef; padding: .25rem .6rem; text-align: left;
  vertical-align: top; }
th { background: #f8f9fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.texts td:last-child { max-width: 34rem; } .wrong { color: #e03131; } .missed { color: #e8590c; }
.note { color: #868e96; font-size: .9rem; } summary { cursor: pointer; }
.grid { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; border: 1px solid #e9ecef; border-radius: 6px; padding: .4rem; }
figcaption { font-weight: 600; font-size: .9rem; }
svg text { font-size: 11px; fill: #495057; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _f(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _count(value: float) -> str:
    """A mean count: ``12`` or ``9.7``."""
    return f"{round(value, 1):g}"


def _width(text: str, size: float = 11) -> float:
    """Rough width in pixels of ``text`` in an SVG label: CJK characters are square."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.62 for c in text)


def _svg(width: float, height: float, label: str, body: Sequence[str]) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" role="img" aria-label="{_e(label)}">'
        f"<title>{_e(label)}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{_e(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str = "") -> str:
    title = f"<title>{_e(tip)}</title>" if tip else ""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
        f'fill="{fill}">{title}</rect>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, color: str, extra: str = "") -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}"{extra}/>'
    )


def _mix(share: float, color: tuple[int, int, int]) -> str:
    """``color`` faded towards white: share 0 is white, 1 the full colour."""
    r, g, b = (round(255 - (255 - c) * share) for c in color)
    return f"#{r:02x}{g:02x}{b:02x}"


def confusion_svg(labels: Sequence[str], matrix: Sequence[Sequence[int]]) -> str:
    """A heat map of a confusion matrix (rows: true labels, then none when there is such a row;
    columns: predicted, then none).

    Cells are shaded by their share of the row: blue on the diagonal, red elsewhere.
    """
    columns = [*labels, "(none)"]
    cell = 34
    longest = max(_width(x) for x in columns)
    left, top = longest + 12, longest * 0.72 + 20  # column names are turned 45 degrees
    body = []
    for j, name in enumerate(columns):
        x = left + j * cell + cell / 2
        body.append(
            _text(x, top - 6, name, extra=f' transform="rotate(-45 {x:.1f} {top - 6:.1f})"')
        )
    for i, (name, row) in enumerate(zip(columns, matrix)):  # a last row: no true label
        y = top + i * cell
        body.append(_text(left - 6, y + cell / 2 + 4, name, "end"))
        total = sum(row) or 1
        for j, count in enumerate(row):
            share = count / total
            color = (28, 126, 214) if i == j else (224, 49, 49)
            tip = f"true {name}, predicted {columns[j]}: {count}"
            body.append(_rect(left + j * cell, y, cell - 2, cell - 2, _mix(share, color), tip))
            if count:
                fill = "#fff" if share > 0.55 else "#212529"
                extra = f' style="fill:{fill}"'
                body.append(
                    _text(
                        left + j * cell + cell / 2 - 1,
                        y + cell / 2 + 3,
                        str(count),
                        "middle",
                        extra,
                    )
                )
    width = left + len(columns) * cell + longest * 0.72
    height = top + len(matrix) * cell + 8
    return _svg(width, height, "Confusion matrix", body)


def error_bars_svg(per_label: Mapping[str, Mapping[str, float]]) -> str:
    """Stacked horizontal bars per label: correct (tp), missed (fn) and wrong (fp) labels."""
    rows = list(per_label.items())
    left = max([_width(label) for label, _ in rows] + [40]) + 12
    scale = max([v["tp"] + v["fn"] + v["fp"] for _, v in rows] + [1])
    plot, bar = 360, 18
    body = []
    for k, (key, name) in enumerate((("tp", "correct"), ("fn", "missed"), ("fp", "wrong"))):
        body.append(_rect(left + k * 90, 4, 10, 10, COLORS[key]))
        body.append(_text(left + k * 90 + 14, 13, f"{name} ({key})"))
    for i, (label, v) in enumerate(rows):
        y = 24 + i * (bar + 6)
        body.append(_text(left - 6, y + bar / 2 + 4, label, "end"))
        x = left
        for key in ("tp", "fn", "fp"):
            w = plot * v[key] / scale
            body.append(_rect(x, y, w, bar, COLORS[key], f"{label}: {key} {v[key]}"))
            x += w
        body.append(_text(x + 6, y + bar / 2 + 4, f"tp {v['tp']} · fn {v['fn']} · fp {v['fp']}"))
    height = 24 + len(rows) * (bar + 6) + 6
    return _svg(left + plot + 140, height, "Errors per label", body)


def histogram_svg(
    label: str, positive: Sequence[int], negative: Sequence[int], threshold: float | None
) -> str:
    """Score histogram of the examples that have ``label`` and of those that lack it."""
    width, height, left, top, plot_h = 250, 160, 30, 34, 94
    plot_w = width - left - 10
    scale = max([*positive, *negative, 1])
    step = plot_w / BINS
    body = [
        _rect(left, 6, 9, 9, COLORS["pos"]),
        _text(left + 12, 14, f"has label ({sum(positive)})"),
        _rect(left + 110, 6, 9, 9, COLORS["neg"]),
        _text(left + 122, 14, f"lacks it ({sum(negative)})"),
    ]
    base = top + plot_h
    for b, (pos, neg) in enumerate(zip(positive, negative)):
        x = left + b * step
        lo, hi = b / BINS, (b + 1) / BINS
        for offset, count, key, what in ((1, neg, "neg", "lacks"), (step / 2, pos, "pos", "has")):
            h = plot_h * count / scale
            tip = f"{what} {label}, score {lo:.1f}-{hi:.1f}: {count}"
            body.append(_rect(x + offset, base - h, step / 2 - 1, h, COLORS[key], tip))
    body.append(_line(left, base, left + plot_w, base, "#868e96"))
    for tick in (0.0, 0.5, 1.0):
        body.append(_text(left + tick * plot_w, base + 14, f"{tick:.1f}", "middle"))
    body.append(_text(left - 4, top + 8, str(scale), "end"))
    body.append(_text(left + plot_w / 2, height - 4, "score", "middle"))
    if threshold is not None:
        x = left + threshold * plot_w
        body.append(_line(x, top - 4, x, base, "#212529", ' stroke-dasharray="3 2"'))
        body.append(_text(x, top - 8, f"threshold {threshold:.2f}", "middle"))
    return _svg(width, height, f"Score distribution of {label}", body)


def pr_curve_svg(label: str, curve: Mapping[str, Sequence[float]], threshold: float | None) -> str:
    """Precision against recall at each threshold tried; a dot marks ``threshold``."""
    size, left, top = 110, 34, 10
    points = list(zip(curve["recall"], curve["precision"], curve["thresholds"]))

    def xy(recall: float, precision: float) -> tuple[float, float]:
        return left + recall * size, top + (1 - precision) * size

    body = [
        f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="none" stroke="#ced4da"/>',
        _text(left - 4, top + 8, "1", "end"),
        _text(left - 4, top + size, "0", "end"),
        _text(left + size, top + size + 13, "1", "middle"),
        _text(left + size / 2, top + size + 24, "recall", "middle"),
        _text(
            10,
            top + size / 2,
            "precision",
            "middle",
            f' transform="rotate(-90 10 {top + size / 2})"',
        ),
    ]
    path = " ".join("{:.1f},{:.1f}".format(*xy(r, p)) for r, p, _ in points)
    body.append(
        f'<polyline points="{path}" fill="none" stroke="{COLORS["pos"]}" stroke-width="2"/>'
    )
    if threshold is not None and points:
        r, p, t = min(points, key=lambda point: abs(point[2] - threshold))
        x, y = xy(r, p)
        tip = f"threshold {t:.2f}: precision {p:.2f}, recall {r:.2f}"
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#212529"><title>{_e(tip)}</title></circle>'
        )
    return _svg(left + size + 12, top + size + 30, f"Precision-recall curve of {label}", body)


def learning_curve_svg(curve: LearningCurve) -> str:
    """Accuracy, micro-F1 and macro-F1 (mean, with a whisker for the spread) by training size."""
    width, height, left, top, plot_w, plot_h = 460, 250, 40, 30, 300, 180
    sizes = [p["train_examples"] for p in curve.points]
    low, high = min(sizes), max(sizes)
    span = (high - low) or 1

    def xy(size: float, value: float) -> tuple[float, float]:
        return left + (size - low) / span * plot_w, top + (1 - value) * plot_h

    body = [_line(left, top + plot_h, left + plot_w, top + plot_h, "#868e96")]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = top + (1 - tick) * plot_h
        body.append(_line(left, y, left + plot_w, y, "#e9ecef"))
        body.append(_text(left - 4, y + 4, f"{tick:.2f}", "end"))
    for size in sorted(set(sizes)):
        body.append(_text(xy(size, 0)[0], top + plot_h + 14, _count(size), "middle"))
    body.append(_text(left + plot_w / 2, height - 6, "training examples", "middle"))
    for k, (key, color) in enumerate(SERIES.items()):
        coords = [xy(p["train_examples"], p[key]) for p in curve.points]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for p, (x, y) in zip(curve.points, coords):
            spread = p[f"{key}_std"] * plot_h
            body.append(_line(x, y - spread, x, y + spread, color))
            tip = f"{key} {p[key]:.3f} ± {p[f'{key}_std']:.3f} with {_count(p['train_examples'])} examples"
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"><title>{_e(tip)}</title></circle>'
            )
        body.append(_rect(left + plot_w + 16, top + k * 18, 10, 10, color))
        body.append(_text(left + plot_w + 30, top + k * 18 + 9, key.replace("_", "-")))
    return _svg(width, height, "Learning curve", body)


def comparison_svg(a: EvaluationReport, b: EvaluationReport, names: Sequence[str]) -> str:
    """Per-label F1 of two reports as paired horizontal bars."""
    labels = _compared_labels(a, b)
    left = max([_width(x) for x in labels] + [40]) + 12
    plot, bar = 300, 9
    body = []
    for k, (name, color) in enumerate(zip(names, (COLORS["pos"], COLORS["fp"]))):
        body.append(_rect(left + k * 160, 4, 10, 10, color))
        body.append(_text(left + k * 160 + 14, 13, name))
    for i, label in enumerate(labels):
        y = 24 + i * (2 * bar + 8)
        body.append(_text(left - 6, y + bar + 4, label, "end"))
        for k, (report, color) in enumerate(zip((a, b), (COLORS["pos"], COLORS["fp"]))):
            value = report.per_label.get(label, {}).get("f1")  # None: no F1 (see per_label)
            f1, shown = value or 0.0, _f(value)
            yy = y + k * bar
            body.append(
                _rect(left, yy, plot * f1, bar - 1, color, f"{names[k]}: {label} F1 {shown}")
            )
            body.append(_text(left + plot * f1 + 4, yy + bar - 1, shown))
    height = 24 + len(labels) * (2 * bar + 8)
    return _svg(left + plot + 60, height, "Per-label F1", body)


def _page(title: str, sections: Sequence[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(s for s in sections if s)
        + f'\n<footer class="note">Made by tagger {_e(__version__)}.</footer>\n</body>\n</html>\n'
    )


def model_facts(card: Mapping[str, Any] | None) -> str:
    """What a model card says of where a model came from, on a line for a report's header:
    when it was trained, on how much data from which files, its labels and tagger's version.

    >>> card = {"created": "2026-05-01T09:30:00+00:00", "labels": {"a": 3, "b": 4},
    ...         "data": {"examples": 7, "files": ["train.jsonl"]}, "versions": {"tagger": "0.1.0"}}
    >>> model_facts(card)
    '2026-05-01T09:30:00+00:00 on 7 examples (train.jsonl), 2 labels, tagger 0.1.0'
    """
    card = card or {}
    data = card.get("data") or {}
    files = ", ".join(data.get("files") or []) or "?"
    version = (card.get("versions") or {}).get("tagger", "?")
    return (
        f"{card.get('created', '?')} on {data.get('examples', '?')} examples ({files}), "
        f"{len(card.get('labels') or {})} labels, tagger {version}"
    )


def _about(title: str, about: Mapping[str, Any] | None) -> str:
    rows = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in (about or {}).items())
    return f"<header><h1>{_e(title)}</h1><dl class='about'>{rows}</dl></header>"


def _table(
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Collection[int] = (),
    keys: Sequence[str] = (),
    cls: str = "",
) -> str:
    """An HTML table; ``rows`` hold HTML. ``numeric`` columns are right-aligned; ``keys``
    become the rows' ``data-label`` attributes."""
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = []
    for i, row in enumerate(rows):
        key = f' data-label="{_e(keys[i])}"' if keys else ""
        cells = "".join(
            f'<td class="num">{cell}</td>' if j in numeric else f"<td>{cell}</td>"
            for j, cell in enumerate(row)
        )
        body.append(f"<tr{key}>{cells}</tr>")
    return (
        f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def glossary(multi_label: bool) -> list[tuple[str, str]]:
    """What the terms of the reports mean, for a reader who is no machine-learning engineer:
    (term, meaning) pairs, the first about accuracy or, for ``multi_label`` models, exact match.

    >>> glossary(True)[0]
    ('exact match', 'the share of examples given exactly their labels, no more and no fewer')
    """
    if multi_label:
        first = (
            "exact match",
            "the share of examples given exactly their labels, no more and no fewer",
        )
    else:
        first = ("accuracy", "the share of examples given their label")
    terms = [
        first,
        ("support", "how many examples have the label in the data"),
        ("precision", "of the examples given the label, the share that have it"),
        ("recall", "of the examples that have the label, the share given it"),
        ("F1", "one figure of precision and recall together (their harmonic mean)"),
        ("tp, fp, fn", "examples given the label rightly, given it wrongly, and missing it"),
        ("micro", "counted over every (example, label) decision, so frequent labels weigh most"),
        ("macro", "the mean over labels, so every label weighs the same"),
        ("–", "no figure: recall of a label no example has; precision and F1 if also never given"),
    ]
    if multi_label:
        terms.append(("threshold", "the score a label needs to be given"))
    terms.append(
        (
            "severity",
            "of a mistake: the score of its most confident wrong label, or one minus the score "
            "of its most surely missed label",
        )
    )
    return terms


def _glossary_html(multi_label: bool) -> str:
    rows = "".join(
        f"<dt>{_e(term)}</dt><dd>{_e(text)}</dd>" for term, text in glossary(multi_label)
    )
    return f"<h2>What the figures mean</h2><dl class='about'>{rows}</dl>"


def _glossary_markdown(multi_label: bool) -> str:
    return "\n## What the figures mean\n\n" + "".join(
        f"- **{_md(term)}**: {_md(text)}\n" for term, text in glossary(multi_label)
    )


def _cards(report: EvaluationReport, cv: CrossValidation | None) -> str:
    figures = cv.summary if cv else report.headline()
    cards = []
    for key, name in FIGURES:
        if key == "accuracy" and report.multi_label:
            name = "exact match"
        spread = f'<div class="spread">± {_f(figures[key + "_std"], 4)}</div>' if cv else ""
        cards.append(
            f'<div class="card" id="figure-{key}"><div class="name">{name}</div>'
            f'<div class="value">{_f(figures[key], 4)}</div>{spread}</div>'
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def _cross_validation_html(report: EvaluationReport, cv: CrossValidation) -> str:
    rows = [
        [str(i + 1), str(run["examples"])]
        + [_f(run[k], 4) for k in ("accuracy", "micro_f1", "macro_f1")]
        for i, run in enumerate(cv.per_fold)
    ]
    pooled = ", ".join(
        f"{name} {_f(getattr(report, key), 4)}"
        for key, name in FIGURES
        if key in ("accuracy", "micro_f1", "macro_f1")
    )
    return (
        f"<h2>Cross-validation</h2><p>{_e(cv.summary['method'])} on {cv.summary['examples']} "
        "examples: the figures above are the mean over the folds and their spread (standard "
        f"deviation). Everything below pools the out-of-fold predictions ({pooled}).</p>"
        + _table(["fold", "test examples", "accuracy", "micro F1", "macro F1"], rows, range(5))
    )


def weakest_line(report: EvaluationReport) -> str:
    """The labels with the lowest F1 on a line (``EvaluationReport.weakest``), or "" when
    every label of the data has F1 1.

    >>> per_label = {"a": {"f1": 0.9, "support": 5}, "b": {"f1": 0.5, "support": 2}}
    >>> weakest_line(EvaluationReport(7, False, *[0.0] * 7, per_label))
    'Weakest labels (lowest F1): b 0.500 (2 examples), a 0.900 (5 examples).'
    >>> weakest_line(EvaluationReport(1, False, *[0.0] * 7, {"c": {"f1": 0.0, "support": 1}}))
    'Weakest labels (lowest F1): c 0.000 (1 example).'
    """
    weak = report.weakest()
    if not weak:
        return ""
    supports = [report.per_label[label]["support"] for label in weak]
    named = ", ".join(
        f"{label} {report.per_label[label]['f1']:.3f} ({n} example{'s' * (n != 1)})"
        for label, n in zip(weak, supports)
    )
    return f"Weakest labels (lowest F1): {named}."


def _labels_html(report: EvaluationReport) -> str:
    head = ["label", "support", "precision", "recall", "F1", "tp", "fp", "fn"]
    if report.thresholds:
        head.append("threshold")
    rows = []
    order = sorted(report.per_label, key=lambda label: -report.per_label[label]["support"])
    for label in order:
        v = report.per_label[label]
        cells = [_e(label), str(v["support"])]
        cells += [_f(v[k]) for k in ("precision", "recall", "f1")]
        cells += [str(v[k]) for k in ("tp", "fp", "fn")]
        if report.thresholds:
            t = report.thresholds.get(label)
            cells.append("–" if t is None else f"{t:.2f}")
        rows.append(cells)
    table = _table(head, rows, range(1, len(head)), order)
    note = f"<p>{_e(weakest_line(report))}</p>" if report.weakest() else ""
    if report.multi_label:
        note += (
            f'<p class="note">A label is chosen when its score reaches its threshold; '
            f"{report.no_label} of {report.examples} examples got no label.</p>"
        )
    return f"<h2>Per label</h2>{table}{note}"


def _scores_html(report: EvaluationReport) -> str:
    figures = []
    for label, curve in report.curves.items():
        threshold = report.thresholds.get(label)
        figures.append(
            f"<figure><figcaption>{_e(label)}</figcaption>"
            + histogram_svg(label, curve["positive"], curve["negative"], threshold)
            + pr_curve_svg(label, curve, threshold)
            + "</figure>"
        )
    return (
        "<h2>Scores per label</h2><p class='note'>How the scores of examples that have the "
        "label and of those that lack it are spread, and precision against recall at "
        "thresholds from 0.05 to 0.95.</p>"
        f'<div class="grid">{"".join(figures)}</div>'
    )


CONFUSIONS_HEAD = ["true label", "predicted instead", "examples", "share of the true label"]
CONFUSIONS_NOTE = (
    "The most common mistakes: examples of the true label given the other label (or none)."
)


def confusion_rows(report: EvaluationReport) -> list[list[str]]:
    """The rows of ``report.confusions()`` as text (labels unescaped), as every format shows
    them: true label, predicted instead (``(none)``: no label), examples, share.

    >>> matrix = [[8, 2, 0], [3, 1, 1]]
    >>> report = EvaluationReport(15, False, *[0.0] * 7, {}, {"labels": ["a", "b"], "matrix": matrix})
    >>> confusion_rows(report)[0]
    ['b', 'a', '3', '60.0%']
    """
    return [
        [
            "(none)" if c["true"] is None else c["true"],
            "(none)" if c["predicted"] is None else c["predicted"],
            str(c["examples"]),
            f"{c['share']:.1%}",
        ]
        for c in report.confusions()
    ]


RELIABILITY_HEAD = ["score", "pairs", "with the label"]
RELIABILITY_NOTE = (
    "Every (example, label) pair by the score the label got: how many pairs each score range"
    " holds and how many of them have the label. The better the scores are calibrated, the"
    " nearer each share is to its range."
)


def _reliability_rows(report: EvaluationReport) -> list[list[str]]:
    return [
        [f"{r['low']:.1f}–{r['high']:.1f}", str(r["pairs"]), f"{r['with_label']:.1%}"]
        for r in report.reliability()
    ]


def _reliability_html(report: EvaluationReport) -> str:
    return f"<h2>Scores against outcomes</h2><p class='note'>{RELIABILITY_NOTE}</p>" + _table(
        RELIABILITY_HEAD, _reliability_rows(report), (1, 2)
    )


def _labels_cell(labels: Sequence[str], other: Sequence[str], cls: str) -> str:
    return (
        ", ".join(
            f'<span class="{cls}">{_e(x)}</span>' if x not in other else _e(x) for x in labels
        )
        or "–"
    )


SHOWN_CHARS = 120
"""A text in a table longer than this shows its start; a click shows it whole."""


def _text_cell(text: str) -> str:
    """A text of a mistake or disagreement for an HTML table cell: whole when short, else its
    first ``SHOWN_CHARS`` characters and its length, the whole text folded beneath (no script).

    >>> _text_cell("云计算<b>")
    '<span lang="zh-CN">云计算&lt;b&gt;</span>'
    >>> _text_cell("云" * 500).endswith("click for all)</span></summary>" + "云" * 500 + "</details>")
    True
    """
    if len(text) <= SHOWN_CHARS:
        return f'<span lang="zh-CN">{_e(text)}</span>'
    start = " ".join(text[:SHOWN_CHARS].split())
    return (
        f'<details lang="zh-CN"><summary>{_e(start)}… <span class="note">({len(text):,} '
        f"characters: click for all)</span></summary>{_e(text)}</details>"
    )


def where(item: Mistake | Disagreement) -> str:
    """Where a mistake's or disagreement's example is: ``file:line`` (the line it starts on),
    the file alone when no line is known, empty when neither is.

    >>> where(Mistake("云", ["a"], ["b"], {}, 1.0, "test.jsonl", 4))
    'test.jsonl:4'
    """
    if not item.source:
        return ""
    return f"{item.source}:{item.line}" if item.line else item.source


def _mistakes_html(mistakes: Sequence[Mistake], accuracy: float) -> str:
    if not mistakes:  # none made, or none kept (evaluate's max_mistakes=0)
        if accuracy < 1:
            return ""
        return "<h2>Mistakes</h2><p>None: every example got exactly its labels.</p>"
    rows = []
    for i, m in enumerate(mistakes):
        scores = ", ".join(f"{_e(k)} {v:.2f}" for k, v in m.scores.items())
        rows.append(
            [
                str(i + 1),
                _f(m.severity, 2),
                _labels_cell(m.true, m.predicted, "missed"),
                _labels_cell(m.predicted, m.true, "wrong"),
                scores,
                _e(where(m)),
                _text_cell(m.text),
            ]
        )
    head = ["#", "severity", "true", "predicted", "top scores", "source", "text"]
    table = _table(head, rows, (0, 1), cls="texts")
    return (
        f"<h2>Mistakes, worst first ({len(mistakes)})</h2><p class='note'>Severity: the score "
        "of the most confident wrong label, or one minus the score of the most surely missed "
        f'true label. <span class="missed">Missed</span> and <span class="wrong">wrong</span> '
        "labels are marked.</p>" + table
    )


def _learning_curve_html(curve: LearningCurve) -> str:
    return (
        f"<h2>Learning curve</h2><p>{_e(curve.method)}, training on growing parts of each "
        "training fold. If the figures still climb at the right, labeling more segments "
        "should help.</p>" + learning_curve_svg(curve) + _table(*_curve_rows(curve), range(5))
    )


def _curve_rows(curve: LearningCurve) -> tuple[list[str], list[list[str]]]:
    head = ["share", "train examples", "accuracy", "micro F1", "macro F1"]
    rows = [
        [f"{p['fraction']:.0%}", _count(p["train_examples"])]
        + [f"{p[k]:.4f} ± {p[k + '_std']:.4f}" for k in ("accuracy", "micro_f1", "macro_f1")]
        for p in curve.points
    ]
    return head, rows


def render_html(
    report: EvaluationReport,
    *,
    title: str = "tagger evaluation",
    about: Mapping[str, Any] | None = None,
    cross_validation: CrossValidation | None = None,
    learning_curve: LearningCurve | None = None,
) -> str:
    """One self-contained HTML page: figures, per-label table, error and score charts,
    the learning curve (when given) and the mistakes, worst first.

    ``about`` lists what was measured (``{"model": "m.joblib", "data": "test.jsonl"}``).
    With ``cross_validation`` (whose ``report`` is ``report``) the figures are fold means
    with their spread.

    >>> page = render_html(evaluate(model, test), about={"model": "m.joblib"})  # doctest: +SKIP
    >>> open("report.html", "w", encoding="utf-8").write(page)  # doctest: +SKIP
    """
    kind = "multi-label" if report.multi_label else "single-label"
    about = {**(about or {}), "examples": report.examples, "model kind": kind}
    if report.confusion:
        charts = (
            "<h2>Confusion matrix</h2><p class='note'>Rows: true label; columns: predicted "
            "label; (none): no label. Cells are shaded by their share of the row.</p>"
            + confusion_svg(report.confusion["labels"], report.confusion["matrix"])
        )
        rows = confusion_rows(report)
        if rows:
            charts += (
                f"<h2>Most common confusions</h2><p class='note'>{CONFUSIONS_NOTE}</p>"
                + _table(CONFUSIONS_HEAD, [[*map(_e, r[:2]), *r[2:]] for r in rows], (2, 3))
            )
    else:
        charts = (
            "<h2>Errors per label</h2><p class='note'>Per label: examples that got it rightly "
            "(tp), examples that missed it (fn) and examples that got it wrongly (fp).</p>"
            + error_bars_svg(report.per_label)
        )
    return _page(
        title,
        [
            _about(title, about),
            "<h2>Summary</h2>" + _cards(report, cross_validation),
            _glossary_html(report.multi_label),
            _cross_validation_html(report, cross_validation) if cross_validation else "",
            _labels_html(report),
            charts,
            _scores_html(report) if report.curves else "",
            _reliability_html(report) if report.curves else "",
            _learning_curve_html(learning_curve) if learning_curve else "",
            _mistakes_html(report.mistakes, report.accuracy),
        ],
    )


MARKDOWN_PUNCTUATION = "\\|`*_[]<&~"
"""Characters ``_md`` escapes: Markdown's table cells, code, emphasis, links and images,
HTML tags, entities and strikethrough."""


def _md(text: object) -> str:
    """Text safe in a Markdown table cell, rendered as written: one line, every character of
    ``MARKDOWN_PUNCTUATION`` backslash-escaped (``&lt;`` stays text, ``*a*`` is no emphasis).

    >>> print(_md("a|b *c* &lt;"))
    a\\|b \\*c\\* \\&lt;
    """
    flat = " ".join(str(text).split())
    return "".join("\\" + c if c in MARKDOWN_PUNCTUATION else c for c in flat)


def _md_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _excerpt(text: str, width: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render_markdown(
    report: EvaluationReport,
    *,
    title: str = "tagger evaluation",
    about: Mapping[str, Any] | None = None,
    cross_validation: CrossValidation | None = None,
    learning_curve: LearningCurve | None = None,
    mistakes: int | None = None,
) -> str:
    """The report's figures and tables as Markdown (for CI logs): the same content as
    ``render_html`` and ``render_json`` without the charts, with the mistakes the report
    keeps (``evaluate``'s ``max_mistakes``), or at most ``mistakes`` of them.

    >>> print(render_markdown(report).splitlines()[0])  # doctest: +SKIP
    # tagger evaluation
    """
    kind = "multi-label" if report.multi_label else "single-label"
    out = [f"# {_md(title)}\n"]
    about = {**(about or {}), "examples": report.examples, "model kind": kind}
    out.append("".join(f"- {_md(k)}: {_md(v)}\n" for k, v in about.items()))
    figures = cross_validation.summary if cross_validation else report.headline()
    rows = []
    for key, name in FIGURES:
        if key == "accuracy" and report.multi_label:
            name = "exact match"
        value = _f(figures[key], 4)
        if cross_validation:
            value += f" ± {_f(figures[key + '_std'], 4)}"
        rows.append([name, value])
    out.append("\n## Summary\n\n" + _md_table(["figure", "value"], rows))
    out.append(_glossary_markdown(report.multi_label))
    if cross_validation:
        out.append(
            f"\n{_md(cross_validation.summary['method'])}: mean ± spread over the folds; the "
            "tables below pool the out-of-fold predictions.\n"
        )
    head = ["label", "support", "precision", "recall", "F1", "tp", "fp", "fn"]
    if report.thresholds:
        head.append("threshold")
    rows = []
    for label, v in sorted(report.per_label.items(), key=lambda kv: -kv[1]["support"]):
        row = [_md(label), str(v["support"])] + [_f(v[k]) for k in ("precision", "recall", "f1")]
        row += [str(v[k]) for k in ("tp", "fp", "fn")]
        if report.thresholds:
            t = report.thresholds.get(label)
            row.append("–" if t is None else f"{t:.2f}")
        rows.append(row)
    out.append("\n## Per label\n\n" + _md_table(head, rows))
    if report.weakest():
        out.append(f"\n{_md(weakest_line(report))}\n")
    if report.multi_label:
        out.append(f"\n{report.no_label} of {report.examples} examples got no label.\n")
    if report.confusion:
        labels = report.confusion["labels"]
        rows = [
            [_md(label), *(str(x) for x in row)]
            for label, row in zip([*labels, "(none)"], report.confusion["matrix"])
        ]
        head = ["true \\ predicted", *(_md(x) for x in labels), "(none)"]
        out.append("\n## Confusion matrix\n\n" + _md_table(head, rows))
        rows = [[_md(r[0]), _md(r[1]), *r[2:]] for r in confusion_rows(report)]
        if rows:
            out.append(f"\n## Most common confusions\n\n{CONFUSIONS_NOTE}\n\n")
            out.append(_md_table(CONFUSIONS_HEAD, rows))
    if report.curves:
        out.append(f"\n## Scores against outcomes\n\n{RELIABILITY_NOTE}\n\n")
        out.append(_md_table(RELIABILITY_HEAD, _reliability_rows(report)))
    if learning_curve:
        out.append(f"\n## Learning curve\n\n{_md(learning_curve.method)}\n\n")
        out.append(_md_table(*_curve_rows(learning_curve)))
    shown = report.mistakes[:mistakes]  # [:None]: all
    if shown:
        rows = [
            [
                _f(m.severity, 2),
                _md(", ".join(m.true) or "–"),
                _md(", ".join(m.predicted) or "–"),
                _md(", ".join(f"{k} {v:.2f}" for k, v in list(m.scores.items())[:3])),
                _md(where(m)),
                _md(_excerpt(m.text)),
            ]
            for m in shown
        ]
        out.append(
            f"\n## Worst {len(shown)} mistakes\n\n"
            + _md_table(["severity", "true", "predicted", "top scores", "source", "text"], rows)
        )
    return "".join(out)


def render_json(
    report: EvaluationReport,
    *,
    about: Mapping[str, Any] | None = None,
    cross_validation: CrossValidation | None = None,
    learning_curve: LearningCurve | None = None,
) -> str:
    """The report as JSON: ``EvaluationReport.to_dict()`` (the shape ``--output`` always
    wrote) plus ``reliability`` and ``confusions`` (the methods' lists), and ``about``, ``cross_validation`` and ``learning_curve``
    when given."""
    document: dict[str, Any] = {
        **report.to_dict(),
        "reliability": report.reliability(),
        "confusions": report.confusions(),
    }
    if about:
        document["about"] = dict(about)
    if cross_validation:
        document["cross_validation"] = {
            **cross_validation.summary,
            "per_fold": cross_validation.per_fold,
        }
    if learning_curve:
        document["learning_curve"] = learning_curve.to_dict()
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _compared_labels(a: EvaluationReport, b: EvaluationReport) -> list[str]:
    """The labels of two reports, most supported first, as evaluate's per-label tables."""
    labels = list(dict.fromkeys([*a.per_label, *b.per_label]))
    support = {x: (a.per_label.get(x) or b.per_label[x])["support"] for x in labels}
    return sorted(labels, key=lambda x: -support[x])


def comparison_rows(comparison: Comparison) -> tuple[list[list[str]], list[list[str]]]:
    """Rows of the figures (figure, A, B, B - A) and of the per-label F1 (label, support, A,
    B, B - A; the most supported labels first) of a comparison, as text."""
    a, b = comparison.a, comparison.b
    figures = []
    for key, name in FIGURES:
        va, vb = getattr(a, key), getattr(b, key)
        if key == "accuracy" and a.multi_label:
            name = "exact match"
        figures.append([name, _f(va, 4), _f(vb, 4), f"{vb - va:+.4f}"])
    labels = _compared_labels(a, b)
    per_label = []
    for label in labels:
        ra, rb = a.per_label.get(label, {}), b.per_label.get(label, {})
        fa, fb = ra.get("f1"), rb.get("f1")
        support = ra.get("support", rb.get("support", 0))
        change = "–" if fa is None or fb is None else f"{fb - fa:+.3f}"
        per_label.append([label, str(support), _f(fa), _f(fb), change])
    return figures, per_label


def _p(value: float) -> str:
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def significance_lines(significance: Significance, multi_label: bool = False) -> list[str]:
    """In plain words, whether each difference B - A could be chance: one line per bootstrap
    interval (accuracy, or exact match for ``multi_label`` models; micro-F1; macro-F1), then
    one for McNemar's test.

    >>> import numpy as np
    >>> from tagger.evaluation import significance
    >>> truth = np.eye(2, dtype=bool)[[0, 1] * 50]  # 100 examples, single-label
    >>> a, b = truth.copy(), truth.copy()
    >>> a[:10], b[10:18] = ~a[:10], ~b[10:18]  # A wrong on 10 examples, B on 8 others
    >>> for line in significance_lines(significance(truth, a, b, resamples=500)):
    ...     print(line)
    B - A accuracy +0.020 (95% interval -0.060 to +0.110): could be chance
    B - A micro-F1 +0.020 (95% interval -0.060 to +0.110): could be chance
    B - A macro-F1 +0.020 (95% interval -0.060 to +0.110): could be chance
    Only A exactly right on 8 examples, only B on 10: McNemar's exact test p = 0.815, could be chance
    """
    lines = []
    share = f"{significance.confidence:.0%}"
    for key, name in PAIRED_NAMES.items():
        v = significance.intervals[key]
        if key == "accuracy" and multi_label:
            name = "exact match"
        if v["low"] > 0:
            verdict = "B better, unlikely to be chance"
        elif v["high"] < 0:
            verdict = "A better, unlikely to be chance"
        elif v["low"] == v["high"] == v["difference"] == 0:
            verdict = "no difference"
        else:
            verdict = "could be chance"
        lines.append(
            f"B - A {name} {v['difference']:+.3f} ({share} interval {v['low']:+.3f} to "
            f"{v['high']:+.3f}): {verdict}"
        )
    a_only, b_only, p = significance.a_only, significance.b_only, significance.p_value
    if not a_only + b_only:
        verdict = "no difference"
    elif p < 1 - significance.confidence:
        verdict = f"{'A' if a_only > b_only else 'B'} better, unlikely to be chance"
    else:
        verdict = "could be chance"
    lines.append(
        f"Only A exactly right on {a_only} examples, only B on {b_only}: McNemar's exact test "
        f"{_p(p)}, {verdict}"
    )
    return lines


def significance_note(significance: Significance) -> str:
    """What the figures of ``significance_lines`` mean and how they were computed."""
    share = f"{significance.confidence:.0%}"
    return (
        f"The {share} intervals come from a paired bootstrap: {significance.resamples} "
        f"resamples of the {significance.examples} examples (drawn with replacement, seed "
        f"{significance.seed}), both models measured on each same draw. An interval is the "
        "range the difference B - A would likely take on other examples like these; one that "
        "holds 0 means these examples cannot tell the models apart on that figure. McNemar's "
        "exact test asks how likely it is, were the models equally good, that the examples "
        "only one of them gets right split at least this unevenly (p below "
        f"{1 - significance.confidence:.2f}: unlikely to be chance). On few examples the "
        "bootstrap is approximate (its intervals too narrow, if anything): where the two "
        "disagree, trust the more cautious. The per-label differences are not tested; on few "
        "examples most of them could be chance."
    )


def render_comparison_markdown(
    comparison: Comparison,
    names: Sequence[str] = ("A", "B"),
    disagreements: int = 20,
    about: Mapping[str, Any] | None = None,
) -> str:
    """Two models side by side as Markdown: figures, per-label F1, where they disagree.
    ``about`` adds lines to the header (``{"data": "test.jsonl"}``)."""
    figures, per_label = comparison_rows(comparison)
    a, b = (_md(n) for n in names)
    out = [f"# Comparison: {a} vs {b}\n\n- A: {a}\n- B: {b}\n"]
    out += [f"- {_md(k)}: {_md(v)}\n" for k, v in (about or {}).items()]
    out.append(f"- examples: {comparison.a.examples}\n")
    out += [f"- warning: {_md(warning)}\n" for warning in comparison.warnings]
    out.append("\n" + _md_table(["figure", "A", "B", "B - A"], figures))
    out.append(_glossary_markdown(comparison.a.multi_label))
    chance = comparison.significance
    out.append(f"\n## {CHANCE}\n\n")
    out += [f"- {line}\n" for line in significance_lines(chance, comparison.a.multi_label)]
    out.append(f"\n{significance_note(chance)}\n")
    rows = [[_md(r[0]), *r[1:]] for r in per_label]
    out.append("\n## Per-label F1\n\n" + _md_table(["label", "support", "A", "B", "B - A"], rows))
    out.append(
        f"\n## Disagreements\n\n{comparison.disagree} examples labeled differently; only A "
        f"exactly right on {comparison.a_only}, only B on {comparison.b_only}.\n\n"
    )
    rows = [
        [
            _md(", ".join(d.true) or "–"),
            _md(", ".join(d.a) or "–"),
            _md(", ".join(d.b) or "–"),
            _md(where(d)),
            _md(_excerpt(d.text)),
        ]
        for d in comparison.disagreements[:disagreements]
    ]
    if rows:
        out.append(_md_table(["true", "A", "B", "source", "text"], rows))
    return "".join(out)


def render_comparison_json(
    comparison: Comparison,
    names: Sequence[str] = ("A", "B"),
    about: Mapping[str, Any] | None = None,
) -> str:
    """The comparison as JSON, with the models' names under ``models``, ``about`` when
    given, and under ``significance``, the plain-words ``reading`` of its figures."""
    document: dict[str, Any] = {"models": {"a": names[0], "b": names[1]}}
    if about:
        document["about"] = dict(about)
    document.update(comparison.to_dict())
    chance = comparison.significance
    document["significance"]["reading"] = significance_lines(chance, comparison.a.multi_label)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_comparison_html(
    comparison: Comparison,
    names: Sequence[str] = ("A", "B"),
    title: str = "tagger comparison",
    about: Mapping[str, Any] | None = None,
) -> str:
    """Two models side by side as one self-contained HTML page; ``about`` adds lines to its
    header."""
    figures, per_label = comparison_rows(comparison)
    rows = [
        [
            _e(", ".join(d.true) or "–"),
            _labels_cell(d.a, d.true, "wrong"),
            _labels_cell(d.b, d.true, "wrong"),
            _e(where(d)),
            _text_cell(d.text),
        ]
        for d in comparison.disagreements
    ]
    return _page(
        title,
        [
            _about(
                title,
                {"A": names[0], "B": names[1], **(about or {}), "examples": comparison.a.examples}
                | ({"warnings": " ".join(comparison.warnings)} if comparison.warnings else {}),
            ),
            "<h2>Figures</h2>" + _table(["figure", "A", "B", "B - A"], figures, (1, 2, 3)),
            _glossary_html(comparison.a.multi_label),
            f"<h2>{CHANCE}</h2><ul class='chance'>"
            + "".join(
                f"<li>{_e(line)}</li>"
                for line in significance_lines(comparison.significance, comparison.a.multi_label)
            )
            + f"</ul><p class='note'>{_e(significance_note(comparison.significance))}</p>",
            "<h2>Per-label F1</h2>"
            + comparison_svg(comparison.a, comparison.b, names)
            + _table(
                ["label", "support", "A", "B", "B - A"],
                [[_e(r[0]), *r[1:]] for r in per_label],
                (1, 2, 3, 4),
                [r[0] for r in per_label],
            ),
            f"<h2>Disagreements ({comparison.disagree})</h2>"
            + (
                f"<p>Only A exactly right on {comparison.a_only}, only B on "
                f"{comparison.b_only}. Examples one model gets right come first.</p>"
                + _table(["true", "A", "B", "source", "text"], rows, cls="texts")
                if rows
                else "<p>None: the models choose the same labels for every example.</p>"
            ),
        ],
    )
