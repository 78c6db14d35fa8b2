"""The scorer behind ``python -m reportkit.eval``: matching by place, label agreement, items, meta, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportkit.document import Document
from reportkit.eval import PlaceFinder, blind2_docs, blind3_docs, blind_docs, corpus_docs, fresh_docs, independent_docs, main, name_usable, pair_docs, score, seed_docs
from reportkit.schema import Item, Meta, Metric, Report

ROOT = Path(__file__).resolve().parent.parent
TEXT = "一、工作回顾\n全年实现地区生产总值134.2亿元,同比增长5.2%。新增市场主体134家。\n二、存在问题\n一是增长乏力。\n"


def _metric(text: str, quote: str, value: float, unit: str, **kw) -> Metric:
    at = text.index(quote)
    return Metric(name=kw.pop("name", "地区生产总值"), value=value, unit=unit, quote=quote, span=(at, at + len(quote)), **kw)


def _gold(metrics: list[dict], **kw) -> dict:
    base = {
        "organization": "某街道", "region": None, "report_year": 2023, "published": None, "doc_type": "work_summary",
        "sections_present": {"review": True, "problems": True, "plans": False},
        "review_points": ["经济"], "problems": [{"text": "增长乏力", "quote": "一是增长乏力"}], "plans": [], "metrics": metrics,
    }
    base.update(kw)
    return base


def _g(name: str, value: float, unit: str, quote: str, kind: str = "actual", period: str | None = "2023", qualifier: str | None = None) -> dict:
    return {"name": name, "value": value, "unit": unit, "kind": kind, "period": period, "qualifier": qualifier, "quote": quote}


def _item(text: str, quote: str) -> Item:
    at = text.index(quote)
    return Item(title=quote, quote=quote, span=(at, at + len(quote)))


def _report(metrics: list[Metric], **kw) -> Report:
    return Report(meta=Meta(organization="某街道", report_year=2023, doc_type="work_summary"), metrics=metrics, **kw)


def test_value_unit_and_place_match_and_labels_are_counted() -> None:
    m = _metric(TEXT, "地区生产总值134.2亿元", 134.2, "亿元", kind="actual", period="2023")
    rate = _metric(TEXT, "同比增长5.2%", 5.2, "%", kind="target", period="2023", name="增长")
    gold = _gold([_g("地区生产总值", 134.2, "亿元", "实现地区生产总值134.2亿元"), _g("地区生产总值", 5.2, "%", "同比增长5.2%", kind="growth_rate")])
    s = score(_report([m, rate]), gold, Document.from_text(TEXT), "x")
    assert (s.matched, s.recall, s.precision) == (2, 1.0, 1.0)
    assert (s.matched_kind, s.matched_period, s.matched_qualifier, s.matched_name) == (1, 2, 2, 1)
    assert any("kind: 'target'≠'growth_rate'" in miss for miss in s.label_misses)


def test_same_number_elsewhere_does_not_match() -> None:
    # 134 appears twice; the figure sits on 市场主体, the gold quote on the GDP sentence
    text = "地区生产总值134亿元。新增市场主体134亿元。"
    m = _metric(text, "新增市场主体134亿元", 134, "亿元")
    gold = _gold([_g("地区生产总值", 134, "亿元", "地区生产总值134亿元")])
    s = score(_report([m]), gold, text)
    assert s.matched == 0 and s.recall == 0.0 and s.precision == 0.0
    assert len(s.unmatched_gold) == 1 and len(s.unmatched_predicted) == 1


def test_unit_or_value_difference_does_not_match() -> None:
    gold = _gold([_g("地区生产总值", 134.2, "亿元", "地区生产总值134.2亿元")])
    wrong_unit = _metric(TEXT, "地区生产总值134.2亿元", 134.2, "万元")
    wrong_value = _metric(TEXT, "地区生产总值134.2亿元", 134.0, "亿元")
    assert score(_report([wrong_unit, wrong_value]), gold, TEXT).matched == 0


def test_matching_is_one_to_one() -> None:
    text = "网格132个,专职网格员132名。"
    one = _metric(text, "网格132个", 132, "个")
    gold = _gold([_g("网格", 132, "个", "网格132个", kind="count"), _g("网格", 132, "个", "网格132个", kind="count")])
    s = score(_report([one]), gold, text)
    assert (s.matched, s.gold_metrics) == (1, 2)


def test_whitespace_insensitive_places_map_back_to_offsets() -> None:
    pdf_text = "全年完成规模以上工业总产值7\n6.8亿元,同比\n增长8.7%。"
    finder = PlaceFinder(pdf_text)
    (place,) = finder.places("规模以上工业总产值76.8亿元")
    assert pdf_text[place[0] : place[1]] == "规模以上工业总产值7\n6.8亿元"
    html_text = "地区生产总值\n  完成  68.4 亿元"
    (place,) = PlaceFinder(html_text).places("完成 68.4 亿元")
    assert html_text[place[0] : place[1]] == "完成  68.4 亿元"
    assert PlaceFinder("abc").places("abd") == []


def test_pdf_figure_split_over_lines_matches() -> None:
    text = "规模以上工业总产值7\n6.8亿元"
    start = text.index("7")
    m = Metric(name="规模以上工业总产值", value=76.8, unit="亿元", quote=text[start:], span=(start, len(text)))
    gold = _gold([_g("规模以上工业总产值", 76.8, "亿元", "规模以上工业总产值76.8亿元")])
    assert score(_report([m]), gold, text).matched == 1


@pytest.mark.parametrize(
    "name, gold, usable",
    [
        ("地区生产总值", "地区生产总值", True),
        ("地区生产总值增速", "地区生产总值", True),  # containment
        ("规上工业总产值", "规模以上工业总产值", True),  # Dice 0.67
        ("小区", "城镇老旧小区改造", False),  # contained, but only 2 characters
        ("，同比增长", "固定资产投资", False),
        ("", "固定资产投资", False),
    ],
)
def test_name_usable(name: str, gold: str, usable: bool) -> None:
    assert name_usable(name, gold) is usable


def test_items_match_by_quote_place_and_meta_field_by_field() -> None:
    text = TEXT + "三、下步打算\n一是稳经济。\n"
    report = _report(
        [],
        review=[_item(text, "一、工作回顾")],
        problems=[_item(text, "一是增长乏力")],
        plans=[_item(text, "一是稳经济")],
    )
    gold = _gold([], plans=[{"text": "稳经济", "quote": "一是稳经济"}], region="某省", sections_present={"review": True, "problems": True, "plans": True})
    s = score(report, gold, text)
    assert s.items == {"review": (1, 1, 1), "problems": (1, 1, 1), "plans": (1, 1, 1)} and s.items_ok and s.sections_ok
    assert s.meta["region"] == ("某省", None) and s.meta_ok == 4
    misplaced = _report([], review=report.review, problems=[_item(text, "一是稳经济")], plans=[])
    s = score(misplaced, gold, text)
    assert s.items["problems"] == (1, 1, 0) and not s.items_ok and not s.sections_ok
    assert any("一是增长乏力" in miss for miss in s.item_misses)


def test_subset_gold_is_marked_and_left_out_of_precision() -> None:
    s = score(_report([]), _gold([]), TEXT, "003_c6631ad89748e798")
    assert s.subset


def test_default_sets_find_seeds_and_corpus() -> None:
    seeds, corpus = seed_docs(ROOT), corpus_docs(ROOT)
    assert len(seeds) == 5 and {d.path.suffix for d in corpus} == {".txt", ".html", ".docx", ".pdf"}
    assert len(corpus) == 16 and not any(d.path.name.endswith(".source.txt") for d in corpus)


def test_held_out_pairs_are_scored_as_their_own_set(capsys: pytest.CaptureFixture[str]) -> None:
    """The pairs were never used for tuning: they get their own table, apart from the corpus."""
    pairs = pair_docs(ROOT)
    assert len(pairs) == 6 and all(d.group == "pairs" and d.path.suffix == ".txt" for d in pairs)
    assert not any("pairs" in str(d.path) for d in corpus_docs(ROOT))
    assert main(["--root", str(ROOT), "--only", "pairs"]) == 0
    table = capsys.readouterr().out
    assert "### pairs" in table and "| p1a_fengtang_2023 |" in table and "**total (6)**" in table


def test_independent_set_is_scored_as_its_own_set(capsys: pytest.CaptureFixture[str]) -> None:
    """tests/data/independent is a second held-out set: its own table, in no other set."""
    docs = independent_docs(ROOT)
    assert len(docs) == 6 and all(d.group == "independent" and d.path.suffix == ".txt" for d in docs)
    assert not any("independent" in str(d.path) for d in corpus_docs(ROOT) + pair_docs(ROOT) + seed_docs(ROOT))
    assert main(["--root", str(ROOT), "--only", "independent"]) == 0
    table = capsys.readouterr().out
    assert "### independent" in table and "| i01_yunbu_jiedao |" in table and "**total (6)**" in table
    assert "### pairs" not in table and "### corpus" not in table


def test_fresh_set_is_scored_as_its_own_set(capsys: pytest.CaptureFixture[str]) -> None:
    """tests/data/fresh is a third held-out set: its own table, in no other set."""
    docs = fresh_docs(ROOT)
    assert len(docs) == 6 and all(d.group == "fresh" and d.path.suffix == ".txt" for d in docs)
    others = corpus_docs(ROOT) + pair_docs(ROOT) + seed_docs(ROOT) + independent_docs(ROOT)
    assert not any("fresh" in str(d.path) for d in others)
    assert main(["--root", str(ROOT), "--only", "fresh"]) == 0
    table = capsys.readouterr().out
    assert "### fresh" in table and "| f01_yunxiu_qu |" in table and "**total (6)**" in table
    assert "### independent" not in table and "### corpus" not in table


def test_blind_set_is_scored_as_its_own_set(capsys: pytest.CaptureFixture[str]) -> None:
    """tests/data/blind, a development set since blind2 replaced it: its own table with its rows, in no other set."""
    docs = blind_docs(ROOT)
    assert len(docs) == 6 and all(d.group == "blind" and d.path.suffix == ".txt" for d in docs)
    others = corpus_docs(ROOT) + pair_docs(ROOT) + seed_docs(ROOT) + independent_docs(ROOT) + fresh_docs(ROOT) + blind2_docs(ROOT) + blind3_docs(ROOT)
    assert not any("/blind/" in str(d.path) for d in others)
    assert main(["--root", str(ROOT), "--only", "blind"]) == 0
    table = capsys.readouterr().out
    assert "### blind" in table and "| b01_wuchuan_kaifaqu |" in table and "**total (6)**" in table


def test_blind2_set_is_scored_as_its_own_set(capsys: pytest.CaptureFixture[str]) -> None:
    """tests/data/blind2, a development set since blind3 replaced it: its own table with its rows, in no other set."""
    docs = blind2_docs(ROOT)
    assert len(docs) == 6 and all(d.group == "blind2" for d in docs)
    assert {d.path.suffix for d in docs} == {".txt", ".html"}  # a portal page among its texts, read as the corpus is
    others = corpus_docs(ROOT) + pair_docs(ROOT) + seed_docs(ROOT) + independent_docs(ROOT) + fresh_docs(ROOT) + blind_docs(ROOT) + blind3_docs(ROOT)
    assert not any("blind2" in str(d.path) for d in others)
    assert main(["--root", str(ROOT), "--only", "blind2"]) == 0
    table = capsys.readouterr().out
    assert "### blind2" in table and f"| {docs[0].path.stem} |" in table and "**total (6)**" in table


def test_blind3_set_is_pristine_totals_only(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """tests/data/blind3, seen by nobody fixing the engine: its own table, totals only (also in --json), even with -v."""
    docs = blind3_docs(ROOT)
    assert len(docs) == 6 and all(d.group == "blind3" for d in docs)
    others = corpus_docs(ROOT) + pair_docs(ROOT) + seed_docs(ROOT) + independent_docs(ROOT) + fresh_docs(ROOT) + blind_docs(ROOT) + blind2_docs(ROOT)
    assert not any("blind3" in str(d.path) for d in others)
    out = tmp_path / "scores.json"
    assert main(["--root", str(ROOT), "--only", "blind3", "-v", "--json", str(out)]) == 0
    table = capsys.readouterr().out
    assert "### blind3" in table and "**total (6)**" in table
    assert "### blind2" not in table and "### corpus" not in table
    first = docs[0].path.stem
    assert first not in table and "missed" not in table
    scores = json.loads(out.read_text(encoding="utf-8"))["blind3"]
    assert scores["documents"] == [] and scores["total"]["gold_metrics"] == 538
    assert main(["--root", str(ROOT), "--only", "blind3", "--open-held-out"]) == 0
    assert f"| {first} |" in capsys.readouterr().out


def test_totals_only_keeps_the_header_and_the_total_row() -> None:
    from reportkit.eval import totals_only

    table = "| doc | gold |\n|---|---:|\n| a | 3 |\n| b | 4 |\n| **total (2)** | 7 |"
    assert totals_only(table) == "| doc | gold |\n|---|---:|\n| **total (2)** | 7 |"


@pytest.mark.parametrize(("name", "where"), [("fresh", "tests/data/fresh/f*.txt"), ("blind", "tests/data/blind/b*.txt"),
                                                  ("blind2", "tests/data/blind2/k*.{txt,html}"),
                                                  ("blind3", "tests/data/blind3/m*.{txt,html}")])
def test_the_newer_held_out_sets_are_optional_unless_asked_for(name: str, where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "seeds" / "gold").mkdir(parents=True)
    (tmp_path / "seeds" / "a.txt").write_text(TEXT, encoding="utf-8")
    gold = _gold([_g("地区生产总值", 134.2, "亿元", "地区生产总值134.2亿元")])
    (tmp_path / "seeds" / "gold" / "a.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    assert main(["--root", str(tmp_path), "--only", "seeds"]) == 0
    capsys.readouterr()
    assert main(["--root", str(tmp_path), "--only", name]) == 2
    err = capsys.readouterr().err
    assert name in err and where in err


def test_held_out_sets_are_optional_unless_asked_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A checkout without tests/data/independent scores the rest; asking for that set alone names what is missing."""
    (tmp_path / "seeds" / "gold").mkdir(parents=True)
    (tmp_path / "seeds" / "a.txt").write_text(TEXT, encoding="utf-8")
    gold = _gold([_g("地区生产总值", 134.2, "亿元", "地区生产总值134.2亿元")])
    (tmp_path / "seeds" / "gold" / "a.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    assert main(["--root", str(tmp_path), "--only", "seeds"]) == 0
    capsys.readouterr()
    assert main(["--root", str(tmp_path), "--only", "independent"]) == 2
    err = capsys.readouterr().err
    assert "independent" in err and "tests/data/independent/i*.txt" in err


def test_cli_without_gold_says_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path)]) != 0
    err = capsys.readouterr().err
    assert "no gold found" in err and "seeds/gold" in err and "--root" in err


