"""Private words are not in the database file: chat and talk-now messages, alert summaries, phone numbers.

The raw test reads the live database's pages (SQLite's serialize) and looks for marker strings
in its bytes; a name (not encrypted) is the control that shows the search would find them.
"""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from pytest_django import Settings

from hearth.availability.models import TalkRequest
from hearth.chat.models import Message, Room, RoomKind
from hearth.core import crypto
from hearth.core.tasks import reencrypt_with_the_newest_key
from hearth.members.models import Member
from hearth.safety.models import CrisisAlert
from hearth.testing import MakeMember

MARK = "Zephyrine"  # a word no demo row holds


def _write_private_words(member: Member) -> dict[str, Message | TalkRequest | CrisisAlert]:
    member.phone, member.contact_notes = "07700 900555", f"Evenings, ask for {MARK} contact"
    member.save()
    room = Room.objects.create(kind=RoomKind.CONVERSATION, title="Robin and Sam")
    message = Message.objects.create(room=room, seq=1, sender=member, client_id="c1", body=f"{MARK} I feel unsafe")
    talk = TalkRequest.objects.create(member=member, message=f"{MARK} talk-now words", phone_for_callback="07700900556")
    alert = CrisisAlert.objects.create(member=member, origin="message", summary=f"Triage: “{MARK} alert words”")
    return {"message": message, "talk": talk, "alert": alert}


def _database_bytes() -> bytes:
    """The test database's file, page by page (SQLite's serialize: what a copy of ``data/`` would hold)."""
    connection.ensure_connection()
    return bytes(connection.connection.serialize())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's file")
def test_private_words_are_not_in_the_database_file(make_member: MakeMember) -> None:
    member = make_member(f"Robin {MARK}name")
    rows = _write_private_words(member)
    raw = _database_bytes()
    assert f"{MARK}name".encode() in raw  # the control: the search finds a name, which isn't encrypted
    assert MARK.encode() not in raw.replace(f"{MARK}name".encode(), b"")
    assert b"900555" not in raw and b"900556" not in raw
    # And everyone who may read them still reads them as written.
    member.refresh_from_db()
    assert (member.phone, member.contact_notes) == ("07700 900555", f"Evenings, ask for {MARK} contact")
    assert Message.objects.get(pk=rows["message"].pk).body == f"{MARK} I feel unsafe"
    talk = TalkRequest.objects.get(pk=rows["talk"].pk)
    assert (talk.message, talk.phone_for_callback) == (f"{MARK} talk-now words", "07700900556")
    assert CrisisAlert.objects.get(pk=rows["alert"].pk).summary == f"Triage: “{MARK} alert words”"


def _stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - constants
        return str(cursor.fetchone()[0])


def test_a_new_key_re_encrypts_everything_in_the_background(make_member: MakeMember, settings: Settings) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.HEARTH_FIELD_KEY = old
    member = make_member("Robin")
    rows = _write_private_words(member)
    before = _stored("chat_message", "body", rows["message"].pk)

    settings.HEARTH_FIELD_KEY = f"{new},{old}"  # the operator puts the new key in front
    assert reencrypt_with_the_newest_key.call() > 0
    assert reencrypt_with_the_newest_key.call() == 0  # once per key

    settings.HEARTH_FIELD_KEY = new  # ... and can drop the old one: everything still reads
    assert _stored("chat_message", "body", rows["message"].pk) != before
    assert Message.objects.get(pk=rows["message"].pk).body == f"{MARK} I feel unsafe"
    assert Member.objects.get(pk=member.pk).phone == "07700 900555"
    assert CrisisAlert.objects.get(pk=rows["alert"].pk).summary.startswith("Triage")


def test_words_written_before_encryption_are_sealed_and_still_read(member: Member) -> None:
    with connection.cursor() as cursor:  # as a row from before the migration
        cursor.execute("UPDATE members_member SET phone = %s WHERE id = %s", ["07700 900777", member.pk])
    assert Member.objects.get(pk=member.pk).phone == "07700 900777"
    crypto.reencrypt_all()
    assert _stored("members_member", "phone", member.pk).startswith(crypto.TOKEN_PREFIX)
    assert Member.objects.get(pk=member.pk).phone == "07700 900777"
