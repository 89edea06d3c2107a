"""Demo chat for ``hearth seed_demo``: a weekly online drop-in, a hybrid gathering, some history.

Sam (volunteer@example.org) hosts the Men's Shed Online drop-in and
facilitates Co-op Gamers' hybrid board-games night, with Priya as the online
volunteer; Robin (member@example.org) is in Co-op Gamers and has chatted there.
"""

from __future__ import annotations

import random
from datetime import time, timedelta

from django.utils import timezone

from hearth.chat import actions
from hearth.chat.access import member_messages_on
from hearth.chat.actions import CLOSING_ROUND_TEXT
from hearth.chat.models import (
    Attendance,
    AttendanceHow,
    FollowUp,
    Gathering,
    GatheringFormat,
    HandRaise,
    Message,
    MessageKind,
    Prompt,
    Room,
    RoomKind,
    RoomVisit,
    Rsvp,
    RsvpAnswer,
)
from hearth.community.actions import do_join_group
from hearth.community.models import Group, Membership
from hearth.core.demo import DEMO_SEEDERS
from hearth.members.models import Member

PROMPTS = [
    "What's one small thing that went OK this week?",
    "What are you playing, reading or watching at the moment?",
    "Is there anything you're looking forward to, however small?",
    "What helps you when a day feels heavy?",
    "If you could be anywhere right now, where would it be?",
]

HISTORY = [
    "Evening all! Anyone up for a game later?",
    "I'm in, but I'll probably just watch for a bit.",
    "Watching counts. Pull up a chair.",
    "I finally beat that level I was stuck on for weeks.",
    "Nice one! Which game?",
    "The puzzle one with the lighthouse. Took me ages.",
    "Rough day here, but this chat helps.",
    "Glad you're here. No need to say more than you want to.",
    "Thanks. Might stick around and listen.",
    "Board games night on Saturday — hope to see some of you, online or in the café.",
]


