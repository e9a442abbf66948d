from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tagger.segmenting import ends_sentence, regroup, segment, split_sentences

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


def covered(text: str, articles) -> str:
    """The non-space characters of all segments, in order."""
    return "".join(c for a in articles for s in a.segments for c in s.text if not c.isspace())


def assert_invariants(text: str, articles) -> None:
    for article in articles:
        for s in article.segments:
            assert text[s.start : s.end] == s.text
            assert s.text == s.text.strip()
    assert covered(text, articles) == "".join(c for c in text if not c.isspace())


def test_paragraphs_become_segments_with_offsets():
    text = "第一段讲云计算市场份额的变化。\n\n第二段讲芯片出口管制的升级。\n"
    [article] = segment(text)
    assert [s.text for s in article.segments] == [
        "第一段讲云计算市场份额的变化。",
        "第二段讲芯片出口管制的升级。",
    ]
    assert article.title is None
    assert_invariants(text, [article])


def test_crlf_and_full_width_blank_lines_separate_paragraphs():
    text = "\u3000\u3000第一段讲云计算市场份额的变化。\r\n\u3000\u3000\r\n第二段讲芯片出口管制的升级。\r\n"
    [article] = segment(text)
    assert len(article.segments) == 2
    assert article.segments[0].text == "第一段讲云计算市场份额的变化。"
    assert_invariants(text, [article])


def test_headlines_start_articles_and_subheadings_join_their_paragraph():
    text = (
        "微软AI之困\n\n本报记者 宋婧\n\n微软正在开发自己的推理模型，与对手展开竞争。\n\n"
        "云业务增速不及预期\n\n云计算是微软营收的重要支点，增速连续放缓。\n\n"
        "3GPP首次6G标准研讨会在韩国仁川闭幕\n\n本报讯 会议讨论了6G标准的愿景与优先事项。"
    )
    articles = segment(text)
    assert [a.title for a in articles] == ["微软AI之困", "3GPP首次6G标准研讨会在韩国仁川闭幕"]
    first = articles[0].segments
    assert first[0].text.startswith("微软AI之困\n\n本报记者 宋婧\n\n微软正在")
    assert first[1].text.startswith("云业务增速不及预期\n\n云计算")
    assert_invariants(text, articles)


def test_two_blank_lines_and_a_question_headline_start_an_article():
    text = "上一篇文章的最后一段，到此结束了。\n\n\n\n美国的加码“科技战”，赢了吗？\n\n正文第一段，讲出口管制的效果。"
    articles = segment(text)
    assert [a.title for a in articles] == [None, "美国的加码“科技战”，赢了吗？"]


def test_a_markdown_headings_marks_are_no_part_of_its_title():
    # a folder lists .md files, and "# 华为云发布盘古大模型新版本" was the title, "# " and all
    text = (
        "# 华为云发布盘古大模型新版本\n\n华为云在开发者大会上发布盘古大模型新版本。\n\n"
        "## 价格\n\n新版本推理成本下降一半。\n\n\n"
        "## 联想发布新款AI PC ##\n\n联想集团发布多款AI PC新品。\n\n\n"
        "#华为云降价#\n\n华为云宣布下调多款云服务器价格。"
    )
    articles = segment(text)
    titles = ["华为云发布盘古大模型新版本", "联想发布新款AI PC", "#华为云降价#"]
    assert [a.title for a in articles] == titles  # a hashtag is no heading mark
    assert articles[0].segments[0].text.startswith("# 华为云")  # the text keeps them
    assert_invariants(text, articles)


def test_numbered_subheadings_stay_in_their_article():
    text = (
        "数字乡村发展行动计划印发\n\n本报讯 有关部门印发行动计划，提出数字乡村建设目标。\n\n"
        "一、加快推进农村地区信息基础设施建设\n\n推进农村千兆光网和5G网络建设，提升覆盖水平。\n\n"
        "（二）提升农业生产和经营的智能化水平\n\n推广智能农机装备，建设数字农业示范基地。\n\n"
        "3. 完善乡村数字治理与公共服务体系\n\n推动政务服务向乡村延伸。\n\n"
        "第四章 加强数字乡村建设的组织保障\n\n各地要建立工作机制。"
    )
    [article] = segment(text)
    assert article.title == "数字乡村发展行动计划印发"
    assert [s.text[:2] for s in article.segments] == ["数字", "一、", "（二", "3.", "第四"]
    assert_invariants(text, [article])
    for headline in ("1.5万亿元专项债券发行工作全面启动", "3.5亿元", "2025年工作要点", "5G网络"):
        assert [a.title for a in segment(f"{headline}\n\n正文。")] == [headline]
    numbers = ("1）", "1)", "一）", "Ⅱ、", "II.", "第一条\u3000", "第二部分", "第三款 ", "2.1")
    for number in (*numbers, "2.1.3", "一是", "其一，", "①", "⑳", "A.", "a)"):
        heading = f"{number}加强数字乡村建设的组织保障工作"  # 15+ characters: else a headline
        text = f"计划印发\n\n正文讲数字乡村建设目标。\n\n\n{heading}\n\n各地要建立工作机制。"
        [article] = segment(f"{text}\n\n{heading}")  # after two blank lines, or not
        assert [s.text.split("\n")[0] for s in article.segments] == ["计划印发", heading]


def test_tiny_fragments_are_merged_not_dropped():
    text = "第一段讲云计算市场份额的变化。\n\n其次。\n\n第二段讲芯片出口管制的升级。"
    [article] = segment(text, min_chars=5)
    assert len(article.segments) == 2
    assert article.segments[1].text.startswith("其次。")
    assert_invariants(text, [article])
    assert len(segment(text, min_chars=0)[0].segments) == 3


def test_paragraph_cut_mid_sentence_is_joined_to_its_continuation():
    text = (
        "几家科技公司开发了机器学习模型。\n\n"
        "为降低天气预测的资金和能源成本，几家公司开发的机器学习模型，可以根据过去和当前的数据快速预测未来的全球天"
        "\n\n气状况。其中包括多家公司的模型。"
    )
    [article] = segment(text)
    assert [s.text[:4] for s in article.segments] == ["几家科技", "为降低天"]
    assert len(segment(text, max_chars=40)[0].segments) == 3


def test_sentence_windows():
    text = "第一句讲云。第二句讲芯片！第三句讲天气？第四句“引语。”\n\n另一段。"
    [article] = segment(text, sentences=2, min_chars=0)
    assert [s.text for s in article.segments] == [
        "第一句讲云。第二句讲芯片！",
        "第三句讲天气？第四句“引语。”",
        "另一段。",
    ]
    assert_invariants(text, [article])


