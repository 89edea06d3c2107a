"""The consent centre: every thing a member can share, and with whom.

Each app registers its kinds here; the consent centre page lists them all, and
:func:`audience_for` is the one way to read a member's choice. The default is
always the narrowest audience ("Nobody").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hearth.members.models import Consent, Member


@dataclass(frozen=True)
class Audience:
    key: str
    label: str


NOBODY = Audience("nobody", "Nobody")
SUPPORTERS = Audience("supporters", "Volunteers and staff")
MEMBERS = Audience("members", "Everyone here")
# Care cues (hearth.care.cues): narrowest first, and each wider one includes the narrower.
USUAL_SUPPORTER = Audience("usual_supporter", "My usual supporter")
PEER_TEAM = Audience("peer_team", "The peer-work team (and my usual supporter)")


@dataclass(frozen=True)
class ConsentKind:
    key: str
    title: str
    explanation: str
    audiences: tuple[Audience, ...]
    # Called by members.actions.do_set_consent inside its transaction, after the choice is saved:
    # the place an app deletes what it collected when a member withdraws (audience -> the default).
    on_change: Callable[[Member, Audience], None] | None = None

    @property
    def default(self) -> Audience:
        return self.audiences[0]

    def audience(self, key: str) -> Audience | None:
        return next((a for a in self.audiences if a.key == key), None)


_KINDS: dict[str, ConsentKind] = {}


def register(kind: ConsentKind) -> ConsentKind:
    _KINDS[kind.key] = kind
    return kind


def kinds() -> list[ConsentKind]:
    return list(_KINDS.values())


def get_kind(key: str) -> ConsentKind | None:
    return _KINDS.get(key)


def choices_for(member: Member) -> dict[str, Audience]:
    """Every registered kind mapped to the member's chosen audience (one query)."""
    chosen = dict(Consent.objects.filter(member=member).values_list("kind", "audience"))
    return {kind.key: kind.audience(chosen.get(kind.key, "")) or kind.default for kind in kinds()}


def audience_for(member: Member, key: str) -> Audience:
    kind = _KINDS[key]
    row = Consent.objects.filter(member=member, kind=key).values_list("audience", flat=True).first()
    return kind.audience(row or "") or kind.default


PRONOUNS = register(
    ConsentKind(
        "profile.pronouns",
        "Your pronouns",
        "Shown next to your display name.",
        (NOBODY, SUPPORTERS, MEMBERS),
    )
)
AGE_BAND = register(
    ConsentKind(
        "profile.age_band",
        "Your age band",
        "Used to match you with supporters if you ask for that. Shown on your profile only if you choose.",
        (NOBODY, SUPPORTERS, MEMBERS),
    )
)
GENDER = register(
    ConsentKind(
        "profile.gender",
        "Your gender",
        "Used to match you with supporters if you ask for that. Shown on your profile only if you choose.",
        (NOBODY, SUPPORTERS, MEMBERS),
    )
)
