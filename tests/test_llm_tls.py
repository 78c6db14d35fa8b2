"""The SDK clients reportkit makes share one verifying TLS context per process (see ``reportkit.llm.tls``)."""

from __future__ import annotations

import ssl

from reportkit.llm import client, tls


def _context_of(sdk):
    pool = sdk._client._transport._pool
    return pool._ssl_context


def test_one_verifying_context_for_every_client(monkeypatch):
    monkeypatch.setattr(client, "_SHARED", {})
    a = client._shared_sdk("https://a.example/v1", "k1", 30.0)
    b = client._shared_sdk("https://b.example/v1", "k2", 10.0)
    assert a is not b
    ctx = _context_of(a)
    assert ctx is _context_of(b) is tls.default_context()
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname


def test_the_context_is_made_again_when_the_ca_variables_change(monkeypatch, tmp_path):
    before = tls.default_context()
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    assert tls.default_context() is not before
    monkeypatch.undo()
    assert tls.default_context() is before


def test_the_client_keeps_the_sdk_defaults():
    http = tls.http_client(12.0)
    assert http.timeout.read == 12.0
    assert http.follow_redirects
