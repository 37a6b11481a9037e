"""Markdown to HTML for reports (markdown-it-py), with raw HTML in notes shown as text."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _renderer() -> Any:
    from markdown_it import MarkdownIt

    # "html": False makes a <script> or <img onerror=…> in a note plain, escaped text;
    # markdown-it also refuses javascript: and data: links on its own.
    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def to_html(text: str) -> str:
    """Render Markdown ``text`` as an HTML fragment that can never run a script."""
    return str(_renderer().render(text))
