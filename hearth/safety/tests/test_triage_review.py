"""The second thresholds (issue 20): messages the gate keeps from the model still meet a person.

The gate stops the learned lexicon from raising the level of a message with no word from its lists of harm and
distress, or one the rules discounted (a negation, a joke). Some crises are written exactly like that. When the
model is confident about them they go to the moderation queue as *review* (within the hour), never as an alarm.
All wording is fresh, written for these tests.
"""

from __future__ import annotations

import json

import pytest

from hearth.safety.triage import RISKS, ModelGate, classify, decide_with_model, model
from hearth.safety.triage import training as tr

SHIPPED = {"crisis": 0.3, "risk": 0.73, "review": 0.06, "review_gated": 0.37, "alarm_gated": 0.66}


@pytest.mark.parametrize(
    "gate",
    [
        # belongings given away and a thank-you: no word from the gate's lists of harm or distress
        ModelGate(words=20, distress=False, territory=False, veto=False),
        # distress but no word from the territory of harm ("I'm so tired. Signed the van over to my nephew…")
        ModelGate(words=20, distress=True, territory=False, veto=False),
        # the rules read a negation ("I'm not doing it. I've taken the pills…")
        ModelGate(words=20, distress=True, territory=True, veto=True),
    ],
)
def test_a_confident_model_sends_what_the_gate_holds_back_to_review_not_to_the_alarm(gate: ModelGate) -> None:
    # Confident, but below the alarm's higher threshold for these messages (a veto'd one never alarms from it).
    risk, _, review = decide_with_model("none", {"crisis": 0.6, "concern": 0.05, "none": 0.35}, gate, SHIPPED)
    assert risk != "crisis" and review
    # ... from the higher threshold only: a model that is barely interested sends nothing.
    risk, _, review = decide_with_model("none", {"crisis": 0.2, "concern": 0.1, "none": 0.7}, gate, SHIPPED)
    assert (risk, review) == ("none", False)


@pytest.mark.parametrize(
    "gate",
    [
        ModelGate(words=20, distress=False, territory=False, veto=False),
        ModelGate(words=20, distress=True, territory=False, veto=False),
    ],
)
def test_a_very_sure_model_raises_the_alarm_without_words_of_harm(gate: ModelGate) -> None:
    sure = {"crisis": 0.9, "concern": 0.05, "none": 0.05}
    assert decide_with_model("none", sure, gate, SHIPPED) == ("crisis", "held", False)
    # Between the two thresholds it is review, not an alarm.
    risk, _, review = decide_with_model("none", {"crisis": 0.5, "concern": 0.1, "none": 0.4}, gate, SHIPPED)
    assert risk != "crisis" and review


@pytest.mark.parametrize(
    "gate",
    [
        ModelGate(words=20, distress=True, territory=True, veto=True),  # the rules' veto: a negation, a joke
        ModelGate(words=3, distress=False, territory=False, veto=False),  # too short to judge
        ModelGate(words=20, distress=True, territory=False, veto=False, cap="safety step"),
    ],
)
def test_the_rules_vetoes_short_messages_and_safety_steps_never_alarm_from_the_higher_threshold(
    gate: ModelGate,
) -> None:
    risk, _, _ = decide_with_model("none", {"crisis": 0.99, "concern": 0.0, "none": 0.01}, gate, SHIPPED)
    assert risk != "crisis"


def test_belongings_given_away_with_thanks_raise_the_alarm_with_a_reason_staff_can_read() -> None:
    result = classify(
        "gave my bike to the lad next door and my tools to my brother. squared up every debt. "
        "thanks for listening all of you"
    )
    assert result.risk == "crisis"
    assert any("very sure although none of the usual words of harm" in r for r in result.reasons), result.reasons


def test_a_show_off_on_a_climbing_wall_is_not_a_crisis() -> None:
    # Retrained with the disability set (issue 20, fourth round): P(crisis) 0.61, under the higher alarm threshold
    # for messages with no word of harm (0.66) — a narrow margin; a review, not an alarm.
    assert classify("my mate is at the top of the climbing wall and won't come down, show off").risk != "crisis"


