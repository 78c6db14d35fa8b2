"""The model boundary: structured calls via instructor over the openai SDK. Messages + response model → Answer.

The only module that imports openai, instructor and tenacity, always inside functions, so
``import reportkit`` stays fast. One owner per failure:

* the SDK gets ``max_retries=0``;
* tenacity, here, retries each HTTP request on transport failures (429 honouring Retry-After,
  408/409/5xx, timeouts, connection errors, bodies cut off in transit) with jittered exponential
  backoff, at most ``Settings.transport_retries`` times;
* instructor's ``max_retries`` covers only validation re-asks (``Settings.reasks``).

Every HTTP request first takes a slot of the process's ``scheduler.RequestScheduler`` for its
endpoint (one cap, ``Settings.concurrency``, for every document and chunk; a 429 pauses them all),
and its socket reads and writes are cut at the document's deadline (``Settings.deadline``), so a
server that trickles its answer one byte at a time cannot hold a request past it.

Every failure leaves this module as a ``ModelCallError`` (an ``ExtractionError``) raised
``from`` the original, with a message that names the likely fix.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import re
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, ExtractionError, redact
from ..settings import PRESETS
from . import tls
from .cache import endpoint_host
from .scheduler import RequestScheduler, SlotTimeout, scheduler_for

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..settings import Settings

logger = logging.getLogger("reportkit")

BACKOFF_BASE = 1.0
"""Seconds before the first transport retry (doubling each time, jittered); tests lower it."""
BACKOFF_MAX = 30.0
"""Longest backoff between two transport retries, in seconds."""
RETRY_AFTER_MAX = 60.0
"""Longest wait a server's Retry-After may impose, in seconds."""

UNREACHABLE_RETRIES = 1
"""Retries of a connection that could not be made at all (refused, no such host): one, not four."""

MODES = {"tools": "TOOLS", "json": "JSON", "md_json": "MD_JSON", "json_schema": "JSON_SCHEMA"}
_RETRY_STATUS = frozenset({408, 409, 429})
_ENDRAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")


@dataclass
class Usage:
    """What one or more calls cost: HTTP requests, retries, re-asks and tokens.

    The one counter of the LLM engine: a call fills one, a pack's calls add theirs up
    (``add``), and the run's total is what ``RunInfo`` reports.
    """

    requests: int = 0
    transport_retries: int = 0
    reasks: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def retries(self) -> int:
        """Transport retries and re-asks together (``RunInfo.retries``)."""
        return self.transport_retries + self.reasks

    def add(self, other: Usage) -> None:
        """Count ``other``'s cost in this one (not thread-safe: one owner per counter)."""
        self.requests += other.requests
        self.transport_retries += other.transport_retries
        self.reasks += other.reasks
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens


@dataclass(frozen=True)
class Answer:
    """A validated answer with the raw completion it came from (as JSON) and its cost."""

    value: BaseModel
    completion: dict[str, Any]
    usage: Usage


class ModelCallError(ExtractionError):
    """A model call that failed for good.

    Attributes:
        error_type: the underlying error's class name (``RateLimitError``, ``ValidationError`` …).
        fatal: True when every other call would fail the same way (bad key, unknown model or URL).
        usage: what the failed call cost.
        salvaged: the valid part of the last answer after the re-asks ran out, if any.
        dropped: one message per entry of that answer that stayed invalid.
        partial: the raw text of an answer cut off at max_tokens (finish_reason=length), whose
            complete entries the engine keeps.
    """

    def __init__(self, message: str, *, chunk_id: str | None, error_type: str, usage: Usage, fatal: bool = False,
                 salvaged: BaseModel | None = None, dropped: tuple[str, ...] = (), partial: str | None = None) -> None:
        super().__init__(message, chunk_id=chunk_id, attempts=usage.requests)
        self.error_type = error_type
        self.fatal = fatal
        self.usage = usage
        self.salvaged = salvaged
        self.dropped = dropped
        self.partial = partial


class _SendFailed(Exception):
    """Wraps what the SDK raised once transport retries ran out, so instructor does not retry it again."""


class _DeadlinePassed(Exception):
    """The document's deadline (``Settings.deadline``) passed before this request could be sent."""


