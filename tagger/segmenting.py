"""Split an article text into articles and segments with character offsets.

A text is cut into *blocks*: runs of lines separated by blank lines (lines holding only
whitespace, full-width spaces included; any line ending, CRLF included). Zero width characters
(U+200B-U+200D, U+2060, and U+FEFF, a byte order mark left in the text) count as whitespace.
When a text has no blank lines at all, every line is a block. Blocks then become segments:

- a headline (a short line that does not end a sentence) at the start of the text, after two or
  more blank lines, before a byline (``本报记者 宋婧``, ``记者 向雪妮``, ``■记者 张三``,
  ``文/``...) or a paragraph opening with ``本报讯``, a dateline (``新华社北京11月20日电``,
  ``新华社电``, ``央视网消息``) or reporters' names, or long enough to be no sub-heading, starts
  a new article; a numbered line (``一、``, ``（一）``, ``1.``, ``第一章``...) never does: it is
  a sub-heading; ``据路透社报道``, ``记者从商务部获悉``, a column title (``记者手记``,
  ``记者实测``) or a photo credit (``记者 张三 摄``) is no evidence of an article start;
- a heading stack, two or three heading lines on consecutive lines (a kicker, the headline, a
  subtitle: ``聚焦数字乡村建设`` / ``数字技术赋能乡村振兴`` / ``——某县推进数字乡村试点纪实``),
  of up to ``MAX_STACK_CHARS`` in all, starts an article where a headline would but for being
  long: at the start of the text, after two or more blank lines, or before a byline or lead;
  the article's title is its second line, or its first when the second is a subtitle
  (``——…``, ``（原标题：…）``). A byline, lead, numbered line, list item, date or number, or a
  line ending with a colon or ``、``, is no line of a stack, and lines all of up to 5
  characters, or all as long of up to 7 (a list, a verse), a table's rows or lines all with a
  colon (``联系人：张三``) make none;
- sub-headings, bylines, headlines and heading stacks are short lines that belong to the text
  after them: they are joined to the next segment;
- a fragment shorter than ``min_chars`` is merged into a neighbour rather than tagged alone;
- a paragraph cut mid-sentence by the page layout is joined to the next one when both together
  stay within ``max_chars``;
- a newspaper's jump line (``（下转第3版）``) ends the paragraph before it and is joined to it;
  one coming from another page (``（上接第1版）``, on a line of its own or opening a paragraph)
  is no headline, but evidence that the short line before it is one, and after two or more
  blank lines starts a continued article without a title; a paragraph ending in a jump continues only in a block coming from
  another page; so does an end mark (``（完）``), after which no paragraph continues; a rule
  (``——————``) never starts an article; nor does a subtitle (``——访…``) under a headline,
  or a reprint's original headline (``（原标题：…）``), which are skipped when looking for the
  byline after that headline;
- a byline (not a photo credit) is a block of its own, blank lines around it or not, so that a
  headline with its byline on the next line is found;
- a page's furniture, a line of up to ``MAX_FURNITURE_CHARS`` that ends no sentence (but a
  copyright notice), is a block of its own, blank lines around it or not: a date and source
  line (``2026-11-20 08:30 来源：新华网``, ``2026-11-20 新浪科技``, ``发布时间：2026-11-20``;
  a date without the year only before fields: ``11月20日 08:30 来源：新华社``), source,
  author or editor fields (``作者：李明``, ``责任编辑：王芳``, ``（本文来源：新华网）``), a
  copyright line (``版权所有 © 2026 新华网``, ``未经授权禁止转载``) or a line of copyright and
  reprint notices only, full stop or not (``版权所有，未经授权不得转载。``,
  ``本文为新华网原创，转载请注明出处。``), a share line (``分享到：微信 微博``, ``扫一扫``) or
  a row of buttons (``【打印】【关闭】``, ``[打印] [关闭]``). A date with a time or fields
  after it, a ``时间：`` or ``日期：`` date, or a source or author line under a heading marks
  it as a headline, as a byline does (a bare date, a date running on into a headline's
  words, an editor, copyright, share or button line does not);
  furniture never starts an article, and no paragraph continues across it; at the top it joins
  the next segment, as a byline does, but the short lines after the last paragraph, furniture
  among them, are a segment of their own, so that a page's footer is not tagged as that
  paragraph (a short sentence or end mark before the first furniture line, ``谢谢。``,
  ``（完）``, is the paragraph's).

Every non-blank character of the text lies in exactly one segment, and
``text[segment.start:segment.end] == segment.text``.

>>> articles = segment("标题在这里\\n\\n第一段讲云计算的市场份额。\\n\\n第二段讲芯片出口管制。")
>>> [(a.title, [s.text for s in a.segments]) for a in articles]
[('标题在这里', ['标题在这里\\n\\n第一段讲云计算的市场份额。', '第二段讲芯片出口管制。'])]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral

from .errors import check_number

__all__ = [
    "Article",
    "Part",
    "Segment",
    "regroup",
    "segment",
    "split_sentences",
    "visible_chars",
]

SENTENCE_END = "。！？!?；;…."
_CLOSERS = "”’」』》〉）)\"'】"
_CLAUSE_PUNCT = re.compile(r"[，,。；;：:]")
_MARKER = (  # ■本报记者 赵六, 【本报讯】: a mark or an opening bracket before a byline or lead
    r"(?:[■□●○▲△◆◇★☆][ \t\u3000]*)?(?:[【〔\[][ \t\u3000]*)?"
)
_AGENCY = r"本报|新华社|新华网|中新社|中新网|人民网|央视网|央广网|光明网"
_REPORTER = rf"(?:{_AGENCY})?(?:特约|见习|实习)?(?:记者|通讯员)|实习生"
_NOT_A_NAME = (  # what follows 记者 in a sentence (记者从…获悉, 记者们) and is never a name
    r"[从在对跟随与就据将已又再还也一们团站会节证]|近日|日前|近期|今天|昨天|今日|昨日"
    r"|获悉|获知|了解|得知|发现|注意|看到|听到|来到|走访|探访|采访|实地|现场|招待|提问"
)
_COLUMN = (  # a column title after 记者 (记者手记, 记者见闻, 记者实测): no name either
    r"手记|笔记|札记|日记|侧记|随笔|见闻|纪行|观察|视角|述评|点评|评论|解读|追问|感言"
    r"|调查|暗访|探营|亲历|实测|体验|连线|追踪|问答|专访|独家"
)
_NAME = r"[\u4e00-\u9fff][\u4e00-\u9fff·]{1,5}"  # 宋婧, 欧阳小明, 阿依古丽·买买提
_SHORT_NAME = r"[\u4e00-\u9fff]{2,3}"  # 向雪妮, 和静, 多吉: a surname and a given name
_NAME_END = r"(?=$|[\s、/|｜（）()】〕\]]|报道|报导|摄|采写|整理|发自)"  # what may follow a name
_REPORTER_NAMES = (  # 本报记者 宋婧, 记者 张三 李四, 记者张三报道; not 记者从商务部获悉
    rf"(?:{_REPORTER})[\s:：]*(?!{_COLUMN})"
    # 向, 和, 都, 多 also begin names (向雪妮, 和静, 都兰, 多吉): such a name is 2 or 3
    # characters, so 记者向有关部门核实 or 记者多方求证 is no name; others may be 2 to 6
    rf"(?:(?=[向和都多]){_SHORT_NAME}|(?![向和都多])(?!{_NOT_A_NAME}){_NAME}){_NAME_END}"
)
_BYLINE = re.compile(  # a short line of its own that does not end a sentence (see _is_byline)
    rf"{_MARKER}(?:{_REPORTER_NAMES}|文\s*[/|｜:：]|作者\s*[:：]|来源\s*[:：]|编辑\s*[:：])"
)
_PHOTO_CREDIT = re.compile(  # 记者 张三 李四 摄: credits a picture inside an article
    rf"{_MARKER}(?:{_REPORTER})[\s:：]*[\u4e00-\u9fff·\s、/]+?摄影?\s*$"
)
_TRADITIONAL = str.maketrans(  # 本報記者 陳大文, 新華社電: the words above in Traditional Chinese
    "與專習親從們會體側寫華歷發聽員團場實對將廣報據攝來測點獨"
    "現電筆約紀線編網節獲營見觀視訊記論訪證評讀調蹤輯還連採問聞隨驗瞭劄導"
    # and those of a page's furniture (來源：, 責任編輯：, 版權所有, 未經授權禁止轉載, 掃一掃,
    # 轉載請註明出處, 版權歸原作者所有, 違者必究, 【打印本頁】【關閉窗口】【糾錯】)
    "責權經許審時間佈閱瀏覽擊數掃維碼轉載圖監製統籌號週禮頭條騰復終複請嚴謝絕貼開關機戶財臺頻絡"
    "註處違須聯繫歸屬創閉糾錯頁頂薦",
    "与专习亲从们会体侧写华历发听员团场实对将广报据摄来测点独"
    "现电笔约纪线编网节获营见观视讯记论访证评读调踪辑还连采问闻随验了札导"
    "责权经许审时间布阅浏览击数扫维码转载图监制统筹号周礼头条腾复终复请严谢绝贴开关机户财台频络"
    "注处违须联系归属创闭纠错页顶荐",
)
_DIGIT = r"[\d０-９一二三四五六七八九十〇]"
_DATELINE = (  # 新华社北京11月20日电, 中新网11月20日电, 本报上海3月5日讯: agency, place, date
    rf"(?:{_AGENCY})[\u4e00-\u9fff·]{{0,12}}?(?:\d{{4}}年)?{_DIGIT}{{1,3}}月{_DIGIT}{{1,3}}日[电讯]"
)
_UNDATED_LEAD = (  # 新华社电, 中新社北京电, 央视网消息: agency, place or none, then a space
    rf"(?:{_AGENCY})[\u4e00-\u9fff·]{{0,12}}?(?:[电讯]|消息)(?=[\s（(【】〕\]:：]|$)"  # not 新华社电视台
)
_AGENCY_LEAD = re.compile(  # a paragraph's start; 据新华社电 or a mention mid-sentence is none
    rf"{_MARKER}(?:本报讯|{_DATELINE}|{_UNDATED_LEAD}|{_REPORTER_NAMES})"
)
_NUMBERED = re.compile(  # a sub-heading, not a headline; a number before a digit or unit is none
    r"""
    [一二三四五六七八九十百]+[、.．)）]               # 一、 一. 一）
    | [（(][一二三四五六七八九十百\d]+[）)]          # （一） (1)
    | \d{1,3}(?:[.．]\d{1,3})*[.．、)）](?!\d)       # 1. 1、 1） 1) 2.1.
    | \d{1,3}(?:[.．]\d{1,3})+(?![\d.．A-Za-z%％‰年月日号时分秒万亿千百十元倍个次级度米吨克升亩公])
                                                    # 2.1 2.1.3, not 1.5万亿 3.5亿元
    | (?:[A-Za-z]|[IVX]{2,4}|[Ⅰ-Ⅻⅰ-ⅻ])[.．、)）](?![A-Za-z\d])  # A. a) II. Ⅱ、, not U.S.
    | [①-⒛]                                         # ① ⑴ ⒈ (up to 20)
    | 第[一二三四五六七八九十百零〇\d]+(?:[章节编]|部分|[条款](?!\S))  # 第一章 第二部分 第三条 (第一条高铁: a headline)
    | [一二三四五六七八九十]+是 | 其[一二三四五六七八九十]+[，,、：:]  # 一是 其一，
    """,
    re.VERBOSE,
)
_PAGE = (  # 第3版, 第二版, A4版, A4, 3版: a page of a newspaper
    r"第?[ \t\u3000]*(?:[A-Za-zＡ-Ｚ][ \t\u3000]*[\d０-９]{1,2}[ \t\u3000]*版?"
    r"|[\d０-９一二三四五六七八九十]{1,3}[ \t\u3000]*版)"
)
_JUMP_OUT = rf"(?:下[转轉]|[转轉][至到]?)[ \t\u3000]*{_PAGE}"  # where the text goes on
_JUMP_IN = (  # where it comes from; Traditional forms too (下轉第3版, 上接第1版, 續第1版)
    rf"(?:上接|[紧緊]接|承接|接|[续續])[ \t\u3000]*(?:本[报報])?[ \t\u3000]*{_PAGE}"
)
_OPEN, _CLOSE = r"[（(【〔\[]?[ \t\u3000]*", r"[ \t\u3000]*[）)】〕\]]?"
_JUMP_OUT_LINE = re.compile(rf"[▶►→]?[ \t\u3000]*{_OPEN}{_JUMP_OUT}{_CLOSE}[ \t\u3000]*[▶►→]?")
_JUMP_OUT_END = re.compile(rf"{_OPEN}{_JUMP_OUT}{_CLOSE}[ \t\u3000]*[▶►→]?\s*$")
_JUMP_IN_START = re.compile(rf"[◀◄←]?[ \t\u3000]*{_OPEN}{_JUMP_IN}{_CLOSE}")
_END_MARK = re.compile(r"[（(【\[]?(?:全文)?完[）)】\]]?|[（(【\[]?(?i:end)[）)】\]]?")  # （完）
_SUBTITLE = re.compile(  # ——访…: a subtitle, not a rule; （原标题：…）, a reprint's note
    r"(?:——|—|--|－－|─)(?![—\-－─])|[（(【\[]?[ \t\u3000]*原[标標][题題][ \t\u3000]*[:：]"
)
# a page's furniture: lines about the article, not of it (see _is_furniture); read after
# _TRADITIONAL, so in Simplified Chinese
MAX_FURNITURE_CHARS = 60
"""A line longer than this is never a date, source, editor, copyright, share or button line."""

_D = r"[\d０-９]"
_DATE = (  # 2026-11-20, 2026/11/20, 2026.11.20, 2026年11月20日: a whole date, the year first
    rf"{_D}{{4}}(?:[-/.－／]{_D}{{1,2}}[-/.－／]{_D}{{1,2}}(?!{_D})"
    rf"|[ \t\u3000]*年[ \t\u3000]*{_D}{{1,2}}[ \t\u3000]*月[ \t\u3000]*{_D}{{1,2}}[ \t\u3000]*日)"
)
_CLOCK = rf"{_D}{{1,2}}[:：]{_D}{{2}}(?:[:：]{_D}{{2}})?(?!{_D})"  # 08:30, 08:30:15
_WHEN = (  # a date, a weekday, a time: 2026年11月20日 星期五 10:05
    rf"{_DATE}(?:[ \t\u3000]*(?:星期|周|礼拜)[一二三四五六日天])?(?:[ \t\u3000]*{_CLOCK})?"
)
_LEAD_LABEL = r"来源|稿源|文章来源|新闻来源|信息来源|作者|原作者"  # under a headline
_LABEL = (  # any field of a date and source line or of the lines after an article
    rf"{_LEAD_LABEL}|本文来源|图片来源|图源|责任编辑|责编|编辑|值班编辑|实习编辑|网络编辑|编审"
    r"|主编|校对|审核|审校|初审|复审|终审|监制|统筹|字号|浏览次数|阅读量|阅读数|点击量|点击数"
)
_COLON = r"[ \t\u3000]*[:：][ \t\u3000]*"
_FIELD = (  # 来源：新华网, 发布时间：2026-11-20 08:30: a label, a colon, a value without clause
    # punctuation nor another colon (but a time's)
    rf"(?:(?:{_LABEL}){_COLON}(?:{_CLOCK}|[^:：，,。；;！？!?])*?"
    rf"|(?:发布|发表|发稿|更新)?(?:时间|日期){_COLON}{_WHEN})"
)
_FIELD_SEP = r"[ \t\u3000|｜丨/·•]"
_MEDIA_NAME = r"[\u4e00-\u9fffA-Za-z\d·\-－]"
_MEDIA = (  # 2026年11月20日 08:30 新浪科技, 2026-11-20 新浪科技: a source named without a
    # label: after a time, or after a date alone and a space when two characters or more come
    # before its last word, not a column's (2018年5月9日·快报, 2026-11-20 财经早报: headlines)
    rf"(?:(?<=[:：]{_D}{_D}){_FIELD_SEP}+{_MEDIA_NAME}{{0,10}}?(?:网|报|社|新闻|客户端|科技|财经|周刊|电视台|频道)"
    rf"|[ \t\u3000]+{_MEDIA_NAME}{{2,10}}?(?:网|社|新闻|客户端|科技|财经|周刊|电视台|频道"
    r"|(?<![快简早晚周月年速通公预播战喜汇])报))"
)
_SHORT_DATE = (  # 11月20日, 11-20: a date without the year, only before fields (see _SOURCE_LINE)
    rf"{_D}{{1,2}}[ \t\u3000]*月[ \t\u3000]*{_D}{{1,2}}[ \t\u3000]*日|{_D}{{1,2}}[-/－／]{_D}{{1,2}}(?!{_D})"
)
_FURNITURE_OPEN, _FURNITURE_CLOSE = r"[（(【〔\[]?[ \t\u3000]*", r"[ \t\u3000]*[）)】〕\]]?"
_SOURCE_LINE = re.compile(  # a date and source line, or a line of source and editor fields
    rf"{_MARKER}{_FURNITURE_OPEN}"
    rf"(?:{_WHEN}(?:{_FIELD_SEP}*{_FIELD})*(?:{_MEDIA}(?:{_FIELD_SEP}*{_FIELD})*)?"
    # 11月20日 08:30 来源：新华社: a date without the year has fields after it (5月9日 早报,
    # 5月9日12:05 交易提示 are headlines)
    rf"|(?:{_SHORT_DATE})(?:[ \t\u3000]*{_CLOCK})?(?:{_FIELD_SEP}*{_FIELD})+"
    rf"|{_FIELD}(?:{_FIELD_SEP}*{_FIELD})*){_FURNITURE_CLOSE}"
)
_LEAD_FURNITURE = re.compile(  # what starts the line under a headline: a date, a source
    rf"{_MARKER}{_FURNITURE_OPEN}(?:{_DATE}|{_SHORT_DATE}|(?:发布|发表|发稿|更新)?(?:时间|日期)"
    rf"|(?:{_LEAD_LABEL}){_COLON})"
)
_BARE_DATE = re.compile(  # 2026年11月20日 (星期五): also the date under a notice's signature
    rf"{_MARKER}{_FURNITURE_OPEN}{_DATE}(?:[ \t\u3000]*(?:星期|周|礼拜)[一二三四五六日天])?{_FURNITURE_CLOSE}"
)
_COPYRIGHT = re.compile(  # 版权所有 © 2026 新华网, Copyright, 未经授权，禁止转载
    r"(?i:^[ \t\u3000]*copyright|©|all rights reserved)|版权所有(?![者人方权的])"
    r"|未经[^。！？!?]{0,12}(?:授权|许可|同意)[^。！？!?]{0,6}(?:禁止|不得|严禁|请勿|谢绝)"
    r"[^。！？!?]{0,4}(?:转载|复制|转贴|摘编|使用)(?:本[站网文])?(?:内容|文章|稿件)?[ \t\u3000]*$"
)
_N = r"[^，,。；;！？!?:：\s]"  # a character of a clause of a notice
_FORBID = (  # 不得转载, 任何单位和个人不得转载或复制本站内容, 谢绝转载: {verb} to fill in
    r"(?:任何(?:单位|个人|媒体|网站|机构)?(?:和个人)?)?[均都]?(?:禁止|不得|严禁|请勿|谢绝)"
    r"(?:任何形式的?|以任何形式)?(?:{verb})(?:[或、和及](?:转载|转贴|摘编|镜像|复制|使用|传播))*"
    r"(?:本[站网文报])?的?(?:内容|文章|稿件|作品|图片)?"
)
_NOTICE_CLAUSE = "|".join(  # the clauses of a copyright or reprint notice (see _NOTICE)
    (
        rf"{_N}{{0,12}}?版权所有|版权(?:归|属于?){_N}{{1,16}}?所有",  # 新华网版权所有, 版权归作者所有
        # 本文为新华网原创, 本文系作者授权本站发布
        rf"本(?:文|稿|站|网|报)?(?:文章|稿件|内容)?(?:为|系|是|属于?){_N}{{0,12}}?"
        rf"(?:原创|独家|授权|首发|专稿)(?:文章|稿件|内容|作品|稿)?(?:{_N}{{0,6}}?(?:发布|刊发|刊登))?",
        # 转载请注明出处, 如需转载请联系本网
        rf"(?:如需|如要|如欲|若需)?转载{_N}{{0,6}}?(?:请|须|需|务必|应)"
        rf"{_N}{{0,8}}?(?:注明|标明|保留|联系|取得|获得|经){_N}{{0,16}}",
        # 未经授权，不得转载; 未经许可禁止复制本站内容 (复制, 使用 forbidden only after 未经…)
        rf"未经{_N}{{0,12}}?(?:授权|许可|同意)[，,、 \t\u3000]*"
        + _FORBID.replace("{verb}", "转载|转贴|摘编|镜像|复制|使用|传播"),
        _FORBID.replace("{verb}", "转载|转贴|摘编|镜像"),  # 谢绝转载; 不得复制 is no notice
        r"违者必究|侵权必究|(?:违者|否则)将?(?:依法)?追究其?法律责任",
    )
)
_NOTICE = re.compile(  # 版权所有，未经授权不得转载。 本文为新华网原创，转载请注明出处。: a line
    # made only of such clauses, ending a sentence or not; 未经授权不得转载新闻作品，多家媒体… is
    # a sentence
    rf"{_MARKER}{_FURNITURE_OPEN}(?:(?:版权|转载)(?:声明|说明){_COLON})?"
    rf"(?:{_NOTICE_CLAUSE})(?:[，,；;。！! \t\u3000]+(?:{_NOTICE_CLAUSE}))*[。！!.]?{_FURNITURE_CLOSE}"
)
_PRINT_CLOSE = (  # a button that is one even alone: 【打印】, 【关闭窗口】, 【纠错】
    r"打印(?:本页|此页|本文|文章|页面)?|关闭(?:窗口|本页|此页|页面)?|我要纠错|纠错|加入收藏"
    r"|返回顶部|回到顶部"
)
_BUTTON = (  # a page's button, in brackets: those, and 【评论】, 【字号：大 中 小】 in a row
    rf"{_PRINT_CLOSE}|报错|收藏(?:本页|本文|此页)?|推荐(?:给好友|给朋友|本文)?|告诉好友"
    r"|返回(?:首页|列表)?|顶部|分享|我要评论|发表评论|评论|复制链接|放大|缩小|默认|大|中|小"
    rf"|字[号体](?:{_COLON}|[ \t\u3000]*)(?:[大中小][ \t\u3000]*){{2,3}}"
)
_OPEN_BUTTON, _CLOSE_BUTTON = r"[【\[［〔][ \t\u3000]*", r"[ \t\u3000]*[】\]］〕]"
_BUTTONS = (  # 【打印】【关闭】, [打印] [关闭]: a row of two buttons or more, or one printing,
    # closing or reporting an error (【评论】, 【推荐】 alone may be a column's title)
    rf"(?:{_OPEN_BUTTON}(?:{_BUTTON}){_CLOSE_BUTTON}[ \t\u3000|｜]*){{2,}}$"
    rf"|{_OPEN_BUTTON}(?:{_PRINT_CLOSE}){_CLOSE_BUTTON}[ \t\u3000]*$"
)
_SHARE = re.compile(  # 分享到：微信 微博, 扫一扫在手机打开当前页, 扫描二维码关注, 【打印】【关闭】
    rf"{_MARKER}{_FURNITURE_OPEN}(?:{_BUTTONS}|"
    r"分享(?:到|至)[ \t\u3000]*(?:[:：]|$|(?:微信|微博|朋友圈|QQ空间|QQ|qq|新浪微博|腾讯微博|豆瓣)"
    r"(?=$|[ \t\u3000、|｜/]))"
    r"|(?:微信|手机)?(?:扫一扫|扫描(?:下方|上方)?二维码)"
    r"(?=$|[，,：:]|[ \t\u3000]*(?:分享|在手机|用手机|关注|下载|打开|阅读|查看)))"
)
_WORD = re.compile(r"[^\W_]")  # a letter, digit or Chinese character: a line without is a rule
# zero width characters (a space, a (non-)joiner, a word joiner, a byte order mark left in a
# text): invisible, so whitespace here; a line of them is blank
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # str.splitlines's
_SPACES = re.escape(
    "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in _LINE_BREAKS)
    + _INVISIBLE
)
_INNER_BLANK = re.compile(  # two line breaks (\r\n is one) between characters with only space
    rf"[^\s{_INVISIBLE}](?:[{_SPACES}]*(?:\r\n|\r(?!\n)|[\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029])){{2}}"
    rf"[\s{_INVISIBLE}]*[^\s{_INVISIBLE}]"
)
# where a sentence ends: full stops, an ASCII one not before a letter or digit (2.3万亿, U.S.,
# .com), closing quotes after them; searched for alone, so that a long text without any takes
# linear time (a sentence pattern would be tried, and fail, from every character of it)
_SENTENCE_END_RUN = re.compile(
    rf"(?:[{re.escape(SENTENCE_END.replace('.', ''))}]|\.(?![0-9A-Za-z０-９]))+[{_CLOSERS}]*"
)
_TRAILING_NOTE = re.compile(r"[（(][^（）()\n]{1,30}[）)]$")  # 。（记者 张三）: the sentence ended
_ENUMERATOR = re.compile(r"(?:\d{1,3}|[A-Za-z])\.")  # 1. or A. before an item: no sentence

MAX_HEADING_CHARS = 40
"""A line longer than this is never a headline or sub-heading."""

MIN_TITLE_CHARS = 15
"""A heading at least this long, with no clause punctuation inside, is taken as a headline."""

MAX_STACK_CHARS = 80
"""A heading stack (a kicker, a headline, a subtitle on consecutive lines) is no longer than
this, not counting whitespace."""

MAX_ARTICLE_CHARS = 1_000_000
"""``regroup`` cuts an article longer than this, so that memory stays bounded."""


@dataclass(frozen=True)
class Segment:
    """A span of an article: ``text == source_text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    """One article of a text: its headline (``None`` when none was found) and its segments."""

    title: str | None
    start: int
    end: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Part:
    """Whole articles of a longer text, from its character ``start`` on (see ``regroup``)."""

    start: int
    text: str
    paragraphs: str  # "blank" or "line": how the whole text is cut into blocks
    continued: bool = False  # it goes on with an article cut at the limit: no title for it


