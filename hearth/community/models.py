"""The community space: groups, who is in them, and the ways members take part.

Reads of groups and posts go through :mod:`hearth.community.access`; every
write goes through :mod:`hearth.community.actions`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class JoinPolicy(models.TextChoices):
    OPEN = "open", "Open: anyone here can join"
    ASK = "ask", "Ask to join: a host says yes"
    INVITE = "invite", "Invite only: a host invites people"


class GroupState(models.TextChoices):
    PROPOSED = "proposed", "Waiting for a review"
    CHANGES = "changes", "Changes asked for"
    ACTIVE = "active", "Open"
    DECLINED = "declined", "Not going ahead"


class Energy(models.TextChoices):
    UNSAID = "", "Not said"
    LOW = "low", "Low energy"
    SOME = "some", "Some energy"
    GOOD = "good", "Good energy"


def split_tags(value: str) -> list[str]:
    """``"Crafts, knitting ,"`` -> ``["crafts", "knitting"]``: lower case, no blanks, no repeats."""
    seen: dict[str, None] = {}
    for raw in value.split(","):
        tag = " ".join(raw.split()).lower()
        if tag:
            seen[tag] = None
    return list(seen)


class Group(models.Model):
    """A group members take part in. Only ``ACTIVE`` groups have members and posts.

    ``interest_tags`` and ``experience_tags`` are stored as ", "-joined lower-case
    text (see :func:`split_tags`) so the directory can search them with one
    ``icontains`` on every database.
    """

    name = models.CharField(max_length=60)
    purpose = models.TextField("what the group is for", max_length=600)
    who_for = models.CharField("who it is for", max_length=200)
    not_covered = models.CharField(
        "what it does not cover",
        max_length=300,
        blank=True,
        help_text="For example: not a place for drug or alcohol support, which has its own services.",
    )
    interest_tags = models.CharField(max_length=200, blank=True)
    experience_tags = models.CharField(max_length=200, blank=True)
    join_policy = models.CharField(max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.OPEN)
    listed = models.BooleanField("shown in the group directory", default=True)
    premoderated = models.BooleanField(
        "hold worrying or hostile posts for a moderator before others see them",
        default=False,
        help_text="Posts that triage finds crisis or hostility in wait for a moderator. Everything else posts straight away.",
    )
    state = models.CharField(max_length=10, choices=GroupState.choices, default=GroupState.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_reason = models.TextField(blank=True, help_text="Shown to the person who proposed the group.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("name"), name="unique_group_name_ci")]
        indexes = [models.Index(fields=["state", "listed"])]

    screening: Any = None  # set by the action that stored the member's words

    def __str__(self) -> str:
        return self.name

    def interest_list(self) -> list[str]:
        return split_tags(self.interest_tags)

    def experience_list(self) -> list[str]:
        return split_tags(self.experience_tags)

    def tags(self) -> list[str]:
        return self.interest_list() + self.experience_list()


class Membership(models.Model):
    """One person in one group. Hosts are members with ``is_host``.

    ``last_read_at`` drives the "new" markers; ``here_on`` is the last day they
    tapped "I'm here"; ``last_active_at`` is the last time they posted,
    commented, reacted or said they were here (used for supporter coverage).
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    is_host = models.BooleanField(default=False)
    joined_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(default=timezone.now)
    last_active_at = models.DateTimeField(null=True, blank=True)
    here_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "member"], name="one_membership_per_group")]
        indexes = [models.Index(fields=["member", "group"])]

    def __str__(self) -> str:
        return f"{self.member} in {self.group}"


class JoinRequest(models.Model):
    """A request to join an ask-to-join group, or a host's invitation to any group.

    Pending rows have ``decided_at`` unset. A person has at most one pending
    row per group.
    """

    class Kind(models.TextChoices):
        REQUEST = "request", "Asked to join"
        INVITATION = "invitation", "Invited by a host"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"], condition=models.Q(decided_at__isnull=True), name="one_pending_join_request"
            )
        ]

    screening: Any = None  # set by the action that stored the member's words

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member} / {self.group}"


