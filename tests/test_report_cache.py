"""The report cache: an unchanged re-run reads the checked report back; failed calls are recorded and replayed."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reportkit import api, report_cache
from reportkit.cli import app
from reportkit.document import Document
from reportkit.errors import CacheMissError, ConfigError, ExtractionError, InputError
from reportkit.llm.cache import cache_info, clear, export, import_
from reportkit.schema import Report
from reportkit.settings import Settings
from reportkit.testing import Fault, FakeOpenAI, RealisticResponder, RecordedRequest

from conftest import SEEDS, gold_for

SEED = SEEDS / "000_0905f6282178ee7a.txt"
COUNTERS = {"calls", "cache_hits", "input_tokens", "output_tokens", "retries", "seconds", "report_cache"}
runner = CliRunner()


def same(a: Report, b: Report) -> bool:
    """Equal reports apart from what ``run``'s counters say about the run itself."""
    drop: Any = {"run": COUNTERS}
    return a.model_dump(exclude=drop) == b.model_dump(exclude=drop)


def rules_settings(tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(cache_dir=tmp_path / "cache", **overrides)


# --- the offline engine ------------------------------------------------------------------------------


def test_rules_rerun_is_read_back_and_equal(tmp_path: Path) -> None:
    s = rules_settings(tmp_path)
    first = api.summarize(SEED, engine="rules", settings=s)
    again = api.summarize(SEED, engine="rules", settings=s)
    assert not first.run.report_cache and again.run.report_cache
    assert again.model_dump(exclude={"run": {"seconds", "report_cache"}}) == first.model_dump(exclude={"run": {"seconds", "report_cache"}})
    assert cache_info(s.cache_dir)["reports"] == 1


def test_the_same_bytes_under_another_name_are_a_hit_named_as_given(tmp_path: Path) -> None:
    s = rules_settings(tmp_path)
    first = api.summarize(SEED, engine="rules", settings=s)
    copy = tmp_path / "renamed.txt"
    shutil.copyfile(SEED, copy)
    again = api.summarize(copy, engine="rules", settings=s)
    assert again.run.report_cache and again.meta.source == str(copy)
    assert again.meta.source_sha256 == first.meta.source_sha256
    assert again.model_dump(exclude={"meta": {"source"}, "run": COUNTERS}) == first.model_dump(exclude={"meta": {"source"}, "run": COUNTERS})


def test_changed_bytes_or_another_suffix_are_a_miss(tmp_path: Path) -> None:
    s = rules_settings(tmp_path)
    edited = tmp_path / "edited.txt"
    edited.write_bytes(SEED.read_bytes())
    api.summarize(edited, engine="rules", settings=s)
    edited.write_bytes(SEED.read_bytes() + "\n补充：新增就业岗位320个。\n".encode("utf-8"))
    again = api.summarize(edited, engine="rules", settings=s)
    assert not again.run.report_cache
    as_md = tmp_path / "edited.md"
    as_md.write_bytes(edited.read_bytes())
    assert report_cache.lookup(as_md, "rules", s).key != report_cache.lookup(edited, "rules", s).key


def test_an_in_memory_document_is_keyed_on_its_text(tmp_path: Path) -> None:
    s = rules_settings(tmp_path)
    text = SEED.read_text(encoding="utf-8")
    api.summarize(Document.from_text(text, "a"), engine="rules", settings=s)
    assert api.summarize(Document.from_text(text, "a"), engine="rules", settings=s).run.report_cache
    assert not api.summarize(Document.from_text(text + "。", "a"), engine="rules", settings=s).run.report_cache


def _digests_after(edit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[str, str]]:
    """(before, after) code digest of each engine around appending a comment to the module file ``edit``."""
    package = tmp_path / "pkg"
    shutil.copytree(Path(report_cache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(report_cache, "_PACKAGE", package)
    report_cache.code_digest.cache_clear()
    try:
        before = {e: report_cache.code_digest(e) for e in ("rules", "llm")}
        target = package / edit
        target.write_text(target.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
        report_cache.code_digest.cache_clear()
        return {e: (before[e], report_cache.code_digest(e)) for e in ("rules", "llm")}
    finally:
        report_cache.code_digest.cache_clear()


@pytest.mark.parametrize("edit", ["cli.py", "review_page.py", "rendering.py", "exports.py", "batch.py", "llm/cache.py"])
def test_an_edit_that_cannot_change_a_report_keeps_the_cache(edit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for engine, (before, after) in _digests_after(edit, tmp_path, monkeypatch).items():
        assert before == after, f"an edit to {edit} invalidated every cached {engine} report"


@pytest.mark.parametrize("edit", ["check/_judge.py", "segmenting.py", "numbers.py", "lexicon.py", "loading.py", "data/indicators.json"])
def test_an_edit_to_what_decides_a_report_invalidates(edit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for engine, (before, after) in _digests_after(edit, tmp_path, monkeypatch).items():
        assert before != after, f"an edit to {edit} kept the cached {engine} reports"


def test_an_edit_to_the_llm_engine_keeps_the_offline_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    digests = _digests_after("llm/engine.py", tmp_path, monkeypatch)
    assert digests["rules"][0] == digests["rules"][1] and digests["llm"][0] != digests["llm"][1]
    assert digests["rules"][0] != digests["llm"][0]


def test_the_key_holds_the_installed_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an upgraded release ships other code under another version: its reports are made again
    s = rules_settings(tmp_path)
    now = report_cache.lookup(SEED, "rules", s).key
    monkeypatch.setattr(report_cache, "package_version", lambda: "99.0")
    assert report_cache.lookup(SEED, "rules", s).key != now


def test_a_cli_edit_keeps_the_cached_report_and_a_check_edit_makes_it_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(Path(report_cache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    s = rules_settings(tmp_path)
    monkeypatch.setattr(report_cache, "_PACKAGE", package)
    report_cache.code_digest.cache_clear()
    try:
        api.summarize(SEED, engine="rules", settings=s)
        (package / "cli.py").write_text((package / "cli.py").read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
        report_cache.code_digest.cache_clear()
        assert api.summarize(SEED, engine="rules", settings=s).run.report_cache
        judge = package / "check" / "_judge.py"
        judge.write_text(judge.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
        report_cache.code_digest.cache_clear()
        assert not api.summarize(SEED, engine="rules", settings=s).run.report_cache
    finally:
        report_cache.code_digest.cache_clear()


def test_the_key_moves_with_the_indicator_file(tmp_path: Path) -> None:
    vocabulary = tmp_path / "indicators.json"
    vocabulary.write_text('{"indicators": []}', encoding="utf-8")
    plain = report_cache.lookup(SEED, "rules", rules_settings(tmp_path)).key
    mine = report_cache.lookup(SEED, "rules", rules_settings(tmp_path, indicators=vocabulary)).key
    vocabulary.write_text('{"indicators": [], "note": "edited"}', encoding="utf-8")
    edited = report_cache.lookup(SEED, "rules", rules_settings(tmp_path, indicators=vocabulary)).key
    assert len({plain, mine, edited}) == 3


@pytest.mark.parametrize("policy, read, written", [("use", True, True), ("refresh", False, True), ("replay", True, False)])
def test_policies(policy: str, read: bool, written: bool, tmp_path: Path) -> None:
    api.summarize(SEED, engine="rules", settings=rules_settings(tmp_path))
    other = tmp_path / "other.txt"
    other.write_bytes(SEED.read_bytes() + b"\n")
    s = rules_settings(tmp_path, cache=policy)
    assert api.summarize(SEED, engine="rules", settings=s).run.report_cache is read
    api.summarize(other, engine="rules", settings=s)
    assert (cache_info(s.cache_dir)["reports"] == 2) is written


def test_off_creates_no_cache(tmp_path: Path) -> None:
    s = rules_settings(tmp_path, cache="off")
    api.summarize(SEED, engine="rules", settings=s)
    assert not api.summarize(SEED, engine="rules", settings=s).run.report_cache
    assert not s.cache_dir.exists()


def test_rules_default_settings_cache_in_the_environment_folder(tmp_path: Path) -> None:
    api.summarize(SEED, engine="rules")
    assert api.summarize(SEED, engine="rules").run.report_cache
    assert cache_info(tmp_path / "cache")["reports"] == 1  # conftest's REPORTKIT_CACHE_DIR


# --- integrity -----------------------------------------------------------------------------------------


def test_a_tampered_record_is_ignored_and_the_report_made_again(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    s = rules_settings(tmp_path)
    first = api.summarize(SEED, engine="rules", settings=s)
    where = report_cache.lookup(SEED, "rules", s)
    import diskcache

    store = diskcache.Cache(str(s.cache_dir))
    record = json.loads(store[where.key])
    record["report"] = record["report"].replace(first.metrics[0].value_text, "999", 1)
    store[where.key] = json.dumps(record, ensure_ascii=False)
    store.close()
    again = api.summarize(SEED, engine="rules", settings=s)
    assert not again.run.report_cache and same(again, first)
    assert "report_sha256" in caplog.text


def test_import_refuses_an_edited_report(tmp_path: Path) -> None:
    s = rules_settings(tmp_path)
    api.summarize(SEED, engine="rules", settings=s)
    dump = tmp_path / "dump.jsonl"
    assert export(s.cache_dir, dump) == 1
    line = json.loads(dump.read_text(encoding="utf-8"))
    line["record"]["report"] = line["record"]["report"].replace('"overview":"', '"overview":"edited ', 1)
    dump.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="report_sha256"):
        import_(tmp_path / "elsewhere", dump)


def test_a_damaged_database_is_a_config_error_for_the_llm_and_skipped_offline(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    s = rules_settings(tmp_path)
    s.cache_dir.mkdir(parents=True)
    (s.cache_dir / "cache.db").write_bytes(b"this is not a database" * 100)
    report = api.summarize(SEED, engine="rules", settings=s)
    assert report.metrics and "not used" in caplog.text
    with pytest.raises(ConfigError, match="cache clear"):
        api.summarize(SEED, engine="llm", settings=Settings(model="m", base_url="http://127.0.0.1:9/v1",
                                                                 api_key="k", cache_dir=s.cache_dir))
    assert clear(s.cache_dir) == 0 and not (s.cache_dir / "cache.db").exists()


# --- the LLM engine, with failing calls ------------------------------------------------------------------


class Faulty:
    """Realistic answers, except HTTP 500 on every attempt for the parts that hold ``marker``."""

    def __init__(self, marker: str) -> None:
        self.inner = RealisticResponder([gold_for(SEED.stem)], noise=0.3, seed=1)
        self.marker = marker
        self.failed = 0
        self._lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> Any:
        schema = json.dumps([request.body.get(k) for k in ("tools", "response_format")], ensure_ascii=False)
        if self.marker in request.user_text and '"overview"' not in schema:
            with self._lock:
                self.failed += 1
            return Fault(status=500)
        return self.inner(request)


def llm_settings(base_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"model": "fake-model", "base_url": base_url, "api_key": "sk-test-secret-0000",
                              "cache_dir": tmp_path / "cache", "transport_retries": 0, "chunk_chars": 1500}
    return Settings(**{**values, **overrides})


@pytest.fixture
def faulty_run(tmp_path: Path) -> dict[str, Any]:
    """A first run of the seed in several calls, of which those reading its problems section fail."""
    responder = Faulty("存在")
    with FakeOpenAI(responder=responder) as srv:
        s = llm_settings(srv.base_url, tmp_path)
        first = api.summarize(SEED, engine="llm", settings=s)
        sent = len(srv.requests)
        again = api.summarize(SEED, engine="llm", settings=s)
        out = {"first": first, "sent": sent, "again": again, "rerun_requests": len(srv.requests) - sent,
               "failed": responder.failed, "base_url": srv.base_url, "srv_requests": list(srv.requests)}
    return out


def test_a_rerun_with_failures_sends_nothing_and_says_where_it_came_from(faulty_run: dict[str, Any]) -> None:
    first, again = faulty_run["first"], faulty_run["again"]
    assert any(f.stage == "extraction" and f.error_type for f in first.run.failures), "the fixture must fail a call"
    assert first.run.calls == faulty_run["sent"] > faulty_run["failed"] > 0
    assert faulty_run["rerun_requests"] == 0
    assert again.run.report_cache and again.run.calls == 0 and again.run.input_tokens == 0
    assert again.run.cache_hits == first.run.calls + first.run.cache_hits
    assert again.run.failures == first.run.failures and same(again, first)


def test_replay_reproduces_a_run_with_failures_from_its_responses(faulty_run: dict[str, Any], tmp_path: Path) -> None:
    first = faulty_run["first"]
    s = llm_settings(faulty_run["base_url"], tmp_path, cache="replay")  # the server is stopped: nothing can be sent
    assert api.summarize(SEED, engine="llm", settings=s).run.report_cache
    assert report_cache.clear_reports(s.cache_dir) == 1
    info = cache_info(s.cache_dir)
    assert info["reports"] == 0 and info["failures"] >= 1 and info["responses"] >= 1
    replayed = api.summarize(SEED, engine="llm", settings=s)  # rebuilt and checked from the recorded calls
    assert not replayed.run.report_cache and replayed.run.calls == 0
    assert replayed.run.failures == first.run.failures and same(replayed, first)


def test_under_use_a_recorded_failure_is_never_served_as_an_answer(tmp_path: Path) -> None:
    responder = Faulty("存在")
    with FakeOpenAI(responder=responder) as srv:
        s = llm_settings(srv.base_url, tmp_path)
        first = api.summarize(SEED, engine="llm", settings=s)
        recorded = cache_info(s.cache_dir)["failures"]
        report_cache.clear_reports(s.cache_dir)  # the report goes; the answers and failures stay
        failed_before, before = responder.failed, len(srv.requests)
        again = api.summarize(SEED, engine="llm", settings=s)
        asked = len(srv.requests) - before
    assert recorded >= 1 and asked == responder.failed - failed_before >= recorded  # only failed calls, asked again
    assert again.run.calls == asked and again.run.cache_hits >= 1
    assert again.run.failures == first.run.failures and same(again, first)


def test_only_the_failed_calls_are_asked_again_after_clear_failures(tmp_path: Path) -> None:
    responder = Faulty("存在")
    with FakeOpenAI(responder=responder) as srv:
        s = llm_settings(srv.base_url, tmp_path)
        first = api.summarize(SEED, engine="llm", settings=s)
        failed_calls = cache_info(s.cache_dir)["failures"]
        assert failed_calls >= 1 and first.run.failures
        clear(s.cache_dir, only="failures")
        responder.marker = "no such text"  # the endpoint recovers
        before = len(srv.requests)
        healed = api.summarize(SEED, engine="llm", settings=s)
        asked = len(srv.requests) - before
    assert not healed.run.report_cache and healed.run.cache_hits >= 1
    assert healed.run.calls == asked and asked >= failed_calls
    assert asked < first.run.calls  # the calls that had answered were read from the cache
    assert not [f for f in healed.run.failures if f.stage == "extraction"]
    assert cache_info(s.cache_dir)["failures"] == 0


def test_a_document_with_no_report_is_asked_again_under_use_and_replayed_as_the_same_error(tmp_path: Path) -> None:
    with FakeOpenAI(responder=lambda request: Fault(status=500)) as srv:
        s = llm_settings(srv.base_url, tmp_path, chunk_chars=4000)
        with pytest.raises(ExtractionError) as first:
            api.summarize(SEED, engine="llm", settings=s)
        sent = len(srv.requests)
        with pytest.raises(ExtractionError):
            api.summarize(SEED, engine="llm", settings=s)
        assert len(srv.requests) == 2 * sent  # an error is not a result: asked again
        with pytest.raises(ExtractionError) as replayed:
            api.summarize(SEED, engine="llm", settings=s.model_copy(update={"cache": "replay"}))
        assert len(srv.requests) == 2 * sent
    assert not isinstance(replayed.value, CacheMissError)
    assert str(replayed.value) == str(first.value)


def test_recorded_failures_hold_no_secret(faulty_run: dict[str, Any], tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    export(tmp_path / "cache", dump)
    text = dump.read_text(encoding="utf-8")
    records = [json.loads(line)["record"] for line in text.splitlines()]
    failures = [r for r in records if r.get("failure")]
    assert failures and all(r["failure"]["error_type"] and r["failure"]["message"] for r in failures)
    assert "sk-test-secret-0000" not in text


def test_the_key_ignores_runtime_knobs_and_the_key_but_not_the_model(tmp_path: Path) -> None:
    base = llm_settings("http://127.0.0.1:9/v1", tmp_path)
    key = report_cache.lookup(SEED, "llm", base).key
    same_answer = [{"api_key": "sk-other-key-1111"}, {"concurrency": 2}, {"timeout": 5.0}, {"deadline": 9.0},
                   {"transport_retries": 3}, {"cache": "replay"}, {"cache_dir": tmp_path / "x"}]
    for change in same_answer:
        assert report_cache.lookup(SEED, "llm", base.model_copy(update=change)).key == key, change
    other_answer = [{"model": "other"}, {"temperature": 0.5}, {"seed": 7}, {"max_tokens": 100}, {"chunk_chars": 3000},
                    {"chunk_overlap": 10}, {"mode": "json"}, {"reasks": 0}, {"base_url": "http://127.0.0.1:10/v1"}]
    for change in other_answer:
        assert report_cache.lookup(SEED, "llm", base.model_copy(update=change)).key != key, change
    assert report_cache.lookup(SEED, "rules", base).key != key
    assert "sk-" not in json.dumps(report_cache.lookup(SEED, "llm", base).fields)


# --- the command line -------------------------------------------------------------------------------------


def test_cli_info_and_clear_name_the_reports(tmp_path: Path) -> None:
    s = rules_settings(tmp_path)
    api.summarize(SEED, engine="rules", settings=s)
    info = runner.invoke(app, ["cache", "info", "--cache-dir", str(s.cache_dir)])
    assert "0 response(s), 0 recorded failure(s), 1 report(s)" in info.output
    assert "removed 1 report(s)" in runner.invoke(app, ["cache", "clear", "--reports", "--cache-dir", str(s.cache_dir)]).output
    both = runner.invoke(app, ["cache", "clear", "--reports", "--failures", "--cache-dir", str(s.cache_dir)])
    assert both.exit_code == 2 and "give one" in both.output


def test_a_change_to_a_prompt_template_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reportkit.resources as resources

    folder = tmp_path / "prompts"
    shutil.copytree(resources.resource_dir("prompts"), folder)
    monkeypatch.setattr(resources, "resource_dir", lambda name: folder if name == "prompts" else tmp_path)
    s = llm_settings("http://127.0.0.1:9/v1", tmp_path)
    report_cache.templates_digest.cache_clear()
    try:
        before = report_cache.lookup(SEED, "llm", s).key
        template = sorted(folder.glob("*.j2"))[0]
        template.write_text(template.read_text(encoding="utf-8") + "\n请仔细核对。", encoding="utf-8")
        report_cache.templates_digest.cache_clear()
        after = report_cache.lookup(SEED, "llm", s).key
    finally:
        report_cache.templates_digest.cache_clear()
    assert before != after


@pytest.mark.parametrize("given", [{}, {"base_url": "http://127.0.0.1:8/v1"}, {"provider": "deepseek"}, {"client": True}])
def test_the_endpoint_in_the_key_is_the_one_the_client_calls(given: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit.llm.client import endpoint_url

    class Client:
        base_url = "https://gateway.example/v1/"

    client = Client() if given.pop("client", False) else None
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:7/v1")
    s = Settings(model="m", **given)
    assert report_cache.endpoint_url(s, client) == endpoint_url(s, client)
    monkeypatch.delenv("OPENAI_BASE_URL")
    assert report_cache.endpoint_url(s, client) == endpoint_url(s, client)


def test_the_input_limit_in_force_holds_for_a_cached_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = rules_settings(tmp_path)
    api.summarize(SEED, engine="rules", settings=s)
    monkeypatch.setenv("REPORTKIT_MAX_INPUT_CHARS", "1000")
    with pytest.raises(InputError, match="more than the limit of 1,000"):
        api.summarize(SEED, engine="rules", settings=s)
    monkeypatch.setenv("REPORTKIT_MAX_INPUT_CHARS", "lots")
    with pytest.raises(ConfigError, match="REPORTKIT_MAX_INPUT_CHARS"):
        api.summarize(SEED, engine="rules", settings=s)
    monkeypatch.delenv("REPORTKIT_MAX_INPUT_CHARS")
    assert api.summarize(SEED, engine="rules", settings=s).run.report_cache
