"""Publish version 1 of the self-assessment (the UK defaults in hearth/intake/defaults.py)."""

from django.db import migrations


def publish(apps, schema_editor):
    from hearth.intake.defaults import DEFAULT_QUESTIONNAIRE
    from hearth.intake.questionnaire import check_definition

    QuestionnaireVersion = apps.get_model("intake", "QuestionnaireVersion")
    if not QuestionnaireVersion.objects.exists():
        QuestionnaireVersion.objects.create(
            number=1, definition=check_definition(DEFAULT_QUESTIONNAIRE), note="The starting questions"
        )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
