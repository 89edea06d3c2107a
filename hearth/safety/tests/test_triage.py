"""Behaviour stories for the triage classifier (pure Python: no database, no Django).

Every message here is written for these tests; none is copied from the dev set.
"""

from __future__ import annotations

import io
import json

import pytest

from hearth.safety.triage import FLAGS, RISKS, TriageResult, classify, run_jsonl


def risk(text: str) -> str:
    return classify(text).risk


def test_public_constants_and_result_shape() -> None:
    result = classify("morning all, kettle's on")
    assert isinstance(result, TriageResult)
    assert RISKS == ("crisis", "concern", "none")
    assert FLAGS == ("hostility", "substance", "practical")
    assert result.risk in RISKS
    assert isinstance(result.flags, tuple)
    assert isinstance(result.reasons, tuple)


def test_explicit_plan_with_a_time_is_crisis() -> None:
    assert risk("i'm going to kill myself tonight when the house is quiet") == "crisis"


def test_text_speak_intent_is_crisis() -> None:
    assert risk("gonna kms 2nite fr") == "crisis"


def test_negated_ideation_is_not_crisis() -> None:
    assert risk("not suicidal at all, just fed up with the rain and my boiler") == "none"
    assert risk("I would never hurt myself, my nephew means the world to me") == "none"


def test_negated_plan_with_passive_wish_is_concern() -> None:
    assert risk("no plans to act on it but I honestly don't want to be alive any more") == "concern"


def test_goodbye_message_is_crisis() -> None:
    assert risk("This will be my last post on here. Thank you for everything, all of you.") == "crisis"


def test_arranging_care_of_a_pet_is_crisis() -> None:
    assert risk("could someone look after my cat Pickle when i'm gone. i've left food out") == "crisis"


def test_overdose_already_taken_is_crisis() -> None:
    assert risk("took about 40 of my paracetamol half an hour ago and my ears are ringing") == "crisis"


def test_self_harm_happening_now_is_crisis() -> None:
    assert risk("cutting right now and i cant make myself stop") == "crisis"


def test_third_person_plan_tonight_is_crisis() -> None:
    assert risk("my flatmate just told me she's going to end it tonight and she's taken her keys") == "crisis"


def test_third_person_attempt_in_the_past_is_none() -> None:
    assert risk("my cousin attempted suicide back in 2016 and now she's a paramedic") == "none"


def test_intent_to_hurt_someone_else_is_crisis_and_hostility() -> None:
    result = classify("I'm going to stab my landlord when he comes round tomorrow, I mean it")
    assert result.risk == "crisis"
    assert "hostility" in result.flags


def test_passive_ideation_is_concern() -> None:
    assert risk("some nights i wish i could just go to sleep and not wake up") == "concern"


def test_burden_is_concern() -> None:
    assert risk("my family would honestly be better off without me dragging them down") == "concern"


def test_recent_self_harm_is_concern() -> None:
    assert risk("I self harmed again on Sunday, first time since spring. It's healing.") == "concern"


def test_stopping_medication_with_distress_is_concern() -> None:
    assert risk("stopped my sertraline cold turkey last week and I'm crying all the time") == "concern"


def test_idiom_killing_me_is_none() -> None:
    assert risk("these new shoes are killing me") == "none"
    assert risk("this revision is killing me lol") == "none"


def test_dead_battery_and_laughing_idioms_are_none() -> None:
    assert risk("laptop on 3% and no charger, i want to die") == "none"
    assert risk("that clip of the dog on the skateboard, I'm dead 😂") == "none"


def test_game_talk_is_not_a_threat() -> None:
    result = classify("we're going to kill everyone in the lobby tonight, bring snacks")
    assert result.risk == "none"
    assert "hostility" not in result.flags


def test_joke_kms_is_none() -> None:
    assert risk("my train got cancelled twice kms lmao") == "none"


def test_past_recovery_story_is_none() -> None:
    text = (
        "Six years ago I tried to end my life. These days I'm in a much better place "
        "and I help run the Wednesday group."
    )
    assert risk(text) == "none"