def test_short_messages_and_errands_are_never_reviewed() -> None:
    probs = {"crisis": 0.9, "concern": 0.05, "none": 0.05}
    short = ModelGate(words=3, distress=False, territory=False, veto=False)
    errand = ModelGate(words=12, distress=True, territory=True, veto=False, cap="everyday errand")
    assert decide_with_model("none", probs, short, SHIPPED)[2] is False
    risk, _, review = decide_with_model("none", probs, errand, SHIPPED)
    assert risk != "crisis" and review is False  # an errand: concern at most, never an alarm or review


@pytest.mark.parametrize(
    "text",
    [
        "Love this!",
        "does anyone know if the Tuesday group is running over the bank holiday weekend",
        "the new puppy chewed through my headphone cable again, honestly she is a menace but so cute",
        "finished my allotment shed today, very muddy and very happy with it",
        "morning all, grey and drizzly here but the tea is good",
    ],
)
def test_ordinary_chat_is_not_sent_to_review(text: str) -> None:
    result = classify(text)
    assert (result.risk, result.review) == ("none", False), result.reasons


ERRAND = "parked on the top floor of the car park again, lifts were broken"


def test_an_errand_at_a_place_is_never_an_alarm_or_reviewed() -> None:
    result = classify(ERRAND)
    assert result.risk != "crisis" and result.review is False, result.reasons
    assert any(r.startswith("everyday errand") for r in result.reasons), result.reasons


@pytest.mark.xfail(
    strict=True,
    reason="issue 20, round 8: retrained on 36 sets the learned lexicon gives the errand P(crisis) 0.66, which the "
    "errand cap turns into concern (letting the model add nothing to an errand cost two labelled risks elsewhere)",
)
def test_an_errand_at_a_place_is_nothing() -> None:
    assert classify(ERRAND).risk == "none", classify(ERRAND).reasons


def test_the_second_band_sits_above_the_first_and_is_what_ships() -> None:
    lex = model.load()
    assert lex is not None
    assert lex.thresholds["review"] < lex.thresholds["review_gated"] < lex.thresholds["crisis"] + 0.5
    assert lex.thresholds["crisis"] < lex.thresholds["alarm_gated"] < 1
    cv = json.loads(model.WEIGHTS_PATH.read_text(encoding="utf-8"))["cross_validation"]
    # Cross-validated: the alarm or the review band meets most crises, at a bounded cost in ordinary messages.
    assert cv["review_recall"] >= 0.94
    assert cv["review_rate_none"] <= tr.REVIEW_BUDGET + tr.REVIEW_GATED_BUDGET + 0.005


def _toy_rows() -> list[tr.Row]:
    texts = [
        ("took every tablet in the box an hour ago and im so sleepy now", "crisis"),
        ("gave the dog to my sister and the car to my brother, thanks for everything", "crisis"),
        ("not going to lie it has been a rough week at work but the weekend is close", "none"),
        ("anyone up for the quiz on thursday night at the pub", "none"),
        ("cant sleep again and feel like a burden to everyone lately", "concern"),
        ("Love this!", "none"),
    ]
    items = tr.prepare("toy", [{"id": str(i), "text": t, "risk": r} for i, (t, r) in enumerate(texts)])
    probs = [(0.9, 0.05), (0.5, 0.1), (0.45, 0.1), (0.2, 0.1), (0.1, 0.8), (0.6, 0.1)]
    return [
        tr.Row(it, {"crisis": c, "concern": k, "none": 1 - c - k}, {}) for it, (c, k) in zip(items, probs, strict=True)
    ]


@pytest.mark.parametrize("review, gated", [(0.06, 0.38), (0.3, 0.4), (0.06, 1.01), (0.5, 0.2)])
@pytest.mark.parametrize("alarm_gated", [0.45, 0.85, 1.01])
def test_the_fast_search_decides_the_same_as_classify(review: float, gated: float, alarm_gated: float) -> None:
    rows = _toy_rows()
    cfg = tr.Config(min_words=5)
    t = {"crisis": 0.95, "risk": 0.9, "review": review, "review_gated": gated, "alarm_gated": alarm_gated}
    arr = tr._Arrays(rows, cfg)
    pred = arr.risk(t["crisis"], t["risk"], alarm_gated)
    decided = [tr.decide(r, t, cfg) for r in rows]
    assert [RISKS[2 - int(k)] for k in pred] == [d.risk for d in decided]
    assert list(arr.reviewed(pred, review, gated)) == [d.review for d in decided]
