"""Turn the results into the printed tables and the target verdicts. Results dict → text and a list of verdicts.

Plain-text tables (no colours), so the output reads the same in a terminal, a CI log or a reply.
"""

from __future__ import annotations

from typing import Any

SHORT_STAGES = {"load": "load", "clean": "clean", "segment": "segm", "chunk": "chunk", "prompts": "prompt",
                "schema_json": "schema", "extract_cached": "extract*", "validate": "validate",
                "render_json": "json", "render_markdown": "md", "render_html": "html"}


def table(title: str, headers: list[str], rows: list[list[Any]], note: str | None = None) -> str:
    """A titled, aligned text table (numbers right-aligned)."""
    cells = [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    numeric = [all(_is_num(row[i]) for row in rows) if rows else False for i in range(len(headers))]

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)).rstrip()

    out = [f"\n== {title}", line(headers), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    if note:
        out.append(f"   {note}")
    return "\n".join(out)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) or v is None


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 1 else f"{v:.1f}" if abs(v) < 1000 else f"{v:.0f}"
    return str(v)


def _short(stem: str) -> str:
    return stem.split("_", 1)[0] if stem[:3].isdigit() else stem


def render(r: dict[str, Any]) -> str:
    """Every section that ran, as tables, then the sections that failed, then the targets."""
    errors = {k: v for k, v in r.items() if isinstance(v, dict) and "error" in v}
    r = {k: v for k, v in r.items() if not (isinstance(v, dict) and "error" in v)}
    parts = [f"reportkit benchmark — fake OpenAI server on 127.0.0.1 ({r['meta']['server']}), "
             f"latency {r['meta']['latency_s']} s, batch {r['meta']['batch']}, token rule: {r['meta']['token_rule']}"]
    if "overhead" in r:
        parts += _overhead(r["overhead"])
    if "call_path" in r:
        c = r["call_path"]
        parts.append(table(
            f"Call path: ms per chunk call, server answering at once ({_short(c['doc'])}'s longest chunk, "
            f"{c['chunk_chars']} chars, {c['reply_metrics']} metrics in the reply)",
            ["layer", "ms/call"], [[k, c[k]] for k in ("sdk", "instructor", "reportkit", "client_setup")],
            "sdk = openai SDK + fake server round trip; instructor adds schema + parse + grounding validators; "
            "reportkit = ModelClient.call; client_setup = one new ModelClient (made per document)"))
    if "calls" in r:
        from .calls import render as calls

        parts.append(calls(r["calls"]))
    if "realistic" in r:
        from .realistic import render as realistic

        parts.append(realistic(r["realistic"]))
    if "tokens" in r:
        rows = [[_short(t["doc"]), t["source_tokens"], t["content_tokens"], t["calls"], t["chunk_text_tokens"],
                 t["instruction_tokens_per_chunk_call"], t["overview_call_tokens"], t["message_tokens"],
                 t["schema_tokens"], t["ratio_message"], t["ratio_message_schema"], t["usage_matches_rule"]]
                for t in r["tokens"]["rows"]]
        parts.append(table("Tokens per document (input)", ["doc", "source", "content", "calls", "chunk text",
                           "instr/call", "overview", "message", "schema", "msg/src", "(msg+schema)/src", "usage=rule"],
                           rows, "message = what the fake server bills; schema = tools JSON per request (billed by real "
                                 "providers, not by the fake); content = source minus marked boilerplate"))
        sweep = r["tokens"].get("chunk_sweep")
        if sweep:
            parts.append(table(f"Tokens of {_short(sweep['doc'])} by chunk budget (Settings.chunk_chars; source "
                               f"{sweep['source_tokens']} tokens)",
                               ["chunk_chars", "calls", "message", "schema", "msg/src", "(msg+schema)/src"],
                               [[x["chunk_chars"], x["calls"], x["message_tokens"], x["schema_tokens"],
                                 x["ratio_message"], x["ratio_message_schema"]] for x in sweep["rows"]]))
    if "concurrency" in r:
        c = r["concurrency"]
        rows = [[x["strategy"], x["n"], f"{x['documents_in_flight']}x{x['chunks_in_flight']}", x["peak_in_flight"],
                 x["calls"], x["wall_s"], x["ideal_s"], x["bound_s"], x["efficiency"], x["efficiency_vs_bound"],
                 x["cpu_s"], x["cpu_ms_per_doc"], x["failed_documents"]] for x in c["rows"]]
        parts.append(table(f"Concurrency: batch of {c['batch']} documents, latency {c['latency_s']} s per call",
                           ["split", "N", "docs x chunks", "peak", "calls", "wall s", "ideal s", "bound s", "eff",
                            "eff/bound", "cpu s", "cpu ms/doc", "failed"], rows, c["note"]))
    if "scheduler" in r and "rows" in r["scheduler"]:
        c = r["scheduler"]
        rows = [[x["workers"], x["calls"], x["calls_per_document"], x["peak_in_flight"], x["wall_s"], x["ideal_s"],
                 x.get("bound_s", ""), x["efficiency"], x["cpu_ms_per_document"], x["cpu_server_s"], x["cpu_floor_s"], x["reachable"],
                 x["failed_documents"], " / ".join(
                     f"{w:g}" + (f" ({load:g})" if load is not None else "")
                     for w, load in zip(x.get("walls_s", [x["wall_s"]]), x.get("loads") or [None] * len(x.get("walls_s", [0]))))]
                for x in c["rows"]]
        parts.append(table(f"One scheduler: {c['batch']} documents, {c['in_flight']} in flight, latency {c['latency_s']} s, "
                           f"{c['cores']} cores (load {c['load_before']})",
                           ["workers", "calls", "calls/doc", "peak", "wall s", "ideal s", "bound s", "eff", "cpu ms/doc",
                            "server cpu s", "cpu floor s", "reachable", "failed", "walls s (load)"], rows, c["note"]))
        if all("parent_other_cpu_s" in x for x in c["rows"]):
            rows = [[x["workers"], x["cpu_parent_s"], x["parent_start_cpu_s"], x["parent_receive_cpu_s"], x["parent_other_cpu_s"],
                     x["cpu_workers_s"], x["worker_pickle_cpu_s"], x["transport_kb_per_document"], x["start_s"], x["split"]]
                    for x in c["rows"]]
            parts.append(table("Where the batch's CPU goes: parent vs workers",
                               ["workers", "parent cpu s", "fork s", "receive s", "other s", "workers cpu s",
                                "pickle s", "KB/doc", "start s", "documents per worker (most at once)"], rows,
                               "parent = this process (fork = starting the workers, receive = recv + unpickle of reports, "
                               "other = dispatch loop, waits, log records); workers = RUSAGE_CHILDREN after they are joined"))
    if "memory" in r and "rows" in r["memory"]:
        m = r["memory"]
        rows = [[x["documents"], x["written"], x["in_all_json"], x["wall_s"], x["parent_peak_mb"], x["parent_growth_mb"],
                 x["worker_peak_mb"], x["exit"]] for x in m["rows"]]
        parts.append(table(f"Memory of a CLI batch ({m['engine']} engine)",
                           ["documents", "written", "in all.json", "wall s", "CLI peak MB", "growth MB", "worker peak MB",
                            "exit"], rows, m["note"]))
    if "cache" in r and "rerun" in r["cache"]:
        c = r["cache"]
        first, again, serial = c["first_run"], c["rerun"], c["serial"]
        n = c["documents"]
        rows = [["first run (cache use)", first["requests"], first["wall_s"], first["cpu_ms_per_document"], f"{first.get('failed_calls', '?')} failed calls ({first['run_failures']} run.failures) in {first['documents_with_failures']} reports"],
                ["re-run (worker processes)", again["requests"], again["wall_s"], again["cpu_ms_per_document"], f"{again['report_cache_hits']}/{n} from the report cache, {again['equal_to_first']}/{n} equal"],
                ["re-run (workers=0, threads)", c["rerun_threads"]["requests"], c["rerun_threads"]["wall_s"], c["rerun_threads"]["cpu_ms_per_document"], ""],
                ["one at a time (summarize)", serial["requests"], None, serial["cpu_ms_median"], f"median; mean {serial['cpu_ms_mean']}, max {serial['cpu_ms_max']}"],
                ["replay, server stopped", c["replay"]["requests"], None, c["replay"]["cpu_ms_per_document"], f"{c['replay']['equal_to_first']}/{n} equal, {c['replay']['failed_documents']} failed"]]
        if "replay_responses" in c:
            rr = c["replay_responses"]
            rows.append(["replay, reports cleared", 0, None, rr["cpu_ms_per_document"], f"{rr['equal_to_first']}/{n} equal (rebuilt and checked from the recorded calls)"])
        parts.append(table(f"Cached re-run: {n} documents, {c['documents_in_flight']} in flight", ["run", "requests", "wall s", "cpu ms/doc", "result"],
                           rows, c["note"]))
    if "validation" in r and "documents" in r["validation"]:
        from .validation import render as render_validation

        parts.append("Validation CPU per document (gold metrics as the report)\n" + render_validation(r["validation"]))
    if "fuzz" in r and "rows" in r["fuzz"]:
        from .fuzz import render as render_fuzz

        parts.append(render_fuzz(r["fuzz"]))
    if "offline" in r:
        o = r["offline"]
        parts.append(table(f"Offline throughput ({o['documents']} seeds x {o['rounds']} rounds, {o['bytes']} bytes per round)",
                           ["what", "docs/s", "MB/s", "ms/doc"],
                           [["rules engine", o["rules_engine"]["docs_per_s"], o["rules_engine"]["mb_per_s"], o["rules_engine"]["ms_per_doc"]],
                            ["validator", o["validator"]["docs_per_s"], o["validator"]["mb_per_s"], o["validator"]["ms_per_doc"]]],
                           f"{o['note']}; validator: {o['validator']['metrics_per_s']} metrics/s "
                           f"({o['validator']['metrics_per_doc']} per doc)"))
    b = r.get("budget")
    if b:
        measured = b.get("measured_batch_cpu_ms_per_doc_n16")
        parts.append(table("Where a document's client-side time goes (mean over the seeds, ms; derived from the above)",
                           ["part", "ms/doc"], [[k, v] for k, v in b["rows"].items()] + [["total", b["total_ms"]]],
                           f"measured in the batch at N = 16: {measured} ms CPU per document" if measured else None))
    parts += _compare(r.get("compare", {}))
    if r.get("ray", {}).get("rows"):
        parts.append(_ray(r["ray"]))
    parts += [f"\n== {name}: FAILED: {v['error']}" for name, v in errors.items()]
    parts.append(table("Targets", ["target", "measured", "met"],
                       [[t["target"], t["measured"], t["met"]] for t in r.get("targets", [])]))
    return "\n".join(parts)


