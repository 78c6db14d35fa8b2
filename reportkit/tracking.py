"""Last year's targets against this year's actuals, for one organisation. Reports → TargetLinks and Revisions.

The reports are sorted by ``report_year`` and by how much of the year they cover (a 1-6月 report
before the annual one). Each standard-indicator target an earlier report sets for its plan year
is linked to the figure a later report of that year states for the same indicator, and judged:

* no figure for the indicator in that year → ``not_reported``;
* the later report covers part of the year (上半年, 1-6月, 前三季度) → ``not_comparable``: an
  annual target is judged on the full year; its 完成全年目标% is shown as the actual;
* a growth target (``%`` on an indicator whose family is not percent: 地区生产总值增长6%左右)
  compares the stated growth rate, d = actual − target in points: d > 2 → ``exceeded``; d ≥ 0 →
  ``met`` (以上/不低于/突破 and a bare figure all need at least the target); −0.5 ≤ d < 0 with 左右
  → ``met`` (左右 tolerates 0.5 points below); otherwise ``missed``. No stated growth rate →
  ``not_comparable`` (a growth is never computed from two levels);
* a level target (money, counts, areas, people, and the % level of a percent indicator such as
  森林覆盖率) compares the stated level after unit scaling (万元 ↔ 亿元, 吨 ↔ 万吨), a = actual,
  t = target: a > 1.1·t → ``exceeded``; a ≥ t → ``met``; otherwise ``missed``. No level in a
  scalable unit → ``not_comparable``.

A decline (能耗下降3%; values are unsigned, the name says 下降) is compared in the target's
direction, and a bound (以内, 以下, 不超过: 降幅控制在5%以内) is met by staying at or under it.

A revision is a figure both reports state for the same indicator, kind and period with different
values (经普查修订, or a restated full-year target); outcomes always use the later report's figures.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Iterable, Literal, Optional, Sequence

from pydantic import BaseModel, ConfigDict, Field

from . import lexicon
from .errors import ReportkitError
from .indicators import Vocabulary, assign_indicators, default_vocabulary
from .numbers import find_periods, parse_quantity
from .schema import Metric, Report

log = logging.getLogger("reportkit")

Outcome = Literal["met", "missed", "exceeded", "not_reported", "not_comparable"]
OUTCOMES: tuple[str, ...] = ("met", "missed", "exceeded", "not_reported", "not_comparable")
LEVEL_KINDS = frozenset({"actual", "count", "share"})
GROWTH_TOLERANCE = 0.5  # points below a 左右 growth target that still count as met
EXCEEDED_POINTS = 2.0  # points above a growth target that count as exceeded
EXCEEDED_SHARE = 0.10  # share above a level target that counts as exceeded
_EPS = 1e-9
_YEAR = re.compile(r"^(\d{4})(?:年)?$")
_PART = re.compile(r"^(\d{4})年(?:(\d{1,2})-(\d{1,2})月|(上半年)|(下半年)|前([一二三两])季度|第([一二三四])季度)")
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_PUBLISHED = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})(?!\d)")


class OrganizationMismatchError(ReportkitError):
    """``track`` was given reports that name different organisations."""

    def __init__(self, message: str, *, organizations: Sequence[str]) -> None:
        self.organizations = list(organizations)
        super().__init__(message)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TargetLink(_Model):
    """One target of an earlier report, the later report's figure for it, and the verdict."""

    indicator: str = Field(..., description="Standard indicator id, e.g. gdp.")
    target: Metric = Field(..., description="The plan-section metric of the earlier report (kind target).")
    actual: Optional[Metric] = Field(None, description="The later report's metric for the same indicator and year, or null.")
    outcome: Outcome = Field(..., description="met | missed | exceeded | not_reported | not_comparable.")
    why: str = Field(..., description="One sentence with the numbers behind the outcome.")
    plan_report: Optional[str] = Field(None, description="Source of the report that set the target.")
    actual_report: Optional[str] = Field(None, description="Source of the report the actual is taken from.")


class Revision(_Model):
    """A figure that a later report restates with another value (the same indicator, kind and period)."""

    indicator: str
    kind: str
    period: Optional[str] = None
    earlier: Metric
    later: Metric
    earlier_report: Optional[str] = None
    later_report: Optional[str] = None
    why: str = ""