def test_sentence_windows_do_not_cut_numbers_abbreviations_or_list_numbers():
    text = (
        "股价暴跌了3171亿美元(约合人民币2.3万亿元)。占比由20.1%升至44.2%!"
        "公司名为A.B.C. 网址是www.example.com。1. 加强基础设施建设。2. 培育新兴产业。"
    )
    [article] = segment(text, sentences=1, min_chars=0)
    assert [s.text for s in article.segments] == [
        "股价暴跌了3171亿美元(约合人民币2.3万亿元)。",
        "占比由20.1%升至44.2%!",
        "公司名为A.B.C.",
        "网址是www.example.com。",
        "1. 加强基础设施建设。",
        "2. 培育新兴产业。",
    ]
    assert_invariants(text, [article])
    assert [s.text for s in split_sentences("他说.然后走了...好")] == ["他说.", "然后走了...", "好"]


def test_a_long_paragraph_without_sentence_ends_is_read_once():
    # looking for sentences tried a sentence pattern from every character: quadratic time, so
    # a 200,000-character paragraph without punctuation took minutes with --sentences, and
    # regroup hung for hours cutting a longer one at its last sentence end
    text = "没有标点的长段落" * 25_000
    [article] = segment(text, sentences=2)
    assert [(s.start, s.end) for s in article.segments] == [(0, len(text))]
    parts = list(regroup([text * 4], limit=300_000))
    assert [len(p.text) for p in parts] == [300_000] * 2 + [200_000]


def test_text_without_blank_lines_is_split_by_lines():
    text = "第一行是一个完整的句子。\n第二行也是一个完整的句子。\n第三行还是一个完整的句子。"
    assert len(segment(text)[0].segments) == 3
    assert len(segment(text, paragraphs="blank")[0].segments) == 1


def test_empty_and_blank_texts_have_no_articles():
    assert segment("") == []
    assert segment(" \n\u3000\n\r\n") == []


def test_invalid_options():
    with pytest.raises(ValueError, match="paragraphs"):
        segment("x", paragraphs="pages")
    with pytest.raises(ValueError, match="sentences must be at least 1, not 0"):
        segment("x", sentences=0)
    with pytest.raises(TypeError, match="text must be a str, not bytes"):
        segment("云计算".encode())


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [  # were accepted silently; the CLI's options refuse them
        ({"min_chars": -1}, ValueError, "min_chars must be at least 0, not -1"),
        ({"max_chars": -5}, ValueError, "max_chars must be at least 0, not -5"),
        ({"sentences": -2}, ValueError, "sentences must be at least 1, not -2"),
        ({"min_chars": 2.5}, TypeError, "min_chars must be an integer, not float"),
        ({"max_chars": "500"}, TypeError, "max_chars must be an integer, not str"),
        ({"sentences": True}, TypeError, "sentences must be an integer, not bool"),
    ],
)
def test_counts_out_of_range_or_of_the_wrong_type_are_refused(options, error, message):
    with pytest.raises(error, match=message):
        segment("第一段讲云计算。\n\n第二段讲芯片。", **options)


def test_numpy_integers_are_counts_and_segmenting_imports_no_numpy():
    import numpy as np

    text = "第一句。第二句。第三句。"
    windows = segment(text, min_chars=np.int64(0), max_chars=np.int32(50), sentences=np.int64(2))
    assert [s.text for a in windows for s in a.segments] == ["第一句。第二句。", "第三句。"]
    code = "import sys, tagger.segmenting; print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'scipy'}))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_files_have_several_titled_articles(path: Path):
    text = path.read_text(encoding="utf-8")
    articles = segment(text)
    assert len(articles) >= 3
    assert all(a.title for a in articles)
    assert_invariants(text, articles)


def spans(articles, offset: int = 0) -> list:
    """Titles and offsets of articles and their segments, ``offset`` added."""
    return [
        (
            a.title,
            a.start + offset,
            a.end + offset,
            [(s.start + offset, s.end + offset) for s in a.segments],
        )
        for a in articles
    ]


def test_regrouped_pieces_segment_like_the_whole_text():
    article = (
        "云计算市场迎来变局\n\n本报记者 张三\n\n"
        + "阿里云下调云服务器价格，云计算价格战升级。\n\n" * 200
        + "一、加快推进农村地区信息基础设施建设\n\n推进农村千兆光网建设。\n\n"
        + "芯片快讯\n\n本报讯 芯片出口管制再度升级引发业界关注\n\n美国升级芯片出口管制。\n\n\n"
    )
    lines = article.replace("\n\n\n", "\n").replace("\n\n", "\n")  # no blank line: a block a line
    for text, paragraphs in ((article * 3, "auto"), (lines * 3, "auto"), (lines * 3, "line")):
        for size in (7, 100, 4096):
            pieces = (text[i : i + size] for i in range(0, len(text), size))
            parts = list(regroup(pieces, paragraphs))
            assert "".join(p.text for p in parts) == text
            held = paragraphs == "auto" and text == lines * 3  # until it shows a blank line
            assert len(parts) == 1 if held else len(parts) > 3
            found = [
                span
                for p in parts
                for span in spans(segment(p.text, paragraphs=p.paragraphs), p.start)
            ]
            assert found == spans(segment(text, paragraphs=paragraphs))


def test_regroup_cuts_an_article_longer_than_the_limit():
    text = "他说云计算市场正在变化，芯片出口管制升级。" * 500  # no line break, 10,500 characters
    parts = list(regroup((text[i : i + 700] for i in range(0, len(text), 700)), limit=4000))
    assert "".join(p.text for p in parts) == text
    assert [p.continued for p in parts] == [False, True, True]
    assert all(len(p.text) <= 4000 and ends_sentence(p.text) for p in parts)
    text = "第一段讲云计算市场份额的变化情况。\n\n" * 500  # cut at a blank line rather
    parts = list(regroup([text], limit=4000))
    assert "".join(p.text for p in parts) == text
    assert all(p.text.startswith("第一段") and p.text.endswith("。\n\n") for p in parts)
    assert all(2000 <= len(p.text) <= 4000 for p in parts[:-1])


def test_split_sentences_and_sentence_ends():
    assert [s.text for s in split_sentences("你好。他说：“走吧！”好的")] == [
        "你好。",
        "他说：“走吧！”",
        "好的",
    ]
    assert ends_sentence("结束了。”")
    assert not ends_sentence("没有结束")


def test_a_byte_order_mark_counts_as_whitespace():
    text = "\ufeff标题在这里\r\n\r\n第一段讲云计算的市场份额。\r\n\ufeff\r\n\ufeff第二段讲芯片出口管制。\ufeff"
    [article] = segment(text)
    assert article.title == "标题在这里"
    assert (article.start, article.end) == (1, len(text) - 1)
    assert [s.text for s in article.segments] == [
        "标题在这里\r\n\r\n第一段讲云计算的市场份额。",
        "第二段讲芯片出口管制。",
    ]
    assert all(text[s.start : s.end] == s.text for s in article.segments)
    assert segment("\ufeff") == segment("\ufeff\n\ufeff \n") == []
    # a line holding only a BOM is a blank line: the text is cut into paragraphs, not lines
    text = "第一段讲云计算，\n市场份额继续增长。\n\ufeff\n第二段讲芯片出口管制。"
    assert [s.text[:3] for a in segment(text) for s in a.segments] == ["第一段", "第二段"]
    pieces = [text[:20], text[20:]]  # the first piece ends with the BOM
    assert text[19] == "\ufeff"
    assert [p.paragraphs for p in regroup(pieces, limit=len(text))] == ["blank"]


