"""reportkit.ray on a real Ray local cluster: rows equal local summaries, bad inputs are rows, the request cap holds.

One session-scoped cluster (``ray.init(num_cpus=2)``) serves every test here; select them with
``pytest -m ray``. Without ray installed they skip, naming the install; with ``CI=true`` a missing
ray fails instead.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from conftest import ROOT, SEEDS, InFlight, gold_for
from reportkit import api
from reportkit.settings import Settings
from reportkit.testing import CLOSED_BASE_URL, FakeOpenAI, RecordedRequest
from test_llm_engine import gold_responder
from test_redis_cache import redis_url  # noqa: F401  (the real redis-server fixture, for the shared-cache test)

pytestmark = pytest.mark.ray

CORPUS = ROOT / "corpus"
TEXT_DOCS = sorted(SEEDS.glob("*.txt")) + sorted(p for p in CORPUS.glob("*.txt") if not p.name.endswith(".source.txt"))
# the LLM test's share of the corpus: the longest report (several chunks), GBK, a plain-text table, numerals
LLM_DOCS = sorted(SEEDS.glob("*.txt")) + [CORPUS / f"{stem}.txt" for stem in ("c01_fengxi", "c07_tongling_gbk", "c12_bixi", "c15_dadong")]
OTHER_FORMATS = [CORPUS / "c06_jinping.html", CORPUS / "c09_lanwan.docx", CORPUS / "c10_tanshan.pdf"]
_PIECE = re.compile(r"【原文开始】\n(.*)\n【原文结束】|【页面开头】\n?(.*?)\n?【页面开头结束】", re.S)


def _require_ray() -> Any:
    try:
        import ray
        import ray.data  # the [data] extra of ray
    except ImportError:
        install = "pip install -e '.[ray]'"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"ray is not installed and CI=true: the Ray tests must run in CI; {install} (.ci/run does)")
        pytest.skip(f"ray not installed: {install} to run the Ray tests (with CI=true this fails)")
    return ray


@pytest.fixture(scope="session")
def cluster() -> Iterator[Any]:
    """A real two-CPU local Ray cluster for the whole session, shut down at its end."""
    ray = _require_ray()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # Ray would otherwise report usage over the network
    ray.init(
        num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=200 * 1024 * 1024,
        runtime_env={"env_vars": {"OPENAI_BASE_URL": CLOSED_BASE_URL}},  # a stray real call fails at once
    )
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        yield ray
    finally:
        ray.shutdown()


def comparable(report_json: str) -> dict[str, Any]:
    """A report as JSON data, less ``run.seconds`` (the one field a second run changes)."""
    data = json.loads(report_json)
    data["run"].pop("seconds")
    return data


def rows_by_path(ds: Any) -> dict[str, dict[str, Any]]:
    rows = ds.take_all()
    by_path = {row["path"]: row for row in rows}
    assert len(by_path) == len(rows), "one row per input"
    return by_path


def bad_files(folder: Path) -> dict[str, str]:
    """Inputs that cannot be read as reports, and the error class each must give."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "notes.toml").write_text("a = 1\n", encoding="utf-8")
    return {str(folder / "empty.txt"): "InputError", str(folder / "binary.txt"): "InputError",
            str(folder / "notes.toml"): "InputError"}


def test_import_reportkit_does_not_import_ray() -> None:
    code = "import sys, reportkit, reportkit.ray; reportkit.Settings; assert 'ray' not in sys.modules, 'ray imported'"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


def test_request_share_divides_the_cluster_total() -> None:
    from reportkit.ray import _plan, request_share

    assert [request_share(8, n) for n in (1, 2, 3, 8, 40)] == [8, 4, 2, 1, 1]
    settings = Settings(model="m", base_url="http://127.0.0.1:9/v1", api_key="k", concurrency=4)
    pool = _plan("llm", settings, 40, cluster_cpus=64)
    assert (pool.max_size, pool.share) == (4, 1)  # 40 actors cannot send 40 × anything: the pool shrinks to the cap
    assert _plan("llm", settings, (1, 2), cluster_cpus=2).share == 2
    rules = _plan("rules", settings, None, cluster_cpus=2)
    assert rules.max_size == 2 and rules.num_cpus * 2 <= 1  # one CPU stays free for the read tasks


# --- the rules engine -------------------------------------------------------------------------------


def test_rules_rows_equal_local_summaries(cluster: Any, tmp_path: Path) -> None:
    import reportkit.ray as rkray

    bad = bad_files(tmp_path / "bad")
    inputs = [str(p.relative_to(ROOT)) for p in TEXT_DOCS + OTHER_FORMATS] + sorted(bad)
    files = cluster.data.read_binary_files(inputs, include_paths=True)
    rows = rows_by_path(rkray.summarize_dataset(files, engine="rules"))
    assert sorted(rows) == sorted(inputs)
    for path in inputs:
        row = rows[path]
        if path in bad:
            assert row["report"] is None and row["error"].startswith(bad[path] + ": " + path)
            continue
        local = api.summarize(ROOT / path, engine="rules")
        assert row["error"] is None, row["error"]
        assert row["source_sha256"] == local.meta.source_sha256
        local_json = json.loads(local.model_dump_json())
        local_json["meta"]["source"] = path  # the same file, named relative to the checkout as the row is
        local_json["run"].pop("seconds")
        assert comparable(row["report"]) == local_json, path


