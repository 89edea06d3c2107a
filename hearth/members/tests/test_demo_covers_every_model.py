"""The demo organisation shows every part of Hearth at work (issue 22).

``make run`` is how most people first meet Hearth. A model with no demo rows is a page that looks unbuilt, so
every model of every Hearth app must have at least one row after ``hearth seed_demo``. A new model cannot land
without its demo rows: add them to the app's ``demo.py``.

Only tables that are a running system's own bookkeeping are exempt, each with the reason.

The demo is seeded once for the module (``demo_organisation``, at ``DEMO_NOW``) and each test reads it in a
transaction of its own; other apps' checks of their demo rows live here too, so the demo is seeded once for all.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Model
from django.utils import timezone
from time_machine import TimeMachineFixture

from hearth.members.models import Member, Role
from hearth.testing import DEMO_NOW


@pytest.fixture
def demo(db: None, demo_organisation: None) -> None:
    """The demo organisation, seeded once for this module; each test reads it in a transaction of its own."""


# Rows a running system writes for itself, which a demo would only make untrue.
NOT_DEMO_DATA = {
    "core.WorkerHeartbeat": "written every few seconds by a running `hearth worker`; a demo row would claim a "
    "worker that isn't running, and the health page would believe it",
    "core.PeriodicJob": "the scheduler's own bookkeeping, made by the worker when it first runs each job",
    "core.PushSubscription": "a browser's own push address and keys, issued by its push service when a person "
    "turns push on; a made-up one can't be shown (push is off until VAPID keys are set) and, once it is on, would "
    "have the server send requests to a real push service",
}


def hearth_models() -> dict[str, type[Model]]:
    return {
        model._meta.label: model
        for config in apps.get_app_configs()
        if config.name.startswith("hearth.")
        for model in config.get_models()
    }


def test_every_model_of_every_app_has_demo_rows(demo: None) -> None:
    models = hearth_models()
    empty = sorted(
        label for label, model in models.items() if label not in NOT_DEMO_DATA and not model._default_manager.exists()
    )
    assert empty == [], f"These models have no demo rows: add some to the app's demo.py ({', '.join(empty)})"


def test_the_exemptions_name_real_models_and_say_why() -> None:
    models = hearth_models()
    assert sorted(set(NOT_DEMO_DATA) - set(models)) == []
    assert all(len(reason) > 20 for reason in NOT_DEMO_DATA.values())


def _named(person: Member | None) -> str:
    """A row's person, whose rows were fetched with them (``…__isnull=False``)."""
    assert person is not None
    return person.display_name


def _story() -> dict[str, Any]:
    """What a visitor would notice, by name and time (rows about people who no longer exist are left out)."""
    from hearth.availability.models import CoverRequest, DutySession
    from hearth.care.models import CheckInRecord
    from hearth.chat.models import Gathering, HandRaise
    from hearth.core.models import Notification
    from hearth.safety.models import Appeal, CrisisAlert, ModerationItem, Report

    return {
        "alerts": [
            (_named(a.member), a.origin, a.created_at, a.acknowledged_by.display_name if a.acknowledged_by else "")
            for a in CrisisAlert.objects.filter(member__isnull=False).order_by("created_at")
        ],
        "queue": sorted(
            (_named(i.subject), i.source, i.risk)
            for i in ModerationItem.objects.filter(state="open", subject__isnull=False)
        ),
        "reports": sorted((_named(r.reporter), r.state) for r in Report.objects.filter(reporter__isnull=False)),
        "appeals": [(a.sanction.member.display_name, a.state) for a in Appeal.objects.all()],
        "on duty": [d.supporter.display_name for d in DutySession.objects.filter(ended_at__isnull=True)],
        "cover": sorted((c.pattern.supporter.display_name, c.state, str(c.date)) for c in CoverRequest.objects.all()),
        "gatherings": sorted(
            (g.title, g.starts_at, HandRaise.objects.filter(room=g.room).count()) for g in Gathering.objects.all()
        ),
        "check-ins": [(r.member.display_name, r.how, r.outcome) for r in CheckInRecord.objects.all()],
        "robin": sorted(
            n.text for n in Notification.objects.filter(member__email="member@example.org", read_at__isnull=True)
        ),
        "members": list(Member.objects.order_by("pk").values_list("display_name", "pronouns", "age_band")),
    }