JUMP_CUT = (
    "今年以来，本市加快推进老旧小区改造，计划开工改造小区三百个。住建委表示，将优先解决加装电梯"
)
JUMP_REST = "、管网更新和停车难等问题，并同步推进社区养老设施建设。"
OTHER = "科技创新大会在京开幕\n\n本报讯 昨日，全国科技创新大会在京开幕，代表们齐聚一堂。"


def test_newspaper_jump_lines_are_no_articles_or_headlines():
    # a jump line alone after two blank lines ends its article: no article of its own
    text = f"城市更新进入快车道\n\n{JUMP_CUT}\n\n\n（下转第3版）\n\n\n{OTHER}\n\n\n（上接第1版）\n\n{JUMP_REST}"
    articles = segment(text)
    assert [a.title for a in articles] == ["城市更新进入快车道", "科技创新大会在京开幕", None]
    assert articles[0].segments[-1].text.endswith("加装电梯\n\n\n（下转第3版）")
    assert articles[2].segments[0].text.startswith("（上接第1版）\n\n、管网更新")
    assert_invariants(text, articles)
    # a headline repeated over the continued part is a headline: the jump line says so
    text = f"{OTHER}\n\n下转第二版\n\n城市更新进入快车道\n\n（接第一版）\n\n{JUMP_REST}"
    articles = segment(text)
    assert [a.title for a in articles] == ["科技创新大会在京开幕", "城市更新进入快车道"]
    assert articles[0].segments[-1].text.endswith("齐聚一堂。\n\n下转第二版")
    assert articles[1].segments[0].text.startswith("城市更新进入快车道\n\n（接第一版）")
    assert_invariants(text, articles)


def test_a_paragraph_coming_from_another_page_after_two_blank_lines_starts_an_article():
    # （上接第1版） opening a paragraph, not on a line of its own: after two blank lines it was
    # taken as one more paragraph of the article before, which it has nothing to do with
    for jump in ("（上接第1版）", "◀上接A1版", "（續第1版）"):
        text = f"{OTHER}\n\n\n{jump}{JUMP_REST}\n\n另一段，讲社区养老设施的建设进度。"
        articles = segment(text)
        assert [a.title for a in articles] == ["科技创新大会在京开幕", None]
        assert articles[1].segments[0].text == f"{jump}{JUMP_REST}"
        assert_invariants(text, articles)
        for size in (1, 7, 64):
            pieces = (text[i : i + size] for i in range(0, len(text), size))
            assert [
                s
                for p in regroup(pieces)
                for s in spans(segment(p.text, paragraphs=p.paragraphs), p.start)
            ] == spans(articles)
    text = f"{OTHER}\n\n（上接第1版）{JUMP_REST}"  # after one blank line: as before
    assert len(segment(text)) == 1


def test_traditional_jump_lines():
    text = f"{OTHER}\n\n\n（下轉第3版）\n\n\n（續第1版）\n\n{JUMP_REST}"
    articles = segment(text)
    assert [a.title for a in articles] == ["科技创新大会在京开幕", None]
    assert articles[0].segments[-1].text.endswith("一堂。\n\n\n（下轉第3版）")
    assert_invariants(text, articles)


def test_a_paragraph_sent_to_another_page_joins_only_the_text_coming_from_there():
    text = f"{JUMP_CUT}（转A4版）\n\n另一篇稿件的正文，讲全市交通运行情况和地铁客流的变化。"
    assert len(segment(text)[0].segments) == 2  # the next paragraph does not continue it
    text = f"{JUMP_CUT}（下转第3版）\n\n（上接第1版）{JUMP_REST}"
    [article] = segment(text)
    assert [s.text for s in article.segments] == [text]
    assert_invariants(text, [article])


def test_regrouped_pieces_find_the_same_jump_lines():
    text = (
        f"{OTHER}\n\n\n（下转第3版）\n\n\n城市更新进入快车道\n\n（上接第1版）\n\n{JUMP_REST}\n\n"
        f"{JUMP_CUT}（下转第3版）\n\n（上接第1版）{JUMP_REST}\n\n\n（接第一版）\n\n{JUMP_REST}"
    )
    whole = spans(segment(text))
    assert [title for title, *_ in whole] == ["科技创新大会在京开幕", "城市更新进入快车道", None]
    for size in (1, 5, 13, 64):
        pieces = (text[i : i + size] for i in range(0, len(text), size))
        parts = list(regroup(pieces))
        assert [
            s for p in parts for s in spans(segment(p.text, paragraphs=p.paragraphs), p.start)
        ] == whole


def test_rules_and_end_marks_between_articles_are_no_articles():
    first = (
        "城市更新进入快车道\n\n本报记者 李明\n\n今年以来，本市加快推进老旧小区改造，开工三百个。"
    )
    for mark in ("——————", "----------", "＊＊＊", "（完）", "(END)"):
        text = f"{first}\n\n\n{mark}\n\n\n{OTHER}"
        articles = segment(text)
        assert [a.title for a in articles] == ["城市更新进入快车道", "科技创新大会在京开幕"]
        assert articles[0].segments[-1].text.endswith(f"开工三百个。\n\n\n{mark}")
        assert_invariants(text, articles)
    # the paragraph after an end mark does not continue the one before it
    text = f"{JUMP_CUT}\n\n（完）\n\n另一篇稿件的正文，讲全市交通运行情况和地铁客流的变化。"
    assert [s.text[-3:] for s in segment(text)[0].segments] == ["（完）", "变化。"]


@pytest.mark.parametrize(
    "lead",
    [
        "【本报讯】记者张三报道：台风昨日逼近本港。",
        "【新华社电】台风昨日逼近。",
        "〔本报记者 张三〕",
    ],
)
def test_a_lead_or_byline_in_brackets_marks_a_headline(lead):
    text = f"{JUMP_CUT}。\n\n台风逼近\n\n{lead}\n\n天文台昨晚发出八号风球，多区停课。"
    articles = segment(text)
    assert [a.title for a in articles] == [None, "台风逼近"]
    assert_invariants(text, articles)
    text = text.replace(lead, "【记者手记】台风来的那一夜")  # a column title: a sub-heading
    assert len(segment(text)) == 1


