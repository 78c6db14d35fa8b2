"""The offline engine: a deterministic, extractive summary with no model. Document → Report.

Items come from the outline (one per heading or 一是 item, quoted verbatim); metrics are every
quantified fact in the content, named from their clause, with kind and period read from the cue
words around them (同比增长 → growth_rate, 力争/计划/预计 or a plans section → target, 1-10月 →
a partial period). Nothing here does I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import metadata
from .document import Document
from .numbers import Quantity, find_periods, find_quantities, is_figure
from .schema import Item, Meta, Metric, Report, RunInfo
from .segmenting import Node, Outline, scan_windows, segment

_CLAUSE_BREAK = "。;;,,::!?!?、\n"
_SENTENCE_BREAK = "。!?!?\n"
_ITEM_QUOTE_CHARS = 100
_ACTUAL_FAMILIES = {"money", "area", "length", "mass", "energy"}
# 争取 is left out: 争取中央预算内投资资金6789万元 reports money obtained, not a goal. The weak cues
# 目标/确保/将 count only in the figure's own clause: 已全部达到整改整治目标,完成…6项 is achieved.
_TARGET_CUES = re.compile(r"力争|(?<!年度)计划|预计|预期|拟|建成后")
_CLAUSE_TARGET_CUES = re.compile(r"目标|确保|将实现|将")
_STOCK_CUES = re.compile(r"现有|目前|至今|截至|现设有|辖内|全街共")
_GROWTH_CUES = re.compile(r"同比|比增|增长|下降|减少|降低|提高|增幅|增速|回落|上升|比上年")
_COMPLETION_CUES = re.compile(r"完成率|办结率|签约率|整改率|化解率|执行率|转化率|入户率|进度|完成度|完成年度|完成计划|完成")
_SHARE_CUES = re.compile(r"率|比例|占比|比重|覆盖")
_LEADING_NOISE = re.compile(
    r"^(?:其中|同时|此外|另外|全年|今年|当年|年内|目前|现有|至今|累计|全街|全镇|全区|我街|我镇|街道|辖区内?|辖内|共计|共|总计|合共|"
    r"实现|完成|达到|达|为|新增|建成|推进|推动|引导|引入|设立|组建|创建|创成|开展|组织|举办|吸引|发放|投入|争取|成功|已|有序|全面|持续|"
    r"累计|并|和|及|与|对|向|为|将|力争|计划|预计|确保|通过|其)+"
)
_GENERIC_NAMES = re.compile(r"^(?:同比|同步|比上年|较上年)?(?:增长|下降|减少|提高|降低|比增)$|^[^,]{0,3}率$|^总投资$|^完成年度计划$|^完成$")
_COUNTER_NOUN_LIMIT = 14


@dataclass(frozen=True)
class _Context:
    text: str
    outline: Outline
    report_year: int | None
    plan_year: int | None
    markers: tuple[tuple[int, int], ...]


def summarize_document(doc: Document) -> Report:
    """Build an extractive Report of ``doc`` (checks are filled in by the validation stage)."""
    text = doc.text
    outline = segment(text, doc.boilerplate)
    title = text[outline.title[0] : outline.title[1]].strip(" |") if outline.title else None
    kinds = outline.kinds_present()
    doc_type = metadata.doc_type(text, title, kinds)
    year = metadata.report_year(text, title, outline, doc_type)
    plan_year = year if doc_type in ("plan", "news") and not kinds["review"] else (year + 1 if year else None)
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
    colon = max(quote.find(":"), quote.find(":"))
    title = _short_title(quote[:colon] if 0 < colon <= 30 else quote)
    return Item(title=title, text=quote[colon + 1 :] if colon > 0 else quote, quote=quote, span=(start, end))


def _short_title(title: str) -> str:
    title = title.strip().rstrip("。;;,,")
    if len(title) > 30:
        cut = max(title.rfind(",", 0, 30), title.rfind(",", 0, 30))
        title = title[:cut] if cut >= 8 else title[:30]
    return title


def _first_sentence(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in " \t\u3000\n\r。;;,,::":  # the heading's own end mark
        start += 1
    if start >= end:
        return None
    stop = start
    while stop < end and text[stop] not in _SENTENCE_BREAK:
        stop += 1
    return start, min(stop + 1, end) if stop < end and text[stop] != "\n" else stop


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\u3000\n\r。;;,,":
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


def _metrics(ctx: _Context, doc: Document) -> list[Metric]:
    text = ctx.text
    metrics: list[Metric] = []
    windows = [w for c0, c1 in doc.content_ranges for w in scan_windows(c0, c1, ctx.markers)]
    periods = [p for pos, stop in windows for p in find_periods(text, pos, stop)]
    for pos, stop in windows:
            for q in find_quantities(text, pos, stop):
                if is_figure(text, q):
                    metrics.append(_metric(ctx, q, periods))
    return metrics


def _is_base_year(text: str, start: int) -> bool:
    """较2022年增长8家: 2022 is what is compared against, not the period."""
    return text[max(0, start - 2) : start].endswith(("较", "比", "与", "同", "比上"))


def _metric(ctx: _Context, q: Quantity, periods: list[tuple[int, int, str]]) -> Metric:
    text = ctx.text
    clause_start = _after_marker(_clause_start(text, q.start), ctx.markers)
    name, quote_start, quote_end = _name(text, q, clause_start)
    sentence_start = _sentence_start(text, q.start)
    section = ctx.outline.section_at(q.start)
    kind = _kind(text, q, name, sentence_start, section)
    while quote_end - quote_start < 8 and quote_start > sentence_start:
        quote_start = _clause_start(text, quote_start - 1)  # widen by whole clauses, never mid-number
    quote_start = _after_marker(quote_start, ctx.markers)
    quote_start = _skip_space(text, quote_start, q.start)
    return Metric(
        name=name,
        value=q.value,
        value_text=q.value_text,
        unit=q.unit,
        kind=kind,
        period=_period(ctx, q, sentence_start, section, kind, periods),
        qualifier=q.qualifier,
        quote=text[quote_start:quote_end],
        span=(quote_start, quote_end),
    )


def _after_marker(pos: int, markers: tuple[tuple[int, int], ...]) -> int:
    """Quotes and names never start inside an item number (2利弄 → 利弄)."""
    for m0, m1 in markers:
        if m0 <= pos < m1:
            return m1
    return pos


def _skip_space(text: str, start: int, limit: int) -> int:
    while start < limit and text[start] in " \t\u3000\n\r,,;;、":
        start += 1
    return start


def _clause_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in _CLAUSE_BREAK:
        i -= 1
    return i


def _sentence_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in _SENTENCE_BREAK:
        i -= 1
    return i


_NAME_ENDS_WITH_VERB = ("的", "对", "向", "为", "推进", "推动", "引导", "分类", "实现", "及", "和", "与", "等", "共")
_NOUN_STOP = re.compile(r"[\d０-９]|及|和|与|完成|实现|落地|入库|全覆盖|开工|完工|投产|授信|落实|开展|进行|提供|参加|发放|生活|中")


def _name(text: str, q: Quantity, clause_start: int) -> tuple[str, int, int]:
    """The indicator and the quote span: the words before the figure in its clause, or, for
    a counter before its noun (推进12个市重点项目), the noun after it."""
    left_start = clause_start
    for other in find_quantities(text, clause_start, q.start):
        left_start = max(left_start, other.end)
    left = re.sub(r"[((][^))]*[))]", "", text[left_start : q.start])
    cleaned = _LEADING_NOISE.sub("", left).strip(" “”\"'")
    cleaned = re.sub(r"(?:为|达到|达|共|约|累计|共计|合计)$", "", cleaned)
    noun_follows = q.end < len(text) and "\u4e00" <= text[q.end] <= "\u9fff" and text[q.end] not in "的和及与"
    short_verb = len(cleaned) <= 2 and noun_follows  # 抓好71家规上企业, 拓展40条历史文化街区
    if len(cleaned) >= 2 and not cleaned.endswith(_NAME_ENDS_WITH_VERB) and not short_verb:
        name = _balance_quotes(cleaned)
        if _GENERIC_NAMES.match(name):
            subject = _subject_before(text, clause_start)
            name = subject + name if subject else name
        return name, left_start + max(0, left.find(cleaned[:2])), q.end
    right_end = q.end
    while right_end < len(text) and text[right_end] not in _CLAUSE_BREAK and right_end - q.end < _COUNTER_NOUN_LIMIT:
        right_end += 1
    stop = _NOUN_STOP.search(text, q.end + 1, right_end)
    noun_end = stop.start() if stop else right_end
    noun = text[q.end : noun_end].strip("的 ")
    if len(noun) < 2:
        # 申请支出型临时救助金17宗共18.64万元: the second figure shares the clause's indicator
        first = find_quantities(text, clause_start, q.start)
        subject = _LEADING_NOISE.sub("", text[clause_start : first[0].start]).strip(" “”") if first else ""
        return (cleaned or subject or q.unit), (clause_start if subject else left_start), q.end
    return noun, clause_start, noun_end


def _balance_quotes(name: str) -> str:
    """“粤平安”办结 cut after its opening quote reads 粤平安”办结: put the quote back."""
    if name.count("”") > name.count("“"):
        return "“" + name
    return name


def _subject_before(text: str, clause_start: int) -> str:
    """The indicator of the previous clause (规上工业产值48.78亿元,同比增长6.15% → 规上工业产值)."""
    prev_end = clause_start - 1
    if prev_end <= 0:
        return ""
    prev_start = _clause_start(text, prev_end)
    figures = find_quantities(text, prev_start, prev_end)
    if not figures:
        return ""
    left = text[prev_start : figures[0].start]
    left = re.sub(r"[((][^))]*[))]", "", left)
    left = re.sub(r"^\d{1,2}-\d{1,2}月", "", left)
    return _LEADING_NOISE.sub("", left).strip(" “”")


def _kind(text: str, q: Quantity, name: str, sentence_start: int, section: str) -> str:
    before = text[sentence_start : q.start]
    clause = text[_clause_start(text, q.start) : q.start]
    if section == "plans" or _TARGET_CUES.search(before) or _CLAUSE_TARGET_CUES.search(clause):
        return "target"
    if q.family in ("percent", "permille", "points"):
        near = text[max(sentence_start, q.start - 12) : q.start] + name
        if q.direction or _GROWTH_CUES.search(text[max(sentence_start, q.start - 6) : q.start]):
            return "growth_rate"
        if _COMPLETION_CUES.search(near):
            return "completion_rate"
        if _SHARE_CUES.search(near):
            return "share"
        return "other"
    if q.family == "ratio":
        return "growth_rate" if _GROWTH_CUES.search(before) else "other"
    return "actual" if q.family in _ACTUAL_FAMILIES or q.family == "none" else "count"


def _period(
    ctx: _Context, q: Quantity, sentence_start: int, section: str, kind: str, periods: list[tuple[int, int, str]]
) -> str | None:
    text = ctx.text
    before = text[sentence_start : q.start]
    if section == "plans":
        return str(ctx.plan_year) if ctx.plan_year else None
    if kind == "target" or _STOCK_CUES.search(before):
        return None
    stated = [p for p in periods if sentence_start <= p[0] < q.start and not _is_base_year(text, p[0])]
    if stated:
        label = stated[-1][2]
        if label in ("全年", "今年", "当年", "年内", "本年"):
            return str(ctx.report_year) if ctx.report_year else None
        if re.fullmatch(r"\d{4}年?", label):
            return label.rstrip("年")
        if re.match(r"\d", label) and ctx.report_year and not re.match(r"\d{4}", label):
            return f"{ctx.report_year}年{label}"
        return label
    return str(ctx.report_year) if ctx.report_year else None
