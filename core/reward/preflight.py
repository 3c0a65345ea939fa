"""Before a run: can every weighted component (and gate) of a rubric ever be measured on this machine?

A component that can never be measured (a judge with no key and no server, a server that does not
answer, an empty love tier, no reward model for a preference slot) would be None for every rollout:
the run would silently train on the rest of the rubric. So would a component that cannot judge some of
the run's prompts (the subject recogniser on a subject it never learnt). `preflight` lists each such
problem with what to do; `brushwork train` refuses to start on any, and `brushwork doctor --config
RUN.toml` shows them.
Components register their check with `register_preflight`; one without a check is assumed measurable.
"""
from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.reward.judges.base import VisionJudge, build_judges
from core.reward.registry import component_preflight

if TYPE_CHECKING:
    from core.pool.pool import RatingPool
    from core.reward.rubric import Rubric

# The workstation preset's judge: an OpenAI-compatible vision model served by vLLM on this machine.
JUDGE_MODEL = "Qwen/Qwen2.5-VL-7B-Instruct"
JUDGE_URL = "http://127.0.0.1:8001/v1"
JUDGE_SERVER_COMMAND = f"vllm serve {JUDGE_MODEL} --port 8001 --max-model-len 16384 --limit-mm-per-prompt '{{\"image\": 2}}'"
PROBE_TIMEOUT_S = 3.0


@dataclass
class PreflightContext:
    """What a check may look at: the rubric's judges (built once), the rating pool, and probe results."""

    judges: dict[str, VisionJudge]
    refs_pool: RatingPool | None
    probe: bool = True
    prompts: Sequence[str] = ()  # the run's training and held-out prompts: a component may not judge some
    answered: dict[str, str | None] = field(default_factory=dict)  # server URL -> why it did not answer

    def judge_problem(self, params: dict[str, Any]) -> str | None:
        """Why the judge a component names cannot answer, or None when it can."""
        name = params.get("judge", "default")
        judge = self.judges.get(name)
        if judge is None:
            return f"the preset has no [judges.{name}] table. Add one (brushwork rubric show seed-v2-four-signals has an example)."
        if judge.unavailable:
            return f"{judge.unavailable}. {how_to_get_a_judge(judge.settings.base_url_env)}"
        for member in getattr(judge, "members", ()):  # a council answers when one member can
            if not member.unavailable and self.server_problem(member) is None:
                return None
        if getattr(judge, "members", None):
            return f"no member of the council {name} can answer. {how_to_get_a_judge(judge.settings.base_url_env)}"
        return self.server_problem(judge)

    def server_problem(self, judge: VisionJudge) -> str | None:
        """Why the judge's server does not answer (once per URL), or None (answers, or no URL to probe)."""
        url = judge.server
        if not url or not self.probe:
            return None
        if url not in self.answered:
            self.answered[url] = probe_server(url)
        why = self.answered[url]
        if why is None:
            return None
        local = url.startswith(("http://127.0.0.1", "http://localhost"))
        start = f" Start it: {JUDGE_SERVER_COMMAND}" if local else ""
        return f"judge {judge.settings.name}: nothing answers at {url} ({why}).{start}"


def how_to_get_a_judge(env: str = "") -> str:
    """The sentence that says how to give a rubric's judge a server or a key."""
    env = env or "BRUSHWORK_JUDGE_BASE_URL"
    return (f"Start a local vision judge ({JUDGE_SERVER_COMMAND}) and export {env}={JUDGE_URL}, "
            "or export OPENAI_API_KEY for OpenAI's")


def probe_server(url: str) -> str | None:
    """None when an HTTP server answers at `url` (any status: a 401 still says it is up), else why not."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/models", timeout=PROBE_TIMEOUT_S):
            return None
    except urllib.error.HTTPError:
        return None
    except (urllib.error.URLError, OSError, ValueError) as e:
        return str(getattr(e, "reason", e))


def preflight(rubric: Rubric, refs_pool: RatingPool | None = None, *, probe: bool = True,
              prompts: Sequence[str] = ()) -> list[str]:
    """One line per weighted component or gate that can never be measured here, or never on some of the run's
    `prompts`, each saying what to do."""
    ctx = PreflightContext(judges=build_judges(rubric.judge_settings), refs_pool=refs_pool, probe=probe,
                           prompts=tuple(prompts))
    problems = []
    for spec in rubric.specs:
        if spec.weight <= 0 and not spec.gate:
            continue
        problem = _check(spec.fn, spec.params, ctx)
        if problem is not None and spec.fallback:
            fallback = _check(spec.fallback, spec.params, ctx)
            if fallback is None:
                continue
            problem = f"{problem}; its fallback {spec.fallback}: {fallback}"
        if problem is not None:
            role = f"weight {spec.weight:g}" if spec.weight > 0 else "gate"
            problems.append(f"{spec.name} ({role}): {problem}")
    return problems


def _check(fn: str, params: dict[str, Any], ctx: PreflightContext) -> str | None:
    check = component_preflight(fn)
    if check is None:
        return None
    try:
        return check(params, ctx)
    except Exception as e:  # a broken check is a finding, not a crash of the run's start
        return f"its preflight check failed ({type(e).__name__}: {e})"


def preflight_message(rubric: Rubric, problems: list[str]) -> str:
    """The refusal `brushwork train` prints: what cannot be measured and what to do, one line each."""
    lines = "\n".join(f"  - {p}" for p in problems)
    return (f"The rubric {rubric.name} has components this machine can never measure; training on it would "
            f"silently train on the rest of the rubric:\n{lines}\n"
            "Fix these, or train on another rubric (reward.rubric = \"offline-default\" needs no judge).")
