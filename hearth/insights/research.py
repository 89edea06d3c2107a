"""The research export: a de-identified, consented dataset as CSV files in one zip, with a data dictionary.

De-identification, all of it here:
- only members who chose "yes" for ``insights.research`` (and, for outcomes, who answer questionnaires);
- a pseudonymous id per person: HMAC-SHA256 of the member id with the organisation's secret
  ``InsightsSettings.research_key`` (stable across exports, not reversible without the key);
- every date about a person moved by that person's own offset (1 to 182 days earlier or later,
  also derived from the key), so intervals within one person's record stay true;
- no names, emails, contact details, free text, group names or anything anyone wrote;
- service-wide aggregates come from the dashboard's metrics, with small numbers hidden;
- no export at all with fewer than 5 consenting people; every export is audited.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import zipfile
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from hearth.core import audit
from hearth.core.errors import ActionError
from hearth.insights import measures, registry
from hearth.insights.access import research_members
from hearth.insights.metrics.activity import activity, style_of
from hearth.insights.models import InsightsSettings, OutcomeResponse
from hearth.insights.small_numbers import MIN_CELL
from hearth.members import policy
from hearth.members.models import Member, RoleGrant
from hearth.members.policy import Perm

MAX_SHIFT_DAYS = 182
FLAGS = [
    ("posted", "post", "Wrote a post or a chat message in a group"),
    ("replied", "reply", "Replied to someone else's post"),
    ("reacted", "react", "Reacted to a post"),
    ("here_quietly", "here", "Said 'I'm here' in a group"),
    ("attended", "attend", "Came to a gathering"),
    ("read", "read", "Visited or read (only the latest visit is recorded, so this undercounts)"),
    ("talked", "talk", "Asked to talk to a supporter, or had a one-to-one as the member"),
    ("supported", "support", "Supported someone: a one-to-one, a talk request or a gathering as the volunteer"),
    ("hosted", "host", "Hosts a group or facilitated a gathering"),
]
ITEMS = max(len(q.items) for q in measures.QUESTIONNAIRES.values())

DICTIONARY: list[tuple[str, str, str, str]] = [
    (
        "participants.csv",
        "pid",
        "text",
        "Pseudonymous id (HMAC-SHA256 of the member id with the organisation's secret)",
    ),
    ("participants.csv", "role", "member|supporter", "supporter: a volunteer, peer worker, counsellor or coordinator"),
    ("participants.csv", "joined_on", "date", "The day they joined, shifted by their offset"),
    ("participation.csv", "pid", "text", "Pseudonymous id"),
    ("participation.csv", "week_start", "date", "Monday of the week, shifted by the person's offset"),
    (
        "participation.csv",
        "style",
        "text",
        "host, supporter, poster, reactor, here, reader or empty: the most visible way they took part",
    ),
    *[("participation.csv", name, "0|1", text) for name, _, text in FLAGS],
    ("outcomes.csv", "pid", "text", "Pseudonymous id"),
    ("outcomes.csv", "measure", "phq9|gad7|ucla3", "Which questionnaire"),
    ("outcomes.csv", "answered_on", "date", "The day it was answered, shifted by the person's offset"),
    ("outcomes.csv", "score", "integer", "Total score (PHQ-9 0-27, GAD-7 0-21, UCLA-3 3-9)"),
    ("outcomes.csv", "band", "text", "Published severity band of the score"),
    *[
        ("outcomes.csv", f"item_{i}", "integer", f"Answer to item {i} (empty if the measure has fewer items)")
        for i in range(1, ITEMS + 1)
    ],
    ("service_metrics.csv", "metric", "text", "Dashboard metric key"),
    ("service_metrics.csv", "row", "text", "Row label (a week, a month, a band); dates here are not shifted"),
    ("service_metrics.csv", "column", "text", "What the figure is"),
    (
        "service_metrics.csv",
        "value",
        "text",
        f"The figure; 'fewer than {MIN_CELL}' where it is about fewer than {MIN_CELL} people",
    ),
]


def pseudonym(key: str, member_id: int) -> str:
    return hmac.new(key.encode(), f"member:{member_id}".encode(), hashlib.sha256).hexdigest()[:20]


def shift_days(key: str, member_id: int) -> int:
    """The person's date offset: 1 to 182 days, earlier or later, never 0; the same in every export."""
    digest = hmac.new(key.encode(), f"shift:{member_id}".encode(), hashlib.sha256).digest()
    n = int.from_bytes(digest[:4], "big") % (2 * MAX_SHIFT_DAYS)
    return n - MAX_SHIFT_DAYS if n < MAX_SHIFT_DAYS else n - MAX_SHIFT_DAYS + 1


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def build_export(span: registry.Span) -> tuple[dict[str, str], int]:
    """The export's files (name -> CSV text) and how many people it covers."""
    key = InsightsSettings.load().research_key
    people = list(research_members().values_list("pk", "date_joined"))
    ids = {pk for pk, _ in people}
    pid = {pk: pseudonym(key, pk) for pk in ids}
    shift = {pk: timedelta(days=shift_days(key, pk)) for pk in ids}
    supporters = set(
        RoleGrant.objects.filter(member_id__in=ids, role__in=policy.roles_with(Perm.COVER_GROUPS)).values_list(
            "member_id", flat=True
        )
    )
    files: dict[str, str] = {}
    files["participants.csv"] = _csv(
        ["pid", "role", "joined_on"],
        sorted(
            [
                pid[pk],
                "supporter" if pk in supporters else "member",
                (timezone.localdate(joined) + shift[pk]).isoformat(),
            ]
            for pk, joined in people
        ),
    )
    rows: list[list[object]] = []
    for week, members in sorted(activity(span).items()):
        for member_id, actions in members.items():
            if member_id not in ids:
                continue
            rows.append(
                [pid[member_id], (week + shift[member_id]).isoformat(), style_of(actions) or ""]
                + [int(action in actions) for _, action, _ in FLAGS]
            )
    files["participation.csv"] = _csv(["pid", "week_start", "style", *[n for n, _, _ in FLAGS]], sorted(rows))
    rows = []
    for member_id, measure, created, score, band, answers in OutcomeResponse.objects.filter(
        member_id__in=ids, created_at__gte=span.start_at, created_at__lt=span.end_at
    ).values_list("member_id", "measure", "created_at", "score", "band", "answers"):
        items = [int(a) for a in answers] + [""] * (ITEMS - len(answers))
        day: date = timezone.localdate(created) + shift[member_id]
        rows.append([pid[member_id], measure, day.isoformat(), score, band, *items])
    files["outcomes.csv"] = _csv(
        ["pid", "measure", "answered_on", "score", "band", *[f"item_{i}" for i in range(1, ITEMS + 1)]], sorted(rows)
    )
    rows = []
    for metric in registry.metrics():
        if not metric.research or metric.unavailable():
            continue
        table = metric.compute(span)
        x = table.columns[0]
        for row in table.rows:
            for col in table.columns[1:]:
                rows.append([metric.key, str(row.get(x.key, "")), col.label, str(row.get(col.key, ""))])
    files["service_metrics.csv"] = _csv(["metric", "row", "column", "value"], rows)
    files["data_dictionary.csv"] = _csv(["file", "column", "type", "description"], [list(r) for r in DICTIONARY])
    return files, len(ids)


def do_research_export(actor: Member, span: registry.Span) -> bytes:
    """The zip for a coordinator; refused with fewer than 5 consenting people. Audited."""
    policy.require(actor, Perm.EXPORT_RESEARCH)
    with transaction.atomic():
        files, count = build_export(span)
        if count < MIN_CELL:
            raise ActionError(
                f"Fewer than {MIN_CELL} people have said yes to research, so there is nothing that can be shared "
                "without risking someone being recognised."
            )
        audit.log_action(
            "insights.research.exported",
            actor=actor,
            data={"people": count, "start": span.start.isoformat(), "end": span.end.isoformat()},
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()
