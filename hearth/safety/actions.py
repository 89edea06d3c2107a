"""Safety actions: screening every piece of writing, reports, moderation decisions, sanctions, appeals.

Principles, enforced here:
- every post, comment and chat message is triaged as it is written, in the
  writer's own transaction (:func:`screen_writing`);
- triage and reports route work to people; the only automatic hiding is the
  "several reports pending" rule; warnings, mutes, suspensions and bans are
  always a person's decision, audited with who, what and why;
- volunteers are never given crisis details; members never see reasons or
  other people's reports; a report always gets an outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone

from hearth.core import audit, notifications, throttle
from hearth.core import screening as screening_registry
from hearth.core.deliveries import cancel as cancel_deliveries
from hearth.core.deliveries import send_email
from hearth.core.errors import ActionError
from hearth.core.events import member_group, send_event_on_commit, writing_changed_on_commit
from hearth.core.logs import log_event_on_commit
from hearth.core.screening import Screening
from hearth.members import actions as member_actions
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm
from hearth.safety import alerts, content
from hearth.safety.contact import contact_risks
from hearth.safety.context import writer_context
from hearth.safety.models import (
    RISK_ORDER,
    Appeal,
    CrisisAlert,
    ModerationItem,
    ModeratorAway,
    ModeratorNote,
    MoodAlert,
    Report,
    Risk,
    Sanction,
    TriageLabel,
    TriageRecord,
)
from hearth.safety.mood import group_mood, is_supportive
from hearth.safety.triage import TriageResult, classify
from hearth.safety.triage.context import apply_context, context_could_matter

_DECISIONS = "Reports and decisions"
notifications.register(
    notifications.Kind("safety.report_outcome", "What happened to something you reported", _DECISIONS)
)
# Decisions about a person's own account: always in the app (the email with the appeal link is sent regardless).
for _key, _label in (
    ("safety.decision", "A moderator's decision about your account"),
    ("safety.appeal", "The answer to an appeal"),
):
    notifications.register(
        notifications.Kind(_key, _label, _DECISIONS, urgent=True, channels=("app", "push"), required=frozenset({"app"}))
    )
notifications.register(
    notifications.Kind(
        "safety.mood_alert",
        "A group you host, or the team looks after, is having a hard time",
        "For hosts and the team",
        applies=lambda m: policy.is_supporter(m) or _hosts_a_group(m),
    )
)


def _hosts_a_group(member: Member) -> bool:
    from hearth.safety import groups  # community sits above safety: it answers, safety never imports it

    return groups.hosts_a_group(member)


audit.register(
    {
        "safety.content.hidden": "{actor} hid a {label} by {subject}: {reason}",
        "safety.content.restored": "{actor} restored a {label} by {subject}: {reason}",
        "safety.content.auto_hidden": "A {label} by {subject} was hidden pending review after {reports} reports",
        "safety.item.dismissed": "{actor} looked at an item about {subject} and left it up: {reason}",
        "safety.item.noted": "{actor} added a moderator note about {subject}",
        "safety.item.reassigned": "{actor} stepped away; their queue items were shared out",
        "safety.sanction.warn": "{actor} warned {subject}: {reason}",
        "safety.sanction.mute": "{actor} muted {subject} until {until}: {reason}",
        "safety.sanction.suspend": "{actor} suspended {subject} until {until}: {reason}",
        "safety.sanction.ban": "{actor} banned {subject}: {reason}",
        "safety.sanction.lifted": "{actor} lifted a sanction on {subject}",
        "safety.appeal.made": "{subject} appealed a {kind}",
        "safety.appeal.decided": "{actor} decided an appeal by {subject}: {decision}",
        "safety.report.made": "{actor} reported a {label}",
        "safety.details.viewed": "{actor} viewed the details of a crisis item about {subject}",
        "safety.item.labelled": "{actor} said what a message about {subject} really was: {risk}",
        "safety.labels.exported": "{actor} exported {count} triage labels for retraining on the server",
    }
)

HOSTILITY_WINDOW = timedelta(hours=1)
HOSTILITY_LIMIT = 3  # flagged messages in the window before the writer is slowed down
HOSTILITY_COOLDOWN = timedelta(minutes=15)
REPORTS_PER_HOUR = 5
REPORT_WINDOW = timedelta(hours=1)
REPORTS_TO_HIDE = 3
QUEUE_LIMIT = 500  # items on one queue page  # from different members, pending: hidden until a moderator decides
_APPEAL_SALT = "hearth.safety.appeal"
APPEAL_WINDOW = timedelta(days=90)  # how long an appeal link works


# --- Writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WritingRules:
    """What may stop a member writing, as read at one moment: their sanctions in force and their recent hostile
    writing. :meth:`check` judges a message against them at its own time, so a mute that ends, or a cooldown
    that passes, needs no second read.

    A live room keeps one per socket (:mod:`hearth.chat.consumers`) instead of reading them for every message;
    whatever changes them — a sanction given or lifted, hostile writing triaged — tells the member's open
    sockets on commit (:func:`hearth.core.events.writing_changed_on_commit`), which read them again.
    """

    sanctions: tuple[Sanction, ...]
    hostile: tuple[datetime, ...]  # when their latest hostile writing was triaged (newest first, the window's)

    def check(self, now: datetime | None = None) -> None:
        """Refuse writing while muted or suspended, or briefly after repeated hostile messages."""
        now = now or timezone.now()
        for sanction in self.sanctions:
            if sanction.active(now):
                until = f" until {timezone.localtime(sanction.until):%A %H:%M}" if sanction.until else ""
                raise ActionError(
                    f"You can't post or send messages{until}: {sanction.reason} You can read, and you can appeal "
                    "from the 'Your reports and decisions' page."
                )
        recent = [at for at in self.hostile if at >= now - HOSTILITY_WINDOW][:HOSTILITY_LIMIT]
        if len(recent) >= HOSTILITY_LIMIT and now - recent[0] < HOSTILITY_COOLDOWN:
            wait = int((HOSTILITY_COOLDOWN - (now - recent[0])).total_seconds() // 60) + 1
            raise ActionError(
                f"Let's pause for a few minutes: several of your recent messages came across as hostile. "
                f"You can write again in {wait} minute{'s' if wait != 1 else ''}."
            )


def writing_rules(author: Member, now: datetime | None = None) -> WritingRules:
    """Read what may stop ``author`` writing (see :class:`WritingRules`)."""
    return writing_rules_of([author.pk], now)[author.pk]


def writing_rules_of(member_ids: Iterable[int], now: datetime | None = None) -> dict[int, WritingRules]:
    """:func:`writing_rules` for several people in two queries (a batch of chat sends)."""
    now = now or timezone.now()
    ids = set(member_ids)
    if not ids:
        return {}
    sanctions: dict[int, list[Sanction]] = {pk: [] for pk in ids}
    for sanction in Sanction.objects.filter(
        member_id__in=ids, lifted_at__isnull=True, kind__in=["mute", "suspend", "ban"]
    ):
        sanctions[sanction.member_id].append(sanction)
    hostile: dict[int, list[datetime]] = {pk: [] for pk in ids}
    rows = TriageRecord.objects.filter(author_id__in=ids, created_at__gte=now - HOSTILITY_WINDOW)
    for author_id, at, flags in rows.order_by("-created_at").values_list("author_id", "created_at", "flags"):
        if "hostility" in flags and len(hostile[author_id]) < HOSTILITY_LIMIT:
            hostile[author_id].append(at)
    return {pk: WritingRules(tuple(sanctions[pk]), tuple(hostile[pk])) for pk in ids}


def check_can_write(author: Member, now: datetime | None = None) -> None:
    """Refuse writing while muted or suspended, or briefly after repeated hostile messages."""
    writing_rules(author, now).check(now)


def screen_writing(
    *,
    author: Member,
    text: str,
    content_key: str,
    object_id: int,
    group_id: int | None = None,
    premoderated: bool = False,
    heavy: bool = False,
    reply: bool = False,
    between_members: bool = False,
    about: Member | None = None,
    now: datetime | None = None,
) -> Screening:
    """Triage one piece of member writing, inside the writer's transaction, and route the result.

    The screener behind :func:`hearth.core.screening.screen` (every app calls that).

    - crisis: a crisis alert to everyone who may handle it, the writer sees crisis support; the writing
      stays up unless the group pre-moderates; ``crisis_found`` is announced;
    - concern: ``concern_found`` is announced (care puts it on the care queue with the reason);
    - hostility: held in pre-moderated groups, otherwise shown with a review item;
    - substance / practical: signposts offered quietly to the writer;
    - member-to-member one-to-ones: contact details or pressure to meet raise a gentle warning and a review item.
    """
    now = now or timezone.now()
    result = classify(text)
    if context_could_matter(text, result):  # false for most messages: no query for ordinary chat
        result = apply_context(text, result, writer_context(author, now))
    TriageRecord.objects.create(
        content_key=content_key,
        object_id=object_id,
        author=author,
        group_id=group_id,
        risk=result.risk,
        flags=list(result.flags),
        reasons=list(result.reasons),
        heavy=heavy or result.risk != Risk.NONE,
        supportive=reply and is_supportive(text),
        created_at=now,
    )
    screening = Screening(
        risk=result.risk,
        flags=result.flags,
        signposts=tuple(f for f in result.flags if f in ("substance", "practical")),
    )
    if about is not None:
        return _screen_worry(author, about, result, screening, content_key=content_key, object_id=object_id, now=now)
    hostile = "hostility" in result.flags
    if hostile:
        writing_changed_on_commit([author.pk])  # their open rooms count it towards the cooldown (WritingRules)
    item = None
    if result.risk in (Risk.CRISIS, Risk.CONCERN) or hostile or result.review:
        # The review band: no alarm, but a person reads it on the moderation queue at concern level.
        item = _open_item(
            source=ModerationItem.Source.TRIAGE,
            risk=Risk.CONCERN if result.review and result.risk == Risk.NONE else result.risk,
            flags=list(result.flags),
            reasons=list(result.reasons),
            content_key=content_key,
            object_id=object_id,
            subject=author,
            group_id=group_id,
            heavy=result.risk != Risk.NONE or result.review,
            now=now,
        )
    if result.risk == Risk.CRISIS:
        alert = raise_crisis_alert(
            author,
            origin=CrisisAlert.Origin.MESSAGE,
            item=item,
            summary=f"Triage: {screening_registry.label_of(content_key)} — " + "; ".join(result.reasons[:2]),
            now=now,
        )
        screening.show_crisis_support = True
        screening.nobody_on_duty = alert.nobody_on_duty
        screening.alert_id = alert.pk
        screening.held = premoderated
        screening_registry.crisis_found.send(
            content_key,
            author=author,
            object_id=object_id,
            alert_id=alert.pk,
            reasons=list(result.reasons),
            now=now,
        )
    elif result.risk == Risk.CONCERN:
        screening_registry.concern_found.send(
            content_key, author=author, object_id=object_id, reasons=list(result.reasons), now=now
        )
    if result.flags:
        screening_registry.flagged.send(
            content_key, author=author, object_id=object_id, flags=list(result.flags), now=now
        )
    if hostile and premoderated:
        screening.held = True
    if between_members:
        risks = contact_risks(text)
        if risks:
            screening.contact_warning = risks
            _open_item(
                source=ModerationItem.Source.CONTACT,
                risk=Risk.NONE,
                flags=[],
                reasons=[f"Shared {r}" for r in risks],
                content_key=content_key,
                object_id=object_id,
                subject=author,
                group_id=None,
                heavy=False,
                now=now,
            )
    if screening.held and content_key in content.registered():
        content.get(content_key).hide(object_id, True)
    return screening


def _screen_worry(
    writer: Member,
    about: Member,
    result: TriageResult,
    screening: Screening,
    *,
    content_key: str,
    object_id: int,
    now: datetime,
) -> Screening:
    """Words about someone else (a peer who noticed something): crisis words raise the alert about *them*.

    Nothing goes on the moderation queue (volunteers moderate, and these words are for staff), and nothing is
    announced about the person: the caller puts them on the care queue whatever triage found.

    The writer may be speaking of themselves too ("…and honestly I feel the same"): triage's rules say when
    a reason is in the first person. Then it is the writer's own crisis or concern as well — an alert about
    them and crisis support on their screen, or the care queue through ``concern_found`` — as if they had
    written it anywhere else.
    """
    if result.risk == Risk.CRISIS:
        alert = raise_crisis_alert(
            about,
            origin=CrisisAlert.Origin.PEER,
            summary="Someone who knows them is worried — " + "; ".join(result.reasons[:2]),
            now=now,
        )
        screening.alert_id, screening.nobody_on_duty = alert.pk, alert.nobody_on_duty
    screening.signposts = ()
    own = [r for r in result.reasons if r.startswith(("crisis:", "concern:")) and _first_person(r)]
    if any(r.startswith("crisis:") for r in own):
        mine = raise_crisis_alert(
            writer,
            origin=CrisisAlert.Origin.MESSAGE,
            summary="Triage: while telling us about someone else, they wrote about themselves — " + "; ".join(own[:2]),
            now=now,
        )
        screening.show_crisis_support = True
        screening.nobody_on_duty = screening.nobody_on_duty or mine.nobody_on_duty
        screening_registry.crisis_found.send(
            content_key, author=writer, object_id=object_id, alert_id=mine.pk, reasons=own, now=now
        )
    elif own:
        screening_registry.concern_found.send(content_key, author=writer, object_id=object_id, reasons=own, now=now)
    return screening


def _first_person(reason: str) -> bool:
    """A triage rule's reason about the writer themselves (rules tag the third person; the learned lexicon
    doesn't say, so it never counts here)."""
    return "[third person]" not in reason and "learned lexicon" not in reason


