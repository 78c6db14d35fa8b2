"""Find and parse the figures of report text, skipping dates, codes and quoted names. Text → Quantity list."""

from __future__ import annotations

import functools
import math
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .lexicon import (
    AMOUNT_CONTINUATIONS,
    BARE_FIGURE_BEFORE,
    CLAUSE_BREAKS,
    COLONS,
    COMMAS,
    COMPARISON_WORDS,
    DISTRIBUTIVE_WORD,
    DURATION_MEASURES,
    FIGURE_LIST_JOINERS,
    HEDGES_AFTER,
    HEDGES_BEFORE,
    HEDGES_OF_MAGNITUDE,
    LABEL_NOUNS,
    MAGNITUDE_NUMERALS,
    ONE_NOT_AFTER,
    PAREN_CLOSE,
    PAREN_OPEN,
    RATIO_HEAD_PATTERN,
    SCORE_MEASURES,
    SENTENCE_BREAKS,
    SPEECH_CLOSE,
    SPEECH_OPEN,
    TENTHS_NOT_BEFORE,
    TENTHS_UNIT,
    THRESHOLD_AFTER_WORDS,
    THRESHOLD_ALL_WORDS,
    THRESHOLD_BEFORE_BARE,
    THRESHOLD_BEFORE_WORDS,
    VAGUE_ONE_CLASSIFIERS,
    is_cjk,
    to_halfwidth,
)

