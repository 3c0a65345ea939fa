"""The SQLite library: sketches, their lineage, renders and drafts. See store.py."""
from core.store.store import RenderRecord, Sketch, Store, StoreError

__all__ = ["RenderRecord", "Sketch", "Store", "StoreError"]
