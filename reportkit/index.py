"""One index per document, built once: sentences, clauses, every figure with its clause, owner and section. Document → SourceIndex.

The rules engine, the LLM engine's grounding and the figure check all ask the same questions of a
source: where does this quote stand, which figures state this value, what is this figure about,
which figures does this indicator name describe. ``build_index`` answers them from one scan, and
the SourceIndex is plain frozen data (tuples and dicts of small values), cheap to keep beside a
cached report and to pickle.

**The joined view.** A PDF breaks lines at the page width, inside sentences and inside figures
(``3.03万平\\n方米``). Figures, clauses and sentences are read from ``view``: the text with such
breaks removed (between two CJK characters in a PDF; inside a sentence of any text whose own layout
is hard-wrapped, see reportkit.wrapping; in any format, between a number and its unit and inside a
unit word). ``view_at`` maps every view offset back to the text, so every span the
index hands out (``Figure.span``, ``find_quote``) still indexes ``Document.text``. Without a join
the view is the text itself.

**What a figure is about.** A figure's clause runs between clause punctuation; an enumeration
comma ends a clause only right after a figure (组建业委会70个、楼事会250个 gives each count its
own label). A clause whose words say only what happened (同比增长5.8%, 较上年提高2.3个百分点,
总数达到137家) names no indicator of its own: its figure's *owner* is the figure of the nearest
clause before it in the sentence that does (地区生产总值86.4亿元). A 分别 clause pairs its figures
in order with the items of the subject before it (城镇和农村居民收入分别增长4.9%和6.6%) or with
the figures of the clause before it (分别为X亿元和Y亿元,分别增长a%和b%). ``Figure.about`` holds
the folded indicator words the figure is about, so two figures with one owner describe one
indicator, and a list's figures describe different ones.

**The word index.** ``candidates(name)`` returns the figures whose indicator words share the most
character pairs with a name, from a posting list per pair, rarest pairs first and at most ``k``
figures: its cost depends on the name and the pairs' frequency, not on the document's length.
"""

from __future__ import annotations

import functools
import re
import threading
import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from . import cleaning, lexicon, locating, numbers, wrapping
from .document import Document, Span
from .numbers import Quantity, find_periods, find_quantities, is_figure, may_span
from .segmenting import Outline, forget_outlines, scan_windows, segment
from .tables import tables_of

__all__ = ["CLAUSE_BREAKS_MEMO", "Clause", "Figure", "SourceIndex", "build_index", "clause_breaks", "fold_words", "indicator_words", "unit_key", "value_key"]

_DROP = re.compile(r"[^\u4e00-\u9fffA-Z0-9]+")  # all but CJK, letters and digits: 10亿元以上项目 is not 亿元以上项目
_ABBREVIATIONS = tuple((short, long) for long, short in lexicon.INDICATOR_ABBREVIATIONS) + lexicon.CHECK_ABBREVIATIONS
# Any short form: where none occurs (most text), no abbreviation needs looking at. No long form
# holds a short one, so expanding one never makes another appear.
_SHORT_FORMS = re.compile("|".join(re.escape(short) for short, _ in _ABBREVIATIONS))
_GENERIC_RE = re.compile("|".join(sorted(map(re.escape, lexicon.CHECK_GENERIC_WORDS + lexicon.CHECK_KEPT_WORDS), key=len, reverse=True)))
# The same alternatives in the same order without the kept words: where none of them occurs, it matches as _GENERIC_RE does.
_GENERIC_ONLY_RE = re.compile("|".join(sorted(map(re.escape, lexicon.CHECK_GENERIC_WORDS), key=len, reverse=True)))
_SPLIT_ITEMS = re.compile(f"[{lexicon.char_class(lexicon.ENUMERATION_COMMA)}]|" + "|".join(lexicon.CHECK_LIST_JOINERS))
_MAX_POSTING = 4096  # a pair on more figures than this says nothing about which one a name means
_MAX_ANCHORS = 64  # places of a quote's figure looked around (a quote stated more often is a repeated passage)
_PLAIN_NUMBER = re.compile(r"(?<![0-9.,])[0-9]+(?:\.[0-9]+)?(?![0-9.,])")
_PLAIN_SEARCH = 32_768  # up to this many characters a quote is searched for in the whole text


def fold_words(s: str) -> str:
    """Indicator wording made comparable: half-width, upper case, abbreviations expanded, only CJK and letters kept.

    规上工业产值 and 规模以上工业产值 fold alike, and so do GDP and 地区生产总值.
    """
    return _fold_cased(lexicon.to_halfwidth(s).upper())


def _fold_cased(s: str) -> str:
    """fold_words of text already half-width and upper case (a slice of ``_Cased``)."""
    if _SHORT_FORMS.search(s):
        for short, long in _ABBREVIATIONS:
            if short in s:
                s = s.replace(long, short).replace(short, long)  # never expand a long form twice
    return _DROP.sub("", s)


def indicator_words(folded: str) -> str:
    """The words of folded text that say *which* indicator, not what happened to it (同比增长, 完成, 全年 dropped)."""
    if not any(map(folded.__contains__, lexicon.CHECK_KEPT_WORDS)):
        return _GENERIC_ONLY_RE.sub("", folded)  # no kept word to protect: a plain substitution (no call per match)
    return _GENERIC_RE.sub(lambda m: m[0] if m[0] in lexicon.CHECK_KEPT_WORDS else "", folded)  # 增加值 keeps 增加


def value_key(x: float) -> str:
    """The lookup key of a number: 9 significant digits, so 134.2 and 134.20 meet."""
    return f"{x:.9g}"


class Figure(NamedTuple):
    """One figure of the source and what it is about (read-only, fields by name).

    ``quantity`` has offsets in the index's ``view``; ``span`` is the figure in ``Document.text``.
    A named tuple, not a frozen dataclass: an index builds one per figure and one per clause, and
    a dataclass's frozen __init__ (one ``object.__setattr__`` per field) cost four times as much,
    a tenth of the build.
    """

    quantity: Quantity
    span: Span
    clause: int  # index into SourceIndex.clauses
    sentence: int  # index into SourceIndex.sentences
    section: str | None  # review / problems / plans / other, from the outline
    owner: int  # the figure whose indicator this one describes (itself when its clause names one)
    near: str  # folded words beside the figure (between its neighbours in the clause)
    about: str  # folded indicator words it is about: its clause's, its owner's, or its 分别 item's
    paired: bool  # ``about`` is one item of a 分别 list (the clause's other words belong to the other items)
    unit_scale: float
    unit_base: str  # base unit with spellings folded (平米 = 平方米)
    family: str  # what the unit measures (numbers.Quantity.family), kept: it is asked for every comparison
    counts: bool  # a figure as numbers.is_figure defines it (no threshold, duration or aside)
    near_words: str = ""  # indicator_words(near): read for ``about`` while indexing, and kept, as the check asks again


