"""Demo groups and activity for ``hearth seed_demo`` (and ``--scale`` for benchmarks).

Deterministic: everything random comes from the ``random.Random`` passed in.
Robin (member@example.org) hosts Tuesday Makers, is in Carers' Corner and
Co-op Gamers, and has a heavy post waiting in Carers' Corner, so the quiet
mode browser test has something to fold away.
"""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from hearth.community.actions import do_comment, do_hide_group
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
from hearth.core import screening
from hearth.core.demo import DEMO_SCALE_SEEDERS, DEMO_SEEDERS
from hearth.members.models import Member, Role, RoleGrant

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
# Replies that fit what they answer: company (not cheering, not advice) under something hard; questions answered
# or kept company; gladness for good news and things made.
HARD = {
    "Anyone watching the match tonight? Could do with the company, even if it's just in here.",
    "Rough week. Not after advice, just didn't want to sit with it on my own.",
    "Does anyone else feel guilty for wanting an hour to themselves?",
    "Homesick today. First term is harder than anyone says.",
    "Can't sleep again. Listening to rain sounds and reading here.",
    "2am club checking in. Kettle's on.",
}
INVITES = {
    "Game night Friday at 8 — cosy farming game, bring snacks, no pressure to talk on mic.",
    "Three deadlines in one week. Who's doing a library session tomorrow?",
}
REPLIES = {
    "hard": [
        "Thinking of you.",
        "Same here, you're not alone.",
        "Sending a hug. Be gentle with yourself today.",
        "Glad you posted. Pull up a chair, no need to say more than you want to.",
        "I'm around this evening if you'd like company.",
    ],
    "question": [
        "Good question. I'd like to know too.",
        "Not sure, but I'll ask around and come back to you.",
        "Following this one!",
    ],
    "invite": ["Count me in.", "I'll be there for the first hour.", "Might just listen in, if that's OK."],
    "news": ["Thanks for letting us know.", "Saturdays suit me better. See you there."],
    "glad": [
        "That's brilliant, well done.",
        "Love this!",
        "Thanks for sharing this.",
        "Ooh, I'd like to try that.",
        "That made me smile.",
    ],
}


def _tone(post: Post) -> str:
    if post.heavy or post.body in HARD:
        return "hard"
    if post.kind == PostKind.ANNOUNCEMENT:
        return "news"
    if post.body in INVITES:
        return "invite"
    return "question" if "?" in post.body or "Suggestions welcome" in post.body else "glad"


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
                    body=rng.choice(REPLIES[_tone(post)]),
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


# --- A week of keeping the groups safe (issue 22) -----------------------------------------------------------


def _regulars(group: Group, exclude: set[int]) -> list[Member]:
    """Members of ``group`` with no role on the team, oldest account first (never a demo account)."""
    staff = set(RoleGrant.objects.values_list("member_id", flat=True))
    return [
        m
        for m in Member.objects.filter(memberships__group=group, is_active=True).order_by("pk")
        if m.pk not in staff and m.pk not in exclude and "robin" not in m.display_name.lower()
    ]


def _write(group: Group, author: Member, body: str, at: datetime, **fields: Any) -> Post:
    """A post written at ``at``, screened then as every post is (the one screening path)."""
    post = Post.objects.create(group=group, author=author, body=body, created_at=at, **fields)
    screening.screen(
        author=author, text=body, path="community.post", object_id=post.pk, group_id=group.pk, heavy=post.heavy, now=at
    )
    return post


def _reply(post: Post, author: Member, body: str, at: datetime) -> Comment:
    comment = Comment.objects.create(post=post, author=author, body=body, created_at=at)
    screening.screen(
        author=author,
        text=body,
        path="community.comment",
        object_id=comment.pk,
        group_id=post.group_id,
        reply=True,
        now=at,
    )
    return comment


class _TooFew(Exception):
    """A group has too few members for its part of the story (a small ``--members`` demo)."""


def seed_moderation(rng: random.Random, people: list[Member]) -> None:
    try:
        _seed_moderation(people)
    except _TooFew:
        return


