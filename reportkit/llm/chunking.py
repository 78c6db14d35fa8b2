"""Cut a document into model-sized chunks along sentences and sections, and pack them into calls. Document + Outline → Chunks → Packs.

A chunk never crosses a section boundary (so it has one role: review, problems, plans or other),
never includes boilerplate, and breaks only at sentence ends (。！？；!?; or a newline), so a figure
always stays with its indicator. A sentence longer than the budget is cut at clause marks
(，,；;、：:), never inside a number; consecutive chunks of one section share up to
``overlap`` characters of whole sentences, so a fact at the seam is seen whole at least once.

A ``Pack`` is what one model call reads: consecutive chunks (of any sections) up to the character
budget, each keeping its section, so the prompt can mark every part's role. A call's answer grows
with the figures it reads (each comes back as a metric with its quote), so a pack also holds at
most ``FIGURES_PER_CALL`` figures: a dense statistical passage makes more, smaller calls and its
answer stays within common output limits. Nothing here does I/O.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .. import wrapping
from ..document import Document, Span
from ..lexicon import ARABIC_MARKER_END_CLASS, DIGIT_CLASS
from ..segmenting import Node, Outline

SENTENCE_ENDS = frozenset("。！？；!?;\n")
CLAUSE_BREAKS = frozenset("，,；;、：:")
# Closing marks that belong to the sentence they end: 他说：“好。” keeps ” with 。.
_CLOSERS = frozenset("”’」』）)》〉]】\"'")
_DIGITS = frozenset("0123456789０１２３４５６７８９")
_FIGURE_CHARS = _DIGITS | frozenset(".．%％‰")
_SPACE = " \t\r\n\u3000\u00a0\ufeff"
TITLE_LINE_CHARS = 40
"""A content region that is one line of at most this many characters (a title, a byline) is not
sent to the model: it holds no item or figure, and the final meta call sees the page header."""
_HEADING_CHARS = 40
FIGURES_PER_CALL = 68
"""Most figures (years aside) one call reads: an answer of ~64 metrics (~50 output tokens each with its
quote) and the items beside them stays under ~4 k output tokens, within every common model's output limit."""
_FIGURE = re.compile(rf"[{DIGIT_CLASS}]+(?:[.．][{DIGIT_CLASS}]+)?")
_LIST_NUMBER = re.compile(rf"(?m)^[^\S\n]*[{DIGIT_CLASS}]+[{ARABIC_MARKER_END_CLASS}](?![{DIGIT_CLASS}])")
_YEAR = re.compile(r"[12１２][09０９][0-9０-９]{2}")
_HEADING_RANK_MAX = 2  # 一、 and (一) headings give context; 一是/1、 items are content


@dataclass(frozen=True)
class Chunk:
    """A piece of the document sent to the model in one call.

    Attributes:
        id: deterministic id: position in the document and a hash of the text (``03-5f2a9c1e``).
        index: position among the document's chunks, from 0.
        start: offset of the first character in ``Document.text``.
        end: offset after the last character; ``text == doc.text[start:end]``.
        text: the chunk text, exactly as in the document.
        section: ``review``, ``problems``, ``plans`` or ``other``.
        heading: the section heading and enclosing headings (context for the prompt, not part of
            ``text``); ``""`` when there are none.
        overlap: how many leading characters repeat the end of the previous chunk.
    """

    id: str
    index: int
    start: int
    end: int
    text: str
    section: str
    heading: str = ""
    overlap: int = 0


@dataclass(frozen=True)
class Pack:
    """The consecutive chunks one model call reads, each with its own section.

    Attributes:
        id: deterministic id: position among the document's packs and a hash of the parts' text.
        index: position among the document's packs, from 0.
        parts: the chunks, in document order.
    """

    id: str
    index: int
    parts: tuple[Chunk, ...]

    @property
    def start(self) -> int:
        return self.parts[0].start

    @property
    def end(self) -> int:
        return self.parts[-1].end

    @property
    def text(self) -> str:
        """The parts' text joined by newlines: what the answer's quotes must come from."""
        return "\n".join(p.text for p in self.parts)

    @property
    def section(self) -> str:
        """The parts' common section, or ``mixed``."""
        kinds = {p.section for p in self.parts}
        return kinds.pop() if len(kinds) == 1 else "mixed"

    @property
    def chars(self) -> int:
        return sum(len(p.text) for p in self.parts)