def _ray(c: dict[str, Any]) -> str:
    rows = [[x["engine"], x["documents"], x["local"]["docs_per_s"], x["ray"]["docs_per_s"],
             round(x["ray"]["docs_per_s"] / x["local"]["docs_per_s"], 2), x["local"]["wall_s"], x["ray"]["wall_s"],
             x["local"].get("peak_in_flight"), x["ray"].get("peak_in_flight"), x["local"]["failed"] + x["ray"]["failed"]]
            for x in c["rows"]]
    return table(f"Corpus scale: seeds x {c['copies']} through reportkit.ray vs the local batch ({c['cpus']} CPUs; "
                 f"cluster start {c['cluster_start_s']} s, actor pool start {c['pool_start_s']} s)",
                 ["engine", "docs", "local docs/s", "Ray docs/s", "Ray/local", "local s", "Ray s", "local peak",
                  "Ray peak", "failed"], rows, c["note"])


def _overhead(o: dict[str, Any]) -> list[str]:
    rows = [o_row for o_row in o["seeds"]] + ([o["synthetic"]] if o.get("synthetic") else [])
    stage_rows = [[_short(x["doc"]), round(x["bytes"] / 1024, 1), x["chunks"], x["calls"],
                   *(x["stages_ms"][k] for k in SHORT_STAGES), x["outside_model_ms"], x["end_to_end_ms"],
                   x["call_path_ms_per_call"]] for x in rows]
    out = [table("Pipeline overhead per document, ms (median; server answers at once)",
                 ["doc", "KB", "chunks", "calls", *SHORT_STAGES.values(), "outside", "end-to-end", "ms/call"],
                 stage_rows, "extract* = LLM engine answered from a warm cache (no HTTP; includes segm/chunk/prompt/"
                             "schema, re-validation, locate, merge); outside = load+clean+extract*+validate+json+md+html; "
                             "end-to-end = summarize(engine='llm', cache off)+3 renderings, incl. the fake server's work; "
                             "ms/call = (end-to-end - outside) / calls")]
    s = o.get("scaling")
    if s:
        names = ["end_to_end", "outside_model", "stage:validate", "stage:extract_cached", "stage:segment",
                 "stage:chunk", "stage:clean", "stage:render_html"]
        out.append(table(f"Scaling: {round(s['size_ratio'] * 10)} KB report vs 10 KB (linear = {s['size_ratio']}x)",
                         ["measure", "ms @10KB", "ms @big", "ratio"],
                         [[n, s[n]["ms_10kb"], s[n]["ms_big"], s[n]["time_ratio"]] for n in names if n in s],
                         s["reference"]))
    return out


