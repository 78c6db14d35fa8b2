"""Accuracy of a summary against hand-checked gold annotations. Report + gold JSON + Document → scores.

Run ``python -m reportkit.eval`` for the seeds (seeds/*.txt with seeds/gold/), the corpus
(corpus/c*.{txt,html,docx,pdf} with corpus/c*.json), the held-out pairs (corpus/pairs/p*.txt,
never used to tune the rules), the independent set (tests/data/independent/i*.txt, written
apart from the rules and the corpus, never used to tune either), the fresh and blind sets
(tests/data/fresh/f*.txt, tests/data/blind/b*.txt, written apart from the rules, since used to fix
the engine; blind2, tests/data/blind2/k*, the same since blind3 replaced it) and the blind3 set
(tests/data/blind3/m*, seen by nobody fixing the engine: its total row only), one table each with a
total row.

A metric matches a gold metric when value and unit are equal and its span overlaps a place of the
gold quote in ``Document.text`` (so the same number elsewhere does not count); matching is
one-to-one. Gold quotes of HTML pages are written against whitespace-collapsed element text, those
of PDFs without any whitespace, and those of .docx/.pdf files against ``<stem>.source.txt``; the
place finder therefore falls back from exact to whitespace-collapsed to whitespace-free matching and
maps every place back to offsets of ``Document.text``. Over matched figures it counts agreement of
kind, period, qualifier and a usable name (character-bigram Dice >= 0.5 with the gold name, or one
contains the other with >= 3 characters); problems and plans match by quote place, review points by
count, and meta field by field.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .document import Document
from .gold_sets import (  # noqa: F401 (re-exported: the sets are read through eval as before)
    CORPUS_SUFFIXES, PRISTINE, SET_NAMES, GoldDoc, blind2_docs, blind3_docs, blind_docs, corpus_docs, fresh_docs, independent_docs, pair_docs,
    seed_docs,
)
from .schema import Item, Metric, Report

META_FIELDS: tuple[str, ...] = ("organization", "region", "report_year", "published", "doc_type")
ITEM_KINDS: tuple[str, ...] = ("review", "problems", "plans")
# Gold files that annotate a prioritised subset of the figures (seeds/gold/README.md,
# "Completeness"): their precision says nothing and is left out of every total.
SUBSET_GOLD: frozenset[str] = frozenset({"003_c6631ad89748e798"})

Place = tuple[int, int]


class PlaceFinder:
    """Where a quote occurs in a text: exactly, else with whitespace collapsed, else without whitespace.

    The folded views are built once per text with a map from each folded character back to its
    offset in the original, so a place found in a folded view is returned in original offsets.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._views: dict[str, tuple[str, list[int]]] = {}

    def _view(self, mode: str) -> tuple[str, list[int]]:
        if mode not in self._views:
            self._views[mode] = _fold(self.text, mode)
        return self._views[mode]

    def places(self, quote: str) -> list[Place]:
        """Every place of ``quote`` as ``(start, end)`` offsets of the original text."""
        if not quote:
            return []
        found = _find_all(self.text, quote)
        if found:
            return found
        for mode in ("collapse", "remove"):
            folded_quote = _fold(quote, mode)[0].strip()
            if not folded_quote:
                continue
            view, back = self._view(mode)
            hits = _find_all(view, folded_quote)
            if hits:
                return [(back[a], back[b - 1] + 1) for a, b in hits]
        return []


def _fold(text: str, mode: str) -> tuple[str, list[int]]:
    """``text`` with whitespace runs collapsed to one space (``collapse``) or removed (``remove``)."""
    out: list[str] = []
    back: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if mode == "collapse" and not in_space:
                out.append(" ")
                back.append(i)
            in_space = True
            continue
        in_space = False
        out.append(ch)
        back.append(i)
    return "".join(out), back


def _find_all(text: str, quote: str) -> list[Place]:
    places, at = [], text.find(quote)
    while at >= 0:
        places.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    return places


def _overlaps(span: Sequence[int] | None, places: Iterable[Place]) -> bool:
    return span is not None and any(span[0] < b and a < span[1] for a, b in places)


