"""Mutation fuzzing of whole reports for a time budget (issue 14's "done when"). Seed + corpus texts → counts, slowest run per size.

The hypothesis test (``tests/test_property_inputs.py``) mutates 30-line windows with a small fixed
budget so it stays in the suite; this section mutates whole reports, and grows them towards the
input limit, for as long as it is given: the shapes that were once super-linear (a passage
repeated, lines joined into one run-on, every clause break removed, heading-only lines, figures
glued into lists) come from the same operations at scale. Each mutant goes through the public
API (``summarize(engine="rules")``, which loads, segments, reads every figure and runs the figure
check) with the report cache off, and then:

* an exception other than a ``ReportkitError`` is a failure; so is any span that does not index
  its quote exactly (``text[start:end] == quote``);
* a ``ReportkitError`` (the input limits' ``InputError``) is a refusal, counted by type;
* CPU seconds (``time.process_time``) are kept per size bucket, with the operations of the slowest.

A mutant that runs over ``stall_s`` is stopped by an alarm and counted as a failure. Every failure's
text is written to ``bench/results/fuzz/`` (its sha256 as the name) so it can be replayed with
``reportkit summarize FILE -e rules``. The random stream is seeded: the same seed and budget give
the same mutants in the same order (how many fit in the budget depends on the machine).
"""

from __future__ import annotations

import hashlib
import random
import signal
import time
import traceback
from typing import Any, Callable

from . import corpus

FAILURES = corpus.ROOT / "bench" / "results" / "fuzz"
BUCKETS = (10_000, 30_000, 100_000, 200_000, 300_000)  # upper bounds of a mutant's length, in characters

MARKERS = ("一、", "十二、", "（一）", "(三)", "1、", "1.", "３．", "(1)", "（２）", "①", "⑳", "一是", "十是", "第一部分",
           "**二、", "### 三、", "【四】", "一、工作回顾", "二、存在问题", "三、下一步打算", "主要预期目标是:")
STRANGE = ("\x00", "\x0b", "\x0c", "\r", "\r\n", "\u2028", "\u200b", "\ufeff", "\u3000", "\U0001f600", "①②③", "０１２３", "½",
           "〇", "|", "\t", "。。。", "%%", "％", "—", "（", "）", "【", "《", "“", "=HYPERLINK(\"x\")", "<script>", "\\")
FIGURES = ("增长5%", "1公里、", "完成投资3.2亿元，同比增长12.5%，", "其中", "分别为", "百分之十二", "1、", "较上年提高1.2个百分点")
WIDTHS = (("，", ","), ("。", "."), ("；", ";"), ("：", ":"), ("（", "("), ("）", ")"), ("％", "%"), ("、", ","))
BREAKS = "，。；：、,.;:\n"


def _lines(r: random.Random, text: str, bases: list[str]) -> str:
    """One line-level edit: a marker, a strange character, a deletion, a duplicated or long line, a join."""
    lines = text.split("\n")
    i = r.randrange(len(lines))
    line = lines[i]
    at = r.randint(0, len(line))
    op = r.randrange(6)
    if op == 0:
        lines.insert(i, r.choice(MARKERS) + line[: r.randint(0, 20)])
    elif op == 1:
        lines[i] = line[:at] + r.choice(STRANGE) + line[at:]
    elif op == 2:
        del lines[i : i + r.randint(1, 5)]
    elif op == 3:
        lines[i:i] = lines[i : i + r.randint(1, 8)]
    elif op == 4:
        lines[i] = line * r.randint(5, 60)
    else:
        lines[i : i + 2] = ["".join(lines[i : i + 2])]
    return "\n".join(lines) or r.choice(bases)[:200]


def _passage(r: random.Random, text: str, bases: list[str]) -> str:
    """A passage of the text repeated in place, 2-40 times (the shape of a pasted page stuck in a loop)."""
    a = r.randrange(len(text))
    b = min(len(text), a + r.randint(50, 3000))
    return text[:b] + text[a:b] * r.randint(2, 40) + text[b:]


