"""Tests of the response cache: keys, policies, replay, maintenance, and zero-request re-runs."""

from __future__ import annotations

import json
import re
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from reportkit import api
from reportkit.llm import cache as caching
from reportkit.llm import client as llm
from reportkit.llm import engine as extraction
from reportkit.llm.cache import ResponseCache, cache_info, cache_key, clear, endpoint_host, export, import_
from reportkit.document import Document
from reportkit.errors import CacheMissError, ConfigError, InputError
from reportkit.llm.prompts import ChunkExtraction, load_prompts
from reportkit.resources import resource_dir
from reportkit.settings import Settings
from reportkit.testing import FakeOpenAI, RecordedRequest

from conftest import MINI as _MINI  # noqa: E402  (the shared small report)
# each section padded to a call of its own at chunk_chars=200 (a short report is packed into one call)
_PAD = "深入开展调查研究，持续推进各项工作落地见效。"
MINI = _MINI.replace("1200户。\n", "1200户。" + _PAD * 5 + "\n").replace("仍有短板。\n", "仍有短板。" + _PAD * 6 + "\n") \
    .replace("口袋公园3个。\n", "口袋公园3个。" + _PAD * 6 + "\n")
CHUNK = re.compile(r"【原文开始】\n(.*)\n【原文结束】", re.S)
ANSWERS = {
    "review": {"review": [{"title": "经济", "quote": "街道实现地区生产总值134.2亿元"}],
               "metrics": [{"name": "地区生产总值", "value": 134.2, "unit": "亿元", "kind": "actual", "period": "2023",
                            "quote": "街道实现地区生产总值134.2亿元"}]},
    "problems": {"problems": [{"title": "增长乏力", "quote": "一是经济增长不够有力,规上企业产值增长乏力"}]},
    "plans": {"plans": [{"title": "稳增长", "quote": "力争地区生产总值增长6%"}],
              "metrics": [{"name": "地区生产总值比增", "value": 6, "unit": "%", "kind": "target", "period": "2024",
                           "quote": "力争地区生产总值增长6%"}]},
}
OVERVIEW = {"overview": "街道经济平稳增长。", "meta": {"report_year": 2023, "doc_type": "summary_and_plan"}}


def respond(request: RecordedRequest) -> Any:
    found = CHUNK.search(request.user_text)
    if found is None:
        return OVERVIEW
    text = found.group(1)
    return ANSWERS["problems" if "存在问题" in text else "plans" if "工作计划" in text else "review"]


@pytest.fixture
def doc() -> Document:
    return api._as_document(Document.from_text(MINI, "mini.txt"))


@pytest.fixture
def srv():
    with FakeOpenAI(responder=respond) as server:
        yield server


def settings_for(srv: FakeOpenAI, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"model": "fake-model", "base_url": srv.base_url, "api_key": "test", "cache_dir": tmp_path / "cache",
                              "chunk_chars": 200}
    return Settings(**{**values, **overrides})


# --- re-runs ---------------------------------------------------------------------------------------


def test_rerun_makes_zero_requests_and_the_same_report(srv: FakeOpenAI, doc: Document, tmp_path: Path) -> None:
    s = settings_for(srv, tmp_path)
    first = extraction.extract_report(doc, settings=s)
    sent = len(srv.requests)
    assert sent == 4 and first.run.calls == 4 and first.run.cache_hits == 0
    again = extraction.extract_report(doc, settings=s)
    assert len(srv.requests) == sent
    assert again.run.calls == 0 and again.run.cache_hits == 4
    assert again.run.input_tokens == 0 and again.run.prompt_version == first.run.prompt_version
    assert again.model_dump(exclude={"run"}) == first.model_dump(exclude={"run"})


def test_rerun_through_summarize_is_identical(srv: FakeOpenAI, doc: Document, tmp_path: Path) -> None:
    s = settings_for(srv, tmp_path)
    first = api.summarize(doc, engine="llm", settings=s)
    again = api.summarize(doc, engine="llm", settings=s)
    assert again.run.calls == 0
    assert again.model_dump(exclude={"run"}) == first.model_dump(exclude={"run"})


def test_cache_defaults_to_the_environment_directory(srv: FakeOpenAI, doc: Document, tmp_path: Path) -> None:
    s = Settings.from_env(model="fake-model", base_url=srv.base_url, api_key="test", chunk_chars=200)
    assert s.cache_dir == tmp_path / "cache"  # conftest points REPORTKIT_CACHE_DIR here
    extraction.extract_report(doc, settings=s)
    assert cache_info(tmp_path / "cache")["entries"] == 4