class Tracking(list[TargetLink]):
    """The links of ``track`` (a plain list of TargetLink) with the revisions found on the way."""

    def __init__(self, links: Iterable[TargetLink] = (), revisions: Iterable[Revision] = ()) -> None:
        super().__init__(links)
        self.revisions: list[Revision] = list(revisions)

    def to_dict(self) -> dict[str, list[dict[str, object]]]:
        """``{"links": [...], "revisions": [...]}`` in JSON-ready form."""
        return {"links": [ln.model_dump(mode="json") for ln in self],
                "revisions": [rv.model_dump(mode="json") for rv in self.revisions]}


@dataclass(frozen=True)
class _Span:
    """How much of its year a report covers: (year, last month) sorts 2025年1-6月 before 2025."""

    year: int
    end_month: int
    label: str

    @property
    def partial(self) -> bool:
        return self.end_month < 12


def period_span(period: str | None) -> tuple[int, int] | None:
    """(year, last month) of a period string: 2024 → (2024, 12), 2025年1-6月 → (2025, 6), else None."""
    if not period:
        return None
    p = lexicon.to_halfwidth(period)
    whole = _YEAR.match(p)
    if whole:
        return int(whole.group(1)), 12
    part = _PART.match(p)
    if not part:
        return None
    year = int(part.group(1))
    if part.group(3):
        return year, int(part.group(3))
    if part.group(4):
        return year, 6
    if part.group(5):
        return year, 12
    quarter = part.group(6) or part.group(7)
    return year, 3 * _CN[quarter]


def _title_part(report: Report, year: int) -> tuple[int, str] | None:
    """(last month, label) when the title names a part of the year: 峡岚街道2025年上半年工作总结."""
    for _, _, period in find_periods(report.meta.title or ""):
        bare = period if period[:1].isdigit() else f"{year}年{period}"
        span = period_span(bare)
        if span and span[0] == year and span[1] < 12:
            return span[1], bare
    return None


def coverage(report: Report) -> _Span:
    """The part of ``report_year`` a report covers: from its title (2025年上半年工作总结), else from
    its publication date (inside that year: part of it; after it: all of it), else from the
    periods of most of its figures."""
    year = report.meta.report_year
    assert year is not None
    titled = _title_part(report, year)
    if titled:
        return _Span(year, titled[0], titled[1])
    ends: dict[int, int] = {}
    for m in report.metrics:
        if m.kind == "target":
            continue
        span = period_span(m.period)
        if span and span[0] == year:
            ends[span[1]] = ends.get(span[1], 0) + 1
    written = _published_month(report)
    if written and written[0] == year and written[1] < 12 and report.meta.doc_type != "plan":
        # published inside the year it reports on: it cannot cover the whole year
        parts = {e: n for e, n in ends.items() if e < 12}
        end = max(parts, key=lambda e: (parts[e], -e)) if parts else max(1, written[1] - 1)
        return _Span(year, end, _label(report, year, end))
    if not ends or (written and written[0] > year):  # published after the year: the whole year
        return _Span(year, 12, str(year))
    inside = bool(written and written[0] == year)  # written in December: a tie goes to the part
    end = max(ends, key=lambda e: (ends[e], -e if inside else e))  # most figures decide
    return _Span(year, end, str(year) if end == 12 else _label(report, year, end))


def _published_month(report: Report) -> tuple[int, int] | None:
    """(year, month) of ``meta.published`` as written (2025-07-09, 2025年7月9日), else None."""
    found = _PUBLISHED.search(lexicon.to_halfwidth(report.meta.published or ""))
    return (int(found.group(1)), int(found.group(2))) if found else None


def _label(report: Report, year: int, end: int) -> str:
    for m in report.metrics:
        span = period_span(m.period)
        if span == (year, end) and m.period:
            return m.period
    return f"{year}年1-{end}月"


def _plan_year(report: Report) -> int:
    """The year a report's targets are for: the next year, or the year itself for a plan."""
    year = report.meta.report_year or 0
    return year if report.meta.doc_type == "plan" else year + 1


def _target_year(metric: Metric, report: Report) -> int | None:
    span = period_span(metric.period)
    if span is None:
        return _plan_year(report) if metric.period is None else None
    return span[0] if span[1] == 12 and metric.period and _YEAR.match(lexicon.to_halfwidth(metric.period)) else None