def _concat(r: random.Random, text: str, bases: list[str]) -> str:
    """Another whole report appended (a folder of reports saved as one file)."""
    return text + "\n" + r.choice(bases)


def _run_on(r: random.Random, text: str, bases: list[str]) -> str:
    """Every line break, or every clause break, removed from a stretch: one long run-on sentence."""
    a = r.randrange(len(text))
    b = min(len(text), a + r.randint(500, 50_000))
    drop = "\n" if r.random() < 0.5 else BREAKS
    return text[:a] + "".join(ch for ch in text[a:b] if ch not in drop) + text[b:]


def _figures(r: random.Random, text: str, bases: list[str]) -> str:
    """A figure shape repeated hundreds of times at one place (lists, 其中 chains, growth clauses)."""
    at = r.randrange(len(text) + 1)
    return text[:at] + r.choice(FIGURES) * r.randint(10, 800) + text[at:]


def _headings(r: random.Random, text: str, bases: list[str]) -> str:
    """Lines that are only headings of one or more kinds, hundreds of them."""
    kinds = [r.choice(MARKERS) for _ in range(r.randint(1, 3))]
    block = "\n".join(f"{kinds[i % len(kinds)]}工作{i}" for i in range(r.randint(50, 3000)))
    at = r.randrange(len(text) + 1)
    return text[:at] + "\n" + block + "\n" + text[at:]


def _width(r: random.Random, text: str, bases: list[str]) -> str:
    """One punctuation width for the other, or digits as full-width or Chinese numerals, in the whole text."""
    if r.random() < 0.7:
        a, b = r.choice(WIDTHS)
        return text.replace(*((b, a) if r.random() < 0.5 else (a, b)))
    table = str.maketrans("0123456789", "０１２３４５６７８９" if r.random() < 0.5 else "〇一二三四五六七八九")
    return text.translate(table)


OPERATIONS: dict[str, Callable[[random.Random, str, list[str]], str]] = {
    "lines": _lines, "passage": _passage, "concat": _concat, "run_on": _run_on, "figures": _figures,
    "headings": _headings, "width": _width,
}
_WEIGHTS = {"lines": 6, "passage": 2, "concat": 1, "run_on": 1, "figures": 1, "headings": 1, "width": 1}


def mutant(r: random.Random, bases: list[str]) -> tuple[str, list[str]]:
    """A base report with 1-6 mutations, and their names in order."""
    text = r.choice(bases)
    names = r.choices(list(_WEIGHTS), weights=list(_WEIGHTS.values()), k=r.randint(1, 6))
    for name in names:
        text = OPERATIONS[name](r, text, bases) if text else r.choice(bases)
    return text, names