def seed_chat(rng: random.Random, people: list[Member]) -> None:
    robin, sam, priya = people[0], people[1], people[2]
    now = timezone.now()
    Prompt.objects.bulk_create([Prompt(text=t, position=i) for i, t in enumerate(PROMPTS)])
    shed = Group.objects.filter(name="Men's Shed Online").first()
    gamers = Group.objects.filter(name="Co-op Gamers").first()
    if shed is None or gamers is None:
        return  # the community demo isn't loaded
    # A weekly online drop-in; today's weekday, so the demo shows it open in the evening.
    actions.do_create_drop_in(
        sam,
        shed.pk,
        title="Shed drop-in",
        weekday=timezone.localdate(now).weekday(),
        opens_at=time(18, 0),
        closes_at=time(21, 0),
    )
    # Tonight's drop-in in a group Robin is in (Sam hosts Co-op Gamers), so a member finds it from home.
    actions.do_create_drop_in(
        sam,
        gamers.pk,
        title="Gamers' evening drop-in",
        weekday=timezone.localdate(now).weekday(),
        opens_at=time(19, 0),
        closes_at=time(21, 30),
    )
    if not Membership.objects.filter(group=gamers, member=priya).exists():
        do_join_group(priya, gamers)
    start = (now + timedelta(days=3)).replace(hour=18, minute=30, second=0, microsecond=0)
    gathering = actions.do_schedule_gathering(
        sam,
        gamers.pk,
        title="Board games night",
        description="Cosy co-op games. Come for a round or just to watch. Newcomers very welcome.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        format=GatheringFormat.HYBRID,
        activity="board games",
        place="The Corner Café, upstairs room",
        facilitator=sam,
        online_volunteer=priya,
    )
    gamer_people = list(Member.objects.filter(memberships__group=gamers).order_by("pk"))
    for i, person in enumerate(gamer_people[:6]):
        answer = rng.choice(RsvpAnswer.values)
        Rsvp.objects.create(
            gathering=gathering,
            member=person,
            answer=answer,
            # Hybrid: some come to the café, some join online (only they see the link).
            joining="" if answer == RsvpAnswer.NO else ("in_person" if i % 2 else "online"),
            remind_minutes_before=60,
            due_at=start - timedelta(minutes=60),
        )
    # Last week's night, with who was there both ways.
    last = start - timedelta(days=7)
    past = Gathering.objects.create(
        group=gamers,
        title="Board games night",
        starts_at=last,
        ends_at=last + timedelta(hours=2),
        format=GatheringFormat.HYBRID,
        activity="board games",
        place="The Corner Café, upstairs room",
        facilitator=sam,
        online_volunteer=priya,
        created_by=sam,
    )
    for i, person in enumerate(gamer_people[:5]):
        how = "online" if i % 3 == 0 else "in_person"
        Rsvp.objects.create(gathering=past, member=person, answer=RsvpAnswer.GOING, joining=how, answered_at=last)
        Attendance.objects.create(gathering=past, member=person, how=how, marked_by=sam, at=last)
    # A small, calm one: just a few people Sam invited (others in the group don't see it).
    quiet = (now + timedelta(days=5)).replace(hour=14, minute=0, second=0, microsecond=0)
    small = actions.do_schedule_gathering(
        sam,
        gamers.pk,
        title="Quiet games, just a few of us",
        description="Three or four people, one easy game, cameras optional.",
        starts_at=quiet,
        ends_at=quiet + timedelta(hours=1, minutes=30),
        format=GatheringFormat.ONLINE,
        activity="a short co-op game",
        capacity=4,
        invite_only=True,
    )
    actions.do_invite(sam, small, [p for p in gamer_people if p.pk != sam.pk][:3])
    # Some history in the group's room, written straight in order (demo data skips the flood check).
    room = Room.objects.create(group=gamers, kind=RoomKind.GROUP, title=f"{gamers.name} chat", created_by=sam)
    speakers = [robin, sam, *[p for p in gamer_people if p.pk not in (robin.pk, sam.pk)][:3]]
    rows = []
    for seq, text in enumerate(HISTORY, start=1):
        rows.append(
            Message(
                room=room,
                seq=seq,
                sender=speakers[seq % len(speakers)],
                client_id=f"demo-{seq}",
                body=text,
                word_count=len(text.split()),
                created_at=now - timedelta(hours=30) + timedelta(minutes=7 * seq),
            )
        )
    Message.objects.bulk_create(rows)
    Room.objects.filter(pk=room.pk).update(last_seq=len(rows))
    conversation = actions.do_open_conversation(robin, priya, opened_by=robin, reason="Wanted a chat one-to-one")
    actions.do_send_message(robin, conversation.room, "Hi Priya, is now an OK time to talk?", "demo-1")
    actions.do_send_message(priya, conversation.room, "Hi Robin, yes of course. How are you doing today?", "demo-2")


DEMO_SEEDERS.append(seed_chat)


def seed_member_messages(rng: random.Random, people: list[Member]) -> None:
    """Messages between members switched on: Robin and a fellow gamer write to each other (Robin is open to
    messages from her groups), and one member has blocked another after an unkind message."""
    from hearth.chat.models import MessagesFrom
    from hearth.core.models import OrganisationSettings

    gamers = Group.objects.filter(name="Co-op Gamers").first()
    if gamers is None:
        return
    OrganisationSettings.objects.update_or_create(pk=1, defaults={"member_messages": True})
    robin = people[0]
    others = [
        p
        for p in Member.objects.filter(memberships__group=gamers, role_grants__isnull=True).order_by("pk")
        if p.pk != robin.pk and not p.display_name.startswith(robin.display_name)
    ]
    if len(others) < 3:
        return
    friend, blocker, blocked = others[0], others[1], others[2]
    for person in (robin, friend, blocker, blocked):
        actions.do_set_messages_from(person, MessagesFrom.GROUPS)
    conversation = actions.do_start_member_conversation(friend, robin)
    actions.do_send_message(friend, conversation.room, "Good game last night! Same time next week?", "demo-peer-1")
    actions.do_send_message(robin, conversation.room, "Yes please, I'll bring the snacks this time.", "demo-peer-2")
    actions.do_block(blocker, blocked)


DEMO_SEEDERS.append(seed_member_messages)


