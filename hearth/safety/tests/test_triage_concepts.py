"""Stories for the v2 concept layer: means, places, finality, imminence, in combination.

Each concept alone must stay quiet (a bridge, a will, a goodbye for a move abroad);
two of them together, first person or an at-risk third person, make a crisis.
All wording is fresh, written for these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from hearth.safety.triage import classify, model, rules
from hearth.safety.triage.normalize import normalize
from hearth.safety.triage.rules import Hit


def risk(text: str) -> str:
    return classify(text).risk


@pytest.mark.parametrize(
    "text",
    [
        # place + finality
        "at the viaduct now. sorry for all the trouble i caused, all of you",
        # arrangements + a time
        "my neighbour knows to take the budgie. i won't be a bother to anyone after friday",
        # two separate arrangements, no time
        "cancelled my phone contract and wrote letters for the girls. feels strange how calm i am",
        # means made ready + despair
        "the tablets are counted out on the bedside table. there's no way out of this one",
        # car exhaust, described practically
        "engine's running and the garage door is shut, just so somebody knows",
        # about to self-harm, with a when
        "i'm going to cut myself as soon as my shift ends, i can't hold it off",
        # at-risk third person: a goodbye and a phone gone dead
        "my cousin left a voice note saying goodbye to her boys and now her phone went dead",
        # intent, no suicide word
        "no one can talk me out of it this time. it's happening tonight",
    ],
)
def test_concepts_in_combination_are_crisis(text: str) -> None:
    assert risk(text) == "crisis", classify(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "cycled over the viaduct today, best views in the county",
        "parked on the top floor of the car park again, lifts were broken",
        "booked the grandkids on the railway museum trip tomorrow",
        "signed my will at the solicitor's this morning, proper grown-up admin",
        "rehomed our old rabbit because of my allergies, the new family send photos",
        "Bye all, leaving the group because I'm moving to Perth next month, thank you for everything x",
        "final post of the photo challenge! thanks for following along",
        "I've decided. Tonight I'm finally going to dye my hair blue",
        "the price of petrol is through the roof this week",
        "put the blades in the bin outside and told my sister. one day at a time",
    ],
)
def test_single_concepts_and_ordinary_plans_are_not_crisis(text: str) -> None:
    assert risk(text) != "crisis", classify(text).reasons


# Issue 20: harm words inside a safety step (means put out of reach, help sought and safer for it) or a place as the
# setting of an everyday errand. The learned lexicon may still find concern in them, never an alarm.
@pytest.mark.parametrize(
    "text",
    [
        # safety steps, in fresh words
        "handed my stash of pills in at the chemist this afternoon. first time I've managed that",
        "asked my husband to keep my tablets in his work locker and dole them out each morning",
        "chucked the razors out with the recycling before my sister came round. small wins",
        "rang the crisis line at 2am, the woman was lovely and I'm feeling calmer now",
        # everyday errands at a place
        "the multistorey by the station was full so I parked on the roof, ticket cost a fortune",
        "drove over the bridge to the big tesco, queues everywhere",
        "parked on the top floor of the car park again, lifts were broken, took ages to get down with the shopping",
        pytest.param(
            "walked over the bridge after work, the river was really high",
            marks=pytest.mark.xfail(
                strict=True,
                reason="issue 20: 'after' is on the gate's broad list of harm words, so this is not read as an errand",
            ),
        ),
        "walked the dog over the bridge and back before work, frost on everything",
    ],
)
def test_safety_steps_and_errands_at_a_place_are_not_crisis(text: str) -> None:
    result = classify(text)
    assert result.risk != "crisis", result.reasons
    assert any(r.startswith(rules.CAP_PREFIXES) for r in result.reasons), result.reasons


@pytest.mark.parametrize(
    "text",
    [
        # means put away but some kept back: not a safety step
        "binned most of the razors but kept one back in my washbag for tonight",
        # help sought, nothing safer about it, and a goodbye
        "rang the helpline and nobody picked up. thanks for everything all of you, this is my last message",
        # a place in an errand's words, with a goodbye and a time: still crisis
        "parked at the top of the multistorey. sorry for everything, I love you all. it ends tonight",
    ],
)
def test_a_safety_step_or_errand_does_not_hide_a_crisis(text: str) -> None:
    assert risk(text) == "crisis", classify(text).reasons


def test_a_safety_step_still_reaches_a_person() -> None:
    """Putting the blades away while the urges are loud is a check-in, not nothing."""
    result = classify(
        "the urges have been awful all week so I've put every blade in the outside bin, please talk to me"
    )
    assert result.risk == "concern", result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "honestly I'm so tired of being alive. not going to do anything, just worn through",
        "some days I hope the illness just takes me. is that awful",
        "can't keep living like this. the debt and the silence in this flat",
        "my mam says who would even care if she went. she's stopped eating properly",
        "I've had urges to step off the kerb into traffic this week. I walk on the inside now",
        "been three days without my sertraline and my head is all over the place",
    ],
)
def test_fresh_passive_and_distress_wordings_are_concern(text: str) -> None:
    assert risk(text) == "concern", classify(text).reasons


def test_cannae_and_not_going_to_lie_are_normalised() -> None:
    assert risk("I cannae see the point in any of it now, I'm just lying here") == "concern"
    # "not gonna lie" is a discourse marker, not a negation of the goodbye letters
    assert risk("not gonna lie, I've been writing goodbye letters tonight") == "crisis"


def test_sibling_hyperbole_is_not_a_threat_but_a_weapon_is() -> None:
    assert risk("ugh my brother finished the cereal again, I'm going to kill him 🙄") == "none"
    result = classify("he hurt my sister again. I'm waiting for him to come home with the hammer")
    assert result.risk == "crisis"
    assert "hostility" in result.flags


def test_telling_someone_to_unalive_themselves_is_hostility_not_risk() -> None:
    result = classify("log off and unalive yourself, nobody rates you")
    assert result.risk == "none"
    assert result.flags == ("hostility",)


def test_insult_about_a_third_person_is_hostility_but_self_criticism_is_not() -> None:
    assert "hostility" in classify("that new mod is a spineless little weasel").flags
    assert "hostility" not in classify("i'm such an idiot, left my keys on the bus").flags


def test_substance_problem_markers_and_traps() -> None:
    assert "substance" in classify("can't sleep without a few cans now and I wake up sweating").flags
    assert "substance" in classify("had a bender all weekend and missed my kid's match").flags
    assert "substance" not in classify("a glass of fizz at my niece's christening, lovely day").flags


def test_reasons_name_both_concepts() -> None:
    reasons = " ".join(classify("at the quarry now. thought i'd say bye").reasons)
    assert "quarry" in reasons and "bye" in reasons


def test_repeated_words_do_not_blow_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pasted wall of trigger words costs a bounded amount of work, however long it is (no timing here:
    ``hearth bench_triage`` times the wall; this counts the work that could grow)."""
    vetted = []
    real_vet = rules._vet

    def counting_vet(*args: Any, **kwargs: Any) -> Hit | None:
        vetted.append(1)
        return real_vet(*args, **kwargs)

    monkeypatch.setattr(rules, "_vet", counting_vet)
    wall = "bridge the roof gave my dog to "
    work = {}
    for times in (100, 400, 1600):
        vetted.clear()
        result = classify(wall * times)
        work[times] = (len(vetted), len(model.features(normalize(wall * times).text)))
        assert result.risk in ("crisis", "concern", "none")
    # Matches vetted per rule are capped and the model reads the first words only: the work stops growing.
    assert work[400] == work[1600], work
    assert work[100][0] <= work[400][0] <= 12 * len(rules._COMPILED)
