"""A batch's output folder: one distinct file per input, written atomically, resumable. Reports → files.

Names. Each input's report is ``<stem>.json`` (plus ``<stem>.md`` or ``<stem>.html`` when asked).
The name becomes ``<stem>-<h>.json``, ``h`` the first 8 hex digits of the SHA-256 of the input's
absolute path, when the stem is not the input's alone: two inputs of the batch share it
(``2022/report.txt`` and ``2023/report.txt``, ``real.docx`` and ``real.pdf``), the folder already
holds ``<stem>.json`` made from another file, or the stem is one of the folder's own files
(``all``, ``metrics``, ``items``). So a name is a function of the input and the folder, and no
output ever silently replaces another input's.

The manifest. ``.reportkit-manifest.jsonl`` gets one line per report written: its name, the
input's absolute path and SHA-256, the fingerprint of the settings that change the answer, and the
SHA-256 of each file written. An output is *current* when the manifest's latest line for its name
has the same input path, the same input bytes, the same fingerprint, and its files are on disk
unchanged; ``--resume`` skips those. A line is appended only after its files are in place (each
written to a temporary file, then renamed), so an interrupted batch leaves complete files only.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

if TYPE_CHECKING:
    from .schema import Report

MANIFEST = ".reportkit-manifest.jsonl"
COMBINED = "all.json"
RESERVED_STEMS = frozenset({"all", "metrics", "items"})
STDIN = "<stdin>"


@dataclass(frozen=True)
class Entry:
    """One manifest line: what was written for one input, from what, with which settings."""

    name: str
    source: str
    source_sha256: str
    fingerprint: str
    files: tuple[tuple[str, str], ...]


def source_key(path: str) -> str:
    """The input's identity across runs: its absolute path (standard input has none)."""
    return path if path == STDIN else str(Path(path).resolve())


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes (``Document.sha256`` of an input file is the same)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _atomic_write(path: Path, text: str, encoding: str = "utf-8") -> str:
    """Write through a temporary file and rename it into place; return the bytes' SHA-256."""
    data = text.encode(encoding)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return hashlib.sha256(data).hexdigest()


