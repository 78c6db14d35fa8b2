"""The response cache in a real redis-server: shared across processes, with the disk cache's integrity checks.

The server is the one ``.ci/run`` starts (``REDIS_TEST_URL``), else one this module starts on a
free loopback port from ``redis-server`` on PATH, else the tests skip naming the package (with
``CI=true`` they fail instead). Select them with ``pytest -m redis``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, SEEDS, gold_for
from reportkit import api
from reportkit.errors import ConfigError
from reportkit.settings import Settings
from reportkit.testing import FakeOpenAI
from test_llm_engine import gold_responder

pytestmark = pytest.mark.redis

SEED = SEEDS / "004_5b82ad2be4bb2cbb.txt"  # the shortest seed: 2 chunk calls and the overview
PREFIX = "reportkit:response:"
# Runs one summary in a fresh interpreter and prints what the test compares.
CHILD = """
import json, sys
from reportkit import summarize
from reportkit.settings import Settings
base_url, cache_dir, cache_url, path = sys.argv[1:5]
settings = Settings(model="fake-model", base_url=base_url, api_key="sk-child-secret", cache_dir=cache_dir, cache_url=cache_url)
report = summarize(path, engine="llm", settings=settings)
print(json.dumps({"report": json.loads(report.model_dump_json(exclude={"run"})), "calls": report.run.calls,
                  "cache_hits": report.run.cache_hits}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    given = os.environ.get("REDIS_TEST_URL")
    if given:
        yield given
        return
    binary = shutil.which("redis-server")
    if binary is None:
        install = "apt-get install redis-server (Debian's package)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"redis-server not found and CI=true: the Redis cache must be tested in CI; {install}")
        pytest.skip(f"redis-server not installed: {install} to run the Redis cache tests (with CI=true this fails)")
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start on 127.0.0.1:{port}")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def redis_db(redis_url: str) -> Any:
    """A client on the test database, emptied before each test."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=gold_responder(gold_for(SEED.stem))) as srv:
        yield srv


def child(server: FakeOpenAI, cache_dir: Path, redis_url: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", CHILD, server.base_url, str(cache_dir), redis_url, str(SEED)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def stored(redis_db: Any) -> dict[str, dict[str, Any]]:
    return {name.decode()[len(PREFIX):]: json.loads(redis_db.get(name)) for name in redis_db.scan_iter(PREFIX + "*")}


def test_a_second_process_reuses_the_first_ones_answers(server: FakeOpenAI, redis_db: Any, redis_url: str, tmp_path: Path) -> None:
    first = child(server, tmp_path / "disk-a", redis_url)
    sent = len(server.requests)
    assert first["calls"] == sent > 0 and first["cache_hits"] == 0
    records = stored(redis_db)
    assert len(records) == sent + 1  # one record per answer and the finished report, under their keys, in Redis
    assert sum(r["call"] == "report" for r in records.values()) == 1
    second = child(server, tmp_path / "disk-b", redis_url)  # another process, another (empty) disk cache
    assert len(server.requests) == sent and second["calls"] == 0 and second["cache_hits"] == sent
    assert second["report"] == first["report"]
    assert not (tmp_path / "disk-a" / "cache.db").exists() and not (tmp_path / "disk-b" / "cache.db").exists()


def test_a_record_written_by_another_process_is_the_disk_caches_record(server: FakeOpenAI, redis_db: Any, redis_url: str,
                                                                       tmp_path: Path) -> None:
    from reportkit.llm.cache import ResponseCache, record_problem

    child(server, tmp_path / "unused", redis_url)
    records = stored(redis_db)
    disk = tmp_path / "disk"
    settings = Settings(model="fake-model", base_url=server.base_url, api_key="test", cache_dir=disk)
    sent = len(server.requests)
    api.summarize(SEED, engine="llm", settings=settings)  # the same requests, answered into the disk cache
    assert len(server.requests) == 2 * sent
    with ResponseCache(disk, "use") as on_disk, ResponseCache(disk, "use", url=redis_url) as in_redis:
        for key, record in records.items():
            assert record_problem(key, record) is None and "sk-child-secret" not in json.dumps(record)  # no API key stored
            if record["call"] == "report":
                continue
            from_disk, from_redis = on_disk.get(key), in_redis.get(key)
            assert from_disk is not None and from_redis is not None
            assert set(from_redis) == set(from_disk)  # the same record shape (completion ids differ per request)
            assert {k: from_redis[k] for k in ("call", "key_fields", "result")} == {k: from_disk[k] for k in ("call", "key_fields", "result")}


@pytest.mark.parametrize("damage", ["junk", "truncated", "not utf-8", "another request's answer"])
def test_a_corrupt_record_is_rejected_and_asked_again(damage: str, server: FakeOpenAI, redis_db: Any, redis_url: str,
                                                      tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(model="fake-model", base_url=server.base_url, api_key="test", cache_dir=tmp_path / "disk",
                        cache_url=redis_url)
    clean = api.summarize(SEED, engine="llm", settings=settings)
    records = stored(redis_db)
    for report_key in [k for k, r in records.items() if r["call"] == "report"]:
        redis_db.delete(PREFIX + report_key)  # so the re-run reads the answers, not the finished report
    chunk_keys = sorted(k for k, r in records.items() if r["call"] == "chunk")
    others = sorted(k for k, r in records.items() if r["call"] != "report" and k not in chunk_keys[:1])
    assert chunk_keys and others
    key, other = chunk_keys[0], others[0]
    raw = json.dumps(records[key], ensure_ascii=False)
    broken = {
        "junk": b"\x00\x13garbage{{",
        "truncated": raw[: len(raw) // 2].encode("utf-8"),
        "not utf-8": b"\xff\xfe" + raw.encode("utf-8"),
        "another request's answer": json.dumps(records[other]).encode("utf-8"),
    }[damage]
    redis_db.set(PREFIX + key, broken)
    sent = len(server.requests)
    with caplog.at_level("WARNING", logger="reportkit"):
        again = api.summarize(SEED, engine="llm", settings=settings)
    assert len(server.requests) - sent == 1 and again.run.calls == 1 and again.run.failures == []
    assert again.model_dump(exclude={"run"}) == clean.model_dump(exclude={"run"})
    assert f"record {key[:12]} ignored" in caplog.text
    from reportkit.llm.cache import record_problem

    assert record_problem(key, stored(redis_db)[key]) is None  # the fresh answer replaced the damaged record


def test_replay_from_redis_sends_nothing_and_a_miss_names_the_chunk(server: FakeOpenAI, redis_db: Any, redis_url: str,
                                                                    tmp_path: Path) -> None:
    from reportkit.errors import CacheMissError

    settings = Settings(model="fake-model", base_url=server.base_url, api_key="test", cache_dir=tmp_path / "disk",
                        cache_url=redis_url)
    clean = api.summarize(SEED, engine="llm", settings=settings)
    sent = len(server.requests)
    replayed = api.summarize(SEED, engine="llm", settings=settings.model_copy(update={"cache": "replay"}))
    assert len(server.requests) == sent and replayed.model_dump(exclude={"run"}) == clean.model_dump(exclude={"run"})
    redis_db.flushdb()
    with pytest.raises(CacheMissError, match="cache='replay'"):
        api.summarize(SEED, engine="llm", settings=settings.model_copy(update={"cache": "replay"}))
    assert len(server.requests) == sent


def test_cache_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTKIT_CACHE_URL", "redis://127.0.0.1:6390/2")
    assert Settings.from_env().cache_url == "redis://127.0.0.1:6390/2"


def test_an_unreachable_or_wrong_url_is_one_clear_error(tmp_path: Path) -> None:
    from reportkit.llm.cache import ResponseCache

    with pytest.raises(ConfigError, match=r"redis://:\*\*\*@127.0.0.1:9/0 failed .*start Redis there or fix REPORTKIT_CACHE_URL") as caught:
        ResponseCache(tmp_path, "use", url="redis://:hunter2@127.0.0.1:9/0")
    assert "hunter2" not in str(caught.value)
    with pytest.raises(ConfigError, match="is not a Redis URL"):
        ResponseCache(tmp_path, "use", url="http://127.0.0.1:6379/0")
    with ResponseCache(tmp_path, "off", url="redis://127.0.0.1:9/0") as off:  # off opens nothing
        assert off.get("0" * 64) is None


def test_the_cache_commands_work_on_redis_as_on_disk(server: FakeOpenAI, redis_db: Any, redis_url: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from reportkit.cli import app

    disk = tmp_path / "disk"
    settings = Settings(model="fake-model", base_url=server.base_url, api_key="test", cache_dir=disk, cache_url=redis_url)
    api.summarize(SEED, engine="llm", settings=settings)
    before = stored(redis_db)
    answers = sum(r["call"] != "report" for r in before.values())
    assert answers >= 1 and len(before) == answers + 1
    runner = CliRunner()
    monkeypatch.setenv("REPORTKIT_CACHE_URL", redis_url)  # what a user of the Redis cache has set

    info = runner.invoke(app, ["cache", "info"])
    assert info.exit_code == 0, info.output
    assert "127.0.0.1" in info.output and f"{answers} response(s)" in info.output and "1 report(s)" in info.output

    shipped = tmp_path / "shipped.jsonl"
    done = runner.invoke(app, ["cache", "export", str(shipped)])
    assert done.exit_code == 0 and f"exported {len(before)} record(s)" in done.output, done.output
    assert len(shipped.read_text(encoding="utf-8").splitlines()) == len(before)

    done = runner.invoke(app, ["cache", "clear", "--reports"])
    assert done.exit_code == 0 and "removed 1 report(s)" in done.output, done.output
    assert len(stored(redis_db)) == answers

    redis_db.set("someone-else:key", b"kept")  # another application's data in the same database
    done = runner.invoke(app, ["cache", "clear"])
    assert done.exit_code == 0 and f"removed {answers} record(s)" in done.output, done.output
    assert stored(redis_db) == {} and redis_db.get("someone-else:key") == b"kept"

    done = runner.invoke(app, ["cache", "import", str(shipped)])
    assert done.exit_code == 0 and f"imported {len(before)} record(s)" in done.output, done.output
    assert stored(redis_db) == before
    assert not (disk / "cache.db").exists(), "a command went to the folder instead of Redis"

    # --cache-dir names the folder: the command works on it, not on REPORTKIT_CACHE_URL
    info = runner.invoke(app, ["cache", "info", "--cache-dir", str(disk)])
    assert info.exit_code == 0 and "0 response(s)" in info.output, info.output
    # and the imported records serve a replay that sends nothing
    sent = len(server.requests)
    again = api.summarize(SEED, engine="llm", settings=settings.model_copy(update={"cache": "replay"}))
    assert len(server.requests) == sent and again.run.calls == 0
