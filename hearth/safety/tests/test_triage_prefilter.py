"""Issue 20: the rules' word prefilter makes triage cheaper without changing what it finds.

Before a rule's pattern scans a message, the engine checks that the message holds at least one of the literal
words the pattern cannot match without. These tests hold the filter to that promise: a rule never matches text
its filter would have skipped, and a pattern whose matches need no such word is never filtered.
"""

from __future__ import annotations

import re

import pytest

from hearth.safety.triage import classify_rules, rules
from hearth.safety.triage import training as tr
from hearth.safety.triage.normalize import normalize


def test_every_rule_match_in_the_labelled_sets_holds_one_of_its_filter_words() -> None:
    texts = [normalize(row["text"]).text for path in tr.set_paths().values() for row in tr.read_jsonl(path)]
    assert len(texts) > 5000
    matched = 0
    for rule, pattern, needs in rules._FILTERED:
        if not needs:
            continue
        for text in texts:
            for m in pattern.finditer(text):
                matched += 1
                assert any(word in m.group(0) for word in needs), (rule.label, m.group(0), needs)
    assert matched > 1000


def test_most_rules_are_filtered_by_words_of_at_least_three_letters() -> None:
    filtered = [needs for _, _, needs in rules._FILTERED if needs]
    assert len(filtered) >= 0.9 * len(rules._FILTERED)
    assert all(len(word) >= rules._MIN_LITERAL for needs in filtered for word in needs)


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"\bon the (?:vodka|gin)\b", ("on the ",)),
        (r"\b(?:pills|tablets) on top\b|\bcravings?\b", (" on top", "craving")),
        # optional words are not required; a branch that needs no long word leaves the whole rule unfiltered
        (r"\b(?:really )?sad\b", ("sad",)),
        (r"\bsober\b|\bok\b", ()),
        (r"\b(?:\w+ )?tonight\b", ("tonight",)),
        (r"\b(?:really )?(?:sad|ok)\b", ()),
        (r"(?:bridge){1,3}", ("bridge",)),
        (r"(?:bridge)?roof", ("roof",)),
        (r"(?i:bridge)", ()),  # another case would match: no filter
        (r"(?<=the )bridge", ("bridge",)),  # a lookbehind's words are outside the match
    ],
)
def test_the_filter_words_are_only_words_a_match_must_contain(pattern: str, needs: tuple[str, ...]) -> None:
    assert rules._prefilter(pattern) == needs
    for text in ("the bridge", "on the gin", "pills on top", "cravings", "really sad", "sober", "ok", "out tonight"):
        if re.search(pattern, text, rules._F) and needs:
            assert any(word in text for word in needs)


def test_a_message_without_the_filter_words_is_still_read_by_the_unfiltered_rules() -> None:
    # "struggling" has no filter (one branch needs no long word); it must still be found
    assert any("struggling" in reason for reason in classify_rules("honestly im struggling").reasons)
