"""Settings of the LLM engine and provider presets. Environment / arguments → validated Settings.

Every knob lives here rather than as a ``summarize()`` parameter. The API key is a SecretStr: it is
never logged, never rendered in ``repr`` and never part of a cache key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator

from .errors import ConfigError

Mode = Literal["tools", "json", "md_json", "json_schema"]
CachePolicy = Literal["use", "refresh", "off", "replay"]
Provider = Literal["openai", "deepseek", "qwen", "moonshot", "zhipu", "ollama", "vllm", "llamacpp"]


@dataclass(frozen=True)
class Preset:
    """What a provider needs: where it is, which mode it accepts, where its key lives."""

    base_url: str
    mode: Mode
    key_env: Optional[str]
    needs_key: bool = True
    default_model: Optional[str] = None
    defaults: tuple[tuple[str, object], ...] = ()
    """Field values this provider needs unless the caller gives them (a local model's small context)."""


LOCAL_CONTEXT = 12288
"""Tokens of context ``serve_local`` gives a model, and what the llamacpp preset's budget fits."""

# A local call must fit its context whole: instructions and tools schema (~700 tokens), a chunk of
# 1500 characters (~1 token per Chinese character: up to ~2.2 k tokens with the instructions), an
# answer of up to 3072 tokens (a dense passage of 1500 characters states up to ~45 figures, those
# in Chinese numerals included, at ~60 tokens each with its quote), and one re-ask, which resends
# it all with the failed answer and the error appended: ~8.8 k of 12288. An 8192 context holds the
# call without the re-ask only. tests/test_local_preset.py measures this over the corpus and seeds.
LOCAL_BUDGET: tuple[tuple[str, object], ...] = (
    ("chunk_chars", 1500), ("figures_per_call", 24), ("max_tokens", 3072), ("reasks", 1),
    # CPU generation runs at ~5-20 tokens/s: one answer may take minutes
    ("timeout", 600.0), ("deadline", 3600.0),
)


# Modes chosen from each provider's documented request shapes: DeepSeek rejects json_schema;
# llama.cpp's server rejects instructor's json_schema request but accepts tools; Ollama's
# OpenAI-compatible endpoint honours response_format json_object for every model, tools only for some.
PRESETS: dict[str, Preset] = {
    "openai": Preset("https://api.openai.com/v1", "tools", "OPENAI_API_KEY"),
    "deepseek": Preset("https://api.deepseek.com/v1", "tools", "DEEPSEEK_API_KEY"),
    "qwen": Preset("https://dashscope.aliyuncs.com/compatible-mode/v1", "tools", "DASHSCOPE_API_KEY"),
    "moonshot": Preset("https://api.moonshot.cn/v1", "tools", "MOONSHOT_API_KEY"),
    "zhipu": Preset("https://open.bigmodel.cn/api/paas/v4", "tools", "ZHIPUAI_API_KEY"),
    "ollama": Preset("http://127.0.0.1:11434/v1", "json", None, needs_key=False),
    "vllm": Preset("http://127.0.0.1:8000/v1", "json_schema", "VLLM_API_KEY", needs_key=False),
    # `reportkit serve-local` listens on 8080 and answers to the model name "local"
    "llamacpp": Preset("http://127.0.0.1:8080/v1", "tools", None, needs_key=False, default_model="local",
                       defaults=LOCAL_BUDGET),
}

# Naming any of these (as a Settings field or a REPORTKIT_* variable) asks for a model: engine="auto"
# then runs the LLM engine or fails with what is missing, never silently the offline engine.
# OPENAI_API_KEY / OPENAI_BASE_URL alone do not: other tools share them.
SELECTING_FIELDS: tuple[str, ...] = ("provider", "model", "base_url", "api_key", "mode")

# The fields that change what the model answers, hence what a finished report holds.
ANSWER_FIELDS: tuple[str, ...] = (
    "provider", "model", "base_url", "mode", "temperature", "seed", "max_tokens", "chunk_chars", "chunk_overlap",
    "figures_per_call", "reasks",
)

_DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "reportkit"


class Settings(BaseModel):
    """Configuration of the LLM engine.

    Example:
        >>> Settings(provider="deepseek", model="deepseek-chat").base_url
        'https://api.deepseek.com/v1'
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    provider: Optional[Provider] = Field(None, description="Preset for base_url, mode and key variable.")
    model: Optional[str] = Field(None, description="Model name, e.g. gpt-4o-mini, deepseek-chat, qwen-plus.")
    base_url: Optional[str] = Field(None, description="OpenAI-compatible endpoint; default from the provider.")
    api_key: Optional[SecretStr] = Field(None, description="Never logged and never part of a cache key.")
    mode: Optional[Mode] = Field(None, description="How structured output is requested; default from the provider.")
    temperature: float = 0.0
    seed: Optional[int] = 0
    # A 4000-character chunk keeps the per-call prompt (~1 k tokens) well under half of what is
    # sent; its answer (up to ~60 figures with quotes) needs up to ~5 k output tokens.
    max_tokens: int = 8192
    chunk_chars: int = Field(4000, ge=200, description="Character budget of one chunk of source text.")
    chunk_overlap: int = Field(120, ge=0, description="Characters of the previous chunk repeated as context.")
    figures_per_call: Optional[int] = Field(None, ge=1, description="Most figures one call reads (its answer "
                                            "grows with them); default the engine's, ~68, within common output limits.")
    concurrency: int = Field(8, ge=1, le=256)
    timeout: float = Field(60.0, gt=0, description="Seconds per HTTP request (local models may need more).")
    # A server that accepts and never answers would otherwise hold a chunk for timeout × attempts.
    deadline: float = Field(300.0, gt=0, description="Seconds one document may spend on model calls, from its "
                            "first request; then its remaining calls stop and are listed in run.failures.")
    transport_retries: int = Field(4, ge=0, description="Retries of 429/5xx/timeouts/connection errors.")
    reasks: int = Field(2, ge=0, le=5, description="Validation re-asks per chunk (each appends the error).")
    cache_dir: Path = Field(_DEFAULT_CACHE, description="Where responses are cached.")
    cache: CachePolicy = Field("use", description="use | refresh | off | replay (a miss is an error).")
    cache_url: Optional[str] = Field(None, description="redis://host:6379/0: the same cache in Redis, shared by every "
                                     "process and node (needs reportkit[redis]); default: diskcache in cache_dir.")
    indicators: Optional[Path] = Field(
        None, description="Your own standard-indicator file (the shape of reportkit/data/indicators.json), added to the shipped one.")
    # from_env records which fields came from the generic OPENAI_* variables: those do not ask for a model
    _generic: frozenset[str] = PrivateAttr(default_factory=frozenset)

    @model_validator(mode="after")
    def _apply_preset(self) -> "Settings":
        given = set(self.model_fields_set)  # what the caller named, before defaults are filled in
        if self.provider:
            preset = PRESETS[self.provider]
            if self.base_url is None:
                self.base_url = preset.base_url
            if self.mode is None:
                self.mode = preset.mode
            if self.model is None:
                self.model = preset.default_model
            if self.api_key is None and preset.key_env and os.environ.get(preset.key_env):
                self.api_key = SecretStr(os.environ[preset.key_env])
            for name, value in preset.defaults:
                if name not in given:
                    setattr(self, name, value)
        if self.mode is None:
            self.mode = "tools"
        if self.chunk_overlap >= self.chunk_chars:
            raise ValueError("chunk_overlap must be smaller than chunk_chars")
        self.model_fields_set.intersection_update(given)  # filled-in defaults were not asked for
        return self

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Settings from ``REPORTKIT_*`` variables, falling back to ``OPENAI_API_KEY``/``OPENAI_BASE_URL``.

        Variables: REPORTKIT_PROVIDER, REPORTKIT_MODEL, REPORTKIT_BASE_URL, REPORTKIT_API_KEY,
        REPORTKIT_MODE, REPORTKIT_TEMPERATURE, REPORTKIT_SEED, REPORTKIT_MAX_TOKENS,
        REPORTKIT_CHUNK_CHARS, REPORTKIT_CHUNK_OVERLAP, REPORTKIT_FIGURES_PER_CALL, REPORTKIT_CONCURRENCY, REPORTKIT_TIMEOUT, REPORTKIT_DEADLINE,
        REPORTKIT_TRANSPORT_RETRIES, REPORTKIT_REASKS, REPORTKIT_CACHE_DIR, REPORTKIT_CACHE, REPORTKIT_CACHE_URL.
        """
        env = os.environ
        values: dict[str, object] = {}
        for field_name in cls.model_fields:
            raw = env.get("REPORTKIT_" + field_name.upper())
            if raw not in (None, ""):
                values[field_name] = raw
        if "api_key" not in values:
            provider = values.get("provider")
            # a provider's own key only: DeepSeek must never be sent the OPENAI_API_KEY
            key_env = PRESETS[str(provider)].key_env if provider in PRESETS else "OPENAI_API_KEY"
            if key_env and env.get(key_env):
                values["api_key"] = env[key_env]
        if "base_url" not in values and env.get("OPENAI_BASE_URL") and "provider" not in values:
            values["base_url"] = env["OPENAI_BASE_URL"]
        generic = {k for k in ("api_key", "base_url") if k in values and not env.get("REPORTKIT_" + k.upper())}
        if "api_key" in generic and values.get("provider") in PRESETS and PRESETS[str(values["provider"])].key_env:
            generic.discard("api_key")  # DEEPSEEK_API_KEY and the like name their provider
        values.update({k: v for k, v in overrides.items() if v is not None})
        generic -= {k for k, v in overrides.items() if v is not None}
        try:
            settings = cls(**values)
        except ValueError as exc:
            raise ConfigError(f"invalid reportkit settings from the environment: {exc}") from exc
        settings._generic = frozenset(generic)
        return settings

    @property
    def requests_llm(self) -> bool:
        """True when a provider, model, endpoint, key or mode was named for reportkit.

        Then ``engine="auto"`` must run the LLM engine (or say what is missing): falling back to
        the offline engine would let a user believe a model read the report.
        """
        return bool((self.model_fields_set - self._generic) & set(SELECTING_FIELDS))

    def answer_fingerprint(self) -> dict[str, object]:
        """The settings that change a report's content (never the key), e.g. for ``--resume``."""
        return {name: getattr(self, name) for name in ANSWER_FIELDS}

    @property
    def is_configured(self) -> bool:
        """True when a model is named and the endpoint can be reached with what is given."""
        if not self.model:
            return False
        return self.api_key is not None or self.is_configured_without_key

    def require_configured(self) -> None:
        """Raise ConfigError naming the variables to set when the LLM engine cannot run."""
        if self.is_configured:
            return
        missing = []
        if not self.model:
            missing.append("a model: set REPORTKIT_MODEL (or Settings(model=...))")
        # with no model either, name the key too: one message, not one fix at a time
        if self.api_key is None and (not self.is_configured_without_key or not self.model):
            if self.provider and PRESETS[self.provider].key_env:
                key_env = PRESETS[self.provider].key_env
                missing.append(f"provider {self.provider!r} needs its API key: set {key_env} (or REPORTKIT_API_KEY)")
            else:
                missing.append(
                    "an API key: set OPENAI_API_KEY or REPORTKIT_API_KEY (or Settings(api_key=...); "
                    "REPORTKIT_PROVIDER or REPORTKIT_BASE_URL for another endpoint)"
                )
        raise ConfigError(
            f"the LLM engine is not configured: {'; '.join(missing)}; "
            "or use engine='rules' (--engine rules) to summarise offline"
        )

    @property
    def is_configured_without_key(self) -> bool:
        """True when the endpoint needs no key (local servers, a custom base URL)."""
        if self.provider:
            return not PRESETS[self.provider].needs_key
        return self.base_url is not None and "api.openai.com" not in self.base_url
