"""The command line: owns the terminal. argv → reports on stdout or in files, and an exit status.

    reportkit summarize PATH... [-e auto|rules|llm] [-f md|json|jsonl|csv|parquet|html] [-o DIR] [-r] [--resume]
    reportkit validate REPORT.json SOURCE [-f md|json]
    reportkit schema [--write | -o FILE]
    reportkit cache info|clear|export FILE|import FILE
    reportkit serve-local MODEL.gguf

Exit status: 0 done, 1 some input failed or a figure is flagged, 2 a usage or configuration error,
130 interrupted. Everything but the results goes to stderr.
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any, List, Optional

import typer
from typer.core import TyperCommand

CONTEXT = {"help_option_names": ["-h", "--help"]}


class _Command(TyperCommand):
    """Help like click's and ruff's: ``PATH...`` for arguments, no ``<list[str]>``/``<bool>`` type labels."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        params = self.get_params(ctx)
        pieces = ["[OPTIONS]"] if any(p.param_type_name == "option" for p in params) else []
        return pieces + [_arg_name(p) for p in params if p.param_type_name == "argument"]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        args, opts = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                args.append((_arg_name(param), getattr(param, "help", None) or ""))
            else:
                opts.append(record)
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _arg_name(param: Any) -> str:
    name = param.metavar or (param.name or "").upper()
    return name + ("..." if param.nargs != 1 else "")


app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode=None, context_settings=CONTEXT,
    help="Structured, checked summaries of Chinese local-government work reports.",
)


def _version_callback(value: bool) -> None:
    if value:
        from .api import _version

        sys.stdout.write(f"reportkit {_version()}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version_callback, is_eager=True, help="Show the version and exit."),
) -> None:
    """Structured, checked summaries of Chinese local-government work reports."""


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
    html = "html"


def _console(stderr: bool = False):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _fail(message: str, status: int = 2) -> typer.Exit:
    """Print ``error: message`` verbatim (no rich markup: ``[pdf]`` must survive) and exit."""
    _console(stderr=True).print(f"error: {message}", markup=False)
    return typer.Exit(status)


def _note(message: str) -> None:
    _console(stderr=True).print(f"note: {message}", markup=False)


@app.command(cls=_Command)
def summarize(
    paths: List[str] = typer.Argument(..., metavar="PATH", help="Report files, folders, globs, or - for standard input."),
    engine: EngineOpt = typer.Option(EngineOpt.auto, "--engine", "-e", help="auto: the LLM engine when one is configured, else rules (said on stderr)."),
    fmt: Optional[FormatOpt] = typer.Option(
        None, "--format", "-f", metavar="FORMAT",
        help="md (default on the terminal), json (one input: an object; several: one array), jsonl, csv "
        "(metric rows), html (the review page); with --out: md and html add a page per input, "
        "jsonl/csv/parquet add metrics and items tables.",
    ),
    out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="DIR", help="Write <name>.json per input and all.json here."),
    recursive: bool = typer.Option(False, "--recursive", "-r", help="Also search the subfolders of folders given."),
    resume: bool = typer.Option(False, "--resume", help="With --out: skip inputs whose output is current (same bytes, same settings)."),
    concurrency: Optional[int] = typer.Option(None, "--concurrency", "-j", metavar="N", help="Documents in flight at once."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on a terminal."),
    ray: Optional[str] = typer.Option(
        None, "--ray", is_flag=False, flag_value="local", metavar="[ADDRESS]",
        help="Run the batch on Ray (reportkit[ray]): the cluster at ADDRESS (ray://head:10001, host:6379, auto), "
        "else a local one; -j is then the number of actors.",
    ),
) -> None:
    """Summarise reports: Markdown (default) or JSON on stdout, or files under --out."""
    from . import api
    from .batch import answer_fingerprint
    from .errors import ConfigError, ReportkitError

    if ray is not None:
        ray, paths = _on_ray(ray, paths)

    try:
        inputs, single = _inputs(paths, recursive)
    except ReportkitError as exc:
        raise _fail(str(exc))
    if fmt is FormatOpt.parquet and out is None:
        raise _fail("--format parquet writes files: add --out DIR")
    if fmt is FormatOpt.html and out is None and not single:
        raise _fail("--format html writes one page per input: add --out DIR, or pass one file")
    if resume and out is None:
        raise _fail("--resume skips the outputs already in a folder: add --out DIR")
    try:
        decision = api.choose_engine(engine.value)
    except ConfigError as exc:
        raise _fail(str(exc))
    if decision.fallback:
        _note(decision.fallback)
    run: dict[str, Any] = {"engine": decision.engine, "concurrency": concurrency, "progress": progress, "ray": ray}
    try:
        if out is None:
            failures = _to_stdout(inputs, fmt or FormatOpt.md, single, run)
            total = len(inputs)
        else:
            if out.exists() and not out.is_dir():
                raise _fail(f"{out} is a file: --out names a folder (it is created when missing)")
            folder = _folder(out, fmt, answer_fingerprint(decision.engine))
            failures, total = _to_folder(inputs, folder, fmt, resume, run)
    except KeyboardInterrupt:
        done = f": the finished outputs are in {out}; run again with --resume to do the rest" if out else ""
        raise _fail(f"interrupted{done}", 130)
    if failures:
        _failure_table(failures, total)
        raise typer.Exit(1)


