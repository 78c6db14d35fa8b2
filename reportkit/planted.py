"""Planted errors for measuring the figure check. Gold metrics + source text → mutated metrics → detection rates.

Every gold metric is turned into the mistakes a language model makes: a changed digit, a shifted
decimal point, the wrong scale or unit, a growth rate given as an amount, a value that is nowhere
in the text, and a value swapped with another metric's of another sentence (keeping this metric's
quote, or taking the other metric's quote as models do). Mutations that would still be true of
the source (the new value is stated in the same sentence, or the two names cannot be told apart)
are skipped, so every planted error is a real error. A growth rate given its sentence's amount
*with* that amount's unit states a true figure under a wrong kind: it counts as caught when
``kind_ok`` is False, which is how ``validation.flagged`` counts it.

Swaps inside one sentence (``swapped_in_sentence``) are measured too but held to no target: there
the name alone must pick the figure. Harmless rewrites (no quote, a reformatted quote, the value at
another scale, a reworded name) measure false alarms beside the unmodified gold metrics. All
choices are deterministic (a seeded ``random.Random``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import attribution
from .document import Document
from .matching import SourceIndex, as_quantity, index_source, locate, matches, stated_in
from .numbers import to_halfwidth
from .schema import Check, Metric
from .validation import check_metric, is_flagged

ERROR_KINDS = ("changed_digit", "shifted_decimal", "scale_or_unit", "growth_to_amount", "nowhere", "swapped_value", "swapped_quote")
EXTRA_KINDS = ("swapped_in_sentence",)
HARMLESS_KINDS = ("no_quote", "loose_quote", "converted", "name_variant")
# What the tests hold the validator to: the share of planted errors it must flag.
TARGETS = {"changed_digit": 0.99, "shifted_decimal": 0.99, "scale_or_unit": 0.99, "growth_to_amount": 0.99,
           "nowhere": 0.99, "swapped_value": 0.90, "swapped_quote": 0.90}
FALSE_ALARM_LIMIT = 0.01  # on the gold metrics as annotated
HARMLESS_LIMIT = 0.02  # on harmless rewrites of them
_PARTNERS = 3  # swap partners tried per metric


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

    def rate(self, kind: str) -> float:
        """Share of the metrics of ``kind`` that were flagged (0.0 when there were none)."""
        return self.flagged.get(kind, 0) / self.total[kind] if self.total.get(kind) else 0.0

    def table(self) -> str:
        """A plain-text table: detection per error kind, then false alarms on gold and rewrites."""
        lines = [f"{'planted error':<20} {'planted':>7} {'caught':>7} {'rate':>7} {'by status':>9}"]
        for kind in ERROR_KINDS + EXTRA_KINDS:
            lines.append(
                f"{kind:<20} {self.total.get(kind, 0):>7} {self.flagged.get(kind, 0):>7} {self.rate(kind):>7.1%}"
                f" {self.by_status.get(kind, 0):>9}"
            )
        lines.append(f"{'no error':<20} {'checked':>7} {'flagged':>7} {'rate':>7}")
        for kind in ("gold",) + HARMLESS_KINDS:
            lines.append(f"{kind:<20} {self.total.get(kind, 0):>7} {self.flagged.get(kind, 0):>7} {self.rate(kind):>7.1%}")
        return "\n".join(lines)


def check(metric: dict[str, Any], index: SourceIndex) -> Check:
    """The validator's check of one metric given as a dict."""
    return check_metric(Metric.model_validate(metric), index)


def planted_error_rates(cases: Iterable[tuple[list[dict[str, Any]], Document | str]], seed: int = 4) -> Rates:
    """Check every gold metric, every planted error and every harmless rewrite; count what is flagged.

    Args:
        cases: (gold metrics, source) pairs, one per annotated document.
        seed: seeds the random choices (swap partners, values that are nowhere).

    Returns:
        The Rates, with the misses and false alarms listed for inspection.
    """
    rates = Rates()
    for metrics, source in cases:
        index = index_source(source)
        for m in metrics:
            rates.add("gold", check(m, index), m["name"])
        for p in plant_errors(metrics, index, seed=seed) + rewrites(metrics):
            rates.add(p.kind, check(p.metric, index), p.note)
    return rates


def plant_errors(metrics: list[dict[str, Any]], source: Document | str | SourceIndex, seed: int = 4) -> list[Planted]:
    """Every planted error for the gold ``metrics`` of one source (see the module docstring)."""
    index = index_source(source)
    rng = random.Random(seed)
    out: list[Planted] = []
    sentences = [_sentence(index, m) for m in metrics]
    for n, m in enumerate(metrics):
        out += _changed_digit(index, m, sentences[n])
        out += _shifted(index, m, sentences[n])
        out += _scale(index, m, sentences[n])
        out += _nowhere(index, m, rng)
        out += _growth(index, m, sentences[n])
        out += _swaps_in_sentence(metrics, n, sentences)
        order = [k for k in range(len(metrics)) if k != n]
        rng.shuffle(order)
        partners = [k for k in order if _swappable(index, metrics[k], sentences[n], sentences[k])][:_PARTNERS]
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
        quote = m["quote"]
        out.append(Planted("no_quote", {**m, "quote": ""}, m, f"{m['name']} without its quote"))
        spaced = " ".join(quote[i : i + 4] for i in range(0, len(quote), 4)).replace("%", "\uff05")
        out.append(Planted("loose_quote", {**m, "quote": spaced}, m, f"{m['name']}: quote {spaced}"))
        unit = m["unit"]
        if unit[:1] in ("亿", "万") and len(unit) > 1 or unit in ("亿", "万"):
            smaller = ("万" if unit[0] == "亿" else "") + unit[1:]
            value = float(f"{m['value'] * 1e4:.10g}")
            out.append(Planted("converted", _mutant(m, value=value, unit=smaller), m, f"{m['name']}: {value:g}{smaller}"))
        for name in ("全年" + m["name"], m["name"] + "数量"):
            out.append(Planted("name_variant", {**m, "name": name}, m, f"{m['name']} named {name}"))
    return out


