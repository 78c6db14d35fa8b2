"""reportkit's benchmark harness (issue 6). Seeds + a fake OpenAI server → timings, token counts, a table and JSON.

Run ``python -m bench`` from the repository root (``--help`` for the options). Everything talks
only to a ``reportkit.testing.FakeOpenAI`` server on 127.0.0.1; no real endpoint is ever called.
Benchmarks are not tests: nothing here gates CI (``tests/test_bench_smoke.py`` only checks that a
``--quick`` run works and writes the expected JSON).
"""
