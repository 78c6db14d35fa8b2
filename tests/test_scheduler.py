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
from reportkit.llm.scheduler import RequestScheduler, SlotTimeout, critical, shared
from reportkit.batch import _LOOKAHEAD
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


def _taker(scheduler: RequestScheduler, name: str, order: list[str], is_critical: bool) -> threading.Thread:
    def run() -> None:
        if is_critical:
            with critical(), scheduler.slot():
                order.append(name)
        else:
            with scheduler.slot():
                order.append(name)

    return threading.Thread(target=run)


def _waiting(scheduler: RequestScheduler, n: int) -> None:
    deadline = time.monotonic() + 5
    while scheduler._state[7] < n and time.monotonic() < deadline:  # _WAITING: asleep on the wake-up
        time.sleep(0.005)


@pytest.mark.parametrize("in_processes", [False, True])
def test_a_freed_slot_goes_to_a_critical_request_before_the_others_waiting(in_processes: bool) -> None:
    # a document's overview call or re-ask, queued after other documents' first calls, goes first
    scheduler = shared(1, multiprocessing.get_context("spawn"), owners=2).owned_by(1) if in_processes \
        else RequestScheduler(1)
    order: list[str] = []
    with scheduler.slot():
        first = [_taker(scheduler, f"new{i}", order, False) for i in range(3)]
        for t in first:
            t.start()
        _waiting(scheduler, 3)
        urgent = _taker(scheduler, "critical", order, True)
        urgent.start()
        _waiting(scheduler, 4)
    for t in (*first, urgent):
        t.join(5)
    assert order[0] == "critical" and sorted(order[1:]) == ["new0", "new1", "new2"]
    assert scheduler._state[8] == 0  # no critical request is counted as waiting any more
    if in_processes:
        assert scheduler.held(1) == 0 and scheduler._state[9 + 2 + 1] == 0


def test_a_critical_request_that_gives_up_leaves_the_others_their_slots() -> None:
    scheduler = RequestScheduler(1)
    with scheduler.slot():
        with critical(), pytest.raises(SlotTimeout):
            with scheduler.slot(deadline_at=time.monotonic() + 0.1):
                pass
    with scheduler.slot(deadline_at=time.monotonic() + 1):  # not held back by a critical request that left
        pass


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


def _hold_slots_forever(scheduler: RequestScheduler, n: int, taken: Any) -> None:
    import contextlib

    with contextlib.ExitStack() as stack:
        for _ in range(n):
            stack.enter_context(scheduler.slot())
        taken.set()
        time.sleep(600)  # killed before it could give them back


def test_the_slots_of_a_killed_owner_are_reclaimed() -> None:
    ctx = multiprocessing.get_context("spawn")
    scheduler = shared(3, ctx, owners=2)
    taken = ctx.Event()
    child = ctx.Process(target=_hold_slots_forever, args=(scheduler.owned_by(1), 2, taken), daemon=True)
    child.start()
    try:
        assert taken.wait(60)
        assert scheduler.held(1) == 2
        mine = scheduler.owned_by(0)
        with mine.slot(time.monotonic() + 1):  # the one slot left
            with pytest.raises(SlotTimeout):
                with mine.slot(time.monotonic() + 0.2):
                    pass
    finally:
        child.kill()
        child.join(30)
    assert scheduler.reclaim(1) == 2 and scheduler.held(1) == 0
    import contextlib

    with contextlib.ExitStack() as stack:  # the full cap again, at once
        for _ in range(3):
            stack.enter_context(scheduler.owned_by(0).slot(time.monotonic() + 1))
        assert scheduler.held(0) == 3


class _KillAWorkerMidRequest:
    """Holds every request; once the cap is full, kills a worker process that holds slots, then
    measures how many requests sent after the kill are in flight at once."""

    def __init__(self, schedulers: list[Any], pids: Path, cap: int, hold: float) -> None:
        self.schedulers, self.pids, self.cap, self.hold = schedulers, pids, cap, hold
        self.lock = threading.Lock()
        self.now = 0
        self.killed_pid: int | None = None
        self.after_now = self.after_peak = self.after_total = 0

    def __call__(self, request: Any) -> Any:
        import os
        import signal

        with self.lock:
            self.now += 1
            after = self.killed_pid is not None
            if after:
                self.after_now += 1
                self.after_total += 1
                self.after_peak = max(self.after_peak, self.after_now)
            elif self.now >= self.cap:
                scheduler = self.schedulers[0]
                owner = next(o for o in range(scheduler.owners) if scheduler.held(o) > 0)
                pid = int((self.pids / str(owner)).read_text())
                os.kill(pid, signal.SIGKILL)
                self.killed_pid = pid
        try:
            time.sleep(self.hold)
            return grounded(request)
        finally:
            with self.lock:
                self.now -= 1
                if after:
                    self.after_now -= 1


