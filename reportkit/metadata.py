"""Report metadata read from the page header, the title and the sign-off. Text + Outline → Meta fields.

Government pages state the publisher and date in a header table (发布机构 | 台城街道办事处 |,
生成日期, 发布时间, • 日期:) or a news dateline (中国网 2024-03-10 12:17:48); a report printed as a
document names its issuer and date in the sign-off lines at the end, a speech in its subtitle
(——2025年1月8日在…会议上). The organisation also shows in breadcrumbs and titles. These rules read
what is written and never guess: when no clean name is found, the answer is None.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from . import lexicon as lx
from .segmenting import Outline

_CJK = "\u4e00-\u9fff"
_COLON = f"[{lx.COLON_CLASS}]"
_SEPARATOR = rf"[\s|{lx.char_class(lx.SPACES)}]"


def _alt(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# --- dates ---------------------------------------------------------------------------------------

_DATETIME = rf"(\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:[ T]+\d{{1,2}}{_COLON}\d{{2}}(?:{_COLON}\d{{2}})?)?|\d{{4}}年\d{{1,2}}月\d{{1,2}}日)"
# 原创 2026-12-28 18:30 发表于浙江: a 公众号 post's stamp, marked by a lead word or the 发表于 tail
_POST_STAMP_LINE = re.compile(
    rf"^[{lx.SPACE_CLASS}]*(?=(?:{_alt(lx.POST_STAMP_LEADS)})|.{{0,40}}?(?:{_alt(lx.POST_STAMP_TAILS)}))"
    rf"(?:(?:{_alt(lx.POST_STAMP_LEADS)})[{lx.SPACE_CLASS}]*)?(?:[{_CJK}]{{2,12}}[{lx.SPACE_CLASS}]+)?{_DATETIME}"
    rf"(?:[{lx.SPACE_CLASS}]+(?:{_alt(lx.POST_STAMP_TAILS)})[^\n]{{0,12}})?[{lx.SPACE_CLASS}]*$",
    re.M,
)
_PUBLISHED = [  # in order of preference: a publication stamp beats a drafting date
    re.compile(rf"(?:发布时间|发布日期|•\s*日期|(?<!成文)(?<!生成)日期)\s*{_COLON}?\s*\|?\s*" + _DATETIME),
    re.compile(rf"^\s*[{_CJK}]{{1,8}}(?:网|报|新闻|日报|在线|客户端)\s+" + _DATETIME, re.M),
    _POST_STAMP_LINE,
    # 来源：青禾镇人民政府　2026-12-30: the source field and the page's date on one header line
    re.compile(rf"^[{lx.SPACE_CLASS}]*(?:{_alt(lx.SOURCE_FIELD_LABELS)})\s*{_COLON}\s*[^\s:：]{{2,30}}[{lx.SPACE_CLASS}]+" + _DATETIME, re.M),
    re.compile(rf"生成日期\s*{_COLON}?\s*\|?\s*" + _DATETIME),
    re.compile(rf"成文日期\s*{_COLON}?\s*\|?\s*" + _DATETIME),
]
_NEWS_DATELINE = re.compile(rf"^\s*[{_CJK}]{{1,8}}(?:网|报|新闻|日报|在线|客户端)\s+\d{{4}}-\d{{1,2}}-\d{{1,2}}", re.M)
_NEWS_FIELD = re.compile(rf"(?:{_alt(lx.NEWS_FIELD_LABELS)})\s*{_COLON}")
# 本报讯（通讯员 李明 记者 王芳）: a byline in brackets names the item's reporters without a colon
_NEWS_BYLINE = re.compile(rf"[{lx.PAREN_OPEN_CLASS}](?:{_alt(lx.NEWS_FIELD_LABELS)})[{lx.SPACE_CLASS}]")
_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
# ——2025年1月9日在枫溪镇第十八届人民代表大会第五次会议上: the day a speech was given.
_SPEECH_DATE = re.compile(r"^\s*[—－-]{1,2}\s*(\d{4}年\d{1,2}月\d{1,2}日)在", re.M)
_SIGN_OFF_DATE_TEXT = r"(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2})"
_TAIL_LINES = 8  # the sign-off of a report sits in its last few lines
_HEAD_LINES = 4  # a signature or date line under the title sits in the first few lines
# 2025-12-29 16:45　来源：松平县融媒体中心　作者：…: a page's stamp line, the date first and no label.
_STAMP_LINE = re.compile(
    rf"^[{lx.SPACE_CLASS}]*{_DATETIME}[{lx.SPACE_CLASS}]+(?=(?:{_alt(lx.STAMP_FIELD_LABELS)})\s*{_COLON})", re.M
)

# --- issuing bodies and places ----------------------------------------------------------------------

_NAME_CHAR = f"[{_CJK}]"
_ENDINGS = _alt(lx.ISSUER_NAME_ENDINGS)
# 枫溪镇人民政府, 中共松柏街道工作委员会, 章屏县箬竹乡人民政府: a name and one or more endings.
_ISSUER = rf"(?:中共)?{_NAME_CHAR}{{2,24}}(?:{_ENDINGS})"  # greedy: 番禺区人民政府市桥街道办事处 whole
_ISSUER_FIELD = re.compile(
    rf"(?:{_alt(lx.ISSUER_FIELD_LABELS)})\s*{_COLON}?\s*\|?\s*({_ISSUER})(?={_SEPARATOR}|$)", re.M
)
_ISSUER_ANY = re.compile(_ISSUER)
_ISSUER_LINE = re.compile(
    rf"^[{lx.SPACE_CLASS}]*({_ISSUER})(?:[{lx.SPACE_CLASS}]+{_SIGN_OFF_DATE_TEXT})?[{lx.SPACE_CLASS}]*$", re.M
)
# The sign-off date: alone on its line, or after the issuer (…石桥镇人民政府　2025年7月10日).
# …or in brackets, as a report delivered on a day writes it under its title: （2026年1月5日）
_SIGN_OFF_DATE = re.compile(
    rf"^[{lx.SPACE_CLASS}]*(?:{_ISSUER}[{lx.SPACE_CLASS}]+)?"
    rf"(?:{_SIGN_OFF_DATE_TEXT}|[{lx.PAREN_OPEN_CLASS}]{_SIGN_OFF_DATE_TEXT}[{lx.PAREN_CLOSE_CLASS}])[{lx.SPACE_CLASS}]*$",
    re.M,
)
_PLACE_UNIT = r"(?:省|自治区|市|区|县)"
_LOCAL_UNIT = r"(?:街道|镇|乡)"
_LEADING_PLACE = re.compile(rf"{_NAME_CHAR}{{2,3}}?{_PLACE_UNIT}")
_LEADING_LOCAL = re.compile(rf"{_NAME_CHAR}{{2,3}}?{_LOCAL_UNIT}(?={_NAME_CHAR}{{2,4}}(?:社区|村))")
_OWN_UNIT = re.compile(rf"{_NAME_CHAR}{{2,}}?(?:{_LOCAL_UNIT}|社区|村|区|县)")
_GOVERNMENT_PREFIX = re.compile(rf"^.*?(?:人民政府|政府)(?=.{{2,}}?(?:{_ENDINGS})$)")
_NOT_NAME = set(lx.NOT_NAME_CHARS)

_PROVINCE = rf"(?:{_alt(lx.PROVINCE_NAMES)})(?:壮族自治区|回族自治区|维吾尔自治区|自治区|省|市)"
# a place name holds no phrase character and no verb that takes a body as object (代表县人民政府)
_PLACE_CHAR = rf"(?:(?![{lx.char_class(lx.NOT_NAME_CHARS)}委市区县]|{_alt(lx.BODY_OBJECT_VERBS)})[{_CJK}])"
# …nor starts inside such a verb (绕澄江县 of 紧紧围绕澄江县委 is no name; 澄江县 is)
_VERB_TAIL = "|".join(f"(?<={re.escape(v[:-1])}){re.escape(v[-1])}" for v in lx.BODY_OBJECT_VERBS)
_PLACE_NAME = rf"(?!{_VERB_TAIL}){_PLACE_CHAR}{{2,3}}?"
_CHAIN_PARTS = (
    _PROVINCE, rf"{_PLACE_NAME}市", rf"{_PLACE_NAME}[区县](?<!社区)",
    rf"{_alt(lx.JURISDICTION_WORDS)}|{_PLACE_CHAR}{{2,4}}(?:{_LOCAL_UNIT}|社区)",
)
_CHAIN = re.compile("".join(f"(?P<{name}>{part})?" for name, part in zip("pcdj", _CHAIN_PARTS)))
# The same chain where it is not empty: the lookahead holds exactly where one of the parts
# matches, and then the chain matches what it matches at that position; elsewhere the regex
# engine moves on by itself instead of handing Python an empty match for every character.
_CHAIN_FOUND = re.compile("(?=" + "|".join(f"(?:{part})" for part in _CHAIN_PARTS) + ")" + _CHAIN.pattern)
# Every non-empty chain holds one of these (省 市 区 县 of its places, 社区 街道 镇 乡 of its local
# unit, or a jurisdiction word: 委 人大 政府 政协): the chain is matched only near them, since a
# pattern whose parts are all optional is tried (and fails slowly) at every position of the text
# otherwise. Whole words rather than 人/政/道 alone, which stand in 人口, 政策, 道路 every few lines.
_CHAIN_ANCHOR = re.compile("[省市区县镇乡]|街道|" + _alt(lx.JURISDICTION_WORDS))
_CHAIN_BEFORE = 10  # a chain's first anchor is ≤ 8 characters in
# 来源：松平县融媒体中心, 主办：…: the publisher's place is the page's jurisdiction
_PUBLISHER_FIELD = re.compile(rf"(?:{_alt(lx.PUBLISHER_FIELD_LABELS)})\s*{_COLON}\s*")
_LOCATED_IN = re.compile(rf"(?:{_alt(lx.LOCATED_IN_WORDS)})({_PLACE_CHAR}{{2,4}}?{_LOCAL_UNIT})")
_ICP = re.compile(rf"([{''.join(lx.PROVINCE_ABBREVIATIONS)}])(?:ICP|公网安备)")


def published(text: str) -> str | None:
    """The publication date as written in the header (with its time where given).

    Without a header stamp: the day of a speech (——2025年1月8日在…) or the sign-off date at the
    end of the text, as ``YYYY-MM-DD``.
    """
    head = text[:1500]
    found = [
        (":" in m.group(1) or "：" in m.group(1), -rank, m.group(1).strip())
        for rank, pattern in enumerate(_PUBLISHED)
        for m in pattern.finditer(head)
    ]
    # a stamp with a time of day is the page's publication record; otherwise the preferred label
    if found:
        return max(found)[2]
    m = _STAMP_LINE.search(head)
    if m:
        return m.group(1).strip()
    m = _SPEECH_DATE.search(head)
    if m:
        return _iso(m.group(1))
    # a date line under the title (alone or after the issuer), else the sign-off at the end
    dates = _SIGN_OFF_DATE.findall(_head(text)) or _SIGN_OFF_DATE.findall(_tail(text))[-1:]
    return _iso(next(d for d in dates[0] if d)) if dates else None


def _iso(date: str) -> str:
    m = _CN_DATE.fullmatch(date)
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else date


def _tail(text: str) -> str:
    lines = [ln for ln in text.rstrip().split("\n") if ln.strip()]
    return "\n".join(lines[-_TAIL_LINES:])


def _head(text: str) -> str:
    """The lines just under the title (the first non-empty line is the title or a page header)."""
    lines = [ln for ln in text[:1500].split("\n") if ln.strip()]
    return "\n".join(lines[1 : 1 + _HEAD_LINES])


def organization(text: str, title: str | None) -> str | None:
    """The reporting body: header field, sign-off line, title, then the most named clean body.

    Names are returned without the places above the body (章屏县箬竹乡人民政府 → 箬竹乡人民政府,
    白桦街道桦林社区居民委员会 → 桦林社区居民委员会); a phrase that only ends like a name
    (前三季度城镇, 年全镇) is no name, and None is returned when nothing clean is found.
    """
    for m in _ISSUER_FIELD.finditer(text[:1500]):
        name = _clean(m.group(1))
        if name:
            return name
    for m in reversed(list(_ISSUER_LINE.finditer(_tail(text)))):
        name = _clean(m.group(1))
        if name:
            return name
    for m in _ISSUER_LINE.finditer(_head(text)):  # a signature line under the title
        name = _clean(m.group(1))
        if name:
            return name
    for source in (title or "", text[:600]):
        for m in _ISSUER_ANY.finditer(source):
            name = _clean(m.group(0))
            if name:
                return name
    counts = Counter(n for n in (_clean(m.group(0)) for m in _ISSUER_ANY.finditer(text)) if n)
    return counts.most_common(1)[0][0] if counts else None


def _clean(name: str) -> str | None:
    """``name`` less the places above the body, or None when it is a phrase rather than a name."""
    party = name.startswith("中共")
    body = name[2:] if party else name
    body = _strip_places(body)
    own = _OWN_UNIT.match(body)
    stem = own.group(0) if own else re.sub(f"(?:{_ENDINGS})+$", "", body)
    if len(stem) < 2 or set(stem) & _NOT_NAME or not re.fullmatch(f"[{_CJK}]+", body):
        return None
    return ("中共" if party else "") + body


def _strip_places(name: str) -> str:
    """番禺区人民政府市桥街道办事处 → 市桥街道办事处; 渤州市望海区人民政府 → 望海区人民政府."""
    name = _GOVERNMENT_PREFIX.sub("", name)
    while True:
        m = _LEADING_PLACE.match(name) or _LEADING_LOCAL.match(name)
        rest = name[m.end() :] if m else ""
        if not m or not _OWN_UNIT.match(rest) or not re.search(f"(?:{_ENDINGS})$|{_LOCAL_UNIT}|区|县", rest):
            return name
        if _OWN_UNIT.match(rest).end() >= len(rest) and not re.search(f"(?:{_ENDINGS})$", rest):  # type: ignore[union-attr]
            return name
        name = rest


def _chains(text: str) -> Iterator[re.Match[str]]:
    """The non-empty matches of ``_CHAIN`` in ``text``, tried only where a chain can start.

    A chain starts at most ``_CHAIN_BEFORE`` characters before an anchor, so only those positions
    are tried (in order, each after the last match's end, as the full scan moves on); a match may
    run past them. Elsewhere the full scan finds only empty matches.
    """
    starts: list[list[int]] = []  # [lo, hi): merged runs of positions a chain may start at
    for a in _CHAIN_ANCHOR.finditer(text):
        lo, hi = max(0, a.start() - _CHAIN_BEFORE), a.start() + 1
        if starts and lo <= starts[-1][1]:
            starts[-1][1] = hi
        else:
            starts.append([lo, hi])
    match, done = _CHAIN_FOUND.match, 0
    for lo, hi in starts:
        pos = max(lo, done)
        while pos < hi:
            m = match(text, pos)
            if m is None:
                pos += 1
            else:
                yield m
                pos = done = m.end()


def region(text: str, boilerplate: tuple[tuple[int, int], ...] = ()) -> str | None:
    """Province + city + district/county the text names as its jurisdiction; None if unnamed.

    Chains written together (湖南省楚潭市云岭区, 梅浦市凤岗区) count most; a single place counts
    only as a jurisdiction (台山市委, 番禺区人民政府, 北山区白桦街道). The province comes from a chain,
    else from the content (a 推荐阅读 link list names other places), else from the footer's ICP or
    公网安备 number (粤ICP备 → 广东). A community's region ends with its 街道 or 镇.
    """
    # 原创 2026-12-28 18:30 发表于浙江 / IP属地:浙江 says where the account posted from, not whose
    # jurisdiction the text is about: the stamp line is blanked (same length) before places are read
    text = _POST_STAMP_LINE.sub(lambda m: " " * len(m.group(0)), text)
    chains: Counter[tuple[str, str, str]] = Counter()
    last: dict[str, int] = {}
    mentions: Counter[str] = Counter()
    for m in _chains(text):
        p, c, d, j = (m.group(k) or "" for k in ("p", "c", "d", "j"))
        parts = [x for x in (p, c, d) if x]
        if c:
            mentions[c] += 1
        if not parts or (len(parts) < 3 and not _governs(text, m, parts[0], j)):
            continue  # 台山市首个小区, 浙江省抢抓市场: places only where they govern (…人民政府, …委)
        chains[(_province_name(p) if p else "", c, d)] += 1
        for x in (c, d):
            if x:
                last[x] = m.start()
    if not chains and mentions:  # no jurisdiction named as such: the place the text names most
        merged: Counter[str] = Counter()
        for name, n in mentions.items():  # 用瑞安市 (投用瑞安市…) is 瑞安市 with a verb glued on
            merged[name[1:] if len(name) > 3 and name[1:] in mentions else name] += n
        name, n = merged.most_common(1)[0]
        if n >= _MIN_MENTIONS:
            chains[("", name, "")] = n
            last[name] = 0
    chains = _drop_glued(chains)
    province = next((k[0] for k in sorted(chains, key=lambda k: -chains[k]) if k[0]), "") or _content_province(text, boilerplate)
    if not province:
        icp = Counter(lx.PROVINCE_ABBREVIATIONS[a] for a in _ICP.findall(text))
        province = _province_name(icp.most_common(1)[0][0]) if icp else ""
    districts: Counter[str] = Counter()
    cities: Counter[str] = Counter()
    for (_, c, d), n in chains.items():
        if d:
            districts[d] += n * (2 if c else 1)
        if c:
            cities[c] += n * (2 if d else 1)

    def best(counts: Counter[str]) -> str:
        # most named first; on a tie the later mention wins: reports list 省委、江门市委和台山市委
        # from the top down, so their own level comes last
        return max(counts, key=lambda k: (counts[k], last.get(k, 0))) if counts else ""

    district = best(districts)
    paired = [c for (_, c, d) in chains if c and d == district]
    city = paired[0] if paired and district else ("" if district else best(cities))
    if province and city and city[:2] == province[:2]:
        city = ""
    parts = [province, city, district]
    org = organization(text, None) or ""
    if re.search("社区|村", org):
        local = (
            (re.search(rf"{re.escape(district)}({_NAME_CHAR}{{2,3}}?{_LOCAL_UNIT})", text) if district else None)
            or re.search(rf"({_NAME_CHAR}{{2,3}}?{_LOCAL_UNIT}){re.escape(org[:2])}", text)
            or _LOCATED_IN.search(text[text.find(org[:2]) :] if org[:2] in text else "")
        )
        if local and (district or _LOCATED_IN.match(local.group(0))):
            parts.append(local.group(1))
    return "".join(parts) or None


_MIN_MENTIONS = 3


def _governs(text: str, m: re.Match[str], first: str, jurisdiction: str) -> bool:
    """Whether a chain of one or two places names the text's jurisdiction.

    It does after a publisher field (来源：松平县融媒体中心), and before a jurisdiction word (…县委,
    …县人民政府) when its first place reads as a name: it starts a line, follows punctuation, a
    function word (在) or a verb that takes a body as object (围绕), or is written more than once. 自觉接受县人大 and 我代表县人民政府 name the bare 县 after a verb.
    """
    if _PUBLISHER_FIELD.search(text, max(0, m.start() - 12), m.start()):
        return True
    if not jurisdiction:
        return False
    before = text[m.start() - 1] if m.start() else "\n"
    if not re.match(f"[{_CJK}]", before) or before in _NOT_NAME or text[: m.start()].endswith(lx.BODY_OBJECT_VERBS):
        return True  # 在东澜区委…, 围绕澄江县委…, a line's first word: the name stands whole
    return text.count(first) >= 2


def _drop_glued(chains: Counter[tuple[str, str, str]]) -> Counter[tuple[str, str, str]]:
    """问岷州市 (欢迎访问岷州市…) where 岷州市 is named too: the shorter name is the place."""
    names = {x for key in chains for x in key[1:] if x}
    out: Counter[tuple[str, str, str]] = Counter()
    for (p, c, d), n in chains.items():
        c = c[1:] if len(c) > 3 and c[1:] in names else c
        d = d[1:] if len(d) > 3 and d[1:] in names else d
        out[(p, c, d)] += n
    return out


def _province_name(p: str) -> str:
    """广东 → 广东省, 广西 → 广西壮族自治区, 上海 → 上海市 (a full name stays as written)."""
    if p.endswith(("省", "自治区")) or (p.endswith("市") and p[:-1] in lx.MUNICIPALITIES):
        return p
    if p in lx.MUNICIPALITIES:
        return p + "市"
    return lx.AUTONOMOUS_REGIONS.get(p, p + "省")


def _content_province(text: str, boilerplate: tuple[tuple[int, int], ...]) -> str:
    content = list(text)
    for start, end in boilerplate:
        content[start:end] = " " * (end - start)
    content_text = "".join(content)
    counts: Counter[str] = Counter()
    for p in lx.PROVINCE_NAMES:
        # a municipality counts only as a jurisdiction (上海市委), not as a travel destination
        pattern = p + r"市(?:委|人民政府|政府)" if p in lx.MUNICIPALITIES else p
        counts[p] = len(re.findall(pattern, content_text))
    best = next((p for p, n in counts.most_common(1) if n), "")
    return _province_name(best) if best else ""


def report_year(text: str, title: str | None, outline: Outline, doc_type: str) -> int | None:
    """The year reviewed; for plan-only texts, the plan year."""
    review_heads = [
        text[s.lead.title_start : s.lead.title_end] for s in outline.sections if s.lead and s.kind == "review"
    ]
    reviewed = re.compile(rf"(20\d{{2}})年(?:度)?(?:[^{lx.char_class(lx.COMMAS)}{lx.FULL_STOP}]*?)(?:总结|回顾|亮点)")
    for source in ([title] if title else []) + review_heads:
        m = reviewed.search(source)
        if m:
            return int(m.group(1))
    if doc_type == "news":  # the year it reports on, not the next year's plan it also announces
        return _news_year(text, title)
    looked_back = _looked_back_year(text, title)
    if looked_back is not None:
        return looked_back
    years_in_title = re.findall(r"(20\d{2})年", title or "")
    if years_in_title:
        return int(years_in_title[0])
    years = Counter(int(y) for y in re.findall(r"(20\d{2})年", text[:3000]))
    if not years:
        return None
    if doc_type == "plan":
        return max(years)
    return years.most_common(1)[0][0]


_YEAR = re.compile(r"(20\d{2})年")
_LOOKS_BACK = re.compile(_alt(lx.PAST_YEAR_WORDS))
_EARLY_MONTHS = 4  # a 人代会 meets in the first months of the year it plans


def _looked_back_year(text: str, title: str | None) -> int | None:
    """The year a report delivered early in year Y reviews when it says 过去的一年: Y - 1. A 政府工作报告
    to a 人代会 (——2027年1月10日在…) reviews the year just ended and plans the year it is given in, so
    its date and a title that names that year (2027年政府工作报告) are the plan's year, not the review's."""
    head = text[:3000]
    if not _LOOKS_BACK.search(head):
        return None
    stamp = published(text)
    day = re.match(r"(20\d{2})-(\d{2})", stamp or "")
    if not day or int(day.group(2)) > _EARLY_MONTHS:
        return None
    given = int(day.group(1))
    titled = [int(y) for y in _YEAR.findall(title or "")]
    return given - 1 if all(y == given for y in titled) else None
_YEAR_REVIEW_CUE = re.compile(_alt(lx.YEAR_REVIEW_CUES))
_YEAR_PLAN_CUE = re.compile(
    _alt(lx.TITLE_PLAN_WORDS + lx.TARGET_SENTENCE_CUES + lx.TARGET_CLAUSE_CUES + ("将", "明年", "下一步"))
)
_YEAR_WINDOW = 24
_THIS_YEAR = re.compile(_alt(lx.SPAN_WORDS))
_PUBLISHED_YEAR = re.compile(r"(20\d{2})")


def _news_year(text: str, title: str | None) -> int | None:
    """The year a news item reviews.

    A year written as reviewed (2026年以来, 2026年全年) decides; else a text that says 今年 (今年以来,
    今年1-11月) reviews the year it was published in; else the title's first year, then the text's
    latest year not announced as a plan's year; else its first plan year. No item reviews a year
    after the one it was published in (谋划2027年发展 in December 2026 reviews 2026).
    """
    head = (title or "") + "\n" + text[:3000]
    review, plan = year_cues(head)
    if review:
        return max(review, key=lambda y: (review[y], -y))
    stamp = published(text)
    stamped = _PUBLISHED_YEAR.match(stamp) if stamp else None
    latest = int(stamped.group(1)) if stamped else None
    if latest is not None and _THIS_YEAR.search(head):
        return latest
    in_title = [int(y) for y in _YEAR.findall(title or "") if latest is None or int(y) <= latest]
    if in_title:
        return in_title[0]
    unplanned = [int(y) for y in _YEAR.findall(text[:3000]) if int(y) not in plan]
    unplanned = [y for y in unplanned if latest is None or y <= latest]
    if unplanned:
        return max(unplanned)
    if plan:
        return min(min(plan), latest) if latest is not None else min(plan)
    return latest


def year_cues(text: str) -> tuple[Counter[int], Counter[int]]:
    """How often each year is written as the year under review and as a plan's year.

    The words just after a year say which (up to the next year or sentence end): 2025年度工作总结,
    2025年以来, 交出2025年“成绩单” review it; 2026年工作部署, 2026年将新建…, 2026年力争… plan it.
    The first cue after the year decides; a year with neither cue does not count.
    """
    review: Counter[int] = Counter()
    plan: Counter[int] = Counter()
    years = list(_YEAR.finditer(text))
    for i, m in enumerate(years):
        end = min(m.end() + _YEAR_WINDOW, years[i + 1].start() if i + 1 < len(years) else len(text))
        stop = re.search(f"[{lx.char_class(lx.SENTENCE_ENDS + lx.LINE_BREAKS)}]", text[m.end() : end])
        window = text[m.end() : m.end() + stop.start()] if stop else text[m.end() : end]
        r, p = _YEAR_REVIEW_CUE.search(window), _YEAR_PLAN_CUE.search(window)
        if r and (not p or r.start() < p.start()):
            review[int(m.group(1))] += 1
        elif p:
            plan[int(m.group(1))] += 1
    return review, plan


_TITLE_REVIEW = re.compile(_alt(lx.TITLE_REVIEW_WORDS))


def doc_type(text: str, title: str | None, kinds: dict[str, bool]) -> str:
    """news for media pages (a dateline, author fields); otherwise from the sections found and the title."""
    head = text[:800]
    if _NEWS_DATELINE.search(head) or _POST_STAMP_LINE.search(head) or _NEWS_FIELD.search(head) or _NEWS_BYLINE.search(head) or re.search(r"^\s*推荐阅读\s*$", text, re.M):
        return "news"
    has_review, has_plans = kinds.get("review", False), kinds.get("plans", False)
    if title and re.search(r"总结", title) and re.search(r"计划|思路|打算|要点", title):
        return "summary_and_plan"
    if has_review and has_plans:
        return "summary_and_plan"
    if has_plans and title and _TITLE_REVIEW.search(title):
        return "summary_and_plan"  # a summary's plans: its review is there even where no part heads it
    if has_review:
        return "work_summary"
    if has_plans:
        return "plan"
    return "other"
