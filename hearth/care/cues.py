"""Social cues: what a member chose to share so someone notices before being asked.

Every cue here is opt-in, with an audience the member picks in the consent
centre: nobody (the default: nothing is collected), "my usual supporter", or
"the peer-work team" (which includes the usual supporter). Withdrawing a cue
deletes what was collected for it and its items on the queue, in the same
transaction as the choice (the kinds' ``on_change``).

:func:`find_cues` works every cue out for everyone who shares one (or a
given few); ``actions.do_refresh_cues`` keeps one open :class:`CareItem` per
person and cue in step with it: created when a cue starts to hold, its reason
updated while it holds, deleted when it stops holding unless someone already
claimed or snoozed it. This module only reads; the writes are in actions.py.

Recipe — *to add a cue*: add a ``Source`` value (models.py) and to
``CUE_SOURCES``, a ``_kind(...)`` below,
its data's deletion in ``actions.do_forget_cue``, a ``_cue_*`` function returning
``{member_id: (reason, weight)}`` and a line in ``find_cues``, then a story
in ``tests/test_cues.py`` and a withdrawal test in ``tests/test_consent.py``.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from hearth.care.models import MoodEntry, Source, Visit, WellbeingMetric, WellbeingReading
from hearth.members import consent
from hearth.members.models import Consent, Member

AUDIENCES = (consent.NOBODY, consent.USUAL_SUPPORTER, consent.PEER_TEAM)


def _handler(source: Source) -> Any:
    """Consent changes take effect at once: withdrawal deletes, sharing works the cue out now."""

    def on_change(member: Member, audience: consent.Audience) -> None:
        from hearth.care import actions  # the writes; actions reads this module

        if audience == consent.NOBODY:
            actions.do_forget_cue(member, source)
        else:
            if source == Source.GOING_QUIET:
                actions.do_backfill_visits(member)
            transaction.on_commit(lambda: actions.do_refresh_cues(member_ids=[member.pk]))

    return on_change


def _kind(source: Source, title: str, explanation: str) -> consent.ConsentKind:
    return consent.register(
        consent.ConsentKind(f"care.cue.{source.value}", title, explanation, AUDIENCES, on_change=_handler(source))
    )


ENERGY = _kind(
    Source.ENERGY,
    "Care cue: low energy for a few days",
    "If your energy has been low for two days or more, the people you choose see that on the care queue, "
    "so someone can check in. Nothing extra is collected; stop sharing and it leaves the queue at once.",
)
MOOD = _kind(
    Source.MOOD,
    "Care cue: your mood check-ins",
    "A short daily check-in (1 to 5, and a few words if you like), offered at most once a day and never on "
    "low-energy days unless you ask. Low moods a few days running show on the care queue. Stop sharing and "
    "your check-ins are deleted (unless you still share the mood trend).",
)
MOOD_TREND = _kind(
    Source.MOOD_TREND,
    "Care cue: a falling mood trend",
    "From the same check-ins: if your mood has been going down over two weeks, the people you choose see "
    "that, without your daily numbers. Stop sharing both mood cues and your check-ins are deleted.",
)
GOING_QUIET = _kind(
    Source.GOING_QUIET,
    "Care cue: going quiet",
    "Hearth notes the days you come in (not what you read) and learns your own usual pattern. If you're "
    "away noticeably longer than usual for you, the people you choose see that. Stop sharing and the record "
    "of your days is deleted.",
)
MISSED_GATHERING = _kind(
    Source.MISSED_GATHERING,
    "Care cue: missing a gathering you usually come to",
    "If you usually come to a group's gatherings and miss one, the people you choose see that. It uses the "
    "attendance the gathering already records; nothing extra is kept.",
)
WELLBEING = _kind(
    Source.WELLBEING,
    "Care cue: wellbeing scores from a tracker",
    "Daily stress or sleep scores you upload (CSV or JSON) or send with a personal token. If they are well "
    "outside your own usual range for three days, the people you choose see that. Stop sharing and your "
    "scores and tokens are deleted.",
)
KINDS: dict[str, consent.ConsentKind] = {
    s.value: k
    for s, k in (
        (Source.ENERGY, ENERGY),
        (Source.MOOD, MOOD),
        (Source.MOOD_TREND, MOOD_TREND),
        (Source.GOING_QUIET, GOING_QUIET),
        (Source.MISSED_GATHERING, MISSED_GATHERING),
        (Source.WELLBEING, WELLBEING),
    )
}
_KIND_OF = {k.key: s for s, k in KINDS.items()}
CONSENT_KEYS = tuple(k.key for k in KINDS.values())


def audiences_of(member_ids: Iterable[int]) -> dict[tuple[int, str], consent.Audience]:
    """``(member_id, source) -> audience`` for every cue someone shares (absent means nobody). One query."""
    out: dict[tuple[int, str], consent.Audience] = {}
    rows = Consent.objects.filter(member_id__in=list(member_ids), kind__in=CONSENT_KEYS).values_list(
        "member_id", "kind", "audience"
    )
    for member_id, key, audience_key in rows:
        kind = consent.get_kind(key)
        audience = kind.audience(audience_key) if kind is not None else None
        if audience is not None and audience != consent.NOBODY:
            out[(member_id, _KIND_OF[key])] = audience
    return out


def sharing(source: Source, member_ids: Iterable[int] | None = None) -> QuerySet[Consent, int]:
    """Who shares ``source`` with someone (optionally among ``member_ids``), as a subquery of member ids.

    A subquery rather than a list, so an organisation of any size never hits the database's limit on
    query parameters.
    """
    rows = Consent.objects.filter(kind=KINDS[source].key).exclude(audience=consent.NOBODY.key)
    if member_ids is not None:
        rows = rows.filter(member_id__in=list(member_ids))
    return rows.values_list("member_id", flat=True)


def shares_any(member: Member, *sources: Source) -> bool:
    keys = [KINDS[s].key for s in sources]
    return Consent.objects.filter(member=member, kind__in=keys).exclude(audience=consent.NOBODY.key).exists()


# --- Baselines ---------------------------------------------------------------------------

MIN_GAPS = 8  # visits needed (gaps between visit days) before "usual" means anything
MAD_K = 3.0
MAD_SCALE = 1.4826  # makes the MAD comparable to a standard deviation for normal data


@dataclass(frozen=True)
class Baseline:
    """A member's usual gap between visits, from their own history."""

    usual: float  # the median gap, in days
    threshold: float  # a gap longer than this is "noticeably longer than usual" for them

    def words(self) -> str:
        if self.usual <= 1.0:
            return "usually here most days"
        return f"usually here every {round(self.usual)} days"