def _bigrams(s: str) -> list[str]:
    return [s[i : i + 2] for i in range(len(s) - 1)]


def name_usable(name: str, gold: str) -> bool:
    """A name a reader can use: bigram Dice >= 0.5 with the gold name, or containment of >= 3 characters."""
    if not name or not gold:
        return False
    short, long_ = sorted((name, gold), key=len)
    if len(short) >= 3 and short in long_:
        return True
    a, b = _bigrams(name), _bigrams(gold)
    if not a or not b:
        return name == gold
    rest = list(b)
    common = 0
    for g in a:
        if g in rest:
            rest.remove(g)
            common += 1
    return 2 * common / (len(a) + len(b)) >= 0.5


def _same_value(m: Metric, g: dict[str, Any]) -> bool:
    return abs(m.value - float(g["value"])) <= 1e-9 * max(1.0, abs(m.value))


def _metric_matches(m: Metric, g: dict[str, Any], places: list[Place]) -> bool:
    return _same_value(m, g) and m.unit == g["unit"] and _overlaps(m.span, places)


@dataclass(frozen=True)
class Score:
    """How one report compares with its gold file."""

    name: str
    gold_metrics: int
    predicted_metrics: int
    matched: int  # value + unit at the gold quote's place
    matched_kind: int  # … and the same kind
    matched_period: int  # … and the same period
    matched_qualifier: int  # … and the same qualifier
    matched_name: int  # … and a usable name
    subset: bool  # the gold annotates a subset: precision is not counted
    sections_ok: bool
    sections: dict[str, tuple[bool, bool]]  # kind → (gold, predicted)
    items: dict[str, tuple[int, int, int]]  # kind → (gold, predicted, matched)
    meta: dict[str, tuple[Any, Any]]  # field → (gold, predicted)
    unmatched_gold: tuple[str, ...] = ()
    unmatched_predicted: tuple[str, ...] = ()
    label_misses: tuple[str, ...] = ()  # matched figures whose kind/period/qualifier/name disagree
    item_misses: tuple[str, ...] = ()  # gold problems/plans no item sits on

    @property
    def recall(self) -> float:
        return self.matched / self.gold_metrics if self.gold_metrics else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted_metrics if self.predicted_metrics else 1.0

    @property
    def kind_recall(self) -> float:
        return self.matched_kind / self.gold_metrics if self.gold_metrics else 1.0

    @property
    def items_ok(self) -> bool:
        """Review counts equal, and every gold problem/plan matched by exactly as many items."""
        return all(g == p == m for g, p, m in self.items.values())

    @property
    def meta_ok(self) -> int:
        return sum(g == p for g, p in self.meta.values())


def _doc_text(doc: Document | str) -> str:
    return doc.text if isinstance(doc, Document) else doc


def _match_items(items: list[Item], gold: list[dict[str, Any]], finder: PlaceFinder) -> tuple[int, list[str]]:
    used: set[int] = set()
    missed: list[str] = []
    for g in gold:
        places = finder.places(g["quote"])
        hit = next((i for i, item in enumerate(items) if i not in used and _overlaps(item.span, places)), None)
        if hit is None:
            missed.append(g["quote"][:30])
        else:
            used.add(hit)
    return len(used), missed


