"""Handover notes between shifts: anyone on the rota leaves one, encrypted; only staff read them, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from time_machine import TimeMachineFixture

from hearth.availability import actions
from hearth.availability.models import HandoverNote
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.members.models import Member, Role
from hearth.testing import ClientFor, MakeMember, visible_text

NOTE = "Robin asked for a call back tomorrow afternoon; the Wednesday group felt tense tonight."


@pytest.fixture
def left_by_volunteer(volunteer: Member, clock: TimeMachineFixture) -> HandoverNote:
    """A volunteer hands over at the end of their evening shift."""
    return actions.do_write_handover(volunteer, NOTE)


def test_the_note_is_encrypted_at_rest(left_by_volunteer: HandoverNote) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT note_encrypted FROM availability_handovernote")
        [(stored,)] = cursor.fetchall()
    assert "call back" not in stored and HandoverNote.objects.get().note() == NOTE


def test_a_volunteer_leaves_a_note_from_the_duty_desk(
    client_for: ClientFor, volunteer: Member, clock: TimeMachineFixture
) -> None:
    client = client_for(volunteer)
    assert reverse("availability:handover") in client.get(reverse("availability:duty")).content.decode()
    response = client.post(reverse("availability:handover"), {"note": NOTE}, follow=True)
    assert "Your note is there for the next people on" in visible_text(response)
    assert HandoverNote.objects.get().author == volunteer


def test_the_next_peer_worker_reads_it_and_the_look_is_audited(
    client_for: ClientFor, peer_worker: Member, left_by_volunteer: HandoverNote
) -> None:
    desk = visible_text(client_for(peer_worker).get(reverse("availability:duty")))
    assert "1 new since your last shift" in desk
    page = visible_text(client_for(peer_worker).get(reverse("availability:handover")))
    assert NOTE in page and "Sam" in page
    assert AuditEntry.objects.filter(action="availability.handover.read", actor=peer_worker).count() == 1


def test_volunteers_never_read_handover_notes_even_their_own(
    client_for: ClientFor,
    volunteer: Member,
    make_member: MakeMember,
    left_by_volunteer: HandoverNote,
) -> None:
    other = make_member("Ola", Role.VOLUNTEER)
    for person in (volunteer, other):
        page = visible_text(client_for(person).get(reverse("availability:handover")))
        assert "tomorrow afternoon" not in page and "Staff read these" in page
    assert not AuditEntry.objects.filter(action="availability.handover.read").exists()


def test_members_have_no_handover_page(
    client_for: ClientFor, member: Member, outsider: Member, left_by_volunteer: HandoverNote
) -> None:
    assert client_for(member).get(reverse("availability:handover")).status_code == 403
    assert client_for(member).post(reverse("availability:handover"), {"note": "hello there"}).status_code == 403
    assert client_for(None).get(reverse("availability:handover")).status_code == 302
    with pytest.raises(PermissionDenied):
        actions.handover_notes(member)


def test_empty_or_overlong_notes_are_a_clear_error(
    client_for: ClientFor, volunteer: Member, clock: TimeMachineFixture
) -> None:
    client = client_for(volunteer)
    assert "This field is required" in visible_text(client.post(reverse("availability:handover"), {"note": "  "}))
    long = visible_text(client.post(reverse("availability:handover"), {"note": "x" * 2001}))
    assert "at most 2000 characters" in long
    with pytest.raises(ActionError, match="a line is plenty"):
        actions.do_write_handover(volunteer, "ok")
    assert not HandoverNote.objects.exists()


def test_the_desk_counts_only_notes_since_my_last_shift(
    peer_worker: Member, volunteer: Member, clock: TimeMachineFixture
) -> None:
    actions.do_write_handover(volunteer, "Before Priya's shift ended.")
    actions.do_check_in(peer_worker)
    clock.shift(timedelta(hours=1))
    actions.do_check_out(peer_worker)
    clock.shift(timedelta(minutes=5))
    actions.do_write_handover(volunteer, NOTE)
    actions.do_write_handover(peer_worker, "My own note does not count for me.")
    assert actions.handover_count_since_last_shift(peer_worker) == 1
    assert actions.handover_count_since_last_shift(volunteer) == 0  # volunteers don't read them


def test_notes_older_than_two_days_leave_the_page(
    client_for: ClientFor,
    coordinator: Member,
    left_by_volunteer: HandoverNote,
    clock: TimeMachineFixture,
) -> None:
    clock.shift(timedelta(days=2, minutes=1))
    assert actions.handover_notes(coordinator) == []
    assert "Nobody has left a note" in visible_text(client_for(coordinator).get(reverse("availability:handover")))


def test_a_note_outlives_its_author_without_their_name(
    client_for: ClientFor,
    coordinator: Member,
    volunteer: Member,
    left_by_volunteer: HandoverNote,
) -> None:
    volunteer.delete()
    [(note, words)] = actions.handover_notes(coordinator, now=timezone.now())
    assert words == NOTE and note.author is None
    assert "A former supporter" in visible_text(client_for(coordinator).get(reverse("availability:handover")))