def test_traditional_bylines_and_leads_mark_headlines():
    text = (
        "城市更新進入快車道\n\n本報記者 陳大文\n\n今年以來，本市加快推進老舊小區改造。\n\n"
        "科技創新大會在京開幕\n\n本報訊 昨日，全國科技創新大會在京開幕，代表齊聚一堂。\n\n"
        "港府公布資助計劃\n\n新華社香港11月20日電 特區政府昨日公布新一輪創科資助計劃。\n\n"
        "颱風逼近\n\n【本報訊】記者陳大文報導：颱風昨日逼近本港。\n\n"
        "颱風過後\n\n記者 陳大文 攝\n\n颱風過後，市民清理街道。\n\n"  # a photo credit
        "記者手記\n\n記者從商務部獲悉，颱風過後，市民清理街道。"  # a column, a sentence
    )
    articles = segment(text)
    assert [a.title for a in articles] == [
        "城市更新進入快車道",
        "科技創新大會在京開幕",
        "港府公布資助計劃",
        "颱風逼近",
    ]
    assert [s.text[:4] for s in articles[-1].segments] == ["颱風逼近", "颱風過後", "記者手記"]
    assert_invariants(text, articles)


SUBTITLED = (
    "城市更新进入快车道\n\n——访市住建委主任李明\n\n本报记者 王五\n\n"
    "今年以来，本市加快推进老旧小区改造，全年计划开工改造小区三百个。"
)


def test_a_subtitle_under_a_headline_is_no_headline():
    # the subtitle was the title and the headline ended the article before
    text = f"{OTHER}\n\n{SUBTITLED}\n\n\n——全年计划开工三百个\n\n{JUMP_REST}"
    articles = segment(text)
    assert [a.title for a in articles] == ["科技创新大会在京开幕", "城市更新进入快车道", None]
    assert articles[0].segments[-1].text.endswith("齐聚一堂。")
    assert articles[1].segments[0].text.startswith("城市更新进入快车道\n\n——访")
    assert_invariants(text, articles)


@pytest.mark.parametrize(
    "note",
    [
        "（原标题：美方升级芯片管制措施）",
        "原标题：美方升级芯片管制措施",
        "(原標題：美方升級晶片管制)",
    ],
)
def test_a_reprints_original_headline_is_no_headline(note):
    # portals reprint with the original headline under theirs: before the lead, it was taken
    # for the headline, and the real one was left an article of its own (or a sub-heading of
    # the article before)
    lead = "新华社北京10月18日电 外交部发言人17日表示，中方坚决反对。"
    for before in ("", f"{OTHER}\n\n"):
        text = f"{before}美国升级芯片出口管制\n\n{note}\n\n{lead}"
        articles = segment(text)
        assert articles[-1].title == "美国升级芯片出口管制"
        assert articles[-1].segments[0].text == f"美国升级芯片出口管制\n\n{note}\n\n{lead}"
        assert len(articles) == (2 if before else 1)
        assert_invariants(text, articles)
        pieces = (text[i : i + 5] for i in range(0, len(text), 5))
        assert [
            s
            for p in regroup(pieces)
            for s in spans(segment(p.text, paragraphs=p.paragraphs), p.start)
        ] == spans(articles)


def test_regrouped_pieces_find_the_same_subtitled_headlines():
    text = f"{OTHER}\n\n{SUBTITLED}\n\n" * 3 + f"城市更新\n\n——访李明\n\n——续\n\n{OTHER}"
    whole = spans(segment(text))
    assert [title for title, *_ in whole].count("城市更新进入快车道") == 3
    for size in (1, 5, 13, 64):
        pieces = (text[i : i + size] for i in range(0, len(text), size))
        parts = list(regroup(pieces))
        assert [
            s for p in parts for s in spans(segment(p.text, paragraphs=p.paragraphs), p.start)
        ] == whole


@pytest.mark.parametrize("note", ["（记者 张三）", "(章文)", "（图片来源：视觉中国）"])
def test_a_note_in_brackets_after_a_sentence_end_ends_the_paragraph(note):
    # the next paragraph was joined to it as if the layout had cut it mid-sentence
    text = f"城市更新\n\n今年以来，本市加快推进老旧小区改造，开工三百个。{note}\n\n{OTHER[12:]}"
    [article] = segment(text)
    assert [s.text[-len(note) :] for s in article.segments] == [note, OTHER[-len(note) :]]
    assert_invariants(text, [article])
    # a bracket closing a sentence that goes on is no note
    assert len(segment(text.replace(f"。{note}", "，微软（MSFT）"))[0].segments) == 1


def test_zero_width_characters_count_as_whitespace():
    # text copied from a web page: zero width spaces on the blank lines and before paragraphs
    text = (
        "城市更新进入快车道\n\u200b\n本报记者 李明\n\u200b\n\u200b今年以来，本市加快推进老旧小区改造，"
        "全年计划开工三百个。\n\u2060\u200d\n据介绍，今年的改造更加注重居民参与。\u200c"
    )
    [article] = segment(text)
    assert article.title == "城市更新进入快车道"
    assert [s.text[:4] for s in article.segments] == ["城市更新", "据介绍，"]
    assert article.segments[-1].text.endswith("参与。")
    assert all(text[s.start : s.end] == s.text for s in article.segments)
    assert segment("\u200b\n\u2060") == []


AGENCY = (  # /work/audit3/agency.txt of the audit: a sub-heading before 据路透社报道
    "芯片出口管制再升级\n\n"
    "美国商务部近日发布新规，进一步收紧对先进计算芯片的出口限制，涉及多家中国企业。\n\n"
    "多国表态\n\n"
    "据路透社报道，日本和荷兰也在考虑跟进相关限制措施，但尚未作出最终决定，业内人士认为影响有限。\n\n"
    "分析人士指出，新规将对全球半导体供应链产生深远影响。\n"
)
REPORTER = (  # /work/audit3/byline.txt: a sub-heading before 记者从…获悉
    "消费市场持续回暖\n\n"
    "今年以来，各地出台多项促消费政策，消费市场呈现回暖态势，零售额稳步增长。\n\n"
    "假日消费亮点多\n\n"
    "记者从商务部获悉，五一假期零售额同比增长。\n\n"
    "业内人士认为，消费回暖的势头有望延续，但仍需政策持续发力。\n"
)


def _with_lead(lead: str) -> str:
    """AGENCY with ``lead`` in place of its paragraph after the sub-heading 多国表态."""
    old = AGENCY.split("\n\n")[3]
    assert old.startswith("据路透社报道")
    return AGENCY.replace(old, lead)


