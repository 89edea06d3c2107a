"""Sessions: Django's database store, remembering the expiry it read with the session (``SESSION_ENGINE``).

A websocket needs the session's data (who is signed in) and its expiry (when to apply the sign-in rules again,
:mod:`hearth.core.consumers`). Django's store reads both in one row and keeps only the data; this one keeps
the expiry too, so a socket's handshake reads the session once instead of twice. Same table, same encoding
(the class keeps Django's name, which the encoding's salt is made from): sessions written before still work.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    expiry_read: datetime | None = None  # the row's expire_date, as last loaded or saved (None: not yet)

    def _get_session_from_db(self) -> Any:
        row = super()._get_session_from_db()  # type: ignore[misc]  # not in django-stubs
        self.expiry_read = row.expire_date if row is not None else None
        return row

    async def _aget_session_from_db(self) -> Any:
        row = await super()._aget_session_from_db()  # type: ignore[misc]  # not in django-stubs
        self.expiry_read = row.expire_date if row is not None else None
        return row

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        row = super().create_model_instance(data)
        self.expiry_read = row.expire_date
        return row

    async def acreate_model_instance(self, data: dict[str, Any]) -> Any:
        row = await super().acreate_model_instance(data)
        self.expiry_read = row.expire_date
        return row