# --- Chinese numerals ----------------------------------------------------------------------------

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN_INT_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL) + "".join(_CN_BIG)
_CN_FRAC_CHARS = "零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖"
# Scale words a number can carry in front of its unit: 5万元, 3.5亿, 1.2万亿. Longest first.
_SCALES = {"万亿": 1e12, "千万": 1e7, "百万": 1e6, "十万": 1e5, "万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}


def _cn_int(s: str) -> int | None:
    """Value of a Chinese integer numeral (两千三百, 一万零五百, 十二, 二〇二三), None if malformed."""
    if not s:
        return None
    if all(c in _CN_DIGITS for c in s):
        # No unit characters: a single digit, or digits read positionally as in years (二〇二三).
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    total = wan = section = 0  # completed 亿 groups, the 万 group, the part below 万
    num: int | None = None  # a digit waiting for its unit
    last_small = 10**5  # small units must fall within a section (千 > 百 > 十)
    last_unit = 1  # for the spoken shorthand 一万五 = 15000, 三千五 = 3500
    zero = False  # a 零 cancels that shorthand: 一百零五 = 105
    for c in s:
        if c in "零〇":
            if num is not None:
                return None
            zero = True
        elif c in _CN_DIGITS:
            if num is not None:  # two digits in a row (一二) only make sense positionally
                return None
            num = _CN_DIGITS[c]
        elif c in _CN_SMALL:
            unit = _CN_SMALL[c]
            if unit >= last_small:
                return None
            section += (1 if num is None else num) * unit  # bare 十二 means 一十二
            num, last_small, last_unit, zero = None, unit, unit, False
        else:
            group = section + (num or 0)
            if c == "万":
                if group == 0 or wan:
                    return None
                wan = group * 10**4
            else:
                group += wan
                if group == 0:
                    return None
                total, wan = (total + group) * 10**8, 0
            section, num, last_small, last_unit, zero = 0, None, 10**5, _CN_BIG[c], False
    if num is not None and not zero and last_unit >= 10:
        num *= last_unit // 10
    return total + wan + section + (num or 0)


_ARABIC_FULL = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


def _arabic(s: str) -> float | None:
    """Value of an ASCII decimal with optional thousands commas, None if it is not one."""
    m = _ARABIC_FULL.fullmatch(s)
    return float(s.replace(",", "")) if m else None


def parse_number(s: str) -> float | None:
    """Value of a whole string that is one number, scale words applied; None for anything else.

    "134.2" → 134.2, "１,２３４" → 1234, "两千三百万" → 2.3e7, "一百三十四点二亿" → 1.342e10,
    "3.5亿" → 3.5e8, "百分之十二" → 12 (the percent number). "一般", "一批", "万达" → None.
    """
    return _parse_folded(to_halfwidth(s).strip())


def _parse_folded(s: str) -> float | None:
    """parse_number for text that is already half-width and stripped (the scanner's hot path)."""
    if _ARABIC_FULL.fullmatch(s):  # most figures: a plain decimal has no 百分之 and no scale word to try
        return float(s.replace(",", ""))
    if s.startswith("百分之"):
        s = s[3:]
    for word, factor in _SCALES.items():
        head = s[: -len(word)]
        # A trailing scale word multiplies an Arabic or decimal number (5万, 一百三十四点二亿); an
        # integer Chinese numeral keeps its own 万/亿, which _cn_int reads (两千三百万).
        if s.endswith(word) and head and (head[-1] in "0123456789" or "点" in head):
            value = _plain_number(head)
            return None if value is None else _tidy(value * factor)
    return _plain_number(s)


def _plain_number(s: str) -> float | None:
    """Value of an Arabic decimal or a Chinese numeral (with 点 decimals), no scale suffix."""
    value = _arabic(s)
    if value is not None:
        return value
    head, dot, frac = s.partition("点")
    if not head or any(c not in _CN_INT_CHARS for c in head):
        return None
    if dot and (not frac or any(c not in _CN_FRAC_CHARS for c in frac)):
        return None
    whole = _cn_int(head)
    if whole is None:
        return None
    return whole + (float("0." + "".join(str(_CN_DIGITS[c]) for c in frac)) if frac else 0.0)


# --- Units ---------------------------------------------------------------------------------------

# Base units by family. A unit as written is an optional scale word followed by one of these.
_FAMILY_UNITS: dict[str, tuple[str, ...]] = {
    "money": ("元", "美元", "港元", "港币", "欧元", "日元", "英镑", "人民币"),
    "area": ("平方米", "平方公里", "平方千米", "平米", "平方", "亩", "公顷", "㎡", "m²", "m2", "km²", "km2"),
    "length": ("米", "公里", "千米", "厘米", "毫米", "延米", "海里", "km", "m", "cm", "mm", "㎞"),
    "mass": ("吨", "千克", "公斤", "克", "斤", "毫克", "kg", "㎏"),
    "energy": ("千瓦", "千瓦时", "瓦", "兆瓦", "兆瓦时", "吉瓦", "度", "千伏", "千伏安", "伏", "吨标准煤",
               "吨标煤", "kW", "kWh", "MW", "MWh", "GW", "kV"),
    "people": ("人", "名", "人次", "位"),
    "households": ("户", "户次"),
    # a 次 compound (件次, 台次, 宗次) counts visits or handlings, not items: it stays whole
    "count": ("个", "个次", "家", "家次", "处", "项", "件", "件次", "宗", "宗次", "起", "条", "座", "栋", "幢", "套", "间", "台",
              "辆", "辆次", "艘", "架", "架次", "部", "张", "份", "份次", "篇", "封", "支", "棵", "株", "只", "头",
              "场", "场次", "次", "批", "批次", "期", "届", "轮", "所", "类", "种", "款", "门", "本", "册", "片",
              "块", "段", "根", "盏", "杆", "口", "泊", "组", "队", "班", "趟", "堂", "节", "例", "层", "笔",
              "车次", "台次", "具", "床", "羽", "标准箱"),
    "percent": ("%",),
    "permille": ("‰",),
    "points": ("个百分点", "百分点"),
    "ratio": ("倍", "番", "成"),  # 两成, 七成以上: tenths
    "time": ("年", "个月", "月", "周", "天", "日", "小时", "个小时", "分钟", "秒", "周年", "工作日", "个工作日"),
    "age": ("岁", "周岁"),
    "concentration": ("微克/立方米", "毫克/立方米", "毫克/升", "μg/m³"),
    "other": ("分", "立方米", "立方", "升", "毫升", "m³", "m3", "课时", "学时"),
}
_UNIT_FAMILY = {u: fam for fam, units in _FAMILY_UNITS.items() for u in units}
_COUNT_UNITS = frozenset(_FAMILY_UNITS["count"])
# Units whose first character is also a scale word but which are not "scale + unit".
_ATOMIC_SCALED = frozenset({"千米", "千克", "千瓦", "千瓦时", "千伏", "千伏安", "百分点"})


@functools.lru_cache(maxsize=4096)
def _split_unit(unit: str) -> tuple[float, str]:
    """(multiplier, base unit) of a unit as written: 亿元 → (1e8, 元), 万千瓦 → (1e4, 千瓦), ％ → (1, %).

    Cached: a document has a few dozen distinct units and every figure asks several times."""
    unit = to_halfwidth(unit)
    if unit not in _ATOMIC_SCALED:
        for word, factor in _SCALES.items():
            if unit.startswith(word):
                return factor, unit[len(word):]
    return 1.0, unit


def _tidy(x: float) -> float:
    """Round away binary noise so 1.15 × 1e4 equals 11500 (15 significant digits are kept)."""
    return float(f"{x:.15g}")


@dataclass(frozen=True, slots=True)  # slots: a document holds thousands, at 128 bytes each rather than 176
class Quantity:
    """One figure found in text: the number as written, its unit, hedge and exact spans.

    ``value`` is the number as written with no scale applied (134.2 for 134.2亿元); ``unit`` keeps
    the scale word (亿元). ``text[start:end]`` is the whole figure including hedge and unit, and
    ``text[number_start:number_end] == value_text``. ``high`` is the upper end of a range.
    """

    value: float
    value_text: str
    unit: str
    qualifier: str | None
    start: int
    end: int
    number_start: int
    number_end: int
    direction: str | None
    high: float | None = None
    chinese: bool = False

    @property
    def scale(self) -> float:
        """Multiplier carried by the unit's scale word: 亿元 → 1e8, 万户 → 1e4, 个 → 1."""
        return _split_unit(self.unit)[0]

    @property
    def base_unit(self) -> str:
        """The unit without its scale word: 亿元 → 元, 万平方米 → 平方米, 亿 → ""."""
        return _split_unit(self.unit)[1]

    @property
    def family(self) -> str:
        """What the unit measures (money, area, people, percent, time …); "none" without a unit."""
        base = self.base_unit
        return "none" if not base else _UNIT_FAMILY.get(base, "other")

    @property
    def normalized(self) -> tuple[float, str]:
        """(value × scale, base unit), so 1.15万户 == 11500户 and 0.32亿元 == 3200万元."""
        factor, base = _split_unit(self.unit)
        return _tidy(self.value * factor), base


def same_quantity(a: Quantity, b: Quantity, rel_tol: float = 1e-9) -> bool:
    """True when two figures state the same amount in the same base unit (个百分点 is not %)."""
    (va, ua), (vb, ub) = a.normalized, b.normalized
    if ua != ub or not math.isclose(va, vb, rel_tol=rel_tol):
        return False
    if (a.high is None) != (b.high is None):
        return False
    return a.high is None or math.isclose(a.high * a.scale, b.high * b.scale, rel_tol=rel_tol)


def parse_quantity(s: str) -> Quantity | None:
    """The one figure that a whole string is ("超5亿元", "2亿多元", "3-5万元", "翻一番"), else None.

    Chinese numerals are accepted here even without a unit, since the caller vouches that the
    string is a figure; spans index into ``s``.
    """
    stripped = s.strip()
    lead = len(s) - len(s.lstrip())
    found = _scan(s, lead, lead + len(stripped), chinese=True, strict=False)
    if len(found) == 1 and found[0].start == lead and found[0].end == lead + len(stripped):
        return found[0]
    return None


# --- Scanning -----------------------------------------------------------------------------------

_LONG_TEXT = 2_000  # a text this long is a document: its scans and brackets are kept (see find_quantities)

# Everything below matches the half-width copy of the text (same length, same offsets), so one
# pattern covers 1,234 and １，２３４ alike.


def _alt(words: Iterable[str]) -> str:
    """A regex alternation that tries longer words first (个百分点 before 个, 人次 before 人)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_ASCII_UNITS = [u for units in _FAMILY_UNITS.values() for u in units if u[0].isascii() and u[0].isalpha()]
_UNITS = _alt(u for units in _FAMILY_UNITS.values() for u in units)
_SCALE = _alt(_SCALES)
# Financial numerals (伍, 陆 …) are left to parse_number: in running text they are mostly parts of
# words (队伍, 大陆), never how these reports write counts.
_CN_ALL = "零〇一二两三四五六七八九十百千万亿"
_CN_END = _CN_ALL.replace("万", "").replace("亿", "")  # a trailing 万/亿 is read as the unit's scale
_CN_FRAC = "零〇一二三四五六七八九"
_SEP = "[-~—–至到]"

# An Arabic number may be followed by an ASCII unit (5km) but not by other letters (5G, 4S店, 7.jpg).
_NUM2 = (
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?"
    rf"(?:(?=(?:{_alt(_ASCII_UNITS)})(?![A-Za-z]))|(?![A-Za-z_@]|\.[A-Za-z0-9]))"
)
# A minus sign is part of the number when nothing number-like stands before it: 增长-3.4%,
# 同比分别-6.2%、-19.3%, a table cell "-2.4%". After a digit the dash is a range (5000-2万元).
_NUM = r"(?<![A-Za-z0-9_.@#/\\+\-−])(?:[-−](?=[0-9]))?" + _NUM2
_MAGNITUDES = "".join(MAGNITUDE_NUMERALS)
# 第五 is no count, and a numeral is never picked up from the middle of another (数十项 is read with its hedge 数).
_CN_NUM = (rf"(?<![{_CN_ALL}点几第])(?:(?<=数)(?=[{_MAGNITUDES}])|(?<!数))[{_CN_ALL}]*[{_CN_END}](?:点[{_CN_FRAC}]+)?"
           rf"|(?<=[{''.join(HEDGES_OF_MAGNITUDE)}])万")  # 近万人: a bare 万 after a hedge is the number
# 上百户, 数十家 (HEDGES_OF_MAGNITUDE): 上 and 数 end ordinary words too (线上, 人数, 无数, 多数)
_MAGNITUDE_PRE = (f"(?<![线网马晚早以之向路楼身手地会台堂墙])上(?=[{_MAGNITUDES}])"
                  f"|(?<![人户次件个总参指分倍系函岁无多少半位基天条票篇页字])数(?=[{_MAGNITUDES}])")
# Labels, not counts: 五个方面, 分三个阶段, 十件民生实事 (a numeral and counter before these nouns).
_LABEL_NOUN = re.compile(rf"(?:{'|'.join(LABEL_NOUNS)})")
_CN_PCT = rf"[{_CN_ALL}]+(?:点[{_CN_FRAC}]+)?"

_PRE_WORDS = HEDGES_BEFORE
# The same characters end ordinary words: 签约467宗 is a signing, 附近3公里 a vicinity, 赶超 a race.
_PRE_GUARD = {"近": "附最临靠", "超": "赶", "约": "签预制节合契公条履违特邀"}
_PRE = "|".join(f"(?<![{_PRE_GUARD[w]}]){w}" if w in _PRE_GUARD else w for w in _PRE_WORDS)
_POST = "|".join(w + "(?![游级层班线])" if w == "上下" else w for w in HEDGES_AFTER)  # 上下游, 上下级 are words


def _figure(chinese: bool) -> str:
    """The figure pattern: hedge, number (or range), hedge, scale, hedge, unit, hedge."""
    num = f"{_NUM}|{_CN_NUM}" if chinese else _NUM
    num2 = f"{_NUM2}|{_CN_NUM}" if chinese else _NUM2
    pct = f"{_NUM}|{_CN_PCT}" if chinese else _NUM
    fan = r"|(?P<fanx>翻了?(?P<fan>[一两二三四1-4]?)(?P<fanu>番))" if chinese else ""
    pre = f"{_PRE}|{_MAGNITUDE_PRE}" if chinese else _PRE
    return (
        rf"(?P<fig>(?:(?P<pre>{pre}) ?)?"
        rf"(?:(?P<pctw>百分之|千分之)(?P<pct>{pct}){fan}"
        rf"|(?P<num>{num})(?:(?P<scale1>{_SCALE}|%)?(?P<unit1>{_UNITS})? ?{_SEP} ?(?P<num2>{num2}))?"
        rf"(?P<h1>余|多)?(?P<scale>{_SCALE})?(?P<h2>余|多)?(?:个(?P<h3>多|余)(?P<unit3>月|小时)|(?P<unit>{_UNITS}))?)"
        rf"(?P<post>{_POST})?)"
    )


_MONTH = "(?:1[0-2]|0?[1-9])"
# A quotation closes on the same line within 200 characters; an unclosed mark hides nothing.
# A quotation with clause punctuation inside is speech or a plan quoted (“…力争增长7%以上，…”): its
# figures are read like any others.
_QUOTED = "|".join(rf"{o}[^{o}{c}\n{re.escape(SENTENCE_BREAKS + COMMAS)}]{{0,200}}{c}" for o, c in ("“”", "《》", "「」", "『』", "‘’", '""'))
_DATETIME = r"[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}(?:[ T]?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?"
# Never figures, tried before the figure pattern at each position. Order matters where two start
# at the same character: a full date before a year, a range of months before a single month.
_SKIPS = [
    _QUOTED,  # policy codes and slogans: “1310”, “6个100%”, 《…30条》
    r"(?:https?://|www\.)[!-~]+",
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",  # e-mail
    r"ICP备[0-9-]+号?|公网安备 ?[0-9]+号?",
    _DATETIME,
    r"(?:19|20)[0-9]{2}[-/.](?:1[0-2]|0?[1-9])(?![0-9])",  # year and month: 2023-12
    r"0[0-9]{2,3}-[0-9]{7,8}(?![0-9])|\(0[0-9]{2,3}\)[0-9]{7,8}"  # phones: 0750-5558386
    r"|[0-9]{3,4}-[0-9]{3,4}-[0-9]{4}|1[3-9][0-9]{9}(?![0-9])",
    r"[0-9]+(?:[-/][0-9]+)*/[0-9A-Za-z]+(?:[-/][0-9A-Za-z]+)*",  # index numbers: 001008003004081/2023-253729
    r"[0-9]+(?:\.[0-9]+)?(?::[0-9]+(?:\.[0-9]+)?)+",  # clock times and ratios: 16:24:58, 1:1
    r"[0-9A-Za-z]+(?:[+×*][0-9A-Za-z]+)+",  # 1+6+3, 1+36+N, 7×24
    rf"(?!百分之|千分之)[0-9{_CN_ALL}]+分之[0-9.{_CN_ALL}点]+",  # fractions (三分之一) are not amounts
    r"[0-9]+(?:[、,和及至-][0-9]+)*号",  # 18、22号线, 19号地块, 1号楼, 21号
    rf"第 ?[0-9]+|第[{_CN_ALL}]+",  # ordinals and ranks
    rf"(?:19|20)[0-9]{{2}} ?{_SEP} ?(?:19|20)[0-9]{{2}}年?",
    r"(?:19|20)[0-9]{2} ?年度?|[0-9]{5,} ?年",  # years; 52022年 is no plausible duration either
    rf"{_MONTH}(?:月 ?{_SEP} ?| ?{_SEP} ?){_MONTH}月份?|{_MONTH}月份?",  # 1-10月, 9月, 10月底
    r"(?:3[01]|[12][0-9]|0?[1-9])日",
    r"[〇零一二三四五六七八九]{4}年度?|[一二三四五六七八九十]{1,3}[月日]份?",
    r"八项规定|四种形态|四周|两个维护|两个确立|四个意识|四个自信|四个全面|三会一课|五位一体|三个代表"
    r"|[一二三四五六七八九十]+届[一二三四五六七八九十]+中全会",
    r"(?<![0-9.])[0-9]{1,2}、(?![0-9])|\([0-9]{1,2}\)|(?m:^)[ \t]*[0-9]{1,2}\.(?![0-9])",  # list markers
]
# Tried after the figure pattern: ASCII identifiers that mix letters and digits (X809, 5G, ts686).
_CODE = r"[A-Za-z0-9]*(?:[A-Za-z][0-9]|[0-9][A-Za-z])[A-Za-z0-9]*(?:[-_./@:][A-Za-z0-9]+)*"


# Every character any alternative can start with. The lookahead lets the engine reject the
# other (mostly CJK) positions at once, which makes scanning several times faster.
_FIRST = "0-9A-Za-z._%+\\-−(\"“《「『‘ \t公第百翻" + "".join(sorted({w[0] for w in _PRE_WORDS})) + _CN_ALL


def _master(chinese: bool) -> re.Pattern[str]:
    first = _FIRST + "".join(HEDGES_OF_MAGNITUDE) if chinese else _FIRST  # 上百户, 数十家: Chinese scans only
    return re.compile(f"(?=[{first}])(?:(?P<skip>{'|'.join(_SKIPS)})|{_figure(chinese)}|(?P<code>{_CODE}))")


_MASTER = _master(False)
_MASTER_CN = _master(True)
_FILLER = "了?(?:达到|达|为|至|到)?"
_UP_WORDS = "增长|增加|提高|上升|提升|比增|增幅|增速"
_DOWN_WORDS = "下降|减少|降低|回落|下滑|下跌|缩减|降幅|减幅"
# One search for either: no word of one list ends a word of the other, so at most one of them ends a window.
_CHANGE = re.compile(f"(?:(?P<up>{_UP_WORDS})|(?P<down>{_DOWN_WORDS})){_FILLER}$")
_TIME_UNITS = frozenset(_FAMILY_UNITS["time"])
_ASCII_DIGITS = frozenset("0123456789")
# A bare number glued to these is a figure, not part of a name: 由2.03缩小到1.98, 3.6和5.2个百分点.
_BARE_BEFORE = re.compile("|".join(BARE_FIGURE_BEFORE) + f"|[{''.join(FIGURE_LIST_JOINERS)}][0-9]")
_CN_MARK = re.compile("[" + "".join(_CN_DIGITS) + "十百千万亿点翻番]")  # a number written (partly) in Chinese


def _one_after_its_noun(hw: str, start: int, end: int, core: str) -> bool:
    """一 + a count classifier after what it counts, closing its clause: 教学楼一栋， (``ONE_NOT_AFTER``)."""
    before, after = hw[max(0, start - 2) : start], hw[end : end + 1]
    # what it counts is a word of two characters or more: 管一处,带一面 is a slogan of verbs
    return (core in _COUNT_UNITS and core not in VAGUE_ONE_CLASSIFIERS and len(before) == 2 and all(map(is_cjk, before))
            and before[-1] not in ONE_NOT_AFTER
            and DISTRIBUTIVE_WORD not in hw[max(0, start - 3) : start]  # 每村一个, 每个村一名: one each, a standard
            and (not after or after in CLAUSE_BREAKS or after == "、"))


def _is_word_char(ch: str) -> bool:
    """A CJK ideograph or ASCII letter: a bare number glued to one is a name (12345热线, 322截污)."""
    return "\u4e00" <= ch <= "\u9fff" or ch.isascii() and ch.isalpha()


# The groups _build reads, by number: a match's groups() tuple is read by index, not by name (a
# name costs a lookup per read, and a figure reads some twenty). A group the pattern lacks (the
# 翻番 groups outside Chinese scans) reads the None appended after the pattern's own groups.
_GROUPS = ("fig", "pre", "pctw", "pct", "fanx", "fan", "fanu", "num", "scale1", "unit1", "num2", "h1", "scale", "h2",
           "h3", "unit3", "unit", "post")


def _group_numbers(pattern: re.Pattern[str]) -> tuple[int, ...]:
    return tuple(pattern.groupindex.get(name, pattern.groups + 1) for name in _GROUPS)


_MASTERS = {False: (_MASTER, _group_numbers(_MASTER)), True: (_MASTER_CN, _group_numbers(_MASTER_CN))}


def _build(m: re.Match[str], seg: str, hw: str, base: int, strict: bool, numbers: tuple[int, ...]) -> Quantity | None:
    """Turn one figure match into a Quantity, or None when the match is not a plausible figure.

    ``numbers`` are the pattern's group numbers of ``_GROUPS`` (``_group_numbers``)."""
    FIG, PRE, PCTW, PCT, FANX, FAN, FANU, NUM, SCALE1, UNIT1, NUM2, H1, SCALE, H2, H3, UNIT3, UNIT, POST = numbers
    g = (None, *m.groups(), None)  # g[n] is group n (None when it did not take part)
    fig_start, end = m.span(FIG)
    start = fig_start
    high = None
    pre, h1, h2, h3 = g[PRE], g[H1], g[H2], g[H3]
    if g[PCT] is not None:
        # value_text keeps 百分之 (the gold convention: 百分之十五 writes the number, unit %)
        (ns, ne), unit = (m.start(PCTW), m.end(PCT)), "%" if g[PCTW] == "百分之" else "‰"
        value = _parse_folded(hw[m.start(PCT) : ne])
    elif g[FANX] is not None:
        # 翻一番 is written as value 1, unit 番 (the number of doublings, as the text counts them)
        unit = "番"
        fan = g[FAN]
        if fan:
            ns, ne = m.span(FAN)
            value = float(int(fan) if fan.isdigit() else _CN_DIGITS[fan])
        else:  # 翻番: one doubling, no numeral written
            ns, ne = m.span(FANU)
            value = 1.0
    else:
        ns, ne = m.span(NUM)
        text = hw[ns:ne]
        is_cn = text.lstrip("-−")[:1] not in _ASCII_DIGITS
        scale, core = g[SCALE] or "", g[UNIT] or ""
        unit = seg[m.start(SCALE):m.end(SCALE)] if scale else ""
        unit += seg[m.start(UNIT):m.end(UNIT)] if core else ""
        if g[UNIT3]:  # 3个多月: the hedge sits inside the unit 个月
            core = "个" + g[UNIT3]
            unit += core
        nxt = hw[end:end + 1]
        hedged = bool(h1 or h2 or h3)
        vague = pre in HEDGES_OF_MAGNITUDE and text in MAGNITUDE_NUMERALS  # 近千名, 上百户, 数十家, 近万人
        if vague and (core in _TIME_UNITS or not core):
            return None  # 近百年, 数十年如一日: an age, not a count
        if pre in HEDGES_OF_MAGNITUDE and not vague and pre != "近":
            return None  # 上/数 hedge only a bare magnitude: 线上3场 is online, 人数12 a count's name
        if hw[ns - 1 : ns] == "数" and pre != "数" and is_cn:
            return None  # 十项 of 数十项 with no hedge read
        if strict and is_cn and not vague and (
            text == "一" and not scale and not _one_after_its_noun(hw, ns, end, core)  # 一批, 一星期: an article
            or text[0] in "万亿零〇"  # 万亩, 零部件: words, not counts
            or text[0] in "百千" and not hedged  # 百姓, 千年古城; but 百余户, 千余人 are counts
            or _LABEL_NOUN.match(hw, end)  # 五个方面, 十件民生实事: labels
            or core == "分"  # 十分重要: an adverb
            or core in ("期", "类", "届") and (text != "两" or _is_word_char(nxt))  # 二期工程, 产业园二期, 一类
            # 监控点, 二十届: ordinals and labels; 两 is never an ordinal, so 举办托管班两期 and 连任两届 are counts
            or len(text) > 1 and all(c in _CN_DIGITS for c in text)  # 三四个 is "three or four"
            or not core and _is_word_char(nxt)  # 十万火急
        ):
            return None
        if core == TENTHS_UNIT and nxt and nxt in TENTHS_NOT_BEFORE:
            return None  # 成员, 成立, 成本: a word, not tenths
        if not unit and (_is_word_char(nxt) and not _BARE_BEFORE.match(hw, end) or is_cn and strict):
            return None  # 12345热线, 6.0改革, 322截污纳管: a number glued to a name is part of it
        if not unit and len(text.replace(",", "")) >= 9 and "." not in text:
            return None  # identifiers, not amounts
        sign = -1.0 if text[:1] in "-−" else 1.0
        value = 10_000.0 if vague and text == "万" else _parse_folded(text.lstrip("-−"))
        value = None if value is None else sign * value
        if g[NUM2] is not None:
            high = _parse_folded(g[NUM2])
            scale1 = g[SCALE1]
            if g[UNIT1] and g[UNIT1] != core:
                return None  # 3个-5家: not one range
            if high is not None and scale1 in _SCALES and scale1 != scale:
                # 5000万-1亿元: state both ends in the first end's unit.
                high = high * _SCALES.get(scale, 1.0) / _SCALES[scale1]
                unit = scale1 + core
            elif high is not None and value is not None and scale and not scale1 and value > high:
                # 5000-2万元: the scale belongs to the upper end only (5000 to 20000 元)
                high = high * _SCALES[scale]
                unit = core
        if pre == "近" and core in _TIME_UNITS:
            start = m.end(PRE)  # 近3年 is "the last three years", not "nearly three years"
    if value is None:
        return None
    qualifier = (pre if start == fig_start else None) or h1 or h2 or h3 or g[POST] or None
    lo = max(0, start - 12)  # the 12 characters before the figure: a cue ends there (增长了, 下降至)
    cue = _CHANGE.search(hw, lo, start)
    direction = None if cue is None else cue.lastgroup
    return Quantity(value, seg[ns:ne], unit, qualifier, base + start, base + end, base + ns, base + ne, direction, high,
                    _CN_MARK.search(hw, ns, ne) is not None)


def _shared_units(hw: str, found: list[Quantity], pos: int) -> list[Quantity]:
    """A unit written once after a list of figures is every figure's: 3.6个和5.2个百分点, 4.1和6.3亿元.

    A figure joined to the next by a joiner alone takes the next one's unit when its own (none, 个, a
    scale word) is the start of it; the list is read from its end, so the unit reaches every item.
    """
    for k in range(len(found) - 2, -1, -1):
        q, nxt = found[k], found[k + 1]
        if q.unit != nxt.unit and nxt.unit.startswith(q.unit) and hw[q.end - pos : nxt.start - pos] in FIGURE_LIST_JOINERS:
            found[k] = Quantity(q.value, q.value_text, nxt.unit, q.qualifier, q.start, q.end, q.number_start,
                                q.number_end, q.direction, q.high, q.chinese)
    return found


def _scan(text: str, pos: int, endpos: int | None, *, chinese: bool, strict: bool) -> list[Quantity]:
    """Figures in text[pos:endpos]; the slice bounds behave like the ends of the text."""
    endpos = len(text) if endpos is None else min(endpos, len(text))
    pos = max(0, pos)
    seg = text[pos:endpos]
    hw = to_halfwidth(seg)
    pattern, numbers = _MASTERS[chinese]
    fig = numbers[0]
    found = []
    for m in pattern.finditer(hw):
        if m.start(fig) >= 0:
            q = _build(m, seg, hw, pos, strict, numbers)
            if q is not None:
                found.append(q)
    return _shared_units(hw, found, pos) if len(found) > 1 else found


# Every character that can stand inside an Arabic figure, and what can stand before a digit inside
# one; ``may_span`` rules out a figure across a boundary from these alone, without a scan.
_INSIDE = frozenset(
    "0123456789,.%‰ -−~—–至到余多百分之千" + "".join(_SCALES) + "".join(_PRE_WORDS) + "".join(HEDGES_AFTER) + "个月小时"
    + "".join(u for units in _FAMILY_UNITS.values() for u in units)
)
_BEFORE_DIGIT = frozenset("0123456789,. -−~—–至到之m" + "".join(w[-1] for w in _PRE_WORDS))


def may_span(before: str, after: str) -> bool:
    """False when no figure can hold the characters ``before`` and ``after`` side by side.

    ``before`` and ``after`` are single characters; True only means a scan must decide.
    """
    before, after = to_halfwidth(before), to_halfwidth(after)
    if before not in _INSIDE or after not in _INSIDE:
        return False
    return after not in "0123456789" or before in _BEFORE_DIGIT


def find_quantities(
    text: str, pos: int = 0, endpos: int | None = None, *, chinese: bool = False
) -> list[Quantity]:
    """Every figure in ``text[pos:endpos]`` in order, non-overlapping, spans absolute in ``text``.

    Arabic and full-width digits always; Chinese numerals only with ``chinese=True`` and only
    where unambiguous (百分之X, or a numeral directly followed by a unit or counter). Dates,
    periods, phone and index numbers, ordinals, road numbers, versions, identifiers and anything
    inside quotation marks are never returned. As with ``re``, characters before ``pos`` are not
    looked at, so a caller that knows where a glued list marker ends ("5" in "52022年") passes
    the index after it.

    A document is scanned once: for a long text the figures of each stretch are kept (the last
    few stretches of the last few texts), so the rules engine and the source index, which ask
    for the same stretches, share one pass of the figure pattern.
    """
    if len(text) < _LONG_TEXT:
        return _scan(text, pos, endpos, chinese=chinese, strict=True)
    kept = _kept(text)
    key = ("q", pos, endpos, chinese)
    if key not in kept:
        kept[key] = tuple(_scan(text, pos, endpos, chinese=chinese, strict=True))
    return list(kept[key])


@functools.lru_cache(maxsize=4)
def _kept(text: str) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """The scans of one long text, by stretch (the last few texts are kept; see find_quantities)."""
    return {}


def forget_scans() -> None:
    """Drop the kept scans (see find_quantities): for measuring a cold start."""
    _kept.cache_clear()
    _brackets.cache_clear()


# Every character a period (or a skipped quote or date) can start with: the lookahead rejects the
# other positions at once, as _FIRST does for figures.
_PERIOD_FIRST = "0-9〇零一二三四五六七八九上下前第今去明全本“《「『‘\""
_PERIOD = re.compile(
    rf"(?=[{_PERIOD_FIRST}])(?:(?P<skip>{_QUOTED}|{_DATETIME}|[0-9]{{4}}年{_MONTH}月[0-9]{{1,2}}[日号])"
    rf"|(?<![0-9])(?P<y1>(?:19|20)[0-9]{{2}}) ?年? ?{_SEP} ?(?P<y2>(?:19|20)[0-9]{{2}}) ?年度?"
    rf"|(?:(?<![0-9])(?P<y>(?:19|20)[0-9]{{2}}|[〇零一二三四五六七八九]{{4}}) ?年度?)?"
    rf"(?:(?<![0-9])(?P<m1>{_MONTH})月? ?{_SEP} ?(?P<m2>{_MONTH})月份?"
    rf"|(?<![0-9])(?P<m>{_MONTH})月份?(?![0-9]| ?[日号底初末]|[上中下]旬)"
    r"|(?P<part>上半年|下半年|前三季度|前两季度|前[23]季度|第?[一二三四1-4]季度))"
    rf"|(?<![0-9])(?P<yo>(?:19|20)[0-9]{{2}}|[〇零一二三四五六七八九]{{4}}) ?年度?"
    r"|(?P<rel>今年|去年|明年|全年|上年|本年度))"
)
_QUARTER = {"1": "一", "2": "二", "3": "三", "4": "四"}


def _year(y: str) -> str:
    return y if y.isdigit() else "".join(str(_CN_DIGITS[c]) for c in y)


def find_periods(text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int, str]]:
    """Periods named in ``text[pos:endpos]`` as (start, end, normalised) with absolute spans.

    "2023年1-10月" → "2023年1-10月", "1至10月" → "1-10月", "2023年度" → "2023年",
    "二〇二四年" → "2024年", "前3季度" → "前三季度"; 上半年, 今年, 全年 are kept as written.
    Full dates are points in time, not periods, and quoted names are skipped, as in
    ``find_quantities``; a figure's period is then the nearest preceding one. As there, the
    periods of a long text's stretches are kept, so each stretch is scanned once.
    """
    if len(text) < _LONG_TEXT:
        return _periods(text, pos, endpos)
    kept = _kept(text)
    key = ("p", pos, endpos)
    if key not in kept:
        kept[key] = tuple(_periods(text, pos, endpos))
    return list(kept[key])


