"""Reads of the directory and of referrals, only through here.

The directory is for every signed-in member (and its quiet signposts for anyone,
see ``safety:signposts``). A referral is for the member it's about and for staff
who manage referrals; to anyone else it doesn't exist (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from hearth.members import policy
from hearth.members.policy import Perm
from hearth.signposting.models import Referral, Resource, Topic


def directory(topics: list[str] | tuple[str, ...] = ()) -> list[Resource]:
    """Active resources, ours first; with ``topics``, those that help with any of them.

    Filtered in Python: a directory is tens of rows, and JSON containment
    isn't available on every database Hearth runs on.
    """
    resources = list(Resource.objects.filter(active=True))
    if topics:
        wanted = set(topics)
        resources = [r for r in resources if wanted.intersection(r.topics)]
    return resources


def by_topic(resources: list[Resource], topics: list[str] | tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """``[{"key", "title", "resources"}]`` for the topics given (all topics when empty), skipping empty ones."""
    keys = list(topics) or list(Topic.values)
    labels = dict(Topic.choices)
    out = []
    for key in keys:
        matching = [r for r in resources if key in r.topics]
        if matching:
            out.append({"key": key, "title": labels.get(key, key), "resources": matching})
    return out


def access_resource(viewer: Any, resource_id: int, *, for_editing: bool = False) -> Resource:
    """An active resource for members; any resource (including hidden ones) for staff editing."""
    if for_editing:
        policy.require(viewer, Perm.EDIT_DIRECTORY)
        resource = Resource.objects.filter(pk=resource_id).first()
    else:
        resource = Resource.objects.filter(pk=resource_id, active=True).first()
    if resource is None:
        raise Http404
    return resource


def access_referral(viewer: Any, referral_id: int) -> Referral:
    referral = Referral.objects.select_related("resource", "member", "created_by").filter(pk=referral_id).first()
    if referral is None or not (referral.member_id == viewer.pk or policy.can(viewer, Perm.MANAGE_REFERRALS)):
        raise Http404
    return referral


def referrals_of(member: Any) -> QuerySet[Referral]:
    """A member's own referrals, open ones first by follow-up date."""
    return Referral.objects.filter(member=member).select_related("resource").order_by("closed_at", "follow_up_on")
