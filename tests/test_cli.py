"""The command line as a user runs it: Markdown to the terminal, JSON for machines, exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reportkit.cli import app

from conftest import SEEDS

runner = CliRunner()
SEED = str(SEEDS / "000_0905f6282178ee7a.txt")


def test_summarize_prints_markdown_with_checks() -> None:
    result = runner.invoke(app, ["summarize", SEED, "--engine", "rules"])
    assert result.exit_code == 0, result.output
    assert "地区生产总值" in result.output and "134.2亿元" in result.output and "✓ verified" in result.output
    assert "经济增长不够有力" in result.output


def test_summarize_json_is_a_report() -> None:
    result = runner.invoke(app, ["summarize", SEED, "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["meta"]["organization"] == "台城街道办事处" and data["run"]["engine"] == "rules"


def test_batch_with_a_bad_file_writes_the_good_ones_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    result = runner.invoke(app, ["summarize", str(SEEDS), str(bad), "--out", str(out)])
    assert result.exit_code == 1
    assert sorted(p.name for p in out.glob("*.json")) == sorted([p.stem + ".json" for p in SEEDS.glob("*.txt")] + ["all.json"])
    assert "broken.txt" in result.output and "empty" in result.output
    assert len(json.loads((out / "all.json").read_text(encoding="utf-8"))) == 5


def test_validate_exit_status(tmp_path: Path) -> None:
    report = json.loads(runner.invoke(app, ["summarize", SEED, "--format", "json"]).stdout)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(app, ["validate", str(good), SEED]).exit_code == 0
    report["metrics"][0]["value"] = 143.2  # the classic transposed digits
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad), SEED, "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["metrics"][0]["check"]["status"] != "verified"


def test_schema_command_prints_the_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0 and json.loads(result.stdout)["title"] == "Report"
