"""Word documents (.docx) read as article text, for segmenting and tagging.

The text is the body's paragraphs (``w:p``) in order, a table cell's each a paragraph of its
own, separated by one blank line as in a text file (and as ``webpage.page_text`` separates a
page's), so the segmenter cuts them as it cuts paragraphs: a short first paragraph (a title
or heading) is the article's headline, a fragment joins its neighbour. In a paragraph a run's
text (``w:t``) is kept as typed, a tab (``w:tab``) is a tab and a line break (``w:br``,
``w:cr``) a line break; a field (``w:fldChar``, ``w:fldSimple``) shows its result, not its
code (``w:instrText``, and a field's result in it), but a table of contents (a ``TOC`` field,
or the content control Word puts one in, with its heading) is left out: it repeats the
headings, with page numbers. Deleted text (``w:del``, ``w:moveFrom``:
tracked changes) and hidden text (``w:vanish``) are left out (a paragraph whose mark is
deleted or hidden joins the next, as Word shows it), inserted text (``w:ins``) kept,
as is a phonetic guide's base text but not the guide (``w:rt``: the pinyin over it); a text
box's paragraphs follow the paragraph it is anchored in (its fallback copy, ``mc:Fallback``,
is left out). A part the document imports whole (``w:altChunk``: a web page, a web archive
(MHT), plain text or another .docx, as html-docx-js and docx4j write; Word shows its text as
the document's own) is read where it is imported. Headers, footers, comments, footnotes and
endnotes are other parts of the file: not read.
Paragraphs showing no text are none.

Offsets of segments of a .docx input index this text.

>>> import io, zipfile
>>> W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
>>> body = ('<w:p><w:r><w:t>云计算市场</w:t></w:r></w:p><w:p><w:r><w:t>阿里云</w:t></w:r>'
...         '<w:del><w:r><w:delText>大幅</w:delText></w:r></w:del>'
...         '<w:r><w:t>下调价格。</w:t></w:r></w:p>')
>>> docx = io.BytesIO()
>>> with zipfile.ZipFile(docx, "w") as archive:
...     archive.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")
>>> document_text(docx, "a.docx")
'云计算市场\\n\\n阿里云下调价格。\\n'
"""

from __future__ import annotations

import email
import errno
import io
import posixpath
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote
from xml.parsers import expat

from .errors import DataError
from .files import OLE_START, ZIP_START, decode, ole_format, other_format, zip_format
from .segmenting import visible_chars
from .webpage import decode_page, page_text

__all__ = ["MAX_XML_BYTES", "SUFFIXES", "document_text", "starts_like_document"]

SUFFIXES = (".docx",)
"""The extensions of files read as Word documents (``--input-format auto``), and listed in
folders."""
MAX_XML_BYTES = 200 << 20
"""The most bytes of ``word/document.xml`` read, unpacked: more is a damaged file or a zip
bomb (3 million characters of text took 19 MB)."""
DOCUMENT = "word/document.xml"

