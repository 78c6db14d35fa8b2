"""Small shared tools of the harness: timing, token counting by the fake server's rule, settings. Callables/bodies → numbers.

Token counts follow ``reportkit.testing.estimate_tokens`` (every CJK character or full-width mark
is 1 token, other characters 1 per 4): the rule the fake server applies to ``usage``. It is not a
real tokenizer (tiktoken needs its BPE files from the internet, unreachable here), but all
systems are counted with the same rule, so ratios compare fairly. Real tokenizers give Chinese
roughly 0.6-1.5 tokens per character depending on the vocabulary.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from reportkit.testing import estimate_tokens

T = TypeVar("T")
MODEL = "fake-model"
API_KEY = "bench-not-a-key"


def timed(fn: Callable[[], T], repeats: int = 1) -> tuple[float, T]:
    """Median wall seconds of ``repeats`` calls of ``fn`` (at least one), and the last result."""
    times: list[float] = []
    result: Any = None
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _text(content: Any) -> str:
    if isinstance(content, list):
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict) and p.get("type") == "text")
    return content if isinstance(content, str) else ""


def message_tokens(body: dict[str, Any]) -> int:
    """Prompt tokens of one request's messages, as the fake server counts them in ``usage``.

    Message text plus the arguments of earlier tool calls (re-asks resend them); the ``tools``
    and ``response_format`` schemas are not counted here (see ``schema_tokens``).
    """
    total = 0
    for message in body.get("messages") or []:
        if not isinstance(message, dict):
            continue
        total += estimate_tokens(_text(message.get("content")))
        for call in message.get("tool_calls") or []:
            if isinstance(call, dict):
                total += estimate_tokens(str((call.get("function") or {}).get("arguments", "")))
    return total


def schema_tokens(body: dict[str, Any]) -> int:
    """Tokens of the structured-output schema a request carries (``tools`` or ``response_format``).

    Measured as the compact JSON text of that field (characters kept) by the same rule. The fake
    server does not bill it; real providers do (OpenAI renders tools into the prompt), so this is
    an estimate of what each call really costs on top of its messages.
    """
    parts = [body[k] for k in ("tools", "response_format") if isinstance(body.get(k), (dict, list))]
    return sum(estimate_tokens(json.dumps(p, ensure_ascii=False, separators=(",", ":"))) for p in parts)


def settings(base_url: str, cache_dir: Path, **overrides: Any) -> Any:
    """reportkit Settings pointed at the fake server (cache off unless overridden)."""
    from reportkit.settings import Settings

    values: dict[str, Any] = {"model": MODEL, "base_url": base_url, "api_key": API_KEY,
                              "cache_dir": cache_dir, "cache": "off"}
    return Settings(**{**values, **overrides})


def ms(seconds: float | None) -> float | None:
    """Seconds → milliseconds, rounded for the JSON."""
    return None if seconds is None else round(seconds * 1000, 2)


def run_section(measure: Callable[[], dict[str, Any]], render: Callable[[dict[str, Any]], str], json_path: Path | None) -> int:
    """A section run on its own (``python -m bench.<name>``): reportkit's warnings off, the table printed, JSON if asked."""
    import logging

    logging.getLogger("reportkit").setLevel(logging.ERROR)
    result = measure()
    print(render(result))
    if json_path:
        json_path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0