def test_demo_organisation_has_every_role_and_a_sign_in_for_each(demo: None) -> None:
    assert 55 <= Member.objects.count() <= 65
    for role in (Role.VOLUNTEER, Role.PEER_WORKER, Role.COUNSELLOR, Role.COORDINATOR):
        assert Member.objects.filter(role_grants__role=role).exists(), role
    robin = Member.objects.get(email="member@example.org")
    assert robin.check_password("hearth-demo-2026")
    assert Member.objects.filter(invited_by__isnull=False).count() > 30  # word of mouth


def test_the_demo_is_a_week_in_the_life_of_a_real_service(demo: None, time_machine: TimeMachineFixture) -> None:
    from hearth.availability.models import CoverRequest, DutySession
    from hearth.care.models import CheckInSend
    from hearth.chat.models import Gathering, HandRaise, Message
    from hearth.core.models import DeliveryAttempt
    from hearth.safety.models import Appeal, CrisisAlert, ModerationItem, Report

    time_machine.move_to(DEMO_NOW, tick=False)  # the demo's dates are relative to when it was loaded
    # A crisis alert raised at night with nobody on duty, acknowledged within minutes; another still open.
    night, open_now = CrisisAlert.objects.order_by("created_at")
    assert night.nobody_on_duty and timezone.localtime(night.created_at).hour == 2
    assert night.acknowledged_at is not None and night.acknowledged_at - night.created_at <= timedelta(minutes=5)
    assert DeliveryAttempt.objects.filter(delivery__about_id=str(night.pk), outcome="delivered").exists()
    assert open_now.acknowledged_at is None and not open_now.nobody_on_duty
    # Reports with outcomes told to the reporter (Robin among them), and some still waiting.
    assert Report.objects.filter(reporter__email="member@example.org", state="actioned").exclude(outcome="").exists()
    assert Report.objects.filter(state="left_up").exclude(outcome="").exists()
    assert ModerationItem.objects.filter(state="open").count() >= 3
    assert Appeal.objects.filter(state__in=["upheld", "overturned"]).exclude(response="").exists()
    # A peer worker checked in now (not a demo account, so each can try checking in), a cover request taken.
    (on_duty,) = DutySession.objects.filter(ended_at__isnull=True).select_related("supporter")
    assert not on_duty.supporter.email.startswith(("peerworker@", "volunteer@", "counsellor@", "coordinator@"))
    assert CoverRequest.objects.filter(state="covered", covered_by__isnull=False).exists()
    # A gathering with hands raised and a closing round; a check-in round with a reply.
    natter = Gathering.objects.get(title="Shed natter")
    assert natter.closing_round_at and HandRaise.objects.filter(room=natter.room).count() == 2
    assert Message.objects.filter(room=natter.room, kind="closing").exists()
    send = CheckInSend.objects.select_related("round").get(
        round__supporter__email="peerworker@example.org", round__message__startswith="Hi, it's Priya"
    )
    assert Message.objects.filter(room_id=send.room_id, seq__gt=send.seq, sender=send.round.member).exists()
    # Notifications waiting for the demo member.
    assert len(_story()["robin"]) >= 3


def test_the_demo_is_the_same_every_time_it_is_loaded(demo: None, time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(DEMO_NOW, tick=False)  # when the module's demo was loaded
    first = _story()
    Member.objects.all().delete()
    call_command("seed_demo", verbosity=0)
    assert _story() == first


def test_the_rota_side_has_an_open_shift_offered_to_someone(demo: None) -> None:
    from hearth.availability.models import OpenShift

    assert OpenShift.objects.get().offered_to.exists()


def test_the_demo_has_a_peer_worry_on_the_care_queue(demo: None) -> None:
    from hearth.care.models import CareItem, Concern, Source

    concern = Concern.objects.select_related("raised_by").get()
    assert concern.raised_by is not None
    assert concern.raised_by.email == "volunteer@example.org" and concern.risk != "crisis"
    assert CareItem.objects.filter(member=concern.about, source=Source.PEER).exists()
