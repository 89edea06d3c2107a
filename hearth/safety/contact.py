"""Spotting contact details and pressure to move off the platform in member-to-member one-to-ones."""

from __future__ import annotations

import re

_PATTERNS = [
    (
        "a phone number",
        re.compile(
            r"(?<!\d)(?:\+?44\s?7\d{3}|\(?07\d{3}\)?)[\s-]?\d{3}[\s-]?\d{3}(?!\d)|(?<!\d)\+?\d[\d\s-]{9,}\d(?!\d)"
        ),
    ),
    ("an email address", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    (
        "a home address",
        re.compile(
            r"\b\d{1,4}\s+\w+\s+(?:road|rd|street|st|avenue|ave|lane|close|drive|way|crescent)\b|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b",
            re.I,
        ),
    ),
    (
        "an off-platform handle",
        re.compile(
            r"(?:^|\s)@[A-Za-z0-9_.]{3,}\b|\b(?:snap(?:chat)?|insta(?:gram)?|whatsapp|telegram|discord|kik|tiktok|signal)\b",
            re.I,
        ),
    ),
    (
        "pressure to meet or move elsewhere",
        re.compile(
            r"\b(?:let'?s|lets|we should|can we|want to|wanna|come)\s+(?:meet|meet up|hang out in person|talk (?:on|over) (?:whatsapp|snap|insta|text|the phone))\b"
            r"|\b(?:add|message|text|dm) me (?:on|at)\b|\bwhere do you live\b|\bsend (?:me )?(?:a )?(?:pic|photo|selfie)\b",
            re.I,
        ),
    ),
]


def contact_risks(text: str) -> list[str]:
    """What in ``text`` shares contact details or presses to meet, in plain words (empty if nothing)."""
    return [label for label, pattern in _PATTERNS if pattern.search(text or "")]
