"""Reading text files in the encodings Chinese text comes in, and writing files atomically.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = path.write_bytes("云计算".encode("gb18030"))
>>> read_text(path)
'云计算'
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import itertools
import os
import re
import shlex
import struct
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, BinaryIO

from .errors import DataError, OutputError

__all__ = [
    "atomic_write",
    "check_decodes",
    "check_encoding",
    "check_output",
    "decode",
    "detect_encoding",
    "iter_text_chunks",
    "no_room",
    "ole_format",
    "open_binary",
    "other_format",
    "read_text",
    "zip_format",
]

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def detect_encoding(head: bytes, source: str | Path, complete: bool = True) -> str:
    """The encoding of a text file from its first bytes: a BOM, else UTF-16 by its zero bytes,
    else UTF-8 if the bytes are valid UTF-8, else GB18030 (a superset of GBK), unless they
    are Big5 (``cp950`` or ``big5hkscs``): valid Big5 giving clearly more common characters.

    ``complete`` says ``head`` is the whole file (else a character may be cut at its end).
    Raises DataError naming ``source`` when the bytes are binary or fit no encoding.

    >>> detect_encoding("云".encode("gbk"), "a.txt")
    'gb18030'
    >>> detect_encoding("雲端運算".encode("big5"), "a.txt")
    'cp950'
    """
    error = other_format(head, source)
    if error is not None:
        raise error
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if b"\x00" in head[:8192]:
        codec = None if complete and len(head) % 2 else _utf16_codec(head)
        if codec:
            return codec
        raise DataError(
            "this looks like a binary file, not text",
            path=source,
            hint="pass a UTF-8, GB18030/GBK or UTF-16 text file",
        )
    for name in ("utf-8", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(name)().decode(head, final=complete)
        except UnicodeDecodeError:
            continue
        return name if name == "utf-8" else _big5_instead(head, text, complete) or name
    raise DataError(
        "cannot decode the file as UTF-8, GB18030/GBK or UTF-16",
        path=source,
        hint="convert it to UTF-8 or pass its encoding with --encoding",
    )


ZIP_START = (b"PK\x03\x04", b"PK\x05\x06")  # a zip file's first entry, or an empty zip
OLE_START = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file (old Office)
_HEAD_BYTES = 1 << 16  # what other_format looks at, at most, on the text path
_CSV_FIX = "save the sheet as CSV UTF-8 (with a header row) and pass the .csv: each row is a record"
_PPT_FIX = "copy its text into a .txt file and pass that"
_OLE_STREAMS = (  # a stream of the file's directory (its name in UTF-16), what it makes it
    ("EncryptedPackage", "a password-protected (encrypted) Office document"),
    ("WordDocument", "an old Word document (.doc, Word 97-2003)"),
    ("Workbook", "an old Excel workbook (.xls)"),
    ("PowerPoint Document", "an old PowerPoint presentation (.ppt)"),
)
_OLE_FIX = {
    "EncryptedPackage": "remove the password (in Word: File > Info > Protect Document > "
    "Encrypt with Password, clear it), save it as .docx and pass that; or save it as .txt",
    "WordDocument": "save it as .docx or .txt (in Word: File > Save As) and pass that",
    "Workbook": _CSV_FIX,
    "PowerPoint Document": _PPT_FIX,
}
_ODF = {  # an OpenDocument file's mimetype: what it is, how to get text from it
    "application/vnd.oasis.opendocument.text": (
        "an OpenDocument text (.odt)",
        "save it as .docx or .txt (File > Save As) and pass that",
    ),
    "application/vnd.oasis.opendocument.spreadsheet": (
        "an OpenDocument spreadsheet (.ods)",
        _CSV_FIX,
    ),
    "application/vnd.oasis.opendocument.presentation": (
        "an OpenDocument presentation (.odp)",
        _PPT_FIX,
    ),
}


def other_format(data: bytes, source: str | Path) -> DataError | None:
    """The error for the bytes of a document format that is not text, naming the format and
    how to get text from it: PDF, an old Office file or a password-protected one (both OLE
    compound files), a zip (a .docx, .xlsx, .pptx or .odt file, or an archive), RTF. None
    for other bytes. ``data`` is the file's start, or all of it: an OLE file is told apart
    by the names of its streams, in its directory, which may lie further on.

    >>> print(other_format(b"%PDF-1.7\\n%\\xe2\\xe3", "年报 2024.pdf"))
    年报 2024.pdf: this is a PDF file, which tagger does not read. Fix: convert it to text first, e.g. pdftotext -enc UTF-8 '年报 2024.pdf' '年报 2024.txt', and pass the .txt (or copy its text into a .txt file)
    >>> other_format("云计算".encode(), "a.txt") is None
    True
    """
    what, fix = _format_of(data, source)
    if what is None:
        return None
    return DataError(f"this is {what}", path=source, hint=fix)


def _format_of(data: bytes, source: str | Path) -> tuple[str | None, str]:
    """What ``other_format`` says: what the bytes are and the fix, or (None, "")."""
    unread = ", which tagger does not read"
    if data.startswith(b"%PDF-"):
        name = Path(source)
        if str(source) == "<stdin>":
            example = "pdftotext -enc UTF-8 file.pdf - | tagger tag -"
        else:
            txt = str(name.with_suffix(".txt")) if name.suffix else f"{name}.txt"
            example = f"pdftotext -enc UTF-8 {shlex.quote(str(name))} {shlex.quote(txt)}, and "
            example += "pass the .txt (or copy its text into a .txt file)"
        return f"a PDF file{unread}", f"convert it to text first, e.g. {example}"
    if data.startswith(OLE_START):
        what, fix = ole_format(data)
        return what + unread, fix
    if data.startswith(ZIP_START):
        names, mimetype = _zip_names(data)
        what, fix = zip_format(names, mimetype)
        if "word/document.xml" in names:  # a .docx named .txt, or --input-format text|html
            return f"{what}, not text", "name it .docx, or pass --input-format docx"
        return what + unread, fix
    if data.startswith(b"{\\rtf"):
        return (
            f"an RTF document (Rich Text Format){unread}",
            "save it as .docx or .txt and pass that",
        )
    return None, ""


def ole_format(data: bytes) -> tuple[str, str]:
    """What an OLE compound file is (``data`` its bytes, or the first of them) and how to get
    text from it: by the names of its streams, else all it may be.

    >>> ole_format(OLE_START + "WordDocument".encode("utf-16-le"))[0]
    'an old Word document (.doc, Word 97-2003)'
    """
    for stream, what in _OLE_STREAMS:
        if stream.encode("utf-16-le") in data:
            return what, _OLE_FIX[stream]
    return (
        "an OLE compound file: an old Office document (.doc, .xls, .ppt) or a "
        "password-protected one (.docx, .xlsx)",
        "save it as .docx or .txt, without a password, and pass that",
    )


def zip_format(names: list[str] | set[str], mimetype: str = "") -> tuple[str, str]:
    """What a zip file is, by the names of its files (and the OpenDocument ``mimetype`` file's
    text), and how to get text from it.

    >>> zip_format(["[Content_Types].xml", "xl/workbook.xml"])[0]
    'an Excel workbook (.xlsx)'
    """
    if mimetype.strip() in _ODF:
        return _ODF[mimetype.strip()]
    if "word/document.xml" in names:
        return "a Word document (.docx)", ""
    for prefix, what, fix in (
        ("word/", "a damaged Word document (no word/document.xml in it)", ""),
        ("xl/", "an Excel workbook (.xlsx)", _CSV_FIX),
        ("ppt/", "a PowerPoint presentation (.pptx)", _PPT_FIX),
    ):
        if any(name.startswith(prefix) for name in names):
            return what, fix or "open it in Word and save it again, or save it as .txt"
    return (
        "a zip archive, not a Word document (no word/document.xml in it)",
        "unzip it and pass the files in it",
    )


def _zip_names(head: bytes) -> tuple[list[str], str]:
    """The names of the files whose local headers ``head``, a zip file's first bytes, holds,
    and the text of its ``mimetype`` file if stored there (OpenDocument files put it first)."""
    names, mimetype = [], ""
    for found in re.finditer(re.escape(ZIP_START[0]), head):
        at = found.start()
        if at + 30 > len(head):
            break
        method, size, length, extra = struct.unpack_from("<8xH8xI4xHH", head, at)
        name = head[at + 30 : at + 30 + length].decode("utf-8", "replace")
        names.append(name)
        if name == "mimetype" and method == 0:
            body = at + 30 + length + extra
            mimetype = head[body : body + min(size, 100)].decode("ascii", "replace")
    return names, mimetype


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_COMMON_PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》「」『』…—·％")


def _big5_instead(head: bytes, gb_text: str, complete: bool) -> str | None:
    """A Big5 codec (``cp950``, else ``big5hkscs``) when ``head``, which decodes as GB18030
    into ``gb_text``, is Big5 text: both decode most Big5 bytes, but as GB18030 Big5 gives
    kana, Greek, private use and rare characters where Big5 gives common ones."""
    for name in ("cp950", "big5hkscs"):
        try:
            text = codecs.getincrementaldecoder(name)().decode(head, final=complete)
        except UnicodeDecodeError:
            continue
        big5, gb = _common_share(text), _common_share(gb_text)
        return name if big5 is not None and gb is not None and big5 >= gb + 0.2 else None
    return None


def _common_share(text: str, sample: int = 3000) -> float | None:
    """The share of common Chinese characters and punctuation (GB2312's first level, Big5's
    common characters) among the first ``sample`` characters of ``text`` that are not ASCII;
    None for fewer than two of these."""
    chars = [m.group() for _, m in zip(range(sample), _NON_ASCII.finditer(text), strict=False)]
    if len(chars) < 2:
        return None
    return sum(map(_is_common, chars)) / len(chars)


def _is_common(char: str) -> bool:
    if char in _COMMON_PUNCTUATION:
        return True
    if not "\u4e00" <= char <= "\u9fff":
        return False
    for codec, first, last in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
        try:
            if first <= char.encode(codec)[0] <= last:
                return True
        except UnicodeEncodeError:
            pass
    return False


def decode(data: bytes, source: str | Path, encoding: str | None = None) -> str:
    """Decode the bytes of a text file in ``encoding``, detected when not given; a DataError
    naming the format of a document that is not text (``other_format``) in any case."""
    if encoding is not None and (error := other_format(data[:_HEAD_BYTES], source)):
        raise error
    name = encoding or detect_encoding(data, source)
    return _decoder(name, source).decode(data, final=True) if data else ""


def check_encoding(name: str, source: str | Path | None = None) -> str:
    """``name`` if it is a text encoding Python knows, else DataError (naming ``source``).

    >>> check_encoding("GBK")
    'GBK'
    >>> check_encoding("hex")
    Traceback (most recent call last):
    ...
    tagger.errors.DataError: 'hex' is not a text encoding. Fix: use a text encoding such as utf-8, gb18030 (or gbk), big5 or utf-16, or leave it out to detect it
    """
    try:
        text = getattr(codecs.lookup(name), "_is_text_encoding", True)
    except LookupError:
        text = None
    if not text:
        raise DataError(
            f"unknown encoding {name!r}" if text is None else f"{name!r} is not a text encoding",
            path=source,
            hint="use a text encoding such as utf-8, gb18030 (or gbk), big5 or utf-16, "
            "or leave it out to detect it",
        )
    return name


def _decoder(name: str, source: str | Path) -> codecs.IncrementalDecoder:
    """A checked decoder for ``name``; UTF-8 drops a BOM, as detecting the encoding does."""
    codec = check_encoding(name, source)
    if codecs.lookup(codec).name == "utf-8":
        codec = "utf-8-sig"  # a BOM is not text: --encoding utf-8 reads as detection does
    decoder = codecs.getincrementaldecoder(codec)()
    return _CheckedDecoder(decoder, name, source)


def _ascii_lines(name: str) -> bool:
    """Whether the encoding ``name`` writes ASCII as ASCII, so that a byte 10 is a line break
    (UTF-8, GB18030, Big5), not a part of a wider character (UTF-16, UTF-32).

    >>> [_ascii_lines(name) for name in ("utf-8-sig", "gb18030", "utf-16-le", "utf-32")]
    [True, True, False, False]
    """
    try:
        return codecs.decode(b"a\n", name) == "a\n"
    except UnicodeError:
        return False


class _CheckedDecoder(codecs.IncrementalDecoder):
    """An incremental decoder whose errors are DataErrors with the line (but in UTF-16) and
    the byte position."""

    def __init__(self, decoder: codecs.IncrementalDecoder, name: str, source: str | Path) -> None:
        super().__init__()
        self.inner, self.name, self.source = decoder, name, source
        self.position = self.lines = 0  # bytes and line breaks decoded so far
        self.ascii_lines = _ascii_lines(name)  # a b"\n" is a line break

    def decode(self, data: bytes, final: bool = False) -> str:  # type: ignore[override]
        try:
            text = self.inner.decode(data, final)
        except UnicodeError as exc:  # also utf-16's "stream does not start with BOM"
            line = None
            if isinstance(exc, UnicodeDecodeError):
                where = f"at byte {self.position + exc.start}"
                if self.ascii_lines:
                    line = self.lines + data[: exc.start].count(b"\n") + 1
            else:
                where = f"({exc})"
            raise DataError(
                f"cannot decode as {self.name} {where}",
                path=self.source,
                line=line,
                hint="check the file's encoding and pass it with --encoding",
            ) from None
        self.position += len(data)
        self.lines += text.count("\n")
        return text


_NOT_ASCII = re.compile(rb"[\x80-\xff]")


class _DetectingDecoder(codecs.IncrementalDecoder):
    """For a file that starts with more ASCII than one read holds: decodes ASCII (the same in
    UTF-8 and GB18030) until the first other byte, then detects the encoding from there, so
    that a late Chinese part is read as ``read_text`` reads the whole file."""

    def __init__(self, source: str | Path) -> None:
        super().__init__()
        self.source, self.position, self.lines = source, 0, 0
        self.inner: _CheckedDecoder | None = None

    def decode(self, data: bytes, final: bool = False) -> str:  # type: ignore[override]
        if self.inner is not None:
            return self.inner.decode(data, final)
        found = _NOT_ASCII.search(data)
        if found is None:
            self.position += len(data)
            self.lines += data.count(b"\n")
            return data.decode("ascii")
        start, rest = found.start(), data[found.start() :]
        self.inner = _decoder(detect_encoding(rest, self.source, final), self.source)
        self.inner.position = self.position + start
        self.inner.lines = self.lines + data.count(b"\n", 0, start)
        return data[:start].decode("ascii") + self.inner.decode(rest, final)


_TWO_BLANK_LINES = re.compile(r"(?:\r?\n[^\S\n]*){3,}")
_BLANK_LINE = re.compile(r"(?:\r?\n[^\S\n]*){2,}")


def iter_text_chunks(
    stream: BinaryIO, source: str | Path, encoding: str | None = None, size: int = 1 << 20
) -> Iterator[str]:
    """Decode a text stream in chunks of about ``size`` characters, each cut after a run of
    blank lines (two or more when there is one), where articles usually end.

    Memory stays bounded by the chunk size, whatever the size of the file.

    >>> import io
    >>> list(iter_text_chunks(io.BytesIO("一。\\n\\n\\n二。".encode()), "x", size=3))
    ['一。\\n\\n\\n', '二。']
    """
    head = stream.read(size)
    decoder = _stream_decoder(head, source, encoding, size)
    pending, data = "", head
    while data:
        pending += decoder.decode(data)
        while len(pending) >= size:
            cut = _boundary(pending)
            yield pending[:cut]
            pending = pending[cut:]
        data = stream.read(size)
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def check_decodes(
    stream: BinaryIO, source: str | Path, encoding: str | None = None, size: int = 1 << 20
) -> None:
    """Decode a text stream to its end as ``iter_text_chunks`` does (the same ``size``, the
    same decisions), keeping nothing: a DataError where it cannot be decoded.

    >>> import io
    >>> try:
    ...     check_decodes(io.BytesIO("一\\n二".encode() + b"\\xff"), "x.txt", "utf-8")
    ... except DataError as error:
    ...     print(error.line, error.message)
    2 cannot decode as utf-8 at byte 7
    """
    head = stream.read(size)
    decoder, data = _stream_decoder(head, source, encoding, size), head
    while data:
        decoder.decode(data)
        data = stream.read(size)
    decoder.decode(b"", final=True)


def _stream_decoder(
    head: bytes, source: str | Path, encoding: str | None, size: int
) -> codecs.IncrementalDecoder:
    """The decoder of a stream whose first read of ``size`` bytes gave ``head``."""
    if encoding is not None and (error := other_format(head, source)):
        raise error
    if encoding is None and len(head) == size and head.isascii() and b"\x00" not in head:
        return _DetectingDecoder(source)  # no evidence yet: detect where some comes
    return _decoder(encoding or detect_encoding(head, source, len(head) < size), source)


def _boundary(text: str) -> int:
    """Where to cut ``text``: after its last run of two blank lines, else of one, else of a
    line break, else at its end."""
    for pattern in (_TWO_BLANK_LINES, _BLANK_LINE):
        ends = [m.end() for m in pattern.finditer(text)]
        if ends and ends[-1] < len(text):
            return ends[-1]
    line = text.rfind("\n")
    return line + 1 if 0 <= line < len(text) - 1 else len(text)


def _utf16_codec(data: bytes) -> str | None:
    """The UTF-16 byte order that decodes ``data`` (no BOM) into mostly ASCII and CJK text."""
    sample = data[: 8192 - (len(data[:8192]) % 2)]
    best, best_score = None, 0.9 * (len(sample) // 2)
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        score = sum(
            ord(c) < 0x80
            or 0x3000 <= ord(c) <= 0x303F
            or 0x4E00 <= ord(c) <= 0x9FFF
            or 0xFF00 <= ord(c) <= 0xFFEF
            for c in text
        )
        has_breaks = any(c in "\n\r \u3000" for c in text)  # text has line breaks or spaces
        if has_breaks and score >= best_score:
            best, best_score = codec, score
    return best


def read_text(path: str | Path, encoding: str | None = None) -> str:
    """Read a text file, detecting its encoding unless ``encoding`` is given."""
    with open_binary(path) as handle:
        return decode(handle.read(), path, encoding)


def open_binary(path: str | Path) -> BinaryIO:
    """Open a file for reading bytes; DataError naming the file when it cannot be."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise DataError("no such file", path=path, hint="check the path") from None
    except IsADirectoryError:
        raise DataError("is a directory, not a file", path=path, hint="pass a file in it") from None
    except OSError as exc:
        raise DataError(f"cannot read the file ({exc.strerror})", path=path) from None


