"""One HTTP client per event loop and server: a run's scoring steps reuse its connections, and they close
when the loop's run ends or when `close_shared_clients` is called (counted by the loopback server)."""
from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from reward_helpers import love_pool, painting, png_rollout

from core.reward import load_rubric
from core.reward.judges.clients import close_shared_clients, shared_client_count

CONCURRENCY = 4


def _rubric(server):
    rubric = load_rubric("seed-v2-four-signals")
    judges = {"default": replace(rubric.judge_settings["default"], base_url=server.openai_url, backoff_s=0.01,
                                 concurrency=CONCURRENCY)}
    return replace(rubric, judge_settings=judges)


def _wait_closed(server, timeout: float = 10.0) -> int:
    """The server's count of open connections once the client's closes have reached it (or the timeout)."""
    deadline = time.monotonic() + timeout
    while server.open_connections and time.monotonic() < deadline:
        time.sleep(0.01)
    return server.open_connections


def test_steps_on_one_loop_reuse_one_client_and_its_connections(judge_server, store):
    pool, rubric = love_pool(store, n=2), _rubric(judge_server)
    group = [png_rollout(painting(size=256, seed=i)) for i in range(4)]  # 4 × 2 refs × 2 orders = 16 calls

    async def three_steps():
        for _ in range(3):
            scores = await rubric.score(group, refs_pool=pool)
            assert all(s.components["pairwise"] is not None for s in scores)
        return shared_client_count()

    assert asyncio.run(three_steps()) == 1
    assert len(judge_server.requests) == 3 * 16
    # a client per step opened up to CONCURRENCY connections each step; one client opens them once
    assert 1 <= judge_server.connections <= CONCURRENCY
    assert _wait_closed(judge_server) == 0  # asyncio.run's end closed the client


def test_close_shared_clients_closes_them_and_the_next_step_reconnects(judge_server, store):
    pool, rubric = love_pool(store, n=2), _rubric(judge_server)
    group = [png_rollout(painting(size=256, seed=1))]

    async def steps():
        await rubric.score(group, refs_pool=pool)
        first = judge_server.connections
        await close_shared_clients()
        closed = await asyncio.to_thread(_wait_closed, judge_server)
        await rubric.score(group, refs_pool=pool)
        return first, closed, shared_client_count()

    first, closed, held = asyncio.run(steps())
    assert first >= 1 and closed == 0 and held == 1
    assert judge_server.connections > first  # a new client, new connections
    assert _wait_closed(judge_server) == 0


def test_each_event_loop_gets_its_own_client(judge_server, store):
    pool, rubric = love_pool(store, n=2), _rubric(judge_server)
    group = [png_rollout(painting(size=256, seed=1))]
    for _ in range(2):  # a connection belongs to the loop that opened it: a second asyncio.run reconnects
        scores = asyncio.run(rubric.score(group, refs_pool=pool))
        assert scores[0].components["pairwise"] is not None
    assert judge_server.connections >= 2 and _wait_closed(judge_server) == 0
