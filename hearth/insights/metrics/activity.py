"""Who did what, week by week: the raw material of "active members" and participation styles.

Each source below gives distinct (member, week, action) triples for the span,
one query each (so the number of queries never grows with the data). Weeks are
local weeks starting on Monday (boundaries computed in the organisation's zone, see ``Span.week_index``).

What is recorded limits what can be seen: reading leaves only the latest trace
(a group's ``last_read_at``, ``last_login``, a chat room visit, a care "visit"
for members who share that cue), and "I'm here" keeps only the latest day, so
past weeks undercount readers and quiet presence. Hosting is today's hosts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

from hearth.community.models import Comment, Membership, Post, Reaction
from hearth.insights.registry import Span, model_ready, week_of
from hearth.members.models import Member

# The participation styles, most visible first: a member's style in a period is the
# most visible thing they did (someone who posted and reacted is a poster).
STYLES: list[tuple[str, str]] = [
    ("host", "Hosts"),
    ("supporter", "Supporters"),
    ("poster", "Posters"),
    ("reactor", "Reactors"),
    ("here", "Here quietly"),
    ("reader", "Readers"),
]
STYLE_LABELS = dict(STYLES)
RANK = {key: i for i, (key, _) in enumerate(STYLES)}
# Action -> style. "talk" (asking for a one-to-one) makes someone active but is not a way of taking
# part in the community, so it has no style.
ACTION_STYLE = {
    "host": "host",
    "support": "supporter",
    "reply": "supporter",
    "post": "poster",
    "react": "reactor",
    "here": "here",
    "attend": "here",
    "read": "reader",
}

Activity = dict[date, dict[int, set[str]]]  # week -> member id -> actions


def _weekly(span: Span, qs: QuerySet[Any], member: str, when: str) -> QuerySet[Any]:
    """Distinct (member id, week index) pairs; ``qs`` is already limited to the span."""
    pairs: QuerySet[Any] = (
        qs.filter(**{f"{member}__isnull": False}).annotate(w=span.week_index(when)).values_list(member, "w").distinct()
    )
    return pairs


def activity(span: Span) -> Activity:
    """Week -> member -> the actions they took that week (memoised per request)."""
    weeks: Activity = span.memo("activity", lambda: _activity(span))
    return weeks


def _activity(span: Span) -> Activity:
    a, b = span.start_at, span.end_at
    out: Activity = defaultdict(lambda: defaultdict(set))

    weeks = span.weeks()

    def add(rows: QuerySet[Any], action: str) -> None:
        for member_id, index in rows:
            out[weeks[index]][member_id].add(action)

    add(
        _weekly(
            span, Post.objects.filter(created_at__gte=a, created_at__lt=b, removed=False), "author_id", "created_at"
        ),
        "post",
    )
    replies = (
        Comment.objects.filter(created_at__gte=a, created_at__lt=b)
        .annotate(
            w=span.week_index("created_at"),
            own=ExpressionWrapper(Q(post__author_id=F("author_id")), output_field=BooleanField()),
        )
        .values_list("author_id", "w", "own")
        .distinct()
    )
    for member_id, index, own in replies:
        out[weeks[index]][member_id].add("post" if own else "reply")
    add(_weekly(span, Reaction.objects.filter(created_at__gte=a, created_at__lt=b), "member_id", "created_at"), "react")
    for member_id, day in (
        Membership.objects.filter(here_on__gte=span.start, here_on__lte=span.end)
        .values_list("member_id", "here_on")
        .distinct()
    ):
        if day is not None:
            out[week_of(day)][member_id].add("here")
    add(
        _weekly(span, Membership.objects.filter(last_read_at__gte=a, last_read_at__lt=b), "member_id", "last_read_at"),
        "read",
    )
    add(_weekly(span, Member.objects.filter(last_login__gte=a, last_login__lt=b), "pk", "last_login"), "read")

    if model_ready("chat", "Message"):
        from hearth.chat.models import Attendance, Conversation, Gathering, Message, RoomKind, RoomVisit

        add(
            _weekly(
                span,
                Message.objects.filter(created_at__gte=a, created_at__lt=b).exclude(room__kind=RoomKind.CONVERSATION),
                "sender_id",
                "created_at",
            ),
            "post",
        )
        conversations = Conversation.objects.filter(opened_at__gte=a, opened_at__lt=b)
        add(_weekly(span, conversations, "supporter_id", "opened_at"), "support")
        add(_weekly(span, conversations, "member_id", "opened_at"), "talk")
        add(
            _weekly(span, RoomVisit.objects.filter(entered_at__gte=a, entered_at__lt=b), "member_id", "entered_at"),
            "read",
        )
        gatherings = Gathering.objects.filter(starts_at__gte=a, starts_at__lt=b)
        add(_weekly(span, gatherings, "facilitator_id", "starts_at"), "host")
        add(_weekly(span, gatherings, "online_volunteer_id", "starts_at"), "support")
        add(_weekly(span, Attendance.objects.filter(at__gte=a, at__lt=b), "member_id", "at"), "attend")

    from hearth.availability.models import TalkRequest

    add(
        _weekly(span, TalkRequest.objects.filter(created_at__gte=a, created_at__lt=b), "member_id", "created_at"),
        "talk",
    )
    add(
        _weekly(
            span, TalkRequest.objects.filter(accepted_at__gte=a, accepted_at__lt=b), "accepted_by_id", "accepted_at"
        ),
        "support",
    )
    if model_ready("care", "Visit"):
        from hearth.care.models import Visit

        for member_id, day in Visit.objects.filter(day__gte=span.start, day__lte=span.end).values_list(
            "member_id", "day"
        ):
            out[week_of(day)][member_id].add("read")

    # Today's hosts count as hosting in any week they took part at all.
    hosts = set(Membership.objects.filter(is_host=True).values_list("member_id", flat=True).distinct())
    for members in out.values():
        for member_id in hosts & members.keys():
            members[member_id].add("host")
    return {week: dict(members) for week, members in out.items()}


def style_of(actions: set[str]) -> str | None:
    """The most visible style among ``actions`` (None when nothing they did is a community style)."""
    styles = [ACTION_STYLE[x] for x in actions if x in ACTION_STYLE]
    return min(styles, key=RANK.__getitem__) if styles else None


def styles_over(span: Span, weeks: list[date]) -> dict[int, str]:
    """Member -> their style across ``weeks`` taken together."""
    acts = activity(span)
    merged: dict[int, set[str]] = defaultdict(set)
    for week in weeks:
        for member_id, actions in acts.get(week, {}).items():
            merged[member_id] |= actions
    return {m: s for m, actions in merged.items() if (s := style_of(actions)) is not None}
