"""Word documents (.docx): their text, offsets into it, folders and stdin, and the errors for
the other document formats users pass (PDF, .doc, password-protected .docx, .xlsx, ...).
Every document is built here with zipfile."""

from __future__ import annotations

import io
import json
import posixpath
import sys
import zipfile

import pytest
from typer.testing import CliRunner

from tagger import wordfile
from tagger.cli import app
from tagger.errors import DataError
from tagger.segmenting import segment
from tagger.tagging import iter_sources, read_article, tag_paths

runner = CliRunner()
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def p(*runs: str, style: str | None = None) -> str:
    """A paragraph of runs, each a run's inner XML or, plain, its text."""
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    inner = "".join(r if r.startswith("<") else f"<w:r><w:t>{r}</w:t></w:r>" for r in runs)
    return f"<w:p>{props}{inner}</w:p>"


def document(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}" xmlns:mc="{MC}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    )


def write_docx(path, body: str, parts: dict[str, str] | None = None):
    """A .docx at ``path`` whose body is ``body``, with the other ``parts`` a document has."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", document(body))
        for name, xml in (parts or {}).items():
            archive.writestr(name, xml)
    return path


ARTICLE = "".join(
    [
        p("阿里云下调云服务器价格", style="Title"),
        p("阿里云和华为云下调云服务器价格，", "云计算价格战再度升级。"),
        p("美国升级芯片出口管制，限制先进制程设备出口。"),
    ]
)


def test_paragraphs_are_read_in_order_a_blank_line_apart(tmp_path):
    path = write_docx(tmp_path / "a.docx", ARTICLE)
    text = read_article(path)
    assert text == (
        "阿里云下调云服务器价格\n\n阿里云和华为云下调云服务器价格，云计算价格战再度升级。\n\n"
        "美国升级芯片出口管制，限制先进制程设备出口。\n"
    )
    [article] = segment(text)
    assert article.title == "阿里云下调云服务器价格"  # the Title paragraph heads the article
    assert all(text[s.start : s.end] == s.text for s in article.segments)
    assert "芯片出口管制" in article.segments[-1].text


def test_tabs_and_line_breaks_in_a_paragraph(tmp_path):
    runs = "<w:r><w:t>营收</w:t><w:tab/><w:t>120亿</w:t><w:br/><w:t>同比增长</w:t><w:cr/><w:t>三成</w:t></w:r>"
    tab_stops = '<w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
    body = f"<w:p>{tab_stops}{runs}</w:p>"
    assert read_article(write_docx(tmp_path / "a.docx", body)) == "营收\t120亿\n同比增长\n三成\n"


def test_deleted_and_hidden_text_is_left_out_inserted_text_kept(tmp_path):
    body = p(
        "云计算",
        "<w:del><w:r><w:delText>市场萎缩</w:delText></w:r></w:del>",
        "<w:ins><w:r><w:t>价格战升级</w:t></w:r></w:ins>",
        "<w:moveFrom><w:r><w:t>挪走的句子</w:t></w:r></w:moveFrom>",
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r>",
        '<w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>。</w:t></w:r>',
    )
    assert read_article(write_docx(tmp_path / "a.docx", body)) == "云计算价格战升级。\n"


def test_table_cells_are_paragraphs(tmp_path):
    row = "<w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr>"
    table = (
        "<w:tbl>"
        + row.format(p("公司"), p("降价"))
        + row.format(p("阿里云"), p("两成"))
        + "</w:tbl>"
    )
    text = read_article(write_docx(tmp_path / "a.docx", p("价格表") + table + p("完。")))
    assert text.split("\n\n") == ["价格表", "公司", "降价", "阿里云", "两成", "完。\n"]


def test_a_text_box_follows_its_paragraph_once(tmp_path):
    box = f"<w:txbxContent>{p('文本框里的话')}</w:txbxContent>"
    drawing = (
        f"<w:r><mc:AlternateContent><mc:Choice><w:drawing>{box}</w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    text = read_article(
        write_docx(tmp_path / "a.docx", p("正文开头", drawing, "正文结尾") + p("下一段"))
    )
    assert text == "正文开头正文结尾\n\n文本框里的话\n\n下一段\n"


def test_empty_paragraphs_and_breaks_make_no_article_break(tmp_path):
    # two blank lines separate articles in a text file: Word's empty paragraphs must not
    body = (
        p("第一段。")
        + p()
        + p("<w:r><w:t> </w:t></w:r>")
        + p("<w:r><w:br/><w:br/></w:r>", "第二段。")
    )
    body += p("<w:r><w:t>第三段</w:t><w:br/><w:br/><w:br/><w:t>同一段。</w:t><w:br/></w:r>")
    text = read_article(write_docx(tmp_path / "a.docx", body))
    assert text == "第一段。\n\n第二段。\n\n第三段\n\n同一段。\n"


def test_headers_footers_comments_and_footnotes_are_not_read(tmp_path):
    other = document(p("页眉页脚批注脚注"))
    parts = {
        name: other
        for name in (
            "word/header1.xml",
            "word/footer1.xml",
            "word/comments.xml",
            "word/footnotes.xml",
        )
    }
    body = p(
        "正文", '<w:r><w:footnoteReference w:id="1"/></w:r>', "<w:r><w:commentReference/></w:r>"
    )
    assert read_article(write_docx(tmp_path / "a.docx", body, parts)) == "正文\n"


def test_a_document_without_text_is_empty(tmp_path):
    assert read_article(write_docx(tmp_path / "a.docx", p() + "<w:tbl/>")) == ""


def test_folders_list_docx_files_and_offsets_index_their_text(tmp_path, single_model):
    folder = tmp_path / "news"
    folder.mkdir()
    write_docx(folder / "报告.DOCX", ARTICLE)
    (folder / "note.txt").write_text("芯片出口管制升级，半导体设备受限。", encoding="utf-8")
    assert [path.name for path in iter_sources(folder)] == ["note.txt", "报告.DOCX"]
    articles = {a.source: a for a in tag_paths(folder, single_model)}
    docx = articles[str(folder / "报告.DOCX")]
    text = read_article(folder / "报告.DOCX")
    assert docx.title == "阿里云下调云服务器价格"
    assert all(text[s.start : s.end] == s.text for s in docx.segments)
    assert docx.topics[0].label == "cloud"


def test_stdin_and_a_file_of_another_name_are_read_when_they_start_as_a_zip(tmp_path, monkeypatch):
    path = write_docx(tmp_path / "report.doc", ARTICLE)  # a .docx saved under .doc
    expected = read_article(write_docx(tmp_path / "a.docx", ARTICLE))
    assert read_article(path) == expected
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    assert read_article("-") == expected


def test_input_format_docx_reads_any_name(tmp_path):
    path = write_docx(tmp_path / "a.txt", ARTICLE)
    with pytest.raises(DataError, match=r"a\.txt: this is a Word document \(\.docx\), not text"):
        read_article(path)  # was: "this looks like a binary file, not text"
    assert read_article(path, input_format="docx").startswith("阿里云下调云服务器价格\n\n")


def ole(stream: str) -> bytes:
    """An OLE compound file's bytes as far as telling them apart goes: the signature, and a
    directory entry naming a stream."""
    return OLE + bytes(504) + stream.encode("utf-16-le") + bytes(64)


def zipped(path, files: dict[str, str]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "secret.docx",
            lambda path: path.write_bytes(ole("EncryptedPackage")),
            r"secret\.docx: this is a password-protected \(encrypted\) Office document: Word "
            r"saves .* as an OLE compound file, not as the zip file a \.docx is.*Fix: remove "
            "the password",
        ),
        (
            "old.doc",
            lambda path: path.write_bytes(ole("WordDocument")),
            r"old\.doc: this is an old Word document \(\.doc.*Fix: save it as \.docx or \.txt",
        ),
        (
            "old.docx",  # a .doc renamed
            lambda path: path.write_bytes(ole("WordDocument")),
            r"old\.docx: this is an old Word document \(\.doc.*not a \.docx.*Fix: save it as "
            r"\.docx or \.txt",
        ),
        (
            "report.pdf",
            lambda path: path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
            r"report\.pdf: this is a PDF file.*Fix: convert it to text first, e\.g\. "
            r"pdftotext -enc UTF-8 \S*/report\.pdf \S*/report\.txt",
        ),
        (
            "report.txt",  # the extension tells nothing: the bytes do
            lambda path: path.write_bytes(b"%PDF-1.4\n" + bytes(100)),
            r"report\.txt: this is a PDF file",
        ),
        (
            "sheet.xlsx",
            lambda path: zipped(path, {"[Content_Types].xml": "", "xl/workbook.xml": ""}),
            r"sheet\.xlsx: this is an Excel workbook \(\.xlsx\).*Fix: save the sheet as CSV",
        ),
        (
            "slides.pptx",
            lambda path: zipped(path, {"ppt/presentation.xml": ""}),
            r"slides\.pptx: this is a PowerPoint presentation \(\.pptx\)",
        ),
        (
            "paper.odt",
            lambda path: zipped(
                path, {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": ""}
            ),
            r"paper\.odt: this is an OpenDocument text \(\.odt\).*Fix: save it as \.docx or \.txt",
        ),
        (
            "letter.rtf",
            lambda path: path.write_bytes(b"{\\rtf1\\ansi \\f0 hello}"),
            r"letter\.rtf: this is an RTF document.*Fix: save it as \.docx or \.txt",
        ),
        (
            "files.docx",
            lambda path: zipped(path, {"a.txt": "云计算"}),
            r"files\.docx: this is a zip archive, not a Word document \(no word/document\.xml",
        ),
        (
            "cut.docx",
            lambda path: path.write_bytes(
                write_docx(path.with_name("whole.docx"), ARTICLE).read_bytes()[:300]
            ),
            r"cut\.docx: this Word document is damaged \(its zip file is cut short or broken",
        ),
        (
            "bad.docx",
            lambda path: zipped(path, {"word/document.xml": f'<w:document xmlns:w="{W}"><w:body>'}),
            r"bad\.docx: this Word document is damaged \(word/document\.xml is not well-formed",
        ),
        (
            "entities.docx",
            lambda path: zipped(
                path,
                {
                    "word/document.xml": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "云">]>'
                    f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p>'
                    "</w:body></w:document>"
                },
            ),
            r"entities\.docx: this Word document is damaged \(word/document\.xml has a DOCTYPE",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value[-5:] else None,
)
def test_other_formats_are_errors_naming_them(tmp_path, name, make, message):
    path = tmp_path / name
    make(path)
    with pytest.raises(DataError, match=message):
        read_article(path)


def test_a_zip_whose_offsets_point_before_its_start_is_damaged(tmp_path):
    """A .docx file whose zip directory says it starts further on than it does made zipfile
    seek before the file's start: OSError EINVAL escaped as a traceback (found by
    bench/bad_inputs.py's mutated documents)."""
    path = write_docx(tmp_path / "a.docx", ARTICLE)
    data = bytearray(path.read_bytes())
    start = int.from_bytes(data[-6:-2], "little")  # the end record's directory offset
    data[-6:-2] = (start + 1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(DataError, match=r"a\.docx: this Word document is damaged \(its zip"):
        read_article(path)


def test_a_document_unpacking_to_too_much_is_refused(tmp_path, monkeypatch):
    path = write_docx(tmp_path / "bomb.docx", p("云" * 5000))
    monkeypatch.setattr(wordfile, "MAX_XML_BYTES", 10_000)
    with pytest.raises(DataError, match=r"bomb\.docx: word/document\.xml unpacks to .*zip bomb"):
        read_article(path)


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_cli_tags_and_segments_a_docx_and_names_a_pdf(tmp_path, saved_model):
    folder = tmp_path / "news"
    folder.mkdir()
    path = write_docx(folder / "a.docx", ARTICLE)
    result = invoke("tag", folder, "-m", saved_model, "-f", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    text = read_article(path)
    assert {row["source"] for row in rows} == {str(path)}
    assert all(text[row["start"] : row["end"]] == row["text"] for row in rows)
    segmented = invoke("segment", path, "-f", "json")
    assert segmented.exit_code == 0, segmented.output
    [article] = json.loads(segmented.output)
    assert article["title"] == "阿里云下调云服务器价格"
    assert [s["start"] for s in article["segments"]] == [r["start"] for r in rows]
    (folder / "b.pdf").write_bytes(b"%PDF-1.7\n")
    failed = invoke("tag", path, folder / "b.pdf", "-m", saved_model, "-f", "jsonl")
    assert failed.exit_code == 1
    assert "b.pdf: this is a PDF file" in failed.output
    assert "Fix: convert it to text first" in failed.output
    assert "Traceback" not in failed.output
    assert str(path) in failed.output  # the .docx was still tagged


class Trickle(io.RawIOBase):
    """A pipe that gives one byte at each read, as a slow writer's pipe may."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self.data:
            return 0
        buffer[0], self.data = self.data[0], self.data[1:]
        return 1


def test_stdin_trickling_in_is_still_told_a_docx_by_its_first_four_bytes(tmp_path, monkeypatch):
    path = write_docx(tmp_path / "a.docx", ARTICLE)
    stdin = io.TextIOWrapper(io.BufferedReader(Trickle(path.read_bytes())))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert read_article("-") == read_article(path)


def test_training_data_that_is_a_pdf_or_a_docx_is_named(tmp_path):
    from tagger.data import read_examples

    (tmp_path / "data.jsonl").write_bytes(b"%PDF-1.7\n" + bytes(50))
    with pytest.raises(DataError, match=r"data\.jsonl: this is a PDF file"):
        read_examples([tmp_path / "data.jsonl"])
    write_docx(tmp_path / "data.txt", ARTICLE)  # was: "this looks like a binary file"
    with pytest.raises(DataError, match=r"data\.txt: this is a Word document \(\.docx\), not text"):
        read_examples([tmp_path / "data.txt"])


def test_a_deleted_paragraph_mark_joins_the_paragraph_to_the_next(tmp_path):
    deleted_mark = '<w:pPr><w:rPr><w:del w:id="1" w:author="编辑"/></w:rPr></w:pPr>'
    body = (
        f"<w:p>{deleted_mark}<w:r><w:t>云计算价格战</w:t></w:r></w:p>"
        + p("再度升级。")
        + p("下一段。")
    )
    text = read_article(write_docx(tmp_path / "a.docx", body))
    assert text == "云计算价格战再度升级。\n\n下一段。\n"  # as Word shows it with the change


@pytest.mark.parametrize("encoding", ["GBK", "no-such-encoding"])
def test_a_document_xml_in_an_encoding_expat_cannot_read_is_an_error(tmp_path, encoding):
    xml = f'<?xml version="1.0" encoding="{encoding}"?>' + document(p("云计算")).split("?>", 1)[1]
    path = zipped(tmp_path / "a.docx", {"word/document.xml": xml})
    with pytest.raises(
        DataError, match=r"a\.docx: .*damaged \(word/document\.xml is in an encoding"
    ):
        read_article(path)  # was: LookupError (a traceback) for an unknown one


def ruby(base: str, guide: str) -> str:
    """A run of ``base`` with ``guide`` above it (Word's phonetic guide, 拼音指南), as Word writes it."""
    props = (
        '<w:rubyPr><w:hps w:val="10"/><w:hpsBaseText w:val="21"/><w:lid w:val="zh-CN"/></w:rubyPr>'
    )
    return (
        f"<w:r><w:ruby>{props}<w:rt><w:r><w:t>{guide}</w:t></w:r></w:rt>"
        f"<w:rubyBase><w:r><w:t>{base}</w:t></w:r></w:rubyBase></w:ruby></w:r>"
    )


def test_a_phonetic_guide_is_left_out_its_base_text_kept(tmp_path):
    body = p("学习", ruby("汉", "hàn"), ruby("字", "zì"), "的人越来越多。")
    text = read_article(write_docx(tmp_path / "a.docx", body))
    assert text == "学习汉字的人越来越多。\n"  # was: 学习hàn汉zì字的人越来越多。 (words cut apart)


def field(code: str, result: str = "", *, separate: bool = True) -> str:
    """A field as Word writes it (``fldChar`` begin, its code, separate, its result, end): code
    and result are runs' inner XML or, plain, the code's text (``w:instrText``)."""

    def char(kind: str) -> str:
        return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'

    if not code.startswith("<"):
        code = f'<w:r><w:instrText xml:space="preserve">{code}</w:instrText></w:r>'
    return char("begin") + code + (char("separate") + result if separate else "") + char("end")


def test_a_field_shows_its_result_not_its_code_nor_a_field_in_its_code(tmp_path):
    merge = field(" MERGEFIELD 性别 ", "<w:r><w:t>«性别»</w:t></w:r>")  # in the IF's code
    code = f'<w:r><w:instrText> IF </w:instrText></w:r>{merge}<w:r><w:instrText> = "男" "先生" "女士" </w:instrText></w:r>'
    body = (
        p("尊敬的张", field(code, "<w:r><w:t>先生</w:t></w:r>"), "：您好。")
        + p(
            "第",
            field(" PAGE ", "<w:r><w:t>3</w:t></w:r>"),
            "页",
            field(' XE "价格" ', separate=False),
        )
        + p('<w:fldSimple w:instr=" DATE "><w:r><w:t>2024年5月1日</w:t></w:r></w:fldSimple>')
    )
    text = read_article(write_docx(tmp_path / "a.docx", body))
    assert text == "尊敬的张先生：您好。\n\n第3页\n\n2024年5月1日\n"  # was: 尊敬的张«性别»先生


def test_a_table_of_contents_is_left_out(tmp_path):
    """A table of contents (a TOC field; Word puts it in a content control with its heading)
    repeats the headings with page numbers: it was read as paragraphs of the article (目录,
    一、总体要求\t1, ...)."""

    def char(kind: str) -> str:
        return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'

    entries = "".join(  # each a hyperlink: the heading, a tab, a PAGEREF field
        p(
            f'<w:hyperlink w:anchor="_Toc{i}"><w:r><w:t>{head}</w:t></w:r><w:r><w:tab/></w:r>'
            + field(f" PAGEREF _Toc{i} \\h ", f"<w:r><w:t>{i}</w:t></w:r>")
            + "</w:hyperlink>"
        )
        for i, head in enumerate(["一、总体要求", "二、主要任务"], 1)
    )
    code = '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
    toc = p(char("begin") + code + char("separate")) + entries + p(char("end"))
    gallery = (
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        f"<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>{p('目录')}{toc}"
        "</w:sdtContent></w:sdt>"
    )
    body = p("一、总体要求") + p("加快推进算力基础设施建设。")
    for contents in (toc, gallery):  # as other programs write it; as Word does
        path = write_docx(tmp_path / "a.docx", p("数字乡村发展行动计划") + contents + body)
        assert read_article(path) == (
            "数字乡村发展行动计划\n\n一、总体要求\n\n加快推进算力基础设施建设。\n"
        )
    simple = p(
        '<w:fldSimple w:instr=" TOC \\o "><w:r><w:t>一、总体要求\t1</w:t></w:r></w:fldSimple>'
    )
    path = write_docx(tmp_path / "b.docx", simple + body)
    assert read_article(path) == "一、总体要求\n\n加快推进算力基础设施建设。\n"
    other = gallery.replace("Table of Contents", "Cover Pages")  # other content controls: read
    assert read_article(write_docx(tmp_path / "c.docx", other)).startswith("目录")


R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MHT = (  # a web archive as html-docx-js writes it: quoted-printable, the UTF-8 left as it is
    'MIME-Version: 1.0\nContent-Type: multipart/related;\n    type="text/html";\n'
    '    boundary="----=mhtDocumentPart"\n\n\n------=mhtDocumentPart\n'
    'Content-Type: text/html;\n    charset="utf-8"\nContent-Transfer-Encoding: quoted-printable\n\n'
    '<!DOCTYPE html><html><head><meta charset=3D"UTF-8"></head><body>\n'
    "<h1>华为发布新款手机</h1><p>搭载自研麒麟芯片。</p></body></html>\n\n------=mhtDocumentPart--\n"
)


def with_imports(path, body: str, parts: dict[str, tuple[str, str, bytes | str]]):
    """A .docx whose body imports ``parts`` (w:altChunk): by id, their target, content type
    and content."""
    relationships = "".join(
        f'<Relationship Id="{ref}" Target="{target}" Type="{R}/aFChunk"/>'
        for ref, (target, _, _) in parts.items()
    )
    types = "".join(
        f'<Override PartName="/{posixpath.normpath(posixpath.join("word", target)).lstrip("/")}" '
        f'ContentType="{kind}"/>'
        for target, kind, _ in parts.values()
    )
    files = {
        "[Content_Types].xml": f'<Types xmlns="x"><Default Extension="xml" ContentType="application/xml"/>{types}</Types>',
        "word/_rels/document.xml.rels": f'<Relationships xmlns="x">{relationships}</Relationships>',
        "word/document.xml": document(body).replace("<w:document ", f'<w:document xmlns:r="{R}" '),
    }
    for target, _, content in parts.values():
        files[posixpath.normpath(posixpath.join("word", target)).lstrip("/")] = content
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path


def test_parts_imported_whole_are_read_where_they_are_imported(tmp_path):
    # html-docx-js and docx4j put a page in a .docx whole (w:altChunk); Word shows its text
    inner = io.BytesIO()
    write_docx(inner, p("内嵌文档的段落。"))
    parts = {
        "rId1": ("/word/afchunk.mht", "message/rfc822", MHT),
        "rId2": ("chunk.html", "text/html", "<p>腾讯云跟进降价。</p><p>幅度两成。".encode("gbk")),
        "rId3": ("chunk.txt", "text/plain", "纯文本的一行。"),
        "rId4": ("chunk.docx", f"{W}.document.main+xml", inner.getvalue()),
    }
    chunk = '<w:altChunk r:id="{}"/>'.format
    body = chunk("rId1") + p("中间的段落。") + chunk("rId2") + chunk("rId3") + chunk("rId4")
    text = read_article(with_imports(tmp_path / "a.docx", body, parts))
    assert text.split("\n\n") == [  # was: "" (a document with no text)
        "华为发布新款手机",
        "搭载自研麒麟芯片。",
        "中间的段落。",
        "腾讯云跟进降价。",
        "幅度两成。",
        "纯文本的一行。",
        "内嵌文档的段落。\n",
    ]
    [article] = segment(text)
    assert article.title == "华为发布新款手机"


def test_a_part_imported_whole_that_tagger_cannot_read_is_an_error(tmp_path, monkeypatch):
    parts = {"rId1": ("chunk.rtf", "application/rtf", r"{\rtf1 text}")}
    body = p("正文。") + '<w:altChunk r:id="rId1"/>'
    path = with_imports(tmp_path / "a.docx", body, parts)
    with pytest.raises(
        DataError, match=r"a\.docx: part of its text is in word/chunk\.rtf .*Fix: open it in Word"
    ):
        read_article(path)  # was: 正文。 alone, the rest dropped unsaid
    path = with_imports(tmp_path / "b.docx", body.replace("rId1", "rId9"), parts)
    with pytest.raises(DataError, match=r"b\.docx: .*damaged \(it imports a part"):
        read_article(path)
    parts = {"rId1": ("chunk.txt", "text/plain", "云" * 1000)}  # 3,000 bytes, imported 5 times
    path = with_imports(tmp_path / "c.docx", p("正文。") + '<w:altChunk r:id="rId1"/>' * 5, parts)
    monkeypatch.setattr(wordfile, "MAX_XML_BYTES", 10_000)
    with pytest.raises(
        DataError, match=r"c\.docx: word/document\.xml with the parts it imports unpacks"
    ):
        read_article(path)


def test_documents_imported_in_a_document_count_in_its_unpacking_bound(tmp_path, monkeypatch):
    """An imported .docx (w:altChunk) had a bound of its own: a small zip file unpacking to
    MAX_XML_BYTES, imported many times (and three deep), unpacked that much each time."""
    inner = io.BytesIO()
    xml = f'<w:document xmlns:w="{W}"><w:body>{p("云" * 1000)}</w:body></w:document>'
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", xml)  # 3,000 bytes unpacked, ~100 packed
    parts = {"rId1": ("chunk.docx", f"{W}.document.main+xml", inner.getvalue())}
    body = p("正文。") + '<w:altChunk r:id="rId1"/>' * 5
    path = with_imports(tmp_path / "a.docx", body, parts)
    assert read_article(path).count("云") == 5000
    monkeypatch.setattr(wordfile, "MAX_XML_BYTES", 10_000)
    with pytest.raises(DataError, match=r"a\.docx: .*unpacks to"):
        read_article(path)


def test_a_hidden_paragraph_mark_joins_the_paragraph_to_the_next(tmp_path):
    # Word's style separator (Ctrl+Alt+Enter): a run-in heading, its paragraph mark hidden
    separator = "<w:pPr><w:rPr><w:vanish/><w:specVanish/></w:rPr></w:pPr>"
    shown = '<w:pPr><w:rPr><w:vanish w:val="0"/></w:rPr></w:pPr>'
    body = (
        f"<w:p>{separator}<w:r><w:t>一、总体要求。</w:t></w:r></w:p>"
        + p("加快推进算力基础设施建设。")
        + f"<w:p>{shown}<w:r><w:t>二、主要任务。</w:t></w:r></w:p>"
        + p("下一段。")
    )
    text = read_article(write_docx(tmp_path / "a.docx", body))
    assert (
        text == "一、总体要求。加快推进算力基础设施建设。\n\n二、主要任务。\n\n下一段。\n"
    )  # as Word shows it
