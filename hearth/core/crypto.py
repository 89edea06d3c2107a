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
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


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
