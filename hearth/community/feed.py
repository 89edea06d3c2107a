"""Which posts are on page N of a member's feed, fast however big the organisation is.

The obvious query (``group IN (...) ORDER BY created_at DESC LIMIT 21``) makes
SQLite sort every post in those groups — 190,000 rows for a busy member of the
benchmark organisation. Instead we ask each group for its newest
``offset + limit`` posts (one index range each, via the ``group, -created_at,
-id`` index) and merge them in one ``UNION ALL``: the database reads at most
``groups x (offset + limit)`` rows. Above ``MAX_GROUPS`` groups (SQLite caps
compound selects at 500 terms) we fall back to the plain query.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Q

from hearth.community.models import Post

MAX_GROUPS = 200


def feed_post_ids(group_ids: Sequence[int], offset: int, limit: int, viewer_id: int) -> list[int]:
    """Ids of the posts at ``offset`` .. ``offset + limit`` of the merged feed, newest first.

    Hidden posts (held for review, or hidden by a moderator) appear only to their author.
    """
    if not group_ids:
        return []
    if len(group_ids) > MAX_GROUPS:
        return list(
            Post.objects.filter(group_id__in=group_ids)
            .filter(Q(hidden=False) | Q(author_id=viewer_id))
            .order_by("-created_at", "-id")
            .values_list("id", flat=True)[offset : offset + limit]
        )
    table = connection.ops.quote_name(Post._meta.db_table)
    per_group = offset + limit
    parts = []
    params: list[int] = []
    for i, group_id in enumerate(group_ids):
        # Table name and aliases are ours; every value is a parameter.
        parts.append(
            f"SELECT * FROM (SELECT id, created_at FROM {table} WHERE group_id = %s "  # noqa: S608
            "AND (hidden = %s OR author_id = %s) "
            f"ORDER BY created_at DESC, id DESC LIMIT %s) AS g{i}"
        )
        params += [int(group_id), False, int(viewer_id), per_group]
    sql = " UNION ALL ".join(parts) + " ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [row[0] for row in cursor.fetchall()]
