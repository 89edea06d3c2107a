"""Group mood: the share of heavy posts and of supportive replies, over recent days.

Computed from triage records (which every post and comment has), so it needs no
reading of the posts themselves. A group "drifts" when several heavy posts
arrive in a short time with few supportive replies: emotional contagion and
co-rumination are the risks, and a host or peer worker stepping in is the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from hearth.safety.models import TriageRecord

SUPPORTIVE = re.compile(
    r"\b(?:sending (?:love|hugs|strength)|here (?:for|with) you|you'?re not alone|thinking of you|proud of you|"
    r"hugs?|big hug|be gentle with yourself|take care|that sounds (?:really )?(?:hard|tough|rough)|i hear you|"
    r"same here|me too|you'?ve got this|well done|glad you (?:posted|shared|reached out)|thank you for sharing|"
    r"sorry you'?re|lots of love|❤|🤗|💙|💜)\b",
    re.I,
)


def is_supportive(text: str) -> bool:
    return bool(SUPPORTIVE.search(text or ""))


@dataclass(frozen=True)
class Mood:
    group_id: int
    posts: int
    heavy_posts: int
    replies: int
    supportive_replies: int

    @property
    def heavy_share(self) -> float:
        return self.heavy_posts / self.posts if self.posts else 0.0

    @property
    def supportive_share(self) -> float:
        return self.supportive_replies / self.replies if self.replies else 0.0

    @property
    def drifting(self) -> bool:
        """A run of distress with few supportive replies (thresholds in settings)."""
        return (
            self.heavy_posts >= settings.HEARTH_MOOD_HEAVY_POSTS
            and self.supportive_replies < self.heavy_posts * settings.HEARTH_MOOD_SUPPORT_RATIO
        )


def group_mood(group_id: int, *, days: int = 3, now: datetime | None = None) -> Mood:
    now = now or timezone.now()
    rows = TriageRecord.objects.filter(group_id=group_id, created_at__gte=now - timedelta(days=days)).values_list(
        "content_key", "heavy", "supportive"
    )
    posts = heavy = replies = supportive = 0
    for key, is_heavy, is_supportive in rows:
        if key.endswith(".post"):
            posts += 1
            heavy += is_heavy
        else:
            replies += 1
            supportive += is_supportive
    return Mood(group_id, posts, heavy, replies, supportive)
