"""The SQLite library: sketches, their lineage, renders and drafts. See store.py."""
import sys

# sqlite-utils imports pandas (2–3 s) only to map DataFrame types we never pass it; hide pandas
# while it loads so every `brushwork` command starts fast. Later `import pandas` works normally.
if "sqlite_utils" not in sys.modules and "pandas" not in sys.modules:
    sys.modules["pandas"] = None  # type: ignore[assignment]  # makes `import pandas` raise ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["pandas"]

from core.store.connect import StoreError  # noqa: E402
from core.store.sources import POOL_SOURCES, SKETCH_SOURCES  # noqa: E402
from core.store.store import SOURCES, Draft, LibraryRow, RenderRecord, Sketch, Store, sketch_from_row  # noqa: E402
from core.store.writer import StoreWriter  # noqa: E402

__all__ = [
    "POOL_SOURCES", "SKETCH_SOURCES", "SOURCES", "Draft", "LibraryRow", "RenderRecord", "Sketch", "Store", "StoreError", "StoreWriter",
    "sketch_from_row",
]
