"""The self-assessment as data: its schema, checking answers, and the routing engine.

Pure functions over plain dicts (no database), so the engine is tested on
tables of answer sets. A *definition* is what a coordinator edits::

    {
      "questions": [
        {"id": "wants", "text": "What would you like?", "help": "", "kind": "multi",   # single | multi | text
         "required": true,
         "options": [{"id": "groups", "label": "Join a group",
                      "tags": ["carers"],         # optional: group tags to suggest
                      "topics": ["money"],        # optional: directory topics to signpost
                      "value": "video"}]},        # optional: for preference questions
        {"id": "talk_how", "kind": "single", "preference": "mode", ...}                 # mode | gender | age_band | experience
      ],
      "rules": [{"path": "one_to_one", "any": ["wants.talk"], "all": [], "why": "You said you'd like to talk."}],
      "default_path": "groups"
    }

A rule applies when at least one of ``any`` (if given) and every one of
``all`` (if given) is among the chosen ``question.option`` tokens. Every rule
that applies adds its path, so several paths can apply; when none does, the
``default_path`` applies. A free-text answer that the safety triage reads as a
crisis adds the urgent path too, and drink, drug or practical worries in it
add signposting topics: nobody's "I can't go on" waits behind a checkbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hearth.core.errors import ActionError
from hearth.intake.models import PATH_ORDER, Path

KINDS = ("single", "multi", "text")
PREFERENCES = ("mode", "gender", "age_band", "experience")
MODE_VALUES = ("text", "phone", "video", "in_person")
TOPICS = ("crisis", "substance", "practical", "money", "housing", "work", "mental_health", "counselling")
MAX_QUESTIONS = 40
MAX_OPTIONS = 20
MAX_RULES = 60
MAX_TEXT_ANSWER = 1000
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class DefinitionError(ActionError):
    """A questionnaire definition a coordinator wrote doesn't follow the schema; the message says where."""


# --- Checking a definition ---------------------------------------------------------------------