def test_path_column_reads_on_the_worker_and_a_missing_file_is_an_error_row(cluster: Any, tmp_path: Path) -> None:
    import reportkit.ray as rkray

    seed = str(SEEDS / "004_5b82ad2be4bb2cbb.txt")
    missing = str(tmp_path / "gone.txt")
    rows = rows_by_path(rkray.summarize_dataset(cluster.data.from_items([{"path": seed}, {"path": missing}]), engine="rules",
                                                concurrency=1))
    assert comparable(rows[seed]["report"]) == comparable(api.summarize(seed, engine="rules").model_dump_json())
    assert rows[missing]["report"] is None and rows[missing]["source_sha256"] is None
    assert rows[missing]["error"].startswith(f"InputError: {missing}: the file does not exist")


def test_metric_and_item_rows_are_the_local_export_rows(cluster: Any, tmp_path: Path) -> None:
    import pandas as pd

    import reportkit.ray as rkray
    from reportkit import exports

    inputs = [str(SEEDS / "000_0905f6282178ee7a.txt"), str(CORPUS / "c15_dadong.txt"), str(tmp_path / "gone.txt")]
    reports = rkray.summarize_dataset(cluster.data.from_items([{"path": p} for p in inputs]), engine="rules").materialize()
    local = [api.summarize(p, engine="rules") for p in inputs[:2]]
    for ray_rows, local_rows, columns in ((rkray.metric_rows(reports), exports.metric_rows(local), exports.METRIC_COLUMNS),
                                          (rkray.item_rows(reports), exports.item_rows(local), exports.ITEM_COLUMNS)):
        folder = tmp_path / ("metrics" if "name" in columns else "items")
        ray_rows.write_parquet(str(folder))
        written = pd.read_parquet(folder)
        key = ["source", "span_start", "quote"] if "name" in columns else ["source", "section", "position"]
        got = written[columns].sort_values(key).reset_index(drop=True)
        want = pd.DataFrame(local_rows, columns=columns).sort_values(key).reset_index(drop=True)
        assert len(got) == len(want) > 0
        pd.testing.assert_frame_equal(got, want, check_dtype=False)


# --- the LLM engine against the fake server -----------------------------------------------------------


def corpus_responder(paths: list[Path]) -> Callable[[RecordedRequest], Any]:
    """Answers each request with the gold of the document its chunk (or page top) comes from."""
    docs = [(api.load(p).text, gold_for(p.stem) if p.parent == SEEDS else json.loads(p.with_suffix(".json").read_text("utf-8")))
            for p in paths]

    def respond(request: RecordedRequest) -> Any:
        found = _PIECE.search(request.user_text)
        piece = (found.group(1) or found.group(2) or "").strip() if found else ""
        gold = next((g for text, g in docs if piece and piece[:200] in text), docs[0][1])
        return gold_responder(gold)(request)

    return respond


def test_llm_rows_equal_local_and_the_cluster_never_exceeds_the_cap(cluster: Any, tmp_path: Path) -> None:
    import reportkit.ray as rkray

    cap = 4
    bad = bad_files(tmp_path / "bad")
    inputs = [str(p) for p in LLM_DOCS] + sorted(bad)
    counter = InFlight(corpus_responder(LLM_DOCS), hold=0.15)
    with FakeOpenAI(responder=counter) as server:
        settings = Settings(model="fake-model", base_url=server.base_url, api_key="test", cache_dir=tmp_path / "ray-cache",
                            concurrency=cap)
        files = cluster.data.read_binary_files(inputs, include_paths=True)
        rows = rows_by_path(rkray.summarize_dataset(files, engine="llm", settings=settings, concurrency=2))
        ray_requests, ray_peak = counter.total, counter.peak
        local_settings = settings.model_copy(update={"cache_dir": tmp_path / "local-cache"})
        for path in inputs:
            row = rows[path]
            if path in bad:
                assert row["report"] is None and row["error"].startswith(bad[path] + ": " + path)
                continue
            assert row["error"] is None, row["error"]
            local = api.summarize(path, engine="llm", settings=local_settings)
            assert local.run.engine == "llm" and local.run.calls > 0
            assert comparable(row["report"]) == comparable(local.model_dump_json()), path
    assert ray_requests == counter.total - ray_requests  # the same calls as the local runs, none more
    assert 2 <= ray_peak <= cap, f"{ray_peak} requests in flight at once with a cluster-wide cap of {cap}"