def test_stored_record_has_the_raw_completion_and_no_key(srv: FakeOpenAI, doc: Document, tmp_path: Path) -> None:
    extraction.extract_report(doc, settings=settings_for(srv, tmp_path, api_key="sk-secret-123"))
    out = tmp_path / "export.jsonl"
    assert export(tmp_path / "cache", out) == 4
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(re.fullmatch(r"[0-9a-f]{64}", line["key"]) for line in lines)
    record = next(line["record"] for line in lines if line["record"]["call"] == "chunk" and line["record"]["result"].get("review"))
    assert record["completion"]["object"] == "chat.completion" and record["completion"]["usage"]["prompt_tokens"] > 0
    assert record["result"]["metrics"][0]["value"] == 134.2
    assert record["key_fields"]["model"] == "fake-model" and record["key_fields"]["endpoint"].startswith("127.0.0.1:")
    raw = b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert b"sk-secret-123" not in raw and "sk-secret-123" not in out.read_text(encoding="utf-8")


# --- what the key depends on -------------------------------------------------------------------------


def requests_on_rerun(srv: FakeOpenAI, doc: Document, tmp_path: Path, **changed: Any) -> int:
    """Requests a second run makes after ``changed`` (a one-chunk document: a chunk call and the overview)."""
    one = api._as_document(Document.from_text(MINI[MINI.index("一、") : MINI.index("二、")], "one.txt"))
    extraction.extract_report(one, settings=settings_for(srv, tmp_path))
    before = len(srv.requests)
    extraction.extract_report(one, settings=settings_for(srv, tmp_path, **changed))
    return len(srv.requests) - before


@pytest.mark.parametrize(
    "changed",
    [{"model": "other-model"}, {"temperature": 0.7}, {"seed": 7}, {"max_tokens": 1000}, {"mode": "json_schema"}],
    ids=["model", "temperature", "seed", "max_tokens", "mode"],
)
def test_key_changes_with_what_decides_the_answer(changed: dict, srv: FakeOpenAI, doc: Document, tmp_path: Path) -> None:
    assert requests_on_rerun(srv, doc, tmp_path, **changed) == 2


@pytest.mark.parametrize("changed", [{"api_key": "another-key"}, {"concurrency": 1, "timeout": 9.0, "reasks": 0}])
def test_key_ignores_the_api_key_and_runtime_knobs(changed: dict, srv: FakeOpenAI, doc: Document, tmp_path: Path) -> None:
    assert requests_on_rerun(srv, doc, tmp_path, **changed) == 0


def test_key_changes_with_the_prompt_text(srv: FakeOpenAI, doc: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extraction.extract_report(doc, settings=settings_for(srv, tmp_path))
    folder = tmp_path / "prompts"
    shutil.copytree(resource_dir("prompts"), folder)
    chunk_template = folder / "chunk.j2"
    chunk_template.write_text(chunk_template.read_text(encoding="utf-8") + "\n请仔细核对。", encoding="utf-8")
    monkeypatch.setattr(extraction, "load_prompts", lambda: load_prompts(str(folder)))
    before = len(srv.requests)
    report = extraction.extract_report(doc, settings=settings_for(srv, tmp_path))
    assert len(srv.requests) - before == 3  # the three chunk calls; the overview template is unchanged
    assert report.run.cache_hits == 1


def test_key_changes_with_the_response_schema(srv: FakeOpenAI, doc: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extraction.extract_report(doc, settings=settings_for(srv, tmp_path))

    class ChunkExtraction2(ChunkExtraction):
        """原文各段的抽取结果（新版）。"""

    real = extraction.response_model_for
    monkeypatch.setattr(extraction, "response_model_for", lambda s="other", whole=False: real(s, whole=whole) if whole else ChunkExtraction2)
    before = len(srv.requests)
    extraction.extract_report(doc, settings=settings_for(srv, tmp_path))
    assert len(srv.requests) - before == 3  # every chunk call uses the one response model


def test_key_ignores_the_chunk_position_but_not_its_text(srv: FakeOpenAI, tmp_path: Path) -> None:
    s = settings_for(srv, tmp_path)
    extraction.extract_report(api._as_document(Document.from_text(MINI, "a.txt")), settings=s)
    before = len(srv.requests)
    moved = "\n\n" + MINI  # every offset shifts, the chunk texts stay
    report = extraction.extract_report(api._as_document(Document.from_text(moved, "b.txt")), settings=s)
    assert report.run.cache_hits == 4 and len(srv.requests) == before
    assert report.metrics[0].span[0] == 2 + MINI.index("街道实现")
    changed = MINI.replace("新增市场主体1200户", "新增市场主体1300户")
    extraction.extract_report(api._as_document(Document.from_text(changed, "c.txt")), settings=s)
    assert len(srv.requests) - before == 2  # the chunk whose text changed, and the overview (its header changed)


def test_cache_key_refuses_secrets_and_is_canonical() -> None:
    with pytest.raises(ValueError):
        cache_key({"model": "m", "api_key": "sk"})
    assert cache_key({"a": 1, "b": [1, 2]}) == cache_key({"b": [1, 2], "a": 1})
    assert cache_key({"a": 1}) != cache_key({"a": 2})


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://user:secret@api.deepseek.com/v1?key=x#f", "api.deepseek.com/v1"),
        ("http://127.0.0.1:8080/v1/", "127.0.0.1:8080/v1"),
        ("https://DashScope.aliyuncs.com/compatible-mode/v1", "dashscope.aliyuncs.com/compatible-mode/v1"),
        (None, ""),
    ],
)
def test_endpoint_host_drops_secrets(url: str | None, host: str) -> None:
    assert endpoint_host(url) == host


