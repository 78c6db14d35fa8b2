"""The gold copies inside the repository stay equal to ../shared, the reference, when it is beside us.

The suite reads only the in-repo copies (seeds/gold/, corpus/), so a fresh clone tests itself; this
test notices when the reference was revised and the copies were not refreshed.
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
COPIES = [("gold", ROOT / "seeds" / "gold"), ("corpus", ROOT / "corpus"), ("seeds", ROOT / "seeds")]


def _files(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.parametrize(("reference", "copy"), COPIES, ids=[c[0] for c in COPIES])
def test_copy_equals_the_shared_reference(reference: str, copy: Path) -> None:
    theirs = SHARED / reference
    if not theirs.is_dir():
        pytest.skip(f"{theirs} is not beside the repository; the in-repo copy {copy} is used as it is")
    mine, ref = _files(copy), _files(theirs)
    if reference == "seeds":  # seeds/ also holds gold/ (the copy of ../shared/gold)
        mine = {k: v for k, v in mine.items() if not k.startswith("gold/")}
    assert sorted(mine) == sorted(ref), f"{copy} and {theirs} hold different files: refresh the copy"
    changed = [name for name in ref if not filecmp.cmp(ref[name], mine[name], shallow=False)]
    assert not changed, f"copied files differ from {theirs}: {changed} (refresh the copy with cp -r)"


def test_copies_are_in_the_repository() -> None:
    assert len(list((ROOT / "seeds" / "gold").glob("*.json"))) == 5
    assert len(list((ROOT / "corpus").glob("c*.json"))) == 16
