"""Where Brushwork keeps things: the data home and the bundled resources."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

REPO_ROOT = Path(__file__).resolve().parent.parent
RESOURCES = REPO_ROOT / "resources"
NODE_MODULES = RESOURCES / "node_modules"
STARTERS = RESOURCES / "starters"


def data_home() -> Path:
    """The data directory: $BRUSHWORK_HOME, else the platform's user data dir. Created on demand."""
    env = os.environ.get("BRUSHWORK_HOME")
    home = Path(env).expanduser() if env else Path(platformdirs.user_data_dir("brushwork", appauthor=False))
    home.mkdir(parents=True, exist_ok=True)
    return home


def p5_js() -> Path:
    """Path of the pinned p5 build (global mode UMD)."""
    return NODE_MODULES / "p5" / "lib" / "p5.min.js"


def p5_brush_js() -> Path:
    """Path of the pinned p5.brush build for p5 (UMD global `brush`)."""
    return NODE_MODULES / "p5.brush" / "dist" / "p5.brush.js"
