"""Every change to groups, posts and the ways of taking part goes through here.

``check_*`` functions validate and authorise and raise :class:`ActionError`
with a message that says what to do; ``do_*`` functions change state
atomically, audit the decisions that shape who is in a group or what it sees,
and send live events after commit. Event payloads carry ids and kinds only:
pages fetch what they show through the access-checked views, so an event can
never carry a post, a name or a reaction to someone who may not see it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Literal, overload

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from hearth.community import photos
from hearth.community.access import forget_profile, group_channel, membership_of
from hearth.community.joining import check_can_join
from hearth.community.models import (
    CardType,
    Comment,
    CommunityProfile,
    Energy,
    Group,
    GroupState,
    HiddenGroup,
    JoinPolicy,
    JoinRequest,
    Membership,
    Post,
    PostKind,
    Reaction,
    ReactionKind,
    split_tags,
)
from hearth.core import audit, notifications
from hearth.core.errors import ActionError
from hearth.core.events import member_group, send_event_on_commit
from hearth.core.screening import Screening, screen
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm
from hearth.safety.actions import check_can_write

audit.register(
    {
        "community.group.started": "{actor} started the group {group}",
        "community.group.approved": "{actor} approved the group proposal {group}",
        "community.group.declined": "{actor} declined the group proposal {group}",
        "community.group.changes_asked": "{actor} asked for changes to the group proposal {group}",
        "community.join.approved": "{actor} let {subject} join {group}",
        "community.join.declined": "{actor} said no to {subject} joining {group}",
        "community.host.added": "{actor} made {subject} a host of {group}",
        "community.host.handed_over": "{actor} handed hosting of {group} on to {subject} and stepped down",
        "community.post.pinned": "{actor} pinned a post in {group}",
        "community.post.unpinned": "{actor} unpinned a post in {group}",
    }
)

MAX_BREAK = timedelta(days=90)
_REVIEW_DECISIONS = {
    "approve": (GroupState.ACTIVE, "community.group.approved"),
    "decline": (GroupState.DECLINED, "community.group.declined"),
    "changes": (GroupState.CHANGES, "community.group.changes_asked"),
}
GROUP_FIELDS = (
    "name",
    "purpose",
    "who_for",
    "not_covered",
    "interest_tags",
    "experience_tags",
    "join_policy",
    "listed",
    "premoderated",
)


# --- Notifications -----------------------------------------------------------------

_GROUPS = "Your groups"
notifications.register(notifications.Kind("community.reply", "Replies to your posts", _GROUPS))
notifications.register(notifications.Kind("community.mention", "When someone mentions you", _GROUPS))
notifications.register(notifications.Kind("community.announcement", "Announcements in your groups", _GROUPS))
notifications.register(
    notifications.Kind("community.joining", "Invitations to groups, and answers when you ask to join", _GROUPS)
)
notifications.register(
    notifications.Kind(
        "community.proposal", "Decisions about groups you proposed", _GROUPS, defaults=frozenset({"app", "email"})
    )
)
notifications.register(
    notifications.Kind(
        "community.hosting",
        "Hosting: requests to join your groups, and being asked to host",
        "For hosts and the team",
    )
)
notifications.register(
    notifications.Kind(
        "community.review",
        "New group proposals to review",
        "For hosts and the team",
        applies=lambda m: policy.can(m, Perm.REVIEW_GROUP_PROPOSALS),
    )
)


def _notify(
    recipients: Iterable[Member],
    key: str,
    text: str,
    url: str = "",
    group: Group | None = None,
    *,
    actor: Member | None = None,
) -> None:
    """Tell each recipient through the notifications centre (their choices, breaks and quiet hours apply).

    ``text`` is written for the recipient and must never quote a post.
    """
    notifications.notify(recipients, key, text, url, actor=actor, about=group)


def do_mark_notifications_read(member: Member) -> None:
    notifications.mark_read(member)


def _post_url(post: Post) -> str:
    return reverse("community:post", args=[post.pk])


def _mentioned(group: Group, text: str, author: Member) -> list[Member]:
    """Members of ``group`` named as ``@Display Name`` in ``text`` (never anyone outside it)."""
    if "@" not in text:
        return []
    lowered = text.lower()
    found = []
    for membership in Membership.objects.filter(group=group).exclude(member=author).select_related("member"):
        name = membership.member.display_name.lower()
        if re.search(r"@" + re.escape(name) + r"(?![\w])", lowered):
            found.append(membership.member)
    return found


def _touch(membership: Membership, now: datetime) -> None:
    Membership.objects.filter(pk=membership.pk).update(last_active_at=now)


# --- Energy, quiet mode and personal settings ------------------------------------------


def check_energy(level: str) -> str:
    if level not in Energy.values:
        raise ActionError("Choose low, some or good energy, or 'not saying'.")
    return level


def do_set_energy(member: Member, level: str) -> CommunityProfile:
    """One tap from any page. Low energy turns on quiet mode."""
    check_energy(level)
    with transaction.atomic():
        profile, _ = CommunityProfile.objects.get_or_create(member=member)
        profile.energy = level
        profile.energy_set_at = timezone.now() if level else None
        profile.save(update_fields=["energy", "energy_set_at"])
    forget_profile(member)
    return profile


def do_update_community_settings(member: Member, *, interests: str, muted_words: str) -> CommunityProfile:
    if len(muted_words.splitlines()) > 100:
        raise ActionError("You can mute up to 100 words or phrases. Remove a few, then save again.")
    with transaction.atomic():
        profile, _ = CommunityProfile.objects.get_or_create(member=member)
        profile.interests = ", ".join(split_tags(interests))
        profile.muted_words = "\n".join(" ".join(line.split()) for line in muted_words.splitlines() if line.strip())
        profile.save(update_fields=["interests", "muted_words"])
        if profile.interests:
            profile.screening = screen(
                author=member, text=profile.interests, path="community.profile", object_id=profile.pk
            )
    forget_profile(member)
    return profile


def do_take_break(member: Member, until: datetime | None) -> CommunityProfile:
    """Pause every notification until ``until`` (None ends the break now).

    Notifications made during the break are kept and shown once it ends.
    """
    now = timezone.now()
    if until is not None and until <= now:
        raise ActionError("Choose a time in the future for your break to end.")
    if until is not None and until > now + MAX_BREAK:
        raise ActionError("A break can last up to 90 days. You can always start another one.")
    with transaction.atomic():
        profile, _ = CommunityProfile.objects.get_or_create(member=member)
        profile.break_until = until
        profile.save(update_fields=["break_until"])
    forget_profile(member)
    return profile


def do_hide_group(member: Member, group: Group, hide: bool = True) -> None:
    """Hide a group from the directory and suggestions (or show it again). Hosts and members aren't told."""
    if hide:
        HiddenGroup.objects.get_or_create(member=member, group=group)
    else:
        HiddenGroup.objects.filter(member=member, group=group).delete()


