"""What the model must answer, and the checks that ground it in the chunk. Raw answer + chunk → validated entries + the rejected ones.

One response model serves every call (``ChunkExtraction``: review, problems, plans, metrics; and
``ReportExtraction``, which adds overview and meta, when one call reads the whole document), so
its JSON schema, which is billed on every call, is the same for all of them, and small: the
instructions live once in the system prompt; the schema carries names, types and no titles.
Validators ground every answer in the text handed over as the validation context
``{"chunk": text, "parts": ((section, text), ...)}`` (set around the instructor call by
``grounding``, see there why not instructor's ``context=``): a quote that is not in one part,
an item quoted from a part whose section cannot hold its list (a review item from the problems
section), or a figure that is not in its quote, fails with a message that says what to fix.

Before any check, ``normalise`` repairs what the source settles (fences, ``<think>``, wrapped
arguments, numbers in strings, rescaled units, unit and kind spellings). A per-chunk answer is
then validated entry by entry: the entries that fail are kept aside in ``rejected`` (with their
error) instead of failing the whole answer, so the engine can keep the valid ones and re-ask for
those alone. An answer with none of the schema's fields is an error, never an empty answer.
"""

from __future__ import annotations

import contextvars
import functools
import json
import logging
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Optional

from pydantic import (BaseModel, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator,
                      model_validator)
from pydantic.json_schema import SkipJsonSchema

from ..lexicon import LINE_BREAKS, TABLE_CELL_SEPARATORS, is_cjk
from ..locating import contains, fold
from ..numbers import parse_number
from ..schema import DocType, MetricKind
from . import normalise

logger = logging.getLogger("reportkit")

_QUOTE_SHOWN = 60  # characters of a bad quote repeated in an error message


# --- grounding helpers ----------------------------------------------------------------------------


def _shown(s: str) -> str:
    return s if len(s) <= _QUOTE_SHOWN else s[: _QUOTE_SHOWN - 1] + "…"


def _context_text(info: ValidationInfo, key: str) -> str | None:
    """The grounding text from the validation context; None when validating without one."""
    context = info.context
    return context.get(key) if isinstance(context, dict) else None


ITEM_LISTS = ("review", "problems", "plans")
_HOLDS = {"review": ("review", "other"), "problems": ("problems", "other"), "plans": ("plans", "other")}
"""Which sections an item list may quote: a review item quoted from the problems section is wrong."""
SECTION_TAGS = {"review": "回顾", "problems": "问题", "plans": "计划", "other": "未标明"}
"""The role each part of a call is marked with in the prompt (``## 回顾｜heading``)."""


@functools.lru_cache(maxsize=256)
def _folded(text: str) -> str:
    """``text`` folded once (a call's text is searched for every entry of its answer)."""
    return fold(text)[0]


@functools.lru_cache(maxsize=8192)
def _fold_kept(s: str) -> tuple[str, list[int]]:
    """``fold(s)`` of a quote, name or unit, kept: each quote is compared with every part of its
    call and scanned for its figures, both on the folded copy."""
    return fold(s)


def _fold_short(s: str) -> str:
    """``fold_text(s)``, as ``fold(s)[0]`` (the same string: the look-alikes mapped, whitespace
    dropped), whose replacements run at C level instead of one Python call per character."""
    return _fold_kept(s)[0]


def _in(text: str, quote: str) -> bool:
    """``locating.contains`` with the haystack's folded copy kept: exact, or after folding both."""
    if quote in text:
        return True
    folded = _fold_short(quote)
    return bool(folded) and folded in _folded(text)