def _seed_moderation(people: list[Member]) -> None:
    """Two nights ago a crisis post in Night Owls; the coordinator, emailed as nobody was on, acknowledged it in
    four minutes and rang them. Exams weighed on the Student Common Room until hosts were told. Reports were
    answered and the reporters told; a mute was appealed and lifted; a few things still wait for a moderator.
    """
    from hearth.core.demo import delivered
    from hearth.safety import actions as safety
    from hearth.safety.actions import do_acknowledge_alert
    from hearth.safety.models import CrisisAlert, ModerationItem

    groups = {g.name: g for g in Group.objects.filter(name__in=[spec["name"] for spec in GROUPS])}
    if len(groups) < len(GROUPS) or len(people) < 20:
        return  # a tiny demo: nothing to tell
    robin, sam, priya, _okafor, jo = people[:5]
    demo = {p.pk for p in people[:5]}
    now = timezone.localtime()
    used: set[int] = set(demo)

    def pick(group: Group, n: int = 1) -> list[Member]:
        chosen = _regulars(group, used)[:n]
        if len(chosen) < n:
            raise _TooFew
        used.update(m.pk for m in chosen)
        return chosen

    # Two nights ago, 02:47: nobody on duty, so the coordinators were emailed at once; Jo had it in four minutes.
    owls = groups["Night Owls"]
    night = (now - timedelta(days=2)).replace(hour=2, minute=47, second=0, microsecond=0)
    owl, other_owl = pick(owls, 2)
    crisis_post = _write(
        owls,
        owl,
        "I don't think I can keep myself safe tonight. I've been saving up my tablets.",
        night,
        heavy=True,
    )
    alert = CrisisAlert.objects.filter(member=owl).order_by("-created_at").first()
    if alert is not None:
        delivered(alert, night)
        do_acknowledge_alert(jo, alert.pk, now=night + timedelta(minutes=4))
        if alert.item_id:
            safety.do_moderate(
                jo,
                alert.item_id,
                "dismiss",
                "Rang them at 02:55. They're safe tonight and have agreed a plan with us; a peer worker will call "
                "tomorrow. Left up: the replies in the group are kind.",
                now=night + timedelta(minutes=40),
            )
    _reply(
        crisis_post,
        other_owl,
        "I'm up too. Really glad you said something. You're not on your own tonight.",
        night + timedelta(minutes=9),
    )
    _reply(
        crisis_post,
        sam,
        "Thinking of you this morning. The kettle's on in here whenever you want company.",
        night + timedelta(hours=6),
    )

    # Exam week: heavy posts in the Student Common Room with few replies; the hosts were told, and replied.
    students = groups["Student Common Room"]
    first, second, third, fourth, friend = pick(students, 5)
    run = [
        (first, "Exam in two days and I can't take any of it in. Everything feels pointless.", {}),
        (second, "Failed my mock. Trying not to spiral but it's hard.", {"heavy": True, "content_note": "exam stress"}),
        (third, "Haven't left my room in three days apart from the library. Feeling really alone with it.", {}),
        (
            fourth,
            "Flat's empty for the weekend and I'm revising on my own. Dreading the quiet.",
            {"heavy": True, "content_note": "loneliness"},
        ),
    ]
    heavy_posts = []
    for hours_ago, (author, body, fields) in zip((68, 54, 46, 39), run, strict=True):
        heavy_posts.append(_write(students, author, body, now - timedelta(hours=hours_ago), **fields))
    mood_alert_at = now - timedelta(hours=38)
    from hearth.safety.actions import alert_drifting_groups

    alert_drifting_groups(now=mood_alert_at)
    host = next((m for m in Member.objects.filter(memberships__group=students, memberships__is_host=True)), priya)
    _reply(
        heavy_posts[1],
        host,
        "A mock is practice, not a verdict on you. Sending you a hug. One page at a time.",
        mood_alert_at + timedelta(hours=1),
    )
    _reply(
        heavy_posts[3],
        friend,
        "I'm staying too. Library café at 11 tomorrow? No need to talk, we can just revise.",
        mood_alert_at + timedelta(hours=3),
    )
    concern_item = ModerationItem.objects.filter(content_key="community.post", object_id=heavy_posts[0].pk).first()
    if concern_item is not None:
        safety.do_moderate(
            priya,
            concern_item.pk,
            "note",
            "Messaged to ask how they're doing. They replied and have booked a chat for after the exam. Leaving this "
            "open until then.",
            now=mood_alert_at + timedelta(hours=2),
        )
        # She also tells triage what it really was: a label for retraining (issue 20).
        safety.do_label_item(priya, concern_item.pk, "concern", now=mood_alert_at + timedelta(hours=2))

    # Four days ago: a run of hostile comments in Men's Shed Online; a member reported one; a peer worker muted
    # the writer for two days. They appealed, said sorry in the group, and the coordinator lifted it.
    shed = groups["Men's Shed Online"]
    grumpy, reporter, fixer = pick(shed, 3)
    fixed = _write(
        shed,
        fixer,
        "Fixed my neighbour's gate today. First job I've finished in months.",
        now - timedelta(days=4, hours=5),
    )
    rude = _reply(
        fixed, grumpy, "Oh give it a rest, you idiots. This group is a joke.", now - timedelta(days=4, hours=4)
    )
    safety.do_report(
        reporter,
        content_key="community.comment",
        object_id=rude.pk,
        reason="This was a nasty reply to someone sharing good news.",
        now=now - timedelta(days=4, hours=3),
    )
    item = ModerationItem.objects.filter(content_key="community.comment", object_id=rude.pk).first()
    if item is not None:
        safety.do_moderate(
            priya, item.pk, "hide", "Unkind to a member sharing good news.", now=now - timedelta(days=4, hours=2)
        )
        mute = safety.do_sanction(
            priya,
            grumpy,
            "mute",
            reason="Unkind replies in Men's Shed Online, after a reminder of the group's agreement.",
            message="We've paused your posting for two days. Everyone has hard weeks; if something is going on, a "
            "peer worker is here to talk. You can still read, and you can appeal if you think we got this wrong.",
            days=2,
            now=now - timedelta(days=4, hours=2),
        )
        appeal = safety.do_appeal(
            mute,
            "I was having a really rough week and took it out on people here. I've said sorry in the group. Could the "
            "mute end early, please?",
            now=now - timedelta(days=3, hours=20),
        )
        safety.do_decide_appeal(
            jo,
            appeal.pk,
            overturn=True,
            response="Thank you for saying sorry to the group, and for telling us about your week. We've lifted the "
            "mute. If things get heavy again, a peer worker is here to talk.",
            now=now - timedelta(days=3, hours=9),
        )
    _write(
        shed,
        grumpy,
        "Sorry for my reply the other day, lads. Bad week, not your fault.",
        now - timedelta(days=3, hours=8),
    )

    # Yesterday: Robin reported an unkind reply to a newcomer; it was hidden, the writer had a gentle warning, and
    # Robin was told.
    gamers = groups["Co-op Gamers"]
    newcomer, unkind = pick(gamers, 2)
    asked = _write(
        gamers,
        newcomer,
        "New here! Looking for a relaxed co-op game for two. Suggestions welcome.",
        now - timedelta(days=1, hours=6),
    )
    mean = _reply(asked, unkind, "Nobody asked for your stupid opinions, newbie.", now - timedelta(days=1, hours=5))
    _reply(asked, sam, "Welcome! Try a cosy cooking game: nobody minds burnt soup.", now - timedelta(days=1, hours=4))
    safety.do_report(
        robin,
        content_key="community.comment",
        object_id=mean.pk,
        reason="This was unkind to someone who is new here.",
        now=now - timedelta(days=1, hours=4),
    )
    item = ModerationItem.objects.filter(content_key="community.comment", object_id=mean.pk).first()
    if item is not None:
        safety.do_moderate(priya, item.pk, "hide", "Unkind to a newcomer.", now=now - timedelta(hours=20))
        safety.do_sanction(
            priya,
            unkind,
            "warn",
            reason="An unkind reply to a new member in Co-op Gamers.",
            message="We've hidden your reply. We'd like everyone to feel welcome here, new people most of all. "
            "Thanks for keeping it kind from now on.",
            now=now - timedelta(hours=20),
        )

    # A local choir reported as an advert: a volunteer looked, left it up and said why.
    makers = groups["Tuesday Makers"]
    singer, worrier = pick(makers, 2)
    choir = _write(
        makers,
        singer,
        "Our community choir is free and meets Thursdays at the library. Everyone welcome, no singing experience "
        "needed.",
        now - timedelta(days=3),
    )
    safety.do_report(
        worrier,
        content_key="community.post",
        object_id=choir.pk,
        reason="Looks like an advert.",
        now=now - timedelta(days=2, hours=22),
    )
    item = ModerationItem.objects.filter(content_key="community.post", object_id=choir.pk).first()
    if item is not None:
        safety.do_moderate(
            sam,
            item.pk,
            "dismiss",
            "It's a free community choir, not an advert. Sharing local things is welcome here.",
            now=now - timedelta(days=2, hours=18),
        )

    # Still waiting: a member who was asked to stop messaging someone and didn't.
    carers = groups["Carers' Corner"]
    asked_to_stop, persistent = pick(carers, 2)
    safety.do_report(
        asked_to_stop,
        member=persistent,
        reason="Keeps sending me messages after I said I'd rather not chat.",
        now=now - timedelta(hours=3),
    )

    # A peer worker stepped away from the queue after the heavy night; one member hid a group they'd rather not see.
    staff = [p for p in people[5:] if p.pk not in demo and Role.PEER_WORKER in p.roles]
    if staff:
        safety.do_step_away(staff[-1])
    do_hide_group(pick(makers)[0], shed)

    # Robin's own post has new replies waiting (and a notice for each).
    cushion = Post.objects.create(
        group=makers,
        author=robin,
        body="Finished the patchwork cushion from my dad's old shirts. It's wonky and I love it.",
        created_at=now - timedelta(hours=5),
    )
    for person, body in zip(
        pick(makers, 2),
        (
            "Wonky is the best kind. What a lovely way to keep them close.",
            "That's brilliant, well done. Would love to see a photo.",
        ),
        strict=True,
    ):
        do_comment(person, cushion, body)


DEMO_SEEDERS.append(seed_community)
DEMO_SEEDERS.append(seed_moderation)
DEMO_SCALE_SEEDERS.append(seed_scale)
