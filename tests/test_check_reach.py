"""The figure check reads a bounded neighbourhood of each figure, so an unpunctuated run-on costs linear work.

An item or a plan written without clause breaks (计划完成投资1亿元增长2%计划完成投资2亿元…) is one
clause; naming each of its figures by the whole clause read n² characters (9.8 s of check at 3.5k
characters). These tests count the characters the check hands to name scoring, never time.
"""

from __future__ import annotations

import pytest

import reportkit
from reportkit import check as check_pkg
from reportkit.document import Document
from reportkit.settings import Settings


def _run_on(n: int) -> str:
    return "三、2025年工作计划\n" + "".join(f"计划完成投资{i}亿元增长{i % 9}%" for i in range(n))


def _words_read(monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[int, int]:
    """(figures named, characters of words handed to name scoring) while checking the rules engine's report of ``text``."""
    read = [0, 0]
    real = check_pkg._namer

    def counting(index, words):  # type: ignore[no-untyped-def]
        read[0] += 1
        read[1] += len(words)
        return real(index, words)

    monkeypatch.setattr(check_pkg, "_namer", counting)
    reportkit.summarize(Document.from_text(text), engine="rules", settings=Settings(cache="off"))
    return read[0], read[1]


def test_a_free_text_figure_is_named_by_words_near_it(monkeypatch: pytest.MonkeyPatch) -> None:
    named, chars = _words_read(monkeypatch, _run_on(60))
    assert named > 60  # the plan item's figures were checked
    assert chars <= named * 2 * check_pkg._FIELD_WORDS_REACH


def test_an_unpunctuated_item_costs_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    small = _words_read(monkeypatch, _run_on(60))
    big = _words_read(monkeypatch, _run_on(120))
    assert big[0] >= 1.9 * small[0]
    assert big[1] <= 2.2 * small[1]  # twice the figures, about twice the words (n² would be four times)


def test_punctuated_items_keep_their_whole_clause(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reach never binds in the genre's clauses: a normal item's words are its clause."""
    text = "三、2025年工作计划\n一是力争全镇规模以上工业增加值增长6%，二是完成固定资产投资12亿元。"
    named, chars = _words_read(monkeypatch, text)
    assert named >= 2
    assert chars < named * check_pkg._FIELD_WORDS_REACH