def _check_quote(quote: str, info: ValidationInfo) -> str:
    quote = quote.strip()
    source = _context_text(info, "chunk")
    if source is None:
        return quote
    if not quote:
        raise ValueError("quote 为空：请从原文片段中逐字复制一段支撑它的原文")
    if not _in(source, quote):
        raise ValueError(
            f"quote '{_shown(quote)}' 不在原文中：请从【原文开始】与【原文结束】之间逐字复制"
            "（标点、数字照抄），不要改写、省略或拼接"
        )
    parts = info.context.get("parts") if isinstance(info.context, dict) else None
    if parts:
        sections = [section for section, text in parts if _in(text, quote)]
        if not sections:
            raise ValueError(f"quote '{_shown(quote)}' 跨越了两段原文：只从一段（## 标记行之下）中连续复制")
        listed = info.context.get("list")
        allowed = _HOLDS.get(listed or "")
        if allowed and not any(s in allowed for s in sections):
            where = "、".join(dict.fromkeys(SECTION_TAGS.get(s, s) for s in sections))
            fits = [name for name, holds in _HOLDS.items() if any(s in holds for s in sections)]
            raise ValueError(
                f"quote '{_shown(quote)}' 位于【{where}】部分，不能放进 {listed}："
                f"{'请放进 ' + ' 或 '.join(fits) + '，' if fits else ''}或者删去这一条"
            )
    return quote


_ARABIC = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")


@functools.lru_cache(maxsize=4096)
def _figures_in(quote: str) -> tuple[tuple[float, str], ...]:
    """(value, text as written) of every number stated in ``quote``, Arabic or Chinese.

    A minus sign written before a figure (增长-1.5%) makes it negative; the unsigned value is
    listed too, since a decline may also be written in words. Kept per quote: the figure scan is
    the costliest part of checking an entry, and re-asks bring the same quotes back.
    """
    folded, offsets = _fold_kept(quote)
    found = []
    for m in _ARABIC.finditer(folded):
        value = float(m.group().replace(",", ""))
        found.append((value, quote[offsets[m.start()] : offsets[m.end() - 1] + 1]))
        if value < 0:
            found.append((-value, quote[offsets[m.start() + 1] : offsets[m.end() - 1] + 1]))
    found += [(q.value, q.value_text) for q in normalise.quote_figures(quote)]
    return tuple(found)


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


def _compact(schema: Any) -> Any:
    """The JSON schema without titles, descriptions and empty defaults, and ``{"type": ["string",
    "null"]}`` for an optional scalar: the system prompt says what each field holds, ``required``
    what may be left out, and the schema is billed on every call."""
    if isinstance(schema, dict):
        options = schema.get("anyOf")
        if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options and all(
                set(o) == {"type"} and isinstance(o["type"], str) for o in options):
            rest = {k: v for k, v in schema.items() if k != "anyOf"}
            return _compact({**rest, "type": [o["type"] for o in options]})
        return {k: _compact(v) for k, v in schema.items() if not (k in ("title", "description") and isinstance(v, str))
                and not (k == "default" and v in ("", None))}
    if isinstance(schema, list):
        return [_compact(v) for v in schema]
    return schema


class _Compact(BaseModel):
    """A response model whose JSON schema (sent on every call) carries no generated titles."""

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        schema = super().model_json_schema(*args, **kwargs)
        # the top level keeps its title (the tool's name) and description (the tool's)
        return {**_compact(schema), **{k: schema[k] for k in ("title", "description") if k in schema}}


_GROUNDING: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("reportkit_grounding", default=None)


@contextmanager
def grounding(context: dict[str, Any]) -> Iterator[None]:
    """Validate every answer parsed in this thread inside the block against ``context``.

    instructor's ``context=`` is both the validation context and the variables of a Jinja
    rendering of every message, which compiled each (source text included) on every call and
    needed a ``{% raw %}`` shield so that a report's own ``{{``/``{%`` was sent unchanged. The
    grounding text goes to ``_Answer.model_validate_json`` this way instead: instructor still
    parses every answer and re-asks a malformed one, and the messages go out exactly as written.
    """
    token = _GROUNDING.set(context)
    try:
        yield
    finally:
        _GROUNDING.reset(token)


def takes_grounding(model: Any) -> bool:
    """True for reportkit's response models, which read their context from ``grounding``."""
    return isinstance(model, type) and issubclass(model, _Answer)