@dataclass
class _Block:
    start: int
    end: int
    text: str
    lines: int
    gap_before: int  # blank lines before the block; large for the first block
    furniture: bool = False  # a date and source, editor, copyright, share or button line: alone
    alone: bool = False  # furniture or a byline: a block of its own, blank lines around or not

    @property
    def size(self) -> int:
        return visible_chars(self.text)


def visible_chars(text: str) -> int:
    """How many characters of ``text`` are not whitespace (counted in C: ``str.split``), zero
    width characters (U+200B-U+200D, U+2060, U+FEFF) counting as whitespace.

    >>> visible_chars("\ufeff 云计算\u3000市场\u200b ")
    5
    """
    return sum(map(len, text.split())) - sum(map(text.count, _INVISIBLE))


def segment(
    text: str,
    *,
    min_chars: int = 10,
    max_chars: int = 500,
    sentences: int | None = None,
    paragraphs: str = "auto",
) -> list[Article]:
    """Cut ``text`` into articles, each with its segments and their offsets.

    Args:
        min_chars: fragments with fewer non-space characters are merged into a neighbour.
        max_chars: a paragraph cut mid-sentence is joined to the next one only while the two
            together are no longer than this.
        sentences: when set, cut every paragraph into windows of this many sentences.
        paragraphs: ``"blank"`` (blocks separated by blank lines), ``"line"`` (every line is a
            block) or ``"auto"`` (blank lines when the text has any, else lines).

    Raises TypeError for a ``text`` that is not a str or a count that is no integer, ValueError
    for a bad option (``min_chars`` or ``max_chars`` below 0, ``sentences`` below 1).

    >>> [s.text for a in segment("第一句。第二句。第三句。", sentences=2) for s in a.segments]
    ['第一句。第二句。', '第三句。']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if paragraphs not in ("auto", "blank", "line"):
        raise ValueError(f"paragraphs must be 'auto', 'blank' or 'line', not {paragraphs!r}")
    check_number("min_chars", min_chars, 0, None, (Integral,))
    check_number("max_chars", max_chars, 0, None, (Integral,))  # 0: never join (as 1 does)
    if sentences is not None:
        check_number("sentences", sentences, 1, None, (Integral,))
    blocks = _blocks(text, paragraphs)
    articles = [_article(group, min_chars, max_chars, text) for group in _split_articles(blocks)]
    if sentences:
        articles = [_windows(a, text, sentences) for a in articles]
    return articles


def regroup(
    pieces: Iterable[str], paragraphs: str = "auto", limit: int = MAX_ARTICLE_CHARS
) -> Iterator[Part]:
    """Regroup the consecutive pieces of a text into parts made of whole articles.

    ``segment(part.text, paragraphs=part.paragraphs)`` gives the articles that segmenting the
    whole text gives there, offsets counted from ``part.start``. A part ends where the next
    article starts, so one article at a time is held, except that one longer than ``limit``
    characters is cut at its last paragraph break past half the limit, else at its last sentence
    end, else at the limit; the part after such a cut is ``continued``. With ``"auto"``, text is
    held until it shows a blank line between lines, or for ``limit`` characters.

    >>> pieces = ["标题一\\n\\n\\n正文一。\\n\\n\\n标题", "二\\n\\n\\n正文二。\\n\\n\\n标题三\\n\\n\\n正文三。"]
    >>> [(p.start, p.text[:3]) for p in regroup(pieces)]
    [(0, '标题一'), (13, '标题二')]
    """
    held, start, continued, checked, searched = "", 0, False, 0, 0
    mode = None if paragraphs == "auto" else paragraphs
    for piece in pieces:
        held += piece
        if mode is None:
            if _INNER_BLANK.search(held, searched):
                mode = "blank"
            elif len(held) < limit:
                searched = max(0, len(_rstripped(held)) - 1)  # where a blank line may come after
                continue
            else:
                mode = "line"
        cut, tail, checked = _last_start(held, mode, checked)
        while cut or len(held) > limit:
            forced = not cut
            cut = cut or _cut(held, mode, tail, limit)
            yield Part(start, held[:cut], mode, continued)
            held, start, tail, checked = held[cut:], start + cut, tail - cut, max(0, checked - cut)
            continued, cut = forced, 0
    if held:
        yield Part(
            start, held, mode or ("blank" if _INNER_BLANK.search(held) else "line"), continued
        )


def _last_start(text: str, paragraphs: str, checked: int) -> tuple[int, int, int]:
    """Where to end a part of ``text`` (0: nowhere yet), where the blocks not known yet begin,
    and where to look from next time. A part ends before the last block after ``checked`` known
    to start an article, unless the block before it starts one only because of it (a headline
    before a byline). Blocks are read from a window at the end, widened until one is found;
    a short last line without its line break is not known yet: once whole, it may be a date and
    source line, a block of its own."""
    size = 4096
    while True:
        begin = max(checked, len(text) - size)
        window = text[begin:]
        whole = max(map(window.rfind, _LINE_BREAKS)) + 1  # the end of the last whole line
        if len(_trimmed(window, whole, len(window)).text) > MAX_FURNITURE_CHARS:
            whole = len(window)  # too long to be one
        blocks = _blocks(window[:whole], paragraphs)  # the first may be cut short: not looked at
        known = _known(blocks)
        found = next(
            (
                begin + blocks[i].start
                for i in range(known - 1, 0 if begin == 0 else 1, -1)
                if _starts_article(blocks[i], _following(blocks, i))
                and _independent(blocks, _previous(blocks, i), i, begin)
            ),
            0,
        )
        if found or begin == checked:
            tail = begin + (blocks[known].start if known < len(blocks) else whole)
            return found, tail, begin + blocks[known - 2].start if known > 2 else begin
        size *= 4


def _independent(blocks: list[_Block], previous: int, i: int, begin: int) -> bool:
    """Whether ``blocks[previous]``, the last before ``blocks[i]`` but subtitles, starts an
    article or not whatever follows it (not a headline only because of a byline in
    ``blocks[i]``), and is whole: the first block of a window (``begin`` > 0) may be cut short."""
    if previous <= 0:  # blocks[0] begins the text (a headline if it looks like one) or not
        return previous < 0 or begin == 0
    return _starts_article(blocks[previous], None) or not _starts_article(
        blocks[previous], blocks[i]
    )


def _known(blocks: list[_Block]) -> int:
    """How many of the blocks of a text that goes on are known to start an article or not: not
    the last if it may still grow into a heading or a heading stack (its lines are whole, but
    more may come), nor then a heading or stack before it, subtitles between them allowed (a
    byline may follow)."""
    if not blocks or not _may_grow_into_heading(blocks[-1]):
        return len(blocks)
    previous = _previous(blocks, len(blocks) - 1)
    if previous >= 0 and (_is_heading(blocks[previous]) or _stack(blocks[previous])):
        return previous
    return len(blocks) - 1


def _may_grow_into_heading(block: _Block) -> bool:
    """Whether ``block``, the last of a text that goes on, is or may still become a heading or
    a heading stack once its next lines come."""
    if block.lines == 1:
        return len(block.text) <= MAX_HEADING_CHARS
    return block.lines <= 3 and all(map(_is_stack_line, _block_lines(block)))


def _following(blocks: list[_Block], i: int) -> _Block | None:
    """The block after ``blocks[i]``, subtitles (``——访…``) skipped: what tells a headline."""
    j = i + 1
    while j < len(blocks) and _is_subtitle(blocks[j]):
        j += 1
    return blocks[j] if j < len(blocks) else None


def _previous(blocks: list[_Block], i: int) -> int:
    """The index of the block before ``blocks[i]``, subtitles skipped (-1: none)."""
    j = i - 1
    while j >= 0 and _is_subtitle(blocks[j]):
        j -= 1
    return j


def _cut(text: str, paragraphs: str, tail: int, limit: int) -> int:
    """Where to cut an article too long to hold: at its last paragraph break past half the limit,
    else its last sentence end, else the limit; always before the last character ahead of
    ``tail``, so that the blocks not known yet stay after that character."""
    stop = min(limit, len(_rstripped(text[:tail])) - 1)
    if stop <= 0:
        return limit
    half = limit // 2
    blocks = _blocks(text[half:stop], paragraphs)
    if len(blocks) > 1:
        return half + blocks[-1].start
    return max((m.end() for m in _SENTENCE_END_RUN.finditer(text, half, stop)), default=stop)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Segment]:
    """Sentences of ``text[start:end]`` as segments with offsets into ``text``.

    >>> [s.text for s in split_sentences("他说：“好。”然后走了")]
    ['他说：“好。”', '然后走了']
    """
    end = len(text) if end is None else end
    spans: list[Segment] = []
    pos = start
    for match in _SENTENCE_END_RUN.finditer(text, start, end):
        sentence = _trimmed(text, pos, match.end())
        if not _ENUMERATOR.fullmatch(sentence.text):  # else it begins the next sentence
            spans.append(sentence)
            pos = match.end()
    spans.append(_trimmed(text, pos, end))
    return [s for s in spans if s.text]


def ends_sentence(line: str) -> bool:
    """Whether ``line`` ends with sentence-final punctuation (closing quotes allowed after it),
    or with a note in brackets after it (``。（记者 张三）``, ``。(章文)``).

    >>> ends_sentence("抓好落实。（记者 张三）"), ends_sentence("微软（MSFT）")
    (True, False)
    """
    stripped = line.rstrip().rstrip(_CLOSERS)
    return (bool(stripped) and stripped[-1] in SENTENCE_END) or _note_after(line, SENTENCE_END)


def _note_after(line: str, ends: str) -> bool:
    """Whether ``line`` ends with a note in brackets after one of ``ends`` (``。（记者 张三）``)."""
    stripped = line.rstrip()
    note = _TRAILING_NOTE.search(stripped, max(0, len(stripped) - 40))
    before = stripped[: note.start()].rstrip().rstrip(_CLOSERS) if note else ""
    return bool(before) and before[-1] in ends


def _trimmed(text: str, start: int, end: int) -> Segment:
    while start < end and (text[start].isspace() or text[start] in _INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
    return Segment(start, end, text[start:end])


def _rstripped(text: str) -> str:
    """``text`` without the whitespace and zero width characters at its end."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in _INVISIBLE:
        stripped = stripped[:-1].rstrip()
    return stripped


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line's content, line endings excluded, blank lines included."""
    pos = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        yield pos, pos + len(content)
        pos += len(line)


