"""The one place Brushwork's version lives: pyproject reads it (setuptools `attr`), so do `--version`,
`doctor`, the desktop metainfo check and the bundle."""
from __future__ import annotations

__version__ = "0.1.0"
