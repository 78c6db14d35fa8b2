"""The largest input reportkit accepts. Document → the same Document, or an InputError naming the limit.

The limits bound the time of one document: a batch that meets a mis-saved file (a database dump, a
log, a scanned book's OCR, a table of numbers) should spend seconds on it, not minutes. Every stage
is linear in the text (``tests/test_rules_work.py`` counts the calls and ``tests/test_scan_work.py``
the characters each pattern reads, at n and 2n), so the time is the text's length times its cost
per character, and that cost grows with how densely the text states figures: the rules engine, the
figure check, indicators and Markdown cost about 0.5 ms per figure together. Two limits, then:

- 300,000 characters (``REPORTKIT_MAX_INPUT_CHARS``), four times the longest annual work reports
  (about 70,000 characters); report-shaped text of that length takes about 4.4 s.
- 10,000 figures (``REPORTKIT_MAX_FIGURES``), checked by the rules engine once it has found them and
  before it reads any. Report-shaped text at the size limit states about 7,700 (26 per 1,000
  characters); lists (70), joined figures (145) and ``增长5%`` repeated (250) reach 10,000 first.

Offline pipeline end to end, CPU seconds, cache off, this project's 2-core machine under load 3-6:

=========================================================  ==============  =====================
input family (figures per 1,000 characters)                 before, 300k    now (at either limit)
=========================================================  ==============  =====================
report-shaped: the corpus concatenated (26)                  4.4             4.4 (300k)
headings only, ``一、工作12`` lines (0)                      4.3             4.6 (300k)
numbered list lines ``1、…``, two figures each (70)          8.8             4.4 (143,500 chars)
``一是…`` lines, two figures each (72)                       9.2             4.1 (138,500 chars)
one clause of joined figures ``1公里、2公里…`` (145)          21.3            4.9 (68,900 chars)
``增长5%`` repeated: a figure every 4 characters (250)        27.2            3.5 (40,000 chars)
one passage repeated in four long lines, a fuzz mutant (50)   16.6 (275k)     6.0 (198,800 chars)
=========================================================  ==============  =====================

Raise either limit with its variable to accept longer or denser texts at that cost (the time grows
in proportion: 1,000,000 characters of report-shaped text took about 14 s).
"""

from __future__ import annotations

import os

from .document import Document
from .errors import ConfigError, InputError

MAX_INPUT_CHARS = 300_000
MAX_INPUT_CHARS_ENV = "REPORTKIT_MAX_INPUT_CHARS"
MAX_FIGURES = 10_000
MAX_FIGURES_ENV = "REPORTKIT_MAX_FIGURES"


def _from_env(name: str, default: int, what: str) -> int:
    raw = os.environ.get(name, "").strip().replace("_", "").replace(",", "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) <= 0:
        raise ConfigError(f"{name}={os.environ[name]!r}: set it to a positive number of {what}")
    return int(raw)


def max_input_chars() -> int:
    """The limit in force: ``REPORTKIT_MAX_INPUT_CHARS`` when set, else ``MAX_INPUT_CHARS``.

    Raises:
        ConfigError: the variable is set to something other than a positive whole number.
    """
    return _from_env(MAX_INPUT_CHARS_ENV, MAX_INPUT_CHARS, "characters")


def max_figures() -> int:
    """The figure limit in force: ``REPORTKIT_MAX_FIGURES`` when set, else ``MAX_FIGURES``.

    Raises:
        ConfigError: the variable is set to something other than a positive whole number.
    """
    return _from_env(MAX_FIGURES_ENV, MAX_FIGURES, "figures")


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


def check_figures(count: int, source: str | None) -> None:
    """Pass when a document states at most ``max_figures()`` figures (the rules engine asks once it
    has found them, before reading any: the reading, the check and the rest cost per figure).

    Raises:
        InputError: more figures than the limit; the message says how to raise it.
    """
    limit = max_figures()
    if count > limit:
        raise InputError(
            f"the text states {count:,} figures, more than the limit of {limit:,} (a report-shaped text of "
            f"300,000 characters states about 7,700): split the document, or raise the limit with "
            f"{MAX_FIGURES_ENV}={count} (or reportkit.limits.MAX_FIGURES)",
            path=source,
        )