def figure_count(text: str) -> int:
    """How many figures written in digits (runs of digits, decimals included) ``text`` states; a
    four-digit 19xx/20xx is a year and a number opening a line before 、 or ． numbers an item: the
    answer lists neither. Figures in Chinese numerals are counted by ``FigureCounter``."""
    figures = sum(1 for f in _FIGURE.findall(text) if not _YEAR.fullmatch(f))
    return figures - len(_LIST_NUMBER.findall(text))  # 1、 2． at a line's start number items


Counter = Callable[[int, int], int]
"""The figures of ``text[a:b]`` for the text being packed."""


@dataclass(frozen=True)
class FigureCounter:
    """The figures of a span of a document: the larger of the digit runs ``figure_count`` sees and
    the figures the document's SourceIndex counts (``numbers.is_figure``, digits or Chinese
    numerals: 一千二百人, 百分之十二, not 三年行动).

    A call's answer lists each figure it reads, however it is written, so a passage of Chinese
    numerals must count against ``FIGURES_PER_CALL`` as its digits would; the digit scan, which
    the cap was set by, also counts numbers that are no figure (第3, a hotline), so it stays the
    count where it sees more. The index is the one the engine builds anyway (kept on the
    Document); a span costs two bisections beside the scan.
    """

    text: str
    figures: tuple[int, ...]  # sorted starts in ``text`` of the figures the index counts

    @classmethod
    def of(cls, doc: Document) -> "FigureCounter":
        from ..index import build_index

        starts = sorted(f.span[0] for f in build_index(doc).figures if f.counts)
        return cls(doc.text, tuple(starts))

    def __call__(self, a: int, b: int) -> int:
        return max(figure_count(self.text[a:b]), bisect_left(self.figures, b) - bisect_left(self.figures, a))


def _digits_only(text: str) -> Counter:
    return lambda a, b: figure_count(text[a:b])


def make_pack(index: int, parts: tuple[Chunk, ...] | list[Chunk]) -> Pack:
    """A Pack of ``parts`` with its deterministic id."""
    parts = tuple(parts)
    body = "\n".join(p.text for p in parts)
    digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return Pack(f"{index:02d}-{digest}", index, parts)


