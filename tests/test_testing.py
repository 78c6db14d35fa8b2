"""Tests of reportkit.testing: the fake OpenAI server driven by the real openai SDK and instructor."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import instructor
import openai
import pytest
from instructor.core import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationInfo, field_validator

from reportkit.testing import CLOSED_BASE_URL, FakeOpenAI, Fault, RecordedRequest, estimate_tokens

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = [
    {"role": "system", "content": "从政府工作报告中提取数字。"},
    {"role": "user", "content": "2023年全市地区生产总值1234.5亿元。"},
]
GOOD = {"name": "地区生产总值", "value": 1234.5, "unit": "亿元"}


class Figure(BaseModel):
    name: str
    value: float
    unit: str


class Quote(BaseModel):
    quote: str

    @field_validator("quote")
    @classmethod
    def quote_in_chunk(cls, quote: str, info: ValidationInfo) -> str:
        if quote not in info.context["chunk"]:
            raise ValueError(f"quote {quote!r} is not in the chunk")
        return quote


def sdk(srv: FakeOpenAI, timeout: float = 5.0) -> openai.OpenAI:
    return openai.OpenAI(base_url=srv.base_url, api_key="test", max_retries=0, timeout=timeout)


def extract(srv: FakeOpenAI, mode: instructor.Mode = instructor.Mode.TOOLS, **kwargs: object) -> Figure:
    client = instructor.from_openai(sdk(srv), mode=mode)
    return client.chat.completions.create(
        model="gpt-4o-mini", response_model=Figure, messages=[dict(m) for m in MESSAGES], **kwargs
    )


def post(srv: FakeOpenAI, path: str, payload: object) -> tuple[int, dict]:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    request = urllib.request.Request(srv.base_url.removesuffix("/v1") + path, data=data)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


# --- structured replies in every instructor mode ---------------------------------------------


@pytest.mark.parametrize(
    ("mode", "wire_mode"),
    [
        (instructor.Mode.TOOLS, "tools"),
        (instructor.Mode.JSON, "json_object"),
        (instructor.Mode.MD_JSON, "md_json"),
        (instructor.Mode.JSON_SCHEMA, "json_schema"),
    ],
)
@pytest.mark.parametrize("reply", [GOOD, Figure(**GOOD)], ids=["dict", "model"])
def test_structured_reply_is_parsed_in_every_mode(
    mode: instructor.Mode, wire_mode: str, reply: object
) -> None:
    with FakeOpenAI([reply]) as srv:
        figure = extract(srv, mode)
    assert figure.model_dump() == GOOD
    [request] = srv.requests
    assert request.mode == wire_mode
    assert request.model == "gpt-4o-mini"
    assert request.path == "/v1/chat/completions"
    assert "2023年全市地区生产总值" in request.user_text
    assert request.system_text.startswith("从政府工作报告中提取数字。")
    assert request.headers["authorization"] == "Bearer test"


def test_instructor_request_bodies_per_mode() -> None:
    bodies = {}
    for mode in (instructor.Mode.TOOLS, instructor.Mode.JSON, instructor.Mode.JSON_SCHEMA):
        with FakeOpenAI([GOOD]) as srv:
            extract(srv, mode)
        bodies[mode] = srv.requests[0].body
    tools = bodies[instructor.Mode.TOOLS]
    assert tools["tool_choice"] == {"type": "function", "function": {"name": "Figure"}}
    assert tools["tools"][0]["function"]["name"] == "Figure"
    assert bodies[instructor.Mode.JSON]["response_format"] == {"type": "json_object"}
    schema_format = bodies[instructor.Mode.JSON_SCHEMA]["response_format"]
    assert schema_format["type"] == "json_schema"
    assert schema_format["json_schema"]["name"] == "Figure"


def test_wire_shapes_match_openai_chat_completions() -> None:
    arguments = json.dumps(GOOD, ensure_ascii=False, separators=(",", ":"))
    forced = {"type": "function", "function": {"name": "Figure"}}
    tools = [{"type": "function", "function": {"name": "Other", "parameters": {}}},
             {"type": "function", "function": {"name": "Figure", "parameters": {}}}]
    cases = [
        ({"tools": tools, "tool_choice": forced}, None, "Figure", "stop"),
        ({"tools": tools, "tool_choice": "auto"}, None, "Other", "tool_calls"),
        ({"tools": tools, "tool_choice": "required"}, None, "Other", "stop"),
        ({"response_format": {"type": "json_object"}}, arguments, None, "stop"),
        ({"response_format": {"type": "json_schema", "json_schema": {"name": "F"}}}, arguments, None, "stop"),
        ({}, f"```json\n{arguments}\n```", None, "stop"),
    ]
    with FakeOpenAI([GOOD] * len(cases)) as srv:
        for number, (extra, content, tool, finish) in enumerate(cases, start=1):
            status, body = post(srv, "/v1/chat/completions", {"model": "m", "messages": MESSAGES, **extra})
            assert status == 200
            assert body["id"] == f"chatcmpl-fake{number:06d}"
            assert body["object"] == "chat.completion"
            assert body["model"] == "m"
            assert isinstance(body["created"], int) and body["system_fingerprint"] == "fp_fake"
            [choice] = body["choices"]
            assert choice["index"] == 0 and choice["finish_reason"] == finish
            message = choice["message"]
            assert message["role"] == "assistant" and message["content"] == content
            if tool is None:
                assert "tool_calls" not in message
            else:
                [call] = message["tool_calls"]
                assert call["type"] == "function" and call["id"].startswith("call_")
                assert call["function"] == {"name": tool, "arguments": arguments}


def test_string_reply_is_sent_verbatim() -> None:
    with FakeOpenAI(["not json", "{\"a\": 1"]) as srv:
        _, plain = post(srv, "/v1/chat/completions", {"messages": MESSAGES})
        _, tools = post(srv, "/v1/chat/completions", {"messages": MESSAGES, "tools": [
            {"type": "function", "function": {"name": "F"}}]})
    assert plain["choices"][0]["message"]["content"] == "not json"
    assert tools["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"] == "{\"a\": 1"
    assert plain["model"] == "fake-model"  # no model in the request: the server's own


# --- re-asks ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [instructor.Mode.TOOLS, instructor.Mode.MD_JSON])
def test_invalid_json_makes_instructor_reask(mode: instructor.Mode) -> None:
    with FakeOpenAI(['{"name": "地区生产总值", "value": 12', GOOD]) as srv:
        figure = extract(srv, mode, max_retries=2)
    assert figure.model_dump() == GOOD
    assert len(srv.requests) == 2
    reask = srv.requests[1].messages[-1]["content"]
    assert "json_invalid" in reask and "Invalid JSON" in reask
    assert "json_invalid" not in json.dumps(srv.requests[0].messages)


def test_context_validator_reasks_with_the_error() -> None:
    chunk = "2023年全市地区生产总值增长5.2%。"
    with FakeOpenAI([{"quote": "增长6%"}, {"quote": "增长5.2%"}]) as srv:
        client = instructor.from_openai(sdk(srv))
        quote = client.chat.completions.create(
            model="m", response_model=Quote, max_retries=1, context={"chunk": chunk},
            messages=[{"role": "user", "content": chunk}],
        )
    assert quote.quote == "增长5.2%"
    assert "quote '增长6%' is not in the chunk" in srv.requests[1].messages[-1]["content"]


# --- injected faults ----------------------------------------------------------------------------


def test_rate_limit_sends_retry_after_and_raises_rate_limit_error() -> None:
    with FakeOpenAI([Fault(status=429, retry_after=0.25)]) as srv:
        with pytest.raises(openai.RateLimitError) as caught:
            sdk(srv).chat.completions.create(model="m", messages=MESSAGES)
    assert caught.value.status_code == 429
    assert caught.value.response.headers["retry-after"] == "0.25"
    assert caught.value.code == "rate_limit_exceeded"
    assert caught.value.body["type"] == "requests"


def test_rate_limit_default_retry_after() -> None:
    with FakeOpenAI([Fault(status=429)]) as srv:
        status, body = post(srv, "/v1/chat/completions", {"messages": MESSAGES})
    assert status == 429 and body["error"]["code"] == "rate_limit_exceeded"


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(status=500), openai.InternalServerError),
        (Fault(status=503), openai.InternalServerError),
        (Fault(status=401), openai.AuthenticationError),
        (Fault(status=400, message="上下文过长", code="context_length_exceeded"),
         openai.BadRequestError),
    ],
)
def test_http_errors_map_to_sdk_exceptions(fault: Fault, error: type[openai.APIStatusError]) -> None:
    with FakeOpenAI([fault]) as srv:
        with pytest.raises(error) as caught:
            sdk(srv).chat.completions.create(model="m", messages=MESSAGES)
    assert caught.value.status_code == fault.status
    assert set(caught.value.body) == {"message", "type", "param", "code"}
    if fault.message:
        assert caught.value.message.endswith(str({"error": caught.value.body}))
        assert caught.value.body["message"] == "上下文过长"
        assert caught.value.code == "context_length_exceeded"


def test_instructor_wraps_http_errors_with_the_sdk_error_as_cause() -> None:
    with FakeOpenAI([Fault(status=429, retry_after=0.01)]) as srv:
        with pytest.raises(InstructorRetryException) as caught:
            extract(srv, max_retries=2)
    assert isinstance(caught.value.__cause__, openai.RateLimitError)
    assert len(srv.requests) == 1  # an HTTP error is not a validation re-ask


def test_delay_longer_than_client_timeout_raises_timeout() -> None:
    started = time.perf_counter()
    with FakeOpenAI([Fault(delay=3.0, then=GOOD)]) as srv:
        with pytest.raises(openai.APITimeoutError):
            sdk(srv, timeout=0.2).chat.completions.create(model="m", messages=MESSAGES)
    assert time.perf_counter() - started < 1.5  # stop() cut the server's 3 s wait short


def test_delay_shorter_than_timeout_still_answers() -> None:
    with FakeOpenAI([Fault(delay=0.1, then=GOOD)]) as srv:
        started = time.perf_counter()
        figure = extract(srv)
    assert figure.model_dump() == GOOD and time.perf_counter() - started >= 0.1


def test_truncated_body_raises_json_decode_error() -> None:
    # openai 3.3 parses the body after its retry loop: the error escapes as a bare
    # json.JSONDecodeError, not an openai.APIError.
    with FakeOpenAI([Fault(truncated=True, then=GOOD)]) as srv:
        with pytest.raises(json.JSONDecodeError):
            sdk(srv).chat.completions.create(model="m", messages=MESSAGES)


def test_truncated_body_is_retried_by_instructor_as_a_parse_error() -> None:
    with FakeOpenAI([Fault(truncated=True)] * 3) as srv:
        with pytest.raises(InstructorRetryException) as caught:
            extract(srv, max_retries=2)
    assert isinstance(caught.value.__cause__, json.JSONDecodeError)
    assert len(srv.requests) == 3
    assert srv.requests[2].messages == srv.requests[0].messages  # retried without a re-ask


def test_finish_reason_length_raises_incomplete_output() -> None:
    with FakeOpenAI([Fault(finish_reason="length", then='{"name": "地区'), GOOD]) as srv:
        with pytest.raises(IncompleteOutputException) as caught:
            extract(srv, max_retries=2)
    assert caught.value.last_completion.choices[0].finish_reason == "length"
    assert len(srv.requests) == 1  # never re-asked


def test_reset_raises_connection_error() -> None:
    with FakeOpenAI([Fault(reset=True), GOOD]) as srv:
        with pytest.raises(openai.APIConnectionError) as caught:
            sdk(srv).chat.completions.create(model="m", messages=MESSAGES)
        assert not isinstance(caught.value, openai.APITimeoutError)
        assert extract(srv).model_dump() == GOOD  # the server keeps serving after a reset


def test_exhausted_script_answers_500_with_message() -> None:
    with FakeOpenAI([GOOD]) as srv:
        extract(srv)
        with pytest.raises(openai.InternalServerError) as caught:
            sdk(srv).chat.completions.create(model="m", messages=MESSAGES)
    assert "FakeOpenAI: no scripted reply left for request 2" in str(caught.value)
    assert len(srv.requests) == 2


def test_sdk_retries_are_respected() -> None:
    with FakeOpenAI([Fault(status=500), Fault(status=429, retry_after=0.01), GOOD]) as srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="test", max_retries=2)
        client.chat.completions.create(model="m", messages=MESSAGES)
    assert [r.headers["x-stainless-retry-count"] for r in srv.requests] == ["0", "1", "2"]


# --- responder, concurrency, usage, bookkeeping ------------------------------------------------


def test_responder_under_concurrent_requests() -> None:
    seen_threads: set[int] = set()

    def responder(request: RecordedRequest) -> Figure:
        seen_threads.add(threading.get_ident())
        number = int(request.user_text.rsplit("#", 1)[1])
        return Figure(name=f"指标{number}", value=number, unit="亿元")

    with FakeOpenAI(responder=responder, latency=0.3) as srv:
        client = instructor.from_openai(sdk(srv))

        def ask(number: int) -> Figure:
            return client.chat.completions.create(
                model="m", response_model=Figure, messages=[{"role": "user", "content": f"#{number}"}]
            )

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=20) as pool:
            figures = list(pool.map(ask, range(20)))
        elapsed = time.perf_counter() - started
    assert [f.value for f in figures] == list(range(20))
    assert [f.name for f in figures] == [f"指标{n}" for n in range(20)]
    assert len(srv.requests) == 20 and len(seen_threads) > 1
    assert elapsed < 2.0  # 20 × 0.3 s would take 6 s one at a time


def test_script_comes_before_responder_and_responder_errors_are_500() -> None:
    def responder(request: RecordedRequest) -> object:
        raise RuntimeError("boom")

    with FakeOpenAI([GOOD], responder=responder) as srv:
        assert extract(srv).model_dump() == GOOD
        with pytest.raises(openai.InternalServerError, match="responder failed for request 2"):
            sdk(srv).chat.completions.create(model="m", messages=MESSAGES)


def test_estimate_tokens_rule() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("abcd") == 1
    assert estimate_tokens("abcde") == 2
    assert estimate_tokens("地区生产总值") == 6
    assert estimate_tokens("GDP增长5%") == 4  # 2 CJK + ceil(5 / 4)
    assert estimate_tokens("增长５．２％，") == 7  # full-width digits and punctuation count as CJK


def test_usage_follows_the_documented_rule() -> None:
    with FakeOpenAI([GOOD]) as srv:
        completion = sdk(srv).chat.completions.create(
            model="m", messages=MESSAGES, response_format={"type": "json_object"}
        )
    usage = completion.usage
    assert usage.prompt_tokens == sum(estimate_tokens(m["content"]) for m in MESSAGES) == 13 + 15
    assert usage.completion_tokens == estimate_tokens(completion.choices[0].message.content)
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_usage_counts_tool_call_arguments_in_the_prompt() -> None:
    history = [*MESSAGES, {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "F", "arguments": "abcdefgh"}}]}]
    with FakeOpenAI([GOOD]) as srv:
        completion = sdk(srv).chat.completions.create(model="m", messages=history)
    assert completion.usage.prompt_tokens == 13 + 15 + 2  # "abcdefgh" is 2 tokens


def test_add_reset_and_reply_validation() -> None:
    with FakeOpenAI() as srv:
        srv.add(GOOD, Fault(status=500))
        assert extract(srv).model_dump() == GOOD
        srv.reset()
        assert srv.requests == []
        with pytest.raises(openai.InternalServerError, match="no scripted reply left for request 1"):
            sdk(srv).chat.completions.create(model="m", messages=MESSAGES)
    with pytest.raises(TypeError):
        FakeOpenAI([Figure])  # the class, not an instance
    with pytest.raises(TypeError):
        FakeOpenAI(GOOD)  # a single reply, not a list
    with pytest.raises(TypeError):
        Fault(then=Fault(status=500))
    with pytest.raises(ValueError):
        Fault(status=200)


def test_models_endpoint_and_unknown_paths() -> None:
    with FakeOpenAI(model="qwen-plus") as srv:
        models = sdk(srv).models.list()
        status, body = post(srv, "/v1/embeddings", {"input": "x"})
        stream_status, _ = post(srv, "/v1/chat/completions", {"messages": MESSAGES, "stream": True})
        bad_status, _ = post(srv, "/v1/chat/completions", b"not json")
    assert [m.id for m in models.data] == ["qwen-plus"]
    assert status == 404 and body["error"]["message"] == "Invalid URL (POST /v1/embeddings)"
    assert (stream_status, bad_status) == (400, 400)
    assert [(r.method, r.path) for r in srv.requests] == [
        ("GET", "/v1/models"), ("POST", "/v1/embeddings"),
        ("POST", "/v1/chat/completions"), ("POST", "/v1/chat/completions"),
    ]


def test_base_url_needs_a_running_server() -> None:
    srv = FakeOpenAI()
    with pytest.raises(RuntimeError):
        srv.base_url
    srv.start()
    assert srv.base_url.startswith("http://127.0.0.1:") and srv.base_url.endswith("/v1")
    srv.stop()
    srv.stop()


def test_closed_base_url_fails_at_once() -> None:
    client = openai.OpenAI(base_url=CLOSED_BASE_URL, api_key="test", max_retries=0, timeout=2.0)
    started = time.perf_counter()
    with pytest.raises(openai.APIConnectionError):
        client.chat.completions.create(model="m", messages=MESSAGES)
    assert time.perf_counter() - started < 1.0


def test_import_does_not_load_openai_or_instructor() -> None:
    code = ("import sys, reportkit.testing; "
            "print(sorted({'openai', 'instructor', 'pydantic'} & set(sys.modules)))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "[]"


# --- RealisticResponder ----------------------------------------------------------------------------

from reportkit.testing import NOISE_KINDS, RealisticResponder  # noqa: E402

GOLD_DIRS = (ROOT / "seeds" / "gold", ROOT / "corpus")
ALL_GOLD = [json.loads(p.read_text(encoding="utf-8")) for d in GOLD_DIRS for p in sorted(d.glob("*.json"))]
CHUNK_PROMPT = "下面是一段原文。\n原文（quote 只能从这里逐字复制）：\n【原文开始】\n{text}\n【原文结束】"
TOOL = {"type": "function", "function": {"name": "ReviewExtraction", "parameters": {
    "type": "object", "properties": {"review": {"type": "array"}, "metrics": {"type": "array"}}}}}


def chunk_request(text: str, *, mode: str = "tools", messages: list | None = None) -> RecordedRequest:
    body: dict = {"model": "m", "messages": messages or [
        {"role": "system", "content": "抽取"}, {"role": "user", "content": CHUNK_PROMPT.format(text=text)}]}
    if mode == "tools":
        body.update(tools=[TOOL], tool_choice={"type": "function", "function": {"name": "ReviewExtraction"}})
    else:
        body["messages"][0]["content"] += ' json_schema: {"title": "ReviewExtraction", "properties": {}}'
        body["response_format"] = {"type": "json_object"}
    return RecordedRequest(path="/v1/chat/completions", headers={}, body=body)


def seed_text(stem: str) -> str:
    return (ROOT / "seeds" / f"{stem}.txt").read_text(encoding="utf-8")


SEED = "000_0905f6282178ee7a"
SEED_GOLD = json.loads((ROOT / "seeds" / "gold" / f"{SEED}.json").read_text(encoding="utf-8"))


def test_noise_zero_answers_exactly_the_gold_in_the_chunk_in_document_order() -> None:
    text = seed_text(SEED)[:3000]
    answer = RealisticResponder([SEED_GOLD], noise=0)(chunk_request(text))
    want = [m for m in SEED_GOLD["metrics"] if m["quote"] in text]
    assert sorted((m["value"], m["quote"]) for m in answer["metrics"]) == sorted((m["value"], m["quote"]) for m in want)
    starts = [text.find(m["quote"]) for m in answer["metrics"]]
    assert starts == sorted(starts) and set(answer) == {"review", "metrics"}


def test_answers_are_seeded_and_reproducible() -> None:
    text = seed_text(SEED)[:3000]
    a = RealisticResponder([SEED_GOLD], noise=0.7, seed=3)(chunk_request(text))
    b = RealisticResponder([SEED_GOLD], noise=0.7, seed=3)(chunk_request(text))
    c = RealisticResponder([SEED_GOLD], noise=0.7, seed=4)(chunk_request(text))
    assert json.dumps(a, ensure_ascii=False, default=str) == json.dumps(b, ensure_ascii=False, default=str)
    assert json.dumps(a, ensure_ascii=False, default=str) != json.dumps(c, ensure_ascii=False, default=str)


def test_every_noise_kind_occurs_over_the_gold_documents() -> None:
    responder = RealisticResponder(ALL_GOLD, noise=1.0, seed=1)
    texts = [seed_text(p.stem) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("c*.txt"))
              if "gbk" not in p.name and not p.name.endswith(".source.txt")]
    for text in texts:
        for start in range(0, len(text), 1500):
            piece = text[start : start + 1500]
            for mode in ("tools", "json"):
                responder(chunk_request(piece, mode=mode))
    assert set(NOISE_KINDS) <= set(responder.applied), set(NOISE_KINDS) - set(responder.applied)


def test_json_modes_get_text_envelopes_and_tools_mode_never_does() -> None:
    text = seed_text(SEED)[:3000]
    tools = [RealisticResponder([SEED_GOLD], noise=1.0, seed=s)(chunk_request(text)) for s in range(30)]
    texts = [RealisticResponder([SEED_GOLD], noise=1.0, seed=s)(chunk_request(text, mode="json")) for s in range(30)]
    replies = [t.then if isinstance(t, Fault) else t for t in tools]
    assert not any(isinstance(r, str) and ("```" in r or "<think>" in r) for r in replies)
    bodies = [t.then if isinstance(t, Fault) else t for t in texts]
    assert any("```json" in b for b in bodies) and any(b.startswith("<think>") for b in bodies)
    cut = [t for t in tools + texts if isinstance(t, Fault)]
    assert cut and all(t.finish_reason == "length" for t in cut)


def test_a_reask_is_answered_with_less_noise() -> None:
    text = seed_text(SEED)[:3000]
    first = RealisticResponder([SEED_GOLD], noise=1.0, seed=2)
    again = RealisticResponder([SEED_GOLD], noise=1.0, seed=2)
    first(chunk_request(text))
    reask = chunk_request(text)
    reask.body["messages"] += [{"role": "assistant", "content": "{}"}, {"role": "user", "content": "请改正"}]
    again(reask)
    assert sum(again.applied.values()) < sum(first.applied.values())


def test_a_targeted_reask_gets_only_the_listed_entries() -> None:
    text = seed_text(SEED)[:3000]
    gold = [m for m in SEED_GOLD["metrics"] if m["quote"] in text]
    listed = [{"list": "metrics", **gold[1], "value": gold[1]["value"] * 1e8, "error": "value 不在 quote 中"},
              {"list": "metrics", "name": "编的", "value": 1.0, "quote": "不存在的原文", "error": "不在原文中"}]
    prompt = ("【需要改正的条目】\n" + json.dumps(listed, ensure_ascii=False) + "\n\n" + CHUNK_PROMPT.format(text=text))
    request = chunk_request(text, messages=[{"role": "system", "content": "抽取"}, {"role": "user", "content": prompt}])
    answer = RealisticResponder([SEED_GOLD], noise=0)(request)
    assert [m["quote"] for m in answer["metrics"]] == [gold[1]["quote"]]


def test_noise_must_be_between_zero_and_one() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        RealisticResponder([], noise=1.5)
