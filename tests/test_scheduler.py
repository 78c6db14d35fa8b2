"""The request scheduler: one cap on requests in flight for a whole batch, one pause after a 429, no request past the deadline."""

from __future__ import annotations

import logging
import multiprocessing
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI, InFlight
from test_hardening import _doc, grounded, llm_settings

import reportkit
from reportkit.llm.scheduler import RequestScheduler, SlotTimeout, shared
from reportkit.testing import Fault, FakeOpenAI


def _docs(n: int) -> list[Any]:
    return [_doc(MINI.replace("某某", f"第{i}"), f"doc{i}.txt") for i in range(n)]


def test_one_cap_holds_for_every_document_and_chunk_of_a_batch(tmp_path: Path) -> None:
    counter = InFlight(grounded, hold=0.05)
    with FakeOpenAI(responder=counter) as server:
        s = llm_settings(server, tmp_path / "c", concurrency=3, cache="off")
        # 6 documents at once in 2 worker processes, each document's calls in threads: at least 6
        # requests at once without one cap for the batch
        result = reportkit.summarize_many(_docs(6), settings=s, concurrency=6, progress=False, workers=2)
    assert result.ok, result.failures
    assert counter.total >= 6
    assert 2 <= counter.peak <= 3, f"{counter.peak} requests in flight with a cap of 3"
    assert result.scheduler["peak_in_flight"] <= 3 and result.scheduler["requests"] == counter.total


def test_a_429_pauses_new_requests_for_the_whole_batch(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    answered_429: list[float] = []

    def respond(request: Any) -> Any:
        if not answered_429:
            answered_429.append(time.monotonic())
            return Fault(status=429, retry_after=1.0)
        return grounded(request)

    counter = InFlight(respond)
    caplog.set_level(logging.WARNING, logger="reportkit")
    with FakeOpenAI(responder=counter) as server:
        s = llm_settings(server, tmp_path / "c", concurrency=1, cache="off")
        result = reportkit.summarize_many(_docs(3), settings=s, concurrency=3, progress=False)
    assert result.ok, result.failures
    assert result.scheduler["rate_limit_pauses"] == 1 and result.scheduler["paused_s"] > 0.5
    assert any("pausing every new request" in r.getMessage() for r in caplog.records)
    # with one slot, the 429 was the only request in flight: nothing else was sent during the pause
    t = answered_429[0]
    during = [a - t for a in counter.arrivals if t < a < t + 0.8]
    assert not during, f"requests sent {during} s into a 1 s pause"


def test_a_slot_is_not_waited_for_past_the_deadline() -> None:
    scheduler = RequestScheduler(1)
    with scheduler.slot():
        with pytest.raises(SlotTimeout, match="before the deadline"):
            with scheduler.slot(time.monotonic() + 0.2):
                pass
    scheduler.pause(30, reason="test")
    with pytest.raises(SlotTimeout, match="paused after a 429"):
        with scheduler.slot(time.monotonic() + 1):
            pass
    stats = scheduler.stats()
    assert stats.requests == 1 and stats.pauses == 1 and stats.peak_in_flight == 1


def _hold_a_slot(scheduler: RequestScheduler, taken: Any, release: Any) -> None:
    with scheduler.slot():
        taken.set()
        release.wait(30)


def test_a_shared_scheduler_caps_requests_across_processes() -> None:
    ctx = multiprocessing.get_context("spawn")  # what a notebook on macOS or Windows uses
    scheduler = shared(1, ctx)
    taken, release = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_hold_a_slot, args=(scheduler, taken, release))
    child.start()
    try:
        assert taken.wait(60)
        with pytest.raises(SlotTimeout):
            with scheduler.slot(time.monotonic() + 0.3):
                pass
        scheduler.pause(0.01, reason="test")
    finally:
        release.set()
        child.join(30)
    with scheduler.slot(time.monotonic() + 5):
        pass
    assert child.exitcode == 0
    assert scheduler.stats().requests == 2 and scheduler.stats().pauses == 1


class _Trickler:
    """A raw HTTP server that answers every request one byte per second, and never finishes."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"
        self.open = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with self.lock:
            self.open += 1
        head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"
        try:
            conn.recv(65536)
            for i in range(10_000):
                if self.stop.is_set():
                    break
                conn.sendall(head[i : i + 1] if i < len(head) else b" ")
                time.sleep(1.0)
        except OSError:
            pass  # the client hung up: what the deadline must make it do
        finally:
            conn.close()
            with self.lock:
                self.open -= 1

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


def test_a_server_that_trickles_bytes_cannot_outlast_the_document_deadline(tmp_path: Path) -> None:
    server = _Trickler()
    try:
        # each byte comes well within the 60 s timeout, so only the deadline can end the request
        s = llm_settings(server, tmp_path / "c", timeout=60, deadline=2.0, concurrency=2)
        started = time.monotonic()
        with pytest.raises(reportkit.ExtractionError, match=r"stopped at the document's deadline of 2s"):
            reportkit.summarize(_doc(MINI, "a.txt"), settings=s)
        elapsed = time.monotonic() - started
        # every connection was dropped by the client (the server notices at its next byte)
        for _ in range(40):
            if server.open == 0:
                break
            time.sleep(0.1)
        assert server.open == 0, f"{server.open} request(s) still open after the document ended"
    finally:
        server.close()
    assert elapsed < 20, f"the document took {elapsed:.1f}s with a 2s deadline"


def test_a_batch_with_the_callers_own_client_runs_in_threads_under_the_same_cap(tmp_path: Path) -> None:
    import openai

    counter = InFlight(grounded, hold=0.05)
    with FakeOpenAI(responder=counter) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test")
        s = llm_settings(server, tmp_path / "c", concurrency=2, cache="off")
        result = reportkit.summarize_many(_docs(4), settings=s, client=client, concurrency=4, progress=False, workers=2)
    assert result.ok, result.failures
    assert 1 <= counter.peak <= 2 and result.scheduler["peak_in_flight"] <= 2
    assert result.scheduler["requests"] == counter.total
