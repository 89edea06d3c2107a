"""The learned lexicon: loading, determinism, reasons, and how it combines with the rules."""

from __future__ import annotations

import json
from pathlib import Path

from hearth.safety.triage import classify, classify_rules, model
from hearth.safety.triage.normalize import normalize
from hearth.safety.triage.rules import combine


def test_shipped_weights_load_and_are_small() -> None:
    lex = model.load()
    assert lex is not None, "hearth/safety/triage/weights.json is missing or unreadable"
    assert model.WEIGHTS_PATH.stat().st_size < 400_000
    assert set(lex.thresholds) >= {"crisis", "risk", "hostility", "substance", "practical"}
    meta = json.loads(model.WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert len(meta["trained_on"]) >= 27  # every labelled set (issue 20: chosen by leave-one-set-out)
    assert meta["n_train"] == sum(meta["trained_on"].values())


def test_missing_weights_fall_back_to_the_rules(tmp_path: Path) -> None:
    assert model.load(str(tmp_path / "nope.json")) is None
    text = "my neighbour knows to take the budgie. i won't be a bother to anyone after friday"
    assert classify(text, None) == classify_rules(text)
    assert classify(text, False) == classify_rules(text)


def test_prediction_is_deterministic_and_probabilities_sum_to_one() -> None:
    lex = model.load()
    assert lex is not None
    text = "took the lot about an hour ago, feeling really sleepy now, sorry everyone"
    a, b = lex.predict(text), lex.predict(text)
    assert a == b
    assert abs(sum(a.probs.values()) - 1.0) < 1e-9
    assert classify(text) == classify(text)


def test_learned_reasons_name_ngrams_with_weights() -> None:
    text = "the tablets are all counted out and i've written the letters. tonight's the night"
    result = classify(text)
    assert result.risk == "crisis"
    lex = model.load()
    assert lex is not None
    pred = lex.predict(normalize(text).text)
    assert pred.top and all(w > 0 for _, w in pred.top)
    assert all(" " in g or g.isalnum() for g, _ in pred.top)


def test_model_lifts_risk_the_rules_miss_and_reason_says_so() -> None:
    # Wording the rules have no pattern for; the model has seen the concept.
    text = "honestly cant see a way through any of this anymore, everyone would cope fine without me around"
    result = classify(text)
    assert result.risk in ("concern", "crisis")
    if classify_rules(text).risk == "none":
        assert any("learned lexicon" in r for r in result.reasons)


def test_empty_and_tiny_messages_stay_with_the_rules() -> None:
    assert classify("").risk == "none"
    assert classify("🙂").risk == "none"
    assert classify("Anyone fancy the allotment on Saturday?").risk == "none"


def test_combine_takes_the_more_urgent_and_a_veto_caps_at_concern() -> None:
    t = {"crisis": 0.3, "risk": 0.5}
    assert combine("crisis", {"crisis": 0.0, "concern": 0.0, "none": 1.0}, t) == ("crisis", "rules")
    assert combine("none", {"crisis": 0.6, "concern": 0.1, "none": 0.3}, t) == ("crisis", "model")
    assert combine("none", {"crisis": 0.6, "concern": 0.1, "none": 0.3}, t, veto=True) == ("concern", "model")
    assert combine("concern", {"crisis": 0.1, "concern": 0.5, "none": 0.4}, t) == ("concern", "both")


def test_rules_vetoes_hold_against_the_model() -> None:
    assert classify("I've decided. Tonight I'm finally going to dye my hair blue").risk != "crisis"
    assert classify("this exam is literally killing me lol, want to die").risk != "crisis"


# Written for this test: everyday lines from a friendly group, none of which is about risk.
EVERYDAY = [
    "Love this!",
    "Thanks for posting, made me smile",
    "Anyone up for the quiz on Thursday night?",
    "That jumper looks amazing, what wool is it?",
    "Morning all, grey and drizzly here but the tea is good",
    "Ha, same, my cat does exactly that",
    "Welcome! Glad you found us.",
    "Pull up a chair, no need to say anything",
    "Which board game was it? We have Carcassonne at the café",
    "Finished my allotment shed today, very muddy and very happy",
]


def test_the_learned_lexicon_never_raises_ordinary_chat() -> None:
    """On a few friendly words the model's probabilities sit near its training mix; it must not lift those."""
    from hearth.safety.triage import classify

    for line in EVERYDAY:
        result = classify(line)
        assert result.risk == "none", (line, result)
        assert "hostility" not in result.flags, (line, result)