def _sentence(index: SourceIndex, m: dict[str, Any]) -> tuple[int, int] | None:
    spans = locate(index, m["quote"])
    return attribution.sentence_span(index.text, spans[0][0]) if spans else None


def _mutant(m: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**m, "value_text": "", **changes}


def _changed_digit(index: SourceIndex, m: dict[str, Any], sentence: tuple[int, int] | None) -> list[Planted]:
    text = f"{m['value']:g}"
    for pos in reversed([i for i, c in enumerate(text) if c.isdigit()]):
        for step in range(1, 10):
            digit = str((int(text[pos]) + step) % 10)
            if pos == 0 and digit == "0" and len(text) > 1:
                continue
            value = float(text[:pos] + digit + text[pos + 1 :])
            if not stated_in(index, value, m["unit"], sentence):
                return [Planted("changed_digit", _mutant(m, value=value), m, f"{m['name']}: {text} → {value:g}")]
    return []


def _shifted(index: SourceIndex, m: dict[str, Any], sentence: tuple[int, int] | None) -> list[Planted]:
    out = []
    for factor in (10.0, 0.1):
        value = float(f"{m['value'] * factor:.10g}")
        if not stated_in(index, value, m["unit"], sentence):
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
    if to_halfwidth(unit) == "%":
        return "个百分点"
    if unit in ("个百分点", "百分点"):
        return "%"
    return "万" + unit


def _scale(index: SourceIndex, m: dict[str, Any], sentence: tuple[int, int] | None) -> list[Planted]:
    unit = _rescaled(m["unit"])
    if stated_in(index, m["value"], unit, sentence):
        return []
    return [Planted("scale_or_unit", _mutant(m, unit=unit), m, f"{m['name']}: {m['unit']} → {unit}")]


def _nowhere(index: SourceIndex, m: dict[str, Any], rng: random.Random) -> list[Planted]:
    places = len(f"{m['value']:g}".partition(".")[2])
    for _ in range(100):
        value = round(m["value"] * rng.uniform(0.3, 3.0) + rng.randint(1, 9), places)
        if not matches(index, as_quantity(value, m["unit"])) and value != m["value"]:
            return [Planted("nowhere", _mutant(m, value=value), m, f"{m['name']}: {m['value']:g} → {value:g}")]
    return []


def _growth(index: SourceIndex, m: dict[str, Any], sentence: tuple[int, int] | None) -> list[Planted]:
    """A growth rate given as an amount: its unit turned to 亿元, or the value (and unit) of its sentence's amount."""
    is_growth = m.get("kind") == "growth_rate" or (m.get("kind") == "target" and "比增" in m["name"])
    if not is_growth or to_halfwidth(m["unit"]) != "%":
        return []
    out = []
    if not stated_in(index, m["value"], "亿元", sentence):
        out.append(Planted("growth_to_amount", _mutant(m, unit="亿元"), m, f"{m['name']}: % → 亿元"))
    amounts = [q for q in index.figures if sentence and sentence[0] <= q.start < sentence[1] and q.family == "money"]
    if amounts:
        a = amounts[0]
        if not stated_in(index, a.value, "%", sentence):
            out.append(Planted("growth_to_amount", _mutant(m, value=a.value), m, f"{m['name']}: the amount's {a.value:g} as %"))
        out.append(Planted("growth_to_amount", _mutant(m, value=a.value, unit=a.unit), m, f"{m['name']}: the amount {a.value:g}{a.unit}, kind kept"))
    return out


def _swaps_in_sentence(metrics: list[dict[str, Any]], n: int, sentences: list[tuple[int, int] | None]) -> list[Planted]:
    """Metric n given the value + unit of each other metric of its sentence (a different figure)."""
    m, out = metrics[n], []
    for k, b in enumerate(metrics):
        if k == n or sentences[n] is None or sentences[k] != sentences[n] or not _names_differ(m["name"], b["name"]):
            continue
        if math.isclose(b["value"], m["value"]) and b["unit"] == m["unit"]:
            continue
        note = f"{m['name']} given {b['name']}'s {b['value']:g}{b['unit']} from the same sentence"
        out.append(Planted("swapped_in_sentence", _mutant(m, value=b["value"], unit=b["unit"]), m, note))
    return out


def _swappable(index: SourceIndex, b: dict[str, Any], sa: tuple[int, int] | None, sb: tuple[int, int] | None) -> bool:
    """B's value can be planted into A: other sentence, and not stated in A's sentence."""
    if sa is None or sb is None or sa == sb:
        return False
    return not stated_in(index, b["value"], b["unit"], sa)


def _names_differ(a: str, b: str) -> bool:
    """Two names a reader can tell apart: neither core is part of the other."""
    ka, kb = attribution.name_key(a).core, attribution.name_key(b).core
    return ka not in kb and kb not in ka
