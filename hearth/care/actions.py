"""Every write in proactive care: the queue, mood check-ins, visits, check-in rounds and imported signals.

``check_*`` validate and authorise; ``do_*`` change state in one transaction,
write the audit entry and tell the queue's viewers after commit. Views, the
token endpoint, the periodic jobs (``tasks.py``) and management commands call
these and nothing else.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from hearth.care import cues
from hearth.care import queue as care_queue
from hearth.care.models import (
    CareItem,
    CareProfile,
    CheckInHow,
    CheckInOutcome,
    CheckInRecord,
    CheckInRound,
    CheckInSend,
    Concern,
    MoodEntry,
    Source,
    Visit,
    WellbeingMetric,
    WellbeingReading,
    WellbeingToken,
)
from hearth.core import audit, crypto, notifications
from hearth.core.errors import ActionError
from hearth.core.events import send_event_on_commit
from hearth.core.screening import screen
from hearth.members import consent, policy
from hearth.members.models import Member
from hearth.members.policy import Perm
from hearth.signposting.actions import referrals_due

# A check-in arrives as a message in a one-to-one (Messages); this is how the member chooses to hear of it.
notifications.register(
    notifications.Kind(
        "care.check_in",
        "Check-ins from the team",
        "Messages and one-to-ones",
        urgent=True,
        elsewhere="Messages",
        email_after=timedelta(minutes=10),
    )
)

audit.register(
    {
        "care.item.claimed": "{actor} is reaching out to {subject}",
        "care.concern.raised": "{actor} told the team they are worried about {subject}",
        "care.concern.viewed": "{actor} read what people noticed about {subject}",
        "care.person.viewed": "{actor} opened the care page of {subject}",
        "care.item.released": "{actor} handed {subject} back to the care queue",
        "care.item.done": "{actor} checked in with {subject}: {outcome}",
        "care.item.snoozed": "{actor} snoozed {subject} on the care queue until {until}: {reason}",
        "care.follow_up.scheduled": "{actor} planned a follow-up with {subject} on {on}",
        "care.usual_supporter.set": "{actor} made {supporter} the usual supporter of {subject}",
        "care.round.set": "{actor} set up check-ins for {subject} ({schedule})",
        "care.round.stopped": "{actor} stopped check-ins for {subject}",
        "care.switched_off": "{subject} switched off check-ins and every care cue",
        "care.record.viewed": "{actor} read the care record of {subject}",
        "care.token.created": "{subject} made a wellbeing token ({name})",
        "care.token.revoked": "{subject} revoked a wellbeing token ({name})",
    }
)

CARE_GROUP = "care.queue"  # every queue page listens here; events carry no names, the page reloads itself

DEFAULT_WEIGHTS: dict[str, int] = {
    Source.PEER: 55,  # someone who knows them noticed something: near the top, like triage
    Source.TRIAGE: 50,
    Source.HAND_OFF: 45,
    Source.NOBODY_REPLIED: 40,
    Source.ASKED: 35,
    Source.FOLLOW_UP: 25,
    Source.REFERRAL: 15,
    Source.CHECK_IN: 15,
}


def queue_changed() -> None:
    send_event_on_commit([CARE_GROUP], {"kind": "care.queue_changed"})


def care_profile(member: Member) -> CareProfile:
    """The member's care settings, or unsaved defaults."""
    return CareProfile.objects.filter(member=member).first() or CareProfile(member=member)


# --- The queue ------------------------------------------------------------------------------


def add_care_item(
    member: Member,
    *,
    source: str,
    reason: str,
    now: datetime | None = None,
    weight: int | None = None,
    ref: str = "",
    group_id: int | None = None,
    due_at: datetime | None = None,
) -> CareItem:
    """Put someone on the care queue (or add the reason to their unfinished item from the same source).

    Called by safety (triage "concern"), chat (facilitators' hand-offs, ``source="hand-off"``)
    and this app's jobs. Safe to call inside the caller's transaction.
    """
    now = now or timezone.now()
    item = CareItem.objects.filter(member=member, source=source).exclude(state=CareItem.State.DONE).first()
    if item is not None:
        if reason not in item.reason:
            item.reason = f"{item.reason}; {reason}"[:300]
            item.save(update_fields=["reason"])
    else:
        try:
            with transaction.atomic():
                item = CareItem.objects.create(
                    member=member,
                    source=source,
                    reason=reason[:300],
                    weight=weight if weight is not None else DEFAULT_WEIGHTS.get(source, 20),
                    ref=ref,
                    group_id=group_id,
                    due_at=due_at,
                    created_at=now,
                )
        except IntegrityError:  # someone else added one a moment ago: add the reason to theirs
            return add_care_item(member, source=source, reason=reason, now=now, ref=ref, group_id=group_id)
    queue_changed()
    return item