def _open_item(
    *, content_key: str, object_id: int | None, now: datetime, reasons: list[str], **fields: object
) -> ModerationItem:
    """The open queue item for this content (new results join it), assigned to an on-duty moderator."""
    item = None
    if object_id is not None:
        item = ModerationItem.objects.filter(
            content_key=content_key, object_id=object_id, state=ModerationItem.State.OPEN
        ).first()
    if item is not None:
        item.reasons = [*item.reasons, *reasons]
        if fields.get("risk") and _more_urgent(str(fields["risk"]), item.risk):
            item.risk = str(fields["risk"])
        item.heavy = item.heavy or bool(fields.get("heavy"))
        item.save(update_fields=["reasons", "risk", "heavy"])
    else:
        try:
            with transaction.atomic():
                item = ModerationItem.objects.create(
                    content_key=content_key, object_id=object_id, created_at=now, reasons=reasons, **fields
                )
        except IntegrityError:
            return _open_item(content_key=content_key, object_id=object_id, now=now, reasons=reasons, **fields)
    if item.assigned_to_id is None:
        assignee = pick_moderator(item)
        if assignee is not None:
            item.assigned_to = assignee
            item.save(update_fields=["assigned_to"])
    _queue_changed()
    return item


# What the person who reported something is told when a moderator acted on it.
ACTIONED_WORDS = "We've looked at this and taken action. Thank you for telling us."


