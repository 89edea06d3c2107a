"""What the dashboard counts, as data: one entry per figure (issue 19).

A :class:`Figure` names the rows (a model and a filter), the date field that puts a row on a day, and how
the rows are counted: rows; rows plus the minutes from one of their times to another (kept for medians);
different people a week; the different groups they fall in; counts per group. An :class:`Action` names the
rows that say a person took part, and which action it was (the participation styles). The worker's rollup
job (``rollup.py``) computes every entry for each day and stores it (``Rollup``, ``ActivityWeeks``); the
metrics in ``metrics/`` read the stored figures by key. Adding a figure is one entry here and a line in the
metric that shows it.

Figures counted by rows or minutes are daily; figures about different people or groups are weekly (a whole
week, Monday to Sunday, stored on its Monday): different people can't be added up day by day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q

from hearth.members import policy
from hearth.members.models import RoleGrant
from hearth.members.policy import Perm


def everything() -> Q:
    return Q()


@dataclass(frozen=True)
class Figure:
    """One thing counted for each day (or week): ``count`` is the number of rows unless said otherwise.

    ``minutes``: also keep, per row, the minutes from the first field to the second (rows where the second is
    empty are counted but keep nothing); ``hours`` keeps hours instead. ``people``: count different people
    (this field) per week. ``groups``: keep the different values of this field per week (group ids).
    ``per``: count per value of this field per week (with ``people``, different people per value).
    """

    key: str
    model: str
    when: str
    where: Callable[[], Q] = everything
    minutes: tuple[str, str] | None = None
    hours: bool = False
    people: str | None = None
    groups: str | None = None
    per: str | None = None
    app: str = ""  # the app the rows live in, when it may not be installed (see registry.model_ready)

    @property
    def weekly(self) -> bool:
        return bool(self.people or self.groups or self.per)


@dataclass(frozen=True)
class Derived:
    """Figures worked out by a function rather than counted from rows (the rota's gaps)."""

    keys: tuple[str, ...]
    compute: Callable[[date, date], dict[str, dict[date, int]]]  # first, last day -> key -> day -> figure


@dataclass(frozen=True)
class Action:
    """Rows that say someone took part: ``who`` did ``action`` on the day of ``when``."""

    action: str
    model: str
    who: str
    when: str
    where: Callable[[], Q] = everything
    app: str = ""


def _supporter(field: str) -> Callable[[], Q]:
    def where() -> Q:
        return Q(
            **{
                f"{field}__in": RoleGrant.objects.filter(role__in=policy.roles_with(Perm.COVER_GROUPS)).values(
                    "member_id"
                )
            }
        )

    return where


def rota_gaps(first: date, last: date) -> dict[str, dict[date, int]]:
    from hearth.availability.rota import Rota

    out: dict[str, dict[date, int]] = {"gaps.nobody": {}, "gaps.short": {}}
    for slot in Rota(first, (last - first).days + 1).gaps():
        key = "gaps.short" if slot.supporters else "gaps.nobody"
        day = slot.start.date()
        out[key][day] = out[key].get(day, 0) + 1
    return out


def _wait(key: str, model: str, start: str, end: str, dated: str = "", hours: bool = False, app: str = "") -> Figure:
    """Rows where ``end`` happened, dated by ``dated`` (``start`` unless said), keeping the minutes (or hours) between."""
    return Figure(
        key,
        model,
        dated or start,
        where=lambda: Q(**{f"{end}__isnull": False}),
        minutes=(start, end),
        hours=hours,
        app=app,
    )


def _mood(key: str, where: Callable[[], Q], people: str | None = None) -> Figure:
    """A group mood figure: triage records of posts and replies in groups, per group, per week."""
    return Figure(
        f"mood.{key}",
        "safety.TriageRecord",
        "created_at",
        where=lambda: Q(group_id__isnull=False) & where(),
        people=people,
        per="group_id",
    )


FIGURES: list[Figure] = [
    # Talk now: requests by the day they were made; the wait of those a supporter accepted.
    Figure("talk.asked", "availability.TalkRequest", "created_at"),
    _wait("talk.waits", "availability.TalkRequest", "created_at", "accepted_at"),
    # Crisis alerts: raised, and minutes to acknowledge.
    Figure("crisis.raised", "safety.CrisisAlert", "created_at"),
    _wait("crisis.acked", "safety.CrisisAlert", "created_at", "acknowledged_at"),
    # The care queue: put on it by the day raised; checked in with by the day done, and the hours it took.
    Figure("care.raised", "care.CareItem", "created_at", app="care"),
    _wait("care.reached", "care.CareItem", "created_at", "done_at", dated="done_at", hours=True, app="care"),
    # Check-ins sent, and answered, by the day sent.
    Figure("checkins.sent", "care.CheckInSend", "sent_at", app="care"),
    Figure("checkins.replied", "care.CheckInSend", "sent_at", where=lambda: Q(replied_at__isnull=False), app="care"),
    # Gatherings held, and different people who came, by the week they were held.
    Figure("gatherings.held", "chat.Gathering", "starts_at", app="chat"),
    Figure("gatherings.people", "chat.Attendance", "gathering__starts_at", people="member_id", app="chat"),
    # Groups a supporter posted, replied or reacted in, each week.
    Figure("covered.posts", "community.Post", "created_at", where=_supporter("author_id"), groups="group_id"),
    Figure(
        "covered.replies", "community.Comment", "created_at", where=_supporter("author_id"), groups="post__group_id"
    ),
    Figure(
        "covered.reactions", "community.Reaction", "created_at", where=_supporter("member_id"), groups="post__group_id"
    ),
    # Group mood, from triage records of posts and replies in groups: per group, per week.
    _mood("posts", lambda: Q(content_key__endswith=".post")),
    _mood("heavy", lambda: Q(content_key__endswith=".post", heavy=True)),
    _mood("replies", lambda: ~Q(content_key__endswith=".post")),
    _mood("supportive", lambda: Q(supportive=True) & ~Q(content_key__endswith=".post")),
    _mood("writers", everything, people="author_id"),
]

DERIVED: list[Derived] = [Derived(("gaps.nobody", "gaps.short"), rota_gaps)]

# Who did what: the raw material of active members and the participation styles. Reading leaves only the latest
# trace (a group's last_read_at, last_login, a chat room visit, a care "visit"), and "I'm here" only the latest day.
ACTIONS: list[Action] = [
    Action("post", "community.Post", "author_id", "created_at", where=lambda: Q(removed=False)),
    Action("post", "community.Comment", "author_id", "created_at", where=lambda: Q(post__author_id=F("author_id"))),
    Action("reply", "community.Comment", "author_id", "created_at", where=lambda: ~Q(post__author_id=F("author_id"))),
    Action("react", "community.Reaction", "member_id", "created_at"),
    Action("here", "community.Membership", "member_id", "here_on"),
    Action("read", "community.Membership", "member_id", "last_read_at"),
    Action("read", "members.Member", "id", "last_login"),
    Action("post", "chat.Message", "sender_id", "created_at", where=lambda: ~Q(room__kind="conversation"), app="chat"),
    Action("support", "chat.Conversation", "supporter_id", "opened_at", app="chat"),
    Action("talk", "chat.Conversation", "member_id", "opened_at", app="chat"),
    Action("read", "chat.RoomVisit", "member_id", "entered_at", app="chat"),
    Action("host", "chat.Gathering", "facilitator_id", "starts_at", app="chat"),
    Action("support", "chat.Gathering", "online_volunteer_id", "starts_at", app="chat"),
    Action("attend", "chat.Attendance", "member_id", "at", app="chat"),
    Action("talk", "availability.TalkRequest", "member_id", "created_at"),
    Action("support", "availability.TalkRequest", "accepted_by_id", "accepted_at"),
    Action("read", "care.Visit", "member_id", "day", app="care"),
]

# The participation styles, most visible first: a member's style in a period is the most visible thing they did.
STYLES: list[tuple[str, str]] = [
    ("host", "Hosts"),
    ("supporter", "Supporters"),
    ("poster", "Posters"),
    ("reactor", "Reactors"),
    ("here", "Here quietly"),
    ("reader", "Readers"),
]
STYLE_LABELS = dict(STYLES)
# Action -> style. "talk" (asking for a one-to-one) makes someone active but is no way of taking part in the
# community, so it has no style.
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
# One character a week in ActivityWeeks: a style's rank ("0" hosts … "5" readers), ACTIVE for someone active with
# no style, NOT_SEEN for nobody; ordered so the smallest character of a stretch of weeks is the style over them.
RANK_CHARS = {key: str(i) for i, (key, _) in enumerate(STYLES)}
ACTIVE = "6"
NOT_SEEN = "x"
STYLE_OF_CHAR = {char: key for key, char in RANK_CHARS.items()}


def char_for(action: str) -> str:
    style = ACTION_STYLE.get(action)
    return RANK_CHARS[style] if style else ACTIVE
