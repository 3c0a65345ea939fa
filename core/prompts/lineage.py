"""Candidate lineage of an evolution run, from gepa's callbacks, as JSONL in the run folder.

gepa's run folder keeps accepted candidates only, so `LineageRecorder` appends one JSON line per event
to `<run>/lineage.jsonl`: every accepted candidate (index, parents, text, validation score,
hallucination and render rates), every rejected proposal with its text and minibatch scores, Pareto
front updates and budget use. `read_lineage` folds the file back into nodes for the Prompts pane.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.prompts.adapter import COMPONENT, rates

LINEAGE_FILE = "lineage.jsonl"


@dataclass
class LineageNode:
    """A candidate (accepted: `idx` set) or a rejected proposal (`idx` None), with its measured rates."""

    key: str
    idx: int | None
    parents: list[int]
    text: str
    status: str                      # "seed" | "accepted" | "rejected"
    iteration: int
    score: float | None = None       # validation mean (accepted) or minibatch mean (rejected)
    metrics: dict[str, Any] = field(default_factory=dict)
    on_front: bool = False
    reason: str = ""


@dataclass
class Lineage:
    nodes: list[LineageNode]
    front: list[int]
    metric_calls: int
    finished: bool
    remaining: int | None = None  # metric calls left in the budget, as of the last evaluation

    def by_idx(self, idx: int) -> LineageNode | None:
        return next((n for n in self.nodes if n.idx == idx), None)

    def best(self) -> LineageNode | None:
        """The accepted candidate with the highest validation score (the seed on ties)."""
        accepted = [n for n in self.nodes if n.idx is not None and n.score is not None]
        return max(accepted, key=lambda n: (n.score, -n.idx)) if accepted else None


class LineageRecorder:
    """A gepa callback object appending lineage events; `on_event(dict)` also sees each one (GUI, CLI)."""

    def __init__(self, run_dir: Path, valset: Sequence[str], cached: Callable[[str, Sequence[str]], list],
                 on_event: Callable[[dict[str, Any]], None] | None = None):
        self.path = Path(run_dir) / LINEAGE_FILE
        self.valset, self.cached, self.on_event = list(valset), cached, on_event
        self._pending: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _write(self, event: dict[str, Any]) -> None:
        event["at"] = time.time()
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(event) + "\n")
        if self.on_event is not None:
            self.on_event(event)

    # gepa callbacks (names fixed by gepa.core.callbacks.GEPACallback)
    def on_candidate_selected(self, event: dict[str, Any]) -> None:
        self._pending = {"iteration": event["iteration"], "parent": event["candidate_idx"]}

    def on_proposal_end(self, event: dict[str, Any]) -> None:
        self._pending["text"] = event["new_instructions"].get(COMPONENT, "")

    def on_evaluation_end(self, event: dict[str, Any]) -> None:
        if event.get("candidate_idx") is None and not event.get("is_seed_candidate") and self._pending.get("text"):
            self._pending["metrics"] = rates(event.get("outputs") or [])

    def on_valset_evaluated(self, event: dict[str, Any]) -> None:
        text = event["candidate"][COMPONENT]
        metrics = rates(self.cached(text, self.valset))
        idx = event["candidate_idx"]
        self._write({"event": "candidate", "idx": idx, "parents": [p for p in event["parent_ids"] if p is not None],
                     "text": text, "status": "seed" if idx == 0 else "accepted", "iteration": event["iteration"],
                     "score": event["average_score"], "metrics": metrics})

    def on_candidate_rejected(self, event: dict[str, Any]) -> None:
        p = self._pending
        self._write({"event": "rejected", "iteration": event["iteration"], "parents": [p.get("parent", 0)],
                     "text": p.get("text", ""), "old_score": event["old_score"], "new_score": event["new_score"],
                     "reason": event["reason"], "metrics": p.get("metrics", {})})

    def on_pareto_front_updated(self, event: dict[str, Any]) -> None:
        self._write({"event": "pareto", "iteration": event["iteration"], "front": list(event["new_front"])})

    def on_budget_updated(self, event: dict[str, Any]) -> None:
        # One short line per evaluation: a window in another process can show the budget as it is spent.
        self._write({"event": "budget", "used": event["metric_calls_used"],
                     "remaining": event["metric_calls_remaining"]})

    def on_optimization_end(self, event: dict[str, Any]) -> None:
        self._write({"event": "end", "best": event["best_candidate_idx"], "metric_calls": event["total_metric_calls"],
                     "iterations": event["total_iterations"]})


def read_lineage(run_dir: Path | str) -> Lineage:
    """Fold `<run>/lineage.jsonl` into nodes; a later record of the same candidate updates it in place."""
    path = Path(run_dir) / LINEAGE_FILE
    nodes: dict[str, LineageNode] = {}
    front: list[int] = []
    calls, finished, remaining = 0, False, None
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for line in lines:
        try:
            e = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a killed run
        if e["event"] == "candidate":
            old = nodes.get(f"c{e['idx']}")
            metrics = e["metrics"] if e["metrics"].get("n") else (old.metrics if old else e["metrics"])
            nodes[f"c{e['idx']}"] = LineageNode(f"c{e['idx']}", e["idx"], e["parents"], e["text"], e["status"],
                                                e["iteration"], e["score"], metrics)
        elif e["event"] == "rejected":
            key = f"r{e['iteration']}"
            score = e["new_score"] / (e["metrics"].get("n") or 1)  # gepa reports the minibatch sum
            nodes[key] = LineageNode(key, None, e["parents"], e["text"], "rejected", e["iteration"], score,
                                     e["metrics"], reason=e["reason"])
        elif e["event"] == "pareto":
            front = e["front"]
        elif e["event"] == "budget":
            calls, remaining = e["used"], e.get("remaining")
        elif e["event"] == "end":
            calls, finished = e["metric_calls"], True
    for node in nodes.values():
        node.on_front = node.idx is not None and node.idx in front
    if not front and nodes:  # only the seed so far: it is the front
        for node in nodes.values():
            node.on_front = node.idx == 0
    return Lineage(sorted(nodes.values(), key=lambda n: (n.iteration, n.idx is None, n.key)), front, calls, finished,
                   remaining)
