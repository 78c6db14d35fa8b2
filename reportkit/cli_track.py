"""The ``reportkit track`` command: one organisation's reports → its target table on stdout.

    reportkit track REPORT...|FOLDER [--format md|json|csv] [--engine auto|rules|llm] [--any-organization]

Each input is a report file (summarised first) or a Report JSON written by ``reportkit summarize
--format json``. Registered on the main app by ``reportkit.cli``.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path
from typing import List

import typer


class TrackFormat(str, Enum):
    md = "md"
    json = "json"
    csv = "csv"


def _read(path: str, engine: str) -> "object":
    from .api import summarize
    from .errors import InputError
    from .schema import Report

    p = Path(path)
    if p.suffix.lower() == ".json":
        try:
            return Report.model_validate_json(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"not a Report JSON ({str(exc).splitlines()[0]}); give the report file itself or the "
                             "JSON written by `reportkit summarize --format json`", path=path) from exc
    return summarize(p, engine=engine)  # type: ignore[arg-type]


def _inputs(paths: list[str]) -> list[str]:
    """Files as given; a folder stands for its reports and Report JSON files, sorted."""
    from .loading import SUPPORTED_SUFFIXES

    out: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out += sorted(str(f) for f in p.iterdir()
                          if f.is_file() and (f.suffix.lower() in SUPPORTED_SUFFIXES or f.suffix.lower() == ".json"))
        else:
            out.append(raw)
    return out


def track_command(
    paths: List[str] = typer.Argument(..., help="Reports of one organisation (files, Report JSON or a folder of them), any order."),
    fmt: TrackFormat = typer.Option(TrackFormat.md, "--format", "-f", help="md (default), json or csv."),
    engine: str = typer.Option("auto", help="Engine for report files: auto, rules or llm."),
    any_organization: bool = typer.Option(False, "--any-organization", help="Do not refuse reports naming different organisations."),
) -> None:
    """Last year's targets against this year's actuals: met, missed, exceeded, not reported, not comparable."""
    from rich.console import Console

    from .errors import ReportkitError
    from .panel import LINK_COLUMNS, link_rows, links_to_markdown
    from .tracking import OrganizationMismatchError, track

    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    paths = _inputs(paths)
    if len(paths) < 2:
        errors.print("error: track needs at least two reports of one organisation (an earlier plan and a later report)", markup=False)
        raise typer.Exit(2)
    try:
        links = track([_read(p, engine) for p in paths], check_organization=not any_organization)  # type: ignore[misc]
    except OrganizationMismatchError as exc:
        errors.print(f"error: these reports name different organisations ({', '.join(exc.organizations)}); "
                     "track each organisation separately, or add --any-organization if they are the same body", markup=False)
        raise typer.Exit(2)
    except ReportkitError as exc:
        errors.print(f"error: {exc}", markup=False)
        raise typer.Exit(2)
    if fmt is TrackFormat.md:
        sys.stdout.write(links_to_markdown(links, links.revisions))
    elif fmt is TrackFormat.json:
        sys.stdout.write(json.dumps(links.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        from .exports import safe_rows

        writer = csv.DictWriter(sys.stdout, fieldnames=LINK_COLUMNS)
        writer.writeheader()
        writer.writerows(safe_rows(link_rows(links)))
