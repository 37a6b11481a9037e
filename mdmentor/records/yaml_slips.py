"""Plain words for YAML slips: what went wrong on the line, and how to put it right.

The people who write records have never seen YAML, and the parser's words describe its
own state ("mapping values are not allowed in this context"), not their text. So each
common slip is recognised from the text around the spot where the parser stopped, never
from the parser's wording (which differs between libyaml and PyYAML's own parser), and
is explained with the fix. Anything not recognised keeps the parser's words.

Lines and columns here count from 0, in the text that was parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mdmentor.records.codes import Code

#: (line, column), counted from 0.
Spot = tuple[int, int]


@dataclass(frozen=True)
class Slip:
    """A YAML mistake explained: what kind it is, what to do, and the spot it is at."""

    code: Code
    message: str
    line: int
    column: int


def explain(
    text: str,
    *,
    problem: Spot | None,
    context: Spot | None,
    parser_words: str,
    first_line: int = 1,
) -> Slip:
    """The slip the parser stopped at (``problem``, ``context``: its marks) in plain words.

    ``first_line`` is the file line of the text's first line, for messages that point at
    another line.
    """
    source = _Source(text.split("\n"), problem, context, first_line)
    for recognise in _RECOGNISERS:
        slip = recognise(source)
        if slip is not None:
            return slip
    line, column = source.clamp(problem or context or (0, 0))
    return Slip("yaml-syntax", f"YAML syntax error: {parser_words}", line, column)


def control_character(text: str, position: int, character: int) -> Slip:
    """A character no text file should hold (a control character), at ``position``."""
    line = text.count("\n", 0, position)
    column = position - (text.rfind("\n", 0, position) + 1)
    return Slip(
        "bad-character",
        f"this line holds a control character (U+{character:04X}) that a text file should "
        "not; delete it (it is often pasted in from another program)",
        line,
        column,
    )


@dataclass(frozen=True)
class _Span:
    """Quoted text: the quote mark, where it opens and where it closes (None: never)."""

    quote: str
    start: Spot
    end: Spot | None


@dataclass
class _Source:
    """The text the parser stopped in, by lines, and the parser's marks in it."""

    lines: list[str]
    problem: Spot | None
    context: Spot | None
    first_line: int

    def clamp(self, spot: Spot) -> Spot:
        """``spot`` moved onto the text (the parser may stop just past its end)."""
        line = min(max(spot[0], 0), len(self.lines) - 1)
        return line, min(max(spot[1], 0), len(self.lines[line]))

    def char_at(self, spot: Spot | None) -> str:
        if spot is None:
            return ""
        line, column = self.clamp(spot)
        return self.lines[line][column : column + 1]

    def spots(self) -> list[Spot]:
        """The parser's marks, the problem first."""
        return [self.clamp(s) for s in (self.problem, self.context) if s is not None]

    def file_line(self, line: int) -> int:
        return line + self.first_line


# -- tabs -------------------------------------------------------------------------------


def _tab(source: _Source) -> Slip | None:
    for line, column in source.spots():
        text = source.lines[line]
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in indent:
            return Slip(
                "yaml-tab",
                "this line is indented with a tab; indent it with spaces instead "
                "(YAML does not allow tabs for lining things up)",
                line,
                indent.index("\t"),
            )
        if text[column : column + 1] == "\t":
            return Slip(
                "yaml-tab",
                "there is a tab here; use a space instead (YAML does not allow tabs here)",
                line,
                column,
            )
    return None


# -- quotes -----------------------------------------------------------------------------

#: What may come just before a quote mark that opens quoted text (after spaces).
_OPENS_AFTER = ("", "-", ":", "?", "[", "{", ",")
_BLOCK_SCALAR = re.compile(r"^(\s*)(?:-\s+)?(?:[^#\s][^#]*?:\s+)?[|>][-+0-9]*\s*(?:#.*)?$")


