"""Which indicator a source figure belongs to: clause contexts and name similarity. Text + figures, name → scores.

A figure's *segment* is its clause (between commas, semicolons, colons and sentence ends); an
enumeration comma 、 ends a segment only right after a figure, so 组建小区业委会70个、楼事会250个
gives each count its own label while 法律、心理等服务约1.11万人次 stays one clause. A segment that
names nothing (the 76746套 of 出租屋17645栋、76746套) borrows its neighbours' words.

A name scores 0–1 by how many of its core characters and character pairs appear beside the
figure (between it and its neighbouring figures: weight 1), elsewhere in its clause (0.85) or
elsewhere in its sentence (0.7). Names and source are compared after expanding abbreviations
(规上 = 规模以上, 限上 = 限额以上, 固投 = 固定资产投资, GDP = 地区生产总值), and generic words
(完成, 新增, 累计, 同比增长, 数量 …) are dropped from names. Scores are comparable across figures,
so a caller can tell the figure a name fits best from one it merely shares a sentence with.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .numbers import Quantity, to_halfwidth

CLAUSE_BREAKS = ",;:!?\u3002\uff0c\uff1b\uff1a\uff01\uff1f\n\r"  # ASCII and full-width forms
SENTENCE_BREAKS = ";!?\u3002\uff1b\uff01\uff1f\n\r"
LIST_BREAK = "、"
# Characters of the name found only elsewhere in the sentence count for less than those in the
# figure's own clause: that is what lets a name pick one of two equal figures in one sentence.
SEGMENT_WEIGHT = 0.85  # in the clause, but past another figure of it
SENTENCE_WEIGHT = 0.7
CHAR_WEIGHT = 0.6  # the rest goes to character pairs, which reward the name's word order

# Short forms expanded to the long forms they abbreviate, in names and source alike, so a name
# matches whichever form the source uses (and a truncated long form still matches in part).
_EXPANSIONS = (
    ("规上", "规模以上"),
    ("限上", "限额以上"),
    ("固投", "固定资产投资"),
    ("社零", "社会消费品零售总额"),
    ("GDP", "地区生产总值"),
    ("高新企业", "高新技术企业"),
    ("财政收入", "一般公共预算收入"),  # the usual name of local fiscal revenue in summaries
)
# Words that say what happened to an indicator, not which indicator it is.
_GENERIC = (
    "比上年", "较上年", "同比", "比增", "同步", "增长", "下降", "减少", "降低", "增加", "完成", "实现", "新增",
    "累计", "共计", "合计", "总计", "全年", "今年", "年度", "达到", "其中", "共", "已", "的", "等", "了",
    # adverbs of the genre: 圆满完成, 顺利实现, 有序推进 say how, not what
    "圆满", "顺利", "成功", "全面", "有序", "持续", "扎实", "积极",
    # how much, not of what: 党员总数, 断电数量
    "数量", "总数", "个数", "总量", "次数", "件数", "数目",
)
_GENERIC_RE = re.compile("|".join(sorted(map(re.escape, _GENERIC), key=len, reverse=True)))
_KEEP = re.compile(r"[\u4e00-\u9fffA-Z]+")


def fold(s: str) -> str:
    """Half-width, upper-case, abbreviations expanded, only CJK characters and ASCII letters kept."""
    s = to_halfwidth(s).upper()
    for short, long in _EXPANSIONS:
        if short in s:
            s = s.replace(long, short).replace(short, long)  # never expand a long form twice
    return "".join(_KEEP.findall(s))


@dataclass(frozen=True)
class NameKey:
    """The comparable core of an indicator name: its characters and character pairs."""

    core: str
    chars: frozenset[str]
    bigrams: frozenset[str]

    @property
    def weak(self) -> bool:
        """True when the name says too little to pick a figure (one character or none)."""
        return len(self.chars) < 2


def name_key(name: str) -> NameKey:
    """The core of ``name``: folded, generic words dropped (kept when nothing else is left).

    "刑事治安警情同比下降" → 刑事治安警情, "规上工业产值比增" → 规模以上工业产值,
    "完成率" → 完成率 (率 alone would say nothing).
    """
    folded = fold(name)
    core = _GENERIC_RE.sub("", folded)
    if len(core) < 2:
        core = folded
    return NameKey(core, frozenset(core), _bigrams(core))


def _bigrams(s: str) -> frozenset[str]:
    return frozenset(s[i : i + 2] for i in range(len(s) - 1))


@dataclass(frozen=True)
class FigureContext:
    """Where one source figure sits: its clause (segment) and sentence, as spans and as text keys."""

    segment: tuple[int, int]
    sentence: tuple[int, int]
    weights: dict[str, float]  # character or pair → 1 beside the figure, 0.85 in its clause, 0.7 in its sentence
    seg_chars: frozenset[str]
    label: str  # the segment's words without its figures, folded (empty: the figure names nothing)
    label_core: frozenset[str]  # the label's characters less generic words: what the figure is about


def sentence_span(text: str, pos: int, breaks: str = SENTENCE_BREAKS) -> tuple[int, int]:
    """The sentence around ``pos``: between the nearest breaks (。!?; and line ends by default)."""
    start = max(text.rfind(ch, 0, pos) for ch in breaks) + 1
    ends = [e for ch in breaks if (e := text.find(ch, pos)) >= 0]
    return start, min(ends, default=len(text))


def build_contexts(text: str, figures: list[Quantity]) -> list[FigureContext]:
    """The context of every figure (``figures`` sorted by position, as the scanner returns them)."""
    ends = {q.end for q in figures}
    # A figure may end just before a space or a closing quote; the 、 still follows the figure.
    figure_ends = ends | {e + 1 for e in ends if e < len(text) and text[e] in " ”\""}
    starts = [q.start for q in figures]
    contexts = []
    for q in figures:
        seg = _segment(text, q.start, q.end, figure_ends)
        sent = sentence_span(text, q.start)
        label = _label(text, seg, figures, starts)
        if len(label) < 2:
            seg = _widen(text, seg, sent, figure_ends)
            label = _label(text, seg, figures, starts)
        seg_text = fold(_strip_figures(text, seg, figures, starts))
        sent_text = fold(_strip_figures(text, sent, figures, starts))
        near_text = fold(_near(text, q, seg, figures, starts))
        if len(_GENERIC_RE.sub("", near_text)) < 2:
            near_text = seg_text  # a figure with no words beside it (215处2455个) shares its clause's
        contexts.append(
            FigureContext(
                segment=seg,
                sentence=sent,
                weights=_weights(near_text, seg_text, sent_text),
                seg_chars=frozenset(seg_text),
                label=label,
                label_core=frozenset(_GENERIC_RE.sub("", label)),
            )
        )
    return contexts


def _segment(text: str, start: int, end: int, figure_ends: set[int]) -> tuple[int, int]:
    """The clause around [start, end): an 、 counts as a break only right after a figure."""
    s = start
    while s > 0:
        ch = text[s - 1]
        if ch in CLAUSE_BREAKS or (ch == LIST_BREAK and (s - 1) in figure_ends):
            break
        s -= 1
    e = end
    while e < len(text):
        ch = text[e]
        if ch in CLAUSE_BREAKS or (ch == LIST_BREAK and e in figure_ends):
            break
        e += 1
    return s, e


def _widen(text: str, seg: tuple[int, int], sent: tuple[int, int], figure_ends: set[int]) -> tuple[int, int]:
    """A segment with no words of its own joined to its neighbours within the sentence."""
    s, e = seg
    if s - 1 > sent[0]:
        s = _segment(text, s - 1, s - 1, figure_ends)[0]
    if e + 1 < sent[1]:
        e = _segment(text, e + 1, e + 1, figure_ends)[1]
    return max(s, sent[0]), min(e, sent[1])


def _near(text: str, q: Quantity, seg: tuple[int, int], figures: list[Quantity], starts: list[int]) -> str:
    """The words between the previous figure of the clause and the next one, around ``q``."""
    k = bisect_left(starts, q.start)  # q's own position: figures are sorted and do not overlap
    left = max(seg[0], figures[k - 1].end) if k > 0 else seg[0]
    right = min(seg[1], figures[k + 1].start) if k + 1 < len(figures) else seg[1]
    return text[left : q.start] + text[q.end : right]


def _strip_figures(text: str, span: tuple[int, int], figures: list[Quantity], starts: list[int]) -> str:
    """The text of ``span`` with the figures inside it cut out (their digits are no words)."""
    out, pos = [], span[0]
    for i in range(bisect_left(starts, span[0]), len(figures)):
        q = figures[i]
        if q.start >= span[1]:
            break
        out.append(text[pos : q.start])
        pos = max(pos, q.end)
    out.append(text[pos : span[1]])
    return "".join(out)


def _label(text: str, seg: tuple[int, int], figures: list[Quantity], starts: list[int]) -> str:
    return fold(_strip_figures(text, seg, figures, starts))


def score(key: NameKey, ctx: FigureContext) -> float:
    """How well a name fits a figure, 0–1: 1 when the name stands contiguously in its clause."""
    if not key.chars:
        return 0.0
    w = ctx.weights
    char = sum(w.get(c, 0.0) for c in key.chars) / len(key.chars)
    if not key.bigrams:
        return char
    pair = sum(w.get(b, 0.0) for b in key.bigrams) / len(key.bigrams)
    return CHAR_WEIGHT * char + (1 - CHAR_WEIGHT) * pair


def speaks_of(key: NameKey, ctx: FigureContext) -> bool:
    """True unless the figure's clause names something of its own that shares nothing with the name.

    同比增长6.15% names nothing and takes its subject from the sentence; 争取中央预算内投资资金
    6789万元 names its own indicator, so a name must share at least two characters with that
    clause (one, for a one-character name) to be about it.
    """
    if len(ctx.label_core) < 2:
        return True
    return len(key.chars & ctx.seg_chars) >= min(2, len(key.chars))


def label_within(key: NameKey, ctx: FigureContext) -> bool:
    """True when the figure's own label is all part of the name: 已办结634宗 for 已办结信访案件.

    A clause that says only what was done (已办结, 完成单位) takes its subject from the sentence;
    such a figure fits a name that spells that subject out, so the rest of the name must stand
    in the sentence (办结率超过98% after 劳资纠纷案件 is no 信访案件办结率).
    """
    core = ctx.label_core
    if len(core) < 2 or not core <= key.chars:
        return False
    rest = key.chars - core
    return not rest or sum(c in ctx.weights for c in rest) >= 0.75 * len(rest)


def _weights(near: str, segment: str, sentence: str) -> dict[str, float]:
    """Characters and character pairs of the three context levels, each at its best weight."""
    out: dict[str, float] = {}
    for text, weight in ((sentence, SENTENCE_WEIGHT), (segment, SEGMENT_WEIGHT), (near, 1.0)):
        for part in set(text) | _bigrams(text):
            out[part] = weight
    return out


def text_score(key: NameKey, text: str) -> float:
    """How well a name fits a stretch of text as a whole (used for a quote or a sentence)."""
    folded = fold(text)
    ctx_chars, ctx_pairs = frozenset(folded), _bigrams(folded)
    if not key.chars:
        return 0.0
    char = sum(c in ctx_chars for c in key.chars) / len(key.chars)
    if not key.bigrams:
        return char
    return CHAR_WEIGHT * char + (1 - CHAR_WEIGHT) * sum(b in ctx_pairs for b in key.bigrams) / len(key.bigrams)