@pytest.mark.parametrize(
    "lead",
    [
        "据路透社报道，日本和荷兰也在考虑跟进相关限制措施。",
        "记者从商务部获悉，五一假期零售额同比增长。",
        "本报记者从商务部获悉，五一假期零售额同比增长。",
        "新华社记者了解到，五一假期零售额同比增长。",
        "记者 从商务部获悉，五一假期零售额同比增长。",
        "新华社发布的数据显示，五一假期零售额同比增长。",
        "中新社援引官方数据称，五一假期零售额同比增长。",
        "记者手记",
        # function words after 记者, agencies mid-sentence or after 据
        "记者向有关部门核实，五一假期零售额同比增长。",
        "记者和专家一起走访了多家工厂。",
        "记者多方求证后得知，五一假期零售额同比增长。",
        "记者都注意到，五一假期零售额同比增长。",
        "记者在线",
        "记者对话",
        "据新华社电，日本和荷兰也在考虑跟进相关限制措施。",
        "新华社电视台报道，日本和荷兰也在考虑跟进相关限制措施。",
        "人民网消息称，日本和荷兰也在考虑跟进相关限制措施。",
        "日本和荷兰也在考虑跟进，新华社电 称相关限制措施将出台。",
        # column titles and photo credits
        *(f"记者{w}" for w in ("见闻", "札记", "探营", "暗访", "述评", "点评", "视角")),
        *(f"记者{w}" for w in ("亲历", "感言", "追问", "解读", "实测", "手记", "观察")),
        "本报记者调查",
        "记者 张三 摄",
        "本报记者 张三 李四 摄影",
        "■记者 张三/摄",
        # sentences opening like a source line, a bare date, lines found after an article
        "来源于海关总署的数据显示，日本和荷兰的出口增长5%。",
        "作者认为，日本和荷兰也在考虑跟进相关限制措施。",
        "2026年11月20日，日本和荷兰宣布跟进相关限制措施。",
        "时间：11月20日上午9时 地点：人民大会堂",
        "2026年11月20日",
        "责任编辑：王芳",
        "版权所有 © 2026 新华网",
        "分享到：微信 微博",
    ],
)
def test_a_sub_heading_before_a_lead_that_names_no_reporter_stays_in_its_article(lead):
    text = _with_lead(lead)
    [article] = segment(text)
    assert article.title == "芯片出口管制再升级"
    assert article.segments[1].text.startswith(f"多国表态\n\n{lead}")


def test_the_audits_sub_headings_stay_in_their_article_and_a_reporters_sentence_is_no_byline():
    [article] = segment(AGENCY)
    assert [s.text[:4] for s in article.segments] == ["芯片出口", "多国表态", "分析人士"]
    [article] = segment(REPORTER)
    assert article.title == "消费市场持续回暖"
    assert [s.text for s in article.segments][1:] == [  # its own segment, not the next one's
        "假日消费亮点多\n\n记者从商务部获悉，五一假期零售额同比增长。",
        "业内人士认为，消费回暖的势头有望延续，但仍需政策持续发力。",
    ]


@pytest.mark.parametrize(
    "lead",
    [
        "本报讯 日本和荷兰也在考虑跟进相关限制措施。",
        "本报记者 张三",
        "本报记者 张三 通讯员 李四",
        "记者 张三 李四",
        "记者：王五",
        "新华社记者 赵六",
        "文/张三",
        "本报记者 张三 报道 日本和荷兰也在考虑跟进相关限制措施。",
        "记者张三报道 日本和荷兰也在考虑跟进相关限制措施。",
        "新华社北京11月20日电（记者 张三）日本和荷兰也在考虑跟进相关限制措施。",
        "新华社华盛顿2024年11月20日电 日本和荷兰也在考虑跟进相关限制措施。",
        "中新网11月20日电 日本和荷兰也在考虑跟进相关限制措施。",
        "中新社北京十一月二十日电 日本和荷兰也在考虑跟进相关限制措施。",
        "人民网东京11月20日电 日本和荷兰也在考虑跟进相关限制措施。",
        "本报上海3月5日讯 日本和荷兰也在考虑跟进相关限制措施。",
    ],
)
def test_a_heading_before_a_dateline_or_byline_starts_an_article(lead):
    assert_splits_before(lead)


def assert_splits_before(lead: str) -> None:
    """AGENCY with ``lead`` after its sub-heading is two articles, the second titled by it."""
    text = _with_lead(lead)
    articles = segment(text)
    assert [a.title for a in articles] == ["芯片出口管制再升级", "多国表态"]
    assert_invariants(text, articles)


def test_regrouped_pieces_find_the_same_datelines_and_bylines():
    text = "".join(
        _with_lead(lead) + "\n"
        for lead in (
            "新华社北京11月20日电 日本和荷兰也在考虑跟进。",
            "记者 张三 李四",
            "本报讯 日本。",
        )
    )
    text += AGENCY + REPORTER
    whole = spans(segment(text))
    assert [t for t, *_ in whole].count("多国表态") == 3
    for size in (1, 5, 13, 64):
        pieces = (text[i : i + size] for i in range(0, len(text), size))
        parts = list(regroup(pieces))
        assert [
            s for p in parts for s in spans(segment(p.text, paragraphs=p.paragraphs), p.start)
        ] == whole


SUB = (  # /work/audit4/seg/sub.txt: column titles and a photo credit after sub-headings
    "折叠屏手机出货量大增\n\n"
    "今年第三季度折叠屏手机出货量同比增长五成，多家厂商推出新品。\n\n"
    "上手体验\n\n"
    "记者实测\n\n"
    "记者实测了多款折叠屏手机，铰链耐用性明显提升。\n\n"
    "价格仍是门槛\n\n"
    "记者 张三 摄\n\n"
    "多数折叠屏手机售价仍在万元左右。"
)


def test_a_column_title_or_photo_credit_after_a_sub_heading_stays_in_its_article():
    [article] = segment(SUB)
    assert article.title == "折叠屏手机出货量大增"
    assert [s.text.split("\n")[0] for s in article.segments] == [
        "折叠屏手机出货量大增",
        "上手体验",
        "价格仍是门槛",
    ]
    assert_invariants(SUB, [article])


@pytest.mark.parametrize(
    "lead",
    [
        "本报记者 向雪妮",
        "本报记者 向阳",
        "记者 和静",
        "记者和平",
        "特约记者 多吉",
        "记者 都兰",
        "本报记者 向雪妮 李四",
        "本报记者 张三 摄影报道",
        "新华社电 日本和荷兰也在考虑跟进相关限制措施。",
        "本报电 日本和荷兰也在考虑跟进相关限制措施。",
        "中新社北京电 日本和荷兰也在考虑跟进相关限制措施。",
        "新华社电（记者 张三）日本和荷兰也在考虑跟进相关限制措施。",
        "■本报记者 赵六",
        "● 记者 张三 李四",
        "▲本报讯 日本和荷兰也在考虑跟进相关限制措施。",
        "央视网消息 日本和荷兰也在考虑跟进相关限制措施。",
        "央视网消息：日本和荷兰也在考虑跟进相关限制措施。",
        "新华网北京11月20日电 日本和荷兰也在考虑跟进相关限制措施。",
        "人民网北京11月20日电 日本和荷兰也在考虑跟进相关限制措施。",
    ],
)
def test_a_heading_before_a_name_that_starts_with_a_function_word_or_an_undated_lead_splits(lead):
    assert_splits_before(lead)


