"""Finding a time: a host asks the group "when suits?", people say which times they can make (and how long the
journey is for one in person), the host sees the best time first and turns it into the gathering.

Cast (chat's conftest): Tuesday Makers hosted by Sam (``volunteer``), with Robin (``member``) and Priya
(``peer_worker``). ``make_member`` adds Ola, in the group; Kit (``outsider``) is not in it. Jo (``coordinator``)
and Dr Okafor (``counsellor``) are staff outside the group.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.chat import access, actions
from hearth.chat.models import Gathering, GatheringFormat, PollAnswer, TimePoll
from hearth.community.models import Group
from hearth.core.errors import ActionError
from hearth.core.models import Notification
from hearth.members.models import Member
from hearth.testing import ClientFor, visible_text

TUESDAY = datetime(2027, 3, 2, 12, 0, tzinfo=ZoneInfo("Europe/London"))
THURSDAY_6PM = TUESDAY + timedelta(days=2, hours=6)
SATURDAY_11AM = TUESDAY + timedelta(days=4, hours=-1)


@pytest.fixture(autouse=True)
def tuesday(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(TUESDAY, tick=False)


@pytest.fixture
def poll(volunteer: Member, group: Group, ola: Member) -> TimePoll:
    """Sam asks when suits for a craft afternoon at the community centre: Thursday evening or Saturday morning."""
    return actions.do_start_poll(
        volunteer,
        group.pk,
        title="Craft afternoon",
        times=[SATURDAY_11AM, THURSDAY_6PM],
        format=GatheringFormat.IN_PERSON,
        place="Community centre",
        minutes=90,
    )


def _option(poll: TimePoll, when: datetime) -> int:
    return poll.options.get(starts_at=when).pk


def test_everyone_in_the_group_is_asked(poll: TimePoll, member: Member, ola: Member, outsider: Member) -> None:
    asked = Notification.objects.filter(kind="chat.poll")
    assert {n.member for n in asked} >= {member, ola}
    assert not asked.filter(member=outsider).exists()
    assert "Sam asks when suits you for Craft afternoon" in asked.get(member=member).text
    assert [p.title for p in access.open_polls(member)] == ["Craft afternoon"]
    assert not access.open_polls(outsider).exists()


def test_the_best_time_is_the_one_that_suits_most_and_the_longest_journey_shows(
    poll: TimePoll, member: Member, ola: Member, peer_worker: Member
) -> None:
    thursday, saturday = _option(poll, THURSDAY_6PM), _option(poll, SATURDAY_11AM)
    actions.do_answer_poll(member, poll, {thursday: PollAnswer.NO, saturday: PollAnswer.YES}, travel_minutes=40)
    actions.do_answer_poll(ola, poll, {thursday: PollAnswer.YES, saturday: PollAnswer.YES}, travel_minutes=10)
    actions.do_answer_poll(peer_worker, poll, {thursday: PollAnswer.YES})  # Saturday left out: can't make it
    # Robin changes her mind about Thursday (the school run moved): one answer each, the latest counts.
    actions.do_answer_poll(member, poll, {thursday: PollAnswer.MAYBE, saturday: PollAnswer.YES}, travel_minutes=40)
    rows = {row.option.starts_at: row for row in actions.poll_results(poll)}
    assert [len(rows[THURSDAY_6PM].yes), len(rows[THURSDAY_6PM].maybe)] == [2, 1]
    assert [len(rows[SATURDAY_11AM].yes), len(rows[SATURDAY_11AM].maybe)] == [2, 0]
    assert rows[THURSDAY_6PM].best and not rows[SATURDAY_11AM].best  # as many say yes; one more could
    assert rows[SATURDAY_11AM].longest_journey == 40


def test_answers_for_other_times_or_nonsense_are_refused(poll: TimePoll, member: Member, group: Group) -> None:
    assert poll.created_by is not None
    other = actions.do_start_poll(
        poll.created_by,
        group.pk,
        title="Film night",
        times=[THURSDAY_6PM, SATURDAY_11AM],
    )
    with pytest.raises(ActionError, match="Answer for the times shown"):
        actions.do_answer_poll(member, poll, {_option(other, THURSDAY_6PM): PollAnswer.YES})
    with pytest.raises(ActionError, match="Answer for the times shown"):
        actions.do_answer_poll(member, poll, {_option(poll, THURSDAY_6PM): "whenever"})
    with pytest.raises(ActionError, match="up to 300"):
        actions.do_answer_poll(member, poll, {}, travel_minutes=900)


def test_asking_needs_two_to_six_future_times(volunteer: Member, group: Group) -> None:
    with pytest.raises(ActionError, match="between 2 and 6"):
        actions.do_start_poll(volunteer, group.pk, title="Walk", times=[THURSDAY_6PM, THURSDAY_6PM])
    with pytest.raises(ActionError, match="in the future"):
        actions.do_start_poll(volunteer, group.pk, title="Walk", times=[TUESDAY - timedelta(hours=1), THURSDAY_6PM])
    with pytest.raises(ActionError, match="Add the place"):
        actions.do_start_poll(
            volunteer, group.pk, title="Walk", times=[THURSDAY_6PM, SATURDAY_11AM], format=GatheringFormat.IN_PERSON
        )


def test_choosing_a_time_makes_the_gathering_tells_the_group_and_closes_the_question(
    client_for: ClientFor, poll: TimePoll, volunteer: Member, member: Member
) -> None:
    sam = client_for(volunteer)
    url = reverse("chat:poll", args=[poll.pk])
    response = sam.post(url, {"action": "choose", "option": _option(poll, SATURDAY_11AM)}, follow=True)
    gathering = Gathering.objects.get(title="Craft afternoon")
    assert response.redirect_chain[-1][0] == reverse("chat:gathering", args=[gathering.pk])
    assert gathering.starts_at == SATURDAY_11AM and gathering.ends_at == SATURDAY_11AM + timedelta(minutes=90)
    assert gathering.place == "Community centre" and gathering.format == GatheringFormat.IN_PERSON
    assert Notification.objects.filter(kind="chat.gathering", member=member).exists()
    assert "The time is chosen" in visible_text(client_for(member).get(url))
    assert not access.open_polls(member).exists()
    with pytest.raises(ActionError, match="already been chosen"):
        actions.do_choose_time(volunteer, TimePoll.objects.get(pk=poll.pk), _option(poll, THURSDAY_6PM))
    assert Gathering.objects.count() == 1


def test_a_nonsense_choice_is_a_clear_message(client_for: ClientFor, poll: TimePoll, volunteer: Member) -> None:
    url = reverse("chat:poll", args=[poll.pk])
    sam = client_for(volunteer)
    for option in ("tuesday", "", "99999999999999999999"):
        response = sam.post(url, {"action": "choose", "option": option})
        assert response.status_code == 400 and "The value for “option” should be" in visible_text(response)
    elsewhere = sam.post(url, {"action": "choose", "option": "999999"}, follow=True)
    assert "Choose one of the times offered" in visible_text(elsewhere)
    assert not Gathering.objects.exists()


def test_each_role_gets_what_it_may(
    client_for: ClientFor,
    poll: TimePoll,
    group: Group,
    volunteer: Member,
    member: Member,
    peer_worker: Member,
    outsider: Member,
    coordinator: Member,
    counsellor: Member,
) -> None:
    url, new = reverse("chat:poll", args=[poll.pk]), reverse("chat:new_poll", args=[group.pk])
    thursday = _option(poll, THURSDAY_6PM)
    # Signed out: sign in first. Outside the group, whatever the role: nothing there.
    assert client_for(None).get(url).status_code == 302
    for person in (outsider, coordinator, counsellor):
        assert client_for(person).get(url).status_code == 404, person
        assert client_for(person).get(new).status_code == 404, person
    # A member answers, sees counts but not names, and can neither ask nor choose.
    robin = client_for(member)
    robin.post(url, {"action": "answer", f"option_{thursday}": "yes", "travel_minutes": "25"})
    page = visible_text(robin.get(url))
    assert "Suits 1" in page and "Choose this time" not in page and "Robin" not in page.split("So far")[1]
    assert robin.get(new).status_code == 403
    robin.post(url, {"action": "choose", "option": thursday})
    assert not Gathering.objects.exists()
    # The host and a supporter in the group see names and can choose; a supporter can ask too.
    for person in (volunteer, peer_worker):
        page = visible_text(client_for(person).get(url))
        assert "Robin" in page and "Choose this time" in page, person
    assert client_for(peer_worker).get(new).status_code == 200


def test_the_host_asks_from_the_form(client_for: ClientFor, volunteer: Member, group: Group) -> None:
    sam = client_for(volunteer)
    response = sam.post(
        reverse("chat:new_poll", args=[group.pk]),
        {
            "title": "Film night",
            "format": GatheringFormat.ONLINE,
            "minutes": "120",
            "time_1": "2027-03-05T19:00",
            "time_2": "2027-03-06T19:00",
        },
        follow=True,
    )
    poll = TimePoll.objects.get()
    assert response.redirect_chain[-1][0] == reverse("chat:poll", args=[poll.pk])
    assert [timezone_hour(o.starts_at) for o in poll.options.all()] == [19, 19]
    missing = sam.post(reverse("chat:new_poll", args=[group.pk]), {"title": "x", "format": "online", "minutes": "60"})
    assert missing.status_code == 200 and TimePoll.objects.count() == 1


def timezone_hour(when: datetime) -> int:
    return when.astimezone(ZoneInfo("Europe/London")).hour