class Clause(NamedTuple):
    """A clause of the view: [start, end), its sentence, its figures and its words (folded, figures cut out).

    A named tuple, as ``Figure`` is (an index builds thousands)."""

    start: int
    end: int
    sentence: int
    figures: tuple[int, ...]
    words: str


@dataclass(frozen=True)
class SourceIndex:
    """A source read once for every question about its figures (see the module docstring).

    Build it with ``build_index``. Offsets: ``Figure.quantity``, ``clauses`` and ``sentences`` index
    ``view``; ``Figure.span`` and ``find_quote`` results index ``text``.
    """

    text: str
    view: str
    view_at: Sequence[int] | None  # view[i] is text[view_at[i]]; None when the view is the text (an int64 array)
    format: str
    outline: Outline
    sentences: tuple[Span, ...]  # full-stop sentences of the view (a ；-list is one sentence)
    clauses: tuple[Clause, ...]
    figures: tuple[Figure, ...]
    coverage: tuple[int, ...]  # the figures a summary should carry (review and plans, as is_figure counts)
    periods: tuple[tuple[int, int, str], ...]  # view offsets
    _by_value: dict[str, tuple[int, ...]] = field(repr=False)
    _by_amount: dict[tuple[str, str], tuple[int, ...]] = field(repr=False)
    _sentence_starts: tuple[int, ...] = field(repr=False)
    _sentence_clauses: tuple[tuple[int, int], ...] = field(repr=False)  # per sentence: its clauses [first, last + 1)
    _figure_starts: tuple[int, ...] = field(repr=False)
    # Facts derived from the index on first use (a figure's context and scope, a clause's parts,
    # the clause breaks): shared by every metric and every report checked against this source, and
    # left out of equality and pickling (they are recomputed as asked).
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    # Built on first use, as most checks never ask for them: the word index of ``candidates`` (a
    # quote or a value finds the figure; posting every figure under every pair of its words was a
    # tenth of the build) and the tolerant fold of the text (``loose``: a verbatim quote needs
    # none, and it holds 9 bytes a character). Derived from the fields, so left out of equality
    # and pickling.
    _lazy: dict = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["memo"] = {}
        state["_lazy"] = {}
        return state

    def __setstate__(self, state: dict) -> None:
        state.setdefault("_lazy", {})  # an index pickled before the word index was built lazily
        for derived in ("_by_pair", "loose", "loose_at"):
            state.pop(derived, None)
        self.__dict__.update(state)

    @property
    def loose(self) -> str:
        """The text folded for tolerant quote lookup (``reportkit.locating.fold``)."""
        return self._folded()[0]

    @property
    def loose_at(self) -> Sequence[int]:
        """Per character of ``loose``, its offset in ``text`` (an int64 array: 8 bytes a character, not an int object)."""
        return self._folded()[1]

    def _folded(self) -> tuple[str, Sequence[int]]:
        found = self._lazy.get("loose")
        if found is None:
            loose, at = locating.fold(self.text)
            found = self._lazy.setdefault("loose", (loose, array("q", at)))
        return found

    @property
    def _by_pair(self) -> dict[str, tuple[int, ...]]:
        """Per pair of adjacent folded characters, the figures whose indicator words hold it, in figure order."""
        found = self._lazy.get("pairs")
        if found is None:
            found = self._lazy.setdefault("pairs", _postings(self.figures, self.clauses))
        return found

    # ------------------------------------------------------------------ offsets

    def to_view(self, pos: int) -> int:
        """The view offset of text offset ``pos`` (the next kept character when ``pos`` was joined away)."""
        return pos if self.view_at is None else bisect_left(self.view_at, pos)

    def to_text(self, start: int, end: int) -> Span:
        """The text span of view span [start, end)."""
        if self.view_at is None:
            return start, end
        if end <= start:
            at = self.view_at[start] if start < len(self.view_at) else len(self.text)
            return at, at
        return self.view_at[start], self.view_at[end - 1] + 1

    # ------------------------------------------------------------------ structure

    def sentence_at(self, view_pos: int) -> int:
        """The sentence holding view offset ``view_pos``."""
        return max(0, bisect_right(self._sentence_starts, view_pos) - 1)

    def figures_between(self, start: int, end: int) -> range:
        """Figures whose number starts in view span [start, end), as a range of indices."""
        return range(bisect_left(self._figure_starts, start), bisect_left(self._figure_starts, end))

    def sentence_figures(self, sentence: int) -> range:
        """The figures of one sentence, in order."""
        s, e = self.sentences[sentence]
        return self.figures_between(s, e)

    def sentence_clauses(self, sentence: int) -> tuple[int, int]:
        """The clauses of one sentence, [first, last + 1)."""
        return self._sentence_clauses[sentence]

    def sentence_words(self, sentence: int) -> str:
        """The folded words of a sentence, figures cut out."""
        a, b = self._sentence_clauses[sentence]
        return "".join(c.words for c in self.clauses[a:b])

    def list_start(self, c: int) -> int:
        """The first clause of the figure list clause c goes on (8%和5% of 分别增长12%、8%和5%): c itself when it starts one."""
        clauses = self.clauses
        while c > 0 and _continues_figures(self.view, clauses[c - 1], clauses[c]):
            c -= 1
        return c

    def figure_text(self, i: int) -> str:
        """Figure i as written in the source: 超5亿元."""
        s, e = self.figures[i].span
        return self.text[s:e]

    def clause_text(self, i: int) -> str:
        """The clause of figure i as written (stripped)."""
        c = self.clauses[self.figures[i].clause]
        s, e = self.to_text(c.start, c.end)
        return self.text[s:e].strip().rstrip(lexicon.CLAUSE_BREAKS + lexicon.ENUMERATION_COMMA).strip()

    # ------------------------------------------------------------------ lookups

    def figures_valued(self, value: float) -> tuple[int, ...]:
        """Figures whose number as written (either end of a range) is ``value``."""
        return self._by_value.get(value_key(value), ())

    def figures_amounting(self, amount: float, base_unit: str) -> tuple[int, ...]:
        """Figures stating ``amount`` in ``base_unit`` at any scale (134.2亿元 = 1342000万元)."""
        return self._by_amount.get((value_key(amount), base_unit), ())

    def candidates(self, name: str, k: int = 8) -> list[int]:
        """The ``k`` figures whose indicator words share the most character pairs with ``name``, best first.

        Pairs are taken rarest first; a pair on more than ``_MAX_POSTING`` figures is skipped, so the
        cost is bounded by the name, not the document.
        """
        core = indicator_words(fold_words(name)) or fold_words(name)
        pairs = sorted({core[i : i + 2] for i in range(len(core) - 1)}, key=lambda p: len(self._by_pair.get(p, ())))
        hits: dict[int, int] = {}
        for p in pairs:
            posting = self._by_pair.get(p, ())
            if len(posting) > _MAX_POSTING:
                break
            for i in posting:
                hits[i] = hits.get(i, 0) + 1
        return sorted(hits, key=lambda i: (-hits[i], i))[:k]

    def find_quote(self, quote: str, limit: int = 8) -> list[Span]:
        """Where ``quote`` stands in the text: verbatim, else ignoring spaces, line breaks, width and quote marks.

        A text of up to ``_PLAIN_SEARCH`` characters is searched whole (a C-level search of it costs
        less than reading the quote's figures). In a longer one the quote is looked for around the
        source figures that state its own figures (its rarest one: first as its written digits
        say, then as the figure reader reads it), so the cost does not grow with the document; a
        quote without a figure is searched for in the whole text. Spans index ``text``; a tolerant
        match runs from the first to the last matched character. At most ``limit`` places are
        returned, in text order.
        """
        quote = quote.strip()
        if not quote:
            return []
        fold = locating.fold  # looked up per call: a test counts the folds
        if len(self.text) <= _PLAIN_SEARCH:  # a C-level search of a short text costs less than reading the quote's figures
            return _all_places(self, quote, fold, limit)
        quick = self._digit_anchors(quote)
        if quick:  # the common case: a verbatim quote, found around its rarest written number
            found = self._around(quote, quick, limit, fold, loose=False)
            if found:
                return found
        anchors = self._anchors(quote)
        if anchors is None:
            return _all_places(self, quote, fold, limit)
        return self._around(quote, anchors, limit, fold)

    def _around(self, quote: str, anchors: list[int], limit: int, fold, loose: bool = True) -> list[Span]:
        """The places of ``quote`` near ``anchors`` (text offsets, in order): verbatim, else (``loose``) tolerantly."""
        width = len(quote) + 8
        exact: set[Span] = set()
        text, searched = self.text, -1
        for a in anchors:  # in text order: once ``limit`` places are found, later anchors add none
            if len(exact) >= limit:
                break
            lo, hi = max(0, a - 2 * width, searched), a + 2 * width
            if lo >= hi:
                continue
            searched = hi - len(quote) + 1  # the next window need not look again where this one did
            at = text.find(quote, lo, hi)
            while at >= 0 and len(exact) < limit:
                exact.add((at, at + len(quote)))
                at = text.find(quote, at + 1, hi)
        if exact or not loose:
            return sorted(exact)[:limit]
        needle = fold(quote.strip(" \u3002" + lexicon.SEMICOLONS + lexicon.COMMAS))[0]
        if not needle:
            return []
        found: set[Span] = set()
        loose, loose_at = self._folded()
        for a in anchors:
            if len(found) >= limit:
                break
            f = bisect_left(loose_at, a)
            lo, hi = max(0, f - 2 * width), f + 2 * width
            at = loose.find(needle, lo, hi)
            while at >= 0 and len(found) < limit:
                found.add((loose_at[at], loose_at[at + len(needle) - 1] + 1))
                at = loose.find(needle, at + 1, hi)
        return sorted(found)[:limit]

    def _digit_anchors(self, quote: str) -> list[int]:
        """Text offsets of the source figures valued as the quote's rarest plain written number
        (digits, not a thousands group) that the source states at all; [] when it has none.

        Reading the numbers this way costs a regex, not the figure reader: a verbatim quote is
        found around them, and only a quote not found so falls back to its figures (``_anchors``).
        """
        best: tuple[int, ...] = ()
        for m in _PLAIN_NUMBER.finditer(lexicon.to_halfwidth(quote)):
            hits = self.figures_valued(float(m.group()))
            if hits and (not best or len(hits) < len(best)):
                best = hits
        figures = self.figures
        return [figures[i].span[0] for i in best[:_MAX_ANCHORS]]

    def _anchors(self, quote: str) -> list[int] | None:
        """Text offsets of the source figures that state the quote's rarest figure; None if it has none."""
        found = find_quantities(quote, chinese=True)
        if not found:
            return None
        best: tuple[int, ...] | None = None
        for q in found:
            hits = self.figures_valued(q.value)
            if best is None or len(hits) < len(best):
                best = hits
        return [self.figures[i].span[0] for i in (best or ())[:_MAX_ANCHORS]]


