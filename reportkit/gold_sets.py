"""The annotated sets and where they live: seeds, corpus and the held-out sets. Checkout root → GoldDocs.

One place for the evaluation (``reportkit.eval``) and the planted-error tables
(``reportkit.check.planted``) to find the same documents, so a new held-out set is added once.
Each held-out folder's README says who wrote it and whether anyone fixing the engine may read it:
the ``PRISTINE`` ones are shown by their totals alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CORPUS_SUFFIXES: tuple[str, ...] = (".txt", ".html", ".docx", ".pdf")


@dataclass(frozen=True)
class GoldDoc:
    """One document with its gold file, in a named set (``SET_NAMES``)."""

    group: str
    path: Path
    gold: Path


def seed_docs(root: Path) -> list[GoldDoc]:
    """seeds/*.txt that have a gold file in seeds/gold/."""
    seeds, gold = root / "seeds", root / "seeds" / "gold"
    return [GoldDoc("seeds", p, gold / f"{p.stem}.json") for p in sorted(seeds.glob("*.txt")) if (gold / f"{p.stem}.json").exists()]


def corpus_docs(root: Path) -> list[GoldDoc]:
    """corpus/c*.{txt,html,docx,pdf} (not the ``.source.txt`` views, not pairs/) with their gold."""
    return _in_folder(root, "corpus", "corpus", "c")


def _in_folder(root: Path, group: str, folder: str, prefix: str) -> list[GoldDoc]:
    """``folder``/``prefix``*.{txt,html,docx,pdf} (not ``.source.txt`` views) with their gold: every set
    may hold any format users have (GBK text, a portal page, DOCX, PDF), as the corpus does."""
    where = root / folder
    return [GoldDoc(group, p, where / f"{p.stem}.json") for p in sorted(where.glob(f"{prefix}*"))
            if p.suffix in CORPUS_SUFFIXES and not p.name.endswith(".source.txt") and (where / f"{p.stem}.json").exists()]


def pair_docs(root: Path) -> list[GoldDoc]:
    """corpus/pairs/p*.txt with their gold: held out, never used to tune the rules (corpus/pairs/README.md)."""
    return _in_folder(root, "pairs", "corpus/pairs", "p")


def independent_docs(root: Path) -> list[GoldDoc]:
    """tests/data/independent/i*.txt with their gold: written apart from the rules, never tuned on (its README.md)."""
    return _in_folder(root, "independent", "tests/data/independent", "i")


def fresh_docs(root: Path) -> list[GoldDoc]:
    """tests/data/fresh/f*.txt with their gold: written apart from the rules, a development set since (its README.md)."""
    return _in_folder(root, "fresh", "tests/data/fresh", "f")


def blind_docs(root: Path) -> list[GoldDoc]:
    """tests/data/blind/b*.txt with their gold: written apart from the rules, opened for development once blind2 replaced it (its README.md)."""
    return _in_folder(root, "blind", "tests/data/blind", "b")


def blind2_docs(root: Path) -> list[GoldDoc]:
    """tests/data/blind2/k*.{txt,html} with their gold: written apart from the rules, opened for development once blind3 replaced it (its README.md)."""
    return _in_folder(root, "blind2", "tests/data/blind2", "k")


def blind3_docs(root: Path) -> list[GoldDoc]:
    """tests/data/blind3/m*.{txt,html} with their gold: seen by nobody fixing the engine, never tuned on (its README.md)."""
    return _in_folder(root, "blind3", "tests/data/blind3", "m")


SET_NAMES = ("seeds", "corpus", "pairs", "independent", "fresh", "blind", "blind2", "blind3")  # seeds and corpus first, then the held-out sets
PRISTINE = ("blind3",)
"""Held-out sets nobody fixing the engine may read entry by entry (their READMEs): the tables show
their total row only, and ``-v`` lists no miss of theirs, unless ``--open-held-out``."""