def _compare(c: dict[str, Any]) -> list[str]:
    if not c or "systems" not in c:
        return [f"\n== Side by side: skipped ({c.get('skipped', 'not run')})"]
    rows = []
    for name, sys_ in c["systems"].items():
        if "summary" not in sys_:
            rows.append([name, None, None, None, None, None, None, None, None, sys_.get("skipped", "")])
            continue
        s = sys_["summary"]
        rows.append([name, s["calls_per_doc"], s["message_tokens_per_doc"], s["schema_tokens_per_doc"],
                     s.get("billed_tokens_per_doc"), s.get("billed_per_source"),
                     s["max_reply_tokens"], s["wall_s_per_doc_median"], s["outputs"], s["checked"]])
    out = [table(f"Side by side on {len(c['documents'])} document(s), latency {c['latency_s']} s, "
                 f"{c.get('concurrency', '?')} requests in flight per document",
                 ["system", "calls/doc", "msg tok/doc", "schema tok/doc", "billed tok/doc", "billed/src",
                  "max reply tok", "wall s/doc", "outputs", "checked"], rows,
                 "billed = messages + tools/response_format schema, by estimate_tokens; billed/src pooled over the documents")]
    out += [f"   - {n}" for n in c.get("notes", [])]
    return out


def budget(r: dict[str, Any]) -> dict[str, Any] | None:
    """Where one document's client-side time goes, averaged over the seeds (the batch's mix).

    Derived from the overhead and call-path sections, not measured again; the model calls are
    wall time per call against a server answering at once (the fake server's share included).
    Compared with the CPU per document measured in the batch at N = 16, when that ran.
    """
    o, c = r.get("overhead"), r.get("call_path")
    if not o or "error" in o or not o.get("seeds") or not c or "error" in c:
        return None
    seeds = o["seeds"]

    def mean(get: Any) -> float:
        return round(sum(get(x) for x in seeds) / len(seeds), 1)

    calls = mean(lambda x: x["calls"])
    rows = {
        "validate (figure check)": mean(lambda x: x["stages_ms"]["validate"]),
        "engine without HTTP (prompts, schema, cache keys, re-validation, locate, merge)":
            mean(lambda x: x["stages_ms"]["extract_cached"]),
        "openai client setup (a new ModelClient per document)": c["client_setup"],
        f"model calls ({calls} x {c['reportkit']} ms: SDK + instructor + fake server)": round(calls * c["reportkit"], 1),
        "load + clean + render JSON/Markdown/HTML": mean(lambda x: sum(x["stages_ms"][k] for k in (
            "load", "clean", "render_json", "render_markdown", "render_html"))),
    }
    out: dict[str, Any] = {"rows": rows, "total_ms": round(sum(rows.values()), 1)}
    k = r.get("concurrency")
    if k and "error" not in k:
        at16 = [x for x in k["rows"] if x["n"] == 16 and x["strategy"] == "documents"]
        if at16:
            out["measured_batch_cpu_ms_per_doc_n16"] = at16[0]["cpu_ms_per_doc"]
    return out


