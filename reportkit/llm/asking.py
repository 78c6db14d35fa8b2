"""One pack's answer, losing nothing silently: the call, re-asks for just the failed entries, the rest of a cut-off answer asked again. Pack job → answer + cost + what is still missing.

* An answer is validated entry by entry (``answers._Lists``): the valid entries are kept, and the
  failed ones alone are asked again, each with its error and the sentences it quotes (with a
  neighbour on each side, ``focus_parts``), not the whole pack, in a fresh two-message request,
  within ``Settings.reasks`` re-asks per pack (instructor's own re-asks for an answer that is not
  even the right shape count against the same budget).
* An answer cut off at ``max_tokens`` (``finish_reason="length"``) keeps its complete entries; the
  part of the pack after the last complete entry (or the whole pack, when the cut fell before a
  later list) is asked again: in one request when the answer had got through most of the text,
  else split in two along parts or sentences (``chunking.split_pack``), at most
  ``MAX_SPLIT_DEPTH`` deep.

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
from .chunking import Chunk, Pack, make_pack, sentences, split_pack, sub_chunk
from .scheduler import critical

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
            self.usage.add(exc.usage)
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
                for i, piece in enumerate(split_pack(pack, start, _pieces(start, len(text)))):
                    sub = self.prompts.chunk_messages(pack=piece)
                    with critical():  # the rest of a started answer goes before other documents' first calls
                        part, _, dropped, lost = self.answer(sub, piece, pack_context(piece), f"{label}/{depth + 1}.{i}",
                                                             depth + 1, ChunkExtraction)
                    value = combine(model, value, part)
                    missing += lost
                    if dropped:
                        missing.append(f"{label}/{depth + 1}.{i}: dropped {len(dropped)}: " + " | ".join(dropped[:3]))
        else:
            self.usage.add(answer.usage)
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
                with critical():  # a started document's next step goes before other documents' first calls
                    fixed = self.client.call(messages, for_instructor(ChunkExtraction), label=f"{label}/reask", reasks=0,
                                             context=context if focus is pack else pack_context(focus, context.get("header")))
            except ModelCallError as exc:
                if exc.fatal:
                    raise
                self.usage.add(exc.usage)
                break
            self.usage.add(fixed.usage)
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


EXCERPT_NEIGHBOURS = 1
"""Sentences shown on each side of the one a failed entry quotes, in its re-ask (its context: the
subject of a list, the year of a comparison, the heading's topic)."""
_MIN_SHARED = 0.5
"""A failed entry whose quote cannot be located is placed at the sentence sharing the most
two-character runs with it, when that is at least this share of its runs; else the re-ask
sends its whole part."""


REST_IN_ONE = 2 / 3
"""The rest of a cut-off answer's text is asked in one request when it is at most this share of
the text answered before the cut: the answer's density may vary, hence the margin below 1."""


def _pieces(done: int, total: int) -> int:
    """How many requests the rest of a cut-off answer's text needs: one when the answer had got
    through most of it (the rest, at most ``REST_IN_ONE`` of what was answered, needs a shorter
    answer than the one that was cut), else two halves."""
    return 1 if done > 0 and (total - done) <= REST_IN_ONE * done else 2


def focus_parts(pack: Pack, rejected: list[Any]) -> Pack:
    """What a re-ask needs of ``pack``: for each failed entry, the sentence its quote is in (or
    resembles most) with ``EXCERPT_NEIGHBOURS`` sentences either side, each excerpt under its
    part's role line; a part whole when an entry's place in it cannot be told, and the whole
    pack when not even its part can.

    A re-ask sends its text again, and most of a pack is beside the point of a few failed
    entries: the re-ask of one figure in a 4,000-character call costs the figure's sentence.
    The re-ask's answer is checked against the excerpts, so a corrected quote comes from them.
    """
    texts = [f"{p.heading}\n{p.text}" if p.heading else p.text for p in pack.parts]
    wanted: dict[int, list[tuple[int, int]] | None] = {}  # part -> spans in part.text (None: all of it)
    for r in rejected:
        entry = r.entry if isinstance(r.entry, dict) else {}
        probe = next((str(entry[k]) for k in ("quote", "name", "title") if entry.get(k)), "").strip()
        place = _place(pack, texts, probe)
        if place is None:
            return pack
        at, span = place
        if span is None:
            wanted[at] = None
        elif wanted.get(at, []) is not None:
            wanted.setdefault(at, []).append(span)
    parts: list[Chunk] = []
    for at, part in enumerate(pack.parts):
        if at not in wanted:
            continue
        spans = wanted[at]
        parts += [part] if spans is None else _excerpts(part, spans)
    if not parts or parts == list(pack.parts):
        return pack
    return make_pack(pack.index, parts)


def _place(pack: Pack, texts: list[str], probe: str) -> tuple[int, tuple[int, int] | None] | None:
    """(part index, span of ``probe`` in that part's text, or None for the whole part), or None."""
    if not probe:
        return None
    for at, text in enumerate(texts):
        found = locate(text, probe)
        if found is not None:
            lead = len(text) - len(pack.parts[at].text)  # the heading and its newline
            a, b = found[0] - lead, found[1] - lead
            return at, (max(0, a), max(0, b)) if b > 0 else (0, 0)  # quoted by its heading: the first sentence
    grams = {probe[i : i + 2] for i in range(len(probe) - 1)}
    if not grams:
        return None
    best: tuple[int, int, tuple[int, int] | None] = (0, -1, None)
    for at, part in enumerate(pack.parts):
        for a, b in sentences(part.text):
            shared = sum(g in part.text[a:b] for g in grams)
            if shared > best[0]:
                best = (shared, at, (a, b))
    if best[1] < 0:
        return None
    if best[0] < _MIN_SHARED * len(grams):
        return best[1], None
    return best[1], best[2]


def _excerpts(part: Chunk, spans: list[tuple[int, int]]) -> list[Chunk]:
    """The sentences of ``part`` covering ``spans``, widened by ``EXCERPT_NEIGHBOURS`` each side,
    as chunks of their own (runs that touch are joined)."""
    bounds = sentences(part.text)
    chosen: set[int] = set()
    for a, b in spans:
        hit = [i for i, (s0, s1) in enumerate(bounds) if s0 < max(b, a + 1) and s1 > a]
        for i in hit or [0]:
            chosen.update(range(max(0, i - EXCERPT_NEIGHBOURS), min(len(bounds), i + EXCERPT_NEIGHBOURS + 1)))
    out: list[Chunk] = []
    run: list[int] = []
    for i in sorted(chosen) + [len(bounds) + 1]:
        if run and i != run[-1] + 1:
            out.append(sub_chunk(part, bounds[run[0]][0], bounds[run[-1]][1]))
            run = []
        run.append(i)
    return [c for c in out if c.text]


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
