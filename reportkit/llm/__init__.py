"""The LLM engine: chunks → model calls → grounded answers → a report body. Document + Settings → Report.

The only package that imports openai, instructor and tenacity, and only inside functions, so
importing it (or ``reportkit``) stays fast. Its parts:

* ``engine``   — ``extract_report``: chunk, ask (cache first), locate, merge, overview;
* ``chunking`` — sentence-bounded, section-pure chunks;
* ``prompts``  — the Jinja templates and the answer models whose validators ground each entry;
* ``client``   — the openai SDK and instructor: one call, transport retries, errors with their fix;
* ``cache``    — our response cache (diskcache), keyed on everything that changes the answer;
* ``merging``  — de-duplicates entries across overlapping chunks, builds the overview digest;
* ``local``    — a GGUF model behind llama.cpp's server on loopback.
"""
