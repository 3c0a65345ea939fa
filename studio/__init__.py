"""Brushwork studio: the PySide6 + qasync desktop app. Talks to core only through studio.ops."""
