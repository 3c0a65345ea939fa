"""`brushwork doctor [--json]`: what is installed, what is missing, and the fix for each.

Every check returns a `Check` (name, ok, required, summary, fix). Required by default: what rendering
and checking need (Chromium and Playwright, node, the pinned npm assets, a writable data home, a
database this version can open). The rest (sandbox strength, GPU, vllm, judge keys, the tiny model)
is reported and only fails the exit code when `--require` names it, or when `--config RUN.toml` (a
training run config) needs it; that also checks the run's model. Key values are never printed.
The studio's Help › Diagnostics can show `run_checks()` through `format_text`.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from core.paths import NODE_MODULES, REPO_ROOT, RESOURCES, data_home
from core.render import jail
from core.render.browser import BrowserUnavailable, find_chromium
from core.reward.judges.keys import (
    ALLOW_PLAIN_HTTP_ENV,
    BASE_URL_ENVS,
    allowed_plain_http_hosts,
    key_refusal,
    resolve_key,
)
from core.reward.preflight import JUDGE_SERVER_COMMAND, JUDGE_URL, probe_server
from core.sketch.syntax import node_path
from core.store.connect import StoreError, read_schema
from core.store.home import TINY_MODEL, TINY_SFT_MODEL, database_file, models_dir, under_home
from core.store.migrations import MIGRATIONS
from core.train.config import ConfigError, load_config
from core.train.prompt_sets import prompt_sets
from core.train.runner import RunError, preflight_rubric, preset
from core.train.translate import model_path, reporters
from core.version import __version__

REQUIRED = ("chromium", "playwright", "node", "npm-assets", "data-home", "database")
OPTIONAL = ("sandbox", "render-cpu", "gpu", "vllm", "openai-key", "gemini-key", "key-transport", "judge-server", "versions",
            "tiny-model")
CONSTRAINTS = REPO_ROOT / "packaging" / "constraints.txt"
# The training stack: a drift here changes what a run does (TRL 1.0 and 1.9 treat a None reward differently).
TRAINING_STACK = ("trl", "transformers", "peft", "accelerate", "torch", "datasets", "tokenizers")


@dataclass
class Check:
    """One finding: `ok`, what was found (`summary`), and what to do when it is not ok (`fix`)."""

    name: str
    ok: bool
    summary: str
    fix: str | None = None
    required: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def status(self) -> str:
        """'ok', 'missing' (required and not ok) or 'warn' (optional and not ok)."""
        return "ok" if self.ok else "missing" if self.required else "warn"

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for JSON, with `status`."""
        return {**asdict(self), "status": self.status}


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None


