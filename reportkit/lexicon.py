"""The genre's vocabulary, written once: punctuation in both widths, brackets, list markers, cue words.

Every module takes its character classes and cue words from here. A class spelled out by hand in
three modules is how the full-width bug happened: the seeds use ASCII ``,;:()`` while most real
pages write ``，；：（）``, so every class below holds both forms. Strings are plain ``str`` of
characters (for ``in`` tests and ``str.translate``); ``*_CLASS`` names are the same sets escaped for
use inside a regex character class.
"""

from __future__ import annotations

import functools
import re


def char_class(chars: str) -> str:
    """``chars`` as the inside of a regex character class (``[...]``), every character escaped."""
    return "".join("\\" + c if c in "\\]^-[" else c for c in dict.fromkeys(chars))


# --- Space ----------------------------------------------------------------------------------------

# Ideographic space (U+3000) pads full-width text and indicator-table rows; NBSP and BOM come from
# scraped pages.
SPACES = " \t\u3000\u00a0\ufeff"
LINE_BREAKS = "\n\r"

# --- Sentence and clause punctuation ---------------------------------------------------------------

FULL_STOP = "\u3002"  # 。
SENTENCE_ENDS = "\u3002!?\uff01\uff1f"  # 。 ! ? ！ ？ (a line break ends a sentence too: see SENTENCE_BREAKS)
SEMICOLONS = ";\uff1b"  # ; ；
COLONS = ":\uff1a"  # : ：
COMMAS = ",\uff0c"  # , ，
ENUMERATION_COMMA = "\u3001"  # 、 lists parallel items: 组建业委会70个、楼事会250个
# Where one statement stops: sentence ends, semicolons and line breaks (a semicolon separates
# parallel statements in this genre as a full stop would).
SENTENCE_BREAKS = SENTENCE_ENDS + SEMICOLONS + LINE_BREAKS
# Where one clause stops. The enumeration comma is not here: whether it ends a clause depends on
# whether a figure stands before it (see the clause splitter).
CLAUSE_BREAKS = SENTENCE_BREAKS + COMMAS + COLONS

# --- Brackets and quotation marks --------------------------------------------------------------------

PAREN_OPEN = "(\uff08"  # ( （
PAREN_CLOSE = ")\uff09"  # ) ）
BRACKET_PAIRS = (
    ("(", ")"),
    ("\uff08", "\uff09"),  # （ ）
    ("[", "]"),
    ("\u3010", "\u3011"),  # 【 】
    ("\u3014", "\u3015"),  # 〔 〕 document numbers: 〔2024〕47号
    ("\u300a", "\u300b"),  # 《 》 titles
    ("\u300c", "\u300d"),  # 「 」
    ("\u300e", "\u300f"),  # 『 』
    ("\u201c", "\u201d"),  # “ ”
    ("\u2018", "\u2019"),  # ‘ ’
)
OPENING_BRACKETS = "".join(o for o, _ in BRACKET_PAIRS)
CLOSING_BRACKETS = "".join(c for _, c in BRACKET_PAIRS)
QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f"

# --- Digits and list markers ---------------------------------------------------------------------------

ASCII_DIGITS = "0123456789"
FULLWIDTH_DIGITS = "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19"  # ０-９
# ①–⑳: pass str.isdigit() (most of them) but are not \d and never part of a figure.
CIRCLED_NUMBERS = "".join(chr(c) for c in range(0x2460, 0x2474))
# The numerals of heading markers (一、 (三) 十二是) and of counts (三个, 两千三百).
CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUMERALS = CN_DIGITS + "十百千万亿"
CN_HEADING_NUMERALS = "一二三四五六七八九十"
# Marker punctuation after an Arabic list number: 1、 1. 1． (the full-width full stop of c02).
ARABIC_MARKER_ENDS = "\u3001.\uff0e"
CN_MARKER_ASCII_ENDS = ",.\uff0c\uff0e"  # 一, 一. 一， 一． for 一、 (line start only)

# Ready-made regex classes for the sets above.
SPACE_CLASS = char_class(SPACES)
SENTENCE_BREAK_CLASS = char_class(SENTENCE_BREAKS)
CLAUSE_BREAK_CLASS = char_class(CLAUSE_BREAKS)
COLON_CLASS = char_class(COLONS)
COMMA_CLASS = char_class(COMMAS)
SEMICOLON_CLASS = char_class(SEMICOLONS)
PAREN_OPEN_CLASS = char_class(PAREN_OPEN)
PAREN_CLOSE_CLASS = char_class(PAREN_CLOSE)
DIGIT_CLASS = char_class(ASCII_DIGITS + FULLWIDTH_DIGITS)
ARABIC_MARKER_END_CLASS = char_class(ARABIC_MARKER_ENDS)

# --- Width folding ---------------------------------------------------------------------------------------

# Full-width ASCII variants (U+FF01–U+FF5E) and the ideographic space, mapped to their ASCII forms.
# Same length in and out, so offsets into the folded copy are offsets into the original text.
_FULLWIDTH_CHAR = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_FULLWIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")


def to_halfwidth(text: str) -> str:
    """``text`` with full-width ASCII forms (１２．５％，；) folded to ASCII; length unchanged.

    Each full-width character present is replaced throughout (a few C-level passes):
    ``str.translate`` on CJK text pays a failed lookup for every character, about 9x slower.
    """
    if text.isascii():
        return text
    for ch in set(_FULLWIDTH_RE.findall(text)):
        text = text.replace(ch, _FULLWIDTH_CHAR[ch])
    return text


def is_cjk(ch: str) -> bool:
    """True for a CJK unified ideograph (the characters indicator names are written in)."""
    return "\u4e00" <= ch <= "\u9fff"


SENTENCE_BREAK_RE = re.compile(f"[{SENTENCE_BREAK_CLASS}]")
CLAUSE_BREAK_RE = re.compile(f"[{CLAUSE_BREAK_CLASS}]")

# --- Documents in ASCII punctuation --------------------------------------------------------------
# A text written with , . ; : ( ) ends its sentences with an ASCII full stop: after a word, a unit, %
# or a bracket and before CJK text, a quote, a bracket, a figure or the line end (增长18.1%.新增民宿42家).
# Between digits it is a decimal point (18.1), after a line-initial number a list number (1. / 一. /
# (一).), so neither ends a sentence. The stop view writes each such stop as 。 (same length, same
# offsets), and every layer that cuts sentences, clauses and headings cuts that view.
ASCII_FULL_STOP = "."
ASCII_STOP_RE = re.compile(
    r"(?<![0-9\uff10-\uff19\s.])\.(?=[\u4e00-\u9fff\u201c\u2018\"'(\uff08\[\u30100-9A-Z]|[ \t\u3000]*(?:[\r\n]|$))"
)
_LINE_MARKER_BEFORE = re.compile(
    f"[ \\t\u3000]*(?:[{CN_HEADING_NUMERALS}]{{1,3}}|[{PAREN_OPEN_CLASS}][{CN_HEADING_NUMERALS}0-9]{{1,3}}[{PAREN_CLOSE_CLASS}])$"
)


def ascii_stops(text: str) -> list[int]:
    """Offsets of the ASCII full stops of ``text`` that end a sentence (see ``ASCII_STOP_RE``)."""
    if ASCII_FULL_STOP not in text:
        return []
    out = []
    for m in ASCII_STOP_RE.finditer(text):
        i = m.start()
        newline = text.rfind("\n", max(0, i - 8), i)  # a heading number sits in a line's first few characters
        line_start = newline + 1 if newline >= 0 else (0 if i <= 8 else -1)
        if line_start >= 0 and _LINE_MARKER_BEFORE.match(text, line_start, i):
            continue  # 一. / (一). opening a line is a heading number
        out.append(i)
    return out


@functools.lru_cache(maxsize=8)  # each layer asks once per document; a str keeps its hash
def with_fullwidth_stops(text: str) -> str:
    """``text`` with each sentence-ending ASCII full stop written 。 (same length: offsets do not move)."""
    stops = ascii_stops(text)
    if not stops:
        return text
    chars = list(text)
    for i in stops:
        chars[i] = FULL_STOP
    return "".join(chars)

