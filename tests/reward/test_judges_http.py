"""Judges over real HTTP against the loopback server: verdicts, both orders, 429 / 500 / slow / garbage,
concurrency limits, the SQLite cache, accounting, and keys that never reach the disk."""
from __future__ import annotations

import asyncio
import logging

import pytest
from reward_helpers import painting

from core.reward import Accounting, JudgementCache, JudgeSettings
from core.reward.judges import build_judges

BIG, SMALL = painting(size=256, seed=1), painting(size=64, seed=2)  # the loopback prefers more PNG bytes
PROMPT = "a peach hibiscus in watercolour"


def _judge(server, backend="openai", cache=None, **kw):
    url = server.openai_url if backend == "openai" else server.gemini_url
    settings = JudgeSettings(name="j", backend=backend, model=f"{backend}-test", base_url=url, backoff_s=0.01,
                             backoff_max_s=0.05, **kw)
    acc = Accounting()
    return build_judges({"j": settings}, cache=cache, accounting=acc)["j"], acc


def _run(judge, coro):
    async def go():
        try:
            return await coro
        finally:
            await judge.aclose()
    return asyncio.run(go())


@pytest.mark.parametrize("backend", ["openai", "gemini"])
def test_both_orders_are_asked_and_agreeing_verdicts_win(judge_server, backend, monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", "gem-test-key")
    judge, acc = _judge(judge_server, backend)
    verdict = _run(judge, judge.judge(BIG, SMALL, PROMPT))
    assert verdict.winner == "candidate" and verdict.confidence == pytest.approx(0.8)
    assert len(judge_server.requests) == 2 and all(r["images"] == 2 for r in judge_server.requests)
    assert acc.totals().calls == 2 and acc.totals().tokens_in == 2000


def test_orders_that_disagree_are_a_tie(judge_server):
    judge, _ = _judge(judge_server)
    judge_server.script("A", "A")  # "the first image" both times: position bias, not preference
    assert _run(judge, judge.judge(BIG, SMALL, PROMPT)).winner == "tie"


@pytest.mark.parametrize("backend", ["openai", "gemini"])
def test_429_500_and_garbage_are_retried_then_answered(judge_server, backend, monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", "gem-test-key")
    judge, acc = _judge(judge_server, backend, concurrency=1)
    judge_server.script("429", "500", "garbage", "fenced:B")
    score = _run(judge, judge.judge_order(SMALL, BIG, PROMPT))
    assert score[0] == "second"
    t = acc.totals()
    assert (t.calls, t.retries, t.malformed, t.failures) == (4, 2, 1, 0)


def test_persistent_garbage_gives_none_not_zero(judge_server):
    judge, acc = _judge(judge_server, malformed_retries=2)
    judge_server.script("garbage", "garbage", "garbage")
    assert _run(judge, judge.judge_order(BIG, SMALL, PROMPT)) is None
    assert acc.totals().failures == 1 and len(judge_server.requests) == 3


def test_a_slow_answer_times_out_and_is_retried(judge_server):
    judge, acc = _judge(judge_server, timeout_s=0.3)
    judge_server.script("slow:1.0")
    assert _run(judge, judge.judge_order(BIG, SMALL, PROMPT))[0] == "first"
    assert acc.totals().retries == 1


def test_concurrency_limit_per_backend_holds(judge_server):
    judge_server.latency = 0.1
    judge, _ = _judge(judge_server, concurrency=3)
    pairs = [(painting(seed=i, size=128), SMALL) for i in range(6)]

    async def many():
        return await asyncio.gather(*(judge.judge(a, b, PROMPT) for a, b in pairs))
    verdicts = _run(judge, many())
    assert all(v is not None for v in verdicts)
    assert judge_server.max_in_flight == 3 and len(judge_server.requests) == 12


def test_cache_answers_repeats_without_calls_and_keys_by_order(judge_server, store):
    cache = JudgementCache(store)
    assert cache.available
    judge, _ = _judge(judge_server, cache=cache)
    first = _run(judge, judge.judge(BIG, SMALL, PROMPT))
    store.close()  # flush the queued writes
    from core.store import Store

    store2 = Store()
    cache2 = JudgementCache(store2)
    assert cache2.count() == 2  # one row per order
    judge2, acc2 = _judge(judge_server, cache=cache2)

    async def twice():
        return await judge2.judge(BIG, SMALL, PROMPT), await judge2.judge(BIG, SMALL, "a blue iris")
    again, other_prompt = _run(judge2, twice())
    assert again.winner == first.winner and again.cached
    assert acc2.totals().cache_hits == 2
    assert not other_prompt.cached and len(judge_server.requests) == 4  # only the new prompt was asked
    store2.close()


def test_absolute_rating_and_council(judge_server, monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", "gem-test-key")
    settings = {
        "gpt": JudgeSettings(name="gpt", backend="openai", model="g", base_url=judge_server.openai_url),
        "gem": JudgeSettings(name="gem", backend="gemini", model="m", base_url=judge_server.gemini_url),
        "council": JudgeSettings(name="council", backend="council", members=["gpt", "gem"]),
    }
    judges = build_judges(settings, accounting=Accounting())
    judge_server.script("score:4", "score:8")

    async def go():
        try:
            return await judges["council"].rate(BIG, PROMPT, "aesthetics")
        finally:
            await asyncio.gather(*(j.aclose() for j in judges.values()))
    assert asyncio.run(go()) == pytest.approx(0.6)  # (4 + 8) / 2 / 10
    assert {r["path"].split("/")[1] for r in judge_server.requests} == {"v1"}


def test_no_key_and_no_url_makes_the_judge_unavailable_not_zero(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    judge = build_judges({"j": JudgeSettings(name="j", backend="openai", model="x")})["j"]
    assert "no OpenAI key" in judge.unavailable
    assert asyncio.run(judge.judge(BIG, SMALL, PROMPT)) is None


def test_the_key_never_reaches_the_database_logs_or_exports(judge_server, store, monkeypatch, caplog, tmp_path):
    secret = "sk-SECRET-do-not-store-4242"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    from core.reward import load_rubric

    rubric = load_rubric("seed-v2-four-signals")
    settings = rubric.judge_settings["default"]
    settings.base_url = judge_server.openai_url
    judge_server.script("429", "garbage")
    caplog.set_level(logging.DEBUG)
    judge, acc = _judge(judge_server, cache=JudgementCache(store))
    judge.settings.api_key_env = "OPENAI_API_KEY"
    _run(judge, judge.judge(BIG, SMALL, PROMPT))
    assert judge_server.requests[0]["headers"].get("authorization") == f"Bearer {secret}"  # it was used
    store.close()
    export = tmp_path / "rubric.json"
    import json

    export.write_text(json.dumps({"rubric": rubric.to_dict(), "cost": acc.to_dict()}))
    db_bytes = b"".join(p.read_bytes() for p in store.path.parent.glob("brushwork.db*"))
    assert secret.encode() not in db_bytes
    assert secret not in caplog.text
    assert secret not in export.read_text()
