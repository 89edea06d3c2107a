"""The notifications centre: each person told about what concerns them, the way they chose.

The cast: Robin (a member, the one being told), Sam (a volunteer whose reply
is the news), Jo (a coordinator, for the review kinds a member never sees).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hearth.community.models import CommunityProfile, Energy
from hearth.core import notifications
from hearth.core.actions import do_save_notification_choices
from hearth.core.errors import ActionError
from hearth.core.events import member_group
from hearth.core.models import Delivery, Notification, NotificationChoice, NotificationSettings
from hearth.members.data_rights import erase_member
from hearth.members.models import Member
from hearth.testing import ClientFor, Events, run_deliveries, visible_text


def _local(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in the organisation's zone, ``day_offset`` days from today (travel first)."""
    today = timezone.localdate()
    return timezone.make_aware(datetime.combine(today + timedelta(days=day_offset), time(hour, minute)))


@pytest.fixture
def tuesday_morning() -> Iterator[time_machine.Traveller]:
    """A fixed Tuesday, 10:00 in London, a little ahead of whenever the suite runs."""
    start = timezone.localdate() + timedelta(days=30)
    start += timedelta(days=(1 - start.weekday()) % 7)
    with time_machine.travel(timezone.make_aware(datetime.combine(start, time(10, 0))), tick=False) as traveller:
        yield traveller


def _reply(member: Member, volunteer: Member) -> list[Notification]:
    return notifications.notify(
        [member], "community.reply", "Sam replied to your post in Tuesday Makers", "/posts/1/", actor=volunteer
    )


def test_a_reply_is_a_notification_in_the_app_with_a_live_notice(
    member: Member, volunteer: Member, events: Events, tuesday_morning: time_machine.Traveller
) -> None:
    with events() as sent:
        made = _reply(member, volunteer)
    assert [n.text for n in made] == ["Sam replied to your post in Tuesday Makers"]
    assert sent.events_for(member_group(member.pk)) == [
        {"kind": "notification.new", "text": "Sam replied to your post in Tuesday Makers", "url": "/posts/1/"}
    ]
    assert not sent.events_for(member_group(volunteer.pk))  # nobody is told about what they did


def test_non_urgent_news_waits_for_the_daily_email_and_goes_once(
    member: Member, volunteer: Member, tuesday_morning: time_machine.Traveller
) -> None:
    _reply(member, volunteer)
    notifications.notify([member], "community.announcement", "New announcement in Tuesday Makers", "/posts/2/")
    run_deliveries()
    assert mail.outbox == []  # nothing by email at once
    assert notifications.send_digests(_local(0, 17, 59)) == 0
    tuesday_morning.move_to(_local(0, 18, 1))
    assert notifications.send_digests() == 1
    assert notifications.send_digests() == 0  # claimed once
    run_deliveries()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Sam replied to your post in Tuesday Makers" in body and "New announcement in Tuesday Makers" in body
    assert "/me/notifications/choices/" in body


def test_the_daily_email_comes_at_the_time_the_person_chose(
    member: Member, volunteer: Member, tuesday_morning: time_machine.Traveller
) -> None:
    do_save_notification_choices(member, {}, quiet_from=None, quiet_until=None, digest_at=time(8, 30))
    _reply(member, volunteer)
    assert notifications.send_digests(_local(0, 18, 5)) == 0
    assert notifications.send_digests(_local(1, 8, 31)) == 1


def test_urgent_news_is_emailed_at_once(member: Member, tuesday_morning: time_machine.Traveller) -> None:
    notifications.notify([member], "chat.reminder", "Reminder: Games starts at 19:00.", "/chat/gatherings/1/")
    run_deliveries()
    assert [m.subject for m in mail.outbox] == ["Reminder: Games starts at 19:00."]


def test_quiet_hours_hold_email_until_they_end(member: Member, tuesday_morning: time_machine.Traveller) -> None:
    do_save_notification_choices(member, {}, quiet_from=time(9, 0), quiet_until=time(12, 0), digest_at=time(18, 0))
    notifications.notify([member], "chat.reminder", "Reminder: Games starts at 19:00.", "/chat/gatherings/1/")
    delivery = Delivery.objects.get(channel="email")
    assert delivery.due_at == _local(0, 12, 0)
    run_deliveries()
    assert mail.outbox == []
    tuesday_morning.move_to(_local(0, 12, 1))
    run_deliveries()
    assert len(mail.outbox) == 1


def test_quiet_hours_across_midnight() -> None:
    row = NotificationSettings(quiet_from=time(22, 0), quiet_until=time(7, 0), digest_at=time(21, 30))
    with time_machine.travel(_local(5, 23, 30), tick=False):
        assert notifications.quiet_until(row, timezone.now()) == _local(1, 7, 0)
        assert notifications.quiet_until(row, _local(1, 6, 0)) == _local(1, 7, 0)
        assert notifications.quiet_until(row, _local(1, 7, 0)) is None
        assert notifications.quiet_until(row, _local(0, 21, 59)) is None
    outside = NotificationSettings(quiet_from=time(20, 0), quiet_until=time(23, 0), digest_at=time(21, 0))
    with time_machine.travel(_local(5, 10, 0), tick=False):
        # A digest due in quiet hours moves to their end.
        assert notifications.next_digest(outside, timezone.now()) == _local(0, 23, 0)


