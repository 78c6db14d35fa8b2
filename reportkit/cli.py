"""The command line: owns the terminal. argv → reports on stdout or in files, and an exit status.

    reportkit summarize PATH... [--engine auto|rules|llm] [--format md|json] [--out DIR]
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


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _expand(paths: List[str]) -> list[Path]:
    """Files, folders (their supported files) and globs, in a stable order."""
    from .loading import SUPPORTED_SUFFIXES

    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES)
        elif any(c in raw for c in "*?["):
            out += sorted(Path().glob(raw)) if not p.is_absolute() else sorted(Path(p.anchor).glob(str(p.relative_to(p.anchor))))
        else:
            out.append(p)  # missing files are reported by load() with a clear message
    return out


@app.command()
def summarize(
    paths: List[str] = typer.Argument(..., help="Report files, folders or globs."),
    engine: EngineOpt = typer.Option(EngineOpt.auto, help="auto uses the LLM engine when configured, else rules."),
    fmt: FormatOpt = typer.Option(FormatOpt.md, "--format", "-f", help="md for people, json for machines."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write one JSON per input (and all.json) here."),
) -> None:
    """Summarise reports; print Markdown (default) or JSON, or write JSON files with --out."""
    from . import api
    from .errors import ReportkitError

    console, errors = _console(), _console(stderr=True)
    files = _expand(paths)
    if not files:
        errors.print("[red]error:[/red] no input files matched")
        raise typer.Exit(2)
    reports, failures = [], []
    for path in files:
        try:
            report = api.summarize(path, engine=engine.value)
        except ReportkitError as exc:
            failures.append((path, type(exc).__name__, str(exc)))
            errors.print(f"[red]error:[/red] {exc}")
            continue
        reports.append((path, report))
        if out is None:
            if fmt is FormatOpt.json:
                sys.stdout.write(report.to_json() + "\n")
            else:
                console.print(report.to_markdown(), markup=False)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for path, report in reports:
            (out / (path.stem + ".json")).write_text(report.to_json(), encoding="utf-8")
        combined = [json.loads(r.to_json()) for _, r in reports]
        (out / "all.json").write_text(json.dumps(combined, ensure_ascii=False, indent=2), encoding="utf-8")
        errors.print(f"wrote {len(reports)} report(s) to {out}")
    if failures:
        errors.print(f"[red]{len(failures)} of {len(files)} input(s) failed:[/red]")
        for path, kind, message in failures:
            errors.print(f"  {path}: {kind}: {message}", markup=False)
        raise typer.Exit(1)


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
