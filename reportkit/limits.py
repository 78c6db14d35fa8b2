"""The largest input reportkit accepts. Document → the same Document, or an InputError naming the limit.

The limit bounds the time of one document: a batch that meets a mis-saved file (a database dump, a
log, a scanned book's OCR) should spend seconds on it, not minutes. Every stage is linear in the
text (``tests/test_rules_work.py`` and ``tests/test_index_work.py`` count the work at n and 2n), so
the time is the text's length times its cost per character, and that cost depends on how densely
the text states figures. The longest annual work reports we know run to about 70,000 characters;
300,000 is four times that, and report-shaped text of that length takes about 4.4 s.

Offline pipeline end to end (clean, segment, rules engine, figure check, indicators, Markdown),
CPU seconds, cache off, measured on this project's 2-core machine under load 3-10:

====================================================  ======  ======
input family (figures per 1,000 characters)            100k    300k
====================================================  ======  ======
report-shaped: the corpus concatenated (26)             1.4     4.4
headings only, ``一、工作12`` lines (0)                 1.9     4.3
one line without punctuation (0)                        0.4     1.1
numbered list lines ``1、…``, two figures each (70)     2.9     8.8
``一是…`` lines, two figures each (72)                  3.0     9.2
one clause of joined figures ``1公里、2公里…`` (130)      7.1    21.3
``增长5%`` repeated: a figure every 4 characters (250)   8.4    27.2
one passage repeated in four long lines (50)            5.5    16.6 (275k)
====================================================  ======  ======

The last row is a mutant that whole-document fuzzing of the seeds and corpus made (lines and
paragraphs deleted, duplicated and joined, punctuation of both widths swapped, digits made
full-width or Chinese, brackets and item markers typed in; 3,335 mutants): each value recurs
everywhere, and the figure check weighs every place of it (about 0.9 ms per figure). The slowest
of the others took 7.7 s (215,870 characters of a figure-dense passage repeated). Time goes with
how densely a text states figures, about 0.1 ms per figure in the rules engine and 0.1-0.9 ms in
the check: only report-shaped text is under 5 s at this limit; lists, repeated passages and
figure strings take 8-27 s. Set
``REPORTKIT_MAX_INPUT_CHARS`` to accept longer texts at that cost (the time grows in proportion:
1,000,000 characters of report-shaped text take about 14 s).
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