def _quoted_spans(lines: list[str]) -> list[_Span]:
    """Every quoted text, found as a YAML reader would, closely enough to point at one.

    A quote mark opens quoted text only where a value starts (at the start of a line,
    after ``- ``, ``: ``, ``[``, ``{`` or ``,``); inside plain text it is an apostrophe.
    """
    spans: list[_Span] = []
    open_span: tuple[str, Spot] | None = None
    block_indent: int | None = None  # inside a | or > block: its key's indent
    for number, text in enumerate(lines):
        column = 0
        if open_span is None and block_indent is not None:
            if not text.strip() or _indent(text) > block_indent:
                continue
            block_indent = None
        if open_span is None and _BLOCK_SCALAR.match(text):
            block_indent = _indent(text)
            continue
        before = ""  # the last character outside quotes and spaces, on this line
        while column < len(text):
            char = text[column]
            if open_span is not None:
                quote, start = open_span
                if quote == '"' and char == "\\":
                    column += 2
                    continue
                if char == quote:
                    if quote == "'" and text[column + 1 : column + 2] == "'":
                        column += 2
                        continue
                    spans.append(_Span(quote, start, (number, column)))
                    open_span, before = None, quote
            elif char == "#" and (column == 0 or text[column - 1] in " \t"):
                break  # a comment
            elif char in "'\"" and before in _OPENS_AFTER and _spaced(text, column, before):
                open_span = (char, (number, column))
            elif char not in " \t":
                before = char
            column += 1
    if open_span is not None:
        spans.append(_Span(open_span[0], open_span[1], None))
    return spans


def _spaced(text: str, column: int, before: str) -> bool:
    """``- `` and ``: `` are indicators only when a space follows them."""
    if before not in ("-", ":", "?"):
        return True
    return text[column - 1 : column] in (" ", "\t")


def _closed_early(source: _Source) -> Slip | None:
    """A quote mark inside quoted text, which closed it: more text follows the close."""
    if source.problem is None:
        return None
    line, column = source.clamp(source.problem)
    text = source.lines[line]
    if text[column : column + 1] in ("", ":", ",", "]", "}", "#"):
        return None
    for span in _quoted_spans(source.lines):
        if span.end is None or span.end[0] != line or span.end[1] >= column:
            continue
        if text[span.end[1] + 1 : column].strip():
            continue
        if span.start[0] != line:  # it closed on a later line: the first quote never did
            return _unclosed(span)
        end = _closing_quote(text, span, column)
        if end is None:  # a quoted word starts the text, and more text follows it
            value = _value_from(text, span.start[1])
            return Slip(
                "yaml-quote",
                "this text starts with a word in quotes, so only that word is read; put the "
                f"whole text in quotes: {quoted(value)}",
                *span.start,
            )
        inner = text[span.start[1] + 1 : end]
        if span.quote == "'":
            ways = [f"write the apostrophe twice ({_single_quoted(inner)})"]
            if '"' not in inner and "\\" not in inner:
                ways.insert(0, f'put the text in double quotes instead ("{inner}")')
            message = "an apostrophe inside single quotes ends the text too early; " + (
                ", or ".join(ways)
            )
        else:
            message = (
                "a double quote inside double quotes ends the text too early; "
                f"put the text in single quotes instead ({_single_quoted(inner)})"
            )
        return Slip("yaml-quote", message, line, span.end[1])
    return None


def _closing_quote(text: str, span: _Span, after: int) -> int | None:
    """Where the quoted value the author meant ends: a quote mark after ``after`` that
    ends the value (nothing but a comma, bracket or comment after it)."""
    for end in range(after, len(text)):
        if text[end] == span.quote:
            rest = text[end + 1 :].lstrip()
            if not rest or rest[0] in ",]}#":
                return end
    return None


def _value_from(text: str, start: int) -> str:
    """The value that starts at ``start``: to the end of the line, or of its list item."""
    if any(c in text[:start] for c in "[{"):
        ends = [i for i in (text.find(c, start) for c in ",]}") if i >= 0]
        return text[start : min(ends) if ends else len(text)].strip()
    return _without_comment(text[start:]).strip()