def _all_places(index: SourceIndex, quote: str, fold, limit: int) -> list[Span]:
    """Every place of ``quote`` in the whole text: verbatim, else tolerantly (the fold made only then)."""
    text = index.text
    spans, at = [], text.find(quote)
    while at >= 0 and len(spans) < limit:
        spans.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    if spans:
        return spans
    needle = fold(quote.strip(" \u3002" + lexicon.SEMICOLONS + lexicon.COMMAS))[0]
    if not needle:
        return spans
    loose, loose_at = index._folded()
    at = loose.find(needle)
    while at >= 0 and len(spans) < limit:
        spans.append((loose_at[at], loose_at[at + len(needle) - 1] + 1))
        at = loose.find(needle, at + 1)
    return spans


# ---------------------------------------------------------------------------------------- building


def build_index(source: Document | str | SourceIndex) -> SourceIndex:
    """Read a source once: the joined view, outline, sentences, clauses, figures and their owners, lookups.

    Args:
        source: a Document (its boilerplate is used, or found when it has none), the source text,
            or an index already built (returned as is).

    Returns:
        The SourceIndex. Coverage counts the figures of the review and plans sections (of the whole
        content when the outline has neither), as ``numbers.is_figure`` defines a figure.
    """
    if isinstance(source, SourceIndex):
        return source
    if isinstance(source, Document):
        with _LOCK:
            kept = _BUILT.get(source)
        if kept is not None:
            return kept
        index = _build(source)
        with _LOCK:
            _BUILT[source] = index
        return index
    return _build(Document.from_text(source))


# The index of each Document still in use: the rules engine's check, the LLM engine's grounding and
# a re-validation of a cached report all ask for it, and a Document is frozen, so one build serves
# them all. An entry goes when its Document does.
_BUILT: weakref.WeakKeyDictionary[Document, SourceIndex] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def clear_caches() -> None:
    """Forget every kept index and scan (for measuring a cold start; results never depend on them)."""
    with _LOCK:
        _BUILT.clear()
    numbers.forget_scans()
    forget_outlines()
    wrapping.forget_layouts()


