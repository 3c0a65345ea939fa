"""System prompts: the strict 8-method allowlist prompt (the default) and a full-API-reference prompt.

Templates live in resources/prompts/; the method lines come from `core.sketch.allowlist` (the same
tuple the checker reads, mirrored in allowlist.md), so the prompt and the checker never disagree.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from core.paths import RESOURCES
from core.sketch.allowlist import DEFAULT_ALLOWLIST, allowlist_prompt_block, readme_signatures
from core.store.home import training_prompt_file

PROMPTS_DIR = RESOURCES / "prompts"
BUILTIN_PROMPTS = {
    "allowlist": "system_allowlist.md",
    "full-reference": "system_full_reference.md",
}
DEFAULT_SYSTEM_PROMPT = "allowlist"
DEFAULT_PROMPT_SET = PROMPTS_DIR / "default_prompts.txt"


class PromptError(ValueError):
    """A system prompt or prompt set could not be found or read."""


def api_reference_block() -> str:
    """Every documented `brush.*` method from the installed p5.brush README, one line each."""
    docs = readme_signatures()
    if not docs:  # README missing: fall back to the allowlist so the prompt still says something true
        return allowlist_prompt_block(DEFAULT_ALLOWLIST)
    return "\n".join(f"- {sig}: {desc}" if desc else f"- {sig}" for sig, desc in docs.values())


def system_prompt(name_or_path: str | Path = DEFAULT_SYSTEM_PROMPT,
                  allowlist: Iterable[str] = DEFAULT_ALLOWLIST) -> str:
    """A built-in prompt by name ("allowlist", "full-reference") or a text file's contents."""
    name = str(name_or_path)
    if name in BUILTIN_PROMPTS:
        template = (PROMPTS_DIR / BUILTIN_PROMPTS[name]).read_text(encoding="utf-8")
        if "{allowlist}" in template:
            block = "\n".join("  " + line for line in allowlist_prompt_block(allowlist).splitlines())
            return template.replace("{allowlist}", block)
        return template.replace("{api_reference}", api_reference_block())
    path = Path(name).expanduser()
    if not path.is_file():
        raise PromptError(f"no system prompt {name!r}: use one of {', '.join(BUILTIN_PROMPTS)} or a text file path.")
    return path.read_text(encoding="utf-8")


def load_prompt_set(path: str | Path | None = None, limit: int | None = None) -> list[str]:
    """User prompts, one a line (blank lines and `#` comments skipped); default: the bundled set."""
    path = Path(path) if path else DEFAULT_PROMPT_SET
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise PromptError(f"cannot read the prompt set {path}: {e.strerror}. Give a text file with one prompt a line.") from e
    prompts = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not prompts:
        raise PromptError(f"{path} holds no prompts: write one prompt a line.")
    return prompts[:limit] if limit else prompts


def training_prompt_path(home: Path | None = None) -> Path:
    """Where the training config reads its system prompt: `<data home>/prompts/training_system_prompt.md`."""
    return training_prompt_file(home)


def use_as_training_prompt(text: str, home: Path | None = None) -> Path:
    """Write `text` as the training system prompt (the previous one is kept as `.bak`); returns the path."""
    if not text.strip():
        raise PromptError("an empty system prompt cannot be used for training: pick a candidate with text.")
    path = training_prompt_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.with_suffix(".md.bak").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    return path


def training_prompt(home: Path | None = None) -> str:
    """The promoted training system prompt, or the default allowlist prompt when none was promoted."""
    path = training_prompt_path(home)
    return path.read_text(encoding="utf-8") if path.exists() else system_prompt(DEFAULT_SYSTEM_PROMPT)
