"""Shared value types of the pipeline: a decoded Document and the spans that index into it.

Offsets never drift: ``Document.text`` is the text exactly as decoded, and every span anywhere in
reportkit satisfies ``text[start:end] == quote``. Cleaning marks boilerplate as ranges instead of
rewriting the text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass(frozen=True)
class Document:
    """A report as read from disk (or given as a string).

    Attributes:
        text: the text exactly as decoded; all spans index into it.
        source: the path or name it came from.
        sha256: hash of the raw input bytes (of the UTF-8 text for in-memory documents).
        format: ``text``, ``html``, ``docx`` or ``pdf``.
        encoding: the detected encoding for byte inputs (``utf-8``, ``gb18030``, ``big5`` …).
        boilerplate: sorted, non-overlapping ranges that cleaning marked as site furniture.
    """

    text: str
    source: str = "<text>"
    sha256: str = ""
    format: str = "text"
    encoding: str | None = None
    boilerplate: tuple[Span, ...] = field(default=())

    @classmethod
    def from_text(cls, text: str, source: str = "<text>") -> "Document":
        """Wrap an in-memory string (boilerplate is not marked; ``reportkit.load`` does that)."""
        return cls(text=text, source=source, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())

    @property
    def content_ranges(self) -> tuple[Span, ...]:
        """The complement of ``boilerplate`` within the text: where the report itself is."""
        ranges: list[Span] = []
        pos = 0
        for start, end in self.boilerplate:
            if start > pos:
                ranges.append((pos, start))
            pos = max(pos, end)
        if pos < len(self.text):
            ranges.append((pos, len(self.text)))
        return tuple(ranges)

    def is_boilerplate(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies entirely inside one boilerplate range."""
        return any(b0 <= start and end <= b1 for b0, b1 in self.boilerplate)
