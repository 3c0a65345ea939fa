"""Run `brushwork ...` as a real subprocess from the tests (same interpreter, repo as cwd)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_brushwork(*args: str, home: Path | None = None, stdin: str | None = None,
                  timeout: float = 180, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m core.cli ARGS` with BRUSHWORK_HOME=home (else the test's own, from the environment).

    `env` adds or overrides variables (e.g. BRUSHWORK_CHROMIUM to stand for a missing browser).
    """
    env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    if home is not None:
        env["BRUSHWORK_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True, text=True,
                          cwd=REPO, env=env, input=stdin, timeout=timeout)
