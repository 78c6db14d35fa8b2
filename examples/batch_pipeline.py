"""A folder of reports in, one Parquet table of checked metrics out.

    python examples/batch_pipeline.py seeds out/metrics.parquet [--engine rules]

Bad inputs are listed and skipped; the exit status is 1 when any input failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import reportkit
from reportkit.batch import expand_paths
from reportkit.exports import to_parquet


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", help="folder (or glob) of report files")
    parser.add_argument("output", type=Path, help="the Parquet file to write")
    parser.add_argument("--engine", default="auto", choices=["auto", "rules", "llm"])
    args = parser.parse_args(argv)

    result = reportkit.summarize_many(expand_paths([args.folder]), engine=args.engine)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    to_parquet(result.reports, args.output)
    totals = result.totals
    flagged = sum(r.validation.flagged for r in result.reports)
    print(f"{totals['reports']} report(s), {sum(len(r.metrics) for r in result.reports)} metrics "
          f"({flagged} flagged) -> {args.output}")
    for failure in result.failures:
        print(f"skipped {failure.path}: {failure.message}", file=sys.stderr)
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
