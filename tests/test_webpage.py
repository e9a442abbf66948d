"""Web pages saved as HTML: their visible text, its encoding, and tagging them."""

from __future__ import annotations

import fcntl
import io
import json
import struct
import subprocess
import sys
import termios
import time

import pytest
from typer.testing import CliRunner

from tagger.cli import app
from tagger.data import DataWarning
from tagger.errors import DataError
from tagger.segmenting import segment
from tagger.tagging import iter_sources, read_article, tag_paths
from tagger.webpage import declared_charset, decode_page, page_text, read_page

runner = CliRunner()
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>云计算市场迎来变局</title>
<style>p { color: red }</style><script>var a = "<p>脚本</p>";</script></head>
<body><nav><a href="/">首页</a> | <a href="/tech">科技</a></nav>
<header><div>新闻网</div></header>
<article>
  <p>阿里云和华为云下调云服务器价格，
     云计算价格战再度升级。</p>
  <div><div>美国升级芯片出口管制，限制先进制程设备出口。</div></div>
</article>
<aside>热门推荐：广告</aside><form><input name="q"> 搜索</form>
<footer>版权所有 &copy; 2024</footer></body></html>
"""


def paragraphs(markup: str) -> list[str]:
    return page_text(markup).split("\n\n")


def test_blocks_become_paragraphs_and_boilerplate_is_dropped():
    assert page_text(PAGE) == (
        "云计算市场迎来变局\n\n"
        "阿里云和华为云下调云服务器价格，云计算价格战再度升级。\n\n"
        "美国升级芯片出口管制，限制先进制程设备出口。\n"
    )


def test_an_articles_own_header_is_kept_with_its_headline():
    page = """<title>云计算市场迎来变局_新闻网</title><header><div>新闻网</div></header>
    <article><header><h1>云计算市场迎来变局</h1><nav>分享</nav></header>
    <p>阿里云下调云服务器价格。</p><footer>责任编辑：王明</footer></article>
    <main><header>华为发布新一代芯片</header><p>新芯片采用先进工艺。</p></main>"""
    assert paragraphs(page) == [
        "云计算市场迎来变局",  # the h1, not the title with the site's name
        "阿里云下调云服务器价格。",
        "\n华为发布新一代芯片",  # after the </article>: two blank lines
        "新芯片采用先进工艺。\n",
    ]


@pytest.mark.parametrize(
    "markup, expected",
    [
        ("<div>甲<div>乙<div>丙</div>丁</div></div>", ["甲", "乙", "丙", "丁\n"]),
        ("<p>第一行<br>第二行<br/>第三行</p>", ["第一行", "第二行", "第三行\n"]),
        ("<ul><li>一</li><li>二</li></ul><h2>小标题</h2>正文", ["一", "二", "小标题", "正文\n"]),
        ("<table><tr><td>甲</td><td>乙</td></tr></table>", ["甲", "乙\n"]),
        ("<p>云<span>计</span><b>算</b></p>", ["云计算\n"]),  # inline elements join
    ],
)
def test_block_elements_end_paragraphs(markup, expected):
    assert paragraphs(markup) == expected


def test_scripts_styles_and_hidden_elements_show_no_text():
    markup = (
        "<script>document.write('<p>不</p>')</script><style>.a{}</style>"
        "<noscript>请启用脚本</noscript><template><p>模板</p></template>"
        "<svg><title>图</title><text>图中字</text></svg><div hidden>隐藏</div>"
        "<p style='color: red; display : none'>也隐藏</p><p>看得见</p>"
    )
    assert page_text(markup) == "看得见\n"


def test_entities_are_decoded():
    markup = "<p>芯片&amp;半导体&nbsp;&lt;报告&gt; &#x4e91;&#35745;&#31639; &ldquo;好&rdquo;</p>"
    assert page_text(markup) == "芯片&半导体 <报告> 云计算 “好”\n"


def test_whitespace_collapses_without_splitting_chinese_across_source_lines():
    markup = "<p>\n  云计算\n  市场，\n  “份额”\n  增长 Azure\n  and\tAWS  </p>"
    assert page_text(markup) == "云计算市场，“份额”增长 Azure and AWS\n"


def test_pre_keeps_its_line_breaks():
    assert page_text("<pre>第一行\n  第二行\n\n\n\n第三段</pre>") == "第一行\n第二行\n\n第三段\n"


def test_a_hidden_article_leaves_the_sites_header_dropped():
    # a hidden <main> or <article> was counted as open for the rest of the page (its end tag
    # is skipped with its content), so the site's <header> after it was kept as an article's
    for hidden in ('<main style="display:none"><p>隐藏</p></main>', "<article hidden>甲</article>"):
        page = f"{hidden}<header>网站头部导航</header><p>正文。</p>"
        assert page_text(page) == "正文。\n"


def test_articles_of_a_page_are_apart_as_the_articles_of_a_text_file():
    # <article> elements are articles: two blank lines between them, as between the articles
    # of a text file; else a headline with no byline or lead under it (or one shorter than
    # 15 characters) stayed a sub-heading of the article before
    page = """<title>科技早报_某某网</title><div class="crumb">首页 &gt; 科技</div>
    <article><h2>华为云发布盘古大模型</h2><p>本报记者 李明</p><p>华为云昨日发布新模型。</p>
    <p>新模型已在金融、制造等行业落地。</p></article>
    <article><h2>荷兰光刻机出口新规生效</h2><p>新规于今日正式生效。（完）</p></article>
    <article><h2>多地出台政策支持人工智能</h2><p>近期，多地相继出台政策，支持产业发展。</p>
    <article><p>网友：好消息。</p></article></article><p>版权所有</p>"""
    text = page_text(page)
    assert "新模型已在金融、制造等行业落地。\n\n\n荷兰光刻机出口新规生效\n\n" in text
    assert [a.title for a in segment(text)[1:4]] == [
        "华为云发布盘古大模型",
        "荷兰光刻机出口新规生效",
        "多地出台政策支持人工智能",
    ]
    assert page_text("<article><p>一</p></article>") == "一\n"  # nothing before: no blank line
    assert page_text("<p>甲</p><div><p>乙</p></div>") == "甲\n\n乙\n"  # other blocks: one


def test_a_paragraph_of_zero_width_characters_is_no_paragraph():
    # Web editors fill empty paragraphs with a zero width space as with &nbsp;: both show
    # nothing, so neither is a paragraph (a line of zero width characters is blank to the
    # segmenter: it made two blank lines, and the sub-heading after it a new article)
    page = (
        "<h1>阿里云下调云服务器价格</h1><p>本报记者 张三</p><p>阿里云今日宣布下调价格。</p>"
        "<p>{}</p><p><strong>区县动态</strong></p><p>业内人士认为，此次降价将加剧竞争。</p>"
    )
    expected = page_text(page.format("&nbsp;"))
    for filler in ("&#8203;", "&zwnj;", "&#xFEFF;", "\u2060 &#8203;&nbsp;", "<pre>\u200b</pre>"):
        assert page_text(page.format(filler)) == expected
        assert [a.title for a in segment(page_text(page.format(filler)))] == [
            "阿里云下调云服务器价格"
        ]
    assert page_text("<p>\u200b云计算</p>") == "\u200b云计算\n"  # a visible character: kept
    assert page_text("<title>\u200b</title><p>\u200b</p>") == ""


def test_the_title_is_the_headline_unless_the_page_has_its_own():
    own = "<title>云计算市场迎来变局_新浪科技</title><h1>云计算价格战</h1><p>正文。</p>"
    assert paragraphs(own)[0] == "云计算价格战"  # an <h1> first: the page's headline
    held = "<title>云计算市场迎来变局_新浪科技</title><div>云计算市场迎来变局</div><p>正文。</p>"
    assert paragraphs(held) == ["云计算市场迎来变局", "正文。\n"]  # the title holds it
    [article] = segment(page_text(PAGE))
    assert article.title == "云计算市场迎来变局"
    assert page_text("<head><title>只有标题</title></head><body>  </body>") == ""


def test_a_pages_date_and_source_line_and_editor_line_are_no_headline_nor_text():
    # the info line under the <h1>, followed by a dateline, was taken as a second article's
    # headline (the <h1> an article alone), and the editor's <p> joined the last paragraph
    page = """<title>华为发布新一代昇腾芯片_新华网</title><div class="main">
    <h1>华为发布新一代昇腾芯片</h1><div class="info">2026-11-20 来源：新华网</div>
    <p>新华网北京11月20日电 华为公司20日在深圳发布新一代昇腾人工智能芯片，算力提升一倍。</p>
    <p>业内人士认为，国产芯片的自主研发进程正在加快。</p><p class="editor">责任编辑：王芳</p>
    </div>"""
    text = page_text(page)
    [article] = segment(text)
    assert article.title == "华为发布新一代昇腾芯片"
    assert [s.text.split("\n")[0] for s in article.segments] == [
        "华为发布新一代昇腾芯片",
        "业内人士认为，国产芯片的自主研发进程正在加快。",
        "责任编辑：王芳",
    ]
    assert "2026-11-20 来源：新华网" in article.segments[0].text


def test_the_title_is_left_out_when_the_page_shows_its_h1_after_a_nav_bar():
    # News sites put their nav bars and breadcrumbs in plain divs before the <h1>: the title
    # (the headline and the site's name) came first all the same, an article of its own
    page = """<title>阿里云宣布降价 云计算价格战再升级_新浪科技_新浪网</title>
    <div class="top-nav"><a>新浪首页</a> <a>新闻</a> <a>科技</a></div>
    <div class="main"><h1 class="main-title">阿里云宣布降价 云计算价格战再升级</h1>
    <p>新浪科技讯 2月29日上午消息，阿里云今日宣布全线下调云产品价格。</p></div>"""
    text = page_text(page)
    assert "_新浪" not in text
    assert text.count("阿里云宣布降价 云计算价格战再升级") == 1
    assert segment(text)[-1].title == "阿里云宣布降价 云计算价格战再升级"
    other = page.replace('<h1 class="main-title">阿里云宣布降价', "<h1>华为发布新芯片")
    assert paragraphs(other)[0] == "华为发布新芯片 云计算价格战再升级"  # the page's own, first
    plain = other.replace("<a>", "<span>").replace("</a>", "</span>")  # a nav bar of no links
    assert paragraphs(plain)[0] == "阿里云宣布降价 云计算价格战再升级_新浪科技_新浪网"  # not held


def test_paragraphs_mostly_of_links_that_end_no_sentence_are_dropped():
    page = """<div class="crumbs"><a href="/">首页</a> &gt; <a href="/tech">科技</a> &gt; 正文</div>
    <h1><a href="/a.html">阿里云宣布降价</a></h1>
    <p>阿里云今日宣布全线下调<a href="/ecs">云服务器</a>价格，详见<a href="/n">《降价公告》</a>。</p>
    <p><a href="/full">点击查看全文。</a></p>
    <div class="share"><a>微博</a><a>微信</a></div><p>文章关键词：<a>阿里云</a> <a>降价</a></p>
    <h3>相关新闻</h3><ul><li><a href="/1">华为云宣布降价 最高降幅达40%</a></li>
    <li><a href="/2">腾讯云跟进降价</a></li></ul>
    <p class="pages"><a>上一页</a> <a>1</a> <a>2</a> <a>下一页</a></p>"""
    assert paragraphs(page) == [
        "阿里云宣布降价",  # an <h1>, though a link
        "阿里云今日宣布全线下调云服务器价格，详见《降价公告》。",  # links in a sentence
        "点击查看全文。",  # a sentence, though a link
        "文章关键词：阿里云 降价",  # links less than half of it
        "相关新闻\n",  # no link; the list's items, the crumbs, share buttons and pages are
    ]


@pytest.mark.parametrize(
    "markup",
    [
        "<p>未闭合<div>嵌套<p>再来",
        "<<<>>> &bogus; </p></div></body></html><p attr='x>y'>",
        "<nav><nav>一</nav>二",  # an unclosed boilerplate element: the rest is inside it
        "<title>未闭合的标题<p>正文",
        "<!-- 注释 --><![CDATA[x]]><!DOCTYPE html><?php echo 1 ?><p>好",
        "<head><title>标</title><p>没有 body 也没有 /head",
        "\x00<p>\ud800</p>",
        "",
    ],
)
def test_malformed_markup_never_raises(markup):
    text = page_text(markup)
    assert isinstance(text, str) and "<p" not in text


def test_a_comment_left_open_hides_the_rest():
    assert page_text("<p>正文</p><!-- 注释 <p>不显示") == "正文\n"


def test_a_head_left_open_ends_where_the_body_starts():
    assert page_text("<head><title>标</title><p>没有 body") == "标\n\n没有 body\n"


@pytest.mark.parametrize(
    "head, expected",
    [
        (b'<meta charset="GBK">', "gb18030"),  # what browsers read for GBK and GB2312
        (b"<meta http-equiv='Content-Type' content='text/html; charset=gb2312'>", "gb18030"),
        (b'<?xml version="1.0" encoding="big5"?><html>', "big5hkscs"),
        (b"<META CHARSET=utf-8>", "utf_8"),
        (b'<meta charset="x-gbk">', "gb18030"),
        (b'<meta charset="ISO-8859-1">', "cp1252"),
        (b'<meta charset="no-such-thing">', None),
        (b'<meta charset="utf-16">', None),  # no BOM: not UTF-16 whatever it says
        (b"<p>charset=gbk</p>", None),
    ],
)
def test_declared_charset(head, expected):
    assert declared_charset(head) == expected


def test_encoding_comes_from_the_option_the_bom_the_meta_then_detection():
    text = '<meta charset="gb2312"><p>云计算市场</p>'
    gbk = text.encode("gbk")
    big5 = '<meta charset="big5"><p>雲計算市場</p>'.encode("big5")
    assert decode_page(gbk, "a.html") == text
    assert decode_page(big5, "a.html") == '<meta charset="big5"><p>雲計算市場</p>'  # not GB18030
    assert decode_page(b"\xef\xbb\xbf" + text.encode("utf-8"), "a.html") == text  # BOM first
    assert decode_page(text.encode("utf-8"), "a.html") == text  # a wrong meta: detected
    assert decode_page(big5, "a.html", "gb18030") != decode_page(big5, "a.html")  # --encoding
    with pytest.raises(DataError, match=r"a\.html, line 1: cannot decode as utf-8"):
        decode_page(gbk, "a.html", "utf-8")


@pytest.mark.parametrize("charset", ["gb2312", "gbk", "big5", "iso-8859-1"])
def test_a_page_in_utf8_under_a_legacy_meta_is_read_as_utf8(charset):
    # A scraper saves resp.text as UTF-8 and the page keeps its old <meta charset=gb2312>:
    # the bytes were decoded in the declared charset whenever they happened to be valid in it
    # (Chinese runs of an even length for GBK), into mojibake without an error
    for body in ("云计算", "美国升级芯片出口管制", "数据中心规模持续扩大。", "芯片 AI"):
        page = f'<meta charset="{charset}"><title>新闻</title><p>{body}</p>'
        assert decode_page(page.encode("utf-8"), "a.html") == page
    if charset != "iso-8859-1":  # a page really in it is read in it
        big5 = charset == "big5"
        legacy = f'<meta charset="{charset}"><p>{"雲計算市場" if big5 else "云计算市场"}</p>'
        assert decode_page(legacy.encode("cp950" if big5 else "gbk"), "a.html") == legacy


def test_read_page_reads_a_file_in_its_declared_encoding(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes(PAGE.replace("utf-8", "gbk").encode("gbk"))
    assert read_page(path) == page_text(PAGE)


def test_offsets_slice_the_segments_out_of_the_page_text(tmp_path, single_model):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.encode("utf-8"))
    text = page_text(PAGE)
    [article] = list(tag_paths([path], single_model))
    assert article.title == "云计算市场迎来变局"
    assert len(article.segments) == 2
    for seg in article.segments:
        assert text[seg.start : seg.end] == seg.text
    assert "云计算价格战再度升级" in article.segments[0].text
    assert "<" not in "".join(s.text for s in article.segments)


def test_directories_list_html_files(tmp_path):
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b.HTM").write_text(PAGE, encoding="utf-8")
    (tmp_path / "c.xhtml").write_text(PAGE, encoding="utf-8")
    (tmp_path / "d.css").write_text("p {}", encoding="utf-8")
    assert [p.name for p in iter_sources(tmp_path)] == ["a.html", "b.HTM", "c.xhtml"]


def _tagged(paths, model, **options):
    """(source, title, segment texts) of each article ``tag_paths`` gives."""
    return [
        (a.source, a.title, [s.text for s in a.segments])
        for a in tag_paths(paths, model, **options)
    ]


def test_shtml_pages_are_pages_in_a_folder_too(tmp_path, single_model, saved_model):
    # Sina, Xinhua, People's Daily and CCTV publish .shtml pages (.shtm at times), saved under
    # that name: one was tagged as text, markup and all, and a folder of them was refused
    # ("no text or HTML files")
    html = tmp_path / "page.html"
    html.write_bytes(PAGE.encode("utf-8"))
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "a.shtml").write_bytes(PAGE.encode("utf-8"))
    (folder / "b.SHTM").write_bytes(PAGE.encode("utf-8"))
    assert [p.name for p in iter_sources(folder)] == ["a.shtml", "b.SHTM"]
    [(_, title, texts)] = _tagged(html, single_model)
    for path in iter_sources(folder):
        assert _tagged(path, single_model) == [(str(path), title, texts)]
    result = invoke("tag", folder, "-m", saved_model, "-f", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["text"] for row in rows] == texts * 2
    assert [row["source"] for row in rows] == [str(folder / "a.shtml")] * 2 + [
        str(folder / "b.SHTM")
    ] * 2


def test_stdin_is_read_as_html_when_asked(single_model, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PAGE.encode("gbk"))))
    [article] = list(tag_paths(["-"], single_model, input_format="html"))
    assert article.title == "云计算市场迎来变局" and len(article.segments) == 2


def invoke(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def test_cli_tags_an_html_file_and_a_folder_of_them(tmp_path, saved_model):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "page.html").write_bytes(PAGE.encode("utf-8"))
    (folder / "note.txt").write_text("芯片出口管制升级，半导体设备受限。", encoding="utf-8")
    result = invoke("tag", folder / "page.html", "-m", saved_model, "-f", "json")
    assert result.exit_code == 0, result.output
    [article] = json.loads(result.output)
    text = page_text(PAGE)
    assert article["title"] == "云计算市场迎来变局"
    assert [text[s["start"] : s["end"]] for s in article["segments"]] == [
        s["text"] for s in article["segments"]
    ]
    assert article["segments"][1]["labels"] == ["semiconductors"]
    result = invoke("tag", folder, "-m", saved_model, "-f", "jsonl")
    assert result.exit_code == 0, result.output
    sources = {json.loads(line)["source"] for line in result.output.splitlines()}
    assert sources == {str(folder / "note.txt"), str(folder / "page.html")}


def test_cli_reads_html_on_stdin_with_input_format(saved_model):
    tag = ("tag", "-", "-m", saved_model, "-f", "jsonl")
    as_html = invoke(*tag, "--input-format", "html", input=PAGE)
    assert as_html.exit_code == 0, as_html.output
    texts = [json.loads(line)["text"] for line in as_html.output.splitlines()]
    assert texts[-1] == "美国升级芯片出口管制，限制先进制程设备出口。"
    as_text = invoke(*tag, "--input-format", "text", input=PAGE)  # text when said
    assert as_text.exit_code == 0 and "<script>" in as_text.output


def _without_source(output: str) -> list[dict]:
    return [{**json.loads(line), "source": None} for line in output.splitlines()]


GBK_PAGE = PAGE.replace("utf-8", "gbk").encode("gbk")


def test_a_page_on_stdin_is_read_as_the_same_page_in_a_file(tmp_path, saved_model, monkeypatch):
    # 'curl -s URL | tagger tag -' tagged the markup as text (tags, scripts and CSS as
    # paragraphs) unless --input-format html was given
    path = tmp_path / "page.html"
    path.write_bytes(GBK_PAGE)
    for command in (["tag", "-m", saved_model], ["segment"]):
        from_file = invoke(*command, path, "-f", "jsonl")
        assert from_file.exit_code == 0, from_file.output
        for inputs in (["-"], []) if command[0] == "tag" else (["-"],):  # tag reads it unasked
            from_stdin = invoke(*command, *inputs, "-f", "jsonl", input=GBK_PAGE)
            assert from_stdin.exit_code == 0, from_stdin.output
            assert _without_source(from_stdin.stdout) == _without_source(from_file.stdout)
            assert '"source": "<stdin>"' in from_stdin.stdout
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(GBK_PAGE)))
    assert read_article("-") == read_article(path) == page_text(PAGE)


@pytest.mark.parametrize(
    "start",
    [
        "<研究报告>显示，",  # a book title in angle brackets, as plain texts write 《》
        "<b>重磅</b>",  # a tag in a text, not a page
        "<title>云计算市场迎来变局</title>\n\n",  # a page's piece is no page
        "<!-- 注释 -->\n",  # a comment, then text
        "<html5 是新标准>",
    ],
)
def test_a_text_on_stdin_starting_with_a_bracket_stays_text(tmp_path, saved_model, start):
    text = f"{start}阿里云和华为云下调云服务器价格，云计算价格战再度升级。\n"
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    from_file = invoke("tag", path, "-m", saved_model, "-f", "jsonl")
    from_stdin = invoke("tag", "-", "-m", saved_model, "-f", "jsonl", input=text)
    assert from_stdin.exit_code == from_file.exit_code == 0, from_stdin.output
    assert _without_source(from_stdin.stdout) == _without_source(from_file.stdout)
    assert start.split()[0][:5] in from_stdin.stdout  # the markup is text


@pytest.mark.parametrize(
    "start",
    [
        "\ufeff  <!DOCTYPE html>",
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN">',
        "<!-- saved from url=(0040)https://news.example.cn/a.shtml -->\n<HTML>",
        "\n\n<head><meta charset=utf-8>",
        '<meta charset="utf-8">',
        "<body>",
    ],
)
def test_stdin_starting_as_pages_do_is_a_page(single_model, monkeypatch, start):
    markup = start + PAGE[PAGE.index("<title>") :]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(markup.encode("utf-8"))))
    assert read_article("-") == page_text(markup) == page_text(PAGE)


class _Trickle(io.RawIOBase):
    """A pipe that gives at most ``size`` bytes a read, as a slow network's does."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size, self.reads = data, size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.reads += 1
        piece, self.data = self.data[: min(self.size, len(buffer))], self.data[self.size :]
        buffer[: len(piece)] = piece
        return len(piece)