def _build(doc: Document) -> SourceIndex:
    doc = cleaning.with_boilerplate(doc)
    text = doc.text
    outline = segment(text, doc.boilerplate)
    view, view_at = _joined(text, doc.format)
    to_view = (lambda p: p) if view_at is None else (lambda p: bisect_left(view_at, p))

    def to_text(s: int, e: int) -> Span:
        return (s, e) if view_at is None else (view_at[s], view_at[e - 1] + 1)

    # The stretches the rules engine scans (the content ranges) and the boilerplate between them:
    # every figure of the text, and the same stretches as the engine's, so the two share one scan.
    ranges = sorted(doc.content_ranges + doc.boilerplate)
    windows = [(to_view(s), to_view(e)) for a, b in ranges for s, e in scan_windows(a, b, outline.markers)]
    row_units = _RowUnits(view)
    quantities = [row_units.apply(q) for s, e in windows for q in find_quantities(view, s, e, chinese=True)]
    sentences = _bounded(view, _sentences(lexicon.with_fullwidth_stops(view)), quantities)
    sentence_starts = tuple(s for s, _ in sentences)
    counts = [is_figure(view, q, speech=True) for q in quantities]
    cased = _Cased.of(view)
    breaks = clause_breaks(view)
    clauses, clause_of = _clauses(view, cased, quantities, counts, sentences, breaks)
    spans = [to_text(q.start, q.end) for q in quantities]
    content = [(to_view(c0), to_view(c1)) for c0, c1 in doc.content_ranges]
    content_starts = [c0 for c0, _ in content]
    figures = _figures(view, cased, quantities, counts, spans, clauses, clause_of, outline)
    kinds = outline.kinds_present()
    counted = ("review", "plans") if kinds["review"] or kinds["plans"] else ("review", "plans", "other")

    def in_content(pos: int) -> bool:
        at = bisect_right(content_starts, pos) - 1
        return at >= 0 and pos < content[at][1]

    coverage = tuple(
        i for i, f in enumerate(figures)
        if not f.quantity.chinese and f.section in counted and f.counts and in_content(f.quantity.start)
    )
    by_value: dict[str, list[int]] = {}
    by_amount: dict[tuple[str, str], list[int]] = {}
    for i, f in enumerate(figures):
        q = f.quantity
        by_value.setdefault(value_key(q.value), []).append(i)
        if q.high is not None and q.high != q.value:
            by_value.setdefault(value_key(q.high), []).append(i)
        by_amount.setdefault((value_key(q.value * f.unit_scale), f.unit_base), []).append(i)
    return SourceIndex(
        text=text,
        view=view,
        view_at=view_at,
        format=doc.format,
        outline=outline,
        sentences=sentences,
        clauses=clauses,
        figures=figures,
        coverage=coverage,
        periods=tuple(p for s, e in windows for p in find_periods(view, s, e)),
        _by_value={k: tuple(v) for k, v in by_value.items()},
        _by_amount={k: tuple(v) for k, v in by_amount.items()},
        _sentence_starts=sentence_starts,
        _sentence_clauses=_clause_ranges(clauses, len(sentences)),
        _figure_starts=tuple(q.number_start for q in quantities),
        memo={CLAUSE_BREAKS_MEMO: breaks},  # the check's clause lookups read them too (a pickle recomputes them)
    )


CLAUSE_BREAKS_MEMO = ("clause breaks",)  # the memo key of the view's clause punctuation offsets


def clause_breaks(view: str) -> list[int]:
    """View offsets of every clause punctuation mark (one character each), in order: found once per index."""
    return [m.start() for m in lexicon.CLAUSE_BREAK_RE.finditer(view)]


def _postings(figures: tuple[Figure, ...], clauses: tuple[Clause, ...]) -> dict[str, tuple[int, ...]]:
    """The word index of ``SourceIndex.candidates``: each figure under every character pair of its
    ``about`` and its clause's words."""
    by_pair: dict[str, list[int]] = {}
    pairs_of: dict[tuple[str, int], set[str]] = {}  # figures of one clause mostly share what they are about
    run: list[int] = []  # consecutive figures about one thing in one clause: posted together, still in figure order

    def post(run: list[int]) -> None:
        f = figures[run[0]]
        pairs = pairs_of.get((f.about, f.clause))
        if pairs is None:
            words = f.about + clauses[f.clause].words
            pairs = pairs_of[(f.about, f.clause)] = set(map(str.__add__, words, words[1:]))
        for p in pairs:
            by_pair.setdefault(p, []).extend(run)

    for i, f in enumerate(figures):
        if run and (figures[run[0]].about, figures[run[0]].clause) != (f.about, f.clause):
            post(run)
            run = []
        run.append(i)
    if run:
        post(run)
    return {k: tuple(v) for k, v in by_pair.items()}


def _joined(text: str, fmt: str) -> tuple[str, Sequence[int] | None]:
    """The text with layout line breaks removed (see the module docstring), and where each character came from."""
    breaks = lexicon.LINE_BREAKS
    cut: list[tuple[int, int]] = []  # [start, end) runs of line breaks (and the spaces around them) to drop
    wraps = wrapping.hard_wraps(text)  # a hard-wrapped text read through (reportkit.wrapping), whatever its format
    w = 0
    for m in re.finditer(f"[{lexicon.SPACE_CLASS}]*[{lexicon.char_class(breaks)}]+[{lexicon.SPACE_CLASS}]*", text):
        s, e = m.span()
        while w < len(wraps) and wraps[w][1] <= s:
            w += 1
        if w < len(wraps) and wraps[w][0] <= s < wraps[w][1]:
            if not cut or cut[-1] != wraps[w]:
                cut.append(wraps[w])  # a wrap may hold page furniture between its breaks: dropped whole
            continue
        before, after = text[s - 1 : s], text[e : e + 1]
        if not before or not after:
            continue
        if (fmt == "pdf" and _wrapped(before, after)) or _splits_figure(text, s, e):
            cut.append((s, e))
    if not cut:
        return text, None
    parts, at, pos = [], [], 0
    for s, e in cut:
        parts.append(text[pos:s])
        at.extend(range(pos, s))
        pos = e
    parts.append(text[pos:])
    at.extend(range(pos, len(text)))
    return "".join(parts), array("q", at)


_ROW_UNIT = re.compile(f"[{lexicon.PAREN_OPEN_CLASS}]([^{lexicon.PAREN_OPEN_CLASS}{lexicon.PAREN_CLOSE_CLASS}]{{1,8}})[{lexicon.PAREN_CLOSE_CLASS}]")


