"""The offline engine: a deterministic, extractive summary with no model. Document → Report.

Items come from the outline (one per heading or 一是 item, quoted verbatim); metrics are every
quantified fact in the content, named from their clause, with kind and period read from the cue
words around them (同比增长 → growth_rate, 力争/计划/预计 or a plans section → target, 1-10月 →
a partial period). Nothing here does I/O.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterator, NamedTuple

from . import metadata, wrapping
from .document import Document
from .index import build_index
from .lexicon import (
    LIST_JOINER_CHARS,
    ADMIN_UNIT_NOUNS,
    AREA_DEED_VERBS,
    BUILDING_NOUNS,
    CATALOGUE_NOUNS,
    HOLDING_VERBS,
    HOLDING_NOUNS,
    HOLDING_SETTINGS,
    HOLDING_WHOLES,
    LEVEL_LINKS,
    MILESTONE_HEDGES,
    LEVEL_WORDS,
    MULTI_YEAR_HEADS,
    MULTI_YEAR_NUMERALS,
    MULTI_YEAR_PLAN_TAILS,
    MULTI_YEAR_PLANS,
    MULTI_YEAR_TAILS,
    YEARLY_AVERAGE,
    SPAN_AVERAGE,
    MULTI_YEAR_DEEDS,
    BENEFICIARY_LEADS,
    LEAD_INDICATOR_TAILS,
    NEXT_YEAR_WORDS,
    AS_OF_WORDS,
    FIRST_MONTHS,
    MONTH_END_WORDS,
    POPULATION_NOUNS,
    SHARE_OF_WORDS,
    TOTAL_PART_WORDS,
    AMONG_WORD,
    COLONS,
    COMMAS,
    LABEL_LEAD_ENDS,
    MULTIPLE_BASES,
    MULTIPLE_UNIT,
    SHORT_LEVEL_DOWN_VERBS,
    SHORT_LEVEL_UP_VERBS,
    STOCK_CUE_NOUN_TAILS,
    TOTAL_PART_ADDITIONS,
    COMMA_CLASS,
    COVERAGE_OF_WORDS,
    COUNT_NOUN_ENDS,
    RATE_WORD,
    TENTHS_UNIT,
    RATIO_NAME_ENDS,
    RATIO_OF_PLAN_VERBS,
    RATIO_OF_PLAN_YARDSTICKS,
    ATTRIBUTE_HEADS,
    ATTRIBUTE_MEASURES,
    THING_MEASURE_NOUNS,
    BASE_YEAR_BEFORE,
    BASE_VALUE_WORDS,
    BEFORE_WORD,
    CLAUSE_BREAK_CLASS,
    CLAUSE_BREAKS,
    CN_NUMERALS,
    DEED_PREFIXES,
    DEED_VERBS,
    COMPARISON_WORDS,
    COMPLETION_VERBS,
    COMPLETION_WORDS,
    COMPLETION_YARDSTICKS,
    DOWN_WORDS,
    EACH_KIND_COUNT,
    EACH_KIND_QUALIFIERS,
    EACH_VERBS,
    EACH_WORD,
    ENUMERATION_COMMA,
    EXAMPLES_END,
    FLOW_AFTER_STOCK_CUE,
    FLOW_CUES,
    FLOW_INDICATOR_ENDS,
    INDICATOR_CLAUSE_VERBS,
    INDICATOR_PART_WORDS,
    INVEST_USE_VERBS,
    INVEST_WORDS,
    LEVEL_HOLD_WORDS,
    LEVEL_MARKERS,
    LINE_BREAKS,
    OBJECT_STOCK_LEADS,
    PAREN_CLOSE,
    PAREN_CLOSE_CLASS,
    PAREN_OPEN_CLASS,
    PLACE_WORDS,
    PLAN_SCOPE_VERBS,
    PREPOSITIONS,
    PRIOR_YEAR_WORDS,
    PROJECT_PARAMETER_NOT_AFTER,
    PROJECT_PARAMETER_WORDS,
    PROJECTION_BREAKERS,
    SENTENCE_BREAKS,
    SENTENCE_ENDS,
    SHARE_WORDS,
    SHARED_VALUE_WORDS,
    SPACES,
    SPAN_WORDS,
    STOCK_CLAUSE_CUES,
    STOCK_CLAUSE_OPENERS,
    STOCK_GOVERNS,
    STOCK_INDICATOR_ENDS,
    STOCK_CUE_FLOW_PREFIXES,
    STOCK_OPENER_NOT,
    STOCK_SENTENCE_CUES,
    SUB_PERIOD_AFTER,
    SUB_PERIOD_BEFORE,
    TARGET_CLAUSE_CUES,
    TARGET_CUE_NOT_BEFORE,
    TARGET_SENTENCE_CUES,
    TARGET_YARDSTICK_WORDS,
    UP_WORDS,
    YEAR_WORDS,
    is_cjk,
    to_halfwidth,
)
from .lexicon import TABLE_CHANGE_HEADER_WORDS, with_fullwidth_stops
from .limits import check_figures
from .numbers import Quantity, find_periods, find_quantities, in_speech, is_figure, parse_number
from .schema import Item, Meta, Metric, Report, RunInfo
from .segmenting import Node, Outline, Section, scan_windows, segment
from .tables import TableCell, cell_period, tables_of

# Items: a sentence ends at 。!? (either width) or a line break; a semicolon does not end an item.
_SENTENCE_BREAK = SENTENCE_ENDS + LINE_BREAKS
_ITEM_QUOTE_CHARS = 100


@dataclass(frozen=True)
class _Context:
    text: str
    outline: Outline
    report_year: int | None
    plan_year: int | None
    markers: tuple[tuple[int, int], ...]


def summarize_document(doc: Document) -> Report:
    """Build an extractive Report of ``doc`` (checks are filled in by the validation stage)."""
    if wrapping.hard_wraps(doc.text):  # a hard-wrapped text is read as the index and the check read it: through its wraps
        index = build_index(doc)
        view = wrapping.view_of(doc, index.view, index.view_at)
        if view is not None:
            return view.in_text(_summarize(view.doc))
    return _summarize(doc)


def _summarize(doc: Document) -> Report:
    text = doc.text
    outline = segment(text, doc.boilerplate)
    title = text[outline.title[0] : outline.title[1]].strip(" |") if outline.title else None
    kinds = outline.kinds_present()
    doc_type = metadata.doc_type(text, title, kinds)
    year = metadata.report_year(text, title, outline, doc_type)
    # A plan-only text states its own year; a news item reports a meeting within the year, whose
    # plans (下半年, 全年) are for that same year; an annual report plans the next year.
    plan_year = year if doc_type == "news" or doc_type == "plan" and not kinds["review"] else (year + 1 if year else None)
    if doc_type == "news" and year and (
        metadata.year_cues(text)[1][year + 1]
        or any(w in text[s.start : s.end] for s in outline.sections if s.kind == "plans" for w in NEXT_YEAR_WORDS)
    ):
        plan_year = year + 1  # a year-end news item that announces next year's plans (2026年将…, 明年，…)
    meta = Meta(
        organization=metadata.organization(text, title),
        region=metadata.region(text, doc.boilerplate),
        report_year=year,
        published=metadata.published(text),
        doc_type=doc_type,
        title=title,
        source=doc.source,
        source_sha256=doc.sha256,
    )
    ctx = _Context(text, outline, year, plan_year, outline.markers)
    report = Report(
        meta=meta,
        review=_items(ctx, "review"),
        problems=_items(ctx, "problems"),
        plans=_items(ctx, "plans"),
        metrics=_metrics(ctx, doc),
        run=RunInfo(engine="rules"),
    )
    report.overview = _overview(report)
    return report


# --------------------------------------------------------------------------- items


def _items(ctx: _Context, kind: str) -> list[Item]:
    items: list[Item] = []
    for section in ctx.outline.sections:
        if section.kind != kind:
            continue
        for start, end in section.extra_items:
            items.append(_passage_item(ctx.text, start, end))
        for node in section.items:
            items.append(_node_item(ctx.text, node, kind))
    return sorted(items, key=lambda i: i.span[0] if i.span else 0)


def _node_item(text: str, node: Node, kind: str) -> Item:
    h = node.heading
    title = _short_title(text[h.title_start : h.title_end])
    body_start = h.end
    first_body = _first_sentence(text, body_start, node.end)
    if kind == "problems":
        # a problem is its heading plus what it says went wrong, as one quote
        q_end = h.end
        while q_end < node.end and q_end - h.start < _ITEM_QUOTE_CHARS:
            nxt = _first_sentence(text, q_end, node.end)
            if nxt is None or nxt[1] - h.start > _ITEM_QUOTE_CHARS * 1.5:
                break
            q_end = nxt[1]
        start, end = h.start, _trim_end(text, h.start, q_end)
    else:
        start, end = h.start, _trim_end(text, h.start, h.end)
    detail = text[first_body[0] : first_body[1]].strip() if first_body else ""
    summary = f"{title}:{detail.rstrip('。;;')}" if detail and kind == "problems" else title
    return Item(title=title, text=summary, quote=text[start:end], span=(start, end))


def _passage_item(text: str, start: int, end: int) -> Item:
    end = _trim_end(text, start, end)
    quote = text[start:end]
    colon = max(quote.find(":"), quote.find("\uff1a"))  # : ：
    title = _short_title(quote[:colon] if 0 < colon <= 30 else quote)
    return Item(title=title, text=quote[colon + 1 :] if colon > 0 else quote, quote=quote, span=(start, end))


def _short_title(title: str) -> str:
    title = title.strip().rstrip("。;\uff1b,\uff0c")
    if len(title) > 30:
        cut = max(title.rfind(",", 0, 30), title.rfind("\uff0c", 0, 30))  # , ，
        title = title[:cut] if cut >= 8 else title[:30]
    return title


def _first_sentence(text: str, start: int, end: int) -> tuple[int, int] | None:
    text = with_fullwidth_stops(text)  # offsets only are returned: the stop view cuts where 。 would
    while start < end and text[start] in " \t\u3000\n\r。;\uff1b,\uff0c:\uff1a":  # the heading's own end mark
        start += 1
    if start >= end:
        return None
    stop = start
    while stop < end and text[stop] not in _SENTENCE_BREAK:
        stop += 1
    return start, min(stop + 1, end) if stop < end and text[stop] != "\n" else stop


def _trim_end(text: str, start: int, end: int) -> int:
    text = with_fullwidth_stops(text)
    while end > start and text[end - 1] in " \t\u3000\n\r。;\uff1b,\uff0c":
        end -= 1
    return end


def _overview(report: Report) -> str:
    m = report.meta
    who = m.organization or "本单位"
    parts = [f"{who}{m.report_year or ''}{'年' if m.report_year else ''}报告(规则引擎抽取)。"]
    if report.review:
        parts.append("工作回顾:" + ";".join(i.title for i in report.review[:4]) + "。")
    if report.problems:
        parts.append("存在问题:" + ";".join(i.title for i in report.problems[:3]) + "。")
    if report.plans:
        parts.append("下步计划:" + ";".join(i.title for i in report.plans[:4]) + "。")
    return "".join(parts)


# --------------------------------------------------------------------------- metrics
#
# The genre writes a figure as indicator → amount → change clause → rate:
#   规上工业总产值98.3亿元，同比增长6.9％，完成全年目标的75.7％
# so each figure is read against the words between it and the figure before it (its "left"):
# a left that is only a change (同比增长) or a rate (完成全年目标的, 占比) belongs to the indicator
# that the sentence last named; any other left names a new indicator. Every lookup below is a
# bisect into boundaries and cue positions computed once, so a document is read in n·log n.


def _alt(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_CLAUSE_CHARS = frozenset(CLAUSE_BREAKS + ENUMERATION_COMMA)
_SENTENCE_CHARS = frozenset(SENTENCE_BREAKS)
_LINE_CHARS = frozenset(LINE_BREAKS)
# The same classes as patterns: a document's breaks are found by one C-level pass each, not a
# Python loop over every character.
_CLAUSE_CHAR_RE = re.compile("[" + "".join(map(re.escape, sorted(_CLAUSE_CHARS))) + "]")
_SENTENCE_CHAR_RE = re.compile("[" + "".join(map(re.escape, sorted(_SENTENCE_CHARS))) + "]")
_FULL_STOP_RE = re.compile("[" + "".join(map(re.escape, sorted(frozenset(SENTENCE_ENDS + LINE_BREAKS)))) + "]")
_LINE_CHAR_RE = re.compile("[" + "".join(map(re.escape, sorted(_LINE_CHARS))) + "]")
_STRONG_TARGET = re.compile(_alt(TARGET_SENTENCE_CUES))
_WEAK_TARGET = re.compile(rf"(?:{_alt(TARGET_CLAUSE_CUES)})(?!{_alt(TARGET_CUE_NOT_BEFORE)})")
_YARDSTICK = re.compile(_alt(TARGET_YARDSTICK_WORDS))
_STOCK_SENTENCE = re.compile(rf"{_alt(STOCK_SENTENCE_CUES)}|{STOCK_GOVERNS}(?=[\d０-９{CN_NUMERALS}])")
_STOCK_CLAUSE = re.compile(rf"(?:{_alt(STOCK_CLAUSE_CUES)})(?!{_alt(FLOW_AFTER_STOCK_CUE + STOCK_CUE_NOUN_TAILS)})")
_COMPLETION_WORD = re.compile(_alt(COMPLETION_WORDS))
# a table column of 完成全年目标(%) / 占年度计划 holds completion rates
_COMPLETION_HEADER = re.compile(rf"(?:{_alt(COMPLETION_VERBS)}).{{0,4}}(?:{_alt(COMPLETION_YARDSTICKS)})")
_RATE_FAMILIES = ("percent", "permille", "points")
_COMPLETION_PHRASE = re.compile(
    rf"(?:{_alt(COMPLETION_VERBS)})[^{CLAUSE_BREAK_CLASS}]{{0,10}}?(?:{_alt(COMPLETION_YARDSTICKS)})[^{CLAUSE_BREAK_CLASS}]{{0,10}}的?$"
)
_PLAN_RATIO = re.compile(
    rf"(?:{_alt(RATIO_OF_PLAN_VERBS)})[^{CLAUSE_BREAK_CLASS}]{{0,6}}?(?:{_alt(RATIO_OF_PLAN_YARDSTICKS)})的$"
)
_SHARE_WORD = re.compile(_alt(SHARE_WORDS))
_PROJECT_PARAMETER = re.compile("".join(f"(?<!{w})" for w in PROJECT_PARAMETER_NOT_AFTER) + f"(?:{_alt(PROJECT_PARAMETER_WORDS)})")
_FLOW_CUE = re.compile(_alt(FLOW_CUES))
# 308户防返贫监测对象中， after a count: the set the next clause counts from
_AMONG_SET_AFTER = re.compile(rf"[\u4e00-\u9fff“”\"]{{1,16}}?{AMONG_WORD}(?=[{CLAUSE_BREAK_CLASS}])")
# …64个，其中新增9个 after a count: the count is the total the new ones belong to
_NEW_PART_AFTER = re.compile(
    rf"[{COMMA_CLASS}](?:{_alt(TOTAL_PART_WORDS)})(?:{_alt(YEAR_WORDS + SPAN_WORDS)})?(?:{_alt(TOTAL_PART_ADDITIONS)})"
)
_COVERAGE_BASE = re.compile(rf"(?:{_alt(COVERAGE_OF_WORDS)})(?![率面]).*$")  # the base after 覆盖 (not 森林覆盖率)
_PROJECTION_BREAKER = re.compile(_alt(PROJECTION_BREAKERS))
_DEED = re.compile(_alt(DEED_VERBS))
# 完成绿化提升面积 (a verb and its object), but not 完成面积 (the noun: the area completed so far)
_DONE_TO = re.compile(
    rf"{_alt(DEED_VERBS)}|(?:{_alt(AREA_DEED_VERBS)})(?!{_alt(STOCK_INDICATOR_ENDS)}|为|是|{_alt(LEVEL_MARKERS)}|\d)"
)
_FLOW_BEFORE = re.compile(rf"(?:{_alt(FLOW_CUES + STOCK_CUE_FLOW_PREFIXES)})$")
_NAMED_YARDSTICK = re.compile(rf"[\u4e00-\u9fff]{{1,4}}?(?:{_alt(COMPLETION_YARDSTICKS)})的")
_YEAR_YARDSTICK = re.compile(rf"(?:全年|年度)(?:{_alt(COMPLETION_YARDSTICKS)})$")
_STOCK_OPENER = re.compile(rf"(?!{_alt(STOCK_OPENER_NOT)})(?:{_alt(STOCK_CLAUSE_OPENERS)})")


class _AtEnd(NamedTuple):
    """A pattern anchored at the end (``…$``) that cannot match the empty string, with every
    character its match can end with: a string ending in anything else (most lefts end in their
    indicator) cannot match, which is known without a search from every position. ``$`` also
    matches before a final newline, so such a string is always searched."""

    pattern: re.Pattern[str]
    last: frozenset[str]

    def _may_match(self, s: str) -> bool:
        return bool(s) and (s[-1] in self.last or s[-1] == "\n")

    def search(self, s: str) -> re.Match[str] | None:
        return self.pattern.search(s) if self._may_match(s) else None

    def sub(self, repl: str, s: str) -> str:
        return self.pattern.sub(repl, s) if self._may_match(s) else s


def _at_end(pattern: str, words: tuple[str, ...]) -> _AtEnd:
    return _AtEnd(re.compile(pattern), frozenset(w[-1] for w in words))


_BEFORE_TAGS = ("上年", "去年", "年初", "改造前", "整治前")
_BEFORE = _at_end(
    rf"(?:{BEFORE_WORD}(?P<tag>{_alt(_BEFORE_TAGS)}|(?:19|20)\d{{2}}年)?的?"
    rf"|(?:{_alt(BASE_VALUE_WORDS)})(?P<base>上年|去年|年初|(?:19|20)\d{{2}}年)的)$",
    (BEFORE_WORD, "的", "年", *_BEFORE_TAGS),
)
_TAIL_LINKS = ("为", "达到", "达", "在", "是", "了", "约", "共", "共计", "合计")  # 总数达到48家
# 降至34微克/立方米, 增至56家: a one-character change verb before 到/至 moves a level, as 下降到 does
# (alone, 降 or 增 is too short to be read as a change word)
_SHORT_LEVEL_UP = rf"(?:{_alt(SHORT_LEVEL_UP_VERBS)})(?=了?(?:{_alt(LEVEL_MARKERS)}))"
_SHORT_LEVEL_DOWN = rf"(?:{_alt(SHORT_LEVEL_DOWN_VERBS)})(?=了?(?:{_alt(LEVEL_MARKERS)}))"
_TAIL = re.compile(
    rf"(?P<cmp>{_alt(COMPARISON_WORDS)})?(?P<each>{EACH_WORD}(?:(?:{_alt(EACH_VERBS)})+[\u4e00-\u9fff]{{1,4}}?(?=$)|(?P<eachcmp>{_alt(COMPARISON_WORDS)}))?)?"
    rf"(?:(?P<up>{_alt(UP_WORDS)}|{_SHORT_LEVEL_UP})|(?P<down>{_alt(DOWN_WORDS)}|{_SHORT_LEVEL_DOWN}))?"
    rf"(?P<lvl>了?(?:{_alt(LEVEL_MARKERS)}))?(?:{_alt(LEVEL_HOLD_WORDS + _TAIL_LINKS)})?$"
)
# The characters a non-empty _TAIL match can end with, but for a 分别 group (which may end in any
# character): a left ending otherwise has the empty tail, found without running the pattern.
_TAIL_LAST = frozenset(
    w[-1] for w in COMPARISON_WORDS + UP_WORDS + DOWN_WORDS + LEVEL_MARKERS + LEVEL_HOLD_WORDS + _TAIL_LINKS + (EACH_WORD,)
)
_SHARED = _at_end(rf"(?:{_alt(SHARED_VALUE_WORDS)})$", SHARED_VALUE_WORDS)
_SHARED_TAIL = re.compile(
    rf"(?:{_alt(SHARED_VALUE_WORDS)})(?:{_alt(UP_WORDS + DOWN_WORDS)})?(?:为|达到|达)?$"
)
_PAREN = re.compile(rf"[{PAREN_OPEN_CLASS}][^{PAREN_CLOSE_CLASS}]*[{PAREN_CLOSE_CLASS}]")
_LEAD_PERIOD = re.compile(
    r"^(?:(?:19|20)\d{2}年度?)?(?:\d{1,2}(?:-|至|~)\d{1,2}月份?|\d{1,2}月份?|上半年|下半年|前三季度|前[两二]季度|第?[一二三四]季度(?:单季)?"
    r"|全年|今年以来|今年|当年|年内|本年度?)?"
)
_LEADING_NOISE = re.compile(
    r"^(?:其中|同时|此外|另外|目前|现有|至今|累计|全街道|全街|全镇|全乡|全区|全县|全市|我街|我镇|我乡|街道|辖区内?|辖内|共计|共|总计|合共|"
    r"实现|完成|达到|达|为|推进|推动|引导|设立|组建|开展|组织|吸引|成功|已|有序|全面|持续|并|和|及|与|对|向|将|力争|计划|预计|确保|通过|其|再|"
    r"年内|当年|全年|今年)+"
)
_LINK_WORDS = ("为", "达到", "达", "共", "约", "累计", "共计", "合计", "是", "有", "的", "相当于", "预计", "力争", "确保", "预期")
_MULTIPLE_OF = re.compile(rf"的[\d.]+{MULTIPLE_UNIT}")
_MULTIPLE_BASE = re.compile(rf"(?:{_alt(MULTIPLE_BASES)}|(?:19|20)\d{{2}}年的)$")
_TRAILING_LINK = _at_end(rf"(?:{'|'.join(_LINK_WORDS)})+$", _LINK_WORDS)
_GENERIC = re.compile(
    rf"^(?:占|完成(?:全年|年度)?(?:目标|计划|任务)|完成率|完成投资|按时|按期|总数|总量|总额|总投资|投资|占比|比重|增速|增幅|规模|数量|全年目标|年度目标|年度计划|目标|计划|任务)"
    rf"|^[^{CLAUSE_BREAK_CLASS}]{{0,4}}率$"
)
_NAME_ENDS_WITH_VERB = ("的", "对", "向", "为", "推进", "推动", "引导", "分类", "实现", "及", "和", "与", "等", "共", "抓好", "拓展")
_OBJECT_VERBS = tuple(sorted(set(DEED_VERBS + INDICATOR_CLAUSE_VERBS + FLOW_CUES), key=len, reverse=True))
_DEED_LEAD = re.compile(rf"^(?:{_alt(_OBJECT_VERBS)})")
_DEED_VERB_SET = frozenset(DEED_VERBS)
_DEED_LEADS = tuple(sorted(DEED_VERBS + INDICATOR_CLAUSE_VERBS, key=len, reverse=True))  # longest first
_NOUN_STOP = re.compile(r"[\d０-９]|及|和|与|完成|实现|落地|入库|全覆盖|全面|成功|顺利|开工|完工|投产|授信|落实|开展|进行|提供|参加|发放|生活|中|正在|已|均|的村|[，,；;。]")
_COUNTER_NOUN_LIMIT = 14
_ATTRIBUTE_LEFT = re.compile(rf"(?:{_alt(ATTRIBUTE_MEASURES)})?")
_ATTRIBUTE_HEAD = re.compile(rf"^.+?(?:{_alt(ATTRIBUTE_HEADS)})+")  # 幸福颐养院项目, not …项目主体工程
_CLAUSE_LIMIT = 80
# The label of an 指标：数值 line (地区生产总值：38.6亿元, PM2.5年均浓度：31微克/立方米): a short name,
# letters and brackets allowed, no clause mark or list mark inside.
_LINE_LABEL = re.compile(rf"[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9.{PAREN_OPEN_CLASS}{PAREN_CLOSE_CLASS}“”\"]{{1,23}}")
_HOLDING = re.compile(
    rf"^(?:全[\u4e00-\u9fff]{{0,3}}?(?:{_alt(LEVEL_WORDS)})(?:{_alt(HOLDING_VERBS)})?|{_alt(HOLDING_WHOLES)})?"
    rf"(?:{_alt(HOLDING_SETTINGS)})?(?:{_alt(HOLDING_NOUNS)})$"
)  # 全镇党员, 其中低保对象, 农村低保, 全乡纳入农村低保: the people a place holds, named without a deed
# (纳入监测对象38户 without the place's whole reports the year's enrolments)
_YEARS = rf"(?<![\d０-９〇零])(?:[{MULTI_YEAR_NUMERALS}]|\d{{1,2}})"  # not 2023年以来 (one year)
_MULTI_YEAR_SPAN = re.compile(
    rf"(?:{_alt(MULTI_YEAR_PLANS)})[”\"’']?(?:{_alt(MULTI_YEAR_PLAN_TAILS)})"
    rf"|(?:{_alt(MULTI_YEAR_HEADS)}){_YEARS}年|{_YEARS}(?:{_alt(MULTI_YEAR_TAILS)})"
    rf"|(?<=[{CLAUSE_BREAK_CLASS}\n]){_YEARS}年(?:{_alt(FLOW_CUES + MULTI_YEAR_DEEDS)})"
)  # "十四五"以来, 过去五年, 五年来, 。五年新建…: the sentence reports several years
_BASE_YEAR = re.compile(rf"(?:{_alt(BASE_VALUE_WORDS)})(\d{{4}})年")  # 比2020年提高0.9个百分点
# 年均增长7.2%, 两年平均增长7.9%
_YEARLY_AVERAGE = re.compile(rf"(?:{YEARLY_AVERAGE}|{_YEARS}{SPAN_AVERAGE})(?:{_alt(UP_WORDS + DOWN_WORDS)})")
_FIGURE_NOTE = re.compile(rf"[{SPACES}]*(?P<note>[{PAREN_OPEN_CLASS}][^{PAREN_CLOSE_CLASS}]{{1,24}}[{PAREN_CLOSE_CLASS}])")
_NOTE_AMOUNT = re.compile(r"[\d０-９](?![\d０-９年月季])")  # an amount in the bracket, not a date
_RANGE_HIGH = re.compile(r"[\d０-９]+(?:[.．][\d０-９]+)?")  # the upper end's digits in 1.8万至3.5万元
_THRESHOLD_IN = re.compile(r"超|以上|\d")  # 产值超亿元企业, 50万元以上的村: a class by a threshold
_MIN_OWN_RATE = 2  # 参保率, 达标率 name a measure; 率 alone or 占比 only point back at the amount
_MODIFIER_LIMIT = 2  # 国控、省控…, 城镇、农村居民…: the parallel modifiers of one shared head
_QUOTE_STRIP = SPACES + "“”\"'"
_WORD_STRIP = _QUOTE_STRIP + CLAUSE_BREAKS + ENUMERATION_COMMA
_NO_TAIL = (None, None, None, None, None)
_QUOTE_LIMIT = 60
_COUNT_FAMILIES = {"count", "people", "households"}
# What may end the clause on a thing before a bare measure noun of it: a clause break inside the
# sentence, or the list mark of the same clause (房屋432户、面积6.85万平方米).
_THING_CLAUSE_JOINS = frozenset(CLAUSE_BREAKS + ENUMERATION_COMMA) - frozenset(SENTENCE_ENDS)
_DURATION_COUNT_UNITS = ("天",)
# Reporting periods run from January (1-9月); other months are dates (4月至7月, 7月份).
_MONTH_WINDOW = re.compile(r"(?:\d{4}年)?(?:(?:[2-9]|1[0-2])-\d{1,2}月|\d{1,2}月)")
_PARTS = {"前三季度": "1-9月", "前两季度": "1-6月", "前二季度": "1-6月"}
_MONTH_NUMBER = r"(?P<m>1[01]|[1-9]|十一|十|[一二三四五六七八九])"  # 12 months are the year itself
# 截至11月底, 截止到2026年9月末, 前11个月: the months of the year so far
_AS_OF = re.compile(
    rf"(?:{_alt(AS_OF_WORDS)})(?P<y>\d{{4}}年)?{_MONTH_NUMBER}(?:{_alt(MONTH_END_WORDS)})"
    rf"|{FIRST_MONTHS[0]}{_MONTH_NUMBER.replace('?P<m>', '?P<n>')}{FIRST_MONTHS[1]}"
)
_CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11}


@dataclass(frozen=True)
class _Bounds:
    """Where clauses, sentences and lines break, and where cue words stand, for bisect lookups."""

    clauses: list[int]
    sentences: list[int]
    lines: list[int]
    strong_targets: list[int]
    stock_cues: list[int]
    full_stops: list[int]  # sentence ends and line breaks, not semicolons

    @classmethod
    def of(cls, text: str) -> _Bounds:
        text = with_fullwidth_stops(text)  # 增长18.1%.新增: an ASCII full stop ends the sentence (same offsets)
        return cls(
            [m.start() for m in _CLAUSE_CHAR_RE.finditer(text)],
            [m.start() for m in _SENTENCE_CHAR_RE.finditer(text)],
            [m.start() for m in _LINE_CHAR_RE.finditer(text)],
            [m.start() for m in _STRONG_TARGET.finditer(text)],
            [m.start() for m in _STOCK_SENTENCE.finditer(text)],
            [m.start() for m in _FULL_STOP_RE.finditer(text)],
        )

    @staticmethod
    def _start(breaks: list[int], pos: int) -> int:
        i = bisect_left(breaks, pos)
        return breaks[i - 1] + 1 if i else 0

    def clause(self, pos: int) -> int:
        return self._start(self.clauses, pos)

    def sentence(self, pos: int) -> int:
        return self._start(self.sentences, pos)

    def line(self, pos: int) -> int:
        return self._start(self.lines, pos)

    def full_sentence(self, pos: int) -> int:
        """Where the sentence holding ``pos`` starts when a semicolon does not end one."""
        return self._start(self.full_stops, pos)

    @staticmethod
    def last_between(cues: list[int], lo: int, hi: int) -> int | None:
        i = bisect_left(cues, hi) - 1
        return cues[i] if i >= 0 and cues[i] >= lo else None

    @staticmethod
    def any_between(cues: list[int], lo: int, hi: int) -> bool:
        i = bisect_left(cues, lo)
        return i < len(cues) and cues[i] < hi


def _growing_safe(pattern: re.Pattern[str]) -> int:
    """The longest match of ``pattern``, which must be bounded and look at nothing past its match
    (no lookahead, no ``$``, no ``\\b``): what lets a search be resumed where the last one stopped."""
    import re._parser as sre  # the standard parser: widths and the opcodes of a compiled pattern

    def tokens(items: sre.SubPattern) -> list[tuple[object, object]]:
        out: list[tuple[object, object]] = []
        for op, av in items:
            out.append((op, av))
            nested = av if isinstance(av, (list, tuple)) else (av,)
            for part in nested:
                if isinstance(part, sre.SubPattern):
                    out.extend(tokens(part))
                elif isinstance(part, (list, tuple)):
                    out.extend(t for sub in part if isinstance(sub, sre.SubPattern) for t in tokens(sub))
        return out

    parsed = sre.parse(pattern.pattern, pattern.flags)
    for op, av in tokens(parsed):
        looks_ahead = op == sre.ASSERT and av[0] == 1 or op == sre.ASSERT_NOT and av[0] == 1
        if looks_ahead or op == sre.AT:
            raise ValueError(f"{pattern.pattern!r} looks past its match: it cannot be searched in growing ranges")
    width = parsed.getwidth()[1]
    if width >= sre.MAXREPEAT:
        raise ValueError(f"{pattern.pattern!r} has unbounded matches: it cannot be searched in growing ranges")
    return width


class _GrowingSearch:
    """``pattern.search(text, lo, hi) is not None`` asked for one ``lo`` and growing ``hi`` (each figure of
    a sentence asks about the sentence up to it), in time linear in the sentence rather than quadratic:
    a match stays a match when the range grows, and a new one must end past the last ``hi``, so it
    starts at most the pattern's longest match before it."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.pattern, self.text, self.width = pattern, text, _growing_safe(pattern)
        self.lo, self.hi, self.found = -1, -1, False

    def __call__(self, lo: int, hi: int) -> bool:
        if lo != self.lo or hi < self.hi:
            self.found = self.pattern.search(self.text, lo, hi) is not None
        elif not self.found:
            self.found = self.pattern.search(self.text, max(lo, self.hi - self.width), hi) is not None
        self.lo, self.hi = lo, hi
        return self.found


