"""Demo groups and activity for ``hearth seed_demo`` (and ``--scale`` for benchmarks).

Deterministic: everything random comes from the ``random.Random`` passed in.
Robin (member@example.org) hosts Tuesday Makers, is in Carers' Corner and
Co-op Gamers, and has a heavy post waiting in Carers' Corner, so the quiet
mode browser test has something to fold away.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from hearth.community.models import (
    CardType,
    Comment,
    CommunityProfile,
    Energy,
    Group,
    GroupState,
    JoinPolicy,
    JoinRequest,
    Membership,
    Post,
    PostKind,
    Reaction,
    ReactionKind,
)
from hearth.members.management.commands import seed_demo
from hearth.members.models import Member

# name, purpose, who for, not covered, interests, experiences, join policy, listed, host index in DEMO_ACCOUNTS
GROUPS: list[dict[str, Any]] = [
    {
        "name": "Men's Shed Online",
        "purpose": "Blokes chatting side by side about projects, sport and life. No need to talk about feelings unless you want to.",
        "who_for": "Men of any age",
        "not_covered": "Drug and alcohol support (we'll point you to the right service)",
        "interest_tags": "making, woodwork, football",
        "experience_tags": "men's mental health",
        "join_policy": JoinPolicy.OPEN,
        "host": 1,
    },
    {
        "name": "Carers' Corner",
        "purpose": "A place to breathe for people looking after someone. Vent, swap tips, or just read.",
        "who_for": "Anyone caring for a family member or friend",
        "not_covered": "Benefits and money advice: ask a peer worker for a referral",
        "interest_tags": "",
        "experience_tags": "being a carer, caring for someone",
        "join_policy": JoinPolicy.ASK,
        "host": 2,
    },
    {
        "name": "Tuesday Makers",
        "purpose": "Knitting, drawing, clay, collage — show what you're making, half-finished is welcome.",
        "who_for": "Everyone, beginners most of all",
        "not_covered": "",
        "interest_tags": "crafts, knitting, drawing, making",
        "experience_tags": "",
        "join_policy": JoinPolicy.OPEN,
        "host": 0,
    },
    {
        "name": "Co-op Gamers",
        "purpose": "Cosy and co-op games, game nights and what we're playing this week.",
        "who_for": "Anyone who likes games, any skill level",
        "not_covered": "",
        "interest_tags": "gaming, games, board games",
        "experience_tags": "",
        "join_policy": JoinPolicy.OPEN,
        "host": 1,
    },
    {
        "name": "Student Common Room",
        "purpose": "Deadlines, homesickness, flatmates, exams — peer support from people who get it.",
        "who_for": "Students at college or university",
        "not_covered": "Academic appeals: your students' union can help",
        "interest_tags": "studying",
        "experience_tags": "being a student, exam stress",
        "join_policy": JoinPolicy.ASK,
        "host": 2,
    },
    {
        "name": "Night Owls",
        "purpose": "For the small hours when sleep won't come. Quiet company.",
        "who_for": "People awake at night",
        "not_covered": "Crisis support: use Need help now at the top of every page",
        "interest_tags": "sleep",
        "experience_tags": "insomnia",
        "join_policy": JoinPolicy.INVITE,
        "listed": False,
        "host": 1,
    },
]

PROPOSALS = [
    {
        "name": "Allotment Friends",
        "purpose": "Swapping seeds, photos of what's growing, and meeting up at the allotments in summer.",
        "who_for": "Gardeners and would-be gardeners",
        "interest_tags": "gardening, outdoors",
    },
]

TEXTS = {
    "Men's Shed Online": [
        "Finally fixed the wobbly shelf in the hallway. Small win but I'll take it.",
        "Anyone watching the match tonight? Could do with the company, even if it's just in here.",
        "Started sanding an old chair I found in a skip. Photos when it stops looking like firewood.",
        "Rough week. Not after advice, just didn't want to sit with it on my own.",
    ],
    "Carers' Corner": [
        "Mum had a good day today. She remembered my name and laughed at the telly. Holding on to that.",
        "Does anyone else feel guilty for wanting an hour to themselves?",
        "Tip: the council's respite list is worth asking about. Took me months to find out.",
        "Appointment went better than I feared. Thanks for the messages yesterday.",
    ],
    "Tuesday Makers": [
        "First granny square! It's more of a granny trapezium but I'm proud of it.",
        "Drawing a leaf a day this month. Day 4 and the leaves are getting leafier.",
        "Anyone know a way to stop clay cracking as it dries?",
        "Made a card for my neighbour. Wonky letters, big heart.",
    ],
    "Co-op Gamers": [
        "Game night Friday at 8 — cosy farming game, bring snacks, no pressure to talk on mic.",
        "Finally got past the ice level. Took all week, totally worth it.",
        "Looking for a relaxed co-op game for two. Suggestions welcome!",
    ],
    "Student Common Room": [
        "Three deadlines in one week. Who's doing a library session tomorrow?",
        "Homesick today. First term is harder than anyone says.",
        "Passed my resit!! Thank you all for the pep talks.",
    ],
    "Night Owls": [
        "2am club checking in. Kettle's on.",
        "Can't sleep again. Listening to rain sounds and reading here.",
    ],
}
CARDS = [
    (CardType.WATCHING, "A nature documentary about otters", "Exactly the right amount of calm."),
    (CardType.READING, "A Gentleman in Moscow", "Slow and kind. A chapter a night."),
    (CardType.LISTENING, "A podcast about old maps", "Weirdly soothing."),
    (CardType.PLAYING, "Stardew Valley", "Growing parsnips, as is tradition."),
    (CardType.MAKING, "A patchwork cushion", "From my dad's old shirts."),
]
HEAVY = [
    (
        "loss of a parent",
        "It's a year today since Dad died. I thought I'd be further along. Some days are still very hard.",
    ),
    ("hospital stay", "Back from a week on the ward. Glad to be home, still shaky. Not ready to talk about it much."),
]
COMMENTS = [
    "Thinking of you.",
    "That's brilliant, well done.",
    "Same here, you're not alone.",
    "Love this!",
    "Sending a hug. Be gentle with yourself today.",
    "Thanks for sharing this.",
    "Ooh, I'd like to try that.",
]
PHOTO_COLOURS = [(196, 120, 90), (90, 140, 110), (80, 110, 160), (200, 170, 80)]


def _demo_photo(rng: random.Random, index: int) -> str:
    """A small generated picture (no camera, no metadata), stored like an upload would be."""
    image = Image.new("RGB", (640, 480), PHOTO_COLOURS[index % len(PHOTO_COLOURS)])
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randint(0, 560), rng.randint(0, 400)
        draw.ellipse((x, y, x + rng.randint(30, 120), y + rng.randint(30, 120)), fill=(250, 245, 235))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return default_storage.save(f"community/photos/demo-{index}.jpg", ContentFile(out.getvalue()))


def seed_community(rng: random.Random, people: list[Member]) -> None:
    now = timezone.now()
    # Seeding again (after the demo people were deleted) replaces the demo groups rather than clashing with them.
    Group.objects.filter(name__in=[g["name"] for g in GROUPS + PROPOSALS]).delete()
    accounts = people[:5]  # Robin, Sam, Priya, Dr Okafor, Jo (see DEMO_ACCOUNTS)
    robin, sam, priya, _okafor, jo = accounts
    others = people[5:]
    groups: list[Group] = []
    for spec in GROUPS:
        fields = {k: v for k, v in spec.items() if k != "host"}
        fields.setdefault("listed", True)
        host = accounts[spec["host"]]
        group = Group.objects.create(
            **fields,
            state=GroupState.ACTIVE,
            proposed_by=host,
            reviewed_by=jo if host == robin else None,
            reviewed_at=now - timedelta(days=200) if host == robin else None,
            created_at=now - timedelta(days=rng.randint(120, 400)),
        )
        groups.append(group)
    for spec in PROPOSALS:
        Group.objects.create(**spec, state=GroupState.PROPOSED, proposed_by=rng.choice(others), created_at=now)

    memberships: list[Membership] = []
    members_of: dict[int, list[Member]] = {}
    for spec, group in zip(GROUPS, groups, strict=True):
        host = accounts[spec["host"]]
        chosen = [host, *rng.sample(others, rng.randint(8, 18))]
        if group.name in ("Tuesday Makers", "Carers' Corner", "Co-op Gamers"):
            chosen.append(robin)
        if group.name == "Carers' Corner":
            chosen.append(jo)
        seen: dict[int, Member] = {p.pk: p for p in chosen}
        members_of[group.pk] = list(seen.values())
        for person in seen.values():
            memberships.append(
                Membership(
                    group=group,
                    member=person,
                    is_host=person == host,
                    joined_at=group.created_at + timedelta(days=rng.randint(0, 60)),
                    last_read_at=now - timedelta(days=2),
                    last_active_at=now - timedelta(days=rng.randint(0, 20)),
                    # "Here quietly" today for about one in five.
                    here_on=timezone.localdate(now) if rng.random() < 0.2 else None,
                )
            )
    Membership.objects.bulk_create(memberships)
    # Carers' Corner asks to join: one person is waiting for a host.
    carers = groups[1]
    waiting = next(p for p in others if p not in members_of[carers.pk])
    JoinRequest.objects.create(
        group=carers, member=waiting, kind=JoinRequest.Kind.REQUEST, note="My dad has just moved in with us."
    )

    posts: list[Post] = []
    photo_index = 0
    for group in groups:
        people_here = members_of[group.pk]
        for text in TEXTS[group.name]:
            posts.append(
                Post(
                    group=group,
                    author=rng.choice(people_here),
                    body=text,
                    created_at=now - timedelta(hours=rng.randint(1, 24 * 20)),
                )
            )
        for card_type, title, note in rng.sample(CARDS, 2):
            posts.append(
                Post(
                    group=group,
                    author=rng.choice(people_here),
                    kind=PostKind.CARD,
                    card_type=card_type,
                    card_title=title,
                    body=note,
                    created_at=now - timedelta(hours=rng.randint(1, 24 * 20)),
                )
            )
        if group.name in ("Tuesday Makers", "Men's Shed Online"):
            for _ in range(2):
                posts.append(
                    Post(
                        group=group,
                        author=rng.choice(people_here),
                        kind=PostKind.PHOTO,
                        photo=_demo_photo(rng, photo_index),
                        photo_description="A work in progress on the kitchen table",
                        body="Work in progress.",
                        created_at=now - timedelta(hours=rng.randint(1, 24 * 10)),
                    )
                )
                photo_index += 1
    # Heavy posts, one where Robin will see it (in the last hour, so it's near the top).
    for group, (note, text) in zip([groups[1], groups[0]], HEAVY, strict=True):
        author = next(p for p in members_of[group.pk] if p != robin)
        posts.append(
            Post(
                group=group,
                author=author,
                body=text,
                heavy=True,
                content_note=note,
                created_at=now - timedelta(minutes=rng.randint(5, 50)),
            )
        )
    posts.append(
        Post(
            group=groups[3],
            author=sam,
            kind=PostKind.ANNOUNCEMENT,
            body="Game night moves to Saturdays from next week. Same time, same cosy games.",
            pinned_at=now - timedelta(days=1),
            created_at=now - timedelta(days=1),
        )
    )
    Post.objects.bulk_create(posts)
    posts = list(Post.objects.filter(group__in=groups).order_by("pk"))

    comments: list[Comment] = []
    reactions: list[Reaction] = []
    for post in posts:
        people_here = members_of[post.group_id]
        for _ in range(rng.randint(0, 3)):
            commenter = rng.choice(people_here)
            comments.append(
                Comment(
                    post=post,
                    author=commenter,
                    body=rng.choice(COMMENTS),
                    created_at=post.created_at + timedelta(minutes=rng.randint(2, 600)),
                )
            )
        for person in rng.sample(people_here, min(len(people_here), rng.randint(0, 6))):
            reactions.append(Reaction(post=post, member=person, kind=rng.choice(ReactionKind.values)))
    Comment.objects.bulk_create(comments)
    Reaction.objects.bulk_create(reactions, ignore_conflicts=True)

    profiles = [
        CommunityProfile(member=robin, interests="crafts, films, being a carer"),
        CommunityProfile(member=sam, energy=Energy.GOOD, energy_set_at=now, interests="gaming, making"),
        CommunityProfile(member=priya, energy=Energy.SOME, energy_set_at=now),
    ]
    for person in rng.sample(others, min(len(others), 15)):
        profiles.append(
            CommunityProfile(
                member=person,
                energy=rng.choice([Energy.LOW, Energy.SOME, Energy.GOOD, Energy.UNSAID]),
                energy_set_at=now,
                muted_words="hospital" if rng.random() < 0.2 else "",
            )
        )
    CommunityProfile.objects.bulk_create(profiles)


BATCH = 5000
SCALE_GROUPS = 60


def seed_scale(rng: random.Random, people: list[Member], posts: int) -> None:
    """A benchmark-sized community: ``SCALE_GROUPS`` more groups, everyone in a few, ``posts`` posts.

    Robin is put in ten of the busiest groups so their feed is a realistic worst case.
    """
    now = timezone.now()
    robin = people[0]
    Group.objects.bulk_create(
        [
            Group(
                name=f"Scale group {i}",
                purpose="A benchmark group.",
                who_for="Everyone",
                state=GroupState.ACTIVE,
                created_at=now - timedelta(days=800),
            )
            for i in range(SCALE_GROUPS)
        ]
    )
    groups = list(Group.objects.filter(name__startswith="Scale group ").order_by("pk"))
    members_of: dict[int, list[int]] = {g.pk: [] for g in groups}
    batch: list[Membership] = []
    for person in people:
        chosen = rng.sample(groups, 4)
        if person == robin:
            chosen = groups[:10]
        for group in chosen:
            members_of[group.pk].append(person.pk)
            batch.append(Membership(group=group, member_id=person.pk, last_read_at=now - timedelta(days=1)))
        if len(batch) >= BATCH:
            Membership.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Membership.objects.bulk_create(batch, ignore_conflicts=True)
    span = int(timedelta(days=730).total_seconds())
    made = 0
    while made < posts:
        size = min(BATCH, posts - made)
        rows = []
        for _ in range(size):
            group = groups[min(int(rng.paretovariate(1.2)) - 1, SCALE_GROUPS - 1)]
            rows.append(
                Post(
                    group=group,
                    author_id=rng.choice(members_of[group.pk]) if members_of[group.pk] else robin.pk,
                    body=rng.choice(TEXTS["Tuesday Makers"]),
                    created_at=now - timedelta(seconds=rng.randint(0, span)),
                )
            )
        Post.objects.bulk_create(rows)
        made += size


seed_demo.DEMO_SEEDERS.append(seed_community)
seed_demo.DEMO_SCALE_SEEDERS.append(seed_scale)
