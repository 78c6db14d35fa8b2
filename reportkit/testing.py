"""Fake OpenAI-compatible chat-completions server on loopback for tests. Scripted replies → HTTP answers.

``FakeOpenAI`` answers ``POST /v1/chat/completions`` in the shape each instructor mode expects, so one
script drives the real ``openai`` SDK, the real instructor re-ask loop and the real retry policy with
no network and no API key; ``Fault`` injects HTTP errors, delays, truncated bodies,
``finish_reason="length"`` and dropped connections; ``RealisticResponder`` answers from gold
annotations the way real models do (see ``reportkit.realistic``). Standard library only: importing
this module never imports openai or instructor.
"""

from __future__ import annotations

import json
import logging
import math
import re
import socketserver
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .realistic import NOISE_KINDS, RealisticAnswers

__all__ = ["CLOSED_BASE_URL", "NOISE_KINDS", "FakeOpenAI", "Fault", "RealisticResponder", "RecordedRequest", "estimate_tokens"]

logger = logging.getLogger("reportkit.testing")

CLOSED_BASE_URL = "http://127.0.0.1:9/v1"
"""A loopback base URL on a closed port (9, "discard": privileged, never served in tests).

Point every base URL at it in an autouse fixture (and remove ``OPENAI_API_KEY``): a call that
escapes the fake server then fails at once with ``openai.APIConnectionError`` (after the SDK's
backoff unless its ``max_retries=0``) instead of reaching a real API.
"""

_CREATED = 1_700_000_000  # fixed epoch base: responses are reproducible
_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]")
_SERVER_ERROR = "The server had an error while processing your request. Sorry about that!"
_ERRORS: dict[int, tuple[str, str | None, str]] = {  # status → OpenAI's type, code, message
    400: ("invalid_request_error", None, "Invalid request."),
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided: test."),
    403: ("invalid_request_error", "unsupported_country_region_territory", "Forbidden."),
    404: ("invalid_request_error", None, "Not found."),
    429: ("requests", "rate_limit_exceeded", "Rate limit reached for requests. Please try again later."),
}


def estimate_tokens(text: str) -> int:
    """Count tokens by the rule the fake server uses for ``usage``.

    Every CJK character (ideographs, kana, hangul, CJK and full-width punctuation) is 1 token; the
    other characters, spaces included, are 1 token per 4, rounded up.

    Args:
        text: any text.

    Returns:
        ``cjk + ceil(other / 4)``; e.g. ``estimate_tokens("GDP增长5%") == 2 + ceil(5 / 4) == 4``.
    """
    cjk = len(_CJK.findall(text))
    return cjk + math.ceil((len(text) - cjk) / 4)


@dataclass(frozen=True)
class Fault:
    """An injected failure, scripted in place of a reply.

    Attributes:
        status: answer this HTTP error (400-599) with OpenAI's error JSON
            ``{"error": {"message", "type", "param", "code"}}``.
        message: the error message (default: a realistic one per status).
        code: the error code (defaults: 429 ``rate_limit_exceeded``, 401 ``invalid_api_key``).
        retry_after: seconds sent as ``Retry-After``; a 429 sends ``1`` unless set.
        delay: seconds to wait before answering (client timeouts); ``stop()`` cuts it short.
        truncated: answer 200 with the success body cut in half, so it is not valid JSON.
        finish_reason: answer normally but with this ``finish_reason``, e.g. ``"length"``.
        reset: close the connection without any response.
        then: the reply sent after ``delay``, or with ``finish_reason``/``truncated``; default ``{}``.
    """

    status: int | None = None
    message: str | None = None
    code: str | None = None
    retry_after: float | None = None
    delay: float = 0.0
    truncated: bool = False
    finish_reason: str | None = None
    reset: bool = False
    then: Any = None

    def __post_init__(self) -> None:
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError(f"Fault.status must be 400-599, got {self.status}")
        if self.delay < 0:
            raise ValueError("Fault.delay must be >= 0")
        if isinstance(self.then, Fault):
            raise TypeError("Fault.then must be a reply, not another Fault")
        if self.then is not None:
            _check_reply(self.then)


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request the fake server received.

    Attributes:
        path: the URL path without query, e.g. ``/v1/chat/completions``.
        headers: the request headers, names in lower case.
        body: the parsed JSON body (``{}`` when empty or not a JSON object).
        method: ``POST`` or ``GET``.
    """

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    method: str = "POST"

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat ``messages`` (``[]`` when there are none)."""
        messages = self.body.get("messages")
        return messages if isinstance(messages, list) else []

    @property
    def model(self) -> str | None:
        """The requested ``model``."""
        return self.body.get("model")

    @property
    def mode(self) -> str:
        """``tools``, ``json_schema`` or ``json_object`` as requested, else ``md_json`` (plain text)."""
        if self.body.get("tools"):
            return "tools"
        response_format = self.body.get("response_format")
        kind = response_format.get("type") if isinstance(response_format, dict) else None
        return str(kind) if kind in ("json_schema", "json_object") else "md_json"

    @property
    def user_text(self) -> str:
        """The text of the user messages, joined by newlines."""
        return "\n".join(_text(m.get("content")) for m in self.messages if m.get("role") == "user")

    @property
    def system_text(self) -> str:
        """The text of the system (and developer) messages, joined by newlines."""
        roles = ("system", "developer")
        return "\n".join(_text(m.get("content")) for m in self.messages if m.get("role") in roles)


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    reset: bool = False