def spans_exact(node: Any, text: str) -> str | None:
    """The path of the first span that leaves the text or does not hold its quote, else None."""
    stack: list[tuple[str, Any]] = [("report", node)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, dict):
            span = item.get("span")
            if span is not None:
                start, end = span
                if not 0 <= start <= end <= len(text) or ("quote" in item and text[start:end] != item["quote"]):
                    return f"{path}: span {span}"
            stack.extend((f"{path}.{k}", v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(item))
    return None


class _Stalled(Exception):
    """A mutant ran past the stall limit."""


def _alarm(signum: int, frame: Any) -> None:
    raise _Stalled


def _bucket(n: int, limit: int) -> str:
    bound = next((b for b in BUCKETS if n <= b), None)
    return f"<= {bound // 1000}k" if bound is not None and n <= limit else "over the limit"


def _save(text: str) -> str:
    FAILURES.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16] + ".txt"
    (FAILURES / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    return str((FAILURES / name).relative_to(corpus.ROOT))


def fuzz(seconds: float = 120.0, seed: int = 11, stall_s: float = 30.0) -> dict[str, Any]:
    """Mutants of the seeds and corpus reports through ``summarize(engine="rules")`` for ``seconds``."""
    import reportkit
    from reportkit.cleaning import with_boilerplate
    from reportkit.document import Document
    from reportkit.errors import ReportkitError
    from reportkit.limits import max_input_chars
    from reportkit.settings import Settings

    paths = sorted(corpus.SEEDS.glob("*.txt")) + sorted(p for p in (corpus.ROOT / "corpus").glob("c*.txt")
                                                         if not p.name.endswith(".source.txt"))
    bases = [reportkit.load(p).text for p in paths]
    settings = Settings(cache="off")
    limit = max_input_chars()
    r = random.Random(seed)
    rows: dict[str, dict[str, Any]] = {}
    refused: dict[str, int] = {}
    failures: list[dict[str, Any]] = []
    count = chars = 0
    previous = signal.signal(signal.SIGALRM, _alarm)
    until = time.monotonic() + seconds
    try:
        while time.monotonic() < until:
            text, names = mutant(r, bases)
            count += 1
            chars += len(text)
            doc = with_boilerplate(Document.from_text(text))
            problem = None
            signal.setitimer(signal.ITIMER_REAL, stall_s)
            cpu = time.process_time()
            try:
                report = reportkit.summarize(doc, engine="rules", settings=settings)
                problem = spans_exact(report.model_dump(), text)
            except ReportkitError as exc:
                refused[type(exc).__name__] = refused.get(type(exc).__name__, 0) + 1
            except _Stalled:
                problem = f"over {stall_s:g} s"
            except Exception as exc:  # noqa: BLE001 - what the fuzzer is looking for
                problem = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:300]
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            spent = time.process_time() - cpu
            if problem is not None:
                failures.append({"chars": len(text), "operations": names, "problem": problem, "saved": _save(text)})
            row = rows.setdefault(_bucket(len(text), limit), {"mutants": 0, "slowest_s": 0.0})
            row["mutants"] += 1
            if spent > row["slowest_s"]:
                row.update(slowest_s=round(spent, 3), slowest_chars=len(text), slowest_operations=names,
                           slowest_us_per_char=round(spent * 1e6 / max(1, len(text)), 1))
    finally:
        signal.signal(signal.SIGALRM, previous)
    order = [f"<= {b // 1000}k" for b in BUCKETS] + ["over the limit"]
    return {
        "seconds": seconds, "seed": seed, "mutants": count, "characters": chars, "refused": refused,
        "failures": failures, "limit_chars": limit,
        "rows": [{"size": name, **rows[name]} for name in order if name in rows],
        "note": f"{len(bases)} base reports (seeds + corpus c*.txt); 1-6 mutations each (line edits, repeated "
                "passages, appended reports, run-ons, repeated figure shapes, heading blocks, punctuation and digit "
                "forms); summarize(engine='rules'), cache off; CPU = process_time of that call; a failure is an "
                "exception other than ReportkitError, a span that does not hold its quote, or a stall",
    }


def render(result: dict[str, Any]) -> str:
    head = (f"== Fuzzing: {result['mutants']} mutants, {result['characters']:,} characters in {result['seconds']:g} s "
            f"(seed {result['seed']}); refused {result['refused'] or 'none'}; failures {len(result['failures'])}")
    lines = [head, "| size | mutants | slowest s | at chars | us/char | operations of the slowest |", "|---|---:|---:|---:|---:|---|"]
    for row in result["rows"]:
        lines.append(f"| {row['size']} | {row['mutants']} | {row['slowest_s']} | {row.get('slowest_chars', '')} | "
                     f"{row.get('slowest_us_per_char', '')} | {', '.join(row.get('slowest_operations', []))} |")
    for failure in result["failures"][:10]:
        lines.append(f"  failure at {failure['chars']} chars ({', '.join(failure['operations'])}): {failure['problem']} "
                     f"-> {failure['saved']}")
    lines.append(result["note"])
    return "\n".join(lines)