def _entry_items(actor: Member, member_id: int, now: datetime, *, include_later: bool = False) -> list[CareItem]:
    entry = care_queue.entry_for(actor, member_id, now=now)
    items = entry.items if entry else []
    if include_later:
        viewer = care_queue.viewer_for(actor)
        later = CareItem.objects.filter(member_id=member_id).exclude(state=CareItem.State.DONE)
        audiences = cues.audiences_of([member_id])
        usual = dict(CareProfile.objects.filter(member_id=member_id).values_list("member_id", "usual_supporter_id"))
        items = [i for i in later if care_queue.visible_to(viewer, i, audiences, usual)]
    return items


def do_claim(actor: Member, member_id: int, *, now: datetime | None = None) -> list[CareItem]:
    """ "I'll reach out": claim everything the actor can see about this person.

    Two supporters pressing at once: both UPDATEs are conditional on the items
    still being open, the database runs them one after the other, and the
    second changes no rows — so exactly one of them wins.
    """
    policy.require(actor, Perm.VIEW_CARE_QUEUE)
    now = now or timezone.now()
    items = _entry_items(actor, member_id, now)
    if not items:
        raise ActionError("There's nothing for you about this person on the care queue any more.")
    with transaction.atomic():
        claimed = CareItem.objects.filter(
            pk__in=[i.pk for i in items], state=CareItem.State.OPEN, claimed_by__isnull=True
        ).update(state=CareItem.State.CLAIMED, claimed_by=actor, claimed_at=now)
        if not claimed:
            holder = (
                CareItem.objects.filter(pk__in=[i.pk for i in items], state=CareItem.State.CLAIMED)
                .select_related("claimed_by")
                .first()
            )
            who = holder.claimed_by.display_name if holder and holder.claimed_by else "Someone"
            raise ActionError(f"{who} is already reaching out to {items[0].member.display_name}.")
        audit.log_action("care.item.claimed", actor=actor, subject=items[0].member, obj=items[0])
        queue_changed()
    return list(CareItem.objects.filter(pk__in=[i.pk for i in items]))


def do_release(actor: Member, member_id: int) -> None:
    """Hand a claimed person back to the queue (someone else can reach out)."""
    policy.require(actor, Perm.VIEW_CARE_QUEUE)
    with transaction.atomic():
        items = list(
            CareItem.objects.filter(member_id=member_id, state=CareItem.State.CLAIMED, claimed_by=actor).select_related(
                "member"
            )
        )
        if not items:
            raise ActionError("You aren't reaching out to this person.")
        CareItem.objects.filter(pk__in=[i.pk for i in items]).update(
            state=CareItem.State.OPEN, claimed_by=None, claimed_at=None
        )
        audit.log_action("care.item.released", actor=actor, subject=items[0].member)
        queue_changed()


# --- Peers who notice ------------------------------------------------------------------------------

CONCERNS_PER_DAY = 10  # from one person: more than this is not noticing, it is something to look at


def concern_reason(raiser: Member) -> str:
    """How the care queue says it (the words themselves are on the person's page, for staff)."""
    if policy.is_staff(raiser):
        who = "A member of staff"
    elif policy.is_supporter(raiser):
        who = "A volunteer"
    else:
        who = "Another member"
    return f"{who} is worried about them and said what they noticed"


def do_raise_concern(
    raiser: Member,
    about: Member,
    noticed: str,
    *,
    content_key: str = "",
    object_id: int | None = None,
    now: datetime | None = None,
) -> Concern:
    """ "I'm worried about someone": the person goes on the care queue (staff only), the words go through the
    one screening path, and crisis words raise a crisis alert about *them*. The raiser is thanked and never
    told what happens next."""
    policy.require(raiser, Perm.RAISE_CONCERN)
    now = now or timezone.now()
    if about.pk == raiser.pk:
        raise ActionError(
            "It sounds like you're having a hard time yourself. You can talk to someone now, or leave a message "
            "for the team."
        )
    if not about.is_active:
        raise ActionError("That person isn't here any more.")
    noticed = noticed.strip()
    if len(noticed) < 3:
        raise ActionError("Say a little about what you noticed: a few words are enough.")
    if len(noticed) > 2000:
        raise ActionError("Please keep it under 2,000 characters: what you noticed, in your own words.")
    if Concern.objects.filter(raised_by=raiser, created_at__gte=now - timedelta(days=1)).count() >= CONCERNS_PER_DAY:
        raise ActionError("You've told us about a lot of people today. Thank you: the team will look at them.")
    with transaction.atomic():
        concern = Concern.objects.create(
            about=about,
            raised_by=raiser,
            noticed_encrypted=crypto.encrypt_json(noticed),
            content_key=content_key[:40],
            object_id=object_id,
            created_at=now,
        )
        screening = screen(author=raiser, text=noticed, path="care.concern", object_id=concern.pk, about=about, now=now)
        concern.risk = screening.risk
        concern.save(update_fields=["risk"])
        add_care_item(about, source=Source.PEER, reason=concern_reason(raiser), now=now, ref=f"concern:{concern.pk}")
        audit.log_action("care.concern.raised", actor=raiser, subject=about, obj=concern)
    concern.screening = screening
    return concern