# --- Headings and section roles (reportkit.segmenting, reportkit.metadata) ----------------------------
# A heading's role comes from its words. The genre varies them freely (工作回顾, 主要成效, 完成情况,
# 短板和不足, 困难和挑战, 下一步打算, 工作思路, 今年工作安排, 工作要点, 主要预期目标), so each role is
# a list of word stems; a title naming two roles is labelled by neither, except that a heading that
# reports how something went (年度目标任务完成情况, 计划执行情况) is review whatever it names.

REVIEW_HEADING_WORDS = (
    "回顾", "亮点", "成效", "成绩", "成果", "主要工作", "工作总结", "工作情况", "完成情况", "进展情况", "取得",
    "过去一年", "一年来", "今年以来", "总结", "开展情况", "成就",
    "履职", "履行职责",  # a 述职报告 reviews the duties performed: 一、履职尽责情况, 主要履职情况, 履行职责情况
)
# Headings of a part that is neither review, problems nor plans: 一、基本情况 (the place described),
# and the closing part of a plan on how it is carried out (三、工作要求, 保障措施), no plan item.
OTHER_HEADING_WORDS = ("基本情况", "基本概况", "概况", "工作要求", "有关要求", "保障措施", "组织保障", "工作保障")
PROBLEM_HEADING_WORDS = (
    "存在问题", "存在的问题", "问题和不足", "困难和挑战", "困难和问题", "不足", "短板", "差距", "薄弱环节",
    "挑战", "问题",
    # a part named for its difficulties alone (二、面临的困难): 困难 by itself also names whom the work
    # helps (帮扶困难群众), so only these phrases make a problems heading
    "面临的困难", "存在的困难", "存在困难", "主要困难",
)
PLAN_HEADING_WORDS = (
    "计划", "思路", "打算", "安排", "目标", "下步", "下一步", "明年", "展望", "要点", "部署", "重点任务",
)
# Words that make a heading a review of what was done, even when it also names 目标/计划/任务.
REVIEW_OUTCOME_WORDS = ("完成情况", "执行情况", "落实情况", "进展情况", "推进情况", "成效")
# Document titles: which roles an unlabelled top-level part takes (…工作总结 → review).
TITLE_REVIEW_WORDS = ("总结", "回顾", "述职")
TITLE_PLAN_WORDS = ("计划", "思路", "打算", "要点", "目标", "部署", "安排")
TITLE_REPORT_WORDS = ("总结", "报告", "要点", "思路")
# Words of a document title (鹤鸣街道2024年工作总结和2025年工作思路, 工作报告, 工作要点).
TITLE_WORDS = TITLE_REPORT_WORDS + ("计划", "目标", "工作")
# Sentences that open a problems passage inside a line: 在肯定成绩的同时,…面临许多困难和挑战:一是…
PROBLEM_INTRO_WORDS = (
    "在肯定成绩的同时", "成绩的同时", "同时也要看到", "但也要看到", "我们也清醒地看到", "清醒地看到", "也存在一些问题",
    "存在的问题", "存在问题",
)
PROBLEM_NOUNS = ("困难", "问题", "不足", "短板", "挑战", "差距")
# A news item without plan headings states its plans in sentences that open with a future time word
# or with a subject and a will-verb (2026年禾塬乡将新建…, 我们力争…, 该镇还将于…), maybe after a speech
# lead (乡长表示，…; 据了解，…) or inside quoted speech (“明年，我们力争…”).
PLAN_STATEMENT_TIMES = ("明年", "下一步", "下步", "今后", "接下来", "下阶段", "下一阶段")
PLAN_STATEMENT_VERBS = ("还将", "将", "力争", "计划", "拟")
# Words that put a news item's plans in the year after the one it reviews (明年，该镇将…).
NEXT_YEAR_WORDS = ("明年", "来年")
# A year-to-date period written as its end: 截至11月底 / 截止到9月末 (flows of 1-11月), 前11个月.
AS_OF_WORDS = ("截至", "截止到", "截止")
MONTH_END_WORDS = ("月底", "月末", "月份")
FIRST_MONTHS = ("前", "个月")  # 前11个月: the first N months
SPEECH_LEAD_VERBS = ("表示", "介绍", "透露", "指出", "强调", "说", "了解", "获悉")
# What ends the lead of a colon that is no indicator's label (主要指标如下：, 具体情况：, 他说：,
# 全年目标：, 其中：): an 指标：数值 line's label names a measure, these a list, a speech or a goal.
LABEL_LEAD_ENDS = SPEECH_LEAD_VERBS + (
    "如下", "情况", "方面", "工作", "措施", "举措", "成效", "成绩", "亮点", "做法", "经验", "内容", "其中",
    "目标", "任务", "计划", "要求", "是", "为", "有", "包括", "分别", "即", "一是", "二是", "三是",
)
# A topic clause before the speaker of a news item's plans: 谈及明年打算，镇长表示，…; 对于下一步工作，…
SPEECH_TOPIC_WORDS = ("谈及", "谈到", "谈起", "说起", "对于", "关于", "展望")
# A will-verb an inline 一是 list may follow with no punctuation between: 该镇将一是…；二是…
ITEM_LIST_LEAD_VERBS = ("将", "要")
# Sentences that open the numeric targets of a plan: 主要预期目标是: …
TARGETS_INTRO_WORDS = ("主要预期目标", "预期目标", "主要目标", "目标任务", "全年主要目标", "主要指标")
# How the name of an issuing body ends (sign-off lines, running headers, 发布机构 fields).
ISSUER_NAME_ENDINGS = (
    "街道办事处", "街道办", "街道工作委员会", "街道党工委", "工作委员会", "居民委员会", "村民委员会", "委员会",
    "人民政府", "政府", "办事处", "党工委", "党委", "街道", "社区", "镇", "乡",
)
# Words that open a passage of results in a text without review headings (a news item):
# 今年以来/上半年,…完成规上工业总产值126.8亿元…
REVIEW_INTRO_WORDS = ("今年以来", "一年来", "过去一年", "上半年", "前三季度", "截至目前")
# Page header and issuer (reportkit.metadata). Labels of the header fields that name the issuing body.
ISSUER_FIELD_LABELS = ("发布机构", "发布单位", "发文机关", "发文单位", "信息来源", "来源")
# The level words of places and bodies a news headline names before a colon (禾塬乡：…).
LEVEL_WORDS = ("街道", "社区", "乡", "镇", "村", "县", "区", "市")
# Arrows between the parts of a breadcrumb path (首页 > 新闻中心 > 乡镇动态).
PATH_ARROWS = ">›»＞"
# Header fields only a news item carries (a report posted as a document has none).
NEWS_FIELD_LABELS = ("作者", "记者", "通讯员", "责任编辑")
# The source field of a page header (来源：青禾镇人民政府　2026-12-30).
SOURCE_FIELD_LABELS = ("来源", "信息来源", "稿件来源", "文章来源")
# A 公众号 post's stamp line: 原创 2026-12-28 18:30 发表于浙江 (the words around the post's date).
POST_STAMP_LEADS = ("原创", "转载")
POST_STAMP_TAILS = ("发表于", "IP属地")
# Counters of a WeChat / 公众号 page (阅读 1.2万, 在看 36, 点赞 128): page chrome, never metrics.
PAGE_COUNTER_WORDS = ("阅读", "在看", "点赞", "赞", "分享", "转发", "收藏", "留言", "评论")
# Fields that follow the date on a page's stamp line (2025-12-29 16:45　来源：…　浏览次数：…).
STAMP_FIELD_LABELS = (*SOURCE_FIELD_LABELS, "作者", "编辑", "责任编辑", "浏览次数", "阅读量", "点击数", "访问量")
# Fields of a page footer or dateline that name the publisher, whose place is the page's jurisdiction
# (来源：松平县融媒体中心, 主办：…县人民政府办公室).
PUBLISHER_FIELD_LABELS = ("来源", "信息来源", "稿件来源", "文章来源", "主办", "主办单位", "版权所有", "承办")
# Verbs that take a government body as their object (我代表县人民政府, 紧紧围绕县委、县政府): the
# characters before a bare 县/区/市 there are this verb, not a place name.
BODY_OBJECT_VERBS = (
    "代表", "围绕", "按照", "根据", "落实", "贯彻", "服从", "配合", "协助", "带领", "领导", "支持", "指导", "部署",
    "感谢", "关心", "要求", "安排", "汇报", "报告", "向着",
)
# Where a community or village says which 街道/镇 it belongs to: 梨花社区位于东湖街道中部, 隶属于…镇.
LOCATED_IN_WORDS = ("位于", "隶属于", "隶属", "地处")
# Words just after a year that say it is the year under review (2025年度工作总结, 2025年以来, 交出2025年
# “成绩单”); a year followed by a plan word (TITLE_PLAN_WORDS, target cues, 将) is a plan's year.
# 过去的一年, 过去一年: a report given early in a year looks back on the one before (a 政府工作报告 to a 人代会).
PAST_YEAR_WORDS = ("过去的一年", "过去一年", "刚刚过去的一年")
YEAR_REVIEW_CUES = ("总结", "回顾", "述职", "以来", "全年", "成绩", "一年来", "完成情况")
# Administrative units a region is written in, from the top down.
PROVINCE_NAMES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾",
    "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