class _Left(NamedTuple):
    """What stands between a figure and the figure (or clause break) before it.

    An immutable tuple rather than a frozen dataclass: one is built for every figure, and a
    frozen dataclass's eleven guarded attribute sets cost more than the tuple's one allocation."""

    start: int  # where the left text starts in the source
    core: str  # the indicator words, with change words, links and leading noise removed
    core_at: int  # source offset of the core's first character (for the quote)
    up: str | None
    down: str | None
    compare: str | None
    level: bool  # 提高到73%: the figure is the new level, not the change
    each: bool  # 分别增长
    before_tag: str | None  # 由上年的47%: the "before" value of a pair ("" when untagged)
    shared: bool  # 办结率、满意率均为100%
    words: str = ""  # the left as written (brackets dropped), for a figure with no indicator at all


@dataclass
class _Sentence:
    """The indicator chain of the sentence being read (mutable on purpose: one per sentence)."""

    start: int = -1
    indicator: str = ""
    stock: bool = False
    names: list[str] = field(default_factory=list)  # indicators of the sentence's amounts, in order
    before_at: int = -1  # where a 由… before value stood, for the after value's period
    profile: bool = False  # a sentence that describes what there is (现有, 辖, 有…): stocks until a flow cue
    whole: str = ""  # the indicator a 其中 list breaks down (粮食播种面积 for 其中小麦5.8万亩、玉米6.8万亩)
    grown: str = ""  # the indicator the last clause's growth rate was of (…增长6%左右，力争达到48亿元)
    grown_at: int = -1  # where that indicator is written
    part: str = ""  # a 其中 part the whole's own name holds (出口 of 外贸进出口总额): named alone
    own_period: str | None = None  # the period an amount's own clause gave it (二季度单季…34.2亿元)
    before_year: str = ""  # the year a 由2020年的… before value is dated with ("" when undated)
    rate: str = ""  # the rate the figure just read named as its own measure (…满意率达到98.5%)