def concern_count(member: Member) -> int:
    """How many times people told the team they are worried about ``member`` (no words, no names)."""
    return Concern.objects.filter(about=member).count()


def concerns_about(actor: Member, member: Member) -> list[Concern]:
    """What people noticed about ``member``, for staff; the read is audited."""
    policy.require(actor, Perm.USE_CARE_QUEUE)
    concerns = list(Concern.objects.filter(about=member).select_related("raised_by")[:20])
    if concerns:
        audit.log_action("care.concern.viewed", actor=actor, subject=member)
    return concerns


def do_release_claims_of(actor: Member, supporter: Member) -> int:
    """Put everyone ``supporter`` was reaching out to back on the queue (they are stepping back). Returns how many
    people."""
    policy.require(actor, Perm.MANAGE_ROLES)
    with transaction.atomic():
        items = CareItem.objects.filter(state=CareItem.State.CLAIMED, claimed_by=supporter)
        people = {i.member for i in items.select_related("member")}
        items.update(state=CareItem.State.OPEN, claimed_by=None, claimed_at=None)
        for person in people:
            audit.log_action("care.item.released", actor=actor, subject=person)
        if people:
            queue_changed()
    return len(people)


def usual_supporter_of_whom(supporter: Member) -> list[Member]:
    """Members whose usual supporter is ``supporter`` (for a hand-over)."""
    return [
        p.member
        for p in CareProfile.objects.filter(usual_supporter=supporter)
        .select_related("member")
        .order_by("member__display_name")
    ]


def check_record(how: str, outcome: str, note: str) -> str:
    if how not in CheckInHow.values:
        raise ActionError(
            "Say how you checked in: a call, a chat, a message, in person, or that you couldn't reach them."
        )
    if outcome not in CheckInOutcome.values:
        raise ActionError("Choose how it went.")
    note = note.strip()
    if len(note) > 2000:
        raise ActionError("Keep the note under 2,000 characters: what the next person needs to know.")
    return note


def do_record_check_in(
    actor: Member,
    member_id: int,
    *,
    how: str,
    outcome: str,
    note: str = "",
    follow_up_on: date | None = None,
    now: datetime | None = None,
) -> CheckInRecord:
    """Record how it went: closes what the actor could see about the person (claimed by them or open).

    The note is encrypted before it is stored. "Couldn't reach them" leaves the items open for another
    try, unclaimed. A follow-up date puts them back on the queue that day.
    """
    policy.require(actor, Perm.VIEW_CARE_QUEUE)
    now = now or timezone.now()
    note = check_record(how, outcome, note)
    items = [i for i in _entry_items(actor, member_id, now, include_later=True) if i.claimed_by_id in (None, actor.pk)]
    if not items:
        raise ActionError("Someone else is reaching out to this person; they'll record how it went.")
    person = items[0].member
    reached = how != CheckInHow.NO_CONTACT
    with transaction.atomic():
        record = CheckInRecord.objects.create(
            member=person,
            supporter=actor,
            how=how,
            outcome=outcome,
            note_encrypted=CheckInRecord.seal(note),
            reasons="; ".join(i.reason for i in items)[:600],
            created_at=now,
        )
        label = CheckInOutcome(outcome).label
        if reached:
            CareItem.objects.filter(pk__in=[i.pk for i in items]).exclude(state=CareItem.State.DONE).update(
                state=CareItem.State.DONE, done_at=now, outcome=label, record=record, claimed_by=actor
            )
        else:
            CareItem.objects.filter(pk__in=[i.pk for i in items]).update(
                state=CareItem.State.OPEN, claimed_by=None, claimed_at=None
            )
        audit.log_action("care.item.done", actor=actor, subject=person, obj=record, data={"outcome": label.lower()})
        if follow_up_on is not None:
            _schedule_follow_up(
                actor, person, follow_up_on, f"follow-up {actor.display_name} planned ({label.lower()})"
            )
        queue_changed()
    return record