AUTONOMOUS_REGIONS = {"内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区", "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区"}
# The one-character province names of ICP and 公网安备 numbers in site footers (粤ICP备…).
PROVINCE_ABBREVIATIONS = {
    "京": "北京", "津": "天津", "沪": "上海", "渝": "重庆", "冀": "河北", "晋": "山西", "辽": "辽宁", "吉": "吉林",
    "黑": "黑龙江", "苏": "江苏", "浙": "浙江", "皖": "安徽", "闽": "福建", "赣": "江西", "鲁": "山东", "豫": "河南",
    "鄂": "湖北", "湘": "湖南", "粤": "广东", "琼": "海南", "川": "四川", "蜀": "四川", "黔": "贵州", "贵": "贵州",
    "滇": "云南", "云": "云南", "陕": "陕西", "秦": "陕西", "甘": "甘肃", "陇": "甘肃", "青": "青海", "蒙": "内蒙古",
    "桂": "广西", "藏": "西藏", "宁": "宁夏", "新": "新疆",
}
# Words after a place name that make it a jurisdiction (台山市委, 番禺区人民政府), not a destination.
JURISDICTION_WORDS = ("委", "人民政府", "政府", "人大", "政协")
# Characters that never occur in a place or body name: they mark a phrase (前三季度城镇, 年全镇).
NOT_NAME_CHARS = "全本各该在将和及与对抓措度的了到把向从由为于是年月日省级个等并、我这其此每"
# Inline item markers of speeches and news: 一是/一要/一抓 (是否 is a question, not an item).
ITEM_MARKER_VERBS = "是要"
# Enclosed numbers of list items: ①–⑳ and ⑴–⒇ (parenthesised).
CIRCLED_ITEM_NUMBERS = CIRCLED_NUMBERS + "".join(chr(c) for c in range(0x2474, 0x2488))

# --- Indicator wording (reportkit.indicators) -------------------------------------------------------
# How the genre wraps a standard indicator's name: a subject, time or verb before it (全镇实现地区生产
# 总值, 2023年全镇…, 力争…, 新认定…), a rate, target or stock word after it (…同比增长, …增速, …完成全年
# 目标, …全年目标, …总数, …保持在). These are folded away before a name is looked up; what remains
# must be an indicator's name or alias, so 签约亿元以上项目协议总投资 (a sub-figure) stays unmatched.

INDICATOR_ABBREVIATIONS = (("规模以上", "规上"), ("限额以上", "限上"))
# Words that may sit inside an indicator's name without changing it (12345热线群众满意率 = 热线满意率).
INDICATOR_FILLERS = ("12345", "群众", "工单")
INDICATOR_PREFIXES = (
    # subject and place
    "全镇", "全乡", "全街道", "全街", "全区", "全县", "全市", "全域", "全辖区", "全村", "全社区", "辖区内", "辖区",
    "本镇", "本街道", "我镇", "我乡", "我街道", "我区", "街道", "镇域", "区域内",
    # administrative level of a project list (市区重点项目, 省市重点项目)
    "省市县", "省市", "市县", "市区", "区县", "省级", "市级", "县级", "区级", "镇级", "省", "市", "县", "区",
    # time
    "全年", "今年", "年内", "当年", "本年", "上年度", "上年", "去年", "上半年", "下半年", "前三季度", "一季度",
    "截至目前", "截至年底", "目前", "较上年", "比上年", "较去年", "同期",
    # verbs and connectives of the statement
    "实现", "完成", "达到", "累计", "共计", "合计", "共", "力争", "争取", "确保", "计划", "预计", "推动", "其中",
    "新认定", "认定", "新培育", "培育", "新引进", "新增", "新", "实施", "再",
)
INDICATOR_SUFFIXES = (
    # growth and decline
    "同比增长", "同比下降", "同比增加", "同比减少", "比上年增长", "比上年下降", "较上年增长", "较上年下降",
    "年均增长", "增长率", "增长", "增速", "增幅", "增加", "下降率", "下降", "降低率", "降低", "降幅", "减少", "同比",
    # progress against a plan
    "完成率", "完成全年目标任务", "完成全年目标", "完成全年任务", "完成全年计划", "完成年度计划",
    "完成年度目标任务", "完成年度目标", "完成年度任务", "完成目标任务", "完成计划", "占全年目标", "占年度计划",
    "年度计划", "全年计划", "全年任务", "年度任务",
    # targets
    "全年目标", "年度目标", "目标任务", "预期目标", "目标",
    # stocks and the verbs before a figure
    "总数", "总量", "总额", "数量", "保持在", "稳定在", "提高到", "提高至", "提升到", "提升至",
    "达到", "保持", "稳定", "突破", "超过", "完成", "实现", "为", "达", "的",
)
# A ratio of two indicators (税收收入占一般公共预算收入比重, 工业投资占固定资产投资比重) is an indicator of
# its own, not either one: 占/比重 are deliberately not folded away.
# Words of a stock (高新技术企业总数达到53家): a stock is no actual for a yearly flow target.
INDICATOR_STOCK_WORDS = ("总数", "总量", "累计", "存量")
# 其中 opens a part of what came before: in 收入8.6亿元其中税收收入7.3亿元 the figure is the part's.
INDICATOR_PART_WORDS = ("其中",)
# Verbs that open a statement: an engine's name that runs two together (新增规上工业企业完成工业技改
# 投资) is read from the last of them.
INDICATOR_CLAUSE_VERBS = ("实现", "完成", "新增", "达到", "累计", "力争", "新认定", "新培育", "引进", "签约")
# A clause that is only one of these verbs (收集居民意见建议263条,解决241条; 排查隐患860处,已整改812处;
# 新增规上工业企业4家,退出2家) acts on the object of the clause before: its name is verb + that object.
DEED_VERBS = (
    "解决", "办结", "整改", "退出", "培训", "新建", "改建", "改造", "排查", "收集", "受理", "化解", "调解", "销号", "清理",
    "拆除", "整治", "走访", "接待", "帮扶", "救助", "新增", "减少", "注销", "关停", "处置", "查处", "立案", "启动", "实施", "盘活",
    "组建", "成立", "设立", "开辟", "开设", "创建", "建立",
)
# The units a place is made of: a count written before one (全乡14个行政村…) is what there is (period
# null), unless its clause reports a deed (新建3个社区).
# 全乡308户防返贫监测对象中，风险已消除的262户: a count before its noun that closes its clause with 中
# names the set the next clause counts from (period null), as 其中 names a part.
AMONG_WORD = "中"
ADMIN_UNIT_NOUNS = (
    "行政村", "自然村", "村（社区）", "村(社区)", "村委会", "居委会", "村民小组", "居民小组", "社区",
    "街道", "乡镇", "镇街",  # a 区/县/开发区 is made of these (代管3个街道, 辖8个乡镇)
)
# The word that opens a share of a whole (占行政村总数的38.3%): the whole's noun is the denominator's.
SHARE_OF_WORDS = ("占",)
# 家庭医生签约服务覆盖常住人口的41.5%: a rate written as what it covers; the words after 覆盖 name its
# base (常住人口, a stock), not the indicator (the service's coverage, reached in the year).
COVERAGE_OF_WORDS = ("覆盖",)
# People a place holds (全镇党员1128名, 其中低保对象1260人, 监测对象三百四十二户): a count named by one of
# these alone, after at most the place (全镇, 辖区, 其中) and a setting (农村, 城乡), is a stock;
# 发展党员17名, 纳入监测对象46户 report what was done and stay dated.
HOLDING_NOUNS = (
    "党员", "低保对象", "低保户", "低保", "特困供养人员", "特困供养对象", "特困人员", "监测对象", "五保户",
    "残疾人", "退役军人", "留守儿童", "独居老人", "外出务工人员",
)
# 全乡纳入农村低保430户: the people a place has enrolled in a scheme are held like those it names.
HOLDING_VERBS = ("纳入",)
HOLDING_WHOLES = ("辖区", "其中", "现有", "共有")
HOLDING_SETTINGS = ("城乡", "农村", "城镇", "城市", "在册")
# Classes of firms whose count 达到N家 states the level reached (a stock), unless a deed is reported.
POPULATION_NOUNS = ("企业", "经营主体", "市场主体")
# …and classes of buildings, whose level 达到N栋 is a stock even when a threshold defines the class
# (税收超千万元楼宇达到9栋; a firm's class by its year's output stays dated, the corpus's convention).
BUILDING_NOUNS = ("楼宇",)
# …and catalogues of matters, whose size 扩大到56项 / 精简至186项 / 达到36项 is the list as it stands.
CATALOGUE_NOUNS = ("事项",)
LEVEL_LINKS = ("达到", "达")
# The word a rate's name ends with (参保率, 达标率).
RATE_WORD = "率"
# A unitless figure of an indicator named as a ratio (城乡居民收入比 2.05) is a share: one amount over another.
RATIO_NAME_ENDS = ("收入比", "比值")
# The noun of a count that a rate of the same act replaces (参保人数…，参保率 → …参保率).
COUNT_NOUN_ENDS = ("人数", "户数", "人次", "数量", "数")
# An area or length something was done to is the year's work (盘活闲置楼宇面积, 完成绿化提升面积4.2万平方米).
# 增加绿化面积1.8万平方米 opens with the verb: the area added in the year (but 面积增加到… is a level,
# 比上年增加1800亩 a change, and 绿化面积增加 a change of the stock: the verb must lead its object).
AREA_DEED_VERBS = ("完成", "增加")
DEED_PREFIXES = ("已", "共", "累计", "全部")  # 已整改812处
# 等 closes a list of examples; the indicator is the verb before the list + the noun after 等
# (协调解决用工、融资、用地等问题327个 → 协调解决问题).
EXAMPLES_END = "等"
# A figure is a decline when its name says so (values are unsigned); a target with one of these
# qualifiers is a bound to stay under (降幅控制在5%以内, 能耗总量控制在…以内).
DECLINE_WORDS = ("下降", "减少", "降低", "降幅", "回落", "负增长", "压减", "缩减")
UPPER_BOUND_QUALIFIERS = ("以内", "以下", "不超过", "不高于")
# The body a report speaks for, less its office: 枫塘街道办事处 and 枫塘街道 are one organisation.
ORGANIZATION_SUFFIXES = ("办事处", "人民政府", "党工委", "工委", "党委", "管理委员会", "管委会", "委员会")
# Rates of any indicator: a growth, a change in points, a multiple.
RATE_UNITS = ("%", "个百分点", "百分点", "倍", "‰")