def _never_closed(source: _Source) -> Slip | None:
    """Quoted text still open where the text ends."""
    for span in _quoted_spans(source.lines):
        if span.end is None and source.context == span.start:
            return _unclosed(span)
    return None


def _unclosed(span: _Span) -> Slip:
    return Slip(
        "yaml-unclosed-quote",
        f"this text starts with a quote mark ({span.quote}) that is never closed; "
        f"end the text with {span.quote} on the same line",
        *span.start,
    )


def quoted(text: str) -> str:
    """``text`` written as YAML quoted text, in double quotes where it can be."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return _single_quoted(text)


def _single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# -- brackets ---------------------------------------------------------------------------


def _unclosed_bracket(source: _Source) -> Slip | None:
    if source.context is None or source.problem is None:
        return None
    opening = source.char_at(source.context)
    if opening not in ("[", "{") or source.problem[0] <= source.context[0]:
        return None
    what, closing = ("list", "]") if opening == "[" else ("set of fields", "}")
    return Slip(
        "yaml-bracket",
        f"the {what} that starts with {opening} here is never closed; "
        f"end it with {closing} on the same line",
        *source.clamp(source.context),
    )


# -- missing spaces ---------------------------------------------------------------------

_DASH_WITHOUT_SPACE = re.compile(r"^(\s*)-(?=[^\s-])")
_COLON_WITHOUT_SPACE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*):(?=[^\s:/])")


def _missing_space(source: _Source) -> Slip | None:
    lines = [spot[0] for spot in source.spots()]
    if source.problem is not None and source.problem[0] > 0:
        # "key:value" then "key: value" below it reads as one text, which the parser
        # stops at on the line below
        line = source.clamp(source.problem)[0]
        if _indent(source.lines[line]) == _content_column(source.lines[line - 1]):
            lines.append(line - 1)
    for line in dict.fromkeys(lines):
        text = source.lines[line]
        dash = _DASH_WITHOUT_SPACE.match(text)
        if dash:
            fixed = "- " + text[dash.end() :].strip()
            return Slip(
                "yaml-space",
                f"put a space after the '-' of a list item: {fixed}",
                line,
                dash.end(),
            )
        colon = _COLON_WITHOUT_SPACE.match(text)
        if colon and ": " not in text and not text.rstrip().endswith(":"):
            fixed = f"{colon.group(2)}: {text[colon.end() :].strip()}"
            return Slip(
                "yaml-space", f"put a space after the ':' of a field: {fixed}", line, colon.end()
            )
    return None


# -- a colon in a value -----------------------------------------------------------------

_KEY = re.compile(r"\s*(?:-\s+)?([^\s#'\"\[\]{},:-][^#:\[\]{},]*?):(?:\s+|$)")


def _colon_in_value(source: _Source) -> Slip | None:
    if source.problem is None:
        return None
    line, column = source.clamp(source.problem)
    text = source.lines[line]
    if text[column : column + 1] != ":" or text[column + 1 : column + 2] not in ("", " ", "\t"):
        return None
    flow = max(text.rfind(c, 0, column) for c in "[{,")
    entry_start = flow + 1 if flow >= 0 else 0
    key = _KEY.match(text, entry_start)
    if key is None or key.end() > column:
        return None
    value = _value_from(text, key.end())
    return Slip(
        "yaml-colon",
        "a colon followed by a space makes the text look like a new field; put the whole "
        f"text in double quotes: {key.group(1)}: {quoted(value)}",
        line,
        column,
    )


def _without_comment(text: str) -> str:
    found = re.search(r"\s#", text)
    return text[: found.start()] if found else text


# -- indentation ------------------------------------------------------------------------


#: Lines that hold no field: comments and document markers.
_NOT_ROWS = ("#", "...", "---")


@dataclass(frozen=True)
class _Row:
    """A line of YAML by its shape: where it starts, and the key or dash it holds."""

    number: int
    indent: int
    item: bool
    key: str | None
    key_column: int
    opens_block: bool


_ROW = re.compile(r"^( *)(- +|-$)?(?:([^\s#'\"\[\]{},:-][^#:\[\]{},]*?):(?:\s+|$))?(.*)$")


def _row(number: int, text: str) -> _Row:
    match = _ROW.match(text)
    assert match is not None  # every line matches: each part may be empty
    indent, dash, key, rest = match.groups()
    key_column = len(indent) + len(dash or "")
    opens = (key is not None or dash is not None) and not _without_comment(rest).strip()
    return _Row(number, len(indent), dash is not None, key, key_column, opens)


def _wrong_indent(source: _Source) -> Slip | None:
    if source.problem is None:
        return None
    line = source.clamp(source.problem)[0]
    here = _row(line, source.lines[line])
    if not here.item and here.key is None:
        return None
    above = [
        _row(n, source.lines[n])
        for n in range(line - 1, -1, -1)
        if source.lines[n].strip() and not source.lines[n].lstrip().startswith(_NOT_ROWS)
    ]
    if not above or _fits(here, above):
        return None
    if here.item:
        sibling = next((row for row in above if row.item), None)
        if sibling is None:
            return None
        message = (
            "this list item does not line up with the one on line "
            f"{source.file_line(sibling.number)} above it; start its '-' in the same column"
        )
    else:
        named = next((row for row in above if row.key is not None), None)
        if named is None or named.number != above[0].number:
            message = (
                f"'{here.key}:' does not line up with the lines above it; start it with the "
                "same number of spaces as the fields it belongs with"
            )
        else:
            message = (
                f"'{here.key}:' does not line up with '{named.key}:' on line "
                f"{source.file_line(named.number)} above it; start both with the same "
                "number of spaces"
            )
    return Slip("yaml-indent", message, line, here.indent)


def _fits(here: _Row, above: list[_Row]) -> bool:
    """Whether ``here`` starts where a YAML reader allows after the rows ``above`` (nearest
    first): as the first thing inside the row above, beside it, or beside a row it is in."""
    nearest = above[0]
    if nearest.opens_block:
        if nearest.item and nearest.key is None:  # a '-' alone: anything further in
            first = nearest.indent + 1
        else:  # a list may start level with its field; fields must be further in
            first = nearest.key_column if here.item else nearest.key_column + 1
        if here.indent >= first:
            return True
    leftmost = nearest.key_column + 1
    for row in above:
        if row.indent >= leftmost:
            continue  # inside a row further up: not one ``here`` can be beside
        leftmost = row.indent
        if here.item and row.item and here.indent == row.indent:
            return True
        if not here.item and row.key is not None and here.indent == row.key_column:
            return True
    return False


# -- characters a value cannot start with -----------------------------------------------

_SPECIAL = "@`%|>*&"
#: These start a value only after a field's ':' (after '- ' they make a list or key).
_SPECIAL_AFTER_COLON = "-?"


def _special_start(source: _Source) -> Slip | None:
    for line, column in source.spots():
        text = source.lines[line]
        char = text[column : column + 1]
        before = text[:column].rstrip()
        if not char or char not in _SPECIAL + _SPECIAL_AFTER_COLON:
            continue
        after = (":",) if char in _SPECIAL_AFTER_COLON else (":", "-")
        starts_value = before.endswith(after) and text[column - 1] == " "
        if not starts_value and (before or char in _SPECIAL_AFTER_COLON):
            continue
        value = _without_comment(text[column:]).strip()
        return Slip(
            "yaml-special",
            f"text that starts with {char} must be in double quotes: "
            f"{before + ' ' if before else ''}{quoted(value)}",
            line,
            column,
        )
    return None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _content_column(text: str) -> int:
    """Where a line's field starts: after its indent and any '- '."""
    found = re.match(r"\s*(?:-\s+)?", text)
    return found.end() if found else 0


#: In order: the first that recognises the slip explains it.
_RECOGNISERS = (
    _tab,
    _closed_early,
    _never_closed,
    _unclosed_bracket,
    _missing_space,
    _colon_in_value,
    _special_start,
    _wrong_indent,
)
