"""Combine the per-chunk answers into one report body. Located items and metrics → ordered, de-duplicated lists.

Overlapping chunks see the sentences at their seam twice, so the same item or figure can come
back twice. Items are the same when their spans overlap by at least half of the shorter one (or
their quotes fold to the same text); metrics are the same when they state the same value and unit
at the same figure in the source — or, where a figure could not be placed, when name, value,
unit, kind and period all agree. The first one in document order is kept, with its own span.
Nothing here does I/O.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..document import Document
from ..locating import fold_text
from ..schema import Item, Meta, Metric

HEADER_CHARS = 600
"""How much of the page top the overview call sees: the title, publisher and date are there."""
DIGEST_METRICS = 8
DIGEST_ITEMS = 5
"""At most this many items of each kind and metrics (headline figures first) are listed for the
overview call: enough for 2–4 sentences, and the call is billed for every line."""
# headline figures first: money and rates say more about a report than counts of meetings
_DIGEST_PRIORITY = {"actual": 0, "growth_rate": 1, "completion_rate": 2, "target": 3, "share": 4, "count": 5, "other": 6}


@dataclass(frozen=True)
class Found:
    """An item or metric from one chunk's answer, with where it came from.

    Attributes:
        entry: the Item or Metric (span set when its quote was located).
        chunk_index: index of the chunk that produced it.
        order: its position within that chunk's answer.
        fallback: where to sort it when it has no span (the chunk's start).
    """

    entry: Any
    chunk_index: int
    order: int
    fallback: int = 0

    @property
    def position(self) -> tuple[int, int, int]:
        span = self.entry.span
        return (span[0] if span else self.fallback, self.chunk_index, self.order)


def merge_items(found: Sequence[Found]) -> list[Item]:
    """De-duplicate items (see the module docstring) and sort them by position in the source.

    Each quote is folded once and looked up in a set; a span is compared only with the kept
    spans that can reach it (by start, within the longest kept span), not with every kept item.
    """
    kept: list[Found] = []
    folds: set[str] = set()
    starts: list[tuple[int, int]] = []  # kept spans, sorted
    longest = 0
    for f in sorted(found, key=lambda f: (f.chunk_index, f.order)):
        item: Item = f.entry
        folded = fold_text(item.quote)
        if (item.quote and folded in folds) or (item.span and _overlapping(item.span, starts, longest)):
            continue
        kept.append(f)
        folds.add(folded)
        if item.span:
            bisect.insort(starts, (item.span[0], item.span[1]))
            longest = max(longest, item.span[1] - item.span[0])
    return [f.entry for f in sorted(kept, key=lambda f: f.position)]


def _overlapping(span: tuple[int, int], kept: list[tuple[int, int]], longest: int) -> bool:
    """True when a kept span shares at least half of the shorter of the two with ``span``."""
    a, b = span
    for s, e in kept[bisect.bisect_left(kept, (a - longest, -1)) : bisect.bisect_left(kept, (b, -1))]:
        shared = min(b, e) - max(a, s)
        if shared > 0 and shared * 2 >= min(b - a, e - s):
            return True
    return False


def figure_position(metric: Metric, text: str) -> int | None:
    """Offset in ``text`` of the metric's figure: its value as written, inside its located quote."""
    if metric.span is None or not metric.value_text:
        return None
    at = text.find(metric.value_text, metric.span[0], metric.span[1])
    return at if at >= 0 else None


def merge_metrics(found: Sequence[Found], text: str) -> list[Metric]:
    """De-duplicate metrics (see the module docstring) and sort them by position in the source."""
    seen_figures: set[tuple[int, float, str]] = set()
    seen_names: set[tuple[str, float, str, str, str]] = set()
    kept: list[Found] = []
    for f in sorted(found, key=lambda f: (f.chunk_index, f.order)):
        m: Metric = f.entry
        at = figure_position(m, text)
        unit = _folded_unit(m.unit)
        by_name = (fold_text(m.name), m.value, unit, m.kind, m.period or "")
        if at is not None:
            key = (at, m.value, unit)
            if key in seen_figures:
                continue
            seen_figures.add(key)
        elif by_name in seen_names:
            continue
        seen_names.add(by_name)
        kept.append(f)
    return [f.entry for f in sorted(kept, key=lambda f: f.position)]


@functools.lru_cache(maxsize=512)
def _folded_unit(unit: str) -> str:
    """A unit folded (a report writes a few units over and over)."""
    return fold_text(unit)


def header(doc: Document, chars: int = HEADER_CHARS) -> str:
    """The top of the page as written (boilerplate included: the date and publisher live there)."""
    return doc.text[:chars].strip()


PAGE_TOP_MIN = 160
"""Characters of the page top shown when the content starts at once (the title is then in the text)."""


PAGE_TOP_CHARS = 240
"""At most this much of the page top is shown (title, publisher and date come first)."""


def page_top(doc: Document, content_start: int, chars: int = PAGE_TOP_CHARS, minimum: int = PAGE_TOP_MIN) -> str:
    """What precedes the first text sent to the model (title, publisher, date), at most ``chars``;
    when little or nothing does, the first ``minimum`` characters. The extraction calls already
    read the rest, so the overview call does not pay for it twice."""
    lead = len(doc.text) - len(doc.text.lstrip())  # blank lines before the page do not change what it says
    return doc.text[lead : lead + min(chars, max(content_start - lead, minimum))].strip()


def digest(review: Sequence[Item], problems: Sequence[Item], plans: Sequence[Item], metrics: Sequence[Metric],
           *, max_metrics: int = DIGEST_METRICS, max_items: int = DIGEST_ITEMS) -> dict[str, list[str]]:
    """Short lines about the merged items and metrics, for the overview call (not the whole text)."""

    def line(item: Item) -> str:
        return item.title or item.quote[:40]

    def figure(m: Metric) -> str:
        value = m.value_text or f"{m.value:g}"
        hedge = f"（{m.qualifier}）" if m.qualifier else ""
        period = f"，{m.period}" if m.period else ""
        return f"{m.name}：{value}{m.unit}{hedge}［{m.kind}{period}］"

    return {
        "review": [line(i) for i in review[:max_items]],
        "problems": [line(i) for i in problems[:max_items]],
        "plans": [line(i) for i in plans[:max_items]],
        "metrics": [figure(m) for m in sorted(metrics, key=lambda m: _DIGEST_PRIORITY.get(m.kind, 9))[:max_metrics]],
    }


def build_meta(fields: dict[str, Any] | None, doc: Document) -> Meta:
    """The report's Meta: what the overview call returned, plus the document's source and hash."""
    values = {k: v for k, v in (fields or {}).items() if k in Meta.model_fields}
    return Meta(**{**values, "source": doc.source, "source_sha256": doc.sha256 or None})


def short_title(quote: str, limit: int = 20) -> str:
    """A title for an item the model left untitled: the quote's first clause, clipped."""
    first = quote.strip()
    for mark in "。；;，,：:":
        head = first.split(mark, 1)[0]
        if 4 <= len(head) < len(first):
            first = head
    return first if len(first) <= limit else first[: limit - 1] + "…"
