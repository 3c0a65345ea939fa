"""MetricTail: a run's new metric rows in commit order, chunk by chunk, through its (run_id, rowid) index."""
from __future__ import annotations

import math

import numpy as np

from core.store import Store
from core.store.runs import CHUNK_SQL, ROWS_SQL
from core.train.tail import MetricTail
from tests.db_helpers import sql_rows, sql_write


def put(store: Store, run_id: str, step: int, key: str, value: float | None, at: float | None) -> None:
    sql_write(store, "INSERT OR REPLACE INTO metrics (run_id, step, key, value, at) VALUES (?, ?, ?, ?, ?)",
                (run_id, step, key, value, at))


def drain(tail: MetricTail, limit: int) -> tuple[dict[str, tuple[list, list]], dict[str, float], list[int]]:
    series: dict[str, tuple[list, list]] = {}
    oldest: dict[str, float] = {}
    sizes = []
    while True:
        batch = tail.poll(limit)
        sizes.append(batch.rows)
        for key, (steps, values) in batch.series.items():
            assert isinstance(steps, np.ndarray) and isinstance(values, np.ndarray)
            s, v = series.setdefault(key, ([], []))
            s.extend(steps.tolist())
            v.extend(values.tolist())
        for key, at in batch.oldest_at.items():
            oldest.setdefault(key, at)
        if batch.rows < limit:
            return series, oldest, sizes


def test_chunks_keep_commit_order_per_key_and_skip_other_runs(store):
    for step in range(7):
        put(store, "a", step, "reward", step / 10, 100.0 + step)
        put(store, "b", step, "reward", -1.0, 5.0)               # another run, interleaved
        put(store, "a", step, "kl", None if step == 2 else step * 2.0, None if step < 3 else 200.0 + step)
    tail = MetricTail(store, "a")
    series, oldest, sizes = drain(tail, limit=4)
    assert sizes == [4, 4, 4, 2]                                  # 14 rows of run a, 4 at a time
    assert series["reward"] == ([0, 1, 2, 3, 4, 5, 6], [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    steps, values = series["kl"]
    assert steps == list(range(7)) and math.isnan(values[2]) and values[3] == 6.0   # not measured: NaN
    assert oldest == {"reward": 100.0, "kl": 203.0}               # the first row that carries a time
    assert tail.poll(4).rows == 0                                 # nothing new
    put(store, "a", 3, "reward", 9.0, 300.0)                      # a resumed run replays step 3
    series, _, _ = drain(tail, limit=4)
    assert series == {"reward": ([3], [9.0])}


def test_the_read_uses_the_run_rowid_index(store):
    def plan(sql: str) -> str:
        return " ".join(r["detail"] for r in sql_rows(store, "EXPLAIN QUERY PLAN " + sql, ("a", 0, 10)))

    assert "idx_metrics_run_rowid" in plan(ROWS_SQL) and "TEMP B-TREE" not in plan(ROWS_SQL)  # no sort of the run
    assert "idx_metrics_run_rowid" in plan(CHUNK_SQL)   # the grouping sorts one chunk, not the run


def test_values_come_back_exact_enough_and_in_commit_order(store):
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.random(200) * 10.0 ** rng.integers(-30, 30, 200), [1 / 3, 0.1 + 0.2, math.inf, -math.inf]])
    steps = rng.permutation(len(values))       # written out of step order: the points keep commit order
    for step, value in zip(steps.tolist(), values.tolist(), strict=True):
        put(store, "a", step, "x", value, 1.0)
    series, _, _ = drain(MetricTail(store, "a"), limit=10_000)
    assert series["x"][0] == steps.tolist()
    got = np.array(series["x"][1])
    assert np.array_equal(got[-4:], values[-4:]) and np.allclose(got, values, rtol=1e-15, atol=0)