def scaled(value: float, unit: str, to_unit: str) -> float | None:
    """``value`` in ``unit`` expressed in ``to_unit``; None when the units do not measure the same thing."""
    if lexicon.to_halfwidth(unit) == lexicon.to_halfwidth(to_unit):
        return float(value)
    a, b = parse_quantity(f"1{unit}"), parse_quantity(f"1{to_unit}")
    if a is None or b is None:
        return None
    (fa, ua), (fb, ub) = a.normalized, b.normalized
    if not ua or ua != ub:
        return None
    return float(value) * fa / fb


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def figure_text(m: Metric) -> str:
    return f"{_fmt(m.value)}{m.unit}"


_LEADING_QUALIFIERS = frozenset(lexicon.HEDGES_BEFORE + lexicon.TARGET_HEDGES)


def hedged_text(m: Metric) -> str:
    """The figure with its hedge where the genre writes it: 突破30亿元, 2000户以上."""
    q = m.qualifier or ""
    return f"{q}{figure_text(m)}" if q in _LEADING_QUALIFIERS else f"{figure_text(m)}{q}"


def _declines(m: Metric) -> bool:
    """True when the figure is a decline (…同比下降3.2%, 能耗降低3%): values are unsigned, the name says it."""
    return any(w in m.name for w in lexicon.DECLINE_WORDS)


def is_growth_target(target: Metric, vocabulary: Vocabulary | None = None) -> bool:
    """A target in % on an indicator that is not itself a percentage is a growth target."""
    vocab = vocabulary or default_vocabulary()
    unit = lexicon.to_halfwidth(target.unit)
    return unit == "%" and vocab.family(target.indicator or "") != "percent"


def judge(target: Metric, actual: Metric | None, *, partial: str | None = None,
          vocabulary: Vocabulary | None = None) -> tuple[str, str]:
    """The outcome of one target against one actual, and why (the rules of this module's docstring).

    Args:
        target: the target metric (kind target, with its indicator).
        actual: the later report's metric, or None.
        partial: the period label when the later report covers only part of the year.
    """
    growth = is_growth_target(target, vocabulary)
    down = _declines(target)
    wording = f"{'下降' if down else '增长'}{hedged_text(target)}" if growth else hedged_text(target)
    upper = target.qualifier in lexicon.UPPER_BOUND_QUALIFIERS
    if actual is None:
        return "not_reported", f"target {wording}: the later report states no figure for it"
    if partial or (period_span(actual.period) or (0, 12))[1] < 12:
        label = partial or actual.period
        head = "half-year" if (period_span(label) or (0, 0))[1] == 6 else "partial-year"
        so_far = (f"{figure_text(actual)} of the annual target {wording} done" if actual.kind == "completion_rate"
                  else f"{figure_text(actual)} ({actual.kind}) so far against the annual target {wording}")
        return "not_comparable", f"{head} report ({label}): {so_far}; an annual target is judged on the full year"
    if growth:
        if actual.kind != "growth_rate" or lexicon.to_halfwidth(actual.unit) != "%":
            return "not_comparable", (f"growth target {wording}, but the later report states only "
                                      f"{figure_text(actual)} ({actual.kind}), not a growth rate")
        # both in the target's direction: a decline target (能耗下降3%) is met by declining at least as much
        a = actual.value if _declines(actual) == down else -actual.value
        d = a - target.value
        said = f"target {wording}, actual {'下降' if _declines(actual) else '增长' if down else ''}{figure_text(actual)}"
        if upper:  # 降幅收窄至5%以内: at most the target
            return ("met", f"{said}: within the bound") if d <= _EPS else ("missed", f"{said}: {_fmt(round(d, 6))} points over the bound")
        if d > EXCEEDED_POINTS + _EPS:
            return "exceeded", f"{said}: {_fmt(d)} points above, more than {_fmt(EXCEEDED_POINTS)}"
        if d >= -_EPS:
            return "met", f"{said}: at least the target ({'+' if d > _EPS else ''}{_fmt(round(d, 6))} points)"
        if target.qualifier == "左右" and d >= -GROWTH_TOLERANCE - _EPS:
            return "met", f"{said}: within {_fmt(GROWTH_TOLERANCE)} points ({_fmt(round(-d, 6))} below, 左右)"
        return "missed", f"{said}: {_fmt(round(-d, 6))} points short"
    if actual.kind not in LEVEL_KINDS:
        return "not_comparable", (f"level target {wording}, but the later report states only "
                                  f"{figure_text(actual)} ({actual.kind}), not a level")
    a = scaled(actual.value, actual.unit, target.unit)
    if a is None:
        return "not_comparable", f"level target {wording}, actual {figure_text(actual)}: the units do not compare"
    shown = figure_text(actual) + (f" = {_fmt(a)}{target.unit}" if actual.unit != target.unit else "")
    said = f"target {wording}, actual {shown}"
    if upper:  # 控制在…以内: at most the target
        return ("met", f"{said}: within the bound") if a <= target.value + _EPS else (
            "missed", f"{said}: {_fmt(a - target.value)}{target.unit} over the bound")
    line = target.value * (1 + EXCEEDED_SHARE)
    if a > line + _EPS:
        return "exceeded", f"{said}: more than 10% above ({_fmt(line)}{target.unit})"
    if a >= target.value - _EPS:
        return "met", f"{said}: at least the target, not more than 10% above ({_fmt(line)}{target.unit})"
    return "missed", f"{said}: {_fmt(target.value - a)}{target.unit} short"


