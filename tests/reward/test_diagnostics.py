"""Rubric diagnostics: the first rubric's failure shape raises all three warnings; a healthy one none."""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cli_helpers import run_brushwork  # noqa: E402

from core.reward.diagnostics import diagnose  # noqa: E402

V1_WEIGHTS = {"compile": 0.05, "brush_use": 0.05, "length": 0.32, "hpsv3": 0.10, "prompt_adherence": 0.08,
              "recognisability": 0.10, "aesthetics": 0.15, "technique": 0.08, "depth": 0.07}
JUDGES = ("prompt_adherence", "recognisability", "aesthetics", "technique", "depth")


def failure_rows(steps: int = 60, groups: int = 4, size: int = 8, seed: int = 0) -> list[dict]:
    """Five judges that track one latent (ρ≈0.9), a length ramp flat from step 30, a lively HPSv3 at 0.10."""
    rng = random.Random(seed)
    rows = []
    for step in range(steps):
        for g in range(groups):
            for _ in range(size):
                q = rng.uniform(0.3, 0.8)
                row = {"step": step, "group": g, "compile": 1.0, "brush_use": 1.0,
                       "length": 1.0 if step >= 30 else min(1.0, rng.uniform(0.2, 1.0) * (step + 5) / 30),
                       "hpsv3": rng.uniform(0.0, 1.0)}
                row.update({j: min(1.0, max(0.0, q + rng.gauss(0, 0.03))) for j in JUDGES})
                rows.append(row)
    return rows


def healthy_rows(steps: int = 40, groups: int = 4, size: int = 8, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    return [{"step": s, "group": g, "structure_gate": rng.uniform(0, 1), "pairwise": rng.uniform(0, 1),
             "preference": rng.uniform(0, 1)} for s in range(steps) for g in range(groups) for _ in range(size)]


def test_the_original_failure_raises_all_three_warnings():
    d = diagnose(failure_rows(), V1_WEIGHTS)
    kinds = {w["kind"] for w in d.warnings}
    assert kinds == {"correlated", "saturated", "effective"}
    pairs = {frozenset(p[:2]) for p in d.correlated}
    assert frozenset(("aesthetics", "technique")) in pairs and all(p[2] > 0.8 for p in d.correlated)
    length = next(s for s in d.saturated if s["component"] == "length")
    assert length["since_step"] == 30
    assert {s["component"] for s in d.saturated} == {"compile", "brush_use", "length"}
    assert d.effective["length"]["nominal"] == 0.32 and d.effective["length"]["effective"] < 0.75 * 0.32
    assert d.effective["hpsv3"]["effective"] > 2 * d.effective["hpsv3"]["nominal"]


def test_a_healthy_rubric_gets_no_warnings():
    d = diagnose(healthy_rows())
    assert d.warnings == [] and d.correlated == [] and d.saturated == []
    assert all(abs(e["effective"] - e["nominal"]) < 0.1 for e in d.effective.values())


def test_cli_reads_jsonl_and_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    jsonl = tmp_path / "window.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in failure_rows(steps=40)))
    weights = ",".join(f"{k}={v}" for k, v in V1_WEIGHTS.items())
    out = run_brushwork("rubric", "diagnose", str(jsonl), "--weights", weights, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"correlated", "saturated", "effective"}
    assert data["correlated"] and data["saturated"] and data["effective"]["length"]["nominal"] == 0.32
    parquet = tmp_path / "healthy.parquet"
    pq.write_table(pa.Table.from_pylist(healthy_rows()), parquet)
    out = run_brushwork("rubric", "diagnose", str(parquet), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["warnings"] == []
    bad = run_brushwork("rubric", "diagnose", str(jsonl), "--weights", "length=lots")
    assert bad.returncode == 2 and "name=number" in bad.stderr


def test_correlated_means_spearman_as_in_the_rubric_heatmap():
    """Two components that order every rollout alike measure the same thing, however curved their relation:
    the warning reads ranks (Pearson gave 0.62 here and said nothing), the same figure the Rubric pane shows."""
    import numpy as np
    from scipy.stats import spearmanr

    from core.reward.diagnostics import spearman

    rng = random.Random(3)
    rows = []
    for i in range(48):
        x = rng.uniform(0, 1)
        rows.append({"step": i // 8, "group": i % 4, "plain": x, "curved": x ** 12, "noise": rng.uniform(0, 1)})
    diag = diagnose(rows, {"plain": 1.0, "curved": 1.0, "noise": 1.0})
    assert [(a, b) for a, b, _ in diag.correlated] == [("plain", "curved")]
    assert diag.correlated[0][2] == 1.0 and any(w["kind"] == "correlated" for w in diag.warnings)
    plain, curved = np.array([r["plain"] for r in rows]), np.array([r["curved"] for r in rows])
    assert np.corrcoef(plain, curved)[0, 1] < 0.8  # what the old Pearson warning measured
    noisy = np.array([r["noise"] for r in rows])
    assert spearman(plain, noisy) == spearmanr(plain, noisy).statistic
    assert spearman(plain, np.full(48, 0.5)) is None and spearman(plain[:2], noisy[:2]) is None
    holes = plain.copy()
    holes[::3] = np.nan  # not measured: left out, not ranked
    assert spearman(holes, curved) == 1.0
