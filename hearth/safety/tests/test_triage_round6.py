"""Issue 20, sixth round: kinds the three sets written for it still missed, read by the rules.

Kinds, not messages: contempt said of a whole group, a person called names to their face, told to hurt themselves,
threats told by what will happen; drink or drugs told as a habit, a cost, a purchase or a state; going to someone
armed, a threat with a weapon and a second threat that spells out the harm; someone else at a place of harm with an
alarm about them; poison swallowed; tablets saved up, with a medicine named only by its class's ending; "don't reply"
as a goodbye. Every sentence here was written fresh for these tests (none is from a labelled set), and each kind has
near-misses beside it. The rules are asserted alone (``classify_rules``) so that a retrained model cannot hide a rule
that stopped working; the apology for absence is asserted through ``classify`` because it caps the model.
"""

from __future__ import annotations

import pytest

from hearth.safety.triage import classify, classify_rules


@pytest.mark.parametrize(
    "text",
    [
        "Glaswegians are all thieves, lock your bikes up if one joins",
        "the lads from the other hostel are animals, every one of them",
        "people like that should be sent back on the next flight",
        "Anyone who smokes in the garden should be kicked out of the house share",
        "that lot belong in a cage",
        "you pathetic little jobsworth, get a life",
        "you're a condescending snob and nobody here rates you",
        "you stink, sit somewhere else",
        "go and drown then, nobody will miss you",
        "keep running your mouth and you'll find out",
        "touch my bike again and I'll knock your teeth out",
        "Say that again. You'll regret it.",
    ],
)
def test_contempt_insults_and_threats_in_new_shapes_are_hostile(text: str) -> None:
    assert "hostility" in classify_rules(text).flags, classify_rules(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "my hands are filthy after the allotment",
        "The walls are dirty and the landlord won't paint them",
        "Weekends are the worst when you live alone",
        "you absolute legend, thank you for the lift",
        "you little star, that cake was perfect",
        "Gaz you absolute weasel, you missed an open goal 😂",
        "the kids are animals after sugar lol",
        "Someone at the bus stop called me a dirty foreigner. I just walked off.",
        "I'm so angry at the council, they're useless",
        "go and get some sleep, you'll feel better",
    ],
)
def test_their_near_misses_are_not(text: str) -> None:
    assert "hostility" not in classify_rules(text).flags, classify_rules(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "Hash every evening after the kids are in bed, it's the only way I switch off",
        "cans every night on my own since she left",
        "Spent the gas money on weed again",
        "more on vodka than food this month if I'm honest",
        "back to buying off the street because the clinic shut my script",
        "got some diazepam off a lad at work",
        "doing bumps in the loos at work now",
        "three days on the pipe",
        "off my face and it's only Tuesday",
        "been taking extra of my zopiclone to knock myself out",
        "day one again. I hate this",
    ],
)
def test_use_told_as_a_habit_a_cost_a_purchase_or_a_state_is_substance(text: str) -> None:
    assert "substance" in classify_rules(text).flags, classify_rules(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "My brother drinks cans every night and it's doing my head in",
        "Five years clean today, thank you all",
        "Spent my birthday money on trainers",
        "Bought a bike off a lad on Facebook",
        "cans of beans every day, the food bank has nothing else",
        "I take my sertraline every morning like the doctor said",
    ],
)
def test_their_near_misses_are_not_substance(text: str) -> None:
    assert "substance" not in classify_rules(text).flags, classify_rules(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        # going to someone armed, or waiting for them with a weapon
        "he's out of the pub at eleven and I'll be waiting round the back for him with the crowbar",
        "heading round to his flat tonight with a hammer. he knows what he did",
        "parked outside her boyfriend's house with the bat in the boot",
        "i will glass the manager tomorrow, there is a broken bottle in my locker",
        "Going to batter him. He'll be in intensive care by Monday. Bat's in the car.",
        # someone else at a place of harm, with an alarm about them
        "his phone is pinging at the flyover and he's stopped answering, he left a voice note saying sorry",
        "my sister is on the bridge and won't come down, police are on the way",
        "the Find My app has her at the cliffs near Seaford. anyone near Newhaven?",
        # acts and means in new words
        "drank a cup of the drain cleaner. throat on fire",
        "I've been hoarding my olanzapine since August. Enough now. Sunday.",
        "she's going off the balcony, she just said it on the phone, I'm running over",
        "standing on the roof of the car park. don't reply.",
    ],
)
def test_new_kinds_of_crisis_are_alarms(text: str) -> None:
    result = classify_rules(text)
    assert result.risk == "crisis", result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "heading round to my nan's with a knife and fork, Sunday dinner time",
        "took 12 days to get a GP appointment",
        "the fever won't come down, calpol isn't touching it",
        "I went quiet because work was mad, sorry everyone",
        "Had a lovely walk along the canal at 6am, just me and the swans",
        "My dad walked over the bridge to the shops, he hasn't replied about Sunday lunch",
        "please don't reply to this, it's just for the record: meeting moved to room 4",
        "I'm outside her house with the birthday cake, she doesn't know yet",
    ],
)
def test_their_near_misses_are_not_alarms(text: str) -> None:
    result = classify_rules(text)
    assert result.risk != "crisis", result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Sorry all, can't make tonight, the car's in the garage",
        "Apologies, I won't be able to come to group this week, my daughter's poorly",
        "sorry, can't come tonight, I've got nothing left after the week I've had at work",
    ],
)
def test_an_apology_for_not_coming_is_never_an_alarm(text: str) -> None:
    result = classify(text)
    assert result.risk != "crisis" and not result.review, result.reasons
    assert any(r.startswith("apology for absence") for r in result.reasons), result.reasons


def test_an_apology_does_not_hide_a_goodbye_or_an_act() -> None:
    result = classify("Sorry everyone, can't come tonight. I've taken all my tablets, I just wanted to say goodbye")
    assert result.risk == "crisis", result.reasons