class _RowUnits:
    """A bare number in a table row takes the unit its row label names: 地区生产总值（亿元） | 68.4.

    The line breaks and bracketed units of the view are found once, so each bare number costs two
    bisections, however long its line.
    """

    def __init__(self, view: str) -> None:
        self.view = view
        self.breaks = [m.start() for m in re.finditer(f"[{lexicon.char_class(lexicon.LINE_BREAKS)}]", view)]
        found = list(_ROW_UNIT.finditer(view))  # bracketed units hold no bracket, so no two overlap
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]
        self.units = [m.group(1).strip() for m in found]
        self.tables = tables_of(view)

    def apply(self, q: Quantity) -> Quantity:
        if q.unit:
            return q
        cell = self.tables.cell(q.start, q.end)
        if cell is not None:  # 一般公共预算收入 | 万元 | 18640 | 6.3: the unit column, or the column's (%)
            return replace(q, unit=cell.unit) if cell.unit else q
        b = bisect_left(self.breaks, q.start)
        line_start = self.breaks[b - 1] + 1 if b else 0
        last = bisect_right(self.ends, q.start) - 1  # the last bracket closed before the number
        if last < 0 or self.starts[last] < line_start:
            return q
        unit = self.units[last]
        return replace(q, unit=unit) if _is_unit(unit) else q


@functools.lru_cache(maxsize=1024)
def _is_unit(unit: str) -> bool:
    """Whether a row label's bracket (亿元, 万平方米, %) is a unit the figure reader knows."""
    probe = find_quantities("1" + unit)
    return len(probe) == 1 and probe[0].unit == unit and probe[0].end == len(unit) + 1


def _wrapped(before: str, after: str) -> bool:
    """A PDF line break inside a sentence: after a word, a number or a unit, before a word or a number."""
    ends = lexicon.SENTENCE_ENDS + lexicon.SEMICOLONS + lexicon.COLONS
    return before not in ends and (lexicon.is_cjk(before) or before.isalnum() or before in "%\uff05") and (
        lexicon.is_cjk(after) or after.isalnum())


def _splits_figure(text: str, s: int, e: int) -> bool:
    """True when the break at [s, e) falls between a number and its unit or inside a unit (3.03万平|方米)."""
    lo = max(0, s - 16)
    if not lexicon.to_halfwidth(text[lo:s]).rstrip()[-1:].isalnum() and not lexicon.is_cjk(text[s - 1]):
        return False
    if not may_span(text[s - 1], text[e : e + 1]):
        return False  # most breaks: no figure can hold both neighbours, so no scan is needed
    head = text[lo:s]
    joined = head + text[e : e + 8]
    before = [q for q in find_quantities(head, chinese=False) if q.end == len(head)]
    after = [q for q in find_quantities(joined, chinese=False) if q.start < len(head) <= q.end - 1]
    if after and (not before or after[-1].start == before[-1].start and after[-1].end > len(head)):
        return True
    return False


def _sentences(view: str) -> tuple[Span, ...]:
    """Full-stop sentences: 。!? and line breaks end one; a ；-list stays one sentence."""
    ends = lexicon.SENTENCE_ENDS + lexicon.LINE_BREAKS
    out, start = [], 0
    for m in re.finditer(f"[{lexicon.char_class(ends)}]", view):
        out.append((start, m.end()))
        start = m.end()
    if start < len(view) or not out:
        out.append((start, len(view)))
    return tuple(out)


MAX_SENTENCE = 1000  # characters; the genre's longest sentences are about 260 (seeds, corpus)


def _bounded(view: str, sentences: tuple[Span, ...], qs: list[Quantity]) -> tuple[Span, ...]:
    """The sentences with any longer than ``MAX_SENTENCE`` cut into pieces no longer than that.

    A line without full stops (a table flattened into one line, ``增长5%`` repeated) would be one
    sentence and one clause holding thousands of figures, and whatever looks at a figure's
    sentence or clause would cost the whole text per figure. A piece ends at the last clause break
    in its second half, else right after the last figure ending there, else at the limit moved off
    any figure, so no figure is cut; sentences of the genre are far shorter and stay whole.
    """
    if all(e - s <= MAX_SENTENCE for s, e in sentences):
        return sentences
    breaks = [m.end() for m in lexicon.CLAUSE_BREAK_RE.finditer(view)]
    q_ends = [q.end for q in qs]
    q_starts = [q.start for q in qs]
    out: list[Span] = []
    for s, e in sentences:
        while e - s > MAX_SENTENCE:
            lo, hi = s + MAX_SENTENCE // 2, s + MAX_SENTENCE
            k = bisect_right(breaks, hi) - 1
            cut = breaks[k] if k >= 0 and breaks[k] > lo else 0
            if not cut:
                k = bisect_right(q_ends, hi) - 1
                cut = q_ends[k] if k >= 0 and q_ends[k] > lo else hi
            k = bisect_right(q_starts, cut - 1) - 1  # a figure running over the cut (1,234.5万元): cut before it
            if k >= 0 and q_starts[k] < cut < qs[k].end:
                cut = q_starts[k] if q_starts[k] > s else qs[k].end
            out.append((s, cut))
            s = cut
        out.append((s, e))
    return tuple(out)


@dataclass(frozen=True)
class _Cased:
    """The view half-width and upper case once, so the words of a clause are folded from a slice of it
    (``fold_words`` of a slice of the view is ``fold`` of the same slice of ``text``), not each
    slice widened and cased again. Where casing changes a length (ß → SS), the view itself and
    ``fold_words``.
    """

    text: str
    fold: Callable[[str], str]

    @staticmethod
    def of(view: str) -> _Cased:
        cased = lexicon.to_halfwidth(view).upper()
        return _Cased(cased, _fold_cased) if len(cased) == len(view) else _Cased(view, fold_words)


def _clauses(view: str, cased: _Cased, qs: list[Quantity], counted: list[bool], sentences: tuple[Span, ...],
             breaks: list[int]) -> tuple[tuple[Clause, ...], list[int]]:
    """Clauses of the view (an 、 ends one only right after a figure) and each figure's clause; ``breaks``
    are the offsets of the view's clause punctuation (``clause_breaks``)."""
    ends = {q.end for q in qs}
    figure_ends = ends | {e + 1 for e in ends if e < len(view) and view[e] in " " + lexicon.QUOTE_MARKS + lexicon.CLOSING_BRACKETS}
    cuts = sorted({p + 1 for p in breaks} | {e + 1 for e in figure_ends if e < len(view) and view[e] == lexicon.ENUMERATION_COMMA} | {s for s, _ in sentences})
    bounds = [c for c in cuts if 0 < c < len(view)]
    starts = [0] + bounds
    stops = bounds + [len(view)]
    sentence_starts = [s for s, _ in sentences]
    q_starts = [q.start for q in qs]
    clauses, clause_of = [], [0] * len(qs)
    fold, folding = cased.fold, cased.text
    k, sent, last = 0, 0, len(sentence_starts) - 1
    for n, (s, e) in enumerate(zip(starts, stops)):
        upto = bisect_left(q_starts, e, k)  # the figures starting before e (the scan returns them in order)
        if upto > k:
            clause_of[k:upto] = [n] * (upto - k)
            members, words = tuple(range(k, upto)), fold(_cut_figures(folding, s, e, qs, q_starts, counted))
            k = upto
        else:
            members, words = (), fold(folding[s:e])
        while sent < last and sentence_starts[sent + 1] <= s:  # the sentence holding s: clauses come in order
            sent += 1
        clauses.append(Clause(s, e, sent, members, words))
    return tuple(clauses), clause_of