class _InstructorErrors(logging.Filter):
    """Drops instructor's own ERROR lines for calls made here: reportkit reports those failures
    itself, once, with the fix and without secrets (instructor logs the server's raw text)."""

    local = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and getattr(self.local, "active", 0):
            logger.debug("instructor (handled by reportkit): %s", redact(record.getMessage(), getattr(self.local, "secrets", ())))
            return False
        return True


_INSTRUCTOR_FILTER = _InstructorErrors()
for _name in ("instructor", "instructor.v2.retry", "instructor.retry", "instructor.core.retry"):
    logging.getLogger(_name).addFilter(_INSTRUCTOR_FILTER)


def endpoint_url(settings: Settings, client: Any = None) -> str:
    """The endpoint a call would go to, found without importing openai (for cache keys)."""
    if client is not None:
        return str(getattr(client, "base_url", "") or "")
    return settings.base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"


def preload() -> None:
    """Import the model SDKs now: a batch does it once before forking its workers, which then
    inherit them instead of each paying ~1.5 s of CPU (every batch again, in a parent that never
    calls a model itself)."""
    import instructor  # noqa: F401
    import openai  # noqa: F401
    import tenacity  # noqa: F401

    tls.default_context()  # the CA bundle loaded once too, for every worker (see ``tls``)


_CHECKED_MODELS: "weakref.WeakSet[type]" = weakref.WeakSet()
"""reportkit's response-model classes that instructor's async-validator check has passed once."""


def _check_our_models_once() -> None:
    """Make instructor check each of reportkit's response models for async validators once per
    process instead of seven times per call.

    instructor (``reject_async_validators``) walks the response model's whole class tree on every
    call, from four places (the patched create, the retry loop, the response-model preparation
    twice, the parse): ~0.33 ms a walk, ~2.3 ms a call, the largest share of the library's own CPU
    per call. A class's validators do not change once it is built, so for reportkit's own models
    (``answers.takes_grounding``: built once, ``answers.for_instructor``) the first walk's verdict
    stands; every other model, a caller's own included, is walked as before. Idempotent.
    """
    import importlib

    from .answers import takes_grounding

    checks = importlib.import_module("instructor.v2.validation.async_validators")
    original = checks.reject_async_validators
    if getattr(original, "_reportkit_once", False):
        return
    once = checked_once(original, takes_grounding)
    checks.reject_async_validators = once
    for name in ("instructor.v2.core.patch",):  # bound the name at import; the rest look it up per call
        module = importlib.import_module(name)
        if getattr(module, "reject_async_validators", None) is original:
            module.reject_async_validators = once


def checked_once(check: Callable[[Any], None], ours: Callable[[Any], bool]) -> Callable[[Any], None]:
    """``check`` (which raises for a model it rejects), run once per class for which ``ours`` holds
    and every time for any other model; a class it rejected is checked (and rejected) again."""

    def reject_async_validators(response_model: Any) -> None:
        if isinstance(response_model, type) and response_model in _CHECKED_MODELS:
            return
        check(response_model)
        if ours(response_model):
            _CHECKED_MODELS.add(response_model)

    reject_async_validators._reportkit_once = True  # type: ignore[attr-defined]
    reject_async_validators.__wrapped__ = check  # type: ignore[attr-defined]
    return reject_async_validators


_PLAIN_BODY = frozenset({"messages", "model", "temperature", "max_tokens", "seed", "tools", "tool_choice",
                         "response_format", "top_p", "stop", "n"})
"""Request fields whose values are plain JSON the SDK's request transform passes through unchanged."""
_PLAIN_OPTIONS = frozenset({"timeout", "extra_body", "extra_headers", "extra_query"})
_FAST: dict[str, Any] = {}


