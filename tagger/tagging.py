"""Tag articles: segment them, score every segment, roll segment labels up into topics.

>>> from tagger.data import Example
>>> from tagger.model import train
>>> model = train([Example("云计算市场份额增长", ("cloud",)), Example("芯片出口管制升级", ("chips",))] * 5, test_size=0)
>>> [a.topics[0].label for a in tag("云计算收入大增。\\n\\n云计算市场份额继续增长。", model)]
['cloud']
"""

from __future__ import annotations

import collections
import contextlib
import math
import os
import re
import stat
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import numpy as np

from .data import DataWarning, _some
from .errors import DataError, ModelError, TaggerError, check_path
from .files import check_decodes, decode, iter_text_chunks, open_binary
from .inference import CompactModel, LabelDecider, check_decision, check_number, check_texts
from .modelfile import load_compact
from .parallel import imap
from .records import (
    SUFFIXES,
    check_records,
    check_string,
    csv_rows,
    field_value,
    json_records,
    json_type,
    record_text,
    text_column,
)
from .segmenting import Article, Part, regroup, segment, visible_chars
from .trust import home
from .webpage import SUFFIXES as HTML_SUFFIXES
from .webpage import decode_page, page_text, starts_like_page
from .wordfile import SUFFIXES as WORD_SUFFIXES
from .wordfile import document_text, starts_like_document

__all__ = [
    "INPUT_FORMATS",
    "TagProgress",
    "TaggedArticle",
    "TaggedSegment",
    "Topic",
    "default_model_path",
    "input_format_of",
    "iter_sources",
    "read_article",
    "render_paths",
    "source_name",
    "tag",
    "tag_paths",
    "tag_texts",
]

R = TypeVar("R")
MODEL_ENV = "TAGGER_MODEL"
SCORES_SHOWN = 5
TEXT_SUFFIXES = (".txt", ".text", ".md")
"""The extensions of text files."""
LISTED_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, *WORD_SUFFIXES)
"""The extensions of the files folders list: text files, web pages and Word documents."""
UNREAD_SUFFIXES = (".pdf", ".doc", ".rtf", ".odt", ".wps", ".xls", ".xlsx", ".ppt", ".pptx")
"""Document formats tagger does not read (PDF, old Word, RTF, OpenDocument, WPS, Excel,
PowerPoint): a folder's files of these extensions are named in a warning, not left out
silently; other files (images, archives) are."""
INPUT_FORMATS = ("auto", "text", "html", "docx", "jsonl", "json", "csv", "tsv")
"""How ``tag_paths`` reads an input: ``auto`` (records for the extensions of
``records.SUFFIXES``, HTML for ``webpage.SUFFIXES``, a Word document for
``wordfile.SUFFIXES``, text for ``TEXT_SUFFIXES``; stdin and a file of another extension or
none are HTML when their first bytes start as a page does, ``webpage.starts_like_page``, a
Word document when they start as a zip file does, ``wordfile.starts_like_document``, else
text), ``text``, ``html`` (the page's visible text, ``webpage.page_text``), ``docx`` (the
document's text, ``wordfile.document_text``) or one of the record formats."""
ARTICLE_FORMATS = ("text", "html", "docx")
"""The input formats whose inputs are articles, not records."""
ID_FIELD = "id"


@dataclass
class TaggedSegment:
    """A segment, its offsets in the source text, chosen labels and label scores; with
    ``tag(..., explain=n)`` also the ``n`` terms that raised each chosen label most."""

    start: int
    end: int
    text: str
    labels: list[str]
    scores: dict[str, float]
    evidence: dict[str, list[tuple[str, float]]] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of a segment (``evidence`` only when asked for): a copy,
        so that changing it leaves the segment as it is.

        >>> TaggedSegment(0, 5, "阿里云降价", ["cloud"], {"cloud": 0.91}).to_dict()
        {'start': 0, 'end': 5, 'text': '阿里云降价', 'labels': ['cloud'], 'scores': {'cloud': 0.91}}
        """
        found: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "labels": list(self.labels),
            "scores": dict(self.scores),
        }
        if self.evidence is not None:
            found["evidence"] = {label: list(terms) for label, terms in self.evidence.items()}
        return found


@dataclass
class Topic:
    """An article-level topic: ``share`` of the article's text carries it, mean ``score``."""

    label: str
    score: float
    share: float


@dataclass
class TaggedArticle:
    """One article of one source with its topics and tagged segments."""

    source: str
    index: int
    title: str | None
    start: int
    end: int
    topics: list[Topic]
    segments: list[TaggedSegment]
    id: str | int | float | None = None
    """The record's id when the article is a record of a JSONL/JSON/CSV/TSV input."""

    def to_dict(self, segments: bool = True) -> dict[str, Any]:
        """The documented JSON shape: source, index, (id,) title, start, end, topics, segments;
        without ``segments`` the article alone (what ``tagger tag --per article`` writes).

        >>> TaggedArticle("a.txt", 0, "标题", 0, 9, [Topic("cloud", 0.9, 1.0)], []).to_dict(False)
        {'source': 'a.txt', 'index': 0, 'title': '标题', 'start': 0, 'end': 9, 'topics': [{'label': 'cloud', 'score': 0.9, 'share': 1.0}]}
        """
        found = asdict(replace(self, segments=[]))  # the segments converted once, below
        if segments:
            found["segments"] = [s.to_dict() for s in self.segments]
        else:
            del found["segments"]
        del found["id"]
        if self.id is None:
            return found
        return {"source": self.source, "index": self.index, "id": self.id, **found}


def default_model_path() -> Path:
    """``$TAGGER_MODEL`` if set, else the bundled model: the copy an installed wheel holds in
    ``tagger/_models/``, or ``models/default.joblib`` of the source tree (an editable install).

    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"TAGGER_MODEL": ""}):
    ...     default_model_path().name
    'default.joblib'
    >>> with mock.patch.dict(os.environ, {"TAGGER_MODEL": "my.joblib"}):
    ...     str(default_model_path())
    'my.joblib'
    """
    if os.environ.get(MODEL_ENV):
        return Path(os.environ[MODEL_ENV])
    package = Path(__file__).resolve().parent
    installed = package / "_models" / "default.joblib"
    return installed if installed.is_file() else package.parent / "models" / "default.joblib"


