"""Run a local GGUF model behind llama.cpp's OpenAI-compatible server. GGUF path → base_url.

For users who cannot send documents to a cloud API. ``serve_local`` starts
``python -m llama_cpp.server`` (from ``pip install 'reportkit[local]'``) on a free loopback port,
waits until it answers, yields its base_url and stops it. Defaults that measured well on 2-core
machines: threads = cores, ``--logits_all false`` (otherwise memory grows from ~0.3 GB to ~1 GB
after a few requests), a context of 12288 tokens, which the llamacpp preset's budget fits:
a 1500-character chunk, its instructions and schema, an answer of up to 3072 tokens and one re-ask.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

from ..errors import ConfigError, MissingExtraError
from ..settings import LOCAL_CONTEXT

log = logging.getLogger("reportkit")

MODEL_ALIAS = "local"  # the model name the server answers to; the llamacpp preset's default model
DEFAULT_CONTEXT = LOCAL_CONTEXT  # the llamacpp preset's chunk + prompt + answer + one re-ask (see settings.LOCAL_BUDGET)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_command(model: Path, *, port: int, n_ctx: int, n_threads: int) -> list[str]:
    """The llama_cpp.server command line with our defaults."""
    return [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model),
        "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--n_ctx", str(n_ctx),
        "--n_threads", str(n_threads),
        "--logits_all", "false",
    ]


def _wait_until_ready(base_url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ConfigError(f"the llama.cpp server exited with status {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(base_url + "/models", timeout=2) as response:
                if json.load(response).get("data"):
                    return
        except (urllib.error.URLError, OSError, ValueError):
            time.sleep(0.25)
    raise ConfigError(f"the llama.cpp server did not answer at {base_url} within {timeout:.0f} s")


@contextlib.contextmanager
def serve_local(
    model: str | os.PathLike[str],
    *,
    port: int | None = None,
    n_ctx: int = DEFAULT_CONTEXT,
    n_threads: int | None = None,
    timeout: float = 120.0,
    log_file: str | os.PathLike[str] | None = None,
) -> Iterator[str]:
    """Serve a GGUF model on loopback for the duration of a ``with`` block.

    Args:
        model: path to a .gguf file.
        port: the port; default a free one.
        n_ctx: context size in tokens.
        n_threads: CPU threads; default all cores.
        timeout: seconds to wait for the model to load.
        log_file: where the server's output goes (default: discarded).

    Yields:
        The base_url, e.g. ``http://127.0.0.1:41234/v1``; use it with
        ``Settings(provider="llamacpp", base_url=url)``.

    Example:
        >>> with serve_local("SmolLM2-135M-Instruct.Q4_1.gguf") as url:
        ...     report = reportkit.summarize(path, settings=Settings(provider="llamacpp", base_url=url))
    """
    path = Path(model)
    if not path.is_file():
        raise ConfigError(f"{path}: no such model file (pass the path of a .gguf file)")
    try:
        import llama_cpp.server  # noqa: F401  (checked here so the error names the extra)
    except ImportError as exc:
        raise MissingExtraError("local", what="serving a local model") from exc
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    command = server_command(path, port=port, n_ctx=n_ctx, n_threads=n_threads or os.cpu_count() or 1)
    sink = open(log_file, "ab") if log_file else subprocess.DEVNULL
    log.info("starting llama.cpp server: %s", " ".join(command))
    process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    try:
        _wait_until_ready(base_url, process, timeout)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if sink is not subprocess.DEVNULL:
            sink.close()
