"""Errors a user can cause end in a sentence and an exit status, never a traceback (real subprocesses).

Each pool command meets a corrupt, a foreign and a read-only database; `render` meets no Chromium;
a pool import meets a sidecar with an unknown source and a file it cannot decode.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.cli_helpers import run_brushwork
from tests.db_helpers import read_only_database
from tests.synthetic_paintings import synthetic_painting

pytestmark = pytest.mark.slow  # a dozen interpreter starts


def _corrupt(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "brushwork.db").write_bytes(b"SQLite format 3\x00" + os.urandom(4096))


def _foreign(home: Path) -> None:
    home.mkdir(parents=True)
    conn = sqlite3.connect(home / "brushwork.db")
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()


def _assert_sentence(r: subprocess.CompletedProcess, *words: str) -> None:
    assert r.returncode in (1, 2), (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr, r.stderr
    assert "object at 0x" not in r.stderr, r.stderr
    line = r.stderr.strip().splitlines()[-1]
    assert line.startswith("brushwork") and line.rstrip().endswith((".", ")")), line
    for word in words:
        assert word in r.stderr, r.stderr


POOL_COMMANDS = [("stats",), ("stats", "--json"), ("export", "OUT/pool.parquet"), ("import", "FOLDER")]


@pytest.mark.parametrize("make, words", [
    (_corrupt, ("not a Brushwork database or is damaged", "Move it aside")),
    (_foreign, ("another program", "invoices", "BRUSHWORK_HOME")),
])
def test_pool_commands_on_a_corrupt_or_foreign_database(tmp_path, make, words):
    home = tmp_path / "home"
    make(home)
    before = (home / "brushwork.db").read_bytes()
    (tmp_path / "images").mkdir()
    for args in POOL_COMMANDS:
        args = [a.replace("OUT", str(tmp_path / "out")).replace("FOLDER", str(tmp_path / "images")) for a in args]
        _assert_sentence(run_brushwork("pool", *args, home=home, timeout=120), *words)
    assert (home / "brushwork.db").read_bytes() == before  # nobody wrote to a file that is not ours


def test_pool_commands_on_a_read_only_database(tmp_path):
    home = tmp_path / "home"
    images = tmp_path / "images"
    images.mkdir()
    (images / "a.png").write_bytes(synthetic_painting("#3b6fc4", size=64))
    with read_only_database(home):
        for args in [("stats",), ("export", str(tmp_path / "out.parquet")), ("import", str(images))]:
            _assert_sentence(run_brushwork("pool", *args, home=home, timeout=120), "Cannot write", "permissions")


def test_pool_import_skips_an_unknown_source_and_a_corrupt_file_and_goes_on(tmp_path, brushwork_home):
    folder = tmp_path / "images"
    folder.mkdir()
    for i, colour in enumerate(["#ffa64d", "#3b6fc4", "#ec7fb0"]):
        (folder / f"p{i}.png").write_bytes(synthetic_painting(colour, size=64, seed=i))
    (folder / "p1.json").write_text('{"prompt": "a blue iris", "source": "martian"}')
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 20)
    (folder / "notes.png").write_text("a text file with the wrong name")
    r = run_brushwork("pool", "import", str(folder), home=brushwork_home, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Imported 2 images; 3 skipped" in r.stdout
    assert "skipped p1.png: its source 'martian' is not one of hand, supplement, library, rollout" in r.stderr
    assert "skipped broken.png: the image is damaged or cut short" in r.stderr
    assert "skipped notes.png: not a PNG or JPEG file Pillow can decode" in r.stderr
    assert "object at 0x" not in r.stderr


def test_pool_export_and_import_say_what_is_wrong_with_the_input(tmp_path, brushwork_home):
    not_parquet = tmp_path / "notes.parquet"
    not_parquet.write_text("hello")
    _assert_sentence(run_brushwork("pool", "import", str(not_parquet), home=brushwork_home, timeout=120),
                     "cannot import", "brushwork pool export")
    _assert_sentence(run_brushwork("pool", "export", str(tmp_path / "x.parquet"), "--tiers", "lovely",
                                   home=brushwork_home, timeout=120), "unknown tier lovely")
    (tmp_path / "taken").write_text("a file where the export folder should go")
    _assert_sentence(run_brushwork("pool", "export", str(tmp_path / "taken" / "pool.parquet"),
                                   home=brushwork_home, timeout=120), "Cannot write")


def test_render_without_chromium_is_one_sentence_and_exit_2(tmp_path, brushwork_home):
    sketch = tmp_path / "s.js"
    sketch.write_text("function setup() { createCanvas(64, 64, WEBGL); brush.line(0, 0, 9, 9); }")
    r = run_brushwork("render", str(sketch), home=brushwork_home, timeout=120,
                      env={"BRUSHWORK_CHROMIUM": str(tmp_path / "no-chromium-here")})
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [r.stderr.strip()]  # one line
    assert "apt-get install chromium" in r.stderr
