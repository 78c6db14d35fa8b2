"""What the figure check costs: validation time per document and per 10k characters. Seeds + corpus + gold → timings.

Each document is validated with its own gold metrics as the report (every figure correct, so the
check does its full work: quote lookup, attribution, coverage). The scaling rows concatenate the
corpus texts (and their gold metrics, whose quotes stay exact) to about 10k, 100k and 1M
characters: a linear check costs the same per character at every size. Times are CPU seconds of
this process (``time.process_time``), the median of ``repeats`` runs.

``python -m bench.validation`` prints the table alone.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SOURCE_SUFFIXES = (".txt", ".html", ".docx", ".pdf")
SCALES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def documents() -> list[tuple[str, Any, list[dict[str, Any]]]]:
    """(name, loaded Document, gold metrics) for every seed and every corpus report with gold."""
    import reportkit

    out = []
    for gold in sorted((ROOT / "seeds" / "gold").glob("*.json")):
        path = ROOT / "seeds" / f"{gold.stem}.txt"
        if path.exists():
            out.append((gold.stem[:3], reportkit.load(path), json.loads(gold.read_text(encoding="utf-8"))["metrics"]))
    for gold in sorted(CORPUS.glob("c*.json")):
        found = [p for p in CORPUS.glob(gold.stem + ".*") if p.suffix in SOURCE_SUFFIXES and not p.name.endswith(".source.txt")]
        if found:
            out.append((gold.stem.split("_")[0], reportkit.load(found[0]), json.loads(gold.read_text(encoding="utf-8"))["metrics"]))
    return out


def concatenated(target_chars: int, pool: list[tuple[str, Any, list[dict[str, Any]]]]) -> tuple[Any, list[dict[str, Any]]]:
    """A Document of at least ``target_chars`` made of whole plain-text corpus reports, with their gold metrics."""
    from reportkit.document import Document

    texts = [(d.text, m) for name, d, m in pool if name.startswith("c") and d.format == "text"]
    parts: list[str] = []
    metrics: list[dict[str, Any]] = []
    size, i = 0, 0
    while size < target_chars:
        text, gold = texts[i % len(texts)]
        parts.append(text.rstrip("\n") + "\n\n")
        metrics += [{k: v for k, v in m.items() if k != "span"} for m in gold]
        size += len(parts[-1])
        i += 1
    return Document.from_text("".join(parts), source=f"<corpus × {i}>"), metrics


def _cpu(fn: Any, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def measure(repeats: int = 3, scales: dict[str, int] | None = None) -> dict[str, Any]:
    """Validation CPU time per document (seeds, corpus) and for the concatenated reports.

    Returns:
        ``{"documents": [...], "scaling": [...], "ratio_100k_10k": float}``; each row has the
        document, its characters and metrics, CPU ms and ms per 10k characters.
    """
    from reportkit import validate

    pool = documents()
    rows = []
    for name, doc, metrics in pool:
        ms = _cpu(lambda m=metrics, d=doc: validate({"metrics": m}, d), repeats) * 1000
        rows.append({"document": name, "chars": len(doc.text), "metrics": len(metrics), "cpu_ms": round(ms, 1),
                     "ms_per_10k": round(ms / len(doc.text) * 10_000, 1)})
    scaling = []
    for label, size in (scales or SCALES).items():
        doc, metrics = concatenated(size, pool)
        ms = _cpu(lambda m=metrics, d=doc: validate({"metrics": m}, d), 1 if size > 200_000 else repeats) * 1000
        scaling.append({"document": label, "chars": len(doc.text), "metrics": len(metrics), "cpu_ms": round(ms, 1),
                        "ms_per_10k": round(ms / len(doc.text) * 10_000, 1)})
    per = {r["document"]: r["ms_per_10k"] for r in scaling}
    ratio = round(per["100k"] / per["10k"], 2) if per.get("10k") and "100k" in per else None
    return {"documents": rows, "scaling": scaling, "ratio_100k_10k": ratio}


def render(result: dict[str, Any]) -> str:
    """The measurement as a plain-text table."""
    lines = [f"{'document':<10} {'chars':>9} {'metrics':>8} {'cpu ms':>10} {'ms/10k':>8}"]
    for r in result["documents"] + result["scaling"]:
        lines.append(f"{r['document']:<10} {r['chars']:>9} {r['metrics']:>8} {r['cpu_ms']:>10.1f} {r['ms_per_10k']:>8.1f}")
    lines.append(f"per-character cost, 100k / 10k: {result['ratio_100k_10k']}")
    return "\n".join(lines)


if __name__ == "__main__":
    wanted = {k: v for k, v in SCALES.items() if not sys.argv[1:] or k in sys.argv[1:]}
    print(render(measure(scales=wanted)))