class _Answer(_Compact):
    """A model whose raw JSON may come wrapped in prose, fences or a ``<think>`` block.

    instructor hands the raw tool arguments or message content to ``model_validate_json``; the
    JSON is dug out of it first (``normalise.answer_json``), so a fence or a sentence costs no
    re-ask. Text with no JSON at all still fails as invalid JSON, which instructor re-asks.
    Without a ``context`` it is validated against the one ``grounding`` set, if any (also when
    a parser hands the decoded JSON to ``model_validate``).
    """

    @classmethod
    def model_validate(cls, obj: Any, *, context: Any | None = None, **kwargs: Any) -> Any:
        return super().model_validate(obj, context=context if context is not None else _GROUNDING.get(), **kwargs)

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, *, strict: bool | None = None,
                            context: Any | None = None, **kwargs: Any) -> Any:
        context = context if context is not None else _GROUNDING.get()
        text = json_data.decode("utf-8", "replace") if isinstance(json_data, (bytes, bytearray)) else json_data
        data = normalise.answer_json(text) if isinstance(text, str) else None
        if data is None:
            return super().model_validate_json(json_data, strict=strict, context=context, **kwargs)
        return cls.model_validate(data, strict=strict, context=context, **kwargs)


class ItemOut(BaseModel):
    """一条成绩、问题或计划。"""

    title: str = ""
    text: str = ""
    quote: str = Field(..., description="逐字照抄的原文")

    _empty = field_validator("title", "text", mode="before")(_none_as_empty)

    @field_validator("quote")
    @classmethod
    def _grounded(cls, quote: str, info: ValidationInfo) -> str:
        return _check_quote(quote, info)


class MetricOut(BaseModel):
    """一个量化事实，照原文写。"""

    name: str
    value: float = Field(..., description="原文写出的数字，不换算")
    value_text: SkipJsonSchema[str] = ""  # not asked for (the check finds the figure in the quote); accepted if sent
    unit: str = ""
    kind: MetricKind = "other"
    period: Optional[str] = None
    qualifier: Optional[str] = None
    quote: str = Field(..., description="含该数字的连续原文，逐字照抄")

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
        if match is None and self.value_text and _fold_short(self.value_text) in _fold_short(self.quote):
            parsed = parse_number(self.value_text)
            match = self.value_text if parsed is not None and _same(parsed, self.value) else None
        if match is None:
            if self.value < 0 and any(_same(v, -self.value) for v, _ in figures):
                raise ValueError(f"value {self.value:g} 带了负号：value 不带正负号，下降、减少写在 name 里")
            raise ValueError(
                f"value {self.value:g} 不在 quote '{_shown(self.quote)}' 中：value 必须是 quote 里写出的数字，"
                "不换算单位、不计算；或者改用含有这个数字的原文作 quote"
            )
        if self.unit and self.unit not in self.quote and not _is_subsequence(
                _fold_short(self.unit), _fold_short(self.quote)) and not _unit_of_figure(
                self.unit, self.value, self.quote) and not unit_of_cell(self.unit, self.quote, _context_text(info, "chunk")):
            raise ValueError(f"unit '{self.unit}' 不在 quote '{_shown(self.quote)}' 中：unit 照抄原文中紧跟数字的单位")
        if names_nothing_in(self.name, self.quote):
            raise ValueError(
                f"name '{_shown(self.name)}' 与 quote '{_shown(self.quote)}' 没有一个相同的字：name 写 quote 里"
                "这个数字的指标说法（太笼统时可在前面加同一句的主语）"
            )
        if not (self.value_text and self.value_text in self.quote and parse_number(self.value_text) in (self.value, -self.value)):
            self.value_text = match  # the figure as the quote writes it, unless the model wrote it so already
        return self


