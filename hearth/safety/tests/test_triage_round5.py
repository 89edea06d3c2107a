"""Issue 20, fifth round: kinds of crisis and hostility the cross-validation still missed, read by the rules.

Kinds, not messages: a place named with a time, with a sign that nobody will be about, or with means taken there;
goodbyes in a few dialect words; a relative's goodbye quoted by the writer; an emergency already under way; means
saved up and a day chosen inside a long, ordinary post; threats of serious harm described by their outcome; insults
in Scots, Irish, prison and faith-group words. Every sentence here was written fresh for these tests (none is from
a labelled set), and each kind has near-misses beside it so a pattern cannot over-fire. The rules are asserted
alone (``classify_rules``) so that a retrained model cannot hide a rule that stopped working.
"""

from __future__ import annotations

import pytest

from hearth.safety.triage import classify, classify_rules


@pytest.mark.parametrize(
    "text",
    [
        # a place and a time, nothing else
        "The footbridge over the ring road. Quarter to five, after the night bus has gone.",
        "the railway crossing past the allotments. last train is at 23:10. i'll be there",
        # a place and a sign that nobody will be about
        "the top of the quarry behind the estate. nobody goes up there once it gets dark",
        "Level 6 of the hospital car park has no barrier on the far side. After my shift ends.",
        # a place with means taken there
        "Drove up to the reservoir with the tablets in my bag. Sat in the car now.",
    ],
)
def test_a_place_with_a_time_or_nobody_about_is_an_alarm(text: str) -> None:
    result = classify_rules(text)
    assert result.risk == "crisis", result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Meet at the footbridge at 10.30 for the sponsored walk, bring water",
        "Fishing off the harbour wall at first light tomorrow, mackerel are running",
        "The reservoir walk after dark is spooky but the stars are amazing",
        "Nobody goes to the quarry car park after 6, so it's a good spot to practise parking",
        "Went to the viaduct at 3pm to take photos of the steam train",
        "I'm on the roof clearing the gutters, hold the ladder",
        "Sat on the edge of the pier eating chips at half nine in the morning, bliss",
        "Level 5 of the car park at 2pm, the cinema is right there",
        "The bridge is closed after dark for repairs, use the ferry",
        "The level crossing was down for ages at 8.15, late for work again",
        "Walked the dog along the canal at 7am, frost on everything",
        "The multistorey by the station is free after 6pm on Sundays",
        "jumped off the cliff in gta for the 50th time, the ragdoll physics never gets old",
        "The rope swing over the river is back up! Kids are buzzing",
        "go jump off a bridge you whinging moron",
        "Got the sack today. Rent due on the 1st. I honestly don't see the point in it all.",
    ],
)
def test_a_place_on_an_errand_an_outing_or_in_a_game_is_not(text: str) -> None:
    result = classify_rules(text)
    assert result.risk != "crisis", result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Ye'll no see me at the bowling club again. Sorry Maw.",
        "⚰️ that's me. love yous all",
        "ok that's me. spare key's on the table for whoever comes for the dog. god forgive me",
        "Stones in my coat pockets and the tide's coming in. Sorry everyone.",
        "Told him I'll burn the caravan with me in it. The petrol can's by the door.",
    ],
)
def test_goodbyes_in_a_few_dialect_words_and_emoji(text: str) -> None:
    result = classify_rules(text)
    assert result.risk == "crisis", result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "That's me. Off to bed, night all",
        "Ok that's me done for today, shift over, feet up",
        "Sorry Mum! Ate the last of the trifle.",
        "Ye'll no see me at the club this week, I'm away to my sister's in Oban",
        "Got the keys under the mat for whoever's feeding the cat while we're away",
        "God bless you all, have a lovely Christmas",
        "God forgive me, I had a second slice of cake",
        "My saddle's for young Tom, the bridle goes to Dinny, I'm taking up golf instead",
        "That's it! Finally finished the jigsaw",
    ],
)
def test_everyday_sign_offs_are_not_goodbyes(text: str) -> None:
    result = classify_rules(text)
    assert result.risk != "crisis", result.reasons


