"""The order of a batch's work in its worker processes: a document past its last request gives its place to the next one, whose first request goes before the finished one's check."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI
from test_hardening import _doc, grounded, llm_settings

import reportkit
from reportkit import api
from reportkit.batch import _Preparations
from reportkit.testing import FakeOpenAI

MARK = re.compile(r"第(\d+)号")


def _docs(n: int) -> list[Any]:
    return [_doc(MINI.replace("某某", f"第{i}号"), f"doc{i}.txt") for i in range(n)]


def _recording(seen: Path):
    lock = threading.Lock()

    def respond(request: Any) -> Any:
        with lock, seen.open("a", encoding="utf-8") as fh:
            fh.write("".join(f"{m}\n" for m in MARK.findall(request.user_text)))
        return grounded(request)

    return respond


def _checked_after(seen: Path, verdicts: Path, documents: int, limit: float = 10.0):
    """A figure check that first waits (up to ``limit``) until ``documents`` documents have sent a
    request, and records whether that happened: in a worker whose one place the checked document
    still held, the next document could not start, and it never would."""
    real = api.validate

    def check(report: Any, doc: Any) -> Any:
        until = time.monotonic() + limit
        while time.monotonic() < until:
            if len(set(seen.read_text(encoding="utf-8").split())) >= documents:
                break
            time.sleep(0.01)
        with verdicts.open("a", encoding="utf-8") as fh:
            fh.write(f"{doc.source} {len(set(seen.read_text(encoding='utf-8').split()))}\n")
        return real(report, doc)

    return check


def test_the_next_document_sends_its_first_request_before_the_finished_ones_check(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen, verdicts = tmp_path / "seen", tmp_path / "verdicts"
    seen.write_text("", encoding="utf-8")
    # forked workers inherit the patched check; 2 workers with one place each (concurrency 2)
    monkeypatch.setattr(api, "validate", _checked_after(seen, verdicts, documents=3))
    with FakeOpenAI(responder=_recording(seen)) as server:
        s = llm_settings(server, tmp_path / "c", concurrency=2, cache="off", chunk_chars=4000)
        result = reportkit.summarize_many(_docs(4), settings=s, concurrency=2, progress=False, workers=2)
    assert result.ok, result.failures
    assert sorted(set(seen.read_text(encoding="utf-8").split())) == ["0", "1", "2", "3"]
    counts = [int(line.split()[1]) for line in verdicts.read_text(encoding="utf-8").splitlines()]
    # the first two checks ran once a third document had sent its request: each had given its place up
    assert len(counts) == 4 and sorted(counts)[:2] >= [3, 3], counts
    assert result.scheduler["peak_in_flight"] <= 2
    assert all(held <= 2 for held in result.pool["peak_held_per_worker"])  # 1 place + 1 sent ahead


def test_the_reports_are_those_of_threads(tmp_path: Path) -> None:
    with FakeOpenAI(responder=grounded) as server:
        s = llm_settings(server, tmp_path / "c", concurrency=3, cache="off")
        docs = _docs(7)
        in_processes = reportkit.summarize_many(docs, settings=s, concurrency=3, progress=False, workers=2)
        in_threads = reportkit.summarize_many(docs, settings=s, concurrency=3, progress=False, workers=0)
    assert in_processes.ok and in_threads.ok
    strip = {"run": {"seconds"}}
    assert [r.model_dump(exclude=strip) for r in in_processes] == [r.model_dump(exclude=strip) for r in in_threads]
    assert in_processes.totals["calls"] == in_threads.totals["calls"]  # no request sent twice


def test_a_finished_document_waits_for_the_pending_preparations_only() -> None:
    preparations = _Preparations()
    preparations.started()
    preparations.started()
    order: list[str] = []

    def finish() -> None:
        preparations.yield_to(limit=30)
        order.append("checked")

    waiter = threading.Thread(target=finish)
    waiter.start()
    preparations.sent()
    order.append("first sent")
    preparations.sent()
    waiter.join(30)
    assert order == ["first sent", "checked"]


def test_a_preparation_that_never_sends_does_not_stall_the_check() -> None:
    preparations = _Preparations()
    preparations.started()  # and never sent: yield_to gives up at its limit
    preparations.yield_to(limit=0.01)
    fresh = _Preparations()
    fresh.yield_to(limit=30)  # nothing pending: returns at once


def test_the_largest_documents_are_dealt_out_to_the_workers_in_turn(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Largest first, one at a time to the worker with the most room: not the first worker's whole share."""
    import os

    where = tmp_path / "where"
    real = api.validate

    def check(report: Any, doc: Any) -> Any:
        with where.open("a", encoding="utf-8") as fh:
            fh.write(f"{doc.source} {os.getpid()}\n")
        return real(report, doc)

    monkeypatch.setattr(api, "validate", check)
    long_text = MINI + "\n".join(f"其他工作{i}：完成项目{i}个。" for i in range(40))
    docs = [_doc(long_text.replace("某某", f"第{i}号"), f"long{i}.txt") for i in range(2)] + \
        [_doc(MINI.replace("某某", f"第{i}号"), f"short{i}.txt") for i in range(2, 6)]
    with FakeOpenAI(responder=grounded) as server:
        s = llm_settings(server, tmp_path / "c", concurrency=4, cache="off", chunk_chars=4000)
        result = reportkit.summarize_many(docs[::-1], settings=s, concurrency=4, progress=False, workers=2)
    assert result.ok, result.failures
    pid = dict(line.split() for line in where.read_text(encoding="utf-8").splitlines())
    assert pid["long0.txt"] != pid["long1.txt"], pid
    assert sorted(result.pool["documents_per_worker"]) == [3, 3]