class FakeOpenAI:
    """A fake OpenAI-compatible server on ``127.0.0.1`` that answers from a script.

    Each ``POST /v1/chat/completions`` takes the next scripted reply, else asks ``responder``, else
    answers 500 ``"FakeOpenAI: no scripted reply left for request N"`` (N counts chat requests
    from 1). The request decides the shape of a reply:

    * dict, list or pydantic model instance. With ``tools`` in the request: a ``tool_calls``
      message calling the function named by ``tool_choice`` (else the first tool) with the JSON as
      ``arguments`` and ``content`` null; ``finish_reason`` is ``"stop"`` when ``tool_choice``
      forces the call (``"required"`` or a named function, as OpenAI does, so instructor's TOOLS
      mode sees ``"stop"``) and ``"tool_calls"`` otherwise. With a ``json_schema`` or
      ``json_object`` ``response_format``: the JSON as ``content``. Otherwise (MD_JSON, plain):
      ``content`` is ``"```json\\n<json>\\n```"``. JSON is compact, non-ASCII kept as is.
    * str: verbatim as ``content``, or as the tool ``arguments`` when the request has tools.
    * ``Fault``: an injected failure.

    ``usage`` applies ``estimate_tokens``: prompt tokens to the text of every message (content
    and tool-call arguments; tool and response-format schemas are free), completion tokens to the
    content or arguments sent back. Responses echo the requested model; ``GET /v1/models`` lists
    ``model``; other paths get 404 in OpenAI's error shape; ``stream=true`` gets 400.

    Example:
        >>> with FakeOpenAI([{"name": "GDP", "value": 5.2}]) as srv:  # doctest: +SKIP
        ...     client = openai.OpenAI(base_url=srv.base_url, api_key="test", max_retries=0)
        ...     answer = instructor.from_openai(client).chat.completions.create(...)
        ...     assert srv.requests[0].mode == "tools"

    Args:
        replies: replies consumed in order, one per chat-completions request.
        responder: ``(RecordedRequest) -> reply``, asked once the script is used up; for when
            concurrency makes the order unpredictable. If it raises, the answer is a 500.
        latency: seconds to wait before every answer.
        model: the model listed by ``/v1/models`` and answered when a request names none.
    """

    def __init__(
        self,
        replies: Iterable[Any] | None = None,
        *,
        responder: Callable[[RecordedRequest], Any] | None = None,
        latency: float = 0.0,
        model: str = "fake-model",
    ) -> None:
        if isinstance(replies, (str, dict, Fault)) or hasattr(replies, "model_dump"):
            raise TypeError("replies must be a list of replies, not a single reply")
        self.requests: list[RecordedRequest] = []
        self.responder = responder
        self.latency = latency
        self.model = model
        self._script: deque[Any] = deque()
        self._chat_count = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.add(*(replies or ()))

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v1`` of the running server."""
        if self._server is None:
            raise RuntimeError("FakeOpenAI is not running: use it in a with-block or call start()")
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def add(self, *replies: Any) -> None:
        """Append replies to the script.

        Raises:
            TypeError: a reply is not a dict, list, str, pydantic model instance or ``Fault``.
        """
        for reply in replies:
            _check_reply(reply)
        with self._lock:
            self._script.extend(replies)

    def reset(self) -> None:
        """Forget the recorded requests and the rest of the script; numbering restarts at 1."""
        with self._lock:
            self.requests.clear()
            self._script.clear()
            self._chat_count = 0

    def start(self) -> FakeOpenAI:
        """Bind a free loopback port and serve from a daemon thread (no-op when running)."""
        if self._server is None:
            self._stopping.clear()
            self._server = _Server(self)
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
            logger.debug("FakeOpenAI listening on %s", self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving (idempotent); delayed answers wake up and close their connection unanswered."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _record(self, request: RecordedRequest) -> int:
        with self._lock:
            self.requests.append(request)
            return len(self.requests)

    def _answer(self, request: RecordedRequest, body_is_json: bool) -> _Answer:
        endpoint = request.path.removeprefix("/v1")
        if request.method == "GET" and endpoint == "/models":
            model = {"id": self.model, "object": "model", "created": _CREATED, "owned_by": "reportkit"}
            return _Answer(200, _dump({"object": "list", "data": [model]}))
        if request.method != "POST" or endpoint != "/chat/completions":
            return _error(404, f"Invalid URL ({request.method} {request.path})")
        if not body_is_json:
            return _error(400, "FakeOpenAI: the request body is not a JSON object")
        if request.body.get("stream"):
            return _error(400, "FakeOpenAI does not support stream=true")
        with self._lock:
            self._chat_count += 1
            number = self._chat_count
            reply = self._script.popleft() if self._script else None
        if reply is None:
            if self.responder is None:
                return _error(500, f"FakeOpenAI: no scripted reply left for request {number}")
            try:
                reply = self.responder(request)
                _check_reply(reply)
            except Exception as exc:  # a broken responder must fail the test loudly, not hang it
                logger.debug("FakeOpenAI: responder failed", exc_info=True)
                return _error(500, f"FakeOpenAI: responder failed for request {number}: {exc!r}")
        return self._completion(request, reply, number)

    def _completion(self, request: RecordedRequest, reply: Any, number: int) -> _Answer:
        delay, finish_reason, truncated = 0.0, None, False
        if isinstance(reply, Fault):
            if reply.reset:
                return _Answer(0, delay=reply.delay, reset=True)
            if reply.status is not None:
                return _error(reply.status, reply.message, code=reply.code, delay=reply.delay,
                              retry_after=reply.retry_after)
            delay, finish_reason, truncated = reply.delay, reply.finish_reason, reply.truncated
            reply = {} if reply.then is None else reply.then
        text = reply if isinstance(reply, str) else _json(reply)
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None, "annotations": []}
        default_finish = "stop"
        if request.mode == "tools":
            name, forced = _requested_tool(request.body)
            call = {"id": f"call_fake{number:06d}", "type": "function",
                    "function": {"name": name, "arguments": text}}
            message.update(content=None, tool_calls=[call])
            default_finish = "stop" if forced else "tool_calls"
        elif request.mode == "md_json" and not isinstance(reply, str):
            text = message["content"] = f"```json\n{text}\n```"
        prompt = sum(_prompt_tokens(m) for m in request.messages if isinstance(m, dict))
        completion = estimate_tokens(text)
        payload = {
            "id": f"chatcmpl-fake{number:06d}",
            "object": "chat.completion",
            "created": _CREATED + number,
            "model": request.model or self.model,
            "choices": [{"index": 0, "message": message, "logprobs": None,
                         "finish_reason": finish_reason or default_finish}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                      "total_tokens": prompt + completion,
                      "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                      "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                                    "accepted_prediction_tokens": 0,
                                                    "rejected_prediction_tokens": 0}},
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
        }
        body = json.dumps(payload, ensure_ascii=False)
        if truncated:
            body = body[: len(body) // 2]  # cut the text, not the bytes: still valid UTF-8
        return _Answer(200, body.encode("utf-8"), delay=delay)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive connections must not block stop()
    request_queue_size = 128  # the default backlog of 5 stalls bursts of concurrent clients

    def __init__(self, fake: FakeOpenAI) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name, which can hang without a network.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("FakeOpenAI: error while serving %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's connection pool expects
    server_version = "FakeOpenAI"
    # headers and body go out in separate writes; without TCP_NODELAY each request waits ~45 ms
    # for a delayed ACK, which would dominate latency and concurrency measurements
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        logger.debug("FakeOpenAI: " + format, *args)

    def _serve(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = None
        request = RecordedRequest(
            path=self.path.split("?", 1)[0],
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body if isinstance(body, dict) else {},
            method=self.command,
        )
        request_id = f"req_fake{fake._record(request):06d}"
        answer = fake._answer(request, body_is_json=isinstance(body, dict))
        wait = fake.latency + answer.delay
        if wait > 0:
            fake._stopping.wait(wait)  # returns early when stop() is called
        if answer.reset or fake._stopping.is_set():
            self.close_connection = True  # leave without a response
            return
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer.body)))
            self.send_header("x-request-id", request_id)
            for name, value in answer.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
        except OSError:  # the client gave up (e.g. its timeout fired) before the answer
            logger.debug("FakeOpenAI: client went away", exc_info=True)
            self.close_connection = True

    do_GET = do_POST = _serve


def _check_reply(reply: Any) -> None:
    allowed = isinstance(reply, (str, dict, list, Fault)) or hasattr(reply, "model_dump")
    if isinstance(reply, type) or not allowed:
        raise TypeError(f"a reply must be a dict, list, str, pydantic model instance or Fault, not {reply!r}")


def _json(reply: Any) -> str:
    if hasattr(reply, "model_dump"):  # duck-typed pydantic: this module must not import it
        reply = reply.model_dump(mode="json", by_alias=True)
    return json.dumps(reply, ensure_ascii=False, separators=(",", ":"))


def _requested_tool(body: dict[str, Any]) -> tuple[str, bool]:
    choice = body.get("tool_choice")
    if isinstance(choice, dict) and isinstance(choice.get("function"), dict):
        return str(choice["function"].get("name")), True
    first = (body.get("tools") or [{}])[0]
    function = first.get("function") if isinstance(first, dict) else None
    return str((function or {}).get("name", "tool")), choice == "required"


def _text(content: Any) -> str:
    if isinstance(content, list):
        parts = [p for p in content if isinstance(p, dict) and p.get("type") == "text"]
        return "\n".join(str(p.get("text", "")) for p in parts)
    return content if isinstance(content, str) else ""


def _prompt_tokens(message: dict[str, Any]) -> int:
    calls = [c for c in message.get("tool_calls") or [] if isinstance(c, dict)]
    arguments = [str((c.get("function") or {}).get("arguments", "")) for c in calls]
    return estimate_tokens(_text(message.get("content"))) + sum(estimate_tokens(a) for a in arguments)


def _error(status: int, message: str | None = None, *, code: str | None = None, delay: float = 0.0,
           retry_after: float | None = None) -> _Answer:
    fallback = ("server_error", None, _SERVER_ERROR) if status >= 500 else _ERRORS[400]
    kind, default_code, default_message = _ERRORS.get(status, fallback)
    error = {"message": message or default_message, "type": kind, "param": None, "code": code or default_code}
    if retry_after is None and status == 429:
        retry_after = 1.0
    headers = () if retry_after is None else (("Retry-After", format(retry_after, "g")),)
    return _Answer(status, _dump({"error": error}), headers=headers, delay=delay)


def _dump(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


class RealisticResponder(RealisticAnswers):
    """Answers from gold annotations the way real models do (see ``reportkit.realistic``).

    Args:
        gold: gold annotation dicts (the shape of ``seeds/gold/*.json`` and ``corpus/c*.json``).
        noise: 0 (perfect answers) to 1 (a weak model); 0.5 is a plausible mid-size model.
        seed: makes every answer reproducible.

    Example:
        >>> responder = RealisticResponder([gold], noise=0.5, seed=1)  # doctest: +SKIP
        >>> with FakeOpenAI(responder=responder) as srv:  # doctest: +SKIP
        ...     report = reportkit.summarize(path, settings=Settings(model="m", base_url=srv.base_url))
        >>> responder.applied.most_common(3)  # doctest: +SKIP
        [('fenced', 4), ('value_string', 3), ('fraction', 2)]
    """

    def __init__(self, gold: Iterable[Any], *, noise: float = 0.5, seed: int = 0) -> None:
        super().__init__(gold, noise=noise, seed=seed, tokens=estimate_tokens,
                         cut=lambda text: Fault(finish_reason="length", then=text))
