"""The studio's panes: Library, Editor, Rate, Rubric, Train, Prompts."""
