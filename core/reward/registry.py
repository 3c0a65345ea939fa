"""Registries that presets name things through: components (`name -> fn`) and judge backends.

Other rooms plug in here: the learned reward model registers a `preference` component and a
`learned` judge backend from `core.reward.learned` (imported on first lookup when it exists).
"""
from __future__ import annotations

import importlib
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from core.reward.types import RubricError

if TYPE_CHECKING:
    from core.reward.context import ComponentContext
    from core.reward.judges.base import JudgeSettings, PairwiseJudge
    from core.reward.types import Rollout

ComponentFn = Callable[["Rollout", "ComponentContext"], "float | None | Awaitable[float | None]"]
JudgeFactory = Callable[["JudgeSettings"], "PairwiseJudge"]
T = TypeVar("T")

# Modules that register on import; a missing optional one (the learned model) is skipped.
PLUGIN_MODULES: tuple[str, ...] = (
    "core.reward.offline",
    "core.reward.judged",
    "core.reward.floors",
    "core.reward.judges",
    "core.reward.learned",
)
_COMPONENTS: dict[str, ComponentFn] = {}
_COMPONENT_INFO: dict[str, dict[str, Any]] = {}
_PREPARERS: dict[str, Callable[..., Awaitable[Any]]] = {}
_PREFLIGHTS: dict[str, Callable[..., str | None]] = {}
_JUDGES: dict[str, JudgeFactory] = {}
_loaded = False
_loading = False  # the plugins are being imported, by the thread that holds _LOAD_LOCK
_LOAD_LOCK = threading.RLock()


def register_component(name: str, *, judged: bool = False, help: str = "", render_counts: bool = False,
                       prepare: Callable[..., Awaitable[Any]] | None = None) -> Callable[[ComponentFn], ComponentFn]:
    """Decorator: make `fn(rollout, ctx) -> float | None` (sync or async) available to presets as `name`.

    `judged=True` marks a component that calls a model (skipped when a gate is already 0).
    `render_counts=True` marks one that reads what the render counted (`render.brush_calls`): a picture
    with no stored render (imported, synthetic) cannot be measured by it, only by the others.
    `prepare(rollout, ctx)` (async) fetches what the component will need while the gates still run.
    """
    def wrap(fn: ComponentFn) -> ComponentFn:
        _COMPONENTS[name] = fn
        _COMPONENT_INFO[name] = {"judged": judged, "render_counts": render_counts,
                                 "help": help or (fn.__doc__ or "").strip()}
        if prepare is not None:
            _PREPARERS[name] = prepare
        return fn
    return wrap


def register_preflight(name: str, check: Callable[..., str | None]) -> None:
    """`check(params, ctx: PreflightContext) -> problem | None` says before a run whether component `name`
    can ever be measured here (core/reward/preflight.py); a component without one is assumed measurable."""
    _PREFLIGHTS[name] = check


def component_preflight(name: str) -> Callable[..., str | None] | None:
    """The component's preflight check, or None when it has none."""
    _load_plugins()
    return _PREFLIGHTS.get(name)


def register_judge(backend: str, factory: JudgeFactory) -> None:
    """Make a pairwise judge backend available to presets as `backend = "NAME"`."""
    _JUDGES[backend] = factory


def _load_plugins() -> None:
    # Threads look components up at once (the studio's first-run check beside its other panes): until the
    # plugins are all imported, another thread waits here rather than read a half-filled registry ("unknown
    # component 'structure'; known: preference"). A plugin whose import looks a component up re-enters
    # in its own thread and goes on with what is registered so far.
    global _loaded, _loading
    if _loaded:
        return
    with _LOAD_LOCK:
        if _loaded or _loading:
            return
        _loading = True
        try:
            for module in PLUGIN_MODULES:
                try:
                    importlib.import_module(module)
                except ModuleNotFoundError as e:
                    if e.name != module:  # the plugin exists but something it imports is missing: say so
                        raise
            _loaded = True
        finally:
            _loading = False


def _registered(table: dict[str, T], kind: str, name: str, fix: str) -> T:
    """`table[name]` once the plugins are loaded; RubricError naming the known ones and saying `fix` otherwise."""
    _load_plugins()
    if name not in table:
        raise RubricError(f"unknown {kind} {name!r}; known: {', '.join(sorted(table))}. {fix}")
    return table[name]


def get_component(name: str) -> ComponentFn:
    """The registered component `name` (RubricError naming the known ones otherwise)."""
    return _registered(_COMPONENTS, "component", name, "Fix the preset or register the component.")


def has_component(name: str) -> bool:
    """True when a component called `name` is registered."""
    _load_plugins()
    return name in _COMPONENTS


def component_info(name: str) -> dict[str, Any]:
    """{"judged": bool, "render_counts": bool, "help": str} for a registered component."""
    get_component(name)
    return dict(_COMPONENT_INFO[name])


def component_preparer(name: str) -> Callable[..., Awaitable[Any]] | None:
    """The component's `prepare(rollout, ctx)` coroutine function, or None when it has none."""
    _load_plugins()
    return _PREPARERS.get(name)


def component_names() -> list[str]:
    """Every registered component name, sorted."""
    _load_plugins()
    return sorted(_COMPONENTS)


def get_judge_factory(backend: str) -> JudgeFactory:
    """The factory for a judge backend (RubricError naming the known ones otherwise)."""
    return _registered(_JUDGES, "judge backend", backend, "Fix the preset's [judges] table.")


def judge_backends() -> list[str]:
    """Every registered judge backend, sorted."""
    _load_plugins()
    return sorted(_JUDGES)
