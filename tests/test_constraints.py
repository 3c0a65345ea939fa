"""packaging/constraints.txt: the pinned stack setup installs, consistent with pyproject; doctor reports a drift."""
from __future__ import annotations

import argparse
import importlib.metadata
import json
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from core import doctor
from core.paths import REPO_ROOT

STACK = ("trl", "transformers", "peft", "accelerate", "torch", "datasets", "tokenizers", "tensorboard")


def test_the_training_stack_is_pinned_exactly():
    pins = doctor.read_constraints()
    assert all(name in pins for name in STACK), sorted(set(STACK) - set(pins))
    assert pins["torch"] == "2.13.0"  # no +cpu label: the CUDA wheel of the same release satisfies it too
    assert "brushwork" not in pins    # the project itself is not a constraint


def test_every_dependency_of_the_project_is_satisfied_by_its_pin():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    pins = doctor.read_constraints()
    for text in project["dependencies"] + project["optional-dependencies"]["test"]:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is a dependency but not pinned: run packaging/freeze_constraints.sh"
        assert req.specifier.contains(pins[name], prereleases=True), f"{text} vs pinned {pins[name]}"


def test_setup_installs_with_the_constraints():
    setup = (REPO_ROOT / "packaging" / "setup.sh").read_text()
    installs = [line for line in setup.splitlines() if "pip install" in line and "--upgrade pip" not in line]
    assert installs and all('-c "$CONSTRAINTS"' in line for line in installs)
    assert "CONSTRAINTS=packaging/constraints.txt" in setup and '[ "$CONSTRAINTS" -nt "$STAMP" ]' in setup


def test_this_environment_matches_the_pins():
    check = doctor.check_versions()
    assert check.ok, check.summary
    assert "trl " + importlib.metadata.version("trl") in check.summary


def test_a_drift_is_reported_with_its_fix(tmp_path, monkeypatch, capsys):
    pins = tmp_path / "constraints.txt"
    pins.write_text("# pins\ntrl==0.0.1\ntorch==2.13.0\nno-such-package-brushwork==1.0\ntransformers==" +
                    importlib.metadata.version("transformers") + "\n")
    check = doctor.check_versions(pins)
    assert not check.ok and check.status == "warn"
    assert f"trl {importlib.metadata.version('trl')} (pinned 0.0.1)" in check.summary
    assert "torch" not in check.details["drift"]       # 2.13.0+cpu is the pinned 2.13.0
    assert check.details["missing"] == ["no-such-package-brushwork"] and "-c" in check.fix
    pins.write_text("trl==" + importlib.metadata.version("trl") + "\n")
    assert doctor.check_versions(pins).ok
    assert doctor.check_versions(tmp_path / "absent.txt").ok  # a bundle has no file to compare with

    monkeypatch.setattr(doctor, "CHECKS", {"versions": lambda: doctor.check_versions(pins.with_name("x.txt"))})
    assert doctor.run_doctor(argparse.Namespace(json=True, require="versions", config=None)) == 0
    assert json.loads(capsys.readouterr().out)["checks"][0]["name"] == "versions"


def test_doctor_checks_a_run_configs_reporters(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(doctor, "CHECKS", {})
    cfg = tmp_path / "run.toml"
    cfg.write_text('[run]\ndevice = "cpu"\nreport_to = ["tensorboard"]\n[model]\nmodel = "/nonexistent"\n')
    doctor.run_doctor(argparse.Namespace(json=True, require="", config=str(cfg)))
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert checks["report-to"]["ok"] and "RUN_DIR/tensorboard" in checks["report-to"]["summary"]
    cfg.write_text('[run]\ndevice = "cpu"\nreport_to = ["tensorbord"]\n')
    assert doctor.run_doctor(argparse.Namespace(json=True, require="", config=str(cfg))) == 1
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    assert checks["report-to"]["status"] == "missing" and "not a reporter" in checks["report-to"]["summary"]
