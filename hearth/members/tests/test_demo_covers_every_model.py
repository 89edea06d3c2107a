"""The demo organisation shows every part of Hearth at work (issue 22).

``make run`` is how most people first meet Hearth. A model with no demo rows is a page that looks unbuilt, so
every model of every Hearth app must have at least one row after ``hearth seed_demo``. A new model cannot land
without its demo rows: add them to the app's ``demo.py``.

Only tables that are a running system's own bookkeeping are exempt, each with the reason.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command

# Rows a running system writes for itself, which a demo would only make untrue.
NOT_DEMO_DATA = {
    "core.WorkerHeartbeat": "written every few seconds by a running `hearth worker`; a demo row would claim a "
    "worker that isn't running, and the health page would believe it",
    "core.PeriodicJob": "the scheduler's own bookkeeping, made by the worker when it first runs each job",
    "core.PushSubscription": "a browser's own push address and keys, issued by its push service when a person "
    "turns push on; a made-up one can't be shown (push is off until VAPID keys are set) and, once it is on, would "
    "have the server send requests to a real push service",
}

# Models that don't have demo rows yet (issue 22 shrinks this to nothing; never add to it).
NOT_YET: dict[str, str] = {
    "chat.RoomVisit": "",
    "chat.HandRaise": "",
    "chat.FollowUp": "",
    "care.WellbeingToken": "",
    "care.CheckInRecord": "",
    "intake.Scope": "",
}


def hearth_models() -> dict[str, type]:
    return {
        model._meta.label: model
        for config in apps.get_app_configs()
        if config.name.startswith("hearth.")
        for model in config.get_models()
    }


def test_every_model_of_every_app_has_demo_rows(db):
    call_command("seed_demo", verbosity=0)
    models = hearth_models()
    empty = sorted(
        label
        for label, model in models.items()
        if label not in NOT_DEMO_DATA and label not in NOT_YET and not model._default_manager.exists()
    )
    assert empty == [], f"These models have no demo rows: add some to the app's demo.py ({', '.join(empty)})"


def test_the_exemptions_name_real_models_and_say_why():
    models = hearth_models()
    assert sorted(set(NOT_DEMO_DATA) - set(models)) == []
    assert sorted(set(NOT_YET) - set(models)) == []
    assert all(len(reason) > 20 for reason in NOT_DEMO_DATA.values())
