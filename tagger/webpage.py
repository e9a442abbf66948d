"""The visible text of a web page saved as HTML, cut into paragraphs, for segmenting.

Block elements (``p``, ``div``, ``br``, ``li``, ``h1``-``h6``, ``tr``, ``td``, ``section``,
``article``, ``blockquote``, ...) end a paragraph; paragraphs are separated by one blank line,
each on one line, and by two where an ``article`` starts or ends (as articles in a text file). ``script``, ``style``, ``noscript``, ``template``, ``head``, ``svg``, ``iframe``,
elements with a ``hidden`` attribute or ``display:none`` style, and the boilerplate containers
``nav``, ``header`` (but an ``article``'s or ``main``'s own, which holds its headline),
``footer``, ``aside`` and ``form`` are dropped, and so are paragraphs mostly of link text that
end no sentence (navigation bars, breadcrumbs, related stories, pagination, tags), but an
``<h1>``. Entities are decoded.
Whitespace inside a paragraph collapses to one space as a browser shows it, but a line break
between two Chinese (wide) characters is dropped, as CSS does for them. The ``<title>`` comes
first, as the headline, unless the page's own text starts with an ``<h1>`` or with a line the
title holds (a title often adds the site's name: ``标题_新浪科技``), or shows an ``<h1>`` the
title holds anywhere (after nav bars in plain ``div``s); a page whose body shows no text has
none, title or not.

Offsets of segments of an HTML input index this text, not the markup.

>>> page_text('''<html><head><title>云计算</title><script>var a = 1;</script></head>
... <body><nav>首页 | 科技</nav><p>微软与 OpenAI 宣布扩大合作，
... 云计算投入继续增加。</p><p>芯片&amp;半导体<br>加快国产替代。</p></body></html>''')
'云计算\\n\\n微软与 OpenAI 宣布扩大合作，云计算投入继续增加。\\n\\n芯片&半导体\\n\\n加快国产替代。\\n'
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path

from .errors import DataError
from .files import decode, open_binary
from .segmenting import visible_chars

__all__ = [
    "SUFFIXES",
    "declared_charset",
    "decode_page",
    "page_text",
    "read_page",
    "starts_like_page",
]

SUFFIXES = (".html", ".htm", ".shtml", ".shtm", ".xhtml")
"""The extensions of files read as HTML (``--input-format auto``), and listed in folders:
``.shtml`` and ``.shtm`` are the pages of many Chinese news sites (Sina, Xinhua, People's
Daily, CCTV), saved under their own names."""

# fmt: off
_BLOCKS = frozenset({  # they end a paragraph, opening or closing
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd",
    "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
    "main", "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
})
_DROPPED = frozenset({  # their content is not shown, or is the page's furniture
    "script", "style", "noscript", "template", "title", "svg", "math", "iframe", "object",
    "canvas", "audio", "video", "select", "button", "textarea", "nav", "header", "footer",
    "aside", "form",
})
_ARTICLE = frozenset({"article", "main"})  # a <header> inside one is its own (its headline): kept
_HEAD = frozenset({"base", "link", "meta", "noscript", "script", "style", "template", "title"})
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
# fmt: on
_SENTENCE_END = re.compile(r"[。！？!?]")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.IGNORECASE)

_SPACE = "[ \t\n\r\f]"  # HTML's whitespace: not U+00A0 (&nbsp;) nor U+3000
_WIDE = (  # characters a browser joins across a line break without a space (CSS Text 3;
    # not Hangul: Korean spaces its words)
    "\u2014-\u2026\u2e80-\u9fff\uf900-\ufaff\ufe10-\ufe6f"
    "\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003ffff"
)
_WIDE_BREAK = re.compile(rf"(?<=[{_WIDE}]){_SPACE}*[\n\r]{_SPACE}*(?=[{_WIDE}])")
_SPACES = re.compile(f"{_SPACE}+")
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")

_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""  # charset= and content=
    rb"""|\A\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",  # <?xml encoding="gbk"?>
    re.IGNORECASE,
)
_GBK_LABELS = {"x-gbk", "gb_2312", "gb_2312-80", "chinese", "csgb2312", "iso-ir-58"}
_ALIASES = {  # as browsers read them (the WHATWG Encoding Standard)
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "big5": "big5hkscs",
    "utf_16": None,  # meta says UTF-16 but the bytes have no BOM: not UTF-16 then
    "utf_16_le": None,
    "utf_16_be": None,
}


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.first_is_h1 = False
        self.h1s: list[str] = []  # the paragraphs of <h1> elements
        self.apart: set[int] = set()  # paragraphs an <article>'s start or end comes before
        self._apart = False  # one did since the last paragraph
        self.title: str | None = None
        self._lines: list[str] = []  # the lines of the paragraph so far (<pre> keeps breaks)
        self._pieces: list[str] = []  # the text of its last line so far
        self._title: list[str] | None = None  # while inside the first <title>
        self._dropping: str | None = None  # the element whose content is dropped
        self._depth = 0  # how many of it are open
        self._head = False
        self._h1 = 0
        self._pre = 0
        self._articles = 0  # open <article> and <main> elements
        self._links = 0  # open <a> elements
        self._linked = 0  # visible characters of the paragraph so far inside links

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and self.title is None and self._dropping is None:
            self._title = []
            return
        if self._dropping is not None:
            self._depth += tag == self._dropping
            return
        if tag == "head":
            self._head = True
        elif self._head and tag not in _HEAD:  # no </head>: body content ends it
            self._head = False
        if tag in _BLOCKS:
            self._flush()
        if tag in _VOID:
            return
        if (tag in _DROPPED and not (tag == "header" and self._articles)) or any(
            name == "hidden"
            or (name == "style" and value and _DISPLAY_NONE.search(value))
            or (name == "aria-hidden" and value == "true")
            for name, value in attrs
        ):
            self._dropping, self._depth = tag, 1  # (its end tag is not seen below)
            return
        if tag in _ARTICLE:
            self._articles += 1
        self._apart |= tag == "article"
        self._links += tag == "a"
        if tag == "h1":
            self._h1 += 1
        elif tag == "pre":
            self._pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._dropping is None and tag in _BLOCKS:  # <br/>, <p/>: a break, nothing inside
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._title is not None:
            self.title = _collapse("".join(self._title))
            self._title = None
            return
        if self._dropping is not None:
            if tag == self._dropping:
                self._depth -= 1
                if self._depth == 0:
                    self._dropping = None
            return
        if tag in ("head", "body"):
            self._head = False
        if tag in _BLOCKS:
            self._flush()
        if tag in _ARTICLE and self._articles:
            self._articles -= 1
        self._apart |= tag == "article"
        if tag == "a" and self._links:
            self._links -= 1
        if tag == "h1" and self._h1:
            self._h1 -= 1
        elif tag == "pre" and self._pre:
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)
            return
        if self._dropping is not None or (self._head and data.isspace()):
            return
        self._head = False  # text in the head: a browser shows it, ending the head
        if self._links:
            self._linked += visible_chars(data)
        if self._pre and ("\n" in data or "\r" in data):  # its line breaks are kept
            first, *lines = data.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            self._pieces.append(first)
            for line in lines:
                self._lines.append("".join(self._pieces))
                self._pieces = [line]
        else:
            self._pieces.append(data)

    def _flush(self) -> None:
        if not self._pieces and not self._lines:
            return
        lines = [_collapse(line) for line in (*self._lines, "".join(self._pieces))]
        self._lines, self._pieces = [], []
        text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
        linked, self._linked = self._linked, 0
        if text and not self._h1 and _is_link_list(text, linked):
            return
        if text:
            if not self.paragraphs:
                self.first_is_h1 = self._h1 > 0
            if self._h1:
                self.h1s.append(text)
            if self._apart and self.paragraphs:
                self.apart.add(len(self.paragraphs))
            self._apart = False
            self.paragraphs.append(text)

    def close(self) -> None:
        if self.rawdata.startswith("<!--"):  # a comment never closed runs to the end
            self.rawdata = ""
        super().close()
        if self._title is not None:  # a <title> never closed
            self.title = _collapse("".join(self._title))
        self._flush()


