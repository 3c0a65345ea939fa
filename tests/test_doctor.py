"""`brushwork doctor`: real probes (Chromium, node, npm assets, SQLite, env keys), fixes, exit codes."""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import types

import pytest

from core import doctor
from core.store.migrations import MIGRATIONS
from core.version import __version__
from tests.cli_helpers import run_brushwork


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("BRUSHWORK_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def only(monkeypatch, *names: str) -> None:
    """Run a subset of the real checks (the whole set imports torch and launches Chromium)."""
    monkeypatch.setattr(doctor, "CHECKS", {n: doctor.CHECKS[n] for n in names})


@pytest.mark.slow
@pytest.mark.browser
def test_the_whole_report_as_json_in_a_real_process(tmp_path):
    env_key = "sk-doctor-test-" + "SECRET" * 3
    os.environ["OPENAI_API_KEY"] = env_key
    try:
        done = run_brushwork("doctor", "--json", home=tmp_path, timeout=600)
    finally:
        del os.environ["OPENAI_API_KEY"]
    assert env_key not in done.stdout + done.stderr  # a key's value is never printed
    report = json.loads(done.stdout)
    assert report["version"] == __version__
    checks = {c["name"]: c for c in report["checks"]}
    assert list(checks) == list(doctor.CHECKS)
    assert checks["openai-key"]["ok"] and checks["openai-key"]["details"] == {"set": ["OPENAI_API_KEY"]}
    assert checks["chromium"]["ok"], checks["chromium"]
    assert checks["npm-assets"]["details"]["acorn"] == "8.19.0"
    assert checks["database"]["details"]["schema"] is None  # a fresh home: nothing created by looking
    assert not (tmp_path / "brushwork.db").exists()
    assert all(c["ok"] or c["fix"] for c in report["checks"])  # every failure comes with its fix
    assert done.returncode == (0 if report["ok"] else 1)


def test_a_key_in_the_keyring_counts_as_the_judges_count_it(monkeypatch):
    asked = []

    def get_password(service: str, user: str) -> str | None:
        asked.append((service, user))
        return "sk-ring-SECRET" if (service, user) == ("brushwork", "openai") else None

    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(get_password=get_password))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    for name in ("GEMINI_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    openai, gemini = doctor.CHECKS["openai-key"](), doctor.CHECKS["gemini-key"]()
    assert openai.ok and openai.details == {"set": ["keyring"]} and "SECRET" not in openai.summary
    assert not gemini.ok and "keyring set brushwork gemini" in gemini.fix
    assert asked == [("brushwork", "openai"), ("brushwork", "gemini")]


def test_missing_chromium_fails_with_its_fix(home, monkeypatch, capsys):
    monkeypatch.setenv("BRUSHWORK_CHROMIUM", "/nonexistent/chromium")
    only(monkeypatch, "chromium", "npm-assets")
    code = doctor.run_doctor(argparse.Namespace(json=False, require="", config=None))
    out = capsys.readouterr().out
    assert code == 1
    assert "[FAIL] chromium" in out and "fix: apt-get install chromium" in out and "missing: chromium" in out


def test_optional_checks_fail_only_when_required(home, monkeypatch, capsys):
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    only(monkeypatch, "gemini-key", "tiny-model")
    assert doctor.run_doctor(argparse.Namespace(json=True, require="")) == 0
    report = json.loads(capsys.readouterr().out)
    assert [c["status"] for c in report["checks"]] == ["warn", "warn"] and report["ok"]
    assert doctor.run_doctor(argparse.Namespace(json=True, require="gemini-key")) == 1
    capsys.readouterr()
    monkeypatch.setenv("GOOGLE_API_KEY", "g-secret-value")
    assert doctor.run_doctor(argparse.Namespace(json=False, require="gemini-key")) == 0
    out = capsys.readouterr().out
    assert "GOOGLE_API_KEY is set" in out and "g-secret-value" not in out
    assert doctor.run_doctor(argparse.Namespace(json=False, require="gpu,nonsense")) == 2


def test_tiny_model_presence(home):
    assert not doctor.check_tiny_model().ok
    (home / "models" / "tiny").mkdir(parents=True)
    (home / "models" / "tiny" / "config.json").write_text("{}")
    c = doctor.check_tiny_model()
    # tiny without its warm start cannot start the tiny-cpu preset: reported as not built, with the fix
    assert not c.ok and c.details == {"tiny": True, "tiny-sft": False}
    assert "tiny-sft: not built" in c.summary and "brushwork sft" in c.fix
    (home / "models" / "tiny-sft").mkdir(parents=True)
    (home / "models" / "tiny-sft" / "config.json").write_text("{}")
    assert doctor.check_tiny_model().ok


def test_npm_assets_at_their_pinned_versions(tmp_path):
    res, modules = tmp_path / "resources", tmp_path / "resources" / "node_modules"
    res.mkdir()
    (res / "package.json").write_text(json.dumps({"dependencies": {"p5": "2.3.4", "acorn": "8.19.0"}}))
    (modules / "p5").mkdir(parents=True)
    (modules / "p5" / "package.json").write_text(json.dumps({"version": "2.3.3"}))
    c = doctor.check_npm_assets(res, modules)
    assert not c.ok and "acorn missing (pinned 8.19.0)" in c.summary and "p5 2.3.3 (pinned 2.3.4)" in c.summary
    assert "npm ci" in c.fix
    assert doctor.check_npm_assets().ok  # the real resources/ as make setup left it


def test_database_versions(home):
    from core.store import Store

    c = doctor.check_database()
    assert c.ok and "not created yet" in c.summary and not (home / "brushwork.db").exists()
    Store().close()
    c = doctor.check_database()
    assert c.ok and c.details["schema"] == len(MIGRATIONS)
    with sqlite3.connect(home / "brushwork.db") as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 3}")
    c = doctor.check_database()
    assert not c.ok and "newer than this Brushwork" in c.summary and c.fix


