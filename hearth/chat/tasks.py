"""Chat's scheduled work: gathering reminders, triage of any message a stopped process left untriaged, and
closing room visits a stopped process left open."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from hearth.core.scheduler import periodic


@periodic(every=timedelta(minutes=1))
@task()
def send_gathering_reminders() -> int:
    """Send the RSVP reminders that are due (each claimed once; see ``actions.send_due_reminders``)."""
    from hearth.chat.actions import send_due_reminders

    return send_due_reminders()


@periodic(every=timedelta(hours=6))
@task()
def extend_gathering_series() -> int:
    """Keep each recurring gathering's dates made up to the horizon (see ``actions.extend_series``)."""
    from hearth.chat.actions import extend_all_series

    return extend_all_series()


@periodic(every=timedelta(minutes=1))
@task()
def open_booked_slots() -> int:
    """Booking reminders that are due, and one-to-ones whose booked time has come (see ``actions``)."""
    from hearth.chat.actions import open_booked_slots as run

    reminded, opened = run()
    return reminded + opened


@periodic(every=timedelta(hours=1))
@task()
def buddy_check_ins() -> int:
    """Ask active buddy pairs how it's going, weekly (see ``actions.buddy_check_ins``)."""
    from hearth.chat.actions import buddy_check_ins as run

    return run()


@periodic(every=timedelta(minutes=1))
@task()
def triage_missed_messages() -> int:
    """Triage chat messages stored but never triaged (a process stopped just after storing them: see
    ``chat/sending.py``)."""
    from hearth.chat.actions import triage_missed_messages as run

    return run()


@periodic(every=timedelta(minutes=1))
@task()
def close_stale_visits() -> int:
    """Close room visits no server has marked seen lately (it crashed): no ghosts "here now" (see ``actions``)."""
    from hearth.chat.actions import close_stale_visits as run

    return run()
