"""Supporter profiles: what matching reads, with sensible defaults for supporters who have not filled one in."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings

from hearth.availability.models import Gender, SupporterProfile
from hearth.members.models import Member

# Words people use for themselves, folded to a matching value. Anything else (or nothing) is "not said":
# matching never guesses. Keep in step with the copy in migrations/0003_supporter_profiles.py.
_GENDER_WORDS: dict[str, str] = {
    **dict.fromkeys(["woman", "women", "female", "f", "w", "she", "she/her", "lady", "girl"], Gender.WOMAN),
    **dict.fromkeys(["trans woman", "transwoman", "cis woman", "a woman"], Gender.WOMAN),
    **dict.fromkeys(["man", "men", "male", "m", "he", "he/him", "guy", "boy"], Gender.MAN),
    **dict.fromkeys(["trans man", "transman", "cis man", "a man"], Gender.MAN),
    **dict.fromkeys(
        ["non-binary", "nonbinary", "non binary", "nb", "enby", "genderqueer", "agender", "genderfluid", "they/them"],
        Gender.NON_BINARY,
    ),
    **dict.fromkeys(["a non-binary person", "non-binary person"], Gender.NON_BINARY),
}


def gender_from_words(words: str) -> str:
    """The matching value for a person's own words about their gender, or "" when it isn't clear."""
    folded = re.sub(r"\s+", " ", words.strip().lower())
    return _GENDER_WORDS.get(folded, Gender.UNSAID)


def normalise_tags(tags: Iterable[str]) -> list[str]:
    """Tags as people wrote them, trimmed, without repeats (case-insensitively), at most 40 characters each."""
    seen: dict[str, str] = {}
    for tag in tags:
        clean = re.sub(r"\s+", " ", str(tag)).strip()[:40]
        if clean and clean.lower() not in seen:
            seen[clean.lower()] = clean
    return list(seen.values())


def profile_for(member: Member) -> SupporterProfile:
    """The supporter's profile, or an unsaved one built from what their member profile says.

    A supporter who never filled in a profile is matched on their own age band and gender words (folded
    by :func:`gender_from_words`), can take every mode and has the organisation's default cap.
    """
    existing = SupporterProfile.objects.filter(member=member).first()
    return existing or default_profile(member)


def default_profile(member: Member) -> SupporterProfile:
    return SupporterProfile(
        member=member,
        gender=gender_from_words(member.gender),
        age_band=member.age_band,
        max_open_conversations=settings.HEARTH_MAX_OPEN_CONVERSATIONS,
    )


def known_experience_tags() -> list[str]:
    """Every experience tag some supporter has, for members to choose from (sorted, one spelling each)."""
    tags: list[str] = []
    for experience in SupporterProfile.objects.values_list("experience", flat=True):
        tags.extend(experience or [])
    return sorted(normalise_tags(tags), key=str.lower)