def _clause_ranges(clauses: tuple[Clause, ...], n: int) -> tuple[tuple[int, int], ...]:
    first, last = [0] * n, [0] * n
    seen = [False] * n
    for k, c in enumerate(clauses):
        if not seen[c.sentence]:
            first[c.sentence], seen[c.sentence] = k, True
        last[c.sentence] = k + 1
    return tuple((first[s], last[s]) if seen[s] else (0, 0) for s in range(n))


def _cut_figures(view: str, s: int, e: int, qs: list[Quantity], starts: list[int], counted: list[bool]) -> str:
    """The words of view[s:e] without its figures; a threshold or a label (10亿元以上, 超5亿元, 10千伏) stays: it is part of a name."""
    out, pos = [], s
    for i in range(bisect_left(starts, s), len(qs)):
        q = qs[i]
        if q.start >= e:
            break
        if not counted[i]:
            continue
        out.append(view[pos : q.start])
        pos = max(pos, q.end)
    out.append(view[pos:e])
    return "".join(out)


def _figures(
    view: str,
    cased: _Cased,
    qs: list[Quantity],
    counted: list[bool],
    spans: list[Span],
    clauses: tuple[Clause, ...],
    clause_of: list[int],
    outline: Outline,
) -> tuple[Figure, ...]:
    """Each figure with its clause, sentence, owner and the indicator words it is about."""
    bounds = [q for q, c in zip(qs, counted) if c]
    bound_starts = [q.start for q in bounds]
    near = [_near_words(cased, k, qs, clauses[clause_of[k]], bounds, bound_starts) for k in range(len(qs))]
    near_words = [_yardstick_cut(indicator_words(n)) for n in near]
    own_of: dict[int, str] = {}  # per clause: its figures share it
    for c in clause_of:
        if c not in own_of:
            noted = _without_notes(view, cased, clauses[c], qs, counted)
            own_of[c] = _own_words(clauses[c].words if noted is None else noted)
            own_of[c] = _yardstick_cut(own_of[c])
    own = [own_of[c] for c in clause_of]
    owner = list(range(len(qs)))
    about = list(own)
    named = _previous_named(qs, clauses, clause_of, own)
    for k, q in enumerate(qs):
        c = clauses[clause_of[k]]
        base = _share_base(view, cased, k, qs, counted, c)
        if base:
            about[k] = base  # 占全年任务4.1亿元的78%: 4.1亿元 is the 全年任务, the whole the share is of
            continue
        if len(near_words[k]) >= 2 and len(c.figures) > 1:
            about[k] = near_words[k]  # 组建业委会70个楼事会250个: each its own words
        elif len(own[k]) >= 2 and not _is_respectively(view, c):
            continue
        elif len(own[k]) < 2:
            prev = _whole_after_part(view, clauses, clause_of, named, named[k], k)
            if prev is not None:
                owner[k], about[k] = owner[prev], about[prev]
    paired = _pair_respectively(view, qs, clauses, clause_of, own, owner, about)
    for k in range(len(qs)):  # 两大产业产值分别达到A亿元和B亿元,占…比重提高到54.4%: the share is of the
        if k not in paired and owner[k] != k and owner[k] in paired:  # items together, no one item's
            owner[k] = k
    _table_rows(view, cased, qs, counted, clauses, owner, about)
    out = []
    for k, q in enumerate(qs):
        scale, base = unit_key(q.unit)
        c = clauses[clause_of[k]]
        pos = spans[k][0]
        out.append(Figure(q, spans[k], clause_of[k], c.sentence, outline.section_at(pos), owner[k], near[k],
                          about[k], k in paired, scale, base, q.family, counted[k], near_words[k]))
    return tuple(out)


def _table_rows(view: str, cased: _Cased, qs: list[Quantity], counted: list[bool], clauses: tuple[Clause, ...],
                owner: list[int], about: list[str]) -> None:
    """Plain-text table rows: every cell's figure is the row label's indicator (in place).

    规上工业总产值　　64.8亿元　　同比增长8.1%　　完成全年任务的52.3% is one clause (no punctuation);
    its cells are parted by runs of spaces or tabs. The first cell names the indicator and holds no
    figure; each later cell holds one, so the amount, its change and its progress are the label's.
    """
    for c in clauses:
        if not c.figures or not _CELL_GAP.search(view, c.start, c.end):
            continue
        raw = view[c.start : c.end].strip(lexicon.SPACES + lexicon.LINE_BREAKS)
        cells = [x for x in _CELL_GAP.split(raw) if x.strip(lexicon.SPACES)]
        if len(cells) < 2:
            continue
        label = indicator_words(cased.fold(cells[0]))
        first = c.figures[0]
        if len(label) < 2 or qs[first].start < c.start + view[c.start : c.end].find(cells[0]) + len(cells[0]):
            continue  # the label holds a figure: not a row of cells
        if sum(1 for x in cells[1:] if _HAS_DIGIT.search(x)) != len(cells) - 1:
            continue  # a cell of words after the label: prose with wide spaces, not a row
        head = next((k for k in c.figures if counted[k]), first)
        for k in c.figures:
            owner[k], about[k] = head, label


_CELL_GAP = re.compile(lexicon.CHECK_TABLE_CELL_GAP)
_HAS_DIGIT = re.compile(f"[{lexicon.DIGIT_CLASS}{lexicon.CN_NUMERALS}]")


# A bracketed note right after a figure (环比增长8.3%（第四季度对比第三季度）, 增长5%（按可比价计算）) says how
# the figure was measured, not which indicator it is; a note holding a written figure is kept.
_NOTE_AFTER = re.compile(f"[{lexicon.SPACE_CLASS}]*[{lexicon.PAREN_OPEN_CLASS}]"
                         f"[^{lexicon.PAREN_OPEN_CLASS}{lexicon.PAREN_CLOSE_CLASS}{lexicon.DIGIT_CLASS}]*[{lexicon.PAREN_CLOSE_CLASS}]")


