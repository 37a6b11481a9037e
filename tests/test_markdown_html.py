"""Markdown to HTML: tables written directly are exactly what markdown-it writes, and a
report of a large journal renders in time proportional to its size."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from mdmentor.reporting.markdown_html import _renderer, to_html


def markdown_it(text: str) -> str:
    return str(_renderer().render(text))


CELL = st.text(
    alphabet=st.sampled_from(list("abc xyz019|\\`*_[]<>&!~\"'-:#")), min_size=0, max_size=12
)


@st.composite
def tables(draw: st.DrawFn) -> str:
    """A pipe table, sometimes malformed: uneven rows, odd delimiters, escaped pipes."""
    columns = draw(st.integers(1, 4))
    header = "| " + " | ".join(draw(CELL) for _ in range(columns)) + " |"
    delimiter = "|" + "|".join(
        draw(st.sampled_from(["---", ":--", "--:", ":-:", " - ", "", "x"])) for _ in range(columns)
    )
    delimiter += draw(st.sampled_from(["|", ""]))
    rows = [
        "|"
        + "|".join(draw(CELL) for _ in range(draw(st.integers(0, columns + 1))))
        + draw(st.sampled_from(["|", ""]))
        for _ in range(draw(st.integers(0, 4)))
    ]
    return "\n".join([header, delimiter, *rows])


@settings(max_examples=300, deadline=None)
@given(
    before=st.sampled_from(["", "Intro.\n\n", "Intro.\n", "```\n", "~~~~\n\n", "> quote\n\n"]),
    table=tables(),
    after=st.sampled_from(["", "\n", "\n\nAfter.", "\nlazy line", "\n```", "\n\n| b |"]),
)
def test_tables_are_written_as_markdown_it_writes_them(before: str, table: str, after: str) -> None:
    text = before + table + after
    assert to_html(text) == markdown_it(text)


def test_a_report_table_with_markdown_in_its_cells() -> None:
    text = (
        "# Actions\n\n| action | status | what |\n|---|---|---|\n"
        "| S-1/A1 | **OVERDUE** | Read <script>alert(1)</script> & `code` \\| pipe |\n"
        '| S-1/A2 | done | Say "hello" to [a link](javascript:alert(1)) |\n\nAfter.\n'
    )
    html = to_html(text)
    assert html == markdown_it(text)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_a_document_with_link_references_is_left_to_markdown_it() -> None:
    text = "| a |\n|---|\n| [x][ref] |\n\n[ref]: https://example.org\n"
    assert to_html(text) == markdown_it(text)
    assert 'href="https://example.org"' in to_html(text)


def test_a_table_of_many_rows_renders_in_linear_time() -> None:
    def seconds(rows: int) -> float:
        text = "| a | b | c |\n|---|---|---|\n" + "".join(
            f"| S-{n}/A1 | open | Follow up on item {n} |\n" for n in range(rows)
        )
        start = time.perf_counter()
        to_html(text)
        return time.perf_counter() - start

    small, large = seconds(5_000), seconds(50_000)
    assert large < 10 * small * 2  # ten times the rows: well under twenty times the time