class HiddenGroup(models.Model):
    """A group a member chose not to see in the directory or suggestions."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "group"], name="hide_group_once")]

    def __str__(self) -> str:
        return f"{self.member_id} hides {self.group_id}"


class CommunityProfile(models.Model):
    """A member's community settings. No row means the defaults (see :func:`access.profile_of`).

    ``energy`` is private (consent kind ``community.energy``). ``muted_words``
    holds one word or phrase per line. ``break_until`` pauses notifications.
    """

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community")
    energy = models.CharField(max_length=4, choices=Energy.choices, blank=True)
    energy_set_at = models.DateTimeField(null=True, blank=True)
    interests = models.CharField(
        "your interests",
        max_length=300,
        blank=True,
        help_text="Separate them with commas, e.g. gardening, films, being a carer. Used to suggest groups.",
    )
    muted_words = models.TextField(
        "muted words and topics",
        max_length=2000,
        blank=True,
        help_text="One word or phrase on each line. Posts that mention them are folded away for you.",
    )
    break_until = models.DateTimeField(null=True, blank=True)

    screening: Any = None  # set by the action that stored the member's words

    def __str__(self) -> str:
        return f"Community settings of {self.member}"

    @property
    def quiet(self) -> bool:
        """Quiet mode: on whenever the member says their energy is low."""
        return self.energy == Energy.LOW

    def on_break(self, now: datetime | None = None) -> bool:
        return self.break_until is not None and self.break_until > (now or timezone.now())

    def muted_list(self) -> list[str]:
        return [w for w in (" ".join(line.split()).lower() for line in self.muted_words.splitlines()) if w]

    def muted_match(self, *texts: str) -> bool:
        """True when any muted word or phrase appears in ``texts`` as whole words (case-insensitive)."""
        words = self.muted_list()
        if not words:
            return False
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")", re.IGNORECASE)
        return any(pattern.search(t) for t in texts if t)


class PostKind(models.TextChoices):
    TEXT = "text", "Post"
    PHOTO = "photo", "Photo"
    CARD = "card", "What I'm into"
    ANNOUNCEMENT = "announcement", "Announcement"


class CardType(models.TextChoices):
    WATCHING = "watching", "watching"
    READING = "reading", "reading"
    LISTENING = "listening", "listening to"
    PLAYING = "playing", "playing"
    MAKING = "making", "making"


class Post(models.Model):
    """Something shared in a group: text, a photo, a "what I'm into" card or a host's announcement.

    ``author`` is None once the author has deleted their account and the post
    was kept as an empty placeholder because others had replied to it
    (``removed`` is then set and every personal field is blank).
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=PostKind.choices, default=PostKind.TEXT)
    body = models.TextField(max_length=5000, blank=True)
    card_type = models.CharField(max_length=10, choices=CardType.choices, blank=True)
    card_title = models.CharField(max_length=120, blank=True)
    photo = models.CharField(max_length=200, blank=True, help_text="Storage name of the re-encoded photo.")
    photo_description = models.CharField(max_length=300, blank=True)
    heavy = models.BooleanField(default=False)
    content_note = models.CharField(max_length=120, blank=True)
    pinned_at = models.DateTimeField(null=True, blank=True)
    removed = models.BooleanField(default=False)
    hidden = models.BooleanField(
        default=False,
        help_text="Held for review or hidden by a moderator: only its author (and moderators) can see it.",
    )
    # Set on the new instance by do_create_post: what triage decided, for the view's response.
    screening: Any = None
    created_at = models.DateTimeField(default=timezone.now)
    # Set for one viewer by views.decorate_posts (not columns): their own reactions, who reacted (their own
    # posts only), whether it matches their muted words or is new to them, and the replies shown under it.
    my_reactions: set[str]
    reactors: dict[str, list[str]]
    muted: bool
    is_new: bool
    shown_comments: list[Comment]
    more_comments: bool

    class Meta:
        indexes = [
            models.Index(fields=["group", "-created_at", "-id"]),
            # The feed across many groups walks this one newest-first and stops after a page.
            models.Index(fields=["-created_at", "-id"]),
            models.Index(fields=["author"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.group_id} by {self.author_id}"


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=2000)
    hidden = models.BooleanField(default=False, help_text="Held for review or hidden by a moderator.")
    screening: Any = None  # set by do_comment, like Post.screening
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self) -> str:
        return f"Comment on {self.post_id} by {self.author_id}"


class ReactionKind(models.TextChoices):
    THINKING = "thinking", "Thinking of you"
    ME_TOO = "me_too", "Me too"
    HUG = "hug", "Hug"
    THUMBS_UP = "thumbs_up", "Thumbs up"


REACTION_SYMBOLS = {
    ReactionKind.THINKING: "💭",
    ReactionKind.ME_TOO: "🙋",
    ReactionKind.HUG: "🤗",
    ReactionKind.THUMBS_UP: "👍",
}


class Reaction(models.Model):
    """A supportive reaction. Only the post's author sees who reacted; nobody sees counts."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "member", "kind"], name="one_reaction_of_a_kind")]
        indexes = [models.Index(fields=["member", "post"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.post_id}"
