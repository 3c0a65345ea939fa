"""`brushwork render` as a user runs it: a real subprocess."""
from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sketches import NORMAL, assert_normal

from tests.cli_helpers import run_brushwork


def brushwork(*args: str, env_home: Path) -> subprocess.CompletedProcess:
    return run_brushwork("render", *args, home=env_home)


def side_by_side(*runs: tuple[str, ...], env_home: Path) -> list[subprocess.CompletedProcess]:
    """Independent `brushwork render` runs side by side (each launches its own browser)."""
    with ThreadPoolExecutor(len(runs)) as threads:
        return list(threads.map(lambda args: brushwork(*args, env_home=env_home), runs))


def test_render_file_json(tmp_path, brushwork_home):
    sketch = tmp_path / "normal.js"
    sketch.write_text(NORMAL)
    out = brushwork(str(sketch), "-o", str(tmp_path / "out.png"), "--seed", "3", "--json", env_home=brushwork_home)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["ok"] is True and report["png"] == str(tmp_path / "out.png") and report["ms"] > 0
    assert report["brush_calls"] == {"line": 1} and report["brush_state"] == {"set": 1}  # run-time, from the harness
    assert set(report["sandbox"]) >= {"netns", "caps"}
    assert_normal((tmp_path / "out.png").read_bytes())


def test_render_error_json_and_human(tmp_path, brushwork_home):
    sketch = tmp_path / "broken.js"
    sketch.write_text("function setup() {\n  createCanvas(64, 64, WEBGL);\n  missing();\n}\n")
    out, human = side_by_side((str(sketch), "--json"), (str(sketch),), env_home=brushwork_home)
    assert out.returncode == 1
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["ok"] is False
    assert report["error"]["kind"] == "runtime" and report["error"]["line"] == 3 and report["error"]["column"] == 3
    assert human.returncode == 1 and "runtime at line 3:3" in human.stdout


def test_render_folder_and_bad_files(tmp_path, brushwork_home):
    (tmp_path / "a.js").write_text(NORMAL)
    (tmp_path / "b.js").write_text(NORMAL.replace("255);", "250);", 1))
    (tmp_path / "binary.js").write_bytes(b"\x00\x01\x02")
    (tmp_path / "huge.js").write_text("//" + "x" * 1_100_000)
    out, default, missing = side_by_side((str(tmp_path), "--json"), (str(tmp_path / "a.js"),),
                                 (str(tmp_path / "nope.js"), "--json"), env_home=brushwork_home)
    assert out.returncode == 1  # two files are not sketches
    reports = {r["file"]: r for r in map(json.loads, out.stdout.strip().splitlines())}
    assert reports["a.js"]["ok"] and reports["b.js"]["ok"]
    assert "binary" in reports["binary.js"]["error"]["message"]
    assert "too large" in reports["huge.js"]["error"]["message"]
    assert (tmp_path / "renders" / "a.png").exists() and (tmp_path / "renders" / "b.png").exists()
    assert default.returncode == 0 and (tmp_path / "a.png").exists()  # default: next to the sketch
    assert missing.returncode == 2 and "no such file" in missing.stdout
