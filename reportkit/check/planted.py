"""Planted errors for measuring the figure check. Gold metrics + sources → mutated metrics → detection rates.

Every gold metric is turned into the mistakes a language model makes, programmatically:

- ``changed_digit``: one digit of the value changed; ``changed_digit_quote``: the same change made
  in the quote too (so the quote is no longer in the source);
- ``shifted_decimal``: the value × 10 and ÷ 10; ``scale_or_unit``: 亿元↔万元, 万户 → 户, % ↔ 个百分点;
- ``growth_to_amount``: a growth rate given as an amount (its unit, or its sentence's amount);
- ``nowhere``: a value stated nowhere in the source;
- ``swapped_value`` / ``swapped_quote``: the value of a metric of another sentence, keeping this
  metric's quote or taking the other's, as models do;
- ``neighbour``: the figure *and quote* of another metric of the same sentence or list under this
  metric's name (新建人才公寓 given 1120人 quoting 新增高技能人才1120人); ``neighbour_value``: its
  figure with this metric's own quote;
- ``made_up_name``: a real figure and its quote under a name from another document that names
  nothing in the figure's sentence (培训新型职业农民 6.15% quoting 同比增长6.15%).

Mutations that would still be true of the source (the new value is stated in the same sentence,
two names a reader cannot tell apart, one figure annotated for two indicators) are skipped, so every
planted error is a real error. A growth rate given its sentence's amount *with* that amount's unit
states a true figure under a wrong kind: it counts as caught when ``kind_ok`` is False, which is how
``validation.flagged`` counts it. Harmless rewrites measure false alarms beside the gold metrics:
no quote, a reformatted quote, the value at another scale, a name with a subject or a stock word
(全年…, …数量), a growth rate's name with its rate word (…增速, …同比增长), and a short form
(规模以上 → 规上, 地区生产总值 → GDP). All choices are deterministic (a seeded ``random.Random``).

``python -m reportkit.check.planted`` prints the table for the seeds and the corpus of a checkout,
and a second one for the report pairs of ``corpus/pairs`` (``held_out``), which no rule was fitted to.
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import lexicon
from ..document import Document
from ..index import SourceIndex, build_index, fold_words
from ..schema import Check, Metric
from . import check_metric, is_flagged
from ._attribution import name_key
from ._values import as_quantity, matches, stated_in

ERROR_KINDS = (
    "changed_digit", "changed_digit_quote", "shifted_decimal", "scale_or_unit", "growth_to_amount", "nowhere",
    "swapped_value", "swapped_quote", "neighbour", "neighbour_value", "made_up_name",
)
HARMLESS_KINDS = ("no_quote", "loose_quote", "converted", "name_variant", "rate_word", "short_form")
TARGET = 0.97  # every planted kind must be caught at least this often
FALSE_ALARM_LIMIT = 0.01  # on the gold metrics as annotated
HARMLESS_LIMIT = 0.02  # on harmless rewrites of them
_PARTNERS = 3  # swap partners tried per metric
_SHORT_FORMS = (("规模以上", "规上"), ("限额以上", "限上"), ("地区生产总值", "GDP"), ("固定资产投资", "固投"))
_RATE_WORDS = ("增速", "同比增长")

Checker = Callable[[dict[str, Any], SourceIndex], Check]


@dataclass(frozen=True)
class Planted:
    """One mutated metric and what was done to it."""

    kind: str
    metric: dict[str, Any]
    original: dict[str, Any]
    note: str


@dataclass
class Rates:
    """Flagged counts per kind: planted errors (should be flagged) and harmless rewrites (should not)."""

    flagged: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)  # flagged by the status alone, not by a kind/period flag
    total: dict[str, int] = field(default_factory=dict)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # errors let through: (kind, note, detail)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)  # gold/harmless flagged: (kind, note, detail)

    def add(self, kind: str, check: Check, note: str) -> None:
        """Record one checked metric of ``kind`` ("gold", an error kind or a harmless kind)."""
        flagged, by_status = is_flagged(check), check.status not in ("verified", "derived")
        detail = f"{check.status}: {check.detail}"
        self.total[kind] = self.total.get(kind, 0) + 1
        self.flagged[kind] = self.flagged.get(kind, 0) + flagged
        self.by_status[kind] = self.by_status.get(kind, 0) + by_status
        harmless = kind == "gold" or kind in HARMLESS_KINDS
        if flagged and harmless:
            self.false_alarms.append((kind, note, detail))
        elif not flagged and not harmless:
            self.misses.append((kind, note, detail))

    def merge(self, other: "Rates") -> "Rates":
        """The sum of two measurements."""
        out = Rates()
        for name in ("flagged", "by_status", "total"):
            mine, theirs = getattr(self, name), getattr(other, name)
            setattr(out, name, {k: mine.get(k, 0) + theirs.get(k, 0) for k in mine.keys() | theirs.keys()})
        out.misses, out.false_alarms = self.misses + other.misses, self.false_alarms + other.false_alarms
        return out

    def rate(self, kind: str) -> float:
        """Share of the metrics of ``kind`` that were flagged (0.0 when there were none)."""
        return self.flagged.get(kind, 0) / self.total[kind] if self.total.get(kind) else 0.0

    def table(self) -> str:
        """A plain-text table: detection per error kind, then false alarms on gold and rewrites."""
        lines = [f"{'planted error':<20} {'planted':>7} {'caught':>7} {'rate':>7} {'by status':>9}"]
        for kind in ERROR_KINDS:
            lines.append(
                f"{kind:<20} {self.total.get(kind, 0):>7} {self.flagged.get(kind, 0):>7} {self.rate(kind):>7.1%}"
                f" {self.by_status.get(kind, 0):>9}"
            )
        lines.append(f"{'no error':<20} {'checked':>7} {'flagged':>7} {'rate':>7}")
        for kind in ("gold",) + HARMLESS_KINDS:
            lines.append(f"{kind:<20} {self.total.get(kind, 0):>7} {self.flagged.get(kind, 0):>7} {self.rate(kind):>7.1%}")
        return "\n".join(lines)


def check(metric: dict[str, Any], index: SourceIndex) -> Check:
    """The figure check of one metric given as a dict."""
    return check_metric(Metric.model_validate(metric), index)


def planted_error_rates(
    cases: Iterable[tuple[list[dict[str, Any]], Document | str | SourceIndex]],
    seed: int = 4,
    checker: Checker = check,
    names: list[str] | None = None,
) -> Rates:
    """Check every gold metric, every planted error and every harmless rewrite; count what is flagged.

    Args:
        cases: (gold metrics, source) pairs, one per annotated document.
        seed: seeds the random choices (swap partners, values that are nowhere, made-up names).
        checker: the check to measure (``check`` by default; another function measures another checker).
        names: the pool of made-up names (default: the gold names of all ``cases``).

    Returns:
        The Rates, with the misses and false alarms listed for inspection.
    """
    cases = [(metrics, build_index(source)) for metrics, source in cases]
    pool = names if names is not None else sorted({m["name"] for metrics, _ in cases for m in metrics})
    rates = Rates()
    for metrics, index in cases:
        for m in metrics:
            rates.add("gold", checker(m, index), m["name"])
        for p in plant_errors(metrics, index, seed=seed, names=pool) + rewrites(metrics):
            rates.add(p.kind, checker(p.metric, index), p.note)
    return rates


def plant_errors(
    metrics: list[dict[str, Any]], source: Document | str | SourceIndex, seed: int = 4, names: list[str] | None = None
) -> list[Planted]:
    """Every planted error for the gold ``metrics`` of one source (see the module docstring)."""
    index = build_index(source)
    rng = random.Random(seed)
    out: list[Planted] = []
    places = [_place(index, m) for m in metrics]
    pool = [n for n in (names or []) if n not in {m["name"] for m in metrics}]
    for n, m in enumerate(metrics):
        sentence = places[n][1] if places[n] else None
        out += _changed_digit(index, m, sentence)
        out += _shifted(index, m, sentence)
        out += _scale(index, m, sentence)
        out += _nowhere(index, m, rng)
        out += _growth(index, m, sentence)
        out += _neighbours(metrics, n, places)
        out += _made_up_name(index, m, places[n], pool, rng)
        order = [k for k in range(len(metrics)) if k != n]
        rng.shuffle(order)
        partners = [k for k in order if _swappable(index, metrics[k], places[n], places[k])][:_PARTNERS]
        for k in partners:
            b = metrics[k]
            note = f"{m['name']} given {b['name']}'s {b['value']:g}{b['unit']}"
            out.append(Planted("swapped_value", _mutant(m, value=b["value"], unit=b["unit"]), m, note))
            if _names_differ(m["name"], b["name"]):
                swapped = _mutant(b, name=m["name"], kind=m.get("kind", "other"), period=m.get("period"))
                out.append(Planted("swapped_quote", swapped, m, note + " and quote"))
    return out


def rewrites(metrics: list[dict[str, Any]]) -> list[Planted]:
    """Harmless rewrites of the gold ``metrics``: each still states a true figure of the source."""
    out = []
    for m in metrics:
        quote, name = m["quote"], m["name"]
        out.append(Planted("no_quote", {**m, "quote": ""}, m, f"{name} without its quote"))
        spaced = " ".join(quote[i : i + 4] for i in range(0, len(quote), 4)).replace("%", "\uff05")
        out.append(Planted("loose_quote", {**m, "quote": spaced}, m, f"{name}: quote {spaced}"))
        unit = m["unit"]
        if unit[:1] in ("亿", "万") and len(unit) > 1 or unit in ("亿", "万"):
            smaller = ("万" if unit[0] == "亿" else "") + unit[1:]
            value = float(f"{m['value'] * 1e4:.10g}")
            out.append(Planted("converted", _mutant(m, value=value, unit=smaller), m, f"{name}: {value:g}{smaller}"))
        for variant in ("全年" + name, name + "数量"):
            out.append(Planted("name_variant", {**m, "name": variant}, m, f"{name} named {variant}"))
        if m.get("kind") == "growth_rate" and lexicon.to_halfwidth(unit) == "%" and not any(w in name for w in ("增", "降", "减")):
            for word in _RATE_WORDS:
                out.append(Planted("rate_word", {**m, "name": name + word}, m, f"{name} named {name + word}"))
        for long, short in _SHORT_FORMS:
            if long in name:
                variant = name.replace(long, short)
                out.append(Planted("short_form", {**m, "name": variant}, m, f"{name} named {variant}"))
    return out


# --------------------------------------------------------------------------------- the mutations


def _place(index: SourceIndex, m: dict[str, Any]) -> tuple[tuple[int, int], int] | None:
    """(the quote's text span, its sentence) of a gold metric; None when the quote is not in the source."""
    spans = index.find_quote(m["quote"])
    if not spans:
        return None
    return spans[0], index.sentence_at(index.to_view(spans[0][0]))


def _sentence_span(index: SourceIndex, sentence: int | None) -> tuple[int, int] | None:
    if sentence is None:
        return None
    s, e = index.sentences[sentence]
    return index.to_text(s, e)


def _mutant(m: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**m, "value_text": "", **changes}


def _changed_digit(index: SourceIndex, m: dict[str, Any], sentence: int | None) -> list[Planted]:
    text = f"{m['value']:g}"
    span = _sentence_span(index, sentence)
    for pos in reversed([i for i, c in enumerate(text) if c.isdigit()]):
        for step in range(1, 10):
            digit = str((int(text[pos]) + step) % 10)
            if pos == 0 and digit == "0" and len(text) > 1:
                continue
            new = text[:pos] + digit + text[pos + 1 :]
            value = float(new)
            if stated_in(index, value, m["unit"], span):
                continue
            out = [Planted("changed_digit", _mutant(m, value=value), m, f"{m['name']}: {text} → {new}")]
            written = lexicon.to_halfwidth(m["quote"])
            if text in written and written.count(text) == 1 and not _any_stated(index, value, m["unit"]):
                quote = written.replace(text, new)
                out.append(Planted("changed_digit_quote", _mutant(m, value=value, quote=quote), m, f"{m['name']}: {text} → {new} in value and quote"))
            return out
    return []


def _any_stated(index: SourceIndex, value: float, unit: str) -> bool:
    return any(v.level != "digits" for v in matches(index, as_quantity(value, unit)).values())


def _shifted(index: SourceIndex, m: dict[str, Any], sentence: int | None) -> list[Planted]:
    out = []
    for factor in (10.0, 0.1):
        value = float(f"{m['value'] * factor:.10g}")
        if not stated_in(index, value, m["unit"], _sentence_span(index, sentence)):
            out.append(Planted("shifted_decimal", _mutant(m, value=value), m, f"{m['name']}: {m['value']:g} → {value:g}"))
    return out


def _rescaled(unit: str) -> str:
    """亿元 → 万元, 万元 → 亿元, 万户 → 户, % → 个百分点, 个 → 万个."""
    if unit.startswith("亿"):
        return "万" + unit[1:]
    if unit == "万元":
        return "亿元"
    if unit.startswith("万") and len(unit) > 1:
        return unit[1:]
    if lexicon.to_halfwidth(unit) == "%":
        return "个百分点"
    if unit in ("个百分点", "百分点"):
        return "%"
    return "万" + unit


def _scale(index: SourceIndex, m: dict[str, Any], sentence: int | None) -> list[Planted]:
    unit = _rescaled(m["unit"])
    if stated_in(index, m["value"], unit, _sentence_span(index, sentence)):
        return []
    return [Planted("scale_or_unit", _mutant(m, unit=unit), m, f"{m['name']}: {m['unit']} → {unit}")]


def _nowhere(index: SourceIndex, m: dict[str, Any], rng: random.Random) -> list[Planted]:
    places = len(f"{m['value']:g}".partition(".")[2])
    for _ in range(100):
        value = round(m["value"] * rng.uniform(0.3, 3.0) + rng.randint(1, 9), places)
        if value != m["value"] and not matches(index, as_quantity(value, m["unit"])) and not matches(index, as_quantity(-value, m["unit"])):
            return [Planted("nowhere", _mutant(m, value=value), m, f"{m['name']}: {m['value']:g} → {value:g}")]
    return []


def _growth(index: SourceIndex, m: dict[str, Any], sentence: int | None) -> list[Planted]:
    """A growth rate given as an amount: its unit turned to 亿元, or the value (and unit) of its sentence's amount."""
    is_growth = m.get("kind") == "growth_rate" or (m.get("kind") == "target" and "比增" in m["name"])
    if not is_growth or lexicon.to_halfwidth(m["unit"]) != "%":
        return []
    span = _sentence_span(index, sentence)
    out = []
    if not stated_in(index, m["value"], "亿元", span):
        out.append(Planted("growth_to_amount", _mutant(m, unit="亿元"), m, f"{m['name']}: % → 亿元"))
    amounts = [index.figures[i].quantity for i in index.sentence_figures(sentence)] if sentence is not None else []
    amounts = [q for q in amounts if q.family == "money"]
    if amounts:
        a = amounts[0]
        if not stated_in(index, a.value, "%", span):
            out.append(Planted("growth_to_amount", _mutant(m, value=a.value), m, f"{m['name']}: the amount's {a.value:g} as %"))
        out.append(Planted("growth_to_amount", _mutant(m, value=a.value, unit=a.unit), m, f"{m['name']}: the amount {a.value:g}{a.unit}, kind kept"))
    return out


def _neighbours(metrics: list[dict[str, Any]], n: int, places: list[Any]) -> list[Planted]:
    """Metric n given another metric of its sentence or list: that metric's figure and quote, or its figure alone."""
    m, out = metrics[n], []
    if places[n] is None:
        return out
    for k, b in enumerate(metrics):
        if k == n or places[k] is None or places[k][1] != places[n][1] or not _names_differ(m["name"], b["name"]):
            continue
        if math.isclose(b["value"], m["value"]) and lexicon.to_halfwidth(b["unit"]) == lexicon.to_halfwidth(m["unit"]):
            continue  # one figure for two indicators, or two equal figures: no error to plant
        note = f"{m['name']} given {b['name']}'s {b['value']:g}{b['unit']} from the same sentence"
        out.append(Planted("neighbour", _mutant(b, name=m["name"], kind=m.get("kind", "other"), period=m.get("period")), m, note + " and quote"))
        out.append(Planted("neighbour_value", _mutant(m, value=b["value"], unit=b["unit"]), m, note))
    return out


def _made_up_name(index: SourceIndex, m: dict[str, Any], place: Any, pool: list[str], rng: random.Random) -> list[Planted]:
    """A real figure under a name from elsewhere that shares no character pair with its sentence."""
    if place is None or not pool:
        return []
    s, e = index.sentences[place[1]]
    sentence = fold_words(index.view[s:e])
    pairs = {sentence[i : i + 2] for i in range(len(sentence) - 1)}
    own = name_key(m["name"])
    for _ in range(50):
        name = pool[rng.randrange(len(pool))]
        key = name_key(name)
        if len(key.chars) < 3 or key.pairs & pairs or key.pairs & own.pairs or len(key.chars & set(sentence)) > len(key.chars) // 3:
            continue
        return [Planted("made_up_name", {**m, "name": name}, m, f"{m['name']} named {name}")]
    return []


def _swappable(index: SourceIndex, b: dict[str, Any], pa: Any, pb: Any) -> bool:
    """B's value can be planted into A: another sentence, and not stated in A's sentence."""
    if pa is None or pb is None or pa[1] == pb[1]:
        return False
    return not stated_in(index, b["value"], b["unit"], _sentence_span(index, pa[1]))


def _names_differ(a: str, b: str) -> bool:
    """Two names a reader can tell apart: neither core is part of the other."""
    ka, kb = name_key(a).core, name_key(b).core
    return ka not in kb and kb not in ka


# --------------------------------------------------------------------------------- the documents


def annotated(root: Path | str) -> list[tuple[str, list[dict[str, Any]], Document]]:
    """(name, gold metrics, loaded source) for the seeds (seeds/gold) and the corpus (corpus/c*.json) under ``root``."""
    from ..gold_sets import corpus_docs, seed_docs

    return _loaded(seed_docs(Path(root)) + corpus_docs(Path(root)))


def held_out(root: Path | str) -> list[tuple[str, list[dict[str, Any]], Document]]:
    """(name, gold metrics, loaded source) for the report pairs (corpus/pairs/p*.json), measured apart.

    The pairs were written after the check's rules and are never looked at while changing them, so
    their rates show how the check does on reports it was not fitted to.
    """
    from ..gold_sets import pair_docs

    return _loaded(pair_docs(Path(root)))


def _loaded(docs: list[Any]) -> list[tuple[str, list[dict[str, Any]], Document]]:
    """(name, gold metrics, loaded source) of ``gold_sets`` documents whose gold lists metrics."""
    from ..cleaning import with_boilerplate
    from ..loading import read

    out = []
    for d in docs:
        metrics = json.loads(d.gold.read_text(encoding="utf-8")).get("metrics")
        if metrics:
            out.append((d.path.stem, metrics, with_boilerplate(read(d.path))))
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the planted-error tables for the seeds + corpus and for the five held-out sets of a checkout (``--root``)."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m reportkit.check.planted", description=__doc__.splitlines()[0])
    p.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2], help="a checkout with seeds/ and corpus/")
    p.add_argument("--misses", type=int, default=0, help="list this many misses and false alarms")
    args = p.parse_args(argv)
    docs = annotated(args.root)
    if not docs:
        print(f"no annotated documents under {args.root} (seeds/gold/*.json, corpus/c*.json)", file=sys.stderr)
        return 2
    from ..gold_sets import PRISTINE, blind2_docs, blind3_docs, blind_docs, fresh_docs, independent_docs

    groups = (
        ("seeds + corpus", docs, ""),
        ("held out: corpus/pairs", held_out(args.root), "pairs"),
        ("held out: tests/data/independent", _loaded(independent_docs(args.root)), "independent"),  # written apart from the rules
        ("held out: tests/data/fresh", _loaded(fresh_docs(args.root)), "fresh"),  # the same, used to fix them since
        ("held out: tests/data/blind", _loaded(blind_docs(args.root)), "blind"),  # the same, opened once blind2 replaced it
        ("held out: tests/data/blind2", _loaded(blind2_docs(args.root)), "blind2"),  # the same, opened once blind3 replaced it
        ("held out: tests/data/blind3", _loaded(blind3_docs(args.root)), "blind3"),  # seen by nobody fixing the check
    )
    for title, group, name in groups:
        if not group:
            print(f"\n{title}: no documents")
            continue
        rates = planted_error_rates((metrics, doc) for _, metrics, doc in group)
        print(f"\n{title}: {len(group)} documents, {rates.total.get('gold', 0)} gold metrics")
        print(rates.table())
        if name in PRISTINE:
            continue  # its misses are for its writer alone (its README): totals only
        for kind, note, detail in (rates.misses[: args.misses] + rates.false_alarms[: args.misses]):
            print(f"  {kind}: {note} → {detail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
