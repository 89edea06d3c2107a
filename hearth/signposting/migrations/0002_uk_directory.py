"""Load the starting resources directory (UK defaults in hearth/signposting/defaults.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from hearth.signposting.defaults import UK_DIRECTORY

    Resource = apps.get_model("signposting", "Resource")
    if not Resource.objects.exists():
        Resource.objects.bulk_create([Resource(**row) for row in UK_DIRECTORY])


class Migration(migrations.Migration):
    dependencies = [("signposting", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
