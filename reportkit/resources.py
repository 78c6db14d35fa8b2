"""Where the shipped data lives: prompts/ and schemas/. Name → directory Path.

In a wheel, hatch force-includes them under ``reportkit/_resources``; in an editable install or a
checkout they are the top-level folders beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The directory of a shipped resource folder (``prompts`` or ``schemas``)."""
    for candidate in (_PACKAGE / "_resources" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"reportkit resource folder {name!r} is missing from the installation")
