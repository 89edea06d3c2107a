"""Reads of talk-now requests and rota objects, only through here."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from hearth.availability.models import CoverRequest, OpenShift, ShiftPattern, TalkRequest
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


def supporters_query() -> QuerySet[Member]:
    """Everyone who can be on the rota (volunteers and staff), active, by name."""
    return (
        Member.objects.filter(role_grants__role__in=sorted(policy.roles_with(Perm.TAKE_SHIFTS)), is_active=True)
        .distinct()
        .prefetch_related("role_grants")
        .order_by("display_name")
    )


def access_supporter(actor: Member, member_id: int) -> Member:
    """A supporter whose rota or profile ``actor`` may manage (coordinators), or "not found"."""
    if not (policy.can(actor, Perm.MANAGE_SUPPORTERS) or policy.can(actor, Perm.MANAGE_ROTA)):
        raise Http404
    supporter = supporters_query().filter(pk=member_id).first()
    if supporter is None:
        raise Http404
    return supporter


def access_offer(actor: Member, offer_id: int) -> OpenShift:
    """An offered shift, for supporters (who may claim it) and coordinators (who may withdraw it)."""
    if not policy.can(actor, Perm.TAKE_SHIFTS):
        raise Http404
    offer = OpenShift.objects.select_related("offered_by").filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    return offer