def _more_urgent(a: str, b: str) -> bool:
    return RISK_ORDER[Risk(a)] < RISK_ORDER[Risk(b)]


QUEUE_GROUP = "safety.queue"


def _queue_changed() -> None:
    send_event_on_commit([QUEUE_GROUP], {"kind": "safety.queue_changed"})


# --- Workload ---------------------------------------------------------------------------------


def moderators_on_duty(*, crisis: bool) -> list[Member]:
    from hearth.availability.actions import on_duty_supporters

    away = set(ModeratorAway.objects.values_list("moderator_id", flat=True))
    perm = Perm.HANDLE_CRISIS if crisis else Perm.MODERATE
    return [m for m in on_duty_supporters() if m.pk not in away and policy.can(m, perm)]


def pick_moderator(item: ModerationItem, *, exclude: set[int] | None = None) -> Member | None:
    """The on-duty moderator with the fewest open items (crisis items never to volunteers)."""
    people = [m for m in moderators_on_duty(crisis=item.risk == Risk.CRISIS) if m.pk not in (exclude or set())]
    if not people:
        return None
    load = dict(
        ModerationItem.objects.filter(state=ModerationItem.State.OPEN, assigned_to__in=people)
        .values_list("assigned_to")
        .annotate(n=Count("id"))
    )
    return min(people, key=lambda m: (load.get(m.pk, 0), m.pk))