def score(report: Report, gold: dict[str, Any], doc: Document | str, name: str = "") -> Score:
    """Compare ``report`` with one gold annotation of the same document (a Document or its text)."""
    finder = PlaceFinder(_doc_text(doc))
    used: set[int] = set()
    counts = {"kind": 0, "period": 0, "qualifier": 0, "name": 0}
    unmatched_gold: list[str] = []
    label_misses: list[str] = []
    for g in gold["metrics"]:
        places = finder.places(g["quote"])
        hit = next((i for i, m in enumerate(report.metrics) if i not in used and _metric_matches(m, g, places)), None)
        if hit is None:
            unmatched_gold.append(f"{g['name']} {g['value']:g}{g['unit']} «{g['quote'][:40]}»")
            continue
        used.add(hit)
        m = report.metrics[hit]
        agree = {
            "kind": m.kind == g["kind"],
            "period": m.period == g["period"],
            "qualifier": m.qualifier == g.get("qualifier"),
            "name": name_usable(m.name, g["name"]),
        }
        for key, ok in agree.items():
            counts[key] += ok
        wrong = [f"{k}: {getattr(m, k)!r}≠{g.get(k)!r}" for k, ok in agree.items() if not ok]
        if wrong:
            label_misses.append(f"{g['value']:g}{g['unit']} {g['name']}: " + "; ".join(wrong))
    unmatched_pred = [f"{m.name} {m.value:g}{m.unit} «{m.quote[:40]}»" for i, m in enumerate(report.metrics) if i not in used]
    sections = {k: (bool(gold["sections_present"][k]), bool(getattr(report, k))) for k in ITEM_KINDS}
    problems, missed_p = _match_items(report.problems, gold["problems"], finder)
    plans, missed_l = _match_items(report.plans, gold["plans"], finder)
    n_review = len(gold["review_points"])
    items = {
        "review": (n_review, len(report.review), min(n_review, len(report.review))),
        "problems": (len(gold["problems"]), len(report.problems), problems),
        "plans": (len(gold["plans"]), len(report.plans), plans),
    }
    meta = {f: (gold.get(f), getattr(report.meta, f)) for f in META_FIELDS}
    return Score(
        name=name,
        gold_metrics=len(gold["metrics"]),
        predicted_metrics=len(report.metrics),
        matched=len(used),
        matched_kind=counts["kind"],
        matched_period=counts["period"],
        matched_qualifier=counts["qualifier"],
        matched_name=counts["name"],
        subset=name in SUBSET_GOLD,
        sections_ok=all(g == p for g, p in sections.values()),
        sections=sections,
        items=items,
        meta=meta,
        unmatched_gold=tuple(unmatched_gold),
        unmatched_predicted=tuple(unmatched_pred),
        label_misses=tuple(label_misses),
        item_misses=tuple([f"problem «{q}»" for q in missed_p] + [f"plan «{q}»" for q in missed_l]),
    )


@dataclass(frozen=True)
class Totals:
    """Sums over a set of scores (precision leaves out subset gold)."""

    docs: int
    gold_metrics: int
    predicted_metrics: int
    matched: int
    precision_matched: int
    precision_predicted: int
    kind: int
    period: int
    qualifier: int
    name: int
    sections_ok: int
    items_ok: int
    meta_ok: int
    meta_total: int
    extra: dict[str, Any] = field(default_factory=dict)


def evaluate_docs(docs: list[GoldDoc], engine: str = "rules", skipped: list[str] | None = None) -> list[Score]:
    """Summarise every document and score it against its gold.

    A document whose format needs an optional extra that is not installed (.html, .docx, .pdf) is
    left out and named in ``skipped`` with the install command, when a list is given; without one
    the ``MissingExtraError`` propagates.
    """
    from .api import load, summarize
    from .errors import MissingExtraError

    scores = []
    for d in docs:
        try:
            doc = load(d.path)
        except MissingExtraError as exc:
            if skipped is None:
                raise
            skipped.append(f"{d.path.name}: {exc}")
            continue
        report = summarize(doc, engine=engine)  # type: ignore[arg-type]
        scores.append(score(report, json.loads(d.gold.read_text(encoding="utf-8")), doc, d.path.stem))
    return scores


def evaluate(seeds: Path, gold_dir: Path, engine: str = "rules") -> list[Score]:
    """Summarise every seed of ``seeds`` that has a gold file in ``gold_dir`` and score it."""
    docs = [GoldDoc("seeds", p, gold_dir / f"{p.stem}.json") for p in sorted(seeds.glob("*.txt")) if (gold_dir / f"{p.stem}.json").exists()]
    return evaluate_docs(docs, engine)