# --- Cue words of figures (reportkit.numbers, reportkit.rules; the figure check reads them too) ------
# A figure's kind and period come from the words of its own clause: indicator → amount → change
# clause (同比增长, 比上年增加, 提高…个百分点) → rate (完成率, 占…比重). Each tuple below is one
# grammatical role; rules.py builds its patterns from them, so a new phrasing is one word added here.

# Labels, not counts, after a numeral and counter: 五个方面, 分三个阶段, 十件民生实事, 四个意识.
LABEL_NOUNS = (
    "方面", "阶段", "环节", "层面", "维度", "原则", "机制", "体系", "民生实事", "实事", "意识", "自信", "维护",
    "确立", "代表", "统筹", "优先", "结合", "转变", "坚持", "必须", "作用", "全面", "一批", "主线", "抓手", "路径",
)
# Targets. Strong cues govern the rest of their sentence (力争地区生产总值增长6%,新建口袋公园3个);
# weak cues only their own clause (已全部达到整改整治目标,完成…6项 is achieved, not planned).
TARGET_SENTENCE_CUES = ("力争", "预计", "预期", "拟", "建成后", "目标是", "目标为", "争取达到", "力求")
TARGET_CLAUSE_CUES = ("计划", "目标", "确保", "将实现", "将达到", "将力争")  # bare 将 is also 把 (将街道划分为…)
# …not inside a policy's name: 稻谷目标价格补贴98万元 is money paid out.
TARGET_CUE_NOT_BEFORE = ("价格",)
# 计划/目标 read as a yardstick, not a goal: 完成年度计划的108%, 占年计划100.36%, 年度计划投资.
TARGET_YARDSTICK_WORDS = ("完成", "占", "年度计划", "年计划", "序时")
# In a plan, a figure right after one of these verbs counts what the plan works on, not a goal
# (抓好71家规上企业“一企一策”精准服务, 依托26个行政村): a count, undated, unless a target cue says otherwise.
PLAN_SCOPE_VERBS = ("抓好", "服务好", "依托", "围绕", "聚焦", "用好", "管好", "拓展", "深化", "巩固", "立足", "面向")
# Progress against a plan or a caseload (kind completion_rate).
COMPLETION_WORDS = (
    "完成率", "办结率", "结案率", "签约率", "整改率", "化解率", "执行率", "转化率", "入户率", "消除率", "销号率",
    "兑现率", "到位率", "进度", "完成度", "开工率", "办复率",
)
# "完成/占 + yardstick (+的)": 完成全年目标的75.7%, 占年计划100.36%, 完成年度任务的93.8%.
COMPLETION_VERBS = ("完成", "占", "达到")
COMPLETION_YARDSTICKS = ("目标", "计划", "任务", "序时进度", "工程量")
# Progress written "为/完成 + plan or budget + 的" right before the rate: 完成预算的103.5%, 为年度计划的96.2%
# (a budget is the plan of revenue and spending; 一般公共预算收入 is an indicator, so 的 must follow).
RATIO_OF_PLAN_VERBS = ("完成", "为")
RATIO_OF_PLAN_YARDSTICKS = ("预算", "计划", "目标", "任务")
# Shares and levels (kind share): 比重, 占比, 覆盖率, 满意率 … and a bare 率 of a level.
SHARE_WORDS = ("比重", "比例", "占比", "覆盖", "满意", "强度", "率", "占")
# Change clauses. A comparison base, an optional 分别, a verb of change; a following 到/至 makes
# the figure the new level (提高到73%), not the change.
COMPARISON_WORDS = (
    "比上年同期", "较上年同期", "比去年同期", "较去年同期", "与上年相比", "与去年相比", "比上年", "较上年", "比去年",
    "较去年", "比年初", "较年初", "同比", "同步", "环比", "年均",
)
# 是上年的1.5倍, 为去年同期的2倍, 相当于上年的1.3倍: the base a multiple (倍) of a level is taken of;
# the multiple compares the indicator with it, as 比上年增长 does (达到/是/为 before it are links).
MULTIPLE_UNIT = "倍"
MULTIPLE_BASES = tuple(f"{base}的" for base in ("上年同期", "去年同期", "上年", "去年", "上年度", "同期"))
UP_WORDS = ("增长", "增加", "提高", "上升", "提升", "增幅", "增速", "比增", "扩大", "扩展",
            "净增", "净增加")  # 达到312家,净增29家: a stock's net change (entries less exits), a change like 增加
