"""The public output contract: Pydantic models of a checked report summary. Fields → JSON Schema.

``Report.model_json_schema()`` is the source of truth (written to ``schemas/report.schema.json`` by
``reportkit schema --write``). Names here are a public contract: later stages, exports and users'
pipelines rely on them, so add fields rather than rename them.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

DocType = Literal["work_summary", "summary_and_plan", "plan", "news", "other"]
MetricKind = Literal["actual", "growth_rate", "completion_rate", "target", "share", "count", "other"]
CheckStatus = Literal["verified", "unit_mismatch", "misattributed", "unsupported", "derived"]
SectionKind = Literal["review", "problems", "plans", "other"]
Engine = Literal["rules", "llm"]

CHECK_STATUSES: tuple[str, ...] = ("verified", "unit_mismatch", "misattributed", "unsupported", "derived")

SourceSpan = Optional[tuple[int, int]]
_SPAN_DOC = "[start, end) character offsets into the source text; text[start:end] == quote. null when the quote could not be located."


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Meta(_Model):
    """Who reported, where, for which year, and what kind of document it is."""

    organization: Optional[str] = Field(None, description="Reporting body as named in the text, e.g. 台城街道办事处.")
    region: Optional[str] = Field(None, description="Province/city/district the text names or clearly implies.")
    report_year: Optional[int] = Field(None, description="The year reviewed; the plan year for plan-only texts.")
    published: Optional[str] = Field(None, description="Publication date as written in the page header.")
    doc_type: DocType = Field("other", description="work_summary | summary_and_plan | plan | news | other.")
    title: Optional[str] = Field(None, description="Document title as written.")
    source: Optional[str] = Field(None, description="Path or name of the input.")
    source_sha256: Optional[str] = Field(None, description="SHA-256 of the input bytes.")


class Item(_Model):
    """One achievement, problem or plan, tied to the words of the source."""

    title: str = Field("", description="Short heading of the item.")
    text: str = Field("", description="One or two sentences saying what the item is about.")
    quote: str = Field("", description="Verbatim source text supporting the item.")
    span: SourceSpan = Field(None, description=_SPAN_DOC)


class Check(_Model):
    """The result of checking one figure against the source text."""

    status: CheckStatus = Field("unsupported", description="verified | unit_mismatch | misattributed | unsupported | derived.")
    detail: str = Field("", description="Why this status: what was found where, or what was computed.")
    span: SourceSpan = Field(None, description="Source span of the evidence (the figure as stated in the source).")
    kind_ok: Optional[bool] = Field(None, description="False when the kind contradicts the source (e.g. a planned figure labelled actual).")
    period_ok: Optional[bool] = Field(None, description="False when the period contradicts the source (e.g. a 1-10月 figure given as full-year).")
    quote_found: Optional[bool] = Field(None, description="Whether the metric's quote was found in the source (ignoring spaces, width and quote marks); null without a quote.")


class Metric(_Model):
    """One quantified fact as stated in the source."""

    name: str = Field(..., description="Indicator wording from the text (subject added where the wording is generic).")
    value: float = Field(..., description="The number as written, without unit conversion or sign (a decline is said in the name).")
    value_text: str = Field("", description="The number exactly as written, e.g. 134.2 or 一百三十四点二.")
    unit: str = Field("", description="The unit as written, e.g. 亿元, 万户, %, 个百分点, 家次.")
    kind: MetricKind = Field("other", description="actual | growth_rate | completion_rate | target | share | count | other.")
    period: Optional[str] = Field(None, description="Report year (e.g. 2023), a stated part of it (2023年1-10月), or null for stocks.")
    qualifier: Optional[str] = Field(None, description="Hedge word as written (超/近/约/余/多/以上/左右/不低于…), else null.")
    quote: str = Field("", description="Verbatim source text holding the number and its indicator.")
    span: SourceSpan = Field(None, description=_SPAN_DOC)
    check: Check = Field(default_factory=Check, description="The figure check against the source.")
    indicator: Optional[str] = Field(
        None,
        description="Id of the standard indicator this metric reports (gdp, retail_sales, industrial_output …: "
        "its level, growth, share, completion or target, as kind says), from reportkit.indicators; null otherwise.",
    )


class FigureCheck(_Model):
    """A figure found inside free text (overview, item text or title) and its check."""

    path: str = Field(..., description="Field path, e.g. review[2].text or overview.")
    text: str = Field(..., description="The figure as written in that field, e.g. 134.2亿元.")
    status: CheckStatus
    detail: str = ""
    span: SourceSpan = None


class SourceFigure(_Model):
    """A figure stated in the source (used for coverage: the ones a summary left out)."""

    text: str = Field(..., description="The figure as written, e.g. 超5亿元.")
    span: tuple[int, int]
    section: SectionKind = "other"
    context: str = Field("", description="The clause the figure stands in, so a reader can tell what was left out.")


class Inconsistency(_Model):
    """A place where the source's own figures do not add up (not the summary's fault)."""

    detail: str
    stated: float
    computed: float
    span: SourceSpan = None
    name: str = Field("", description="The rate as written, e.g. 整改率.")
    numerator: Optional[float] = Field(None, description="The part the rate was recomputed from (normalised), e.g. 3502.")
    denominator: Optional[float] = Field(None, description="The whole it was recomputed from (normalised), e.g. 3562.")


class Validation(_Model):
    """Summary of the figure check over the whole report."""

    counts: dict[str, int] = Field(default_factory=dict, description="Number of metrics per check status.")
    checked: int = Field(0, description="Number of metrics checked.")
    flagged: int = Field(0, description="Metrics whose status is not verified or derived, plus kind/period flags.")
    coverage: Optional[float] = Field(None, description="Share of the source's review and plan figures that the metrics carry.")
    source_figures: int = Field(0, description="Number of figures in the source's review and plan sections.")
    missed: list[SourceFigure] = Field(default_factory=list, description="Source figures the summary left out.")
    inconsistencies: list[Inconsistency] = Field(default_factory=list, description="Arithmetic in the source that does not add up.")
    figures: list[FigureCheck] = Field(default_factory=list, description="Figures found in free-text fields and their checks.")


class Failure(_Model):
    """Something that failed during a run but did not stop it."""

    stage: str = Field(..., description="Where: extraction, locate, merge …")
    message: str
    chunk_id: Optional[str] = None
    error_type: Optional[str] = None
    attempts: int = 0


class RunInfo(_Model):
    """How the report was made: engine, model and what it cost."""

    engine: Engine = "rules"
    model: Optional[str] = None
    prompt_version: Optional[str] = None
    calls: int = Field(0, description="Model calls made over the network.")
    cache_hits: int = Field(0, description="Model calls answered from the cache.")
    input_tokens: int = 0
    output_tokens: int = 0
    retries: int = Field(0, description="Transport retries and validation re-asks.")
    seconds: float = 0.0
    failures: list[Failure] = Field(default_factory=list)
    reportkit_version: str = ""
    report_cache: bool = Field(False, description="True when this report was read back from the report cache: nothing "
                               "was loaded, asked or checked in this run (calls 0; cache_hits counts the answers it stands for).")


class Report(_Model):
    """A structured, checked summary of one report.

    Spans index into the source ``Document.text``; every metric carries a ``check``.
    """

    schema_version: str = SCHEMA_VERSION
    meta: Meta = Field(default_factory=Meta)
    overview: str = Field("", description="A short abstract of the report (a few sentences).")
    review: list[Item] = Field(default_factory=list, description="What was achieved.")
    problems: list[Item] = Field(default_factory=list, description="What went wrong or remains hard.")
    plans: list[Item] = Field(default_factory=list, description="What comes next.")
    metrics: list[Metric] = Field(default_factory=list, description="Every quantified fact.")
    validation: Validation = Field(default_factory=Validation)
    run: RunInfo = Field(default_factory=RunInfo)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON text (UTF-8 characters kept, not escaped)."""
        return self.model_dump_json(indent=indent)

    def to_markdown(self) -> str:
        """A readable Markdown rendering with each metric's check status."""
        from .rendering import report_to_markdown

        return report_to_markdown(self)

    def to_html(self, source: Any = None) -> str:
        """A self-contained review page: the summary beside the source text, every quote
        highlighted at its span, every figure coloured by its check.

        Args:
            source: the source ``Document`` or its text. By default the file named in
                ``meta.source`` is read again when its SHA-256 still matches; otherwise the page
                shows the summary alone.
        """
        from .review_page import report_to_html

        return report_to_html(self, source if source is not None else _reload_source(self.meta))

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        from .review_page import report_to_html

        return report_to_html(self, _reload_source(self.meta))


def _reload_source(meta: Meta) -> Any:
    """The source Document behind ``meta``, if its file is still there unchanged; else None."""
    from pathlib import Path

    if not meta.source or not Path(meta.source).is_file():
        return None
    # loading and cleaning directly, not api.load: the schema must not import the entry points
    from .cleaning import with_boilerplate
    from .errors import InputError
    from .limits import check_size
    from .loading import read

    try:
        doc = with_boilerplate(check_size(read(meta.source)))
    except InputError:
        return None
    return doc if not meta.source_sha256 or doc.sha256 == meta.source_sha256 else None