def do_send_check_in(actor: Member, member_id: int, message: str) -> int:
    """Send a check-in message now, in the one-to-one with the person (opened if needed). Returns the room id.

    For someone the actor can see on the queue (or any member, for staff).
    """
    from hearth.chat.actions import do_open_conversation, do_send_message

    person, _entry = care_queue.access_person(actor, member_id)
    message = " ".join(message.split())[:500]
    if not message:
        raise ActionError("Write the message first, e.g. 'Hi, just checking in — how are you doing?'")
    with transaction.atomic():
        conversation = do_open_conversation(person, actor, opened_by=actor, reason="Check-in", tell=())
        do_send_message(
            actor, conversation.room, message, client_id=f"care-{secrets.token_hex(8)}", notify_as="care.check_in"
        )
    return conversation.room_id


def check_snooze(days: int, reason: str) -> str:
    if not 1 <= days <= 30:
        raise ActionError("Snooze for between 1 and 30 days.")
    reason = " ".join(reason.split())
    if not reason:
        raise ActionError("Say why, so whoever sees it next knows (e.g. 'on holiday until Monday, said so').")
    return reason[:200]


def do_snooze(actor: Member, member_id: int, *, days: int, reason: str, now: datetime | None = None) -> datetime:
    """Take someone off today's queue for a few days, with the reason kept on their items."""
    policy.require(actor, Perm.VIEW_CARE_QUEUE)
    now = now or timezone.now()
    reason = check_snooze(days, reason)
    items = [i for i in _entry_items(actor, member_id, now) if i.claimed_by_id in (None, actor.pk)]
    if not items:
        raise ActionError("There's nothing here for you to snooze.")
    until = now + timedelta(days=days)
    with transaction.atomic():
        CareItem.objects.filter(pk__in=[i.pk for i in items]).update(
            snoozed_until=until, snooze_reason=reason, state=CareItem.State.OPEN, claimed_by=None, claimed_at=None
        )
        audit.log_action(
            "care.item.snoozed",
            actor=actor,
            subject=items[0].member,
            data={"until": timezone.localtime(until).strftime("%-d %B"), "reason": reason},
        )
        queue_changed()
    return until


def _schedule_follow_up(actor: Member, person: Member, on: date, reason: str) -> CareItem:
    # 09:00 local on that day (a wall-clock time: zoneinfo picks the right offset across DST).
    due = datetime.combine(on, time(9, 0), tzinfo=timezone.get_current_timezone())
    with transaction.atomic():
        existing = CareItem.objects.filter(member=person, source=Source.FOLLOW_UP).exclude(state=CareItem.State.DONE)
        existing.delete()  # one planned follow-up per person: the latest plan wins
        item = add_care_item(person, source=Source.FOLLOW_UP, reason=reason, due_at=due)
        audit.log_action(
            "care.follow_up.scheduled", actor=actor, subject=person, obj=item, data={"on": on.strftime("%-d %B")}
        )
    return item


def do_schedule_follow_up(actor: Member, member: Member, *, on: date, reason: str = "") -> CareItem:
    policy.require(actor, Perm.USE_CARE_QUEUE)
    if on <= timezone.localdate():
        raise ActionError("Choose a day after today for the follow-up.")
    return _schedule_follow_up(actor, member, on, reason.strip()[:200] or f"follow-up {actor.display_name} planned")


def do_set_usual_supporter(actor: Member, member: Member, supporter: Member | None) -> CareProfile:
    policy.require(actor, Perm.USE_CARE_QUEUE)
    if supporter is not None and (supporter.pk == member.pk or not policy.is_supporter(supporter)):
        raise ActionError("A usual supporter is a volunteer or a member of staff, and not the person themselves.")
    with transaction.atomic():
        profile, _ = CareProfile.objects.get_or_create(member=member)
        profile.usual_supporter = supporter
        profile.save(update_fields=["usual_supporter"])
        audit.log_action(
            "care.usual_supporter.set",
            actor=actor,
            subject=member,
            data={"supporter": supporter.display_name if supporter else "nobody"},
        )
        queue_changed()
    return profile


def record_person_read(actor: Member, member: Member) -> None:
    """``actor`` opened ``member``'s care page (their mood words, check-ins, why they are in the queue)."""
    audit.log_read("care.person.viewed", actor=actor, subject=member)


def care_record(actor: Member, member: Member) -> list[CheckInRecord]:
    """Past check-ins with their notes, for staff. An audited read."""
    policy.require(actor, Perm.READ_CARE_NOTES)
    audit.log_action("care.record.viewed", actor=actor, subject=member)
    return list(CheckInRecord.objects.filter(member=member).select_related("supporter")[:20])


# --- Keeping the queue in step with the cues (what they are: cues.py) --------------------------