def _blocks(text: str, paragraphs: str) -> list[_Block]:
    lines = [_trimmed(text, s, e) for s, e in _lines(text)]
    if paragraphs == "auto":
        paragraphs = "blank" if _INNER_BLANK.search(text) else "line"
    blocks: list[_Block] = []
    gap = 10**6  # the first block counts as preceded by a page break
    for line in lines:
        if not line.text:
            gap = gap + 1 if gap < 10**6 else gap
            continue
        furniture = _is_furniture(line.text)
        alone = furniture or _is_byline_line(line.text)
        if paragraphs == "blank" and blocks and gap == 0 and not (alone or blocks[-1].alone):
            last = blocks[-1]
            last.end = line.end
            last.text = text[last.start : last.end]
            last.lines += 1
        else:
            blocks.append(_Block(line.start, line.end, line.text, 1, gap, furniture, alone))
        gap = 0
    return blocks


def _is_furniture(line: str) -> bool:
    """Whether ``line`` (one line) is about the article rather than of it: a date and source
    line (``2026-11-20 08:30 来源：新华网``, ``发布时间：2026-11-20``), source, author or editor
    fields (``作者：李明``, ``（责任编辑：王芳）``), a copyright line (``版权所有 © 2026 新华网``,
    ``未经授权禁止转载``, or notices only: ``版权所有，未经授权不得转载。``) or a share line
    (``分享到：微信 微博``, ``扫一扫``, buttons: ``【打印】【关闭】``); at most ``MAX_FURNITURE_CHARS`` long, never ending a
    sentence (but ``All Rights Reserved.`` and such notices).
    A date that runs on into words (``2026年11月20日国务院常务会议召开``) is a headline's.

    >>> _is_furniture("2026年11月20日 10:05  來源：人民網"), _is_furniture("来源于海关的数据")
    (True, False)
    """
    if len(line) > MAX_FURNITURE_CHARS:
        return False
    text = line.translate(_TRADITIONAL)
    if _NOTICE.fullmatch(text):  # 版权所有，未经授权不得转载。
        return True
    if _COPYRIGHT.search(text):
        text = text.rstrip()
        text = text[:-1] if text.endswith(".") else text  # All Rights Reserved.
        return not re.search(r"[。！？；;!?]", text) and not ends_sentence(text)
    return bool(_SOURCE_LINE.fullmatch(text) or _SHARE.match(text)) and not ends_sentence(text)