DOWN_WORDS = (
    "下降", "减少", "降低", "回落", "下滑", "下跌", "缩减", "压减", "精简", "缩短", "压缩", "收窄", "缩小", "降幅", "减幅",
    "净减", "净减少",
)
LEVEL_MARKERS = ("到", "至")
# One-character change verbs, read as a change only right before a level marker (降至, 增至, 升到).
SHORT_LEVEL_UP_VERBS = ("增", "升")
SHORT_LEVEL_DOWN_VERBS = ("降", "减")
# 森林覆盖率保持在78.6%: words that hold a level, read like 达到 (the figure is the level).
LEVEL_HOLD_WORDS = ("保持在", "稳定在", "维持在", "保持")
EACH_WORD = "分别"  # 分别增长a%和b%: one figure per indicator of the preceding list
# 石化、装备制造、新材料三大主导产业产值分别增长…: a count of the list's kind (三大, 两大) closes the
# list; what follows it, without these qualifiers, is the head every item shares (石化产业产值).
EACH_KIND_COUNT = "大"
EACH_KIND_QUALIFIERS = ("战略性新兴", "主导", "重点", "新兴", "支柱", "优势", "特色", "传统")
# 两大产业分别实现营收X和Y: verbs between 分别 and its figures; what they leave is the measure (营收).
EACH_VERBS = ("实现", "完成", "达到", "达", "为", "是", "有", "共")
SHARED_VALUE_WORDS = ("均为", "均达到", "均达", "均")  # 办结率、满意率均为100%: one number, two indicators
# Before/after pairs: 由上年的47%提高到73%, 由改造前的41%提高到86%.
BEFORE_WORD = "由"
# 较上年的28.9亿元增长9.3%: an amount after 较/比 + a base period + 的 is the base's level (a before value).
BASE_VALUE_WORDS = ("较", "比")
# Hedges: the words that qualify a figure, by where they stand (超5亿元, 3000人以上, 2亿多元) and by
# what they say of the true amount (the check's arithmetic widens its test by it). Longer first
# where one starts another (不超过 before 超过 before 超). numbers reads them, rendering and
# tracking write them back in place, check._arithmetic bounds a stated rate with them.
HEDGES_BEFORE = ("不低于", "不少于", "不超过", "不足", "不到", "超过", "超出", "将近", "接近", "大约", "近", "超", "逾", "约", "突破")
# The marks of quoted speech (“…”): its figures restate the report's, so they are read, not extracted.
SPEECH_OPEN, SPEECH_CLOSE = "\u201c", "\u201d"
# Tenths (两成, 七成以上); 成 before these is a word (成员, 成立, 成本, 成为), not a unit.
TENTHS_UNIT = "成"
TENTHS_NOT_BEFORE = "员立为功效果本交绩熟型长就品都片套批"
# A number without a unit glued to these is still a figure: a ratio's change (由2.03缩小到1.98).
BARE_FIGURE_BEFORE = ("缩小", "扩大", "提高", "提升", "上升", "下降", "降低", "减少", "增加", "增长", "降至", "升至")
# A ratio's head word before its bare number (收入比由2.03缩小到1.98, 比值为0.82): not 比上年, 比重, 比例.
RATIO_HEAD_PATTERN = "比(?![上去增重例较同])|系数"
# The words that join a list's last items instead of 、 (起数和死亡人数, 资金及项目, 城镇与农村).
LIST_JOINER_CHARS = "和及与"
# Joiners of a list of figures whose unit is written once, after the last (3.6个和5.2个百分点).
FIGURE_LIST_JOINERS = (*LIST_JOINER_CHARS, "、")
HEDGES_AFTER = ("以上", "以下", "以内", "左右", "上下", "之多")
# A hedge before a bare magnitude in Chinese numerals (近千名, 上百户, 数十家, 近万人): a count of about
# that order. The figure's value is the magnitude (1000 人) and the hedge word as written its qualifier
# (近, 上, 数); 上百/数十 say "as many as / several" of it, so they read as at least the magnitude.
HEDGES_OF_MAGNITUDE = ("近", "上", "数")
MAGNITUDE_NUMERALS = ("十", "百", "千", "万")
# 一 with a classifier is an article before its noun (一批, 一户一表, 一星期); placed after what it
# counts and closing the clause it is a count of one (新建教学楼一栋，新增公厕一座。), unless the
# character before makes it an ordinal or a word (第一栋, 唯一一家, 统一: ONE_NOT_AFTER) or a distributive
# stands up to three characters back (每村一个, 每个村一名: DISTRIBUTIVE_WORD).
DISTRIBUTIVE_WORD = "每"
# Classifiers whose 一 is "a few" wherever it stands (谋划一批、签约一批、开工一批: a slogan, no count).
VAGUE_ONE_CLASSIFIERS = ("批", "批次", "种", "类")
ONE_NOT_AFTER = "第其唯统逐之同单合零〇一二两三四五六七八九十百千万亿"
HEDGES_AT_LEAST = ("超", "超过", "超出", "逾", "以上", "突破", "不低于", "不少于", "上", "数")
HEDGES_AT_MOST = ("近", "将近", "接近", "不到", "不足", "以下", "不超过")
HEDGES_ABOUT = ("约", "大约", "左右", "上下")
# A target's own hedge written before it (力争突破30亿元 as qualifier 力争): placed like HEDGES_BEFORE.
TARGET_HEDGES = ("力争",)
# Hedges that make an amount a bound. A bound followed by the noun it qualifies is a threshold
# (亿元以上项目18个, 超亿元企业, 50万元以上的村); so is a bound every member meets (全部达到10万元以上).
THRESHOLD_AFTER_WORDS = ("以上", "以下", "以内", "及以上")
THRESHOLD_BEFORE_WORDS = ("超过", "超")
# A word before an amount that is no hedge of it but, with a noun after, makes it a class bound:
# 产值过10亿元企业14家 counts firms whose output passed 10亿元 (过 alone qualifies no figure).
THRESHOLD_BEFORE_BARE = ("过",)
THRESHOLD_ALL_WORDS = ("全部", "均", "都")
# 规上工业总产值突破600亿元，达到612.8亿元: the round mark passed, then the level reached (one figure).
MILESTONE_HEDGES = ("突破", "超过")
# What may follow an amount without making it a modifier of a noun (同比…, 的增长 …).
AMOUNT_CONTINUATIONS = (
    "同比", "增长", "增加", "提高", "下降", "减少", "比", "较", "占", "完成", "达", "和", "及", "与", "等", "用于",
    "左右", "大关", "以上", "以下", "以内", "规模", "的增", "的比",
)
# Measures whose unit is a duration or score (which is otherwise no figure): 优良天数186天, 服务时长,
# 企业开办时间压缩至0.5个工作日, 测评得分98.9分.
DURATION_MEASURES = ("天数", "时长", "时间", "时限", "工期", "用时", "周期", "日数")
SCORE_MEASURES = ("得分", "分数", "评分", "分值", "成绩")
# Stocks and undated states (period null). Sentence cues govern the sentence after them (全乡辖八个
# 行政村、三十六个自然村); clause cues only their clause (新增…14家,总数达到137家).
STOCK_SENTENCE_CUES = ("现有", "共有", "目前", "至今", "截至", "现设有", "全街共")
STOCK_GOVERNS = "辖"  # 全乡辖八个行政村: 辖 directly before a number (辖区 is a place, not a cue)
# 对辖内7条河涌实行常态化管养, 对1812名重点人员落实管控, 完善辖内15棵古树名木“一树一档”: a figure right
# after one of these is what the work is applied to, a stock, unless the rest of its sentence
# reports a deed (对辖区5185间出租房完成排查 is a flow).
OBJECT_STOCK_LEADS = ("对辖区内", "对辖区", "对辖内", "辖区内", "辖区", "辖内", "对")
STOCK_CLAUSE_CUES = (
    "每万人", "每千人", "每万名", "每百人", "划分", "配备", "下设", "储备", "在谈", "仍有", "尚有", "剩余", "注册", "选聘", "现有",
    "累计",
    "每日", "每天", "每周", "每月", "每季度",  # a frequency or capacity (每月坐班2次, 供水能力每日3万吨), not the year's total
)
# An indicator that ends with one of these is a stock: 规上工业企业总数, 存款余额, 户籍人口, 油茶面积.
# 新注册企业412家, 新登记经营主体: a stock cue after 新 counts the period's additions.
STOCK_CUE_FLOW_PREFIXES = ("新",)
# 培育社区社会组织64个，其中新增9个: a count whose 其中 part is the additions among it is the total
# standing (a stock), even after a deed verb; the part is the year's. The whole's own 新 (新增市场主体
# 2316户，其中新增企业874户) makes it the additions, dated; 其中新建项目15个、续建项目9个 sorts the
# year's projects by kind (not 新增), and the whole stays dated.
TOTAL_PART_WORDS = INDICATOR_PART_WORDS
TOTAL_PART_ADDITIONS = ("新增",)
STOCK_INDICATOR_ENDS = (
    "总数", "总量", "余额", "拥有量", "面积", "人口", "人数", "森林覆盖率",  # a state, unlike 垃圾分类覆盖率
    # what is owned and what a name is worth stand at a date (国有企业资产总额达到416亿元, 区域公用品牌价值
    # 达到18.6亿元); their change over the year (资产总额增长9.8%) stays dated by the change rule
    "资产总额", "总资产", "品牌价值",
)
# …except the annual flows that end the same way: 粮食播种面积 is sown in the year.
# …and an exam's result, counted once a year (高考本科上线人数2860人, 录取人数).
FLOW_INDICATOR_ENDS = ("播种面积", "新增面积", "上线人数", "录取人数")
STOCK_CLAUSE_OPENERS = ("有",)  # 辖区面积0.86平方公里,有居民小区9个
# …but not the adverbs that start with 有: 有序推动27个项目入库 reports what was done.
STOCK_OPENER_NOT = ("有序", "有效", "有力", "有机", "有关", "有所", "有望", "有利", "有针对性")
# A stock sentence stays one (…有居民小区9个,居民楼64栋,常住居民3218户) until a clause reports
# something done: 新增, 新建, 完成 ….
FLOW_CUES = (
    "新增", "新建", "新认定", "新培育", "新引进", "新签约", "新开工", "全年", "完成", "实现", "开展", "举办", "发放",
    "办理", "受理", "化解", "建成", "改造", "引进", "招引", "培育", "帮助", "解决", "走访", "接待", "整治", "拆除",
    "督导", "排查", "检查", "清理", "救助", "慰问",
    # the year reviewed named in the clause, like 全年: 全乡现有党员642名，今年发展党员19名 counts the
    # year's recruits after the stock (年内新增, 当年完成 alike)
    "今年", "年内", "当年",
)  # not 组织/服务: 基层党组织, 服务中心 are nouns
# …but 累计完成 reports progress within the period (限上批发业销售额累计完成7.77亿元).
FLOW_AFTER_STOCK_CUE = ("完成",)
# …and 注册资本 is a firm's size (其中注册资本1000万元以上企业36家 sorts the firms just brought in), not
# a register's count like 注册志愿者.
STOCK_CUE_NOUN_TAILS = ("资本",)
# Figures over several years (period null, like cumulative totals): a span the sentence names
# ("十四五"以来, 过去五年, 五年来, 三年累计) and an average yearly change (年均增长7.2%; not 年均浓度,
# the year's own average). The span is a number of years (not 一年来, the year reviewed).
MULTI_YEAR_PLANS = ("十三五", "十四五", "十五五")
MULTI_YEAR_PLAN_TAILS = ("以来", "期间", "时期")
MULTI_YEAR_NUMERALS = "两二三四五六七八九十"
MULTI_YEAR_HEADS = ("过去", "近")
MULTI_YEAR_TAILS = ("年来", "年以来", "年累计", "年间", "年共")
YEARLY_AVERAGE = "年均"
# 两年平均增长7.9%: a half-year release's average over two years (against a base two years back), written
# as a number of years before 年平均; undated like 年均增长 (the span is more than the period reviewed).
SPAN_AVERAGE = "年平均"
# 五年新建学校38所, 三年累计…: a span of years opening a clause with a deed reports the span.
MULTI_YEAR_DEEDS = ("累计", "共")
# 累计改造老旧小区213个，惠及居民6.8万户: who benefits from the amount before is counted over its span.
# …党组织总数达到42个，覆盖非公企业116家: what a count reaches shares its period (a stock's reach is one).
BENEFICIARY_LEADS = ("惠及", "受益", "覆盖")
LEAD_INDICATOR_TAILS = ("率", "面")  # …，覆盖率达到95%, 受益面: an indicator of its own, not who is reached
# Undated project parameters and projections (period null): 项目计划投资额12.13亿元, 建成后年销售额.
PROJECT_PARAMETER_WORDS = ("计划投资", "计划总投资", "计划投入", "预计总投资", "规划总投资", "建成后")
# A project's expected effects run on into the next sentence (园区建成后年销售额预计达6亿。直接解决就业500人
# 左右…): that sentence is a projection too unless it dates itself or says what was done with one of these.
PROJECTION_BREAKERS = ("已", "完成", "实现", "累计", "全年", "今年", "当年", "新增", "目前", "截至", "共")
PROJECT_PARAMETER_NOT_AFTER = ("年度", "年")  # 年度计划投资42亿元 is the year's target
# A name that is only a place or a preposition phrase (对辖区5185间出租房, 为辖内17家企业) gives way
# to the noun after the counter.
PLACE_WORDS = ("辖区内", "辖区", "辖内", "全街道", "全街", "全镇", "全乡", "全区", "全县")
# Money put into something, then what it builds: 投入4.48亿元建成…侨乡碧道, 投资1.5亿元建设…商业楼项目.
# The amount is named by what it builds, with the money word (侨乡碧道投入).
INVEST_WORDS = ("投入", "投资", "资金")
INVEST_USE_VERBS = ("建设", "建成", "新建", "实施", "打造", "启动", "改造", "用于")
# A figure written as an attribute of a thing (1100余亩、3000余户的南滨江九大团块, 投资近1亿元的颐养院
# 项目) describes the thing, not the year's work: undated, named by the thing (+ the measure noun).
# The attribute opens its clause or follows only one of these measure nouns; a deed verb before it
# (组建106人的人才库) makes it what was done.
ATTRIBUTE_MEASURES = ("投资", "总投资", "面积", "占地", "占地面积", "建筑面积", "总面积", "规模", "总长", "全长", "容量")
# Measures of a thing named in the clause before (新增民宿42家，床位860张 → 新增民宿床位; 发展高山蔬菜三千亩，产值约2400万元).
THING_MEASURE_NOUNS = ("床位", "产值", "产量", "面积", "收入", "营收", "投资", "规模", "总长", "容量", "客流")
# Where the name of the thing ends: the first run of these head nouns after 的 (颐养院项目).
ATTRIBUTE_HEADS = (
    "项目", "工程", "团块", "区块", "片区", "园区", "社区", "小区", "基地", "中心", "公园", "园", "院", "馆", "站", "厂",
    "村", "街", "路", "楼", "场", "库", "队伍", "队", "团队",
)
PREPOSITIONS = ("对", "为", "向", "给", "帮助", "督导")
# Period words. The year words name the year reviewed; 今年以来 names the document's own span (the
# first nine months in a 前三季度 report); 上年/去年 mark the base of a comparison unless a value
# is stated for them (由上年的47%).
YEAR_WORDS = ("全年", "本年", "当年", "年内", "本年度")
SPAN_WORDS = ("今年以来", "今年")
PRIOR_YEAR_WORDS = ("上年", "去年")
BASE_YEAR_BEFORE = ("较", "比", "与", "同", "比上", "相比")
# Indicator tables as the loaders render them (" | " between HTML/docx cells, a tab in text exports):
# a row label carries the unit in brackets (地区生产总值（亿元） | 68.4 | 5.9%), a header cell the column's
# role (同比增长 → growth_rate). 其中： before a label marks a sub-indicator.
TABLE_CELL_SEPARATORS = (" | ", "\t")
TABLE_SUB_ROW = "其中"
# A column of units (单位 | 万元) gives each row's bare numbers their unit; a 序号 column is no label.
TABLE_UNIT_HEADERS = ("单位", "计量单位", "单 位")
TABLE_SERIAL_HEADERS = ("序号", "编号")
# A column header naming what was done (上半年完成, 实际完成): its figures are no targets.
TABLE_DONE_HEADER_WORDS = ("完成", "实际", "实现")
# A column of changes: 增减(%), ±%, 涨跌 (beside 同比, 增长, 增速 … of COMPARISON_WORDS and UP/DOWN_WORDS).
TABLE_CHANGE_HEADER_WORDS = ("增减", "±", "+/-", "涨跌", "升降")
# A sub-period inside a longer one governs its own clause only: 其中三季度单季增长7.8%.
# 1-6月…增长5.4%,二季度环比增长2.2%: a quarter's chain growth (against the quarter before) inside a
# half-year paragraph is that quarter's, and the paragraph's later figures keep the paragraph's period.
SUB_PERIOD_AFTER = ("单季", "单月", "环比")
SUB_PERIOD_BEFORE = ("其中",)

