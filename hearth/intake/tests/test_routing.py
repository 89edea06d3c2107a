"""The routing engine on tables of answer sets, and checking what coordinators write."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

import pytest

from hearth.core.errors import ActionError
from hearth.intake.defaults import DEFAULT_QUESTIONNAIRE
from hearth.intake.questionnaire import DefinitionError, check_answers, check_definition, route

DEFINITION = check_definition(DEFAULT_QUESTIONNAIRE)
BASE = {"brings": ["meet"], "wants": ["hang_out"], "today": ["okay"]}


@pytest.mark.parametrize(
    ("extra", "paths"),
    [
        ({}, ["groups"]),
        ({"wants": ["group"], "interests": ["making"]}, ["groups"]),
        ({"wants": ["talk"]}, ["one_to_one"]),
        ({"wants": ["talk", "group"]}, ["one_to_one", "groups"]),
        ({"today": ["struggling"]}, ["one_to_one", "groups"]),
        ({"safety": ["sometimes"]}, ["one_to_one", "groups"]),
        ({"safety": ["not_safe"]}, ["urgent", "one_to_one", "groups"]),
        ({"safety": ["rather_not"]}, ["groups"]),
        ({"wants": ["not_sure"], "substance": ["main"]}, ["outside_scope", "groups"]),
        ({"wants": ["talk"], "substance": ["main"]}, ["one_to_one", "outside_scope"]),
        ({"substance": ["part"]}, ["groups"]),
        ({"worries": ["money", "housing"]}, ["outside_scope", "groups"]),
        ({"worries": ["none"]}, ["groups"]),
        (
            {"wants": ["talk", "hang_out"], "safety": ["not_safe"], "substance": ["main"], "worries": ["money"]},
            ["urgent", "one_to_one", "outside_scope", "groups"],
        ),
        # Nothing in "wants" that a rule knows about: the default path, never nothing.
        ({"wants": ["talk"], "today": ["good"], "brings": ["other"]}, ["one_to_one"]),
    ],
)
def test_answer_sets_route_to_paths(extra: dict[str, Any], paths: list[str]) -> None:
    answers = check_answers(DEFINITION, {**BASE, **extra})
    assert route(DEFINITION, answers, triage=False).paths == paths


def test_an_answer_set_no_rule_matches_gets_the_default_path() -> None:
    definition = copy.deepcopy(DEFINITION)
    definition["rules"] = [r for r in definition["rules"] if r["path"] != "groups"]
    answers = check_answers(definition, BASE)
    assert route(definition, answers).paths == ["groups"]
    definition["default_path"] = "one_to_one"
    assert route(definition, answers).paths == ["one_to_one"]


def test_reasons_tags_topics_and_preferences_come_from_the_chosen_options() -> None:
    answers = check_answers(
        DEFINITION,
        {
            **BASE,
            "wants": ["talk", "group"],
            "interests": ["games"],
            "worries": ["housing"],
            "talk_how": ["video"],
            "talk_gender": ["woman"],
            "talk_age": ["age_25_34"],
            "talk_experience": ["carer"],
        },
    )
    routing = route(DEFINITION, answers)
    assert routing.reasons["one_to_one"] == ["You said you'd like to talk to someone one-to-one."]
    assert routing.tags == ["gaming"]
    assert routing.topics == ["housing", "practical"]
    assert routing.preferences == {"mode": "video", "gender": "woman", "age_band": "25-34", "experience": "carer"}


def test_an_edited_rule_set_routes_the_same_answers_differently() -> None:
    edited = copy.deepcopy(DEFAULT_QUESTIONNAIRE)
    # The coordinator decides anyone low today starts one-to-one, and carers with money worries get advice.
    edited["rules"].append({"path": "one_to_one", "any": ["today.low"], "why": "A chat first might be nice."})
    edited["rules"].append(
        {"path": "outside_scope", "all": ["brings.carer", "worries.money"], "why": "Carers' advice."}
    )
    definition = check_definition(edited)
    answers = check_answers(definition, {**BASE, "today": ["low"], "brings": ["carer"]})
    assert route(DEFINITION, answers).paths == ["groups"]
    assert route(definition, answers).paths == ["one_to_one", "groups"]
    both = check_answers(definition, {**BASE, "brings": ["carer"], "worries": ["money"]})
    assert route(definition, both).reasons["outside_scope"] == ["Carers' advice."]
    only_one = check_answers(definition, {**BASE, "brings": ["carer"], "worries": ["housing"]})
    assert route(definition, only_one).reasons["outside_scope"] == []  # topics signpost, the "all" rule doesn't apply


def test_a_written_answer_that_sounds_like_a_crisis_adds_the_urgent_path() -> None:
    answers = check_answers(DEFINITION, {**BASE, "anything_else": "I want to kill myself tonight"})
    assert "urgent" in route(DEFINITION, answers).paths
    assert "urgent" not in route(DEFINITION, answers, triage=False).paths


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({**BASE, "wants": ["fly_to_the_moon"]}, "isn't one of its options"),
        ({**BASE, "made_up_question": ["x"]}, "don't match the questions"),
        ({"brings": ["meet"], "today": ["okay"]}, "Please answer “What would you like from us?”"),
        ({**BASE, "wants": []}, "Please answer"),
        ({**BASE, "today": ["good", "low"]}, "just one answer"),
        ({**BASE, "anything_else": "x" * 1001}, "keep it under 1000"),
        ({**BASE, "anything_else": ["not", "text"]}, "takes a written answer"),
        ({**BASE, "wants": [3]}, "couldn't read your answer"),
    ],
)
def test_tampered_or_incomplete_answers_are_refused_with_a_clear_message(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(ActionError, match=re.escape(message)):
        check_answers(DEFINITION, raw)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(questions=[]), "at least one question"),
        (lambda d: d["questions"][1].update(id="brings"), "Two questions use the id"),
        (lambda d: d["questions"][0].update(kind="slider"), "kind must be one of"),
        (lambda d: d["questions"][0].update(options=[]), "needs at least one option"),
        (lambda d: d["questions"][0].update(text=""), "is empty"),
        (lambda d: d["questions"][0]["options"][0].update(id="Has Spaces"), "needs an id"),
        (lambda d: d["questions"][5]["options"][0].update(topics=["astrology"]), "choose from"),
        (lambda d: d["rules"].append({"path": "groups", "any": ["wants.nope"]}), "isn't a question.option"),
        (lambda d: d["rules"].append({"path": "elsewhere", "any": ["wants.talk"]}), "path must be one of"),
        (lambda d: d["rules"].append({"path": "groups"}), "needs a condition"),
        (lambda d: d["questions"][7]["options"][0].update(value="carrier pigeon"), "value must be one of"),
        (lambda d: d.update(extra=1), "Unknown part"),
    ],
)
def test_a_broken_definition_is_refused_saying_where(change: Callable[[Any], None], message: str) -> None:
    definition = copy.deepcopy(DEFAULT_QUESTIONNAIRE)
    change(definition)
    with pytest.raises(DefinitionError, match=message):
        check_definition(definition)
