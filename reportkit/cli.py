"""The command line: owns the terminal. argv → reports on stdout or in files, and an exit status.

    reportkit summarize PATH... [--engine auto|rules|llm] [--format md|json|jsonl|csv|parquet] [--out DIR]
    reportkit validate REPORT.json SOURCE [--format md|json]
    reportkit schema [--write]
    reportkit cache info|clear|export FILE|import FILE
    reportkit serve-local MODEL.gguf
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
        exports.write_csv(reports, sys.stdout)  # formula-safe, like the files


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


cache_app = typer.Typer(no_args_is_help=True, help="The response cache: inspect, clear, ship it with a result.")
app.add_typer(cache_app, name="cache")
_CACHE_DIR = typer.Option(None, "--cache-dir", help="Default: REPORTKIT_CACHE_DIR or ~/.cache/reportkit.")


def _cache_dir(given: Optional[Path]) -> Path:
    from .settings import Settings

    return given if given is not None else Settings.from_env().cache_dir


@cache_app.command("info")
def cache_info(cache_dir: Optional[Path] = _CACHE_DIR) -> None:
    """Where the cache is, how many responses it holds and its size."""
    from .llm.cache import cache_info as info

    data = info(_cache_dir(cache_dir))
    _console().print(f"{data['path']}: {data['entries']} response(s), {data['bytes'] / 1e6:.1f} MB", markup=False)


@cache_app.command("clear")
def cache_clear(cache_dir: Optional[Path] = _CACHE_DIR) -> None:
    """Remove every cached response."""
    from .llm.cache import clear

    _console().print(f"removed {clear(_cache_dir(cache_dir))} response(s)")


@cache_app.command("export")
def cache_export(file: Path = typer.Argument(..., help="JSON Lines file to write."), cache_dir: Optional[Path] = _CACHE_DIR) -> None:
    """Write every cached response to FILE, to ship beside a published result."""
    from .llm.cache import export

    _console().print(f"exported {export(_cache_dir(cache_dir), file)} response(s) to {file}", markup=False)


@cache_app.command("import")
def cache_import(file: Path = typer.Argument(..., help="A file written by 'cache export'."), cache_dir: Optional[Path] = _CACHE_DIR) -> None:
    """Load responses from FILE; then REPORTKIT_CACHE=replay reproduces a result offline."""
    from .llm.cache import import_
    from .errors import ReportkitError

    try:
        count = import_(_cache_dir(cache_dir), file)
    except (ReportkitError, OSError) as exc:
        _console(stderr=True).print(f"error: {exc}", markup=False)
        raise typer.Exit(2)
    _console().print(f"imported {count} response(s) from {file}", markup=False)


@app.command("serve-local")
def serve_local_command(
    model: Path = typer.Argument(..., help="A .gguf model file."),
    port: int = typer.Option(8080, help="8080 is where the llamacpp provider preset looks."),
    n_ctx: int = typer.Option(4096, help="Context size in tokens."),
    threads: Optional[int] = typer.Option(None, help="CPU threads (default: all cores)."),
) -> None:
    """Serve a local GGUF model for the llamacpp provider until Ctrl-C (needs the local extra)."""
    import time

    from .errors import ReportkitError
    from .llm.local import serve_local

    errors = _console(stderr=True)
    try:
        with serve_local(model, port=port, n_ctx=n_ctx, n_threads=threads) as url:
            errors.print(f"serving {model} at {url}; use REPORTKIT_PROVIDER=llamacpp (Ctrl-C stops)")
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        errors.print("stopped")
    except ReportkitError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)


from .cli_track import track_command  # noqa: E402  (the track command lives in its own module)

app.command("track")(track_command)


def main() -> None:
    """Entry point of the ``reportkit`` script."""
    app()


if __name__ == "__main__":
    main()
