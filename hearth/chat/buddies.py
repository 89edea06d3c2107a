"""Buddy matching: pure decisions about who might suit whom (the coordinator chooses; nothing is automatic).

A candidate must also be looking, not already in an open pairing, and not blocked either way (the callers'
queries). Preferences are strict: someone who asked for the same gender or a similar age is only suggested
people who match on what both of them said; nothing unsaid ever counts as a match. Among those, people who
share a way to keep in touch and share more groups come first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Person:
    id: int
    name: str
    gender: str  # a matching value, "" when not said
    age_band: str  # "" when not said
    same_gender: bool
    similar_age: bool
    ways: set[str]
    groups: set[int]
    blocked: set[int] = field(default_factory=set)  # people blocked either way (the callers leave them out)


@dataclass
class Suggestion:
    person: Person
    score: int
    reasons: list[str] = field(default_factory=list)


def _wants_met(a: Person, b: Person) -> bool:
    if a.same_gender and (not a.gender or a.gender != b.gender):
        return False
    return not (a.similar_age and (not a.age_band or a.age_band != b.age_band))


def suits(a: Person, b: Person) -> Suggestion | None:
    """Whether ``b`` could be ``a``'s buddy (both people's wishes met), and why, best first."""
    if a.id == b.id or not (_wants_met(a, b) and _wants_met(b, a)):
        return None
    reasons, score = [], 0
    if a.same_gender or b.same_gender:
        reasons.append("same gender, as asked")
    if a.similar_age or b.similar_age:
        reasons.append("similar age, as asked")
    shared_ways = a.ways & b.ways
    if shared_ways:
        score += 2 * len(shared_ways)
        reasons.append("both happy with " + ", ".join(sorted(shared_ways)))
    shared_groups = len(a.groups & b.groups)
    if shared_groups:
        score += 3 * shared_groups
        reasons.append(f"{shared_groups} group{'s' if shared_groups != 1 else ''} in common")
    return Suggestion(b, score, reasons)


def suggestions(a: Person, others: list[Any], limit: int = 3) -> list[Suggestion]:
    found = [s for b in others if (s := suits(a, b)) is not None]
    found.sort(key=lambda s: (-s.score, s.person.name, s.person.id))
    return found[:limit]
