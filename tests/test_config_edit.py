"""Keys are added to and taken from mdmentor.yaml as text: every other byte stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdmentor.errors import UsageError
from mdmentor.records.journal import add_person_key, remove_person_key

OLD, NEW = "age1" + "x" * 58, "age1" + "n" * 58

FLOW = f"""\
mdmentor: 1
title: Test  # the journal's title
people:
  - {{id: mentor, name: Ann Example, role: mentor}}
  - {{id: mentee, name: Ben Sample, role: mentee, keys: [{OLD}]}}  # Ben's laptop
"""

BLOCK = f"""\
mdmentor: 1
title: Test
people:
  - id: mentor
    name: Ann Example  # Ann

    role: mentor
  - id: mentee
    name: Ben Sample
    role: mentee
    keys:
      - {OLD}
# the end
"""


def test_a_key_joins_a_one_line_entry_and_a_block_entry(tmp_path: Path) -> None:
    (tmp_path / "mdmentor.yaml").write_text(FLOW)
    assert add_person_key(tmp_path, "mentee", NEW)
    assert add_person_key(tmp_path, "mentor", NEW.replace("n", "m"))
    assert (tmp_path / "mdmentor.yaml").read_text() == FLOW.replace(
        f"keys: [{OLD}]", f"keys: [{OLD}, {NEW}]"
    ).replace("role: mentor}", f"role: mentor, keys: [{NEW.replace('n', 'm')}]}}")
    assert not add_person_key(tmp_path, "mentee", NEW)  # already there: nothing changes


def test_a_block_list_becomes_one_line_and_the_rest_stays(tmp_path: Path) -> None:
    (tmp_path / "mdmentor.yaml").write_text(BLOCK)
    assert add_person_key(tmp_path, "mentor", NEW)
    assert add_person_key(tmp_path, "mentee", NEW)
    assert remove_person_key(tmp_path, "mentee", OLD)
    assert (tmp_path / "mdmentor.yaml").read_text() == BLOCK.replace(
        "    role: mentor\n", f"    role: mentor\n    keys: [{NEW}]\n"
    ).replace(f"    keys:\n      - {OLD}\n", f"    keys: [{NEW}]\n")


def test_an_unknown_person_lists_the_people(tmp_path: Path) -> None:
    (tmp_path / "mdmentor.yaml").write_text(FLOW)
    with pytest.raises(
        UsageError, match=r"no person .dan. in mdmentor\.yaml; the people are: mentor, mentee"
    ):
        add_person_key(tmp_path, "dan", NEW)
