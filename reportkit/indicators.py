"""Standard indicators: which one a metric reports, from its wording. Metric name, kind, unit → indicator id.

One deterministic mapper serves both engines after extraction (never a second model call). A
metric names an indicator when its wording, less the genre's wrapping (a subject or verb before
it, a rate, target or stock word after it, 规模以上 written 规上; see ``lexicon``), is the
indicator's name or one of its aliases, and its unit fits: a level in the indicator's unit family
(money in 元, counts in 个/家/户, people in 人 …) or a rate in %. Anything else stays null, so a
sub-figure (签约亿元以上项目协议总投资) or a neighbour (12345热线工单按期办结率) is never mistaken for
the standard indicator. A bare rate word (``同比增长``) takes the indicator written before it in the
same sentence: 一般公共预算收入8.6亿元，同比增长5.2%.

The vocabulary is data (``reportkit/data/indicators.json``); extend it with your own file of the
same shape via ``load_vocabulary(path)``, ``Settings(indicators=path)`` or ``REPORTKIT_INDICATORS``.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from . import lexicon
from .errors import ConfigError
from .numbers import find_quantities, parse_quantity

if TYPE_CHECKING:
    from .schema import Report

log = logging.getLogger("reportkit")

FAMILIES = ("money", "percent", "count", "people", "area", "other")
# numbers.py unit families that a level of each indicator family may be written in
_LEVEL_UNIT_FAMILIES: dict[str, frozenset[str]] = {
    "money": frozenset({"money"}),
    "percent": frozenset({"percent", "points"}),
    "count": frozenset({"count", "households"}),
    "people": frozenset({"people"}),
    "area": frozenset({"area"}),
}
_LIMIT = 400  # forms explored per name; names are short, this only guards pathological input
_PARENS = re.compile(f"[{lexicon.PAREN_OPEN_CLASS}][^{lexicon.PAREN_CLOSE_CLASS}]*[{lexicon.PAREN_CLOSE_CLASS}]?")
_YEARISH = re.compile(r"^(\d{4}年(度)?|\d{1,2}(-\d{1,2})?月(份)?|\d{1,2}月底)")
_WRAPPING_LONGEST_FIRST = tuple(sorted({*lexicon.INDICATOR_PREFIXES, *lexicon.INDICATOR_SUFFIXES,
                                        *lexicon.INDICATOR_PART_WORDS}, key=len, reverse=True))
# The wrapping words by their first (last) character, in the lexicon's order: a name is tried
# against the few that can start (end) it, not all of them.
_PREFIXES_BY_FIRST: dict[str, tuple[str, ...]] = {}
_SUFFIXES_BY_LAST: dict[str, tuple[str, ...]] = {}
for _w in lexicon.INDICATOR_PREFIXES:
    _PREFIXES_BY_FIRST[_w[:1]] = _PREFIXES_BY_FIRST.get(_w[:1], ()) + (_w,)
for _w in lexicon.INDICATOR_SUFFIXES:
    _SUFFIXES_BY_LAST[_w[-1:]] = _SUFFIXES_BY_LAST.get(_w[-1:], ()) + (_w,)
_LONGEST_PREFIXES_BY_FIRST = {c: tuple(sorted(ws, key=len, reverse=True)) for c, ws in _PREFIXES_BY_FIRST.items()}
_LONGEST_SUFFIXES_BY_LAST = {c: tuple(sorted(ws, key=len, reverse=True)) for c, ws in _SUFFIXES_BY_LAST.items()}
_STRIP_CHARS = lexicon.SPACES + lexicon.QUOTE_MARKS + lexicon.COMMAS + lexicon.ENUMERATION_COMMA + "、"
# One C-level pass: str.translate on CJK text pays a dict lookup for every character (a 400-character
# context took ~140 us, the figure's whole mapping a few).
_STRIP_RE = re.compile("[" + "".join(map(re.escape, sorted(set(_STRIP_CHARS)))) + "]")
# How far back a figure's sentence is read for the subject it leaves out. The corpus's longest such
# stretch is 160 characters; a text without sentence breaks (a log, a run-on line) would otherwise
# make every figure read everything before it, and the whole mapping quadratic.
_CONTEXT_CHARS = 400
# The last sentence break of a stretch, found by one C-level match (greedy, so it ends just after
# the last one), not by one rfind per break character.
_UP_TO_LAST_BREAK = re.compile("(?s).*[" + "".join(map(re.escape, sorted(set(lexicon.SENTENCE_BREAKS)))) + "]")


@dataclass(frozen=True)
class Indicator:
    """One standard indicator: a stable id, its standard name, other wordings, and its unit family."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    family: str = "other"