def totals(scores: list[Score]) -> Totals:
    """Micro-averaged sums over ``scores``."""
    counted = [s for s in scores if not s.subset]
    return Totals(
        docs=len(scores),
        gold_metrics=sum(s.gold_metrics for s in scores),
        predicted_metrics=sum(s.predicted_metrics for s in scores),
        matched=sum(s.matched for s in scores),
        precision_matched=sum(s.matched for s in counted),
        precision_predicted=sum(s.predicted_metrics for s in counted),
        kind=sum(s.matched_kind for s in scores),
        period=sum(s.matched_period for s in scores),
        qualifier=sum(s.matched_qualifier for s in scores),
        name=sum(s.matched_name for s in scores),
        sections_ok=sum(s.sections_ok for s in scores),
        items_ok=sum(s.items_ok for s in scores),
        meta_ok=sum(s.meta_ok for s in scores),
        meta_total=sum(len(s.meta) for s in scores),
    )


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "—"


def _items_cell(g: int, p: int, m: int, by_count: bool = False) -> str:
    ok = g == p == m
    return f"{p}/{g}" if by_count or ok else f"{m}/{g} ({p} found)"


def format_table(scores: list[Score], title: str = "doc") -> str:
    """A Markdown table of the scores, one row per document and a total row."""
    rows = [
        f"| {title} | gold | found | matched | recall | precision | kind | period | qualifier | name | sections | review | problems | plans | meta |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|---|",
    ]
    for s in scores:
        prec = f"{s.precision:.3f}*" if s.subset else f"{s.precision:.3f}"
        meta_bad = [k for k, (g, p) in s.meta.items() if g != p]
        items = s.items
        rows.append(
            f"| {s.name} | {s.gold_metrics} | {s.predicted_metrics} | {s.matched} | {s.recall:.3f} | {prec} "
            f"| {_ratio(s.matched_kind, s.matched)} | {_ratio(s.matched_period, s.matched)} "
            f"| {_ratio(s.matched_qualifier, s.matched)} | {_ratio(s.matched_name, s.matched)} "
            f"| {'ok' if s.sections_ok else 'WRONG'} | {_items_cell(*items['review'], by_count=True)} "
            f"| {_items_cell(*items['problems'])} | {_items_cell(*items['plans'])} "
            f"| {s.meta_ok}/{len(s.meta)}{' (' + ', '.join(meta_bad) + ')' if meta_bad else ''} |"
        )
    t = totals(scores)
    rows.append(
        f"| **total ({t.docs})** | {t.gold_metrics} | {t.predicted_metrics} | {t.matched} | {_ratio(t.matched, t.gold_metrics)} "
        f"| {_ratio(t.precision_matched, t.precision_predicted)}{'*' if any(s.subset for s in scores) else ''} "
        f"| {_ratio(t.kind, t.matched)} | {_ratio(t.period, t.matched)} | {_ratio(t.qualifier, t.matched)} "
        f"| {_ratio(t.name, t.matched)} | {t.sections_ok}/{t.docs} ok | items equal: {t.items_ok}/{t.docs} | | "
        f"| {t.meta_ok}/{t.meta_total} |"
    )
    if any(s.subset for s in scores):
        rows.append("\n\\* gold annotates a prioritised subset of the figures: precision is not meaningful and is left out of the total.")
    return "\n".join(rows)


def _details(s: Score) -> str:
    lines = [f"\n## {s.name}"]
    for label, entries in (
        ("missed gold", s.unmatched_gold),
        ("extra found" + (" (subset gold)" if s.subset else ""), s.unmatched_predicted),
        ("labels", s.label_misses),
        ("items", s.item_misses),
    ):
        if entries:
            lines.append(f"- {label} ({len(entries)}):")
            lines.extend(f"    - {e}" for e in entries)
    for kind, (g, p, m) in s.items.items():
        if not g == p == m:
            lines.append(f"- {kind}: gold {g}, found {p}, matched {m}")
    for k, (g, p) in s.meta.items():
        if g != p:
            lines.append(f"- meta {k}: gold {g!r}, found {p!r}")
    return "\n".join(lines)


