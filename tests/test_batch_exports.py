"""Batches and exports as a data team uses them: a folder in, tidy tables out, bad files named."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

import reportkit
from reportkit import batch, exports

from conftest import SEEDS


@pytest.fixture(scope="module")
def seed_batch() -> reportkit.BatchResult:
    return reportkit.summarize_many(sorted(SEEDS.glob("*.txt")), engine="rules", progress=False)


def test_batch_keeps_order_and_collects_failures(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    paths = [SEEDS / "004_5b82ad2be4bb2cbb.txt", empty, tmp_path / "missing.txt", binary, SEEDS / "000_0905f6282178ee7a.txt"]
    result = reportkit.summarize_many(paths, engine="rules", progress=False, concurrency=3)
    assert [Path(p).name for p in result.paths] == ["004_5b82ad2be4bb2cbb.txt", "000_0905f6282178ee7a.txt"]
    assert [Path(f.path).name for f in result.failures] == ["empty.txt", "missing.txt", "x.txt"]
    assert {f.error_type for f in result.failures} == {"InputError"}
    assert result.totals["documents"] == 5 and result.totals["failed"] == 3 and not result.ok


def test_unexpected_errors_in_one_document_do_not_lose_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit import api

    real = api.summarize

    def flaky(source, **kwargs):
        if "001_" in str(source):
            raise RuntimeError("boom")
        return real(source, **kwargs)

    monkeypatch.setattr(api, "summarize", flaky)
    result = reportkit.summarize_many(sorted(SEEDS.glob("*.txt")), engine="rules", progress=False)
    assert len(result.reports) == 4
    assert [(f.error_type, "boom" in f.message) for f in result.failures] == [("RuntimeError", True)]


def test_progress_is_silent_when_not_interactive(capsys: pytest.CaptureFixture[str]) -> None:
    reportkit.summarize_many([SEEDS / "004_5b82ad2be4bb2cbb.txt"], engine="rules", progress=True)
    assert capsys.readouterr().err == ""


def test_progress_bar_reports_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.progress import Progress

    seen: list[str] = []
    monkeypatch.setattr(batch, "_interactive", lambda: True)
    monkeypatch.setattr(Progress, "start", lambda self: None)
    monkeypatch.setattr(Progress, "stop", lambda self: seen.extend(str(t.fields.get("stats")) + f" {t.completed}/{t.total}" for t in self.tasks))
    reportkit.summarize_many([SEEDS / "004_5b82ad2be4bb2cbb.txt", SEEDS / "nope.txt"], engine="rules")
    assert seen == ["0 calls · 0 cached · 1 failed 2/2"]


def test_metrics_dataframe_is_tidy(seed_batch: reportkit.BatchResult) -> None:
    df = reportkit.to_dataframe(seed_batch.reports)
    assert list(df.columns) == exports.METRIC_COLUMNS
    assert len(df) == sum(len(r.metrics) for r in seed_batch.reports)
    gdp = df[(df.name == "地区生产总值")].iloc[0]
    assert (gdp.value, gdp.unit, gdp.normalized_value, gdp.normalized_unit, gdp.unit_family) == (134.2, "亿元", 13_420_000_000.0, "元", "money")
    households = df[(df.unit == "万户") & (df.value == 1.15)].iloc[0]
    assert (households.normalized_value, households.normalized_unit) == (11500.0, "户")
    assert set(df.check_status) <= {"verified", "derived", "unit_mismatch", "misattributed", "unsupported"}


def test_items_dataframe(seed_batch: reportkit.BatchResult) -> None:
    df = reportkit.to_dataframe(seed_batch.reports, what="items")
    assert list(df.columns) == exports.ITEM_COLUMNS
    first = df[(df.source.str.contains("000_")) & (df.section == "problems")]
    assert list(first.title) == ["经济增长不够有力", "区域发展不够均衡", "治理能力亟待提升"]


def test_file_exports_round_trip(seed_batch: reportkit.BatchResult, tmp_path: Path) -> None:
    import pandas as pd

    exports.to_parquet(seed_batch.reports, tmp_path / "m.parquet")
    assert len(pd.read_parquet(tmp_path / "m.parquet")) == sum(len(r.metrics) for r in seed_batch.reports)
    exports.to_csv(seed_batch.reports, tmp_path / "m.csv")
    with open(tmp_path / "m.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["name"] == "地区生产总值" and rows[0]["unit"] == "亿元"
    exports.to_jsonl(seed_batch.reports, tmp_path / "r.jsonl")
    lines = (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
    assert [reportkit.Report.model_validate_json(line).meta.source for line in lines] == [r.meta.source for r in seed_batch.reports]


def test_missing_pandas_names_the_extra(seed_batch: reportkit.BatchResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(reportkit.MissingExtraError, match=r"reportkit\[pandas\]"):
        reportkit.to_dataframe(seed_batch.reports)


def test_cli_batch_writes_tables(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportkit.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["summarize", str(SEEDS / "*.txt"), "--out", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {"all.json", "metrics.csv", "items.csv"}
    assert len(json.loads((out / "all.json").read_text(encoding="utf-8"))) == 5


# --------------------------------------------------------------------------- streaming and --resume


def test_results_stream_as_they_complete_with_a_bounded_window(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import weakref

    from reportkit import api

    real = api.summarize
    alive = peak = 0

    def gone() -> None:
        nonlocal alive
        alive -= 1

    def tracked(source, **kwargs):
        nonlocal alive, peak
        report = real(source, **kwargs)
        alive += 1
        peak = max(peak, alive)
        weakref.finalize(report, gone)
        return report

    monkeypatch.setattr(api, "summarize", tracked)
    paths = [SEEDS / "004_5b82ad2be4bb2cbb.txt"] * 12
    seen = []
    # threads (workers=0): the window is what bounds this process's memory; in worker processes
    # the same window bounds what is sent out and not yet handed back
    for item in batch.iter_summaries(paths, engine="rules", concurrency=2, progress=False, workers=0):
        seen.append(item.index)
        del item  # the consumer writes each report away and keeps nothing
        gc.collect()  # a report in a reference cycle is freed only by the collector: count what is reachable
    assert sorted(seen) == list(range(12)) and peak > 0
    assert peak <= 2 * 2 + 1  # in flight or waiting, never the whole batch

    called = []
    result = reportkit.summarize_many(paths[:3], engine="rules", progress=False, on_result=lambda it: called.append(it.index))
    assert sorted(called) == [0, 1, 2] and len(result.reports) == 3


def test_ordered_iteration_keeps_input_order() -> None:
    paths = sorted(SEEDS.glob("*.txt"))
    items = list(batch.iter_summaries(paths, engine="rules", concurrency=3, progress=False, ordered=True))
    assert [i.path for i in items] == [str(p) for p in paths]


def test_a_config_error_stops_the_batch_once_before_any_document(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit import api

    monkeypatch.setattr(api, "load", lambda p: pytest.fail("no document may be read"))
    with pytest.raises(reportkit.ConfigError, match="DASHSCOPE_API_KEY"):
        reportkit.summarize_many([SEEDS / "004_5b82ad2be4bb2cbb.txt"], settings=reportkit.Settings(provider="qwen", model="qwen-plus"))


def _seed_copies(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        (folder / p.name).write_bytes(p.read_bytes())
    return sorted(folder.iterdir())


def test_an_interrupted_batch_keeps_what_finished_and_resume_does_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from reportkit import api
    from reportkit.cli import app
    from reportkit.outputs import MANIFEST

    inputs = _seed_copies(tmp_path)
    out = tmp_path / "out"
    real = api.summarize
    calls: list[str] = []

    def interrupted_at_the_third(source, **kwargs):
        calls.append(Path(str(source)).name)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(source, **kwargs)

    monkeypatch.setattr(api, "summarize", interrupted_at_the_third)
    monkeypatch.setenv("REPORTKIT_WORKERS", "0")  # a KeyboardInterrupt raised in this process, as Ctrl-C is
    runner = CliRunner()
    first = runner.invoke(app, ["summarize", str(inputs[0].parent), "-o", str(out), "-e", "rules", "-f", "csv"])
    assert first.exit_code == 130 and "--resume" in first.output
    finished = {p.name for p in out.glob("*.json")}
    done_first = calls[:2]  # the batch starts the largest inputs first
    assert finished == {Path(n).stem + ".json" for n in done_first}  # complete files only, no all.json yet
    assert not list(out.glob(".*.tmp"))
    assert all(reportkit.Report.model_validate_json((out / n).read_text(encoding="utf-8")) for n in finished)

    calls.clear()
    monkeypatch.setattr(api, "summarize", lambda source, **kw: (calls.append(Path(str(source)).name), real(source, **kw))[1])
    again = runner.invoke(app, ["summarize", str(inputs[0].parent), "-o", str(out), "-e", "rules", "-f", "csv", "--resume"])
    assert again.exit_code == 0, again.output
    assert sorted(calls) == sorted(p.name for p in inputs if p.name not in done_first)  # the two finished ones are not redone
    assert "2 current (skipped)" in again.output
    combined = json.loads((out / "all.json").read_text(encoding="utf-8"))
    assert [Path(r["meta"]["source"]).name for r in combined] == [p.name for p in inputs]
    with open(out / "metrics.csv", encoding="utf-8-sig") as fh:
        assert {row["source"] for row in csv.DictReader(fh)} == {str(p) for p in inputs}

    # "current" means the same bytes and the same settings: an edited input is redone, the rest not
    calls.clear()
    inputs[1].write_text(inputs[1].read_text(encoding="utf-8") + "\n新增一句。", encoding="utf-8")
    runner.invoke(app, ["summarize", str(inputs[0].parent), "-o", str(out), "-e", "rules", "--resume"])
    assert calls == [inputs[1].name]
    # an output edited by hand is not current either
    calls.clear()
    (out / (inputs[4].stem + ".json")).write_text("{}", encoding="utf-8")
    runner.invoke(app, ["summarize", str(inputs[0].parent), "-o", str(out), "-e", "rules", "--resume"])
    assert calls == [inputs[4].name]
    assert len((out / MANIFEST).read_text(encoding="utf-8").splitlines()) == 7  # one line per report written


def test_resume_redoes_documents_made_with_other_settings(tmp_path: Path) -> None:
    from reportkit.batch import answer_fingerprint
    from reportkit.settings import Settings

    rules = answer_fingerprint("rules")
    assert rules == answer_fingerprint("rules")  # deterministic, or nothing would ever be current
    one = answer_fingerprint("llm", Settings(model="m", base_url="http://127.0.0.1:9/v1"))
    assert rules != one
    assert one == answer_fingerprint("llm", Settings(model="m", base_url="http://127.0.0.1:9/v1", api_key="other-key"))
    assert one != answer_fingerprint("llm", Settings(model="m", base_url="http://127.0.0.1:9/v1", temperature=0.7))
    assert one != answer_fingerprint("llm", Settings(model="other", base_url="http://127.0.0.1:9/v1"))


def test_worker_processes_give_the_same_reports_as_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTKIT_CACHE", "off")  # both runs compute: the second must not read the first's reports
    paths = sorted(SEEDS.glob("*.txt"))[:3] + [SEEDS / "nope.txt"]
    threads = reportkit.summarize_many(paths, engine="rules", progress=False, workers=0)
    monkeypatch.setenv("REPORTKIT_START_METHOD", "spawn")  # nothing may depend on fork (macOS, Windows)
    processes = reportkit.summarize_many(paths, engine="rules", progress=False, workers=2)
    strip = lambda r: r.model_copy(update={"run": r.run.model_copy(update={"seconds": 0})}).model_dump_json()
    assert [strip(r) for r in processes.reports] == [strip(r) for r in threads.reports] and len(threads.reports) == 3
    assert [(f.path, f.error_type) for f in processes.failures] == [(str(SEEDS / "nope.txt"), "InputError")]


def test_a_worker_process_that_dies_fails_only_its_own_document(monkeypatch: pytest.MonkeyPatch,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    import logging
    import os

    from reportkit import api

    real = api.summarize

    def dies_on_001(source, **kwargs):  # fork carries the patch into the workers
        if "001_" in str(source):
            os._exit(3)
        logging.getLogger("reportkit").warning("summarising %s", Path(str(source)).name)
        return real(source, **kwargs)

    monkeypatch.setattr(api, "summarize", dies_on_001)
    monkeypatch.setenv("REPORTKIT_START_METHOD", "fork")
    caplog.set_level(logging.WARNING, logger="reportkit")
    result = reportkit.summarize_many(sorted(SEEDS.glob("*.txt")), engine="rules", progress=False, workers=2, concurrency=2)
    assert len(result.reports) == 4
    assert [(Path(f.path).name[:4], f.error_type) for f in result.failures] == [("001_", "WorkerError")]
    assert "exit code 3" in result.failures[0].message
    # the workers' log lines reach this process's handlers
    assert sum("summarising" in r.getMessage() for r in caplog.records) == 4


def test_workers_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit.batch import pool_size

    monkeypatch.setenv("REPORTKIT_WORKERS", "many")
    with pytest.raises(reportkit.ConfigError, match="REPORTKIT_WORKERS='many'"):
        pool_size(None)
    monkeypatch.setenv("REPORTKIT_WORKERS", "3")
    assert pool_size(None, inputs=10) == 3 and pool_size(None, inputs=2) == 2
    assert pool_size(None, client=object(), inputs=10) == 0  # the caller's client stays in this process
    assert pool_size(0, inputs=10) == 0 and pool_size(4, inputs=1) == 0


def test_a_script_without_a_main_guard_under_spawn_still_gets_its_batch(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    script = tmp_path / "unguarded.py"
    script.write_text(
        "import reportkit\n"
        f"result = reportkit.summarize_many([{str(SEEDS)!r}], engine='rules', progress=False, workers=2)\n"
        "print('reports', len(result.reports), 'failed', len(result.failures))\n", encoding="utf-8")
    env = {**os.environ, "REPORTKIT_START_METHOD": "spawn", "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "reports 5 failed 0"
    assert 'if __name__ == "__main__":' in done.stderr and "running the batch in threads" in done.stderr


def test_the_progress_bar_goes_to_stderr_never_into_piped_reports(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(batch, "_interactive", lambda: True)  # as in a terminal
    result = reportkit.summarize_many([SEEDS / "004_5b82ad2be4bb2cbb.txt"], engine="rules", workers=0)
    captured = capsys.readouterr()
    assert result.ok and captured.out == "" and "reportkit" in captured.err


def test_a_process_that_imported_a_kernel_is_no_notebook(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))  # e.g. nbclient in the same process
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert batch._interactive() is False


def test_the_largest_documents_start_first_unless_order_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long document started last would keep the batch waiting on its calls alone."""
    from reportkit import api

    real, started = api.summarize, []

    def recording(source, **kwargs):
        started.append(str(source))
        return real(source, **kwargs)

    monkeypatch.setattr(api, "summarize", recording)
    paths = sorted(SEEDS.glob("*.txt"))
    by_size = [str(p) for p in sorted(paths, key=lambda p: -p.stat().st_size)]
    assert by_size != [str(p) for p in paths]  # else the test could not tell the orders apart
    items = list(batch.iter_summaries(paths, engine="rules", concurrency=1, progress=False, workers=0))
    assert started == by_size
    assert sorted(i.index for i in items) == list(range(len(paths)))
    started.clear()
    list(batch.iter_summaries(paths, engine="rules", concurrency=1, progress=False, workers=0, ordered=True))
    assert started == [str(p) for p in paths]