def _without_notes(view: str, cased: _Cased, c: Clause, qs: list[Quantity], counted: list[bool]) -> str | None:
    """The folded words of clause c without its figures and the notes right after them; None when it has no such note."""
    notes = [m.span() for k in c.figures if (m := _NOTE_AFTER.match(view, qs[k].end, c.end))]
    if not notes:
        return None
    pieces, pos = [], c.start
    for s, e in sorted(notes + [(qs[k].start, qs[k].end) for k in c.figures if counted[k]]):
        if s > pos:
            pieces.append(cased.text[pos:s])
        pos = max(pos, e)
    pieces.append(cased.text[pos : c.end])
    return cased.fold("".join(pieces))


def _own_words(words: str) -> str:
    """A clause's indicator words: 占常住人口的23.3% is a share *of* 常住人口, so the words after 占 are its base, not its name."""
    return indicator_words(_share_base_cut(words))


def _near_words(cased: _Cased, k: int, qs: list[Quantity], clause: Clause, bounds: list[Quantity], starts: list[int]) -> str:
    """The folded words between the previous and the next figure of the clause, around figure k.

    A joiner between them (和, 及, 、) ends the stretch: in 452.7亩土地征收和7户8间房屋征收 the
    words before 和 belong to 452.7亩, not to 7户.
    """
    q = qs[k]
    b = bisect_left(starts, q.start)  # the first of ``bounds`` that starts at or after the figure
    prev = bounds[b - 1] if b > 0 and bounds[b - 1].end <= q.start else None
    nxt = None  # the next of ``bounds`` after the figure (bounds[b] is the figure itself when it counts)
    for x in bounds[b : b + 2]:
        if x.start >= q.end:
            nxt = x
            break
    has_prev, has_next = prev is not None and prev.end > clause.start, nxt is not None and nxt.start < clause.end
    left = prev.end if has_prev else clause.start  # type: ignore[union-attr]
    right = nxt.start if has_next else clause.end  # type: ignore[union-attr]
    before, after = cased.text[left : q.start], cased.text[q.end : right]  # the joiners are CJK: cased alike
    if (note := _NOTE_AFTER.match(after)) is not None:
        after = after[note.end() :]
    if has_prev:
        before = _SPLIT_ITEMS.split(before)[-1]
    if has_next:
        after = _SPLIT_ITEMS.split(after)[0]
    return _share_base_cut(cased.fold(before + after))



def _share_base(view: str, cased: _Cased, k: int, qs: list[Quantity], counted: list[bool], c: Clause) -> str:
    """The indicator words of figure k when it is the amount a share is of (占全年任务4.1亿元的78%: 全年任务), else "".

    The amount stands between 占 and 的, first in its clause, and a rate of it follows in the clause.
    """
    q = qs[k]
    if view[q.end : q.end + 1] != lexicon.CHECK_SHARE_BASE_END:
        return ""
    if any(j < k and counted[j] for j in c.figures) or not any(
            j > k and counted[j] and qs[j].family in _RATE_FAMILIES for j in c.figures):
        return ""
    head = cased.fold(cased.text[c.start : q.start])
    if not head.startswith(lexicon.CHECK_SHARE_OF):
        return ""
    return indicator_words(head[len(lexicon.CHECK_SHARE_OF) :])


_RATE_FAMILIES = ("percent", "permille", "ratio")


def _share_base_cut(words: str) -> str:
    """占常住人口的23.3%: the words after 占 name the share's base, not what the figure is."""
    return words.split(lexicon.CHECK_SHARE_OF, 1)[0] if lexicon.CHECK_SHARE_OF in words[:2] else words


def _previous_named(qs: list[Quantity], clauses: tuple[Clause, ...], clause_of: list[int], own: list[str]) -> list[int | None]:
    """Per figure, the nearest figure before it in its sentence whose clause names an indicator
    (the amount a change clause follows), or None: one pass, however many figures a sentence has."""
    out: list[int | None] = []
    last: int | None = None
    sentence = -1
    for k in range(len(qs)):
        here = clauses[clause_of[k]].sentence
        if here != sentence:
            sentence, last = here, None
        out.append(last)
        if len(own[k]) >= 2 and not _YARDSTICK_ONLY.fullmatch(own[k]):
            last = k
    return out


def _whole_after_part(view: str, clauses: tuple[Clause, ...], clause_of: list[int], named: list[int | None],
                      prev: int | None, k: int) -> int | None:
    """The figure a change clause is about, given the nearest named one before it (prev).

    A 其中 clause breaks the amount before it down; a semicolon closes the breakdown, so a change
    clause after it returns to the whole (税收收入8.2亿元,其中工业税收3.1亿元;同比增长6.5%: 税收收入's).
    """
    if prev is None:
        return None
    part = clauses[clause_of[prev]]
    if not view[part.start : part.end].lstrip(_CLAUSE_LEAD).startswith(lexicon.INDICATOR_PART_WORDS):
        return prev
    if not _SEMICOLON.search(view, part.end - 1, clauses[clause_of[k]].start + 1):
        return prev
    whole = named[part.figures[0]]
    return prev if whole is None else whole


_CLAUSE_LEAD = lexicon.SPACES + lexicon.CLAUSE_BREAKS + lexicon.ENUMERATION_COMMA
_SEMICOLON = re.compile(f"[{lexicon.SEMICOLON_CLASS}]")


# A progress clause names the yardstick it is measured against, not an indicator (完成年度计划的93.6%):
# a change clause after it is still about the amount before it (…完成投资20.6亿元,完成年度计划的93.6%,同比增长12.8%).
def _yardstick_cut(words: str) -> str:
    """A progress clause's words without the copula before its yardstick (为年度目标的102.5%: 目标); other words as they are."""
    return words.lstrip(_YARDSTICK_LEADS) if words.startswith(lexicon.CHECK_YARDSTICK_LEADS) and _YARDSTICK_ONLY.fullmatch(words) else words


_YARDSTICK_LEADS = "".join(lexicon.CHECK_YARDSTICK_LEADS)
_YARDSTICK_ONLY = re.compile("(?:" + "|".join(map(re.escape, lexicon.CHECK_YARDSTICK_LEADS)) + ")?(?:"
                             + "|".join(map(re.escape, lexicon.COMPLETION_YARDSTICKS)) + ")+")


def _is_respectively(view: str, c: Clause) -> bool:
    return len(c.figures) > 1 and any(w in c.words for w in lexicon.CHECK_RESPECTIVELY)


