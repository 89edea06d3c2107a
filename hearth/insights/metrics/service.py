"""Service metrics: talk-now waits, crisis alert acknowledgement, rota gaps, group coverage and mood,
the care queue, check-ins, gatherings and referrals.

Each metric reads the worker's stored figures (``rollup.Stored``: what is counted is declared in ``specs.py``),
so a year costs what a week does. The tables that are a row per week (or month) of stored figures are
declared as data (``periodic.Periodic``: the columns and how each cell is worked out); referrals (by where each is now) are read from their table. Apps that
are not there yet (or whose tables aren't migrated) make the metric say so
instead of failing (``Metric.unavailable``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone

from hearth.insights import small_numbers as sn
from hearth.insights import specs
from hearth.insights.metrics.periodic import Col, Period, Periodic, periodic
from hearth.insights.models import InsightsSettings
from hearth.insights.registry import Chart, Column, Metric, Span, Table, needs, register
from hearth.insights.rollup import Stored

COVERED = ("covered.posts", "covered.replies", "covered.reactions")


# --- Talk now ------------------------------------------------------------------------


def _within(key: str, target: Callable[[InsightsSettings], int], whole: str) -> Callable[[Period], sn.Cell]:
    """The share of ``whole`` whose kept minutes in ``key`` are within the organisation's target."""

    def cell(p: Period) -> sn.Cell:
        limit = target(p.settings)
        return sn.share(sum(1 for m in p.kept(key) if m <= limit), p.count(whole))

    return cell


periodic(
    Periodic(
        key="talk_waits",
        title="Talk now: waiting times",
        description="How long people waited for a supporter, and the share answered within the target.",
        columns=(
            Col("requests", "Requests to talk", lambda p: sn.count(p.count("talk.asked"))),
            Col("answered", "Answered", lambda p: sn.count(len(p.kept("talk.waits")))),
            Col("median_wait", "Median wait (minutes)", lambda p: sn.stat(p.kept("talk.waits"), digits=1)),
            Col(
                "on_time",
                "Answered within {settings.talk_target_minutes} minutes",
                _within("talk.waits", lambda s: s.talk_target_minutes, "talk.asked"),
            ),
        ),
        notes=(
            "Wait: from asking to a supporter accepting. Requests never accepted count as not within "
            "{settings.talk_target_minutes} minutes.",
        ),
        chart=Chart("bars", "week", ("on_time",), unit="% within target"),
        order=30,
    )
)


# --- Crisis alerts ---------------------------------------------------------------------


periodic(
    Periodic(
        key="crisis_acknowledgement",
        title="Crisis alerts: time to acknowledge",
        description="How quickly someone on duty acknowledged each crisis alert.",
        by="month",
        columns=(
            Col("alerts", "Crisis alerts", lambda p: sn.count(p.count("crisis.raised"))),
            Col(
                "median_ack",
                "Median time to acknowledge (minutes)",
                lambda p: sn.stat(p.kept("crisis.acked"), digits=1),
            ),
            Col(
                "on_time",
                "Acknowledged within {settings.alert_target_minutes} minutes",
                _within("crisis.acked", lambda s: s.alert_target_minutes, "crisis.raised"),
            ),
        ),
        notes=("Counted by month: crisis alerts are rare, and each is about one person.",),
        chart=Chart("bars", "month", ("median_ack",), unit="minutes"),
        order=35,
    )
)


# --- Rota coverage gaps ----------------------------------------------------------------