def unit_of_cell(unit: str, quote: str, source: str | None) -> bool:
    """True when ``quote`` is the whole cell of a table row in ``source`` whose label or column
    header writes ``unit``: 地区生产总值（亿元） | 76.3 states 76.3 in 亿元.

    A table cell holds the bare figure; its unit is in the row's first cell or the column's header
    (the first row of the table), never in the cell, and the whole cell is the quote (the gold
    convention for table figures), so the unit cannot be in the quote.
    """
    if not source or not quote:
        return False
    want = _fold_short(unit)
    lines = [line for line in re.split(f"[{re.escape(LINE_BREAKS)}]", source) if quote in line]
    for line in lines:
        sep = next((s for s in TABLE_CELL_SEPARATORS if s in line), None)
        cells = [c.strip() for c in line.split(sep)] if sep else []
        if quote not in cells[1:]:
            continue
        column = cells.index(quote, 1)
        if want in _fold_short(cells[0]):
            return True
        header = _table_header(source, line, sep)  # type: ignore[arg-type]
        if header is not None and column < len(header) and want in _fold_short(header[column]):
            return True
    return False


def _table_header(source: str, row: str, sep: str) -> list[str] | None:
    """The cells of the first row of the table that ``row`` is in (the lines above it holding ``sep``)."""
    lines = re.split(f"[{re.escape(LINE_BREAKS)}]", source)
    at = lines.index(row)
    while at > 0 and sep in lines[at - 1]:
        at -= 1
    return [c.strip() for c in lines[at].split(sep)] if at < lines.index(row) else None


_NAME_CHECK_MIN_CJK = 4  # a quote this short (a table cell: 68.4) says too little to judge a name by


def names_nothing_in(name: str, quote: str) -> bool:
    """True when ``name`` shares no character with a quote long enough to name its figure.

    The genre's names are the quote's own indicator words, at most with the sentence's subject in
    front, so a name without one character of its quote belongs to another figure (a name shifted
    by one inside a list). Not one gold metric of the seeds and the corpus trips this.
    """
    name_chars = {c for c in name if is_cjk(c)}
    if len(name_chars) < 2 or any(c in quote for c in name_chars):  # the usual case, decided by the short name
        return False
    return (sum(1 for c in set(quote) if is_cjk(c)) >= _NAME_CHECK_MIN_CJK
            and _fold_short(name) not in _fold_short(quote))


def _unit_of_figure(unit: str, value: float, quote: str) -> bool:
    """True when a figure of ``value`` in ``quote`` is written with ``unit`` (百分之十二 is in %)."""
    return any(_same(q.value, value) and normalise.unit_as_written(q.unit) == normalise.unit_as_written(unit)
               for q in normalise.quote_figures(quote))