def test_a_relatives_goodbye_quoted_by_the_writer_is_theirs_not_advice_to_the_reader() -> None:
    text = (
        "My uncle texted the family chat 'you won't have to deal with me anymore, sorry for everything' "
        "and nobody can reach him"
    )
    result = classify_rules(text)
    assert result.risk == "crisis", result.reasons
    # the same words written to the reader, as support, stay a reply
    reply = "If you're thinking 'everyone would be better off without me', please ring someone tonight."
    assert classify_rules(reply).risk != "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "My brother's after hanging himself in the garage, they cut him down, ambulance is on its way",
        "Found my flatmate, she's taken something and she's barely breathing, paramedics are 10 minutes out",
        "cut my leg open on purpose, I can see the fat inside it and it won't stop",
    ],
)
def test_an_emergency_already_under_way(text: str) -> None:
    result = classify_rules(text)
    assert result.risk == "crisis", result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Can see the bone on this chicken, it's undercooked",
        "My uncle hanged himself in 2009, the ambulance came too late. I still think about him.",
    ],
)
def test_look_alikes_of_an_emergency_are_not(text: str) -> None:
    assert classify_rules(text).risk != "crisis"


def test_means_saved_and_a_day_chosen_inside_a_long_cheerful_post() -> None:
    text = (
        "Long one, sorry. The choir did the carol concert and we raised £600, my grandson passed his driving test "
        "and the new boiler finally works. But I've been saving my tablets since the summer and Sunday is the day, "
        "when the house is empty. Merry Christmas to you all."
    )
    result = classify_rules(text)
    assert result.risk == "crisis", result.reasons
    ordinary = "Been stockpiling tins for the food bank. Friday is the day! Drop-off at the church hall."
    assert classify_rules(ordinary).risk != "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "I know which gym he trains at. I'm going down there Friday and he won't be walking out of it.",
        "That landlord's getting the hammer tonight, I've had enough of him",
        "Going round to the dealer's flat, I'll put him in hospital for what he sold my brother",
    ],
)
def test_a_threat_told_by_its_outcome_is_an_alarm_and_hostile(text: str) -> None:
    result = classify_rules(text)
    assert result.risk == "crisis", result.reasons
    assert "hostility" in result.flags


@pytest.mark.parametrize(
    "text",
    [
        "After the stroke he won't be walking again, the physio said, so we're getting a ramp",
        "I'm worried sick but she won't talk to anyone about it",
        "Nan's hip is broken and she'll be in hospital for a week",
    ],
)
def test_outcomes_told_as_news_are_not_threats(text: str) -> None:
    result = classify_rules(text)
    assert result.risk != "crisis" and "hostility" not in result.flags, result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Yer a lyin wee toerag, Kenny, and the whole group knows it",
        "Catch yerself on, ya eejit, nobody here cares",
        "you're a hypocrite and a gossip, aunty, mind your own house",
        "Some of you coconuts need reminding where your parents came from",
        "Typical smackhead, on here begging again",
        "People like you shouldn't be in this group, you're a grass",
        "You lot on here are all snakes",
    ],
)
def test_insults_in_the_voices_hostility_missed(text: str) -> None:
    result = classify_rules(text)
    assert "hostility" in result.flags, result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Your snake is gorgeous, what kind is it?",
        "you're a star, thank you for the lift",
        "Left my mug at yours, can you bring it Tuesday",
        "My neighbour called me a dirty gyppo in the street. I walked away.",
        "The council are useless, eight weeks for a repair",
        "only in the army would you get a rocket for being shot in the wrong uniform",
    ],
)
def test_kind_words_pets_mugs_and_reported_insults_are_not_hostile(text: str) -> None:
    result = classify_rules(text)
    assert "hostility" not in result.flags, result.reasons


def test_the_full_classifier_still_reads_an_everyday_line_as_nothing() -> None:
    assert classify("That's me. Off to bed, night all").risk == "none"