def resolve_model(model: LabelDecider | str | Path | None, *, trust: bool = False) -> LabelDecider:
    """A model from a model, a path (its scoring arrays: see ``modelfile.load_compact``), or
    None for the default model."""
    if isinstance(model, LabelDecider):
        return model
    if model is not None and not isinstance(model, (str, os.PathLike)):
        raise TypeError(f"model must be a model, a str or a Path, not {type(model).__name__}")
    path = Path(model) if model is not None else default_model_path()
    if model is None and not path.is_file() and os.environ.get(MODEL_ENV):
        raise ModelError(
            f"the model named by {MODEL_ENV} does not exist",
            path=path,
            hint=f"set {MODEL_ENV} to a model file, unset it for the bundled model, or pass --model",
        )
    if model is None and not path.is_file():
        raise ModelError(
            "no default model found",
            path=path,
            hint=f"pass --model, set {MODEL_ENV}, or build it with 'make model'",
        )
    return _load(path, trust)


_last: dict[tuple[Any, ...], CompactModel] = {}  # the model file loaded last, by its identity
_last_lock = threading.Lock()


def _load(path: Path, trust: bool) -> CompactModel:
    """``load_compact(path)``, kept while the file, the trust asked for and the tagger home
    (whose key and list verify it) stay the same: ``tag(text)`` in a loop loaded and verified
    the bundled model on every call (about 20 ms, 50 times the tagging of a short text). Only
    the last model is kept, so a model used once does not stay in memory beside the next."""
    try:
        info = path.stat()
    except OSError:
        return load_compact(path, trust=trust)  # which says what is wrong
    key = (str(path.resolve()), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    key += (trust, str(home()))
    with _last_lock:
        if key in _last:
            return _last[key]
    model = load_compact(path, trust=trust)
    with _last_lock:
        _last.clear()
        _last[key] = model
    return model


def tag(
    text: str,
    model: LabelDecider | str | Path | None = None,
    *,
    source: str = "<text>",
    top_k: int | None = None,
    threshold: float | None = None,
    min_share: float = 0.2,
    explain: int = 0,
    trust: bool = False,
    **segment_options: Any,
) -> list[TaggedArticle]:
    """Segment ``text`` and tag every segment; ``segment_options`` go to ``segment``.

    An article's topics are the labels carried by at least ``min_share`` of its text (counted
    in characters), best first. With ``explain``, each segment's ``evidence`` gives that many
    terms for each chosen label (see ``CompactModel.evidence``).

    Raises ``TypeError`` for a ``text`` that is no ``str`` or a ``model`` that is no model,
    ``str`` or ``Path``, ``ValueError`` for ``top_k`` < 1, ``threshold`` or ``min_share``
    outside [0, 1] or ``explain`` < 0, and ``ModelError`` for a model file that cannot be used
    (missing, damaged or not trusted: see ``load_compact``). ``trust=True`` loads a model file
    that is not verified (another user's: ``tagger trust``) for this call, as ``--trust`` does;
    only for a file you trust, since loading can run code in it.

    >>> tag(b"bytes", "m.joblib")
    Traceback (most recent call last):
    TypeError: text must be a str, not bytes
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    _check_tag_options(top_k, threshold, min_share, explain)
    model = resolve_model(model, trust=trust)
    articles = segment(text, **segment_options)
    tagged = _tag_segments(articles, model, top_k, threshold, explain)
    return [
        TaggedArticle(source, index, a.title, a.start, a.end, _topics(parts, min_share), parts)
        for index, (a, parts) in enumerate(zip(articles, tagged))
    ]


def tag_texts(
    texts: Iterable[str],
    model: LabelDecider | str | os.PathLike[str] | None = None,
    *,
    ids: Iterable[str | int | float] | None = None,
    source: str = "<texts>",
    top_k: int | None = None,
    threshold: float | None = None,
    min_share: float = 0.2,
    explain: int = 0,
    trust: bool = False,
    **segment_options: Any,
) -> list[TaggedArticle]:
    """Tag many texts, each one article with the id of ``ids`` (default: its position), as
    ``tagger tag`` tags the records of a JSONL file: its segments (offsets index the text) and
    its topics over all of them. The segments of many texts are scored together, so a list of
    short texts (a pandas column) is tagged several times faster than by ``tag`` in a loop.
    The options are ``tag``'s (``trust`` too); so are the errors, and ``TypeError`` for one
    ``str`` (pass ``[text]``) or an item that is no ``str``, ``ValueError`` for ``ids`` of
    another length or holding NaN (a missing value) or an infinity, which JSON output cannot
    hold.

    >>> tagged = tag_texts(["美国升级芯片出口管制。", "阿里云下调云服务器价格。"], ids=["a7", "b2"])
    >>> [(a.id, a.index, [t.label for t in a.topics]) for a in tagged]
    [('a7', 0, ['semiconductors']), ('b2', 1, ['cloud', 'datacenter'])]
    """
    texts = check_texts(texts)
    ids = range(len(texts)) if ids is None else _check_ids(ids, len(texts))
    _check_tag_options(top_k, threshold, min_share, explain)
    model = resolve_model(model, trust=trust)
    options = {
        **segment_options,
        "top_k": top_k,
        "threshold": threshold,
        "min_share": min_share,
        "explain": explain,
    }
    records = (Record(i, id_, text) for i, (id_, text) in enumerate(zip(ids, texts)))
    tagged: list[TaggedArticle] = []
    for batch in _batches(records, CHUNK_CHARS):  # as the records of a file are tagged
        tagged += _tag_records(batch, model, source, options)
    for index, article in enumerate(tagged):
        article.index = index
    return tagged


def _check_ids(ids: Iterable[Any], count: int) -> list[str | int | float]:
    """``ids`` as a list of ``count`` strings or numbers (numpy's as Python's), or an error."""
    if isinstance(ids, (str, bytes)):
        raise TypeError("ids must be a list of ids, not one str")
    found = [i.item() if isinstance(i, (np.integer, np.floating)) else i for i in ids]
    if len(found) != count:
        raise ValueError(f"ids must have one id a text: {len(found)} ids for {count} texts")
    for i, value in enumerate(found):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            missing = " (a missing value? drop or fill them)" if value is None else ""
            raise TypeError(
                f"ids[{i}] must be a str or a number, not {type(value).__name__}{missing}"
            )
        if isinstance(value, float) and not math.isfinite(value):  # as tagger tag refuses
            why = "a missing value? drop or fill them" if value != value else "JSON cannot hold it"
            raise ValueError(f"ids[{i}] must be a str or a finite number, not {value} ({why})")
    return found


def _tag_segments(
    articles: list[Article],
    model: LabelDecider,
    top_k: int | None,
    threshold: float | None,
    explain: int,
) -> list[list[TaggedSegment]]:
    """The tagged segments of each article, all scored at once."""
    segments = [s for a in articles for s in a.segments]
    texts = [s.text for s in segments]
    scores = model.scores(texts)
    chosen = model.decide(scores, top_k, threshold)
    best = np.argsort(-scores, axis=1, kind="stable")[:, :SCORES_SHOWN]  # ties in label order
    labels = [[label for label, _ in pick] for pick in chosen]
    evidence: list[Any] = [None] * len(segments)
    if explain:
        compact = model if isinstance(model, CompactModel) else CompactModel.from_model(model)
        evidence = compact.evidence(texts, labels, explain)
    tagged = iter(
        TaggedSegment(s.start, s.end, s.text, names, _shown(model, row, top, pick), why)
        for s, row, top, pick, names, why in zip(segments, scores, best, chosen, labels, evidence)
    )
    return [[next(tagged) for _ in article.segments] for article in articles]


def _check_tag_options(top_k: Any, threshold: Any, min_share: Any, explain: Any) -> None:
    """Raise ``TypeError`` or ``ValueError`` for an option of ``tag`` it cannot use."""
    check_decision(top_k, threshold)
    check_number("min_share", min_share, 0, 1)
    check_number("explain", explain, 0, None, (int, np.integer))


def _shown(
    model: LabelDecider, row: np.ndarray, best: np.ndarray, pick: list[tuple[str, float]]
) -> dict[str, float]:
    """The scores shown for a segment: its ``best`` labels' and its chosen ones, best first."""
    labels = model.labels
    shown = {labels[i]: round(s, 4) for i, s in zip(best.tolist(), row[best].tolist())}
    shown.update({label: round(s, 4) for label, s in pick})
    return dict(sorted(shown.items(), key=lambda kv: -kv[1]))


def _topics(segments: list[TaggedSegment], min_share: float) -> list[Topic]:
    sizes = [visible_chars(s.text) for s in segments]
    total = sum(sizes) or 1
    found: dict[str, list[float]] = {}
    for seg, size in zip(segments, sizes):
        for label in seg.labels:
            share, weighted = found.setdefault(label, [0.0, 0.0])
            found[label] = [share + size, weighted + size * seg.scores[label]]
    topics = [
        Topic(label, round(weighted / share, 4), round(share / total, 4))
        for label, (share, weighted) in found.items()
        if share / total >= min_share
    ]
    return sorted(topics, key=lambda t: (-t.share, -t.score))


def iter_sources(
    path: str | os.PathLike[str],
    on_error: Callable[[TaggerError], None] | None = None,
    *,
    on_unfollowed: Callable[[str], None] | None = None,
    on_unread: Callable[[str], None] | None = None,
) -> list[Path | str]:
    """The files to tag for one argument: a file, the text, HTML and Word files (by their
    extensions, ``LISTED_SUFFIXES``) under a directory (sorted, hidden ones left out; symbolic
    links to files followed, to directories not, as ``grep -r`` and ``find`` do, so a link
    loop cannot trap the walk), or ``-`` for standard input. ``on_unfollowed``, if given, gets
    each link to a directory outside the one walked (whose files are then not listed; one
    inside it has them listed); ``on_unread`` each file of a document format tagger does not
    read (``UNREAD_SUFFIXES``), not listed.

    A directory, or one under it, that cannot be read (no permission, gone), or a link to a
    file that is gone, is a DataError naming it, raised, or with ``on_error`` reported to it
    while the others are still listed: its files are not skipped silently. A directory without
    such files is a DataError too, naming the other files it holds.
    """
    if str(path) == "-":
        return ["-"]
    path = Path(path)
    if not path.is_dir():
        return [path]
    failed: list[TaggerError] = []

    def unreadable(error: OSError) -> None:
        failed.append(
            DataError(
                f"cannot read this directory ({error.strerror or error}): its files are not tagged",
                path=error.filename or path,
                hint="make it readable (chmod +rx), or leave it out",
            )
        )

    files: list[Path | str] = []
    unfollowed: list[str] = []
    unread: list[str] = []  # documents tagger does not read
    others: list[str] = []  # files not listed, named if none is
    for folder, folders, names in os.walk(path, onerror=unreadable):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        links = (os.path.join(folder, name) for name in folders)
        unfollowed += (link for link in links if _leads_out(link, path))
        for name in names:
            if name.startswith("."):
                continue
            suffix = os.path.splitext(name)[1].lower()
            if suffix not in LISTED_SUFFIXES:
                if suffix in UNREAD_SUFFIXES:
                    unread.append(os.path.join(folder, name))
                if not files:  # only named when there is none
                    others.append(os.path.join(folder, name))
                continue
            file = os.path.join(folder, name)
            if os.path.isfile(file):
                files.append(Path(file))
            elif os.path.islink(file) and not os.path.exists(file):  # its target is gone
                failed.append(
                    DataError(
                        f"a symbolic link to {os.readlink(file)}, which does not exist: "
                        "its file is not tagged",
                        path=file,
                        hint="point the link at the file, or remove the link",
                    )
                )
    files.sort()
    if on_unfollowed is not None:
        for link in unfollowed:
            on_unfollowed(link)
    if on_unread is not None and files:  # (with no file listed the error below names them)
        for file in sorted(unread):
            on_unread(file)
    for error in failed:
        if on_error is None:
            raise error
        on_error(error)
    if not files and not failed:
        listed = ", ".join(LISTED_SUFFIXES)
        if not others:
            raise DataError(
                f"no text, HTML or Word files ({listed}) in this directory",
                path=path,
                hint="pass the files",
            )
        others = sorted(map(source_name, others))  # non-UTF-8 bytes as \xNN, as in sources
        named = _some(others, ", ", 3)
        raise DataError(
            f"no text, HTML or Word files ({listed}) in this directory, only {len(others)} "
            f"other file(s), not listed by their extensions: {named}",
            path=path,
            hint=f"pass them by name (e.g. {others[0]}): they are read by their content, "
            "and one tagger cannot read (a PDF, a .doc) is an error saying how to convert it",
        )
    return files


def _leads_out(folder: str, root: Path) -> bool:
    """Whether ``folder``, met while walking ``root``, is a symbolic link (not followed) to a
    directory outside ``root``: one inside it (or holding it, a loop) has its files listed."""
    if not os.path.islink(folder):
        return False
    target, top = os.path.realpath(folder), os.path.realpath(root)
    return os.path.commonpath([target, top]) not in (target, top)


def _warn_unfollowed(links: list[str], paths: list[str | os.PathLike[str]]) -> None:
    """A DataWarning naming the ``links`` to folders the walk of ``paths`` did not follow,
    but those to a folder among ``paths`` (or inside one): their files are tagged anyway."""
    given = [os.path.realpath(p) for p in paths if str(p) != "-" and os.path.isdir(p)]
    missed = [
        link
        for link in links
        if not any(os.path.commonpath([os.path.realpath(link), g]) == g for g in given)
    ]
    if missed:
        named = _some(missed, ", ", 3)
        warnings.warn(
            f"{len(missed)} symbolic link(s) to folders not followed, so their files are not "
            f"tagged: {named}. Fix: to tag them, pass the linked folders too (e.g. {missed[0]})",
            DataWarning,
            stacklevel=3,
        )


def _warn_unread(files: list[str]) -> None:
    """A DataWarning naming the ``files`` of document formats tagger does not read that the
    folders given hold: left out, they would look tagged."""
    if files:
        named = _some([source_name(f) for f in files], ", ", 3)
        warnings.warn(
            f"{len(files)} file(s) in the folders are in a format tagger does not read (PDF, "
            f".doc, .xlsx, ...), so they are not tagged: {named}. Fix: to tag them, save them "
            "as .docx or .txt from the program that made them (a PDF: pdftotext -enc UTF-8 "
            "FILE.pdf FILE.txt, or copy its text into a .txt file) and pass those",
            DataWarning,
            stacklevel=3,
        )


def tag_paths(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    model: LabelDecider | str | Path | None = None,
    *,
    encoding: str | None = None,
    on_error: Callable[[TaggerError], None] | None = None,
    jobs: int = 1,
    input_format: str = "auto",
    text_field: str | None = None,
    id_field: str | None = None,
    progress: Callable[[TagProgress], None] | None = None,
    trust: bool = False,
    **options: Any,
) -> Iterator[TaggedArticle]:
    """Tag files, directories of text, HTML and Word files and ``-`` (standard input); see
    ``tag``. ``paths`` is a list of them, or one (a ``str`` or ``Path``).

    An HTML file (``.html``, ``.htm``, ``.shtml``, ``.shtm``, ``.xhtml``: ``webpage.SUFFIXES``;
    standard input, or a file of an extension not known here or none, whose first bytes start
    as a page does, ``webpage.starts_like_page``; or every input with ``input_format="html"``)
    is tagged as the text ``webpage.page_text`` extracts from it, its title first; offsets index
    that text, not the markup. It is decoded in ``encoding``, else by its BOM, else in the
    charset its ``<meta>`` declares, else as a text file is (``webpage.decode_page``). A page
    whose markup shows no text (one a script fills in) has no article, and warns
    (``DataWarning``) naming it.

    A Word document (``.docx``: ``wordfile.SUFFIXES``; standard input, or a file of an
    extension not known here or none, starting as a zip file does; or every input with
    ``input_format="docx"``) is tagged as the text ``wordfile.document_text`` gives (its
    paragraphs, a blank line apart); offsets index that text. A file of another format that is
    not text (PDF, .doc, .xlsx, a password-protected .docx: ``files.other_format``) is a
    DataError naming the format.

    A JSONL, JSON (an array of objects), CSV or TSV file (by its extension, or every input
    with ``input_format``) holds records: each is one article, the text of its ``text_field``
    (default: the first of ``records.TEXT_FIELDS`` it has), segmented and tagged as a file's text
    is (offsets index that text), with its ``id_field`` as ``id`` (default: ``id`` when the
    record has it, else the line the record starts on). Records are read as a stream. A bad
    record (malformed, no text) raises DataError naming its line, even with ``on_error``: the
    records after it would be missing from the results.

    Files are read in chunks and tagged whole articles at a time (``CHUNK_CHARS``), so memory
    stays bounded and the articles are those of the whole text (but for one longer than
    ``MAX_ARTICLE_CHARS``, see ``regroup``). With ``jobs`` > 1 the chunks are tagged by that
    many processes (an integer from 1; ValueError otherwise); the results are the same.
    With ``on_error``, an input that cannot be read is reported to it and the others are still
    tagged; without, it is raised. A file is tagged once, however often it is reached, so
    (source, index) tells the articles apart. Links to folders outside a folder given, not
    followed (``iter_sources``), are named in a DataWarning unless given too.

    ``progress``, if given, is called with a ``TagProgress`` (how many inputs, bytes and
    articles are done) before the first article, as the results of each chunk arrive (in
    order, in this process, whatever ``jobs``) and once all are done. ``trust`` is ``tag``'s.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("美国升级芯片出口管制。", encoding="utf-8")
    >>> _ = (folder / "b.txt").write_text("阿里云下调云服务器价格。", encoding="utf-8")
    >>> [(pathlib.Path(a.source).name, a.topics[0].label) for a in tag_paths(folder)]
    [('a.txt', 'semiconductors'), ('b.txt', 'cloud')]
    """
    reading = Reading(encoding, on_error, input_format, text_field, id_field)
    for _, index, article in _tagged(paths, model, None, reading, jobs, options, progress, trust):
        article.index = index
        yield article


def render_paths(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    render: Callable[[TaggedArticle], R],
    model: LabelDecider | str | Path | None = None,
    *,
    encoding: str | None = None,
    on_error: Callable[[TaggerError], None] | None = None,
    jobs: int = 1,
    input_format: str = "auto",
    text_field: str | None = None,
    id_field: str | None = None,
    progress: Callable[[TagProgress], None] | None = None,
    trust: bool = False,
    **options: Any,
) -> Iterator[tuple[str, int, R]]:
    """(source, article index, ``render(article)``) for every article ``tag_paths`` gives.

    ``render`` runs where the article is tagged (in a worker process when ``jobs`` > 1), so
    only its result travels back, which costs far less than the article (for 180,000 titles
    unpickling the articles took the parent 1.8 CPU s). It must not use ``article.index``: a
    worker numbers the articles of its chunk from 0; the true index comes beside the result.
    ``progress`` and ``trust`` are ``tag_paths``'s.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = path.write_text("云计算市场迎来变局\\n\\n阿里云下调云服务器价格。", encoding="utf-8")
    >>> [(index, title) for _, index, title in render_paths([path], lambda a: a.title)]
    [(0, '云计算市场迎来变局')]

    ``render`` comes before ``model``; a model in its place is a TypeError, raised before any
    input is read:

    >>> next(render_paths([path], "model.joblib"))
    Traceback (most recent call last):
    TypeError: render must be a function of a TaggedArticle, not str: render_paths takes (paths, render, model), so pass the model as model=...
    """
    if not callable(render):
        raise TypeError(
            f"render must be a function of a TaggedArticle, not {type(render).__name__}"
            + (
                ": render_paths takes (paths, render, model), so pass the model as model=..."
                if isinstance(render, (LabelDecider, str, os.PathLike))
                else ""
            )
        )
    reading = Reading(encoding, on_error, input_format, text_field, id_field)
    yield from _tagged(paths, model, render, reading, jobs, options, progress, trust)


@dataclass(frozen=True)
class Reading:
    """How ``tag_paths`` reads its inputs (its arguments of the same names)."""

    encoding: str | None = None
    on_error: Callable[[TaggerError], None] | None = None
    input_format: str = "auto"
    text_field: str | None = None
    id_field: str | None = None


def _tagged(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    model: LabelDecider | str | Path | None,
    render: Callable[[TaggedArticle], Any] | None,
    reading: Reading,
    jobs: int,
    options: dict[str, Any],
    progress: Callable[[TagProgress], None] | None = None,
    trust: bool = False,
) -> Iterator[tuple[str, int, Any]]:
    if reading.input_format not in INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {', '.join(INPUT_FORMATS)}")
    check_number("jobs", jobs, 1, None, (int, np.integer))  # -1 ran one process, silently
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a function, not {type(progress).__name__}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # one input, not the characters of its name
    model = resolve_model(model, trust=trust)
    if options.get("explain") and not isinstance(model, CompactModel):
        model = CompactModel.from_model(model)  # once, not for every chunk
    inputs = _inputs(paths)
    meter = _Meter([size for _, size in inputs])
    chunks = _chunks(inputs, reading, options.get("paragraphs", "auto"), CHUNK_CHARS, meter)
    marks: collections.deque[tuple[int, int]] = collections.deque()
    if progress is not None:
        chunks = _marked(chunks, meter, marks)
    if jobs > 1:
        model.scores(["预热"])  # load the dictionary here, once, for the workers to share
    results = imap(_tag_chunk, (model, render, options), chunks, jobs)
    if progress is not None:
        results = _reported(results, meter, marks, progress)
    yield from _numbered(results)


@dataclass(frozen=True)
class TagProgress:
    """How far ``tag_paths`` has come, as its ``progress`` callback is told: ``files_done`` of
    the ``files`` inputs to tag (each file once; standard input, and an argument that cannot
    be listed, count as one) read to their end or failed, ``bytes_done`` of their
    ``bytes_total`` bytes read (None when a size is not known up front: standard input, a
    pipe) and the ``articles`` tagged so far. Each figure only grows; the last call has every
    input done (``bytes_done == bytes_total`` when known).

    >>> p = TagProgress(files_done=1, files=4, bytes_done=2_000, bytes_total=8_000, articles=9)
    >>> p.bytes_done / p.bytes_total
    0.25
    """

    files_done: int
    files: int
    bytes_done: int
    bytes_total: int | None
    articles: int


class _Meter:
    """The inputs and bytes ``_chunks`` has read, for ``TagProgress``: a file's bytes count up
    to its size as it is read, and all of it once it is done (or failed)."""

    def __init__(self, sizes: list[int | None]) -> None:
        self.sizes = sizes
        self.files = len(sizes)
        self.total = None if None in sizes else sum(s for s in sizes if s is not None)
        self.files_done = 0
        self.done = 0  # the bytes of the inputs done
        self.read = 0  # of the input being read

    def position(self) -> tuple[int, int]:
        """(inputs done, bytes done) now."""
        if self.files_done >= self.files:
            return self.files_done, self.done
        size = self.sizes[self.files_done]
        return self.files_done, self.done + (self.read if size is None else min(self.read, size))

    def finish(self) -> None:
        """The input being read is done (or failed): all of its bytes count."""
        size = self.sizes[self.files_done]
        self.done += self.read if size is None else size
        self.files_done += 1
        self.read = 0


class _Counted:
    """A binary stream that counts the bytes read from it into a ``_Meter``."""

    def __init__(self, stream: BinaryIO, meter: _Meter) -> None:
        self.stream, self.meter = stream, meter

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.meter.read += len(data)
        return data

    def seekable(self) -> bool:
        return False  # read through, every byte counted (``wordfile.document_text`` reads it whole)


def _marked(
    chunks: Iterable[R], meter: _Meter, marks: collections.deque[tuple[int, int]]
) -> Iterator[R]:
    """``chunks``, noting where the reading was as each was read: results come back in the
    same order, later (with ``jobs`` the chunks are read ahead, in the pool's thread)."""
    for chunk in chunks:
        marks.append(meter.position())
        yield chunk


def _reported(
    results: Iterable[tuple[str, list[Any]]],
    meter: _Meter,
    marks: collections.deque[tuple[int, int]],
    progress: Callable[[TagProgress], None],
) -> Iterator[tuple[str, list[Any]]]:
    """``results``, telling ``progress`` how far they have come as each arrives."""
    articles = 0
    progress(TagProgress(0, meter.files, 0, meter.total, 0))
    for name, items in results:
        files_done, done = marks.popleft()
        articles += len(items)
        progress(TagProgress(files_done, meter.files, done, meter.total, articles))
        yield name, items
    files_done, done = meter.position()
    progress(TagProgress(files_done, meter.files, done, meter.total, articles))


CHUNK_CHARS = 1 << 16
"""Files are read in pieces of about this many characters and tagged in chunks of whole articles
(``regroup``): as the whole text, with any ``jobs``."""


def _inputs(
    paths: Iterable[str | os.PathLike[str]],
) -> list[tuple[Path | str | TaggerError, int | None]]:
    """Every input to tag with its size in bytes (None: not known, as for ``-`` or a pipe),
    or the error listing an argument gave, in order. A file reached again (named twice, by
    another name, or in a folder given too) is left out, and so is ``-`` given again: each is
    tagged once, under its first name. So is the error of a folder that cannot be read (or a
    broken link) reached again: it is reported once. The links to folders that listing them
    did not follow are named in a warning (``_warn_unfollowed``), and so are their files of
    document formats tagger does not read (``_warn_unread``)."""
    found: list[tuple[Path | str | TaggerError, int | None]] = []
    seen: set[object] = set()
    unfollowed: list[str] = []
    unread: dict[object, str] = {}  # by identity: a folder given twice names them once
    paths = list(paths)

    def failed(error: TaggerError) -> None:
        key = (_identity(error.path)[0] if error.path else None, type(error), error.message)
        if key not in seen:
            seen.add(key)
            found.append((error, 0))

    for path in paths:
        try:  # a folder's unreadable subfolders are reported, in place of their files
            sources = iter_sources(
                path,
                failed,
                on_unfollowed=unfollowed.append,
                on_unread=lambda file: unread.setdefault(_identity(file)[0], file),
            )
        except TaggerError as error:
            failed(error)
            continue
        for source in sources:
            key, size = _identity(source)
            if key in seen:
                continue
            seen.add(key)
            found.append((source, size))
    _warn_unfollowed(unfollowed, paths)
    _warn_unread([file for key, file in unread.items() if key not in seen])  # not named too
    return found


def _identity(source: Path | str) -> tuple[object, int | None]:
    """What tells an input apart whatever its name, and its size in bytes, from one ``stat``:
    for ``-`` itself and None (standard input has no size known up front); for a file its
    device and inode, and its size if it is a regular file (None for a pipe or a device);
    for a file that cannot be read (opening it reports that) its real path and 0."""
    if source == "-":
        return source, None
    try:
        found = os.stat(source)
    except OSError:
        return os.path.realpath(source), 0
    return (found.st_dev, found.st_ino), found.st_size if stat.S_ISREG(found.st_mode) else None


def _chunks(
    inputs: list[tuple[Path | str | TaggerError, int | None]],
    reading: Reading,
    paragraphs: str,
    size: int,
    meter: _Meter,
) -> Iterator[tuple[str, Part | list[Record]]]:
    """(source name, part) for the chunks of whole articles of every input (``_inputs``), or
    (source name, records) for a batch of records, errors to ``on_error`` (but for a bad
    record); ``meter`` counts what was read."""
    for source, _ in inputs:
        try:
            yield from _input_chunks(source, reading, paragraphs, size, meter)
        finally:
            meter.finish()


def _input_chunks(
    source: Path | str | TaggerError,
    reading: Reading,
    paragraphs: str,
    size: int,
    meter: _Meter,
) -> Iterator[tuple[str, Part | list[Record]]]:
    """``_chunks`` of one input."""
    encoding, on_error = reading.encoding, reading.on_error
    try:
        if isinstance(source, TaggerError):  # listing it failed
            raise source
        opened = _open(source)
    except TaggerError as error:
        if on_error is None:
            raise
        on_error(error)
        return
    name = source_name(source)
    fmt = input_format_of(source, reading.input_format)
    if fmt not in ARTICLE_FORMATS:
        with opened as stream:  # a bad record stops the run
            counted: Any = _Counted(stream, meter)
            for batch in _record_batches(counted, name, fmt, reading, size):
                yield name, batch
        return
    try:
        with opened as stream:
            fmt, stream = _article_format(source, stream, reading.input_format, True)
            counted = _Counted(stream, meter)
            if fmt in ("html", "docx"):  # read whole (see webpage.read_page), then as text
                if fmt == "html":
                    text = _visible_text(counted.read(), name, encoding)
                else:
                    # a file: zipfile reads the parts it needs; a pipe: read whole, counted
                    text = document_text(stream if stream.seekable() else counted, name)
                pieces: Iterable[str] = (text[i : i + size] for i in range(0, len(text), size))
            else:
                _check_decodes(stream, name, encoding, size)
                pieces = iter_text_chunks(counted, name, encoding, size)
            for part in regroup(pieces, paragraphs):
                yield name, part
    except TaggerError as error:
        if on_error is None:
            raise
        on_error(error)


def _check_decodes(stream: BinaryIO, name: str, encoding: str | None, size: int) -> None:
    """Decode a file once before tagging it (a DataError if it cannot be), so that a file
    that cannot be read to its end puts none of its articles in the output; decoding costs
    little beside tagging. Standard input from a pipe, read once, is not checked ahead; from a
    file it is, from where it stands (a command before may have read some of it)."""
    if stream.seekable():
        start = stream.tell()
        check_decodes(stream, name, encoding, size)
        stream.seek(start)


def _visible_text(data: bytes, name: str, encoding: str | None) -> str:
    """The text a page's bytes show (``webpage.page_text``); a DataWarning naming it when its
    markup shows none (a page a script fills in; an empty file says nothing: none expected)."""
    markup = decode_page(data, name, encoding)
    text = page_text(markup)
    if not text and markup.strip():
        warnings.warn(
            f"{name}: the page shows no text (a page whose text a script writes shows none); "
            "nothing to tag",
            DataWarning,
            stacklevel=3,
        )
    return text


def read_article(
    source: str | os.PathLike[str], encoding: str | None = None, input_format: str = "auto"
) -> str:
    """The text of an article file, as ``tagger segment`` and ``tagger tag`` read it: the
    text their offsets index. An HTML page (``input_format`` "html", or "auto" and a
    ``webpage.SUFFIXES`` extension, or standard input or a file of an unknown extension or
    none starting as a page does: ``webpage.starts_like_page``) gives its visible text
    (``webpage.page_text``); a Word document (``input_format`` "docx", or "auto" and a
    ``.docx`` extension, or standard input or a file of an unknown extension or none starting
    as a zip file does) the text of its paragraphs (``wordfile.document_text``); any other
    input is read as text (decoded, a BOM dropped, line endings kept). ``-`` is standard
    input. Raises DataError for a file that cannot be read or decoded, or is of another format
    (PDF, .doc, .xlsx: ``files.other_format``); a page whose markup shows no text (one a
    script fills in) warns (``DataWarning``) naming it.

    >>> import pathlib, tempfile
    >>> page = pathlib.Path(tempfile.mkdtemp(), "news.html")
    >>> _ = page.write_text("<title>云计算</title><p>阿里云下调价格。</p>", encoding="gbk")
    >>> read_article(page)
    '云计算\\n\\n阿里云下调价格。\\n'
    """
    check_path("source", source)
    if input_format not in ("auto", *ARTICLE_FORMATS):
        raise ValueError(f"input_format must be auto, text, html or docx, not {input_format!r}")
    source = "-" if str(source) == "-" else Path(source)
    name = source_name(source)
    with _open(source) as stream:
        fmt, stream = _article_format(source, stream, input_format)
        if fmt == "docx":
            return document_text(stream, name)
        data = stream.read()
    if fmt == "html":  # else text, records' extensions too
        return _visible_text(data, name, encoding)
    return decode(data, name, encoding)


def source_name(source: str | os.PathLike[str]) -> str:
    r"""How an input is named in the results (``source``): ``<stdin>`` for ``-``, else its
    path, where the bytes of a name that are not UTF-8 (a GBK name from a Windows zip file,
    say) show as ``\xNN`` escapes: valid text that JSON, CSV and databases hold, one for
    each name, where the raw name could not be written to a UTF-8 file at all.

    >>> source_name(os.fsdecode("新闻.txt".encode("gbk"))), source_name("新闻.txt")
    ('\\xd0\\xc2\\xce\\xc5.txt', '新闻.txt')
    """
    if str(source) == "-":
        return "<stdin>"
    name = os.fspath(source)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes the file system encoding kept as lone surrogates
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def _open(source: Path | str) -> contextlib.AbstractContextManager[BinaryIO]:
    """Standard input for ``-``, else the file, opened to read bytes."""
    if source == "-":
        if sys.stdin is None:  # the shell closed it (<&-)
            raise DataError(
                "standard input is closed, so there is nothing to read",
                path="<stdin>",
                hint="pipe the articles in (cat a.txt | tagger tag -) or pass files",
            )
        return contextlib.nullcontext(sys.stdin.buffer)
    return open_binary(source)


def input_format_of(source: Path | str, input_format: str = "auto") -> str:
    """How ``tag_paths`` reads ``source``, as its name tells: ``text``, ``html``, ``docx`` or
    a record format (see ``INPUT_FORMATS``). Standard input and a file of an extension not
    known here (or none) are ``text`` here, but with ``auto`` they are read as HTML when their
    first bytes start as a page does (``webpage.starts_like_page``), as a Word document when
    they start as a zip file does: that is decided where they are read.

    >>> input_format_of("news/arts.ndjson"), input_format_of("a.HTM"), input_format_of("-")
    ('jsonl', 'html', 'text')
    >>> input_format_of("报告.DOCX")
    'docx'
    """
    if input_format != "auto":
        return input_format
    if source == "-":
        return "text"
    suffix = Path(source).suffix.lower()
    if suffix in WORD_SUFFIXES:
        return "docx"
    return "html" if suffix in HTML_SUFFIXES else SUFFIXES.get(suffix, "text")


SNIFFED_BYTES = 16384
"""The most bytes read to tell a page from a text (comments may come before its markup)."""


def _article_format(
    source: Path | str, stream: BinaryIO, input_format: str, records_hint: bool = False
) -> tuple[str, BinaryIO]:
    """How to read an article input (``text``, ``html`` or ``docx``) and the stream to read it
    from. With ``input_format`` ``auto``, standard input and a file whose extension tells
    nothing (none, ``.php``, ``.asp``, ``.doc``: see ``_sniffs``) are HTML when their first
    bytes start as a web page does (``webpage.starts_like_page``), a Word document when they
    start as a zip file does (``wordfile.starts_like_document``: a .docx saved as .doc, or
    piped in; an .xlsx is then an error saying what it is), else text; those bytes are read
    ahead, only as
    many as it takes to tell, and the stream returned gives them again. With
    ``records_hint`` (tagging, which reads records too), a text that starts like JSON records
    (``_records_like``) warns (``DataWarning``) that it is read as text."""
    fmt = input_format_of(source, input_format)
    if not _sniffs(source, input_format):
        return fmt, stream
    page, head, stream = _sniffed(stream)
    if not page and starts_like_document(head):
        return "docx", stream
    records = _records_like(head) if records_hint and not page else None
    if records:
        warnings.warn(
            f"{source_name(source)}: starts like {_RECORDS_SHAPE[records]} but is read as "
            f"text, JSON syntax and all, not record by record; to tag each record, pass "
            f"--input-format {records}",
            DataWarning,
            stacklevel=3,
        )
    return ("html" if page else fmt), stream


_RECORDS_START = {
    "jsonl": re.compile(r'\{\s*"[^"\n]*"\s*:'),
    "json": re.compile(r'\[\s*\{\s*"[^"\n]*"\s*:'),
}
_RECORDS_SHAPE = {"jsonl": "JSON lines (records)", "json": "a JSON array of records"}


def _records_like(head: bytes) -> str | None:
    """The record format (``jsonl`` or ``json``) that bytes read as text start like: a JSON
    object (``{"text": ...``) or an array of them, after a BOM and whitespace; else None. No
    article starts so, so such an input given as text (standard input without
    ``--input-format``) is records read by mistake.

    >>> _records_like(b'{"id": 1, "text": "..."}'), _records_like(b' [\\n {"text": "..."}]')
    ('jsonl', 'json')
    >>> _records_like("{新闻}云计算".encode()), _records_like("云计算".encode())
    (None, None)
    """
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "ignore").lstrip()
    return next((fmt for fmt, start in _RECORDS_START.items() if start.match(text)), None)


