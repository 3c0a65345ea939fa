"""HTTP clients shared by the judges of one event loop, so a run's steps reuse one client and its connections.

`Rubric.score` builds its judges per call (each call has its own cache and accounting), and each judge
used to build its own SDK client and close it at the end: every GRPO step paid for a new client (a TLS
context when the server is https) and opened a fresh connection per concurrent call in its first wave.
A client (and its keep-alive connections) belongs to the event loop that opened them, so clients are kept
per loop. They are closed by `close_shared_clients()` on that loop, or, under `asyncio.run`, when the run
ends: a keeper task holds them and closes them when the loop cancels it at shutdown.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class _Shelf:
    """The clients of one event loop, and the task that closes them when the loop shuts down."""

    clients: dict[Hashable, tuple[Any, Callable[[Any], Awaitable[None]]]] = field(default_factory=dict)
    keeper: asyncio.Task | None = None


_SHELVES: dict[asyncio.AbstractEventLoop, _Shelf] = {}


def openai_client(base_url: str | None, key: str | None, timeout: float, *, asynchronous: bool = False,
                  max_retries: int | None = None, http_client: Any = None) -> Any:
    """The one place an OpenAI SDK client is made: the judges' async one (shared per loop, above) and the
    prompt lab's blocking ones (GEPA calls plain functions). `key` as `keys.key_to_send` / `key_for_url` gave
    it: a local server takes none, and the SDK insists on a non-empty one. `max_retries` None: the SDK's."""
    import openai  # deferred: heavy (openai): seconds; only an OpenAI-compatible endpoint needs it

    kind = openai.AsyncOpenAI if asynchronous else openai.OpenAI
    extra: dict[str, Any] = {} if max_retries is None else {"max_retries": max_retries}
    if http_client is not None:
        extra["http_client"] = http_client
    return kind(api_key=key or "no-key", base_url=base_url or None, timeout=timeout, **extra)


def gemini_client(base_url: str | None, key: str | None, timeout: float, *, attempts: int | None = None) -> Any:
    """The one place a google-genai client is made (the Gemini judge, the prompt lab's generator), with its
    timeout whether or not a server URL is given; `attempts`: tries per request (None: the SDK's, no retry)."""
    from google import genai  # deferred: heavy (google.genai)
    from google.genai import types  # deferred: heavy (google.genai)

    retry = types.HttpRetryOptions(attempts=attempts) if attempts else None
    options = types.HttpOptions(base_url=base_url or None, timeout=int(timeout * 1000), retry_options=retry)
    return genai.Client(api_key=key or "no-key", http_options=options)


def secret_digest(secret: str | None) -> str:
    """A stand-in for a key in a client's cache key (the key itself is kept out of long-lived tables)."""
    return hashlib.sha256((secret or "").encode("utf-8")).hexdigest()[:16]


def shared_client(key: Hashable, build: Callable[[], Any], close: Callable[[Any], Awaitable[None]]) -> Any:
    """The running loop's client for `key`, built by `build()` the first time; `close(client)` ends it."""
    loop = asyncio.get_running_loop()
    for old in [lp for lp in _SHELVES if lp.is_closed()]:  # a loop closed without shutting down its tasks
        _SHELVES.pop(old, None)
    shelf = _SHELVES.get(loop)
    if shelf is None:
        shelf = _SHELVES[loop] = _Shelf()
        shelf.keeper = loop.create_task(_keep(loop, shelf), name="brushwork-judge-clients")
    if key not in shelf.clients:
        shelf.clients[key] = (build(), close)
    return shelf.clients[key][0]


def shared_client_count() -> int:
    """How many clients the running loop holds (for tests and diagnostics)."""
    shelf = _SHELVES.get(asyncio.get_running_loop())
    return len(shelf.clients) if shelf else 0


async def close_shared_clients() -> None:
    """Close the running loop's judge clients (a loop that lives on after scoring calls this when done)."""
    loop = asyncio.get_running_loop()
    shelf = _SHELVES.pop(loop, None)
    if shelf is None:
        return
    if shelf.keeper is not None and shelf.keeper is not asyncio.current_task():
        shelf.keeper.cancel()
    await _close_all(shelf)


async def _keep(loop: asyncio.AbstractEventLoop, shelf: _Shelf) -> None:
    # asyncio.run cancels every task left when its main coroutine returns and runs them to the end:
    # this one then closes the loop's clients on their own loop, before the loop closes.
    try:
        await asyncio.Event().wait()
    finally:
        if _SHELVES.get(loop) is shelf:
            del _SHELVES[loop]
        await _close_all(shelf)


async def _close_all(shelf: _Shelf) -> None:
    clients, shelf.clients = list(shelf.clients.values()), {}
    for client, close in clients:
        try:
            await close(client)
        except Exception as e:  # a client that fails to close must not hide the run's own result
            log.warning("closing a judge client failed: %s", e)


class SharedClient:
    """A judge whose SDK client is shared (see `shared_client`): it sets `_client_key` (None: no client)
    and says how to build one (`_new_client`) and close one (`_close_client`)."""

    _client_key: Hashable | None = None

    @property
    def client(self) -> Any:
        """The SDK client, shared by every judge of this event loop with the same server, key and timeout."""
        if self._client_key is None:
            return None
        return shared_client(self._client_key, self._new_client, self._close_client)

    def _new_client(self) -> Any:
        raise NotImplementedError

    @staticmethod
    async def _close_client(client: Any) -> None:
        raise NotImplementedError

