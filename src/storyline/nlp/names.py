"""Which first names are (almost) only women's or only men's.

A pronoun's antecedent must agree with it in gender ("she" is not "John Smith"), but an article often
says nothing about a person's gender but the first name. The US Census Bureau's 1990 lists of first
names by sex (vendored in ``storyline/models/names``, pinned in :mod:`storyline.weights`) give each
name's frequency among women and among men; a name is a woman's when it is :data:`RATIO` times more
frequent among women than among men, a man's the other way round, and unknown otherwise ("Kelly",
"Jean"), when it is rare in the lists (below :data:`MIN_PERCENT`: "Lin", "Li", "Yu" are listed as
rare women's names but open many a man's name written surname first) or when it is not listed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from storyline.weights import verified_path

#: How many times more frequent among one sex a first name must be to count as that sex's.
RATIO = 10.0
#: The least frequency (percent of that sex) of a first name that counts.
MIN_PERCENT = 0.01


def _read(path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].lower()] = float(parts[1])
    return out


@cache
def first_name_genders() -> dict[str, str]:
    """Lower-case first name -> "f" or "m", for the names one sex dominates."""
    women = _read(verified_path("census-female-first"))
    men = _read(verified_path("census-male-first"))
    out: dict[str, str] = {}
    for name in women.keys() | men.keys():
        f, m = women.get(name, 0.0), men.get(name, 0.0)
        if f >= RATIO * m and f >= MIN_PERCENT:
            out[name] = "f"
        elif m >= RATIO * f and m >= MIN_PERCENT:
            out[name] = "m"
    return out


def gender_of(full_name: str) -> str | None:
    """"f", "m" or None for a person's name of two words or more, by its first word ("Mary Smith")."""
    words = full_name.split()
    if len(words) < 2 or not words[0].isalpha():
        return None
    return first_name_genders().get(words[0].lower())
