"""The stable code of every kind of problem ``check`` reports.

Messages are written for people and may be reworded; a code never changes, so an editor
plugin or a script can act on a problem without matching its English. ``PROBLEM_CODES``
is the list to publish (the README's table, the enum in ``check-output.schema.json``).
"""

from __future__ import annotations

from typing import Literal

Code = Literal[
    # the file itself
    "not-utf8",
    "line-ends",
    "bad-character",
    "too-large",
    "symlink",
    "not-a-file",
    "unreadable",
    # the front matter's frame
    "empty-file",
    "no-front-matter",
    "unclosed-front-matter",
    "empty-front-matter",
    "not-fields",
    "conflict-marker",
    # YAML slips
    "yaml-tab",
    "yaml-quote",
    "yaml-unclosed-quote",
    "yaml-colon",
    "yaml-space",
    "yaml-indent",
    "yaml-bracket",
    "yaml-special",
    "yaml-syntax",
    "yaml-anchor",
    "yaml-tag",
    "too-deep",
    "bad-field-name",
    "duplicate-field",
    # one record against its schema
    "wrong-folder",
    "unknown-field",
    "missing-field",
    "wrong-type",
    "not-allowed",
    "date-format",
    "not-a-date",
    "time-format",
    "wrong-format",
    "empty",
    "duplicate-entry",
    "out-of-range",
    "invalid-value",
    "placeholder",
    # records against each other
    "duplicate-id",
    "missing-reference",
    "person-name",
    "wrong-role",
    "id-mismatch",
    "date-order",
    "status-mismatch",
    "not-agreed",
    # sharing and privacy
    "merge-conflict",
    "shared-key",
    "key-changed",
    "not-accepted",
    "should-be-encrypted",
    "stale-encryption",
]

#: Every code with what it means, in the order to publish them.
PROBLEM_CODES: dict[Code, str] = {
    "not-utf8": "The file is not UTF-8 text.",
    "line-ends": "The file has old Mac line ends (a carriage return on its own).",
    "bad-character": "The text holds a control character that a text file should not.",
    "too-large": "The file is larger than a record may be (`settings.max_record_bytes`).",
    "symlink": "The file, or a folder on the way to it, is a symbolic link.",
    "not-a-file": "The path is a folder, device or pipe, not a file.",
    "unreadable": "The file or folder cannot be read (permissions, or outside the journal).",
    "empty-file": "The file is empty.",
    "no-front-matter": "The file does not start with a `---` line.",
    "unclosed-front-matter": "The front matter is never closed with a `---` line.",
    "empty-front-matter": "There is nothing between the `---` lines.",
    "not-fields": "The front matter (or mdmentor.yaml) is not a set of `key: value` fields.",
    "conflict-marker": "Git's conflict markers (`<<<<<<<` ... `>>>>>>>`) are left in the file.",
    "yaml-tab": "A tab is used to indent a line; YAML needs spaces.",
    "yaml-quote": "A quote mark inside quoted text ends it early, or a quoted word starts a "
    "longer text.",
    "yaml-unclosed-quote": "A quoted text is never closed on its line.",
    "yaml-colon": "A colon and a space inside a value make it look like a field.",
    "yaml-space": "A space is missing after `-` (a list item) or `:` (a field).",
    "yaml-indent": "A line does not line up with the lines around it.",
    "yaml-bracket": "A `[` list or `{` set of fields is never closed.",
    "yaml-special": "A value starts with a character YAML reserves (`@`, `` ` ``, `%`, `*`, ...).",
    "yaml-syntax": "Any other YAML syntax error, in the parser's words.",
    "yaml-anchor": "A YAML anchor (`&name`) or alias (`*name`), which records may not use.",
    "yaml-tag": "A YAML tag (`!!str`), which records may not use.",
    "too-deep": "Lists and fields nest deeper than a record ever needs.",
    "bad-field-name": "A field name that is not plain text.",
    "duplicate-field": "The same field twice in one place.",
    "wrong-folder": "The record's `type` does not match the folder it is in.",
    "unknown-field": "A field the record type does not have (often a typo).",
    "missing-field": "A field the record needs is not there.",
    "wrong-type": "A value of the wrong kind (text where a list belongs, ...).",
    "not-allowed": "A value that is not one of the allowed values.",
    "date-format": "A date not written YYYY-MM-DD.",
    "not-a-date": "A date written YYYY-MM-DD that is not in the calendar (2026-02-30).",
    "time-format": "A time not written HH:MM (24-hour).",
    "wrong-format": "An id or other value not in the shape it must have.",
    "empty": "A value that must not be empty is.",
    "duplicate-entry": "The same entry (or item id) twice in one list.",
    "out-of-range": "A number outside its allowed range.",
    "invalid-value": "Any other way a value breaks its schema.",
    "placeholder": "A template placeholder (`<like this>`) is not filled in.",
    "duplicate-id": "Two records (or two people) have the same id.",
    "missing-reference": "A reference to a goal, session, action, person or competency that "
    "does not exist.",
    "person-name": "A person's name (or part of it, their email, or their id in capitals) "
    "where their person id belongs.",
    "wrong-role": "A person whose role in mdmentor.yaml does not fit the field.",
    "id-mismatch": "A record's id does not match its date.",
    "date-order": "Dates out of order (done before created, next session before this one, ...).",
    "status-mismatch": "A status that does not fit the rest of the record.",
    "not-agreed": "The agreement is not yet agreed by both mentor and mentee.",
    "merge-conflict": "A merge conflict that sync left for a person to resolve.",
    "shared-key": "One encryption key is listed under two people.",
    "key-changed": "People's keys changed since this clone accepted them.",
    "not-accepted": "The agreement's access and retention rules are not yet accepted here.",
    "should-be-encrypted": "A plain record that the agreement says only some people may read.",
    "stale-encryption": "An encrypted record whose keys are not its readers' keys now "
    "(run `mdmentor rekey`).",
}