def _sniffs(source: Path | str, input_format: str) -> bool:
    """Whether ``auto`` tells a page from a text by the first bytes of ``source``: standard
    input, and a file of no extension tagger knows (a page wget saved as ``index.php``,
    ``article.asp`` or ``page``). Never a ``.txt`` (``.text``, ``.md``) file, a page's or a
    records' extension, so never a file a folder lists (it lists these extensions only).

    >>> [_sniffs(name, "auto") for name in ("-", "index.php", "page", "a.TXT", "a.shtml")]
    [True, True, True, False, False]
    """
    if input_format != "auto":
        return False
    return source == "-" or Path(source).suffix.lower() not in (*LISTED_SUFFIXES, *SUFFIXES)


def _sniffed(stream: BinaryIO) -> tuple[bool, bytes, BinaryIO]:
    """Whether ``stream`` starts as a web page does, the bytes read to tell, and a stream
    giving all of its bytes: ``stream`` moved back where it was if it can seek, else one
    giving the bytes read ahead first. A pipe gives what has arrived at each read: reads go
    on until the bytes tell."""
    read = getattr(stream, "read1", stream.read)  # what has arrived, not a full buffer
    start = stream.tell() if stream.seekable() else None
    head = b""
    while True:
        data = read(SNIFFED_BYTES - len(head))
        head += data
        page = starts_like_page(head, complete=not data or len(head) >= SNIFFED_BYTES)
        if page is not None and (len(head) >= 4 or not data):  # a zip file's 4 bytes too
            break
    if start is not None:
        stream.seek(start)
        return page, head, stream
    return page, head, _Replayed(head, stream)  # type: ignore[return-value]