_W = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",  # transitional
        "http://purl.oclc.org/ooxml/wordprocessingml/main",  # strict
    }
)
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# deleted text; a content control's properties; a phonetic guide (ruby text, 拼音指南) over its base
_SKIPPED = frozenset({"del", "moveFrom", "sdtPr", "rt"})
_IN_RUN = {"t": None, "tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}
_OFF = frozenset({"0", "false", "off"})
_RUN, _MARK = ["r", "rPr"], ["pPr", "rPr"]  # a run's properties, its paragraph mark's
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")
_CHUNK = 1 << 20
_RELATIONSHIPS = "word/_rels/document.xml.rels"
_CONTENT_TYPES = "[Content_Types].xml"
_HTML = frozenset({"text/html", "application/xhtml+xml"})
_MAX_DEPTH = 3  # Word documents imported in imported ones (w:altChunk)


def starts_like_document(head: bytes) -> bool:
    """Whether bytes start as a zip file does, as a .docx file does (an .xlsx or a zip
    archive too: reading it tells them apart).

    >>> starts_like_document(b"PK\\x03\\x04\\x14\\x00"), starts_like_document("云".encode())
    (True, False)
    """
    return head.startswith(ZIP_START)


def document_text(file: BinaryIO | bytes, source: str | Path) -> str:
    """The text of a Word document (.docx), from its bytes or a binary file open on them (read
    from its start if it can seek, else read whole: a pipe), as the module's docstring says: its paragraphs, separated by
    a blank line, the text ending with a line break ("" for a document without text).

    A DataError naming ``source`` says what the file is instead when it is not a Word
    document: an old Word document (.doc) or a password-protected one (OLE files, not zip
    files), a PDF, an .xlsx, .pptx or .odt file, a zip archive; or that it is damaged
    (a zip or XML error, a ``word/document.xml`` unpacking to more than ``MAX_XML_BYTES``, with
    the parts it imports too, a DOCTYPE, which Word never writes and which could declare
    entities); or that it imports a part of another kind (RTF) that tagger does not read.

    >>> document_text(b"%PDF-1.4", "report.docx")
    Traceback (most recent call last):
    tagger.errors.DataError: report.docx: this is a PDF file, which tagger does not read. Fix: convert it to text first, e.g. pdftotext -enc UTF-8 report.docx report.txt, and pass the .txt (or copy its text into a .txt file)
    """
    return _document_text(file, source, 0, [0])


def _document_text(
    file: BinaryIO | bytes, source: str | Path, depth: int, unpacked: list[int]
) -> str:
    """``document_text``, ``depth`` documents deep in imported parts (``w:altChunk``);
    ``unpacked[0]``, the bytes unpacked so far in the whole file, counts its own."""
    if not isinstance(file, bytes) and not file.seekable():  # a pipe: zipfile needs to seek
        file = file.read()
    stream = io.BytesIO(file) if isinstance(file, bytes) else file
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if not head.startswith(ZIP_START):
        raise _not_zip(head, stream, source)
    try:
        with zipfile.ZipFile(stream) as archive:
            try:
                info = archive.getinfo(DOCUMENT)
            except KeyError:
                raise _not_word(archive, source) from None
            if info.file_size > MAX_XML_BYTES:
                raise _too_big(info.file_size, source)
            with archive.open(info) as xml:
                return _text(xml, source, archive, depth, unpacked)
    except DataError:
        raise
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise DataError(
            f"{DOCUMENT} is encrypted in the zip file ({exc})",
            path=source,
            hint="save the document again without a password (in Word: File > Save As)",
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, struct.error) as exc:
        raise _damaged(f"its zip file is cut short or broken: {exc}", source) from None
    except NotImplementedError as exc:  # a compression method zipfile does not know
        raise _damaged(f"{exc}", source) from None
    except OSError as exc:  # offsets in a broken zip that point before the file's start
        if exc.errno != errno.EINVAL:
            raise
        raise _damaged(f"its zip file points before its start: {exc}", source) from None
    except expat.ExpatError as exc:
        raise _damaged(f"{DOCUMENT} is not well-formed XML ({exc})", source) from None


def _not_zip(head: bytes, stream: BinaryIO, source: str | Path) -> DataError:
    """The error for a .docx whose bytes are no zip file: what they are instead."""
    if head.startswith(OLE_START):  # its directory, which names its streams, may be anywhere
        what, fix = ole_format(stream.read(MAX_XML_BYTES))
        if "encrypted" in what:
            what += (
                ": Word saves a document with a password as an OLE compound file, not as the "
                "zip file a .docx is, and tagger cannot open it"
            )
        else:
            what += ", not a .docx: tagger does not read it"
        return DataError(f"this is {what}", path=source, hint=fix)
    error = other_format(stream.read(1 << 16), source)
    if error is not None:
        return error
    return DataError(
        "this is not a Word document (.docx): a .docx is a zip file, and this is none",
        path=source,
        hint="pass a .docx that Word opens, or save it as .txt",
    )


def _not_word(archive: zipfile.ZipFile, source: str | Path) -> DataError:
    """The error for a zip file without ``word/document.xml``: what it is instead."""
    names = archive.namelist()
    mimetype = ""
    if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
        mimetype = archive.read("mimetype").decode("ascii", "replace")
    what, fix = zip_format(names, mimetype)
    return DataError(f"this is {what}, which tagger does not read", path=source, hint=fix)


def _too_big(size: int, source: str | Path, part: str = DOCUMENT) -> DataError:
    return DataError(
        f"{part} unpacks to {size / (1 << 20):,.0f} MB, more than the "
        f"{MAX_XML_BYTES >> 20} MB tagger reads: a damaged file or a zip bomb",
        path=source,
        hint="open it in Word and save its text as .txt (File > Save As > Plain Text)",
    )


def _damaged(what: str, source: str | Path) -> DataError:
    return DataError(
        f"this Word document is damaged ({what})",
        path=source,
        hint="open it in Word (which may repair it) and save it again, or save it as .txt",
    )


class _Refused(Exception):
    """A DOCTYPE in the XML: Word never writes one."""


def _text(
    xml: BinaryIO, source: str | Path, archive: zipfile.ZipFile, depth: int, unpacked: list[int]
) -> str:
    """The article text of ``word/document.xml``, read in chunks by expat (no tree kept), with
    the text of the parts it imports whole (``w:altChunk``) where it imports them; every byte
    unpacked counts in ``unpacked[0]``, ``MAX_XML_BYTES`` in all, imported documents' too."""
    reader = _Reader()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.characters
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    try:
        while data := xml.read(_CHUNK):
            unpacked[0] += len(data)
            if unpacked[0] > MAX_XML_BYTES:  # (the zip said less, or imported parts add up)
                raise _too_big(unpacked[0], source)
            _parse(parser, data, False, source)
        _parse(parser, b"", True, source)
    except _Refused:
        raise _damaged(
            f"{DOCUMENT} has a DOCTYPE, which Word never writes, so it is not read", source
        ) from None
    reader.paragraphs.append(_paragraph(reader.carried))
    if reader.chunks:
        parts = _imported_parts(archive, source)
        for at, ref in reversed(reader.chunks):
            text = _imported_text(archive, parts.get(ref), source, depth, unpacked)
            reader.paragraphs.insert(at, text)
    paragraphs = [p for p in reader.paragraphs if p]
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def _parse(parser: expat.XMLParserType, data: bytes, final: bool, source: str | Path) -> None:
    """``parser.Parse``, an encoding it cannot read (Word writes UTF-8) a DataError."""
    try:
        parser.Parse(data, final)
    except (LookupError, ValueError) as exc:  # unknown; multi-byte ones (GBK) expat lacks
        raise _damaged(f"{DOCUMENT} is in an encoding tagger cannot read: {exc}", source) from None


def _refuse(*args: object) -> None:
    raise _Refused


def _imported_parts(archive: zipfile.ZipFile, source: str | Path) -> dict[str, tuple[str, str]]:
    """The parts ``word/document.xml`` imports whole (``w:altChunk``), by relationship id: their
    names in the zip file and content types."""
    types = {}
    for attrs in _elements(archive, _CONTENT_TYPES, ("Default", "Override"), source):
        if key := attrs.get("Extension") or attrs.get("PartName"):
            types[key.lower()] = attrs.get("ContentType", "")
    parts = {}
    for attrs in _elements(archive, _RELATIONSHIPS, ("Relationship",), source):
        target = unquote(attrs.get("Target", ""))
        if attrs.get("TargetMode") == "External" or not target:
            continue
        name = posixpath.normpath(posixpath.join("word", target)).lstrip("/")
        if target.startswith("/"):
            name = posixpath.normpath(target).lstrip("/")
        extension = posixpath.splitext(name)[1][1:].lower()
        parts[attrs.get("Id", "")] = (name, types.get(f"/{name.lower()}", types.get(extension, "")))
    return parts


def _elements(
    archive: zipfile.ZipFile, part: str, names: tuple[str, ...], source: str | Path
) -> list[dict[str, str]]:
    """The attributes of each element named one of ``names`` in the XML ``part`` (none if the
    zip file has no such part)."""
    try:
        info = archive.getinfo(part)
    except KeyError:
        return []
    if info.file_size > MAX_XML_BYTES:
        raise _too_big(info.file_size, source, part)
    found: list[dict[str, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name.rpartition("}")[2] in names:
            found.append(attrs)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    try:
        parser.Parse(archive.read(info), True)
    except (_Refused, expat.ExpatError, LookupError, ValueError) as exc:
        raise _damaged(f"{part} is not XML tagger reads ({exc or 'a DOCTYPE'})", source) from None
    return found


def _imported_text(
    archive: zipfile.ZipFile,
    part: tuple[str, str] | None,
    source: str | Path,
    depth: int,
    unpacked: list[int],
) -> str:
    """The text of a part imported whole (``w:altChunk``: HTML, a web archive (MHT), plain
    text or a Word document a program put in), which Word shows where it is imported;
    ``unpacked[0]``, the bytes unpacked so far, counts it."""
    if part is None:
        raise _damaged("it imports a part (w:altChunk) that its relationships do not name", source)
    name, content_type = part
    info = next((i for i in archive.infolist() if i.filename.lower() == name.lower()), None)
    if info is None:
        raise _damaged(f"it imports {name} (w:altChunk), which is not in it", source)
    unpacked[0] += info.file_size
    if unpacked[0] > MAX_XML_BYTES:
        raise _too_big(unpacked[0], source, f"{DOCUMENT} with the parts it imports")
    data = archive.read(info)
    if data.startswith(ZIP_START) and "word" in content_type:  # a .docx (.docm, .dotx)
        if depth + 1 >= _MAX_DEPTH:
            raise _damaged(f"it imports Word documents {_MAX_DEPTH} deep (w:altChunk)", source)
        text = _document_text(data, source, depth + 1, unpacked)
    elif content_type in _HTML:
        text = page_text(decode_page(data, source))
    elif content_type == "message/rfc822":
        text = _web_archive_text(data, source)
    elif content_type == "text/plain":
        text = decode(data, source)
    else:
        raise DataError(
            f"part of its text is in {name} ({content_type or 'of no content type'}), which "
            "it imports whole (w:altChunk) and tagger does not read",
            path=source,
            hint="open it in Word and save it again (Word makes that text the document's own), "
            "or save it as .txt",
        )
    return _paragraph(text)


def _web_archive_text(data: bytes, source: str | Path) -> str:
    """The text of a web archive (MHT, as html-docx-js imports a page): its first page's."""
    for part in email.message_from_bytes(data).walk():
        if part.get_content_type() in _HTML | {"text/plain"}:
            payload = part.get_payload(decode=True)
            payload = payload if isinstance(payload, bytes) else b""
            if part.get_content_type() == "text/plain":
                return decode(payload, source)
            try:
                markup = decode_page(payload, source, part.get_content_charset())
            except DataError:  # a charset it does not decode in, or none Python knows
                markup = decode_page(payload, source)
            return page_text(markup)
    return ""


class _Reader:
    """expat's handlers for ``word/document.xml``: the paragraphs' text as they end."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.open: list[_Open] = []  # the paragraphs open (a text box's in another's run)
        self.carried = ""  # the text of paragraphs whose mark was deleted: the next one's start
        self.path: list[str] = []  # the local names of the open elements (WordprocessingML's)
        self.skipped = 0  # the depth inside an element left out (0: none)
        self.hidden: int | None = None  # the depth of the run hidden (w:vanish) we are in
        self.in_text = False  # inside a w:t whose text is kept
        self.fields: list[_Field] = []  # the fields open (w:fldChar begin)
        self.in_code = 0  # how many of them are in their code (whose text is not shown)
        self.in_instr = False  # inside a w:instrText: the innermost field's code
        self.toc = False  # the content control whose properties are read is a table of contents
        self.chunks: list[tuple[int, str]] = []  # the parts imported whole (w:altChunk): where
        # (a paragraph's index), their relationship id

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.skipped:
            self.skipped += 1
            if name.endswith("}docPartGallery") and _val(attrs) == "Table of Contents":
                self.toc = True  # (in w:sdtPr, left out) its w:sdtContent is left out too
            return
        namespace, _, local = name.rpartition("}")
        if namespace not in _W:
            if namespace == _MC and local == "Fallback":  # a copy of mc:Choice's content
                self.skipped = 1
            else:
                self.path.append("")
            return
        if local in _SKIPPED:
            if self.path[-2:] == ["pPr", "rPr"] and self.open:  # its paragraph mark: joined
                self.open[-1].joined = True  # to the next paragraph, as Word shows it
            self.skipped = 1
            return
        if (local == "sdtContent" and self.toc) or (
            local == "fldSimple" and _is_toc(_val(attrs, "}instr"))
        ):
            self.toc = False
            self.skipped = 1
            return
        parent = self.path[-1] if self.path else ""
        self.path.append(local)
        if local == "p":
            self.open.append(_Open())
        elif local == "altChunk":
            ref = _val(attrs, "}id")
            self.chunks.append((len(self.paragraphs), ref))
        elif local == "fldChar" and parent == "r":
            self.field_char(_val(attrs, "}fldCharType"))
        elif local == "instrText" and parent == "r":
            self.in_instr = True
        elif (
            parent == "r"
            and local in _IN_RUN
            and self.open
            and self.hidden is None
            and not self.in_code
        ):
            if local == "t":
                self.in_text = True
            else:
                self.open[-1].pieces.append(_IN_RUN[local])
        elif local in ("vanish", "specVanish") and self.path[-3:-1] in (_RUN, _MARK):
            value = _val(attrs) or "true"
            if value.lower() in _OFF:
                return
            if self.path[-3:-1] == _MARK:  # its paragraph mark (Word's style separator):
                if self.open:  # joined to the next paragraph, as Word shows it
                    self.open[-1].joined = True
            elif self.hidden is None:
                self.hidden = len(self.path) - 3  # the run's depth (where it is in path)

    def field_char(self, kind: str) -> None:
        """A field's start, the end of its code (its result follows) or its end: the code's text,
        a field's in it too (``{ IF { MERGEFIELD 性别 } = "男" ... }``), is not shown."""
        if kind == "begin":
            self.fields.append(_Field())
            self.in_code += 1
        elif kind == "separate" and self.fields and self.fields[-1].in_code:
            if not _is_toc("".join(self.fields[-1].code)):  # a TOC's result is not shown either
                self.fields[-1].in_code = False
                self.in_code -= 1
        elif kind == "end" and self.fields:
            self.in_code -= self.fields.pop().in_code

    def end(self, name: str) -> None:
        if self.skipped:
            self.skipped -= 1
            return
        local = self.path.pop()
        if local == "t":
            self.in_text = False
        elif local == "instrText":
            self.in_instr = False
        elif local == "r" and self.hidden == len(self.path):
            self.hidden = None
        elif local == "p":
            paragraph = self.open.pop()
            text = "".join(paragraph.pieces)
            if self.open:  # a text box's: after the paragraph it is in
                self.open[-1].boxes += [_paragraph(text), *paragraph.boxes]
                return
            text, self.carried = self.carried + text, ""
            if paragraph.joined:
                self.carried = text
                text = ""
            self.paragraphs += [_paragraph(text), *paragraph.boxes]

    def characters(self, data: str) -> None:
        if self.in_text and not self.skipped:
            self.open[-1].pieces.append(data)
        elif self.in_instr and self.fields and not self.skipped:
            self.fields[-1].code.append(data)


class _Field:
    """A field open (``w:fldChar`` begin): in its code part still, and that code's text."""

    __slots__ = ("code", "in_code")

    def __init__(self) -> None:
        self.in_code = True
        self.code: list[str] = []


def _val(attrs: dict[str, str], suffix: str = "}val") -> str:
    """The value of the attribute whose name ends with ``suffix`` (any namespace), or ""."""
    return next((v for k, v in attrs.items() if k.endswith(suffix)), "")


def _is_toc(code: str) -> bool:
    """Whether a field's code makes a table of contents (``TOC \\o "1-3" \\h``)."""
    return code.split(maxsplit=1)[:1] == ["TOC"]


class _Open:
    """A paragraph being read: its text so far, its text boxes' paragraphs, and whether its
    paragraph mark was deleted (a tracked change joining it to the next paragraph)."""

    __slots__ = ("boxes", "joined", "pieces")

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.boxes: list[str] = []
        self.joined = False


def _paragraph(text: str) -> str:
    """A paragraph's text without blank lines at its ends, a blank line inside it one ("" if
    it shows no text), so that only paragraphs are separated by one."""
    if not visible_chars(text):
        return ""
    lines = _BLANK_LINES.sub("\n\n", text.replace("\r", "\n")).split("\n")
    while not visible_chars(lines[0]):
        lines.pop(0)
    while not visible_chars(lines[-1]):
        lines.pop()
    return "\n".join(lines)
