"""Which indicator a name is about, by clause structure. Name + SourceIndex figure → names it? / which sibling it names instead.

A name *names* a figure when its core (folded, generic words and figures cut out) stands in the
figure's context: the words the figure is about (its clause, or the amount its change clause
follows, or its 分别 item) count fully, the rest of its clause 0.85, the rest of its sentence 0.7.
Characters weigh 0.6 and character pairs 0.4, so word order counts; the score is comparable across
figures. A name *names another figure* of the sentence (a sibling with another owner) when what
the figure's list leaves unexplained in the name is a word of that sibling's own, and the name
holds none of the figure's own words that the sibling cannot claim from its list: a list's later
items take the words it opens with (its verb, its subject, the total a 其中 breaks down) and the
words after its last item. 新建人才公寓 is the 320套 of 新建人才公寓320套, not the 1120人 of
新增高技能人才1120人; 盘活土地 is the 120亩 of 盘活闲置厂房7500平方米、土地120亩; 已办结信访案件 is the
634宗 of 受理信访案件671宗,已办结634宗. A name's head word (its last: 收入, 面积, 人数, …率) says
what it measures, so it never names a figure in another unit family (lexicon.CHECK_MEASURE_HEADS).
None of this needs a threshold tuned per file beyond ``T_NAME``: what a name must share with its
figure's context at all.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Any, NamedTuple

from .. import lexicon
from ..index import SourceIndex, fold_words, indicator_words, unit_key
from ..numbers import find_quantities, is_figure
from ..tables import tables_of

T_NAME = 0.5  # the name's core must stand, weighted, at least half in the figure's context
T_FREE = 0.4  # free text words its figures more loosely than a metric name does
LIST_REACH = 24  # figures (or clauses) either side weighed as one list: a run-on sentence costs linear work
CLAUSE_WEIGHT = 0.85
SENTENCE_WEIGHT = 0.7
ANAPHOR_WEIGHT = 0.6  # the sentence before, for a figure whose subject refers back to it
CHAR_WEIGHT = 0.6  # the rest goes to character pairs, which reward the name's word order


class NameKey(NamedTuple):
    """The comparable core of an indicator name: its characters and character pairs.

    A named tuple (read-only, fields by name), not a frozen dataclass: one is built per name, and
    the dataclass's frozen __init__ (one ``object.__setattr__`` per field) cost as much as its pairs.
    """

    core: str
    chars: frozenset[str]
    pairs: frozenset[str]
    measures: frozenset[str] | None = None  # the unit families its head word allows (None: any)
    bounds: frozenset[float] = frozenset()  # the money thresholds it names (亿元以上项目: 1e8)

    @property
    def weak(self) -> bool:
        """True when the name says too little to pick a figure (one character or none)."""
        return len(self.chars) < 2


@lru_cache(maxsize=8192)
def name_key(name: str) -> NameKey:
    """The core of ``name``: figures cut out, folded, generic words dropped (kept when nothing else is left).

    "刑事治安警情同比下降" → 刑事治安警情, "规上工业产值比增" → 规模以上工业产值, "完成率" → 完成率.
    """
    name = _NOTE.sub("", name) or name  # 城乡居民收入比（上年）: a note on the period or the source is no word of the name
    cut, pos = [], 0
    for q in find_quantities(name, chinese=True) if _NUMERAL.search(name) else ():  # no numeral, no figure
        if not is_figure(name, q):
            continue  # a threshold or a band is part of the indicator: 新签约10亿元以上项目, 收入20万元至50万元的村
        cut.append(name[pos : q.start])
        pos = q.end
    cut.append(name[pos:])
    folded = fold_words("".join(cut))
    core = indicator_words(folded)
    if len(core) < 2:
        core = folded
    return NameKey(core, frozenset(core), _pairs(core), _measures(folded), _bounds(folded))


@lru_cache(maxsize=4096)
def _bounds(folded: str) -> frozenset[float]:
    """The money thresholds in folded words, in yuan: 亿元以上项目 → {1e8}, 10亿元以上 → {1e9}, 5000万元以上 → {5e7}."""
    if lexicon.THRESHOLD_AFTER_WORDS[0] not in folded:
        return frozenset()
    return frozenset((float(m[1]) if m[1] else 1.0) * unit_key(m[2])[0] for m in _BOUND_RE.finditer(folded))


_BOUND_RE = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)?(" + "|".join(lexicon.CHECK_BOUND_UNITS) + ")(?:"
                       + "|".join(map(re.escape, lexicon.THRESHOLD_AFTER_WORDS)) + ")")


_NOTE = re.compile(f"[{re.escape(lexicon.PAREN_OPEN)}][^{re.escape(lexicon.PAREN_OPEN + lexicon.PAREN_CLOSE)}]*[{re.escape(lexicon.PAREN_CLOSE)}]")
_NUMERAL = re.compile(f"[{lexicon.DIGIT_CLASS}{lexicon.CN_NUMERALS}]")
_HEAD_FAMILIES = {head: frozenset(families) | frozenset(lexicon.CHECK_RATE_FAMILIES)
                  for heads, families in lexicon.CHECK_MEASURE_HEADS + lexicon.CHECK_COUNT_HEADS for head in heads}
# The head words by their last character, longest first: a name is tried against the few that end as it
# does (half the genre's names end in a character no head word ends in), not against each of its suffixes.
_HEADS_BY_LAST: dict[str, tuple[str, ...]] = {
    last: tuple(sorted((h for h in _HEAD_FAMILIES if h[-1] == last), key=len, reverse=True)) for last in {h[-1] for h in _HEAD_FAMILIES}}
_GENERIC_TUPLE = tuple(lexicon.CHECK_GENERIC_WORDS)
_TAIL_RE = re.compile("(?:" + "|".join(sorted(map(re.escape, lexicon.CHECK_GENERIC_WORDS), key=len, reverse=True)) + ")+$")


@lru_cache(maxsize=4096)
def _measures(folded: str) -> frozenset[str] | None:
    """The unit families a name's head word allows: the word it ends with, once trailing change words are cut.

    村级集体经济收入 → money; 生产安全事故死亡人数下降 → people; 新建农村公路 → None (any).
    """
    if folded.endswith(_GENERIC_TUPLE):  # the tail pattern ends with a generic word: nothing to cut otherwise
        folded = _TAIL_RE.sub("", folded) or folded
    for head in _HEADS_BY_LAST.get(folded[-1:], ()):  # the longest head word it ends with
        if folded.endswith(head):
            return _HEAD_FAMILIES[head]
    return _RATIO_FAMILIES if folded.endswith(lexicon.CHECK_RATIO_HEADS) else None  # 城乡居民收入比 is no 4.9%


_RATIO_FAMILIES = frozenset({"ratio"})  # and a bare number ("none"), which every head allows
_RATIO_HEADS_LONGEST_FIRST = tuple(sorted(lexicon.CHECK_RATIO_HEADS, key=len, reverse=True))


def _pairs(s: str) -> frozenset[str]:
    return frozenset(map(str.__add__, s, s[1:]))


def _parts(s: str) -> frozenset[str]:
    """The characters and character pairs of ``s``."""
    return frozenset(s) | _pairs(s)


class _Facts:
    """What the check derives from one index on first use, in plain lists by figure, clause and
    sentence (a list lookup, no key built per question), shared by every name and every report
    checked against the index: contexts, siblings, own words, scopes and claims."""

    __slots__ = ("context", "siblings", "siblings_text", "share_base", "own", "own_text", "own_words", "claims",
                 "scope", "scopes", "clause_scopes", "clause_words", "clause_tail", "list_tail", "sentence_words", "eligible",
                 "situation", "sentence_kind", "kinds")

    def __init__(self, index: SourceIndex) -> None:
        n, c, s = len(index.figures), len(index.clauses), len(index.sentences)
        for name in ("context", "siblings", "siblings_text", "share_base", "own", "own_text", "own_words", "claims", "scope"):
            setattr(self, name, [None] * n)
        for name in ("clause_words", "clause_tail", "list_tail"):
            setattr(self, name, [None] * c)
        for name in ("sentence_words", "eligible", "sentence_kind"):
            setattr(self, name, [None] * s)
        self.situation: list[Any] = [None] * n  # ``Namer._situation``: False when the figure shares none
        self.kinds: dict[tuple, int] = {}  # a sentence's structure → the number of its kind
        self.scopes: dict[tuple[int, int], str] = {}  # a figure's scope without one clause of it
        self.clause_scopes: dict[tuple, Any] = {}  # what a clause's figures take from their list (``Namer._clause_scope``)


def _facts(index: SourceIndex) -> _Facts:
    facts = index.memo.get("facts")
    if facts is None:
        facts = index.memo["facts"] = _Facts(index)
    return facts


class Namer:
    """Scores one name against figures of one index; contexts are built on first use and kept."""

    def __init__(self, index: SourceIndex, key: NameKey) -> None:
        """The figures' contexts and scopes do not depend on the name: they are kept on the index (``_facts``)."""
        self.index, self.key = index, key
        self._f = _facts(index)
        self._scores: dict[int | tuple[str, str, str], float] = {}  # by figure and by context
        self._fits: dict[tuple, bool] = {}  # by situation (``_situation``), or by figure where it has none
        self._first: tuple[int, float, bool] | None = None  # the first answer, kept by situation once a second is asked

    def context(self, i: int) -> tuple[str, str, str]:
        """The words around figure i in three layers: what it is about (weighed 1), its clause
        (``CLAUSE_WEIGHT``) and its sentence (``SENTENCE_WEIGHT``). A character or pair of the name
        counts at the weight of the first layer that holds it; a layer is a string, whose
        characters and pairs are what ``in`` finds, so no set of them is built. A figure whose
        subject refers back (企业今年产值预计突破8亿元 after a sentence on 恒远新材料公司; 该项目, 公司)
        has a fourth layer, the sentence before (``ANAPHOR_WEIGHT``). Kept on the index."""
        ctx = self._f.context[i]
        if ctx is None:
            f = self.index.figures[i]
            sentence = self._f.sentence_words[f.sentence]
            if sentence is None:
                sentence = self._f.sentence_words[f.sentence] = self.index.sentence_words(f.sentence)
            ctx = (self._nearest(i), self.index.clauses[f.clause].words, sentence)
            if f.about.startswith(lexicon.CHECK_ANAPHORS) and f.sentence > 0:
                ctx += (self.index.sentence_words(f.sentence - 1),)
            self._f.context[i] = ctx
        return ctx

    def _nearest(self, i: int) -> str:
        """The first layer of ``context``: what figure i is about, and the words beside it unless it is a 分别 item."""
        f = self.index.figures[i]
        return f.about if f.paired else f.about + f.near

    def score(self, i: int) -> float:
        """How well the name fits figure i, 0–1: 1 when the name stands whole in what the figure is about."""
        score = self._scores.get(i)
        if score is None:
            near = self._nearest(i)
            if self.key.chars and self.key.core in near:  # the common case: ``layered`` answers from the first layer
                score = layered(self.key, (near,))  # alone, so the figure's clause and sentence are not joined for it
            else:
                ctx = self.context(i)
                score = self._scores.get(ctx)  # a repeated passage: the same words, the same score
                if score is None:
                    score = self._scores[ctx] = layered(self.key, ctx)
            self._scores[i] = score
        return score

    def names(self, i: int, t_min: float = T_NAME) -> bool:
        """The name is about figure i's indicator: it stands in the figure's context, or the figure's own words stand in it.

        The second way accepts a name that adds a subject or a qualifier to the figure's label
        (民生支出占一般公共预算支出比重 for 民生支出占比不低于75%). A weak name is about anything.
        """
        if self.key.bounds and not self.bounds_agree(i):
            return False
        if self.key.weak or self.score(i) >= t_min:
            return True
        about = self.index.figures[i].about
        return len(about) >= 2 and layered(name_key(about), (self.key.chars | self.key.pairs,)) >= t_min

    def bounds_agree(self, i: int) -> bool:
        """The name's money threshold is the figure's, when the figure's words name one: 亿元以上项目 is not 10亿元以上项目."""
        about = self.index.figures[i].about
        theirs = _bounds(about)
        return not theirs or bool(theirs & self.key.bounds)

    def rival(self, i: int) -> int | None:
        """A sibling of figure i (same sentence, another owner) that the name names instead, or None.

        The name names a sibling j instead when (1) it holds none of i's own words that j cannot
        also claim from its list (``_scope``), and (2) what i's list leaves unexplained in the name
        holds a word of j's own: 盘活土地 for the 7500平方米 of 盘活闲置厂房7500平方米、土地120亩 (盘活
        is the list's, 土地 is 120亩's). A subject taken from an earlier clause (亿元以上项目 of
        实施亿元以上项目286个 in 亿元以上项目完成投资) is explained by i's list and allowed beside i's
        own words (投资); a word of one character, or a pair that straddles two words (区改 of
        棚户区改造 in 老旧小区改造户数), is no word of j's.
        """
        if self.key.weak:
            return None
        index, key = self.index, self.key
        # What a sibling can gain, before any sibling is looked at: i's scope holds i's own words, so
        # what it leaves unexplained is among the name's pairs that are not i's (``extra``); the other
        # way to gain is a name that spells out j's words whole and not i's. Neither: no rival.
        # (Both read from i's own words as strings: a pair is one of a word's when ``in`` finds it
        # in the words joined by ``_SEP``, so no set of a figure's pairs is built.)
        own_i = self._own_text(i)
        counted = self._unit_head(i)  # 户数 of 46户: the name's count word is the figure's unit, no sibling's word
        extra = frozenset([p for p in key.pairs if p not in own_i and p not in counted])  # the name's pairs that are no pair of i's own words
        holds_f = self._spells(i) if not extra else None  # with extras, asked only once a sibling may gain
        if not extra and holds_f:
            return None
        siblings = self._siblings(i)
        if not siblings or not any(map(self._siblings_text(i).__contains__, key.pairs)):
            return None  # no pair of the name is any sibling's own (one test for all of them)
        if holds_f is None:
            holds_f = self._spells(i)
        if (part := self._part_named(i, siblings)) is not None:
            return part
        whole = self._whole_named(i)  # 新建改建农村公路中新建: the words before 中 name the whole i is part of
        named_own: list[str] | None = None  # the name's parts that are i's own words, once a sibling passes the cheap test
        own_f: frozenset[str] | None = None  # i's own parts as a set, built once a sibling passes the claims test
        best, best_gain = None, 0
        f = index.figures[i]
        clauses_i = (f.clause, index.figures[f.owner].clause)  # a change clause is its amount's (增长6.1% of 187.3亿元)
        own_texts = self._f.own_text
        allowed = key.measures
        for j in siblings:
            if allowed is not None and allowed is not _RATIO_FAMILIES and index.figures[j].family == "none":
                continue  # a bare number is no rival of a name whose head measures no ratio (人均可支配收入 is no 收入比)
            if self._counted_twice(i, j) and index.figures[j].unit_base not in key.core:
                continue  # one group counted in two units (解决了三百二十户、近千人的饮水难问题): a name that
                # says neither unit (解决饮水难的群众) names both; one that says j's (…农户) is j's
            own_g = own_texts[j]  # built for every sibling by ``_siblings_text``
            if not any(map(own_g.__contains__, key.pairs)):
                continue  # no pair of the name is j's own: j gains nothing (the cheap test first)
            if whole and all(map(own_g.__contains__, _pairs(whole))):
                continue  # j is the whole the name says i is part of
            holds_j = self._spells(j)
            if not any(map(own_g.__contains__, extra)) and (holds_f or not holds_j) and not (
                    self._parted(j, i) and any(map(self._scope(j).__contains__, extra))):
                continue  # j can gain nothing (see above), and no scope is built to find that out; but a list
                # before or after a semicolon may give j the name's subject (``_siblings``)
            if named_own is None:
                named_own = [*filter(own_i.__contains__, key.chars), *filter(own_i.__contains__, key.pairs)]
                if counted:  # 人 of 农村低保人数 is the unit's count word, not the 人员 of 特困供养人员八十九人
                    named_own = [p for p in named_own if p not in counted]
            if named_own and not all(map(self._claims(j).__contains__, named_own)):
                continue  # the name holds words that are i's own and that j cannot claim from its list
            if own_f is None:
                own_f = self._own(i)
            g, own_j = index.figures[j], self._own(j)
            if own_f <= own_j and (g.clause in clauses_i and j < i or not holds_j) and not self._parted(j, i):
                continue  # i is a breakdown of j (其中新建7.2公里 of 新建改建农村公路18.6公里) and the name is not j's,
                # or j's words lead to i's in one clause (带动农户136户户均增收8600元: 8600元 is the 户均增收 of them;
                # 代管的3个街道实现地区生产总值187.3亿元,增长6.1%: 6.1% is the 代管街道地区生产总值's)
            scope_i = self._scope(i, without=g.clause) + _SEP + counted
            gain = sum(map(own_g.__contains__, self._unexplained(scope_i)))
            if not gain and (claimed := self._unexplained(scope_i, joins=True)):
                # a word j's list gives it and i's does not: 续建项目 of 续建项目14个,完成投资6.8亿元
                claims_j = self._claims(j)  # against 新开工项目9个,总投资28.6亿元; (lists part at a semicolon)
                whole_scope_i = self._scope(i) + _SEP + counted
                gain = sum(p in claims_j and p not in whole_scope_i for p in claimed) // 2
            if not gain and not own_j <= own_f and holds_j and not holds_f:
                gain = 1  # the name spells out j's words whole and not i's (工业投资 of 固定资产投资31.17亿元,工业投资19.23亿元),
                # though each of its words stands in the list (规上工业总产值 and 固定资产投资 have 工业 and 投资);
                # j's words inside i's (培训 of 开展职业技能培训24期,培训1650人次) are i's too
            if gain > best_gain:
                best, best_gain = j, gain
        return best

    def _counted_twice(self, i: int, j: int) -> bool:
        """Figures i and j are next to each other, joined by a list mark alone, in units of different
        kinds: 320户、近千人 is one group counted by households and by people, whose words before and
        after are both figures' (a second item with words of its own, 新建学校3所、学位1800个, is not)."""
        a, b = (i, j) if i < j else (j, i)
        if b != a + 1:
            return False
        fa, fb = self.index.figures[a], self.index.figures[b]
        between = self.index.view[fa.quantity.end : fb.quantity.start].strip(lexicon.SPACES)
        return between in lexicon.FIGURE_LIST_JOINERS and fa.family != fb.family

    def _part_named(self, i: int, siblings: list[int]) -> int | None:
        """The part of figure i the name names, when i's words join its parts' (新建改建农村公路32.5公里,其中新建
        18.2公里,改建14.3公里): a name that holds one part's words and not another's (新建农村公路) is that part's.
        None unless two or more later siblings of i's list are such parts."""
        about, core = self.index.figures[i].about, self.key.core
        parts = [j for j in siblings if j > i and len(g := self.index.figures[j].about) >= 2 and g in about and g != about
                 and not self._parted(i, j)]
        if len(parts) < 2:
            return None
        held = [j for j in parts if self.index.figures[j].about in core]
        return held[0] if held and len(held) < len({self.index.figures[j].about for j in parts}) else None

    def _whole_named(self, i: int) -> str:
        """The words before 中 in a name of the form whole中part (区级重点项目中新开工项目), when what follows 中
        is figure i's own words; "" otherwise."""
        core = self.key.core
        at = core.rfind(lexicon.CHECK_PART_OF)
        if at < 2 or len(core) - at - 1 < 2:
            return ""
        own = self._own_text(i)
        tail = core[at + 1 :]
        return core[:at] if all(map(own.__contains__, _parts(tail))) else ""

    def _parted(self, j: int, i: int) -> bool:
        """A semicolon stands between figures j and i of one sentence: i's list starts after j's, so i is no
        breakdown of j (②…服务老人1.52万人次;③开展青少年活动96场次,服务2300余人次: 服务 is no part of j's words)."""
        a, b = self.index.figures[j].quantity.start, self.index.figures[i].quantity.start
        if a > b:
            a, b = b, a
        semis = _semicolons(self.index)
        k = bisect_left(semis, a)
        return k < len(semis) and semis[k] < b

    def _unit_head(self, i: int) -> str:
        """The name's last word when it counts figure i's unit (户数 for 46户, 人数 for 312名, 家数 for 9家, 人次), else "".

        The genre names a count by its unit: 新纳入监测对象户数 is the 46户 of 新识别纳入监测对象46户153人,
        whose words never say 户数; a share of the sentence that counts 户数 (消除风险户数占…的82.6%) is
        no rival for it.
        """
        f, core = self.index.figures[i], self.key.core
        base = f.unit_base
        if not base or f.family not in _COUNTED_FAMILIES or not core.endswith((base, lexicon.CHECK_COUNT_WORD, *_COUNT_ENDS)):
            return ""
        for word in (base + lexicon.CHECK_COUNT_WORD, base):
            if len(word) >= 2 and core.endswith(word):
                return word
        head = next((w for w in _COUNT_ENDS if core.endswith(w)), "")
        return head if head and f.family in _HEAD_FAMILIES.get(head, ()) else ""

    def _siblings(self, i: int) -> list[int]:
        """The figures of i's list that may be named instead of it, whatever the name (another
        indicator, no threshold, not the whole i is a share of), within ``LIST_REACH`` either side.
        Kept per figure."""
        out = self._f.siblings[i]
        if out is None:
            f = self.index.figures[i]
            js, figs = self._eligible(f.sentence), self.index.figures
            a, b = bisect_left(js, i - LIST_REACH), bisect_right(js, i + LIST_REACH)
            owner, about, clause, base = f.owner, f.about, f.clause, self._share_base(i)
            out = self._f.siblings[i] = [
                j for j in js[a:b]
                if (g := figs[j]).owner != owner and (g.about != about or self._parted(i, j))  # another indicator (i itself has
                # i's owner; one measure in two lists is two: 实施区级重点项目136个,完成投资215.4亿元;其中亿元以上项目74个,完成投资168.9亿元)
                # not the whole i is a share of (占全年任务4.1亿元的78%): its words belong to i's name too
                and not (base and g.clause == clause and j < i and g.about == base)]
        return out

    def _eligible(self, sentence: int) -> list[int]:
        """The figures of a sentence that can be anyone's sibling, in order: a figure as is_figure
        counts, with words of its own (a threshold, 超5亿元企业, is part of a name). One pass per
        sentence, kept; the few in a figure's reach are read off the figures themselves (a sentence
        is mostly asked about for one figure, so no table of every figure's facts is built)."""
        out = self._f.eligible[sentence]
        if out is None:
            figs = self.index.figures
            out = self._f.eligible[sentence] = [j for j in self.index.sentence_figures(sentence) if figs[j].about and figs[j].counts]
        return out

    def _siblings_text(self, i: int) -> str:
        """The own words of every sibling of i joined by ``_SEP``: a pair in it is some sibling's own. Kept per figure."""
        text = self._f.siblings_text[i]
        if text is None:
            text = self._f.siblings_text[i] = _SEP.join(map(self._own_text, self._siblings(i)))
        return text

    def fits(self, i: int, t_min: float = T_NAME) -> bool:
        """The name names figure i and no sibling of it nor the base it is a share of, and its head word can measure i's unit.

        Kept by situation: a figure at the same place of a sentence of the same structure as one
        already asked (a repeated passage) is answered as that one was, so a value stated in many
        copies of a passage costs one answer per copy's kind, not one per copy. Most names are asked
        about one place (the quote's figure): the first answer is kept by situation only when a
        second is asked. A place that shares no situation (a table cell, a list running on from the
        sentence before) is kept by figure. The Namer is kept on the index per name (``check._namer``),
        so a name checked again against the same source answers from here."""
        first = self._first
        if first is None:
            out = self._fits_now(i, t_min)
            self._first = (i, t_min, out)
            return out
        if first[0] == i and first[1] == t_min:
            return first[2]  # the same place asked again (the name checked again against this index)
        if first[0] >= 0:
            self._first = (-1, first[1], first[2])
            situation = self._situation(first[0])
            self._fits[(*situation, first[1]) if situation is not None else (first[0], first[1])] = first[2]
        situation = self._situation(i)
        key = (*situation, t_min) if situation is not None else (i, t_min)  # a place of its own: kept by figure
        out = self._fits.get(key)
        if out is None:
            out = self._fits[key] = self._fits_now(i, t_min)
        return out

    def _fits_now(self, i: int, t_min: float) -> bool:
        return bool(self.measures(i) and self.shares_agree(i) and self.names(i, t_min) and not self.names_base(i)
                    and self.rival(i) is None and not self.other_row(i))

    def _situation(self, i: int) -> tuple[int, int] | None:
        """Figure i's sentence kind and its place among the sentence's figures, or None when its
        answer may depend on more than its sentence (a table cell, a list that runs on from the
        sentence before). Two sentences are of one kind when everything ``_fits_now`` reads of
        them is the same: their text, their clauses and their figures' facts, offsets taken from
        the sentence's own start. Kept per figure and per sentence."""
        found = self._f.situation[i]
        if found is None:
            index, f = self.index, self.index.figures[i]
            kind = self._sentence_kind(f.sentence)
            q = f.quantity
            if kind is None or tables_of(index.view).cell(q.start, q.end) is not None or len(self.context(i)) > 3:
                found = False  # a table cell, or a subject named in the sentence before
            else:
                found = (kind, i - index.sentence_figures(f.sentence).start)
            self._f.situation[i] = found
        return found or None

    def _sentence_kind(self, sentence: int) -> int | None:
        kind = self._f.sentence_kind[sentence]
        if kind is None:
            index = self.index
            s0, s1 = index.sentences[sentence]
            a, b = index.sentence_clauses(sentence)
            figs = index.sentence_figures(sentence)
            if a < b and index.list_start(a) != a:
                kind = -1  # its first list opens in the sentence before
            else:
                f0 = figs.start
                clauses = tuple((c.start - s0, c.end - s0, c.words) for c in index.clauses[a:b])
                figures = tuple(
                    (g.quantity.start - s0, g.quantity.end - s0, g.clause - a, g.owner - f0, g.about, g.near, g.near_words,
                     g.paired, g.family, g.counts, g.unit_base, g.unit_scale)
                    for g in map(index.figures.__getitem__, figs))
                kind = self._f.kinds.setdefault((index.view[s0:s1], clauses, figures), len(self._f.kinds))
            self._f.sentence_kind[sentence] = kind
        return None if kind < 0 else kind

    def other_row(self, i: int) -> bool:
        """Figure i is a table cell and the name is another row's label more than its own (税收收入 is not the
        23150 of 一般公共预算收入 | 万元 | 23150, though it shares 收入 with it: the table has a 税收收入 row)."""
        q = self.index.figures[i].quantity
        cell = tables_of(self.index.view).cell(q.start, q.end)
        if cell is None or len(cell.labels) < 2:
            return False
        own = text_score(self.key, cell.labels[cell.row])
        return any(text_score(self.key, label) > own for k, label in enumerate(cell.labels) if k != cell.row)

    def shares_agree(self, i: int) -> bool:
        """A share's name names a share, and a share is named as one (in ``lexicon.CHECK_SHARE_NAME_WORDS``, or a …率).

        占规上工业总产值的比重提高到54.4% after 两大产业产值分别达到A亿元和B亿元 is the share of the two
        together: neither item's 产值 (a name without a share word), and the items' growth rates are
        no 比重. Only rates are asked: an amount is never a share.
        """
        f = self.index.figures[i]
        if f.family not in _SHARE_FAMILIES or self.key.weak:
            return True
        core = self.key.core
        named_share = any(w in core for w in lexicon.CHECK_SHARE_NAME_WORDS)
        clause = self.index.clauses[f.clause].words
        stated_share = any(w in clause for w in lexicon.CHECK_SHARE_NAME_WORDS) or lexicon.CHECK_SHARE_OF in clause
        if named_share:  # tenths are a share by their unit (带动农户近三成增收 is the 增收比例 of 农户), but not a change (增长三成)
            return stated_share or f.unit_base == lexicon.TENTHS_UNIT and f.quantity.direction is None
        return not stated_share or core.endswith(lexicon.CHECK_RATE_HEAD) or lexicon.CHECK_SHARE_OF in core

    def names_base(self, i: int) -> bool:
        """The name names only the whole that figure i is a share of: 户籍人口 (or 户籍人口占比) for the
        25% of 其中60岁以上老人0.8万人,占户籍人口的25%, which is the 老人's share.

        A name that adds words of its own (老龄化率, 全年任务完成率: a rate of that whole) or any of
        what the share is of (老人占比) is not the base's.
        """
        base = self._share_base(i)
        if not base or self.key.weak:
            return False
        core = self.key.core
        for word in lexicon.CHECK_SHARE_WORDS:
            core = core.replace(word, "")
        parts, about = _parts(core), self.index.figures[i].about
        return len(core) >= 2 and all(map(base.__contains__, parts)) and not all(map(about.__contains__, parts))

    def _share_base(self, i: int) -> str:
        """The words of the whole that figure i is a share of (占户籍人口的25%: 户籍人口), when it is
        one and is about something else; "" otherwise. Kept per figure."""
        base = self._f.share_base[i]
        if base is None:
            index, f = self.index, self.index.figures[i]
            clause = index.clauses[f.clause]
            if lexicon.CHECK_SHARE_OF not in clause.words or f.family not in _SHARE_FAMILIES:
                self._f.share_base[i] = ""
                return ""
            pieces, pos = [], clause.start
            for k in clause.figures:  # the words before the figure, earlier figures cut out
                if k >= i:
                    break
                pieces.append(index.view[pos : index.figures[k].quantity.start])
                pos = index.figures[k].quantity.end
            words = fold_words("".join(pieces) + index.view[pos : f.quantity.start])
            base = ""
            if f.family in _SHARE_FAMILIES and words.startswith(lexicon.CHECK_SHARE_OF) and len(f.about) >= 2:
                base = indicator_words(words[len(lexicon.CHECK_SHARE_OF) :])
            self._f.share_base[i] = base
        return base

    def measures(self, i: int) -> bool:
        """The name's head word allows figure i's unit: an income is no area (村级集体经济收入 is not 3.4万亩)."""
        allowed, family = self.key.measures, self.index.figures[i].family
        if allowed is _RATIO_FAMILIES and family in lexicon.CHECK_RATE_FAMILIES:
            # 存贷比提高到72.5%: a 比 the figure's own label names (its head and the word before) is one
            # flow over another, written as a percent; 收入比 takes no percent labelled 人均可支配收入
            core = self.key.core
            head = next((h for h in _RATIO_HEADS_LONGEST_FIRST if core.endswith(h)), "")
            return bool(head) and core[-len(head) - 1 :] in fold_words(self.index.figures[i].about)
        return allowed is None or family in allowed or family in ("none", "other")

    def _own(self, i: int) -> frozenset[str]:
        own = self._f.own[i]
        if own is None:
            own = self._f.own[i] = _own(self.index, i)
        return own

    def _own_text(self, i: int) -> str:
        """Figure i's own words joined by ``_SEP``: ``in`` finds exactly the parts of ``_own``."""
        own = self._f.own_text[i]
        if own is None:  # ``_own_words`` joined, read off the figure (no tuple of its words built for a join)
            f = self.index.figures[i]
            own = self._f.own_text[i] = f.about if f.paired else f.about + _SEP + f.near_words
        return own

    def _claims(self, j: int) -> str:
        """The words sibling j may claim from its list: its scope, and the head of its 分别 list's
        first item (the subject written once for all items). They never explain a name for j."""
        claims = self._f.claims[j]
        if claims is None:
            scope = self._scope(j)
            lead = self._f.scope[j][2]
            claims = self._f.claims[j] = scope + _SEP + lead if lead else scope
        return claims

    def _scope(self, j: int, without: int | None = None) -> str:
        """Figure j's own words and the words of the clauses before it in its list.

        A later item of a list states its figure under the words the list opened with: the verb of
        盘活闲置厂房7500平方米、土地120亩 is 土地's too, the subject of 受理信访案件671宗,已办结634宗 is
        what 已办结 counts, 其中亿元以上项目18个 breaks down the 签约项目 before it, and 区人民医院新院区
        建成投用 is the subject of 新增床位800张. A list runs from its sentence's start or last
        semicolon; figures of one clause (投入4.48亿元建成…碧道58.4公里) keep their own words apart.
        ``without`` leaves one clause out (a sibling's, whose own words never explain j).

        The scope is the words joined by ``_SEP``: a character or pair is in it (``in``) exactly
        when it is a character or pair of one of the words.
        """
        base = self._f.scope[j]
        if base is None:
            index, f = self.index, self.index.figures[j]
            start = index.sentences[f.sentence][0]
            semis = _semicolons(index)  # the last semicolon before the figure in its sentence, or -1
            k = bisect_left(semis, f.quantity.start) - 1
            cut = semis[k] if k >= 0 and semis[k] >= start else -1
            where = (f.clause, f.paired, cut)
            part = self._clause_scope(*where)
            lead = ""
            first = part[3]  # 生产安全事故起数、死亡人数分别下降25%和33.3%: what the items share is written once, at
            # the head of the first item, which it makes the longer, so a later item may claim the first
            # item's words (``_claims``: 生产安全事故死亡人数 names 33.3%, and is no name of 25%); they
            # explain nothing of a name for it; 石化、装备制造… have no such head
            if first is not None and first < j and len(index.figures[first].about) > len(f.about):
                lead = index.figures[first].about
            base = self._f.scope[j] = (self._own_text(j), part, lead, where)
        own, part, _, where = base
        if without is None or not part[1] <= without < part[2]:
            return own + _SEP + part[0]
        scope = self._f.scopes.get((j, without))
        if scope is None:
            scope = self._f.scopes[(j, without)] = own + _SEP + self._clause_scope_without(where, without)
        return scope

    def _clause_scope(self, c: int, paired: bool, cut: int) -> tuple[str, int, int, int | None, str]:
        """What a figure of clause c (a 分别 item or not, after the semicolon at ``cut``) takes from its
        list, the same for every such figure of the clause: the clause's words (or those after its
        last figure), the list's tail, and the words of the clauses before it in its list, [lo, hi),
        joined by ``_SEP``; lo and hi; the first item of its 分别 list (None unless paired); the clause's
        own part (words and tail). Kept per clause."""
        key = (c, paired, cut)
        out = self._f.clause_scopes.get(key)
        if out is None:
            index = self.index
            clause = index.clauses[c]
            if not paired and sum([index.figures[k].counts for k in clause.figures]) <= 1:
                words = self._clause_words(c)
            else:  # the words after a clause's last figure are all its figures' (17家企业25人完成人才入户办理);
                # a 分别 item's subject words are the other items' too (工业产值、税收分别增长12%、8%)
                words = self._f.clause_tail[c]
                if words is None:
                    words = self._f.clause_tail[c] = indicator_words(
                        fold_words(index.view[index.figures[clause.figures[-1]].quantity.end : clause.end]))
            k, first = c - 1, None
            if paired:  # the subject of 分别 is a list whose items are the figures' own words, not all of theirs
                opening = index.list_start(c)
                if any(w in index.clauses[opening].words for w in lexicon.CHECK_RESPECTIVELY):
                    k = opening - 1
                    first = next((g for g in index.clauses[opening].figures if index.figures[g].paired), None)
                    if first is not None:  # …分别实现产值238.4亿元和151.6亿元: what follows 分别 is every item's measure
                        words += _SEP + self._respectively_measure(opening, first)
            hi, sentence = k + 1, clause.sentence
            while k >= 0 and index.clauses[k].sentence == sentence and index.clauses[k].end > cut + 1 and hi - k <= LIST_REACH:
                k -= 1
            lo = k + 1
            head = words + _SEP + self._list_tail(c)
            out = self._f.clause_scopes[key] = (_SEP.join((head, *map(self._clause_words, range(lo, hi)))), lo, hi, first, head)
        return out

    def _respectively_measure(self, c: int, first: int) -> str:
        """The indicator words between the 分别 of clause c and its first figure: 产值 of 两大主导产业分别实现产值238.4亿元."""
        index = self.index
        start, end = index.clauses[c].start, index.figures[first].quantity.start
        piece = index.view[start:end]
        at = max(piece.rfind(w) + len(w) if w in piece else -1 for w in lexicon.CHECK_RESPECTIVELY)
        return indicator_words(fold_words(piece[at:])) if at >= 0 else ""

    def _clause_scope_without(self, where: tuple[int, bool, int], without: int) -> str:
        """A clause's scope (``_clause_scope`` of ``where``) with the words of one clause before it left out. Kept."""
        key = (*where, without)
        out = self._f.clause_scopes.get(key)
        if out is None:
            _, lo, hi, _, head = self._f.clause_scopes[where]
            out = self._f.clause_scopes[key] = _SEP.join((head, *(self._clause_words(k) for k in range(lo, hi) if k != without)))
        return out

    def _clause_words(self, c: int) -> str:
        words = self._f.clause_words[c]
        if words is None:
            words = self._f.clause_words[c] = indicator_words(self.index.clauses[c].words)
        return words

    def _list_tail(self, c: int) -> str:
        """The indicator words after the last figure of the enumeration (、) clause c is in: every item's. Kept per clause.

        完成单位1.6万户、个体户2.5万户“五经普”清查阶段工作: 清查 is the 1.6万户's as much as the 2.5万户's.
        """
        tail = self._f.list_tail[c]
        if tail is None:
            tail = self._f.list_tail[c] = indicator_words(self._list_tail_words(c))
        return tail

    def _list_tail_words(self, c: int) -> str:
        index = self.index
        clauses, comma = index.clauses, lexicon.ENUMERATION_COMMA

        def enumerates(k: int) -> bool:
            return index.view[clauses[k].end - 1 : clauses[k].end] == comma

        sentence = clauses[c].sentence
        if not (enumerates(c) or c > 0 and clauses[c - 1].sentence == sentence and enumerates(c - 1)):
            return ""
        k = c
        while enumerates(k) and k + 1 < len(clauses) and clauses[k + 1].sentence == sentence and k - c < LIST_REACH:
            k += 1
        last = clauses[k]
        if not last.figures:
            return ""
        return fold_words(index.view[index.figures[last.figures[-1]].quantity.end : last.end])

    def _unexplained(self, scope: str, joins: bool = False) -> frozenset[str]:
        """The name's character pairs that ``scope`` does not explain: not among its pairs, and holding a character it lacks.

        A pair of two explained characters (区改 of 老旧小区改造 against 棚户区改造) straddles two
        words the scope has; so does one that joins an explained pair of the name to an unexplained
        pair (业利 of 规模以上工业企业利润总额, between 企业 and the scope's 利润): a sibling whose words
        hold it only by the same join (电子信息产业利润) shares no word of the name. A character no
        other pair carries (省 of 省重点项目投资) is the name's own word, whatever stands beside it.
        ``joins`` keeps those joins: what j's list gives it is weighed by its pairs, two to a word (``rival``).
        """
        if joins:
            return frozenset(p for p in self.key.pairs if p not in scope and (p[0] not in scope or p[1] not in scope))
        core = self.key.core
        last = len(core) - 2  # the index of the name's last pair
        explained = [core[k : k + 2] in scope for k in range(last + 1)]
        return frozenset(
            p for k, p in enumerate(map(str.__add__, core, core[1:]))
            if not explained[k] and (p[0] not in scope or p[1] not in scope)
            and not (0 < k and explained[k - 1] and k < last) and not (0 < k < last and explained[k + 1]))

    def _spells(self, i: int) -> bool:
        """The name spells out every character pair of figure i's own words, and they have one
        (签约10亿元以上项目 spells out 10亿元以上项目). Read off the words, not a set of their pairs:
        a word inside the name's core is spelt out whole (one C-level test), another one when each
        of its pairs is one of the core's, tested in order up to the first that is not (most words
        that fail, fail at their first pair: no list of every pair's answer is built)."""
        core, pairs, found = self.key.core, self.key.pairs, False
        f = self.index.figures[i]
        for word in (f.about,) if f.paired else (f.about, f.near_words):  # ``_own_words``, read off the figure
            if len(word) < 2:
                continue
            if word not in core:
                for k in range(len(word) - 1):
                    if word[k : k + 2] not in pairs:
                        return False
            found = True
        return found