def _is_link_list(text: str, linked: int) -> bool:
    """A paragraph mostly of link text that ends no sentence: a navigation bar, a breadcrumb,
    a related story's headline, pagination, tags, share buttons (not an ``<h1>``: a headline
    may link to its own page).

    >>> _is_link_list("首页 > 科技 > 正文", 4), _is_link_list("详见《通知》全文。", 6)
    (True, False)
    """
    return 2 * linked >= visible_chars(text) and not _SENTENCE_END.search(text)


def _collapse(text: str) -> str:
    """Whitespace as a browser shows it: a run is one space, none at the ends, none for a line
    break between wide characters; U+00A0 (&nbsp;) is a space too. Nothing but spaces and
    zero width characters (U+200B-U+200D, U+2060, U+FEFF: a filler of empty paragraphs, as
    &nbsp; is) is nothing: the segmenter reads a line of them as blank."""
    text = _WIDE_BREAK.sub("", text) if "\n" in text or "\r" in text else text
    text = _SPACES.sub(" ", text).replace("\xa0", " ").strip()
    return text if visible_chars(text) else ""


def page_text(markup: str) -> str:
    """The visible text of an HTML page: paragraphs separated by a blank line, the title first
    (see the module's docstring); ``""`` when its body shows no text (a title alone is none).
    Malformed markup never raises.

    >>> page_text("<div>云计算<div>市场</div></div><ul><li>一</li><li>二</li></ul>")
    '云计算\\n\\n市场\\n\\n一\\n\\n二\\n'
    >>> page_text("<title>新闻</title><h1>云计算市场迎来变局</h1><p>正文。")
    '云计算市场迎来变局\\n\\n正文。\\n'
    """
    parser = _Extractor()
    parser.feed(markup)
    parser.close()
    paragraphs = parser.paragraphs
    title = parser.title
    # not when the page shows it: its first line, or an <h1> anywhere, is what the title
    # holds (a title adds the site's name, and a page's h1 comes after its nav bars)
    shown = parser.first_is_h1 or any(line in (title or "") for line in paragraphs[:1] + parser.h1s)
    if not paragraphs:
        return ""
    found = "".join(
        ("\n\n\n" if i in parser.apart else "\n\n") + p for i, p in enumerate(paragraphs)
    )[2:]  # two blank lines between <article>s, as between the articles of a text file
    return f"{title}\n\n{found}\n" if title and not shown else found + "\n"


