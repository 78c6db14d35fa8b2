"""What the model is asked and what it must answer. Chunk / digest → chat messages + grounded response models.

Templates live in the top-level ``prompts/`` folder (Jinja2, rendered with StrictUndefined). The
per-chunk response models are prompt text too: their Chinese field descriptions reach the model
as the JSON schema. Their validators ground every answer in the chunk handed over as instructor's
``context={"chunk": text}``: a quote that is not in the chunk, or a figure that is not in its
quote, fails with a message that says what to fix, and instructor re-asks with it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, Field, ValidationError, ValidationInfo, field_validator, model_validator

from ..locating import contains, fold, fold_text
from ..numbers import parse_number
from ..resources import resource_dir
from ..schema import DocType, MetricKind

SYSTEM_TEMPLATE = "system.j2"
CHUNK_TEMPLATE = "chunk.j2"
OVERVIEW_TEMPLATE = "overview.j2"
SECTION_LABELS = {
    "review": "工作回顾（已取得的成绩）",
    "problems": "存在问题",
    "plans": "工作计划",
    "other": "未标明（可能含成绩、问题或计划）",
}
_QUOTE_SHOWN = 60  # characters of a bad quote repeated in an error message


# --- grounding helpers ----------------------------------------------------------------------------


def _shown(s: str) -> str:
    return s if len(s) <= _QUOTE_SHOWN else s[: _QUOTE_SHOWN - 1] + "…"


def _context_text(info: ValidationInfo, key: str) -> str | None:
    """The grounding text from instructor's ``context=``; None when validating without one."""
    context = info.context
    return context.get(key) if isinstance(context, dict) else None


def _check_quote(quote: str, info: ValidationInfo) -> str:
    quote = quote.strip()
    source = _context_text(info, "chunk")
    if source is None:
        return quote
    if not quote:
        raise ValueError("quote 为空：请从原文片段中逐字复制一段支撑它的原文")
    if not contains(source, quote):
        raise ValueError(
            f"quote '{_shown(quote)}' 不在原文中：请从【原文开始】与【原文结束】之间逐字复制"
            "（标点、数字照抄），不要改写、省略或拼接"
        )
    return quote


_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def _figures_in(quote: str) -> list[tuple[float, str]]:
    """(value, text as written) of every number stated in ``quote``, Arabic or Chinese."""
    folded, offsets = fold(quote)
    found = [
        (float(m.group().replace(",", "")), quote[offsets[m.start()] : offsets[m.end() - 1] + 1])
        for m in _ARABIC.finditer(folded)
    ]
    try:  # Chinese numerals (一百三十四点二) need the figure scanner, which may be absent
        from ..numbers import find_quantities

        found += [(q.value, q.value_text) for q in find_quantities(quote, chinese=True)]
    except (ImportError, AttributeError):
        pass
    return found


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(c in it for c in needle)


# --- per-chunk response models --------------------------------------------------------------------


def _none_as_empty(value: Any) -> Any:
    """Models often send null for an empty string; that is not worth a re-ask."""
    return "" if value is None else value


class ItemOut(BaseModel):
    """一条成绩、问题或计划。"""

    title: str = Field("", description="简短标题，一个短语（约 6–20 字）")
    text: str = Field("", description="一两句话说明这一条")
    quote: str = Field(..., description="支撑这一条的原文，逐字照抄原文片段中连续的一段")

    _empty = field_validator("title", "text", mode="before")(_none_as_empty)

    @field_validator("quote")
    @classmethod
    def _grounded(cls, quote: str, info: ValidationInfo) -> str:
        return _check_quote(quote, info)


