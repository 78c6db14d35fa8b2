"""What the fake server answers, per system under test. Recorded request + gold → a reply in the shape that system parses.

Each responder plays a perfect model: it answers with the gold entries whose quotes occur in the
text the request carries, so every system gets valid, grounded answers and no re-asks happen
(re-asks would measure the model, not the pipeline). Standard library only: it runs inside the
fake server's own process.

* ``reportkit``: per-call answers (review/problems/plans/metrics, plus overview + meta when the
  call reads the whole report) and the final overview + meta call of a longer report.
* ``langextract``: langextract's JSON envelope ``{"extractions": [{"<class>": text,
  "<class>_attributes": {...}}]}`` for the text after the prompt's last ``Q:``.
* ``naive``: one whole-report answer for the ``NaiveReport`` tool of the single-call baseline.
* ``constant``: one fixed reply, for timing the bare call path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Gold = dict[str, dict[str, Any]]
Responder = Callable[[Any], Any]

CHUNK = re.compile(r"【原文开始】\n(.*)\n【原文结束】", re.S)
META_KEYS = ("organization", "region", "report_year", "published", "doc_type")
OVERVIEW_TOOL = "ReportOverview"
NAIVE_TOOL = "NaiveReport"
LANGEXTRACT_SCHEMA = "langextract_extractions"
METRIC_FIELDS = ("name", "value", "unit", "kind", "period", "qualifier", "quote")


CELL_QUOTE_CHARS = 8
"""The gold's quotes are at least this long, but for a table figure's, which is its whole cell."""
_CELL_EDGE = r"(?:^|\t| \| )"
_CELL_END = r"(?=$|\t| \| )"


def quoted_in(quote: str, text: str) -> bool:
    """True when ``text`` holds ``quote`` as the gold means it.

    A short quote of a bare figure (76.3, -1.8%) is a whole table cell (the gold convention), so it
    counts only where it fills a cell of ``text`` (between a line's ends or the cell separators
    tab and `` | ``), never inside another number (152.4亿元 does not hold the cell 52.4).
    """
    if quote not in text:
        return False
    if len(quote) >= CELL_QUOTE_CHARS or any("\u4e00" <= c <= "\u9fff" for c in quote):
        return True
    return re.search(_CELL_EDGE + re.escape(quote) + _CELL_END, text, re.M) is not None


class GoldIndex:
    """Every seed's gold entries in one list per kind, for substring look-ups."""

    def __init__(self, gold: Gold) -> None:
        self.gold = gold
        self.metrics = [{k: m.get(k) for k in METRIC_FIELDS} for g in gold.values() for m in g.get("metrics", [])]
        self.problems = [p for g in gold.values() for p in g.get("problems", [])]
        self.plans = [p for g in gold.values() for p in g.get("plans", [])]
        self.review = [r for g in gold.values() for r in g.get("review_points", [])]

    def in_text(self, text: str) -> dict[str, list[dict[str, Any]]]:
        """The gold entries quoted in ``text``, one copy per distinct quote."""

        def unique(entries: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> list[dict[str, Any]]:
            seen: set[Any] = set()
            out = []
            for e in entries:
                k = key(e)
                if k not in seen and quoted_in(e["quote"], text):
                    seen.add(k)
                    out.append(e)
            return out

        return {
            # review points are paraphrases; a few happen to be verbatim and are used as quotes
            "review": [{"title": r[:12], "text": r, "quote": r} for r in dict.fromkeys(self.review) if r in text],
            "problems": [{"title": p["text"][:12], "text": p["text"], "quote": p["quote"]}
                         for p in unique(self.problems, lambda e: e["quote"])],
            "plans": [{"title": p["text"][:12], "text": p["text"], "quote": p["quote"]}
                      for p in unique(self.plans, lambda e: e["quote"])],
            "metrics": unique(self.metrics, lambda e: (e["quote"], e["value"], e["unit"])),
        }

    def meta_for(self, text: str) -> dict[str, Any]:
        """Meta of the seed whose publication date (else organisation) the text shows; else empty."""
        for field in ("published", "organization"):
            for g in self.gold.values():
                value = g.get(field)
                if value and value in text:
                    return {k: g.get(k) for k in META_KEYS}
        return {"doc_type": "other"}


def _tool_name(body: dict[str, Any]) -> str | None:
    tools = body.get("tools") or []
    if tools and isinstance(tools[0], dict):
        return (tools[0].get("function") or {}).get("name")
    return None


def _tool_properties(body: dict[str, Any]) -> dict[str, Any]:
    tools = body.get("tools") or []
    if tools and isinstance(tools[0], dict):
        return ((tools[0].get("function") or {}).get("parameters") or {}).get("properties") or {}
    return {}


def reportkit_responder(index: GoldIndex) -> Responder:
    """Answers reportkit's chunk calls with the gold quoted in the chunk, and its overview call."""

    def respond(request: Any) -> Any:
        text = request.user_text
        if _tool_name(request.body) == OVERVIEW_TOOL:
            return {"overview": "街道经济社会发展取得新成效。", "meta": index.meta_for(text)}
        found = CHUNK.search(text)
        # Without the template's markers the whole user text stands in for the chunk: the quotes
        # still come from the source, at worst a heading quote is re-asked.
        answer: dict[str, Any] = index.in_text(found.group(1) if found else text)
        if "overview" in _tool_properties(request.body):  # the call reads the whole report
            answer.update(overview="街道经济社会发展取得新成效。", meta=index.meta_for(text))
        return answer

    return respond


def langextract_responder(index: GoldIndex) -> Responder:
    """Answers langextract's prompts in its extraction envelope, for the text after the last ``Q:``."""

    def respond(request: Any) -> Any:
        prompt = request.user_text
        question = prompt.rsplit("\nQ: ", 1)[-1]
        question = question.rsplit("\nA:", 1)[0]
        found = index.in_text(question)
        extractions: list[dict[str, Any]] = []
        for m in found["metrics"]:
            attrs = {"name": m["name"], "value": f"{m['value']:g}", "unit": m["unit"] or "", "kind": m["kind"]}
            extractions.append({"metric": m["quote"], "metric_attributes": attrs})
        for kind, cls in (("problems", "problem"), ("plans", "plan")):
            for p in found[kind]:
                extractions.append({cls: p["quote"], f"{cls}_attributes": {"title": p["title"]}})
        return {"extractions": extractions}

    return respond


def naive_responder(index: GoldIndex) -> Responder:
    """Answers the single whole-report call with everything the gold quotes in it."""

    def respond(request: Any) -> Any:
        text = request.user_text
        found = index.in_text(text)
        return {"overview": "街道经济社会发展取得新成效。", "meta": index.meta_for(text), **found}

    return respond


def constant_responder(reply: Any) -> Responder:
    """Always the same reply."""
    return lambda request: reply


def make(kind: str, gold: Gold, reply: Any = None) -> Responder:
    """The responder called ``kind`` (``reportkit``, ``langextract``, ``naive`` or ``constant``)."""
    if kind == "constant":
        return constant_responder(reply if reply is not None else {})
    index = GoldIndex(gold)
    makers = {"reportkit": reportkit_responder, "langextract": langextract_responder, "naive": naive_responder}
    if kind not in makers:
        raise ValueError(f"unknown responder {kind!r}")
    return makers[kind](index)
