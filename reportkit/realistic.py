"""Answers as plausible mid-size models give them, built from gold annotations. Request + gold → a noisy reply.

``RealisticResponder`` plays the model behind ``reportkit.testing.FakeOpenAI``. For a chunk
request it answers with the gold entries whose quotes lie in the chunk, in document order, and
then spoils them the way real models do, each with a probability scaled by ``noise`` (0 answers
perfectly, 1 is a weak model):

* per entry: quotes re-punctuated or trimmed; values as strings, with thousands separators or
  with their unit; amounts rescaled to the base unit (134.2亿元 → 13420000000 元); percentages as
  fractions (5.2% → 0.052); unit variants (％, percent, 亿 for 亿元, 百分点); kind and period in
  Chinese words (同比增长, 2024年); a few entries omitted;
* per answer: a few invented figures; names shifted by one inside a run of metrics; arguments
  wrapped under the schema's name; in the json modes ```json fences, a leading sentence and
  ``<think>`` blocks; long answers cut off with ``finish_reason="length"``.

A re-ask (the conversation carries an earlier answer, or the request lists entries to fix) is
answered with a tenth of the noise, as a model that reads the error mostly fixes it. Standard
library only; seeded, so a run is reproducible.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["NOISE_KINDS", "RealisticAnswers"]

CHUNK = re.compile(r"【原文开始】\n(.*?)\n【原文结束】", re.S)
_META_KEYS = ("organization", "region", "report_year", "published", "doc_type", "title")
_METRIC_KEYS = ("name", "value", "value_text", "unit", "kind", "period", "qualifier", "quote")
_LISTS = ("review", "problems", "plans", "metrics")
_KNOWN = {
    "ReviewExtraction": ("review", "metrics"),
    "ProblemsExtraction": ("problems",),
    "PlansExtraction": ("plans", "metrics"),
    "ChunkExtraction": _LISTS,
}
_OVERVIEW = "ReportOverview"
_SCALED = {"亿": 1e8, "万": 1e4, "千": 1e3}
_KIND_WORDS = {
    "growth_rate": ("同比增长", "增速", "增长率"),
    "completion_rate": ("完成率", "完成进度"),
    "share": ("占比", "比例"),
    "target": ("目标", "预期目标"),
    "actual": ("实际值", "完成值"),
    "count": ("数量", "个数"),
    "other": ("其他",),
}
_PUNCT_SWAP = {"，": ",", ",": "，", "：": ":", ":": "：", "；": ";", ";": "；", "（": "(", "(": "（", "）": ")", ")": "）"}
_LEADS = ("好的，以下是从原文中抽取的结果：", "根据原文，抽取结果如下。", "Here is the extracted data:")
_THINK = "<think>\n先找出原文中的数字和指标，再逐条核对单位和期间。\n</think>\n"

NOISE_KINDS = (
    "quote_repunctuated", "quote_trimmed", "value_string", "value_separators", "value_with_unit", "rescaled",
    "fraction", "unit_variant", "kind_word", "period_word", "omitted", "invented", "names_shifted", "wrapped",
    "fenced", "lead_sentence", "think", "truncated",
)
"""Every kind of noise the responder applies; ``RealisticResponder.applied`` counts them."""


class RealisticAnswers:
    """A ``FakeOpenAI`` responder that answers from gold annotations with realistic noise.

    Use it as ``reportkit.testing.RealisticResponder``, which supplies the fake server's
    ``Fault`` for cut-off answers and its token rule (this module does not import the server).

    Args:
        gold: gold annotation dicts (the shape of ``seeds/gold/*.json`` and ``corpus/c*.json``).
        noise: 0 (perfect answers) to 1 (a weak model); 0.5 is a plausible mid-size model.
        seed: makes every answer reproducible (the same request gets the same answer).
        cut: wraps the text of an answer cut off at max_tokens in a reply with finish_reason=length.
        tokens: counts the tokens of an answer (against the request's max_tokens).
       
    """

    def __init__(self, gold: Iterable[Mapping[str, Any]], *, noise: float = 0.5, seed: int = 0,
                 cut: Callable[[Any], Any], tokens: Callable[[str], int]) -> None:
        if not 0.0 <= noise <= 1.0:
            raise ValueError(f"noise must be between 0 and 1, got {noise}")
        self.gold = [dict(g) for g in gold]
        self.noise = noise
        self.seed = seed
        self._cut, self._tokens = cut, tokens
        self.applied: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._metrics = [{k: m.get(k) for k in _METRIC_KEYS if k in m} for g in self.gold for m in g.get("metrics", [])]
        self._items = {
            kind: [{"title": _title(p["text"]), "text": p["text"], "quote": p["quote"]}
                   for g in self.gold for p in g.get(kind, []) if p.get("quote")]
            for kind in ("problems", "plans")
        }
        self._review = [r for g in self.gold for r in g.get("review_points", [])]

    # --- the responder protocol ------------------------------------------------------------------

    def __call__(self, request: Any) -> Any:
        user = request.user_text
        schema_name, fields = _schema(request)
        reask = len(request.messages) > 2 or "【需要改正的条目】" in user
        rng = random.Random(f"{self.seed}:{_digest(user)}:{len(request.messages)}")
        level = self.noise * (0.1 if reask else 1.0)
        if schema_name == _OVERVIEW:
            return self._wrap_text(self._overview(user, rng, level), request, schema_name, rng, level)
        found = CHUNK.search(user)
        chunk = found.group(1) if found else user
        answer = self._answer(chunk, fields, rng, level, _to_fix(user))
        if _asks_overview(request):  # a call that reads the whole report writes its overview too
            answer.update(self._overview(user, rng, level))
        text = json.dumps(answer, ensure_ascii=False, separators=(",", ":"))
        entries = sum(len(v) for v in answer.values() if isinstance(v, list))
        budget = request.body.get("max_tokens") or request.body.get("max_completion_tokens")
        over = isinstance(budget, int) and self._tokens(text) > budget
        if over or (entries >= 6 and self._hit(rng, level * 0.3, "truncated")):
            cut = text[: rng.randint(len(text) // 2, len(text) * 9 // 10)]
            return self._cut(self._wrap_text(cut, request, schema_name, rng, level, raw=True))
        return self._wrap_text(answer, request, schema_name, rng, level)

    # --- building the answer ---------------------------------------------------------------------

    def _answer(self, chunk: str, fields: tuple[str, ...], rng: random.Random, level: float,
                to_fix: list[dict[str, Any]] | None) -> dict[str, Any]:
        answer: dict[str, Any] = {}
        for name in fields:
            if name == "metrics":
                entries = _in_chunk(self._metrics, chunk, key=lambda m: (m["quote"], m["value"], m.get("unit")))
                if to_fix is not None:
                    entries = [e for e in entries if any(_fixes(e, bad) for bad in to_fix)]
                answer[name] = self._noisy_metrics(entries, chunk, rng, level, invent=to_fix is None)
            elif name == "review":
                points = [{"title": _title(r), "text": r, "quote": r} for r in dict.fromkeys(self._review) if r in chunk]
                answer[name] = [] if to_fix is not None else self._noisy_items(points, chunk, rng, level)
            else:
                entries = _in_chunk(self._items.get(name, []), chunk, key=lambda e: e["quote"])
                if to_fix is not None:
                    entries = [e for e in entries if any(_fixes(e, bad) for bad in to_fix)]
                answer[name] = self._noisy_items(entries, chunk, rng, level)
        return answer

    def _noisy_items(self, items: list[dict[str, Any]], chunk: str, rng: random.Random, level: float) -> list[dict[str, Any]]:
        out = []
        for item in items:
            if self._hit(rng, level * 0.03, "omitted"):
                continue
            out.append({**item, "quote": self._quote(item["quote"], rng, level)})
        return out

    def _noisy_metrics(self, metrics: list[dict[str, Any]], chunk: str, rng: random.Random, level: float,
                       *, invent: bool) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for gold in metrics:
            if self._hit(rng, level * 0.03, "omitted"):
                continue
            out.append(self._metric(dict(gold), rng, level))
        if len(out) >= 3 and self._hit(rng, level * 0.25, "names_shifted"):
            at = rng.randrange(len(out) - 2)
            names = [m["name"] for m in out[at : at + 3]]
            for m, name in zip(out[at : at + 3], names[1:] + names[:1]):
                m["name"] = name
        if invent and out and self._hit(rng, level * 0.3, "invented"):
            base = rng.choice(out)
            fake = dict(base)
            value = base["value"] if isinstance(base["value"], (int, float)) else 7.0
            fake["value"] = round(float(value) * 1.37 + 3, 1)
            fake.pop("value_text", None)
            out.insert(rng.randrange(len(out) + 1), fake)
        return out

    def _metric(self, m: dict[str, Any], rng: random.Random, level: float) -> dict[str, Any]:
        m["quote"] = self._quote(m["quote"], rng, level)
        value, unit = m["value"], m.get("unit") or ""
        if unit.endswith("%") and "个百分点" not in unit and self._hit(rng, level * 0.3, "fraction"):
            m["value"] = round(value / 100, 10)
        elif unit[:1] in _SCALED and len(unit) > 1 and self._hit(rng, level * 0.3, "rescaled"):
            m["value"], m["unit"] = round(value * _SCALED[unit[0]], 6), unit[1:]
        elif self._hit(rng, level * 0.3, "value_string"):
            if abs(value) >= 1000 and self._hit(rng, 0.7, "value_separators"):
                m["value"] = f"{value:,.{_decimals(value)}f}"
            elif unit and self._hit(rng, 0.4, "value_with_unit"):
                m["value"] = f"{value:g}{unit}"
            else:
                m["value"] = f"{value:g}"
        if m.get("unit") == unit and unit and self._hit(rng, level * 0.25, "unit_variant"):
            m["unit"] = _unit_variant(unit, rng)
        if self._hit(rng, level * 0.25, "kind_word"):
            m["kind"] = rng.choice(_KIND_WORDS.get(m.get("kind") or "other", ("其他",)))
        period = m.get("period")
        if period and re.fullmatch(r"\d{4}", period) and self._hit(rng, level * 0.25, "period_word"):
            m["period"] = rng.choice((f"{period}年", f"{period}年度", f"{period}年全年"))
        return m

    def _quote(self, quote: str, rng: random.Random, level: float) -> str:
        if self._hit(rng, level * 0.15, "quote_repunctuated"):
            quote = "".join(_PUNCT_SWAP.get(c, c) for c in quote)
        if len(quote) > 16 and self._hit(rng, level * 0.15, "quote_trimmed"):
            head = rng.randint(0, 3)
            quote = quote[head:]
            if not re.search(r"\d|[一二三四五六七八九十百千万两]", quote[-4:]):
                quote = quote[: len(quote) - rng.randint(0, 3)]
        return quote

    def _overview(self, user: str, rng: random.Random, level: float) -> dict[str, Any]:
        meta: dict[str, Any] = {"doc_type": "other"}
        for field in ("published", "organization"):
            hit = next((g for g in self.gold if g.get(field) and str(g[field]) in user), None)
            if hit is not None:
                meta = {k: hit.get(k) for k in _META_KEYS if k in hit}
                break
        published = meta.get("published")
        if isinstance(published, str) and self._hit(rng, level * 0.3, "period_word"):
            digits = re.findall(r"\d+", published)
            if len(digits) >= 3:
                meta["published"] = f"{int(digits[0]):04d}-{int(digits[1]):02d}-{int(digits[2]):02d}"
        return {"overview": "街道经济社会发展取得新成效，各项工作稳步推进。", "meta": meta}

    # --- the envelope ----------------------------------------------------------------------------

    def _wrap_text(self, answer: Any, request: Any, schema_name: str, rng: random.Random, level: float,
                   *, raw: bool = False) -> str | dict[str, Any]:
        """The reply as the model would send it: maybe wrapped, fenced, led by prose or a think block."""
        text_mode = request.mode != "tools"
        if not raw and self._hit(rng, level * 0.2, "wrapped"):
            answer = {schema_name: answer}
        if not text_mode:
            return answer
        text = answer if raw else json.dumps(answer, ensure_ascii=False, indent=None)
        if not raw and self._hit(rng, level * 0.4, "fenced"):
            text = f"```json\n{text}\n```"
        if not raw and self._hit(rng, level * 0.3, "lead_sentence"):
            text = rng.choice(_LEADS) + "\n" + text
        if self._hit(rng, level * 0.3, "think"):
            text = _THINK + text
        return text

    def _hit(self, rng: random.Random, p: float, kind: str) -> bool:
        if p > 0 and rng.random() < p:
            with self._lock:
                self.applied[kind] += 1
            return True
        return False


def _schema(request: Any) -> tuple[str, tuple[str, ...]]:
    """The response schema's name and its list fields, from the tool or the JSON schema in the prompt."""
    tools = request.body.get("tools") or []
    if tools and isinstance(tools[0], dict):
        function = tools[0].get("function") or {}
        name = str(function.get("name") or "")
        props = (function.get("parameters") or {}).get("properties") or {}
        return name, tuple(f for f in _LISTS if f in props) or _KNOWN.get(name, _LISTS)
    text = request.system_text + "\n" + request.user_text
    fmt = request.body.get("response_format") or {}
    if isinstance(fmt, dict) and isinstance(fmt.get("schema"), dict):
        text = json.dumps(fmt["schema"]) + text
    if _OVERVIEW in text and "overview" in text and "【原文开始】" not in text:
        return _OVERVIEW, ()
    listed = tuple(f for f in _LISTS if re.search(rf'"{f}"\s*:\s*\{{', text))  # the schema's properties
    for name, fields in _KNOWN.items():
        if f'"{name}"' in text:
            return name, listed or fields
    return "ChunkExtraction", listed or _LISTS


def _asks_overview(request: Any) -> bool:
    """True when an extraction request's schema also has an ``overview`` field (a whole-report call)."""
    tools = request.body.get("tools") or []
    if tools and isinstance(tools[0], dict):
        return "overview" in ((tools[0].get("function") or {}).get("parameters") or {}).get("properties", {})
    fmt = request.body.get("response_format") or {}
    schema = json.dumps(fmt.get("schema") or fmt.get("json_schema") or {}) if isinstance(fmt, dict) else ""
    return bool(re.search(r'"overview"\s*:\s*\{', schema + request.system_text))


def _in_chunk(entries: list[dict[str, Any]], chunk: str, *, key: Any) -> list[dict[str, Any]]:
    """Entries quoted in ``chunk``, once each, in the order their quotes appear."""
    seen: set[Any] = set()
    out = []
    for e in entries:
        k = key(e)
        if k not in seen and e.get("quote") and e["quote"] in chunk:
            seen.add(k)
            out.append(e)
    return sorted(out, key=lambda e: chunk.find(e["quote"]))


def _to_fix(user: str) -> list[dict[str, Any]] | None:
    """The entries a targeted re-ask lists (a JSON array after 【需要改正的条目】), else None."""
    marker = user.find("【需要改正的条目】")
    if marker < 0:
        return None
    start = user.find("[", marker)
    try:
        listed, _ = json.JSONDecoder().raw_decode(user[start:])
    except ValueError:
        return None
    return [e for e in listed if isinstance(e, dict)] if isinstance(listed, list) else None


def _fixes(gold: dict[str, Any], bad: dict[str, Any]) -> bool:
    """True when ``gold`` is the entry that a failed ``bad`` entry tried to state."""
    quote = str(bad.get("quote") or "")
    gq = gold.get("quote") or ""
    strip = re.compile(r"[\s,，:：;；()（）。]")
    a, b = strip.sub("", quote), strip.sub("", gq)
    if not a or not (a in b or b in a):
        return False
    if "value" not in gold:
        return True
    try:
        v = float(str(bad.get("value")).replace(",", "").rstrip("%％"))
    except ValueError:
        return True
    g = float(gold["value"])
    return any(abs(v * f - g) <= 1e-6 * max(1.0, abs(g)) for f in (1, 100, 1e-4, 1e-8, 1e-3))


def _unit_variant(unit: str, rng: random.Random) -> str:
    if unit == "%":
        return rng.choice(("％", "percent", "百分比"))
    if unit == "个百分点":
        return rng.choice(("百分点", "pp"))
    if unit.endswith("元") and len(unit) > 1 and unit[0] in _SCALED:
        return unit[:-1]  # 亿元 → 亿
    return unit


def _decimals(value: float) -> int:
    text = f"{value:g}"
    return len(text.split(".")[1]) if "." in text else 0


def _title(text: str) -> str:
    return re.split(r"[:：,，。]", text, maxsplit=1)[0][:16]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