class _Replayed:
    """A stream that gives ``head``, the bytes read ahead of it, and then its own; ``read(n)``
    gives ``n`` bytes unless the stream ends first, as a buffered stream's does."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self.head, self.stream = head, stream

    def read(self, size: int | None = -1) -> bytes:
        if not self.head:
            return self.stream.read(size)
        if size is None or size < 0:
            data, self.head = self.head + self.stream.read(), b""
            return data
        data, self.head = self.head[:size], self.head[size:]
        return data + self.stream.read(size - len(data)) if len(data) < size else data

    def seekable(self) -> bool:
        return False


@dataclass(frozen=True)
class Record:
    """One record of a records input: the line it starts on, its id and its text."""

    line: int
    id: str | int | float
    text: str


def _record_batches(
    stream: BinaryIO, source: str, fmt: str, reading: Reading, size: int
) -> Iterator[list[Record]]:
    """The records of a stream in batches of about ``size`` characters of text."""
    chunks = iter_text_chunks(stream, source, reading.encoding, size)
    if fmt in ("csv", "tsv"):
        records = _csv_records(chunks, source, "\t" if fmt == "tsv" else ",", reading)
    else:
        records = _json_records(chunks, source, fmt, reading)
    return _batches(records, size)


def _json_records(
    chunks: Iterable[str], source: str, fmt: str, reading: Reading
) -> Iterator[Record]:
    """The records of JSON lines or a JSON array; an error about a record that shares its line
    with others names its number in the array too."""
    for item in json_records(chunks, source, fmt):
        check_records(item, source, reading.text_field, '{"text": "..."}')
        line, obj = item.line, item.value
        try:
            record = Record(
                line,
                _record_id(obj, source, line, reading.id_field),
                record_text(obj, source, line, reading.text_field),
            )
        except DataError as error:
            raise error.in_record(line, item.record) from None
        yield record


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """``records`` in lists of about ``size`` characters of text (the last one may be less)."""
    batch: list[Record] = []
    chars = 0
    for record in records:
        batch.append(record)
        chars += len(record.text)
        if chars >= size:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _record_id(obj: Any, source: str, line: int, id_field: str | None) -> str | int | float:
    """A JSON record's ``id_field`` (a string or a number), else its ``id``, else ``line``."""
    if not isinstance(obj, dict) or (id_field is None and ID_FIELD not in obj):
        return line  # (not an object: record_text says so)
    key = id_field or ID_FIELD
    hint = "give every record the field, or name another with --id-field"
    value = field_value(obj, key, "id", source, line, hint)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise DataError(
            f"the {key!r} field must be a string or a number, not {json_type(value)}",
            path=source,
            line=line,
            hint="give every record an id, or name another field with --id-field",
        )
    if isinstance(value, float) and not math.isfinite(value):  # NaN, Infinity, 1e400
        raise DataError(
            f"the {key!r} field must be a string or a finite number, not {json_type(value)} "
            "(NaN, Infinity and numbers too large for a float, like 1e400, are no JSON numbers)",
            path=source,
            line=line,
            hint='write the id as a string (e.g. "1e400"), or name another field with --id-field',
        )
    if isinstance(value, str):
        check_string(value, f"the id ({key!r} field)", source, line)
    return value


