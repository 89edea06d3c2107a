"""``hearth bench_feed``: server time of the feed and a group page on the current database.

Run it on a database seeded with ``hearth seed_demo --scale 5000:200000``. It
signs in as the demo member (member@example.org) in-process, so the figure is
Django's time to answer (queries, templates), without network or browser.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from hearth.community.access import my_groups
from hearth.community.models import Post
from hearth.core.bench import PageBench
from hearth.members.models import Member


class Command(PageBench):
    help = "Measure the feed and group page server time (median and 95th percentile, in ms)."
    default_email = "member@example.org"
    default_repeat = 30

    def pages(self, member: Any) -> tuple[dict[str, str], dict[str, Any], str]:
        membership = my_groups(member).first()
        if membership is None:
            raise CommandError(f"{member.email} is in no groups, so there is no feed to measure.")
        targets = {
            "feed page 1": "/feed/",
            "feed page 10": "/feed/?page=10",
            "group page 1": f"/groups/{membership.group_id}/",
        }
        facts = {
            "members": Member.objects.count(),
            "posts": Post.objects.count(),
            "posts_in_feed": Post.objects.filter(group__memberships__member=member).count(),
        }
        headline = f"{facts['members']} members, {facts['posts']} posts ({facts['posts_in_feed']} in the feed)"
        return targets, facts, headline
