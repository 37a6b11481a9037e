"""YAML slips in plain words: each common slip is recognised from the text, with either
of PyYAML's parsers (libyaml's and its own, whose messages differ), at the right spot."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdmentor.errors import ParseError
from mdmentor.records import parsing, yaml_slips
from mdmentor.records.parsing import load_yaml

PARSERS = {"libyaml": parsing._Parser, "pure-python": parsing._PurePythonParser}


@pytest.fixture(params=list(PARSERS))
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(parsing, "_Parser", PARSERS[request.param])
    return str(request.param)


def slip_in(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        load_yaml(text)
    return caught.value


@pytest.mark.parametrize(
    "text, code, line, column, words",
    [
        ("title: 'Tomasz's handover'\n", "yaml-quote", 1, 15, '("Tomasz\'s handover")'),
        ("topics: ['Tomasz's handover', x]\n", "yaml-quote", 1, 17, "('Tomasz''s handover')"),
        ("a:\n  - {text: 'It's', b: 1}\n", "yaml-quote", 2, 15, '("It\'s")'),
        ('title: "The "big" one"\n', "yaml-quote", 1, 13, "('The \"big\" one')"),
        ('note: "Ben" said he\'d try\n', "yaml-quote", 1, 7, "'\"Ben\" said he''d try'"),
        ('title: "Handover\nstatus: active\n', "yaml-unclosed-quote", 1, 8, 'with "'),
        ("title: 'Handover\nnote: it's fine\n", "yaml-unclosed-quote", 1, 8, "with '"),
        ("title: Handover: mornings\n", "yaml-colon", 1, 16, 'title: "Handover: mornings"'),
        ("a:\n  - {id: A1, text: See: x, b: 1}\n", "yaml-colon", 2, 23, 'text: "See: x"'),
        ('title: Re: the "plan"\n', "yaml-colon", 1, 10, "title: 'Re: the \"plan\"'"),
        ("a:\n\t- b\n", "yaml-tab", 2, 1, "indented with a tab"),
        ("a:\n  -\tb\n", "yaml-tab", 2, 4, "use a space"),
        ("a:\n  - b\n  -c\n", "yaml-space", 3, 4, "- c"),
        ("a:\n  - id: A1\n  -id: A2\n", "yaml-space", 3, 4, "- id: A2"),
        ("status:active\nid: G-001\n", "yaml-space", 1, 8, "status: active"),
        ("a:\n  b:2026-01-01\n  c: x\n", "yaml-space", 2, 5, "b: 2026-01-01"),
        ("a:\n  - b\n - c\n", "yaml-indent", 3, 2, "the one on line 2"),
        ("a:\n  - id: A1\n    text: x\n   owner: y\n", "yaml-indent", 4, 4, "'text:' on line 3"),
        ("title: Chair\n  owner: mentee\n", "yaml-indent", 2, 3, "'title:' on line 1"),
        ("a: [1, 2\nb: 3\n", "yaml-bracket", 1, 4, "end it with ]"),
        ("a: {b: 1\nc: 3\n", "yaml-bracket", 1, 4, "end it with }"),
        ("email: @ann\n", "yaml-special", 1, 8, 'email: "@ann"'),
        ("note: `code`\n", "yaml-special", 1, 7, 'note: "`code`"'),
        ("note: - x\n", "yaml-special", 1, 7, 'note: "- x"'),
        ("a: 1\n...\nb: 2\n", "yaml-syntax", 3, 1, "YAML syntax error: "),
    ],
)
def test_a_slip_is_explained_at_its_spot(
    parser: str, text: str, code: str, line: int, column: int, words: str
) -> None:
    slip = slip_in(text)
    assert (slip.code, slip.line, slip.column) == (code, line, column), slip.message
    assert words in slip.message
    assert slip.line_text == text.split("\n")[line - 1]


def test_lines_count_from_the_first_line_of_the_front_matter() -> None:
    with pytest.raises(ParseError) as caught:
        parsing.parse_document("---\ntype: goal\ntitle: Chair\n  owner: mentee\n---\n")
    assert caught.value.line == 4
    assert caught.value.message == (
        "'owner:' does not line up with 'title:' on line 3 above it; "
        "start both with the same number of spaces"
    )


def test_a_control_character_is_named_and_placed(parser: str) -> None:
    slip = slip_in("a: b\nc: d\x01\n")
    assert (slip.code, slip.line, slip.column) == ("bad-character", 2, 5)
    assert "U+0001" in slip.message


def test_anything_else_keeps_the_parsers_words() -> None:
    slip = yaml_slips.explain(
        "a: b\n", problem=None, context=None, parser_words="something odd", first_line=7
    )
    assert slip == yaml_slips.Slip("yaml-syntax", "YAML syntax error: something odd", 0, 0)


YAMLISH = st.text(alphabet=st.sampled_from(list("-:[]{}'\"\n\t #|>@`%*&ab ")), max_size=120)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(YAMLISH)
def test_every_slip_points_into_the_text(text: str) -> None:
    try:
        load_yaml(text)
    except ParseError as err:
        lines = text.split("\n")
        assert err.line is not None and 1 <= err.line <= len(lines)
        if err.column is not None:
            assert err.line_text == lines[err.line - 1]
            assert 1 <= err.column <= len(err.line_text) + 1
