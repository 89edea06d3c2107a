"""Service metrics: talk-now waits, crisis alert acknowledgement, rota gaps, group coverage and mood,
the care queue, check-ins, gatherings and referrals.

Each metric reads only what it needs with a fixed number of queries; apps that
are not there yet (or whose tables aren't migrated) make the metric say so
instead of failing (``Metric.unavailable``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, Sum, When
from django.utils import timezone

from hearth.insights import small_numbers as sn
from hearth.insights.models import InsightsSettings
from hearth.insights.registry import Chart, Column, Metric, Span, Table, month_of, needs, register, week_of
from hearth.members import policy
from hearth.members.models import RoleGrant
from hearth.members.policy import Perm


def _minutes(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 60)


# --- Talk now ------------------------------------------------------------------------


def talk_waits(span: Span) -> Table:
    from hearth.availability.models import TalkRequest

    target = InsightsSettings.load().talk_target_minutes
    by_week: dict[date, list[tuple[datetime, datetime | None]]] = defaultdict(list)
    for created, accepted in TalkRequest.objects.filter(
        created_at__gte=span.start_at, created_at__lt=span.end_at
    ).values_list("created_at", "accepted_at"):
        by_week[week_of(created)].append((created, accepted))
    rows: list[dict[str, sn.Cell | str]] = []
    for week in span.weeks():
        asks = by_week.get(week, [])
        waits = [_minutes(c, a) for c, a in asks if a is not None]
        on_time = sum(1 for w in waits if w <= target)
        rows.append(
            {
                "week": f"{week:%d %b %Y}",
                "requests": sn.count(len(asks)),
                "answered": sn.count(len(waits)),
                "median_wait": sn.stat(waits, digits=1),
                "on_time": sn.share(on_time, len(asks)),
            }
        )
    return Table(
        [
            Column("week", "Week starting"),
            Column("requests", "Requests to talk"),
            Column("answered", "Answered"),
            Column("median_wait", "Median wait (minutes)"),
            Column("on_time", f"Answered within {target} minutes"),
        ],
        rows,
        notes=[
            f"Wait: from asking to a supporter accepting. Requests never accepted count as not within {target} minutes."
        ],
    )


register(
    Metric(
        key="talk_waits",
        title="Talk now: waiting times",
        description="How long people waited for a supporter, and the share answered within the target.",
        compute=talk_waits,
        chart=Chart("bars", "week", ("on_time",), unit="% within target"),
        order=30,
    )
)


# --- Crisis alerts ---------------------------------------------------------------------


def crisis_acknowledgement(span: Span) -> Table:
    from hearth.safety.models import CrisisAlert

    target = InsightsSettings.load().alert_target_minutes
    by_month: dict[date, list[tuple[datetime, datetime | None]]] = defaultdict(list)
    for created, acked in CrisisAlert.objects.filter(
        created_at__gte=span.start_at, created_at__lt=span.end_at
    ).values_list("created_at", "acknowledged_at"):
        by_month[month_of(created)].append((created, acked))
    rows: list[dict[str, sn.Cell | str]] = []
    for month in span.months():
        alerts = by_month.get(month, [])
        times = [_minutes(c, a) for c, a in alerts if a is not None]
        rows.append(
            {
                "month": f"{month:%b %Y}",
                "alerts": sn.count(len(alerts)),
                "median_ack": sn.stat(times, digits=1),
                "on_time": sn.share(sum(1 for t in times if t <= target), len(alerts)),
            }
        )
    return Table(
        [
            Column("month", "Month"),
            Column("alerts", "Crisis alerts"),
            Column("median_ack", "Median time to acknowledge (minutes)"),
            Column("on_time", f"Acknowledged within {target} minutes"),
        ],
        rows,
        notes=["Counted by month: crisis alerts are rare, and each is about one person."],
    )


register(
    Metric(
        key="crisis_acknowledgement",
        title="Crisis alerts: time to acknowledge",
        description="How quickly someone on duty acknowledged each crisis alert.",
        compute=crisis_acknowledgement,
        chart=Chart("bars", "month", ("median_ack",), unit="minutes"),
        order=35,
    )
)


# --- Rota coverage gaps ----------------------------------------------------------------


def coverage_gaps(span: Span) -> Table:
    from hearth.availability.rota import Rota

    nobody: Counter[date] = Counter()
    short: Counter[date] = Counter()
    for slot in Rota(span.start, span.days).gaps():
        week = week_of(slot.start.date())
        if slot.supporters:
            short[week] += 1
        else:
            nobody[week] += 1
    rows: list[dict[str, sn.Cell | str]] = [
        {
            "week": f"{week:%d %b %Y}",
            "nobody": sn.plain(nobody[week]),
            "short": sn.plain(short[week]),
        }
        for week in span.weeks()
    ]
    return Table(
        [
            Column("week", "Week starting"),
            Column("nobody", "Service hours with nobody on the rota"),
            Column("short", "Hours short of the staffing rules"),
        ],
        rows,
        notes=[
            "From the rota as written (regular shifts, days off and extra shifts), within service hours, against "
            "the staffing rules (for example, a peer worker behind the volunteers)."
        ],
    )


register(
    Metric(
        key="coverage_gaps",
        title="Rota coverage gaps",
        description="Service hours with nobody on the rota, or fewer on than the staffing rules ask for.",
        compute=coverage_gaps,
        chart=Chart("stacked", "week", ("nobody", "short"), unit="hours"),
        order=40,
    )
)


# --- Groups without supporter coverage -------------------------------------------------


def group_coverage(span: Span) -> Table:
    from hearth.community.access import groups_without_coverage
    from hearth.community.models import Comment, Group, GroupState, Post, Reaction

    supporters = RoleGrant.objects.filter(role__in=policy.roles_with(Perm.COVER_GROUPS)).values("member_id")
    a, b = span.start_at, span.end_at
    covered: set[tuple[int, date]] = set()
    for qs, group_field, who in (
        (Post.objects.filter(created_at__gte=a, created_at__lt=b), "group_id", "author_id"),
        (Comment.objects.filter(created_at__gte=a, created_at__lt=b), "post__group_id", "author_id"),
        (Reaction.objects.filter(created_at__gte=a, created_at__lt=b), "post__group_id", "member_id"),
    ):
        rows = (
            qs.filter(**{f"{who}__in": supporters})
            .annotate(w=span.week_index("created_at"))
            .values_list(group_field, "w")
            .distinct()
        )
        weeks = span.weeks()
        covered |= {(g, weeks[i]) for g, i in rows}
    groups = list(Group.objects.filter(state=GroupState.ACTIVE).values_list("pk", "created_at"))
    table_rows: list[dict[str, sn.Cell | str]] = []
    for week in span.weeks():
        end = timezone.make_aware(datetime.combine(week + timedelta(days=7), time(0)))
        open_groups = [g for g, created in groups if created < end]
        uncovered = sum(1 for g in open_groups if (g, week) not in covered)
        table_rows.append(
            {
                "week": f"{week:%d %b %Y}",
                "groups": sn.plain(len(open_groups)),
                "uncovered": sn.plain(uncovered),
            }
        )
    now_uncovered = list(groups_without_coverage().values_list("name", flat=True))
    note = (
        "Right now nobody covers: " + ", ".join(now_uncovered) + "."
        if now_uncovered
        else "Right now every open group has a supporter around."
    )
    return Table(
        [
            Column("week", "Week starting"),
            Column("groups", "Open groups"),
            Column("uncovered", "Groups no supporter took part in"),
        ],
        table_rows,
        notes=["A group is covered in a week when a volunteer or staff member posted, replied or reacted there.", note],
    )


register(
    Metric(
        key="group_coverage",
        title="Groups without supporter coverage",
        description="Groups where no volunteer or staff member took part that week.",
        compute=group_coverage,
        chart=Chart("bars", "week", ("uncovered",), unit="groups"),
        order=45,
    )
)


# --- Group mood --------------------------------------------------------------------------


def group_mood(span: Span) -> Table:
    from hearth.community.models import Group
    from hearth.safety.models import TriageRecord

    records = TriageRecord.objects.filter(
        created_at__gte=span.start_at, created_at__lt=span.end_at, group_id__isnull=False
    )
    is_post = Case(When(content_key__endswith=".post", then=1), default=0, output_field=IntegerField())
    is_reply = Case(When(content_key__endswith=".post", then=0), default=1, output_field=IntegerField())
    stats = records.values("group_id").annotate(
        posts=Sum(is_post),
        heavy=Count("pk", filter=Q(content_key__endswith=".post", heavy=True)),
        replies=Sum(is_reply),
        supportive=Count("pk", filter=~Q(content_key__endswith=".post") & Q(supportive=True)),
        authors=Count("author_id", distinct=True),
    )
    names = dict(Group.objects.values_list("pk", "name"))
    rows: list[dict[str, sn.Cell | str]] = []
    small = Counter[str]()
    for s in sorted(stats, key=lambda s: names.get(s["group_id"] or 0, "")):
        if s["authors"] < sn.MIN_CELL:
            # Merged: a group with fewer than 5 writers is folded into one "smaller groups" row.
            small.update({k: s[k] for k in ("posts", "heavy", "replies", "supportive", "authors")})
            small["groups"] += 1
            continue
        rows.append(_mood_row(names.get(s["group_id"] or 0, "A closed group"), dict(s)))
    if small["groups"]:
        label = f"{small['groups']} smaller group{'s' if small['groups'] != 1 else ''} together"
        if small["authors"] >= sn.MIN_CELL:
            rows.append(_mood_row(label, small))
        else:
            rows.append(
                {"group": label, "posts": sn.hidden(), "heavy_share": sn.hidden(), "supportive_share": sn.hidden()}
            )
    return Table(
        [
            Column("group", "Group"),
            Column("posts", "Posts"),
            Column("heavy_share", "Heavy posts"),
            Column("supportive_share", "Replies with supportive words"),
        ],
        rows,
        notes=[
            "From triage of every post and reply (no one reads them for this). Groups where fewer than 5 people wrote "
            "are counted together."
        ],
    )


def _mood_row(label: str, s: Mapping[str, Any]) -> dict[str, sn.Cell | str]:
    return {
        "group": label,
        "posts": sn.plain(s["posts"]),
        "heavy_share": sn.share(s["heavy"], s["posts"]),
        "supportive_share": sn.share(s["supportive"], s["replies"]),
    }


register(
    Metric(
        key="group_mood",
        title="Group mood",
        description="The share of heavy posts in each group, and of replies with supportive words.",
        compute=group_mood,
        chart=Chart("hbars", "group", ("heavy_share",), unit="% heavy"),
        order=50,
        research=False,  # group names are written by members
    )
)


# --- Care queue and check-ins --------------------------------------------------------------


def care_queue(span: Span) -> Table:
    from hearth.care.models import CareItem

    raised: Counter[date] = Counter()
    reached: dict[date, list[float]] = defaultdict(list)
    in_span = Q(created_at__gte=span.start_at, created_at__lt=span.end_at) | Q(
        done_at__gte=span.start_at, done_at__lt=span.end_at
    )
    # Only columns from care's first migration: the care queue is being extended alongside.
    for created, done in CareItem.objects.filter(in_span).values_list("created_at", "done_at"):
        if span.start_at <= created < span.end_at:
            raised[week_of(created)] += 1
        if done is not None and span.start_at <= done < span.end_at:
            reached[week_of(done)].append(_minutes(created, done) / 60)
    rows: list[dict[str, sn.Cell | str]] = [
        {
            "week": f"{week:%d %b %Y}",
            "raised": sn.count(raised[week]),
            "reached": sn.count(len(reached.get(week, []))),
            "hours_to_contact": sn.stat(reached.get(week, []), digits=1),
        }
        for week in span.weeks()
    ]
    return Table(
        [
            Column("week", "Week starting"),
            Column("raised", "Put on the care queue"),
            Column("reached", "Checked in with"),
            Column("hours_to_contact", "Median hours to check in"),
        ],
        rows,
        notes=["Time to check in: from going on the queue to someone recording the check-in."],
    )


register(
    Metric(
        key="care_queue",
        title="Care queue",
        description="People put on the care queue, people checked in with, and how long that took.",
        compute=care_queue,
        chart=Chart("bars", "week", ("raised", "reached"), unit="people"),
        unavailable=needs("care", "CareItem", "The care queue isn't set up yet."),
        order=55,
    )
)


def check_ins(span: Span) -> Table:
    from hearth.care.models import CheckInSend

    sent: Counter[date] = Counter()
    replied: Counter[date] = Counter()
    for at, answer in CheckInSend.objects.filter(sent_at__gte=span.start_at, sent_at__lt=span.end_at).values_list(
        "sent_at", "replied_at"
    ):
        sent[week_of(at)] += 1
        replied[week_of(at)] += answer is not None
    rows: list[dict[str, sn.Cell | str]] = [
        {
            "week": f"{week:%d %b %Y}",
            "sent": sn.count(sent[week]),
            "replied": sn.count(replied[week]),
            "completion": sn.share(replied[week], sent[week]),
        }
        for week in span.weeks()
    ]
    return Table(
        [
            Column("week", "Week starting"),
            Column("sent", "Check-ins sent"),
            Column("replied", "Answered"),
            Column("completion", "Share answered"),
        ],
        rows,
    )


register(
    Metric(
        key="check_ins",
        title="Check-in completion",
        description="Regular check-in messages sent in one-to-ones, and how many were answered.",
        compute=check_ins,
        chart=Chart("bars", "week", ("completion",), unit="% answered"),
        unavailable=needs("care", "CheckInSend", "Check-in rounds aren't set up yet (the care app's next step)."),
        order=60,
    )
)


# --- Gatherings ------------------------------------------------------------------------------


def gatherings(span: Span) -> Table:
    from hearth.chat.models import Attendance, Gathering

    held: Counter[date] = Counter(
        week_of(s)
        for s in Gathering.objects.filter(starts_at__gte=span.start_at, starts_at__lt=span.end_at).values_list(
            "starts_at", flat=True
        )
    )
    people: dict[date, set[int]] = defaultdict(set)
    for member_id, starts in Attendance.objects.filter(
        gathering__starts_at__gte=span.start_at, gathering__starts_at__lt=span.end_at
    ).values_list("member_id", "gathering__starts_at"):
        people[week_of(starts)].add(member_id)
    rows: list[dict[str, sn.Cell | str]] = [
        {"week": f"{week:%d %b %Y}", "held": sn.plain(held[week]), "people": sn.count(len(people.get(week, set())))}
        for week in span.weeks()
    ]
    return Table(
        [Column("week", "Week starting"), Column("held", "Gatherings"), Column("people", "Different people who came")],
        rows,
    )


register(
    Metric(
        key="gatherings",
        title="Gatherings",
        description="Scheduled gatherings each week and how many different people came (online or in person).",
        compute=gatherings,
        chart=Chart("bars", "week", ("people",), unit="people"),
        unavailable=needs("chat", "Attendance", "Gatherings aren't set up yet."),
        order=65,
    )
)


# --- Referrals ---------------------------------------------------------------------------------


def referrals(span: Span) -> Table:
    from hearth.signposting.models import Referral

    statuses = list(Referral.Status.choices)
    by_resource: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for name, status, member_id in Referral.objects.filter(
        created_at__gte=span.start_at, created_at__lt=span.end_at
    ).values_list("resource__name", "status", "member_id"):
        by_resource[name][status].add(member_id)
    rows: list[dict[str, sn.Cell | str]] = []
    for name in sorted(by_resource):
        cells = sn.breakdown({s: len(by_resource[name].get(s, set())) for s, _ in statuses})
        rows.append({"resource": name, **cells})
    return Table(
        [Column("resource", "Resource"), *[Column(s, label) for s, label in statuses]],
        rows,
        notes=["People referred or pointed to each resource in the period, by where the referral is now."],
    )


register(
    Metric(
        key="referrals",
        title="Referrals by resource and outcome",
        description="Where people were pointed for help beyond the group, and what came of it.",
        compute=referrals,
        chart=Chart("stacked", "resource", ("suggested", "made", "accepted", "declined", "closed"), unit="people"),
        unavailable=needs("signposting", "Referral", "The resources directory and referrals aren't set up yet."),
        order=70,
    )
)
