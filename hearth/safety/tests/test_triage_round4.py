"""Issue 20, fourth round: the alarm must not rest on one word, and kinds of crisis the rules did not know.

The demo organisation's everyday lines raised two false alarms ("Evening. Just here to listen tonight." and a group's
purpose, "For the small hours when sleep won't come."): the learned lexicon's P(crisis) rested on one word each
("tonight", "won't"). The model's alarm now has to hold with that word taken out. Every other sentence here was
written fresh for these tests: each kind comes with a near-miss, so a pattern cannot over-fire.
"""

from __future__ import annotations

import pytest

from hearth.chat import demo as chat_demo
from hearth.community import demo as community_demo
from hearth.safety.triage import ModelGate, classify, classify_rules, decide_with_model, model
from hearth.safety.triage.normalize import normalize

SHIPPED = {"crisis": 0.3, "risk": 0.73, "review": 0.06, "review_gated": 0.37, "alarm_gated": 0.66, "one_word": 0.1}


def _demo_lines() -> list[str]:
    """What members (and coordinators, for a group's purpose) write in the demo organisation: every line is screened."""
    lines = [g["purpose"] for g in community_demo.GROUPS] + [p["purpose"] for p in community_demo.PROPOSALS]
    lines += [t for texts in community_demo.TEXTS.values() for t in texts]
    lines += [t for card in community_demo.CARDS for t in card[1:]] + [t for _, t in community_demo.HEAVY]
    lines += [t for replies in community_demo.REPLIES.values() for t in replies]
    lines += chat_demo.PROMPTS + chat_demo.HISTORY + [row[2] for row in chat_demo.SESSION if isinstance(row[2], str)]
    return lines


@pytest.mark.parametrize(
    "text", ["Evening. Just here to listen tonight.", "For the small hours when sleep won't come."]
)
def test_the_two_demo_false_alarms_are_not_alarms(text: str) -> None:
    result = classify(text)
    assert result.risk != "crisis", result.reasons


def test_the_demo_organisations_everyday_lines_raise_no_alarm() -> None:
    alarms = [line for line in _demo_lines() if classify(line).risk == "crisis"]
    assert alarms == []


@pytest.mark.parametrize(
    "text",
    [
        # the one crisis the demo writes (the Night Owls post the coordinators acknowledge)
        "I don't think I can keep myself safe tonight. I've been saving up my tablets.",
        # real crises in the same words as the false alarms
        "Evening. Just here to say goodbye tonight, the tablets are counted out and I'm ready",
        "For the small hours when sleep won't come I've saved enough pills to make it permanent tonight",
        "not here to listen tonight, here to say sorry for everything. the rope's in the shed",
    ],
)
def test_real_crisis_lines_beside_them_still_raise_the_alarm(text: str) -> None:
    assert classify(text).risk == "crisis", classify(text).reasons


def test_an_alarm_that_rests_on_one_word_says_so_to_staff() -> None:
    lex = model.load()
    assert lex is not None
    norm = normalize("Evening. Just here to listen tonight.").text
    p_without, word = lex.without_one_word(norm)
    assert word == "tonight" and p_without < lex.thresholds["one_word"]
    # A written crisis keeps its alarm without any one of its words.
    norm = normalize("taking every one of the tablets tonight, sorry everyone, it's for the best").text
    assert lex.without_one_word(norm)[0] >= lex.thresholds["one_word"]


def test_the_one_word_check_holds_back_the_models_alarm_only() -> None:
    gate = ModelGate(words=8, distress=False, territory=True, veto=False)
    sure = {"crisis": 0.8, "concern": 0.05, "none": 0.15}
    assert decide_with_model("none", sure, gate, SHIPPED)[0] == "crisis"  # not worked out: as before
    assert decide_with_model("none", sure, gate, SHIPPED, without_one_word=0.5)[0] == "crisis"
    assert decide_with_model("none", sure, gate, SHIPPED, without_one_word=0.05)[0] != "crisis"
    # The rules' own alarm never depends on the model.
    assert decide_with_model("crisis", sure, gate, SHIPPED, without_one_word=0.0)[0] == "crisis"
    held = ModelGate(words=8, distress=False, territory=False, veto=False)  # the higher threshold, no word of harm
    assert decide_with_model("none", sure, held, SHIPPED)[0] == "crisis"
    assert decide_with_model("none", sure, held, SHIPPED, without_one_word=0.05)[0] != "crisis"


