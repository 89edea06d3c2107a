"""Demo data: members with every kind of cue, so the care queue tells a story.

Priya (peerworker@example.org) opens the care queue and finds, among others:
someone who hasn't been in for 12 days (usually every 2), a mood of 2/5 three
days running, a falling mood, low energy for four days, stress scores well
above someone's usual, a missed craft evening, a 02:10 post nobody answered, a
triage concern, a facilitator's hand-off, a referral due, a check-in with no
reply, a request for check-ins, and someone Sam is worried about (he told the
team what he noticed after their post in his group). Sam (volunteer@example.org) sees the
unanswered post in his group, and the mood someone shares with him as their
usual supporter. One member with an irregular pattern is *not* on the queue.
Robin, the demo member, shares nothing (their home page stays as other tests expect).
"""

from __future__ import annotations

import hashlib
import random
import secrets
from datetime import datetime, time, timedelta

from django.utils import timezone

from hearth.care import actions, cues
from hearth.care.models import (
    CareProfile,
    CheckInHow,
    CheckInOutcome,
    CheckInRound,
    MoodEntry,
    Source,
    Visit,
    WellbeingReading,
    WellbeingToken,
)
from hearth.core.demo import DEMO_SEEDERS
from hearth.members import consent
from hearth.members.models import Consent, Member, RoleGrant


def _share(person: Member, source: Source, audience: consent.Audience = consent.PEER_TEAM) -> None:
    Consent.objects.update_or_create(member=person, kind=cues.KINDS[source].key, defaults={"audience": audience.key})


def _visits(person: Member, gaps: list[int], last_days_ago: int) -> None:
    today = timezone.localdate()
    day = today - timedelta(days=last_days_ago)
    days = [day]
    for gap in gaps:
        day -= timedelta(days=gap)
        days.append(day)
    Visit.objects.bulk_create([Visit(member=person, day=d) for d in days], ignore_conflicts=True)


def seed_care(rng: random.Random, people: list[Member]) -> None:
    from hearth.chat.models import Attendance, Gathering
    from hearth.community.models import CommunityProfile, Group, Membership, Post

    now = timezone.now()
    today = timezone.localdate(now)
    sam, priya = people[1], people[2]
    staffish = set(RoleGrant.objects.values_list("member_id", flat=True))
    plain = [p for p in people[5:] if p.pk not in staffish]
    if len(plain) < 14:
        return  # a tiny demo: nothing to tell
    (
        quiet,
        low,
        falling,
        tired,
        stressed,
        crafter,
        night_owl,
        worried,
        upset,
        referred,
        silent,
        asking,
        irregular,
        shared_with_sam,
    ) = plain[:14]

    # Going quiet: usually every 2 days, not seen for 12.
    _share(quiet, Source.GOING_QUIET)
    _visits(quiet, [2] * 40, 12)
    # An irregular pattern (often away a fortnight or more): 16 days away is normal for them.
    _share(irregular, Source.GOING_QUIET)
    _visits(irregular, [1, 2, 1, 18, 1, 1, 2, 21, 1, 3, 1, 15, 2, 1, 1, 20, 1, 2], 16)

    # Mood: three low check-ins; and a falling trend over a fortnight (shared without the daily numbers).
    _share(low, Source.MOOD)
    _share(falling, Source.MOOD_TREND)
    _share(shared_with_sam, Source.MOOD, consent.USUAL_SUPPORTER)
    CareProfile.objects.update_or_create(member=shared_with_sam, defaults={"usual_supporter": sam})
    moods = [MoodEntry(member=low, day=today - timedelta(days=d), score=2) for d in (2, 1, 0)]
    moods += [
        MoodEntry(member=falling, day=today - timedelta(days=d), score=s)
        for d, s in ((13, 4), (11, 4), (9, 4), (7, 3), (5, 3), (3, 2), (1, 2))
    ]
    moods += [MoodEntry(member=shared_with_sam, day=today - timedelta(days=d), score=1) for d in (0,)]
    MoodEntry.objects.bulk_create(moods)

    # Energy low for four days.
    _share(tired, Source.ENERGY)
    CommunityProfile.objects.update_or_create(
        member=tired, defaults={"energy": "low", "energy_set_at": now - timedelta(days=4)}
    )

    # Stress from a tracker: usually about 40, the last three days about 80.
    _share(stressed, Source.WELLBEING)
    WellbeingReading.objects.bulk_create(
        [
            WellbeingReading(
                member=stressed,
                day=today - timedelta(days=d),
                metric="stress",
                value=(78 + rng.randint(0, 6)) if d < 3 else (36 + rng.randint(0, 8)),
            )
            for d in range(28)
        ]
    )

    # A craft evening they usually come to, missed this week.
    group = Group.objects.filter(state="active").order_by("pk").first()
    if group is not None:
        _share(crafter, Source.MISSED_GATHERING)
        Membership.objects.get_or_create(group=group, member=crafter)
        for weeks_ago in (5, 4, 3, 2, 1, 0):
            start = (now - timedelta(days=7 * weeks_ago + 2)).replace(hour=18, minute=30, second=0, microsecond=0)
            gathering = Gathering.objects.create(
                group=group, title="Craft evening", starts_at=start, ends_at=start + timedelta(hours=2), created_by=sam
            )
            if weeks_ago:
                Attendance.objects.create(gathering=gathering, member=crafter, how="online")

    # A 02:10 post asking for support that nobody answered (in a group Sam is in).
    sams_group = Group.objects.filter(state="active", memberships__member=sam).order_by("pk").first()
    if sams_group is not None:
        Membership.objects.get_or_create(group=sams_group, member=night_owl)
        posted = (now - timedelta(hours=8)).replace(hour=2, minute=10) if now.hour >= 10 else now - timedelta(hours=7)
        Post.objects.create(
            group=sams_group,
            author=night_owl,
            body="Can't sleep again. Anyone else up? Struggling a bit tonight.",
            created_at=posted,
        )
        actions.find_unanswered_posts(now)

    # Safety and the team's own work: triage, a hand-off, a referral, check-ins.
    actions.add_care_item(worried, source=Source.TRIAGE, reason="Wrote something worrying: feeling hopeless")
    actions.add_care_item(
        upset, source=Source.HAND_OFF, reason="left Tuesday's gathering upset — Sam offered a one-to-one"
    )
    actions.add_care_item(referred, source=Source.REFERRAL, reason="referral to money advice due for follow-up")
    round_ = CheckInRound.objects.create(
        member=silent, supporter=priya, created_by=priya, message="Hi, just checking in — how's your week going?"
    )
    round_.next_due_at = actions.next_due(round_, now)
    round_.save(update_fields=["next_due_at"])
    CareProfile.objects.update_or_create(member=silent, defaults={"usual_supporter": priya})
    actions._send_one(round_, now - timedelta(days=3))
    actions.follow_up_check_ins(now)
    actions.do_ask_for_check_ins(asking, "weekdays, not before noon")

    # Sam noticed something in his group and told the team: a peer's worry (the words are for staff only).
    if sams_group is not None and len(plain) > 14:
        friend = plain[14]
        Membership.objects.get_or_create(group=sams_group, member=friend)
        post = Post.objects.create(
            group=sams_group,
            author=friend,
            body="Gave the allotment a miss again this week. Not really up to much at the moment.",
            created_at=now - timedelta(days=1, hours=3),
        )
        actions.do_raise_concern(
            sam,
            friend,
            "They've missed the allotment three weeks running and said they're not up to much. They usually love "
            "it. Might be nothing, but they seemed flat when I saw them on Saturday.",
            content_key="community.post",
            object_id=post.pk,
            now=now - timedelta(hours=20),
        )

    # Their stress readings come from a watch app, through a personal token (one the demo can't be sent with: only
    # the hash of a token nobody was given is stored).
    WellbeingToken.objects.create(
        member=stressed,
        name="Watch app",
        token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        prefix=f"hw_{rng.getrandbits(40):010x}"[:10],
        created_at=now - timedelta(days=30),
        last_used_at=now - timedelta(hours=rng.randint(2, 9)),
    )

    _after_the_night(priya, people[4], now)
    actions.do_refresh_cues(now=now)