def do_step_away(moderator: Member) -> int:
    """Take a break from the queue: open items go to others (or back to the shared pool)."""
    policy.require(moderator, Perm.MODERATE)
    with transaction.atomic():
        ModeratorAway.objects.get_or_create(moderator=moderator)
        moved = 0
        for item in ModerationItem.objects.filter(state=ModerationItem.State.OPEN, assigned_to=moderator):
            item.assigned_to = pick_moderator(item, exclude={moderator.pk})
            item.save(update_fields=["assigned_to"])
            moved += 1
        audit.log_action("safety.item.reassigned", actor=moderator, data={"moved": moved})
        _queue_changed()
    return moved


def do_return_to_queue(moderator: Member) -> None:
    ModeratorAway.objects.filter(moderator=moderator).delete()
    with transaction.atomic():
        for item in ModerationItem.objects.filter(state=ModerationItem.State.OPEN, assigned_to__isnull=True):
            if policy.can(moderator, Perm.HANDLE_CRISIS) or item.risk != Risk.CRISIS:
                item.assigned_to = pick_moderator(item)
                item.save(update_fields=["assigned_to"])
        _queue_changed()


def heavy_items_handled(moderator: Member, since: datetime) -> int:
    return ModerationItem.objects.filter(resolved_by=moderator, resolved_at__gte=since, heavy=True).count()


# --- Reports ---------------------------------------------------------------------------------------


def do_report(
    reporter: Member,
    *,
    content_key: str = "",
    object_id: int | None = None,
    member: Member | None = None,
    reason: str,
    now: datetime | None = None,
) -> Report:
    """A member reports content or another member. Rate-limited; the reported person is not told by it."""
    now = now or timezone.now()
    reason = reason.strip()
    if len(reason) < 3:
        raise ActionError("Tell us briefly what's wrong, so a moderator knows what to look for.")
    recent = list(
        Report.objects.filter(reporter=reporter, created_at__gt=now - REPORT_WINDOW)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:REPORTS_PER_HOUR]
    )
    if len(recent) >= REPORTS_PER_HOUR:
        # The next one may go when the oldest of the last few leaves the hour.
        wait = int((recent[-1] + REPORT_WINDOW - now).total_seconds())
        raise ActionError(
            "You've sent several reports in the last hour. Thank you — a moderator will look at them. "
            f"You can send another {throttle.when(wait)}. If someone is in danger, use 'Need help now?'."
        )
    if content_key:
        kind = content.get(content_key)
        if object_id is None or not kind.visible_to(reporter, object_id):
            raise ActionError("We couldn't find that to report. It may have been removed already.")
        subject, group_id, label = kind.author_of(object_id), kind.group_of(object_id), kind.label
    elif member is not None:
        subject, group_id, label, object_id = member, None, "member", member.pk
        content_key = "members.member"
    else:
        raise ActionError("Choose what you're reporting.")
    with transaction.atomic():
        item = _open_item(
            source=ModerationItem.Source.REPORT,
            risk=Risk.NONE,
            flags=[],
            reasons=[f"Reported: {reason[:200]}"],
            content_key=content_key,
            object_id=object_id,
            subject=subject,
            group_id=group_id,
            heavy=False,
            now=now,
        )
        report = Report.objects.create(reporter=reporter, item=item, reason=reason[:500], created_at=now)
        # The reporter's own words are screened too ("I can't take any more of this" is about them).
        report.screening = screening_registry.screen(
            author=reporter, text=report.reason, path="safety.report", object_id=report.pk, now=now
        )
        audit.log_action("safety.report.made", actor=reporter, obj=report, data={"label": label})
        reporters = item.reports.filter(state=Report.State.OPEN).values("reporter").distinct().count()
        if content_key != "members.member" and reporters >= REPORTS_TO_HIDE:
            content.get(content_key).hide(object_id, True)
            audit.log_action(
                "safety.content.auto_hidden",
                actor=None,
                subject=subject,
                obj=item,
                data={"label": label, "reports": reporters},
            )
    return report


# --- Moderation decisions ---------------------------------------------------------------------------


def check_can_see_item(viewer: Member, item: ModerationItem) -> None:
    policy.require(viewer, Perm.MODERATE)
    if item.risk == Risk.CRISIS and not policy.can(viewer, Perm.HANDLE_CRISIS):
        raise ActionError("Staff have this in hand.")


def _resolve(item: ModerationItem, moderator: Member, state: str, note: str, outcome: str, now: datetime) -> None:
    item.state, item.resolved_at, item.resolved_by, item.resolution_note = state, now, moderator, note[:500]
    item.save(update_fields=["state", "resolved_at", "resolved_by", "resolution_note"])
    report_state = Report.State.ACTIONED if state == ModerationItem.State.ACTIONED else Report.State.LEFT_UP
    for report in item.reports.filter(state=Report.State.OPEN):
        report.state, report.outcome = report_state, outcome
        report.save(update_fields=["state", "outcome"])
        if report.reporter is not None:
            notifications.notify(
                [report.reporter],
                "safety.report_outcome",
                "There's an answer about something you reported. Thank you for telling us.",
                reverse("safety:my_reports"),
                about=report,
                now=now,
            )
    _queue_changed()


