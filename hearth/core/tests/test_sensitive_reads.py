"""Every view that shows another person's sensitive words or details leaves an audit entry.

:data:`SENSITIVE_READS` is the list: a view that starts showing such things belongs on it (with its
audit action), and the test opens each one, as staff who may, in the demo organisation, and checks
the entry is there. A page that refreshes itself records a read once in ``audit.READ_WINDOW``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.core import audit
from hearth.core.models import AuditEntry
from hearth.core.tests.test_reachable import NOW, _patterns
from hearth.members.models import Member


def _alert() -> int:
    from hearth.safety.models import CrisisAlert

    return CrisisAlert.objects.filter(acknowledged_at__isnull=True, member__isnull=False).earliest("pk").pk


def _person() -> int:
    return Member.objects.get(email="member@example.org").pk


def _crisis_item() -> int:
    from hearth.safety.models import ModerationItem, Risk

    return ModerationItem.objects.filter(risk=Risk.CRISIS, subject__isnull=False).earliest("pk").pk


def _a_message_left_for_the_duty_desk() -> str:
    from hearth.availability.actions import do_check_in
    from hearth.availability.models import TalkRequest

    do_check_in(Member.objects.get(email=EMAILS["peer worker"]))
    TalkRequest.objects.create(
        member=Member.objects.get(email="member@example.org"),
        state=TalkRequest.State.MESSAGE,
        message="Could someone call me back tonight? It has been a hard week.",
    )
    return reverse("availability:duty")


def _assessment() -> int:
    from hearth.intake.models import Assessment

    return Assessment.objects.earliest("pk").pk


# view name -> (who opens it, its address in the demo, what they see, the audit action). A key with "+show" is
# the page's "Show ..." button (a POST of show=<what>).
SENSITIVE_READS: dict[str, tuple[str, Callable[[], str], str, str]] = {
    "safety:alerts": (
        "coordinator",
        lambda: reverse("safety:alerts"),
        "each open alert's summary, which can quote the member",
        "safety.alert.viewed",
    ),
    "safety:alert": (
        "coordinator",
        lambda: reverse("safety:alert", args=[_alert()]),
        "an alert's summary",
        "safety.alert.viewed",
    ),
    "availability:duty": (
        "peer worker",
        _a_message_left_for_the_duty_desk,
        "what members wrote asking to talk, and messages left while nobody was on",
        "availability.talk.viewed",
    ),
    "care:person": (
        "coordinator",
        lambda: reverse("care:person", args=[_person()]),
        "why someone is in the care queue, their check-ins and mood words",
        "care.person.viewed",
    ),
    "care:person?record": (
        "coordinator",
        lambda: reverse("care:person", args=[_person()]) + "?record=show",
        "past check-in notes",
        "care.record.viewed",
    ),
    "members:member_list": (
        "coordinator",
        lambda: reverse("members:member_list"),
        "everyone's names, roles and when they joined",
        "members.list.viewed",
    ),
    "members:member_detail+contact": (
        "coordinator",
        lambda: reverse("members:member_detail", args=[_person()]),
        "a person's phone number and contact notes",
        "members.contact.viewed",
    ),
    "safety:item": (
        "coordinator",
        lambda: reverse("safety:item", args=[_crisis_item()]),
        "the words of a crisis item",
        "safety.details.viewed",
    ),
    "intake:staff_detail+answers": (
        "coordinator",
        lambda: reverse("intake:staff_detail", args=[_assessment()]),
        "a person's self-assessment answers",
        "intake.answers.viewed",
    ),
}

# Pages that refresh themselves: a read is logged once in a while, not on every refresh.
REFRESHING = {"safety.alert.viewed", "availability.talk.viewed"}

EMAILS = {
    "peer worker": "peerworker@example.org",
    "coordinator": "coordinator@example.org",
}


pytestmark = pytest.mark.usefixtures("demo_organisation")  # seeded once for this module


@pytest.fixture
def demo(db: None, time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def test_every_listed_view_exists_and_its_action_is_described() -> None:
    names = {name for name, _ in _patterns()}
    for key, (_, _, _, action) in SENSITIVE_READS.items():
        assert key.split("?")[0].split("+")[0] in names, f"{key}: no such view (renamed? update SENSITIVE_READS)"
        assert action in audit.registered_actions(), action


def test_every_sensitive_read_is_audited(demo: None) -> None:
    missing = []
    for key, (role, address, shows, action) in SENSITIVE_READS.items():
        reader = Member.objects.get(email=EMAILS[role])
        client = Client()
        client.force_login(reader)
        AuditEntry.objects.filter(action=action).delete()  # as if nobody had read it lately
        before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        show = key.partition("+")[2]
        response = client.post(address(), {"show": show}) if show else client.get(address())
        assert response.status_code == 200, f"{key} answered {response.status_code} to the {role}"
        entries = AuditEntry.objects.filter(pk__gt=before, action=action, actor=reader)
        first = entries.count()
        if not first:
            missing.append(f"{key} ({shows}): no {action!r} entry")
        if action in REFRESHING:  # opened again at once, as a page refreshing itself: no more entries
            client.get(response.request["PATH_INFO"])
            assert entries.count() == first, f"{key} logged the same read twice"
    assert not missing, "Sensitive reads without an audit entry:\n" + "\n".join(missing)