def seed_recurring_gatherings(rng: random.Random, people: list[Member]) -> None:
    """A weekly craft evening with a few places (full, one person waiting), and a monthly film night."""
    from hearth.chat.models import Repeat

    makers = Group.objects.filter(name="Co-op Gamers").first()
    if makers is None:
        return
    sam = people[1]
    if not Membership.objects.filter(group=makers, member=sam).exists():
        do_join_group(sam, makers)
    now = timezone.localtime(timezone.now())
    start = (now + timedelta(days=1)).replace(hour=19, minute=0, second=0, microsecond=0)
    weekly = actions.do_schedule_series(
        sam,
        makers.pk,
        repeat=Repeat.WEEKLY,
        title="Quiet games evening",
        description="A small, calm table: two-player and solo games, cameras optional. Just three or four of us.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        format=GatheringFormat.ONLINE,
        activity="two-player games",
        bring="install Tabletop Simulator if you can (or just come and watch)",
        capacity=4,
    )
    first = weekly.gatherings.order_by("starts_at").first()
    members = list(Member.objects.filter(memberships__group=makers).exclude(pk=sam.pk).order_by("pk")[:5])
    if first is not None:
        for person in members:
            actions.do_rsvp(person, first, RsvpAnswer.GOING, 60)  # the fifth waits for a place
    film = (now + timedelta(days=6)).replace(hour=19, minute=30, second=0, microsecond=0)
    actions.do_schedule_series(
        sam,
        makers.pk,
        repeat=Repeat.MONTHLY,
        title="Film night",
        description="We watch together online and chat in the room. Vote for next month's film at the end.",
        starts_at=film,
        ends_at=film + timedelta(hours=2, minutes=30),
        format=GatheringFormat.ONLINE,
        activity="a film, chosen together",
        bring="a snack and a blanket",
    )


DEMO_SEEDERS.append(seed_recurring_gatherings)


