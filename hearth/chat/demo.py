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
from hearth.chat.models import GatheringFormat, Message, Prompt, Room, RoomKind, Rsvp, RsvpAnswer
from hearth.community.actions import do_join_group
from hearth.community.models import Group, Membership
from hearth.members.management.commands import seed_demo
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
    for person in gamer_people[:6]:
        Rsvp.objects.create(
            gathering=gathering,
            member=person,
            answer=rng.choice(RsvpAnswer.values),
            remind_minutes_before=60,
            due_at=start - timedelta(minutes=60),
        )
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


seed_demo.DEMO_SEEDERS.append(seed_chat)


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


seed_demo.DEMO_SEEDERS.append(seed_member_messages)


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
        activity="two-player games: install Tabletop Simulator if you can, or just watch",
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
        activity="film: bring a snack and a blanket",
    )


seed_demo.DEMO_SEEDERS.append(seed_recurring_gatherings)


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


seed_demo.DEMO_SEEDERS.append(seed_slots)


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


seed_demo.DEMO_SEEDERS.append(seed_calls)


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
    pair = actions.do_propose_buddies(jo, looking[0], looking[1]) if actions.member_messages_on() else None
    if pair is not None:
        actions.do_answer_buddy(looking[0], pair, accept=True)
        pair = actions.do_answer_buddy(looking[1], BuddyPair.objects.get(pk=pair.pk), accept=True)
        if pair.conversation is not None:
            actions.do_send_message(looking[0], pair.conversation.room, "Hi buddy! How was your week?", "demo-buddy-1")


seed_demo.DEMO_SEEDERS.append(seed_buddies)
