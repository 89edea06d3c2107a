"""Presence by heartbeat (issue 15): each visit's ``seen_at``; visits already open count as last seen when they
began (or ended), so ghosts from before this release are closed by the worker's first sweep."""

import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import Coalesce


def seen_when_last_known(apps, schema_editor):
    RoomVisit = apps.get_model("chat", "RoomVisit")
    RoomVisit.objects.update(seen_at=Coalesce("left_at", "entered_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0011_find_a_time"),
    ]

    operations = [
        migrations.AddField(
            model_name="roomvisit",
            name="seen_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunPython(seen_when_last_known, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="roomvisit",
            index=models.Index(
                condition=models.Q(("left_at__isnull", True)), fields=["seen_at"], name="chat_visit_open_seen"
            ),
        ),
    ]
