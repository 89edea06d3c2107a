"""No figure about fewer than 5 people is shown in a way that could identify them."""

from __future__ import annotations

from hearth.insights import small_numbers as sn


def test_counts_of_one_to_four_people_read_fewer_than_five() -> None:
    assert [sn.count(n).text for n in range(7)] == ["0", *["fewer than 5"] * 4, "5", "6"]
    assert sn.count(3).suppressed and sn.count(3).value is None
    assert not sn.count(0).suppressed


def test_a_median_about_fewer_than_five_people_is_hidden() -> None:
    assert sn.stat([1, 2, 3, 4]).text == "fewer than 5"
    assert sn.stat([1, 2, 3, 4, 10]).text == "3"
    assert sn.stat([1, 2, 3, 4, 10], how="mean", digits=1).text == "4.0"
    assert sn.stat([]).text == "—"


def test_a_share_is_hidden_when_its_base_or_its_people_are_few() -> None:
    assert sn.share(3, 4).text == "fewer than 5"
    assert sn.share(2, 40).text == "fewer than 5 of 40"
    assert sn.share(0, 40).text == "0%"
    assert sn.share(30, 40).text == "75%"
    assert sn.share(0, 0).text == "—"


def test_a_breakdown_hides_a_second_part_so_the_first_cant_be_worked_out() -> None:
    cells = sn.breakdown({"readers": 40, "reactors": 6, "posters": 3, "hosts": 0})
    assert cells["posters"].suppressed
    # Otherwise posters = total - 40 - 6; so the smallest shown part goes too.
    assert cells["reactors"].suppressed
    assert cells["readers"].text == "40"
    assert cells["hosts"].text == "0"


def test_a_breakdown_with_two_hidden_parts_needs_nothing_more() -> None:
    cells = sn.breakdown({"a": 40, "b": 2, "c": 3})
    assert [c.text for c in cells.values()] == ["40", "fewer than 5", "fewer than 5"]
