"""What Hearth already knows about a writer, for reading their message in context (issue 20).

:func:`writer_context` builds a :class:`~hearth.safety.triage.context.WriterContext` from safety's own records —
their recent triage results (crisis, concern, a goodbye-like message) and a recent crisis alert about them — and
from the sources higher apps register (care adds the cues a member shares *with the team*; a cue they keep to
themselves or their usual supporter is never read here). It is looked up only when the message could be read
differently with it (``context_could_matter``), so ordinary chat costs no query.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from hearth.members.models import Member
from hearth.safety.models import RISK_ORDER, CrisisAlert, Risk, TriageRecord  # RISK_ORDER: 0 is most urgent
from hearth.safety.triage.context import WriterContext

CONTEXT_WINDOW = timedelta(days=3)  # how far back a writer's own results count
ContextSource = Callable[[Member, datetime], list[str]]
_SOURCES: list[ContextSource] = []


def register_source(source: ContextSource) -> None:
    """A higher app adds what it knows (plain words for staff), respecting the member's own sharing choices."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def _ago(now: datetime, then: datetime) -> str:
    days = (now - then).days
    if days >= 1:
        return f"{days} day{'s' if days != 1 else ''} ago"
    hours = max(1, int((now - then).total_seconds() // 3600))
    return f"{hours} hour{'s' if hours != 1 else ''} ago"


def writer_context(member: Member | None, now: datetime | None = None) -> WriterContext:
    if member is None:
        return WriterContext()
    now = now or timezone.now()
    since = now - CONTEXT_WINDOW
    records = list(
        TriageRecord.objects.filter(author=member, created_at__gte=since, created_at__lt=now)
        .exclude(risk=Risk.NONE)
        .order_by("-created_at")
        .only("risk", "reasons", "created_at")[:20]
    )
    notes: list[str] = []
    recent_risk = Risk.NONE.value
    for r in records:
        if RISK_ORDER.get(Risk(r.risk), 2) < RISK_ORDER.get(Risk(recent_risk), 2):
            recent_risk = r.risk
    if records:
        worst = next(r for r in records if r.risk == recent_risk)
        notes.append(f"flagged as {recent_risk} {_ago(now, worst.created_at)}")
    goodbye = any(
        any(w in str(reason) for w in ("goodbye", "farewell", "finality")) for r in records for reason in r.reasons
    )
    if goodbye:
        notes.append("wrote something like a goodbye recently")
    alert = (
        CrisisAlert.objects.filter(member=member, drill=False, created_at__gte=since, created_at__lt=now)
        .order_by("-created_at")
        .first()
    )
    if alert is not None:
        notes.append(f"a crisis alert about them {_ago(now, alert.created_at)}")
    cues = tuple(c for source in _SOURCES for c in source(member, now))
    notes += list(cues)
    return WriterContext(
        recent_risk=recent_risk,
        open_alert=alert is not None,
        recent_goodbye=goodbye,
        cues=cues,
        notes=tuple(notes),
    )