def do_moderate(
    moderator: Member, item_id: int, decision: str, reason: str, now: datetime | None = None
) -> ModerationItem:
    """hide / restore / dismiss / note on a queue item. Sanctions on people are :func:`do_sanction`."""
    now = now or timezone.now()
    reason = reason.strip()
    if decision not in ("hide", "restore", "dismiss", "note"):
        raise ActionError("Choose what to do: hide, restore, leave it up, or add a note.")
    if len(reason) < 3:
        raise ActionError("Add a short reason: it's kept in the audit log and, for reports, told to the reporter.")
    with transaction.atomic():
        item = (
            ModerationItem.objects.select_for_update(of=("self",)).select_related("subject").filter(pk=item_id).first()
        )
        if item is None:
            raise ActionError("That item doesn't exist any more.")
        check_can_see_item(moderator, item)
        label = content.get(item.content_key).label if item.content_key in content.registered() else "member"
        data = {"label": label, "reason": reason[:200]}
        if decision == "note":
            ModeratorNote.objects.create(item=item, author=moderator, text=reason[:1000])
            audit.log_action("safety.item.noted", actor=moderator, subject=item.subject, obj=item)
            return item
        if item.state != ModerationItem.State.OPEN and decision != "restore":
            raise ActionError("Someone has already dealt with this item.")
        if decision in ("hide", "restore"):
            if item.content_key not in content.registered() or item.object_id is None:
                raise ActionError("There's no post or message to hide here; use a warning or mute for a member.")
            content.get(item.content_key).hide(item.object_id, decision == "hide")
            audit.log_action(
                f"safety.content.{'hidden' if decision == 'hide' else 'restored'}",
                actor=moderator,
                subject=item.subject,
                obj=item,
                data=data,
            )
            if decision == "hide":
                _resolve(item, moderator, ModerationItem.State.ACTIONED, reason, ACTIONED_WORDS, now)
            else:
                item.state = ModerationItem.State.DISMISSED
                item.save(update_fields=["state"])
        else:
            audit.log_action("safety.item.dismissed", actor=moderator, subject=item.subject, obj=item, data=data)
            _resolve(
                item,
                moderator,
                ModerationItem.State.DISMISSED,
                reason,
                f"We looked at this and left it up: {reason}",
                now,
            )
    return item


SANCTION_PERMS = {"warn": Perm.MODERATE, "mute": Perm.SANCTION, "suspend": Perm.SANCTION, "ban": Perm.BAN}


LABELS = {
    Risk.CRISIS: "This was a crisis",
    Risk.CONCERN: "This needed care",
    Risk.NONE: "This was fine",
}


def do_label_item(moderator: Member, item_id: int, risk: str, now: datetime | None = None) -> TriageLabel:
    """A moderator says what a triaged or reported message really was; kept (encrypted) as a triage label.

    The words are read through the content's own registration at the moment of judging; labelling again
    replaces the earlier judgement. Audited without the words.
    """
    now = now or timezone.now()
    if risk not in LABELS:
        raise ActionError("Choose what it was: a crisis, something that needed care, or fine.")
    item = ModerationItem.objects.select_related("subject").filter(pk=item_id).first()
    if item is None:
        raise ActionError("That item doesn't exist any more.")
    check_can_see_item(moderator, item)
    if item.content_key not in content.registered() or item.object_id is None:
        raise ActionError("There's no message here to label.")
    text = content.get(item.content_key).excerpt(item.object_id)
    if not text or text == "(deleted)":
        raise ActionError("The message has been deleted, so there is nothing to learn from.")
    record = (
        TriageRecord.objects.filter(content_key=item.content_key, object_id=item.object_id)
        .order_by("-created_at")
        .first()
    )
    predicted = record.risk if record else Risk.NONE
    with transaction.atomic():
        label, _ = TriageLabel.objects.update_or_create(
            item=item,
            defaults={
                "author": item.subject,
                "risk": risk,
                "predicted_risk": predicted,
                "predicted_review": item.source == ModerationItem.Source.TRIAGE
                and predicted == Risk.NONE
                and item.risk == Risk.CONCERN,
                "flags": [],  # moderators judge the risk; flags are not labelled here
                "labelled_by": moderator,
                "created_at": now,
                "text_encrypted": "",
            },
        )
        label.set_text(text)
        label.save(update_fields=["text_encrypted"])
        audit.log_action("safety.item.labelled", actor=moderator, subject=item.subject, obj=item, data={"risk": risk})
    return label


def label_figures(since: datetime) -> dict[str, object]:
    """This period's triage figures from moderators' labels: how often the alarm was right, and how many of the
    crises moderators found it raised (only messages that reached the queue are labelled, so recall here is
    an upper bound)."""
    rows = list(TriageLabel.objects.filter(created_at__gte=since).values_list("risk", "predicted_risk"))
    crises = [p for r, p in rows if r == Risk.CRISIS]
    alarms = [r for r, p in rows if p == Risk.CRISIS]
    return {
        "labels": len(rows),
        "crises": len(crises),
        "alarms": len(alarms),
        "crisis_recall": sum(p == Risk.CRISIS for p in crises) / len(crises) if crises else None,
        "crisis_precision": sum(r == Risk.CRISIS for r in alarms) / len(alarms) if alarms else None,
    }