def check_chromium() -> Check:
    """Chromium found, and it starts headless and loads a page."""
    fix = "apt-get install chromium (or set BRUSHWORK_CHROMIUM to a Chromium binary)"
    try:
        path = find_chromium()
    except BrowserUnavailable as e:
        return Check("chromium", False, str(e), fix)
    version = _run([path, "--version"], 30)
    shown = version.stdout.strip() if version and version.returncode == 0 else "version unknown"
    with tempfile.TemporaryDirectory(prefix="brushwork-doctor-") as profile:
        done = _run([path, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                     "--dump-dom", "data:text/html,<p>ok</p>"], 60)
    if done is None or done.returncode != 0 or "<p>ok</p>" not in done.stdout:
        why = "timed out" if done is None else (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return Check("chromium", False, f"{path} ({shown}) did not start headless: {why}",
                     "reinstall chromium; `chromium --headless --dump-dom about:blank` must print a page",
                     details={"path": path})
    return Check("chromium", True, f"{shown} at {path} starts headless", details={"path": path, "version": shown})


def check_playwright() -> Check:
    """The Playwright driver that talks to Chromium."""
    try:
        version = importlib.metadata.version("playwright")
    except importlib.metadata.PackageNotFoundError:
        return Check("playwright", False, "the playwright package is not installed", "make setup")
    return Check("playwright", True, f"playwright {version} (drives Debian's Chromium; no browser download)")


def check_sandbox() -> Check:
    """Whether the render browser gets its own network namespace and resource caps here (the renderer's own probes)."""
    netns = jail.netns_mode()
    # The same writable-cgroup test the renderer makes when it starts a browser (without creating one).
    own = jail._own_cgroups() if hasattr(jail, "_own_cgroups") else []
    caps = "cgroup" if any(os.access(p, os.W_OK) for p, _ in own) else "prlimit" if shutil.which("prlimit") else None
    details = {"netns": netns is not None, "netns_mode": netns, "caps": caps}
    summary = (f"network namespace: {netns or 'none'}; resource caps: {caps or 'none'}"
               + (" (memory per process, not per browser)" if caps == "prlimit" else ""))
    if netns is None:
        return Check("sandbox", False, summary + ": renders fall back to in-browser refusals only",
                     "run as root, or allow unprivileged user namespaces "
                     "(sysctl kernel.unprivileged_userns_clone=1 or kernel.apparmor_restrict_unprivileged_userns=0)",
                     details=details)
    if caps is None:
        return Check("sandbox", False, summary, "install util-linux (prlimit) or give this user a writable cgroup",
                     details=details)
    return Check("sandbox", True, summary, details=details)


def check_render_cpu() -> Check:
    """Which CPU limit the render browsers get here: a share (cgroup weight) with a hard cap kept as a
    safety limit, or none (no writable cpu cgroup). Probed by making and removing a cgroup like theirs."""
    in_force, words = jail.probe_cpu_limit()
    details = {"share": in_force, "cpu_weight": jail.cpu_weight() if in_force else None,
               "hard_cap_cpus": jail.default_cpus(jail.browser_count()) if in_force else None,
               "browsers": jail.browser_count()}
    return Check("render-cpu", in_force, f"render CPU limit: {words}; {details['browsers']} browser(s)",
                 None if in_force else "run as root or give this user a writable cpu cgroup (cgroup v2: delegate "
                 "`cpu` to the user's slice); without one the browsers compete with the trainer as ordinary processes",
                 details=details)


def check_node() -> Check:
    """node, for the sketch checker (syntax and the brush-call parse)."""
    node = node_path()
    done = _run([node, "--version"], 20) if node else None
    if done is None or done.returncode != 0:
        return Check("node", False, "node not found: sketches are not syntax-checked or parsed",
                     "apt-get install nodejs (20 or newer), or set BRUSHWORK_NODE")
    version = done.stdout.strip()
    major = int(version.lstrip("v").split(".")[0] or 0)
    if major < 18:
        return Check("node", False, f"node {version} at {node} is too old", "install Node.js 20 or newer")
    return Check("node", True, f"node {version} at {node}")


def check_npm_assets(resources: Path = RESOURCES, modules: Path = NODE_MODULES) -> Check:
    """Every dependency in resources/package.json installed at exactly its pinned version."""
    try:
        pinned: dict[str, str] = json.loads((resources / "package.json").read_text(encoding="utf-8"))["dependencies"]
    except (OSError, ValueError, KeyError) as e:
        return Check("npm-assets", False, f"cannot read {resources / 'package.json'}: {e}", "restore resources/")
    found, wrong = {}, []
    for name, want in sorted(pinned.items()):
        try:
            have = json.loads((modules / name / "package.json").read_text(encoding="utf-8"))["version"]
        except (OSError, ValueError, KeyError):
            have = None
        found[name] = have
        if have != want:
            wrong.append(f"{name} {have or 'missing'} (pinned {want})")
    summary = ", ".join(f"{n} {v}" for n, v in found.items())
    if wrong:
        return Check("npm-assets", False, "; ".join(wrong), "make setup (runs npm ci in resources/)", details=found)
    return Check("npm-assets", True, summary, details=found)


def check_data_home() -> Check:
    """The data home exists, is writable, and how big it is."""
    fix = "set BRUSHWORK_HOME to a folder you can write to"
    try:
        home = data_home()
        with tempfile.NamedTemporaryFile(dir=home, prefix=".doctor-"):
            pass
    except OSError as e:
        return Check("data-home", False, f"not writable: {e}", fix)
    size, files = 0, 0
    for root, _, names in os.walk(home):
        for n in names:
            try:
                size += os.lstat(os.path.join(root, n)).st_size
                files += 1
            except OSError:
                pass
    free = shutil.disk_usage(home).free
    details = {"path": str(home), "bytes": size, "files": files, "free_bytes": free}
    summary = f"{home}: writable, {size / 1e6:.1f} MB in {files} files, {free / 1e9:.1f} GB free"
    if free < 500e6:
        return Check("data-home", False, summary + " (under 0.5 GB free)", "free disk space or move BRUSHWORK_HOME",
                     details=details)
    return Check("data-home", True, summary, details=details)


def check_database() -> Check:
    """The library database's schema version against this version's migrations (read-only)."""
    latest = len(MIGRATIONS)
    path = database_file()
    if not path.exists():
        return Check("database", True, f"{path} not created yet (made on first use, schema v{latest})",
                     details={"path": str(path), "schema": None, "latest": latest})
    try:
        version, tables = read_schema(path)
    except StoreError as e:
        return Check("database", False, str(e),
                     "move the file aside (or set BRUSHWORK_HOME to another folder)", details={"path": str(path)})
    details = {"path": str(path), "schema": version, "latest": latest}
    if "sketches" not in tables:
        return Check("database", False, f"{path} is not a Brushwork database", "move it aside", details=details)
    if version > latest:
        return Check("database", False, f"schema v{version} is newer than this Brushwork (v{latest})",
                     "upgrade Brushwork, or point BRUSHWORK_HOME elsewhere", details=details)
    note = "" if version == latest else f" (migrates to v{latest} on next open)"
    return Check("database", True, f"{path}: schema v{version}{note}", details=details)


def check_gpu() -> Check:
    """CUDA GPUs as torch sees them (training runs on CPU without one, slowly)."""
    fix = "CPU training works (slowly); for a GPU install a CUDA build of torch (README: Workstation GPU recipe)"
    smi = _run(["nvidia-smi", "-L"], 20) if shutil.which("nvidia-smi") else None
    gpus = [line for line in (smi.stdout.splitlines() if smi and smi.returncode == 0 else []) if line.strip()]
    try:
        import torch  # deferred: heavy (torch)
    except ImportError:
        frozen = getattr(sys, "frozen", False)  # a bundle built without the training extras
        return Check("gpu", False, "torch is not installed" + (" in this bundle" if frozen else ""),
                     "rebuild the bundle with BRUSHWORK_BUNDLE_TRAINING=1, or install from source"
                     if frozen else "make setup", details={"nvidia_smi": gpus})
    details = {"torch": torch.__version__, "cuda_build": torch.version.cuda, "nvidia_smi": gpus,
               "cuda_available": bool(torch.cuda.is_available())}
    if details["cuda_available"]:
        names = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
        details["devices"] = names
        return Check("gpu", True, f"torch {torch.__version__} sees {len(names)} CUDA device(s): {', '.join(names)}",
                     details=details)
    seen = f"; nvidia-smi lists {len(gpus)} GPU(s) but this torch is a CPU build" if gpus else ""
    return Check("gpu", False, f"no CUDA device (torch {torch.__version__}){seen}", fix, details=details)


def check_vllm() -> Check:
    """vllm, for fast generation on a GPU (the [gpu] extra; never imported here: it is heavy)."""
    if importlib.util.find_spec("vllm") is None:
        return Check("vllm", False, "vllm not installed (generation uses transformers)",
                     "on a CUDA machine: pip install -e '.[gpu]' in its own environment")
    return Check("vllm", True, f"vllm {importlib.metadata.version('vllm')}")


def check_judge_server() -> Check:
    """The vision judge the workstation presets train with (rubric pairwise-local): does a server answer?"""
    url = os.environ.get("BRUSHWORK_JUDGE_BASE_URL") or JUDGE_URL
    why = probe_server(url)
    if why is None:
        return Check("judge-server", True, f"a judge server answers at {url}", details={"url": url})
    return Check("judge-server", False, f"no judge server answers at {url} ({why}): pairwise-local cannot train",
                 f"start one: {JUDGE_SERVER_COMMAND}  (elsewhere: export BRUSHWORK_JUDGE_BASE_URL=http://HOST:8001/v1)",
                 details={"url": url, "command": JUDGE_SERVER_COMMAND})


def _key_check(name: str, variables: tuple[str, ...], judge: str, backend: str) -> Callable[[], Check]:
    def check() -> Check:
        found = [v for v in variables if os.environ.get(v)]
        if found:
            return Check(name, True, f"{found[0]} is set ({judge} judge available)", details={"set": found})
        if resolve_key(backend):  # where the judges and the prompt lab look next
            return Check(name, True, f"the keyring holds a {judge} key (service brushwork, user {backend})",
                         details={"set": ["keyring"]})
        return Check(name, False, f"{' / '.join(variables)} not set and no {judge} key in the keyring: the {judge} "
                     "judge is off", f"export {variables[0]}=... before starting, or `keyring set brushwork {backend}` "
                     "(keys are read from the environment or the keyring, never stored)", details={"set": []})
    return check


def check_key_transport() -> Check:
    """Where judge and generator keys would go: only https:// or loopback, unless a host is allowed by name."""
    urls = {v: os.environ[v] for v in BASE_URL_ENVS if os.environ.get(v)}
    withheld = {v: u for v, u in urls.items() if key_refusal(u)}
    allowed = allowed_plain_http_hosts()
    details = {"urls": urls, "withheld": sorted(withheld), "allowed_plain_http": allowed}
    if allowed:
        return Check("key-transport", False, f"{ALLOW_PLAIN_HTTP_ENV} lets API keys go over plain HTTP to "
                     f"{', '.join(allowed)}: anyone on that network path can read them",
                     f"serve those endpoints over https:// and unset {ALLOW_PLAIN_HTTP_ENV}", details=details)
    if withheld:
        shown = "; ".join(f"{v}={u}" for v, u in withheld.items())
        return Check("key-transport", False, f"keys are withheld from {shown} (plain HTTP to another host): "
                     "a server there that needs a key answers 401",
                     f"use https://, or name the host in {ALLOW_PLAIN_HTTP_ENV} to send the key in clear",
                     details=details)
    where = ", ".join(f"{v}={u}" for v, u in urls.items()) or "the vendors' https:// defaults"
    return Check("key-transport", True, f"keys go only over https:// or to loopback ({where})", details=details)


def read_constraints(path: Path = CONSTRAINTS) -> dict[str, str]:
    """{canonical name: pinned version} from a pip constraints file (`name==version` lines)."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[canonicalize_name(name.split("[")[0])] = version.split(";")[0].strip()
    return pins


def check_versions(path: Path = CONSTRAINTS) -> Check:
    """Installed packages against the pinned set setup installs (packaging/constraints.txt)."""
    if not path.is_file():
        return Check("versions", True, f"no constraints file at {path} (an installed bundle): nothing to compare")
    pins = read_constraints(path)
    drift, missing = {}, []
    for name, want in pins.items():
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
            continue
        if not SpecifierSet(f"=={want}").contains(have, prereleases=True):  # 2.13.0+cpu is 2.13.0
            drift[name] = {"installed": have, "pinned": want}
    stack_missing = [n for n in TRAINING_STACK if n in missing]
    details = {"constraints": str(path), "pinned": len(pins), "drift": drift, "missing": missing}
    if drift or stack_missing:
        parts = [f"{n} {d['installed']} (pinned {d['pinned']})" for n, d in drift.items()]
        parts += [f"{n} not installed" for n in stack_missing]
        return Check("versions", False, f"drift from {path.name}: " + "; ".join(parts),
                     f"pip install -c {path} -e '.[test]' (make setup does), or re-pin deliberately: "
                     "packaging/freeze_constraints.sh", details=details)
    extra = f" ({len(missing)} pinned extras not installed)" if missing else ""
    stack = ", ".join(f"{n} {pins[n]}" for n in TRAINING_STACK if n in pins)
    return Check("versions", True, f"{len(pins) - len(missing)} packages as pinned{extra}: {stack}", details=details)


def check_tiny_model() -> Check:
    """The tiny CPU model the training pane starts from (models/tiny, models/tiny-sft in the data home)."""
    home = models_dir()
    built = {Path(rel).name: (under_home(rel) / "config.json").exists() for rel in (TINY_MODEL, TINY_SFT_MODEL)}
    summary = ", ".join(f"{n}: {'built' if b else 'not built'}" for n, b in built.items())
    # Either one not built is a finding: the tiny-cpu preset trains tiny-sft, so "tiny built, tiny-sft
    # not" cannot start a run and must not read as ok.
    if not built["tiny"]:
        return Check("tiny-model", False, f"{summary} (under {home})",
                     "brushwork model tiny, then brushwork sft (or the Train pane's Build buttons)", details=built)
    if not built["tiny-sft"]:
        return Check("tiny-model", False, f"{summary} (under {home})",
                     "brushwork sft (or the Train pane's SFT button)", details=built)
    return Check("tiny-model", True, f"{summary} (under {home})", details=built)


def check_subject_recogniser() -> Check:
    """The offline reward's subject recogniser (offline-default and tiny-cpu weight it; runs refuse without it)."""
    from core.reward.subject.model import model_dir, read_meta, recogniser_problem  # deferred: heavy (scipy)

    problem, meta = recogniser_problem(), read_meta()
    if problem is not None:
        where = "" if str(model_dir()) in problem else f" ({model_dir()})"
        return Check("subject-recogniser", False, problem.split(". ")[0] + where,
                     "brushwork subject train (or the Train pane's Train recogniser button)")
    acc = ("not measured on held-out renders" if meta.heldout_accuracy is None else
           f"{meta.heldout_accuracy:.0%} of {meta.heldout_images} held-out renders right")
    return Check("subject-recogniser", True, f"trained {meta.trained_at or '?'}: {acc} ({len(meta.labels) - 1} subjects)",
                 details={"heldout_accuracy": meta.heldout_accuracy, "labels": meta.labels})


def config_needs(path: str | Path) -> tuple[tuple[str, ...], dict[str, Callable[[], Check]]]:
    """What a training run config needs: (optional checks it makes required, checks of its own: its model,
    and its `report_to` reporters when it names any). Raises core.train.config.ConfigError (a sentence)
    when the file cannot be read."""
    cfg = load_config(path)
    need = []
    if cfg.device == "cuda" or cfg.rollout.startswith("vllm"):
        need.append("gpu")
    if cfg.rollout.startswith("vllm"):
        need.append("vllm")

    def check_run_model() -> Check:
        where = model_path(cfg)
        if Path(where).is_dir():
            return Check("run-model", True, f"{cfg.model} -> {where}", details={"path": where})
        if Path(where).is_absolute() or cfg.model.startswith(("models/", ".", "/")):
            fix = ("brushwork model tiny, then brushwork sft" if "tiny" in cfg.model
                   else f"put the model folder at {where} or change `model` in {path}")
            return Check("run-model", False, f"{cfg.model}: no folder at {where}", fix, details={"path": where})
        hub = Path(os.environ.get("HF_HUB_CACHE") or Path(os.environ.get("HF_HOME", "~/.cache/huggingface")) / "hub")
        cached = (hub.expanduser() / f"models--{cfg.model.replace('/', '--')}").is_dir()
        return Check("run-model", True, f"{cfg.model}: a hub name, "
                     + ("in the local hub cache" if cached else "downloaded on first use (needs the network)"),
                     details={"hub": cfg.model, "cached": cached})

    def check_report_to() -> Check:
        try:
            names = reporters(cfg)
        except ConfigError as e:
            return Check("report-to", False, str(e), "pip install the reporter, or remove it from [run] report_to",
                         details={"report_to": cfg.report_to})
        where = " (event files in RUN_DIR/tensorboard, offline)" if "tensorboard" in names else ""
        return Check("report-to", True, f"TRL also reports to {', '.join(names)}{where}", details={"report_to": names})

    def check_run_rubric() -> Check:
        try:
            preflight_rubric(preset(cfg), prompts=prompt_sets(cfg).scored)
        except RunError as e:
            return Check("run-rubric", False, str(e), "see each line above", details={"rubric": cfg.rubric})
        return Check("run-rubric", True, f"every weighted component of {cfg.rubric} can be measured here",
                     details={"rubric": cfg.rubric})

    checks = {"run-model": check_run_model, "run-rubric": check_run_rubric}
    if [n for n in cfg.report_to if n != "none"]:
        checks["report-to"] = check_report_to
    return tuple(need), checks


CHECKS: dict[str, Callable[[], Check]] = {
    "chromium": check_chromium, "playwright": check_playwright, "sandbox": check_sandbox,
    "render-cpu": check_render_cpu, "node": check_node,
    "npm-assets": check_npm_assets, "data-home": check_data_home, "database": check_database,
    "gpu": check_gpu, "vllm": check_vllm,
    "openai-key": _key_check("openai-key", ("OPENAI_API_KEY",), "OpenAI", "openai"),
    "gemini-key": _key_check("gemini-key", ("GEMINI_API_KEY", "GOOGLE_API_KEY"), "Gemini", "gemini"),
    "key-transport": check_key_transport, "judge-server": check_judge_server, "versions": check_versions,
    "tiny-model": check_tiny_model, "subject-recogniser": check_subject_recogniser,
}


def run_checks(require: tuple[str, ...] = (), extra: dict[str, Callable[[], Check]] | None = None) -> list[Check]:
    """Every check (in parallel: most wait on a subprocess), in CHECKS order then `extra` (always
    required); `require` names optional checks that are required this time."""
    checks = {**CHECKS, **(extra or {})}
    def timed(name: str) -> Check:
        start = time.perf_counter()
        try:
            result = checks[name]()
        except Exception as e:  # a probe that breaks is a finding, not a crash of the doctor
            result = Check(name, False, f"the check itself failed: {type(e).__name__}: {e}", "report this as a bug")
        result.seconds = round(time.perf_counter() - start, 3)
        result.required = name in REQUIRED or name in require or name in (extra or {})
        return result

    with ThreadPoolExecutor(max_workers=len(checks)) as pool:
        return list(pool.map(timed, checks))


def format_text(checks: list[Check]) -> str:
    """The human report: one line per check, its fix under it when it is not ok."""
    marks = {"ok": "ok  ", "missing": "FAIL", "warn": "warn"}
    out = [f"brushwork {__version__} doctor ({sys.platform}, Python {sys.version.split()[0]})"]
    for c in checks:
        out.append(f"  [{marks[c.status]}] {c.name:<13} {c.summary}")
        if not c.ok and c.fix:
            out.append(f"                 fix: {c.fix}")
    failed = [c.name for c in checks if c.status == "missing"]
    out.append(f"missing: {', '.join(failed)}" if failed else "everything required is here")
    return "\n".join(out)


def register(sub: argparse._SubParsersAction) -> None:
    """Add `doctor` to the `brushwork` command line."""
    p = sub.add_parser("doctor", help="what is installed and what is missing, each with its fix",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--require", metavar="a,b", default="",
                   help=f"also fail when these optional checks fail: {', '.join(OPTIONAL)}")
    p.add_argument("--config", metavar="RUN.toml",
                   help="a training run config: also require what it needs (its model; GPU and vllm if it uses them)")
    p.set_defaults(func=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    """The `doctor` command: 0 when everything required is here, 1 when not, 2 on a bad option."""
    require = tuple(n.strip() for n in args.require.split(",") if n.strip())
    unknown = [n for n in require if n not in CHECKS]
    if unknown:
        print(f"brushwork doctor: unknown check(s) {', '.join(unknown)}; known: {', '.join(CHECKS)}", file=sys.stderr)
        return 2
    extra = None
    if getattr(args, "config", None):
        try:
            needs, extra = config_needs(args.config)
        except ConfigError as e:
            print(f"brushwork doctor: {e}", file=sys.stderr)
            return 2
        require = require + needs
    checks = run_checks(require, extra)
    ok = all(c.status != "missing" for c in checks)
    if args.json:
        print(json.dumps({"version": __version__, "ok": ok, "checks": [c.to_dict() for c in checks]}, indent=2))
    else:
        print(format_text(checks))
    return 0 if ok else 1
