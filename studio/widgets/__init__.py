"""Reusable widgets: code editor, syntax highlighter, image view, lineage history."""
