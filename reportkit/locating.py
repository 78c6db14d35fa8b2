"""Find a quote in the source text, exactly or tolerantly. Quote + text → exact (start, end) span.

Models copy Chinese text imperfectly: they drop or add spaces and newlines, and swap full-width
and half-width forms (，/, ：/: （/( ０/0 “/"). The tolerant match compares *folded* copies of both
strings — whitespace removed, those variants mapped to one form — and maps the match back to
offsets in the unchanged text, so ``text[start:end]`` is always the original passage. Nothing here
does I/O.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

Span = tuple[int, int]

# Full-width ASCII (U+FF01–FF5E) folds onto ASCII; the rest are look-alikes models swap freely.
_FOLD: dict[int, str] = {0xFF01 + i: chr(0x21 + i) for i in range(94)}
_FOLD.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u300c\u300d\u300e\u300f\uff02"})
_FOLD.update({ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032"})
_FOLD.update({ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212~\uff5e\uff0d"})
_FOLD.update({ord(c): "\u00b7" for c in "\u30fb\u2022\u2027"})
_FOLD[0xFF0E] = "."
# Characters that carry no content: dropped along with whitespace.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


_KEPT_RUN = re.compile("[^\\s" + "".join(sorted(_INVISIBLE)) + "]+")


def _fold_char(c: str) -> str:
    if c.isspace() or c in _INVISIBLE:
        return ""
    return _FOLD.get(ord(c), c)


def fold(text: str, start: int = 0, end: int | None = None) -> tuple[str, list[int]]:
    """The folded copy of ``text[start:end]`` and, per folded character, its offset in ``text``.

    Args:
        text: the original text.
        start: first offset to fold.
        end: offset to stop at (default: the end of ``text``).

    Returns:
        ``(folded, offsets)`` with ``len(folded) == len(offsets)``; ``text[offsets[i]]`` is the
        character that ``folded[i]`` came from.
    """
    end = len(text) if end is None else end
    part = _fold_chars(text[start:end])  # one to one, so a run's offsets in ``part`` are its offsets in text
    out: list[str] = []
    offsets: list[int] = []
    # Runs of kept characters are ranges of offsets: linear and fast.
    for m in _KEPT_RUN.finditer(part):
        out.append(m.group())
        offsets.extend(range(start + m.start(), start + m.end()))
    return "".join(out), offsets


_FOLDED_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]")


def _fold_chars(s: str) -> str:
    """``s`` with every character of ``_FOLD`` replaced, each kind in one C-level pass.

    ``str.translate`` on CJK text pays a failed lookup for every character it leaves alone.
    """
    for ch in set(_FOLDED_RE.findall(s)):
        s = s.replace(ch, _FOLD[ord(ch)])
    return s


def fold_text(text: str) -> str:
    """Only the folded string of ``text`` (see ``fold``); for comparisons."""
    return "".join(_fold_char(c) for c in text)


def contains(haystack: str, needle: str) -> bool:
    """True when ``needle`` occurs in ``haystack`` exactly or after folding both (and is not blank)."""
    if not needle.strip():
        return False
    if needle in haystack:
        return True
    folded = fold_text(needle)
    return bool(folded) and folded in fold_text(haystack)


@dataclass(frozen=True)
class Match:
    """Where a quote was found: the exact span, and whether folding was needed."""

    start: int
    end: int
    exact: bool


@dataclass
class Locator:
    """Locates quotes in one text; the folded copy is built once and reused for every quote.

    Example:
        >>> loc = Locator("GDP增长5.2%，完成目标。")
        >>> m = loc.locate("增长５.２%,完成")
        >>> (m.start, m.end, m.exact)
        (3, 12, False)
    """

    text: str
    _folded: str = field(init=False, repr=False)
    _offsets: Sequence[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._folded, self._offsets = fold(self.text)

    @classmethod
    def prefolded(cls, text: str, folded: str, offsets: Sequence[int]) -> "Locator":
        """A Locator over a fold made already (a SourceIndex's ``loose``), so a document is folded once."""
        locator = cls.__new__(cls)
        locator.text, locator._folded, locator._offsets = text, folded, offsets
        return locator

    def locate(self, quote: str, near: Span | None = None) -> Match | None:
        """Find ``quote`` in the text.

        Order of preference: exact inside ``near``; tolerant inside ``near``; exact anywhere;
        tolerant anywhere. Outside ``near`` the occurrence closest to it wins. A tolerant match
        spans from the first to the last matched original character, so its ``text[start:end]``
        is the original passage (with its own spacing and punctuation), not the quote.

        Args:
            quote: the text a model said it copied.
            near: the ``(start, end)`` range the quote should come from (a chunk), if known.

        Returns:
            The Match, or None when the quote is blank or not in the text.
        """
        if not quote or not quote.strip():
            return None
        quote = quote.strip()
        lo, hi = near if near is not None else (0, len(self.text))
        at = self.text.find(quote, lo, hi)
        if at >= 0:
            return Match(at, at + len(quote), True)
        needle = fold_text(quote)
        if not needle:
            return None
        found = self._tolerant(needle, lo, hi)
        if found is not None:
            return found
        if near is None:
            return None
        exact = _occurrences(self.text, quote)
        if exact:
            at = min(exact, key=lambda s: _distance(s, near))
            return Match(at, at + len(quote), True)
        folded_hits = _occurrences(self._folded, needle)
        if folded_hits:
            best = min(folded_hits, key=lambda i: _distance(self._offsets[i], near))
            return self._span(best, len(needle))
        return None

    def _tolerant(self, needle: str, lo: int, hi: int) -> Match | None:
        f_lo = bisect.bisect_left(self._offsets, lo)
        f_hi = bisect.bisect_left(self._offsets, hi)
        at = self._folded.find(needle, f_lo, f_hi)
        return None if at < 0 else self._span(at, len(needle))

    def _span(self, at: int, length: int) -> Match:
        start = self._offsets[at]
        end = self._offsets[at + length - 1] + 1
        return Match(start, end, False)


def _occurrences(text: str, needle: str) -> list[int]:
    hits: list[int] = []
    at = text.find(needle)
    while at >= 0:
        hits.append(at)
        at = text.find(needle, at + 1)
    return hits


def _distance(pos: int, near: Span) -> int:
    lo, hi = near
    return 0 if lo <= pos < hi else min(abs(pos - lo), abs(pos - hi))


def locate(text: str, quote: str, near: Span | None = None) -> Span | None:
    """The ``(start, end)`` of ``quote`` in ``text`` (see ``Locator.locate``), or None.

    Example:
        >>> locate("一般公共预算收入6.57亿元", "收入 6.57 亿元")
        (6, 14)
    """
    match = Locator(text).locate(quote, near)
    return None if match is None else (match.start, match.end)
