"""Prompt-lab operations for the GUI: list evolution runs, read their lineage, start / stop a run, diff and
promote prompts. An evolution runs as `brushwork prompt evolve` in its own process (the studio never
imports gepa or renders for it), so it can outlive the window; the pane follows its lineage file.
The ops a pane awaits read and write files, connect and start processes in a thread (`run_in_thread`);
the blocking helpers under them are private to this module.
"""
from __future__ import annotations

import difflib
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

from core.paths import REPO_ROOT
from core.prompts.config import ConfigError, EvolveConfig, GeneratorConfig, dump_config, load_config
from core.prompts.evolve import request_stop
from core.prompts.lineage import LINEAGE_FILE, Lineage, read_lineage
from core.prompts.system import use_as_training_prompt
from core.reward.judges.keys import resolve_key
from core.store.home import prompt_runs_dir
from studio.ops import run_in_thread


class EvolveStartError(RuntimeError):
    """An evolution could not be started; the message says why and what to do."""


def runs_root() -> Path:
    """Where evolution runs live by default: `<data home>/prompt_runs`."""
    return prompt_runs_dir()


async def list_runs(root: Path | None = None) -> list[Path]:
    """Run folders (those with a lineage or a config), newest first, listed in a thread."""
    return await run_in_thread(_run_folders, root)


def _run_folders(root: Path | None = None) -> list[Path]:
    """Run folders (those with a lineage or a config), newest first (blocking)."""
    root = root or runs_root()
    if not root.is_dir():
        return []
    runs = [p for p in root.iterdir() if p.is_dir() and ((p / LINEAGE_FILE).exists() or (p / "config.toml").exists())]
    return sorted(runs, key=lambda p: p.stat().st_mtime, reverse=True)


def _lineage_stamp(run_dir: Path) -> float:
    """Modification time of the run's lineage file (0 when absent): cheap change detection for polling."""
    try:
        return (run_dir / LINEAGE_FILE).stat().st_mtime
    except OSError:
        return 0.0


def _lineage_since(run_dir: Path, stamp: float) -> tuple[float, Lineage | None]:
    now = _lineage_stamp(run_dir)
    return now, (read_lineage(run_dir) if now != stamp else None)


async def lineage_since(run_dir: Path, stamp: float) -> tuple[float, Lineage | None]:
    """The lineage file's stamp now, and the lineage read again when that differs from `stamp` (else
    None): a once-a-second poll reads only a stat while nothing changes."""
    return await run_in_thread(_lineage_since, run_dir, stamp)


def _run_dir_of(config_path: Path) -> Path:
    """The run folder an evolution config will write to."""
    return load_config(config_path).resolved_run_dir()