def test_a_photo_credit_after_the_headline_at_the_top_of_a_text_keeps_its_title():
    text = "芯片出口管制再升级\n\n记者 张三 摄\n\n美国商务部近日发布新规，进一步收紧出口限制。"
    [article] = segment(text)
    assert article.title == "芯片出口管制再升级"


def test_regrouped_pieces_find_the_same_column_titles_names_and_undated_leads():
    leads = ("记者实测", "记者 张三 摄", "本报记者 向雪妮", "新华社电 日本。", "■本报记者 赵六")
    text = "".join(_with_lead(lead) + "\n" for lead in leads) + SUB
    whole = spans(segment(text))
    assert [t for t, *_ in whole].count("多国表态") == 3
    for size in (1, 7, 64):
        pieces = (text[i : i + size] for i in range(0, len(text), size))
        parts = list(regroup(pieces))
        assert [
            s for p in parts for s in spans(segment(p.text, paragraphs=p.paragraphs), p.start)
        ] == whole


FURNITURE = (  # a news page copied into a text file: a date and source line, footer lines
    "华为发布新一代昇腾芯片\n"
    "2026-11-20 08:30:15 来源：新华网 作者：李明\n\n"
    "新华网北京11月20日电 华为公司20日在深圳发布新一代昇腾人工智能芯片，算力较上一代提升一倍，"
    "将用于其云计算数据中心。\n\n"
    "业内人士认为，在美国芯片出口管制背景下，国产芯片的自主研发进程正在加快。\n\n"
    "责任编辑：王芳\n"
    "（本文来源：新华网）\n"
    "版权所有 © 2026 新华网 未经授权禁止转载\n"
    "分享到：微信 微博 QQ空间\n"
)
PREVIOUS = "上一篇文章的最后一段，讲云计算市场份额的变化。\n\n"  # one blank line before the next
LEAD = "华为公司20日在深圳发布新一代昇腾人工智能芯片，算力较上一代提升一倍。"  # no dateline


def test_a_date_and_source_line_under_a_headline_marks_it_and_footer_lines_are_one_segment():
    # the headline and the date line were one block of two lines: no heading, no title; the
    # block, ending no sentence, was joined to the lead as a paragraph cut mid-sentence
    [article] = segment(FURNITURE)
    assert article.title == "华为发布新一代昇腾芯片"
    lead, second, footer = article.segments
    assert lead.text.startswith("华为发布新一代昇腾芯片\n2026-11-20")
    assert lead.text.endswith("云计算数据中心。")
    assert second.text.startswith("业内人士认为") and second.text.endswith("正在加快。")
    assert footer.text == FURNITURE[FURNITURE.index("责任编辑") :].strip()
    assert_invariants(FURNITURE, [article])
    [narrow] = segment(FURNITURE, max_chars=60)  # the date line is no paragraph's beginning
    assert narrow.title == "华为发布新一代昇腾芯片"
    assert [s.text.split("\n")[-1][:4] for s in narrow.segments] == [
        "新华网北",
        "业内人士",
        "分享到：",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "2026-11-20 08:30:15 来源：新华网 作者：李明",
        "2026年11月20日 10:05  来源：人民网",
        "2026年11月20日08:30 | 来源：人民网－人民日报",
        "2026-11-20 08:30 来源：澎湃新闻",
        "2026年11月20日 08:30 新浪科技",
        "2026-11-20 新浪科技",  # a source named after a date alone
        "2026年11月20日  某某日报",
        "11月20日 08:30 来源：新华社",  # a date without the year, fields after it
        "11月20日 来源：某某网 作者：李明",
        "11-20 08:30 来源：新华社",
        "2026年11月20日 星期五 10:05",
        "发布时间：2026-11-20",
        "时间：2026-11-20 08:30 来源：商务部",
        "来源：人民网-人民日报 2026-11-20 08:30",
        "作者：李明 来源：新华网",
        "2026年11月20日 10:05  來源：中央社",  # Traditional Chinese
        "發布時間：2026-11-20 10:05 來源：商務部",
    ],
)
def test_a_headline_over_a_date_and_source_line_starts_an_article(line):
    for paragraphs, gap in (("blank", "\n\n"), ("line", "\n")):
        text = f"{PREVIOUS}华为发布新一代昇腾芯片\n{line}\n\n{LEAD}".replace("\n\n", gap)
        articles = segment(text, paragraphs=paragraphs)
        assert [a.title for a in articles] == [None, "华为发布新一代昇腾芯片"], paragraphs
        [segment_] = articles[1].segments  # the headline and the line join the lead
        assert segment_.text.startswith("华为发布新一代昇腾芯片\n") and segment_.text.endswith(LEAD)
        assert_invariants(text, articles)


@pytest.mark.parametrize(
    "footer",
    [
        "责任编辑：王芳",
        "责编：王芳",
        "编辑：王芳\n校对：李四\n审核：赵六",
        "（本文来源：新华网）",
        "（责任编辑：王芳）",
        "[责任编辑:王芳 SN225]",
        "版权所有 © 2026 新华网",
        "新华网版权所有",
        "未经授权，禁止转载",
        "Copyright © 2000-2026 XINHUANET.com All Rights Reserved.",
        "分享到：微信 微博 QQ空间",
        "扫一扫在手机打开当前页",
        "来源：新华网",
        "責任編輯：王芳",  # Traditional Chinese
        "（本文來源：新華網）",
        "版權所有 未經授權禁止轉載",
        # notices ending with a full stop: a short one was merged into the last paragraph, a
        # longer one was a paragraph of its own, cut from the footer lines after it
        "转载请注明出处。",
        "谢绝转载。",
        "未经许可，不得转载。",
        "版权所有，未经授权不得转载。\n分享到：微信 微博",
        "本文为某某网原创，转载请注明出处。\n扫一扫在手机打开当前页",
        "版权声明：本文为原创，未经授权不得转载。\n责任编辑：王芳",
        "（本文系作者授权本站发布，转载请联系作者。）\n责任编辑：王芳",
        "未经本网授权，任何单位和个人不得转载或复制本站内容。违者必究。\n分享到：微信",
        "版權所有，未經授權不得轉載。\n責任編輯：王芳",
        # a row of a page's buttons was merged into the last paragraph
        "【打印】【关闭】",
        "【纠错】 【打印本页】 【关闭窗口】",
        "[打印] [关闭]",
        "【字号：大 中 小】【打印】【关闭】",
        "责任编辑：王芳\n【打印】",
        "【打印本頁】【關閉窗口】",
    ],
)
def test_lines_after_the_last_paragraph_are_a_segment_of_their_own(footer):
    # short footer lines were merged into the last paragraph, adding their words to its tags
    last = "业内人士认为，国产芯片的自主研发进程正在加快。"
    for gap in ("\n\n", "\n"):  # a blank line before them, or none
        text = f"华为发布新一代昇腾芯片\n\n{LEAD}\n\n{last}{gap}{footer}\n"
        [article] = segment(text, paragraphs="blank")
        assert [s.text for s in article.segments][1:] == [last, footer]
        assert_invariants(text, [article])
    lines = f"华为发布新一代昇腾芯片\n{LEAD}\n{last}\n{footer}"
    [article] = segment(lines)  # no blank line: a block a line
    assert [s.text for s in article.segments][1:] == [last, footer]