# --- Proposing and reviewing groups --------------------------------------------------


def check_group_fields(fields: dict[str, Any], *, exclude: Group | None = None) -> dict[str, Any]:
    clean = {key: fields[key] for key in GROUP_FIELDS if key in fields}
    clean["name"] = " ".join(str(clean.get("name", "")).split())
    if len(clean["name"]) < 3:
        raise ActionError("Give the group a name of at least 3 characters.")
    if not str(clean.get("purpose", "")).strip():
        raise ActionError("Say in a sentence or two what the group is for.")
    if clean.get("join_policy", JoinPolicy.OPEN) not in JoinPolicy.values:
        raise ActionError("Choose how people join: open, ask to join, or invite only.")
    for key in ("interest_tags", "experience_tags"):
        clean[key] = ", ".join(split_tags(str(clean.get(key, ""))))
    same_name = Group.objects.annotate(lname=Lower("name")).filter(lname=clean["name"].lower())
    if exclude is not None:
        same_name = same_name.exclude(pk=exclude.pk)
    if same_name.exists():
        raise ActionError("There is already a group with that name. Please choose another.")
    return clean


def do_propose_group(member: Member, **fields: Any) -> Group:
    """Any member may propose a group; supporters (``Perm.START_GROUP``) start it straight away as its host."""
    clean = check_group_fields(fields)
    starts_now = policy.can(member, Perm.START_GROUP)
    with transaction.atomic():
        try:
            group = Group.objects.create(
                **clean, proposed_by=member, state=GroupState.ACTIVE if starts_now else GroupState.PROPOSED
            )
        except IntegrityError:
            raise ActionError("There is already a group with that name. Please choose another.") from None
        group.screening = _screen_group(member, group)
        if starts_now:
            Membership.objects.create(group=group, member=member, is_host=True)
            audit.log_action("community.group.started", actor=member, obj=group, data={"group": group.name})
        else:
            _notify(
                _reviewers(exclude=member),
                "community.review",
                f"{member.display_name} proposed a new group: {group.name}",
                reverse("community:review"),
                actor=member,
            )
    return group