def _periods(text: str, pos: int, endpos: int | None) -> list[tuple[int, int, str]]:
    endpos = len(text) if endpos is None else min(endpos, len(text))
    pos = max(0, pos)
    hw = to_halfwidth(text[pos:endpos])
    found = []
    for m in _PERIOD.finditer(hw):
        g = m.group
        if g("skip"):
            continue
        if g("y1"):
            norm = f"{g('y1')}-{g('y2')}年"
        elif g("yo"):
            norm = f"{_year(g('yo'))}年"
        elif g("rel"):
            norm = g("rel")
        else:
            if g("m1"):
                sub = f"{int(g('m1'))}-{int(g('m2'))}月"
            elif g("m"):
                sub = f"{int(g('m'))}月"
            else:
                part = g("part").lstrip("第")
                sub = "".join(_QUARTER.get(c, c) for c in part)
            norm = f"{_year(g('y'))}年{sub}" if g("y") else sub
        found.append((pos + m.start(), pos + m.end(), norm))
    return found


# --- What counts as a figure ----------------------------------------------------------------------

_FIGURE_FAMILIES = {
    "money", "area", "length", "mass", "energy", "people", "households", "count", "percent", "permille", "points",
    "ratio", "concentration",
}
# Units that are no figure by themselves (近3年, 600分以上) but are when the clause names what they
# measure: 优良天数186天, 服务时长1.2万小时, 开办时间压缩至0.5个工作日, 测评得分98.9分.
_MEASURED_UNITS = {
    "天": DURATION_MEASURES, "小时": DURATION_MEASURES, "个小时": DURATION_MEASURES, "工作日": DURATION_MEASURES,
    "个工作日": DURATION_MEASURES, "分钟": DURATION_MEASURES, "分": SCORE_MEASURES,
}
_AMOUNT_FAMILIES = {"money", "area", "length", "mass", "energy", "concentration", "none"}
_BREAKS = frozenset(CLAUSE_BREAKS)