def _start_evolution(config_path: Path) -> tuple[subprocess.Popen, Path]:
    """Start `brushwork prompt evolve CONFIG` in its own process; returns it and its run folder."""
    try:
        run_dir = _run_dir_of(config_path)
    except ConfigError as e:
        raise EvolveStartError(str(e)) from e
    run_dir.mkdir(parents=True, exist_ok=True)
    log = (run_dir / "evolve.log").open("ab")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    try:
        proc = subprocess.Popen([sys.executable, "-m", "core.cli", "prompt", "evolve", str(config_path), "--json"],
                                cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as e:
        raise EvolveStartError(f"cannot start the evolution: {e.strerror}. Check that Python can run here.") from e
    finally:
        log.close()
    return proc, run_dir


async def stop_evolution(run_dir: Path) -> Path:
    """Ask the run to stop after its current step (a stop file gepa checks, written in a thread)."""
    return await run_in_thread(request_stop, run_dir)


def _check_and_start(config_path: Path) -> tuple[subprocess.Popen, Path]:
    problem = _config_problem(config_path)
    if problem:
        raise EvolveStartError(problem)
    return _start_evolution(config_path)


async def check_and_start(config_path: Path) -> tuple[subprocess.Popen, Path]:
    """Check the config's endpoint and key, then start the evolution (in a thread: it reads the config,
    connects to the endpoint and starts a process). EvolveStartError says why it did not start."""
    return await run_in_thread(_check_and_start, config_path)


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")


def key_problem(base_url: str | None, api_key_env: str | None) -> str | None:
    """What is missing before any call could succeed (no network: the URL's form and the key's variable)."""
    local = False
    if base_url:
        url = urlparse(base_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            return f"The endpoint {base_url!r} is not an http(s) URL such as http://127.0.0.1:8000/v1."
        local = url.hostname in LOCAL_HOSTS
    if api_key_env and not resolve_key("openai", api_key_env) and not local:  # as the run will look for it
        where = base_url or "OpenAI"
        return (f"${api_key_env} is not set and the keyring holds no OpenAI key, so every call to {where} would "
                "fail and every candidate score 0. Export the key before starting the studio (or `keyring set "
                "brushwork openai`), or point the endpoint at a local server (http://127.0.0.1:8000/v1 needs no key).")
    if not base_url and not api_key_env:
        return "No endpoint and no key variable: give a local endpoint, or the variable that holds an OpenAI key."
    return None


def _endpoint_problem(base_url: str | None, api_key_env: str | None, timeout: float = 2.0) -> str | None:
    """Why an evolution against this endpoint would only collect failures, in a sentence; None when the
    key is there and something answers. Blocking (a TCP connect): call it off the GUI thread."""
    problem = key_problem(base_url, api_key_env)
    if problem or not base_url:
        return problem
    url = urlparse(base_url)
    try:
        socket.create_connection((url.hostname, url.port or (443 if url.scheme == "https" else 80)),
                                 timeout=timeout).close()
    except OSError as e:
        return (f"Nothing answers at {base_url} ({e.strerror or e}). Start the server first, or leave the "
                "endpoint empty to use OpenAI with a key.")
    return None


def _config_problem(config_path: Path) -> str | None:
    """_endpoint_problem for an evolution config file (or why the file cannot be read). Blocking."""
    try:
        gen = load_config(config_path).generator
    except (ConfigError, OSError) as e:
        return str(e)
    if gen.kind != "openai":
        return None  # gemini keys and local models are checked by the run itself
    return _endpoint_problem(gen.base_url, gen.api_key_env)


def prompt_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Line diff of two prompts as (kind, line), kind in ' ', '-', '+'."""
    out = []
    for line in difflib.ndiff(a.splitlines(), b.splitlines()):
        if line.startswith("? "):
            continue  # ndiff's intraline hints: noise in a prompt view
        out.append((line[0], line[2:]))
    return out


async def promote(text: str) -> Path:
    """Use `text` as the training system prompt (written in a thread); returns the file the training
    config reads."""
    return await run_in_thread(use_as_training_prompt, text)


async def write_run_config(*, name: str, base_url: str | None, model: str, api_key_env: str, seed_prompt: str,
                           budget: int, render: bool) -> Path:
    """`_save_run_config` in a thread: a new evolution config for the form's fields; returns its path."""
    return await run_in_thread(_save_run_config, name=name, base_url=base_url, model=model, api_key_env=api_key_env,
                               seed_prompt=seed_prompt, budget=budget, render=render)


def _save_run_config(*, name: str, base_url: str | None, model: str, api_key_env: str, seed_prompt: str,
                     budget: int, render: bool) -> Path:
    """Save a new evolution config (the lab's defaults plus the form's fields) as `<runs>/<name>.toml`."""
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name.strip()) or "evolve"
    cfg = EvolveConfig(name=safe, seed_prompt=seed_prompt, max_metric_calls=budget, render=render,
                       generator=GeneratorConfig(kind="openai", model=model, base_url=base_url or None,
                                                 api_key_env=api_key_env))
    path = runs_root() / f"{safe}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_config(cfg), encoding="utf-8")
    return path