@dataclass(frozen=True)
class Vocabulary:
    """A set of standard indicators, indexed by their folded wordings."""

    indicators: tuple[Indicator, ...]
    _index: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _by_id: dict[str, Indicator] = field(default_factory=dict, init=False, repr=False, compare=False)
    # tail of a wording (3+ characters) → (the head before it, id): 总产量 → (粮食, grain_output)
    _tails: dict[str, list[tuple[str, str]]] = field(default_factory=dict, init=False, repr=False, compare=False)
    # every wording reversed, longest first, as one pattern: its first match in a reversed context
    # is the wording that ends last there (the longest on a tie), found in one C-level pass
    _last_wording: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for ind in self.indicators:
            self._by_id[ind.id] = ind
            for wording in (ind.name, *ind.aliases):
                key = fold(wording)
                if key and key not in self._index:  # earlier (shipped) entries win a clash
                    self._index[key] = ind.id
        for key, ident in self._index.items():
            for cut in range(1, len(key) - 2):
                self._tails.setdefault(key[cut:], []).append((key[:cut], ident))
        if self._index:
            reversed_words = sorted((key[::-1] for key in self._index), key=len, reverse=True)
            object.__setattr__(self, "_last_wording", re.compile("|".join(map(re.escape, reversed_words))))

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    def __len__(self) -> int:
        return len(self.indicators)

    def get(self, indicator_id: str) -> Indicator | None:
        """The indicator with this id, or None."""
        return self._by_id.get(indicator_id)

    def family(self, indicator_id: str) -> str:
        """The unit family of an indicator (``other`` for an unknown id)."""
        ind = self._by_id.get(indicator_id)
        return ind.family if ind else "other"

    def lookup(self, wording: str) -> str | None:
        """The id whose name or alias is exactly this (folded) wording."""
        return self._index.get(fold(wording))

    def extended(self, entries: Iterable[Mapping[str, Any]] | "Vocabulary") -> "Vocabulary":
        """This vocabulary plus ``entries``: a known id gains aliases (and may change name or
        family), a new id is added."""
        extra = entries.indicators if isinstance(entries, Vocabulary) else tuple(_indicator(e, "entries") for e in entries)
        merged = {ind.id: ind for ind in self.indicators}
        for ind in extra:
            old = merged.get(ind.id)
            if old is None:
                merged[ind.id] = ind
            else:
                aliases = tuple(dict.fromkeys((*old.aliases, *ind.aliases)))
                merged[ind.id] = Indicator(ind.id, ind.name or old.name, aliases, ind.family or old.family)
        return Vocabulary(tuple(merged.values()))


def _indicator(entry: Mapping[str, Any], where: str) -> Indicator:
    try:
        ident, name = str(entry["id"]), str(entry.get("name", ""))
        aliases = tuple(str(a) for a in entry.get("aliases", ()))
        family = str(entry.get("family", "other"))
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f"{where}: every indicator needs an 'id' (and may have 'name', 'aliases', 'family'); got {entry!r}"
        ) from exc
    if family not in FAMILIES:
        raise ConfigError(f"{where}: indicator {ident!r} has family {family!r}; use one of {', '.join(FAMILIES)}")
    return Indicator(ident, name, aliases, family)