def test_a_page_arriving_in_small_reads_is_a_page_and_a_text_loses_no_byte(
    tmp_path, single_model, monkeypatch
):
    # a pipe gives what has arrived: the first read may hold "\n  " or "<!D" only
    path = tmp_path / "page.html"
    path.write_bytes(b"\n  " + GBK_PAGE)
    text = tmp_path / "a.txt"
    text.write_bytes("\n  <研究报告>显示，阿里云下调云服务器价格。\n".encode("gbk"))
    for source in (path, text):
        for read in (read_article, lambda name: _tagged(name, single_model)[0][1:]):
            trickle = _Trickle(source.read_bytes(), 3)
            stdin = type("Stdin", (), {"buffer": io.BufferedReader(trickle)})()
            monkeypatch.setattr(sys, "stdin", stdin)
            assert read("-") == read(source)
            assert trickle.reads > 10
    assert read_article(path) == page_text(PAGE)


def test_a_file_named_without_a_known_extension_is_a_page_if_it_starts_as_one(
    tmp_path, single_model, saved_model
):
    # wget saves index.php, article.asp?id=3 or page under those names: named on the command
    # line, their markup was tagged as text
    page = tmp_path / "page.html"
    page.write_bytes(GBK_PAGE)
    [(_, title, texts)] = _tagged(page, single_model)
    named = [tmp_path / name for name in ("index.php", "article.asp?id=3", "page")]
    for path in named:
        path.write_bytes(GBK_PAGE)
        assert _tagged(path, single_model) == [(str(path), title, texts)]
        assert read_article(path) == read_article(page) == page_text(PAGE)
        assert "<script>" in read_article(path, input_format="text")  # text when said
    saved_as_text = tmp_path / "saved.txt"  # a .txt file is text, whatever it starts with
    saved_as_text.write_bytes(GBK_PAGE)
    assert "<script>" in read_article(saved_as_text)
    notes = tmp_path / "notes.log"  # text that starts with '<' stays text
    notes.write_text("<b>重磅</b>阿里云下调云服务器价格。\n", encoding="utf-8")
    assert read_article(notes) == notes.read_text(encoding="utf-8")
    assert iter_sources(tmp_path) == [page, saved_as_text]  # folders list by extension
    tag = ("tag", "-m", saved_model, "-f", "jsonl")
    from_page, from_php = invoke(*tag, page), invoke(*tag, named[0])
    assert from_php.exit_code == 0, from_php.output
    assert _without_source(from_php.stdout) == _without_source(from_page.stdout)
    as_text = invoke(*tag, named[0], "--input-format", "text")
    assert as_text.exit_code == 0 and "<script>" in as_text.stdout


