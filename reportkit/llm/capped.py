"""An openai client with a fixed number of request slots, for one worker's share of a provider's cap. Settings + share → openai.OpenAI.

Used by ``reportkit.ray``: each Ray actor gets ``max(1, Settings.concurrency // actors)`` slots,
so the requests in flight across a cluster never exceed ``Settings.concurrency``. Lives in the
llm package because only it imports the model SDKs.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..settings import Settings


def capped_client(settings: Settings, slots: int) -> Any:
    """An ``openai.OpenAI`` whose HTTP requests each hold one of ``slots`` while in flight.

    A slot is taken when a request is sent and given back once its response is read (the SDK
    reads a non-streamed body inside ``send``; a streamed one is read before the slot is freed),
    so a retry's back-off sleep holds no slot. The SDK's own retries are off, as for every client
    reportkit builds (tenacity in ``client`` owns them).
    """
    import openai

    gate = threading.BoundedSemaphore(max(1, slots))

    class _CappedHttpClient(openai.DefaultHttpxClient):  # type: ignore[misc, valid-type]
        def send(self, request: Any, **kwargs: Any) -> Any:
            with gate:
                response = super().send(request, **kwargs)
                if kwargs.get("stream"):
                    response.read()
                return response

    key = settings.api_key.get_secret_value() if settings.api_key else None
    return openai.OpenAI(
        base_url=settings.base_url, api_key=key or os.environ.get("OPENAI_API_KEY") or "not-needed",
        timeout=settings.timeout, max_retries=0, http_client=_CappedHttpClient(timeout=settings.timeout),
    )