def _is_lead_furniture(block: _Block) -> bool:
    """A date and source line (``2026-11-20 08:30 来源：新华网``) or a source or author line:
    evidence, like a byline, that the heading before it is a headline; a bare date
    (``2026年11月20日``, under the signature of a notice too), an editor, copyright or share
    line is none."""
    if not block.furniture:
        return False
    text = block.text.translate(_TRADITIONAL)
    return bool(_LEAD_FURNITURE.match(text)) and not _BARE_DATE.fullmatch(text)


def _is_heading(block: _Block) -> bool:
    """A short single line that does not end with 。 or similar: headline or sub-heading."""
    if block.lines > 1 or len(block.text) > MAX_HEADING_CHARS:
        return False
    stripped = block.text.rstrip().rstrip(_CLOSERS)
    if _note_after(block.text, "。；;…."):  # 。（记者 张三）
        return False
    return not stripped or stripped[-1] not in "。；;….,，"


_BULLET = re.compile(r"[•·・●○■□◆◇▪▫▲△★☆※►▶*+]|-(?!-)")  # an item of a list
_NUMBER_LINE = re.compile(  # 2026年11月20日, 二〇二六年十一月二十日, 2026.11.20, 100: no heading
    r"[\d０-９〇零一二三四五六七八九十百千万亿年月日号时分秒./\-－／:：（）()%％,\s]+"
)


