"""The figure limit (issue 14): a document stating more figures than ``REPORTKIT_MAX_FIGURES`` is an
InputError that names the variable, raised before the rules engine reads any figure."""

from __future__ import annotations

from pathlib import Path

import pytest

import reportkit
from reportkit import cleaning, limits, rules
from reportkit.document import Document

ROOT = Path(__file__).resolve().parent.parent


def _listed(n: int) -> str:
    """n figures, two to a numbered line, with both punctuation widths."""
    stops = ("，。", ",.")
    return "\n".join(
        f"{k + 1}、全年完成投资{k}亿元{stops[k % 2][0]}同比增长{k % 10}.5%{stops[k % 2][1]}" for k in range(n // 2)
    )


def test_the_default_limit_is_ten_thousand_figures() -> None:
    assert limits.max_figures() == limits.MAX_FIGURES == 10_000
    limits.check_figures(limits.MAX_FIGURES, "a.txt")
    with pytest.raises(reportkit.InputError, match=r"10,001 figures, more than the limit of 10,000") as info:
        limits.check_figures(limits.MAX_FIGURES + 1, "a.txt")
    assert info.value.path == "a.txt" and "REPORTKIT_MAX_FIGURES=10001" in str(info.value)


@pytest.mark.parametrize("limit", ["40", "4_0", "4,0"])
def test_a_text_at_the_limit_is_read_and_one_figure_more_is_refused(monkeypatch: pytest.MonkeyPatch, limit: str) -> None:
    monkeypatch.setenv("REPORTKIT_MAX_FIGURES", limit)
    at_limit = reportkit.summarize(Document(text=_listed(40), source="at.txt"), engine="rules")
    assert len(at_limit.metrics) == 40
    with pytest.raises(reportkit.InputError, match=r"42 figures, more than the limit of 40") as info:
        reportkit.summarize(Document(text=_listed(42), source="over.txt"), engine="rules")
    assert info.value.path == "over.txt" and "REPORTKIT_MAX_FIGURES=42" in str(info.value)


@pytest.mark.parametrize("text", [
    "增长5%" * 60,  # a figure every four characters, one clause
    "新建道路" + "、".join(f"{k}公里" for k in range(60)),  # one clause of joined figures
    "\n".join(f"{'一二三四五'[k % 5]}是新建道路{k}公里；增长{k % 10}%;" for k in range(30)),
    "全年实现地区生产总值134.2亿元,增长5.1%。" * 15 + "全年实现地区生产总值134.2亿元，增长5.1%；" * 15,
])
def test_the_limit_is_checked_before_any_figure_is_read(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv("REPORTKIT_MAX_FIGURES", "50")
    read: list[int] = []
    real = rules._Reader.read
    monkeypatch.setattr(rules._Reader, "read", lambda self, i, q: read.append(i) or real(self, i, q))
    with pytest.raises(reportkit.InputError, match="REPORTKIT_MAX_FIGURES=6"):
        rules.summarize_document(cleaning.with_boilerplate(Document.from_text(text)))
    assert read == []


def test_an_over_limit_file_is_a_failure_of_its_own_in_a_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTKIT_MAX_FIGURES", "30")
    dense, plain = tmp_path / "dense.txt", tmp_path / "plain.txt"
    dense.write_text(_listed(40), encoding="utf-8")
    plain.write_text(_listed(10), encoding="utf-8")
    with pytest.raises(reportkit.InputError, match="REPORTKIT_MAX_FIGURES=40") as info:
        reportkit.summarize(dense, engine="rules")
    assert info.value.path == str(dense)
    result = reportkit.summarize_many([dense, plain], engine="rules", progress=False)
    assert [f.error_type for f in result.failures] == ["InputError"] and len(result.reports) == 1
    monkeypatch.setenv("REPORTKIT_MAX_FIGURES", "40")  # raising the limit is all it takes
    assert len(reportkit.summarize(dense, engine="rules").metrics) == 40


@pytest.mark.parametrize("value", ["lots", "0", "-5", "1e4"])
def test_a_wrong_figure_limit_is_a_config_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("REPORTKIT_MAX_FIGURES", value)
    with pytest.raises(reportkit.ConfigError, match=f"REPORTKIT_MAX_FIGURES='{value}': set it to a positive number of figures"):
        reportkit.summarize(Document(text="全年实现地区生产总值134.2亿元。"), engine="rules")


def test_report_shaped_text_at_the_size_limit_is_under_the_figure_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # the limit is far above real reports: the corpus and seeds concatenated to the size limit state
    # about 7,700 figures (the densest real report, c01, 27 per 1,000 characters)
    texts = [reportkit.load(p).text for p in sorted((ROOT / "corpus").glob("c*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))]
    text = ("\n".join(texts) * (limits.MAX_INPUT_CHARS // sum(len(t) + 1 for t in texts) + 1))[: limits.MAX_INPUT_CHARS]
    counted: list[int] = []

    class Enough(Exception):
        pass

    def count(n: int, source: str | None) -> None:
        counted.append(n)
        raise Enough

    monkeypatch.setattr(rules, "check_figures", count)
    with pytest.raises(Enough):
        rules.summarize_document(cleaning.with_boilerplate(Document.from_text(text)))
    assert 0.5 * limits.MAX_FIGURES < counted[0] < 0.85 * limits.MAX_FIGURES