class MetricOut(BaseModel):
    """一个量化事实，照原文写。"""

    name: str = Field(..., description="原文中的指标说法；太笼统时前面加上同句主语")
    value: float = Field(..., description="原文写出的数字本身，不换算、不计算、不带正负号")
    value_text: str = Field("", description="这个数字在原文中的原样写法，如 134.2")
    unit: str = Field("", description="紧跟数字的单位，照原文写，如 亿元、万户、%、个百分点；没有就留空")
    kind: MetricKind = Field("other", description="actual | count | growth_rate | completion_rate | share | target | other")
    period: Optional[str] = Field(None, description="年份如 2023，部分期间如 2023年1-10月；存量填 null")
    qualifier: Optional[str] = Field(None, description="数字前后的限定词照抄（超、近、约、余、多、以上、左右……），没有填 null")
    quote: str = Field(..., description="含有该数字及其指标说法的连续原文（约 8–60 字），逐字照抄")

    _empty = field_validator("value_text", "unit", mode="before")(_none_as_empty)

    @field_validator("quote")
    @classmethod
    def _grounded(cls, quote: str, info: ValidationInfo) -> str:
        return _check_quote(quote, info)

    @model_validator(mode="after")
    def _figure_in_quote(self, info: ValidationInfo) -> "MetricOut":
        if _context_text(info, "chunk") is None:
            return self
        figures = _figures_in(self.quote)
        match = next((t for v, t in figures if _same(v, self.value)), None)
        if match is None and self.value_text and fold_text(self.value_text) in fold_text(self.quote):
            parsed = parse_number(self.value_text)
            match = self.value_text if parsed is not None and _same(parsed, self.value) else None
        if match is None:
            if self.value < 0 and any(_same(v, -self.value) for v, _ in figures):
                raise ValueError(f"value {self.value:g} 带了负号：value 不带正负号，下降、减少写在 name 里")
            raise ValueError(
                f"value {self.value:g} 不在 quote '{_shown(self.quote)}' 中：value 必须是 quote 里写出的数字，"
                "不换算单位、不计算；或者改用含有这个数字的原文作 quote"
            )
        if self.unit and not _is_subsequence(fold_text(self.unit), fold_text(self.quote)):
            raise ValueError(f"unit '{self.unit}' 不在 quote '{_shown(self.quote)}' 中：unit 照抄原文中紧跟数字的单位")
        self.value_text = match  # the figure as the quote writes it, whatever the model put there
        return self