def _choose(target: Metric, candidates: Sequence[Metric], partial: bool, vocab: Vocabulary) -> Metric | None:
    """The later report's figure to judge a target by: the kind of figure the target asks for."""
    if not candidates:
        return None
    growth = is_growth_target(target, vocab)

    def rank(m: Metric) -> tuple[int, int]:
        whole_year = 0 if (period_span(m.period) or (0, 0))[1] == 12 else 1  # 2024 before 2024年1-11月
        if partial and m.kind == "completion_rate":
            return 0, whole_year
        if growth and m.kind == "growth_rate" and lexicon.to_halfwidth(m.unit) == "%":
            return 1, whole_year
        if not growth and m.kind in LEVEL_KINDS and scaled(1.0, m.unit, target.unit) is not None:
            return 1, whole_year
        return (2 if m.kind != "completion_rate" else 3), whole_year

    return min(candidates, key=rank)  # min() keeps report order among equals


def _actual_candidates(report: Report, span: _Span, target: Metric, year: int, vocab: Vocabulary) -> list[Metric]:
    """Figures of the later report for the target's indicator and year (stocks only for states)."""
    target_stock = any(w in target.name for w in lexicon.INDICATOR_STOCK_WORDS)
    stock_ok = vocab.family(target.indicator or "") == "percent" or target_stock
    out = []
    for m in report.metrics:
        if m.indicator != target.indicator or m.kind == "target":
            continue
        if not target_stock and any(w in m.name for w in lexicon.INDICATOR_STOCK_WORDS):
            continue  # 高新技术企业总数53家 is no actual for 新认定10家: a stock is not the year's flow
        ps = period_span(m.period)
        if ps is None:
            # a stock stands for a state (森林覆盖率); an engine's bare 上半年 is the partial report's own span
            if (m.period is None and stock_ok) or (m.period is not None and span.partial):
                out.append(m)
            continue
        if ps[0] == year:  # in a partial report every figure of the year is a to-date figure
            out.append(m)
    return out


def organization_key(name: str | None) -> str | None:
    """The body a report speaks for, without its offices: 枫塘街道党工委、办事处 → 枫塘街道."""
    if not name:
        return None
    s = "".join(c for c in lexicon.to_halfwidth(name) if c not in lexicon.SPACES).removeprefix("中共")
    cuts = [i for i in (s.find(w) for w in lexicon.ORGANIZATION_SUFFIXES) if i > 0]
    s = s[: min(cuts)] if cuts else s
    return s.rstrip(lexicon.COMMAS + lexicon.ENUMERATION_COMMA) or None


def _prepared(reports: Iterable[Report], vocabulary: Vocabulary | None, check_organization: bool
              ) -> list[tuple[Report, _Span]]:
    vocab = vocabulary or default_vocabulary()
    items = list(reports)
    for r in items:
        if r.meta.report_year is None:
            raise ReportkitError(
                f"report {r.meta.source or r.meta.title or '?'} has no meta.report_year: set it "
                "(report.meta.report_year = 2024) before tracking")
    if check_organization:
        keys = {organization_key(r.meta.organization): r for r in items if r.meta.organization}
        if len(keys) > 1:
            named = "; ".join(f"{r.meta.organization} ({r.meta.source or r.meta.report_year})" for r in keys.values())
            raise OrganizationMismatchError(
                f"track() compares reports of one organisation, but these name different ones: {named}. "
                "Track each organisation separately, or pass check_organization=False if they are the same body",
                organizations=[str(r.meta.organization) for r in keys.values()])
    # reports made before indicators existed (or read from old JSON) get them now
    items = [r if any(m.indicator for m in r.metrics) else assign_indicators(r, vocabulary=vocab) for r in items]
    spans = [(r, coverage(r)) for r in items]
    return sorted(spans, key=lambda rs: (rs[1].year, rs[1].end_month, rs[0].meta.published or ""))


