"""Encryption at rest for the few columns that hold what people tell us about their health.

Fernet (AES-128-CBC + HMAC-SHA256, from the ``cryptography`` package) with the
key from ``HEARTH_FIELD_KEY`` (or the file named by ``HEARTH_FIELD_KEY_FILE``).
Several comma-separated keys rotate: the first encrypts, any of them decrypts,
so an operator adds a new key in front, re-saves, then drops the old one.
In development, with no key set, one is derived from ``SECRET_KEY`` so a laptop
needs no configuration; production refuses to start without a key (settings.py).

Losing the key loses the answers: back it up with the database, but not *in* it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

if TYPE_CHECKING:
    _TextField = models.TextField[str, str]
else:
    _TextField = models.TextField


def derive_development_key(secret_key: str) -> str:
    """A stable Fernet key from ``SECRET_KEY``: for development only (never used in production)."""
    digest = hashlib.sha256(("hearth.field-key:" + secret_key).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def _keys(raw_keys: str, secret_key: str) -> list[str]:
    return [k.strip() for k in raw_keys.split(",") if k.strip()] or [derive_development_key(secret_key)]


@cache
def _fernet(raw_keys: str, secret_key: str) -> MultiFernet:
    keys = _keys(raw_keys, secret_key)
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "HEARTH_FIELD_KEY must be a Fernet key (32 url-safe base64-encoded bytes). Make one with: "
            'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        ) from None


def key_fingerprint(key: str) -> str:
    """A short, one-way name for a field key: safe to print, log and keep in a backup's manifest."""
    return hashlib.sha256(("hearth.field-key.fingerprint:" + key.strip()).encode()).hexdigest()[:16]


def key_fingerprints() -> list[str]:
    """Fingerprints of the configured field keys, the one that encrypts first (see ``hearth backup``)."""
    return [key_fingerprint(k) for k in _keys(settings.HEARTH_FIELD_KEY, settings.SECRET_KEY)]


def _box() -> MultiFernet:
    return _fernet(settings.HEARTH_FIELD_KEY, settings.SECRET_KEY)


def encrypt_json(value: Any) -> str:
    """``value`` as JSON, encrypted; the token is ASCII text for a ``TextField``."""
    return _box().encrypt(json.dumps(value, ensure_ascii=False).encode()).decode("ascii")


def decrypt_json(token: str) -> Any:
    """The value :func:`encrypt_json` stored. Raises ``ValueError`` if the key is wrong or the text was altered."""
    try:
        return json.loads(_box().decrypt(token.encode("ascii")))
    except InvalidToken:
        raise ValueError("this value can't be decrypted with the configured HEARTH_FIELD_KEY") from None


# --- Encrypted columns --------------------------------------------------------------------------------
#
# Private words (chat and talk-now messages, crisis alert summaries, phone numbers) are stored through
# :class:`EncryptedTextField`: code reads and writes ``str``; the column holds a Fernet token. Tokens are
# never equal for equal text, so such a column can't be filtered, ordered or made unique by its text.

TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - every Fernet token starts so (version byte 0x80, then the timestamp's high bytes)


def encrypt_text(text: str) -> str:
    """``text`` encrypted with the first field key, as ASCII; "" stays "" (nothing to hide, and cheap to test)."""
    return _box().encrypt(text.encode()).decode("ascii") if text else ""


def decrypt_text(stored: str) -> str:
    """What :func:`encrypt_text` stored. Text written before its column was encrypted is returned as it is."""
    if not stored or not stored.startswith(TOKEN_PREFIX):
        return stored
    try:
        return _box().decrypt(stored.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError):
        if len(stored) < 80:  # too short for a token: a value from before encryption that happens to start so
            return stored
        raise ValueError("this value can't be decrypted with the configured HEARTH_FIELD_KEY") from None


class EncryptedTextField(_TextField):
    """Text encrypted at rest (see above). ``max_length`` limits the form field, not the column.

    A short one (``max_length`` up to 200) gets a one-line input in forms, like a ``CharField``.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return decrypt_text(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt_text(value) if isinstance(value, str) and value else value

    def formfield(self, **kwargs: Any) -> Any:
        if self.max_length is not None and self.max_length <= 200 and "widget" not in kwargs:
            from django import forms

            kwargs["widget"] = forms.TextInput
        return super().formfield(**kwargs)


def encrypted_columns() -> list[tuple[Any, str, bool]]:
    """``(model, column, is_text_field)`` for every column that holds tokens.

    :class:`EncryptedTextField` s, and the older ``*_encrypted`` columns (JSON sealed by :func:`encrypt_json`).
    """
    from django.apps import apps

    out = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, EncryptedTextField) or f.name.endswith("_encrypted"):
                out.append((model, str(f.column), isinstance(f, EncryptedTextField)))
    return out


def reencrypt_column(table: str, column: str, *, pk: str = "id", seal_clear: bool = True, batch: int = 500) -> int:
    """Re-encrypt old-key tokens with the first key (and seal clear text if ``seal_clear``); returns rows changed.

    Raw SQL on purpose: the model field would decrypt on read and encrypt again on write.
    """
    from django.db import connection, transaction

    box = _box()
    first = box._fernets[0]
    qn = connection.ops.quote_name
    changed, last = 0, 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {qn(pk)}, {qn(column)} FROM {qn(table)} WHERE {qn(pk)} > %s AND {qn(column)} <> '' "  # noqa: S608 - names from the models, quoted
                f"ORDER BY {qn(pk)} LIMIT %s",
                [last, batch],
            )
            rows = cursor.fetchall()
        if not rows:
            return changed
        updates = []
        for row_id, stored in rows:
            last = row_id
            if not stored.startswith(TOKEN_PREFIX):
                if seal_clear:
                    updates.append((encrypt_text(stored), row_id))  # written before the column was encrypted
                continue
            try:
                first.decrypt(stored.encode("ascii"))
            except InvalidToken:
                updates.append((box.rotate(stored.encode("ascii")).decode("ascii"), row_id))
        if updates:
            with transaction.atomic(), connection.cursor() as cursor:
                sql = f"UPDATE {qn(table)} SET {qn(column)} = %s WHERE {qn(pk)} = %s"  # noqa: S608 - as above
                cursor.executemany(sql, updates)
            changed += len(updates)


def reencrypt_all() -> int:
    """Every encrypted column under the first key (after an operator puts a new key in front)."""
    return sum(
        reencrypt_column(model._meta.db_table, column, pk=model._meta.pk.column, seal_clear=is_text)
        for model, column, is_text in encrypted_columns()
    )


def encrypt_existing_rows(table: str, *columns: str) -> Any:
    """A migration operation that seals text written before these columns were encrypted."""
    from django.db import migrations

    def forward(apps: Any, schema_editor: Any) -> None:
        for column in columns:
            reencrypt_column(table, column)

    return migrations.RunPython(forward, migrations.RunPython.noop)
