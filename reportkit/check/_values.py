"""Which source figures state a wanted value + unit, and how closely. Value + unit + SourceIndex → {figure: ValueMatch}.

A source figure matches at one of three levels:

- ``exact``: the same number in the same unit (超5亿元 for 5亿元; either end of 3-5万元; a unit whose
  base is left implicit, 6亿 for 6亿元);
- ``converted``: the same amount in the same base unit at another scale (1342000万元 or
  13420000000元 for 134.2亿元): the same figure, written differently;
- ``digits``: the same number at another scale or in another unit (134.2万元 for 134.2亿元,
  5% for 5个百分点): a unit mismatch.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from functools import lru_cache

from .. import lexicon
from ..index import Figure, SourceIndex, unit_key
from ..numbers import Quantity

_REL_TOL = 1e-9


def number_text(x: float) -> str:
    """A value as a person writes it: 134.2, 13420000000 (no exponent, no float noise)."""
    if 1 <= abs(x) < 1e15 and float(x).is_integer():
        return str(int(x))  # what the format below gives a whole number (most counts), for a tenth of its cost
    text = f"{x:.12f}".rstrip("0").rstrip(".")
    return text if abs(x) < 1e15 else f"{x:.12g}"


@lru_cache(maxsize=8192)
def as_quantity(value: float, unit: str, qualifier: str | None = None, value_text: str = "") -> Quantity:
    """A Quantity for a value + unit given outside any text (a metric), for the unit properties (kept: it is frozen)."""
    unit = lexicon.to_halfwidth(unit).strip()
    return Quantity(value, value_text or number_text(value), unit, qualifier, 0, 0, 0, 0, None)


@dataclass(frozen=True)
class ValueMatch:
    """How one source figure matches a wanted value: ``exact``, ``converted`` or ``digits``."""

    level: str
    note: str = ""  # what the reader should know: a conversion, a range end, an implicit unit


def matches(index: SourceIndex, want: Quantity, near: int | None = None, limit: int | None = None,
            among: Callable[[], list[int]] | None = None) -> dict[int, ValueMatch]:
    """The source figures (by position in ``index.figures``) that match ``want`` at some level.

    With ``limit``, at most that many places are weighed: a value like 1 or 2 is stated
    everywhere in a long report. They are the nearest to view offset ``near``; without ``near``,
    the places among the figures ``among()`` names first (a name's candidates from the word
    index), and the nearest to the start when none is.
    """
    ws, wb = unit_key(want.unit)
    valued, amounting = index.figures_valued(want.value), index.figures_amounting(want.value * ws, wb)
    if limit is not None and len(valued) + len(amounting) > limit:
        named = set(among()) & (set(valued) | set(amounting)) if near is None and among is not None else set()
        found = set(sorted(named)[:limit]) if named else _nearest(index, (valued, amounting), near or 0, limit)
    else:
        found = set(valued) | set(amounting)
    out = {}
    for i in found:
        m = _match(index.figures[i], want, (ws, wb))
        if m is not None:
            out[i] = m
    return out


def matches_inside(index: SourceIndex, want: Quantity, spans: list[tuple[int, int]]) -> dict[int, ValueMatch]:
    """The figures whose number stands inside one of ``spans`` (view offsets) and that match ``want``.

    What a quote states is read from the figures of the quote alone: a few, however often the
    value is stated elsewhere.
    """
    unit = unit_key(want.unit)
    out = {}
    for s, e in spans:
        for i in index.figures_between(s, e):
            f = index.figures[i]
            if f.quantity.number_end <= e and i not in out:
                m = _match(f, want, unit)
                if m is not None:
                    out[i] = m
    return out


def _nearest(index: SourceIndex, places: tuple[tuple[int, ...], ...], anchor: int, limit: int) -> set[int]:
    """The ``limit`` figures of ``places`` (each sorted, as the index keeps them) nearest view offset ``anchor``.

    Only ``limit`` places on either side of the anchor can be among the nearest, so a value stated
    a thousand times costs a bisection and 4 × ``limit`` distances, not a sort of all its places.
    """
    figs = index.figures
    split = index.figures_between(0, anchor).stop  # the first figure whose number starts at or after the anchor
    near: set[int] = set()
    for found in places:
        at = bisect_left(found, split)
        near.update(found[max(0, at - limit) : at + limit + 1])
    if len(near) <= limit:
        return near
    return set(sorted(near, key=lambda i: abs(figs[i].quantity.start - anchor))[:limit])


def _match(f: Figure, want: Quantity, want_unit: tuple[float, str]) -> ValueMatch | None:
    q, qs, qb = f.quantity, f.unit_scale, f.unit_base
    ws, wb = want_unit
    low = q.value == want.value or math.isclose(q.value, want.value, rel_tol=_REL_TOL)
    high = q.high is not None and math.isclose(q.high, want.value, rel_tol=_REL_TOL)
    if not (low or high):  # most figures of a quote: only the same quantity at another scale can match
        if qb == wb and (qb or (qs > 1 and ws > 1)):
            amount = want.value * ws
            if math.isclose(q.value * qs, amount, rel_tol=_REL_TOL):
                end = " (the lower end of a range)" if q.high is not None else ""
                return ValueMatch("converted", f" (the same quantity: {want.value_text}{want.unit} = {q.value_text}{q.unit}){end}")
            if q.high is not None and math.isclose(q.high * qs, amount, rel_tol=_REL_TOL):  # 35000元 of 1.8万至3.5万元
                return ValueMatch("converted", f" (the same quantity: {want.value_text}{want.unit} = {number_text(q.high)}{q.unit})"
                                  " (the upper end of a range)")
        return None
    end = f" (the {'lower' if low else 'upper'} end of a range)" if q.high is not None else ""
    same_scale = math.isclose(qs, ws)
    if (low or high) and same_scale and qb == wb:
        return ValueMatch("exact", end) if end else _EXACT
    if (low or high) and same_scale and qs > 1 and (not qb or not wb):
        return ValueMatch("exact", f" (the unit {qb or wb} left implicit){end}")
    comparable = qb == wb and (qb or (qs > 1 and ws > 1))  # 6亿 and 60000万 are amounts too
    if comparable and q.high is None and math.isclose(q.value * qs, want.value * ws, rel_tol=_REL_TOL):
        return ValueMatch("converted", f" (the same quantity: {want.value_text}{want.unit} = {q.value_text}{q.unit})")
    if low or high:
        return ValueMatch("digits", end) if end else _DIGITS
    return None


_EXACT, _DIGITS = ValueMatch("exact"), ValueMatch("digits")  # frozen: the common matches, made once


def stated_in(index: SourceIndex, value: float, unit: str, span: tuple[int, int] | None) -> bool:
    """True when ``value`` + ``unit`` (at any scale) is stated inside text ``span`` of the source."""
    if span is None:
        return False
    return any(
        m.level != "digits" and span[0] <= index.figures[i].span[0] < span[1]
        for i, m in matches(index, as_quantity(value, unit)).items()
    )
