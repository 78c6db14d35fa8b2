"""The generated JSON Schema file of the Report model. Report model → schemas/report.schema.json text.

The file is what non-Python users load; a test fails when it drifts from the models.
"""

from __future__ import annotations

import json
from pathlib import Path

from .resources import resource_dir
from .schema import Report

SCHEMA_FILE = "report.schema.json"


def render_schema() -> str:
    """The Report JSON Schema as stable, pretty-printed text."""
    return json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def schema_path() -> Path:
    """Where the shipped schema file lives (the checkout's schemas/ in an editable install)."""
    return resource_dir("schemas") / SCHEMA_FILE
