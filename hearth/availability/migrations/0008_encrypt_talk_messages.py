"""Talk-now messages and call-back numbers are encrypted at rest (issue 15)."""

import hearth.core.crypto
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("availability", "0007_handover_notes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="talkrequest",
            name="message",
            field=hearth.core.crypto.EncryptedTextField(blank=True, max_length=2000),
        ),
        migrations.AlterField(
            model_name="talkrequest",
            name="phone_for_callback",
            field=hearth.core.crypto.EncryptedTextField(blank=True, max_length=30),
        ),
        hearth.core.crypto.encrypt_existing_rows("availability_talkrequest", "message", "phone_for_callback"),
    ]