def _inputs(paths: list[str], recursive: bool) -> tuple[list[Any], bool]:
    """Files to read (``-`` becomes a Document of standard input), and whether one file was named."""
    import os

    from .batch import expand_paths
    from .errors import InputError

    if paths.count("-") > 1:
        raise InputError("standard input ('-') can be read only once")
    inputs: list[Any] = []
    seen: set[str] = set()
    for raw in paths:
        if raw == "-":
            inputs.append(_stdin_document())
            continue
        for path in expand_paths([raw], recursive=recursive):
            key = os.path.normcase(os.path.abspath(path))
            if key not in seen:  # a file named twice (a folder and one of its files) is read once
                seen.add(key)
                inputs.append(str(path))
    single = len(paths) == 1 and len(inputs) == 1 and (paths[0] == "-" or Path(paths[0]).is_file())
    return inputs, single


def _stdin_document():  # type: ignore[no-untyped-def]
    """Standard input read as a report: bytes decoded and cleaned exactly as a file's would be."""
    import dataclasses
    import tempfile

    from . import api
    from .outputs import STDIN

    from .errors import InputError

    raw = sys.stdin.buffer.read()
    if not raw.strip():
        raise InputError("standard input is empty: pipe a report into it, e.g. `cat report.txt | reportkit summarize -`", path="-")
    suffix = ".html" if raw.lstrip()[:1] == b"<" else ".txt"
    with tempfile.TemporaryDirectory(prefix="reportkit-stdin-") as tmp:
        path = Path(tmp) / f"stdin{suffix}"
        path.write_bytes(raw)
        try:
            doc = api.load(path)
        except InputError as exc:  # name standard input, not the temporary file
            raise InputError(str(exc).replace(f"{path}: ", ""), path="-") from exc
    return dataclasses.replace(doc, source=STDIN)


def _on_ray(value: str, paths: list[str]) -> tuple[str, list[str]]:
    """``--ray``'s ADDRESS (``local`` for a new local cluster) and the inputs: a value that is no
    address was the first input (``--ray seeds/ more/``)."""
    from .errors import ReportkitError
    from .ray import looks_like_address, require_ray

    if not looks_like_address(value):
        value, paths = "local", [value, *paths]
    if "-" in paths:
        raise _fail("--ray reads files: save standard input to a file and pass its path")
    try:
        require_ray()
    except ReportkitError as exc:
        raise _fail(str(exc))
    return value, paths


def _items(inputs: list[Any], run: dict[str, Any], ordered: bool):  # type: ignore[no-untyped-def]
    if run.get("ray") is not None:
        from .ray import iter_summaries as on_ray

        address = None if run["ray"] == "local" else run["ray"]
        return on_ray(inputs, engine=run["engine"], concurrency=run["concurrency"], address=address, ordered=ordered)
    from .batch import iter_summaries

    return iter_summaries(inputs, engine=run["engine"], concurrency=run["concurrency"], progress=run["progress"], ordered=ordered)


def _to_stdout(inputs: list[Any], fmt: FormatOpt, single: bool, run: dict[str, Any]) -> list[Any]:
    """Print each report as it completes, in input order; return the failures."""
    import csv

    from . import exports

    failures = []
    console = _console()
    stream = sys.stdout
    writer = csv.DictWriter(stream, fieldnames=exports.METRIC_COLUMNS) if fmt is FormatOpt.csv else None
    if writer is not None:
        writer.writeheader()
    printed = 0
    for item in _items(inputs, run, ordered=True):
        if item.failure is not None:
            failures.append(item.failure)
            continue
        report = item.report
        if fmt is FormatOpt.md:
            if printed:
                console.print("\n---\n", markup=False)
            console.print(report.to_markdown(), markup=False)
        elif fmt is FormatOpt.json:
            prefix = "" if single else ("[\n" if not printed else ",\n")
            stream.write(prefix + report.to_json() + ("\n" if single else ""))
        elif fmt is FormatOpt.jsonl:
            stream.write(report.model_dump_json() + "\n")
        elif fmt is FormatOpt.html:
            stream.write(report.to_html() + "\n")
        elif writer is not None:
            writer.writerows(exports.safe_rows(exports.metric_rows([report])))
        stream.flush()
        printed += 1
    if fmt is FormatOpt.json and not single:
        stream.write(("\n]\n" if printed else "[]\n"))
    return failures