def _block_lines(block: _Block) -> list[str]:
    """The lines of ``block``, without the whitespace around each."""
    return [_trimmed(block.text, s, e).text for s, e in _lines(block.text)]


def _is_stack_line(line: str) -> bool:
    """Whether ``line`` may be a line of a heading stack: a heading (short, ending no sentence)
    that does not end with a colon or ``、``, and is no byline, lead, photo credit, numbered
    line or list item, jump line, rule, date or number, nor a row of a table (a tab inside) or
    a line with six digits in a row (a phone number, a postal code)."""
    block = _Block(0, len(line), line, 1, 0)
    return (
        _is_heading(block)
        and not line.endswith(("：", ":", "、"))
        and bool(_WORD.search(line))
        and not _NUMBERED.match(line)
        and not (_BULLET.match(line) and not _SUBTITLE.match(line))
        and not _NUMBER_LINE.fullmatch(line)
        and not _is_jump_out(block)
        and not _is_article_lead(block)  # a byline, a dateline, 本报讯, a jump from a page
        and not _PHOTO_CREDIT.match(line.translate(_TRADITIONAL))
        and not re.search(r"\t|[\d０-９]{6}", line)  # a table's row, a phone number
    )


def _stack(block: _Block) -> list[str] | None:
    """The lines of ``block`` when it is a heading stack, else None: two or three heading lines
    (see ``_is_stack_line``) on consecutive lines, of at most ``MAX_STACK_CHARS`` in all, the
    first no subtitle; not lines all of up to 5 characters or all as long, of up to 7 (a list
    of items, a verse), nor the rows of a table (lines cut by spaces into as many cells, a
    number among them) or lines all with a colon (fields: ``联系人：张三``).

    >>> _stack(_Block(0, 0, "聚焦数字乡村建设\\n数字技术赋能乡村振兴", 2, 2))
    ['聚焦数字乡村建设', '数字技术赋能乡村振兴']
    >>> _stack(_Block(0, 0, "床前明月光\\n疑是地上霜", 2, 2)) is None
    True
    """
    if not 2 <= block.lines <= 3 or block.size > MAX_STACK_CHARS:
        return None
    # asked of a block several times: cached, but for a text padded with much whitespace
    find = _stack_lines if len(block.text) <= 1000 else _stack_lines.__wrapped__
    stack = find(block.text)
    return list(stack) if stack else None


