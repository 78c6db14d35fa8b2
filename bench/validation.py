"""What the figure check costs: validation time per document and per 10k characters. Seeds + corpus + gold → timings.

Each document is validated with its own gold metrics as the report (every figure correct, so the
check does its full work: quote lookup, attribution, coverage). The scaling rows concatenate the
corpus texts (and their gold metrics, whose quotes stay exact) to about 10k, 100k and 1M
characters: a linear check costs the same per character at every size.

Method: CPU seconds of this process (``time.process_time``, so other processes' load counts
little), the median of ``repeats`` runs (one run above 200k characters). ``cold`` starts from
nothing (``reportkit.index.clear_caches()`` before each run): segmenting, the figure scan, the
SourceIndex and the checks; ``index`` is the part of it spent building the SourceIndex; ``warm``
validates again with the Document's index kept, as a re-validation (a cached report, the LLM
engine after its grounding) does. ``ms/10k`` is cold time per 10,000 characters.

``python -m bench.validation [10k 100k 1M]`` prints the table alone.
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


def _cpu(fn: Any, repeats: int, cold: bool) -> float:
    from reportkit.index import clear_caches

    times = []
    for _ in range(repeats):
        if cold:
            clear_caches()
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def _row(name: str, doc: Any, metrics: list[dict[str, Any]], repeats: int) -> dict[str, Any]:
    from reportkit import validate
    from reportkit.index import build_index

    check = lambda: validate({"metrics": metrics}, doc)  # noqa: E731
    cold = _cpu(check, repeats, cold=True) * 1000
    index = _cpu(lambda: build_index(doc), repeats, cold=True) * 1000
    build_index(doc)
    warm = _cpu(check, repeats, cold=False) * 1000
    return {"document": name, "chars": len(doc.text), "metrics": len(metrics), "cpu_ms": round(cold, 1),
            "index_ms": round(index, 1), "warm_ms": round(warm, 1), "ms_per_10k": round(cold / len(doc.text) * 10_000, 1)}


def measure(repeats: int = 3, scales: dict[str, int] | None = None) -> dict[str, Any]:
    """Validation CPU time per document (seeds, corpus) and for the concatenated reports.

    Returns:
        ``{"documents": [...], "scaling": [...], "ratio_100k_10k": float, "method": str}``; each
        row has the document, its characters and metrics, cold CPU ms (of which index ms), warm
        CPU ms and cold ms per 10k characters.
    """
    pool = documents()
    rows = [_row(name, doc, metrics, repeats) for name, doc, metrics in pool]
    scaling = []
    for label, size in (scales or SCALES).items():
        doc, metrics = concatenated(size, pool)
        scaling.append(_row(label, doc, metrics, 1 if size > 200_000 else repeats))
    per = {r["document"]: r["ms_per_10k"] for r in scaling}
    ratio = round(per["100k"] / per["10k"], 2) if per.get("10k") and "100k" in per else None
    method = f"CPU time (process_time), median of {repeats} runs (1 above 200k chars); cold = caches cleared; warm = index kept"
    return {"documents": rows, "scaling": scaling, "ratio_100k_10k": ratio, "method": method}


def render(result: dict[str, Any]) -> str:
    """The measurement as a plain-text table."""
    lines = [f"{'document':<10} {'chars':>9} {'metrics':>8} {'cold ms':>10} {'index ms':>9} {'warm ms':>9} {'ms/10k':>8}"]
    for r in result["documents"] + result["scaling"]:
        lines.append(f"{r['document']:<10} {r['chars']:>9} {r['metrics']:>8} {r['cpu_ms']:>10.1f} {r.get('index_ms', 0):>9.1f}"
                     f" {r.get('warm_ms', 0):>9.1f} {r['ms_per_10k']:>8.1f}")
    lines.append(f"per-character cost, 100k / 10k: {result['ratio_100k_10k']}")
    if result.get("method"):
        lines.append(result["method"])
    return "\n".join(lines)


if __name__ == "__main__":
    wanted = {k: v for k, v in SCALES.items() if not sys.argv[1:] or k in sys.argv[1:]}
    print(render(measure(scales=wanted)))