class _Lists(_Answer):
    """A per-chunk answer: every field is a list, and null means an empty one.

    Validated with a chunk in the context, each entry is checked on its own: the valid ones make
    the answer, the others are listed in ``rejected`` for a re-ask of just those.
    """

    _rejected: list[Rejected] = PrivateAttr(default_factory=list)

    @classmethod
    def list_fields(cls) -> tuple[str, ...]:
        """The fields that are lists of entries (all of them, but overview and meta)."""
        return tuple(f for f in cls.model_fields if f in _ELEMENTS)

    @field_validator("*", mode="before")
    @classmethod
    def _null_is_empty(cls, value: Any, info: ValidationInfo) -> Any:
        return [] if value is None and info.field_name in _ELEMENTS else value

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
        kept: dict[str, Any] = cls._extras(data, info)
        rejected: list[Rejected] = []
        shaped = True  # every list field a list (or missing): nothing left for the handler to check
        for name in cls.list_fields():
            entries = data.get(name)
            if isinstance(entries, dict):  # one entry sent bare instead of in a list
                entries = [entries]
            elif entries is None:
                entries = []
            if not isinstance(entries, list):
                kept[name] = entries
                shaped = False
                continue
            good = kept.setdefault(name, [])
            context = {**info.context, "list": name} if isinstance(info.context, dict) else info.context
            for i, entry in enumerate(entries):
                try:
                    good.append(_ELEMENTS[name].model_validate(entry, context=context))
                except ValidationError as exc:
                    rejected.append(Rejected(name, i, entry, _message(exc)))
        # The entries are validated (and the extras too): handing them to ``handler`` would run
        # each metric's model validators a second time (pydantic runs them on instances as well),
        # which doubled the cost of checking an answer. A wrong shape still goes through it and fails.
        out = cls.model_construct(**kept) if shaped else handler(kept)
        out._rejected = rejected
        return out

    @classmethod
    def _extras(cls, data: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        """The validated fields that are not lists (none here)."""
        return {}

    @property
    def rejected(self) -> list[Rejected]:
        """The entries that failed their check (empty outside a validation against a chunk)."""
        return self._rejected

    def entries(self) -> int:
        """How many valid entries the answer holds."""
        return sum(len(getattr(self, name)) for name in type(self).list_fields())


class ChunkExtraction(_Lists):
    """原文各段的抽取结果。"""

    review: list[ItemOut] = Field(default_factory=list)
    problems: list[ItemOut] = Field(default_factory=list)
    plans: list[ItemOut] = Field(default_factory=list)
    metrics: list[MetricOut] = Field(default_factory=list)


_ELEMENTS: dict[str, type[BaseModel]] = {"review": ItemOut, "problems": ItemOut, "plans": ItemOut, "metrics": MetricOut}


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


class MetaOut(_Compact):
    """报告信息，照原文写，拿不准就填 null。"""

    organization: Optional[str] = None
    region: Optional[str] = None
    report_year: Optional[int] = None
    published: Optional[str] = None
    doc_type: DocType = "other"
    title: Optional[str] = None

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


OVERVIEW_CHARS = 600


class ReportOverview(_Answer):
    """整份报告的概述和报告信息。"""

    overview: str
    meta: MetaOut = Field(default_factory=MetaOut)

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
        if len(overview) > OVERVIEW_CHARS:
            raise ValueError(f"overview 太长（{len(overview)} 字）：请压缩成 2–4 句")
        return overview


class ReportExtraction(ChunkExtraction):
    """全文的抽取结果、概述和报告信息。"""

    overview: str = ""
    meta: Optional[MetaOut] = None

    @classmethod
    def _extras(cls, data: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        """overview and meta, which never cost the lists a re-ask: a bad or missing one is left
        empty, and the engine then asks for both in the small overview call."""
        overview = data.get("overview")
        overview = overview.strip() if isinstance(overview, str) else ""
        meta = data.get("meta")
        try:
            checked = MetaOut.model_validate(meta, context=info.context) if isinstance(meta, dict) else None
        except ValidationError as exc:
            logger.info("reportkit: the folded meta did not validate (%s); asking the overview call", _message(exc))
            checked = None
        if len(overview) > OVERVIEW_CHARS or checked is None:
            overview = ""
        return {"overview": overview, "meta": checked}


RESPONSE_MODELS: dict[str, type[BaseModel]] = {"chunk": ChunkExtraction, "report": ReportExtraction}
"""Every response model a call may use (their schemas are part of the prompt version)."""


def response_model_for(section: str = "other", *, whole: bool = False) -> type[BaseModel]:
    """The response model of a call: the same for every section (the prompt marks each part's
    role), with overview and meta added when the call reads the whole document."""
    return ReportExtraction if whole else ChunkExtraction


@functools.lru_cache(maxsize=32)
def for_instructor(model: type[BaseModel]) -> type[BaseModel]:
    """``model`` wrapped once in instructor's ``ResponseSchema``.

    instructor wraps a plain model in a new class on every call, so its schema cache never hits
    and the schema was built again per call (~15 ms); a class that is already one is used as is.
    """
    from instructor.v2.core.function_calls import ResponseSchema, response_schema

    return model if issubclass(model, ResponseSchema) else response_schema(model)


@functools.lru_cache(maxsize=32)
def schema_json(model: type[BaseModel]) -> str:
    """The response model's JSON schema as canonical JSON (sorted keys): part of the cache key.

    Cached: the models never change at run time, and generating the schema took ~2 ms per chunk.
    """
    return json.dumps(model.model_json_schema(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


