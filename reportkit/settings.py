"""Settings of the LLM engine and provider presets. Environment / arguments → validated Settings.

Every knob lives here rather than as a ``summarize()`` parameter. The API key is a SecretStr: it is
never logged, never rendered in ``repr`` and never part of a cache key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

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
    "llamacpp": Preset("http://127.0.0.1:8080/v1", "tools", None, needs_key=False, default_model="local"),
}

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
    concurrency: int = Field(8, ge=1, le=256)
    timeout: float = Field(120.0, gt=0, description="Seconds per HTTP request.")
    transport_retries: int = Field(4, ge=0, description="Retries of 429/5xx/timeouts/connection errors.")
    reasks: int = Field(2, ge=0, le=5, description="Validation re-asks per chunk (each appends the error).")
    cache_dir: Path = Field(_DEFAULT_CACHE, description="Where responses are cached.")
    cache: CachePolicy = Field("use", description="use | refresh | off | replay (a miss is an error).")
    indicators: Optional[Path] = Field(
        None, description="Your own standard-indicator file (the shape of reportkit/data/indicators.json), added to the shipped one.")

    @model_validator(mode="after")
    def _apply_preset(self) -> "Settings":
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
        if self.mode is None:
            self.mode = "tools"
        if self.chunk_overlap >= self.chunk_chars:
            raise ValueError("chunk_overlap must be smaller than chunk_chars")
        return self

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Settings from ``REPORTKIT_*`` variables, falling back to ``OPENAI_API_KEY``/``OPENAI_BASE_URL``.

        Variables: REPORTKIT_PROVIDER, REPORTKIT_MODEL, REPORTKIT_BASE_URL, REPORTKIT_API_KEY,
        REPORTKIT_MODE, REPORTKIT_TEMPERATURE, REPORTKIT_SEED, REPORTKIT_MAX_TOKENS,
        REPORTKIT_CHUNK_CHARS, REPORTKIT_CHUNK_OVERLAP, REPORTKIT_CONCURRENCY, REPORTKIT_TIMEOUT,
        REPORTKIT_TRANSPORT_RETRIES, REPORTKIT_REASKS, REPORTKIT_CACHE_DIR, REPORTKIT_CACHE.
        """
        env = os.environ
        values: dict[str, object] = {}
        for field_name in cls.model_fields:
            raw = env.get("REPORTKIT_" + field_name.upper())
            if raw not in (None, ""):
                values[field_name] = raw
        if "api_key" not in values:
            provider = values.get("provider")
            key_env = PRESETS[str(provider)].key_env if provider in PRESETS else None
            for name in filter(None, (key_env, "OPENAI_API_KEY")):
                if env.get(name):
                    values["api_key"] = env[name]
                    break
        if "base_url" not in values and env.get("OPENAI_BASE_URL") and "provider" not in values:
            values["base_url"] = env["OPENAI_BASE_URL"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**values)
        except ValueError as exc:
            raise ConfigError(f"invalid reportkit settings from the environment: {exc}") from exc

    @property
    def is_configured(self) -> bool:
        """True when a model is named and the endpoint can be reached with what is given."""
        if not self.model:
            return False
        needs_key = PRESETS[self.provider].needs_key if self.provider else self.base_url is None or "api.openai.com" in self.base_url
        return self.api_key is not None or not needs_key

    def require_configured(self) -> None:
        """Raise ConfigError naming what to set when the LLM engine cannot run."""
        if self.is_configured:
            return
        missing = "REPORTKIT_MODEL" if not self.model else "an API key (REPORTKIT_API_KEY or OPENAI_API_KEY)"
        raise ConfigError(
            f"the LLM engine needs {missing}; set it, or pass settings=Settings(model=..., api_key=...), "
            "or use engine='rules' to summarise offline"
        )