def test_a_short_sentence_before_the_footer_stays_with_the_text():
    # 谢谢。 (a fragment under min_chars) joined the footer's segment, as if a page's line
    last = "发言人表示，将继续推进数字乡村试点工作，欢迎各界监督。"
    footer = "相关新闻\n责任编辑：王芳\n【打印】【关闭】"  # a heading before it stays with it
    for gap, paragraphs in (("\n\n", "blank"), ("\n", "line")):
        for ending in ("谢谢。", "谢谢。\n（完）"):
            text = gap.join(["发布会实录", LEAD, last, *ending.split("\n"), *footer.split("\n")])
            [article] = segment(text, paragraphs=paragraphs)
            *_, closing, foot = [s.text for s in article.segments]
            assert closing == gap.join([last, *ending.split("\n")])
            assert foot == footer.replace("\n", gap)
            assert_invariants(text, [article])


def test_no_paragraph_continues_across_a_date_or_source_line():
    cut = "为降低天气预测的资金和能源成本，几家公司开发的机器学习模型，可以根据过去和当前的数据"
    text = (
        f"天气预测模型\n\n{cut}\n\n来源：新华网\n\n快速预测未来的全球天气状况。"  # cut mid-sentence
    )
    [article] = segment(text)
    assert [s.text for s in article.segments] == [
        f"天气预测模型\n\n{cut}",
        "来源：新华网\n\n快速预测未来的全球天气状况。",
    ]


@pytest.mark.parametrize(
    "headline",
    [
        "2026年11月20日国务院常务会议召开",
        "2026-11-20 国务院常务会议召开",
        "11月20日 08:30 国务院常务会议召开",
        "11月20日 财经早报",  # a date and a column's name, without the year or with it
        "2026-11-20 财经早报",
        "2026年11月20日·科技快报",
        "版权所有者起诉人工智能公司侵权",
        "扫一扫就能付款？警惕诈骗新套路",
        "分享经济迎来新机遇",
        "分享到朋友圈的照片引发热议",
        "【评论】",  # a column's title in brackets, not a button
        "【打印机】",
    ],
)
def test_a_headline_with_a_date_or_a_furniture_word_is_still_a_headline(headline):
    for text in (
        f"{headline}\n\n本报讯 国务院总理主持召开国务院常务会议，部署相关工作。",
        f"{PREVIOUS}\n{headline}\n\n本报讯 国务院总理主持召开国务院常务会议，部署相关工作。",
        f"{headline}\n2026-11-20 08:30 来源：新华网\n\n{LEAD}",
    ):
        titles = [a.title for a in segment(text)]
        assert titles[-1] == headline


def test_sentences_opening_like_a_source_line_are_text_in_line_mode_too():
    paragraphs = [
        "来源于海关总署的数据显示，前10个月出口增长5%。",
        "作者认为，这一趋势仍将持续。",
        "来源：海关总署的数据显示，前10个月出口增长5%。",
        "2026年11月20日，国务院常务会议召开，部署相关工作。",
        "网络平台未经授权不得转载新闻作品，多家媒体为此发表声明。",
        "转载请注明出处的规定，被不少网站当成了摆设。",  # a copyright notice's words, in prose
        "未经许可，不得入内。",
        "学生不得复制他人作业。",
    ]
    text = "\n".join(["出口数据公布", *paragraphs])  # a line a paragraph
    [article] = segment(text, min_chars=0)
    assert article.title == "出口数据公布"
    assert [s.text for s in article.segments] == [f"出口数据公布\n{paragraphs[0]}", *paragraphs[1:]]


def test_regrouped_pieces_find_the_same_date_source_and_footer_lines():
    # a line is a date and source line or not only once it is whole: a piece may end inside it
    text = (
        FURNITURE
        + PREVIOUS
        + "云计算市场迎来变局\n2026年11月20日 10:05  来源：人民网 作者：李明 编辑：王芳 校对：李四\n\n"
        + LEAD
        + "\n来源：海关总署的数据显示，前10个月出口增长5%，较上年同期加快1.2个百分点。\n\n"
        + "芯片快讯\n来源：新华网\n\n"
        + LEAD
        + "\n责任编辑：王芳\n\n"
    )
    for texts, paragraphs in ((text, "auto"), (text.replace("\n\n", "\n"), "line")):
        whole = spans(segment(texts, paragraphs=paragraphs))
        assert [t for t, *_ in whole].count("云计算市场迎来变局") == 1
        for size in (1, 5, 13, 64):
            pieces = (texts[i : i + size] for i in range(0, len(texts), size))
            parts = list(regroup(pieces, paragraphs))
            assert len(parts) > 1
            assert [
                s for p in parts for s in spans(segment(p.text, paragraphs=p.paragraphs), p.start)
            ] == whole


# a newspaper's headline stack: a kicker (引题), the headline (主题), a subtitle (副题), on
# consecutive lines; it was one block of several lines, so never a headline: the article it
# heads ran on from the one before, untitled
KICKER, HEADLINE, SUBTITLE = (
    "聚焦数字乡村建设",
    "数字技术赋能乡村振兴",
    "——某县推进数字乡村试点纪实",
)
STACK_TEXT = "近年来，某县大力推进数字乡村建设，农村电商、智慧农业快速发展，村民收入稳步增长。"
STACK_BEFORE = "第一篇文章的最后一段讲云计算市场份额的变化。"