# --- What models write in an answer (reportkit.llm.normalise) -----------------------------------------
# A metric's kind as models spell it, mapped to the schema's values. Exact words first; a compound
# (目标增速, 完成全年目标) is named by the first kind, in this order, whose multi-character stem it
# contains: a completion rate before a target (完成全年目标), a target before a rate (目标增速).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "completion_rate": ("完成率", "完成进度", "完成比例", "办结率", "整改率", "签约率", "完成年度目标", "完成",
                        "completion", "completion rate", "progress"),
    "target": ("目标", "目标值", "预期目标", "预期", "计划", "计划值", "预计", "力争", "target", "goal", "plan",
               "planned", "forecast"),
    "growth_rate": ("增长率", "增速", "增幅", "同比增长", "同比下降", "同比增速", "比增", "同比", "环比", "降幅",
                    "下降", "增长", "growth", "growth rate", "yoy", "rate of growth"),
    "share": ("占比", "比重", "比例", "份额", "满意率", "合格率", "覆盖率", "达标率", "优良率", "share", "ratio",
              "proportion", "percentage"),
    "count": ("数量", "个数", "计数", "数目", "次数", "人数", "户数", "件数", "count", "number", "quantity"),
    "actual": ("实际", "实际值", "完成值", "完成额", "实绩", "总量", "总额", "金额", "规模", "绝对值", "actual",
               "amount", "value", "level", "total"),
    "other": ("其他", "其它", "未知", "other", "unknown"),
}
# Unit spellings models use for the units the genre writes (lower-cased keys).
UNIT_SYNONYMS = {
    "percent": "%", "per cent": "%", "pct": "%", "百分比": "%", "百分率": "%", "百分之": "%", "﹪": "%",
    "pp": "个百分点", "p.p.": "个百分点", "ppt": "个百分点", "percentage point": "个百分点",
    "percentage points": "个百分点",
}
# What follows a year in a period that means the whole year (2024年, 2024年度, 2024年全年).
PERIOD_YEAR_SUFFIXES = ("", "年", "年度", "年全年", "全年", "年整年")

