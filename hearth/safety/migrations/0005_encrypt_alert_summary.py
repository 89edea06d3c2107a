"""Crisis alert summaries (which can quote the member) are encrypted at rest (issue 15)."""

import hearth.core.crypto
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("safety", "0004_triage_labels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="crisisalert",
            name="summary",
            field=hearth.core.crypto.EncryptedTextField(
                help_text="For staff: why this alert was raised (it may quote a few of their words).", max_length=300
            ),
        ),
        hearth.core.crypto.encrypt_existing_rows("safety_crisisalert", "summary"),
    ]
