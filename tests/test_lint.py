"""The repository's own checks: ruff's rule set and the import contracts (both in pyproject.toml).

CI runs them before the tests (.ci/run); they are tests too, so the README's test command fails
on a violation. The contracts keep the layout of ARCHITECTURE.md: only reportkit.llm imports the
model SDKs, pure stages never import the LLM engine or the entry points, and no module of a
package imports, however indirectly, a sibling that imports it back.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]' (it is in the test extra)")
    return found


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing() -> None:
    result = _run([_tool("ruff"), "check", "--no-cache", "."])
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_are_kept() -> None:
    result = _run([_tool("lint-imports"), "--no-cache"])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout and "Contracts: 3 kept" in result.stdout, result.stdout


def test_the_sdk_contract_would_catch_a_stray_import(tmp_path: Path) -> None:
    """The contract is not vacuous: a pure stage that imports openai breaks it."""
    package = tmp_path / "reportkit"
    shutil.copytree(ROOT / "reportkit", package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "cleaning.py").write_text((package / "cleaning.py").read_text(encoding="utf-8") + "\nimport openai\n",
                                         encoding="utf-8")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    result = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300, env={"PYTHONPATH": str(tmp_path), "PATH": str(BIN)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "reportkit.cleaning -> openai" in result.stdout
