"""One pack's answer, losing nothing silently: the call, re-asks for just the failed entries, the rest of a cut-off answer asked again. Pack job → answer + cost + what is still missing.

* An answer is validated entry by entry (``answers._Lists``): the valid entries are kept, and the
  failed ones alone are asked again, each with its error and the pack, in a fresh two-message
  request, within ``Settings.reasks`` re-asks per pack (instructor's own re-asks for an answer
  that is not even the right shape count against the same budget).
* An answer cut off at ``max_tokens`` (``finish_reason="length"``) keeps its complete entries; the
  part of the pack after the last complete entry (or the whole pack, when the cut fell before a
  later list) is split in two, along parts or sentences (``chunking.split_pack``), and asked
  again, at most ``MAX_SPLIT_DEPTH`` deep.

Re-asks and the pieces of a cut-off answer are asked with the plain ``ChunkExtraction`` (the
lists), also when the first call was the whole-document one: overview and meta are not asked twice.

What is still missing after that is returned as a ``ModelCallError`` beside the answer, which the
engine records in ``run.failures``; nothing is reported when the answer ended complete.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from ..locating import locate
from . import normalise
from .answers import ChunkExtraction, for_instructor
from .chunking import Pack, make_pack, split_pack

if TYPE_CHECKING:
    from .client import ModelCallError, ModelClient, Usage
    from .prompts import Prompts

logger = logging.getLogger("reportkit")

MAX_SPLIT_DEPTH = 2
"""How many times a cut-off part may be split again (a chunk becomes at most 4 smaller requests)."""


def answer_chunk(job: Any, client: ModelClient, prompts: Prompts, reasks: int
                 ) -> tuple[BaseModel | None, dict[str, Any], Usage, ModelCallError | None]:
    """The answer for one chunk job, its first completion, what it cost and what is still missing.

    Raises:
        ModelCallError: the first call failed for good and nothing was salvaged (the engine
            records it; ``fatal`` ones stop the run).
    """
    from .client import ModelCallError, Usage

    usage = Usage()
    ask = _Asker(client, prompts, job.model, usage, reasks)
    value, completion, dropped, missing = ask.answer(job.messages, job.chunk, job.context, job.label, depth=0)
    if not dropped and not missing:
        return value, completion, usage, None
    parts = []
    if missing:
        parts.append(" | ".join(missing))
    if dropped:
        parts.append(f"{len(dropped)} entries still failed their check after {usage.reasks} re-asks and were dropped")
    kind = "IncompleteOutputException" if missing else "ValidationError"
    error = ModelCallError("; ".join(parts), chunk_id=job.label, error_type=kind, usage=usage, salvaged=value,
                           dropped=tuple(dropped))
    return value, completion, usage, error


class _Asker:
    """The calls for one pack, sharing its re-ask budget and its cost counters."""

    def __init__(self, client: ModelClient, prompts: Prompts, model: type[BaseModel], usage: Usage, reasks: int) -> None:
        self.client, self.prompts, self.model = client, prompts, model
        self.usage, self.reasks = usage, reasks
        self.lists = model.list_fields()  # type: ignore[attr-defined]

    def answer(self, messages: list[dict[str, str]], pack: Pack, context: dict[str, Any], label: str, depth: int,
               model: type[BaseModel] | None = None) -> tuple[BaseModel | None, dict[str, Any], list[str], list[str]]:
        """(answer, completion, dropped entries, missing parts) for ``pack`` asked with ``messages``."""
        from .client import ModelCallError
        from .prompts import pack_context

        model = model or self.model
        text = pack.text
        missing: list[str] = []
        completion: dict[str, Any] = {}
        try:
            answer = self.client.call(messages, for_instructor(model), context=context, label=label,
                                      reasks=max(0, self.reasks - self.usage.reasks))
        except ModelCallError as exc:
            if exc.fatal or (exc.partial is None and depth == 0):
                raise
            _add(self.usage, exc.usage)
            if exc.partial is None:
                return exc.salvaged, completion, list(exc.dropped), [f"{label}: {exc}"]
            value, data = self._complete_entries(model, exc.partial, context)
            start = self._rest(text, data)
            logger.info("reportkit: %s was cut off at max_tokens; kept %d entries, asking again for characters %d-%d",
                        label, value.entries() if value is not None else 0, start, len(text))  # type: ignore[attr-defined]
            if depth >= MAX_SPLIT_DEPTH:
                missing.append(f"{label}: the answer was cut off at max_tokens (finish_reason=length) even for "
                               f"{len(text)} characters; characters {start}-{len(text)} of that part are missing "
                               "(raise REPORTKIT_MAX_TOKENS or lower REPORTKIT_CHUNK_CHARS)")
            else:
                for i, piece in enumerate(split_pack(pack, start)):
                    sub = self.prompts.chunk_messages(pack=piece)
                    part, _, dropped, lost = self.answer(sub, piece, pack_context(piece), f"{label}/{depth + 1}.{i}",
                                                         depth + 1, ChunkExtraction)
                    value = combine(model, value, part)
                    missing += lost
                    if dropped:
                        missing.append(f"{label}/{depth + 1}.{i}: dropped {len(dropped)}: " + " | ".join(dropped[:3]))
        else:
            _add(self.usage, answer.usage)
            value, completion = answer.value, answer.completion
        value, dropped = self._fix(value, pack, context, label)
        return value, completion, dropped, missing

    def _fix(self, value: BaseModel | None, pack: Pack, context: dict[str, Any], label: str
             ) -> tuple[BaseModel | None, list[str]]:
        """Re-ask for the rejected entries only, while the budget lasts; the rest is dropped."""
        from .client import ModelCallError

        from .prompts import pack_context

        rejected = list(getattr(value, "rejected", None) or [])
        while rejected and self.usage.reasks < self.reasks:
            focus = focus_parts(pack, rejected)
            messages = self.prompts.reask_messages(pack=focus, rejected=rejected)
            self.usage.reasks += 1
            try:
                fixed = self.client.call(messages, for_instructor(ChunkExtraction), label=f"{label}/reask", reasks=0,
                                         context=context if focus is pack else pack_context(focus, context.get("header")))
            except ModelCallError as exc:
                if exc.fatal:
                    raise
                _add(self.usage, exc.usage)
                break
            _add(self.usage, fixed.usage)
            value = combine(type(value) if value is not None else self.model, value, fixed.value)
            rejected = list(fixed.value.rejected)  # type: ignore[attr-defined]
        return value, [f"{r.field}[{r.index}]: {r.error}" for r in rejected]

    def _complete_entries(self, model: type[BaseModel], partial: str, context: dict[str, Any]
                          ) -> tuple[BaseModel | None, Any]:
        """The entries of a cut-off answer that were written to the end, validated."""
        fields = tuple(model.model_fields)
        data = normalise.unwrap(normalise.truncated_entries(partial), fields)
        if not isinstance(data, dict) or not set(data) & set(fields):
            return None, data
        try:
            return model.model_validate(data, context=context), data
        except ValidationError:
            return None, data

    def _rest(self, text: str, data: Any) -> int:
        """Where the unanswered part of ``text`` starts: after the last complete entry of the cut list."""
        if not isinstance(data, dict):
            return 0
        present = [f for f in data if f in self.lists]
        if set(present) != set(self.lists):
            return 0  # a list after the cut was never written: the whole text is asked again
        quotes = [e["quote"] for e in data.get(present[-1]) or [] if isinstance(e, dict) and isinstance(e.get("quote"), str)]
        where = locate(text, quotes[-1]) if quotes else None
        return where[0] if where else 0


def focus_parts(pack: Pack, rejected: list[Any]) -> Pack:
    """The parts of ``pack`` a re-ask needs: for each failed entry, the part its quote (else its
    name or title) shares the most two-character runs with; the whole pack when one cannot be told.

    A re-ask sends its text again; in a pack of several sections most of it is beside the point.
    """
    if len(pack.parts) == 1:
        return pack
    texts = [f"{p.heading}\n{p.text}" for p in pack.parts]
    chosen: set[int] = set()
    for r in rejected:
        entry = r.entry if isinstance(r.entry, dict) else {}
        probe = next((str(entry[k]) for k in ("quote", "name", "title") if entry.get(k)), "")
        grams = {probe[i : i + 2] for i in range(len(probe) - 1)}
        scores = [sum(g in t for g in grams) for t in texts]
        if not grams or max(scores) == 0:
            return pack
        chosen.add(scores.index(max(scores)))
    if len(chosen) == len(pack.parts):
        return pack
    return make_pack(pack.index, [p for i, p in enumerate(pack.parts) if i in chosen])


def combine(model: type[BaseModel], a: BaseModel | None, b: BaseModel | None) -> BaseModel | None:
    """One answer holding the entries of both (duplicates are merged later, by source position);
    the fields that are not lists (overview, meta) come from ``a``, the first answer."""
    if b is not None and a is None:
        a = model(**{f: getattr(b, f) for f in model.list_fields()}) if type(b) is not model else b  # type: ignore[attr-defined]
        return a
    if b is None:
        return a
    lists = model.list_fields()  # type: ignore[attr-defined]
    return model(**{f: [*getattr(a, f), *getattr(b, f, [])] if f in lists else getattr(a, f) for f in model.model_fields})


def _add(total: Usage, part: Usage) -> None:
    total.requests += part.requests
    total.transport_retries += part.transport_retries
    total.reasks += part.reasks
    total.input_tokens += part.input_tokens
    total.output_tokens += part.output_tokens
