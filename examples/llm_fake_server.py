"""Run the LLM engine end to end with no API key: a fake OpenAI server answers from gold annotations.

    python examples/llm_fake_server.py [SEED_FILE]

``reportkit.testing.FakeOpenAI`` plays the model. Its responder reads the chunk out of each
request and answers with the gold metrics, problems and plans whose quotes lie inside that chunk
(from seeds/gold/<seed>.json); the final overview call gets the gold meta. Everything else is
the real pipeline: chunking, the openai SDK, instructor's validation and re-asks, the cache (here a
temporary directory), locating, merging and the figure check. Prints the Markdown summary.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from reportkit import summarize  # noqa: E402
from reportkit.settings import Settings  # noqa: E402
from reportkit.testing import FakeOpenAI, RecordedRequest  # noqa: E402

SEED = ROOT / "seeds" / "000_0905f6282178ee7a.txt"
CHUNK = re.compile(r"【原文开始】\n(.*)\n【原文结束】", re.S)
META_KEYS = ("organization", "region", "report_year", "published", "doc_type")


def gold_responder(gold: dict):
    """A responder that answers each chunk request with the gold entries quoted from that chunk."""

    def respond(request: RecordedRequest) -> dict:
        found = CHUNK.search(request.user_text)
        if found is None:  # the final call: overview and meta
            meta = {k: gold.get(k) for k in META_KEYS}
            return {"overview": f"{gold['organization']}{gold['report_year']}年经济社会平稳发展，各项工作取得新成效。", "meta": meta}
        chunk = found.group(1)
        metrics = [m for m in gold["metrics"] if m["quote"] in chunk]
        problems = [{"title": p["text"].split(":")[0], "text": p["text"], "quote": p["quote"]}
                    for p in gold["problems"] if p["quote"] in chunk]
        plans = [{"title": p["text"].split(":")[0], "text": p["text"], "quote": p["quote"]}
                 for p in gold["plans"] if p["quote"] in chunk]
        review = [{"title": r.split(",")[0], "text": r, "quote": r} for r in gold["review_points"] if r in chunk]
        return {"review": review, "problems": problems, "plans": plans, "metrics": metrics}

    return respond


def main(seed: Path = SEED) -> int:
    gold_file = ROOT / "seeds" / "gold" / f"{seed.stem}.json"
    if not gold_file.exists():
        print(f"gold annotations not found: {gold_file}", file=sys.stderr)
        return 1
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    with FakeOpenAI(responder=gold_responder(gold)) as server, tempfile.TemporaryDirectory() as cache:
        settings = Settings(model="fake-model", base_url=server.base_url, api_key="no-key-needed", cache_dir=cache)
        report = summarize(seed, engine="llm", settings=settings)
        print(report.to_markdown())
        run = report.run
        print(f"\n<!-- {len(server.requests)} requests; run: calls={run.calls} cache_hits={run.cache_hits} "
              f"input_tokens={run.input_tokens} output_tokens={run.output_tokens} failures={len(run.failures)} -->")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else SEED))
