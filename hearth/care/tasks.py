from __future__ import annotations

from datetime import timedelta

from django.tasks import task

from hearth.core.scheduler import periodic


@periodic(every=timedelta(minutes=15))
@task()
def refresh_care_queue() -> dict[str, int]:
    """Nobody replied, referrals due, check-in replies, and every shared cue, brought up to date."""
    from hearth.care import actions

    return {
        "nobody_replied": actions.find_unanswered_posts(),
        "referrals": actions.referrals_due_items(),
        "check_in_replies": actions.follow_up_check_ins(),
        **actions.do_refresh_cues(),
    }


@periodic(every=timedelta(minutes=5))
@task()
def send_check_ins() -> int:
    """Send the check-in rounds that are due."""
    from hearth.care.actions import send_due_check_ins

    return send_due_check_ins()
