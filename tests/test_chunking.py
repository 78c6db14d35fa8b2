"""Tests of reportkit.llm.chunking: sentence-bounded, section-pure, boilerplate-free chunks with overlap, packed into calls."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import SEEDS, gold_for
from reportkit import api
from reportkit.llm.chunking import (CLAUSE_BREAKS, FIGURES_PER_CALL, SENTENCE_ENDS, Chunk, Pack, chunk_document,
                                    figure_count, pack, pack_document, sentences, split_pack)
from reportkit.document import Document
from reportkit.segmenting import segment

from conftest import MINI  # noqa: E402  (the shared small report)
_ENDS = SENTENCE_ENDS | set("”’」』）)》〉]】\"'")


def chunks_of(doc: Document, chunk_chars: int = 1800, chunk_overlap: int = 120) -> list[Chunk]:
    return chunk_document(doc, segment(doc.text, doc.boilerplate), chunk_chars=chunk_chars, chunk_overlap=chunk_overlap)


def seed(stem: str) -> Document:
    return api.load(SEEDS / f"{stem}.txt")


def long_review(sentences_count: int = 40) -> Document:
    body = "".join(f"第{i}项工作完成投资{i}.5亿元,带动就业{i * 10}人。" for i in range(1, sentences_count + 1))
    return Document.from_text("某街道2023年工作总结\n一、2023年工作回顾\n" + body + "\n")


# --- the contract of a chunk ---------------------------------------------------------------------


@pytest.mark.parametrize("budget", [1800, 600, 250])
def test_chunk_text_is_the_document_slice_within_budget(seed_stem: str, budget: int) -> None:
    doc = seed(seed_stem)
    chunks = chunks_of(doc, budget, min(120, budget // 3))
    assert chunks
    for c in chunks:
        assert c.text == doc.text[c.start : c.end]
        assert 0 < len(c.text) <= budget
        assert c.text == c.text.strip()


def test_chunks_never_cross_a_section_boundary(seed_stem: str) -> None:
    doc = seed(seed_stem)
    outline = segment(doc.text, doc.boilerplate)
    for c in chunk_document(doc, outline, chunk_chars=400, chunk_overlap=100):
        assert outline.section_at(c.start) == c.section
        assert outline.section_at(c.end - 1) == c.section


def test_chunks_skip_boilerplate(seed_stem: str) -> None:
    doc = seed(seed_stem)
    for c in chunks_of(doc, 500, 100):
        for b0, b1 in doc.boilerplate:
            assert c.end <= b0 or c.start >= b1, (c.id, (b0, b1))


def test_chunks_end_at_sentence_ends(seed_stem: str) -> None:
    doc = seed(seed_stem)
    outline = segment(doc.text, doc.boilerplate)
    for c in chunk_document(doc, outline, chunk_chars=500, chunk_overlap=100):
        following = doc.text[c.end : c.end + 1]
        # a chunk ends at 。！？；!?; (closing marks included), at a line end, or where its region ends
        assert c.text[-1] in _ENDS or following in ("", "\n", " ", "\r") or outline.section_at(c.end) != c.section or doc.is_boilerplate(c.end, c.end + 1)


def test_every_gold_quote_lies_inside_one_chunk(seed_stem: str) -> None:
    doc, gold = seed(seed_stem), gold_for(seed_stem)
    quotes = [m["quote"] for m in gold["metrics"]] + [p["quote"] for p in gold["problems"] + gold["plans"]]
    for budget, overlap in ((1800, 120), (400, 120)):
        chunks = chunks_of(doc, budget, overlap)
        for q in quotes:
            at = doc.text.index(q)
            assert any(c.start <= at and at + len(q) <= c.end for c in chunks), (budget, q)


def test_each_chunk_has_one_section_kind_and_problems_are_separate() -> None:
    chunks = chunks_of(Document.from_text(MINI))
    assert [c.section for c in chunks] == ["review", "problems", "plans"]
    assert chunks[1].text.startswith("二、存在问题")


def test_a_one_line_title_is_not_a_chunk() -> None:
    chunks = chunks_of(Document.from_text(MINI))
    assert all("工作总结及2024年工作计划" not in c.text for c in chunks)


def test_chunk_ids_are_deterministic_and_follow_the_text() -> None:
    first = chunks_of(Document.from_text(MINI))
    again = chunks_of(Document.from_text(MINI))
    assert [c.id for c in first] == [c.id for c in again]
    assert [c.id[:3] for c in first] == ["00-", "01-", "02-"]
    changed = chunks_of(Document.from_text(MINI.replace("134.2", "134.3")))
    assert changed[0].id != first[0].id and changed[1].id == first[1].id
    assert len({c.id for c in first}) == len(first)


def test_chunk_is_frozen() -> None:
    c = chunks_of(Document.from_text(MINI))[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.text = "x"  # type: ignore[misc]


# --- overlap ---------------------------------------------------------------------------------------


def test_consecutive_chunks_overlap_by_whole_sentences() -> None:
    doc = long_review()
    chunks = chunks_of(doc, 300, 60)
    assert len(chunks) > 3
    for prev, c in zip(chunks, chunks[1:]):
        assert c.overlap == (prev.end - c.start if c.start < prev.end else 0)
        assert 0 < c.overlap <= 60
        assert doc.text[c.start - 1] in SENTENCE_ENDS  # the overlap starts at a sentence start
        assert doc.text[c.start : c.start + c.overlap].rstrip()[-1] in SENTENCE_ENDS


def test_no_overlap_when_disabled() -> None:
    chunks = chunks_of(long_review(), 300, 0)
    for prev, c in zip(chunks, chunks[1:]):
        assert c.start >= prev.end and c.overlap == 0


def test_overlap_never_reaches_into_another_section() -> None:
    chunks = chunks_of(Document.from_text(MINI), 1800, 120)
    assert all(c.overlap == 0 for c in chunks)


def test_chunks_cover_all_content() -> None:
    doc = long_review()
    chunks = chunks_of(doc, 300, 60)
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    body_start = doc.text.index("一、")
    missing = [i for i in range(body_start, len(doc.text)) if i not in covered and not doc.text[i].isspace()]
    assert missing == []


# --- long sentences --------------------------------------------------------------------------------


def test_long_sentence_is_cut_at_clause_marks_never_inside_a_figure() -> None:
    sentence = "，".join(f"第{i}个项目投资1,234.5亿元增长12.5%" for i in range(30)) + "。"
    doc = Document.from_text("2023年工作回顾\n" + sentence + "\n")
    chunks = chunks_of(doc, 200, 0)
    assert len(chunks) > 3
    for c in chunks:
        assert len(c.text) <= 200
        assert c.text[-1] in CLAUSE_BREAKS | {"。"}
    assert all(c.text.startswith("第") for c in chunks[1:])  # each cut falls between two clauses
    assert "".join(c.text for c in chunks) == "2023年工作回顾\n" + sentence


def test_thousands_comma_is_not_a_clause_break() -> None:
    text = "投资1,234,567元和1,234,567元,另投资5元"
    spans = pack(text, 0, len(text), 16)
    assert len(spans) > 1
    for _, b, _ in spans[:-1]:
        assert not (text[b - 1] == "," and text[b - 2].isdigit() and text[b].isdigit()), text[:b]
    assert "".join(text[a:b] for a, b, _ in spans) == text


def test_unbreakable_run_is_cut_outside_numbers() -> None:
    text = "甲" * 50 + "123456789亿元" + "乙" * 50
    spans = pack(text, 0, len(text), 55)
    for _, b, _ in spans:
        assert not (text[b - 1].isdigit() and b < len(text) and text[b].isdigit())
    assert "".join(text[a:b] for a, b, _ in spans) == text


# --- sentences and headings ------------------------------------------------------------------------


def test_sentences_tile_the_range_and_keep_closing_quotes() -> None:
    text = "他说:“好。”然后呢?行!\n下一行;最后"
    spans = sentences(text)
    assert "".join(text[a:b] for a, b in spans) == text
    assert [text[a:b] for a, b in spans] == ["他说:“好。”", "然后呢?", "行!", "\n", "下一行;", "最后"]


def test_heading_is_context_not_text() -> None:
    doc = long_review()
    chunks = chunks_of(doc, 300, 60)
    assert chunks[0].heading == ""  # the first chunk holds its heading itself
    for c in chunks[1:]:
        assert c.heading.startswith("一、2023年工作回顾")
        assert "一、2023年工作回顾" not in c.text


def test_problems_chunk_gets_no_heading_from_the_review_section() -> None:
    doc = seed("000_0905f6282178ee7a")
    problems = [c for c in chunks_of(doc) if c.section == "problems"]
    assert problems and all("回顾" not in c.heading for c in problems)


def test_bad_budget_is_refused() -> None:
    with pytest.raises(ValueError):
        chunks_of(Document.from_text(MINI), 100, 100)


# --- packs: what one call reads --------------------------------------------------------------------


def packs_of(doc: Document, chunk_chars: int = 4000, chunk_overlap: int = 120, **kw: int) -> list[Pack]:
    return pack_document(doc, segment(doc.text, doc.boilerplate), chunk_chars=chunk_chars, chunk_overlap=chunk_overlap, **kw)


def test_a_short_report_is_one_call_with_each_section_marked() -> None:
    [one] = packs_of(Document.from_text(MINI))
    assert [c.section for c in one.parts] == ["review", "problems", "plans"]
    assert one.section == "mixed" and one.text == "\n".join(c.text for c in one.parts)
    assert [c.id for c in one.parts] == [c.id for c in chunks_of(Document.from_text(MINI))]


@pytest.mark.parametrize("budget", [4000, 1500, 600])
def test_packs_are_within_budget_in_order_and_cover_what_chunks_cover(seed_stem: str, budget: int) -> None:
    doc = seed(seed_stem)
    packs = packs_of(doc, budget, 120)
    parts = [c for p in packs for c in p.parts]
    for p in packs:
        assert p.chars <= budget or len(p.parts) == 1
        assert figure_count(p.text) <= FIGURES_PER_CALL or len(p.parts) == 1
    for c in parts:
        assert c.text == doc.text[c.start : c.end] and c.text == c.text.strip()
    assert all(a.start < b.start for a, b in zip(parts, parts[1:]))
    covered = {i for c in parts for i in range(c.start, c.end) if not doc.text[i].isspace()}
    expected = {i for c in chunks_of(doc, budget, 0) for i in range(c.start, c.end) if not doc.text[i].isspace()}
    assert covered == expected


def test_every_gold_quote_lies_inside_one_part(seed_stem: str) -> None:
    doc, gold = seed(seed_stem), gold_for(seed_stem)
    quotes = [m["quote"] for m in gold["metrics"]] + [p["quote"] for p in gold["problems"] + gold["plans"]]
    parts = [c for p in packs_of(doc) for c in p.parts]
    for q in quotes:
        at = doc.text.index(q)
        assert any(c.start <= at and at + len(q) <= c.end for c in parts), q


def test_a_dense_passage_is_cut_by_its_figures_not_only_by_characters() -> None:
    doc = long_review(120)  # 120 sentences, two figures each, about 3,000 characters
    packs = packs_of(doc, 8000, 60)
    assert len(packs) > 1 and all(figure_count(p.text) <= FIGURES_PER_CALL for p in packs)
    assert all(len(p.parts) == 1 and p.parts[0].section == "review" for p in packs)
    for prev, p in zip(packs, packs[1:]):  # a section going on in the next call repeats its last sentences
        assert 0 < p.parts[0].overlap <= 60 and p.parts[0].start < prev.end
        assert p.parts[0].heading.startswith("一、2023年工作回顾")
    assert len(packs_of(doc, 8000, 60, max_figures=10_000)) == 1


def test_figures_in_chinese_numerals_count_against_the_cap_as_digits_do() -> None:
    from reportkit.numbers import find_quantities

    numerals = "一二三四五六七八九"
    body = "".join(f"该片区完成投资{numerals[i % 9]}点五亿元，带动就业{numerals[(i + 3) % 9]}百人。" for i in range(1, 61))
    doc = Document.from_text("某街道2023年工作总结\n一、2023年工作回顾\n" + body + "\n")
    cap = 24  # the local preset's figures_per_call

    def stated(p: Pack) -> int:  # the figures the answer lists, however they are written
        return figure_count(p.text) + sum(q.chinese for q in find_quantities(p.text, chinese=True))

    packs = packs_of(doc, 8000, 0, max_figures=cap)
    assert sum(stated(p) for p in packs) >= 120  # 60 sentences, two figures each, none in digits
    assert len(packs) >= 5 and all(stated(p) <= cap for p in packs)
    assert len(packs_of(doc, 8000, 0, max_figures=10_000)) == 1


def test_years_and_item_numbers_are_not_counted_as_figures() -> None:
    assert figure_count("2023年，完成投资3.5亿元，增长12%。\n1．新建书房2个。\n 2、举办活动100场。") == 4


def test_split_pack_shares_out_parts_then_sentences() -> None:
    [one] = packs_of(Document.from_text(MINI))
    halves = split_pack(one, 0)
    assert len(halves) == 2 and [c.section for h in halves for c in h.parts] == ["review", "problems", "plans"]
    rest = split_pack(one, one.text.index("二、存在问题"))  # the cut fell in the second part
    assert [c.section for h in rest for c in h.parts] == ["problems", "plans"]
    review = one.parts[0]
    pieces = split_pack(make_single(review), 0)
    assert len(pieces) == 2 and all(len(p.parts) == 1 for p in pieces)
    assert "".join(p.parts[0].text for p in pieces).replace("\n", "") == review.text.replace("\n", "")
    for p in pieces:
        c = p.parts[0]
        assert Document.from_text(MINI).text[c.start : c.end] == c.text


def test_split_pack_in_one_piece_keeps_the_rest_whole() -> None:
    [one] = packs_of(Document.from_text(MINI))
    [rest] = split_pack(one, one.text.index("二、存在问题"), pieces=1)
    assert [c.section for c in rest.parts] == ["problems", "plans"] and rest.text == one.text[one.text.index("二、存在问题") :]
    assert split_pack(one, len(one.text), pieces=1) == []


def test_the_rest_of_a_late_cut_is_asked_in_one_request_an_early_cut_in_two() -> None:
    from reportkit.llm.asking import _pieces

    assert _pieces(800, 1000) == 1  # the answer got through 80%: the rest needs a shorter answer
    assert _pieces(400, 1000) == 2 and _pieces(0, 1000) == 2


@pytest.mark.parametrize("budget", [4000, 900, 300, 61])
def test_the_first_chunk_of_a_section_is_what_pack_would_cut_first(seed_stem: str, budget: int) -> None:
    from reportkit.llm.chunking import _first_chunk

    doc = seed(seed_stem)
    text = doc.text
    for start in range(0, len(text), max(1, len(text) // 23)):
        for figures in (68, 5, 1):
            expected = pack(text, start, len(text), budget, 0, figures)
            assert _first_chunk(text, start, len(text), budget, figures) == (expected[0] if expected else None)


def make_single(chunk: Chunk) -> Pack:
    from reportkit.llm.chunking import make_pack

    return make_pack(0, (chunk,))