_HTML_SPACE = " \t\n\r\f"
_PAGE_START = re.compile(
    rf"<(?:!doctype{_SPACE}+html|html|head|meta|body)(?:[{_HTML_SPACE}>/]|\Z)", re.IGNORECASE
)
_SKIPPED = (("<?xml", "?>"), ("<!--", "-->"))  # an XML declaration, a comment: then the page
_DECIDES = 16  # enough characters to tell a start: "<!doctype html" and the one after


def starts_like_page(head: bytes, complete: bool = True) -> bool | None:
    """Whether bytes start as a web page does: after a BOM and whitespace, ignoring case,
    ``<!DOCTYPE html``, ``<html``, ``<head``, ``<meta`` or ``<body``, which an XML
    declaration (``<?xml ...?>``) and comments may come before. Not a tag a text may start
    with (``<b>``, ``<研究报告>``, a book title in angle brackets), nor a page fragment.

    ``complete`` says ``head`` is all the bytes there are; else None when more are needed to
    tell (a start cut short, a comment not closed yet).

    >>> starts_like_page(b"\\xef\\xbb\\xbf\\n<!-- saved -->\\n<!DOCTYPE HTML PUBLIC")
    True
    >>> starts_like_page(b"<b>"), starts_like_page("<研究报告>".encode())
    (False, False)
    >>> starts_like_page(b"  <!DOC", complete=False), starts_like_page(b"  <!DOC")
    (None, False)
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")  # (the bytes of a character cut at the end)
    else:  # the markup is ASCII, in UTF-8, GBK and Big5 alike
        text = head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    while True:
        text = text.lstrip(_HTML_SPACE)
        skipped = next((pair for pair in _SKIPPED if text[: len(pair[0])].lower() == pair[0]), None)
        if skipped is None:
            break
        end = text.find(skipped[1], len(skipped[0]))
        if end < 0:
            return False if complete else None
        text = text[end + len(skipped[1]) :]
    if _PAGE_START.match(text):
        return True
    if not complete and (not text or (text[0] == "<" and len(text) < _DECIDES)):
        return None
    return False


def declared_charset(head: bytes) -> str | None:
    """The encoding a page declares in its first bytes (``<meta charset>``, a
    ``http-equiv`` content type, an XML declaration), as Python names it and browsers read it;
    None when it declares none Python knows.

    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=GB2312">')
    'gb18030'
    """
    found = _CHARSET.search(head)
    if found is None:
        return None
    label = (found.group(1) or found.group(2)).decode("ascii").strip().lower()
    if label in _GBK_LABELS:  # GBK's other names, unknown to Python
        return "gb18030"
    try:
        name = codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None
    if not getattr(codecs.lookup(name), "_is_text_encoding", True):
        return None
    return _ALIASES.get(name, name)


def decode_page(data: bytes, source: str | Path, encoding: str | None = None) -> str:
    """Decode an HTML file's bytes: in ``encoding`` if given, else by its BOM, else in the
    charset it declares (if the bytes decode in it and, for another charset than UTF-8, are
    not valid UTF-8: a page saved as UTF-8 under its old meta), else as ``files.decode`` detects.

    >>> decode_page('<meta charset="gbk"><p>云</p>'.encode("gbk"), "a.html")
    '<meta charset="gbk"><p>云</p>'
    """
    if encoding is not None or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data, source, encoding)
    declared = declared_charset(data[:16384])
    if declared not in (None, "utf_8") and not data.isascii() and _is_utf8(data):
        declared = None  # saved as UTF-8 under its old meta (a scraper's resp.text): detected
    if declared is not None:
        try:
            return decode(data, source, declared)
        except DataError:
            pass  # a wrong declaration: detect it as for any text file
    return decode(data, source)


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8: text in GBK, Big5 or a Latin code page beyond a few
    characters never is, while UTF-8 bytes often decode in those too, into mojibake."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_page(path: str | Path, encoding: str | None = None) -> str:
    """The visible text of an HTML file (``page_text`` of the file ``decode_page`` decodes)."""
    with open_binary(path) as handle:
        return page_text(decode_page(handle.read(), path, encoding))