def test_foreign_database_and_unwritable_home(home, tmp_path, monkeypatch):
    home.mkdir(parents=True)
    with sqlite3.connect(home / "brushwork.db") as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    c = doctor.check_database()
    assert not c.ok and "not a Brushwork database" in c.summary
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("BRUSHWORK_HOME", str(blocker / "home"))  # under a file: cannot be made
    c = doctor.check_data_home()
    assert not c.ok and "BRUSHWORK_HOME" in c.fix


def test_node_and_sandbox_probes_are_real(monkeypatch):
    node = doctor.check_node()
    assert node.ok and node.summary.startswith("node v")
    monkeypatch.setenv("BRUSHWORK_NODE", "/nonexistent/node")
    assert not doctor.check_node().ok
    sandbox = doctor.check_sandbox()
    assert set(sandbox.details) >= {"netns", "caps"} and (sandbox.ok or sandbox.fix)


def test_version_flag_in_a_real_process():
    done = run_brushwork("--version", timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == f"brushwork {__version__}"


def test_a_run_config_brings_its_own_requirements(home, monkeypatch, capsys, tmp_path):
    only(monkeypatch, "gpu", "vllm")
    cfg = tmp_path / "run.toml"
    cfg.write_text('[model]\nmodel = "models/tiny-sft"\n[run]\ndevice = "cpu"\n')
    assert doctor.run_doctor(argparse.Namespace(json=True, require="", config=str(cfg))) == 1
    report = json.loads(capsys.readouterr().out)
    run_model = next(c for c in report["checks"] if c["name"] == "run-model")
    assert run_model["status"] == "missing" and "brushwork model tiny" in run_model["fix"]
    assert {c["name"]: c["required"] for c in report["checks"]}["gpu"] is False  # a CPU run
    (home / "models" / "tiny-sft").mkdir(parents=True)
    cfg.write_text('[model]\nmodel = "models/tiny-sft"\n[rollout]\nrollout = "vllm-server"\n')
    code = doctor.run_doctor(argparse.Namespace(json=True, require="", config=str(cfg)))
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert checks["run-model"]["ok"] and checks["gpu"]["required"] and checks["vllm"]["required"]
    assert code == (0 if checks["gpu"]["ok"] and checks["vllm"]["ok"] else 1)
    assert doctor.run_doctor(argparse.Namespace(json=False, require="", config=str(tmp_path / "nope.toml"))) == 2
    assert "does not exist" in capsys.readouterr().err
