"""Where judge keys come from: the environment or the OS keyring — never a preset, the database or a log."""
from __future__ import annotations

import os

DEFAULT_KEY_ENV = {"openai": "OPENAI_API_KEY", "gemini": "GEMINI_API_KEY"}


def resolve_key(backend: str, env_name: str = "", keyring_service: str = "brushwork") -> str | None:
    """The API key for `backend`: $env_name (or the backend's usual variable), else keyring, else None."""
    env_name = env_name or DEFAULT_KEY_ENV.get(backend, "")
    if env_name and os.environ.get(env_name):
        return os.environ[env_name]
    if backend == "gemini" and not env_name and os.environ.get("GOOGLE_API_KEY"):
        return os.environ["GOOGLE_API_KEY"]
    try:
        import keyring  # optional: present on desktops that have a keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(keyring_service, backend) or None
    except Exception:  # a locked or absent keyring backend is the same as no key
        return None


def resolve_base_url(base_url: str, env_name: str) -> str | None:
    """The server URL: the preset's, else $env_name, else None (the vendor's default)."""
    return base_url or (os.environ.get(env_name) if env_name else None) or None
