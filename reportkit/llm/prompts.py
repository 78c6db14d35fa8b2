"""What the model is asked. Chunk / digest / failed entries → chat messages.

Templates live in the top-level ``prompts/`` folder (Jinja2, rendered with StrictUndefined); what
the model must answer, and how it is checked, is in ``answers``. The prompt version hashes both.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..resources import resource_dir
from .answers import (  # noqa: F401  (re-exported: the response models are prompt text too)
    RESPONSE_MODELS,
    ChunkExtraction,
    ItemOut,
    MetaOut,
    MetricOut,
    PlansExtraction,
    ProblemsExtraction,
    Rejected,
    ReportOverview,
    ReviewExtraction,
    response_model_for,
    salvage,
    schema_json,
)

SYSTEM_TEMPLATE = "system.j2"
CHUNK_TEMPLATE = "chunk.j2"
OVERVIEW_TEMPLATE = "overview.j2"
REASK_TEMPLATE = "reask.j2"
SECTION_LABELS = {
    "review": "工作回顾（已取得的成绩）",
    "problems": "存在问题",
    "plans": "工作计划",
    "other": "未标明（可能含成绩、问题或计划）",
}


# --- templates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prompts:
    """The loaded templates; renders chat messages and names their version."""

    directory: Path
    sources: dict[str, str]

    @functools.cached_property
    def _env(self) -> Any:
        import jinja2

        return jinja2.Environment(
            loader=jinja2.DictLoader(self.sources),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
        )

    def render(self, name: str, **values: Any) -> str:
        """Render one template; a missing variable raises instead of rendering empty."""
        return self._env.get_template(name).render(**values).strip()

    def hashes(self, *names: str) -> dict[str, str]:
        """SHA-256 (first 16 hex digits) of each named template's text: part of every cache key."""
        return {n: hashlib.sha256(self.sources[n].encode("utf-8")).hexdigest()[:16] for n in names}

    def chunk_messages(self, *, text: str, section: str, heading: str) -> list[dict[str, str]]:
        """System + user messages asking for what ``section`` may contain in ``text``."""
        model = response_model_for(section)
        user = self.render(
            CHUNK_TEMPLATE,
            text=text,
            heading=heading,
            section_label=SECTION_LABELS.get(section, SECTION_LABELS["other"]),
            want_review="review" in model.model_fields,
            want_problems="problems" in model.model_fields,
            want_plans="plans" in model.model_fields,
            want_metrics="metrics" in model.model_fields,
        )
        return [{"role": "system", "content": self.render(SYSTEM_TEMPLATE)}, {"role": "user", "content": user}]

    def reask_messages(self, *, text: str, section: str, heading: str, rejected: Sequence[Rejected]) -> list[dict[str, str]]:
        """System + user messages asking again for the entries that failed, and only those.

        A fresh two-message request (not the whole conversation): the chunk, and each failed entry
        with its error, so a re-ask costs the chunk once and never re-sends the valid entries.
        """
        listed = [{"list": r.field, **(r.entry if isinstance(r.entry, dict) else {"entry": r.entry}), "error": r.error}
                  for r in rejected]
        user = self.render(
            REASK_TEMPLATE, text=text, heading=heading,
            section_label=SECTION_LABELS.get(section, SECTION_LABELS["other"]),
            failed=json.dumps(listed, ensure_ascii=False, indent=1),
        )
        return [{"role": "system", "content": self.render(SYSTEM_TEMPLATE)}, {"role": "user", "content": user}]

    def overview_messages(
        self,
        *,
        header: str,
        title: str | None,
        review: Sequence[str],
        problems: Sequence[str],
        plans: Sequence[str],
        metrics: Sequence[str],
    ) -> list[dict[str, str]]:
        """System + user messages for the final overview-and-meta call (a digest, not the text)."""
        user = self.render(
            OVERVIEW_TEMPLATE, header=header, title=title or "", review=list(review),
            problems=list(problems), plans=list(plans), metrics=list(metrics),
        )
        return [{"role": "system", "content": self.render(SYSTEM_TEMPLATE)}, {"role": "user", "content": user}]

    @functools.cached_property
    def version(self) -> str:
        """Short hash of every template and every response model's JSON schema."""
        h = hashlib.sha256()
        for name in sorted(self.sources):
            h.update(name.encode() + b"\0" + self.sources[name].encode("utf-8") + b"\0")
        for model in (*RESPONSE_MODELS.values(), ReportOverview):
            h.update(schema_json(model).encode("utf-8"))
        return h.hexdigest()[:12]


@functools.lru_cache(maxsize=4)
def load_prompts(directory: str | None = None) -> Prompts:
    """Read the templates (``*.j2``) from ``directory``, default the shipped ``prompts`` folder."""
    folder = Path(directory) if directory else resource_dir("prompts")
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.j2"))}
    missing = {SYSTEM_TEMPLATE, CHUNK_TEMPLATE, OVERVIEW_TEMPLATE, REASK_TEMPLATE} - set(sources)
    if missing:
        raise FileNotFoundError(f"prompt templates missing from {folder}: {', '.join(sorted(missing))}")
    return Prompts(folder, sources)


def prompt_version() -> str:
    """The version of the shipped prompts (templates + response schemas), e.g. ``3f9a1c0b7d2e``."""
    return load_prompts().version