# --- policies --------------------------------------------------------------------------------------


def test_refresh_asks_again_and_overwrites(srv: FakeOpenAI, doc: Document, tmp_path: Path) -> None:
    assert requests_on_rerun(srv, doc, tmp_path, cache="refresh") == 2
    assert cache_info(tmp_path / "cache")["entries"] == 2


def test_off_neither_reads_nor_writes(srv: FakeOpenAI, doc: Document, tmp_path: Path) -> None:
    s = settings_for(srv, tmp_path, cache="off")
    extraction.extract_report(doc, settings=s)
    extraction.extract_report(doc, settings=s)
    assert len(srv.requests) == 8
    assert not (tmp_path / "cache").exists()


def test_replay_hit_works_with_the_server_stopped(doc: Document, tmp_path: Path) -> None:
    with FakeOpenAI(responder=respond) as server:
        first = extraction.extract_report(doc, settings=settings_for(server, tmp_path))
        replay = settings_for(server, tmp_path, cache="replay")
    again = extraction.extract_report(doc, settings=replay)
    assert again.run.calls == 0 and again.run.cache_hits == 4
    assert again.model_dump(exclude={"run"}) == first.model_dump(exclude={"run"})


def test_replay_miss_raises_naming_the_chunk_and_sends_nothing(srv: FakeOpenAI, doc: Document, tmp_path: Path) -> None:
    with pytest.raises(CacheMissError) as caught:
        extraction.extract_report(doc, settings=settings_for(srv, tmp_path, cache="replay"))
    assert srv.requests == []
    assert caught.value.chunk_id.startswith("00-") and caught.value.chunk_id in str(caught.value)
    assert "cache='use'" in str(caught.value)


def test_replay_of_a_partly_cached_document_sends_nothing(srv: FakeOpenAI, tmp_path: Path) -> None:
    extraction.extract_report(api._as_document(Document.from_text(MINI, "a.txt")), settings=settings_for(srv, tmp_path))
    before = len(srv.requests)
    changed = api._as_document(Document.from_text(MINI.replace("新建口袋公园3个", "新建口袋公园4个"), "b.txt"))
    with pytest.raises(CacheMissError) as caught:
        extraction.extract_report(changed, settings=settings_for(srv, tmp_path, cache="replay"))
    assert len(srv.requests) == before and caught.value.chunk_id.startswith("02-")


