"""The model file: a header line, the scoring arrays, then the pickled Pipeline.

    TAGGER-MODEL
    {"format": ..., "card": {...}, "compact": {...}, "arrays_sha256": ..., "sha256": ..., "signature": ...}
    <npz arrays (no pickles)><joblib pickle of the TaggerModel>

The header and arrays are read without unpickling anything: ``tagger info`` shows the card,
and tagging and evaluating use the arrays (``load_compact``). Either way a file is used only
once it is verified (see ``tagger.trust``); the pickle is loaded only to train further.

>>> read_header(__file__)
Traceback (most recent call last):
...
tagger.errors.ModelError: ...modelfile.py: not a tagger model file. Fix: pass a file written by 'tagger train'
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import __version__
from . import trust as _trust
from .errors import ModelError, OutputError, check_path
from .files import atomic_write

if TYPE_CHECKING:
    from .inference import CompactModel

__all__ = [
    "FORMAT",
    "DamagedModelWarning",
    "ModelVersionWarning",
    "intact_origin",
    "load_compact",
    "read_card",
    "read_header",
    "read_model_parts",
]

FORMAT = "tagger-model"
FORMAT_VERSION = 7
"""6: calibrated scores (format 5 files are read as uncalibrated); 7: the pickle leaves out
the feature space and coefficients, which the arrays hold (``TaggerModel.save``), so taggers
that read 6 and would load a model without them refuse the file."""
READS = (5, 6, 7)
MAGIC = b"TAGGER-MODEL\n"
MAX_HEADER = 64 << 20


class ModelVersionWarning(UserWarning):
    """A model was saved by other versions of tagger, scikit-learn or jieba."""


class DamagedModelWarning(UserWarning):
    """A model file's parts do not match the SHA-256s its header records: it will not load."""


def versions() -> dict[str, str]:
    """The versions a model card records (read without importing scikit-learn)."""
    found = {"tagger": __version__}
    for name in ("scikit-learn", "jieba"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:  # pragma: no cover
            found[name] = "unknown"
    import platform

    found["python"] = platform.python_version()
    return found


def write_model(
    path: str | Path,
    card: dict[str, Any],
    compact: dict[str, Any],
    arrays: dict[str, np.ndarray],
    payload: bytes,
) -> None:
    """Write a signed model file atomically."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    packed = buffer.getvalue()
    header: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "card": card,
        "compact": compact,
        "arrays_length": len(packed),
        "arrays_sha256": hashlib.sha256(packed).hexdigest(),
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    header["signature"] = _trust.sign(_signed_part(header))
    with atomic_write(path, "wb") as handle:
        handle.write(MAGIC)
        handle.write(json.dumps(header, sort_keys=True).encode("ascii") + b"\n")
        handle.write(packed)
        handle.write(payload)


def _signed_part(header: dict[str, Any]) -> bytes:
    fields = {k: v for k, v in header.items() if k != "signature"}
    return json.dumps(fields, sort_keys=True).encode("ascii")


def check_replaceable(
    path: str | Path, hint: str = "name another file with -o, or delete this one first"
) -> None:
    """Raise OutputError when saving a model to ``path`` would replace a file that is not a
    model (an article, a data file, a report: ``-o`` mistyped), so that nothing is lost; a
    model file (of this format or an older one, a joblib pickle), an empty file or none is
    fine to replace. ``hint`` is the error's "Fix:".

    >>> import pathlib, tempfile
    >>> article = pathlib.Path(tempfile.mkdtemp(), "news.txt")
    >>> _ = article.write_text("云计算市场迎来变局", encoding="utf-8")
    >>> check_replaceable(article)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    tagger.errors.OutputError: ...news.txt: is a file that is not a tagger model; saving the model would replace it. Fix: name another file with -o, or delete this one first
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(MAGIC))
    except OSError:  # none yet, or not readable: writing it says what is wrong
        return
    if head and head != MAGIC and not head.startswith(b"\x80"):  # (an old model: a pickle)
        raise OutputError(
            "is a file that is not a tagger model; saving the model would replace it",
            path=path,
            hint=hint,
        )


