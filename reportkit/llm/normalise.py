"""Deterministic repairs between the model's answer and the checks: what the source settles is settled here. Raw answer + chunk → answer + notes.

Real models answer in the right shape with the wrong surface: the JSON behind a ``<think>`` block,
a fence or a sentence; the arguments nested under the schema's name; ``"1,200"`` for 1200;
13420000000 元 where the quote says 134.2亿元; 0.052 for 5.2%; ％, percent, 亿 for 亿元; 同比增长
for growth_rate; 2024年 for "2024". None of that is worth a re-ask: each repair here is decided by
the text itself (the quote's own figure, its unit as written), never by a guess, and a metric
whose value had to be rescaled says so in a note that ends up in its check detail. What the text
does not settle is left alone for the checks to reject. Nothing here does I/O.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from ..lexicon import KIND_WORDS, PERIOD_YEAR_SUFFIXES, UNIT_SYNONYMS, to_halfwidth
from ..numbers import Quantity, find_quantities, parse_number

KINDS = ("actual", "growth_rate", "completion_rate", "target", "share", "count", "other")
_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.S | re.I)
_OPEN_THINK = re.compile(r"^\s*<(think|thinking|reasoning)>.*", re.S | re.I)  # never closed: no answer inside
_FENCE = re.compile(r"```[a-zA-Z]*\s*\n?(.*?)```", re.S)
_NUMBER = re.compile(r"^[+\-\u2212]?\d+(?:\.\d+)?")
_SEPARATORS = re.compile(r"(?<=\d)[,\s_'\u2009\u202f](?=\d{3}\b|\d{3}[^\d])")
_MINUS = "-\u2212\u2013\uff0d"
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})(?![0-9])[日号]?")
_TITLE_MARKS = "《》〈〉\"'“”「」"


@dataclass(frozen=True)
class Repaired:
    """A metric entry after normalisation, and what was changed that the user should see."""

    entry: Any
    note: str = ""


# --- the raw text ----------------------------------------------------------------------------------


def answer_json(text: str) -> Any:
    """The JSON value inside a model's raw answer, or None when there is none.

    Drops ``<think>…</think>`` blocks, then reads a fenced block if there is one, else the first
    JSON object or array in the text, so leading and trailing prose does not matter.
    """
    text = _THINK.sub("", text or "")
    if _OPEN_THINK.match(text):
        return None
    for fenced in _FENCE.findall(text):
        value = _first_json(fenced)
        if value is not None:
            return value
    return _first_json(text)


def _first_json(text: str) -> Any:
    decoder = json.JSONDecoder()
    for i, c in enumerate(text):
        if c in "{[":
            try:
                value, _ = decoder.raw_decode(text, i)
            except ValueError:
                continue
            if isinstance(value, (dict, list)):
                return value
    return None


def unwrap(data: Any, fields: tuple[str, ...]) -> Any:
    """The answer itself when a model nested it under one key (its schema's name, ``arguments`` …)."""
    for _ in range(3):  # {"ReviewExtraction": {"arguments": "{...}"}} happens
        if not isinstance(data, dict) or len(data) != 1 or next(iter(data)) in fields:
            return data
        inner = next(iter(data.values()))
        if isinstance(inner, str):
            parsed = answer_json(inner)
            inner = parsed if isinstance(parsed, dict) else inner
        if not isinstance(inner, dict) or not set(inner) & set(fields) and len(inner) != 1:
            return data
        data = inner
    return data


def truncated_entries(text: str) -> Any:
    """The longest prefix of a cut-off JSON answer that ends after a complete entry, closed and parsed.

    An answer cut at ``max_tokens`` ends inside an entry; everything up to the last ``}`` that
    closes an entry is kept, the open brackets are closed, and the result parsed. None when not
    even one entry is complete.
    """
    text = _THINK.sub("", text or "")
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if start < 0:
        return None
    body = text[start:]
    stack: list[str] = []
    in_string = escaped = False
    cuts: list[tuple[int, str]] = []
    for i, c in enumerate(body):
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
            continue
        if c == '"':
            in_string = True
        elif c in "{[":
            stack.append("}" if c == "{" else "]")
        elif c in "}]" and stack:
            stack.pop()
            if c == "}" and stack and stack[-1] == "]":  # an entry of a list just closed
                cuts.append((i + 1, "".join(reversed(stack))))
    for end, closers in reversed(cuts):
        try:
            return json.loads(body[:end] + closers)
        except ValueError:
            continue
    return None


# --- one metric ------------------------------------------------------------------------------------


def number(value: Any) -> tuple[float | None, str]:
    """(value, unit written after it) of what a model put in ``value``: 5.2, "1,200", "５．２%", "百分之十二"."""
    if isinstance(value, bool) or value is None:
        return None, ""
    if isinstance(value, (int, float)):
        return (float(value), "") if math.isfinite(value) else (None, "")
    if not isinstance(value, str):
        return None, ""
    text = _SEPARATORS.sub("", to_halfwidth(value).strip()).replace("\u2212", "-")
    parsed = parse_number(text)
    if parsed is not None:
        return parsed, "%" if text.startswith("百分之") else ""
    m = _NUMBER.match(text)
    if m is None:
        return None, ""
    tail = text[m.end():].strip()
    return float(m.group().replace("+", "")), tail


def unit_as_written(unit: Any) -> str:
    """A model's unit with its synonyms folded: ％ → %, percent → %, pp → 个百分点."""
    return _unit_as_written(unit) if isinstance(unit, str) else ""


@functools.lru_cache(maxsize=1024)
def _unit_as_written(unit: str) -> str:
    """Kept per spelling: a batch's units are a few dozen, each compared several times per entry."""
    u = to_halfwidth(unit).strip()
    return UNIT_SYNONYMS.get(u.lower(), u)


def kind_of(word: Any) -> Any:
    """The schema's kind for what a model wrote (同比增长 → growth_rate); unknown words unchanged."""
    return _kind_of(word) if isinstance(word, str) else word


@functools.lru_cache(maxsize=1024)
def _kind_of(word: str) -> str:
    """Kept per word: an answer repeats a handful of kinds over all its entries."""
    w = to_halfwidth(word).strip().lower().replace("-", "_")
    if w in KINDS:
        return w
    for kind, words in KIND_WORDS.items():
        if w in words:
            return kind
    for kind, words in KIND_WORDS.items():  # a compound (目标增速) is named by its first listed stem
        if any(len(stem) > 1 and stem in w for stem in words if not stem.isascii()):
            return kind
    return word


def period_of(period: Any) -> Any:
    """A year written with its suffix (2024年, 2024年度, FY2024) as the schema writes it ("2024")."""
    if isinstance(period, int) and 1900 <= period <= 2100:
        return str(period)
    return _period_of(period) if isinstance(period, str) else period


@functools.lru_cache(maxsize=1024)
def _period_of(period: str) -> str | None:
    """Kept per spelling: an answer's periods are a few years and ranges, each on many entries."""
    p = to_halfwidth(period).strip()
    if p.lower() in ("", "null", "none", "n/a", "无", "-"):
        return None
    p = _FISCAL.sub("", p)
    p = _MONTHS.sub(r"\1年\2-\3月", p)
    return p[:4] if _YEAR_ONLY.fullmatch(p) else p


_FISCAL = re.compile(r"^(?:FY|fy)\s*")
_MONTHS = re.compile(r"(\d)\s*年\s*(\d{1,2})\s*月?\s*(?:至|到|-|~|—|－)\s*(\d{1,2})\s*月")
_YEAR_ONLY = re.compile(r"(?:19|20)\d{2}\s*(?:" + "|".join(re.escape(s) for s in PERIOD_YEAR_SUFFIXES) + ")")
"""A year and nothing but one of its suffixes (2024年度): the period is the year."""


@functools.lru_cache(maxsize=4096)
def quote_figures(quote: str) -> tuple[Quantity, ...]:
    """The figures of a quote, Arabic and Chinese (``find_quantities(quote, chinese=True)``), kept:
    an entry's quote is read by the repair here and by its checks in ``answers``, and a re-ask or a
    cached answer brings the same quotes back. Quantities are frozen, so sharing them is safe."""
    return tuple(find_quantities(quote, chinese=True))


def metric(entry: Any, chunk: str | None = None) -> Repaired:
    """One metric entry with its value, unit, kind and period put as the source writes them.

    The value is read from strings and compared with the figures in the entry's quote: a figure
    with the same value gives its unit as written; one that the value equals after rescaling
    (13420000000 元 for 134.2亿元) or as a fraction (0.052 for 5.2%) replaces the value, with a note;
    a minus sign follows the quote (增长-1.5% → -1.5; 下降3.2% → 3.2).
    """
    if not isinstance(entry, dict):
        return Repaired(entry)
    e = dict(entry)
    value, tail = number(e.get("value"))
    if value is None and e.get("value") in (None, "") and isinstance(e.get("value_text"), str):
        value, tail = number(e["value_text"])
    if value is None:
        return Repaired(e)
    unit = unit_as_written(e.get("unit"))
    if not unit and tail:
        unit = unit_as_written(tail)
    e["value"], e["unit"] = value, unit
    if "kind" in e:
        e["kind"] = kind_of(e["kind"])
        if e["kind"] is None:
            e.pop("kind")
    if "period" in e:
        e["period"] = period_of(e["period"])
    if isinstance(e.get("qualifier"), str) and not e["qualifier"].strip():
        e["qualifier"] = None
    quote = e.get("quote")
    if not isinstance(quote, str) or not quote.strip():
        return Repaired(e)
    figures = quote_figures(quote)
    hit, note = _resolve(value, unit, figures)
    if hit is None:
        return Repaired(e)
    e["value"] = hit.value
    written = to_halfwidth(hit.unit)
    # the unit as the quote writes it (亿元 for 亿, % for ％); of two spellings of one unit the
    # longer, since the figure reader may stop short of a unit it does not know (1.6百分点)
    if note or not unit or (_same_unit(unit, written) and len(written) >= len(unit)):
        e["unit"] = written
    given = e.get("value_text")
    if not (isinstance(given, str) and given and given in quote and parse_number(given) in (hit.value, abs(hit.value))):
        e["value_text"] = hit.value_text
    return Repaired(e, note)


def _resolve(value: float, unit: str, figures: tuple[Quantity, ...]) -> tuple[Quantity | None, str]:
    """The quote's figure that ``value`` (in ``unit``) states, and a note when it had to be converted."""
    for q in figures:
        if _close(q.value, value) and (not unit or _same_unit(unit, to_halfwidth(q.unit)) or len(figures) == 1):
            return q, ""
    for q in figures:
        if _close(q.value, value):
            return q, ""
    for q in figures:
        if _close(abs(q.value), abs(value)):
            return q, ""  # the sign is the source's: a written minus stays, a decline in words does not
    scale, base = _split(unit)
    for q in figures:
        if q.scale == 1.0 and scale == 1.0:
            continue
        if (not base or base == q.base_unit) and _close(value * scale, q.value * q.scale):
            shown = f"{value:.15g} {unit}".strip()
            return q, f"normalised: the model's {shown} is {q.value_text}{q.unit} as the quote writes it"
    for q in figures:
        if to_halfwidth(q.unit) == "%" and unit in ("", "%") and _close(value * 100, q.value) and value != q.value:
            return q, ""
    return None, ""


def _split(unit: str) -> tuple[float, str]:
    from ..numbers import _split_unit  # the figure reader's own notion of scale words

    return _split_unit(unit) if unit else (1.0, "")


def _same_unit(given: str, written: str) -> bool:
    """亿 and 亿元, 百分点 and 个百分点, % and ％ are the same unit spelled two ways."""
    g, w = unit_as_written(given), unit_as_written(written)
    return g == w or (bool(g) and (w.startswith(g) or w.endswith(g) or g.startswith(w)))


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


# --- items and meta --------------------------------------------------------------------------------


def title_in(value: Any, header: str | None) -> Any:
    """A title as the header writes it: 《》 and quotation marks added or dropped to match."""
    if not isinstance(value, str) or header is None or value in header:
        return value
    bare = value.strip(_TITLE_MARKS + " ")
    return bare if bare and bare in header else value


def date_in(value: Any, header: str | None) -> Any:
    """A date in any format (2024-01-09, 2024/1/9, 2024年1月9日) as the header writes it."""
    if not isinstance(value, str) or header is None or value in header:
        return value
    wanted = _DATE.search(to_halfwidth(value))
    if wanted is None:
        return value
    y, m, d = (int(x) for x in wanted.groups())
    for found in _DATE.finditer(to_halfwidth(header)):
        if tuple(int(x) for x in found.groups()) == (y, m, d):
            end = found.end()
            time = re.match(r"\s*\d{1,2}:\d{2}(?::\d{2})?", header[end:])
            if time and re.search(r"\d{1,2}:\d{2}", value):
                end += time.end()
            return header[found.start() : end]
    return value
