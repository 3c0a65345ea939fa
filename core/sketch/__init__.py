"""Sketch tools: extract code from model output, static checks (brush calls, allowlist, structure,
syntax), token counts. No Qt, no browser: cheap enough for the editor and the trainer alike."""
from __future__ import annotations

from core.sketch.allowlist import (
    ALLOWLIST_REASONS,
    DEFAULT_ALLOWLIST,
    AllowlistError,
    allowlist_from_toml,
    allowlist_prompt_block,
    parse_allow,
)
from core.sketch.api import BrushApiError, brush_api, brush_api_kinds, brush_version
from core.sketch.check import BrushCall, CheckReport, check, find_brush_calls, warm_up
from core.sketch.errors import NodeUnavailable, SketchError, UnreadableInput
from core.sketch.extract import Extracted, extract_code
from core.sketch.files import read_sketch_text
from core.sketch.syntax import SyntaxChecker, syntax_error
from core.sketch.tokens import approx_tokens, count_tokens, load_tokenizer

__all__ = [
    "ALLOWLIST_REASONS", "DEFAULT_ALLOWLIST", "AllowlistError", "BrushApiError", "BrushCall", "CheckReport",
    "Extracted", "NodeUnavailable", "SketchError", "SyntaxChecker", "UnreadableInput", "allowlist_from_toml",
    "allowlist_prompt_block", "approx_tokens", "brush_api", "brush_api_kinds", "brush_version", "check",
    "count_tokens", "extract_code", "find_brush_calls", "load_tokenizer", "parse_allow", "read_sketch_text",
    "syntax_error",
    "warm_up",
]
