"""Shipping the exact responses behind a result: cache export → import → offline replay; async API."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import reportkit
from reportkit.cli import app
from reportkit.settings import Settings
from reportkit.testing import FakeOpenAI

from conftest import ROOT, SEEDS, gold_for
from test_llm_engine import gold_responder

SEED = SEEDS / "004_5b82ad2be4bb2cbb.txt"
runner = CliRunner()


def test_export_clear_import_then_replay_without_a_server(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with FakeOpenAI(responder=gold_responder(gold_for(SEED.stem))) as server:
        settings = Settings(model="fake-model", base_url=server.base_url, api_key="k", cache_dir=cache)
        first = reportkit.summarize(SEED, engine="llm", settings=settings)
        sent = len(server.requests)
        base_url = server.base_url
    assert sent == first.run.calls > 0

    info = runner.invoke(app, ["cache", "info", "--cache-dir", str(cache)])
    assert f"{sent} response(s), 0 recorded failure(s), 1 report(s)" in info.output
    shipped = tmp_path / "responses.jsonl"
    records = sent + 1  # the answers and the finished report
    assert f"exported {records} record(s)" in runner.invoke(app, ["cache", "export", str(shipped), "--cache-dir", str(cache)]).output
    assert f"removed {records}" in runner.invoke(app, ["cache", "clear", "--cache-dir", str(cache)]).output

    elsewhere = tmp_path / "colleague-cache"
    assert f"imported {records} record(s)" in runner.invoke(app, ["cache", "import", str(shipped), "--cache-dir", str(elsewhere)]).output
    replay = Settings(model="fake-model", base_url=base_url, api_key="k", cache_dir=elsewhere, cache="replay")
    again = reportkit.summarize(SEED, engine="llm", settings=replay)  # the server is stopped: nothing may be sent
    assert again.model_dump(exclude={"run"}) == first.model_dump(exclude={"run"})
    assert (again.run.calls, again.run.cache_hits, again.run.report_cache) == (0, sent, True)
    assert "removed 1 report(s)" in runner.invoke(app, ["cache", "clear", "--reports", "--cache-dir", str(elsewhere)]).output
    rebuilt = reportkit.summarize(SEED, engine="llm", settings=replay)  # from the answers alone, checked again
    assert rebuilt.model_dump(exclude={"run"}) == first.model_dump(exclude={"run"})
    assert (rebuilt.run.calls, rebuilt.run.cache_hits, rebuilt.run.report_cache) == (0, sent, False)


def test_import_of_a_bad_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = runner.invoke(app, ["cache", "import", str(bad), "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 2 and "bad.jsonl" in result.output


def test_asummarize_inside_a_running_event_loop() -> None:
    async def main() -> reportkit.Report:
        return await reportkit.asummarize(SEED, engine="rules")

    report = asyncio.run(main())
    same = reportkit.summarize(SEED, engine="rules")
    assert report.model_dump(exclude={"run"}) == same.model_dump(exclude={"run"}) and report.metrics


def test_llamacpp_preset_needs_nothing_else() -> None:
    settings = Settings(provider="llamacpp")
    assert (settings.base_url, settings.mode, settings.model, settings.is_configured) == (
        "http://127.0.0.1:8080/v1", "tools", "local", True
    )


def test_llm_example_runs_without_a_key() -> None:
    run = subprocess.run([sys.executable, "examples/llm_fake_server.py"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "地区生产总值" in run.stdout and "✓ verified" in run.stdout


def test_serve_local_without_a_model_file_says_so() -> None:
    result = runner.invoke(app, ["serve-local", "/nonexistent/model.gguf"])
    assert result.exit_code == 2 and "no such model file" in result.output
