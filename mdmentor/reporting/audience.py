"""Whom a report is written for, and the records every one of them may read.

A report is shared: a mentor gives the progress report to the mentee and the mentee's
manager, takes the supervision report to their own supervisor. So every report is
written for named people (``report KIND --for PERSON|ROLE``), by default the people of the
mentoring the accepted agreement names (the shared view), and the supervision report by
default for the mentor and the mentor's own supervisor. It holds only the records that every one of
them may read under the terms accepted on this machine (``privacy.policy``), and it says
how many it left out, so a reader knows the report is not the whole journal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from mdmentor.errors import UsageError
from mdmentor.privacy.policy import Access, access_kind
from mdmentor.records.facts import facts
from mdmentor.records.journal import Config, Person
from mdmentor.records.model import RECORD_TYPES, Record
from mdmentor.records.validation import load_schema
from mdmentor.reporting.view import JournalView
from mdmentor.wording import plural

#: How a report names each role after a person's name.
ROLE_WORDS = {
    "mentor": "mentor",
    "mentee": "mentee",
    "supervisor": "supervisor",
    "mentor_supervisor": "the mentor's supervisor",
    "assessor": "assessor",
}

#: The kinds of record each report draws on: those left out are counted at its top.
SOURCES: dict[str, tuple[str, ...]] = {
    "progress": (
        "agreement",
        "needs_assessment",
        "goal",
        "session",
        "reflection",
        "reflective_log",
        "feedback",
        "competency_assessment",
        "review",
        "missed_session",
        "issue",
        "referral",
        "information_sharing",
        "employment",
    ),
    "review": (
        "agreement",
        "needs_assessment",
        "goal",
        "session",
        "review",
        "evaluation",
        "employment",
        "missed_session",
        "issue",
        "referral",
        "information_sharing",
        "feedback",
    ),
    "prep": ("goal", "session", "reflection"),
    "actions": ("goal", "session"),
    "supervision": ("session", "reflective_log"),
}


@dataclass(frozen=True)
class Audience:
    """The people a report is for."""

    people: tuple[Person, ...]

    @property
    def ids(self) -> frozenset[str]:
        """Their person ids."""
        return frozenset(p.id for p in self.people)

    def to_json(self) -> list[dict[str, str]]:
        """Each person's id, name, role, the words for their role, and both together."""
        people = []
        for p in self.people:
            words = ROLE_WORDS.get(p.role, p.role)
            described = f"{p.name} ({words})"
            people.append(
                {
                    "id": p.id,
                    "name": p.name,
                    "role": p.role,
                    "role_words": words,
                    "described": described,
                }
            )
        return people


def roles() -> tuple[str, ...]:
    """Every role a person may have, as the schemas list them."""
    return tuple(load_schema("common")["$defs"]["role"]["enum"])


def chosen(config: Config, wanted: Iterable[str]) -> Audience:
    """The people ``wanted`` names: person ids or roles, each given once or comma-separated."""
    people: list[Person] = []
    for token in (t.strip() for item in wanted for t in item.split(",")):
        if not token:
            continue
        person = config.person(token)
        found = [person] if person is not None else [p for p in config.people if p.role == token]
        if not found:
            raise UsageError(_not_found(config, token))
        people += [p for p in found if p not in people]
    if not people:
        raise UsageError("--for names nobody: give a person id or a role")
    return Audience(tuple(people))


def _not_found(config: Config, token: str) -> str:
    if token in roles():
        return f"nobody in mdmentor.yaml has the role '{token}', so no report can be for them"
    return (
        f"'{token}' is neither a person nor a role in mdmentor.yaml; the people are "
        f"{', '.join(p.id for p in config.people)} and the roles "
        f"{', '.join(sorted({p.role for p in config.people}))}"
    )


def default(kind: str, config: Config, agreement: Record | None) -> Audience:
    """Whom a report of ``kind`` is for unless ``--for`` says: the supervision report is the
    mentor's, for their own supervisor; every other report is for the people of the
    mentoring the agreement names (mentor, mentee, and the mentee's supervisor where it
    names one). The mentor's own supervisor supervises the mentor, not the mentoring: a
    report is for them only when ``--for`` says so."""
    named = _named(config, agreement)
    if kind == "supervision":
        mentor = [p for p in named if p.role == "mentor"] or _with_role(config, "mentor")
        theirs = [p for p in named if p.role == "mentor_supervisor"]
        return Audience(tuple(mentor[:1] + (theirs or _with_role(config, "mentor_supervisor"))))
    mentoring = [p for p in named if p.role != "mentor_supervisor"]
    return Audience(tuple(mentoring or _with_role(config, "mentor") + _with_role(config, "mentee")))


def _named(config: Config, agreement: Record | None) -> list[Person]:
    """The people an agreement names, in the order of its fields."""
    if agreement is None:
        return []
    people: list[Person] = []
    for pid in facts("agreement").parties(agreement.meta):
        person = config.person(pid)
        if person is not None and person not in people:
            people.append(person)
    return people


def _with_role(config: Config, role: str) -> list[Person]:
    return [p for p in config.people if p.role == role]


def readable_by(access: Access, audience: Audience) -> Callable[[Record], bool]:
    """Whether every one of ``audience`` may read a record, under the accepted terms."""

    def keep(record: Record) -> bool:
        readers = access.readers(record.type.name, record.meta)
        return audience.ids <= {p.id for p in readers}

    return keep


def agreement_of(view: JournalView, access: Access) -> Record | None:
    """The agreement whose terms this machine accepted, else the latest one."""
    accepted = access.accepted.agreement if access.accepted else None
    found = view.find(accepted) if accepted else None
    return found if found is not None and found.type.name == "agreement" else view.agreement


def for_report(
    kind: str, view: JournalView, access: Access, wanted: Iterable[str] = ()
) -> JournalView:
    """The view a report of ``kind`` is written from: for the people ``wanted`` names (by
    default ``default``), holding only the records every one of them may read."""
    wanted = list(wanted)
    audience = (
        chosen(view.config, wanted)
        if wanted
        else default(kind, view.config, agreement_of(view, access))
    )
    if not audience.people:
        raise UsageError("mdmentor.yaml names nobody this report could be for")
    return view.restricted(readable_by(access, audience), audience.people)


def describe(kind: str, view: JournalView, access: Access) -> dict[str, Any]:
    """Whom a restricted view is for and what it left out, for the top of a report."""
    sources = SOURCES.get(kind)
    counts = Counter(
        access_kind(r.type.name, r.meta)
        for r in view.withheld
        if sources is None or access_kind(r.type.name, r.meta) in sources
    )
    return {
        "people": Audience(view.audience or ()).to_json(),
        "withheld": [
            {"kind": name, "count": count, "words": _words(name, count)}
            for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ],
        "withheld_total": sum(counts.values()),
        "withheld_by_kind": {**dict.fromkeys(sources or (), 0), **counts},
        "terms_accepted": access.accepted is not None,
    }


def _words(kind: str, count: int) -> str:
    """``3 sessions``, ``1 entry of the mentor's reflective log``."""
    if kind == "reflective_log":
        return f"{count} {'entry' if count == 1 else 'entries'} of the mentor's reflective log"
    if kind in RECORD_TYPES:
        return RECORD_TYPES[kind].count(count)
    return plural(count, kind.replace("_", " "))
