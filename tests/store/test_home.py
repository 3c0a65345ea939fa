"""The data home's layout is named once (core/store/home.py) and the README's table says the same."""
from __future__ import annotations

import re

from core.paths import REPO_ROOT
from core.store import Store, home

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _table_paths() -> set[str]:
    """Every path in the first column of the README's "Data and privacy" table."""
    section = README.split("## Data and privacy", 1)[1].split("\n## ", 1)[0]
    firsts = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {p.split("<")[0].rstrip("/") for cell in firsts for p in re.findall(r"`([^`]+)`", cell)}


def _named(tmp) -> dict[str, str]:
    """What home.py names, as paths relative to a home (every public function taking `home`)."""
    out = {}
    for name in dir(home):
        fn = getattr(home, name)
        if callable(fn) and name.endswith(("_dir", "_file")) and fn.__module__ == home.__name__:
            out[name] = fn(tmp).relative_to(tmp).as_posix()
    return out


def test_every_named_place_is_in_the_readme_table(tmp_path):
    named = _named(tmp_path)
    assert {"database_file", "runs_dir", "reward_model_dir", "subject_model_dir", "studio_settings_file"} <= set(named)
    table = _table_paths()
    missing = {name: rel for name, rel in named.items()
               if rel not in table and not any(t.startswith(f"{rel}/") for t in table)}  # models/ holds models/tiny
    assert not missing, f"named in core/store/home.py but not in the README's data table: {missing}"
    for rel in (home.TINY_MODEL, home.TINY_SFT_MODEL):
        assert rel in table


def test_every_readme_place_is_named_in_the_store(tmp_path):
    store = Store(home.database_file(tmp_path))
    try:
        digest = "ab" * 32
        owned = {home.database_file(tmp_path), store.files, store.render_file(digest).parent.parent,
                 tmp_path / "pool", tmp_path / "cache"}  # pool/: core.store.pool; cache/: core/sketch/api.py
        known = {p.relative_to(tmp_path).as_posix() for p in owned}
        known |= set(_named(tmp_path).values()) | {home.TINY_MODEL, home.TINY_SFT_MODEL}
        unnamed = _table_paths() - known
        assert not unnamed, f"in the README's data table but named nowhere in core/store: {unnamed}"
    finally:
        store.close()


def test_the_default_home_follows_brushwork_home(brushwork_home):
    assert home.database_file() == brushwork_home / "brushwork.db"
    assert home.under_home("models/x") == brushwork_home / "models" / "x"
