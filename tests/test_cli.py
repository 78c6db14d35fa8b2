"""The command line as a user runs it: Markdown to the terminal, JSON for machines, exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportkit.cli import app

from conftest import SEED_STEMS, SEEDS

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


# --------------------------------------------------------------------------- no data loss


def _copy(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(src.read_bytes())
    return dst


def _hashed(path: Path, stem: str = "report") -> str:
    import hashlib

    return f"{stem}-{hashlib.sha256(str(path.resolve()).encode('utf-8')).hexdigest()[:8]}.json"


def test_inputs_sharing_a_name_get_distinct_outputs(tmp_path: Path) -> None:
    a = _copy(SEEDS / "000_0905f6282178ee7a.txt", tmp_path / "2022" / "report.txt")
    b = _copy(SEEDS / "004_5b82ad2be4bb2cbb.txt", tmp_path / "2023" / "report.txt")
    c = _copy(SEEDS / "001_f673d7f6c6eeef5e.txt", tmp_path / "real.txt")
    d = tmp_path / "real.html"
    d.write_text("<html><body><p>2023年,全镇实现地区生产总值12.5亿元,同比增长5.2%。</p></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["summarize", str(a), str(b), str(c), str(d), "--out", str(out), "-e", "rules"])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.glob("*.json")}
    assert names == {_hashed(a), _hashed(b), _hashed(c, "real"), _hashed(d, "real"), "all.json"}
    sources = {json.loads((out / n).read_text(encoding="utf-8"))["meta"]["source"] for n in names - {"all.json"}}
    assert sources == {str(a), str(b), str(c), str(d)}
    assert len(json.loads((out / "all.json").read_text(encoding="utf-8"))) == 4


def test_an_output_of_another_input_is_never_overwritten(tmp_path: Path) -> None:
    a = _copy(SEEDS / "000_0905f6282178ee7a.txt", tmp_path / "2022" / "report.txt")
    b = _copy(SEEDS / "004_5b82ad2be4bb2cbb.txt", tmp_path / "2023" / "report.txt")
    out = tmp_path / "out"
    assert runner.invoke(app, ["summarize", str(a), "-o", str(out), "-e", "rules"]).exit_code == 0
    first = (out / "report.json").read_text(encoding="utf-8")
    result = runner.invoke(app, ["summarize", str(b), "-o", str(out), "-e", "rules"])
    assert result.exit_code == 0, result.output
    assert (out / "report.json").read_text(encoding="utf-8") == first
    assert json.loads((out / _hashed(b)).read_text(encoding="utf-8"))["meta"]["source"] == str(b)
    assert _hashed(b) in result.output  # the renaming is said, not silent


# --------------------------------------------------------------------------- no silent fallback


def test_a_named_provider_without_its_key_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTKIT_PROVIDER", "deepseek")
    monkeypatch.setenv("REPORTKIT_MODEL", "deepseek-chat")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")  # must not be sent to DeepSeek instead
    result = runner.invoke(app, ["summarize", SEED])
    assert result.exit_code == 2
    assert "DEEPSEEK_API_KEY" in result.output and "--engine rules" in result.output
    assert "地区生产总值" not in result.stdout


def test_auto_without_any_llm_configuration_says_it_runs_rules() -> None:
    result = runner.invoke(app, ["summarize", SEED, "-f", "json"])
    assert result.exit_code == 0
    notes = [line for line in result.stderr.splitlines() if "rules" in line]
    assert len(notes) == 1 and "REPORTKIT_MODEL" in notes[0]
    assert json.loads(result.stdout)["run"]["engine"] == "rules"
    assert runner.invoke(app, ["summarize", SEED, "-e", "rules", "-f", "json"]).stderr == ""


# --------------------------------------------------------------------------- conventions


def test_version_and_short_help() -> None:
    from reportkit.api import _version

    for flag in ("--version", "-V"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0 and result.stdout.strip() == f"reportkit {_version()}"
    for args in (["-h"], ["summarize", "-h"], ["validate", "-h"], ["schema", "-h"], ["cache", "-h"], ["cache", "export", "-h"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage:" in result.stdout, args
        assert "<bool>" not in result.stdout and "<list" not in result.stdout and "{" not in result.stdout, result.stdout
    assert "PATH..." in runner.invoke(app, ["summarize", "-h"]).stdout


def test_several_inputs_print_one_json_document_or_json_lines() -> None:
    two = [str(SEEDS / "000_0905f6282178ee7a.txt"), str(SEEDS / "004_5b82ad2be4bb2cbb.txt")]
    array = json.loads(runner.invoke(app, ["summarize", *two, "-f", "json", "-e", "rules"]).stdout)
    assert [r["meta"]["source"] for r in array] == two
    lines = runner.invoke(app, ["summarize", *two, "-f", "jsonl", "-e", "rules"]).stdout.splitlines()
    assert [json.loads(line)["meta"]["source"] for line in lines] == two
    folder = json.loads(runner.invoke(app, ["summarize", str(SEEDS), "-f", "json", "-e", "rules"]).stdout)
    assert isinstance(folder, list) and len(folder) == len(SEED_STEMS)


def test_markdown_and_html_pages_with_out(tmp_path: Path) -> None:
    md = runner.invoke(app, ["summarize", SEED, "-f", "md", "-o", str(tmp_path / "md"), "-e", "rules"])
    assert md.exit_code == 0, md.output
    page = (tmp_path / "md" / "000_0905f6282178ee7a.md").read_text(encoding="utf-8")
    assert page.startswith("#") and "134.2亿元" in page
    assert (tmp_path / "md" / "000_0905f6282178ee7a.json").exists()
    html = runner.invoke(app, ["summarize", SEED, "-f", "html", "-o", str(tmp_path / "html"), "-e", "rules"])
    assert html.exit_code == 0, html.output
    text = (tmp_path / "html" / "000_0905f6282178ee7a.html").read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html") and "地区生产总值" in text
    single = runner.invoke(app, ["summarize", SEED, "-f", "html", "-e", "rules"])
    assert single.exit_code == 0 and single.stdout.lstrip().lower().startswith("<!doctype html")
    several = runner.invoke(app, ["summarize", str(SEEDS), "-f", "html", "-e", "rules"])
    assert several.exit_code == 2 and "--out" in several.output


def test_folders_recurse_with_r_and_globs_must_match(tmp_path: Path) -> None:
    _copy(SEEDS / "000_0905f6282178ee7a.txt", tmp_path / "top.txt")
    _copy(SEEDS / "004_5b82ad2be4bb2cbb.txt", tmp_path / "2023" / "deep.txt")
    _copy(SEEDS / "004_5b82ad2be4bb2cbb.txt", tmp_path / ".ipynb_checkpoints" / "hidden.txt")
    flat = json.loads(runner.invoke(app, ["summarize", str(tmp_path), "-f", "json", "-e", "rules"]).stdout)
    assert [Path(r["meta"]["source"]).name for r in flat] == ["top.txt"]
    deep = json.loads(runner.invoke(app, ["summarize", str(tmp_path), "-r", "-f", "json", "-e", "rules"]).stdout)
    assert sorted(Path(r["meta"]["source"]).name for r in deep) == ["deep.txt", "top.txt"]
    pattern = str(tmp_path / "nothing" / "*.txt")
    missing = runner.invoke(app, ["summarize", pattern, "-e", "rules"])
    assert missing.exit_code == 2 and pattern in missing.output and "no file matches" in missing.output
    empty = tmp_path / "empty"
    empty.mkdir()
    none = runner.invoke(app, ["summarize", str(empty), "-e", "rules"])
    assert none.exit_code == 2 and str(empty) in none.output and "-r" in none.output


def test_dash_reads_standard_input() -> None:
    text = (SEEDS / "000_0905f6282178ee7a.txt").read_bytes()
    result = runner.invoke(app, ["summarize", "-", "-f", "json", "-e", "rules"], input=text)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["meta"]["source"] == "<stdin>" and report["meta"]["organization"] == "台城街道办事处"
    empty = runner.invoke(app, ["summarize", "-", "-e", "rules"], input=b"")
    assert empty.exit_code == 2 and "standard input is empty" in empty.output


def test_error_table_prints_messages_and_names_verbatim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "docx", None)  # as if python-docx were not installed
    odd = tmp_path / "[bold]年报[red].docx"
    odd.write_bytes(b"PK\x03\x04")
    result = runner.invoke(app, ["summarize", str(odd), SEED, "-o", str(tmp_path / "out"), "-e", "rules"], env={"COLUMNS": "400"})
    assert result.exit_code == 1
    assert "pip install 'reportkit[docx]'" in result.output
    assert "[bold]年报[red].docx" in result.output


# --------------------------------------------------------------------------- validate and schema


def test_validate_lists_flags_on_stderr_with_the_checked_value(tmp_path: Path) -> None:
    report = json.loads(runner.invoke(app, ["summarize", SEED, "-f", "json", "-e", "rules"]).stdout)
    assert report["metrics"][0]["value_text"] == "134.2"
    report["metrics"][0]["value"] = 143.2  # value_text still says 134.2: the check looks at value
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad), SEED])
    assert result.exit_code == 1
    flagged = [line for line in result.stderr.splitlines() if line.startswith("flagged")]
    assert len(flagged) == 1 and "地区生产总值 143.2亿元" in flagged[0]
    assert "143.2亿元" in result.stdout and "134.2亿元 " not in result.stdout.split("地区生产总值")[1].split("\n")[0]
    assert "sha256" not in result.stderr


def test_validate_warns_when_the_source_is_another_file(tmp_path: Path) -> None:
    report = runner.invoke(app, ["summarize", SEED, "-f", "json", "-e", "rules"]).stdout
    saved = tmp_path / "r.json"
    saved.write_text(report, encoding="utf-8")
    edited = tmp_path / "edited.txt"
    edited.write_text(Path(SEED).read_text(encoding="utf-8") + "\n补记。", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(saved), str(edited)])
    assert "warning:" in result.stderr and "meta.source_sha256" in result.stderr


def test_schema_write_refuses_the_installed_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit import schema_files

    inside = tmp_path / "lib" / "python3.11" / "site-packages" / "reportkit" / "_resources" / "schemas" / "report.schema.json"
    inside.parent.mkdir(parents=True)
    monkeypatch.setattr(schema_files, "schema_path", lambda: inside)
    result = runner.invoke(app, ["schema", "--write"])
    assert result.exit_code == 2 and "reportkit schema -o" in result.output and not inside.exists()
    target = tmp_path / "report.schema.json"
    assert runner.invoke(app, ["schema", "-o", str(target)]).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "Report"


def test_out_must_be_a_folder(tmp_path: Path) -> None:
    taken = tmp_path / "out.json"
    taken.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["summarize", SEED, "-o", str(taken), "-e", "rules"])
    assert result.exit_code == 2 and "names a folder" in result.output and taken.read_text(encoding="utf-8") == "{}"
