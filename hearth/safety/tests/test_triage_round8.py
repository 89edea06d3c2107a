"""Issue 20, round 8: kinds the three sets written for it (homelessness, domestic abuse, gambling harm) showed
missing, read by the rules.

Kinds, not messages: harm to someone told as what will happen to them with a when; a weapon carried on the writer
with a threat about someone; told to jump; threats by a verb of beating; an insult said about someone by name;
contempt for a group as blame ("ruining the town", "make it all up to get visas", "get them out"); drink or drugs
taken to get through something, someone else's tablets taken to sleep; and, the other way, a threat on a condition
("if I ever see him") is hostility but no alarm, a pet rehomed because the new home will not have it is no
goodbye, and a place with a time for an outing others are invited to is no plan. Every sentence was written fresh for
these tests (none is from a labelled set), with near-misses beside each kind. The rules are asserted alone
(``classify_rules``) so that a retrained model cannot hide a rule that stopped working.
"""

from __future__ import annotations

import pytest

from hearth.safety.triage import classify_rules


@pytest.mark.parametrize(
    "text",
    [
        "the bloke who robbed our Jade is getting stabbed when he comes out of the pub tonight",
        "that grass on the third floor is getting his head kicked in tomorrow, mark my words",
        "got a hammer down my trackies. he's gonna get what's coming when I see him",
        "there's a blade in my hoodie pocket and she will regret it",
    ],
)
def test_harm_to_someone_told_as_what_will_happen_is_an_alarm_and_hostile(text: str) -> None:
    result = classify_rules(text)
    assert result.risk == "crisis", result.reasons
    assert "hostility" in result.flags, result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "my cousin is getting stabbed in the new series of that drama, gutted",  # no when, a story
        "my nan is getting shot of her old sofa tomorrow",  # not harm
        "I keep a screwdriver in my bag for the bike, handy when the chain comes off",  # no threat
        "he's getting battered in the polls, serves him right",  # no when
    ],
)
def test_look_alikes_of_harm_to_someone_are_not_an_alarm(text: str) -> None:
    assert classify_rules(text).risk != "crisis", classify_rules(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "go on then, do it then, nobody's stopping you",
        "jump then. save us all the hassle",
        "say that again and I'll leather you",
        "if she keeps lying about me I'll deck her",
        "Mandy from the Thursday group is a right snake, watch what you tell her",
        "Steve is a scrounger and a liar, always has been",
        "the students on the top floor are ruining this building",
        "these migrants make it all up to claim benefits",
        "we don't want them in our hostel. get them out.",
    ],
)
def test_told_to_jump_beatings_names_and_blame_are_hostile(text: str) -> None:
    assert "hostility" in classify_rules(text).flags, classify_rules(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "go on then, tell us how the interview went!",
        "my dog is a rat catcher, brilliant at it",
        "the roadworks on the high street are ruining my commute",
        "I'll do the washing up if you dry",
        "some bloke called me a scrounger at the job centre today",  # the target, not the author
    ],
)
def test_look_alikes_of_hostility_are_not_flagged(text: str) -> None:
    assert "hostility" not in classify_rules(text).flags, classify_rules(text).reasons


def test_a_threat_on_a_condition_is_hostile_but_not_an_alarm() -> None:
    result = classify_rules("if I ever catch him near the school I'll smash his face in")
    assert result.risk != "crisis" and "hostility" in result.flags, result.reasons
    armed = classify_rules("if I see him tonight I'll smash his face in with the bat")
    assert armed.risk == "crisis", armed.reasons  # a weapon (or a when) keeps the alarm
    plain = classify_rules("I'm going to smash his face in")
    assert plain.risk == "crisis", plain.reasons  # no condition: unchanged


@pytest.mark.parametrize(
    "text",
    [
        "smoked a joint before court just so I could keep my hands still",
        "had a few vodkas before handover to get through it",
        "been taking my sister's diazepam to sleep since he left",
        "prosecco o'clock starts at 11 in this house now",
        "nitrous every weekend with the lads, can't stop",
    ],
)
def test_drink_or_drugs_to_get_through_something_is_substance(text: str) -> None:
    assert "substance" in classify_rules(text).flags, classify_rules(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "had a coffee before court to wake up",
        "my sister takes diazepam to sleep, the GP gave it her",
        "blew up balloons every day for the party week",
    ],
)
def test_look_alikes_of_substance_are_not_flagged(text: str) -> None:
    assert "substance" not in classify_rules(text).flags, classify_rules(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "Rehomed the rabbits with my neighbour as the new landlord won't allow pets",
        "Giving my dog to my brother because the housing association flat doesn't take dogs",
    ],
)
def test_a_pet_rehomed_because_the_new_home_will_not_have_it_is_no_goodbye(text: str) -> None:
    assert classify_rules(text).risk == "none", classify_rules(text).reasons


def test_a_pet_given_away_with_a_goodbye_still_alarms() -> None:
    text = "gave my dog to my brother and wrote the letters, won't be here by the weekend"
    assert classify_rules(text).risk == "crisis", classify_rules(text).reasons


def test_a_place_and_a_time_for_an_outing_others_are_invited_to_is_no_plan() -> None:
    outing = "heading to the bridge at 9 on Sunday for the river clean up, who's coming?"
    assert classify_rules(outing).risk != "crisis", classify_rules(outing).reasons
    plan = "going to the bridge at 9 on Sunday, nobody will stop me"
    assert classify_rules(plan).risk == "crisis", classify_rules(plan).reasons
