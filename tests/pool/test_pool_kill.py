"""kill -9 a process that is rating images: every rating it reported as committed is still there."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from pool_helpers import add

from core.pool import RatingPool
from core.store import Store
from tests.db_helpers import sql_rows

RATER = textwrap.dedent("""
    import itertools, sys
    from core.pool import RatingPool
    from core.store import Store
    pool = RatingPool(Store())
    ids = pool.image_ids()
    tiers = itertools.cycle(["love", "okay", "nope", "okay"])
    print("ready", flush=True)
    for n in itertools.count():
        image_id = ids[n % len(ids)]
        event = pool.rate(image_id, next(tiers))
        print(event.id, image_id, event.tier, flush=True)
""")


def test_kill_9_mid_rating_loses_nothing_committed(pool, store, brushwork_home):
    ids = [add(pool, g, seed=i).id for i, g in enumerate(["peach", "blue", "pink", "red", "green"] * 6)]
    store.close()
    env = {**os.environ, "BRUSHWORK_HOME": str(brushwork_home)}
    proc = subprocess.Popen([sys.executable, "-c", RATER], stdout=subprocess.PIPE, text=True, env=env,
                            cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert proc.stdout.readline().strip() == "ready"
    printed = []
    while len(printed) < 150:  # 5 passes over 30 images, then kill while it keeps writing
        line = proc.stdout.readline()
        assert line, "the rater died early"
        printed.append(tuple(line.split()))
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    again = RatingPool(Store())
    assert sql_rows(again.store, "PRAGMA integrity_check")[0]["integrity_check"] == "ok"
    events = {e.id: e for e in again.history()}
    for event_id, image_id, tier in printed:
        assert int(event_id) in events, f"committed event {event_id} lost"
        assert (events[int(event_id)].image_id, events[int(event_id)].tier) == (int(image_id), tier)
    assert {int(image_id) for _, image_id, _ in printed} == set(ids)
    assert all(again.tier(i) is not None for i in ids)
    # the current tier of each image is its last event's tier: history and ratings never disagree
    last = {}
    for e in again.history():
        last[e.image_id] = e.tier
    assert {i: again.tier(i) for i in ids} == last