def do_refresh_cues(*, now: datetime | None = None, member_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Work out every shared cue and bring the open cue items in step. Returns counts for the log.

    One open item per person and cue: created when a cue starts to hold, its reason updated while it holds,
    deleted when it stops holding unless someone already claimed or snoozed it.
    """
    now = now or timezone.now()
    ids = None if member_ids is None else set(member_ids)
    found = cues.find_cues(now, ids)
    existing = CareItem.objects.filter(source__in=list(cues.KINDS)).exclude(state=CareItem.State.DONE)
    if ids is not None:
        existing = existing.filter(member_id__in=ids)
    have = {(i.member_id, i.source): i for i in existing}
    created = [
        CareItem(member_id=m, source=s, reason=r[:300], weight=w, created_at=now)
        for (m, s), (r, w) in found.items()
        if (m, s) not in have
    ]
    changed = []
    for key, item in have.items():
        if key in found and (item.reason, item.weight) != found[key]:
            item.reason, item.weight = found[key][0][:300], found[key][1]
            changed.append(item)
    # A cue that stopped holding leaves the queue, unless someone is already on it.
    cleared = [
        i.pk
        for key, i in have.items()
        if key not in found and i.state == CareItem.State.OPEN and not (i.snoozed_until and i.snoozed_until > now)
    ]
    with transaction.atomic():
        CareItem.objects.bulk_create(created, batch_size=500, ignore_conflicts=True)
        CareItem.objects.bulk_update(changed, ["reason", "weight"], batch_size=500)
        CareItem.objects.filter(pk__in=cleared).delete()
        if created or changed or cleared:
            queue_changed()
    return {"created": len(created), "updated": len(changed), "cleared": len(cleared)}


def do_backfill_visits(member: Member, *, days: int = 180) -> int:
    """Give a newly shared "going quiet" cue a history: days they posted, replied or reacted."""
    seen = cues.days_seen(member, days=days)
    Visit.objects.bulk_create([Visit(member=member, day=d) for d in seen], ignore_conflicts=True)
    return len(seen)


def do_forget_cue(member: Member, source: Source) -> None:
    """What withdrawing one cue deletes: its items on the queue (open or done) and its own data."""
    CareItem.objects.filter(member=member, source=source).delete()
    if source == Source.GOING_QUIET:
        Visit.objects.filter(member=member).delete()
    elif source in (Source.MOOD, Source.MOOD_TREND):
        other = Source.MOOD_TREND if source == Source.MOOD else Source.MOOD
        if cues.audiences_of([member.pk]).get((member.pk, other), consent.NOBODY) == consent.NOBODY:
            MoodEntry.objects.filter(member=member).delete()
    elif source == Source.WELLBEING:
        WellbeingReading.objects.filter(member=member).delete()
        WellbeingToken.objects.filter(member=member).delete()


# --- Cues the member shares: mood and visits -----------------------------------------------


def mood_offered(member: Member, *, now: datetime | None = None, quiet: bool = False) -> bool:
    """Offer the mood check-in on the home page? At most once a day; never in quiet mode unless asked."""
    today = timezone.localdate(now or timezone.now())
    if not cues.shares_any(member, Source.MOOD, Source.MOOD_TREND):
        return False
    profile = care_profile(member)
    if profile.mood_skipped_on == today or (quiet and not profile.mood_on_quiet_days):
        return False
    return not MoodEntry.objects.filter(member=member, day=today).exists()


def do_check_in_mood(member: Member, score: int, words: str = "", *, now: datetime | None = None) -> MoodEntry:
    """Today's mood (again the same day replaces it). Only kept while a mood cue is shared."""
    now = now or timezone.now()
    if not cues.shares_any(member, Source.MOOD, Source.MOOD_TREND):
        raise ActionError("Mood check-ins are off. Turn them on in 'What you share' if you'd like them.")
    if score not in (1, 2, 3, 4, 5):
        raise ActionError("Choose a number from 1 (very low) to 5 (very good).")
    words = words.strip()[:280]
    with transaction.atomic():
        entry, _ = MoodEntry.objects.update_or_create(
            member=member,
            day=timezone.localdate(now),
            defaults={
                "score": score,
                "words_encrypted": crypto.encrypt_json(words) if words else "",
                "created_at": now,
            },
        )
        if words:
            # Stored encrypted, screened in clear: the words may say more than the score.
            entry.screening = screen(author=member, text=words, path="care.mood", object_id=entry.pk, now=now)
    transaction.on_commit(lambda: do_refresh_cues(now=now, member_ids=[member.pk]))
    return entry


def do_skip_mood_today(member: Member) -> None:
    CareProfile.objects.update_or_create(member=member, defaults={"mood_skipped_on": timezone.localdate()})


def do_set_mood_on_quiet_days(member: Member, on: bool) -> None:
    CareProfile.objects.update_or_create(member=member, defaults={"mood_on_quiet_days": on})


def record_visit(member: Member, *, now: datetime | None = None) -> bool:
    """Note that the member came in today, only if they share "going quiet". Returns whether it was noted."""
    if not cues.shares_any(member, Source.GOING_QUIET):
        return False
    Visit.objects.bulk_create([Visit(member=member, day=timezone.localdate(now))], ignore_conflicts=True)
    return True


def do_switch_off(member: Member) -> None:
    """The member's "switch all of it off": every care cue withdrawn (and its data deleted), check-ins stopped.

    Safety items (triage, nobody replied) are not the member's to switch off; they are explained on the care page.
    """
    from hearth.members.actions import do_set_consent

    with transaction.atomic():
        for kind in cues.KINDS.values():
            do_set_consent(member, kind.key, consent.NOBODY.key)
        CareProfile.objects.update_or_create(member=member, defaults={"check_ins_off": True})
        CheckInRound.objects.filter(member=member, active=True).update(
            active=False, stopped_at=timezone.now(), next_due_at=None
        )
        CareItem.objects.filter(member=member, source__in=[Source.ASKED, Source.CHECK_IN]).exclude(
            state=CareItem.State.DONE
        ).delete()
        audit.log_action("care.switched_off", actor=member, subject=member)
        queue_changed()


def do_switch_on(member: Member) -> None:
    CareProfile.objects.update_or_create(member=member, defaults={"check_ins_off": False})


def do_ask_for_check_ins(member: Member, when: str = "") -> CareItem:
    """A member asks for someone to check in with them (and when suits them)."""
    when = " ".join(when.split())[:120]
    if care_profile(member).check_ins_off:
        do_switch_on(member)
    reason = "asked for check-ins" + (f": {when}" if when else "")
    return add_care_item(member, source=Source.ASKED, reason=reason)


# --- Check-in rounds --------------------------------------------------------------------------


def next_due(round_: CheckInRound, after: datetime) -> datetime:
    """The next send time after ``after``: a day on the round's weekday (if any), at ``not_before`` local time.

    Wall-clock times in the organisation's zone: ``datetime.combine`` with the zone lets zoneinfo pick
    the offset, so "12:00" stays noon across the clocks changing (fold=0 for the repeated hour).
    """
    zone = timezone.get_current_timezone()
    local = timezone.localtime(after, zone)
    day = local.date()
    for _ in range(15):
        candidate = datetime.combine(day, round_.not_before, tzinfo=zone)
        if candidate > after and (round_.weekday is None or day.weekday() == round_.weekday):
            return candidate
        day += timedelta(days=1)
    raise AssertionError("a weekday always comes within a week")  # pragma: no cover


def check_round(fields: dict[str, Any]) -> dict[str, Any]:
    message = " ".join(str(fields.get("message", "")).split())
    if not message:
        raise ActionError("Write the check-in message, e.g. 'Hi, just checking in — how's your week going?'")
    weekday = fields.get("weekday")
    if weekday is not None and not 0 <= int(weekday) <= 6:
        raise ActionError("Choose a day of the week, or any day.")
    not_before, not_after = fields.get("not_before") or time(12), fields.get("not_after") or time(20)
    if not_after <= not_before:
        raise ActionError("The latest time must be after the earliest time.")
    every = int(fields.get("every_days") or 7)
    if not 1 <= every <= 28:
        raise ActionError("Check in between once a day and once every four weeks.")
    return {
        "message": message[:500],
        "weekday": None if weekday is None else int(weekday),
        "not_before": not_before,
        "not_after": not_after,
        "every_days": every,
    }


def do_set_round(actor: Member, member: Member, *, supporter: Member | None = None, **fields: Any) -> CheckInRound:
    """Set up recurring check-ins (replacing an active round). The supporter becomes the usual supporter."""
    policy.require(actor, Perm.RUN_CHECK_INS)
    supporter = supporter or actor
    if not policy.is_supporter(supporter) or supporter.pk == member.pk:
        raise ActionError("Check-ins are sent by a volunteer or a member of staff.")
    if care_profile(member).check_ins_off:
        raise ActionError(f"{member.display_name} has switched check-ins off. They can turn them back on.")
    clean = check_round(fields)
    now = timezone.now()
    with transaction.atomic():
        CheckInRound.objects.filter(member=member, active=True).update(active=False, stopped_at=now, next_due_at=None)
        round_ = CheckInRound(member=member, supporter=supporter, created_by=actor, **clean)
        round_.next_due_at = next_due(round_, now)
        round_.save()
        profile, _ = CareProfile.objects.get_or_create(member=member)
        if profile.usual_supporter_id is None:
            profile.usual_supporter = supporter
            profile.save(update_fields=["usual_supporter"])
        CareItem.objects.filter(member=member, source=Source.ASKED).exclude(state=CareItem.State.DONE).update(
            state=CareItem.State.DONE, done_at=now, outcome="Check-ins set up"
        )
        audit.log_action(
            "care.round.set", actor=actor, subject=member, obj=round_, data={"schedule": round_.schedule_label()}
        )
        queue_changed()
    return round_


def do_stop_round(actor: Member, round_id: int) -> None:
    """Stop a round: the member themselves, or staff."""
    round_ = CheckInRound.objects.select_related("member").filter(pk=round_id, active=True).first()
    if round_ is None or (round_.member_id != actor.pk and not policy.can(actor, Perm.RUN_CHECK_INS)):
        raise ActionError("Those check-ins have already stopped.")
    with transaction.atomic():
        CheckInRound.objects.filter(pk=round_.pk).update(active=False, stopped_at=timezone.now(), next_due_at=None)
        audit.log_action("care.round.stopped", actor=actor, subject=round_.member, obj=round_)


def _send_one(round_: CheckInRound, now: datetime) -> CheckInSend:
    from hearth.chat.actions import do_open_conversation, do_send_message

    conversation = do_open_conversation(
        round_.member, round_.supporter, opened_by=round_.supporter, reason="Check-ins", tell=()
    )
    message, _ = do_send_message(
        round_.supporter,
        conversation.room,
        round_.message,
        client_id=f"care-check-in-{round_.pk}-{int(now.timestamp())}",
        notify_as="care.check_in",
    )
    return CheckInSend.objects.create(round=round_, room_id=conversation.room_id, seq=message.seq, sent_at=now)


def send_due_check_ins(now: datetime | None = None) -> int:
    """Send every check-in that is due. Each round's slot is claimed with a conditional UPDATE, so it is
    sent once however many workers run; a slot missed until after ``not_after`` waits for the next one."""
    now = now or timezone.now()
    sent = 0
    for round_ in CheckInRound.objects.filter(active=True, next_due_at__lte=now).select_related("member", "supporter"):
        due = round_.next_due_at
        assert due is not None  # filtered on next_due_at__lte above
        following = next_due(round_, max(now, due + timedelta(days=round_.every_days - 1)))
        with transaction.atomic():
            claimed = CheckInRound.objects.filter(pk=round_.pk, next_due_at=round_.next_due_at, active=True).update(
                next_due_at=following
            )
            if not claimed:
                continue
            late = timezone.localtime(now).time() > round_.not_after or timezone.localdate(now) != timezone.localdate(
                round_.next_due_at
            )
            if late or care_profile(round_.member).check_ins_off:
                continue
            _send_one(round_, now)
            sent += 1
    return sent


REPLY_WINDOW = timedelta(hours=48)


def follow_up_check_ins(now: datetime | None = None) -> int:
    """Feed the queue from sent check-ins: a reply ("have a read") or, after two days, no reply."""
    from hearth.chat.models import Message

    now = now or timezone.now()
    done = 0
    replies = Message.objects.filter(
        room_id=OuterRef("room_id"), seq__gt=OuterRef("seq"), sender_id=OuterRef("round__member_id")
    )
    sends = (
        CheckInSend.objects.filter(followed_up_at__isnull=True)
        .annotate(replied=Exists(replies))
        .select_related("round__member")
    )
    for send in sends:
        day = timezone.localtime(send.sent_at).strftime("%A")
        if send.replied:
            reason, weight = f"replied to {day}'s check-in — have a read", 10
        elif now - send.sent_at >= REPLY_WINDOW:
            hours = int((now - send.sent_at).total_seconds() // 3600)
            reason, weight = f"no reply to {day}'s check-in after {hours // 24} days", 15
        else:
            continue
        with transaction.atomic():
            if CheckInSend.objects.filter(pk=send.pk, followed_up_at__isnull=True).update(
                followed_up_at=now, replied_at=now if send.replied else None
            ):
                add_care_item(send.round.member, source=Source.CHECK_IN, reason=reason, weight=weight, now=now)
                done += 1
    return done


# --- Safety cues with no opt-in: nobody replied, referrals -------------------------------------

SUPPORT_ASK = re.compile(
    r"\b(?:anyone|any one|anybody|help|advice|struggling|can't cope|cant cope|need to talk|need someone|"
    r"feeling (?:low|down|awful|rubbish|alone|lonely)|not ok|not okay|rough (?:day|night|week)|having a hard)\b|\?",
    re.I,
)


def find_unanswered_posts(now: datetime | None = None) -> int:
    """Posts asking for support with no reply from anyone else after ``HEARTH_CARE_NO_REPLY_HOURS``.

    "Asking for support": marked heavy (by the writer or triage) or worded as a request. Only the last
    two days are looked at; an item whose post got a reply meanwhile leaves the queue if nobody claimed it.
    """
    from hearth.community.models import Comment, Post

    now = now or timezone.now()
    wait = timedelta(hours=settings.HEARTH_CARE_NO_REPLY_HOURS)
    others_replied = Comment.objects.filter(post=OuterRef("pk"), hidden=False).exclude(author=OuterRef("author"))
    posts = (
        Post.objects.filter(
            created_at__lte=now - wait,
            created_at__gte=now - wait - timedelta(hours=48),
            author__isnull=False,
            hidden=False,
            removed=False,
        )
        .annotate(replied=Exists(others_replied))
        .filter(replied=False)
        .select_related("author", "group")
    )
    added = 0
    for post in posts:
        if not (post.heavy or SUPPORT_ASK.search(post.body or "")):
            continue
        ref = f"community.post:{post.pk}"
        if CareItem.objects.filter(source=Source.NOBODY_REPLIED, ref=ref).exists():
            continue
        hours = int((now - post.created_at).total_seconds() // 3600)
        at = timezone.localtime(post.created_at).strftime("%H:%M")
        assert post.author is not None
        add_care_item(
            post.author,
            source=Source.NOBODY_REPLIED,
            reason=f"posted at {at} in {post.group.name}, no reply after {hours} h",
            ref=ref,
            group_id=post.group_id,
            now=now,
        )
        added += 1
    # Replied to since: the queue no longer needs to ask anyone to step in.
    open_items = CareItem.objects.filter(
        source=Source.NOBODY_REPLIED, state=CareItem.State.OPEN, ref__startswith="community.post:"
    )
    answered = [
        i.pk
        for i in open_items
        if Comment.objects.filter(post_id=int(i.ref.split(":")[1]), hidden=False)
        .exclude(author_id=i.member_id)
        .exists()
    ]
    if answered:
        CareItem.objects.filter(pk__in=answered).delete()
        queue_changed()
    return added


def referrals_due_items(now: datetime | None = None) -> int:
    """Referrals due for follow-up (signposting's ``referrals_due``) become queue items."""
    added = 0
    for referral in referrals_due(now=now):
        ref = f"signposting.referral:{referral.pk}"
        if CareItem.objects.filter(source=Source.REFERRAL, ref=ref).exists():
            continue
        resource = referral.resource.name or "another service"
        add_care_item(
            referral.member, source=Source.REFERRAL, reason=f"referral to {resource} due for follow-up", ref=ref
        )
        added += 1
    return added


# --- Imported wellbeing signals ------------------------------------------------------------------


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def do_create_token(member: Member, name: str) -> tuple[WellbeingToken, str]:
    """A personal token for pushing readings. The raw token is returned once and never stored."""
    if not cues.shares_any(member, Source.WELLBEING):
        raise ActionError("Turn on the wellbeing cue in 'What you share' first.")
    name = " ".join(name.split())[:60] or "My tracker"
    if WellbeingToken.objects.filter(member=member, revoked_at__isnull=True).count() >= 5:
        raise ActionError("You have 5 tokens. Revoke one you no longer use first.")
    raw = "hw_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = WellbeingToken.objects.create(member=member, name=name, token_hash=_hash(raw), prefix=raw[:10])
        token.screening = screen(author=member, text=name, path="care.token", object_id=token.pk)
        audit.log_action("care.token.created", actor=member, subject=member, data={"name": name})
    return token, raw


def do_revoke_token(member: Member, token_id: int) -> None:
    with transaction.atomic():
        token = WellbeingToken.objects.filter(pk=token_id, member=member, revoked_at__isnull=True).first()
        if token is None:
            raise ActionError("That token is already revoked.")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.log_action("care.token.revoked", actor=member, subject=member, data={"name": token.name})


def member_for_token(raw: str) -> Member | None:
    """The member a live token belongs to (only while they share the wellbeing cue), else ``None``."""
    if not raw:
        return None
    token = (
        WellbeingToken.objects.filter(token_hash=_hash(raw), revoked_at__isnull=True).select_related("member").first()
    )
    if token is None or not token.member.is_active or not cues.shares_any(token.member, Source.WELLBEING):
        return None
    WellbeingToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.member


def do_import_readings(member: Member, readings: list[tuple[date, str, float]]) -> int:
    """Store parsed readings (see :mod:`hearth.care.wellbeing`); a day's reading again replaces it."""
    if not cues.shares_any(member, Source.WELLBEING):
        raise ActionError("The wellbeing cue is off, so nothing was stored. Turn it on in 'What you share'.")
    now = timezone.now()
    with transaction.atomic():
        for day, metric, value in readings:
            if metric not in WellbeingMetric.values:
                continue
            WellbeingReading.objects.update_or_create(
                member=member, day=day, metric=metric, defaults={"value": value, "imported_at": now}
            )
    transaction.on_commit(lambda: do_refresh_cues(member_ids=[member.pk]))
    return len(readings)
