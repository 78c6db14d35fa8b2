"""Accuracy of a summary against hand-checked gold annotations. Report + gold JSON → scores.

Run ``python -m reportkit.eval [--gold DIR] [--seeds DIR] [--engine rules]`` for the per-seed table.
A metric matches a gold metric when value and unit are equal and its quote overlaps the gold
quote's place in the source (so the same number elsewhere does not count); matching is one-to-one.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .schema import Item, Metric, Report


@dataclass(frozen=True)
class Score:
    """How one report compares with its gold file."""

    name: str
    gold_metrics: int
    predicted_metrics: int
    matched: int  # value + unit at the gold quote's place
    matched_kind: int  # … and the same kind
    matched_period: int  # … and the same period
    sections_ok: bool
    sections: dict[str, tuple[bool, bool]]  # kind → (gold, predicted)
    items: dict[str, tuple[int, int, int]]  # kind → (gold, predicted, matched)
    unmatched_gold: tuple[str, ...]
    unmatched_predicted: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.matched / self.gold_metrics if self.gold_metrics else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted_metrics if self.predicted_metrics else 1.0

    @property
    def kind_recall(self) -> float:
        return self.matched_kind / self.gold_metrics if self.gold_metrics else 1.0


def _places(text: str, quote: str) -> list[tuple[int, int]]:
    places, at = [], text.find(quote)
    while at >= 0 and quote:
        places.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return places


def _overlaps(span: tuple[int, int] | None, places: list[tuple[int, int]]) -> bool:
    return span is not None and any(span[0] < b and a < span[1] for a, b in places)


def _metric_matches(m: Metric, g: dict[str, Any], places: list[tuple[int, int]]) -> bool:
    same_value = abs(m.value - float(g["value"])) <= 1e-9 * max(1.0, abs(m.value))
    return same_value and m.unit == g["unit"] and _overlaps(m.span, places)


def _match_items(items: list[Item], gold: list[dict[str, Any]], text: str) -> int:
    used: set[int] = set()
    for g in gold:
        places = _places(text, g["quote"])
        for i, item in enumerate(items):
            if i not in used and _overlaps(item.span, places):
                used.add(i)
                break
    return len(used)


def score(report: Report, gold: dict[str, Any], text: str, name: str = "") -> Score:
    """Compare ``report`` with one gold annotation of the same ``text``."""
    used: set[int] = set()
    matched = matched_kind = matched_period = 0
    unmatched_gold: list[str] = []
    for g in gold["metrics"]:
        places = _places(text, g["quote"])
        hit = next((i for i, m in enumerate(report.metrics) if i not in used and _metric_matches(m, g, places)), None)
        if hit is None:
            unmatched_gold.append(f"{g['name']} {g['value']:g}{g['unit']}")
            continue
        used.add(hit)
        matched += 1
        matched_kind += report.metrics[hit].kind == g["kind"]
        matched_period += report.metrics[hit].period == g["period"]
    unmatched_pred = [f"{m.name} {m.value:g}{m.unit}" for i, m in enumerate(report.metrics) if i not in used]
    sections = {}
    for kind, items in (("review", report.review), ("problems", report.problems), ("plans", report.plans)):
        sections[kind] = (bool(gold["sections_present"][kind]), bool(items))
    gold_items = {"review": gold["review_points"], "problems": gold["problems"], "plans": gold["plans"]}
    items_score = {
        "review": (len(gold_items["review"]), len(report.review), min(len(gold_items["review"]), len(report.review))),
        "problems": (len(gold["problems"]), len(report.problems), _match_items(report.problems, gold["problems"], text)),
        "plans": (len(gold["plans"]), len(report.plans), _match_items(report.plans, gold["plans"], text)),
    }
    return Score(
        name=name,
        gold_metrics=len(gold["metrics"]),
        predicted_metrics=len(report.metrics),
        matched=matched,
        matched_kind=matched_kind,
        matched_period=matched_period,
        sections_ok=all(g == p for g, p in sections.values()),
        sections=sections,
        items=items_score,
        unmatched_gold=tuple(unmatched_gold),
        unmatched_predicted=tuple(unmatched_pred),
    )


def evaluate(seeds: Path, gold_dir: Path, engine: str = "rules") -> list[Score]:
    """Summarise every seed that has a gold file and score it."""
    from .api import load, summarize

    scores = []
    for gold_path in sorted(gold_dir.glob("*.json")):
        seed = seeds / (gold_path.stem + ".txt")
        if not seed.exists():
            continue
        doc = load(seed)
        report = summarize(doc, engine=engine)  # type: ignore[arg-type]
        scores.append(score(report, json.loads(gold_path.read_text(encoding="utf-8")), doc.text, gold_path.stem))
    return scores


def format_table(scores: list[Score]) -> str:
    """A Markdown table of the scores, one row per seed."""
    rows = [
        "| seed | gold | pred | matched | recall | precision | kind ok | period ok | sections | problems | plans | review |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        items = {k: f"{m}/{g} ({p} found)" for k, (g, p, m) in s.items.items()}
        rows.append(
            f"| {s.name[:3]} | {s.gold_metrics} | {s.predicted_metrics} | {s.matched} | {s.recall:.3f} | {s.precision:.3f} "
            f"| {s.matched_kind}/{s.matched} | {s.matched_period}/{s.matched} | {'ok' if s.sections_ok else 'WRONG'} "
            f"| {items['problems']} | {items['plans']} | {items['review']} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    here = Path.cwd()
    parser.add_argument("--seeds", type=Path, default=here / "seeds")
    parser.add_argument("--gold", type=Path, default=here / "seeds" / "gold")
    parser.add_argument("--engine", default="rules")
    parser.add_argument("-v", "--verbose", action="store_true", help="list unmatched metrics")
    args = parser.parse_args(argv)
    scores = evaluate(args.seeds, args.gold, args.engine)
    print(format_table(scores))
    if args.verbose:
        for s in scores:
            print(f"\n{s.name}\n  missed gold: {list(s.unmatched_gold)}\n  extra predicted: {list(s.unmatched_predicted)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
