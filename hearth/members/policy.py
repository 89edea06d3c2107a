"""Who may do what: the one place Hearth answers that question.

Views, actions, templates (``{% if user|can:"core.view_audit" %}``) and
consumers ask :func:`can` or :func:`require`; nothing else compares roles.
Add a permission by adding a line to ``RULES``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied

from hearth.members.models import Role

STAFF = frozenset({Role.PEER_WORKER, Role.COUNSELLOR, Role.COORDINATOR})
SUPPORTERS = STAFF | {Role.VOLUNTEER}
EVERYONE = frozenset(Role)


class Perm(StrEnum):
    INVITE = "members.invite"
    VIEW_MEMBER_LIST = "members.view_list"
    VIEW_CONTACT_DETAILS = "members.view_contact_details"
    MANAGE_ROLES = "members.manage_roles"
    VIEW_AUDIT_LOG = "core.view_audit_log"
    MANAGE_ORGANISATION = "core.manage_organisation"
    START_GROUP = "community.start_group"
    REVIEW_GROUP_PROPOSALS = "community.review_group_proposals"
    VIEW_GROUP_COVERAGE = "community.view_group_coverage"
    COVER_GROUPS = "community.cover_groups"
    MODERATE_CHAT = "chat.moderate"
    RUN_GATHERINGS = "chat.run_gatherings"
    EDIT_PROMPTS = "chat.edit_prompts"
    VIEW_SESSION_NOTES = "chat.view_session_notes"
    REVIEW_CONVERSATIONS = "chat.review_conversations"
    OFFER_SLOTS = "chat.offer_slots"
    PHONE_MEMBERS = "chat.phone_members"
    PAIR_BUDDIES = "chat.pair_buddies"
    TAKE_SHIFTS = "availability.take_shifts"
    MANAGE_ROTA = "availability.manage_rota"
    MANAGE_SUPPORTERS = "availability.manage_supporters"
    WRITE_HANDOVER = "availability.write_handover"
    READ_HANDOVER = "availability.read_handover"
    MODERATE = "safety.moderate"
    HANDLE_CRISIS = "safety.handle_crisis"
    SANCTION = "safety.sanction"
    BAN = "safety.ban"
    DECIDE_APPEALS = "safety.decide_appeals"
    USE_CARE_QUEUE = "care.use_queue"
    VIEW_CARE_QUEUE = "care.view_queue"
    RUN_CHECK_INS = "care.run_check_ins"
    READ_CARE_NOTES = "care.read_notes"
    RAISE_CONCERN = "care.raise_concern"
    READ_INTAKE_ANSWERS = "intake.read_answers"
    EDIT_QUESTIONNAIRE = "intake.edit_questionnaire"
    EDIT_SCOPE = "intake.edit_scope"
    SET_GROUP_REQUIREMENTS = "intake.set_group_requirements"
    EDIT_DIRECTORY = "signposting.edit_directory"
    MANAGE_REFERRALS = "signposting.manage_referrals"
    VIEW_INSIGHTS = "insights.view_dashboard"
    EXPORT_RESEARCH = "insights.export_research"
    VIEW_OUTCOMES = "insights.view_outcomes"
    APPLY_TO_VOLUNTEER = "team.apply"
    MANAGE_PATHWAY = "team.manage_pathway"
    SUPERVISE = "team.supervise"


RULES: dict[Perm, frozenset[str]] = {
    # Anyone here can bring a friend: growth is by word of mouth.
    Perm.INVITE: EVERYONE,
    # Volunteers see who is around so they can pass concerns on, but not contact details.
    Perm.VIEW_MEMBER_LIST: SUPPORTERS,
    # Staff with a need to reach someone; every view is audited.
    Perm.VIEW_CONTACT_DETAILS: STAFF,
    Perm.MANAGE_ROLES: frozenset({Role.COORDINATOR}),
    Perm.VIEW_AUDIT_LOG: frozenset({Role.COORDINATOR}),
    Perm.MANAGE_ORGANISATION: frozenset({Role.COORDINATOR}),
    # Any member may propose a group; supporters can start one without a review.
    Perm.START_GROUP: SUPPORTERS,
    # Approving, declining or asking for changes to a member's group proposal.
    Perm.REVIEW_GROUP_PROPOSALS: frozenset({Role.PEER_WORKER, Role.COORDINATOR}),
    # Which groups have no experienced supporter with energy around lately (group-level rules are in community/access.py).
    Perm.VIEW_GROUP_COVERAGE: STAFF,
    # Who counts as an experienced supporter when a group's coverage is worked out.
    Perm.COVER_GROUPS: SUPPORTERS,
    # Hide a chat message in a room they can read (audited).
    Perm.MODERATE_CHAT: STAFF,
    # Schedule gatherings in groups they belong to (group hosts can too; see chat/actions.py).
    Perm.RUN_GATHERINGS: SUPPORTERS,
    # The organisation's deck of conversation prompts for facilitators.
    Perm.EDIT_PROMPTS: STAFF,
    # Facilitators' notes after a gathering, and its follow-ups.
    Perm.VIEW_SESSION_NOTES: STAFF,
    # Reading a one-to-one they are not in, only once a report or a crisis has opened it, with a reason; audited.
    Perm.REVIEW_CONVERSATIONS: STAFF,
    # Publishing times members can book for a one-to-one (text, phone or video), and recording how it went.
    Perm.OFFER_SLOTS: SUPPORTERS,
    # Phoning a member: their number is shown only to staff, on an audited read, for a call in their own
    # one-to-one. Volunteers talk with members by text and video, never by phone.
    Perm.PHONE_MEMBERS: STAFF,
    # Proposing buddy pairs from the members who asked for one (both must accept).
    Perm.PAIR_BUDDIES: STAFF,
    # Volunteers, peer workers and counsellors (and coordinators) can be on the rota and take talk-now requests.
    Perm.TAKE_SHIFTS: SUPPORTERS,
    # Editing anyone's shifts and seeing coverage gaps.
    Perm.MANAGE_ROTA: frozenset({Role.COORDINATOR}),
    # Everyone's supporter profile (matching values, caps, availability); supporters edit their own.
    Perm.MANAGE_SUPPORTERS: frozenset({Role.COORDINATOR}),
    # Handover notes between shifts (encrypted): anyone on the rota leaves one; staff read them (audited).
    # Volunteers pass things on without reading what others wrote about members.
    Perm.WRITE_HANDOVER: SUPPORTERS,
    Perm.READ_HANDOVER: STAFF,
    # The moderation queue: volunteers help with it, but never see crisis details.
    Perm.MODERATE: SUPPORTERS,
    # Crisis alerts and crisis items: peer workers, counsellors and coordinators only.
    Perm.HANDLE_CRISIS: STAFF,
    # Muting and suspending are staff decisions; banning and deciding appeals are the coordinator's.
    Perm.SANCTION: STAFF,
    Perm.BAN: frozenset({Role.COORDINATOR}),
    Perm.DECIDE_APPEALS: frozenset({Role.COORDINATOR}),
    # The whole care queue: everything members share with "the peer-work team", triage, hand-offs, referrals.
    Perm.USE_CARE_QUEUE: STAFF,
    # The care queue page at all. Volunteers see only "nobody replied" for groups they are in, and what a
    # member shares with them as their usual supporter (hearth/care/queue.py has the item-level rules).
    Perm.VIEW_CARE_QUEUE: SUPPORTERS,
    # Setting up recurring check-ins for a member, planning follow-ups, naming a usual supporter.
    Perm.RUN_CHECK_INS: STAFF,
    # Reading check-in notes (encrypted at rest; every read audited). Volunteers can write them, not read them.
    Perm.READ_CARE_NOTES: STAFF,
    # "I'm worried about someone": anyone may tell the team what they noticed (it reaches staff only).
    Perm.RAISE_CONCERN: EVERYONE,
    # Self-assessment answers: peer workers, counsellors and coordinators; every read is audited.
    Perm.READ_INTAKE_ANSWERS: STAFF,
    # The questions and routing rules, and the plain-words scope of the service: the coordinator's.
    Perm.EDIT_QUESTIONNAIRE: frozenset({Role.COORDINATOR}),
    Perm.EDIT_SCOPE: frozenset({Role.COORDINATOR}),
    # What any group asks before joining (hosts can set their own group's; see intake/access.py).
    Perm.SET_GROUP_REQUIREMENTS: STAFF,
    # The resources directory, and referrals to it for any member (members self-refer where a resource allows).
    Perm.EDIT_DIRECTORY: STAFF,
    Perm.MANAGE_REFERRALS: STAFF,
    # The service dashboard (aggregate figures only, small numbers hidden): the coordinator reports to funders.
    Perm.VIEW_INSIGHTS: frozenset({Role.COORDINATOR}),
    # The de-identified research export (only members who said yes to research; every export audited).
    Perm.EXPORT_RESEARCH: frozenset({Role.COORDINATOR}),
    # A member's questionnaire results, only when that member chose to share them with staff (audited).
    Perm.VIEW_OUTCOMES: STAFF,
    # Members who feel well enough can apply to volunteer (and volunteers to become peer workers).
    Perm.APPLY_TO_VOLUNTEER: EVERYONE,
    # Applications, references and checks (dates and outcomes; every read audited), training records, training
    # modules, and stepping back with a hand-over: the coordinator's.
    Perm.MANAGE_PATHWAY: frozenset({Role.COORDINATOR}),
    # Recording supervision and debriefs for supporters, and seeing who is due one. A supervisor reads the notes
    # they wrote; coordinators read all (audited); a supporter reads their own.
    Perm.SUPERVISE: frozenset({Role.COORDINATOR, Role.COUNSELLOR}),
}


def roles_of(user: Any) -> frozenset[str]:
    """The roles of a signed-in, active person; none for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return frozenset(user.roles)


def can(user: Any, perm: Perm | str) -> bool:
    allowed = RULES[Perm(perm)]
    return not allowed.isdisjoint(roles_of(user))


def roles_with(perm: Perm | str) -> frozenset[str]:
    """The roles that hold ``perm``: for queries over many people ("which supporters were active?")."""
    return RULES[Perm(perm)]


def require(user: Any, perm: Perm | str) -> None:
    if not can(user, perm):
        raise PermissionDenied


def is_staff(user: Any) -> bool:
    """Peer workers, counsellors and coordinators: the people who can require two-factor sign-in."""
    return not STAFF.isdisjoint(roles_of(user))


def is_supporter(user: Any) -> bool:
    return not SUPPORTERS.isdisjoint(roles_of(user))