def test_a_recorded_failure_is_asked_again_under_use(doc: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit.testing import Fault

    monkeypatch.setattr(llm, "BACKOFF_BASE", 0.01)
    calls = {"n": 0}
    lock = threading.Lock()

    def flaky(request: RecordedRequest) -> Any:
        with lock:
            calls["n"] += 1
        text = (CHUNK.search(request.user_text) or [None, ""])[1] or ""
        return Fault(status=500) if "存在问题" in text else respond(request)

    with FakeOpenAI(responder=flaky) as server:
        s = settings_for(server, tmp_path, transport_retries=0)
        first = extraction.extract_report(doc, settings=s)
        assert [f.stage for f in first.run.failures] == ["extraction"]
        before = len(server.requests)
        again = extraction.extract_report(doc, settings=s)
        assert len(server.requests) - before == 1  # only the failed chunk is asked again
        assert again.run.cache_hits == 3


def test_a_cached_answer_that_no_longer_validates_is_asked_again(srv: FakeOpenAI, doc: Document, tmp_path: Path) -> None:
    s = settings_for(srv, tmp_path)
    extraction.extract_report(doc, settings=s)
    out, tampered = tmp_path / "export.jsonl", tmp_path / "tampered.jsonl"
    export(s.cache_dir, out)
    text = out.read_text(encoding="utf-8").replace('"value":134.2', '"value":999')
    tampered.write_text(text, encoding="utf-8")
    import_(s.cache_dir, tampered)
    before = len(srv.requests)
    report = extraction.extract_report(doc, settings=s)
    assert len(srv.requests) - before == 1 and report.metrics[0].value == 134.2


def test_unknown_policy_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        ResponseCache(tmp_path, "sometimes")


# --- maintenance functions -----------------------------------------------------------------------------


def test_info_clear_export_import_round_trip(srv: FakeOpenAI, doc: Document, tmp_path: Path) -> None:
    s = settings_for(srv, tmp_path)
    extraction.extract_report(doc, settings=s)
    info = cache_info(s.cache_dir)
    assert info["entries"] == 4 and info["bytes"] > 0 and info["path"] == str(s.cache_dir)
    dump = tmp_path / "dump.jsonl"
    assert export(s.cache_dir, dump) == 4
    assert clear(s.cache_dir) == 4 and cache_info(s.cache_dir)["entries"] == 0
    assert import_(s.cache_dir, dump) == 4
    before = len(srv.requests)
    extraction.extract_report(doc, settings=settings_for(srv, tmp_path, cache="replay"))
    assert len(srv.requests) == before
    elsewhere = tmp_path / "other-cache"
    assert import_(elsewhere, dump) == 4 and cache_info(elsewhere)["entries"] == 4


def test_maintenance_on_a_missing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here"
    assert cache_info(missing) == {"path": str(missing), "entries": 0, "bytes": 0, "responses": 0, "failures": 0,
                                   "reports": 0, "unreadable": 0}
    assert clear(missing) == 0
    assert export(missing, tmp_path / "empty.jsonl") == 0
    assert (tmp_path / "empty.jsonl").read_text() == ""
    assert not missing.exists()


def keyed(result: dict, **fields: str) -> tuple[str, dict]:
    """A key and a record that carries the key fields it is stored under, as the engine writes it."""
    key_fields = {"call": "overview", "model": "m", "endpoint": "e", "prompts": "p", "schema": "s", "messages": "x", **fields}
    return cache_key(key_fields), {"call": key_fields["call"], "key_fields": key_fields, "result": result}


@pytest.mark.parametrize("line", ["not json", '{"key": "abc", "record": {}}', '{"record": {}}', '{"key": "' + "a" * 64 + '", "record": 3}'])
def test_import_rejects_a_bad_file_and_imports_nothing(line: str, tmp_path: Path) -> None:
    key, record = keyed({})
    good = json.dumps({"key": key, "record": record})
    bad = tmp_path / "bad.jsonl"
    bad.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        import_(tmp_path / "cache", bad)
    assert cache_info(tmp_path / "cache")["entries"] == 0


def test_cache_store_is_json_text(tmp_path: Path) -> None:
    (k, record), (z, other) = keyed({"a": "数字"}), keyed({}, model="n")
    with ResponseCache(tmp_path / "c", "use") as cache:
        cache.put(k, record)
        assert cache.get(k)["result"] == {"a": "数字"}
        assert isinstance(cache._store.get(k), str)
    with ResponseCache(tmp_path / "c", "refresh") as cache:
        assert cache.get(k) is None
    with ResponseCache(tmp_path / "c", "replay") as cache:
        cache.put(z, other)
        assert cache.get(z) is None and cache.get(k) is not None


def test_caching_module_is_importable_without_the_sdks() -> None:
    assert caching.CACHE_FORMAT >= 1