def _metrics(ctx: _Context, doc: Document) -> list[Metric]:
    text = ctx.text
    bounds = _Bounds.of(text)
    windows = [w for c0, c1 in doc.content_ranges for w in scan_windows(c0, c1, ctx.markers)]
    periods = _with_as_of(text, sorted(p for pos, stop in windows for p in find_periods(text, pos, stop)), windows)
    quantities = [q for pos, stop in windows for q in find_quantities(text, pos, stop, chinese=True)]
    cells: dict[int, TableCell] = {}
    prose_cells: dict[int, TableCell] = {}  # a plain-text table's 56.8亿元: read as prose, dated by its column
    tables = tables_of(text)
    for k, q in enumerate(quantities if len(tables) else ()):  # most texts have no table row at all
        cell = tables.cell(q.start, q.end)
        if cell is not None and cell.spaced and q.unit and q.family not in _RATE_FAMILIES:
            prose_cells[q.start] = cell  # a plain-text table's 56.8亿元 reads as prose from its row label (地区生产总值　　56.8亿元)
        elif cell is not None:
            cells[q.start] = cell
            if not q.unit and cell.unit:  # 地区生产总值（亿元） | 68.4: the unit is the row's
                quantities[k] = replace(q, unit=cell.unit)
    # a headline's figure (溪口镇：前11个月完成投资超20亿元) rounds one the body states: no metric of its own
    t0, t1 = ctx.outline.title or (0, 0)
    # quoted speech counts: a news item's targets are often only in an official's words (“明年，我们力争…”)
    figures = [q for q in quantities if is_figure(text, q, speech=True) and not t0 <= q.start < t1]
    said = [in_speech(text, q.start) for q in figures]
    stated = {(q.value, q.unit) for q, s in zip(figures, said) if not s} if any(said) else set()
    check_figures(len(figures), doc.source)  # before the reading, which costs per figure
    reader = _Reader(ctx, bounds, periods, [p[0] for p in periods], figures, [q.start for q in figures])
    metrics: list[Metric] = []
    for i, q in enumerate(figures):
        cell = cells.get(q.start)
        found = [reader.read_cell(q, cell)] if cell else reader.read(i, q)
        if _milestone(text, q, figures[i + 1] if i + 1 < len(figures) else None):
            continue  # read all the same: the level after it takes its indicator from this clause
        if said[i] and (q.value, q.unit) in stated:
            continue  # …26个项目中已有24个…”: a speaker restating the report's figure states no new one
        spaced = prose_cells.get(q.start)
        dated = reader.column_period(spaced) if spaced is not None else None
        if dated:  # 指标　　2024年　　2025年 over 36.2亿元　　38.9亿元: the column's year, not the prose reader's
            found = [m.model_copy(update={"period": dated}) for m in found]
        metrics.extend(found)
        high = _range_high(text, q)
        if high is not None and not cell:  # 1.8万至3.5万元, 10至15个: a range gives both its ends
            metrics.extend(m.model_copy(update={"value": q.high, "value_text": high}) for m in found)
    return metrics