def _folder(out: Path, fmt: Optional[FormatOpt], fingerprint: str):  # type: ignore[no-untyped-def]
    from .outputs import OutputFolder

    extras = [fmt.value] if fmt in (FormatOpt.md, FormatOpt.html) else []
    return OutputFolder(out, fingerprint, extras)


def _to_folder(inputs: list[Any], folder: Any, fmt: Optional[FormatOpt], resume: bool, run: dict[str, Any]) -> tuple[list[Any], int]:
    """Write each report when it completes; then all.json and the tables from the files on disk."""
    from .outputs import STDIN, file_sha256

    labels = [p if isinstance(p, str) else STDIN for p in inputs]
    names = folder.names(labels)
    todo_index = [i for i, label in enumerate(labels) if not (resume and folder.is_current(names[i], label))]
    current = len(labels) - len(todo_index)
    failures, written = [], set(range(len(labels))) - set(todo_index)
    for item in _items([inputs[i] for i in todo_index], run, ordered=False):
        i = todo_index[item.index]
        if item.failure is not None:
            failures.append(item.failure)
            continue
        label = labels[i]
        sha = item.report.meta.source_sha256 or (file_sha256(label) if label != STDIN else "")
        folder.write(names[i], label, item.report, sha)
        written.add(i)
    done = [names[i] for i in sorted(written)]
    files = [f"{len(done) - current} report(s)"] + ([f"{current} current (skipped)"] if current else [])
    files.append(folder.write_combined(done))
    if fmt in (FormatOpt.jsonl, FormatOpt.csv, FormatOpt.parquet):
        files += folder.write_tables(done, fmt.value)
    renamed = [f"{labels[i]} → {names[i]}.json" for i in range(len(labels)) if names[i] != _plain_stem(labels[i])]
    if renamed:
        _note("these outputs carry a hash of their input's path (the name is shared, or taken in the folder): " + "; ".join(renamed))
    _console(stderr=True).print(f"wrote {', '.join(files)} to {folder.root}", markup=False)
    return failures, len(labels)


def _plain_stem(label: str) -> str:
    from .outputs import STDIN

    return "stdin" if label == STDIN else Path(label).stem


