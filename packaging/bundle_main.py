"""Entry point of the PyInstaller bundle: `brushwork ARGS` runs the CLI, `brushwork -m MODULE ARGS` a module.

Brushwork starts some parts in their own process as `sys.executable -m MODULE` (the studio is
`python -m studio`, so that core never imports Qt). In a bundle `sys.executable` is this program,
so it answers `-m` the way Python would.
"""
from __future__ import annotations

import multiprocessing
import runpy
import sys


def main() -> int:
    """Dispatch `-m MODULE ...` to the module, anything else to `brushwork`'s CLI."""
    argv = sys.argv[1:]
    if len(argv) >= 2 and argv[0] == "-m":
        sys.argv = [sys.argv[0], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        return 0
    from core.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    multiprocessing.freeze_support()  # worker processes re-enter here
    sys.exit(main())
