"""The fake OpenAI-compatible server the benchmark talks to. Responder kind + latency → a loopback endpoint and its request log.

``reportkit.testing.FakeOpenAI`` on 127.0.0.1, in one of two placements:

* ``process`` (default): in a child process. A real endpoint runs elsewhere; here the server's
  own Python work (HTTP parsing, JSON, the responder) would otherwise compete with reportkit
  for this process's GIL and distort the concurrency numbers.
* ``thread``: in this process, as reportkit's own tests run it.

Either way the server's cost is part of every measured wall time (the client waits for it); the
harness says so in its output. The log keeps, per chat request, its arrival time (monotonic
clock, comparable across processes on one machine), the tokens of the reply by the fake server's
rule, and on request the request bodies.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import corpus, responders

CHAT_PATH = "/v1/chat/completions"


@dataclass
class Stats:
    """What the server saw since the last reset."""

    count: int
    arrivals: list[float] = field(default_factory=list)
    reply_tokens: list[int] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)


class _Core:
    """The FakeOpenAI plus the switchable responder and the log; lives where the server runs."""

    def __init__(self, gold_dir: str) -> None:
        from reportkit.testing import FakeOpenAI

        self.gold = corpus.load_gold(gold_dir)
        self.responder = responders.make("reportkit", self.gold)
        self.log: list[tuple[float, int]] = []
        self.lock = threading.Lock()
        self.fake = FakeOpenAI(responder=self._respond).start()

    def _respond(self, request: Any) -> Any:
        from reportkit.testing import estimate_tokens

        arrived = time.monotonic()
        reply = self.responder(request)
        text = reply if isinstance(reply, str) else json.dumps(reply, ensure_ascii=False, separators=(",", ":"))
        with self.lock:
            self.log.append((arrived, estimate_tokens(text)))
        return reply

    def configure(self, kind: str, latency: float, reply: Any = None) -> None:
        self.responder = responders.make(kind, self.gold, reply)
        self.fake.latency = latency
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.log.clear()
        self.fake.reset()

    def stats(self, bodies: bool) -> Stats:
        chats = [r for r in list(self.fake.requests) if r.path == CHAT_PATH]
        with self.lock:
            log = sorted(self.log)
        return Stats(
            count=len(chats),
            arrivals=[t for t, _ in log],
            reply_tokens=[n for _, n in log],
            bodies=[r.body for r in chats] if bodies else [],
        )

    def stop(self) -> None:
        self.fake.stop()


def _child(conn: Any, gold_dir: str) -> None:
    """The child process: serve until told to stop, answering commands from the pipe."""
    core = _Core(gold_dir)
    conn.send(core.fake.base_url)
    try:
        while True:
            command, arg = conn.recv()
            if command == "stop":
                break
            if command == "configure":
                core.configure(**arg)
                conn.send(None)
            elif command == "reset":
                core.reset()
                conn.send(None)
            elif command == "stats":
                conn.send(core.stats(bodies=arg))
            elif command == "cpu":
                conn.send(time.process_time())
    except EOFError:  # the parent went away: stop serving
        pass
    finally:
        core.stop()


class FakeServer:
    """A FakeOpenAI in a child process (``placement="process"``) or a thread of this one.

    Args:
        placement: ``process`` or ``thread``.
        gold_dir: the gold annotations the responders answer from.

    Example:
        >>> with FakeServer() as srv:  # doctest: +SKIP
        ...     srv.configure("reportkit", latency=0.3)
        ...     ...  # point Settings(base_url=srv.base_url) at it
        ...     srv.stats().count
    """

    def __init__(self, placement: str = "process", gold_dir: Path | str = corpus.GOLD) -> None:
        if placement not in ("process", "thread"):
            raise ValueError("placement must be 'process' or 'thread'")
        self.placement = placement
        self._gold_dir = str(gold_dir)
        self._core: _Core | None = None
        self._conn: Any = None
        self._proc: Any = None
        self.base_url = ""
        self._io = threading.Lock()  # one command at a time on the pipe

    def start(self) -> "FakeServer":
        if self.placement == "thread":
            self._core = _Core(self._gold_dir)
            self.base_url = self._core.fake.base_url
            return self
        # spawn, not fork: forking a process that already runs threads can deadlock the child
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_child, args=(child, self._gold_dir), daemon=True, name="bench-fake-openai")
        self._proc.start()
        self._conn = parent
        if not parent.poll(60):
            self.stop()
            raise RuntimeError("the fake server process did not start within 60 s")
        self.base_url = parent.recv()
        return self

    def _ask(self, command: str, arg: Any = None) -> Any:
        if self._core is not None:
            return {"configure": lambda: self._core.configure(**arg), "reset": self._core.reset,
                    "stats": lambda: self._core.stats(bodies=bool(arg))}[command]()
        with self._io:
            self._conn.send((command, arg))
            return self._conn.recv()

    def configure(self, kind: str, latency: float = 0.0, reply: Any = None) -> None:
        """Answer with responder ``kind`` after ``latency`` seconds per call; clears the log."""
        self._ask("configure", {"kind": kind, "latency": latency, "reply": reply})

    def reset(self) -> None:
        """Forget the requests and the log."""
        self._ask("reset")

    def stats(self, bodies: bool = False) -> Stats:
        """Requests since the last reset (with their bodies when ``bodies``)."""
        return self._ask("stats", bodies)

    def cpu_seconds(self) -> float | None:
        """CPU seconds the server's own process has used (None in a thread: it is this process's)."""
        return None if self._core is not None else self._ask("cpu")

    def stop(self) -> None:
        """Stop serving (idempotent)."""
        if self._core is not None:
            self._core.stop()
            self._core = None
        if self._proc is not None:
            try:
                self._conn.send(("stop", None))
            except (OSError, ValueError):
                pass
            self._proc.join(10)
            if self._proc.is_alive():
                self._proc.terminate()  # only our own child, by its handle
                self._proc.join(5)
            self._proc = None

    def __enter__(self) -> "FakeServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def peak_in_flight(arrivals: list[float], latency: float) -> int:
    """Most requests the server held at once, assuming each is held ``latency`` after it arrived.

    The fake server answers a request ``latency`` seconds after its arrival, so the requests in
    flight at an arrival are those that arrived less than ``latency`` earlier.
    """
    if latency <= 0 or not arrivals:
        return 0
    peak, lo = 0, 0
    for hi, t in enumerate(arrivals):
        while arrivals[lo] <= t - latency:
            lo += 1
        peak = max(peak, hi - lo + 1)
    return peak
