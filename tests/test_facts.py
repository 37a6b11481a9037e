"""The facts code needs about each record type come from x-mdmentor keywords in its schema."""

from __future__ import annotations

from mdmentor.records.facts import facts, record_specs
from mdmentor.records.model import RECORD_TYPES, TYPE_ALIASES


def test_record_types_come_from_the_schemas() -> None:
    assert {s.name: (s.folder, s.id_prefix) for s in record_specs()} == {
        "agreement": ("agreement", "AG"),
        "competency_assessment": ("competencies", "C"),
        "disposal": ("disposals", "D"),
        "employment": ("employment", "E"),
        "evaluation": ("evaluations", "EV"),
        "feedback": ("feedback", "F"),
        "goal": ("goals", "G"),
        "information_sharing": ("information-sharing", "IS"),
        "issue": ("issues", "I"),
        "missed_session": ("missed-sessions", "MS"),
        "needs_assessment": ("needs", "NA"),
        "referral": ("referrals", "RF"),
        "reflection": ("reflections", "R"),
        "review": ("reviews", "RV"),
        "session": ("sessions", "S"),
    }
    assert RECORD_TYPES["session"].by_year and not RECORD_TYPES["goal"].dated
    assert TYPE_ALIASES["needs"] == "needs_assessment"
    assert TYPE_ALIASES["competency"] == "competency_assessment"


def test_references_item_keys_and_author_of_a_session_and_a_review() -> None:
    session = facts("session")
    assert set(session.references) == {
        ("attendees.*", "person"),
        ("goals.*", "goal"),
        ("actions.*.owner", "person"),
        ("actions.*.goal", "goal"),
        ("actions.*.carried_from", "action"),
        ("actions_reviewed.*.action", "action"),
        ("agreed_by.*.person", "person"),
    }
    assert session.item_key(("actions",)) == "id"
    assert session.item_key(("actions", 3, "text")) is None
    assert session.author is None
    review = facts("review")
    assert review.item_key(("evaluations",)) == "goal"
    assert review.item_key(("agreed_by",)) == "person"  # from the shared definition
    assert ("agreed_by.*.person", "person") in review.references


def test_kinds_roles_and_authors() -> None:
    reflection = facts("reflection")
    assert reflection.author == "author"
    assert [k.name for k in reflection.kinds] == ["mentee-reflection", "reflective-log"]
    log = reflection.kind("reflective-log")
    assert log is not None and log.author_role == "mentor" and log.id_suffix == "mentor"
    assert log.access == "reflective_log" and log.author_only
    mentee = reflection.kind("mentee-reflection")
    assert mentee is not None and mentee.access is None and not mentee.author_only
    feedback = facts("feedback")
    assert feedback.author == "from"
    found = feedback.kind("360")
    assert found is not None and found.name == "360-degree"
    assert facts("agreement").roles == {
        "mentor": "mentor",
        "mentee": "mentee",
        "supervisor": "supervisor",
        "mentor_supervisor": "mentor_supervisor",
    }
    assert facts("competency_assessment").kind_field == "point"
    assert facts("no-such-type").references == ()


def test_the_kinds_only_their_author_reads_come_from_the_schemas() -> None:
    from mdmentor.privacy.policy import access_kind, author_only_kinds

    assert author_only_kinds() == {"reflective_log"}
    assert access_kind("reflection", {"kind": "reflective-log"}) == "reflective_log"
    assert access_kind("reflection", {"kind": "mentee-reflection"}) == "reflection"
    assert access_kind("reflection", {"kind": "mentor"}) == "reflection"  # names, not suffixes
