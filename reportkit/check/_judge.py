"""The status of one figure: its value looked up, its quote looked in, its name matched by clause. Want + name + quote places → Verdict.

The quote says where to look; the name says which figure there is meant. A figure in the quote
that states the value and that the name names (and no sibling of it names better) is
``verified``; one the name does not name is ``misattributed``, whatever else the source says,
unless the value is stated elsewhere for the named indicator. Without a quote the name alone
decides among the places that state the value. Every lookup is bounded: the figures of the quote
first (a quote that states the value for the name weighs nothing else), then the places that
state a value (nearest the quote first), the figures of the quote's sentences, and the name's
candidates from the index's word index.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..index import SourceIndex
from ..numbers import Quantity
from . import _arithmetic
from ._attribution import T_NAME, NameKey, Namer, text_score
from ._values import matches, matches_inside

MAX_PLACES = 64  # places stating one value that are weighed (the nearest to the quote first)
CANDIDATES = 256  # without a quote, a common value's places are looked for among the name's best candidates
_RATE_VERB = re.compile(r"([\u4e00-\u9fff]{2})率")


class Verdict(NamedTuple):
    """A figure's status, why, and the source figure that is the evidence (a named tuple: one per figure checked)."""

    status: str
    detail: str
    figure: int | None = None  # index into SourceIndex.figures of the evidence


def _where(index: SourceIndex, i: int) -> str:
    return f"“{index.clause_text(i)}”"


