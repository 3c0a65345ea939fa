"""`brushwork pool import | stats | export` as real subprocesses."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.cli_helpers import run_brushwork


def brushwork(*args: str, home: Path) -> subprocess.CompletedProcess:
    return run_brushwork("pool", *args, home=home, timeout=120)


def test_cli_import_stats_export_round_trip(painting_folder, tmp_path):
    home = tmp_path / "home1"
    r = brushwork("import", str(painting_folder), home=home)
    assert r.returncode == 0, r.stderr
    assert "Imported 6 images; 1 already in the pool; 1 skipped" in r.stdout
    assert "skipped broken.png" in r.stderr

    r = brushwork("stats", "--json", "--min-love", "1", home=home)
    assert r.returncode == 0, r.stderr
    stats = json.loads(r.stdout.strip().splitlines()[-1])
    assert stats["counts"] == {"images": 6, "love": 1, "okay": 0, "nope": 0, "rated": 1}
    assert stats["colour_groups"]["blue"]["love"] == 1
    thin = {t["group"] for t in stats["thin_colours"]}
    assert "peach" in thin and "blue" not in thin
    assert "peach: 0 love references, below 1" in [t["text"] for t in stats["thin_colours"]]

    r = brushwork("stats", home=home)
    assert "6 images · 1 rated · 1 love" in r.stdout and "thin: peach" in r.stdout

    out = tmp_path / "pool.parquet"
    r = brushwork("export", str(out), home=home)
    assert r.returncode == 0 and out.exists(), r.stderr
    r = brushwork("export", str(tmp_path / "hf"), "--format", "hf", home=home)
    assert r.returncode == 0 and (tmp_path / "hf" / "dataset_info.json").exists(), r.stderr

    # the parquet goes back in through the CLI too (the HF folder's round trip is tested in-process)
    r = brushwork("import", str(out), home=tmp_path / "home2")
    assert "Imported 6 images" in r.stdout, r.stderr
    again = json.loads(brushwork("stats", "--json", home=tmp_path / "home2").stdout)
    assert again["counts"] == stats["counts"] and again["colour_groups"] == stats["colour_groups"]


def test_cli_import_missing_folder_fails_cleanly(tmp_path):
    r = brushwork("import", str(tmp_path / "nope"), home=tmp_path / "h")
    assert r.returncode == 2 and "does not exist" in r.stderr