_SHARE_FAMILIES = ("percent", "permille", "ratio")
_COUNT_ENDS = tuple(w for w in lexicon.COUNT_NOUN_ENDS if len(w) >= 2)
_COUNTED_FAMILIES = ("people", "households", "count")  # what a name counts by its unit's word (户数, 人数, 家数)
_SEP = "\x00"  # joins words into one string for ``in`` tests: no folded word or name holds it


def _semicolons(index: SourceIndex) -> list[int]:
    """View offsets of every semicolon, found once per index."""
    found = index.memo.get(("semicolons",))
    if found is None:
        found = index.memo[("semicolons",)] = [m.start() for m in _SEMICOLON_RE.finditer(index.view)]
    return found


_SEMICOLON_RE = re.compile(f"[{re.escape(lexicon.SEMICOLONS)}]")


def _own_words(index: SourceIndex, i: int) -> tuple[str, ...]:
    """The words that are figure i's own: what it is about (and, unpaired, the words beside it)."""
    kept = _facts(index).own_words
    words = kept[i]
    if words is None:
        f = index.figures[i]
        words = kept[i] = (f.about,) if f.paired else (f.about, f.near_words)
    return words


def _own(index: SourceIndex, i: int) -> frozenset[str]:
    """Characters and pairs that are figure i's own (of ``_own_words``); a word's parts are kept on
    the index (the figures of one clause share what they are about)."""
    memo = index.memo
    out: frozenset[str] = frozenset()
    for word in _own_words(index, i):
        parts = memo.get(("parts", word))
        if parts is None:
            parts = memo[("parts", word)] = _parts(word)
        out |= parts
    return out