def _after_the_night(priya: Member, coordinator: Member, now: datetime) -> None:
    """The person whose crisis post was acknowledged in the night: Priya rang them that afternoon, as the
    coordinator promised, and set up weekly check-ins; the first went out since, and they replied."""
    from hearth.chat.actions import do_send_message
    from hearth.chat.models import Room
    from hearth.safety.models import CrisisAlert

    alert = (
        CrisisAlert.objects.filter(acknowledged_at__isnull=False, drill=False, member__isnull=False)
        .select_related("member")
        .order_by("created_at")
        .first()
    )
    if alert is None or alert.member is None:
        return
    person = alert.member
    called = alert.created_at + timedelta(hours=11)
    # The coordinator planned it after the night call (demo history: past dates, so added as it was then).
    actions.add_care_item(
        person,
        source=Source.FOLLOW_UP,
        reason=f"follow-up {coordinator.display_name} planned after a call in the night; they'd like a call after lunch",
        now=alert.created_at + timedelta(minutes=45),
        due_at=called - timedelta(hours=1),
    )
    actions.do_claim(priya, person.pk, now=called)
    actions.do_record_check_in(
        priya,
        person.pk,
        how=CheckInHow.PHONE,
        outcome=CheckInOutcome.GLAD,
        note="Calmer today and glad of the call. Their sister is staying this week and they've seen their GP. "
        "Agreed weekly check-ins by message; they know they can ask to talk any time.",
        now=called + timedelta(minutes=25),
    )
    round_ = actions.do_set_round(
        priya,
        person,
        message="Hi, it's Priya. Just checking in: how are things this week? No need for a long reply.",
        not_before=time(12),
        not_after=time(18),
    )
    send = actions._send_one(round_, called + (now - called) / 2)  # between the call and now
    room = Room.objects.get(pk=send.room_id)
    do_send_message(
        person,
        room,
        "Thanks for checking. Steadier. Slept most nights and went for a walk with my sister.",
        "demo-check-in-reply-1",
    )
    do_send_message(
        priya,
        room,
        "That's good to hear. A walk with your sister sounds like a kind thing to do for yourself. Same time next week.",
        "demo-check-in-reply-2",
    )
    actions.follow_up_check_ins(now)


DEMO_SEEDERS.append(seed_care)
