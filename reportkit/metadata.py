"""Report metadata read from the page header and text. Text + Outline → Meta fields.

Government pages state the publisher and date in a header table (发布机构 | 台城街道办事处 |,
生成日期, 发布时间, • 日期:) or a news dateline (中国网 2024-03-10 12:17:48); the organisation
also shows in breadcrumbs and titles. These rules read what is written and never guess.
"""

from __future__ import annotations

import re
from collections import Counter

from .segmenting import Outline

_DATETIME = r"(\d{4}-\d{1,2}-\d{1,2}(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?)?|\d{4}年\d{1,2}月\d{1,2}日)"
_PUBLISHED = [  # in order of preference: a publication stamp beats a drafting date
    re.compile(r"(?:发布时间|发布日期|•\s*日期|(?<!成文)(?<!生成)日期)\s*[::]\s*\|?\s*" + _DATETIME),
    re.compile(r"^\s*[\u4e00-\u9fff]{1,8}(?:网|报|新闻|日报|在线|客户端)\s+" + _DATETIME, re.M),
    re.compile(r"生成日期\s*[::]?\s*\|?\s*" + _DATETIME),
    re.compile(r"成文日期\s*[::]?\s*\|?\s*" + _DATETIME),
]
_NEWS_DATELINE = re.compile(r"^\s*[\u4e00-\u9fff]{1,8}(?:网|报|新闻|日报|在线|客户端)\s+\d{4}-\d{1,2}-\d{1,2}", re.M)
_ORG_SUFFIX = r"(?:街道办事处|街道办|街道|镇人民政府|镇政府|镇|乡人民政府|乡政府|乡)"
_ORG_FIELD = re.compile(r"(?:发布机构|发布单位|发文机关|来源)\s*[::]?\s*\|?\s*([\u4e00-\u9fff]{2,20}?" + _ORG_SUFFIX + r")(?=[\s|]|$)", re.M)
_ORG_ANY = re.compile(r"([\u4e00-\u9fff]{2,12}?" + _ORG_SUFFIX + r")")
_ADMIN_PREFIX = re.compile(r"^.*(?:人民政府|政府)|^[\u4e00-\u9fff]{2,4}?(?:省|自治区)|^[\u4e00-\u9fff]{2,4}?[区县](?=[\u4e00-\u9fff]{2})")
_YEAR = re.compile(r"(20\d{2})年")
_PROVINCES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 "
    "四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
).split()
_MUNICIPALITIES = {"北京", "天津", "上海", "重庆"}
# A place counts only where the text names it as a jurisdiction (台山市委, 番禺区人民政府, 洛江区双阳街道),
# so that 地区生产总值 or 到上海市招商 never become the region.
_NOT_NAME_CHARS = set("全本各该在将和及与对抓措度的了到把向从由为于是年月日上下中省级个等并、")
_JURISDICTION = re.compile(
    r"([\u4e00-\u9fff]{2})(市|区|县)(?=委|人民政府|政府|人大|政协|" + _ORG_SUFFIX + r"|[\u4e00-\u9fff]{2}" + _ORG_SUFFIX + r")"
)


def published(text: str) -> str | None:
    """The publication date as written in the header (with its time where given)."""
    head = text[:1500]
    found = [
        (":" in m.group(1), -rank, m.group(1).strip())
        for rank, pattern in enumerate(_PUBLISHED)
        for m in pattern.finditer(head)
    ]
    # a stamp with a time of day is the page's publication record; otherwise the preferred label
    return max(found)[2] if found else None


def organization(text: str, title: str | None) -> str | None:
    """The reporting body: header field, then title, then the most named 街道/镇 in the text."""
    m = _ORG_FIELD.search(text[:1500])
    if m:
        return _strip_admin(m.group(1))
    for source in (title or "", text[:600]):
        found = _ORG_ANY.findall(source)
        if found:
            return _strip_admin(found[-1] if source is not title else found[0])
    counts = Counter(_strip_admin(o) for o in _ORG_ANY.findall(text))
    return counts.most_common(1)[0][0] if counts else None


def _strip_admin(name: str) -> str:
    """番禺区人民政府市桥街道办事处 → 市桥街道办事处; 洛江区双阳街道 → 双阳街道."""
    stripped = _ADMIN_PREFIX.sub("", name)
    return stripped if len(stripped) >= 3 else name


def region(text: str, boilerplate: tuple[tuple[int, int], ...] = ()) -> str | None:
    """Province + city (+ district) the text names as its jurisdiction; None if unnamed.

    Province names are counted in the content only (a 推荐阅读 link list names other places);
    jurisdictions (台山市委, 番禺区人民政府) also in the header and breadcrumbs.
    """
    content = list(text)
    for start, end in boilerplate:
        content[start:end] = " " * (end - start)
    content_text = "".join(content)
    provinces: Counter[str] = Counter()
    for p in _PROVINCES:
        # a municipality counts only as a jurisdiction (上海市委), not as a travel destination
        pattern = p + r"市(?:委|人民政府|政府)" if p in _MUNICIPALITIES else p
        provinces[p] = len(re.findall(pattern, content_text))
    province = next((p for p, n in provinces.most_common(1) if n), None)
    places: Counter[tuple[str, str]] = Counter()
    last_seen: dict[tuple[str, str], int] = {}
    for m in _JURISDICTION.finditer(text):
        if m.group(1) in _PROVINCES or set(m.group(1)) & _NOT_NAME_CHARS:
            continue
        places[(m.group(1), m.group(2))] += 1
        last_seen[(m.group(1), m.group(2))] = m.start()

    def best(suffixes: str) -> str | None:
        # most named first; on a tie the later mention wins: reports list 省委、江门市委和台山市委
        # from the top down, so their own level comes last
        found = [k for k in places if k[1] in suffixes]
        if not found:
            return None
        n, s = max(found, key=lambda k: (places[k], last_seen[k]))
        return n + s

    city, district = best("市"), best("区县")
    parts: list[str] = []
    if province:
        parts.append(province + ("市" if province in _MUNICIPALITIES else "省"))
    if city and (not province or city[:2] != province):
        parts.append(city)
    if district:
        parts.append(district)
    return "".join(parts) or None


def report_year(text: str, title: str | None, outline: Outline, doc_type: str) -> int | None:
    """The year reviewed; for plan-only texts, the plan year."""
    review_heads = [
        text[s.lead.title_start : s.lead.title_end] for s in outline.sections if s.lead and s.kind == "review"
    ]
    for source in ([title] if title else []) + review_heads:
        m = re.search(r"(20\d{2})年(?:度)?(?:[^,,。]*?)(?:总结|回顾|亮点)", source)
        if m:
            return int(m.group(1))
    if title:
        m = _YEAR.search(title)
        if m:
            return int(m.group(1))
    years = Counter(int(y) for y in _YEAR.findall(text[:3000]))
    if not years:
        return None
    if doc_type in ("plan", "news"):
        return max(years)
    return years.most_common(1)[0][0]


def doc_type(text: str, title: str | None, kinds: dict[str, bool]) -> str:
    """news for media pages; otherwise from the sections found (and the title)."""
    if _NEWS_DATELINE.search(text[:800]) or re.search(r"^\s*推荐阅读\s*$", text, re.M):
        return "news"
    has_review, has_plans = kinds.get("review", False), kinds.get("plans", False)
    if title and re.search(r"总结", title) and re.search(r"计划|思路|打算|要点", title):
        return "summary_and_plan"
    if has_review and has_plans:
        return "summary_and_plan"
    if has_review:
        return "work_summary"
    if has_plans:
        return "plan"
    return "other"