def is_figure(text: str, q: Quantity, *, speech: bool = False) -> bool:
    """Quantified facts only: not durations, ages, thresholds, bare numbers or asides in ().

    A figure inside quoted speech counts only with ``speech``. The source index and the rules engine
    pass it: a news item's plans are often only in an official's quoted words (“明年，我们力争…增长7%以上”),
    and every held-out set's annotator counts them, a resident's quoted remark too. Without it, a
    name or a value read on its own ignores an open quotation mark.
    """
    if not q.unit:
        return _is_bare_ratio(text, q)
    scale, base = _split_unit(q.unit)
    family = "none" if not base else _UNIT_FAMILY.get(base, "other")  # q.family, read once
    measures = _MEASURED_UNITS.get(base)
    if measures is not None:
        if not _names_measure(text, q.start, measures):
            return False
    elif family not in _FIGURE_FAMILIES and not (family == "none" and scale > 1):
        return False  # a bare scale (年销售额预计达6亿) is still an amount; 人气值89788 is not
    if _is_threshold(text, q, family):
        return False
    return not _inside_parentheses(text, q.start) and (speech or not in_speech(text, q.start))


def in_speech(text: str, pos: int) -> bool:
    """Whether ``pos`` stands inside a quotation still open on its line (“今年力争增长7%以上，…”).

    Quoted speech previews a report's plans or restates its figures in a speaker's words; whether
    its figures count is the caller's choice (``is_figure``'s ``speech``).
    """
    lo = max(0, pos - _SPEECH_LIMIT)
    lo = max(lo, text.rfind("\n", lo, pos) + 1)  # the line's start, looked for within the limit only
    opened = text.rfind(SPEECH_OPEN, lo, pos)
    return opened >= 0 and text.rfind(SPEECH_CLOSE, opened, pos) < 0