@lru_cache(maxsize=256)
def _stack_lines(text: str) -> tuple[str, ...] | None:
    """The lines of ``text``, a block of two or three lines, when it is a heading stack."""
    lines = [_trimmed(text, s, e).text for s, e in _lines(text)]
    if not all(map(_is_stack_line, lines)) or _SUBTITLE.match(lines[0]):
        return None
    sizes = [visible_chars(line) for line in lines]
    if max(sizes) <= 5 or (len(set(sizes)) == 1 and sizes[0] <= 7):  # 苹果 香蕉, 床前明月光
        return None
    cells = [line.split() for line in lines]  # 项目 金额 / 收入 100: a table's rows
    if (
        len({len(row) for row in cells}) == 1
        and len(cells[0]) > 1
        and any(_NUMBER_LINE.fullmatch(cell) for row in cells for cell in row)
    ):
        return None
    if all(re.search("[:：]", line) for line in lines):  # 联系人：张三 / 电话：…
        return None
    return tuple(lines)


_ATX = re.compile(r"#{1,6}[ \t]+(?=\S)|[ \t]+#+$")  # Markdown's ``# 标题`` (and ``# 标题 #``)


def _headline(block: _Block) -> str:
    """The headline of a block starting an article: of a heading stack, its second line (under
    a kicker), unless that is a subtitle (``——…``), then its first; else the block's text. The
    marks of a Markdown heading are no part of it (``# 标题``: ``标题``; ``#话题#`` is kept)."""
    line = block.text
    lines = _stack(block)
    if lines is not None:
        line = lines[0] if _SUBTITLE.match(lines[1]) else lines[1]
    return _ATX.sub("", line) if line.startswith("#") else line