def coverage_gaps(span: Span) -> Table:
    stored = Stored.of(span)
    ahead: dict[str, dict[date, int]] = {"gaps.nobody": {}, "gaps.short": {}}
    tomorrow = timezone.localdate() + timedelta(days=1)
    if span.end >= tomorrow:  # days to come aren't counted yet: the rota as written for them
        ahead = specs.rota_gaps(max(span.start, tomorrow), span.end)

    def hours(key: str, week: date) -> int:
        days = list(stored.days(week))
        return stored.count(key, days) + sum(ahead[key].get(d, 0) for d in days)

    rows: list[dict[str, sn.Cell | str]] = [
        {
            "week": f"{week:%d %b %Y}",
            "nobody": sn.plain(hours("gaps.nobody", week)),
            "short": sn.plain(hours("gaps.short", week)),
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
    from hearth.community.models import Group, GroupState

    stored = Stored.of(span)
    created = dict(Group.objects.filter(state=GroupState.ACTIVE).values_list("pk", "created_at"))
    in_order = sorted(created.values())
    table_rows: list[dict[str, sn.Cell | str]] = []
    for week in span.weeks():
        covered = {g for key in COVERED for g in stored.week(key, week)[1]}
        end = timezone.make_aware(datetime.combine(week + timedelta(days=7), time(0)))
        open_groups = bisect_left(in_order, end)  # groups made before the week ended
        covered_open = sum(1 for g in covered if g in created and created[g] < end)
        table_rows.append(
            {
                "week": f"{week:%d %b %Y}",
                "groups": sn.plain(open_groups),
                "uncovered": sn.plain(open_groups - covered_open),
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
        notes=[
            "A group is covered in a week when a volunteer or staff member posted, replied or reacted there "
            "(whoever was a volunteer or staff member when the week was counted).",
            note,
        ],
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

    stored = Stored.of(span)
    by_group: dict[int, Counter[str]] = defaultdict(Counter)
    for week in span.weeks():
        for key in ("posts", "heavy", "replies", "supportive"):
            for group_id, n in stored.week(f"mood.{key}", week)[1].items():
                by_group[int(group_id)][key] += n
        for group_id, n in stored.week("mood.writers", week)[1].items():
            # Writers: the most different people who wrote there in any one week (never more than wrote at all).
            by_group[int(group_id)]["authors"] = max(by_group[int(group_id)]["authors"], n)
    keys = ("posts", "heavy", "replies", "supportive", "authors")
    stats = [{"group_id": g, **{k: counts[k] for k in keys}} for g, counts in by_group.items()]
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
            "From triage of every post and reply (no one reads them for this), in whole weeks. Groups where fewer "
            "than 5 different people wrote in any one week are counted together."
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


periodic(
    Periodic(
        key="care_queue",
        title="Care queue",
        description="People put on the care queue, people checked in with, and how long that took.",
        columns=(
            Col("raised", "Put on the care queue", lambda p: sn.count(p.count("care.raised"))),
            Col("reached", "Checked in with", lambda p: sn.count(len(p.kept("care.reached")))),
            Col("hours_to_contact", "Median hours to check in", lambda p: sn.stat(p.kept("care.reached"), digits=1)),
        ),
        notes=("Time to check in: from going on the queue to someone recording the check-in.",),
        chart=Chart("bars", "week", ("raised", "reached"), unit="people"),
        unavailable=needs("care", "CareItem", "The care queue isn't set up yet."),
        order=55,
    )
)

periodic(
    Periodic(
        key="check_ins",
        title="Check-in completion",
        description="Regular check-in messages sent in one-to-ones, and how many were answered.",
        columns=(
            Col("sent", "Check-ins sent", lambda p: sn.count(p.count("checkins.sent"))),
            Col("replied", "Answered", lambda p: sn.count(p.count("checkins.replied"))),
            Col(
                "completion",
                "Share answered",
                lambda p: sn.share(p.count("checkins.replied"), p.count("checkins.sent")),
            ),
        ),
        chart=Chart("bars", "week", ("completion",), unit="% answered"),
        unavailable=needs("care", "CheckInSend", "Check-in rounds aren't set up yet (the care app's next step)."),
        order=60,
    )
)


# --- Gatherings ------------------------------------------------------------------------------


periodic(
    Periodic(
        key="gatherings",
        title="Gatherings",
        description="Scheduled gatherings each week and how many different people came (online or in person).",
        columns=(
            Col("held", "Gatherings", lambda p: sn.plain(p.count("gatherings.held"))),
            Col("people", "Different people who came", lambda p: sn.count(p.people("gatherings.people"))),
        ),
        notes=("Different people who came are counted in whole weeks, Monday to Sunday.",),
        chart=Chart("bars", "week", ("people",), unit="people"),
        unavailable=needs("chat", "Attendance", "Gatherings aren't set up yet."),
        order=65,
    )
)


# --- Referrals ---------------------------------------------------------------------------------


def referrals(span: Span) -> Table:
    from hearth.signposting.models import Referral

    statuses = list(Referral.Status.choices)
    # Different people per resource and status: the database counts them (a handful of rows come back).
    by_resource: dict[str, dict[str, int]] = defaultdict(dict)
    for name, status, people in (
        Referral.objects.filter(created_at__gte=span.start_at, created_at__lt=span.end_at)
        .values("resource__name", "status")
        .annotate(people=Count("member_id", distinct=True))
        .order_by()
        .values_list("resource__name", "status", "people")
    ):
        by_resource[name][status] = people
    rows: list[dict[str, sn.Cell | str]] = []
    for name in sorted(by_resource):
        cells = sn.breakdown({s: by_resource[name].get(s, 0) for s, _ in statuses})
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