def _screen_group(member: Member, group: Group) -> Screening:
    words = [group.name, group.purpose, group.who_for, group.not_covered, group.interest_tags, group.experience_tags]
    return screen(author=member, text=" ".join(filter(None, words)), path="community.group", object_id=group.pk)


def _reviewers(exclude: Member | None = None) -> list[Member]:
    people = Member.objects.filter(
        is_active=True, role_grants__role__in=policy.roles_with(Perm.REVIEW_GROUP_PROPOSALS)
    ).distinct()
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people)


def do_revise_proposal(member: Member, group: Group, **fields: Any) -> Group:
    """The proposer answers "changes asked for"; the proposal goes back for review."""
    if group.proposed_by_id != member.pk or group.state not in (GroupState.PROPOSED, GroupState.CHANGES):
        raise ActionError("Only the person who proposed this group can change it while it is waiting for review.")
    clean = check_group_fields(fields, exclude=group)
    with transaction.atomic():
        for key, value in clean.items():
            setattr(group, key, value)
        group.state = GroupState.PROPOSED
        group.save()
        group.screening = _screen_group(member, group)
        _notify(
            _reviewers(exclude=member),
            "community.review",
            f"{member.display_name} updated their group proposal: {group.name}",
            reverse("community:review"),
            actor=member,
        )
    return group


def check_review(reviewer: Member, group: Group, decision: str, reason: str) -> None:
    if not policy.can(reviewer, Perm.REVIEW_GROUP_PROPOSALS):
        raise ActionError("Only peer workers and coordinators can review group proposals.")
    if group.state != GroupState.PROPOSED:
        raise ActionError("This proposal isn't waiting for a review any more.")
    if decision not in _REVIEW_DECISIONS:
        raise ActionError("Choose approve, ask for changes, or decline.")
    if decision != "approve" and not reason.strip():
        raise ActionError("Write a short reason: the person who proposed the group will see it.")


def do_review_proposal(reviewer: Member, group: Group, decision: str, reason: str = "") -> Group:
    """Approve, decline or ask for changes; the proposer sees ``reason`` and is notified."""
    check_review(reviewer, group, decision, reason)
    state, action = _REVIEW_DECISIONS[decision]
    with transaction.atomic():
        group.state = state
        group.review_reason = reason.strip()
        group.reviewed_by = reviewer
        group.reviewed_at = timezone.now()
        group.save(update_fields=["state", "review_reason", "reviewed_by", "reviewed_at"])
        if state == GroupState.ACTIVE and group.proposed_by is not None:
            Membership.objects.get_or_create(group=group, member=group.proposed_by, defaults={"is_host": True})
        audit.log_action(action, actor=reviewer, subject=group.proposed_by, obj=group, data={"group": group.name})
        if group.proposed_by is not None:
            wording = {
                "approve": f"Your group {group.name} is approved. You are its host.",
                "decline": f"Your group proposal {group.name} isn't going ahead. The reason is on the proposal page.",
                "changes": f"Your group proposal {group.name} needs a few changes. See what was asked.",
            }[decision]
            url = (
                reverse("community:group", args=[group.pk])
                if state == GroupState.ACTIVE
                else reverse("community:proposal", args=[group.pk])
            )
            _notify([group.proposed_by], "community.proposal", wording, url, actor=reviewer)
    return group


# --- Joining, leaving and hosting ------------------------------------------------------


def _hosts(group: Group) -> list[Member]:
    return [m.member for m in Membership.objects.filter(group=group, is_host=True).select_related("member")]


