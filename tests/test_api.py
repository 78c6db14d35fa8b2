"""The public surface: imports, errors a user can act on, schema round trips."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import reportkit
from reportkit.schema_files import render_schema, schema_path

from conftest import ROOT, SEEDS


def test_import_does_not_load_openai_or_instructor() -> None:
    code = "import reportkit, sys; print('openai' in sys.modules, 'instructor' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False"]


def test_summarize_rules_does_not_load_openai() -> None:
    code = (
        "import reportkit, sys; reportkit.summarize('seeds/004_5b82ad2be4bb2cbb.txt', engine='rules');"
        "print('openai' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_public_names_are_sorted_and_resolve() -> None:
    assert reportkit.__all__ == sorted(reportkit.__all__)
    for name in reportkit.__all__:
        assert getattr(reportkit, name) is not None
    with pytest.raises(AttributeError):
        reportkit.not_a_name  # noqa: B018


def test_report_round_trips_through_json() -> None:
    report = reportkit.summarize(SEEDS / "000_0905f6282178ee7a.txt", engine="rules")
    again = reportkit.Report.model_validate(json.loads(report.to_json()))
    assert again.model_dump(mode="json") == report.model_dump(mode="json")


def test_schema_file_is_in_sync_with_the_models() -> None:
    assert schema_path().read_text(encoding="utf-8") == render_schema(), "run: reportkit schema --write"


def test_summarize_accepts_an_in_memory_document() -> None:
    doc = reportkit.Document.from_text("2023年工作总结\n一、经济发展\n全年实现地区生产总值12.5亿元,同比增长5.2%。")
    report = reportkit.summarize(doc, engine="rules")
    assert [(m.value, m.unit, m.check.status) for m in report.metrics] == [(12.5, "亿元", "verified"), (5.2, "%", "verified")]


def test_auto_engine_without_configuration_uses_rules() -> None:
    report = reportkit.summarize(SEEDS / "004_5b82ad2be4bb2cbb.txt")
    assert report.run.engine == "rules"


def test_llm_engine_without_configuration_says_what_to_set() -> None:
    with pytest.raises(reportkit.ConfigError) as info:
        reportkit.summarize(SEEDS / "004_5b82ad2be4bb2cbb.txt", engine="llm")
    message = str(info.value)
    assert "REPORTKIT_MODEL" in message and "OPENAI_API_KEY" in message and "engine='rules'" in message


@pytest.mark.parametrize(
    "name, content, fragment",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "does not look like text"),
        ("table.xlsx", b"PK\x03\x04 fake", "supported"),
        ("old.doc", b"\xd0\xcf\x11\xe0 fake", ".docx"),
    ],
)
def test_bad_inputs_raise_one_clear_input_error(tmp_path: Path, name: str, content: bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(reportkit.InputError) as info:
        reportkit.load(path)
    assert fragment in str(info.value)
    assert info.value.path == str(path)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(reportkit.InputError, match="nope.txt"):
        reportkit.summarize(tmp_path / "nope.txt")


def test_gbk_report_is_summarised(tmp_path: Path) -> None:
    text = (SEEDS / "000_0905f6282178ee7a.txt").read_text(encoding="utf-8")
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gbk", errors="ignore"))
    report = reportkit.summarize(path, engine="rules")
    assert any(m.value == 134.2 and m.unit == "亿元" and m.check.status == "verified" for m in report.metrics)


def test_missing_extra_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.docx"
    path.write_bytes(b"PK\x03\x04")
    monkeypatch.setitem(sys.modules, "docx", None)  # as if python-docx were not installed
    with pytest.raises(reportkit.MissingExtraError) as info:
        reportkit.load(path)
    assert "reportkit[docx]" in str(info.value)


# --------------------------------------------------------------------------- no silent fallback


def test_a_provider_without_its_key_is_a_config_error_naming_it() -> None:
    with pytest.raises(reportkit.ConfigError, match="DASHSCOPE_API_KEY"):
        reportkit.summarize(SEEDS / "004_5b82ad2be4bb2cbb.txt", settings=reportkit.Settings(provider="qwen", model="qwen-plus"))


def test_a_provider_named_in_the_environment_never_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTKIT_PROVIDER", "deepseek")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")  # another provider's key is not DeepSeek's
    with pytest.raises(reportkit.ConfigError) as info:
        reportkit.summarize(SEEDS / "004_5b82ad2be4bb2cbb.txt")
    assert "DEEPSEEK_API_KEY" in str(info.value) and "REPORTKIT_MODEL" in str(info.value)
    assert reportkit.Settings.from_env().api_key is None


def test_explicit_settings_ask_for_the_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(reportkit.ConfigError, match="REPORTKIT_MODEL"):
        reportkit.summarize(SEEDS / "004_5b82ad2be4bb2cbb.txt", settings=reportkit.Settings())
    monkeypatch.setenv("REPORTKIT_MODEL", "qwen-plus")
    monkeypatch.setenv("REPORTKIT_BASE_URL", "https://api.openai.com/v1")
    with pytest.raises(reportkit.ConfigError, match="OPENAI_API_KEY"):
        reportkit.summarize(SEEDS / "004_5b82ad2be4bb2cbb.txt")


def test_auto_falls_back_only_when_nothing_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit.api import choose_engine

    monkeypatch.setenv("OPENAI_API_KEY", "sk-shared-with-other-tools")  # alone, it names no model
    decision = choose_engine("auto")
    assert decision.engine == "rules" and "REPORTKIT_MODEL" in (decision.fallback or "")
    assert choose_engine("rules").fallback is None


def test_summarize_of_a_folder_points_to_summarize_many() -> None:
    with pytest.raises(reportkit.InputError, match="summarize_many"):
        reportkit.summarize(SEEDS)
    result = reportkit.summarize_many([SEEDS], engine="rules", progress=False)
    assert len(result.reports) == len(list(SEEDS.glob("*.txt")))