def _pair_respectively(
    view: str, qs: list[Quantity], clauses: tuple[Clause, ...], clause_of: list[int], own: list[str],
    owner: list[int], about: list[str],
) -> set[int]:
    """分别 clauses: figures paired in order with the subject's items, or with the figures of the clause before.

    Returns the figures so paired.
    """
    paired: set[int] = set()
    for n in dict.fromkeys(clause_of):  # the clauses with figures, in order
        c = clauses[n]
        if not any(w in c.words for w in lexicon.CHECK_RESPECTIVELY):
            continue
        figs = list(c.figures)
        m = n  # 分别增长12%、8%和5%: an 、 after a figure ends a clause, but the figures after it that
        while m + 1 < len(clauses) and _continues_figures(view, clauses[m], clauses[m + 1]):  # stand alone go on the list
            m += 1
            figs += clauses[m].figures
        if len(figs) < 2:
            continue
        word = next(w for w in lexicon.CHECK_RESPECTIVELY if w in c.words)
        raw = view[c.start : c.end]
        raw_subject = raw[: raw.find(word)] if word in raw else ""
        items = [x for x in (indicator_words(fold_words(part)) for part in _SPLIT_ITEMS.split(raw_subject)) if x]
        if len(items) > len(figs):  # 软件和信息服务、智能制造两大产业: 和 inside an item, the list closed by its count
            whole = [x for x in (indicator_words(fold_words(_EACH_KIND_TAIL.sub("", part)))
                                 for part in raw_subject.split(lexicon.ENUMERATION_COMMA)) if x]
            if len(whole) == len(figs):
                items = whole
        items = _shared_heads(raw_subject, items, len(figs))
        item_owner: list[int | None] = [None] * len(items)
        prev = n - 1
        while len(items) < len(figs) and prev >= 0 and clauses[prev].sentence == c.sentence \
                and view[clauses[prev].end - 1 : clauses[prev].end] == lexicon.ENUMERATION_COMMA and clauses[prev].figures:
            j = clauses[prev].figures[-1]  # 规上工业产值58.3亿元、规上工业增加值分别增长9.2%和8.6%
            items.insert(0, about[j])
            item_owner.insert(0, owner[j])
            prev -= 1
        if len(items) == len(figs):
            if any(o is not None for o in item_owner):
                for k, item, o in zip(figs, items, item_owner):
                    owner[k], about[k] = (k if o is None else o), item
                    paired.add(k)
                continue
            items = _share_tail(items)
            for k, item in zip(figs, items):
                owner[k], about[k] = k, item
                paired.add(k)
            continue
        before = list(range(figs[0] - len(figs), figs[0]))  # 分别为A元、B元,分别增长a%和b%: the 分别 list just before
        if before and before[0] >= 0 and all(j in paired and clauses[clause_of[j]].sentence == c.sentence for j in before):
            for k, j in zip(figs, before):
                owner[k], about[k] = owner[j], about[j]
                paired.add(k)
            continue
        prev = n - 1
        while prev >= 0 and clauses[prev].sentence == c.sentence and len(clauses[prev].figures) != len(figs):
            prev -= 1
        if prev >= 0 and clauses[prev].sentence == c.sentence:
            for k, j in zip(figs, clauses[prev].figures):
                owner[k], about[k] = owner[j], about[j]
                if j in paired or len(figs) > 1:
                    paired.add(k)
            continue
        # 外贸进出口总额19.3亿元,其中出口12.6亿元,分别增长9.4%和11.2%: the amounts named before it, in order
        named: list[int] = []
        j = figs[0] - 1
        while j >= 0 and clauses[clause_of[j]].sentence == c.sentence and len(named) < len(figs):
            if owner[j] == j and len(own[j]) >= 2:
                named.append(j)
            j -= 1
        if len(named) == len(figs):
            for k, j in zip(figs, reversed(named)):
                owner[k], about[k] = j, about[j]
                paired.add(k)
    return paired


def _shared_heads(raw_subject: str, items: list[str], n: int) -> list[str]:
    """A 分别 subject's items with the head they share written out, when it is written once.

    新能源电池、高端装备两大主导产业产值: the count (两大) closes the list and what follows it is every
    item's head (新能源电池主导产业产值). 城乡居民收入 is one compound subject for two indicators:
    each member (城镇, 农村) in the compound's place, in order (``lexicon.CHECK_COMPOUND_SUBJECTS``).
    """
    if len(items) == 1 and n > 1:
        for compound, members in lexicon.CHECK_COMPOUND_SUBJECTS:
            if compound in items[0] and len(members) == n:
                return [items[0].replace(compound, m, 1) for m in members]
        return items
    parts = raw_subject.split(lexicon.ENUMERATION_COMMA)
    m = _EACH_KIND_HEAD.search(parts[-1]) if len(parts) == n == len(items) else None
    if m is None:
        return items
    head = indicator_words(fold_words(m[1]))
    stems = [indicator_words(fold_words(x)) for x in parts[:-1] + [parts[-1][: m.start()]]]
    if len(head) < 2 or not all(stems):
        return items
    return [x + head for x in stems]


_EACH_KIND_HEAD = re.compile(f"[{lexicon.CN_NUMERALS}0-9]+{lexicon.EACH_KIND_COUNT}(.+)$")
_EACH_KIND_TAIL = re.compile(f"[{lexicon.CN_NUMERALS}0-9]+{lexicon.EACH_KIND_COUNT}.*$")  # 两大产业, 三大主导产业


def _continues_figures(view: str, clause: Clause, nxt: Clause) -> bool:
    """``nxt`` goes on the figure list ``clause`` ends with an 、 or a comma: figures alone, joined by 、/和/及 (8%和5%)."""
    return (nxt.sentence == clause.sentence and bool(clause.figures) and bool(nxt.figures)
            and view[clause.end - 1 : clause.end] in _FIGURE_LIST_MARKS
            and not _SPLIT_ITEMS.sub("", nxt.words))


# Figures alone listed after 分别 are parted by 、 or by a comma of either width (分别增长12%，8%和5%).
_FIGURE_LIST_MARKS = tuple(lexicon.ENUMERATION_COMMA + lexicon.COMMAS)


def _share_tail(items: list[str]) -> list[str]:
    """城镇和农村常住居民收入: short items of one length take the last item's head-less tail (城镇常住居民收入).

    Only items as short as a qualifier (城镇, 农村: up to 3 characters, all of one length) share
    it: 工业产值、税收、社零额 are three indicators, each named whole.
    """
    last, first = items[-1], items[:-1]
    short = len(first[0]) if first else 0
    if not first or short > 3 or any(len(x) != short for x in first) or len(last) <= short + 1:
        return items
    return [x + last[len(x) :] for x in first] + [last]


@functools.lru_cache(maxsize=1024)
def unit_key(unit: str) -> tuple[float, str]:
    """(scale, base unit with spellings folded) of a unit as written: 万平米 → (1e4, 平方米). Cached: asked per metric and figure."""
    q = Quantity(1.0, "1", lexicon.to_halfwidth(unit).strip(), None, 0, 0, 0, 0, None)
    base = q.base_unit
    return q.scale, lexicon.CHECK_UNIT_SPELLINGS.get(base, base)