def do_join_group(member: Member, group: Group, note: str = "") -> Membership | JoinRequest:
    """Join an open group, ask to join an ask-to-join one, or accept a waiting invitation.

    Invite-only groups refuse unless a host has invited the member. A group that asks
    for a self-assessment or a one-to-one first refuses, kindly, until that's done (intake).
    """
    check_can_join(member, group)
    if group.state != GroupState.ACTIVE:
        raise ActionError("This group isn't open yet.")
    if membership_of(member, group) is not None:
        raise ActionError("You're already in this group.")
    pending = JoinRequest.objects.filter(group=group, member=member, decided_at__isnull=True).first()
    if pending is not None and pending.kind == JoinRequest.Kind.INVITATION:
        return do_answer_invitation(member, pending, accept=True)
    if group.join_policy == JoinPolicy.OPEN:
        with transaction.atomic():
            membership, _ = Membership.objects.get_or_create(group=group, member=member)
        return membership
    if group.join_policy == JoinPolicy.INVITE:
        raise ActionError("This group is invite only. If you'd like to join, ask one of its hosts or a peer worker.")
    if pending is not None:
        raise ActionError("You've already asked to join. A host will get back to you.")
    with transaction.atomic():
        request = JoinRequest.objects.create(
            group=group, member=member, kind=JoinRequest.Kind.REQUEST, note=note.strip()[:300]
        )
        if request.note:
            request.screening = screen(
                author=member, text=request.note, path="community.join_request", object_id=request.pk
            )
        _notify(
            _hosts(group),
            "community.hosting",
            f"{member.display_name} asked to join {group.name}",
            reverse("community:manage", args=[group.pk]),
            group,
            actor=member,
        )
    return request


def do_decide_join_request(host: Member, request: JoinRequest, accept: bool) -> Membership | None:
    """A host says yes or no to someone asking to join. Audited; the person is told either way."""
    group = request.group
    host_membership = membership_of(host, group)
    if host_membership is None or not host_membership.is_host:
        raise ActionError("Only a host of this group can answer requests to join it.")
    if request.kind != JoinRequest.Kind.REQUEST or request.decided_at is not None:
        raise ActionError("That request has already been answered.")
    with transaction.atomic():
        request.decided_at = timezone.now()
        request.accepted = accept
        request.save(update_fields=["decided_at", "accepted"])
        membership = None
        if accept:
            membership, _ = Membership.objects.get_or_create(group=group, member=request.member)
        audit.log_action(
            "community.join.approved" if accept else "community.join.declined",
            actor=host,
            subject=request.member,
            obj=group,
            data={"group": group.name},
        )
        _notify(
            [request.member],
            "community.joining",
            f"You're in {group.name}. Welcome."
            if accept
            else f"The hosts of {group.name} said no to your request this time.",
            reverse("community:group", args=[group.pk]) if accept else reverse("community:directory"),
            actor=host,
        )
    return membership


def do_invite_to_group(host: Member, group: Group, invitee: Member) -> JoinRequest:
    host_membership = membership_of(host, group)
    if host_membership is None or not host_membership.is_host:
        raise ActionError("Only a host of this group can invite people to it.")
    if not invitee.is_active:
        raise ActionError("We couldn't find anyone here with that display name.")
    if membership_of(invitee, group) is not None:
        raise ActionError(f"{invitee.display_name} is already in this group.")
    if JoinRequest.objects.filter(group=group, member=invitee, decided_at__isnull=True).exists():
        raise ActionError(f"{invitee.display_name} already has an invitation or request waiting for this group.")
    with transaction.atomic():
        invitation = JoinRequest.objects.create(
            group=group, member=invitee, kind=JoinRequest.Kind.INVITATION, invited_by=host
        )
        _notify(
            [invitee],
            "community.joining",
            f"{host.display_name} invited you to join {group.name}",
            reverse("community:group", args=[group.pk]),
            actor=host,
        )
    return invitation