class OutputFolder:
    """The folder ``--out`` names, with its manifest.

    Args:
        root: the folder (created when missing).
        fingerprint: a digest of the settings that change the answer (see ``batch.answer_fingerprint``).
        extras: per-input files besides the JSON: ``"md"`` and/or ``"html"``.
    """

    def __init__(self, root: Path, fingerprint: str, extras: Sequence[str] = ()) -> None:
        self.root = root
        self.fingerprint = fingerprint
        self.extras = tuple(extras)
        root.mkdir(parents=True, exist_ok=True)
        self._entries: dict[str, Entry] = {}
        manifest = root / MANIFEST
        if manifest.is_file():
            for line in manifest.read_text(encoding="utf-8").splitlines():
                try:
                    raw = json.loads(line)
                    entry = Entry(raw["name"], raw["source"], raw["source_sha256"], raw["fingerprint"],
                                  tuple((str(k), str(v)) for k, v in raw["files"].items()))
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue  # a line torn by a crash is as if never written
                self._entries[entry.name] = entry

    def names(self, sources: Sequence[str]) -> list[str]:
        """The output name (without suffix) of each input, distinct within the batch and the folder."""
        stems = [Path(s).stem if s != STDIN else "stdin" for s in sources]
        counts = Counter(stem.lower() for stem in stems)
        previous = {e.source: e.name for e in self._entries.values() if self._entries.get(e.name) is e}
        names: list[str] = []
        taken: set[str] = set()
        for source, stem in zip(sources, stems):
            key = source_key(source)
            digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
            name = previous.get(key) if key != STDIN else None  # an input keeps its name in a folder
            if name is None:
                shared = counts[stem.lower()] > 1 or stem.lower() in RESERVED_STEMS
                name = f"{stem}-{digest}" if shared or self._owner(stem) not in (None, key) else stem
            if name.lower() in taken:  # only when a file is itself named like another's hashed name
                name = f"{name}-{digest}"
            taken.add(name.lower())
            names.append(name)
        return names

    def _owner(self, name: str) -> str | None:
        """Which input ``name.json`` was made from: the manifest's word, else the file's own meta."""
        entry = self._entries.get(name)
        if entry is not None:
            return entry.source
        path = self.root / f"{name}.json"
        if not path.exists():
            return None
        try:
            source = json.loads(path.read_text(encoding="utf-8"))["meta"]["source"]
        except (OSError, ValueError, KeyError, TypeError):
            return "<unknown>"  # not ours to overwrite
        return source_key(source) if isinstance(source, str) and source else "<unknown>"

    def files_for(self, name: str) -> list[str]:
        """The files one input's report is written to."""
        return [f"{name}.json"] + [f"{name}.{extra}" for extra in self.extras]

    def is_current(self, name: str, source: str) -> bool:
        """True when ``name``'s files were made from these very bytes with the same settings."""
        entry = self._entries.get(name)
        if entry is None or source == STDIN or entry.source != source_key(source) or entry.fingerprint != self.fingerprint:
            return False
        written = dict(entry.files)
        try:
            if entry.source_sha256 != file_sha256(source):
                return False
            return all(f in written and file_sha256(self.root / f) == written[f] for f in self.files_for(name))
        except OSError:
            return False

    def write(self, name: str, source: str, report: "Report", source_sha256: str) -> None:
        """Write one report's files, then record them in the manifest."""
        texts = {"json": report.to_json()}
        if "md" in self.extras:
            texts["md"] = report.to_markdown()
        if "html" in self.extras:
            texts["html"] = report.to_html()
        files = {f"{name}.{ext}": _atomic_write(self.root / f"{name}.{ext}", text) for ext, text in texts.items()}
        entry = {"name": name, "source": source_key(source), "source_sha256": source_sha256,
                 "fingerprint": self.fingerprint, "files": files}
        with open(self.root / MANIFEST, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._entries[name] = Entry(name, entry["source"], source_sha256, self.fingerprint, tuple(files.items()))

    def reports(self, names: Iterable[str]) -> Iterator["Report"]:
        """The reports of ``names`` read back from disk, one at a time."""
        from .schema import Report

        for name in names:
            yield Report.model_validate_json((self.root / f"{name}.json").read_text(encoding="utf-8"))

    def write_combined(self, names: Sequence[str]) -> str:
        """``all.json``: a JSON array of the named reports, streamed from their files."""
        tmp = self.root / f".{COMBINED}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("[")
            for n, name in enumerate(names):
                fh.write(",\n" if n else "\n")
                fh.write((self.root / f"{name}.json").read_text(encoding="utf-8").strip())
            fh.write("\n]\n")
        os.replace(tmp, self.root / COMBINED)
        return COMBINED

    def write_tables(self, names: Sequence[str], fmt: str) -> list[str]:
        """``metrics.<fmt>`` and ``items.<fmt>`` (jsonl, csv or parquet) from the reports on disk.

        JSON Lines and CSV are written one report at a time; Parquet is built in memory from the
        rows (pandas), which are far smaller than the reports.
        """
        from . import exports

        written = []
        for what, rows_of, columns in (("metrics", exports.metric_rows, exports.METRIC_COLUMNS),
                                       ("items", exports.item_rows, exports.ITEM_COLUMNS)):
            target = self.root / f"{what}.{fmt}"
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            if fmt == "parquet":
                exports.to_parquet(self.reports(names), tmp, what)  # type: ignore[arg-type]
            elif fmt == "csv":
                with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel reads the Chinese right
                    writer = csv.DictWriter(fh, fieldnames=columns)
                    writer.writeheader()
                    for report in self.reports(names):
                        writer.writerows(exports.safe_rows(rows_of([report])))
            else:
                with open(tmp, "w", encoding="utf-8") as fh:
                    for report in self.reports(names):
                        for row in rows_of([report]):
                            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            os.replace(tmp, target)
            written.append(target.name)
        return written
