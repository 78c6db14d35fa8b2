"""Kept for ``reportkit.local.serve_local`` (documented in the README): the code is reportkit.llm.local."""

from __future__ import annotations

from .llm.local import (
    DEFAULT_CONTEXT,
    MODEL_ALIAS,
    free_port,
    serve_local,
    server_command,
)

__all__ = ["DEFAULT_CONTEXT", "MODEL_ALIAS", "free_port", "serve_local", "server_command"]