def export_labels(actor: Member | None) -> list[dict[str, object]]:
    """Every label as the scorer's JSON Lines rows (decrypted here, on the server), audited."""
    rows: list[dict[str, object]] = [
        {"id": f"org-{label.pk}", "text": label.text, "risk": label.risk, "flags": list(label.flags)}
        for label in TriageLabel.objects.order_by("pk")
    ]
    audit.log_action("safety.labels.exported", actor=actor, data={"count": len(rows)})
    return rows


def do_sanction(
    moderator: Member,
    member: Member,
    kind: str,
    *,
    reason: str,
    message: str = "",
    days: int | None = None,
    item_id: int | None = None,
    now: datetime | None = None,
) -> Sanction:
    """Warn, mute, suspend or ban: always a person's decision, with a message and a way to appeal."""
    now = now or timezone.now()
    if kind not in SANCTION_PERMS:
        raise ActionError("Choose warn, mute, suspend or ban.")
    policy.require(moderator, SANCTION_PERMS[kind])
    if moderator.pk == member.pk:
        raise ActionError("You can't act on your own account.")
    if len(reason.strip()) < 3:
        raise ActionError("Give the reason the member will see.")
    if kind in ("mute", "suspend") and not days:
        raise ActionError("Say for how many days.")
    until = now + timedelta(days=days) if kind in ("mute", "suspend") and days else None
    with transaction.atomic():
        sanction = Sanction.objects.create(
            member=member,
            kind=kind,
            reason=reason.strip()[:500],
            message=message.strip()[:2000],
            until=until,
            by=moderator,
            created_at=now,
        )
        audit.log_action(
            f"safety.sanction.{kind}",
            actor=moderator,
            subject=member,
            obj=sanction,
            data={"reason": sanction.reason, "until": f"{timezone.localtime(until):%d %b %H:%M}" if until else ""},
        )
        if item_id:
            item = ModerationItem.objects.filter(pk=item_id, state=ModerationItem.State.OPEN).first()
            if item is not None:
                _resolve(item, moderator, ModerationItem.State.ACTIONED, reason, ACTIONED_WORDS, now)
        if kind != "warn":
            writing_changed_on_commit([member.pk])  # their open rooms stop taking messages now
        if kind in ("suspend", "ban"):
            # Inactive accounts can't sign in and existing sessions stop working at once;
            # lift_expired_suspensions turns a suspension back on when it ends.
            member_actions.do_set_account_active(member, active=False)  # and their open pages stop hearing
        send_email(
            member,
            "safety/email/sanction",
            {"sanction": sanction, "token": appeal_token(sanction)},
            kind="safety.sanction",
            about=sanction,
        )
        notifications.notify(
            [member],
            "safety.decision",
            "A moderator has made a decision about your account.",
            reverse("safety:my_reports"),
            about=sanction,
            now=now,
        )
    return sanction


def active_sanctions(member: Member, now: datetime | None = None) -> list[Sanction]:
    now = now or timezone.now()
    return [
        s for s in Sanction.objects.filter(member=member, lifted_at__isnull=True) if s.active(now) and s.kind != "warn"
    ]


def appeal_token(sanction: Sanction) -> str:
    """The token in an appeal link (emailed, and shown on the member's own "decisions" page); valid 90 days."""
    return signing.dumps({"sanction": sanction.pk}, salt=_APPEAL_SALT)


def sanction_from_appeal_token(token: str) -> Sanction:
    try:
        data = signing.loads(token, salt=_APPEAL_SALT, max_age=APPEAL_WINDOW)
    except signing.BadSignature:
        raise ActionError("We don't recognise this appeal link. Check it was copied in full.") from None
    sanction = Sanction.objects.select_related("member").filter(pk=data["sanction"]).first()
    if sanction is None:
        raise ActionError("This decision no longer exists.")
    return sanction


def do_appeal(sanction: Sanction, text: str, now: datetime | None = None) -> Appeal:
    now = now or timezone.now()
    text = text.strip()
    if len(text) < 10:
        raise ActionError("Tell us a little about why you think the decision was wrong (a sentence or two).")
    if sanction.appeals.filter(state=Appeal.State.OPEN).exists():
        raise ActionError("You've already appealed this decision. A coordinator will reply.")
    with transaction.atomic():
        appeal = Appeal.objects.create(sanction=sanction, text=text[:2000], created_at=now)
        appeal.screening = screening_registry.screen(
            author=sanction.member, text=appeal.text, path="safety.appeal", object_id=appeal.pk, now=now
        )
        audit.log_action(
            "safety.appeal.made",
            actor=sanction.member,
            subject=sanction.member,
            obj=appeal,
            data={"kind": sanction.get_kind_display().lower()},
        )
    return appeal


