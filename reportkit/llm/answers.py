"""What the model must answer, and the checks that ground it in the chunk. Raw answer + chunk → validated entries + the rejected ones.

The per-chunk response models are prompt text too: their Chinese field descriptions reach the
model as the JSON schema. Their validators ground every answer in the chunk handed over as
instructor's ``context={"chunk": text}``: a quote that is not in the chunk, or a figure that is
not in its quote, fails with a message that says what to fix.

Before any check, ``normalise`` repairs what the source settles (fences, ``<think>``, wrapped
arguments, numbers in strings, rescaled units, unit and kind spellings). A per-chunk answer is
then validated entry by entry: the entries that fail are kept aside in ``rejected`` (with their
error) instead of failing the whole answer, so the engine can keep the valid ones and re-ask for
those alone. An answer with none of the schema's fields is an error, never an empty answer.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from dataclasses import dataclass
from typing import Any, Optional

from pydantic import (BaseModel, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator,
                      model_validator)

from ..lexicon import is_cjk
from ..locating import contains, fold, fold_text
from ..numbers import parse_number
from ..schema import DocType, MetricKind
from . import normalise

logger = logging.getLogger("reportkit")

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


_ARABIC = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")


def _figures_in(quote: str) -> list[tuple[float, str]]:
    """(value, text as written) of every number stated in ``quote``, Arabic or Chinese.

    A minus sign written before a figure (增长-1.5%) makes it negative; the unsigned value is
    listed too, since a decline may also be written in words.
    """
    folded, offsets = fold(quote)
    found = []
    for m in _ARABIC.finditer(folded):
        value = float(m.group().replace(",", ""))
        found.append((value, quote[offsets[m.start()] : offsets[m.end() - 1] + 1]))
        if value < 0:
            found.append((-value, quote[offsets[m.start() + 1] : offsets[m.end() - 1] + 1]))
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


@dataclass(frozen=True)
class Rejected:
    """An entry of an answer that failed its check: which list, where, what it said and why."""

    field: str
    index: int
    entry: Any
    error: str


def _message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ()) if p != "__root__")
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg


class _Answer(BaseModel):
    """A model whose raw JSON may come wrapped in prose, fences or a ``<think>`` block.

    instructor hands the raw tool arguments or message content to ``model_validate_json``; the
    JSON is dug out of it first (``normalise.answer_json``), so a fence or a sentence costs no
    re-ask. Text with no JSON at all still fails as invalid JSON, which instructor re-asks.
    """

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, *, strict: bool | None = None,
                            context: Any | None = None, **kwargs: Any) -> Any:
        text = json_data.decode("utf-8", "replace") if isinstance(json_data, (bytes, bytearray)) else json_data
        data = normalise.answer_json(text) if isinstance(text, str) else None
        if data is None:
            return super().model_validate_json(json_data, strict=strict, context=context, **kwargs)
        return cls.model_validate(data, strict=strict, context=context, **kwargs)


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
    value: float = Field(..., description="原文写出的数字本身，不换算、不计算；原文写了负号（增长-1.5%）才带负号")
    value_text: str = Field("", description="这个数字在原文中的原样写法，如 134.2")
    unit: str = Field("", description="紧跟数字的单位，照原文写，如 亿元、万户、%、个百分点；没有就留空")
    kind: MetricKind = Field("other", description="actual | count | growth_rate | completion_rate | share | target | other")
    period: Optional[str] = Field(None, description="年份如 2023，部分期间如 2023年1-10月；存量填 null")
    qualifier: Optional[str] = Field(None, description="数字前后的限定词照抄（超、近、约、余、多、以上、左右……），没有填 null")
    quote: str = Field(..., description="含有该数字及其指标说法的连续原文（约 8–60 字），逐字照抄")

    _note: str = PrivateAttr("")
    _empty = field_validator("value_text", "unit", mode="before")(_none_as_empty)

    @model_validator(mode="wrap")
    @classmethod
    def _normalised(cls, data: Any, handler: Any, info: ValidationInfo) -> "MetricOut":
        """Repairs the source settles (``normalise.metric``) before the checks; the note is kept."""
        if _context_text(info, "chunk") is None or not isinstance(data, dict):
            return handler(data)
        repaired = normalise.metric(data)
        out = handler(repaired.entry)
        out._note = repaired.note
        return out

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
        if self.unit and not _is_subsequence(fold_text(self.unit), fold_text(self.quote)) and not _unit_of_figure(
                self.unit, self.value, self.quote):
            raise ValueError(f"unit '{self.unit}' 不在 quote '{_shown(self.quote)}' 中：unit 照抄原文中紧跟数字的单位")
        if names_nothing_in(self.name, self.quote):
            raise ValueError(
                f"name '{_shown(self.name)}' 与 quote '{_shown(self.quote)}' 没有一个相同的字：name 写 quote 里"
                "这个数字的指标说法（太笼统时可在前面加同一句的主语）"
            )
        if not (self.value_text and self.value_text in self.quote and parse_number(self.value_text) in (self.value, -self.value)):
            self.value_text = match  # the figure as the quote writes it, unless the model wrote it so already
        return self


_NAME_CHECK_MIN_CJK = 4  # a quote this short (a table cell: 68.4) says too little to judge a name by


def names_nothing_in(name: str, quote: str) -> bool:
    """True when ``name`` shares no character with a quote long enough to name its figure.

    The genre's names are the quote's own indicator words, at most with the sentence's subject in
    front, so a name without one character of its quote belongs to another figure (a name shifted
    by one inside a list). Not one gold metric of the seeds and the corpus trips this.
    """
    quote_chars = {c for c in quote if is_cjk(c)}
    name_chars = {c for c in name if is_cjk(c)}
    return (len(quote_chars) >= _NAME_CHECK_MIN_CJK and len(name_chars) >= 2 and not name_chars & quote_chars
            and fold_text(name) not in fold_text(quote))


def _unit_of_figure(unit: str, value: float, quote: str) -> bool:
    """True when a figure of ``value`` in ``quote`` is written with ``unit`` (百分之十二 is in %)."""
    from ..numbers import find_quantities

    return any(_same(q.value, value) and normalise.unit_as_written(q.unit) == normalise.unit_as_written(unit)
               for q in find_quantities(quote, chinese=True))


class _Lists(_Answer):
    """A per-chunk answer: every field is a list, and null means an empty one.

    Validated with a chunk in the context, each entry is checked on its own: the valid ones make
    the answer, the others are listed in ``rejected`` for a re-ask of just those.
    """

    _rejected: list[Rejected] = PrivateAttr(default_factory=list)

    @field_validator("*", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value

    @model_validator(mode="wrap")
    @classmethod
    def _entry_by_entry(cls, data: Any, handler: Any, info: ValidationInfo) -> "_Lists":
        if _context_text(info, "chunk") is None:
            return handler(data)
        fields = tuple(cls.model_fields)
        data = normalise.unwrap(data, fields)
        if not isinstance(data, dict):
            return handler(data)
        if not set(data) & set(fields):
            raise ValueError(
                f"答案里没有 {'、'.join(fields)} 中的任何一个字段：请按给定的 JSON 结构输出这些列表，"
                "没有内容的列表写成 []"
            )
        kept: dict[str, Any] = {}
        rejected: list[Rejected] = []
        for name in fields:
            entries = data.get(name)
            if isinstance(entries, dict):  # one entry sent bare instead of in a list
                entries = [entries]
            if not isinstance(entries, list):
                kept[name] = entries
                continue
            good = kept.setdefault(name, [])
            for i, entry in enumerate(entries):
                try:
                    good.append(_ELEMENTS[name].model_validate(entry, context=info.context))
                except ValidationError as exc:
                    rejected.append(Rejected(name, i, entry, _message(exc)))
        out = handler(kept)
        out._rejected = rejected
        return out

    @property
    def rejected(self) -> list[Rejected]:
        """The entries that failed their check (empty outside a validation against a chunk)."""
        return self._rejected

    def entries(self) -> int:
        """How many valid entries the answer holds."""
        return sum(len(getattr(self, name)) for name in type(self).model_fields)


class ReviewExtraction(_Lists):
    """工作回顾部分的成绩事项和数字指标。"""

    review: list[ItemOut] = Field(default_factory=list, description="已取得的成绩和完成的工作")
    metrics: list[MetricOut] = Field(default_factory=list, description="这一段里的每个量化事实")


class ProblemsExtraction(_Lists):
    """存在问题部分的问题事项和其中的数字。"""

    problems: list[ItemOut] = Field(default_factory=list, description="存在的问题、困难和不足")
    metrics: list[MetricOut] = Field(default_factory=list, description="这一段里的每个量化事实")


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
    """Keep the entries of an answer that pass validation on their own.

    Args:
        model: a per-chunk response model (all of whose fields are lists).
        data: the model's answer, parsed from JSON (possibly wrapped).
        context: the grounding context (``{"chunk": text}``).

    Returns:
        The answer rebuilt from its valid entries (None when nothing is usable) and one message
        per dropped entry.
    """
    try:
        value = model.model_validate(data, context=context)
    except ValidationError as exc:
        return None, [_message(exc)]
    dropped = [f"{r.field}[{r.index}]: {r.error}" for r in value.rejected]  # type: ignore[attr-defined]
    return (value if value.entries() else None), dropped  # type: ignore[attr-defined]


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
        # a date in another format, a title with or without 《》: as the header writes them
        value = (normalise.date_in if info.field_name == "published" else normalise.title_in)(value, header)
        if header is not None and value and not contains(header, value):
            # not in the page top: dropped, not guessed; a re-ask would risk the whole overview for it
            logger.info("reportkit: meta.%s %r is not in the page header; left empty", info.field_name, value)
            return None
        return value


class ReportOverview(_Answer):
    """整份报告的概述和报告信息。"""

    overview: str = Field(..., description="2–4 句中文概述，只用给出的数字")
    meta: MetaOut = Field(default_factory=MetaOut, description="报告信息")

    @model_validator(mode="before")
    @classmethod
    def _unwrapped(cls, data: Any) -> Any:
        return normalise.unwrap(data, ("overview", "meta"))

    @field_validator("overview")
    @classmethod
    def _short(cls, overview: str) -> str:
        overview = overview.strip()
        if not overview:
            raise ValueError("overview 为空：请用 2–4 句中文概述这份报告")
        if len(overview) > 600:
            raise ValueError(f"overview 太长（{len(overview)} 字）：请压缩成 2–4 句")
        return overview


@functools.lru_cache(maxsize=32)
def schema_json(model: type[BaseModel]) -> str:
    """The response model's JSON schema as canonical JSON (sorted keys): part of the cache key.

    Cached: the models never change at run time, and generating the schema took ~2 ms per chunk.
    """
    return json.dumps(model.model_json_schema(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