def _is_byline(block: _Block) -> bool:
    """A short line naming reporters (``本报记者 宋婧``, ``记者 张三 李四``) or the author,
    source or editor (``文/``, ``作者：``...); never one that ends a sentence."""
    return (
        block.lines == 1
        and len(block.text) <= 30
        and bool(_BYLINE.match(block.text.translate(_TRADITIONAL)))
        and not ends_sentence(block.text)
    )


def _is_byline_line(line: str) -> bool:
    """Whether ``line`` is a byline (see ``_is_byline``), not a photo credit: a block of its own
    (``数字技术赋能乡村振兴`` over ``本报记者 张三`` is a headline and its byline)."""
    return _is_byline(_Block(0, len(line), line, 1, 0)) and not _PHOTO_CREDIT.match(
        line.translate(_TRADITIONAL)
    )


def _is_article_lead(block: _Block) -> bool:
    """A byline or a lead (dateline, ``本报讯``, reporters' names) opening ``block``: evidence
    that the heading before it is a headline. A photo credit (``记者 张三 摄``) is none: it
    may follow a sub-heading inside an article."""
    text = block.text.translate(_TRADITIONAL)
    if _PHOTO_CREDIT.match(text.splitlines()[0]):
        return False
    return (
        _is_byline(block)
        or _is_lead_furniture(block)
        or bool(_AGENCY_LEAD.match(text))
        or bool(_JUMP_IN_START.match(block.text))  # the headline over a continued article
    )