_SPEECH_LIMIT = 200  # characters, as for a quotation the reader skips


def _is_bare_ratio(text: str, q: Quantity) -> bool:
    """A decimal without a unit after a ratio's head word in its clause (城乡居民收入比由上年的2.03缩小到1.98)
    or in the label its clause follows (城乡居民收入比：由上年的1.69缩小到1.64) is a figure."""
    if "." not in q.value_text:
        return False
    before = _LABELLED_CLAUSE_TAIL.search(text, max(0, q.start - 16), q.start)
    return before is not None and _RATIO_HEAD.search(before[0]) is not None


_LABELLED_CLAUSE_TAIL = re.compile(f"[^{re.escape(''.join(c for c in CLAUSE_BREAKS if c not in COLONS))}]*$")
_RATIO_HEAD = re.compile(RATIO_HEAD_PATTERN)
_THRESHOLD_WORDS = THRESHOLD_AFTER_WORDS + THRESHOLD_BEFORE_WORDS


def _is_threshold(text: str, q: Quantity, family: str) -> bool:
    """亿元以上项目18个, 超10亿元企业, 20万元至50万元的村, 全部达到10万元以上: bounds, not amounts (``family``: q.family)."""
    after = to_halfwidth(text[q.end : q.end + 3])
    if after.startswith(("范围", "以内", "以外")):
        return True
    qualifier = q.qualifier
    if qualifier in THRESHOLD_AFTER_WORDS and after[:1] and (is_cjk(after[0]) or after[0].isdigit()):
        return True  # 10人以上重点出租房, 50万元以上的村, 注册资金1000万以上29家
    if (qualifier in THRESHOLD_BEFORE_WORDS or not qualifier and text[max(0, q.start - 1) : q.start] in THRESHOLD_BEFORE_BARE) \
            and family in _AMOUNT_FAMILIES and after and is_cjk(after[0]) and not after.startswith(AMOUNT_CONTINUATIONS):
        return True  # 产值超5亿元企业3家, 产值过10亿元企业14家 (the amount modifies the word after it)
    if q.high is not None and after.startswith("的") and family in _AMOUNT_FAMILIES:
        return True  # 集体经济收入20万元至50万元的村15个 (a band that names a class of villages)
    if qualifier in _THRESHOLD_WORDS:
        before = text[max(0, q.start - 4) : q.start]
        return any(before.endswith((w, w + "达到", w + "达")) for w in THRESHOLD_ALL_WORDS)  # 全部超过10万元
    return False


