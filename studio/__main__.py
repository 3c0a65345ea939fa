"""`python -m studio` (script `brushwork-studio`): open the studio; `python -m studio bench NAME` runs a GUI benchmark.

The studio has its own entry point so that core (and `brushwork`) never imports Qt.
"""
from __future__ import annotations

import runpy
import sys

from core.bench import BENCH_DIR, GUI_BENCHES


def main(argv: list[str] | None = None) -> int:
    """Run the studio (or `bench NAME ARGS`) and return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:
        return _bench(argv[1:])
    try:
        from studio.app import main as studio_main  # deferred: heavy (playwright, scipy)
    except ImportError as e:
        print(f"brushwork: the studio cannot start: {e}. Run `make setup` to install its packages.", file=sys.stderr)
        return 2
    return studio_main(argv)


def _bench(argv: list[str]) -> int:
    name = (argv[0] if argv else "").replace("-", "_")
    if name not in GUI_BENCHES:
        print(f"brushwork-studio bench: no GUI benchmark {name!r}; have: {', '.join(GUI_BENCHES)}.", file=sys.stderr)
        return 2
    sys.argv = [str(BENCH_DIR / f"{name}_bench.py"), *argv[1:]]
    try:
        runpy.run_path(sys.argv[0], run_name="__main__")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
