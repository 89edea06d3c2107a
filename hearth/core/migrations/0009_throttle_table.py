"""The table behind the ``throttle`` cache when there is no Redis (issue 15): throttle counts shared by every
process and kept over a restart."""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", "hearth_throttle", database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name('hearth_throttle')}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_staff_two_factor_by_default"),
    ]

    operations = [migrations.RunPython(create, drop)]
