"""The first version of the self-assessment, for a typical UK community peer-support service.

Loaded as version 1 by the app's data migration; coordinators change it in the
app (each change is a new version). Tags on options match group tags for
suggestions; topics match the resources directory (hearth/signposting).
"""

from __future__ import annotations

from typing import Any

NO_PREFERENCE = {"id": "any", "label": "No preference", "value": ""}


def _question(
    qid: str, text: str, kind: str, options: list[dict[str, Any]], *, required: bool = False, help: str = ""
) -> dict[str, Any]:
    question: dict[str, Any] = {"id": qid, "text": text, "kind": kind, "required": required, "options": options}
    if help:
        question["help"] = help
    return question


def _choices(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    """Plain options: (id, label) each."""
    return [{"id": oid, "label": label} for oid, label in pairs]


def _preference(qid: str, text: str, preference: str, *choices: tuple[str, str, str]) -> dict[str, Any]:
    """A question whose answer is a talking preference (``preference``): (id, label, value) each, and no preference."""
    options = [{"id": oid, "label": label, "value": value} for oid, label, value in choices]
    return {**_question(qid, text, "single", [*options, NO_PREFERENCE]), "preference": preference}


DEFAULT_QUESTIONNAIRE: dict[str, Any] = {
    "questions": [
        _question(
            "brings",
            "What brings you here?",
            "multi",
            [
                {"id": "lonely", "label": "Feeling lonely or cut off"},
                {"id": "low", "label": "Low mood, worry or anxiety"},
                {"id": "carer", "label": "Looking after someone", "tags": ["carer"]},
                {"id": "student", "label": "Student life", "tags": ["student"]},
                {"id": "mens", "label": "Being a man and finding things hard", "tags": ["men's mental health"]},
                {"id": "loss", "label": "A loss or bereavement"},
                {"id": "meet", "label": "Wanting to meet people who get it"},
                {"id": "other", "label": "Something else"},
            ],
            required=True,
            help="Choose any that fit. There are no wrong answers.",
        ),
        _question(
            "wants",
            "What would you like from us?",
            "multi",
            _choices(
                ("hang_out", "Hang out and see what's going on"),
                ("talk", "Talk to someone one-to-one"),
                ("group", "Join a group about something I care about"),
                ("not_sure", "I'm not sure yet"),
            ),
            required=True,
            help="Choose any. You can change your mind whenever you like.",
        ),
        _question(
            "interests",
            "Would any of these groups interest you?",
            "multi",
            [
                {"id": "making", "label": "Making things: crafts, knitting, woodwork", "tags": ["making", "crafts"]},
                {"id": "games", "label": "Games", "tags": ["gaming"]},
                {"id": "outdoors", "label": "Gardening and the outdoors", "tags": ["gardening"]},
                {"id": "sleep", "label": "Trouble sleeping", "tags": ["sleep"]},
            ],
            help="Optional. We'll suggest groups that match.",
        ),
        _question(
            "today",
            "How are you doing today?",
            "single",
            _choices(("good", "Pretty good"), ("okay", "Okay"), ("low", "Low"), ("struggling", "Really struggling")),
            required=True,
        ),
        _question(
            "safety",
            "Some people who come here are having thoughts of ending their life or harming themselves. "
            "Is that true for you at the moment?",
            "single",
            _choices(
                ("no", "No"),
                ("sometimes", "Sometimes, but I'm safe right now"),
                ("not_safe", "Yes, and I don't feel safe right now"),
                ("rather_not", "I'd rather not say"),
            ),
            help="You don't have to answer. If you're not safe right now, we'll show you who you can talk to "
            "straight away and let someone from our team know.",
        ),
        _question(
            "worries",
            "Is anything practical weighing on you?",
            "multi",
            [
                {"id": "money", "label": "Money, debt or benefits", "topics": ["money", "practical"]},
                {"id": "housing", "label": "Housing", "topics": ["housing", "practical"]},
                {"id": "work", "label": "Work or study", "topics": ["work", "practical"]},
                {"id": "none", "label": "Nothing like that"},
            ],
            help="Optional. We can point you to people who help with these.",
        ),
        _question(
            "substance",
            "Is drinking or drug use the main thing you'd like help with?",
            "single",
            [
                {"id": "main", "label": "Yes, it's the main thing", "topics": ["substance"]},
                {"id": "part", "label": "It's part of it, but not the main thing"},
                {"id": "no", "label": "No"},
            ],
            help="Optional. Either way you're welcome here; some services specialise in this.",
        ),
        _preference(
            "talk_how",
            "If you talk to someone one-to-one, how would you like to?",
            "mode",
            ("text", "Text chat here", "text"),
            ("phone", "A phone call", "phone"),
            ("video", "A video call", "video"),
            ("in_person", "In person, when that's possible", "in_person"),
        ),
        _preference(
            "talk_gender",
            "Would you like to talk with someone of a particular gender?",
            "gender",
            ("woman", "A woman", "woman"),
            ("man", "A man", "man"),
            ("non_binary", "A non-binary person", "non-binary"),
        ),
        _preference(
            "talk_age",
            "Would you like to talk with someone of a similar age?",
            "age_band",
            ("age_18_24", "18 to 24", "18-24"),
            ("age_25_34", "25 to 34", "25-34"),
            ("age_35_49", "35 to 49", "35-49"),
            ("age_50_64", "50 to 64", "50-64"),
            ("age_65_up", "65 and over", "65+"),
        ),
        _preference(
            "talk_experience",
            "Would it help to talk with someone who shares an experience with you?",
            "experience",
            ("carer", "Being a carer", "carer"),
            ("bereavement", "Bereavement", "bereavement"),
            ("student", "Student life", "student life"),
            ("mens", "Men's mental health", "men's mental health"),
            ("lgbtq", "Being LGBTQ+", "LGBTQ+"),
            ("recovery", "Recovery", "recovery"),
        ),
        {
            "id": "anything_else",
            "text": "Is there anything else you'd like us to know?",
            "help": "Optional. Only our peer workers, counsellors and coordinators can read your answers.",
            "kind": "text",
            "required": False,
        },
    ],
    "rules": [
        {"path": "urgent", "any": ["safety.not_safe"], "why": "You told us you don't feel safe right now."},
        {"path": "one_to_one", "any": ["wants.talk"], "why": "You said you'd like to talk to someone one-to-one."},
        {
            "path": "one_to_one",
            "any": ["safety.sometimes", "safety.not_safe", "today.struggling"],
            "why": "Things sound hard at the moment. A one-to-one chat is a gentle first step, before or alongside a group.",
        },
        {
            "path": "outside_scope",
            "any": ["substance.main"],
            "why": "Drinking or drug use is the main thing for you, and there are services that specialise in it.",
        },
        {
            "path": "groups",
            "any": ["wants.hang_out", "wants.group", "wants.not_sure"],
            "why": "You said you'd like to meet people or see what's going on.",
        },
    ],
    "default_path": "groups",
}