def visit_baseline(days: list[date]) -> Baseline | None:
    """The baseline from sorted distinct visit days, or ``None`` with too little history.

    The threshold is the largest of: median + 3 scaled MADs (robust to a few
    long breaks), twice the median, the member's own 90th-percentile gap, and
    median + 2 days. The percentile term is what protects members whose
    pattern is irregular: if they often stay away for two weeks, two weeks is
    normal for them, however short their median gap.
    """
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    if len(gaps) < MIN_GAPS:
        return None
    median = statistics.median(gaps)
    mad = statistics.median(abs(g - median) for g in gaps)
    p90 = sorted(gaps)[int(0.9 * (len(gaps) - 1) + 0.5)]
    threshold = max(median + MAD_K * MAD_SCALE * mad, 2 * median, float(p90), median + 2)
    return Baseline(usual=median, threshold=threshold)


def _cue_going_quiet(member_ids: Any, today: date) -> dict[int, tuple[str, int]]:
    """Gone longer than their own usual pattern. Visits come from the last 180 days."""
    days_of: dict[int, list[date]] = defaultdict(list)
    rows = (
        Visit.objects.filter(member_id__in=member_ids, day__gte=today - timedelta(days=180))
        .order_by("member_id", "day")
        .values_list("member_id", "day")
    )
    for member_id, day in rows.iterator(chunk_size=5000):
        days_of[member_id].append(day)
    # Someone who goes straight to a group without opening the home page still "came in":
    # the community records when they last read each group.
    from hearth.community.models import Membership

    last_read = dict(
        Membership.objects.filter(member_id__in=member_ids)
        .values("member_id")
        .annotate(last=Max("last_read_at"))
        .values_list("member_id", "last")
    )
    out = {}
    for member_id, days in days_of.items():
        baseline = visit_baseline(days)
        if baseline is None:
            continue
        last = days[-1]
        if last_read.get(member_id) is not None:
            last = max(last, timezone.localdate(last_read[member_id]))
        away = (today - last).days
        if away > baseline.threshold:
            weight = 15 + min(25, int(5 * away / max(baseline.usual, 1)))
            out[member_id] = (f"hasn't been in for {away} days — {baseline.words()}", weight)
    return out