def targets(r: dict[str, Any]) -> list[dict[str, Any]]:
    """The brief's targets with what was measured and whether each is met."""
    out: list[dict[str, Any]] = []
    r = {k: v for k, v in r.items() if not (isinstance(v, dict) and "error" in v)}

    def add(target: str, measured: str, met: bool | None) -> None:
        out.append({"target": target, "measured": measured, "met": met})

    o = r.get("overhead")
    if o and o.get("seeds"):
        worst_e2e = max(x["end_to_end_ms"] for x in o["seeds"])
        worst_out = max(x["outside_model_ms"] for x in o["seeds"])
        add("seed overhead outside the model < 50 ms", f"max {worst_out} ms", worst_out < 50)
        add("seed end-to-end at latency 0 < 50 ms (incl. fake server)", f"max {worst_e2e} ms", worst_e2e < 50)
        s = o.get("scaling")
        if s:
            ratio, size = s["end_to_end"]["time_ratio"], s["size_ratio"]
            add(f"big/10 KB end-to-end ratio close to linear ({size}x; met if <= 1.25x that)", f"{ratio}x",
                ratio is not None and ratio <= 1.25 * size)
    c = r.get("concurrency")
    if c:
        at16 = [x for x in c["rows"] if x["n"] == 16]
        if at16:
            best = max(at16, key=lambda x: x["efficiency"])
            add("parallel efficiency >= 0.9 at N = 16",
                ", ".join(f"{x['strategy']} {x['efficiency']}" for x in at16), best["efficiency"] >= 0.9)
    sc = r.get("scheduler")
    if sc and sc.get("rows"):
        best = max(sc["rows"], key=lambda x: x["efficiency"])
        add(f"batch of {sc['batch']}, {sc['in_flight']} in flight, {sc['latency_s']} s latency: efficiency >= 0.85",
            f"{best['efficiency']} with {best['workers']} workers (ceil({best['calls']}/{sc['in_flight']}) x {sc['latency_s']} s "
            f"= {best['ideal_s']} s / {best['wall_s']} s wall, load {sc['load_before']}); CPU floor on {sc['cores']} cores "
            f"{best['cpu_floor_s']} s allows at most {best['reachable']}", best["efficiency"] >= 0.85)
    mem = r.get("memory")
    if mem and len(mem.get("rows", [])) > 1:
        small, big = mem["rows"][0], mem["rows"][-1]
        add(f"{big['documents']}-document batch: memory flat in batch size (vs {small['documents']})",
            f"CLI peak {small['parent_peak_mb']} → {big['parent_peak_mb']} MB, workers {small['worker_peak_mb']} → "
            f"{big['worker_peak_mb']} MB; {big['written']} files written",
            big["parent_peak_mb"] <= small["parent_peak_mb"] * 1.1 + 5 and big["written"] == big["documents"])
    v = r.get("validation")
    if v and v.get("documents"):
        seed = next((x for x in v["documents"] if x["document"] == "003"), None)
        if seed:
            check = seed.get("check_ms", seed["cpu_ms"])  # (a): on the index api.summarize has built already
            add("seed 003 validated < 20 ms CPU ((a) the check on the pipeline's index; cold is higher)",
                f"(a) {check} ms; (b) cold {seed['cpu_ms']} ms (index {seed['index_ms']} ms); re-validation "
                f"{seed['warm_ms']} ms; {seed['metrics']} metrics", check < 20)
        if v.get("ratio_100k_10k") is not None:
            add("validation per character, 100k / 10k <= 1.5", f"{v['ratio_100k_10k']}", v["ratio_100k_10k"] <= 1.5)
        big = next((x for x in v.get("scaling", []) if x["document"] == "1M"), None)
        if big:
            add("1 MB document validated well under a minute (<= 20 s)", f"{round(big['cpu_ms'] / 1000, 1)} s (index "
                f"{round(big['index_ms'] / 1000, 1)} s, {big['metrics']} metrics)", big["cpu_ms"] <= 20_000)
    f = r.get("fuzz")
    if f and f.get("rows"):
        under = [row for row in f["rows"] if row["size"] != "over the limit"]
        slowest = max(under, key=lambda row: row["slowest_s"]) if under else None
        add(f"fuzzing ({f['mutants']} mutants, {f['seconds']:g} s): no exception but ReportkitError, every span exact",
            f"{len(f['failures'])} failures; refused {f['refused'] or 'none'}", not f["failures"])
        if slowest:
            add(f"no mutant under the {f['limit_chars']:,}-character limit over 5 s CPU",
                f"slowest {slowest['slowest_s']} s at {slowest['slowest_chars']:,} chars ({', '.join(slowest['slowest_operations'])})",
                slowest["slowest_s"] <= 5)
    k = r.get("cache")
    if k and "rerun" in k:
        method = f"{k['documents']} documents, {k['first_run'].get('failed_calls', '?')} failed calls in the first run"
        add("cached re-run makes 0 requests", f"{k['rerun']['requests']} (batch) + {k['serial_requests']} (one at a time); {method}",
            k["rerun"]["requests"] == 0 and k["serial_requests"] == 0)
        add("cached re-run <= 20 ms CPU per document", f"batch {k['rerun']['cpu_ms_per_document']} ms/doc (process_time incl. "
            f"worker processes); one at a time median {k['serial']['cpu_ms_median']}, max {k['serial']['cpu_ms_max']}",
            k["rerun"]["cpu_ms_per_document"] <= 20)
        add("replay reproduces a run that had failures", f"{k['replay']['equal_to_first']}/{k['documents']} equal, "
            f"{k['replay']['requests']} requests", k["replay"]["equal_to_first"] == k["documents"] and k["replay"]["requests"] == 0)
    n = r.get("calls")
    if n and n.get("rows"):
        pooled = f"pooled over {n['documents']} documents (seeds + corpus, RealisticResponder, gold answers)"
        add(f"calls per document <= {n['targets']['calls_per_doc']}", f"{n['calls_per_doc']} {pooled}",
            n["calls_per_doc"] <= n["targets"]["calls_per_doc"])
        add(f"billed input tokens / source tokens (messages + tools schema) <= {n['targets']['billed_per_source']}",
            f"{n['billed_per_source']} (messages only {n['messages_per_source']}) {pooled}",
            n["billed_per_source"] <= n["targets"]["billed_per_source"])
        noisy = n.get("noisy")
        if noisy:
            add(f"billed input tokens / source tokens with noisy answers (noise {noisy['noise']}) <= "
                f"{n['targets']['billed_per_source']}", f"{noisy['billed_per_source']} (messages only "
                f"{noisy['messages_per_source']}, {noisy['calls_per_doc']} calls/doc: re-asks and cut-off answers)",
                noisy["billed_per_source"] <= n["targets"]["billed_per_source"])
        add("longest single answer <= 4000 output tokens (fits common output limits)",
            f"{n['max_reply_tokens']} tokens", n["max_reply_tokens"] <= 4000)
    t = r.get("tokens")
    if t:
        row = next((x for x in t["rows"] if x["doc"].startswith("003")), None)
        if row:
            add("seed 003 input tokens <= 1.5 x source (messages only)", f"{row['ratio_message']}x", row["ratio_message"] <= 1.5)
            add("seed 003 input tokens <= 1.5 x source (messages + schema)", f"{row['ratio_message_schema']}x",
                row["ratio_message_schema"] <= 1.5)
    return out