def test_the_request_scheduler_holds_requests_to_an_actors_share() -> None:
    from reportkit.llm.client import ModelClient, Usage

    counter = InFlight(lambda request: {"ok": True}, hold=0.1)
    with FakeOpenAI(responder=counter) as server:
        # what an actor builds: Settings whose concurrency is its share; every request takes a slot
        client = ModelClient(Settings(model="fake-model", base_url=server.base_url, api_key="test", concurrency=2))

        def send() -> None:
            client._send(Usage(), [], "t", model="fake-model", messages=[{"role": "user", "content": "hi"}])

        threads = [threading.Thread(target=send) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert counter.total == 6 and counter.peak == 2


def test_an_unconfigured_llm_engine_fails_on_the_driver_before_any_work(cluster: Any) -> None:
    import reportkit.ray as rkray
    from reportkit.errors import ConfigError

    with pytest.raises(ConfigError, match="REPORTKIT_MODEL"):
        rkray.summarize_dataset(cluster.data.from_items([{"path": "x.txt"}]), engine="llm", settings=Settings())
    with pytest.raises(ConfigError, match="'path' column"):
        rkray.summarize_dataset(cluster.data.from_items([{"file": "x.txt"}]), engine="rules")


def test_iter_summaries_gives_the_local_batch_items_in_input_order(cluster: Any, tmp_path: Path) -> None:
    import reportkit.ray as rkray
    from reportkit.batch import iter_summaries

    inputs = [str(CORPUS / "c15_dadong.txt"), str(tmp_path / "gone.txt"), str(SEEDS / "004_5b82ad2be4bb2cbb.txt")]
    on_ray = list(rkray.iter_summaries(inputs, engine="rules", ordered=True))
    local = list(iter_summaries(inputs, engine="rules", ordered=True, progress=False))
    assert [item.index for item in on_ray] == [0, 1, 2]
    assert [(i.path, i.failure) for i in on_ray if i.failure] == [(i.path, i.failure) for i in local if i.failure]
    assert [comparable(i.report.model_dump_json()) for i in on_ray if i.report] == \
        [comparable(i.report.model_dump_json()) for i in local if i.report]
    assert cluster.is_initialized()  # a cluster the caller started is left running


def test_ray_workers_share_the_redis_cache_so_a_rerun_sends_nothing(cluster: Any, redis_url: str, tmp_path: Path) -> None:  # noqa: F811
    import redis

    import reportkit.ray as rkray

    redis.Redis.from_url(redis_url).flushdb()
    docs = [SEEDS / "004_5b82ad2be4bb2cbb.txt", SEEDS / "001_f673d7f6c6eeef5e.txt"]
    with FakeOpenAI(responder=corpus_responder(docs)) as server:
        def run(disk: str) -> dict[str, dict[str, Any]]:
            settings = Settings(model="fake-model", base_url=server.base_url, api_key="test", cache_dir=tmp_path / disk,
                                cache_url=redis_url, concurrency=2)
            ds = cluster.data.from_items([{"path": str(p)} for p in docs])
            return rows_by_path(rkray.summarize_dataset(ds, engine="llm", settings=settings, concurrency=2))

        first = run("disk-1")
        sent = len(server.requests)
        second = run("disk-2")  # new actors, an empty disk cache: only Redis can answer
    assert sent > 0 and len(server.requests) == sent
    for path, row in second.items():
        again = json.loads(row["report"])
        assert again["run"]["calls"] == 0 and again["run"]["cache_hits"] > 0
        before = json.loads(first[path]["report"])
        assert {k: v for k, v in again.items() if k != "run"} == {k: v for k, v in before.items() if k != "run"}


def test_cli_summarize_on_ray_writes_what_the_local_batch_writes(cluster: Any, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportkit.cli import app

    inputs = [str(SEEDS / "004_5b82ad2be4bb2cbb.txt"), str(CORPUS / "c15_dadong.txt"), str(tmp_path / "gone.txt")]
    common = ["--engine", "rules", "--format", "jsonl", "--no-progress"]
    runner = CliRunner(env={"COLUMNS": "400"})  # one table row per line: the paths are long
    local = runner.invoke(app, ["summarize", *inputs, *common, "--out", str(tmp_path / "local")])
    # --ray with no ADDRESS before the inputs: its value is the first input; the session's cluster is used
    on_ray = runner.invoke(app, ["summarize", "--ray", *inputs, *common, "--out", str(tmp_path / "ray")])
    assert local.exit_code == on_ray.exit_code == 1, on_ray.output  # the missing file fails both, listed
    assert f"{tmp_path / 'gone.txt'}: the file does not exist" in on_ray.output
    names = sorted(p.name for p in (tmp_path / "local").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "ray").iterdir()) and "all.json" in names
    for name in ("004_5b82ad2be4bb2cbb.json", "c15_dadong.json"):
        assert comparable((tmp_path / "ray" / name).read_text("utf-8")) == comparable((tmp_path / "local" / name).read_text("utf-8"))
    for table in ("metrics.jsonl", "items.jsonl"):  # the tidy tables, row for row
        want = sorted((tmp_path / "local" / table).read_text("utf-8").splitlines())
        assert sorted((tmp_path / "ray" / table).read_text("utf-8").splitlines()) == want and want
    assert cluster.is_initialized()