def _as_json(groups: dict[str, list[Score]], open_held_out: bool = False) -> dict[str, Any]:
    """Every score as JSON; a pristine set (``PRISTINE``) by its total alone unless ``open_held_out``."""
    out: dict[str, Any] = {}
    for group, scores in groups.items():
        if group in PRISTINE and not open_held_out:
            out[group] = {"documents": [], "total": asdict(totals(scores))}
            continue
        docs = []
        for s in scores:
            d = asdict(s)
            d.update(recall=s.recall, precision=None if s.subset else s.precision, items_ok=s.items_ok)
            docs.append(d)
        out[group] = {"documents": docs, "total": asdict(totals(scores))}
    return out


def totals_only(table: str) -> str:
    """A format_table with its per-document rows left out: the header, the rule and the total row."""
    lines = table.splitlines()
    return "\n".join(lines[:2] + [line for line in lines[2:] if line.startswith("| **total")])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reportkit.eval", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="folder holding seeds/ and corpus/ (default: .)")
    parser.add_argument("--engine", default="rules", help="rules (default) or llm")
    parser.add_argument("--only", choices=SET_NAMES, help="score one set only")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses per document")
    parser.add_argument("--open-held-out", action="store_true",
                        help=f"also print the rows and misses of the pristine held-out sets ({', '.join(PRISTINE)}): "
                             "only for their writer; whoever fixes the engine reads their totals alone")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every score as JSON to PATH")
    args = parser.parse_args(argv)
    sets = {
        "seeds": seed_docs(args.root),
        "corpus": corpus_docs(args.root),
        "pairs": pair_docs(args.root),
        "independent": independent_docs(args.root),
        "fresh": fresh_docs(args.root),
        "blind": blind_docs(args.root),
        "blind2": blind2_docs(args.root),
        "blind3": blind3_docs(args.root),
    }
    if args.only:
        sets = {args.only: sets[args.only]}
    # the held-out sets are optional in a checkout without them; seeds and corpus are not
    held_out = SET_NAMES[2:]
    missing = [name for name, docs in sets.items() if not docs and (name not in held_out or args.only == name)]
    sets = {name: docs for name, docs in sets.items() if docs}
    if missing:
        where = {
            "seeds": "seeds/*.txt with seeds/gold/<stem>.json",
            "corpus": "corpus/c*.{txt,html,docx,pdf} with corpus/<stem>.json",
            "pairs": "corpus/pairs/p*.txt with corpus/pairs/<stem>.json",
            "independent": "tests/data/independent/i*.txt with tests/data/independent/<stem>.json",
            "fresh": "tests/data/fresh/f*.txt with tests/data/fresh/<stem>.json",
            "blind": "tests/data/blind/b*.txt with tests/data/blind/<stem>.json",
            "blind2": "tests/data/blind2/k*.{txt,html} with tests/data/blind2/<stem>.json",
            "blind3": "tests/data/blind3/m*.{txt,html} with tests/data/blind3/<stem>.json",
        }
        print(
            "no gold found for " + ", ".join(f"{m} ({where[m]})" for m in missing) + f" under {args.root.resolve()}; "
            "run from the reportkit checkout or pass --root",
            file=sys.stderr,
        )
        return 2
    skipped: list[str] = []
    groups = {name: evaluate_docs(docs, args.engine, skipped) for name, docs in sets.items()}
    for name, scores in groups.items():
        print(f"### {name}\n")
        table = format_table(scores, "seed" if name == "seeds" else "doc")
        closed = name in PRISTINE and not args.open_held_out
        print(totals_only(table) if closed else table)
        print()
        if args.verbose and not closed:
            print("\n".join(_details(s) for s in scores))
            print()
    if args.json:
        args.json.write_text(json.dumps(_as_json(groups, args.open_held_out), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    if skipped:  # an incomplete table is said, and fails the run, never passed off as the whole
        print(f"not scored ({len(skipped)}), the totals leave them out:", *skipped, sep="\n  ", file=sys.stderr)
        print("install the extras (pip install -e '.[test]') to score every document", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
