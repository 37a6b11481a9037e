"""Markdown to HTML for reports (markdown-it-py), with raw HTML in notes shown as text."""

from __future__ import annotations

import functools
import re
from typing import Any

_HEADING = re.compile(r"^(#{1,6})(?=\s)")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


@functools.cache
def _renderer() -> Any:
    from markdown_it import MarkdownIt

    # "html": False makes a <script> or <img onerror=…> in a note plain, escaped text;
    # markdown-it also refuses javascript: and data: links on its own.
    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def to_html(text: str) -> str:
    """Render Markdown ``text`` as an HTML fragment that can never run a script."""
    return str(_renderer().render(text))


def demote_headings(text: str, levels: int = 2) -> str:
    """Move Markdown headings down ``levels`` (``#`` -> ``###``), leaving code blocks alone,
    so a note's own headings sit under the report's."""
    lines = []
    fenced = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            line = _HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + levels), line)
        lines.append(line)
    return "\n".join(lines)