def _text(value: Any, where: str, *, limit: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DefinitionError(f"{where} must be text.")
    text: str = value.strip()
    if required and not text:
        raise DefinitionError(f"{where} is empty. Please write something there.")
    if len(text) > limit:
        raise DefinitionError(f"{where} is too long: keep it under {limit} characters.")
    return text


def _str_list(value: Any, where: str, allowed: tuple[str, ...] | None = None) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DefinitionError(f'{where} must be a list of words in quotes, like ["money", "housing"].')
    out = [" ".join(v.split()).lower() for v in value if v.strip()]
    if allowed is not None:
        unknown = [v for v in out if v not in allowed]
        if unknown:
            raise DefinitionError(f"{where} has {', '.join(unknown)}; choose from {', '.join(allowed)}.")
    return out


def check_definition(raw: Any) -> dict[str, Any]:
    """A clean copy of ``raw`` if it follows the schema; else :class:`DefinitionError` saying what to fix."""
    if not isinstance(raw, dict):
        raise DefinitionError('The questionnaire must be an object with "questions" and "rules".')
    unknown_keys = set(raw) - {"questions", "rules", "default_path"}
    if unknown_keys:
        raise DefinitionError(f"Unknown part of the questionnaire: {', '.join(sorted(unknown_keys))}.")
    questions_raw = raw.get("questions")
    if not isinstance(questions_raw, list) or not questions_raw:
        raise DefinitionError("Add at least one question.")
    if len(questions_raw) > MAX_QUESTIONS:
        raise DefinitionError(f"Keep it short: at most {MAX_QUESTIONS} questions.")
    questions: list[dict[str, Any]] = []
    tokens: set[str] = set()
    seen_ids: set[str] = set()
    preferences: set[str] = set()
    for n, q in enumerate(questions_raw, start=1):
        where = f"Question {n}"
        if not isinstance(q, dict):
            raise DefinitionError(f"{where} must be an object with an id, text and kind.")
        qid = q.get("id")
        if not isinstance(qid, str) or not _ID.match(qid):
            raise DefinitionError(f"{where} needs an id: lower-case letters, digits and _, starting with a letter.")
        if qid in seen_ids:
            raise DefinitionError(f"Two questions use the id {qid!r}. Each needs its own.")
        seen_ids.add(qid)
        where = f"Question {qid!r}"
        kind = q.get("kind")
        if kind not in KINDS:
            raise DefinitionError(f"{where}: kind must be one of {', '.join(KINDS)}.")
        clean: dict[str, Any] = {
            "id": qid,
            "text": _text(q.get("text"), f"{where}'s text", limit=300),
            "help": _text(q.get("help"), f"{where}'s help", limit=400, required=False),
            "kind": kind,
            "required": bool(q.get("required", False)),
        }
        preference = q.get("preference") or ""
        if preference:
            if preference not in PREFERENCES or kind != "single":
                raise DefinitionError(
                    f"{where}: a preference ({', '.join(PREFERENCES)}) must be a single-choice question."
                )
            if preference in preferences:
                raise DefinitionError(f"Only one question can ask for the {preference} preference.")
            preferences.add(preference)
            clean["preference"] = preference
        if kind == "text":
            if q.get("options"):
                raise DefinitionError(f"{where} is a text question, so it can't have options.")
            clean["options"] = []
        else:
            options_raw = q.get("options")
            if not isinstance(options_raw, list) or not options_raw:
                raise DefinitionError(f"{where} needs at least one option.")
            if len(options_raw) > MAX_OPTIONS:
                raise DefinitionError(f"{where} has too many options: at most {MAX_OPTIONS}.")
            options = []
            option_ids: set[str] = set()
            for m, o in enumerate(options_raw, start=1):
                if not isinstance(o, dict):
                    raise DefinitionError(f"{where}, option {m} must be an object with an id and a label.")
                oid = o.get("id")
                if not isinstance(oid, str) or not _ID.match(oid):
                    raise DefinitionError(
                        f"{where}, option {m} needs an id: lower-case letters, digits and _, starting with a letter."
                    )
                if oid in option_ids:
                    raise DefinitionError(f"{where} has two options with the id {oid!r}.")
                option_ids.add(oid)
                option: dict[str, Any] = {
                    "id": oid,
                    "label": _text(o.get("label"), f"{where}, option {oid!r}", limit=150),
                }
                tags = _str_list(o.get("tags"), f"{where}, option {oid!r} tags")
                topics = _str_list(o.get("topics"), f"{where}, option {oid!r} topics", TOPICS)
                if tags:
                    option["tags"] = tags
                if topics:
                    option["topics"] = topics
                value = o.get("value", "")
                if preference:
                    value = _text(value, f"{where}, option {oid!r} value", limit=60, required=False)
                    if preference == "mode" and value and value not in MODE_VALUES:
                        raise DefinitionError(
                            f"{where}, option {oid!r}: value must be one of {', '.join(MODE_VALUES)}."
                        )
                    option["value"] = value
                options.append(option)
                tokens.add(f"{qid}.{oid}")
            clean["options"] = options
        questions.append(clean)

    rules_raw = raw.get("rules", [])
    if not isinstance(rules_raw, list):
        raise DefinitionError("The rules must be a list.")
    if len(rules_raw) > MAX_RULES:
        raise DefinitionError(f"At most {MAX_RULES} rules.")
    paths = [p.value for p in Path]
    rules = []
    for n, r in enumerate(rules_raw, start=1):
        where = f"Rule {n}"
        if not isinstance(r, dict):
            raise DefinitionError(f"{where} must be an object with a path and conditions.")
        if r.get("path") not in paths:
            raise DefinitionError(f"{where}: path must be one of {', '.join(paths)}.")
        any_of = _str_list(r.get("any"), f"{where} 'any'")
        all_of = _str_list(r.get("all"), f"{where} 'all'")
        if not any_of and not all_of:
            raise DefinitionError(f"{where} needs a condition: options in 'any' or 'all', like \"wants.talk\".")
        for token in any_of + all_of:
            if token not in tokens:
                raise DefinitionError(
                    f"{where} refers to {token!r}, which isn't a question.option in this questionnaire."
                )
        rules.append(
            {
                "path": r["path"],
                "any": any_of,
                "all": all_of,
                "why": _text(r.get("why"), f"{where}'s 'why'", limit=300, required=False),
            }
        )
    default_path = raw.get("default_path", Path.GROUPS.value)
    if default_path not in paths:
        raise DefinitionError(f"default_path must be one of {', '.join(paths)}.")
    return {"questions": questions, "rules": rules, "default_path": default_path}


# --- Checking answers ----------------------------------------------------------------------------


def check_answers(definition: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """Clean answers (question id -> list of option ids, or text) or :class:`ActionError`.

    Refuses tampered input (unknown questions or options, several answers to a
    single-choice question), skipped required questions and over-long text,
    with a message that names the question. Unanswered optional questions are
    left out.
    """
    by_id = {q["id"]: q for q in definition["questions"]}
    unknown = sorted(set(raw) - set(by_id))
    if unknown:
        raise ActionError("Some answers don't match the questions on the page. Please reload it and try again.")
    clean: dict[str, Any] = {}
    for q in definition["questions"]:
        value = raw.get(q["id"])
        if q["kind"] == "text":
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise ActionError(f"“{q['text']}” takes a written answer. Please reload the page and try again.")
            value = value.strip()
            if len(value) > MAX_TEXT_ANSWER:
                raise ActionError(
                    f"Your answer to “{q['text']}” is {len(value)} characters long. Please keep it under "
                    f"{MAX_TEXT_ANSWER}: you can say more to a person later."
                )
            if value:
                clean[q["id"]] = value
        else:
            if value in (None, ""):
                chosen: list[str] = []
            elif isinstance(value, str):
                chosen = [value]
            elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
                chosen = list(dict.fromkeys(value))
            else:
                raise ActionError(f"We couldn't read your answer to “{q['text']}”. Please choose again.")
            option_ids = {o["id"] for o in q["options"]}
            if any(c not in option_ids for c in chosen):
                raise ActionError(
                    f"One of the answers to “{q['text']}” isn't one of its options (the questions may have "
                    "changed). Please choose again."
                )
            if q["kind"] == "single" and len(chosen) > 1:
                raise ActionError(f"Please choose just one answer to “{q['text']}”.")
            if chosen:
                clean[q["id"]] = chosen
        if q["required"] and q["id"] not in clean:
            raise ActionError(f"Please answer “{q['text']}”. It helps us suggest what might suit you.")
    return clean


# --- Routing -----------------------------------------------------------------------------------------


@dataclass
class Routing:
    """What a set of answers points to. ``paths`` in display order; ``reasons`` per path (kind words)."""

    paths: list[str]
    reasons: dict[str, list[str]] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)  # group tags to suggest
    topics: list[str] = field(default_factory=list)  # directory topics to signpost
    preferences: dict[str, str] = field(default_factory=dict)  # mode / gender / age_band / experience


def _tokens(answers: dict[str, Any]) -> set[str]:
    return {f"{qid}.{oid}" for qid, value in answers.items() if isinstance(value, list) for oid in value}


def route(definition: dict[str, Any], answers: dict[str, Any], *, triage: bool = True) -> Routing:
    """The paths ``answers`` (already checked) lead to under ``definition``'s rules."""
    chosen = _tokens(answers)
    reasons: dict[str, list[str]] = {}
    for rule in definition["rules"]:
        any_ok = not rule["any"] or bool(chosen.intersection(rule["any"]))
        all_ok = all(token in chosen for token in rule["all"])
        if any_ok and all_ok:
            bucket = reasons.setdefault(rule["path"], [])
            if rule["why"] and rule["why"] not in bucket:
                bucket.append(rule["why"])
    tags: dict[str, None] = {}
    topics: dict[str, None] = {}
    preferences: dict[str, str] = {}
    for q in definition["questions"]:
        picked = answers.get(q["id"])
        if q["kind"] == "text":
            if triage and isinstance(picked, str) and picked:
                _triage_text(picked, reasons, topics)
            continue
        for option in q["options"]:
            if isinstance(picked, list) and option["id"] in picked:
                tags.update(dict.fromkeys(option.get("tags", [])))
                topics.update(dict.fromkeys(option.get("topics", [])))
                if q.get("preference") and option.get("value"):
                    preferences[q["preference"]] = option["value"]
    if not reasons:
        reasons[definition.get("default_path", Path.GROUPS.value)] = []
    if topics and Path.OUTSIDE_SCOPE.value not in reasons:
        # A worry another service helps with gets its signposts too, alongside whatever else applies.
        reasons[Path.OUTSIDE_SCOPE.value] = []
    paths = [p.value for p in PATH_ORDER if p.value in reasons]
    return Routing(paths=paths, reasons=reasons, tags=list(tags), topics=list(topics), preferences=preferences)


def written_answers(definition: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    """The member's own words: every written (free-text) answer, in question order."""
    return [
        answers[q["id"]]
        for q in definition["questions"]
        if q["kind"] == "text" and isinstance(answers.get(q["id"]), str)
    ]


def _triage_text(text: str, reasons: dict[str, list[str]], topics: dict[str, None]) -> None:
    from hearth.safety.triage import classify

    result = classify(text)
    if result.risk == "crisis":
        reasons.setdefault(Path.URGENT.value, []).append(
            "Something you wrote sounded like things are very hard right now."
        )
    for flag in result.flags:
        if flag in ("substance", "practical"):
            topics[flag] = None


# --- Explaining answers --------------------------------------------------------------------------------


def explain(definition: dict[str, Any], answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Answers as people read them, in the words of the version they answered: [{"question", "answer"}]."""
    rows = []
    for q in definition["questions"]:
        value = answers.get(q["id"])
        if value in (None, "", []):
            rows.append({"question": q["text"], "answer": "", "answered": False})
            continue
        if q["kind"] == "text":
            shown = str(value)
        else:
            labels = {o["id"]: o["label"] for o in q["options"]}
            shown = "; ".join(labels.get(v, v) for v in value)
        rows.append({"question": q["text"], "answer": shown, "answered": True})
    return rows
