"""Reading text files in the encodings Chinese text comes in, and writing files atomically.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = path.write_bytes("云计算".encode("gb18030"))
>>> read_text(path)
'云计算'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import DataError

__all__ = ["atomic_write", "decode", "read_text"]

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode(data: bytes, source: str | Path, encoding: str | None = None) -> str:
    """Decode bytes of a text file: a BOM, else UTF-8, else GB18030 (a superset of GBK).

    Raises DataError naming ``source`` when the bytes are binary or fit no encoding tried.
    """
    if encoding is not None:
        try:
            return data.decode(encoding)
        except LookupError:
            raise DataError(
                f"unknown encoding {encoding!r}",
                path=source,
                hint="use e.g. utf-8, gb18030, utf-16",
            ) from None
        except UnicodeDecodeError as exc:
            raise DataError(
                f"cannot decode as {encoding} (byte {exc.start})",
                path=source,
                hint="check the file's encoding and pass it with --encoding",
            ) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="strict")
    if b"\x00" in data[:8192]:
        if _looks_utf16(data):
            return data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
        raise DataError(
            "this looks like a binary file, not text",
            path=source,
            hint="pass a UTF-8, GB18030/GBK or UTF-16 text file",
        )
    for name in ("utf-8", "gb18030"):
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    raise DataError(
        "cannot decode the file as UTF-8, GB18030/GBK or UTF-16",
        path=source,
        hint="convert it to UTF-8 or pass its encoding with --encoding",
    )


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of ASCII or CJK text is mostly zero or not."""
    sample = data[: 8192 - (len(data[:8192]) % 2)]
    if len(sample) < 2:
        return False
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch.isspace() for ch in text)
        if printable >= 0.95 * len(text):
            return True
    return False


def read_text(path: str | Path, encoding: str | None = None) -> str:
    """Read a text file, detecting its encoding unless ``encoding`` is given."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError("no such file", path=path, hint="check the path") from None
    except IsADirectoryError:
        raise DataError("is a directory, not a file", path=path) from None
    except OSError as exc:
        raise DataError(f"cannot read the file ({exc.strerror})", path=path) from None
    return decode(data, path, encoding)


@contextlib.contextmanager
def atomic_write(
    path: str | Path,
    mode: str = "w",
    encoding: str | None = "utf-8",
    permissions: int | None = None,
) -> Iterator[IO]:
    """Open a temporary file beside ``path``; replace ``path`` with it only on success.

    An exception or a kill mid-write leaves any previous file at ``path`` untouched. The new
    file gets ``permissions``, else those of the file it replaces, else the umask's default.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if permissions is None:
            try:
                permissions = path.stat().st_mode & 0o777
            except FileNotFoundError:
                permissions = 0o666 & ~_umask()
        os.chmod(fd, permissions)
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
