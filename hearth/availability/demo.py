"""The demo organisation's rota and talk-now history (one definition, used by seed_demo and the simulation).

Service hours are 10:00-22:00. The rota covers them with a mix of peer workers,
counsellors and volunteers, with one visible gap: Sunday 10:00-14:00 has nobody,
and Saturday 18:00-22:00 has volunteers only. Nights are on call (peer workers on
weekdays, the coordinator on Saturday); Sunday night nobody is.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from hearth.availability import actions
from hearth.availability.models import (
    DutySession,
    HandoverNote,
    OnCallSlot,
    OpenShift,
    RuleRole,
    ServiceException,
    ServiceHours,
    ShiftNotice,
    ShiftPattern,
    StaffingRule,
    SupporterProfile,
    TalkRequest,
    TalkSkip,
)
from hearth.availability.profiles import gender_from_words
from hearth.members.models import Member, Role, RoleGrant

# (weekday, start hour, end hour, role of the supporter who takes it)
DEMO_ROTA: list[tuple[int, int, int, str]] = [
    *[(d, 10, 14, Role.PEER_WORKER) for d in range(6)],
    *[(d, 14, 18, Role.PEER_WORKER) for d in range(7)],
    *[(d, 14, 18, Role.VOLUNTEER) for d in (0, 2, 4)],
    *[(d, 18, 22, Role.COUNSELLOR) for d in range(5)],
    *[(d, 18, 22, Role.VOLUNTEER) for d in range(7)],
    (6, 18, 22, Role.PEER_WORKER),
]
SERVICE_OPENS, SERVICE_CLOSES = 10, 22
DEMO_LANGUAGES = ["Welsh", "Polish", "Urdu", "British Sign Language", "Punjabi"]
ALL_MODES = ["phone", "text", "video"]
EXPERIENCE = ["carer", "bereavement", "student life", "men's mental health", "new parent", "LGBTQ+", "recovery"]


def seed(rng: random.Random, people: list[Member]) -> None:
    for day in range(7):
        ServiceHours.objects.update_or_create(
            weekday=day, defaults={"opens": time(SERVICE_OPENS), "closes": time(SERVICE_CLOSES)}
        )
    roles: dict[int, set[str]] = {}
    for member_id, role in RoleGrant.objects.filter(member__in=people).values_list("member_id", "role"):
        roles.setdefault(member_id, set()).add(role)
    by_role: dict[str, list[Member]] = {}
    for person in people:
        held = roles.get(person.pk, set())
        for role in (Role.PEER_WORKER, Role.COUNSELLOR, Role.VOLUNTEER):
            if role in held and not (role == Role.VOLUNTEER and Role.PEER_WORKER in held):
                by_role.setdefault(role, []).append(person)
    start = timezone.localdate() - timedelta(days=120)
    patterns, counters = [], dict.fromkeys(by_role, 0)
    for weekday, starts, ends, role in DEMO_ROTA:
        pool = by_role.get(role) or by_role.get(Role.PEER_WORKER, [])
        supporter = pool[counters.get(role, 0) % len(pool)]
        counters[role] = counters.get(role, 0) + 1
        patterns.append(
            ShiftPattern(supporter=supporter, weekday=weekday, starts=time(starts), ends=time(ends), valid_from=start)
        )
    ShiftPattern.objects.bulk_create(patterns)
    supporters = {p.supporter for p in patterns}
    SupporterProfile.objects.bulk_create(
        [
            SupporterProfile(
                member=s,
                experience=rng.sample(EXPERIENCE, 2),
                languages=["English", *rng.sample(DEMO_LANGUAGES, rng.choice([0, 0, 1]))],
                # Most talk every way; a few only by text chat or only by text and phone.
                modes=rng.choice([ALL_MODES, ALL_MODES, ALL_MODES, ["text"], ["text", "phone"]]),
                gender=gender_from_words(s.gender),
                age_band=s.age_band,
                preferred_times=rng.choice([[], [], ["evening"], ["morning", "afternoon"]]),
            )
            for s in sorted(supporters, key=lambda m: m.pk)
        ]
    )
    # A few past conversations, so "someone I've talked to before" means something.
    members = [p for p in people if p.pk not in roles]
    now = timezone.now()
    history = []
    for i in range(12):
        asked = now - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 600))
        supporter = rng.choice(sorted(supporters, key=lambda m: m.pk))
        history.append(
            TalkRequest(
                member=members[i % len(members)],
                mode=rng.choice(["text", "text", "phone"]),
                state=TalkRequest.State.CLOSED,
                created_at=asked,
                accepted_by=supporter,
                accepted_at=asked + timedelta(minutes=rng.randint(1, 20)),
                closed_at=asked + timedelta(minutes=rng.randint(25, 70)),
            )
        )
    TalkRequest.objects.bulk_create(history)
    _seed_staffing(rng, sorted(supporters, key=lambda m: m.pk), people)
    _seed_on_call(by_role, people)
    _seed_week(rng, patterns, by_role, members, people)


def _seed_on_call(by_role: dict[str, list[Member]], people: list[Member]) -> None:
    """Nights after the service closes: peer workers by push Monday to Friday, the coordinator by email on
    Saturday, and Sunday night left with nobody, so the on-call page has a gap to show."""
    if OnCallSlot.objects.exists():
        return
    peer_workers = by_role.get(Role.PEER_WORKER, [])
    coordinator = next((p for p in people if Role.COORDINATOR in p.roles), None)
    slots = [
        OnCallSlot(
            person=peer_workers[day % len(peer_workers)],
            weekday=day,
            starts=time(SERVICE_CLOSES),
            ends=time(SERVICE_OPENS),
            channel=OnCallSlot.Channel.PUSH,
        )
        for day in range(5)
        if peer_workers
    ]
    if coordinator is not None:
        slots.append(
            OnCallSlot(
                person=coordinator,
                weekday=5,
                starts=time(SERVICE_CLOSES),
                ends=time(SERVICE_OPENS),
                channel=OnCallSlot.Channel.EMAIL,
            )
        )
    OnCallSlot.objects.bulk_create(slots)


def _seed_staffing(rng: random.Random, supporters: list[Member], people: list[Member]) -> None:
    """Staffing rules, a holiday, an offered shift and the notices the worker sent this week."""
    if StaffingRule.objects.exists():  # seeded again after the people were cleared: the rules stand
        return
    StaffingRule.objects.bulk_create(
        [
            StaffingRule(who=RuleRole.STAFF, minimum=1, note="A peer worker behind the volunteers"),
            StaffingRule(
                who=RuleRole.ANYONE,
                minimum=2,
                weekdays=[0, 1, 2, 3, 4],
                starts=time(18),
                ends=time(22),
                note="Evenings are busiest",
            ),
        ]
    )
    today = timezone.localdate()
    holiday = today + timedelta(days=(6 - today.weekday()) % 7 + 8)  # the Sunday after next
    ServiceException.objects.create(date=holiday, closed=True, note="Community centre closed for a holiday")
    ServiceException.objects.create(
        date=holiday + timedelta(days=1), closed=False, opens=time(12), closes=time(20), note="Shorter hours"
    )
    coordinator = next((p for p in people if Role.COORDINATOR in p.roles), None)
    sunday = today + timedelta(days=6 - today.weekday())  # this week's (today, on a Sunday): next week's gaps stay open
    offer = OpenShift.objects.create(
        date=sunday,
        starts=time(10),
        ends=time(14),
        who=RuleRole.ANYONE,
        note="Sunday mornings have nobody on",
        offered_by=coordinator,
    )
    offer.offered_to.set([s for s in supporters if Role.COORDINATOR not in s.roles][:6])
    yesterday = today - timedelta(days=1)
    ShiftNotice.objects.bulk_create(
        [
            ShiftNotice(supporter=s, date=yesterday, starts=time(14), kind=ShiftNotice.Kind.REMINDER)
            for s in supporters[:3]
        ]
        + [ShiftNotice(supporter=supporters[-1], date=yesterday, starts=time(18), kind=ShiftNotice.Kind.NO_CHECK_IN)]
    )
    # Last night's handover, so the duty desk has something to pass on this morning.
    now = timezone.now()
    for hours_ago, author, words in [
        (14, supporters[0], "Quiet evening. Two people in the Wednesday group asked about the new craft session."),
        (
            11,
            supporters[-1],
            "Someone left a message asking for a call back tomorrow afternoon; it's on the duty desk. "
            "The drop-in ran late and felt heavy, I've asked for a debrief.",
        ),
    ]:
        note = HandoverNote(author=author, written_at=now - timedelta(hours=hours_ago))
        note.set_note(words)
        note.save()


def _at(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def _next(weekday: int, after: date) -> date:
    """The first ``weekday`` at least two days after ``after`` (so the notice is real)."""
    day = after + timedelta(days=2)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _seed_week(
    rng: random.Random,
    patterns: list[ShiftPattern],
    by_role: dict[str, list[Member]],
    members: list[Member],
    people: list[Member],
) -> None:
    """The past week along the rota: check-ins and check-outs (one missed, as the notice says), a skipped request,
    a shift covered and one still looking for cover, a holiday; and now a peer worker on duty, mid-conversation.

    The demo accounts stay off duty, so each can check in and try the duty desk themselves.
    """
    now = timezone.now()
    today = timezone.localdate(now)
    demo_pks = {p.pk for p in people[:5]}
    peer_workers = [p for p in by_role.get(Role.PEER_WORKER, []) if p.pk not in demo_pks]
    volunteers = [
        p for p in by_role.get(Role.VOLUNTEER, []) if p.pk not in demo_pks and Role.COORDINATOR not in p.roles
    ]
    if len(peer_workers) < 3 or len(volunteers) < 2 or len(members) < 20:
        return  # a tiny demo: nothing to tell
    on_duty, cover_asker, cover_taker = peer_workers[:3]
    missed = max(patterns, key=lambda p: p.supporter_id)  # the one the missed check-in notice was about
    yesterday = today - timedelta(days=1)
    sessions = []
    for days_ago in range(7, 0, -1):
        day = today - timedelta(days=days_ago)
        for pattern in patterns:
            if pattern.weekday != day.weekday():
                continue
            if day == yesterday and pattern.supporter_id == missed.supporter_id and pattern.starts == time(18):
                continue  # they didn't check in (the coordinator was told)
            started = _at(day, pattern.starts) + timedelta(minutes=rng.randint(-5, 10))
            sessions.append(
                DutySession(
                    supporter=pattern.supporter,
                    started_at=started,
                    ended_at=_at(day, pattern.ends) + timedelta(minutes=rng.randint(0, 15)),
                )
            )
    DutySession.objects.bulk_create(sessions)

    # Someone asked for a woman supporter; the peer worker on duty passed it to a colleague who was on, and said why.
    asker, chooser = members[16], members[17]
    woman = next(
        (p for p in [*peer_workers, *volunteers] if p.pk != on_duty.pk and gender_from_words(p.gender) == "woman"),
        cover_asker,
    )
    asked = now - timedelta(days=2, hours=3)
    passed = TalkRequest.objects.create(
        member=chooser,
        mode="text",
        prefer_gender="woman",
        state=TalkRequest.State.CLOSED,
        created_at=asked,
        accepted_by=woman,
        accepted_at=asked + timedelta(minutes=6),
        closed_at=asked + timedelta(minutes=50),
    )
    TalkSkip.objects.create(
        request=passed,
        supporter=on_duty,
        reason=f"They'd like to talk with a woman. {woman.display_name} is on too and has room, so I've left it for her.",
        at=asked + timedelta(minutes=2),
    )

    # A shift covered by a colleague, one still looking for cover, and a volunteer's holiday.
    own = next(p for p in patterns if p.supporter_id == cover_asker.pk)
    cover = actions.do_request_cover(
        cover_asker, own, _next(own.weekday, today), "My sister's wedding. Happy to swap for one of yours."
    )
    actions.do_take_cover(cover_taker, cover)
    volunteer_shift = next(p for p in patterns if p.supporter_id == volunteers[0].pk)
    actions.do_request_cover(
        volunteers[0],
        volunteer_shift,
        _next(volunteer_shift.weekday, today + timedelta(days=7)),
        "Exams that week. I can do a weekend shift instead.",
    )
    coordinator = next((p for p in people if Role.COORDINATOR in p.roles), None)
    if coordinator is not None:
        actions.do_mark_off(coordinator, volunteers[1], today + timedelta(days=10), "On holiday, back the week after")

    # Now: a peer worker checked in at the start of the shift and is talking with someone who asked half an hour ago.
    actions.do_check_in(on_duty, now=now - timedelta(minutes=80))
    talk = actions.do_request_talk(
        asker,
        message="Had a wobbly morning and could do with someone to talk it through.",
        now=now - timedelta(minutes=34),
    )
    talk = actions.do_accept_talk(on_duty, talk.pk, now=now - timedelta(minutes=31))
    if talk.conversation_room_id:
        from hearth.chat.actions import do_send_message  # chat sits above availability: asked, never imported at load
        from hearth.chat.models import Room

        room = Room.objects.get(pk=talk.conversation_room_id)
        for person, text, client_id in (
            (
                on_duty,
                f"Hi {asker.display_name}, I'm {on_duty.display_name}. I'm here. What's been going on?",
                "demo-talk-1",
            ),
            (
                asker,
                "Just a lot at once. Work, and no sleep. Typing it out helps.",
                "demo-talk-2",
            ),
            (
                on_duty,
                "That sounds like a lot to carry on no sleep. Take your time, there's no rush here.",
                "demo-talk-3",
            ),
        ):
            do_send_message(person, room, text, client_id)