def _parse(data: Any, where: str) -> tuple[Indicator, ...]:
    entries = data.get("indicators") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ConfigError(f'{where}: expected {{"indicators": [{{"id": …, "name": …, "aliases": […], "family": …}}]}}')
    return tuple(_indicator(e, where) for e in entries)


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The shipped vocabulary (``reportkit/data/indicators.json``)."""
    text = resources.files("reportkit").joinpath("data/indicators.json").read_text(encoding="utf-8")
    return Vocabulary(_parse(json.loads(text), "reportkit/data/indicators.json"))


def load_vocabulary(path: str | os.PathLike[str], *, extend: bool = True) -> Vocabulary:
    """Read your own indicator file (the shape of ``reportkit/data/indicators.json``).

    Args:
        path: a JSON file ``{"indicators": [{"id", "name", "aliases", "family"}, …]}``.
        extend: add to the shipped vocabulary (default); False uses your file alone.

    Raises:
        ConfigError: the file is missing or not in that shape.
    """
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"indicator file {p}: cannot read it as JSON ({exc}); fix the path or the file") from exc
    own = Vocabulary(_parse(data, f"indicator file {p}"))
    return default_vocabulary().extended(own) if extend else own


def vocabulary_for(settings: Any = None) -> Vocabulary:
    """The vocabulary a run uses: ``settings.indicators`` or ``REPORTKIT_INDICATORS`` extends the shipped one."""
    path = getattr(settings, "indicators", None) if settings is not None else None
    path = path or os.environ.get("REPORTKIT_INDICATORS") or None
    return load_vocabulary(path) if path else default_vocabulary()


# --- Folding and stripping -----------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def fold(wording: str) -> str:
    """A wording in its comparable form: half-width, no spaces, quotes or brackets' contents,
    规模以上 → 规上, fillers (12345, 群众, 工单) removed."""
    s = lexicon.to_halfwidth(wording)
    s = _PARENS.sub("", s)
    s = _STRIP_RE.sub("", s)
    for long, short in lexicon.INDICATOR_ABBREVIATIONS:
        s = s.replace(long, short)
    for filler in lexicon.INDICATOR_FILLERS:
        s = s.replace(filler, "")
    return s.upper() if s.isascii() else s


def _last_clause(name: str) -> str:
    """The statement a name ends with: engines sometimes keep the lead-in (深化改革，12345热线满意率)."""
    parts = [p for p in lexicon.CLAUSE_BREAK_RE.split(lexicon.to_halfwidth(name)) if p.strip(_STRIP_CHARS)]
    last = parts[-1] if parts else ""
    for word in lexicon.INDICATOR_PART_WORDS:
        head, _, part = last.rpartition(word)
        if head and part:
            last = part
    return last


@lru_cache(maxsize=8192)
def _forms(name: str) -> tuple[str, ...]:
    """The name with ever more of its wrapping removed, least stripped first."""
    start = fold(_last_clause(name))
    seen, queue, out = {start}, [start], []
    while queue and len(out) < _LIMIT:
        s = queue.pop(0)
        out.append(s)
        nxt = []
        year = _YEARISH.match(s)
        if year:
            nxt.append(s[year.end() :])
        nxt += [s[len(p) :] for p in _PREFIXES_BY_FIRST.get(s[:1], ()) if s.startswith(p) and len(s) > len(p)]
        nxt += [s[: -len(w)] for w in _SUFFIXES_BY_LAST.get(s[-1:], ()) if s.endswith(w) and len(s) > len(w)]
        for n in nxt:
            if n not in seen:
                seen.add(n)
                queue.append(n)
    return tuple(out)


@lru_cache(maxsize=8192)
def _is_bare(name: str) -> bool:
    """True when the name is nothing but wrapping (同比增长, 完成全年目标的): it has no subject of its own."""
    s = fold(_last_clause(name))
    while s:
        year = _YEARISH.match(s)
        cut = next((w for w in _LONGEST_PREFIXES_BY_FIRST.get(s[:1], ()) if s.startswith(w)), None)
        if year:
            s = s[year.end() :]
        elif cut:
            s = s[len(cut) :]
        else:
            break
    while s:
        cut = next((w for w in _LONGEST_SUFFIXES_BY_LAST.get(s[-1:], ()) if s.endswith(w)), None)
        if cut is None:
            break
        s = s[: -len(cut)]
    return not s


@lru_cache(maxsize=4096)
def _unit_fits(family: str, unit: str) -> bool:
    """A rate (%, 个百分点, 倍) fits every indicator; a level must be in the indicator's unit family.

    Cached: a document has a few dozen units, and parsing one is the dearest step of a lookup."""
    unit = lexicon.to_halfwidth(unit.strip())
    if unit in lexicon.RATE_UNITS:
        return True
    if family == "other":
        return True
    if not unit:
        return False
    q = parse_quantity(f"1{unit}")
    return q is not None and q.family in _LEVEL_UNIT_FAMILIES.get(family, frozenset())


def indicator_for(name: str, unit: str = "", *, context: str = "", vocabulary: Vocabulary | None = None) -> str | None:
    """The standard indicator a metric reports, or None.

    Args:
        name: the metric's name (地区生产总值增长, 全年实现社零总额, 固投完成全年目标).
        unit: its unit as written; a level must be in the indicator's unit family.
        context: the source text before the figure in the same sentence: a bare rate word
            (同比增长) takes the indicator named there, and a name that leaves out the sentence's
            subject (总产量 after 粮食播种面积…) takes it back.
        vocabulary: default: the shipped one.

    Example:
        >>> indicator_for("全年实现规模以上工业总产值同比增长", "%")
        'industrial_output'
    """
    vocab = vocabulary or default_vocabulary()
    for form in _forms(name):
        ident = vocab._index.get(form)
        if ident is not None:
            return ident if _unit_fits(vocab.family(ident), unit) else None
    if context and _is_bare(name):
        ident = _last_named(context, vocab)
        if ident is not None and _unit_fits(vocab.family(ident), unit):
            return ident
    if context:
        ident = _shared_subject(name, context, vocab)
        if ident is not None:
            return ident if _unit_fits(vocab.family(ident), unit) else None
    return _after_a_verb(name, unit, vocab)


def _shared_subject(name: str, context: str, vocab: Vocabulary) -> str | None:
    """A name that leaves out the subject the sentence gave earlier: 粮食播种面积6.2万亩，总产量2.48万吨
    (总产量 = 粮食总产量), 12345热线工单按期办结率99.1%，群众满意率97.6%. The name must be the tail of a
    wording (three characters at least) whose head the sentence names before it; a head that is only
    wrapping (新增 of 新增规上工业企业, before 规上工业企业总数) is no subject."""
    ctx: str | None = None  # folded only when a wording's tail matches: most names ask nothing of it
    best: tuple[int, str] | None = None
    for form in _forms(name):
        for head, ident in vocab._tails.get(form, ()):
            if head not in lexicon.INDICATOR_PREFIXES:  # 新增 is no subject
                ctx = fold(context) if ctx is None else ctx
                at = ctx.rfind(head)
                if at >= 0 and (best is None or at > best[0]):
                    best = (at, ident)
        if best is not None:
            return best[1]
    return None


def _after_a_verb(name: str, unit: str, vocab: Vocabulary) -> str | None:
    """An engine's name that runs two statements together (新增规上工业企业完成工业技改投资): the
    statement after the last verb that opens one, when it alone names an indicator."""
    s = fold(_last_clause(name))
    cuts = sorted({i + len(v) for v in lexicon.INDICATOR_CLAUSE_VERBS if v in s for i in _find_all(s, v) if i > 0}, reverse=True)
    for cut in cuts:
        for form in _forms(s[cut:]):
            ident = vocab._index.get(form)
            if ident is not None:
                return ident if _unit_fits(vocab.family(ident), unit) else None
    return None


def _find_all(s: str, word: str) -> list[int]:
    out, at = [], s.find(word)
    while at >= 0:
        out.append(at)
        at = s.find(word, at + 1)
    return out


def _last_named(context: str, vocab: Vocabulary) -> str | None:
    """The indicator named last in ``context`` (the longest wording on a tie), provided nothing but
    its own figures and wrapping words follow it: in 规上工业总产值52亿元，其中高新技术产业产值30亿元，
    a following 同比增长 is the high-tech output's, not the standard indicator's."""
    s = fold(context)
    found = vocab._last_wording.search(s[::-1]) if vocab._last_wording is not None else None
    if found is None:
        return None
    end = len(s) - found.start()  # the latest end of any wording, and at it the longest wording
    if _names_another(s[end:]):
        return None
    return vocab._index[found.group(0)[::-1]]


def _names_another(rest: str) -> bool:
    """True when ``rest`` (after an indicator's name) holds words beyond figures and wrapping."""
    for q in reversed(find_quantities(rest)):
        rest = rest[: q.start] + rest[q.end :]
    for word in _WRAPPING_LONGEST_FIRST:
        rest = rest.replace(word, "")
    return sum(1 for c in rest if lexicon.is_cjk(c)) > 1


def _sentence_before(text: str, pos: int) -> str:
    """The sentence before ``pos``, its last ``_CONTEXT_CHARS`` characters at most."""
    lo = max(0, pos - _CONTEXT_CHARS)
    last = _UP_TO_LAST_BREAK.match(text, lo, pos)
    return text[last.end() if last else lo : pos]


def _context(metric: Any, text: str | None) -> str:
    if text is not None and metric.span is not None:
        return _sentence_before(text, metric.span[0])
    token = metric.value_text or f"{metric.value:g}"
    at = metric.quote.find(token)
    return _sentence_before(metric.quote, at) if at > 0 else ""


def assign_indicators(report: "Report", *, text: str | None = None, vocabulary: Vocabulary | None = None) -> "Report":
    """The report with ``indicator`` set on every metric (the id, or None).

    Args:
        report: a Report from either engine (or read back from JSON).
        text: the source text (``Document.text``): lets a bare rate word take the indicator written
            before it in the sentence; without it the metric's own quote is used.
        vocabulary: default: the shipped one (see ``load_vocabulary``).
    """
    vocab = vocabulary or default_vocabulary()
    metrics = [
        m.model_copy(update={"indicator": indicator_for(m.name, m.unit, context=_context(m, text), vocabulary=vocab)})
        for m in report.metrics
    ]
    found = sum(1 for m in metrics if m.indicator)
    log.debug("indicators: %d of %d metrics name a standard indicator", found, len(metrics))
    return report.model_copy(update={"metrics": metrics})