def judge(
    index: SourceIndex,
    want: Quantity,
    namer: Namer,
    quote_spans: list[tuple[int, int]],
    *,
    t_min: float = T_NAME,
    prefer: tuple[int, int] | None = None,
    lost_quote: bool = False,
) -> Verdict:
    """The status of one figure (value + unit) named by ``namer``'s key, looked for in ``quote_spans`` (view offsets) first.

    ``prefer`` (view offsets) breaks ties between equal places; ``lost_quote`` says that a quote
    was given but not found, which the detail then mentions.
    """
    figs = index.figures
    key = namer.key

    def fits(i: int) -> bool:
        return namer.fits(i, t_min)

    def rank(i: int) -> tuple[float, bool]:
        return namer.score(i), prefer is not None and prefer[0] <= figs[i].quantity.start < prefer[1]

    if quote_spans:  # the common case first: the quote states the value for this name, and no other place is weighed
        stated = matches_inside(index, want, quote_spans)
        same_in = [i for i, m in stated.items() if m.level != "digits"]
        if same_in and fits(top := max(same_in, key=rank)):
            return Verdict("verified", f"{index.figure_text(top)} stated in the quote{stated[top].note}", top)

    spans = quote_spans or ([prefer] if prefer else [])
    levels = matches(index, want, spans[0][0] if spans else None, MAX_PLACES,
                     among=lambda: index.candidates(key.core, CANDIDATES))

    def inside(i: int) -> bool:
        q = figs[i].quantity
        return any(s <= q.number_start and q.number_end <= e for s, e in quote_spans)

    same_places = [i for i, m in levels.items() if m.level != "digits"]
    digit_places = [i for i, m in levels.items() if m.level == "digits"]
    ranked: dict[str, list[int]] = {}

    def ordered(name: str) -> list[int]:
        """The places ranked by how well the name fits them, computed on first need (each costs a context)."""
        if name not in ranked:
            if name == "fitted":
                ranked[name] = [i for i in ordered("same") if fits(i)]
            else:
                ranked[name] = sorted(same_places if name == "same" else digit_places, key=rank, reverse=True)
        return ranked[name]

    want_text = f"{want.value_text}{want.unit}"

    def verdict(status: str, i: int | None, detail: str) -> Verdict:
        note = levels[i].note if i is not None and i in levels and status in ("verified", "unit_mismatch") else ""
        return Verdict(status, detail + note, i)

    if not quote_spans:
        same, digits, fitted = ordered("same"), ordered("digits"), ordered("fitted")
        lost = " (the quote itself was not found)" if lost_quote else ""
        if fitted:
            return verdict("verified", fitted[0], f"{index.figure_text(fitted[0])} stated in the source{lost}")
        if derived := _derived(index, want, key, None):
            return derived
        if same:
            return verdict("misattributed", same[0], f"{want_text} is stated only at {_where(index, same[0])}, about another indicator")
        if fitted_digits := [i for i in digits if fits(i)]:
            top = fitted_digits[0]
            return verdict("unit_mismatch", top, f"the source states {index.figure_text(top)} here, not {want_text}")
        return verdict("unsupported", None, f"{want_text} is not stated anywhere in the source")

    if in_quote := sorted((i for i in same_places if inside(i)), key=rank, reverse=True):
        top = in_quote[0]
        if fits(top):
            return verdict("verified", top, f"{index.figure_text(top)} stated in the quote")
        if fitted := ordered("fitted"):
            return verdict("verified", fitted[0], f"{index.figure_text(fitted[0])} stated for this indicator at {_where(index, fitted[0])}, not the quote's")
        rival = namer.rival(top)
        if rival is not None:
            why = f"; the name is that of {_where(index, rival)}"
        elif namer.names_base(top):
            why = "; the name is that of the whole it is a share of"
        else:
            why = "; the name names nothing there"
        return verdict("misattributed", top, f"{index.figure_text(top)} in the quote belongs to {_where(index, top)}{why}")
    sentences = {index.sentence_at(s) for s, _ in quote_spans}
    if near := sorted((i for i in same_places if figs[i].sentence in sentences and fits(i)), key=rank, reverse=True):
        return verdict("verified", near[0], f"{index.figure_text(near[0])} stated next to the quote")
    # Figures of the metric's kind in the quote that the name is about: the quote's own answer.
    rivals = [
        i for s, e in quote_spans for i in index.figures_between(s, e)
        if figs[i].family == want.family and i not in levels and inside(i) and fits(i)
    ]
    told = f"; the quote states {index.figure_text(rivals[0])} for this indicator" if rivals else ""
    digits_in = sorted((i for i in digit_places if inside(i)), key=rank, reverse=True)
    if digits_in and (fits(digits_in[0]) or not rivals):
        return verdict("unit_mismatch", digits_in[0], f"the quote states {index.figure_text(digits_in[0])}, not {want_text}")
    if derived := _derived(index, want, key, sentences):
        return derived
    same, fitted = ordered("same"), ordered("fitted")
    if fitted and not rivals:
        return verdict("verified", fitted[0], f"{index.figure_text(fitted[0])} stated for this indicator (not in the quote)")
    if same:
        return verdict("misattributed", same[0], f"{want_text} is stated at {_where(index, same[0])}, not in the quote{told}")
    if digits_in:
        top = digits_in[0]
        return verdict("misattributed", top, f"{index.figure_text(top)} in the quote belongs to {_where(index, top)}{told}")
    return verdict("unsupported", None, f"{want_text} is not stated in the quote or anywhere in the source{told}")


def _derived(index: SourceIndex, want: Quantity, key: NameKey, sentences: set[int] | None) -> Verdict | None:
    """A percent that is not stated but is a ratio of two counts in the quote's (or the name's) sentence."""
    verb = _RATE_VERB.search(key.core)
    if want.family != "percent" or not verb:
        return None
    if sentences is None:
        sentences = {index.figures[i].sentence for i in index.candidates(key.core)}
    places = _arithmetic.decimals(want.value_text)
    for sentence in sorted(sentences):
        s0, s1 = index.sentences[sentence]
        if text_score(key, index.view[s0:s1]) < T_NAME:
            continue
        for r in _arithmetic.ratios(index, sentence):
            if not _arithmetic.agrees(want.value, r.percent, places):
                continue
            if verb.group(1) not in index.view[index.clauses[index.figures[r.numerator].clause].start : index.clauses[index.figures[r.numerator].clause].end]:
                continue
            n, d = index.figure_text(r.numerator), index.figure_text(r.denominator)
            return Verdict("derived", f"not stated; {n} / {d} = {r.percent:.4g}%, written {want.value_text}{want.unit}")
    return None
