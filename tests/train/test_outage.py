"""A renderer or judge outage in the middle of training: logged as a run event, the step's samples carry
None for what could not be measured (never a fake 0), and the next step scores normally again.

Three steps go through the trainer's own reward path (BatchScorer -> RunCallback -> RunWriter -> SQLite):
step 1 is healthy; in step 2 Chromium is killed after the first render and cannot come back until the
step ends, and the judge answers 500; in step 3 both are back.
"""
from __future__ import annotations

import asyncio
import json
import os
import signal

import pytest

from core.reward.rubric import rubric_from_dict
from core.train.callbacks import RunCallback
from core.train.corpus import Spec, sketch_code
from core.train.rewards import BatchScorer
from core.train.run_writer import RunWriter
from tests.db_helpers import sql_rows
from tests.judge_server import LoopbackJudgeServer

# Minutes on a loaded 2-core machine (a browser killed, failed relaunches, a new one): make test-long.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.long, pytest.mark.timeout(900)]

SPEC = Spec("house", "blue", "pencil", "on the right")
PROMPTS = [SPEC.prompt] * 3


def _rubric(judge_url: str):
    return rubric_from_dict({
        "name": "outage",
        "components": {
            "structure": {"gate": True, "params": {"min_methods": 2}},  # distinct drawing primitives: rect, polygon
            "colour_adherence": {"weight": 0.5},
            "looks": {"fn": "rating", "weight": 0.5, "params": {"judge": "loop", "criterion": "aesthetics"}},
        },
        "judges": {"loop": {"backend": "openai", "model": "loop", "base_url": judge_url, "max_retries": 1,
                            "malformed_retries": 0, "backoff_s": 0.01, "backoff_max_s": 0.02}},
    })


class FlakyRenderer:
    """The real Renderer; while `outage` is set, Chromium is killed after the first render of the batch
    and pointed at a missing binary, so the rest of that step cannot render (as on a crash loop)."""

    def __init__(self, inner):
        self.inner, self.outage, self.renders = inner, False, 0
        self.first_done: asyncio.Event | None = None

    async def render(self, *a, **kw):
        self.renders += 1
        if not self.outage:
            return await self.inner.render(*a, **kw)
        if self.renders == 1:  # the batch's renders start together: the others wait for this one
            self.first_done = asyncio.Event()
            try:
                return await self.inner.render(*a, **kw)
            finally:
                self.first_done.set()
        await self.first_done.wait()
        if self.inner._pool.chromium != "/nonexistent/chromium":  # noqa: SLF001 (kill once, then stay down)
            from core.render.browser import chromium_pids

            for pid in chromium_pids(os.getpid()):
                os.kill(pid, signal.SIGKILL)  # only the Chromium this test's renderer started
            pool = self.inner._pool  # noqa: SLF001 (the test breaks the relaunch on purpose)
            self._chromium, pool.chromium, pool.jail = pool.chromium, "/nonexistent/chromium", None
        return await self.inner.render(*a, **kw)

    def restore(self) -> None:
        pool = self.inner._pool  # noqa: SLF001
        pool.chromium, pool.jail = self._chromium, None

    async def close(self):
        await self.inner.close()


@pytest.fixture
def judge_server():
    with LoopbackJudgeServer() as server:
        yield server


def test_outage_mid_step_is_logged_and_the_run_goes_on(store, tmp_path, monkeypatch, judge_server):
    from core.render import Renderer

    monkeypatch.setenv("OPENAI_API_KEY", "loopback-test-key")
    writer = RunWriter(store, "outage-run")
    writer.start("outage", "grpo", {}, tmp_path)
    callback = RunCallback(writer, tmp_path, sample_every=1)
    renderer = FlakyRenderer(Renderer(pool_size=1))
    scorer = BatchScorer(_rubric(judge_server.openai_url), render_size=64, render_timeout=90, renderer=renderer,
                         on_scored=callback.on_scored)
    codes = [sketch_code(SPEC, seed=s) for s in range(3)]
    try:
        for step in (1, 2, 3):
            renderer.renders, renderer.outage = 0, step == 2
            if step == 2:
                judge_server.script("500", "500")  # the one rendered rollout's call and its one retry
            batch = scorer.score(PROMPTS, codes, None, step)
            if step == 2:
                renderer.restore()
            if step != 2:
                assert all(r.png for r in batch.rollouts), [r.render.error for r in batch.rollouts]
    finally:
        scorer.close()

    events = sql_rows(store, "SELECT step, message FROM run_events WHERE run_id='outage-run' AND kind='outage'")
    by_step = {e["step"]: [] for e in events}
    for e in events:
        by_step[e["step"]].append(e["message"])
    assert set(by_step) == {2}, events
    assert any("renderer unavailable for 2 of 3" in m for m in by_step[2]), by_step
    assert any(m.startswith("looks not measured for 1 of 3") for m in by_step[2]), by_step

    rows = sql_rows(store, "SELECT step, components, total FROM samples WHERE run_id='outage-run' ORDER BY step, id")
    comps = [(r["step"], json.loads(r["components"]), r["total"]) for r in rows]
    assert len(comps) == 9
    for step, c, total in comps:
        if step == 2:
            continue
        assert c["looks"] == pytest.approx(0.7) and c["colour_adherence"] is not None and total is not None, (step, c)
    step2 = [(c, t) for s, c, t in comps if s == 2]
    rendered, lost = step2[0], step2[1:]
    assert rendered[0]["looks"] is None and rendered[0]["colour_adherence"] is not None  # judge down: None
    for c, total in lost:  # no image: the image components and the gate are None, never 0
        assert c["colour_adherence"] is None and c["looks"] is None and c["gate:structure"] is None, c
        assert total is None
