"""Words for counts and periods, so that one thing is never "1 records" or "1 years"."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 record``, ``2 records``; ``many`` for a word whose plural is not word + s
    (``plural(2, "entry", "entries")``)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def period(years: int = 0, months: int = 0) -> str:
    """``6 years``, ``1 year 6 months``, ``1 month``; ``0 months`` for no time at all."""
    parts = [plural(n, unit) for n, unit in ((years, "year"), (months, "month")) if n]
    return " ".join(parts) or "0 months"


def and_list(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    words = [str(item) for item in items]
    return " and ".join(words) if len(words) < 3 else f"{', '.join(words[:-1])} and {words[-1]}"