def _cue_mood(member_ids: Any, today: date) -> dict[int, tuple[str, int]]:
    """A very low mood today, or low (2 or less) on each of the last three check-ins within five days."""
    out = {}
    recent: dict[int, list[MoodEntry]] = defaultdict(list)
    for entry in MoodEntry.objects.filter(member_id__in=member_ids, day__gte=today - timedelta(days=5)).order_by(
        "member_id", "-day"
    ):
        recent[entry.member_id].append(entry)
    for member_id, entries in recent.items():
        last3 = entries[:3]
        if len(last3) == 3 and all(e.score <= 2 for e in last3):
            scores = {e.score for e in last3}
            said = f"mood {last3[0].score}/5" if len(scores) == 1 else "mood 2/5 or lower"
            out[member_id] = (f"{said} three check-ins running", 35)
        elif entries[0].score == 1 and entries[0].day >= today - timedelta(days=1):
            out[member_id] = ("mood 1/5 at their last check-in", 35)
    return out


def mood_slope(points: list[tuple[int, int]]) -> float:
    """Least-squares slope of ``(day number, score)`` points, in score per day."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else 0.0


def _cue_mood_trend(member_ids: Any, today: date) -> dict[int, tuple[str, int]]:
    """Mood going down over the last 14 days: at least 4 check-ins, a clear downward slope, ending low."""
    out = {}
    series: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = MoodEntry.objects.filter(member_id__in=member_ids, day__gte=today - timedelta(days=14)).order_by(
        "member_id", "day"
    )
    for member_id, day, score in rows.values_list("member_id", "day", "score"):
        series[member_id].append(((day - today).days, score))
    for member_id, points in series.items():
        if len(points) < 4:
            continue
        half = len(points) // 2
        start = statistics.fmean(s for _, s in points[:half])
        end = statistics.fmean(s for _, s in points[half:])
        if mood_slope(points) <= -0.1 and start - end >= 1.0 and points[-1][1] <= 3:
            span = points[-1][0] - points[0][0]
            out[member_id] = (
                f"mood falling: from about {round(start)}/5 to {points[-1][1]}/5 over {span} days",
                30,
            )
    return out


def _cue_energy(member_ids: Any, now: datetime) -> dict[int, tuple[str, int]]:
    """Energy set to low at least two days ago and still low."""
    from hearth.community.models import CommunityProfile, Energy

    out = {}
    rows = CommunityProfile.objects.filter(
        member_id__in=member_ids, energy=Energy.LOW, energy_set_at__lte=now - timedelta(days=2)
    ).values_list("member_id", "energy_set_at")
    for member_id, since in rows:
        days = (now - since).days if since else 0
        out[member_id] = (f"energy low for {days} days", 10 + min(10, days))
    return out


def _cue_wellbeing(member_ids: Any, today: date) -> dict[int, tuple[str, int]]:
    """Three recent days well outside the member's own range (their previous 4 weeks, at least 7 readings)."""
    out: dict[int, tuple[str, int]] = {}
    series: dict[tuple[int, str], list[tuple[date, float]]] = defaultdict(list)
    rows = WellbeingReading.objects.filter(member_id__in=member_ids, day__gte=today - timedelta(days=35)).order_by(
        "member_id", "metric", "day"
    )
    for member_id, metric, day, value in rows.values_list("member_id", "metric", "day", "value"):
        series[(member_id, metric)].append((day, value))
    for (member_id, metric), points in series.items():
        recent = [v for d, v in points if d > today - timedelta(days=3)]
        before = [v for d, v in points if d <= today - timedelta(days=3)]
        if len(recent) < 3 or len(before) < 7:
            continue
        usual = statistics.median(before)
        spread = max(MAD_SCALE * statistics.median(abs(v - usual) for v in before), 5.0)
        avg = statistics.fmean(recent)
        if metric == WellbeingMetric.STRESS and min(recent) > usual + 2 * spread:
            words = f"stress score high three days running (about {round(avg)}, usually about {round(usual)})"
        elif metric == WellbeingMetric.SLEEP and max(recent) < usual - 2 * spread:
            words = f"sleep score low three nights running (about {round(avg)}, usually about {round(usual)})"
        else:
            continue
        if member_id in out:
            words = out[member_id][0] + "; " + words
        out[member_id] = (words, 20)
    return out