def pack_document(doc: Document, outline: Outline, *, chunk_chars: int, chunk_overlap: int = 0,
                  max_figures: int = FIGURES_PER_CALL) -> list[Pack]:
    """The document's content packed, in order, into calls of at most ``chunk_chars`` characters
    and ``max_figures`` figures; each part is one section's run of whole sentences.

    A section that does not fit the room left in a call fills it (when at least a quarter of the
    budget is left) and goes on in the next call, which repeats up to ``chunk_overlap``
    characters of its last sentences, so a fact at the seam is seen whole at least once.
    """
    if chunk_chars < 1 or not 0 <= chunk_overlap < chunk_chars:
        raise ValueError("need chunk_chars >= 1 and 0 <= chunk_overlap < chunk_chars")
    text = doc.text
    count = FigureCounter.of(doc)
    packs: list[list[tuple[int, int, int, str, str]]] = [[]]
    used = [0, 0]  # characters and figures of the open pack

    def close() -> None:
        if packs[-1]:
            packs.append([])
            used[0] = used[1] = 0

    for start, end, kind, lead in _regions(doc, outline):
        pos, carry_from = start, start
        while pos < end:
            room, figures = chunk_chars - used[0], max_figures - used[1]
            first = carry_from if not packs[-1] else pos  # an overlap only opens a new pack
            piece = _first_chunk(text, first, end, room, figures, count) if room > 0 and figures > 0 else None
            fits = piece is not None and piece[1] > pos and piece[1] - piece[0] <= room and \
                count(piece[0], piece[1]) <= figures
            rest = piece is not None and _strip(text, piece[1], end)[0] < end
            if packs[-1] and (not fits or rest and (room < chunk_chars // 4 or figures < max_figures // 4)):
                close()  # a section's start does not go into the last scraps of a call
                continue
            if not fits:
                if first != pos:  # the overlap leaves no room for new text: repeat nothing
                    carry_from = pos
                    continue
                piece = piece if piece is not None and piece[1] > pos else (pos, end, 0)
            a, b = piece[0], piece[1]
            packs[-1].append((a, b, max(0, pos - a), kind, _heading(text, outline, start, a, lead)))
            used[0] += b - a
            used[1] += count(a, b)
            carry_from = _overlap_start(text, a, b, chunk_overlap)
            pos = _strip(text, b, end)[0]
    out = []
    index = 0
    for spans in packs:
        if not spans:
            continue
        parts = []
        for a, b, overlap, kind, heading in spans:
            body = text[a:b]
            digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:8]
            parts.append(Chunk(f"{index:02d}-{digest}", index, a, b, body, kind, heading, overlap))
            index += 1
        out.append(make_pack(len(out), parts))
    return out


def _overlap_start(text: str, a: int, b: int, overlap: int) -> int:
    """Where the trailing whole sentences of ``text[a:b]`` within ``overlap`` characters begin (``b`` if none)."""
    if overlap <= 0:
        return b
    begin = b
    for s0, _ in reversed(sentences(text, a, b)[1:]):
        if b - s0 > overlap:
            break
        begin = s0
    return _strip(text, begin, b)[0]


def split_pack(whole: Pack, offset: int, pieces: int = 2) -> list[Pack]:
    """What follows ``offset`` (an offset in ``whole.text``) in ``pieces`` (1 or 2) smaller packs, along parts or sentences.

    For an answer cut off at max_tokens: the parts after the cut are shared out in two halves of
    about equal size; a single part is cut in two along sentences (``pack``). With ``pieces=1``
    the rest is one pack (for a cut that came late, when the rest needs a shorter answer).
    """
    rest: list[Chunk] = []
    at = 0
    for part in whole.parts:
        end = at + len(part.text)
        if offset < end:
            cut = max(0, offset - at)
            a, b = _strip(part.text, cut, len(part.text))
            if b > a:
                rest.append(sub_chunk(part, a, b))
        at = end + 1  # the joining newline
    if pieces == 1:
        return [make_pack(0, rest)] if rest else []
    if len(rest) >= 2:
        total = sum(len(p.text) for p in rest)
        run, i = 0, 0
        while i < len(rest) - 1 and run + len(rest[i].text) <= total / 2:
            run += len(rest[i].text)
            i += 1
        i = max(1, i)
        return [make_pack(0, rest[:i]), make_pack(1, rest[i:])]
    if not rest:
        return []
    part = rest[0]
    size = len(part.text)
    halves = pack(part.text, 0, size, max(60, size // 2 + 1)) or [(0, size, 0)]
    return [make_pack(i, (sub_chunk(part, a, b),)) for i, (a, b, _) in enumerate(halves)]


def sub_chunk(part: Chunk, a: int, b: int) -> Chunk:
    """``part.text[a:b]`` (whitespace trimmed) as a chunk of its own (same id, section and heading)."""
    a, b = _strip(part.text, a, b)
    if (a, b) == (0, len(part.text)):
        return part
    return Chunk(part.id, part.index, part.start + a, part.start + b, part.text[a:b], part.section, part.heading, 0)



def chunk_document(doc: Document, outline: Outline, *, chunk_chars: int, chunk_overlap: int = 0,
                   max_figures: int | None = None) -> list[Chunk]:
    """Cut ``doc`` into chunks of at most ``chunk_chars`` characters.

    Args:
        doc: the document; its ``boilerplate`` ranges are skipped.
        outline: ``segmenting.segment(doc.text, doc.boilerplate)``.
        chunk_chars: character budget of one chunk (overlap included).
        chunk_overlap: characters of whole sentences repeated from the previous chunk of the same
            section; must be smaller than ``chunk_chars``.
        max_figures: at most this many figures per chunk (None: no limit).

    Returns:
        The chunks in document order.
    """
    if chunk_chars < 1 or not 0 <= chunk_overlap < chunk_chars:
        raise ValueError("need chunk_chars >= 1 and 0 <= chunk_overlap < chunk_chars")
    text = doc.text
    spans: list[tuple[int, int, int, str, str]] = []  # start, end, overlap, section, heading
    count = FigureCounter.of(doc) if max_figures is not None else None
    for start, end, kind, lead in _regions(doc, outline):
        for c_start, c_end, c_overlap in pack(text, start, end, chunk_chars, chunk_overlap, max_figures, count):
            spans.append((c_start, c_end, c_overlap, kind, _heading(text, outline, start, c_start, lead)))
    chunks = []
    for index, (start, end, overlap, kind, heading) in enumerate(spans):
        body = text[start:end]
        digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        chunks.append(Chunk(f"{index:02d}-{digest}", index, start, end, body, kind, heading, overlap))
    return chunks


def _regions(doc: Document, outline: Outline) -> list[tuple[int, int, str, Span | None]]:
    """Maximal runs of content with one section kind: (start, end, kind, lead heading span)."""
    text = doc.text
    parts: list[tuple[int, int, str, Span | None]] = []
    pos = 0
    for s in sorted(outline.sections, key=lambda s: s.start):
        start, end = max(s.start, pos), min(s.end, len(text))
        if end <= start:
            continue
        if start > pos:
            parts.append((pos, start, "other", None))
        lead = (s.lead.start, s.lead.end) if s.lead is not None else None
        parts.append((start, end, s.kind, lead))
        pos = end
    if pos < len(text):
        parts.append((pos, len(text), "other", None))
    regions = []
    for start, end, kind, lead in parts:
        for c0, c1 in doc.content_ranges:
            a, b = _strip(text, max(start, c0), min(end, c1))
            if b - a > TITLE_LINE_CHARS or (b > a and "\n" in text[a:b]):
                regions.append((a, b, kind, lead))
    return regions


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans of ``text[start:end]``, each ending after 。！？；!?; or a newline.

    Closing quotes and brackets right after the end mark stay with the sentence. Spans keep their
    surrounding whitespace, so together they tile ``[start, end)``.
    """
    return list(_iter_sentences(text, start, len(text) if end is None else end))


def _iter_sentences(text: str, start: int, end: int) -> Iterator[Span]:
    """``sentences``, one at a time: a caller that needs the first few does not split the rest."""
    begin = i = start
    through = wrapping.through_breaks(text)  # a hard-wrapped line break inside a sentence ends none
    while i < end:
        if text[i] in SENTENCE_ENDS and i not in through:
            i += 1
            while i < end and text[i] in _CLOSERS:
                i += 1
            yield begin, i
            begin = i
        else:
            i += 1
    if begin < end:
        yield begin, end


def _pieces(text: str, start: int, end: int, budget: int) -> Iterator[Span]:
    """The sentences of ``text[start:end]``, over-long ones cut (``_fit``), whitespace trimmed, empty ones left out."""
    for s0, s1 in _iter_sentences(text, start, end):
        for a, b in _fit(text, s0, s1, budget):
            a, b = _strip(text, a, b)
            if b > a:
                yield a, b


def _first_chunk(text: str, start: int, end: int, budget: int, max_figures: int,
                 count: Counter | None = None) -> tuple[int, int, int] | None:
    """``pack(text, start, end, budget, 0, max_figures)[0]``, reading only as far as that chunk goes.

    ``pack_document`` fills a call with the first chunk of what is left of a section, again and
    again: splitting the whole rest each time made a long section cost its length squared.
    """
    count = count or _digits_only(text)
    first = last = -1
    figures = 0
    for a, b in _pieces(text, start, end, budget):
        if first < 0:
            first = a
        elif b - first > budget:
            break
        figures += count(a, b)
        if figures > max_figures and last >= 0:
            break
        last = b
    return None if first < 0 else (first, last, 0)


def pack(text: str, start: int, end: int, budget: int, overlap: int = 0,
         max_figures: int | None = None, count: Counter | None = None) -> list[tuple[int, int, int]]:
    """Pack the sentences of ``text[start:end]`` into chunks of at most ``budget`` characters
    (and at most ``max_figures`` figures, when given, as ``count`` counts them (default: the
    digits, ``figure_count``); a piece always fits alone).

    Returns:
        ``(start, end, overlap_chars)`` per chunk, whitespace trimmed at both ends.
    """
    count = count or _digits_only(text)
    pieces = list(_pieces(text, start, end, budget))
    out: list[tuple[int, int, int]] = []
    i = 0
    previous: list[Span] = []
    while i < len(pieces):
        carry = _carry(previous, overlap)
        while carry and pieces[i][1] - carry[0][0] > budget:
            carry = carry[1:]  # the next piece does not fit beside the overlap: repeat less
        first = carry[0][0] if carry else pieces[i][0]
        if max_figures is not None:
            while carry and count(first, pieces[i][1]) > max_figures:
                carry = carry[1:]
                first = carry[0][0] if carry else pieces[i][0]
        j = i
        figures = count(first, pieces[i][0]) if max_figures is not None else 0
        while j < len(pieces) and pieces[j][1] - first <= budget:
            if max_figures is not None:
                figures += count(pieces[j][0], pieces[j][1])
                if figures > max_figures and j > i:
                    break
            j += 1
        j = max(j, i + 1)  # a piece always fits alone (_fit made sure)
        own_start = pieces[i][0]
        out.append((first, pieces[j - 1][1], own_start - first))
        previous = pieces[i:j]
        i = j
    return out


def _carry(previous: list[Span], overlap: int) -> list[Span]:
    """Trailing whole pieces of the previous chunk that fit in ``overlap`` characters."""
    if overlap <= 0 or len(previous) < 2:
        return []  # repeating a whole one-piece chunk would only duplicate it
    carry: list[Span] = []
    for piece in reversed(previous[1:]):
        if previous[-1][1] - piece[0] > overlap:
            break
        carry.insert(0, piece)
    return carry


def _fit(text: str, start: int, end: int, budget: int) -> list[Span]:
    """Cut one over-long sentence at clause marks (or, failing that, outside any figure)."""
    if end - start <= budget:
        return [(start, end)]
    clauses: list[Span] = []
    begin = start
    for i in range(start + 1, end - 1):
        if text[i] in CLAUSE_BREAKS and not (_is_digit(text[i - 1]) and _is_digit(text[i + 1])):
            clauses.append((begin, i + 1))
            begin = i + 1
    clauses.append((begin, end))
    out: list[Span] = []
    for c0, c1 in clauses:  # pack() joins them back up to the budget
        while c1 - c0 > budget:
            cut = _safe_cut(text, c0, c0 + budget)
            out.append((c0, cut))
            c0 = cut
        out.append((c0, c1))
    return out


def _safe_cut(text: str, lo: int, limit: int) -> int:
    """A cut point at or before ``limit`` that does not fall inside a number or between it and its unit."""
    for cut in range(limit, max(lo + 1, limit - 40), -1):
        # 134.2亿|元 would separate a unit from its number: keep a few characters clear of digits.
        if text[cut] not in _FIGURE_CHARS and not any(_is_digit(c) or c in _FIGURE_CHARS for c in text[max(lo, cut - 3) : cut]):
            return cut
    return limit


def _is_digit(c: str) -> bool:
    return c in _DIGITS


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end


def _heading(text: str, outline: Outline, region_start: int, start: int, lead: Span | None) -> str:
    """Headings of the chunk's own section above ``start`` that it does not contain: lead, 一、, (一)."""
    parts: list[str] = []
    if lead is not None and lead[1] <= start:
        parts.append(_clip(text[lead[0] : lead[1]]))
    nodes: tuple[Node, ...] = outline.nodes
    while nodes:
        node = next((n for n in nodes if n.start <= start < n.end), None)
        if node is None:
            break
        h = node.heading
        inside = region_start <= h.start and h.end <= start
        if h.rank <= _HEADING_RANK_MAX and inside and (lead is None or h.start != lead[0]):
            parts.append(_clip(text[h.start : h.end]))
        nodes = node.children
    return " > ".join(p for p in parts if p)


def _clip(s: str) -> str:
    s = " ".join(s.split())
    return s if len(s) <= _HEADING_CHARS else s[: _HEADING_CHARS - 1] + "…"
