"""What the model is asked. Pack / digest / failed entries → chat messages.

Templates live in the top-level ``prompts/`` folder (Jinja2, rendered with StrictUndefined); what
the model must answer, and how it is checked, is in ``answers``. The prompt version hashes both.

Every extraction call and re-ask starts with the same system message (all the instructions) and
the same tools schema, and ends with its variable text: a stable prefix that providers' prompt
caches reuse. The text is the pack's parts, each under a ``## 部分｜标题`` line marking its role.
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
    SECTION_TAGS,
    ChunkExtraction,
    ItemOut,
    MetaOut,
    MetricOut,
    Rejected,
    ReportExtraction,
    ReportOverview,
    response_model_for,
    salvage,
    schema_json,
)
from .chunking import Chunk, Pack, make_pack

SYSTEM_TEMPLATE = "system.j2"
CHUNK_TEMPLATE = "chunk.j2"
OVERVIEW_TEMPLATE = "overview.j2"
REASK_TEMPLATE = "reask.j2"
TEMPLATES = (SYSTEM_TEMPLATE, CHUNK_TEMPLATE, OVERVIEW_TEMPLATE, REASK_TEMPLATE)


def as_pack(text: str, section: str = "other", heading: str = "") -> Pack:
    """One piece of text as a one-part pack (for callers that ask about a bare text)."""
    return make_pack(0, (Chunk("00-text", 0, 0, len(text), text, section, heading),))


def body(pack: Pack) -> str:
    """The pack's parts, each under a line that marks its role: ``## 回顾｜一、2023年工作回顾``."""
    lines = []
    for part in pack.parts:
        tag = SECTION_TAGS.get(part.section, SECTION_TAGS["other"])
        lines.append(f"## {tag}｜{part.heading}" if part.heading else f"## {tag}")
        lines.append(part.text)
    return "\n".join(lines)


def pack_context(pack: Pack, header: str | None = None) -> dict[str, Any]:
    """What the answer is checked against: the parts' text, each part's section, the page top."""
    # a part's heading (shown on its role line) is source text too: a plan is often quoted by it
    parts = tuple((p.section, f"{p.heading}\n{p.text}" if p.heading else p.text) for p in pack.parts)
    context: dict[str, Any] = {"chunk": "\n".join(t for _, t in parts), "parts": parts}
    if header is not None:
        context["header"] = header
    return context


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

    @functools.cached_property
    def system(self) -> str:
        """The system message of every extraction call and re-ask (rendered once)."""
        return self.render(SYSTEM_TEMPLATE)

    def chunk_messages(self, *, pack: Pack | None = None, text: str = "", section: str = "other", heading: str = "",
                       fold: bool = False, header: str = "") -> list[dict[str, str]]:
        """System + user messages asking for every list in ``pack`` (or in a bare ``text``).

        Args:
            fold: the call reads the whole document: overview and meta are asked too, with the
                page top above the text (``header``, what precedes the first part).
        """
        pack = pack or as_pack(text, section, heading)
        user = self.render(CHUNK_TEMPLATE, body=body(pack), fold=fold, header=header)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]

    def reask_messages(self, *, rejected: Sequence[Rejected], pack: Pack | None = None, text: str = "",
                       section: str = "other", heading: str = "") -> list[dict[str, str]]:
        """System + user messages asking again for the entries that failed, and only those.

        A fresh two-message request (not the whole conversation): the pack, and each failed entry
        with its error, so a re-ask costs the text once and never re-sends the valid entries.
        """
        pack = pack or as_pack(text, section, heading)
        listed = [{"list": r.field, **(r.entry if isinstance(r.entry, dict) else {"entry": r.entry}), "error": r.error}
                  for r in rejected]
        user = self.render(REASK_TEMPLATE, body=body(pack), failed=json.dumps(listed, ensure_ascii=False, indent=1))
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]

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
        """The user message of the final overview-and-meta call (a digest, not the text).

        No system message: this call has its own schema, so it shares no cached prefix with the
        extraction calls, and their instructions would only be billed; its own are in the message.
        """
        user = self.render(
            OVERVIEW_TEMPLATE, header=header, title=title or "", review=list(review),
            problems=list(problems), plans=list(plans), metrics=list(metrics),
        )
        return [{"role": "user", "content": user}]

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
    missing = set(TEMPLATES) - set(sources)
    if missing:
        raise FileNotFoundError(f"prompt templates missing from {folder}: {', '.join(sorted(missing))}")
    return Prompts(folder, sources)


def prompt_version() -> str:
    """The version of the shipped prompts (templates + response schemas), e.g. ``3f9a1c0b7d2e``."""
    return load_prompts().version