@overload
def do_answer_invitation(member: Member, invitation: JoinRequest, accept: Literal[True]) -> Membership: ...
@overload
def do_answer_invitation(member: Member, invitation: JoinRequest, accept: bool) -> Membership | None: ...
def do_answer_invitation(member: Member, invitation: JoinRequest, accept: bool) -> Membership | None:
    """Accept (the membership) or decline (None) an invitation waiting for ``member``."""
    if (
        invitation.member_id != member.pk
        or invitation.kind != JoinRequest.Kind.INVITATION
        or invitation.decided_at is not None
    ):
        raise ActionError("That invitation isn't waiting for an answer any more.")
    if accept:
        check_can_join(member, invitation.group)  # a host's invitation doesn't skip what the group asks first
    with transaction.atomic():
        invitation.decided_at = timezone.now()
        invitation.accepted = accept
        invitation.save(update_fields=["decided_at", "accepted"])
        if not accept:
            return None
        membership, _ = Membership.objects.get_or_create(group=invitation.group, member=member)
    return membership


def do_leave_group(member: Member, group: Group) -> None:
    membership = membership_of(member, group)
    if membership is None:
        raise ActionError("You're not in this group.")
    others = Membership.objects.filter(group=group).exclude(pk=membership.pk)
    if membership.is_host and others.exists() and not others.filter(is_host=True).exists():
        raise ActionError("You're this group's only host. Hand hosting on to someone before you leave.")
    with transaction.atomic():
        membership.delete()
        # Open sockets drop the group's channel (see community.consumers).
        send_event_on_commit([member_group(member.pk)], {"kind": "community.left", "group": group.pk})


def hosted_groups(member: Member) -> list[Group]:
    """Groups ``member`` hosts (for a hand-over when they step back)."""
    return list(Group.objects.filter(memberships__member=member, memberships__is_host=True).order_by("name"))


def do_hand_over_hosting_for(actor: Member, leaving: Member, group: Group, new_host: Member) -> None:
    """A coordinator hands on hosting for someone who is stepping back: ``new_host`` hosts, ``leaving`` doesn't."""
    policy.require(actor, Perm.MANAGE_ROLES)
    current = membership_of(leaving, group)
    if current is None or not current.is_host:
        raise ActionError(f"{leaving.display_name} doesn't host {group.name}.")
    target = membership_of(new_host, group)
    if target is None:
        raise ActionError(f"{new_host.display_name} needs to be in {group.name} before they can host it.")
    if target.pk == current.pk:
        raise ActionError("Choose someone other than the person stepping back.")
    with transaction.atomic():
        Membership.objects.filter(pk=target.pk).update(is_host=True)
        Membership.objects.filter(pk=current.pk).update(is_host=False)
        audit.log_action(
            "community.host.handed_over", actor=actor, subject=new_host, obj=group, data={"group": group.name}
        )
        _notify(
            [new_host],
            "community.hosting",
            f"{leaving.display_name} is stepping back, so {actor.display_name} asked you to host {group.name}. "
            "Thank you.",
            reverse("community:manage", args=[group.pk]),
            group,
            actor=actor,
        )


def do_hand_over_hosting(host: Member, group: Group, new_host: Member, *, step_down: bool) -> None:
    """Make another member a host; with ``step_down`` the current host stops hosting. Audited."""
    current = membership_of(host, group)
    if current is None or not current.is_host:
        raise ActionError("Only a host of this group can hand hosting on.")
    target = membership_of(new_host, group)
    if target is None:
        raise ActionError(f"{new_host.display_name} needs to be in the group before they can host it.")
    if target.pk == current.pk:
        raise ActionError("Choose someone other than yourself.")
    with transaction.atomic():
        target.is_host = True
        target.save(update_fields=["is_host"])
        if step_down:
            current.is_host = False
            current.save(update_fields=["is_host"])
        audit.log_action(
            "community.host.handed_over" if step_down else "community.host.added",
            actor=host,
            subject=new_host,
            obj=group,
            data={"group": group.name},
        )
        _notify(
            [new_host],
            "community.hosting",
            f"{host.display_name} asked you to host {group.name}. Thank you.",
            reverse("community:manage", args=[group.pk]),
            group,
            actor=host,
        )


# --- Taking part ---------------------------------------------------------------------------