def create(sdk: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``sdk.chat.completions.create(*args, **kwargs)``, the SDK's request transform skipped where it
    changes nothing.

    The SDK walks every request's body against its TypedDicts (each message against every message
    type of a union, the tools schema key by key) to apply aliases and formats that chat
    completions with plain JSON values do not have: ~1.6 ms of CPU a call, as much as the rest of
    the SDK. With only such fields (what instructor sends in every mode), the body goes to
    ``sdk.post`` as ``create`` builds it, in the same order and with the same request options
    (``tests/test_llm_call_cpu.py`` compares the two on the wire). Anything else takes ``create``
    itself: a stream, another field, a ``response_format`` that is not a dict, and a ``create``
    someone wrapped or replaced (tracing, instrumentation: it must see the call).
    """
    fast = _fast_path(sdk)
    if fast is None or args or not kwargs.keys() <= _PLAIN_BODY | _PLAIN_OPTIONS or \
            not isinstance(kwargs.get("response_format", {}), dict):
        return sdk.chat.completions.create(*args, **kwargs)
    order, options, completion = fast
    body = {k: kwargs[k] for k in order if k in kwargs and k in _PLAIN_BODY}
    return sdk.post("/chat/completions", body=body, cast_to=completion, stream=False,
                    options=options(**{k: kwargs[k] for k in _PLAIN_OPTIONS if k in kwargs}))


def _fast_path(sdk: Any) -> tuple[tuple[str, ...], Callable[..., Any], Any] | None:
    """(the body's field order, the request options builder, the response class) when ``sdk``'s
    ``create`` is the SDK's own, unwrapped; None otherwise."""
    import inspect
    import types

    completions = getattr(getattr(sdk, "chat", None), "completions", None)
    method = getattr(type(completions), "create", None)
    inner = getattr(method, "__wrapped__", None)
    home = "openai.resources.chat.completions.completions"
    # the SDK's create is its argument check (functools.wraps) around the method itself: a third
    # layer, or a proxy that is no plain function, is someone else's wrapper
    if completions is None or "create" in vars(completions) or type(method) is not types.FunctionType or \
            type(inner) is not types.FunctionType or hasattr(inner, "__wrapped__") or \
            getattr(inner, "__module__", "") != home or getattr(inner, "__qualname__", "") != "Completions.create" or \
            not callable(getattr(sdk, "post", None)):
        return None
    made = _FAST.get("made")
    if made is None or made[0] is not inner:
        from openai._base_client import make_request_options
        from openai.types.chat import ChatCompletion

        params = inspect.signature(inner).parameters
        accepted = inspect.signature(make_request_options).parameters
        extra = {"security": {"bearer_auth": True}} if "security" in accepted else {}

        def options(**given: Any) -> Any:
            return make_request_options(**given, **extra)

        made = _FAST["made"] = (inner, (tuple(params), options, ChatCompletion))
    return made[1]


def request_scheduler(settings: Settings, client: Any = None) -> RequestScheduler:
    """The scheduler every request to this endpoint under ``Settings.concurrency`` shares in this process."""
    return scheduler_for(endpoint_url(settings, client).rstrip("/"), settings.concurrency)


class ModelClient:
    """Structured chat completions against one OpenAI-compatible endpoint.

    Args:
        settings: model, mode, sampling, timeouts and retry budgets.
        client: the caller's own ``openai.OpenAI`` (or ``AsyncOpenAI``, whose configuration is
            reused for a sync client); its own retries are switched off.

    Raises:
        ConfigError: no model is named, or ``client`` is not an openai client.
    """

    def __init__(self, settings: Settings, client: Any = None) -> None:
        import instructor

        if not settings.model:
            raise ConfigError("the LLM engine needs a model name: set REPORTKIT_MODEL or Settings(model=...)")
        _check_our_models_once()
        self.settings = settings
        self._sdk = _sdk_client(settings, client)
        self._mode = getattr(instructor.Mode, MODES[settings.mode or "tools"])
        self.endpoint = str(self._sdk.base_url)
        configured = settings.api_key.get_secret_value() if settings.api_key else None
        self.secrets = tuple({s for s in (configured, getattr(self._sdk, "api_key", None)) if s})
        self.scheduler = request_scheduler(settings, client)
        # One client per document (made at its first request): the document's deadline runs from here.
        self.deadline_at = time.monotonic() + settings.deadline

    def remaining(self) -> float:
        """Seconds left before the document's deadline (negative once it passed)."""
        return self.deadline_at - time.monotonic()

    def close(self) -> None:
        """Nothing to release: the SDK client is the caller's, or shared by every document of the
        process (see ``_shared_sdk``), so its connections outlive one document on purpose."""

    def call(
        self,
        messages: list[dict[str, str]],
        response_model: type[BaseModel],
        *,
        context: dict[str, Any],
        label: str,
        salvage: Callable[[Any], tuple[BaseModel | None, list[str]]] | None = None,
        reasks: int | None = None,
    ) -> Answer:
        """Ask for ``response_model`` and validate the answer against ``context``.

        Args:
            messages: chat messages, sent verbatim.
            response_model: the Pydantic model the answer must fit.
            context: handed to the model's validators (``ValidationInfo.context``).
            label: names the call in logs and errors (a chunk id).
            salvage: rebuilds a usable answer from the last invalid one once re-asks run out.
            reasks: instructor's re-ask budget for this call (default ``Settings.reasks``).

        Raises:
            ModelCallError: the call failed for good; ``fatal`` says whether others will too.
        """
        import instructor

        usage = Usage()
        responses: list[Any] = []

        def send(*args: Any, **kwargs: Any) -> Any:
            return self._send(usage, responses, label, *args, **kwargs)

        # What from_openai builds, but around our own create: transport retries then happen per
        # HTTP request inside instructor's re-ask loop, and this call's counters stay its own.
        structured = instructor.Instructor(
            client=self._sdk, create=instructor.patch(create=send, mode=self._mode), mode=self._mode
        )
        quiet = _INSTRUCTOR_FILTER.local
        quiet.active, quiet.secrets = getattr(quiet, "active", 0) + 1, self.secrets
        # Our response models take the grounding context from ``answers.grounding``: given as
        # instructor's ``context=``, it would also render every message as a Jinja template.
        from .answers import takes_grounding

        ours = takes_grounding(response_model)
        try:
            with _grounded(context if ours else None):
                value, completion = structured.chat.completions.create_with_completion(
                    messages=messages if ours else _shield(messages),
                    response_model=response_model,
                    max_retries=self.settings.reasks if reasks is None else reasks,
                    context=None if ours else context,
                    strict=False,  # accept "2023" for an int and 5 for a float: models do that
                    **self._options(response_model),
                )
        except Exception as exc:
            _count(usage, responses)
            failure = self._failure(exc, usage, responses, label, salvage)
            _scrub(exc, self.secrets)  # the chained originals may hold the server's echo of the key
            raise failure from exc
        finally:
            quiet.active -= 1
        _count(usage, responses)
        return Answer(value, completion.model_dump(mode="json"), usage)

    def _options(self, response_model: type[BaseModel]) -> dict[str, Any]:
        s = self.settings
        options: dict[str, Any] = {"model": s.model, "temperature": s.temperature, "max_tokens": s.max_tokens}
        if s.seed is not None:
            options["seed"] = s.seed
        if s.provider == "llamacpp" and s.mode == "json":
            # llama.cpp constrains decoding to a schema given inside response_format (json_object).
            schema = response_model.model_json_schema()
            options["extra_body"] = {"response_format": {"type": "json_object", "schema": schema}}
        return options

    def _send(self, usage: Usage, responses: list[Any], label: str, *args: Any, **kwargs: Any) -> Any:
        """One HTTP request, retried on transport failures only."""
        import tenacity

        retries = self.settings.transport_retries

        def before_sleep(state: Any) -> None:
            usage.transport_retries += 1
            exc = state.outcome.exception()
            unreachable = is_unreachable(exc)
            allowed = min(retries, UNREACHABLE_RETRIES) if unreachable else retries
            # an unreachable endpoint ends in one error naming the fix: no warning per chunk first
            logger.log(
                logging.INFO if unreachable else logging.WARNING, "reportkit: %s: %s; retry %d/%d in %.2fs",
                label, _describe(exc, self.settings, self.secrets), state.attempt_number, allowed,
                state.next_action.sleep if state.next_action else 0.0,
            )

        def stop(state: Any) -> bool:
            exc = state.outcome.exception() if state.outcome else None
            if is_unreachable(exc):
                return state.attempt_number > min(retries, UNREACHABLE_RETRIES)
            return state.attempt_number > retries or self.remaining() <= 0

        def wait(state: Any) -> float:  # never sleep past the deadline
            exc = state.outcome.exception()
            paused = getattr(exc, "_reportkit_pause", None)  # a 429 paused everyone already (see below)
            return paused if paused is not None else max(0.0, min(_backoff(exc, state.attempt_number), self.remaining()))

        retrying = tenacity.Retrying(
            stop=stop, wait=wait, retry=tenacity.retry_if_exception(is_transient), before_sleep=before_sleep, reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    if self.remaining() <= 0:
                        raise _DeadlinePassed(f"the document's deadline of {self.settings.deadline:g}s passed")
                    try:
                        with self.scheduler.slot(self.deadline_at), _deadline(self.deadline_at):
                            usage.requests += 1
                            left = self.remaining()
                            # a request never outlives the document's deadline (see _bounded)
                            try:
                                response = create(
                                    self._sdk, args, {**kwargs, "timeout": min(self.settings.timeout, max(left, 0.05))})
                            except Exception as exc:
                                if is_rate_limited(exc):
                                    # the limit is the key's, not this call's: everyone waits, and the pause
                                    # starts before this slot is released, so no waiting request slips in
                                    delay = max(0.0, min(_backoff(exc, attempt.retry_state.attempt_number), self.remaining()))
                                    self.scheduler.pause(delay, reason=f"{label}: {endpoint_host(self.endpoint)} answered 429")
                                    exc._reportkit_pause = delay  # type: ignore[attr-defined]
                                raise
                    except SlotTimeout as exc:
                        raise _DeadlinePassed(f"the document's deadline of {self.settings.deadline:g}s passed "
                                              f"waiting for a request slot ({exc})") from None
        except Exception as exc:
            raise _SendFailed(redact(exc, self.secrets)) from exc
        responses.append(response)
        return response

    def _failure(self, exc: BaseException, usage: Usage, responses: list[Any], label: str,
                 salvage: Callable[[Any], tuple[BaseModel | None, list[str]]] | None) -> ModelCallError:
        """The ModelCallError for what ended a call, with the likely fix in its message."""
        import openai
        from instructor.core import IncompleteOutputException
        from pydantic import ValidationError

        s = self.settings
        host = endpoint_host(self.endpoint)
        chain = list(_chain(exc))
        root = next((e for e in chain if isinstance(e, (openai.OpenAIError, json.JSONDecodeError))), None)
        kind = type(root or chain[-1]).__name__

        def fail(message: str, **extra: Any) -> ModelCallError:
            extra.setdefault("error_type", kind)
            return ModelCallError(redact(message, self.secrets), chunk_id=label, usage=usage, **extra)

        if any(isinstance(e, _DeadlinePassed) for e in chain) or (
                self.remaining() <= 0 and root is not None and is_transient(root)):
            return fail(f"stopped at the document's deadline of {s.deadline:g}s (REPORTKIT_DEADLINE) after "
                        f"{usage.requests} request(s); this part of the report is missing",
                        error_type="DeadlineExceeded")
        if root is not None and is_unreachable(root):
            return fail(f"cannot reach {self.endpoint} ({_unreachable_reason(root)}): check REPORTKIT_BASE_URL "
                        "(or REPORTKIT_PROVIDER) and that the server is running", fatal=True)
        if isinstance(root, openai.AuthenticationError):
            key_var = (PRESETS[s.provider].key_env if s.provider else None) or "OPENAI_API_KEY"
            return fail(f"{host} rejected the API key (401: {_api_message(root)}); set {key_var} or "
                        "REPORTKIT_API_KEY to a valid key for this endpoint", fatal=True)
        if isinstance(root, openai.PermissionDeniedError):
            return fail(f"{host} denied access (403: {_api_message(root)}); the key may lack access to model "
                        f"{s.model!r}, or the account or region is not allowed", fatal=True)
        if isinstance(root, openai.NotFoundError):
            return fail(f"{host} answered 404 ({_api_message(root)}); check the model name {s.model!r} "
                        f"(REPORTKIT_MODEL) and the base URL {self.endpoint!r} (REPORTKIT_BASE_URL, usually "
                        "ending in /v1)", fatal=True)
        if root is not None and not is_transient(root) and isinstance(root, openai.APIStatusError):
            return fail(f"{host} rejected the request ({root.status_code}: {_api_message(root)}); if it names "
                        "response_format, tools or json_schema, choose another mode (REPORTKIT_MODE=tools|json|"
                        "md_json|json_schema)")
        if root is not None:
            return fail(f"gave up after {usage.requests} attempts: {_describe(root, s, self.secrets)}")
        if any(isinstance(e, IncompleteOutputException) for e in chain):
            return fail(f"the answer was cut off at max_tokens={s.max_tokens} (finish_reason=length); raise "
                        "REPORTKIT_MAX_TOKENS or lower REPORTKIT_CHUNK_CHARS",
                        partial=_answer_text(responses[-1]) if responses else None)
        invalid = next((e for e in chain if isinstance(e, ValidationError)), None)
        if invalid is not None or responses:
            detail = _first_error(invalid) if invalid is not None else str(chain[-1])[:300]
            salvaged, dropped = None, []
            if salvage is not None and responses:
                data = _answer_json(responses[-1])
                if data is not None:
                    salvaged, dropped = salvage(data)
            hint = "" if invalid is not None else "; if the model ignores the schema, try REPORTKIT_MODE=json or md_json"
            return fail(f"the answer was still invalid after {s.reasks} re-asks: {detail}{hint}",
                        salvaged=salvaged, dropped=tuple(dropped))
        return fail(f"the model call failed: {type(chain[-1]).__name__}: {chain[-1]}")


_SHARED: dict[tuple[str | None, str, float], Any] = {}
_SHARED_LOCK = threading.Lock()


def _after_fork() -> None:
    """A forked batch worker makes its own SDK clients: a kept-alive socket shared with the parent
    would interleave two processes' responses."""
    global _SHARED_LOCK
    _SHARED.clear()
    _SHARED_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def _shared_sdk(base_url: str | None, key: str, timeout: float) -> Any:
    """One SDK client per endpoint, key and timeout for the whole process.

    Building one cost ~25 ms, which a batch paid per document; the SDK is thread-safe, and its
    connection pool reconnects when a server closed a kept-alive socket. Its HTTP client takes the
    process's TLS context (``tls``), so a forked worker's first client does not load the CA bundle again.
    The key stays in memory only, as it would in the client itself.
    """
    import openai

    with _SHARED_LOCK:
        sdk = _SHARED.get((base_url, key, timeout))
        if sdk is None:
            sdk = _bounded(openai.OpenAI(base_url=base_url, api_key=key, max_retries=0, timeout=timeout,
                                         http_client=tls.http_client(timeout)))
            _SHARED[(base_url, key, timeout)] = sdk
        return sdk


def _sdk_client(settings: Settings, client: Any) -> Any:
    import openai

    if client is None:
        key = settings.api_key.get_secret_value() if settings.api_key else None
        # Local servers (llama.cpp, Ollama, vLLM) need no key, but the SDK insists on one.
        key = key or os.environ.get("OPENAI_API_KEY") or "not-needed"
        return _shared_sdk(settings.base_url, key, settings.timeout)
    if isinstance(client, openai.OpenAI):
        return _bounded(client.with_options(max_retries=0))
    if isinstance(client, openai.AsyncOpenAI):
        # Chunks run on worker threads; a sync twin of the caller's async client does the calls.
        return _bounded(openai.OpenAI(
            api_key=client.api_key, base_url=client.base_url, organization=client.organization,
            project=client.project, timeout=client.timeout, max_retries=0,
            default_headers=dict(getattr(client, "_custom_headers", None) or {}),
        ))
    raise ConfigError(f"client must be an openai.OpenAI or openai.AsyncOpenAI, not {type(client).__name__}")


_DEADLINE = threading.local()


@contextmanager
def _deadline(at: float) -> Iterator[None]:
    """Cut this thread's socket operations at ``at`` (monotonic) for the ``with`` block."""
    before = getattr(_DEADLINE, "at", None)
    _DEADLINE.at = at
    try:
        yield
    finally:
        _DEADLINE.at = before


def _bounded(sdk: Any) -> Any:
    """``sdk`` with every socket read, write and connect of reportkit's requests cut at the document's deadline.

    The SDK's timeout bounds each socket operation, not the request: a server that sends one byte
    a second never trips it. The deadline lives in a thread-local (set by ``_deadline`` around
    each request), and the connection pool's network backend clamps every operation's timeout to
    it, so the request ends with a timeout at the deadline, whatever the server does. Outside
    reportkit's requests (a caller's own client used elsewhere) the backend passes everything
    through unchanged. A transport without an httpcore pool keeps the per-operation timeout only.
    """
    http = getattr(sdk, "_client", None)
    transports = [getattr(http, "_transport", None), *(getattr(http, "_mounts", None) or {}).values()]
    pools = [getattr(t, "_pool", None) for t in transports if t is not None]
    wrapped = 0
    for pool in pools:
        backend = getattr(pool, "_network_backend", None)
        if backend is None:
            continue
        if not isinstance(backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(backend)
        wrapped += 1
    if not wrapped:
        logger.debug("reportkit: the HTTP client has no httpcore pool; requests are bounded per socket operation only")
    return sdk


class _DeadlineBackend:
    """An httpcore network backend whose streams time out at the calling thread's deadline."""

    def __init__(self, inner: Any) -> None:
        import importlib

        self.inner = inner
        self.errors = importlib.import_module(type(inner).__module__.split(".")[0])  # httpcore (or its fork)

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, **kwargs: Any) -> Any:
        limit = _clamp(timeout, self.errors.ConnectTimeout)
        return _DeadlineStream(self.inner.connect_tcp(host, port, timeout=limit, **kwargs), self.errors)

    def connect_unix_socket(self, path: str, timeout: float | None = None, **kwargs: Any) -> Any:
        limit = _clamp(timeout, self.errors.ConnectTimeout)
        return _DeadlineStream(self.inner.connect_unix_socket(path, timeout=limit, **kwargs), self.errors)

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class _DeadlineStream:
    """A network stream whose every read and write waits at most until the thread's deadline."""

    def __init__(self, inner: Any, errors: Any) -> None:
        self.inner, self.errors = inner, errors

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _clamp(timeout, self.errors.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _clamp(timeout, self.errors.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        limit = _clamp(timeout, self.errors.ConnectTimeout)
        return _DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, limit), self.errors)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


def _clamp(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` cut to the time left before this thread's deadline; ``error`` once it passed."""
    at = getattr(_DEADLINE, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error("the document's deadline passed during the request")
    return left if timeout is None else min(timeout, left)


@contextmanager
def _grounded(context: dict[str, Any] | None) -> Iterator[None]:
    """``answers.grounding(context)``, or nothing when there is no context to hand over."""
    if context is None:
        yield
        return
    from .answers import grounding

    with grounding(context):
        yield


def _shield(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """Wrap each message in a Jinja raw block (for a caller's own response model only).

    Given ``context=``, instructor renders every message as a Jinja template (and dedents it); a
    report containing ``{{`` or ``{%`` would break or change. Inside raw blocks it is sent as is.
    reportkit's own models get their context from ``answers.grounding`` and skip the rendering.
    """
    escaped = "{% endraw %}{{ '{% endraw %}' }}{% raw %}"
    return [{**m, "content": "{% raw %}" + _ENDRAW.sub(lambda _: escaped, m["content"]) + "{% endraw %}"}
            for m in messages]


def is_transient(exc: BaseException) -> bool:
    """True when ``exc`` (or an exception in its cause chain) is worth retrying as is.

    instructor wraps HTTP errors in ``InstructorRetryException``, so the chain is searched.
    """
    import openai

    for e in _chain(exc):
        if isinstance(e, openai.APIStatusError):
            return e.status_code in _RETRY_STATUS or e.status_code >= 500
        if isinstance(e, (openai.APITimeoutError, openai.APIConnectionError, openai.APIResponseValidationError)):
            return True
        if isinstance(e, (json.JSONDecodeError, ConnectionError, TimeoutError)):
            return True  # a 200 whose body was cut off in transit, or a reset below the SDK
    return False


def is_rate_limited(exc: BaseException | None) -> bool:
    """True when ``exc`` (or its cause chain) is an HTTP 429."""
    for e in _chain(exc) if exc is not None else ():
        if getattr(e, "status_code", None) == 429:
            return True
    return False


def is_unreachable(exc: BaseException | None) -> bool:
    """True when no connection could be made at all (refused, no such host): a wrong base URL or
    a server that is not running, which retrying four times will not fix."""
    for e in _chain(exc) if exc is not None else ():
        if isinstance(e, (ConnectionRefusedError, socket.gaierror)) or type(e).__name__ == "ConnectError":
            return True
    return False


def _unreachable_reason(exc: BaseException) -> str:
    for e in _chain(exc):
        if isinstance(e, socket.gaierror):
            return "no such host"
        if isinstance(e, ConnectionRefusedError):
            return "connection refused"
    return "connection failed"


def _scrub(exc: BaseException, secrets: tuple[str, ...]) -> None:
    """Redact the messages of ``exc`` and its chain in place, so a logged traceback leaks nothing."""
    for e in _chain(exc):
        try:
            e.args = tuple(redact(a, secrets) if isinstance(a, str) else a for a in e.args)
            if isinstance(getattr(e, "message", None), str):
                e.message = redact(e.message, secrets)  # type: ignore[attr-defined]
            if getattr(e, "body", None) is not None:
                e.body = json.loads(redact(json.dumps(e.body, ensure_ascii=False), secrets))  # type: ignore[attr-defined]
        except (AttributeError, TypeError, ValueError):
            continue


def retry_after(exc: BaseException | None) -> float | None:
    """Seconds a server asked us to wait (``retry-after-ms`` or ``Retry-After``), if it did."""
    for e in _chain(exc) if exc is not None else ():
        headers = getattr(getattr(e, "response", None), "headers", None)
        if headers is None:
            continue
        try:
            if headers.get("retry-after-ms"):
                return max(0.0, float(headers["retry-after-ms"]) / 1000)
            raw = headers.get("retry-after")
            if raw and re.fullmatch(r"\s*\d+(\.\d+)?\s*", raw):
                return max(0.0, float(raw))
            if raw:  # an HTTP date
                return max(0.0, email.utils.parsedate_to_datetime(raw).timestamp() - time.time())
        except (TypeError, ValueError):
            return None
    return None


def _backoff(exc: BaseException | None, attempt_number: int) -> float:
    """Retry-After when the server sent one, else jittered exponential backoff."""
    asked = retry_after(exc)
    if asked is not None:
        return min(asked, RETRY_AFTER_MAX)
    ceiling = min(BACKOFF_MAX, BACKOFF_BASE * 2 ** (attempt_number - 1))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _count(usage: Usage, responses: list[Any]) -> None:
    """Tokens of every answer received (re-asks included); each answer after the first was a re-ask."""
    usage.reasks = max(0, len(responses) - 1)
    for r in responses:
        u = getattr(r, "usage", None)
        usage.input_tokens += int(getattr(u, "prompt_tokens", 0) or 0)
        usage.output_tokens += int(getattr(u, "completion_tokens", 0) or 0)


def _describe(exc: BaseException | None, settings: Settings, secrets: tuple[str, ...] = ()) -> str:
    return redact(_describe_raw(exc, settings), secrets)


def _describe_raw(exc: BaseException | None, settings: Settings) -> str:
    import openai

    if isinstance(exc, openai.RateLimitError):
        return f"rate limited (429: {_api_message(exc)})"
    if isinstance(exc, openai.APIStatusError):
        return f"server error ({exc.status_code}: {_api_message(exc)})"
    if isinstance(exc, openai.APITimeoutError):
        return f"no answer within {settings.timeout:g}s (REPORTKIT_TIMEOUT)"
    if isinstance(exc, openai.APIConnectionError):
        return f"connection failed ({_unreachable_reason(exc) if is_unreachable(exc) else exc.__cause__ or exc})"
    if isinstance(exc, json.JSONDecodeError):
        return "the response body was not valid JSON (cut off in transit?)"
    return f"{type(exc).__name__}: {exc}"


_HTML = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|title)\b", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")


def _api_message(exc: Any) -> str:
    """The server's own message, redacted of secrets; an HTML error page becomes its title."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return redact(str(inner["message"])[:300])
    text = str(getattr(exc, "message", exc))
    response = getattr(exc, "response", None)
    try:
        raw = response.text if response is not None else ""
    except Exception:  # a streamed or closed response has no text to offer
        raw = ""
    page = raw if _HTML.search(raw or "") else text if _HTML.search(text) else ""
    if page:
        title = _TITLE.search(page)
        words = " ".join(_TAGS.sub(" ", title.group(1) if title else page).split())[:120]
        return redact(f"an HTML page, not an OpenAI-compatible answer: {words!r}; is the base URL the API's (often ending in /v1)?")
    return redact(text[:300])


def _first_error(exc: Any) -> str:
    try:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ()))
        return f"{where}: {err['msg']}" if where else str(err["msg"])
    except Exception:  # any shape of error still deserves a message
        return str(exc)[:300]


def _answer_text(response: Any) -> str | None:
    """The raw text a completion carries: tool-call arguments, else content."""
    try:
        message = response.choices[0].message
        calls = getattr(message, "tool_calls", None) or []
        return calls[0].function.arguments if calls else (message.content or "")
    except (AttributeError, IndexError, TypeError):
        return None


def _answer_json(response: Any) -> Any:
    """The JSON a completion carries (behind fences, prose or a think block); None if unreadable."""
    from .normalise import answer_json

    text = _answer_text(response)
    return answer_json(text) if text else None
