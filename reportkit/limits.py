"""The largest input reportkit accepts. Document → the same Document, or an InputError naming the limit.

Every stage is meant to be linear (or n·log n) in the text, so the limit is not there to hide
slow code: it bounds memory and time for a batch that meets a mis-saved file (a whole database
dump, a log, a scanned book's OCR). The longest annual work reports we know run to about 70,000
characters; 2,000,000 is some thirty times that. At the limit the offline pipeline (rules engine,
figure check, indicators, Markdown) takes about 30 s of CPU on report-shaped text (the corpus
concatenated; 100k characters: about 1.5 s), 20,000 list lines about 24 s per 540k characters.
One clause holding thousands of figures (增长5% repeated, a long line without punctuation) is
linear too: about 1 s per 10-20k characters.
"""

from __future__ import annotations

import os

from .document import Document
from .errors import ConfigError, InputError

MAX_INPUT_CHARS = 2_000_000
MAX_INPUT_CHARS_ENV = "REPORTKIT_MAX_INPUT_CHARS"


def max_input_chars() -> int:
    """The limit in force: ``REPORTKIT_MAX_INPUT_CHARS`` when set, else ``MAX_INPUT_CHARS``.

    Raises:
        ConfigError: the variable is set to something other than a positive whole number.
    """
    raw = os.environ.get(MAX_INPUT_CHARS_ENV, "").strip().replace("_", "").replace(",", "")
    if not raw:
        return MAX_INPUT_CHARS
    if not raw.isdigit() or int(raw) <= 0:
        raise ConfigError(f"{MAX_INPUT_CHARS_ENV}={os.environ[MAX_INPUT_CHARS_ENV]!r}: set it to a positive number of characters")
    return int(raw)


def check_size(doc: Document) -> Document:
    """Return ``doc`` when its text is within the limit.

    Raises:
        InputError: the text is longer than ``max_input_chars()``; the message says how to raise it.
    """
    limit = max_input_chars()
    if len(doc.text) > limit:
        raise InputError(
            f"the text has {len(doc.text):,} characters, more than the limit of {limit:,}: split the "
            f"document, or raise the limit with {MAX_INPUT_CHARS_ENV}={len(doc.text)} "
            "(or reportkit.limits.MAX_INPUT_CHARS)",
            path=doc.source,
        )
    return doc
