"""The command line: owns the terminal. argv → reports on stdout or in files, and an exit status.

    reportkit summarize PATH... [--engine auto|rules|llm] [--format md|json|jsonl|csv|parquet] [--out DIR]
    reportkit validate REPORT.json SOURCE [--format md|json]
    reportkit schema [--write]
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Structured, checked summaries of Chinese work reports.")


class EngineOpt(str, Enum):
    auto = "auto"
    rules = "rules"
    llm = "llm"


class FormatOpt(str, Enum):
    md = "md"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


@app.command()
def summarize(
    paths: List[str] = typer.Argument(..., help="Report files, folders or globs."),
    engine: EngineOpt = typer.Option(EngineOpt.auto, help="auto uses the LLM engine when configured, else rules."),
    fmt: FormatOpt = typer.Option(FormatOpt.md, "--format", "-f", help="md, json; for batches also jsonl, csv, parquet."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write one JSON per input (and all.json) here."),
    concurrency: Optional[int] = typer.Option(None, help="Documents in flight at once."),
    progress: bool = typer.Option(True, help="Progress bar on a terminal."),
) -> None:
    """Summarise reports: Markdown (default) or JSON on stdout, or files under --out."""
    from .batch import expand_paths, summarize_many

    errors = _console(stderr=True)
    files = expand_paths(paths)
    if not files:
        errors.print("[red]error:[/red] no input files matched")
        raise typer.Exit(2)
    if fmt is FormatOpt.parquet and out is None:
        errors.print("[red]error:[/red] --format parquet writes files: add --out DIR")
        raise typer.Exit(2)
    result = summarize_many(files, engine=engine.value, concurrency=concurrency, progress=progress)
    if out is None:
        _print_reports(result.reports, fmt)
    else:
        _write_reports(result, out, fmt)
    if result.failures:
        _failure_table(result, len(files))
        raise typer.Exit(1)


def _print_reports(reports: list, fmt: FormatOpt) -> None:
    from . import exports

    if fmt is FormatOpt.md:
        console = _console()
        for report in reports:
            console.print(report.to_markdown(), markup=False)
    elif fmt is FormatOpt.json:
        for report in reports:
            sys.stdout.write(report.to_json() + "\n")
    elif fmt is FormatOpt.jsonl:
        for report in reports:
            sys.stdout.write(report.model_dump_json() + "\n")
    elif fmt is FormatOpt.csv:
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=exports.METRIC_COLUMNS)
        writer.writeheader()
        writer.writerows(exports.metric_rows(reports))


def _write_reports(result, out: Path, fmt: FormatOpt) -> None:  # type: ignore[no-untyped-def]
    from . import exports

    out.mkdir(parents=True, exist_ok=True)
    for path, report in zip(result.paths, result.reports):
        (out / (Path(path).stem + ".json")).write_text(report.to_json(), encoding="utf-8")
    combined = [json.loads(r.to_json()) for r in result.reports]
    (out / "all.json").write_text(json.dumps(combined, ensure_ascii=False, indent=2), encoding="utf-8")
    written = [f"{len(result.reports)} report(s)", "all.json"]
    if fmt in (FormatOpt.jsonl, FormatOpt.csv, FormatOpt.parquet):
        writer = {"jsonl": exports.to_jsonl, "csv": exports.to_csv, "parquet": exports.to_parquet}[fmt.value]
        for what in ("metrics", "items"):
            writer(result.reports, out / f"{what}.{fmt.value}", what)
            written.append(f"{what}.{fmt.value}")
    _console(stderr=True).print(f"wrote {', '.join(written)} to {out}")


def _failure_table(result, total: int) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    table = Table(title=f"{len(result.failures)} of {total} input(s) failed", title_justify="left")
    for column in ("input", "error", "what to do"):
        table.add_column(column, overflow="fold")
    for failure in result.failures:
        table.add_row(failure.path, failure.error_type, failure.message)
    _console(stderr=True).print(table)


@app.command()
def validate(
    report_json: Path = typer.Argument(..., help="A report in the Report JSON shape."),
    source: Path = typer.Argument(..., help="The source report file it was made from."),
    fmt: FormatOpt = typer.Option(FormatOpt.md, "--format", "-f"),
) -> None:
    """Check every figure of REPORT_JSON against SOURCE; exit 1 when anything is flagged."""
    from . import api
    from .errors import ReportkitError
    from .validation import validate as run_validation

    try:
        data = json.loads(report_json.read_text(encoding="utf-8"))
        checked = run_validation(data, api.load(source))
    except (OSError, json.JSONDecodeError, ReportkitError) as exc:
        _console(stderr=True).print(f"[red]error:[/red] {exc}", markup=True)
        raise typer.Exit(2)
    if fmt is FormatOpt.json:
        sys.stdout.write(checked.to_json() + "\n")
    else:
        _console().print(checked.to_markdown(), markup=False)
    raise typer.Exit(1 if checked.validation.flagged else 0)


@app.command()
def schema(write: bool = typer.Option(False, "--write", help="Write schemas/report.schema.json.")) -> None:
    """Print the Report JSON Schema, or write it to the schemas folder."""
    from .schema_files import render_schema, schema_path

    text = render_schema()
    if write:
        path = schema_path()
        path.write_text(text, encoding="utf-8")
        _console(stderr=True).print(f"wrote {path}")
    else:
        sys.stdout.write(text)


def main() -> None:
    """Entry point of the ``reportkit`` script."""
    app()


if __name__ == "__main__":
    main()