def check_output(path: str | Path, reads: Iterable[str | Path] = ()) -> None:
    """Raise OutputError when ``path`` is a directory, or writing it would overwrite one of
    ``reads``, the files the run reads (by any name: a symlink or a hard link to one counts).

    >>> check_output("model.joblib", ["data.jsonl", "./model.joblib"])
    Traceback (most recent call last):
    tagger.errors.OutputError: model.joblib: the run reads this file (as ./model.joblib); writing it would overwrite it. Fix: write the output to another file
    """
    if os.path.isdir(path):
        raise OutputError(
            "is a directory", path=path, hint="name a file, for instance one inside it"
        )
    for read in reads:
        if _same_file(path, read):
            also = f" (as {read})" if str(read) != str(path) else ""
            raise OutputError(
                f"the run reads this file{also}; writing it would overwrite it",
                path=path,
                hint="write the output to another file",
            )


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist (yet)
        return os.path.realpath(a) == os.path.realpath(b)


@contextlib.contextmanager
def atomic_write(
    path: str | Path,
    mode: str = "w",
    encoding: str | None = "utf-8",
    permissions: int | None = None,
) -> Iterator[IO]:
    """Open a temporary file beside ``path``; replace ``path`` with it only on success.

    An exception or a kill mid-write leaves any previous file at ``path`` untouched; a write
    that finds the disk full (``no_room``) is an OutputError naming ``path``. The new
    file gets ``permissions``, else those of the file it replaces, else the umask's default.
    A symlink is followed (the link stays and points at the new file); a FIFO or a device is
    written to directly, as a shell's ``>`` does; a directory is an OutputError. Folders on
    the way that do not exist are created, and removed again if the write fails.
    """
    path = Path(os.path.realpath(path))
    check_output(path)
    if path.exists() and not path.is_file() and not path.is_dir():  # a FIFO, a device
        with open(path, mode, encoding=None if "b" in mode else encoding) as handle:
            yield handle
        return
    created = list(itertools.takewhile(lambda p: not os.path.lexists(p), path.parents))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        _remove_empty(created)
        raise _unwritable(path, exc) from None
    try:
        if permissions is None:
            try:
                permissions = path.stat().st_mode & 0o777
            except FileNotFoundError:
                permissions = 0o666 & ~_umask()
        os.chmod(fd, permissions)
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as handle:
            yield handle
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:  # a full disk, say
                raise _unwritable(path, exc) from None
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise _unwritable(path, exc) from None
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        _remove_empty(created)  # a failed run leaves no folder it made for its output
        if no_room(exc):  # a write into the file, or closing it, found the disk full
            raise _unwritable(path, exc) from None
        raise


def _remove_empty(folders: list[Path]) -> None:
    """Remove ``folders``, innermost first, those that are still empty."""
    for folder in folders:
        with contextlib.suppress(OSError):
            os.rmdir(folder)


_NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def no_room(error: BaseException) -> bool:
    """Whether ``error`` is a write that found no room: a full disk, a quota, a file size limit.

    >>> no_room(OSError(errno.ENOSPC, "No space left on device")), no_room(BrokenPipeError())
    (True, False)
    """
    return isinstance(error, OSError) and error.errno in _NO_ROOM


def _unwritable(path: Path, exc: OSError) -> OutputError:
    """The OutputError for a file ``atomic_write`` cannot create or finish writing."""
    blocking = next((p for p in path.parents if os.path.lexists(p)), None)
    if blocking is not None and not blocking.is_dir():  # FileExistsError, NotADirectoryError
        return OutputError(
            f"cannot create its directory: {blocking} is a file, not a directory",
            path=path,
            hint="write it to another path",
        )
    return OutputError(
        f"cannot write this file ({exc.strerror or exc})",
        path=path,
        hint="write it to a directory you can write to, with space left",
    )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