@pytest.mark.parametrize(
    "stack",
    [
        f"{HEADLINE}\n{SUBTITLE}",
        f"{KICKER}\n{HEADLINE}\n{SUBTITLE}",
        f"{KICKER}\n{HEADLINE}",
        f"\u3000\u3000{KICKER}\r\n\u3000\u3000{HEADLINE}\r\n{SUBTITLE}",  # indented, CRLF
        f"{HEADLINE}\n——某县推进数字乡村试点纪实\n——乡村振兴系列报道之三",
        f"{HEADLINE}\n（原标题：某县推进数字乡村试点）",
    ],
)
@pytest.mark.parametrize(
    ("gap", "lead"),  # before a byline or lead, or after two blank lines
    [
        ("\n\n", "本报记者 张三\n\n"),
        ("\n\n", "新华社北京11月20日电 "),
        ("\n\n", "记者 张三 李四\n\n"),
        ("\n\n", "本报讯 "),
        ("\n\n\n", ""),
    ],
)
def test_a_heading_stack_starts_an_article_titled_by_its_headline(stack, gap, lead):
    article = f"{stack}\n\n{lead}{STACK_TEXT}\n\n第二段讲具体做法和成效。"
    text = f"{STACK_BEFORE}{gap}{article}"
    articles = segment(text)
    assert [a.title for a in articles] == [None, HEADLINE]
    assert [s.text for s in articles[0].segments] == [STACK_BEFORE]
    first = articles[1].segments[0].text
    assert first.startswith(stack.strip()) and first.endswith(STACK_TEXT)
    assert_invariants(text, articles)
    # at the start of a text, with or without a lead
    assert segment(article)[0].title == HEADLINE


def test_traditional_heading_stacks_start_articles():
    stack = "聚焦數字鄉村建設\n數字技術賦能鄉村振興\n——某縣推進數字鄉村試點紀實"
    for lead in ("本報記者 陳大文\n\n", "新華社香港11月20日電 "):
        text = f"{STACK_BEFORE}\n\n{stack}\n\n{lead}近年來，某縣大力推進數字鄉村建設。"
        articles = segment(text)
        assert [a.title for a in articles] == [None, "數字技術賦能鄉村振興"]
        assert_invariants(text, articles)


def test_a_heading_stack_joins_the_text_after_it_whatever_its_length():
    # not a paragraph cut mid-sentence, joined to the next only within max_chars: with the
    # byline and lead, it is the start of the segment of the first paragraph
    text = f"{KICKER}\n{HEADLINE}\n{SUBTITLE}\n\n本报记者 张三\n\n{STACK_TEXT * 3}"
    [article] = segment(text, max_chars=60)
    assert [s.text for s in article.segments] == [text]


def test_a_heading_stack_without_a_lead_after_one_blank_line_stays_in_its_article():
    text = f"{STACK_BEFORE}\n\n{HEADLINE}\n{SUBTITLE}\n\n{STACK_TEXT}"
    [article] = segment(text)
    assert article.title is None
    assert [s.text for s in article.segments] == [STACK_BEFORE, text[len(STACK_BEFORE) + 2 :]]


@pytest.mark.parametrize(
    "lines",
    [
        "中国人民银行办公厅\n二〇二六年十一月二十日",  # a signature and its date
        "智能制造\n数字经济\n绿色能源",  # a list of items
        "苹果\n香蕉\n猕猴桃",
        "• 推进农村千兆光网建设\n• 提升农业生产智能化水平",
        "1. 推进农村千兆光网建设\n2. 提升农业生产智能化水平",
        "一、推进农村千兆光网建设\n二、提升农业生产智能化水平",
        "项目 金额\n收入 100\n支出 50",  # a table
        "指标\t数值\n增速\t5%",
        "海内存知己\n天涯若比邻",  # a verse
        "春眠不觉晓\n处处闻啼鸟\n夜来风雨声",
        "联系人：张三\n联系电话：010-12345678",  # fields
        "北京市朝阳区建国路88号\n邮编100022",
        "展会的主要展区包括：\n智能制造展区",  # a line ending with a colon
        "本报记者 张三\n实习生 李四",  # bylines
        "第一行\n第二行\n第三行\n第四行讲述更多内容",  # four lines
    ],
)
def test_lines_that_are_no_heading_stack_start_no_article(lines):
    for text in (
        f"{STACK_BEFORE}\n\n\n{lines}\n\n{STACK_TEXT}",  # after two blank lines
        f"{lines}\n\n{STACK_TEXT}",  # at the start of the text
    ):
        [article] = segment(text)
        assert article.title is None
        assert_invariants(text, [article])


@pytest.mark.parametrize("byline", ["本报记者 张三", "記者 陳大文", "文/张三"])
def test_a_byline_on_the_line_under_a_headline_marks_it(byline):
    # the headline and its byline formed one block of two lines, read as a paragraph (and as
    # one cut mid-sentence, joined to the next); a byline is now a block of its own
    text = f"{STACK_BEFORE}\n\n{HEADLINE}\n{byline}\n\n{STACK_TEXT}\n\n{STACK_TEXT}"
    articles = segment(text)
    assert [a.title for a in articles] == [None, HEADLINE]
    first = articles[1].segments[0].text
    assert first.startswith(f"{HEADLINE}\n{byline}") and first.endswith(STACK_TEXT)
    assert_invariants(text, articles)
    # a byline at the end of a paragraph's block is split off too, and joins what follows
    text = f"{STACK_TEXT}\n{byline}\n\n{STACK_TEXT}"
    segments = segment(text)[0].segments
    assert [s.text for s in segments] == [STACK_TEXT, f"{byline}\n\n{STACK_TEXT}"]


def test_heading_stack_lines_one_a_line_are_read_as_before():
    # without blank lines every line is a block: a headline is found as it always was
    text = f"{STACK_BEFORE}\n{KICKER}\n{HEADLINE}\n{SUBTITLE}\n本报记者 张三\n{STACK_TEXT}\n"
    articles = segment(text)
    assert [a.title for a in articles] == [None, HEADLINE]
    assert articles[0].segments[-1].text == f"{STACK_BEFORE}\n{KICKER}"


def test_regrouped_pieces_find_the_same_heading_stacks():
    # a block of heading lines is known to be a stack, or not, only once a blank line ends it
    text = (
        f"{STACK_BEFORE}\n\n{KICKER}\n{HEADLINE}\n{SUBTITLE}\n\n本报记者 张三\n\n{STACK_TEXT}\n\n"
        f"{HEADLINE}\n{SUBTITLE}\n\n文/张三\n图/李四\n\n{STACK_TEXT}\n\n"  # 文/张三: a byline
        f"{HEADLINE}\n{SUBTITLE}\n\n新华社北京11月20日电 {STACK_TEXT}\n\n\n"
        f"{KICKER}\n{HEADLINE}\n\n{STACK_TEXT}\n\n\n"
        f"{KICKER}\n{HEADLINE}\n{SUBTITLE}\n第四行讲的是正文\n\n{STACK_TEXT}\n\n"  # four lines
        f"{HEADLINE}\n{SUBTITLE}\n\n{STACK_TEXT}\n"
    )
    whole = spans(segment(text))
    assert [t for t, *_ in whole] == [None, HEADLINE, HEADLINE, HEADLINE, HEADLINE]
    for size in (1, 5, 13, 64):
        pieces = (text[i : i + size] for i in range(0, len(text), size))
        parts = list(regroup(pieces))
        assert len(parts) == 5
        assert [
            s for p in parts for s in spans(segment(p.text, paragraphs=p.paragraphs), p.start)
        ] == whole
