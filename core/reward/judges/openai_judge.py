"""OpenAI-compatible chat judge with images: OpenAI, vLLM, Ollama, LM Studio (base_url + model + key)."""
from __future__ import annotations

import base64
import functools
import json

from core.reward.judges.base import (
    Completion,
    JudgeSettings,
    PermanentJudgeError,
    TransientJudgeError,
    VisionJudge,
)
from core.reward.judges.clients import SharedClient, openai_client, secret_digest
from core.reward.judges.keys import key_for_url, key_refusal, resolve_key


def _retry_after(response) -> float | None:
    try:
        return float(response.headers.get("retry-after"))
    except (AttributeError, TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=64)
def _image_part(png: bytes) -> bytes:
    # A GRPO group sends each reference in 2 × 8 requests and each candidate in 4: encode it once,
    # as the finished JSON bytes, so a request is one join of cached parts on the event loop.
    return b'{"type": "image_url", "image_url": {"url": "data:image/png;base64,' + base64.b64encode(png) + b'"}}'


class OpenAIJudge(SharedClient, VisionJudge):
    """Sends the instruction and PNGs as one user message; our own backoff (the SDK's retries are off)."""

    def __init__(self, settings: JudgeSettings):
        super().__init__(settings)
        import openai  # deferred: heavy (openai)

        self._openai = openai
        base_url = settings.server_url("OPENAI_BASE_URL")
        found = resolve_key("openai", settings.api_key_env, settings.keyring_service)
        # only over TLS or to loopback: a plain-HTTP server elsewhere is asked without the key
        key = key_for_url(found, base_url, f"judge {settings.name}")
        if not key and not base_url:
            self.unavailable = (f"judge {settings.name}: " + (key_refusal(base_url) or "") if found else
                                f"judge {settings.name}: no OpenAI key (set {settings.api_key_env or 'OPENAI_API_KEY'} "
                                "or the keyring) and no server URL (base_url"
                                + (f" or ${settings.base_url_env})" if settings.base_url_env else ")"))
            self._client_key = None
            return
        self._key, self._base_url = key, base_url
        self.server = base_url
        self._client_key = ("openai", base_url, secret_digest(key), settings.timeout_s)

    def _new_client(self):
        openai, base_url = self._openai, self._base_url
        try:
            # The SDK's aiohttp transport (openai[aiohttp]) costs a third less CPU per call than httpx on the
            # event loop, which sends a wave's 8 calls one after another: the last one left that much later.
            http_client = openai.DefaultAioHttpClient()
        except (AttributeError, RuntimeError):  # an SDK without it, or aiohttp not installed
            # Plain-HTTP servers (a local vLLM) need no TLS: skip loading the CA bundle.
            http_client = openai.DefaultAsyncHttpxClient(verify=False) if (base_url or "").startswith("http://") else None
        return openai_client(base_url, self._key, self.settings.timeout_s, asynchronous=True, max_retries=0,
                             http_client=http_client)

    async def _complete(self, instruction: str, images: list[bytes]) -> Completion:
        oa = self._openai
        try:
            resp = await self.client.post("/chat/completions", cast_to=dict,  # plain JSON: no model building
                                          content=self._body(instruction, images),
                                          options={"headers": {"Content-Type": "application/json"}})
        except oa.RateLimitError as e:
            raise TransientJudgeError(f"429: {e}", _retry_after(e.response)) from e
        except oa.APIStatusError as e:
            if e.status_code >= 500 or e.status_code in (408, 409):
                raise TransientJudgeError(f"{e.status_code}: {e}", _retry_after(e.response)) from e
            raise PermanentJudgeError(f"{e.status_code}: {e.message}") from e
        except (oa.APITimeoutError, oa.APIConnectionError) as e:
            raise TransientJudgeError(str(e)) from e
        try:
            text = resp["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            text = ""  # an answer without a message is malformed: retried like garbage
        usage = resp.get("usage") or {} if isinstance(resp, dict) else {}
        return Completion(str(text), int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))

    def _body(self, instruction: str, images: list[bytes]) -> bytes:
        """The chat-completions request as JSON bytes, built around the base64 images (they need no
        escaping), so a 300 KB image is not re-scanned by a JSON encoder and the SDK's type walk per call."""
        head = json.dumps({"model": self.settings.model, "max_tokens": self.settings.max_tokens, "temperature": 0})
        parts = [head[:-1].encode(), b', "messages": [{"role": "user", "content": [',
                 json.dumps({"type": "text", "text": instruction}).encode()]
        for png in images:
            parts += [b", ", _image_part(png)]
        return b"".join([*parts, b"]}]}"])  # one copy of the ~600 KB body, not one per concatenation

    async def aclose(self) -> None:
        """Nothing to close here: the client is shared (see core.reward.judges.clients)."""

    @staticmethod
    async def _close_client(client) -> None:  # noqa: ANN001 (an SDK client)
        await client.close()