# --- The figure check (reportkit.index, reportkit.check) -------------------------------------------
# Short forms a name may use for an indicator, beyond INDICATOR_ABBREVIATIONS: (short, long).
CHECK_ABBREVIATIONS = (
    ("固投", "固定资产投资"), ("社零", "社会消费品零售总额"), ("GDP", "地区生产总值"), ("高新企业", "高新技术企业"),
    ("财政收入", "一般公共预算收入"),  # the usual name of local fiscal revenue in summaries
    ("营收", "营业收入"),  # 实现营收8.6亿元: how summaries shorten enterprises' operating revenue
)
# Words that say what happened to an indicator, how, when or by whom, not which indicator it is.
# Dropped anywhere in names and source words alike (so only words that cannot be part of another
# word's meaning: no single 市/区/为).
CHECK_GENERIC_WORDS = (
    "比上年", "较上年", "同比", "环比", "比增", "同步", "增长", "下降", "减少", "降低", "增加", "提高", "提升", "完成", "实现",
    "新增", "累计", "共计", "合计", "总计", "全年", "今年", "年度", "达到", "其中", "分别", "共", "已", "的", "等", "了",
    "增速", "增幅", "降幅", "全镇", "全乡", "全街道", "全区", "全县", "全市", "全域",
    # the base and the direction of a change: 较去年同期增加12天, 由4.2平方公里扩大到7.5平方公里
    "较去年同期", "较上年同期", "去年同期", "上年同期", "同期", "较去年", "比去年", "扩大到", "扩大至", "缩小到", "缩小至", "提高到",
    "提高至", "提升到", "提升至", "增至", "降至", "减至", "保持在", "稳定在", "由",
    # adverbs of the genre: 圆满完成, 顺利实现, 有序推进 say how, not what
    "圆满", "顺利", "成功", "全面", "有序", "持续", "扎实", "积极",
    # a plan's aspiration before its figure (增长6.5%左右,力争达到58亿元): says how sure, not what
    "力争", "争取", "预计",
    # how much, not of what: 党员总数, 断电数量
    "数量", "总数", "个数", "总量", "次数", "件数", "数目",
    # 年均增长6.4% says how a change is counted (a yearly average), not which indicator
    "年均",
    # a base that is a date or a phrase, not an indicator: 比年初增长8.1%, 与上年相比增长12.4% (the amount's change)
    "比年初", "较年初", "与上年相比", "与去年相比", "比上年同期", "比去年同期",
)
# Indicator words that hold a generic word (增加值 is value added, not 值 增加): kept whole.
CHECK_KEPT_WORDS = ("增加值",)
# 分别 pairs the figures of its clause, in order, with the items of the subject before it.
CHECK_RESPECTIVELY = ("分别",)
# 占常住人口的23.3%: the words after 占 name the share's base, not its indicator.
CHECK_SHARE_OF = "占"
CHECK_SHARE_BASE_END = "的"  # 占全年任务4.1亿元的78%: the base's own amount stands before 的
# Words that name a share in a name or its clause (税收占比, 占…的比重): a share's name says it is one.
CHECK_SHARE_NAME_WORDS = ("比重", "占比", "比例")
CHECK_RATE_HEAD = "率"  # 老龄化率 for 占户籍人口的25%: a rate of the whole is named as a rate
# Words that say a figure is a share (户籍人口占比 is no more than 户籍人口 beside a share's base).
CHECK_SHARE_WORDS = ("占比", "比重", "比例", "所占", "占")
# 由2024年的2.5%提高到2.8%: a year after 由 dates the starting value, not the figure after it.
CHECK_BASE_YEAR_BEFORE = ("由",)
CHECK_LIST_JOINERS = ("以及", "和", "及", "与")
# A compound subject written once for two indicators (城乡居民收入分别达到A元和B元): its members in the
# order the genre lists them; a 分别 list after it gives each member's name to one figure.
CHECK_COMPOUND_SUBJECTS = (("城乡", ("城镇", "农村")), ("中小学", ("中学", "小学")), ("进出口", ("进口", "出口")), ("工商业", ("工业", "商业")))
# A plain-text table row: the label, then cells parted by a run of spaces, full-width spaces or tabs
# (规上工业总产值　　64.8亿元　　同比增长8.1%); every cell's figure is the label's indicator.
CHECK_TABLE_CELL_GAP = "(?: {2,}|[\t\u3000]+)"
# Spellings of one base unit (% and ％ already agree after half-width folding).
CHECK_UNIT_SPELLINGS = {
    "平米": "平方米", "㎡": "平方米", "m²": "平方米", "m2": "平方米", "千米": "公里", "km": "公里", "㎞": "公里",
    "百分点": "个百分点", "公斤": "千克", "kg": "千克", "㎏": "千克",
}
# What an indicator's head word measures (a name ends with its head: 村级集体经济收入 is money,
# 粮食播种面积 an area): the unit families (reportkit.numbers) a figure of it can have. A rate of any
# indicator (%, ‰, 个百分点, 倍) is always allowed. Longest head first wins (就业人数 before 人数).
CHECK_MEASURE_HEADS = (
    (("收入", "投资", "资金", "产值", "总产值", "增加值", "总额", "支出", "营收", "金额", "税收", "利润", "贷款",
      "存款", "余额", "销售额", "交易额", "成交额", "进出口额", "出口额", "进口额", "营业额", "融资", "经费",
      "补贴", "补助", "增收", "信贷", "投入"), ("money",)),
    (("人数", "人次", "人口"), ("people",)),
    (("户数",), ("households",)),
    (("面积",), ("area",)),
    (("里程", "长度"), ("length",)),
    (("产量",), ("mass", "energy", "count", "other")),
    (("率", "比重", "占比"), ()),
)
# The units of a project's money threshold in a name (亿元以上项目, 5000万元以上): a bare 亿元 is 1亿元.
CHECK_BOUND_UNITS = ("万元", "亿元", "元")
# Head words of a ratio written as a bare number (城乡居民收入比由2.03缩小到1.98): a unitless rate.
CHECK_RATIO_HEADS = ("比", "比值", "系数")
CHECK_RATE_FAMILIES = ("percent", "permille", "points", "ratio")

