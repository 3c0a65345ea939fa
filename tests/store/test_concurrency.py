"""Many processes on one database: first opens at once, a writer beside a reader, a held write lock."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from core.store import Store
from core.store.migrations import MIGRATIONS
from tests.store.store_procs import ProcessGroup, start_held_write_lock

CODE = "function setup(){ createCanvas(64, 64); brush.line(0, 0, 10, 10); }"

OPEN_SCRIPT = """
import sys
from core.store import Store
print("ready", flush=True)
sys.stdin.readline()  # every process is started and imported; all open at the same moment
s = Store(sys.argv[1])
s.add_sketch("// from process " + sys.argv[2], source="model")
print("version", s.schema_version, flush=True)
s.close()
"""


@pytest.mark.parametrize("n", [6, pytest.param(18, marks=pytest.mark.slow)])
def test_processes_opening_one_new_database_at_once_all_succeed(tmp_path: Path, n: int):
    path = tmp_path / "fresh" / "brushwork.db"
    with ProcessGroup([[sys.executable, "-c", OPEN_SCRIPT, str(path), str(i)] for i in range(n)]) as group:
        group.wait_for_line("ready")
        group.release()  # one write to each stdin, back to back
        results = group.finish(timeout=120)
    failures = [(rc, err[-400:]) for rc, out, err in results if rc != 0]
    assert not failures, f"{len(failures)} of {n} processes failed: {failures[:3]}"
    assert all(f"version {len(MIGRATIONS)}" in out for _, out, _ in results)
    store = Store(path)
    try:
        assert store._query("SELECT count(*) AS n FROM sketches")[0]["n"] == n
    finally:
        store.close()


WRITER_SCRIPT = """
import sys
from core.store import Store
s = Store(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
for i in range(200):
    s.add_sketch("// rollout %d" % i, source="model", parent_id=int(sys.argv[2]), run_id="r1", step=i)
    if i == 0:
        print("writing", flush=True)
print("done", flush=True)
"""


def test_a_second_process_writes_while_we_read(store):
    """WAL: a training process writes while we read, at the same time, through separate connections."""
    sid = store.add_sketch(CODE, source="model")
    with ProcessGroup([[sys.executable, "-c", WRITER_SCRIPT, str(store.path), str(sid)]]) as group:
        group.wait_for_line("ready")
        group.release()
        group.wait_for_line("writing")
        seen = []
        while not group.saw_line("done"):  # read while the other process is still writing
            seen.append(store._query("SELECT count(*) AS n FROM sketches WHERE parent_id = ?", (sid,))[0]["n"])
        rc, _, err = group.finish(timeout=60)[0]
    assert rc == 0, err
    assert seen and seen == sorted(seen), "reads go backwards or none happened during the writes"
    assert seen[0] < 200, "no read overlapped the writes"
    assert [c.step for c in store.children(sid)] == list(range(200))


def test_reads_do_not_wait_for_another_process_holding_the_write_lock(store):
    store.add_sketch(CODE, source="human")
    with start_held_write_lock(store.path) as holder:
        # The lock is held now (the holder said so after BEGIN IMMEDIATE); a read answers at once.
        assert store._query("SELECT count(*) AS n FROM sketches")[0]["n"] == 1
        future = store.submit(store.add_sketch, "// queued", source="human")
        assert not future.done()  # queued behind the other process's transaction, we were not blocked
        holder.release()
        assert future.result(timeout=30) > 0
    assert store._query("SELECT count(*) AS n FROM sketches")[0]["n"] == 2


def test_store_writer_keeps_order_and_reports_errors(store):
    futures = [store.submit(store.add_sketch, f"// {i}", source="human") for i in range(20)]
    ids = [f.result(timeout=30) for f in futures]
    assert ids == sorted(ids)
    bad = store.submit(store.add_sketch, "// x", source="martian")
    with pytest.raises(ValueError, match="source must be one of"):
        bad.result(timeout=30)



def test_read_connections_of_finished_threads_are_closed(store):
    import threading

    def read() -> None:
        store._query("SELECT 1")
    for _ in range(20):
        t = threading.Thread(target=read)
        t.start()
        t.join()
    store._query("SELECT 1")  # a new reader prunes the dead threads' connections
    assert len(store._readers) <= 2