def test_a_worker_killed_mid_request_gives_its_slots_back_and_the_batch_finishes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from reportkit import batch
    from reportkit.llm import scheduler as scheduling

    monkeypatch.setenv("REPORTKIT_START_METHOD", "fork")  # the worker below is a closure
    made: list[Any] = []
    real_shared, real_worker = scheduling.shared, batch._worker

    def recording_shared(*args: Any, **kwargs: Any) -> Any:
        made.append(real_shared(*args, **kwargs))
        return made[-1]

    pids = tmp_path / "owners"
    pids.mkdir()

    def tagged_worker(conn: Any, engine: str, settings: Any, scheduler: Any, *rest: Any) -> None:
        (pids / str(scheduler.owner)).write_text(str(os.getpid()))
        real_worker(conn, engine, settings, scheduler, *rest)

    monkeypatch.setattr(scheduling, "shared", recording_shared)
    monkeypatch.setattr(batch, "_worker", tagged_worker)
    cap = 4
    server_side = _KillAWorkerMidRequest(made, pids, cap, hold=0.3)
    with FakeOpenAI(responder=server_side) as server:
        # without the reclaim the cap stays short (or empty) for good: the deadline then fails documents
        s = llm_settings(server, tmp_path / "c", concurrency=cap, cache="off", transport_retries=0, deadline=30)
        result = reportkit.summarize_many(_docs(16), settings=s, concurrency=8, progress=False, workers=2)
    assert server_side.killed_pid is not None, "the cap was never full: the test did not kill a worker"
    assert len(result.reports) + len(result.failures) == 16
    assert result.failures and {f.error_type for f in result.failures} == {"WorkerError"}, result.failures
    assert len(result.reports) >= 8
    # the killed worker's slots came back: requests sent afterwards fill the whole cap again
    assert server_side.after_total >= cap
    assert server_side.after_peak == cap, f"only {server_side.after_peak} of {cap} requests in flight after the kill"
    assert result.scheduler["peak_in_flight"] <= cap
    assert result.pool["restarts"] == 1 and result.pool["processes"] == 2


def test_the_pool_reports_how_the_documents_were_split_across_workers(tmp_path: Path) -> None:
    with FakeOpenAI(responder=InFlight(grounded, hold=0.05)) as server:
        s = llm_settings(server, tmp_path / "c", concurrency=4, cache="off")
        result = reportkit.summarize_many(_docs(8), settings=s, concurrency=4, progress=False, workers=2)
        threads = reportkit.summarize_many(_docs(2), settings=s, concurrency=2, progress=False, workers=0)
    assert result.ok, result.failures
    pool = result.pool
    assert pool["processes"] == 2 and sum(pool["documents_per_worker"]) == 8 and pool["restarts"] == 0
    # 4 in flight: 2 per worker, never more, and each holds _LOOKAHEAD more that it prepares meanwhile
    assert all(1 <= held <= 2 + _LOOKAHEAD for held in pool["peak_held_per_worker"])
    assert result.scheduler["peak_in_flight"] <= 4
    assert pool["bytes_received"] > 0 and pool["start_s"] > 0
    assert threads.pool == {}


def test_two_batches_at_once_in_threads_each_count_their_own_requests(tmp_path: Path) -> None:
    seen: dict[str, list[float]] = {"甲": [], "乙": []}
    lock = threading.Lock()

    def respond(request: Any) -> Any:
        with lock:
            for mark in seen:
                if mark in request.user_text:
                    seen[mark].append(time.monotonic())
        return grounded(request)

    counter = InFlight(respond, hold=0.1)
    results: dict[str, Any] = {}
    with FakeOpenAI(responder=counter) as server:
        s = llm_settings(server, tmp_path / "c", concurrency=3, cache="off")

        def run(mark: str, n: int) -> None:
            # the mark in every section, so every chunk call of the document carries it
            marked = "\n".join(line if line.startswith(("某某", "一、", "二、", "三、")) or not line else mark + line
                               for line in MINI.splitlines())
            docs = [_doc(marked.replace("某某", f"{mark}{i}"), f"{mark}{i}.txt") for i in range(n)]
            results[mark] = reportkit.summarize_many(docs, settings=s, concurrency=n, progress=False, workers=0)

        threads = [threading.Thread(target=run, args=("甲", 2)), threading.Thread(target=run, args=("乙", 5))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    a, b = results["甲"], results["乙"]
    assert a.ok and b.ok, (a.failures, b.failures)
    # they did run at once: some of 甲's requests came while 乙's were being sent
    assert any(min(seen["乙"]) < t < max(seen["乙"]) for t in seen["甲"])
    assert a.scheduler["requests"] == len(seen["甲"]) and b.scheduler["requests"] == len(seen["乙"])
    assert a.scheduler["requests"] + b.scheduler["requests"] == counter.total
    # one cap for the process (the endpoint's rate limit), each batch's peak at most that
    assert counter.peak <= 3 and a.scheduler["peak_in_flight"] <= 3 and b.scheduler["peak_in_flight"] <= 3