def do_mark_here(member: Member, group: Group, here: bool = True) -> Membership:
    """ "I'm here": tell the group you're around today without writing anything (opt-in each day)."""
    membership = membership_of(member, group)
    if membership is None:
        raise ActionError("Join the group first.")
    now = timezone.now()
    with transaction.atomic():
        membership.here_on = timezone.localdate(now) if here else None
        if here:
            membership.last_active_at = now
        membership.save(update_fields=["here_on", "last_active_at"])
        send_event_on_commit([group_channel(group.pk)], {"kind": "community.here", "group": group.pk})
    return membership


def do_mark_group_read(membership: Membership) -> None:
    Membership.objects.filter(pk=membership.pk).update(last_read_at=timezone.now())


def check_post(
    member: Member,
    group: Group,
    *,
    kind: str,
    body: str,
    heavy: bool,
    content_note: str,
    card_type: str,
    card_title: str,
    photo: UploadedFile[bytes] | None,
    photo_description: str,
) -> Membership:
    membership = membership_of(member, group)
    if membership is None or group.state != GroupState.ACTIVE:
        raise ActionError("Join the group to post in it.")
    check_can_write(member)
    if kind not in PostKind.values:
        raise ActionError("Choose what kind of post this is.")
    if kind == PostKind.ANNOUNCEMENT and not membership.is_host:
        raise ActionError("Only the group's hosts can make announcements.")
    if kind in (PostKind.TEXT, PostKind.ANNOUNCEMENT) and not body.strip():
        raise ActionError("Write something before posting.")
    if kind == PostKind.CARD and (card_type not in CardType.values or not card_title.strip()):
        raise ActionError("Say what you're watching, reading, listening to, playing or making, and give it a title.")
    if kind == PostKind.PHOTO:
        if photo is None:
            raise ActionError("Choose a photo to share.")
        if not photo_description.strip():
            raise ActionError("Describe the photo in a few words, for people who can't see it.")
    if heavy and not content_note.strip():
        raise ActionError("Add a short content note saying what the post is about, so people can choose to read it.")
    return membership


def do_create_post(
    member: Member,
    group: Group,
    *,
    kind: str = PostKind.TEXT,
    body: str = "",
    heavy: bool = False,
    content_note: str = "",
    card_type: str = "",
    card_title: str = "",
    photo: UploadedFile[bytes] | None = None,
    photo_description: str = "",
) -> Post:
    """Share something in a group. Photos are checked and re-encoded first (no EXIF survives)."""
    membership = check_post(
        member,
        group,
        kind=kind,
        body=body,
        heavy=heavy,
        content_note=content_note,
        card_type=card_type,
        card_title=card_title,
        photo=photo,
        photo_description=photo_description,
    )
    stored = photos.store_photo(photo) if kind == PostKind.PHOTO and photo is not None else None
    now = timezone.now()
    try:
        with transaction.atomic():
            post = Post.objects.create(
                group=group,
                author=member,
                kind=kind,
                body=body.strip(),
                heavy=heavy,
                content_note=content_note.strip() if heavy else "",
                card_type=card_type if kind == PostKind.CARD else "",
                card_title=card_title.strip() if kind == PostKind.CARD else "",
                photo=stored.name if stored else "",
                photo_description=photo_description.strip() if stored else "",
                created_at=now,
            )
            _touch(membership, now)
            # Triage before anyone else sees it (same transaction): may hold it, alert staff, or signpost.
            post.screening = screen(
                author=member,
                text=" ".join(filter(None, [post.body, post.card_title, post.content_note, post.photo_description])),
                path="community.post",
                object_id=post.pk,
                group_id=group.pk,
                premoderated=group.premoderated,
                heavy=heavy,
                now=now,
            )
            if post.screening.held:
                post.hidden = True
                return post  # nobody is told about a post they can't see yet
            mentioned = _mentioned(group, post.body, member)
            if kind == PostKind.ANNOUNCEMENT:
                others = Membership.objects.filter(group=group).exclude(member=member).select_related("member")
                _notify(
                    [m.member for m in others],
                    "community.announcement",
                    f"New announcement in {group.name}",
                    _post_url(post),
                    group,
                    actor=member,
                )
            elif mentioned:
                _notify(
                    mentioned,
                    "community.mention",
                    f"{member.display_name} mentioned you in {group.name}",
                    _post_url(post),
                    group,
                    actor=member,
                )
            send_event_on_commit(
                [group_channel(group.pk)], {"kind": "community.post.created", "group": group.pk, "post": post.pk}
            )
    except Exception:
        if stored:
            photos.delete_photo(stored.name)
        raise
    return post