def test_what_the_person_turned_off_stays_off(
    member: Member, volunteer: Member, events: Events, tuesday_morning: time_machine.Traveller
) -> None:
    do_save_notification_choices(
        member,
        {("community.reply", "app"): False, ("community.reply", "email"): False, ("chat.reminder", "email"): False},
        quiet_from=None,
        quiet_until=None,
        digest_at=time(18, 0),
    )
    with events() as sent:
        assert _reply(member, volunteer) == []
    assert not sent.sent
    notifications.notify([member], "chat.reminder", "Reminder: Games starts at 19:00.", "/chat/gatherings/1/")
    assert not Delivery.objects.filter(channel="email").exists()
    assert Notification.objects.filter(member=member, kind="chat.reminder").exists()  # still in the app


def test_a_decision_about_your_account_is_always_in_the_app(member: Member) -> None:
    with pytest.raises(ActionError):
        do_save_notification_choices(
            member, {("safety.decision", "app"): False}, quiet_from=None, quiet_until=None, digest_at=time(18, 0)
        )


def test_a_break_keeps_notifications_quietly_for_later(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    events: Events,
    tuesday_morning: time_machine.Traveller,
) -> None:
    CommunityProfile.objects.create(member=member, break_until=timezone.now() + timedelta(days=3))
    with events() as sent:
        _reply(member, volunteer)
        notifications.notify([member], "chat.reminder", "Reminder: Games starts at 19:00.", "/chat/gatherings/1/")
    assert not sent.sent  # no live notice
    assert not Delivery.objects.exists()  # no email, no push
    assert Notification.objects.filter(member=member).count() == 2  # kept for when they're back
    page = visible_text(client_for(member).get(reverse("core:notifications")))
    assert "You're taking a break until" in page and "Sam replied" not in page


def test_quiet_mode_keeps_news_calm_but_still_says_what_is_urgent(
    member: Member, volunteer: Member, tuesday_morning: time_machine.Traveller
) -> None:
    CommunityProfile.objects.create(member=member, energy=Energy.LOW)
    low = notifications.quiet([member.pk])
    assert low == {member.pk}
    kind = notifications.kind_for("community.reply")
    assert not kind.urgent  # pushed only outside quiet mode (see test_push for the push itself)
    notifications.notify([member], "chat.reminder", "Reminder: Games starts at 19:00.", "/chat/gatherings/1/")
    run_deliveries()
    assert len(mail.outbox) == 1


def test_the_notifications_page_lists_and_marks_read(
    client_for: ClientFor, member: Member, volunteer: Member, events: Events
) -> None:
    _reply(member, volunteer)
    with events() as sent:
        page = visible_text(client_for(member).get(reverse("core:notifications")))
    assert "Sam replied to your post in Tuesday Makers" in page
    assert "Choose what you're told about, and how" in page
    assert not Notification.objects.filter(member=member, read_at__isnull=True).exists()
    assert sent.recipients_of("notification.read") == {member_group(member.pk)}  # the header's count updates


def test_the_choices_page_shows_each_person_their_own_kinds(
    client_for: ClientFor, member: Member, coordinator: Member
) -> None:
    page = visible_text(client_for(member).get(reverse("core:notification_settings")))
    assert "Replies to your posts" in page and "Check-ins from the team" in page
    assert "New group proposals to review" not in page  # for reviewers only
    assert "A group you host, or the team looks after, is having a hard time" not in page
    staff_page = visible_text(client_for(coordinator).get(reverse("core:notification_settings")))
    assert "New group proposals to review" in staff_page


def test_the_choices_page_saves_and_explains_mistakes(client_for: ClientFor, member: Member) -> None:
    client = client_for(member)
    form = {"digest_at": "07:45", "quiet_from": "22:00", "quiet_until": "", "community.reply:app": "on"}
    response = client.post(reverse("core:notification_settings"), form)
    assert response.status_code == 200
    assert "Give both times for quiet hours, or neither." in visible_text(response)
    form["quiet_until"] = "07:00"
    response = client.post(reverse("core:notification_settings"), form)
    assert response.status_code == 302
    row = NotificationSettings.objects.get(member=member)
    assert (row.quiet_from, row.quiet_until, row.digest_at) == (time(22, 0), time(7, 0), time(7, 45))
    # Everything not ticked is off, except what can't be: only differences from the defaults are stored.
    assert not NotificationChoice.objects.filter(member=member, kind="community.reply", channel="app").exists()
    assert NotificationChoice.objects.get(member=member, kind="community.reply", channel="email").on is False
    assert not NotificationChoice.objects.filter(kind="safety.decision", channel="app").exists()
    bad = client.post(reverse("core:notification_settings"), {"digest_at": "half past never"})
    assert bad.status_code == 200 and "Enter a valid time." in visible_text(bad)


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    for name in ("core:notifications", "core:notification_settings"):
        assert client.get(reverse(name))["Location"].startswith(reverse("members:signin"))


def test_erasing_an_account_removes_the_notifications_that_name_them(member: Member, volunteer: Member) -> None:
    _reply(member, volunteer)
    erase_member(volunteer)
    assert not Notification.objects.filter(member=member).exists()
