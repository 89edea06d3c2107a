"""``hearth drill`` on the demo organisation: every kind of member writing raises a crisis alert (issue 13)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from hearth.community.models import Group, Post
from hearth.core import screening
from hearth.core.models import Delivery
from hearth.members.models import Member
from hearth.safety.drill import DRILL_DOMAIN, DRILL_TEXT
from hearth.safety.models import CrisisAlert, ModerationItem

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db: None) -> None:
    from hearth.signposting.defaults import UK_DIRECTORY
    from hearth.signposting.models import Resource

    # The starting directory a data migration loads (this kind of test empties the tables first).
    Resource.objects.bulk_create([Resource(**entry) for entry in UK_DIRECTORY])
    call_command("seed_demo", stdout=StringIO())


def test_every_path_alerts_a_staff_screen_and_the_drill_leaves_no_one_behind(demo: None) -> None:
    out = StringIO()
    alerts_before = set(CrisisAlert.objects.values_list("pk", flat=True))
    started = timezone.now()
    call_command("drill", stdout=out)
    report = out.getvalue()
    paths = screening.paths()
    assert f"{len(paths)} of {len(paths)} paths alerted" in report
    for path in paths.values():
        row = next(line for line in report.splitlines() if line.startswith(path.label + " "))
        assert " yes " in row and "1 on a screen" in row, row
    assert "time on a screen: p50" in report and "p99" in report

    drills = CrisisAlert.objects.exclude(pk__in=alerts_before)
    assert drills.count() >= len(paths) and all(a.drill and a.acknowledged_at for a in drills)
    assert all(a.headline().startswith("Drill — ") for a in drills)
    # The synthetic people are gone, and with them what they wrote; real people were never made to see it.
    assert not Member.objects.filter(email__endswith=f"@{DRILL_DOMAIN}").exists()
    assert not Post.objects.filter(body=DRILL_TEXT).exists()
    drill_ids = [str(pk) for pk in drills.values_list("pk", flat=True)]
    assert not Delivery.objects.filter(
        about_type="safety.crisisalert", about_id__in=drill_ids, state=Delivery.State.PENDING
    ).exists()  # the drill's own alerts: the demo may have real ones waiting (nothing sends them here)
    # Nothing is left waiting for staff either: no open item from the drill, no drill group.
    assert not ModerationItem.objects.filter(state=ModerationItem.State.OPEN, created_at__gte=started).exists()
    assert not Group.objects.filter(name__startswith="Drill ").exists()


def test_a_path_that_raises_no_alert_fails_the_drill(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        screening._PATHS,
        "test.unscreened",
        screening.Path("test.unscreened", "words nobody screens", drill=lambda member, text: None),
    )
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("drill", "--path", "test.unscreened", stdout=out)
    assert failed.value.returncode == 1
    assert "words nobody screens" in out.getvalue() and "NOT ALERTED: test.unscreened" in out.getvalue()


def test_an_unknown_path_is_a_clear_error(db: None) -> None:
    with pytest.raises(CommandError, match="No such path: nope"):
        call_command("drill", "--path", "nope", stdout=StringIO())


def test_a_path_that_cannot_be_drilled_here_is_reported_as_skipped_not_as_alerted(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def nothing_to_write_through(member: Member, text: str) -> None:
        raise screening.DrillSkipped("no resource in the directory takes self-referrals")

    monkeypatch.setitem(
        screening._PATHS,
        "test.skipped",
        screening.Path("test.skipped", "self-referral note", drill=nothing_to_write_through),
    )
    out = StringIO()
    call_command("drill", "--path", "test.skipped", stdout=out)
    assert "skipped" in out.getvalue() and "no resource in the directory takes self-referrals" in out.getvalue()
    assert "0 of 0 paths alerted; 1 skipped" in out.getvalue()


def test_a_path_that_alerts_but_stores_the_words_unscreened_fails_the_drill(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screening guard watches each drill: an alert is not enough, the stored words themselves were screened."""
    from hearth.community import actions

    real_screen = screening.screen
    # A slip: the words are screened (so an alert goes up) but named as no stored object, so the reply is not.
    monkeypatch.setattr(actions, "screen", lambda **kwargs: real_screen(**{**kwargs, "object_id": 0}))
    out = StringIO()
    with pytest.raises(CommandError, match="raised no crisis alert or stored words unscreened") as failed:
        call_command("drill", "--path", "community.comment", stdout=out)
    assert failed.value.returncode == 1
    row = next(line for line in out.getvalue().splitlines() if line.startswith("reply "))
    assert " yes " in row and "stored unscreened: community.Comment.body" in row, row
    assert "UNSCREENED: community.comment" in out.getvalue()
