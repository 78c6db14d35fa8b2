"""The examples run as users run them, so they never rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS


def test_batch_pipeline_writes_parquet_and_names_bad_inputs(tmp_path: Path) -> None:
    import pandas as pd

    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "broken.txt").write_bytes(b"")
    out = tmp_path / "metrics.parquet"
    run = subprocess.run(
        [sys.executable, "examples/batch_pipeline.py", str(folder), str(out), "--engine", "rules"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert "broken.txt" in run.stderr and "empty" in run.stderr
    frame = pd.read_parquet(out)
    assert set(frame.source.map(lambda s: Path(s).name)) == {p.name for p in SEEDS.glob("*.txt")}
    assert (frame.check_status == "verified").all()


def test_quickstart_notebook_executes() -> None:
    nbformat = pytest.importorskip("nbformat", reason="install the test extra: pip install -e '.[test]'")
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "examples" / "quickstart.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = "".join(
        str(o.get("data", {}).get("text/plain", "")) + str(o.get("data", {}).get("text/html", "")) + str(o.get("text", ""))
        for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
    )
    assert not [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs if o.output_type == "error"]
    assert "('地区生产总值', 134.2, '亿元', 'verified')" in outputs
    assert "<html" in outputs.lower() or "data-entry" in outputs  # the review page was displayed
    assert "台城街道办事处" in outputs