def do_decide_appeal(
    coordinator: Member, appeal_id: int, *, overturn: bool, response: str, now: datetime | None = None
) -> Appeal:
    now = now or timezone.now()
    policy.require(coordinator, Perm.DECIDE_APPEALS)
    if len(response.strip()) < 3:
        raise ActionError("Write the reply the member will see.")
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("sanction__member")
            .filter(pk=appeal_id)
            .first()
        )
        if appeal is None or appeal.state != Appeal.State.OPEN:
            raise ActionError("That appeal has already been decided.")
        if appeal.sanction.by_id == coordinator.pk:
            raise ActionError("Someone other than the person who made the decision should decide the appeal.")
        appeal.state = Appeal.State.OVERTURNED if overturn else Appeal.State.UPHELD
        appeal.response, appeal.decided_by = response.strip()[:1000], coordinator
        appeal.save(update_fields=["state", "response", "decided_by"])
        if overturn:
            sanction = appeal.sanction
            sanction.lifted_at = now
            sanction.save(update_fields=["lifted_at"])
            writing_changed_on_commit([sanction.member_id])
            if sanction.kind in ("suspend", "ban"):
                member_actions.do_set_account_active(sanction.member, active=True)
            audit.log_action("safety.sanction.lifted", actor=coordinator, subject=sanction.member, obj=sanction)
        audit.log_action(
            "safety.appeal.decided",
            actor=coordinator,
            subject=appeal.sanction.member,
            obj=appeal,
            data={"decision": appeal.get_state_display().lower()},
        )
        send_email(
            appeal.sanction.member,
            "safety/email/appeal_decided",
            {"appeal": appeal},
            kind="safety.appeal",
            about=appeal,
        )
        notifications.notify(
            [appeal.sanction.member],
            "safety.appeal",
            "Your appeal has been decided. Thank you for your patience.",
            reverse("safety:my_reports"),
            about=appeal,
            now=now,
        )
    return appeal


def queue_for(
    viewer: Member, *, risk: str = "", source: str = "", state: str = ModerationItem.State.OPEN, mine: bool = False
) -> list[ModerationItem]:
    """The moderation queue as ``viewer`` may see it: risk first, then oldest first."""
    policy.require(viewer, Perm.MODERATE)
    items = ModerationItem.objects.select_related("subject", "assigned_to").filter(state=state)
    if risk in Risk.values:
        items = items.filter(risk=risk)
    if source in ModerationItem.Source.values:
        items = items.filter(source=source)
    if mine:
        items = items.filter(assigned_to=viewer)
    # Ordered in the database before the page is cut, so a crisis is never beyond the cut.
    urgency = Case(*(When(risk=r, then=Value(n)) for r, n in RISK_ORDER.items()), output_field=IntegerField())
    return list(items.order_by(urgency, "created_at", "id")[:QUEUE_LIMIT])