def _names_measure(text: str, pos: int, measures: tuple[str, ...]) -> bool:
    """Whether the clause before ``pos`` names a duration or score measure, or is a change of one
    named in the previous clause (优良天数186天,较去年同期增加12天)."""
    lo = max(0, pos - 40)
    window = text[lo:pos]
    cut = max((i for i, ch in enumerate(window) if ch in _BREAKS), default=-1)
    clause = window[cut + 1 :]
    if any(m in clause for m in measures):
        return True
    if cut >= 0 and clause.startswith(COMPARISON_WORDS):
        prev = window[:cut]
        prev_cut = max((i for i, ch in enumerate(prev) if ch in _BREAKS), default=-1)
        return any(m in prev[prev_cut + 1 :] for m in measures)
    return False


_ASIDE_LIMIT = 300  # an aside in brackets longer than this is no aside
_BRACKET = re.compile("[" + re.escape(PAREN_OPEN + PAREN_CLOSE + "\n") + "]")
_PAREN = re.compile("[" + re.escape(PAREN_OPEN + PAREN_CLOSE) + "]")


@functools.lru_cache(maxsize=8)
def _brackets(text: str) -> tuple[list[int], str]:
    """Where the brackets and line breaks of a long text stand, and which of the three each is.

    Built once per text (a document is asked about each of its figures); the cache holds the
    last few texts, compared by identity first, so a lookup costs no scan of the text."""
    found = list(_BRACKET.finditer(text))
    return [m.start() for m in found], "".join(
        "\n" if m.group() == "\n" else "(" if m.group() in PAREN_OPEN else ")" for m in found)


def _inside_parentheses(text: str, pos: int) -> bool:
    """Whether ``pos`` sits inside an unclosed (…) of its line, looking back at most ``_ASIDE_LIMIT``
    characters. In a long text only the brackets of that stretch are visited (found by bisection
    in ``_brackets``), so asking for every figure of a document stays linear in its length."""
    lo = max(0, pos - _ASIDE_LIMIT)
    if len(text) < _LONG_TEXT:
        lo = max(lo, text.rfind("\n", lo, pos) + 1)
        marks = "".join("(" if ch in PAREN_OPEN else ")" for ch in _PAREN.findall(text, lo, pos))  # the regex skips the rest in C
    else:
        at, kinds = _brackets(text)
        a, b = bisect_left(at, lo), bisect_left(at, pos)
        marks = kinds[a:b]
        marks = marks[marks.rfind("\n") + 1 :]
    depth = 0
    for ch in marks:
        if ch == "(":
            depth += 1
        elif depth:
            depth -= 1
    return depth > 0
