"""Values a database can't keep are refused as they arrive (a 400 with a sentence), never a 500 at the query."""

from __future__ import annotations

import pytest

from hearth.core import params


@pytest.mark.parametrize("value", ["1\x00", "so glad \ud83d", "\udc00 end"])
def test_a_nul_or_half_an_emoji_is_a_clear_refusal(value: str) -> None:
    assert not params.storable(value)
    with pytest.raises(params.BadParameter, match="plain text"):
        params.get_text({"note": value}, "note", max_length=100)


def test_whole_emoji_and_any_script_are_kept() -> None:
    assert params.get_text({"note": " Zoë 💬 日本 "}, "note", max_length=100) == "Zoë 💬 日本"