# --- The figure check: genre patterns met in reports written apart from the corpus (issue 11) ----
# A progress clause's words are its yardstick (COMPLETION_YARDSTICKS) after one of these at most:
# 完成年度计划的93.6%, 为年度目标的95% name no indicator of their own.
CHECK_YARDSTICK_LEADS = ("为", "是")
# A count is named by its unit and this word (户数 for 46户, 家数 for 9家): the name's head is the unit's.
CHECK_COUNT_WORD = "数"
# A subject that refers back to the sentence before (企业今年产值预计突破8亿元 after 恒远新材料公司…;
# 该项目总投资5亿元): a figure's indicator words that open with one of these are named there.
CHECK_ANAPHORS = ("该", "其", "企业", "公司", "项目", "工程")
# Head words of counted things, beside CHECK_MEASURE_HEADS: a name that ends with one counts them
# (规上工业企业总数 is no 612.8亿元, 城镇新增就业 no 52360元, 收入10万元以上的村 no 216万元; 搬迁伏龙村 may
# count households). 户 is left out: 人才入户 counts people.
CHECK_COUNT_HEADS = ((("企业", "项目", "村"), ("count", "households")), (("就业",), ("people",)))
# A name of a part written whole中part (区级重点项目中新开工项目, 新建改建农村公路中新建): the words
# before it name the whole, which is then no rival of the part.
CHECK_PART_OF = "中"

# --- Indicator tables with period columns (reportkit.tables) ------------------------------------------
# Markdown pipe tables (| 指标 | 单位 | 2024年 | 2025年 |): a row opens and closes with a pipe; a rule row
# (|---|:---:|) parts the header from the body. The full-width ｜ is typed for it too.
TABLE_PIPES = "|\uff5c"
TABLE_RULE_CHARS = "-:\u2014\u2013\uff0d"
# A column headed by a period: the year reviewed (本年, 本期, 当年), the year before (上年, 去年 of
# PRIOR_YEAR_WORDS) and the same span a year back (去年同期, 上年同期: 1-6月 of last year).
TABLE_CURRENT_COLUMN_WORDS = ("本年", "本期", "当年", "今年", "本年度")
TABLE_SAME_SPAN_WORDS = ("同期",)

# --- Outline shapes of pasted pages (reportkit.segmenting) ------------------------------------------
# A report's top parts may be numbered 第一部分 / 第二章 / 第三篇 before their title
# (第一部分　2025年工作回顾), above the 一、 headings inside them.
PART_MARKER_WORDS = ("部分", "章", "篇")
# What stands between a part marker and its title: spaces, 、 ： . or a dash (第二部分：存在问题).
PART_TITLE_SEPARATORS = SPACES + ENUMERATION_COMMA + COLONS + ".\uff0e\u2014-"
# A heading pasted from a web page keeps its wrapping: bold markdown (**二、聚焦园区扩容**, __…__),
# a markdown heading (### 一、…) or lenticular brackets (【一、…】). The wrap is no part of the heading.
HEADING_WRAPS = (("**", "**"), ("__", "__"), ("\u3010", "\u3011"))
MARKDOWN_HEADING_MARK = "#"

# --- Hard-wrapped text (reportkit.wrapping): text copied from a PDF or a narrow page, a line break
# every ~40 characters, inside sentences and figures. A line that opens with one of these starts
# something of its own (a heading, an item, a table row) and is never read as the line before's
# continuation: 一、 二是 第三 （一） (1) 1. 1、 ① 一 .
WRAP_ITEM_START = (
    f"[{CN_HEADING_NUMERALS}]{{1,3}}[\u3001{ITEM_MARKER_VERBS}{char_class(CN_MARKER_ASCII_ENDS)}]"
    f"|第[{CN_HEADING_NUMERALS}]{{1,3}}[\u3001{char_class(COMMAS)}{ITEM_MARKER_VERBS}]"
    f"|[{PAREN_OPEN_CLASS}][{CN_HEADING_NUMERALS}0-9\uff10-\uff19]{{1,3}}[{PAREN_CLOSE_CLASS}]"
    f"|[0-9\uff10-\uff19]{{1,2}}[{ARABIC_MARKER_END_CLASS}](?![0-9\uff10-\uff19])"
    f"|[{char_class(CIRCLED_ITEM_NUMBERS)}]"
)
# Page furniture a PDF's text carries between two halves of a sentence: a page number line
# (— 3 —, - 3 -, 第3页, 第3页 共12页, 3/12, 3) and, found from the text, a short header repeated on every page.
WRAP_PAGE_NUMBER = (
    f"[{SPACE_CLASS}]*[-\u2010-\u2015\u2212\uff0d~\uff5e]*[{SPACE_CLASS}]*(?:第[{SPACE_CLASS}]*)?"
    f"[0-9\uff10-\uff19]{{1,4}}(?:[{SPACE_CLASS}]*[/\uff0f][{SPACE_CLASS}]*[0-9\uff10-\uff19]{{1,4}})?"
    f"[{SPACE_CLASS}]*页?(?:[{SPACE_CLASS}{char_class(COMMAS)}]*共[{SPACE_CLASS}]*[0-9\uff10-\uff19]{{1,4}}[{SPACE_CLASS}]*页)?"
    f"[{SPACE_CLASS}]*[-\u2010-\u2015\u2212\uff0d~\uff5e]*[{SPACE_CLASS}]*"
)
# A field line of an 指标：数值 block (地区生产总值：38.6亿元，同比增长6.2%): a short label and a colon
# open it. Two such lines in a row are two fields, never one sentence wrapped.
WRAP_FIELD_LINE = f"[\u4e00-\u9fffA-Za-z][^{char_class(SPACES + CLAUSE_BREAKS + ENUMERATION_COMMA)}]{{1,15}}[{char_class(COLONS)}]"
# A table row of a plain text: cells parted by a bar, a tab or a run of spaces.
WRAP_TABLE_ROW = "[|\uff5c\t]| {2,}|\u3000{2,}\\S"
# Where a wrapped line may not be read through: the sentence ended there.
WRAP_LINE_ENDS = SENTENCE_ENDS
# A half-width text's full stop, a stop at a line's end unless a number runs on (3. / 8亿元).
WRAP_ASCII_STOPS = ".\uff0e"
