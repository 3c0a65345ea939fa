"""The component registry fills once, whichever thread asks first: no thread sees it half-filled.

The studio loads presets off the GUI thread while other threads check a run's needs; before the
registry took a lock, the second caller saw `_loaded` set while the first was still importing the
plugins, and got "unknown component 'structure'" for a preset that is fine.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = """
import threading
from core.reward import registry

assert not registry._loaded  # a fresh process: nothing imported the plugins yet
results, start = [], threading.Barrier(4)

def ask():
    start.wait()
    try:
        registry.get_component("structure")
        results.append("ok")
    except Exception as e:
        results.append(repr(e))

threads = [threading.Thread(target=ask) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(results)
"""


def test_concurrent_first_lookups_all_find_the_plugins():
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == str(["ok"] * 4)
