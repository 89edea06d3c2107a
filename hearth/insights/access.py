"""Who may see which outcome results, and the two consent kinds insights registers.

- A member always sees their own answers and scores.
- Staff (``Perm.VIEW_OUTCOMES``) see a member's results only when that member
  chose "me and the peer workers and counsellors" for ``insights.outcomes``;
  every such read is audited. To everyone else the page is a 404.
- The dashboard and the research export never show one person's results; the
  export contains only members who chose "yes" for ``insights.research``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from hearth.insights.models import OutcomeResponse
from hearth.members import consent, policy
from hearth.members.models import Member
from hearth.members.policy import Perm

# The default is the shared NOBODY audience ("Nobody"): every kind starts at the narrowest choice.
NOT_TAKING_PART = consent.NOBODY
ONLY_ME = consent.Audience("only_me", "Yes, and only I see my answers")
WITH_STAFF = consent.Audience("staff", "Yes, and the peer workers and counsellors can see my answers too")
TAKING_PART = frozenset({ONLY_ME.key, WITH_STAFF.key})


def _outcomes_changed(member: Member, audience: consent.Audience) -> None:
    from hearth.insights.actions import on_outcomes_consent_changed

    on_outcomes_consent_changed(member, audience)


OUTCOMES = consent.register(
    consent.ConsentKind(
        "insights.outcomes",
        "Wellbeing questionnaires",
        "'Nobody' means you won't be asked. Short questionnaires about mood (PHQ-9), worry (GAD-7) and loneliness, offered when you say yes and "
        "then every few weeks, so you (and, if you choose, the team) can see how things change. You can always "
        "say 'not now'. Choosing 'No' stops them and deletes your answers. If an answer suggests you might not "
        "be safe, someone from the team will be asked to reach out, whichever you choose.",
        (NOT_TAKING_PART, ONLY_ME, WITH_STAFF),
        on_change=_outcomes_changed,
    )
)

NO_RESEARCH = consent.NOBODY
RESEARCH_YES = consent.Audience("research", "Yes, without my name or anything I wrote")
RESEARCH = consent.register(
    consent.ConsentKind(
        "insights.research",
        "Research about peer support",
        "'Nobody' means you are never included. Whether your questionnaire scores and how you take part here (counts, never what you wrote) can be "
        "included, with your name, email and anything you wrote removed and dates moved, in data the "
        "organisation shares with researchers studying whether peer support helps.",
        (NO_RESEARCH, RESEARCH_YES),
    )
)


def takes_part(member: Member) -> bool:
    return consent.audience_for(member, OUTCOMES.key).key in TAKING_PART


def access_member_outcomes(viewer: Any, member_id: int) -> tuple[Member, QuerySet[OutcomeResponse]]:
    """A member's outcome results for ``viewer``: themselves, or staff the member allowed. Else 404."""
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    if member is None or not getattr(viewer, "is_authenticated", False):
        raise Http404
    if viewer.pk != member.pk:
        allowed = policy.can(viewer, Perm.VIEW_OUTCOMES) and (
            consent.audience_for(member, OUTCOMES.key).key == WITH_STAFF.key
        )
        if not allowed:
            raise Http404
    return member, OutcomeResponse.objects.filter(member=member).order_by("created_at", "pk")


def research_members() -> QuerySet[Member]:
    """Members who said yes to research (the only people the research export may contain)."""
    from hearth.members.models import Consent

    return Member.objects.filter(
        is_active=True,
        pk__in=Consent.objects.filter(kind=RESEARCH.key, audience=RESEARCH_YES.key).values("member_id"),
    )