def _with_as_of(text: str, periods: list[tuple[int, int, str]], windows: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The periods plus the year-to-date ones written as their end (截至11月底 → 1-11月); a year
    inside one (截至2026年9月末) is part of it, not a period of its own."""
    found = []
    for pos, stop in windows:
        for m in _AS_OF.finditer(text, pos, stop):
            month = m.group("m") or m.group("n")
            n = int(month) if month.isdigit() else _CN_MONTHS[month]
            if n > 1:
                found.append((m.start(), m.end(), f"{m.group('y') or ''}1-{n}月"))
    if not found:
        return periods
    inside = [(a, b) for a, b, _ in found]
    kept = [p for p in periods if not any(a <= p[0] and p[1] <= b for a, b in inside)]
    return sorted(kept + found)


_MILESTONE_GAP = re.compile(rf"[{CLAUSE_BREAK_CLASS}]?(?:{_alt(LEVEL_LINKS)})")


def _milestone(text: str, q: Quantity, nxt: Quantity | None) -> bool:
    """突破600亿元，达到612.8亿元: the mark passed is said again exactly by the level after it."""
    return (
        nxt is not None and q.qualifier in MILESTONE_HEDGES and nxt.unit == q.unit and nxt.value > q.value
        and _MILESTONE_GAP.fullmatch(text, q.end, nxt.start) is not None
    )


def _range_high(text: str, q: Quantity) -> str | None:
    """The upper end of a range as written (3.5 in 1.8万至3.5万元), when it is a second figure."""
    if q.high is None or q.high == q.value:
        return None
    m = _RANGE_HIGH.search(text, q.number_end, q.end)
    if m is None or parse_number(to_halfwidth(m.group(0))) != q.high:
        return None  # 5000-2万元: the upper end is rescaled, not written as its value
    return m.group(0)


class _Reader:
    """Reads figures in document order, keeping the indicator chain of the current sentence."""

    def __init__(
        self,
        ctx: _Context,
        bounds: _Bounds,
        periods: list[tuple[int, int, str]],
        period_starts: list[int],
        quantities: list[Quantity],
        starts: list[int],
    ) -> None:
        self.ctx, self.b, self.text = ctx, bounds, ctx.text
        self.periods, self.period_starts = periods, period_starts
        self.qs, self.starts = quantities, starts
        # 环比增长8.3%（第四季度对比第三季度）: a bracket right after a figure says what it compares;
        # its period marker is that figure's and no later figure's
        ends = {q.end for q in quantities}
        self.notes: dict[int, tuple[int, int]] = {}  # figure end -> its note's (open, close)
        for m in _FIGURE_NOTE.finditer(ctx.text):
            if m.start() in ends and not _NOTE_AMOUNT.search(m.group("note")):  # （其中三季度5公里）: a breakdown
                self.notes[m.start()] = (m.start("note"), m.end("note"))
        self.note_spans = sorted(self.notes.values())
        self.sentence = _Sentence()
        self.default_period = _document_span(ctx)
        self._section_periods: dict[int, tuple[int | None, str | None]] = {}
        self._section_pos: int = -1
        self._section_found: Section | None = None
        self._nouns: dict[int, tuple[str, int]] = {}  # the noun after each figure, read once
        # Read once per figure or sentence, not per question asked about it: each figure's unit
        # family, whether it is joined to the figure before by 、/和/及 alone (5.8%和3.9%), whether a
        # sentence continues a projection, and the figure-independent reasons to pass a period marker.
        self.families = [q.family for q in quantities]
        self.joined = [False] + [_joins(ctx.text[a.end : b.start]) for a, b in zip(quantities, quantities[1:])]
        # the first and last figure of each figure's joined run, found once: a clause of thousands
        # of joined figures (1公里、2公里、…) would otherwise be walked again for every member
        self.run_first = list(range(len(quantities)))
        for k in range(1, len(quantities)):
            if self.joined[k]:
                self.run_first[k] = self.run_first[k - 1]
        self.run_last = list(range(len(quantities)))
        for k in range(len(quantities) - 2, -1, -1):
            if self.joined[k + 1]:
                self.run_last[k] = self.run_last[k + 1]
        self._projections: dict[int, bool] = {}
        self._multi_year = _GrowingSearch(_MULTI_YEAR_SPAN, ctx.text)  # asked from each sentence start
        self._marker_starts = [m0 for m0, _ in ctx.markers]
        self._marker_checks: dict[int, tuple[bool, bool]] = {}
        self._each_marks: tuple[list[int], list[int], list[int]] | None = None  # brackets, closing ones, 、

    def _past_marker(self, pos: int) -> int:
        """Quotes and names never start inside an item number (2利弄 → 利弄): ``pos``, or the end of
        the marker holding it (a bisect into the markers' starts, sorted as segment makes them)."""
        i = bisect_right(self._marker_starts, pos) - 1
        if i >= 0 and pos < self.ctx.markers[i][1]:
            return self.ctx.markers[i][1]
        return pos

    # -- reading one figure -------------------------------------------------------------------

    def read_cell(self, q: Quantity, cell: TableCell) -> Metric:
        """A table cell: the row names the indicator, the header the column's role and period."""
        text = self.text
        self.sentence = _Sentence(start=cell.start, indicator=cell.label)
        header = cell.header
        change = any(w in header for w in COMPARISON_WORDS + UP_WORDS + DOWN_WORDS + TABLE_CHANGE_HEADER_WORDS)
        completion = bool(_COMPLETION_WORD.search(header) or _COMPLETION_HEADER.search(header))
        if q.family in _RATE_FAMILIES:
            kind = "growth_rate" if change else "completion_rate" if completion else "share"
        elif q.family in _COUNT_FAMILIES:
            kind = "count"
        else:
            kind = "actual"
        if kind != "completion_rate" and any(w in header for w in TARGET_CLAUSE_CUES + TARGET_SENTENCE_CUES):
            kind = "target"
        year = self.ctx.report_year
        period = self.column_period(cell) or self.default_period or (str(year) if year else None)
        return Metric(
            name=cell.label, value=q.value, value_text=q.value_text, unit=to_halfwidth(q.unit), kind=kind, period=period,
            qualifier=q.qualifier, quote=text[cell.start : cell.end], span=(cell.start, cell.end),
        )

    def column_period(self, cell: TableCell) -> str | None:
        """The period a cell's column states, as the schema writes it; None when its header states none.

        上半年完成 | 同比增长(%) | 完成全年目标(%): a rate is of the period to its left (全年 names the
        yardstick); | 2024年 | 2025年 | 增长(%) |: each cell of its column's year, the growth of the latest.
        """
        year = self.ctx.report_year
        column = cell_period(cell)
        if column is None:
            return None
        if column.back:
            own = self.default_period or "" if column.same_span else column.label
            part = re.sub(r"^\d{4}年?", "", own)
            return f"{year - column.back}年{part}" if year and part else str(year - column.back) if year else None
        return _normal_period(column.label, year, self.default_period, self.ctx)

    def read(self, i: int, q: Quantity) -> list[Metric]:
        text, b = self.text, self.b
        sent_start = b.sentence(q.start)
        if sent_start != self.sentence.start:
            self.sentence = _Sentence(start=sent_start)
        sent = self.sentence
        # a clause that runs on without punctuation is read back a bounded stretch only
        clause_start = self._past_marker(max(b.clause(q.start), q.start - _CLAUSE_LIMIT))
        left = self._left(i, q, clause_start)
        if not left.core and not left.each:
            label = self._line_label(i, clause_start)
            if label is not None:  # 地区生产总值：38.6亿元 / 规模以上工业增加值：同比增长8.9%
                left = self._left(i, q, clause_start, label)
        first = self._group_first(i)
        if i and not left.core and text[self.qs[i - 1].end : q.start] == "的" and self.families[i] == "percent":
            # 完成全年目标5.1亿元的75.7%: the rate of the yardstick amount before it
            prev = self.qs[i - 1]
            head = self._left(i - 1, prev, self._past_marker(b.clause(prev.start)))
            left = head._replace(before_tag=None, shared=False)
        elif first < i:  # 分别增长9.4%和11.2%, 同比分别-6.2%、-19.3%: later members share the first's cues
            head = self._left(first, self.qs[first], self._past_marker(b.clause(self.qs[first].start)))
            left = head._replace(start=left.start, core_at=left.start, before_tag=None, shared=False)
        sec = self._section(q.start)
        section = sec.kind if sec is not None else "other"
        clause = text[clause_start : q.start]
        is_change = bool((left.up or left.down or left.compare) and not left.level) and not left.core
        is_rate_phrase = bool(left.core) and bool(_GENERIC.match(left.core))
        kind = self._kind(i, q, left, clause, sent_start, section, is_change)
        if left.before_tag is not None:
            sent.before_at = left.start  # the after value (提高到73%) is dated without the 由… marker
            sent.before_year = left.before_tag[:4] if left.before_tag[:1].isdigit() else ""
        # the indicator: a change or rate clause belongs to the amount before it
        if left.words.startswith(INDICATOR_PART_WORDS):
            sent.whole = sent.indicator
        elif not (clause_start > 0 and text[clause_start - 1] == ENUMERATION_COMMA):
            sent.whole = ""
        names, name_at, quote_end = self._names(i, q, left, clause_start, is_change, is_rate_phrase, kind)
        names = [n if n == sent.part else self._in_subject(n, sent_start) for n in names]  # 其中出口: not its whole
        if (left.up or left.down) and not left.level and len(left.core) >= 2 and self.families[i] in ("percent", "points"):
            sent.grown, sent.grown_at = left.core, left.core_at  # …增长9%，突破120亿元: the next bare amount is its level
        elif left.core:
            sent.grown = ""
        # 参保人数4.26万人，参保率达到96.2%: a rate that names its own measure is not the count's state
        # (a sentence that says it describes what there is, 至今共建成…, keeps its rates undated too)
        own_rate = (
            is_rate_phrase and left.core.endswith(RATE_WORD) and len(left.core) > _MIN_OWN_RATE
            and self.b.last_between(self.b.stock_cues, sent_start, q.start) is None
        )
        stock = self._stock(q, left, clause, clause_start, sent_start, is_change or (is_rate_phrase and not own_rate))
        if section == "plans" and kind != "target":
            stock = True  # a plan's context figure (抓好71家规上企业) states what there is
        changed = (left.up or left.down or left.compare) and not left.level
        if section == "problems" and not changed and self._marker(q, sent_start, left) is None:
            stock = True  # 社区用房面积仅有680平方米, 60岁以上人员占比超过七成: a problem states how things stand
        if self.families[i] not in ("percent", "permille", "points"):
            thing, size_only, thing_end = self._attribute_of(i, clause_start)
            if thing:  # the figure describes a thing: named by it; its size alone is undated
                names, quote_end = [thing], max(quote_end, thing_end)
                sent.indicator = thing
                stock = stock or size_only
        if not stock and kind == "count" and text.startswith(ADMIN_UNIT_NOUNS, q.end) and not _FLOW_CUE.search(clause):
            stock = True  # 全乡14个行政村集体经济收入…, 向26个村委会授信: the units a place is made of
        if not stock and kind == "count" and _AMONG_SET_AFTER.match(text, q.end) and not _FLOW_CUE.search(clause):
            stock = True  # 全乡308户防返贫监测对象中，…: the set the next clause counts from
        if (
            not stock and kind == "count" and left.words.endswith(LEVEL_LINKS) and not _FLOW_CUE.search(clause)
            and (
                left.core.endswith(BUILDING_NOUNS)
                or left.core.endswith(POPULATION_NOUNS) and not _THRESHOLD_IN.search(left.core)
            )
        ):
            stock = True  # 高新技术企业达到45家: the level a class of firms has reached, not the year's additions
        if (
            not stock and kind == "count" and (left.level or left.words.endswith(LEVEL_LINKS))
            and left.core.endswith(CATALOGUE_NOUNS) and not _FLOW_CUE.search(clause)
        ):
            stock = True  # “一件事”重点事项扩大到56项: the catalogue as it stands
        if not stock and kind == "count" and (_HOLDING.match(left.core) or _HOLDING.match(left.words)) and not _FLOW_CUE.search(clause):
            stock = sent.stock = True  # 全镇农村低保四百三十户, 全街道党员1128名: the people a place holds, not the
            # year's additions (…, 其中脱贫劳动力3100人: its parts too)
        if kind != "target" and not stock and (
            self._multi_year(sent_start, q.start) or _YEARLY_AVERAGE.search(text, clause_start, q.start)
            or bool(left.up or left.down) and not left.level and self._older_base(clause_start, q.start)
        ):
            stock = True  # "十四五"以来累计…, 五年来新增…, 年均增长7.2%, 比2020年提高…: over several years, not the year's
        period = self._period(q, left, kind, section, sent_start, stock)
        if kind != "target" and not stock:
            # 二季度单季规上工业总产值34.2亿元，环比增长11.8%: a bare change clause is over the period of
            # the amount it follows, when that amount's own clause named a sub-period
            if is_change and not left.core and sent.own_period and self._marker(q, clause_start, left) is None:
                period = sent.own_period
            elif left.core and not is_change:
                own = self._marker(q, clause_start, left) is not None and period != self.default_period
                sent.own_period = period if own else None
        quote_start = name_at
        while quote_end - quote_start < 8 and quote_start > sent_start:
            wider = max(b.clause(quote_start - 1), sent_start)  # widen by whole clauses, never mid-number
            if quote_end - wider > _QUOTE_LIMIT:
                break  # a run-on clause: keep the short quote rather than a page of text
            quote_start = wider
        quote_start = self._past_marker(quote_start)
        quote_start = _skip_space(text, quote_start, q.start)
        return [
            Metric(
                name=name,
                value=q.value,
                value_text=q.value_text,
                unit=_halfwidth_unit(q.unit),
                kind=_rate_kind(name, kind) if left.shared else kind,  # 办结率、满意率均为100%: each its own
                period=period,
                qualifier=q.qualifier,
                quote=text[quote_start:quote_end],
                span=(quote_start, quote_end),
            )
            for name in names
        ]

    def _line_label(self, i: int, clause_start: int) -> int | None:
        """Where the label of an ``指标：数值`` line starts, when the clause before the colon that
        ``clause_start`` follows is one: it opens its sentence, holds no figure and names a measure
        rather than leading a list (主要指标如下：), a speech (他说：) or a goal (全年目标：)."""
        text, b = self.text, self.b
        colon = clause_start - 1
        if colon <= 0 or text[colon] not in COLONS:
            return None
        lo = b.clause(colon)
        if lo != b.sentence(colon) or (i and self.qs[i - 1].end > lo):
            return None
        lo = _skip_space(text, self._past_marker(lo), colon)
        label = text[lo:colon].rstrip(SPACES)
        if not _LINE_LABEL.fullmatch(label) or label.endswith(LABEL_LEAD_ENDS):
            return None
        return lo

    def _left(self, i: int, q: Quantity, clause_start: int, label_start: int | None = None) -> _Left:
        """The left of figure ``i`` from ``clause_start``; with ``label_start``, an ``指标：`` label
        before the clause's colon is read as the start of the clause (the colon left out)."""
        text = self.text
        start = clause_start
        if 0 < clause_start and text[clause_start - 1] == ENUMERATION_COMMA and _SHARED_TAIL.search(text, clause_start, q.start):
            start = max(self._plain_clause_start(clause_start), q.start - _CLAUSE_LIMIT)  # 发文数量、会议数量均压减10%
        if i and self.qs[i - 1].end > start:
            start = self.qs[i - 1].end
        raw = text[start : q.start]
        if label_start is not None:
            raw, start = text[label_start : clause_start - 1] + raw, label_start
        unbracketed = _PAREN.sub("", raw)
        body = unbracketed.strip(_QUOTE_STRIP)
        before = _BEFORE.search(body)
        before_tag = None
        if before:
            before_tag, body = before.group("tag") or before.group("base") or "", body[: before.start()]
        times = _MULTIPLE_BASE.search(body) if q.base_unit == MULTIPLE_UNIT else None
        times_base = times[0] if times else None
        if times:  # 是上年的1.5倍, 达到2020年的3倍: a multiple of a base year's level, a change like 增长1.2倍
            body = body[: times.start()]
        tail = _tail(body)
        core = body[: tail.start()] if tail else body
        core = _TRAILING_LINK.sub("", core)
        lead = _LEAD_PERIOD.match(core)
        core = core[lead.end() :] if lead else core
        stripped = _TRAILING_LINK.sub("", _LEADING_NOISE.sub("", core).strip(_QUOTE_STRIP))
        if _GENERIC.match(core) and len(core) >= 2:
            pass  # 完成全年目标的, 完成率: a rate phrase keeps its verb
        elif len(stripped) >= 2 or not core:
            core = stripped
        each_equal = _SHARED.search(core) is not None  # 办结率均为100%: 均 says all are equal, no name's word
        shared = ("、" in core or "和" in core) and each_equal
        if each_equal:
            core = _SHARED.sub("", core)
        at = raw.find(core[:2]) if core else -1
        if label_start is not None and at >= clause_start - 1 - label_start:
            at += 1  # past the label: the colon left out of ``raw`` stands before it in the source
        up, down, compare, level, each = tail.group("up", "down", "cmp", "lvl", "each") if tail else _NO_TAIL
        compare = compare or (tail.group("eachcmp") if tail else None) or times_base  # 分别比年初增长: the base after 分别
        return _Left(  # positional: one is built for every figure
            start,
            _balance_quotes(core) if "”" in core else core,
            start + at if at >= 0 else start,
            up,
            down,
            compare,
            bool(level),
            bool(each),
            before_tag,
            shared,
            unbracketed.strip(_WORD_STRIP),
        )

    # -- names --------------------------------------------------------------------------------

    def _names(
        self, i: int, q: Quantity, left: _Left, clause_start: int, is_change: bool, is_rate: bool, kind: str
    ) -> tuple[list[str], int, int]:
        text, sent = self.text, self.sentence
        core = left.core
        rate, sent.rate = sent.rate, ""  # the own-measure rate read just before this figure, if any
        if sent.grown and self.families[i] not in ("percent", "permille", "points") and not _LEADING_NOISE.sub("", core):
            # …增长6%左右，力争达到48亿元 / …增长9%，突破120亿元: an amount clause with no indicator of
            # its own, after a growth clause, states the level of the indicator that grew
            return [sent.grown], sent.grown_at, q.end
        if left.each:
            item = self._each_item(i, q)
            if item:
                sent.names.append(item)  # 分别达到A和B，分别增长a%和b%: the next 分别 group pairs with these
                return [item + (left.compare or "") + (left.down or "") if left.down else item], left.start, q.end
        listed = self._listed_before(i) if self.families[i] in _RATE_FAMILIES and not left.shared else []
        if listed and _SHARED.search(left.words) and (core.endswith(RATE_WORD) or _GENERIC.match(core)):
            # 办理人大代表建议136件、政协委员提案182件，办复率均为100%: the rate of each thing listed
            return [_DEED_LEAD.sub("", name) + core for name in listed], left.core_at, q.end
        if left.shared:
            parts = [p for p in _LIST_SPLIT.split(core) if p]
            last = parts[-1]
            # 国控、省控断面水质优良比例均为100%: a short first part is a modifier like the last one's
            # (省控) and shares its head (断面水质优良比例)
            parts = [
                p + last[len(p) :] if len(p) <= _MODIFIER_LIMIT and len(last) > len(p) + 2 and not _GENERIC.match(p) else p
                for p in parts[:-1]
            ] + [last]
            names = [sent.indicator + p if _GENERIC.match(p) and sent.indicator else p for p in parts]
            return names, left.core_at, q.end
        if left.before_tag is not None and (core or sent.indicator):
            if core:
                sent.indicator = core
            else:  # 固定资产投资完成31.6亿元，较上年的28.9亿元: the base of the sentence's indicator
                core = sent.indicator
            sent.names.append(core)
            tag = left.before_tag
            return [f"{core}（{tag}）" if tag and not tag[0].isdigit() else core], left.core_at, q.end
        if (is_change or left.level and not core) and sent.indicator:
            name = rate if rate and is_change and self.families[i] in ("percent", "points") else sent.indicator
            if left.down and not left.level:
                name += (left.compare or "") + left.down
            elif kind == "target" and left.up and not left.level and self.families[i] in ("percent", "points"):
                name += left.up
            return [name], left.start, q.end
        if is_rate and sent.indicator and not core.startswith(sent.indicator):
            stem = core.rstrip("的")[:-1] if core.endswith(RATE_WORD) else ""
            at = sent.indicator.find(stem) if len(stem) >= 2 else -1
            if at > 0 and sent.indicator[at + len(stem) :] in COUNT_NOUN_ENDS:  # 城乡居民医保参保人数…，参保率 → 城乡居民医保参保率: the rate replaces the count's noun
                name = sent.indicator[:at] + core.rstrip("的")
            else:
                name = sent.indicator + core.rstrip("的")
            if core.endswith(RATE_WORD) and len(core) > _MIN_OWN_RATE:
                sent.rate = core.rstrip("的")  # …，群众满意率达到98.5%，比上年提高1.2个百分点: the change is the rate's
            return [name], left.core_at, q.end
        if EXAMPLES_END in core and not is_change:
            name, at = self._example_name(q, left)
            after = core[core.rfind(EXAMPLES_END) + 1 :]
            if not name and left.start and text[left.start - 1] == ENUMERATION_COMMA and len(after) >= 3:
                name, at = after, left.core_at  # 对独居、空巢等特殊老人开展…电话问候: the examples open the clause
            if name:
                sent.indicator = name
                sent.names.append(name)
                return [name], at, q.end
        rate_family = self.families[i] in ("percent", "permille", "points")
        if (
            not sent.whole and core in THING_MEASURE_NOUNS and sent.indicator and not is_change and not rate_family
            and core == left.words and clause_start > 0 and text[clause_start - 1] in _THING_CLAUSE_JOINS
            and core not in sent.indicator
        ):
            # 新增民宿42家，床位860张 / 发展高山蔬菜三千亩，产值约2400万元: a bare measure noun after a
            # clause on a thing is that thing's (新增民宿床位, 高山蔬菜产值); so is one after a 、 (完成征迁
            # 房屋432户、面积6.85万平方米: 征迁房屋面积)
            name = _DEED_LEAD.sub("", sent.indicator) + core if len(_DEED_LEAD.sub("", sent.indicator)) >= 2 else sent.indicator + core
            return [name], left.core_at, q.end
        if sent.whole and len(core) == 2 and core != sent.whole and not is_change and not rate_family:
            # 其中小麦5.8万亩: one word is too generic alone → 粮食播种面积中小麦; but a part the whole's own
            # name holds (出口 of 外贸进出口总额) stands alone
            name = core if core in sent.whole and core not in _DEED_VERB_SET else f"{sent.whole}中{core}"
            if name == core:
                sent.part = core
            sent.indicator = name
            sent.names.append(name)
            return [name], left.core_at, q.end
        deed = self._deed_name(core, left.words) if not is_change and not rate_family else ""
        if deed:  # 收集居民意见建议263条,解决241条 → 解决居民意见建议
            sent.indicator = deed
            sent.names.append(deed)
            return [deed], left.core_at, q.end
        use = self._invested_in(q, core)
        if use:
            sent.indicator = use
            sent.names.append(use)
            return [use], left.core_at, q.end
        noun_follows = q.end < len(text) and is_cjk(text[q.end]) and text[q.end] not in _NO_NOUN_AFTER
        short_verb = len(core) <= 2 and noun_follows  # 抓好71家规上企业, 拓展40条历史文化街区
        # 对辖区5185间出租房, 两个截污纳管工程: the counter's noun is the indicator
        # …and so it is after a list of the things' own names (引入东日钢构、东和坊4个超亿元项目, 完成3号院、
        # 7号院2个老旧小区改造) or after 的 (年初确定的12项民生实事)
        appositive = text[q.start - 1 : q.start] == "的" or (
            0 < clause_start and text[clause_start - 1] == ENUMERATION_COMMA
            and not (i and self.qs[i - 1].end > self._plain_clause_start(clause_start))
        )
        prenominal = noun_follows and (self.families[i] in _COUNT_FAMILIES and (
            q.chinese or core.endswith(PLACE_WORDS) or core.startswith(PREPOSITIONS) or appositive
        ) or self._noun_phrase_after(q))
        noun, noun_end = self._noun_after(q) if prenominal else ("", q.end)
        if noun and len(noun) <= 2 and len(core) >= 2 and not core.endswith(PLACE_WORDS) and not core.startswith(PREPOSITIONS):
            noun = core + noun  # 纳入重点监管的262家企业: a one-word noun keeps the words that qualify it
        if noun:
            sent.indicator = noun
            sent.names.append(noun)
            return [noun], left.core_at if core else left.start, noun_end
        # 古城街道完成452.7亩土地征收: a verb before the figure makes the noun after it the indicator
        object_follows = noun_follows and core.endswith(_OBJECT_VERBS)
        if len(core) >= 2 and not core.endswith(_NAME_ENDS_WITH_VERB) and not short_verb and not object_follows:
            name = core
            if left.down and not left.level:
                name += (left.compare or "") + left.down
            elif kind == "target" and left.up and not left.level and self.families[i] in ("percent", "points"):
                name += left.up
            if self.families[i] not in ("percent", "permille", "points") or not (left.up or left.down) or left.level:
                # a rate's level reached (城镇化率提高到56.2%) names the indicator a change after it is of
                # (…,比上年提高1.3个百分点); a bare change (增长8%) names none
                sent.indicator = core
                sent.names.append(core)
            return [name], left.core_at, q.end
        noun, noun_end = self._noun_after(q) if self.families[i] not in ("percent", "permille", "points") else ("", q.end)
        if noun and object_follows and len(noun) <= 2:
            noun = core + noun  # 完成雨污分流改造23个小区: a one-word object keeps its verb phrase
        if noun:
            sent.indicator = noun
            sent.names.append(noun)
            return [noun], clause_start, noun_end
        # 申请支出型临时救助金17宗共18.64万元: the second figure shares the clause's indicator
        fallback = core or sent.indicator or left.words or q.unit
        return [fallback], left.start, q.end

    def _listed_before(self, i: int) -> list[str]:
        """The names of the counts listed with 、 in the clause right before figure ``i`` (A x件、B y件，…)."""
        sent, text = self.sentence, self.text
        run: list[int] = []
        k = i - 1
        while k >= 0 and self.qs[k].start >= sent.start and self.families[k] in _COUNT_FAMILIES:
            run.append(k)
            gap_start = self.b.clause(self.qs[k].start)
            if gap_start == 0 or text[gap_start - 1] != ENUMERATION_COMMA:
                break
            k -= 1
        if len(run) < 2 or len(sent.names) < len(run) or text[self.b.clause(self.qs[i].start) - 1] == ENUMERATION_COMMA:
            return []
        return sent.names[-len(run) :]

    def _attribute_of(self, i: int, clause_start: int) -> tuple[str, bool, int]:
        """1100余亩、3000余户的南滨江九大团块: the thing figure ``i`` describes (+ its measure noun), whether
        the figure is only its size (nothing but a measure noun before it: undated), and where the thing
        ends; ("", False, 0) when the figure is no attribute. 组建106人的人才库 names the thing, dated."""
        text = self.text
        first, last = self.run_first[i], self.run_last[i]
        end = self.qs[last].end
        if text[end : end + 1] != "的" or end + 1 >= len(text) or not is_cjk(text[end + 1]) or text[end + 1] in CN_NUMERALS:
            return "", False, 0
        lead = _PAREN.sub("", text[max(clause_start, self.b.clause(self.qs[first].start)) : self.qs[first].start])
        lead = lead.strip(SPACES + "“”\"'")
        measure = _ATTRIBUTE_LEFT.fullmatch(lead)
        if measure is None and len(lead) > 2:
            return "", False, 0
        window = re.split(rf"[{CLAUSE_BREAK_CLASS}{ENUMERATION_COMMA}]", text[end + 1 : end + 1 + _COUNTER_NOUN_LIMIT], maxsplit=1)[0]
        head = _ATTRIBUTE_HEAD.match(window)
        if not head:
            return "", False, 0
        thing = head.group(0)
        return thing + (measure.group(0) if measure else ""), measure is not None, end + 1 + len(thing)

    def _example_name(self, q: Quantity, left: _Left) -> tuple[str, int]:
        """协调解决用工、融资、用地等问题327个: the verb before the examples + the noun after 等, and
        where the verb starts; ("", 0) when the clause has no verb before its examples."""
        text = self.text
        lo = self._past_marker(max(self._plain_clause_start(left.start), q.start - _CLAUSE_LIMIT))  # not ③
        raw = _PAREN.sub("", text[lo : q.start])
        at = raw.rfind(EXAMPLES_END)
        head = _TRAILING_LINK.sub("", raw[at + 1 :]).strip(SPACES)  # 等优抚对象共688人次 → 优抚对象
        if at <= 0 or not 1 <= len(head) <= 6 or not all(is_cjk(ch) for ch in head) or re.search(r"[\d０-９]", raw):
            return "", 0
        pieces = _LIST_SPLIT.split(raw[:at])
        if len(pieces) == 1 and len(head) >= 2:
            # 举办乡村文化旅游节等节庆活动12场次: one example between the verb and 等 → 举办节庆活动
            written = pieces[0].lstrip(SPACES)
            verb = _DEED_LEAD.match(written)
            if verb and len(written) - verb.end() >= 2:
                return verb.group(0) + head, lo + _with_brackets(text[lo : q.start], len(raw[:at]) - len(written))
            return "", 0
        if len(pieces) < 2 or not all(pieces):
            return "", 0
        first = pieces[0].lstrip(SPACES + "“”\"'")
        keep = max(2, len(first) - len(pieces[-1]))  # the examples are alike in length: the rest is the verb
        if keep >= len(first):
            return "", 0
        verb = first[:keep]
        # where the verb starts in the text as written: the brackets removed above may stand
        # before it or inside it (协调物业企业维(三)修楼道灯、单元门等设施), so it is not searched for
        return verb + head, lo + _with_brackets(text[lo : q.start], len(pieces[0]) - len(first))

    def _in_subject(self, name: str, sent_start: int) -> str:
        """共14个小区: a one-word name that the sentence's subject holds (城镇老旧小区改造2022年项目完工、
        …) is named by that subject, the words that open the sentence up to its first figure or break."""
        if len(name) > 2:
            return name
        text = self.text
        start = _skip_space(text, self._past_marker(sent_start), len(text))
        end = start
        while end < len(text) and end - start < 12 and text[end] not in _CLAUSE_CHARS and is_cjk(text[end]):
            end += 1
        subject = text[start:end]
        return subject if len(subject) > len(name) and name in subject else name

    def _invested_in(self, q: Quantity, core: str) -> str:
        """投入4.48亿元建成城镇型、生态型等侨乡碧道58.4公里 → 侨乡碧道投入: money named by what it builds."""
        text = self.text
        if not core.endswith(INVEST_WORDS) or not text.startswith(INVEST_USE_VERBS, q.end) or q.family != "money":
            return ""
        verb = next(v for v in INVEST_USE_VERBS if text.startswith(v, q.end))
        start = q.end + len(verb)
        end = start
        while end < len(text) and end - start < 24 and text[end] not in _CLAUSE_CHARS and not text[end].isdigit():
            end += 1
        if end < len(text) and text[end] == ENUMERATION_COMMA:  # 城镇型、生态型等侨乡碧道: past the examples
            at = text.find(EXAMPLES_END, end, start + 24)
            if at < 0:
                return ""
            end = at + 1
            while end < len(text) and end - start < 24 and text[end] not in _CLAUSE_CHARS and not text[end].isdigit():
                end += 1
        thing = text[start:end]
        thing = thing[thing.rfind(EXAMPLES_END) + 1 :]
        word = next(w for w in INVEST_WORDS if core.endswith(w))
        return thing + word if len(thing) >= 3 and all(is_cjk(ch) for ch in thing) else ""

    def _deed_name(self, core: str, words: str) -> str:
        """A clause that is only a deed verb acts on the object the sentence last named."""
        verb = core
        core = words if words.endswith(core) and len(words) <= len(core) + 2 else core  # keeps 已 of 已整改
        for prefix in DEED_PREFIXES:
            if verb.startswith(prefix) and len(verb) > len(prefix):
                verb = verb[len(prefix) :]
                break
        whole = self.sentence.indicator
        if verb not in _DEED_VERB_SET or not whole or whole == core:
            return ""
        obj = whole
        for lead in _DEED_LEADS:
            if obj.startswith(lead) and len(obj) > len(lead) + 1:
                obj = obj[len(lead) :]
                break
        return obj if obj.endswith(verb) else core + obj  # 开展职业技能培训24期、培训1650人次 → 职业技能培训

    def _noun_phrase_after(self, q: Quantity) -> bool:
        """767.56亩水田指标: a noun of some length right after the figure, not a predicate (2.4公里建成通车)."""
        if q.family == "money" or q.family in _COUNT_FAMILIES:
            # 捐赠55万元充实社区基金, 新增企业12家落户园区: after money or a count comes its use or a
            # predicate; a counted noun stands before the count unless a verb does (新建5个口袋公园)
            return False
        noun = self._noun_after(q)[0]
        return len(noun) >= 3 and not noun.startswith(_OBJECT_VERBS)

    def _noun_after(self, q: Quantity) -> tuple[str, int]:
        if q.start in self._nouns:
            return self._nouns[q.start]
        self._nouns[q.start] = found = self._read_noun_after(q)
        return found

    def _read_noun_after(self, q: Quantity) -> tuple[str, int]:
        text = self.text
        right_end = q.end
        limit = min(len(text), q.end + _COUNTER_NOUN_LIMIT)
        while right_end < limit and text[right_end] not in _CLAUSE_CHARS:
            right_end += 1
        stop = _NOUN_STOP.search(text, q.end + 1, right_end)
        noun_end = stop.start() if stop else right_end
        noun = text[q.end : noun_end].strip("的 " + SPACES)
        return (noun, noun_end) if len(noun) >= 2 else ("", q.end)

    def _group_first(self, i: int) -> int:
        """The first of the figures joined to figure ``i`` by 、/和/及 alone (5.8%和3.9%)."""
        first, joined, families = i, self.joined, self.families
        while first > 0 and i - first < 12 and joined[first]:
            if families[first - 1] != families[first]:
                break
            first -= 1
        return first

    def _each_item(self, i: int, q: Quantity) -> str:
        """分别增长a%和b%: the indicator of the preceding list that this figure stands for."""
        text = self.text
        # the group of figures after 分别, joined by 、/和/及
        first = self._group_first(i)
        last = self.run_last[i]
        k, index = last - first + 1, i - first
        at = text.rfind(EACH_WORD, max(0, self.qs[first].start - 12), self.qs[first].start)
        if at < 0:
            return ""
        lo = max(self.b.sentence(at), self._plain_clause_start(at))
        items = self._each_list(lo, at, k)
        if len(items) >= k and k > 1:
            items = items[-k:]
            head = ""
            kind = _EACH_KIND.match(items[-1])
            if kind:  # 软件和信息服务、智能制造两大产业: the kind after the count is every item's head
                items[-1], head = kind.group("last"), _EACH_QUALIFIER.sub("", kind.group("head"))
            shortest = len(items[0])
            if not head and all(len(it) == shortest for it in items[:-1]) and shortest <= 3 and len(items[-1]) > shortest + 1:
                head = items[-1][shortest:]  # 城镇、农村常住居民人均可支配收入: the list shares its head noun
                items[-1] = items[-1][:shortest]
            # 分别实现营收X和Y: the measure after 分别 completes every item's name
            measure = _EACH_LEAD.sub("", text[at + len(EACH_WORD) : self.qs[first].start])
            if measure and (not is_cjk(measure[0]) or any(w in measure for w in (*UP_WORDS, *DOWN_WORDS))):
                measure = ""
            return items[index] + head + measure
        names = self.sentence.names[: len(self.sentence.names) - index]  # without this group's own
        if len(names) >= k and k > 1:
            return names[-k:][index]
        return ""

    def _each_list(self, lo: int, at: int, k: int) -> list[str]:
        """``_each_items(_PAREN.sub("", text[lo:at]), k)``, read from the last ``_EACH_WINDOW`` characters
        when they decide it: a run-on text's list before 分别 can start at the text's start, and each
        分别 would read all of it again."""
        text = self.text
        if at - lo > _EACH_WINDOW:
            if self._each_marks is None:
                brackets = [m.start() for m in _BRACKET_CHAR.finditer(text)]
                self._each_marks = (
                    brackets,
                    [b for b in brackets if text[b] in PAREN_CLOSE],
                    [m.start() for m in re.finditer(ENUMERATION_COMMA, text)],
                )
            brackets, closes, commas = self._each_marks
            w = at - _EACH_WINDOW
            # no bracket pair spans the window's start when the last bracket before it is a closing
            # one (or there is none): otherwise start after the last closing one
            j = bisect_left(brackets, w) - 1
            if j >= 0 and brackets[j] >= lo and text[brackets[j]] not in PAREN_CLOSE:
                x = bisect_left(closes, w) - 1
                w = closes[x] + 1 if x >= 0 and closes[x] >= lo else lo
            c = bisect_left(commas, lo)
            if w > lo and not (c < len(commas) and commas[c] < w):
                found = _each_items_after(_PAREN.sub("", text[w:at]), k)
                if found is not None:
                    return found
        return _each_items(_PAREN.sub("", text[lo:at]), k)

    def _plain_clause_start(self, pos: int) -> int:
        """Clause start ignoring 、 (a list of indicators is written with it)."""
        i = bisect_left(self.b.clauses, pos)
        while i:
            at = self.b.clauses[i - 1]
            if self.text[at] != ENUMERATION_COMMA:
                return at + 1
            i -= 1
            if pos - at > 80:
                return at + 1
        return 0

    # -- kind ---------------------------------------------------------------------------------

    def _kind(self, i: int, q: Quantity, left: _Left, clause: str, sent_start: int, section: str, is_change: bool) -> str:
        if self._is_target(i, q, left, clause, sent_start, section):
            return "target"
        family = self.families[i]
        near = self.text[left.start : q.start]
        if family in ("percent", "permille"):
            if _COMPLETION_PHRASE.search(near) or _PLAN_RATIO.search(near) or _COMPLETION_WORD.search(left.core):
                return "completion_rate"
            if (left.up or left.down or left.compare) and not left.level:
                return "growth_rate"
            if q.direction and not left.level and not left.core:
                return "growth_rate"
            if _SHARE_WORD.search(left.core or self.sentence.indicator) or left.level or left.before_tag is not None:
                return "share"
            return "other"
        if family == "points" or q.base_unit == "番":
            return "growth_rate"
        if family == "ratio":
            if left.up or left.down or left.compare:
                return "growth_rate"
            # 占比超过七成, 报销比例达到九成左右, 带动农户近三成增收: tenths of a whole are a share (2倍 is no share)
            return "share" if q.base_unit == TENTHS_UNIT or q.unit == TENTHS_UNIT else "other"
        if family in _COUNT_FAMILIES or q.base_unit in _DURATION_COUNT_UNITS:
            return "count"
        if not q.unit and (left.core or self.sentence.indicator).endswith(RATIO_NAME_ENDS):
            return "share"  # 城乡居民收入比缩小至1.82
        return "actual"

    def _is_target(self, i: int, q: Quantity, left: _Left, clause: str, sent_start: int, section: str) -> bool:
        if left.before_tag:  # 由2024年的38%提高到45%: the before value is a past level, even in a plan
            return False
        if section == "plans" and self._plan_scope(q, left, clause, sent_start):
            return False
        if section == "plans":
            return True
        if self.b.any_between(self.b.strong_targets, sent_start, q.start):
            return True
        if self._continues_projection(sent_start):
            return True
        weak = _WEAK_TARGET.search(clause)
        if weak and not _YARDSTICK.search(clause, 0, weak.end()):
            return True
        # 完成全年目标5.1亿元的75.7%: the yardstick amount is the year's target
        nxt = self.qs[i + 1] if i + 1 < len(self.qs) else None  # (完成年度任务700人的105.7% too: 任务 is no cue)
        if nxt and nxt.start == q.end + 1 and self.text[q.end] == "的" and nxt.family == "percent":
            return bool(re.search(rf"(?:{_alt(COMPLETION_YARDSTICKS)})$", self.text[left.start : q.start]))
        return False

    def _older_base(self, lo: int, hi: int) -> bool:
        """五年来，…比2020年提高0.9个百分点 in a report on 2025: a change against a base years back, in
        a paragraph on a span of years (a base years back alone, 较2020年翻一番, keeps the year)."""
        year = self.ctx.report_year
        m = _BASE_YEAR.search(self.text, lo, hi)
        if not (m and year and int(m.group(1)) < year - 1):
            return False
        return _MULTI_YEAR_SPAN.search(self.text, self.b.line(lo), hi) is not None

    def _continues_projection(self, sent_start: int) -> bool:
        """The sentence right after a project's projection (…建成后年销售额预计达6亿。) with no date and
        no word of what was done (直接解决就业500人左右) projects too."""
        found = self._projections.get(sent_start)
        if found is None:
            found = self._projections[sent_start] = self._reads_on_projection(sent_start)
        return found

    def _reads_on_projection(self, sent_start: int) -> bool:
        text, b = self.text, self.b
        if sent_start < 2 or with_fullwidth_stops(text)[sent_start - 1] not in SENTENCE_ENDS:
            return False  # a line break ends the paragraph, and the projection with it (an ASCII stop does not)
        prev_start = b.sentence(sent_start - 1)
        if not _PROJECT_PARAMETER.search(text, prev_start, sent_start):
            return False
        k = bisect_right(b.sentences, sent_start)
        sent_end = b.sentences[k] if k < len(b.sentences) else len(text)
        if _PROJECTION_BREAKER.search(text, sent_start, sent_end):
            return False
        j = bisect_left(self.period_starts, sent_start)
        return not (j < len(self.period_starts) and self.period_starts[j] < sent_end)

    def _plan_scope(self, q: Quantity, left: _Left, clause: str, sent_start: int) -> bool:
        """抓好71家规上企业: a plan verb's object counted as it is, with no target cue in the sentence;
        so is the count closing a list of named examples (重点推进A、B等38个重大项目)."""
        text = self.text
        if q.family not in _COUNT_FAMILIES or q.end >= len(text) or not is_cjk(text[q.end]) or text[q.end] in _NO_NOUN_AFTER:
            return False
        if not left.words.endswith((*PLAN_SCOPE_VERBS, EXAMPLES_END)) or _WEAK_TARGET.search(clause):
            return False
        return not self.b.any_between(self.b.strong_targets, sent_start, q.start)

    # -- period -------------------------------------------------------------------------------

    def _stock(self, q: Quantity, left: _Left, clause: str, clause_start: int, sent_start: int, follows: bool) -> bool:
        sent = self.sentence
        text = self.text
        words = clause  # text[clause_start : q.start]
        flow = bool(_FLOW_CUE.search(words))
        # a stock figure passes its state to the change or 其中 clause after it; a stock sentence
        # (…有居民小区9个,居民楼64栋) stays one until a clause reports something done (新增, 完成 …)
        # …and to the next member of its list (划分专属网格37个、社区网格231个) unless that one reports a deed
        listed = clause_start > 0 and text[clause_start - 1] == ENUMERATION_COMMA and not flow
        # …全年发放低保金、特困供养金共计452万元: a list member after a deed at the list's head is the deed's
        listed = listed and not _FLOW_CUE.search(text, self._plain_clause_start(clause_start), clause_start)
        opening = words.lstrip(SPACES)
        part = opening.startswith(INDICATOR_PART_WORDS) and not flow  # 其中全年新增115名 is a flow
        # …213个，惠及居民6.8万户: the amount's beneficiaries (not 覆盖率/覆盖面, an indicator of its own)
        lead = next((w for w in BENEFICIARY_LEADS if opening.startswith(w)), "")
        part = part or (bool(lead) and not opening.startswith(LEAD_INDICATOR_TAILS, len(lead)))
        if flow and not follows:
            sent.profile = False  # 全乡现有党员642名，今年发展党员19名，其中35岁以下13名: a deed ends the profile
        stock = (sent.stock and (follows or listed or part)) or (sent.profile and not flow)
        if _STOCK_OPENER.match(opening):
            stock = sent.profile = True
        cue_word = _STOCK_CLAUSE.search(words)
        if cue_word and not _FLOW_BEFORE.search(words, 0, cue_word.start()):
            stock = True  # 注册志愿者672名; but 新增注册志愿者980名 reports the year's additions
        if words.endswith(OBJECT_STOCK_LEADS) and not flow:
            k = bisect_right(self.b.sentences, q.end)
            sent_end = self.b.sentences[k] if k < len(self.b.sentences) else len(text)
            if not _FLOW_CUE.search(text, q.end, sent_end):  # 对8个村社的1456间出租房,发放整改意见单…
                stock = True  # 对辖内7条河涌实行常态化管养: what the work is applied to
        # 规划面积由4.2平方公里扩大到7.5平方公里: the after value is the same stock's level; but an area
        # something was done to (盘活闲置楼宇面积, 整改…图斑27个、面积96亩) is the year's work
        # …占行政村总数的38.3%: the share's denominator is a stock, the share is not
        own = () if left.core.startswith(SHARE_OF_WORDS) else (left.core,)
        if (q.family in ("percent", "permille") or q.unit == TENTHS_UNIT) and own:
            own = (_COVERAGE_BASE.sub("", left.core),)  # …覆盖常住人口的41.5%: 常住人口 is the base
        # a change or a level (比上年扩大2000亩, 由4.2…扩大到7.5平方公里) may be of the sentence's indicator;
        # a rate naming itself (…建成区面积扩大到36.5平方公里，城镇化率提高到56.2%) is of that one alone
        borrowed = follows or (left.level and not left.core.endswith(RATE_WORD))
        # 高新技术企业总数突破150家，达到156家: a bare 达到 after a mark passed is the same indicator's level
        borrowed = borrowed or (not left.core and left.words.strip(SPACES).endswith(LEVEL_LINKS))
        for indicator in (*own, sent.indicator) if borrowed else own:
            if indicator.endswith(STOCK_INDICATOR_ENDS) and not indicator.endswith(FLOW_INDICATOR_ENDS):
                if not _DONE_TO.search(text, self._plain_clause_start(clause_start), q.start):
                    stock = True
        if q.family == "area" and not flow and words.rstrip(SPACES).endswith((*LEVEL_MARKERS, *LEVEL_LINKS)):
            stock = True  # 茶园面积扩大到2.3万亩, 中药材种植发展到850亩: the size reached, how things stand
        if _NEW_PART_AFTER.match(text, q.end) and not any(p in words for p in STOCK_CUE_FLOW_PREFIXES):
            stock = True  # 培育社区社会组织64个，其中新增9个: the total, the new ones among it
        cue = self.b.last_between(self.b.stock_cues, sent_start, q.start)
        if cue is not None and not _FLOW_CUE.search(self.text, cue, min(q.start, cue + _CLAUSE_LIMIT)):
            stock = sent.profile = True  # 目前在谈项目10个; but 目前,已成功引进…8家企业 reports what was done
        if not follows:
            sent.stock = stock
        elif stock:
            sent.stock = True  # …总数达到48家,其中产值亿元以上企业19家
        if (left.up or left.down) and not left.level and (q.family in ("percent", "permille", "points") or left.compare):
            return False  # a change is over a period, even of a stock (信访总量下降14.6%, 面积比上年扩大2000亩)
        return stock

    def _period(self, q: Quantity, left: _Left, kind: str, section: str, sent_start: int, stock: bool) -> str | None:
        ctx = self.ctx
        year = ctx.report_year
        if kind == "target" and (
            _PROJECT_PARAMETER.search(self.text, max(sent_start, q.start - _CLAUSE_LIMIT), q.start)
            or self._continues_projection(sent_start)
        ):
            return None  # 项目预计总投资额2亿元, 园区建成后年销售额预计达6亿: parameters, not the year's goals
        if kind == "target":
            head_year, head_part = self._section_period(q.start)
            base = ctx.plan_year if section == "plans" else year
            if head_year:
                base = head_year
            elif (head_part or self.default_period) and section == "plans":
                base = year  # 第四季度工作打算, or the plans of a 前三季度 report: the rest of the year reviewed
            if _YEAR_YARDSTICK.search(self.text, left.start, q.start):
                return str(base) if base else None  # 1-9月,…完成全年目标5.1亿元的75.7%: the whole year's target
            label = self._marker(q, sent_start, left)  # a target's period is stated in its sentence
            if label is None:
                label = self._lead_period(sent_start)
            if label is None:
                label = self._opening_period(sent_start)
            if label is None and section == "plans":
                label = head_part
            return _normal_period(label, base, self.default_period, ctx) if label else (str(base) if base else None)
        if left.before_tag:
            tag = left.before_tag
            if tag in PRIOR_YEAR_WORDS and year:
                return str(year - 1)
            if tag[:1].isdigit():
                return tag[:4]
        if left.level and self.sentence.before_year and year and int(self.sentence.before_year) < year:
            # 由2020年的168家增加到452家: a dated pair dates its after value too, a stock's level included
            label = self._marker(q, self.sentence.before_at, left)
            return _normal_period(label, year, self.default_period, ctx) if label else str(year)
        if stock or _PROJECT_PARAMETER.search(self.text, left.start, q.start):
            return None
        note = self.notes.get(q.end)
        if note:  # 环比增长8.3%（第四季度对比第三季度）: the note's first period is the figure's
            j = bisect_left(self.period_starts, note[0])
            if j < len(self.periods) and self.periods[j][1] <= note[1]:
                return _normal_period(self.periods[j][2], year, self.default_period, ctx)
        # a flow's period carries over the paragraph (1-6月，…；…；…), never over a section heading
        label = self._marker(q, max(self.b.line(q.start), self._section_start(q.start)), left)
        if label is None:
            return self.default_period or (str(year) if year else None)
        return _normal_period(label, year, self.default_period, ctx)

    def _lead_period(self, sent_start: int) -> str | None:
        """The period of a list's lead, for an item that names none: 下半年将抓好三方面工作：一是…；二是举办
        活动60场以上 (the items after the lead's colon, on its line, are the lead's)."""
        text = self.text
        line = self.b.line(sent_start)
        colon = max(text.rfind(c, line, sent_start) for c in COLONS)
        if colon < 0:
            return None
        return self._last_period_in(line, colon)

    def _opening_period(self, sent_start: int) -> str | None:
        """The period that opens the full sentence a ；-part belongs to, before its first comma: 预计2026年，
        全镇完成…45.1亿元；规上工业总产值83.6亿元，…。 (every part of the sentence is of 2026)."""
        text, b = self.text, self.b
        lo = b.full_sentence(sent_start)
        if lo >= sent_start:
            return None  # the sentence is not cut by a semicolon: it was read already
        lo = _skip_space(text, self._past_marker(lo), sent_start)
        k = bisect_right(b.clauses, lo)
        opening_end = b.clauses[k] if k < len(b.clauses) else len(text)
        if opening_end >= sent_start or text[opening_end] not in COMMAS:
            return None
        return self._last_period_in(lo, opening_end)

    def _last_period_in(self, lo: int, hi: int) -> str | None:
        """The last marker wholly inside ``[lo, hi)`` that can be a figure's period (not a base or a date)."""
        j = bisect_left(self.period_starts, hi) - 1
        while j >= 0 and self.period_starts[j] >= lo:
            p0, p1, label = self.periods[j]
            j -= 1
            if p1 <= hi and not self._marker_reading(p0, p1, label)[0]:
                return label
        return None

    def _marker(self, q: Quantity, lo: int, left: _Left) -> str | None:
        """The nearest period marker in ``[lo, figure)``, not a comparison base."""
        hi = q.start
        if left.level and self.sentence.before_at >= 0:
            hi = min(hi, self.sentence.before_at)
        j = bisect_left(self.period_starts, hi) - 1
        tries = 0
        while j >= 0 and self.period_starts[j] >= lo and tries < 24:
            p0, p1, label = self.periods[j]
            checks = self._marker_checks.get(j)
            j -= 1
            tries += 1
            if p1 > hi:
                continue
            if checks is None:
                checks = self._marker_checks[j + 1] = self._marker_reading(p0, p1, label)
            never, sub_period = checks
            if never:
                continue
            if sub_period and p0 < self.b.clause(q.start):
                continue  # 其中三季度单季增长7.8%: a sub-period governs its own clause only
            return label
        return None

    def _marker_reading(self, p0: int, p1: int, label: str) -> tuple[bool, bool]:
        """(never a figure's period, a sub-period) of the marker at ``[p0, p1)``; neither depends on
        the figure asking, so each marker is read once."""
        text = self.text
        never = (
            label in PRIOR_YEAR_WORDS
            or _MONTH_WINDOW.fullmatch(label) is not None  # 4月至7月分三个阶段推进, 7月: dates of an activity
            or _is_base_year(text, p0)
            or text.startswith(COMPLETION_YARDSTICKS, p1)  # 完成全年目标的75.7%: 全年 dates the target, not the figure
            or text.startswith(COMPLETION_YARDSTICKS, p1 + 1)
            or _NAMED_YARDSTICK.match(text, p1) is not None  # 完成全年招商任务的57.3%
            or self._in_note(p0)  # （第四季度对比第三季度）: the figure before the note's, no later one's
            or _MULTIPLE_OF.match(text, p1) is not None  # 是2020年的3倍: the base a multiple is taken of
            # 由2020年的168家增加到452家: the date of a pair's before value dates that value alone
            or (p0 > 0 and text[p0 - 1] == BEFORE_WORD and text.startswith("的", p1))
        )
        return never, text.startswith(SUB_PERIOD_AFTER, p1) or text.endswith(SUB_PERIOD_BEFORE, 0, p0)

    def _in_note(self, pos: int) -> bool:
        """Whether ``pos`` lies in the bracketed note right after a figure."""
        at = bisect_left(self.note_spans, (pos + 1,)) - 1
        return at >= 0 and self.note_spans[at][0] <= pos < self.note_spans[at][1]

    def _section(self, pos: int) -> Section | None:
        """The outline section holding ``pos``; the figure being read asks three times, looked up once."""
        if pos != self._section_pos:
            self._section_pos, self._section_found = pos, self.ctx.outline.section_of(pos)
        return self._section_found

    def _section_start(self, pos: int) -> int:
        sec = self._section(pos)
        return sec.start if sec is not None else 0

    def _section_period(self, pos: int) -> tuple[int | None, str | None]:
        """The year and part named in the heading of the figure's section: 2025年工作计划 → (2025,
        None), 第四季度工作打算 → (None, 第四季度)."""
        sec = self._section(pos)
        if sec is None:
            return None, None
        if sec.start not in self._section_periods:
            year, part = None, None
            lead = sec.lead  # a section opened by content (主要预期目标是:…) has no heading to read
            for _, _, label in find_periods(self.text, lead.start, lead.end) if lead else ():
                m = re.match(r"(\d{4})年(.*)", label)
                if m:
                    year = int(m.group(1))
                sub = m.group(2) if m else label
                if sub and sub not in YEAR_WORDS + SPAN_WORDS + PRIOR_YEAR_WORDS + ("明年",):
                    part = sub
            self._section_periods[sec.start] = (year, part)
        return self._section_periods[sec.start]


@lru_cache(maxsize=1024)
def _halfwidth_unit(unit: str) -> str:
    """A unit as the schema writes it (％ → %); a document has a few dozen units and thousands of figures."""
    return to_halfwidth(unit)


def _rate_kind(name: str, kind: str) -> str:
    """The kind of one of several rates sharing a value: 办结率 a completion, 满意率 a share."""
    if kind not in ("completion_rate", "share"):
        return kind
    return "completion_rate" if _COMPLETION_WORD.search(name) else "share" if _SHARE_WORD.search(name) else kind


_EACH_KIND = re.compile(rf"(?P<last>.+?)[{CN_NUMERALS}\d]+{EACH_KIND_COUNT}(?P<head>.+)$")
_EACH_QUALIFIER = re.compile(_alt(EACH_KIND_QUALIFIERS))
_EACH_LEAD = re.compile(rf"^(?:{_alt(EACH_VERBS)})+")


def _each_items(subject: str, k: int) -> list[str]:
    """The last ``k`` items of the list before 分别 (fewer when it has fewer): split at 、 first, and at
    和/及/与 only when 、 gives fewer than ``k`` items.

    软件和信息服务、智能制造两大产业 is two items, not three; 起数和死亡人数 is two. Read from the end and
    only as far as ``k`` items: the subject of a run-on text can be everything before 分别.
    """
    pieces = [p for p in subject.split(ENUMERATION_COMMA) if p]
    items: list[str] = []
    _items_from_end(pieces, len(pieces) < k, k, items)
    return items[::-1]


def _each_items_after(tail: str, k: int) -> list[str] | None:
    """``_each_items`` of a subject whose start before ``tail`` holds no 、 (and no bracket pair
    across the cut), when ``tail`` decides it; None when the answer needs the part the cut runs
    through (the first piece's first part) or whether the start is empty."""
    raw = tail.split(ENUMERATION_COMMA)
    first, pieces = raw[0], [p for p in raw[1:] if p]
    if not first:
        return None  # whether the subject's first piece is empty depends on the start
    split = len(pieces) + 1 < k
    items: list[str] = []
    if _items_from_end(pieces, split, k, items):
        return items[::-1]
    joiner = min((at for at in (first.find(j) for j in _EACH_JOINERS) if at >= 0), default=-1)
    if split and joiner >= 0 and _items_from_end([first[joiner + 1 :]], True, k, items):
        return items[::-1]
    return None


def _items_from_end(pieces: list[str], split: bool, k: int, items: list[str]) -> bool:
    """Add the items of ``pieces`` to ``items``, last first, until there are ``k``; True then."""
    for whole in reversed(pieces):
        for piece in _joined_parts_from_end(whole) if split else (whole,):
            cut = _DIGIT.search(piece)
            piece = piece[: cut.start()] if cut else piece
            piece = _LEADING_NOISE.sub("", _TRAILING_LINK.sub("", piece)).strip()
            if piece:
                items.append(piece)
                if len(items) == k:
                    return True
    return False


_EACH_JOINERS = LIST_JOINER_CHARS  # 起数和死亡人数: the joiners a list before 分别 may use instead of 、
_LIST_SPLIT = re.compile(f"[、{LIST_JOINER_CHARS}]")  # a list's items, parted by 、 or a joiner
_NO_NOUN_AFTER = "的" + LIST_JOINER_CHARS  # after a count, these start no noun of its own (5家的, 3个和)
_JOINS = "、 " + LIST_JOINER_CHARS  # what may stand between two figures of one joined run
_EACH_WINDOW = 200  # characters before 分别 read first: a list is shorter, the rest is read when needed
_BRACKET_CHAR = re.compile(f"[{PAREN_OPEN_CLASS}{PAREN_CLOSE_CLASS}]")
_DIGIT = re.compile(r"[\d０-９]")


def _joined_parts_from_end(piece: str) -> Iterator[str]:
    """The non-empty parts of ``re.split("[和及与]", piece)``, last first, each found by looking back
    in growing windows (a part costs its own length, not the length of everything before it)."""
    end = len(piece)
    while end >= 0:
        span = 16
        while True:
            lo = max(0, end - span)
            cut = max(piece.rfind(joiner, lo, end) for joiner in _EACH_JOINERS)
            if cut >= 0 or lo == 0:
                break
            span *= 4
        if end - cut > 1:
            yield piece[cut + 1 : end]
        end = cut


def _with_brackets(written: str, k: int) -> int:
    """The offset in ``written`` of character ``k`` of ``_PAREN.sub("", written)``."""
    removed = 0
    for m in _PAREN.finditer(written):
        if m.start() - removed > k:
            break
        removed += m.end() - m.start()
    return k + removed


def _tail(body: str) -> re.Match[str] | None:
    """``_TAIL.search(body)``, or None where that is the empty match at the end (most lefts end in
    an indicator word: 地区生产总值): the same answer without a search from every position."""
    if body and body[-1] not in _TAIL_LAST and EACH_WORD not in body and "\n" not in body:
        return None
    return _TAIL.search(body)


def _joins(between: str) -> bool:
    return 0 < len(between) <= 2 and all(ch in _JOINS for ch in between) or between == ""


def _document_span(ctx: _Context) -> str | None:
    """A year-to-date report's own span, from its title: 2024年前三季度工作总结 → 2024年1-9月."""
    if not ctx.outline.title or not ctx.report_year:
        return None
    t0, t1 = ctx.outline.title
    for _, _, label in find_periods(ctx.text, t0, t1):
        sub = re.sub(r"^\d{4}年", "", label)
        sub = _PARTS.get(sub, sub)
        if re.fullmatch(r"\d{1,2}-\d{1,2}月|上半年", sub):
            return f"{ctx.report_year}年{sub}"
    return None


def _normal_period(label: str, year: int | None, span: str | None, ctx: _Context) -> str | None:
    """A marker as the schema writes periods: 全年 → 2024, 前三季度 → 2024年1-9月, 三季度 → 2024年第三季度."""
    if label in YEAR_WORDS:
        return str(year) if year else None
    if label in SPAN_WORDS:
        return span or (str(year) if year else None)
    if label == "明年":
        return str(ctx.plan_year) if ctx.plan_year else None
    if re.fullmatch(r"\d{4}年?", label):
        return label[:4]
    if re.fullmatch(r"\d{4}-\d{4}年", label):
        return label
    m = re.match(r"(\d{4})年(.+)", label)
    own_year, sub = (int(m.group(1)), m.group(2)) if m else (year, label)
    sub = _PARTS.get(sub, sub)
    if re.fullmatch(r"[一二三四]季度", sub):
        sub = "第" + sub
    return f"{own_year}年{sub}" if own_year else sub


def _is_base_year(text: str, start: int) -> bool:
    """较2022年增长8家: 2022 is what is compared against, not the period."""
    return text[max(0, start - 2) : start].endswith(BASE_YEAR_BEFORE)


def _skip_space(text: str, start: int, limit: int) -> int:
    while start < limit and text[start] in " \t\u3000\n\r,，;；、":
        start += 1
    return start


def _balance_quotes(name: str) -> str:
    """“粤平安”办结 cut after its opening quote reads 粤平安”办结: put the quote back."""
    if name.count("”") > name.count("“"):
        return "“" + name
    return name