def test_supportive_reply_is_none() -> None:
    assert risk("If you're thinking about ending it, please ring Samaritans on 116 123 tonight.") == "none"


def test_quoted_post_is_not_the_writers_own_risk() -> None:
    assert risk("> i'm going to end it tonight\nplease ring 999 or get to A&E, we're all here for you") == "none"


def test_service_question_is_none() -> None:
    assert risk("Does the Monday group still meet in the church hall?") == "none"


def test_reasons_name_the_matched_words() -> None:
    result = classify("I've saved up my tablets and I'm going to take them all tonight")
    assert result.risk == "crisis"
    joined = " ".join(result.reasons)
    assert "take them all" in joined
    assert "tonight" in joined  # the supporting time is named too
    assert any(r.startswith("crisis:") for r in result.reasons)


def test_reasons_record_a_negation() -> None:
    result = classify("not suicidal, just exhausted")
    assert any(r.startswith("negated:") and "suicidal" in r for r in result.reasons)


def test_parents_drinking_is_not_the_writers_substance_use() -> None:
    result = classify("my mum's drinking again and I'm worried about her liver")
    assert "substance" not in result.flags


def test_writers_drinking_to_cope_is_substance() -> None:
    assert "substance" in classify("i've been drinking every night to cope since the funeral").flags


def test_glass_of_wine_at_a_party_is_not_substance() -> None:
    assert classify("had one glass of prosecco at my friend's engagement party, lovely night").flags == ()


def test_being_the_target_of_abuse_is_not_hostility() -> None:
    result = classify("a guy in the comments called me a pathetic loser and told me to kys. I've reported him")
    assert "hostility" not in result.flags


def test_insulting_another_member_is_hostility() -> None:
    assert "hostility" in classify("you're a pathetic attention seeker, nobody here likes you").flags


def test_swearing_at_a_situation_is_not_hostility() -> None:
    assert "hostility" not in classify("the bloody bus was late AGAIN, absolute joke of a service").flags


def test_self_criticism_is_not_hostility() -> None:
    assert "hostility" not in classify("I'm such an idiot, I left my keys in the door").flags


def test_practical_needs_are_flagged() -> None:
    assert "practical" in classify("got an eviction notice and I'm behind on the rent, where do I get advice?").flags
    assert "practical" in classify("does anyone know how to fill in the PIP form?").flags


def test_flags_are_in_canonical_order() -> None:
    result = classify("been drinking all day since i got sacked, can't afford the rent, you lot are useless idiots")
    assert result.flags == tuple(f for f in FLAGS if f in result.flags)
    assert set(result.flags) == {"hostility", "substance", "practical"}


@pytest.mark.parametrize("weird", ["", "   ", "🙂🙂🙂", "a" * 5000, "\x00\x01 odd bytes"])
def test_odd_input_never_raises(weird: str) -> None:
    assert classify(weird).risk in RISKS


def test_run_jsonl_keeps_ids_and_survives_bad_lines(capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        json.dumps({"id": "a", "text": "i'm going to end it tonight"}),
        "this is not json",
        json.dumps({"id": "b", "text": 42}),
        json.dumps({"text": "no id here"}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"id": "c", "text": "what time is group?"}),
    ]
    out = io.StringIO()
    count = run_jsonl(io.StringIO("\n".join(lines) + "\n"), out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == 3
    assert [r["id"] for r in records] == ["a", "b", "c"]
    assert records[0]["risk"] == "crisis"
    assert records[1] == {"id": "b", "risk": "none", "flags": []}
    assert all(set(r) == {"id", "risk", "flags"} for r in records)
    assert "bad JSON" in capsys.readouterr().err


def test_heldout_set_scores() -> None:
    """The hand-written held-out set stays above the dev-set thresholds (guards regressions)."""
    from pathlib import Path

    path = Path(__file__).with_name("triage_heldout.jsonl")
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    crisis = [i for i in items if i["risk"] == "crisis"]
    caught = sum(classify(i["text"]).risk == "crisis" for i in crisis)
    assert caught / len(crisis) >= 0.95