def track(reports: Iterable[Report], *, check_organization: bool = True,
          vocabulary: Vocabulary | None = None) -> Tracking:
    """Link each report's standard-indicator targets to the later report's actuals, and judge them.

    Args:
        reports: Reports of one organisation, in any order (two or more years, or a year and part
            of the next).
        check_organization: refuse reports that name different organisations (default).
        vocabulary: the indicator vocabulary (families decide growth vs level targets).

    Returns:
        A list of TargetLink in the order of the reports and of the targets within them; its
        ``revisions`` attribute lists the figures the later reports restated.

    Raises:
        OrganizationMismatchError: the reports name different organisations.
        ReportkitError: a report has no report_year.

    Example:
        >>> links = reportkit.track([report_2023, report_2024])
        >>> links[0].indicator, links[0].outcome, links[0].why
        ('gdp', 'met', 'target 增长6%左右, actual 5.7%: within 0.5 points (0.3 below, 左右)')
    """
    vocab = vocabulary or default_vocabulary()
    ordered = _prepared(reports, vocab, check_organization)
    links: list[TargetLink] = []
    for i, (plan, _) in enumerate(ordered):
        later = ordered[i + 1 :]
        for target in plan.metrics:
            if target.kind != "target" or not target.indicator:
                continue
            year = _target_year(target, plan)
            if year is None or year != _plan_year(plan):  # 预计全年… of the reviewed year is no plan target
                continue
            same_year = [(r, s) for r, s in later if s.year == year]
            if not same_year:
                continue
            report, span = max(same_year, key=lambda rs: rs[1].end_month)  # the fullest report of that year
            actual = _choose(target, _actual_candidates(report, span, target, year, vocab), span.partial, vocab)
            outcome, why = judge(target, actual, partial=span.label if span.partial else None, vocabulary=vocab)
            links.append(TargetLink(indicator=target.indicator, target=target, actual=actual, outcome=outcome,  # type: ignore[arg-type]
                                    why=why, plan_report=plan.meta.source, actual_report=report.meta.source))
    revised = _revisions(ordered)
    log.debug("track: %d links, %d revisions over %d reports", len(links), len(revised), len(ordered))
    return Tracking(links, revised)


def revisions(reports: Iterable[Report], *, check_organization: bool = True,
              vocabulary: Vocabulary | None = None) -> list[Revision]:
    """Figures a later report states again with another value: the same indicator, kind and period.

    Both a silent restatement (较上年的28.9亿元 where last year said 27.8亿元) and an announced one
    (经普查修订) count, and so does a restated target (完成全年目标42亿元 where the plan said 40亿元).
    """
    return _revisions(_prepared(reports, vocabulary, check_organization))


def _revisions(ordered: Sequence[tuple[Report, _Span]]) -> list[Revision]:
    out: list[Revision] = []
    for i, (early, _) in enumerate(ordered):
        for late, _ in ordered[i + 1 :]:
            used: set[int] = set()
            for em in early.metrics:
                if not em.indicator or em.period is None:
                    continue
                for j, lm in enumerate(late.metrics):
                    if j in used or (lm.indicator, lm.kind, lm.period) != (em.indicator, em.kind, em.period):
                        continue
                    v = scaled(lm.value, lm.unit, em.unit)
                    if v is None or abs(v - em.value) <= _EPS * max(1.0, abs(em.value)):
                        continue
                    used.add(j)
                    out.append(Revision(
                        indicator=em.indicator, kind=em.kind, period=em.period, earlier=em, later=lm,
                        earlier_report=early.meta.source, later_report=late.meta.source,
                        why=f"{em.period} {em.kind}: {figure_text(em)} earlier, {figure_text(lm)} later",
                    ))
                    break
    return out
