"""The benchmark's documents and their gold answers. Seed folder + gold folder → paths, a synthetic big report, batches.

The seeds are real reports (about 10 KB each, 000-003; 004 is a 6 KB news item). The synthetic
report concatenates whole seed files, in order and repeatedly, until it reaches a size in bytes,
so it has the genre's real structure (site furniture, headings, figures) at scale. Gold files
(``seeds/gold``) feed the fake server's answers; without them the answers are empty but
valid, and every timing still runs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = Path(os.environ.get("REPORTKIT_BENCH_GOLD", ROOT / "seeds" / "gold"))
QUICK_SEED = "004_5b82ad2be4bb2cbb"  # the smallest seed keeps --quick fast
REFERENCE_KB = 10.0  # the brief compares the big report against a 10 KB one


@dataclass(frozen=True)
class Seed:
    """One seed report on disk."""

    stem: str
    path: Path
    size: int  # bytes on disk

    @property
    def label(self) -> str:
        return self.stem.split("_", 1)[0]


def seeds(only: list[str] | None = None) -> list[Seed]:
    """The seed reports, sorted; ``only`` keeps those whose stem starts with one of its entries."""
    found = sorted(SEEDS.glob("*.txt"))
    if only:
        found = [p for p in found if any(p.stem.startswith(o) for o in only)]
    return [Seed(p.stem, p, p.stat().st_size) for p in found]


def load_gold(directory: Path | str = GOLD) -> dict[str, dict[str, Any]]:
    """Gold annotations by seed stem (``{}`` when the folder is absent)."""
    folder = Path(directory)
    if not folder.is_dir():
        return {}
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def synthetic_report(target_bytes: int, out_dir: Path, pool: list[Seed] | None = None) -> Seed:
    """Write a report of at least ``target_bytes`` UTF-8 bytes made by concatenating seed files.

    Args:
        target_bytes: the size to reach (the last seed copy may overshoot it).
        out_dir: where the file is written.
        pool: the seeds to cycle through (default: all of them).

    Returns:
        The written file as a Seed (stem ``synthetic_<KB>kb``).
    """
    pool = pool or seeds()
    texts = [s.path.read_text(encoding="utf-8") for s in pool]
    parts: list[str] = []
    size, i = 0, 0
    while size < target_bytes:
        text = texts[i % len(texts)].rstrip("\n") + "\n\n"
        parts.append(text)
        size += len(text.encode("utf-8"))
        i += 1
    stem = f"synthetic_{round(target_bytes / 1024)}kb"
    path = out_dir / f"{stem}.txt"
    path.write_text("".join(parts), encoding="utf-8")
    return Seed(stem, path, path.stat().st_size)


def batch_paths(size: int, pool: list[Seed]) -> list[Path]:
    """``size`` document paths cycling through ``pool`` (the same file may appear many times).

    The batch runs with ``cache="off"``, so repeated files are not answered from the cache; a
    cached run of the same list then measures what the cache does for a re-run.
    """
    return [pool[i % len(pool)].path for i in range(size)]