def _cue_missed_gathering(member_ids: Any, now: datetime) -> dict[int, tuple[str, int]]:
    """Missed the latest gathering of a group whose gatherings they usually come to (3 of the 5 before)."""
    from hearth.chat.models import Attendance, Gathering

    out: dict[int, tuple[str, int]] = {}
    gatherings = list(
        Gathering.objects.filter(starts_at__gte=now - timedelta(days=70), ends_at__lte=now)
        .order_by("group_id", "starts_at")
        .values_list("pk", "group_id", "starts_at", "ends_at", "title")
    )
    attended: dict[int, set[int]] = defaultdict(set)
    rows = Attendance.objects.filter(member_id__in=member_ids, gathering_id__in=[g[0] for g in gatherings])
    for gathering_id, member_id in rows.values_list("gathering_id", "member_id"):
        attended[member_id].add(gathering_id)
    regulars = set(attended)  # only someone who came to something can have missed what they usually come to
    by_group: dict[int, list[Any]] = defaultdict(list)
    for g in gatherings:
        by_group[g[1]].append(g)
    for series in by_group.values():
        latest, before = series[-1], series[-6:-1]
        if latest[3] < now - timedelta(days=3) or len(before) < 3:
            continue
        for member_id in regulars:
            came = sum(1 for g in before if g[0] in attended[member_id])
            if latest[0] not in attended[member_id] and came >= 3 and came >= len(before) * 0.6:
                day = timezone.localtime(latest[2]).strftime("%A")
                usually = f"all {came}" if came == len(before) else f"{came} of the {len(before)}"
                out[member_id] = (f"missed {day}'s {latest[4]} — came to {usually} before", 15)
    return out


# --- Keeping the queue in step ------------------------------------------------------------


def days_seen(member: Member, *, days: int = 180) -> set[date]:
    """The days in the last ``days`` a member posted, replied or reacted: a newly shared "going quiet" cue's
    history (``actions.do_backfill_visits`` stores it)."""
    from hearth.community.models import Comment, Post, Reaction

    since = timezone.now() - timedelta(days=days)
    moments: list[datetime] = []
    for model, field in ((Post, "author"), (Comment, "author"), (Reaction, "member")):
        moments += model.objects.filter(**{field: member, "created_at__gte": since}).values_list(
            "created_at", flat=True
        )
    return {timezone.localdate(m) for m in moments}


def find_cues(now: datetime, ids: set[int] | None) -> dict[tuple[int, str], tuple[str, int]]:
    """Every shared cue that holds now, for everyone (``ids`` None) or a few: ``(member_id, source) -> (reason,
    weight)``. ``actions.do_refresh_cues`` brings the care queue in step with it."""
    today = timezone.localdate(now)
    found: dict[tuple[int, str], tuple[str, int]] = {}
    computations: tuple[tuple[Source, Any, date | datetime], ...] = (
        (Source.GOING_QUIET, _cue_going_quiet, today),
        (Source.MOOD, _cue_mood, today),
        (Source.MOOD_TREND, _cue_mood_trend, today),
        (Source.ENERGY, _cue_energy, now),
        (Source.WELLBEING, _cue_wellbeing, today),
        (Source.MISSED_GATHERING, _cue_missed_gathering, now),
    )
    for source, compute, arg in computations:
        who = sharing(source, ids)
        for member_id, value in compute(who, arg).items():
            found[(member_id, source)] = value
    return found
