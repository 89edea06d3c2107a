"""Reads of talk-now requests and rota objects, only through here."""

from __future__ import annotations

from django.http import Http404

from hearth.availability.models import CoverRequest, ShiftPattern, TalkRequest
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm


def access_own_request(member: Member, request_id: int) -> TalkRequest:
    """A member's own request; anyone else's is "not found" (members never see each other's)."""
    request = TalkRequest.objects.filter(pk=request_id, member=member).first()
    if request is None:
        raise Http404
    return request


def access_pattern(actor: Member, pattern_id: int) -> ShiftPattern:
    pattern = ShiftPattern.objects.select_related("supporter").filter(pk=pattern_id).first()
    if pattern is None or (pattern.supporter_id != actor.pk and not policy.can(actor, Perm.MANAGE_ROTA)):
        raise Http404
    return pattern


def access_cover_request(actor: Member, cover_id: int) -> CoverRequest:
    if not policy.can(actor, Perm.TAKE_SHIFTS):
        raise Http404
    cover = CoverRequest.objects.select_related("pattern__supporter").filter(pk=cover_id).first()
    if cover is None:
        raise Http404
    return cover
