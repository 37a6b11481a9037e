"""Markdown to HTML for reports (markdown-it-py), with raw HTML in notes shown as text.

A report of a large journal holds tables of tens of thousands of rows (every action),
and markdown-it builds a token per cell before it writes any: most of the time and memory
of an HTML report went there. So tables that stand on their own (a blank line before and
after, every row starting with ``|``) are written here, cell by cell, with markdown-it's
own cell splitting; a cell with nothing for Markdown to do is escaped, any other is
rendered by markdown-it. The result is the HTML markdown-it would write, which the tests
check on many tables. Everything else, notes included, goes through markdown-it.
"""

from __future__ import annotations

import functools
import re
import secrets
from typing import Any

_HEADING = re.compile(r"^(#{1,6})(?=\s)")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
#: A code fence at the top level: its marker, and (opening it) what follows the marker.
_CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
#: A link reference definition: a document with one keeps its tables for markdown-it,
#: since a cell rendered on its own would not know the reference.
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:", re.MULTILINE)
_DELIMITER = re.compile(r"^:?-+:?$")
#: Characters that can make Markdown of a cell: a cell without any is only escaped.
_MARKDOWN = frozenset("\\`*_[]<>&!~")


@functools.cache
def _renderer() -> Any:
    from markdown_it import MarkdownIt

    # "html": False makes a <script> or <img onerror=…> in a note plain, escaped text;
    # markdown-it also refuses javascript: and data: links on its own.
    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def to_html(text: str) -> str:
    """Render Markdown ``text`` as an HTML fragment that can never run a script."""
    if _REFERENCE.search(text):
        return str(_renderer().render(text))
    mark = f"mdmentortable{secrets.token_hex(8)}x"
    text, tables = _lift_tables(text, mark)
    html = str(_renderer().render(text))
    for number, table in enumerate(tables):
        html = html.replace(f"<p>{mark}{number}</p>\n", table, 1)
    return html


def _lift_tables(text: str, mark: str) -> tuple[str, list[str]]:
    """``text`` with each table that stands on its own replaced by a paragraph of its own,
    ``mark`` and a number, and the HTML of those tables."""
    lines = text.split("\n")
    out: list[str] = []
    tables: list[str] = []
    fence = ""  # the marker of the code block the line is in, if any
    index = 0
    while index < len(lines):
        line = lines[index]
        if found := _CODE_FENCE.match(line):
            marker, rest = found.groups()
            if not fence and not (marker[0] == "`" and "`" in rest):
                fence = marker
            elif fence and marker[0] == fence[0] and len(marker) >= len(fence) and not rest.strip():
                fence = ""
        if not fence and line.startswith("|") and (not out or not out[-1].strip()):
            end = index
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            table = None
            if end == len(lines) or not lines[end].strip():
                table = _table(lines[index:end])
            if table is not None:
                out.append(f"{mark}{len(tables)}")
                tables.append(table)
                index = end
                continue
        out.append(line)
        index += 1
    return "\n".join(out), tables


def _table(rows: list[str]) -> str | None:
    """The HTML markdown-it writes for a table of ``rows``, or None where it would not read
    them as a table (it then gets them itself)."""
    from markdown_it.common.utils import mdTrim
    from markdown_it.rules_block.table import MAX_AUTOCOMPLETED_CELLS, escapedSplit

    if len(rows) < 3 or set(rows[1]) - set("|-: \t"):
        return None
    aligns = []
    delimiters = rows[1].split("|")
    for position, cell in enumerate(delimiters):
        cell = mdTrim(cell)
        if not cell and position in (0, len(delimiters) - 1):
            continue
        if not _DELIMITER.match(cell):
            return None
        right, left = cell.endswith(":"), cell.startswith(":")
        aligns.append(("center" if left else "right") if right else "left" if left else "")
    header = _cells(escapedSplit(mdTrim(rows[0])))
    if not header or len(header) != len(aligns):
        return None
    styles = [f' style="text-align:{a}"' if a else "" for a in aligns]
    html = ["<table>\n<thead>\n<tr>\n"]
    html += [f"<th{s}>{_inline(mdTrim(c))}</th>\n" for s, c in zip(styles, header, strict=True)]
    html.append("</tr>\n</thead>\n<tbody>\n")
    missing = 0
    for row in rows[2:]:
        cells = _cells(escapedSplit(mdTrim(row)))
        missing += len(header) - len(cells)
        if missing > MAX_AUTOCOMPLETED_CELLS:
            return None
        html.append("<tr>\n")
        for column, style in enumerate(styles):
            cell = mdTrim(cells[column]) if column < len(cells) else ""
            html.append(f"<td{style}>{_inline(cell)}</td>\n")
        html.append("</tr>\n")
    html.append("</tbody>\n</table>\n")
    return "".join(html)


def _cells(columns: list[str]) -> list[str]:
    """A row's cells without the empty ones its outer pipes make."""
    if columns and columns[0] == "":
        columns.pop(0)
    if columns and columns[-1] == "":
        columns.pop()
    return columns


def _inline(cell: str) -> str:
    """One cell's HTML: plain text is escaped; anything else markdown-it renders."""
    if _MARKDOWN.isdisjoint(cell):
        return cell.replace('"', "&quot;")
    return str(_renderer().renderInline(cell))


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
