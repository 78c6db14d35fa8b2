"""Kind and period sanity of a metric against the words around its figure. Metric + source position → flags.

These flags never change a check's status (which is about the number); they say when the label
contradicts the source: a planned figure (plans section, or after 力争/计划/预计) labelled
``actual``, a rate labelled as an amount or the reverse, a 1-10月 figure given a bare year, a
2022 figure given 2023. Each returns ``None`` when the source gives nothing to compare with.
"""

from __future__ import annotations

import re
from typing import Optional

from .attribution import CLAUSE_BREAKS, sentence_span
from .matching import SourceIndex, as_quantity
from .numbers import to_halfwidth
from .schema import Metric

Flag = tuple[Optional[bool], str]  # (ok, why not)

_RATE_FAMILIES = frozenset({"percent", "permille", "points", "ratio"})
_PERCENT_FAMILIES = frozenset({"percent", "permille", "points"})
# 计划 in 完成年度计划 is the plan that was met, not a plan; 模拟/虚拟 are no 拟.
_STRONG_TARGET = re.compile(r"力争|(?<!年度)计划|预计|预期|(?<![模虚])拟|争创|目标是|目标为")
# Weaker cues count only inside the figure's own clause: 已全部达到整改整治目标,完成…6项 is done.
_WEAK_TARGET = re.compile(r"目标|确保|将")
_PARTIAL_PERIOD = re.compile(r"月|季度|半年")
_BARE_YEAR = re.compile(r"(\d{4})年?")
_RELATIVE_YEARS = ("今年", "全年", "本年度", "当年")
# A period runs over a ;-list (1-10月规上工业产值…;完成固定资产投资…), so only full stops end it.
FULL_STOPS = "\u3002!?\uff01\uff1f\n"


def kind_ok(index: SourceIndex, metric: Metric, pos: int | None) -> Flag:
    """False when the metric's kind contradicts its unit or the planning words before its figure.

    Args:
        index: the source.
        metric: the metric (its kind and unit are read).
        pos: where its figure (or, failing that, its quote) starts in the source; None if nowhere.
    """
    family = as_quantity(1.0, metric.unit).family
    kind = metric.kind
    if kind in ("growth_rate", "completion_rate", "share") and family not in _RATE_FAMILIES:
        return False, f"kind {kind} but the unit {metric.unit or '(none)'} is not a rate"
    if kind in ("actual", "count") and family in _PERCENT_FAMILIES:
        return False, f"kind {kind} but {metric.unit} is a rate"
    if pos is None:
        return None, ""
    sent = sentence_span(index.text, pos, FULL_STOPS)
    clause = sentence_span(index.text, pos, CLAUSE_BREAKS)
    before_sent, before_clause = index.text[sent[0] : pos], index.text[clause[0] : pos]
    cue = _STRONG_TARGET.search(before_sent) or _WEAK_TARGET.search(before_clause)
    if kind == "actual" and (cue or index.outline.section_at(pos) == "plans"):
        why = f"after “{cue.group()}”" if cue else "in the plans section"
        return False, f"a planned figure ({why}) labelled actual"
    # A plans section also mentions what exists (抓好71家规上企业): only a cue makes a count a target.
    near_cue = _STRONG_TARGET.search(before_clause)
    if kind in ("count", "growth_rate", "completion_rate", "share") and near_cue:
        return False, f"a planned figure (after “{near_cue.group()}”) labelled {kind}"
    return True, ""


def period_ok(index: SourceIndex, metric: Metric, pos: int | None, report_year: int | None = None) -> Flag:
    """False when the metric's period contradicts the period its sentence states before the figure.

    Args:
        index: the source.
        metric: the metric (its period is read).
        pos: where its figure (or quote) starts in the source; None if nowhere.
        report_year: the year reviewed, which 今年/全年 stand for outside the plans.
    """
    if pos is None or not metric.period:
        return None, ""
    sent = sentence_span(index.text, pos, FULL_STOPS)
    stated = [p for p in index.periods if sent[0] <= p[0] < pos and not _is_base_year(index.text, p[0])]
    if not stated:
        return None, ""
    said = stated[-1][2]
    if said in _RELATIVE_YEARS:
        if report_year is None or index.outline.section_at(pos) == "plans":
            return None, ""  # 全年 of a plan is the plan year; without the report year there is no telling
        said = f"{report_year}年"
    period = to_halfwidth(metric.period).strip()
    bare, said_year = _BARE_YEAR.fullmatch(period), _BARE_YEAR.fullmatch(said)
    if _PARTIAL_PERIOD.search(said):
        if bare:
            return False, f"the source states {said}, not the full year {period}"
        months = re.sub(r"^\d{4}年", "", period)
        if _PARTIAL_PERIOD.search(months) and months != re.sub(r"^\d{4}年", "", said):
            return False, f"the source states {said}, not {period}"
        return True, ""
    if said_year and bare and said_year.group(1) != bare.group(1):
        return False, f"the source states {said}, not {period}"
    if said_year and _PARTIAL_PERIOD.search(period):
        return False, f"the source states the year {said}, not {period}"
    return True, ""


def _is_base_year(text: str, start: int) -> bool:
    """较2022年增长8家: 2022 is what is compared against, not the period."""
    return text[max(0, start - 2) : start].endswith(("较", "比", "与", "同", "比上"))
