"""The first version of the self-assessment, for a typical UK community peer-support service.

Loaded as version 1 by the app's data migration; coordinators change it in the
app (each change is a new version). Tags on options match group tags for
suggestions; topics match the resources directory (hearth/signposting).
"""

from __future__ import annotations

from typing import Any

NO_PREFERENCE = {"id": "any", "label": "No preference", "value": ""}

DEFAULT_QUESTIONNAIRE: dict[str, Any] = {
    "questions": [
        {
            "id": "brings",
            "text": "What brings you here?",
            "help": "Choose any that fit. There are no wrong answers.",
            "kind": "multi",
            "required": True,
            "options": [
                {"id": "lonely", "label": "Feeling lonely or cut off"},
                {"id": "low", "label": "Low mood, worry or anxiety"},
                {"id": "carer", "label": "Looking after someone", "tags": ["carer"]},
                {"id": "student", "label": "Student life", "tags": ["student"]},
                {"id": "mens", "label": "Being a man and finding things hard", "tags": ["men's mental health"]},
                {"id": "loss", "label": "A loss or bereavement"},
                {"id": "meet", "label": "Wanting to meet people who get it"},
                {"id": "other", "label": "Something else"},
            ],
        },
        {
            "id": "wants",
            "text": "What would you like from us?",
            "help": "Choose any. You can change your mind whenever you like.",
            "kind": "multi",
            "required": True,
            "options": [
                {"id": "hang_out", "label": "Hang out and see what's going on"},
                {"id": "talk", "label": "Talk to someone one-to-one"},
                {"id": "group", "label": "Join a group about something I care about"},
                {"id": "not_sure", "label": "I'm not sure yet"},
            ],
        },
        {
            "id": "interests",
            "text": "Would any of these groups interest you?",
            "help": "Optional. We'll suggest groups that match.",
            "kind": "multi",
            "required": False,
            "options": [
                {"id": "making", "label": "Making things: crafts, knitting, woodwork", "tags": ["making", "crafts"]},
                {"id": "games", "label": "Games", "tags": ["gaming"]},
                {"id": "outdoors", "label": "Gardening and the outdoors", "tags": ["gardening"]},
                {"id": "sleep", "label": "Trouble sleeping", "tags": ["sleep"]},
            ],
        },
        {
            "id": "today",
            "text": "How are you doing today?",
            "kind": "single",
            "required": True,
            "options": [
                {"id": "good", "label": "Pretty good"},
                {"id": "okay", "label": "Okay"},
                {"id": "low", "label": "Low"},
                {"id": "struggling", "label": "Really struggling"},
            ],
        },
        {
            "id": "safety",
            "text": "Some people who come here are having thoughts of ending their life or harming themselves. "
            "Is that true for you at the moment?",
            "help": "You don't have to answer. If you're not safe right now, we'll show you who you can talk to "
            "straight away and let someone from our team know.",
            "kind": "single",
            "required": False,
            "options": [
                {"id": "no", "label": "No"},
                {"id": "sometimes", "label": "Sometimes, but I'm safe right now"},
                {"id": "not_safe", "label": "Yes, and I don't feel safe right now"},
                {"id": "rather_not", "label": "I'd rather not say"},
            ],
        },
        {
            "id": "worries",
            "text": "Is anything practical weighing on you?",
            "help": "Optional. We can point you to people who help with these.",
            "kind": "multi",
            "required": False,
            "options": [
                {"id": "money", "label": "Money, debt or benefits", "topics": ["money", "practical"]},
                {"id": "housing", "label": "Housing", "topics": ["housing", "practical"]},
                {"id": "work", "label": "Work or study", "topics": ["work", "practical"]},
                {"id": "none", "label": "Nothing like that"},
            ],
        },
        {
            "id": "substance",
            "text": "Is drinking or drug use the main thing you'd like help with?",
            "help": "Optional. Either way you're welcome here; some services specialise in this.",
            "kind": "single",
            "required": False,
            "options": [
                {"id": "main", "label": "Yes, it's the main thing", "topics": ["substance"]},
                {"id": "part", "label": "It's part of it, but not the main thing"},
                {"id": "no", "label": "No"},
            ],
        },
        {
            "id": "talk_how",
            "text": "If you talk to someone one-to-one, how would you like to?",
            "kind": "single",
            "required": False,
            "preference": "mode",
            "options": [
                {"id": "text", "label": "Text chat here", "value": "text"},
                {"id": "phone", "label": "A phone call", "value": "phone"},
                {"id": "video", "label": "A video call", "value": "video"},
                {"id": "in_person", "label": "In person, when that's possible", "value": "in_person"},
                NO_PREFERENCE,
            ],
        },
        {
            "id": "talk_gender",
            "text": "Would you like to talk with someone of a particular gender?",
            "kind": "single",
            "required": False,
            "preference": "gender",
            "options": [
                {"id": "woman", "label": "A woman", "value": "woman"},
                {"id": "man", "label": "A man", "value": "man"},
                {"id": "non_binary", "label": "A non-binary person", "value": "non-binary"},
                NO_PREFERENCE,
            ],
        },
        {
            "id": "talk_age",
            "text": "Would you like to talk with someone of a similar age?",
            "kind": "single",
            "required": False,
            "preference": "age_band",
            "options": [
                {"id": "age_18_24", "label": "18 to 24", "value": "18-24"},
                {"id": "age_25_34", "label": "25 to 34", "value": "25-34"},
                {"id": "age_35_49", "label": "35 to 49", "value": "35-49"},
                {"id": "age_50_64", "label": "50 to 64", "value": "50-64"},
                {"id": "age_65_up", "label": "65 and over", "value": "65+"},
                NO_PREFERENCE,
            ],
        },
        {
            "id": "talk_experience",
            "text": "Would it help to talk with someone who shares an experience with you?",
            "kind": "single",
            "required": False,
            "preference": "experience",
            "options": [
                {"id": "carer", "label": "Being a carer", "value": "carer"},
                {"id": "bereavement", "label": "Bereavement", "value": "bereavement"},
                {"id": "student", "label": "Student life", "value": "student life"},
                {"id": "mens", "label": "Men's mental health", "value": "men's mental health"},
                {"id": "lgbtq", "label": "Being LGBTQ+", "value": "LGBTQ+"},
                {"id": "recovery", "label": "Recovery", "value": "recovery"},
                NO_PREFERENCE,
            ],
        },
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
