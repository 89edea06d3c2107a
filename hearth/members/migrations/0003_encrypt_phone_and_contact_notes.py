"""Phone numbers and contact notes are encrypted at rest (issue 15)."""

import hearth.core.crypto
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_display_name_message"),
    ]

    operations = [
        migrations.AlterField(
            model_name="member",
            name="contact_notes",
            field=hearth.core.crypto.EncryptedTextField(
                blank=True, max_length=200, verbose_name="best way or time to reach you"
            ),
        ),
        migrations.AlterField(
            model_name="member",
            name="phone",
            field=hearth.core.crypto.EncryptedTextField(blank=True, max_length=30, verbose_name="phone number"),
        ),
        hearth.core.crypto.encrypt_existing_rows("members_member", "phone", "contact_notes"),
    ]