def test_cli_writes_tables_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "seeds" / "gold").mkdir(parents=True)
    (tmp_path / "seeds" / "a.txt").write_text(TEXT, encoding="utf-8")
    gold = _gold([_g("地区生产总值", 134.2, "亿元", "地区生产总值134.2亿元")])
    (tmp_path / "seeds" / "gold" / "a.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "scores.json"
    assert main(["--root", str(tmp_path), "--only", "seeds", "--json", str(out), "-v"]) == 0
    table = capsys.readouterr().out
    assert "| a |" in table and "**total (1)**" in table
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["seeds"]["total"]["gold_metrics"] == 1 and data["seeds"]["documents"][0]["matched"] == 1


def test_cli_names_documents_it_could_not_read_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """On a base install (no html extra) the table covers the rest, and the run says what it left out."""
    from reportkit import api
    from reportkit.errors import MissingExtraError

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "c01_a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "corpus" / "c02_b.html").write_text("<p>" + TEXT + "</p>", encoding="utf-8")
    gold = _gold([_g("地区生产总值", 134.2, "亿元", "地区生产总值134.2亿元")])
    for stem in ("c01_a", "c02_b"):
        (tmp_path / "corpus" / f"{stem}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    real_load = api.load

    def load_without_html(path):  # what a machine without beautifulsoup4 does
        if str(path).endswith(".html"):
            raise MissingExtraError("html", path=str(path), what=".html")
        return real_load(path)

    monkeypatch.setattr(api, "load", load_without_html)
    assert main(["--root", str(tmp_path), "--only", "corpus"]) == 1
    out, err = capsys.readouterr()
    assert "| c01_a |" in out and "c02_b" not in out
    assert "c02_b.html" in err and "reportkit[html]" in err