def _is_subtitle(block: _Block) -> bool:
    """A subtitle right under a headline: a heading opening with a dash (``——访市住建委主任``)."""
    return block.gap_before < 2 and _is_heading(block) and bool(_SUBTITLE.match(block.text))


def _is_jump_out(block: _Block) -> bool:
    """A jump line sending the reader to another page (``（下转第3版）``, ``转A4版``) or an end
    mark (``（完）``): it ends the text before it."""
    return block.lines == 1 and bool(
        _JUMP_OUT_LINE.fullmatch(block.text) or _END_MARK.fullmatch(block.text)
    )


def _starts_article(block: _Block, following: _Block | None) -> bool:
    if block.gap_before >= 2 and _JUMP_IN_START.match(block.text):
        return True  # （上接第1版）… after a break: the rest of an article from another page
    if block.lines > 1:  # a heading stack starts one where a headline would, length aside
        return _stack(block) is not None and (
            block.gap_before >= 2 or (following is not None and _is_article_lead(following))
        )
    if (
        not _is_heading(block)
        or _is_byline(block)
        or block.furniture  # 2026-11-20 来源：新华网, 责任编辑：王芳
        or _NUMBERED.match(block.text)
        or _is_jump_out(block)  # it ends the text before it
        or not _WORD.search(block.text)  # a rule (——————, ＊＊＊) between articles
    ):
        return False
    if _SUBTITLE.match(block.text):  # ——访… under a headline, or after a break: no headline
        return block.gap_before >= 2
    if block.gap_before >= 2:
        return True
    if following is not None and _is_article_lead(following):
        return True
    return (
        len(block.text) >= MIN_TITLE_CHARS
        and not ends_sentence(block.text)
        and not _CLAUSE_PUNCT.search(block.text)
    )


def _split_articles(blocks: list[_Block]) -> list[tuple[bool, list[_Block]]]:
    """Group blocks into articles; the flag says whether the first block is a headline."""
    groups: list[tuple[bool, list[_Block]]] = []
    for i, block in enumerate(blocks):
        following = _following(blocks, i)
        if not groups or _starts_article(block, following):
            # a jump line (（上接第1版）) starting a continued article is no headline
            title = _starts_article(block, following) and not (
                _JUMP_IN_START.match(block.text) or _SUBTITLE.match(block.text)
            )
            groups.append((title, [block]))
        else:
            groups[-1][1].append(block)
    return groups


def _article(
    group: tuple[bool, list[_Block]], min_chars: int, max_chars: int, text: str
) -> Article:
    has_title, blocks = group
    spans: list[list[_Block]] = []  # each a run of blocks that forms one segment
    pending: list[_Block] = []  # headings and fragments waiting for the text they belong to
    for block in blocks:
        if block.furniture:  # never continues a paragraph, nor lets one continue across it
            pending.append(block)
            continue
        if _is_jump_out(block) and spans and not pending:
            spans[-1].append(block)  # （下转第3版） ends the paragraph before it
            continue
        # a paragraph cut by the layout mid-sentence continues in this block; one sent to
        # another page (…（下转第3版）) only in the text coming from there (（上接第1版）…)
        continues = False
        if spans and not pending and not _END_MARK.fullmatch(spans[-1][-1].text):  # （完）
            last = spans[-1][-1].text
            jump = _JUMP_OUT_END.search(last, max(0, len(last) - 40))  # a jump is short
            if jump:
                before = _rstripped(last[: jump.start()])
                if not before and len(spans[-1]) > 1:  # the jump is a line of its own
                    before = spans[-1][-2].text
                continues = bool(_JUMP_IN_START.match(block.text)) and not ends_sentence(before)
            else:
                continues = not ends_sentence(last)
        if continues and (block.size < min_chars or block.end - spans[-1][0].start <= max_chars):
            spans[-1].append(block)
        elif _is_heading(block) or _stack(block) or _is_byline(block) or block.size < min_chars:
            pending.append(block)  # headings and lead-ins ("其次，...。") belong to what follows
        else:
            spans.append([*pending, block])
            pending = []
    if pending and spans:
        # the lines after the text (责任编辑：, 版权所有) are a segment of their own, but a short
        # sentence or an end mark before the first of them (谢谢。, （完）) is the text's
        first = next((i for i, b in enumerate(pending) if b.furniture), len(pending))
        cut = max((i + 1 for i in range(first) if _ends_text(pending[i])), default=0)
        spans[-1].extend(pending[:cut])
        pending = pending[cut:]
    if pending and spans and not any(b.furniture for b in pending):
        spans[-1].extend(pending)
    elif pending:  # a segment of its own, also the lines after the text (责任编辑：, 版权所有)
        spans.append(pending)
    segments = tuple(Segment(s[0].start, s[-1].end, text[s[0].start : s[-1].end]) for s in spans)
    title = _headline(blocks[0]) if has_title else None
    return Article(title, blocks[0].start, blocks[-1].end, segments)


def _ends_text(block: _Block) -> bool:
    """Whether ``block``, a short one after an article's last paragraph, is still of its text:
    it ends a sentence (``谢谢。``) or is an end mark (``（完）``)."""
    return ends_sentence(block.text) or bool(_END_MARK.fullmatch(block.text))


def _windows(article: Article, text: str, size: int) -> Article:
    windows: list[Segment] = []
    for seg in article.segments:
        sents = split_sentences(text, seg.start, seg.end)
        for i in range(0, len(sents), size):
            chunk = sents[i : i + size]
            windows.append(
                Segment(chunk[0].start, chunk[-1].end, text[chunk[0].start : chunk[-1].end])
            )
    return Article(article.title, article.start, article.end, tuple(windows))