def _csv_records(
    chunks: Iterable[str], source: str, delimiter: str, reading: Reading
) -> Iterator[Record]:
    """The rows of a CSV/TSV text with a header: their text column and id column (``id``
    when the header has one, else the line the row starts on)."""
    rows = csv_rows(chunks, source, delimiter)  # strict: a quote left open is an error
    header = next(rows, None)
    if header is None:
        return
    columns = header[2]
    text_col = text_column(columns, reading.text_field, source)
    names = [c.lower() for c in columns]
    wanted = (reading.id_field or ID_FIELD).lower()
    id_col = names.index(wanted) if wanted in names else None
    if id_col is None and reading.id_field is not None:
        raise DataError(
            f"no id column {reading.id_field!r} (header has {', '.join(columns)})",
            path=source,
            line=1,
            hint="name an existing column with --id-field, or leave it out for line numbers",
        )
    for start, _, row in rows:
        yield Record(start, start if id_col is None else row[id_col], row[text_col])


def _tag_chunk(
    setup: tuple[LabelDecider, Callable[[TaggedArticle], Any] | None, dict[str, Any]],
    chunk: tuple[str, Part | list[Record]],
) -> tuple[str, list[Any]]:
    model, render, options = setup
    name, part = chunk
    if isinstance(part, list):
        articles = _tag_records(part, model, name, options)
        return name, articles if render is None else [render(a) for a in articles]
    articles = tag(part.text, model, source=name, **{**options, "paragraphs": part.paragraphs})
    if part.continued and articles:
        articles[0].title = None  # the rest of an article cut at the limit
    for article in articles:
        article.start += part.start
        article.end += part.start
        for s in article.segments:
            s.start += part.start
            s.end += part.start
    return name, articles if render is None else [render(a) for a in articles]


