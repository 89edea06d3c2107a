"""Supporter profiles: chosen values for matching, edited by the supporter and by coordinators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.availability import actions
from hearth.availability.models import Gender, Mode, SupporterProfile, TalkRequest
from hearth.availability.profiles import gender_from_words, known_experience_tags
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.members.models import Member
from hearth.testing import ClientFor, MakeMember, text, visible_text

PHONE: dict[str, Any] = {"mode": Mode.PHONE, "phone_for_callback": "07700 900000"}


def save(actor: Member, supporter: Member, **values: Any) -> SupporterProfile:
    return actions.do_save_supporter_profile(actor, supporter, **values)


# --- Matching reads the profile ------------------------------------------------------------------


def test_gender_for_matching_is_the_profiles_chosen_value_not_the_members_words(
    member: Member,
    make_member: MakeMember,
    on_duty: Callable[..., tuple[Member, ...]],
    clock: TimeMachineFixture,
) -> None:
    from hearth.members.models import Role

    # Her own words say nothing matching can use; her profile says "a woman".
    ada = make_member("Ada", Role.VOLUNTEER, gender="I'd rather describe it myself")
    ben = make_member("Ben", Role.PEER_WORKER, gender="woman")  # words that would have matched the old free text
    save(ada, ada, gender=Gender.WOMAN)
    save(ben, ben, gender=Gender.MAN)
    on_duty(ada, ben)
    request = actions.do_request_talk(member, prefer_gender="woman", strict_match=True)
    assert actions.queue_for_supporter(ada) == [request]
    assert actions.queue_for_supporter(ben) == []


def test_language_age_band_and_experience_come_from_the_profile(
    member: Member, woman_volunteer: Member, man_peer_worker: Member, on_duty: Callable[..., tuple[Member, ...]]
) -> None:
    save(woman_volunteer, woman_volunteer, languages=["Welsh", "English"], age_band="50-64", experience=["Carer"])
    save(man_peer_worker, man_peer_worker, languages=["English"], age_band="25-34", experience=["bereavement"])
    on_duty(woman_volunteer, man_peer_worker)
    welsh = actions.do_request_talk(member, prefer_language="Welsh", prefer_age_band="50-64", strict_match=True)
    assert actions.queue_for_supporter(woman_volunteer) == [welsh]
    assert actions.queue_for_supporter(man_peer_worker) == []
    actions.do_cancel_talk(member, welsh)
    carer = actions.do_request_talk(member, prefer_experience="carer", strict_match=True)  # case doesn't matter
    assert actions.queue_for_supporter(woman_volunteer) == [carer]
    assert actions.queue_for_supporter(man_peer_worker) == []


def test_the_way_to_talk_is_matched_and_never_waived(
    member: Member,
    woman_volunteer: Member,
    man_peer_worker: Member,
    on_duty: Callable[..., tuple[Member, ...]],
    clock: TimeMachineFixture,
) -> None:
    save(woman_volunteer, woman_volunteer, modes=[Mode.TEXT])
    on_duty(woman_volunteer, man_peer_worker)
    call = actions.do_request_talk(member, **PHONE)
    assert actions.queue_for_supporter(woman_volunteer) == []
    assert actions.queue_for_supporter(man_peer_worker) == [call]
    clock.shift(60 * 60)  # however long it waits, a text-only supporter can't phone
    assert actions.queue_for_supporter(woman_volunteer) == []
    with pytest.raises(ActionError, match="waiting for someone else"):
        actions.do_accept_talk(woman_volunteer, call.pk)


def test_a_member_whose_way_of_talking_nobody_on_offers_is_told_and_can_switch(
    client_for: ClientFor,
    member: Member,
    woman_volunteer: Member,
    on_duty: Callable[..., tuple[Member, ...]],
) -> None:
    save(woman_volunteer, woman_volunteer, modes=[Mode.TEXT, Mode.PHONE])
    on_duty(woman_volunteer)
    form_page = visible_text(client_for(member).get(reverse("availability:talk")))
    assert "Nobody on duty right now can offer a video call" in form_page
    request = TalkRequest.objects.create(member=member, mode=Mode.VIDEO)
    page = visible_text(client_for(member).get(reverse("availability:talk")))
    assert "Nobody on duty right now can offer a video call" in page and "Text chat here instead" in page
    client_for(member).post(reverse("availability:talk_mode", args=[request.pk]), {"mode": "text"})
    request.refresh_from_db()
    assert request.mode == Mode.TEXT and actions.queue_for_supporter(woman_volunteer) == [request]


def test_bad_mode_choice_is_a_clear_error(
    client_for: ClientFor,
    member: Member,
    woman_volunteer: Member,
    on_duty: Callable[..., tuple[Member, ...]],
) -> None:
    on_duty(woman_volunteer)
    request = TalkRequest.objects.create(member=member, mode=Mode.TEXT)
    client = client_for(member)
    response = client.post(reverse("availability:talk_mode", args=[request.pk]), {"mode": "carrier pigeon"})
    assert response.status_code == 302
    assert "Choose how you" in text(client.get(reverse("availability:talk")))


def test_supporters_without_a_profile_are_matched_on_their_own_words(
    member: Member, make_member: MakeMember, on_duty: Callable[..., tuple[Member, ...]]
) -> None:
    from hearth.members.models import Role

    lee = make_member("Lee", Role.VOLUNTEER, gender="Female", age_band="35-49")
    on_duty(lee)
    request = actions.do_request_talk(member, prefer_gender="woman", prefer_age_band="35-49", strict_match=True)
    assert actions.queue_for_supporter(lee) == [request]


def test_questionnaire_words_are_folded_to_chosen_values(
    member: Member, woman_volunteer: Member, on_duty: Callable[..., tuple[Member, ...]]
) -> None:
    on_duty(woman_volunteer)
    request = actions.do_request_talk(member, prefer_gender="Female")
    assert request.prefer_gender == Gender.WOMAN  # the form offers only chosen values; intake passes words


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("Woman", "woman"),
        (" female ", "woman"),
        ("trans woman", "woman"),
        ("MALE", "man"),
        ("he/him", "man"),
        ("Non-binary", "non-binary"),
        ("enby", "non-binary"),
        ("it's complicated", ""),
        ("", ""),
    ],
)
def test_gender_words_fold_to_a_matching_value_or_to_not_said(words: str, value: str) -> None:
    assert gender_from_words(words) == value


# --- Editing ----------------------------------------------------------------------------------------


def test_a_supporter_edits_their_own_profile_from_the_duty_desk(client_for: ClientFor, volunteer: Member) -> None:
    desk = text(client_for(volunteer).get(reverse("availability:duty")))
    assert reverse("availability:my_profile") in desk
    response = client_for(volunteer).post(
        reverse("availability:my_profile"),
        {
            "modes": ["text", "video"],
            "languages": ["Polish", "English"],
            "more_experience": "carer,  moving country , Carer",
            "gender": "non-binary",
            "age_band": "25-34",
            "max_open_conversations": "2",
            "preferred_days": ["5", "6"],
            "preferred_times": ["evening"],
        },
    )
    assert response.status_code == 302
    profile = SupporterProfile.objects.get(member=volunteer)
    assert profile.modes == ["text", "video"] and profile.languages == ["Polish", "English"]
    assert profile.experience == ["carer", "moving country"]
    assert (profile.gender, profile.age_band, profile.max_open_conversations) == ("non-binary", "25-34", 2)
    assert profile.preferred_days == [5, 6] and profile.preferred_times == ["evening"]
    assert AuditEntry.objects.filter(action="availability.profile.saved", subject=volunteer).count() == 1
    assert known_experience_tags() == ["carer", "moving country"]


def test_bad_values_get_a_clear_error_not_a_500(client_for: ClientFor, volunteer: Member) -> None:
    response = client_for(volunteer).post(
        reverse("availability:my_profile"),
        {"modes": [], "languages": ["Klingon"], "gender": "robot", "max_open_conversations": "lots"},
    )
    page = visible_text(response)
    assert response.status_code == 200 and "Choose at least one way to talk" in page
    assert "Select a valid choice" in page
    assert not SupporterProfile.objects.filter(member=volunteer).exists()
    with pytest.raises(ActionError, match="options shown"):
        save(volunteer, volunteer, languages=["Klingon"])


def test_the_coordinator_edits_anyones_profile_and_sees_them_all(
    client_for: ClientFor, coordinator: Member, volunteer: Member
) -> None:
    team = text(client_for(coordinator).get(reverse("members:team")))
    assert reverse("availability:supporters") in team
    listing = visible_text(client_for(coordinator).get(reverse("availability:supporters")))
    assert "Sam" in listing and "no profile yet" in listing
    url = reverse("availability:supporter_profile", args=[volunteer.pk])
    client_for(coordinator).post(url, {"modes": ["phone"], "max_open_conversations": "1"})
    assert SupporterProfile.objects.get(member=volunteer).modes == ["phone"]
    assert AuditEntry.objects.get(action="availability.profile.saved").actor == coordinator


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_members_have_no_supporter_profile_pages(
    request: pytest.FixtureRequest, client_for: ClientFor, who: str, volunteer: Member
) -> None:
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("availability:my_profile")).status_code == 403
    assert client.get(reverse("availability:supporters")).status_code == 403
    assert client.get(reverse("availability:supporter_profile", args=[volunteer.pk])).status_code == 403


def test_supporters_cannot_edit_each_others_profiles(
    client_for: ClientFor, volunteer: Member, peer_worker: Member
) -> None:
    client = client_for(volunteer)
    assert client.get(reverse("availability:supporters")).status_code == 403
    url = reverse("availability:supporter_profile", args=[peer_worker.pk])
    assert client.post(url, {"modes": ["text"], "max_open_conversations": "9"}).status_code == 403
    with pytest.raises(ActionError, match="only your own"):
        save(volunteer, peer_worker, modes=["text"])
    assert not SupporterProfile.objects.filter(member=peer_worker).exists()


def test_a_member_cannot_have_a_supporter_profile(coordinator: Member, member: Member) -> None:
    with pytest.raises(ActionError, match="can't be on the rota"):
        save(coordinator, member, modes=["text"])


def test_the_duty_desk_shows_who_is_on_and_how_they_talk(
    client_for: ClientFor,
    woman_volunteer: Member,
    man_peer_worker: Member,
    on_duty: Callable[..., tuple[Member, ...]],
) -> None:
    save(man_peer_worker, man_peer_worker, modes=["phone"], languages=["Urdu"], experience=["bereavement"])
    on_duty(woman_volunteer, man_peer_worker)
    page = visible_text(client_for(woman_volunteer).get(reverse("availability:duty")))
    assert "On duty now (2)" in page
    assert "Ben — A phone call back · Urdu · experience: bereavement" in page


# --- Carrying old free text over -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_folds_free_text_into_chosen_values() -> None:
    executor = MigrationExecutor(connection)
    before = [("availability", "0002_conversation_room")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Member, RoleGrant = old.get_model("members", "Member"), old.get_model("members", "RoleGrant")
    Profile, Request = old.get_model("availability", "SupporterProfile"), old.get_model("availability", "TalkRequest")
    ada = Member.objects.create(email="ada@example.org", display_name="Ada", gender="Female", age_band="25-34")
    RoleGrant.objects.create(member=ada, role="volunteer")
    Profile.objects.create(member=ada, experience="carer, Student life,", max_open_conversations=2)
    ben = Member.objects.create(email="ben@example.org", display_name="Ben", gender="a bloke, I suppose")
    RoleGrant.objects.create(member=ben, role="peer_worker")
    robin = Member.objects.create(email="robin@example.org", display_name="Robin")
    Request.objects.create(member=robin, prefer_gender="Woman ")
    Request.objects.create(member=robin, prefer_gender="someone kind")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    profiles = {p.member.display_name: p for p in SupporterProfile.objects.select_related("member")}
    assert profiles["Ada"].experience == ["carer", "Student life"]
    assert (profiles["Ada"].gender, profiles["Ada"].age_band, profiles["Ada"].max_open_conversations) == (
        "woman",
        "25-34",
        2,
    )
    assert profiles["Ben"].gender == "" and profiles["Ben"].modes == ["text", "phone", "video"]
    assert sorted(TalkRequest.objects.values_list("prefer_gender", flat=True)) == ["", "woman"]