def do_comment(member: Member, post: Post, body: str) -> Comment:
    membership = membership_of(member, post.group)
    if membership is None:
        raise ActionError("Join the group to reply here.")
    if post.removed:
        raise ActionError("This post was removed, so it can't take new replies.")
    body = body.strip()
    if not body:
        raise ActionError("Write something before sending your reply.")
    check_can_write(member)
    now = timezone.now()
    with transaction.atomic():
        comment = Comment.objects.create(post=post, author=member, body=body, created_at=now)
        _touch(membership, now)
        comment.screening = screen(
            author=member,
            text=body,
            path="community.comment",
            object_id=comment.pk,
            group_id=post.group_id,
            premoderated=post.group.premoderated,
            reply=True,
            now=now,
        )
        if comment.screening.held:
            comment.hidden = True
            return comment
        mentioned = _mentioned(post.group, body, member)
        author = post.author
        if author is not None and author.pk != member.pk and membership_of(author, post.group) is not None:
            _notify(
                [author],
                "community.reply",
                f"{member.display_name} replied to your post in {post.group.name}",
                _post_url(post),
                post.group,
                actor=member,
            )
        mentioned = [m for m in mentioned if m.pk != post.author_id]
        if mentioned:
            _notify(
                mentioned,
                "community.mention",
                f"{member.display_name} mentioned you in {post.group.name}",
                _post_url(post),
                post.group,
                actor=member,
            )
        send_event_on_commit(
            [group_channel(post.group_id)],
            {"kind": "community.comment.created", "group": post.group_id, "post": post.pk},
        )
    return comment


def do_toggle_reaction(member: Member, post: Post, kind: str) -> bool:
    """Add the reaction, or take it back if already given. Returns True when it was added.

    Only the author and the reactor are told (so their open pages update);
    nobody else learns who reacted or how many did.
    """
    if kind not in ReactionKind.values:
        raise ActionError("Choose one of the reactions shown.")
    membership = membership_of(member, post.group_id)
    if membership is None:
        raise ActionError("Join the group to react to posts in it.")
    if post.removed:
        raise ActionError("This post was removed.")
    now = timezone.now()
    with transaction.atomic():
        deleted, _ = Reaction.objects.filter(post=post, member=member, kind=kind).delete()
        if not deleted:
            Reaction.objects.create(post=post, member=member, kind=kind, created_at=now)
            _touch(membership, now)
        targets = [member_group(member.pk)]
        if post.author_id:
            targets.append(member_group(post.author_id))
        send_event_on_commit(targets, {"kind": "community.reaction.changed", "post": post.pk})
    return not deleted


def do_pin_post(host: Member, post: Post, pin: bool = True) -> None:
    membership = membership_of(host, post.group_id)
    if membership is None or not membership.is_host:
        raise ActionError("Only the group's hosts can pin posts.")
    with transaction.atomic():
        post.pinned_at = timezone.now() if pin else None
        post.save(update_fields=["pinned_at"])
        audit.log_action(
            "community.post.pinned" if pin else "community.post.unpinned",
            actor=host,
            obj=post,
            data={"group": post.group.name},
        )


# --- Moderation (called by the safety app through its content registry) -------------------------


def do_set_post_hidden(post_id: int, hidden: bool) -> None:
    """Hide a post from everyone but its author, or show it again. Decided in hearth.safety (audited there)."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None or post.hidden == hidden:
        return
    Post.objects.filter(pk=post_id).update(hidden=hidden)
    send_event_on_commit(
        [group_channel(post.group_id)], {"kind": "community.post.changed", "group": post.group_id, "post": post.pk}
    )


def do_set_comment_hidden(comment_id: int, hidden: bool) -> None:
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    if comment is None or comment.hidden == hidden:
        return
    Comment.objects.filter(pk=comment_id).update(hidden=hidden)
    send_event_on_commit(
        [group_channel(comment.post.group_id)],
        {"kind": "community.post.changed", "group": comment.post.group_id, "post": comment.post_id},
    )