def _tag_records(
    records: list[Record],
    model: LabelDecider,
    source: str,
    options: dict[str, Any],
) -> list[TaggedArticle]:
    """One article a record, tagged as ``tag`` tags its text; an article ``segment`` finds in
    the text after the first one continues it (a record is one document)."""
    tagging = ("top_k", "threshold", "min_share", "explain")
    segment_options = {k: v for k, v in options.items() if k not in tagging}
    found = [segment(r.text, **segment_options) for r in records]
    tagged = iter(
        _tag_segments(
            [a for articles in found for a in articles],
            model,
            options.get("top_k"),
            options.get("threshold"),
            options.get("explain", 0),
        )
    )
    results = []
    for record, articles in zip(records, found):
        parts = [s for _ in articles for s in next(tagged)]
        title = articles[0].title if articles else None
        start, end = (articles[0].start, articles[-1].end) if articles else (0, 0)
        topics = _topics(parts, options.get("min_share", 0.2))
        results.append(TaggedArticle(source, 0, title, start, end, topics, parts, record.id))
    return results


def _numbered(tagged: Iterable[tuple[str, list[Any]]]) -> Iterator[tuple[str, int, Any]]:
    """(source, index, article or its rendering), numbered from 0 within each source, across
    its chunks."""
    source, index = None, 0
    for name, items in tagged:
        if name != source:
            source, index = name, 0
        for item in items:
            yield name, index, item
            index += 1
