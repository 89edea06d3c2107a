"""Small helpers for tests (imported by test modules only)."""

from __future__ import annotations

import html
import re
from typing import Any


def text(response: Any) -> str:
    """The page as a person reads it: HTML entities decoded, tags kept (for simple ``in`` checks)."""
    return html.unescape(response.content.decode())


def visible_text(response: Any) -> str:
    """The page's words without tags, whitespace collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", text(response), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())
