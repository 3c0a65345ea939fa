"""Gemini judge through google-genai; `base_url` points it elsewhere (a proxy, or the tests' local server)."""
from __future__ import annotations

from core.reward.judges.base import (
    Completion,
    JudgeSettings,
    PermanentJudgeError,
    TransientJudgeError,
    VisionJudge,
)
from core.reward.judges.clients import SharedClient, gemini_client, secret_digest
from core.reward.judges.keys import key_refusal, resolve_key

_TRANSPORTS = frozenset({"httpx", "httpx2", "httpcore", "httpcore2", "aiohttp", "anyio"})


class GeminiJudge(SharedClient, VisionJudge):
    """generateContent with the instruction and PNG parts; the SDK's own retries are off (ours back off)."""

    def __init__(self, settings: JudgeSettings):
        super().__init__(settings)
        from google.genai import errors, types  # deferred: heavy (google.genai)

        self._types, self._errors = types, errors
        key = resolve_key("gemini", settings.api_key_env, settings.keyring_service)
        base_url = settings.server_url("GEMINI_BASE_URL")
        refusal = key_refusal(base_url, "gemini") if key else None
        if not key or refusal:  # Gemini always needs its key: withheld from a plain-HTTP host, the judge is off
            self.unavailable = (f"judge {settings.name}: {refusal}" if refusal else
                                f"judge {settings.name}: no Gemini key (set {settings.api_key_env or 'GEMINI_API_KEY'} "
                                "or the keyring)")
            self._client_key = None
            return
        self._key, self._base_url = key, base_url
        self.server = base_url
        self._client_key = ("gemini", base_url, secret_digest(key), settings.timeout_s)

    def _new_client(self):
        return gemini_client(self._base_url, self._key, self.settings.timeout_s, attempts=1)

    async def _complete(self, instruction: str, images: list[bytes]) -> Completion:
        types, errors = self._types, self._errors
        parts = [types.Part.from_text(text=instruction)]
        parts += [types.Part.from_bytes(data=png, mime_type="image/png") for png in images]
        config = types.GenerateContentConfig(temperature=0, max_output_tokens=self.settings.max_tokens,
                                             response_mime_type="application/json")
        try:
            resp = await self.client.aio.models.generate_content(
                model=self.settings.model, contents=[types.Content(role="user", parts=parts)], config=config)
        except errors.APIError as e:
            code = int(getattr(e, "code", 0) or 0)
            if code == 429 or code >= 500 or code == 408:
                raise TransientJudgeError(f"{code}: {e}") from e
            raise PermanentJudgeError(f"{code}: {e}") from e
        except (TimeoutError, OSError) as e:
            raise TransientJudgeError(str(e)) from e
        except Exception as e:  # transport errors: the SDK's transport (httpx, httpx2, aiohttp) varies by version
            if type(e).__module__.split(".")[0] in _TRANSPORTS:
                raise TransientJudgeError(f"{type(e).__name__}: {e}") from e
            raise
        usage = resp.usage_metadata
        try:
            text = resp.text or ""
        except ValueError:  # no candidate text (blocked or empty)
            text = ""
        return Completion(text, int(getattr(usage, "prompt_token_count", 0) or 0),
                          int(getattr(usage, "candidates_token_count", 0) or 0))

    async def aclose(self) -> None:
        """Nothing to close here: the client is shared (see core.reward.judges.clients)."""

    @staticmethod
    async def _close_client(client) -> None:  # noqa: ANN001 (an SDK client)
        try:
            await client.aio.aclose()
        except AttributeError:  # older google-genai clients have no aclose
            pass
