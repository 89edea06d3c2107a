"""A member's own picture: their mood check-ins, energy, gatherings and questionnaire results.

Only ever about the one person, and never compared with anyone else.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from hearth.insights import charts, measures
from hearth.insights.access import ONLY_ME, OUTCOMES, TAKING_PART, WITH_STAFF
from hearth.insights.models import InsightsSettings, OutcomeInvitation, OutcomeResponse
from hearth.insights.registry import model_ready
from hearth.members import consent
from hearth.members.models import Member

MOOD_WORDS = {1: "Very low", 2: "Low", 3: "Okay", 4: "Good", 5: "Very good"}


def outcome_charts(responses: QuerySet[OutcomeResponse]) -> list[dict[str, Any]]:
    by_measure: dict[str, list[OutcomeResponse]] = {}
    for r in responses:
        by_measure.setdefault(r.measure, []).append(r)
    out = []
    for measure, rows in by_measure.items():
        q = measures.get(measure)
        points = [(f"{timezone.localtime(r.created_at):%d %b %Y}", float(r.score)) for r in rows]
        out.append(
            {
                "q": q,
                "chart": charts.line(
                    f"your {q.name} scores",
                    points,
                    q.min_score,
                    q.max_score,
                    ticks=[(b.low, f"{b.label} {b.low}") for b in q.bands],
                    zones=[(b.low, b.high, b.label) for b in q.bands[1::2]],
                ),
                "rows": [(r, q.band_label(r.band)) for r in reversed(rows)],
            }
        )
    return out


def picture(member: Member) -> dict[str, Any]:
    since = timezone.now() - timedelta(days=365)
    context: dict[str, Any] = {}
    if model_ready("care", "MoodEntry"):
        from hearth.care.models import MoodEntry

        entries = list(MoodEntry.objects.filter(member=member, day__gte=since.date()).order_by("day"))
        context["mood"] = charts.line(
            "your mood check-ins",
            [(f"{e.day:%d %b}", float(e.score)) for e in entries],
            1,
            5,
            ticks=list(MOOD_WORDS.items()),
        )
        context["mood_rows"] = [(e.day, MOOD_WORDS.get(e.score, e.score)) for e in reversed(entries[-14:])]
    from hearth.community.access import profile_of

    profile = profile_of(member)
    context["energy"] = profile.get_energy_display() if profile.energy else ""
    context["energy_set_at"] = profile.energy_set_at
    if model_ready("chat", "Attendance"):
        from hearth.chat.models import Attendance

        context["gatherings"] = list(
            Attendance.objects.filter(member=member, gathering__starts_at__gte=since)
            .select_related("gathering", "gathering__group")
            .order_by("-gathering__starts_at")[:50]
        )
    choice = consent.audience_for(member, OUTCOMES.key)
    context["taking_part"] = choice.key in TAKING_PART
    context["shared_with_staff"] = choice.key == WITH_STAFF.key
    context["only_me"] = ONLY_ME
    context["outcomes"] = outcome_charts(OutcomeResponse.objects.filter(member=member).order_by("created_at", "pk"))
    offered = InsightsSettings.load().measures_on()
    context["offered"] = [measures.get(m) for m in offered]
    context["open"] = set(
        OutcomeInvitation.objects.filter(
            member=member, answered_at__isnull=True, set_aside_at__isnull=True
        ).values_list("measure", flat=True)
    )
    return context