def _failure_table(failures: list[Any], total: int) -> None:
    """The failed inputs and their messages, printed verbatim (file names and ``[pdf]`` included)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{len(failures)} of {total} input(s) failed", title_justify="left")
    for column in ("input", "error", "what to do"):
        table.add_column(column, overflow="fold")
    for failure in failures:
        table.add_row(Text(failure.path), Text(failure.error_type), Text(failure.message))
    _console(stderr=True).print(table)


@app.command(cls=_Command)
def validate(
    report_json: Path = typer.Argument(..., metavar="REPORT.json", help="A report in the Report JSON shape."),
    source: Path = typer.Argument(..., metavar="SOURCE", help="The source report file it was made from."),
    fmt: FormatOpt = typer.Option(FormatOpt.md, "--format", "-f", metavar="md|json", help="The checked report on stdout."),
) -> None:
    """Check every figure of REPORT.json against SOURCE; flagged figures go to stderr, and exit 1."""
    from . import api
    from .errors import ReportkitError
    from .check import is_flagged
    from .check import validate as run_validation

    if fmt not in (FormatOpt.md, FormatOpt.json):
        raise _fail(f"validate prints md or json, not {fmt.value}")
    try:
        data = json.loads(report_json.read_text(encoding="utf-8"))
        doc = api.load(source)
        checked = run_validation(data, doc)
    except (OSError, json.JSONDecodeError, ReportkitError) as exc:
        raise _fail(str(exc))
    errors = _console(stderr=True)
    claimed = (data.get("meta") or {}).get("source_sha256") if isinstance(data, dict) else None
    if claimed and claimed != doc.sha256:
        errors.print(f"warning: {source} is not the file this report was made from (its sha256 differs from "
                     "meta.source_sha256): spans and quotes may not match", markup=False)
    shown = _checked_values(checked)
    if fmt is FormatOpt.json:
        sys.stdout.write(checked.to_json() + "\n")
    else:
        _console().print(shown.to_markdown(), markup=False)
    flagged = [(n, m) for n, m in enumerate(shown.metrics) if is_flagged(m.check)]
    for n, metric in flagged:
        detail = f": {metric.check.detail}" if metric.check.detail else ""
        errors.print(f"flagged metrics[{n}] {metric.name} {_number(metric.value)}{metric.unit} "
                     f"({metric.check.status}){detail}", markup=False)
    if checked.validation.flagged:
        errors.print(f"{checked.validation.flagged} of {checked.validation.checked} figure(s) flagged", markup=False)
    raise typer.Exit(1 if checked.validation.flagged else 0)


def _number(value: float) -> str:
    return f"{value:f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _checked_values(report: Any) -> Any:
    """The report as checked: a ``value_text`` that disagrees with ``value`` is dropped from the
    display, since ``value`` is what the check looked at (an edited value must not show the old text)."""
    import re

    from .lexicon import to_halfwidth

    metrics = []
    for metric in report.metrics:
        text = to_halfwidth(metric.value_text).replace(",", "").strip()
        if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text) and float(text) != abs(metric.value):
            metric = metric.model_copy(update={"value_text": ""})
        metrics.append(metric)
    return report.model_copy(update={"metrics": metrics})


@app.command(cls=_Command)
def schema(
    write: bool = typer.Option(False, "--write", help="Regenerate schemas/report.schema.json in a checkout of reportkit."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the schema to FILE."),
) -> None:
    """Print the Report JSON Schema, or write it to a file."""
    from .schema_files import render_schema, schema_path

    text = render_schema()
    if output is not None:
        output.write_text(text, encoding="utf-8")
        _console(stderr=True).print(f"wrote {output}", markup=False)
    elif write:
        path = schema_path()
        if any(part in ("site-packages", "dist-packages") for part in path.parts):
            raise _fail(f"{path} is inside the installed package, not a checkout: write the schema where you "
                        "need it with `reportkit schema -o report.schema.json`, or run --write in a clone "
                        "installed with `pip install -e .`")
        path.write_text(text, encoding="utf-8")
        _console(stderr=True).print(f"wrote {path}", markup=False)
    else:
        sys.stdout.write(text)


cache_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, context_settings=CONTEXT,
                        help="The cache: model answers, recorded failures and finished reports (one store, "
                             "Settings.cache_dir, or Redis at Settings.cache_url): inspect, clear, ship it with a result.")
app.add_typer(cache_app, name="cache")
_CACHE_DIR = typer.Option(None, "--cache-dir", metavar="DIR", help="Default: REPORTKIT_CACHE_DIR or ~/.cache/reportkit.")
_CACHE_URL = typer.Option(None, "--cache-url", metavar="URL", help="The cache in Redis (redis://host:6379/0) instead of "
                          "the folder. Default: REPORTKIT_CACHE_URL, unless --cache-dir is given.")


def _cache_dir(given: Optional[Path]) -> Path:
    from .settings import Settings

    return given if given is not None else Settings.from_env().cache_dir


def _cache_url(given: Optional[str], cache_dir: Optional[Path]) -> Optional[str]:
    """The Redis cache the command works on: --cache-url, else REPORTKIT_CACHE_URL unless a folder was named
    (the same store the runs use: with REPORTKIT_CACHE_URL set they never touch the folder)."""
    import os

    if given:
        return given
    return None if cache_dir is not None else (os.environ.get("REPORTKIT_CACHE_URL") or None)


@cache_app.command("info", cls=_Command)
def cache_info(cache_dir: Optional[Path] = _CACHE_DIR, cache_url: Optional[str] = _CACHE_URL) -> None:
    """Where the cache is, how many answers, failures and reports it holds, and its size."""
    from .errors import ReportkitError
    from .llm.cache import cache_info as info

    try:
        data = info(_cache_dir(cache_dir), url=_cache_url(cache_url, cache_dir))
    except ReportkitError as exc:  # e.g. a damaged cache.db: the message names the fix
        raise _fail(str(exc))
    unreadable = f", {data['unreadable']} unreadable" if data["unreadable"] else ""
    _console().print(f"{data['path']}: {data['responses']} response(s), {data['failures']} recorded failure(s), "
                     f"{data['reports']} report(s){unreadable}, {data['bytes'] / 1e6:.1f} MB", markup=False)


@cache_app.command("clear", cls=_Command)
def cache_clear(
    cache_dir: Optional[Path] = _CACHE_DIR,
    cache_url: Optional[str] = _CACHE_URL,
    reports: bool = typer.Option(False, "--reports", help="Only the finished reports: the next run rebuilds and "
                                 "re-checks them from the cached answers, sending nothing."),
    failures: bool = typer.Option(False, "--failures", help="Only the recorded failures and the reports of runs that "
                                  "had failures: the next run asks exactly the failed calls again."),
) -> None:
    """Remove every cached record (answers, failures, reports), or only the part named."""
    from .errors import ReportkitError
    from .llm.cache import clear

    if reports and failures:
        raise _fail("--reports and --failures name different parts: give one (or neither, for everything)")
    only = "reports" if reports else "failures" if failures else None
    what = {"reports": "report(s)", "failures": "failure record(s) and failed report(s)"}.get(only or "", "record(s)")
    try:
        removed = clear(_cache_dir(cache_dir), only=only, url=_cache_url(cache_url, cache_dir))
    except ReportkitError as exc:  # e.g. Redis unreachable: the message names the fix
        raise _fail(str(exc))
    _console().print(f"removed {removed} {what}", markup=False)


@cache_app.command("export", cls=_Command)
def cache_export(file: Path = typer.Argument(..., metavar="FILE", help="JSON Lines file to write."),
                 cache_dir: Optional[Path] = _CACHE_DIR, cache_url: Optional[str] = _CACHE_URL) -> None:
    """Write every cached record (answers, failures, reports) to FILE, to ship beside a published result."""
    from .errors import ReportkitError
    from .llm.cache import export

    try:
        count = export(_cache_dir(cache_dir), file, url=_cache_url(cache_url, cache_dir))
    except (ReportkitError, OSError) as exc:
        raise _fail(str(exc))
    _console().print(f"exported {count} record(s) to {file}", markup=False)


@cache_app.command("import", cls=_Command)
def cache_import(file: Path = typer.Argument(..., metavar="FILE", help="A file written by 'cache export'."),
                 cache_dir: Optional[Path] = _CACHE_DIR, cache_url: Optional[str] = _CACHE_URL) -> None:
    """Load the records of FILE; then REPORTKIT_CACHE=replay reproduces a result offline, failures included."""
    from .llm.cache import import_
    from .errors import ReportkitError

    try:
        count = import_(_cache_dir(cache_dir), file, url=_cache_url(cache_url, cache_dir))
    except (ReportkitError, OSError) as exc:
        raise _fail(str(exc))
    _console().print(f"imported {count} record(s) from {file}", markup=False)


@app.command("serve-local", cls=_Command)
def serve_local_command(
    model: Path = typer.Argument(..., metavar="MODEL.gguf", help="A .gguf model file."),
    port: int = typer.Option(8080, metavar="PORT", help="8080 is where the llamacpp provider preset looks."),
    n_ctx: int = typer.Option(12288, metavar="TOKENS", help="Context size in tokens (the llamacpp preset's calls fit 12288)."),
    threads: Optional[int] = typer.Option(None, metavar="N", help="CPU threads (default: all cores)."),
) -> None:
    """Serve a local GGUF model for the llamacpp provider until Ctrl-C (needs the local extra)."""
    import time

    from .errors import ReportkitError
    from .llm.local import serve_local

    errors = _console(stderr=True)
    try:
        with serve_local(model, port=port, n_ctx=n_ctx, n_threads=threads) as url:
            errors.print(f"serving {model} at {url}; use REPORTKIT_PROVIDER=llamacpp (Ctrl-C stops)", markup=False)
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        errors.print("stopped")
    except ReportkitError as exc:
        raise _fail(str(exc))


from .cli_track import track_command  # noqa: E402  (the track command lives in its own module)

app.command("track")(track_command)


def main() -> None:
    """Entry point of the ``reportkit`` script."""
    app(args=_ray_without_address(sys.argv[1:]))


def _ray_without_address(argv: list[str]) -> list[str]:
    """``--ray`` takes an optional ADDRESS; click options cannot, so a bare one gets ``local``."""
    from .ray import looks_like_address

    if "--ray" in argv:
        i = argv.index("--ray")
        if i + 1 == len(argv) or not looks_like_address(argv[i + 1]):
            return [*argv[: i + 1], "local", *argv[i + 1 :]]
    return argv


if __name__ == "__main__":
    main()
