"""``hearth bench_feed``: server time of the feed and a group page on the current database.

Run it on a database seeded with ``hearth seed_demo --scale 5000:200000``. It
signs in as the demo member (member@example.org) in-process, so the figure is
Django's time to answer (queries, templates), without network or browser.
"""

from __future__ import annotations

import json as jsonlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from hearth.community.access import my_groups
from hearth.community.models import Post
from hearth.core.bench import report_lines, time_pages
from hearth.members.models import Member


class Command(BaseCommand):
    help = "Measure the feed and group page server time (median and 95th percentile, in ms)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", default="member@example.org", help="Whose feed to load.")
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--json", action="store_true", help="Print one JSON object instead of lines.")

    def handle(self, *args: Any, email: str, repeat: int, json: bool, **options: Any) -> None:
        member = Member.objects.filter(email=email).first()
        if member is None:
            raise CommandError(f"No account {email}. Load data first: hearth seed_demo --scale 5000:200000")
        membership = my_groups(member).first()
        if membership is None:
            raise CommandError(f"{email} is in no groups, so there is no feed to measure.")
        client = Client()
        client.force_login(member)
        targets = {
            "feed page 1": "/feed/",
            "feed page 10": "/feed/?page=10",
            "group page 1": f"/groups/{membership.group_id}/",
        }
        results: dict[str, Any] = {
            "members": Member.objects.count(),
            "posts": Post.objects.count(),
            "posts_in_feed": Post.objects.filter(group__memberships__member=member).count(),
            "database": connection.vendor,
        }
        results.update(time_pages(client, targets, repeat))
        if json:
            self.stdout.write(_dumps(results))
            return
        self.stdout.write(
            f"{results['members']} members, {results['posts']} posts ({results['posts_in_feed']} in the feed), "
            f"{results['database']}"
        )
        for line in report_lines(results, targets):
            self.stdout.write(line)


def _dumps(value: Any) -> str:
    return jsonlib.dumps(value)