def read_header(path: str | Path) -> tuple[dict[str, Any], int]:
    """The header of a model file and where the arrays start, read without unpickling."""
    path = Path(path)
    if not path.is_file():
        raise ModelError("no such model file", path=path, hint="check the path, or train one")
    not_a_model = ModelError(
        "not a tagger model file", path=path, hint="pass a file written by 'tagger train'"
    )
    with open(path, "rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            raise not_a_model
        line = handle.readline(MAX_HEADER)
        try:
            header = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise not_a_model from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise not_a_model
        if header.get("format_version") not in READS:
            raise ModelError(
                f"model file format {header.get('format_version')} is not a format this "
                f"tagger reads ({', '.join(map(str, READS))})",
                path=path,
                hint="train the model again with this version of tagger",
            )
        return header, handle.tell()


def read_card(path: str | Path) -> dict[str, Any]:
    """The model card in a file's header, read without unpickling anything. Warns
    (DamagedModelWarning) when the rest of the file is damaged."""
    card = read_header(path)[0].get("card", {})
    try:
        _intact(Path(path))
    except ModelError as error:
        warnings.warn(str(error), DamagedModelWarning, stacklevel=2)
    return card


def intact_origin(path: str | Path) -> tuple[str, str | None]:
    """The SHA-256 of a model file whose parts match the SHA-256s its header records (else a
    ModelError saying it is damaged), and why tagger already loads the file: "signed" (saved
    by tagger for this user), "bundled" (ships with tagger), "listed" (recorded by ``tagger
    trust``), or None (it needs trust). Nothing is unpickled."""
    header, data, _, _ = _intact(Path(path))
    sha = hashlib.sha256(data).hexdigest()
    known = _trust.known_as(sha)
    if known != "bundled" and _trust.verify(_signed_part(header), str(header.get("signature", ""))):
        return sha, "signed"
    return sha, known


def _intact(path: Path) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """Header, whole file, arrays and payload of a file that is not damaged, or a ModelError."""
    header, offset = read_header(path)
    data = path.read_bytes()  # read once: the parts checked and the whole file's hash agree
    end = offset + int(header.get("arrays_length", 0))
    packed, payload = data[offset:end], data[end:]
    if hashlib.sha256(packed).hexdigest() != header.get("arrays_sha256") or hashlib.sha256(
        payload
    ).hexdigest() != header.get("sha256"):
        raise ModelError(
            "the model file is damaged or was modified after it was saved",
            path=path,
            hint="train the model again, or get an intact copy",
        )
    return header, data, packed, payload


def _verified(path: Path, trust: bool, depth: int = 0) -> tuple[dict[str, Any], bytes, bytes]:
    """Header, arrays and payload of a file whose origin is verified, or a ModelError."""
    header, data, packed, payload = _intact(path)
    signed = _trust.verify(_signed_part(header), str(header.get("signature", "")))
    if not (trust or signed or _trust.is_trusted(hashlib.sha256(data).hexdigest())):
        raise ModelError(
            "refusing to load a model file that was not saved by tagger for this user: "
            "loading a model can run code in it",
            path=path,
            hint=f"if you trust where it came from, run 'tagger trust {path}' (or pass --trust)",
        )
    _warn_versions(path, header.get("card", {}).get("versions", {}), 4 + depth)
    return header, packed, payload


def read_model_parts(path: str | Path, *, trust: bool = False) -> tuple[bytes, CompactModel | None]:
    """The pickled model of a verified file and its arrays as a ``CompactModel`` (None for a
    file without arrays), from which ``load_model`` puts back what the pickle leaves out."""
    path = Path(path)
    header, packed, payload = _verified(path, trust, depth=1)  # warnings at load_model's caller
    return payload, _compact(header, packed, path) if packed else None


def _damaged(path: Path, exc: Exception) -> ModelError:
    return ModelError(
        f"the model file is damaged ({type(exc).__name__})", path=path, hint="train the model again"
    )


def load_compact(path: str | Path, *, trust: bool = False) -> CompactModel:
    """The scoring arrays of a verified model file as a ``CompactModel``; nothing unpickled.

    Raises ModelError for a file that is missing, not a tagger model, damaged, or not trusted
    (see ``tagger.trust``; ``trust=True`` trusts it for this call).

    >>> from tagger.tagging import default_model_path
    >>> compact = load_compact(default_model_path())  # the bundled model
    >>> compact.predict(["阿里云下调云服务器价格。"], top_k=1)[0][0][0]
    'cloud'
    """
    check_path("path", path)
    path = Path(path)
    header, packed, _ = _verified(path, trust)
    return _compact(header, packed, path)


def _compact(header: dict[str, Any], packed: bytes, path: Path) -> CompactModel:
    from .inference import CompactModel

    try:
        with np.load(io.BytesIO(packed), allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        return CompactModel.from_arrays(header["compact"], arrays, header.get("card", {}))
    except (KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise _damaged(path, exc) from None


def _warn_versions(path: Path, saved: dict[str, str], stacklevel: int) -> None:
    current = versions()
    differ = {
        k: (saved.get(k), current[k])
        for k in ("tagger", "scikit-learn", "jieba")
        if saved.get(k) != current[k]
    }
    if differ:
        what = ", ".join(f"{k} {old or '?'} (now {new})" for k, (old, new) in differ.items())
        warnings.warn(
            f"{path} was saved with {what}; predictions may differ. Retrain to be sure.",
            ModelVersionWarning,
            stacklevel=stacklevel,
        )