# Kinds of crisis the cross-validation missed, in fresh words, each with a near-miss.
CRISIS_KINDS = [
    # a negator that is itself the distress does not negate what follows
    "cant take any more of this, doing it tonight while the house sleeps",
    "cannot go on like this. going to jump from the car park roof tonight",
    # arranging who finds them
    "the dog's at my sister's. I don't want my wife to be the one who finds me",
    # a member's own disclosure, reported by someone worried about them
    "@Sam you said last night you'd taken 30 of your tablets and now you're not answering, is anyone near him?",
    # overdose in new words
    "necked my whole fortnight of sertraline with a bottle of wine",
    "injected all my insulin an hour ago, can't be bothered any more",
    "swallied a hale box o tablets the night, feelin weird",
    # medical danger now (two signs together)
    "not eaten for a week, passed out in the shower and my heart keeps skipping",
    # a serious injury described by how bad it is
    "burnt my arm with the iron on purpose, the skin's come right off",
    "cut myself with the stanley knife, there's so much blood on the floor",
    # means in use now
    "sat in the garage with a hose from the exhaust through the window",
    # taken on purpose, swallowed
    "drank the bottle of methadone on purpose so I don't wake up",
    # threatened with serious harm now
    "he says he'll kill me if I call anyone and he's got the knife in his hand. hiding in the loo",
    # going armed to someone
    "I'm going round to his with my dad's hammer tonight and he'll never hurt my sister again",
    # goodbyes in emoji and a few words
    "⚰️ last day at work done. sorry team",
    "🔚 sorry lads. thanks for the laughs",
    "see you on the other side fellas, look after my boy",
]

NEAR_MISSES = [
    "I don't want to be the one who finds out the ending, no spoilers please",
    "if you said you'd taken your tablets already, the nurse will tick it off",
    "took all my tablets this morning like the GP said, feeling better",
    "passed out laughing at the quiz last night, what a night",
    "burnt the toast again, the smoke alarm went off, so much drama",
    "cut my finger on the stanley knife doing the skirting, bit of blood, plaster on",
    "put a hose on the garden, the exhaust on the car needs fixing too",
    "took them all to the cinema, the kids loved it",
    "he'll kill me if I'm late again lol, the bus is crawling",
    "going fishing with the lads and my dad's old knife for the bait",
    "the end of the series was so sad, sorry team I'm spoiling it",
    "see you on the other side of Christmas, everyone! back in January",
    "the gas is on, can someone check the windows are shut before the engineer comes",
]


@pytest.mark.parametrize("text", CRISIS_KINDS)
def test_the_rules_see_kinds_of_crisis_they_missed(text: str) -> None:
    result = classify_rules(text)
    assert result.risk == "crisis", result.reasons


# Near-misses the learned lexicon (not the rules) still reads as a crisis: a knife or "tonight" with little else
# (cross-validated crisis precision is about 0.87, so about one alarm in eight is wrong). Kept visible here.
MODEL_FALSE_ALARMS = {
    "I don't want to be the one who finds out the ending, no spoilers please",
    "cut my finger on the stanley knife doing the skirting, bit of blood, plaster on",
    # "going fishing with the lads and my dad's old knife for the bait" left this list in round 8: retrained on
    # 36 sets, the learned lexicon no longer raises it (so it is asserted above with the other near-misses).
}


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_their_near_misses_are_not_alarms(text: str) -> None:
    assert classify_rules(text).risk != "crisis", classify_rules(text).reasons
    if text not in MODEL_FALSE_ALARMS:
        assert classify(text).risk != "crisis", classify(text).reasons


@pytest.mark.xfail(
    strict=True, reason="issue 20: the learned lexicon still raises these near-misses (a knife, 'tonight')"
)
@pytest.mark.parametrize("text", sorted(MODEL_FALSE_ALARMS))
def test_the_learned_lexicon_near_misses_are_not_alarms(text: str) -> None:
    assert classify(text).risk != "crisis"


def test_medication_taken_as_prescribed_is_not_an_overdose_even_to_the_model() -> None:
    result = classify("took all my tablets this morning like the GP said, feeling better")
    assert result.risk != "crisis" and any(r.startswith("taken as prescribed") for r in result.reasons)