class _Lists(BaseModel):
    """A per-chunk answer: every field is a list, and null means an empty one."""

    @field_validator("*", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value


class ReviewExtraction(_Lists):
    """工作回顾部分的成绩事项和数字指标。"""

    review: list[ItemOut] = Field(default_factory=list, description="已取得的成绩和完成的工作")
    metrics: list[MetricOut] = Field(default_factory=list, description="这一段里的每个量化事实")


class ProblemsExtraction(_Lists):
    """存在问题部分的问题事项。"""

    problems: list[ItemOut] = Field(default_factory=list, description="存在的问题、困难和不足")


class PlansExtraction(_Lists):
    """工作计划部分的计划事项和目标数字。"""

    plans: list[ItemOut] = Field(default_factory=list, description="下一步的工作计划和打算")
    metrics: list[MetricOut] = Field(default_factory=list, description="这一段里的每个目标或量化事实")


class ChunkExtraction(_Lists):
    """未标明部分的成绩、问题、计划和数字指标。"""

    review: list[ItemOut] = Field(default_factory=list, description="已取得的成绩和完成的工作")
    problems: list[ItemOut] = Field(default_factory=list, description="存在的问题、困难和不足")
    plans: list[ItemOut] = Field(default_factory=list, description="下一步的工作计划和打算")
    metrics: list[MetricOut] = Field(default_factory=list, description="这一段里的每个量化事实")


RESPONSE_MODELS: dict[str, type[BaseModel]] = {
    "review": ReviewExtraction,
    "problems": ProblemsExtraction,
    "plans": PlansExtraction,
    "other": ChunkExtraction,
}
_ELEMENTS: dict[str, type[BaseModel]] = {"review": ItemOut, "problems": ItemOut, "plans": ItemOut, "metrics": MetricOut}


def response_model_for(section: str) -> type[BaseModel]:
    """The per-chunk response model for a section kind: what that section may contain."""
    return RESPONSE_MODELS.get(section, ChunkExtraction)


def salvage(model: type[BaseModel], data: Any, context: dict[str, Any]) -> tuple[BaseModel | None, list[str]]:
    """Keep the entries of a rejected answer that pass validation on their own.

    After the last re-ask one bad figure would otherwise throw away a whole chunk of good ones.

    Args:
        model: a per-chunk response model (all of whose fields are lists).
        data: the model's last answer, parsed from JSON.
        context: the grounding context (``{"chunk": text}``).

    Returns:
        The answer rebuilt from its valid entries (None when nothing is usable) and one message
        per dropped entry.
    """
    if not isinstance(data, dict):
        return None, [f"the answer is not a JSON object: {str(data)[:80]}"]
    kept: dict[str, list[BaseModel]] = {}
    dropped: list[str] = []
    for name in model.model_fields:
        element = _ELEMENTS[name]
        entries = data.get(name) or []
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            try:
                valid = element.model_validate(entry, context=context)
            except ValidationError as exc:
                dropped.append(f"{name}[{i}]: {exc.errors()[0]['msg']}")
            else:
                kept.setdefault(name, []).append(valid)
    return (model(**kept) if kept else None), dropped


# --- the final overview call ---------------------------------------------------------------------


class MetaOut(BaseModel):
    """报告信息，照原文写，拿不准就填 null。"""

    organization: Optional[str] = Field(None, description="作报告的单位，照原文写")
    region: Optional[str] = Field(None, description="原文写明或明确可知的省、市、区县")
    report_year: Optional[int] = Field(None, description="回顾的年份；只有计划的填计划年份")
    published: Optional[str] = Field(None, description="页面开头的发布日期或时间，逐字照抄")
    doc_type: DocType = Field("other", description="work_summary | summary_and_plan | plan | news | other")
    title: Optional[str] = Field(None, description="页面开头的标题，逐字照抄")

    @field_validator("published", "title")
    @classmethod
    def _from_header(cls, value: Optional[str], info: ValidationInfo) -> Optional[str]:
        header = _context_text(info, "header")
        value = value.strip() if value else None
        if header is not None and value and not contains(header, value):
            raise ValueError(f"{info.field_name} '{_shown(value)}' 不在页面开头中：请逐字照抄页面开头的原文，没有就填 null")
        return value


class ReportOverview(BaseModel):
    """整份报告的概述和报告信息。"""

    overview: str = Field(..., description="2–4 句中文概述，只用给出的数字")
    meta: MetaOut = Field(default_factory=MetaOut, description="报告信息")

    @field_validator("overview")
    @classmethod
    def _short(cls, overview: str) -> str:
        overview = overview.strip()
        if not overview:
            raise ValueError("overview 为空：请用 2–4 句中文概述这份报告")
        if len(overview) > 600:
            raise ValueError(f"overview 太长（{len(overview)} 字）：请压缩成 2–4 句")
        return overview


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


@functools.lru_cache(maxsize=32)
def schema_json(model: type[BaseModel]) -> str:
    """The response model's JSON schema as canonical JSON (sorted keys): part of the cache key.

    Cached: the models never change at run time, and generating the schema took ~2 ms per chunk.
    """
    return json.dumps(model.model_json_schema(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@functools.lru_cache(maxsize=4)
def load_prompts(directory: str | None = None) -> Prompts:
    """Read the templates (``*.j2``) from ``directory``, default the shipped ``prompts`` folder."""
    folder = Path(directory) if directory else resource_dir("prompts")
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.j2"))}
    missing = {SYSTEM_TEMPLATE, CHUNK_TEMPLATE, OVERVIEW_TEMPLATE} - set(sources)
    if missing:
        raise FileNotFoundError(f"prompt templates missing from {folder}: {', '.join(sorted(missing))}")
    return Prompts(folder, sources)


def prompt_version() -> str:
    """The version of the shipped prompts (templates + response schemas), e.g. ``3f9a1c0b7d2e``."""
    return load_prompts().version