_LAYER_WEIGHTS = (1.0, CLAUSE_WEIGHT, SENTENCE_WEIGHT, ANAPHOR_WEIGHT)


def layered(key: NameKey, layers: tuple[str | frozenset[str], ...]) -> float:
    """The name's characters and pairs found in ``layers`` (nearest first: what a figure is about,
    its clause, its sentence), each counted at the weight of the first layer that holds it."""
    if not key.chars:
        return 0.0
    if type(layers[0]) is str and key.core in layers[0]:  # the name whole in the nearest layer (the common case):
        return CHAR_WEIGHT * 1.0 + (1 - CHAR_WEIGHT) * 1.0 if key.pairs else 1.0  # every part found there, as below
    char = _found(key.chars, layers) / len(key.chars)
    if not key.pairs:
        return char
    pair = _found(key.pairs, layers) / len(key.pairs)
    return CHAR_WEIGHT * char + (1 - CHAR_WEIGHT) * pair


def _found(parts: frozenset[str], layers: tuple[str | frozenset[str], ...]) -> float:
    """The parts' weights, each at the first layer holding it: counted per layer (the parts of one
    layer found by C-level filters, the rest passed on), so the sum does not depend on set order."""
    total, rest = 0.0, parts
    for layer, weight in zip(layers, _LAYER_WEIGHTS):
        hits = frozenset(filter(layer.__contains__, rest))
        if hits:
            total += weight * len(hits)
            rest = rest - hits
            if not rest:
                break
    return total


def text_score(key: NameKey, text: str) -> float:
    """How well a name fits a stretch of text as a whole (a sentence, for a derived rate)."""
    return layered(key, (fold_words(text),))