def seed_slots(rng: random.Random, people: list[Member]) -> None:
    """Priya (peer worker) and Dr Okafor (counsellor) offer times to book; Robin has booked one, and a past
    one went ahead."""
    from hearth.chat.models import Slot, SlotOutcome, SlotWay

    robin, priya, okafor = people[0], people[2], people[3]
    now = timezone.localtime(timezone.now())
    tomorrow = (now + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    offered = []
    for days, hour, who, way in [
        (1, 10, priya, SlotWay.TEXT),
        (1, 14, priya, SlotWay.PHONE),
        (2, 11, okafor, SlotWay.VIDEO),
        (3, 15, priya, SlotWay.TEXT),
        (4, 10, okafor, SlotWay.TEXT),
    ]:
        start = (tomorrow + timedelta(days=days - 1)).replace(hour=hour)
        if way == SlotWay.VIDEO:
            # Made directly: publishing a video slot needs the organisation's own video service
            # (HEARTH_VIDEO_URL), which the demo doesn't run; it opens as a text one-to-one without one.
            end = start + timedelta(minutes=45)
            offered.append(Slot.objects.create(supporter=who, starts_at=start, ends_at=end, way=way))
            continue
        offered.append(actions.do_publish_slot(who, starts_at=start, minutes=45, way=way))
    actions.do_book_slot(robin, offered[0].pk)
    past = (now - timedelta(days=3)).replace(hour=11, minute=0, second=0, microsecond=0)
    Slot.objects.create(
        supporter=priya,
        starts_at=past,
        ends_at=past + timedelta(minutes=45),
        way=SlotWay.TEXT,
        member=robin,
        booked_at=past - timedelta(days=2),
        reminded_at=past - timedelta(hours=1),
        opened_at=past - timedelta(minutes=5),
        outcome=SlotOutcome.MET,
    )


DEMO_SEEDERS.append(seed_slots)


def seed_calls(rng: random.Random, people: list[Member]) -> None:
    """Robin and Priya went from text to a phone call three weeks ago and a video call last week."""
    from hearth.chat.models import Call, CallOutcome, CallWay

    robin, priya = people[0], people[2]
    conversation = actions.do_open_conversation(robin, priya, opened_by=priya, reason="talk now", tell=())
    now = timezone.now()
    for days, way, minutes in [(21, CallWay.PHONE, 25), (6, CallWay.VIDEO, 40)]:
        at = now - timedelta(days=days)
        Call.objects.create(
            conversation=conversation,
            way=way,
            video_room=actions.new_video_room() if way == CallWay.VIDEO else "",
            started_by=priya,
            created_at=at,
            outcome=CallOutcome.TALKED,
            minutes=minutes,
            recorded_at=at + timedelta(minutes=minutes),
        )


DEMO_SEEDERS.append(seed_calls)


def seed_buddies(rng: random.Random, people: list[Member]) -> None:
    """Four members asked for a buddy; Jo (coordinator) paired two of them, who both said yes; two wait."""
    from hearth.chat.models import BuddyPair

    jo = people[4]
    looking = [p for p in people[5:] if not p.role_grants.exists() and p.is_active][4:8]
    if len(looking) < 4:
        return
    for i, person in enumerate(looking):
        actions.do_set_buddy_preference(
            person, looking=True, same_gender=False, similar_age=False, ways=["text", "phone"][: 1 + i % 2]
        )
    pair = actions.do_propose_buddies(jo, looking[0], looking[1]) if member_messages_on() else None
    if pair is not None:
        actions.do_answer_buddy(looking[0], pair, accept=True)
        pair = actions.do_answer_buddy(looking[1], BuddyPair.objects.get(pk=pair.pk), accept=True)
        if pair.conversation is not None:
            actions.do_send_message(looking[0], pair.conversation.room, "Hi buddy! How was your week?", "demo-buddy-1")


DEMO_SEEDERS.append(seed_buddies)


SESSION = [
    # (speaker index: 0 is the facilitator, kind, words, minutes after the start)
    (0, MessageKind.TEXT, "Evening all. Kettle's on. Say hello, or just wave, whichever suits.", 2),
    (1, MessageKind.TEXT, "Evening. Just here to listen tonight.", 4),
    (2, MessageKind.TEXT, "Hello! Sanded the whole chair this week, finally.", 5),
    (0, MessageKind.PROMPT, PROMPTS[0], 12),
    (3, MessageKind.TEXT, "Got out for a walk three days running. Small, but it counts.", 15),
    (2, MessageKind.TEXT, "It counts. Where do you walk?", 17),
    (3, MessageKind.TEXT, "Along the canal. There's a heron that's always there.", 19),
    (4, MessageKind.TEXT, "Honestly not a great week. Hard to find one thing.", 26),
    (0, MessageKind.TEXT, "Thanks for saying so. You don't need a good thing to be here.", 27),
    (0, MessageKind.CLOSING, CLOSING_ROUND_TEXT, 80),
    (2, MessageKind.TEXT, "The chair. And this hour.", 81),
    (3, MessageKind.TEXT, "The heron, and hearing about the chair.", 82),
    (1, MessageKind.TEXT, "Listening in helped. Thanks all.", 84),
    (0, MessageKind.TEXT, "Thanks everyone. Same time next week; the room's here whenever you want it.", 86),
]


def seed_last_gathering(rng: random.Random, people: list[Member]) -> None:
    """Yesterday's Shed natter, online: Sam facilitated; people came and went; two hands went up and Sam brought
    them in; someone who was having a hard week was offered a one-to-one with Priya, privately; a closing round."""
    from hearth.core.demo import delivered

    sam, priya = people[1], people[2]
    shed = Group.objects.filter(name="Men's Shed Online").first()
    if shed is None:
        return
    staff = set(Member.objects.filter(role_grants__isnull=False).values_list("pk", flat=True))
    regulars = [
        m
        for m in Member.objects.filter(memberships__group=shed, is_active=True).order_by("pk")
        if m.pk not in staff and "robin" not in m.display_name.lower()
    ][-4:]
    if len(regulars) < 4:
        return
    cast = [sam, *regulars]
    starts = (timezone.localtime() - timedelta(days=1)).replace(hour=19, minute=0, second=0, microsecond=0)
    room = Room.objects.create(group=shed, kind=RoomKind.GATHERING, title="Shed natter", created_by=sam)
    gathering = Gathering.objects.create(
        group=shed,
        title="Shed natter",
        description="An hour and a half of company. Cameras off, come and go as you like.",
        starts_at=starts,
        ends_at=starts + timedelta(minutes=90),
        format=GatheringFormat.ONLINE,
        activity="chat and whatever you're working on",
        facilitator=sam,
        room=room,
        closing_round_at=starts + timedelta(minutes=80),
        notes="Five of us. Quiet start, warmed up after the prompt. One member having a hard week: offered a "
        "one-to-one with Priya, who's following up.",
        created_by=sam,
        created_at=starts - timedelta(days=6),
    )
    RoomVisit.objects.bulk_create(
        [
            RoomVisit(
                room=room,
                member=person,
                entered_at=starts + timedelta(minutes=i * 2 - 3),
                left_at=starts + timedelta(minutes=88 + i),
            )
            for i, person in enumerate(cast)
        ]
    )
    Attendance.objects.bulk_create(
        [Attendance(gathering=gathering, member=p, how=AttendanceHow.ONLINE, marked_by=sam) for p in cast]
    )
    Message.objects.bulk_create(
        [
            Message(
                room=room,
                seq=seq,
                sender=cast[who],
                client_id=f"demo-natter-{seq}",
                kind=kind,
                body=body,
                word_count=len(body.split()),
                created_at=starts + timedelta(minutes=minutes),
            )
            for seq, (who, kind, body, minutes) in enumerate(SESSION, start=1)
        ]
    )
    Room.objects.filter(pk=room.pk).update(last_seq=len(SESSION))
    # The quiet listener and the walker raised hands; Sam brought each in and lowered them.
    HandRaise.objects.bulk_create(
        [
            HandRaise(
                room=room,
                member=cast[3],
                raised_at=starts + timedelta(minutes=13),
                cleared_at=starts + timedelta(minutes=14),
            ),
            HandRaise(
                room=room,
                member=cast[1],
                raised_at=starts + timedelta(minutes=40),
                cleared_at=starts + timedelta(minutes=41),
            ),
        ]
    )
    # The one-to-one offered privately, and the follow-up it left for the team.
    follow_up = actions.do_hand_off(sam, room, cast[4], priya, "Hard week; didn't want to say more in the group")
    FollowUp.objects.filter(pk=follow_up.pk).update(created_at=starts + timedelta(minutes=30))
    if follow_up.conversation is not None:
        delivered(follow_up.conversation.room, starts + timedelta(minutes=30))


DEMO_SEEDERS.append(seed_last_gathering)


def seed_time_poll(rng: random.Random, people: list[Member]) -> None:
    """Sam asks Co-op Gamers when suits for a games afternoon in the café; a few have said (school runs, buses),
    with how long their journey is. Still open, so members find it under "When suits you?"."""
    from hearth.chat.models import PollAnswer

    gamers = Group.objects.filter(name="Co-op Gamers").first()
    sam = people[1]
    if gamers is None:
        return
    now = timezone.localtime(timezone.now())
    saturday = (now + timedelta(days=(5 - now.weekday()) % 7 + 7)).replace(hour=14, minute=0, second=0, microsecond=0)
    times = [saturday, saturday + timedelta(days=1), saturday + timedelta(days=4, hours=4)]
    poll = actions.do_start_poll(
        sam,
        gamers.pk,
        title="Games afternoon in the café",
        times=times,
        format=GatheringFormat.IN_PERSON,
        place="The Corner Café, upstairs room",
        minutes=120,
    )
    options = list(poll.options.all())
    answerers = list(Member.objects.filter(memberships__group=gamers).exclude(pk=sam.pk).order_by("pk")[:4])
    for person in answerers:
        answers = {o.pk: rng.choice([PollAnswer.YES, PollAnswer.YES, PollAnswer.MAYBE, PollAnswer.NO]) for o in options}
        actions.do_answer_poll(person, poll, answers, travel_minutes=rng.choice([10, 20, 35, 50]))


DEMO_SEEDERS.append(seed_time_poll)
