"""Reads of the self-assessment, only through here.

- The current questionnaire and the scope are for everyone signed in (the scope page is public).
- An assessment's routing result is for the member it's about; its *answers* are for them and,
  through the audited :func:`hearth.intake.actions.do_read_answers`, for staff with
  ``Perm.READ_INTAKE_ANSWERS``. Everyone else gets a 404.
- A group's requirement is for its hosts and staff to set; whether a person meets it
  is all they see.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from hearth.community.access import access_group, directory_groups, membership_of, search_groups
from hearth.community.models import Group
from hearth.intake.models import Assessment, GroupRequirement, QuestionnaireVersion
from hearth.members import policy
from hearth.members.policy import Perm


def current_version() -> QuestionnaireVersion:
    """The questionnaire members answer now: the highest version (the data migration publishes version 1)."""
    version = QuestionnaireVersion.objects.order_by("-number").first()
    if version is None:  # only if someone deleted every version by hand
        from hearth.intake.actions import publish_default_version

        version = publish_default_version()
    return version


def latest_assessment(member: Any) -> Assessment | None:
    if not getattr(member, "is_authenticated", False):
        return None
    return Assessment.objects.filter(member=member).select_related("version").first()


def access_own_assessment(member: Any, assessment_id: int) -> Assessment:
    """The member's own assessment; anyone else's is "not found"."""
    assessment = Assessment.objects.filter(pk=assessment_id, member=member).select_related("version").first()
    if assessment is None:
        raise Http404
    return assessment


def access_assessment_for_staff(viewer: Any, assessment_id: int) -> Assessment:
    """Any assessment, for staff who may read answers (reading them is still a separate, audited step)."""
    if not policy.can(viewer, Perm.READ_INTAKE_ANSWERS):
        raise Http404
    assessment = Assessment.objects.filter(pk=assessment_id).select_related("version", "member").first()
    if assessment is None:
        raise Http404
    return assessment


def assessments_for_staff(viewer: Any) -> QuerySet[Assessment]:
    if not policy.can(viewer, Perm.READ_INTAKE_ANSWERS):
        raise Http404
    return Assessment.objects.filter(member__is_active=True).select_related("member", "version")


def access_version(viewer: Any, number: int) -> QuestionnaireVersion:
    """A past or current version, for the people who edit or read against it."""
    if not (policy.can(viewer, Perm.EDIT_QUESTIONNAIRE) or policy.can(viewer, Perm.READ_INTAKE_ANSWERS)):
        raise Http404
    version = QuestionnaireVersion.objects.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def can_set_requirement(viewer: Any, group: Group) -> bool:
    if policy.can(viewer, Perm.SET_GROUP_REQUIREMENTS):
        return True
    membership = membership_of(viewer, group)
    return membership is not None and membership.is_host


def access_group_requirement(viewer: Any, group_id: int) -> tuple[Group, GroupRequirement]:
    """The group and its requirement (unsaved default if none) for its hosts and staff; 404 otherwise."""
    group, _ = access_group(viewer, group_id)
    if not can_set_requirement(viewer, group):
        raise Http404
    requirement = GroupRequirement.objects.filter(group=group).first() or GroupRequirement(group=group)
    return group, requirement


SUGGESTED_GROUPS = 4


def suggested_groups(member: Any, tags: list[str]) -> list[Group]:
    """Groups the member could see and hasn't joined, matching their self-assessment's tags first."""
    groups = directory_groups(member)
    found: dict[int, Group] = {}
    for tag in tags:
        for group in search_groups(groups, tag=tag)[:SUGGESTED_GROUPS]:
            found.setdefault(group.pk, group)
    if len(found) < SUGGESTED_GROUPS:
        for group in groups.order_by("name")[: SUGGESTED_GROUPS * 2]:
            found.setdefault(group.pk, group)
    picked = [g for g in found.values() if membership_of(member, g) is None]
    return picked[:SUGGESTED_GROUPS]