def _unread(fd: int) -> int:
    """How many bytes written to a pipe are not read yet."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]


def test_a_page_piped_in_pieces_is_tagged_as_the_page(tmp_path, saved_model):
    # 'curl -s URL | tagger tag': a read of the pipe gives what curl has written so far; here
    # the first gives "<!DOC" alone (the rest is written once tagger has read it)
    path = tmp_path / "page.html"
    path.write_bytes(GBK_PAGE)
    command = [sys.executable, "-m", "tagger", "tag", "-m", str(saved_model), "-f", "jsonl"]
    expected = subprocess.run([*command, str(path)], capture_output=True, timeout=120)
    assert expected.returncode == 0, expected.stderr
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as child:
        child.stdin.write(GBK_PAGE[:5])
        child.stdin.flush()
        deadline = time.monotonic() + 60  # (a guard: it takes tagger a second to start)
        while _unread(child.stdin.fileno()) and child.poll() is None:
            assert time.monotonic() < deadline, "tagger never read its standard input"
            time.sleep(0.01)
        out, errors = child.communicate(GBK_PAGE[5:], timeout=120)
    assert child.returncode == 0, errors
    assert _without_source(out.decode()) == _without_source(expected.stdout.decode())


def test_cli_segment_reads_html(tmp_path):
    path = tmp_path / "page.xhtml"
    path.write_bytes(PAGE.encode("utf-8"))
    result = invoke("segment", path, "-f", "json")
    assert result.exit_code == 0, result.output
    [article] = json.loads(result.output)
    assert article["title"] == "云计算市场迎来变局"
    assert all(page_text(PAGE)[s["start"] : s["end"]] == s["text"] for s in article["segments"])
    result = invoke("segment", "-", "--input-format", "html", "-f", "jsonl", input=PAGE)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows and all("<" not in row["text"] and row["source"] == "<stdin>" for row in rows)
    result = invoke("segment", path, "--input-format", "text", "-f", "jsonl")
    assert "<script>" in result.output


def test_a_page_without_visible_text_is_tagged_as_an_empty_text_file(tmp_path, saved_model):
    empty_text = tmp_path / "empty.txt"
    empty_text.write_text("", encoding="utf-8")
    for fmt in ("json", "jsonl", "table"):  # a page each: Python warns a message once a process
        empty_page = tmp_path / f"empty-{fmt}.html"
        markup = "<html><head><title>标题</title></head><body><script>x</script>"
        empty_page.write_text(markup, "utf-8")
        page, text = (
            invoke("tag", path, "-m", saved_model, "-f", fmt) for path in (empty_page, empty_text)
        )
        assert page.exit_code == text.exit_code == 0
        assert page.stdout == text.stdout
        nothing = "Warning: no article was tagged: the inputs hold no text\n"
        assert text.stderr == nothing  # an empty text file: about the run, not the file
        assert page.stderr.endswith(nothing)
        assert page.stderr.count(f"Warning: {empty_page}: the page shows no text") == 1
    assert invoke("tag", empty_page, "-m", saved_model, "-f", "json").stdout == "[]\n"


def test_a_page_a_script_fills_in_warns_once_naming_it(tmp_path, saved_model, single_model):
    app_page = tmp_path / "app.html"  # tagged as nothing, exit 0 and no word
    app_page.write_text('<div id="app"></div><script src="/app.js"></script>', "utf-8")
    blank_page = tmp_path / "blank.html"  # no markup at all: an empty file, silent
    blank_page.write_text(" \n", "utf-8")
    (tmp_path / "news.txt").write_text("阿里云下调云服务器价格。", encoding="utf-8")
    result = invoke("tag", tmp_path, app_page, "-m", saved_model, "-f", "jsonl", "--jobs", "2")
    assert result.exit_code == 0, result.output
    warning = f"Warning: {app_page}: the page shows no text (a page whose text a script writes"
    assert result.stderr.count(warning) == 1 and "blank.html" not in result.stderr
    assert {json.loads(line)["source"] for line in result.stdout.splitlines()} == {
        str(tmp_path / "news.txt")
    }
    with pytest.warns(DataWarning, match="app.html: the page shows no text") as caught:
        assert list(tag_paths([app_page, blank_page], single_model)) == []
    assert len(caught) == 1
    segmented = invoke("segment", app_page, "-f", "json")  # segment says so too
    assert segmented.exit_code == 0 and json.loads(segmented.stdout) == []
    assert segmented.stderr.count(warning) == 1


def test_an_undecodable_page_is_reported_and_the_others_tagged(tmp_path, saved_model):
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"<p>\x81\xff\xfe\x00</p>")
    good = tmp_path / "good.html"
    good.write_bytes(PAGE.encode("utf-8"))
    result = invoke("tag", bad, good, "-m", saved_model, "-f", "jsonl")
    assert result.exit_code == 1
    assert "bad.html" in result.output and "Fix:" in result.output
    assert "Traceback" not in result.output
    assert str(good) in result.output


def test_record_options_with_only_pages_are_a_usage_error(tmp_path, saved_model):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.encode("utf-8"))
    result = invoke("tag", path, "-m", saved_model, "--text-field", "body")
    assert result.exit_code == 2
    assert "read as text or HTML" in result.output


def test_segmenting_a_folder_says_what_to_pass(tmp_path):
    # tagger segment takes one file: a folder of saved pages was refused without a Fix hint
    (tmp_path / "a.html").write_text("<p>正文。</p>", encoding="utf-8")
    result = invoke("segment", tmp_path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: {tmp_path}: is a directory, not a file. Fix: pass a file in it" in result.output
