"""Where judge keys come from (the environment or the OS keyring — never a preset, the database or a log)
and where they may go: only over TLS (`https://`, or the vendor's default URL) or to this machine
(loopback). A key for any other URL is withheld — the request goes without it — unless the host is
named in $BRUSHWORK_ALLOW_PLAIN_HTTP_KEYS; `brushwork doctor` reports both cases.
"""
from __future__ import annotations

import ipaddress
import logging
import os
from urllib.parse import urlsplit

DEFAULT_KEY_ENV = {"openai": "OPENAI_API_KEY", "gemini": "GEMINI_API_KEY"}
# Comma-separated hosts (or host:port) that may receive a key over plain HTTP: a deliberate, visible choice.
ALLOW_PLAIN_HTTP_ENV = "BRUSHWORK_ALLOW_PLAIN_HTTP_KEYS"
# The variables that point judges and generators at a server (the doctor checks each one that is set).
BASE_URL_ENVS = ("OPENAI_BASE_URL", "BRUSHWORK_JUDGE_BASE_URL", "GEMINI_BASE_URL", "BRUSHWORK_GEMINI_BASE_URL",
                 "GOOGLE_GEMINI_BASE_URL")
# Given no base URL, each SDK reads this variable before its https default: the URL a key really goes to.
SDK_URL_ENV = {"openai": "OPENAI_BASE_URL", "gemini": "GOOGLE_GEMINI_BASE_URL"}

log = logging.getLogger(__name__)
_warned: set[tuple[str, str]] = set()


def resolve_key(backend: str, env_name: str = "", keyring_service: str = "brushwork") -> str | None:
    """The API key for `backend`: $env_name (or the backend's usual variable), else keyring, else None."""
    env_name = env_name or DEFAULT_KEY_ENV.get(backend, "")
    if env_name and os.environ.get(env_name):
        return os.environ[env_name]
    if backend == "gemini" and not env_name and os.environ.get("GOOGLE_API_KEY"):
        return os.environ["GOOGLE_API_KEY"]
    try:
        import keyring  # deferred: heavy (keyring): not a dependency; present on desktops that have one
    except ImportError:
        return None
    try:
        return keyring.get_password(keyring_service, backend) or None
    except Exception:  # a locked or absent keyring backend is the same as no key
        return None


def key_to_send(backend: str, env_name: str | None, url: str | None, who: str,
                keyring_service: str = "brushwork") -> str | None:
    """The key a `backend` client of the prompt lab or `brushwork generate` sends to `url`, found as the judges
    find theirs ($env_name, else the OS keyring) and withheld where `key_refusal` says so; None when the config
    names no variable ("" or None: this endpoint takes no key)."""
    if not env_name:
        return None
    return key_for_url(resolve_key(backend, env_name, keyring_service), url, who, backend)


def resolve_base_url(base_url: str, env_name: str) -> str | None:
    """The server URL: the preset's, else $env_name, else None (the vendor's default)."""
    return base_url or (os.environ.get(env_name) if env_name else None) or None


def allowed_plain_http_hosts() -> list[str]:
    """The hosts $BRUSHWORK_ALLOW_PLAIN_HTTP_KEYS names (lower case), in order."""
    return [h.strip().lower() for h in os.environ.get(ALLOW_PLAIN_HTTP_ENV, "").split(",") if h.strip()]


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):  # RFC 6761: always this machine
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name that resolves to 127.0.0.1 today may not tomorrow: not trusted


def effective_url(url: str | None, backend: str = "openai") -> str | None:
    """Where `backend`'s SDK sends a request given `url`: that URL, else the SDK's own variable, else None (https)."""
    return url or os.environ.get(SDK_URL_ENV.get(backend, ""), "") or None


def key_refusal(url: str | None, backend: str = "openai") -> str | None:
    """Why a key must not be sent to `url` (a sentence with the fix), or None when it may be.

    May: the vendor's https default, `https://`, a loopback host, or a plain-HTTP host allowed explicitly."""
    url = effective_url(url, backend)
    if not url:
        return None
    parts = urlsplit(url if "://" in url else f"//{url}")
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme == "https" or _loopback(host):
        return None
    if scheme != "http":
        return f"{url} is not an https:// URL, so the API key is not sent there; use https://"
    port = f"{host}:{parts.port}" if parts.port else host
    allowed = allowed_plain_http_hosts()
    if host and (host in allowed or port in allowed):
        return None
    return (f"{url} is plain HTTP to a host that is not this machine, so the API key is not sent there; "
            f"use https://, or set {ALLOW_PLAIN_HTTP_ENV}={host} to send it anyway")


def key_for_url(key: str | None, url: str | None, who: str, backend: str = "openai") -> str | None:
    """`key` when it may be sent to `url`; else None (the request goes without it), warned once per `who` and URL."""
    if not key:
        return key
    refusal = key_refusal(url, backend)
    if refusal is None:
        return key
    if (who, url or "") not in _warned:
        _warned.add((who, url or ""))
        log.warning("%s: %s", who, refusal)
    return None