def workload() -> list[dict[str, object]]:
    """For coordinators: open items and heavy items handled today, per moderator on duty."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    people = moderators_on_duty(crisis=False)
    open_counts = dict(
        ModerationItem.objects.filter(state="open", assigned_to__in=people)
        .values_list("assigned_to")
        .annotate(n=Count("id"))
    )
    heavy = dict(
        ModerationItem.objects.filter(resolved_by__in=people, resolved_at__gte=today, heavy=True)
        .values_list("resolved_by")
        .annotate(n=Count("id"))
    )
    away = set(ModeratorAway.objects.values_list("moderator_id", flat=True))
    return [
        {"moderator": m, "open": open_counts.get(m.pk, 0), "heavy_today": heavy.get(m.pk, 0), "away": m.pk in away}
        for m in people
    ]


def my_reports(member: Member) -> list[Report]:
    return list(Report.objects.filter(reporter=member).order_by("-created_at")[:50])


def lift_expired_suspensions(now: datetime | None = None) -> list[int]:
    """Suspensions end on their own: the account works again (the only automatic step, and it's a lifting)."""
    now = now or timezone.now()
    lifted = []
    for sanction in Sanction.objects.filter(kind="suspend", lifted_at__isnull=True, until__lte=now).select_related(
        "member"
    ):
        with transaction.atomic():
            if Sanction.objects.filter(pk=sanction.pk, lifted_at__isnull=True).update(lifted_at=now):
                writing_changed_on_commit([sanction.member_id])
                still_banned = Sanction.objects.filter(
                    member=sanction.member, kind="ban", lifted_at__isnull=True
                ).exists()
                if not still_banned:
                    member_actions.do_set_account_active(sanction.member, active=True)
                audit.log_action("safety.sanction.lifted", actor=None, subject=sanction.member, obj=sanction)
                lifted.append(sanction.pk)
    return lifted


# --- Crisis alerts (what they are and who hears: safety/alerts.py) ---------------------------


def raise_crisis_alert(
    member: Member, *, origin: str, summary: str, item: ModerationItem | None = None, now: datetime | None = None
) -> CrisisAlert:
    """Raise the live alert; call inside the transaction that recorded the reason for it.

    One open alert per person: while theirs is waiting for someone to acknowledge it, a new reason
    (another crisis message, the self-assessment that came with it) is added to that alert, which is
    already on every handler's screen, rather than raising a second banner about the same person.
    """
    now = now or timezone.now()
    existing = (
        CrisisAlert.objects.select_for_update(of=("self",))
        .filter(member=member, acknowledged_at__isnull=True)
        .order_by("created_at")
        .first()
    )
    if existing is not None:
        if summary not in existing.summary:
            existing.summary = f"{existing.summary}; then: {summary}"[:300]
            existing.save(update_fields=["summary"])
        return existing
    staff = alerts.on_duty_crisis_staff()
    alert = CrisisAlert.objects.create(
        member=member,
        origin=origin,
        item=item,
        summary=summary[:300],
        created_at=now,
        escalate_at=now + alerts.escalate_after(),
        nobody_on_duty=not staff,
        drill=screening_registry.is_drill(),
    )
    handlers = alerts.crisis_handlers()
    alerts.send_live(alert, handlers)  # the people on call are among them: their pages and, with push, their phones
    if not staff:
        _, on_call_by_email = alerts.on_call_now(now)
        alerts.email_alert(alert, alerts.coordinators() + on_call_by_email, on_call=True)
    elif settings.EMAIL_HOST:
        # Email is configured: the on-duty staff also get it by email, in case their page isn't open.
        alerts.email_alert(alert, staff, on_call=False)
    audit.log_action("safety.alert.raised", actor=None, subject=member, obj=alert, data={"origin": origin})
    log_event_on_commit(
        "alert.raised",
        alert=alert.pk,
        member=member.pk,
        origin=origin,
        recipients=len(handlers),
        nobody_on_duty=not staff,
    )
    return alert


def do_acknowledge_alert(actor: Member, alert_id: int, now: datetime | None = None) -> CrisisAlert:
    policy.require(actor, Perm.HANDLE_CRISIS)
    now = now or timezone.now()
    with transaction.atomic():
        alert = CrisisAlert.objects.select_for_update(of=("self",)).select_related("member").filter(pk=alert_id).first()
        if alert is None:
            raise ActionError("That alert doesn't exist any more.")
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by, alert.escalate_at = now, actor, None
            alert.save(update_fields=["acknowledged_at", "acknowledged_by", "escalate_at"])
            audit.log_action("safety.alert.acknowledged", actor=actor, subject=alert.member, obj=alert)
            log_event_on_commit(
                "alert.acknowledged",
                alert=alert.pk,
                by=actor.pk,
                seconds=round((now - alert.created_at).total_seconds()),
            )
            # Nothing more to send about it; every open page drops its banner.
            cancel_deliveries(alert, now=now)
            send_event_on_commit(
                [member_group(m.pk) for m in alerts.crisis_handlers()],
                {"kind": "safety.alert_acknowledged", "alert": alert.pk, "by": actor.display_name},
            )
            if alert.member_id is not None and alerts.told_to_member(alert):
                # The support page they may still be on changes to who has seen it.
                send_event_on_commit(
                    [member_group(alert.member_id)],
                    {"kind": "safety.alert_seen", "text": alerts.what_the_member_is_told(alert).seen},
                )
    return alert


def escalate_due_alerts(now: datetime | None = None) -> list[int]:
    """Escalate unacknowledged alerts past their time to the coordinators and whoever is on call (claimed once per step).

    Each step is claimed with a conditional UPDATE on the level, so two workers never send one step twice; the
    next step is always scheduled (:func:`next_escalation_in`) until a person acknowledges.
    """
    now = now or timezone.now()
    done = []
    for alert in CrisisAlert.objects.filter(acknowledged_at__isnull=True, escalate_at__lte=now).select_related(
        "member"
    ):
        level = alert.escalation_level + 1
        claimed = CrisisAlert.objects.filter(
            pk=alert.pk, acknowledged_at__isnull=True, escalation_level=alert.escalation_level
        ).update(escalation_level=level, escalate_at=now + alerts.next_escalation_in(level))
        if not claimed:
            continue
        minutes = int((now - alert.created_at).total_seconds() // 60)
        alert.escalation_level = level
        with transaction.atomic():
            on_call, on_call_by_email = alerts.on_call_now(now)
            people = list(dict.fromkeys(alerts.coordinators() + on_call))
            alerts.send_live(alert, people, escalated=True)
            alerts.email_alert(alert, alerts.coordinators() + on_call_by_email, on_call=True)
            audit.log_action(
                "safety.alert.escalated", actor=None, subject=alert.member, obj=alert, data={"minutes": minutes}
            )
            log_event_on_commit(
                "alert.escalated",
                level=logging.WARNING,
                alert=alert.pk,
                step=level,
                minutes=minutes,
                recipients=len(people),
            )
        done.append(alert.pk)
    return done


# --- Group mood ---------------------------------------------------------------------------------


def alert_drifting_groups(now: datetime | None = None) -> list[int]:
    """Tell hosts and staff when a group drifts into a run of distress (at most once a day per group)."""
    from hearth.safety.groups import hosts_of

    now = now or timezone.now()
    recent = TriageRecord.objects.filter(created_at__gte=now - timedelta(days=3), group_id__isnull=False)
    recent_groups: set[int] = {g for g in recent.values_list("group_id", flat=True) if g is not None}
    already: set[int] = set(
        MoodAlert.objects.filter(created_at__gte=now - timedelta(days=1)).values_list("group_id", flat=True)
    )
    alerted = []
    for group_id in sorted(recent_groups - already):
        mood = group_mood(group_id, now=now)
        if not mood.drifting:
            continue
        with transaction.atomic():
            alert = MoodAlert.objects.create(
                group_id=group_id,
                heavy_posts=mood.heavy_posts,
                supportive_replies=mood.supportive_replies,
                created_at=now,
            )
            people = {*hosts_of(group_id), *alerts.on_duty_crisis_staff()}
            notifications.notify(
                people,
                "safety.mood_alert",
                "A group has had a run of heavy posts with few supportive replies lately. It may need a kind word.",
                reverse("community:group", args=[group_id]),
                about=alert,
                now=now,
            )
        alerted.append(group_id)
    return alerted
