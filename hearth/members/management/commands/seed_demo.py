"""``hearth seed_demo``: a realistic small peer-support service to explore and test with.

Deterministic: the same seed always gives the same people, so tests and docs
can name them. Every app adds its own demo data through core's ``DEMO_SEEDERS``
(``hearth/core/demo.py``: each a function taking the ``random.Random`` and the members).
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from hearth.core.demo import DEMO_SCALE_SEEDERS, DEMO_SEEDERS
from hearth.members import consent
from hearth.members.models import AgeBand, Consent, Invitation, Member, Role, RoleGrant

DEMO_PASSWORD = "hearth-demo-2026"  # noqa: S105  (published demo accounts, never a real deployment)

# Sign-in accounts printed by `make run`, one per role.
DEMO_ACCOUNTS = [
    ("member@example.org", "Robin", [], "Member"),
    ("volunteer@example.org", "Sam", [Role.VOLUNTEER], "Volunteer"),
    ("peerworker@example.org", "Priya", [Role.PEER_WORKER], "Peer worker"),
    ("counsellor@example.org", "Dr Okafor", [Role.COUNSELLOR], "Counsellor"),
    ("coordinator@example.org", "Jo", [Role.COORDINATOR], "Coordinator"),
]

_FIRST = [
    "Alex",
    "Bea",
    "Cal",
    "Dee",
    "Eli",
    "Fran",
    "Gus",
    "Hana",
    "Ivo",
    "Jas",
    "Kit",
    "Lou",
    "Mo",
    "Nell",
    "Oz",
    "Pip",
    "Quin",
    "Ray",
    "Sol",
    "Tam",
    "Uma",
    "Vic",
    "Wren",
    "Xan",
    "Yas",
    "Zed",
    "Ade",
    "Bo",
    "Cass",
    "Dev",
    "Em",
    "Finn",
    "Gail",
    "Hal",
    "Isla",
    "Jude",
    "Kai",
    "Lena",
    "Max",
    "Nia",
]
_NATURE = [
    "Heron",
    "Moss",
    "Willow",
    "Fern",
    "Pebble",
    "Otter",
    "Wren",
    "Birch",
    "Robin",
    "Cedar",
    "Tide",
    "Sparrow",
    "Rowan",
    "Bramble",
    "Clover",
    "Hazel",
    "Linnet",
    "Maple",
    "Thistle",
    "Kestrel",
]
_PRONOUNS = ["she/her", "he/him", "they/them", "she/they", "he/they", ""]
_GENDERS = ["woman", "man", "non-binary", "", "", "trans man", "trans woman"]


def parse_scale(value: str) -> tuple[int, int]:
    """``"5000:200000"`` -> ``(5000, 200000)``: members and posts for a benchmark organisation."""
    try:
        members, posts = (int(part) for part in value.split(":"))
    except ValueError:
        raise CommandError("--scale takes MEMBERS:POSTS, e.g. --scale 5000:200000") from None
    if members < len(DEMO_ACCOUNTS) or posts < 0:
        raise CommandError(f"--scale needs at least {len(DEMO_ACCOUNTS)} members and 0 or more posts.")
    return members, posts


class Command(BaseCommand):
    help = "Load the demo organisation (about 60 people with varied roles and preferences)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--members", type=int, default=60)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if anyone has an account already.")
        parser.add_argument(
            "--scale",
            metavar="MEMBERS:POSTS",
            help="Also load a benchmark-sized organisation, e.g. 5000:200000 (overrides --members).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from hearth.core.screening import not_member_words

        with not_member_words("the demo's invented people and what they say"):
            self._seed(*args, **options)

    def _seed(
        self, *args: Any, seed: int, members: int, if_empty: bool, scale: str | None = None, **options: Any
    ) -> None:
        if if_empty and Member.objects.exists():
            self.stdout.write("Demo data: the database already has people in it; leaving it as it is.")
            return
        posts = 0
        if scale:
            members, posts = parse_scale(scale)
        rng = random.Random(seed)
        with transaction.atomic():
            people = seed_members(rng, members)
            for seeder in DEMO_SEEDERS:
                seeder(rng, people)
        if scale:
            for scale_seeder in DEMO_SCALE_SEEDERS:
                scale_seeder(rng, people, posts)
        self.stdout.write(
            f"Demo organisation loaded: {len(people)} people." + (f" Scaled to {posts} posts." if scale else "")
        )


def seed_members(rng: random.Random, count: int) -> list[Member]:
    # One hash for every demo account: hashing 60 passwords with Argon2 would
    # take seconds for no benefit (these accounts are for exploring only).
    password_hash = make_password(DEMO_PASSWORD)
    now = timezone.now()
    people: list[Member] = []
    names: set[str] = set()
    for email, name, _roles, _ in DEMO_ACCOUNTS:
        people.append(_member(email, name, password_hash, now - timedelta(days=400), rng))
        names.add(name.lower())
    role_plan = [Role.COORDINATOR] + [Role.PEER_WORKER] * 3 + [Role.COUNSELLOR] + [Role.VOLUNTEER] * 7
    while len(people) < count:
        name = (
            f"{rng.choice(_FIRST)} {rng.choice(_NATURE)}"
            if rng.random() < 0.6
            # Benchmark-sized organisations need more names than the small demo's pool.
            else rng.choice(_NATURE) + str(rng.randint(1, 99 if count <= 500 else 999_999))
        )
        if name.lower() in names:
            continue
        names.add(name.lower())
        slug = name.lower().replace(" ", ".")
        joined = now - timedelta(days=rng.randint(1, 900))
        people.append(_member(f"{slug}@example.org", name, password_hash, joined, rng))
    Member.objects.bulk_create(people)
    people = list(Member.objects.order_by("pk"))
    by_email = {p.email: p for p in people}
    grants = []
    for email, _, roles, _ in DEMO_ACCOUNTS:
        grants += [RoleGrant(member=by_email[email], role=r, granted_at=now) for r in roles]
    # Members who felt well enough went on to volunteer, then to peer work.
    for person, role in zip(people[len(DEMO_ACCOUNTS) :], role_plan, strict=False):
        grants.append(RoleGrant(member=person, role=role, granted_at=person.date_joined + timedelta(days=60)))
        if role in (Role.PEER_WORKER, Role.COORDINATOR):
            grants.append(
                RoleGrant(member=person, role=Role.VOLUNTEER, granted_at=person.date_joined + timedelta(days=30))
            )
    RoleGrant.objects.bulk_create(grants)
    # Snowballing: most people were invited by someone who joined before them.
    invitations = []
    ordered = sorted(people, key=lambda p: p.date_joined)
    for i, person in enumerate(ordered[1:], start=1):
        if rng.random() < 0.8:
            inviter = rng.choice(ordered[:i])
            person.invited_by = inviter
            invitations.append(
                Invitation(
                    token=f"demo-{person.pk}-{rng.getrandbits(64):x}",
                    created_by=inviter,
                    created_at=person.date_joined - timedelta(days=2),
                    expires_at=person.date_joined + timedelta(days=12),
                    used_at=person.date_joined,
                    used_by=person,
                )
            )
    Member.objects.bulk_update(ordered, ["invited_by"])
    Invitation.objects.bulk_create(invitations)
    consents = []
    for person in people:
        for kind in (consent.PRONOUNS, consent.AGE_BAND, consent.GENDER):
            if rng.random() < 0.3:
                consents.append(Consent(member=person, kind=kind.key, audience=rng.choice(kind.audiences[1:]).key))
    Consent.objects.bulk_create(consents)
    return people


def _member(email: str, name: str, password_hash: str, joined: Any, rng: random.Random) -> Member:
    return Member(
        email=email,
        display_name=name,
        password=password_hash,
        pronouns=rng.choice(_PRONOUNS),
        age_band=rng.choice(AgeBand.values),
        gender=rng.choice(_GENDERS),
        phone=f"07700 9{rng.randint(0, 99999):05d}" if rng.random() < 0.5 else "",
        text_size="large" if rng.random() < 0.1 else "normal",
        date_joined=joined,
        email_confirmed_at=joined,
    )
