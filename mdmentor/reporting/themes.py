"""Themes: the words that keep coming back across session topics or development areas.

Topics and development areas are free text, so the same theme is rarely written the same
way twice ("Giving feedback to people who were here before me", "Feedback conversations,
more practice"). A theme is therefore a word, counted once for each record that uses it,
leaving out the small words of English, words that say nothing about what was discussed
("session", "first") and the names of the people in the journal. The most frequent come
first; ties go alphabetically, never by date.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

#: How many themes a report lists.
TOP = 8

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")

_SMALL_WORDS = """
    a about after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing done down during each few
    for from further get gets getting got had has have having he her here hers him his how
    i if in into is it its itself just let me more most much my no nor not now of off on
    once one only or other our ours out over own same she should so some still such than
    that the their them then there these they this those through to too under until up us
    very was we were what when where which while who whom why will with without would you
    your yours
    first second third fourth fifth sixth last next new session sessions mentoring mentor
    mentee time times way ways thing things something lot work working preparing making going
"""

#: Words that never make a theme: English's small words, and words about any mentoring.
STOPWORDS = frozenset(_SMALL_WORDS.split())


def top_words(groups: Iterable[Iterable[str]], ignore: Iterable[str] = ()) -> list[tuple[str, int]]:
    """The words used in more than one of ``groups`` (each a record's items), with how many
    groups use each, most first, at most ``TOP``; ``ignore`` adds words to leave out."""
    skip = STOPWORDS | {w.lower() for w in ignore}
    used = [
        {w for item in items for w in (m.lower() for m in _WORD.findall(item)) if len(w) > 2} - skip
        for items in groups
    ]
    every = set().union(*used)
    counts = Counter(  # "handovers" and "handover" are one theme
        w
        for words in used
        for w in {w[:-1] if w.endswith("s") and w[:-1] in every else w for w in words}
    )
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(word, count) for word, count in ranked if count > 1][:TOP]
