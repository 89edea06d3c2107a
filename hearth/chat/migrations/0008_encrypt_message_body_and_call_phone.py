"""Chat messages and the numbers given for calls are encrypted at rest (issue 15): seal what is already written."""

import hearth.core.crypto
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('chat', '0007_calls'),
    ]

    operations = [
        migrations.AlterField(
            model_name='call',
            name='phone',
            field=hearth.core.crypto.EncryptedTextField(blank=True, max_length=30),
        ),
        migrations.AlterField(
            model_name='message',
            name='body',
            field=hearth.core.crypto.EncryptedTextField(blank=True, max_length=4000),
        ),
        hearth.core.crypto.encrypt_existing_rows("chat_message", "body"),
        hearth.core.crypto.encrypt_existing_rows("chat_call", "phone"),
    ]
